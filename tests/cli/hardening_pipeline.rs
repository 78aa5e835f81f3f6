//! Issue 22 (Hardening II), the reading pipeline: the order documents
//! are read in, directory walks and symbolic links, standard input as a
//! stream, binary input and documents larger than the document limit,
//! under a memory limit (`prlimit --as`).

use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use super::util::*;

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(dir.join(name), bytes).unwrap();
}

/// The surfaces of `tokens` output, in output order.
fn surfaces(out: &str) -> Vec<String> {
    tsv(out).into_iter().skip(1).map(|r| r[4].clone()).collect()
}

/// Runs korpus under `prlimit --as=BYTES` in `dir`, killed after
/// `secs` seconds (code -1 then).
fn run_limited(dir: &Path, bytes: u64, secs: u64, args: &[&str]) -> Run {
    let mut cmd = Command::new("prlimit");
    cmd.arg(format!("--as={bytes}"))
        .arg("--")
        .arg(env!("CARGO_BIN_EXE_korpus"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        // One malloc arena: the limit is on what korpus allocates, not on
        // the 64 MiB of address space glibc reserves for each thread's
        // arena, which depends on which threads allocate first (under
        // 160 MiB the same run failed about 1 time in 10 by timing).
        .env("MALLOC_ARENA_MAX", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("prlimit runs");
    let (mut out, mut err) =
        (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let o = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut out, &mut s).unwrap();
        s
    });
    let e = std::thread::spawn(move || {
        let mut s = Vec::new();
        std::io::Read::read_to_end(&mut err, &mut s).unwrap();
        String::from_utf8_lossy(&s).into_owned()
    });
    let start = std::time::Instant::now();
    let code = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status.code().unwrap_or(-1);
        }
        if start.elapsed() > Duration::from_secs(secs) {
            child.kill().unwrap();
            child.wait().unwrap();
            break -1;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    Run { code, stdout: o.join().unwrap(), stderr: e.join().unwrap() }
}

// Item 16: documents are read in sorted order in a walk and in argument
// order when named, whatever their formats (JSONL and Leipzig files were
// read before the text and CSV files batched around them).
#[test]
fn issue_22_documents_are_read_in_the_documented_order() {
    let dir = tempdir();
    let d = dir.path();
    std::fs::create_dir(d.join("c")).unwrap();
    let c = d.join("c");
    write(&c, "a.txt", b"alpha\n");
    write(&c, "b.jsonl", b"{\"text\":\"beta\"}\n");
    write(&c, "c.txt", b"gamma\n");
    write(&c, "d.txt", b"1\tdelta\n"); // Leipzig
    write(&c, "e.csv", b"text\nepsilon\n");
    write(&c, "f.txt", b"zeta\n");
    let out = ok_in(d, &["tokens", "c", "--format", "tsv"]);
    assert_eq!(
        surfaces(&out),
        ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"],
        "a walk reads the sorted paths in order"
    );
    let args = [
        "tokens",
        "c/f.txt",
        "c/e.csv",
        "c/d.txt",
        "c/c.txt",
        "c/b.jsonl",
        "c/a.txt",
        "--format",
        "tsv",
    ];
    assert_eq!(
        surfaces(&ok_in(d, &args)),
        ["zeta", "epsilon", "delta", "gamma", "beta", "alpha"],
        "named paths are read in argument order"
    );
}

fn ok_in(dir: &Path, args: &[&str]) -> String {
    let r = run_in(dir, args, None);
    assert_eq!(r.code, 0, "korpus {args:?}:\n{}", r.stderr);
    r.stdout
}

// Item 18 (README*/LICENSE*): passed over by design, but with a note.
#[test]
fn issue_22_readme_and_license_files_are_named_in_a_note() {
    let dir = tempdir();
    let d = dir.path();
    std::fs::create_dir(d.join("c")).unwrap();
    write(&d.join("c"), "a.txt", b"kata\n");
    write(&d.join("c"), "README.md", b"bukan korpus\n");
    write(&d.join("c"), "LICENSE", b"bukan korpus\n");
    let r = run_in(d, &["freq", "c", "--format", "tsv"], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for name in ["c/README.md", "c/LICENSE"] {
        let note =
            format!("korpus: note: passed over {name} (README or LICENSE)");
        assert!(r.stderr.contains(&note), "{note}:\n{}", r.stderr);
    }
    assert_eq!(cell(&r.stdout, "item", "bukan", "freq"), None);
}

// Item 15: a dangling link and a loop of file links are passed over with
// a warning each (counted as skipped files: exit 3), not the end of the
// run; --strict makes them an error.
#[test]
fn issue_22_broken_links_are_passed_over_with_a_warning() {
    let dir = tempdir();
    let d = dir.path();
    let c = d.join("c");
    std::fs::create_dir(&c).unwrap();
    write(&c, "a.txt", b"kata dan kata\n");
    symlink("missing.txt", c.join("dangling.txt")).unwrap();
    symlink("l2.txt", c.join("l1.txt")).unwrap();
    symlink("l1.txt", c.join("l2.txt")).unwrap();
    std::fs::create_dir(c.join("sub")).unwrap();
    symlink("../../nowhere", c.join("sub/gone")).unwrap();
    let r = run_in(d, &["freq", "c", "--format", "tsv"], None);
    assert_eq!(r.code, 3, "{}", r.stderr);
    for name in ["c/dangling.txt", "c/l1.txt", "c/l2.txt", "c/sub/gone"] {
        let w = format!("korpus: warning: {name}: broken symbolic link");
        assert!(r.stderr.contains(&w), "{w}:\n{}", r.stderr);
    }
    assert!(
        r.stderr.contains("4 record(s) or file(s) skipped"),
        "{}",
        r.stderr
    );
    assert_eq!(cell(&r.stdout, "item", "kata", "freq").as_deref(), Some("2"));
    let r = run_in(d, &["freq", "c", "--strict"], None);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("c/dangling.txt: broken symbolic link"));
}

// Item 15: links inside the corpus are followed; links out of it (into
// /etc, say) only with --follow-links, and are named in a note.
#[test]
fn issue_22_links_out_of_the_corpus_need_follow_links() {
    let dir = tempdir();
    let d = dir.path();
    let (c, outside) = (d.join("c"), d.join("outside"));
    std::fs::create_dir_all(c.join("sub")).unwrap();
    std::fs::create_dir(&outside).unwrap();
    write(&outside, "secret.txt", b"rahasia\n");
    write(&c, "a.txt", b"kata\n");
    write(&c.join("sub"), "b.txt", b"dalam\n");
    symlink("../outside", c.join("out")).unwrap();
    symlink("../outside/secret.txt", c.join("f.txt")).unwrap();
    symlink("sub", c.join("inside")).unwrap();
    symlink("/etc", c.join("etc")).unwrap();
    let r = run_in(d, &["freq", "c", "--format", "tsv"], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(cell(&r.stdout, "item", "rahasia", "freq"), None);
    // c/sub/b.txt and c/inside/b.txt.
    assert_eq!(cell(&r.stdout, "item", "dalam", "freq").as_deref(), Some("2"));
    for name in ["c/out", "c/f.txt", "c/etc"] {
        let note = format!("passed over {name} (a symlink out of the corpus");
        assert!(r.stderr.contains(&note), "{note}:\n{}", r.stderr);
    }
    assert!(r.stderr.contains("--follow-links follows it"));
    let r = run_in(d, &["freq", "c/sub", "c/a.txt", "--format", "tsv"], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let args = ["freq", "c", "--follow-links", "--format", "tsv"];
    let mut args = args.to_vec();
    // /etc is not read in a test: only the links to `outside`.
    std::fs::remove_file(c.join("etc")).unwrap();
    let r = run_in(d, &args, None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        cell(&r.stdout, "item", "rahasia", "freq").as_deref(),
        Some("2"),
        "c/out/secret.txt and c/f.txt"
    );
    args.push("--strict");
    assert_eq!(run_in(d, &args, None).code, 0);
}

// Item 9: standard input is read as it arrives (nothing is spooled to
// $TMPDIR): kwic prints lines while the producer is still writing.
#[test]
fn issue_22_standard_input_is_streamed() {
    let tmp = tempdir();
    let mut child = Command::new(env!("CARGO_BIN_EXE_korpus"))
        .args(["kwic", "-", "kata", "--input-format", "jsonl"])
        .args(["--width", "1", "--format", "tsv"])
        .env("TMPDIR", tmp.path())
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut n = 0usize;
        for line in BufReader::new(stdout).lines() {
            line.unwrap();
            n += 1;
            let _ = tx.send(n);
        }
        n
    });
    let lines = 20_000;
    for i in 0..lines {
        writeln!(stdin, "{{\"text\":\"kata nomor {i}\"}}").unwrap();
    }
    stdin.flush().unwrap();
    // The stream is still open: lines must come out already.
    let got = rx.recv_timeout(Duration::from_secs(120));
    let spooled: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    drop(stdin);
    let n = reader.join().unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(got.is_ok(), "no line before the end of the input");
    assert!(spooled.is_empty(), "a file in $TMPDIR: {spooled:?}");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(n, lines + 1, "every hit, and the header");
}

// Item 9: a command that reads its corpus more than once keeps a copy
// of standard input in an unnamed temporary file (nothing is left in
// $TMPDIR), and gives what it gives for the same file.
#[test]
fn issue_22_standard_input_read_twice_is_copied_only_then() {
    let text =
        std::fs::read(root().join("corpus/seed/000_45b6498bc7b02e87.txt"))
            .unwrap();
    let mut jsonl = Vec::new();
    for (i, line) in String::from_utf8_lossy(&text).lines().enumerate() {
        let y = if i % 2 == 0 { "1" } else { "2" };
        let v = serde_json::json!({ "text": line, "y": y });
        jsonl.extend(format!("{v}\n").into_bytes());
    }
    let dir = tempdir();
    let tmp = tempdir();
    write(dir.path(), "in.jsonl", &jsonl);
    let commands: [&[&str]; 3] = [
        &["keyness", "--target", "y=1", "--ref", "y=2", "--min-freq", "1"],
        &["colloc", "China", "--vs", "Tiongkok"],
        &["dispersion", "China", "--vs", "Tiongkok", "--vs", "Korea"],
    ];
    for cmd in commands {
        let mut file: Vec<&str> = vec![cmd[0], "in.jsonl"];
        file.extend(&cmd[1..]);
        file.extend(["--format", "tsv"]);
        let want = run_in(dir.path(), &file, None);
        assert_eq!(want.code, 0, "{file:?}: {}", want.stderr);
        assert!(tsv(&want.stdout).len() > 2, "{file:?}: rows");
        let mut args: Vec<&str> = vec![cmd[0], "-"];
        args.extend(&cmd[1..]);
        args.extend(["--input-format", "jsonl", "--format", "tsv"]);
        let out = Command::new(env!("CARGO_BIN_EXE_korpus"))
            .args(&args)
            .current_dir(dir.path())
            .env("TMPDIR", tmp.path())
            .stdin(std::fs::File::open(dir.path().join("in.jsonl")).unwrap())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
        let got = String::from_utf8_lossy(&out.stdout);
        // Document ids name the input: `-:N` against `in.jsonl:N`.
        assert_same(
            &format!("{args:?}"),
            &want.stdout,
            &got.replace("-:", "in.jsonl:"),
        );
    }
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert!(left.is_empty(), "left in $TMPDIR: {left:?}");
}

// Item 8, second bullet: binary input is recognized at its first NUL,
// before it is read whole: /dev/zero in every format, and a sparse
// 1.5 GB file, under a 1 GiB address-space limit and a time limit.
#[test]
fn issue_22_binary_input_stops_at_the_first_nul() {
    let dir = tempdir();
    let d = dir.path();
    let f = std::fs::File::create(d.join("sparse.txt")).unwrap();
    f.set_len(1536 << 20).unwrap();
    drop(f);
    let good: [(&str, &str, &[u8]); 5] = [
        ("text", "ok.txt", b"kata\n"),
        ("jsonl", "ok.jsonl", b"{\"text\":\"kata\"}\n"),
        ("csv", "ok.csv", b"text\nkata\n"),
        ("tsv", "ok.tsv", b"text\nkata\n"),
        ("leipzig", "ok.tsv", b"1\tkata\n"),
    ];
    for (format, name, bytes) in good {
        write(d, name, bytes);
        let args = ["stats", "/dev/zero", name, "--input-format", format];
        let r = run_limited(d, 1 << 30, 60, &args);
        let ctx = format!("{format}: {}", r.stderr);
        assert_eq!(r.code, 3, "{ctx}");
        assert!(
            r.stderr
                .contains("/dev/zero: byte 0: NUL byte: binary file skipped"),
            "{ctx}"
        );
        assert!(r.stderr.contains("1 record(s) or file(s) skipped"), "{ctx}");
    }
    let r = run_limited(d, 1 << 30, 60, &["stats", "sparse.txt", "ok.txt"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains("sparse.txt: byte 0: NUL byte"), "{}", r.stderr);
}

/// `n` repetitions of `kata dan berita ` with no line break.
fn no_newline(dir: &Path, name: &str, n: usize) {
    let word = b"kata dan berita ";
    let mut bytes = Vec::with_capacity(n * word.len());
    for _ in 0..n {
        bytes.extend_from_slice(word);
    }
    write(dir, name, &bytes);
}

// Item 8, first bullet: a text file larger than the document limit is
// read in pieces (with a warning naming the limit and the option), so
// memory does not grow with the document; the counts are those of the
// whole text. A 48 MiB file without a line break, under a limit of
// address space that reading it whole exceeds (it took 1.2 GB of RSS).
#[test]
fn issue_22_a_document_past_the_limit_is_read_in_pieces() {
    let dir = tempdir();
    let d = dir.path();
    let n = 3 << 20; // 48 MiB
    no_newline(d, "big.txt", n);
    let limit = 640 << 20;
    for extra in [&[][..], &["--max-doc-size", "2"][..]] {
        let mut args = vec!["freq", "big.txt", "--no-dp", "--threads", "2"];
        args.extend(["--format", "tsv", "--provenance", "p.json"]);
        args.extend(extra);
        let r = run_limited(d, limit, 300, &args);
        let ctx = format!("{args:?}: {}", r.stderr);
        assert_eq!(r.code, 0, "{ctx}");
        for item in ["kata", "dan", "berita"] {
            let want = n.to_string();
            let got = cell(&r.stdout, "item", item, "freq");
            assert_eq!(got.as_deref(), Some(want.as_str()), "{item}: {ctx}");
        }
        let mib = if extra.is_empty() { 8 } else { 2 };
        let w = format!(
            "big.txt: larger than the document limit of {mib} MiB \
             (--max-doc-size raises it)"
        );
        assert!(r.stderr.contains(&w), "{ctx}");
        let prov: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(d.join("p.json")).unwrap(),
        )
        .unwrap();
        assert_eq!(prov["documents"], (48 / mib) as u64, "{ctx}");
    }
    // Behind gzip (the 1.5 GB text behind 8.7 MB of the issue), the same.
    let bytes = std::fs::read(d.join("big.txt")).unwrap();
    let gz = std::fs::File::create(d.join("big.txt.gz")).unwrap();
    let mut enc =
        flate2::write::GzEncoder::new(gz, flate2::Compression::fast());
    enc.write_all(&bytes).unwrap();
    enc.finish().unwrap();
    drop(bytes);
    let args = ["freq", "big.txt.gz", "--no-dp", "--format", "tsv"];
    let r = run_limited(d, limit, 300, &args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let want = n.to_string();
    let got = cell(&r.stdout, "item", "berita", "freq");
    assert_eq!(got.as_deref(), Some(want.as_str()), "{}", r.stderr);
    assert!(r.stderr.contains("big.txt.gz: larger than the document limit"));
    // Under --strict the limit is an error.
    let r = run_in(d, &["stats", "big.txt", "--strict"], None);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("larger than the document limit"));
}

// Item 8, first bullet, for the line formats: a JSONL or Leipzig line
// longer than the document limit is skipped with a warning naming it
// (it was held whole, however long), and the lines after it are read
// with their line numbers; --max-doc-size reads it.
#[test]
fn issue_22_a_line_past_the_limit_is_skipped_and_counted() {
    // 9 MiB is noticed when the line is parsed, 20 MiB while it is read
    // (it is read past without being held).
    for (mib, raise) in [(9, "16"), (20, "32")] {
        line_past_the_limit(mib, raise);
    }
}

fn line_past_the_limit(mib: usize, raise: &str) {
    let dir = tempdir();
    let d = dir.path();
    let n = (mib << 20) / 5;
    let mut long = b"{\"text\":\"".to_vec();
    long.extend(b"kata ".repeat(n));
    long.extend(b"\"}");
    let mut leipzig = b"1\t".to_vec();
    leipzig.extend(b"kata ".repeat(n));
    for (name, body) in [("a.jsonl", long), ("b.txt", leipzig)] {
        let (first, last) = if name == "a.jsonl" {
            (&b"{\"text\":\"awal\"}\n"[..], &b"{\"text\":\"akhir\"}\n"[..])
        } else {
            (&b"7\tawal\n"[..], &b"9\takhir\n"[..])
        };
        let mut bytes = first.to_vec();
        bytes.extend(&body);
        bytes.extend(b"\r\n");
        bytes.extend(last);
        write(d, name, &bytes);
        let args = ["kwic", name, "akhir|awal", "--format", "tsv"];
        let r = run_limited(d, 1 << 30, 120, &args);
        let ctx = format!("{name}, {mib} MiB: {}", r.stderr);
        assert_eq!(r.code, 3, "{ctx}");
        let w = format!(
            "{name}:2: a line longer than the document limit of 8 MiB \
             (--max-doc-size raises it): record skipped"
        );
        assert!(r.stderr.contains(&w), "{ctx}");
        assert!(r.stderr.contains("1 record(s) or file(s) skipped"), "{ctx}");
        let docs: Vec<String> =
            tsv(&r.stdout).into_iter().skip(1).map(|r| r[0].clone()).collect();
        assert_eq!(docs, [format!("{name}:1"), format!("{name}:3")], "{ctx}");
        let args = ["freq", name, "--max-doc-size", raise, "--format", "tsv"];
        let r = run_in(d, &args, None);
        assert_eq!(r.code, 0, "{ctx}: {}", r.stderr);
        let want = n.to_string();
        let got = cell(&r.stdout, "item", "kata", "freq");
        assert_eq!(got.as_deref(), Some(want.as_str()), "{ctx}");
    }
}

// Item 8, what was left of it: a line format whose lines end in lone CRs
// is cut at them (it was held whole, looking for an LF), and a line
// longer than the document limit is read past (a 96 MiB line under a
// 160 MiB address-space limit), its neighbours read with their numbers.
#[test]
fn issue_22_lone_cr_lines_are_bounded_by_the_limit() {
    let dir = tempdir();
    let d = dir.path();
    let mut bytes = b"1\tawal\r2\t".to_vec();
    bytes.extend(b"kata ".repeat((96 << 20) / 5));
    bytes.extend(b"\r3\takhir\r");
    write(d, "cr.txt", &bytes);
    drop(bytes);
    let args = ["kwic", "cr.txt", "akhir|awal", "--format", "tsv"];
    let r = run_limited(d, 160 << 20, 120, &args);
    assert_eq!(r.code, 3, "{}", r.stderr);
    let w = "cr.txt:2: a line longer than the document limit of 8 MiB \
             (--max-doc-size raises it): record skipped";
    assert!(r.stderr.contains(w), "{}", r.stderr);
    let docs: Vec<String> =
        tsv(&r.stdout).into_iter().skip(1).map(|r| r[0].clone()).collect();
    assert_eq!(docs, ["cr.txt:1", "cr.txt:3"], "{}", r.stderr);
}

/// `text` as UTF-16LE with a BOM.
fn utf16le(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        bytes.extend(u.to_le_bytes());
    }
    bytes
}

// Item 8, what was left of it: a UTF-16 file is decoded as it is read
// (it was read and decoded whole), then read like UTF-8: a Leipzig line
// of 64 MiB (128 MiB of UTF-16) is skipped under a 160 MiB address-space
// limit, and the lines around it are read, a surrogate pair in them.
#[test]
fn issue_22_utf16_is_decoded_in_pieces() {
    let dir = tempdir();
    let d = dir.path();
    let mut bytes = utf16le("1\tawal \u{1F600} akhir\n2\t");
    let word = &utf16le("kata ")[2..];
    bytes.reserve(word.len() * ((64 << 20) / 5));
    for _ in 0..(64 << 20) / 5 {
        bytes.extend_from_slice(word);
    }
    bytes.extend(&utf16le("\n3\takhir \u{1F600}\n")[2..]);
    write(d, "u16.txt", &bytes);
    drop(bytes);
    let args = ["kwic", "u16.txt", "akhir|awal", "--format", "tsv"];
    let r = run_limited(d, 160 << 20, 120, &args);
    assert_eq!(r.code, 3, "{}", r.stderr);
    let w = "u16.txt:2: a line longer than the document limit of 8 MiB \
             (--max-doc-size raises it): record skipped";
    assert!(r.stderr.contains(w), "{}", r.stderr);
    assert!(
        r.stderr.contains("u16.txt: UTF-16 with a byte order mark: decoded")
    );
    let rows = tsv(&r.stdout);
    let docs: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(docs, ["u16.txt:1", "u16.txt:1", "u16.txt:3"], "{}", r.stdout);
    let line = rows[1..].iter().map(|r| r[4..7].join("|")).collect::<Vec<_>>();
    assert!(line.iter().all(|l| !l.contains('\u{FFFD}')), "{line:?}");
}

// Item 8, what was left of it: a CoNLL-U file is read in pieces, a
// sentence at a time (it was read whole): a sentence longer than the
// document limit (12 MiB of token lines) and one with a token line
// longer than it (80 MiB, read past) are skipped and counted, under a
// 160 MiB address-space limit; the sentences around them are read.
#[test]
fn issue_22_conllu_is_read_a_sentence_at_a_time() {
    let dir = tempdir();
    let d = dir.path();
    let mut bytes = b"# sent_id = s1\n# text = awal\n1\tawal\n\n".to_vec();
    bytes.extend(b"# text = kata kata\n");
    let n = (12 << 20) / 7;
    bytes.extend(b"1\tkata\n".repeat(n));
    bytes.extend(b"\n# text = panjang\n1\t");
    bytes.extend(b"k".repeat(80 << 20));
    bytes.extend(b"\n\n# sent_id = s4\n# text = akhir\n1\takhir\n");
    write(d, "x.conllu", &bytes);
    drop(bytes);
    let args = ["kwic", "x.conllu", "akhir|awal", "--format", "tsv"];
    let r = run_limited(d, 160 << 20, 120, &args);
    assert_eq!(r.code, 3, "{}", r.stderr);
    for at in [5, n + 7] {
        let w = format!(
            "x.conllu:{at}: a sentence longer than the document limit of \
             8 MiB (--max-doc-size raises it): record skipped"
        );
        assert!(r.stderr.contains(&w), "{w}: {}", r.stderr);
    }
    assert!(r.stderr.contains("2 record(s) or file(s) skipped"));
    let docs: Vec<String> =
        tsv(&r.stdout).into_iter().skip(1).map(|r| r[0].clone()).collect();
    let last = format!("x.conllu:{}", n + 11);
    assert_eq!(docs, ["x.conllu:2".to_string(), last], "{}", r.stderr);
}

// Item 8, what was left of it: a CSV or TSV record is not held past the
// document limit (the parser kept the whole record): a 96 MiB record,
// or a quote never closed in a 96 MiB file, refuses the file at the
// record's line under a 160 MiB address-space limit, naming the limit
// and the option that raises it; a header past the limit too.
#[test]
fn issue_22_csv_records_are_bounded_by_the_limit() {
    let dir = tempdir();
    let d = dir.path();
    let big = b"kata ".repeat((96 << 20) / 5);
    let mut csv = b"id,text\n1,\"satu dua\"\n2,\"".to_vec();
    csv.extend(&big);
    csv.extend(b"\"\n3,tiga\n");
    write(d, "big.csv", &csv);
    let mut open = b"id,text\n1,satu\n2,\"dua\n".to_vec();
    open.extend(big.iter().map(|&b| if b == b' ' { b'\n' } else { b }));
    write(d, "open.csv", &open);
    let mut tab = b"id\ttext\n1\tsatu\n2\t".to_vec();
    tab.extend(&big);
    write(d, "big.tsv", &tab);
    let mut header = b"id,".to_vec();
    header.extend(vec![b'x'; 9 << 20]);
    header.extend(b"\n1,satu\n");
    write(d, "head.csv", &header);
    drop((big, csv, open, tab, header));
    for (file, at, what) in [
        ("big.csv", "big.csv:3", "a csv record"),
        ("open.csv", "open.csv:3", "a csv record"),
        ("big.tsv", "big.tsv:3", "a tsv record"),
        ("head.csv", "head.csv", "the header is"),
    ] {
        let r =
            run_limited(d, 160 << 20, 120, &["stats", file, "-o", "s.tsv"]);
        assert_eq!(r.code, 2, "{file}: {}", r.stderr);
        let message = format!(
            "korpus: {at}: {what} longer than the document limit of 8 MiB \
             (--max-doc-size raises it"
        );
        assert!(r.stderr.starts_with(&message), "{file}: {}", r.stderr);
        assert!(!d.join("s.tsv").exists(), "{file}");
    }
    // Under the limit, the same shapes are read as before.
    write(d, "small.csv", b"id,text\n1,\"satu dua\"\n2,\"tiga\nempat\"\n");
    let r = run_in(d, &["stats", "small.csv", "--format", "tsv"], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(tsv(&r.stdout)[1][..2], ["2", "4"], "{}", r.stdout);
}
