//! Every log line of a run full of retries, refusals and OAuth refreshes, at the most verbose
//! level, from every crate (the client, the emulator serving it, the HTTP stack): no webhook
//! code, access token, refresh token or client secret in any of them.

mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use b24_client::im_user_status_set::UserStatus;
use b24_client::{Client, MemoryTokenStore, OAuthApp, TokenStore, TokenStoreError, Tokens};
use b24_emulator::{DEFAULT_WEBHOOK_CODE, Emulator, Fault};
use tokio::time::advance;

use support::{start, virtual_time};

const CLIENT_SECRET: &str = "app-secret-s3cret";
const FIRST_REFRESH: &str = "first-refresh-token";

/// The log, as text.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A store that remembers every pair it was given.
#[derive(Clone, Default)]
struct Recording {
    current: Arc<MemoryTokenStore>,
    all: Arc<Mutex<Vec<Tokens>>>,
}

impl TokenStore for Recording {
    async fn load(&self) -> Result<Option<Tokens>, TokenStoreError> {
        self.current.load().await
    }
    async fn save(&self, tokens: &Tokens) -> Result<(), TokenStoreError> {
        self.all.lock().unwrap().push(tokens.clone());
        self.current.save(tokens).await
    }
}

#[tokio::test(start_paused = true)]
async fn no_secret_in_any_log_line_of_a_run_full_of_retries_and_refreshes() {
    let log = Captured::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let (emulator, running) = start(
        Emulator::builder()
            .oauth_app(
                b24_emulator::OAuthApp::new("local.app.1", CLIENT_SECRET)
                    .refresh_token(FIRST_REFRESH),
            )
            .fault(Fault::error("user.current", "QUERY_LIMIT_EXCEEDED").probability(0.5, 1))
            .fault("im.user.get:500:p=0.3:seed=2".parse().unwrap())
            .fault("im.user.get:html502:p=0.2:seed=3".parse().unwrap())
            .fault("im.user.status.set:truncated:p=0.3:seed=4".parse().unwrap())
            .fault(
                "im.user.status.get:expire-token:p=0.3:seed=5"
                    .parse()
                    .unwrap(),
            ),
    )
    .await;

    // A webhook: retries of reads, refusals of writes, rate-limit refusals.
    let hook = virtual_time(Client::builder().webhook(&running.webhook_url()))
        .build()
        .unwrap();
    for _ in 0..10 {
        let _ = hook.im_user_get().id(5).send().await;
        let _ = hook.im_user_status_set(UserStatus::Away).send().await;
        let _ = hook
            .call_raw_read_only("user.current", Default::default())
            .await;
    }

    // An OAuth app: tokens expiring by the clock and by the fault, refreshed each time.
    let store = Recording::default();
    store
        .save(&Tokens::new(running.access_token(), FIRST_REFRESH))
        .await
        .unwrap();
    let app = OAuthApp::new("local.app.1", CLIENT_SECRET)
        .token_url(format!("{}/oauth/token/", running.base_url()));
    let client =
        virtual_time(Client::builder().oauth_app(&running.base_url(), app.clone(), store.clone()))
            .build()
            .unwrap();
    for round in 0..4 {
        for _ in 0..5 {
            let _ = client.im_user_status_get().send().await;
            let _ = client.im_user_get().send().await;
        }
        if round % 2 == 0 {
            advance(b24_emulator::DEFAULT_TOKEN_LIFETIME).await;
        }
    }
    // A refresh token the server refuses (the first access token has expired by now).
    let refused = virtual_time(Client::builder().oauth_app(
        &running.base_url(),
        app,
        MemoryTokenStore::new(Tokens::new(
            running.access_token(),
            "unknown-refresh-token-y",
        )),
    ))
    .build()
    .unwrap();
    let _ = refused.im_user_get().send().await;
    advance(Duration::from_secs(1)).await;
    let first_access = running.access_token().to_owned();
    running.shutdown().await.unwrap();
    drop(_guard);

    let text = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    let saved = store.all.lock().unwrap().clone();
    assert!(saved.len() >= 4, "{} pairs saved", saved.len());
    assert!(emulator.token_requests() >= 3);
    // The run did what it is here for, and the log shows it.
    for expected in [
        "b24_call",
        "sending again after a wait",
        "QUERY_LIMIT_EXCEEDED",
        "refreshing the OAuth access token",
        "authorised again",
    ] {
        assert!(
            text.contains(expected),
            "no {expected:?} in the log:\n{text}"
        );
    }
    let mut secrets: Vec<String> = vec![
        DEFAULT_WEBHOOK_CODE.into(),
        first_access,
        FIRST_REFRESH.into(),
        CLIENT_SECRET.into(),
        "unknown-refresh-token-y".into(),
    ];
    for tokens in saved {
        secrets.push(tokens.access_token);
        secrets.push(tokens.refresh_token);
    }
    for secret in &secrets {
        assert!(!text.contains(secret.as_str()), "{secret} is in the log");
    }
    println!(
        "{} log lines, {} secrets, none in them",
        text.lines().count(),
        secrets.len()
    );
    if std::env::var_os("SHOW_LOG").is_some() {
        println!("{text}");
    }
}
