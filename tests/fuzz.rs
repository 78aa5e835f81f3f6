//! A property-based fuzz harness (stable Rust; cargo-fuzz needs
//! nightly): the query parser and the JSONL, CSV and CoNLL-U readers on
//! generated, partly malformed input. (The tokenizer and normalizer are
//! fuzzed in `invariants.rs`.)
//!
//! Invariants: nothing panics; every record is either read or counted
//! as skipped (`documents + skipped_records` equals the records
//! written), and exactly the well-formed ones are read.
//!
//! CI runs the default number of cases with a fixed seed
//! (`PROPTEST_RNG_SEED`); a long local run:
//! `PROPTEST_CASES=20000 cargo test --release --test fuzz`.

use std::io::Write;

use korpus::analyze::Analyzer;
use korpus::corpus::{Corpus, Document, ReadOptions, ReadReport};
use korpus::query::{DocTokens, Query};
use proptest::prelude::*;

fn cases(default: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Reads `bytes` as a file named `name`: the report and the documents.
fn read(name: &str, bytes: &[u8]) -> (ReadReport, Vec<Document>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::File::create(&path).unwrap().write_all(bytes).unwrap();
    let corpus =
        Corpus::open(&[path.display().to_string()], ReadOptions::default())
            .unwrap();
    let mut docs = Vec::new();
    let report = corpus
        .scan(&mut |_| {}, &mut |batch| {
            docs.extend(batch);
            Ok(())
        })
        .unwrap();
    (report, docs)
}

/// Text of the kind found in scraped news, quotes and escapes included.
fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("Tiongkok".to_string()),
            Just("China,".to_string()),
            Just("\"kutipan\"".to_string()),
            Just("&amp;".to_string()),
            Just("<b>".to_string()),
            Just("\\".to_string()),
            Just("baris\nbaru".to_string()),
            Just("😀".to_string()),
            "[a-zA-Z0-9\u{a0}-\u{2ff}]{1,8}",
        ],
        0..8,
    )
    .prop_map(|w| w.join(" "))
}

/// One JSONL line and whether it is a well-formed record with text.
fn jsonl_line() -> impl Strategy<Value = (String, bool)> {
    prop_oneof![
        text().prop_map(|t| (
            serde_json::json!({"id": "x", "text": t}).to_string(),
            true
        )),
        text()
            .prop_map(|t| (serde_json::json!({"body": t}).to_string(), false)),
        Just(("{\"text\": 5}".to_string(), false)),
        Just(("[1, 2]".to_string(), false)),
        text().prop_map(|t| (
            format!("{{\"text\": \"{}", t.replace('\n', " ")),
            false
        )),
        (1usize..400).prop_map(|d| ("[".repeat(d * 10), false)),
        Just(("{\"text\": \"a\", }".to_string(), false)),
    ]
}

/// One CSV record (fields quoted) and its text if it has the header's
/// three fields.
fn csv_record() -> impl Strategy<Value = (String, Option<String>)> {
    (text(), text(), prop::bool::weighted(0.8)).prop_map(|(a, b, ok)| {
        let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
        if ok {
            (format!("{},{},{}", q("id"), q(&a), q(&b)), Some(b))
        } else {
            (format!("{},{}", q(&a), q(&b)), None)
        }
    })
}

/// One CoNLL-U line without line breaks.
fn conllu_line() -> impl Strategy<Value = String> {
    let no_breaks = |s: String| s.replace(['\n', '\r'], " ");
    prop_oneof![
        text().prop_map(move |t| format!("# text = {}", no_breaks(t))),
        Just("# sent_id = s1".to_string()),
        Just("# newdoc id = d1".to_string()),
        Just("1\tTiongkok\tTiongkok\tPROPN\t_\t_\t0\troot\t_\t_".to_string()),
        Just("1-2\tdaripadanya\t_\t_\t_\t_\t_\t_\t_\t_".to_string()),
        Just(String::new()),
        text().prop_map(no_breaks),
    ]
}

proptest! {
    #![proptest_config(cases(64))]

    #[test]
    fn jsonl_records_are_read_or_counted(lines in prop::collection::vec(jsonl_line(), 1..30)) {
        let body: String = lines.iter().map(|(l, _)| format!("{l}\n")).collect();
        let (report, docs) = read("a.jsonl", body.as_bytes());
        let good = lines.iter().filter(|(_, ok)| *ok).count() as u64;
        prop_assert_eq!(report.documents, good);
        prop_assert_eq!(docs.len() as u64, good);
        prop_assert_eq!(report.documents + report.skipped_records, lines.len() as u64);
    }

    #[test]
    fn csv_records_are_read_or_counted(records in prop::collection::vec(csv_record(), 1..30)) {
        let mut body = String::from("id,title,text\n");
        for (r, _) in &records {
            body.push_str(r);
            body.push('\n');
        }
        let (report, docs) = read("a.csv", body.as_bytes());
        let good = records.iter().filter(|(_, t)| t.is_some()).count() as u64;
        prop_assert_eq!(report.documents, good);
        prop_assert_eq!(report.documents + report.skipped_records, records.len() as u64);
        // Quoted fields come back whole, line breaks and quotes included.
        let want: Vec<String> = records.iter().filter_map(|(_, t)| t.clone()).collect();
        let got: Vec<String> = docs.iter().map(|d| d.text.clone()).collect();
        prop_assert_eq!(got, want);
    }

    #[test]
    fn conllu_sentences_are_read(lines in prop::collection::vec(conllu_line(), 0..40)) {
        let body: String = lines.iter().map(|l| format!("{l}\n")).collect();
        let (report, docs) = read("a.conllu", body.as_bytes());
        let sentences = lines.iter().filter(|l| l.starts_with("# text =")).count() as u64;
        prop_assert_eq!(report.documents, sentences);
        prop_assert_eq!(docs.len() as u64, sentences);
        // A sentence (lines up to a blank one) with a token line and no
        // `# text =` is skipped and counted (issue 22 item 5).
        let (mut untexted, mut has_text, mut has_token) = (0, false, false);
        for l in lines.iter().map(String::as_str).chain([""]) {
            if l.trim().is_empty() {
                untexted += u64::from(has_token && !has_text);
                (has_text, has_token) = (false, false);
            } else if l.starts_with("# text =") {
                has_text = true;
            } else if !l.starts_with('#') {
                has_token = true;
            }
        }
        prop_assert_eq!(report.skipped_records, untexted);
    }

    #[test]
    fn the_query_parser_never_panics(
        src in prop::collection::vec(
            prop_oneof![
                Just("Tiongkok"), Just("|"), Just("*"), Just("*{0,3}"), Just("?"),
                Just("\""), Just("/"), Just("["), Just("]"), Just("word="),
                Just("(a{99}){99}"), Just(" "), Just("{"), Just("}"), Just("\\"),
                Just("class=\"word\""), Just("é"), Just("🙂"),
            ],
            0..12,
        ).prop_map(|v| v.concat()),
        doc in text(),
    ) {
        let an = Analyzer::default();
        for case_sensitive in [false, true] {
            match Query::parse(&src, &an, case_sensitive) {
                Ok(q) => {
                    // A query that parses matches without panicking, and
                    // its matches lie within the document's tokens.
                    let mut scratch = Default::default();
                    let d = DocTokens::analyze(&an, &doc, &mut scratch);
                    for (start, end) in d.matches(&q, &doc) {
                        prop_assert!(start < end && end <= d.tokens.len());
                    }
                }
                Err(e) => {
                    // The error points inside the query (or just past it).
                    prop_assert!(e.pos <= src.len());
                    let shown = e.render(&src);
                    prop_assert!(shown.contains('^'));
                }
            }
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic_a_reader(
        bytes in prop::collection::vec(any::<u8>(), 0..400),
        ext in prop::sample::select(vec!["txt", "jsonl", "csv", "tsv", "conllu"]),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(format!("x.{ext}"));
        std::fs::write(&path, &bytes).unwrap();
        let corpus = Corpus::open(&[path.display().to_string()], ReadOptions::default()).unwrap();
        // An error is allowed (an unusable file); a panic is not.
        let _ = corpus.scan(&mut |_| {}, &mut |_| Ok(()));
    }
}
