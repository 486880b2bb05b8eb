//! OAuth: access tokens expire on the emulator's clock, and `/oauth/token/` exchanges refresh
//! tokens for new pairs, each refresh token once.

mod common;

use std::time::Duration;

use b24_client::{Error, ErrorCode, SystemError};
use b24_emulator::{Emulator, EmulatorError, OAuthApp, RunningEmulator};
use common::{get, http, parts, start};
use serde_json::Value;
use tokio::time::advance;

async fn running() -> RunningEmulator {
    start(
        Emulator::builder()
            .oauth_app(OAuthApp::new("local.app.1", "s3cret").refresh_token_for(5, "refresh0")),
    )
    .await
}

fn refresh_url(running: &RunningEmulator, refresh_token: &str) -> String {
    format!(
        "{}/oauth/token/?grant_type=refresh_token&client_id=local.app.1&client_secret=s3cret\
         &refresh_token={refresh_token}",
        running.base_url()
    )
}

#[tokio::test(start_paused = true)]
async fn expired_tokens_are_refreshed_with_rotation() {
    let running = running().await;
    let client = common::oauth_client(&running);
    assert_eq!(client.im_user_get().send().await.unwrap().id, 1);

    advance(Duration::from_secs(3600)).await;
    match client.im_user_get().send().await.unwrap_err() {
        Error::Api(api) => {
            assert_eq!(
                (api.status, api.code.system()),
                (401, Some(SystemError::ExpiredToken))
            );
        }
        other => panic!("{other}"),
    }

    let (status, tokens) = get(&refresh_url(&running, "refresh0")).await;
    assert_eq!(status, 200, "{tokens}");
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    let refresh = tokens["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(refresh, "refresh0");
    assert_eq!(tokens["expires_in"], 3600);
    assert_eq!(tokens["user_id"], 5);
    assert_eq!(
        tokens["client_endpoint"].as_str().unwrap(),
        format!("{}/rest/", running.base_url())
    );
    let expires = tokens["expires"].as_f64().unwrap();

    client.set_access_token(access.clone()).unwrap();
    let me = client.im_user_get().send_full().await.unwrap();
    assert_eq!(
        me.result.id, 5,
        "the token belongs to the refresh token's user"
    );
    let start = me.time.unwrap().start.unwrap();
    assert_eq!(expires, (start + 3600.0).floor());

    // A used refresh token is refused; the new one works, by POST with a form body too.
    let (status, body) = get(&refresh_url(&running, "refresh0")).await;
    assert_eq!(
        (status, &body["error"]),
        (400, &Value::from("invalid_grant"))
    );
    let response = http()
        .post(format!("{}/oauth/token/", running.base_url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "grant_type=refresh_token&client_id=local.app.1&client_secret=s3cret\
             &refresh_token={refresh}"
        ))
        .send()
        .await
        .unwrap();
    let (status, again) = parts(response).await;
    assert_eq!(status, 200, "{again}");
    assert_ne!(again["access_token"], Value::from(access.as_str()));
    assert_ne!(again["refresh_token"], Value::from(refresh.as_str()));
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn token_endpoint_errors() {
    let running = running().await;
    let base = running.base_url();
    for (query, code) in [
        ("", "invalid_request"),
        ("grant_type=authorization_code&code=x", "invalid_request"),
        (
            "grant_type=refresh_token&client_id=local.app.1",
            "invalid_request",
        ),
        (
            "grant_type=refresh_token&client_id=local.app.1&client_secret=nope&refresh_token=refresh0",
            "invalid_client",
        ),
        (
            "grant_type=refresh_token&client_id=local.app.1&client_secret=s3cret&refresh_token=nope",
            "invalid_grant",
        ),
    ] {
        let (status, body) = get(&format!("{base}/oauth/token/?{query}")).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (400, Some(code)),
            "{query}"
        );
        assert!(body["error_description"].is_string());
    }
    // The failed attempts did not use the refresh token up.
    assert_eq!(get(&refresh_url(&running, "refresh0")).await.0, 200);
    running.shutdown().await.unwrap();
}

#[test]
fn apps_are_checked() {
    let e = Emulator::builder()
        .oauth_app(OAuthApp::new("a", "x"))
        .oauth_app(OAuthApp::new("a", "zz9secret"))
        .build()
        .unwrap_err();
    assert!(matches!(e, EmulatorError::OAuthApp { .. }), "{e}");
    assert!(!e.to_string().contains("zz9secret"));
    assert!(
        Emulator::builder()
            .oauth_app(OAuthApp::new("a", ""))
            .build()
            .is_err()
    );
}
