//! Calls `im.revision.get`, a method generated from this crate's own spec.
//!
//! With `B24_WEBHOOK_URL` set it asks your portal; otherwise it starts the emulator with this
//! crate's specs added, so the example runs anywhere. The call goes through the client's
//! runtime: it waits for the portal's rate limit (`B24_PLAN`: standard, enterprise or
//! PER_SECOND/BURST; standard by default) and is sent again after failures that allow it.

use b24_client::{Client, Plan};
use b24_emulator::Emulator;
use b24_example_own_specs::{RevisionMethods, SPECS};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let plan: Plan = match std::env::var("B24_PLAN") {
        Ok(plan) => plan.parse()?,
        Err(_) => Plan::Standard,
    };
    let client = |url: &str| Client::builder().webhook(url).plan(plan).build();
    let (client, emulator) = match std::env::var("B24_WEBHOOK_URL") {
        Ok(url) => (client(&url)?, None),
        Err(_) => {
            let running = Emulator::builder()
                .specs(SPECS)
                .build()?
                .start("127.0.0.1:0")
                .await?;
            eprintln!(
                "B24_WEBHOOK_URL is not set; using the built-in emulator at {}",
                running.base_url()
            );
            (client(&running.webhook_url())?, Some(running))
        }
    };

    let revisions = client.im_revision_get().send().await?;
    println!(
        "messenger API revisions: rest {}, web {}, mobile {}, desktop {}",
        revisions.rest, revisions.web, revisions.mobile, revisions.desktop
    );

    if let Some(running) = emulator {
        running.shutdown().await?;
    }
    Ok(())
}
