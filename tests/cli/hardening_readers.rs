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
