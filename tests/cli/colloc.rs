//! `korpus colloc`.

use crate::util::*;

#[test]
fn measures_on_a_small_corpus_worked_out_by_hand() {
    // "x n y y" and "n z x", node n, window 1 and 1: slots R1 = 3 (x y |
    // z), N = 7. y: O11 = 1, C1 = 2: E11 = 3·2/7 = 0.857143,
    // MI = log2(7/6) = 0.2224, t = (1 − 6/7)/1 = 0.1429,
    // logDice = 14 + log2(2·1/(2 + 2)) = 13 (Rychlý: 1 line of the 2
    // hits, f(node) = 2); on the window slots 14 + log2(2·1/(3 + 2)) =
    // 12.6781.
    let dir = tempdir();
    std::fs::write(dir.path().join("1.txt"), "x n y y").unwrap();
    std::fs::write(dir.path().join("2.txt"), "n z x").unwrap();
    let r = run_in(
        dir.path(),
        &[
            "colloc",
            ".",
            "n",
            "--left",
            "1",
            "--right",
            "1",
            "--measure",
            "expected,mi,t,logdice,logdice_slots",
            "--format",
            "tsv",
        ],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let get = |item: &str, col: &str| {
        cell(&r.stdout, "collocate", item, col).unwrap()
    };
    assert_eq!(get("y", "freq"), "1");
    assert_eq!(get("y", "coll_freq"), "2");
    assert_eq!(get("y", "expected"), "0.8571");
    assert_eq!(get("y", "mi"), "0.2224");
    assert_eq!(get("y", "t"), "0.1429");
    assert_eq!(get("y", "logdice"), "13.0000");
    assert_eq!(get("y", "logdice_slots"), "12.6781");
    assert!(
        r.stderr.contains("2 hits of the node, 3 window slots, 7 tokens"),
        "{}",
        r.stderr
    );
    // Node convention: R1 = 2 lines, E11 = 2·2/7, MI = log2(7/4) = 0.8074.
    let r = run_in(
        dir.path(),
        &[
            "colloc",
            ".",
            "n",
            "--left",
            "1",
            "--right",
            "1",
            "--convention",
            "node",
            "--measure",
            "mi",
            "--format",
            "tsv",
        ],
        None,
    );
    assert_eq!(
        cell(&r.stdout, "collocate", "y", "mi").as_deref(),
        Some("0.8074")
    );
}

#[test]
fn seed_collocates_of_tiongkok() {
    // Xi within five tokens of Tiongkok, read in the seed: "Presiden
    // Tiongkok Xi Jinping" twice, "Tiongkok, ujar Kim kepada Xi" (4th
    // right) and "Xi mengatakan kepada Kim bahwa Tiongkok" (5th left).
    let out = ok(&[
        "colloc",
        "corpus/seed/000_45b6498bc7b02e87.txt",
        "Tiongkok",
        "--format",
        "tsv",
        "--measure",
        "all",
    ]);
    assert_eq!(cell(&out, "collocate", "xi", "freq").as_deref(), Some("4"));
    assert_eq!(
        cell(&out, "collocate", "presiden", "freq").as_deref(),
        Some("2")
    );
    let rows = tsv(&out);
    assert_eq!(rows[0].len(), 4 + 20, "all measures shown");
    // Ranked by signed G² (ll), descending.
    let ll_col = rows[0].iter().position(|h| h == "ll").unwrap();
    let lls: Vec<f64> =
        rows[1..].iter().map(|r| r[ll_col].parse().unwrap()).collect();
    assert!(lls.windows(2).all(|w| w[0] >= w[1]));
}

#[test]
fn same_output_for_any_thread_count() {
    let a = ok(&[
        "--threads",
        "1",
        "colloc",
        "corpus",
        "Tiongkok|China|Cina",
        "--format",
        "tsv",
        "--measure",
        "all",
    ]);
    let b = ok(&[
        "--threads",
        "7",
        "colloc",
        "corpus",
        "Tiongkok|China|Cina",
        "--format",
        "tsv",
        "--measure",
        "all",
    ]);
    assert!(a == b);
}

#[test]
fn filters_and_bad_input() {
    let out = ok(&[
        "colloc",
        "corpus",
        "Tiongkok|China|Cina",
        "--min-freq",
        "3",
        "--stopwords",
        "id",
        "--top",
        "5",
        "--format",
        "tsv",
    ]);
    let rows = tsv(&out);
    assert!(rows.len() <= 6);
    assert!(
        rows[1..]
            .iter()
            .all(|r| r[2].parse::<u64>().unwrap() >= 3 && r[1] != "dan")
    );
    for (args, msg) in [
        (
            &["colloc", "corpus", "Tiongkok", "--left", "0", "--right", "0"][..],
            "window is empty",
        ),
        (
            &["colloc", "corpus", "Tiongkok", "--measure", "pmi9"],
            "unknown measure",
        ),
        (
            &["colloc", "corpus", "Tiongkok", "--convention", "nltk2"],
            "unknown --convention",
        ),
        (&["colloc", "corpus", "Tiongkok", "--left", "-1"], "-1"),
    ] {
        let r = run(args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains(msg), "{args:?}: {}", r.stderr);
    }
    let r = run(&[
        "colloc",
        "corpus",
        "Tiongkok",
        "--min-freq",
        "1000",
        "--format",
        "tsv",
    ]);
    assert_eq!(r.code, 0);
    assert_eq!(tsv(&r.stdout).len(), 1, "the header alone");
    assert!(
        r.stderr.contains("no collocate passes the thresholds"),
        "{}",
        r.stderr
    );
}

#[test]
fn sketch_difference_of_two_nodes() {
    let out = ok(&[
        "colloc",
        "corpus",
        "Tiongkok",
        "--vs",
        "China|Cina",
        "--sort",
        "logdice",
        "--format",
        "tsv",
    ]);
    let rows = tsv(&out);
    assert_eq!(
        rows[0],
        [
            "rank",
            "collocate",
            "freq_a",
            "freq_b",
            "logdice_a",
            "logdice_b",
            "diff"
        ]
    );
    // The difference is a − b (an undefined side counts as 0), descending.
    let diffs: Vec<f64> =
        rows[1..].iter().map(|r| r[6].parse().unwrap()).collect();
    assert!(diffs.windows(2).all(|w| w[0] >= w[1]));
    for r in &rows[1..] {
        let a: f64 = r[4].parse().unwrap_or(0.0);
        let b: f64 = r[5].parse().unwrap_or(0.0);
        assert!((a - b - r[6].parse::<f64>().unwrap()).abs() < 1e-3, "{r:?}");
    }
    // Xi goes with Tiongkok only (the seed article); its freq agrees
    // with the single-node table.
    let xi = rows.iter().find(|r| r[1] == "xi").unwrap();
    assert_eq!((xi[2].as_str(), xi[3].as_str()), ("4", "0"));
    let single = ok(&["colloc", "corpus", "Tiongkok", "--format", "tsv"]);
    assert_eq!(cell(&single, "collocate", "xi", "freq").as_deref(), Some("4"));
    // Shared collocates carry both frequencies.
    assert!(rows[1..].iter().any(|r| r[2] != "0" && r[3] != "0"));
    let r = run(&[
        "colloc", "corpus", "Tiongkok", "--vs", "China", "--sort", "freq",
    ]);
    assert_eq!(r.code, 2);
}

#[test]
fn all_pairs_reproduce_nltk() {
    // statistics.md §8.5, computed with NLTK 3.10.4: tokens `the cat
    // sat on the mat the cat ran`, W = 3; (the, cat): P = 2, n_ii = 1.
    let dir = tempdir();
    std::fs::write(
        dir.path().join("t.txt"),
        "the cat sat on the mat the cat ran",
    )
    .unwrap();
    let r = run_in(
        dir.path(),
        &[
            "colloc",
            "--all",
            "t.txt",
            "--window",
            "3",
            "--measure",
            "all",
            "--format",
            "tsv",
        ],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rows = tsv(&r.stdout);
    let the_cat =
        rows.iter().find(|r| r[1] == "the" && r[2] == "cat").unwrap();
    let col = |name: &str| rows[0].iter().position(|h| h == name).unwrap();
    assert_eq!(the_cat[col("freq")], "2");
    assert_eq!(the_cat[col("n_ii")], "1.0000");
    assert_eq!(the_cat[col("pmi")], "0.584963");
    assert_eq!(the_cat[col("likelihood_ratio")], "0.308892");
    assert_eq!(the_cat[col("student_t")], "0.333333");
    assert_eq!(the_cat[col("chi_sq")], "0.321429");
    assert_eq!(the_cat[col("poisson_stirling")], "-0.415037");
    // Ranked by likelihood_ratio descending, then by the pair (NLTK's
    // score_ngrams order).
    let lr = col("likelihood_ratio");
    for w in rows[1..].windows(2) {
        let (a, b): (f64, f64) =
            (w[0][lr].parse().unwrap(), w[1][lr].parse().unwrap());
        assert!(
            a > b || (a == b && (&w[0][1], &w[0][2]) <= (&w[1][1], &w[1][2])),
            "{w:?}"
        );
    }
    let the_the =
        rows.iter().find(|r| r[1] == "the" && r[2] == "the").unwrap();
    assert_eq!(the_the[lr], "0.603569");
    assert!(
        !rows.iter().any(|r| r[1] == "cat" && r[2] == "the"),
        "P(cat, the) = 0"
    );
    // Without --all a node is needed.
    let r = run_in(dir.path(), &["colloc", "t.txt"], None);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("give a corpus and a node query"),
        "{}",
        r.stderr
    );
    let r = run_in(
        dir.path(),
        &["colloc", "--all", "t.txt", "--sort", "mi"],
        None,
    );
    assert_eq!(r.code, 2);
}

#[test]
fn nltk_convention_for_a_node_equals_the_pairs_that_hold_it() {
    let dir = tempdir();
    std::fs::write(
        dir.path().join("t.txt"),
        "the cat sat on the mat the cat ran",
    )
    .unwrap();
    let node = run_in(
        dir.path(),
        &[
            "colloc",
            "t.txt",
            "the",
            "--convention",
            "nltk",
            "--window",
            "3",
            "--measure",
            "all",
            "--format",
            "tsv",
        ],
        None,
    );
    assert_eq!(node.code, 0, "{}", node.stderr);
    let all = run_in(
        dir.path(),
        &[
            "colloc",
            "--all",
            "t.txt",
            "--window",
            "3",
            "--measure",
            "all",
            "--format",
            "tsv",
        ],
        None,
    );
    // Drop rank (and side) and compare the rows that hold "the".
    let mut from_node: Vec<Vec<String>> = tsv(&node.stdout)[1..]
        .iter()
        .map(|r| r[1..3].iter().chain(&r[4..]).cloned().collect())
        .collect();
    let mut from_all: Vec<Vec<String>> = tsv(&all.stdout)[1..]
        .iter()
        .filter(|r| r[1] == "the" || r[2] == "the")
        .map(|r| r[1..].to_vec())
        .collect();
    from_node.sort();
    from_all.sort();
    assert_eq!(
        from_node.len(),
        8,
        "5 right pairs with (the, the) once, 3 left pairs"
    );
    assert_eq!(from_node, from_all);
    let r = run_in(
        dir.path(),
        &["colloc", "t.txt", "the|cat", "--convention", "nltk"],
        None,
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("one word"), "{}", r.stderr);
}

#[test]
fn groups_are_corpora_of_their_own() {
    let grouped = ok(&[
        "colloc",
        "corpus",
        "Tiongkok",
        "--by",
        "path~_(\\d{4})_",
        "--measure",
        "all",
        "--format",
        "tsv",
    ]);
    let alone = ok(&[
        "colloc",
        "corpus/leipzig/ind_newscrawl_2016_10K_sample1000-sentences.txt",
        "Tiongkok",
        "--measure",
        "all",
        "--format",
        "tsv",
    ]);
    let rows_2016: Vec<Vec<String>> = tsv(&grouped)[1..]
        .iter()
        .filter(|r| r[0] == "2016")
        .map(|r| r[1..].to_vec())
        .collect();
    assert_eq!(rows_2016, tsv(&alone)[1..].to_vec());
    assert!(
        !tsv(&grouped).iter().any(|r| r[0] == "2008"),
        "no Tiongkok in 2008: no group"
    );
    let r = run(&[
        "colloc", "corpus", "Tiongkok", "--by", "file", "--vs", "China",
    ]);
    assert_eq!(r.code, 2);
}

#[test]
fn the_frequency_cache_gives_the_same_numbers() {
    let dir = tempdir();
    let corpus = root().join("corpus").display().to_string();
    let cache = dir.path().join("cache").display().to_string();
    let args = |node: &str, cached: bool| {
        let mut a =
            vec!["colloc".to_string(), corpus.clone(), node.to_string()];
        a.extend(
            ["--measure", "all", "--format", "tsv", "--positions"]
                .map(String::from),
        );
        if cached {
            a.extend(["--freq-cache".to_string(), cache.clone()]);
        }
        a
    };
    let go = |a: Vec<String>| {
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        run_in(dir.path(), &a, None)
    };
    for node in ["Tiongkok", "Indonesia", "\"Korea Utara\""] {
        let plain = go(args(node, false));
        assert_eq!(plain.code, 0, "{}", plain.stderr);
        let first = go(args(node, true));
        let second = go(args(node, true));
        assert_eq!(first.stdout, plain.stdout, "{node}: first cached run");
        assert_eq!(second.stdout, plain.stdout, "{node}: run from the cache");
        assert!(
            second.stderr.contains("corpus frequencies from"),
            "{}",
            second.stderr
        );
    }
    // One table for all nodes: the same corpus and settings.
    assert_eq!(
        std::fs::read_dir(dir.path().join("cache")).unwrap().count(),
        1
    );
    // Other settings: another table.
    let mut a = args("Tiongkok", true);
    a.extend(["--case".to_string(), "keep".to_string()]);
    let r = go(a);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("kept in"), "{}", r.stderr);
    assert_eq!(
        std::fs::read_dir(dir.path().join("cache")).unwrap().count(),
        2
    );
    // A changed file: counted again.
    std::fs::write(
        dir.path().join("a.txt"),
        "Tiongkok dan China. Tiongkok lagi.",
    )
    .unwrap();
    let small = |cached: bool| {
        let mut a = vec!["colloc", "a.txt", "Tiongkok", "--format", "tsv"];
        if cached {
            a.extend(["--freq-cache", "cache"]);
        }
        run_in(dir.path(), &a, None)
    };
    let before = small(true);
    std::fs::write(
        dir.path().join("a.txt"),
        "Tiongkok dan China. Tiongkok lagi dan lagi.",
    )
    .unwrap();
    let after = small(true);
    assert!(
        after.stderr.contains("kept in"),
        "a changed file must be recounted: {}",
        after.stderr
    );
    assert_ne!(before.stdout, after.stdout);
    assert_eq!(after.stdout, small(false).stdout);
}
