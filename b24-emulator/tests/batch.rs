//! `batch` over HTTP: commands, references between them, `halt`, limits and the envelope.

mod common;

use b24_client::{Error, ErrorCode};
use b24_emulator::{Emulator, Fault, Fixture, Plan, RunningEmulator};
use common::{start, webhook_client};
use serde_json::{Map, Value, json};

const LIST: &str = "\
method: test.item.list
scope: test
summary: Lists items
docs: https://example.com/items
access: any user
paged: true
result: { type: array, items: Item }
types:
  Item:
    fields:
      id: id
      owner: id
emulator:
  collection: items
";

fn builder() -> b24_emulator::EmulatorBuilder {
    let items = (1..=60)
        .map(|id| json!({ "id": id, "owner": 5 }).as_object().unwrap().clone())
        .collect();
    Emulator::builder()
        .spec(b24_spec::load_str("test.item.list.yaml", LIST).unwrap())
        .fixture(Fixture::builtin().with_collection("items", items))
}

async fn batch(running: &RunningEmulator, params: Value) -> Value {
    let client = webhook_client(running);
    let params: Map<String, Value> = params.as_object().unwrap().clone();
    client.call_raw("batch", params).await.unwrap().result
}

#[tokio::test]
async fn commands_run_in_order_and_use_earlier_results() {
    let running = start(builder()).await;
    let result = batch(
        &running,
        json!({
            "halt": 0,
            "cmd": {
                "me": "im.user.get",
                "list": "test.item.list?start=50",
                "owner": "im.user.get?ID=$result[list][0][owner]",
                "dept": "im.user.get?ID=$result[me][departments][0]",
            }
        }),
    )
    .await;
    assert_eq!(result["result"]["me"]["id"], 1);
    assert_eq!(result["result"]["list"].as_array().unwrap().len(), 10);
    assert_eq!(result["result"]["owner"]["id"], 5);
    assert_eq!(result["result"]["dept"]["id"], 1);
    assert_eq!(result["result_error"], json!([]));
    assert_eq!(result["result_total"], json!({ "list": 60 }));
    assert_eq!(result["result_next"], json!([]));
    let times = result["result_time"].as_object().unwrap();
    assert_eq!(
        times.keys().collect::<Vec<_>>(),
        ["me", "list", "owner", "dept"]
    );
    assert!(times["me"]["start"].is_f64(), "{}", times["me"]);
    assert!(times["me"].get("operating").is_none());
    let keys: Vec<&String> = result.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "result",
            "result_error",
            "result_total",
            "result_next",
            "result_time"
        ]
    );
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn errors_are_collected_or_halt_the_chain() {
    let running = start(builder()).await;
    let cmd = json!({
        "a": "im.user.get?ID=424242",
        "b": "im.user.get?ID=5",
        "c": "no.such.method",
    });
    let result = batch(&running, json!({ "halt": 0, "cmd": cmd })).await;
    assert_eq!(result["result_error"]["a"]["error"], "USER_NOT_EXISTS");
    assert_eq!(
        result["result_error"]["c"]["error"],
        "ERROR_METHOD_NOT_FOUND"
    );
    assert_eq!(result["result"]["b"]["id"], 5);

    let result = batch(&running, json!({ "halt": 1, "cmd": cmd })).await;
    assert_eq!(
        result["result_error"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        ["a"]
    );
    assert_eq!(result["result"], json!([]));
    assert_eq!(result["result_time"], json!([]));
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn list_commands_give_lists_and_nested_batch_is_refused() {
    let running = start(builder()).await;
    let result = batch(
        &running,
        json!({ "cmd": ["test.item.list", "batch?cmd[x]=im.user.get", "im.user.get?ID=5"] }),
    )
    .await;
    // Numbered commands give PHP-style lists where the keys run 0, 1, … and objects elsewhere.
    assert_eq!(result["result_total"], json!([60]));
    assert_eq!(result["result_next"], json!([50]));
    assert_eq!(
        result["result"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        ["0", "2"]
    );
    assert_eq!(
        result["result_error"]["1"]["error"],
        "ERROR_BATCH_METHOD_NOT_ALLOWED"
    );
    assert_eq!(result["result"]["2"]["id"], 5);
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn commands_beyond_50_fail_and_the_batch_is_one_request() {
    let running = start(builder().plan(Plan::Custom {
        per_second: 1,
        burst: 2,
    }))
    .await;
    let cmd: Map<String, Value> = (0..52)
        .map(|i| (format!("c{i}"), Value::from("im.user.get")))
        .collect();
    let result = batch(&running, json!({ "cmd": cmd })).await;
    assert_eq!(result["result"].as_object().unwrap().len(), 50);
    let errors = result["result_error"].as_object().unwrap();
    assert_eq!(errors.keys().collect::<Vec<_>>(), ["c50", "c51"]);
    assert_eq!(errors["c50"]["error"], "ERROR_BATCH_LENGTH_EXCEEDED");
    assert_eq!(
        errors["c50"]["error_description"],
        "Max batch length exceeded"
    );
    // 52 commands used one request of a bucket that holds two.
    webhook_client(&running).im_user_get().send().await.unwrap();
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn form_encoded_batches_and_faults_inside() {
    let running =
        start(builder().fault(Fault::error("im.user.get", "ACCESS_DENIED").after(1))).await;
    // `cmd[...]` keys in a form body, with the command's own query string encoded once more.
    let body = "halt=0&cmd[first]=im.user.get%3FID%3D5&cmd[second]=im.user.get";
    let response = common::http()
        .post(format!("{}batch", running.webhook_url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    let (status, body) = common::parts(response).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["result"]["result"]["first"]["id"], 5);
    assert_eq!(
        body["result"]["result_error"]["second"]["error"],
        "ACCESS_DENIED"
    );
    assert!(body["time"]["start"].is_f64());
    assert!(body["time"].get("operating").is_none(), "{}", body["time"]);

    let client = webhook_client(&running);
    match client.call_raw("batch", Map::new()).await.unwrap_err() {
        Error::Api(api) => assert_eq!((api.status, api.code.code()), (400, "INVALID_ARG_VALUE")),
        other => panic!("{other}"),
    }
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn batches_in_the_query_string_are_encoded_twice() {
    let running = start(builder()).await;
    // `cmd[0]=im.user.get?ID=5&AVATAR_HR=N`, the command encoded once more as a value.
    let url = format!(
        "{}batch?halt=1&cmd[0]=im.user.get%3FID%3D5%26AVATAR_HR%3DN&cmd[1]=test.item.list%3Fstart%3D50",
        running.webhook_url()
    );
    let (status, body) = common::get(&url).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["result"]["result"][0]["id"], 5);
    assert_eq!(body["result"]["result"][1].as_array().unwrap().len(), 10);
    assert_eq!(body["result"]["result_total"], json!({ "1": 60 }));
    assert_eq!(body["result"]["result_next"], json!([]));
    running.shutdown().await.unwrap();
}
