//! `b24`: call Bitrix24 REST methods from the shell, run the built-in emulator, check specs.
//!
//! Method subcommands and their flags are built at run time from the specs `b24-client` ships
//! (and those given with `--specs`), so every method with a spec is callable without code of
//! its own.

mod app;
mod batch;
mod call;
mod custom_fields;
mod exit;
mod flags;
mod portal;
mod serve;
mod spec_cmd;

use std::io::IsTerminal;
use std::process::ExitCode;

use tracing_subscriber::EnvFilter;

use crate::exit::Exit;

fn main() -> ExitCode {
    let shipped = match app::shipped_specs() {
        Ok(specs) => specs,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };
    let extra = match std::env::current_dir()
        .map_err(|e| format!("cannot read the current directory: {e}"))
        .and_then(|cwd| app::load_specs(&cwd, &app::specs_paths(std::env::args_os())))
    {
        Ok(extra) => extra,
        Err(message) => {
            eprintln!("error: {message}");
            return Exit::Usage.into();
        }
    };
    let specs = app::merge(shipped, &extra);
    // Prints help or a usage error and exits (code 2) by itself.
    let matches = app::command(&specs).get_matches();
    let Some((name, sub)) = matches.subcommand() else {
        return Exit::Usage.into();
    };
    init_logging(name == "serve");

    if name == "spec" {
        return spec_cmd::run(sub, &extra);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async {
        if name == "serve" {
            return serve::run(sub, &extra).await;
        }
        if name == "batch" {
            return batch::run(sub, &specs, &extra).await;
        }
        match specs.iter().find(|s| s.method == name) {
            Some(spec) => call::run(spec, sub, &extra).await,
            None => Exit::Usage.into(),
        }
    })
}

/// Logs go to stderr. `serve` logs each request by default; other commands only errors, so
/// a call's output stays clean. `B24_LOG` (an env-filter expression) overrides both.
fn init_logging(serving: bool) {
    let default = if serving {
        "b24_emulator=info"
    } else {
        "error"
    };
    let filter = EnvFilter::try_from_env("B24_LOG").unwrap_or_else(|_| EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false)
        .init();
}
