//! Method subcommands built from specs at run time: one flag per parameter, parsed by the
//! parameter's spec type and encoded the way the wire expects.

use b24_spec::{Param, Spec, TypeKind, TypeRef};
use clap::builder::ValueParser;
use clap::{Arg, ArgAction, ArgMatches, Command};
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
        cmd = cmd.arg(
            Arg::new(arg_id(param))
                .long(flag(param))
                .value_name(value_name(&param.ty))
                .help(help(param))
                .required(param.required)
                .allow_negative_numbers(matches!(
                    param.ty.kind,
                    TypeKind::Integer | TypeKind::Number | TypeKind::Id
                ))
                .value_parser(parser(&param.ty)),
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
            matches
                .get_one::<Value>(&arg_id(p))
                .map(|v| (p.wire.clone(), v.clone()))
        })
        .collect()
}

fn long_about(spec: &Spec) -> String {
    let mut text = spec.summary.clone();
    if let Some(description) = &spec.description {
        text.push_str("\n\n");
        text.push_str(description.trim_end());
    }
    text.push_str(&format!(
        "\n\nScope: {}. Who may call it: {}.",
        spec.scope, spec.access
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

fn help(param: &Param) -> String {
    let mut notes = vec![format!("wire name {}", param.wire)];
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
        TypeKind::Boolean => "BOOL",
        TypeKind::Yn => "Y|N",
        TypeKind::String => "TEXT",
        TypeKind::Datetime => "DATETIME",
        TypeKind::NaiveDatetime => "DATETIME",
        TypeKind::Date => "DATE",
        TypeKind::Enum(_) => "VALUE",
        TypeKind::Array(_) => "JSON_ARRAY",
        TypeKind::Map { .. } => "JSON_OBJECT",
        TypeKind::Json | TypeKind::Named(_) => "JSON",
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
        TypeKind::Date => chrono::NaiveDate::parse_from_str(trimmed, "%Y-%m-%d")
            .map(|_| Value::from(trimmed))
            .map_err(|_| "expected a date such as 2024-07-23".into()),
        TypeKind::Enum(def) => {
            if def.values.iter().any(|v| v.wire == text) {
                Ok(Value::from(text))
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
        TypeKind::Json | TypeKind::Named(_) => {
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
                "at"
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
        ])
        .unwrap();
        assert_eq!(
            Value::Object(p),
            json!({"ID": 5, "AVATAR_HR": "Y", "ownerId": -2, "help": "x", "TAGS": ["a"],
                   "KIND": "", "ON": true, "AT": "2024-07-23"})
        );
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
}
