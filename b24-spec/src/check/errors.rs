//! Error codes, and the codes and parameters the emulator section and parameters refer to.

use std::collections::HashMap;

use crate::diag::{Ctxt, did_you_mean};
use crate::model::{Spec, TypeKind};
use crate::names::invalid_ident_reason;
use crate::path::KeyPath;

pub(super) fn error_codes(cx: &mut Ctxt, spec: &Spec) {
    let mut seen: HashMap<String, &str> = HashMap::new();
    for e in &spec.errors {
        if e.code.is_empty() {
            let (message, help) = empty_error_code(&e.doc);
            cx.key_error(&e.path, message).help(help);
            continue;
        }
        if !e
            .code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            cx.key_error(
                &e.path,
                format!(
                    "error code `{}` is not made of letters, digits and `_`",
                    e.code
                ),
            )
            .help("copy the code exactly as the documentation shows it, e.g. `ID_EMPTY`");
            continue;
        }
        let variant = &e.variant;
        if let Some(reason) = invalid_ident_reason(variant).or_else(|| {
            (!variant.starts_with(|c: char| c.is_ascii_uppercase())
                || !variant.chars().all(|c| c.is_ascii_alphanumeric()))
            .then_some("variant names are PascalCase letters and digits")
        }) {
            cx.key_error(
                &e.path,
                format!(
                    "error code `{}` has no usable Rust variant `{variant}`: {reason}",
                    e.code
                ),
            )
            .help("set `rust_name:` to a PascalCase variant name, e.g. `rust_name: FirstError`");
        } else if variant == "Other" || variant == "System" {
            cx.key_error(
                &e.path,
                format!(
                    "error code `{}` would be the variant `{variant}`, which every error enum already has",
                    e.code
                ),
            )
            .help(format!("set `rust_name:` to another variant name, e.g. `rust_name: {variant}Error`"));
        } else if let Some(first) = seen.insert(variant.clone(), &e.code) {
            cx.key_error(
                &e.path,
                format!(
                    "error codes `{first}` and `{}` both become the variant `{variant}`",
                    e.code
                ),
            )
            .help("remove the duplicate code");
        }
    }
}

/// What to say about an error documented with an empty code (CRM pages document many), which
/// the spec language cannot declare yet, and what to do instead.
fn empty_error_code(doc: &str) -> (String, String) {
    (
        "an error with an empty code cannot be declared yet".to_owned(),
        format!(
            "leave this entry out: such an answer reaches the caller as the method's `Other(\"\")` code, with its text in `ApiError::description`; mention the documented description ({doc:?}) in the method's `description` instead"
        ),
    )
}

/// Error codes and names that the emulator section, params and `one_of_required` groups refer
/// to must exist.
pub(super) fn emulation(cx: &mut Ctxt, spec: &Spec) {
    let codes: Vec<&str> = spec.errors.iter().map(|e| e.code.as_str()).collect();
    let known_code = |cx: &mut Ctxt, code: &str, path: &KeyPath| {
        if !codes.contains(&code) {
            let p = cx.error(
                path,
                format!("error code `{code}` is not declared under `errors:`"),
            );
            match did_you_mean(code, codes.iter().copied()) {
                Some(s) => p.help(format!("did you mean `{s}`?")),
                None => p.help(format!("declare `{code}` under `errors:`")),
            };
        }
    };
    for p in &spec.params {
        if let Some(code) = &p.invalid {
            known_code(cx, code, &p.path.key("invalid"));
        }
        if p.min.is_some() && !matches!(p.ty.kind, TypeKind::Integer | TypeKind::Id) {
            cx.error(
                &p.path.key("min"),
                "`min` applies only to `integer` and `id` parameters",
            )
            .help("remove `min`, or change the parameter's `type`");
        }
    }
    for group in &spec.one_of_required {
        if let Some(code) = &group.invalid {
            known_code(cx, code, &group.path.key("invalid"));
        }
    }
    crate::emulation::check(cx, spec);
}
