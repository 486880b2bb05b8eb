//! Keywords as wire names become raw identifiers (`r#type`), `self`/`crate`/`super` get a `_`
//! suffix, and keys on the wire stay exactly as written.

b24_client::generate!(specs = "rust_keywords", relative_to = file);

use im_thing_get::{ImThingGetRequest, OptionLoop};
use serde_json::json;

fn main() {
    let request = ImThingGetRequest::new()
        .r#type("box")
        .self_(true)
        .r#match("a*")
        .r#async(false);
    assert_eq!(request.r#type.as_deref(), Some("box"));
    assert_eq!(
        serde_json::Value::Object(b24_client::Method::params(&request)),
        json!({ "TYPE": "box", "SELF": "Y", "MATCH": "a*", "async": false })
    );

    let wire = json!({
        "type": "box",
        "move": 3,
        "self": "9",
        "crate": "A1",
        "super": true,
        "fn": { "ref": "x", "dyn": [{ "where": "here" }, {}] },
        "loop": "b"
    });
    let thing: im_thing_get::Option = serde_json::from_value(wire.clone()).unwrap();
    assert_eq!(thing.r#type, "box");
    assert_eq!(thing.r#move, 3);
    assert_eq!(thing.self_, 9);
    assert_eq!(thing.crate_, "A1");
    assert!(thing.super_);
    assert_eq!(thing.r#fn.r#ref, "x");
    assert_eq!(thing.r#fn.r#dyn[0].r#where.as_deref(), Some("here"));
    assert_eq!(thing.r#fn.r#dyn[1].r#where, None);
    // Variant names that are keywords: `type` → `Type`, `self` → `Self_`.
    assert_eq!(thing.r#loop, OptionLoop::Self_);
    assert_eq!(OptionLoop::from_wire("a"), OptionLoop::Type);
    assert_eq!(OptionLoop::Match.as_str(), "c");

    // Serializing writes the wire keys, not the Rust names.
    let back = serde_json::to_value(&thing).unwrap();
    assert_eq!(back["self"], json!(9));
    assert_eq!(back["fn"]["dyn"][0]["where"], json!("here"));
    assert!(back.get("self_").is_none() && back.get("r#type").is_none());

    // The prelude is not shadowed for the user's own code.
    let plain: Option<String> = Some(String::from("prelude"));
    assert_eq!(plain.as_deref(), Some("prelude"));
}
