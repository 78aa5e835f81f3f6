//! `korpus keyness`.

use crate::util::*;

fn vector_corpora() -> tempfile::TempDir {
    // statistics.md §3's test vector: a = 10 in c = 1,000 tokens, b = 5
    // in d = 2,000 tokens.
    let dir = tempdir();
    let target = format!("{}{}", "x ".repeat(10), "a ".repeat(990));
    let reference = format!("{}{}", "x ".repeat(5), "b ".repeat(1995));
    std::fs::write(dir.path().join("target.txt"), target).unwrap();
    std::fs::write(dir.path().join("ref.txt"), reference).unwrap();
    dir
}

#[test]
fn the_reference_test_vector() {
    let dir = vector_corpora();
    let r = run_in(
        dir.path(),
        &["keyness", "target.txt", "--ref", "ref.txt", "--format", "tsv"],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let get = |col: &str| cell(&r.stdout, "item", "x", col).unwrap();
    assert_eq!(get("freq_target"), "10");
    assert_eq!(get("freq_ref"), "5");
    assert_eq!(get("pm_target"), "10000.00");
    assert_eq!(get("ll"), "6.9692"); // 6.969191931932806
    assert_eq!(get("chi2"), "7.5377"); // 7.5376884422110555
    assert_eq!(get("log_ratio"), "2.0000");
    assert_eq!(get("pct_diff"), "300.00");
    assert_eq!(get("diff_coef"), "0.6000");
    assert_eq!(get("simple_maths"), "3.9988"); // 3.998800479808077
    assert_eq!(get("relative_risk"), "4.0000");
    assert_eq!(get("direction"), "+");
    // Three items tested (x, a, b): Bonferroni 0.05/3; p(6.969) = 0.00829.
    assert_eq!(get("significant"), "yes");
    assert!(r.stderr.contains("3 items tested"), "{}", r.stderr);
    let two = run_in(
        dir.path(),
        &[
            "keyness",
            "target.txt",
            "--ref",
            "ref.txt",
            "--ll",
            "two-term",
            "--yates",
            "--format",
            "tsv",
        ],
        None,
    );
    assert_eq!(
        cell(&two.stdout, "item", "x", "ll").as_deref(),
        Some("6.9315")
    ); // 10·ln 2
    assert_eq!(
        cell(&two.stdout, "item", "x", "chi2").as_deref(),
        Some("6.1055")
    ); // Yates
    // BIC from the two-term LL: 6.931 − ln 3000 = −1.0749.
    assert_eq!(
        cell(&two.stdout, "item", "x", "bic").as_deref(),
        Some("-1.0749")
    );
    // b is a negative keyword with a zero in the target: Log Ratio uses 0.5.
    assert_eq!(
        cell(&r.stdout, "item", "b", "direction").as_deref(),
        Some("-")
    );
    assert_eq!(
        cell(&r.stdout, "item", "b", "pct_diff").as_deref(),
        Some("-100.00")
    );
}

#[test]
fn subcorpora_of_one_corpus_equal_two_corpora() {
    let two = ok(&[
        "keyness",
        "corpus/leipzig/ind_newscrawl_2016_10K_sample1000-sentences.txt",
        "--ref",
        "corpus/leipzig/ind_news_2008_300K_sample1000-sentences.txt",
        "--format",
        "tsv",
    ]);
    let within = ok(&[
        "keyness",
        "corpus",
        "--target",
        "path~2016",
        "--ref",
        "path~2008",
        "--format",
        "tsv",
    ]);
    assert!(two == within);
    let rest = ok(&[
        "keyness",
        "corpus",
        "--target",
        "path~2016",
        "--ref",
        "rest",
        "--format",
        "tsv",
    ]);
    assert!(rest != within, "the rest holds the seed too");
    let neg = ok(&[
        "keyness",
        "corpus",
        "--target",
        "path~2016",
        "--ref",
        "path~2008",
        "--direction",
        "negative",
        "--top",
        "5",
        "--format",
        "tsv",
    ]);
    let lls: Vec<f64> =
        tsv(&neg)[1..].iter().map(|r| r[6].parse().unwrap()).collect();
    assert!(
        lls.iter().all(|&x| x < 0.0) && lls.windows(2).all(|w| w[0] <= w[1]),
        "{lls:?}"
    );
}

#[test]
fn bad_input() {
    let r = run(&[
        "keyness",
        "corpus",
        "--target",
        "path~nothing",
        "--ref",
        "rest",
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("the target subcorpus"), "{}", r.stderr);
    for args in [
        &[
            "keyness",
            "corpus",
            "--target",
            "path~2016",
            "--ref",
            "rest",
            "--ll",
            "three",
        ][..],
        &[
            "keyness",
            "corpus",
            "--target",
            "path~2016",
            "--ref",
            "rest",
            "--correction",
            "holm",
        ],
        &[
            "keyness",
            "corpus",
            "--target",
            "path~2016",
            "--ref",
            "rest",
            "--alpha",
            "2",
        ],
        &[
            "keyness",
            "corpus",
            "--target",
            "path~2016",
            "--ref",
            "rest",
            "--sort",
            "lrc2",
        ],
        &["keyness", "corpus"],
    ] {
        assert_eq!(run(args).code, 2, "{args:?}");
    }
}

#[test]
fn lockwords() {
    let out = ok(&[
        "keyness",
        "corpus",
        "--target",
        "path~2016",
        "--ref",
        "path~2008",
        "--lockwords",
        "--min-freq",
        "20",
        "--format",
        "tsv",
    ]);
    let rows = tsv(&out);
    assert!(rows.len() > 5);
    let lr = rows[0].iter().position(|h| h == "log_ratio").unwrap();
    let sig = rows[0].iter().position(|h| h == "significant").unwrap();
    let lrs: Vec<f64> = rows[1..]
        .iter()
        .map(|r| r[lr].parse::<f64>().unwrap().abs())
        .collect();
    assert!(lrs.iter().all(|&x| x <= 0.5));
    assert!(lrs.windows(2).all(|w| w[0] <= w[1]), "closest to 0 first");
    assert!(rows[1..].iter().all(|r| r[sig] == "no"));
}

#[test]
fn each_group_against_the_rest() {
    let grouped = ok(&[
        "keyness",
        "corpus",
        "--by",
        "path~_(\\d{4})_",
        "--format",
        "tsv",
    ]);
    let rows = tsv(&grouped);
    assert_eq!(rows[0][0], "group");
    let from_groups: Vec<Vec<String>> = rows[1..]
        .iter()
        .filter(|r| r[0] == "2016")
        .map(|r| r[1..].to_vec())
        .collect();
    let rest = ok(&[
        "keyness",
        "corpus",
        "--target",
        "path~2016",
        "--ref",
        "rest",
        "--format",
        "tsv",
    ]);
    assert_eq!(from_groups, tsv(&rest)[1..].to_vec());
    let r =
        run(&["keyness", "corpus", "--by", "file", "--target", "path~2016"]);
    assert_eq!(r.code, 2);
}
