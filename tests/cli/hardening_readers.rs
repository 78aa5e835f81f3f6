//! Issue 22 (Hardening II), the readers: no record lost without a word,
//! ids distinct and exact, eval-tokens on any gold file.

use crate::util::*;

fn zst(text: &str) -> Vec<u8> {
    ruzstd::encoding::compress_to_vec(
        text.as_bytes(),
        ruzstd::encoding::CompressionLevel::Fastest,
    )
}

/// A skippable zstd frame (magic 0x184D2A50) holding `payload`.
fn skippable(payload: &[u8]) -> Vec<u8> {
    let mut out = vec![0x50, 0x2A, 0x4D, 0x18];
    out.extend((payload.len() as u32).to_le_bytes());
    out.extend(payload);
    out
}

/// `korpus stats FILE` in `dir`: (documents, tokens), or the failure.
fn docs_and_tokens(dir: &std::path::Path, file: &str) -> (String, String) {
    let r = run_in(dir, &["stats", file, "--format", "tsv"], None);
    assert_eq!(r.code, 0, "{file}: {}", r.stderr);
    let rows = tsv(&r.stdout);
    (rows[1][0].clone(), rows[1][1].clone())
}

// Issue 22 item 3: every frame of a multi-frame .zst is read.
#[test]
fn issue_22_zstd_every_frame_is_read() {
    let dir = tempdir();
    let a = "{\"text\": \"satu dua\"}\n";
    let b = "{\"text\": \"tiga empat lima\"}\n";
    let c = "{\"text\": \"enam\"}\n";
    // As `cat a.zst b.zst c.zst` (or pzstd) writes it.
    let mut cat = zst(a);
    cat.extend(zst(b));
    cat.extend(zst(c));
    std::fs::write(dir.path().join("cat.jsonl.zst"), &cat).unwrap();
    // 3 documents, 2 + 3 + 1 tokens.
    assert_eq!(
        docs_and_tokens(dir.path(), "cat.jsonl.zst"),
        ("3".into(), "6".into())
    );
    // Skippable frames first, between and last are skipped.
    let mut skip = skippable(b"pzstd index");
    skip.extend(zst(a));
    skip.extend(skippable(b""));
    skip.extend(zst(b));
    skip.extend(skippable(&[0xFF; 40]));
    std::fs::write(dir.path().join("skip.jsonl.zst"), &skip).unwrap();
    assert_eq!(
        docs_and_tokens(dir.path(), "skip.jsonl.zst"),
        ("2".into(), "5".into())
    );
    // Bytes after the last frame that are no frame: an error naming the
    // offset, not a silent end.
    let mut junk = zst(a);
    let at = junk.len();
    junk.extend(b"garbage");
    std::fs::write(dir.path().join("junk.jsonl.zst"), &junk).unwrap();
    let r = run_in(dir.path(), &["stats", "junk.jsonl.zst"], None);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!(
            "junk.jsonl.zst: not a zstd frame at byte {at} (frame 2)"
        )),
        "{}",
        r.stderr
    );
    // A skippable frame cut short.
    let mut cut = zst(a);
    cut.extend(&skippable(b"0123456789")[..10]);
    std::fs::write(dir.path().join("cut.jsonl.zst"), &cut).unwrap();
    let r = run_in(dir.path(), &["stats", "cut.jsonl.zst"], None);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("is cut short (2 of 10 bytes)"), "{}", r.stderr);
}

// Issue 22 item 18: a frame whose window is over the decoder's limit is
// refused with the limit, not as "not a zstd stream".
#[test]
fn issue_22_zstd_window_over_the_limit_names_the_limit() {
    let dir = tempdir();
    // A frame by hand: magic, descriptor 0 (no content size, not single
    // segment), window descriptor 18 << 3 (2^28 bytes = 256 MiB), one
    // last raw block of 5 bytes.
    let mut frame = zst("{\"text\": \"satu\"}\n");
    let at = frame.len();
    frame.extend([0x28, 0xB5, 0x2F, 0xFD, 0x00, 18 << 3, 0x29, 0, 0]);
    frame.extend(b"hello");
    std::fs::write(dir.path().join("w.jsonl.zst"), &frame).unwrap();
    let r = run_in(dir.path(), &["stats", "w.jsonl.zst"], None);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!(
            "w.jsonl.zst: zstd frame at byte {at} needs a window of 256 MiB, \
             over the limit of 128 MiB"
        )),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("not a zstd stream"), "{}", r.stderr);
    // The same frame with a 128 MiB window (17 << 3) is read.
    let n = frame.len();
    frame[n - 9] = 17 << 3;
    std::fs::write(dir.path().join("w.jsonl.zst"), &frame[at..]).unwrap();
    let r = run_in(
        dir.path(),
        &["tokens", "w.jsonl.zst", "--input-format", "text"],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("hello"), "{}", r.stdout);
}

/// A CoNLL-U token line: ID, FORM, eight empty columns (MISC `misc`).
fn tok(id: &str, form: &str, misc: &str) -> String {
    format!("{id}\t{form}\t_\t_\t_\t_\t_\t_\t_\t{misc}\n")
}

// Issue 22 item 5: a CoNLL-U sentence without `# text =` is skipped
// with a warning naming its line and counted, not dropped silently.
#[test]
fn issue_22_conllu_sentence_without_text_is_reported() {
    let dir = tempdir();
    let conllu = format!(
        "# sent_id = 1\n# text = satu dua\n{}{}\n# sent_id = 2\n{}\n\
         # text = empat\n{}",
        tok("1", "satu", "_"),
        tok("2", "dua", "_"),
        tok("1", "tiga", "_"),
        tok("1", "empat", "_"),
    );
    std::fs::write(dir.path().join("c.conllu"), conllu).unwrap();
    let r =
        run_in(dir.path(), &["stats", "c.conllu", "--format", "tsv"], None);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(
        r.stderr.contains("c.conllu:7: sentence without '# text ='"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("1 record(s) or file(s) skipped"),
        "{}",
        r.stderr
    );
    // The two sentences with a text: 3 tokens.
    assert_eq!(tsv(&r.stdout)[1][..2], ["2", "3"]);
    let r = run_in(dir.path(), &["stats", "c.conllu", "--strict"], None);
    assert_eq!(r.code, 2, "{}", r.stderr);
}

// Issue 22 items 5 and 7: eval-tokens skips malformed sentences (empty
// or blank FORM, a token line without 10 columns, a bad ID, a range past
// the last word) with a warning naming the line, counts them (exit 3),
// never panics, and scores the rest.
#[test]
fn issue_22_eval_tokens_malformed_sentences_are_skipped_and_named() {
    let dir = tempdir();
    let good = format!("# text = ok\n{}\n", tok("1", "ok", "_"));
    let rows = [
        // (sentence, the warning's line and message)
        (
            format!("# text = a\n{}{}", tok("1", "a", "_"), tok("2", "", "_")),
            "3: token 2 has an empty or blank FORM",
        ),
        (
            format!(
                "# text = a\n{}{}",
                tok("1", "a", "_"),
                tok("2", " ", "_")
            ),
            "3: token 2 has an empty or blank FORM",
        ),
        (
            format!("# text = a\n{}", tok("1", "\u{3000}", "_")),
            "2: token 1 has an empty or blank FORM",
        ),
        (
            format!(
                "# text = de\n{}{}{}",
                tok("1-3", "de", "_"),
                tok("1", "d", "_"),
                tok("2", "e", "_")
            ),
            "2: the multiword range ends at word 3, past the sentence's \
             last word (2)",
        ),
        (
            "# text = x y\n1\tx\t_\t_\n".to_string(),
            "2: a token line has 10 tab-separated columns, not 4",
        ),
        (
            format!("# text = x\n{}", tok("one", "x", "_")),
            "2: malformed token ID 'one'",
        ),
        (
            format!(
                "# text = xy\n{}{}{}",
                tok("2-1", "xy", "_"),
                tok("1", "x", "_"),
                tok("2", "y", "_")
            ),
            "2: malformed range ID '2-1'",
        ),
    ];
    for (i, (bad, want)) in rows.iter().enumerate() {
        let file = format!("g{i}.conllu");
        std::fs::write(dir.path().join(&file), format!("{bad}\n{good}"))
            .unwrap();
        let r = run_in(
            dir.path(),
            &["eval-tokens", &file, "--format", "tsv"],
            None,
        );
        assert_eq!(r.code, 3, "row {i}: {bad:?}: {}", r.stderr);
        assert!(
            r.stderr.contains(&format!("{file}:{want}: sentence skipped")),
            "row {i}: want {want:?}:\n{}",
            r.stderr
        );
        assert!(!r.stderr.contains("panicked"), "row {i}: {}", r.stderr);
        // The good sentence alone is scored: 1 sentence, 1 of 1 correct.
        let row = &tsv(&r.stdout)[1];
        assert_eq!(row[1..6], ["1", "0", "1", "1", "1"], "row {i}: {row:?}");
    }
}

// Issue 22 item 7: a FORM with trailing white space, whose span would
// run past the text, is a round-trip failure, not a panic.
#[test]
fn issue_22_eval_tokens_form_past_the_text_is_a_roundtrip_failure() {
    let dir = tempdir();
    let gold = format!(
        "# text = a b\n{}{}",
        tok("1", "a", "_"),
        tok("2", "b  ", "_")
    );
    std::fs::write(dir.path().join("g.conllu"), gold).unwrap();
    let r = run_in(
        dir.path(),
        &["eval-tokens", "g.conllu", "--format", "tsv"],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(tsv(&r.stdout)[1][1..3], ["1", "1"], "{}", r.stdout);
}

// Issue 22 item 5: eval-tokens reads .gz and .zst gold files, and names
// the byte of invalid UTF-8.
#[test]
fn issue_22_eval_tokens_reads_compressed_gold_and_refuses_bad_utf8() {
    let dir = tempdir();
    let gold = format!(
        "# text = Ia di sini.\n{}{}{}{}\n",
        tok("1", "Ia", "_"),
        tok("2", "di", "_"),
        tok("3", "sini", "SpaceAfter=No"),
        tok("4", ".", "_")
    );
    let mut gz =
        flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, gold.as_bytes()).unwrap();
    std::fs::write(dir.path().join("g.conllu.gz"), gz.finish().unwrap())
        .unwrap();
    std::fs::write(dir.path().join("g.conllu.zst"), zst(&gold)).unwrap();
    for file in ["g.conllu.gz", "g.conllu.zst"] {
        let r = run_in(
            dir.path(),
            &["eval-tokens", file, "--format", "tsv"],
            None,
        );
        assert_eq!(r.code, 0, "{file}: {}", r.stderr);
        // 4 gold tokens, all found.
        assert_eq!(
            tsv(&r.stdout)[1][1..6],
            ["1", "0", "4", "4", "4"],
            "{file}"
        );
    }
    let mut bad = b"# text = caf".to_vec();
    bad.extend(b"\xE9\n1\tcaf\xE9\t_\t_\t_\t_\t_\t_\t_\t_\n");
    std::fs::write(dir.path().join("u.conllu"), bad).unwrap();
    let r = run_in(dir.path(), &["eval-tokens", "u.conllu"], None);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("u.conllu: byte 12: not valid UTF-8"),
        "{}",
        r.stderr
    );
}

/// The document ids of `korpus tokens FILE` in `dir`, in order, once
/// each, and the run.
fn doc_ids(dir: &std::path::Path, args: &[&str]) -> (Vec<String>, Run) {
    let mut all = vec!["tokens", "--format", "tsv"];
    all.extend(args);
    let r = run_in(dir, &all, None);
    let mut ids: Vec<String> = Vec::new();
    for row in tsv(&r.stdout).into_iter().skip(1) {
        if ids.last() != Some(&row[0]) {
            ids.push(row[0].clone());
        }
    }
    (ids, r)
}

// Issue 22 item 4: a quote never closed is reported with its line, its
// record counted as skipped, and the lines after it read again as
// records, also across the reader's buffers; an error under --strict.
#[test]
fn issue_22_csv_quote_never_closed_is_reported_and_counted() {
    let dir = tempdir();
    let csv = "id,text\n1,satu dua\n2,\"tiga \"\"x\"\"\nempat\"\n\
               3,\"lima\n4,enam\n5,tujuh\n";
    std::fs::write(dir.path().join("q.csv"), csv).unwrap();
    let (ids, r) = doc_ids(dir.path(), &["q.csv"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "q.csv:5: a quote opened at line 5 is never closed: record \
             skipped; the lines after line 5 are read again as records"
        ),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("1 record(s) or file(s) skipped"),
        "{}",
        r.stderr
    );
    assert_eq!(ids, ["q.csv:2", "q.csv:3", "q.csv:6", "q.csv:7"]);
    let r = run_in(dir.path(), &["stats", "q.csv", "--strict"], None);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("q.csv:5: a quote opened at line 5"),
        "{}",
        r.stderr
    );
    // The quote opens inside a record of several lines, in a file of
    // many buffers: 3000 records after it, each read.
    let mut big = String::from("id,text\n1,\"dua\nbaris\"\n2,ok,\"x\n");
    for i in 3..3003 {
        big.push_str(&format!("{i},kata {}\n", "ulang ".repeat(20)));
    }
    std::fs::write(dir.path().join("big.csv"), &big).unwrap();
    let r = run_in(dir.path(), &["stats", "big.csv", "--format", "tsv"], None);
    assert_eq!(r.code, 3, "{}", r.stderr);
    // Record 2 has three fields, the quote opened in its third: the
    // record of line 4 skipped, lines 5.. read again.
    assert!(
        r.stderr
            .contains("big.csv:4: a quote opened at line 4 is never closed"),
        "{}",
        r.stderr
    );
    assert_eq!(
        tsv(&r.stdout)[1][..2],
        ["3001".to_string(), (2 + 3000 * 21).to_string()]
    );
    // A header whose quote is never closed: an error.
    std::fs::write(dir.path().join("h.csv"), "id,\"text\n1,satu\n").unwrap();
    let r = run_in(dir.path(), &["stats", "h.csv"], None);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("h.csv: the header opens a quote at line 1"),
        "{}",
        r.stderr
    );
}

// Issue 22 item 6: with CR-only line ends, CSV and TSV records get the
// ids of their lines (a lone CR ends a line, as in the other formats).
#[test]
fn issue_22_csv_cr_only_line_ends_give_each_record_its_line() {
    let dir = tempdir();
    let rows = [
        ("cr.csv", "id,text\r1,satu\r2,dua\r3,\"a\rb\"\r4,empat\r"),
        (
            "crlf.csv",
            "id,text\r\n1,satu\r\n2,dua\r\n3,\"a\r\nb\"\r\n4,empat\r\n",
        ),
        ("mixed.csv", "id,text\n1,satu\r2,dua\r\n3,\"a\nb\"\r4,empat"),
        ("cr.tsv", "id\ttext\r1\tsatu\r2\tdua\r3\ta b\r\r4\tempat\r"),
    ];
    for (file, text) in rows {
        std::fs::write(dir.path().join(file), text).unwrap();
        let (ids, r) = doc_ids(dir.path(), &[file]);
        assert_eq!(r.code, 0, "{file}: {}", r.stderr);
        // Record 3 spans two lines in the CSVs; the TSV has an empty line.
        let want: Vec<String> =
            [2, 3, 4, 6].iter().map(|l| format!("{file}:{l}")).collect();
        assert_eq!(ids, want, "{file}");
    }
}

// Issue 22 item 18: a column named twice in a CSV header is a warning
// (an error under --strict), not taken silently.
#[test]
fn issue_22_csv_duplicate_header_is_a_warning() {
    let dir = tempdir();
    std::fs::write(dir.path().join("d.csv"), "id,text,id\n1,satu,x\n")
        .unwrap();
    let r = run_in(dir.path(), &["stats", "d.csv", "--format", "tsv"], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "d.csv:1: the header names column 'id' twice (columns 1 and 3)"
        ),
        "{}",
        r.stderr
    );
    assert_eq!(tsv(&r.stdout)[1][..2], ["1", "1"]);
    let r = run_in(dir.path(), &["stats", "d.csv", "--strict"], None);
    assert_eq!(r.code, 2, "{}", r.stderr);
}

// Issue 22 item 6: JSON integers past 64 bits stay exact and distinct
// (serde_json reads them as the same float).
#[test]
fn issue_22_json_big_integers_stay_distinct() {
    let dir = tempdir();
    std::fs::write(
        dir.path().join("a.jsonl"),
        "{\"id\": 12345678901234567890123, \"text\": \"satu\"}\n\
         {\"id\": 12345678901234567890124, \"text\": \"dua\"}\n",
    )
    .unwrap();
    let r = run_in(
        dir.path(),
        &["freq", "a.jsonl", "--by", "id", "--format", "tsv"],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let groups: Vec<String> =
        tsv(&r.stdout).into_iter().skip(1).map(|row| row[0].clone()).collect();
    assert_eq!(groups, ["12345678901234567890123", "12345678901234567890124"]);
}

// Issue 22 item 18: a JSON field named twice in an object is a warning
// naming the first such line and their number (an error under --strict).
#[test]
fn issue_22_json_duplicate_keys_are_a_warning() {
    let dir = tempdir();
    let mut lines = String::from("{\"text\": \"satu\"}\n");
    for i in 0..300 {
        lines.push_str(&format!(
            "{{\"src\": \"a\", \"text\": \"kata {i}\", \"src\": \"b\"}}\n"
        ));
    }
    std::fs::write(dir.path().join("d.jsonl"), &lines).unwrap();
    let r = run_in(
        dir.path(),
        &["freq", "d.jsonl", "--by", "src", "--format", "tsv"],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "d.jsonl:2: field 'src' appears twice in an object (300 such \
             record(s) in the file): the last value is kept"
        ),
        "{}",
        r.stderr
    );
    assert_eq!(cell(&r.stdout, "item", "kata", "group").as_deref(), Some("b"));
    let r = run_in(dir.path(), &["stats", "d.jsonl", "--strict"], None);
    assert_eq!(r.code, 2, "{}", r.stderr);
}

// Issue 22 item 6: file names that differ only in bytes that are not
// UTF-8 keep distinct ids and groups (`\xHH` for such a byte).
#[cfg(unix)]
#[test]
fn issue_22_non_utf8_file_names_keep_distinct_ids() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempdir();
    let sub = dir.path().join("d");
    std::fs::create_dir(&sub).unwrap();
    for (name, text) in
        [(&b"caf\xE9.txt"[..], "satu"), (b"caf\xE8.txt", "dua")]
    {
        let path = sub.join(std::ffi::OsStr::from_bytes(name));
        std::fs::write(path, text).unwrap();
    }
    for by in ["file", "doc"] {
        let r = run_in(
            dir.path(),
            &["freq", "d", "--by", by, "--format", "tsv"],
            None,
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert_same(
            by,
            // (TSV writes a backslash as `\\`.)
            "d/caf\\\\xE8.txt dua\nd/caf\\\\xE9.txt satu\n",
            &tsv(&r.stdout)
                .into_iter()
                .skip(1)
                .map(|row| format!("{} {}\n", row[0], row[2]))
                .collect::<String>(),
        );
    }
}

/// `text` as UTF-16 (little or big endian) with a byte order mark, with
/// the unit `0xD800` (an unpaired surrogate) where `text` has `|`.
fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian { vec![0xFE, 0xFF] } else { vec![0xFF, 0xFE] };
    for unit in text.encode_utf16() {
        let unit = if unit == u16::from(b'|') { 0xD800 } else { unit };
        out.extend(if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        });
    }
    out
}

// Issue 22 item 18: a UTF-16 Leipzig file is read as Leipzig (one
// document per line), and bytes replaced in UTF-16 decoding are counted
// and reported (an error under --strict).
#[test]
fn issue_22_utf16_leipzig_and_its_replaced_bytes() {
    let dir = tempdir();
    let text = "1\tSatu dua.\n2\tTiga empat lima.\n";
    for (file, be) in [("le.txt", false), ("be.txt", true)] {
        std::fs::write(dir.path().join(file), utf16(text, be)).unwrap();
        let (ids, r) = doc_ids(dir.path(), &[file]);
        assert_eq!(r.code, 0, "{file}: {}", r.stderr);
        assert_eq!(ids, [format!("{file}:1"), format!("{file}:2")], "{file}");
        // The sentence ids are metadata, not words: 2 + 3 words.
        let r = run_in(dir.path(), &["stats", file, "--format", "tsv"], None);
        assert_eq!(tsv(&r.stdout)[1][..2], ["2", "5"], "{file}");
    }
    // An unpaired surrogate after "Satu" (the BOM, then 6 units: byte 14).
    std::fs::write(
        dir.path().join("bad.txt"),
        utf16("1\tSatu| dua.\n", false),
    )
    .unwrap();
    let r = run_in(dir.path(), &["stats", "bad.txt"], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "bad.txt: UTF-16 with a byte order mark: decoded; 2 bytes not \
             valid UTF-16 (the first at byte 14) replaced by U+FFFD"
        ),
        "{}",
        r.stderr
    );
    let r = run_in(dir.path(), &["stats", "bad.txt", "--strict"], None);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("bad.txt: byte 14: not valid UTF-16"),
        "{}",
        r.stderr
    );
}
