//! `korpus report`: the page, its tables beside it (the rows the other
//! commands print), escaping, and replacing only an earlier report.
//! (The page in a real browser: tests/browser/check_report.py, run by
//! .ci/run.)

use crate::util::*;

fn report(dir: &std::path::Path, extra: &[&str]) -> Run {
    let corpus = root().join("corpus").display().to_string();
    let mut args = vec!["report", corpus.as_str(), "-o", "rep"];
    args.extend(extra);
    run_in(dir, &args, None)
}

#[test]
fn the_report_of_the_bundled_corpus() {
    let dir = tempdir();
    let r = report(dir.path(), &["--by", "file"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rep = dir.path().join("rep");
    let html = std::fs::read_to_string(rep.join("index.html")).unwrap();
    for id in [
        "overview",
        "words",
        "variants",
        "kwic",
        "collocates",
        "keywords",
        "cleaning",
        "provenance",
    ] {
        assert!(
            html.contains(&format!("<section id=\"{id}\">")),
            "no section {id}"
        );
    }
    // Self-contained: inline SVG charts, no external resource.
    assert!(html.matches("<svg ").count() >= 7);
    assert!(!html.contains("src=\"http") && !html.contains("href=\"http"));
    // The word list beside the page is what `korpus freq` prints.
    let corpus = root().join("corpus").display().to_string();
    let freq = ok(&[
        "freq",
        &corpus,
        "--stopwords",
        "id",
        "--top",
        "40",
        "--format",
        "tsv",
    ]);
    assert_eq!(std::fs::read_to_string(rep.join("freq.tsv")).unwrap(), freq);
    // The page shows those rows.
    let third = &tsv(&freq)[3][1];
    assert!(
        html.contains(&format!("<td>{third}</td>")),
        "{third} not in the page"
    );
    // Variants: the table printed by `korpus variants`.
    let variants = ok(&[
        "variants",
        &corpus,
        "--by",
        "file",
        "--set",
        "Tiongkok|China|Cina",
        "--set",
        "Korea Utara|Korut|DPRK",
        "--format",
        "tsv",
    ]);
    assert_eq!(
        std::fs::read_to_string(rep.join("variants.tsv")).unwrap(),
        variants
    );
    // Provenance: checksums of the inputs.
    let prov: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(rep.join("provenance.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(prov["inputs"].as_array().unwrap().len(), 3);
    assert_eq!(prov["inputs"][0]["sha256"].as_str().unwrap().len(), 64);
    // KWIC lines keep the node in its own column.
    assert!(html.contains("<td class=\"node\">Tiongkok</td>"));
    // Every chart has its data beside it.
    for chart in [
        "freq-chart",
        "zipf",
        "variants-chart",
        "colloc-1-network",
        "colloc-vs-network",
        "keyness-chart",
    ] {
        assert!(rep.join(format!("{chart}.svg")).exists(), "{chart}.svg");
        assert!(rep.join(format!("{chart}.tsv")).exists(), "{chart}.tsv");
    }
}

#[test]
fn scraped_text_is_escaped_in_the_report() {
    let dir = tempdir();
    let docs = "{\"id\": \"<script>alert(1)</script>\", \"source\": \"<b>x</b>\", \"text\": \"Tiongkok <script>alert(2)</script> dan China & Tiongkok.\"}\n\
                {\"id\": \"d2\", \"source\": \"s2\", \"text\": \"China <img src=x onerror=alert(3)> dan Tiongkok.\"}\n";
    std::fs::write(dir.path().join("d.jsonl"), docs).unwrap();
    let r = run_in(
        dir.path(),
        &[
            "report",
            "d.jsonl",
            "-o",
            "rep",
            "--by",
            "source",
            "--stopwords",
            "none",
        ],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let html =
        std::fs::read_to_string(dir.path().join("rep/index.html")).unwrap();
    // One script element: the page's own.
    assert_eq!(
        html.matches("<script").count(),
        1,
        "unescaped script in the page"
    );
    assert!(!html.contains("<img"));
    assert!(!html.contains("<b>x</b>"));
    assert!(html.contains("&lt;b&gt;x&lt;/b&gt;"));
}

#[test]
fn only_an_earlier_report_is_replaced() {
    let dir = tempdir();
    // Not a report: refused, untouched.
    std::fs::create_dir(dir.path().join("rep")).unwrap();
    std::fs::write(dir.path().join("rep/notes.txt"), "mine").unwrap();
    let r = report(dir.path(), &["--query", "Korea"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("exists and is not a korpus report"),
        "{}",
        r.stderr
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("rep/notes.txt")).unwrap(),
        "mine"
    );
    // An earlier report is replaced.
    std::fs::remove_dir_all(dir.path().join("rep")).unwrap();
    assert_eq!(report(dir.path(), &["--query", "Korea"]).code, 0);
    // A file the user added is kept: the run is refused (issue 22).
    std::fs::write(dir.path().join("rep/stale.txt"), "old").unwrap();
    let r = report(dir.path(), &["--query", "Jakarta"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("holds stale.txt"), "{}", r.stderr);
    assert!(dir.path().join("rep/stale.txt").exists());
    std::fs::remove_file(dir.path().join("rep/stale.txt")).unwrap();
    let r = report(dir.path(), &["--query", "Jakarta"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let html =
        std::fs::read_to_string(dir.path().join("rep/index.html")).unwrap();
    assert!(html.contains("Collocates of Jakarta"));
    // A failed run leaves neither a report nor a temporary directory.
    let r = run_in(dir.path(), &["report", "nowhere", "-o", "rep2"], None);
    assert_eq!(r.code, 2);
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["rep"], "left behind: {left:?}");
}

/// With `--where`, the concordances are those of `korpus kwic` on the
/// documents kept (the report used to put `--where` between the corpus
/// and the query, which kwic took for an unexpected argument, and the
/// section said "Not available").
#[test]
fn concordances_keep_to_the_where_conditions() {
    let dir = tempdir();
    let r =
        report(dir.path(), &["--where", "path~seed", "--query", "Tiongkok"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rep = dir.path().join("rep");
    let html = std::fs::read_to_string(rep.join("index.html")).unwrap();
    assert!(!html.contains("Not available"), "a section failed: {html}");
    let kwic = std::fs::read_to_string(rep.join("kwic-1.tsv")).unwrap();
    let lines = tsv(&kwic);
    // The seed article alone: 9 Tiongkok (README's freq example), each
    // line from corpus/seed.
    assert_eq!(lines.len(), 1 + 9, "{kwic}");
    assert!(lines[1..].iter().all(|l| l[0].contains("corpus/seed/")));
}
