//! What a method answers, decided from its spec alone: parameter checks, then a test's own
//! handler, a fixture lookup (`emulator:`) or the documented example.

use std::time::SystemTime;

use b24_spec::{Param, Spec};
use serde_json::Value;

use crate::emulate::Call;
use crate::envelope::{Failure, INVALID_ARG_VALUE, NOT_EMULATED};
use crate::fixture::Fixture;
use crate::handler::{Handler, HandlerCall};
use crate::request::Params;
use b24_spec::KeyPath;
use b24_spec::conform::{self, Mode};

/// Records on one page of a list method.
pub(crate) const PAGE: usize = 50;

/// A method's answer: its `result`, and for list methods `total` and `next`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Answer {
    pub result: Value,
    /// Number of records in the whole list, for paged methods.
    pub total: Option<u64>,
    /// `start` of the next page, when there is one.
    pub next: Option<u64>,
}

impl From<Value> for Answer {
    fn from(result: Value) -> Self {
        Self {
            result,
            total: None,
            next: None,
        }
    }
}

/// The answer to calling `spec`'s method with `params`, as user `caller`, at wall-clock time
/// `now`: the `handler`'s when there is one, else the `emulator:` section's, else the
/// example's. Handlers and methods that write change `fixture`.
pub(crate) fn answer(
    spec: &Spec,
    fixture: &mut Fixture,
    params: &Params,
    caller: u64,
    now: SystemTime,
    handler: Option<&Handler>,
) -> Result<Answer, Failure> {
    for param in &spec.params {
        check_param(spec, param, params.get(&param.wire))?;
    }
    if let Some(group) = conform::unmet_groups(spec, |name| params.get(name).is_some()).next() {
        let names: Vec<String> = group.names().map(|n| format!("`{n}`")).collect();
        let detail = format!(
            "none of {} is given; the method needs at least one of them",
            names.join(", ")
        );
        return Err(refusal(spec, group.invalid.as_deref(), detail));
    }
    if let Some(handler) = handler {
        let mut call = HandlerCall {
            spec,
            params,
            caller,
            now,
            fixture,
        };
        return match handler(&mut call)? {
            // A list method pages what the handler answers like any other list.
            Value::Array(records) if spec.paged => page(spec, &records, params),
            result => Ok(Answer::from(result)),
        };
    }
    match &spec.emulator {
        Some(emulation) => {
            let call = Call {
                spec,
                emulation,
                params,
                caller,
                now,
            };
            call.run(fixture)
        }
        None => match spec.example.as_ref().and_then(|e| e.response.get("result")) {
            Some(result) => match records_of(spec, result) {
                // A list method pages the example's records like any other list.
                Some(records) if spec.paged => page(spec, records, params),
                _ => Ok(Answer::from(result.clone())),
            },
            None => Err(Failure::new(
                501,
                NOT_EMULATED,
                format!(
                    "the spec of `{}` has neither an `emulator:` section nor an example \
                     response, so the emulator cannot answer it",
                    spec.method
                ),
            )),
        },
    }
}

/// The records of a list `result`: the result, or its field `paged: { items: … }` names.
fn records_of<'r>(spec: &Spec, result: &'r Value) -> Option<&'r [Value]> {
    let list = match &spec.paging.items {
        Some(field) => result.get(field)?,
        None => result,
    };
    list.as_array().map(Vec::as_slice)
}

/// One page of `spec`'s list: 50 records from `start`, with `total` and `next`, in the
/// result's field that holds them (`paged: { items: … }`) or as the result. `start=-1` is the
/// fast mode of <https://apidocs.bitrix24.com/settings/performance/huge-data.html>: the first
/// page without counting, which the portal answers with `total` 0 and no `next`.
pub(crate) fn page(spec: &Spec, records: &[Value], params: &Params) -> Result<Answer, Failure> {
    let mut answer = page_of(records, params)?;
    if let Some(field) = &spec.paging.items {
        let list = std::mem::take(&mut answer.result);
        answer.result = Value::Object(serde_json::Map::from_iter([(field.clone(), list)]));
    }
    Ok(answer)
}

pub(crate) fn page_of(records: &[Value], params: &Params) -> Result<Answer, Failure> {
    let start = match params.get("start") {
        None => 0,
        // The `start` param is declared with `min: -1`, so it is checked already.
        Some(v) => conform::integer_of(v).unwrap_or(0),
    };
    let items = |from: usize| Value::Array(records.iter().skip(from).take(PAGE).cloned().collect());
    if start < 0 {
        return Ok(Answer {
            result: items(0),
            total: Some(0),
            next: None,
        });
    }
    let from = usize::try_from(start).unwrap_or(usize::MAX);
    let next = from
        .checked_add(PAGE)
        .filter(|n| *n < records.len())
        .map(|n| n as u64);
    Ok(Answer {
        result: items(from),
        total: Some(records.len() as u64),
        next,
    })
}

/// A declared parameter: present ones must have the declared type and respect `min`; required
/// ones must be present.
fn check_param(spec: &Spec, param: &Param, value: Option<&Value>) -> Result<(), Failure> {
    let Some(value) = value else {
        return if param.required {
            Err(invalid(
                spec,
                param,
                format!("required parameter `{}` is missing", param.wire),
            ))
        } else {
            Ok(())
        };
    };
    if let Err(m) = conform::check(spec, &param.ty, value, Mode::Request) {
        let at = format!("`{}`", KeyPath::root().key(&param.wire).join(&m.path));
        return Err(invalid(
            spec,
            param,
            format!("invalid value of {at}: {}", m.message),
        ));
    }
    if let (Some(min), Some(n)) = (param.min, conform::integer_of(value))
        && n < i128::from(min)
    {
        return Err(invalid(
            spec,
            param,
            format!("`{}` is {n}, below the minimum {min}", param.wire),
        ));
    }
    Ok(())
}

/// The param's own `invalid` code when the spec names one, `INVALID_ARG_VALUE` otherwise.
pub(crate) fn invalid(spec: &Spec, param: &Param, detail: String) -> Failure {
    refusal(spec, param.invalid.as_deref(), detail)
}

/// A request refused with `code`, an error the spec declares, or without one with
/// `INVALID_ARG_VALUE`.
fn refusal(spec: &Spec, code: Option<&str>, detail: String) -> Failure {
    match code {
        Some(code) => Failure::declared(spec, code, Some(&detail)),
        None => Failure::new(400, INVALID_ARG_VALUE, detail),
    }
}

/// Equality as the portal's PHP compares ids: `5`, `5.0` and `"5"` are the same value.
pub(crate) fn same_value(a: &Value, b: &Value) -> bool {
    if a == b {
        return true;
    }
    let number = |v: &Value| match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    let exact = |v: &Value| conform::integer_of(v);
    match (exact(a), exact(b)) {
        (Some(x), Some(y)) => x == y,
        _ => matches!((number(a), number(b)), (Some(x), Some(y)) if x == y),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SPEC: &str = r#"
method: test.item.get
scope: test
summary: Test
docs: https://apidocs.bitrix24.com/
access: any user
params:
  ID: { type: id, min: 1, invalid: BAD_ID, doc: id }
  MODE: { type: yn, doc: mode }
  NAME: { type: string, required: true, doc: name }
result: Item
types:
  Item:
    fields:
      id: id
errors:
  BAD_ID: { status: 422, doc: "The id is wrong." }
  NO_ITEM: { doc: No such item }
emulator:
  kind: get
  collection: items
  id: { absent: caller }
  not_found: NO_ITEM
"#;

    fn spec() -> Spec {
        b24_spec::load_str("test.item.get.yaml", SPEC).unwrap_or_else(|d| panic!("{d:?}"))
    }

    fn fixture() -> Fixture {
        Fixture::from_value(json!({"items": [{"id": 1}, {"id": "2"}, {"id": 9}]})).unwrap()
    }

    fn call(params: Value, caller: u64) -> Result<Value, Failure> {
        let params = Params::from_map(params.as_object().unwrap().clone());
        answer(
            &spec(),
            &mut fixture(),
            &params,
            caller,
            SystemTime::UNIX_EPOCH,
            None,
        )
        .map(|a| a.result)
    }

    #[test]
    fn lookups_compare_numbers_and_numeric_strings() {
        assert_eq!(
            call(json!({"NAME": "x", "ID": "2"}), 1),
            Ok(json!({"id": "2"}))
        );
        assert_eq!(call(json!({"name": "x", "id": 9}), 1), Ok(json!({"id": 9})));
        assert_eq!(
            call(json!({"NAME": "x", "ID": 9.0}), 1),
            Ok(json!({"id": 9}))
        );
    }

    #[test]
    fn an_absent_lookup_param_means_the_caller() {
        assert_eq!(call(json!({"NAME": "x"}), 9), Ok(json!({"id": 9})));
        assert_eq!(
            call(json!({"NAME": "x", "ID": null}), 1),
            Ok(json!({"id": 1}))
        );
        let e = call(json!({"NAME": "x"}), 3).unwrap_err();
        assert_eq!((e.status.as_u16(), e.code.as_str()), (400, "NO_ITEM"));
        assert_eq!(e.description, "No such item");
    }

    #[test]
    fn param_errors_use_the_declared_code_and_status() {
        let e = call(json!({"NAME": "x", "ID": 0}), 1).unwrap_err();
        assert_eq!((e.status.as_u16(), e.code.as_str()), (422, "BAD_ID"));
        assert_eq!(
            e.description,
            "The id is wrong (`ID` is 0, below the minimum 1)"
        );
        let e = call(json!({"NAME": "x", "ID": "abc"}), 1).unwrap_err();
        assert_eq!(e.code, "BAD_ID");
        let e = call(json!({"NAME": "x", "MODE": "yes"}), 1).unwrap_err();
        assert_eq!(
            (e.status.as_u16(), e.code.as_str()),
            (400, "INVALID_ARG_VALUE")
        );
        assert!(e.description.contains("`MODE`"), "{}", e.description);
        let e = call(json!({"ID": 1}), 1).unwrap_err();
        assert_eq!(e.code, "INVALID_ARG_VALUE");
        assert_eq!(e.description, "required parameter `NAME` is missing");
    }

    #[test]
    fn a_list_shape_answers_the_whole_collection_and_without_emulator_the_example() {
        let mut s = spec();
        let emulation = s.emulator.as_mut().unwrap();
        emulation.kind = None;
        emulation.id = None;
        emulation.form.shape = Some(b24_spec::Shape::List);
        let p = Params::from_map(json!({"NAME": "x"}).as_object().unwrap().clone());
        assert_eq!(
            answer(&s, &mut fixture(), &p, 1, SystemTime::UNIX_EPOCH, None),
            Ok(Answer::from(json!([{"id": 1}, {"id": "2"}, {"id": 9}])))
        );
        s.emulator = None;
        let e = answer(&s, &mut fixture(), &p, 1, SystemTime::UNIX_EPOCH, None).unwrap_err();
        assert_eq!(
            (e.status.as_u16(), e.code.as_str()),
            (501, "ERROR_NOT_EMULATED")
        );
        s.example = Some(b24_spec::Example {
            params: Default::default(),
            response: json!({"result": {"id": 42}}),
        });
        assert_eq!(
            answer(&s, &mut fixture(), &p, 1, SystemTime::UNIX_EPOCH, None),
            Ok(Answer::from(json!({"id": 42})))
        );
    }

    #[test]
    fn same_value_rules() {
        assert!(same_value(&json!(5), &json!("5")));
        assert!(same_value(&json!(" 5"), &json!(5.0)));
        assert!(same_value(&json!(1.5), &json!("1.5")));
        assert!(!same_value(&json!(5), &json!("five")));
        assert!(!same_value(&json!("a"), &json!("A")));
        assert!(same_value(&json!("a"), &json!("a")));
    }

    const POST: &str = r#"
method: test.card.post
scope: test
summary: Test
docs: https://apidocs.bitrix24.com/
access: any user
params:
  MESSAGE: { type: string, doc: m }
  ATTACH: { type: Attach, doc: a }
  KEYBOARD: { type: json, doc: k }
  MENU: { type: json, doc: m }
one_of_required:
  - { params: [MESSAGE, ATTACH], invalid: MESSAGE_EMPTY }
  - [KEYBOARD, MENU]
result: id
types:
  Attach:
    input: true
    fields:
      BLOCKS: { type: array, items: json, required: true }
errors:
  MESSAGE_EMPTY: { status: 400, message: "Message can't be empty", doc: Nothing to post }
example:
  params: { MESSAGE: Hi, MENU: [] }
  response: { result: 7 }
"#;

    fn post(params: Value) -> Result<Value, Failure> {
        let spec = b24_spec::load_str("test.card.post.yaml", POST).unwrap();
        let params = Params::from_map(params.as_object().unwrap().clone());
        answer(
            &spec,
            &mut fixture(),
            &params,
            1,
            SystemTime::UNIX_EPOCH,
            None,
        )
        .map(|a| a.result)
    }

    #[test]
    fn a_group_none_of_whose_params_is_sent_is_refused_with_its_code() {
        assert_eq!(post(json!({"MESSAGE": "Hi", "MENU": []})), Ok(json!(7)));
        assert_eq!(
            post(json!({"attach": {"BLOCKS": []}, "KEYBOARD": {}})),
            Ok(json!(7))
        );
        // `null` is not sent.
        let e = post(json!({"MESSAGE": null, "MENU": []})).unwrap_err();
        assert_eq!((e.status.as_u16(), e.code.as_str()), (400, "MESSAGE_EMPTY"));
        assert_eq!(e.description, "Message can't be empty");
        let e = post(json!({"MESSAGE": "Hi"})).unwrap_err();
        assert_eq!(
            (e.status.as_u16(), e.code.as_str()),
            (400, "INVALID_ARG_VALUE")
        );
        assert_eq!(
            e.description,
            "none of `KEYBOARD`, `MENU` is given; the method needs at least one of them"
        );
        // The values are checked first: an input object without its required field.
        let e = post(json!({"ATTACH": {}, "MENU": []})).unwrap_err();
        assert_eq!(e.code, "INVALID_ARG_VALUE");
        assert_eq!(
            e.description,
            "invalid value of `ATTACH.BLOCKS`: field `BLOCKS` of `Attach` is required, but missing"
        );
    }
}
