//! Editing, adding and deleting a spec each make the next `cargo build` regenerate.
//!
//! A scratch crate that generates from its own `specs/` is built with real `cargo` and run
//! after every change; its binary prints what it was generated from. Without rebuild tracking
//! a step would print the previous build's output.

use std::path::{Path, PathBuf};
use std::process::Command;

const SPEC: &str = "\
method: NAME
scope: im
summary: SUMMARY
docs: https://apidocs.bitrix24.com/api-reference/chats/im-revision-get.html
access: any user
result: { type: integer }
";

fn spec(name: &str, summary: &str) -> String {
    SPEC.replace("NAME", name).replace("SUMMARY", summary)
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

/// Builds and runs the scratch crate; returns its stdout.
fn build_and_run(dir: &Path) -> String {
    // Share trybuild's target directory: its dependencies are already built there.
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("../tests/trybuild");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(&cargo)
        .args(["run", "--quiet", "--offline"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", &target)
        // As the trybuild cases build (tests/compile_fail.rs), so dependencies both use match.
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "scratch build failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn spec_changes_regenerate_on_the_next_build() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("b24-rebuild-scratch");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::create_dir_all(dir.join("specs")).unwrap();
    let client = workspace().join("b24-client");
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"b24-rebuild-scratch\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\nb24-client = {{ path = {:?} }}\n\n[workspace]\n",
            client.display()
        ),
    )
    .unwrap();
    // The workspace lock pins every dependency, so `--offline` resolves without a network.
    std::fs::copy(workspace().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    std::fs::write(
        dir.join("build.rs"),
        "fn main() { println!(\"cargo:rerun-if-changed=specs\"); }\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("src/main.rs"),
        "b24_client::generate!(specs = \"specs\");\n\
         fn main() {\n    for s in SPECS {\n        let summary = s.text.lines().find(|l| l.starts_with(\"summary:\")).unwrap_or(\"\");\n        println!(\"{} {}\", s.path, summary);\n    }\n}\n",
    )
    .unwrap();

    std::fs::write(
        dir.join("specs/im.first.get.yaml"),
        spec("im.first.get", "first"),
    )
    .unwrap();
    assert_eq!(
        build_and_run(&dir),
        "specs/im.first.get.yaml summary: first\n"
    );

    // A new file: a new method appears without touching Rust.
    std::fs::write(
        dir.join("specs/im.second.get.yaml"),
        spec("im.second.get", "second"),
    )
    .unwrap();
    assert_eq!(
        build_and_run(&dir),
        "specs/im.first.get.yaml summary: first\nspecs/im.second.get.yaml summary: second\n"
    );

    // An edit.
    std::fs::write(
        dir.join("specs/im.first.get.yaml"),
        spec("im.first.get", "edited"),
    )
    .unwrap();
    assert_eq!(
        build_and_run(&dir),
        "specs/im.first.get.yaml summary: edited\nspecs/im.second.get.yaml summary: second\n"
    );

    // A deletion.
    std::fs::remove_file(dir.join("specs/im.second.get.yaml")).unwrap();
    assert_eq!(
        build_and_run(&dir),
        "specs/im.first.get.yaml summary: edited\n"
    );

    let _ = std::fs::remove_dir_all(&dir);
}
