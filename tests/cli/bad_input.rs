//! Bad input: one clear line, a documented exit code, nothing lost
//! silently, no partial output file.

use crate::util::*;

#[test]
fn missing_path_exits_2_naming_it() {
    let r = run(&["freq", "no/such/corpus"]);
    assert_eq!(r.code, 2);
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(r.stderr.starts_with("korpus: no/such/corpus: "), "{}", r.stderr);
}

#[test]
fn empty_directory_and_empty_corpus_exit_2() {
    let dir = tempdir();
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    let r = run_in(dir.path(), &["freq", "empty"], None);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("empty: directory has no usable files"),
        "{}",
        r.stderr
    );
    std::fs::write(dir.path().join("e.txt"), "").unwrap();
    let r = run_in(dir.path(), &["stats", "e.txt"], None);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no token"), "{}", r.stderr);
}

#[test]
fn latin1_is_decoded_lossily_with_a_warning_or_refused_under_strict() {
    let Some(path) = shared_or_skip("multilingual/en-inaugural/2005-Bush.txt")
    else {
        return;
    };
    let p = path.to_str().unwrap();
    let r = run(&["stats", p, "--format", "tsv"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("2005-Bush.txt: not valid UTF-8:")
            && r.stderr.contains("bytes replaced by U+FFFD"),
        "{}",
        r.stderr
    );
    let r = run(&["stats", p, "--strict"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("2005-Bush.txt: byte "), "{}", r.stderr);
    assert!(r.stdout.is_empty());
}

#[test]
fn binary_file_is_skipped_and_counted() {
    let dir = tempdir();
    std::fs::write(dir.path().join("a.txt"), "kata biasa").unwrap();
    std::fs::write(dir.path().join("b.txt"), b"\x00\x01\x02binary").unwrap();
    let r = run_in(dir.path(), &["freq", ".", "--format", "tsv"], None);
    assert_eq!(r.code, 3);
    assert!(
        r.stderr.contains("b.txt: byte 0: NUL byte: binary file skipped"),
        "{}",
        r.stderr
    );
    assert_eq!(cell(&r.stdout, "item", "kata", "freq").as_deref(), Some("1"));
    let r = run_in(dir.path(), &["freq", ".", "--strict"], None);
    assert_eq!(r.code, 2);
}

#[test]
fn malformed_jsonl_records_are_named_and_counted() {
    let dir = tempdir();
    std::fs::write(
        dir.path().join("c.jsonl"),
        "{\"text\":\"satu\"}\n{\"text\": oops}\n[1,2]\n{\"text\":\"dua\"}\n{\"a\":{\"b\":{\"c\":[[[[1]]]]}},\"text\":\"tiga\"}\n",
    )
    .unwrap();
    let r = run_in(dir.path(), &["stats", "c.jsonl", "--format", "tsv"], None);
    assert_eq!(r.code, 3);
    assert!(r.stderr.contains("c.jsonl:2: malformed JSON"), "{}", r.stderr);
    assert!(r.stderr.contains("c.jsonl:3: not a JSON object"), "{}", r.stderr);
    assert!(
        r.stderr.contains("2 record(s) or file(s) skipped"),
        "{}",
        r.stderr
    );
    assert_eq!(tsv(&r.stdout)[1][0], "3", "three documents read");
    let r = run_in(dir.path(), &["stats", "c.jsonl", "--strict"], None);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("c.jsonl:2"), "{}", r.stderr);
}

#[test]
fn crlf_and_lone_cr_line_ends() {
    let dir = tempdir();
    std::fs::write(
        dir.path().join("a.jsonl"),
        "{\"text\":\"satu\"}\r\n{\"text\":\"dua\"}\r\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("b.txt"), "satu\rdua\r\n\r\ntiga").unwrap();
    let r = run_in(dir.path(), &["freq", ".", "--format", "tsv"], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for (w, f) in [("satu", "2"), ("dua", "2"), ("tiga", "1")] {
        assert_eq!(
            cell(&r.stdout, "item", w, "freq").as_deref(),
            Some(f),
            "{w}"
        );
    }
}

#[test]
fn invalid_option_values_exit_2() {
    for args in [
        &["freq", "corpus", "--format", "xml"][..],
        &["freq", "corpus", "--ngram", "0"],
        &["freq", "corpus", "--classes", "word,nouns"],
        &["freq", "corpus", "--normalize", "nfd"],
        &["freq", "corpus", "--input-format", "docx"],
        &["freq", "corpus", "--where", "nooperator"],
        &["freq", "corpus", "--by", "path~noCapture"],
        &["freq", "corpus", "--min-freq", "-3"],
        &["stats", "corpus", "--window", "0"],
        &["--threads", "0", "freq", "corpus"],
        &["freq", "corpus", "--stopwords", "klingon"],
    ] {
        let r = run(args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{args:?}");
        assert!(!r.stderr.contains("panicked"), "{args:?}");
    }
}

#[test]
fn output_file_is_atomic() {
    let dir = tempdir();
    let target = dir.path().join("out.tsv");
    // A failing run leaves no file behind.
    let r = run(&["freq", "no/such/corpus", "-o", target.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(!target.exists());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // A good run writes it whole; a later failing run keeps the old one.
    let r = run(&["freq", "corpus/seed", "-o", target.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let first = std::fs::read_to_string(&target).unwrap();
    assert!(first.contains("tiongkok\t9"));
    let r = run(&[
        "freq",
        "corpus/seed",
        "--where",
        "path=none",
        "-o",
        target.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), first);
}

#[test]
fn full_disk_is_an_error_with_exit_1() {
    if !std::path::Path::new("/dev/full").exists() {
        return;
    }
    let r = run(&["freq", "corpus", "-o", "/dev/full"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("No space left on device"), "{}", r.stderr);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_korpus"))
        .args(["freq", "corpus"])
        .current_dir(root())
        .stdout(std::fs::File::create("/dev/full").unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("No space left on device")
    );
}

#[test]
fn closed_pipe_is_not_an_error() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_korpus"))
        .args(["tokens", "corpus", "--format", "tsv"])
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut buf = [0u8; 100];
    stdout.read_exact(&mut buf).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn walks_pass_over_readme_and_unknown_files() {
    let dir = tempdir();
    std::fs::write(dir.path().join("README.md"), "not a document").unwrap();
    std::fs::write(dir.path().join("a.txt"), "dokumen").unwrap();
    std::fs::write(dir.path().join("b.pdf"), "%PDF").unwrap();
    let r = run_in(dir.path(), &["stats", ".", "--format", "tsv"], None);
    assert_eq!(r.code, 0);
    assert_eq!(tsv(&r.stdout)[1][0], "1");
    assert!(r.stderr.contains("b.pdf (unknown extension)"), "{}", r.stderr);
    // Passed over by design, and named (issue 22, item 18).
    let note = "passed over ./README.md (README or LICENSE)";
    assert!(r.stderr.contains(note), "{}", r.stderr);
}
