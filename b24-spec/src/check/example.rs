//! The documented example: its parameters and its response against the declared types.

use serde_json::Value;

use crate::conform::{self, Mode};
use crate::diag::{Ctxt, did_you_mean};
use crate::model::Spec;
use crate::path::KeyPath;

pub(super) fn example_params(cx: &mut Ctxt, spec: &Spec, params: &serde_json::Map<String, Value>) {
    let base = KeyPath::root().key("example").key("params");
    for (name, value) in params {
        let path = base.key(name);
        match spec.params.iter().find(|p| p.wire == *name) {
            None => {
                let p = cx.key_error(
                    &path,
                    format!("example uses parameter `{name}`, which `params:` does not declare"),
                );
                match did_you_mean(name, spec.params.iter().map(|p| p.wire.as_str())) {
                    Some(s) => p.help(format!("did you mean `{s}`?")),
                    None => p.help("declare it under `params:` or remove it from the example"),
                };
            }
            Some(p) => {
                if let Err(e) = conform::check(spec, &p.ty, value, Mode::Request) {
                    cx.error(
                        &path.join(&e.path),
                        format!(
                            "example parameter does not match its declared type: {}",
                            e.message
                        ),
                    )
                    .help("fix the example value, or the parameter's `type`");
                }
            }
        }
    }
    for p in spec.params.iter().filter(|p| p.required) {
        if !params.contains_key(&p.wire) {
            cx.error(
                &base,
                format!("example leaves out the required parameter `{}`", p.wire),
            )
            .help("add it to `example.params`");
        }
    }
    // A group naming an undeclared parameter is reported as such.
    let declared = |name: &str| spec.params.iter().any(|p| p.wire == name);
    let sent = |name: &str| params.get(name).is_some_and(|v| !v.is_null());
    for group in conform::unmet_groups(spec, sent).filter(|g| g.names().all(declared)) {
        let names: Vec<String> = group.names().map(|n| format!("`{n}`")).collect();
        cx.error(
            &base,
            format!(
                "example sends none of {}, but the method needs one of them (`{}`)",
                names.join(", "),
                group.path
            ),
        )
        .help("add one of them to `example.params`");
    }
}

pub(super) fn example_response(cx: &mut Ctxt, spec: &Spec, response: &Value) {
    let path = KeyPath::root().key("example").key("response");
    let Some(obj) = response.as_object() else {
        cx.error(
            &path,
            "the example response must be the whole envelope, a mapping with `result`",
        );
        return;
    };
    match obj.get("result") {
        Some(result) => {
            let params = spec
                .example
                .as_ref()
                .map(|e| e.params.clone())
                .unwrap_or_default();
            let (ty, which) = match conform::result_case(spec, &params) {
                Some((choice, case)) => (
                    &case.ty,
                    match &case.when {
                        Some(when) => format!(" for {}={when}", choice.param),
                        None => format!(" for the `otherwise` case of {}", choice.param),
                    },
                ),
                None => (&spec.result.ty, String::new()),
            };
            if let Err(e) = conform::check(spec, ty, result, Mode::Result) {
                cx.error(
                    &path.key("result").join(&e.path),
                    format!(
                        "example response does not decode as the declared result{which}: {}",
                        e.message
                    ),
                )
                .help("fix the spec's types (or the example, if it was not copied verbatim)");
            }
        }
        None => {
            cx.error(&path, "the example response has no `result`")
                .help("paste the documented success response, including `result` and `time`");
        }
    }
}
