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

async fn start() -> (RunningEmulator, Client) {
    let running = Emulator::builder()
        .build()
        .unwrap()
        .start("127.0.0.1:0")
        .await
        .unwrap();
    let client = Client::webhook(&running.webhook_url()).unwrap();
    (running, client)
}

#[tokio::test]
async fn counters_read_php_empty_arrays_as_empty_maps() {
    let (running, client) = start().await;
    // The documented answer: `CHAT: []`, `CHAT_MUTED: {"1317": 1, "1319": 1}`, `DIALOG: {"547": 1}`.
    let counters = client.im_counters_get().send().await.unwrap();
    assert!(counters.chat.is_empty() && counters.lines.is_empty());
    assert_eq!(counters.chat_muted, BTreeMap::from([(1317, 1), (1319, 1)]));
    assert_eq!(counters.dialog, BTreeMap::from([(547, 1)]));
    assert!(counters.chat_unread.is_empty() && counters.dialog_unread.is_empty());
    assert_eq!(counters.totals.dialog, 1);
    // Written back, an empty map is an object, and ids are object keys again.
    let json = serde_json::to_value(&counters).unwrap();
    assert_eq!(
        (&json["CHAT"], &json["DIALOG"]),
        (&json!({}), &json!({"547": 1}))
    );
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn result_type_array_gives_the_list_variant() {
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
    // Without RESULT_TYPE the portal keys the profiles by id; the emulator only knows the
    // documented list, so the client refuses it as the wrong shape instead of guessing.
    let e = client
        .im_user_list_get(vec![4, 5])
        .send()
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Decode { .. }), "{e:?}");
    running.shutdown().await.unwrap();

    // The keyed shape, as the portal sends it without RESULT_TYPE.
    let keyed = ImUserListGetRequest::new(vec![4])
        .decode_output(&json!({ "4": users[0] }))
        .unwrap();
    assert_eq!(
        keyed,
        ImUserListGetResult::ById(BTreeMap::from([(4, users[0].clone())]))
    );
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
    assert_eq!(by_department[&7][0].name, "John Smith");
    // The documented profile without an avatar leaves out `avatar_hr`.
    assert_eq!(by_department[&3][0].avatar_hr, None);

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

    // Without USER_DATA (default `N`) the lists hold user ids.
    let ids = ImDepartmentEmployeesGetRequest::new(vec![3])
        .decode_output(&json!({ "3": ["278", 279] }))
        .unwrap();
    assert_eq!(
        ids,
        ImDepartmentEmployeesGetResult::Ids(BTreeMap::from([(3, vec![278, 279])]))
    );
}

#[tokio::test]
async fn empty_object_dates_read_as_none() {
    let (running, client) = start().await;
    // `user.get` documents `LAST_ACTIVITY_DATE: {}`; `user.current` a local date-time.
    let users = client.user_get().send().await.unwrap();
    assert!(!users.is_empty());
    assert!(users.iter().all(|u| u.last_activity_date.is_none()));
    let me = client.user_current().send().await.unwrap();
    assert_eq!(
        me.last_activity_date.map(|d| d.to_string()).as_deref(),
        Some("2024-07-23 08:08:50")
    );
    running.shutdown().await.unwrap();
}
