//! The README's "Run the emulator for your own tests" walkthrough, replayed against the real
//! `b24 serve`: every command in its `sh` blocks is run the way a shell and curl would run it,
//! and what it printed is checked against the comment that documents it. A walkthrough that
//! goes stale fails here instead of in a user's terminal.
//!
//! Documented output is JSON where `…` stands for any text; the rate-limit loop documents
//! `uniq -c` counts. A command this file cannot replay, or one without documented output,
//! fails the test: widen the replayer rather than skip a command.

#![cfg(unix)] // `Served` stops the server with SIGTERM

mod support;

use std::collections::BTreeMap;

use support::{Served, TempDir, workspace_root};

const SECTION: &str = "## Run the emulator for your own tests";

/// The one line that writes `many.json`. The test writes the same departments itself (no
/// Python on the CI machine), so the line is compared, not run.
const MANY_JSON_LINE: &str = r#"python3 -c 'import json; print(json.dumps({"departments": [{"ID": str(i), "NAME": f"Team {i}", "SORT": 500, "PARENT": "1"} for i in range(2, 122)]}))' > many.json"#;

/// The address the README serves on; replaced by the port the test's server got.
const README_ORIGIN: &str = "http://127.0.0.1:8024";

fn many_json() -> String {
    let departments: Vec<serde_json::Value> = (2..122)
        .map(|i| {
            serde_json::json!({
                "ID": i.to_string(), "NAME": format!("Team {i}"), "SORT": 500, "PARENT": "1"
            })
        })
        .collect();
    serde_json::json!({ "departments": departments }).to_string()
}

/// A command of the walkthrough and the output documented for it.
#[derive(Debug)]
struct Step {
    command: String,
    documented: Vec<String>,
}

/// The `sh` blocks of the section, as logical lines (continuations joined) grouped into steps:
/// a command, then its trailing comment and the comment lines under it.
fn walkthrough(readme: &str) -> Vec<Step> {
    let start = readme
        .find(SECTION)
        .expect("the README has the walkthrough section");
    let section = &readme[start + SECTION.len()..];
    let section = &section[..section.find("\n## ").unwrap_or(section.len())];

    let mut steps: Vec<Step> = Vec::new();
    let mut in_block = false;
    let mut pending = String::new();
    for line in section.lines() {
        if line.starts_with("```") {
            // Every block of the section is replayed, so each must be shell.
            assert!(
                in_block || line == "```sh",
                "a `{line}` block in the walkthrough: only ```sh blocks can be replayed"
            );
            in_block = !in_block;
            continue;
        }
        if !in_block {
            continue;
        }
        if let Some(head) = line.strip_suffix('\\') {
            pending.push_str(head);
            continue;
        }
        let line = std::mem::take(&mut pending) + line.trim_start_matches(' ');
        if let Some(comment) = line.strip_prefix('#') {
            let step = steps
                .last_mut()
                .unwrap_or_else(|| panic!("a comment before any command: {line}"));
            step.documented.push(comment.trim().to_owned());
            continue;
        }
        let (command, comment) = split_comment(&line);
        steps.push(Step {
            command: command.trim_end().to_owned(),
            documented: comment.map(|c| c.trim().to_owned()).into_iter().collect(),
        });
    }
    steps
}

/// Splits a shell line at a `#` that starts a comment (outside quotes, after a space).
fn split_comment(line: &str) -> (&str, Option<&str>) {
    let mut quote = None;
    let mut previous = ' ';
    for (at, c) in line.char_indices() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, '#') if previous.is_whitespace() => return (&line[..at], Some(&line[at + 1..])),
            _ => {}
        }
        previous = c;
    }
    (line, None)
}

/// Shell words: single quotes literal, double quotes expand `${NAME}` from `vars`.
fn words(command: &str, vars: &BTreeMap<String, String>) -> Vec<String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = command.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' => words.extend(word.take()),
            '\'' | '"' => {
                let mut closed = false;
                let inner: String = chars
                    .by_ref()
                    .take_while(|&q| {
                        closed = q == c;
                        !closed
                    })
                    .collect();
                assert!(closed, "an unclosed {c} in: {command}");
                let w = word.get_or_insert_with(String::new);
                match c {
                    '"' => w.push_str(&expand(&inner, vars)),
                    _ => w.push_str(&inner),
                }
            }
            '$' | '`' | '\\' | ';' | '|' | '>' | '<' | '&' => {
                panic!("`{c}` outside quotes is beyond this replayer: {command}")
            }
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(word);
    words
}

fn expand(text: &str, vars: &BTreeMap<String, String>) -> String {
    let mut out = text.to_owned();
    for (name, value) in vars {
        out = out.replace(&format!("${{{name}}}"), value);
    }
    assert!(!out.contains('$'), "an unknown variable in {text:?}");
    out
}

/// What curl sends for the flags the walkthrough uses, and how it prints the answer.
#[derive(Debug, Default)]
struct Curl {
    url: String,
    data: Vec<String>,
    headers: Vec<(String, String)>,
    write_out: Option<String>,
    discard_body: bool,
}

impl Curl {
    fn parse(words: &[String]) -> Self {
        assert_eq!(words[0], "curl");
        let mut curl = Curl::default();
        let mut rest = words[1..].iter();
        while let Some(word) = rest.next() {
            let mut value = || {
                rest.next()
                    .unwrap_or_else(|| panic!("{word} needs a value"))
                    .clone()
            };
            match word.as_str() {
                "-s" => {}
                "-d" => curl.data.push(value()),
                "-w" => curl.write_out = Some(value()),
                "-o" => {
                    assert_eq!(value(), "/dev/null", "only -o /dev/null is replayed");
                    curl.discard_body = true;
                }
                "-H" => {
                    let header = value();
                    let (name, v) = header.split_once(':').expect("a `Name: value` header");
                    curl.headers
                        .push((name.trim().to_owned(), v.trim().to_owned()));
                }
                url if !url.starts_with('-') && curl.url.is_empty() => curl.url = url.to_owned(),
                other => panic!("curl {other} is beyond this replayer"),
            }
        }
        assert!(!curl.url.is_empty(), "curl without a URL");
        curl
    }

    /// curl's output: the body (unless discarded), then `-w` with `%{http_code}` filled in.
    async fn run(&self, http: &reqwest::Client, origin: &str) -> String {
        let url = self.url.replace(README_ORIGIN, origin);
        let mut request = if self.data.is_empty() {
            http.get(url)
        } else {
            // `-d` sends its bytes as they are, joined by `&`, as a form unless `-H` says
            // otherwise.
            let typed = self
                .headers
                .iter()
                .any(|(name, _)| name.eq_ignore_ascii_case("content-type"));
            let post = http.post(url).body(self.data.join("&"));
            if typed {
                post
            } else {
                post.header("content-type", "application/x-www-form-urlencoded")
            }
        };
        for (name, value) in &self.headers {
            request = request.header(name, value);
        }
        let response = request.send().await.expect("the served emulator answers");
        let status = response.status().as_u16();
        let body = response.text().await.unwrap();
        let mut out = if self.discard_body {
            String::new()
        } else {
            body
        };
        if let Some(format) = &self.write_out {
            out.push_str(
                &format
                    .replace("%{http_code}", &status.to_string())
                    .replace("\\n", "\n"),
            );
        }
        out
    }
}

/// Documented JSON matches when its pieces between `…` appear in order, the first at the
/// start and the last at the end. A `…` inside a record stays inside it (what it stands for
/// has no `},{`); only a `…` written as a list item of its own (`},…,{`) stands for records.
fn assert_documented(command: &str, documented: &str, printed: &str) {
    let printed = printed.trim_end();
    let pieces: Vec<&str> = documented.split('…').collect();
    let mismatch = || format!("`{command}`\n  documented: {documented}\n  printed:    {printed}");
    if pieces.len() == 1 {
        assert_eq!(printed, documented, "{}", mismatch());
        return;
    }
    assert!(printed.starts_with(pieces[0]), "{}", mismatch());
    let mut at = pieces[0].len();
    for (before, piece) in pieces.iter().zip(&pieces[1..]) {
        let found = printed[at..]
            .find(piece)
            .unwrap_or_else(|| panic!("{}", mismatch()));
        let gap = &printed[at..at + found];
        let records = before.ends_with(',') && piece.starts_with(',');
        assert!(
            records || !gap.contains("},{"),
            "a `…` inside a record stands for more than one record here ({gap:?})\n{}",
            mismatch()
        );
        at += found + piece.len();
    }
    assert!(
        printed.ends_with(pieces[pieces.len() - 1]),
        "{}",
        mismatch()
    );
}

/// `for i in $(seq N); do <curl>; done | sort | uniq -c`, documented as `COUNT LINE` rows
/// (with a note in parentheses that allows fewer successes).
async fn replay_counting_loop(
    step: &Step,
    vars: &BTreeMap<String, String>,
    http: &reqwest::Client,
    origin: &str,
    calls_before: usize,
) {
    let rest = step.command.strip_prefix("for i in $(seq ").unwrap();
    let (times, rest) = rest.split_once("); do ").expect("`); do ` after the count");
    let inner = rest
        .strip_suffix("; done | sort | uniq -c")
        .expect("the loop ends in `; done | sort | uniq -c`");
    let times: usize = times.parse().expect("a loop count");
    let curl = Curl::parse(&words(inner, vars));

    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for _ in 0..times {
        *counts
            .entry(curl.run(http, origin).await.trim_end().to_owned())
            .or_default() += 1;
    }

    // `COUNT LINE`, where a note in parentheses marks a count that may come out lower (the
    // README says earlier calls may have filled part of the bucket), by at most the number of
    // calls made before the loop; the others may then be higher, every documented line must
    // be printed, and nothing the README does not list.
    let mut documented: BTreeMap<String, (usize, bool)> = BTreeMap::new();
    for row in &step.documented {
        let (row, note) = match row.split_once(" (") {
            Some((row, _)) => (row.trim(), true),
            None => (row.trim(), false),
        };
        let (count, line) = row.split_once(' ').expect("a `COUNT LINE` row");
        let count = count.parse().expect("a count");
        documented.insert(line.trim().to_owned(), (count, note));
    }
    let documented_total: usize = documented.values().map(|(count, _)| count).sum();
    assert_eq!(documented_total, times, "{documented:?}");
    for (line, count) in &counts {
        let (allowed, may_be_lower) = documented
            .get(line)
            .unwrap_or_else(|| panic!("`{line}` printed, not documented: {counts:?}"));
        if *may_be_lower {
            let least = allowed.saturating_sub(calls_before);
            assert!(
                (least..=*allowed).contains(count),
                "{counts:?} vs {documented:?}, {calls_before} calls before the loop"
            );
        } else {
            assert!(count >= allowed, "{counts:?} vs {documented:?}");
        }
    }
    for line in documented.keys() {
        assert!(
            counts.contains_key(line),
            "`{line}` never printed: {counts:?}"
        );
    }
}

#[tokio::test]
async fn the_emulator_walkthrough_prints_what_the_readme_says() {
    let readme = std::fs::read_to_string(workspace_root().join("README.md")).unwrap();
    let steps = walkthrough(&readme);
    let tmp = TempDir::new("readme");
    let http = reqwest::Client::new();
    let mut vars = BTreeMap::new();
    let mut served: Option<(Served, String)> = None;
    let mut replayed = 0;

    for step in &steps {
        let command = step.command.as_str();
        if command == MANY_JSON_LINE {
            std::fs::write(tmp.0.join("many.json"), many_json()).unwrap();
        } else if let Some(args) = command.strip_prefix("cargo run -p b24-cli -- serve ") {
            let args = words(args, &vars);
            let addr = args
                .iter()
                .position(|a| a == "--addr")
                .expect("serve --addr");
            assert_eq!(format!("http://{}", args[addr + 1]), README_ORIGIN);
            let mut rest: Vec<String> = args[..addr].to_vec();
            rest.extend(args[addr + 2..].iter().cloned());
            let fixture = tmp.0.join("many.json");
            let rest: Vec<&str> = rest
                .iter()
                .map(|a| match a.as_str() {
                    "many.json" => fixture.to_str().unwrap(),
                    a => a,
                })
                .collect();
            let server = Served::start_with(&rest);
            let origin = server
                .webhook_url
                .split("/rest/")
                .next()
                .unwrap()
                .to_owned();
            let printed = [
                server.webhook_url.replace(&origin, README_ORIGIN),
                server.token.clone(),
            ];
            assert_eq!(step.documented.len(), 2, "{step:?}");
            for (line, printed) in step.documented.iter().zip(&printed) {
                let documented = line.split_once(": ").expect("`stdout, line N: VALUE`").1;
                let documented = documented.split_whitespace().next().unwrap();
                assert_eq!(documented, printed, "{line}");
            }
            served = Some((server, origin));
        } else if let Some((name, value)) = command
            .split_once('=')
            .filter(|(name, _)| name.chars().all(|c| c.is_ascii_uppercase()))
        {
            let value = words(value, &vars).concat();
            vars.insert(name.to_owned(), value);
        } else {
            let (_, origin) = served.as_ref().expect("`b24 serve` runs first");
            assert!(
                !step.documented.is_empty(),
                "no documented output: {command}"
            );
            if command.starts_with("for ") {
                replay_counting_loop(step, &vars, &http, origin, replayed).await;
            } else {
                let curl = Curl::parse(&words(command, &vars));
                let printed = curl.run(&http, origin).await;
                assert_documented(command, &step.documented.concat(), &printed);
            }
            replayed += 1;
        }
    }
    // The walkthrough is not silently cut short by a parsing change.
    assert!(
        replayed >= 10,
        "only {replayed} commands replayed: {steps:#?}"
    );
    let (server, _) = served.expect("the walkthrough starts `b24 serve`");
    let (code, _) = server.terminate();
    assert_eq!(code, 0);
}
