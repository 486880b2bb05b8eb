//! What the loopback tests of this crate share.

use b24_client::Client;
use b24_emulator::{EmulatorBuilder, RunningEmulator};

/// Starts `emulator` on a free loopback port and returns it with a client for its default
/// webhook.
pub async fn serve(emulator: EmulatorBuilder) -> (RunningEmulator, Client) {
    let running = emulator
        .build()
        .expect("the emulator builds")
        .start("127.0.0.1:0")
        .await
        .expect("the emulator starts on loopback");
    let client = Client::webhook(&running.webhook_url()).expect("the webhook URL is valid");
    (running, client)
}
