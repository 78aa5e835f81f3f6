//! The helper DSL: run the built binary in the repository root or in a
//! fresh temporary directory, and compare outputs with a framed diff.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The result of one run.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shared corpora folder beside the repository.
pub fn shared() -> PathBuf {
    root().join("../shared/corpora")
}

/// Runs korpus with `args` in `dir`, feeding `stdin`.
pub fn run_in(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_korpus"));
    cmd.args(args).current_dir(dir).env("NO_COLOR", "1");
    cmd.stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() });
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("the korpus binary runs");
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs korpus with `args` in the repository root.
pub fn run(args: &[&str]) -> Run {
    run_in(&root(), args, None)
}

/// Runs korpus and asserts exit code 0, returning stdout.
pub fn ok(args: &[&str]) -> String {
    let r = run(args);
    assert_eq!(r.code, 0, "korpus {args:?} failed:\n{}", r.stderr);
    r.stdout
}

/// Asserts two texts are equal, showing both framed on failure.
pub fn assert_same(what: &str, expected: &str, got: &str) {
    if expected != got {
        panic!(
            "\n{what}\n--- expected ---\n{expected}\n--- got ---\n{got}\n----------------\n"
        );
    }
}

/// Parses TSV output into rows of cells (header included).
pub fn tsv(out: &str) -> Vec<Vec<String>> {
    out.lines().map(|l| l.split('\t').map(String::from).collect()).collect()
}

/// The value of `column` in the row whose `key_col` is `key`.
pub fn cell(
    out: &str,
    key_col: &str,
    key: &str,
    column: &str,
) -> Option<String> {
    let rows = tsv(out);
    let header = &rows[0];
    let k = header.iter().position(|h| h == key_col)?;
    let c = header.iter().position(|h| h == column)?;
    rows[1..].iter().find(|r| r[k] == key).map(|r| r[c].clone())
}

/// A fresh temporary directory.
pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}
