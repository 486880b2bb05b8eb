//! Rustdoc of generated items: a method's module docs, parameter docs, and spec text made safe
//! for rustdoc.

use proc_macro2::TokenStream;
use quote::quote;

use crate::items::MethodItems;
use crate::model::{OneOfGroup, Param, Spec, TypeKind, TypeRef};

/// "`user` (also granted by `user_brief`, `user_basic`)", or just "`im`".
pub(super) fn scopes_doc(spec: &Spec) -> String {
    let quoted = |s: &str| format!("`{s}`");
    let mut doc = quoted(&spec.scope);
    if !spec.other_scopes.is_empty() {
        let others: Vec<String> = spec.other_scopes.iter().map(|s| quoted(s)).collect();
        doc.push_str(&format!(" (also granted by {})", others.join(", ")));
    }
    doc
}

pub(super) fn module_docs(spec: &Spec, items: &MethodItems<'_>) -> String {
    let mut doc = format!("{}\n\n", sentence(&spec.summary));
    if let Some(d) = &spec.description {
        doc.push_str(d.trim());
        doc.push_str("\n\n");
    }
    doc.push_str(&format!(
        "- REST method: `{}`\n- Scope: {}\n- Who may call it: {}\n- Safe to retry: {}\n- Official documentation: <{}>\n",
        spec.method,
        scopes_doc(spec),
        spec.access,
        if spec.read_only { "yes, it only reads" } else { "no, it changes data" },
        spec.docs
    ));
    if !spec.params.is_empty() {
        doc.push_str("\n# Parameters\n\n");
        for p in &spec.params {
            doc.push_str(&format!(
                "- `{}`{}: {}\n",
                p.wire,
                if p.required { " (required)" } else { "" },
                p.doc.trim()
            ));
        }
        for group in &spec.one_of_required {
            doc.push_str(&format!(
                "\nAt least one of {} must be sent.\n",
                either(group)
            ));
        }
    }
    doc.push_str("\n# Result\n\n");
    match &spec.result.by_param {
        Some(choice) => doc.push_str(&format!(
            "`{}`, one variant per shape chosen by `{}`",
            items.result(),
            choice.param
        )),
        None => doc.push_str(&format!("`{}`", type_label(&spec.result.ty))),
    }
    match (&spec.result.doc, &spec.result.by_param) {
        (Some(d), Some(_)) => doc.push_str(&format!(": {}", lower_first(d.trim()))),
        (Some(d), None) => doc.push_str(&format!(": {}", d.trim())),
        (None, _) => {}
    }
    doc.push('\n');
    if !spec.errors.is_empty() {
        doc.push_str("\n# Errors\n\n");
        for e in &spec.errors {
            let status = e.status.map(|s| format!(" (HTTP {s})")).unwrap_or_default();
            let what = match e.description() {
                Some(d) => format!("empty code, described as {d:?}"),
                None => format!("`{}`", e.code),
            };
            doc.push_str(&format!("- {what}{status}: {}\n", e.doc.trim()));
        }
        doc.push_str("\nAny call can also fail with a system error, see `SystemError`.\n");
    }
    doc
}

/// "`A` or `B`", "`A`, `B` or `C`": the parameters of a `one_of_required` group.
pub(super) fn either(group: &OneOfGroup) -> String {
    let names: Vec<String> = group.names().map(|n| format!("`{n}`")).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => names.concat(),
    }
}

/// What the request's rustdoc says about its `one_of_required` groups, as a paragraph to
/// append; empty without groups.
pub(super) fn one_of_doc(spec: &Spec) -> String {
    spec.one_of_required
        .iter()
        .map(|group| {
            format!(
                "\n\nAt least one of {} must be set: otherwise the client sends nothing and the call fails with `Error::InvalidRequest`.",
                either(group)
            )
        })
        .collect()
}

/// The result's type in words, for the module's docs (`list of User`).
pub(super) fn type_label(ty: &TypeRef) -> String {
    let base = match &ty.kind {
        TypeKind::Named(n) => n.clone(),
        TypeKind::Enum(e) => e.name.clone(),
        TypeKind::Filter(f) => f.name.clone(),
        TypeKind::Order(o) => format!("order of {} fields", o.of()),
        TypeKind::Array(items) => format!("list of {}", type_label(items)),
        TypeKind::Map { keys, values } => {
            format!("map of {} to {}", keys.as_str(), type_label(values))
        }
        TypeKind::String => "string".to_owned(),
        TypeKind::Integer => "integer".to_owned(),
        TypeKind::Number => "number".to_owned(),
        TypeKind::Decimal => "decimal".to_owned(),
        TypeKind::Boolean => "boolean".to_owned(),
        TypeKind::Yn => "yn".to_owned(),
        TypeKind::Id => "id".to_owned(),
        TypeKind::Datetime => "datetime".to_owned(),
        TypeKind::NaiveDatetime => "naive_datetime".to_owned(),
        TypeKind::DisplayDatetime => "display_datetime".to_owned(),
        TypeKind::Date => "date".to_owned(),
        TypeKind::Json => "json".to_owned(),
    };
    if ty.or_false {
        format!("{base} or false")
    } else {
        base
    }
}

pub(super) fn param_doc(p: &Param) -> String {
    let mut doc = format!("`{}`: {}", p.wire, sentence(&p.doc));
    if let Some(default) = &p.default {
        doc.push_str(&format!(" Defaults to `{default}` when left out."));
    }
    if let Some(min) = p.ty.min_items {
        doc.push_str(&format!(
            " The portal refuses fewer than {min} item{}.",
            if min == 1 { "" } else { "s" }
        ));
    }
    doc
}

pub(super) fn sentence(text: &str) -> String {
    let text = text.trim();
    if text.ends_with(['.', '!', '?']) {
        text.to_owned()
    } else {
        format!("{text}.")
    }
}

pub(super) fn doc_lines(text: &str) -> TokenStream {
    let lines = doc_text(text)
        .into_iter()
        .map(|l| if l.is_empty() { l } else { format!(" {l}") });
    quote!(#(#[doc = #lines])*)
}

/// Spec text as rustdoc lines in which no code block is Rust: rustdoc would compile an
/// indented line or an unlabelled fence as a doctest and break the user's `cargo test`.
pub(super) fn doc_text(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_indented = false;
    let mut in_fence = false;
    for line in text.trim_end().lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            let label = trimmed.trim_start_matches('`').trim();
            out.push(if !in_fence && label.is_empty() {
                "```text".to_owned()
            } else {
                trimmed.to_owned()
            });
            in_fence = !in_fence;
            continue;
        }
        let indented = !in_fence && line.starts_with("    ") && !trimmed.is_empty();
        if indented && !in_indented {
            out.push("```text".to_owned());
        } else if !indented && in_indented {
            out.push("```".to_owned());
        }
        in_indented = indented;
        out.push(if indented {
            trimmed.to_owned()
        } else {
            line.to_owned()
        });
    }
    if in_indented || in_fence {
        out.push("```".to_owned());
    }
    out
}

/// `The profiles` → `the profiles`, to follow a colon; `ID list` stays as it is.
pub(super) fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && !second.is_uppercase() => {
            first.to_lowercase().chain([second]).chain(chars).collect()
        }
        _ => text.to_owned(),
    }
}
