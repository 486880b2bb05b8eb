//! Time and limits over real HTTP on a paused tokio clock: the `time` block, the leaky bucket,
//! operating time, all driven with `tokio::time::advance` instead of waiting.

mod common;

use std::time::{Duration, UNIX_EPOCH};

use b24_client::{Error, ErrorCode, SystemError};
use b24_emulator::{Emulator, Plan};
use common::{start, webhook_client};
use tokio::time::advance;

const EPOCH: u64 = 1_800_000_000;

/// A second method, answered from its example.
fn ping() -> b24_spec::Spec {
    b24_spec::load_str(
        "test.ping.yaml",
        "method: test.ping\nscope: test\nsummary: Ping\ndocs: https://example.com/ping\n\
         access: any user\nresult: integer\nexample:\n  response: { result: 7 }\n",
    )
    .unwrap()
}

fn system_error<C: ErrorCode + std::fmt::Debug, T: std::fmt::Debug>(
    r: Result<T, Error<C>>,
) -> (u16, Option<SystemError>) {
    match r {
        Err(Error::Api(api)) => (api.status, api.code.system()),
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn the_time_block_follows_the_virtual_clock() {
    let running = start(
        Emulator::builder()
            .start_time(UNIX_EPOCH + Duration::from_secs(EPOCH))
            .processing_time("im.user.get", Duration::from_millis(250)),
    )
    .await;
    let client = webhook_client(&running);
    let first = client.im_user_get().id(5).send_full().await.unwrap();
    let time = first.time.unwrap();
    assert_eq!(time.start, Some(EPOCH as f64));
    assert_eq!(time.processing, Some(0.25));
    assert_eq!(time.finish, Some(EPOCH as f64 + 0.25));
    assert_eq!(time.duration, Some(0.25));
    assert_eq!(
        time.date_start.as_deref(),
        Some("2027-01-15T08:00:00+00:00")
    );
    assert_eq!(time.operating, Some(0.25));
    assert_eq!(time.operating_reset_at, Some((EPOCH + 600) as f64));

    // Ten virtual minutes later the first basket is gone: operating time starts over.
    advance(Duration::from_secs(600)).await;
    let later = client.im_user_get().id(5).send_full().await.unwrap();
    let time = later.time.unwrap();
    assert_eq!(time.start, Some((EPOCH + 600) as f64));
    assert_eq!(time.operating, Some(0.25));
    assert_eq!(time.operating_reset_at, Some((EPOCH + 1200) as f64));
    running.shutdown().await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn the_standard_bucket_holds_50_and_drains_2_a_second() {
    let running = start(Emulator::builder()).await;
    let client = webhook_client(&running);
    for i in 0..50 {
        client
            .im_user_get()
            .send()
            .await
            .unwrap_or_else(|e| panic!("call {i}: {e}"));
    }
    let refused = client.im_user_get().send().await;
    assert_eq!(
        system_error(refused),
        (503, Some(SystemError::QueryLimitExceeded))
    );

    advance(Duration::from_secs(1)).await;
    client.im_user_get().send().await.unwrap();
    client.im_user_get().send().await.unwrap();
    assert_eq!(
        system_error(client.im_user_get().send().await).0,
        503,
        "only two requests drain in a second"
    );
    running.shutdown().await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn refusals_are_raw_503_envelopes_and_other_plans_differ() {
    let running = start(Emulator::builder().plan(Plan::Custom {
        per_second: 1,
        burst: 2,
    }))
    .await;
    let url = format!("{}im.user.get", running.webhook_url());
    for _ in 0..2 {
        assert_eq!(common::get(&url).await.0, 200);
    }
    let (status, body) = common::get(&url).await;
    assert_eq!(status, 503);
    assert_eq!(body["error"], "QUERY_LIMIT_EXCEEDED");
    assert_eq!(body["error_description"], "Too many requests");
    running.shutdown().await.unwrap();

    let running = start(Emulator::builder().plan(Plan::Enterprise)).await;
    let client = webhook_client(&running);
    for _ in 0..250 {
        client.im_user_get().send().await.unwrap();
    }
    assert_eq!(system_error(client.im_user_get().send().await).0, 503);
    advance(Duration::from_millis(200)).await;
    client.im_user_get().send().await.unwrap();
    running.shutdown().await.unwrap();

    let running = start(Emulator::builder().plan(Plan::Unlimited)).await;
    let client = webhook_client(&running);
    for _ in 0..300 {
        client.im_user_get().send().await.unwrap();
    }
    running.shutdown().await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn operating_time_blocks_a_method_until_its_oldest_basket_resets() {
    // 20 s per call, as in the example of the limits page: 25 calls reach 500 s > 480 s.
    let running = start(
        Emulator::builder()
            .start_time(UNIX_EPOCH + Duration::from_secs(EPOCH))
            .spec(ping())
            .plan(Plan::Unlimited)
            .processing_time("im.user.get", Duration::from_secs(20)),
    )
    .await;
    let client = webhook_client(&running);
    let mut last = None;
    for i in 0..25 {
        // Three calls a minute (60 s per basket), so the baskets spread over the window.
        if i > 0 && i % 3 == 0 {
            advance(Duration::from_secs(60)).await;
        }
        last = Some(client.im_user_get().send_full().await.unwrap());
    }
    let time = last.unwrap().time.unwrap();
    assert_eq!(time.operating, Some(500.0));
    let reset_at = time.operating_reset_at.unwrap();

    let blocked = client.im_user_get().send().await;
    assert_eq!(
        system_error(blocked),
        (429, Some(SystemError::OperationTimeLimit))
    );
    // Other methods are not blocked.
    client
        .call_raw("test.ping", Default::default())
        .await
        .unwrap();

    // Right before the oldest basket (60 s) leaves, still blocked; then 440 s, and free.
    let now = time.start.unwrap();
    advance(Duration::from_secs_f64(reset_at - now - 1.0)).await;
    assert_eq!(system_error(client.im_user_get().send().await).0, 429);
    advance(Duration::from_secs(1)).await;
    let freed = client.im_user_get().send_full().await.unwrap();
    assert_eq!(freed.time.unwrap().operating, Some(460.0));
    running.shutdown().await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn oauth_tokens_expire_on_the_virtual_clock() {
    let running = start(Emulator::builder().access_token_lifetime(Duration::from_secs(60))).await;
    let client = common::oauth_client(&running);
    client.im_user_get().send().await.unwrap();
    advance(Duration::from_secs(60)).await;
    assert_eq!(
        system_error(client.im_user_get().send().await),
        (401, Some(SystemError::ExpiredToken))
    );
    running.shutdown().await.unwrap();
}
