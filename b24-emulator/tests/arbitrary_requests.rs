//! Whatever a client sends, the emulator answers like a portal: a JSON envelope with either a
//! `result` or an `error` and its description, with a 2xx or 4xx status, never a 5xx or a
//! dropped connection. A `result` given to a JSON call that names the method and its
//! parameters as the spec spells them must also have the shape the spec declares (for form,
//! query-string, recased and `batch` calls only the envelope is checked). Requests are
//! generated: every served method (and some that are not), the spec's parameter names in any
//! letter case with arbitrary values, sent as JSON, as a PHP-style form (lists written `a[]=`
//! or with indices `a[0]=`, as PHP's `http_build_query` and the SDKs write them), in the query
//! string, as raw bytes, and inside `batch`.
//!
//! The ways real clients write the same call must not change its answer either (status and
//! envelope, `time` blocks aside): lists in a JSON body as objects keyed `"0"`, `"1"`, …,
//! doubled slashes in the path, the `.json` suffix, and b24jssdk's `bx24_*` telemetry in the
//! query string. Each generated call is also sent in such a dialect and compared.
//!
//! The cases are the same on every run (a fixed seed) unless `PROPTEST_RNG_SEED` says
//! otherwise; `PROPTEST_CASES` runs more. One emulator serves them all, so the writes among
//! them (`im.user.status.set`, …) change what later reads answer, as on a portal.

use std::sync::OnceLock;

use b24_emulator::{Emulator, Plan, RunningEmulator};
use b24_spec::conform::{self, Mode};
use b24_spec::{EmulationKind, Spec};
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

/// How a client may also write a call; none of it may change the answer.
#[derive(Debug, Clone, Default, PartialEq)]
struct Dialect {
    /// Non-empty lists in a JSON body as objects keyed `"0"`, `"1"`, …, which PHP reads as
    /// the same arrays (other encodings ignore it).
    digit_keys: bool,
    /// A second slash after this many segments of the path (`/rest//1/…`).
    double_slash: Option<usize>,
    /// `.json` after the method name.
    json_suffix: bool,
    /// `bx24_request_id`, `bx24_sdk_ver` and `bx24_sdk_type` in the query string.
    bx24: bool,
}

#[derive(Debug, Clone)]
struct Call {
    method: String,
    params: Map<String, Value>,
    /// Every key is spelled exactly as in the spec, so the spec can say which result shape
    /// the parameters ask for.
    exact_names: bool,
    encoding: Encoding,
    /// Forms and query strings write list items with indices (`a[0]=`) rather than `a[]=`.
    indexed: bool,
    /// The same call as another client writes it.
    dialect: Dialect,
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
            "OR",
        ])
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            // Field names behind operators, and the keys of nested filter groups.
            prop::collection::btree_map("[>=<!%@]{0,2}[A-Za-z_]{1,8}|[0-9]|logic", inner, 0..4)
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
    let dialect = (
        any::<bool>(),
        prop::option::of(0..4usize),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(digit_keys, double_slash, json_suffix, bx24)| Dialect {
            digit_keys,
            double_slash,
            json_suffix,
            bx24,
        });
    (
        (0..methods + 3, any::<u32>(), any::<bool>()),
        params,
        encoding,
        any::<bool>(),
        dialect,
    )
        .prop_map(
            move |((m, method_case, from_example), params, encoding, indexed, dialect)| {
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
                    indexed,
                    dialect,
                }
            },
        )
}

/// Turns generated values into `batch` parameters: commands named by their keys, each a method
/// with a query string made of the value (lists written with indices in every other command),
/// plus whatever else was generated.
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
        let query = form_pairs(
            &Value::Object(Map::from_iter([(key.clone(), value.clone())])),
            i % 2 == 1,
        );
        commands.insert(key.to_lowercase(), Value::from(format!("{method}?{query}")));
    }
    let mut params = generated;
    params.insert("cmd".to_owned(), Value::Object(commands));
    params
}

/// PHP-style form pairs (`A[b][]=1&...`, or `A[b][0]=1&...` when `indexed`), percent-encoded,
/// as clients write nested values.
fn form_pairs(value: &Value, indexed: bool) -> String {
    fn walk(prefix: &str, value: &Value, indexed: bool, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (key, v) in map {
                    let name = if prefix.is_empty() {
                        key.clone()
                    } else {
                        format!("{prefix}[{key}]")
                    };
                    walk(&name, v, indexed, out);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    let index = if indexed {
                        i.to_string()
                    } else {
                        String::new()
                    };
                    walk(&format!("{prefix}[{index}]"), v, indexed, out);
                }
            }
            Value::Null => out.push(format!("{}=", encode(prefix))),
            Value::String(s) => out.push(format!("{}={}", encode(prefix), encode(s))),
            other => out.push(format!("{}={}", encode(prefix), encode(&other.to_string()))),
        }
    }
    let mut out = Vec::new();
    walk("", value, indexed, &mut out);
    out.join("&")
}

/// `value` with every non-empty list, at any depth, written as an object keyed `"0"`, `"1"`, ….
fn digit_keys(value: &Value) -> Value {
    match value {
        Value::Array(items) if !items.is_empty() => Value::Object(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| (i.to_string(), digit_keys(v)))
                .collect(),
        ),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), digit_keys(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// An answer without what differs from one call to the next: the `time` blocks.
fn timeless(mut envelope: Value) -> Value {
    if let Some(map) = envelope.as_object_mut() {
        map.remove("time");
        if let Some(result) = map.get_mut("result").and_then(Value::as_object_mut) {
            result.remove("result_time");
        }
    }
    envelope
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
    /// Sends `call` the way `dialect` writes it.
    async fn send(
        &self,
        call: &Call,
        dialect: &Dialect,
    ) -> Result<(u16, String, Option<String>), TestCaseError> {
        let mut method = call.method.clone();
        if dialect.json_suffix && !method.ends_with(".json") {
            method += ".json";
        }
        let hook = self.running.webhook_url();
        let base = self.running.base_url();
        let mut path = format!("{}{method}", &hook[base.len()..]);
        if let Some(after) = dialect.double_slash {
            // `/rest/1/CODE/METHOD`: the slash before segment `after`.
            let at = path.match_indices('/').nth(after).map_or(0, |(i, _)| i);
            path.insert(at, '/');
        }
        let mut url = format!("{base}{path}");
        if dialect.bx24 {
            url += "?bx24_request_id=0195f1c2-7d3a-4b8e-9f10-2a6b4c8d1e3f\
                    &bx24_sdk_ver=2.1.0&bx24_sdk_type=b24-js-sdk";
        }
        let params = Value::Object(call.params.clone());
        // Only JSON: a form's `a[]=` is already PHP's reading, which indices could change.
        let params = if dialect.digit_keys && matches!(call.encoding, Encoding::Json) {
            digit_keys(&params)
        } else {
            params
        };
        let request = match &call.encoding {
            Encoding::Json => self
                .http
                .post(&url)
                .header(CONTENT_TYPE, "application/json")
                .body(params.to_string()),
            Encoding::Form => self
                .http
                .post(&url)
                .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(form_pairs(&params, call.indexed)),
            Encoding::Query => {
                let query = form_pairs(&params, call.indexed);
                let join = if dialect.bx24 { '&' } else { '?' };
                self.http.get(format!("{url}{join}{query}"))
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
        let (status, body, content_type) = self
            .runtime
            .block_on(self.send(call, &Dialect::default()))?;
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
                let description = envelope["error_description"].as_str().unwrap_or_default();
                prop_assert!(!description.is_empty(), "{}", context());
                // An empty code only for an error the method documents by its description
                // (`errors: "":`), as the portal answers it.
                prop_assert!(
                    error.as_str().is_some_and(
                        |e| !e.is_empty() || self.documents_by_description(call, description)
                    ),
                    "{}",
                    context()
                );
            }
            _ => prop_assert!(false, "neither result nor error: {}", context()),
        }
        // A write of a CRUD kind answers differently the second time (a new id, "not found",
        // a new time stamp), as on a portal; every other call must answer alike.
        let repeatable = self
            .specs
            .iter()
            .find(|s| s.method.eq_ignore_ascii_case(&call.method))
            .and_then(|s| s.emulator.as_ref())
            .is_none_or(|e| {
                !matches!(
                    e.kind,
                    Some(EmulationKind::Add | EmulationKind::Update | EmulationKind::Delete)
                )
            });
        if call.dialect != Dialect::default() && repeatable {
            let (again, other, _) = self.runtime.block_on(self.send(call, &call.dialect))?;
            let other: Value = serde_json::from_str(&other)
                .map_err(|e| TestCaseError::fail(format!("not JSON ({e}): {other}")))?;
            // A write that succeeded changed the portal (a new id, a record gone): the same
            // call again need not answer the same, only with an envelope.
            let wrote = status == 200 && !self.read_only(call);
            if wrote {
                prop_assert!(
                    other.get("result").is_some() != other.get("error").is_some(),
                    "the same call as {:?} answered {other}: {}",
                    call.dialect,
                    context()
                );
                return Ok(());
            }
            prop_assert_eq!(
                (again, timeless(other)),
                (status, timeless(envelope)),
                "the same call as {:?} answered differently: {}",
                call.dialect,
                context()
            );
        }
        Ok(())
    }

    /// The called method's spec (method names are case-insensitive).
    fn spec_of(&self, call: &Call) -> Option<&Spec> {
        self.specs
            .iter()
            .find(|s| s.method.eq_ignore_ascii_case(&call.method))
    }

    /// Whether the called method only reads (an unknown method writes nothing).
    fn read_only(&self, call: &Call) -> bool {
        self.spec_of(call).is_none_or(|s| s.read_only)
    }

    /// Whether the called method documents an error with an empty code and this description.
    fn documents_by_description(&self, call: &Call, description: &str) -> bool {
        self.spec_of(call)
            .and_then(|spec| b24_spec::find_error(spec, description))
            .is_some_and(|e| e.code.is_empty())
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
