//! Requests exactly as the official SDKs (`@bitrix24/b24jssdk`, `b24pysdk`) and fast_bitrix24
//! send them, byte for byte over a plain TCP connection, and the answers a portal gives them.
//! Their list helpers send `order` as an object of field → direction to every list method
//! (fast_bitrix24's `get_all`, b24jssdk's `callList`), also where a method documents `sort`
//! plus a direction.
//!
//! How each client writes a call (read from their sources):
//!
//! - **b24jssdk** (v2 actions): `POST` to the endpoint plus `/` and the method, so an OAuth
//!   app whose `client_endpoint` is `https://PORTAL/rest/` calls `/rest//METHOD`; three
//!   telemetry parameters `bx24_request_id`, `bx24_sdk_ver`, `bx24_sdk_type` in the query
//!   string; the parameters (and `auth`) as a compact JSON body. A batch sends `halt` as
//!   `1`/`0` and `cmd` as a JSON list when the commands are a list, each command's parameters
//!   written by `qs` with encoded indices (`ID%5B0%5D=1`).
//! - **b24pysdk**: `POST /rest/USER/CODE/METHOD.json` (OAuth: `/rest/METHOD.json` with `auth`
//!   in the body), the parameters as JSON written by Python's `json.dumps`. A batch sends
//!   `halt` as a JSON boolean and `cmd` as an object (keys `"0"`, `"1"`, … for a list of
//!   commands), each command's parameters as `key[0]=…` with literal brackets and
//!   `quote_plus`-encoded inner keys (`FILTER[%40ID][0]=5`).
//! - **fast_bitrix24**: `POST` to the webhook URL (a `/` added when missing) plus the method in
//!   lower case, the parameters as JSON. Everything but a single call goes through `batch`
//!   with `"halt": 0`, each command labelled `cmd0000000000`… (or `order0000000000`… for
//!   `call`, which also leaves its label in the command as an extra `__order` parameter) and
//!   its parameters written like PHP's `http_build_query` with literal brackets and a
//!   trailing `&`.

mod common;

use b24_emulator::{Emulator, Fixture, RunningEmulator};
use common::{http_request, raw};
use serde_json::{Value, json};

const HOOK: &str = "/rest/1/b24emulatorcode";

async fn running() -> RunningEmulator {
    common::start(Emulator::builder()).await
}

/// What b24jssdk sends for `method` with `json` as the parameters, below `endpoint`.
fn js_sdk(endpoint: &str, method: &str, json: &str) -> String {
    let target = format!(
        "{endpoint}/{method}?bx24_request_id=0195f1c2-7d3a-4b8e-9f10-2a6b4c8d1e3f\
         &bx24_sdk_ver=2.1.0&bx24_sdk_type=b24-js-sdk"
    );
    let headers = [
        ("Accept", "application/json, text/plain, */*"),
        ("Content-Type", "application/json"),
        ("User-Agent", "b24-js-sdk/2.1.0"),
    ];
    http_request("POST", &target, &headers, json)
}

/// What b24pysdk sends for `method` on the default webhook.
fn pysdk(method: &str, json: &str) -> String {
    let headers = [
        ("User-Agent", "b24pysdk-v-1.2.1-python-3.12"),
        ("Accept-Encoding", "gzip, deflate"),
        ("Accept", "application/json"),
        ("Accept-Charset", "utf-8"),
        ("Content-Type", "application/json"),
    ];
    http_request("POST", &format!("{HOOK}/{method}.json"), &headers, json)
}

/// What fast_bitrix24 (aiohttp) sends for `method` on the default webhook.
fn fast_bitrix24(method: &str, json: &str) -> String {
    let headers = [
        ("Accept", "*/*"),
        ("Accept-Encoding", "gzip, deflate"),
        ("User-Agent", "Python/3.12 aiohttp/3.9.5"),
        ("Content-Type", "application/json"),
    ];
    http_request("POST", &format!("{HOOK}/{method}"), &headers, json)
}

fn ids(list: &Value, key: &str) -> Vec<u64> {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(|item| match &item[key] {
            Value::String(s) => s.parse().unwrap(),
            other => other.as_u64().unwrap(),
        })
        .collect()
}

/// Item 1 of issue 10: PHP indexed arrays, as fast_bitrix24's `call()` puts a list into a
/// batch command (with its `__order` label as an extra parameter).
#[tokio::test]
async fn fast_bitrix24_call_with_a_list() {
    let running = running().await;
    let body = r#"{"halt": 0, "cmd": {"order0000000000": "im.department.get?__order=order0000000000&ID[0]=1&ID[1]=7&"}}"#;
    let (status, answer) = raw(running.addr(), &fast_bitrix24("batch", body)).await;
    assert_eq!(status, 200, "{answer}");
    let result = &answer["result"];
    assert_eq!(result["result_error"], json!([]), "{answer}");
    assert_eq!(ids(&result["result"]["order0000000000"], "id"), [1, 7]);
}

/// b24pysdk's `call_batch` with a list and a filter holding a list, and a `select` list.
#[tokio::test]
async fn b24pysdk_batch_with_indexed_lists() {
    let running = running().await;
    let body = r#"{"cmd": {"0": "im.department.get?ID[0]=1&ID[1]=7", "1": "user.get?FILTER[%40ID][0]=5&FILTER[%40ID][1]=7&select[0]=NAME"}, "halt": false}"#;
    let (status, answer) = raw(running.addr(), &pysdk("batch", body)).await;
    assert_eq!(status, 200, "{answer}");
    let result = &answer["result"];
    assert_eq!(result["result_error"], json!([]), "{answer}");
    // Commands keyed 0, 1 come back as a list, as PHP encodes such an array.
    assert_eq!(ids(&result["result"][0], "id"), [1, 7]);
    assert_eq!(
        result["result"][1],
        json!([{"ID": "5", "NAME": "John"}, {"ID": "7", "NAME": "Peter"}])
    );
    assert_eq!(result["result_total"], json!({"1": 2}));
}

/// b24jssdk's `batch.make` with a list of calls: `cmd` is a JSON list, `halt` is 1, and `qs`
/// encodes the brackets of the indices.
#[tokio::test]
async fn js_sdk_batch_with_a_list_of_calls() {
    let running = running().await;
    let body = r#"{"halt":1,"cmd":["im.department.get?ID%5B0%5D=1&ID%5B1%5D=7","user.get?FILTER%5B%40ID%5D%5B0%5D=5&select%5B0%5D=LAST_NAME"]}"#;
    let (status, answer) = raw(running.addr(), &js_sdk(HOOK, "batch", body)).await;
    assert_eq!(status, 200, "{answer}");
    let result = &answer["result"]["result"];
    assert_eq!(ids(&result[0], "id"), [1, 7]);
    assert_eq!(result[1], json!([{"ID": "5", "LAST_NAME": "Smith"}]));
}

/// A PHP client (CRest: `http_build_query` into a form body) and hand-written query strings:
/// `ID[0]=1&ID[1]=7`, `select[0]=NAME`, and filter values as indexed lists.
#[tokio::test]
async fn indexed_arrays_in_forms_and_query_strings() {
    let running = running().await;
    let form = http_request(
        "POST",
        &format!("{HOOK}/im.department.get.json"),
        &[("Content-Type", "application/x-www-form-urlencoded")],
        "ID%5B0%5D=1&ID%5B1%5D=7",
    );
    let (status, answer) = raw(running.addr(), &form).await;
    assert_eq!((status, ids(&answer["result"], "id")), (200, vec![1, 7]));

    let query = format!(
        "{HOOK}/user.get?select[0]=NAME&select[1]=LAST_NAME&FILTER[@ID][0]=5&FILTER[@ID][1]=7"
    );
    let (status, answer) = raw(running.addr(), &http_request("GET", &query, &[], "")).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        answer["result"],
        json!([
            {"ID": "5", "NAME": "John", "LAST_NAME": "Smith"},
            {"ID": "7", "NAME": "Peter", "LAST_NAME": "Johnson"}
        ])
    );
    assert_eq!(answer["total"], 2);

    // Out of order, an indexed array is still the list of its values.
    let query = format!("{HOOK}/im.user.list.get?ID[1]=7&ID[0]=5");
    let (status, answer) = raw(running.addr(), &http_request("GET", &query, &[], "")).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["result"]["5"]["name"], "John Smith", "{answer}");
    assert_eq!(answer["result"]["7"]["name"], "Peter Johnson", "{answer}");
}

/// JSON objects with integer keys where a list is expected, as PHP's `json_decode` reads
/// them: a list.
#[tokio::test]
async fn json_objects_with_integer_keys_are_lists() {
    let running = running().await;
    let request = pysdk("im.department.get", r#"{"ID": {"0": 1, "1": 7}}"#);
    let (status, answer) = raw(running.addr(), &request).await;
    assert_eq!((status, ids(&answer["result"], "id")), (200, vec![1, 7]));
    let request = pysdk(
        "user.get",
        r#"{"FILTER": {"@ID": {"1": 7, "0": 5}}, "select": {"0": "NAME"}}"#,
    );
    let (status, answer) = raw(running.addr(), &request).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        answer["result"],
        json!([{"ID": "5", "NAME": "John"}, {"ID": "7", "NAME": "Peter"}])
    );
    // A key PHP keeps as text is no list index: the documented code, as for any bad value.
    let request = pysdk("im.department.get", r#"{"ID": {"first": 1}}"#);
    let (status, answer) = raw(running.addr(), &request).await;
    assert_eq!((status, &answer["error"]), (400, &json!("INVALID_FORMAT")));
}

/// Item 3: b24jssdk's OAuth calls go to `client_endpoint` (`https://PORTAL/rest/`) plus
/// `/METHOD`, a doubled slash the portal's web server merges; so do other doubled slashes.
#[tokio::test]
async fn doubled_slashes_are_merged() {
    let running = running().await;
    let oauth = js_sdk(
        "/rest/",
        "im.user.get",
        r#"{"ID":5,"auth":"b24emulatortoken"}"#,
    );
    let (status, answer) = raw(running.addr(), &oauth).await;
    assert_eq!(
        (status, &answer["result"]["id"]),
        (200, &json!(5)),
        "{answer}"
    );

    for target in [
        "/rest/1//b24emulatorcode/profile",
        "/rest/1/b24emulatorcode//profile",
        "//rest/1/b24emulatorcode/profile.json",
    ] {
        let (status, answer) = raw(running.addr(), &http_request("GET", target, &[], "")).await;
        assert_eq!(
            (status, &answer["result"]["ID"]),
            (200, &json!("1")),
            "{target}: {answer}"
        );
    }
    // Merging changes nothing else: an unknown method is still one, a wrong verb still wrong.
    let unknown = js_sdk("/rest/", "no.such.method", r#"{"auth":"b24emulatortoken"}"#);
    let (status, answer) = raw(running.addr(), &unknown).await;
    assert_eq!(
        (status, &answer["error"]),
        (404, &json!("ERROR_METHOD_NOT_FOUND"))
    );
    let put = http_request("PUT", &format!("{HOOK}//profile"), &[], "");
    let (status, answer) = raw(running.addr(), &put).await;
    assert_eq!(
        (status, &answer["error"]),
        (405, &json!("ERROR_BAD_REQUEST"))
    );
}

/// Item 4: error descriptions are the documented texts, exactly (what else the emulator knows
/// about a bad value goes to its log).
#[tokio::test]
async fn error_descriptions_are_the_documented_texts() {
    let running = running().await;
    let expect = |answer: &(u16, Value), status: u16, code: &str, text: &str| {
        assert_eq!(answer.0, status, "{}", answer.1);
        assert_eq!(answer.1["error"], code, "{}", answer.1);
        assert_eq!(answer.1["error_description"], text, "{}", answer.1);
    };
    let unknown = raw(running.addr(), &pysdk("im.user.get", r#"{"ID": 999}"#)).await;
    expect(&unknown, 400, "USER_NOT_EXISTS", "User does not exist");
    let zero = raw(running.addr(), &pysdk("im.user.get", r#"{"ID": 0}"#)).await;
    expect(&zero, 400, "ID_EMPTY", "User ID can't be empty");
    let empty = raw(
        running.addr(),
        &fast_bitrix24("im.department.get", r#"{"ID": []}"#),
    )
    .await;
    expect(
        &empty,
        400,
        "INVALID_FORMAT",
        "A wrong format for the ID field is passed",
    );
    let status = raw(
        running.addr(),
        &fast_bitrix24("im.user.status.set", r#"{"STATUS": "busy"}"#),
    )
    .await;
    expect(&status, 400, "STATUS_ERROR", "Status is not available");
    let dialog = raw(
        running.addr(),
        &pysdk("im.dialog.get", r#"{"DIALOG_ID": "chat999"}"#),
    )
    .await;
    expect(
        &dialog,
        403,
        "ACCESS_ERROR",
        "You do not have access to the specified dialog",
    );
    // System errors, as the system error table gives them.
    let request = http_request("POST", "/rest/1/wrongcode/profile", &[], "");
    let (status, answer) = raw(running.addr(), &request).await;
    assert_eq!(
        (status, answer),
        (
            401,
            json!({"error": "NO_AUTH_FOUND", "error_description": "Wrong authorization data"})
        )
    );
}

/// Item 6: habits of the SDKs that portals accept and the emulator keeps accepting.
#[tokio::test]
async fn what_the_sdks_also_send() {
    let running = running().await;
    // b24pysdk: every method name ends in `.json`.
    let (status, answer) = raw(running.addr(), &pysdk("profile", "{}")).await;
    assert_eq!(
        (status, &answer["result"]["ID"]),
        (200, &json!("1")),
        "{answer}"
    );

    // b24jssdk: `bx24_*` telemetry in the query string next to the JSON body, which a method
    // declaring no parameters ignores like any other it does not know.
    let (status, answer) = raw(running.addr(), &js_sdk(HOOK, "user.current", "{}")).await;
    assert_eq!(
        (status, &answer["result"]["ID"]),
        (200, &json!("1")),
        "{answer}"
    );

    // Unknown extra parameters, top-level and nested, are ignored.
    let body = r#"{"ID": 5, "__order": "order0000000000", "options": {"deep": [1, {"x": null}]}}"#;
    let (status, answer) = raw(running.addr(), &fast_bitrix24("im.user.get", body)).await;
    assert_eq!(
        (status, &answer["result"]["id"]),
        (200, &json!(5)),
        "{answer}"
    );

    // b24jssdk: `cmd` as a JSON list, answered with lists keyed by position.
    let body = r#"{"halt":0,"cmd":["user.current","im.user.get?ID=5"]}"#;
    let (status, answer) = raw(running.addr(), &js_sdk(HOOK, "batch", body)).await;
    assert_eq!(status, 200, "{answer}");
    let result = &answer["result"]["result"];
    assert_eq!(
        (&result[0]["ID"], &result[1]["id"]),
        (&json!("1"), &json!(5))
    );

    // b24pysdk's `call_list_fast`: the first page with `start=-1` (no count), sorted by ID,
    // then the next pages in a batch, each filtered past the last id the one before saw.
    let body = r#"{"SORT": "ID", "ORDER": "ASC", "start": -1}"#;
    let (status, answer) = raw(running.addr(), &pysdk("department.get", body)).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(ids(&answer["result"], "ID"), [1, 3, 7, 10, 12]);
    assert_eq!(answer["total"], 0);
    assert!(answer.get("next").is_none(), "{answer}");
    let body = r#"{"cmd": {"req_0": "department.get?SORT=ID&ORDER=ASC&filter[%3EID]=12&start=-1", "req_1": "department.get?SORT=ID&ORDER=ASC&filter[%3EID]=$result[req_0][49][ID]&start=-1"}, "halt": true}"#;
    let (status, answer) = raw(running.addr(), &pysdk("batch", body)).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["result"]["result_error"], json!([]), "{answer}");
    assert_eq!(
        answer["result"]["result_total"],
        json!({"req_0": 0, "req_1": 0})
    );
}

/// 60 departments (in place of the built-in ones), listed from the highest id down, every
/// third with sort index 100 (the rest 500), so an order the request asks for shows.
fn many_departments() -> Fixture {
    let records = (2..=61)
        .rev()
        .map(|id| {
            let sort = if id % 3 == 0 { 100 } else { 500 };
            let record = json!({"ID": id.to_string(), "NAME": format!("Team {id:02}"), "SORT": sort, "PARENT": "1"});
            record.as_object().unwrap().clone()
        })
        .collect();
    Fixture::builtin().with_collection("departments", records)
}

/// Item 2 of issue 10: fast_bitrix24's `get_all` sends `{"order": {"ID": "ASC"}}` with every
/// list method, on the first page as JSON and on the next ones inside a batch as
/// `order[ID]=ASC`, although `department.get` and `user.get` document `sort` plus a direction.
/// The portal takes it, and so does the emulator: the list comes sorted by its keys.
#[tokio::test]
async fn fast_bitrix24_get_all_sends_an_order_object() {
    let running = common::start(Emulator::builder().fixture(many_departments())).await;
    let body = r#"{"order": {"ID": "ASC"}}"#;
    let (status, first) = raw(running.addr(), &fast_bitrix24("department.get", body)).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(ids(&first["result"], "ID"), (2..=51).collect::<Vec<_>>());
    assert_eq!((&first["total"], &first["next"]), (&json!(60), &json!(50)));

    let batch =
        r#"{"halt": 0, "cmd": {"cmd0000000000": "department.get?order[ID]=ASC&start=50&"}}"#;
    let (status, answer) = raw(running.addr(), &fast_bitrix24("batch", batch)).await;
    assert_eq!(status, 200, "{answer}");
    let result = &answer["result"];
    assert_eq!(result["result_error"], json!([]), "{answer}");
    assert_eq!(
        ids(&result["result"]["cmd0000000000"], "ID"),
        (52..=61).collect::<Vec<_>>()
    );
    assert_eq!(result["result_total"]["cmd0000000000"], 60);

    // The object's keys are the sort keys in order, directions in any case: sort index
    // descending, then the name.
    let body = r#"{"order": {"SORT": "desc", "NAME": "asc"}, "start": 0}"#;
    let (status, answer) = raw(running.addr(), &fast_bitrix24("department.get", body)).await;
    assert_eq!(status, 200, "{answer}");
    let got = ids(&answer["result"], "ID");
    assert_eq!(&got[..3], [2, 4, 5], "{answer}");
    assert!(got[..40].iter().all(|id| id % 3 != 0), "{got:?}");
    // user.get the same way, its first and only page; a second one comes back empty.
    let body = r#"{"order": {"ID": "ASC"}}"#;
    let (status, users) = raw(running.addr(), &fast_bitrix24("user.get", body)).await;
    assert_eq!(status, 200, "{users}");
    assert_eq!(ids(&users["result"], "ID"), [1, 4, 5, 6, 7, 8, 9]);
    let batch = r#"{"halt": 0, "cmd": {"cmd0000000000": "user.get?order[ID]=ASC&start=50&"}}"#;
    let (status, answer) = raw(running.addr(), &fast_bitrix24("batch", batch)).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["result"]["result"]["cmd0000000000"], json!([]));
    assert_eq!(answer["result"]["result_total"]["cmd0000000000"], 7);
}

/// b24jssdk v2's `callList`/`fetchList` (the list helpers `user.get`'s page recommends) send an
/// order object, a filter past the last id seen and `start=-1`, page after page.
#[tokio::test]
async fn js_sdk_call_list_sends_an_order_object() {
    let running = running().await;
    let body = r#"{"order":{"ID":"DESC"},"filter":{">ID":0},"start":-1}"#;
    let (status, answer) = raw(running.addr(), &js_sdk(HOOK, "user.get", body)).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(ids(&answer["result"], "ID"), [9, 8, 7, 6, 5, 4, 1]);
    assert_eq!(answer["total"], 0);
    let body = r#"{"order":{"ID":"ASC"},"filter":{">ID":0},"start":-1}"#;
    let (status, answer) = raw(running.addr(), &js_sdk(HOOK, "user.get", body)).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(ids(&answer["result"], "ID"), [1, 4, 5, 6, 7, 8, 9]);
    let body = r#"{"order":{"ID":"ASC"},"filter":{">ID":9},"start":-1}"#;
    let (status, answer) = raw(running.addr(), &js_sdk(HOOK, "user.get", body)).await;
    assert_eq!((status, &answer["result"]), (200, &json!([])), "{answer}");
    // What the documented `sort` + `order` pair sends keeps working, and a wrong direction
    // or a field the record lacks is refused as before.
    let body = r#"{"sort":"LAST_NAME","order":"desc","start":-1}"#;
    let (status, answer) = raw(running.addr(), &js_sdk(HOOK, "user.get", body)).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(ids(&answer["result"], "ID"), [5, 8, 1, 7, 4, 9, 6]);
    for body in [
        r#"{"order":{"ID":"UP"}}"#,
        r#"{"order":{"AGE":"ASC"}}"#,
        r#"{"order":"UP"}"#,
    ] {
        let (status, answer) = raw(running.addr(), &js_sdk(HOOK, "user.get", body)).await;
        assert_eq!(
            (status, &answer["error"]),
            (400, &json!("INVALID_ARG_VALUE")),
            "{body}"
        );
    }
}

/// Requests the REST docs' "How to call" pages show, or PHP clients write, that a portal
/// takes: the documented multipart example (no closing `--` after its last delimiter), a
/// JSON list as the whole body (positional parameters), and PHP's empty array `[]` where an
/// object is expected (a PHP client's `json_encode(['FILTER' => []])`).
#[tokio::test]
async fn what_the_docs_and_php_clients_send() {
    let running = running().await;
    let multipart = http_request(
        "POST",
        &format!("{HOOK}/im.user.get"),
        &[("Content-Type", "multipart/form-data; boundary=SomeBoundary")],
        "--SomeBoundary\r\nContent-Disposition: form-data; name=\"ID\"\r\n\r\n5\r\n--SomeBoundary",
    );
    let (status, answer) = raw(running.addr(), &multipart).await;
    assert_eq!(
        (status, &answer["result"]["id"]),
        (200, &json!(5)),
        "{answer}"
    );

    let json = [("Content-Type", "application/json")];
    let positional = http_request("POST", &format!("{HOOK}/user.current"), &json, "[]");
    let (status, answer) = raw(running.addr(), &positional).await;
    assert_eq!(
        (status, &answer["result"]["ID"]),
        (200, &json!("1")),
        "{answer}"
    );

    let body = r#"{"FILTER":[],"select":[],"start":0}"#;
    let empty = http_request("POST", &format!("{HOOK}/user.get"), &json, body);
    let (status, answer) = raw(running.addr(), &empty).await;
    assert_eq!((status, &answer["total"]), (200, &json!(7)), "{answer}");
}
