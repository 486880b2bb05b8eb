//! `one_of_required`: groups of parameters of which a request must send at least one.

use std::collections::HashMap;

use crate::diag::{Ctxt, did_you_mean};
use crate::model::Spec;
use crate::path::KeyPath;

/// Each group names declared, optional parameters, at least two, each once; a parameter is in
/// one group only. (Its `invalid` code is checked with the other codes, in `errors`.)
pub(super) fn one_of_required(cx: &mut Ctxt, spec: &Spec) {
    let mut grouped: HashMap<&str, &KeyPath> = HashMap::new();
    for group in &spec.one_of_required {
        let mut own: Vec<&str> = Vec::new();
        for g in &group.params {
            let name = g.wire.as_str();
            if own.contains(&name) {
                cx.error(&g.path, format!("`{name}` is listed twice in this group"))
                    .help("list each parameter once");
                continue;
            }
            own.push(name);
            let Some(p) = spec.params.iter().find(|p| p.wire == name) else {
                let p = cx.error(&g.path, format!("`{name}` is not a declared parameter"));
                match did_you_mean(name, spec.params.iter().map(|p| p.wire.as_str())) {
                    Some(s) => p.help(format!("did you mean `{s}`?")),
                    None => p.help("declare it under `params:`, or remove it from the group"),
                };
                continue;
            };
            if p.required {
                cx.error(
                    &g.path,
                    format!("`{name}` is `required: true`, so this group is always met"),
                )
                .help(format!(
                    "remove `required: true` from `{name}` (the group says when it may be left out), or remove the group"
                ));
            }
            if let Some(first) = grouped.insert(name, &group.path) {
                cx.error(
                    &g.path,
                    format!("`{name}` is already in the group `{first}`"),
                )
                .help("a parameter belongs to one group: merge the two groups if any of their parameters will do, or remove it from one of them");
            }
        }
        match own.as_slice() {
            [] => {
                cx.error(&group.path, "this group lists no parameter")
                    .help("list the parameters of which a request must send at least one, e.g. `[MESSAGE, ATTACH]`");
            }
            [one] => {
                cx.error(
                    &group.path,
                    format!("a group of one parameter, `{one}`, is a required parameter"),
                )
                .help(format!(
                    "declare `{one}` with `required: true` and remove the group, or add the parameters that may be sent instead of it"
                ));
            }
            _ => {}
        }
    }
}
