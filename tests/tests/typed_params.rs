//! Typed filters, selects, orders and case-insensitive enums against the emulator: what the
//! generated client sends is accepted, and the emulator's parameter check (`b24_spec::conform`) refuses
//! unknown filter fields in JSON and in PHP form bodies alike.

use std::io::{Read, Write};

use b24_client::types::{PortalUserField, UserType};
use b24_client::user_get::UserGetFilter;
use b24_client::user_search::UserSearchFilter;
use b24_client::{Client, Cmp, Direction, Error, Order};
use b24_emulator::{Emulator, RunningEmulator};
use serde_json::{Map, Value, json};

mod support;

async fn start() -> (RunningEmulator, Client) {
    support::serve(Emulator::builder()).await
}

fn params(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

/// A form-encoded POST, as PHP clients send it; returns the status and the body.
async fn post_form(url: String, body: &'static str) -> (u16, String) {
    tokio::task::spawn_blocking(move || {
        let rest = url.strip_prefix("http://").unwrap();
        let (host, path) = rest.split_once('/').unwrap();
        let mut stream = std::net::TcpStream::connect(host).unwrap();
        write!(
            stream,
            "POST /{path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        let status = answer[9..12].parse().unwrap();
        let body = answer.split_once("\r\n\r\n").unwrap().1.to_owned();
        (status, body)
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn typed_filters_and_selects_are_accepted() {
    let (_running, client) = start().await;
    // The built-in fixture's online employees with an id from 1 and "Jo" in the first name:
    // John Smith only (Alex has no "jo", Maria is offline).
    let users = client
        .user_get()
        .filter(
            UserGetFilter::new()
                .id(Cmp::ge(1))
                .name(Cmp::like("Jo"))
                .user_type(Cmp::one_of([UserType::Employee]))
                .is_online(Cmp::eq(true)),
        )
        .order(Direction::Asc)
        .select(vec![PortalUserField::Id, PortalUserField::AllCustom])
        .send()
        .await
        .unwrap();
    assert_eq!(users.iter().map(|u| u.id).collect::<Vec<_>>(), [5]);
    // Operators narrow the list: ids 5 to 7, but not 6.
    let users = client
        .user_get()
        .filter(
            UserGetFilter::new()
                .id(Cmp::ge(5))
                .id(Cmp::le(7))
                .id(Cmp::ne(6)),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(users.iter().map(|u| u.id).collect::<Vec<_>>(), [5, 7]);
    // `ORDER` takes a direction for `SORT`, or an order object as list helpers send it.
    let by_name = |users: Vec<b24_client::types::PortalUser>| {
        users.into_iter().map(|u| u.id).collect::<Vec<_>>()
    };
    let users = client
        .user_get()
        .sort("LAST_NAME")
        .order(Direction::Desc)
        .send()
        .await
        .unwrap();
    assert_eq!(by_name(users), [5, 8, 1, 7, 4, 9, 6]);
    let users = client
        .user_get()
        .order(
            Order::new()
                .asc(PortalUserField::UserType)
                .desc(PortalUserField::Id),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(by_name(users), [8, 7, 6, 5, 4, 1, 9]);
    // user.search takes plain values only.
    let found = client
        .user_search()
        .filter(UserSearchFilter::new().last_name("Smith"))
        .send()
        .await
        .unwrap();
    assert_eq!(found.iter().map(|u| u.id).collect::<Vec<_>>(), [5]);
}

#[tokio::test]
async fn unknown_filter_fields_and_operators_are_invalid_arguments() {
    let (_running, client) = start().await;
    for bad in [
        json!({"FILTER": {">=AGE": 5}}),
        json!({"FILTER": {"<>ID": 5}}),
        json!({"FILTER": {"@ID": 5}}),
        json!({"FILTER": {"IS_ONLINE": "maybe"}}),
        json!({"select": ["ID", "AGE"]}),
        json!({"ORDER": "up"}),
    ] {
        match client.call_raw("user.get", params(bad.clone())).await {
            Err(Error::Api(api)) => {
                assert_eq!(
                    (b24_client::ErrorCode::code(&api.code), api.status),
                    ("INVALID_ARG_VALUE", 400),
                    "{bad}"
                )
            }
            other => panic!("{bad}: expected INVALID_ARG_VALUE, got {other:?}"),
        }
    }
    // Operators `user.search` does not document are refused there.
    let e = client
        .call_raw("user.search", params(json!({"FILTER": {"%FIND": "x"}})))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("exact values only"), "{e}");
    // Any letter case of `ORDER`, custom fields in `select`.
    let ok = json!({"ORDER": "desc", "select": ["*", "UF_USR_1"], "FILTER": {"!@ID": [2, "3"]}});
    client.call_raw("user.get", params(ok)).await.unwrap();
}

#[tokio::test]
async fn php_form_filters_are_checked_like_json() {
    let (running, _client) = start().await;
    let url = format!("{}user.get", running.webhook_url());
    let (status, body) = post_form(
        url.clone(),
        "FILTER[%3E%3DID]=5&FILTER[%40ID][0]=1&FILTER[%40ID][1]=2&FILTER[USER_TYPE]=employee&ORDER=desc",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = post_form(url.clone(), "FILTER[%3E%3DAGE]=5").await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body.contains("INVALID_ARG_VALUE") && body.contains(">=AGE"),
        "{body}"
    );
    let (status, body) = post_form(url, "FILTER[%40ID][0]=x").await;
    assert_eq!(status, 400, "{body}");
}
