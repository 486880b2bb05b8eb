//! `b24 batch`: several calls in one `batch` request (50 to a request), from arguments or a
//! JSON/YAML file, each checked against its method's spec before anything is sent; one JSON
//! document with each command's result or error on stdout.

use std::path::Path;
use std::process::ExitCode;

use b24_client::{Batch, BatchError, Error, ErrorCode, NotRun};
use b24_spec::Spec;
use b24_spec::conform::{self, Mode};
use clap::{Arg, ArgAction, ArgMatches, Command};
use serde_json::{Map, Value};

use crate::call::{pretty, print};
use crate::exit::{Exit, Failure};
use crate::flags::{COMPACT, PRETTY};
use crate::portal::Portal;

const COMMANDS: &str = "command";
const FILE: &str = "file";
const HALT: &str = "halt";

/// The `batch` subcommand.
pub fn command() -> Command {
    Command::new("batch")
        .about("Run several method calls in one `batch` request")
        .long_about(
            "Run several method calls in one `batch` request (50 to a request; more go as \
             several, in order). Each command is `METHOD?QUERY`, its parameters written as a \
             query string with PHP-style keys (`user.get?FILTER[>ID]=5&SORT=ID`), and may take \
             a value from an earlier command's result with `$result[KEY][FIELD]…`, KEY being \
             the earlier command's position (0, 1, …) or its name in a file. Every command \
             is checked against its method's spec before anything is sent.\n\n\
             The output is one JSON object with a member per command, in order: \
             {\"result\": …} (with \"total\" and \"next\" for a list page), \
             {\"error\": CODE, \"error_description\": …}, or {\"not_run\": why}.\n\n\
             Exit code 1 when a command failed; the other codes as for a single call.",
        )
        .after_help(
            "File: a JSON or YAML list of commands, an object of named commands, or \
             {\"halt\": true, \"cmd\": …}; each command a `METHOD?QUERY` string or \
             {\"method\": …, \"params\": {…}}.\n\n\
             Example: b24 batch 'user.current' 'department.get?ID=$result[0][UF_DEPARTMENT][0]'",
        )
        .arg(
            Arg::new(COMMANDS)
                .value_name("METHOD?QUERY")
                .num_args(0..)
                .action(ArgAction::Append)
                .help("Commands, in order; their keys are their positions 0, 1, …"),
        )
        .arg(
            Arg::new(FILE)
                .long(FILE)
                .value_name("PATH")
                .conflicts_with(COMMANDS)
                .help("Read the commands from a JSON or YAML file instead"),
        )
        .arg(
            Arg::new(HALT)
                .long(HALT)
                .action(ArgAction::SetTrue)
                .help("Stop at the first command that fails; the rest are not run"),
        )
        .arg(
            Arg::new(PRETTY)
                .long(PRETTY)
                .action(ArgAction::SetTrue)
                .overrides_with(COMPACT)
                .help("Print indented JSON (the default when standard output is a terminal)"),
        )
        .arg(
            Arg::new(COMPACT)
                .long(COMPACT)
                .action(ArgAction::SetTrue)
                .overrides_with(PRETTY)
                .help(
                    "Print JSON on one line (the default when standard output is not a terminal)",
                ),
        )
}

/// One command as read from the command line or a file, before it is checked.
#[derive(Debug, Clone, PartialEq)]
struct Raw {
    key: String,
    method: String,
    params: Map<String, Value>,
}

/// Reads, checks and sends the batch, and prints each command's outcome.
pub async fn run(matches: &ArgMatches, specs: &[Spec], extra: &[Spec]) -> ExitCode {
    let read = match matches.get_one::<String>(FILE) {
        Some(path) => from_file(Path::new(path)),
        None => {
            let args: Vec<&String> = matches.get_many(COMMANDS).into_iter().flatten().collect();
            args.iter()
                .enumerate()
                .map(|(i, text)| from_text(i.to_string(), text))
                .collect::<Result<Vec<_>, _>>()
                .map(|commands| (commands, false))
        }
    };
    let (commands, file_halt) = match read {
        Ok(read) => read,
        Err(failure) => return failure.report(),
    };
    if commands.is_empty() {
        return Failure::usage("no commands: give `METHOD?QUERY` arguments or --file").report();
    }
    let mut batch = Batch::new().halt(matches.get_flag(HALT) || file_halt);
    for raw in commands {
        let spec = match check(&raw, specs) {
            Ok(spec) => spec,
            Err(failure) => return failure.report(),
        };
        batch.add_raw(raw.key, raw.method, spec.read_only, raw.params);
    }
    let portal = match Portal::connect(extra).await {
        Ok(portal) => portal,
        Err(failure) => return failure.report(),
    };
    let sent = portal.client.send_batch(batch).await;
    portal.close().await;
    let (results, failure) = match sent {
        Ok(results) => (results, None),
        Err(BatchError::Invalid(message)) => return Failure::usage(message).report(),
        Err(BatchError::Failed { error, results }) => (*results, Some(Failure::from(error))),
        Err(other) => return Failure::transport(other.to_string()).report(),
    };
    let mut document = Map::new();
    let mut ran = false;
    let mut failed = false;
    for (key, _, outcome) in results.iter_raw() {
        let entry = match outcome {
            Ok(response) => {
                ran = true;
                let mut entry = Map::new();
                entry.insert("result".into(), response.result);
                if let Some(total) = response.total {
                    entry.insert("total".into(), total.into());
                }
                if let Some(next) = response.next {
                    entry.insert("next".into(), next.into());
                }
                entry
            }
            Err(Error::Api(api)) => {
                ran = true;
                failed = true;
                let mut entry = Map::new();
                entry.insert("error".into(), api.code.code().into());
                entry.insert("error_description".into(), api.description.into());
                entry
            }
            Err(Error::NotRun(why)) => {
                failed |= why == NotRun::Halted;
                Map::from_iter([("not_run".to_owned(), Value::from(why.to_string()))])
            }
            Err(other) => {
                failed = true;
                Map::from_iter([("failed".to_owned(), Value::from(other.to_string()))])
            }
        };
        document.insert(key.to_owned(), Value::Object(entry));
    }
    // A batch whose first request failed ran nothing: the error alone says it.
    if ran || failure.is_none() {
        print(&Value::Object(document), pretty(matches));
    }
    match failure {
        Some(failure) => failure.report(),
        None if failed => Exit::Failed.into(),
        None => Exit::Success.into(),
    }
}

/// `method?query` → a command named `key`.
fn from_text(key: String, text: &str) -> Result<Raw, Failure> {
    let (method, query) = text.split_once('?').unwrap_or((text, ""));
    let method = method.trim();
    if method.is_empty() {
        return Err(Failure::usage(format!(
            "command {key}: `{text}` names no method; write `METHOD?QUERY`"
        )));
    }
    Ok(Raw {
        key,
        method: method.to_owned(),
        params: b24_emulator::query_params(query),
    })
}

/// The commands of a JSON or YAML file, and whether it asks to halt.
fn from_file(path: &Path) -> Result<(Vec<Raw>, bool), Failure> {
    let shown = path.display();
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::usage(format!("--file {shown}: {e}")))?;
    let document = b24_spec::load_yaml_value(&shown.to_string(), &text).map_err(|diagnostics| {
        let lines: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
        Failure::usage(format!(
            "--file {shown} is not JSON or YAML:\n{}",
            lines.join("\n")
        ))
    })?;
    let (commands, halt) = match document {
        Value::Object(mut top) if top.contains_key("cmd") => {
            let halt = match top.remove("halt") {
                None | Some(Value::Null) => false,
                Some(Value::Bool(b)) => b,
                Some(Value::Number(n)) => n.as_f64().is_some_and(|n| n != 0.0),
                Some(other) => {
                    return Err(Failure::usage(format!(
                        "--file {shown}: `halt` must be true or false, found {other}"
                    )));
                }
            };
            if let Some(extra) = top.keys().find(|k| *k != "cmd") {
                return Err(Failure::usage(format!(
                    "--file {shown}: unknown key `{extra}` beside `cmd` (only `halt` may be there)"
                )));
            }
            (top.remove("cmd").unwrap_or(Value::Null), halt)
        }
        other => (other, false),
    };
    let entries: Vec<(String, Value)> = match commands {
        Value::Array(items) => items
            .into_iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect(),
        Value::Object(named) => named.into_iter().collect(),
        other => {
            return Err(Failure::usage(format!(
                "--file {shown}: expected a list or an object of commands, found {other}"
            )));
        }
    };
    let commands = entries
        .into_iter()
        .map(|(key, command)| match command {
            Value::String(text) => from_text(key, &text),
            Value::Object(mut fields) => {
                let method = match fields.remove("method") {
                    Some(Value::String(m)) => m,
                    _ => {
                        return Err(Failure::usage(format!(
                            "--file {shown}: command {key} has no `method` string"
                        )));
                    }
                };
                let params = match fields.remove("params") {
                    None | Some(Value::Null) => Map::new(),
                    Some(Value::Object(params)) => params,
                    // PHP's empty array.
                    Some(Value::Array(a)) if a.is_empty() => Map::new(),
                    Some(other) => {
                        return Err(Failure::usage(format!(
                            "--file {shown}: the `params` of command {key} must be an object, \
                             found {other}"
                        )));
                    }
                };
                if let Some(extra) = fields.keys().next() {
                    return Err(Failure::usage(format!(
                        "--file {shown}: command {key} has an unknown key `{extra}` (only \
                         `method` and `params`)"
                    )));
                }
                Ok(Raw {
                    key,
                    method,
                    params,
                })
            }
            other => Err(Failure::usage(format!(
                "--file {shown}: command {key} must be `METHOD?QUERY` or {{\"method\", \
                 \"params\"}}, found {other}"
            ))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((commands, halt))
}

/// The command's method has a spec, and its parameters are the spec's: declared names (in any
/// case, as the portal reads them), values of their types, required ones present. Values that
/// take something from an earlier command (`$result[…]`) are known only on the portal and are
/// not checked.
fn check<'s>(raw: &Raw, specs: &'s [Spec]) -> Result<&'s Spec, Failure> {
    let at = |message: String| Failure::usage(format!("command {}: {message}", raw.key));
    let spec = specs
        .iter()
        .find(|s| s.method.eq_ignore_ascii_case(&raw.method))
        .ok_or_else(|| {
            at(format!(
                "no spec defines the method `{}` (add one with --specs)",
                raw.method
            ))
        })?;
    for (name, value) in &raw.params {
        let Some(param) = spec
            .params
            .iter()
            .find(|p| p.wire.eq_ignore_ascii_case(name))
        else {
            let known: Vec<&str> = spec.params.iter().map(|p| p.wire.as_str()).collect();
            return Err(at(format!(
                "`{name}` is not a parameter of `{}` (its parameters: {})",
                spec.method,
                if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                }
            )));
        };
        if let Some(value) = without_references(value)
            && let Err(e) = conform::check(spec, &param.ty, &value, Mode::Request)
        {
            let below = if e.path.is_root() {
                String::new()
            } else {
                format!(" at `{}`", e.path)
            };
            return Err(at(format!(
                "parameter `{}`{below}: {}",
                param.wire, e.message
            )));
        }
    }
    if let Some(missing) = spec
        .params
        .iter()
        .find(|p| p.required && !raw.params.keys().any(|k| k.eq_ignore_ascii_case(&p.wire)))
    {
        return Err(at(format!(
            "`{}` needs the parameter `{}`",
            spec.method, missing.wire
        )));
    }
    Ok(spec)
}

/// `value` without the parts that reference an earlier command's result; `None` when it is
/// one.
fn without_references(value: &Value) -> Option<Value> {
    match value {
        Value::String(s) if s.contains("$result[") => None,
        Value::Array(items) => Some(Value::Array(
            items.iter().filter_map(without_references).collect(),
        )),
        Value::Object(map) => Some(Value::Object(
            map.iter()
                .filter_map(|(k, v)| Some((k.clone(), without_references(v)?)))
                .collect(),
        )),
        other => Some(other.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn specs() -> Vec<Spec> {
        crate::app::shipped_specs().unwrap()
    }

    fn checked(text: &str) -> Result<String, String> {
        let raw = from_text("0".into(), text).map_err(|f| f.message)?;
        check(&raw, &specs())
            .map(|s| s.method.clone())
            .map_err(|f| f.message)
    }

    #[test]
    fn commands_are_read_as_php_reads_a_query() {
        let raw = from_text("3".into(), "user.get?FILTER[>ID]=5&SORT=ID&select[]=NAME").unwrap();
        assert_eq!(raw.method, "user.get");
        assert_eq!(
            Value::Object(raw.params),
            json!({"FILTER": {">ID": "5"}, "SORT": "ID", "select": ["NAME"]})
        );
        assert!(from_text("0".into(), "?ID=5").is_err());
    }

    #[test]
    fn commands_are_checked_against_their_specs() {
        assert_eq!(checked("im.user.get?ID=5").as_deref(), Ok("im.user.get"));
        assert_eq!(
            checked("user.get?FILTER[ID]=$result[0][ID]&sort=ID").as_deref(),
            Ok("user.get")
        );
        for (text, needle) in [
            (
                "no.such.method",
                "no spec defines the method `no.such.method`",
            ),
            ("im.user.get?ID=abc", "parameter `ID`"),
            (
                "im.user.get?NOPE=1",
                "`NOPE` is not a parameter of `im.user.get`",
            ),
            ("user.get?FILTER[AGE]=5", "`AGE`"),
            ("im.user.status.set", "needs the parameter `STATUS`"),
        ] {
            let e = checked(text).unwrap_err();
            assert!(
                e.starts_with("command 0: ") && e.contains(needle),
                "{text}: {e}"
            );
        }
    }

    #[test]
    fn references_are_left_to_the_portal() {
        assert_eq!(without_references(&json!("$result[0][ID]")), None);
        assert_eq!(
            without_references(&json!({"ID": "$result[a][ID]", ">ID": "5"})),
            Some(json!({">ID": "5"}))
        );
    }
}
