//! The command tree: fixed commands (`serve`, `spec`) plus one subcommand per shipped method.

use std::ffi::OsString;
use std::path::Path;

use b24_spec::Spec;
use clap::{Arg, ArgAction, Command};

use crate::portal::{PORTAL_ENV, TOKEN_ENV, WEBHOOK_ENV};
use crate::{batch, exit, flags, serve, spec_cmd};

/// The `--specs` option of `b24` itself.
pub const SPECS: &str = "specs";

/// Every shipped spec, loaded. They were checked when `b24-client` was built, so a failure here
/// means the binary itself is broken; the message says which spec.
pub fn shipped_specs() -> Result<Vec<Spec>, String> {
    // One set, so specs can use the shipped type libraries.
    b24_emulator::load_specs(b24_client::SPECS)
        .map_err(|e| format!("the shipped specs are invalid: {e}"))
}

/// The paths given with `--specs` before the subcommand (`b24 --specs DIR METHOD …`). They are
/// needed before the command line can be parsed, as they add method subcommands; clap parses
/// them again (to the same values) when it parses the rest.
pub fn specs_paths(args: impl IntoIterator<Item = OsString>) -> Vec<OsString> {
    let mut paths = Vec::new();
    let mut args = args.into_iter().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--specs" {
            match args.next() {
                Some(path) => paths.push(path),
                // clap reports the missing value.
                None => break,
            }
        } else if let Some(path) = arg.to_str().and_then(|a| a.strip_prefix("--specs=")) {
            paths.push(path.into());
        } else {
            break;
        }
    }
    paths
}

/// The specs in `paths` (relative to `cwd`), each path a set of its own as in `b24 serve`.
/// Two of them defining one method is an error; each may replace a shipped spec.
pub fn load_specs(cwd: &Path, paths: &[OsString]) -> Result<Vec<Spec>, String> {
    let mut specs: Vec<Spec> = Vec::new();
    for path in paths {
        let shown = path.to_string_lossy();
        let path = path
            .to_str()
            .ok_or_else(|| format!("--specs `{shown}`: the path is not valid UTF-8"))?;
        let set = b24_spec::load_path(cwd, path).map_err(|diagnostics| {
            let lines: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
            format!("the specs in `{path}` are invalid:\n{}", lines.join("\n"))
        })?;
        for spec in set.specs {
            if let Some(first) = specs.iter().find(|s| s.method == spec.method) {
                return Err(format!(
                    "{}: method `{}` is already defined in `{}`",
                    spec.file, spec.method, first.file
                ));
            }
            specs.push(spec);
        }
    }
    Ok(specs)
}

/// The shipped specs with `extra` added, an extra spec replacing a shipped one of its method.
pub fn merge(shipped: Vec<Spec>, extra: &[Spec]) -> Vec<Spec> {
    let mut specs: Vec<Spec> = shipped
        .into_iter()
        .filter(|s| !extra.iter().any(|e| e.method == s.method))
        .collect();
    specs.extend(extra.iter().cloned());
    specs
}

/// The whole `b24` command line.
pub fn command(specs: &[Spec]) -> Command {
    let mut cmd = Command::new("b24")
        .version(env!("CARGO_PKG_VERSION"))
        .about("Call Bitrix24 REST methods, run a local Bitrix24 emulator, and check specs")
        .long_about(
            "Call Bitrix24 REST methods, run a local Bitrix24 emulator, and check specs.\n\n\
             Each method is a subcommand whose flags are the method's parameters: \
             `b24 im.user.get --id 5`. The `result` is printed as JSON on standard output; \
             errors go to standard error as `error: CODE: description (HTTP n)`.",
        )
        .after_help(format!(
            "Portal: set {WEBHOOK_ENV} to an incoming webhook URL \
             (https://PORTAL/rest/USER_ID/CODE/), or {PORTAL_ENV} (https://PORTAL) and \
             {TOKEN_ENV} for an OAuth application, to call a real portal; {WEBHOOK_ENV} wins \
             when both are set. Without them, method calls go to a built-in emulator started \
             for the call.\n\n\
             Output: the result is JSON, indented when standard output is a terminal and on one \
             line otherwise; --pretty or --compact after the method name chooses. List methods \
             take --all to fetch every record, with a progress bar on a terminal. `b24 batch` \
             runs several calls in one request.\n\n\
             Calls wait for the portal's rate limit, are sent again after failures that allow \
             it (a read-only method after a 5xx; any method after QUERY_LIMIT_EXCEEDED), and \
             refresh an expired OAuth token when the application's credentials are set.\n\n\
             {}\n\n{}",
            crate::portal::HELP,
            exit::HELP
        ))
        .subcommand_required(true)
        .arg_required_else_help(true)
        .arg(
            Arg::new(SPECS)
                .long(SPECS)
                .value_name("PATH")
                .action(ArgAction::Append)
                .help(
                    "Also load the specs in this directory or file (relative to the current \
                     directory), before the method name: each becomes a method subcommand, \
                     replacing a shipped spec of the same method, and the built-in emulator \
                     serves it",
                ),
        )
        .subcommand(serve::command())
        .subcommand(spec_cmd::command())
        .subcommand(batch::command());
    let mut sorted: Vec<&Spec> = specs.iter().collect();
    sorted.sort_by(|a, b| a.method.cmp(&b.method));
    for spec in sorted {
        cmd = cmd.subcommand(flags::command(spec));
    }
    cmd
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_tree_is_consistent() {
        let specs = shipped_specs().unwrap();
        command(&specs).debug_assert();
    }

    #[test]
    fn top_level_help_lists_every_method_with_its_summary() {
        let specs = shipped_specs().unwrap();
        let help = command(&specs).render_help().to_string();
        for spec in &specs {
            assert!(help.contains(&spec.method), "{help}");
            assert!(help.contains(&spec.summary), "{help}");
        }
        assert!(help.contains("serve") && help.contains("spec"), "{help}");
    }

    #[test]
    fn specs_paths_are_read_up_to_the_subcommand() {
        let args = |a: &[&str]| a.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(
            specs_paths(args(&[
                "b24",
                "--specs",
                "a",
                "--specs=b",
                "m.x",
                "--specs",
                "c"
            ])),
            args(&["a", "b"])
        );
        assert!(specs_paths(args(&["b24", "--help", "--specs", "a"])).is_empty());
        assert!(specs_paths(args(&["b24", "--specs"])).is_empty());
    }

    #[test]
    fn extra_specs_add_methods_and_replace_shipped_ones() {
        let list = b24_spec::load_str(
            "test.item.list.yaml",
            "method: test.item.list\nscope: test\nsummary: List items\n\
             docs: https://example.com/\naccess: any user\npaged: true\n\
             result: { type: array, items: json }\n",
        )
        .unwrap_or_else(|d| panic!("{d:?}"));
        let mut user = shipped_specs().unwrap()[0].clone();
        user.summary = "Replaced".into();
        let specs = merge(shipped_specs().unwrap(), &[list, user.clone()]);
        assert_eq!(specs.len(), shipped_specs().unwrap().len() + 1);
        let cmd = command(&specs);
        cmd.clone().debug_assert();
        let help = cmd.clone().render_help().to_string();
        assert!(
            help.contains("test.item.list") && help.contains("Replaced"),
            "{help}"
        );
        let e = cmd
            .try_get_matches_from(["b24", "test.item.list", "--all", "--start", "5"])
            .unwrap_err();
        assert_eq!(e.kind(), clap::error::ErrorKind::ArgumentConflict);
    }
}
