//! The contract between generated methods and the runtime.

use serde::Deserializer;
use serde_json::{Map, Value};

use crate::{ErrorCode, RequestProblem};

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
    type Output;
    /// The method's error codes.
    type Error: ErrorCode;
    /// Parameters, keyed by their wire names, values already in wire form.
    fn params(&self) -> Map<String, Value>;

    /// Reads `result` in its wire form, for this request: the result's quirks (an id as a
    /// string, `false` for none, `[]` for an empty object, …) are the spec's, and when the
    /// spec lets a parameter choose the result's shape (`RESULT_TYPE=array`), the request's
    /// value of that parameter picks it. A hand-written method with a plain serde result can
    /// simply call `Self::Output::deserialize(d)`.
    fn decode_output<'de, D: Deserializer<'de>>(&self, d: D) -> Result<Self::Output, D::Error>;

    /// Checks what the spec says a request needs beyond what its types already ensure: at
    /// least one parameter of each `one_of_required` group. [`crate::Client::call`] sends
    /// nothing when it fails, and the call fails with
    /// [`Error::InvalidRequest`](crate::Error::InvalidRequest). Generated for methods with
    /// such groups; other methods have nothing to check.
    fn check(&self) -> Result<(), RequestProblem> {
        Ok(())
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
