//! The contract between generated methods and the runtime.

use serde::Deserializer;
use serde::de::{Deserialize, DeserializeOwned};
use serde_json::{Map, Value};

use crate::ErrorCode;

/// A REST method: its name, how its parameters go on the wire, and what it returns.
///
/// Implemented by the request type generated from each spec; [`crate::Client::call`] is the one
/// call path they all share.
pub trait Method {
    /// REST method name, e.g. `im.user.get`.
    const NAME: &'static str;
    /// The method only reads, so sending it again is always safe.
    const READ_ONLY: bool;
    /// A list method: 50 records a page, chosen with `start`; responses carry `total`/`next`.
    const PAGED: bool = false;
    /// The decoded `result`.
    type Output: DeserializeOwned;
    /// The method's error codes.
    type Error: ErrorCode;
    /// Parameters, keyed by their wire names, values already in wire form.
    fn params(&self) -> Map<String, Value>;

    /// Reads `result` in its wire form. Generated methods override this when the result
    /// itself has quirks (an id as a string, `false` for none, …); the default is serde's.
    fn decode_output<'de, D: Deserializer<'de>>(d: D) -> Result<Self::Output, D::Error> {
        Self::Output::deserialize(d)
    }

    /// Asks for the page that begins at record `start`. Generated for `paged` methods; other
    /// methods have no pages and ignore it.
    fn set_start(&mut self, start: u64) {
        let _ = start;
    }
}

/// A spec file embedded in the binary by the generator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpecSource {
    /// Path relative to the crate that generated from it, e.g. `specs/im/im.user.get.yaml`.
    pub path: &'static str,
    /// The YAML text as it was at build time.
    pub text: &'static str,
}
