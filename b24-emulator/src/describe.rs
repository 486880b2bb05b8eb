//! The answer of `kind: fields`: the description of a record's fields in the shape
//! `crm.*.fields` documents. The standard fields' part is the spec's example: their titles,
//! CRM types (`crm_status`, `user`, …) and read-only flags are not in the spec's types, so they
//! cannot be derived from them honestly. The custom fields' part is derived from the fixture's
//! definitions of them (`deals_userfields` for `deals`), which say all it shows.

use b24_spec::{Emulation, Spec};
use serde_json::{Map, Value};

use crate::fixture::{Fixture, Record};
use crate::write::userfields;

/// The result of the spec's example, if it has one.
pub(crate) fn example_result(spec: &Spec) -> Option<&Value> {
    spec.example.as_ref()?.response.get("result")
}

/// The description `kind: fields` answers, before it is wrapped: the example's (inside the
/// wrapping object, if the result type has one), with one entry per custom field of the
/// collection added after it.
pub(crate) fn description(spec: &Spec, emu: &Emulation, fixture: &Fixture) -> Value {
    let reply = emu.reply(spec);
    let example = example_result(spec);
    let documented = match reply.as_ref().and_then(|r| r.wrapper()) {
        Some(field) => example.and_then(|e| e.get(field)),
        None => example,
    };
    let mut out = documented
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for definition in userfields(fixture, &emu.collection) {
        if let Some(name) = definition.get("FIELD_NAME").and_then(Value::as_str) {
            out.insert(name.to_owned(), custom_field(definition));
        }
    }
    Value::Object(out)
}

/// One custom field's description from its definition, as the CRM's `*.fields` methods show
/// user fields: the type, `isRequired` from `MANDATORY`, `isMultiple` from `MULTIPLE`, never
/// read-only or immutable, `isDynamic` true; an enumeration's `items`; the labels (the edit
/// form's as the title, the field name when there is none); and `settings`.
fn custom_field(definition: &Record) -> Value {
    let text = |key: &str| definition.get(key).and_then(label);
    let yes = |key: &str| match definition.get(key) {
        Some(Value::String(s)) => s.eq_ignore_ascii_case("Y"),
        Some(Value::Bool(b)) => *b,
        _ => false,
    };
    let name = text("FIELD_NAME").unwrap_or_default();
    let mut out = Map::new();
    out.insert(
        "type".into(),
        Value::String(text("USER_TYPE_ID").unwrap_or_else(|| "string".into())),
    );
    out.insert("isRequired".into(), Value::Bool(yes("MANDATORY")));
    out.insert("isReadOnly".into(), Value::Bool(false));
    out.insert("isImmutable".into(), Value::Bool(false));
    out.insert("isMultiple".into(), Value::Bool(yes("MULTIPLE")));
    out.insert("isDynamic".into(), Value::Bool(true));
    if let Some(Value::Array(list)) = definition.get("LIST") {
        let items = list
            .iter()
            .filter_map(Value::as_object)
            .map(|item| {
                let mut entry = Map::new();
                for key in ["ID", "VALUE"] {
                    entry.insert(key.into(), item.get(key).cloned().unwrap_or(Value::Null));
                }
                Value::Object(entry)
            })
            .collect();
        out.insert("items".into(), Value::Array(items));
    }
    let form = text("EDIT_FORM_LABEL");
    out.insert(
        "title".into(),
        Value::String(form.clone().unwrap_or_else(|| name.clone())),
    );
    for (key, source) in [
        ("listLabel", "LIST_COLUMN_LABEL"),
        ("formLabel", "EDIT_FORM_LABEL"),
        ("filterLabel", "LIST_FILTER_LABEL"),
    ] {
        out.insert(
            key.into(),
            Value::String(text(source).unwrap_or_else(|| name.clone())),
        );
    }
    if let Some(settings) = definition.get("SETTINGS") {
        out.insert("settings".into(), settings.clone());
    }
    Value::Object(out)
}

/// A label: text, or the first text of an object of labels by language (`{"en": "Budget"}`,
/// as `crm.userfield.list` may show them); nothing for empty text.
fn label(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Object(by_language) => by_language
            .get("en")
            .or_else(|| by_language.values().next())
            .and_then(label),
        _ => None,
    }
}

/// A custom-field definition the emulator cannot read: the index and field of the first one
/// without a `FIELD_NAME` or `USER_TYPE_ID` text.
pub(crate) fn bad_definition(definitions: &[Record]) -> Option<(usize, &'static str)> {
    definitions.iter().enumerate().find_map(|(i, d)| {
        ["FIELD_NAME", "USER_TYPE_ID"]
            .into_iter()
            .find(|key| {
                d.get(*key)
                    .and_then(Value::as_str)
                    .is_none_or(str::is_empty)
            })
            .map(|key| (i, key))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn custom_fields_are_described_from_their_definitions() {
        let definition = json!({
            "ID": "101", "ENTITY_ID": "CRM_DEAL", "FIELD_NAME": "UF_CRM_COLOR",
            "USER_TYPE_ID": "enumeration", "MULTIPLE": "N", "MANDATORY": "Y",
            "EDIT_FORM_LABEL": {"en": "Colour"}, "LIST_COLUMN_LABEL": "Colour",
            "LIST_FILTER_LABEL": "", "SETTINGS": {"DISPLAY": "LIST"},
            "LIST": [{"ID": "1", "SORT": "10", "VALUE": "Red", "DEF": "N"}]
        });
        let described = custom_field(definition.as_object().unwrap());
        assert_eq!(
            described,
            json!({
                "type": "enumeration", "isRequired": true, "isReadOnly": false,
                "isImmutable": false, "isMultiple": false, "isDynamic": true,
                "items": [{"ID": "1", "VALUE": "Red"}],
                "title": "Colour", "listLabel": "Colour", "formLabel": "Colour",
                "filterLabel": "UF_CRM_COLOR", "settings": {"DISPLAY": "LIST"}
            })
        );
        let keys: Vec<&String> = described.as_object().unwrap().keys().collect();
        assert_eq!(keys[0], "type", "in the documented order");
        let bad = [json!({"FIELD_NAME": "UF_X"}).as_object().unwrap().clone()];
        assert_eq!(bad_definition(&bad), Some((0, "USER_TYPE_ID")));
    }
}
