//! The client: a portal, its credentials, and the runtime every call goes through (rate
//! limit, operating time, retries, OAuth refresh); see `call.rs` for the call path itself.

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Map, Value};

use crate::envelope::{Adapter, OutputOf, decode_with};
use crate::error::{AnyErrorCode, Error};
use crate::limiter::{DynLimiter, LocalLimiter, Plan, RateLimiter};
use crate::method::Method;
use crate::oauth::{OAuthApp, Session};
use crate::operating::{DEFAULT_OPERATING_LIMIT, OperatingTime};
use crate::response::Response;
use crate::retry::RetryPolicy;
use crate::secret::Secret;
use crate::token_store::{DynTokenStore, TokenStore};
use crate::wire::Plain;

/// `User-Agent` of every request.
pub(crate) const USER_AGENT: &str = concat!("b24-client/", env!("CARGO_PKG_VERSION"));

/// Default time allowed to open a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time allowed for one HTTP request, answer included. The cloud portal interrupts a
/// request after 60 seconds (<https://apidocs.bitrix24.com/limits.html>).
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(75);

/// A connection to one Bitrix24 portal, authenticated by an incoming webhook or an OAuth
/// access token. Cloning is cheap; clones share the connection pool, the token, the rate
/// limiter and the operating-time accounting.
///
/// Every call waits for a slot in the portal's rate limit, holds a method back while the
/// portal would refuse it for operating time, retries what is safe to retry, and refreshes an
/// expired OAuth token when the client can (see the repository's `docs/runtime.md`).
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let client = b24_client::Client::webhook("https://example.bitrix24.com/rest/1/abcdef123456/")?;
/// let me = client.im_user_get().send().await?;
/// println!("{} ({})", me.name, me.id);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
    pub(crate) http: reqwest::Client,
    pub(crate) retry: RetryPolicy,
}

/// What clones share.
pub(crate) struct Inner {
    /// Everything before `/rest/`, without a trailing slash: `https://example.bitrix24.com`.
    pub portal: String,
    pub auth: Auth,
    pub limiter: Option<Arc<dyn DynLimiter>>,
    pub operating: OperatingTime,
    pub operating_limit: Option<Duration>,
    pub request_timeout: Option<Duration>,
}

pub(crate) enum Auth {
    Webhook { user_id: u64, code: Secret },
    // Boxed: a webhook client does not carry an OAuth session's room.
    OAuth(Box<Session>),
}

/// A client could not be configured. The message never repeats the webhook code or token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The webhook URL is not `https://PORTAL/rest/USER_ID/CODE/`.
    #[error("invalid webhook URL: {0}; expected https://PORTAL/rest/USER_ID/CODE/")]
    WebhookUrl(&'static str),
    /// The portal address is not an `http(s)://HOST[:PORT]` URL.
    #[error("invalid portal address: {0}; expected https://PORTAL")]
    PortalUrl(&'static str),
    /// A URL uses plain HTTP for a host that is not loopback: the webhook code or token
    /// would cross the network unencrypted.
    #[error(
        "plain http:// would send credentials unencrypted to {host}; use https:// (http is \
         accepted only for loopback hosts such as a local emulator)"
    )]
    Insecure {
        /// The host named.
        host: String,
    },
    /// The OAuth token endpoint is not a usable URL.
    #[error("invalid OAuth token URL: {0}")]
    TokenUrl(&'static str),
    /// The access token is empty.
    #[error("the OAuth access token is empty")]
    EmptyToken,
    /// No credentials were given to the builder.
    #[error("no credentials: call webhook(), oauth() or oauth_app() on the builder")]
    NoCredentials,
    /// The HTTP client could not be built.
    #[error("cannot build the HTTP client: {0}")]
    Http(String),
}

/// Configures a [`Client`]: credentials, the portal's plan, retries, timeouts, a shared
/// connection pool. Every setting but the credentials has a default.
///
/// ```no_run
/// use std::time::Duration;
/// use b24_client::{Client, FileTokenStore, OAuthApp, Plan, RetryPolicy};
///
/// # fn run() -> Result<(), b24_client::ConfigError> {
/// let client = Client::builder()
///     .oauth_app(
///         "https://example.bitrix24.com",
///         OAuthApp::new("app.573ad8a0346747.09223434", "client-secret"),
///         FileTokenStore::new("tokens.json"),
///     )
///     .plan(Plan::Enterprise)
///     .retry(RetryPolicy::default().deadline(Duration::from_secs(60)))
///     .build()?;
/// # Ok(()) }
/// ```
#[must_use]
pub struct ClientBuilder {
    credentials: Option<Result<Credentials, ConfigError>>,
    http: Option<reqwest::Client>,
    plan: Plan,
    limiter: Option<Arc<dyn DynLimiter>>,
    retry: RetryPolicy,
    operating_limit: Option<Duration>,
    connect_timeout: Option<Duration>,
    request_timeout: Option<Duration>,
}

enum Credentials {
    Webhook {
        portal: String,
        user_id: u64,
        code: String,
    },
    OAuth {
        portal: String,
        token: String,
    },
    App {
        portal: String,
        app: OAuthApp,
        store: Arc<dyn DynTokenStore>,
    },
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            credentials: None,
            http: None,
            plan: Plan::Standard,
            limiter: None,
            retry: RetryPolicy::default(),
            operating_limit: Some(DEFAULT_OPERATING_LIMIT),
            connect_timeout: Some(DEFAULT_CONNECT_TIMEOUT),
            request_timeout: Some(DEFAULT_REQUEST_TIMEOUT),
        }
    }
}

impl ClientBuilder {
    /// Authenticates with an incoming webhook, `https://PORTAL/rest/USER_ID/CODE/`.
    pub fn webhook(mut self, url: &str) -> Self {
        self.credentials = Some(parse_webhook(url));
        self
    }

    /// Authenticates with an OAuth access token, sent in the body's `auth` field (never in
    /// the URL). It is not refreshed: use [`oauth_app`](Self::oauth_app) for that.
    pub fn oauth(mut self, portal: &str, access_token: impl Into<String>) -> Self {
        let token = access_token.into();
        self.credentials = Some(parse_portal(portal).and_then(|portal| {
            if token.is_empty() {
                Err(ConfigError::EmptyToken)
            } else {
                Ok(Credentials::OAuth { portal, token })
            }
        }));
        self
    }

    /// Authenticates as an OAuth application whose tokens are in `store`: loaded before the
    /// first call, refreshed (once, whatever the number of calls waiting) when the portal
    /// says `expired_token` or the token expires within a minute, and each new pair saved to
    /// `store` before it is used.
    pub fn oauth_app(mut self, portal: &str, app: OAuthApp, store: impl TokenStore) -> Self {
        let store: Arc<dyn DynTokenStore> = Arc::new(store);
        self.credentials = Some(parse_portal(portal).and_then(|portal| {
            check_token_url(&app.token_url)?;
            Ok(Credentials::App { portal, app, store })
        }));
        self
    }

    /// The portal's plan, which sets the rate limit calls wait for (default
    /// [`Plan::Standard`]: 50 at once, then 2 a second). [`Plan::Unlimited`] turns it off.
    pub fn plan(mut self, plan: Plan) -> Self {
        self.plan = plan;
        self
    }

    /// Keeps the portal's request budget in `limiter` instead of a [`LocalLimiter`] for the
    /// plan: to share one budget between clients, or between processes.
    pub fn limiter(mut self, limiter: Arc<impl RateLimiter>) -> Self {
        self.limiter = Some(limiter);
        self
    }

    /// How calls are retried (default [`RetryPolicy::default`]).
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The operating-time limit per method and 10 minutes: a method whose last answer showed
    /// more is held back until its oldest basket resets (default 480 s, the docs' example;
    /// `None` sends it anyway and lets the portal refuse).
    pub fn operating_limit(mut self, limit: Option<Duration>) -> Self {
        self.operating_limit = limit;
        self
    }

    /// Time allowed to open a connection (default 10 s; `None` for no limit). Ignored with
    /// [`http_client`](Self::http_client): that client's own setting applies.
    pub fn connect_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Time allowed for one HTTP request, answer included (default 75 s; `None` for no
    /// limit). A call may make several requests; its overall bound is the retry deadline.
    pub fn request_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// Sends through this `reqwest` client (proxies, TLS settings, a connection pool shared
    /// by many portals' clients). Redirects should stay off, as in the client built by
    /// default: following one would send the credentials elsewhere.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// The client.
    pub fn build(self) -> Result<Client, ConfigError> {
        let credentials = self
            .credentials
            .unwrap_or(Err(ConfigError::NoCredentials))?;
        let http = match self.http {
            Some(http) => http,
            None => default_http(self.connect_timeout)?,
        };
        let limiter = match self.limiter {
            Some(limiter) => Some(limiter),
            None => LocalLimiter::new(self.plan).map(|l| Arc::new(l) as Arc<dyn DynLimiter>),
        };
        let (portal, auth) = match credentials {
            Credentials::Webhook {
                portal,
                user_id,
                code,
            } => (
                portal,
                Auth::Webhook {
                    user_id,
                    code: Secret(code),
                },
            ),
            Credentials::OAuth { portal, token } => {
                (portal, Auth::OAuth(Box::new(Session::fixed(token))))
            }
            Credentials::App { portal, app, store } => (
                portal,
                Auth::OAuth(Box::new(Session::refreshing(app, store))),
            ),
        };
        Ok(Client {
            inner: Arc::new(Inner {
                portal,
                auth,
                limiter,
                operating: OperatingTime::default(),
                operating_limit: self.operating_limit,
                request_timeout: self.request_timeout,
            }),
            http,
            retry: self.retry,
        })
    }
}

/// The `reqwest` client a [`Client`] builds for itself.
fn default_http(connect_timeout: Option<Duration>) -> Result<reqwest::Client, ConfigError> {
    let mut builder = reqwest::Client::builder()
        .user_agent(USER_AGENT)
        // A redirect would re-send the webhook code or token (path, body, Referer) to
        // wherever it points, and turn a POST into a parameterless GET; see `Error::Moved`.
        .redirect(reqwest::redirect::Policy::none())
        .referer(false);
    if let Some(timeout) = connect_timeout {
        builder = builder.connect_timeout(timeout);
    }
    builder
        .build()
        .map_err(|e| ConfigError::Http(e.without_url().to_string()))
}

impl Client {
    /// A client for an incoming webhook URL, `https://PORTAL/rest/USER_ID/CODE/`, with the
    /// default runtime settings (see [`ClientBuilder`]).
    pub fn webhook(url: &str) -> Result<Self, ConfigError> {
        Self::builder().webhook(url).build()
    }

    /// A client for an OAuth access token: `portal` is `https://PORTAL`, and the token goes in
    /// the request body's `auth` field, never in the URL. The token is not refreshed; see
    /// [`ClientBuilder::oauth_app`].
    pub fn oauth(portal: &str, access_token: impl Into<String>) -> Result<Self, ConfigError> {
        Self::builder().oauth(portal, access_token).build()
    }

    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// Uses this `reqwest` client (proxies, TLS settings, a shared pool) for this client's
    /// calls; the rest (limiter, tokens) stays shared with its clones.
    #[must_use]
    pub fn with_http_client(mut self, http: reqwest::Client) -> Self {
        self.http = http;
        self
    }

    /// This client with another retry policy, for the calls made through it: limiter, tokens
    /// and connections stay shared.
    ///
    /// ```no_run
    /// # async fn run(client: b24_client::Client) -> Result<(), b24_client::Error<b24_client::im_user_get::ImUserGetError>> {
    /// use b24_client::RetryPolicy;
    ///
    /// // This one call fails fast instead of retrying.
    /// let user = client.with_retry(RetryPolicy::never()).im_user_get().id(5).send().await?;
    /// # Ok(()) }
    /// ```
    #[must_use]
    pub fn with_retry(&self, retry: RetryPolicy) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
            http: self.http.clone(),
            retry,
        }
    }

    /// The retry policy of calls made through this client.
    pub fn retry_policy(&self) -> RetryPolicy {
        self.retry
    }

    /// Replaces the OAuth access token by hand. Has no effect on webhook clients.
    pub fn set_access_token(&self, token: impl Into<String>) -> Result<(), ConfigError> {
        let token = token.into();
        if token.is_empty() {
            return Err(ConfigError::EmptyToken);
        }
        if let Auth::OAuth(session) = &self.inner.auth {
            session.set(token);
        }
        Ok(())
    }

    /// The portal address, `https://example.bitrix24.com` (no credentials in it).
    pub fn portal(&self) -> &str {
        &self.inner.portal
    }

    /// Calls a method and returns its decoded `result`.
    pub async fn call<M: Method>(&self, method: &M) -> Result<M::Output, Error<M::Error>> {
        self.call_full(method).await.map(|r| r.result)
    }

    /// Calls a method and returns the whole response (`result`, `time`, `total`, `next`).
    pub async fn call_full<M: Method>(
        &self,
        method: &M,
    ) -> Result<Response<M::Output>, Error<M::Error>> {
        // Before anything else, so a request the portal would refuse costs no slot of the
        // rate limit and no token refresh.
        method.check().map_err(|problem| Error::InvalidRequest {
            method: M::NAME,
            problem,
        })?;
        self.execute(
            M::NAME,
            M::READ_ONLY,
            method.params(),
            |status, body, secret| decode_with(OutputOf(method), M::NAME, status, body, secret),
        )
        .await
    }

    /// Calls any method by name with JSON parameters, for methods without a spec. Without a
    /// spec nothing says the method only reads, so it is treated as a write: never sent again
    /// after the portal may have run it. Use [`call_raw_read_only`](Self::call_raw_read_only)
    /// for a method you know only reads.
    pub async fn call_raw(
        &self,
        method: &str,
        params: Map<String, Value>,
    ) -> Result<Response<Value>, Error<AnyErrorCode>> {
        self.raw(method, false, params).await
    }

    /// Like [`call_raw`](Self::call_raw), for a method that only reads: failures after which
    /// the portal may have run it (a 5xx, a cut-off answer, a timeout) are retried too.
    pub async fn call_raw_read_only(
        &self,
        method: &str,
        params: Map<String, Value>,
    ) -> Result<Response<Value>, Error<AnyErrorCode>> {
        self.raw(method, true, params).await
    }

    async fn raw(
        &self,
        method: &str,
        read_only: bool,
        params: Map<String, Value>,
    ) -> Result<Response<Value>, Error<AnyErrorCode>> {
        let adapter = Adapter::<Plain<Value>>(std::marker::PhantomData);
        self.execute(method, read_only, params, |status, body, secret| {
            decode_with(adapter, "(raw call)", status, body, secret)
        })
        .await
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Client");
        d.field("portal", &self.inner.portal);
        match &self.inner.auth {
            Auth::Webhook { user_id, code } => d
                .field("webhook_user_id", user_id)
                .field("webhook_code", code),
            Auth::OAuth(session) => d
                .field("access_token", &session.peek())
                .field("refreshes", &session.can_refresh()),
        };
        d.field("retry", &self.retry).finish_non_exhaustive()
    }
}

fn parse_webhook(url: &str) -> Result<Credentials, ConfigError> {
    let (portal, rest) = split_portal(url, ConfigError::WebhookUrl)?;
    let mut parts = rest.trim_end_matches('/').split('/');
    let (Some("rest"), Some(user), Some(code), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(ConfigError::WebhookUrl(
            "the path is not /rest/USER_ID/CODE/",
        ));
    };
    let user_id = user
        .parse()
        .map_err(|_| ConfigError::WebhookUrl("USER_ID is not a number"))?;
    if code.is_empty() || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(ConfigError::WebhookUrl("CODE must be letters and digits"));
    }
    Ok(Credentials::Webhook {
        portal,
        user_id,
        code: code.to_owned(),
    })
}

fn parse_portal(portal: &str) -> Result<String, ConfigError> {
    let (portal, rest) = split_portal(portal, ConfigError::PortalUrl)?;
    if !rest.trim_matches('/').is_empty() && rest.trim_matches('/') != "rest" {
        return Err(ConfigError::PortalUrl(
            "give only the portal address, without a path",
        ));
    }
    Ok(portal)
}

fn check_token_url(url: &str) -> Result<(), ConfigError> {
    let parsed = reqwest::Url::parse(url).map_err(|_| ConfigError::TokenUrl("not a URL"))?;
    if !matches!(parsed.scheme(), "https" | "http") {
        return Err(ConfigError::TokenUrl("the scheme must be https"));
    }
    let host = parsed
        .host_str()
        .ok_or(ConfigError::TokenUrl("the host is missing"))?;
    if parsed.scheme() == "http" && !is_loopback(host) {
        return Err(ConfigError::Insecure {
            host: host.to_owned(),
        });
    }
    Ok(())
}

/// Whether `host` names this machine: `localhost`, `127.0.0.0/8` or `::1`.
fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Splits `scheme://host[:port]` from the path, checking the scheme: HTTPS, or HTTP for a
/// loopback host only.
fn split_portal(
    url: &str,
    err: fn(&'static str) -> ConfigError,
) -> Result<(String, String), ConfigError> {
    let url = url.trim();
    if !url.starts_with("https://") && !url.starts_with("http://") {
        return Err(err(
            "the scheme must be https (or http for a local emulator)",
        ));
    }
    // A real URL parser, so the host we show is the host requests go to (`\` and the like).
    let parsed = reqwest::Url::parse(url).map_err(|_| err("it is not a valid URL"))?;
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(err("it must not have a query or fragment"));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(err("the host is missing or has user info"));
    }
    let Some(host) = parsed.host_str().filter(|h| !h.is_empty()) else {
        return Err(err("the host is missing or has user info"));
    };
    if parsed.scheme() == "http" && !is_loopback(host) {
        return Err(ConfigError::Insecure {
            host: host.to_owned(),
        });
    }
    let portal = match parsed.port() {
        Some(port) => format!("{}://{host}:{port}", parsed.scheme()),
        None => format!("{}://{host}", parsed.scheme()),
    };
    Ok((portal, parsed.path().trim_start_matches('/').to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webhook_urls_are_parsed_and_secrets_hidden() {
        let c = Client::webhook("https://example.bitrix24.com/rest/1/abc123secret/").unwrap();
        assert_eq!(c.portal(), "https://example.bitrix24.com");
        let debug = format!("{c:?}");
        assert!(!debug.contains("abc123secret"), "{debug}");
        assert!(debug.contains("webhook_user_id: 1"), "{debug}");
        assert!(Client::webhook("https://example.bitrix24.com/rest/1/abc123secret").is_ok());
    }

    #[test]
    fn bad_webhook_urls_are_typed_errors_without_the_code() {
        for url in [
            "example.bitrix24.com/rest/1/abc123secret/",
            "ftp://example.bitrix24.com/rest/1/abc123secret/",
            "https://example.bitrix24.com/rest/x/abc123secret/",
            "https://example.bitrix24.com/api/1/abc123secret/",
            "https://example.bitrix24.com/rest/1/abc123secret/im.user.get",
            "https://example.bitrix24.com/rest/1/abc-123secret/",
        ] {
            let e = Client::webhook(url).unwrap_err();
            assert!(matches!(e, ConfigError::WebhookUrl(_)), "{url}: {e:?}");
            assert!(!e.to_string().contains("secret"), "{e}");
        }
    }

    #[test]
    fn plain_http_is_only_for_loopback_hosts() {
        for url in [
            "http://127.0.0.1:8024/rest/1/abc123secret/",
            "http://127.8.9.1/rest/1/abc123secret/",
            "http://localhost:8024/rest/1/abc123secret/",
            "http://[::1]:8024/rest/1/abc123secret/",
        ] {
            assert!(Client::webhook(url).is_ok(), "{url}");
        }
        for url in [
            "http://example.bitrix24.com/rest/1/abc123secret/",
            "http://10.0.0.5/rest/1/abc123secret/",
            "http://localhost.example.com/rest/1/abc123secret/",
        ] {
            let e = Client::webhook(url).unwrap_err();
            assert!(matches!(e, ConfigError::Insecure { .. }), "{url}: {e:?}");
            assert!(e.to_string().contains("https://"), "{e}");
            assert!(!e.to_string().contains("abc123secret"), "{e}");
        }
        let e = Client::oauth("http://example.bitrix24.com", "token").unwrap_err();
        assert!(matches!(e, ConfigError::Insecure { .. }), "{e:?}");
        let app = OAuthApp::new("id", "secret").token_url("http://oauth.example.com/oauth/token/");
        let e = Client::builder()
            .oauth_app(
                "https://example.bitrix24.com",
                app,
                crate::MemoryTokenStore::default(),
            )
            .build()
            .unwrap_err();
        assert!(matches!(e, ConfigError::Insecure { .. }), "{e:?}");
    }

    #[test]
    fn oauth_clients_hide_the_token() {
        let c = Client::oauth("https://example.bitrix24.com", "tok-very-secret").unwrap();
        assert!(!format!("{c:?}").contains("very-secret"));
        c.set_access_token("tok-new-secret").unwrap();
        assert_eq!(c.set_access_token(""), Err(ConfigError::EmptyToken));
        assert!(!format!("{c:?}").contains("new-secret"));
        assert_eq!(
            Client::oauth("https://example.bitrix24.com", "").unwrap_err(),
            ConfigError::EmptyToken
        );
        assert_eq!(
            Client::builder().build().unwrap_err(),
            ConfigError::NoCredentials
        );
    }

    #[test]
    fn a_per_call_policy_shares_everything_else() {
        let c = Client::webhook("https://example.bitrix24.com/rest/1/abc123secret/").unwrap();
        let once = c.with_retry(RetryPolicy::never());
        assert_eq!(once.retry_policy().attempts(), 1);
        assert_eq!(c.retry_policy(), RetryPolicy::default());
        assert!(Arc::ptr_eq(&c.inner, &once.inner));
    }
}
