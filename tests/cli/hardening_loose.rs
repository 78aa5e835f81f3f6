//! Issue 22 (Hardening II), loose ends: control characters in SVG
//! charts and the HTML report, bidi overrides on the terminal, --csv-safe
//! in a chart's data file, `korpus query` on a full stdout, the reading
//! options of `korpus report`, and clap's usage errors.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::util::*;

/// ESC (a CSI and an OSC title with its BEL) and C1 controls (CSI, NEL).
const ESC_NAME: &str = "f\x1b]0;t\x07\u{9b}2J.txt";

/// Whether `s` holds a character XML 1.0 forbids or a C1 control / DEL
/// (what the charts must never hold), tab and line breaks aside.
fn has_raw_control(s: &str) -> bool {
    s.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

/// The bidi embeddings, overrides and isolates.
fn has_bidi(s: &str) -> bool {
    s.chars().any(
        |c| matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'),
    )
}

/// A corpus in `dir/c`: a file named with ESC and C1 controls, and a
/// JSONL file whose `src` field holds them.
fn hostile_corpus(dir: &Path) {
    let c = dir.join("c");
    std::fs::create_dir(&c).unwrap();
    std::fs::write(c.join(ESC_NAME), "Tiongkok dan China. Tiongkok lagi.\n")
        .unwrap();
    std::fs::write(
        c.join("m.jsonl"),
        "{\"text\":\"Tiongkok China biasa.\",\"src\":\"a\\u001b[2Jb\\u009bc\"}\n\
         {\"text\":\"Tiongkok lagi China\",\"src\":\"x\"}\n",
    )
    .unwrap();
}

/// Parses `svg` as XML, panicking with the parser's message.
fn parse_xml(what: &str, svg: &str) {
    if let Err(e) = roxmltree::Document::parse(svg) {
        panic!("{what} is not XML: {e}");
    }
}

#[test]
fn svg_charts_with_control_characters_parse_as_xml_and_show_them() {
    let dir = tempdir();
    let d = dir.path();
    hostile_corpus(d);
    // File names reach the concordance plot, a metadata value the bar
    // panels, and --title the title.
    let cases: &[(&[&str], &str, &[&str])] = &[
        (
            &["dispersion", "c", "Tiongkok", "--chart", "d.svg"],
            "d.svg",
            &["f\\e]0;t\\u{7}\\u{9b}2J.txt"],
        ),
        (
            &[
                "freq",
                "c/m.jsonl",
                "--by",
                "src",
                "--chart",
                "f.svg",
                "--title",
                "judul \x1b[2J \u{85}",
            ],
            "f.svg",
            &["a\\e[2Jb\\u{9b}c", "judul \\e[2J \\u{85}"],
        ),
    ];
    for (args, svg, shown) in cases {
        let r = run_in(d, args, None);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        let text = std::fs::read_to_string(d.join(svg)).unwrap();
        parse_xml(svg, &text);
        assert!(!has_raw_control(&text), "{svg} holds a raw control");
        for s in *shown {
            assert!(text.contains(s), "{svg} does not show {s:?}");
        }
    }
}

#[test]
fn html_report_shows_control_characters_and_its_svgs_parse() {
    let dir = tempdir();
    let d = dir.path();
    hostile_corpus(d);
    let r = run_in(d, &["report", "c", "-o", "rep", "--by", "src"], None);
    assert!(r.code == 0 || r.code == 3, "{}", r.stderr);
    let html = std::fs::read_to_string(d.join("rep/index.html")).unwrap();
    assert!(!has_raw_control(&html), "index.html holds a raw control");
    assert!(html.contains("a\\e[2Jb\\u{9b}c"), "the group is not shown");
    for entry in std::fs::read_dir(d.join("rep")).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|e| e == "svg") {
            let text = std::fs::read_to_string(&p).unwrap();
            parse_xml(&p.display().to_string(), &text);
            assert!(
                !has_raw_control(&text),
                "{} holds a control",
                p.display()
            );
        }
    }
    // Each inline SVG of the page is XML too.
    let mut rest = html.as_str();
    let mut inline = 0;
    while let Some(i) = rest.find("<svg") {
        let end = rest[i..].find("</svg>").unwrap() + i + "</svg>".len();
        parse_xml("an inline SVG", &rest[i..end]);
        inline += 1;
        rest = &rest[end..];
    }
    assert!(inline > 0, "no inline SVG");
}

#[test]
fn bidi_overrides_are_shown_on_the_terminal() {
    let dir = tempdir();
    let d = dir.path();
    let name = "laporan\u{202e}fdp.txt";
    std::fs::write(
        d.join(name),
        "Presiden Tiongkok \u{2066}bertemu\u{2069} menteri \u{202d}baru.\n",
    )
    .unwrap();
    let r =
        run_in(d, &["stats", ".", "--by", "file", "--format", "table"], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!has_bidi(&r.stdout), "stdout: {:?}", r.stdout);
    assert!(r.stdout.contains("laporan\\u{202e}fdp.txt"), "{}", r.stdout);
    let r = run_in(d, &["kwic", ".", "menteri", "--format", "table"], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!has_bidi(&r.stdout), "stdout: {:?}", r.stdout);
    assert!(r.stdout.contains("\\u{2066}bertemu\\u{2069}"), "{}", r.stdout);
    // A message on stderr naming the file.
    let r = run_in(d, &["freq", "tiada\u{202e}txt"], None);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(!has_bidi(&r.stderr), "stderr: {:?}", r.stderr);
    assert!(r.stderr.contains("tiada\\u{202e}txt"), "{}", r.stderr);
}

#[test]
fn csv_safe_reaches_the_chart_data_file() {
    let dir = tempdir();
    let d = dir.path();
    std::fs::create_dir(d.join("c")).unwrap();
    std::fs::write(d.join("c/a.txt"), "@budi halo @budi dan halo lagi\n")
        .unwrap();
    let r = run_in(
        d,
        &[
            "freq",
            "c",
            "--no-dp",
            "--csv-safe",
            "--chart",
            "f.svg",
            "-o",
            "f-out.tsv",
        ],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let data = std::fs::read_to_string(d.join("f.tsv")).unwrap();
    let items: Vec<&str> =
        data.lines().skip(1).map(|l| l.split('\t').next().unwrap()).collect();
    assert!(items.contains(&"'@budi"), "{data}");
    assert!(!items.iter().any(|i| i.starts_with('@')), "{data}");
    // The main output agrees with it; without the flag both are raw.
    let out = std::fs::read_to_string(d.join("f-out.tsv")).unwrap();
    assert!(out.contains("\n1\t'@budi\t"), "{out}");
    let r = run_in(d, &["freq", "c", "--no-dp", "--chart", "g.svg"], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let data = std::fs::read_to_string(d.join("g.tsv")).unwrap();
    assert!(data.contains("\n@budi\t2\n"), "{data}");
}

#[test]
fn query_help_on_a_full_stdout_is_exit_1_without_a_panic() {
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full");
    let Ok(full) = full else {
        eprintln!("no /dev/full here: skipped");
        return;
    };
    let out = Command::new(env!("CARGO_BIN_EXE_korpus"))
        .arg("query")
        .stdin(Stdio::null())
        .stdout(Stdio::from(full))
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("korpus: "), "{stderr}");
}

#[test]
fn report_steps_read_as_the_single_commands() {
    let dir = tempdir();
    let d = dir.path();
    std::fs::create_dir_all(d.join("c")).unwrap();
    std::fs::create_dir_all(d.join("out")).unwrap();
    std::fs::write(
        d.join("c/a.txt"),
        "Tiongkok dan China. Presiden Tiongkok bertemu.\n",
    )
    .unwrap();
    std::fs::write(d.join("out/o.txt"), "luarbiasa Tiongkok\n").unwrap();
    std::os::unix::fs::symlink("../out/o.txt", d.join("c/o.txt")).unwrap();
    // 1.3 MB: two pieces under --max-doc-size 1, one document without.
    let big = "Tiongkok dan China bertemu lagi. ".repeat(40_000);
    std::fs::write(d.join("c/big.txt"), big).unwrap();
    let options: &[&[&str]] =
        &[&[], &["--follow-links", "--max-doc-size", "1"]];
    let mut documents = Vec::new();
    for opts in options {
        let mut stats = vec!["stats", "c", "-q"];
        stats.extend_from_slice(opts);
        let single = run_in(d, &stats, None);
        assert!(single.code == 0, "{stats:?}: {}", single.stderr);
        documents.push(tsv(&single.stdout)[1][0].clone());
        let mut freq = vec!["freq", "c", "-q", "--no-dp"];
        freq.extend_from_slice(opts);
        let words = run_in(d, &freq, None);
        assert!(words.code == 0, "{freq:?}: {}", words.stderr);
        let mut report = vec!["report", "c", "-o", "rep", "-q"];
        report.extend_from_slice(opts);
        let _ = std::fs::remove_dir_all(d.join("rep"));
        let r = run_in(d, &report, None);
        assert!(r.code == 0, "{report:?}: {}", r.stderr);
        let got = std::fs::read_to_string(d.join("rep/stats.tsv")).unwrap();
        assert_same(&format!("stats.tsv of {report:?}"), &single.stdout, &got);
        let all = std::fs::read_to_string(d.join("rep/freq-all.tsv")).unwrap();
        assert_eq!(
            all.contains("luarbiasa"),
            words.stdout.contains("luarbiasa"),
            "{report:?}: the link is followed by one and not the other"
        );
    }
    // The options change what is read, so the comparison above means
    // something: 2 documents without them, 4 with (two pieces and the
    // linked file).
    assert_eq!(documents, ["2", "4"]);
}

#[test]
fn usage_errors_show_the_arguments_control_characters() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["stats", "corpus", "--threads", "\x1b]0;x\x07\u{202e}"],
            "\\e]0;x\\u{7}\\u{202e}",
        ),
        (&["freq", "--bogus\nkorpus: forged"], "--bogus\\nkorpus: forged"),
        (&["fr\x1b[2Jq"], "fr\\e[2Jq"),
    ];
    for (args, shown) in cases {
        let r = run(args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
        assert!(!has_raw_control(&r.stderr), "{args:?}: {:?}", r.stderr);
        assert!(!has_bidi(&r.stderr), "{args:?}: {:?}", r.stderr);
        assert!(r.stderr.contains(shown), "{args:?}: {:?}", r.stderr);
        assert!(
            !r.stderr.lines().any(|l| l.starts_with("korpus: forged")),
            "{:?}",
            r.stderr
        );
        assert!(r.stderr.starts_with("error: "), "{:?}", r.stderr);
    }
    // Help and version are still on stdout, exit 0.
    let r = run(&["--version"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.starts_with("korpus "), "{}", r.stdout);
    let r = run(&["freq", "--help"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("Usage: korpus freq"), "{}", r.stdout);
}

#[test]
fn report_strict_fails_as_the_single_command() {
    let dir = tempdir();
    let d = dir.path();
    std::fs::create_dir(d.join("c")).unwrap();
    std::fs::write(d.join("c/a.txt"), b"Tiongkok dan China \xff lagi\n")
        .unwrap();
    let single = run_in(d, &["stats", "c", "--strict"], None);
    assert_eq!(single.code, 2, "{}", single.stderr);
    let r = run_in(d, &["report", "c", "-o", "rep", "--strict", "-q"], None);
    assert_eq!(r.code, single.code, "{}", r.stderr);
    assert!(
        r.stderr.contains("c/a.txt: byte 19: not valid UTF-8"),
        "{}",
        r.stderr
    );
    assert!(!d.join("rep").exists(), "a report was written");
    // Without --strict both read on (the bytes replaced, a warning).
    let r = run_in(d, &["report", "c", "-o", "rep", "-q"], None);
    assert_eq!(r.code, run_in(d, &["stats", "c"], None).code, "{}", r.stderr);
    assert!(d.join("rep/index.html").exists());
}
