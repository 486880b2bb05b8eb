//! Error codes any Bitrix24 method can return, whatever the method.
//!
//! Facts from <https://apidocs.bitrix24.com/error-codes.html>; codes are kept exactly as sent
//! (`expired_token` is lower case on the wire).

/// A system error: a code that is not specific to one method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SystemError {
    /// `INTERNAL_SERVER_ERROR` (500): the portal failed internally.
    InternalServerError,
    /// `ERROR_UNEXPECTED_ANSWER` (500): the portal produced an answer it could not send.
    ErrorUnexpectedAnswer,
    /// `QUERY_LIMIT_EXCEEDED` (503): too many requests; the leaky bucket is full.
    QueryLimitExceeded,
    /// `ERROR_BATCH_METHOD_NOT_ALLOWED` (405): this method cannot run inside `batch`.
    ErrorBatchMethodNotAllowed,
    /// `ERROR_BATCH_LENGTH_EXCEEDED` (400): the `batch` parameters are too long.
    ErrorBatchLengthExceeded,
    /// `NO_AUTH_FOUND` (401): the access token or webhook code is wrong.
    NoAuthFound,
    /// `INVALID_REQUEST` (400): the call must use HTTPS.
    InvalidRequest,
    /// `OVERLOAD_LIMIT` (503): REST is blocked for this portal by Bitrix24 support.
    OverloadLimit,
    /// `ACCESS_DENIED` (403): the portal's plan has no REST access. Methods may use the same
    /// code for their own meaning; their error enums then have a variant of their own.
    AccessDenied,
    /// `INVALID_CREDENTIALS` (403): the calling user lacks the permissions.
    InvalidCredentials,
    /// `ERROR_MANIFEST_IS_NOT_AVAILABLE` (404).
    ErrorManifestIsNotAvailable,
    /// `insufficient_scope` (403): the webhook or app lacks the method's scope.
    InsufficientScope,
    /// `expired_token` (401): the OAuth access token has expired; refresh it.
    ExpiredToken,
    /// `user_access_error` (403): the user has no access to the application.
    UserAccessError,
    /// `PORTAL_DELETED` (500): the portal's public part is closed or the portal is gone.
    PortalDeleted,
    /// `OPERATION_TIME_LIMIT` (429): the method used more than its operating time in the
    /// last 10 minutes.
    OperationTimeLimit,
}

impl SystemError {
    /// Every system error, in documentation order.
    pub const ALL: &'static [SystemError] = &[
        Self::InternalServerError,
        Self::ErrorUnexpectedAnswer,
        Self::QueryLimitExceeded,
        Self::ErrorBatchMethodNotAllowed,
        Self::ErrorBatchLengthExceeded,
        Self::NoAuthFound,
        Self::InvalidRequest,
        Self::OverloadLimit,
        Self::AccessDenied,
        Self::InvalidCredentials,
        Self::ErrorManifestIsNotAvailable,
        Self::InsufficientScope,
        Self::ExpiredToken,
        Self::UserAccessError,
        Self::PortalDeleted,
        Self::OperationTimeLimit,
    ];

    /// The code exactly as Bitrix24 sends it.
    pub fn code(self) -> &'static str {
        match self {
            Self::InternalServerError => "INTERNAL_SERVER_ERROR",
            Self::ErrorUnexpectedAnswer => "ERROR_UNEXPECTED_ANSWER",
            Self::QueryLimitExceeded => "QUERY_LIMIT_EXCEEDED",
            Self::ErrorBatchMethodNotAllowed => "ERROR_BATCH_METHOD_NOT_ALLOWED",
            Self::ErrorBatchLengthExceeded => "ERROR_BATCH_LENGTH_EXCEEDED",
            Self::NoAuthFound => "NO_AUTH_FOUND",
            Self::InvalidRequest => "INVALID_REQUEST",
            Self::OverloadLimit => "OVERLOAD_LIMIT",
            Self::AccessDenied => "ACCESS_DENIED",
            Self::InvalidCredentials => "INVALID_CREDENTIALS",
            Self::ErrorManifestIsNotAvailable => "ERROR_MANIFEST_IS_NOT_AVAILABLE",
            Self::InsufficientScope => "insufficient_scope",
            Self::ExpiredToken => "expired_token",
            Self::UserAccessError => "user_access_error",
            Self::PortalDeleted => "PORTAL_DELETED",
            Self::OperationTimeLimit => "OPERATION_TIME_LIMIT",
        }
    }

    /// The HTTP status Bitrix24 documents for the code.
    pub fn status(self) -> u16 {
        match self {
            Self::InternalServerError | Self::ErrorUnexpectedAnswer | Self::PortalDeleted => 500,
            Self::QueryLimitExceeded | Self::OverloadLimit => 503,
            Self::ErrorBatchMethodNotAllowed => 405,
            Self::ErrorBatchLengthExceeded | Self::InvalidRequest => 400,
            Self::NoAuthFound | Self::ExpiredToken => 401,
            Self::AccessDenied
            | Self::InvalidCredentials
            | Self::InsufficientScope
            | Self::UserAccessError => 403,
            Self::ErrorManifestIsNotAvailable => 404,
            Self::OperationTimeLimit => 429,
        }
    }

    /// A short description in the spirit of the portal's `error_description`.
    pub fn description(self) -> &'static str {
        match self {
            Self::InternalServerError => "Internal server error",
            Self::ErrorUnexpectedAnswer => "Server returned an unexpected response",
            Self::QueryLimitExceeded => "Too many requests",
            Self::ErrorBatchMethodNotAllowed => "Method is not allowed for batch usage",
            Self::ErrorBatchLengthExceeded => "Max batch length exceeded",
            Self::NoAuthFound => "Wrong authorization data",
            Self::InvalidRequest => "Https required",
            Self::OverloadLimit => "REST API is blocked due to overload",
            Self::AccessDenied => "REST API is available only on commercial plans",
            Self::InvalidCredentials => "Invalid request credentials",
            Self::ErrorManifestIsNotAvailable => "Manifest is not available",
            Self::InsufficientScope => {
                "The request requires higher privileges than provided by the webhook token"
            }
            Self::ExpiredToken => "The access token provided has expired",
            Self::UserAccessError => "The user does not have access to the application",
            Self::PortalDeleted => "Portal was deleted",
            Self::OperationTimeLimit => "Method is blocked due to operation time limit",
        }
    }

    /// The system error with exactly this code (case-sensitive), if any.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|e| e.code() == code)
    }

    /// Whether waiting and sending the same request again can succeed.
    pub fn is_transient(self) -> bool {
        matches!(
            self,
            Self::QueryLimitExceeded
                | Self::OperationTimeLimit
                | Self::InternalServerError
                | Self::ErrorUnexpectedAnswer
        )
    }
}

impl std::fmt::Display for SystemError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_keep_their_case() {
        for e in SystemError::ALL {
            assert_eq!(SystemError::from_code(e.code()), Some(*e));
        }
        assert_eq!(
            SystemError::from_code("expired_token"),
            Some(SystemError::ExpiredToken)
        );
        assert_eq!(SystemError::from_code("EXPIRED_TOKEN"), None);
        assert_eq!(SystemError::QueryLimitExceeded.status(), 503);
        assert_eq!(SystemError::OperationTimeLimit.status(), 429);
    }
}
