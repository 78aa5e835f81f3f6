//! `keyness`, `variants` and `colloc` write through the one emitter
//! (`cli/output.rs` `emit`): a chart that cannot be drawn leaves no
//! output at all (standard output included), and the table, summary
//! lines and provenance record are written as before.

use super::util::*;

/// Two one-line documents: `a.txt` has satu, dua (twice) and tiga;
/// `b.txt` has empat, dua, lima and enam (four counted tokens each).
fn corpus(dir: &std::path::Path) {
    std::fs::create_dir(dir.join("c")).unwrap();
    std::fs::write(dir.join("c/a.txt"), "Satu dua tiga dua.\n").unwrap();
    std::fs::write(dir.join("c/b.txt"), "Empat dua lima. Enam!\n").unwrap();
}

/// Runs `args` twice, to stdout and with `-o out.tsv`, and checks that
/// the chart failure leaves nothing: no stdout, no file, exit 2 and one
/// error line naming the column.
fn chart_failure_writes_nothing(args: &[&str]) {
    for to_file in [false, true] {
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--chart", "x.svg", "--chart-value", "nosuchcolumn"]);
        if to_file {
            all.extend(["-o", "out.tsv", "--provenance", "p.json"]);
        }
        fails_leaving_nothing(
            corpus,
            &all,
            "korpus: --chart-value 'nosuchcolumn' is not a column",
        );
    }
}

#[test]
fn keyness_chart_failure_leaves_no_output() {
    chart_failure_writes_nothing(&["keyness", "c/a.txt", "--ref", "c/b.txt"]);
    chart_failure_writes_nothing(&["keyness", "c", "--by", "file"]);
}

#[test]
fn colloc_chart_failure_leaves_no_output() {
    chart_failure_writes_nothing(&["colloc", "c", "dua"]);
    chart_failure_writes_nothing(&["colloc", "c", "dua", "--vs", "lima"]);
    chart_failure_writes_nothing(&["colloc", "c", "--all"]);
    chart_failure_writes_nothing(&[
        "colloc",
        "c",
        "dua",
        "--convention",
        "nltk",
    ]);
}

#[test]
fn variants_shares_chart_and_provenance_written_by_the_emitter() {
    let (dir, r) = written(
        corpus,
        &["variants", "c", "--set", "dua|tiga", "--chart", "x.svg"],
    );
    assert_eq!(r.stdout, "");
    let out = read(dir.path(), "out.tsv");
    // dua 3 of 4, tiga 1 of 4.
    let rows = tsv(&out);
    let got: Vec<(&str, &str, &str)> = rows[1..]
        .iter()
        .map(|r| (r[2].as_str(), r[3].as_str(), r[7].as_str()))
        .collect();
    assert_eq!(got, [("dua", "3", "4"), ("tiga", "1", "4")], "{out}");
    // The chart's data are the table's rows.
    let data = read(dir.path(), "x.tsv");
    assert_same("chart data", &out, &data);
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{}", r.stderr);
    assert_eq!(lines[0], "korpus: chart written to x.svg (data: x.tsv)");
    assert!(lines[1].starts_with("korpus: dua|tiga: G² "), "{}", r.stderr);
    let json = json(dir.path(), "p.json");
    assert_eq!(json["settings"]["command"], "variants");
    assert_eq!(json["documents"], 2);
}

#[test]
fn keyness_per_group_writes_table_summaries_and_provenance() {
    let (dir, r) = written(corpus, &["keyness", "c", "--by", "file"]);
    let out = read(dir.path(), "out.tsv");
    let rows = tsv(&out);
    let col = |name: &str| rows[0].iter().position(|c| c == name).unwrap();
    let (g, item, t, f) =
        (col("group"), col("item"), col("freq_target"), col("freq_ref"));
    // Each file against the other: the corpus's 6 types in each
    // comparison, dua 2:1 and 1:2.
    assert_eq!(rows.len(), 1 + 6 + 6, "{out}");
    let dua: Vec<(&str, &str, &str)> = rows[1..]
        .iter()
        .filter(|r| r[item] == "dua")
        .map(|r| (r[g].as_str(), r[t].as_str(), r[f].as_str()))
        .collect();
    assert_eq!(dua, [("c/a.txt", "2", "1"), ("c/b.txt", "1", "2")]);
    // One summary line per group, each a line of its own.
    let summaries: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(summaries.len(), 2, "{}", r.stderr);
    assert!(summaries[0].starts_with("korpus: c/a.txt: "), "{}", r.stderr);
    assert!(summaries[1].starts_with("korpus: c/b.txt: "), "{}", r.stderr);
    let json = json(dir.path(), "p.json");
    assert_eq!(json["settings"]["command"], "keyness");
    let counts = json["counts"].as_array().unwrap();
    assert_eq!(counts.len(), 2);
    assert_eq!(counts[0]["group"], "c/a.txt");
    assert_eq!(counts[0]["target_tokens"], 4);
    assert_eq!(counts[0]["ref_tokens"], 4);
}

#[test]
fn variants_tests_and_examples_go_through_the_emitter() {
    let dir = tempdir();
    corpus(dir.path());
    let args = ["variants", "c", "--set", "dua|tiga", "--test", "-o", "t.tsv"];
    let r = run_in(dir.path(), &args, None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = read(dir.path(), "t.tsv");
    let rows = tsv(&out);
    assert_eq!(rows.len(), 2, "{out}");
    assert_eq!(rows[1][0], "dua|tiga");
    // The test line on stderr too, once.
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(r.stderr.starts_with("korpus: dua|tiga: G² "), "{}", r.stderr);
    let args = ["variants", "c", "--set", "dua|tiga", "--examples", "5"];
    let r = run_in(dir.path(), &args, None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rows = tsv(&r.stdout);
    // dua three times, tiga once.
    assert_eq!(rows.len(), 1 + 4, "{}", r.stdout);
    let node = rows[0].iter().position(|c| c == "node").unwrap();
    let mut nodes: Vec<&str> =
        rows[1..].iter().map(|r| r[node].as_str()).collect();
    nodes.sort();
    assert_eq!(nodes, ["dua", "dua", "dua", "tiga"]);
}
