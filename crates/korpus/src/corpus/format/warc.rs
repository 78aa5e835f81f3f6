//! WARC archives (ISO 28500; `.warc`, and `.warc.gz` with a gzip member
//! per record, uncompressed as it is read like any `.gz`): every
//! `response` record whose HTTP body is HTML is a web page, read by the
//! HTML format (`html.rs`), with the record's `url` (`WARC-Target-URI`),
//! `date` (`WARC-Date`, as written) and `warc_record` (`WARC-Record-ID`)
//! as fields before the page's own.
//!
//! Records are parsed by the `warc` crate one at a time, so memory is
//! bounded by the largest record, not the file. Other records (warcinfo,
//! request, metadata, a response of another type, or whose status is not
//! 2xx, as redirects) are passed over and counted, one line per file. A response without an HTML body is
//! skipped with a warning naming the record by its number in the file
//! (1 for the first); a record cut short (a truncated gzip member, a
//! file that ends inside a record) or malformed is skipped with a
//! warning, and the rest of the file with it when the next record
//! cannot be found.

use std::io::{BufRead, Read};
use std::sync::Arc;

use warc::{BufferedBody, Record, RecordType, WarcHeader, WarcReader};

use super::{Reader, Spec};
use crate::corpus::Warning;
use crate::corpus::input::{Input, Page};
use crate::error::Result;

/// The WARC format.
pub(super) const SPEC: Spec = Spec {
    name: "warc",
    extensions: &["warc"],
    sniff: Some(|head| head.starts_with(b"WARC/")),
    reader: Reader::Stream(read_warc),
};

/// Reads the records of a WARC file, handing on its HTML responses as
/// pages.
fn read_warc(input: &mut Input<'_>, rdr: &mut dyn BufRead) -> Result<bool> {
    let mut number = 0u64;
    for item in WarcReader::new(rdr).iter_records() {
        number += 1;
        let alive = match item {
            Ok(record) => read_record(input, record, number),
            Err(e) => {
                let (what, stop) = record_problem(&e);
                let rest =
                    if stop { ", and the rest of the file" } else { "" };
                let w = Warning {
                    location: record_at(input, number),
                    message: format!("{what}: skipped{rest}"),
                };
                if stop {
                    return Ok(input.skip(w));
                }
                input.skip(w)
            }
        };
        if !alive {
            return Ok(false);
        }
    }
    Ok(true)
}

/// `path: record N`.
fn record_at(input: &Input<'_>, number: u64) -> String {
    format!("{}: record {number}", input.source.display)
}

/// What a record that cannot be read has, and whether the reading must
/// stop (the next record's start is not known).
fn record_problem(e: &warc::Error) -> (String, bool) {
    match e {
        warc::Error::ReadData(io) => (
            format!(
                "cut short ({io}; a truncated or corrupt gzip member, or a \
                 read error)"
            ),
            true,
        ),
        warc::Error::UnexpectedEOB => (
            "cut short: the file ends before the record's Content-Length"
                .to_string(),
            true,
        ),
        warc::Error::ReadOverflow => (
            "its block does not end where its Content-Length says".to_string(),
            true,
        ),
        warc::Error::ParseHeaders(_) => {
            ("not a WARC record header".to_string(), true)
        }
        other => (format!("a malformed WARC header ({other})"), false),
    }
}

/// Hands on one record: a page if it is an HTML response, a warning if
/// a response without a body, else counted as passed over.
fn read_record(
    input: &mut Input<'_>,
    record: Record<BufferedBody>,
    number: u64,
) -> bool {
    let is_http = record.header(WarcHeader::ContentType).is_some_and(|t| {
        t.to_ascii_lowercase().starts_with("application/http")
    });
    if *record.warc_type() != RecordType::Response || !is_http {
        input.pass_over();
        return true;
    }
    let location = record_at(input, number);
    let no_body = |what: &str| Warning {
        location: location.clone(),
        message: format!("a response with {what}: skipped"),
    };
    let Some(http) = HttpResponse::parse(record.body()) else {
        return input.skip(no_body("no HTTP response in its block"));
    };
    if !http.is_html() || !(200..300).contains(&http.status) {
        input.pass_over();
        return true;
    }
    let body = match http.payload() {
        Ok(b) if !b.trim_ascii().is_empty() => b,
        Ok(_) => return input.skip(no_body("no HTML body")),
        Err(e) => return input.skip(no_body(&format!("a body that {e}"))),
    };
    let mut meta = input.base_meta();
    let header = |h| record.header(h).map(|v| v.trim().to_string());
    let fields = [
        ("url", header(WarcHeader::TargetURI)),
        ("date", header(WarcHeader::Date)),
        ("warc_record", Some(record.warc_id().to_string())),
    ];
    for (name, value) in fields {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            meta.push((Arc::from(name), v));
        }
    }
    let page = Page {
        id: format!("{}#{number}", input.source.display),
        meta,
        bytes: body,
        http_charset: http.content_type.clone(),
        location,
    };
    input.page(page)
}

/// An HTTP response as a WARC `response` record holds it.
struct HttpResponse<'a> {
    /// The status code (0 if the status line has none).
    status: u16,
    content_type: Option<String>,
    chunked: bool,
    /// `Content-Encoding`, lower case (`gzip`, `deflate`, `identity`).
    encoding: Option<String>,
    body: &'a [u8],
}

impl<'a> HttpResponse<'a> {
    /// The status line and headers of `block`, and the body after them;
    /// `None` without a status line or the blank line that ends the
    /// headers.
    fn parse(block: &'a [u8]) -> Option<HttpResponse<'a>> {
        if !block.starts_with(b"HTTP/") {
            return None;
        }
        let end = memchr::memmem::find(block, b"\r\n\r\n")
            .map(|p| (p, p + 4))
            .or_else(|| {
                memchr::memmem::find(block, b"\n\n").map(|p| (p, p + 2))
            })?;
        let head = String::from_utf8_lossy(&block[..end.0]);
        let status =
            head.split_whitespace().nth(1).and_then(|c| c.parse().ok());
        let mut resp = HttpResponse {
            status: status.unwrap_or(0),
            content_type: None,
            chunked: false,
            encoding: None,
            body: &block[end.1..],
        };
        for line in head.lines().skip(1) {
            let Some((name, value)) = line.split_once(':') else {
                continue;
            };
            let value = value.trim();
            match name.trim().to_ascii_lowercase().as_str() {
                "content-type" => resp.content_type = Some(value.to_string()),
                "transfer-encoding" => {
                    resp.chunked = value.eq_ignore_ascii_case("chunked");
                }
                "content-encoding" => {
                    resp.encoding = Some(value.to_ascii_lowercase());
                }
                _ => {}
            }
        }
        Some(resp)
    }

    /// Whether the body is HTML (`text/html` or XHTML), by its
    /// `Content-Type`, or without one by its first bytes.
    fn is_html(&self) -> bool {
        match &self.content_type {
            Some(t) => {
                let t = t.to_ascii_lowercase();
                t.starts_with("text/html")
                    || t.starts_with("application/xhtml+xml")
            }
            None => super::html::looks_like_html(self.body),
        }
    }

    /// The body without its transfer and content encodings, or what is
    /// wrong with it.
    fn payload(&self) -> std::result::Result<Vec<u8>, String> {
        let body = if self.chunked {
            dechunk(self.body).ok_or("has a broken chunked encoding")?
        } else {
            self.body.to_vec()
        };
        let mut out = Vec::new();
        let r = match self.encoding.as_deref() {
            None | Some("identity") | Some("") => return Ok(body),
            Some("gzip") | Some("x-gzip") => {
                flate2::read::MultiGzDecoder::new(&body[..])
                    .read_to_end(&mut out)
            }
            Some("deflate") => {
                flate2::read::ZlibDecoder::new(&body[..]).read_to_end(&mut out)
            }
            Some(other) => {
                return Err(format!("is in Content-Encoding '{other}'"));
            }
        };
        r.map(|_| out).map_err(|e| format!("cannot be uncompressed ({e})"))
    }
}

/// The data of an HTTP chunked body (trailers ignored); `None` if a
/// chunk size is not hexadecimal or a chunk is cut short.
fn dechunk(mut body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    loop {
        let eol = memchr::memchr(b'\n', body)?;
        let line = std::str::from_utf8(&body[..eol]).ok()?;
        let size = line.split(';').next()?.trim();
        let size = usize::from_str_radix(size, 16).ok()?;
        body = &body[eol + 1..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(body.get(..size)?);
        body = body.get(size..)?;
        body = body.strip_prefix(b"\r\n").or(body.strip_prefix(b"\n"))?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunked_bodies() {
        // (body, data)
        let rows: [(&[u8], Option<&[u8]>); 4] = [
            (b"4\r\nWiki\r\n5;x=1\r\npedia\r\n0\r\n\r\n", Some(b"Wikipedia")),
            (b"0\r\n\r\n", Some(b"")),
            (b"zz\r\nab\r\n", None),
            (b"9\r\nshort\r\n", None),
        ];
        for (body, want) in rows {
            assert_eq!(dechunk(body).as_deref(), want, "{body:?}");
        }
    }

    #[test]
    fn http_responses() {
        let block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; \
            charset=ISO-8859-1\r\nContent-Length: 4\r\n\r\n<p>x";
        let r = HttpResponse::parse(block).unwrap();
        assert!(r.is_html());
        assert_eq!(r.status, 200);
        let moved = b"HTTP/1.1 301 Moved Permanently\r\nLocation: /b\r\n\r\n";
        assert_eq!(HttpResponse::parse(moved).unwrap().status, 301);
        assert_eq!(
            r.content_type.as_deref(),
            Some("text/html; charset=ISO-8859-1")
        );
        assert_eq!(r.payload().unwrap(), b"<p>x");
        let json =
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{}";
        assert!(!HttpResponse::parse(json).unwrap().is_html());
        assert!(HttpResponse::parse(b"GET / HTTP/1.1\r\n\r\n").is_none());
        assert!(HttpResponse::parse(b"HTTP/1.1 200 OK\r\nX: y").is_none());
    }
}
