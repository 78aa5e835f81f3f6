//! Input formats (JSONL, CSV, TSV, Leipzig, CoNLL-U, UTF-16) and output
//! formats (table, tsv, csv, json, jsonl).

use crate::util::*;

#[test]
fn output_formats_carry_the_same_rows() {
    let path = "corpus/seed/000_45b6498bc7b02e87.txt";
    let tsv_out = ok(&["freq", path, "--top", "5", "--format", "tsv"]);
    let csv_out = ok(&["freq", path, "--top", "5", "--format", "csv"]);
    let json_out = ok(&["freq", path, "--top", "5", "--format", "json"]);
    let jsonl_out = ok(&["freq", path, "--top", "5", "--format", "jsonl"]);
    let table_out = ok(&["freq", path, "--top", "5", "--format", "table"]);
    let rows = tsv(&tsv_out);
    assert_eq!(rows.len(), 6);
    let mut rdr = csv::Reader::from_reader(csv_out.as_bytes());
    let csv_rows: Vec<csv::StringRecord> =
        rdr.records().map(Result::unwrap).collect();
    let json: serde_json::Value = serde_json::from_str(&json_out).unwrap();
    let jsonl: Vec<serde_json::Value> =
        jsonl_out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    for (i, row) in rows[1..].iter().enumerate() {
        assert_eq!(csv_rows[i].iter().collect::<Vec<_>>(), *row);
        assert_eq!(json[i]["item"], row[1].as_str());
        assert_eq!(json[i]["freq"].as_u64().unwrap().to_string(), row[2]);
        assert_eq!(jsonl[i], json[i]);
        let table_line: Vec<&str> =
            table_out.lines().nth(i + 1).unwrap().split_whitespace().collect();
        assert_eq!(
            table_line[..3],
            [row[0].as_str(), row[1].as_str(), row[2].as_str()]
        );
    }
    // An undefined value is null in JSON.
    assert!(json[0]["juilland_d"].is_null());
}

#[test]
fn jsonl_with_metadata() {
    let dir = tempdir();
    std::fs::write(
        dir.path().join("news.jsonl"),
        concat!(
            r#"{"id":"a","date":"2016-01-02","source":"kompas","text":"Tiongkok dan China."}"#, "\n",
            r#"{"id":"b","date":"2025-05-06","source":"detik","text":"China lagi."}"#, "\n",
            "\n",
            r#"{"id":"c","date":"2025-07-08","source":"kompas","body":"no text field"}"#, "\n",
            r#"{"id":"d","date":"2025-07-08","source":"kompas","text":"Tiongkok. &amp; China"}"#, "\n",
        ),
    )
    .unwrap();
    let r = run_in(
        dir.path(),
        &["freq", "news.jsonl", "--by", "date:year", "--format", "tsv"],
        None,
    );
    // Record c (line 4) has no text: skipped, named, counted, exit code 3.
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(
        r.stderr.contains("news.jsonl:4: no text field 'text'"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("1 record(s) or file(s) skipped"),
        "{}",
        r.stderr
    );
    let rows = tsv(&r.stdout);
    let china: Vec<(String, String)> = rows[1..]
        .iter()
        .filter(|r| r[2] == "china")
        .map(|r| (r[0].clone(), r[3].clone()))
        .collect();
    assert_eq!(
        china,
        [
            ("2016".to_string(), "1".to_string()),
            ("2025".to_string(), "2".to_string())
        ]
    );
    let r = run_in(
        dir.path(),
        &[
            "freq",
            "news.jsonl",
            "--where",
            "source=kompas",
            "--where",
            "date>=2020-01-01",
            "--format",
            "tsv",
        ],
        None,
    );
    assert_eq!(
        cell(&r.stdout, "item", "tiongkok", "freq").as_deref(),
        Some("1")
    );
    // --text-field names another field: now c is read and the others are skipped.
    let r = run_in(
        dir.path(),
        &["freq", "news.jsonl", "--text-field", "body", "--format", "tsv"],
        None,
    );
    assert_eq!(r.code, 3);
    assert_eq!(cell(&r.stdout, "item", "field", "freq").as_deref(), Some("1"));
}

#[test]
fn csv_with_quoted_multiline_fields() {
    // The shape of a scraped-news CSV: quoted fields spanning lines.
    let dir = tempdir();
    std::fs::write(
        dir.path().join("news.csv"),
        "id,judul,isi_berita,tanggal\n\
         1,\"Judul, satu\",\"Paragraf pertama tentang Tiongkok.\n\nParagraf \"\"kedua\"\" tentang China.\",2025-10-01\n\
         2,Judul dua,\"Satu baris, China.\",2025-10-02\n\
         3,rusak,\n",
    )
    .unwrap();
    let r = run_in(
        dir.path(),
        &["freq", "news.csv", "--text-field", "isi_berita", "--format", "tsv"],
        None,
    );
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(
        r.stderr.contains("news.csv:6: malformed csv record"),
        "{}",
        r.stderr
    );
    assert_eq!(cell(&r.stdout, "item", "china", "freq").as_deref(), Some("2"));
    assert_eq!(cell(&r.stdout, "item", "kedua", "freq").as_deref(), Some("1"));
    let r = run_in(dir.path(), &["freq", "news.csv"], None);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains(
            "no column 'text' (columns: id, judul, isi_berita, tanggal)"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn tsv_leipzig_and_conllu_inputs() {
    let Some(leipzig) =
        shared_or_skip("id-news-leipzig/leipzig_ind_15corpora_demo250.tsv")
    else {
        return;
    };
    let r = run(&[
        "stats",
        leipzig.to_str().unwrap(),
        "--text-field",
        "sentence",
        "--by",
        "corpus",
        "--format",
        "tsv",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rows = tsv(&r.stdout);
    assert_eq!(rows.len(), 16, "15 corpora and a header");
    assert!(rows[1..].iter().all(|r| r[1] == "250"), "250 sentences each");
    // Leipzig sentence files are detected from their first line.
    let sentences = shared()
        .join("tiongkok-china/ind_newscrawl_2016_10K-variants-sentences.txt");
    let r = run(&["stats", sentences.to_str().unwrap(), "--format", "tsv"]);
    assert_eq!(tsv(&r.stdout)[1][0], "57");
    let gold = shared().join("gold-ud/id_pud-ud-test.conllu");
    let r =
        run(&["freq", gold.to_str().unwrap(), "--format", "tsv", "--no-dp"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // UD Indonesian PUD has 16 × "Tiongkok" (corpora/LICENSES.md).
    assert_eq!(
        cell(&r.stdout, "item", "tiongkok", "freq").as_deref(),
        Some("16")
    );
}

#[test]
fn utf16_and_bom_inputs() {
    let dir = tempdir();
    let mut utf16 = vec![0xFF, 0xFE];
    for u in "Tiongkok dan China".encode_utf16() {
        utf16.extend(u.to_le_bytes());
    }
    std::fs::write(dir.path().join("u16.txt"), utf16).unwrap();
    std::fs::write(dir.path().join("bom.txt"), "\u{FEFF}Tiongkok").unwrap();
    let r = run_in(
        dir.path(),
        &["freq", "u16.txt", "bom.txt", "--format", "tsv"],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("u16.txt: UTF-16 with a byte order mark: decoded")
    );
    assert_eq!(
        cell(&r.stdout, "item", "tiongkok", "freq").as_deref(),
        Some("2")
    );
}

#[test]
fn gzip_and_zstd_inputs_read_as_plain() {
    let dir = tempdir();
    let text =
        "{\"text\": \"Tiongkok dan China\"}\n{\"text\": \"China lagi\"}\n";
    std::fs::write(dir.path().join("a.jsonl"), text).unwrap();
    let mut gz =
        flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, text.as_bytes()).unwrap();
    std::fs::write(dir.path().join("b.jsonl.gz"), gz.finish().unwrap())
        .unwrap();
    let zst = ruzstd::encoding::compress_to_vec(
        text.as_bytes(),
        ruzstd::encoding::CompressionLevel::Fastest,
    );
    std::fs::write(dir.path().join("c.jsonl.zst"), zst).unwrap();
    let r = run_in(
        dir.path(),
        &["stats", ".", "--by", "file", "--format", "tsv"],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rows = tsv(&r.stdout);
    assert_eq!(rows.len(), 4);
    for row in &rows[1..] {
        assert_eq!(row[1..4], ["2", "5", "4"], "{row:?}");
    }
    // A file that claims to be zstd and is not: a clear error.
    std::fs::write(dir.path().join("bad.jsonl.zst"), "not zstd").unwrap();
    let r = run_in(dir.path(), &["stats", "bad.jsonl.zst"], None);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("bad.jsonl.zst: not a zstd stream"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_progress_bar_on_a_terminal_only() {
    let dir = tempdir();
    let line = "{\"text\": \"Tiongkok dan China di Jakarta hari ini\"}\n";
    std::fs::write(dir.path().join("a.jsonl"), line.repeat(400_000)).unwrap();
    let bin = env!("CARGO_BIN_EXE_korpus");
    // On a terminal (a pseudo-terminal from util-linux `script`).
    let tty = |extra: &str| {
        let cmd = format!("{bin} stats a.jsonl -o out.tsv{extra}");
        let out = std::process::Command::new("script")
            .args(["-qec", &cmd, "/dev/null"])
            .current_dir(dir.path())
            .output()
            .expect("util-linux script runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let shown = tty("");
    assert!(shown.contains("MiB of ") && shown.contains("left"), "{shown}");
    assert!(!tty(" --quiet").contains(" left"), "--quiet still drew");
    // Piped: never.
    let r = run_in(dir.path(), &["stats", "a.jsonl", "-o", "out.tsv"], None);
    assert_eq!(r.code, 0);
    assert!(!r.stderr.contains(" left"), "{}", r.stderr);
}
