//! `b24 <method> [--param value …]`: one call (or, with `--all`, every record of a list), the
//! `result` on stdout as JSON.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use b24_client::{ById, Client, Paging};
use b24_spec::Spec;
use clap::ArgMatches;
use serde_json::{Map, Value};

use crate::exit::{Exit, Failure};
use crate::flags;
use crate::portal::Portal;

/// Calls `spec`'s method with the flags in `matches` and prints the outcome. `extra` are the
/// specs given with `--specs`, for the built-in emulator.
pub async fn run(spec: &Spec, matches: &ArgMatches, extra: &[Spec]) -> ExitCode {
    match call(spec, matches, extra).await {
        Ok(result) => {
            print(&result, pretty(matches));
            Exit::Success.into()
        }
        Err(failure) => failure.report(),
    }
}

async fn call(spec: &Spec, matches: &ArgMatches, extra: &[Spec]) -> Result<Value, Failure> {
    let params = flags::params(spec, matches);
    let all = matches.get_flag(flags::ALL);
    // Checked before connecting: a usage error makes no call.
    if all && !(spec.paged && flags::start_param(spec).is_some()) {
        return Err(Failure::usage(format!(
            "--all fetches every page of a list method, but `{}` is not one \
             (its spec does not say `paged: true`)",
            spec.method
        )));
    }
    let portal = Portal::connect(extra).await?;
    let outcome = if all {
        let progress = std::io::stderr().is_terminal().then(Progress::default);
        fetch_all(&portal.client, spec, params, progress).await
    } else {
        call_raw(&portal.client, spec, params)
            .await
            .map(|response| response.result)
            .map_err(Failure::from)
    };
    portal.close().await;
    outcome
}

/// Indented JSON when asked for, or by default when stdout is a terminal.
pub fn pretty(matches: &ArgMatches) -> bool {
    if matches.get_flag(flags::PRETTY) {
        true
    } else if matches.get_flag(flags::COMPACT) {
        false
    } else {
        std::io::stdout().is_terminal()
    }
}

pub fn print(result: &Value, pretty: bool) {
    let text = if pretty {
        serde_json::to_string_pretty(result)
    } else {
        serde_json::to_string(result)
    }
    .unwrap_or_else(|_| result.to_string());
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth reporting.
    let _ = writeln!(stdout, "{text}").and_then(|()| stdout.flush());
}

/// One call of `spec`'s method: a read-only one may be sent again after a failure the portal
/// may have run it through (a 5xx, a cut-off answer); any other only when it certainly did not.
async fn call_raw(
    client: &Client,
    spec: &Spec,
    params: Map<String, Value>,
) -> Result<b24_client::Response<Value>, b24_client::Error<b24_client::AnyErrorCode>> {
    if spec.read_only {
        client.call_raw_read_only(&spec.method, params).await
    } else {
        client.call_raw(&spec.method, params).await
    }
}

/// Every record of a list method, as one array: the client's list stream (by id where the
/// spec allows it, by offset otherwise), each page a call through the runtime. The progress
/// bar, if any, moves with each page.
async fn fetch_all(
    client: &Client,
    spec: &Spec,
    params: Map<String, Value>,
    mut progress: Option<Progress>,
) -> Result<Value, Failure> {
    let mut pages = client.pages_raw(&spec.method, spec.read_only, params, paging(spec));
    let mut records = Vec::new();
    let outcome = loop {
        match pages.next_page().await {
            None => break Ok(Value::Array(records)),
            Some(Err(e)) => break Err(Failure::from(e)),
            Some(Ok(page)) => {
                records.extend(page.items);
                if let Some(progress) = &mut progress {
                    progress.show(records.len(), page.total);
                }
            }
        }
    };
    if let Some(progress) = progress {
        progress.finish();
    }
    outcome
}

/// How `spec`'s list pages, as the generated `Paged::paging` says it for the typed client.
fn paging(spec: &Spec) -> Paging {
    let mut paging = Paging::new();
    if let Some(start) = flags::start_param(spec) {
        paging = paging.start(&start.wire);
    }
    if let Some(items) = &spec.paging.items {
        paging = paging.items(items);
    }
    if let Some(id) = &spec.paging.id {
        paging = paging.id(id);
        if let Some(select) = spec.record_select() {
            paging = paging.select(&select.wire);
        }
    }
    if let (Some(by_id), Some(after)) = (&spec.paging.by_id, spec.after_key()) {
        let order = by_id.order.iter().cloned().collect();
        paging = paging.by_id(ById::new(&by_id.filter, after, order));
    }
    paging
}

/// A one-line progress bar on stderr: `[#####·····] 50/120 records`, redrawn per page.
#[derive(Default)]
struct Progress {
    shown: bool,
}

/// Width of the bar, in characters.
const BAR: usize = 30;

impl Progress {
    fn show(&mut self, fetched: usize, total: Option<u64>) {
        let mut stderr = std::io::stderr().lock();
        let _ = write!(stderr, "\r{}", bar(fetched, total)).and_then(|()| stderr.flush());
        self.shown = true;
    }

    /// Ends the bar's line, so what follows starts on a line of its own.
    fn finish(self) {
        if self.shown {
            eprintln!();
        }
    }
}

fn bar(fetched: usize, total: Option<u64>) -> String {
    match total {
        // `start=-1` answers say `total` 0; a bar makes no sense then.
        Some(total) if total > 0 => {
            let total = usize::try_from(total).unwrap_or(usize::MAX);
            let done = (fetched.min(total) * BAR) / total;
            format!(
                "[{}{}] {fetched}/{total} records",
                "#".repeat(done),
                "-".repeat(BAR - done)
            )
        }
        _ => format!("{fetched} records"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bar_fills_with_the_records_fetched() {
        assert_eq!(
            bar(0, Some(120)),
            format!("[{}] 0/120 records", "-".repeat(30))
        );
        assert_eq!(
            bar(60, Some(120)),
            format!("[{}{}] 60/120 records", "#".repeat(15), "-".repeat(15))
        );
        assert_eq!(
            bar(120, Some(120)),
            format!("[{}] 120/120 records", "#".repeat(30))
        );
        // A portal that sends more than it announced does not overflow the bar.
        assert_eq!(
            bar(130, Some(120)),
            format!("[{}] 130/120 records", "#".repeat(30))
        );
        assert_eq!(bar(50, None), "50 records");
        assert_eq!(bar(50, Some(0)), "50 records");
    }
}
