//! Custom fields: the `custom_fields` patterns of object types and filters, and custom field
//! sets (files with `custom_fields: Name` at the top).

use std::collections::{HashMap, HashSet};

use super::names::{enums_of, item_names, same_rust_name_help};
use super::types::named_type_exists;
use super::{shown, snake_name_problem};
use crate::diag::Ctxt;
use crate::items::{self, Item};
use crate::model::{
    CustomFieldSet, CustomFieldType, EnumDef, FieldPattern, FilterDef, Spec, TypeDef, TypeKind,
    TypeRef,
};

/// The Rust name of the field that holds a record's custom fields, and of the filter builder's
/// method for a condition on one.
pub(crate) const CUSTOM: &str = "custom";

/// Each pattern is a literal prefix followed by one `*`, or an exact name, made of letters,
/// digits and `_`; none is listed twice or covered by another; an exact name is not one of
/// `declared` (a declared field is read as its type says, never kept as a custom field).
pub(super) fn patterns(cx: &mut Ctxt, patterns: &[FieldPattern], declared: &[&str]) {
    let mut usable: Vec<&FieldPattern> = Vec::new();
    for p in patterns {
        let literal = p.prefix().unwrap_or(&p.pattern);
        if literal.is_empty() {
            cx.error(
                &p.path,
                format!("`{}` would keep every key as a custom field", p.pattern),
            )
            .help("start the pattern with the custom fields' prefix, e.g. `UF_*`");
            continue;
        }
        if !literal
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            cx.error(
                &p.path,
                format!("`{}` is not a pattern of custom field names", p.pattern),
            )
            .help("write a prefix followed by one `*` at the end (`UF_CRM_*`), or an exact name (`PARENT_ID_1220`), with letters, digits and `_` only");
            continue;
        }
        if p.prefix().is_none()
            && let Some(field) = declared.iter().find(|d| **d == p.pattern)
        {
            cx.error(
                &p.path,
                format!("`{field}` is a declared field, not a custom one"),
            )
            .help("remove it from `custom_fields`: a declared field is read as its type says");
            continue;
        }
        match usable
            .iter()
            .find(|u| u.pattern == p.pattern || covers(u, p) || covers(p, u))
        {
            Some(other) if other.pattern == p.pattern => {
                cx.error(&p.path, format!("pattern `{}` is listed twice", p.pattern))
                    .help("list each pattern once");
            }
            Some(other) => {
                let (wide, narrow) = if covers(other, p) {
                    (*other, p)
                } else {
                    (p, *other)
                };
                cx.error(
                    &p.path,
                    format!(
                        "`{}` is already covered by `{}`",
                        narrow.pattern, wide.pattern
                    ),
                )
                .help(format!(
                    "every name `{}` matches, `{}` matches too: keep one of them",
                    narrow.pattern, wide.pattern
                ));
            }
            None => usable.push(p),
        }
    }
}

/// Whether every name `narrow` matches, `wide` matches too (and they differ).
fn covers(wide: &FieldPattern, narrow: &FieldPattern) -> bool {
    let Some(prefix) = wide.prefix() else {
        return false;
    };
    match narrow.prefix() {
        Some(narrow) => narrow != prefix && narrow.starts_with(prefix),
        None => wide.matches(&narrow.pattern),
    }
}

/// An object type with `custom_fields`: usable patterns, and no field whose Rust name is
/// `custom`, which holds the custom fields (nor, on an input type, `custom_raw`, the builder's
/// setter of a custom field without a typed key).
pub(super) fn record(cx: &mut Ctxt, t: &TypeDef) {
    if t.custom_fields.is_empty() {
        return;
    }
    let declared: Vec<&str> = t.fields.iter().map(|f| f.wire.as_str()).collect();
    patterns(cx, &t.custom_fields, &declared);
    let raw = format!("{CUSTOM}_raw");
    if let Some(f) = t.fields.iter().find(|f| t.input && f.rust == raw) {
        cx.key_error(
            &f.path,
            format!(
                "field `{}` of `{}` would have the setter `{raw}`, which sets a custom field by name",
                f.wire, t.name
            ),
        )
        .help("set `rust_name:` to another name, e.g. `rust_name: custom_value`");
    }
    if let Some(f) = t.fields.iter().find(|f| f.rust == CUSTOM) {
        cx.key_error(
            &f.path,
            format!(
                "field `{}` of `{}` would be the Rust field `{CUSTOM}`, which holds its custom fields",
                f.wire, t.name
            ),
        )
        .help("set `rust_name:` to another name, e.g. `rust_name: custom_value`");
    }
}

/// A filter with `custom_fields`: usable patterns, and no field whose builder method would be
/// `custom`, the method for conditions on custom fields.
pub(super) fn filter(cx: &mut Ctxt, def: &FilterDef) {
    if def.custom_fields.is_empty() {
        return;
    }
    let declared: Vec<&str> = def.fields.iter().map(|f| f.wire.as_str()).collect();
    patterns(cx, &def.custom_fields, &declared);
    if let Some(f) = def.fields.iter().find(|f| f.rust == CUSTOM) {
        cx.key_error(
            &f.path,
            format!(
                "filter field `{}` would be the method `{CUSTOM}`, which the filter builder already has for custom fields",
                f.wire
            ),
        )
        .help("set `rust_name:` to another name, e.g. `rust_name: custom_value`");
    }
}

/// Checks of the custom field set `file`: its name and its enums' among every item of the
/// shared module (the libraries' types, all sets, the selects of `specs` over library
/// records), and its fields.
pub(crate) fn set(
    cx: &mut Ctxt,
    file: &str,
    types: &[TypeDef],
    enums: &[EnumDef],
    sets: &[CustomFieldSet],
    specs: &[Spec],
) {
    let shared = items::shared(types, enums, sets, specs);
    item_names(cx, file, &shared.iter().collect::<Vec<&Item<'_>>>());
    enums_of(cx, shared.iter().filter(|i| i.file == file));
    let defined: HashSet<&str> = types.iter().map(|t| t.name.as_str()).collect();
    let enum_names: Vec<&str> = enums.iter().map(|e| e.name.as_str()).collect();
    for set in sets.iter().filter(|s| s.file == file) {
        let mut seen: HashMap<&str, &str> = HashMap::new();
        for f in &set.fields {
            if !is_custom_field_name(&f.wire) {
                cx.key_error(
                    &f.path,
                    format!("`{}` is not the name of a custom field", f.wire),
                )
                .help("custom fields are named `UF_…` (`ufCrm…` in `crm.item.*`), or `PARENT_ID_…` (`parentId…`) for links to smart processes; copy the name from the portal's `crm.*.fields` answer");
            }
            if let Some(reason) = snake_name_problem(&f.rust) {
                cx.key_error(
                    &f.path,
                    format!(
                        "custom field `{}` has no usable Rust name{}: {reason}",
                        f.wire,
                        shown(&f.rust)
                    ),
                )
                .help("set `rust_name:` to a snake_case name for it, e.g. `rust_name: budget`");
            } else if let Some(first) = seen.insert(&f.rust, &f.wire) {
                cx.key_error(
                    &f.path,
                    format!(
                        "custom fields `{first}` and `{}` of `{}` both become the Rust name `{}`",
                        f.wire, set.name, f.rust
                    ),
                )
                .help(same_rust_name_help(first, &f.wire, &f.rust));
            }
            if let CustomFieldType::Spec(ty) = &f.ty {
                named_type_exists(cx, &defined, &enum_names, ty);
                field_type(cx, ty, types);
            }
        }
    }
}

/// Whether `name` is spelled like a custom field of a portal: `UF_…`, `ufCrm…` (camelCase, in
/// `crm.item.*`), `PARENT_ID_…` or `parentId…`.
pub fn is_custom_field_name(name: &str) -> bool {
    let after = |prefix: &str| {
        name.strip_prefix(prefix)
            .is_some_and(|rest| !rest.is_empty())
    };
    (after("UF_") || after("PARENT_ID_") || after("parentId") || {
        name.strip_prefix("uf")
            .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase() || c == '_'))
    }) && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A set's field holds one value of a spec type (a list of them is `multiple: true`), without
/// "no value" markers, which custom fields never need.
fn field_type(cx: &mut Ctxt, ty: &TypeRef, types: &[TypeDef]) {
    let problem = match &ty.kind {
        TypeKind::String
        | TypeKind::Integer
        | TypeKind::Number
        | TypeKind::Boolean
        | TypeKind::Yn
        | TypeKind::Id
        | TypeKind::Datetime
        | TypeKind::NaiveDatetime
        | TypeKind::Date
        | TypeKind::Decimal
        | TypeKind::DisplayDatetime
        | TypeKind::Json => None,
        TypeKind::Enum(e) if e.select_of.is_none() => None,
        // An unknown name is reported as such.
        TypeKind::Named(name) if !types.iter().any(|t| t.name == *name) => None,
        TypeKind::Array(_) => Some((
            "a list",
            "write the type of one value and `multiple: true`: `{ type: string, multiple: true }`",
        )),
        TypeKind::Enum(_)
        | TypeKind::Map { .. }
        | TypeKind::Named(_)
        | TypeKind::Filter(_)
        | TypeKind::Order(_) => Some((
            "not a single value",
            "a custom field holds a string, number, yes/no, date, id, enum, `money`, `crm_link` or `file` (or a list of one of them with `multiple: true`); use `json` for anything else",
        )),
    };
    if let Some((what, help)) = problem {
        cx.error(&ty.path, format!("a custom field's type is {what}"))
            .help(help);
    }
    if ty.has_none() {
        cx.error(&ty.path, "a custom field declares a \"no value\" marker")
            .help("remove it: `null`, `false`, `\"\"` and `[]` always read as `None` in custom fields");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::path::KeyPath;

    #[test]
    fn custom_field_names() {
        for name in [
            "UF_CRM_1721244482250",
            "UF_USR_1",
            "ufCrm44_1721812760630",
            "ufCrm_1721244707107",
            "PARENT_ID_1220",
            "parentId1220",
        ] {
            assert!(is_custom_field_name(name), "{name}");
        }
        for name in [
            "TITLE",
            "UF_",
            "uf",
            "ufcrm",
            "PARENT_ID_",
            "UF_CRM 1",
            "~UF_X",
        ] {
            assert!(!is_custom_field_name(name), "{name}");
        }
    }

    fn pattern(p: &str) -> FieldPattern {
        FieldPattern {
            pattern: p.into(),
            path: KeyPath::root(),
        }
    }

    #[test]
    fn coverage() {
        assert!(covers(&pattern("UF_*"), &pattern("UF_CRM_*")));
        assert!(covers(&pattern("UF_*"), &pattern("UF_CRM_1")));
        assert!(!covers(&pattern("UF_CRM_*"), &pattern("UF_*")));
        assert!(!covers(&pattern("UF_*"), &pattern("UF_*")));
        assert!(!covers(&pattern("UF_1"), &pattern("UF_1")));
        assert!(!covers(&pattern("UF_*"), &pattern("PARENT_ID_*")));
        assert!(!covers(&pattern("UF_*"), &pattern("UF_")));
    }
}
