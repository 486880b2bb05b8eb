//! Sample values of a spec's types in the spellings Bitrix24 uses on the wire: ids as numbers
//! and as numeric strings, `Y`/`N` and real booleans, each "no value" marker a type declares,
//! PHP's `[]` for an empty map, both date-time spellings, enum values in any case where the
//! enum allows it, optional fields left out or `null`, keys the spec does not list, and custom
//! fields of every kind under the names a type's `custom_fields` patterns match.
//!
//! The generated contract tests decode them with the generated types. Only samples that
//! [`conform`] accepts are kept, so those tests check one direction of agreement between the
//! two readers of a spec's types: what `conform` accepts (as the emulator's answers and the
//! specs' examples must be), the generated code decodes. Values the generated code reads but
//! `conform` refuses (an enum value the spec does not list, say) are not tested here.

use serde_json::{Map, Value, json};

use crate::conform::{self, Mode};
use crate::model::{MapKeys, Spec, TypeKind, TypeRef};

/// Objects nest no deeper than this; deeper, optional fields are left out.
const MAX_DEPTH: usize = 6;

/// The seed of a result shape's samples: the same on every build (FNV-1a of the method name
/// and the `by_param` variant, empty for a result with one shape).
pub fn seed_for(method: &str, variant: &str) -> u64 {
    format!("{method} {variant}")
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        })
}

/// Up to `count` values of `ty` that `conform` accepts as a result, the same for the same
/// `seed`. Fewer when the type has few spellings (duplicates are dropped).
pub fn results(spec: &Spec, ty: &TypeRef, count: usize, seed: u64) -> Vec<Value> {
    samples(spec, ty, count, seed, Mode::Result)
}

/// Up to `count` values of a parameter's type `ty` that `conform` accepts in a request, the
/// same for the same `seed`: input objects with their required fields and some of the
/// others, and the spellings a PHP form sends (numbers and ids as text, lists as objects
/// keyed `"0"`, `"1"`, …).
pub fn requests(spec: &Spec, ty: &TypeRef, count: usize, seed: u64) -> Vec<Value> {
    samples(spec, ty, count, seed, Mode::Request)
}

fn samples(spec: &Spec, ty: &TypeRef, count: usize, seed: u64, mode: Mode) -> Vec<Value> {
    let mut generator = Generator {
        spec,
        mode,
        rng: SplitMix(seed),
    };
    let mut out: Vec<Value> = Vec::new();
    // A bounded number of tries: a type with few spellings yields fewer samples.
    for _ in 0..count * 4 {
        if out.len() == count {
            break;
        }
        let value = generator.value(ty, 0);
        if conform::check(spec, ty, &value, mode).is_ok() && !out.contains(&value) {
            out.push(value);
        }
    }
    out
}

struct Generator<'a> {
    spec: &'a Spec,
    /// A request's spellings, or a result's.
    mode: Mode,
    rng: SplitMix,
}

impl Generator<'_> {
    fn value(&mut self, ty: &TypeRef, depth: usize) -> Value {
        if depth > 2 * MAX_DEPTH {
            // Lists and maps are empty from MAX_DEPTH on and the checks refuse other cycles,
            // so this only guards against a cycle they let through; `conform` refuses it.
            return Value::Null;
        }
        let markers: Vec<Value> = ty.markers().collect();
        if !markers.is_empty() && self.rng.one_in(4) {
            return self.rng.pick(&markers).clone();
        }
        if self.mode == Mode::Request
            && self.rng.one_in(3)
            && let Some(text) = self.form_text(ty, depth)
        {
            return text;
        }
        self.spelled(ty, depth)
    }

    /// A value of `ty` in one of its JSON spellings.
    fn spelled(&mut self, ty: &TypeRef, depth: usize) -> Value {
        match &ty.kind {
            TypeKind::String => self.pick_json(&[
                json!("text"),
                json!(""),
                json!("Ünïcödé ✓"),
                json!("quote \" and \\ backslash"),
                json!("two\nlines"),
                json!("42"),
            ]),
            // Numbers as JSON numbers and as the numeric strings a PHP backend may send.
            TypeKind::Integer => self.pick_json(&[
                json!(0),
                json!(1),
                json!(-7),
                json!(2_147_483_648_i64),
                json!(i64::MIN),
                json!("99"),
                json!("-180"),
            ]),
            TypeKind::Number => self.pick_json(&[
                json!(0),
                json!(1.5),
                json!(-2.25),
                json!(1e10),
                json!("19999.99"),
                json!("-3"),
            ]),
            TypeKind::Decimal => self.pick_json(&[
                json!("19999.99"),
                json!("100.00"),
                json!("-0.5"),
                json!("0"),
                json!(19999.99),
                json!(1_000_000),
            ]),
            TypeKind::Boolean => self.pick_json(&[json!(true), json!(false)]),
            TypeKind::Yn => self.pick_json(&[json!("Y"), json!("N"), json!(true), json!(false)]),
            TypeKind::Id => self.pick_json(&[
                json!(1),
                json!(5),
                json!("7"),
                json!("0"),
                json!(4_294_967_296_u64),
                json!("4294967296"),
            ]),
            TypeKind::Datetime => self.pick_json(&[
                json!("2026-03-02T09:30:00+01:00"),
                json!("2024-07-23T08:08:50+00:00"),
                json!("2024-02-29T23:59:59-05:30"),
                json!("2024-07-23T08:08:50Z"),
            ]),
            TypeKind::NaiveDatetime => self.pick_json(&[
                json!("2024-07-23 08:08:50"),
                json!("2000-01-01 00:00:00"),
                json!("2024-07-23T08:08:50"),
            ]),
            TypeKind::DisplayDatetime => self.pick_json(&[
                json!("12/11/2024 05:59:00 pm"),
                json!("11/04/2015 05:50:43 PM"),
                json!("04/17/2025 19:40:48"),
                json!("11.12.2024 17:59:00"),
                json!("2024-12-11 17:59:00"),
            ]),
            TypeKind::Date => self.pick_json(&[json!("2024-07-23"), json!("1990-12-31")]),
            TypeKind::Json => self.pick_json(&[
                json!(null),
                json!([]),
                json!({}),
                json!({"any": ["thing", 1]}),
                json!("text"),
            ]),
            TypeKind::Array(items) => {
                let len = if depth >= MAX_DEPTH {
                    0
                } else {
                    self.rng.below(4)
                };
                Value::Array((0..len).map(|_| self.value(items, depth + 1)).collect())
            }
            TypeKind::Map { keys, values } => {
                let len = if depth >= MAX_DEPTH {
                    0
                } else {
                    self.rng.below(4)
                };
                if len == 0 && self.rng.one_in(2) {
                    // PHP's empty associative array.
                    return Value::Array(Vec::new());
                }
                let mut map = Map::new();
                for _ in 0..len {
                    let key = match keys {
                        MapKeys::Id => self.rng.pick(&["1", "5", "2935", "4294967296"]),
                        MapKeys::Integer => self.rng.pick(&["0", "-1", "12"]),
                        MapKeys::String => self.rng.pick(&["a", "KEY", "two words", ""]),
                    };
                    let value = self.value(values, depth + 1);
                    map.insert((*key).to_owned(), value);
                }
                Value::Object(map)
            }
            TypeKind::Enum(def) => {
                // Values the spec does not list decode (as `Unknown`), but `conform` refuses
                // them, so no sample has one.
                if def.values.is_empty() {
                    return Value::Null;
                }
                let wire = self.rng.pick(&def.values).wire.clone();
                if def.case_insensitive && self.rng.one_in(2) {
                    Value::from(wire.to_lowercase())
                } else {
                    Value::from(wire)
                }
            }
            TypeKind::Named(name) => {
                let Some(def) = self.spec.find_type(name) else {
                    return Value::Object(Map::new());
                };
                if def.input {
                    // Required fields always, the others now and then.
                    let mut object = Map::new();
                    for field in &def.fields {
                        if field.required || (depth < MAX_DEPTH && self.rng.one_in(2)) {
                            let value = self.value(&field.ty, depth + 1);
                            object.insert(field.wire.clone(), value);
                        }
                    }
                    return Value::Object(object);
                }
                let mut object = Map::new();
                for field in &def.fields {
                    if field.optional && (depth >= MAX_DEPTH || self.rng.one_in(4)) {
                        if self.rng.one_in(2) {
                            object.insert(field.wire.clone(), Value::Null);
                        }
                        continue;
                    }
                    let value = self.value(&field.ty, depth + 1);
                    object.insert(field.wire.clone(), value);
                }
                if self.rng.one_in(4) {
                    // The portal adds fields before specs learn of them.
                    object.insert("FIELD_ADDED_LATER".to_owned(), json!({"x": [1]}));
                }
                // Each portal has custom fields of its own, in every kind of value.
                for pattern in &def.custom_fields {
                    if self.rng.one_in(3) {
                        continue;
                    }
                    let suffix = *self.rng.pick(&["1721244482250", "17", "44_1721812760630"]);
                    let key = match pattern.prefix() {
                        Some(prefix) => format!("{prefix}{suffix}"),
                        None => pattern.pattern.clone(),
                    };
                    if def.fields.iter().any(|f| f.wire == key) {
                        continue;
                    }
                    let value = self.pick_json(&[
                        json!("Hello world!"),
                        json!("300|RUB"),
                        json!("79"),
                        json!(81),
                        json!(1111.1),
                        json!(["L_4", "D_10"]),
                        json!({"id": 37375, "showUrl": "/show_file.php?fileId=37375"}),
                        json!("2024-07-23T00:00:00+03:00"),
                        json!(true),
                        json!(false),
                        json!(""),
                        json!(null),
                        json!([]),
                    ]);
                    object.insert(key, value);
                }
                Value::Object(object)
            }
            // Filters are parameters, never results.
            TypeKind::Filter(_) => Value::Object(Map::new()),
            // Orders are parameters too; a sample is what a client may send: some of the
            // record's field names, each with a direction in either case.
            TypeKind::Order(order) => {
                let TypeKind::Enum(names) = &order.fields.kind else {
                    return Value::Object(Map::new());
                };
                let fields: Vec<&str> = names
                    .values
                    .iter()
                    .map(|v| v.wire.as_str())
                    .filter(|w| !w.contains('*'))
                    .collect();
                let mut keys = Map::new();
                for _ in 0..if fields.is_empty() {
                    0
                } else {
                    self.rng.below(3)
                } {
                    let direction = *self.rng.pick(&["ASC", "DESC", "asc", "desc"]);
                    keys.insert((*self.rng.pick(&fields)).to_owned(), json!(direction));
                }
                Value::Object(keys)
            }
        }
    }

    fn pick_json(&mut self, values: &[Value]) -> Value {
        self.rng.pick(values).clone()
    }

    /// A request value as a PHP form (or a client that writes everything as text) sends it:
    /// a number as text, a list as an object keyed `"0"`, `"1"`, …; `None` for a type
    /// without such a spelling.
    fn form_text(&mut self, ty: &TypeRef, depth: usize) -> Option<Value> {
        match &ty.kind {
            TypeKind::Integer | TypeKind::Number | TypeKind::Decimal | TypeKind::Id => {
                match self.spelled(ty, depth) {
                    Value::Number(n) => Some(Value::String(n.to_string())),
                    other => Some(other),
                }
            }
            TypeKind::Boolean => Some(self.pick_json(&[json!("1"), json!("0")])),
            TypeKind::Array(items) => {
                let len = if depth >= MAX_DEPTH {
                    0
                } else {
                    self.rng.below(4)
                };
                let keyed = (0..len)
                    .map(|i| (i.to_string(), self.value(items, depth + 1)))
                    .collect();
                Some(Value::Object(keyed))
            }
            TypeKind::String
            | TypeKind::DisplayDatetime
            | TypeKind::Yn
            | TypeKind::Datetime
            | TypeKind::NaiveDatetime
            | TypeKind::Date
            | TypeKind::Json
            | TypeKind::Map { .. }
            | TypeKind::Enum(_)
            | TypeKind::Named(_)
            | TypeKind::Filter(_)
            | TypeKind::Order(_) => None,
        }
    }
}

/// SplitMix64: small, seedable, and the same on every platform; no dependency for samples.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    fn pick<'t, T>(&mut self, items: &'t [T]) -> &'t T {
        &items[self.below(items.len())]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(yaml: &str) -> Spec {
        crate::load_str("test.thing.get.yaml", yaml).unwrap_or_else(|d| panic!("{d:?}"))
    }

    const THING: &str = r#"
method: test.thing.get
scope: test
summary: Test
docs: https://apidocs.bitrix24.com/
access: any user
result: Thing
types:
  Thing:
    fields:
      id: id
      active: yn
      seen: { type: datetime, or_false: true }
      tags: { type: array, items: string }
      counts: { type: map, keys: id, values: integer }
      kind: { type: enum, values: { a: first, b: second } }
      note: { type: string, optional: true }
      count: integer
      amount: decimal
      shown: display_datetime
    custom_fields: ["UF_CRM_*", PARENT_ID_1220]
"#;

    #[test]
    fn samples_are_accepted_distinct_and_repeatable() {
        let spec = spec(THING);
        let samples = results(&spec, &spec.result.ty, 24, 7);
        assert_eq!(samples.len(), 24);
        for s in &samples {
            assert!(conform::check(&spec, &spec.result.ty, s, Mode::Result).is_ok());
        }
        for (i, s) in samples.iter().enumerate() {
            assert!(!samples[i + 1..].contains(s), "{s} twice");
        }
        assert_eq!(samples, results(&spec, &spec.result.ty, 24, 7));
        assert_ne!(samples, results(&spec, &spec.result.ty, 24, 8));
    }

    #[test]
    fn a_type_that_contains_itself_through_a_list_gets_finite_samples() {
        // The checks refuse other cycles; a list may be empty, so this one has finite values.
        let spec = spec(
            r#"
method: test.thing.get
scope: test
summary: Test
docs: https://apidocs.bitrix24.com/
access: any user
result: Node
types:
  Node:
    fields:
      name: string
      children: { type: array, items: Node }
"#,
        );
        let samples = results(&spec, &spec.result.ty, 8, 3);
        assert_eq!(samples.len(), 8);
        assert!(
            samples
                .iter()
                .any(|s| s["children"][0]["children"].is_array())
        );
    }

    #[test]
    fn order_samples_are_what_a_client_may_send() {
        let spec = spec(
            r#"
method: test.thing.get
scope: test
summary: Test
docs: https://apidocs.bitrix24.com/
access: any user
params:
  order: { type: order, of: Thing, doc: Order }
result: Thing
types:
  Thing:
    select_names: upper_snake
    fields:
      id: id
      ownerId: id
"#,
        );
        let ty = &spec.params[0].ty;
        let mut generator = Generator {
            spec: &spec,
            rng: SplitMix(5),
            mode: Mode::Request,
        };
        let samples: Vec<Value> = (0..16).map(|_| generator.value(ty, 0)).collect();
        for s in &samples {
            assert_eq!(conform::check(&spec, ty, s, Mode::Request), Ok(()), "{s}");
        }
        assert!(samples.iter().any(|s| s.get("OWNER_ID").is_some()));
        assert!(
            samples
                .iter()
                .any(|s| s.as_object().is_some_and(|o| o.len() == 2))
        );
    }

    #[test]
    fn samples_use_the_quirky_spellings() {
        let spec = spec(THING);
        let samples = results(&spec, &spec.result.ty, 64, 1);
        let seen = |f: &dyn Fn(&Value) -> bool| samples.iter().any(f);
        assert!(seen(&|s| s["id"].is_string()) && seen(&|s| s["id"].is_number()));
        assert!(seen(&|s| s["active"] == "N") && seen(&|s| s["active"] == true));
        assert!(seen(&|s| s["seen"] == false) && seen(&|s| s["seen"].is_string()));
        assert!(seen(&|s| s["counts"] == json!([])) && seen(&|s| s["counts"].is_object()));
        assert!(seen(&|s| s.get("note").is_none()) && seen(&|s| s["note"].is_null()));
        let kinds: std::collections::BTreeSet<String> =
            samples.iter().map(|s| s["kind"].to_string()).collect();
        assert_eq!(kinds.len(), 2, "both enum values: {kinds:?}");
        assert!(seen(&|s| s.get("FIELD_ADDED_LATER").is_some()));
        // Numbers as numbers and as the numeric strings a PHP backend sends.
        assert!(seen(&|s| s["count"].is_string()) && seen(&|s| s["count"].is_number()));
        assert!(seen(&|s| s["amount"].is_string()) && seen(&|s| s["amount"].is_number()));
        let formats: std::collections::BTreeSet<usize> = samples
            .iter()
            .filter_map(|s| {
                let text = s["shown"].as_str()?;
                crate::conform::DISPLAY_FORMATS.iter().position(|f| {
                    chrono::NaiveDateTime::parse_from_str(text, f)
                        .is_ok_and(|at| at.format(f).to_string() == text)
                })
            })
            .collect();
        assert_eq!(formats.len(), 5, "every display format: {formats:?}");
        // Custom fields under both patterns, in several kinds of value.
        assert!(seen(&|s| s.get("PARENT_ID_1220").is_some()));
        let custom: std::collections::BTreeSet<String> = samples
            .iter()
            .flat_map(|s| s.as_object().unwrap().iter())
            .filter(|(k, _)| k.starts_with("UF_CRM_"))
            .map(|(_, v)| v.to_string())
            .collect();
        assert!(custom.len() >= 5, "{custom:?}");
    }

    #[test]
    fn request_samples_send_input_objects_as_clients_do() {
        let spec = spec(
            r#"
method: test.thing.get
scope: test
summary: Test
docs: https://apidocs.bitrix24.com/
access: any user
params:
  FIELDS: { type: ThingFields, doc: f }
result: id
types:
  ThingFields:
    input: true
    fields:
      TITLE: { type: string, required: true }
      OPENED: yn
      SORT: integer
      PHONE: { type: array, items: Phone }
  Phone:
    input: true
    fields:
      VALUE: { type: string, required: true }
      VALUE_TYPE: { type: enum, values: { WORK: work } }
"#,
        );
        let ty = &spec.params[0].ty;
        let samples = requests(&spec, ty, 48, 5);
        assert_eq!(samples.len(), 48);
        assert_eq!(samples, requests(&spec, ty, 48, 5));
        for s in &samples {
            assert_eq!(conform::check(&spec, ty, s, Mode::Request), Ok(()), "{s}");
            assert!(
                s["TITLE"].is_string(),
                "the required field is always sent: {s}"
            );
        }
        let seen = |f: &dyn Fn(&Value) -> bool| samples.iter().any(f);
        assert!(seen(&|s| s.get("OPENED").is_none()) && seen(&|s| s["OPENED"] == "Y"));
        assert!(seen(&|s| s["SORT"].is_string()) && seen(&|s| s["SORT"].is_number()));
        // Lists as JSON lists and as PHP form lists keyed "0", "1", …
        assert!(seen(&|s| s["PHONE"][0]["VALUE"].is_string()));
        assert!(seen(&|s| s["PHONE"]["0"]["VALUE"].is_string()));
        // Never a spelling only answers use.
        assert!(!seen(&|s| s["OPENED"].is_boolean()));
    }
}
