//! `korpus report` in one read of the corpus (issue 24, item 2): the
//! passes it says it made, its tables against the single commands'
//! output on the bundled corpus, the same bytes on 1 and 4 threads, and
//! a corpus on standard input.

use std::path::Path;
use std::process::Command;

use crate::util::*;

fn corpus() -> String {
    root().join("corpus").display().to_string()
}

fn report_in(dir: &Path, extra: &[&str]) -> Run {
    let corpus = corpus();
    let mut args = vec!["report", corpus.as_str(), "-o", "rep"];
    args.extend(extra);
    let r = run_in(dir, &args, None);
    assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    r
}

fn file(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join("rep").join(name))
        .unwrap_or_else(|e| panic!("rep/{name}: {e}"))
}

/// One read without --ref, two with it (the reference corpus is the
/// second); the old report printed a numbered line per step instead.
#[test]
fn the_summary_counts_the_passes() {
    let dir = tempdir();
    let r = report_in(dir.path(), &["--by", "file"]);
    assert!(
        r.stderr.contains("korpus report: 1 pass over the corpus\n"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("korpus report: 1. "), "{}", r.stderr);
    let seed = root().join("corpus/seed").display().to_string();
    std::fs::remove_dir_all(dir.path().join("rep")).unwrap();
    let r = report_in(dir.path(), &["--ref", &seed]);
    assert!(
        r.stderr.contains(
            "korpus report: 2 passes: 1 over the corpus, 1 over the --ref corpus\n"
        ),
        "{}",
        r.stderr
    );
}

/// Each table beside the page is what the single command prints with
/// the options the report gives it (README's report section lists
/// them), on the bundled corpus grouped by file.
#[test]
fn the_tables_are_the_single_commands_output() {
    let dir = tempdir();
    report_in(dir.path(), &["--by", "file"]);
    let c = corpus();
    let sets =
        ["--set", "Tiongkok|China|Cina", "--set", "Korea Utara|Korut|DPRK"];
    let mut variants = vec!["variants", c.as_str(), "--by", "file"];
    variants.extend(sets);
    let with = |base: &[&str], more: &[&str]| -> Vec<String> {
        base.iter().chain(more).map(|s| s.to_string()).collect()
    };
    let cases: Vec<(&str, Vec<String>)> = vec![
        ("stats.tsv", with(&["stats", &c, "--by", "file"], &[])),
        (
            "freq.tsv",
            with(&["freq", &c, "--stopwords", "id", "--top", "40"], &[]),
        ),
        ("freq-all.tsv", with(&["freq", &c, "--no-dp"], &[])),
        ("variants.tsv", with(&variants, &[])),
        ("variants-test.tsv", with(&variants, &["--test"])),
        ("variant-examples.tsv", with(&variants, &["--examples", "3"])),
        (
            "kwic-1.tsv",
            with(
                &["kwic", &c, "Tiongkok", "--by", "file"],
                &["--sample", "25", "--seed", "1"],
            ),
        ),
        (
            "kwic-2.tsv",
            with(
                &["kwic", &c, "China", "--by", "file"],
                &["--sample", "25", "--seed", "1"],
            ),
        ),
        (
            "colloc-1.tsv",
            with(
                &["colloc", &c, "Tiongkok", "--stopwords", "id"],
                &["--top", "20"],
            ),
        ),
        (
            "colloc-vs.tsv",
            with(
                &["colloc", &c, "Tiongkok", "--stopwords", "id"],
                &["--vs", "China", "--top", "12"],
            ),
        ),
        (
            "keyness.tsv",
            with(
                &["keyness", &c, "--stopwords", "id", "--by", "file"],
                &["--top", "8"],
            ),
        ),
    ];
    for (name, args) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let single = ok(&args);
        // Every table has rows on this corpus, so the comparison is not
        // of two headers: the corpus has 3 files and Tiongkok in each.
        assert!(tsv(&single).len() > 1, "{name}: no rows from {args:?}");
        assert_same(
            &format!("{name} against {args:?}"),
            &single,
            &file(dir.path(), name),
        );
    }
}

/// Keywords against --ref: the table of `korpus keyness CORPUS --ref
/// REF --top 20`, the reference read in the second pass.
#[test]
fn keywords_against_a_reference_corpus() {
    let dir = tempdir();
    let seed = root().join("corpus/seed").display().to_string();
    report_in(dir.path(), &["--ref", &seed]);
    let c = corpus();
    let single = ok(&[
        "keyness",
        &c,
        "--stopwords",
        "id",
        "--ref",
        &seed,
        "--top",
        "20",
    ]);
    assert!(tsv(&single).len() > 1, "no keywords");
    assert_same("keyness.tsv", &single, &file(dir.path(), "keyness.tsv"));
}

/// Every file of the report (page, tables, charts, provenance, manifest)
/// is the same on 1 and 4 threads.
#[test]
fn same_bytes_on_one_and_four_threads() {
    let dir = tempdir();
    let mut got = Vec::new();
    for threads in ["1", "4"] {
        let out = dir.path().join(format!("rep{threads}"));
        let status = Command::new(env!("CARGO_BIN_EXE_korpus"))
            .args(["report", &corpus(), "-o", "rep", "--by", "file", "-q"])
            .current_dir(dir.path())
            .env("RAYON_NUM_THREADS", threads)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert!(status.status.success(), "{status:?}");
        std::fs::rename(dir.path().join("rep"), &out).unwrap();
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                let name = e.file_name().to_string_lossy().into_owned();
                (name, std::fs::read(e.path()).unwrap())
            })
            .collect();
        files.sort();
        got.push(files);
    }
    let names: Vec<&str> = got[0].iter().map(|f| f.0.as_str()).collect();
    // 29 files: index.html, the manifest, provenance.json; 12 tables
    // (stats, freq, freq-all, variants, variants-test, variant-examples,
    // kwic-1, kwic-2, colloc-1, colloc-2, colloc-vs, keyness); 7 charts
    // (freq-chart, zipf, variants-chart, colloc-1/2 and colloc-vs
    // networks, keyness-chart), each with its data: 3 + 12 + 14.
    assert_eq!(names.len(), 29, "{names:?}");
    assert!(names.contains(&"keyness-chart.svg"), "{names:?}");
    assert_eq!(got[0].len(), got[1].len(), "{names:?}");
    for (a, b) in got[0].iter().zip(&got[1]) {
        assert_eq!(a.0, b.0);
        assert!(a.1 == b.1, "{} differs between 1 and 4 threads", a.0);
    }
}

/// With one read, `-` (standard input) is a corpus as in the other
/// commands: the overview is that of `korpus stats -`.
#[test]
fn a_corpus_on_standard_input() {
    let dir = tempdir();
    let text = "Tiongkok dan China. Presiden Tiongkok bertemu China lagi.\n";
    let r = run_in(
        dir.path(),
        &["report", "-", "-o", "rep"],
        Some(text.as_bytes()),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let single = run_in(dir.path(), &["stats", "-"], Some(text.as_bytes()));
    assert_eq!(single.code, 0, "{}", single.stderr);
    // 8 tokens (the two full stops are not counted), 6 types:
    // tiongkok 2, dan, china 2, presiden, bertemu, lagi.
    assert_eq!(tsv(&single.stdout)[1][1..3], ["8", "6"]);
    assert_same("stats.tsv", &single.stdout, &file(dir.path(), "stats.tsv"));
    let kwic = file(dir.path(), "kwic-1.tsv");
    assert_eq!(tsv(&kwic).len(), 1 + 2, "{kwic}");
}

/// An unreadable --stopwords file is refused before anything is read
/// (exit 2, no report): the old report ran on and noted three sections
/// as not available.
#[test]
fn an_unreadable_stopword_list_is_refused() {
    let dir = tempdir();
    let corpus = corpus();
    let args =
        ["report", corpus.as_str(), "-o", "rep", "--stopwords", "nosuch.txt"];
    let r = run_in(dir.path(), &args, None);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("reading the stopword list nosuch.txt"),
        "{}",
        r.stderr
    );
    assert!(!dir.path().join("rep").exists());
}
