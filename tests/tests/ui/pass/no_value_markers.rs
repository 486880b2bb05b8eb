//! `or_false`, `or_empty`, `nullable` and `optional` become `Option`, each accepting only its
//! own marker; enums keep unknown values in `Unknown`.

b24_client::generate!(specs = "no_value_markers", relative_to = file);

use b24_client::Method;
use im_thing_get::{ImThingGetRequest, State, Step, Thing, ThingState};
use serde_json::json;

fn decode(value: serde_json::Value) -> Result<Thing, serde_json::Error> {
    serde_json::from_value(value)
}

fn main() {
    // The spec's example: every marker present, optional keys absent.
    let none = decode(json!({
        "id": "7",
        "closed": false,
        "note": "",
        "parent_id": null,
        "size": false,
        "owner_ids": false,
        "state": "",
        "history": ["new", "done", "reopened"]
    }))
    .unwrap();
    assert_eq!(none.id, 7);
    assert_eq!(none.closed, None);
    assert_eq!(none.note, None);
    assert_eq!(none.parent_id, None);
    assert_eq!(none.size, None);
    assert_eq!(none.color, None);
    assert_eq!(none.due, None);
    assert_eq!(none.archived, None);
    assert_eq!(none.owner_ids, None);
    assert_eq!(none.state, ThingState::Unset);
    assert_eq!(
        none.history,
        vec![
            Step::Created,
            Step::Finished,
            Step::Unknown("reopened".to_owned())
        ]
    );

    // The same fields with values.
    let some = decode(json!({
        "id": 7,
        "closed": "2026-03-02T09:30:00+01:00",
        "note": "fragile",
        "parent_id": "3",
        "size": 4,
        "color": "red",
        "due": "2026-03-09",
        "archived": "2026-03-10T00:00:00+00:00",
        "owner_ids": ["1", 2],
        "state": "1",
        "history": []
    }))
    .unwrap();
    assert_eq!(
        some.closed.unwrap().to_rfc3339(),
        "2026-03-02T09:30:00+01:00"
    );
    assert_eq!(some.note.as_deref(), Some("fragile"));
    assert_eq!(some.parent_id, Some(3));
    assert_eq!(some.size, Some(4));
    assert_eq!(some.color.as_deref(), Some("red"));
    assert_eq!(some.due.unwrap().to_string(), "2026-03-09");
    assert!(some.archived.is_some());
    assert_eq!(some.owner_ids, Some(vec![1, 2]));
    // A YAML number key (`1: legacy`) is the string "1" on the wire.
    assert_eq!(some.state, ThingState::Legacy);
    assert_eq!(some.state.as_str(), "1");

    // `optional` with `or_false`: a missing key and `false` both mean "no value".
    let mut archived_false = json!({
        "id": 7, "closed": false, "note": "", "parent_id": null, "size": null,
        "owner_ids": [], "state": "A", "history": [], "archived": false
    });
    assert_eq!(decode(archived_false.clone()).unwrap().archived, None);
    // `optional` also reads `null` as `None`, markers or not, as the example check does.
    let mut archived_null = archived_false.clone();
    archived_null["archived"] = json!(null);
    assert_eq!(decode(archived_null).unwrap().archived, None);

    // A marker is accepted only where the spec declares it.
    archived_false["closed"] = json!("");
    let err = decode(archived_false.clone()).unwrap_err().to_string();
    assert!(err.contains("RFC 3339"), "{err}");
    archived_false["closed"] = json!(false);
    archived_false["note"] = json!(false);
    assert!(decode(archived_false.clone()).is_err());
    archived_false["note"] = json!("");
    archived_false["parent_id"] = json!(false);
    assert!(decode(archived_false.clone()).is_err());
    // A field that is not `optional` must be there.
    archived_false["parent_id"] = json!(null);
    archived_false.as_object_mut().unwrap().remove("state");
    let err = decode(archived_false).unwrap_err().to_string();
    assert!(err.contains("state"), "{err}");

    // Enums in both directions, with the unknown fallback.
    assert_eq!(ThingState::from_wire("B"), ThingState::Blocked);
    assert_eq!(
        ThingState::from_wire("Z"),
        ThingState::Unknown("Z".to_owned())
    );
    assert_eq!(ThingState::Unknown("Z".to_owned()).as_str(), "Z");
    assert_eq!(serde_json::to_value(ThingState::Unset).unwrap(), json!(""));
    assert_eq!(serde_json::to_value(Step::Finished).unwrap(), json!("done"));

    // An enum parameter is sent as its wire value; the enum is named after the parameter (`STATE` → `State`).
    let request = ImThingGetRequest::new().state(State::Blocked);
    assert_eq!(
        serde_json::Value::Object(request.params()),
        json!({ "STATE": "B" })
    );
    let request = ImThingGetRequest::new().state(State::Unknown("C".into()));
    assert_eq!(
        serde_json::Value::Object(request.params()),
        json!({ "STATE": "C" })
    );
    const { assert!(ImThingGetRequest::READ_ONLY) };
}
