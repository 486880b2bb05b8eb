//! Fault rules: validated when the emulator is built, applied to matching calls only.

mod common;

use std::time::Duration;

use b24_client::{Client, Error, ErrorCode, SystemError};
use b24_emulator::{Emulator, EmulatorError, Fault, FaultAnswer};
use tokio::time::advance;

/// A second method, answered from its example, so rules can be seen to leave it alone.
fn other_method() -> b24_spec::Spec {
    b24_spec::load_str(
        "test.ping.yaml",
        "method: test.ping\nscope: test\nsummary: Ping\ndocs: https://example.com/ping\naccess: any user\n\
         result: integer\nexample:\n  response: { result: 7 }\n",
    )
    .unwrap()
}

#[test]
fn rules_must_name_a_served_method_and_a_code_it_can_answer() {
    let e = Emulator::builder()
        .fault(Fault::error("no.such.method", "ID_EMPTY"))
        .build()
        .unwrap_err();
    assert!(matches!(e, EmulatorError::FaultMethod { .. }), "{e}");
    let e = Emulator::builder()
        .fault(Fault::error("im.user.get", "NOT_A_CODE"))
        .build()
        .unwrap_err();
    assert!(matches!(e, EmulatorError::FaultCode { .. }), "{e}");
    assert!(e.to_string().contains("NOT_A_CODE"), "{e}");
    // A method's own code cannot apply everywhere: `test.ping` (and other methods) do not
    // declare it; the error names one of those, never `im.user.get`, which does.
    let e = Emulator::builder()
        .spec(other_method())
        .fault(Fault::error_everywhere("USER_NOT_EXISTS"))
        .build()
        .unwrap_err();
    assert!(
        matches!(&e, EmulatorError::FaultCode { method, code } if method != "im.user.get" && code == "USER_NOT_EXISTS"),
        "{e}"
    );
    assert!(
        Emulator::builder()
            .spec(other_method())
            .fault(Fault::error_everywhere("QUERY_LIMIT_EXCEEDED"))
            .build()
            .is_ok()
    );
}

#[tokio::test]
async fn matching_calls_fail_and_other_calls_work() {
    let running = Emulator::builder()
        .spec(other_method())
        .fault(Fault::error_everywhere("expired_token").for_method("IM.USER.GET.json"))
        .build()
        .unwrap()
        .start("127.0.0.1:0")
        .await
        .unwrap();
    let client = Client::webhook(&running.webhook_url()).unwrap();
    match client.im_user_get().id(5).send().await.unwrap_err() {
        Error::Api(api) => {
            assert_eq!(api.code.code(), "expired_token");
            assert_eq!(api.code.system(), Some(SystemError::ExpiredToken));
            assert_eq!(
                (api.status, api.description.as_str()),
                (401, SystemError::ExpiredToken.description())
            );
        }
        other => panic!("expected an API error, got {other}"),
    }
    let ping = client
        .call_raw("test.ping", Default::default())
        .await
        .unwrap();
    assert_eq!(ping.result, 7);
    running.shutdown().await.unwrap();
}

/// The code of an API error, or a short name of any other failure.
fn outcome<T, C: ErrorCode>(r: Result<T, Error<C>>) -> String {
    match r {
        Ok(_) => "ok".into(),
        Err(Error::Api(api)) => format!("{} {}", api.status, api.code.code()),
        Err(Error::UnexpectedResponse { status, reason, .. }) => {
            format!("unexpected {status}: {reason}")
        }
        Err(Error::Transport(_)) => "transport".into(),
        Err(other) => format!("other: {other}"),
    }
}

#[tokio::test]
async fn after_n_calls_and_seeded_probability() {
    let running = common::start(
        Emulator::builder().fault(Fault::error("im.user.get", "ACCESS_DENIED").after(2)),
    )
    .await;
    let client = common::webhook_client(&running);
    let mut seen = Vec::new();
    for _ in 0..4 {
        seen.push(outcome(client.im_user_get().send().await));
    }
    assert_eq!(seen, ["ok", "ok", "403 ACCESS_DENIED", "403 ACCESS_DENIED"]);
    running.shutdown().await.unwrap();

    // The same seed fails the same calls on every run.
    let run = || async {
        let running = common::start(
            Emulator::builder().fault("*:500:p=0.5:seed=7".parse::<Fault>().unwrap()),
        )
        .await;
        let client = common::webhook_client(&running);
        let mut seen = Vec::new();
        for _ in 0..20 {
            seen.push(outcome(client.im_user_get().send().await));
        }
        running.shutdown().await.unwrap();
        seen
    };
    let first = run().await;
    assert_eq!(first, run().await);
    let failed = first
        .iter()
        .filter(|o| *o == "500 INTERNAL_SERVER_ERROR")
        .count();
    assert!((4..=16).contains(&failed), "{first:?}");
    assert_eq!(failed + first.iter().filter(|o| *o == "ok").count(), 20);
}

#[tokio::test]
async fn broken_responses() {
    let running = common::start(
        Emulator::builder()
            .fault(Fault::error("im.user.get", "ACCESS_DENIED").after(3))
            .fault(Fault::new("im.user.get", FaultAnswer::ConnectionReset).after(2))
            .fault(Fault::new("im.user.get", FaultAnswer::TruncatedJson).after(1))
            .fault(Fault::everywhere(FaultAnswer::Html502)),
    )
    .await;
    let client = common::webhook_client(&running);
    // Call 1: only the last rule fires; 2: truncated; 3: reset; 4: the error.
    let html = client.im_user_get().send().await;
    match html {
        Err(Error::UnexpectedResponse {
            status, snippet, ..
        }) => {
            assert_eq!(status, 502);
            assert!(snippet.contains("502 Bad Gateway"), "{snippet}");
        }
        other => panic!("{}", outcome(other)),
    }
    assert_eq!(
        outcome(client.im_user_get().send().await),
        "unexpected 200: the JSON body is truncated"
    );
    assert_eq!(outcome(client.im_user_get().send().await), "transport");
    assert_eq!(
        outcome(client.im_user_get().send().await),
        "403 ACCESS_DENIED"
    );
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_reset_closes_the_connection_without_an_answer() {
    let running = common::start(
        Emulator::builder().fault(Fault::new("im.user.get", FaultAnswer::ConnectionReset)),
    )
    .await;
    let error = reqwest::get(format!("{}im.user.get", running.webhook_url()))
        .await
        .unwrap_err();
    assert!(
        error.is_request() || error.is_connect() || error.is_body(),
        "{error:?}"
    );
    running.shutdown().await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn slow_answers_wait_on_the_virtual_clock() {
    let running =
        common::start(Emulator::builder().fault("im.user.get:slow=30s".parse::<Fault>().unwrap()))
            .await;
    let client = common::webhook_client(&running);
    let before = tokio::time::Instant::now();
    let full = client.im_user_get().send_full().await.unwrap();
    assert_eq!(before.elapsed(), Duration::from_secs(30));
    let time = full.time.unwrap();
    assert!((time.duration.unwrap() - 30.01).abs() < 1e-6, "{time:?}");
    running.shutdown().await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn an_expire_token_fault_expires_the_callers_token() {
    let running = common::start(
        Emulator::builder().fault(Fault::new("im.user.get", FaultAnswer::ExpireToken).after(1)),
    )
    .await;
    let client = common::oauth_client(&running);
    assert_eq!(outcome(client.im_user_get().send().await), "ok");
    assert_eq!(
        outcome(client.im_user_get().send().await),
        "401 expired_token"
    );
    // The token stays expired: even a method without the rule refuses it now.
    advance(Duration::from_secs(1)).await;
    assert_eq!(
        outcome(client.call_raw("batch", Default::default()).await),
        "401 expired_token"
    );
    running.shutdown().await.unwrap();
}

/// A method whose errors include two sent with an empty code, told apart by their description.
fn described_errors() -> b24_spec::Spec {
    b24_spec::load_str(
        "test.thing.get.yaml",
        r#"
method: test.thing.get
scope: test
summary: Read a user as a thing
docs: https://example.com/thing
access: any user
params:
  ID: { type: id, required: true, invalid: BadId, doc: Id }
result: json
errors:
  ACCESS_DENIED: { status: 403, doc: No access }
  "":
    "Not found": { rust_name: NotFound, status: 404, doc: No record has this id }
    "Id is not valid.": { rust_name: BadId, status: 400, doc: The id is no number }
emulator:
  collection: users
  lookup: { param: ID, field: id }
  not_found: NotFound
"#,
    )
    .unwrap()
}

#[tokio::test]
async fn errors_with_an_empty_code_answer_with_their_description() {
    let running = Emulator::builder()
        .spec(described_errors())
        .fault(Fault::error("test.thing.get", "NotFound").after(2))
        .build()
        .unwrap()
        .start("127.0.0.1:0")
        .await
        .unwrap();
    let hook = running.webhook_url();
    // `not_found:` and `invalid:` name them by `rust_name`; the answer has an empty code and
    // the description exactly as the spec keys it, with the entry's status.
    let (status, body) = common::get(&format!("{hook}test.thing.get?ID=999")).await;
    assert_eq!(
        (status, body),
        (
            404,
            serde_json::json!({"error": "", "error_description": "Not found"})
        )
    );
    let (status, body) = common::get(&format!("{hook}test.thing.get?ID=x")).await;
    assert_eq!(
        (status, body),
        (
            400,
            serde_json::json!({"error": "", "error_description": "Id is not valid."})
        )
    );
    // A fault names one the same way. The client without the method's spec keeps the text.
    let client = Client::webhook(&hook).unwrap();
    let e = client
        .call_raw(
            "test.thing.get",
            serde_json::Map::from_iter([("ID".to_owned(), 1.into())]),
        )
        .await
        .unwrap_err();
    let api = e.api().unwrap();
    assert_eq!(
        (api.code.code(), api.description.as_str(), api.status),
        ("", "Not found", 404)
    );
    running.shutdown().await.unwrap();
}
