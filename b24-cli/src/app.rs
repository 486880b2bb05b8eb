//! The command tree: fixed commands (`serve`, `spec`) plus one subcommand per shipped method.

use b24_spec::Spec;
use clap::Command;

use crate::portal::WEBHOOK_ENV;
use crate::{flags, serve, spec_cmd};

/// Every shipped spec, loaded. They were checked when `b24-client` was built, so a failure here
/// means the binary itself is broken; the message says which spec.
pub fn shipped_specs() -> Result<Vec<Spec>, String> {
    // One set, so specs can use the shipped type libraries.
    let sources: Vec<(&str, &str)> = b24_client::SPECS.iter().map(|s| (s.path, s.text)).collect();
    b24_spec::load_sources(&sources)
        .map(|set| set.specs)
        .map_err(|diagnostics| {
            let lines: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
            format!("the shipped specs are invalid:\n{}", lines.join("\n"))
        })
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
             (https://PORTAL/rest/USER_ID/CODE/) to call a real portal. Without it, method \
             calls go to a built-in emulator started for the call.\n\n\
             Exit codes: 0 success, 1 the call or check failed, 2 usage error."
        ))
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(serve::command())
        .subcommand(spec_cmd::command());
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
}
