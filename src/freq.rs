//! Frequency lists: frequency, frequency per million, range, Juilland's D
//! and Gries' DP of every item (word or n-gram), per group.
//!
//! The corpus is read once, in parallel over documents with per-thread
//! counts merged once at the end:
//!
//! 1. each thread counts frequency, range, and the sums `Σ p_i`, `Σ p_i²`
//!    of the relative frequencies per document that give Juilland's D;
//!    for Gries' DP it also writes each document's size and its
//!    `(item, count)` pairs to a temporary file of its own (about 2 to 3
//!    bytes per token, in `TMPDIR`, deleted at the end);
//! 2. DP needs each item's total frequency `f` before a document's share
//!    `f_i / f` can be compared with its size share, so once the counts
//!    are merged, the temporary files are read back (in parallel) and DP
//!    is summed. Nothing is tokenized twice. [`FreqOptions::dp`] off
//!    skips both the files and this step.
//!
//! Memory grows with the vocabulary (and the number of groups), never
//! with the corpus: per thread and item, 8 bytes of totals while it is
//! met in one document, 72 once in more ([`Totals`]), the item's bytes
//! and id in a [`Vocab`] (about 30 bytes), and 4 bytes of scratch;
//! the chunk memo of each thread is bounded
//! ([`crate::chunks::DEFAULT_ROOM`]). The parts for dispersion are the
//! documents that hold at least one counted unit; `range_pct` is the
//! share of those parts.
//!
//! Items are tokens of the selected classes, normalized and mapped by the
//! [`Analyzer`]; with `ngram = n > 1`, items are n consecutive items
//! joined by a space, never crossing a document boundary, nor a sentence
//! boundary unless [`FreqOptions::cross_sentences`].
//! Stopwords and `min_freq` remove rows from the list, never tokens from
//! the counts: `tokens` (the base of per-million figures) is the number
//! of all counted units in the group.
//!
//! Fractions are summed in fixed point ([`Fixed`], and [`Wide`] with 128
//! fractional bits for Juilland's D, whose `p²` in a document of 10^7
//! tokens is near 10^-14 and of 2^33 tokens below 2^-64), so the totals do not
//! depend on which thread counted which document. Rows are ordered by
//! frequency, descending, then by item, ascending byte order: a total
//! order, so output does not depend on threads.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Seek, SeekFrom, Write};

use rayon::prelude::*;

use crate::analyze::{Analyzer, Scratch};
use crate::chunks::{ChunkCache, ChunkScratch};
use crate::corpus::{Corpus, Document, ReadReport, ScanCounts, Warning};
use crate::dispersion::{dp_norm, dp_term, juilland_d};
use crate::error::{Error, Result};
use crate::intern::{Interner, Keys, Vocab};
use crate::meta::{DocFilter, GroupBy};
use crate::parallel::{Fixed, PerThread, Wide};

/// Options of a frequency count.
#[derive(Debug, Clone)]
pub struct FreqOptions {
    /// Count n-grams of this length (1: single items).
    pub ngram: usize,
    /// Compute Gries' DP (from per-thread spill files).
    pub dp: bool,
    /// Let n-grams run across sentence boundaries (never across
    /// documents).
    pub cross_sentences: bool,
}

impl Default for FreqOptions {
    fn default() -> Self {
        FreqOptions { ngram: 1, dp: true, cross_sentences: false }
    }
}

/// Totals for one item in one group, counted as documents are read:
/// 64 bytes (the sums of Juilland's D in [`Wide`] fixed point, 128
/// fractional bits, so a squared relative frequency far below 2^-64 is
/// kept: documents of any size give exact sums). (Gries' DP is summed after the scan, in [`GroupCounts::dp`].)
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct TermStats {
    freq: u64,
    range: u64,
    sum_p: Wide,
    sum_p2: Wide,
}

impl TermStats {
    /// Adds a document of `size` units holding the item `c` times.
    #[inline]
    fn add_doc(&mut self, c: u64, size: u64) {
        let p = c as f64 / size as f64;
        self.freq += c;
        self.range += 1;
        self.sum_p += Wide::from_f64(p);
        self.sum_p2 += Wide::from_f64(p * p);
    }

    fn add(&mut self, o: &TermStats) {
        self.freq += o.freq;
        self.range += o.range;
        self.sum_p += o.sum_p;
        self.sum_p2 += o.sum_p2;
    }
}

/// Every item's [`TermStats`], in 8 bytes an item until it is met in a
/// second document. Most items of a large corpus are met in one document
/// only (at 1 GB of generated news, 79% of the types are hapaxes): such
/// an item keeps that document's count and size, `count << 32 | size`,
/// and gets its 64 bytes of totals, in `full`, when a second document
/// holds it. Its totals are the same either way: the sums of
/// [`TermStats::add_doc`] over its documents, in fixed point.
#[derive(Debug, Default)]
struct Totals {
    /// Per item: 0 (not met), `FULL | i` (totals in `full[i]`), or the
    /// one document's `count << 32 | size` (both above 0).
    slim: Vec<u64>,
    full: Vec<TermStats>,
}

const FULL: u64 = 1 << 63;

impl Totals {
    fn len(&self) -> usize {
        self.slim.len()
    }

    /// Gives items `len()..n` empty totals, the buffer reserved up to
    /// `room` items when it must grow (one reallocation each time the
    /// items' table grows, rather than doubling on its own).
    #[inline]
    fn fit(&mut self, n: usize, room: usize) {
        if n > self.slim.capacity() {
            self.slim.reserve_exact(room.max(n) - self.slim.len());
        }
        self.slim.resize(n, 0);
    }

    /// Adds a document of `size` units holding item `id` `c` times.
    #[inline(always)]
    fn add_doc(&mut self, id: u32, c: u64, size: u64) {
        let v = self.slim[id as usize];
        if v & FULL != 0 {
            self.full[(v & !FULL) as usize].add_doc(c, size);
        } else if v == 0 && c < 1 << 31 && size <= u32::MAX as u64 {
            self.slim[id as usize] = c << 32 | size;
        } else {
            self.full_mut(id).add_doc(c, size);
        }
    }

    /// Item `id`'s 64-byte totals, made from its slim word first if it
    /// has none.
    #[cold]
    #[inline(never)]
    fn full_mut(&mut self, id: u32) -> &mut TermStats {
        let v = &mut self.slim[id as usize];
        if *v & FULL == 0 {
            self.full.push(one_doc(*v));
            *v = FULL | (self.full.len() - 1) as u64;
        }
        &mut self.full[(*v & !FULL) as usize]
    }

    /// Adds totals `o` to item `id`'s.
    fn add(&mut self, id: u32, o: &TermStats) {
        self.full_mut(id).add(o);
    }

    /// Adds item `o`'s totals in `other` to item `id`'s: a document
    /// held alone is added as a document, so an item met once in each
    /// of two threads' totals stays 8 bytes until its second document.
    fn add_from(&mut self, id: u32, other: &Totals, o: u32) {
        match other.slim[o as usize] {
            0 => {}
            v if v & FULL != 0 => {
                self.add(id, &other.full[(v & !FULL) as usize])
            }
            v => self.add_doc(id, v >> 32, v & u32::MAX as u64),
        }
    }

    fn get(&self, id: u32) -> TermStats {
        match self.slim[id as usize] {
            v if v & FULL != 0 => self.full[(v & !FULL) as usize],
            v => one_doc(v),
        }
    }

    /// Item `id`'s frequency (also read ahead of use, to load its
    /// totals).
    #[inline]
    fn freq(&self, id: u32) -> u64 {
        match self.slim[id as usize] {
            v if v & FULL != 0 => self.full[(v & !FULL) as usize].freq,
            v => v >> 32,
        }
    }

    /// Sets item `id`'s frequency (for a distributed count's second
    /// round, which needs the whole corpus's).
    fn set_freq(&mut self, id: u32, freq: u64) {
        self.full_mut(id).freq = freq;
    }
}

/// The totals of an item held by one document, from its slim word (0:
/// none).
#[inline]
fn one_doc(v: u64) -> TermStats {
    let mut s = TermStats::default();
    if v != 0 {
        s.add_doc(v >> 32, v & u32::MAX as u64);
    }
    s
}

/// The counts of one group (mergeable).
#[derive(Debug, Default)]
struct GroupCounts {
    /// The items (looked up only for chunks not remembered, or n-grams).
    index: Vocab,
    totals: Totals,
    /// Each item's Gries' DP sum (fixed point), when asked for: filled
    /// after the scan, empty until then.
    dp: Vec<Fixed>,
    /// Counted units.
    tokens: u64,
    /// Documents with at least one unit (the dispersion parts).
    parts: u64,
    /// Documents with no unit.
    empty_docs: u64,
    /// Size of the smallest part.
    min_part: Option<u64>,
}

impl GroupCounts {
    #[inline]
    fn intern(&mut self, term: &str) -> u32 {
        let id = self.index.intern(term);
        self.fit_stats();
        id
    }

    /// Adds `other`; returns the map from its item ids to this one's.
    /// (Each of its items is looked up in this index, whose table is
    /// small: [`Vocab`].)
    fn merge(&mut self, other: GroupCounts) -> Vec<u32> {
        self.tokens += other.tokens;
        self.parts += other.parts;
        self.empty_docs += other.empty_docs;
        self.min_part = match (self.min_part, other.min_part) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let remap: Vec<u32> = other
            .index
            .iter()
            .map(|(_, item)| self.index.intern(item))
            .collect();
        self.fit_stats();
        for (o, &mine) in remap.iter().enumerate() {
            self.totals.add_from(mine, &other.totals, o as u32);
        }
        remap
    }

    /// Gives every item of the index its totals. The totals' buffer grows
    /// in step with the index's table (one reallocation each time the
    /// table grows) rather than doubling on its own.
    #[inline]
    fn fit_stats(&mut self) {
        self.totals.fit(self.index.len(), self.index.capacity());
    }
}

/// Produces the counted units (items or n-grams) of a document, reusing
/// its buffers.
#[derive(Debug, Default)]
pub struct Units {
    scratch: Scratch,
    ring: Vec<String>,
    pos: usize,
    filled: usize,
    key: String,
}

impl Units {
    /// Calls `f(unit)` for each unit of `text`: each item when `n == 1`,
    /// each n-gram (items joined by a space, within a sentence unless
    /// `cross_sentences`) otherwise.
    pub fn each(
        &mut self,
        an: &Analyzer,
        text: &str,
        n: usize,
        cross_sentences: bool,
        mut f: impl FnMut(&str),
    ) {
        if n <= 1 {
            an.analyze(text, &mut self.scratch, |_, term| f(term));
            return;
        }
        let Units { scratch, ring, pos, filled, key } = self;
        ring.resize_with(n, String::new);
        *filled = 0;
        an.analyze(text, scratch, |tok, term| {
            if tok.sentence_start && !cross_sentences {
                *filled = 0;
            }
            ring[*pos].clear();
            ring[*pos].push_str(term);
            *pos = (*pos + 1) % n;
            *filled = (*filled + 1).min(n);
            if *filled == n {
                key.clear();
                for k in 0..n {
                    if k > 0 {
                        key.push(' ');
                    }
                    key.push_str(&ring[(*pos + k) % n]);
                }
                f(key);
            }
        });
    }
}

/// Per-thread state of the counting pass.
#[derive(Default)]
struct Pass1 {
    units: Units,
    /// Group names to local group ids.
    names: Interner,
    groups: Vec<GroupCounts>,
    /// Each group's chunk memo (items only, not n-grams).
    chunks: Vec<ChunkCache>,
    chunk_scratch: ChunkScratch,
    doc_counts: Vec<u32>,
    /// The items of the current document with their counts.
    touched: Vec<(u32, u32)>,
    /// The document's n-grams (n > 1; items come from `chunks`).
    keys: Keys,
    /// The ids of the document's units.
    ids: Vec<u32>,
    /// The per-document pairs for DP, when asked for.
    spill: Option<Spill>,
}

/// A thread's temporary file of per-document `(item, count)` pairs.
struct Spill {
    out: BufWriter<File>,
    buf: Vec<u8>,
    error: Option<std::io::Error>,
}

impl Spill {
    fn new() -> std::io::Result<Spill> {
        Ok(Spill {
            out: BufWriter::with_capacity(1 << 20, tempfile::tempfile()?),
            buf: Vec::new(),
            error: None,
        })
    }

    /// Writes one document: group, size, pair count, then the pairs.
    fn record(
        &mut self,
        group: u32,
        size: u64,
        pairs: impl ExactSizeIterator<Item = (u32, u32)>,
    ) {
        if self.error.is_some() {
            return;
        }
        self.buf.clear();
        put_varint(&mut self.buf, group as u64);
        put_varint(&mut self.buf, size);
        put_varint(&mut self.buf, pairs.len() as u64);
        for (id, c) in pairs {
            put_varint(&mut self.buf, id as u64);
            put_varint(&mut self.buf, c as u64);
        }
        if let Err(e) = self.out.write_all(&self.buf) {
            self.error = Some(e);
        }
    }

    /// The file, flushed and rewound, or the first write error.
    fn into_reader(self) -> std::io::Result<BufReader<File>> {
        if let Some(e) = self.error {
            return Err(e);
        }
        let mut f = self.out.into_inner().map_err(|e| e.into_error())?;
        f.seek(SeekFrom::Start(0))?;
        Ok(BufReader::with_capacity(1 << 20, f))
    }
}

fn put_varint(buf: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        buf.push((v as u8) | 0x80);
        v >>= 7;
    }
    buf.push(v as u8);
}

/// Reads a varint; `None` at a clean end of file.
fn get_varint(r: &mut impl BufRead) -> std::io::Result<Option<u64>> {
    let mut v = 0u64;
    let mut shift = 0;
    loop {
        let buf = r.fill_buf()?;
        let Some(&b) = buf.first() else {
            return if shift == 0 {
                Ok(None)
            } else {
                Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "truncated record",
                ))
            };
        };
        r.consume(1);
        v |= ((b & 0x7F) as u64) << shift;
        if b < 0x80 {
            return Ok(Some(v));
        }
        shift += 7;
    }
}

fn need(v: std::io::Result<Option<u64>>) -> std::io::Result<u64> {
    v?.ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            "truncated record",
        )
    })
}

/// One row of a frequency list.
#[derive(Debug, Clone, PartialEq)]
pub struct FreqRow {
    /// The item (a term, or an n-gram).
    pub item: String,
    /// Its frequency.
    pub freq: u64,
    /// Frequency per million units of the group.
    pub per_million: f64,
    /// Number of documents it occurs in.
    pub range: u64,
    /// Range as a percentage of the group's documents (parts).
    pub range_pct: f64,
    /// Juilland's D over documents (`None` with fewer than 2 parts).
    pub juilland_d: Option<f64>,
    /// Gries' DP over documents (`None` when not computed).
    pub dp: Option<f64>,
    /// DPnorm (`None` when not computed or with one part).
    pub dp_norm: Option<f64>,
}

/// The frequency list of one group.
#[derive(Debug, Clone)]
pub struct GroupFreq {
    /// The group's name (empty for the whole corpus).
    pub group: String,
    /// Units counted in the group.
    pub tokens: u64,
    /// Types (distinct units) in the group, before any row filter.
    pub types: u64,
    /// Documents with at least one unit.
    pub parts: u64,
    /// Documents with no unit.
    pub empty_docs: u64,
    /// All rows, in rank order.
    pub rows: Vec<FreqRow>,
}

/// The result of [`count`].
#[derive(Debug, Clone)]
pub struct FreqList {
    /// Groups in ascending byte order of their names.
    pub groups: Vec<GroupFreq>,
    /// What was read.
    pub report: ReadReport,
    /// Documents left out by the filter.
    pub filtered_out: u64,
}

/// The counting pass: every document counted by the thread that reads
/// it (with a spill file per thread for DP); the threads' counts, what
/// was read, and the documents the filter left out.
fn first_pass(
    corpus: &Corpus,
    an: &Analyzer,
    filter: &DocFilter,
    by: &GroupBy,
    opts: &FreqOptions,
    warn: &mut dyn FnMut(&Warning),
) -> Result<(Vec<Pass1>, ReadReport, u64)> {
    let n = opts.ngram.max(1);
    let spill_err =
        |e: std::io::Error| Error::Io { path: std::env::temp_dir(), error: e };
    let mut spills = Vec::new();
    for _ in 0..rayon::current_num_threads().max(1) {
        spills.push(if opts.dp {
            Some(Spill::new().map_err(spill_err)?)
        } else {
            None
        });
    }
    let spills = std::sync::Mutex::new(spills);
    let threads = PerThread::new(|| Pass1 {
        spill: spills
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .pop()
            .flatten(),
        ..Pass1::default()
    });
    let mut filtered_out = 0u64;
    let report = corpus.scan(warn, &mut |docs| {
        let kept = keep(docs, filter, &mut filtered_out);
        let cross = opts.cross_sentences;
        threads.for_each(&kept, |acc, doc| acc.add(an, doc, by, n, cross));
        Ok(())
    })?;
    Ok((threads.into_inner(), report, filtered_out))
}

/// Counts the frequency list of `corpus`.
pub fn count(
    corpus: &Corpus,
    an: &Analyzer,
    filter: &DocFilter,
    by: &GroupBy,
    opts: &FreqOptions,
    warn: &mut dyn FnMut(&Warning),
) -> Result<FreqList> {
    let spill_err =
        |e: std::io::Error| Error::Io { path: std::env::temp_dir(), error: e };
    let (threads, report, filtered_out) =
        first_pass(corpus, an, filter, by, opts, warn)?;
    // Merge, remembering how each thread's ids map to the merged ones.
    let ((names, mut groups), parts) = merge_threads(threads);
    let kept = report.documents - filtered_out;
    let tokens = groups.iter().map(|g| g.tokens).sum();
    crate::meta::check_scan(&report, filter, by, kept, tokens)?;
    if opts.dp {
        add_dp(&mut groups, parts).map_err(spill_err)?;
    }
    let mut out: Vec<GroupFreq> = groups
        .into_iter()
        .enumerate()
        .map(|(g, c)| rows_of(names.term(g as u32).to_string(), c, opts.dp))
        .collect();
    out.sort_by(|a, b| a.group.as_bytes().cmp(b.group.as_bytes()));
    Ok(FreqList { groups: out, report, filtered_out })
}

/// One piece of a frequency count, for summing counts made apart (the
/// workers of a distributed run): records with the same [`key`] are
/// added with [`FreqRecord::add`], and [`from_records`] turns the sums
/// into the frequency list that [`count`] gives for the whole corpus.
/// Gries' DP takes a second round ([`dp_records`]): a document's share
/// needs the item's total over the whole corpus.
///
/// [`key`]: FreqRecord::key
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum FreqRecord {
    /// One item's counts in one group.
    Term {
        /// The group.
        group: String,
        /// The item.
        item: String,
        /// Frequency.
        freq: u64,
        /// Documents it occurs in.
        range: u64,
        /// Σ of its relative frequency per document (fixed point).
        sum_p: Wide,
        /// Σ of its squared relative frequency per document.
        sum_p2: Wide,
    },
    /// One group's totals.
    Group {
        /// The group.
        group: String,
        /// Counted units.
        tokens: u64,
        /// Documents with at least one unit.
        parts: u64,
        /// Documents with none.
        empty_docs: u64,
        /// The smallest part's size.
        min_part: Option<u64>,
    },
    /// One item's Gries' DP sum over some documents (the one-sided form
    /// of [`crate::dispersion::dp_term`], in fixed point), computed with
    /// the item's and group's totals over the whole corpus.
    Dp {
        /// The group.
        group: String,
        /// The item.
        item: String,
        /// Σ max(0, f_i/f − s_i/T) over the documents counted.
        dp: u128,
    },
    /// What was read.
    Scan(ScanCounts),
}

impl FreqRecord {
    /// The key that records are summed by: (kind, group, item).
    pub fn key(&self) -> (u8, &str, &str) {
        match self {
            FreqRecord::Term { group, item, .. } => (0, group, item),
            FreqRecord::Group { group, .. } => (1, group, ""),
            FreqRecord::Scan(_) => (2, "", ""),
            FreqRecord::Dp { group, item, .. } => (3, group, item),
        }
    }

    /// Adds `other`, which has the same key.
    pub fn add(&mut self, other: FreqRecord) {
        use FreqRecord::*;
        match (self, other) {
            (
                Term { freq, range, sum_p, sum_p2, .. },
                Term { freq: f, range: r, sum_p: p, sum_p2: p2, .. },
            ) => {
                *freq += f;
                *range += r;
                *sum_p += p;
                *sum_p2 += p2;
            }
            (
                Group { tokens, parts, empty_docs, min_part, .. },
                Group {
                    tokens: t, parts: n, empty_docs: e, min_part: m, ..
                },
            ) => {
                *tokens += t;
                *parts += n;
                *empty_docs += e;
                *min_part = match (*min_part, m) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
            }
            (Dp { dp, .. }, Dp { dp: d, .. }) => *dp += d,
            (Scan(a), Scan(b)) => a.add(b),
            (a, b) => panic!("adding records of different keys: {a:?}, {b:?}"),
        }
    }
}

/// One worker's counts, kept between the two rounds of a distributed
/// count: its merged counts and, for Gries' DP, its spill files.
pub struct Local {
    names: Interner,
    groups: Vec<GroupCounts>,
    parts: Vec<SpillPart>,
}

/// Counts `corpus` (one worker's share) as records to be summed with
/// other workers' (see [`FreqRecord`]), and keeps what [`dp_records`]
/// needs when `opts.dp`. The checks of [`count`] on the whole corpus
/// (empty, no match) are made by [`from_records`], on the sums.
pub fn partial_records(
    corpus: &Corpus,
    an: &Analyzer,
    filter: &DocFilter,
    by: &GroupBy,
    opts: &FreqOptions,
    warn: &mut dyn FnMut(&Warning),
) -> Result<(Vec<FreqRecord>, Local)> {
    let (threads, report, filtered_out) =
        first_pass(corpus, an, filter, by, opts, warn)?;
    let ((names, groups), parts) = merge_threads(threads);
    let kept = report.documents - filtered_out;
    let mut out = vec![FreqRecord::Scan(ScanCounts::of(&report, kept))];
    for (g, c) in groups.iter().enumerate() {
        let group = names.term(g as u32).to_string();
        for (id, item) in c.index.iter() {
            let s = c.totals.get(id);
            out.push(FreqRecord::Term {
                group: group.clone(),
                item: item.to_string(),
                freq: s.freq,
                range: s.range,
                sum_p: s.sum_p,
                sum_p2: s.sum_p2,
            });
        }
        out.push(FreqRecord::Group {
            group,
            tokens: c.tokens,
            parts: c.parts,
            empty_docs: c.empty_docs,
            min_part: c.min_part,
        });
    }
    Ok((out, Local { names, groups, parts }))
}

/// The second round of a distributed count with DP: this worker's DP
/// sums (one [`FreqRecord::Dp`] per item it saw), from its spill files
/// and the totals over the whole corpus in `summed` (the first round's
/// sums). Summed over workers, they are exactly the DP of [`count`]
/// (fixed point: the same sum in any order).
pub fn dp_records(
    local: Local,
    summed: &[FreqRecord],
) -> Result<Vec<FreqRecord>> {
    let Local { names, mut groups, parts } = local;
    // The whole corpus's totals in place of this worker's.
    let mut tokens: crate::hash::Map<&str, u64> = crate::hash::new_map();
    let mut freqs: crate::hash::Map<(&str, &str), u64> =
        crate::hash::new_map();
    for r in summed {
        match r {
            FreqRecord::Term { group, item, freq, .. } => {
                freqs.insert((group.as_str(), item.as_str()), *freq);
            }
            FreqRecord::Group { group, tokens: t, .. } => {
                tokens.insert(group.as_str(), *t);
            }
            _ => {}
        }
    }
    for (g, c) in groups.iter_mut().enumerate() {
        let group = names.term(g as u32);
        c.tokens = tokens.get(group).copied().unwrap_or(c.tokens);
        for (id, item) in c.index.iter() {
            if let Some(&f) = freqs.get(&(group, item)) {
                c.totals.set_freq(id, f);
            }
        }
    }
    let spill_err =
        |e: std::io::Error| Error::Io { path: std::env::temp_dir(), error: e };
    add_dp(&mut groups, parts).map_err(spill_err)?;
    let mut out = Vec::new();
    for (g, c) in groups.iter().enumerate() {
        let group = names.term(g as u32);
        for (id, item) in c.index.iter() {
            out.push(FreqRecord::Dp {
                group: group.to_string(),
                item: item.to_string(),
                dp: c.dp.get(id as usize).map_or(0, |d| d.0),
            });
        }
    }
    Ok(out)
}

/// The frequency list from summed records (each key once), exactly as
/// [`count`] computes it on one machine (with DP if there are
/// [`FreqRecord::Dp`] records); `report` is what this process read, its
/// counts replaced by the sums.
pub fn from_records(
    records: Vec<FreqRecord>,
    filter: &DocFilter,
    by: &GroupBy,
    mut report: ReadReport,
) -> Result<FreqList> {
    let with_dp = records.iter().any(|r| matches!(r, FreqRecord::Dp { .. }));
    let mut names = Interner::new();
    let mut groups: Vec<GroupCounts> = Vec::new();
    let mut kept = 0;
    let mut group_of = |name: &str, groups: &mut Vec<GroupCounts>| {
        let g = names.intern(name) as usize;
        if g == groups.len() {
            groups.push(GroupCounts::default());
        }
        g
    };
    for r in records {
        match r {
            FreqRecord::Term { group, item, freq, range, sum_p, sum_p2 } => {
                let g = group_of(&group, &mut groups);
                let c = &mut groups[g];
                let id = c.intern(&item);
                let s = TermStats { freq, range, sum_p, sum_p2 };
                c.totals.add(id, &s);
            }
            FreqRecord::Group {
                group,
                tokens,
                parts,
                empty_docs,
                min_part,
            } => {
                let g = group_of(&group, &mut groups);
                let c = &mut groups[g];
                c.tokens += tokens;
                c.parts += parts;
                c.empty_docs += empty_docs;
                c.min_part = match (c.min_part, min_part) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
            }
            FreqRecord::Dp { group, item, dp } => {
                let g = group_of(&group, &mut groups);
                let c = &mut groups[g];
                let id = c.intern(&item) as usize;
                c.dp.resize(c.totals.len(), Fixed::default());
                c.dp[id] += Fixed(dp);
            }
            FreqRecord::Scan(scan) => kept = scan.fill(&mut report),
        }
    }
    let filtered_out = report.documents - kept;
    let tokens = groups.iter().map(|g| g.tokens).sum();
    crate::meta::check_scan(&report, filter, by, kept, tokens)?;
    let mut out: Vec<GroupFreq> = groups
        .into_iter()
        .enumerate()
        .map(|(g, c)| rows_of(names.term(g as u32).to_string(), c, with_dp))
        .collect();
    out.sort_by(|a, b| a.group.as_bytes().cmp(b.group.as_bytes()));
    Ok(FreqList { groups: out, report, filtered_out })
}

/// Merges the threads' counts: the group names, the merged counts, and
/// each thread's spill file with its id maps.
fn merge_threads(
    threads: Vec<Pass1>,
) -> ((Interner, Vec<GroupCounts>), Vec<SpillPart>) {
    let mut names = Interner::new();
    let mut groups: Vec<GroupCounts> = Vec::new();
    let mut parts = Vec::new();
    for acc in threads {
        // (The thread's chunk memos and buffers are dropped here.)
        let Pass1 { names: local, groups: counts, spill, .. } = acc;
        let mut remaps = Vec::with_capacity(counts.len());
        for (l, counts) in counts.into_iter().enumerate() {
            let g = names.intern(local.term(l as u32));
            if g as usize == groups.len() {
                // The group's first counts are taken whole, ids unchanged.
                let n = counts.index.len() as u32;
                groups.push(counts);
                remaps.push((g, (0..n).collect()));
            } else {
                remaps.push((g, groups[g as usize].merge(counts)));
            }
        }
        parts.push((spill, remaps));
    }
    ((names, groups), parts)
}

/// One thread's spill file with its id maps: per local group, the merged
/// group and the local-to-merged item ids.
type SpillPart = (Option<Spill>, Vec<(u32, Vec<u32>)>);

/// Reads the spill files back (in parallel) and adds Gries' DP.
fn add_dp(
    groups: &mut [GroupCounts],
    parts: Vec<SpillPart>,
) -> std::io::Result<()> {
    let totals: &[GroupCounts] = groups;
    let sums: Vec<Vec<Vec<Fixed>>> = parts
        .into_par_iter()
        .map(|(spill, remaps)| -> std::io::Result<Vec<Vec<Fixed>>> {
            let mut sums: Vec<Vec<Fixed>> = vec![Vec::new(); totals.len()];
            let Some(spill) = spill else { return Ok(sums) };
            let mut r = spill.into_reader()?;
            while let Some(local) = get_varint(&mut r)? {
                let (g, remap) = &remaps[local as usize];
                let group = &totals[*g as usize];
                let sum = &mut sums[*g as usize];
                if sum.is_empty() {
                    sum.resize(group.totals.len(), Fixed::default());
                }
                let size = need(get_varint(&mut r))? as f64;
                let pairs = need(get_varint(&mut r))?;
                let total = group.tokens as f64;
                for _ in 0..pairs {
                    let id = remap[need(get_varint(&mut r))? as usize];
                    let c = need(get_varint(&mut r))? as f64;
                    let f = group.totals.freq(id) as f64;
                    sum[id as usize] +=
                        Fixed::from_f64(dp_term(c, f, size, total));
                }
            }
            Ok(sums)
        })
        .collect::<std::io::Result<_>>()?;
    for per_thread in sums {
        for (g, sum) in per_thread.into_iter().enumerate() {
            let dp = &mut groups[g].dp;
            if dp.is_empty() {
                *dp = sum;
                continue;
            }
            for (d, v) in dp.iter_mut().zip(sum) {
                *d += v;
            }
        }
    }
    Ok(())
}

/// The documents that pass the filter; counts the others.
pub fn keep(
    docs: Vec<Document>,
    filter: &DocFilter,
    out: &mut u64,
) -> Vec<Document> {
    if filter.is_empty() {
        return docs;
    }
    let before = docs.len();
    let kept: Vec<Document> =
        docs.into_iter().filter(|d| filter.matches(d)).collect();
    *out += (before - kept.len()) as u64;
    kept
}

impl Pass1 {
    fn add(
        &mut self,
        an: &Analyzer,
        doc: &Document,
        by: &GroupBy,
        n: usize,
        cross: bool,
    ) {
        let name = by.group_of(doc);
        let g = self.names.intern(&name);
        if g as usize == self.groups.len() {
            self.groups.push(GroupCounts::default());
            self.chunks.push(ChunkCache::default());
        }
        let Pass1 {
            units,
            groups,
            chunks,
            chunk_scratch,
            doc_counts,
            touched,
            spill,
            keys,
            ids,
            ..
        } = self;
        let group = &mut groups[g as usize];
        if n == 1 {
            let cache = &mut chunks[g as usize];
            cache.ids(an, &doc.text, &mut group.index, chunk_scratch, ids);
        } else {
            keys.clear();
            units.each(an, &doc.text, n, cross, |unit| keys.push(unit));
            group.index.intern_all(keys, ids);
        }
        group.fit_stats();
        if doc_counts.len() < group.index.len() {
            doc_counts.resize(group.index.len(), 0);
        }
        // Count, then collect each item once with its count (in order of
        // first occurrence), resetting the counts: the first loop has no
        // branch on what it loads, so its cache misses overlap.
        for &id in ids.iter() {
            doc_counts[id as usize] += 1;
        }
        for &id in ids.iter() {
            let c = std::mem::take(&mut doc_counts[id as usize]);
            if c > 0 {
                touched.push((id, c));
            }
        }
        let size = ids.len() as u64;
        if size == 0 {
            group.empty_docs += 1;
            return;
        }
        group.tokens += size;
        group.parts += 1;
        group.min_part = Some(group.min_part.map_or(size, |m| m.min(size)));
        if let Some(spill) = spill {
            spill.record(g, size, touched.iter().copied());
        }
        // Load the items' totals before updating them: independent loads
        // that the processor overlaps (see `Interner::intern_all`).
        let mut t = 0u64;
        for &(id, _) in touched.iter() {
            t ^= group.totals.freq(id);
        }
        std::hint::black_box(t);
        for (id, c) in touched.drain(..) {
            group.totals.add_doc(id, c as u64, size);
        }
    }
}

fn rows_of(group: String, c: GroupCounts, with_dp: bool) -> GroupFreq {
    let GroupCounts { index, totals, dp, tokens, parts, empty_docs, min_part } =
        c;
    let min_share = min_part.map_or(1.0, |m| m as f64 / tokens as f64);
    // The ids in the rows' order; items are distinct, so the order is
    // total and an unstable sort gives the same. Each id is sorted with
    // its frequency, read once (comparisons load only the items' bytes,
    // on a tie); then only the ids are kept (4 bytes an item, not 16, at
    // the peak).
    let mut keyed: Vec<(u64, u32)> =
        (0..index.len() as u32).map(|id| (totals.freq(id), id)).collect();
    keyed.par_sort_unstable_by(|&(fa, a), &(fb, b)| {
        fb.cmp(&fa).then_with(|| {
            index.term(a).as_bytes().cmp(index.term(b).as_bytes())
        })
    });
    let order: Vec<u32> = keyed.into_iter().map(|(_, id)| id).collect();
    // The numbers first, then the items once the totals are freed: the
    // rows and the totals are the largest things held, not together
    // with the items' strings. (Measured at 1 GB, `--no-dp`, in turns
    // with rows made whole and then sorted: peak 223-233 MB against
    // 231-261 MB, for 0.6 s here against 0.3 s.)
    let mut rows: Vec<FreqRow> = order
        .par_iter()
        .map(|&id| {
            let s = totals.get(id);
            let dp = with_dp.then(|| {
                dp.get(id as usize).map_or(0.0, |d| d.to_f64().min(1.0))
            });
            FreqRow {
                item: String::new(),
                freq: s.freq,
                per_million: s.freq as f64 * 1e6 / tokens as f64,
                range: s.range,
                range_pct: s.range as f64 * 100.0 / parts as f64,
                juilland_d: juilland_d(
                    parts,
                    s.sum_p.to_f64(),
                    s.sum_p2.to_f64(),
                ),
                dp,
                dp_norm: dp.and_then(|d| {
                    if parts < 2 { None } else { dp_norm(d, min_share) }
                }),
            }
        })
        .collect();
    drop((totals, dp));
    rows.par_iter_mut()
        .zip(&order)
        .for_each(|(r, &id)| r.item = index.term(id).to_string());
    GroupFreq {
        group,
        tokens,
        types: rows.len() as u64,
        parts,
        empty_docs,
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dispersion::{gries_dp, juilland_d_parts};

    fn corpus_of(texts: &[&str]) -> (tempfile::TempDir, Corpus) {
        let dir = tempfile::tempdir().unwrap();
        for (i, t) in texts.iter().enumerate() {
            std::fs::write(dir.path().join(format!("{i:03}.txt")), t).unwrap();
        }
        let c = Corpus::open(
            &[dir.path().display().to_string()],
            Default::default(),
        )
        .unwrap();
        (dir, c)
    }

    /// Two threads' totals of 300 items over documents of every kind
    /// (an item met once, in one thread or in both, a count or size too
    /// large for 8 bytes), merged: the same as 64-byte totals summed
    /// directly, and items met in one document only are not given 64.
    #[test]
    fn slim_totals_equal_direct_totals() {
        let n = 300u32;
        let mut direct = vec![TermStats::default(); n as usize];
        let mut big = vec![false; n as usize];
        let (mut a, mut b) = (Totals::default(), Totals::default());
        a.fit(n as usize, 0);
        b.fit(n as usize, 0);
        let mut x = 12345u64;
        for doc in 0..2000u64 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            // Items 100 to 299 are met once (100 to 109 twice), the
            // others often.
            let id = if doc % 2 == 1 && doc < 400 {
                100 + doc as u32 / 2
            } else if doc % 2 == 1 && doc < 420 {
                100 + (doc as u32 - 400) / 2
            } else {
                (x >> 33) as u32 % 100
            };
            let size = match doc % 97 {
                0 => 1 << 33,
                _ => 1 + (x >> 40) % 500,
            };
            let c = match doc % 89 {
                0 => (1 << 31) + 5,
                _ => 1 + (x >> 20) % size.min(7),
            };
            let size = size.max(c);
            big[id as usize] |= size > u32::MAX as u64 || c >= 1 << 31;
            direct[id as usize].add_doc(c, size);
            let t = if doc % 3 == 0 { &mut b } else { &mut a };
            t.add_doc(id, c, size);
        }
        for id in 0..n {
            a.add_from(id, &b, id);
        }
        for id in 0..n {
            assert_eq!(a.get(id), direct[id as usize], "item {id}");
            assert_eq!(a.freq(id), direct[id as usize].freq, "item {id}");
        }
        let once: Vec<usize> =
            (0..n as usize).filter(|&i| direct[i].range == 1).collect();
        assert!(once.len() > 150, "{} items met once", once.len());
        assert!(big.iter().any(|&b| b), "no count or size too large");
        for i in once {
            assert!(
                big[i] || a.slim[i] & FULL == 0,
                "item {i} given 64 bytes"
            );
        }
        a.set_freq(150, 7);
        assert_eq!(a.get(150), TermStats { freq: 7, ..direct[150] });
    }

    #[test]
    fn summed_shares_give_the_single_count() {
        let texts = [
            "Tiongkok dan China. China lagi",
            "a b a c",
            "",
            "c c c d e Tiongkok",
            "b",
            "China, Cina dan Tiongkok.",
        ];
        let (_d, corpus) = corpus_of(&texts);
        let an = Analyzer::default();
        let by = GroupBy::parse(Some("file")).unwrap();
        for ngram in [1, 2] {
            let opts = FreqOptions { ngram, dp: true, ..Default::default() };
            let f = DocFilter::default();
            let want =
                count(&corpus, &an, &f, &by, &opts, &mut |_| {}).unwrap();
            for peers in [1, 2, 4] {
                let sum = |all: Vec<FreqRecord>| -> Vec<FreqRecord> {
                    let mut sums: crate::hash::Map<
                        (u8, String, String),
                        FreqRecord,
                    > = crate::hash::new_map();
                    for r in all {
                        let (k, g, it) = r.key();
                        let key = (k, g.to_string(), it.to_string());
                        match sums.get_mut(&key) {
                            Some(s) => s.add(r),
                            None => {
                                sums.insert(key, r);
                            }
                        }
                    }
                    sums.into_values().collect()
                };
                // Round 1: counts; round 2: DP with the totals.
                let mut first = Vec::new();
                let mut locals = Vec::new();
                for i in 0..peers {
                    let share = corpus.share(i, peers).unwrap();
                    let (recs, local) = partial_records(
                        &share,
                        &an,
                        &f,
                        &by,
                        &opts,
                        &mut |_| {},
                    )
                    .unwrap();
                    first.extend(recs);
                    locals.push(local);
                }
                let mut sums = sum(first);
                let mut second = Vec::new();
                for local in locals {
                    second.extend(dp_records(local, &sums).unwrap());
                }
                sums.extend(sum(second));
                let recs = sums;
                let got = from_records(recs, &f, &by, ReadReport::default())
                    .unwrap();
                assert_eq!(got.groups.len(), want.groups.len());
                for (a, b) in got.groups.iter().zip(&want.groups) {
                    assert_eq!(a.group, b.group);
                    assert_eq!(a.rows, b.rows, "n={ngram} peers={peers}");
                    assert_eq!(a.tokens, b.tokens);
                    assert_eq!(a.parts, b.parts);
                }
                assert_eq!(got.report.documents, want.report.documents);
            }
        }
    }

    #[test]
    fn counts_and_dispersion_match_the_direct_formulas() {
        let texts = ["a b a c", "a b", "c c c d e", "b"];
        let (_d, corpus) = corpus_of(&texts);
        let list = count(
            &corpus,
            &Analyzer::default(),
            &DocFilter::default(),
            &GroupBy::All,
            &FreqOptions::default(),
            &mut |_| {},
        )
        .unwrap();
        let g = &list.groups[0];
        assert_eq!(g.tokens, 12);
        assert_eq!(g.parts, 4);
        let items: Vec<(&str, u64)> =
            g.rows.iter().map(|r| (r.item.as_str(), r.freq)).collect();
        assert_eq!(items, [("c", 4), ("a", 3), ("b", 3), ("d", 1), ("e", 1)]);
        let sizes = [4.0, 2.0, 5.0, 1.0];
        let per_doc = |w: &str| -> Vec<f64> {
            texts
                .iter()
                .map(|t| t.split(' ').filter(|x| *x == w).count() as f64)
                .collect()
        };
        for row in &g.rows {
            let f = per_doc(&row.item);
            let d = juilland_d_parts(&f, &sizes).unwrap();
            let dp = gries_dp(&f, &sizes).unwrap();
            assert!(
                (row.juilland_d.unwrap() - d).abs() < 1e-12,
                "{}",
                row.item
            );
            assert!((row.dp.unwrap() - dp).abs() < 1e-12, "{}", row.item);
        }
        let a = &g.rows[1];
        assert_eq!((a.range, a.range_pct), (2, 50.0));
        assert!((a.per_million - 250_000.0).abs() < 1e-9);
    }

    #[test]
    fn ngrams_stay_inside_sentences() {
        let (_d, corpus) = corpus_of(&["a b. c d", "a b"]);
        let list = count(
            &corpus,
            &Analyzer::default(),
            &DocFilter::default(),
            &GroupBy::All,
            &FreqOptions { ngram: 2, dp: true, cross_sentences: false },
            &mut |_| {},
        )
        .unwrap();
        let items: Vec<(&str, u64)> = list.groups[0]
            .rows
            .iter()
            .map(|r| (r.item.as_str(), r.freq))
            .collect();
        assert_eq!(items, [("a b", 2), ("c d", 1)]);
    }

    /// Juilland's D of items in documents of 10^7+ tokens, against its
    /// exact value. With parts of sizes `S·m_i` the relative frequencies
    /// are `c_i·w_i / (6S)` with `w_i = 6 / m_i`, so `cv² = n·Σ(c_i·w_i)² /
    /// (Σ c_i·w_i)² − 1` in integers, whatever S: D = 1 − cv / sqrt(n −
    /// 1), one square root from exact integers. (The old 2^-64 sums of
    /// `p²` were off in the 4th to 5th decimal at S = 2·10^7, and gave a
    /// singleton's D as 1 above 2^32 tokens.)
    #[test]
    fn juilland_d_is_exact_for_large_documents() {
        let cases: [(&[u64], &[u64], u64); 4] = [
            (&[1, 2, 1], &[1, 1, 1], 20_000_000),
            (&[3, 1, 7, 2], &[1, 2, 3, 1], 25_000_000),
            (&[1, 1], &[1, 3], 10_000_019),
            (&[5, 9, 2, 1, 1], &[2, 1, 1, 3, 2], 30_000_001),
        ];
        for (counts, mults, size) in cases {
            let mut s = TermStats::default();
            for (&c, &m) in counts.iter().zip(mults) {
                s.add_doc(c, size * m);
            }
            let n = counts.len() as u128;
            let cw: Vec<u128> = counts
                .iter()
                .zip(mults)
                .map(|(&c, &m)| u128::from(c) * 6 / u128::from(m))
                .collect();
            let sum: u128 = cw.iter().sum();
            let sum2: u128 = cw.iter().map(|x| x * x).sum();
            let num = n * sum2 - sum * sum; // cv² = num / sum²
            let cv = (num as f64).sqrt() / sum as f64;
            let want = 1.0 - cv / ((n - 1) as f64).sqrt();
            let got =
                juilland_d(n as u64, s.sum_p.to_f64(), s.sum_p2.to_f64())
                    .unwrap();
            assert!(
                (got - want).abs() < 1e-12,
                "{counts:?} × {size}: {got} vs {want}"
            );
        }
        // A singleton in a document of 2^33 tokens, beside a second
        // part: Σp² = Σp² exactly, cv = sqrt(n − 1), D = 0.
        let mut s = TermStats::default();
        s.add_doc(1, 1 << 33);
        assert_eq!(
            juilland_d(2, s.sum_p.to_f64(), s.sum_p2.to_f64()),
            Some(0.0)
        );
    }
}
