//! The search of one document: every match's line, from the document's
//! tokens ([`search`]) or, for a query of single terms with the
//! pre-filter, from the chunks that hold its literals ([`Spots`]).

use std::sync::Arc;

use super::prefilter::Prefilter;
use super::{
    Context, Count, KwicLine, KwicOptions, MAX_CONTEXT_CHARS, SortKey,
    sample_key,
};
use crate::analyze::{Analyzer, Scratch};
use crate::chunks::chunk_end;
use crate::corpus::Document;
use crate::query::{DocTokens, Query};
use crate::swar::{byte_classes, non_letter_bytes, run_end};
use crate::tokenize::{Token, TokenClass};

/// Searches one document (`d`, analyzed, its full token list in
/// `scratch`): its token count and its lines.
pub(super) fn search(
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

/// A query of single terms searched for by [`Spots`], and how its lines
/// are made.
#[derive(Clone, Copy)]
pub(super) struct Spotted<'a> {
    pub(super) an: &'a Analyzer,
    pub(super) pre: &'a Prefilter,
    pub(super) nodes: &'a [&'a str],
    pub(super) opts: &'a KwicOptions,
}

/// A search for a query of single terms that analyzes only the chunks
/// (runs of bytes between white space, see [`crate::chunks`]) that
/// hold one of the query's literals or a [`RISKY`](super::prefilter::RISKY) string, and counts
/// the tokens of the others, as token positions need. The pre-filter's
/// reasoning, per chunk: a token lies inside one chunk, and a token
/// without a risky string whose term is an ASCII literal holds the
/// literal, ASCII case-insensitively. (Documents with a risky string
/// are searched by their chunks too: the chunks with the risky strings
/// are analyzed.) A chunk of ASCII letters, with or without a comma or a period after them, is counted without analysis
/// (unless clitics are split); any other is tokenized to count its
/// tokens of the counted classes. Near the literals the chunks are
/// walked one at a time and kept, so that the spans and terms of the
/// tokens a line needs (the node, the context's edges, the sort keys)
/// come from analyzing their chunks again; far from them, they are
/// counted 64 bytes at a time ([`count_plain`]).
#[derive(Debug, Default)]
pub(super) struct Spots {
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
    pub(super) fn search(
        &mut self,
        of: &Spotted<'_>,
        doc: &Document,
        doc_index: u64,
        count_all: bool,
    ) -> (Count, Vec<KwicLine>) {
        let Spotted { an, pre, nodes, opts } = *of;
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
        let (word, punct, fast) = plain_counts(an);
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
                    let cut = block_end(bytes, i, found.peek(), margin);
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
                let (e, quick) = next_chunk(bytes, s, fast, word, punct);
                i = e;
                chunks.push((s, e, n));
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

/// What plain chunks count without analysis: a chunk of ASCII letters
/// is one word, and one of ASCII letters and a comma a word and a
/// punctuation token; with a period, a word (an abbreviation such as
/// `dll.`, or a word and a period). `word` (1 when words are counted),
/// `punct` (whether punctuation is), and whether plain chunks are
/// counted so at all (not with split clitics).
fn plain_counts(an: &Analyzer) -> (usize, bool, bool) {
    let word = an.classes.contains(TokenClass::Word) as usize;
    let punct = an.classes.contains(TokenClass::Punct);
    (word, punct, !an.tokenizer.split_clitics)
}

/// Where the stretch from `i` counted a block at a time ends: at the
/// last white space `margin` bytes before the next match `next` (at `i`
/// when there is none), or at the end of the text after the last match.
#[inline(always)]
fn block_end(
    bytes: &[u8],
    i: usize,
    next: Option<&usize>,
    margin: usize,
) -> usize {
    match next {
        None => bytes.len(),
        Some(&at) => {
            let stop = at.saturating_sub(margin).max(i);
            // The stretch ends at white space.
            bytes[i..stop]
                .iter()
                .rposition(|&b| b <= b' ')
                .map_or(i, |p| i + p)
        }
    }
}

/// The end of the chunk that starts at `s`, and its token count when it
/// is a plain chunk (ASCII letters, with a comma, or a period when
/// punctuation is not counted, after them; only when `fast`): `word`
/// for the word, and one for the comma when `punct`.
#[inline(always)]
fn next_chunk(
    bytes: &[u8],
    s: usize,
    fast: bool,
    word: usize,
    punct: bool,
) -> (usize, Option<usize>) {
    let letters =
        run_end(bytes, s, non_letter_bytes, |b| b.is_ascii_alphabetic());
    let ends = |at: usize| bytes.get(at).is_none_or(|&b| b <= b' ');
    let e = if ends(letters) {
        letters
    } else if ends(letters + 1) {
        letters + 1
    } else {
        chunk_end(bytes, letters)
    };
    let quick = match (&bytes[letters..e], fast && letters > s) {
        (_, false) => None,
        ([], _) => Some(word),
        ([b','], _) => Some(word + punct as usize),
        ([b'.'], _) if !punct => Some(word),
        _ => None,
    };
    (e, quick)
}

/// The tokens of the chunks of `bytes[a..b]` (`a` and `b` at chunk
/// boundaries: white space or the ends of the text), counted 64 bytes
/// at a time with bitmasks: every chunk counts as the plain chunks of
/// [`Spots`] do (`word` for its start, and a punctuation token for a
/// comma ending it after a letter when `punct`); then each chunk that
/// holds any other byte (a digit, a quote, a period when `punct`, a
/// non-ASCII byte, ...) has that count taken back and `slow(start,
/// end)`, its count from the tokenizer, added.
pub(super) fn count_plain(
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
