//! What the `b24` binary's tests share: the binary with a clean environment, a served
//! emulator as a child process, and scratch directories.

// Each test file is its own crate and uses only part of this module.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

pub fn workspace_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the crate lives in the workspace")
}

/// `b24` with a clean environment, run from the workspace root.
pub fn b24() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_b24"));
    cmd.current_dir(workspace_root())
        .env_remove("B24_WEBHOOK_URL")
        .env_remove("B24_PORTAL")
        .env_remove("B24_ACCESS_TOKEN")
        .env_remove("B24_LOG");
    cmd
}

pub fn run(cmd: &mut Command) -> (i32, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = cmd.output().expect("run b24");
    (
        status.code().unwrap_or(-1),
        String::from_utf8(stdout).unwrap(),
        String::from_utf8(stderr).unwrap(),
    )
}

/// A `b24 serve` child that is killed if the test fails half-way.
#[cfg(unix)]
pub struct Served {
    child: Child,
    pub webhook_url: String,
    pub token: String,
}

#[cfg(unix)]
impl Served {
    pub fn start() -> Self {
        Self::start_with(&[])
    }

    pub fn start_with(args: &[&str]) -> Self {
        let mut child = b24()
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn b24 serve");
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut webhook_url = String::new();
        stdout.read_line(&mut webhook_url).unwrap();
        let mut token = String::new();
        stdout.read_line(&mut token).unwrap();
        Self {
            child,
            webhook_url: webhook_url.trim_end().to_owned(),
            token: token.trim_end().to_owned(),
        }
    }

    /// Sends SIGTERM and returns the exit code and everything logged to stderr.
    pub fn terminate(mut self) -> (i32, String) {
        let pid = self.child.id().to_string();
        let killed = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(killed.success());
        let status = self.child.wait().unwrap();
        let mut log = String::new();
        self.child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut log)
            .unwrap();
        (status.code().unwrap_or(-1), log)
    }
}

#[cfg(unix)]
impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The base URL of a served emulator, for `B24_PORTAL`: the webhook URL up to `/rest/`.
#[cfg(unix)]
pub fn portal_of(served: &Served) -> String {
    served
        .webhook_url
        .split("/rest/")
        .next()
        .unwrap()
        .to_owned()
}

/// A scratch directory removed when the test ends.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("b24-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
