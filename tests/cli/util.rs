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

/// The line a test prints when it returns early for want of the shared
/// corpora; the suite's summary (`shared_corpora.rs`) uses it too.
pub const SKIPPED: &str = "SKIPPED (needs ../shared/corpora)";

/// `rel` inside the shared corpora folder, or `None` when the folder is
/// absent beside the repository (a clone on its own): then the calling
/// test is named on stderr as skipped and must return early. The line is
/// written to the process's stderr, not through `eprintln!`, so that
/// `cargo test` shows it without `--nocapture` (nextest shows a passing
/// test's output only with `--success-output`). A test that reads
/// `../shared` begins with
/// `let Some(path) = shared_or_skip("...") else { return };`.
pub fn shared_or_skip(rel: &str) -> Option<PathBuf> {
    if shared().is_dir() {
        return Some(shared().join(rel));
    }
    let thread = std::thread::current();
    let name = thread.name().filter(|n| *n != "main").unwrap_or("a cli test");
    let line = format!("{SKIPPED}: {name}\n");
    // Best effort: a closed stderr must not fail the test.
    let _ = std::io::stderr().write_all(line.as_bytes());
    None
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

/// The names in `dir`, sorted.
pub fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The text of `dir/name`.
pub fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The JSON of `dir/name` (a provenance record).
pub fn json(dir: &Path, name: &str) -> serde_json::Value {
    serde_json::from_str(&read(dir, name))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Runs `args` in a fresh directory holding the corpus `make` writes
/// (its folder `c`) and checks that the command fails as a usage error
/// (exit 2) with one line on stderr holding `needle`, writing nothing:
/// no stdout and no file beside `c`.
pub fn fails_leaving_nothing(make: fn(&Path), args: &[&str], needle: &str) {
    let dir = tempdir();
    make(dir.path());
    let r = run_in(dir.path(), args, None);
    assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
    assert_eq!(r.stdout, "", "{args:?}: something was printed");
    assert_eq!(r.stderr.lines().count(), 1, "{args:?}: {}", r.stderr);
    assert!(r.stderr.contains(needle), "{args:?}: {}", r.stderr);
    assert_eq!(names(dir.path()), ["c"], "{args:?}: files were left");
}

/// Runs `args` with `-o out.tsv --provenance p.json` in a fresh
/// directory holding the corpus `make` writes, and checks it succeeds;
/// the directory (with what was written) and the run.
pub fn written(make: fn(&Path), args: &[&str]) -> (tempfile::TempDir, Run) {
    let dir = tempdir();
    make(dir.path());
    let mut all = args.to_vec();
    all.extend(["-o", "out.tsv", "--provenance", "p.json"]);
    let r = run_in(dir.path(), &all, None);
    assert_eq!(r.code, 0, "{all:?}: {}", r.stderr);
    (dir, r)
}
