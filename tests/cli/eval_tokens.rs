//! `korpus eval-tokens` against the UD gold files in ../shared.

use crate::util::*;

#[test]
fn f1_targets_on_gold_treebanks() {
    let Some(gold) = shared_or_skip("gold-ud") else { return };
    let files = [
        ("id_gsd-ud-test.conllu", 0.99),
        ("id_csui-ud-test.conllu", 0.99),
        ("id_pud-ud-test.conllu", 0.99),
        ("en_ewt-ud-test.conllu", 0.97),
    ];
    let paths: Vec<String> = files
        .iter()
        .map(|(f, _)| gold.join(f).display().to_string())
        .collect();
    let mut args = vec!["eval-tokens", "--format", "tsv"];
    args.extend(paths.iter().map(String::as_str));
    let out = ok(&args);
    for ((file, target), path) in files.iter().zip(&paths) {
        let f1: f64 = cell(&out, "file", path, "f1").unwrap().parse().unwrap();
        assert!(f1 >= *target, "{file}: F1 {f1} below {target}");
        let fails = cell(&out, "file", path, "roundtrip_failures").unwrap();
        assert_eq!(fails, "0", "{file}");
    }
}

#[test]
fn scores_a_small_file_by_hand() {
    let dir = tempdir();
    std::fs::write(
        dir.path().join("g.conllu"),
        "# text = Ia di DPRK-Tiongkok.\n1\tIa\t_\t_\t_\t_\t_\t_\t_\t_\n2\tdi\t_\t_\t_\t_\t_\t_\t_\t_\n\
         3\tDPRK-Tiongkok\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No\n4\t.\t_\t_\t_\t_\t_\t_\t_\t_\n\n",
    )
    .unwrap();
    // Gold 4 tokens; korpus 6 (DPRK - Tiongkok); 3 correct.
    // P = 0.5, R = 0.75, F1 = 0.6.
    let r = run_in(
        dir.path(),
        &["eval-tokens", "g.conllu", "--format", "tsv"],
        None,
    );
    assert_same(
        "eval",
        "file\tsentences\troundtrip_failures\tgold\tpredicted\tcorrect\tprecision\trecall\tf1\thyphen_disagreements\n\
         g.conllu\t1\t0\t4\t6\t3\t0.5000\t0.7500\t0.6000\t1\n",
        &r.stdout,
    );
    let r = run_in(
        dir.path(),
        &["eval-tokens", "g.conllu", "--hyphens", "keep", "--format", "tsv"],
        None,
    );
    assert_eq!(
        cell(&r.stdout, "file", "g.conllu", "f1").as_deref(),
        Some("1.0000")
    );
}
