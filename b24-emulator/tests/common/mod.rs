//! Helpers shared by the integration tests.
#![allow(dead_code)]

use b24_client::{Client, ClientBuilder, Plan, RetryPolicy};
use b24_emulator::{EmulatorBuilder, RunningEmulator};
use serde_json::Value;

/// An HTTP client for tests on a paused tokio clock: no timeout timer (which the paused clock
/// would skip to) and no pooled connections (each request gets a fresh one).
pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap()
}

/// Builds and starts an emulator on a free loopback port.
pub async fn start(builder: EmulatorBuilder) -> RunningEmulator {
    builder.build().unwrap().start("127.0.0.1:0").await.unwrap()
}

/// A client that shows the emulator's answers as they are: no rate limiter, no operating-time
/// hold, no retries, and no request timeout (a timer the paused clock would skip to while a
/// request is on its way). These tests test the emulator; the runtime has tests of its own
/// (`tests/tests/runtime_*.rs`).
pub fn bare(builder: ClientBuilder) -> Client {
    builder
        .http_client(http())
        .plan(Plan::Unlimited)
        .operating_limit(None)
        .retry(RetryPolicy::never())
        .request_timeout(None)
        .build()
        .unwrap()
}

/// The typed client on the emulator's webhook, without the runtime (see [`bare`]).
pub fn webhook_client(running: &RunningEmulator) -> Client {
    bare(Client::builder().webhook(&running.webhook_url()))
}

/// The typed client with the emulator's first access token, without the runtime.
pub fn oauth_client(running: &RunningEmulator) -> Client {
    bare(Client::builder().oauth(&running.base_url(), running.access_token()))
}

/// Status and JSON body of a response.
pub async fn parts(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    (status, body)
}

/// POSTs a JSON body.
pub async fn post_json(url: &str, body: &Value) -> (u16, Value) {
    parts(http().post(url).json(body).send().await.unwrap()).await
}

/// GETs a URL.
pub async fn get(url: &str) -> (u16, Value) {
    parts(http().get(url).send().await.unwrap()).await
}

/// Sends `request` byte for byte over a new connection (add `Connection: close`, and
/// `Content-Length` when there is a body) and returns the status and JSON body of the answer.
pub async fn raw(addr: std::net::SocketAddr, request: &str) -> (u16, Value) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let answer = String::from_utf8(answer).unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap();
    assert!(
        !head.to_ascii_lowercase().contains("transfer-encoding"),
        "a chunked answer: {head}"
    );
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let body = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {answer}"));
    (status, body)
}

/// An HTTP/1.1 request as text: the request line, `Host`, the given headers, and the body with
/// its `Content-Length`.
pub fn http_request(method: &str, target: &str, headers: &[(&str, &str)], body: &str) -> String {
    let mut text = format!("{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for (name, value) in headers {
        text += &format!("{name}: {value}\r\n");
    }
    if !body.is_empty() || method == "POST" {
        text += &format!("Content-Length: {}\r\n", body.len());
    }
    text + "Connection: close\r\n\r\n" + body
}
