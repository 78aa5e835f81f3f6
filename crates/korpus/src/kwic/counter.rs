//! The concordancer as a [`Counter`]: each thread searches the documents
//! it is given; after every batch, the batch's lines are put in corpus
//! order on the first thread's counter ([`Counter::end_batch`]), either
//! ready to be written or held for sorting or sampling (within the held
//! limits).

use std::sync::atomic::{AtomicBool, Ordering::Relaxed};

use super::prefilter::Prefilter;
use super::search::{Spots, Spotted, search};
use super::{Context, Count, KwicLine, KwicOptions, KwicSummary};
use super::{compare, keep_sample};
use crate::analyze::{Analyzer, Scratch};
use crate::error::{Error, Result};
use crate::query::{DocTokens, Query};
use crate::scan::{Counter, Doc, Scanned};

/// A concordance's query and options, shared by every thread's
/// [`KwicCounter`], with its pre-filters.
pub struct KwicSearch<'a> {
    query: &'a Query,
    an: &'a Analyzer,
    opts: &'a KwicOptions,
    /// The pre-filter of parsed texts.
    pre: Option<Prefilter>,
    /// The pre-filter of raw JSONL and Leipzig lines (not with a
    /// document filter, which needs the metadata).
    raw: Option<Prefilter>,
    /// The query's terms, when it is searched for by [`Spots`].
    nodes: Option<Vec<&'a str>>,
    /// Whether a raw line was left unparsed, or a document skipped or
    /// not counted to its end: the token count is not needed then.
    uncounted: AtomicBool,
}

impl<'a> KwicSearch<'a> {
    /// The search of `query` with `opts` (`filtered`: documents are
    /// filtered by their metadata, so raw lines cannot be skipped).
    pub fn new(
        query: &'a Query,
        an: &'a Analyzer,
        opts: &'a KwicOptions,
        filtered: bool,
    ) -> Result<KwicSearch<'a>> {
        opts.context.check()?;
        let pre = opts.prefilter.then(|| Prefilter::new(query, an, false));
        let raw = (opts.prefilter && !filtered)
            .then(|| Prefilter::new(query, an, true))
            .flatten();
        // With the pre-filter, a query of single terms (`China`,
        // `China|Tiongkok`) is looked for only in the chunks that hold
        // one of its literals or a risky string (`Spots`).
        let nodes =
            query.single_terms().filter(|_| opts.context != Context::Sentence);
        Ok(KwicSearch {
            query,
            an,
            opts,
            pre: pre.flatten(),
            raw,
            nodes,
            uncounted: AtomicBool::new(false),
        })
    }

    /// Whether raw lines are tested by [`KwicSearch::keep_line`].
    pub fn filters_lines(&self) -> bool {
        self.raw.is_some()
    }

    /// Whether a raw line may hold a match, for [`crate::scan::Job`]'s
    /// `keep_line` (when [`KwicSearch::filters_lines`]).
    pub fn keep_line(&self, line: &str) -> bool {
        let keep = self.raw.as_ref().is_none_or(|p| p.may_match(line));
        if !keep {
            self.uncounted.store(true, Relaxed);
        }
        keep
    }

    /// One document's token count and lines.
    fn search(
        &self,
        bufs: &mut Buffers,
        doc: &Doc<'_>,
    ) -> (Count, Vec<KwicLine>) {
        let (document, i) = (doc.document, doc.ordinal);
        if let Some(pre) = &self.pre {
            // (`Spots` skips a document without a literal or a risky
            // string itself.)
            if let Some(nodes) = &self.nodes {
                let count_all = !self.uncounted.load(Relaxed);
                let (an, opts) = (self.an, self.opts);
                let of = Spotted { an, pre, nodes, opts };
                return bufs.spots.search(&of, document, i, count_all);
            }
            if !pre.may_match(&document.text) {
                return (Count::Skipped, Vec::new());
            }
        }
        let Buffers { scratch, tokens, .. } = bufs;
        tokens.reanalyze(self.an, &document.text, scratch);
        search(document, i, tokens, self.query, self.opts, scratch)
    }
}

/// A thread's buffers, kept for the whole run.
#[derive(Default)]
struct Buffers {
    scratch: Scratch,
    tokens: DocTokens,
    spots: Spots,
}

/// Searches the documents it is given for a [`KwicSearch`]'s query. Its
/// result: the summary (its `docs` the documents kept, and the lines
/// left unparsed) and the lines not yet taken with
/// [`KwicCounter::take_ready`], sorted or sampled as asked.
pub struct KwicCounter<'a> {
    of: &'a KwicSearch<'a>,
    bufs: Buffers,
    summary: KwicSummary,
    /// This batch's lines, by the document's ordinal.
    pending: Vec<(u64, Vec<KwicLine>)>,
    /// Lines in corpus order, not held.
    ready: Vec<KwicLine>,
    /// Lines held for sorting or sampling.
    held: Vec<KwicLine>,
    held_bytes: usize,
}

impl<'a> KwicCounter<'a> {
    /// A counter of `of`'s lines.
    pub fn new(of: &'a KwicSearch<'a>) -> KwicCounter<'a> {
        KwicCounter {
            of,
            bufs: Buffers::default(),
            summary: KwicSummary { tokens: Some(0), ..Default::default() },
            pending: Vec::new(),
            ready: Vec::new(),
            held: Vec::new(),
            held_bytes: 0,
        }
    }

    /// The lines put in corpus order so far and not held (on the first
    /// thread's counter after each batch), to be written as the corpus
    /// is read.
    pub fn take_ready(&mut self) -> std::vec::Drain<'_, KwicLine> {
        self.ready.drain(..)
    }

    fn holds(&self) -> bool {
        !self.of.opts.sort.is_empty() || self.of.opts.sample.is_some()
    }

    /// Takes a line in corpus order: ready, or held within the limits.
    fn take(&mut self, line: KwicLine) -> Result<()> {
        let opts = self.of.opts;
        if !self.holds() {
            self.ready.push(line);
            return Ok(());
        }
        if self.held.len() >= opts.max_held {
            return Err(Error::Usage(format!(
                "sorting or sampling holds the concordance lines in memory, and there are more than {} \
                 (--max-lines): narrow the query, select documents with --where, or raise --max-lines",
                opts.max_held
            )));
        }
        self.held_bytes += line.held_bytes();
        self.held.push(line);
        if let Some((n, _)) = opts.sample
            && (self.held.len() >= 2 * n.max(1024)
                || self.held_bytes > opts.max_held_bytes)
        {
            keep_sample(&mut self.held, n);
            self.held_bytes = self.held.iter().map(KwicLine::held_bytes).sum();
        }
        if self.held_bytes > opts.max_held_bytes {
            return Err(Error::Usage(format!(
                "sorting or sampling holds the concordance lines in memory, and they take more than {} MB \
                 (--max-held-mb): narrow the query or the context, select documents with --where, or raise --max-held-mb",
                opts.max_held_bytes >> 20
            )));
        }
        Ok(())
    }
}

impl Counter for KwicCounter<'_> {
    type Output = (KwicSummary, Vec<KwicLine>);

    fn add(&mut self, doc: &Doc<'_>) {
        let (count, lines) = self.of.search(&mut self.bufs, doc);
        let s = &mut self.summary;
        let counting = s.tokens.is_some();
        match count {
            Count::Skipped => {
                s.docs_skipped += 1;
                s.tokens = None;
            }
            Count::Partly => s.tokens = None,
            Count::Tokens(n) => s.tokens = s.tokens.map(|t| t + n),
        }
        if counting && s.tokens.is_none() {
            self.of.uncounted.store(true, Relaxed);
        }
        if !lines.is_empty() {
            s.docs_with_hits += 1;
            s.hits += lines.len() as u64;
            self.pending.push((doc.ordinal, lines));
        }
    }

    fn merge(&mut self, other: Self) {
        let (s, o) = (&mut self.summary, other.summary);
        s.hits += o.hits;
        s.docs_with_hits += o.docs_with_hits;
        s.docs_skipped += o.docs_skipped;
        s.tokens = s.tokens.zip(o.tokens).map(|(a, b)| a + b);
        self.pending.extend(other.pending);
        self.ready.extend(other.ready);
        self.held_bytes += other.held_bytes;
        self.held.extend(other.held);
    }

    /// The batch's lines, in corpus order, onto the first counter.
    fn end_batch(threads: &mut [&mut Self]) -> Result<()> {
        let mut batch: Vec<(u64, Vec<KwicLine>)> =
            threads.iter_mut().flat_map(|t| t.pending.drain(..)).collect();
        batch.sort_unstable_by_key(|&(ordinal, _)| ordinal);
        let first = &mut threads[0];
        for line in batch.into_iter().flat_map(|(_, lines)| lines) {
            first.take(line)?;
        }
        Ok(())
    }

    fn finish(mut self, scanned: &Scanned) -> Result<Self::Output> {
        Self::end_batch(&mut [&mut self])?;
        let mut summary = self.summary;
        summary.docs = scanned.kept();
        let unparsed = scanned.report.unparsed;
        if unparsed > 0 {
            summary.docs += unparsed;
            summary.docs_skipped += unparsed;
            summary.tokens = None;
        }
        let opts = self.of.opts;
        if let Some((n, _)) = opts.sample {
            keep_sample(&mut self.held, n);
        }
        self.held.sort_by(|a, b| compare(a, b, &opts.sort));
        let mut lines = self.ready;
        lines.extend(self.held);
        Ok((summary, lines))
    }
}
