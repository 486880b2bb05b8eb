//! Error codes, and the codes and parameters the emulator section and parameters refer to.

use std::collections::HashMap;

use crate::diag::{Ctxt, did_you_mean};
use crate::model::{ErrorDef, Spec, TypeKind};
use crate::names::invalid_ident_reason;
use crate::path::KeyPath;

/// Rules: a code is letters, digits and `_`; an error with an empty code has a description
/// that no other one matches alike; every error has a usable variant of its own, neither
/// `Other` nor `System`; the `rust_name` of an error with an empty code is no declared code
/// (specs name such an error by it).
pub(super) fn error_codes(cx: &mut Ctxt, spec: &Spec) {
    // Variant → the error that has it.
    let mut seen: HashMap<&str, &ErrorDef> = HashMap::new();
    // Description as the client matches it → the description as written.
    let mut described: HashMap<String, &str> = HashMap::new();
    for e in &spec.errors {
        let this = match e.description() {
            Some(description) => {
                // Rule: a description is not empty, and no two match alike (the client
                // ignores letter case, surrounding spaces and one final `.`).
                let bare = bare_description(description);
                if bare.is_empty() {
                    cx.key_error(
                        &e.path,
                        "an error with an empty code needs a description to be told apart by, and this one is empty",
                    )
                    .help("key the error by the `error_description` the documentation gives, e.g. `\"Not found\":`");
                    continue;
                }
                if let Some(first) = described.insert(bare.to_ascii_lowercase(), description) {
                    cx.key_error(
                        &e.path,
                        format!(
                            "the descriptions {first:?} and {description:?} are one error: the client matches descriptions ignoring letter case, spaces around them and a final `.`"
                        ),
                    )
                    .help("remove one of them");
                    continue;
                }
                label(e)
            }
            None => {
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
                label(e)
            }
        };
        let variant = &e.variant;
        if let Some(reason) = invalid_ident_reason(variant).or_else(|| {
            (!variant.starts_with(|c: char| c.is_ascii_uppercase())
                || !variant.chars().all(|c| c.is_ascii_alphanumeric()))
            .then_some("variant names are PascalCase letters and digits")
        }) {
            cx.key_error(
                &e.path,
                format!("{this} has no usable Rust variant `{variant}`: {reason}"),
            )
            .help("set `rust_name:` to a PascalCase variant name, e.g. `rust_name: FirstError`");
        } else if variant == "Other" || variant == "System" {
            cx.key_error(
                &e.path,
                format!(
                    "{this} would be the variant `{variant}`, which every error enum already has"
                ),
            )
            .help(format!(
                "set `rust_name:` to another variant name, e.g. `rust_name: {variant}Error`"
            ));
        } else if let Some(first) = seen.insert(variant, e) {
            if first.code.is_empty() || e.code.is_empty() {
                cx.key_error(
                    &e.path,
                    format!(
                        "{} and {this} both become the variant `{variant}`",
                        label(first)
                    ),
                )
                .help("set `rust_name:` to another variant name");
            } else {
                cx.key_error(
                    &e.path,
                    format!(
                        "error codes `{}` and `{}` both become the variant `{variant}`",
                        first.code, e.code
                    ),
                )
                .help("remove the duplicate code");
            }
        } else if e.code.is_empty()
            && let Some(coded) = spec.errors.iter().find(|c| c.code == *variant)
        {
            // The spec names errors by code or, with an empty code, by `rust_name`: one name
            // cannot be both.
            cx.key_error(
                &e.path,
                format!(
                    "{this} has the `rust_name` `{variant}`, which is also the code of the error at `{}`: where the spec names an error (`invalid:`, `not_found:`, `refuse.error`), the two could not be told apart",
                    coded.path
                ),
            )
            .help("set `rust_name:` to another variant name");
        }
    }
}

/// How a message names an error: by its code, or by its description.
fn label(e: &ErrorDef) -> String {
    match e.description() {
        Some(description) => format!("the error described as {description:?}"),
        None => format!("error code `{}`", e.code),
    }
}

/// A description as the client matches it: without surrounding whitespace and one final `.`
/// (letter case aside), as `b24_client::ErrorCode::from_error` compares.
pub(crate) fn bare_description(text: &str) -> &str {
    let text = text.trim();
    text.strip_suffix('.').unwrap_or(text).trim_end()
}

/// Error codes and names that the emulator section, params and `one_of_required` groups refer
/// to must exist.
pub(super) fn emulation(cx: &mut Ctxt, spec: &Spec) {
    for p in &spec.params {
        if let Some(code) = &p.invalid {
            declared_error(cx, spec, code, &p.path.key("invalid"));
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
            declared_error(cx, spec, code, &group.path.key("invalid"));
        }
    }
    crate::emulation::check(cx, spec);
}

/// An error the spec refers to by `name` (`invalid:`, `not_found:`, `refuse.error`) must be
/// declared: a code under `errors:`, or the `rust_name` of an error with an empty code.
pub(crate) fn declared_error(cx: &mut Ctxt, spec: &Spec, name: &str, path: &KeyPath) {
    if spec.find_error(name).is_some() {
        return;
    }
    let names = spec.errors.iter().map(|e| e.reference());
    let p = cx.error(
        path,
        format!("error code `{name}` is not declared under `errors:`"),
    );
    match did_you_mean(name, names) {
        Some(s) => p.help(format!("did you mean `{s}`?")),
        None => p.help(format!("declare `{name}` under `errors:`")),
    };
}
