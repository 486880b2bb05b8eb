//! Which portal a method call goes to: the one in `B24_WEBHOOK_URL`, or an emulator started
//! in this process for the duration of the call.

use b24_client::Client;
use b24_emulator::{Emulator, RunningEmulator};

/// The environment variable with the incoming webhook URL.
pub const WEBHOOK_ENV: &str = "B24_WEBHOOK_URL";

/// A client and, when the built-in emulator serves the call, the emulator behind it.
pub struct Portal {
    pub client: Client,
    emulator: Option<RunningEmulator>,
}

/// Why no portal could be reached; each maps to an exit code.
#[derive(Debug)]
pub enum PortalError {
    /// `B24_WEBHOOK_URL` is set but unusable (usage error, exit 2).
    Config(String),
    /// The built-in emulator could not start (exit 1).
    Emulator(String),
}

impl Portal {
    /// Connects as `B24_WEBHOOK_URL` says, or starts the built-in emulator (and says so on
    /// stderr) when it is unset or empty.
    pub async fn connect() -> Result<Self, PortalError> {
        match std::env::var_os(WEBHOOK_ENV) {
            Some(url) if !url.is_empty() => {
                let url = url.into_string().map_err(|_| {
                    PortalError::Config(format!("{WEBHOOK_ENV} is not valid UTF-8"))
                })?;
                // ConfigError messages never contain the webhook code.
                let client = Client::webhook(&url)
                    .map_err(|e| PortalError::Config(format!("{WEBHOOK_ENV}: {e}")))?;
                Ok(Self {
                    client,
                    emulator: None,
                })
            }
            _ => {
                let emulator = Emulator::builder()
                    .build()
                    .map_err(|e| PortalError::Emulator(e.to_string()))?;
                let running = emulator.start("127.0.0.1:0").await.map_err(|e| {
                    PortalError::Emulator(format!("cannot start the built-in emulator: {e}"))
                })?;
                eprintln!(
                    "b24: {WEBHOOK_ENV} is not set; using the built-in emulator at {}",
                    running.base_url()
                );
                let client = Client::webhook(&running.webhook_url())
                    .map_err(|e| PortalError::Emulator(e.to_string()))?;
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
