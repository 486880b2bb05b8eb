//! Fixture data against the generated types, and users' own specs served from their data.

use b24_client::im_user_get::User;
use b24_client::{Client, SpecSource};
use b24_emulator::{Emulator, EmulatorError, Fixture};
use serde_json::{Value, json};

#[test]
fn every_builtin_user_decodes_with_the_generated_type() {
    let fixture = Fixture::builtin();
    let users = fixture.collection("users").expect("a users collection");
    assert!(users.len() >= 2);
    for record in users {
        let value = Value::Object(record.clone());
        let user: User =
            serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{e}: {value}"));
        assert_eq!(Value::from(user.id), record["id"]);
    }
    let ids: Vec<u64> = users
        .iter()
        .map(|r| {
            serde_json::from_value::<User>(Value::Object(r.clone()))
                .unwrap()
                .id
        })
        .collect();
    assert!(ids.contains(&1) && ids.contains(&5), "{ids:?}");
}

#[test]
fn user_five_is_exactly_the_documented_example() {
    // The spec's types live in a type library, so it is loaded with the whole shipped set.
    let spec = b24_emulator::load_specs(b24_client::SPECS)
        .unwrap()
        .into_iter()
        .find(|s| s.method == "im.user.get")
        .unwrap();
    let example = &spec.example.unwrap().response["result"];
    let fixture = Fixture::builtin();
    let five = fixture
        .collection("users")
        .unwrap()
        .iter()
        .find(|u| u["id"] == 5)
        .unwrap();
    assert_eq!(&Value::Object(five.clone()), example);
}

/// A spec of the user's own, as their crate's generated `SPECS` would embed it.
const OWN_SPEC: &str = r#"
method: acme.widget.list
scope: acme
summary: List the widgets
docs: https://apidocs.bitrix24.com/
access: any user
read_only: true
params:
  SHOP: { type: id, required: true, doc: Shop the widgets belong to }
result: { type: array, items: Widget }
types:
  Widget:
    fields:
      id: { type: id, doc: Id }
      title: { type: string, doc: Title }
errors:
  SHOP_MISSING: { status: 400, doc: No shop was given }
emulator:
  collection: widgets
"#;

const OWN_GET_SPEC: &str = r#"
method: acme.widget.get
scope: acme
summary: Get one widget
docs: https://apidocs.bitrix24.com/
access: any user
params:
  id: { type: id, invalid: WIDGET_ID, doc: Widget id }
result: Widget
types:
  Widget:
    fields:
      id: { type: id, doc: Id }
      title: { type: string, doc: Title }
errors:
  WIDGET_ID: { status: 422, doc: The widget id is not a number }
  NO_WIDGET: { status: 404, doc: There is no such widget }
emulator:
  collection: widgets
  lookup: { param: id, field: id }
  not_found: NO_WIDGET
"#;

const SOURCES: &[SpecSource] = &[
    SpecSource {
        path: "specs/acme/acme.widget.list.yaml",
        text: OWN_SPEC,
    },
    SpecSource {
        path: "specs/acme/acme.widget.get.yaml",
        text: OWN_GET_SPEC,
    },
];

fn widgets() -> Fixture {
    let records = json!([{"id": 1, "title": "Sprocket"}, {"id": "2", "title": "Gear"}]);
    let records = records
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_object().unwrap().clone())
        .collect();
    Fixture::builtin().with_collection("widgets", records)
}

#[tokio::test]
async fn own_specs_are_served_from_own_collections() {
    let emulator = Emulator::builder()
        .specs(SOURCES)
        .fixture(widgets())
        .build()
        .unwrap();
    let running = emulator.start("127.0.0.1:0").await.unwrap();
    let client = Client::webhook(&running.webhook_url()).unwrap();
    let params = |v: Value| v.as_object().unwrap().clone();

    let list = client
        .call_raw("acme.widget.list", params(json!({"SHOP": 3})))
        .await
        .unwrap();
    assert_eq!(list.result[1]["title"], "Gear");
    assert_eq!(list.result.as_array().unwrap().len(), 2);

    let e = client
        .call_raw("acme.widget.list", params(json!({})))
        .await
        .unwrap_err();
    let api = e.api().unwrap();
    assert_eq!(
        (api.code.code_str(), api.status),
        ("INVALID_ARG_VALUE", 400)
    );

    let one = client
        .call_raw("acme.widget.get", params(json!({"ID": 2})))
        .await
        .unwrap();
    assert_eq!(one.result["title"], "Gear");

    let e = client
        .call_raw("acme.widget.get", params(json!({"id": 7})))
        .await
        .unwrap_err();
    let api = e.api().unwrap();
    assert_eq!((api.code.code_str(), api.status), ("NO_WIDGET", 404));
    assert_eq!(api.description, "There is no such widget");

    let e = client
        .call_raw("acme.widget.get", params(json!({"id": "x"})))
        .await
        .unwrap_err();
    let api = e.api().unwrap();
    assert_eq!((api.code.code_str(), api.status), ("WIDGET_ID", 422));

    // No lookup value and no `absent: caller`: nothing can match.
    let e = client
        .call_raw("acme.widget.get", params(json!({})))
        .await
        .unwrap_err();
    assert_eq!(e.api().unwrap().code.code_str(), "NO_WIDGET");

    // The shipped methods are still there.
    assert_eq!(client.im_user_get().id(5).send().await.unwrap().id, 5);
    running.shutdown().await.unwrap();
}

#[test]
fn own_specs_need_their_collection() {
    let e = Emulator::builder().specs(SOURCES).build().unwrap_err();
    assert!(
        matches!(&e, EmulatorError::MissingCollection { collection, .. } if collection == "widgets"),
        "{e}"
    );
}

/// `ErrorCode::code` through the trait, without naming the trait at every call.
trait CodeStr {
    fn code_str(&self) -> &str;
}

impl<C: b24_client::ErrorCode> CodeStr for C {
    fn code_str(&self) -> &str {
        self.code()
    }
}
