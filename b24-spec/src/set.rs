//! Custom field sets: a file of a user's own that names their portal's custom fields and
//! gives each a type (`custom_fields: MyDealFields` at the top, no `method:`).
//!
//! ```yaml
//! custom_fields: MyDealFields
//! doc: Our portal's deal fields
//! fields:
//!   UF_CRM_1721244482250: { type: string, rust_name: greeting, doc: The greeting }
//!   UF_CRM_17: { type: number, rust_name: budget }
//! ```
//!
//! Reading follows the rest of the parser: unknown keys, missing keys and wrong kinds of value
//! are reported and reading goes on. What a set may hold is checked in `check::custom`.

use serde_yaml::Value;

use crate::diag::{Ctxt, did_you_mean};
use crate::model::{CustomFieldDef, CustomFieldSet, CustomFieldType, PRIMITIVES};
use crate::names::{pascal_case, snake_case};
use crate::parse::{
    check_keys, get, key_str, mapping, optional_bool, optional_str, required_str, type_node,
};
use crate::path::KeyPath;

/// Keys at the top of a set file.
const SET_KEYS: &[&str] = &["custom_fields", "doc", "fields"];
/// Keys of one field of a set, next to the keys of its type.
const SET_FIELD_KEYS: &[&str] = &["multiple", "rust_name", "doc"];

/// Whether a document is a custom field set (`custom_fields:` and no `method:`).
pub(crate) fn is_set(root: &Value) -> bool {
    root.as_mapping()
        .is_some_and(|m| get(m, "method").is_none() && get(m, "custom_fields").is_some())
}

/// Reads a custom field set; `None` when it has no usable name.
pub(crate) fn set(cx: &mut Ctxt, file: &str, root: &Value) -> Option<CustomFieldSet> {
    let path = KeyPath::root();
    let map = mapping(cx, root, &path, "a custom field set")?;
    for key in map.keys().filter_map(Value::as_str) {
        if !SET_KEYS.contains(&key) {
            let p = cx.key_error(
                &path.key(key),
                format!("unknown key `{key}` in a custom field set"),
            );
            match did_you_mean(key, SET_KEYS.iter().copied()) {
                Some(s) => p.help(format!("did you mean `{s}`?")),
                None => p.help("a custom field set (a file with `custom_fields:` and no `method:`) holds only `custom_fields`, `doc` and `fields`"),
            };
        }
    }
    let name = required_str(cx, map, &path, "custom_fields");
    let doc = optional_str(cx, map, &path, "doc");
    let fields = match get(map, "fields") {
        Some(v) => fields(cx, v, &path.key("fields"), name.as_deref().unwrap_or("")),
        None => {
            cx.key_error(&path, "missing required key `fields` in the custom field set")
                .help("add `fields:` with each custom field's wire name and type, e.g. `UF_CRM_17: { type: string, rust_name: budget }`");
            Vec::new()
        }
    };
    Some(CustomFieldSet {
        name: name?,
        file: file.to_owned(),
        doc,
        fields,
        path: path.key("custom_fields"),
    })
}

fn fields(cx: &mut Ctxt, v: &Value, path: &KeyPath, set: &str) -> Vec<CustomFieldDef> {
    let Some(map) = mapping(cx, v, path, "`fields`") else {
        return Vec::new();
    };
    if map.is_empty() {
        cx.error(path, format!("the custom field set `{set}` has no fields"))
            .help("list each custom field: its wire name, then `{ type: …, rust_name: … }`");
    }
    let mut out = Vec::new();
    for (key, value) in map {
        let Some(wire) = key_str(cx, key, path) else {
            continue;
        };
        let p = path.key(&wire);
        let own = value.as_mapping();
        let rust = own
            .and_then(|m| optional_str(cx, m, &p, "rust_name"))
            .unwrap_or_else(|| snake_case(&wire));
        let multiple = own
            .and_then(|m| optional_bool(cx, m, &p, "multiple"))
            .unwrap_or(false);
        let doc = own.and_then(|m| optional_str(cx, m, &p, "doc"));
        let (name, name_path) = match value {
            Value::String(name) => (Some(name.as_str()), p.clone()),
            _ => (
                own.and_then(|m| get(m, "type")).and_then(Value::as_str),
                p.key("type"),
            ),
        };
        let ty = match name.and_then(own_kind) {
            Some(kind) => {
                if let Some(m) = own {
                    check_keys(cx, m, &p, &[&["type"], SET_FIELD_KEYS]);
                }
                Some(kind)
            }
            None if name.is_some_and(|n| portal_only(n).is_some()) => {
                let name = name.unwrap_or_default();
                cx.error(
                    &name_path,
                    format!("`{name}` is the portal's name of this custom field type"),
                )
                .help(portal_only(name).unwrap_or_default());
                None
            }
            None if name.is_some_and(|n| {
                n.starts_with(|c: char| c.is_ascii_lowercase()) && !PRIMITIVES.contains(&n)
            }) =>
            {
                let name = name.unwrap_or_default();
                let known = PRIMITIVES
                    .iter()
                    .copied()
                    .chain(CustomFieldType::OWN.iter().map(|(n, _)| *n));
                let p = cx.error(&name_path, format!("unknown custom field type `{name}`"));
                match did_you_mean(name, known) {
                    Some(s) => p.help(format!("did you mean `{s}`?")),
                    None => p.help("use a spec type such as `string`, `integer`, `number`, `boolean`, `date`, `datetime`, `id` or an enum, or `money`, `crm_link`, `file`"),
                };
                None
            }
            None => {
                let default_name = format!("{set}{}", pascal_case(&rust));
                type_node(cx, value, &p, &[SET_FIELD_KEYS], &default_name)
                    .map(|ty| CustomFieldType::Spec(Box::new(ty)))
            }
        };
        if let Some(ty) = ty {
            out.push(CustomFieldDef {
                wire,
                rust,
                ty,
                multiple,
                doc,
                path: p,
            });
        }
    }
    out
}

/// The kind a set spells `name` (`money`, `crm_link`, `file`), if it is one of its own.
fn own_kind(name: &str) -> Option<CustomFieldType> {
    CustomFieldType::OWN
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, kind)| kind.clone())
}

/// For a field type the portal names (`USER_TYPE_ID` of its custom fields, `type` in
/// `crm.*.fields`) that a set does not spell the same way: what to write instead.
fn portal_only(name: &str) -> Option<&'static str> {
    Some(match name {
        "double" => "write `number` (a `double` field holds a number)",
        "enumeration" => {
            "write `id` for the ids of the list's items, or `enum` with the item ids as its `values`"
        }
        "employee" | "user" => "write `id`: the field holds a user's id",
        "iblock_element" | "iblock_section" => "write `id`: the field holds an element's id",
        "crm" => "write `crm_link`: the field holds links such as `D_12`",
        "url" | "address" | "crm_status" => "write `string`",
        _ => return None,
    })
}

/// The set type of a custom field whose `type` the portal gives as `portal` (in
/// `crm.deal.fields` or as `USER_TYPE_ID`): a spec type (`string`, `integer`, `number`,
/// `boolean`, `date`, `datetime`, `id`, `json`) or a set's own (`money`, `crm_link`, `file`).
/// Types of unknown shape (an application's own, `video`, …) are `json`.
pub fn custom_field_type(portal: &str) -> &'static str {
    match portal {
        "string" | "url" | "address" | "crm_status" => "string",
        "integer" => "integer",
        "double" => "number",
        "boolean" => "boolean",
        "date" => "date",
        "datetime" => "datetime",
        "enumeration" | "employee" | "user" | "iblock_element" | "iblock_section"
        | "crm_entity" => "id",
        "crm" => "crm_link",
        "money" => "money",
        "file" => "file",
        _ => "json",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mapped_type_is_one_a_set_reads() {
        for portal in [
            "string",
            "integer",
            "double",
            "boolean",
            "date",
            "datetime",
            "enumeration",
            "employee",
            "crm",
            "crm_status",
            "money",
            "url",
            "address",
            "file",
            "iblock_element",
            "video",
        ] {
            let ty = custom_field_type(portal);
            assert!(
                PRIMITIVES.contains(&ty) || own_kind(ty).is_some(),
                "{portal} → {ty}"
            );
            assert!(portal_only(ty).is_none(), "{portal} → {ty}");
        }
    }
}
