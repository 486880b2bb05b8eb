//! Type libraries: a file with `types:` and no `method:` defines types once for every spec of
//! the set; they are generated once, in `types`, and each method uses the same Rust type.

b24_client::generate!(specs = "type_library", relative_to = file);

use b24_client::Method;
use im_person_get::ImPersonGetRequest;
use im_person_list::{ImPersonListRequest, Team};
use serde_json::json;

fn same_type<T>(_: &T, _: &T) {}

fn main() {
    let ann: types::Person = ImPersonGetRequest::new(3)
        .decode_output(&mut serde_json::Deserializer::from_str(
            r#"{"id": "3", "name": "Ann", "gender": "F", "idle": false, "manager": {"id": 1}}"#,
        ))
        .unwrap();
    assert_eq!((ann.id, ann.gender.clone()), (3, types::PersonGender::Female));
    assert_eq!(ann.manager.as_ref().map(|m| m.id), Some(1));

    let team: Team = serde_json::from_value(json!({
        "lead": { "id": 1, "name": "Bob", "gender": "M", "idle": false, "manager": false },
        "members": [{ "id": 3, "name": "Ann", "gender": "F", "idle": false, "manager": false }]
    }))
    .unwrap();
    // The list's `Person` is the very type the single read returns, and each method module
    // re-exports the library types it uses.
    same_type(&team.lead, &ann);
    let _: &im_person_get::Person = &ann;
    let _: &im_person_list::Person = &team.lead;
    let _ = im_person_get::PersonGender::Male;
    assert_eq!(team.members[0].name, "Ann");

    // `paged: true` adds the `start` parameter and marks the method as a list.
    assert_eq!(
        serde_json::Value::Object(ImPersonListRequest::new().start(50).params()),
        json!({ "start": 50 })
    );
    const { assert!(ImPersonListRequest::PAGED && !ImPersonGetRequest::PAGED) };
    // `Client::call_all` moves from page to page with `set_start`.
    let mut next_page = ImPersonListRequest::new();
    next_page.set_start(100);
    assert_eq!(
        serde_json::Value::Object(next_page.params()),
        json!({ "start": 100 })
    );
    // The call builder of a paged method can fetch every page.
    let client = b24_client::Client::webhook("https://example.bitrix24.com/rest/1/abc123/").unwrap();
    let _every_team = SpecMethods::im_person_list(&client).send_all();
    // Libraries are embedded with the specs, so the emulator can load the set.
    assert!(SPECS.iter().any(|s| s.path.ends_with("types/people.yaml")));
}
