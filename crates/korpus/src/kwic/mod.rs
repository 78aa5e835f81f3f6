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
//! that normalization could remove or change inside a word (`RISKY`:
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
//! (`Spots`): only the chunks (runs of bytes between white space) that
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

mod counter;
mod prefilter;
mod search;

use std::cmp::Ordering;
use std::sync::Arc;

use crate::analyze::Analyzer;
use crate::corpus::{Corpus, ReadReport, Warning};
use crate::error::Result;
use crate::meta::{DocFilter, GroupBy};
use crate::query::Query;
use crate::scan::{self, Counter, Job};

pub use counter::{KwicCounter, KwicSearch};
pub(crate) use prefilter::Prefilter;

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

/// Searches `corpus` for `query`, calling `sink` with each line in
/// output order: corpus order, or sorted, or the sample. (A
/// [`KwicCounter`] read by [`scan::read_each`], its lines written after
/// each batch; the checks of what was read are the caller's.)
pub fn concordance(
    corpus: &Corpus,
    an: &Analyzer,
    filter: &DocFilter,
    query: &Query,
    opts: &KwicOptions,
    warn: &mut dyn FnMut(&Warning),
    sink: &mut dyn FnMut(&KwicLine) -> Result<()>,
) -> Result<(KwicSummary, ReadReport)> {
    let of = KwicSearch::new(query, an, opts, !filter.is_empty())?;
    let keep = |line: &str| of.keep_line(line);
    let keep_line =
        of.filters_lines().then_some(&keep as &(dyn Fn(&str) -> bool + Sync));
    let by = GroupBy::All;
    let backend = &crate::dist::Backend::Local;
    let mut job = Job {
        corpus,
        analyzer: an,
        filter,
        by: &by,
        warn,
        keep_line,
        backend,
    };
    let (counter, scanned) = scan::read_each(
        &mut job,
        || KwicCounter::new(&of),
        &mut |first: &mut KwicCounter<'_>| {
            first.take_ready().try_for_each(|line| sink(&line))
        },
    )?;
    let (summary, lines) = counter.finish(&scanned)?;
    for line in &lines {
        sink(line)?;
    }
    Ok((summary, scanned.report))
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
#[cfg(test)]
mod tests {
    use super::search::count_plain;
    use super::*;
    use crate::analyze::Scratch;
    use crate::tokenize::TokenClass;

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
