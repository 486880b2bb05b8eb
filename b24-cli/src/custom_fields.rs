//! `b24 spec custom-fields crm.deal`: a portal's custom fields of one kind of record, from its
//! `crm.deal.fields` answer, as a custom field set file (`custom_fields: DealCustomFields`)
//! that `generate!` turns into typed fields.

use std::collections::HashSet;

use b24_spec::names::{pascal_case, snake_case};
use b24_spec::{custom_field_type, is_custom_field_name};
use clap::{Arg, ArgMatches, Command};
use serde_json::{Map, Value};

use crate::exit::{Exit, Failure};
use crate::portal::Portal;

/// The `custom-fields` subcommand of `spec`.
pub fn command() -> Command {
    Command::new("custom-fields")
        .about("Write a custom field set for a portal's custom fields of one kind of record")
        .long_about(
            "Ask the portal for its fields of one kind of record (ENTITY.fields, such as \
             crm.deal.fields) and print a custom field set with every custom field of the \
             answer (UF_…, PARENT_ID_…), typed from the field's type and isMultiple, named \
             after its label. Save it among your specs and `generate!` makes a struct with a \
             typed value per field: `b24 spec custom-fields crm.deal > specs/my-portal/deal.yaml`.\n\n\
             The portal is the one of the environment (B24_WEBHOOK_URL, …), or, without it, \
             the built-in emulator with the specs of --specs.",
        )
        .arg(
            Arg::new("entity")
                .value_name("ENTITY")
                .required(true)
                .help("The kind of record: crm.deal, crm.contact, crm.item, …; its `.fields` method is called"),
        )
        .arg(
            Arg::new("name")
                .long("name")
                .value_name("NAME")
                .help("Rust name of the set, PascalCase [default: the entity's, such as DealCustomFields]"),
        )
        .arg(
            Arg::new("entity-type-id")
                .long("entity-type-id")
                .value_name("ID")
                .value_parser(clap::value_parser!(u64))
                .help("entityTypeId to send (crm.item.fields needs it: 2 for deals, the smart process's id, …)"),
        )
}

/// Runs `b24 spec custom-fields …`; `extra` are the `--specs` the built-in emulator serves.
pub async fn run(matches: &ArgMatches, extra: &[b24_spec::Spec]) -> Result<String, Failure> {
    let entity = matches
        .get_one::<String>("entity")
        .map(String::as_str)
        .unwrap_or_default();
    let method = if entity.ends_with(".fields") {
        entity.to_owned()
    } else {
        format!("{entity}.fields")
    };
    let entity = method.trim_end_matches(".fields");
    let name = match matches.get_one::<String>("name") {
        Some(name) => name.clone(),
        None => format!(
            "{}CustomFields",
            pascal_case(entity.rsplit('.').next().unwrap_or(entity))
        ),
    };
    let mut params = Map::new();
    if let Some(id) = matches.get_one::<u64>("entity-type-id") {
        params.insert("entityTypeId".into(), Value::from(*id));
    }
    let portal = Portal::connect(extra).await?;
    let answer = portal
        .client
        .call_raw_read_only(&method, params)
        .await
        .map(|response| response.result)
        .map_err(|e| {
            let mut failure = Failure::from(e);
            failure.message = format!("`{method}`: {}", failure.message);
            failure
        });
    portal.close().await;
    set_file(&method, &name, &answer?)
}

/// The set file for the custom fields of `method`'s answer `result`.
pub fn set_file(method: &str, name: &str, result: &Value) -> Result<String, Failure> {
    // `crm.item.fields` wraps the fields in `{"fields": {…}}`.
    let fields = match result.get("fields") {
        Some(Value::Object(inner)) if inner.values().all(Value::is_object) => inner,
        _ => result.as_object().ok_or_else(|| {
            Failure::transport(format!(
                "the answer of `{method}` is not an object of field descriptions"
            ))
        })?,
    };
    let custom: Vec<(&String, &Map<String, Value>)> = fields
        .iter()
        .filter(|(wire, _)| is_custom_field_name(wire))
        .filter_map(|(wire, d)| d.as_object().map(|d| (wire, d)))
        .collect();
    if custom.is_empty() {
        return Err(Failure {
            exit: Exit::Failed,
            message: format!("the answer of `{method}` lists no custom field (UF_…, PARENT_ID_…)"),
        });
    }
    let mut out = format!(
        "# The portal's custom fields from its `{method}` answer (`b24 spec custom-fields`).\n\
         # Rename a field with `rust_name`, change a type, or leave fields out: this file is yours.\n\
         custom_fields: {name}\n\
         doc: {}\n\
         fields:\n",
        quoted(&format!("Custom fields of `{method}` on our portal"))
    );
    let mut names: HashSet<String> = HashSet::new();
    for (wire, description) in custom {
        out.push_str(&field_line(wire, description, &mut names));
    }
    // What we print must load: a mistake here is a bug, not the user's.
    let file = "custom_fields.yaml";
    b24_spec::load_sources(&[(file, out.as_str())]).map_err(|diagnostics| {
        let lines: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
        Failure::transport(format!(
            "the set made from the answer of `{method}` does not load:\n{}",
            lines.join("\n")
        ))
    })?;
    Ok(out)
}

/// One field of the set: its type from the description's `type` (enumerations with their
/// items as values), `multiple` from `isMultiple`, its Rust name and doc from its label.
fn field_line(wire: &str, d: &Map<String, Value>, names: &mut HashSet<String>) -> String {
    let text = |key: &str| {
        d.get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.trim().is_empty())
    };
    let label = text("listLabel")
        .or_else(|| text("formLabel"))
        .or_else(|| text("title"))
        .filter(|l| *l != wire);
    let portal_type = text("type").unwrap_or("json");
    let mut parts = Vec::new();
    match (portal_type, d.get("items").and_then(Value::as_array)) {
        ("enumeration", Some(items)) if !items.is_empty() => {
            parts.push("type: enum".to_owned());
            parts.push(format!("values: {}", enum_values(items)));
        }
        (portal, _) => parts.push(format!("type: {}", custom_field_type(portal))),
    }
    if d.get("isMultiple") == Some(&Value::Bool(true)) {
        parts.push("multiple: true".to_owned());
    }
    let from_label = label
        .map(snake_case)
        .filter(|n| usable(n) && !names.contains(n));
    let rust = match from_label {
        Some(n) => n,
        None => {
            let mut n = snake_case(wire);
            while names.contains(&n) {
                n.push_str("_2");
            }
            n
        }
    };
    names.insert(rust.clone());
    parts.push(format!("rust_name: {rust}"));
    let doc = match label {
        Some(label) => format!("{label} ({portal_type})"),
        None => format!("A custom field ({portal_type})"),
    };
    parts.push(format!("doc: {}", quoted(&doc)));
    format!("  {}: {{ {} }}\n", quoted(wire), parts.join(", "))
}

/// `{ "79": list_item_1, … }`: each item's id with a variant name from its text, or
/// `item_79` where the text gives none (or one already taken).
fn enum_values(items: &[Value]) -> String {
    let mut taken: HashSet<String> = HashSet::new();
    let mut out = Vec::new();
    for item in items {
        let id = match item.get("ID") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => continue,
        };
        let from_text = item
            .get("VALUE")
            .and_then(Value::as_str)
            .map(snake_case)
            .filter(|n| usable(n) && n != "unknown" && !taken.contains(n));
        let variant = from_text.unwrap_or_else(|| format!("item_{id}"));
        taken.insert(variant.clone());
        out.push(format!("{}: {variant}", quoted(&id)));
    }
    format!("{{ {} }}", out.join(", "))
}

/// Whether `name` is a snake_case Rust name the set accepts.
fn usable(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !["self", "crate", "super", "Self"].contains(&name)
}

/// A YAML double-quoted scalar (JSON's string syntax is one).
fn quoted(text: &str) -> String {
    Value::from(text).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn custom_fields_of_an_answer_become_a_set() {
        let answer = json!({
            "ID": {"type": "integer", "isMultiple": false, "isDynamic": false, "title": "ID"},
            "UF_CRM_1": {"type": "string", "isMultiple": false, "isDynamic": true,
                         "title": "UF_CRM_1", "listLabel": "Greeting"},
            "UF_CRM_2": {"type": "double", "isMultiple": false, "isDynamic": true,
                         "listLabel": "Бюджет"},
            "UF_CRM_3": {"type": "enumeration", "isMultiple": true, "isDynamic": true,
                         "listLabel": "Colour", "items": [
                             {"ID": "45", "VALUE": "Red"}, {"ID": "46", "VALUE": "Красный"},
                             {"ID": "47", "VALUE": "red"}]},
            "UF_CRM_4": {"type": "money", "isDynamic": true, "listLabel": "Greeting"},
            "UF_CRM_5": {"type": "crm", "isMultiple": true, "isDynamic": true},
            "UF_CRM_6": {"type": "my_app_type", "isDynamic": true, "listLabel": "Self"},
            "PARENT_ID_1220": {"type": "crm_entity", "isDynamic": false, "title": "Project"}
        });
        let file = set_file("crm.deal.fields", "DealCustomFields", &answer).unwrap();
        let expected = r#"custom_fields: DealCustomFields
doc: "Custom fields of `crm.deal.fields` on our portal"
fields:
  "UF_CRM_1": { type: string, rust_name: greeting, doc: "Greeting (string)" }
  "UF_CRM_2": { type: number, rust_name: uf_crm_2, doc: "Бюджет (double)" }
  "UF_CRM_3": { type: enum, values: { "45": red, "46": item_46, "47": item_47 }, multiple: true, rust_name: colour, doc: "Colour (enumeration)" }
  "UF_CRM_4": { type: money, rust_name: uf_crm_4, doc: "Greeting (money)" }
  "UF_CRM_5": { type: crm_link, multiple: true, rust_name: uf_crm_5, doc: "A custom field (crm)" }
  "UF_CRM_6": { type: json, rust_name: uf_crm_6, doc: "Self (my_app_type)" }
  "PARENT_ID_1220": { type: id, rust_name: project, doc: "Project (crm_entity)" }
"#;
        assert!(file.ends_with(expected), "{file}");
        assert!(file.starts_with("# The portal's custom fields"), "{file}");
    }

    #[test]
    fn crm_item_answers_are_wrapped_and_camel_case() {
        let answer = json!({"fields": {
            "id": {"type": "integer"},
            "ufCrm44_1721812760630": {"type": "string", "isDynamic": true, "title": "Note"},
            "parentId1220": {"type": "crm_entity", "title": "Project"}
        }});
        let file = set_file("crm.item.fields", "ItemFields", &answer).unwrap();
        assert!(
            file.contains(r#""ufCrm44_1721812760630": { type: string, rust_name: note"#),
            "{file}"
        );
        assert!(
            file.contains(r#""parentId1220": { type: id, rust_name: project"#),
            "{file}"
        );
    }

    #[test]
    fn an_answer_without_custom_fields_is_an_error() {
        let e = set_file("crm.deal.fields", "X", &json!({"ID": {"type": "integer"}})).unwrap_err();
        assert_eq!(e.exit, Exit::Failed);
        assert!(e.message.contains("lists no custom field"), "{}", e.message);
        let e = set_file("crm.deal.fields", "X", &json!([])).unwrap_err();
        assert_eq!(e.exit, Exit::Transport);
    }
}
