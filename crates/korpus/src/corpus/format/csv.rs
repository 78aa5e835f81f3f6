//! CSV and TSV with a header row: one document per record, its text the
//! column named by `--text-field`, the other columns its metadata. CSV
//! quotes with `"`; TSV has no quoting. A [`CsvWatch`] sees the bytes
//! the parser reads, for the line numbers (lone CRs end lines) and for
//! a quote never closed, after which the rest is read again as records.

use std::io::{self, BufRead, BufReader, Read};
use std::sync::Arc;

use super::{Meta, Reader, Spec};
use crate::corpus::input::{Input, NulGuard, human_bytes};
use crate::corpus::{Document, Warning};
use crate::error::{Error, Result};

/// The CSV format.
pub(super) const CSV: Spec = Spec {
    name: "csv",
    extensions: &["csv"],
    sniff: None,
    reader: Reader::Stream(read_csv),
};

/// The TSV format.
pub(super) const TSV: Spec = Spec {
    name: "tsv",
    extensions: &["tsv"],
    sniff: None,
    reader: Reader::Stream(read_tsv),
};

fn read_csv(input: &mut Input<'_>, rdr: &mut dyn BufRead) -> Result<bool> {
    read(input, rdr, false)
}

fn read_tsv(input: &mut Input<'_>, rdr: &mut dyn BufRead) -> Result<bool> {
    read(input, rdr, true)
}

/// Reads a CSV file, or a TSV one if `tsv`. NULs are looked for as the
/// bytes are read (the CSV reader would hold a record of `/dev/zero`
/// until memory ran out).
fn read(
    input: &mut Input<'_>,
    rdr: &mut dyn BufRead,
    tsv: bool,
) -> Result<bool> {
    let nul = std::rc::Rc::new(std::cell::Cell::new(None));
    let guard = NulGuard { inner: rdr, at: 0, nul: nul.clone() };
    let rdr = BufReader::with_capacity(1 << 16, guard);
    let r = read_records(input, rdr, tsv);
    match nul.get() {
        Some(p) => Ok(input.binary(p)),
        None => r,
    }
}

/// A CSV reader of `rdr`, with a header row or not.
fn builder(tsv: bool, has_headers: bool) -> ::csv::ReaderBuilder {
    let mut b = ::csv::ReaderBuilder::new();
    b.delimiter(if tsv { b'\t' } else { b',' })
        .quoting(!tsv)
        .flexible(!has_headers)
        .has_headers(has_headers);
    b
}

/// Reads the header, then the records: those after a quote never closed
/// again as records (without a header), until no quote is left open.
fn read_records<R: Read>(
    input: &mut Input<'_>,
    rdr: R,
    tsv: bool,
) -> Result<bool> {
    let limit = input.opts.max_doc_bytes;
    let watch = CsvWatch::new(rdr, !tsv).limit(limit);
    let mut csv = builder(tsv, true).from_reader(watch);
    let Some(mut part) = header(input, &mut csv, tsv)? else {
        return Ok(false);
    };
    let mut next = match part.records(input, &mut csv)? {
        CsvEnd::Stop => return Ok(false),
        CsvEnd::Done => return Ok(true),
        CsvEnd::Unclosed(rest) => rest,
    };
    loop {
        let (bytes, line, byte) = next;
        let end =
            memchr::memchr2(b'\n', b'\r', &bytes).map_or(bytes.len(), |i| {
                i + 1
                    + usize::from(
                        bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n'),
                    )
            });
        let rest = bytes[end..].to_vec();
        part.first_line = line + 1;
        part.first_byte = byte + end as u64;
        let watch = CsvWatch::new(io::Cursor::new(rest), !tsv).limit(limit);
        let mut csv = builder(tsv, false).from_reader(watch);
        next = match part.records(input, &mut csv)? {
            CsvEnd::Stop => return Ok(false),
            CsvEnd::Done => return Ok(true),
            CsvEnd::Unclosed(rest) => rest,
        };
    }
}

/// Reads the header row: the columns and the text column, a column
/// named twice warned about. `None` if the receiver hung up; an error
/// if the header cannot be read or has no text column.
fn header<R: Read>(
    input: &mut Input<'_>,
    csv: &mut ::csv::Reader<CsvWatch<R>>,
    tsv: bool,
) -> Result<Option<CsvPart>> {
    let display = &input.source.display;
    let input_err =
        |message: String| Error::Input { path: display.clone(), message };
    let headers = match csv.byte_headers().cloned() {
        Ok(headers) => headers,
        Err(_) if csv.get_ref().too_long.is_some() => {
            return Err(input_err(format!(
                "the header is longer than the document limit of {} \
                 (--max-doc-size raises it): file refused",
                human_bytes(input.limit())
            )));
        }
        Err(e) => {
            return Err(input_err(format!("cannot read the header: {e}")));
        }
    };
    // (The watch reads ahead of the parser: a quote open past the
    // header is a record's.)
    let header_end = csv.position().byte();
    if let Some((_, line)) =
        csv.get_ref().unclosed().filter(|&(at, _)| at < header_end)
    {
        return Err(input_err(format!(
            "the header opens a quote at line {line} that is never closed"
        )));
    }
    let names: Vec<String> = headers
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim().to_string())
        .collect();
    let text_field = &input.opts.text_field;
    let Some(text_col) = names.iter().position(|n| n == text_field) else {
        return Err(input_err(format!(
            "no column '{text_field}' (columns: {}); name the text column with --text-field",
            names.join(", ")
        )));
    };
    if !warn_repeated(input, &names) {
        return Ok(None);
    }
    Ok(Some(CsvPart {
        tsv,
        base: input.base_meta(),
        keys: names.iter().map(|n| Arc::from(n.as_str())).collect(),
        text_col,
        first_line: 1,
        first_byte: 0,
    }))
}

/// Warns of each column named more than once; false if the receiver
/// hung up.
fn warn_repeated(input: &Input<'_>, names: &[String]) -> bool {
    for (i, name) in names.iter().enumerate() {
        if let Some(first) = names[..i].iter().position(|n| n == name) {
            let w = Warning {
                location: input.at(1),
                message: format!(
                    "the header names column '{name}' twice (columns {} and \
                     {}): --text-field, --where and --by use the first",
                    first + 1,
                    i + 1
                ),
            };
            if !input.warn(w) {
                return false;
            }
        }
    }
    true
}

/// How reading a run of CSV records ended.
enum CsvEnd {
    /// The receiver hung up.
    Stop,
    /// At the end of the file.
    Done,
    /// At the end of the file inside a quote: the bytes from the quote
    /// on, its line and its byte offset.
    Unclosed((Vec<u8>, u64, u64)),
}

/// The records of a CSV or TSV file, or of its part after a quote never
/// closed (line and byte numbers start at `first_line`, `first_byte`).
struct CsvPart {
    /// TSV, not CSV.
    tsv: bool,
    base: Meta,
    keys: Vec<Arc<str>>,
    text_col: usize,
    first_line: u64,
    first_byte: u64,
}

/// A record read but not yet handed on: the last one of a file is
/// dropped if a quote in it is never closed.
enum CsvHeld {
    Doc(Document),
    Skip(Warning),
}

impl CsvPart {
    /// The format's name.
    fn name(&self) -> &'static str {
        if self.tsv { "tsv" } else { "csv" }
    }

    /// Reads the records, each handed on after the next is read (the
    /// last one is dropped if a quote in it is never closed).
    fn records<R: Read>(
        &mut self,
        input: &mut Input<'_>,
        csv: &mut ::csv::Reader<CsvWatch<R>>,
    ) -> Result<CsvEnd> {
        let mut record = ::csv::ByteRecord::new();
        let mut held: Option<(CsvHeld, u64)> = None;
        while let Some(next) = self.next_record(input, csv, &mut record)? {
            if let Some((h, _)) = held.replace(next)
                && !hand_on(input, h)
            {
                return Ok(CsvEnd::Stop);
            }
        }
        let watch = csv.get_mut();
        let Some((byte, line)) = watch.unclosed() else {
            if let Some((h, _)) = held
                && !hand_on(input, h)
            {
                return Ok(CsvEnd::Stop);
            }
            return Ok(CsvEnd::Done);
        };
        let (byte, line) =
            (self.first_byte + byte, self.first_line - 1 + line);
        let start = held.map_or(line, |(_, l)| l);
        let within = if start == line {
            String::new()
        } else {
            format!(" (in the record of line {start})")
        };
        let message = format!(
            "a quote opened at line {line}{within} is never closed: record \
             skipped; the lines after line {line} are read again as records"
        );
        if !input.skip(Warning { location: input.at(start), message }) {
            return Ok(CsvEnd::Stop);
        }
        Ok(CsvEnd::Unclosed((
            std::mem::take(&mut watch.since_open),
            line,
            byte,
        )))
    }

    /// Reads the next record into a document, or the warning of why it
    /// is skipped, with its line; `None` at the end.
    fn next_record<R: Read>(
        &self,
        input: &mut Input<'_>,
        csv: &mut ::csv::Reader<CsvWatch<R>>,
        record: &mut ::csv::ByteRecord,
    ) -> Result<Option<(CsvHeld, u64)>> {
        let e = match csv.read_byte_record(record) {
            Ok(false) => return Ok(None),
            Ok(true) => {
                let pos = record
                    .position()
                    .cloned()
                    .unwrap_or_else(::csv::Position::new);
                let line = self.line_of(csv, &pos);
                let byte = self.first_byte + pos.byte();
                if record.len() == self.keys.len() {
                    let doc = self.document(input, record, line, byte)?;
                    return Ok(Some((CsvHeld::Doc(doc), line)));
                }
                let message = format!(
                    "malformed {} record: found record with {} fields, but \
                     the header has {}: record skipped",
                    self.name(),
                    record.len(),
                    self.keys.len()
                );
                let w = Warning { location: input.at(line), message };
                return Ok(Some((CsvHeld::Skip(w), line)));
            }
            Err(e) => e,
        };
        let pos = e.position().cloned().unwrap_or_else(::csv::Position::new);
        let line = self.line_of(csv, &pos);
        if let Some(at) = csv.get_ref().too_long {
            return Err(self.too_long(input, at));
        }
        if let ::csv::ErrorKind::Io(_) = e.kind() {
            return Err(Error::Input {
                path: input.source.display.clone(),
                message: format!("read error near line {line}: {e}"),
            });
        }
        let message =
            format!("malformed {} record: {e}: record skipped", self.name());
        let w = Warning { location: input.at(line), message };
        Ok(Some((CsvHeld::Skip(w), line)))
    }

    /// The line of the record at `pos`, counting a lone CR as a line end
    /// (the CSV parser counts LFs only, and from where the record's
    /// reading started).
    fn line_of<R: Read>(
        &self,
        csv: &mut ::csv::Reader<CsvWatch<R>>,
        pos: &::csv::Position,
    ) -> u64 {
        self.first_line - 1 + csv.get_mut().line_at(pos.byte())
    }

    /// The error for a record at watch line `at` longer than the
    /// document limit: the file is refused there, so that no record is
    /// held past the limit (a quote never closed in a file larger than
    /// the limit ends so too).
    fn too_long(&self, input: &Input<'_>, at: u64) -> Error {
        Error::Input {
            path: input.at(self.first_line - 1 + at),
            message: format!(
                "a {} record longer than the document limit of {} \
                 (--max-doc-size raises it{}): file refused",
                self.name(),
                human_bytes(input.limit()),
                if self.tsv {
                    ""
                } else {
                    "; a quote never closed makes the rest of the file one \
                     record"
                }
            ),
        }
    }

    fn document(
        &self,
        input: &mut Input<'_>,
        record: &::csv::ByteRecord,
        line: u64,
        byte: u64,
    ) -> Result<Document> {
        let mut meta = self.base.clone();
        let mut text = String::new();
        for (i, field) in record.iter().enumerate() {
            let value = input.decode(field.to_vec(), byte)?;
            if i == self.text_col {
                text = value;
            } else {
                meta.push((self.keys[i].clone(), value));
            }
        }
        Ok(Document { id: input.at(line), meta, text })
    }
}

/// Hands a record on; false if the receiver hung up.
fn hand_on(input: &mut Input<'_>, held: CsvHeld) -> bool {
    match held {
        CsvHeld::Doc(doc) => input.document(doc),
        CsvHeld::Skip(w) => input.skip(w),
    }
}

/// Watches the bytes the CSV parser reads, which counts LFs only and
/// takes a quote never closed to the end of the file without a word:
/// where lone CRs end lines, and whether (and where) a quote is open.
/// The quoting rules are the parser's (csv-core's, for `"` with doubled
/// quotes): a quote opens only at the start of a field.
struct CsvWatch<R> {
    inner: R,
    quoting: bool,
    /// Bytes seen.
    pos: u64,
    /// Line ends seen (LFs and lone CRs), plus one: the current line.
    line: u64,
    /// Whether the last byte seen was a CR.
    cr: bool,
    state: QuoteState,
    /// The first and last byte of each line end (LF, CRLF, lone CR) the
    /// caller has not yet passed.
    ends: std::collections::VecDeque<(u64, u64)>,
    /// Line ends the caller has passed.
    ends_before: u64,
    /// The byte offset and line of the quote now open.
    open: Option<(u64, u64)>,
    /// The bytes from the open quote on.
    since_open: Vec<u8>,
    /// The longest record allowed, in bytes
    /// ([`ReadOptions::max_doc_bytes`](crate::corpus::ReadOptions)).
    limit: u64,
    /// Where the record being read starts: byte and line.
    record: (u64, u64),
    /// The line of a record found longer than `limit`: reading stops
    /// there with an error, so no record is held past the limit.
    too_long: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum QuoteState {
    StartField,
    InField,
    InQuotes,
    /// A quote inside quotes: the end of the quotes, or the first of
    /// two.
    QuoteInQuotes,
}

impl<R> CsvWatch<R> {
    fn new(inner: R, quoting: bool) -> Self {
        CsvWatch {
            inner,
            quoting,
            pos: 0,
            line: 1,
            cr: false,
            state: QuoteState::StartField,
            ends: Default::default(),
            ends_before: 0,
            open: None,
            since_open: Vec::new(),
            limit: u64::MAX,
            record: (0, 1),
            too_long: None,
        }
    }

    /// Records longer than `bytes` stop the reading (an I/O error).
    fn limit(mut self, bytes: usize) -> Self {
        self.limit = bytes.max(1) as u64;
        self
    }

    /// The line of a record the parser says starts at byte `byte`
    /// (asked in increasing order). The parser starts a record where
    /// the last one ended, at its line end (the LF of a CRLF, empty
    /// lines), so the line ends from there on count too.
    fn line_at(&mut self, byte: u64) -> u64 {
        while self.ends.front().is_some_and(|&(_, e)| e < byte) {
            self.ends.pop_front();
            self.ends_before += 1;
        }
        let (mut at, mut more) = (byte, 0);
        for &(s, e) in &self.ends {
            if s > at || e < at {
                break;
            }
            more += 1;
            at = e + 1;
        }
        1 + self.ends_before + more
    }

    /// Where the quote open at the end of the input opened (byte, line).
    fn unclosed(&self) -> Option<(u64, u64)> {
        self.open.filter(|_| self.state == QuoteState::InQuotes)
    }

    fn watch(&mut self, bytes: &[u8]) {
        use QuoteState::*;
        let delimiter = b',';
        let mut mark = self.open.map(|_| 0);
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            let at = self.pos + i as u64;
            i += 1;
            if self.cr && b != b'\n' {
                self.ends.push_back((at - 1, at - 1));
                self.line += 1;
            }
            if b == b'\n' {
                let start = if self.cr { at - 1 } else { at };
                self.ends.push_back((start, at));
                self.line += 1;
            }
            self.cr = b == b'\r';
            if !self.quoting {
                if b == b'\n' || self.cr {
                    self.record = (at + 1, self.line + u64::from(self.cr));
                }
                if !self.cr {
                    i = skip(memchr::memchr2(b'\n', b'\r', &bytes[i..]), i);
                }
                continue;
            }
            let end = b == b'\n' || b == b'\r';
            self.state = match self.state {
                StartField if b == b'"' => {
                    self.open = Some((at, self.line));
                    self.since_open.clear();
                    mark = Some(i);
                    InQuotes
                }
                StartField | InField | QuoteInQuotes
                    if end || b == delimiter =>
                {
                    StartField
                }
                QuoteInQuotes if b == b'"' => InQuotes,
                StartField | InField | QuoteInQuotes => InField,
                InQuotes if b == b'"' => QuoteInQuotes,
                InQuotes => InQuotes,
            };
            if end && self.state == StartField {
                self.record = (at + 1, self.line + u64::from(self.cr));
            }
            if self.open.is_some()
                && matches!(self.state, StartField | InField)
            {
                self.open = None;
                self.since_open.clear();
                mark = None;
            }
            // Up to the next byte that can change anything (memchr).
            if !self.cr {
                let rest = &bytes[i..];
                i = match self.state {
                    InQuotes => {
                        skip(memchr::memchr3(b'"', b'\n', b'\r', rest), i)
                    }
                    InField => {
                        skip(memchr::memchr3(delimiter, b'\n', b'\r', rest), i)
                    }
                    StartField | QuoteInQuotes => i,
                };
            }
        }
        if let Some(m) = mark {
            self.since_open.extend_from_slice(&bytes[m..]);
        }
        self.pos += bytes.len() as u64;
        if self.pos - self.record.0 > self.limit && self.too_long.is_none() {
            self.too_long = Some(self.record.1);
        }
    }
}

/// Where a scan from `from` stops: at the byte found, or the end.
fn skip(found: Option<usize>, from: usize) -> usize {
    found.map_or(usize::MAX, |k| from + k)
}

impl<R: Read> Read for CsvWatch<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.watch(&buf[..n]);
        match self.too_long {
            Some(line) => Err(io::Error::other(format!(
                "the record at line {line} is longer than the document limit"
            ))),
            None => Ok(n),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// time gives (no skip possible), for any input and chunking.
    #[test]
    fn csv_watch_skips_as_byte_by_byte() {
        use proptest::prelude::*;
        let alphabet = prop::sample::select(b"ab,\"\n\r\t".to_vec());
        let input = (prop::collection::vec(alphabet, 0..200), 1usize..40);
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        runner
            .run(&input, |(bytes, chunk)| {
                for quoting in [true, false] {
                    let mut fast = CsvWatch::new((), quoting);
                    for c in bytes.chunks(chunk) {
                        fast.watch(c);
                    }
                    let mut slow = CsvWatch::new((), quoting);
                    for c in bytes.chunks(1) {
                        slow.watch(c);
                    }
                    prop_assert_eq!(&fast.ends, &slow.ends);
                    prop_assert_eq!(fast.line, slow.line);
                    prop_assert_eq!(fast.state, slow.state);
                    prop_assert_eq!(fast.unclosed(), slow.unclosed());
                    prop_assert_eq!(&fast.since_open, &slow.since_open);
                }
                Ok(())
            })
            .unwrap();
    }

    /// A quote the CSV parser leaves open at the end is one the watch
    /// calls unclosed, and the lines it gives records are right.
    #[test]
    fn csv_watch_agrees_with_the_parser() {
        let rows: [(&[u8], Option<u64>, &[u64]); 6] = [
            (b"a,b\n1,2\n", None, &[2]),
            (b"a,b\r1,\"x\r\ny\"\r\r2,3", None, &[2, 5]),
            (b"a,b\n1,\"x\n2,3\n", Some(2), &[2]),
            (b"a,b\n1,x\"y\n2,3\n", None, &[2, 3]),
            (b"a,b\n1,\"x\"\"\n\"\n", None, &[2]),
            (b"a,b\r\n\r\n1,\"\"\"\r\n", Some(3), &[3]),
        ];
        for (input, open_line, lines) in rows {
            let mut csv = ::csv::ReaderBuilder::new()
                .flexible(true)
                .from_reader(CsvWatch::new(input, true));
            csv.byte_headers().unwrap();
            let mut got = Vec::new();
            let mut record = ::csv::ByteRecord::new();
            while csv.read_byte_record(&mut record).unwrap() {
                let byte = record.position().unwrap().byte();
                got.push(csv.get_mut().line_at(byte));
            }
            let input = String::from_utf8_lossy(input);
            assert_eq!(got, lines, "{input:?}");
            let open = csv.get_ref().unclosed().map(|(_, l)| l);
            assert_eq!(open, open_line, "{input:?}");
        }
    }
}
