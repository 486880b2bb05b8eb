//! Fault injection: rules that make the emulator answer with an error instead of the real
//! result, so code that handles Bitrix24's errors can be tested without a portal that fails.

/// A rule that makes matching calls fail.
///
/// ```
/// use b24_emulator::{Emulator, Fault};
///
/// let emulator = Emulator::builder()
///     .fault(Fault::error("im.user.get", "ACCESS_DENIED"))
///     .fault(Fault::error_everywhere("QUERY_LIMIT_EXCEEDED"))
///     .build();
/// assert!(emulator.is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// The method it applies to (case-insensitive), or every method.
    pub(crate) method: Option<String>,
    pub(crate) answer: FaultAnswer,
}

/// What a faulty call answers.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FaultAnswer {
    /// The error envelope of this code: a code the method's spec declares (with the spec's
    /// status and description) or a system code (with its documented status).
    Error {
        /// The code exactly as it is to be sent.
        code: String,
    },
}

impl Fault {
    /// Every call of `method` answers with error `code`.
    pub fn error(method: impl Into<String>, code: impl Into<String>) -> Self {
        Self {
            method: Some(method.into()),
            answer: FaultAnswer::Error { code: code.into() },
        }
    }

    /// Every call of every method answers with error `code`; it must be a system code or one
    /// that every spec declares.
    pub fn error_everywhere(code: impl Into<String>) -> Self {
        Self {
            method: None,
            answer: FaultAnswer::Error { code: code.into() },
        }
    }

    /// The same rule, limited to `method`.
    #[must_use]
    pub fn for_method(mut self, method: impl Into<String>) -> Self {
        self.method = Some(method.into());
        self
    }

    /// Whether the rule applies to calls of `method` (already lower case, without `.json`).
    pub(crate) fn applies_to(&self, method: &str) -> bool {
        self.method
            .as_deref()
            .is_none_or(|m| m.to_ascii_lowercase().trim_end_matches(".json") == method)
    }
}
