//! `b24 <method> [--param value …]`: one call, its `result` on stdout.

use std::io::Write;
use std::process::ExitCode;

use b24_client::Error;
use b24_spec::Spec;
use clap::ArgMatches;

use crate::flags;
use crate::portal::{Portal, PortalError};

/// Calls `spec`'s method with the flags in `matches` and prints the outcome.
pub async fn run(spec: &Spec, matches: &ArgMatches) -> ExitCode {
    let params = flags::params(spec, matches);
    let portal = match Portal::connect().await {
        Ok(portal) => portal,
        Err(PortalError::Config(message)) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
        Err(PortalError::Emulator(message)) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = portal.client.call_raw(&spec.method, params).await;
    portal.close().await;
    match outcome {
        Ok(response) => {
            let text = serde_json::to_string_pretty(&response.result)
                .unwrap_or_else(|_| response.result.to_string());
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (`| head`) is not an error worth reporting.
            let _ = writeln!(stdout, "{text}").and_then(|()| stdout.flush());
            ExitCode::SUCCESS
        }
        Err(Error::Api(api)) => {
            // `CODE: description (HTTP n)`.
            eprintln!("error: {api}");
            ExitCode::FAILURE
        }
        Err(e) => {
            // Transport and decoding errors; their messages never contain URLs.
            eprintln!("error: {}", with_causes(&e));
            ExitCode::FAILURE
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
