//! What a format's reader reads for and hands on to ([`Input`]), and the
//! helpers the formats share: the metadata every document starts with
//! ([`base_meta`]), reading past a line ([`skip_line`]), stopping at a
//! NUL byte ([`NulGuard`]), and the wording of sizes and binary files.
//!
//! It sits below both the reader thread (`reader`, which gives each
//! [`Input`] its [`Outlet`], the channel to the receiving end) and the
//! formats (`format`, which read through an [`Input`]), and imports
//! neither.

use std::io::{self, BufRead, Read};
use std::sync::Arc;

use super::decode;
use super::walk::path_text;
use super::{Document, ReadOptions, Source, Warning};
use crate::error::{Error, Result};

/// Metadata fields of a document.
pub(super) type Meta = Vec<(Arc<str>, String)>;

/// Where an [`Input`] hands documents, skipped records and warnings on
/// to, in the order they come: the reader thread's channel to the
/// receiving end (see `reader`). Each method returns false when the
/// receiver hung up.
pub(super) trait Outlet {
    /// Hands on a document.
    fn document(&self, doc: Document) -> bool;
    /// Reports a record skipped (or the rest of the file) with `w`.
    fn skip(&self, w: Warning) -> bool;
    /// Reports a warning that skips nothing.
    fn warn(&self, w: Warning) -> bool;
    /// Hands on a web page, to be extracted (in parallel) into a
    /// document or a skip.
    #[cfg_attr(not(feature = "web"), allow(dead_code))]
    fn page(&self, page: Page) -> bool;
}

/// A web page read but not yet extracted: what the HTML format's
/// extraction (`format::extract_page`) turns into a document.
#[derive(Debug)]
#[cfg_attr(not(feature = "web"), allow(dead_code))]
pub(super) struct Page {
    /// The document's id.
    pub(super) id: String,
    /// The fields it starts with (the file's, a WARC record's).
    pub(super) meta: Meta,
    /// The page as stored (in its charset).
    pub(super) bytes: Vec<u8>,
    /// The HTTP `Content-Type` value it came with (a WARC response).
    pub(super) http_charset: Option<String>,
    /// Where its warnings point: `path`, or `path: record N`.
    pub(super) location: String,
}

/// What extracting a page gave: its document, or the warning it was
/// skipped with, and the warnings that skip nothing (a guessed charset).
#[derive(Debug)]
pub(super) struct Extracted {
    pub(super) doc: std::result::Result<Document, Warning>,
    pub(super) warnings: Vec<Warning>,
}

/// What a format's reader reads for and hands on to: the source being
/// read, the options, and the documents, skipped records and warnings
/// it hands on (in the order it hands them on). Each `bool` method
/// returns false when the receiver hung up: the reader then stops and
/// returns `Ok(false)`.
pub(super) struct Input<'a> {
    /// The file being read.
    pub(super) source: &'a Source,
    pub(super) opts: &'a ReadOptions,
    /// Standard input or a FIFO: hand on what has arrived.
    pub(super) stream: bool,
    /// Bytes replaced by U+FFFD in lossy decoding so far.
    replaced: u64,
    /// Metadata blocks not read as fields so far.
    unread: u64,
    /// Records passed over so far (see `InputInfo::passed_over`).
    passed_over: u64,
    outlet: &'a dyn Outlet,
}

impl<'a> Input<'a> {
    /// The input of `source`, handing on to `outlet`.
    pub(super) fn new(
        source: &'a Source,
        opts: &'a ReadOptions,
        stream: bool,
        outlet: &'a dyn Outlet,
    ) -> Self {
        Input {
            source,
            opts,
            stream,
            replaced: 0,
            unread: 0,
            passed_over: 0,
            outlet,
        }
    }

    /// Bytes replaced by U+FFFD in lossy decoding so far.
    pub(super) fn replaced(&self) -> u64 {
        self.replaced
    }

    /// Hands on a document.
    pub(super) fn document(&mut self, doc: Document) -> bool {
        self.outlet.document(doc)
    }

    /// Hands on a web page, to be extracted.
    #[cfg_attr(not(feature = "web"), allow(dead_code))]
    pub(super) fn page(&mut self, page: Page) -> bool {
        self.outlet.page(page)
    }

    /// Counts a record passed over (not a document of the format, and
    /// not a problem: see `InputInfo::passed_over`).
    #[cfg_attr(not(feature = "web"), allow(dead_code))]
    pub(super) fn pass_over(&mut self) {
        self.passed_over += 1;
    }

    /// Records passed over so far.
    pub(super) fn passed_over(&self) -> u64 {
        self.passed_over
    }

    /// Reports a record skipped (or the rest of the file) with `w`.
    pub(super) fn skip(&self, w: Warning) -> bool {
        self.outlet.skip(w)
    }

    /// Reports a warning that skips nothing.
    pub(super) fn warn(&self, w: Warning) -> bool {
        self.outlet.warn(w)
    }

    /// Reports metadata (a front matter block, a key/value table) that
    /// could not be read as fields, with `w`; counted in
    /// [`Input::unread`].
    pub(super) fn metadata_unread(&mut self, w: Warning) -> bool {
        self.unread += 1;
        self.outlet.warn(w)
    }

    /// Metadata blocks not read as fields so far.
    pub(super) fn unread(&self) -> u64 {
        self.unread
    }

    /// Skips the rest of the file as binary: a NUL byte at `offset`.
    pub(super) fn binary(&self, offset: u64) -> bool {
        self.skip(binary_warning(self.source, offset))
    }

    /// Decodes `bytes` (at byte `offset` of the file) as UTF-8, lossily
    /// unless `--strict` (see [`decode::utf8`]).
    pub(super) fn decode(
        &mut self,
        bytes: Vec<u8>,
        offset: u64,
    ) -> Result<String> {
        let (display, strict) = (&self.source.display, self.opts.strict);
        decode::utf8(bytes, display, offset, strict, &mut self.replaced)
    }

    /// A read error of the file.
    pub(super) fn io_error(&self, error: io::Error) -> Error {
        Error::Io { path: self.source.display.clone().into(), error }
    }

    /// `path:line`, the location of line `line`.
    pub(super) fn at(&self, line: u64) -> String {
        format!("{}:{line}", self.source.display)
    }

    /// The metadata every document of the file starts with.
    pub(super) fn base_meta(&self) -> Meta {
        base_meta(self.source)
    }

    /// The largest document held, in bytes (at least 1).
    pub(super) fn limit(&self) -> usize {
        self.opts.max_doc_bytes.max(1)
    }
}

/// The metadata every document of `source` starts with: `path` (as
/// given or walked) and `file` (its file name; `-` for standard input).
pub(super) fn base_meta(source: &Source) -> Meta {
    let file = source
        .path
        .file_name()
        .map(|n| path_text(n.as_ref()))
        .unwrap_or_default();
    let file = if source.display == "-" { "-".to_string() } else { file };
    vec![
        (Arc::from("path"), source.display.clone()),
        (Arc::from("file"), file),
    ]
}

/// How [`skip_line`] stopped.
pub(super) enum LineEnd {
    /// At a line end (LF, CRLF or a lone CR) of this many bytes.
    Lf(u64),
    Eof,
    Nul,
}

/// Reads past the rest of a line: the bytes before its end (an LF; with
/// `cr`, a CRLF or a lone CR too; or the end, or a NUL) and what ended
/// it. Holds nothing.
pub(super) fn skip_line(
    rdr: &mut dyn BufRead,
    cr: bool,
) -> io::Result<(u64, LineEnd)> {
    let mut n = 0u64;
    loop {
        let avail = match rdr.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if avail.is_empty() {
            return Ok((n, LineEnd::Eof));
        }
        let end = if cr {
            memchr::memchr3(b'\n', b'\r', 0, avail)
        } else {
            memchr::memchr2(b'\n', 0, avail)
        };
        match end {
            Some(p) => {
                let byte = avail[p];
                rdr.consume(p + 1);
                let end = match byte {
                    b'\n' => LineEnd::Lf(1),
                    b'\r' => match after_cr(rdr)? {
                        (_, LineEnd::Lf(k)) => LineEnd::Lf(1 + k),
                        _ => LineEnd::Lf(1),
                    },
                    _ => LineEnd::Nul,
                };
                return Ok((n + p as u64, end));
            }
            None => {
                let len = avail.len();
                rdr.consume(len);
                n += len as u64;
            }
        }
    }
}

/// After a CR that ends a line: reads the LF that makes it a CRLF, if
/// one follows. `(0, Lf(1))` for an LF, else `(0, Lf(0))`.
pub(super) fn after_cr(rdr: &mut dyn BufRead) -> io::Result<(u64, LineEnd)> {
    loop {
        match rdr.fill_buf() {
            Ok(b) if b.first() == Some(&b'\n') => {
                rdr.consume(1);
                return Ok((0, LineEnd::Lf(1)));
            }
            Ok(_) => return Ok((0, LineEnd::Lf(0))),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// `n` bytes as MiB (or bytes when smaller than 1 MiB).
pub(super) fn human_bytes(n: usize) -> String {
    if n >= 1 << 20 && n.is_multiple_of(1 << 20) {
        format!("{} MiB", n >> 20)
    } else {
        format!("{n} bytes")
    }
}

/// A reader that stops at the first NUL byte, with an error, and
/// remembers its offset.
pub(super) struct NulGuard<R> {
    pub(super) inner: R,
    /// Bytes passed on.
    pub(super) at: u64,
    /// Where the first NUL is.
    pub(super) nul: std::rc::Rc<std::cell::Cell<Option<u64>>>,
}

impl<R: Read> Read for NulGuard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(p) = memchr::memchr(0, &buf[..n]) {
            self.nul.set(Some(self.at + p as u64));
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "NUL byte",
            ));
        }
        self.at += n as u64;
        Ok(n)
    }
}

/// The warning for a file skipped as binary: a NUL at `offset`.
pub(super) fn binary_warning(source: &Source, offset: u64) -> Warning {
    Warning {
        location: format!("{}: byte {offset}", source.display),
        message: "NUL byte: binary file skipped".to_string(),
    }
}
