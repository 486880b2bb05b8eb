//! The JSON envelopes every answer is wrapped in: `{"result", "time"}` on success and
//! `{"error", "error_description"}` on failure.

use axum::Json;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use b24_client::SystemError;
use b24_spec::{ErrorDef, Spec};
use serde_json::{Map, Value, json};

use crate::answer::Answer;
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

    /// An error the spec of `spec` declares, named as specs name errors (its code, or the
    /// `rust_name` of an error with an empty code, see `Spec::find_error`), with the status
    /// the spec gives it; codes that are also system errors fall back to the system status,
    /// anything else to 400. The description is the documented text (the spec's `message`,
    /// the description an error with an empty code is keyed by, or the system error's),
    /// exactly, as a client may compare it; `detail` (what was wrong with the request) then
    /// goes to the log. Without a documented text it is the spec's `doc`, `detail` following
    /// in parentheses.
    pub fn declared(spec: &Spec, name: &str, detail: Option<&str>) -> Self {
        let declared = spec.find_error(name);
        let code = declared.map_or(name, |e| e.code.as_str());
        Self::described(spec, declared, code, detail)
    }

    /// The declared error `error`, as [`Failure::declared`] answers it; for the errors told
    /// apart by their description (code `""`), the only way to name one.
    pub fn from_error(spec: &Spec, error: &ErrorDef, detail: Option<&str>) -> Self {
        Self::described(spec, Some(error), &error.code, detail)
    }

    fn described(
        spec: &Spec,
        declared: Option<&ErrorDef>,
        code: &str,
        detail: Option<&str>,
    ) -> Self {
        let status = declared
            .and_then(|e| e.status)
            .or_else(|| SystemError::from_code(code).map(SystemError::status))
            .unwrap_or(400);
        let documented = match declared {
            Some(e) => e.message.as_deref(),
            None => SystemError::from_code(code).map(SystemError::description),
        };
        let description = match (documented, detail) {
            (Some(text), detail) => {
                if let Some(detail) = detail {
                    tracing::info!(method = %spec.method, code, detail, "refused");
                }
                text.to_owned()
            }
            (None, detail) => {
                let doc = declared.map_or("", |e| e.doc.trim().trim_end_matches('.'));
                match (doc.is_empty(), detail) {
                    (false, Some(detail)) => format!("{doc} ({detail})"),
                    (false, None) => doc.to_owned(),
                    (true, Some(detail)) => detail.to_owned(),
                    (true, None) => code.to_owned(),
                }
            }
        };
        Self::new(status, code, description)
    }
}

impl Failure {
    /// `{"error", "error_description"}`, as sent alone or inside a batch's `result_error`.
    pub fn to_json(&self) -> Value {
        json!({ "error": self.code, "error_description": self.description })
    }

    /// The error of `code` for a call that has no spec (`batch`): a system code with its
    /// documented status and description, anything else with 400.
    pub fn undeclared(code: &str) -> Self {
        match SystemError::from_code(code) {
            Some(error) => Self::system(error, error.description()),
            None => Self::new(400, code, code),
        }
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let body = self.to_json();
        (self.status, Json(body)).into_response()
    }
}

/// The success envelope: `result`, then `next` and `total` for list methods, then `time`.
pub(crate) fn success_body(answer: Answer, time: &TimeBlock) -> Value {
    let mut body = Map::new();
    body.insert("result".into(), answer.result);
    if let Some(next) = answer.next {
        body.insert("next".into(), Value::from(next));
    }
    if let Some(total) = answer.total {
        body.insert("total".into(), Value::from(total));
    }
    body.insert("time".into(), time.to_json());
    Value::Object(body)
}

/// A success answer.
pub(crate) fn success(answer: Answer, time: &TimeBlock) -> Response {
    (StatusCode::OK, Json(success_body(answer, time))).into_response()
}

/// The success envelope cut off in the middle, as a dropped upstream connection leaves it.
pub(crate) fn truncated(answer: Answer, time: &TimeBlock) -> Response {
    let text = success_body(answer, time).to_string();
    let mut cut = text.len() / 2;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        text[..cut].to_owned(),
    )
        .into_response()
}

/// The HTML page a proxy in front of the portal answers when the portal is unreachable.
pub(crate) fn html_502() -> Response {
    (
        StatusCode::BAD_GATEWAY,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
         <center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n\
         </body>\r\n</html>\r\n",
    )
        .into_response()
}
