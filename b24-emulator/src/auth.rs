//! Who is calling: incoming webhooks (user id and code in the path) and OAuth access tokens
//! (the `auth` parameter), each bound to a portal user; and the OAuth apps whose refresh tokens
//! the token endpoint exchanges.

use std::fmt;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use crate::fault::SplitMix64;

/// Lifetime of a refresh token (180 days, per
/// <https://apidocs.bitrix24.com/settings/oauth/auto-renewal.html>).
pub(crate) const REFRESH_LIFETIME: Duration = Duration::from_secs(180 * 24 * 3600);

/// The credentials the emulator accepts. Webhooks are fixed; tokens are issued and expire.
pub(crate) struct Credentials {
    webhooks: Vec<Webhook>,
    apps: Vec<OAuthApp>,
    /// Lifetime of every access token.
    lifetime: Duration,
    tokens: Mutex<Tokens>,
}

#[derive(Clone)]
pub(crate) struct Webhook {
    pub user_id: u64,
    pub code: String,
    /// Scopes the webhook may call; `None` for every scope.
    pub scopes: Option<Vec<String>>,
}

/// An access token as configured with the builder.
#[derive(Clone)]
pub(crate) struct Token {
    pub token: String,
    pub user_id: u64,
    /// Scopes the token may call; `None` for every scope.
    pub scopes: Option<Vec<String>>,
}

/// A registered OAuth application: the emulator is its authorization server too.
///
/// ```
/// use b24_emulator::{Emulator, OAuthApp};
///
/// let emulator = Emulator::builder()
///     .oauth_app(OAuthApp::new("local.app.1", "s3cret").refresh_token("first-refresh-token"))
///     .build();
/// assert!(emulator.is_ok());
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct OAuthApp {
    pub(crate) client_id: String,
    pub(crate) client_secret: String,
    /// Initial refresh tokens with their users.
    pub(crate) refresh_tokens: Vec<(String, u64)>,
}

impl OAuthApp {
    /// An app with this `client_id` and `client_secret`.
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        Self {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            refresh_tokens: Vec::new(),
        }
    }

    /// Also accepts this refresh token, issued for user 1.
    #[must_use]
    pub fn refresh_token(self, token: impl Into<String>) -> Self {
        self.refresh_token_for(1, token)
    }

    /// Also accepts this refresh token, issued for the given user.
    #[must_use]
    pub fn refresh_token_for(mut self, user_id: u64, token: impl Into<String>) -> Self {
        self.refresh_tokens.push((token.into(), user_id));
        self
    }

    /// The app's `client_id`.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }
}

impl fmt::Debug for OAuthApp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthApp")
            .field("client_id", &self.client_id)
            .field("refresh_tokens", &self.refresh_tokens.len())
            .finish_non_exhaustive()
    }
}

struct Tokens {
    access: Vec<Access>,
    refresh: Vec<Refresh>,
    rng: SplitMix64,
}

struct Access {
    token: String,
    user_id: u64,
    scopes: Option<Vec<String>>,
    /// The app it was issued to; `None` for tokens given to the builder.
    client_id: Option<String>,
    expires_at: Instant,
}

struct Refresh {
    token: String,
    user_id: u64,
    client_id: String,
    expires_at: Instant,
    used: bool,
}

/// Who a call is from, once authenticated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Caller {
    pub user_id: u64,
    /// The application or webhook, which operating time is counted for.
    pub identity: String,
    /// The access token, for OAuth calls.
    pub token: Option<String>,
    /// Scopes the webhook or token may call; `None` for every scope.
    pub scopes: Option<Vec<String>>,
}

impl Caller {
    /// Whether the caller may call methods of `scope`. `basic` is always granted: `profile`
    /// works with any set of scopes.
    pub fn may_use(&self, scope: &str) -> bool {
        scope == "basic"
            || self
                .scopes
                .as_ref()
                .is_none_or(|s| s.iter().any(|x| x.eq_ignore_ascii_case(scope)))
    }
}

/// Why a token was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenProblem {
    Unknown,
    Expired,
}

/// Why a refresh failed, as the OAuth error codes of
/// <https://apidocs.bitrix24.com/settings/oauth/error-codes.html>.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RefreshProblem {
    InvalidClient,
    InvalidGrant,
}

/// A new pair of tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Issued {
    pub access_token: String,
    pub refresh_token: String,
    pub user_id: u64,
    pub expires_at: Instant,
}

impl Credentials {
    /// `tokens` expire `lifetime` after `now`; tokens the server issues are drawn from `seed`.
    pub fn new(
        webhooks: Vec<Webhook>,
        tokens: Vec<Token>,
        apps: Vec<OAuthApp>,
        lifetime: Duration,
        now: Instant,
        seed: u64,
    ) -> Self {
        let access = tokens
            .into_iter()
            .map(|t| Access {
                token: t.token,
                user_id: t.user_id,
                scopes: t.scopes,
                client_id: None,
                expires_at: now + lifetime,
            })
            .collect();
        let refresh = apps
            .iter()
            .flat_map(|app| {
                app.refresh_tokens.iter().map(|(token, user_id)| Refresh {
                    token: token.clone(),
                    user_id: *user_id,
                    client_id: app.client_id.clone(),
                    expires_at: now + REFRESH_LIFETIME,
                    used: false,
                })
            })
            .collect();
        Self {
            webhooks,
            apps,
            lifetime,
            tokens: Mutex::new(Tokens {
                access,
                refresh,
                rng: SplitMix64(seed),
            }),
        }
    }

    /// The webhook URLs print first; builders guarantee there is one.
    pub fn primary_webhook(&self) -> Option<&Webhook> {
        self.webhooks.first()
    }

    /// Lifetime of access tokens.
    pub fn lifetime(&self) -> Duration {
        self.lifetime
    }

    /// The caller of webhook `/rest/{user}/{code}/`, if it is one of ours.
    pub fn webhook_user(&self, user: &str, code: &str) -> Option<Caller> {
        let user_id: u64 = user.parse().ok()?;
        self.webhooks
            .iter()
            .enumerate()
            .find(|(_, w)| w.user_id == user_id && same_secret(&w.code, code))
            .map(|(i, w)| Caller {
                user_id,
                identity: format!("webhook #{i}"),
                token: None,
                scopes: w.scopes.clone(),
            })
    }

    /// The caller an access token belongs to, at `now`.
    pub fn token_user(&self, token: &str, now: Instant) -> Result<Caller, TokenProblem> {
        let tokens = self.lock();
        let access = tokens
            .access
            .iter()
            .find(|t| same_secret(&t.token, token))
            .ok_or(TokenProblem::Unknown)?;
        if now >= access.expires_at {
            return Err(TokenProblem::Expired);
        }
        Ok(Caller {
            user_id: access.user_id,
            identity: match &access.client_id {
                Some(id) => format!("app {id}"),
                None => "app".into(),
            },
            token: Some(token.to_owned()),
            scopes: access.scopes.clone(),
        })
    }

    /// Makes `token` expire at `now`.
    pub fn expire(&self, token: &str, now: Instant) {
        let mut tokens = self.lock();
        if let Some(access) = tokens.access.iter_mut().find(|t| t.token == token) {
            access.expires_at = access.expires_at.min(now);
        }
    }

    /// Exchanges a refresh token for a new pair; the old refresh token is used up.
    pub fn refresh(
        &self,
        client_id: &str,
        client_secret: &str,
        refresh_token: &str,
        now: Instant,
    ) -> Result<Issued, RefreshProblem> {
        self.apps
            .iter()
            .find(|a| a.client_id == client_id && same_secret(&a.client_secret, client_secret))
            .ok_or(RefreshProblem::InvalidClient)?;
        let mut tokens = self.lock();
        let old = tokens
            .refresh
            .iter_mut()
            .find(|r| same_secret(&r.token, refresh_token))
            .filter(|r| r.client_id == client_id && !r.used && now < r.expires_at)
            .ok_or(RefreshProblem::InvalidGrant)?;
        old.used = true;
        let user_id = old.user_id;
        let access_token = new_token(&mut tokens.rng);
        let refresh_token = new_token(&mut tokens.rng);
        let expires_at = now + self.lifetime;
        tokens.access.push(Access {
            token: access_token.clone(),
            user_id,
            scopes: None,
            client_id: Some(client_id.to_owned()),
            expires_at,
        });
        tokens.refresh.push(Refresh {
            token: refresh_token.clone(),
            user_id,
            client_id: client_id.to_owned(),
            expires_at: now + REFRESH_LIFETIME,
            used: false,
        });
        Ok(Issued {
            access_token,
            refresh_token,
            user_id,
            expires_at,
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Tokens> {
        // A poisoned lock only means another request panicked mid-update; the data is usable.
        self.tokens.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// 32 lower-case letters and digits, like the portal's tokens.
fn new_token(rng: &mut SplitMix64) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    (0..32)
        .map(|_| ALPHABET[(rng.next_u64() % ALPHABET.len() as u64) as usize] as char)
        .collect()
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let users: Vec<u64> = self.webhooks.iter().map(|w| w.user_id).collect();
        let tokens = self.lock().access.len();
        f.debug_struct("Credentials")
            .field("webhook_users", &users)
            .field("tokens", &tokens)
            .field("apps", &self.apps)
            .finish()
    }
}

/// Compares secrets without stopping at the first difference, so response timing does not
/// reveal how much of a guess was right.
fn same_secret(expected: &str, given: &str) -> bool {
    let (a, b) = (expected.as_bytes(), given.as_bytes());
    let mut diff = u8::from(a.len() != b.len());
    for (i, x) in a.iter().enumerate() {
        diff |= x ^ b.get(i).copied().unwrap_or(!x);
    }
    diff == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: Duration = Duration::from_secs(3600);

    fn creds(now: Instant) -> Credentials {
        Credentials::new(
            vec![
                Webhook {
                    user_id: 1,
                    code: "zzz".into(),
                    scopes: None,
                },
                Webhook {
                    user_id: 7,
                    code: "xyz".into(),
                    scopes: Some(vec!["im".into()]),
                },
            ],
            vec![Token {
                token: "qqq".into(),
                user_id: 5,
                scopes: None,
            }],
            vec![OAuthApp::new("app.1", "sec").refresh_token_for(5, "rrr")],
            HOUR,
            now,
            1,
        )
    }

    #[tokio::test(start_paused = true)]
    async fn webhooks_need_the_right_user_and_code() {
        let c = creds(Instant::now());
        assert_eq!(c.webhook_user("1", "zzz").map(|c| c.user_id), Some(1));
        assert_eq!(c.webhook_user("7", "xyz").map(|c| c.user_id), Some(7));
        assert_eq!(c.webhook_user("7", "zzz"), None);
        assert_eq!(c.webhook_user("1", "zz"), None);
        assert_eq!(c.webhook_user("1", "zzzz"), None);
        assert_eq!(c.webhook_user("one", "zzz"), None);
        assert_eq!(c.webhook_user("1", ""), None);
    }

    #[tokio::test(start_paused = true)]
    async fn tokens_map_to_their_user_expire_and_debug_hides_secrets() {
        let now = Instant::now();
        let c = creds(now);
        assert_eq!(c.token_user("qqq", now).map(|c| c.user_id), Ok(5));
        assert_eq!(c.token_user("qqq2", now), Err(TokenProblem::Unknown));
        assert_eq!(c.token_user("", now), Err(TokenProblem::Unknown));
        assert_eq!(c.token_user("qqq", now + HOUR), Err(TokenProblem::Expired));
        let debug = format!("{c:?}");
        assert!(
            !debug.contains("zzz") && !debug.contains("qqq") && !debug.contains("sec\""),
            "{debug}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn refresh_tokens_rotate() {
        let now = Instant::now();
        let c = creds(now);
        assert_eq!(
            c.refresh("app.1", "bad", "rrr", now),
            Err(RefreshProblem::InvalidClient)
        );
        assert_eq!(
            c.refresh("app.1", "sec", "nope", now),
            Err(RefreshProblem::InvalidGrant)
        );
        let first = c.refresh("app.1", "sec", "rrr", now).unwrap();
        assert_eq!((first.user_id, first.expires_at), (5, now + HOUR));
        assert_eq!(first.access_token.len(), 32);
        assert_ne!(first.refresh_token, "rrr");
        assert_eq!(
            c.refresh("app.1", "sec", "rrr", now),
            Err(RefreshProblem::InvalidGrant)
        );
        let second = c
            .refresh("app.1", "sec", &first.refresh_token, now)
            .unwrap();
        assert_ne!(second.access_token, first.access_token);
        let caller = c.token_user(&second.access_token, now).unwrap();
        assert_eq!((caller.user_id, caller.identity.as_str()), (5, "app app.1"));
        c.expire(&second.access_token, now);
        assert_eq!(
            c.token_user(&second.access_token, now),
            Err(TokenProblem::Expired)
        );
    }
}
