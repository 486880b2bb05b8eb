//! `type: map`: a JSON object keyed by ids, integers or text becomes a `BTreeMap`; PHP's `[]`
//! for an empty object reads as an empty map, and maps are written back as objects.

b24_client::generate!(specs = "maps", relative_to = file);

use std::collections::BTreeMap;

use b24_client::Method;
use im_thing_counts::{Counts, CountsByCodeValue, ImThingCountsRequest, WeightsValue};
use im_thing_index::ImThingIndexRequest;
use serde_json::json;

fn main() {
    let counts: Counts = serde_json::from_value(json!({
        "by_chat": { "1317": 1, "5": 2 },
        "by_code": { "a": "Y", "b": "X" },
        "offsets": { "-1": ["3", 4] },
        "muted": { "503": true },
        "owners": { "7": { "name": "Ann" } }
    }))
    .unwrap();
    // Id keys are numbers, kept in key order.
    let by_chat: &BTreeMap<u64, i64> = &counts.by_chat;
    assert_eq!(by_chat.iter().collect::<Vec<_>>(), [(&5, &2), (&1317, &1)]);
    assert_eq!(counts.by_code["a"], CountsByCodeValue::On);
    assert_eq!(counts.by_code["b"], CountsByCodeValue::Unknown("X".into()));
    assert_eq!(counts.offsets[&-1], vec![3, 4]);
    assert_eq!(counts.muted.as_ref().map(|m| m[&503]), Some(true));
    assert_eq!(counts.owners.as_ref().unwrap()[&7].name, "Ann");

    // PHP's `[]` is an empty map; `false` is the declared "no value"; a missing optional map
    // is `None`.
    let empty: Counts = serde_json::from_value(json!({
        "by_chat": [], "by_code": [], "offsets": {}, "muted": false
    }))
    .unwrap();
    assert!(empty.by_chat.is_empty() && empty.by_code.is_empty() && empty.offsets.is_empty());
    assert_eq!((&empty.muted, &empty.owners), (&None, &None));

    // Written back as objects, in wire form: `{}` for an empty map, keys as text.
    assert_eq!(
        serde_json::to_value(&empty).unwrap(),
        json!({ "by_chat": {}, "by_code": {}, "offsets": {}, "muted": false })
    );
    let again: Counts = serde_json::from_value(serde_json::to_value(&counts).unwrap()).unwrap();
    assert_eq!(again, counts);
    assert_eq!(
        serde_json::to_value(&counts).unwrap()["by_code"],
        json!({ "a": "Y", "b": "X" })
    );

    // Keys that are not ids, and lists that are not empty, are refused with the key named.
    let bad = serde_json::from_value::<Counts>(json!({
        "by_chat": { "x": 1 }, "by_code": [], "offsets": [], "muted": false
    }))
    .unwrap_err();
    assert!(bad.to_string().contains("\"x\" is not an id"), "{bad}");
    assert!(
        serde_json::from_value::<Counts>(json!({
            "by_chat": [1], "by_code": [], "offsets": [], "muted": false
        }))
        .is_err()
    );

    // A whole result that is a map goes through the same adapter.
    let index = ImThingIndexRequest::new()
        .decode_output(&json!({ "2": [1, "3"] }))
        .unwrap();
    assert_eq!(index, BTreeMap::from([(2, vec![1, 3])]));
    assert!(ImThingIndexRequest::new().decode_output(&json!([])).unwrap().is_empty());

    // `min_items` changes nothing on the client side: the portal (and the emulator) refuse.
    assert_eq!(
        serde_json::Value::Object(ImThingCountsRequest::new(vec![]).params()),
        json!({ "CHAT_ID": [] })
    );
    // A map parameter is sent as an object, keys as text, values in their wire form.
    let weights = BTreeMap::from([(3, WeightsValue::Heavy), (1, WeightsValue::Light)]);
    assert_eq!(
        serde_json::Value::Object(ImThingCountsRequest::new(vec![1]).weights(weights).params()),
        json!({ "CHAT_ID": [1], "WEIGHTS": { "1": "N", "3": "Y" } })
    );
}
