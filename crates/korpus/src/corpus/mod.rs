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
//! | text | `.txt`, anything named explicitly | the whole file |
//! | markdown | `.md`, `.markdown` | the whole file, without its syntax |
//! | leipzig | `.txt` whose first line is `digits<TAB>text` | one line |
//! | jsonl | `.jsonl`, `.ndjson` | one line (a JSON object) |
//! | csv, tsv | `.csv`, `.tsv` (with a header; TSV has no quoting) | one record |
//! | conllu | `.conllu` | one sentence (`# text =`) |
//! | html | `.html`, `.htm`, or a text file that starts like HTML | one page: its article text ([`HtmlMode`]) |
//! | warc | `.warc` (`.warc.gz`: gzip member per record) | one HTML response record, read as a page |
//!
//! Every document has an id (its path, or `path:line`) and metadata: the
//! built-in fields `path` and `file`, plus the other top-level JSON fields
//! or CSV columns, the Leipzig sentence id (`sentence_id`), the
//! CoNLL-U `sent_id` and `newdoc_id`, a Markdown page's front matter
//! and key/value tables, an HTML page's `title`, `date`, `author`,
//! `url` and `source` (as the page gives them), or a WARC record's
//! `url`, `date` and `warc_record`. Every document then passes through
//! `derive`, which adds a `date` (from a date field or the path) and a
//! `source` (a URL's host) when the document has none.
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
//!
//! The reading is cut along its seams: `walk` lists the files and
//! detects their formats, `shares` cuts a corpus into byte-range
//! shares ([`Corpus::share`]), `reader` runs the reader thread and the
//! receiving end of a scan, `decode` undoes compression and decodes
//! text, `format` holds one file per input format, and `input` holds
//! what a format's reader reads through (`Input`, `Meta`) and the
//! helpers the formats share. `reader` imports `format` and `input`,
//! `format` imports `input`, and `input` imports neither.
//!
//! # Adding an input format
//!
//! A new format is one file in `format/` and one arm in one match:
//! 1. `format/NAME.rs` defines `pub(super) const SPEC: Spec` (see
//!    `format/mod.rs`): its name, its file extensions, optionally a sniffing
//!    function of the first bytes, and its reader: either
//!    `Reader::Lines(parse)` with `fn parse(line: &str, opts:
//!    &ReadOptions, base: &Meta, note: &mut Option<Note>) ->
//!    Result<(Meta, String), String>` for one record per line, or
//!    `Reader::Stream(read)` with `fn read(input: &mut Input<'_>, rdr:
//!    &mut dyn BufRead) -> Result<bool>`, which hands its documents,
//!    skips and warnings on through `input`. `Input` and `Meta` are in
//!    `input.rs`, with the helpers a stream reader may use (`skip_line`,
//!    `NulGuard`, `human_bytes`); a format never imports `reader.rs`;
//! 2. the variant joins [`InputFormat`] (and [`InputFormat::ALL`]), and
//!    its arm `InputFormat::NAME => &NAME::SPEC` joins the match of
//!    `InputFormat::spec` in `format/mod.rs`, after `mod NAME;`.
//!
//! Names, `--input-format`, detection by extension and sniffing,
//! decoding, batching, shares, the read report and `--strict` then
//! follow from the spec. (Only the message for a directory without
//! usable files lists the extensions by hand, in [`Corpus::open`].)

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

mod decode;
mod derive;
mod format;
mod input;
mod reader;
mod shares;
mod walk;

pub use decode::{ZSTD_MAX_WINDOW, decode_lossy, read_decompressed};
pub use derive::{DATE_FIELDS, Derived, URL_FIELDS, outlet_of};
pub use shares::SPLIT_BYTES;

use reader::StdinState;
use walk::{Found, walk};

/// One document: an id, metadata fields and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The document's id: its path, or `path:line`.
    pub id: String,
    /// Metadata fields, in the order they were read.
    pub meta: Vec<(Arc<str>, String)>,
    /// The text, as decoded (never otherwise changed; for Markdown, the
    /// page's text without its syntax).
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
    /// Markdown, one document per file, without its syntax.
    Markdown,
    /// An HTML page, one document per file.
    Html,
    /// A WARC archive, one document per HTML response record.
    Warc,
}

impl InputFormat {
    /// Every format, in a fixed order.
    pub const ALL: [InputFormat; 9] = [
        InputFormat::Text,
        InputFormat::Leipzig,
        InputFormat::Jsonl,
        InputFormat::Csv,
        InputFormat::Tsv,
        InputFormat::Conllu,
        InputFormat::Markdown,
        InputFormat::Html,
        InputFormat::Warc,
    ];

    /// The format's name on the command line.
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// The format named `name`.
    pub fn from_name(name: &str) -> Option<InputFormat> {
        InputFormat::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The format a file name implies (after removing `.gz` or `.zst`),
    /// if any. `.txt` gives [`InputFormat::Text`]; the reader then checks
    /// the first line for the Leipzig shape.
    pub fn from_file_name(name: &str) -> Option<InputFormat> {
        let lower = name.to_ascii_lowercase();
        let lower = lower
            .strip_suffix(".gz")
            .or_else(|| lower.strip_suffix(".zst"))
            .unwrap_or(&lower);
        let ext = lower.rsplit_once('.').map(|(_, e)| e)?;
        InputFormat::ALL
            .into_iter()
            .find(|f| f.spec().extensions.contains(&ext))
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
    /// Changes or drops documents as they are read, before any counter
    /// or filter sees them (the cleaning of `korpus::clean`); `None`
    /// leaves them as read.
    pub transform: Option<Arc<dyn Transform>>,
    /// What text an HTML page (or WARC response) gives.
    pub html: HtmlMode,
}

/// A change applied to every batch of documents as it is read, in
/// corpus order (see [`ReadOptions::transform`]).
///
/// Contract: `apply` is called once per batch, batches in corpus order,
/// on the thread that receives them; it may change documents' text and
/// metadata and remove documents (they are then not counted in
/// [`ReadReport::documents`] but in [`ReadReport::removed`]).
pub trait Transform: Send + Sync + fmt::Debug {
    /// Changes `docs` in place.
    fn apply(&self, docs: &mut Vec<Document>);
}

/// What text an HTML page gives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum HtmlMode {
    /// The main text of the article, without navigation, comments and
    /// other boilerplate (the `trafilatura` crate's extraction).
    #[default]
    Article,
    /// All visible text of the page's body (no script, style or other
    /// markup).
    Raw,
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
            transform: None,
            html: HtmlMode::Article,
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
    /// Metadata blocks (Markdown front matter, key/value tables) that
    /// could not be read as fields.
    pub metadata_unread: u64,
    /// Records passed over as not documents of the format, without
    /// skipping anything meant to be read (a WARC's request, metadata
    /// and non-HTML response records): counted, not warned one by one.
    pub passed_over: u64,
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
    /// Metadata blocks (Markdown front matter, key/value tables) that
    /// could not be read as fields, each with a warning.
    pub metadata_unread: u64,
    /// The fields derived (`date`, `source`) and the dates not
    /// understood.
    pub derived: Derived,
    /// Documents removed by [`ReadOptions::transform`] (not counted in
    /// `documents`).
    pub removed: u64,
    /// Records passed over as not documents (see
    /// [`InputInfo::passed_over`]), over all files.
    pub passed_over: u64,
}

impl ReadReport {
    /// Documents read, but not wholly: a metadata block not read as
    /// fields, or a date not understood (each warned about).
    pub fn partly_read(&self) -> u64 {
        self.metadata_unread + self.derived.dates_not_understood
    }

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
    /// Metadata blocks not read as fields.
    #[serde(default)]
    pub metadata_unread: u64,
    /// The fields derived.
    #[serde(default)]
    pub derived: Derived,
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
            metadata_unread: report.metadata_unread,
            derived: report.derived.clone(),
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
        self.metadata_unread += other.metadata_unread;
        self.derived.add(&other.derived);
    }

    /// Puts the sums into `report`; returns the documents kept.
    pub fn fill(self, report: &mut ReadReport) -> u64 {
        report.documents = self.documents;
        report.skipped_records = self.skipped;
        report.fields = self.fields.into_iter().collect();
        report.metadata_unread = self.metadata_unread;
        report.derived = self.derived;
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
                let found = Found {
                    sources: &mut sources,
                    ignored: &mut ignored,
                    broken: &mut broken,
                };
                walk(path, &opts, found)?;
                if sources.len() == before {
                    return Err(Error::Input {
                        path: input.clone(),
                        message: "directory has no usable files (.txt, .md, \
                                  .markdown, .jsonl, .ndjson, .csv, .tsv, .conllu, \
                                  .html, .htm, .warc, optionally .gz)"
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
    /// Files passed over when the inputs were listed (unknown extension,
    /// README, ...), with the reason.
    pub fn ignored(&self) -> &[String] {
        &self.ignored
    }

    /// Sets [`ReadOptions::transform`] for the scans that follow.
    pub fn set_transform(&mut self, transform: Option<Arc<dyn Transform>>) {
        self.opts.transform = transform;
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
        if self.sources.iter().any(|s| s.display == "-")
            && self.stdin.read.swap(true, Ordering::Relaxed)
            && !self.stdin.is_copied()
        {
            return Err(Error::Usage(
                "standard input is streamed and can be read only once, \
                 and this command reads its corpus twice: save it to a \
                 file and name the file"
                    .into(),
            ));
        }
        for w in &self.broken {
            if self.opts.strict {
                return Err(reader::strict_error(w));
            }
            report.skipped_records += 1;
            warn(w);
        }
        reader::scan(self, keep_line, warn, sink, &mut report)?;
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names_parse_and_list_the_known_ones() {
        for f in InputFormat::ALL {
            assert_eq!(f.name().parse::<InputFormat>(), Ok(f));
        }
        let err = "xml".parse::<InputFormat>().unwrap_err();
        // (One format per name and per extension.)
        for (i, a) in InputFormat::ALL.iter().enumerate() {
            for b in &InputFormat::ALL[i + 1..] {
                assert_ne!(a.name(), b.name());
                let (a, b) = (a.spec().extensions, b.spec().extensions);
                assert!(a.iter().all(|e| !b.contains(e)), "{a:?} {b:?}");
            }
        }
        assert_eq!(
            err.for_option("--input-format"),
            "unknown --input-format 'xml' (known: text, leipzig, jsonl, csv, \
             tsv, conllu, markdown, html, warc)"
        );
    }
}
