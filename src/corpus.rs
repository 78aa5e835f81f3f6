//! Reading corpora: walking paths, detecting formats, decoding text, and
//! streaming documents in batches.
//!
//! A corpus is one or more paths: files, directories (walked recursively,
//! in sorted order), or `-` for standard input (streamed as it arrives;
//! see [`Corpus::keep_stdin`] for a second scan). Documents come in that
//! order whatever their formats. Formats are detected from the file name
//! (a `.gz` suffix is decompressed on the fly) and can be forced with
//! [`ReadOptions::format`]:
//!
//! | format | files | one document is |
//! |---|---|---|
//! | text | `.txt`, `.md`, anything named explicitly | the whole file |
//! | leipzig | `.txt` whose first line is `digits<TAB>text` | one line |
//! | jsonl | `.jsonl`, `.ndjson` | one line (a JSON object) |
//! | csv, tsv | `.csv`, `.tsv` (with a header; TSV has no quoting) | one record |
//! | conllu | `.conllu` | one sentence (`# text =`) |
//!
//! Every document has an id (its path, or `path:line`) and metadata: the
//! built-in fields `path` and `file`, plus the other top-level JSON fields
//! or CSV columns, the Leipzig sentence id (`sentence_id`), or the
//! CoNLL-U `sent_id` and `newdoc_id`.
//!
//! [`Corpus::scan`] reads on one thread and hands documents to the caller
//! in batches of about [`ReadOptions::batch_bytes`], in corpus order. A
//! large JSONL or Leipzig file is cut into chunks at line ends and its
//! lines are parsed in parallel, so memory stays at a few batches whatever
//! the corpus size.
//!
//! Bad input never panics and is never dropped silently: invalid UTF-8 is
//! decoded lossily with a warning that counts the replaced bytes, a file
//! with NUL bytes is skipped as binary, a malformed record is skipped with
//! a warning naming `file:line`; each becomes an error with
//! [`ReadOptions::strict`]. The [`ReadReport`] counts all of them.

use std::collections::BTreeSet;
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// One document: an id, metadata fields and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The document's id: its path, or `path:line`.
    pub id: String,
    /// Metadata fields, in the order they were read.
    pub meta: Vec<(Arc<str>, String)>,
    /// The text, as decoded (never otherwise changed).
    pub text: String,
}

impl Document {
    /// The value of metadata field `field`, if the document has it.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.meta.iter().find(|(k, _)| &**k == field).map(|(_, v)| v.as_str())
    }
}

/// A corpus file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// Plain text, one document per file.
    Text,
    /// Leipzig sentence file: `id<TAB>sentence` per line.
    Leipzig,
    /// JSON Lines, one object per line.
    Jsonl,
    /// Comma-separated values with a header.
    Csv,
    /// Tab-separated values with a header, no quoting.
    Tsv,
    /// CoNLL-U, one document per sentence.
    Conllu,
}

impl InputFormat {
    /// Every format, in a fixed order.
    pub const ALL: [InputFormat; 6] = [
        InputFormat::Text,
        InputFormat::Leipzig,
        InputFormat::Jsonl,
        InputFormat::Csv,
        InputFormat::Tsv,
        InputFormat::Conllu,
    ];

    /// The format's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            InputFormat::Text => "text",
            InputFormat::Leipzig => "leipzig",
            InputFormat::Jsonl => "jsonl",
            InputFormat::Csv => "csv",
            InputFormat::Tsv => "tsv",
            InputFormat::Conllu => "conllu",
        }
    }

    /// The format named `name`.
    pub fn from_name(name: &str) -> Option<InputFormat> {
        InputFormat::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The format a file name implies (after removing `.gz`), if any.
    /// `.txt` gives [`InputFormat::Text`]; the reader then checks the
    /// first line for the Leipzig shape.
    pub fn from_file_name(name: &str) -> Option<InputFormat> {
        let lower = name.to_ascii_lowercase();
        let lower = lower
            .strip_suffix(".gz")
            .or_else(|| lower.strip_suffix(".zst"))
            .unwrap_or(&lower);
        let ext = lower.rsplit_once('.').map(|(_, e)| e)?;
        Some(match ext {
            "txt" | "md" | "text" => InputFormat::Text,
            "jsonl" | "ndjson" => InputFormat::Jsonl,
            "csv" => InputFormat::Csv,
            "tsv" => InputFormat::Tsv,
            "conllu" => InputFormat::Conllu,
            _ => return None,
        })
    }
}

/// Options for reading a corpus.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Force this format for every file (otherwise detected per file).
    pub format: Option<InputFormat>,
    /// The JSON field or CSV column that holds the text.
    pub text_field: String,
    /// Turn every warning (lossy decoding, skipped file or record) into
    /// an error.
    pub strict: bool,
    /// Compute a SHA-256 checksum of every input file.
    pub checksums: bool,
    /// The size of one batch of documents, in bytes of text.
    pub batch_bytes: usize,
    /// Bytes read so far (as stored, compressed for .gz and .zst), for a
    /// progress display; updated by the reader thread.
    pub progress: Option<Arc<AtomicU64>>,
    /// Follow symbolic links in directory walks that lead out of the
    /// directory walked (links inside it are always followed).
    pub follow_links: bool,
    /// The largest text document held whole, in bytes: a text file
    /// larger than this is read as pieces of at most this size, cut at a
    /// line end, sentence end or white space, each a document
    /// `path@BYTE` (with a warning; an error if [`ReadOptions::strict`]).
    pub max_doc_bytes: usize,
}

/// The default of [`ReadOptions::max_doc_bytes`]: 8 MiB.
pub const MAX_DOC_BYTES: usize = 8 << 20;

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            format: None,
            text_field: "text".to_string(),
            strict: false,
            checksums: false,
            batch_bytes: 4 << 20,
            progress: None,
            follow_links: false,
            max_doc_bytes: MAX_DOC_BYTES,
        }
    }
}

/// A problem that did not stop the reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// `path`, `path:line` or `path: byte N`.
    pub location: String,
    /// What happened.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// What was read from one input file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InputInfo {
    /// The path as given or walked (`-` for standard input).
    pub path: String,
    /// The format it was read as.
    pub format: String,
    /// Its size in bytes, as stored (compressed if gzip).
    pub bytes: u64,
    /// Documents read from it.
    pub documents: u64,
    /// Records skipped (malformed, or the whole file if binary).
    pub skipped: u64,
    /// Bytes replaced by U+FFFD in lossy decoding.
    pub replaced_bytes: u64,
    /// Its SHA-256, when checksums were asked for.
    pub sha256: Option<String>,
}

/// What a scan read and skipped.
#[derive(Debug, Clone, Default)]
pub struct ReadReport {
    /// One entry per input file, in reading order.
    pub inputs: Vec<InputInfo>,
    /// Documents read.
    pub documents: u64,
    /// Records skipped (malformed records, binary files).
    pub skipped_records: u64,
    /// Files passed over in directory walks (unknown extension, README
    /// or LICENSE, not a regular file, symlink loop).
    pub ignored_files: Vec<String>,
    /// Metadata field names seen in any document.
    pub fields: BTreeSet<String>,
    /// Records of line formats (JSONL, Leipzig) left unparsed because a
    /// line filter ([`Corpus::scan_filtered`]) said they cannot matter.
    pub unparsed: u64,
}

impl ReadReport {
    /// Whether anything was skipped.
    pub fn has_skips(&self) -> bool {
        self.skipped_records > 0
    }

    /// Bytes replaced in lossy decoding, over all files.
    pub fn replaced_bytes(&self) -> u64 {
        self.inputs.iter().map(|i| i.replaced_bytes).sum()
    }
}

/// What one share of a corpus read, in a form that sums over the
/// workers of a distributed run (the `Scan` records of the engines).
#[derive(
    Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize,
)]
pub struct ScanCounts {
    /// Documents read.
    pub documents: u64,
    /// Documents that passed the filter.
    pub kept: u64,
    /// Records skipped.
    pub skipped: u64,
    /// Metadata fields seen, sorted.
    pub fields: Vec<String>,
}

impl ScanCounts {
    /// The counts of `report`, of which `kept` documents passed the
    /// filter.
    pub fn of(report: &ReadReport, kept: u64) -> ScanCounts {
        ScanCounts {
            documents: report.documents,
            kept,
            skipped: report.skipped_records,
            fields: report.fields.iter().cloned().collect(),
        }
    }

    /// Adds `other`.
    pub fn add(&mut self, other: ScanCounts) {
        self.documents += other.documents;
        self.kept += other.kept;
        self.skipped += other.skipped;
        self.fields.extend(other.fields);
        self.fields.sort();
        self.fields.dedup();
    }

    /// Puts the sums into `report`; returns the documents kept.
    pub fn fill(self, report: &mut ReadReport) -> u64 {
        report.documents = self.documents;
        report.skipped_records = self.skipped;
        report.fields = self.fields.into_iter().collect();
        self.kept
    }
}

/// One input file to read.
#[derive(Debug, Clone)]
struct Source {
    path: PathBuf,
    display: String,
    format: Option<InputFormat>,
    /// Only these bytes of the file (a share of a split file).
    range: Option<ByteRange>,
}

/// A part of a line-format file: whole lines from `start` to `end`, the
/// first of them line `first_line` of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ByteRange {
    start: u64,
    end: u64,
    first_line: u64,
}

/// A corpus: the list of input files, resolved once, readable many times.
#[derive(Debug)]
pub struct Corpus {
    sources: Vec<Source>,
    opts: ReadOptions,
    ignored: Vec<String>,
    /// Broken symbolic links met in directory walks: a warning each, and
    /// a skipped file, in every scan.
    broken: Vec<Warning>,
    /// Standard input: streamed, and copied only if asked to.
    stdin: StdinState,
}

/// Whether standard input has been read, and its copy if one is kept
/// ([`Corpus::keep_stdin`]).
#[derive(Debug, Default)]
struct StdinState {
    read: std::sync::atomic::AtomicBool,
    keep: std::sync::atomic::AtomicBool,
    copy: Mutex<Option<File>>,
}

impl Corpus {
    /// Resolves `inputs` (paths, directories, `-`) into a list of files.
    ///
    /// Errors: a path that does not exist or cannot be listed, or a
    /// directory with no usable file.
    pub fn open(inputs: &[String], opts: ReadOptions) -> Result<Corpus> {
        let mut sources = Vec::new();
        let mut ignored = Vec::new();
        let mut broken = Vec::new();
        for input in inputs {
            if input == "-" {
                // Streamed by the reader thread as it is read.
                sources.push(Source {
                    path: PathBuf::from("-"),
                    display: "-".to_string(),
                    format: Some(opts.format.unwrap_or(InputFormat::Text)),
                    range: None,
                });
                continue;
            }
            let path = Path::new(input);
            let meta = std::fs::metadata(path).map_err(|e| Error::Io {
                path: path.to_path_buf(),
                error: e,
            })?;
            if meta.is_dir() {
                let before = sources.len();
                walk(path, &opts, &mut sources, &mut ignored, &mut broken)?;
                if sources.len() == before {
                    return Err(Error::Input {
                        path: input.clone(),
                        message: "directory has no usable files (.txt, .md, \
                                  .jsonl, .ndjson, .csv, .tsv, .conllu, \
                                  optionally .gz)"
                            .to_string(),
                    });
                }
            } else {
                let name =
                    path.file_name().and_then(|n| n.to_str()).unwrap_or("");
                sources.push(Source {
                    path: path.to_path_buf(),
                    display: input.clone(),
                    format: opts
                        .format
                        .or_else(|| InputFormat::from_file_name(name)),
                    range: None,
                });
            }
        }
        Ok(Corpus {
            sources,
            opts,
            ignored,
            broken,
            stdin: StdinState::default(),
        })
    }

    /// Keeps a copy of standard input as the first scan streams it, in
    /// an unnamed temporary file (removed by the system when the process
    /// ends, however it ends), so later scans can read it again: for a
    /// command that reads its corpus more than once. Without it a second
    /// scan of standard input is refused.
    pub fn keep_stdin(&self) {
        self.stdin.keep.store(true, Ordering::Relaxed);
    }

    /// Share `index` of `peers` (0-based) of this corpus, for a worker
    /// of a distributed run: every document is in exactly one share.
    ///
    /// A plain (uncompressed) JSONL or Leipzig file of at least
    /// [`SPLIT_BYTES`] per share is cut into `peers` byte ranges at line
    /// ends, share `i` reading range `i` (document ids keep their line
    /// numbers); every other file goes whole to share `file % peers`.
    /// Standard input cannot be shared.
    pub fn share(&self, index: usize, peers: usize) -> Result<Corpus> {
        let mut sources = Vec::new();
        let mut whole = 0usize;
        for s in &self.sources {
            if s.display == "-" {
                return Err(Error::Usage(
                    "standard input cannot be read by several workers: \
                     name files"
                        .into(),
                ));
            }
            if let Some(range) = split_range(s, &self.opts, index, peers)? {
                if let Some(r) = range {
                    sources.push(Source { range: Some(r), ..s.clone() });
                }
                continue;
            }
            if whole % peers == index {
                sources.push(s.clone());
            }
            whole += 1;
        }
        let (ignored, broken) = if index == 0 {
            (self.ignored.clone(), self.broken.clone())
        } else {
            (Vec::new(), Vec::new())
        };
        Ok(Corpus {
            sources,
            opts: self.opts.clone(),
            ignored,
            broken,
            stdin: StdinState::default(),
        })
    }

    /// Files passed over when the inputs were listed (unknown extension,
    /// README, ...), with the reason.
    pub fn ignored(&self) -> &[String] {
        &self.ignored
    }

    /// The read options.
    pub fn options(&self) -> &ReadOptions {
        &self.opts
    }

    /// The number of input files.
    pub fn file_count(&self) -> usize {
        self.sources.len()
    }

    /// What identifies the inputs' contents: each file's path, size and
    /// the SHA-256 of its bytes as stored, one line each (reading every
    /// file once), so that a file changed with its size and modification
    /// time kept (`cp -p`, `rsync -t`, `tar x`) is told apart; `None` if
    /// an input is a stream (standard input, a FIFO). Errors: a file
    /// that cannot be read.
    pub fn fingerprint(&self) -> Result<Option<String>> {
        let mut out = String::new();
        for s in &self.sources {
            let io = |error| Error::Io { path: s.path.clone(), error };
            if s.display == "-" {
                return Ok(None);
            }
            let m = std::fs::metadata(&s.path).map_err(io)?;
            if !m.is_file() {
                return Ok(None);
            }
            let mut h = Sha256::new();
            let mut f = std::fs::File::open(&s.path).map_err(io)?;
            std::io::copy(&mut f, &mut h).map_err(io)?;
            let sum: String =
                h.finalize().iter().map(|b| format!("{b:02x}")).collect();
            let range =
                s.range.map(|r| format!("\t{r:?}")).unwrap_or_default();
            out.push_str(&format!(
                "{}\t{}\t{sum}{range}\n",
                s.display,
                m.len()
            ));
        }
        Ok(Some(out))
    }

    /// The input files' sizes as stored, summed (0 for standard input
    /// and other streams): the total a progress display counts towards.
    pub fn total_bytes(&self) -> u64 {
        self.sources
            .iter()
            .filter(|s| s.display != "-")
            .filter_map(|s| std::fs::metadata(&s.path).ok())
            .filter(|m| m.is_file())
            .map(|m| m.len())
            .sum()
    }

    /// Reads every document, in corpus order, handing batches to `sink`.
    ///
    /// `warn` is called for each warning, in corpus order. A `sink` error
    /// stops the reading and is returned.
    pub fn scan(
        &self,
        warn: &mut dyn FnMut(&Warning),
        sink: &mut dyn FnMut(Vec<Document>) -> Result<()>,
    ) -> Result<ReadReport> {
        self.scan_filtered(None, warn, sink)
    }

    /// [`Corpus::scan`], but a line of a JSONL or Leipzig file for which
    /// `keep_line(raw line)` is false is neither parsed nor delivered
    /// (nor checked: a malformed line it drops is not reported); it is
    /// counted in [`ReadReport::unparsed`]. For a search whose literal
    /// cannot occur in the line.
    pub fn scan_filtered(
        &self,
        keep_line: Option<&(dyn Fn(&str) -> bool + Sync)>,
        warn: &mut dyn FnMut(&Warning),
        sink: &mut dyn FnMut(Vec<Document>) -> Result<()>,
    ) -> Result<ReadReport> {
        let mut report = ReadReport {
            inputs: self
                .sources
                .iter()
                .map(|s| InputInfo {
                    path: s.display.clone(),
                    ..Default::default()
                })
                .collect(),
            ignored_files: self.ignored.clone(),
            ..Default::default()
        };
        let strict = self.opts.strict;
        let copied = self.stdin.copy.lock().is_ok_and(|c| c.is_some());
        if self.sources.iter().any(|s| s.display == "-")
            && self.stdin.read.swap(true, Ordering::Relaxed)
            && !copied
        {
            return Err(Error::Usage(
                "standard input is streamed and can be read only once, \
                 and this command reads its corpus twice: save it to a \
                 file and name the file"
                    .into(),
            ));
        }
        for w in &self.broken {
            if strict {
                return Err(strict_error(w));
            }
            report.skipped_records += 1;
            warn(w);
        }
        let mut fields: crate::hash::Set<Arc<str>> = crate::hash::new_set();
        let spare = Spare::default();
        let spare = &spare;
        let mut repeated: Vec<Option<Repeated>> =
            vec![None; self.sources.len()];
        std::thread::scope(|scope| -> Result<()> {
            let (tx, rx) = sync_channel::<Msg>(2);
            scope.spawn(move || {
                read_all(&self.sources, &self.opts, &tx, spare, &self.stdin)
            });
            let mut handle =
                |msg: Msg, report: &mut ReadReport| -> Result<()> {
                    match msg {
                        Msg::Docs(docs) => {
                            deliver(docs, report, &mut fields, sink)
                        }
                        Msg::Lines(chunk) => {
                            let src = chunk.src;
                            let (parsed, rep) = chunk.parse(
                                &self.sources[src],
                                &self.opts,
                                keep_line,
                            );
                            repeated[src] =
                                Repeated::merge(repeated[src].take(), rep);
                            spare.give(chunk.text.into_bytes());
                            let mut docs = Vec::with_capacity(parsed.len());
                            for item in parsed {
                                match item {
                                    None => report.unparsed += 1,
                                    Some(Ok(doc)) => docs.push(doc),
                                    Some(Err(w)) => {
                                        if strict {
                                            return Err(strict_error(&w));
                                        }
                                        report.inputs[src].skipped += 1;
                                        report.skipped_records += 1;
                                        warn(&w);
                                    }
                                }
                            }
                            report.inputs[src].documents += docs.len() as u64;
                            deliver(docs, report, &mut fields, sink)
                        }
                        Msg::Skip(src, w) => {
                            if strict {
                                return Err(strict_error(&w));
                            }
                            report.inputs[src].skipped += 1;
                            report.skipped_records += 1;
                            warn(&w);
                            Ok(())
                        }
                        Msg::Warn(w) => {
                            if strict {
                                return Err(strict_error(&w));
                            }
                            warn(&w);
                            Ok(())
                        }
                        Msg::Done(src, info) => {
                            if let Some(r) = repeated[src].take() {
                                let w = r.warning(&self.sources[src]);
                                if strict {
                                    return Err(strict_error(&w));
                                }
                                warn(&w);
                            }
                            let entry = &mut report.inputs[src];
                            entry.format = info.format;
                            entry.documents += info.documents;
                            entry.bytes = info.bytes;
                            entry.replaced_bytes = info.replaced_bytes;
                            entry.sha256 = info.sha256;
                            Ok(())
                        }
                        Msg::Fail(e) => Err(e),
                    }
                };
            receive(&rx, &mut report, &mut handle)
        })?;
        report.fields = fields.iter().map(|f| f.to_string()).collect();
        Ok(report)
    }
}

fn receive(
    rx: &Receiver<Msg>,
    report: &mut ReadReport,
    handle: &mut dyn FnMut(Msg, &mut ReadReport) -> Result<()>,
) -> Result<()> {
    // On error, returning drops `rx`, which stops the reader thread at
    // its next send.
    for msg in rx.iter() {
        handle(msg, report)?;
    }
    Ok(())
}

fn deliver(
    docs: Vec<Document>,
    report: &mut ReadReport,
    fields: &mut crate::hash::Set<Arc<str>>,
    sink: &mut dyn FnMut(Vec<Document>) -> Result<()>,
) -> Result<()> {
    if docs.is_empty() {
        return Ok(());
    }
    report.documents += docs.len() as u64;
    for doc in &docs {
        for (k, _) in &doc.meta {
            if !fields.contains(k) {
                fields.insert(k.clone());
            }
        }
    }
    sink(docs)
}

fn strict_error(w: &Warning) -> Error {
    Error::Input {
        path: w.location.clone(),
        message: format!("{} (an error under --strict)", w.message),
    }
}

/// Messages from the reader thread.
enum Msg {
    Docs(Vec<Document>),
    Lines(LineChunk),
    Skip(usize, Warning),
    Warn(Warning),
    Done(usize, InputInfo),
    Fail(Error),
}

/// A piece of a line-oriented file (JSONL or Leipzig), cut at a line end.
struct LineChunk {
    src: usize,
    format: InputFormat,
    text: String,
    first_line: u64,
    /// Whether the text holds a CR.
    crs: bool,
    /// Where its LFs are.
    lfs: Vec<usize>,
}

impl LineChunk {
    /// Parses the lines in parallel, keeping their order; `None` for a
    /// line `keep_line` rejects. Also gives the JSON objects with a
    /// field name repeated.
    #[allow(clippy::type_complexity)]
    fn parse(
        &self,
        src: &Source,
        opts: &ReadOptions,
        keep_line: Option<&(dyn Fn(&str) -> bool + Sync)>,
    ) -> (Vec<Option<std::result::Result<Document, Warning>>>, Option<Repeated>)
    {
        let text = self.text.as_str();
        let mut lines: Vec<(u64, &str)> = Vec::new();
        let mut start = 0;
        let ends = self
            .lfs
            .iter()
            .copied()
            .chain((!text.ends_with('\n')).then_some(text.len()));
        // Lines end in LF, CRLF or a lone CR (old Mac files); a lone CR
        // counts as a line end for the line numbers too.
        let mut lone_crs = 0u64;
        // (Splitting every line at CRs cost 7% of a search's
        // instructions, in a byte-at-a-time loop; most files have none.)
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
        let path_key: Arc<str> = Arc::from("path");
        let file_key: Arc<str> = Arc::from("file");
        let base = base_meta(src, &path_key, &file_key);
        // (Rare: a lock taken only for such a record.)
        let repeated: Mutex<Option<Repeated>> = Mutex::new(None);
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
                Some(match self.format {
                    InputFormat::Jsonl => {
                        let mut name = None;
                        let r = crate::jsonl::parse_line(
                            line,
                            &opts.text_field,
                            &base,
                            &mut name,
                        );
                        if let Some(name) = name
                            && let Ok(mut rep) = repeated.lock()
                        {
                            let one = Repeated { line: n, name, records: 1 };
                            *rep = Repeated::merge(rep.take(), Some(one));
                        }
                        r.map(|(meta, text)| Document { id: at(), meta, text })
                            .map_err(|message| Warning {
                                location: at(),
                                message,
                            })
                    }
                    _ => match line.split_once('\t') {
                        Some((id, text)) => {
                            let mut meta = base.clone();
                            meta.push((
                                Arc::from("sentence_id"),
                                id.to_string(),
                            ));
                            Ok(Document {
                                id: at(),
                                meta,
                                text: text.to_string(),
                            })
                        }
                        None => Err(Warning {
                            location: at(),
                            message: "not a Leipzig line (id<TAB>sentence): \
                                      record skipped"
                                .to_string(),
                        }),
                    },
                })
            })
            .collect();
        (items, repeated.into_inner().ok().flatten())
    }
}

/// JSON objects of a file that name a field more than once: the first
/// of them (its line and the name) and how many.
#[derive(Debug, Clone)]
struct Repeated {
    line: u64,
    name: String,
    records: u64,
}

impl Repeated {
    /// Both, the first kept (whatever the order of the threads).
    fn merge(a: Option<Repeated>, b: Option<Repeated>) -> Option<Repeated> {
        match (a, b) {
            (Some(a), Some(b)) => {
                let records = a.records + b.records;
                let first = if b.line < a.line { b } else { a };
                Some(Repeated { records, ..first })
            }
            (a, b) => a.or(b),
        }
    }

    fn warning(&self, source: &Source) -> Warning {
        Warning {
            location: format!("{}:{}", source.display, self.line),
            message: format!(
                "field '{}' appears twice in an object ({} such record(s) in \
                 the file): the last value is kept",
                self.name, self.records
            ),
        }
    }
}

fn base_meta(
    src: &Source,
    path_key: &Arc<str>,
    file_key: &Arc<str>,
) -> Vec<(Arc<str>, String)> {
    let file = src
        .path
        .file_name()
        .map(|n| path_text(n.as_ref()))
        .unwrap_or_default();
    let file = if src.display == "-" { "-".to_string() } else { file };
    vec![(path_key.clone(), src.display.clone()), (file_key.clone(), file)]
}

/// A path as text: as it is when it is UTF-8; otherwise each byte that
/// is not UTF-8 is written `\xHH` (and a backslash `\\`), so that names
/// differing only in such bytes keep distinct ids.
fn path_text(path: &Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let bytes = path.as_os_str().as_bytes();
        if let Ok(s) = std::str::from_utf8(bytes) {
            return s.to_string();
        }
        let mut out = String::with_capacity(bytes.len() + 8);
        for chunk in bytes.utf8_chunks() {
            out.push_str(&chunk.valid().replace('\\', "\\\\"));
            for b in chunk.invalid() {
                out.push_str(&format!("\\x{b:02X}"));
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        path.display().to_string()
    }
}

/// Walks `dir` recursively in sorted order, adding usable files.
///
/// Symbolic links are followed inside `dir`; one that leads out of it is
/// passed over with a note unless [`ReadOptions::follow_links`]. A broken
/// link (dangling, or a loop of file links) is passed over with a
/// warning in `broken`; a loop of directory links with a note.
fn walk(
    dir: &Path,
    opts: &ReadOptions,
    sources: &mut Vec<Source>,
    ignored: &mut Vec<String>,
    broken: &mut Vec<Warning>,
) -> Result<()> {
    let root = std::fs::canonicalize(dir)
        .map_err(|e| Error::Io { path: dir.to_path_buf(), error: e })?;
    // Notes from the entry filter and the loop, in walking order.
    let notes = std::cell::RefCell::new(Vec::new());
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            if e.file_name().to_string_lossy().starts_with('.') {
                return false;
            }
            if e.path_is_symlink()
                && !opts.follow_links
                && let Ok(target) = std::fs::canonicalize(e.path())
                && !target.starts_with(&root)
            {
                notes.borrow_mut().push(format!(
                    "{} (a symlink out of the corpus, to {}; \
                     --follow-links follows it)",
                    e.path().display(),
                    target.display()
                ));
                return false;
            }
            true
        });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default();
                if e.loop_ancestor().is_some() {
                    notes.borrow_mut().push(format!("{path} (symlink loop)"));
                    continue;
                }
                let is_link = e.path().is_some_and(|p| {
                    std::fs::symlink_metadata(p)
                        .is_ok_and(|m| m.file_type().is_symlink())
                });
                let io = e
                    .into_io_error()
                    .unwrap_or_else(|| io::Error::other("walk error"));
                if is_link {
                    broken.push(Warning {
                        location: path,
                        message: format!(
                            "broken symbolic link ({io}): passed over"
                        ),
                    });
                    continue;
                }
                return Err(Error::Io { path: path.into(), error: io });
            }
        };
        if entry.file_type().is_dir() {
            continue;
        }
        let display = path_text(entry.path());
        let mut notes = notes.borrow_mut();
        if !entry.file_type().is_file() {
            notes.push(format!("{display} (not a regular file)"));
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        let upper = name.to_ascii_uppercase();
        if upper.starts_with("README") || upper.starts_with("LICENSE") {
            notes.push(format!("{display} (README or LICENSE)"));
            continue;
        }
        match opts.format.or_else(|| InputFormat::from_file_name(&name)) {
            Some(format) => sources.push(Source {
                path: entry.path().to_path_buf(),
                display,
                format: Some(format),
                range: None,
            }),
            None => notes.push(format!("{display} (unknown extension)")),
        }
    }
    ignored.extend(notes.into_inner());
    Ok(())
}

/// Files smaller than this many bytes per share are not split.
pub const SPLIT_BYTES: u64 = 1 << 20;

/// How `source` is split for share `index` of `peers`: `None` if it is
/// not split, `Some(None)` if this share's range is empty, else the
/// range. Ranges start after a line end, so each line is in one share;
/// a line's number is one plus the line ends before it.
fn split_range(
    source: &Source,
    opts: &ReadOptions,
    index: usize,
    peers: usize,
) -> Result<Option<Option<ByteRange>>> {
    let lower = source.display.to_ascii_lowercase();
    if peers < 2
        || source.range.is_some()
        || lower.ends_with(".gz")
        || lower.ends_with(".zst")
    {
        return Ok(None);
    }
    let io_err = |e: io::Error| Error::Io {
        path: source.display.clone().into(),
        error: e,
    };
    let meta = std::fs::metadata(&source.path).map_err(io_err)?;
    let size = meta.len();
    if !meta.is_file() || size < SPLIT_BYTES * peers as u64 {
        return Ok(None);
    }
    let mut file = File::open(&source.path).map_err(io_err)?;
    let mut head = [0u8; 4096];
    let n = read_up_to(&mut file, &mut head).map_err(io_err)?;
    let head = &head[..n];
    let line_format = match source.format {
        Some(InputFormat::Jsonl | InputFormat::Leipzig) => true,
        Some(InputFormat::Text) | None => {
            opts.format.is_none() && looks_leipzig(head)
        }
        _ => false,
    };
    if !line_format || utf16_bom(head).is_some() {
        return Ok(None);
    }
    // The cut before share k: the first line start at or after k·size/P.
    let mut cut = |k: usize| -> io::Result<u64> {
        let nominal = size * k as u64 / peers as u64;
        if k == 0 {
            return Ok(0);
        }
        if k == peers {
            return Ok(size);
        }
        file.seek(io::SeekFrom::Start(nominal - 1))?;
        let mut r = BufReader::with_capacity(1 << 16, &mut file);
        let mut pos = nominal - 1;
        loop {
            let buf = r.fill_buf()?;
            if buf.is_empty() {
                return Ok(size);
            }
            if let Some(i) = memchr::memchr2(b'\n', b'\r', buf) {
                let at = pos + i as u64;
                // A CR followed by LF ends the line after the LF.
                let next = buf.get(i + 1).copied();
                let end = if buf[i] == b'\r' && next == Some(b'\n') {
                    at + 2
                } else if buf[i] == b'\r' && next.is_none() {
                    r.consume(i + 1);
                    let more = r.fill_buf()?;
                    at + 1 + u64::from(more.first() == Some(&b'\n'))
                } else {
                    at + 1
                };
                return Ok(end.min(size));
            }
            pos += buf.len() as u64;
            let len = buf.len();
            r.consume(len);
        }
    };
    let start = cut(index).map_err(io_err)?;
    let end = cut(index + 1).map_err(io_err)?;
    if start >= end {
        return Ok(Some(None));
    }
    // Line number of the first line: line ends before `start`, counted as
    // the reader counts them (LF, and a CR not followed by LF).
    let mut first_line = 1u64;
    if start > 0 {
        file.seek(io::SeekFrom::Start(0)).map_err(io_err)?;
        let mut r = BufReader::with_capacity(1 << 20, (&mut file).take(start));
        let mut last_cr = false;
        loop {
            let buf = r.fill_buf().map_err(io_err)?;
            if buf.is_empty() {
                break;
            }
            if last_cr && buf[0] != b'\n' {
                first_line += 1;
            }
            first_line += memchr::memchr_iter(b'\n', buf).count() as u64;
            first_line += memchr::memchr_iter(b'\r', buf)
                .filter(|&i| i + 1 < buf.len() && buf[i + 1] != b'\n')
                .count() as u64;
            last_cr = buf[buf.len() - 1] == b'\r';
            let len = buf.len();
            r.consume(len);
        }
        if last_cr {
            first_line += 1; // the range starts after a lone CR
        }
    }
    Ok(Some(Some(ByteRange { start, end, first_line })))
}

/// Reads until `buf` is full or the file ends.
fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// A reader that counts (and optionally hashes) the bytes it passes on.
struct Tally<R> {
    inner: R,
    bytes: u64,
    hasher: Option<Sha256>,
    progress: Option<Arc<AtomicU64>>,
}

impl<R: Read> Read for Tally<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes += n as u64;
        if let Some(p) = &self.progress {
            p.fetch_add(n as u64, Ordering::Relaxed);
        }
        if let Some(h) = &mut self.hasher {
            h.update(&buf[..n]);
        }
        Ok(n)
    }
}

/// The bytes of the file at `path`, decompressed when its name ends in
/// `.gz` or `.zst` (every gzip member, every zstd frame), for readers
/// of whole files outside a corpus scan (`eval-tokens`' gold files).
pub fn read_decompressed(path: &Path) -> Result<Vec<u8>> {
    let io_err = |e: io::Error| Error::Io { path: path.into(), error: e };
    let file = File::open(path).map_err(io_err)?;
    let lower = path.to_string_lossy().to_ascii_lowercase();
    let mut rdr: Box<dyn Read> = if lower.ends_with(".gz") {
        Box::new(flate2::read::MultiGzDecoder::new(BufReader::new(file)))
    } else if lower.ends_with(".zst") {
        Box::new(ZstdFrames::new(file))
    } else {
        Box::new(file)
    };
    let mut bytes = Vec::new();
    rdr.read_to_end(&mut bytes).map_err(io_err)?;
    Ok(bytes)
}

/// The largest zstd window (the history a frame may refer back to) a
/// frame may ask for: the decoder holds it in memory. zstd writes at
/// most 8 MiB below level 19 and up to 128 MiB with `--long=27`.
pub const ZSTD_MAX_WINDOW: u64 = ruzstd::decoding::DEFAULT_MAX_WINDOW_SIZE;

/// A zstd stream of any number of frames (as `pzstd`, `cat a.zst b.zst`
/// or appended logs write it), decoded one after the other; skippable
/// frames are skipped. A problem is an `InvalidData` error naming the
/// frame's byte offset in the compressed file.
struct ZstdFrames<R: Read> {
    src: BufReader<Tally<R>>,
    dec: ruzstd::decoding::FrameDecoder,
    /// Whether a frame is being decoded.
    in_frame: bool,
    /// Frames (data or skippable) read so far.
    frames: u64,
    /// Where the current frame starts.
    frame_at: u64,
}

impl<R: Read> ZstdFrames<R> {
    fn new(inner: R) -> Self {
        ZstdFrames {
            src: BufReader::with_capacity(
                1 << 16,
                Tally { inner, bytes: 0, hasher: None, progress: None },
            ),
            dec: ruzstd::decoding::FrameDecoder::new(),
            in_frame: false,
            frames: 0,
            frame_at: 0,
        }
    }

    /// The offset of the next compressed byte.
    fn position(&self) -> u64 {
        self.src.get_ref().bytes - self.src.buffer().len() as u64
    }

    /// Starts the next frame, or skips a skippable one; false at the end
    /// of the stream.
    fn next_frame(&mut self) -> io::Result<bool> {
        use ruzstd::decoding::errors::{
            FrameDecoderError as E, ReadFrameHeaderError as H,
        };
        let at = self.position();
        if self.src.fill_buf()?.is_empty() {
            if self.frames == 0 {
                return Err(zstd_error(
                    "not a zstd stream: the file is empty",
                ));
            }
            return Ok(false);
        }
        self.frame_at = at;
        self.frames += 1;
        match self.dec.init(&mut self.src) {
            Ok(()) => self.in_frame = true,
            Err(E::ReadFrameHeaderError(H::SkipFrame { length, .. })) => {
                let want = u64::from(length);
                let got = io::copy(
                    &mut (&mut self.src).take(want),
                    &mut io::sink(),
                )?;
                if got < want {
                    return Err(zstd_error(format!(
                        "skippable zstd frame at byte {at} is cut short \
                         ({got} of {want} bytes)"
                    )));
                }
            }
            Err(E::WindowSizeTooBig { requested, max }) => {
                return Err(zstd_error(format!(
                    "zstd frame at byte {at} needs a window of {} MiB, over \
                     the limit of {} MiB: recompress without --long or \
                     with --long=27 or less",
                    requested.div_ceil(1 << 20),
                    max >> 20
                )));
            }
            Err(e) => {
                let e = match e {
                    E::ReadFrameHeaderError(h) => h.to_string(),
                    e => e.to_string(),
                };
                if self.frames == 1 {
                    return Err(zstd_error(format!("not a zstd stream: {e}")));
                }
                return Err(zstd_error(format!(
                    "not a zstd frame at byte {at} (frame {}): {e}",
                    self.frames
                )));
            }
        }
        Ok(true)
    }
}

fn zstd_error(message: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message.into())
}

impl<R: Read> Read for ZstdFrames<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            if !self.in_frame {
                if !self.next_frame()? {
                    return Ok(0);
                }
                continue;
            }
            while self.dec.can_collect() == 0 && !self.dec.is_finished() {
                let strategy =
                    ruzstd::decoding::BlockDecodingStrategy::UptoBlocks(1);
                if let Err(e) = self.dec.decode_blocks(&mut self.src, strategy)
                {
                    return Err(zstd_error(format!(
                        "zstd frame at byte {}: {e}",
                        self.frame_at
                    )));
                }
            }
            let n = self.dec.read(buf)?;
            if n > 0 {
                return Ok(n);
            }
            if self.dec.is_finished() && self.dec.can_collect() == 0 {
                self.in_frame = false;
            }
        }
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
struct Batcher<'a> {
    tx: &'a SyncSender<Msg>,
    batch_bytes: usize,
    pending: Vec<Document>,
    bytes: usize,
    /// Documents of the current source.
    count: u64,
}

impl Batcher<'_> {
    /// Adds `doc`; false if the receiver hung up.
    fn push(&mut self, doc: Document) -> bool {
        self.count += 1;
        self.bytes += doc.text.len();
        self.pending.push(doc);
        if self.bytes >= self.batch_bytes || self.pending.len() >= 50_000 {
            return self.flush();
        }
        true
    }

    /// Sends the pending documents; false if the receiver hung up.
    fn flush(&mut self) -> bool {
        self.bytes = 0;
        if self.pending.is_empty() {
            return true;
        }
        let docs = std::mem::take(&mut self.pending);
        self.tx.send(Msg::Docs(docs)).is_ok()
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
        tx,
        batch_bytes: opts.batch_bytes,
        pending: Vec::new(),
        bytes: 0,
        count: 0,
    };
    for (src, source) in sources.iter().enumerate() {
        batcher.count = 0;
        let r = read_source(src, source, opts, tx, spare, stdin, &mut batcher);
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
    batcher.flush();
}

/// Reads one source. Returns `Ok(None)` when the receiver hung up.
fn read_source(
    src: usize,
    source: &Source,
    opts: &ReadOptions,
    tx: &SyncSender<Msg>,
    spare: &Spare,
    stdin: &StdinState,
    batcher: &mut Batcher<'_>,
) -> Result<Option<InputInfo>> {
    let io_err = |e: io::Error| Error::Io {
        path: source.display.clone().into(),
        error: e,
    };
    // Standard input is streamed (never spooled to a file), and so is a
    // FIFO: the line formats hand on what has arrived.
    let (inner, stream): (Box<dyn Read>, bool) = if source.display == "-" {
        stdin_reader(stdin).map_err(io_err)?
    } else {
        let mut file = File::open(&source.path).map_err(io_err)?;
        let stream = file.metadata().is_ok_and(|m| !m.is_file());
        let limit = match source.range {
            Some(r) => {
                file.seek(io::SeekFrom::Start(r.start)).map_err(io_err)?;
                r.end - r.start
            }
            None => u64::MAX,
        };
        (Box::new(file.take(limit)), stream)
    };
    let mut tally = Tally {
        inner,
        bytes: 0,
        hasher: opts.checksums.then(Sha256::new),
        progress: opts.progress.clone(),
    };
    let lower = source.display.to_ascii_lowercase();
    let mut info = InputInfo::default();
    let mut utf16_bad = 0;
    let alive = {
        let raw: Box<dyn Read + '_> = if lower.ends_with(".gz") {
            Box::new(flate2::read::MultiGzDecoder::new(&mut tally))
        } else if lower.ends_with(".zst") {
            Box::new(ZstdFrames::new(&mut tally))
        } else {
            Box::new(&mut tally)
        };
        let mut rdr = BufReader::with_capacity(1 << 16, raw);
        let head = rdr.fill_buf().map_err(io_err)?;
        let utf16 = utf16_bom(head);
        let format = match source.format {
            Some(InputFormat::Text) | None
                if opts.format.is_none() && looks_leipzig(head) =>
            {
                InputFormat::Leipzig
            }
            Some(f) => f,
            None => InputFormat::Text,
        };
        info.format = format.name().to_string();
        if let Some(big_endian) = utf16 {
            // UTF-16 with a BOM: decoded as it is read (never whole),
            // then read as UTF-8 like any other (a `.txt` one sniffed for
            // Leipzig on the decoded text).
            rdr.consume(2);
            let bad = std::rc::Rc::new(std::cell::Cell::new((0u64, None)));
            let mut utf16 = Utf16Reader::new(rdr, big_endian, bad.clone());
            utf16.strict = opts.strict;
            let mut rdr = BufReader::with_capacity(1 << 16, utf16);
            // (Under --strict, a byte not valid UTF-16 is an error in
            // the first piece too.)
            let r = match rdr.fill_buf() {
                Err(e) => Err(io_err(e)),
                Ok(head) => {
                    let format = match source.format {
                        Some(InputFormat::Text) | None
                            if opts.format.is_none()
                                && looks_leipzig(head) =>
                        {
                            InputFormat::Leipzig
                        }
                        _ => format,
                    };
                    info.format = format.name().to_string();
                    let ctx = Ctx { src, source, opts, tx, spare, stream };
                    read_format(&ctx, format, rdr, batcher, &mut info)
                }
            };
            let (n, first) = bad.get();
            if let Some(first) = first.filter(|_| opts.strict) {
                return Err(Error::Input {
                    path: format!("{}: byte {}", source.display, 2 + first),
                    message: UTF16_STRICT.to_string(),
                });
            }
            let alive = r?;
            let message = if n > 0 {
                format!(
                    "UTF-16 with a byte order mark: decoded; {n} bytes not \
                     valid UTF-16 (the first at byte {}) replaced by U+FFFD \
                     (use --strict to refuse such files)",
                    2 + first.unwrap_or(0)
                )
            } else {
                "UTF-16 with a byte order mark: decoded".to_string()
            };
            let _ = tx.send(Msg::Warn(Warning {
                location: source.display.clone(),
                message,
            }));
            utf16_bad = n;
            alive
        } else {
            if head.starts_with(b"\xEF\xBB\xBF") {
                rdr.consume(3);
            }
            let ctx = Ctx { src, source, opts, tx, spare, stream };
            read_format(&ctx, format, rdr, batcher, &mut info)?
        }
    };
    if !alive {
        return Ok(None);
    }
    info.bytes = tally.bytes;
    info.sha256 = tally
        .hasher
        .map(|h| h.finalize().iter().map(|b| format!("{b:02x}")).collect());
    if info.replaced_bytes > 0 {
        let w = Warning {
            location: source.display.clone(),
            message: format!(
                "not valid UTF-8: {} bytes replaced by U+FFFD (use --strict \
                 to refuse such files)",
                info.replaced_bytes
            ),
        };
        if tx.send(Msg::Warn(w)).is_err() {
            return Ok(None);
        }
    }
    // (Reported in the UTF-16 note.)
    info.replaced_bytes += utf16_bad;
    Ok(Some(info))
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

/// What the reading of one source needs.
struct Ctx<'a> {
    src: usize,
    source: &'a Source,
    opts: &'a ReadOptions,
    tx: &'a SyncSender<Msg>,
    spare: &'a Spare,
    /// Standard input or a FIFO: hand on what has arrived.
    stream: bool,
}

/// Reads one opened file in `format`. Returns false if the receiver hung
/// up.
fn read_format<R: BufRead>(
    ctx: &Ctx<'_>,
    format: InputFormat,
    mut rdr: R,
    batcher: &mut Batcher<'_>,
    info: &mut InputInfo,
) -> Result<bool> {
    let Ctx { src, source, opts, tx, spare, stream } = *ctx;
    let io_err = |e: io::Error| Error::Io {
        path: source.display.clone().into(),
        error: e,
    };
    match format {
        InputFormat::Jsonl | InputFormat::Leipzig => {
            let mut carry: Vec<u8> = Vec::new();
            let mut line = source.range.map_or(1, |r| r.first_line);
            let mut offset = source.range.map_or(0, |r| r.start);
            loop {
                let want = opts.batch_bytes.max(1) as u64;
                // A buffer the parser is done with (a new one costs a page
                // fault per 4 KB), or the line too long for a batch.
                let (mut buf, start) = if carry.len() as u64 >= want {
                    let n = carry.len();
                    (std::mem::take(&mut carry), n)
                } else {
                    let (mut buf, n) = (spare.take(), carry.len());
                    if buf.len() < n {
                        buf.resize(n, 0);
                    }
                    buf[..n].copy_from_slice(&carry);
                    carry.clear();
                    (buf, n)
                };
                // The batch is read into bytes set before (only a new
                // buffer's are zeroed here, once): `read_to_end` would
                // zero each batch's room first.
                let need = start + want as usize;
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
                            // A stream's whole lines go on as they come.
                            let new = &buf[filled - n..filled];
                            if stream && memchr::memchr(b'\n', new).is_some() {
                                break;
                            }
                        }
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        Err(e) => return Err(io_err(e)),
                    }
                }
                buf.truncate(filled);
                if buf.is_empty() {
                    break;
                }
                // A NUL is looked for before a long line is carried on,
                // so binary input (`/dev/zero`) stops at its first batch.
                if let Some(p) = memchr::memchr(0, &buf[start..]) {
                    let w =
                        binary_warning(source, offset + (start + p) as u64);
                    return Ok(tx.send(Msg::Skip(src, w)).is_ok());
                }
                let cut = if eof {
                    buf.len()
                } else {
                    // (Without an LF, a lone CR before the last byte
                    // ends a line: the byte after it is no LF.)
                    let lone_cr = || {
                        memchr::memrchr(b'\r', &buf[..buf.len() - 1])
                            .map(|p| p + 1)
                    };
                    match memchr::memrchr(b'\n', &buf).map(|p| p + 1) {
                        Some(p) => p,
                        None if let Some(p) = lone_cr() => p,
                        // A line longer than the document limit: skipped,
                        // read past.
                        None if buf.len() > opts.max_doc_bytes.max(1) => {
                            let w = Warning {
                                location: format!("{}:{line}", source.display),
                                message: too_long(opts.max_doc_bytes),
                            };
                            if tx.send(Msg::Skip(src, w)).is_err() {
                                return Ok(false);
                            }
                            offset += buf.len() as u64;
                            // (A CR last in the batch ended the line.)
                            let ended = buf.last() == Some(&b'\r');
                            spare.give(buf);
                            let (n, end) = if ended {
                                after_cr(&mut rdr).map_err(io_err)?
                            } else {
                                skip_line(&mut rdr, true).map_err(io_err)?
                            };
                            match end {
                                LineEnd::Lf(k) => offset += k,
                                LineEnd::Eof => break,
                                LineEnd::Nul => {
                                    let w = binary_warning(source, offset + n);
                                    return Ok(tx
                                        .send(Msg::Skip(src, w))
                                        .is_ok());
                                }
                            }
                            offset += n;
                            line += 1;
                            continue;
                        }
                        None => {
                            carry = buf; // a line longer than a batch
                            continue;
                        }
                    }
                };
                carry.extend_from_slice(&buf[cut..]);
                buf.truncate(cut);
                // One pass for the NULs, the line ends and the CRs.
                let (mut lfs, mut lone_crs, mut crs) =
                    (Vec::new(), 0u64, false);
                for i in memchr::memchr3_iter(0, b'\r', b'\n', &buf) {
                    match buf[i] {
                        b'\n' => lfs.push(i),
                        b'\r' => {
                            crs = true;
                            lone_crs +=
                                (buf.get(i + 1) != Some(&b'\n')) as u64;
                        }
                        _ => {
                            let w = binary_warning(source, offset + i as u64);
                            return Ok(tx.send(Msg::Skip(src, w)).is_ok());
                        }
                    }
                }
                let lines_here = lfs.len() as u64 + lone_crs;
                let replaced = info.replaced_bytes;
                let text = decode(buf, source, offset, opts.strict, info)?;
                // (Replaced bytes move the line ends.)
                if info.replaced_bytes != replaced {
                    lfs =
                        memchr::memchr_iter(b'\n', text.as_bytes()).collect();
                }
                let chunk = LineChunk {
                    src,
                    format,
                    text,
                    first_line: line,
                    crs,
                    lfs,
                };
                if !batcher.flush() || tx.send(Msg::Lines(chunk)).is_err() {
                    return Ok(false);
                }
                line += lines_here;
                offset += cut as u64;
                if eof && carry.is_empty() {
                    break;
                }
            }
            Ok(true)
        }
        InputFormat::Text => read_text(ctx, rdr, batcher, info),
        InputFormat::Csv | InputFormat::Tsv => {
            // NULs are looked for as the bytes are read (the CSV reader
            // would hold a record of `/dev/zero` until memory ran out).
            let nul = std::rc::Rc::new(std::cell::Cell::new(None));
            let guard = NulGuard { inner: rdr, at: 0, nul: nul.clone() };
            let rdr = BufReader::with_capacity(1 << 16, guard);
            let emit = &mut |doc: Document| batcher.push(doc);
            let r = read_csv(src, source, format, rdr, opts, tx, emit, info);
            match nul.get() {
                Some(p) => {
                    let w = binary_warning(source, p);
                    Ok(tx.send(Msg::Skip(src, w)).is_ok())
                }
                None => r,
            }
        }
        InputFormat::Conllu => {
            let emit = &mut |doc: Document| batcher.push(doc);
            read_conllu(ctx, rdr, emit, info)
        }
    }
}

/// A line of a CoNLL-U file, for [`Conllu::line`].
enum ConlluLine<'a> {
    Line(&'a str),
    /// A line longer than the document limit, read past.
    Long,
    /// The end of the file.
    End,
}

/// The state of reading a CoNLL-U file: the current sentence (the lines
/// between blank lines), its documents held until its end.
struct Conllu<'a> {
    src: usize,
    source: &'a Source,
    tx: &'a SyncSender<Msg>,
    limit: usize,
    base: Vec<(Arc<str>, String)>,
    sent_key: Arc<str>,
    newdoc_key: Arc<str>,
    sent_id: String,
    newdoc: String,
    /// Whether the sentence has a `# text`, and the line of its first
    /// token line.
    has_text: bool,
    first_token: Option<u64>,
    /// Its first line, its bytes, whether past the limit.
    start: Option<u64>,
    bytes: usize,
    over: bool,
    held: Vec<Document>,
}

impl Conllu<'_> {
    /// Takes line `n`; false if the receiver hung up.
    fn line(
        &mut self,
        n: u64,
        line: ConlluLine<'_>,
        emit: &mut dyn FnMut(Document) -> bool,
    ) -> bool {
        let text = match line {
            ConlluLine::Line(l) if !l.trim().is_empty() => l,
            ConlluLine::Long => {
                self.start.get_or_insert(n);
                self.over = true;
                self.held.clear();
                return true;
            }
            _ => return self.end(emit),
        };
        self.start.get_or_insert(n);
        self.bytes += text.len() + 1;
        if self.bytes > self.limit && !self.over {
            self.over = true;
            self.held.clear();
        }
        if !text.starts_with('#') {
            self.first_token.get_or_insert(n);
        }
        if let Some(v) = text.strip_prefix("# newdoc id =") {
            self.newdoc = v.trim().to_string();
        } else if let Some(v) = text.strip_prefix("# sent_id =") {
            self.sent_id = v.trim().to_string();
        } else if let Some(v) = text.strip_prefix("# text =") {
            self.has_text = true;
            if !self.over {
                let mut meta = self.base.clone();
                meta.push((self.sent_key.clone(), self.sent_id.clone()));
                if !self.newdoc.is_empty() {
                    meta.push((self.newdoc_key.clone(), self.newdoc.clone()));
                }
                self.held.push(Document {
                    id: format!("{}:{n}", self.source.display),
                    meta,
                    text: v.trim_start().to_string(),
                });
            }
        }
        true
    }

    /// The end of a sentence: its documents handed on, or it is skipped.
    fn end(&mut self, emit: &mut dyn FnMut(Document) -> bool) -> bool {
        let skip = if self.over {
            self.start.map(|at| Warning {
                location: format!("{}:{at}", self.source.display),
                message: format!(
                    "a sentence longer than the document limit of {} \
                     (--max-doc-size raises it): record skipped",
                    human_bytes(self.limit)
                ),
            })
        } else {
            self.first_token.filter(|_| !self.has_text).map(|at| Warning {
                location: format!("{}:{at}", self.source.display),
                message: "sentence without '# text =': record skipped"
                    .to_string(),
            })
        };
        (self.has_text, self.first_token, self.start) = (false, None, None);
        (self.bytes, self.over) = (0, false);
        if let Some(w) = skip
            && self.tx.send(Msg::Skip(self.src, w)).is_err()
        {
            return false;
        }
        self.held.drain(..).all(&mut *emit)
    }
}

/// Reads a CoNLL-U file in pieces cut at line ends (of about 1 MiB), a
/// sentence at a time: a sentence longer than the document limit is
/// skipped, and a line longer than it read past without being held.
fn read_conllu<R: BufRead>(
    ctx: &Ctx<'_>,
    mut rdr: R,
    emit: &mut dyn FnMut(Document) -> bool,
    info: &mut InputInfo,
) -> Result<bool> {
    let Ctx { src, source, opts, tx, .. } = *ctx;
    let io_err = |e: io::Error| Error::Io {
        path: source.display.clone().into(),
        error: e,
    };
    let mut state = Conllu {
        src,
        source,
        tx,
        limit: opts.max_doc_bytes.max(1),
        base: base_meta(source, &Arc::from("path"), &Arc::from("file")),
        sent_key: Arc::from("sent_id"),
        newdoc_key: Arc::from("newdoc_id"),
        sent_id: String::new(),
        newdoc: String::new(),
        has_text: false,
        first_token: None,
        start: None,
        bytes: 0,
        over: false,
        held: Vec::new(),
    };
    let mut carry: Vec<u8> = Vec::new();
    let (mut line, mut offset) = (0u64, 0u64); // before `carry`
    loop {
        let start = carry.len();
        let mut eof = false;
        while carry.len() < start + (1 << 20) {
            let avail = match rdr.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(io_err(e)),
            };
            if avail.is_empty() {
                eof = true;
                break;
            }
            let n = avail.len().min(start + (1 << 20) - carry.len());
            carry.extend_from_slice(&avail[..n]);
            rdr.consume(n);
        }
        if let Some(p) = memchr::memchr(0, &carry[start..]) {
            let w = binary_warning(source, offset + (start + p) as u64);
            return Ok(tx.send(Msg::Skip(src, w)).is_ok());
        }
        let cut = if eof {
            carry.len()
        } else {
            memchr::memrchr(b'\n', &carry).map_or(0, |p| p + 1)
        };
        if cut == 0 && !eof {
            if carry.len() > state.limit {
                // A line longer than the limit: read past.
                line += 1;
                if !state.line(line, ConlluLine::Long, emit) {
                    return Ok(false);
                }
                offset += carry.len() as u64;
                carry.clear();
                let (n, end) = skip_line(&mut rdr, false).map_err(io_err)?;
                match end {
                    LineEnd::Lf(k) => offset += n + k,
                    LineEnd::Eof => eof = true,
                    LineEnd::Nul => {
                        let w = binary_warning(source, offset + n);
                        return Ok(tx.send(Msg::Skip(src, w)).is_ok());
                    }
                }
            }
            if !eof {
                continue;
            }
        }
        let rest = carry.split_off(cut);
        let piece = std::mem::replace(&mut carry, rest);
        let text = decode(piece, source, offset, opts.strict, info)?;
        offset += cut as u64;
        for l in text.lines() {
            line += 1;
            if !state.line(line, ConlluLine::Line(l), emit) {
                return Ok(false);
            }
        }
        if eof {
            return Ok(state.line(line + 1, ConlluLine::End, emit));
        }
    }
}

/// Reads a text file: one document if it holds at most
/// [`ReadOptions::max_doc_bytes`], else pieces of at most that size, cut
/// after the last line end in the piece's second half, or else its last
/// sentence end (`.`, `!` or `?` and a space), or else its last white
/// space (or, in a run of text without any, at a character boundary);
/// each piece is a document `path@BYTE`, its first byte's offset in the
/// file, with a warning. Nothing more than a piece is held.
fn read_text<R: BufRead>(
    ctx: &Ctx<'_>,
    mut rdr: R,
    batcher: &mut Batcher<'_>,
    info: &mut InputInfo,
) -> Result<bool> {
    let Ctx { src, source, opts, tx, .. } = *ctx;
    let limit = opts.max_doc_bytes.max(1);
    let io_err = |e: io::Error| Error::Io {
        path: source.display.clone().into(),
        error: e,
    };
    let meta = base_meta(source, &Arc::from("path"), &Arc::from("file"));
    let mut buf: Vec<u8> = Vec::new();
    let mut offset = 0u64; // of buf[0] in the file
    let mut pieces = 0u64;
    loop {
        // Fill to one byte past the limit: whether the text fits.
        let start = buf.len();
        let mut eof = false;
        while buf.len() <= limit {
            let avail = match rdr.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(io_err(e)),
            };
            if avail.is_empty() {
                eof = true;
                break;
            }
            let n = avail.len().min(limit + 1 - buf.len());
            // (A NUL ends the reading at once: `/dev/zero` as text.)
            let nul = memchr::memchr(0, &avail[..n]).is_some();
            buf.extend_from_slice(&avail[..n]);
            rdr.consume(n);
            if nul {
                break;
            }
        }
        if let Some(p) = memchr::memchr(0, &buf[start..]) {
            let mut w = binary_warning(source, offset + (start + p) as u64);
            if pieces > 0 {
                w.message = format!(
                    "NUL byte: the rest of the file skipped as binary \
                     ({pieces} pieces before it read)"
                );
            }
            return Ok(tx.send(Msg::Skip(src, w)).is_ok());
        }
        if eof && pieces == 0 {
            let text = decode(buf, source, 0, opts.strict, info)?;
            let id = source.display.clone();
            return Ok(batcher.push(Document { id, meta, text }));
        }
        if buf.is_empty() {
            return Ok(true);
        }
        if pieces == 0 {
            let w = Warning {
                location: source.display.clone(),
                message: format!(
                    "larger than the document limit of {} (--max-doc-size \
                     raises it): read as pieces of at most that size, cut \
                     at line ends, sentence ends or white space, each a \
                     document PATH@BYTE",
                    human_bytes(limit)
                ),
            };
            if tx.send(Msg::Warn(w)).is_err() {
                return Ok(false);
            }
        }
        let cut = if eof { buf.len() } else { piece_end(&buf, limit) };
        let rest = buf.split_off(cut);
        let text = decode(buf, source, offset, opts.strict, info)?;
        let id = format!("{}@{offset}", source.display);
        if !batcher.push(Document { id, meta: meta.clone(), text }) {
            return Ok(false);
        }
        pieces += 1;
        offset += cut as u64;
        buf = rest;
        if eof && buf.is_empty() {
            return Ok(true);
        }
    }
}

/// Where a piece of at most `limit` bytes cut from `buf` (longer) ends
/// (see [`read_text`]): after at least one byte, on a character boundary
/// of valid UTF-8.
fn piece_end(buf: &[u8], limit: usize) -> usize {
    let b = &buf[..limit];
    let half = b.len() / 2;
    if let Some(p) = memchr::memrchr(b'\n', &b[half..]) {
        return half + p + 1;
    }
    for p in memchr::memrchr_iter(b' ', &b[half..]) {
        let p = half + p;
        if p > 0 && matches!(b[p - 1], b'.' | b'!' | b'?') {
            return p + 1;
        }
    }
    if let Some(p) = memchr::memrchr3(b' ', b'\t', b'\r', b) {
        return p + 1;
    }
    // No white space: the last character boundary (a character is at
    // most 4 bytes; in invalid UTF-8, anywhere).
    let mut end = limit;
    while end > 1 && limit - end < 3 && buf[end] & 0xC0 == 0x80 {
        end -= 1;
    }
    if buf[end] & 0xC0 == 0x80 { limit } else { end }
}

/// The warning for a line longer than the document limit `max`.
fn too_long(max: usize) -> String {
    format!(
        "a line longer than the document limit of {} (--max-doc-size \
         raises it): record skipped",
        human_bytes(max.max(1))
    )
}

/// How [`skip_line`] stopped.
enum LineEnd {
    /// At a line end (LF, CRLF or a lone CR) of this many bytes.
    Lf(u64),
    Eof,
    Nul,
}

/// Reads past the rest of a line: the bytes before its end (an LF; with
/// `cr`, a CRLF or a lone CR too; or the end, or a NUL) and what ended
/// it. Holds nothing.
fn skip_line(rdr: &mut impl BufRead, cr: bool) -> io::Result<(u64, LineEnd)> {
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
fn after_cr(rdr: &mut impl BufRead) -> io::Result<(u64, LineEnd)> {
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
fn human_bytes(n: usize) -> String {
    if n >= 1 << 20 && n.is_multiple_of(1 << 20) {
        format!("{} MiB", n >> 20)
    } else {
        format!("{n} bytes")
    }
}

/// A reader that stops at the first NUL byte, with an error, and
/// remembers its offset.
struct NulGuard<R> {
    inner: R,
    at: u64,
    nul: std::rc::Rc<std::cell::Cell<Option<u64>>>,
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

#[allow(clippy::too_many_arguments)]
fn read_csv<R: BufRead>(
    src: usize,
    source: &Source,
    format: InputFormat,
    rdr: R,
    opts: &ReadOptions,
    tx: &SyncSender<Msg>,
    emit: &mut dyn FnMut(Document) -> bool,
    info: &mut InputInfo,
) -> Result<bool> {
    let tsv = format == InputFormat::Tsv;
    let builder = |has_headers: bool| {
        let mut b = csv::ReaderBuilder::new();
        b.delimiter(if tsv { b'\t' } else { b',' })
            .quoting(!tsv)
            .flexible(!has_headers)
            .has_headers(has_headers);
        b
    };
    let limit = opts.max_doc_bytes;
    let mut csv =
        builder(true).from_reader(CsvWatch::new(rdr, !tsv).limit(limit));
    let input_err = |message: String| Error::Input {
        path: source.display.clone(),
        message,
    };
    let headers = csv.byte_headers().cloned();
    let headers = match headers {
        Ok(headers) => headers,
        Err(_) if csv.get_ref().too_long.is_some() => {
            return Err(input_err(format!(
                "the header is longer than the document limit of {} \
                 (--max-doc-size raises it): file refused",
                human_bytes(opts.max_doc_bytes.max(1))
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
    let Some(text_col) = names.iter().position(|n| *n == opts.text_field)
    else {
        return Err(input_err(format!(
            "no column '{}' (columns: {}); name the text column with --text-field",
            opts.text_field,
            names.join(", ")
        )));
    };
    for (i, name) in names.iter().enumerate() {
        if let Some(first) = names[..i].iter().position(|n| n == name) {
            let w = Warning {
                location: format!("{}:1", source.display),
                message: format!(
                    "the header names column '{name}' twice (columns {} and \
                     {}): --text-field, --where and --by use the first",
                    first + 1,
                    i + 1
                ),
            };
            if tx.send(Msg::Warn(w)).is_err() {
                return Ok(false);
            }
        }
    }
    let keys: Vec<Arc<str>> =
        names.iter().map(|n| Arc::from(n.as_str())).collect();
    let path_key: Arc<str> = Arc::from("path");
    let file_key: Arc<str> = Arc::from("file");
    let mut part = CsvPart {
        src,
        source,
        format,
        opts,
        tx,
        info,
        base: base_meta(source, &path_key, &file_key),
        keys,
        text_col,
        first_line: 1,
        first_byte: 0,
    };
    let mut next = match part.records(&mut csv, emit)? {
        CsvEnd::Stop => return Ok(false),
        CsvEnd::Done => return Ok(true),
        CsvEnd::Unclosed(rest) => rest,
    };
    // What follows the line of a quote never closed is read again as
    // records (without a header), until no quote is left open.
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
        let mut csv = builder(false).from_reader(
            CsvWatch::new(io::Cursor::new(rest), !tsv).limit(limit),
        );
        next = match part.records(&mut csv, emit)? {
            CsvEnd::Stop => return Ok(false),
            CsvEnd::Done => return Ok(true),
            CsvEnd::Unclosed(rest) => rest,
        };
    }
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
struct CsvPart<'a> {
    src: usize,
    source: &'a Source,
    format: InputFormat,
    opts: &'a ReadOptions,
    tx: &'a SyncSender<Msg>,
    info: &'a mut InputInfo,
    base: Vec<(Arc<str>, String)>,
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

impl CsvPart<'_> {
    fn records<R: Read>(
        &mut self,
        csv: &mut csv::Reader<CsvWatch<R>>,
        emit: &mut dyn FnMut(Document) -> bool,
    ) -> Result<CsvEnd> {
        let mut record = csv::ByteRecord::new();
        let mut held: Option<(CsvHeld, u64)> = None;
        loop {
            let next = match csv.read_byte_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {
                    let pos = record
                        .position()
                        .cloned()
                        .unwrap_or_else(csv::Position::new);
                    let line = self.line_of(csv, &pos);
                    let byte = self.first_byte + pos.byte();
                    if record.len() != self.keys.len() {
                        let message = format!(
                            "malformed {} record: found record with {} \
                             fields, but the header has {}: record skipped",
                            self.format.name(),
                            record.len(),
                            self.keys.len()
                        );
                        (CsvHeld::Skip(self.warning(line, message)), line)
                    } else {
                        let doc = self.document(&record, line, byte)?;
                        (CsvHeld::Doc(doc), line)
                    }
                }
                Err(e) => {
                    let pos = e
                        .position()
                        .cloned()
                        .unwrap_or_else(csv::Position::new);
                    let line = self.line_of(csv, &pos);
                    if let Some(at) = csv.get_ref().too_long {
                        return Err(self.too_long(at));
                    }
                    if let csv::ErrorKind::Io(_) = e.kind() {
                        return Err(Error::Input {
                            path: self.source.display.clone(),
                            message: format!(
                                "read error near line {line}: {e}"
                            ),
                        });
                    }
                    let message = format!(
                        "malformed {} record: {e}: record skipped",
                        self.format.name()
                    );
                    (CsvHeld::Skip(self.warning(line, message)), line)
                }
            };
            if let Some((h, _)) = held.replace(next)
                && !self.hand_on(h, emit)
            {
                return Ok(CsvEnd::Stop);
            }
        }
        let watch = csv.get_mut();
        let Some((byte, line)) = watch.unclosed() else {
            if let Some((h, _)) = held
                && !self.hand_on(h, emit)
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
        let w = self.warning(start, message);
        if self.tx.send(Msg::Skip(self.src, w)).is_err() {
            return Ok(CsvEnd::Stop);
        }
        Ok(CsvEnd::Unclosed((
            std::mem::take(&mut watch.since_open),
            line,
            byte,
        )))
    }

    /// The line of the record at `pos`, counting a lone CR as a line end
    /// (the CSV parser counts LFs only, and from where the record's
    /// reading started).
    fn line_of<R: Read>(
        &self,
        csv: &mut csv::Reader<CsvWatch<R>>,
        pos: &csv::Position,
    ) -> u64 {
        self.first_line - 1 + csv.get_mut().line_at(pos.byte())
    }

    /// The error for a record at watch line `at` longer than the
    /// document limit: the file is refused there, so that no record is
    /// held past the limit (a quote never closed in a file larger than
    /// the limit ends so too).
    fn too_long(&self, at: u64) -> Error {
        Error::Input {
            path: format!(
                "{}:{}",
                self.source.display,
                self.first_line - 1 + at
            ),
            message: format!(
                "a {} record longer than the document limit of {} \
                 (--max-doc-size raises it{}): file refused",
                self.format.name(),
                human_bytes(self.opts.max_doc_bytes.max(1)),
                if self.format == InputFormat::Csv {
                    "; a quote never closed makes the rest of the file one \
                     record"
                } else {
                    ""
                }
            ),
        }
    }

    fn warning(&self, line: u64, message: String) -> Warning {
        Warning {
            location: format!("{}:{line}", self.source.display),
            message,
        }
    }

    fn document(
        &mut self,
        record: &csv::ByteRecord,
        line: u64,
        byte: u64,
    ) -> Result<Document> {
        let mut meta = self.base.clone();
        let mut text = String::new();
        for (i, field) in record.iter().enumerate() {
            let value = decode(
                field.to_vec(),
                self.source,
                byte,
                self.opts.strict,
                self.info,
            )?;
            if i == self.text_col {
                text = value;
            } else {
                meta.push((self.keys[i].clone(), value));
            }
        }
        Ok(Document {
            id: format!("{}:{line}", self.source.display),
            meta,
            text,
        })
    }

    /// Hands a record on; false if the receiver hung up.
    fn hand_on(
        &mut self,
        held: CsvHeld,
        emit: &mut dyn FnMut(Document) -> bool,
    ) -> bool {
        match held {
            CsvHeld::Doc(doc) => emit(doc),
            CsvHeld::Skip(w) => self.tx.send(Msg::Skip(self.src, w)).is_ok(),
        }
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
    /// The longest record allowed, in bytes ([`ReadOptions::max_doc_bytes`]).
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

fn binary_warning(source: &Source, offset: u64) -> Warning {
    Warning {
        location: format!("{}: byte {offset}", source.display),
        message: "NUL byte: binary file skipped".to_string(),
    }
}

/// Decodes UTF-8, lossily unless `strict`, counting replaced bytes.
fn decode(
    bytes: Vec<u8>,
    source: &Source,
    offset: u64,
    strict: bool,
    info: &mut InputInfo,
) -> Result<String> {
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) => {
            let bytes = e.into_bytes();
            let (text, replaced, first) = decode_lossy(&bytes);
            if strict {
                return Err(Error::Input {
                    path: format!(
                        "{}: byte {}",
                        source.display,
                        offset + first as u64
                    ),
                    message: "not valid UTF-8 (an error under --strict)"
                        .to_string(),
                });
            }
            info.replaced_bytes += replaced as u64;
            Ok(text)
        }
    }
}

/// Lossy UTF-8 decoding: the text, the number of bytes replaced by
/// U+FFFD, and the offset of the first invalid byte.
pub fn decode_lossy(bytes: &[u8]) -> (String, usize, usize) {
    let mut out = String::with_capacity(bytes.len());
    let mut replaced = 0;
    let mut first = None;
    let mut rest = bytes;
    let mut pos = 0;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                out.push_str(s);
                break;
            }
            Err(e) => {
                let valid = e.valid_up_to();
                out.push_str(
                    std::str::from_utf8(&rest[..valid]).expect("valid prefix"),
                );
                let bad = e.error_len().unwrap_or(rest.len() - valid);
                first.get_or_insert(pos + valid);
                replaced += bad;
                out.push('\u{FFFD}');
                rest = &rest[valid + bad..];
                pos += valid + bad;
            }
        }
    }
    (out, replaced, first.unwrap_or(0))
}

fn utf16_bom(head: &[u8]) -> Option<bool> {
    match head {
        [0xFF, 0xFE, ..] => Some(false),
        [0xFE, 0xFF, ..] => Some(true),
        _ => None,
    }
}

/// UTF-16 (after its BOM) decoded to UTF-8 as it is read, a piece at a
/// time (a surrogate pair or a byte split between pieces is kept for the
/// next). Bytes not valid UTF-16 (unpaired surrogates, an odd last byte)
/// become U+FFFD; `bad` gets their number and the offset of the first,
/// and under `--strict` reading stops there with an error.
struct Utf16Reader<R> {
    inner: R,
    big_endian: bool,
    strict: bool,
    /// Bytes read and not yet decoded (at most 3: half a pair and a byte).
    raw: Vec<u8>,
    /// Decoded, not yet read.
    out: Vec<u8>,
    taken: usize,
    /// The offset (after the BOM) of `raw[0]`.
    at: u64,
    bad: std::rc::Rc<std::cell::Cell<(u64, Option<u64>)>>,
}

const UTF16_STRICT: &str = "not valid UTF-16 (an error under --strict)";

impl<R: Read> Utf16Reader<R> {
    fn new(
        inner: R,
        big_endian: bool,
        bad: std::rc::Rc<std::cell::Cell<(u64, Option<u64>)>>,
    ) -> Self {
        Utf16Reader {
            inner,
            big_endian,
            strict: false,
            raw: Vec::new(),
            out: Vec::new(),
            taken: 0,
            at: 0,
            bad,
        }
    }

    fn replaced(&mut self, at: u64, n: u64) -> io::Result<()> {
        let (count, first) = self.bad.get();
        self.bad.set((count + n, first.or(Some(at))));
        if self.strict {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                UTF16_STRICT,
            ));
        }
        self.out.extend_from_slice("\u{FFFD}".as_bytes());
        Ok(())
    }

    /// Decodes the next piece into `out`; false at the end.
    fn refill(&mut self) -> io::Result<bool> {
        self.out.clear();
        self.taken = 0;
        let keep = self.raw.len();
        self.raw.resize(keep + (1 << 16), 0);
        let n = loop {
            match self.inner.read(&mut self.raw[keep..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.raw.truncate(keep);
                    return Err(e);
                }
            }
        };
        self.raw.truncate(keep + n);
        let eof = n == 0;
        if eof && self.raw.is_empty() {
            return Ok(false);
        }
        let big_endian = self.big_endian;
        let unit = |c: &[u8]| {
            let pair = [c[0], c[1]];
            if big_endian {
                u16::from_be_bytes(pair)
            } else {
                u16::from_le_bytes(pair)
            }
        };
        // Whole units, less a high surrogate last (its pair may follow).
        let mut end = self.raw.len() / 2 * 2;
        if !eof
            && end >= 2
            && (0xD800..0xDC00).contains(&unit(&self.raw[end - 2..end]))
        {
            end -= 2;
        }
        let raw = std::mem::take(&mut self.raw);
        let units = raw[..end].chunks_exact(2).map(unit);
        let mut at = self.at;
        for r in char::decode_utf16(units) {
            match r {
                Ok(c) => {
                    let mut b = [0; 4];
                    self.out
                        .extend_from_slice(c.encode_utf8(&mut b).as_bytes());
                    at += 2 * c.len_utf16() as u64;
                }
                Err(_) => {
                    if let Err(e) = self.replaced(at, 2) {
                        self.raw = raw;
                        return Err(e);
                    }
                    at += 2;
                }
            }
        }
        self.at = at;
        let mut raw = raw;
        raw.drain(..end);
        if eof && !raw.is_empty() {
            // An odd last byte.
            let r = self.replaced(at, 1);
            self.at += 1;
            raw.clear();
            self.raw = raw;
            r?;
        } else {
            self.raw = raw;
        }
        Ok(true)
    }
}

impl<R: Read> Read for Utf16Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.taken == self.out.len() {
            if !self.refill()? {
                return Ok(0);
            }
        }
        let n = buf.len().min(self.out.len() - self.taken);
        buf[..n].copy_from_slice(&self.out[self.taken..self.taken + n]);
        self.taken += n;
        Ok(n)
    }
}

/// Whether the start of a `.txt` file looks like a Leipzig sentence file:
/// its first line is digits, a tab, and text.
fn looks_leipzig(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let digits = head.iter().take_while(|b| b.is_ascii_digit()).count();
    digits > 0 && head.get(digits) == Some(&b'\t')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_lossy_counts_replaced_bytes() {
        let (text, replaced, first) = decode_lossy(b"caf\xe9 ok \xff\xfe");
        assert_eq!(text, "caf\u{FFFD} ok \u{FFFD}\u{FFFD}");
        assert_eq!(replaced, 3);
        assert_eq!(first, 3);
    }

    #[test]
    fn format_from_file_name() {
        let rows = [
            ("a.txt", Some(InputFormat::Text)),
            ("a.JSONL", Some(InputFormat::Jsonl)),
            ("a.ndjson.gz", Some(InputFormat::Jsonl)),
            ("a.csv", Some(InputFormat::Csv)),
            ("a.tsv", Some(InputFormat::Tsv)),
            ("a.conllu", Some(InputFormat::Conllu)),
            ("a.pdf", None),
            ("noext", None),
        ];
        for (name, want) in rows {
            assert_eq!(InputFormat::from_file_name(name), want, "{name}");
        }
    }

    fn scan_all(corpus: &Corpus) -> (Vec<(String, String)>, ReadReport) {
        let mut docs = Vec::new();
        let report = corpus
            .scan(&mut |_| {}, &mut |batch| {
                docs.extend(batch.into_iter().map(|d| (d.id, d.text)));
                Ok(())
            })
            .unwrap();
        (docs, report)
    }

    #[test]
    fn shares_hold_every_document_once_with_its_line_number() {
        let dir = tempfile::tempdir().unwrap();
        // Over 3 MiB of JSONL with LF, CRLF and lone CR line ends, a
        // malformed line and an empty one; a small second file and a
        // Leipzig file big enough to split.
        let mut big = String::new();
        let mut i = 0;
        while big.len() < 3 * SPLIT_BYTES as usize + 5000 {
            let end = ["\n", "\r\n", "\r"][i % 3];
            if i % 997 == 5 {
                big.push_str("{not json");
            } else if i % 1009 == 7 {
                big.push_str("");
            } else {
                big.push_str(&format!(
                    "{{\"text\":\"dokumen {i} {}\"}}",
                    "kata ".repeat(i % 40)
                ));
            }
            big.push_str(end);
            i += 1;
        }
        std::fs::write(dir.path().join("a.jsonl"), &big).unwrap();
        std::fs::write(dir.path().join("b.jsonl"), "{\"text\":\"kecil\"}\n")
            .unwrap();
        let mut leipzig = String::new();
        for k in 1..200_000 {
            leipzig.push_str(&format!("{k}\tKalimat nomor {k}.\n"));
        }
        std::fs::write(dir.path().join("c.txt"), &leipzig).unwrap();
        let inputs = vec![dir.path().display().to_string()];
        let corpus = Corpus::open(&inputs, ReadOptions::default()).unwrap();
        let (mut want, full) = scan_all(&corpus);
        want.sort();
        for peers in [2, 3, 5] {
            let mut got = Vec::new();
            let (mut skipped, mut documents) = (0, 0);
            for index in 0..peers {
                let share = corpus.share(index, peers).unwrap();
                let (docs, report) = scan_all(&share);
                got.extend(docs);
                skipped += report.skipped_records;
                documents += report.documents;
            }
            got.sort();
            assert_eq!(got.len(), want.len(), "{peers} shares");
            assert!(got == want, "{peers} shares: documents differ");
            assert_eq!(skipped, full.skipped_records, "{peers} shares");
            assert_eq!(documents, full.documents, "{peers} shares");
        }
        assert!(full.skipped_records > 0);
        // A split file's ranges cover it exactly.
        let a = corpus.sources.iter().find(|s| s.display.ends_with("a.jsonl"));
        let a = a.unwrap();
        let mut next = 0;
        for index in 0..3 {
            let r = split_range(a, &corpus.opts, index, 3).unwrap().unwrap();
            let r = r.unwrap();
            assert_eq!(r.start, next);
            next = r.end;
        }
        assert_eq!(next, big.len() as u64);
    }

    #[test]
    fn json_line_fields() {
        let base = vec![];
        let (meta, text) = crate::jsonl::parse_record(
            r#"{"id":7,"text":"halo","source":"x","n":null}"#,
            "text",
            &base,
        )
        .unwrap();
        assert_eq!(text, "halo");
        let meta: Vec<(String, String)> =
            meta.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        assert_eq!(
            meta,
            [("id".into(), "7".into()), ("source".into(), "x".into())]
        );
        assert!(crate::jsonl::parse_record("[1]", "text", &base).is_err());
        assert!(
            crate::jsonl::parse_record(r#"{"body":"x"}"#, "text", &base)
                .is_err()
        );
        assert!(crate::jsonl::parse_record("{oops", "text", &base).is_err());
    }

    /// The CSV watch's memchr skips give what feeding it one byte at a
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
            let mut csv = csv::ReaderBuilder::new()
                .flexible(true)
                .from_reader(CsvWatch::new(input, true));
            csv.byte_headers().unwrap();
            let mut got = Vec::new();
            let mut record = csv::ByteRecord::new();
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

    #[test]
    fn piece_ends() {
        // (bytes, limit, where the piece ends)
        let rows: [(&[u8], usize, usize); 6] = [
            (b"ab cd\nef gh ij", 8, 6), // a line end in the second half
            (b"a\nbc. de fg", 10, 6),   // else a sentence end
            (b"abc def ghij", 9, 8),    // else white space
            ("\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}".as_bytes(), 5, 4), // boundary
            (b"abcdefgh", 5, 5),
            (&[0x80; 8], 5, 5), // invalid UTF-8: anywhere
        ];
        for (bytes, limit, want) in rows {
            let got = piece_end(bytes, limit);
            assert_eq!(got, want, "{bytes:?} limit {limit}");
        }
    }

    #[test]
    fn text_past_the_limit_is_read_as_pieces_that_add_up() {
        let dir = tempfile::tempdir().unwrap();
        let mut text = String::new();
        let words = ["kata", "berita.", "caf\u{e9}", "\u{4e2d}\u{6587}"];
        for i in 0..2000 {
            text.push_str(words[i * 7 % 4]);
            text.push(if i % 53 == 0 { '\n' } else { ' ' });
        }
        // A run of 300 bytes without white space, and a small file.
        text.push_str(&"\u{e9}".repeat(150));
        std::fs::write(dir.path().join("a.txt"), &text).unwrap();
        std::fs::write(dir.path().join("b.txt"), "kecil").unwrap();
        let inputs = vec![dir.path().display().to_string()];
        let opts = ReadOptions { max_doc_bytes: 100, ..Default::default() };
        let corpus = Corpus::open(&inputs, opts).unwrap();
        let mut warnings = Vec::new();
        let mut docs = Vec::new();
        let report = corpus
            .scan(&mut |w| warnings.push(w.to_string()), &mut |batch| {
                docs.extend(batch.into_iter().map(|d| (d.id, d.text)));
                Ok(())
            })
            .unwrap();
        let a = dir.path().join("a.txt").display().to_string();
        let (last, pieces) = docs.split_last().unwrap();
        assert_eq!(last.0, dir.path().join("b.txt").display().to_string());
        let mut whole = String::new();
        for (id, piece) in pieces {
            assert_eq!(*id, format!("{a}@{}", whole.len()));
            assert!(!piece.is_empty() && piece.len() <= 100, "{id}");
            whole.push_str(piece);
        }
        assert!(whole == text, "the pieces add up to the text");
        assert!(pieces.len() > text.len() / 100, "{}", pieces.len());
        assert_eq!(report.documents, docs.len() as u64);
        assert_eq!(report.inputs[0].documents, pieces.len() as u64);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("limit of 100 bytes"), "{warnings:?}");
    }

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

    /// A reader giving at most `n` bytes a call.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.0.len().min(self.1).min(buf.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn utf16_is_decoded_in_pieces_across_surrogate_pairs() {
        let text = "a\u{1F600}b\u{10348}\u{E9}c\u{1F600}";
        for be in [false, true] {
            let mut bytes: Vec<u8> = Vec::new();
            for u in text.encode_utf16() {
                bytes.extend(if be {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                });
            }
            // An unpaired low surrogate, a high one before 'x', an odd
            // last byte: 2 + 2 + 1 bytes replaced, the first at 22.
            let mut bad = bytes.clone();
            for u in [0xDC00u16, 0xD800, u16::from(b'x')] {
                bad.extend(if be { u.to_be_bytes() } else { u.to_le_bytes() });
            }
            bad.push(b'y');
            for n in 1..=7 {
                let cell = std::rc::Rc::new(std::cell::Cell::new((0, None)));
                let mut r =
                    Utf16Reader::new(Trickle(&bytes, n), be, cell.clone());
                let mut out = String::new();
                r.read_to_string(&mut out).unwrap();
                assert_eq!(out, text, "{n} bytes a read");
                assert_eq!(cell.get(), (0, None));
                let cell = std::rc::Rc::new(std::cell::Cell::new((0, None)));
                let mut r =
                    Utf16Reader::new(Trickle(&bad, n), be, cell.clone());
                let mut out = String::new();
                r.read_to_string(&mut out).unwrap();
                let want = format!("{text}\u{FFFD}\u{FFFD}x\u{FFFD}");
                assert_eq!(out, want, "{n} bytes a read");
                assert_eq!(cell.get(), (5, Some(bytes.len() as u64)));
                let cell = std::rc::Rc::new(std::cell::Cell::new((0, None)));
                let mut r =
                    Utf16Reader::new(Trickle(&bad, n), be, cell.clone());
                r.strict = true;
                let mut out = Vec::new();
                assert!(r.read_to_end(&mut out).is_err());
                assert_eq!(cell.get().1, Some(bytes.len() as u64));
            }
        }
    }

    #[test]
    fn leipzig_sniffing() {
        assert!(looks_leipzig(b"12\tKalimat pertama.\n"));
        assert!(!looks_leipzig(b"Judul\n12\t"));
        assert!(!looks_leipzig(b"\tx"));
    }
}
