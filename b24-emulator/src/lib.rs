//! A local Bitrix24 portal for tests and offline development, driven by the b24 YAML specs.
//!
//! The emulator is a real HTTP server on loopback that answers every method with a spec the
//! way a portal would: the same routes (incoming webhooks and OAuth), the same envelopes
//! (`result` with a `time` block, or `error` with `error_description`), the same HTTP statuses
//! and error codes. Nothing in it is specific to a method: parameters are checked against the
//! spec's `params:`, answers come from fixture data selected by the spec's `emulator:` section
//! (or from the spec's documented example), and errors are the codes the spec declares.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use b24_client::Client;
//! use b24_emulator::Emulator;
//!
//! let running = Emulator::builder().build()?.start("127.0.0.1:0").await?;
//!
//! let client = Client::webhook(&running.webhook_url())?;
//! let me = client.im_user_get().send().await?; // the webhook's user, id 1
//! let john = client.im_user_get().id(5).send().await?; // the documented example user
//! assert_eq!((me.id, john.name.as_str()), (1, "John Smith"));
//!
//! let app = Client::oauth(&running.base_url(), running.access_token())?;
//! assert_eq!(app.im_user_get().id(5).send().await?.id, 5);
//!
//! running.shutdown().await?;
//! # Ok(()) }
//! ```
//!
//! # What it checks
//!
//! - **Authentication.** `/rest/{user_id}/{code}/{method}` must name a configured webhook;
//!   `/rest/{method}` needs a configured token in `auth` (body or query string). Otherwise:
//!   HTTP 401 `NO_AUTH_FOUND`.
//! - **Method.** Unknown methods answer HTTP 404 `ERROR_METHOD_NOT_FOUND`. Method names are
//!   matched case-insensitively and may end in `.json`.
//! - **Parameters.** Parameters come from a JSON object body or a form-urlencoded body (flat
//!   keys only), merged over the query string; names match case-insensitively. Each declared
//!   parameter that is present must have its declared type (form-style strings such as `"5"`
//!   count as numbers) and respect `min`; required ones must be present. A bad value answers
//!   with the parameter's `invalid` code, or HTTP 400 `INVALID_ARG_VALUE`.
//! - **Requests it cannot read** (malformed JSON, a body that is not an object, nested form
//!   keys, multipart) answer HTTP 400 `ERROR_BAD_REQUEST` with a description.
//!
//! # Error codes of the emulator's own
//!
//! Where Bitrix24 documents nothing for a situation, the emulator answers with codes of its own,
//! each with a description that says what to fix:
//!
//! | Code | Status | When |
//! | --- | --- | --- |
//! | `ERROR_METHOD_NOT_FOUND` | 404 | no spec serves the method, or the path is not a REST path |
//! | `INVALID_ARG_VALUE` | 400 | a parameter is missing or wrong and its spec names no `invalid` code |
//! | `ERROR_BAD_REQUEST` | 400, 405, 413 | the request cannot be read: malformed JSON, a non-object body, nested form keys, multipart, `.xml`, another HTTP verb than GET/POST, a body over 16 MiB |
//! | `ERROR_NOT_FOUND` | 400 | a lookup matched no record and the spec's `emulator:` names no `not_found` code |
//! | `ERROR_NOT_EMULATED` | 501 | the spec has neither `emulator:` nor an example response |
//!
//! # Fixtures
//!
//! [`Fixture`] holds named collections of records. The built-in one has users 1 (an
//! administrator, the default caller) and 5 (the documented example user). At build time every
//! record is checked against the result type of each spec that serves from its collection, so
//! emulated answers always decode with the generated types.
//!
//! # Your own methods
//!
//! Pass your crate's generated `SPECS` to [`EmulatorBuilder::specs`] and add their collections
//! to the fixture; the emulator then serves your methods too.

#![warn(missing_docs)]

mod answer;
mod auth;
mod clock;
mod emulator;
mod envelope;
mod fault;
mod fixture;
mod request;
mod server;

pub use emulator::{
    DEFAULT_ACCESS_TOKEN, DEFAULT_WEBHOOK_CODE, DEFAULT_WEBHOOK_USER, Emulator, EmulatorBuilder,
    EmulatorError,
};
pub use fault::{Fault, FaultAnswer};
pub use fixture::{Fixture, FixtureError, Record};
pub use server::RunningEmulator;
