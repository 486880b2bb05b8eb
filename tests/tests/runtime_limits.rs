//! The runtime at the portal's limits, against the emulator over loopback HTTP on a paused
//! clock: the rate limit (calls wait for a slot instead of being refused) and operating time
//! (a method is held back instead of refused, and a refusal waits for `operating_reset_at`).
//!
//! On a paused runtime tokio moves the clock to the next timer whenever every task is idle,
//! also while an answer is on its way over loopback; so an answer may arrive "at" the next
//! limiter slot rather than when it was sent. That only delays completions (the figures below
//! allow for it); it never makes a request early.

mod support;

use std::time::{Duration, UNIX_EPOCH};

use b24_client::{Client, Error, Plan};
use b24_emulator::Emulator;
use tokio::time::{Instant, advance};

use support::{start, virtual_time};

/// Ten simulated minutes at the standard plan's limit: 8 tasks share 2,000 calls, each task
/// on its own clone of one client. None is refused (the emulator saw exactly 2,000 requests),
/// and the calls done within the first ten minutes are at least 99 % of what the plan allows
/// in that time (50 at once, then 2 a second: 1,250).
#[tokio::test(start_paused = true)]
async fn ten_simulated_minutes_of_eight_tasks_at_the_standard_limit() {
    const CALLS: usize = 2_000;
    const TASKS: usize = 8;
    let (emulator, running) = start(Emulator::builder().plan(Plan::Standard)).await;
    let client = virtual_time(Client::builder().webhook(&running.webhook_url()))
        .plan(Plan::Standard)
        .build()
        .unwrap();
    let began = Instant::now();
    let next = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let tasks: Vec<_> = (0..TASKS)
        .map(|_| {
            let (client, next) = (client.clone(), next.clone());
            tokio::spawn(async move {
                let mut done = Vec::new();
                while next.fetch_add(1, std::sync::atomic::Ordering::SeqCst) < CALLS {
                    let result = client.im_user_get().id(5).send().await;
                    done.push((began.elapsed(), result.map(|u| u.id)));
                }
                done
            })
        })
        .collect();
    let mut finished = Vec::new();
    for task in tasks {
        finished.extend(task.await.unwrap());
    }
    assert_eq!(finished.len(), CALLS);
    for (at, result) in &finished {
        assert_eq!(result.as_ref().ok(), Some(&5), "at {at:?}: {result:?}");
    }
    assert_eq!(
        emulator.requests("im.user.get"),
        CALLS as u64,
        "every call sent once: no QUERY_LIMIT_EXCEEDED, no retry"
    );

    let window = Duration::from_secs(600);
    let allowed = 50.0 + 2.0 * window.as_secs_f64();
    let in_window = finished.iter().filter(|(at, _)| *at <= window).count();
    let last = finished.iter().map(|(at, _)| *at).max().unwrap();
    // The fastest the plan allows for all of them: 50 at once, then 2 a second.
    let best = Duration::from_secs_f64((CALLS as f64 - 50.0) / 2.0);
    println!(
        "{in_window} calls in the first 600 s ({:.2} % of the plan's {allowed}); all {CALLS} in \
         {:.1} s ({:.2} % of the plan's throughput)",
        100.0 * in_window as f64 / allowed,
        last.as_secs_f64(),
        100.0 * best.as_secs_f64() / last.as_secs_f64()
    );
    assert!(
        in_window as f64 >= 0.99 * allowed,
        "{in_window} of {allowed}"
    );
    assert!(last.as_secs_f64() <= best.as_secs_f64() / 0.99, "{last:?}");
    running.shutdown().await.unwrap();
}

/// A method the portal would refuse for operating time is held back until its oldest basket
/// resets, instead of being sent and refused with 429.
#[tokio::test(start_paused = true)]
async fn a_method_over_its_operating_time_is_held_back_instead_of_refused() {
    const EPOCH: u64 = 1_800_000_000;
    // 20 s per call, as in the docs' example: 25 calls reach 500 s, over the 480 s limit.
    let (emulator, running) = start(
        Emulator::builder()
            .start_time(UNIX_EPOCH + Duration::from_secs(EPOCH))
            .plan(Plan::Unlimited)
            .processing_time("im.user.get", Duration::from_secs(20)),
    )
    .await;
    let client = virtual_time(Client::builder().webhook(&running.webhook_url()))
        .plan(Plan::Unlimited)
        .build()
        .unwrap();
    let mut last = None;
    for i in 0..25 {
        // Three calls a minute, so the baskets spread over the window.
        if i > 0 && i % 3 == 0 {
            advance(Duration::from_secs(60)).await;
        }
        last = Some(client.im_user_get().send_full().await.unwrap());
    }
    let time = last.unwrap().time.unwrap();
    assert_eq!(time.operating, Some(500.0));
    let reset_in = time.operating_reset_at.unwrap() - time.start.unwrap();

    // The next call waits for the reset (and the second of rounding), then goes through.
    let before = Instant::now();
    let freed = client.im_user_get().send_full().await.unwrap();
    let waited = before.elapsed().as_secs_f64();
    assert!(
        (reset_in..=reset_in + 1.5).contains(&waited),
        "waited {waited} s for a reset {reset_in} s away"
    );
    assert_eq!(freed.time.unwrap().operating, Some(460.0));
    assert_eq!(emulator.requests("im.user.get"), 26, "no call was refused");
    // Other methods were never held.
    let before = Instant::now();
    client
        .call_raw("profile", Default::default())
        .await
        .unwrap();
    assert_eq!(before.elapsed(), Duration::ZERO);
    running.shutdown().await.unwrap();
}

/// Without the hold (no limit configured), the portal refuses with 429; the call then waits
/// for the `operating_reset_at` of the last answer and is sent again, for a write too (the
/// portal did not run it).
#[tokio::test(start_paused = true)]
async fn a_429_waits_for_the_reset_and_is_sent_again() {
    let (emulator, running) = start(
        Emulator::builder()
            .plan(Plan::Unlimited)
            .operating_limit(Duration::from_secs(30))
            .processing_time("im.user.status.set", Duration::from_secs(20)),
    )
    .await;
    let client = virtual_time(Client::builder().webhook(&running.webhook_url()))
        .plan(Plan::Unlimited)
        .operating_limit(None)
        .build()
        .unwrap();
    use b24_client::im_user_status_set::UserStatus;
    for _ in 0..2 {
        client
            .im_user_status_set(UserStatus::DoNotDisturb)
            .send()
            .await
            .unwrap();
    }
    // 40 s used, over 30: the third call is refused once, waits ten minutes, and succeeds.
    let before = Instant::now();
    client
        .im_user_status_set(UserStatus::Away)
        .send()
        .await
        .unwrap();
    let waited = before.elapsed();
    assert!(
        waited >= Duration::from_secs(600) && waited <= Duration::from_secs(602),
        "{waited:?}"
    );
    assert_eq!(emulator.requests("im.user.status.set"), 4);
    running.shutdown().await.unwrap();
}

/// A call whose wait for the rate limit would pass its deadline is not sent.
#[tokio::test(start_paused = true)]
async fn a_wait_past_the_deadline_is_not_started() {
    let (emulator, running) = start(Emulator::builder().plan(Plan::Unlimited)).await;
    let client = virtual_time(Client::builder().webhook(&running.webhook_url()))
        .plan(Plan::Custom {
            per_second: 1,
            burst: 1,
        })
        .retry(b24_client::RetryPolicy::default().deadline(Duration::from_millis(500)))
        .build()
        .unwrap();
    client.im_user_get().send().await.unwrap();
    match client.im_user_get().send().await.unwrap_err() {
        Error::Deadline { waiting_for, wait } => {
            assert!(waiting_for.contains("rate limit"), "{waiting_for}");
            assert_eq!(wait, Duration::from_secs(1));
        }
        other => panic!("{other}"),
    }
    assert_eq!(emulator.requests("im.user.get"), 1);
    running.shutdown().await.unwrap();
}

/// 120 concurrent calls in real time on the standard plan: all succeed, none is refused, and
/// the wall time is close to the best the plan allows (50 at once, then 2 a second: 35 s).
/// Real time, so not in the default run: `cargo test -p b24-tests --test runtime_limits --
/// --ignored --nocapture`; the figure is in docs/BENCHMARKS.md.
#[test]
#[ignore = "takes 35 s of real time; run it for docs/BENCHMARKS.md"]
fn a_burst_of_120_calls_in_real_time() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let (emulator, running) = start(Emulator::builder().plan(Plan::Standard)).await;
        let client = Client::webhook(&running.webhook_url()).unwrap();
        let began = std::time::Instant::now();
        let calls: Vec<_> = (0..120)
            .map(|_| {
                let client = client.clone();
                tokio::spawn(async move { client.im_user_get().id(5).send().await })
            })
            .collect();
        let mut ok = 0;
        for call in calls {
            if call.await.unwrap().is_ok() {
                ok += 1;
            }
        }
        let wall = began.elapsed().as_secs_f64();
        let refused = emulator.requests("im.user.get") - 120;
        println!(
            "120 calls: {ok} succeeded in {wall:.2} s = {:.4} x the theoretical 35 s; \
             {refused} refused by the portal",
            wall / 35.0
        );
        assert_eq!(ok, 120);
        running.shutdown().await.unwrap();
    });
}
