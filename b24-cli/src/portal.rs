//! Which portal a method call goes to: the one in `B24_WEBHOOK_URL`, the one in `B24_PORTAL`
//! with the OAuth token in `B24_ACCESS_TOKEN` (refreshed when the application's credentials
//! and a token file are given), or an emulator started in this process for the duration of the
//! call. Calls go through the client's runtime: the plan's rate limit (`B24_PLAN`), retries
//! (`B24_ATTEMPTS`), OAuth refresh.

use std::ffi::OsString;
use std::path::PathBuf;

use b24_client::{
    Client, ClientBuilder, FileTokenStore, OAuthApp, Plan, RetryPolicy, TokenStore, Tokens,
};
use b24_emulator::{Emulator, RunningEmulator};
use b24_spec::Spec;

use crate::exit::Failure;

/// The environment variable with the incoming webhook URL.
pub const WEBHOOK_ENV: &str = "B24_WEBHOOK_URL";
/// The environment variable with the portal address of an OAuth application.
pub const PORTAL_ENV: &str = "B24_PORTAL";
/// The environment variable with the OAuth access token.
pub const TOKEN_ENV: &str = "B24_ACCESS_TOKEN";
/// The OAuth refresh token, exchanged for a new pair when the access token expires.
pub const REFRESH_ENV: &str = "B24_REFRESH_TOKEN";
/// The OAuth application's `client_id`.
pub const CLIENT_ID_ENV: &str = "B24_CLIENT_ID";
/// The OAuth application's `client_secret`.
pub const CLIENT_SECRET_ENV: &str = "B24_CLIENT_SECRET";
/// The file that keeps the tokens between runs (each refresh rotates the refresh token).
pub const TOKEN_FILE_ENV: &str = "B24_TOKEN_FILE";
/// The authorization server's token endpoint, when it is not the cloud's.
pub const TOKEN_URL_ENV: &str = "B24_OAUTH_TOKEN_URL";
/// The portal's plan, for the rate limit: `standard`, `enterprise`, `unlimited` or `N/BURST`.
pub const PLAN_ENV: &str = "B24_PLAN";
/// How many requests one call may make (1: no retries).
pub const ATTEMPTS_ENV: &str = "B24_ATTEMPTS";

/// The environment section of `b24 --help`.
pub const HELP: &str = "\
Environment:
  B24_WEBHOOK_URL      an incoming webhook, https://PORTAL/rest/USER_ID/CODE/
  B24_PORTAL           an OAuth application's portal, https://PORTAL, with:
  B24_ACCESS_TOKEN       its access token, or, to refresh tokens when they expire:
  B24_CLIENT_ID,         the application's credentials,
  B24_CLIENT_SECRET,
  B24_TOKEN_FILE         a file that keeps the tokens between runs (created, owner-only),
  B24_REFRESH_TOKEN      the first refresh token, when the file has none yet
  B24_OAUTH_TOKEN_URL  the token endpoint, when it is not https://oauth.bitrix.info/oauth/token/
  B24_PLAN             the portal's plan for the rate limit calls wait for: standard
                       (default: 50 at once, then 2 a second), enterprise, unlimited or N/BURST
  B24_ATTEMPTS         requests one call may make (default 5; 1 turns retries off)
  B24_LOG              log filter, such as B24_LOG=b24_client=debug (waits and retries)";

/// A client and, when the built-in emulator serves the call, the emulator behind it.
pub struct Portal {
    pub client: Client,
    emulator: Option<RunningEmulator>,
}

/// Where the environment says calls go. Never printed: it holds the credential.
enum Credentials {
    Webhook(String),
    OAuth {
        portal: String,
        token: String,
    },
    /// An OAuth application whose tokens are refreshed and kept in a file.
    App {
        portal: String,
        app: OAuthApp,
        file: PathBuf,
        /// Tokens from the environment, for a file that has none yet.
        first: Option<Tokens>,
    },
    Emulator,
}

/// The runtime settings from the environment.
struct Runtime {
    plan: Plan,
    retry: RetryPolicy,
}

/// Reads one variable with `var`; empty counts as unset.
fn text(var: &impl Fn(&str) -> Option<OsString>, name: &str) -> Result<Option<String>, Failure> {
    match var(name) {
        Some(v) if !v.is_empty() => v
            .into_string()
            .map(Some)
            .map_err(|_| Failure::usage(format!("{name} is not valid UTF-8"))),
        _ => Ok(None),
    }
}

/// Reads the credentials with `var` (the environment, or a map in tests). Empty variables
/// count as unset. Errors are usage errors and never contain a credential.
fn credentials(var: impl Fn(&str) -> Option<OsString>) -> Result<Credentials, Failure> {
    if let Some(url) = text(&var, WEBHOOK_ENV)? {
        return Ok(Credentials::Webhook(url));
    }
    let (client_id, secret, file, refresh) = (
        text(&var, CLIENT_ID_ENV)?,
        text(&var, CLIENT_SECRET_ENV)?,
        text(&var, TOKEN_FILE_ENV)?,
        text(&var, REFRESH_ENV)?,
    );
    let refreshing = client_id.is_some() || secret.is_some() || file.is_some() || refresh.is_some();
    match (text(&var, PORTAL_ENV)?, text(&var, TOKEN_ENV)?) {
        (Some(portal), token) if refreshing => {
            let missing: Vec<&str> = [
                (CLIENT_ID_ENV, client_id.is_none()),
                (CLIENT_SECRET_ENV, secret.is_none()),
                (TOKEN_FILE_ENV, file.is_none()),
            ]
            .into_iter()
            .filter_map(|(name, missing)| missing.then_some(name))
            .collect();
            let (Some(client_id), Some(secret), Some(file)) = (client_id, secret, file) else {
                return Err(Failure::usage(format!(
                    "refreshing OAuth tokens needs {CLIENT_ID_ENV}, {CLIENT_SECRET_ENV} and                      {TOKEN_FILE_ENV} (the refresh token changes on every refresh, and the file                      keeps it for the next run); missing: {}",
                    missing.join(", ")
                )));
            };
            let mut app = OAuthApp::new(client_id, secret);
            if let Some(url) = text(&var, TOKEN_URL_ENV)? {
                app = app.token_url(url);
            }
            // Without an access token, a first pair that is already expired: the first call
            // refreshes.
            let first = refresh.map(|refresh| match token {
                Some(token) => Tokens::new(token, refresh),
                None => Tokens {
                    expires: Some(0),
                    ..Tokens::new("", refresh)
                },
            });
            Ok(Credentials::App {
                portal,
                app,
                file: PathBuf::from(file),
                first,
            })
        }
        (None, _) if refreshing => Err(Failure::usage(format!(
            "{CLIENT_ID_ENV}, {CLIENT_SECRET_ENV}, {TOKEN_FILE_ENV} and {REFRESH_ENV} are for an \
             OAuth application; set {PORTAL_ENV} too"
        ))),
        (Some(portal), Some(token)) => Ok(Credentials::OAuth { portal, token }),
        (Some(_), None) => Err(Failure::usage(format!(
            "{PORTAL_ENV} is set but {TOKEN_ENV} is not; an OAuth application needs both \
             (or set {WEBHOOK_ENV} instead)"
        ))),
        (None, Some(_)) => Err(Failure::usage(format!(
            "{TOKEN_ENV} is set but {PORTAL_ENV} is not; an OAuth application needs both \
             (or set {WEBHOOK_ENV} instead)"
        ))),
        (None, None) => Ok(Credentials::Emulator),
    }
}

/// Reads `B24_PLAN` and `B24_ATTEMPTS` with `var`.
fn runtime(var: impl Fn(&str) -> Option<OsString>) -> Result<Runtime, Failure> {
    let plan = match text(&var, PLAN_ENV)? {
        Some(plan) => plan
            .parse()
            .map_err(|e| Failure::usage(format!("{PLAN_ENV}: {e}")))?,
        None => Plan::Standard,
    };
    let mut retry = RetryPolicy::default();
    if let Some(attempts) = text(&var, ATTEMPTS_ENV)? {
        let n: u32 = attempts.parse().ok().filter(|n| *n >= 1).ok_or_else(|| {
            Failure::usage(format!(
                "{ATTEMPTS_ENV}: `{attempts}` is not a whole number from 1 up"
            ))
        })?;
        retry = retry.max_attempts(n);
    }
    Ok(Runtime { plan, retry })
}

impl Runtime {
    fn apply(&self, builder: ClientBuilder) -> ClientBuilder {
        builder.plan(self.plan).retry(self.retry)
    }
}

impl Portal {
    /// Connects as the environment says, or starts the built-in emulator (and says so on
    /// stderr) when no credentials are set. `extra` are the specs given with `--specs`; the
    /// built-in emulator serves them too.
    pub async fn connect(extra: &[Spec]) -> Result<Self, Failure> {
        let env = |name: &str| std::env::var_os(name);
        let runtime = runtime(env)?;
        // ConfigError messages never contain the webhook code or the token.
        match credentials(env)? {
            Credentials::Webhook(url) => {
                let client = runtime
                    .apply(Client::builder().webhook(&url))
                    .build()
                    .map_err(|e| Failure::usage(format!("{WEBHOOK_ENV}: {e}")))?;
                Ok(Self {
                    client,
                    emulator: None,
                })
            }
            Credentials::OAuth { portal, token } => {
                let client = runtime
                    .apply(Client::builder().oauth(&portal, token))
                    .build()
                    .map_err(|e| Failure::usage(format!("{PORTAL_ENV}: {e}")))?;
                Ok(Self {
                    client,
                    emulator: None,
                })
            }
            Credentials::App {
                portal,
                app,
                file,
                first,
            } => {
                let store = FileTokenStore::new(&file);
                let stored = store
                    .load()
                    .await
                    .map_err(|e| Failure::usage(format!("{TOKEN_FILE_ENV}: {e}")))?;
                match (stored, first) {
                    (Some(_), _) => {}
                    (None, Some(first)) => store
                        .save(&first)
                        .await
                        .map_err(|e| Failure::usage(format!("{TOKEN_FILE_ENV}: {e}")))?,
                    (None, None) => {
                        return Err(Failure::usage(format!(
                            "{TOKEN_FILE_ENV} holds no tokens yet; set {REFRESH_ENV} (and \
                             {TOKEN_ENV}) for the first run"
                        )));
                    }
                }
                let client = runtime
                    .apply(Client::builder().oauth_app(&portal, app, store))
                    .build()
                    .map_err(|e| Failure::usage(format!("{PORTAL_ENV}: {e}")))?;
                Ok(Self {
                    client,
                    emulator: None,
                })
            }
            Credentials::Emulator => {
                let mut builder = Emulator::builder();
                for spec in extra {
                    builder = builder.spec(spec.clone());
                }
                // With the shipped specs alone this cannot fail; `--specs` can make it.
                let emulator = builder.build().map_err(|e| {
                    Failure::usage(format!(
                        "the built-in emulator cannot serve these specs: {e}"
                    ))
                })?;
                let running = emulator.start("127.0.0.1:0").await.map_err(|e| {
                    Failure::transport(format!("cannot start the built-in emulator: {e}"))
                })?;
                eprintln!(
                    "b24: {WEBHOOK_ENV} is not set; using the built-in emulator at {}",
                    running.base_url()
                );
                let client = runtime
                    .apply(Client::builder().webhook(&running.webhook_url()))
                    .build()
                    .map_err(|e| {
                        Failure::transport(format!("cannot connect to the built-in emulator: {e}"))
                    })?;
                Ok(Self {
                    client,
                    emulator: Some(running),
                })
            }
        }
    }

    /// Stops the built-in emulator, if one was started.
    pub async fn close(self) {
        if let Some(running) = self.emulator {
            // The call is done; a failed graceful stop changes nothing for the user.
            let _ = running.shutdown().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from(vars: &[(&str, &str)]) -> Result<Credentials, Failure> {
        credentials(|name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| OsString::from(v))
        })
    }

    #[test]
    fn the_webhook_wins_then_oauth_then_the_emulator() {
        let webhook = "https://x.bitrix24.com/rest/1/abc/";
        assert!(matches!(
            from(&[(WEBHOOK_ENV, webhook), (PORTAL_ENV, "https://x"), (TOKEN_ENV, "t")]),
            Ok(Credentials::Webhook(url)) if url == webhook
        ));
        assert!(matches!(
            from(&[(WEBHOOK_ENV, ""), (PORTAL_ENV, "https://x"), (TOKEN_ENV, "t")]),
            Ok(Credentials::OAuth { portal, token }) if portal == "https://x" && token == "t"
        ));
        assert!(matches!(from(&[]), Ok(Credentials::Emulator)));
        assert!(matches!(
            from(&[(PORTAL_ENV, ""), (TOKEN_ENV, "")]),
            Ok(Credentials::Emulator)
        ));
    }

    #[test]
    fn half_an_oauth_setting_is_a_usage_error_naming_the_missing_one() {
        let e = from(&[(PORTAL_ENV, "https://x")]).err().unwrap();
        assert_eq!(e.exit, crate::exit::Exit::Usage);
        assert!(
            e.message
                .starts_with("B24_PORTAL is set but B24_ACCESS_TOKEN is not")
        );
        let e = from(&[(TOKEN_ENV, "secret-token")]).err().unwrap();
        assert_eq!(e.exit, crate::exit::Exit::Usage);
        assert!(
            e.message
                .starts_with("B24_ACCESS_TOKEN is set but B24_PORTAL is not")
        );
        assert!(!e.message.contains("secret-token"));
    }

    #[test]
    fn refreshing_needs_the_app_and_a_token_file() {
        let portal = (PORTAL_ENV, "https://x.bitrix24.com");
        let e = from(&[
            portal,
            (REFRESH_ENV, "secret-refresh"),
            (CLIENT_ID_ENV, "app"),
        ])
        .err()
        .unwrap();
        assert_eq!(e.exit, crate::exit::Exit::Usage);
        assert!(
            e.message
                .contains("missing: B24_CLIENT_SECRET, B24_TOKEN_FILE"),
            "{}",
            e.message
        );
        assert!(!e.message.contains("secret-refresh"));
        let full = [
            portal,
            (REFRESH_ENV, "r"),
            (CLIENT_ID_ENV, "app"),
            (CLIENT_SECRET_ENV, "s"),
            (TOKEN_FILE_ENV, "tokens.json"),
        ];
        match from(&full) {
            Ok(Credentials::App { first, file, .. }) => {
                let first = first.unwrap();
                // No access token: a pair that is expired already, so the first call refreshes.
                assert_eq!((first.access_token.as_str(), first.expires), ("", Some(0)));
                assert_eq!(file, PathBuf::from("tokens.json"));
            }
            _ => panic!("expected an OAuth application"),
        }
        let e = from(&[(CLIENT_ID_ENV, "app")]).err().unwrap();
        assert!(e.message.contains("set B24_PORTAL too"), "{}", e.message);
    }

    #[test]
    fn plan_and_attempts_come_from_the_environment() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                vars.iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| OsString::from(v))
            }
        };
        let r = runtime(env(&[(PLAN_ENV, "enterprise"), (ATTEMPTS_ENV, "1")]))
            .ok()
            .unwrap();
        assert_eq!((r.plan, r.retry.attempts()), (Plan::Enterprise, 1));
        let r = runtime(env(&[])).ok().unwrap();
        assert_eq!((r.plan, r.retry.attempts()), (Plan::Standard, 5));
        for bad in [
            &[(PLAN_ENV, "gold")][..],
            &[(ATTEMPTS_ENV, "0")],
            &[(ATTEMPTS_ENV, "x")],
        ] {
            let e = runtime(env(bad)).err().unwrap();
            assert_eq!(e.exit, crate::exit::Exit::Usage, "{}", e.message);
        }
    }
}
