//! `korpus freq`.

use crate::util::*;

const SEED: &str = "corpus/seed/000_45b6498bc7b02e87.txt";

#[test]
fn seed_counts_worked_out_by_hand() {
    // Counted by reading the seed article: "Tiongkok" 9 times (one inside
    // "DPRK-Tiongkok"), "China" 3 (twice in the repeated title, once in
    // "pembangunan China"), "Korea" 12 (11 in "Korea Utara", one in
    // "Republik Rakyat Demokratik Korea"), "Utara" 11, "Putin" 4.
    let out = ok(&["freq", SEED, "--format", "tsv"]);
    for (item, want) in [
        ("tiongkok", "9"),
        ("china", "3"),
        ("korea", "12"),
        ("utara", "11"),
        ("putin", "4"),
    ] {
        assert_eq!(
            cell(&out, "item", item, "freq").as_deref(),
            Some(want),
            "{item}"
        );
    }
    // One document: range 1 (100%), DP 0, Juilland's D and DPnorm undefined.
    assert_eq!(
        cell(&out, "item", "tiongkok", "range_pct").as_deref(),
        Some("100.00")
    );
    assert_eq!(
        cell(&out, "item", "tiongkok", "juilland_d").as_deref(),
        Some("")
    );
    assert_eq!(
        cell(&out, "item", "tiongkok", "dp").as_deref(),
        Some("0.0000")
    );
}

#[test]
fn seed_bigrams() {
    let out = ok(&["freq", SEED, "-n", "2", "--format", "tsv"]);
    assert_eq!(
        cell(&out, "item", "korea utara", "freq").as_deref(),
        Some("11")
    );
    assert_eq!(cell(&out, "item", "xi jinping", "freq").as_deref(), Some("2"));
    // The compound is split, so its parts form a bigram.
    assert_eq!(
        cell(&out, "item", "dprk tiongkok", "freq").as_deref(),
        Some("1")
    );
}

#[test]
fn hyphen_policy_keep_counts_the_compound_whole() {
    let out = ok(&["freq", SEED, "--hyphens", "keep", "--format", "tsv"]);
    assert_eq!(cell(&out, "item", "tiongkok", "freq").as_deref(), Some("8"));
    assert_eq!(
        cell(&out, "item", "dprk-tiongkok", "freq").as_deref(),
        Some("1")
    );
}

#[test]
fn rows_are_ranked_by_frequency_then_item() {
    let dir = tempdir();
    std::fs::write(dir.path().join("a.txt"), "b a c b a d").unwrap();
    let r = run_in(
        dir.path(),
        &["freq", "a.txt", "--format", "tsv", "--no-dp"],
        None,
    );
    let items: Vec<String> = tsv(&r.stdout)[1..]
        .iter()
        .map(|row| format!("{}:{}:{}", row[0], row[1], row[2]))
        .collect();
    assert_eq!(items, ["1:a:2", "2:b:2", "3:c:1", "4:d:1"]);
}

#[test]
fn dispersion_over_documents_worked_out_by_hand() {
    // Parts "x y" (2 tokens) and "x z z z" (4 tokens), N = 6.
    // x: f = (1, 1); p = (0.5, 0.25), mean 0.375, sd 0.125, CV 1/3,
    //    D = 1 − (1/3)/1 = 0.6667; v = (.5, .5), s = (1/3, 2/3),
    //    DP = ½(|.5 − .3333| + |.5 − .6667|) = 0.1667;
    //    DPnorm = DP / (1 − 1/3) = 0.25.
    // z: f = (0, 3); p = (0, .75), CV = 1, D = 0; v = (0, 1),
    //    DP = ½(1/3 + 1/3) = 0.3333, DPnorm = 0.5.
    let dir = tempdir();
    std::fs::write(dir.path().join("1.txt"), "x y").unwrap();
    std::fs::write(dir.path().join("2.txt"), "x z z z").unwrap();
    let out =
        run_in(dir.path(), &["freq", ".", "--format", "tsv"], None).stdout;
    let get = |item: &str, col: &str| cell(&out, "item", item, col).unwrap();
    assert_eq!(get("x", "juilland_d"), "0.6667");
    assert_eq!(get("x", "dp"), "0.1667");
    assert_eq!(get("x", "dp_norm"), "0.2500");
    assert_eq!(get("z", "juilland_d"), "0.0000");
    assert_eq!(get("z", "dp"), "0.3333");
    assert_eq!(get("z", "dp_norm"), "0.5000");
    assert_eq!(get("z", "per_million"), "500000.00");
    assert_eq!(get("y", "range_pct"), "50.00");
}

#[test]
fn output_is_identical_for_any_thread_count() {
    let base = ok(&["--threads", "1", "freq", "corpus", "--format", "tsv"]);
    assert!(base.lines().count() > 5000);
    for t in ["2", "7"] {
        let other = ok(&["--threads", t, "freq", "corpus", "--format", "tsv"]);
        assert!(other == base, "--threads {t} differs from --threads 1");
    }
    let by = ok(&[
        "--threads",
        "1",
        "freq",
        "corpus",
        "--by",
        "file",
        "-n",
        "2",
        "--format",
        "tsv",
    ]);
    let by7 = ok(&[
        "--threads",
        "7",
        "freq",
        "corpus",
        "--by",
        "file",
        "-n",
        "2",
        "--format",
        "tsv",
    ]);
    assert!(by == by7);
}

#[test]
fn stopwords_min_freq_and_top() {
    let out = ok(&[
        "freq",
        "corpus",
        "--stopwords",
        "id",
        "--min-freq",
        "5",
        "--top",
        "50",
        "--format",
        "tsv",
    ]);
    let rows = tsv(&out);
    assert_eq!(rows.len(), 51);
    assert!(rows[1..].iter().all(|r| r[1] != "yang" && r[1] != "dan"));
    assert!(rows[1..].iter().all(|r| r[2].parse::<u64>().unwrap() >= 5));
    // Stopwords leave the counts alone: per-million figures are the same.
    let all = ok(&["freq", "corpus", "--format", "tsv"]);
    let item = &rows[1][1];
    assert_eq!(
        cell(&out, "item", item, "per_million"),
        cell(&all, "item", item, "per_million")
    );
}

#[test]
fn variant_map_counts_forms_as_one_item() {
    let dir = tempdir();
    std::fs::write(dir.path().join("t.txt"), "Cina dan China serta Tiongkok.")
        .unwrap();
    std::fs::write(
        dir.path().join("map.tsv"),
        "Cina\tchina\nTiongkok\tchina\n",
    )
    .unwrap();
    let r = run_in(
        dir.path(),
        &["freq", "t.txt", "--map", "map.tsv", "--format", "tsv"],
        None,
    );
    assert_eq!(cell(&r.stdout, "item", "china", "freq").as_deref(), Some("3"));
    let bad = std::fs::write(dir.path().join("bad.tsv"), "no tab\n");
    bad.unwrap();
    let r = run_in(dir.path(), &["freq", "t.txt", "--map", "bad.tsv"], None);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("bad.tsv:1"), "{}", r.stderr);
}

#[test]
fn by_file_long_and_wide() {
    let long = ok(&[
        "freq",
        "corpus",
        "--by",
        "path~_(\\d{4})_",
        "--top",
        "3",
        "--format",
        "tsv",
    ]);
    let rows = tsv(&long);
    assert_eq!(rows[0][0], "group");
    let groups: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        groups,
        [
            "(none)", "(none)", "(none)", "2008", "2008", "2008", "2016",
            "2016", "2016"
        ]
    );
    let wide = ok(&[
        "freq",
        "corpus",
        "--by",
        "path~_(\\d{4})_",
        "--wide",
        "--top",
        "5",
        "--format",
        "tsv",
    ]);
    let rows = tsv(&wide);
    assert_eq!(rows[0], ["rank", "item", "total", "(none)", "2008", "2016"]);
    for r in &rows[1..] {
        let sum: u64 = r[3..].iter().map(|c| c.parse::<u64>().unwrap()).sum();
        assert_eq!(sum.to_string(), r[2]);
    }
    // The wide totals agree with the ungrouped list.
    let all = ok(&["freq", "corpus", "--format", "tsv", "--no-dp"]);
    assert_eq!(
        cell(&all, "item", &rows[1][1], "freq").as_deref(),
        Some(rows[1][2].as_str())
    );
}

#[test]
fn where_filters_documents() {
    let y2016 = ok(&[
        "freq",
        "corpus",
        "--where",
        "path~2016",
        "--format",
        "tsv",
        "--no-dp",
    ]);
    let all_2016 = ok(&[
        "freq",
        "corpus/leipzig/ind_newscrawl_2016_10K_sample1000-sentences.txt",
        "--format",
        "tsv",
        "--no-dp",
    ]);
    assert!(y2016 == all_2016);
    let r = run(&["freq", "corpus", "--where", "year=2016"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("no document has the field 'year'"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("fields present: file, path, sentence_id"),
        "{}",
        r.stderr
    );
    let r = run(&["freq", "corpus", "--where", "path=nothing"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no document matches"), "{}", r.stderr);
}

#[test]
fn stdin_and_gzip_inputs() {
    let text = std::fs::read(root().join(SEED)).unwrap();
    let r = run_in(&root(), &["freq", "-", "--format", "tsv"], Some(&text));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        cell(&r.stdout, "item", "tiongkok", "freq").as_deref(),
        Some("9")
    );
    let dir = tempdir();
    let gz = dir.path().join("seed.txt.gz");
    let mut enc = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).unwrap(),
        flate2::Compression::fast(),
    );
    std::io::Write::write_all(&mut enc, &text).unwrap();
    enc.finish().unwrap();
    let r =
        run_in(dir.path(), &["freq", "seed.txt.gz", "--format", "tsv"], None);
    assert_eq!(
        cell(&r.stdout, "item", "tiongkok", "freq").as_deref(),
        Some("9")
    );
}

#[test]
fn provenance_records_settings_and_checksums() {
    use sha2::Digest;
    let dir = tempdir();
    let prov = dir.path().join("prov.json");
    let out = dir.path().join("freq.tsv");
    let r = run(&[
        "freq",
        SEED,
        "-o",
        out.to_str().unwrap(),
        "--provenance",
        prov.to_str().unwrap(),
        "--split-clitics",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&prov).unwrap()).unwrap();
    let bytes = std::fs::read(root().join(SEED)).unwrap();
    let sha: String = sha2::Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(json["inputs"][0]["sha256"], sha);
    assert_eq!(json["inputs"][0]["bytes"], bytes.len() as u64);
    assert_eq!(json["settings"]["analyzer"]["split_clitics"], true);
    assert_eq!(json["korpus_version"], env!("CARGO_PKG_VERSION"));
    assert!(
        std::fs::read_to_string(&out).unwrap().starts_with("rank\titem\tfreq")
    );
}
