//! `korpus stats`.

use crate::util::*;

#[test]
fn small_text_worked_out_by_hand() {
    // Tokens: a b a c a d (N = 6), types 4, TTR 0.6667, hapax b c d = 3,
    // hapax_pct 75; Σf² = 9 + 1 + 1 + 1 = 12, Yule's K = 10⁴·(12 − 6)/36
    // = 1666.67. Windows of 3: aba .6667, bac 1, aca .6667, cad 1 → MATTR
    // 0.8333; segments aba, cad → MSTTR (2/3 + 1)/2 = 0.8333.
    let dir = tempdir();
    std::fs::write(dir.path().join("t.txt"), "a b a c a d").unwrap();
    let r = run_in(
        dir.path(),
        &["stats", "t.txt", "--window", "3", "--format", "tsv"],
        None,
    );
    assert_same(
        "stats",
        "documents\ttokens\ttypes\tttr\tmsttr\tmattr\thapax\thapax_pct\tyule_k\tmean_doc_len\n\
         1\t6\t4\t0.6667\t0.8333\t0.8333\t3\t75.00\t1666.67\t6.00\n",
        &r.stdout,
    );
}

#[test]
fn windows_run_across_documents_in_corpus_order() {
    // Two documents "a b" and "a c", window 2 over the stream a b a c:
    // ab 1, ba 1, ac 1 → MATTR 1 (per document, "a b" and "a c" alone
    // would also give 1, but "a a" across the boundary below would not).
    // Documents "x a" and "a y": stream x a a y: xa 1, aa .5, ay 1 →
    // MATTR 0.8333.
    let dir = tempdir();
    std::fs::write(dir.path().join("1.txt"), "x a").unwrap();
    std::fs::write(dir.path().join("2.txt"), "a y").unwrap();
    let r = run_in(
        dir.path(),
        &["stats", ".", "--window", "2", "--format", "tsv"],
        None,
    );
    let rows = tsv(&r.stdout);
    let get = |c: &str| {
        rows[1][rows[0].iter().position(|h| h == c).unwrap()].clone()
    };
    assert_eq!(get("mattr"), "0.8333");
    assert_eq!(get("msttr"), "1.0000");
    assert_eq!(get("mean_doc_len"), "2.00");
    assert_eq!(get("documents"), "2");
}

#[test]
fn stats_agree_with_freq() {
    let stats = ok(&["stats", "corpus", "--by", "file", "--format", "tsv"]);
    let freq =
        ok(&["freq", "corpus", "--by", "file", "--format", "tsv", "--no-dp"]);
    for row in &tsv(&stats)[1..] {
        let group = &row[0];
        let rows: Vec<Vec<String>> = tsv(&freq)[1..]
            .iter()
            .filter(|r| &r[0] == group)
            .cloned()
            .collect();
        let tokens: u64 =
            rows.iter().map(|r| r[3].parse::<u64>().unwrap()).sum();
        assert_eq!(row[2], tokens.to_string(), "tokens of {group}");
        assert_eq!(row[3], rows.len().to_string(), "types of {group}");
        let hapax = rows.iter().filter(|r| r[3] == "1").count();
        assert_eq!(row[7], hapax.to_string(), "hapax of {group}");
    }
    // The bundled corpus: 2001 documents (1 article, 2 × 1000 sentences).
    let all = ok(&["stats", "corpus", "--format", "tsv"]);
    assert_eq!(tsv(&all)[1][0], "2001");
}

#[test]
fn stats_identical_for_any_thread_count() {
    let a = ok(&[
        "--threads",
        "1",
        "stats",
        "corpus",
        "--by",
        "file",
        "--format",
        "tsv",
    ]);
    let b = ok(&[
        "--threads",
        "7",
        "stats",
        "corpus",
        "--by",
        "file",
        "--format",
        "tsv",
    ]);
    assert!(a == b);
}

#[test]
fn corpus_readme_counts_are_what_korpus_counts() {
    let readme =
        std::fs::read_to_string(root().join("corpus/README.md")).unwrap();
    let stats = ok(&["stats", "corpus", "--by", "file", "--format", "tsv"]);
    let mut checked = 0;
    for line in readme.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let file = format!("corpus/{}", cells[1].trim_matches('`'));
        let num = |s: &str| s.replace(',', "");
        assert_eq!(
            cell(&stats, "group", &file, "documents"),
            Some(num(cells[4])),
            "{file}"
        );
        assert_eq!(
            cell(&stats, "group", &file, "tokens"),
            Some(num(cells[5])),
            "{file}"
        );
        assert_eq!(
            cell(&stats, "group", &file, "types"),
            Some(num(cells[6])),
            "{file}"
        );
        checked += 1;
    }
    assert_eq!(checked, 3);
}
