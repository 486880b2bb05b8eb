//! `rust_name` gives a wire name that is not a usable Rust name (or that collides with the
//! builder's methods) a Rust name; words reserved by Rust 2024 become raw identifiers.

b24_client::generate!(specs = "rust_names", relative_to = file);

use b24_client::{ErrorCode, Method};
use im_thing_get::{ImThingGetError, ImThingGetRequest, Thing};
use serde_json::json;

fn main() {
    let request = ImThingGetRequest::new().only_new(true).send_count(2);
    assert_eq!(
        serde_json::Value::Object(request.params()),
        json!({ "NEW": "Y", "SEND": 2 })
    );

    let thing: Thing = serde_json::from_value(json!({ "1st": "a", "gen": 3, "try": true })).unwrap();
    assert_eq!((thing.first.as_str(), thing.r#gen, thing.r#try), ("a", 3, true));
    assert_eq!(
        serde_json::to_value(&thing).unwrap(),
        json!({ "1st": "a", "gen": 3, "try": true })
    );

    let code = ImThingGetError::from_code("OTHER");
    assert_eq!(code, ImThingGetError::OtherThing);
    assert_eq!(code.code(), "OTHER");
    assert_eq!(
        ImThingGetError::from_code("SOMETHING_ELSE"),
        ImThingGetError::Other("SOMETHING_ELSE".into())
    );
}
