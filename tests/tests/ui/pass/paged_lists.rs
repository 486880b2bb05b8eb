//! `paged` as a mapping: the generated request implements `Paged`, whose `Item` is a record,
//! `into_items` takes the records out of a page (the result itself, or the field `items`
//! names), `item_id` reads the `id` field, and `paging()` says how to page by id.

b24_client::generate!(specs = "paged_lists", relative_to = file);

use b24_client::{Paged, Paging};
use im_thing_list::{ImThingListRequest, Thing};
use im_thing_tasks::{ImThingTasksRequest, Task, TaskPage};
use serde_json::json;

fn main() {
    // A plain list: the output is the records.
    let things = vec![Thing { id: 7, name: None }];
    let items: Vec<Thing> = ImThingListRequest::into_items(things.clone());
    assert_eq!(items, things);
    assert_eq!(ImThingListRequest::item_id(&things[0]), Some(7));
    let paging: Paging = ImThingListRequest::paging();
    assert_eq!(paging.start, "start");
    assert_eq!(paging.id.as_deref(), Some("ID"));
    assert_eq!(paging.select.as_deref(), Some("select"));
    let by_id = paging.by_id.expect("pages by id");
    assert_eq!((by_id.filter.as_str(), by_id.after.as_str()), ("FILTER", ">ID"));
    assert_eq!(
        serde_json::Value::Object(by_id.order),
        json!({"SORT": "ID", "ORDER": "ASC"})
    );

    // A wrapped list: the records are the page's `tasks` (none when the page is `false` or
    // has no `tasks`); an `integer` id reads as a `u64`.
    let task = Task { id: 3, title: "Call back".into() };
    let page = TaskPage { tasks: Some(vec![task.clone()]) };
    assert_eq!(ImThingTasksRequest::into_items(Some(page)), vec![task.clone()]);
    assert_eq!(ImThingTasksRequest::into_items(None), Vec::<Task>::new());
    assert_eq!(ImThingTasksRequest::into_items(Some(TaskPage { tasks: None })), Vec::<Task>::new());
    assert_eq!(ImThingTasksRequest::item_id(&task), Some(3));
    assert_eq!(ImThingTasksRequest::item_id(&Task { id: -1, title: String::new() }), None);
    let paging = ImThingTasksRequest::paging();
    assert_eq!(paging.items.as_deref(), Some("tasks"));
    let by_id = paging.by_id.expect("pages by id");
    // The filter's own spelling of the id field.
    assert_eq!(by_id.after, ">ID");
    assert_eq!(serde_json::Value::Object(by_id.order), json!({"order": {"id": "asc"}}));

    // The call builders stream the records.
    let client = b24_client::Client::webhook("https://example.bitrix24.com/rest/1/abc123/").unwrap();
    let _: b24_client::Records<Thing, im_thing_list::ImThingListError> =
        SpecMethods::im_thing_list(&client).stream();
    let _: b24_client::Records<Task, im_thing_tasks::ImThingTasksError> =
        SpecMethods::im_thing_tasks(&client).stream();
}
