//! Which failures are worth sending a call again for, and how long to wait before.
//!
//! The rule is whether the portal may have run the call. `QUERY_LIMIT_EXCEEDED`,
//! `OPERATION_TIME_LIMIT` and `expired_token` are answered before the method runs, and a
//! connection that could not be opened carried nothing, so those are retried for every
//! method. A 5xx answer, an HTML error page, a truncated body, a connection reset mid-call or
//! a timeout may come after the method ran: only a read-only method (the spec's `read_only`)
//! is sent again; a write comes back as the error, since sending it twice could do it twice.

use std::time::Duration;

use crate::error::{Error, ErrorCode};
use crate::system_error::SystemError;

/// How hard one call tries: attempts, an overall deadline, and the wait between attempts.
/// Set it for a client with [`ClientBuilder::retry`](crate::ClientBuilder::retry) and for some
/// calls with [`Client::with_retry`](crate::Client::with_retry).
///
/// ```
/// use std::time::Duration;
/// use b24_client::RetryPolicy;
///
/// let patient = RetryPolicy::default()
///     .max_attempts(10)
///     .deadline(Duration::from_secs(3600));
/// assert_eq!(patient.attempts(), 10);
/// assert_eq!(RetryPolicy::never().attempts(), 1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    deadline: Duration,
    first_backoff: Duration,
    max_backoff: Duration,
}

impl Default for RetryPolicy {
    /// Five attempts within fifteen minutes (waits for the rate limit and for operating time
    /// included: a method's operating time resets within ten), waiting 200 ms before the
    /// second attempt and twice as long before each next one, at most 30 s.
    fn default() -> Self {
        Self {
            max_attempts: 5,
            deadline: Duration::from_secs(900),
            first_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// One attempt: every failure comes back as it is. The rate limiter and operating-time
    /// accounting still hold calls back (within the deadline); an expired OAuth token is
    /// still refreshed once.
    pub fn never() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// At most `n` HTTP requests for one call (at least one). Waits for the rate limit are
    /// not attempts.
    #[must_use]
    pub fn max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }

    /// No wait (for the rate limiter, for operating time, before a retry) starts that would
    /// end more than `deadline` after the call began; the call then fails with the last
    /// error, or [`Error::Deadline`] when nothing was sent yet. Each HTTP request is bounded
    /// by the client's request timeout besides.
    #[must_use]
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// Waits `first` before the second attempt, doubling for each next one up to `max`.
    #[must_use]
    pub fn backoff(mut self, first: Duration, max: Duration) -> Self {
        self.first_backoff = first;
        self.max_backoff = max.max(first);
        self
    }

    /// The most HTTP requests one call makes.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The overall deadline of a call.
    pub fn call_deadline(&self) -> Duration {
        self.deadline
    }

    /// The wait before attempt `attempt + 1`, after `attempt` failed ones.
    pub(crate) fn backoff_after(&self, attempt: u32) -> Duration {
        let doublings = attempt.saturating_sub(1).min(20);
        self.first_backoff
            .saturating_mul(1 << doublings)
            .min(self.max_backoff)
    }
}

/// What a failed attempt calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Retry {
    /// Nothing: the outcome goes back to the caller.
    No,
    /// `QUERY_LIMIT_EXCEEDED`: the bucket is full; wait for a slot and send again.
    RateLimited,
    /// `OPERATION_TIME_LIMIT`: wait for the method's oldest basket to reset.
    OperatingTime,
    /// `expired_token`: refresh the token and send again.
    ExpiredToken,
    /// A failure after which a read-only call may be sent again.
    Transient,
}

/// How an attempt that ended with `error` may continue, for a call that is `read_only` or
/// not.
pub(crate) fn classify<C: ErrorCode>(error: &Error<C>, read_only: bool) -> Retry {
    let transient = |yes: bool| {
        if yes && read_only {
            Retry::Transient
        } else {
            Retry::No
        }
    };
    match error {
        Error::Api(api) => match api.code.system() {
            Some(SystemError::QueryLimitExceeded) => Retry::RateLimited,
            Some(SystemError::OperationTimeLimit) => Retry::OperatingTime,
            Some(SystemError::ExpiredToken) => Retry::ExpiredToken,
            // Blocked by Bitrix24 support, or the portal is gone: waiting does not help.
            Some(SystemError::OverloadLimit | SystemError::PortalDeleted) => Retry::No,
            _ => transient(api.status >= 500),
        },
        Error::UnexpectedResponse { status, reason, .. } => {
            transient(*status >= 500 || crate::envelope::is_cut_short(reason))
        }
        // Not connected: the request never left.
        Error::Transport(e) if e.is_connect() => Retry::Transient,
        Error::Transport(_) => transient(true),
        _ => Retry::No,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{AnyErrorCode, ApiError};

    fn api(code: &str, status: u16) -> Error<AnyErrorCode> {
        Error::Api(ApiError {
            code: AnyErrorCode::from_code(code),
            description: String::new(),
            status,
        })
    }

    fn unexpected(status: u16, reason: &str) -> Error<AnyErrorCode> {
        Error::UnexpectedResponse {
            status,
            reason: reason.into(),
            snippet: String::new(),
        }
    }

    #[test]
    fn limits_and_expired_tokens_are_retried_for_every_method() {
        for read_only in [true, false] {
            assert_eq!(
                classify(&api("QUERY_LIMIT_EXCEEDED", 503), read_only),
                Retry::RateLimited
            );
            assert_eq!(
                classify(&api("OPERATION_TIME_LIMIT", 429), read_only),
                Retry::OperatingTime
            );
            assert_eq!(
                classify(&api("expired_token", 401), read_only),
                Retry::ExpiredToken
            );
        }
    }

    #[test]
    fn failures_after_the_method_may_have_run_are_retried_for_reads_only() {
        let after_run = [
            api("INTERNAL_SERVER_ERROR", 500),
            api("ERROR_UNEXPECTED_ANSWER", 500),
            api("SOMETHING_NEW", 502),
            unexpected(
                502,
                "the body is not a JSON object (expected value at line 1)",
            ),
            unexpected(200, crate::envelope::TRUNCATED),
            unexpected(200, crate::envelope::EMPTY),
        ];
        for e in &after_run {
            assert_eq!(classify(e, true), Retry::Transient, "{e}");
            assert_eq!(classify(e, false), Retry::No, "{e}");
        }
        for e in [
            api("ACCESS_DENIED", 403),
            api("OVERLOAD_LIMIT", 503),
            api("PORTAL_DELETED", 500),
            api("NO_AUTH_FOUND", 401),
            unexpected(200, "the envelope has neither `result` nor `error`"),
            Error::InvalidMethodName("x".into()),
        ] {
            assert_eq!(classify(&e, true), Retry::No, "{e}");
        }
    }

    #[test]
    fn backoff_doubles_up_to_its_cap() {
        let p = RetryPolicy::default().backoff(Duration::from_millis(100), Duration::from_secs(1));
        let waits: Vec<u128> = (1..=6).map(|a| p.backoff_after(a).as_millis()).collect();
        assert_eq!(waits, [100, 200, 400, 800, 1000, 1000]);
        assert_eq!(RetryPolicy::default().max_attempts(0).attempts(), 1);
    }
}
