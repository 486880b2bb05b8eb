//! `or_empty_object` and `or_empty_list`: `{}` and `[]` read as `None`, only where declared,
//! and `None` is written back as the first declared marker.

b24_client::generate!(specs = "empty_markers", relative_to = file);

use im_thing_get::Thing;
use serde_json::json;

fn decode(value: serde_json::Value) -> Result<Thing, serde_json::Error> {
    serde_json::from_value(value)
}

fn main() {
    let none = decode(json!({ "seen": {}, "options": [], "either": {} })).unwrap();
    assert_eq!(
        (none.seen, none.options.clone(), none.either.clone(), none.changed),
        (None, None, None, None)
    );
    assert_eq!(decode(json!({ "seen": {}, "options": [], "either": [] })).unwrap(), none);
    // `None` goes back as the marker it came as (the first declared one: `{}` before `[]`).
    assert_eq!(
        serde_json::to_value(&none).unwrap(),
        json!({ "seen": {}, "options": [], "either": {}, "changed": {} })
    );

    let some = decode(json!({
        "seen": "2024-07-23 08:08:50",
        "options": { "color": "red" },
        "either": "text",
        "changed": "2026-03-02T09:30:00+01:00"
    }))
    .unwrap();
    assert_eq!(some.seen.unwrap().to_string(), "2024-07-23 08:08:50");
    assert_eq!(some.options.unwrap().color, "red");
    assert_eq!(some.either.as_deref(), Some("text"));
    assert!(some.changed.is_some());

    // Only the declared marker means "no value": `[]` where only `{}` is declared is an error,
    // and so is a non-empty object.
    assert!(decode(json!({ "seen": [], "options": [], "either": [] })).is_err());
    assert!(decode(json!({ "seen": {}, "options": {}, "either": [] })).is_err());
    assert!(decode(json!({ "seen": { "x": 1 }, "options": [], "either": [] })).is_err());
}
