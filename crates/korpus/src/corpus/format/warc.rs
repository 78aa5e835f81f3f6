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
//! 2xx, as redirects) are passed over and counted, one line per file. A
//! response without an HTML body is skipped with a warning naming the
//! record by its number in the file (1 for the first) and its byte
//! offset.
//!
//! **Resync.** A record cut short (a truncated gzip member, a record
//! whose Content-Length runs into the next one, a file that ends inside
//! a record) or whose header is not one is skipped with one warning,
//! and the reading resumes at the next record: in a plain WARC at the
//! next `WARC/1.0` or `WARC/1.1` line after the bad record's first byte
//! (the `Rewind` of `decode.rs` keeps the bytes of the record attempt,
//! so the search starts inside it); in a `.warc.gz`, which the reader
//! hands on compressed, a gzip member at a time (`flate2`'s one-member
//! decoder), at the next gzip header (`1f 8b 08`, reserved flags clear)
//! after the bad member's first byte. A header's bytes may occur by
//! chance inside compressed data (about once in 2^27 positions): a
//! false start fails too, with a warning of its own. A member whose
//! records cannot be parsed (uncompressed fine) is skipped from there to
//! its end.

use std::io::{BufRead, Read};
use std::sync::Arc;

use warc::{BufferedBody, Record, RecordType, WarcHeader, WarcReader};

use super::{Reader, Spec};
use crate::corpus::Warning;
use crate::corpus::decode::Rewind;
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
/// pages: a plain one, or (starting with a gzip header: a `.warc.gz`
/// the reader hands on as it is) a gzip member at a time.
fn read_warc(input: &mut Input<'_>, rdr: &mut dyn BufRead) -> Result<bool> {
    let mut rdr = Rewind::new(rdr);
    let head = rdr.fill_buf().map_err(|e| input.io_error(e))?;
    if head.starts_with(&GZIP) {
        read_members(input, &mut rdr)
    } else {
        read_plain(input, &mut rdr)
    }
}

/// The first bytes of a gzip member (ID1, ID2, CM = deflate).
const GZIP: [u8; 3] = [0x1f, 0x8b, 0x08];

/// Where the next gzip member starts in `bytes`: its magic bytes and a
/// flag byte with the reserved bits clear.
fn next_member(bytes: &[u8]) -> Option<usize> {
    memchr::memmem::find_iter(bytes, &GZIP)
        .find(|&i| bytes.get(i + 3).is_some_and(|f| f & 0xe0 == 0))
}

/// Where the next WARC record starts in `bytes`: a `WARC/1.0` or
/// `WARC/1.1` line (anywhere: a record cut short runs on into the next
/// one without a line end).
fn next_record(bytes: &[u8]) -> Option<usize> {
    memchr::memmem::find_iter(bytes, b"WARC/1.").find(|&i| {
        let rest = &bytes[i + 7..];
        rest.len() >= 3
            && matches!(rest[0], b'0' | b'1')
            && &rest[1..3] == b"\r\n"
    })
}

/// Consumes the line ends before a record; gives whether bytes remain.
fn skip_blank(rdr: &mut Rewind<&mut dyn BufRead>) -> std::io::Result<bool> {
    loop {
        let buf = rdr.fill_buf()?;
        if buf.is_empty() {
            return Ok(false);
        }
        let n = buf.iter().take_while(|b| matches!(b, b'\r' | b'\n')).count();
        if n == 0 {
            return Ok(true);
        }
        rdr.consume(n);
    }
}

/// Reads a plain WARC a record at a time; after a record that cannot be
/// read, from the next `WARC/1.x` line.
fn read_plain(
    input: &mut Input<'_>,
    rdr: &mut Rewind<&mut dyn BufRead>,
) -> Result<bool> {
    let mut number = 0u64;
    while skip_blank(rdr).map_err(|e| input.io_error(e))? {
        number += 1;
        let at = rdr.offset();
        rdr.mark();
        let Some(item) = WarcReader::new(&mut *rdr).iter_records().next()
        else {
            break;
        };
        let alive = match item {
            Ok(record) => read_record(input, record, number, at),
            Err(e) if !is_framing(&e) => {
                // Read to its end, only its header is wrong.
                let w = Warning {
                    location: record_at(input, number, at),
                    message: format!("{}: skipped", record_problem(&e)),
                };
                input.skip(w)
            }
            Err(e) => {
                let found = rdr.resync(next_record, 10);
                let found = found.map_err(|e| input.io_error(e))?;
                let what = record_problem(&e);
                input.skip(skipped(input, number, at, &what, found, "record"))
            }
        };
        if !alive {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Reads a `.warc.gz` a gzip member at a time (one record each, as the
/// standard has it, or more); after a member that cannot be
/// uncompressed, from the next gzip header. A member whose records
/// cannot be parsed is skipped from there to its end.
fn read_members(
    input: &mut Input<'_>,
    rdr: &mut Rewind<&mut dyn BufRead>,
) -> Result<bool> {
    let mut number = 0u64;
    loop {
        let head = rdr.fill_buf().map_err(|e| input.io_error(e))?;
        if head.is_empty() {
            return Ok(true);
        }
        let at = rdr.offset();
        rdr.mark();
        let (alive, bad) = read_member(input, rdr, &mut number, at);
        if !alive {
            return Ok(false);
        }
        if let Some(what) = bad {
            number += 1;
            let found = rdr.resync(next_member, 4);
            let found = found.map_err(|e| input.io_error(e))?;
            let w = skipped(input, number, at, &what, found, "gzip member");
            if !input.skip(w) {
                return Ok(false);
            }
        }
    }
}

/// Reads the records of the gzip member at `at`: whether the receiver
/// is still there, and what is wrong with the member if it cannot be
/// uncompressed (or does not start with a gzip header).
fn read_member(
    input: &mut Input<'_>,
    rdr: &mut Rewind<&mut dyn BufRead>,
    number: &mut u64,
    at: u64,
) -> (bool, Option<String>) {
    let starts = rdr.fill_buf().is_ok_and(|b| b.starts_with(&GZIP));
    if !starts {
        return (true, Some("not a gzip member".to_string()));
    }
    let gz = flate2::bufread::GzDecoder::new(&mut *rdr);
    let mut members = std::io::BufReader::new(gz);
    loop {
        let item = WarcReader::new(&mut members).iter_records().next();
        let record = match item {
            None => return (true, None),
            Some(Ok(record)) => record,
            Some(Err(warc::Error::ReadData(io))) => {
                return (true, Some(gzip_problem(&io)));
            }
            Some(Err(e)) if !is_framing(&e) => {
                *number += 1;
                let w = Warning {
                    location: record_at(input, *number, at),
                    message: format!("{}: skipped", record_problem(&e)),
                };
                if !input.skip(w) {
                    return (false, None);
                }
                continue;
            }
            Some(Err(e)) => {
                *number += 1;
                // The rest of the member: to its end, or a bad member.
                if let Err(io) =
                    std::io::copy(&mut members, &mut std::io::sink())
                {
                    return (true, Some(gzip_problem(&io)));
                }
                let what = format!(
                    "{} (and the rest of its gzip member)",
                    record_problem(&e)
                );
                let w = Warning {
                    location: record_at(input, *number, at),
                    message: format!("{what}: skipped"),
                };
                if !input.skip(w) {
                    return (false, None);
                }
                return (true, None);
            }
        };
        *number += 1;
        if !read_record(input, record, *number, at) {
            return (false, None);
        }
    }
}

/// What is wrong with a gzip member that gave `io`.
fn gzip_problem(io: &std::io::Error) -> String {
    format!(
        "cut short ({io}; a truncated or corrupt gzip member, or a read error)"
    )
}

/// The warning for record (or member) `number` at byte `at`, not read
/// for `what`, and where the reading resumes (`found`).
fn skipped(
    input: &Input<'_>,
    number: u64,
    at: u64,
    what: &str,
    found: Option<u64>,
    unit: &str,
) -> Warning {
    let rest = match found {
        Some(next) => {
            format!("; reading resumes at the next {unit}, byte {next}")
        }
        None => format!("; no {unit} after it"),
    };
    Warning {
        location: record_at(input, number, at),
        message: format!("{what}: skipped{rest}"),
    }
}

/// `path: record N (byte B)`.
fn record_at(input: &Input<'_>, number: u64, at: u64) -> String {
    format!("{}: record {number} (byte {at})", input.source.display)
}

/// Whether `e` leaves the reader where the record's end is not known
/// (cut short, a block longer than said, no header), as opposed to a
/// record read to its end with a header field wrong.
fn is_framing(e: &warc::Error) -> bool {
    matches!(
        e,
        warc::Error::ReadData(_)
            | warc::Error::UnexpectedEOB
            | warc::Error::ReadOverflow
            | warc::Error::ParseHeaders(_)
    )
}

/// What a record that cannot be read has.
fn record_problem(e: &warc::Error) -> String {
    match e {
        warc::Error::ReadData(io) => format!(
            "cut short ({io}; a truncated or corrupt gzip member, or a read \
             error)"
        ),
        warc::Error::UnexpectedEOB => {
            "cut short: the file ends before the record's Content-Length"
                .to_string()
        }
        warc::Error::ReadOverflow => {
            "its block does not end where its Content-Length says".to_string()
        }
        warc::Error::ParseHeaders(_) => "not a WARC record header".to_string(),
        other => format!("a malformed WARC header ({other})"),
    }
}

/// Hands on one record: a page if it is an HTML response, a warning if
/// a response without a body, else counted as passed over.
fn read_record(
    input: &mut Input<'_>,
    record: Record<BufferedBody>,
    number: u64,
    at: u64,
) -> bool {
    let is_http = record.header(WarcHeader::ContentType).is_some_and(|t| {
        t.to_ascii_lowercase().starts_with("application/http")
    });
    if *record.warc_type() != RecordType::Response || !is_http {
        input.pass_over();
        return true;
    }
    let location = record_at(input, number, at);
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
    use std::io::Read;

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

    /// Rows: (bytes, where the next record starts).
    #[test]
    fn record_starts() {
        let rows: [(&[u8], Option<usize>); 6] = [
            (b"WARC/1.0\r\nWARC-Type", Some(0)),
            (b"cut shortWARC/1.1\r\n", Some(9)),
            (b"xx\nWARC/1.0\r", None),
            (b"WARC/2.0\r\n WARC/1.0\r\n", Some(11)),
            (b"WARC/1.0\n", None),
            (b"", None),
        ];
        for (bytes, want) in rows {
            assert_eq!(next_record(bytes), want, "{bytes:?}");
        }
        let members: [(&[u8], Option<usize>); 4] = [
            (&[0x1f, 0x8b, 0x08, 0x00], Some(0)),
            (&[0, 0x1f, 0x8b, 0x08, 0xe0, 0x1f, 0x8b, 0x08, 0x04], Some(5)),
            (&[0x1f, 0x8b, 0x08], None),
            (&[0x1f, 0x8b, 0x07, 0x00], None),
        ];
        for (bytes, want) in members {
            assert_eq!(next_member(bytes), want, "{bytes:?}");
        }
    }

    /// A resync goes back to one byte past the mark and finds the next
    /// start there, or further on, across the reader's buffers; the
    /// offsets count the stream's bytes.
    #[test]
    fn rewind_resyncs_inside_and_past_the_record() {
        use std::io::BufReader;
        let text = b"WARC/1.0\r\nbadWARC/1.1\r\nrest".as_slice();
        // A 3-byte buffer: matches span the reader's refills.
        let mut r = Rewind::new(BufReader::with_capacity(3, text));
        r.mark();
        let mut sink = Vec::new();
        r.read_to_end(&mut sink).unwrap();
        assert_eq!(r.offset(), text.len() as u64);
        assert_eq!(r.resync(next_record, 10).unwrap(), Some(13));
        let mut rest = Vec::new();
        r.read_to_end(&mut rest).unwrap();
        assert_eq!(rest, b"WARC/1.1\r\nrest");
        // Nothing consumed since the mark: the search steps past it.
        let mut r = Rewind::new(BufReader::with_capacity(3, text));
        r.mark();
        assert_eq!(r.resync(next_record, 10).unwrap(), Some(13));
        // No record after the mark: the end of the stream.
        let mut r = Rewind::new(BufReader::with_capacity(4, &text[..12]));
        r.mark();
        assert_eq!(r.resync(next_record, 10).unwrap(), None);
        assert_eq!(r.offset(), 12);
    }
}
