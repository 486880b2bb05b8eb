//! One method call, from fault rules and limits to the answer and its `time` block. The same
//! path serves calls over HTTP and commands inside `batch`.

use std::time::Duration;

use b24_client::SystemError;
use tokio::time::Instant;

use crate::answer::{Answer, answer};
use crate::auth::Caller;
use crate::batch;
use crate::clock::TimeBlock;
use crate::emulator::{BATCH, State};
use crate::envelope::Failure;
use crate::fault::FaultAnswer;
use crate::request::Params;

/// How a call ends.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// A result; `truncate` sends its envelope cut in half.
    Answered {
        answer: Answer,
        time: TimeBlock,
        truncate: bool,
    },
    /// An error envelope.
    Failed(Failure),
    /// An HTML 502 page instead of JSON.
    Html502,
    /// No answer: the connection is closed.
    Reset,
}

/// Runs `method` for `caller`, starting at `start`; returns how it ended and when it
/// finished. `nested` calls are `batch` commands: they cannot be `batch` themselves, and
/// faults that break the HTTP response do not apply to them.
pub(crate) async fn run(
    state: &State,
    caller: &Caller,
    method: &str,
    params: &Params,
    start: Instant,
    nested: bool,
) -> (Outcome, Instant) {
    let failed = |f: Failure| (Outcome::Failed(f), start);
    let lower = method.to_ascii_lowercase();
    if lower.ends_with(".xml") {
        return failed(Failure::bad_request(
            "XML responses are not supported by the emulator; leave out the `.xml` suffix",
        ));
    }
    let key = lower.strip_suffix(".json").unwrap_or(&lower);
    let spec = if key == BATCH {
        if nested {
            return failed(Failure::system(
                SystemError::ErrorBatchMethodNotAllowed,
                SystemError::ErrorBatchMethodNotAllowed.description(),
            ));
        }
        None
    } else {
        match state.method(key) {
            Some(spec) => Some(spec),
            None => return failed(Failure::method_not_found()),
        }
    };

    if let Some(spec) = spec
        && !spec.scopes().any(|scope| caller.may_use(scope))
    {
        // Inside `batch` the portal sends this code with an empty description, as the batch
        // page's error examples show.
        let description = if nested {
            ""
        } else {
            SystemError::InsufficientScope.description()
        };
        return failed(Failure::system(SystemError::InsufficientScope, description));
    }

    let mut truncate = false;
    match state.faults.pick(key) {
        Some(FaultAnswer::Error { code }) => {
            return failed(match spec {
                Some(spec) => Failure::declared(spec, &code, None),
                None => Failure::undeclared(&code),
            });
        }
        Some(FaultAnswer::InternalServerError) => {
            return failed(Failure::undeclared(SystemError::InternalServerError.code()));
        }
        Some(FaultAnswer::ExpireToken) => {
            if let Some(token) = &caller.token {
                state.credentials.expire(token, state.clock.now());
            }
            return failed(Failure::undeclared(SystemError::ExpiredToken.code()));
        }
        Some(FaultAnswer::Slow(delay)) => tokio::time::sleep(delay).await,
        Some(FaultAnswer::Html502) if !nested => return (Outcome::Html502, start),
        Some(FaultAnswer::ConnectionReset) if !nested => return (Outcome::Reset, start),
        Some(FaultAnswer::TruncatedJson) if !nested => truncate = true,
        _ => {}
    }
    // After a slow fault, work starts later than the request arrived.
    let begun = start.max(state.clock.now());

    let Some(spec) = spec else {
        let (result, finish) = Box::pin(batch::run(state, caller, params, begun)).await;
        return match result {
            Ok(result) => {
                let time = state.clock.block(start, finish, finish - begun, None);
                (
                    Outcome::Answered {
                        answer: Answer::from(result),
                        time,
                        truncate,
                    },
                    finish,
                )
            }
            Err(failure) => (Outcome::Failed(failure), finish),
        };
    };

    if !state.meter.admits(&caller.identity, key, begun) {
        return failed(Failure::system(
            SystemError::OperationTimeLimit,
            SystemError::OperationTimeLimit.description(),
        ));
    }
    let processing: Duration = state.processing_time(key);
    let result = answer(
        spec,
        &mut state.fixture(),
        params,
        caller.user_id,
        state.clock.wall(begun),
        state.handlers.get(key),
    );
    let operating = state.meter.record(&caller.identity, key, begun, processing);
    // Absurd processing times (`Duration::MAX`) must not overflow the clock.
    let finish = begun.checked_add(processing).unwrap_or(begun);
    match result {
        Ok(answer) => {
            let time = state
                .clock
                .block(start, finish, processing, Some(operating));
            (
                Outcome::Answered {
                    answer,
                    time,
                    truncate,
                },
                finish,
            )
        }
        Err(failure) => (Outcome::Failed(failure), finish),
    }
}
