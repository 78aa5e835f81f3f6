//! The input formats, one file each, and [`InputFormat::spec`], the one
//! match from a format to what defines it (its [`Spec`]).
//!
//! A format is read in one of two ways ([`Reader`]):
//! - **by lines** ([`Reader::Lines`], JSONL and Leipzig): every line is
//!   one record, read by a [`ParseLine`] function. The reader thread
//!   cuts the file into batches at line ends (and a large plain file
//!   into byte-range shares for `korpus dist`); the lines of a batch are
//!   parsed in parallel. Blank lines, lines past the document limit,
//!   NUL bytes, decoding and line numbers are handled for every such
//!   format alike.
//! - **as a stream** ([`Reader::Stream`], text, CSV, TSV, CoNLL-U,
//!   Markdown, HTML, WARC): a
//!   [`ReadStream`] function reads the whole (decoded) file on the
//!   reader thread and hands on its documents, skipped records and
//!   warnings through [`Input`], in file order; it holds at most one
//!   record in memory, and no record past [`Input::limit`]. HTML and
//!   WARC hand on web pages ([`Input::page`]), extracted in parallel on
//!   the receiving side ([`extract_page`]).
//!
//! Decompression, a byte order mark, UTF-16, checksums and progress are
//! done before a format's reader sees the bytes.

use std::io::BufRead;

use super::input::{Input, Meta};
use super::{InputFormat, ReadOptions};
use crate::error::Result;

mod conllu;
mod csv;
#[cfg(feature = "web")]
mod html;
mod jsonl;
mod leipzig;
mod markdown;
mod text;
#[cfg(feature = "web")]
mod warc;
#[cfg(not(feature = "web"))]
mod web_off;

#[cfg(feature = "web")]
pub(super) use html::extract_page;
#[cfg(not(feature = "web"))]
pub(super) use web_off::extract_page;

/// What defines an input format.
pub(super) struct Spec {
    /// Its name on the command line (`--input-format`) and in the read
    /// report.
    pub(super) name: &'static str,
    /// The file name extensions that select it (lower case, without the
    /// dot, before a `.gz` or `.zst` suffix).
    pub(super) extensions: &'static [&'static str],
    /// Recognizes a file of the format by its first bytes (those of the
    /// first read, a UTF-8 BOM still in front) when its name says text
    /// or nothing and no format is forced.
    pub(super) sniff: Option<fn(&[u8]) -> bool>,
    /// How its files are read.
    pub(super) reader: Reader,
}

/// How the files of a format are read.
pub(super) enum Reader {
    /// One record per line, parsed in parallel.
    Lines(ParseLine),
    /// Read whole on the reader thread.
    Stream(ReadStream),
}

impl Reader {
    /// Whether the format is read by lines (and its plain files can be
    /// cut into byte-range shares).
    pub(super) fn is_lines(&self) -> bool {
        matches!(self, Reader::Lines(_))
    }
}

/// Reads one line (not blank, without its line end, at most the
/// document limit) into its metadata, after `base` (the `path` and
/// `file` fields), and its text; or gives the message of why the record
/// is skipped (a warning naming `path:line`). It may set the [`Note`];
/// it is called from several threads at once.
pub(super) type ParseLine = fn(
    line: &str,
    opts: &ReadOptions,
    base: &Meta,
    note: &mut Option<Note>,
) -> std::result::Result<(Meta, String), String>;

/// Reads a whole file, handing everything on through the [`Input`];
/// returns false if the receiver hung up (the [`Input`] methods said
/// so). An error stops the scan (a file refused, or a problem under
/// `--strict`).
pub(super) type ReadStream =
    fn(input: &mut Input<'_>, rdr: &mut dyn BufRead) -> Result<bool>;

/// A remark on a record that is still read, reported once per file (at
/// the first such record) as `WHAT (N such record(s) in the file):
/// THEN`.
#[derive(Debug, Clone)]
pub(super) struct Note {
    pub(super) what: String,
    pub(super) then: &'static str,
}

impl InputFormat {
    /// What defines the format: the one match a new format extends.
    pub(super) fn spec(self) -> &'static Spec {
        match self {
            InputFormat::Text => &text::SPEC,
            InputFormat::Leipzig => &leipzig::SPEC,
            InputFormat::Jsonl => &jsonl::SPEC,
            InputFormat::Csv => &csv::CSV,
            InputFormat::Tsv => &csv::TSV,
            InputFormat::Conllu => &conllu::SPEC,
            InputFormat::Markdown => &markdown::SPEC,
            #[cfg(feature = "web")]
            InputFormat::Html => &html::SPEC,
            #[cfg(feature = "web")]
            InputFormat::Warc => &warc::SPEC,
            #[cfg(not(feature = "web"))]
            InputFormat::Html => &web_off::HTML,
            #[cfg(not(feature = "web"))]
            InputFormat::Warc => &web_off::WARC,
        }
    }
}
