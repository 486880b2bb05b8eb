//! List methods (`paged: true`): 50 records a page chosen by `start`, with `total` and `next`.

mod common;

use b24_emulator::{Emulator, Fixture, RunningEmulator};
use common::{get, post_json, start, webhook_client};
use serde_json::{Map, Value, json};

const SPEC: &str = "\
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
emulator:
  collection: items
";

async fn running() -> RunningEmulator {
    let items = (1..=120)
        .map(|id| json!({ "id": id }).as_object().unwrap().clone())
        .collect();
    start(
        Emulator::builder()
            .spec(b24_spec::load_str("test.item.list.yaml", SPEC).unwrap())
            .fixture(Fixture::builtin().with_collection("items", items)),
    )
    .await
}

fn ids(result: &Value) -> Vec<u64> {
    result
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_u64().unwrap())
        .collect()
}

fn params(start: i64) -> Map<String, Value> {
    json!({ "start": start }).as_object().unwrap().clone()
}

#[tokio::test]
async fn pages_of_50_with_total_and_next() {
    let running = running().await;
    let client = webhook_client(&running);

    let first = client.call_raw("test.item.list", Map::new()).await.unwrap();
    assert_eq!(ids(&first.result), (1..=50).collect::<Vec<_>>());
    assert_eq!((first.total, first.next), (Some(120), Some(50)));

    let second = client.call_raw("test.item.list", params(50)).await.unwrap();
    assert_eq!(ids(&second.result), (51..=100).collect::<Vec<_>>());
    assert_eq!((second.total, second.next), (Some(120), Some(100)));

    let last = client
        .call_raw("test.item.list", params(100))
        .await
        .unwrap();
    assert_eq!(ids(&last.result), (101..=120).collect::<Vec<_>>());
    assert_eq!((last.total, last.next), (Some(120), None));

    let beyond = client
        .call_raw("test.item.list", params(500))
        .await
        .unwrap();
    assert_eq!(
        (beyond.result, beyond.total, beyond.next),
        (json!([]), Some(120), None)
    );
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn the_wire_envelope_and_fast_mode() {
    let running = running().await;
    let url = format!("{}test.item.list", running.webhook_url());

    let (status, body) = get(&format!("{url}?start=100")).await;
    assert_eq!(status, 200);
    assert_eq!(body["total"], 120);
    assert!(body.get("next").is_none(), "{body}");
    let keys: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["result", "total", "time"]);

    // `start=-1` skips counting: the first 50 records, `total` 0 and no `next`, as in the
    // documented example.
    let (status, body) = post_json(&url, &json!({ "start": -1 })).await;
    assert_eq!(status, 200);
    assert_eq!(ids(&body["result"]).len(), 50);
    assert_eq!(body["total"], 0);
    assert!(body.get("next").is_none(), "{body}");

    let (status, body) = post_json(&url, &json!({ "start": -2 })).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("INVALID_ARG_VALUE"))
    );
    running.shutdown().await.unwrap();
}

/// Item 5 of issue 10: a `paged` method without an `emulator:` section pages its example's
/// list, with `total` and `next`, over HTTP and inside `batch`.
#[tokio::test]
async fn a_list_answered_from_its_example_pages_too() {
    let records: Vec<String> = (1..=60).map(|id| format!("{{ id: {id} }}")).collect();
    let spec = format!(
        "method: test.example.list\nscope: test\nsummary: Lists\ndocs: https://example.com\n\
         access: any user\npaged: true\nresult: {{ type: array, items: Item }}\n\
         types: {{ Item: {{ fields: {{ id: id }} }} }}\n\
         example: {{ params: {{}}, response: {{ result: [{}], total: 60 }} }}\n",
        records.join(", ")
    );
    let spec = b24_spec::load_str("test.example.list.yaml", &spec).unwrap();
    let running = start(Emulator::builder().spec(spec)).await;
    let url = format!("{}test.example.list", running.webhook_url());

    let (status, body) = get(&url).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(ids(&body["result"]), (1..=50).collect::<Vec<_>>());
    assert_eq!((&body["total"], &body["next"]), (&json!(60), &json!(50)));
    let (_, body) = post_json(&url, &json!({ "start": 50 })).await;
    assert_eq!(ids(&body["result"]), (51..=60).collect::<Vec<_>>());
    assert_eq!(body["total"], 60);
    assert!(body.get("next").is_none(), "{body}");
    let (_, body) = get(&format!("{url}?start=-1")).await;
    assert_eq!(
        (ids(&body["result"]).len(), &body["total"]),
        (50, &json!(0))
    );

    let batch = json!({"cmd": {"a": "test.example.list", "b": "test.example.list?start=50"}});
    let (_, body) = post_json(&format!("{}batch", running.webhook_url()), &batch).await;
    let result = &body["result"];
    assert_eq!(ids(&result["result"]["b"]), (51..=60).collect::<Vec<_>>());
    assert_eq!(result["result_total"], json!({"a": 60, "b": 60}));
    assert_eq!(result["result_next"], json!({"a": 50}));
    running.shutdown().await.unwrap();
}

/// A hand-written typed method, as the generator writes one for a `paged` spec.
struct ItemList {
    start: u64,
}

impl b24_client::Method for ItemList {
    const NAME: &'static str = "test.item.list";
    const READ_ONLY: bool = true;
    const PAGED: bool = true;
    type Output = Vec<Value>;
    type Error = b24_client::AnyErrorCode;

    fn params(&self) -> Map<String, Value> {
        params(self.start as i64)
    }

    // This crate has no serde of its own; the client's re-export names the trait.
    fn decode_output<'de, D: b24_client::__private::serde::Deserializer<'de>>(
        &self,
        d: D,
    ) -> Result<Vec<Value>, D::Error> {
        <b24_client::wire::Plain<Vec<Value>> as b24_client::wire::Decode>::decode(d)
    }

    fn set_start(&mut self, start: u64) {
        self.start = start;
    }
}

#[tokio::test]
async fn call_full_follows_next_to_the_end() {
    let running = running().await;
    let client = webhook_client(&running);
    let mut method = ItemList { start: 0 };
    let mut seen = Vec::new();
    let mut pages = Vec::new();
    loop {
        let page = client.call_full(&method).await.unwrap();
        assert_eq!(page.total, Some(120));
        seen.extend(page.result.iter().map(|r| r["id"].as_u64().unwrap()));
        pages.push(page.next);
        match page.next {
            Some(next) => b24_client::Method::set_start(&mut method, next),
            None => break,
        }
    }
    assert_eq!(pages, [Some(50), Some(100), None]);
    assert_eq!(seen, (1..=120).collect::<Vec<_>>());
    running.shutdown().await.unwrap();
}
