//! The exit codes of `b24`, one per kind of failure, so scripts can tell them apart.

use std::process::ExitCode;

use b24_client::ErrorCode;

/// How `b24` ended. The numbers are part of the command's interface (see `b24 --help`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: success.
    Success = 0,
    /// 1: the portal answered with an API error; also a `spec check` that found problems and
    /// a `serve` that could not run.
    Failed = 1,
    /// 2: usage error: a bad flag or value, or bad configuration (environment, spec files).
    Usage = 2,
    /// 3: transport or protocol failure: no answer, or one that is not Bitrix24 JSON.
    Transport = 3,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        Self::from(exit as u8)
    }
}

/// The exit-code section of `b24 --help`.
pub const HELP: &str = "\
Exit codes:
  0  success
  1  the portal answered with an API error (`error: CODE: description (HTTP n)`);
     `spec check` found problems; `serve` could not listen or stopped with an error
  2  usage error: a bad flag or value, or bad configuration (the environment above,
     --specs, --fixture)
  3  transport or protocol failure: the portal could not be reached (connection refused,
     timeout, reset), or its answer is not a usable Bitrix24 JSON answer (an HTML error
     page, a truncated body)";

/// Why a method call failed: what to print after `error: ` and the exit code.
#[derive(Debug)]
pub struct Failure {
    pub exit: Exit,
    pub message: String,
}

impl Failure {
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            exit: Exit::Usage,
            message: message.into(),
        }
    }

    pub fn transport(message: impl Into<String>) -> Self {
        Self {
            exit: Exit::Transport,
            message: message.into(),
        }
    }

    /// Prints `error: MESSAGE` on stderr and gives the exit code.
    pub fn report(&self) -> ExitCode {
        eprintln!("error: {}", self.message);
        self.exit.into()
    }
}

impl<C: ErrorCode> From<b24_client::Error<C>> for Failure {
    fn from(e: b24_client::Error<C>) -> Self {
        use b24_client::Error;
        match &e {
            // `CODE: description (HTTP n)`.
            Error::Api(api) => Self {
                exit: Exit::Failed,
                message: api.to_string(),
            },
            // Spec method names are checked when specs load; only a bug gets here.
            Error::InvalidMethodName(_) => Self::usage(e.to_string()),
            // Transport, unexpected answers and decoding errors; their messages never contain
            // URLs or credentials.
            _ => Self::transport(with_causes(&e)),
        }
    }
}

/// `request failed: error sending request: tcp connect error: Connection refused`: the
/// top-level message alone rarely says what went wrong.
fn with_causes(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let part = c.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        cause = c.source();
    }
    text
}
