//! What the loopback tests of this crate share.
#![allow(dead_code)]

use b24_client::{Client, ClientBuilder, reqwest};
use b24_emulator::{Emulator, EmulatorBuilder, RunningEmulator};

/// Starts `emulator` on a free loopback port and returns it with a client for its default
/// webhook.
pub async fn serve(emulator: EmulatorBuilder) -> (RunningEmulator, Client) {
    let running = start(emulator).await.1;
    let client = Client::webhook(&running.webhook_url()).expect("the webhook URL is valid");
    (running, client)
}

/// Starts `emulator` on a free loopback port; the [`Emulator`] handle counts its requests.
pub async fn start(emulator: EmulatorBuilder) -> (Emulator, RunningEmulator) {
    let emulator = emulator.build().expect("the emulator builds");
    let running = emulator
        .start("127.0.0.1:0")
        .await
        .expect("the emulator starts on loopback");
    (emulator, running)
}

/// A `reqwest` client for tests on tokio's paused clock.
///
/// On a paused runtime, tokio moves the clock straight to the next timer whenever every task
/// is idle, and a task waiting for a loopback answer is idle: any timer then fires "early"
/// in virtual time. So the clients in virtual-time tests keep no timer of their own: no
/// pooled-connection idle timer (`pool_idle_timeout(None)`) and, with [`virtual_time`], no
/// request timeout. The waits the runtime means to make (rate limit, backoff, operating time)
/// are the only timers, and skipping to them is what the paused clock is for.
pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_idle_timeout(None)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("the HTTP client builds")
}

/// `builder` set up for a paused clock: the [`http`] client and no request timeout (see
/// [`http`] for why).
pub fn virtual_time(builder: ClientBuilder) -> ClientBuilder {
    builder.http_client(http()).request_timeout(None)
}
