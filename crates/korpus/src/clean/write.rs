//! What `korpus clean` writes: the kept documents as JSON Lines, and the
//! removal report.

use std::io::Write as _;

use rayon::prelude::*;

use crate::corpus::{Corpus, Document, ReadReport, Warning};
use crate::error::Result;
use crate::report::{Cell, Table};

use super::{Cleaning, Removed};

/// Appends `doc` to `out` as one JSON object and a line end:
/// `korpus_id` (its id as read), its metadata fields in the order read
/// (but the built-in `path` and `file`, which describe the file it was
/// read from, and a `korpus_id` read from an earlier cleaning), then
/// `text`. A later field of the same name as an earlier one is left out.
pub fn push_jsonl(doc: &Document, out: &mut Vec<u8>) {
    // Strings always serialize: the results are not errors.
    let field = |out: &mut Vec<u8>, k: &str, v: &str| {
        let _ = serde_json::to_writer(&mut *out, k);
        out.push(b':');
        let _ = serde_json::to_writer(&mut *out, v);
        out.push(b',');
    };
    out.push(b'{');
    field(out, "korpus_id", &doc.id);
    for (i, (k, v)) in doc.meta.iter().enumerate() {
        let skip = matches!(&**k, "path" | "file" | "korpus_id" | "text");
        let again = doc.meta[..i].iter().any(|(e, _)| e == k);
        if !skip && !again {
            field(out, k, v);
        }
    }
    field(out, "text", &doc.text);
    // The last field's comma becomes the object's end.
    if let Some(last) = out.last_mut() {
        *last = b'}';
    }
    out.push(b'\n');
}

/// Reads `corpus` (with its transform, the cleaning) and hands the kept
/// documents, as JSON Lines in corpus order, to `write`, a batch at a
/// time (the batch's lines made in parallel). Errors: the reader's and
/// `write`'s.
pub fn write_jsonl(
    corpus: &Corpus,
    warn: &mut dyn FnMut(&Warning),
    write: &mut dyn FnMut(&[u8]) -> Result<()>,
) -> Result<ReadReport> {
    corpus.scan(warn, &mut |docs: Vec<Document>| {
        let parts: Vec<Vec<u8>> = docs
            .par_chunks(64)
            .map(|chunk| {
                let mut buf = Vec::new();
                for d in chunk {
                    push_jsonl(d, &mut buf);
                }
                buf
            })
            .collect();
        let mut all = Vec::with_capacity(parts.iter().map(Vec::len).sum());
        for p in parts {
            all.extend_from_slice(&p);
        }
        write(&all)
    })
}

/// The columns of the removal report.
pub const REPORT_COLUMNS: [&str; 10] = [
    "kind",
    "id",
    "of_id",
    "similarity",
    "documents",
    "source",
    "source_documents",
    "rule",
    "tail",
    "template",
];

/// The removal report: every duplicate document (kind `exact` or
/// `near`, in corpus order: its id, the id of the document it
/// duplicates, their similarity), then every template met (kind
/// `template`: the first document it was removed from as `id`, the
/// documents of its source it occurs in, the source and its documents,
/// the rule, whether it removes the rest of a document, and its words as
/// written there), by source, then documents descending, then text.
pub fn report(cleaning: &Cleaning, removed: &Removed) -> Table {
    let mut table = Table::new(REPORT_COLUMNS);
    let text = |s: &str| Cell::Str(s.to_string());
    for d in &cleaning.duplicates {
        table.push(vec![
            text(super::kind_name(d.kind)),
            text(&d.id),
            text(&d.of_id),
            Cell::Float(d.similarity, 3),
            Cell::Null,
            Cell::Null,
            Cell::Null,
            Cell::Null,
            Cell::Null,
            Cell::Null,
        ]);
    }
    let Some(templates) = &cleaning.templates else { return table };
    let mut rows: Vec<_> = removed
        .met
        .iter()
        .filter_map(|(&k, met)| templates.get(k).map(|t| (t, met)))
        .collect();
    rows.sort_by(|(a, am), (b, bm)| {
        let docs = |t: &super::boilerplate::Template, m: &super::Met| {
            if t.docs == 0 { m.docs } else { t.docs }
        };
        (&a.source, std::cmp::Reverse(docs(a, am)), &am.text, &am.example_id)
            .cmp(&(
                &b.source,
                std::cmp::Reverse(docs(b, bm)),
                &bm.text,
                &bm.example_id,
            ))
    });
    for (t, met) in rows {
        let docs = if t.docs == 0 { met.docs } else { t.docs };
        table.push(vec![
            text("template"),
            text(&met.example_id),
            Cell::Null,
            Cell::Null,
            Cell::Int(docs),
            text(&t.source),
            if t.source_docs == 0 {
                Cell::Null
            } else {
                Cell::Int(t.source_docs)
            },
            text(t.rule.name()),
            text(if t.tail { "yes" } else { "no" }),
            text(&met.text),
        ]);
    }
    table
}

/// How a cleaned corpus file is compressed, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Packing {
    /// `.jsonl`.
    Plain,
    /// `.jsonl.gz`: gzip (fast level).
    Gzip,
    /// `.jsonl.zst`: zstd, one frame per batch (ruzstd's fastest level).
    Zstd,
}

impl Packing {
    /// The packing a file name asks for; `None` if it is not JSON Lines.
    pub fn of(name: &str) -> Option<Packing> {
        let name = name.to_ascii_lowercase();
        [(".jsonl", Packing::Plain), (".jsonl.gz", Packing::Gzip)]
            .into_iter()
            .chain([(".jsonl.zst", Packing::Zstd)])
            .find(|(ext, _)| name.ends_with(ext))
            .map(|(_, p)| p)
    }
}

/// A writer that compresses what it is given as its [`Packing`] says;
/// [`PackedWriter::finish`] ends the stream.
pub enum PackedWriter<W: std::io::Write> {
    /// Written as given.
    Plain(W),
    /// Through gzip.
    Gzip(flate2::write::GzEncoder<W>),
    /// Each write one zstd frame (a stream of frames is one zstd file).
    Zstd(W),
}

impl<W: std::io::Write> PackedWriter<W> {
    /// A writer to `inner`.
    pub fn new(inner: W, packing: Packing) -> Self {
        match packing {
            Packing::Plain => PackedWriter::Plain(inner),
            Packing::Gzip => {
                PackedWriter::Gzip(flate2::write::GzEncoder::new(
                    inner,
                    flate2::Compression::fast(),
                ))
            }
            Packing::Zstd => PackedWriter::Zstd(inner),
        }
    }

    /// Writes all of `bytes` (as one zstd frame for [`Packing::Zstd`]).
    pub fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        match self {
            PackedWriter::Plain(w) => w.write_all(bytes),
            PackedWriter::Gzip(w) => w.write_all(bytes),
            PackedWriter::Zstd(_) if bytes.is_empty() => Ok(()),
            PackedWriter::Zstd(w) => {
                let level = ruzstd::encoding::CompressionLevel::Fastest;
                w.write_all(&ruzstd::encoding::compress_to_vec(bytes, level))
            }
        }
    }

    /// Ends the stream; returns the inner writer.
    pub fn finish(self) -> std::io::Result<W> {
        match self {
            PackedWriter::Plain(w) | PackedWriter::Zstd(w) => Ok(w),
            PackedWriter::Gzip(w) => w.finish(),
        }
    }
}
