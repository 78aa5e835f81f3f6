//! `korpus ngrams`.

use crate::util::*;

const SEED: &str = "corpus/seed/000_45b6498bc7b02e87.txt";

#[test]
fn lengths_and_agreement_with_freq() {
    let out = ok(&["ngrams", SEED, "-n", "2..3", "--format", "tsv"]);
    let rows = tsv(&out);
    assert_eq!(rows[0][..3], ["n", "rank", "item"]);
    let find = |n: &str, item: &str| {
        rows.iter().find(|r| r[0] == n && r[2] == item).map(|r| r[3].clone())
    };
    assert_eq!(find("2", "korea utara").as_deref(), Some("11"));
    assert_eq!(find("3", "kim jong un").as_deref(), Some("4"));
    // The bigram rows are `freq -n 2`'s rows.
    let freq = ok(&["freq", SEED, "-n", "2", "--format", "tsv"]);
    let bigrams: Vec<Vec<String>> = rows[1..]
        .iter()
        .filter(|r| r[0] == "2")
        .map(|r| r[1..].to_vec())
        .collect();
    assert_eq!(bigrams, tsv(&freq)[1..].to_vec());
}

#[test]
fn clusters_around_a_node() {
    // Read in the seed: "Presiden Tiongkok Xi Jinping" twice.
    let out = ok(&[
        "ngrams", SEED, "--around", "Tiongkok", "-n", "2..4", "--format",
        "tsv",
    ]);
    let rows = tsv(&out);
    assert_eq!(
        rows[0],
        ["rank", "n", "cluster", "node_position", "freq", "range"]
    );
    let get = |item: &str| {
        rows.iter()
            .find(|r| r[2] == item)
            .map(|r| (r[3].clone(), r[4].clone()))
    };
    assert_eq!(
        get("presiden tiongkok xi jinping"),
        Some(("2".into(), "2".into()))
    );
    assert_eq!(get("tiongkok xi"), Some(("1".into(), "2".into())));
    assert_eq!(get("dprk tiongkok"), Some(("2".into(), "1".into())));
    // Every cluster holds the node at its position.
    for r in &rows[1..] {
        let words: Vec<&str> = r[2].split(' ').collect();
        let pos: usize = r[3].parse().unwrap();
        assert_eq!(words[pos - 1], "tiongkok", "{r:?}");
        assert_eq!(words.len().to_string(), r[1]);
    }
}

#[test]
fn bad_lengths() {
    for n in ["0", "5..2", "x", "2..40"] {
        let r = run(&["ngrams", "corpus", "-n", n]);
        assert_eq!(r.code, 2, "{n}: {}", r.stderr);
    }
}

#[test]
fn cross_sentences_on_request_never_across_documents() {
    let dir = tempdir();
    std::fs::write(dir.path().join("1.txt"), "a b. c d").unwrap();
    std::fs::write(dir.path().join("2.txt"), "e f").unwrap();
    let items = |extra: &[&str]| {
        let mut args = vec!["ngrams", ".", "-n", "2", "--format", "tsv"];
        args.extend(extra);
        let mut v: Vec<String> = tsv(&run_in(dir.path(), &args, None).stdout)
            [1..]
            .iter()
            .map(|r| r[2].clone())
            .collect();
        v.sort();
        v
    };
    assert_eq!(items(&[]), ["a b", "c d", "e f"]);
    assert_eq!(items(&["--cross-sentences"]), ["a b", "b c", "c d", "e f"]);
    let clusters = run_in(
        dir.path(),
        &[
            "ngrams",
            ".",
            "--around",
            "c",
            "-n",
            "2",
            "--cross-sentences",
            "--format",
            "tsv",
        ],
        None,
    );
    let got: Vec<String> =
        tsv(&clusters.stdout)[1..].iter().map(|r| r[2].clone()).collect();
    // Equal frequency: by node position, so "c d" (node first) leads.
    assert_eq!(got, ["c d", "b c"]);
}
