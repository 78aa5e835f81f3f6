//! `korpus variants`.

use crate::util::*;

#[test]
fn counts_agree_with_a_plain_search_of_the_leipzig_variant_files() {
    // corpora/LICENSES.md counts (whole-word, case-sensitive): 2016
    // Tiongkok 29, China 11, Cina 25; 2008 China 236, Cina 164, Tiongkok 0.
    let Some(dir) = shared_or_skip("tiongkok-china") else { return };
    let out = ok(&[
        "variants",
        dir.to_str().unwrap(),
        "--set",
        "Tiongkok|China|Cina",
        "--by",
        "path~_(\\d{4})_",
        "--case-sensitive",
        "--format",
        "tsv",
    ]);
    let rows = tsv(&out);
    let count = |year: &str, v: &str| {
        rows.iter().find(|r| r[1] == year && r[2] == v).map(|r| r[3].clone())
    };
    for (year, v, n) in [
        ("2016", "Tiongkok", "29"),
        ("2016", "China", "11"),
        ("2016", "Cina", "25"),
        ("2008", "China", "236"),
        ("2008", "Cina", "164"),
        ("2008", "Tiongkok", "0"),
    ] {
        assert_eq!(count(year, v).as_deref(), Some(n), "{year} {v}");
    }
    // Shares and 95% Wilson intervals: 29 of 65.
    let t =
        rows.iter().find(|r| r[1] == "2016" && r[2] == "Tiongkok").unwrap();
    assert_eq!((t[4].as_str(), t[7].as_str()), ("0.4462", "65"));
    let (lo, hi) = {
        let (k, n, z) = (29.0f64, 65.0f64, 1.959963984540054f64);
        let p = k / n;
        let d = 1.0 + z * z / n;
        let c = (p + z * z / (2.0 * n)) / d;
        let h = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / d;
        (c - h, c + h)
    };
    assert_eq!(t[5], format!("{lo:.4}"));
    assert_eq!(t[6], format!("{hi:.4}"));
}

#[test]
fn test_of_independence() {
    let Some(dir) = shared_or_skip("tiongkok-china") else { return };
    let out = ok(&[
        "variants",
        dir.to_str().unwrap(),
        "--set",
        "Tiongkok|China|Cina",
        "--by",
        "path~_(\\d{4})_",
        "--test",
        "--format",
        "tsv",
    ]);
    let rows = tsv(&out);
    assert_eq!(
        rows[0],
        [
            "set",
            "groups",
            "total",
            "g2",
            "chi2",
            "df",
            "p_g2",
            "p_chi2",
            "cramers_v"
        ]
    );
    assert_eq!(
        (rows[1][1].as_str(), rows[1][2].as_str(), rows[1][5].as_str()),
        ("2", "465", "2")
    );
    // χ² by hand from the table [[0, 236, 164], [29, 11, 25]]:
    let table = [[0.0, 236.0, 164.0], [29.0, 11.0, 25.0]];
    let n = 465.0;
    let rows_t = [400.0, 65.0];
    let cols = [29.0, 247.0, 189.0];
    let mut chi2: f64 = 0.0;
    for i in 0..2 {
        for j in 0..3 {
            let e = rows_t[i] * cols[j] / n;
            chi2 += (table[i][j] - e) * (table[i][j] - e) / e;
        }
    }
    assert_eq!(rows[1][4], format!("{chi2:.4}"));
    assert_eq!(rows[1][8], format!("{:.4}", (chi2 / n).sqrt()));
}

#[test]
fn bad_sets_and_determinism() {
    let r = run(&["variants", "corpus", "--set", "Tiongkok"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("alternation needs two"), "{}", r.stderr);
    let a = ok(&[
        "--threads",
        "1",
        "variants",
        "corpus",
        "--set",
        "Tiongkok|China|Cina",
        "--set",
        "\"Korea Utara\"|Korut|DPRK",
        "--by",
        "file",
        "--format",
        "tsv",
    ]);
    let b = ok(&[
        "--threads",
        "7",
        "variants",
        "corpus",
        "--set",
        "Tiongkok|China|Cina",
        "--set",
        "\"Korea Utara\"|Korut|DPRK",
        "--by",
        "file",
        "--format",
        "tsv",
    ]);
    assert!(a == b);
    // The seed: Korea Utara 11, DPRK 1.
    let seed = "corpus/seed/000_45b6498bc7b02e87.txt";
    let rows = tsv(&a);
    let get = |v: &str| {
        rows.iter().find(|r| r[1] == seed && r[2] == v).map(|r| r[3].clone())
    };
    assert_eq!(get("\"Korea Utara\"").as_deref(), Some("11"));
    assert_eq!(get("DPRK").as_deref(), Some("1"));
    assert_eq!(get("Tiongkok").as_deref(), Some("9"));
}

#[test]
fn examples_per_variant_and_group() {
    let Some(dir) = shared_or_skip("tiongkok-china") else { return };
    let args = |seed: &str, threads: &str| {
        ok(&[
            "--threads",
            threads,
            "variants",
            dir.to_str().unwrap(),
            "--set",
            "Tiongkok|China|Cina",
            "--by",
            "path~_(\\d{4})_",
            "--examples",
            "3",
            "--seed",
            seed,
            "--format",
            "tsv",
        ])
    };
    let a = args("5", "1");
    assert!(a == args("5", "7"), "the same examples for any thread count");
    assert!(a != args("6", "2"), "another seed, other examples");
    let rows = tsv(&a);
    assert_eq!(
        rows[0],
        [
            "set", "group", "variant", "doc", "position", "left", "node",
            "right"
        ]
    );
    let mut per: std::collections::BTreeMap<(String, String), usize> =
        Default::default();
    for r in &rows[1..] {
        assert_eq!(r[6].to_lowercase(), r[2].to_lowercase(), "{r:?}");
        *per.entry((r[1].clone(), r[2].clone())).or_default() += 1;
    }
    // 2008 has no Tiongkok; every other cell has at least 3 hits.
    assert_eq!(per.len(), 5);
    assert!(per.values().all(|&n| n == 3));
}
