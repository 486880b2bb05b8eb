//! `by_param` shapes made of a type library's named enum (a case, a map in a case,
//! `otherwise`), chosen by a parameter that is itself a library enum: each shape's type is
//! the library's enum, re-exported into the method's module.
#![deny(warnings)]

b24_client::generate!(specs = "result_case_library_enum", relative_to = file);

use std::collections::BTreeMap;

use b24_client::Method;
use im_thing_level::{ImThingLevelRequest, ImThingLevelResult, Level, Scope};
use serde_json::json;

fn main() {
    // Left out, the parameter's default (`one`) picks the case.
    assert_eq!(
        ImThingLevelRequest::new().decode_output(&json!("high")).unwrap(),
        ImThingLevelResult::One(types::Level::High)
    );
    let all = ImThingLevelRequest::new().scope(types::Scope::All);
    let levels: BTreeMap<u64, Level> = match all.decode_output(&json!({ "5": "low" })).unwrap() {
        ImThingLevelResult::All(levels) => levels,
        other => panic!("{other:?}"),
    };
    assert_eq!(levels[&5], Level::Low);
    let other = ImThingLevelRequest::new().scope(Scope::Unknown("some".into()));
    assert_eq!(
        other.decode_output(&json!(["low"])).unwrap(),
        ImThingLevelResult::Other(vec![Level::Low])
    );
    assert_eq!(
        serde_json::to_value(ImThingLevelResult::One(Level::High)).unwrap(),
        json!("high")
    );
}
