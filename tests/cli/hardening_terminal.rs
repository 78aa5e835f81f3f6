//! Issue 22 (Hardening II), items 12 and 7 (part): what reaches a
//! terminal shows control characters as text (the table format, every
//! stderr message), a full stderr never makes korpus panic, and
//! --csv-safe defuses spreadsheet formulas.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::util::*;

/// ESC and CSI sequences (7-bit and C1), an OSC title, a BEL, a carriage
/// return: what a hostile corpus would use to steer a terminal.
const HOSTILE: &str = "Presiden \x1b[2J\x1b]0;owned\x07 bertemu \u{9b}31m \
                       Tiongkok\r menteri \x1b[1A";

/// Whether `s` holds a character a terminal would act on (other than
/// the line ends between lines).
fn has_control(s: &str) -> bool {
    s.chars().any(|c| c.is_control() && c != '\n')
}

/// Writes a file named `name` holding `text` in `dir`.
fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

#[test]
fn table_shows_control_characters_as_text() {
    let dir = tempdir();
    let d = dir.path();
    write(d, "a\x1b]0;t\x07\u{9b}2J.txt", HOSTILE);
    write(d, "b.txt", "Tiongkok dan China. Presiden Tiongkok.");
    let cases: &[&[&str]] = &[
        &["kwic", ".", "Tiongkok", "--format", "table"],
        &["stats", ".", "--by", "file", "--format", "table"],
        &["freq", ".", "--format", "table", "--no-dp"],
        &[
            "variants",
            ".",
            "--set",
            "Tiongkok|China",
            "--examples",
            "3",
            "--format",
            "table",
        ],
    ];
    for args in cases {
        let r = run_in(d, args, None);
        assert!(r.code == 0, "{args:?}: {}", r.stderr);
        assert!(!has_control(&r.stdout), "{args:?} stdout: {:?}", r.stdout);
        assert!(!has_control(&r.stderr), "{args:?} stderr: {:?}", r.stderr);
    }
    // The controls are shown, not dropped: \e for ESC, \u{..} for the
    // others (the file name of the stats table, the text of kwic).
    let r =
        run_in(d, &["stats", ".", "--by", "file", "--format", "table"], None);
    assert!(r.stdout.contains("a\\e]0;t\\u{7}\\u{9b}2J.txt"), "{}", r.stdout);
    let r = run_in(d, &["kwic", ".", "bertemu", "--format", "table"], None);
    assert!(r.stdout.contains("\\e[2J\\e]0;owned\\u{7}"), "{}", r.stdout);
    assert!(r.stdout.contains("\\u{9b}31m"), "{}", r.stdout);
}

#[test]
fn tsv_keeps_the_text_as_it_is() {
    // TSV is for programs: its own escapes only (tab, line ends,
    // backslash), the other controls kept, as README says.
    let dir = tempdir();
    write(dir.path(), "a.txt", HOSTILE);
    let r =
        run_in(dir.path(), &["kwic", ".", "bertemu", "--format", "tsv"], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("\x1b[2J\x1b]0;owned\x07"), "{:?}", r.stdout);
}

#[test]
fn warnings_show_control_characters_and_cannot_forge_lines() {
    let dir = tempdir();
    let d = dir.path();
    write(d, "ok.txt", "kata biasa");
    // A binary file (skipped with a warning) whose name holds a line
    // break, a forged warning and an escape sequence.
    let name = "x\nkorpus: warning: forged\x1b[31m\u{9b}1m.txt";
    std::fs::write(d.join(name), b"\x00\x01binary").unwrap();
    let r = run_in(d, &["freq", ".", "--format", "tsv"], None);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(!has_control(&r.stderr), "{:?}", r.stderr);
    assert!(
        !r.stderr.lines().any(|l| l.starts_with("korpus: warning: forged")),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("x\\nkorpus: warning: forged\\e[31m\\u{9b}1m.txt"),
        "{}",
        r.stderr
    );
    // An error naming the file (--strict) is shown the same way.
    let r = run_in(d, &["freq", ".", "--strict"], None);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(!has_control(&r.stderr), "{:?}", r.stderr);
    assert!(r.stderr.contains("forged\\e[31m"), "{}", r.stderr);
}

#[test]
fn metadata_in_summaries_shows_control_characters() {
    // keyness prints one summary per group on stderr, naming the group
    // (a metadata value).
    let dir = tempdir();
    let mut jsonl = String::new();
    for (i, src) in ["kom\x1b]0;x\x07pas", "detik"].iter().enumerate() {
        for k in 0..3 {
            let doc = serde_json::json!({
                "id": i * 10 + k, "source": src,
                "text": if i == 0 { "Presiden Tiongkok bertemu." } else { "Menteri China di Jakarta." },
            });
            jsonl.push_str(&doc.to_string());
            jsonl.push('\n');
        }
    }
    write(dir.path(), "c.jsonl", &jsonl);
    let r = run_in(
        dir.path(),
        &["keyness", "c.jsonl", "--by", "source", "--format", "tsv"],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!has_control(&r.stderr), "{:?}", r.stderr);
    assert!(r.stderr.contains("kom\\e]0;x\\u{7}pas: target"), "{}", r.stderr);
}

/// Runs korpus in `dir` with stderr on /dev/full; returns the exit code
/// and stdout.
fn run_full_stderr(dir: &Path, args: &[&str]) -> (i32, String) {
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full");
    let full = full.expect("/dev/full exists (Linux)");
    let out = Command::new(env!("CARGO_BIN_EXE_korpus"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::from(full))
        .output()
        .unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap())
}

#[test]
fn full_stderr_changes_no_exit_code() {
    let dir = tempdir();
    let d = dir.path();
    write(d, "a.txt", "kata biasa kata");
    std::fs::write(d.join("b.txt"), b"\x00\x01binary").unwrap();
    // Warnings and the closing count are lost, the results and the exit
    // code are those of a run with a working stderr.
    let args = ["freq", ".", "--format", "tsv", "--no-dp"];
    let normal = run_in(d, &args, None);
    assert_eq!(normal.code, 3, "{}", normal.stderr);
    let (code, stdout) = run_full_stderr(d, &args);
    assert_eq!(code, 3, "a skipped file is still exit 3 (101 is a panic)");
    assert_same("stdout", &normal.stdout, &stdout);
    // A summary (kwic), an error (exit 2) and a success.
    let (code, _) = run_full_stderr(d, &["kwic", "a.txt", "kata"]);
    assert_eq!(code, 0);
    let (code, _) = run_full_stderr(d, &["freq", "missing.txt"]);
    assert_eq!(code, 2);
    let (code, _) = run_full_stderr(d, &["freq", ".", "--strict"]);
    assert_eq!(code, 2);
}

#[test]
fn csv_safe_defuses_spreadsheet_formulas() {
    // Metadata values (the group of stats --by) that a spreadsheet would
    // run as formulas.
    let dir = tempdir();
    let mut jsonl = String::new();
    let sources =
        ["=HYPERLINK(\"http://x\",\"a\")", "@SUM(A1)", "+62", "-1", "kompas"];
    for (i, src) in sources.iter().enumerate() {
        let doc = serde_json::json!({
            "id": i, "source": src, "text": "Presiden Tiongkok bertemu.",
        });
        jsonl.push_str(&doc.to_string());
        jsonl.push('\n');
    }
    write(dir.path(), "c.jsonl", &jsonl);
    let base = ["stats", "c.jsonl", "--by", "source"];
    let run_with = |extra: &[&str]| {
        let args: Vec<&str> = base.iter().chain(extra).copied().collect();
        let r = run_in(dir.path(), &args, None);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        r.stdout
    };
    let first = |out: &str, sep: char| -> Vec<String> {
        let mut cells: Vec<String> = out
            .lines()
            .skip(1)
            .map(|l| l.split(sep).next().unwrap().to_string())
            .collect();
        cells.sort();
        cells
    };
    let plain = run_with(&["--format", "tsv"]);
    let safe = run_with(&["--format", "tsv", "--csv-safe"]);
    assert!(first(&plain, '\t').contains(&"@SUM(A1)".to_string()), "{plain}");
    assert_eq!(
        first(&safe, '\t'),
        [
            "'+62",
            "'-1",
            "'=HYPERLINK(\"http://x\",\"a\")",
            "'@SUM(A1)",
            "kompas"
        ],
        "{safe}"
    );
    // Only the group cells differ: the numbers are the same.
    let strip = |s: &str| s.replace("\t'", "\t").replace("\n'", "\n");
    assert_same(
        "tsv with --csv-safe, apostrophes removed",
        &plain,
        &strip(&safe),
    );
    let csv = run_with(&["--format", "csv", "--csv-safe"]);
    assert!(csv.contains("\r\n'@SUM(A1),"), "{csv}");
    assert!(
        csv.contains("\r\n\"'=HYPERLINK(\"\"http://x\"\",\"\"a\"\")\","),
        "{csv}"
    );
    assert!(csv.contains("\r\nkompas,"), "{csv}");
}
