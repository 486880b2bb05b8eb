//! Errors of a call: what Bitrix24 answered, or why no usable answer arrived.

use std::fmt;
use std::time::Duration;

use crate::SystemError;
use crate::oauth::AuthError;

/// A method's error codes (generated per method from its spec).
pub trait ErrorCode: Sized + fmt::Debug + Send + Sync + 'static {
    /// The variant for a code as sent; unknown codes are kept in an `Other` variant.
    fn from_code(code: &str) -> Self;
    /// The variant for an error envelope, `error` and `error_description` as sent: what the
    /// client reads an error with. Some methods (CRM, calendar) answer with an empty code and
    /// tell their errors apart by the description alone; a method whose spec declares such
    /// errors (`"":` under `errors:`) matches the description, ignoring whitespace around it,
    /// one trailing `.` and ASCII letter case. Anything else, and every non-empty code, is
    /// read by [`from_code`](Self::from_code), which is all this does unless overridden.
    fn from_error(code: &str, description: &str) -> Self {
        let _ = description;
        Self::from_code(code)
    }
    /// The code exactly as Bitrix24 sent it (empty for an error identified by its
    /// description).
    fn code(&self) -> &str;
    /// The system error this code is, also when the method documents the code itself
    /// (`ACCESS_DENIED`).
    fn system(&self) -> Option<SystemError> {
        SystemError::from_code(self.code())
    }
}

/// Error codes of calls made without a generated method (`Client::call_raw`): only the
/// system codes are known.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AnyErrorCode {
    /// A system error.
    System(SystemError),
    /// Any other code, kept as sent.
    Other(String),
}

impl ErrorCode for AnyErrorCode {
    fn from_code(code: &str) -> Self {
        SystemError::from_code(code).map_or_else(|| Self::Other(code.to_owned()), Self::System)
    }
    fn code(&self) -> &str {
        match self {
            Self::System(s) => s.code(),
            Self::Other(o) => o,
        }
    }
}

/// An error envelope (`{"error": …, "error_description": …}`) from the portal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError<C> {
    /// The code, typed; [`ErrorCode::code`] gives it back exactly as sent.
    pub code: C,
    /// `error_description`, possibly empty.
    pub description: String,
    /// HTTP status of the response.
    pub status: u16,
}

impl<C: ErrorCode> std::error::Error for ApiError<C> {}

impl<C: ErrorCode> fmt::Display for ApiError<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let code = self.code.code();
        let code = if code.is_empty() {
            "(no error code)"
        } else {
            code
        };
        write!(f, "{code}")?;
        if !self.description.is_empty() {
            write!(f, ": {}", self.description)?;
        }
        write!(f, " (HTTP {})", self.status)
    }
}

/// What is wrong with a request the client refused to send, because the method's spec says
/// the portal would refuse it ([`Method::check`](crate::Method::check)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RequestProblem {
    /// None of these parameters is set, and the method needs at least one of them (a
    /// `one_of_required` group of its spec): their wire names, in spec order.
    MissingOneOf(&'static [&'static str]),
}

impl fmt::Display for RequestProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingOneOf(names) => {
                f.write_str("needs at least one of the parameters ")?;
                for (i, name) in names.iter().enumerate() {
                    let sep = match i {
                        0 => "",
                        _ if i + 1 == names.len() => " or ",
                        _ => ", ",
                    };
                    write!(f, "{sep}`{name}`")?;
                }
                f.write_str(", and none is set")
            }
        }
    }
}

/// Why a call failed.
///
/// Messages never contain the webhook code or access token: URLs are dropped from transport
/// errors before they are stored.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<C: ErrorCode> {
    /// The portal answered with an error envelope.
    #[error("{0}")]
    Api(ApiError<C>),
    /// The request did not complete (connection, TLS, timeout).
    #[error("request to Bitrix24 failed: {0}")]
    Transport(#[source] reqwest::Error),
    /// The portal answered with something that is not a Bitrix24 JSON envelope (an HTML error
    /// page from a proxy, a truncated body, …).
    #[error(
        "unexpected HTTP {status} response from Bitrix24: {reason}; body starts with {snippet:?}"
    )]
    UnexpectedResponse {
        /// HTTP status.
        status: u16,
        /// What was wrong with it.
        reason: String,
        /// The first bytes of the body, for diagnosis.
        snippet: String,
    },
    /// The portal answered with a redirect (a portal that changed its address, say). It is not
    /// followed: that would send the credentials to the new place and lose the parameters.
    #[error("the portal answered HTTP {status}, moved to {}; use the new portal address", .host.as_deref().unwrap_or("an unknown place"))]
    Moved {
        /// HTTP status (301, 302, 307, 308).
        status: u16,
        /// The host it points to, without path or query (which may repeat credentials).
        host: Option<String>,
    },
    /// The request was not sent: the method's spec says the portal would refuse it (see
    /// [`RequestProblem`]).
    #[error("not sent: `{method}` {problem}")]
    InvalidRequest {
        /// REST method name.
        method: &'static str,
        /// What is wrong with the request.
        problem: RequestProblem,
    },
    /// The method name cannot be sent (it must be dot-separated letters, digits and `_`).
    #[error("invalid method name {0:?}: use letters, digits, `_` and `.` only")]
    InvalidMethodName(String),
    /// The call's deadline ([`RetryPolicy::deadline`](crate::RetryPolicy::deadline)) would
    /// pass while waiting, before anything was sent (a failed attempt comes back as itself).
    #[error("not sent: waiting {wait:?} for {waiting_for} would pass the call's deadline")]
    Deadline {
        /// What the call would have waited for.
        waiting_for: &'static str,
        /// How long it would have waited.
        wait: Duration,
    },
    /// No usable OAuth token: the refresh or the token store failed.
    #[error("{0}")]
    Auth(#[source] AuthError),
    /// A command of a [`Batch`](crate::Batch) that the portal did not run.
    #[error("{0}")]
    NotRun(NotRun),
    /// The envelope was fine but `result` did not match the method's spec.
    #[error("cannot decode the result of `{method}` at `{path}`: {message}")]
    Decode {
        /// REST method name.
        method: &'static str,
        /// Where in `result` decoding failed (`result.idle`).
        path: String,
        /// What was wrong.
        message: String,
    },
}

/// Why a command of a batch was not run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NotRun {
    /// An earlier command failed, and the batch halts on errors.
    #[error("not run: an earlier command of the batch failed, and the batch halts on errors")]
    Halted,
    /// The request that was to carry the command failed (see
    /// [`BatchError::Failed`](crate::BatchError::Failed)), or an earlier one did.
    #[error("not run: the batch request that was to carry it failed")]
    NotSent,
    /// The handle is of another batch: these results hold no such command.
    #[error("no such command: the handle is of another batch")]
    OtherBatch,
}

impl<C: ErrorCode> Error<C> {
    /// The API error, if the portal answered with one.
    pub fn api(&self) -> Option<&ApiError<C>> {
        match self {
            Self::Api(e) => Some(e),
            _ => None,
        }
    }

    /// The system error, if the portal answered with a system code.
    pub fn system(&self) -> Option<SystemError> {
        self.api().and_then(|e| e.code.system())
    }

    /// The HTTP status, when a response arrived.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Api(e) => Some(e.status),
            Self::UnexpectedResponse { status, .. } | Self::Moved { status, .. } => Some(*status),
            Self::Transport(e) => e.status().map(|s| s.as_u16()),
            Self::Auth(AuthError::Refused { status, .. }) => Some(*status),
            Self::Decode { .. }
            | Self::InvalidRequest { .. }
            | Self::InvalidMethodName(_)
            | Self::Deadline { .. }
            | Self::NotRun(_)
            | Self::Auth(_) => None,
        }
    }

    pub(crate) fn transport(e: reqwest::Error) -> Self {
        // reqwest puts the URL in its messages; a webhook URL contains the secret code.
        Self::Transport(e.without_url())
    }
}

/// Whether the `error_description` a portal sent is the documented `description`: equal after
/// trimming whitespace and one trailing `.` from both, ignoring ASCII letter case
/// ([`ErrorCode::from_error`]). Used by generated code.
#[doc(hidden)]
pub fn same_description(sent: &str, documented: &str) -> bool {
    fn bare(text: &str) -> &str {
        let text = text.trim();
        text.strip_suffix('.').unwrap_or(text).trim_end()
    }
    bare(sent).eq_ignore_ascii_case(bare(documented))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_match_without_case_spaces_and_a_final_dot() {
        for sent in [
            "Not found",
            "not found",
            " Not found. ",
            "NOT FOUND.",
            "Not found .",
        ] {
            assert!(same_description(sent, "Not found"), "{sent:?}");
            assert!(same_description(sent, "Not found."), "{sent:?}");
        }
        for sent in [
            "Not found..",
            "Not  found",
            "Not found!",
            "",
            "Deal not found",
        ] {
            assert!(!same_description(sent, "Not found"), "{sent:?}");
        }
        // Only ASCII letters fold: other scripts compare exactly.
        assert!(same_description("Не найдено", "Не найдено."));
        assert!(!same_description("не найдено", "Не найдено"));
    }

    #[test]
    fn a_refused_request_names_the_method_and_every_parameter_of_the_group() {
        let e: Error<AnyErrorCode> = Error::InvalidRequest {
            method: "im.message.add",
            problem: RequestProblem::MissingOneOf(&["MESSAGE", "ATTACH", "KEYBOARD"]),
        };
        assert_eq!(
            e.to_string(),
            "not sent: `im.message.add` needs at least one of the parameters `MESSAGE`, `ATTACH` or `KEYBOARD`, and none is set"
        );
        assert_eq!((e.status(), e.api().is_none()), (None, true));
    }
}
