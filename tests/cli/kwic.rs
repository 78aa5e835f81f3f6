//! `korpus kwic`.

use crate::util::*;

const SEED: &str = "corpus/seed/000_45b6498bc7b02e87.txt";

fn nodes(out: &str) -> Vec<String> {
    let rows = tsv(out);
    let i = rows[0].iter().position(|h| h == "node").unwrap();
    rows[1..].iter().map(|r| r[i].clone()).collect()
}

#[test]
fn all_nine_tiongkok_in_the_seed_including_the_compound() {
    let r = run(&["kwic", SEED, "Tiongkok", "--format", "tsv"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(nodes(&r.stdout), vec!["Tiongkok"; 9]);
    let rows = tsv(&r.stdout);
    let last = rows.last().unwrap();
    assert!(last[4].ends_with("persahabatan DPRK-"), "{last:?}");
    assert_eq!(
        r.stderr.trim(),
        "korpus: 9 hits in 1 document (23936.17 per million tokens)"
    );
    // Byte offsets slice the original text.
    let text = std::fs::read_to_string(root().join(SEED)).unwrap();
    for row in &rows[1..] {
        let (s, e): (usize, usize) =
            (row[2].parse().unwrap(), row[3].parse().unwrap());
        assert_eq!(&text[s..e], row[5]);
    }
}

#[test]
fn phrases_gaps_wildcards_and_alternatives_in_the_seed() {
    // Counted by reading the article: "Korea Utara" 11 times; "Presiden
    // Tiongkok Xi" twice; China 3, Tiongkok 9.
    let count =
        |q: &str| nodes(&ok(&["kwic", SEED, q, "--format", "tsv"])).len();
    assert_eq!(count("\"Korea Utara\""), 11);
    assert_eq!(count("Presiden * Xi"), 2);
    assert_eq!(count("Presiden *{0,3} Xi"), 2);
    assert_eq!(count("Tiongkok|China|Cina"), 12);
    assert_eq!(count("Tiong*"), 9);
    assert_eq!(count("/^(tiongkok|china)$/"), 12);
    assert_eq!(count("[word=\"Tiong.*\"]"), 9);
    assert_eq!(count("\"Korea Utara\"|DPRK"), 12);
    let phrase =
        nodes(&ok(&["kwic", SEED, "Presiden * Xi", "--format", "tsv"]));
    assert_eq!(phrase, vec!["Presiden Tiongkok Xi"; 2]);
}

#[test]
fn case_sensitive_matches_the_surface() {
    let dir = tempdir();
    std::fs::write(dir.path().join("t.txt"), "China dan CHINA dan china.")
        .unwrap();
    let n = |extra: &[&str]| {
        let mut args = vec!["kwic", "t.txt", "China", "--format", "tsv"];
        args.extend(extra);
        nodes(&run_in(dir.path(), &args, None).stdout)
    };
    assert_eq!(n(&[]), ["China", "CHINA", "china"]);
    assert_eq!(n(&["--case-sensitive"]), ["China"]);
}

#[test]
fn context_options() {
    let dir = tempdir();
    std::fs::write(
        dir.path().join("t.txt"),
        "Satu dua tiga. Empat lima enam tujuh delapan.",
    )
    .unwrap();
    let row = |extra: &[&str]| {
        let mut args = vec!["kwic", "t.txt", "enam", "--format", "tsv"];
        args.extend(extra);
        let out = run_in(dir.path(), &args, None).stdout;
        let r = tsv(&out)[1].clone();
        (r[4].clone(), r[6].clone())
    };
    assert_eq!(row(&["--width", "1"]), ("lima ".into(), " tujuh".into()));
    assert_eq!(
        row(&["--left", "3", "--right", "0"]),
        ("tiga. Empat lima ".into(), "".into())
    );
    assert_eq!(row(&["--chars", "4"]), ("ima ".into(), " tuj".into()));
    assert_eq!(
        row(&["--context", "sentence"]),
        ("Empat lima ".into(), " tujuh delapan.".into())
    );
    // Context running past the document's edges stops there.
    assert_eq!(
        row(&["--width", "50"]),
        ("Satu dua tiga. Empat lima ".into(), " tujuh delapan.".into())
    );
}

#[test]
fn sort_sample_limit_and_fields() {
    let sorted = ok(&[
        "kwic",
        "corpus",
        "Tiongkok|China|Cina",
        "--sort",
        "R1,L1",
        "--format",
        "json",
        "--width",
        "1",
    ]);
    let v: serde_json::Value = serde_json::from_str(&sorted).unwrap();
    let lines = v.as_array().unwrap();
    assert_eq!(lines.len(), 31);
    // The first word right of the node (its normalized form), as sorted.
    let first_word = |s: &str| -> String {
        s.trim_start_matches(|c: char| !c.is_alphanumeric())
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '-')
            .collect::<String>()
            .to_lowercase()
    };
    let keys: Vec<String> = lines
        .iter()
        .map(|l| first_word(l["right"].as_str().unwrap()))
        .collect();
    let mut expected = keys.clone();
    expected.sort();
    assert_eq!(keys, expected);
    assert_eq!(
        keys[0], "",
        "lines at the end of a document (no R1) come first"
    );

    let s1 = ok(&[
        "--threads",
        "1",
        "kwic",
        "corpus",
        "Tiongkok|China|Cina",
        "--sample",
        "5",
        "--seed",
        "42",
        "--format",
        "tsv",
    ]);
    let s7 = ok(&[
        "--threads",
        "7",
        "kwic",
        "corpus",
        "Tiongkok|China|Cina",
        "--sample",
        "5",
        "--seed",
        "42",
        "--format",
        "tsv",
    ]);
    assert_eq!(tsv(&s1).len(), 6);
    assert!(s1 == s7, "the sample depends on the thread count");
    let other = ok(&[
        "kwic",
        "corpus",
        "Tiongkok|China|Cina",
        "--sample",
        "5",
        "--seed",
        "43",
        "--format",
        "tsv",
    ]);
    assert!(other != s1, "another seed, another sample");

    let limited = run(&[
        "kwic",
        "corpus",
        "Tiongkok|China|Cina",
        "--limit",
        "3",
        "--format",
        "tsv",
        "--fields",
        "sentence_id,file",
    ]);
    let rows = tsv(&limited.stdout);
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0][..3], ["doc", "sentence_id", "file"]);
    assert!(
        limited.stderr.contains("31 hits in 17 documents"),
        "{}",
        limited.stderr
    );
}

#[test]
fn same_output_for_any_thread_count_and_without_prefilter() {
    let a = ok(&[
        "--threads",
        "1",
        "kwic",
        "corpus",
        "Tiongkok|China|Cina",
        "--format",
        "tsv",
    ]);
    let b = ok(&[
        "--threads",
        "7",
        "kwic",
        "corpus",
        "Tiongkok|China|Cina",
        "--format",
        "tsv",
    ]);
    let c = ok(&[
        "kwic",
        "corpus",
        "Tiongkok|China|Cina",
        "--format",
        "tsv",
        "--no-prefilter",
    ]);
    assert!(a == b && b == c);
    let r = run(&["kwic", "corpus", "Tiongkok", "--no-prefilter"]);
    assert!(r.stderr.contains("per million tokens"), "{}", r.stderr);
}

/// A query of single terms is looked for only in the chunks that hold
/// its literals, with the other chunks' tokens counted for the
/// positions (`kwic::Spots`); without the pre-filter every document is
/// tokenized whole. Both give the same bytes on real news and
/// Wikipedia sentences, for contexts in tokens and characters, sort keys
/// (terms away from the node), every token class counted (commas count
/// too), split clitics and split hyphens.
#[test]
fn single_term_queries_give_the_lines_of_full_tokenizing() {
    let Some(news) = shared_or_skip(
        "id-news-leipzig/ind_news_2008_300K_sample25K-sentences.txt",
    ) else {
        return;
    };
    let wiki =
        shared().join("id-wiki-leipzig/ind_wikipedia_2021_10K-sentences.txt");
    let files = [news.to_str().unwrap(), wiki.to_str().unwrap()];
    for q in ["Tiongkok|China|Cina", "yang", "presiden|menteri"] {
        for opts in [
            &[][..],
            &["--width", "3", "--sort", "L2,R1,node"],
            &["--classes", "all", "--sort", "R3"],
            &["--chars", "15", "--split-clitics"],
            &["--hyphens", "split", "--left", "0", "--right", "4"],
        ] {
            let mut args =
                vec!["kwic", files[0], files[1], q, "--format", "tsv"];
            args.extend_from_slice(opts);
            let fast = run(&args);
            assert_eq!(fast.code, 0, "{}", fast.stderr);
            args.push("--no-prefilter");
            let full = ok(&args);
            assert!(tsv(&full).len() > 20, "{q} {opts:?}");
            assert!(fast.stdout == full, "{q} {opts:?}");
        }
    }
}

/// Lossy normalization can give an ASCII term from a surface without it
/// (`café` is `cafe`, `don’t` is `don't`): the pre-filter is off then.
#[test]
fn prefilter_is_off_with_lossy_normalization() {
    let dir = tempdir();
    std::fs::write(
        dir.path().join("a.txt"),
        "Kopi di caf\u{e9} dan kafe, lalu don\u{2019}t.",
    )
    .unwrap();
    for (q, opt) in
        [("cafe", "--strip-diacritics"), ("don't", "--fold-quotes")]
    {
        let r = run_in(
            dir.path(),
            &["kwic", ".", q, opt, "--format", "tsv"],
            None,
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert_eq!(nodes(&r.stdout).len(), 1, "{q}: {}", r.stdout);
        assert!(r.stderr.contains("per million tokens"), "{}", r.stderr);
    }
}

#[test]
fn prefilter_does_not_hide_words_written_with_entities_or_soft_hyphens() {
    let dir = tempdir();
    std::fs::write(dir.path().join("a.txt"), "Presiden Tiong&#107;ok datang.")
        .unwrap();
    std::fs::write(
        dir.path().join("b.txt"),
        "Presiden Tiong\u{AD}kok datang.",
    )
    .unwrap();
    std::fs::write(dir.path().join("c.txt"), "Tidak ada apa-apa.").unwrap();
    let r = run_in(
        dir.path(),
        &["kwic", ".", "tiongkok", "--format", "tsv"],
        None,
    );
    assert_eq!(nodes(&r.stdout).len(), 2, "{}", r.stdout);
    assert!(r.stderr.contains("skipped 1 of 3 documents"), "{}", r.stderr);
}

#[test]
fn output_formats_and_html_escaping() {
    let dir = tempdir();
    std::fs::write(
        dir.path().join("x.jsonl"),
        r#"{"text":"Halo <script>alert('x')</script> Tiongkok & \"kawan\" di sini.","source":"<b>web</b>"}"#,
    )
    .unwrap();
    let html = run_in(
        dir.path(),
        &[
            "kwic", "x.jsonl", "tiongkok", "--format", "html", "--fields",
            "source",
        ],
        None,
    )
    .stdout;
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("<script>alert"), "corpus text must be escaped");
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assert!(html.contains("&lt;b&gt;web&lt;/b&gt;"));
    assert!(html.contains("<td class=\"hl\">Tiongkok</td>"));
    assert_eq!(html.matches("<script>").count(), 1, "only the sorting script");
    let json = run_in(
        dir.path(),
        &["kwic", "x.jsonl", "tiongkok", "--format", "json", "--width", "1"],
        None,
    )
    .stdout;
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v[0]["node"], "Tiongkok");
    // Context is counted in tokens of the counted classes: the left one
    // starts at the word "script".
    assert_eq!(v[0]["left"], "script> ");
    assert_eq!(v[0]["right"], " & \"kawan");
    assert_same(
        "jsonl",
        "{\"doc\":\"x.jsonl:1\",\"position\":5,\"start\":33,\"end\":41,\"left\":\"script> \",\"node\":\"Tiongkok\",\"right\":\" & \\\"kawan\"}\n",
        &run_in(
            dir.path(),
            &[
                "kwic", "x.jsonl", "tiongkok", "--width", "1", "--format",
                "jsonl",
            ],
            None,
        )
        .stdout,
    );
    assert_same(
        "tsv",
        "doc\tposition\tstart\tend\tleft\tnode\tright\nx.jsonl:1\t5\t33\t41\tscript> \tTiongkok\t & \"kawan\n",
        &run_in(
            dir.path(),
            &[
                "kwic", "x.jsonl", "tiongkok", "--width", "1", "--format",
                "tsv",
            ],
            None,
        )
        .stdout,
    );
    assert_same(
        "csv",
        "doc,position,start,end,left,node,right\r\nx.jsonl:1,5,33,41,\"script> \",Tiongkok,\" & \"\"kawan\"\r\n",
        &run_in(
            dir.path(),
            &[
                "kwic", "x.jsonl", "tiongkok", "--width", "1", "--format",
                "csv",
            ],
            None,
        )
        .stdout,
    );
}

#[test]
fn bad_queries_point_at_the_position_and_no_hits_is_fine() {
    let r = run(&["kwic", "corpus", "/tiong(/"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("invalid query: bad regular expression"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("\n  /tiong(/\n   ^"), "{}", r.stderr);
    let r = run(&["kwic", "corpus", "\"Korea Utara"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("unclosed quote"), "{}", r.stderr);
    let r = run(&["kwic", "corpus", "Presiden *{5,2} Xi"]);
    assert_eq!(r.code, 2);
    let r = run(&["kwic", "corpus", "xyzzyq", "--format", "tsv"]);
    assert_eq!(r.code, 0);
    assert_eq!(r.stdout, "doc\tposition\tstart\tend\tleft\tnode\tright\n");
    assert!(r.stderr.contains("0 hits"), "{}", r.stderr);
    for args in [
        &["kwic", "corpus", "x", "--sort", "Q9"][..],
        &["kwic", "corpus", "x", "--context", "page"],
        &["kwic", "corpus", "x", "--sample", "0"],
    ] {
        assert_eq!(run(args).code, 2, "{args:?}");
    }
}

#[test]
fn groups_as_a_column() {
    let out = ok(&[
        "kwic",
        "corpus",
        "Tiongkok",
        "--by",
        "path~_(\\d{4})_",
        "--format",
        "tsv",
    ]);
    let rows = tsv(&out);
    assert_eq!(rows[0][..2], ["group", "doc"]);
    let groups: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(groups.iter().filter(|g| **g == "(none)").count(), 9);
    assert_eq!(groups.iter().filter(|g| **g == "2016").count(), 2);
    assert!(!groups.contains(&"2008"));
}

#[test]
fn help_query_documents_the_language() {
    let out = ok(&["help", "query"]);
    for needle in ["Tiong*", "/^tiong.*/", "Presiden *{0,3} Xi", "[word="] {
        assert!(out.contains(needle), "{needle}");
    }
}
