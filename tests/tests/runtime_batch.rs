//! Typed batches against the emulator over loopback HTTP: each command decoded by its own
//! method's types, its error as its method's, `halt`, `$result[…]` references (within a
//! request and across the 50-command boundary), chunking as the emulator counts requests,
//! which failures of a batch request are sent again (never one holding a write after the
//! portal may have run it), and the throughput of batches at the standard plan's limit.
//!
//! On tokio's paused clock, like `runtime_limits.rs` and `runtime_faults.rs`.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use b24_client::department_get::DepartmentGetRequest;
use b24_client::im_user_get::{ImUserGetError, ImUserGetRequest};
use b24_client::im_user_status_set::{ImUserStatusSetRequest, UserStatus};
use b24_client::profile::ProfileRequest;
use b24_client::user_current::UserCurrentRequest;
use b24_client::user_get::UserGetRequest;
use b24_client::{Batch, BatchError, Client, Error, NotRun, Plan};
use b24_emulator::{Emulator, Fault, FaultAnswer};
use tokio::time::Instant;

use support::{start, virtual_time};

fn client(webhook_url: &str, plan: Plan) -> Client {
    virtual_time(Client::builder().webhook(webhook_url))
        .plan(plan)
        .build()
        .unwrap()
}

/// Three methods in one request, the third taking its parameter from the first's answer; each
/// result is its own method's type.
#[tokio::test(start_paused = true)]
async fn commands_of_different_methods_decode_by_their_own_types() {
    let (emulator, running) = start(Emulator::builder()).await;
    let client = client(&running.webhook_url(), Plan::Standard);

    let mut batch = Batch::new();
    let me = batch.add(UserCurrentRequest::new());
    let john = batch.add(ImUserGetRequest::new().id(5));
    let department = batch.add_with(
        DepartmentGetRequest::new(),
        [("ID", me.field("UF_DEPARTMENT").index(0))],
    );
    let results = client.send_batch(batch).await.unwrap();

    let me = results.get(&me).unwrap();
    assert_eq!(me.id, 1);
    let john = results.get(&john).unwrap();
    assert_eq!((john.id, john.name.as_str()), (5, "John Smith"));
    let department = results.get_full(&department).unwrap();
    assert_eq!(department.total, Some(1));
    assert_eq!(
        department.result.iter().map(|d| d.id).collect::<Vec<_>>(),
        [me.uf_department.unwrap()[0]],
        "`ID` came from `$result[0][UF_DEPARTMENT][0]`"
    );
    // One request; each command ran once on the portal.
    assert_eq!(emulator.requests("batch"), 1);
    assert_eq!(emulator.requests("user.current"), 0);
    running.shutdown().await.unwrap();
}

/// A command's error is its method's typed error; the others still run. A handle reads only
/// its own batch's results.
#[tokio::test(start_paused = true)]
async fn each_command_fails_with_its_own_methods_error() {
    let (_, running) = start(Emulator::builder()).await;
    let client = client(&running.webhook_url(), Plan::Standard);

    let mut batch = Batch::new();
    let missing = batch.add(ImUserGetRequest::new().id(999_999));
    let me = batch.add(UserCurrentRequest::new());
    let other = Batch::new().add_raw("x", "profile", true, Default::default());
    let results = client.send_batch(batch).await.unwrap();

    match results.get(&missing).unwrap_err() {
        Error::Api(api) => {
            assert_eq!(api.code, ImUserGetError::UserNotExists);
            assert_eq!(api.description, "User does not exist");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(results.get(&me).unwrap().id, 1);
    assert!(matches!(
        results.raw(&other).unwrap_err(),
        Error::NotRun(NotRun::OtherBatch)
    ));
    running.shutdown().await.unwrap();
}

/// With `halt`, the commands after the first failure are not run: in the request that failed
/// and in the requests after it, which are not sent at all.
#[tokio::test(start_paused = true)]
async fn halt_stops_at_the_first_failure() {
    let (emulator, running) = start(Emulator::builder()).await;
    let client = client(&running.webhook_url(), Plan::Standard);

    for halt in [false, true] {
        let mut batch = Batch::new().halt(halt);
        let first = batch.add(ImUserGetRequest::new().id(5));
        let failing = batch.add(ImUserGetRequest::new().id(999_999));
        let after: Vec<_> = (0..60)
            .map(|_| batch.add(ImUserGetRequest::new().id(1)))
            .collect();
        let before = emulator.requests("batch");
        let results = client.send_batch(batch).await.unwrap();
        assert_eq!(results.get(&first).unwrap().id, 5);
        assert!(matches!(results.get(&failing), Err(Error::Api(_))));
        if halt {
            for handle in &after {
                assert!(
                    matches!(results.get(handle), Err(Error::NotRun(NotRun::Halted))),
                    "{handle:?}"
                );
            }
            assert_eq!(
                emulator.requests("batch") - before,
                1,
                "the second request is not sent"
            );
        } else {
            for handle in &after {
                assert_eq!(results.get(handle).unwrap().id, 1);
            }
            assert_eq!(emulator.requests("batch") - before, 2);
        }
    }
    running.shutdown().await.unwrap();
}

/// 120 commands go as three requests of 50, 50 and 20, as the emulator counts them. A
/// reference to a command of an earlier request is filled in by the client, one within the
/// request by the portal; both give the same answer.
#[tokio::test(start_paused = true)]
async fn a_long_batch_goes_in_requests_of_fifty_and_references_cross_them() {
    let (emulator, running) = start(Emulator::builder()).await;
    let client = client(&running.webhook_url(), Plan::Standard);

    let mut batch = Batch::new();
    let me = batch.add(UserCurrentRequest::new());
    let users: Vec<_> = (1..=117)
        .map(|i| batch.add(ImUserGetRequest::new().id(if i % 2 == 0 { 5 } else { 1 })))
        .collect();
    let reference = me.field("UF_DEPARTMENT").index(0);
    // Command 118, in the third request: the client puts in command 0's value.
    let far = batch.add_with(DepartmentGetRequest::new(), [("ID", reference.clone())]);
    // Command 119 refers to command 118, in its own request: the portal does it.
    let near = batch.add_with(
        UserGetRequest::new(),
        [("FILTER[ID]", users[0].field("id"))],
    );
    assert_eq!(batch.len(), 120);
    let results = client.send_batch(batch).await.unwrap();

    assert_eq!(emulator.requests("batch"), 3);
    for (i, handle) in users.iter().enumerate() {
        let id = if (i + 1) % 2 == 0 { 5 } else { 1 };
        assert_eq!(results.get(handle).unwrap().id, id, "command {}", i + 1);
    }
    let department = results.get(&far).unwrap();
    assert_eq!(department.len(), 1);
    assert_eq!(
        Some(department[0].id),
        results.get(&me).unwrap().uf_department.map(|d| d[0])
    );
    // users[0] is in the first request: resolved by the client too, to user 1.
    let near = results.get(&near).unwrap();
    assert_eq!(near.iter().map(|u| u.id).collect::<Vec<_>>(), [1]);
    running.shutdown().await.unwrap();
}

/// A batch request hit by a 500: sent again while every command only reads; sent exactly once
/// when it holds a write (the portal may have run it). A refusal the portal answers before
/// running anything (`QUERY_LIMIT_EXCEEDED`) is sent again either way.
#[tokio::test(start_paused = true)]
async fn a_batch_holding_a_write_is_never_sent_again_after_it_may_have_run() {
    for (answer, reads, writes) in [
        (FaultAnswer::InternalServerError, 5, 1),
        (FaultAnswer::Html502, 5, 1),
        (FaultAnswer::ConnectionReset, 5, 1),
        (
            FaultAnswer::Error {
                code: "QUERY_LIMIT_EXCEEDED".into(),
            },
            5,
            5,
        ),
    ] {
        for (holds_write, expected) in [(false, reads), (true, writes)] {
            let (emulator, running) =
                start(Emulator::builder().fault(Fault::new("batch", answer.clone()))).await;
            let client = client(&running.webhook_url(), Plan::Standard);
            let mut batch = Batch::new();
            let read = batch.add(ImUserGetRequest::new().id(5));
            if holds_write {
                batch.add(ImUserStatusSetRequest::new(UserStatus::Away));
            }
            match client.send_batch(batch).await {
                Err(BatchError::Failed { results, .. }) => assert!(matches!(
                    results.get(&read),
                    Err(Error::NotRun(NotRun::NotSent))
                )),
                other => panic!("{answer:?}: {other:?}"),
            }
            assert_eq!(
                emulator.requests("batch"),
                expected,
                "{answer:?}, holding a write: {holds_write}"
            );
            running.shutdown().await.unwrap();
        }
    }
}

/// When a later request of a long batch fails, the commands of the earlier ones ran: the
/// error carries their results.
#[tokio::test(start_paused = true)]
async fn a_failed_later_request_keeps_the_results_of_the_earlier_ones() {
    let fault = Fault::new("batch", FaultAnswer::InternalServerError).after(1);
    let (emulator, running) = start(Emulator::builder().fault(fault)).await;
    let client = client(&running.webhook_url(), Plan::Standard);
    let mut batch = Batch::new();
    let handles: Vec<_> = (0..60)
        .map(|_| batch.add(ImUserStatusSetRequest::new(UserStatus::Online)))
        .collect();
    let Err(BatchError::Failed { error, results }) = client.send_batch(batch).await else {
        panic!("the second request fails");
    };
    assert_eq!(error.status(), Some(500));
    assert!(results.get(&handles[49]).unwrap());
    assert!(matches!(
        results.get(&handles[50]),
        Err(Error::NotRun(NotRun::NotSent))
    ));
    assert_eq!(
        emulator.requests("batch"),
        2,
        "the write-holding request once"
    );
    running.shutdown().await.unwrap();
}

/// A batch is held back while one of its commands' methods is over its operating time,
/// instead of having the command refused inside it.
#[tokio::test(start_paused = true)]
async fn a_batch_waits_for_its_commands_operating_time() {
    let (_, running) = start(
        Emulator::builder()
            .plan(Plan::Unlimited)
            .processing_time("im.user.get", Duration::from_secs(20)),
    )
    .await;
    let client = client(&running.webhook_url(), Plan::Unlimited);
    for i in 0..25 {
        if i > 0 && i % 3 == 0 {
            tokio::time::advance(Duration::from_secs(60)).await;
        }
        client.im_user_get().send().await.unwrap();
    }
    let before = Instant::now();
    let mut batch = Batch::new();
    let user = batch.add(ImUserGetRequest::new().id(5));
    let results = client.send_batch(batch).await.unwrap();
    assert_eq!(results.get(&user).unwrap().id, 5, "not refused");
    assert!(
        before.elapsed() >= Duration::from_secs(60),
        "held back {:?}",
        before.elapsed()
    );
    running.shutdown().await.unwrap();
}

/// Ten simulated minutes of 8 tasks sending batches of 50 on the standard plan: about 100
/// calls a second (the plan's 2 requests a second, 50 commands each), every command answered,
/// no `QUERY_LIMIT_EXCEEDED` reaching the caller and none refused on the way (the emulator saw
/// exactly the batches that were sent).
#[tokio::test(start_paused = true)]
async fn ten_simulated_minutes_of_batches_at_the_standard_limit() {
    const TASKS: usize = 8;
    const WINDOW: Duration = Duration::from_secs(600);
    // 1 ms of operating time per call: 60,000 calls in ten minutes stay under the 480 s of
    // operating time a method may use, which is not what this test is about.
    let (emulator, running) = start(
        Emulator::builder()
            .plan(Plan::Standard)
            .default_processing_time(Duration::from_millis(1)),
    )
    .await;
    let client = client(&running.webhook_url(), Plan::Standard);
    let began = Instant::now();
    let batches = Arc::new(AtomicUsize::new(0));
    let tasks: Vec<_> = (0..TASKS)
        .map(|_| {
            let (client, batches) = (client.clone(), batches.clone());
            tokio::spawn(async move {
                let mut done = Vec::new();
                while began.elapsed() < WINDOW {
                    let mut batch = Batch::new();
                    // `profile`: the smallest answer, so the run stays short in real time.
                    let handles: Vec<_> =
                        (0..50).map(|_| batch.add(ProfileRequest::new())).collect();
                    batches.fetch_add(1, Ordering::SeqCst);
                    let results = client.send_batch(batch).await.expect("no batch fails");
                    let ok = handles
                        .iter()
                        .filter(|h| results.get(*h).is_ok_and(|p| p.id == Some(1)))
                        .count();
                    done.push((began.elapsed(), ok));
                }
                done
            })
        })
        .collect();
    let mut finished = Vec::new();
    for task in tasks {
        finished.extend(task.await.unwrap());
    }
    let sent = batches.load(Ordering::SeqCst);
    assert_eq!(
        emulator.requests("batch"),
        sent as u64,
        "none refused, none sent twice"
    );
    assert!(
        finished.iter().all(|(_, ok)| *ok == 50),
        "every command answered"
    );
    let calls = finished
        .iter()
        .filter(|(at, _)| *at <= WINDOW)
        .map(|(_, ok)| ok)
        .sum::<usize>();
    let allowed = 50.0 * (50.0 + 2.0 * WINDOW.as_secs_f64());
    let per_second = calls as f64 / WINDOW.as_secs_f64();
    println!(
        "{calls} calls in {sent} batches within 600 s: {per_second:.1} calls/s, {:.2} % of the \
         plan's {allowed}",
        100.0 * calls as f64 / allowed
    );
    assert!(calls as f64 >= 0.99 * allowed, "{calls} of {allowed}");
    assert!(per_second >= 100.0, "{per_second}");
    running.shutdown().await.unwrap();
}
