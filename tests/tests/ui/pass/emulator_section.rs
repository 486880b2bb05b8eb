//! An `emulator:` section changes no generated code, only how the emulator answers: the specs
//! compile, and the emulator serves them from a fixture as the section says (`kind: list`
//! with `match` and the filter parameter, a keyed or list shape chosen by a parameter,
//! `omit`, `value`, and a write by the caller).

b24_client::generate!(specs = "emulator_section", relative_to = file);

use b24_emulator::{Emulator, Fixture};
use serde_json::{Value, json};

fn main() {
    let things = json!([
        {"id": 1, "name": "one", "owner_id": 1},
        {"id": 2, "name": "two", "owner_id": 5},
        {"id": 3, "name": "three", "owner_id": 1}
    ]);
    let records = things
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_object().unwrap().clone())
        .collect();
    let fixture = Fixture::builtin().with_collection("things", records);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let running = Emulator::builder()
            .specs(SPECS)
            .fixture(fixture)
            .build()
            .unwrap()
            .start("127.0.0.1:0")
            .await
            .unwrap();
        let client = b24_client::Client::webhook(&running.webhook_url()).unwrap();
        let call = |params: Value| {
            let client = client.clone();
            async move {
                let params = params.as_object().unwrap().clone();
                client.call_raw("im.thing.list", params).await.unwrap().result
            }
        };
        assert_eq!(
            call(json!({"OWNER": [1]})).await,
            json!({"1": {"id": 1, "name": "one"}, "3": {"id": 3, "name": "three"}})
        );
        assert_eq!(
            call(json!({"OWNER": [1, 5], "FILTER": {">=id": 2}, "AS_LIST": "Y"})).await,
            json!(["two", "three"])
        );
        let renamed = client
            .call_raw(
                "im.thing.rename",
                json!({"NAME": "first"}).as_object().unwrap().clone(),
            )
            .await
            .unwrap();
        assert_eq!(renamed.result, json!(true));
        assert_eq!(
            call(json!({"OWNER": [1], "AS_LIST": "Y"})).await,
            json!(["first", "three"])
        );
        running.shutdown().await.unwrap();
    });
}
