//! Every fault rule of the emulator against a read-only method (`im.user.get`) and a write
//! (`im.user.status.set`), with the number of requests the emulator saw: what the portal did
//! not run is sent again for both; what it may have run is sent again only for the read. The
//! table in docs/runtime.md lists these tests.
//!
//! On tokio's paused clock: the backoff (200 ms, doubling) and the waits for operating time
//! pass without waiting. The client has no timers but the ones it means to wait on, except in
//! `fault_slow`, where the request timeout is the point (see `support::http`).

mod support;

use std::time::Duration;

use b24_client::im_user_status_set::UserStatus;
use b24_client::{Client, Error, ErrorCode, RetryPolicy};
use b24_emulator::{Emulator, Fault};

use support::{start, virtual_time};

/// How a call ended, in short: `ok`, `CODE (HTTP n)`, `unexpected HTTP n`, `transport`.
fn outcome<T, C: ErrorCode>(r: Result<T, Error<C>>) -> String {
    match r {
        Ok(_) => "ok".into(),
        Err(Error::Api(api)) => format!("{} (HTTP {})", api.code.code(), api.status),
        Err(Error::UnexpectedResponse { status, .. }) => format!("unexpected HTTP {status}"),
        Err(Error::Transport(e)) if e.is_timeout() => "timeout".into(),
        Err(Error::Transport(_)) => "transport".into(),
        Err(other) => format!("other: {other}"),
    }
}

/// One call of the read and one of the write against an emulator with `rule` on both
/// methods: for each, the requests the emulator saw and how the call ended.
async fn read_and_write(rule: &str, timeout: Option<Duration>) -> [(u64, String); 2] {
    let mut seen = Vec::new();
    for method in ["im.user.get", "im.user.status.set"] {
        let fault: Fault = format!("{method}:{rule}").parse().unwrap();
        let (emulator, running) = start(Emulator::builder().fault(fault)).await;
        let client = virtual_time(Client::builder().webhook(&running.webhook_url()))
            .request_timeout(timeout)
            .build()
            .unwrap();
        let result = if method == "im.user.get" {
            outcome(client.im_user_get().id(5).send().await)
        } else {
            outcome(
                client
                    .im_user_status_set(UserStatus::DoNotDisturb)
                    .send()
                    .await,
            )
        };
        seen.push((emulator.requests(method), result));
        running.shutdown().await.unwrap();
    }
    [seen[0].clone(), seen[1].clone()]
}

/// The default policy's five attempts.
const ATTEMPTS: u64 = 5;

macro_rules! fault_case {
    ($name:ident, $rule:expr, read: ($read:expr, $read_outcome:expr), write: ($write:expr, $write_outcome:expr)) => {
        fault_case!($name, $rule, None, read: ($read, $read_outcome), write: ($write, $write_outcome));
    };
    ($name:ident, $rule:expr, $timeout:expr, read: ($read:expr, $read_outcome:expr), write: ($write:expr, $write_outcome:expr)) => {
        #[tokio::test(start_paused = true)]
        async fn $name() {
            let [read, write] = read_and_write($rule, $timeout).await;
            assert_eq!(read, ($read, $read_outcome.to_owned()), "read-only method, {}", $rule);
            assert_eq!(write, ($write, $write_outcome.to_owned()), "write, {}", $rule);
        }
    };
}

// What the portal did not run: sent again for reads and writes alike.
fault_case!(fault_query_limit_exceeded, "error=QUERY_LIMIT_EXCEEDED",
    read: (ATTEMPTS, "QUERY_LIMIT_EXCEEDED (HTTP 503)"),
    write: (ATTEMPTS, "QUERY_LIMIT_EXCEEDED (HTTP 503)"));
fault_case!(fault_operation_time_limit, "error=OPERATION_TIME_LIMIT",
    read: (ATTEMPTS, "OPERATION_TIME_LIMIT (HTTP 429)"),
    write: (ATTEMPTS, "OPERATION_TIME_LIMIT (HTTP 429)"));

// What the portal may have run: sent again for the read only.
fault_case!(fault_internal_server_error_code, "error=INTERNAL_SERVER_ERROR",
    read: (ATTEMPTS, "INTERNAL_SERVER_ERROR (HTTP 500)"),
    write: (1, "INTERNAL_SERVER_ERROR (HTTP 500)"));
fault_case!(fault_500, "500",
    read: (ATTEMPTS, "INTERNAL_SERVER_ERROR (HTTP 500)"),
    write: (1, "INTERNAL_SERVER_ERROR (HTTP 500)"));
fault_case!(fault_html502, "html502",
    read: (ATTEMPTS, "unexpected HTTP 502"),
    write: (1, "unexpected HTTP 502"));
fault_case!(fault_truncated, "truncated",
    read: (ATTEMPTS, "unexpected HTTP 200"),
    write: (1, "unexpected HTTP 200"));
fault_case!(fault_reset, "reset",
    read: (ATTEMPTS, "transport"),
    write: (1, "transport"));
// A request timeout of 75 s (the default) against answers 120 s slow.
fault_case!(fault_slow, "slow=120s", Some(b24_client::DEFAULT_REQUEST_TIMEOUT),
    read: (ATTEMPTS, "timeout"),
    write: (1, "timeout"));

// What waiting does not change: never sent again.
fault_case!(fault_access_denied, "error=ACCESS_DENIED",
    read: (1, "ACCESS_DENIED (HTTP 403)"),
    write: (1, "ACCESS_DENIED (HTTP 403)"));
fault_case!(fault_overload_limit, "error=OVERLOAD_LIMIT",
    read: (1, "OVERLOAD_LIMIT (HTTP 503)"),
    write: (1, "OVERLOAD_LIMIT (HTTP 503)"));
// A webhook has no token to refresh (OAuth: tests/runtime_oauth.rs).
fault_case!(fault_expire_token_on_a_webhook, "expire-token",
    read: (1, "expired_token (HTTP 401)"),
    write: (1, "expired_token (HTTP 401)"));

// A slow answer within the timeout is simply waited for.
fault_case!(fault_slow_within_the_timeout, "slow=30s", Some(b24_client::DEFAULT_REQUEST_TIMEOUT),
    read: (1, "ok"),
    write: (1, "ok"));

/// Faults that come and go (a seeded half of the calls): every read succeeds in the end, each
/// write is sent exactly once, and those hit come back as the error.
#[tokio::test(start_paused = true)]
async fn intermittent_500s_are_absorbed_for_reads_and_never_repeated_for_writes() {
    let (emulator, running) =
        start(Emulator::builder().fault("*:500:p=0.5:seed=3".parse().unwrap())).await;
    let client = virtual_time(Client::builder().webhook(&running.webhook_url()))
        .build()
        .unwrap();
    for _ in 0..20 {
        assert_eq!(client.im_user_get().id(5).send().await.unwrap().id, 5);
    }
    let reads = emulator.requests("im.user.get");
    assert!(reads > 20, "some reads were sent again: {reads}");
    let mut failed = 0;
    for _ in 0..20 {
        if client
            .im_user_status_set(UserStatus::Online)
            .send()
            .await
            .is_err()
        {
            failed += 1;
        }
    }
    assert_eq!(emulator.requests("im.user.status.set"), 20);
    assert!(failed > 0, "the seed fails some writes");
    running.shutdown().await.unwrap();
}

/// The policy per call (`with_retry`), and `call_raw`, which has no spec to say it only
/// reads: a write unless the caller says otherwise.
#[tokio::test(start_paused = true)]
async fn per_call_policies_and_raw_calls() {
    let (emulator, running) = start(Emulator::builder().fault("*:500".parse().unwrap())).await;
    let client = virtual_time(Client::builder().webhook(&running.webhook_url()))
        .build()
        .unwrap();
    let once = client.with_retry(RetryPolicy::never());
    assert!(once.im_user_get().send().await.is_err());
    assert_eq!(emulator.requests("im.user.get"), 1);
    let three = client.with_retry(RetryPolicy::default().max_attempts(3));
    assert!(three.im_user_get().send().await.is_err());
    assert_eq!(emulator.requests("im.user.get"), 1 + 3);

    assert!(
        client
            .call_raw("profile", Default::default())
            .await
            .is_err()
    );
    assert_eq!(emulator.requests("profile"), 1, "a raw call is a write");
    assert!(
        client
            .call_raw_read_only("profile", Default::default())
            .await
            .is_err()
    );
    assert_eq!(emulator.requests("profile"), 1 + ATTEMPTS);
    running.shutdown().await.unwrap();
}

/// A refused connection carried nothing, so it is retried for a write too.
#[tokio::test(start_paused = true)]
async fn a_refused_connection_is_retried_for_writes_too() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = virtual_time(
        Client::builder().webhook(&format!("http://127.0.0.1:{port}/rest/1/topsecret/")),
    )
    .build()
    .unwrap();
    let before = tokio::time::Instant::now();
    let e = client
        .im_user_status_set(UserStatus::Online)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(&e, Error::Transport(t) if t.is_connect()), "{e:?}");
    // Four waits: 200 + 400 + 800 + 1600 ms.
    assert_eq!(before.elapsed(), Duration::from_millis(3000));
}
