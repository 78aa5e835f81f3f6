//! The one emitter (`cli/output.rs` `emit`): a command's table, its
//! provenance record and the atomic commit of both, through `korpus
//! stats`, the first command that uses it.

use super::util::*;

/// Two one-line documents of three counted tokens each, all different.
fn corpus(dir: &std::path::Path) {
    std::fs::create_dir(dir.join("c")).unwrap();
    std::fs::write(dir.join("c/a.txt"), "Satu dua tiga.\n").unwrap();
    std::fs::write(dir.join("c/b.txt"), "Empat lima. Enam!\n").unwrap();
}

#[test]
fn stats_table_and_provenance_written_by_the_emitter() {
    let dir = tempdir();
    corpus(dir.path());
    let args = [
        "stats",
        "c",
        "--by",
        "file",
        "-o",
        "out.tsv",
        "--provenance",
        "p.json",
    ];
    let r = run_in(dir.path(), &args, None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = std::fs::read_to_string(dir.path().join("out.tsv")).unwrap();
    // Per file: 3 tokens, 3 types (TTR 1), all hapaxes (100%); Yule's K
    // = 10^4 (sum of m^2 V_m - N) / N^2 = 10^4 (3 - 3) / 9 = 0; the
    // window of 100 tokens is longer than the text: MSTTR and MATTR
    // undefined.
    let expected = "group\tdocuments\ttokens\ttypes\tttr\tmsttr\tmattr\thapax\thapax_pct\tyule_k\tmean_doc_len\n\
                    c/a.txt\t1\t3\t3\t1.0000\t\t\t3\t100.00\t0.00\t3.00\n\
                    c/b.txt\t1\t3\t3\t1.0000\t\t\t3\t100.00\t0.00\t3.00\n";
    assert_same("stats table", expected, &out);
    let json: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.path().join("p.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(json["settings"]["window"], 100);
    assert_eq!(json["counts"]["filtered_out"], 0);
    assert_eq!(json["documents"], 2);
    assert_eq!(json["inputs"].as_array().map(Vec::len), Some(2));
}

#[test]
fn a_provenance_that_cannot_be_written_leaves_no_table() {
    let dir = tempdir();
    corpus(dir.path());
    std::fs::create_dir(dir.path().join("pdir")).unwrap();
    let args = [
        "stats",
        "c",
        "--by",
        "file",
        "-o",
        "out.tsv",
        "--provenance",
        "pdir",
    ];
    let r = run_in(dir.path(), &args, None);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("writing pdir: it is a directory"),
        "{}",
        r.stderr
    );
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    // Neither the table nor a temporary file is left.
    let mut left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["c", "pdir"]);
}
