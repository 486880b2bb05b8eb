//! A required enum param is an argument of the client method too, which lives outside the
//! method's module: its type must be reachable from there.

b24_client::generate!(specs = "required_enum_param", relative_to = file);

use b24_client::{Client, Method};
use im_thing_find::{Tag, ThingKind};

fn main() {
    let client = Client::webhook("https://example.bitrix24.com/rest/1/abc123/").unwrap();
    let request = SpecMethods::im_thing_find(&client, ThingKind::Deal, vec![Tag::Alpha]).into_request();
    assert_eq!(
        serde_json::Value::Object(request.params()),
        serde_json::json!({ "KIND": "D", "TAGS": ["a"] })
    );
}
