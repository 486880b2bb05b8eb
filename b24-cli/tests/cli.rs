//! The real `b24` binary, run as a user would run it.

mod support;

use support::*;

use serde_json::Value;

fn example_result() -> Value {
    // The shipped specs load as one set: im.user.get's `User` lives in a type library.
    let spec = b24_emulator::load_specs(b24_client::SPECS)
        .unwrap()
        .into_iter()
        .find(|s| s.method == "im.user.get")
        .unwrap();
    spec.example.unwrap().response["result"].clone()
}

const NOTICE: &str =
    "b24: B24_WEBHOOK_URL is not set; using the built-in emulator at http://127.0.0.1:";

#[test]
fn a_call_without_a_webhook_uses_the_built_in_emulator() {
    let (code, stdout, stderr) = run(b24().args(["im.user.get", "--id", "5", "--avatar-hr", "Y"]));
    assert_eq!(code, 0, "{stderr}");
    let printed: Value = serde_json::from_str(&stdout).expect("JSON on stdout");
    assert_eq!(printed, example_result());
    assert!(stderr.starts_with(NOTICE), "{stderr}");

    let (code, stdout, _) = run(b24().args(["im.user.get"]));
    assert_eq!(code, 0);
    assert_eq!(serde_json::from_str::<Value>(&stdout).unwrap()["id"], 1);
}

/// Exactly one line of compact JSON: the value written without any whitespace between its
/// tokens (strings may hold `: `), then a newline.
fn one_line(stdout: &str) -> Value {
    let value: Value = serde_json::from_str(stdout).expect("JSON on stdout");
    assert_eq!(
        stdout,
        format!("{}\n", serde_json::to_string(&value).unwrap())
    );
    value
}

#[test]
fn json_is_compact_on_a_pipe_unless_pretty_is_asked_for() {
    let (code, stdout, stderr) = run(b24().args(["im.user.get", "--id", "5"]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(one_line(&stdout), example_result());

    let (code, pretty, stderr) = run(b24().args(["im.user.get", "--id", "5", "--pretty"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(pretty.contains("\n  \"id\": 5,\n"), "indented: {pretty}");
    assert_eq!(
        serde_json::from_str::<Value>(&pretty).unwrap(),
        example_result()
    );

    // The last of --pretty and --compact wins.
    let (code, stdout, _) = run(b24().args(["im.user.get", "--pretty", "--compact"]));
    assert_eq!(code, 0);
    assert_eq!(one_line(&stdout)["id"], 1);
    let (code, stdout, _) = run(b24().args(["im.user.get", "--compact", "--pretty"]));
    assert_eq!(code, 0);
    assert!(stdout.lines().count() > 1, "{stdout}");
}

#[test]
fn api_errors_exit_1_with_code_description_and_status() {
    let (code, stdout, stderr) = run(b24().args(["im.user.get", "--id", "999999"]));
    assert_eq!(code, 1);
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        stderr.contains("error: USER_NOT_EXISTS: User does not exist (HTTP 400)"),
        "{stderr}"
    );
    let (code, _, stderr) = run(b24().args(["im.user.get", "--id", "0"]));
    assert_eq!(code, 1);
    assert!(stderr.contains("error: ID_EMPTY: "), "{stderr}");
}

#[test]
fn bad_flag_values_are_usage_errors() {
    let (code, stdout, stderr) = run(b24().args(["im.user.get", "--id", "abc"]));
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(stderr.contains("--id"), "{stderr}");
    assert!(
        !stderr.contains("built-in emulator"),
        "no call is made: {stderr}"
    );

    let (code, _, stderr) = run(b24().args(["im.user.get", "--avatar-hr", "maybe"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("--avatar-hr"), "{stderr}");

    let (code, _, _) = run(b24().args(["im.user.get", "--no-such-flag", "1"]));
    assert_eq!(code, 2);
}

#[test]
fn order_flags_take_fields_and_directions() {
    let ids = |stdout: &str| -> Vec<String> {
        one_line(stdout)
            .as_array()
            .expect("a list")
            .iter()
            .map(|u| u["ID"].as_str().unwrap().to_owned())
            .collect()
    };
    // Sort keys in turn, directions in any case: the extranet user first, then by id.
    let (code, stdout, stderr) = run(b24().args([
        "user.get",
        "--order",
        "USER_TYPE:desc,ID:asc",
        "--select",
        "NAME",
    ]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(ids(&stdout), ["9", "1", "4", "5", "6", "7", "8"]);
    // The same as JSON; and `user.get`'s documented direction for `--sort`.
    let (code, stdout, _) = run(b24().args(["user.get", "--order", r#"{"ID": "DESC"}"#]));
    assert_eq!(code, 0);
    assert_eq!(ids(&stdout), ["9", "8", "7", "6", "5", "4", "1"]);
    let (code, stdout, _) = run(b24().args(["user.get", "--sort", "LAST_NAME", "--order", "desc"]));
    assert_eq!(code, 0);
    assert_eq!(ids(&stdout), ["5", "8", "1", "7", "4", "9", "6"]);
    // Names the record lacks and unknown directions are usage errors, before any call.
    for bad in ["AGE:asc", "ID:up", "{\"*\": \"ASC\"}", "up"] {
        let (code, stdout, stderr) = run(b24().args(["user.get", "--order", bad]));
        assert_eq!(code, 2, "{bad}: {stderr}");
        assert!(stdout.is_empty());
        assert!(stderr.contains("--order"), "{bad}: {stderr}");
    }
    let (_, help, _) = run(b24().args(["user.get", "--help"]));
    assert!(help.contains("--order <ORDER>"), "{help}");
    assert!(help.contains("FIELD:asc or FIELD:desc"), "{help}");
}

#[test]
fn help_lists_methods_and_their_parameters() {
    let (code, stdout, _) = run(b24().arg("--help"));
    assert_eq!(code, 0);
    // One line per method: its name, then (aligned with the longest name) its summary.
    assert!(
        stdout.lines().any(|l| {
            let l = l.trim_start();
            l.starts_with("im.user.get ")
                && l.ends_with(
                    "Get the messenger profile of the current user, or of another user by id",
                )
        }),
        "{stdout}"
    );
    assert!(stdout.contains("B24_WEBHOOK_URL"), "{stdout}");
    assert!(
        stdout.contains("B24_PORTAL") && stdout.contains("B24_ACCESS_TOKEN"),
        "{stdout}"
    );
    for line in [
        "Exit codes:",
        "  0  success",
        "  1  the portal answered with an API error",
        "  2  usage error: a bad flag or value, or bad configuration",
        "  3  transport or protocol failure",
    ] {
        assert!(stdout.contains(line), "{line:?} in {stdout}");
    }

    let (code, stdout, _) = run(b24().args(["im.user.get", "--help"]));
    assert_eq!(code, 0);
    assert!(stdout.contains("--avatar-hr <Y|N>"), "{stdout}");
    assert!(stdout.contains("Id of the user to read"), "{stdout}");
    assert!(stdout.contains("USER_NOT_EXISTS"), "{stdout}");
    assert!(stdout.contains("Scope: im. "), "{stdout}");
    // Every scope that grants the method, as its official page lists them.
    let (_, stdout, _) = run(b24().args(["user.get", "--help"]));
    assert!(
        stdout.contains("Scope: user (or user_brief, user_basic). "),
        "{stdout}"
    );

    let (code, stdout, _) = run(b24().args(["serve", "--help"]));
    assert_eq!(code, 0);
    assert!(stdout.contains("OAuth access token"), "{stdout}");
}

#[test]
fn a_bad_webhook_url_exits_2_without_showing_the_code() {
    for url in [
        "https://example.bitrix24.com/rest/1/topsecret-code/",
        "ftp://example.bitrix24.com/rest/1/topsecret/",
        "https://example.bitrix24.com/rest/x/topsecret/",
        "topsecret",
    ] {
        let (code, stdout, stderr) =
            run(b24()
                .env("B24_WEBHOOK_URL", url)
                .args(["im.user.get", "--id", "5"]));
        assert_eq!(code, 2, "{url}: {stderr}");
        assert!(stderr.contains("B24_WEBHOOK_URL"), "{stderr}");
        assert!(
            !stdout.contains("topsecret") && !stderr.contains("topsecret"),
            "{stderr}"
        );
    }
}

#[test]
fn an_unreachable_portal_is_a_transport_error() {
    // A port that was free a moment ago: nothing listens there now.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/rest/1/topsecret/");
    // One attempt: a refused connection is retried by default, with real waits.
    let (code, _, stderr) = run(b24()
        .env("B24_WEBHOOK_URL", url)
        .env("B24_ATTEMPTS", "1")
        .args(["im.user.get"]));
    assert_eq!(code, 3);
    assert!(
        stderr.starts_with("error: request to Bitrix24 failed"),
        "{stderr}"
    );
    assert!(!stderr.contains("topsecret"), "{stderr}");
}

#[cfg(unix)] // stops the server with SIGTERM
#[tokio::test]
async fn serve_prints_its_url_answers_clients_and_stops_on_sigterm() {
    let served = Served::start();
    let url = served.webhook_url.clone();
    assert!(
        url.starts_with("http://127.0.0.1:") && url.ends_with("/rest/1/b24emulatorcode/"),
        "{url}"
    );

    let client = b24_client::Client::webhook(&url).unwrap();
    let user = client.im_user_get().id(5).send().await.unwrap();
    assert_eq!(user.name, "John Smith");

    let portal = url.split("/rest/").next().unwrap();
    let app = b24_client::Client::oauth(portal, served.token.clone()).unwrap();
    assert_eq!(app.im_user_get().send().await.unwrap().id, 1);

    // The CLI itself against the served emulator: no built-in emulator this time.
    let (code, stdout, stderr) =
        run(b24()
            .env("B24_WEBHOOK_URL", &url)
            .args(["im.user.get", "--id", "5"]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        serde_json::from_str::<Value>(&stdout).unwrap(),
        example_result()
    );
    assert!(!stderr.contains("built-in emulator"), "{stderr}");

    let wrong = url.replace("b24emulatorcode", "wrongcode");
    let (code, _, stderr) = run(b24().env("B24_WEBHOOK_URL", &wrong).args(["im.user.get"]));
    assert_eq!(code, 1);
    assert!(stderr.contains("error: NO_AUTH_FOUND: "), "{stderr}");
    assert!(stderr.contains("(HTTP 401)"), "{stderr}");

    let token = served.token.clone();
    let (code, log) = served.terminate();
    assert_eq!(code, 0, "{log}");
    assert!(log.contains("method=\"im.user.get\" status=200"), "{log}");
    assert!(log.contains("status=401"), "{log}");
    assert!(
        !log.contains("b24emulatorcode") && !log.contains("wrongcode"),
        "{log}"
    );
    assert!(!log.contains(&token), "{log}");
}

/// The built-in fixture as block YAML, with user 5 renamed.
fn yaml_fixture() -> String {
    let text = std::fs::read_to_string(workspace_root().join("b24-emulator/fixtures/default.json"))
        .unwrap();
    let value: Value = serde_json::from_str(&text).unwrap();
    let mut yaml = String::from("# users for b24 serve\nusers:\n");
    for user in value["users"].as_array().unwrap() {
        let mut first = true;
        for (key, field) in user.as_object().unwrap() {
            let field = match (key.as_str(), field) {
                ("name", Value::String(name)) if name == "John Smith" => Value::from("Jane Roe"),
                _ => field.clone(),
            };
            let lead = if first { "  - " } else { "    " };
            first = false;
            yaml.push_str(&format!("{lead}{key}: {field}\n"));
        }
    }
    yaml
}

#[cfg(unix)] // stops the server with SIGTERM
#[tokio::test]
async fn serve_takes_a_yaml_fixture_a_plan_and_fault_rules() {
    let tmp = TempDir::new("serve-fixture");
    let fixture = tmp.0.join("fixture.yaml");
    std::fs::write(&fixture, yaml_fixture()).unwrap();
    let served = Served::start_with(&[
        "--fixture",
        fixture.to_str().unwrap(),
        "--plan",
        "0/3",
        "--fault",
        "im.user.get:error=ACCESS_DENIED:after=2",
    ]);
    // The answers as they come: one attempt, no waiting for the rate limit.
    let client = b24_client::Client::builder()
        .webhook(&served.webhook_url)
        .plan(b24_client::Plan::Unlimited)
        .retry(b24_client::RetryPolicy::never())
        .build()
        .unwrap();
    assert_eq!(
        client.im_user_get().id(5).send().await.unwrap().name,
        "Jane Roe"
    );
    client.im_user_get().send().await.unwrap();
    let code = |r: Result<_, b24_client::Error<_>>| match r {
        Err(b24_client::Error::Api(api)) => (
            api.status,
            b24_client::ErrorCode::code(&api.code).to_owned(),
        ),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        code(client.im_user_get().send().await),
        (403, "ACCESS_DENIED".to_owned())
    );
    // The bucket holds three requests and never drains.
    assert_eq!(
        code(client.im_user_get().send().await),
        (503, "QUERY_LIMIT_EXCEEDED".to_owned())
    );
    let (status, log) = served.terminate();
    assert_eq!(status, 0, "{log}");
}

#[test]
fn serve_refuses_bad_rules_plans_and_fixtures() {
    let (code, _, stderr) = run(b24().args(["serve", "--fault", "im.user.get:boom"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("unknown part `boom`"), "{stderr}");
    let (code, _, stderr) = run(b24().args(["serve", "--plan", "gold"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("unknown plan `gold`"), "{stderr}");
    let (code, _, stderr) = run(b24().args(["serve", "--fault", "no.such:500"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("no spec serves that method"), "{stderr}");

    let (code, _, stderr) = run(b24().args(["serve", "--webhook", "eight:secretcode"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("numeric user id"), "{stderr}");
    assert!(!stderr.contains("secretcode:"), "{stderr}");

    let tmp = TempDir::new("bad-fixture");
    let fixture = tmp.0.join("fixture.yml");
    std::fs::write(&fixture, "users:\n  - id: [unclosed\n").unwrap();
    let (code, _, stderr) = run(b24().args(["serve", "--fixture", fixture.to_str().unwrap()]));
    assert_eq!(code, 2);
    assert!(stderr.contains("is not valid YAML"), "{stderr}");
}

#[cfg(unix)] // stops the server with SIGTERM
#[tokio::test]
async fn serve_takes_extra_webhooks_with_scopes() {
    let served =
        Served::start_with(&["--webhook", "8:formercode", "--webhook", "1:usersonly:user"]);
    // The default webhook is still the one on stdout.
    assert!(
        served.webhook_url.ends_with("/rest/1/b24emulatorcode/"),
        "{}",
        served.webhook_url
    );
    let base = served
        .webhook_url
        .trim_end_matches("/rest/1/b24emulatorcode/")
        .to_owned();
    let call = |hook: String, method: &'static str| async move {
        let client = b24_client::Client::webhook(&hook).unwrap();
        match client.call_raw(method, Default::default()).await {
            Ok(_) => (200, String::new()),
            Err(b24_client::Error::Api(api)) => (
                api.status,
                b24_client::ErrorCode::code(&api.code).to_owned(),
            ),
            Err(other) => panic!("{other:?}"),
        }
    };
    assert_eq!(
        call(format!("{base}/rest/8/formercode/"), "profile").await,
        (403, "INVALID_CREDENTIALS".to_owned())
    );
    assert_eq!(
        call(format!("{base}/rest/1/usersonly/"), "im.user.get").await,
        (403, "insufficient_scope".to_owned())
    );
    assert_eq!(
        call(format!("{base}/rest/1/usersonly/"), "user.current").await,
        (200, String::new())
    );
    let (code, log) = served.terminate();
    assert_eq!(code, 0, "{log}");
    assert!(
        !log.contains("formercode") && !log.contains("usersonly"),
        "{log}"
    );
}

#[test]
fn serve_reports_an_address_in_use() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let (code, stdout, stderr) = run(b24().args(["serve", "--addr", &addr]));
    assert_eq!(code, 1);
    assert!(stdout.is_empty());
    assert!(
        stderr.contains(&format!("cannot listen on {addr}")),
        "{stderr}"
    );
}

#[test]
fn spec_check_passes_on_the_shipped_specs() {
    let (code, stdout, stderr) = run(b24().args(["spec", "check", "specs"]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(
        stdout.starts_with("ok: ") && stdout.contains("im.user.get"),
        "{stdout}"
    );
    // `specs` is the default.
    let (code, default_stdout, _) = run(b24().args(["spec", "check"]));
    assert_eq!((code, default_stdout), (0, stdout));
}

#[test]
fn spec_check_points_at_the_broken_line() {
    let tmp = TempDir::new("broken");
    let original =
        std::fs::read_to_string(workspace_root().join("specs/im/im.user.get.yaml")).unwrap();
    let broken = original.replacen("type: integer", "type: intger", 1);
    assert_ne!(broken, original);
    let line = broken.lines().position(|l| l.contains("intger")).unwrap() + 1;
    std::fs::create_dir_all(tmp.0.join("specs/im")).unwrap();
    std::fs::write(tmp.0.join("specs/im/im.user.get.yaml"), broken).unwrap();

    let (code, stdout, stderr) = run(b24().current_dir(&tmp.0).args(["spec", "check", "specs"]));
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stderr.contains(&format!("specs/im/im.user.get.yaml:{line}:")),
        "{stderr}"
    );
    assert!(stderr.contains("intger"), "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");

    let (code, _, stderr) = run(b24()
        .current_dir(&tmp.0)
        .args(["spec", "check", "nothing-here"]));
    assert_eq!(code, 1);
    assert!(stderr.contains("nothing-here"), "{stderr}");
}

/// `b24 spec check` prints what the `generate!` macro reports: for every compile-fail case of
/// `tests/tests/ui/fail` that loads specs, checking the same path (from the `tests` crate, as
/// the macro does) prints exactly the diagnostics of the case's reviewed `.stderr`.
#[test]
fn spec_check_prints_the_diagnostics_the_macro_reports() {
    let crate_dir = workspace_root().join("tests");
    let ui = crate_dir.join("tests/ui/fail");
    let mut cases: Vec<_> = std::fs::read_dir(&ui)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    cases.sort();
    let mut checked = Vec::new();
    for case in cases {
        let source = std::fs::read_to_string(&case).unwrap();
        let Some(specs) = source
            .split_once("specs = \"")
            .and_then(|(_, rest)| rest.split_once('"'))
            .map(|(specs, _)| specs)
        else {
            continue;
        };
        // The diagnostics of the `.stderr`, as the CLI prints them (rustc indents `help:`).
        let stderr = std::fs::read_to_string(case.with_extension("stderr")).unwrap();
        let mut expected = Vec::new();
        for line in stderr.lines() {
            if let Some(d) = line.strip_prefix("error: tests/ui/fail/") {
                expected.push(format!("tests/ui/fail/{d}"));
            } else if let Some(help) = line.strip_prefix("         help: ")
                && !expected.is_empty()
            {
                expected.push(format!("  help: {help}"));
            }
        }
        if expected.is_empty() {
            continue;
        }
        let path = format!("tests/ui/fail/{specs}");
        let (code, stdout, stderr) =
            run(b24().current_dir(&crate_dir).args(["spec", "check", &path]));
        let printed: Vec<&str> = stderr
            .lines()
            .filter(|l| !l.starts_with("error: "))
            .collect();
        assert_eq!((code, stdout.as_str()), (1, ""), "{path}: {stderr}");
        assert_eq!(printed, expected, "{path}");
        checked.push(specs.to_owned());
    }
    // The cases of issue 12 (the mistakes a new user made) are among them.
    for case in [
        "yaml_indentation",
        "tab_indentation",
        "same_rust_name/im.thing.get.yaml",
        "empty_error_code/im.thing.get.yaml",
        "text_cut_at_comma/im.thing.get.yaml",
        "unknown_type_follow_on/im.thing.add.yaml",
        "types_wrong_nesting",
        "list_for_mapping/im.thing.get.yaml",
        "unknown_top_level_key/im.thing.get.yaml",
        "example_deep_in_list/im.thing.list.yaml",
        "library_not_loaded/im/im.thing.get.yaml",
        "unquoted_text",
        "unclosed_quote",
    ] {
        assert!(
            checked.iter().any(|c| c == case),
            "{case} not checked: {checked:?}"
        );
    }
}

#[test]
fn spec_expand_prints_the_generated_code() {
    let (code, stdout, stderr) = run(b24().args(["spec", "expand", "specs/im/im.user.get.yaml"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("pub struct ImUserGetRequest"), "{stdout}");
    assert!(stdout.contains("pub mod im_user_get"), "{stdout}");
}

#[cfg(unix)] // stops the server with SIGTERM
#[test]
fn oauth_credentials_come_from_b24_portal_and_b24_access_token() {
    let served = Served::start();
    let portal = portal_of(&served);
    let token = served.token.clone();

    let (code, stdout, stderr) = run(b24()
        .env("B24_PORTAL", &portal)
        .env("B24_ACCESS_TOKEN", &token)
        .args(["im.user.get", "--id", "5"]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(one_line(&stdout), example_result());
    assert!(!stderr.contains("built-in emulator"), "{stderr}");
    assert!(!stdout.contains(&token) && !stderr.contains(&token));

    // The webhook wins over OAuth when both are set.
    let (code, stdout, stderr) = run(b24()
        .env("B24_WEBHOOK_URL", &served.webhook_url)
        .env("B24_PORTAL", &portal)
        .env("B24_ACCESS_TOKEN", "not-the-token")
        .args(["im.user.get"]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(one_line(&stdout)["id"], 1);

    // A token the portal does not know: an API error, and the token is not shown.
    let (code, stdout, stderr) = run(b24()
        .env("B24_PORTAL", &portal)
        .env("B24_ACCESS_TOKEN", "topsecrettoken")
        .args(["im.user.get"]));
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(stderr.contains("(HTTP 401)"), "{stderr}");
    assert!(!stderr.contains("topsecrettoken"), "{stderr}");

    // Half an OAuth setting is a usage error naming the missing half; nothing is called.
    let (code, stdout, stderr) = run(b24().env("B24_PORTAL", &portal).args(["im.user.get"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        stderr.contains("B24_ACCESS_TOKEN is not") && !stderr.contains("built-in emulator"),
        "{stderr}"
    );
    let (code, _, stderr) = run(b24().env("B24_ACCESS_TOKEN", &token).args(["im.user.get"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("B24_PORTAL is not"), "{stderr}");
    assert!(!stderr.contains(&token), "{stderr}");

    // A bad portal address is a usage error too, and does not show the token.
    for bad in [
        "ftp://example.com",
        "https://example.com/rest/1/x/",
        "portal",
    ] {
        let (code, stdout, stderr) = run(b24()
            .env("B24_PORTAL", bad)
            .env("B24_ACCESS_TOKEN", &token)
            .args(["im.user.get"]));
        assert_eq!(code, 2, "{bad}: {stderr}");
        assert!(
            stderr.contains("B24_PORTAL: invalid portal address"),
            "{stderr}"
        );
        assert!(!stdout.contains(&token) && !stderr.contains(&token));
    }

    let (code, log) = served.terminate();
    assert_eq!(code, 0, "{log}");
    assert!(
        !log.contains(&token) && !log.contains("topsecrettoken"),
        "{log}"
    );
}

#[cfg(unix)] // stops the server with SIGTERM
#[test]
fn transport_and_protocol_failures_exit_3() {
    for (answer, message) in [
        (
            "html502",
            "error: unexpected HTTP 502 response from Bitrix24",
        ),
        ("truncated", "the JSON body is truncated"),
        ("reset", "error: request to Bitrix24 failed"),
    ] {
        let served = Served::start_with(&[
            "--fault",
            &format!("im.user.get:{answer}"),
            "--fault",
            &format!("im.user.status.set:{answer}"),
        ]);
        let (code, stdout, stderr) = run(b24()
            .env("B24_WEBHOOK_URL", &served.webhook_url)
            .env("B24_ATTEMPTS", "3")
            .args(["im.user.get"]));
        assert_eq!(code, 3, "{answer}: {stderr}");
        assert!(stdout.is_empty(), "{stdout}");
        assert!(stderr.contains(message), "{answer}: {stderr}");
        assert!(!stderr.contains("b24emulatorcode"), "{stderr}");
        // A write is not sent again after a failure the portal may have run it through.
        let (code, _, stderr) = run(b24()
            .env("B24_WEBHOOK_URL", &served.webhook_url)
            .env("B24_ATTEMPTS", "3")
            .args(["im.user.status.set", "--status", "dnd"]));
        assert_eq!(code, 3, "{answer}: {stderr}");
        let (_, log) = served.terminate();
        // The CLI runs on the client's runtime: the read was sent three times, the write once.
        assert_eq!(log.matches("method=\"im.user.get\"").count(), 3, "{log}");
        assert_eq!(
            log.matches("method=\"im.user.status.set\"").count(),
            1,
            "{log}"
        );
    }
}

/// An OAuth application's tokens, refreshed by the CLI when the portal says they expired,
/// kept in `B24_TOKEN_FILE` for the next run.
#[tokio::test(flavor = "multi_thread")]
async fn oauth_tokens_are_refreshed_and_kept_in_the_token_file() {
    let emulator = b24_emulator::Emulator::builder()
        .access_token_lifetime(std::time::Duration::from_secs(2))
        .oauth_app(
            b24_emulator::OAuthApp::new("app.1", "app-s3cret").refresh_token("first-refresh"),
        )
        .build()
        .unwrap();
    let running = emulator.start("127.0.0.1:0").await.unwrap();
    let tmp = TempDir::new("oauth-token-file");
    let file = tmp.0.join("tokens.json");
    let b24_app = || {
        let mut cmd = b24();
        cmd.env("B24_PORTAL", running.base_url())
            .env("B24_CLIENT_ID", "app.1")
            .env("B24_CLIENT_SECRET", "app-s3cret")
            .env(
                "B24_OAUTH_TOKEN_URL",
                format!("{}/oauth/token/", running.base_url()),
            )
            .env("B24_TOKEN_FILE", &file)
            .args(["im.user.get", "--id", "5"]);
        cmd
    };
    // The first run: the file has no tokens yet, so they come from the environment.
    let (code, stdout, stderr) = run(b24_app()
        .env("B24_ACCESS_TOKEN", running.access_token())
        .env("B24_REFRESH_TOKEN", "first-refresh"));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(one_line(&stdout)["id"], 5);
    assert_eq!(emulator.token_requests(), 0);

    // The token expires; the next run refreshes it and keeps the new pair in the file.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let (code, stdout, stderr) = run(&mut b24_app());
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(one_line(&stdout)["id"], 5);
    assert_eq!(emulator.token_requests(), 1);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(!text.contains("first-refresh"), "rotated");
    assert!(!stderr.contains("app-s3cret") && !stderr.contains("first-refresh"));

    // Refresh settings without a token file are a usage error: the rotated token would be lost.
    let (code, _, stderr) = run(b24()
        .env("B24_PORTAL", running.base_url())
        .env("B24_CLIENT_ID", "app.1")
        .env("B24_CLIENT_SECRET", "app-s3cret")
        .env("B24_REFRESH_TOKEN", "first-refresh")
        .args(["im.user.get"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("missing: B24_TOKEN_FILE"), "{stderr}");
    running.shutdown().await.unwrap();
}

/// A list method for `--all`, served from the fixture's `items`.
const LIST_SPEC: &str = "\
method: test.item.list
scope: test
summary: List items
docs: https://example.com/items
access: any user
paged: true
params:
  FILTER: { type: json, doc: Filter }
result: { type: array, items: Item }
types:
  Item:
    fields:
      id: id
      name: string
emulator:
  collection: items
";

/// The same items, each page wrapped in `{"items": […]}` (as `crm.item.list` answers), read
/// by id.
const WRAPPED_SPEC: &str = "\
method: test.item.wrapped
scope: test
summary: List items, wrapped
docs: https://example.com/items
access: any user
read_only: true
paged:
  items: items
  id: id
  by_id: { filter: filter, order: { order: { id: ASC } } }
params:
  filter: { type: filter, fields: { id: id }, doc: Conditions }
  order: { type: json, doc: Order }
result: ItemPage
types:
  ItemPage:
    fields:
      items: { type: array, items: Item }
  Item:
    fields:
      id: id
      name: string
emulator:
  kind: list
  collection: items
";

/// A directory with `specs/test.item.list.yaml`, `specs/test.item.wrapped.yaml` and
/// `fixture.json`: the built-in users plus 120 items.
fn list_setup() -> TempDir {
    let tmp = TempDir::new(&format!(
        "list-{}",
        std::thread::current().name().unwrap_or("")
    ));
    std::fs::create_dir_all(tmp.0.join("specs")).unwrap();
    std::fs::write(tmp.0.join("specs/test.item.list.yaml"), LIST_SPEC).unwrap();
    std::fs::write(tmp.0.join("specs/test.item.wrapped.yaml"), WRAPPED_SPEC).unwrap();
    let text = std::fs::read_to_string(workspace_root().join("b24-emulator/fixtures/default.json"))
        .unwrap();
    let mut fixture: Value = serde_json::from_str(&text).unwrap();
    fixture["items"] = (1..=120)
        .map(|id| serde_json::json!({ "id": id, "name": format!("item {id}") }))
        .collect();
    std::fs::write(tmp.0.join("fixture.json"), fixture.to_string()).unwrap();
    tmp
}

fn ids(list: &Value) -> Vec<u64> {
    list.as_array()
        .expect("a JSON array")
        .iter()
        .map(|r| r["id"].as_u64().unwrap())
        .collect()
}

#[cfg(unix)] // stops the server with SIGTERM
#[test]
fn all_fetches_every_page_of_a_list_method() {
    let tmp = list_setup();
    let specs = tmp.0.join("specs");
    let specs = specs.to_str().unwrap();
    let served = Served::start_with(&[
        "--specs",
        specs,
        "--fixture",
        tmp.0.join("fixture.json").to_str().unwrap(),
    ]);
    let list = |args: &[&str]| {
        run(b24()
            .env("B24_WEBHOOK_URL", &served.webhook_url)
            .args(["--specs", specs, "test.item.list"])
            .args(args))
    };

    // One page without --all.
    let (code, stdout, stderr) = list(&[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(ids(&one_line(&stdout)), (1..=50).collect::<Vec<_>>());

    // Every page with it: one array, compact, and no progress bar on a pipe.
    let (code, stdout, stderr) = list(&["--all"]);
    assert_eq!(code, 0, "{stderr}");
    let all = one_line(&stdout);
    assert_eq!(ids(&all), (1..=120).collect::<Vec<_>>());
    assert_eq!(all[119]["name"], "item 120");
    assert!(stderr.is_empty(), "{stderr}");

    // Also with OAuth credentials, and `--specs=PATH`.
    let (code, stdout, stderr) = run(b24()
        .env("B24_PORTAL", portal_of(&served))
        .env("B24_ACCESS_TOKEN", &served.token)
        .args([&format!("--specs={specs}"), "test.item.list", "--all"]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(ids(&one_line(&stdout)).len(), 120);

    // A wrapped list, read by id: the records out of `items`, in four pages (the last empty).
    let (code, stdout, stderr) = run(b24().env("B24_WEBHOOK_URL", &served.webhook_url).args([
        "--specs",
        specs,
        "test.item.wrapped",
        "--all",
    ]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(ids(&one_line(&stdout)), (1..=120).collect::<Vec<_>>());

    // --all picks the pages itself.
    let (code, stdout, stderr) = list(&["--all", "--start", "50"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty());
    assert!(stderr.contains("--start"), "{stderr}");

    // The method is documented with --all; im.user.get is not a list.
    let (code, help, _) = run(b24().args(["--specs", specs, "test.item.list", "--help"]));
    assert_eq!(code, 0);
    assert!(help.contains("--all"), "{help}");
    let (_, help, _) = run(b24().args(["im.user.get", "--help"]));
    assert!(!help.contains("--all"), "{help}");
    let (code, stdout, stderr) = run(b24()
        .env("B24_WEBHOOK_URL", &served.webhook_url)
        .args(["im.user.get", "--all"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("--all") && stderr.contains("`im.user.get` is not one"),
        "{stderr}"
    );

    let (code, log) = served.terminate();
    assert_eq!(code, 0, "{log}");
    // Three pages for the OAuth run too.
    assert_eq!(
        log.matches("method=\"test.item.list\"").count(),
        1 + 3 + 3,
        "{log}"
    );
    // By id: 50, 50, 20 records; the short page is the last.
    assert_eq!(
        log.matches("method=\"test.item.wrapped\"").count(),
        3,
        "{log}"
    );
}

#[cfg(unix)] // stops the server with SIGTERM
#[test]
fn all_stops_at_the_first_failed_page_with_its_exit_code() {
    let tmp = list_setup();
    let specs = tmp.0.join("specs");
    let specs = specs.to_str().unwrap();
    let fixture = tmp.0.join("fixture.json");
    for (fault, exit, message) in [
        ("error=ACCESS_DENIED:after=1", 1, "error: ACCESS_DENIED"),
        ("html502:after=2", 3, "error: unexpected HTTP 502"),
    ] {
        let served = Served::start_with(&[
            "--specs",
            specs,
            "--fixture",
            fixture.to_str().unwrap(),
            "--fault",
            &format!("test.item.list:{fault}"),
        ]);
        let (code, stdout, stderr) = run(b24().env("B24_WEBHOOK_URL", &served.webhook_url).args([
            "--specs",
            specs,
            "test.item.list",
            "--all",
        ]));
        assert_eq!(code, exit, "{fault}: {stderr}");
        assert!(stdout.is_empty(), "no partial list: {stdout}");
        assert!(stderr.starts_with(message), "{fault}: {stderr}");
    }
}

#[test]
fn bad_specs_for_the_cli_are_usage_errors() {
    let tmp = TempDir::new("bad-cli-specs");
    std::fs::write(
        tmp.0.join("test.item.list.yaml"),
        LIST_SPEC.replace("paged: true", "paged: maybe"),
    )
    .unwrap();
    let (code, stdout, stderr) =
        run(b24().args(["--specs", tmp.0.to_str().unwrap(), "im.user.get"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty());
    assert!(stderr.contains("test.item.list.yaml:"), "{stderr}");

    let (code, _, stderr) = run(b24().args(["--specs", "no-such-dir", "im.user.get"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("no-such-dir"), "{stderr}");

    // A spec the built-in emulator cannot serve (its fixture has no `items`).
    let good = TempDir::new("cli-specs-no-fixture");
    std::fs::write(good.0.join("test.item.list.yaml"), LIST_SPEC).unwrap();
    let (code, stdout, stderr) = run(b24().args([
        "--specs",
        good.0.to_str().unwrap(),
        "test.item.list",
        "--all",
    ]));
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("built-in emulator cannot serve"),
        "{stderr}"
    );
}

#[cfg(unix)] // stops the server with SIGTERM
#[test]
fn batch_sends_checked_commands_in_one_request() {
    let served = Served::start();
    let batch = |args: &[&str]| {
        run(b24()
            .env("B24_WEBHOOK_URL", &served.webhook_url)
            .arg("batch")
            .args(args))
    };

    // Three methods; the second takes the department from the first's answer; the third
    // fails with its own code. Exit 1 for the failed command, every outcome on stdout.
    let (code, stdout, stderr) = batch(&[
        "user.current",
        "department.get?ID=$result[0][UF_DEPARTMENT][0]",
        "im.user.get?ID=999999",
        "im.user.get?ID=5",
    ]);
    assert_eq!(code, 1, "{stderr}");
    let out = one_line(&stdout);
    assert_eq!(out["0"]["result"]["ID"], "1");
    assert_eq!(out["1"]["total"], 1);
    assert_eq!(
        out["1"]["result"][0]["ID"].as_str(),
        Some(out["0"]["result"]["UF_DEPARTMENT"][0].to_string().as_str())
    );
    assert_eq!(out["2"]["error"], "USER_NOT_EXISTS");
    assert_eq!(out["2"]["error_description"], "User does not exist");
    assert_eq!(out["3"]["result"]["id"], 5);

    // With --halt the command after the failure is not run.
    let (code, stdout, stderr) = batch(&["--halt", "im.user.get?ID=999999", "im.user.get?ID=5"]);
    assert_eq!(code, 1, "{stderr}");
    let out = one_line(&stdout);
    assert_eq!(out["0"]["error"], "USER_NOT_EXISTS");
    assert!(
        out["1"]["not_run"]
            .as_str()
            .unwrap()
            .contains("earlier command"),
        "{out}"
    );

    // All succeed: exit 0. Named commands and a reference by name, from a YAML file.
    let tmp = TempDir::new("batch-file");
    let file = tmp.0.join("batch.yaml");
    std::fs::write(
        &file,
        "halt: true\ncmd:\n  me: user.current\n  dept:\n    method: department.get\n    params: { ID: \"$result[me][UF_DEPARTMENT][0]\" }\n",
    )
    .unwrap();
    let (code, stdout, stderr) = batch(&["--file", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let out = one_line(&stdout);
    assert_eq!(out["me"]["result"]["ID"], "1");
    assert_eq!(out["dept"]["total"], 1);

    // A command its spec refuses is a usage error naming it, and nothing is sent.
    for (args, needle) in [
        (
            &["im.user.get?ID=5", "im.user.get?ID=abc"][..],
            "command 1: parameter `ID`",
        ),
        (
            &["im.user.get?AGE=5"],
            "`AGE` is not a parameter of `im.user.get`",
        ),
        (
            &["no.such.method"],
            "no spec defines the method `no.such.method`",
        ),
        (&[], "no commands"),
    ] {
        let (code, stdout, stderr) = batch(args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stdout.is_empty(), "{stdout}");
        assert!(stderr.contains(needle), "{args:?}: {stderr}");
    }
    let (code, log) = served.terminate();
    assert_eq!(code, 0, "{log}");
    assert_eq!(log.matches("method=\"batch\"").count(), 3, "{log}");
}

const INPUT_SPEC: &str = r#"method: test.thing.add
scope: im
summary: Add a thing
docs: https://apidocs.bitrix24.com/
access: any user
params:
  FIELDS: { type: ThingFields, required: true, doc: Fields of the thing }
  MESSAGE: { type: string, doc: Text }
  ATTACH: { type: json, doc: Blocks }
one_of_required:
  - { params: [MESSAGE, ATTACH], invalid: MESSAGE_EMPTY }
result: id
types:
  ThingFields:
    input: true
    custom_fields: [UF_*]
    fields:
      TITLE: { type: string, required: true, doc: Title }
      PHONE: { type: array, items: Phone, doc: Phones }
  Phone:
    input: true
    fields:
      VALUE: { type: string, required: true, doc: The number }
      VALUE_TYPE: { type: enum, values: { WORK: work, MOBILE: mobile }, doc: Kind }
errors:
  MESSAGE_EMPTY: { status: 400, doc: Neither text nor blocks }
example:
  params: { FIELDS: { TITLE: x }, MESSAGE: Hi }
  response: { result: 5, time: { start: 1 } }
"#;

#[test]
fn input_objects_are_json_flags_and_one_of_required_groups_are_required() {
    let tmp = TempDir::new("input-specs");
    std::fs::write(tmp.0.join("test.thing.add.yaml"), INPUT_SPEC).unwrap();
    let specs = tmp.0.to_str().unwrap();
    let add = |args: &[&str]| run(b24().args(["--specs", specs, "test.thing.add"]).args(args));

    // The built-in emulator checks the object against the spec and answers the example.
    let (code, stdout, stderr) = add(&[
        "--fields",
        r#"{"TITLE": "x", "PHONE": [{"VALUE": "1", "VALUE_TYPE": "WORK"}], "UF_CRM_1": "y"}"#,
        "--message",
        "Hi",
    ]);
    assert_eq!(
        (code, one_line(&stdout)),
        (0, serde_json::json!(5)),
        "{stderr}"
    );

    // A key the type does not have is a usage error naming it, before anything is sent.
    let (code, stdout, stderr) = add(&[
        "--fields",
        r#"{"TITLE": "x", "PHONE": [{"VALUE": "1", "VALUE_TIPE": "WORK"}]}"#,
        "--message",
        "Hi",
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("--fields")
            && stderr.contains("`PHONE[0].VALUE_TIPE`: `VALUE_TIPE` is not a field of `Phone` (did you mean `VALUE_TYPE`?)"),
        "{stderr}"
    );

    // Neither MESSAGE nor ATTACH: a usage error that names both flags.
    let (code, _, stderr) = add(&["--fields", r#"{"TITLE": "x"}"#]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("--message") && stderr.contains("--attach"),
        "{stderr}"
    );
}

/// A `crm.deal.fields` answer in the shape the official page documents: standard fields, and
/// the portal's custom ones (`isDynamic`, labels, an enumeration's items).
const DEAL_FIELDS_SPEC: &str = r#"method: crm.deal.fields
scope: crm
summary: Describe the fields of deals
docs: https://apidocs.bitrix24.com/api-reference/crm/deals/crm-deal-fields.html
access: any user
read_only: true
result: { type: map, keys: string, values: json, doc: Each field's description by name }
example:
  response:
    result:
      ID: { type: integer, isRequired: false, isReadOnly: true, isImmutable: false, isMultiple: false, isDynamic: false, title: ID }
      TITLE: { type: string, isRequired: false, isReadOnly: false, isImmutable: false, isMultiple: false, isDynamic: false, title: Title }
      UF_CRM_1721244482250:
        type: string
        isRequired: false
        isReadOnly: false
        isImmutable: false
        isMultiple: false
        isDynamic: true
        title: UF_CRM_1721244482250
        listLabel: Greeting
        formLabel: Greeting
        filterLabel: Greeting
      UF_CRM_1721244482251:
        type: enumeration
        isRequired: false
        isReadOnly: false
        isImmutable: false
        isMultiple: true
        isDynamic: true
        items: [{ ID: "45", VALUE: Red }, { ID: "46", VALUE: Green }]
        title: UF_CRM_1721244482251
        listLabel: Colour
      UF_CRM_1721244482252: { type: money, isMultiple: false, isDynamic: true, title: UF_CRM_1721244482252, listLabel: Budget }
      PARENT_ID_1220: { type: crm_entity, isMultiple: false, isDynamic: false, title: Project }
    time: { start: 1724857659.8, finish: 1724857660.7 }
"#;

const DEAL_SET: &str = r#"custom_fields: DealCustomFields
doc: "Custom fields of `crm.deal.fields` on our portal"
fields:
  "UF_CRM_1721244482250": { type: string, rust_name: greeting, doc: "Greeting (string)" }
  "UF_CRM_1721244482251": { type: enum, values: { "45": red, "46": green }, multiple: true, rust_name: colour, doc: "Colour (enumeration)" }
  "UF_CRM_1721244482252": { type: money, rust_name: budget, doc: "Budget (money)" }
  "PARENT_ID_1220": { type: id, rust_name: project, doc: "Project (crm_entity)" }
"#;

#[test]
fn custom_fields_become_a_set_file_from_the_built_in_emulator() {
    let tmp = TempDir::new("custom-fields");
    std::fs::write(tmp.0.join("crm.deal.fields.yaml"), DEAL_FIELDS_SPEC).unwrap();
    let specs = tmp.0.to_str().unwrap();
    let (code, stdout, stderr) =
        run(b24().args(["--specs", specs, "spec", "custom-fields", "crm.deal"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.ends_with(DEAL_SET), "{stdout}");
    assert!(stderr.starts_with(NOTICE), "{stderr}");

    // The file loads with the user's specs: `spec check` accepts it.
    let mine = TempDir::new("custom-fields-set");
    std::fs::create_dir_all(mine.0.join("my-portal")).unwrap();
    std::fs::write(mine.0.join("my-portal/deal.yaml"), &stdout).unwrap();
    let (code, stdout, stderr) = run(b24().args(["spec", "check", mine.0.to_str().unwrap()]));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("1 custom field set (DealCustomFields)"),
        "{stdout}"
    );

    // `--name` names it; a method without custom fields is an API-level failure.
    let (code, stdout, _) = run(b24().args([
        "--specs",
        specs,
        "spec",
        "custom-fields",
        "crm.deal.fields",
        "--name",
        "MyDealFields",
    ]));
    assert_eq!(code, 0);
    assert!(stdout.contains("custom_fields: MyDealFields\n"), "{stdout}");
    let (code, stdout, stderr) = run(b24().args(["spec", "custom-fields", "im.user"]));
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("\nerror: `im.user.fields`: ERROR_METHOD_NOT_FOUND"),
        "{stderr}"
    );
}

#[cfg(unix)] // stops the server with SIGTERM
#[test]
fn custom_fields_come_from_the_portal_of_the_environment() {
    let tmp = TempDir::new("custom-fields-served");
    std::fs::write(tmp.0.join("crm.deal.fields.yaml"), DEAL_FIELDS_SPEC).unwrap();
    let served = Served::start_with(&["--specs", tmp.0.to_str().unwrap()]);
    // The portal is asked; this `b24` knows nothing of `crm.deal.fields` itself.
    let (code, stdout, stderr) = run(b24().env("B24_WEBHOOK_URL", &served.webhook_url).args([
        "spec",
        "custom-fields",
        "crm.deal",
    ]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.ends_with(DEAL_SET), "{stdout}");
    assert!(stderr.is_empty(), "{stderr}");
    let (code, log) = served.terminate();
    assert_eq!(code, 0, "{log}");
    assert_eq!(
        log.matches("method=\"crm.deal.fields\"").count(),
        1,
        "{log}"
    );
}
