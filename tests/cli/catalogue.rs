//! The bad-input catalogue: one case per row. Each asserts the exit code,
//! the message, that every record is read or counted as skipped, and
//! that no partial output file is left behind. (More cases with their
//! own setup, /dev/full and closed pipes among them, are in
//! `bad_input.rs` and `formats.rs`.)

use std::path::Path;

use crate::util::*;

/// One row of the catalogue.
struct Case {
    /// What the row is.
    what: &'static str,
    /// Writes the input files into the directory.
    setup: fn(&Path),
    /// The arguments (run in the directory); `-o out.tsv` is added.
    args: &'static [&'static str],
    /// The exit code.
    code: i32,
    /// Text the message must hold (stderr).
    message: &'static str,
    /// With exit 0 or 3: the documents read (from the provenance record)
    /// and the records skipped.
    counts: Option<(u64, u64)>,
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// 200 MB of words with no line break at all.
fn no_newline_200mb(dir: &Path) {
    let word = b"kata dan berita ";
    let n = 200 * 1024 * 1024 / word.len();
    let mut bytes = Vec::with_capacity(n * word.len());
    for _ in 0..n {
        bytes.extend_from_slice(word);
    }
    write(dir, "big.txt", &bytes);
    write(dir, "big.jsonl", &bytes);
}

const CASES: &[Case] = &[
    Case {
        what: "invalid UTF-8: replaced, with a warning naming the file",
        setup: |d| write(d, "a.txt", b"kata\xffrusak dan kata\n"),
        args: &["stats", "a.txt"],
        code: 0,
        message: "a.txt: not valid UTF-8: 1 bytes replaced by U+FFFD",
        counts: Some((1, 0)),
    },
    Case {
        what: "invalid UTF-8 under --strict: an error at the byte offset",
        setup: |d| write(d, "a.txt", b"kata\xffrusak\n"),
        args: &["stats", "a.txt", "--strict"],
        code: 2,
        message: "a.txt: byte 4: not valid UTF-8",
        counts: None,
    },
    Case {
        what: "Latin-1: decoded lossily with a warning",
        setup: |d| write(d, "l.txt", b"caf\xe9 na\xefve r\xe9sum\xe9\n"),
        args: &["stats", "l.txt"],
        code: 0,
        message: "4 bytes replaced",
        counts: Some((1, 0)),
    },
    Case {
        what: "UTF-16 with a BOM: decoded",
        setup: |d| {
            let mut b = vec![0xFF, 0xFE];
            for u in "Tiongkok dan China\n".encode_utf16() {
                b.extend_from_slice(&u.to_le_bytes());
            }
            write(d, "u.txt", &b);
        },
        args: &["stats", "u.txt"],
        code: 0,
        message: "",
        counts: Some((1, 0)),
    },
    Case {
        what: "UTF-8 BOM, CRLF and lone CR line ends in JSONL",
        setup: |d| {
            write(d, "b.jsonl", b"\xEF\xBB\xBF{\"text\":\"satu\"}\r\n{\"text\":\"dua\"}\r{\"text\":\"tiga\"}\n")
        },
        args: &["stats", "b.jsonl"],
        code: 0,
        message: "",
        counts: Some((3, 0)),
    },
    Case {
        what: "NUL bytes: the file is skipped as binary and counted",
        setup: |d| {
            write(d, "c/ok.txt", b"kata baik\n");
            write(d, "c/bin.txt", b"kata\0\0\0biner\n");
        },
        // A directory walk, in a subdirectory: -o out.tsv may not be
        // inside an input directory.
        args: &["stats", "c"],
        code: 3,
        message: "bin.txt: byte 4: NUL byte: binary file skipped",
        counts: Some((1, 1)),
    },
    Case {
        what: "an empty file and an empty document among others",
        setup: |d| {
            write(d, "c/empty.txt", b"");
            write(
                d,
                "c/docs.jsonl",
                b"{\"text\": \"\"}\n{\"text\": \"satu dua\"}\n",
            );
        },
        args: &["stats", "c"],
        code: 0,
        message: "",
        counts: Some((3, 0)),
    },
    Case {
        what: "only empty files: the corpus is empty",
        setup: |d| write(d, "empty.txt", b""),
        args: &["stats", "empty.txt"],
        code: 2,
        message: "no token",
        counts: None,
    },
    Case {
        what: "a 200 MB text file with no newline: 25 pieces of 8 MiB",
        setup: no_newline_200mb,
        args: &["freq", "big.txt", "--no-dp"],
        code: 0,
        message: "big.txt: larger than the document limit of 8 MiB",
        counts: Some((25, 0)),
    },
    Case {
        what: "a 200 MB JSONL line: over the document limit, skipped",
        setup: no_newline_200mb,
        args: &["stats", "big.jsonl", "ok.jsonl"],
        code: 3,
        message: "big.jsonl:1: a line longer than the document limit of 8 MiB",
        counts: Some((1, 1)),
    },
    Case {
        what: "a 1 MB token without spaces",
        setup: |d| {
            let mut b = b"awal ".to_vec();
            b.extend(std::iter::repeat_n(b'x', 1 << 20));
            b.extend_from_slice(b" akhir\n");
            write(d, "t.txt", &b);
        },
        args: &["stats", "t.txt"],
        code: 0,
        message: "",
        counts: Some((1, 0)),
    },
    Case {
        what: "malformed and deeply nested JSON: named, skipped, counted",
        setup: |d| {
            let mut b =
                b"{\"text\": \"baik\"}\n{\"text\": \"tanpa penutup\n".to_vec();
            b.extend(std::iter::repeat_n(b'[', 100_000));
            b.extend_from_slice(b"\n{\"text\": \"baik lagi\"}\n");
            write(d, "m.jsonl", &b);
        },
        args: &["stats", "m.jsonl"],
        code: 3,
        message: "m.jsonl:3: malformed JSON at column 128: recursion limit exceeded",
        counts: Some((2, 2)),
    },
    Case {
        what: "a missing text field: named, skipped, counted",
        setup: |d| {
            write(
                d,
                "n.jsonl",
                b"{\"text\": \"ada\"}\n{\"body\": \"tidak ada\"}\n",
            )
        },
        args: &["stats", "n.jsonl"],
        code: 3,
        message: "n.jsonl:2: no text field 'text' (use --text-field)",
        counts: Some((1, 1)),
    },
    Case {
        what: "CSV shaped like the detik dump: quoted multi-line fields, a short row",
        setup: |d| {
            write(
                d,
                "detik.csv",
                b"id,judul,tautan,tanggal,isi_berita,Summary\n\
                  1,\"Judul, dengan koma\",https://news.example/d-1,10/21/2025 20:15,\"Paragraf satu.\n\nParagraf \"\"dua\"\" tentang Tiongkok.\",\"Ringkas\"\n\
                  2,\"Judul dua\",https://news.example/d-2,10/22/2025 08:00,\"Isi China.\",\"Ringkas\"\n\
                  3,\"baris pendek\"\n",
            )
        },
        args: &["stats", "detik.csv", "--text-field", "isi_berita"],
        code: 3,
        message: "detik.csv:6",
        counts: Some((2, 1)),
    },
    // Issue 22 (readers): more rows; their fuller tests are in
    // hardening_readers.rs.
    Case {
        what: "a CSV quote never closed: named at its line, the rest read again",
        setup: |d| write(d, "q.csv", b"id,text\n1,satu\n2,\"dua\n3,tiga\n"),
        args: &["stats", "q.csv"],
        code: 3,
        message: "q.csv:3: a quote opened at line 3 is never closed",
        counts: Some((2, 1)),
    },
    Case {
        what: "a CSV quote never closed under --strict: an error",
        setup: |d| write(d, "q.csv", b"id,text\n1,satu\n2,\"dua\n3,tiga\n"),
        args: &["stats", "q.csv", "--strict"],
        code: 2,
        message: "q.csv:3: a quote opened at line 3 is never closed",
        counts: None,
    },
    Case {
        what: "CSV with CR-only line ends: a record per line",
        setup: |d| write(d, "cr.csv", b"id,text\r1,satu\r2,dua\r3,tiga\r"),
        args: &["stats", "cr.csv"],
        code: 0,
        message: "",
        counts: Some((3, 0)),
    },
    Case {
        what: "a CSV column named twice: a warning",
        setup: |d| write(d, "d.csv", b"id,text,id\n1,satu,x\n"),
        args: &["stats", "d.csv"],
        code: 0,
        message: "d.csv:1: the header names column 'id' twice",
        counts: Some((1, 0)),
    },
    Case {
        what: "a JSON field named twice: a warning",
        setup: |d| {
            write(d, "d.jsonl", b"{\"a\": 1, \"text\": \"x\", \"a\": 2}\n")
        },
        args: &["stats", "d.jsonl"],
        code: 0,
        message: "d.jsonl:1: field 'a' appears twice in an object",
        counts: Some((1, 0)),
    },
    Case {
        what: "a CoNLL-U sentence without # text: named, skipped, counted",
        setup: |d| {
            write(
                d,
                "c.conllu",
                b"# text = satu\n1\tsatu\t_\t_\t_\t_\t_\t_\t_\t_\n\n\
                  1\tdua\t_\t_\t_\t_\t_\t_\t_\t_\n",
            )
        },
        args: &["stats", "c.conllu"],
        code: 3,
        message: "c.conllu:4: sentence without '# text ='",
        counts: Some((1, 1)),
    },
    Case {
        what: "a UTF-16 Leipzig file: a document per line",
        setup: |d| {
            let mut b = vec![0xFF, 0xFE];
            for u in "1\tSatu.\n2\tDua.\n".encode_utf16() {
                b.extend_from_slice(&u.to_le_bytes());
            }
            write(d, "u.txt", &b);
        },
        args: &["stats", "u.txt"],
        code: 0,
        message: "",
        counts: Some((2, 0)),
    },
    Case {
        what: "UTF-16 with an unpaired surrogate: replaced and counted",
        setup: |d| {
            write(d, "u.txt", &[0xFF, 0xFE, b'a', 0, 0x00, 0xD8, b'b', 0])
        },
        args: &["stats", "u.txt"],
        code: 0,
        message: "u.txt: UTF-16 with a byte order mark: decoded; 2 bytes not valid UTF-16",
        counts: Some((1, 0)),
    },
    Case {
        what: "a .zst of two frames and a skippable one: every frame read",
        setup: |d| {
            let fastest = ruzstd::encoding::CompressionLevel::Fastest;
            let mut b = ruzstd::encoding::compress_to_vec(
                &b"{\"text\": \"satu\"}\n"[..],
                fastest,
            );
            b.extend([0x50, 0x2A, 0x4D, 0x18, 1, 0, 0, 0, 0xFF]);
            b.extend(ruzstd::encoding::compress_to_vec(
                &b"{\"text\": \"dua\"}\n"[..],
                fastest,
            ));
            write(d, "a.jsonl.zst", &b);
        },
        args: &["stats", "a.jsonl.zst"],
        code: 0,
        message: "",
        counts: Some((2, 0)),
    },
    Case {
        what: "a zstd window over the limit: refused, naming the limit",
        setup: |d| {
            let frame = [0x28, 0xB5, 0x2F, 0xFD, 0, 18 << 3, 0x29, 0, 0];
            let mut b = frame.to_vec();
            b.extend(b"hello");
            write(d, "w.txt.zst", &b);
        },
        args: &["stats", "w.txt.zst"],
        code: 2,
        message: "w.txt.zst: zstd frame at byte 0 needs a window of 256 MiB, over the limit of 128 MiB",
        counts: None,
    },
    Case {
        what: "an unreadable file",
        setup: |_| {},
        args: &["stats", "/proc/self/mem"],
        code: 2,
        message: "/proc/self/mem: Input/output error",
        counts: None,
    },
    Case {
        what: "a symlink loop in a directory walk: passed over with a note",
        setup: |d| {
            std::fs::create_dir(d.join("c")).unwrap();
            write(&d.join("c"), "a.txt", b"kata\n");
            std::os::unix::fs::symlink("../c", d.join("c/self")).unwrap();
        },
        args: &["stats", "c"],
        code: 0,
        message: "passed over c/self (symlink loop)",
        counts: Some((1, 0)),
    },
    Case {
        what: "a path that does not exist",
        setup: |_| {},
        args: &["stats", "nowhere.txt"],
        code: 2,
        message: "nowhere.txt: No such file or directory",
        counts: None,
    },
    Case {
        what: "a FIFO in a directory walk: passed over with a note",
        setup: |d| {
            std::fs::create_dir(d.join("f")).unwrap();
            write(&d.join("f"), "a.txt", b"kata\n");
            let ok = std::process::Command::new("mkfifo")
                .arg(d.join("f/pipe.txt"))
                .status()
                .unwrap();
            assert!(ok.success());
        },
        args: &["stats", "f"],
        code: 0,
        message: "passed over f/pipe.txt (not a regular file)",
        counts: Some((1, 0)),
    },
    Case {
        what: "a negative window",
        setup: |_| {},
        args: &["colloc", "x.txt", "China", "--left=-1"],
        code: 2,
        message: "invalid value '-1' for '--left <N>'",
        counts: None,
    },
    Case {
        what: "an unknown measure",
        setup: |d| write(d, "x.txt", b"China dan Tiongkok\n"),
        args: &["colloc", "x.txt", "China", "--measure", "mi9"],
        code: 2,
        message: "unknown measure 'mi9'",
        counts: None,
    },
    Case {
        what: "an unknown format",
        setup: |d| write(d, "x.txt", b"China dan Tiongkok\n"),
        args: &["freq", "x.txt", "--format", "xlsx"],
        code: 2,
        message: "unknown --format 'xlsx'",
        counts: None,
    },
    Case {
        what: "a window of 0 and 0",
        setup: |d| write(d, "x.txt", b"China dan Tiongkok\n"),
        args: &["colloc", "x.txt", "China", "--left", "0", "--right", "0"],
        code: 2,
        message: "window",
        counts: None,
    },
    Case {
        what: "a pathological regular expression: refused, never a hang",
        setup: |d| write(d, "x.txt", b"aaaa China\n"),
        args: &["kwic", "x.txt", "/(a{1000}){1000}/"],
        code: 2,
        message: "exceeds size limit of 1048576 bytes",
        counts: None,
    },
    Case {
        what: "kwic --sort past its documented limit of lines held",
        setup: |d| write(d, "x.txt", b"China dan China dan China\n"),
        args: &["kwic", "x.txt", "China", "--sort", "R1", "--max-lines", "2"],
        code: 2,
        message: "more than 2 (--max-lines)",
        counts: None,
    },
    Case {
        what: "colloc --all past its documented limit of pairs held",
        setup: |d| write(d, "x.txt", b"satu dua tiga empat lima\n"),
        args: &["colloc", "--all", "x.txt", "--max-pairs", "3"],
        code: 2,
        message: "more than 3 (--max-pairs)",
        counts: None,
    },
    // Issue 22: outputs never replace inputs; exit codes as documented.
    Case {
        what: "a chart whose data file is the input: refused before reading",
        setup: |d| write(d, "news.tsv", b"text\nTiongkok dan China.\n"),
        args: &["freq", "news.tsv", "--chart", "news.svg"],
        code: 2,
        message: "--chart (its data file) news.tsv is an input",
        counts: None,
    },
    Case {
        what: "a chart's data file naming another output: refused",
        setup: |d| write(d, "a.txt", b"Tiongkok dan China.\n"),
        args: &["freq", "a.txt", "--chart", "out.svg"],
        code: 2,
        message: "out.tsv is the same file as -o out.tsv",
        counts: None,
    },
    Case {
        what: "an unknown kwic field: no output written",
        setup: |d| write(d, "a.txt", b"Tiongkok dan China.\n"),
        args: &["kwic", "a.txt", "China", "--fields", "nofield"],
        code: 2,
        message: "no document has the field 'nofield'",
        counts: None,
    },
    Case {
        what: "tokens --where matching nothing",
        setup: |d| write(d, "a.txt", b"Tiongkok dan China.\n"),
        args: &["tokens", "a.txt", "--where", "file=b.txt"],
        code: 2,
        message: "no document matches the --where conditions",
        counts: None,
    },
    Case {
        what: "kwic --where matching nothing",
        setup: |d| write(d, "a.txt", b"Tiongkok dan China.\n"),
        args: &["kwic", "a.txt", "China", "--where", "file=b.txt"],
        code: 2,
        message: "no document matches the --where conditions",
        counts: None,
    },
    Case {
        what: "--freq-cache naming a file, not a directory",
        setup: |d| {
            write(d, "a.txt", b"Tiongkok dan China.\n");
            write(d, "cache", b"x\n");
        },
        args: &["colloc", "a.txt", "China", "--freq-cache", "cache"],
        code: 2,
        message: "--freq-cache cache: not a directory",
        counts: None,
    },
];

#[test]
fn the_bad_input_catalogue() {
    for case in CASES {
        let dir = tempdir();
        (case.setup)(dir.path());
        if case.args.contains(&"ok.jsonl") {
            write(dir.path(), "ok.jsonl", b"{\"text\": \"baik\"}\n");
        }
        let mut args: Vec<&str> = case.args.to_vec();
        args.extend(["-o", "out.tsv", "--provenance", "prov.json"]);
        let r = run_in(dir.path(), &args, None);
        let ctx = format!("{}\nkorpus {args:?}\n{}", case.what, r.stderr);
        assert_eq!(r.code, case.code, "exit code: {ctx}");
        assert!(r.stderr.contains(case.message), "message: {ctx}");
        assert!(!r.stderr.contains("panicked"), "{ctx}");
        let out = dir.path().join("out.tsv");
        if case.code == 2 || case.code == 1 {
            assert!(!out.exists(), "an output file was left behind: {ctx}");
            assert!(r.stderr.lines().count() <= 12, "{ctx}");
        } else {
            assert!(out.exists(), "{ctx}");
        }
        // No temporary file is left behind either way.
        for e in std::fs::read_dir(dir.path()).unwrap() {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            assert!(!name.starts_with(".korpus-"), "{name} left: {ctx}");
        }
        if let Some((docs, skipped)) = case.counts {
            let prov: serde_json::Value = serde_json::from_str(
                &std::fs::read_to_string(dir.path().join("prov.json"))
                    .unwrap(),
            )
            .unwrap();
            assert_eq!(prov["documents"], docs, "documents read: {ctx}");
            assert_eq!(prov["skipped_records"], skipped, "skipped: {ctx}");
            if skipped > 0 {
                assert!(
                    r.stderr.contains(&format!(
                        "{skipped} record(s) or file(s) skipped"
                    )),
                    "the skips are summed up: {ctx}"
                );
            }
        }
    }
}

#[test]
fn an_explicit_fifo_is_read_as_a_stream() {
    let dir = tempdir();
    let fifo = dir.path().join("in.txt");
    let ok = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(ok.success());
    let writer = std::thread::spawn(move || {
        std::fs::write(&fifo, b"Tiongkok dan China dan Tiongkok\n").unwrap();
    });
    let r = run_in(dir.path(), &["freq", "in.txt", "--format", "tsv"], None);
    writer.join().unwrap();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        cell(&r.stdout, "item", "tiongkok", "freq").as_deref(),
        Some("2")
    );
}
