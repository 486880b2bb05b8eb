//! Typed client for the Bitrix24 REST API.
//!
//! Every method is generated at compile time from a YAML spec in `specs/` (see the
//! repository's `docs/spec-format.md`): a request type with a builder, the result types and an
//! error enum with the method's documented codes. All of them go through one call path,
//! [`Client::call`].
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use b24_client::Client;
//!
//! let client = Client::webhook("https://example.bitrix24.com/rest/1/abcdef123456/")?;
//! let user = client.im_user_get().id(5).send().await?;
//! println!("{} works as {}", user.name, user.work_position);
//! # Ok(()) }
//! ```
//!
//! Your own crate can generate methods we do not ship, from specs in your repository, with
//! [`generate!`]; they are called through the same [`Client`].
//!
//! Every call waits for the portal's rate limit, retries what is safe to retry and refreshes
//! OAuth tokens: see [`runtime`] for how, with examples.

// Generated code names the runtime as `::b24_client`, here as in users' crates.
extern crate self as b24_client;

mod batch;
mod call;
mod client;
pub mod custom;
mod display_datetime;
mod envelope;
mod error;
mod filter;
mod limiter;
mod method;
mod oauth;
mod operating;
mod order;
mod paging;
mod query;
mod response;
mod retry;
mod secret;
mod system_error;
mod token_store;
mod transport;
pub mod wire;

pub use batch::{Batch, BatchError, BatchResults, Handle, MAX_BATCH_COMMANDS, Ref};
pub use client::{
    Client, ClientBuilder, ConfigError, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT,
};
pub use custom::{
    CrmLink, CustomField, CustomFieldError, CustomFields, CustomFile, CustomValue, Money,
};
pub use display_datetime::{DisplayDateTime, DisplayFormat, ParseDisplayDateTimeError};
pub use error::{AnyErrorCode, ApiError, Error, ErrorCode, NotRun, RequestProblem};
pub use filter::{Cmp, Group, Logic};
pub use limiter::{DEFAULT_JITTER_MARGIN, LocalLimiter, Plan, RateLimiter};
pub use method::{Method, SpecSource};
pub use oauth::{AuthError, DEFAULT_TOKEN_URL, OAuthApp};
pub use operating::DEFAULT_OPERATING_LIMIT;
pub use order::{Direction, Order, OrderOrDirection};
pub use paging::{ById, Page, Paged, Pages, Paging, Records};
pub use response::{Response, Time};
pub use retry::RetryPolicy;
pub use system_error::SystemError;
pub use token_store::{FileTokenStore, MemoryTokenStore, TokenStore, TokenStoreError, Tokens};

/// The exact decimal of `decimal` values (money), from `rust_decimal`: use this one, so your
/// values are of the version generated code reads and writes.
pub use rust_decimal::Decimal;

/// The `reqwest` this crate is built with, so a client you configure yourself
/// ([`ClientBuilder::http_client`]) is of the same version.
pub use reqwest;

#[doc = include_str!("../runtime.md")]
pub mod runtime {}

/// Generates typed methods from YAML specs at compile time.
///
/// ```ignore
/// b24_client::generate!(specs = "specs", client_trait = MyMethods);
/// ```
///
/// `specs` is a directory (searched recursively for `*.yaml`) or one file, relative to the
/// invoking crate's `Cargo.toml`. Each spec becomes a module with its request, call, result and
/// error types, and a method on [`Client`] through the trait named by `client_trait`
/// (default `SpecMethods`). Mistakes in a spec are compile errors that name the file, line,
/// column and key. Add `println!("cargo:rerun-if-changed=specs");` to your `build.rs` so that
/// new spec files are picked up.
pub use b24_macros::generate;

/// Items generated code relies on; not part of the public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::error::same_description;
    pub use chrono;
    pub use serde;
    pub use serde_json;
}

mod generated {
    // One Cargo feature per scope (see Cargo.toml): `default-features = false, features = ["im"]`
    // compiles only the messenger methods.
    b24_macros::generate!(
        specs = "specs",
        client_methods = inherent,
        scope_features = true
    );
}

pub use generated::*;
