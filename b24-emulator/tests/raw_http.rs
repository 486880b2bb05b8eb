//! The emulator over real HTTP with a plain HTTP client: the wire details the typed client
//! never exercises (suffixes, form bodies, query strings, broken requests).

use b24_emulator::{Emulator, RunningEmulator};
use reqwest::header::CONTENT_TYPE;
use serde_json::{Value, json};

async fn start() -> RunningEmulator {
    Emulator::builder()
        .build()
        .unwrap()
        .start("127.0.0.1:0")
        .await
        .unwrap()
}

/// Status and parsed JSON body of a response.
async fn parts(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let is_json = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let text = response.text().await.unwrap();
    assert!(is_json, "not JSON (HTTP {status}): {text}");
    (status, serde_json::from_str(&text).unwrap())
}

async fn post(url: &str, content_type: &str, body: &str) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(url)
        .header(CONTENT_TYPE, content_type)
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    parts(response).await
}

async fn get(url: &str) -> (u16, Value) {
    parts(reqwest::get(url).await.unwrap()).await
}

fn assert_error(actual: &(u16, Value), status: u16, code: &str) {
    assert_eq!(actual.0, status, "{}", actual.1);
    assert_eq!(actual.1["error"], code, "{}", actual.1);
    let description = actual.1["error_description"].as_str().unwrap_or_default();
    assert!(!description.is_empty(), "{}", actual.1);
    assert!(actual.1.get("result").is_none(), "{}", actual.1);
}

#[tokio::test]
async fn json_suffix_and_case_insensitive_names() {
    let running = start().await;
    let hook = running.webhook_url();
    for (method, body) in [
        ("im.user.get.json", r#"{"ID": 5}"#),
        ("IM.USER.GET", r#"{"id": "5"}"#),
        ("im.user.get", r#"{"Id": 5, "avatar_hr": "Y"}"#),
    ] {
        let (status, body) = post(&format!("{hook}{method}"), "application/json", body).await;
        assert_eq!(status, 200, "{method}: {body}");
        assert_eq!(body["result"]["id"], 5, "{method}");
        assert!(body["time"]["date_start"].is_string(), "{body}");
        assert!(body["time"]["operating_reset_at"].is_u64(), "{body}");
        assert!(body["time"]["operating"].is_f64(), "{body}");
    }
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn form_bodies_and_query_strings() {
    let running = start().await;
    let hook = running.webhook_url();
    let (status, body) = post(
        &format!("{hook}im.user.get"),
        "application/x-www-form-urlencoded",
        "ID=5&AVATAR_HR=Y",
    )
    .await;
    assert_eq!(
        (status, &body["result"]["name"]),
        (200, &json!("John Smith"))
    );

    let (status, body) = get(&format!("{hook}im.user.get?ID=5")).await;
    assert_eq!((status, &body["result"]["id"]), (200, &json!(5)));

    // The body wins over the query string.
    let (status, body) = post(
        &format!("{hook}im.user.get?ID=5"),
        "application/json",
        r#"{"ID": 1}"#,
    )
    .await;
    assert_eq!((status, &body["result"]["id"]), (200, &json!(1)));

    // PHP-style keys build nested values: an unknown nested param is ignored, and a list
    // where an id is expected is refused with the param's code.
    let (status, body) = post(
        &format!("{hook}im.user.get"),
        "application/x-www-form-urlencoded",
        "FIELDS[ID]=5",
    )
    .await;
    assert_eq!((status, &body["result"]["id"]), (200, &json!(1)));
    let reply = get(&format!("{hook}im.user.get?ID[]=5")).await;
    assert_error(&reply, 400, "ID_EMPTY");

    // multipart/form-data, which every method accepts too: parts named like form keys.
    let multipart = "multipart/form-data; boundary=b24part";
    let (status, body) = post(
        &format!("{hook}user.get"),
        multipart,
        &multipart_body(&[("FILTER[>=ID]", "7"), ("FILTER[ACTIVE]", "true")]),
    )
    .await;
    let ids: Vec<&Value> = body["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| &u["ID"])
        .collect();
    assert_eq!(
        (status, ids),
        (200, vec![&json!("7"), &json!("9")]),
        "{body}"
    );
    // Its parts, like a form's, are strings: a number that is not an id is refused.
    let reply = post(
        &format!("{hook}im.user.get"),
        multipart,
        &multipart_body(&[("ID", "five")]),
    )
    .await;
    assert_error(&reply, 400, "ID_EMPTY");
    running.shutdown().await.unwrap();
}

/// A `multipart/form-data` body with boundary `b24part`, one text part per pair.
fn multipart_body(pairs: &[(&str, &str)]) -> String {
    let mut body = String::new();
    for (name, value) in pairs {
        body += &format!(
            "--b24part\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        );
    }
    body + "--b24part--\r\n"
}

#[tokio::test]
async fn oauth_tokens_in_body_or_query_string() {
    let running = start().await;
    let base = running.base_url();
    let token = running.access_token().to_owned();
    let (status, body) = post(
        &format!("{base}/rest/im.user.get"),
        "application/json",
        &json!({"ID": 5, "auth": token}).to_string(),
    )
    .await;
    assert_eq!((status, &body["result"]["id"]), (200, &json!(5)));

    let (status, body) = get(&format!("{base}/rest/im.user.get.json?auth={token}")).await;
    assert_eq!((status, &body["result"]["id"]), (200, &json!(1)));
    let (status, body) = post(
        &format!("{base}/rest/im.user.get"),
        "multipart/form-data; boundary=b24part",
        &multipart_body(&[("auth", &token), ("ID", "7")]),
    )
    .await;
    assert_eq!((status, &body["result"]["id"]), (200, &json!(7)));

    for body in [
        r#"{"ID": 5}"#,
        r#"{"ID": 5, "auth": "nope"}"#,
        r#"{"auth": 7}"#,
    ] {
        let reply = post(
            &format!("{base}/rest/im.user.get"),
            "application/json",
            body,
        )
        .await;
        assert_error(&reply, 401, "NO_AUTH_FOUND");
    }
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn bad_credentials_are_401_without_echoing_them() {
    let running = start().await;
    let base = running.base_url();
    for path in [
        "/rest/1/guessedcode/im.user.get",
        "/rest/9/b24emulatorcode/im.user.get",
        "/rest/x/b24emulatorcode/im.user.get",
    ] {
        let reply = post(&format!("{base}{path}"), "application/json", "{}").await;
        assert_error(&reply, 401, "NO_AUTH_FOUND");
        assert!(!reply.1.to_string().contains("guessedcode"));
    }
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn unknown_methods_are_404() {
    let running = start().await;
    let hook = running.webhook_url();
    let reply = post(&format!("{hook}im.user.nope"), "application/json", "{}").await;
    assert_error(&reply, 404, "ERROR_METHOD_NOT_FOUND");
    assert_eq!(reply.1["error_description"], "Method not found");

    let reply = get(&format!("{}/somewhere/else", running.base_url())).await;
    assert_error(&reply, 404, "ERROR_METHOD_NOT_FOUND");
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn broken_requests_are_400_envelopes() {
    let running = start().await;
    let url = format!("{}im.user.get", running.webhook_url());
    for (content_type, body, needle) in [
        ("application/json", r#"{"ID": 5"#, "not valid JSON"),
        ("application/json", "true", "must be an object"),
        ("application/json", "\"ID\"", "must be an object"),
        ("text/plain", "ID=5", "not valid JSON"),
        (
            "multipart/form-data; boundary=zz",
            "--zz\r\nContent-Disp",
            "multipart",
        ),
        ("multipart/form-data", "--zz--", "multipart"),
    ] {
        let reply = post(&url, content_type, body).await;
        assert_error(&reply, 400, "ERROR_BAD_REQUEST");
        let description = reply.1["error_description"].as_str().unwrap();
        assert!(description.contains(needle), "{body}: {description}");
    }
    let reply = post(&format!("{url}.xml"), "application/json", "{}").await;
    assert_error(&reply, 400, "ERROR_BAD_REQUEST");
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn wrong_param_types_use_the_spec_codes() {
    let running = start().await;
    let url = format!("{}im.user.get", running.webhook_url());
    for body in [
        r#"{"ID": "abc"}"#,
        r#"{"ID": 0}"#,
        r#"{"ID": 1.5}"#,
        r#"{"ID": [5]}"#,
    ] {
        let reply = post(&url, "application/json", body).await;
        assert_error(&reply, 400, "ID_EMPTY");
    }
    let reply = post(&url, "application/json", r#"{"AVATAR_HR": "yes"}"#).await;
    assert_error(&reply, 400, "INVALID_ARG_VALUE");
    assert!(
        reply.1["error_description"]
            .as_str()
            .unwrap()
            .contains("AVATAR_HR")
    );
    let reply = post(&url, "application/json", r#"{"ID": 424242}"#).await;
    assert_error(&reply, 400, "USER_NOT_EXISTS");
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn other_http_methods_are_refused() {
    let running = start().await;
    let response = reqwest::Client::new()
        .delete(format!("{}im.user.get", running.webhook_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response
            .headers()
            .get(reqwest::header::ALLOW)
            .and_then(|v| v.to_str().ok()),
        Some("GET, POST")
    );
    let reply = parts(response).await;
    assert_error(&reply, 405, "ERROR_BAD_REQUEST");
    running.shutdown().await.unwrap();
}
