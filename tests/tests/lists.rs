//! List requests end to end, typed and as other clients write them: an `order` of several keys
//! kept in order, filters with nested `OR`/`AND` groups, and field names that requests spell
//! differently from the answer's keys (`select_names`, `select_as`), against the emulator
//! serving the spec in `lists/`.

b24_client::generate!(specs = "lists", relative_to = file);

use b24_client::{Client, Method, Order};
use b24_emulator::{Emulator, Fixture, RunningEmulator};
use serde_json::{Map, Value, json};
use test_task_list::{
    TaskField, TestTaskListFilter, TestTaskListFilterCmp as Cmp, TestTaskListRequest,
};

mod support;

/// Five tasks, in no useful order.
fn tasks() -> Vec<Map<String, Value>> {
    [
        json!({"id": "1", "title": "Write report", "responsibleId": "5", "status": "2"}),
        json!({"id": "2", "title": "Call Ann", "responsibleId": "7", "status": "3"}),
        json!({"id": "3", "title": "Fix bug", "responsibleId": "5", "status": "5"}),
        json!({"id": "4", "title": "Plan sprint", "responsibleId": "4", "status": "2"}),
        json!({"id": "5", "title": "Archive", "responsibleId": "7", "status": "5"}),
    ]
    .into_iter()
    .map(|t| t.as_object().unwrap().clone())
    .collect()
}

async fn serve() -> (RunningEmulator, Client) {
    support::serve(
        Emulator::builder()
            .specs(SPECS)
            .fixture(Fixture::builtin().with_collection("tasks", tasks())),
    )
    .await
}

fn ids(tasks: &[test_task_list::Task]) -> Vec<u64> {
    tasks.iter().map(|t| t.id).collect()
}

#[tokio::test]
async fn an_order_of_several_keys_sorts_by_each_in_turn() {
    let (_running, client) = serve().await;
    let order = Order::new()
        .asc(TaskField::ResponsibleId)
        .desc(TaskField::Title);
    let request = TestTaskListRequest::new().order(order.clone());
    // The keys in the order they were added, named as requests name them.
    assert_eq!(
        serde_json::to_string(&request.params()["order"]).unwrap(),
        r#"{"RESPONSIBLE_ID":"ASC","TITLE":"DESC"}"#
    );
    let listed = client.test_task_list().order(order).send().await.unwrap();
    assert_eq!(ids(&listed), [4, 1, 3, 2, 5]);
    // Reversed priority: title first.
    let by_title = Order::new()
        .asc(TaskField::Title)
        .asc(TaskField::ResponsibleId);
    let listed = client
        .test_task_list()
        .order(by_title)
        .send()
        .await
        .unwrap();
    assert_eq!(ids(&listed), [5, 2, 3, 4, 1]);
}

#[tokio::test]
async fn nested_groups_combine_with_or_and_and() {
    let (_running, client) = serve().await;
    // Responsible 5, or (responsible 7 and in progress); then not the task with id 3.
    let filter = TestTaskListFilter::new().id(Cmp::ne(3)).any_of(|f| {
        f.responsible_id(Cmp::eq(5))
            .all_of(|g| g.responsible_id(Cmp::eq(7)).real_status(Cmp::eq("3")))
    });
    let request = TestTaskListRequest::new().filter(filter.clone());
    assert_eq!(
        request.params()["filter"],
        json!({
            "!=ID": 3,
            "0": {
                "logic": "OR",
                "0": {"RESPONSIBLE_ID": 5},
                "1": {"logic": "AND", "0": {"RESPONSIBLE_ID": 7}, "1": {"REAL_STATUS": "3"}}
            }
        })
    );
    let listed = client.test_task_list().filter(filter).send().await.unwrap();
    assert_eq!(ids(&listed), [1, 2]);
    // Two alternatives on one key stay two members of the group.
    let either = TestTaskListFilter::new().any_of(|f| f.id(Cmp::eq(2)).id(Cmp::eq(4)));
    let listed = client.test_task_list().filter(either).send().await.unwrap();
    assert_eq!(ids(&listed), [2, 4]);
}

#[tokio::test]
async fn requests_name_fields_as_the_record_type_says() {
    let (_running, client) = serve().await;
    let request = TestTaskListRequest::new().select(vec![TaskField::Title, TaskField::Status]);
    assert_eq!(request.params()["select"], json!(["TITLE", "REAL_STATUS"]));
    let listed = client
        .test_task_list()
        .select(vec![TaskField::Title, TaskField::Status])
        .filter(TestTaskListFilter::new().real_status(Cmp::eq("5")))
        .send()
        .await
        .unwrap();
    assert_eq!(ids(&listed), [3, 5]);
    assert_eq!(listed[0].title.as_deref(), Some("Fix bug"));
    assert_eq!(listed[0].status.as_deref(), Some("5"));
    assert_eq!(listed[0].responsible_id, None, "not selected");
}

/// What other clients send: tasks.task.list's documented lower-case directions, crm.type.list's
/// filter as a list of groups, and a form with the groups written with indices.
#[tokio::test]
async fn other_clients_spellings_are_taken() {
    let (running, client) = serve().await;
    let call = |params: Value| {
        let client = client.clone();
        async move {
            let params = params.as_object().unwrap().clone();
            client.call_raw("test.task.list", params).await
        }
    };
    let answer = call(json!({"order": {"TITLE": "asc"}, "select": ["ID", "TITLE"]}))
        .await
        .unwrap();
    assert_eq!(
        answer.result,
        json!([
            {"id": "5", "title": "Archive"},
            {"id": "2", "title": "Call Ann"},
            {"id": "3", "title": "Fix bug"},
            {"id": "4", "title": "Plan sprint"},
            {"id": "1", "title": "Write report"}
        ])
    );
    let answer =
        call(json!({"filter": [{"logic": "OR", "0": {"ID": 1}, "1": {"%TITLE": "plan"}}]}))
            .await
            .unwrap();
    assert_eq!(
        answer.result.as_array().unwrap().len(),
        2,
        "{}",
        answer.result
    );
    let url = format!(
        "{}test.task.list?filter[0][logic]=OR&filter[0][0][ID]=1&filter[0][1][ID]=4&order[ID]=DESC",
        running.webhook_url()
    );
    let body = support::http()
        .get(url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let body: Value = serde_json::from_str(&body).unwrap();
    let got: Vec<&str> = body["result"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(got, ["4", "1"]);
    // The answer's own keys are not the request names, and `logic` is AND or OR.
    for bad in [
        json!({"order": {"title": "ASC"}}),
        json!({"order": {"TITLE": "UP"}}),
        json!({"filter": {"0": {"logic": "XOR", "ID": 1}}}),
        json!({"filter": {"0": {"AGE": 1}}}),
    ] {
        let e = call(bad.clone()).await.unwrap_err();
        assert!(e.to_string().contains("INVALID_ARG_VALUE"), "{bad}: {e}");
    }
}
