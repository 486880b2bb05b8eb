//! Type expressions: named types defined, filters, selects and orders only where a request
//! sends them, filter fields of one value, no type that contains itself.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::names::same_rust_name_help;
use super::{shown, snake_name_problem};
use crate::diag::{Ctxt, did_you_mean};
use crate::model::{FilterDef, FilterField, Spec, TypeDef, TypeKind, TypeRef};
use crate::path::KeyPath;
use crate::walk::Place;

/// A named type must be defined, under the spec's `types:` or in a type library (where a
/// named enum is resolved before the checks, so `enums` only serve suggestions), and so must
/// the record a select names; anywhere inside `ty`.
pub(super) fn named_type_exists(
    cx: &mut Ctxt,
    defined: &HashSet<&str>,
    enums: &[&str],
    ty: &TypeRef,
) {
    for ty in ty.walk() {
        if let TypeKind::Enum(e) = &ty.kind
            && let Some(of) = &e.select_of
            && !defined.contains(of.as_str())
            && !cx.library_not_loaded(&ty.path, "unknown record type", of)
        {
            let p = cx.error(&ty.path, format!("unknown record type `{of}`"));
            match did_you_mean(of, defined.iter().copied()) {
                Some(s) => p.help(format!("did you mean `{s}`?")),
                None => p.help("`of:` names an object type under `types:` or in a type library"),
            };
        }
        if let TypeKind::Named(name) = &ty.kind
            && !defined.contains(name.as_str())
        {
            if cx.library_not_loaded(&ty.path, "unknown type", name) {
                continue;
            }
            let p = cx.error(&ty.path, format!("unknown type `{name}`"));
            let known = defined.iter().chain(enums).copied();
            match did_you_mean(name, known.chain(crate::model::PRIMITIVES.iter().copied())) {
                Some(s) => p.help(format!("did you mean `{s}`?")),
                None => p.help(
                    "define it under `types:` (or in a type library such as `specs/types/im.yaml`), or use a built-in type such as `string`",
                ),
            };
        }
    }
}

/// Every named type must be defined in `types:` or a type library; filters and selects are
/// whole parameters.
pub(super) fn references(cx: &mut Ctxt, spec: &Spec) {
    let defined: HashSet<&str> = spec
        .types
        .iter()
        .chain(&spec.shared_types)
        .map(|t| t.name.as_str())
        .collect();
    let enums: Vec<&str> = spec.shared_enums.iter().map(|e| e.name.as_str()).collect();
    for (place, ty) in spec.type_roots() {
        named_type_exists(cx, &defined, &enums, ty);
        match place {
            // Which object types a parameter may hold: `inputs::input_and_output_types`.
            Place::Param(_) => {}
            Place::Field(..) => parameter_only_types(cx, ty, "a field"),
            Place::Result(_) => parameter_only_types(cx, ty, "`result`"),
        }
    }
}

/// `filter`, `select` and `order` describe what a request sends: `ty` (written at `place`) may
/// not use them anywhere.
pub(super) fn parameter_only_types(cx: &mut Ctxt, ty: &TypeRef, place: &str) {
    for ty in ty.walk() {
        parameter_only(cx, ty, place, false);
    }
}

/// Reports `ty` if it is a filter, a select or an order, which only a whole parameter may be;
/// `in_param` when `ty` is part of one.
pub(super) fn parameter_only(cx: &mut Ctxt, ty: &TypeRef, place: &str, in_param: bool) {
    let help = |kind: &str| {
        if in_param {
            format!(
                "`type: {kind}` describes a whole parameter: declare it directly under `params:`"
            )
        } else {
            format!("`type: {kind}` describes a request parameter; use it under `params:`")
        }
    };
    match &ty.kind {
        TypeKind::Filter(_) => {
            cx.error(&ty.path, format!("{place} cannot be a `filter`"))
                .help(help("filter"));
        }
        TypeKind::Array(items) if is_select(items) => {
            cx.error(&ty.path, format!("{place} cannot be a `select`"))
                .help(help("select"));
        }
        TypeKind::Order(_) => {
            cx.error(&ty.path, format!("{place} cannot be an `order`"))
                .help(help("order"));
        }
        TypeKind::String
        | TypeKind::Integer
        | TypeKind::Number
        | TypeKind::Decimal
        | TypeKind::Boolean
        | TypeKind::Yn
        | TypeKind::Id
        | TypeKind::Datetime
        | TypeKind::NaiveDatetime
        | TypeKind::DisplayDatetime
        | TypeKind::Date
        | TypeKind::Json
        | TypeKind::Array(_)
        | TypeKind::Map { .. }
        | TypeKind::Enum(_)
        | TypeKind::Named(_) => {}
    }
}

/// The items of a `select`: the enum of a record's field names.
pub(super) fn is_select(items: &TypeRef) -> bool {
    matches!(&items.kind, TypeKind::Enum(e) if e.select_of.is_some())
}

/// Filters and selects: whole parameters only (not inside one), with usable field names and
/// scalar field types.
pub(super) fn filters_and_selects(cx: &mut Ctxt, spec: &Spec) {
    for p in &spec.params {
        if let TypeKind::Filter(filter) = &p.ty.kind {
            filter_fields(cx, spec, filter);
            super::custom::filter(cx, filter);
        }
        for parent in p.ty.walk() {
            let place = match &parent.kind {
                TypeKind::Array(_) => "an array item",
                TypeKind::Map { .. } => "a map value",
                // Its fields must be single values, which `filter_fields` checks; an order's
                // child is the enum of its record's field names.
                TypeKind::Filter(_) | TypeKind::Order(_) => continue,
                TypeKind::String
                | TypeKind::Integer
                | TypeKind::Number
                | TypeKind::Decimal
                | TypeKind::Boolean
                | TypeKind::Yn
                | TypeKind::Id
                | TypeKind::Datetime
                | TypeKind::NaiveDatetime
                | TypeKind::DisplayDatetime
                | TypeKind::Date
                | TypeKind::Json
                | TypeKind::Enum(_)
                | TypeKind::Named(_) => continue,
            };
            for child in parent.children() {
                parameter_only(cx, child, place, true);
            }
        }
    }
}

pub(super) fn filter_fields(cx: &mut Ctxt, spec: &Spec, filter: &FilterDef) {
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for f in &filter.fields {
        if !f
            .wire
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            cx.key_error(
                &f.path,
                format!("filter field `{}` is not a plain field name", f.wire),
            )
            .help("write the field without an operator (`ID`, not `>=ID`); `operators:` lists the prefixes the method accepts");
            continue;
        }
        if let Some(reason) = snake_name_problem(&f.rust) {
            cx.key_error(
                &f.path,
                format!(
                    "filter field `{}` has no usable Rust name{}: {reason}",
                    f.wire,
                    shown(&f.rust)
                ),
            )
            .help("set `rust_name:` to a snake_case name for it, e.g. `rust_name: first_name`");
        } else if f.rust == "new" {
            cx.key_error(
                &f.path,
                format!("filter field `{}` would be the method `new`, which the filter builder already has", f.wire),
            )
            .help("set `rust_name:` to another name, e.g. `rust_name: new_value`");
        } else if let Some(first) = seen.insert(&f.rust, &f.wire) {
            cx.key_error(
                &f.path,
                format!(
                    "filter fields `{first}` and `{}` both become the Rust name `{}`",
                    f.wire, f.rust
                ),
            )
            .help(same_rust_name_help(first, &f.wire, &f.rust));
        }
        let scalar = match &f.ty.kind {
            TypeKind::Enum(e) => e.select_of.is_none(),
            // An unknown name is reported as such; what kind of type it is, is unknown.
            TypeKind::Named(n) if spec.find_type(n).is_none() => true,
            TypeKind::String
            | TypeKind::Integer
            | TypeKind::Number
            | TypeKind::Decimal
            | TypeKind::Boolean
            | TypeKind::Yn
            | TypeKind::Id
            | TypeKind::Datetime
            | TypeKind::NaiveDatetime
            | TypeKind::DisplayDatetime
            | TypeKind::Date => true,
            TypeKind::Array(_)
            | TypeKind::Map { .. }
            | TypeKind::Json
            | TypeKind::Named(_)
            | TypeKind::Filter(_)
            | TypeKind::Order(_) => false,
        };
        if !scalar {
            cx.error(
                &f.ty.path,
                format!("filter field `{}` must have a single-value type", f.wire),
            )
            .help("use a scalar type such as `id`, `string`, `date` or an enum; `@` and `!@` already take a list of it");
        }
        if f.ty.has_none() {
            cx.error(
                &f.ty.path,
                format!(
                    "filter field `{}` uses `or_false`, `or_empty` or `nullable`",
                    f.wire
                ),
            )
            .help("those describe response quirks; remove them");
        }
        if filter.logic {
            group_keys(cx, f);
        }
    }
}

/// In a filter with nested groups (`logic: true`), the key `logic` says how a group combines
/// its members and integer keys hold groups, so no field may be named either way; and the
/// builder has the methods `any_of` and `all_of` and the field `groups`.
fn group_keys(cx: &mut Ctxt, f: &FilterField) {
    let help = "with `logic: true`, the key `logic` and integer keys belong to nested groups; remove `logic: true`, or this field";
    if f.wire.eq_ignore_ascii_case("logic") {
        cx.key_error(
            &f.path,
            format!(
                "filter field `{}` would be read as the `logic` key of a group",
                f.wire
            ),
        )
        .help(help);
    } else if f.wire.bytes().all(|b| b.is_ascii_digit()) {
        cx.key_error(
            &f.path,
            format!(
                "filter field `{}` would be read as the index of a nested group",
                f.wire
            ),
        )
        .help(help);
    } else if ["any_of", "all_of", "groups"].contains(&f.rust.as_str()) {
        cx.key_error(
            &f.path,
            format!(
                "filter field `{}` would be `{}`, which a filter with `logic: true` already has for its groups",
                f.wire, f.rust
            ),
        )
        .help(format!(
            "set `rust_name:` to another name, e.g. `rust_name: {}_field`",
            f.rust
        ));
    }
}

/// A type that contains itself without an array in between would be infinitely large.
pub(super) fn cycles(cx: &mut Ctxt, spec: &Spec) {
    let own: Vec<&TypeDef> = spec.types.iter().collect();
    let all: Vec<&TypeDef> = spec.types.iter().chain(&spec.shared_types).collect();
    cycles_in(cx, &own, &all);
}

/// Reports cycles that start at one of `starts`, following fields through `all`.
pub(super) fn cycles_in(cx: &mut Ctxt, starts: &[&TypeDef], all: &[&TypeDef]) {
    let edges: BTreeMap<&str, Vec<(&str, &KeyPath)>> = all
        .iter()
        .map(|t| {
            let direct = t
                .fields
                .iter()
                .filter_map(|f| contained(&f.ty).map(|n| (n, &f.ty.path)))
                .collect();
            (t.name.as_str(), direct)
        })
        .collect();
    let mut reported = HashSet::new();
    for start in starts.iter().map(|t| t.name.as_str()) {
        let mut stack = vec![(start, vec![start])];
        let mut visited = HashSet::new();
        while let Some((node, trail)) = stack.pop() {
            for (next, path) in edges.get(node).into_iter().flatten() {
                if *next == start {
                    let mut members = trail.clone();
                    members.sort();
                    if reported.insert(members) {
                        let cycle = trail
                            .iter()
                            .copied()
                            .chain([start])
                            .collect::<Vec<_>>()
                            .join(" -> ");
                        cx.error(
                            path,
                            format!("types form a cycle and would be infinitely large: {cycle}"),
                        )
                        .help("make one of the links an array, or break the cycle with `json`");
                    }
                } else if visited.insert(*next) {
                    let mut t = trail.clone();
                    t.push(next);
                    stack.push((next, t));
                }
            }
        }
    }
}

/// The object type a value of `ty` holds inline, making the holder at least as large: a named
/// type itself, not one behind the heap allocation of a list or a map.
pub(super) fn contained(ty: &TypeRef) -> Option<&str> {
    match &ty.kind {
        TypeKind::Named(name) => Some(name),
        TypeKind::Array(_) | TypeKind::Map { .. } => None,
        TypeKind::String
        | TypeKind::Integer
        | TypeKind::Number
        | TypeKind::Decimal
        | TypeKind::Boolean
        | TypeKind::Yn
        | TypeKind::Id
        | TypeKind::Datetime
        | TypeKind::NaiveDatetime
        | TypeKind::DisplayDatetime
        | TypeKind::Date
        | TypeKind::Json
        | TypeKind::Enum(_)
        | TypeKind::Filter(_)
        | TypeKind::Order(_) => None,
    }
}
