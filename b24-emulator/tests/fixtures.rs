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
  kind: get
  collection: widgets
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

    // No id and no `absent: caller`: nothing can match.
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

/// `im.user.list.get` as shipped, changed by `edit`, loaded with the shipped type libraries.
fn user_list_spec(edit: impl Fn(&str) -> String) -> b24_spec::Spec {
    let sources: Vec<SpecSource> = b24_client::SPECS
        .iter()
        .map(|s| SpecSource {
            path: s.path,
            text: if s.path.ends_with("im.user.list.get.yaml") {
                Box::leak(edit(s.text).into_boxed_str())
            } else {
                s.text
            },
        })
        .collect();
    b24_emulator::load_specs(&sources)
        .unwrap()
        .into_iter()
        .find(|s| s.method == "im.user.list.get")
        .unwrap()
}

/// The built-in fixture with a copy of `users` named `list_users`, in which user 5 lacks
/// `name`, which `User` requires (only the edited spec reads it, so only it can refuse it).
fn users_without_a_name() -> Fixture {
    let mut users = Fixture::builtin().collection("users").unwrap().to_vec();
    let five = users.iter_mut().find(|u| u["id"] == 5).unwrap();
    five.shift_remove("name");
    Fixture::builtin().with_collection("list_users", users)
}

/// The spec's own collection renamed to `list_users`, and without `record:`.
fn without_record(text: &str) -> String {
    text.replace("  record: User\n", "")
        .replace("collection: users", "collection: list_users")
}

#[test]
fn every_shape_a_parameter_selects_is_checked_against_the_fixture() {
    // Without `record:` only the answers guard the data: the object keyed by id (the default
    // shape) and the list (RESULT_TYPE=array) are each checked against their own type.
    let no_record = user_list_spec(without_record);
    assert!(no_record.emulator.as_ref().unwrap().record.is_none());
    let e = Emulator::builder()
        .spec(no_record.clone())
        .fixture(users_without_a_name())
        .build()
        .unwrap_err();
    match &e {
        EmulatorError::FixtureMismatch {
            method,
            record,
            path,
            ..
        } => {
            assert_eq!(
                (method.as_str(), record.as_str()),
                ("im.user.list.get", "list_users[2]")
            );
            // The first shape checked is the default one, the object keyed by id.
            assert_eq!(path, "5.name", "{e}");
        }
        other => panic!("{other}"),
    }
    // Sound data passes in every shape.
    let sound = Fixture::builtin().with_collection(
        "list_users",
        Fixture::builtin().collection("users").unwrap().to_vec(),
    );
    Emulator::builder()
        .spec(no_record)
        .fixture(sound.clone())
        .build()
        .unwrap();

    // A list answer that leaves out a required field is refused although the keyed one is fine.
    let list_omits = user_list_spec(|t| {
        without_record(t).replace(
            "array: { shape: list }",
            "array: { shape: list, omit: [color] }",
        )
    });
    let e = Emulator::builder()
        .spec(list_omits)
        .fixture(sound)
        .build()
        .unwrap_err();
    match &e {
        EmulatorError::FixtureMismatch { path, .. } => assert_eq!(path, "color", "{e}"),
        other => panic!("{other}"),
    }
}

#[test]
fn a_select_answer_keeps_the_fields_the_record_type_requires() {
    // `user.get` answers `ID` whatever is selected; an `always` without it cannot load.
    let spec = b24_emulator::load_specs(b24_client::SPECS)
        .unwrap()
        .into_iter()
        .find(|s| s.method == "user.get")
        .unwrap();
    assert_eq!(
        spec.emulator
            .as_ref()
            .unwrap()
            .select
            .as_ref()
            .unwrap()
            .always,
        ["ID"]
    );
    let sources: Vec<SpecSource> = b24_client::SPECS
        .iter()
        .map(|s| SpecSource {
            path: s.path,
            text: if s.path.ends_with("user.get.yaml") && !s.path.contains("im.") {
                Box::leak(
                    s.text
                        .replace("always: [ID]", "always: []")
                        .into_boxed_str(),
                )
            } else {
                s.text
            },
        })
        .collect();
    let e = b24_emulator::load_specs(&sources).unwrap_err();
    assert!(
        e.to_string()
            .contains("`select` can leave out `ID`, which `PortalUser` requires"),
        "{e}"
    );
}
