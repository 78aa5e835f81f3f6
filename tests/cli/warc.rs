//! The WARC reader: HTML responses read as pages with the record's
//! fields; other records passed over and counted; a response without a
//! body and a truncated gzip member skipped with a warning each.
//! Every archive is written by the test.

use std::io::Write;
use std::path::Path;

use crate::util::*;

/// One WARC record of `kind` with `block` as its content.
fn record(kind: &str, n: u32, content_type: &str, block: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\n\
         WARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-00000000000{n}>\r\n\
         WARC-Date: 2025-11-0{n}T08:00:00Z\r\n\
         WARC-Target-URI: https://warta.example/berita/{n}\r\n\
         Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

/// An HTTP response with `content_type` and `body`.
fn http(content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\n\
         Content-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

/// A redirect: an HTML response with status 301 (and a little text).
fn http_moved() -> Vec<u8> {
    b"HTTP/1.1 301 Moved Permanently\r\nContent-Type: text/html\r\n\
      Location: /baru\r\n\r\n<html><body><p>Dipindahkan ke halaman baru \
      yang dibuat petugas redaksi.</p></body></html>"
        .to_vec()
}

/// An article page whose paragraphs each hold `word` once.
fn page(word: &str) -> String {
    let para = format!(
        "<p>Warga kampung tepi sungai membersihkan rumah setelah banjir \
         surut, dan {word} dibagikan petugas di balai desa sejak pagi.</p>"
    );
    format!(
        "<!doctype html><html><head><title>Berita {word}</title></head>\
         <body><nav>Beranda Politik</nav><article>{}</article></body></html>",
        para.repeat(3)
    )
}

/// The archive's records: warcinfo, a request, an HTML response, a JSON
/// response, a redirect, an HTML response without a body, and a second
/// HTML page (records 1 to 7; the number in each, a label of its URL,
/// date and id).
fn records() -> Vec<Vec<u8>> {
    let resp = "application/http; msgtype=response";
    vec![
        record(
            "warcinfo",
            1,
            "application/warc-fields",
            b"software: test\r\n",
        ),
        record(
            "request",
            2,
            "application/http; msgtype=request",
            b"GET / HTTP/1.1\r\n\r\n",
        ),
        record(
            "response",
            3,
            resp,
            &http("text/html; charset=utf-8", page("beras").as_bytes()),
        ),
        record("response", 4, resp, &http("application/json", b"{\"a\": 1}")),
        record("response", 8, resp, &http_moved()),
        record("response", 5, resp, &http("text/html", b"")),
        record(
            "response",
            6,
            resp,
            &http("text/html", page("selimut").as_bytes()),
        ),
    ]
}

/// Each record as its own gzip member, the last one cut in half.
fn gzip_members(records: &[Vec<u8>], cut_last: bool) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, r) in records.iter().enumerate() {
        let mut gz = flate2::write::GzEncoder::new(
            Vec::new(),
            flate2::Compression::default(),
        );
        gz.write_all(r).unwrap();
        let mut member = gz.finish().unwrap();
        if cut_last && i == records.len() - 1 {
            member.truncate(member.len() / 2);
        }
        out.extend_from_slice(&member);
    }
    out
}

fn freq(dir: &Path, file: &str) -> Run {
    run_in(dir, &["freq", file, "--format", "tsv"], None)
}

#[test]
fn warc_html_responses_are_pages_and_the_rest_is_counted() {
    let dir = tempdir();
    std::fs::write(dir.path().join("a.warc"), records().concat()).unwrap();
    let r = freq(dir.path(), "a.warc");
    // Record 6 has no body: skipped, so exit 3.
    assert_eq!(r.code, 3, "{}", r.stderr);
    // Records 3 and 7 are read: "warga" in each of 3 paragraphs of 2
    // pages; "beras" in one page, the menu not at all.
    assert_eq!(cell(&r.stdout, "item", "warga", "freq").as_deref(), Some("6"));
    assert_eq!(cell(&r.stdout, "item", "beras", "freq").as_deref(), Some("3"));
    assert_eq!(cell(&r.stdout, "item", "beranda", "freq"), None);
    // The redirect's text is not read.
    assert_eq!(cell(&r.stdout, "item", "dipindahkan", "freq"), None);
    let lines: Vec<&str> = r.stderr.lines().collect();
    // Record 6 starts after the first five.
    let at: usize = records()[..5].iter().map(Vec::len).sum();
    let no_body = format!(
        "korpus: warning: a.warc: record 6 (byte {at}): a response with no \
         HTML body: skipped"
    );
    assert!(lines.contains(&no_body.as_str()), "{}", r.stderr);
    // warcinfo, request, the JSON response and the redirect: one line
    // for the four.
    let over = "a.warc: 4 record(s) passed over: not HTML responses";
    assert_eq!(r.stderr.matches(over).count(), 1, "{}", r.stderr);
    assert_eq!(r.stderr.matches("record 1").count(), 0, "{}", r.stderr);
    // The record's fields, one group per page, in order.
    let by = |field: &str| {
        let args = ["stats", "a.warc", "--by", field];
        let out = run_in(dir.path(), &args, None).stdout;
        tsv(&out)[1..].iter().map(|r| r[0].clone()).collect::<Vec<_>>()
    };
    assert_eq!(
        by("url"),
        ["https://warta.example/berita/3", "https://warta.example/berita/6"]
    );
    assert_eq!(by("date"), ["2025-11-03T08:00:00Z", "2025-11-06T08:00:00Z"]);
    assert_eq!(
        by("warc_record"),
        [
            "<urn:uuid:00000000-0000-4000-8000-000000000003>",
            "<urn:uuid:00000000-0000-4000-8000-000000000006>"
        ]
    );
    assert_eq!(by("title"), ["Berita beras", "Berita selimut"]);
}

#[test]
fn warc_gz_with_a_truncated_last_member() {
    let dir = tempdir();
    let bytes = gzip_members(&records(), true);
    std::fs::write(dir.path().join("a.warc.gz"), bytes).unwrap();
    let r = freq(dir.path(), "a.warc.gz");
    assert_eq!(r.code, 3, "{}", r.stderr);
    // Record 3 is read; record 7 (cut) is not: "warga" 3, "selimut" none.
    assert_eq!(cell(&r.stdout, "item", "warga", "freq").as_deref(), Some("3"));
    assert_eq!(cell(&r.stdout, "item", "selimut", "freq"), None);
    let cut: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| {
            l.starts_with("korpus: warning: a.warc.gz: record 7 (byte ")
                && l.contains("): cut short")
        })
        .collect();
    assert_eq!(cut.len(), 1, "{}", r.stderr);
    assert!(
        cut[0].ends_with("skipped; no gzip member after it"),
        "{}",
        cut[0]
    );
    assert!(
        r.stderr.contains("a.warc.gz: record 6 (byte ")
            && r.stderr.contains("a response with no HTML body")
    );
    // The whole archive, not cut, reads both pages, the same as plain.
    std::fs::write(
        dir.path().join("b.warc.gz"),
        gzip_members(&records(), false),
    )
    .unwrap();
    std::fs::write(dir.path().join("b.warc"), records().concat()).unwrap();
    let gz = freq(dir.path(), "b.warc.gz");
    assert_eq!(
        cell(&gz.stdout, "item", "warga", "freq").as_deref(),
        Some("6")
    );
    assert_same("gz vs plain", &freq(dir.path(), "b.warc").stdout, &gz.stdout);
}

#[test]
fn warc_pages_are_the_same_on_1_and_4_threads() {
    let dir = tempdir();
    let mut all = Vec::new();
    for i in 0..40 {
        let body = page(&format!("kata{i}"));
        let resp = "application/http; msgtype=response";
        all.push(record(
            "response",
            3,
            resp,
            &http("text/html", body.as_bytes()),
        ));
    }
    std::fs::write(dir.path().join("many.warc"), all.concat()).unwrap();
    let run_with = |threads| {
        let args =
            ["freq", "many.warc", "--threads", threads, "--format", "tsv"];
        let r = run_in(dir.path(), &args, None);
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.stdout
    };
    let one = run_with("1");
    assert_same("--threads 1 vs 4", &one, &run_with("4"));
    // 40 pages of 3 paragraphs, each with "warga" once.
    assert_eq!(cell(&one, "item", "warga", "freq").as_deref(), Some("120"));
}

/// An HTML response record of a page with `word`.
fn page_record(n: u32, word: &str) -> Vec<u8> {
    let resp = "application/http; msgtype=response";
    record("response", n, resp, &http("text/html", page(word).as_bytes()))
}

/// `record` cut to `keep` bytes (its header says more follow).
fn cut(mut record: Vec<u8>, keep: usize) -> Vec<u8> {
    record.truncate(keep);
    record
}

/// The warning lines of `stderr` about `file`'s record `n`.
fn about<'a>(stderr: &'a str, file: &str, n: u32) -> Vec<&'a str> {
    let head = format!("korpus: warning: {file}: record {n} (byte ");
    stderr.lines().filter(|l| l.starts_with(&head)).collect()
}

/// A plain WARC with a record cut short in the middle (its
/// Content-Length runs into the next record) and a header that is not
/// one: each skipped with one warning naming its byte offset and where
/// the reading resumes; the records after them are read.
#[test]
fn warc_resyncs_after_a_bad_record() {
    let dir = tempdir();
    let recs = [
        page_record(1, "beras"),
        cut(page_record(2, "gandum"), 400),
        page_record(3, "selimut"),
        b"NOT-WARC/9 nothing here\r\n\r\n".to_vec(),
        page_record(5, "jagung"),
    ];
    std::fs::write(dir.path().join("a.warc"), recs.concat()).unwrap();
    let r = freq(dir.path(), "a.warc");
    assert_eq!(r.code, 3, "{}", r.stderr);
    for word in ["beras", "selimut", "jagung"] {
        let got = cell(&r.stdout, "item", word, "freq");
        assert_eq!(got.as_deref(), Some("3"), "{word}: {}", r.stderr);
    }
    assert_eq!(cell(&r.stdout, "item", "gandum", "freq"), None);
    let at = |i: usize| recs[..i].iter().map(Vec::len).sum::<usize>();
    for (n, i) in [(2, 1), (4, 3)] {
        let lines = about(&r.stderr, "a.warc", n);
        assert_eq!(lines.len(), 1, "record {n}: {}", r.stderr);
        let head = format!("a.warc: record {n} (byte {}): ", at(i));
        let tail = format!(
            "skipped; reading resumes at the next record, byte {}",
            at(i + 1)
        );
        assert!(lines[0].contains(&head), "{}", lines[0]);
        assert!(lines[0].ends_with(&tail), "{}", lines[0]);
    }
    // Two skipped records in the summary.
    assert!(
        r.stderr.contains("korpus: 2 record(s) or file(s) skipped"),
        "{}",
        r.stderr
    );
}

/// A `.warc.gz` (a gzip member per record) with a member cut in half
/// and a member whose deflate data is overwritten, in the middle: each
/// skipped with one warning naming the member's byte offset; reading
/// resumes at the next gzip header, so the records after them are read.
#[test]
fn warc_gz_resyncs_at_the_next_member() {
    let dir = tempdir();
    let words = ["beras", "gandum", "selimut", "kedelai", "jagung"];
    let mut members: Vec<Vec<u8>> = words
        .iter()
        .zip(1..)
        .map(|(w, n)| gzip_members(&[page_record(n, w)], false))
        .collect();
    let half = members[1].len() / 2;
    members[1].truncate(half);
    for b in &mut members[3][20..60] {
        *b = 0xff;
    }
    std::fs::write(dir.path().join("a.warc.gz"), members.concat()).unwrap();
    let r = freq(dir.path(), "a.warc.gz");
    assert_eq!(r.code, 3, "{}", r.stderr);
    for word in ["beras", "selimut", "jagung"] {
        let got = cell(&r.stdout, "item", word, "freq");
        assert_eq!(got.as_deref(), Some("3"), "{word}: {}", r.stderr);
    }
    for word in ["gandum", "kedelai"] {
        assert_eq!(cell(&r.stdout, "item", word, "freq"), None, "{word}");
    }
    let at = |i: usize| members[..i].iter().map(Vec::len).sum::<usize>();
    for (n, i) in [(2, 1), (4, 3)] {
        let lines = about(&r.stderr, "a.warc.gz", n);
        assert_eq!(lines.len(), 1, "record {n}: {}", r.stderr);
        let head =
            format!("a.warc.gz: record {n} (byte {}): cut short", at(i));
        let tail = format!(
            "skipped; reading resumes at the next gzip member, byte {}",
            at(i + 1)
        );
        assert!(lines[0].contains(&head), "{}", lines[0]);
        assert!(lines[0].ends_with(&tail), "{}", lines[0]);
    }
    assert!(
        r.stderr.contains("korpus: 2 record(s) or file(s) skipped"),
        "{}",
        r.stderr
    );
    // The same records, numbered alike, as the plain archive's.
    let plain: Vec<Vec<u8>> =
        words.iter().zip(1..).map(|(w, n)| page_record(n, w)).collect();
    std::fs::write(dir.path().join("b.warc"), plain.concat()).unwrap();
    let all = freq(dir.path(), "b.warc");
    assert_eq!(
        cell(&all.stdout, "item", "gandum", "freq").as_deref(),
        Some("3")
    );
}
