//! OAuth: the access token a call sends, and its refresh when it expires.
//!
//! Facts: <https://apidocs.bitrix24.com/settings/oauth/auto-renewal.html>. An access token lives
//! an hour; a call with an expired one answers HTTP 401 `expired_token`. The application then
//! asks the authorization server (`GET https://oauth.bitrix.info/oauth/token/` with
//! `grant_type=refresh_token`, `client_id`, `client_secret`, `refresh_token`) for a new pair;
//! the old refresh token stops working. `invalid_grant` means the refresh token is unknown,
//! used or expired (after 180 days): only a new authorisation helps.
//!
//! Any number of calls may find the token expired at once; exactly one refreshes, the others
//! wait for it and send again with the new token. The new pair is saved to the
//! [`TokenStore`](crate::TokenStore) before any call uses it.

use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Deserialize;
use tokio::time::Instant;

use crate::secret::Secret;
use crate::token_store::{DynTokenStore, TokenStoreError, Tokens};

/// The authorization server's token endpoint for cloud portals.
pub const DEFAULT_TOKEN_URL: &str = "https://oauth.bitrix.info/oauth/token/";

/// A token expiring within this is refreshed before a call instead of after its refusal
/// (within half its lifetime, for a token that lives less than two minutes).
const EXPIRY_MARGIN: Duration = Duration::from_secs(60);

/// An OAuth application's credentials, for refreshing its tokens. `Debug` hides the secret.
///
/// ```
/// use b24_client::OAuthApp;
///
/// let app = OAuthApp::new("app.573ad8a0346747.09223434", "client-secret")
///     // The default is the cloud's authorization server; the emulator serves its own.
///     .token_url("http://127.0.0.1:8024/oauth/token/");
/// assert!(!format!("{app:?}").contains("client-secret"));
/// ```
#[derive(Clone)]
pub struct OAuthApp {
    pub(crate) client_id: String,
    pub(crate) client_secret: Secret,
    pub(crate) token_url: String,
}

impl OAuthApp {
    /// The application with this `client_id` and `client_secret`, refreshing at
    /// [`DEFAULT_TOKEN_URL`].
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        Self {
            client_id: client_id.into(),
            client_secret: Secret(client_secret.into()),
            token_url: DEFAULT_TOKEN_URL.to_owned(),
        }
    }

    /// Refreshes at this token endpoint instead (HTTPS, or HTTP on a loopback host).
    #[must_use]
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = url.into();
        self
    }
}

impl fmt::Debug for OAuthApp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthApp")
            .field("client_id", &self.client_id)
            .field("token_url", &self.token_url)
            .finish_non_exhaustive()
    }
}

/// Why a call could not get a usable OAuth token. Messages never contain a token or secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// The authorization server refused the refresh token (`invalid_grant`): it expired
    /// (after 180 days unused), was used already, or the application was removed. Only a new
    /// authorisation of the application by a user gets new tokens.
    #[error(
        "the refresh token was refused (invalid_grant: {description}); the application must be \
         authorised again to get new tokens"
    )]
    Reauthorize {
        /// The server's `error_description`.
        description: String,
    },
    /// The authorization server refused the refresh for another reason (`invalid_client`,
    /// `PAYMENT_REQUIRED`, …).
    #[error("the token refresh was refused: {code}: {description} (HTTP {status})")]
    Refused {
        /// The server's `error`, as sent.
        code: String,
        /// The server's `error_description`.
        description: String,
        /// HTTP status.
        status: u16,
    },
    /// The refresh request got no usable answer (connection, timeout, not a token pair).
    #[error("the token refresh failed: {0}")]
    Refresh(String),
    /// The token store failed. After a refresh, the new tokens are kept in memory and saved
    /// again before the next call uses them.
    #[error("the token store failed: {0}")]
    Store(#[from] TokenStoreError),
    /// The token store holds no tokens: the application has not been authorised yet.
    #[error("the token store holds no tokens; authorise the application first")]
    NoTokens,
}

/// The token calls send, and how to get a new one.
pub(crate) struct Session {
    refresh: Option<Refresher>,
    state: RwLock<State>,
    /// Held while loading, refreshing or saving: one at a time.
    work: tokio::sync::Mutex<Work>,
}

struct Refresher {
    app: OAuthApp,
    store: Arc<dyn DynTokenStore>,
}

/// What calls read.
struct State {
    /// Bumped on every new access token.
    generation: u64,
    access: Option<Secret>,
    /// When to refresh the access token before a call (shortly before it expires), on our
    /// clock, if its expiry is known.
    refresh_at: Option<Instant>,
}

/// What only the one refreshing touches.
#[derive(Default)]
struct Work {
    loaded: bool,
    refresh_token: Option<Secret>,
    /// A pair from the server that the store has not taken yet: saved before it is used.
    unsaved: Option<(Tokens, Option<Instant>)>,
    /// The last refresh failure, for calls that were waiting for that refresh.
    failed: Option<(u64, Instant, AuthError)>,
}

/// The token for one attempt: its generation says which token a refusal was for.
pub(crate) struct Current {
    pub generation: u64,
    pub token: Secret,
}

impl Session {
    /// A fixed token, never refreshed (it can be replaced with `set`).
    pub fn fixed(token: String) -> Self {
        Self {
            refresh: None,
            state: RwLock::new(State {
                generation: 0,
                access: Some(Secret(token)),
                refresh_at: None,
            }),
            work: tokio::sync::Mutex::new(Work {
                loaded: true,
                ..Work::default()
            }),
        }
    }

    /// Tokens from `store`, refreshed as `app`.
    pub fn refreshing(app: OAuthApp, store: Arc<dyn DynTokenStore>) -> Self {
        Self {
            refresh: Some(Refresher { app, store }),
            state: RwLock::new(State {
                generation: 0,
                access: None,
                refresh_at: None,
            }),
            work: tokio::sync::Mutex::default(),
        }
    }

    /// Whether an expired token can be refreshed.
    pub fn can_refresh(&self) -> bool {
        self.refresh.is_some()
    }

    /// Replaces the access token by hand.
    pub fn set(&self, token: String) {
        let mut state = self.write();
        state.generation += 1;
        state.access = Some(Secret(token));
        state.refresh_at = None;
    }

    /// The access token as it is now, for redaction and `Debug`.
    pub fn peek(&self) -> Option<Secret> {
        self.read().access.clone()
    }

    /// The token to send now: loaded from the store on first use, saved if a refresh is not
    /// saved yet, refreshed first if it expires within a minute.
    pub async fn current(&self, http: &reqwest::Client) -> Result<Current, AuthError> {
        {
            let state = self.read();
            let fresh = state.refresh_at.is_none_or(|at| at > Instant::now());
            if let (Some(token), true) = (&state.access, fresh) {
                return Ok(Current {
                    generation: state.generation,
                    token: token.clone(),
                });
            }
        }
        let Some(refresher) = &self.refresh else {
            // A fixed token that expires soon is still sent; the portal decides.
            let state = self.read();
            let token = state.access.clone().ok_or(AuthError::NoTokens)?;
            return Ok(Current {
                generation: state.generation,
                token,
            });
        };
        let asked = Instant::now();
        let mut work = self.work.lock().await;
        self.settle(refresher, &mut work).await?;
        let (generation, expiring) = {
            let state = self.read();
            let expiring = state.refresh_at.is_some_and(|at| at <= Instant::now());
            (state.generation, expiring)
        };
        if expiring {
            tracing::info!("the OAuth access token expires within a minute; refreshing it");
            self.refresh_locked(refresher, &mut work, generation, asked, http)
                .await?;
        }
        let state = self.read();
        let token = state.access.clone().ok_or(AuthError::NoTokens)?;
        Ok(Current {
            generation: state.generation,
            token,
        })
    }

    /// The portal refused generation `used` as expired: refreshes it unless another call did
    /// already, or waits for the one refreshing.
    pub async fn refresh_after(&self, used: u64, http: &reqwest::Client) -> Result<(), AuthError> {
        let Some(refresher) = &self.refresh else {
            return Ok(());
        };
        let asked = Instant::now();
        let mut work = self.work.lock().await;
        self.settle(refresher, &mut work).await?;
        self.refresh_locked(refresher, &mut work, used, asked, http)
            .await
    }

    /// Loads the tokens on first use, and saves a refreshed pair the store has not taken.
    async fn settle(&self, refresher: &Refresher, work: &mut Work) -> Result<(), AuthError> {
        if !work.loaded {
            let tokens = refresher
                .store
                .dyn_load()
                .await?
                .ok_or(AuthError::NoTokens)?;
            let refresh_at = tokens
                .expires
                .map(|at| before(local_instant(at), EXPIRY_MARGIN));
            work.refresh_token = Some(Secret(tokens.refresh_token));
            work.loaded = true;
            self.install(tokens.access_token, refresh_at);
        }
        if let Some((tokens, refresh_at)) = work.unsaved.take() {
            if let Err(e) = refresher.store.dyn_save(&tokens).await {
                tracing::warn!(error = %e, "the refreshed OAuth tokens are not saved yet");
                work.unsaved = Some((tokens, refresh_at));
                return Err(e.into());
            }
            tracing::info!("refreshed OAuth tokens saved");
            work.refresh_token = Some(Secret(tokens.refresh_token));
            self.install(tokens.access_token, refresh_at);
        }
        Ok(())
    }

    /// Refreshes unless generation `used` is no longer current; a failure of a refresh that
    /// ended after `asked` is that call's failure too.
    async fn refresh_locked(
        &self,
        refresher: &Refresher,
        work: &mut Work,
        used: u64,
        asked: Instant,
        http: &reqwest::Client,
    ) -> Result<(), AuthError> {
        if self.read().generation != used {
            return Ok(());
        }
        if let Some((generation, at, e)) = &work.failed
            && *generation == used
            && *at >= asked
        {
            return Err(e.clone());
        }
        let refresh_token = work.refresh_token.clone().ok_or(AuthError::NoTokens)?;
        tracing::info!(token_url = %refresher.app.token_url_for_logs(), "refreshing the OAuth access token");
        let tokens = match request(http, &refresher.app, &refresh_token).await {
            Ok(tokens) => tokens,
            Err(e) => {
                tracing::warn!(error = %e, "the OAuth token refresh failed");
                work.failed = Some((used, Instant::now(), e.clone()));
                return Err(e);
            }
        };
        let refresh_at = match tokens.1 {
            Some(lifetime) => Some(Instant::now() + lifetime - EXPIRY_MARGIN.min(lifetime / 2)),
            None => tokens
                .0
                .expires
                .map(|at| before(local_instant(at), EXPIRY_MARGIN)),
        };
        // Saved before use: `settle` saves it, and keeps it for the next call if it cannot.
        work.unsaved = Some((tokens.0, refresh_at));
        self.settle(refresher, work).await
    }

    fn install(&self, access: String, refresh_at: Option<Instant>) {
        let mut state = self.write();
        state.generation += 1;
        state.access = Some(Secret(access));
        state.refresh_at = refresh_at;
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, State> {
        self.state.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, State> {
        self.state.write().unwrap_or_else(|e| e.into_inner())
    }
}

impl OAuthApp {
    /// The token URL without query or credentials, for logs.
    fn token_url_for_logs(&self) -> String {
        reqwest::Url::parse(&self.token_url).map_or_else(
            |_| "(unparsable)".to_owned(),
            |u| {
                format!(
                    "{}://{}{}",
                    u.scheme(),
                    u.host_str().unwrap_or(""),
                    u.path()
                )
            },
        )
    }
}

/// The token endpoint's answer.
#[derive(Deserialize)]
struct Answer {
    #[serde(default)]
    access_token: Option<String>,
    #[serde(default)]
    refresh_token: Option<String>,
    #[serde(default)]
    expires: Option<serde_json::Value>,
    #[serde(default)]
    expires_in: Option<serde_json::Value>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    error_description: Option<String>,
}

/// Asks the token endpoint for a new pair; also returns the access token's lifetime.
async fn request(
    http: &reqwest::Client,
    app: &OAuthApp,
    refresh_token: &Secret,
) -> Result<(Tokens, Option<Duration>), AuthError> {
    // The documented request is a GET with the parameters in the query string. The URL is
    // never logged, and errors drop it (`without_url`).
    let url = reqwest::Url::parse_with_params(
        &app.token_url,
        [
            ("grant_type", "refresh_token"),
            ("client_id", app.client_id.as_str()),
            ("client_secret", app.client_secret.0.as_str()),
            ("refresh_token", refresh_token.0.as_str()),
        ],
    )
    .map_err(|_| AuthError::Refresh("the token URL is not a URL".into()))?;
    let response = http
        .get(url)
        .header(reqwest::header::USER_AGENT, crate::client::USER_AGENT)
        .header(reqwest::header::ACCEPT, "application/json")
        .send()
        .await
        .map_err(|e| AuthError::Refresh(e.without_url().to_string()))?;
    let status = response.status().as_u16();
    let body = response
        .bytes()
        .await
        .map_err(|e| AuthError::Refresh(e.without_url().to_string()))?;
    let redact = |text: &str| app.client_secret.redact(&refresh_token.redact(text));
    let answer: Answer = serde_json::from_slice(&body).map_err(|_| {
        let text = redact(&String::from_utf8_lossy(&body));
        let snippet: String = text.chars().take(200).collect();
        AuthError::Refresh(format!(
            "HTTP {status}, not a JSON token answer; body starts with {snippet:?}"
        ))
    })?;
    match answer {
        Answer {
            error: Some(code), ..
        } => {
            let description = redact(&answer.error_description.unwrap_or_default());
            Err(if code == "invalid_grant" {
                AuthError::Reauthorize { description }
            } else {
                AuthError::Refused {
                    code,
                    description,
                    status,
                }
            })
        }
        Answer {
            access_token: Some(access),
            refresh_token: Some(refresh),
            ..
        } if !access.is_empty() && !refresh.is_empty() => {
            let seconds = |v: &Option<serde_json::Value>| match v {
                Some(serde_json::Value::Number(n)) => n.as_u64(),
                Some(serde_json::Value::String(s)) => s.parse().ok(),
                _ => None,
            };
            let lifetime = seconds(&answer.expires_in).map(Duration::from_secs);
            let expires = seconds(&answer.expires).or_else(|| {
                let now = SystemTime::now().duration_since(UNIX_EPOCH).ok()?;
                Some(now.as_secs() + lifetime?.as_secs())
            });
            Ok((
                Tokens {
                    access_token: access,
                    refresh_token: refresh,
                    expires,
                },
                lifetime,
            ))
        }
        _ => Err(AuthError::Refresh(format!(
            "HTTP {status}: the answer has no access_token and refresh_token"
        ))),
    }
}

/// `margin` before `at`, or now if that is earlier.
fn before(at: Instant, margin: Duration) -> Instant {
    at.checked_sub(margin)
        .map_or_else(Instant::now, |t| t.max(Instant::now()))
}

/// The instant on our clock of Unix time `expires`.
fn local_instant(expires: u64) -> Instant {
    let now = SystemTime::now();
    let at = UNIX_EPOCH + Duration::from_secs(expires);
    match at.duration_since(now) {
        Ok(ahead) => Instant::now() + ahead,
        Err(_) => Instant::now(),
    }
}
