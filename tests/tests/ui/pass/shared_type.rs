//! A type referenced from several fields is generated once and used everywhere; a type may
//! contain itself through an array.

b24_client::generate!(specs = "shared_type", relative_to = file);

use b24_client::Method;
use im_thing_list::{Address, ImThingListRequest, Person, Thing};
use serde_json::json;

fn main() {
    let result = json!([{
        "id": 1,
        "author": { "id": 5, "name": "Ann", "office": { "city": "Riga" } },
        "editor": false,
        "watchers": [],
        "parts": [{
            "id": 2,
            "author": { "id": "6", "name": "Bo" },
            "editor": { "id": 5, "name": "Ann" },
            "watchers": [{ "id": 7, "name": "Cy" }],
            "parts": []
        }]
    }]);
    let things: <ImThingListRequest as Method>::Output = serde_json::from_value(result).unwrap();
    let things: Vec<Thing> = things;
    assert_eq!(things.len(), 1);
    let first = &things[0];
    assert_eq!(
        first.author.office,
        Some(Address {
            city: "Riga".into()
        })
    );
    assert_eq!(first.editor, None);
    let part = &first.parts[0];
    assert_eq!(part.author.id, 6);
    assert_eq!(part.author.office, None);
    // The same `Person` type in a plain field, an `or_false` field and an array.
    let ann: &Person = &first.author;
    let editor: &Person = part.editor.as_ref().unwrap();
    let watcher: &Person = &part.watchers[0];
    assert_eq!(ann.name, editor.name);
    assert_eq!(ann.id, editor.id);
    assert_eq!(watcher.name, "Cy");
}
