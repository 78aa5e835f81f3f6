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
    let (dir, _) = written(corpus, &["stats", "c", "--by", "file"]);
    let out = read(dir.path(), "out.tsv");
    // Per file: 3 tokens, 3 types (TTR 1), all hapaxes (100%); Yule's K
    // = 10^4 (sum of m^2 V_m - N) / N^2 = 10^4 (3 - 3) / 9 = 0; the
    // window of 100 tokens is longer than the text: MSTTR and MATTR
    // undefined.
    let expected = "group\tdocuments\ttokens\ttypes\tttr\tmsttr\tmattr\thapax\thapax_pct\tyule_k\tmean_doc_len\n\
                    c/a.txt\t1\t3\t3\t1.0000\t\t\t3\t100.00\t0.00\t3.00\n\
                    c/b.txt\t1\t3\t3\t1.0000\t\t\t3\t100.00\t0.00\t3.00\n";
    assert_same("stats table", expected, &out);
    let json = json(dir.path(), "p.json");
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

/// Runs `args` (a chart of an unknown column): exit 2, one error line
/// naming the column, nothing written.
fn chart_failure_writes_nothing(args: &[&str]) {
    fails_leaving_nothing(corpus, args, "'nosuchcolumn'");
}

#[test]
fn freq_chart_failure_writes_no_table_on_stdout() {
    let chart = ["--chart", "x.svg", "--chart-value", "nosuchcolumn"];
    for extra in [&[][..], &["--by", "file"], &["--by", "file", "--wide"]] {
        let mut args = vec!["freq", "c"];
        args.extend_from_slice(extra);
        args.extend_from_slice(&chart);
        chart_failure_writes_nothing(&args);
    }
}

#[test]
fn freq_chart_failure_writes_no_output_file() {
    let args = [
        "freq",
        "c",
        "-o",
        "out.tsv",
        "--provenance",
        "p.json",
        "--chart",
        "x.svg",
        "--chart-value",
        "nosuchcolumn",
    ];
    chart_failure_writes_nothing(&args);
}

#[test]
fn dispersion_chart_failure_writes_nothing() {
    // A concordance plot of a query without hits cannot be drawn.
    for out in [&[][..], &["-o", "out.tsv", "--provenance", "p.json"]] {
        let mut args = vec!["dispersion", "c", "nosuchword"];
        args.extend_from_slice(out);
        args.extend_from_slice(&["--chart", "x.svg"]);
        fails_leaving_nothing(corpus, &args, "nothing to draw");
    }
}

#[test]
fn freq_chart_table_and_data_written_by_the_emitter() {
    let dir = tempdir();
    corpus(dir.path());
    let args = ["freq", "c", "--no-dp", "--chart", "x.svg"];
    let r = run_in(dir.path(), &args, None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Six items once each in 6 tokens: 1/6 per token, 166666.67 per
    // million; each in one of the two documents (50%).
    let rows = tsv(&r.stdout);
    assert_eq!(rows.len(), 7, "{}", r.stdout);
    assert_eq!(rows[1][..6], ["1", "dua", "1", "166666.67", "1", "50.00"]);
    assert_eq!(
        r.stderr, "korpus: chart written to x.svg (data: x.tsv)\n",
        "{}",
        r.stderr
    );
    let data = read(dir.path(), "x.tsv");
    assert!(data.lines().count() == 7, "{data}");
    assert_eq!(names(dir.path()), ["c", "x.svg", "x.tsv"]);
}

#[test]
fn ngrams_clusters_summary_then_provenance() {
    let (dir, r) =
        written(corpus, &["ngrams", "c", "-n", "2", "--around", "dua"]);
    assert_eq!(r.stderr, "korpus: 1 hits of 'dua'\n");
    let out = read(dir.path(), "out.tsv");
    // "satu dua" and "dua tiga" (the sentence ends after tiga).
    let rows = tsv(&out);
    let clusters: Vec<&str> =
        rows[1..].iter().map(|r| r[2].as_str()).collect();
    assert_eq!(clusters, ["dua tiga", "satu dua"], "{out}");
    let json = json(dir.path(), "p.json");
    assert_eq!(json["settings"]["around"], "dua");
}

#[test]
fn kwic_provenance_that_cannot_be_written_leaves_no_lines() {
    let dir = tempdir();
    corpus(dir.path());
    std::fs::create_dir(dir.path().join("pdir")).unwrap();
    let args = ["kwic", "c", "dua", "-o", "out.tsv", "--provenance", "pdir"];
    let r = run_in(dir.path(), &args, None);
    assert_eq!(r.code, 1, "{}", r.stderr);
    // The summary, then the one error line.
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{}", r.stderr);
    assert!(lines[0].starts_with("korpus: 1 hit"), "{}", r.stderr);
    assert!(
        lines[1].contains("writing pdir: it is a directory"),
        "{}",
        r.stderr
    );
    assert_eq!(names(dir.path()), ["c", "pdir"]);
}

#[test]
fn kwic_lines_summary_and_provenance_through_the_emitter() {
    let (dir, r) = written(corpus, &["kwic", "c", "lima"]);
    assert!(r.stderr.starts_with("korpus: 1 hit"), "{}", r.stderr);
    let out = read(dir.path(), "out.tsv");
    let rows = tsv(&out);
    assert_eq!(rows.len(), 2, "{out}");
    let node = rows[0].iter().position(|c| c == "node").unwrap();
    assert_eq!(rows[1][node], "lima");
    let json = json(dir.path(), "p.json");
    assert_eq!(json["counts"]["hits"], 1);
    assert_eq!(json["counts"]["documents_with_hits"], 1);
}
