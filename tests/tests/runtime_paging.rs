//! List streams against the emulator over loopback HTTP: pages fetched as the stream is read
//! (and no more once it is dropped), errors mid-stream, paging by id (`start=-1`, `>ID`), a
//! wrapped list (`{"tasks": […]}`), and what each way of paging guarantees while records are
//! inserted and deleted under it (docs/runtime.md, "Lists").
//!
//! `user.get` over a fixture of 230 users, ids 1 to 230.

mod support;

use std::collections::HashSet;
use std::time::Duration;

use b24_client::user_get::{PortalUser, UserGetRequest};
use b24_client::{Client, Error, ErrorCode, Plan};
use b24_emulator::{Emulator, Fault, Fixture, Record};
use futures_util::{StreamExt, TryStreamExt};
use serde_json::Value;

use support::{start, virtual_time};

b24_client::generate!(specs = "tests/specs/wrapped");

const USERS: u64 = 230;

/// A `portal_users` record for user `id`, shaped like the built-in ones.
fn user(id: u64) -> Record {
    let Value::Object(record) = serde_json::json!({
        "ID": id.to_string(),
        "ACTIVE": true,
        "NAME": format!("User {id}"),
        "LAST_NAME": "Test",
        "USER_TYPE": "employee",
        "UF_DEPARTMENT": [1],
    }) else {
        unreachable!()
    };
    record
}

async fn serve(
    builder: b24_emulator::EmulatorBuilder,
) -> (Emulator, b24_emulator::RunningEmulator, Client) {
    let fixture =
        Fixture::builtin().with_collection("portal_users", (1..=USERS).map(user).collect());
    let (emulator, running) = start(builder.plan(Plan::Unlimited).fixture(fixture)).await;
    let client = virtual_time(Client::builder().webhook(&running.webhook_url()))
        .plan(Plan::Unlimited)
        .build()
        .unwrap();
    (emulator, running, client)
}

fn ids(users: &[PortalUser]) -> Vec<u64> {
    users.iter().map(|u| u.id).collect()
}

/// Adds users `ids` to the emulator's data.
fn insert(emulator: &Emulator, ids: impl IntoIterator<Item = u64>) {
    emulator.edit_fixture(|f| {
        let users = f.collection_mut("portal_users").unwrap();
        users.extend(ids.into_iter().map(user));
    });
}

/// Deletes users `ids` from the emulator's data.
fn delete(emulator: &Emulator, ids: &[u64]) {
    emulator.edit_fixture(|f| {
        let users = f.collection_mut("portal_users").unwrap();
        users.retain(|u| {
            let id: u64 = u["ID"].as_str().unwrap().parse().unwrap();
            !ids.contains(&id)
        });
    });
}

/// By offset: 230 users in five pages, each fetched when the stream reaches it; a stream
/// dropped after 60 records sent two requests.
#[tokio::test(start_paused = true)]
async fn pages_are_fetched_as_the_stream_is_read() {
    let (emulator, running, client) = serve(Emulator::builder()).await;
    let users: Vec<PortalUser> = client
        .stream(&UserGetRequest::new())
        .by_offset()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&users), (1..=USERS).collect::<Vec<_>>());
    assert_eq!(emulator.requests("user.get"), 5);

    let mut stream = client.user_get().stream().by_offset();
    let first: Vec<_> = stream.by_ref().take(60).collect().await;
    assert_eq!(first.len(), 60);
    drop(stream);
    assert_eq!(emulator.requests("user.get"), 5 + 2);

    // `send_all` and `call_all` collect the same stream.
    let all = client.user_get().send_all().await.unwrap();
    assert_eq!(ids(&all), (1..=USERS).collect::<Vec<_>>());
    running.shutdown().await.unwrap();
}

/// By id, where the spec allows it and the request leaves order and `start` to the stream:
/// ordered by `ID`, `>ID` the last one seen, `start=-1`, so no page is counted (`total` 0).
#[tokio::test(start_paused = true)]
async fn pages_by_id_ask_above_the_last_id_and_count_nothing() {
    let (emulator, running, client) = serve(Emulator::builder()).await;
    let mut pages = client.pages(&UserGetRequest::new());
    assert!(pages.is_by_id());
    let mut sizes = Vec::new();
    let mut seen = Vec::new();
    while let Some(page) = pages.next_page().await {
        let page = page.unwrap();
        assert_eq!((page.total, page.next), (Some(0), None));
        sizes.push(page.items.len());
        seen.extend(ids(&page.items));
    }
    assert_eq!(sizes, [50, 50, 50, 50, 30]);
    assert_eq!(seen, (1..=USERS).collect::<Vec<_>>());
    assert_eq!(emulator.requests("user.get"), 5);

    // A request with its own order is paged as it asks, by offset.
    let request = UserGetRequest::new()
        .sort("ID")
        .order(b24_client::Direction::Desc);
    let stream = client.stream(&request);
    assert!(!stream.is_by_id());
    let users: Vec<PortalUser> = stream.try_collect().await.unwrap();
    assert_eq!(ids(&users), (1..=USERS).rev().collect::<Vec<_>>());
    // The user's own filter is kept beside `>ID`.
    let mut filter = b24_client::user_get::UserGetFilter::new();
    filter = filter.id(b24_client::Cmp::ge(100));
    let users: Vec<PortalUser> = client
        .user_get()
        .filter(filter)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&users), (100..=USERS).collect::<Vec<_>>());
    running.shutdown().await.unwrap();
}

/// An error mid-stream is yielded after the records before it, and ends the stream; a read
/// hit by a 500 is sent again and the stream goes on.
#[tokio::test(start_paused = true)]
async fn an_error_mid_stream_ends_it_after_the_records_before() {
    let fault = Fault::error("user.get", "ACCESS_DENIED").after(2);
    let (emulator, running, client) = serve(Emulator::builder().fault(fault)).await;
    let mut stream = client.user_get().stream();
    let mut records = 0;
    let error = loop {
        match stream.next().await {
            Some(Ok(_)) => records += 1,
            Some(Err(e)) => break e,
            None => panic!("the third page fails"),
        }
    };
    assert_eq!(records, 100);
    assert_eq!(error.api().map(|a| a.code.code()), Some("ACCESS_DENIED"));
    assert!(stream.next().await.is_none(), "nothing after the error");
    assert_eq!(
        emulator.requests("user.get"),
        3,
        "a refusal is not sent again"
    );
    running.shutdown().await.unwrap();

    let fault: Fault = "user.get:500:after=1".parse().unwrap();
    let fault = fault.probability(0.5, 7);
    let (_, running, client) = serve(Emulator::builder().fault(fault)).await;
    let users = client.user_get().send_all().await.unwrap();
    assert_eq!(users.len(), USERS as usize, "every 500 retried");
    running.shutdown().await.unwrap();
}

/// Reads the list page by page with `pages`, calling `between` after each page (with the
/// page's number, from 1), and returns every id yielded, in order.
async fn read_with_writes(
    mut pages: b24_client::Pages<PortalUser, b24_client::user_get::UserGetError>,
    mut between: impl FnMut(usize),
) -> Vec<u64> {
    let mut seen = Vec::new();
    let mut n = 0;
    while let Some(page) = pages.next_page().await {
        seen.extend(ids(&page.unwrap().items));
        n += 1;
        between(n);
    }
    seen
}

fn twice(seen: &[u64]) -> Vec<u64> {
    let mut once = HashSet::new();
    seen.iter()
        .copied()
        .filter(|id| !once.insert(*id))
        .collect()
}

/// What each way of paging guarantees while records are inserted and deleted between its
/// pages; the table in docs/runtime.md ("Lists") states it.
#[tokio::test(start_paused = true)]
async fn inserts_and_deletes_while_paging() {
    // By offset, ascending ids: after page 1 (ids 1–50), ten of its records are deleted.
    // Page 2 starts at position 50 of the shorter list, id 61: ids 51–60 are never seen.
    let (emulator, running, client) = serve(Emulator::builder()).await;
    let pages = client.pages(&UserGetRequest::new()).by_offset();
    let seen = read_with_writes(pages, |n| {
        if n == 1 {
            delete(&emulator, &(1..=10).collect::<Vec<_>>());
        }
    })
    .await;
    let missed: Vec<u64> = (11..=USERS).filter(|id| !seen.contains(id)).collect();
    assert_eq!(missed, (51..=60).collect::<Vec<_>>());
    assert!(twice(&seen).is_empty());
    running.shutdown().await.unwrap();

    // By offset, newest first: after page 1 (ids 230–181), five users are added (ids
    // 231–235, in front). Page 2 starts five places early, at 185: ids 185–181 come again and
    // are dropped, since the spec names the records' `ID`. Nothing is missed.
    let (emulator, running, client) = serve(Emulator::builder()).await;
    let request = UserGetRequest::new()
        .sort("ID")
        .order(b24_client::Direction::Desc);
    let seen = read_with_writes(client.pages(&request), |n| {
        if n == 1 {
            insert(&emulator, USERS + 1..=USERS + 5);
        }
    })
    .await;
    assert!(twice(&seen).is_empty(), "{:?}", twice(&seen));
    assert_eq!(seen.len(), USERS as usize);
    assert_eq!(emulator.requests("user.get"), 5);
    running.shutdown().await.unwrap();

    // By id: after page 1, ten read records and ten unread ones (ids 60–69) are deleted and
    // five are added (ids 231–235). Every record that stayed is seen once, the added ones
    // too (their ids are above the last one seen), the deleted unread ones not.
    let (emulator, running, client) = serve(Emulator::builder()).await;
    let pages = client.pages(&UserGetRequest::new());
    assert!(pages.is_by_id());
    let seen = read_with_writes(pages, |n| {
        if n == 1 {
            let mut gone: Vec<u64> = (1..=10).collect();
            gone.extend(60..=69);
            delete(&emulator, &gone);
            insert(&emulator, USERS + 1..=USERS + 5);
        }
    })
    .await;
    let expected: Vec<u64> = (1..=USERS + 5)
        .filter(|id| !(60..=69).contains(id))
        .collect();
    assert_eq!(seen, expected);
    running.shutdown().await.unwrap();
}

/// By id while another task inserts and deletes records the whole time: no record twice,
/// ids ascending, and every record that exists from start to end is seen.
#[tokio::test(start_paused = true)]
async fn by_id_under_concurrent_writes_sees_every_lasting_record_once() {
    let (emulator, running, client) = serve(Emulator::builder()).await;
    let writer = {
        let emulator = emulator.clone();
        tokio::spawn(async move {
            let mut deleted = Vec::new();
            for step in 0..200u64 {
                // Every other step a new user; every third, one of the originals (seeded by
                // the step, so the run is the same every time) is deleted.
                if step % 2 == 0 {
                    insert(&emulator, [1000 + step]);
                }
                if step % 3 == 0 {
                    let id = 1 + (step * 37) % USERS;
                    delete(&emulator, &[id]);
                    deleted.push(id);
                }
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
            deleted
        })
    };
    let mut seen = Vec::new();
    let mut stream = client.user_get().stream();
    assert!(stream.is_by_id());
    while let Some(user) = stream.try_next().await.unwrap() {
        seen.push(user.id);
        // Let the writer in between records: the reading takes longer than the writing.
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let deleted = writer.await.unwrap();
    assert!(twice(&seen).is_empty(), "{:?}", twice(&seen));
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "ascending ids");
    let lasting: Vec<u64> = (1..=USERS).filter(|id| !deleted.contains(id)).collect();
    let missing: Vec<&u64> = lasting.iter().filter(|id| !seen.contains(id)).collect();
    assert!(missing.is_empty(), "lasting records not seen: {missing:?}");
    // Records added while paging were seen too, once they were above the last id read.
    assert!(seen.iter().any(|id| *id >= 1000), "{seen:?}");
    assert!(emulator.requests("user.get") >= 5);
    running.shutdown().await.unwrap();
}

/// A list whose pages wrap their records (`{"tasks": […]}`, `paged: { items: tasks }`):
/// streams, `send_all` and raw pages yield the records, by id and by offset.
#[tokio::test(start_paused = true)]
async fn a_wrapped_list_yields_its_records() {
    use test_task_list::{Task, TestTaskListRequest};

    let tasks: Vec<Record> = (1..=120)
        .map(|id| {
            let Value::Object(task) = serde_json::json!({"id": id, "title": format!("Task {id}")})
            else {
                unreachable!()
            };
            task
        })
        .collect();
    let (emulator, running) = start(
        Emulator::builder()
            .specs(SPECS)
            .plan(Plan::Unlimited)
            .fixture(Fixture::builtin().with_collection("tasks", tasks)),
    )
    .await;
    let client = virtual_time(Client::builder().webhook(&running.webhook_url()))
        .plan(Plan::Unlimited)
        .build()
        .unwrap();

    let stream = client.stream(&TestTaskListRequest::new());
    assert!(stream.is_by_id());
    let all: Vec<Task> = stream.try_collect().await.unwrap();
    assert_eq!(
        all.iter().map(|t| t.id).collect::<Vec<_>>(),
        (1..=120).collect::<Vec<_>>()
    );
    assert_eq!(all[119].title, "Task 120");
    let by_offset: Vec<Task> = client
        .stream(&TestTaskListRequest::new())
        .by_offset()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(by_offset, all);
    let sent = SpecMethods::test_task_list(&client)
        .send_all()
        .await
        .unwrap();
    assert_eq!(sent, all);
    // One page, as the portal answers it: the records inside `tasks`.
    let page = SpecMethods::test_task_list(&client).send().await.unwrap();
    assert_eq!(page.tasks.len(), 50);

    // Without the generated type: the records out of `tasks` all the same.
    let paging = <TestTaskListRequest as b24_client::Paged>::paging();
    let mut pages = client.pages_raw("test.task.list", true, Default::default(), paging);
    let mut raw = Vec::new();
    while let Some(page) = pages.next_page().await {
        raw.extend(page.unwrap().items);
    }
    assert_eq!(raw.len(), 120);
    assert_eq!(raw[0]["title"], "Task 1");
    assert!(emulator.requests("test.task.list") > 0);
    running.shutdown().await.unwrap();
}

/// A page that is not a list is an error that says so.
#[tokio::test(start_paused = true)]
async fn a_page_that_is_not_a_list_is_an_error() {
    let (_, running, client) = serve(Emulator::builder()).await;
    let paging = b24_client::Paging::new().items("tasks");
    let mut pages = client.pages_raw("user.get", true, Default::default(), paging);
    match pages.next_page().await {
        Some(Err(Error::UnexpectedResponse { reason, .. })) => {
            assert!(
                reason.contains("not an object holding the records in `tasks` but a list"),
                "{reason}"
            );
        }
        other => panic!("{other:?}"),
    }
    running.shutdown().await.unwrap();
}
