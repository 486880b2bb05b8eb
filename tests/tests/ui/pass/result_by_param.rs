//! `result: { by_param: … }`: the result is an enum with a variant per case, and
//! `decode_output` picks the variant from the request's value of the parameter.
// The generated code is warning-free, even where `otherwise` can never be chosen.
#![deny(warnings)]

b24_client::generate!(specs = "result_by_param", relative_to = file);

use std::collections::BTreeMap;

use b24_client::Method;
use im_thing_flags::{ImThingFlagsRequest, ImThingFlagsResult};
use im_thing_list::{ImThingListRequest, ImThingListResult, Thing};
use im_thing_members::{ImThingMembersRequest, ImThingMembersResult, Mode};
use im_thing_toggle::{ImThingToggleRequest, ImThingToggleResult};
use serde_json::json;

fn main() {
    // `RESULT_TYPE=array` reads a list; any other value, or none, an object keyed by id.
    let list = ImThingListRequest::new(vec![4]).result_type("array");
    assert_eq!(
        list.decode_output(&json!([{ "id": "4" }])).unwrap(),
        ImThingListResult::List(vec![Thing { id: 4 }])
    );
    let by_id = ImThingListRequest::new(vec![4]);
    assert_eq!(
        by_id.decode_output(&json!({ "4": { "id": 4 } })).unwrap(),
        ImThingListResult::ById(BTreeMap::from([(4, Thing { id: 4 })]))
    );
    // PHP's `[]` is an empty object here, not a list.
    assert_eq!(
        by_id.decode_output(&json!([])).unwrap(),
        ImThingListResult::ById(BTreeMap::new())
    );
    let other = ImThingListRequest::new(vec![4]).result_type("ARRAY");
    assert!(matches!(
        other.decode_output(&json!({})).unwrap(),
        ImThingListResult::ById(_)
    ));
    // The wrong shape for the request is a decoding error, not a guess.
    assert!(list.decode_output(&json!({ "4": { "id": 4 } })).is_err());

    // Serializing writes the inner value in its wire form.
    assert_eq!(
        serde_json::to_value(ImThingListResult::List(vec![Thing { id: 4 }])).unwrap(),
        json!([{ "id": 4 }])
    );

    // An enum parameter; left out, its default (`full`) picks the case.
    let ids = ImThingMembersRequest::new().mode(Mode::Ids);
    assert_eq!(
        ids.decode_output(&json!(["1", 2])).unwrap(),
        ImThingMembersResult::Ids(vec![1, 2])
    );
    assert_eq!(
        ImThingMembersRequest::new()
            .decode_output(&json!(["Ann", ""]))
            .unwrap(),
        ImThingMembersResult::People(vec![Some("Ann".into()), None])
    );
    assert_eq!(
        ImThingMembersRequest::new()
            .mode(Mode::Unknown("odd".into()))
            .decode_output(&json!({ "x": 1 }))
            .unwrap(),
        ImThingMembersResult::Raw(json!({ "x": 1 }))
    );

    // A required integer parameter.
    assert_eq!(
        ImThingFlagsRequest::new(1)
            .decode_output(&json!("Y"))
            .unwrap(),
        ImThingFlagsResult::One(true)
    );
    assert_eq!(
        ImThingFlagsRequest::new(2)
            .decode_output(&json!({ "a": "N" }))
            .unwrap(),
        ImThingFlagsResult::Two(BTreeMap::from([("a".to_owned(), false)]))
    );
    assert_eq!(
        ImThingFlagsRequest::new(3)
            .decode_output(&json!("9"))
            .unwrap(),
        ImThingFlagsResult::Other(9)
    );
    assert_eq!(
        serde_json::to_value(ImThingFlagsResult::Two(BTreeMap::from([("a".to_owned(), true)])))
            .unwrap(),
        json!({ "a": "Y" })
    );

    // Left out, `FULL` is its default `N`.
    assert_eq!(
        ImThingToggleRequest::new()
            .decode_output(&json!(["7"]))
            .unwrap(),
        ImThingToggleResult::Short(vec![7])
    );
    assert_eq!(
        ImThingToggleRequest::new()
            .full(true)
            .decode_output(&json!({ "1": "one" }))
            .unwrap(),
        ImThingToggleResult::Full(BTreeMap::from([(1, "one".to_owned())]))
    );
}
