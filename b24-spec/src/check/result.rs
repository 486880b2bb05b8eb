//! A result whose shape a parameter chooses (`by_param`).

use std::collections::HashMap;

use super::snake_name_problem;
use crate::conform;
use crate::diag::{Ctxt, did_you_mean};
use crate::model::{Spec, TypeKind};
use crate::names::{invalid_ident_reason, pascal_case};

/// Parameters that pick the result's shape must exist and have values that can be compared;
/// each case value must be one the parameter can take, and variants must be distinct names.
pub(super) fn result_choice(cx: &mut Ctxt, spec: &Spec) {
    let Some(choice) = &spec.result.by_param else {
        return;
    };
    let param = spec.params.iter().find(|p| p.wire == choice.param);
    match param {
        None => {
            let p = cx.error(
                &choice.path,
                format!("`{}` is not a declared parameter", choice.param),
            );
            match did_you_mean(&choice.param, spec.params.iter().map(|p| p.wire.as_str())) {
                Some(s) => p.help(format!("did you mean `{s}`?")),
                None => p.help("declare the parameter under `params:`"),
            };
        }
        Some(p) if !conform::can_choose_result(&p.ty) => {
            cx.error(
                &choice.path,
                format!(
                    "parameter `{}` cannot choose the result's shape: it is not a `string`, `yn`, `boolean`, `integer`, `id` or `enum`",
                    p.wire
                ),
            )
            .help("pick a parameter with single values, or declare the result as `json`");
        }
        Some(p) => {
            let mut values: Vec<&str> = Vec::new();
            for case in &choice.cases {
                let Some(when) = &case.when else { continue };
                // `5` and `05` are one integer: the second case could never be chosen.
                let same = |other: &str| match p.ty.kind {
                    TypeKind::Integer | TypeKind::Id => other
                        .parse::<i128>()
                        .ok()
                        .is_some_and(|o| when.parse::<i128>() == Ok(o)),
                    _ => other == when,
                };
                if let Some(first) = values.iter().find(|v| same(v)) {
                    cx.key_error(
                        &case.path,
                        format!(
                            "`{when}` is the same value of `{}` as the case `{first}`",
                            p.wire
                        ),
                    )
                    .help("keep one case per value");
                    continue;
                }
                values.push(when);
                if let Err(expected) = conform::case_value(&p.ty, when) {
                    cx.key_error(
                        &case.path,
                        format!(
                            "`{when}` is not a value of the parameter `{}`: expected {expected}",
                            p.wire
                        ),
                    )
                    .help("write the value as the request sends it, e.g. `Y` for a `yn` parameter");
                }
            }
        }
    }
    let mut seen: HashMap<String, &crate::model::ResultCase> = HashMap::new();
    for case in choice.cases.iter().chain([&choice.otherwise]) {
        let variant = pascal_case(&case.variant);
        let at = case.path.key("variant");
        if let Some(reason) =
            snake_name_problem(&case.variant).or_else(|| invalid_ident_reason(&variant))
        {
            cx.error(
                &at,
                format!("variant name `{}` is not usable: {reason}", case.variant),
            )
            .help("name the variant in snake_case words, e.g. `variant: by_id`");
        } else if let Some(first) = seen.insert(variant.clone(), case) {
            let owner = match &first.when {
                Some(when) => format!("the case `{when}`"),
                None => "`otherwise`".to_owned(),
            };
            let message = if first.variant == case.variant {
                format!("variant `{}` is already used by {owner}", case.variant)
            } else {
                format!(
                    "variants `{}` (of {owner}) and `{}` both become `{variant}`",
                    first.variant, case.variant
                )
            };
            cx.error(&at, message)
                .help("give every case its own variant name");
        }
    }
}
