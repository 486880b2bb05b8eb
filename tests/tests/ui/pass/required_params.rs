//! Required parameters are constructor arguments, so forgetting one does not compile; a
//! directory of specs becomes one module per method and one client trait with a method each.

mod custom {
    b24_client::generate!(
        specs = "required_params",
        relative_to = file,
        client_trait = ThingMethods
    );
}
mod default_trait {
    b24_client::generate!(specs = "required_params/im", relative_to = file);
}

use b24_client::{Client, Method};
use custom::ThingMethods;
use custom::tasks_thing_add::TasksThingAddRequest;
use serde_json::json;

fn assert_output<M: Method<Output = O>, O>() {}

fn main() {
    // `new` takes the required parameters in spec order; `&str` is accepted for strings.
    let request = TasksThingAddRequest::new(4, "Buy milk", false);
    assert_eq!(
        (request.task_id, request.title.as_str(), request.done),
        (4, "Buy milk", false)
    );
    assert_eq!(request.sort, None);
    assert_eq!(
        serde_json::Value::Object(request.params()),
        json!({ "TASK_ID": 4, "TITLE": "Buy milk", "DONE": "N" })
    );
    // Setters can still change a required parameter, and set optional ones.
    let request = request.title(String::from("Buy oat milk")).sort(10);
    assert_eq!(
        serde_json::Value::Object(request.params()),
        json!({ "TASK_ID": 4, "TITLE": "Buy oat milk", "DONE": "N", "SORT": 10 })
    );
    assert_output::<TasksThingAddRequest, u64>();
    assert_output::<custom::im_thing_list::ImThingListRequest, Vec<String>>();

    // The client trait starts calls with the same required arguments.
    let client = Client::webhook("https://example.bitrix24.com/rest/1/abc123/").unwrap();
    let call = client.tasks_thing_add(9, "Water plants", true).sort(5);
    assert_eq!(
        serde_json::Value::Object(call.into_request().params()),
        json!({ "TASK_ID": 9, "TITLE": "Water plants", "DONE": "Y", "SORT": 5 })
    );
    assert!(
        ThingMethods::im_thing_list(&client)
            .into_request()
            .params()
            .is_empty()
    );
    // The default trait name is `SpecMethods`.
    let listed = default_trait::SpecMethods::im_thing_list(&client).into_request();
    assert_eq!(
        listed,
        default_trait::im_thing_list::ImThingListRequest::default()
    );

    // `SPECS` embeds every spec file, named relative to the crate root.
    let paths: Vec<&str> = custom::SPECS.iter().map(|s| s.path).collect();
    assert_eq!(
        paths,
        [
            "tests/ui/pass/required_params/im/im.thing.list.yml",
            "tests/ui/pass/required_params/tasks/tasks.thing.add.yaml",
        ]
    );
    assert!(custom::SPECS[1].text.contains("method: tasks.thing.add"));
    assert_eq!(default_trait::SPECS.len(), 1);
}
