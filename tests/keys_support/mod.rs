//! Shared helpers for the `keys_*` integration tests: a temporary directory
//! in which the system `openssl` generates and checks keys.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The passphrase of every encrypted test key.
pub const PASSPHRASE: &str = "correct-horse-battery";

/// A temporary directory where `openssl` runs.
pub struct Workdir {
    dir: tempfile::TempDir,
}

impl Workdir {
    pub fn new() -> Workdir {
        Workdir {
            dir: tempfile::tempdir().expect("create a temporary directory"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, name: &str, contents: &[u8]) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, contents).expect("write a test file");
        path
    }

    pub fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.path(name)).unwrap_or_else(|err| panic!("read {name}: {err}"))
    }

    /// Runs `openssl ARGS` in the directory and returns its output, whatever the status.
    pub fn openssl_output(&self, args: &[&str]) -> Output {
        Command::new("openssl")
            .args(args)
            .current_dir(self.dir())
            .stdin(Stdio::null())
            .output()
            .expect("run openssl")
    }

    /// Runs `openssl ARGS` and returns its standard output; panics with its
    /// standard error when it fails.
    pub fn openssl(&self, args: &[&str]) -> Vec<u8> {
        let output = self.openssl_output(args);
        assert!(
            output.status.success(),
            "openssl {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr)
        );
        output.stdout
    }

    /// Runs `openssl` with the arguments of `command_line`, split at
    /// whitespace, and returns its standard output.
    pub fn run(&self, command_line: &str) -> Vec<u8> {
        let args: Vec<&str> = command_line.split_ascii_whitespace().collect();
        self.openssl(&args)
    }

    /// Runs a shell pipeline in the directory; panics when it fails.
    pub fn shell(&self, script: &str) {
        let output = Command::new("sh")
            .arg("-c")
            .arg(script)
            .current_dir(self.dir())
            .stdin(Stdio::null())
            .output()
            .expect("run sh");
        assert!(
            output.status.success(),
            "{script} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// Returns the `-pass`/`-passin` argument for [`PASSPHRASE`].
pub fn pass_arg() -> String {
    format!("pass:{PASSPHRASE}")
}
