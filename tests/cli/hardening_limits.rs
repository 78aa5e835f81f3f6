//! Issue 22 (hardening II): the upper bounds of the window, width and
//! thread options, memory held by `kwic --sort/--sample`, and the
//! non-finite values of float options.

use std::path::Path;
use std::process::Command;

use crate::util::{Run, run, run_in, tempdir, tsv};

/// The largest `usize`, as an option value.
const HUGE: &str = "18446744073709551615";

/// Asserts a usage error: exit 2, one line on stderr naming `option`, no
/// panic and nothing on stdout.
fn assert_refused(r: &Run, args: &[&str], option: &str) {
    assert_eq!(r.code, 2, "korpus {args:?}: {}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{args:?}: {}", r.stderr);
    assert_eq!(r.stderr.lines().count(), 1, "{args:?}: {}", r.stderr);
    assert!(r.stderr.contains(option), "{args:?}: {}", r.stderr);
    assert!(r.stdout.is_empty(), "{args:?}: {}", r.stdout);
}

/// Runs korpus in `dir` under an address-space limit of `mb` megabytes.
fn run_limited(dir: &Path, mb: u64, args: &[&str]) -> Run {
    let out = Command::new("prlimit")
        .arg(format!("--as={}", mb << 20))
        .arg("--")
        .arg(env!("CARGO_BIN_EXE_korpus"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        // One malloc arena: the limit is on what korpus allocates, not on
        // the 64 MiB of address space glibc reserves for each thread's
        // arena, which depends on which threads allocate first (under
        // 160 MiB the same run failed about 1 time in 10 by timing).
        .env("MALLOC_ARENA_MAX", "1")
        .output()
        .expect("prlimit runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn kwic_context_options_over_their_limit_are_refused() {
    let cases: &[(&[&str], &str)] = &[
        (&["--width", HUGE], "--width"),
        (&["--width", "1001"], "--width"),
        (&["--right", HUGE], "--right"),
        (&["--left", HUGE], "--left"),
        (&["--left", "3", "--right", "1001"], "--right"),
        (&["--chars", HUGE], "--chars"),
        (&["--chars", "10001"], "--chars"),
    ];
    for (opts, option) in cases {
        let mut args = vec!["kwic", "corpus", "yang"];
        args.extend_from_slice(opts);
        assert_refused(&run(&args), &args, option);
    }
    // The limits themselves are taken.
    let r = run(&["kwic", "corpus", "Tiongkok", "--width", "1000"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(tsv(&r.stdout).len() > 1);
}

#[test]
fn colloc_window_options_over_their_limit_are_refused() {
    let cases: &[(&[&str], &str)] = &[
        (&["corpus", "yang", "--left", HUGE], "--left"),
        (&["corpus", "yang", "--left", "1000000"], "--left"),
        (&["corpus", "yang", "--right", HUGE], "--right"),
        (&["corpus", "yang", "--right", "101"], "--right"),
        (&["corpus", "--all", "--window", HUGE], "--window"),
        (&["corpus", "--all", "--window", "101"], "--window"),
        (
            &["corpus", "yang", "--convention", "nltk", "--window", HUGE],
            "--window",
        ),
    ];
    for (opts, option) in cases {
        let mut args = vec!["colloc"];
        args.extend_from_slice(opts);
        assert_refused(&run(&args), &args, option);
    }
    let r = run(&["colloc", "corpus", "yang", "--left", "100"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn threads_over_the_limit_are_refused() {
    let args = ["--threads", "3000", "freq", "corpus"];
    assert_refused(&run(&args), &args, "--threads 3000");
}

#[test]
fn keyness_float_options_refuse_non_finite_and_out_of_range_values() {
    let cases: &[(&str, &str)] = &[
        ("--k", "inf"),
        ("--k", "nan"),
        ("--k", "0"),
        ("--k", "-1"),
        ("--lock-ratio", "nan"),
        ("--lock-ratio", "inf"),
        ("--lock-ratio", "-0.5"),
        ("--alpha", "nan"),
    ];
    for &(option, value) in cases {
        let opt = format!("{option}={value}");
        let args = [
            "keyness",
            "corpus/seed",
            "--ref",
            "corpus/leipzig",
            "--lockwords",
            &opt,
        ];
        assert_refused(&run(&args), &args, option);
    }
}

/// One document of about 1 MB with no sentence end: `kata7` is every
/// 50th word.
fn no_sentence_end(dir: &Path) -> String {
    let mut text = String::new();
    let mut i = 0;
    while text.len() < 1 << 20 {
        text.push_str(&format!("kata{} ", i % 50));
        i += 1;
    }
    std::fs::write(dir.join("long.txt"), &text).unwrap();
    text
}

#[test]
fn kwic_sentence_context_is_cut_and_a_sample_fits_in_memory() {
    let dir = tempdir();
    no_sentence_end(dir.path());
    let args = [
        "kwic",
        "long.txt",
        "kata7",
        "--context",
        "sentence",
        "--sample",
        "10",
        "--threads",
        "1",
    ];
    let r = run_limited(dir.path(), 1024, &args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rows = tsv(&r.stdout);
    assert_eq!(rows.len(), 11, "header and 10 lines");
    let (left, right) = (
        rows[0].iter().position(|h| h == "left").unwrap(),
        rows[0].iter().position(|h| h == "right").unwrap(),
    );
    for row in &rows[1..] {
        assert_eq!(row[left + 1], "kata7");
        for side in [&row[left], &row[right]] {
            assert!(side.chars().count() <= 10_000, "{}", side.len());
        }
        // Far from the text's edges, a side is 10,000 characters.
        let start: usize = row
            [rows[0].iter().position(|h| h == "start").unwrap()]
        .parse()
        .unwrap();
        if start > 10_000 && start + 20_000 < 1 << 20 {
            assert_eq!(row[left].chars().count(), 10_000);
            assert_eq!(row[right].chars().count(), 10_000);
        }
    }
}

#[test]
fn kwic_held_lines_are_bounded_by_bytes() {
    let dir = tempdir();
    no_sentence_end(dir.path());
    // About 2,900 lines of 2 × 1000 characters: over 1 MB held.
    let args = ["kwic", "long.txt", "kata7", "--chars", "1000", "--sort"];
    let mut over = args.to_vec();
    over.extend(["R1", "--max-held-mb", "1", "-o", "out.tsv"]);
    let r = run_in(dir.path(), &over, None);
    assert_refused(&r, &over, "--max-held-mb");
    assert!(r.stderr.contains("holds the concordance lines"), "{}", r.stderr);
    assert!(!dir.path().join("out.tsv").exists(), "no output is left");
    // Within the budget the same lines are written.
    let mut within = args.to_vec();
    within.extend(["R1", "--max-held-mb", "64"]);
    let r = run_in(dir.path(), &within, None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = std::fs::read_to_string(dir.path().join("long.txt")).unwrap();
    let hits = text.split(' ').filter(|w| *w == "kata7").count();
    assert_eq!(tsv(&r.stdout).len(), hits + 1);
}

#[test]
fn two_ignorable_characters_join_a_word_as_one_does() {
    let dir = tempdir();
    // Soft hyphen, ZWJ, ZWNJ, WJ and BOM, one and two at a time.
    let mut text = String::from("kecil");
    for c in ['\u{00AD}', '\u{200D}', '\u{200C}', '\u{2060}', '\u{FEFF}'] {
        text.push_str(&format!(" ke{c}cil ke{c}{c}cil"));
    }
    text.push_str(" ke\u{00AD}\u{200D}\u{2060}cil\n");
    std::fs::write(dir.path().join("t.txt"), &text).unwrap();
    let r = run_in(dir.path(), &["freq", "t.txt"], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rows = tsv(&r.stdout);
    let items: Vec<&str> = rows[1..].iter().map(|r| r[1].as_str()).collect();
    assert_eq!(items, ["kecil"], "{}", r.stdout);
    let freq = rows[0].iter().position(|h| h == "freq").unwrap();
    assert_eq!(rows[1][freq], "12");
}

#[test]
fn by_groups_cost_what_they_hold() {
    // 20,000 files of 4 tokens each: a group per file. Each group's
    // tables took 35 KB before (700 MB here, aborting under 400 MB).
    let dir = tempdir();
    let files = dir.path().join("files");
    std::fs::create_dir(&files).unwrap();
    for i in 0..20_000 {
        let text = format!("kata{i} dan yang {}\n", i % 7);
        std::fs::write(files.join(format!("f{i:05}.txt")), text).unwrap();
    }
    let args = ["stats", "files", "--by", "file", "--threads", "2"];
    let r = run_limited(dir.path(), 400, &args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rows = tsv(&r.stdout);
    assert_eq!(rows.len(), 20_001);
    let tokens = rows[0].iter().position(|h| h == "tokens").unwrap();
    assert!(rows[1..].iter().all(|r| r[tokens] == "4"));
    let args = ["freq", "files", "--by", "file", "--threads", "2"];
    let r = run_limited(dir.path(), 400, &args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Four items a group, each once.
    let rows = tsv(&r.stdout);
    assert_eq!(rows.len(), 80_001);
    let freq = rows[0].iter().position(|h| h == "freq").unwrap();
    assert!(rows[1..].iter().all(|r| r[freq] == "1"));
}
