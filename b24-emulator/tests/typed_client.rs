//! The emulator over real HTTP, through the typed client: what an SDK user sees.

use b24_client::im_user_get::{ImUserGetError, User};
use b24_client::{Client, Error, SystemError};
use b24_emulator::{Emulator, RunningEmulator};
use serde_json::Value;

async fn start(emulator: Emulator) -> RunningEmulator {
    emulator.start("127.0.0.1:0").await.expect("bind loopback")
}

async fn default_emulator() -> RunningEmulator {
    start(Emulator::builder().build().expect("default emulator")).await
}

/// The documented example result of `im.user.get`, straight from the shipped spec.
fn example_result() -> Value {
    // The spec's types live in a type library, so it is loaded with the whole shipped set.
    let spec = b24_emulator::load_specs(b24_client::SPECS)
        .expect("shipped specs load")
        .into_iter()
        .find(|s| s.method == "im.user.get")
        .expect("im.user.get is shipped");
    spec.example.expect("the spec has an example").response["result"].clone()
}

fn api_status<C: b24_client::ErrorCode>(e: &Error<C>) -> u16 {
    e.api().map_or(0, |a| a.status)
}

#[tokio::test]
async fn the_example_user_is_the_documented_one() {
    let running = default_emulator().await;
    let client = Client::webhook(&running.webhook_url()).unwrap();

    let user = client
        .im_user_get()
        .id(5)
        .avatar_hr(true)
        .send()
        .await
        .unwrap();
    let expected: User = serde_json::from_value(example_result()).unwrap();
    assert_eq!(user, expected);

    // Byte for byte too, not only after decoding.
    let raw = client
        .call_raw(
            "im.user.get",
            serde_json::json!({"ID": 5}).as_object().unwrap().clone(),
        )
        .await
        .unwrap();
    assert_eq!(raw.result, example_result());
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn user_one_and_the_caller() {
    let running = default_emulator().await;
    let client = Client::webhook(&running.webhook_url()).unwrap();
    let admin = client.im_user_get().id(1).send().await.unwrap();
    assert_eq!(admin.id, 1);
    assert_eq!(admin.work_position, "Administrator");
    // Without ID the portal answers with the webhook's own user.
    let me = client.im_user_get().send().await.unwrap();
    assert_eq!(me, admin);
    running.shutdown().await.unwrap();

    let running = start(Emulator::builder().webhook(5, "johnscode").build().unwrap()).await;
    assert!(running.webhook_url().ends_with("/rest/5/johnscode/"));
    let client = Client::webhook(&running.webhook_url()).unwrap();
    assert_eq!(client.im_user_get().send().await.unwrap().id, 5);
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn id_zero_is_id_empty_and_unknown_ids_do_not_exist() {
    let running = default_emulator().await;
    let client = Client::webhook(&running.webhook_url()).unwrap();

    let e = client.im_user_get().id(0).send().await.unwrap_err();
    assert_eq!(e.api().map(|a| &a.code), Some(&ImUserGetError::IdEmpty));
    assert_eq!(api_status(&e), 400);

    let e = client.im_user_get().id(-3).send().await.unwrap_err();
    assert_eq!(e.api().map(|a| &a.code), Some(&ImUserGetError::IdEmpty));

    let e = client.im_user_get().id(999_999).send().await.unwrap_err();
    let api = e.api().expect("an API error");
    assert_eq!(api.code, ImUserGetError::UserNotExists);
    assert_eq!(api.status, 400);
    assert_eq!(api.description, "User does not exist");
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn wrong_webhooks_are_no_auth_found() {
    let running = default_emulator().await;
    let base = running.base_url();
    for url in [
        format!("{base}/rest/1/wrongcode/"),
        format!("{base}/rest/2/b24emulatorcode/"),
    ] {
        let client = Client::webhook(&url).unwrap();
        let e = client.im_user_get().id(5).send().await.unwrap_err();
        assert_eq!(
            e.api().map(|a| &a.code),
            Some(&ImUserGetError::System(SystemError::NoAuthFound)),
            "{url}"
        );
        assert_eq!(api_status(&e), 401);
        assert_eq!(e.system(), Some(SystemError::NoAuthFound));
    }
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn oauth_tokens_authenticate_as_their_user() {
    let running = default_emulator().await;
    let client = Client::oauth(&running.base_url(), running.access_token()).unwrap();
    assert_eq!(client.im_user_get().id(5).send().await.unwrap().id, 5);
    assert_eq!(client.im_user_get().send().await.unwrap().id, 1);

    let wrong = Client::oauth(&running.base_url(), "not-a-token").unwrap();
    let e = wrong.im_user_get().send().await.unwrap_err();
    assert_eq!(
        e.api().map(|a| &a.code),
        Some(&ImUserGetError::System(SystemError::NoAuthFound))
    );
    assert_eq!(api_status(&e), 401);
    running.shutdown().await.unwrap();

    let running = start(
        Emulator::builder()
            .access_token_for(5, "johns-token")
            .build()
            .unwrap(),
    )
    .await;
    assert_eq!(running.access_token(), "johns-token");
    let client = Client::oauth(&running.base_url(), "johns-token").unwrap();
    assert_eq!(client.im_user_get().send().await.unwrap().id, 5);
    // Only the configured token works now, not the default one.
    let default = Client::oauth(&running.base_url(), b24_emulator::DEFAULT_ACCESS_TOKEN).unwrap();
    assert!(default.im_user_get().send().await.is_err());
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn success_envelopes_carry_a_real_time_block() {
    let running = default_emulator().await;
    let client = Client::webhook(&running.webhook_url()).unwrap();
    let full = client.im_user_get().id(5).send_full().await.unwrap();
    let time = full.time.expect("a time block");
    let (start, finish) = (time.start.unwrap(), time.finish.unwrap());
    assert!(start > 1.7e9 && finish >= start, "{time:?}");
    assert!(time.duration.unwrap() >= 0.0 && time.processing.unwrap() >= 0.0);
    for date in [time.date_start.unwrap(), time.date_finish.unwrap()] {
        chrono_like_atom(&date);
    }
    assert!(time.operating_reset_at.unwrap() > start);
    assert!(time.operating.unwrap() >= 0.0);
    running.shutdown().await.unwrap();
}

/// `YYYY-MM-DDThh:mm:ss+hh:mm`.
fn chrono_like_atom(s: &str) {
    let b = s.as_bytes();
    assert_eq!(b.len(), 25, "{s}");
    assert_eq!(
        (b[4], b[7], b[10], b[13], b[16], b[22]),
        (b'-', b'-', b'T', b':', b':', b':'),
        "{s}"
    );
    assert!(b[19] == b'+' || b[19] == b'-', "{s}");
}

#[tokio::test]
async fn a_stopped_emulator_refuses_connections() {
    let running = default_emulator().await;
    let client = Client::webhook(&running.webhook_url()).unwrap();
    client.im_user_get().send().await.unwrap();
    running.shutdown().await.unwrap();
    let e = client.im_user_get().send().await.unwrap_err();
    assert!(matches!(e, Error::Transport(_)), "{e}");
}

#[tokio::test]
async fn dropping_the_handle_stops_the_server() {
    let running = default_emulator().await;
    let client = Client::webhook(&running.webhook_url()).unwrap();
    drop(running);
    // The aborted task has released the listener once the runtime gets to it; connecting then
    // fails. Yielding lets the abort happen without sleeping for a guessed time.
    let mut refused = false;
    for _ in 0..1000 {
        if client.im_user_get().send().await.is_err() {
            refused = true;
            break;
        }
        tokio::task::yield_now().await;
    }
    assert!(refused);
}

#[tokio::test]
async fn selected_fields_decode_through_the_typed_client() {
    use b24_client::types::PortalUserField;
    use b24_client::user_search::UserSearchFilter;
    let running = default_emulator().await;
    let client = Client::webhook(&running.webhook_url()).unwrap();

    // Only the given name: `ID` comes too, every other field is `None`.
    let users = client
        .user_get()
        .select(vec![PortalUserField::Name])
        .send()
        .await
        .unwrap();
    assert_eq!(users.len(), 7);
    let first = &users[0];
    assert_eq!((first.id, first.name.as_deref()), (1, Some("Alex")));
    assert!(first.last_name.is_none() && first.email.is_none() && first.active.is_none());
    assert!(users.iter().all(|u| u.uf_department.is_none()));

    // `UF_*`: the custom fields only (and `ID`).
    let custom = client
        .user_get()
        .select(vec![PortalUserField::AllCustom])
        .send()
        .await
        .unwrap();
    assert_eq!(custom[0].uf_department.as_deref(), Some(&[1][..]));
    assert!(custom[0].name.is_none() && custom[0].work_position.is_none());

    // `*`: every standard field, no custom one.
    let standard = client
        .user_search()
        .filter(UserSearchFilter::new().find("smith"))
        .select(vec![PortalUserField::All])
        .send()
        .await
        .unwrap();
    assert_eq!(standard.len(), 1);
    assert_eq!(standard[0].last_name.as_deref(), Some("Smith"));
    assert!(standard[0].uf_department.is_none() && standard[0].uf_phone_inner.is_none());
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn recent_switches_through_the_typed_client() {
    let running = start(Emulator::builder().webhook(1, "one").build().unwrap()).await;
    let client = Client::webhook(&running.webhook_url()).unwrap();
    let ids = |list: &[b24_client::im_recent_get::RecentEntry]| {
        list.iter().map(|e| e.id.clone()).collect::<Vec<_>>()
    };
    let all = client.im_recent_get().send().await.unwrap();
    assert_eq!(ids(&all), ["chat3010", "chat2935", "5", "chat1435"]);
    let dialogs = client.im_recent_get().skip_chat(true).send().await.unwrap();
    assert_eq!(ids(&dialogs), ["5"]);
    assert_eq!(dialogs[0].user.as_ref().map(|u| u.id), Some(5));
    let lines = client
        .im_recent_get()
        .only_openlines(true)
        .send()
        .await
        .unwrap();
    assert_eq!(ids(&lines), ["chat3010"]);
    let no_lines = client
        .im_recent_get()
        .skip_openlines(true)
        .skip_dialog(true)
        .send()
        .await
        .unwrap();
    assert_eq!(ids(&no_lines), ["chat2935", "chat1435"]);
    running.shutdown().await.unwrap();
}
