//! `--chart`: every kind renders from the bundled corpus; SVGs parse as
//! XML and hold the labels and items drawn (escaped); PNGs decode at the
//! requested size and are not blank; the data table beside the chart
//! holds the rows drawn; an empty chart is an error that leaves nothing.

use std::path::Path;

use crate::util::*;

/// Runs korpus in `dir` with `args` and asserts success.
fn ok_in(dir: &Path, args: &[&str]) -> String {
    let mut full: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    for a in &mut full {
        if a == "corpus" {
            *a = root().join("corpus").display().to_string();
        }
    }
    let full: Vec<&str> = full.iter().map(String::as_str).collect();
    let r = run_in(dir, &full, None);
    assert_eq!(r.code, 0, "korpus {args:?} failed:\n{}", r.stderr);
    assert!(r.stderr.contains("chart written to"), "{}", r.stderr);
    r.stdout
}

/// The texts of an SVG's <text> elements (the SVG must parse as XML).
fn svg_texts(path: &Path) -> Vec<String> {
    let svg = std::fs::read_to_string(path).unwrap();
    let doc = roxmltree::Document::parse(&svg)
        .unwrap_or_else(|e| panic!("{} is not XML: {e}", path.display()));
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text().map(|t| t.trim().to_string()))
        .collect()
}

/// Decodes a PNG: (width, height, number of distinct colours).
fn png_info(path: &Path) -> (u32, u32, usize) {
    let file = std::fs::File::open(path).unwrap();
    let mut reader = png::Decoder::new(file).read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let px = &buf[..info.buffer_size()];
    let mut colours: Vec<&[u8]> = px.chunks(3).collect();
    colours.sort();
    colours.dedup();
    (info.width, info.height, colours.len())
}

/// The data table beside a chart.
fn data(chart: &Path) -> Vec<Vec<String>> {
    tsv(&std::fs::read_to_string(chart.with_extension("tsv")).unwrap())
}

#[test]
fn word_list_bars_are_the_rows_printed() {
    let dir = tempdir();
    let out = ok_in(
        dir.path(),
        &[
            "freq",
            "corpus",
            "--stopwords",
            "id",
            "--top",
            "12",
            "--format",
            "tsv",
            "--chart",
            "w.svg",
        ],
    );
    let printed = tsv(&out);
    let drawn = data(&dir.path().join("w.svg"));
    assert_eq!(drawn[0], ["item", "freq"]);
    assert_eq!(drawn.len(), 13);
    for (p, d) in printed[1..].iter().zip(&drawn[1..]) {
        assert_eq!((&p[1], &p[2]), (&d[0], &d[1]));
    }
    let texts = svg_texts(&dir.path().join("w.svg"));
    assert!(texts.iter().any(|t| t == "frequency (occurrences)"), "{texts:?}");
    for row in &drawn[1..] {
        assert!(texts.contains(&row[0]), "{} not drawn", row[0]);
    }
    // Not `yang`: the stopwords were left out of the table and the chart.
    assert!(!texts.iter().any(|t| t == "yang"));
}

#[test]
fn zipf_fits_every_row_and_draws_png() {
    let dir = tempdir();
    ok_in(
        dir.path(),
        &[
            "freq",
            "corpus",
            "--chart",
            "z.png",
            "--chart-kind",
            "zipf",
            "--size",
            "800x500",
        ],
    );
    let (w, h, colours) = png_info(&dir.path().join("z.png"));
    assert_eq!((w, h), (800, 500));
    assert!(colours > 20, "{colours} colours: blank?");
    let drawn = data(&dir.path().join("z.png"));
    assert_eq!(drawn[0], ["group", "rank", "item", "freq", "fitted_freq"]);
    // Every type of the corpus (corpus/README.md: 9,609 types in all).
    let stats = ok(&["stats", "corpus", "--format", "tsv"]);
    let types =
        cell(&stats, "documents", &tsv(&stats)[1][0], "types").unwrap();
    assert_eq!((drawn.len() - 1).to_string(), types);
    // The fitted line falls with rank.
    let f1: f64 = drawn[1][4].parse().unwrap();
    let f100: f64 = drawn[100][4].parse().unwrap();
    assert!(f1 > 10.0 * f100, "{f1} {f100}");
}

#[test]
fn concordance_plot_of_two_queries() {
    let dir = tempdir();
    ok_in(
        dir.path(),
        &[
            "dispersion",
            "corpus",
            "Tiongkok",
            "--vs",
            "China",
            "--by",
            "file",
            "--chart",
            "p.svg",
        ],
    );
    let drawn = data(&dir.path().join("p.svg"));
    assert_eq!(
        drawn[0][..5],
        ["query", "part", "tokens", "hits", "dp_10_segments"]
    );
    let hits = |q: &str| -> u64 {
        drawn[1..]
            .iter()
            .filter(|r| r[0] == q)
            .map(|r| r[3].parse::<u64>().unwrap())
            .sum()
    };
    // The seed has 9 Tiongkok and 3 China; the Leipzig files the rest.
    assert_eq!(hits("Tiongkok"), 11);
    assert_eq!(hits("China"), 17);
    let texts = svg_texts(&dir.path().join("p.svg"));
    assert!(texts.iter().any(|t| t == "Tiongkok (11 hits)"), "{texts:?}");
    assert!(texts.iter().any(|t| t == "China (17 hits)"));
    // Too many parts to draw: a clear error naming the remedy.
    let r =
        run(&["dispersion", "corpus", "yang", "--chart", "/tmp/never.svg"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("at most 60 rows") && r.stderr.contains("--by"),
        "{}",
        r.stderr
    );
}

#[test]
fn keyness_bars_diverge() {
    let dir = tempdir();
    ok_in(
        dir.path(),
        &[
            "keyness",
            "corpus",
            "--target",
            "path~2016",
            "--ref",
            "path~2008",
            "--top",
            "5",
            "--chart",
            "k.svg",
        ],
    );
    let drawn = data(&dir.path().join("k.svg"));
    let values: Vec<f64> =
        drawn[1..].iter().map(|r| r[1].parse().unwrap()).collect();
    assert_eq!(values.len(), 10);
    assert!(values[..5].iter().all(|&v| v > 0.0), "{values:?}");
    assert!(values[5..].iter().all(|&v| v < 0.0), "{values:?}");
    let texts = svg_texts(&dir.path().join("k.svg"));
    assert!(texts.iter().any(|t| t == "more frequent in the reference"));
    // An unsigned measure is drawn negative for negative keywords.
    ok_in(
        dir.path(),
        &[
            "keyness",
            "corpus",
            "--target",
            "path~2016",
            "--ref",
            "path~2008",
            "--top",
            "3",
            "--chart",
            "b.svg",
            "--chart-value",
            "bic",
        ],
    );
    let drawn = data(&dir.path().join("b.svg"));
    let neg = drawn[1..].iter().filter(|r| r[1].starts_with('-')).count();
    assert_eq!(neg, 3, "{drawn:?}");
}

#[test]
fn collocate_bars_and_networks() {
    let dir = tempdir();
    let out = ok_in(
        dir.path(),
        &[
            "colloc",
            "corpus",
            "Indonesia",
            "--stopwords",
            "id",
            "--top",
            "8",
            "--format",
            "tsv",
            "--chart",
            "c.svg",
        ],
    );
    let printed = tsv(&out);
    let drawn = data(&dir.path().join("c.svg"));
    assert_eq!(drawn[0], ["item", "ll"]);
    let ll = printed[0].iter().position(|c| c == "ll").unwrap();
    for (p, d) in printed[1..].iter().zip(&drawn[1..]) {
        assert_eq!((&p[1], &p[ll]), (&d[0], &d[1]));
    }
    ok_in(
        dir.path(),
        &[
            "colloc",
            "corpus",
            "Indonesia",
            "--stopwords",
            "id",
            "--top",
            "8",
            "--chart",
            "n.png",
            "--chart-kind",
            "network",
            "--chart-value",
            "logdice",
        ],
    );
    let net = data(&dir.path().join("n.png"));
    assert_eq!(net[0], ["node", "collocate", "logdice", "shared"]);
    assert_eq!(net.len(), 9);
    let (_, _, colours) = png_info(&dir.path().join("n.png"));
    assert!(colours > 20);
    // Two nodes: each with its own strongest collocates; a collocate of
    // both is marked shared.
    ok_in(
        dir.path(),
        &[
            "colloc",
            "corpus",
            "Tiongkok",
            "--vs",
            "China",
            "--top",
            "10",
            "--chart",
            "v.svg",
            "--chart-kind",
            "network",
        ],
    );
    let net = data(&dir.path().join("v.svg"));
    let of = |n: &str| net[1..].iter().filter(|r| r[0] == n).count();
    assert_eq!((of("Tiongkok"), of("China")), (10, 10));
    for r in &net[1..] {
        let both = net[1..].iter().filter(|s| s[1] == r[1]).count() == 2;
        assert_eq!(r[3] == "yes", both, "{r:?}");
    }
    let texts = svg_texts(&dir.path().join("v.svg"));
    assert!(
        texts.iter().any(|t| t == "Tiongkok")
            && texts.iter().any(|t| t == "China")
    );
}

#[test]
fn variant_shares_stacked_and_lines() {
    let dir = tempdir();
    let out = ok_in(
        dir.path(),
        &[
            "variants",
            "corpus",
            "--set",
            "Tiongkok|China|Cina",
            "--by",
            "file",
            "--format",
            "tsv",
            "--chart",
            "s.svg",
        ],
    );
    // The data beside the chart is the table printed.
    assert_eq!(tsv(&out), data(&dir.path().join("s.svg")));
    let texts = svg_texts(&dir.path().join("s.svg"));
    for v in ["Tiongkok", "China", "Cina", "Tiongkok|China|Cina"] {
        assert!(texts.iter().any(|t| t == v), "{v} missing: {texts:?}");
    }
    ok_in(
        dir.path(),
        &[
            "variants",
            "corpus",
            "--set",
            "Tiongkok|China",
            "--by",
            "file",
            "--chart",
            "l.png",
            "--chart-kind",
            "lines",
        ],
    );
    assert!(png_info(&dir.path().join("l.png")).2 > 20);
}

#[test]
fn scraped_metadata_is_escaped_in_svg() {
    let dir = tempdir();
    let docs = "{\"id\": \"<script>alert(1)</script>\", \"text\": \"Tiongkok & China di Tiongkok.\"}\n\
                {\"id\": \"a&b\\\"c'\", \"text\": \"China dan Tiongkok.\"}\n";
    std::fs::write(dir.path().join("d.jsonl"), docs).unwrap();
    let r = run_in(
        dir.path(),
        &[
            "dispersion",
            "d.jsonl",
            "Tiongkok",
            "--by",
            "id",
            "--chart",
            "x.svg",
        ],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let svg = std::fs::read_to_string(dir.path().join("x.svg")).unwrap();
    assert!(!svg.contains("<script"), "unescaped markup in the SVG");
    let texts = svg_texts(&dir.path().join("x.svg"));
    assert!(
        texts.iter().any(|t| t == "<script>alert(1)</script>"),
        "{texts:?}"
    );
    assert!(texts.iter().any(|t| t == "a&b\"c'"));
}

#[test]
fn other_scripts_render_in_png() {
    let dir = tempdir();
    std::fs::write(
        dir.path().join("zh.txt"),
        "中国 中国 北京 Tiongkok Тайвань Тайвань ไทย\n",
    )
    .unwrap();
    let r = run_in(dir.path(), &["freq", "zh.txt", "--chart", "zh.png"], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(png_info(&dir.path().join("zh.png")).2 > 10);
    let drawn = data(&dir.path().join("zh.png"));
    assert!(drawn.iter().any(|r| r[0] == "中国"), "{drawn:?}");
}

#[test]
fn empty_charts_and_bad_options_fail_cleanly() {
    let dir = tempdir();
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "freq",
                "CORPUS",
                "--min-freq",
                "1000000",
                "--chart",
                "e.svg",
                "-o",
                "e-table.tsv",
            ],
            "nothing to draw",
        ),
        (&["freq", "CORPUS", "--chart", "e.pdf"], "must end in .svg or .png"),
        (
            &["freq", "CORPUS", "--chart", "e.svg", "--chart-kind", "pie"],
            "unknown --chart-kind 'pie' (known here: bars, zipf)",
        ),
        (
            &["freq", "CORPUS", "--chart", "e.svg", "--size", "10x10"],
            "--size '10x10'",
        ),
        (
            &["freq", "CORPUS", "--chart", "e.svg", "--chart-value", "nope"],
            "not a column",
        ),
        (
            &[
                "colloc",
                "CORPUS",
                "--all",
                "--chart",
                "e.svg",
                "--chart-kind",
                "network",
            ],
            "network",
        ),
        (
            &[
                "variants", "CORPUS", "--set", "a|b", "--test", "--chart",
                "e.svg",
            ],
            "not with --test",
        ),
    ];
    let corpus = root().join("corpus").display().to_string();
    for (args, message) in cases {
        let args: Vec<&str> = args
            .iter()
            .map(|a| if *a == "CORPUS" { corpus.as_str() } else { a })
            .collect();
        let r = run_in(dir.path(), &args, None);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains(message), "{args:?}: {}", r.stderr);
        // (Besides the note naming corpus/README.md, passed over.)
        let lines = r.stderr.lines().filter(|l| !l.contains(": note: "));
        assert_eq!(lines.count(), 1, "one line: {}", r.stderr);
    }
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(left.is_empty(), "files left behind: {left:?}");
}

#[test]
fn charts_do_not_depend_on_threads() {
    let dir = tempdir();
    for t in ["1", "2", "7"] {
        let name = format!("t{t}.svg");
        ok_in(
            dir.path(),
            &[
                "colloc",
                "corpus",
                "China",
                "--top",
                "10",
                "--threads",
                t,
                "--chart",
                &name,
                "--chart-kind",
                "network",
            ],
        );
    }
    let a = std::fs::read(dir.path().join("t1.svg")).unwrap();
    for t in ["t2.svg", "t7.svg"] {
        assert_eq!(
            a,
            std::fs::read(dir.path().join(t)).unwrap(),
            "{t} differs"
        );
    }
}
