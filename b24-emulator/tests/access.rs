//! Who may call what, over plain HTTP: unknown credentials, deactivated users and scopes.

mod common;

use b24_emulator::Emulator;
use common::{get, post_json, start};
use serde_json::{Value, json};

fn error(answer: &(u16, Value)) -> (u16, &str) {
    assert!(answer.1.get("result").is_none(), "{}", answer.1);
    (answer.0, answer.1["error"].as_str().unwrap_or_default())
}

#[tokio::test]
async fn wrong_codes_and_tokens_are_401() {
    let running = start(Emulator::builder()).await;
    let base = running.base_url();
    let wrong = get(&format!("{base}/rest/1/wrongcode/user.current")).await;
    assert_eq!(error(&wrong), (401, "NO_AUTH_FOUND"));
    let other_user = get(&format!("{base}/rest/5/b24emulatorcode/user.current")).await;
    assert_eq!(error(&other_user), (401, "NO_AUTH_FOUND"));
    let token = get(&format!("{base}/rest/user.current?auth=nope")).await;
    assert_eq!(error(&token), (401, "NO_AUTH_FOUND"));
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_deactivated_user_gets_403_invalid_credentials() {
    // User 8 has `active: false` in the built-in fixture.
    let running = start(
        Emulator::builder()
            .webhook(1, "admin")
            .webhook(8, "former")
            .access_token("admintoken")
            .access_token_for(8, "formertoken"),
    )
    .await;
    let base = running.base_url();
    let hook = get(&format!("{base}/rest/8/former/profile")).await;
    assert_eq!(error(&hook), (403, "INVALID_CREDENTIALS"));
    let token = post_json(
        &format!("{base}/rest/im.user.get"),
        &json!({"auth": "formertoken"}),
    )
    .await;
    assert_eq!(error(&token), (403, "INVALID_CREDENTIALS"));
    // Others may still read the deactivated user.
    let (status, body) = get(&format!("{base}/rest/1/admin/im.user.get?ID=8")).await;
    assert_eq!((status, &body["result"]["active"]), (200, &json!(false)));
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn methods_outside_the_granted_scopes_are_403_insufficient_scope() {
    let running = start(
        Emulator::builder()
            .webhook_with_scopes(1, "usersonly", ["user"])
            .access_token_with_scopes(5, "imtoken", ["im"]),
    )
    .await;
    let base = running.base_url();
    let hook = format!("{base}/rest/1/usersonly/");
    let (status, body) = get(&format!("{hook}user.current")).await;
    assert_eq!((status, &body["result"]["ID"]), (200, &json!("1")));
    let denied = get(&format!("{hook}im.user.get")).await;
    assert_eq!(error(&denied), (403, "insufficient_scope"));
    // `basic` needs no grant.
    assert_eq!(get(&format!("{hook}profile")).await.0, 200);
    // Inside a batch the command fails, the batch does not.
    let (status, batch) = post_json(
        &format!("{hook}batch"),
        &json!({"cmd": {"me": "user.current", "im": "im.user.get?ID=5"}}),
    )
    .await;
    assert_eq!(status, 200, "{batch}");
    assert_eq!(batch["result"]["result"]["me"]["ID"], "1");
    // With the empty description the batch page documents.
    assert_eq!(
        batch["result"]["result_error"]["im"],
        json!({"error": "insufficient_scope", "error_description": ""})
    );

    let im = post_json(
        &format!("{base}/rest/im.user.get"),
        &json!({"auth": "imtoken"}),
    )
    .await;
    assert_eq!((im.0, &im.1["result"]["id"]), (200, &json!(5)));
    let user = post_json(
        &format!("{base}/rest/user.get"),
        &json!({"auth": "imtoken"}),
    )
    .await;
    assert_eq!(error(&user), (403, "insufficient_scope"));
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_method_is_granted_by_any_of_its_scopes() {
    // The user.* methods are granted by `user`, `user_brief` or `user_basic` (their specs'
    // `other_scopes`); the messenger methods only by `im`.
    let running = start(
        Emulator::builder()
            .webhook_with_scopes(1, "brief", ["user_brief"])
            .access_token_with_scopes(5, "basictoken", ["user_basic"]),
    )
    .await;
    let base = running.base_url();
    let hook = format!("{base}/rest/1/brief/");
    for method in [
        "user.current",
        "user.get?ID=5",
        "user.search?FILTER[NAME]=John",
    ] {
        let (status, body) = get(&format!("{hook}{method}")).await;
        assert_eq!(status, 200, "{method}: {body}");
    }
    let denied = get(&format!("{hook}im.user.get")).await;
    assert_eq!(error(&denied), (403, "insufficient_scope"));
    assert_eq!(
        denied.1["error_description"],
        "The request requires higher privileges than provided by the webhook token"
    );

    let me = post_json(
        &format!("{base}/rest/user.current"),
        &json!({"auth": "basictoken"}),
    )
    .await;
    assert_eq!((me.0, &me.1["result"]["ID"]), (200, &json!("5")));
    let im = post_json(
        &format!("{base}/rest/im.user.get"),
        &json!({"auth": "basictoken"}),
    )
    .await;
    assert_eq!(error(&im), (403, "insufficient_scope"));
    running.shutdown().await.unwrap();
}
