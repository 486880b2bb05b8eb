//! Whatever a client sends, the emulator answers like a portal: a JSON envelope with either a
//! `result` or an `error` and its description, with a 2xx or 4xx status, never a 5xx or a
//! dropped connection. A `result` given to a JSON call that names the method and its
//! parameters as the spec spells them must also have the shape the spec declares (for form,
//! query-string, recased and `batch` calls only the envelope is checked). Requests are
//! generated: every served method (and some that are not), the spec's parameter names in any
//! letter case with arbitrary values, sent as JSON, as a PHP-style form, in the query string,
//! as raw bytes, and inside `batch`.
//!
//! The cases are the same on every run (a fixed seed) unless `PROPTEST_RNG_SEED` says
//! otherwise; `PROPTEST_CASES` runs more. One emulator serves them all, so the writes among
//! them (`im.user.status.set`, …) change what later reads answer, as on a portal.

use std::sync::OnceLock;

use b24_emulator::{Emulator, Plan, RunningEmulator};
use b24_spec::Spec;
use b24_spec::conform::{self, Mode};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner, contextualize_config};
use reqwest::header::CONTENT_TYPE;
use serde_json::{Map, Value};

/// How the parameters travel.
#[derive(Debug, Clone)]
enum Encoding {
    Json,
    Form,
    Query,
    /// These bytes, with this content type, instead of the parameters.
    Raw(Vec<u8>, Option<&'static str>),
}

#[derive(Debug, Clone)]
struct Call {
    method: String,
    params: Map<String, Value>,
    /// Every key is spelled exactly as in the spec, so the spec can say which result shape
    /// the parameters ask for.
    exact_names: bool,
    encoding: Encoding,
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (-1e9f64..1e9).prop_map(Value::from),
        "\\PC{0,10}".prop_map(Value::from),
        // Values the specs give meaning to, so calls get past the first check now and then.
        prop::sample::select(vec![
            "Y",
            "N",
            "1",
            "5",
            "7",
            "0",
            "-1",
            "",
            "asc",
            "DESC",
            "online",
            "dnd",
            "L",
            "Y",
            "2024-07-23 08:08:50",
            "2024-07-23T08:08:50+03:00",
            "ID",
            "NAME",
            "*",
            "son",
        ])
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[>=<!%@]{0,2}[A-Za-z_]{1,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A name in a letter case chosen by `mask` (bit i upper-cases letter i).
fn recase(name: &str, mask: u32) -> String {
    name.chars()
        .enumerate()
        .map(|(i, c)| {
            if mask >> (i % 32) & 1 == 1 {
                c.to_ascii_uppercase()
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

fn call(specs: &'static [Spec]) -> impl Strategy<Value = Call> {
    let methods = specs.len();
    let params = prop::collection::vec(
        (
            any::<prop::sample::Index>(),
            prop::option::weighted(0.25, any::<u32>()),
            "[A-Za-z_]{1,8}",
            json_value(),
        ),
        0..4,
    );
    let encoding = prop_oneof![
        3 => Just(Encoding::Json),
        2 => Just(Encoding::Form),
        1 => Just(Encoding::Query),
        1 => (
            prop::collection::vec(any::<u8>(), 0..48),
            prop::sample::select(vec![
                None,
                Some("application/json"),
                Some("application/x-www-form-urlencoded"),
                Some("text/plain"),
            ]),
        )
            .prop_map(|(bytes, ty)| Encoding::Raw(bytes, ty)),
    ];
    (
        0..methods + 3,
        any::<u32>(),
        any::<bool>(),
        params,
        encoding,
    )
        .prop_map(move |(m, method_case, from_example, params, encoding)| {
            let spec = specs.get(m);
            let method = match spec {
                Some(spec) if method_case % 4 == 0 => recase(&spec.method, method_case),
                Some(spec) => spec.method.clone(),
                None => match m - methods {
                    0 => "batch",
                    1 => "no.such.method",
                    _ => "user.current.json",
                }
                .to_owned(),
            };
            let mut exact_names = true;
            // Half the calls start from the spec's example, which the method accepts, so that
            // the generated changes reach the paths past parameter checks.
            let mut map = match spec.and_then(|s| s.example.as_ref()) {
                Some(example) if from_example => example.params.clone(),
                _ => Map::new(),
            };
            for (pick, case, other, value) in params {
                // Mostly the spec's own parameters, sometimes in another case, sometimes not.
                let name = match spec.filter(|s| !s.params.is_empty()) {
                    Some(spec) if !other.starts_with('_') => {
                        let wire = &pick.get(&spec.params).wire;
                        match case {
                            Some(mask) => {
                                exact_names &= recase(wire, mask) == *wire;
                                recase(wire, mask)
                            }
                            None => wire.clone(),
                        }
                    }
                    _ => other,
                };
                map.insert(name, value);
            }
            if method == "batch" {
                map = batch_params(map);
            }
            Call {
                method,
                params: map,
                exact_names,
                encoding,
            }
        })
}

/// Turns generated values into `batch` parameters: commands named by their keys, each a method
/// with a query string made of the value, plus whatever else was generated.
fn batch_params(generated: Map<String, Value>) -> Map<String, Value> {
    let mut commands = Map::new();
    for (i, (key, value)) in generated.iter().enumerate() {
        let method = [
            "user.current",
            "im.user.get",
            "department.get",
            "batch",
            "nope",
        ][i % 5];
        let query = form_pairs(&Value::Object(Map::from_iter([(
            key.clone(),
            value.clone(),
        )])));
        commands.insert(key.to_lowercase(), Value::from(format!("{method}?{query}")));
    }
    let mut params = generated;
    params.insert("cmd".to_owned(), Value::Object(commands));
    params
}

/// PHP-style form pairs (`A[b][]=1&...`), percent-encoded, as clients write nested values.
fn form_pairs(value: &Value) -> String {
    fn walk(prefix: &str, value: &Value, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (key, v) in map {
                    let name = if prefix.is_empty() {
                        key.clone()
                    } else {
                        format!("{prefix}[{key}]")
                    };
                    walk(&name, v, out);
                }
            }
            Value::Array(items) => {
                for v in items {
                    walk(&format!("{prefix}[]"), v, out);
                }
            }
            Value::Null => out.push(format!("{}=", encode(prefix))),
            Value::String(s) => out.push(format!("{}={}", encode(prefix), encode(s))),
            other => out.push(format!("{}={}", encode(prefix), encode(&other.to_string()))),
        }
    }
    let mut out = Vec::new();
    walk("", value, &mut out);
    out.join("&")
}

fn encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

struct Served {
    runtime: tokio::runtime::Runtime,
    running: RunningEmulator,
    specs: &'static [Spec],
    http: reqwest::Client,
}

fn served() -> Served {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    // No rate limit or processing time, so no call is refused for the ones before it.
    let emulator = Emulator::builder()
        .plan(Plan::Unlimited)
        .default_processing_time(std::time::Duration::ZERO)
        .build()
        .unwrap();
    static SPECS: OnceLock<Vec<Spec>> = OnceLock::new();
    let specs = SPECS.get_or_init(|| emulator.methods().cloned().collect());
    let running = runtime.block_on(emulator.start("127.0.0.1:0")).unwrap();
    Served {
        runtime,
        running,
        specs,
        http: reqwest::Client::new(),
    }
}

impl Served {
    async fn send(&self, call: &Call) -> Result<(u16, String, Option<String>), TestCaseError> {
        let url = format!("{}{}", self.running.webhook_url(), call.method);
        let request = match &call.encoding {
            Encoding::Json => self
                .http
                .post(&url)
                .header(CONTENT_TYPE, "application/json")
                .body(Value::Object(call.params.clone()).to_string()),
            Encoding::Form => self
                .http
                .post(&url)
                .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(form_pairs(&Value::Object(call.params.clone()))),
            Encoding::Query => {
                let query = form_pairs(&Value::Object(call.params.clone()));
                self.http.get(format!("{url}?{query}"))
            }
            Encoding::Raw(bytes, ty) => {
                let request = self.http.post(&url).body(bytes.clone());
                match ty {
                    Some(ty) => request.header(CONTENT_TYPE, *ty),
                    None => request,
                }
            }
        };
        let response = request
            .send()
            .await
            .map_err(|e| TestCaseError::fail(format!("no answer: {e}")))?;
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = response
            .text()
            .await
            .map_err(|e| TestCaseError::fail(format!("body cut off: {e}")))?;
        Ok((status, body, content_type))
    }

    fn check(&self, call: &Call) -> Result<(), TestCaseError> {
        let (status, body, content_type) = self.runtime.block_on(self.send(call))?;
        let context = || format!("{call:?}\n  HTTP {status}: {body}");
        prop_assert!(
            (200..300).contains(&status) || (400..500).contains(&status),
            "{}",
            context()
        );
        prop_assert!(
            content_type
                .as_deref()
                .is_some_and(|t| t.starts_with("application/json")),
            "{}",
            context()
        );
        let envelope: Value = serde_json::from_str(&body)
            .map_err(|e| TestCaseError::fail(format!("not JSON ({e}): {}", context())))?;
        match (envelope.get("result"), envelope.get("error")) {
            (Some(result), None) => {
                prop_assert!(status == 200, "{}", context());
                prop_assert!(envelope["time"].is_object(), "{}", context());
                self.check_result(call, result, &context)?;
            }
            (None, Some(error)) => {
                prop_assert!(status >= 400, "{}", context());
                prop_assert!(
                    error.as_str().is_some_and(|e| !e.is_empty()),
                    "{}",
                    context()
                );
                let description = envelope["error_description"].as_str().unwrap_or_default();
                prop_assert!(!description.is_empty(), "{}", context());
            }
            _ => prop_assert!(false, "neither result nor error: {}", context()),
        }
        Ok(())
    }

    /// A JSON call with the spec's spelling gets a result of the declared shape.
    fn check_result(
        &self,
        call: &Call,
        result: &Value,
        context: &dyn Fn() -> String,
    ) -> Result<(), TestCaseError> {
        let spec = self.specs.iter().find(|s| s.method == call.method);
        if let (Some(spec), Encoding::Json, true) = (spec, &call.encoding, call.exact_names) {
            let ty = conform::result_type(spec, &call.params);
            if let Err(m) = conform::check(spec, ty, result, Mode::Result) {
                return Err(TestCaseError::fail(format!(
                    "result does not match the spec at {}: {}\n{}",
                    m.path,
                    m.message,
                    context()
                )));
            }
        }
        Ok(())
    }
}

#[test]
fn every_request_gets_an_envelope_and_results_match_their_spec() {
    let served = served();
    let mut runner = TestRunner::new(contextualize_config(Config {
        cases: 2048,
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(0xb24),
        ..Config::default()
    }));
    let outcome = runner.run(&call(served.specs), |call| served.check(&call));
    if let Err(e) = outcome {
        panic!("{e}");
    }
}
