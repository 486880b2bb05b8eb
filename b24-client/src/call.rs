//! The one call path every method takes: hold back for operating time, get the token, wait
//! for a slot in the rate limit, send, read the answer, and decide whether to send again.
//!
//! Each call is one `tracing` span (`b24_call`, with the method and whether it only reads);
//! each attempt, wait and retry is an event inside it, with the attempt's number. Neither
//! holds a credential.
//!
//! Waits are measured on tokio time, so a paused test runtime skips them; the overall deadline
//! is checked before each wait instead of being a timer, so it never fires by itself while a
//! request is on its way.

use std::time::Duration;

use serde_json::{Map, Value};
use tokio::time::{Instant, sleep};
use tracing::Instrument;

use crate::client::{Auth, Client};
use crate::error::{Error, ErrorCode};
use crate::response::Response;
use crate::retry::{Retry, classify};
use crate::secret::Secret;
use crate::transport;

impl Client {
    /// Runs one call of `method` with `params` (without `auth`) to its end, decoding each
    /// answer with `decode` (status, body, the secret to redact from it).
    ///
    /// Everything that sends a request comes through here: typed calls, raw calls, and a
    /// `batch` (one HTTP request, one slot of the rate limit; `read_only` only when all its
    /// commands are).
    pub(crate) async fn execute<T, C, D>(
        &self,
        method: &str,
        read_only: bool,
        params: Map<String, Value>,
        decode: D,
    ) -> Result<Response<T>, Error<C>>
    where
        C: ErrorCode,
        D: Fn(u16, &[u8], Option<&Secret>) -> Result<Response<T>, Error<C>>,
    {
        self.execute_holding(method, read_only, &[], params, decode)
            .await
    }

    /// [`execute`](Self::execute) for a call that runs other methods too (a `batch`), held
    /// back while any of `also` is over its operating time as well as `method`.
    pub(crate) async fn execute_holding<T, C, D>(
        &self,
        method: &str,
        read_only: bool,
        also: &[&str],
        params: Map<String, Value>,
        decode: D,
    ) -> Result<Response<T>, Error<C>>
    where
        C: ErrorCode,
        D: Fn(u16, &[u8], Option<&Secret>) -> Result<Response<T>, Error<C>>,
    {
        if !valid_name(method) {
            return Err(Error::InvalidMethodName(method.to_owned()));
        }
        // The attempt goes on each event rather than on the span: `fmt` would print every
        // value a span field was ever given.
        let span = tracing::debug_span!("b24_call", method, read_only);
        self.run(method, read_only, also, params, decode)
            .instrument(span)
            .await
    }

    async fn run<T, C, D>(
        &self,
        method: &str,
        read_only: bool,
        also: &[&str],
        mut params: Map<String, Value>,
        decode: D,
    ) -> Result<Response<T>, Error<C>>
    where
        C: ErrorCode,
        D: Fn(u16, &[u8], Option<&Secret>) -> Result<Response<T>, Error<C>>,
    {
        let inner = &*self.inner;
        let policy = self.retry;
        let deadline = Instant::now() + policy.call_deadline();
        let session = match &inner.auth {
            Auth::OAuth(session) => {
                // The token goes in as the first key of the body, per attempt.
                params.remove("auth");
                Some(session)
            }
            Auth::Webhook { .. } => None,
        };
        let body = Value::Object(params).to_string();
        let url = match &inner.auth {
            Auth::Webhook { user_id, code } => {
                format!("{}/rest/{user_id}/{}/{method}", inner.portal, code.0)
            }
            Auth::OAuth(_) => format!("{}/rest/{method}", inner.portal),
        };
        let mut attempt = 0;
        let mut refreshed = false;
        let mut last: Option<Error<C>> = None;
        loop {
            // Operating time: held back while the portal would refuse the method.
            if let Some(limit) = inner.operating_limit
                && let Some(until) = std::iter::once(method)
                    .chain(also.iter().copied())
                    .filter_map(|m| inner.operating.hold(m, limit, Instant::now()))
                    .max()
            {
                let wait = until.saturating_duration_since(Instant::now());
                let what = "the method's operating time to reset";
                if Instant::now() + wait > deadline {
                    return Err(give_up(wait, what, last));
                }
                tracing::info!(
                    wait_ms = millis(wait),
                    "holding the call back: waiting for {what}"
                );
                sleep(wait).await;
            }
            if let Some(limiter) = &inner.limiter {
                let max_wait = deadline.saturating_duration_since(Instant::now());
                match limiter.dyn_reserve(max_wait).await {
                    Ok(wait) if wait.is_zero() => {}
                    Ok(wait) => {
                        tracing::debug!(
                            wait_ms = millis(wait),
                            "waiting for a slot in the portal's rate limit"
                        );
                        sleep(wait).await;
                    }
                    Err(wait) => {
                        return Err(give_up(wait, "a slot in the portal's rate limit", last));
                    }
                }
            }

            // After the wait: a token refreshed meanwhile is the one to send.
            let token = match session {
                Some(session) => Some(session.current(&self.http).await.map_err(Error::Auth)?),
                None => None,
            };
            attempt += 1;
            tracing::trace!(attempt, "sending");
            let body = match &token {
                Some(token) => with_auth(&body, &token.token),
                None => body.clone(),
            };
            let sent = Instant::now();
            let secret = match (&inner.auth, &token) {
                (Auth::Webhook { code, .. }, _) => Some(code),
                (_, Some(token)) => Some(&token.token),
                _ => None,
            };
            let outcome = transport::post(&self.http, &url, body, inner.request_timeout)
                .await
                .and_then(|answer| decode(answer.status, &answer.body, secret));
            let error = match outcome {
                Ok(response) => {
                    if let Some(time) = &response.time {
                        inner.operating.observe(method, time, sent, Instant::now());
                    }
                    return Ok(response);
                }
                Err(error) => error,
            };

            let retry = classify(&error, read_only);
            let wait = match retry {
                Retry::No => return Err(error),
                Retry::ExpiredToken => match (session, token) {
                    // One refresh per call: a token refused twice is not a stale token.
                    (Some(session), Some(token)) if session.can_refresh() && !refreshed => {
                        refreshed = true;
                        tracing::info!("the access token expired; refreshing it and sending again");
                        session
                            .refresh_after(token.generation, &self.http)
                            .await
                            .map_err(Error::Auth)?;
                        // A retry the portal never ran: not an attempt.
                        attempt -= 1;
                        continue;
                    }
                    _ => return Err(error),
                },
                Retry::RateLimited => {
                    if let Some(limiter) = &inner.limiter {
                        limiter.dyn_mark_full().await;
                    }
                    policy.backoff_after(attempt)
                }
                Retry::OperatingTime => inner
                    .operating
                    .refused(method, Instant::now())
                    .saturating_duration_since(Instant::now()),
                Retry::Transient => policy.backoff_after(attempt),
            };
            if attempt >= policy.attempts() {
                tracing::warn!(attempt, error = %error, "giving up: no attempts left");
                return Err(error);
            }
            if Instant::now() + wait > deadline {
                tracing::warn!(
                    attempt,
                    wait_ms = millis(wait),
                    error = %error,
                    "giving up: the wait before the next attempt would pass the call's deadline"
                );
                return Err(error);
            }
            tracing::warn!(
                attempt,
                wait_ms = millis(wait),
                reason = reason(retry),
                error = %error,
                "sending again after a wait"
            );
            sleep(wait).await;
            last = Some(error);
        }
    }
}

/// The error for a call whose next wait would pass its deadline: the last failure when
/// there was one, else [`Error::Deadline`].
fn give_up<C: ErrorCode>(wait: Duration, what: &'static str, last: Option<Error<C>>) -> Error<C> {
    tracing::warn!(
        wait_ms = millis(wait),
        "giving up: waiting for {what} would pass the call's deadline"
    );
    last.unwrap_or(Error::Deadline {
        waiting_for: what,
        wait,
    })
}

fn reason(retry: Retry) -> &'static str {
    match retry {
        Retry::RateLimited => "QUERY_LIMIT_EXCEEDED",
        Retry::OperatingTime => "OPERATION_TIME_LIMIT",
        Retry::ExpiredToken => "expired_token",
        Retry::Transient => "a transient failure of a read-only call",
        Retry::No => "none",
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// `{"auth":"TOKEN",…}`: the JSON object `body` with the token as its first key.
fn with_auth(body: &str, token: &Secret) -> String {
    let token = Value::String(token.0.clone()).to_string();
    match body.strip_prefix('{') {
        Some("}") | None => format!("{{\"auth\":{token}}}"),
        Some(rest) => format!("{{\"auth\":{token},{rest}"),
    }
}

/// Whether `method` is a method name: it becomes part of the URL path (or of a `batch`
/// command), so anything that could leave it is refused.
pub(crate) fn valid_name(method: &str) -> bool {
    !method.is_empty()
        && method.split('.').all(|part| {
            !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn method_names_that_could_escape_the_path_are_refused() {
        let client = Client::webhook("https://example.bitrix24.com/rest/1/abc123secret/").unwrap();
        for name in [
            "",
            "../../admin",
            "im.user.get?x=1",
            "im..get",
            "im.user.get/",
        ] {
            let e = client.call_raw(name, Map::new()).await.unwrap_err();
            assert!(matches!(e, Error::InvalidMethodName(_)), "{name}: {e}");
        }
        assert!(valid_name("im.user.get"));
    }

    #[test]
    fn the_token_is_the_first_key_of_the_body() {
        let token = Secret("t\"1".into());
        assert_eq!(with_auth("{}", &token), r#"{"auth":"t\"1"}"#);
        let body = with_auth(r#"{"ID":5}"#, &token);
        assert_eq!(body, r#"{"auth":"t\"1","ID":5}"#);
        let parsed: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(parsed["auth"], "t\"1");
    }
}
