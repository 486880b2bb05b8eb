//! Which portal a method call goes to: the one in `B24_WEBHOOK_URL`, the one in `B24_PORTAL`
//! with the OAuth token in `B24_ACCESS_TOKEN`, or an emulator started in this process for the
//! duration of the call.

use std::ffi::OsString;

use b24_client::Client;
use b24_emulator::{Emulator, RunningEmulator};
use b24_spec::Spec;

use crate::exit::Failure;

/// The environment variable with the incoming webhook URL.
pub const WEBHOOK_ENV: &str = "B24_WEBHOOK_URL";
/// The environment variable with the portal address of an OAuth application.
pub const PORTAL_ENV: &str = "B24_PORTAL";
/// The environment variable with the OAuth access token.
pub const TOKEN_ENV: &str = "B24_ACCESS_TOKEN";

/// A client and, when the built-in emulator serves the call, the emulator behind it.
pub struct Portal {
    pub client: Client,
    emulator: Option<RunningEmulator>,
}

/// Where the environment says calls go. Never printed: it holds the credential.
enum Credentials {
    Webhook(String),
    OAuth { portal: String, token: String },
    Emulator,
}

/// Reads the credentials with `var` (the environment, or a map in tests). Empty variables
/// count as unset. Errors are usage errors and never contain a credential.
fn credentials(var: impl Fn(&str) -> Option<OsString>) -> Result<Credentials, Failure> {
    let text = |name: &str| -> Result<Option<String>, Failure> {
        match var(name) {
            Some(v) if !v.is_empty() => v
                .into_string()
                .map(Some)
                .map_err(|_| Failure::usage(format!("{name} is not valid UTF-8"))),
            _ => Ok(None),
        }
    };
    if let Some(url) = text(WEBHOOK_ENV)? {
        return Ok(Credentials::Webhook(url));
    }
    match (text(PORTAL_ENV)?, text(TOKEN_ENV)?) {
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

impl Portal {
    /// Connects as the environment says, or starts the built-in emulator (and says so on
    /// stderr) when no credentials are set. `extra` are the specs given with `--specs`; the
    /// built-in emulator serves them too.
    pub async fn connect(extra: &[Spec]) -> Result<Self, Failure> {
        // ConfigError messages never contain the webhook code or the token.
        match credentials(|name| std::env::var_os(name))? {
            Credentials::Webhook(url) => {
                let client = Client::webhook(&url)
                    .map_err(|e| Failure::usage(format!("{WEBHOOK_ENV}: {e}")))?;
                Ok(Self {
                    client,
                    emulator: None,
                })
            }
            Credentials::OAuth { portal, token } => {
                let client = Client::oauth(&portal, token)
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
                let client = Client::webhook(&running.webhook_url()).map_err(|e| {
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
}
