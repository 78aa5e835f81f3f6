//! Lemmas: `--unit lemma`, lemma queries, `tokens --lemmas` and
//! `korpus eval-lemmas`.

use std::collections::BTreeMap;

use crate::util::*;

const SAMPLE: &str = "tests/data/lemmas-sample.conllu";

/// Forms of a few Indonesian roots, for a generated corpus.
const FORMS: &[&str] = &[
    "dukung",
    "mendukung",
    "didukung",
    "dukungan",
    "pendukung",
    "pendukungnya",
    "tulis",
    "menulis",
    "ditulis",
    "tulisan",
    "penulis",
    "ikut",
    "mengikuti",
    "diikuti",
    "pengikut",
    "batas",
    "pembatasan",
    "membatasi",
    "China",
    "Tiongkok",
    "dan",
    "yang",
    "tersebut",
    "sebagai",
];

/// A generated corpus of `docs` documents (a fixed linear congruential
/// sequence picks the words), in `dir/gen.txt`-style files.
fn generate(dir: &std::path::Path, docs: usize) {
    let mut x: u64 = 27;
    for d in 0..docs {
        let mut text = String::new();
        for i in 0..200 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            text.push_str(FORMS[(x >> 33) as usize % FORMS.len()]);
            text.push_str(if i % 12 == 11 { ". " } else { " " });
        }
        std::fs::write(dir.join(format!("doc{d:02}.txt")), text).unwrap();
    }
}

/// `freq --unit lemma` equals `freq` summed by each word's lemma (the
/// lemmas read from `tokens --lemmas`), with range per lemma.
#[test]
fn unit_lemma_rows_equal_word_rows_summed_by_lemma() {
    let dir = tempdir();
    generate(dir.path(), 6);
    let corpus = dir.path().to_str().unwrap();
    let words = ok(&["freq", corpus, "--format", "tsv"]);
    let lemmas = ok(&["freq", corpus, "--unit", "lemma", "--format", "tsv"]);
    let tokens = ok(&["tokens", corpus, "--lemmas", "--format", "tsv"]);
    let rows = tsv(&tokens);
    let (norm, lemma) = (
        rows[0].iter().position(|c| c == "norm").unwrap(),
        rows[0].iter().position(|c| c == "lemma").unwrap(),
    );
    let lemma_of: BTreeMap<String, String> = rows[1..]
        .iter()
        .map(|r| (r[norm].clone(), r[lemma].clone()))
        .collect();
    let mut summed: BTreeMap<String, u64> = BTreeMap::new();
    let wrows = tsv(&words);
    let (item, freq) = (
        wrows[0].iter().position(|c| c == "item").unwrap(),
        wrows[0].iter().position(|c| c == "freq").unwrap(),
    );
    for r in &wrows[1..] {
        *summed.entry(lemma_of[&r[item]].clone()).or_default() +=
            r[freq].parse::<u64>().unwrap();
    }
    let got: BTreeMap<String, u64> = tsv(&lemmas)[1..]
        .iter()
        .map(|r| (r[item].clone(), r[freq].parse().unwrap()))
        .collect();
    assert_eq!(got, summed);
    // The roots gather their forms: fewer lemmas than words.
    assert!(got.len() < wrows.len() - 1, "{got:?}");
    assert!(got.contains_key("dukung") && !got.contains_key("mendukung"));
}

/// Every command with `--unit lemma` writes the same bytes on 1 and on 4
/// threads.
#[test]
fn unit_lemma_same_bytes_on_1_and_4_threads() {
    let dir = tempdir();
    generate(dir.path(), 8);
    let corpus = dir.path().to_str().unwrap();
    let commands: &[&[&str]] = &[
        &["freq"],
        &["ngrams", "-n", "2"],
        &["colloc", "dukung"],
        &["kwic", "dukung"],
        &["stats"],
        &["dispersion", "lemma:tulis"],
    ];
    for cmd in commands {
        let mut args: Vec<&str> = vec![cmd[0], corpus];
        args.extend(&cmd[1..]);
        args.extend(["--unit", "lemma", "--format", "tsv"]);
        let one = ok(&[&args[..], &["--threads", "1"]].concat());
        let four = ok(&[&args[..], &["--threads", "4"]].concat());
        assert_same(&format!("{cmd:?}"), &one, &four);
        assert!(tsv(&one).len() > 1, "{cmd:?} printed no row");
    }
}

/// `lemma:dukung` finds every form of the root in kwic, on words; with
/// `--unit lemma` the plain word does the same.
#[test]
fn lemma_queries_show_every_form() {
    let dir = tempdir();
    let text = "Mereka mendukung rencana itu. Dukungan datang dari \
                pendukungnya, dan rencana itu didukung. Ia menulis.";
    std::fs::write(dir.path().join("a.txt"), text).unwrap();
    let corpus = dir.path().to_str().unwrap();
    let node = |out: &str| -> Vec<String> {
        let rows = tsv(out);
        let col = rows[0].iter().position(|c| c == "node").unwrap();
        rows[1..].iter().map(|r| r[col].clone()).collect()
    };
    let want = ["mendukung", "Dukungan", "pendukungnya", "didukung"];
    let got = ok(&["kwic", corpus, "lemma:dukung", "--format", "tsv"]);
    assert_eq!(node(&got), want);
    let cql = ok(&["kwic", corpus, "[lemma=\"dukung\"]", "--format", "tsv"]);
    assert_eq!(node(&cql), want);
    let unit = ok(&["kwic", corpus, "dukung", "--unit", "lemma"]);
    assert_eq!(node(&unit), want);
    // On words, the plain word finds nothing: no token is `dukung`.
    let plain = ok(&["kwic", corpus, "dukung", "--format", "tsv"]);
    assert!(node(&plain).is_empty());
}

/// `tokens --lemmas`: the lemma and the affixes of each token.
#[test]
fn tokens_lemmas_columns() {
    let dir = tempdir();
    std::fs::write(dir.path().join("a.txt"), "Pendukungnya menuliskan.")
        .unwrap();
    let out = ok(&[
        "tokens",
        dir.path().to_str().unwrap(),
        "--lemmas",
        "--format",
        "tsv",
    ]);
    let rows = tsv(&out);
    let n = rows[0].len();
    assert_eq!(rows[0][n - 2..], ["lemma", "affixes"]);
    assert_eq!(rows[1][n - 2..], ["dukung", "peN-,-nya"]);
    assert_eq!(rows[2][n - 2..], ["tulis", "meN-,-kan"]);
}

/// The sample's accuracy, worked out by hand: 10 words scored (PUNCT,
/// NUM and the words of `programnya` left out); every lemma right but
/// `tersebut`, whose gold lemma is CSUI's `sebut`, which the gsd
/// convention keeps whole (9/10) and the root convention gives (10/10).
#[test]
fn eval_lemmas_on_the_sample() {
    let out = ok(&["eval-lemmas", SAMPLE, "--format", "tsv"]);
    let row = |upos: &str, col: &str| cell(&out, "upos", upos, col);
    assert_eq!(row("all", "words").as_deref(), Some("10"));
    assert_eq!(row("all", "correct").as_deref(), Some("9"));
    assert_eq!(row("all", "accuracy").as_deref(), Some("0.9000"));
    assert_eq!(row("DET", "accuracy").as_deref(), Some("0.5000"));
    assert_eq!(row("NOUN", "words").as_deref(), Some("4"));
    assert_eq!(row("PUNCT", "words"), None);
    let root = ok(&[
        "eval-lemmas",
        SAMPLE,
        "--lemma-convention",
        "root",
        "--format",
        "tsv",
    ]);
    assert_eq!(
        cell(&root, "upos", "all", "accuracy").as_deref(),
        Some("1.0000")
    );
    let r = run(&["eval-lemmas", SAMPLE]);
    assert!(r.stderr.contains("tersebut  sebut  tersebut  1"), "{}", r.stderr);
}

/// A malformed gold file is one line naming the file and line, exit 2
/// or more, no panic.
#[test]
fn eval_lemmas_bad_gold_names_the_line() {
    let dir = tempdir();
    let bad = dir.path().join("bad.conllu");
    std::fs::write(&bad, "# x\n1\tonly\tthree\n").unwrap();
    let r = run(&["eval-lemmas", bad.to_str().unwrap()]);
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("bad.conllu:2"), "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
}

/// The README's figures on the UD gold files: GSD test with the gsd
/// convention, CSUI test and PUD with the root convention.
#[test]
fn eval_lemmas_on_ud_gold() {
    let Some(gold) = shared_or_skip("gold-ud") else { return };
    let path = |f: &str| gold.join(f).to_str().unwrap().to_string();
    let acc = |conv: &str, file: &str| -> f64 {
        let p = path(file);
        let out = ok(&[
            "eval-lemmas",
            &p,
            "--lemma-convention",
            conv,
            "--errors",
            "0",
            "--format",
            "tsv",
        ]);
        cell(&out, "upos", "all", "accuracy").unwrap().parse().unwrap()
    };
    assert!(acc("gsd", "id_gsd-ud-test.conllu") >= 0.96);
    assert!(acc("root", "id_csui-ud-test.conllu") >= 0.94);
    assert!(acc("root", "id_pud-ud-test.conllu") >= 0.94);
}
