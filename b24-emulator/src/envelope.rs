//! The JSON envelopes every answer is wrapped in: `{"result", "time"}` on success and
//! `{"error", "error_description"}` on failure.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use b24_client::SystemError;
use b24_spec::Spec;
use serde_json::{Value, json};

use crate::clock::TimeBlock;

/// Code for a method the emulator does not know (no spec serves it).
pub(crate) const METHOD_NOT_FOUND: &str = "ERROR_METHOD_NOT_FOUND";
/// Code for a declared parameter with a wrong or missing value, when its spec names no code.
pub(crate) const INVALID_ARG_VALUE: &str = "INVALID_ARG_VALUE";
/// Code for a request the emulator cannot read at all (malformed body, unsupported encoding).
pub(crate) const BAD_REQUEST: &str = "ERROR_BAD_REQUEST";
/// Code for a lookup without a match when the spec's `emulator:` names no `not_found` code.
pub(crate) const NOT_FOUND: &str = "ERROR_NOT_FOUND";
/// Code for a method whose spec gives the emulator nothing to answer with.
pub(crate) const NOT_EMULATED: &str = "ERROR_NOT_EMULATED";

/// An error answer: HTTP status, code exactly as sent, and a description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    pub status: StatusCode,
    pub code: String,
    pub description: String,
}

impl Failure {
    pub fn new(status: u16, code: impl Into<String>, description: impl Into<String>) -> Self {
        Self {
            // Statuses come from specs (checked to be HTTP codes) or from this crate.
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
            code: code.into(),
            description: description.into(),
        }
    }

    /// A system error with its documented status and message.
    pub fn system(error: SystemError, description: &str) -> Self {
        Self::new(error.status(), error.code(), description)
    }

    /// Missing or wrong webhook code or access token. The description never says which part
    /// was wrong, like the portal.
    pub fn no_auth() -> Self {
        Self::system(SystemError::NoAuthFound, "Wrong authorization data")
    }

    pub fn method_not_found() -> Self {
        Self::new(404, METHOD_NOT_FOUND, "Method not found")
    }

    pub fn bad_request(description: impl Into<String>) -> Self {
        Self::new(400, BAD_REQUEST, description)
    }

    /// A code the spec of `spec` declares, with the status the spec gives it; codes that are
    /// also system errors fall back to the system status, anything else to 400.
    pub fn declared(spec: &Spec, code: &str, detail: Option<&str>) -> Self {
        let declared = spec.errors.iter().find(|e| e.code == code);
        let status = declared
            .and_then(|e| e.status)
            .or_else(|| SystemError::from_code(code).map(SystemError::status))
            .unwrap_or(400);
        let doc = declared.map_or_else(
            || SystemError::from_code(code).map_or("", SystemError::description),
            |e| e.doc.trim().trim_end_matches('.'),
        );
        let description = match (doc.is_empty(), detail) {
            (false, Some(detail)) => format!("{doc} ({detail})"),
            (false, None) => doc.to_owned(),
            (true, Some(detail)) => detail.to_owned(),
            (true, None) => code.to_owned(),
        };
        Self::new(status, code, description)
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let body = json!({ "error": self.code, "error_description": self.description });
        (self.status, Json(body)).into_response()
    }
}

/// A success answer.
pub(crate) fn success(result: Value, time: &TimeBlock) -> Response {
    (
        StatusCode::OK,
        Json(json!({ "result": result, "time": time.to_json() })),
    )
        .into_response()
}
