//! Method subcommands built from specs at run time: one flag per parameter, parsed by the
//! parameter's spec type and encoded the way the wire expects.

use b24_spec::conform::{self, Mode};
use b24_spec::{FilterDef, OrderDef, Param, Spec, TypeKind, TypeRef};
use clap::builder::ValueParser;
use clap::{Arg, ArgAction, ArgGroup, ArgMatches, Command};
use serde_json::{Map, Value};

/// Flag names clap or the CLI already use; a parameter with such a name gets a `param-` prefix.
const RESERVED: &[&str] = &["help", "version", ALL, PRETTY, COMPACT];

/// `--all`: every page of a list method.
pub const ALL: &str = "all";
/// `--pretty`: indented JSON even when stdout is not a terminal.
pub const PRETTY: &str = "pretty";
/// `--compact`: one-line JSON even on a terminal.
pub const COMPACT: &str = "compact";

/// The subcommand for one method: `b24 im.user.get --id 5 --avatar-hr Y`.
pub fn command(spec: &Spec) -> Command {
    let mut cmd = Command::new(spec.method.clone())
        .about(spec.summary.clone())
        .long_about(long_about(spec));
    for param in &spec.params {
        let arg = Arg::new(arg_id(param))
            .long(flag(param))
            .value_name(value_name(&param.ty))
            .help(help(spec, param))
            .required(param.required)
            .allow_negative_numbers(matches!(
                param.ty.kind,
                TypeKind::Integer | TypeKind::Number | TypeKind::Id
            ));
        cmd = cmd.arg(match &param.ty.kind {
            // Repeated `--filter '>=ID=5' --filter '%NAME=Jo'`, or one JSON object.
            TypeKind::Filter(_) => arg
                .action(ArgAction::Append)
                .value_parser(filter_parser(spec, param)),
            // `--select ID,NAME` or `--select '["ID", "NAME"]'`, checked against the record.
            TypeKind::Array(items) if is_select(items) => arg
                .value_name("FIELDS")
                .value_parser(select_parser(spec, param)),
            // `--order TITLE:asc,ID:desc` or `--order '{"TITLE": "ASC"}'` (or `--order desc`).
            TypeKind::Order(_) => arg.value_parser(order_parser(spec, param)),
            // Input objects, alone or in lists and maps: JSON, checked against their types.
            _ if has_object(&param.ty) => arg.value_parser(object_parser(spec, param)),
            _ => arg.value_parser(parser(&param.ty)),
        });
    }
    // `one_of_required`: clap refuses a call without a flag of each group (exit code 2).
    for (i, group) in spec.one_of_required.iter().enumerate() {
        let ids: Vec<String> = group
            .names()
            .filter_map(|name| spec.params.iter().find(|p| p.wire == name))
            .map(arg_id)
            .collect();
        cmd = cmd.group(
            ArgGroup::new(format!("one_of_required:{i}"))
                .args(ids)
                .multiple(true)
                .required(true),
        );
    }
    cmd.args(output_args(spec))
}

/// The CLI's own flags on every method subcommand: output format, and `--all` for list methods.
fn output_args(spec: &Spec) -> Vec<Arg> {
    let all = Arg::new(ALL).long(ALL).action(ArgAction::SetTrue);
    let all = match start_param(spec) {
        Some(start) if spec.paged => all.conflicts_with(arg_id(start)).help(
            "Fetch every page (50 records each, following `next`) and print one JSON array \
                 of all records; a progress bar on stderr when it is a terminal",
        ),
        // Refused with a usage error that says why, rather than as an unknown flag.
        _ => all.hide(true),
    };
    vec![
        all,
        Arg::new(PRETTY)
            .long(PRETTY)
            .action(ArgAction::SetTrue)
            .overrides_with(COMPACT)
            .help("Print indented JSON (the default when standard output is a terminal)"),
        Arg::new(COMPACT)
            .long(COMPACT)
            .action(ArgAction::SetTrue)
            .overrides_with(PRETTY)
            .help("Print JSON on one line (the default when standard output is not a terminal)"),
    ]
}

/// The `start` parameter of a paged method (`paged: true` adds one when the spec has none).
pub fn start_param(spec: &Spec) -> Option<&Param> {
    spec.params
        .iter()
        .find(|p| p.wire.eq_ignore_ascii_case("start"))
}

/// `AVATAR_HR` → `avatar-hr`, `ownerId` → `owner-id`: the Rust name with dashes.
pub fn flag(param: &Param) -> String {
    let name = param.rust.replace('_', "-");
    if RESERVED.contains(&name.as_str()) {
        format!("param-{name}")
    } else {
        name
    }
}

/// The clap id of a parameter's flag; prefixed, as clap's own `help` id must stay unique.
fn arg_id(param: &Param) -> String {
    format!("param:{}", param.wire)
}

/// The wire parameters given on the command line, already encoded.
pub fn params(spec: &Spec, matches: &ArgMatches) -> Map<String, Value> {
    spec.params
        .iter()
        .filter_map(|p| {
            if let TypeKind::Filter(_) = p.ty.kind {
                // Every `--filter` adds its conditions to one object, and its nested groups
                // (integer keys, or the items of a list) under the next free index.
                let mut filter = Map::new();
                let mut groups = 0usize;
                for part in matches.get_many::<Value>(&arg_id(p))? {
                    let entries: Vec<(String, Value)> = match part {
                        Value::Object(conditions) => conditions.clone().into_iter().collect(),
                        Value::Array(items) => items
                            .iter()
                            .enumerate()
                            .map(|(i, v)| (i.to_string(), v.clone()))
                            .collect(),
                        _ => continue,
                    };
                    for (key, value) in entries {
                        if !key.is_empty() && key.bytes().all(|b| b.is_ascii_digit()) {
                            filter.insert(groups.to_string(), value);
                            groups += 1;
                        } else {
                            filter.insert(key, value);
                        }
                    }
                }
                return Some((p.wire.clone(), Value::Object(filter)));
            }
            matches
                .get_one::<Value>(&arg_id(p))
                .map(|v| (p.wire.clone(), v.clone()))
        })
        .collect()
}

/// Reads one `--filter` value: a JSON object of conditions (with nested groups where the
/// filter takes them, or a JSON list of groups), or one condition written `KEY=VALUE`
/// (`>=ID=5`, `%NAME=Jo`, `@ID=1,2`), and checks it against the declared fields and operators.
fn filter_parser(spec: &Spec, param: &Param) -> ValueParser {
    let spec = spec.clone();
    let ty = param.ty.clone();
    ValueParser::new(move |text: &str| {
        let TypeKind::Filter(def) = &ty.kind else {
            return Err("not a filter".to_owned());
        };
        let json =
            text.trim_start().starts_with('{') || def.logic && text.trim_start().starts_with('[');
        let value = if json {
            serde_json::from_str::<Value>(text)
                .map_err(|e| format!("expected a JSON object of conditions ({e})"))?
        } else {
            filter_condition(def, text)?
        };
        conform::check(&spec, &ty, &value, Mode::Request).map_err(|m| m.message)?;
        Ok::<Value, String>(value)
    })
}

/// Whether the type holds an object type (an input type: the checks allow no other in a
/// parameter).
fn has_object(ty: &TypeRef) -> bool {
    ty.walk().any(|t| matches!(t.kind, TypeKind::Named(_)))
}

/// Reads a parameter that holds input objects as JSON and checks it against its type: every
/// key a field (or a custom `UF_` one), every required field there, every value of its field's
/// type. A mismatch names the key.
fn object_parser(spec: &Spec, param: &Param) -> ValueParser {
    let spec = spec.clone();
    let ty = param.ty.clone();
    ValueParser::new(move |text: &str| {
        let value = encode(&ty, text)?;
        conform::check(&spec, &ty, &value, Mode::Request).map_err(|m| {
            if m.path.is_root() {
                m.message
            } else {
                format!("`{}`: {}", m.path, m.message)
            }
        })?;
        Ok::<Value, String>(value)
    })
}

fn is_select(items: &TypeRef) -> bool {
    matches!(&items.kind, TypeKind::Enum(e) if e.select_of.is_some())
}

/// Reads a `select` list: comma-separated field names or a JSON array, each a field of the
/// record, a mask (`*`, `UF_*`) or a custom field the record's patterns match.
fn select_parser(spec: &Spec, param: &Param) -> ValueParser {
    let spec = spec.clone();
    let ty = param.ty.clone();
    ValueParser::new(move |text: &str| {
        let value = if text.trim_start().starts_with('[') {
            serde_json::from_str::<Value>(text).map_err(|e| {
                format!("expected field names such as ID,NAME or a JSON array ({e})")
            })?
        } else {
            Value::Array(
                text.split(',')
                    .map(|name| Value::from(name.trim()))
                    .collect(),
            )
        };
        conform::check(&spec, &ty, &value, Mode::Request).map_err(|m| m.message)?;
        Ok::<Value, String>(value)
    })
}

/// Reads an `--order`: a JSON object, `FIELD:asc,FIELD:desc` (a field alone is ascending), or,
/// where the parameter takes one, a bare direction; directions in any case, sent as `ASC` and
/// `DESC`. Checked against the record's field names.
fn order_parser(spec: &Spec, param: &Param) -> ValueParser {
    let spec = spec.clone();
    let ty = param.ty.clone();
    ValueParser::new(move |text: &str| {
        let TypeKind::Order(def) = &ty.kind else {
            return Err("not an order".to_owned());
        };
        let value = order_value(def, text)?;
        conform::check(&spec, &ty, &value, Mode::Request).map_err(|m| m.message)?;
        Ok::<Value, String>(value)
    })
}

fn order_value(def: &OrderDef, text: &str) -> Result<Value, String> {
    let trimmed = text.trim();
    if trimmed.starts_with('{') {
        return serde_json::from_str::<Value>(trimmed)
            .map_err(|e| format!("expected a JSON object of field names to ASC or DESC ({e})"));
    }
    let direction = |d: &str| {
        ["ASC", "DESC"]
            .into_iter()
            .find(|w| d.trim().eq_ignore_ascii_case(w))
    };
    if def.direction
        && let Some(d) = direction(trimmed)
    {
        return Ok(Value::from(d));
    }
    let mut keys = Map::new();
    for part in trimmed.split(',') {
        let (field, d) = part.split_once(':').unwrap_or((part, "ASC"));
        let d = direction(d).ok_or_else(|| {
            format!("expected FIELD:asc or FIELD:desc, comma-separated, found {part:?}")
        })?;
        keys.insert(field.trim().to_owned(), Value::from(d));
    }
    Ok(Value::Object(keys))
}

/// `>=ID=5` → `{">=ID": 5}`: the operator characters, the field name, `=`, the value, which is
/// read by the field's type (a comma-separated or JSON list for `@` and `!@`).
fn filter_condition(def: &FilterDef, text: &str) -> Result<Value, String> {
    let usage = || {
        format!(
            "expected a condition such as `>=ID=5` or `%NAME=Jo`, or a JSON object, found {text:?}"
        )
    };
    let op_len = text
        .find(|c: char| !"!=<>@%".contains(c))
        .unwrap_or(text.len());
    let rest = &text[op_len..];
    let name_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .ok_or_else(usage)?;
    let (key, value) = text.split_at(op_len + name_len);
    let value = value.strip_prefix('=').ok_or_else(usage)?;
    if def.split_key(key).is_none()
        && let Some((op, _)) = def.split_custom_key(key)
    {
        // The spec does not know a custom field's type: its values are sent as text, which
        // the portal compares as it compares the field.
        let encoded = if op.is_some_and(|o| o.takes_list()) {
            Value::Array(list_items(value).into_iter().map(Value::from).collect())
        } else {
            Value::from(value)
        };
        return Ok(Value::Object(Map::from_iter([(key.to_owned(), encoded)])));
    }
    let Some((op, field, _)) = def.split_key(key) else {
        // Left to the common check, which names the accepted fields.
        return Ok(Value::Object(Map::from_iter([(
            key.to_owned(),
            Value::from(value),
        )])));
    };
    let encoded = if op.is_some_and(|o| o.takes_list()) {
        let items = list_items(value);
        return finish(
            key,
            field,
            &items.iter().map(String::as_str).collect::<Vec<_>>(),
        );
    } else {
        encode(&field.ty, value).map_err(|e| format!("`{key}`: {e}"))?
    };
    Ok(Value::Object(Map::from_iter([(key.to_owned(), encoded)])))
}

/// The items of a list value: a JSON array (`[1, "2"]`) or comma-separated text (`1,2`).
fn list_items(value: &str) -> Vec<String> {
    match serde_json::from_str::<Value>(value) {
        Ok(Value::Array(items)) => items
            .into_iter()
            .map(|v| match v {
                Value::String(s) => s,
                other => other.to_string(),
            })
            .collect(),
        _ => value.split(',').map(|s| s.trim().to_owned()).collect(),
    }
}

/// `{key: [items…]}` with each item read by the field's type.
fn finish(key: &str, field: &b24_spec::FilterField, items: &[&str]) -> Result<Value, String> {
    let values = items
        .iter()
        .map(|item| encode(&field.ty, item.trim()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("`{key}`: {e}"))?;
    Ok(Value::Object(Map::from_iter([(
        key.to_owned(),
        Value::Array(values),
    )])))
}

fn long_about(spec: &Spec) -> String {
    let mut text = spec.summary.clone();
    if let Some(description) = &spec.description {
        text.push_str("\n\n");
        text.push_str(description.trim_end());
    }
    text.push_str(&format!(
        "\n\nScope: {}{}. Who may call it: {}.",
        spec.scope,
        if spec.other_scopes.is_empty() {
            String::new()
        } else {
            format!(" (or {})", spec.other_scopes.join(", "))
        },
        spec.access
    ));
    if !spec.errors.is_empty() {
        text.push_str("\n\nErrors:");
        for e in &spec.errors {
            let status = e.status.map(|s| format!(" (HTTP {s})")).unwrap_or_default();
            text.push_str(&format!("\n  {}{status}: {}", e.code, e.doc.trim()));
        }
    }
    text.push_str(&format!("\n\nDocumentation: {}", spec.docs));
    text
}

/// "object of ThingFields: TITLE (required), OPENED"
fn object_help(spec: &Spec, name: &str) -> String {
    let fields: Vec<String> = spec
        .find_type(name)
        .map(|def| {
            def.fields
                .iter()
                .map(|f| {
                    if f.required {
                        format!("{} (required)", f.wire)
                    } else {
                        f.wire.clone()
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    format!("object of {name}: {}", fields.join(", "))
}

fn help(spec: &Spec, param: &Param) -> String {
    let mut notes = vec![format!("wire name {}", param.wire)];
    match &param.ty.kind {
        TypeKind::Filter(def) => {
            let fields: Vec<&str> = def.fields.iter().map(|f| f.wire.as_str()).collect();
            notes.push(format!("fields {}", fields.join(", ")));
            if !def.custom_fields.is_empty() {
                let patterns: Vec<&str> = def
                    .custom_fields
                    .iter()
                    .map(|p| p.pattern.as_str())
                    .collect();
                notes.push(format!("custom fields {}", patterns.join(", ")));
            }
            let ops: Vec<&str> = def.operators.iter().map(|o| o.prefix()).collect();
            notes.push(if ops.is_empty() {
                "exact values only".to_owned()
            } else {
                format!("operators {}", ops.join(" "))
            });
            notes.push("repeat the flag for more conditions".to_owned());
            if def.logic {
                notes.push(
                    r#"nested groups as JSON: {"0": {"logic": "OR", "0": {…}, "1": {…}}}"#
                        .to_owned(),
                );
            }
        }
        TypeKind::Order(def) => {
            notes.push(format!(
                "field names of {}, FIELD:asc or FIELD:desc, comma-separated, or a JSON object",
                def.of()
            ));
            if def.direction {
                notes.push("or ASC or DESC alone".to_owned());
            }
        }
        TypeKind::Array(items) => {
            if let TypeKind::Enum(e) = &items.kind
                && let Some(of) = &e.select_of
            {
                notes.push(format!(
                    "field names of {of}, comma-separated; * and UF_* are masks"
                ));
                if !e.custom_fields.is_empty() {
                    let patterns: Vec<&str> =
                        e.custom_fields.iter().map(|p| p.pattern.as_str()).collect();
                    notes.push(format!("custom fields {}", patterns.join(", ")));
                }
            }
            if let TypeKind::Named(name) = &items.kind {
                notes.push(format!("a JSON array of {}", object_help(spec, name)));
            }
        }
        TypeKind::Named(name) => notes.push(format!("a JSON {}", object_help(spec, name))),
        _ => {}
    }
    for group in &spec.one_of_required {
        if group.names().any(|n| n == param.wire) {
            let names: Vec<&str> = group.names().collect();
            notes.push(format!("at least one of {} is required", names.join(", ")));
        }
    }
    if let Some(min) = param.min {
        notes.push(format!("at least {min}"));
    }
    if let Some(default) = &param.default {
        let shown = match default {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        notes.push(format!("the portal assumes {shown} when left out"));
    }
    format!("{} [{}]", param.doc.trim(), notes.join("; "))
}

fn value_name(ty: &TypeRef) -> &'static str {
    match &ty.kind {
        TypeKind::Integer => "INTEGER",
        TypeKind::Id => "ID",
        TypeKind::Number => "NUMBER",
        TypeKind::Decimal => "DECIMAL",
        TypeKind::Boolean => "BOOL",
        TypeKind::Yn => "Y|N",
        TypeKind::String => "TEXT",
        TypeKind::Datetime => "DATETIME",
        TypeKind::NaiveDatetime | TypeKind::DisplayDatetime => "DATETIME",
        TypeKind::Date => "DATE",
        TypeKind::Enum(_) => "VALUE",
        TypeKind::Array(_) => "JSON_ARRAY",
        TypeKind::Map { .. } => "JSON_OBJECT",
        TypeKind::Named(_) => "JSON_OBJECT",
        TypeKind::Json => "JSON",
        TypeKind::Filter(_) => "CONDITION",
        TypeKind::Order(_) => "ORDER",
    }
}

/// Parses a flag's text by the spec type into the JSON value sent on the wire. A refusal
/// becomes clap's usage error naming the flag (exit code 2).
fn parser(ty: &TypeRef) -> ValueParser {
    let ty = ty.clone();
    ValueParser::new(move |text: &str| encode(&ty, text))
}

fn encode(ty: &TypeRef, text: &str) -> Result<Value, String> {
    let trimmed = text.trim();
    match &ty.kind {
        TypeKind::Integer => trimmed
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| "expected a whole number".into()),
        TypeKind::Id => trimmed
            .parse::<u64>()
            .map(Value::from)
            .map_err(|_| "expected an id (a non-negative whole number)".into()),
        TypeKind::Number => trimmed
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| "expected a number".into()),
        // Sent as text, every digit kept; read as the client reads a decimal.
        TypeKind::Decimal => conform::decimal_of(&Value::from(trimmed))
            .map(|d| Value::from(d.to_string()))
            .ok_or_else(|| "expected a decimal number such as 19999.99".into()),
        TypeKind::Boolean => truth(trimmed)
            .map(Value::Bool)
            .ok_or_else(|| "expected true or false (or Y/N)".into()),
        TypeKind::Yn => truth(trimmed)
            .map(|b| Value::from(if b { "Y" } else { "N" }))
            .ok_or_else(|| "expected Y or N (or true/false)".into()),
        TypeKind::String => Ok(Value::from(text)),
        TypeKind::Datetime => chrono::DateTime::parse_from_rfc3339(trimmed)
            .map(|_| Value::from(trimmed))
            .map_err(|_| "expected an ATOM date-time such as 2026-03-02T09:30:00+01:00".into()),
        TypeKind::NaiveDatetime => {
            chrono::NaiveDateTime::parse_from_str(trimmed, "%Y-%m-%d %H:%M:%S")
                .map(|_| Value::from(trimmed))
                .map_err(|_| "expected a date-time such as \"2024-07-23 08:08:50\"".into())
        }
        // Any display format, or ISO; sent in the ISO form, as the typed client sends it.
        TypeKind::DisplayDatetime => trimmed
            .parse::<b24_client::DisplayDateTime>()
            .ok()
            .or_else(|| {
                ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]
                    .iter()
                    .find_map(|f| chrono::NaiveDateTime::parse_from_str(trimmed, f).ok())
                    .map(b24_client::DisplayDateTime::from)
            })
            .map(|at| <b24_client::wire::Regional as b24_client::wire::Encode>::encode(&at))
            .ok_or_else(|| {
                "expected a date-time such as 2024-12-11T17:59:00 or 12/11/2024 05:59:00 pm".into()
            }),
        TypeKind::Date => chrono::NaiveDate::parse_from_str(trimmed, "%Y-%m-%d")
            .map(|_| Value::from(trimmed))
            .map_err(|_| "expected a date such as 2024-07-23".into()),
        TypeKind::Enum(def) => {
            if let Some(v) = def.find(text) {
                Ok(Value::from(v.wire.as_str()))
            } else {
                let known: Vec<String> =
                    def.values.iter().map(|v| format!("{:?}", v.wire)).collect();
                Err(format!("expected one of {}", known.join(", ")))
            }
        }
        TypeKind::Array(_) => match serde_json::from_str(text) {
            Ok(Value::Array(items)) => Ok(Value::Array(items)),
            Ok(_) => Err("expected a JSON array such as [1, 2]".into()),
            Err(e) => Err(format!("expected a JSON array such as [1, 2] ({e})")),
        },
        TypeKind::Map { .. } => match serde_json::from_str(text) {
            Ok(Value::Object(entries)) => Ok(Value::Object(entries)),
            Ok(_) => Err("expected a JSON object such as {\"5\": 1}".into()),
            Err(e) => Err(format!("expected a JSON object such as {{\"5\": 1}} ({e})")),
        },
        TypeKind::Named(name) => match serde_json::from_str(text) {
            Ok(Value::Object(fields)) => Ok(Value::Object(fields)),
            Ok(_) => Err(format!("expected a JSON object of {name}'s fields")),
            Err(e) => Err(format!("expected a JSON object of {name}'s fields ({e})")),
        },
        // Filters and orders have parsers of their own; a JSON value reaches the same check.
        TypeKind::Json | TypeKind::Filter(_) | TypeKind::Order(_) => {
            serde_json::from_str(text).map_err(|e| format!("expected JSON ({e})"))
        }
    }
}

/// `Y`/`N`, `true`/`false`, `yes`/`no`, `1`/`0`, in any case.
fn truth(text: &str) -> Option<bool> {
    match text.to_ascii_lowercase().as_str() {
        "y" | "yes" | "true" | "1" => Some(true),
        "n" | "no" | "false" | "0" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SPEC: &str = r#"
method: test.thing.set
scope: test
summary: Set a thing
docs: https://apidocs.bitrix24.com/
access: any user
params:
  ID: { type: id, required: true, doc: Thing }
  AVATAR_HR: { type: yn, doc: Big }
  ownerId: { type: integer, doc: Owner }
  help: { type: string, doc: A param named like the help flag }
  TAGS: { type: array, items: string, doc: Tags }
  KIND: { type: enum, values: { a: first, "": none }, doc: Kind }
  ON: { type: boolean, doc: On }
  AT: { type: date, doc: When }
  PRICE: { type: decimal, doc: Price }
  SHOWN: { type: display_datetime, doc: When to show it }
result: boolean
"#;

    fn spec() -> Spec {
        b24_spec::load_str("test.thing.set.yaml", SPEC).unwrap_or_else(|d| panic!("{d:?}"))
    }

    fn run(args: &[&str]) -> Result<Map<String, Value>, clap::Error> {
        let spec = spec();
        let m = command(&spec)
            .try_get_matches_from(std::iter::once("test.thing.set").chain(args.iter().copied()))?;
        Ok(params(&spec, &m))
    }

    #[test]
    fn map_flags_take_a_json_object() {
        let ty = b24_spec::TypeRef {
            kind: TypeKind::Map {
                keys: b24_spec::MapKeys::Id,
                values: Box::new(spec().params[0].ty.clone()),
            },
            ..spec().params[0].ty.clone()
        };
        assert_eq!(encode(&ty, r#"{"5": 1}"#), Ok(json!({"5": 1})));
        assert_eq!(value_name(&ty), "JSON_OBJECT");
        let e = encode(&ty, "[1]").unwrap_err();
        assert!(e.contains("JSON object"), "{e}");
    }

    #[test]
    fn flags_are_dashed_rust_names() {
        let spec = spec();
        let flags: Vec<String> = spec.params.iter().map(flag).collect();
        assert_eq!(
            flags,
            [
                "id",
                "avatar-hr",
                "owner-id",
                "param-help",
                "tags",
                "kind",
                "on",
                "at",
                "price",
                "shown"
            ]
        );
    }

    #[test]
    fn values_are_encoded_for_the_wire() {
        let p = run(&[
            "--id",
            "5",
            "--avatar-hr",
            "true",
            "--owner-id",
            "-2",
            "--param-help",
            "x",
            "--tags",
            r#"["a"]"#,
            "--kind",
            "",
            "--on",
            "Y",
            "--at",
            "2024-07-23",
            "--price",
            " 19999.90 ",
            "--shown",
            "12/11/2024 05:59:00 pm",
        ])
        .unwrap();
        // A decimal goes as text with every digit; a display date-time in the ISO form.
        assert_eq!(
            Value::Object(p),
            json!({"ID": 5, "AVATAR_HR": "Y", "ownerId": -2, "help": "x", "TAGS": ["a"],
                   "KIND": "", "ON": true, "AT": "2024-07-23", "PRICE": "19999.90",
                   "SHOWN": "2024-12-11T17:59:00"})
        );
        for shown in [
            "11.12.2024 17:59:00",
            "2024-12-11T17:59:00",
            "2024-12-11 17:59:00",
        ] {
            let p = run(&["--id", "1", "--shown", shown]).unwrap();
            assert_eq!(p["SHOWN"], "2024-12-11T17:59:00", "{shown}");
        }
        let p = run(&["--id", "7", "--avatar-hr", "n"]).unwrap();
        assert_eq!(Value::Object(p), json!({"ID": 7, "AVATAR_HR": "N"}));
    }

    #[test]
    fn bad_values_are_usage_errors_naming_the_flag() {
        for args in [
            &["--id", "abc"][..],
            &["--id", "-1"],
            &["--id", "1", "--avatar-hr", "maybe"],
            &["--id", "1", "--tags", "{}"],
            &["--id", "1", "--kind", "b"],
            &["--id", "1", "--at", "23.07.2024"],
            &["--id", "1", "--price", "19 999,90"],
            &["--id", "1", "--price", "1e5"],
            &["--id", "1", "--price", "1_000"],
            &["--id", "1", "--shown", "tomorrow"],
        ] {
            let e = run(args).unwrap_err();
            assert_eq!(
                e.kind(),
                clap::error::ErrorKind::ValueValidation,
                "{args:?}"
            );
            assert_eq!(e.exit_code(), 2);
            let flag = args[args.len() - 2];
            assert!(e.to_string().contains(flag), "{args:?}: {e}");
        }
        let e = run(&[]).unwrap_err();
        assert_eq!(e.kind(), clap::error::ErrorKind::MissingRequiredArgument);
    }

    const FILTERED: &str = r#"
method: test.user.list
scope: test
summary: List users
docs: https://apidocs.bitrix24.com/
access: any user
params:
  FILTER:
    type: filter
    doc: Conditions
    fields:
      ID: id
      NAME: string
      ONLINE: yn
    custom_fields: ["UF_CRM_*"]
  ORDER:
    type: enum
    case_insensitive: true
    values: { ASC: ascending, DESC: descending }
    doc: Direction
  select: { type: select, of: Thing, doc: Fields }
result: json
types:
  Thing:
    fields:
      ID: id
      NAME: string
    custom_fields: ["UF_CRM_*"]
"#;

    fn run_filtered(args: &[&str]) -> Result<Map<String, Value>, clap::Error> {
        let spec =
            b24_spec::load_str("test.user.list.yaml", FILTERED).unwrap_or_else(|d| panic!("{d:?}"));
        let m = command(&spec)
            .try_get_matches_from(std::iter::once("test.user.list").chain(args.iter().copied()))?;
        Ok(params(&spec, &m))
    }

    #[test]
    fn filter_conditions_are_repeated_flags_or_json() {
        let p = run_filtered(&[
            "--filter",
            ">=ID=5",
            "--filter",
            "%NAME=Jo",
            "--filter",
            "@ID=1,2",
            "--filter",
            "ONLINE=yes",
            "--filter",
            r#"{"!ID": 3}"#,
            "--order",
            "desc",
            "--select",
            "ID, NAME,UF_*",
        ])
        .unwrap();
        assert_eq!(
            Value::Object(p),
            json!({"FILTER": {">=ID": 5, "%NAME": "Jo", "@ID": [1, 2], "ONLINE": "Y", "!ID": 3},
                   "ORDER": "DESC", "select": ["ID", "NAME", "UF_*"]})
        );
        let p = run_filtered(&[
            "--filter",
            "@ID=[7]",
            "--filter",
            "=%NAME=Jo%",
            "--select",
            r#"["*"]"#,
        ])
        .unwrap();
        assert_eq!(
            Value::Object(p),
            json!({"FILTER": {"@ID": [7], "=%NAME": "Jo%"}, "select": ["*"]})
        );
        assert_eq!(run_filtered(&[]).unwrap(), Map::new());
    }

    #[test]
    fn custom_fields_are_accepted_in_filters_and_selects() {
        let p = run_filtered(&[
            "--filter",
            ">=UF_CRM_17=100.5",
            "--filter",
            "@UF_CRM_21=45, 46",
            "--filter",
            "!UF_CRM_9=[1]",
            "--filter",
            r#"{"UF_CRM_1": 5}"#,
            "--select",
            "ID,UF_CRM_17",
        ])
        .unwrap();
        assert_eq!(
            Value::Object(p),
            json!({"FILTER": {">=UF_CRM_17": "100.5", "@UF_CRM_21": ["45", "46"], "!UF_CRM_9": "[1]", "UF_CRM_1": 5},
                   "select": ["ID", "UF_CRM_17"]})
        );
        let e = run_filtered(&["--filter", "UF_USR_1=5"]).unwrap_err();
        assert!(e.to_string().contains("custom fields: UF_CRM_*"), "{e}");
        let e = run_filtered(&["--select", "UF_USR_1"]).unwrap_err();
        assert!(e.to_string().contains("a custom field (UF_CRM_*)"), "{e}");
    }

    #[test]
    fn filter_and_select_help_lists_fields_and_operators() {
        let spec =
            b24_spec::load_str("test.user.list.yaml", FILTERED).unwrap_or_else(|d| panic!("{d:?}"));
        let help = command(&spec).render_long_help().to_string();
        assert!(help.contains("--filter <CONDITION>"), "{help}");
        assert!(help.contains("fields ID, NAME, ONLINE"), "{help}");
        assert!(help.contains("operators >= > <= <"), "{help}");
        assert!(help.contains("--select <FIELDS>"), "{help}");
        assert!(help.contains("field names of Thing"), "{help}");
        assert!(help.contains("custom fields UF_CRM_*"), "{help}");
    }

    #[test]
    fn unknown_filter_fields_and_operators_are_usage_errors() {
        for (arg, needle) in [
            (
                ">=AGE=5",
                "`>=AGE` is not a field this filter accepts (fields: ID, NAME, ONLINE; custom fields: UF_CRM_*)",
            ),
            ("<>ID=5", "`<>ID` is not a field"),
            ("ID=abc", "expected an id"),
            ("@ID=1,x", "expected an id"),
            (r#"{"NAME": {"x": 1}}"#, "expected a string"),
            ("NAME", "expected a condition such as `>=ID=5`"),
            ("{oops", "expected a JSON object"),
        ] {
            let e = run_filtered(&["--filter", arg]).unwrap_err();
            assert_eq!(e.kind(), clap::error::ErrorKind::ValueValidation, "{arg}");
            assert_eq!(e.exit_code(), 2);
            let text = e.to_string();
            assert!(
                text.contains("--filter") && text.contains(needle),
                "{arg}: {text}"
            );
        }
        for (arg, needle) in [
            ("ID,AGE", "`AGE` is not a field of `Thing`"),
            ("[1]", "expected a string"),
        ] {
            let e = run_filtered(&["--select", arg]).unwrap_err();
            assert_eq!(e.kind(), clap::error::ErrorKind::ValueValidation, "{arg}");
            let text = e.to_string();
            assert!(
                text.contains("--select") && text.contains(needle),
                "{arg}: {text}"
            );
        }
    }

    const LISTS: &str = r#"
method: test.task.list
scope: test
summary: List tasks
docs: https://apidocs.bitrix24.com/
access: any user
params:
  order: { type: order, of: Task, doc: Sort keys }
  SORT_ORDER: { type: order, of: Task, direction: true, doc: Direction or sort keys }
  filter:
    type: filter
    logic: true
    doc: Conditions
    fields: { ID: id, TITLE: string }
result: json
types:
  Task:
    select_names: upper_snake
    fields:
      id: id
      title: string
      responsibleId: id
"#;

    fn run_lists(args: &[&str]) -> Result<Map<String, Value>, clap::Error> {
        let spec =
            b24_spec::load_str("test.task.list.yaml", LISTS).unwrap_or_else(|d| panic!("{d:?}"));
        let m = command(&spec)
            .try_get_matches_from(std::iter::once("test.task.list").chain(args.iter().copied()))?;
        Ok(params(&spec, &m))
    }

    #[test]
    fn orders_are_field_direction_pairs_or_json_in_order() {
        let p = run_lists(&["--order", "TITLE:desc, RESPONSIBLE_ID , ID:Asc"]).unwrap();
        assert_eq!(
            serde_json::to_string(&p["order"]).unwrap(),
            r#"{"TITLE":"DESC","RESPONSIBLE_ID":"ASC","ID":"ASC"}"#
        );
        let p = run_lists(&["--order", r#"{"ID": "desc", "TITLE": "ASC"}"#]).unwrap();
        assert_eq!(
            serde_json::to_string(&p["order"]).unwrap(),
            r#"{"ID":"desc","TITLE":"ASC"}"#
        );
        let p = run_lists(&["--sort-order", "desc"]).unwrap();
        assert_eq!(p["SORT_ORDER"], json!("DESC"));
        for (args, needle) in [
            (&["--order", "desc"][..], "`desc` is not a field of `Task`"),
            (
                &["--order", "title:asc"],
                "`title` is not a field of `Task`",
            ),
            (&["--order", "ID:up"], "expected FIELD:asc or FIELD:desc"),
            (&["--order", "{oops"], "expected a JSON object"),
            (&["--sort-order", "[1]"], "`[1]` is not a field"),
        ] {
            let e = run_lists(args).unwrap_err();
            assert_eq!(
                e.kind(),
                clap::error::ErrorKind::ValueValidation,
                "{args:?}"
            );
            let text = e.to_string();
            assert!(
                text.contains(args[0]) && text.contains(needle),
                "{args:?}: {text}"
            );
        }
    }

    #[test]
    fn filter_groups_from_several_flags_are_numbered_on() {
        let p = run_lists(&[
            "--filter",
            ">=ID=2",
            "--filter",
            r#"{"0": {"logic": "OR", "0": {"ID": 1}, "1": {"%TITLE": "a"}}}"#,
            "--filter",
            r#"[{"logic": "AND", "0": {"ID": 3}}, {"TITLE": "b"}]"#,
        ])
        .unwrap();
        assert_eq!(
            Value::Object(p),
            json!({"filter": {
                ">=ID": 2,
                "0": {"logic": "OR", "0": {"ID": 1}, "1": {"%TITLE": "a"}},
                "1": {"logic": "AND", "0": {"ID": 3}},
                "2": {"TITLE": "b"}
            }})
        );
        let e = run_lists(&["--filter", r#"{"0": {"logic": "XOR"}}"#]).unwrap_err();
        assert!(e.to_string().contains("\"AND\" or \"OR\""), "{e}");
        let spec =
            b24_spec::load_str("test.task.list.yaml", LISTS).unwrap_or_else(|d| panic!("{d:?}"));
        let help = command(&spec).render_long_help().to_string();
        assert!(help.contains("nested groups as JSON"), "{help}");
        assert!(help.contains("or ASC or DESC alone"), "{help}");
    }

    #[test]
    fn help_shows_docs_wire_names_and_errors() {
        let spec = spec();
        let help = command(&spec).render_long_help().to_string();
        assert!(help.contains("--avatar-hr <Y|N>"), "{help}");
        assert!(help.contains("Big [wire name AVATAR_HR]"), "{help}");
        assert!(
            help.contains("Documentation: https://apidocs.bitrix24.com/"),
            "{help}"
        );
    }

    const OBJECTS: &str = r#"
method: test.thing.add
scope: test
summary: Add a thing
docs: https://apidocs.bitrix24.com/
access: any user
params:
  FIELDS: { type: ThingFields, doc: Fields }
  PHONES: { type: array, items: Phone, doc: More phones }
  MESSAGE: { type: string, doc: Text }
  ATTACH: { type: json, doc: Blocks }
one_of_required: [[MESSAGE, ATTACH]]
result: id
types:
  ThingFields:
    input: true
    custom_fields: [UF_CRM_*]
    fields:
      TITLE: { type: string, required: true }
      OPENED: yn
      PHONE: { type: array, items: Phone }
  Phone:
    input: true
    fields:
      VALUE: { type: string, required: true }
      VALUE_TYPE: { type: enum, values: { WORK: work, MOBILE: mobile } }
"#;

    fn run_objects(args: &[&str]) -> Result<Map<String, Value>, clap::Error> {
        let spec =
            b24_spec::load_str("test.thing.add.yaml", OBJECTS).unwrap_or_else(|d| panic!("{d:?}"));
        let m = command(&spec)
            .try_get_matches_from(std::iter::once("test.thing.add").chain(args.iter().copied()))?;
        Ok(params(&spec, &m))
    }

    #[test]
    fn input_objects_are_json_checked_against_their_types() {
        let p = run_objects(&[
            "--fields",
            r#"{"TITLE": "x", "OPENED": "Y", "PHONE": [{"VALUE": "1", "VALUE_TYPE": "WORK"}], "UF_CRM_1": 5}"#,
            "--phones",
            r#"[{"VALUE": "2"}]"#,
            "--message",
            "Hi",
        ])
        .unwrap();
        assert_eq!(
            Value::Object(p),
            json!({"FIELDS": {"TITLE": "x", "OPENED": "Y",
                              "PHONE": [{"VALUE": "1", "VALUE_TYPE": "WORK"}], "UF_CRM_1": 5},
                   "PHONES": [{"VALUE": "2"}], "MESSAGE": "Hi"})
        );
        for (flag, arg, needle) in [
            (
                "--fields",
                r#"{"TITLE": "x", "OPENNED": "Y"}"#,
                "`OPENNED`: `OPENNED` is not a field of `ThingFields` (did you mean `OPENED`?)",
            ),
            (
                "--fields",
                r#"{"OPENED": "Y"}"#,
                "`TITLE`: field `TITLE` of `ThingFields` is required, but missing",
            ),
            (
                "--fields",
                r#"{"TITLE": "x", "PHONE": [{"VALUE": "1", "VALUE_TYPE": "HOME"}]}"#,
                "`PHONE[0].VALUE_TYPE`: expected one of \"WORK\", \"MOBILE\"",
            ),
            (
                "--fields",
                "[1]",
                "expected a JSON object of ThingFields's fields",
            ),
            (
                "--phones",
                r#"[{"NUMBER": "1"}]"#,
                "`[0].NUMBER`: `NUMBER` is not a field",
            ),
        ] {
            let e = run_objects(&[flag, arg, "--message", "Hi"]).unwrap_err();
            assert_eq!(e.kind(), clap::error::ErrorKind::ValueValidation, "{arg}");
            assert_eq!(e.exit_code(), 2);
            let text = e.to_string();
            assert!(
                text.contains(flag) && text.contains(needle),
                "{arg}: {text}"
            );
        }
    }

    #[test]
    fn a_call_without_a_parameter_of_a_group_is_a_usage_error() {
        let e = run_objects(&["--fields", r#"{"TITLE": "x"}"#]).unwrap_err();
        assert_eq!(e.kind(), clap::error::ErrorKind::MissingRequiredArgument);
        assert_eq!(e.exit_code(), 2);
        let text = e.to_string();
        assert!(
            text.contains("--message") && text.contains("--attach"),
            "{text}"
        );
        assert!(run_objects(&["--attach", "{}"]).is_ok());
        assert!(run_objects(&["--attach", "{}", "--message", "Hi"]).is_ok());
        let spec =
            b24_spec::load_str("test.thing.add.yaml", OBJECTS).unwrap_or_else(|d| panic!("{d:?}"));
        let help = command(&spec).render_long_help().to_string();
        assert!(help.contains("--fields <JSON_OBJECT>"), "{help}");
        assert!(
            help.contains("a JSON object of ThingFields: TITLE (required), OPENED, PHONE"),
            "{help}"
        );
        assert!(
            help.contains("at least one of MESSAGE, ATTACH is required"),
            "{help}"
        );
    }
}
