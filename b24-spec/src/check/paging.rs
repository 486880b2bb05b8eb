//! `paged: { items, id, by_id }`: where a list method's records are, which field tells them
//! apart, and how the method pages by id.

use crate::conform::{self, Mode};
use crate::diag::{Ctxt, did_you_mean};
use crate::model::{FilterOp, Spec, TypeDef, TypeKind, TypeRef};

/// The rules of the `paged:` mapping:
/// - `items` names a field of the result's object type, and that field is an `array`;
/// - `id` names a field of the record type (an object type) of type `id` or `integer`;
/// - `by_id` needs `id`; its `filter` is a `filter` parameter with a field of the id's name
///   that accepts `>`; its `order` sets declared parameters to values they accept.
pub(super) fn paging(cx: &mut Ctxt, spec: &Spec) {
    let paging = &spec.paging;
    if let Some(items) = &paging.items {
        items_field(cx, spec, items);
    }
    let record = if paging.items.is_some() {
        spec.record_type()
    } else {
        match &spec.result.ty.kind {
            TypeKind::Array(items) => Some(items.as_ref()),
            _ => None,
        }
    };
    if let (Some(id), Some(record)) = (&paging.id, record) {
        id_field(cx, spec, id, record);
    }
    if let Some(by_id) = &paging.by_id {
        let Some(id) = &paging.id else {
            cx.key_error(
                &by_id.path,
                "paging by id needs `id`: the field of a record that holds its id",
            )
            .help("add `id: ID` (the record's id field) beside `by_id`");
            return;
        };
        filter(cx, spec, &by_id.filter, id, &by_id.path.key("filter"));
        order(cx, spec, &by_id.order, &by_id.path.key("order"));
    }
}

/// `items: F`: the result is an object type with an `array` field `F`.
fn items_field(cx: &mut Ctxt, spec: &Spec, items: &str) {
    let at = spec.paging.path.key("items");
    let TypeKind::Named(name) = &spec.result.ty.kind else {
        cx.error(
            &at,
            "`items` names the result's field that holds the records, but `result` is not an object type",
        )
        .help("declare `result` as an object type with the list in a field, or remove `items` when the result is the list itself");
        return;
    };
    // An unknown type is reported where it is named.
    let Some(def) = spec.find_type(name) else {
        return;
    };
    match def.fields.iter().find(|f| f.wire == items) {
        None => {
            let p = cx.error(
                &at,
                format!("the result type `{name}` has no field `{items}`"),
            );
            hint_field(p, def, items);
        }
        Some(f) if !matches!(f.ty.kind, TypeKind::Array(_)) => {
            cx.error(
                &at,
                format!("field `{items}` of `{name}` does not hold a list: it is not an `array`"),
            )
            .help("name the field whose `type` is `array`, or declare that field as one");
        }
        Some(_) => {}
    }
}

/// `id: F`: the record is an object type with a field `F` of type `id` or `integer`.
fn id_field(cx: &mut Ctxt, spec: &Spec, id: &str, record: &TypeRef) {
    let at = spec.paging.path.key("id");
    let TypeKind::Named(name) = &record.kind else {
        cx.error(
            &at,
            "`id` names the field of a record that holds its id, but the records are not objects of a named type",
        )
        .help("declare the list's `items` as an object type under `types:`, or remove `id`");
        return;
    };
    let Some(def) = spec.find_type(name) else {
        return;
    };
    if record.has_none() {
        cx.error(
            &at,
            "`id` needs every record to be an object, but the list's `items` may be \"no value\"",
        )
        .help("remove the \"no value\" markers (`or_false`, …) from the list's `items`, or remove `id`");
        return;
    }
    match def.fields.iter().find(|f| f.wire == id) {
        None => {
            let p = cx.error(&at, format!("the record type `{name}` has no field `{id}`"));
            hint_field(p, def, id);
        }
        Some(f) if !matches!(f.ty.kind, TypeKind::Id | TypeKind::Integer) => {
            cx.error(
                &at,
                format!("field `{id}` of `{name}` is not an `id` or an `integer`"),
            )
            .help("name the field that holds the record's numeric id");
        }
        Some(_) => {}
    }
}

fn hint_field(p: &mut crate::diag::Problem, def: &TypeDef, name: &str) {
    match did_you_mean(name, def.fields.iter().map(|f| f.wire.as_str())) {
        Some(s) => p.help(format!("did you mean `{s}`?")),
        None => p.help(format!(
            "name one of its fields: {}",
            def.fields
                .iter()
                .map(|f| format!("`{}`", f.wire))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    };
}

/// `filter: P`: a `filter` parameter with a field named like the id (in any case) that
/// accepts `>`.
fn filter(cx: &mut Ctxt, spec: &Spec, param: &str, id: &str, at: &crate::path::KeyPath) {
    let Some(p) = spec.params.iter().find(|p| p.wire == param) else {
        let e = cx.error(at, format!("`{param}` is not a declared parameter"));
        match did_you_mean(param, spec.params.iter().map(|p| p.wire.as_str())) {
            Some(s) => e.help(format!("did you mean `{s}`?")),
            None => e.help("name the method's `type: filter` parameter"),
        };
        return;
    };
    let TypeKind::Filter(def) = &p.ty.kind else {
        cx.error(at, format!("parameter `{param}` is not a `filter`"))
            .help("name the method's `type: filter` parameter, which takes the `>ID` condition");
        return;
    };
    match def.fields.iter().find(|f| f.wire.eq_ignore_ascii_case(id)) {
        None => {
            cx.error(
                at,
                format!("filter `{param}` has no field `{id}`, so it cannot ask for ids above the last one"),
            )
            .help(format!("declare `{id}` among the filter's `fields`, or remove `by_id`"));
        }
        Some(f) if !def.accepts(FilterOp::Gt) => {
            cx.error(
                at,
                format!(
                    "filter `{param}` does not accept `>`, so it cannot ask for `>{}`",
                    f.wire
                ),
            )
            .help("add `\">\"` to the filter's `operators`, or remove `by_id`");
        }
        Some(_) => {}
    }
}

/// `order: { P: value, … }`: declared parameters, each set to a value it accepts.
fn order(
    cx: &mut Ctxt,
    spec: &Spec,
    order: &[(String, serde_json::Value)],
    at: &crate::path::KeyPath,
) {
    if order.is_empty() {
        cx.error(at, "`order` sets no parameter")
            .help("set the parameters that order the list by ascending id, e.g. `{ SORT: ID, ORDER: ASC }`");
    }
    for (name, value) in order {
        let key = at.key(name);
        let Some(p) = spec.params.iter().find(|p| &p.wire == name) else {
            let e = cx.key_error(&key, format!("`{name}` is not a declared parameter"));
            match did_you_mean(name, spec.params.iter().map(|p| p.wire.as_str())) {
                Some(s) => e.help(format!("did you mean `{s}`?")),
                None => e.help("name the parameters that choose the list's order"),
            };
            continue;
        };
        if let Err(e) = conform::check(spec, &p.ty, value, Mode::Request) {
            cx.error(
                &key,
                format!(
                    "the value of `{name}` does not fit the parameter: {}",
                    e.message
                ),
            )
            .help("write the value the request sends to order by ascending id");
        }
    }
}
