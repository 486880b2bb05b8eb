//! `b24 spec check` and `b24 spec expand`: the spec pipeline the macro runs, from the shell;
//! `b24 spec custom-fields`: a custom field set from a portal's answer.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use b24_spec::codegen::{Options, expand};
use clap::{Arg, ArgMatches, Command};

/// The `spec` subcommand and its subcommands.
pub fn command() -> Command {
    Command::new("spec")
        .about("Check spec files, show the Rust code generated from them, or write a set of a portal's custom fields")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(
            Command::new("check")
                .about("Load and check specs; print every problem with file:line:col")
                .arg(
                    Arg::new("paths")
                        .value_name("PATH")
                        .num_args(0..)
                        .default_value("specs")
                        .help("Spec files or directories (searched for *.yaml), relative to the current directory"),
                ),
        )
        .subcommand(
            Command::new("expand")
                .about("Print the Rust code generated from a spec file or directory")
                .arg(
                    Arg::new("path")
                        .value_name("FILE")
                        .required(true)
                        .help("Spec file or directory, relative to the current directory"),
                ),
        )
        .subcommand(crate::custom_fields::command())
}

/// Runs `b24 spec …`; `extra` are the specs given with `--specs`, which the built-in emulator
/// serves to `custom-fields`.
pub fn run(matches: &ArgMatches, extra: &[b24_spec::Spec]) -> ExitCode {
    let cwd = match std::env::current_dir() {
        Ok(cwd) => cwd,
        Err(e) => {
            eprintln!("error: cannot read the current directory: {e}");
            return ExitCode::FAILURE;
        }
    };
    match matches.subcommand() {
        Some(("check", m)) => {
            let paths: Vec<&String> = m
                .get_many::<String>("paths")
                .into_iter()
                .flatten()
                .collect();
            check(&cwd, &paths)
        }
        Some(("expand", m)) => match m.get_one::<String>("path") {
            Some(path) => expand_path(&cwd, path),
            None => ExitCode::from(2),
        },
        Some(("custom-fields", m)) => custom_fields(m, extra),
        _ => ExitCode::from(2),
    }
}

/// Asks the portal for its fields and prints the set file on stdout.
fn custom_fields(matches: &ArgMatches, extra: &[b24_spec::Spec]) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(crate::custom_fields::run(matches, extra)) {
        Ok(file) => {
            let mut stdout = std::io::stdout().lock();
            let _ = stdout
                .write_all(file.as_bytes())
                .and_then(|()| stdout.flush());
            ExitCode::SUCCESS
        }
        Err(failure) => failure.report(),
    }
}

fn check(cwd: &Path, paths: &[&String]) -> ExitCode {
    let mut problems = 0;
    // Method → file, across all paths: two specs of one method clash when generated together.
    let mut methods: BTreeMap<String, String> = BTreeMap::new();
    let mut sets: Vec<String> = Vec::new();
    for path in paths {
        match b24_spec::load_path(cwd, path) {
            Ok(set) => {
                sets.extend(set.sets.iter().map(|s| s.name.clone()));
                for spec in set.specs {
                    if let Some(first) = methods.insert(spec.method.clone(), spec.file.clone()) {
                        eprintln!(
                            "{}: method `{}` is already defined in `{first}`",
                            spec.file, spec.method
                        );
                        problems += 1;
                    }
                }
            }
            Err(diagnostics) => {
                for d in &diagnostics {
                    eprintln!("{d}");
                }
                problems += diagnostics.len();
            }
        }
    }
    if problems > 0 {
        eprintln!(
            "error: {problems} problem{} found",
            if problems == 1 { "" } else { "s" }
        );
        return ExitCode::FAILURE;
    }
    let names: Vec<&str> = methods.keys().map(String::as_str).collect();
    let sets = if sets.is_empty() {
        String::new()
    } else {
        format!(
            ", {} custom field set{} ({})",
            sets.len(),
            if sets.len() == 1 { "" } else { "s" },
            sets.join(", ")
        )
    };
    println!(
        "ok: {} spec{} checked ({}){sets}",
        names.len(),
        if names.len() == 1 { "" } else { "s" },
        names.join(", ")
    );
    ExitCode::SUCCESS
}

/// For one spec file inside a directory that has type libraries (`…/types/`), the set it
/// belongs to, so the file is expanded with the shared types it names in view.
fn enclosing_set(cwd: &Path, path: &str) -> Option<String> {
    let file = cwd.join(path);
    if !file.is_file() {
        return None;
    }
    file.ancestors()
        .skip(1)
        .take_while(|dir| dir.starts_with(cwd))
        .find(|dir| dir.join("types").is_dir())
        .and_then(|dir| dir.strip_prefix(cwd).ok())
        .map(|dir| dir.to_string_lossy().into_owned())
        .filter(|dir| !dir.is_empty())
}

fn expand_path(cwd: &Path, path: &str) -> ExitCode {
    let loaded = match enclosing_set(cwd, path) {
        Some(root) => b24_spec::load_path(cwd, &root).map(|mut set| {
            // The whole set was checked; print only the file asked for (and the shared types).
            let wanted = path.trim_start_matches("./").replace('\\', "/");
            set.specs.retain(|s| s.file == wanted);
            set
        }),
        None => b24_spec::load_path(cwd, path),
    };
    match loaded {
        Ok(set) => {
            let code = expand(&set, &Options::default());
            let mut stdout = std::io::stdout().lock();
            let _ = stdout
                .write_all(code.as_bytes())
                .and_then(|()| stdout.flush());
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            for d in &diagnostics {
                eprintln!("{d}");
            }
            ExitCode::FAILURE
        }
    }
}
