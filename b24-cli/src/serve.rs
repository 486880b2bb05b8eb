//! `b24 serve`: the emulator in the foreground until Ctrl-C or SIGTERM.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use b24_emulator::{DEFAULT_WEBHOOK_CODE, DEFAULT_WEBHOOK_USER, Emulator, Fault, Fixture, Plan};
use b24_spec::Spec;
use clap::{Arg, ArgMatches, Command, value_parser};

use crate::exit::Exit;

/// Default listening address.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8024";

/// The `serve` subcommand.
pub fn command() -> Command {
    Command::new("serve")
        .about("Run the built-in Bitrix24 emulator in the foreground")
        .long_about(
            "Run the built-in Bitrix24 emulator in the foreground until Ctrl-C or SIGTERM.\n\n\
             Standard output gets two lines, each flushed at once:\n  \
             1. the incoming webhook URL it accepts, e.g. \
             http://127.0.0.1:8024/rest/1/b24emulatorcode/\n  \
             2. the OAuth access token it accepts (send it as `auth` to http://ADDR/rest/METHOD)\n\n\
             Requests are logged to standard error: HTTP verb, REST method and status, never the \
             webhook code or token. Set B24_LOG (e.g. B24_LOG=debug) to change the log level.\n\n\
             Like a portal, the emulator limits the request rate (--plan), counts each method's \
             operating time, and expires the access token after an hour.\n\n\
             Fault rules (--fault, repeatable, first that fires wins) read \
             METHOD:ANSWER[:OPTION...], METHOD being a method name or * for every method:\n  \
             answers: error=CODE, 500, html502, truncated, reset (close without an answer), \
             slow=DURATION (250ms, 2s), expire-token\n  \
             options: after=N (only calls after the N-th), p=P (probability 0..1), seed=S\n\
             e.g. --fault im.user.get:error=ACCESS_DENIED:after=3 --fault '*:p=0.1:seed=7:html502'",
        )
        .arg(
            Arg::new("addr")
                .long("addr")
                .value_name("IP:PORT")
                .default_value(DEFAULT_ADDR)
                .value_parser(value_parser!(SocketAddr))
                .help("Address to listen on; port 0 picks a free port"),
        )
        .arg(
            Arg::new("fixture")
                .long("fixture")
                .value_name("FILE")
                .value_parser(value_parser!(PathBuf))
                .help(
                    "Answer from this fixture ({\"users\": [...], ...}): its collections replace \
                     the built-in ones of the same name, the others stay; JSON if the name ends \
                     in .json, YAML otherwise",
                ),
        )
        .arg(
            Arg::new("plan")
                .long("plan")
                .value_name("PLAN")
                .default_value("standard")
                .value_parser(|text: &str| text.parse::<Plan>())
                .help(
                    "Rate limit: standard (2 requests/s, 50 at once), enterprise (5/s, 250), \
                     unlimited, or PER_SECOND/BURST",
                ),
        )
        .arg(
            Arg::new("fault")
                .long("fault")
                .value_name("RULE")
                .action(clap::ArgAction::Append)
                .value_parser(|text: &str| text.parse::<Fault>())
                .help("Make matching calls fail, e.g. im.user.get:error=ACCESS_DENIED:after=3 (see --help)"),
        )
        .arg(
            Arg::new("webhook")
                .long("webhook")
                .value_name("USER:CODE[:SCOPES]")
                .action(clap::ArgAction::Append)
                .value_parser(parse_webhook)
                .help(
                    "Also accept this webhook, e.g. 8:formercode, or 1:usersonly:user,department \
                     to allow only those scopes; the default webhook stays on stdout",
                ),
        )
        .arg(
            Arg::new("specs")
                .long("specs")
                .value_name("PATH")
                .action(clap::ArgAction::Append)
                .help("Also serve the specs in this directory or file (relative to the current directory)"),
        )
}

/// Runs `b24 serve`; `extra` are the specs given to `b24 --specs`.
pub async fn run(matches: &ArgMatches, extra: &[Spec]) -> ExitCode {
    // Bad specs, fixtures and fault rules are bad flag values: usage errors.
    let emulator = match configure(matches, extra) {
        Ok(emulator) => emulator,
        Err(message) => {
            eprintln!("error: {message}");
            return Exit::Usage.into();
        }
    };
    let addr = *matches
        .get_one::<SocketAddr>("addr")
        .expect("`addr` has a default");
    let running = match emulator.start(addr).await {
        Ok(running) => running,
        Err(e) => {
            eprintln!("error: cannot listen on {addr}: {e}");
            return ExitCode::FAILURE;
        }
    };

    // Scripts read the first line to learn the URL, so it must not wait in a buffer.
    let mut stdout = std::io::stdout().lock();
    let printed = writeln!(stdout, "{}", running.webhook_url())
        .and_then(|()| writeln!(stdout, "{}", running.access_token()))
        .and_then(|()| stdout.flush());
    drop(stdout);
    if let Err(e) = printed {
        eprintln!("error: cannot write to standard output: {e}");
        let _ = running.shutdown().await;
        return ExitCode::FAILURE;
    }
    let methods = emulator.methods().count();
    eprintln!(
        "b24: emulator serving {methods} method{} at {}; webhook URL and OAuth token are on \
         stdout; Ctrl-C stops it",
        if methods == 1 { "" } else { "s" },
        running.base_url()
    );

    if let Err(e) = stop_signal().await {
        eprintln!("error: cannot listen for Ctrl-C: {e}");
    }
    eprintln!("b24: stopping");
    match running.shutdown().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: the emulator stopped with an error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn configure(matches: &ArgMatches, extra: &[Spec]) -> Result<Emulator, String> {
    let mut builder = Emulator::builder();
    for spec in extra {
        builder = builder.spec(spec.clone());
    }
    if let Some(paths) = matches.get_many::<String>("specs") {
        let cwd = std::env::current_dir()
            .map_err(|e| format!("cannot read the current directory: {e}"))?;
        for path in paths {
            let set = b24_spec::load_path(&cwd, path).map_err(|diagnostics| {
                let lines: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
                format!("the specs in `{path}` are invalid:\n{}", lines.join("\n"))
            })?;
            for spec in set.specs {
                builder = builder.spec(spec);
            }
        }
    }
    if let Some(path) = matches.get_one::<PathBuf>("fixture") {
        builder = builder.fixture(Fixture::builtin().overlay(read_fixture(path)?));
    }
    let extra_hooks: Vec<&ExtraWebhook> = matches
        .get_many::<ExtraWebhook>("webhook")
        .into_iter()
        .flatten()
        .collect();
    if !extra_hooks.is_empty() {
        // Giving any webhook replaces the default one: keep it first, as stdout shows it.
        builder = builder.webhook(DEFAULT_WEBHOOK_USER, DEFAULT_WEBHOOK_CODE);
    }
    for hook in extra_hooks {
        builder = match &hook.scopes {
            Some(scopes) => builder.webhook_with_scopes(hook.user_id, &hook.code, scopes.clone()),
            None => builder.webhook(hook.user_id, &hook.code),
        };
    }
    if let Some(plan) = matches.get_one::<Plan>("plan") {
        builder = builder.plan(*plan);
    }
    for fault in matches.get_many::<Fault>("fault").into_iter().flatten() {
        builder = builder.fault(fault.clone());
    }
    builder.build().map_err(|e| e.to_string())
}

/// A webhook given with `--webhook`.
#[derive(Clone)]
struct ExtraWebhook {
    user_id: u64,
    code: String,
    scopes: Option<Vec<String>>,
}

/// `USER:CODE` or `USER:CODE:SCOPE,SCOPE`. The code is not echoed in errors.
fn parse_webhook(text: &str) -> Result<ExtraWebhook, String> {
    let mut parts = text.splitn(3, ':');
    let user_id = parts
        .next()
        .and_then(|u| u.parse::<u64>().ok())
        .ok_or("expected USER:CODE[:SCOPES], with a numeric user id first")?;
    let code = parts
        .next()
        .filter(|c| !c.is_empty())
        .ok_or("expected USER:CODE[:SCOPES]: the code is missing")?
        .to_owned();
    let scopes = parts.next().map(|s| {
        s.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    });
    Ok(ExtraWebhook {
        user_id,
        code,
        scopes,
    })
}

/// A fixture file: JSON when the name ends in `.json`, YAML otherwise.
fn read_fixture(path: &std::path::Path) -> Result<Fixture, String> {
    let shown = path.display();
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("cannot read fixture `{shown}`: {e}"))?;
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let fixture = if is_json {
        Fixture::from_json_str(&text)
    } else {
        Fixture::from_yaml_str(&shown.to_string(), &text)
    };
    fixture.map_err(|e| format!("fixture `{shown}`: {e}"))
}

/// Resolves on Ctrl-C, or on SIGTERM where there is one.
async fn stop_signal() -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate())?;
        tokio::select! {
            r = tokio::signal::ctrl_c() => r,
            _ = term.recv() => Ok(()),
        }
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await
    }
}
