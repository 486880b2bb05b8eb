//! `batch`: up to 50 commands in one request, run in order, later ones able to use earlier
//! results, as described at
//! <https://apidocs.bitrix24.com/settings/how-to-call-rest-api/batch.html>.

use b24_client::SystemError;
use serde_json::{Map, Value};
use tokio::time::Instant;

use crate::auth::Caller;
use crate::call::{self, Outcome};
use crate::clock::{TimeBlock, php_array};
use crate::emulator::State;
use crate::envelope::{Failure, INVALID_ARG_VALUE};
use crate::request::Params;

/// Commands beyond this many end with `ERROR_BATCH_LENGTH_EXCEEDED`.
pub(crate) const MAX_COMMANDS: usize = 50;

/// Runs the commands of a `batch` call; returns its `result` and when it finished.
pub(crate) async fn run(
    state: &State,
    caller: &Caller,
    params: &Params,
    start: Instant,
) -> (Result<Value, Failure>, Instant) {
    let commands: Vec<(String, Value)> = match params.get("cmd") {
        Some(Value::Object(map)) => map.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v.clone()))
            .collect(),
        _ => {
            let failure = Failure::new(
                400,
                INVALID_ARG_VALUE,
                "`cmd` must be an object of commands such as {\"me\": \"user.current\", \
                 \"page\": \"crm.deal.list?start=50\"}",
            );
            return (Err(failure), start);
        }
    };
    let halt = params.get("halt").is_some_and(truthy);

    let mut results: Vec<(String, Value)> = Vec::new();
    let mut errors: Vec<(String, Value)> = Vec::new();
    let mut totals: Vec<(String, Value)> = Vec::new();
    let mut nexts: Vec<(String, Value)> = Vec::new();
    let mut times: Vec<(String, Value)> = Vec::new();
    let mut cursor = start;

    for (index, (name, command)) in commands.into_iter().enumerate() {
        let outcome = if index >= MAX_COMMANDS {
            Outcome::Failed(Failure::system(
                SystemError::ErrorBatchLengthExceeded,
                SystemError::ErrorBatchLengthExceeded.description(),
            ))
        } else if let Value::String(command) = &command {
            let (method, query) = command.split_once('?').unwrap_or((command, ""));
            let mut params = Params::from_query(query);
            for value in params.map_mut().values_mut() {
                substitute(value, &results);
            }
            let begun = cursor.max(state.clock.now());
            let (outcome, finish) =
                call::run(state, caller, method.trim(), &params, begun, true).await;
            cursor = finish;
            outcome
        } else {
            Outcome::Failed(Failure::new(
                400,
                INVALID_ARG_VALUE,
                "each command must be a string `method?param=value&…`",
            ))
        };
        match outcome {
            Outcome::Answered { answer, time, .. } => {
                results.push((name.clone(), answer.result));
                if let Some(total) = answer.total {
                    totals.push((name.clone(), Value::from(total)));
                }
                if let Some(next) = answer.next {
                    nexts.push((name.clone(), Value::from(next)));
                }
                // The portal's per-command time blocks carry no operating time.
                let time = TimeBlock {
                    operating: None,
                    ..time
                };
                times.push((name, time.to_json()));
            }
            Outcome::Failed(failure) => {
                errors.push((name, failure.to_json()));
                if halt {
                    break;
                }
            }
            // Nested commands never break the HTTP response.
            Outcome::Html502 | Outcome::Reset => {}
        }
    }

    let mut result = Map::new();
    result.insert("result".into(), php_array(results));
    result.insert("result_error".into(), php_array(errors));
    result.insert("result_total".into(), php_array(totals));
    result.insert("result_next".into(), php_array(nexts));
    result.insert("result_time".into(), php_array(times));
    (Ok(Value::Object(result)), cursor)
}

/// `halt` as the portal reads it: `true`, `1`, `"1"`, `"true"`, `"Y"`.
fn truthy(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|n| n != 0.0),
        Value::String(s) => matches!(s.trim().to_ascii_lowercase().as_str(), "1" | "true" | "y"),
        _ => false,
    }
}

/// Replaces `$result[cmd][field][sub]…` references in the strings of `value` with what the
/// earlier command `cmd` answered. A string that is just one reference takes the referenced
/// value as it is (a list stays a list); references inside longer text become text. A
/// reference to something that does not exist becomes empty.
fn substitute(value: &mut Value, results: &[(String, Value)]) {
    match value {
        Value::String(text) => {
            if let Some((path, rest)) = reference(text)
                && text.starts_with(REFERENCE)
                && rest.is_empty()
            {
                *value = lookup(&path, results)
                    .cloned()
                    .unwrap_or_else(|| Value::String(String::new()));
                return;
            }
            let mut out = String::new();
            let mut rest: &str = text;
            while let Some(at) = rest.find(REFERENCE) {
                out.push_str(&rest[..at]);
                match reference(&rest[at..]) {
                    Some((path, after)) => {
                        out.push_str(&as_text(lookup(&path, results)));
                        rest = after;
                    }
                    None => {
                        out.push_str(REFERENCE);
                        rest = &rest[at + REFERENCE.len()..];
                    }
                }
            }
            out.push_str(rest);
            *text = out;
        }
        Value::Array(items) => items.iter_mut().for_each(|v| substitute(v, results)),
        Value::Object(map) => map.values_mut().for_each(|v| substitute(v, results)),
        _ => {}
    }
}

const REFERENCE: &str = "$result[";

/// `$result[a][b]…tail` at the start of `text` → (`["a", "b"]`, `tail`).
fn reference(text: &str) -> Option<(Vec<&str>, &str)> {
    let mut rest = text.strip_prefix("$result")?;
    let mut path = Vec::new();
    while let Some(inner) = rest.strip_prefix('[') {
        let close = inner.find(']')?;
        path.push(&inner[..close]);
        rest = &inner[close + 1..];
    }
    (!path.is_empty()).then_some((path, rest))
}

fn lookup<'a>(path: &[&str], results: &'a [(String, Value)]) -> Option<&'a Value> {
    let (first, rest) = path.split_first()?;
    let mut at = &results.iter().find(|(name, _)| name == first)?.1;
    for key in rest {
        at = match at {
            Value::Object(map) => map.get(*key)?,
            Value::Array(items) => items.get(key.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(at)
}

/// A value inside text, as PHP prints it: strings as they are, `true` as `1`, `false` and
/// nothing as empty, lists and objects as JSON.
fn as_text(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null | Value::Bool(false)) => String::new(),
        Some(Value::Bool(true)) => "1".into(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn results() -> Vec<(String, Value)> {
        vec![
            (
                "me".into(),
                json!({"ID": "1", "UF_DEPARTMENT": [7, 8], "ok": true}),
            ),
            ("list".into(), json!([{"id": 5}])),
        ]
    }

    #[test]
    fn references_are_substituted() {
        let mut v = json!({
            "a": "$result[me][ID]",
            "b": "$result[me][UF_DEPARTMENT][1]",
            "c": "$result[list][0][id]",
            "d": "x-$result[me][ID]-$result[list][0][id]-$result[me][ok]",
            "e": "$result[me][UF_DEPARTMENT]",
            "f": ["$result[nope][x]", "$result[me]x", "$result"],
        });
        substitute(&mut v, &results());
        assert_eq!(
            v,
            json!({
                "a": "1",
                "b": 8,
                "c": 5,
                "d": "x-1-5-1",
                "e": [7, 8],
                "f": ["", "{\"ID\":\"1\",\"UF_DEPARTMENT\":[7,8],\"ok\":true}x", "$result"],
            })
        );
    }

    #[test]
    fn halt_values() {
        for yes in [json!(1), json!(true), json!("1"), json!("Y"), json!("true")] {
            assert!(truthy(&yes), "{yes}");
        }
        for no in [json!(0), json!(false), json!("0"), json!("N"), json!(null)] {
            assert!(!truthy(&no), "{no}");
        }
    }
}
