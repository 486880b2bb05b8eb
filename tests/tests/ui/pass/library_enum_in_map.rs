//! A type library's named enum wherever a map puts it (a map's values in a parameter, a field
//! of the spec's own type, a list of maps, a library type) is that enum, re-exported into the
//! method's module; an inline enum inside a map inside a list is generated next to its type.
#![deny(warnings)]

b24_client::generate!(specs = "library_enum_in_map", relative_to = file);

use std::collections::BTreeMap;

use b24_client::Method;
use im_thing_get::{ImThingGetRequest, Thing, ThingGridItemValue};
use serde_json::json;

fn main() {
    let thing: Thing = ImThingGetRequest::new()
        .decode_output(&json!({
            "moods": { "1": "happy", "2": "sad" },
            "history": [{ "1": "sad" }, []],
            "grid": [{ "a": "on", "b": "off" }],
            "diary": { "by_day": { "mon": "happy" }, "weeks": [{ "tue": "sad" }] }
        }))
        .unwrap();
    // The field types are the library's enum, not a copy and not an object type.
    let moods: &BTreeMap<u64, types::Mood> = &thing.moods;
    assert_eq!(moods[&2], types::Mood::Sad);
    let history: &Vec<BTreeMap<String, im_thing_get::Mood>> = &thing.history;
    assert_eq!(history[0]["1"], types::Mood::Sad);
    assert!(history[1].is_empty());
    let by_day: &BTreeMap<String, types::Mood> = &thing.diary.by_day;
    assert_eq!(by_day["mon"], types::Mood::Happy);
    let weeks: &Vec<BTreeMap<String, types::Mood>> = &thing.diary.weeks;
    assert_eq!(weeks[0]["tue"], types::Mood::Sad);
    let grid: &Vec<BTreeMap<String, ThingGridItemValue>> = &thing.grid;
    assert_eq!(grid[0]["b"], ThingGridItemValue::Off);

    // A map parameter of the library enum, sent as an object of wire values.
    let request = ImThingGetRequest::new().moods(BTreeMap::from([(7, types::Mood::Happy)]));
    let _: &Option<BTreeMap<u64, types::Mood>> = &request.moods;
    assert_eq!(
        serde_json::Value::Object(request.params()),
        json!({ "MOODS": { "7": "happy" } })
    );
}
