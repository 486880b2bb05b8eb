//! OAuth refresh against the emulator's token endpoint, on a paused clock: one refresh for any
//! number of calls that find the token expired, the new pair saved before it is used, and
//! nothing lost when the process stops between the refresh and its first use.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use b24_client::{
    AuthError, Client, Error, FileTokenStore, MemoryTokenStore, OAuthApp, TokenStore,
    TokenStoreError, Tokens,
};
use b24_emulator::{Emulator, RunningEmulator};
use tokio::time::advance;

use support::{http, start, virtual_time};

const CLIENT_ID: &str = "local.app.1";
const CLIENT_SECRET: &str = "app-secret-s3cret";
const FIRST_REFRESH: &str = "first-refresh-token";

fn emulator() -> b24_emulator::EmulatorBuilder {
    Emulator::builder().oauth_app(
        b24_emulator::OAuthApp::new(CLIENT_ID, CLIENT_SECRET).refresh_token(FIRST_REFRESH),
    )
}

fn app(running: &RunningEmulator) -> OAuthApp {
    OAuthApp::new(CLIENT_ID, CLIENT_SECRET)
        .token_url(format!("{}/oauth/token/", running.base_url()))
}

fn client(running: &RunningEmulator, store: impl TokenStore) -> Client {
    virtual_time(Client::builder().oauth_app(&running.base_url(), app(running), store))
        .build()
        .unwrap()
}

/// Whether the emulator still accepts `refresh_token` (it then rotates it: only for tokens
/// that are about to be thrown away).
async fn refresh_works(running: &RunningEmulator, refresh_token: &str) -> bool {
    let url = format!(
        "{}/oauth/token/?grant_type=refresh_token&client_id={CLIENT_ID}\
         &client_secret={CLIENT_SECRET}&refresh_token={refresh_token}",
        running.base_url()
    );
    http().get(url).send().await.unwrap().status() == 200
}

/// 100 calls at once with an expired token: exactly one refresh, all 100 succeed, and the
/// store holds the newest refresh token (the emulator accepts it; the first one it refuses).
#[tokio::test(start_paused = true)]
async fn a_hundred_calls_on_an_expired_token_refresh_once() {
    let (emulator, running) = start(emulator()).await;
    let store = Arc::new(MemoryTokenStore::new(Tokens::new(
        running.access_token(),
        FIRST_REFRESH,
    )));
    let client = client(&running, SharedStore(store.clone()));
    client.im_user_get().send().await.unwrap();
    advance(b24_emulator::DEFAULT_TOKEN_LIFETIME).await;

    let calls: Vec<_> = (0..100)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.im_user_get().id(5).send().await })
        })
        .collect();
    for call in calls {
        assert_eq!(call.await.unwrap().unwrap().id, 5);
    }
    assert_eq!(emulator.token_requests(), 1, "one refresh for 100 calls");
    let stored = store.get().unwrap();
    assert_ne!(stored.access_token, running.access_token());
    assert_ne!(stored.refresh_token, FIRST_REFRESH);
    assert!(stored.expires.is_some());
    // Calls that went out with the old token came back once each and went again; those
    // still waiting for the rate limit when the refresh came took the new token.
    let refused = emulator.requests("im.user.get") - 1 - 100;
    assert!((1..=100).contains(&refused), "{refused}");
    assert!(!refresh_works(&running, FIRST_REFRESH).await);
    assert!(refresh_works(&running, &stored.refresh_token).await);
    running.shutdown().await.unwrap();
}

/// A token about to expire (the endpoint said how long it lives) is refreshed before the call,
/// so the portal never answers `expired_token`.
#[tokio::test(start_paused = true)]
async fn a_token_about_to_expire_is_refreshed_before_the_call() {
    let (emulator, running) = start(emulator()).await;
    let store = Arc::new(MemoryTokenStore::new(Tokens::new(
        running.access_token(),
        FIRST_REFRESH,
    )));
    let client = client(&running, SharedStore(store.clone()));
    advance(b24_emulator::DEFAULT_TOKEN_LIFETIME).await;
    // The first call learns the new token's lifetime from the refresh.
    client.im_user_get().send().await.unwrap();
    assert_eq!(
        (emulator.token_requests(), emulator.requests("im.user.get")),
        (1, 2)
    );
    advance(b24_emulator::DEFAULT_TOKEN_LIFETIME - Duration::from_secs(30)).await;
    client.im_user_get().send().await.unwrap();
    assert_eq!(
        (emulator.token_requests(), emulator.requests("im.user.get")),
        (2, 3),
        "refreshed first: no call with an expired token"
    );
    running.shutdown().await.unwrap();
}

/// A refresh token the server refuses is a clear error: authorise the application again.
/// Concurrent calls share the one refusal.
#[tokio::test(start_paused = true)]
async fn invalid_grant_says_to_authorise_again() {
    let (emulator, running) = start(emulator()).await;
    let store = MemoryTokenStore::new(Tokens::new(running.access_token(), "not-a-refresh-token"));
    let client = client(&running, store);
    advance(b24_emulator::DEFAULT_TOKEN_LIFETIME).await;
    let calls: Vec<_> = (0..10)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.im_user_get().send().await })
        })
        .collect();
    for call in calls {
        let e = call.await.unwrap().unwrap_err();
        assert!(
            matches!(&e, Error::Auth(AuthError::Reauthorize { .. })),
            "{e:?}"
        );
        assert!(e.to_string().contains("authorised again"), "{e}");
        assert!(!e.to_string().contains("not-a-refresh-token"), "{e}");
    }
    assert_eq!(emulator.token_requests(), 1);

    // An empty store: the application was never authorised.
    let e = self::client(&running, MemoryTokenStore::default())
        .im_user_get()
        .send()
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Auth(AuthError::NoTokens)), "{e:?}");
    running.shutdown().await.unwrap();
}

/// A store shared with the test, so it can look inside.
struct SharedStore<S>(Arc<S>);

impl<S: TokenStore> TokenStore for SharedStore<S> {
    async fn load(&self) -> Result<Option<Tokens>, TokenStoreError> {
        self.0.load().await
    }
    async fn save(&self, tokens: &Tokens) -> Result<(), TokenStoreError> {
        self.0.save(tokens).await
    }
}

/// A store whose first save fails, as a disk that is full for a moment.
struct FailsOnce {
    inner: Arc<MemoryTokenStore>,
    failed: AtomicBool,
}

impl TokenStore for FailsOnce {
    async fn load(&self) -> Result<Option<Tokens>, TokenStoreError> {
        self.inner.load().await
    }
    async fn save(&self, tokens: &Tokens) -> Result<(), TokenStoreError> {
        if !self.failed.swap(true, Ordering::SeqCst) {
            return Err(TokenStoreError::new("disk full"));
        }
        self.inner.save(tokens).await
    }
}

/// The store fails after the refresh: the call says so, the new pair is not used, and the
/// next call saves it before using it (no second refresh, the rotated token is not lost).
#[tokio::test(start_paused = true)]
async fn a_store_that_fails_after_the_refresh_loses_nothing() {
    let (emulator, running) = start(emulator()).await;
    let inner = Arc::new(MemoryTokenStore::new(Tokens::new(
        running.access_token(),
        FIRST_REFRESH,
    )));
    let client = client(
        &running,
        FailsOnce {
            inner: inner.clone(),
            failed: AtomicBool::new(false),
        },
    );
    advance(b24_emulator::DEFAULT_TOKEN_LIFETIME).await;
    let e = client.im_user_get().send().await.unwrap_err();
    assert!(matches!(&e, Error::Auth(AuthError::Store(_))), "{e:?}");
    assert_eq!(inner.get().unwrap().refresh_token, FIRST_REFRESH);
    assert_eq!(
        emulator.requests("im.user.get"),
        1,
        "the unsaved pair was not used"
    );

    client.im_user_get().send().await.unwrap();
    assert_eq!(emulator.token_requests(), 1, "saved, not refreshed again");
    let stored = inner.get().unwrap();
    assert_ne!(stored.refresh_token, FIRST_REFRESH);
    assert!(refresh_works(&running, &stored.refresh_token).await);
    running.shutdown().await.unwrap();
}

/// A store that saves, then never returns: the process "stops" there (the task is aborted).
struct StopsAfterSaving {
    inner: Arc<MemoryTokenStore>,
    saved: Arc<AtomicUsize>,
    used_at_save: Arc<AtomicUsize>,
    emulator: Emulator,
}

impl TokenStore for StopsAfterSaving {
    async fn load(&self) -> Result<Option<Tokens>, TokenStoreError> {
        self.inner.load().await
    }
    async fn save(&self, tokens: &Tokens) -> Result<(), TokenStoreError> {
        self.inner.save(tokens).await?;
        let calls = self.emulator.requests("im.user.get") as usize;
        self.used_at_save.store(calls, Ordering::SeqCst);
        self.saved.fetch_add(1, Ordering::SeqCst);
        std::future::pending().await
    }
}

/// The process stops between the refresh and the first call with the new pair: a new process
/// starts from the store and goes on with the rotated tokens, no refresh needed.
#[tokio::test(start_paused = true)]
async fn a_crash_between_the_refresh_and_its_first_use_loses_nothing() {
    let (emulator, running) = start(emulator()).await;
    let inner = Arc::new(MemoryTokenStore::new(Tokens::new(
        running.access_token(),
        FIRST_REFRESH,
    )));
    let saved = Arc::new(AtomicUsize::new(0));
    let used_at_save = Arc::new(AtomicUsize::new(0));
    let doomed = client(
        &running,
        StopsAfterSaving {
            inner: inner.clone(),
            saved: saved.clone(),
            used_at_save: used_at_save.clone(),
            emulator: emulator.clone(),
        },
    );
    advance(b24_emulator::DEFAULT_TOKEN_LIFETIME).await;
    let task = tokio::spawn(async move { doomed.im_user_get().send().await });
    while saved.load(Ordering::SeqCst) == 0 {
        tokio::task::yield_now().await;
    }
    task.abort();
    assert!(task.await.unwrap_err().is_cancelled());
    // Only the refused call reached the portal before the save.
    assert_eq!(used_at_save.load(Ordering::SeqCst), 1);
    assert_eq!(emulator.requests("im.user.get"), 1);

    // The next process: a new client on the same store.
    let again = client(&running, SharedStore(inner.clone()));
    assert_eq!(again.im_user_get().id(5).send().await.unwrap().id, 5);
    assert_eq!(emulator.token_requests(), 1);
    assert_eq!(emulator.requests("im.user.get"), 2);
    running.shutdown().await.unwrap();
}

/// The file store, used by a client: the rotated pair is in the file, readable by its owner
/// only, and a new client reads it from there.
#[tokio::test(start_paused = true)]
async fn the_file_store_keeps_the_rotated_tokens_between_runs() {
    let (emulator, running) = start(emulator()).await;
    let dir = std::env::temp_dir().join(format!("b24-runtime-oauth-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("tokens.json");
    let store = FileTokenStore::new(&path);
    store
        .save(&Tokens::new(running.access_token(), FIRST_REFRESH))
        .await
        .unwrap();
    advance(b24_emulator::DEFAULT_TOKEN_LIFETIME).await;
    client(&running, store.clone())
        .im_user_get()
        .send()
        .await
        .unwrap();
    let stored = store.load().await.unwrap().unwrap();
    assert_ne!(stored.refresh_token, FIRST_REFRESH);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // The next run.
    client(&running, FileTokenStore::new(&path))
        .im_user_get()
        .send()
        .await
        .unwrap();
    assert_eq!(emulator.token_requests(), 1);
    let _ = std::fs::remove_dir_all(&dir);
    running.shutdown().await.unwrap();
}
