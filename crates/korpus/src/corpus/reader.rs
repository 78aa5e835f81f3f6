//! The reader thread and the receiving end of a scan.
//!
//! One thread reads the sources in corpus order (through
//! [`decode`](super::decode)), hands each to its format's reader (see
//! [`format`](super::format)) and sends messages over a bounded channel:
//! batches of whole-file documents, pieces of line-format files (parsed
//! in parallel on the receiving side), skips and warnings. The receiving
//! side counts them into the [`ReadReport`] and hands documents to the
//! caller's sink in corpus order. Nothing is held past
//! [`ReadOptions::max_doc_bytes`]: a longer text file is read as pieces,
//! a longer line or sentence is read past and skipped.

use std::cell::RefCell;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{SyncSender, sync_channel};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use super::decode::{self, Tally, UTF16_STRICT, Utf16Reader, utf16_bom};
use super::derive::Deriver;
use super::format::{Note, ParseLine, Reader, extract_page};
use super::input::{
    Extracted, Input, LineEnd, Outlet, Page, after_cr, base_meta, human_bytes,
    skip_line,
};
use super::walk::detect;
use super::{
    Corpus, Document, InputFormat, InputInfo, ReadOptions, ReadReport, Source,
    Warning,
};
use crate::error::{Error, Result};

/// Whether standard input has been read, and its copy if one is kept
/// ([`Corpus::keep_stdin`]).
#[derive(Debug, Default)]
pub(super) struct StdinState {
    pub(super) read: AtomicBool,
    pub(super) keep: AtomicBool,
    copy: Mutex<Option<File>>,
}

impl StdinState {
    /// Whether a copy of standard input is kept from an earlier scan.
    pub(super) fn is_copied(&self) -> bool {
        self.copy.lock().is_ok_and(|c| c.is_some())
    }
}

/// A line filter of [`Corpus::scan_filtered`].
pub(super) type KeepLine<'a> = Option<&'a (dyn Fn(&str) -> bool + Sync)>;

/// Messages from the reader thread.
enum Msg {
    Docs(Vec<Document>),
    Lines(LineChunk),
    /// Web pages, each with its source's index.
    Pages(Vec<(usize, Page)>),
    Skip(usize, Warning),
    Warn(Warning),
    Done(usize, InputInfo),
    Fail(Error),
}

/// Reads every document of `corpus` in corpus order, handing batches to
/// `sink` and warnings to `warn`, and counts them into `report` (see
/// [`Corpus::scan_filtered`]).
pub(super) fn scan(
    corpus: &Corpus,
    keep_line: KeepLine<'_>,
    warn: &mut dyn FnMut(&Warning),
    sink: &mut dyn FnMut(Vec<Document>) -> Result<()>,
    report: &mut ReadReport,
) -> Result<()> {
    let spare = Spare::default();
    let mut receiving = Receiving {
        corpus,
        keep_line,
        warn,
        sink,
        report,
        fields: crate::hash::new_set(),
        noted: vec![None; corpus.sources.len()],
        spare: &spare,
        derive: Deriver::default(),
    };
    std::thread::scope(|scope| -> Result<()> {
        let (tx, rx) = sync_channel::<Msg>(2);
        let spare = &spare;
        scope.spawn(move || {
            read_all(&corpus.sources, &corpus.opts, &tx, spare, &corpus.stdin)
        });
        // On error, returning drops `rx`, which stops the reader thread
        // at its next send.
        for msg in rx.iter() {
            receiving.handle(msg)?;
        }
        Ok(())
    })?;
    if let Some(w) = receiving.derive.finish() {
        receiving.warning(&w)?;
    }
    receiving.report.derived = receiving.derive.counts.clone();
    let fields = receiving.fields.iter().map(|f| f.to_string()).collect();
    receiving.report.fields = fields;
    Ok(())
}

/// The receiving end of a scan.
struct Receiving<'a> {
    corpus: &'a Corpus,
    keep_line: KeepLine<'a>,
    warn: &'a mut dyn FnMut(&Warning),
    sink: &'a mut dyn FnMut(Vec<Document>) -> Result<()>,
    report: &'a mut ReadReport,
    /// Metadata field names seen.
    fields: crate::hash::Set<Arc<str>>,
    /// Per source, the first record with a note and how many.
    noted: Vec<Option<Noted>>,
    spare: &'a Spare,
    /// The fields derived from metadata (`date`, `source`).
    derive: Deriver,
}

impl Receiving<'_> {
    fn handle(&mut self, msg: Msg) -> Result<()> {
        match msg {
            Msg::Docs(docs) => self.deliver(docs),
            Msg::Lines(chunk) => self.lines(chunk),
            Msg::Pages(pages) => self.pages(pages),
            Msg::Skip(src, w) => self.skip(src, &w),
            Msg::Warn(w) => self.warning(&w),
            Msg::Done(src, info) => self.done(src, info),
            Msg::Fail(e) => Err(e),
        }
    }

    /// A warning: an error under `--strict`.
    fn warning(&mut self, w: &Warning) -> Result<()> {
        if self.corpus.opts.strict {
            return Err(strict_error(w));
        }
        (self.warn)(w);
        Ok(())
    }

    /// A record of source `src` skipped.
    fn skip(&mut self, src: usize, w: &Warning) -> Result<()> {
        if self.corpus.opts.strict {
            return Err(strict_error(w));
        }
        self.report.inputs[src].skipped += 1;
        self.report.skipped_records += 1;
        (self.warn)(w);
        Ok(())
    }

    /// Parses a piece of a line-format file and delivers its documents.
    fn lines(&mut self, chunk: LineChunk) -> Result<()> {
        let src = chunk.src;
        let source = &self.corpus.sources[src];
        let opts = &self.corpus.opts;
        let (parsed, noted) = chunk.parse(source, opts, self.keep_line);
        self.noted[src] = Noted::merge(self.noted[src].take(), noted);
        self.spare.give(chunk.text.into_bytes());
        let mut docs = Vec::with_capacity(parsed.len());
        for item in parsed {
            match item {
                None => self.report.unparsed += 1,
                Some(Ok(doc)) => docs.push(doc),
                Some(Err(w)) => self.skip(src, &w)?,
            }
        }
        self.report.inputs[src].documents += docs.len() as u64;
        self.deliver(docs)
    }

    /// Extracts a batch of web pages in parallel and delivers their
    /// documents, in order; pages without text are skipped.
    fn pages(&mut self, pages: Vec<(usize, Page)>) -> Result<()> {
        let mode = self.corpus.opts.html;
        let done: Vec<(usize, Extracted)> = pages
            .into_par_iter()
            .map(|(src, page)| (src, extract_page(page, mode)))
            .collect();
        let mut docs = Vec::with_capacity(done.len());
        for (src, got) in done {
            for w in &got.warnings {
                self.warning(w)?;
            }
            match got.doc {
                Ok(doc) => {
                    self.report.inputs[src].documents += 1;
                    docs.push(doc);
                }
                Err(w) => self.skip(src, &w)?,
            }
        }
        self.deliver(docs)
    }

    /// The end of source `src`: its counts, and its note.
    fn done(&mut self, src: usize, info: InputInfo) -> Result<()> {
        if let Some(noted) = self.noted[src].take() {
            let w = noted.warning(&self.corpus.sources[src]);
            self.warning(&w)?;
        }
        let entry = &mut self.report.inputs[src];
        entry.format = info.format;
        entry.documents += info.documents;
        entry.bytes = info.bytes;
        entry.replaced_bytes = info.replaced_bytes;
        entry.metadata_unread = info.metadata_unread;
        self.report.metadata_unread += info.metadata_unread;
        entry.sha256 = info.sha256;
        entry.passed_over = info.passed_over;
        self.report.passed_over += info.passed_over;
        if info.passed_over > 0 {
            // A count, not a problem: not an error under --strict.
            (self.warn)(&passed_over_warning(
                &self.corpus.sources[src],
                info.passed_over,
            ));
        }
        Ok(())
    }

    fn deliver(&mut self, mut docs: Vec<Document>) -> Result<()> {
        if let Some(t) = &self.corpus.opts.transform {
            let before = docs.len();
            t.apply(&mut docs);
            self.report.removed += (before - docs.len()) as u64;
        }
        if docs.is_empty() {
            return Ok(());
        }
        self.report.documents += docs.len() as u64;
        let mut docs = docs;
        for doc in &mut docs {
            if let Some(w) = self.derive.derive(doc) {
                self.warning(&w)?;
            }
            for (k, _) in &doc.meta {
                if !self.fields.contains(k) {
                    self.fields.insert(k.clone());
                }
            }
        }
        (self.sink)(docs)
    }
}

/// The one line that counts the records of a file passed over.
fn passed_over_warning(source: &Source, n: u64) -> Warning {
    Warning {
        location: source.display.clone(),
        message: format!(
            "{n} record(s) passed over: not HTML responses (warcinfo, \
             request, metadata, a response of another type or not 2xx)"
        ),
    }
}

/// The error a warning becomes under `--strict`.
pub(super) fn strict_error(w: &Warning) -> Error {
    Error::Input {
        path: w.location.clone(),
        message: format!("{} (an error under --strict)", w.message),
    }
}

/// Batch buffers the parser is done with, for the reader to fill again.
#[derive(Debug, Default)]
struct Spare(Mutex<Vec<Vec<u8>>>);

impl Spare {
    /// A buffer (a new one if none is spare), its bytes to be written
    /// over.
    fn take(&self) -> Vec<u8> {
        let buf = self.0.lock().ok().and_then(|mut v| v.pop());
        buf.unwrap_or_default()
    }

    /// Keeps `buf` for reuse (a few at most: the batches in flight).
    fn give(&self, buf: Vec<u8>) {
        if let Ok(mut v) = self.0.lock()
            && v.len() < 4
        {
            v.push(buf);
        }
    }
}

/// Whole-file documents (text, CSV, CoNLL-U), batched across files.
/// The batch is sent before a piece of a line-format file, so documents
/// arrive in corpus order whatever their formats.
struct Batcher {
    batch_bytes: usize,
    pending: Vec<Document>,
    /// Web pages to extract (only one of `pending` and `pages` holds
    /// anything at a time, so they stay in order).
    pages: Vec<(usize, Page)>,
    bytes: usize,
    /// Documents of the current source.
    count: u64,
}

impl Batcher {
    /// Adds `doc`; false if the receiver hung up.
    fn push(&mut self, doc: Document, tx: &SyncSender<Msg>) -> bool {
        if !self.pages.is_empty() && !self.flush(tx) {
            return false;
        }
        self.count += 1;
        self.bytes += doc.text.len();
        self.pending.push(doc);
        if self.bytes >= self.batch_bytes || self.pending.len() >= 50_000 {
            return self.flush(tx);
        }
        true
    }

    /// Adds a web page of source `src` (its document is counted where
    /// it is extracted); false if the receiver hung up.
    #[cfg_attr(not(feature = "web"), allow(dead_code))]
    fn push_page(
        &mut self,
        src: usize,
        page: Page,
        tx: &SyncSender<Msg>,
    ) -> bool {
        if !self.pending.is_empty() && !self.flush(tx) {
            return false;
        }
        self.bytes += page.bytes.len();
        self.pages.push((src, page));
        if self.bytes >= self.batch_bytes || self.pages.len() >= 1000 {
            return self.flush(tx);
        }
        true
    }

    /// Sends the pending documents or pages; false if the receiver hung
    /// up.
    fn flush(&mut self, tx: &SyncSender<Msg>) -> bool {
        self.bytes = 0;
        if !self.pages.is_empty() {
            let pages = std::mem::take(&mut self.pages);
            return tx.send(Msg::Pages(pages)).is_ok();
        }
        if self.pending.is_empty() {
            return true;
        }
        let docs = std::mem::take(&mut self.pending);
        tx.send(Msg::Docs(docs)).is_ok()
    }
}

/// The channel to the receiving end, for one source: the [`Outlet`]
/// of its [`Input`], and what [`read_lines`] hands its pieces on with.
struct Outgoing<'a> {
    src: usize,
    tx: &'a SyncSender<Msg>,
    spare: &'a Spare,
    batcher: RefCell<&'a mut Batcher>,
}

impl Outlet for Outgoing<'_> {
    fn document(&self, doc: Document) -> bool {
        self.batcher.borrow_mut().push(doc, self.tx)
    }

    fn skip(&self, w: Warning) -> bool {
        self.tx.send(Msg::Skip(self.src, w)).is_ok()
    }

    fn warn(&self, w: Warning) -> bool {
        self.tx.send(Msg::Warn(w)).is_ok()
    }

    fn page(&self, page: Page) -> bool {
        self.batcher.borrow_mut().push_page(self.src, page, self.tx)
    }
}

/// The reader thread: reads every source in order and sends messages.
fn read_all(
    sources: &[Source],
    opts: &ReadOptions,
    tx: &SyncSender<Msg>,
    spare: &Spare,
    stdin: &StdinState,
) {
    let mut batcher = Batcher {
        batch_bytes: opts.batch_bytes,
        pending: Vec::new(),
        pages: Vec::new(),
        bytes: 0,
        count: 0,
    };
    for (src, source) in sources.iter().enumerate() {
        batcher.count = 0;
        let r = open(source, stdin).and_then(|(inner, stream)| {
            let batcher = RefCell::new(&mut batcher);
            let out = Outgoing { src, tx, spare, batcher };
            let input = Input::new(source, opts, stream, &out);
            read_source(input, &out, inner)
        });
        match r {
            Ok(Some(mut info)) => {
                info.documents = batcher.count;
                if tx.send(Msg::Done(src, info)).is_err() {
                    return;
                }
            }
            Ok(None) => return, // the receiver hung up
            Err(e) => {
                let _ = tx.send(Msg::Fail(e));
                return;
            }
        }
    }
    batcher.flush(tx);
}

/// Opens a source: its bytes (only its range's, for a share), and
/// whether it is a stream.
fn open(source: &Source, stdin: &StdinState) -> Result<(Box<dyn Read>, bool)> {
    let io_err = |e: io::Error| Error::Io {
        path: source.display.clone().into(),
        error: e,
    };
    // Standard input is streamed (never spooled to a file), and so is a
    // FIFO: the line formats hand on what has arrived.
    if source.display == "-" {
        return stdin_reader(stdin).map_err(io_err);
    }
    let mut file = File::open(&source.path).map_err(io_err)?;
    let stream = file.metadata().is_ok_and(|m| !m.is_file());
    let limit = match source.range {
        Some(r) => {
            file.seek(io::SeekFrom::Start(r.start)).map_err(io_err)?;
            r.end - r.start
        }
        None => u64::MAX,
    };
    Ok((Box::new(file.take(limit)), stream))
}

/// Reads one opened source. Returns `Ok(None)` when the receiver hung
/// up.
fn read_source(
    mut input: Input<'_>,
    out: &Outgoing<'_>,
    inner: Box<dyn Read>,
) -> Result<Option<InputInfo>> {
    let mut tally = Tally {
        inner,
        bytes: 0,
        hasher: input.opts.checksums.then(Sha256::new),
        progress: input.opts.progress.clone(),
    };
    let mut info = InputInfo::default();
    let (alive, utf16_bad) =
        read_decoded(&mut input, out, &mut tally, &mut info)?;
    if !alive {
        return Ok(None);
    }
    info.bytes = tally.bytes;
    info.sha256 = tally
        .hasher
        .map(|h| h.finalize().iter().map(|b| format!("{b:02x}")).collect());
    info.replaced_bytes = input.replaced();
    info.metadata_unread = input.unread();
    info.passed_over = input.passed_over();
    if info.replaced_bytes > 0 {
        let w = Warning {
            location: input.source.display.clone(),
            message: format!(
                "not valid UTF-8: {} bytes replaced by U+FFFD (use --strict \
                 to refuse such files)",
                info.replaced_bytes
            ),
        };
        if !input.warn(w) {
            return Ok(None);
        }
    }
    // (Reported in the UTF-16 note.)
    info.replaced_bytes += utf16_bad;
    Ok(Some(info))
}

/// Reads a source through its decompression and decoding, in its format
/// (detected from the first bytes decoded). Gives whether the receiver
/// is still there, and the bytes not valid UTF-16 (0 if not UTF-16).
fn read_decoded<R: Read>(
    input: &mut Input<'_>,
    out: &Outgoing<'_>,
    tally: &mut Tally<R>,
    info: &mut InputInfo,
) -> Result<(bool, u64)> {
    let lower = input.source.display.to_ascii_lowercase();
    // A `.warc.gz` goes to the WARC reader as it is: it uncompresses a
    // member at a time, to resync after a bad one.
    let members = input.source.format == Some(InputFormat::Warc)
        && lower.ends_with(".gz")
        && cfg!(feature = "web");
    let raw: Box<dyn Read + '_> = if members {
        Box::new(tally)
    } else {
        decode::uncompressed(&lower, tally)
    };
    let mut rdr = BufReader::with_capacity(1 << 16, raw);
    let head = rdr.fill_buf().map_err(|e| input.io_error(e))?;
    let forced = input.opts.format.is_some();
    let format = detect(input.source.format, forced, head);
    info.format = format.name().to_string();
    if let Some(big_endian) = utf16_bom(head) {
        rdr.consume(2);
        return read_utf16(input, out, rdr, big_endian, info);
    }
    if head.starts_with(b"\xEF\xBB\xBF") {
        rdr.consume(3);
    }
    Ok((read_format(input, out, format, &mut rdr)?, 0))
}

/// Reads UTF-16 with a BOM (after the BOM): decoded as it is read (never
/// whole), then read as UTF-8 like any other (a `.txt` one sniffed on
/// the decoded text). Gives what [`read_decoded`] gives.
fn read_utf16(
    input: &mut Input<'_>,
    out: &Outgoing<'_>,
    rdr: impl Read,
    big_endian: bool,
    info: &mut InputInfo,
) -> Result<(bool, u64)> {
    let bad = std::rc::Rc::new(std::cell::Cell::new((0u64, None)));
    let mut utf16 = Utf16Reader::new(rdr, big_endian, bad.clone());
    utf16.strict = input.opts.strict;
    let mut rdr = BufReader::with_capacity(1 << 16, utf16);
    // (Under --strict, a byte not valid UTF-16 is an error in the first
    // piece too.)
    let r = match rdr.fill_buf() {
        Err(e) => Err(input.io_error(e)),
        Ok(head) => {
            let forced = input.opts.format.is_some();
            let format = detect(input.source.format, forced, head);
            info.format = format.name().to_string();
            read_format(input, out, format, &mut rdr)
        }
    };
    let display = &input.source.display;
    let (n, first) = bad.get();
    if let Some(first) = first.filter(|_| input.opts.strict) {
        return Err(Error::Input {
            path: format!("{display}: byte {}", 2 + first),
            message: UTF16_STRICT.to_string(),
        });
    }
    let alive = r?;
    let message = if n > 0 {
        format!(
            "UTF-16 with a byte order mark: decoded; {n} bytes not valid \
             UTF-16 (the first at byte {}) replaced by U+FFFD (use --strict \
             to refuse such files)",
            2 + first.unwrap_or(0)
        )
    } else {
        "UTF-16 with a byte order mark: decoded".to_string()
    };
    let _ = input.warn(Warning { location: display.clone(), message });
    Ok((alive, n))
}

/// Reads one opened file in `format`, by its reader. Returns false if
/// the receiver hung up.
fn read_format(
    input: &mut Input<'_>,
    out: &Outgoing<'_>,
    format: InputFormat,
    rdr: &mut dyn BufRead,
) -> Result<bool> {
    match format.spec().reader {
        Reader::Lines(parse) => read_lines(input, out, rdr, parse),
        Reader::Stream(read) => read(input, rdr),
    }
}

/// Standard input as it comes, copied on the way if a copy is to be
/// kept; or, once copied, the copy (not a stream).
fn stdin_reader(stdin: &StdinState) -> io::Result<(Box<dyn Read>, bool)> {
    let mut copy = stdin.copy.lock().map_err(|_| io::Error::other("lock"))?;
    if let Some(file) = copy.as_ref() {
        let mut file = file.try_clone()?;
        file.seek(io::SeekFrom::Start(0))?;
        return Ok((Box::new(file), false));
    }
    if !stdin.keep.load(Ordering::Relaxed) {
        return Ok((Box::new(io::stdin()), true));
    }
    // Unnamed: the system removes it when korpus ends, however it ends.
    let file = tempfile::tempfile()?;
    *copy = Some(file.try_clone()?);
    Ok((Box::new(Tee { inner: io::stdin(), copy: file }), true))
}

/// A reader that writes what it reads to `copy`.
struct Tee<R> {
    inner: R,
    copy: File,
}

impl<R: Read> Read for Tee<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        io::Write::write_all(&mut self.copy, &buf[..n])?;
        Ok(n)
    }
}

/// Reads a line-format file (its lines parsed by `parse`) in batches of
/// about [`ReadOptions::batch_bytes`] cut at line ends, each handed on as
/// a [`LineChunk`] to be parsed in parallel on the receiving side.
/// Returns false if the receiver hung up.
fn read_lines(
    input: &mut Input<'_>,
    out: &Outgoing<'_>,
    rdr: &mut dyn BufRead,
    parse: ParseLine,
) -> Result<bool> {
    let range = input.source.range;
    let mut at = LinesAt {
        carry: Vec::new(),
        line: range.map_or(1, |r| r.first_line),
        offset: range.map_or(0, |r| r.start),
    };
    loop {
        let (mut buf, start, eof) = at.fill(input, out, rdr)?;
        if buf.is_empty() {
            break;
        }
        // A NUL is looked for before a long line is carried on, so
        // binary input (`/dev/zero`) stops at its first batch.
        if let Some(p) = memchr::memchr(0, &buf[start..]) {
            return Ok(input.binary(at.offset + (start + p) as u64));
        }
        let cut = if eof {
            buf.len()
        } else {
            match line_cut(&buf) {
                Some(p) => p,
                // A line longer than the document limit: skipped, read
                // past.
                None if buf.len() > input.limit() => {
                    match at.skip_long(input, out, rdr, buf)? {
                        Some(alive) => return Ok(alive),
                        None => continue,
                    }
                }
                None => {
                    at.carry = buf; // a line longer than a batch
                    continue;
                }
            }
        };
        at.carry.extend_from_slice(&buf[cut..]);
        buf.truncate(cut);
        if let Some(alive) = at.hand_on(input, out, buf, parse)? {
            return Ok(alive);
        }
        if eof && at.carry.is_empty() {
            break;
        }
    }
    Ok(true)
}

/// Where a batch not at the end of its file is cut: after its last LF,
/// or without one, after its last CR before the last byte (a lone CR:
/// the byte after it is no LF).
fn line_cut(buf: &[u8]) -> Option<usize> {
    memchr::memrchr(b'\n', buf).map(|p| p + 1).or_else(|| {
        memchr::memrchr(b'\r', &buf[..buf.len() - 1]).map(|p| p + 1)
    })
}

/// Where [`read_lines`] is: the bytes after the last line end handed on,
/// the number of the line they start and their offset in the file.
struct LinesAt {
    carry: Vec<u8>,
    line: u64,
    offset: u64,
}

impl LinesAt {
    /// The next batch: the carried bytes, then up to a batch more (less
    /// for a stream, whose whole lines go on as they come). Gives it,
    /// where the new bytes start, and whether the file ended.
    fn fill(
        &mut self,
        input: &Input<'_>,
        out: &Outgoing<'_>,
        rdr: &mut dyn BufRead,
    ) -> Result<(Vec<u8>, usize, bool)> {
        let want = input.opts.batch_bytes.max(1);
        // A buffer the parser is done with (a new one costs a page fault
        // per 4 KB), or the line too long for a batch.
        let (mut buf, start) = if self.carry.len() >= want {
            let n = self.carry.len();
            (std::mem::take(&mut self.carry), n)
        } else {
            let (mut buf, n) = (out.spare.take(), self.carry.len());
            if buf.len() < n {
                buf.resize(n, 0);
            }
            buf[..n].copy_from_slice(&self.carry);
            self.carry.clear();
            (buf, n)
        };
        // The batch is read into bytes set before (only a new buffer's
        // are zeroed here, once): `read_to_end` would zero each batch's
        // room first.
        let need = start + want;
        if buf.len() < need {
            buf.resize(need, 0);
        }
        let mut filled = start;
        let mut eof = false;
        while filled < need {
            match rdr.read(&mut buf[filled..need]) {
                Ok(0) => {
                    eof = true;
                    break;
                }
                Ok(n) => {
                    filled += n;
                    let new = &buf[filled - n..filled];
                    if input.stream && memchr::memchr(b'\n', new).is_some() {
                        break;
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(input.io_error(e)),
            }
        }
        buf.truncate(filled);
        Ok((buf, start, eof))
    }

    /// Skips the line longer than the document limit that `buf` starts
    /// and reads past its rest. `Some(alive)` if the reading ends there.
    fn skip_long(
        &mut self,
        input: &Input<'_>,
        out: &Outgoing<'_>,
        rdr: &mut dyn BufRead,
        buf: Vec<u8>,
    ) -> Result<Option<bool>> {
        let message = too_long(input.opts.max_doc_bytes);
        if !input.skip(Warning { location: input.at(self.line), message }) {
            return Ok(Some(false));
        }
        self.offset += buf.len() as u64;
        // (A CR last in the batch ended the line.)
        let ended = buf.last() == Some(&b'\r');
        out.spare.give(buf);
        let skipped = if ended { after_cr(rdr) } else { skip_line(rdr, true) };
        let (n, end) = skipped.map_err(|e| input.io_error(e))?;
        match end {
            LineEnd::Lf(k) => self.offset += k,
            LineEnd::Eof => return Ok(Some(true)),
            LineEnd::Nul => return Ok(Some(input.binary(self.offset + n))),
        }
        self.offset += n;
        self.line += 1;
        Ok(None)
    }

    /// Hands on `buf`, whole lines, as a [`LineChunk`] (after the
    /// pending whole-file documents). `Some(alive)` if the reading ends
    /// there (a NUL byte, or the receiver hung up).
    fn hand_on(
        &mut self,
        input: &mut Input<'_>,
        out: &Outgoing<'_>,
        buf: Vec<u8>,
        parse: ParseLine,
    ) -> Result<Option<bool>> {
        // One pass for the NULs, the line ends and the CRs.
        let (mut lfs, mut lone_crs, mut crs) = (Vec::new(), 0u64, false);
        for i in memchr::memchr3_iter(0, b'\r', b'\n', &buf) {
            match buf[i] {
                b'\n' => lfs.push(i),
                b'\r' => {
                    crs = true;
                    lone_crs += (buf.get(i + 1) != Some(&b'\n')) as u64;
                }
                _ => return Ok(Some(input.binary(self.offset + i as u64))),
            }
        }
        let lines_here = lfs.len() as u64 + lone_crs;
        let (cut, replaced) = (buf.len(), input.replaced());
        let text = input.decode(buf, self.offset)?;
        // (Replaced bytes move the line ends.)
        if input.replaced() != replaced {
            lfs = memchr::memchr_iter(b'\n', text.as_bytes()).collect();
        }
        let src = out.src;
        let first_line = self.line;
        let chunk = LineChunk { src, parse, text, first_line, crs, lfs };
        if !out.batcher.borrow_mut().flush(out.tx)
            || out.tx.send(Msg::Lines(chunk)).is_err()
        {
            return Ok(Some(false));
        }
        self.line += lines_here;
        self.offset += cut as u64;
        Ok(None)
    }
}

/// A piece of a line-oriented file (JSONL or Leipzig), cut at a line end.
struct LineChunk {
    src: usize,
    /// The format's reading of a line.
    parse: ParseLine,
    text: String,
    first_line: u64,
    /// Whether the text holds a CR.
    crs: bool,
    /// Where its LFs are.
    lfs: Vec<usize>,
}

/// A line's reading: `None` if a line filter passed over it, else its
/// document or the warning of why it was skipped.
type Parsed = Option<std::result::Result<Document, Warning>>;

impl LineChunk {
    /// The lines that are not blank, with their numbers. Lines end in
    /// LF, CRLF or a lone CR (old Mac files); a lone CR counts as a line
    /// end for the line numbers too.
    fn lines(&self) -> Vec<(u64, &str)> {
        let text = self.text.as_str();
        let mut lines: Vec<(u64, &str)> = Vec::new();
        let mut start = 0;
        let ends = self
            .lfs
            .iter()
            .copied()
            .chain((!text.ends_with('\n')).then_some(text.len()));
        let mut lone_crs = 0u64;
        // (Most files have no CR: their lines are not split at CRs.)
        for (i, end) in ends.enumerate() {
            let line = &text[start..end];
            start = end + 1;
            if !self.crs {
                if !line.trim().is_empty() {
                    lines.push((self.first_line + i as u64, line));
                }
                continue;
            }
            let line = line.trim_end_matches('\r');
            for (k, piece) in line.split('\r').enumerate() {
                if k > 0 {
                    lone_crs += 1;
                }
                if !piece.trim().is_empty() {
                    lines.push((self.first_line + i as u64 + lone_crs, piece));
                }
            }
        }
        lines
    }

    /// Parses the lines in parallel, keeping their order; `None` for a
    /// line `keep_line` rejects. Also gives the first line with a note.
    fn parse(
        &self,
        src: &Source,
        opts: &ReadOptions,
        keep_line: KeepLine<'_>,
    ) -> (Vec<Parsed>, Option<Noted>) {
        let lines = self.lines();
        let base = base_meta(src);
        // (Rare: a lock taken only for such a record.)
        let noted: Mutex<Option<Noted>> = Mutex::new(None);
        let items = lines
            .par_iter()
            .with_min_len(64)
            .map(|&(n, line)| {
                let at = || format!("{}:{n}", src.display);
                if line.len() > opts.max_doc_bytes.max(1) {
                    let message = too_long(opts.max_doc_bytes);
                    return Some(Err(Warning { location: at(), message }));
                }
                if keep_line.is_some_and(|keep| !keep(line)) {
                    return None;
                }
                let mut note = None;
                let r = (self.parse)(line, opts, &base, &mut note);
                if let Some(note) = note
                    && let Ok(mut first) = noted.lock()
                {
                    let one = Noted { line: n, note, records: 1 };
                    *first = Noted::merge(first.take(), Some(one));
                }
                Some(
                    r.map(|(meta, text)| Document { id: at(), meta, text })
                        .map_err(|message| Warning {
                            location: at(),
                            message,
                        }),
                )
            })
            .collect();
        (items, noted.into_inner().ok().flatten())
    }
}

/// The records of a file with a [`Note`]: the first of them (its line
/// and note) and how many.
#[derive(Debug, Clone)]
struct Noted {
    line: u64,
    note: Note,
    records: u64,
}

impl Noted {
    /// Both, the first kept (whatever the order of the threads).
    fn merge(a: Option<Noted>, b: Option<Noted>) -> Option<Noted> {
        match (a, b) {
            (Some(a), Some(b)) => {
                let records = a.records + b.records;
                let first = if b.line < a.line { b } else { a };
                Some(Noted { records, ..first })
            }
            (a, b) => a.or(b),
        }
    }

    /// The warning, once per file.
    fn warning(&self, source: &Source) -> Warning {
        Warning {
            location: format!("{}:{}", source.display, self.line),
            message: format!(
                "{} ({} such record(s) in the file): {}",
                self.note.what, self.records, self.note.then
            ),
        }
    }
}

/// The warning for a line longer than the document limit `max`.
pub(super) fn too_long(max: usize) -> String {
    format!(
        "a line longer than the document limit of {} (--max-doc-size \
         raises it): record skipped",
        human_bytes(max.max(1))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_scan_of_standard_input_is_refused_unless_kept() {
        let corpus =
            Corpus::open(&["-".to_string()], ReadOptions::default()).unwrap();
        // As if it had been read once (without reading the test's own
        // standard input).
        corpus.stdin.read.store(true, Ordering::Relaxed);
        let err = corpus.scan(&mut |_| {}, &mut |_| Ok(())).unwrap_err();
        assert!(matches!(err, Error::Usage(_)), "{err}");
        assert!(err.to_string().contains("can be read only once"), "{err}");
    }
}
