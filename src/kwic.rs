//! The keyword-in-context concordancer.
//!
//! For every match of a [`Query`], a [`KwicLine`] holds the document,
//! the node's token position and byte span, and the left context, node and
//! right context cut from the document's original text by span, so
//! spacing, punctuation and case are as written.
//!
//! Documents are searched in parallel and lines come out in corpus order
//! (document, then position). A literal pre-filter skips documents that
//! cannot match without tokenizing them: when every alternative of the
//! query holds a plain ASCII word, a document is tokenized only if it
//! contains one of those words (ASCII case-insensitively) or something
//! that normalization could remove or change inside a word ([`RISKY`]:
//! numeric entities, soft hyphens, zero-width characters, ...). It is
//! off with a variant map, NFKC or a lossy fold (quotes, dashes,
//! diacritics), whose changes it cannot foresee.
//!
//! In JSONL and Leipzig files the same test runs on each raw line before
//! it is parsed (a JSON `\u` escape also counts as a risk), so lines
//! that cannot match cost a scan and no parse; with `--where`, which
//! needs the metadata, only the parsed text is tested.
//!
//! With the pre-filter on, a query of single words (`Tiongkok`,
//! `China|Tiongkok`, not case-sensitive), with a context in tokens or
//! characters, is not searched for by tokenizing documents whole
//! ([`Spots`]): only the chunks (runs of bytes between white space) that
//! hold one of its words or a risky string are analyzed, and the others'
//! tokens are counted for the positions, most of them (a chunk of ASCII
//! letters, with or without a trailing comma or period) without
//! analysis, and far from the words 64 bytes at a time with bitmasks.
//! When no document was skipped the count runs to each document's end
//! (for the per-million figure); otherwise it stops after the last hit's
//! context. The lines are those of tokenizing the whole document
//! (tested on real news, and by a property test, against
//! `--no-prefilter`).
//!
//! Without `--sort` or `--sample`, lines stream with bounded memory.
//! Sorting holds every line; sampling holds the sample (a seeded hash of
//! each line's position picks it, so the sample is the same whatever the
//! number of threads).

use std::cmp::Ordering;
use std::sync::Arc;
use std::sync::atomic::{self, AtomicBool};

use crate::analyze::{Analyzer, Scratch};
use crate::chunks::chunk_end;
use crate::corpus::{Corpus, Document, ReadReport, Warning};
use crate::error::Result;
use crate::meta::DocFilter;
use crate::normalize::Form;
use crate::parallel::PerThread;
use crate::query::{DocTokens, Query};
use crate::swar::{byte_classes, non_letter_bytes, run_end};
use crate::tokenize::{Token, TokenClass};

/// How much context a line shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Tokens (of the counted classes) on each side.
    Tokens(usize, usize),
    /// Characters on each side.
    Chars(usize),
    /// The whole sentence.
    Sentence,
}

/// The most context tokens a line may have on each side
/// ([`Context::Tokens`]): a line's memory grows with its context.
pub const MAX_CONTEXT_TOKENS: usize = 1000;

/// The most context characters a line may have on each side
/// ([`Context::Chars`]); a [`Context::Sentence`] line is cut to this
/// many characters on each side of the node, so a text without a
/// sentence end does not make every line the whole text.
pub const MAX_CONTEXT_CHARS: usize = 10_000;

impl Context {
    /// Checks the context against [`MAX_CONTEXT_TOKENS`] and
    /// [`MAX_CONTEXT_CHARS`].
    pub fn check(&self) -> Result<()> {
        let (n, max, unit) = match *self {
            Context::Tokens(l, r) => (l.max(r), MAX_CONTEXT_TOKENS, "tokens"),
            Context::Chars(n) => (n, MAX_CONTEXT_CHARS, "characters"),
            Context::Sentence => return Ok(()),
        };
        if n > max {
            return Err(crate::error::Error::Usage(format!(
                "a context of {n} {unit} is over the limit of {max} {unit} on each side"
            )));
        }
        Ok(())
    }
}

/// One level of a sort.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    /// The n-th token left of the node (1 = adjacent).
    Left(usize),
    /// The n-th token right of the node.
    Right(usize),
    /// The node's terms.
    Node,
    /// The document id.
    Doc,
    /// The token position in the document.
    Position,
}

impl SortKey {
    /// Parses `L1`, `R2`, `node`, `doc`, `position`.
    pub fn parse(s: &str) -> std::result::Result<SortKey, String> {
        let lower = s.to_ascii_lowercase();
        let num = |rest: &str| {
            rest.parse::<usize>().ok().filter(|n| (1..=20).contains(n))
        };
        Ok(match lower.as_str() {
            "node" => SortKey::Node,
            "doc" => SortKey::Doc,
            "position" | "pos" => SortKey::Position,
            _ if lower.starts_with('l') => {
                SortKey::Left(num(&lower[1..]).ok_or_else(|| bad(s))?)
            }
            _ if lower.starts_with('r') => {
                SortKey::Right(num(&lower[1..]).ok_or_else(|| bad(s))?)
            }
            _ => return Err(bad(s)),
        })
    }
}

fn bad(s: &str) -> String {
    format!(
        "unknown sort key '{s}' (known: L1..L20, R1..R20, node, doc, position)"
    )
}

/// Options of a concordance.
#[derive(Debug, Clone)]
pub struct KwicOptions {
    /// Context size.
    pub context: Context,
    /// Sort levels (empty: corpus order).
    pub sort: Vec<SortKey>,
    /// A sample of this many lines, with this seed.
    pub sample: Option<(usize, u64)>,
    /// Metadata fields to carry on each line.
    pub fields: Vec<String>,
    /// Use the literal pre-filter when the query allows it.
    pub prefilter: bool,
    /// The group each line's document belongs to (`KwicLine::group`).
    pub by: crate::meta::GroupBy,
    /// The most lines `sort` may hold in memory (a sample holds at most
    /// twice its size, never more than this either). Past it the
    /// concordance fails with [`crate::error::Error::Usage`] instead of
    /// exhausting memory.
    pub max_held: usize,
    /// The most bytes the lines `sort` or a sample hold may take (their
    /// text, metadata and sort keys, and a fixed cost per line). Past it
    /// the concordance fails with [`crate::error::Error::Usage`].
    pub max_held_bytes: usize,
}

/// The default of [`KwicOptions::max_held_bytes`]: 2 GiB.
pub const MAX_HELD_BYTES: usize = 2 << 30;

/// The default of [`KwicOptions::max_held`]: 10 million lines (a few GB).
pub const MAX_HELD: usize = 10_000_000;

impl Default for KwicOptions {
    fn default() -> Self {
        KwicOptions {
            context: Context::Tokens(5, 5),
            sort: Vec::new(),
            sample: None,
            fields: Vec::new(),
            prefilter: true,
            by: crate::meta::GroupBy::All,
            max_held: MAX_HELD,
            max_held_bytes: MAX_HELD_BYTES,
        }
    }
}

/// One concordance line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KwicLine {
    /// The document's index in corpus order.
    pub doc_index: u64,
    /// The document id.
    pub doc: Arc<str>,
    /// Values of the requested metadata fields (empty when absent).
    pub fields: Vec<String>,
    /// The document's group under [`KwicOptions::by`] (empty without).
    pub group: String,
    /// Token position of the node's first token in the document.
    pub position: u64,
    /// Byte offset of the node's start in the document text.
    pub start: usize,
    /// Byte offset of the node's end.
    pub end: usize,
    /// The text left of the node, as written.
    pub left: String,
    /// The node, as written.
    pub node: String,
    /// The text right of the node, as written.
    pub right: String,
    /// The terms the sort keys read, in sort-key order.
    keys: Vec<String>,
    /// The sample key.
    sample_key: u64,
}

/// The counts of a concordance.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KwicSummary {
    /// Lines (matches).
    pub hits: u64,
    /// Documents with at least one match.
    pub docs_with_hits: u64,
    /// Documents searched (after `--where`).
    pub docs: u64,
    /// Documents the pre-filter skipped without tokenizing.
    pub docs_skipped: u64,
    /// Counted tokens of the searched documents, when every document was
    /// tokenized (`None` when the pre-filter skipped some).
    pub tokens: Option<u64>,
}

/// The pre-filter of a query, if it has one: a regular expression of
/// the literals (ASCII case-insensitive) and one of the [`RISKY`]
/// strings, each of which the regex crate turns into a vectorized
/// literal search. (One expression of both is slower: a literal of n
/// letters has 2^n case variants, and with the risky strings beside
/// them there can be too many for the vectorized search, which then
/// gives way to a byte-at-a-time automaton: measured on 1 GB, a word
/// that never occurs took twice as long to search for.)
pub(crate) struct Prefilter {
    words: regex::Regex,
    risky: regex::Regex,
}

/// What can hide an ASCII word from a plain search of the text: numeric
/// entities (`&#107;` is `k`), entities of characters removed inside
/// words, the characters themselves (soft hyphen, zero-width characters,
/// direction marks, word joiner, BOM), and the two non-ASCII characters
/// whose lowercase is ASCII or holds ASCII (Kelvin sign, dotted capital
/// I). Named entities of punctuation (`&quot;`, `&amp;`) cannot.
const RISKY: &[&str] = &[
    "&#", "&shy;", "&zwj;", "&zwnj;", "\u{AD}", "\u{200B}", "\u{200C}",
    "\u{200D}", "\u{200E}", "\u{200F}", "\u{2060}", "\u{FEFF}", "\u{212A}",
    "\u{130}",
];

impl Prefilter {
    /// `raw`: for raw JSONL and Leipzig lines, where a JSON `\u` escape
    /// can also hide a letter.
    pub(crate) fn new(
        query: &Query,
        an: &Analyzer,
        raw: bool,
    ) -> Option<Prefilter> {
        let n = &an.normalize;
        // Each of these can give an ASCII term from a surface that does
        // not hold it (`café` is `cafe` without diacritics).
        if !an.map.is_empty()
            || n.form == Form::Nfkc
            || n.fold_quotes
            || n.fold_dashes
            || n.strip_diacritics
        {
            return None;
        }
        let lits = query.literals()?;
        if lits.iter().any(|l| !l.is_ascii()) {
            return None;
        }
        let words: Vec<String> = lits
            .iter()
            .map(|l| format!("(?i-u:{})", regex::escape(l)))
            .collect();
        let mut risky: Vec<String> =
            RISKY.iter().map(|r| regex::escape(r)).collect();
        if raw {
            risky.push(regex::escape("\\u"));
        }
        Some(Prefilter {
            words: regex::Regex::new(&words.join("|")).ok()?,
            risky: regex::Regex::new(&risky.join("|")).ok()?,
        })
    }

    pub(crate) fn may_match(&self, text: &str) -> bool {
        self.words.is_match(text) || self.risky.is_match(text)
    }

    /// The starts of the matches of the literals and of the [`RISKY`]
    /// strings in `text`, in order, into `out` (cleared first).
    fn starts(&self, text: &str, out: &mut Vec<usize>) {
        out.clear();
        out.extend(self.words.find_iter(text).map(|m| m.start()));
        let words = out.len();
        out.extend(self.risky.find_iter(text).map(|m| m.start()));
        if out.len() > words && words > 0 {
            out.sort_unstable();
        }
    }
}

/// Searches `corpus` for `query`, calling `sink` with each line in
/// output order: corpus order, or sorted, or the sample.
pub fn concordance(
    corpus: &Corpus,
    an: &Analyzer,
    filter: &DocFilter,
    query: &Query,
    opts: &KwicOptions,
    warn: &mut dyn FnMut(&Warning),
    sink: &mut dyn FnMut(&KwicLine) -> Result<()>,
) -> Result<(KwicSummary, ReadReport)> {
    opts.context.check()?;
    let pre =
        if opts.prefilter { Prefilter::new(query, an, false) } else { None };
    // Raw lines can be skipped before parsing unless --where needs their
    // metadata.
    let raw = if opts.prefilter && filter.is_empty() {
        Prefilter::new(query, an, true)
    } else {
        None
    };
    // Whether a line was skipped: the token count is not needed then.
    let raw_skipped = AtomicBool::new(false);
    let keep_line = |line: &str| {
        let keep = raw.as_ref().is_none_or(|p| p.may_match(line));
        if !keep {
            raw_skipped.store(true, atomic::Ordering::Relaxed);
        }
        keep
    };
    let mut summary = KwicSummary { tokens: Some(0), ..Default::default() };
    let hold = !opts.sort.is_empty() || opts.sample.is_some();
    let mut held: Vec<KwicLine> = Vec::new();
    let mut held_bytes = 0usize;
    let mut doc_index = 0u64;
    let keep: Option<&(dyn Fn(&str) -> bool + Sync)> =
        if raw.is_some() { Some(&keep_line) } else { None };
    // With the pre-filter, a query of single terms (`China`,
    // `China|Tiongkok`) is looked for only in the chunks that hold one of
    // its literals or a risky string (`Spots`).
    let nodes =
        query.single_terms().filter(|_| opts.context != Context::Sentence);
    // Each thread's buffers, kept for the whole run.
    let threads = PerThread::new(|| {
        (Scratch::default(), DocTokens::default(), Spots::default())
    });
    let report = corpus.scan_filtered(keep, warn, &mut |docs| {
        let docs: Vec<Document> =
            docs.into_iter().filter(|d| filter.matches(d)).collect();
        let base = doc_index;
        doc_index += docs.len() as u64;
        summary.docs += docs.len() as u64;
        // Lines were parsed (and skipped) before this batch is searched:
        // the count's need is known, whatever the threads.
        let count_all =
            summary.tokens.is_some() && !raw_skipped.load(atomic::Ordering::Relaxed);
        let items: Vec<(u64, &Document)> =
            docs.iter().enumerate().map(|(k, d)| (base + k as u64, d)).collect();
        let results = threads.map(&items, |(scratch, d, spots), &(i, doc)| {
            if let Some(p) = &pre {
                // (`Spots` skips a document without a literal or a risky
                // string itself.)
                if let Some(nodes) = &nodes {
                    return spots.search(an, p, nodes, doc, i, opts, count_all);
                }
                if !p.may_match(&doc.text) {
                    return (Count::Skipped, Vec::new());
                }
            }
            d.reanalyze(an, &doc.text, scratch);
            search(doc, i, d, query, opts, scratch)
        });
        for (tokens, lines) in results {
            match tokens {
                Count::Skipped => {
                    summary.docs_skipped += 1;
                    summary.tokens = None;
                }
                Count::Partly => summary.tokens = None,
                Count::Tokens(n) => {
                    summary.tokens = summary.tokens.map(|t| t + n)
                }
            }
            if !lines.is_empty() {
                summary.docs_with_hits += 1;
            }
            summary.hits += lines.len() as u64;
            for line in lines {
                if hold {
                    if held.len() >= opts.max_held {
                        return Err(crate::error::Error::Usage(format!(
                            "sorting or sampling holds the concordance lines in memory, and there are more than {} \
                             (--max-lines): narrow the query, select documents with --where, or raise --max-lines",
                            opts.max_held
                        )));
                    }
                    held_bytes += line.held_bytes();
                    held.push(line);
                    if let Some((n, _)) = opts.sample
                        && (held.len() >= 2 * n.max(1024)
                            || held_bytes > opts.max_held_bytes)
                    {
                        keep_sample(&mut held, n);
                        held_bytes =
                            held.iter().map(KwicLine::held_bytes).sum();
                    }
                    if held_bytes > opts.max_held_bytes {
                        return Err(crate::error::Error::Usage(format!(
                            "sorting or sampling holds the concordance lines in memory, and they take more than {} MB \
                             (--max-held-mb): narrow the query or the context, select documents with --where, or raise --max-held-mb",
                            opts.max_held_bytes >> 20
                        )));
                    }
                } else {
                    sink(&line)?;
                }
            }
        }
        Ok(())
    })?;
    if report.unparsed > 0 {
        summary.docs += report.unparsed;
        summary.docs_skipped += report.unparsed;
        summary.tokens = None;
    }
    if hold {
        if let Some((n, _)) = opts.sample {
            keep_sample(&mut held, n);
        }
        held.sort_by(|a, b| compare(a, b, &opts.sort));
        for line in &held {
            sink(line)?;
        }
    }
    Ok((summary, report))
}

/// Keeps the `n` lines with the smallest sample keys (ties broken by
/// corpus order), in corpus order.
fn keep_sample(lines: &mut Vec<KwicLine>, n: usize) {
    lines.sort_by(|a, b| {
        a.sample_key
            .cmp(&b.sample_key)
            .then(a.doc_index.cmp(&b.doc_index))
            .then(a.position.cmp(&b.position))
    });
    lines.truncate(n);
    lines.sort_by(|a, b| {
        a.doc_index.cmp(&b.doc_index).then(a.position.cmp(&b.position))
    });
}

/// The sort order: each key in turn (terms by bytes; an empty term, past
/// the document's edge, first), then corpus order.
fn compare(a: &KwicLine, b: &KwicLine, keys: &[SortKey]) -> Ordering {
    for (i, key) in keys.iter().enumerate() {
        let o = match key {
            SortKey::Doc => a.doc.as_bytes().cmp(b.doc.as_bytes()),
            SortKey::Position => a.position.cmp(&b.position),
            _ => a.keys[i].as_bytes().cmp(b.keys[i].as_bytes()),
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    a.doc_index.cmp(&b.doc_index).then(a.position.cmp(&b.position))
}

impl KwicLine {
    /// The bytes the line takes when held: its strings and a fixed cost.
    fn held_bytes(&self) -> usize {
        let strings = self.fields.iter().chain(&self.keys);
        std::mem::size_of::<KwicLine>()
            + self.left.len()
            + self.node.len()
            + self.right.len()
            + self.group.len()
            + strings.map(|s| s.len() + 24).sum::<usize>()
    }
}

/// A deterministic 64-bit key of a line for sampling: FNV-1a of the
/// document id, mixed (SplitMix64) with the seed and the token position.
/// It depends on nothing but the line itself, so the sample is the same
/// with or without the pre-filter and for any number of threads.
pub fn sample_key(seed: u64, doc_id: &str, position: u64) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in doc_id.as_bytes() {
        h = (h ^ b as u64).wrapping_mul(0x0100_0000_01b3);
    }
    let mut z = seed ^ h ^ position.wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A document's token count, as its search found it.
#[derive(Debug, Clone, Copy)]
enum Count {
    /// The pre-filter skipped the document.
    Skipped,
    /// Every token counted.
    Tokens(u64),
    /// Searched, but not counted to its end (no count was needed).
    Partly,
}

/// Searches one document (`d`, analyzed, its full token list in
/// `scratch`): its token count and its lines.
fn search(
    doc: &Document,
    doc_index: u64,
    d: &DocTokens,
    query: &Query,
    opts: &KwicOptions,
    scratch: &Scratch,
) -> (Count, Vec<KwicLine>) {
    let text = doc.text.as_str();
    let toks = &d.tokens;
    let doc_id: Arc<str> = Arc::from(doc.id.as_str());
    let line = Line { doc, doc_index, doc_id: &doc_id, opts };
    let span = |k: usize| (toks[k].start, toks[k].end);
    let mut lines = Vec::new();
    for (i, end) in d.matches(query, text) {
        let (ns, ne) = (toks[i].start, toks[end - 1].end);
        let context = match opts.context {
            Context::Sentence => {
                // Over every token (punctuation included), so the
                // sentence keeps its opening quote and final period.
                let all = &scratch.tokens;
                // At most MAX_CONTEXT_CHARS characters on each side: the
                // sentence's edges are looked for within them only, so a
                // line costs the same in a text without a sentence end.
                let (cs, ce) = context(
                    Context::Chars(MAX_CONTEXT_CHARS),
                    text,
                    (i, end),
                    toks.len(),
                    (ns, ne),
                    span,
                );
                let at = all.partition_point(|t| t.start < ns);
                // Tokens before `lo` end at or before `cs`.
                let lo = all.partition_point(|t| t.end <= cs);
                let first = (lo..=at.min(all.len() - 1))
                    .rev()
                    .find(|&k| all[k].sentence_start);
                let ls = match first {
                    Some(k) => all[k].start.min(ns),
                    None if lo == 0 => all[0].start.min(ns),
                    // The sentence starts before `cs`.
                    None => cs,
                };
                let after = all.partition_point(|t| t.start < ne);
                // Tokens from `hi` on start at or after `ce`.
                let hi = all.partition_point(|t| t.start < ce);
                let last = (after..(hi + 1).min(all.len()))
                    .find(|&k| all[k].sentence_start)
                    .map_or(all.len() - 1, |k| k - 1);
                let re = all[last].end.max(ne);
                (ls.max(cs), re.min(ce))
            }
            c => context(c, text, (i, end), toks.len(), (ns, ne), span),
        };
        let term = |k: usize| d.term(k).to_string();
        lines.push(line.make((i, end), toks.len(), (ns, ne), context, term));
    }
    (Count::Tokens(toks.len() as u64), lines)
}

/// The byte range of the line around the match of tokens `i..end`
/// (bytes `ns..ne`) in a text of `n` counted tokens whose byte spans
/// `span` gives, for [`Context::Tokens`] and [`Context::Chars`].
fn context(
    c: Context,
    text: &str,
    (i, end): (usize, usize),
    n: usize,
    (ns, ne): (usize, usize),
    mut span: impl FnMut(usize) -> (usize, usize),
) -> (usize, usize) {
    match c {
        Context::Tokens(l, r) => {
            // Fewer than l (r) tokens left: the context runs to the
            // start (end) of the text, punctuation included.
            let ls = match l {
                0 => ns,
                _ if i >= l => span(i - l).0,
                _ => 0,
            };
            let re = match r {
                0 => ne,
                _ if end - 1 + r < n => span(end - 1 + r).1,
                _ => text.len(),
            };
            (ls, re)
        }
        Context::Chars(width) => {
            let ls = text[..ns]
                .char_indices()
                .rev()
                .nth(width.saturating_sub(1))
                .map_or(0, |(p, _)| p);
            let ls = if width == 0 { ns } else { ls };
            let re = text[ne..]
                .char_indices()
                .nth(width)
                .map_or(text.len(), |(p, _)| ne + p);
            (ls, re)
        }
        // The sentence needs every token's sentence flag: `search` finds
        // it, and `Spots` is not used for it. Here, the match alone.
        Context::Sentence => (ns, ne),
    }
}

/// How many tokens before a match's first token and after its last
/// its line needs: the context in tokens, and the sort keys.
fn reach(opts: &KwicOptions) -> (usize, usize) {
    let (mut left, mut right) = match opts.context {
        Context::Tokens(l, r) => (l, r),
        Context::Chars(_) | Context::Sentence => (0, 0),
    };
    for key in &opts.sort {
        match *key {
            SortKey::Left(k) => left = left.max(k),
            SortKey::Right(k) => right = right.max(k),
            _ => {}
        }
    }
    (left, right)
}

/// What the lines of one document share.
struct Line<'a> {
    doc: &'a Document,
    doc_index: u64,
    doc_id: &'a Arc<str>,
    opts: &'a KwicOptions,
}

impl Line<'_> {
    /// The line of the match of tokens `i..end` (bytes `ns..ne`) in a
    /// text of `n` counted tokens, with the context `ls..re`; `term(k)`
    /// is the term of token `k`, for the sort keys.
    fn make(
        &self,
        (i, end): (usize, usize),
        n: usize,
        (ns, ne): (usize, usize),
        (ls, re): (usize, usize),
        mut term: impl FnMut(usize) -> String,
    ) -> KwicLine {
        let Line { doc, doc_index, doc_id, opts } = *self;
        let text = doc.text.as_str();
        let keys = opts
            .sort
            .iter()
            .map(|k| match *k {
                SortKey::Left(k) => {
                    i.checked_sub(k).map_or(String::new(), &mut term)
                }
                SortKey::Right(k) => {
                    let p = end - 1 + k;
                    if p < n { term(p) } else { String::new() }
                }
                SortKey::Node => {
                    (i..end).map(&mut term).collect::<Vec<_>>().join(" ")
                }
                SortKey::Doc | SortKey::Position => String::new(),
            })
            .collect();
        KwicLine {
            doc_index,
            doc: doc_id.clone(),
            fields: opts
                .fields
                .iter()
                .map(|f| doc.get(f).unwrap_or("").to_string())
                .collect(),
            group: opts.by.group_of(doc).into_owned(),
            position: i as u64,
            start: ns,
            end: ne,
            left: text[ls..ns].to_string(),
            node: text[ns..ne].to_string(),
            right: text[ne..re].to_string(),
            keys,
            sample_key: opts
                .sample
                .map_or(0, |(_, seed)| sample_key(seed, &doc.id, i as u64)),
        }
    }
}

/// A search for a query of single terms that analyzes only the chunks
/// (runs of bytes between white space, see [`crate::chunks`]) that
/// hold one of the query's literals or a [`RISKY`] string, and counts
/// the tokens of the others, as token positions need. The pre-filter's
/// reasoning, per chunk: a token lies inside one chunk, and a token
/// without a risky string whose term is an ASCII literal holds the
/// literal, ASCII case-insensitively. (Documents with a risky string,
/// 9% of those that mention Tiongkok in 100 MB of generated news, were
/// tokenized whole before: the chunks with the risky strings are
/// analyzed instead; the 1 GB search's CPU time fell from 2.5 s to
/// 1.9 s.) A chunk of ASCII letters, with or
/// without a comma or a period after them, is counted without analysis
/// (unless clitics are split); any other is tokenized to count its
/// tokens of the counted classes. Near the literals the chunks are
/// walked one at a time and kept, so that the spans and terms of the
/// tokens a line needs (the node, the context's edges, the sort keys)
/// come from analyzing their chunks again; far from them, they are
/// counted 64 bytes at a time ([`count_plain`]).
///
/// Measured on 1 GB of generated news (`kwic Tiongkok`, 85,090 of
/// 313,498 documents hold it): walking every chunk of those documents
/// one at a time took 16% of the run (perf); counting by blocks cut the
/// run's instructions by 12% (callgrind, 100 MB).
#[derive(Debug, Default)]
struct Spots {
    /// Where the literals and the risky strings start.
    found: Vec<usize>,
    /// Each chunk's byte range, and its first token's index.
    chunks: Vec<(usize, usize, usize)>,
    /// Each line's token index and byte range.
    hits: Vec<(usize, usize, usize)>,
    scratch: Scratch,
}

impl Spots {
    /// Searches one document for tokens whose term is one of `nodes`:
    /// its token count and its lines, as [`search`] gives them;
    /// [`Count::Skipped`] when it holds no literal and no risky string
    /// (the pre-filter's skip).
    ///
    /// Unless `count_all`, the walk stops once no literal is left ahead
    /// and the last hit has the tokens after it that its line needs
    /// ([`reach`]); the count is then [`Count::Partly`] (a lower bound
    /// was all it had).
    #[allow(clippy::too_many_arguments)]
    fn search(
        &mut self,
        an: &Analyzer,
        pre: &Prefilter,
        nodes: &[&str],
        doc: &Document,
        doc_index: u64,
        opts: &KwicOptions,
        count_all: bool,
    ) -> (Count, Vec<KwicLine>) {
        let text = doc.text.as_str();
        pre.starts(text, &mut self.found);
        if self.found.is_empty() {
            // The pre-filter's skip: no literal, no risky string.
            return (Count::Skipped, Vec::new());
        }
        let (n, counted_all) = self.walk(an, nodes, text, opts, count_all);
        let Spots { chunks, hits, scratch, .. } = self;
        // Token k, analyzed again in its chunk: the last whose first
        // token is at most k (chunks of no token share their first with
        // the next).
        let mut token = |k: usize, f: &mut dyn FnMut(&Token, &str)| {
            let c = chunks.partition_point(|&(_, _, first)| first <= k) - 1;
            let (s, e, mut j) = chunks[c];
            an.analyze_span(text, s, e, scratch, |tok, term| {
                if j == k {
                    f(tok, term);
                }
                j += 1;
            });
        };
        let doc_id: Arc<str> = Arc::from(doc.id.as_str());
        let line = Line { doc, doc_index, doc_id: &doc_id, opts };
        let mut lines = Vec::with_capacity(hits.len());
        for &(i, ns, ne) in hits.iter() {
            let span = |k| {
                let mut out = (0, 0);
                token(k, &mut |t, _| out = (t.start, t.end));
                out
            };
            let context =
                context(opts.context, text, (i, i + 1), n, (ns, ne), span);
            let term = |k| {
                let mut out = String::new();
                token(k, &mut |_, t| out = t.to_string());
                out
            };
            lines.push(line.make((i, i + 1), n, (ns, ne), context, term));
        }
        let count =
            if counted_all { Count::Tokens(n as u64) } else { Count::Partly };
        (count, lines)
    }

    /// Walks the chunks of `text`, `found` giving the starts of the
    /// literals' and the risky strings' matches in order (the chunks
    /// holding them are analyzed): the hits into `hits`, and the chunks
    /// walked one at a time, with their first token, into `chunks`. The
    /// stretches that end `margin` bytes before the next match (or at
    /// the end) and start after the last hit's [`reach`] are counted a
    /// block at a time ([`count_plain`]) and not kept; when a hit's left
    /// context (or left sort key) would fall in such a stretch, the walk
    /// starts again without blocks. Returns the token count and whether
    /// it is the whole text's (see `count_all` in [`Spots::search`]).
    fn walk(
        &mut self,
        an: &Analyzer,
        nodes: &[&str],
        text: &str,
        opts: &KwicOptions,
        count_all: bool,
    ) -> (usize, bool) {
        let Spots { found, chunks, hits, scratch } = self;
        let bytes = text.as_bytes();
        // A chunk of ASCII letters is one word, and one of ASCII letters
        // and a comma a word and a punctuation token; with a period, a
        // word (an abbreviation such as `dll.`, or a word and a period):
        // what they count without analysis (not with split clitics).
        let word = an.classes.contains(TokenClass::Word) as usize;
        let punct = an.classes.contains(TokenClass::Punct);
        let fast = !an.tokenizer.split_clitics;
        let mut blocks = fast;
        let (left, reach) = reach(opts);
        // Chunks average under 8 bytes: the left context's tokens nearly
        // always lie within this many bytes of the hit (if not, the walk
        // starts again without blocks).
        let margin = 24 * left + 64;
        'walk: loop {
            chunks.clear();
            hits.clear();
            let mut found = found.iter().copied().peekable();
            let mut n = 0;
            let mut i = 0;
            // The first token walked one chunk at a time since the last block.
            let mut first = 0;
            while i < bytes.len() {
                let reached =
                    hits.last().is_none_or(|&(k, _, _)| n > k + reach);
                if !count_all && reached && found.peek().is_none() {
                    return (n, false);
                }
                if bytes[i] <= b' ' {
                    i += 1;
                    continue;
                }
                if blocks && reached {
                    let cut = match found.peek() {
                        None => bytes.len(),
                        Some(&at) => {
                            let stop = at.saturating_sub(margin).max(i);
                            // The stretch ends at white space.
                            bytes[i..stop]
                                .iter()
                                .rposition(|&b| b <= b' ')
                                .map_or(i, |p| i + p)
                        }
                    };
                    if cut > i {
                        n +=
                            count_plain(bytes, i, cut, word, punct, |s, e| {
                                an.count_span(text, s, e, scratch)
                            });
                        i = cut;
                        first = n;
                        continue;
                    }
                }
                let s = i;
                let letters = run_end(bytes, s, non_letter_bytes, |b| {
                    b.is_ascii_alphabetic()
                });
                let ends =
                    |at: usize| bytes.get(at).is_none_or(|&b| b <= b' ');
                let e = if ends(letters) {
                    letters
                } else if ends(letters + 1) {
                    letters + 1
                } else {
                    chunk_end(bytes, letters)
                };
                i = e;
                chunks.push((s, e, n));
                let quick = match (&bytes[letters..e], fast && letters > s) {
                    (_, false) => None,
                    ([], _) => Some(word),
                    ([b','], _) => Some(word + punct as usize),
                    ([b'.'], _) if !punct => Some(word),
                    _ => None,
                };
                if found.peek().is_some_and(|&at| at < e) {
                    while found.next_if(|&at| at < e).is_some() {}
                    let before = hits.len();
                    an.analyze_span(text, s, e, scratch, |tok, term| {
                        if nodes.contains(&term) {
                            hits.push((n, tok.start, tok.end));
                        }
                        n += 1;
                    });
                    // (This chunk's first hit is the one that needs most.)
                    if hits.get(before).is_some_and(|&(k, _, _)| {
                        k.saturating_sub(left) < first
                    }) {
                        blocks = false;
                        continue 'walk;
                    }
                } else if let Some(k) = quick {
                    n += k;
                } else {
                    n += an.count_span(text, s, e, scratch);
                }
            }
            return (n, true);
        }
    }
}

/// The tokens of the chunks of `bytes[a..b]` (`a` and `b` at chunk
/// boundaries: white space or the ends of the text), counted 64 bytes
/// at a time with bitmasks: every chunk counts as the plain chunks of
/// [`Spots`] do (`word` for its start, and a punctuation token for a
/// comma ending it after a letter when `punct`); then each chunk that
/// holds any other byte (a digit, a quote, a period when `punct`, a
/// non-ASCII byte, ...) has that count taken back and `slow(start,
/// end)`, its count from the tokenizer, added.
fn count_plain(
    bytes: &[u8],
    a: usize,
    b: usize,
    word: usize,
    punct: bool,
    mut slow: impl FnMut(usize, usize) -> usize,
) -> usize {
    let (mut plus, mut minus) = (0, 0);
    // The byte before the block: white space (or the start), a letter.
    let (mut space_before, mut letter_before) = (1u64, 0u64);
    // Chunks before this were taken back already.
    let mut done = a;
    let mut pos = a;
    while pos < b {
        let end = (pos + 64).min(b);
        let c = byte_classes(&bytes[pos..end]);
        let space_after =
            if end < b { (bytes[end] <= b' ') as u64 } else { 1 };
        let starts = !c.space & (c.space << 1 | space_before);
        let last = !c.space & (c.space >> 1 | space_after << 63);
        let after_letter = c.letter << 1 | letter_before;
        let comma_ends = last & after_letter & c.comma;
        let period_ends =
            if punct { 0 } else { last & after_letter & c.period };
        let mut other = !c.space & !c.letter & !comma_ends & !period_ends;
        plus += word * starts.count_ones() as usize
            + punct as usize * comma_ends.count_ones() as usize;
        while other != 0 {
            let q = pos + other.trailing_zeros() as usize;
            other &= other - 1;
            if q < done {
                continue;
            }
            let s = bytes[a..q]
                .iter()
                .rposition(|&x| x <= b' ')
                .map_or(a, |p| a + p + 1);
            let e = chunk_end(bytes, q);
            let comma_end = e - s >= 2
                && bytes[e - 1] == b','
                && bytes[e - 2].is_ascii_alphabetic();
            minus += word + (punct && comma_end) as usize;
            plus += slow(s, e);
            done = e;
        }
        space_before = c.space >> 63;
        letter_before = c.letter >> 63;
        pos = end;
    }
    plus - minus
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(text: &str, q: &str, opts: &KwicOptions) -> Vec<KwicLine> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), text).unwrap();
        lines_in(&dir.path().join("a.txt"), q, opts)
    }

    /// The lines of `q` in `text` with `context`, with the pre-filter
    /// and without it (the same file for both).
    fn with_and_without(
        text: &str,
        q: &str,
        context: Context,
    ) -> (Vec<KwicLine>, Vec<KwicLine>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, text).unwrap();
        let opts = |prefilter| KwicOptions {
            context,
            prefilter,
            ..Default::default()
        };
        (lines_in(&path, q, &opts(true)), lines_in(&path, q, &opts(false)))
    }

    fn lines_in(
        path: &std::path::Path,
        q: &str,
        opts: &KwicOptions,
    ) -> Vec<KwicLine> {
        let corpus =
            Corpus::open(&[path.display().to_string()], Default::default())
                .unwrap();
        let an = Analyzer::default();
        let query = Query::parse(q, &an, false).unwrap();
        let mut out = Vec::new();
        concordance(
            &corpus,
            &an,
            &DocFilter::default(),
            &query,
            opts,
            &mut |_| {},
            &mut |l| {
                out.push(l.clone());
                Ok(())
            },
        )
        .unwrap();
        out
    }

    /// `count_plain` gives the tokenizer's count of the counted classes,
    /// for texts of plain words, commas and periods after letters and
    /// every kind of other chunk (digits, quotes, non-ASCII, control
    /// bytes, chunks longer than a block), with and without punctuation
    /// counted.
    #[test]
    fn context_check_refuses_contexts_over_the_limits() {
        let rows = [
            (Context::Tokens(MAX_CONTEXT_TOKENS, 0), true),
            (Context::Tokens(0, MAX_CONTEXT_TOKENS + 1), false),
            (Context::Tokens(usize::MAX, 5), false),
            (Context::Chars(MAX_CONTEXT_CHARS), true),
            (Context::Chars(MAX_CONTEXT_CHARS + 1), false),
            (Context::Sentence, true),
        ];
        for (c, ok) in rows {
            assert_eq!(c.check().is_ok(), ok, "{c:?}");
        }
    }

    #[test]
    fn blocks_count_what_the_tokenizer_counts() {
        use crate::analyze::ClassSet;
        use proptest::prelude::*;
        let pieces = prop_oneof![
            8 => "[a-zA-Z]{1,12}[,.]?",
            2 => "[a-zA-Z0-9,.()\"'/:;!?-]{1,9}",
            1 => prop::sample::select(vec![
                ",", ".", "a.", "J.", "Dr.", "dll.", "U.S.", "e.g.", "1.000,50", "“kata”",
                "é", "café,", "\u{1}", "\u{7f}", "\t", "\r\n", "  ", "&amp;", "x,,", "x.,",
            ]).prop_map(str::to_string),
            1 => "[a-z]{60,140}[,.]?",
        ];
        let words_only = Analyzer {
            classes: ClassSet::parse("word").unwrap(),
            ..Analyzer::default()
        };
        let every = Analyzer { classes: ClassSet::ALL, ..Analyzer::default() };
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        runner
            .run(&prop::collection::vec(pieces, 0..80), |parts| {
                let text = parts.join(" ");
                let bytes = text.as_bytes();
                for an in [&Analyzer::default(), &words_only, &every] {
                    let mut scratch = Scratch::default();
                    let want =
                        an.count_span(&text, 0, text.len(), &mut scratch);
                    let word = an.classes.contains(TokenClass::Word) as usize;
                    let punct = an.classes.contains(TokenClass::Punct);
                    let got = count_plain(
                        bytes,
                        0,
                        bytes.len(),
                        word,
                        punct,
                        |s, e| {
                            an.count_span(&text, s, e, &mut Scratch::default())
                        },
                    );
                    prop_assert_eq!(got, want, "{:?}", text);
                }
                Ok(())
            })
            .unwrap();
    }

    /// A hit whose left context reaches past the bytes before it that
    /// are walked chunk by chunk (long chunks) is searched again without
    /// blocks: the lines are those of tokenizing the whole text.
    #[test]
    fn a_long_left_context_is_walked_again() {
        let long = "panjang".repeat(30);
        let filler = "kata biasa di sini, lalu. ".repeat(20);
        let text = format!(
            "{filler}{long} {long} {long} {long} Tiongkok akhir. {filler}"
        );
        for context in [Context::Tokens(5, 2), Context::Tokens(1, 1)] {
            let (with, without) = with_and_without(&text, "tiongkok", context);
            assert_eq!(with.len(), 1);
            assert_eq!(with, without);
        }
        let opts = KwicOptions {
            context: Context::Tokens(5, 2),
            ..Default::default()
        };
        let l = &lines_of(&text, "tiongkok", &opts)[0];
        // Five tokens: `lalu` and the long words (periods not counted).
        assert_eq!(l.left, format!("lalu. {long} {long} {long} {long} "));
    }

    /// A word hidden from the literal search by an entity or a soft
    /// hyphen is found: the chunks holding a risky string are analyzed.
    #[test]
    fn words_behind_risky_strings_are_found() {
        let filler = "kata biasa di sini, lalu. ".repeat(12);
        let text = format!(
            "{filler}Presiden Tiong&#107;ok {filler}dan Tiong\u{AD}kok, {filler}serta TIONGKOK. {filler}"
        );
        for context in [Context::Tokens(5, 5), Context::Chars(20)] {
            let (with, without) = with_and_without(&text, "tiongkok", context);
            let nodes: Vec<&str> =
                with.iter().map(|l| l.node.as_str()).collect();
            assert_eq!(nodes, ["Tiong&#107;ok", "Tiong\u{AD}kok", "TIONGKOK"]);
            assert_eq!(with, without);
        }
    }

    #[test]
    fn contexts_are_cut_from_the_original_text() {
        let text = "Ia  bilang: Presiden Tiongkok, Xi, tiba.  Lalu pulang.";
        let l = &lines_of(
            text,
            "tiongkok",
            &KwicOptions {
                context: Context::Tokens(2, 2),
                ..Default::default()
            },
        )[0];
        assert_eq!(
            (l.left.as_str(), l.node.as_str(), l.right.as_str()),
            ("bilang: Presiden ", "Tiongkok", ", Xi, tiba")
        );
        assert_eq!(&text[l.start..l.end], "Tiongkok");
        assert_eq!(l.position, 3);
        let l = &lines_of(
            text,
            "tiongkok",
            &KwicOptions { context: Context::Chars(5), ..Default::default() },
        )[0];
        assert_eq!((l.left.as_str(), l.right.as_str()), ("iden ", ", Xi,"));
        let l = &lines_of(
            text,
            "tiongkok",
            &KwicOptions { context: Context::Sentence, ..Default::default() },
        )[0];
        assert_eq!(
            (l.left.as_str(), l.right.as_str()),
            ("Ia  bilang: Presiden ", ", Xi, tiba.")
        );
        // At the edges of the document.
        let l = &lines_of(text, "ia", &KwicOptions::default())[0];
        assert_eq!(l.left, "");
        let l = &lines_of(text, "pulang", &KwicOptions::default())[0];
        assert_eq!(l.right, ".");
    }

    #[test]
    fn sort_levels_and_sample() {
        let text = "a x b. a y c. a x a. a z b.";
        let opts = KwicOptions {
            sort: vec![SortKey::Right(1), SortKey::Right(2)],
            context: Context::Tokens(0, 2),
            ..Default::default()
        };
        let got: Vec<String> = lines_of(text, "a", &opts)
            .iter()
            .map(|l| format!("{}{}", l.node, l.right))
            .collect();
        // Lines of a at positions 8, 6, 0, 3, 9 (R1 R2: a z, x a, x b, y
        // c, z b); contexts cross sentence ends, as in AntConc.
        assert_eq!(got, ["a. a z", "a x a", "a x b", "a y c", "a z b"]);
        let s1 = KwicOptions { sample: Some((2, 7)), ..Default::default() };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, text).unwrap();
        let a: Vec<u64> =
            lines_in(&path, "a", &s1).iter().map(|l| l.position).collect();
        let b: Vec<u64> =
            lines_in(&path, "a", &s1).iter().map(|l| l.position).collect();
        assert_eq!(a.len(), 2);
        assert_eq!(a, b);
        assert!(a[0] < a[1]);
    }

    #[test]
    fn sort_key_parse() {
        assert_eq!(SortKey::parse("R1"), Ok(SortKey::Right(1)));
        assert_eq!(SortKey::parse("l3"), Ok(SortKey::Left(3)));
        assert!(SortKey::parse("R0").is_err());
        assert!(SortKey::parse("X1").is_err());
    }
}
