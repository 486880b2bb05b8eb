//! The result shapes the spec language added for the shipped messenger and user methods,
//! against the emulator over loopback HTTP: objects keyed by id (PHP's `[]` when empty),
//! results whose shape a request parameter picks, `{}` as "no value", and `min_items`.

use std::collections::BTreeMap;

use b24_client::im_department_employees_get::{
    ImDepartmentEmployeesGetError, ImDepartmentEmployeesGetRequest, ImDepartmentEmployeesGetResult,
};
use b24_client::im_user_list_get::{ImUserListGetRequest, ImUserListGetResult};
use b24_client::{Client, Error, Method};
use b24_emulator::{Emulator, RunningEmulator};
use serde_json::json;

mod support;

async fn start() -> (RunningEmulator, Client) {
    support::serve(Emulator::builder()).await
}

#[tokio::test]
async fn counters_read_php_empty_arrays_as_empty_maps() {
    let (running, client) = start().await;
    // The built-in fixture's counters of user 1: `CHAT: {"2935": 2}`, `CHAT_MUTED: []`,
    // `LINES: []`, `DIALOG: {"5": 1}`.
    let counters = client.im_counters_get().send().await.unwrap();
    assert_eq!(counters.chat, BTreeMap::from([(2935, 2)]));
    assert!(counters.chat_muted.is_empty() && counters.lines.is_empty());
    assert_eq!(counters.dialog, BTreeMap::from([(5, 1)]));
    assert!(counters.chat_unread.is_empty() && counters.dialog_unread.is_empty());
    assert_eq!(counters.totals.dialog, 1);
    // Written back, an empty map is an object, and ids are object keys again.
    let json = serde_json::to_value(&counters).unwrap();
    assert_eq!(
        (&json["CHAT_MUTED"], &json["DIALOG"]),
        (&json!({}), &json!({"5": 1}))
    );
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn result_type_picks_a_list_or_a_map_by_id() {
    let (running, client) = start().await;
    let users = client
        .im_user_list_get(vec![4, 5])
        .result_type("array")
        .send()
        .await
        .unwrap();
    let ImUserListGetResult::List(users) = users else {
        panic!("RESULT_TYPE=array must give a list: {users:?}");
    };
    assert_eq!(users.iter().map(|u| u.id).collect::<Vec<_>>(), [4, 5]);
    // Without RESULT_TYPE the portal keys the profiles by id.
    let keyed = client.im_user_list_get(vec![4, 5]).send().await.unwrap();
    let ImUserListGetResult::ById(keyed) = keyed else {
        panic!("without RESULT_TYPE the answer is keyed by id: {keyed:?}");
    };
    assert_eq!(
        keyed,
        BTreeMap::from([(4, users[0].clone()), (5, users[1].clone())])
    );
    running.shutdown().await.unwrap();

    // The request decides the shape: a keyed answer to a RESULT_TYPE=array request is refused
    // as the wrong shape instead of guessed at.
    let e = ImUserListGetRequest::new(vec![4])
        .result_type("array")
        .decode_output(&json!({ "4": users[0] }));
    assert!(e.is_err(), "{e:?}");
}

#[tokio::test]
async fn department_employees_follow_user_data() {
    let (running, client) = start().await;
    let full = client
        .im_department_employees_get(vec![3, 7])
        .user_data(true)
        .send()
        .await
        .unwrap();
    let ImDepartmentEmployeesGetResult::Profiles(by_department) = full else {
        panic!("USER_DATA=Y must give profiles: {full:?}");
    };
    let names = |d: u64| {
        by_department[&d]
            .iter()
            .map(|u| u.name.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(7), ["Emily Clark", "Peter Johnson"]);
    assert_eq!(names(3), ["Maria Brown"]);

    // Without USER_DATA (default `N`) the lists hold user ids.
    let ids = client
        .im_department_employees_get(vec![3, 7])
        .send()
        .await
        .unwrap();
    assert_eq!(
        ids,
        ImDepartmentEmployeesGetResult::Ids(BTreeMap::from([(3, vec![6]), (7, vec![4, 7])]))
    );

    // `ID` must hold at least one department (`min_items: 1`): the emulator answers the
    // spec's `invalid` code for an empty list, as the portal does.
    let e = client
        .im_department_employees_get(vec![])
        .send()
        .await
        .unwrap_err();
    match e {
        Error::Api(api) => assert_eq!(
            (api.code, api.status),
            (ImDepartmentEmployeesGetError::IdEmpty, 400)
        ),
        other => panic!("expected ID_EMPTY, got {other:?}"),
    }
    running.shutdown().await.unwrap();

    // The documented profile of a user without an avatar leaves out `avatar_hr`.
    let profiles = ImDepartmentEmployeesGetRequest::new(vec![3])
        .user_data(true)
        .decode_output(&json!({ "3": [without_avatar_hr()] }))
        .unwrap();
    let ImDepartmentEmployeesGetResult::Profiles(profiles) = profiles else {
        panic!("USER_DATA=Y decodes profiles: {profiles:?}");
    };
    assert_eq!(profiles[&3][0].avatar_hr, None);
}

/// User 6 of the built-in fixture as `im.department.employees.get` documents a profile
/// without an avatar: no `avatar_hr` key at all.
fn without_avatar_hr() -> serde_json::Value {
    let fixture = b24_emulator::Fixture::builtin();
    let mut user = fixture
        .collection("users")
        .unwrap()
        .iter()
        .find(|u| u["id"] == 6)
        .unwrap()
        .clone();
    user.remove("avatar_hr");
    serde_json::Value::Object(user)
}

#[tokio::test]
async fn empty_object_dates_read_as_none() {
    // `user.get` documents `LAST_ACTIVITY_DATE: {}`; `user.current` a local date-time. A
    // fixture with both forms shows each decodes.
    let mut users = b24_emulator::Fixture::builtin()
        .collection("portal_users")
        .unwrap()
        .to_vec();
    users[1].insert("LAST_ACTIVITY_DATE".into(), json!({}));
    let fixture = b24_emulator::Fixture::builtin().with_collection("portal_users", users);
    let (running, client) = support::serve(Emulator::builder().fixture(fixture)).await;
    let users = client.user_get().send().await.unwrap();
    assert_eq!(users[1].last_activity_date, None);
    let me = client.user_current().send().await.unwrap();
    assert_eq!(
        me.last_activity_date.map(|d| d.to_string()).as_deref(),
        Some("2026-03-02 08:50:00")
    );
    assert_eq!(
        users[0]
            .last_activity_date
            .map(|d| d.to_string())
            .as_deref(),
        Some("2026-03-02 08:50:00")
    );
    running.shutdown().await.unwrap();
}
