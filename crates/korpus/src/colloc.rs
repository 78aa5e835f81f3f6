//! Node collocates: the words that occur in a window around the matches
//! of a query, with every association measure of [`crate::measures`].
//!
//! One parallel pass counts every item's corpus frequency and, around
//! each match of the node query, the window: `left` tokens before the
//! match and `right` after it, never across a document boundary, and
//! with [`Within::Sentence`] never across a sentence boundary either.
//!
//! Windows that overlap are de-duplicated as cwb-ccc does
//! (`ccc/collocates.py`: positions sorted by distance, duplicates
//! dropped, node positions removed): every corpus position is counted at
//! most once, for the match nearest to it (the earlier one at equal
//! distance, which decides its `L`/`R` column), and no position of any
//! match is a window position. So `O11 ≤ C1` and `R1 ≤ N − f(node)`, and
//! every table is possible. Without this, a token between two hits
//! counted twice (`x a x` with window 1: `O11 = 2 > C1 = 1`, a negative
//! `O21`). [`Overlap::Each`] keeps the raw counts for NLTK's pairs.
//!
//! How the window enters the contingency table is a convention
//! ([`Convention`], reference/statistics.md §7.1), because tools
//! disagree and published numbers must be reproducible:
//!
//! - **window** (CQPweb, cwb-ccc, mclm; the default): `O11` = occurrences
//!   of the collocate in all window slots, `R1` = the number of window
//!   slots, `C1` = the collocate's corpus frequency, `N` = corpus tokens;
//!   so `E11 = R1 · C1 / N`.
//! - **node** (Sketch Engine / Manatee): `O11` = concordance lines whose
//!   window holds the collocate (at most once per line), `R1` = the
//!   number of lines (node hits), so `E11 = f(node) · f(coll) / N`. A
//!   position in two windows belongs to the nearer line only (Manatee
//!   counts it in both, which can make `O11 > f(coll)`); the numbers
//!   differ from Manatee's only where windows overlap.
//!
//! logDice, Dice and MS are always taken on the node table (O11 = lines,
//! `R1 = f(node)`, as Rychlý 2008 and Sketch Engine define them), whatever
//! the convention; `logdice_slots`, `dice_slots` and `ms_slots` are the
//! same formulas on the convention's table.
//!
//! The other cells follow: `O12 = R1 − O11`, `O21 = C1 − O11`,
//! `O22 = N − R1 − C1 + O11`.

use crate::analyze::{Analyzer, Scratch};
use crate::chunks::{ChunkCache, ChunkScratch};
use crate::corpus::{Corpus, ReadReport, Warning};
use crate::error::{Error, Result};
use crate::hash::{Map, new_map};
use crate::intern::Interner;
use crate::kwic::Prefilter;
use crate::meta::{DocFilter, GroupBy};
use crate::query::{DocTokens, Query};
use crate::scan::{self, Counter, Doc, Job, Scanned};

mod portable;

/// How the window enters the contingency table (module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Convention {
    /// Window slots (CQPweb, cwb-ccc, mclm).
    Window,
    /// Node frequency, a collocate at most once per line (Sketch Engine).
    Node,
}

/// Where windows stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Within {
    /// At document boundaries only.
    Document,
    /// At sentence boundaries too.
    Sentence,
}

/// The most window tokens on each side of the node: each item seen in
/// a window keeps a count per window position, 8 bytes each.
pub const MAX_SPAN: usize = 100;

/// Options of a collocation count.
#[derive(Debug, Clone)]
pub struct CollocOptions {
    /// Tokens left of the node.
    pub left: usize,
    /// Tokens right of the node.
    pub right: usize,
    /// Where windows stop.
    pub within: Within,
    /// The counting convention.
    pub convention: Convention,
    /// Whether a position inside two windows counts in each
    /// ([`Overlap::Each`], for NLTK's pairs) or once (the default).
    pub overlap: Overlap,
}

/// How a position inside the windows of two hits is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Overlap {
    /// Once, for the nearest hit, and never a hit's own position
    /// (cwb-ccc): the contingency tables are always possible.
    #[default]
    Once,
    /// In every window that holds it, hits included: the raw pair counts
    /// NLTK's finder is built on, not a contingency table.
    Each,
}

impl Default for CollocOptions {
    fn default() -> Self {
        CollocOptions {
            left: 5,
            right: 5,
            within: Within::Document,
            convention: Convention::Window,
            overlap: Overlap::Once,
        }
    }
}

/// The counts of one collocate.
#[derive(Debug, Clone, PartialEq)]
pub struct Collocate {
    /// The collocate (a normalized term).
    pub item: String,
    /// Occurrences in window slots.
    pub window_freq: u64,
    /// Concordance lines whose window holds it.
    pub line_freq: u64,
    /// Its corpus frequency.
    pub coll_freq: u64,
    /// Occurrences at each window position: `L{left}` … `L1`, then `R1`
    /// … `R{right}` (empty for an item never in a window).
    pub positions: Vec<u64>,
}

/// The result of [`collocates`].
#[derive(Debug, Clone)]
pub struct Collocates {
    /// Every item seen in a window, in no particular order.
    pub items: Vec<Collocate>,
    /// Node hits (concordance lines).
    pub hits: u64,
    /// Window slots over all hits.
    pub slots: u64,
    /// Corpus tokens (`N`).
    pub tokens: u64,
    /// What was read.
    pub report: ReadReport,
}

impl Collocates {
    /// Sets the corpus frequency of every collocate (`freq` of its
    /// item; as counted, with the same analyzer, over the whole corpus)
    /// and the corpus's tokens (`N`): what a full pass counts, for a
    /// count of a [`CollocPlan::prefiltered`] plan. `freq` is given the
    /// collocates' items and should give every one a frequency; one it
    /// does not keep the frequency counted in the documents read.
    pub fn set_corpus_freqs(
        &mut self,
        tokens: u64,
        freq: impl FnOnce(&mut Map<&str, u64>),
    ) {
        self.tokens = tokens;
        let mut wanted: Map<&str, u64> = new_map();
        for c in &self.items {
            wanted.insert(c.item.as_str(), c.coll_freq);
        }
        freq(&mut wanted);
        let found: Vec<u64> =
            self.items.iter().map(|c| wanted[c.item.as_str()]).collect();
        drop(wanted);
        for (c, f) in self.items.iter_mut().zip(found) {
            c.coll_freq = f;
        }
    }

    /// The contingency table of `c` under `convention`.
    pub fn table(
        &self,
        c: &Collocate,
        convention: Convention,
    ) -> crate::measures::Contingency {
        let (o11, r1) = match convention {
            Convention::Window => (c.window_freq as f64, self.slots as f64),
            Convention::Node => (c.line_freq as f64, self.hits as f64),
        };
        let c1 = c.coll_freq as f64;
        let n = self.tokens as f64;
        crate::measures::Contingency {
            o11,
            o12: r1 - o11,
            o21: c1 - o11,
            o22: n - r1 - c1 + o11,
        }
    }

    /// The score of `c` by `m` under `convention`: on the node-frequency
    /// table for logDice, Dice and MS (as published), on the
    /// convention's table for every other measure
    /// ([`crate::measures::Measure::of`]).
    pub fn score(
        &self,
        c: &Collocate,
        convention: Convention,
        m: &crate::measures::Measure,
        yates: bool,
    ) -> Option<f64> {
        let lines = self.table(c, Convention::Node);
        m.of(&self.table(c, convention), &lines, yates)
    }
}

/// One thread's counts in one group. Its serde form (the state of a
/// distributed run, see `colloc/portable.rs`) is the counts; the
/// scratch space is left out.
#[derive(Default, serde::Serialize, serde::Deserialize)]
struct Acc {
    terms: Interner,
    freq: Vec<u64>,
    window: Vec<u64>,
    lines: Vec<u64>,
    /// Per-position counts, allocated when an item first enters a window.
    positions: Vec<Vec<u64>>,
    /// Line stamp per item, to count an item once per line.
    #[serde(skip)]
    seen: Vec<u64>,
    #[serde(skip)]
    line_no: u64,
    hits: u64,
    slots: u64,
    tokens: u64,
    /// The current document's term ids.
    #[serde(skip)]
    ids: Vec<u32>,
    /// Chunk to term ids in `terms`: for documents the node cannot occur
    /// in (their frequencies are all they add), and for every document
    /// when the node is single terms ([`count_doc_by_terms`]).
    #[serde(skip)]
    chunks: ChunkCache,
    /// Per document position: the match whose window counts it
    /// ([`Acc::count_windows`]), and its distance to that match.
    #[serde(skip)]
    owner: Vec<u32>,
    #[serde(skip)]
    dist: Vec<u32>,
    /// The current document's matches and windows.
    #[serde(skip)]
    spans: Vec<[usize; 4]>,
}

impl Acc {
    /// Interns the document's terms into `self.ids`.
    fn intern(&mut self, d: &DocTokens) {
        self.terms.intern_all(&d.terms, &mut self.ids);
        self.grow();
    }

    /// Counts the term frequencies of a document, through the chunk
    /// memo, leaving its term ids in `self.ids`.
    fn count_freqs(
        &mut self,
        an: &Analyzer,
        text: &str,
        sc: &mut ChunkScratch,
    ) {
        let mut ids = std::mem::take(&mut self.ids);
        self.chunks.ids(an, text, &mut self.terms, sc, &mut ids);
        self.grow();
        self.tokens += ids.len() as u64;
        for &id in &ids {
            self.freq[id as usize] += 1;
        }
        self.ids = ids;
    }

    /// Counts the matches of one document, whose term ids are `ids`:
    /// `spans` holds each match `start..end` with its window `lo..hi`, in
    /// document order.
    ///
    /// Every position is counted at most once, for the match nearest to
    /// it (the earlier one at equal distance), and no position of a match
    /// is a window position (cwb-ccc's de-duplication; module docs), so
    /// the contingency tables are always possible.
    fn count_windows(
        &mut self,
        ids: &[u32],
        spans: &[[usize; 4]],
        opts: &CollocOptions,
    ) {
        const FREE: u32 = u32::MAX;
        const NODE: u32 = u32::MAX - 1;
        let each = opts.overlap == Overlap::Each;
        let mut owner = std::mem::take(&mut self.owner);
        let mut dist = std::mem::take(&mut self.dist);
        if owner.len() < ids.len() {
            owner.resize(ids.len(), FREE);
            dist.resize(ids.len(), u32::MAX);
        }
        // Only the positions of the windows are read: reset those.
        for &[start, end, lo, hi] in spans {
            owner[lo.min(start)..hi.max(end)].fill(FREE);
            dist[lo.min(start)..hi.max(end)].fill(u32::MAX);
        }
        // A match's own positions are nobody's window.
        for &[start, end, ..] in spans {
            if !each {
                owner[start..end].fill(NODE);
            }
        }
        // The nearest match owns each window position.
        for (m, &[start, end, lo, hi]) in
            spans.iter().enumerate().filter(|_| !each)
        {
            for k in (lo..start).chain(end..hi) {
                if owner[k] == NODE {
                    continue;
                }
                let d = if k < start { start - k } else { k + 1 - end } as u32;
                if d < dist[k] {
                    dist[k] = d;
                    owner[k] = m as u32;
                }
            }
        }
        for (m, &[start, end, lo, hi]) in spans.iter().enumerate() {
            self.hits += 1;
            self.line_no += 1;
            for k in (lo..start).chain(end..hi) {
                if owner[k] != m as u32 && !each {
                    continue;
                }
                let id = ids[k] as usize;
                self.slots += 1;
                self.window[id] += 1;
                let slot = if k < start {
                    opts.left - (start - k)
                } else {
                    opts.left + (k - end)
                };
                let pos = &mut self.positions[id];
                if pos.is_empty() {
                    pos.resize(opts.left + opts.right, 0);
                }
                pos[slot] += 1;
                if self.seen[id] != self.line_no {
                    self.seen[id] = self.line_no;
                    self.lines[id] += 1;
                }
            }
        }
        self.owner = owner;
        self.dist = dist;
    }

    /// Makes room in the per-term counts for every term interned.
    fn grow(&mut self) {
        let n = self.terms.len();
        self.freq.resize(n, 0);
        self.window.resize(n, 0);
        self.lines.resize(n, 0);
        self.positions.resize_with(n, Vec::new);
        self.seen.resize(n, u64::MAX);
    }
}

/// Counts the collocates of `query` in `corpus`.
///
/// Errors: a window of 0 and 0. A node that never occurs gives no items
/// and no hits.
pub fn collocates(
    corpus: &Corpus,
    an: &Analyzer,
    filter: &DocFilter,
    query: &Query,
    opts: &CollocOptions,
    warn: &mut dyn FnMut(&Warning),
) -> Result<Collocates> {
    let (mut groups, report) =
        collocates_by(corpus, an, filter, &GroupBy::All, query, opts, warn)?;
    let mut c = groups.pop().expect("one group").1;
    c.report = report;
    Ok(c)
}

/// Every term's corpus frequency and the token total, as a full pass of
/// [`collocates_and_freqs`] counted them: what a node's collocates need
/// from the whole corpus, so that later nodes on the same corpus and
/// settings need only the documents the node occurs in
/// ([`collocates_with_freqs`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FreqTable {
    /// Corpus tokens (`N`).
    pub tokens: u64,
    /// Each term's corpus frequency.
    pub freqs: Map<String, u64>,
}

/// Per group: every item counted (in a window or not) and the sums
/// `[hits, slots, tokens]`.
type GroupCounts = Map<String, (Vec<Collocate>, [u64; 3])>;

/// What a pass of [`count_groups`] reads and keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pass {
    /// Every document; the items seen in a window, with their corpus
    /// frequencies.
    Windows,
    /// Every document; every item, seen in a window or not (for its
    /// corpus frequency alone).
    EveryItem,
    /// Only the documents where the node can occur (the pre-filter):
    /// their windows are all there is to count, and corpus frequencies
    /// come from elsewhere.
    Prefiltered,
}

/// A collocation count's node, window and pass, shared by every
/// thread's counter, with the node's pre-filters.
pub struct CollocPlan<'a> {
    query: &'a Query,
    opts: &'a CollocOptions,
    pass: Pass,
    /// The pre-filter of raw JSONL and Leipzig lines (a prefiltered pass
    /// without a document filter).
    raw: Option<Prefilter>,
    /// Whether the node may occur in a text.
    may_match: Option<Prefilter>,
    /// A node of single terms (`China`, `China|Tiongkok`) in windows that
    /// stop only at the document's ends is found by its term ids alone.
    nodes: Option<Vec<&'a str>>,
}

impl<'a> CollocPlan<'a> {
    /// The count of `query`'s collocates with `opts` over every
    /// document, counting the corpus frequencies of the items seen in a
    /// window. Errors: a window of 0 and 0, or over [`MAX_SPAN`].
    pub fn new(
        query: &'a Query,
        an: &Analyzer,
        opts: &'a CollocOptions,
    ) -> Result<CollocPlan<'a>> {
        CollocPlan::of_pass(query, an, opts, Pass::Windows, false)
    }

    /// The count of `query`'s collocates with `opts` in the documents
    /// where the node may occur only (the pre-filter): the corpus
    /// frequencies of the collocates and the token total are left for
    /// [`Collocates::set_corpus_freqs`], from a frequency list counted
    /// in the same read. Errors: as [`CollocPlan::new`].
    pub fn prefiltered(
        query: &'a Query,
        an: &Analyzer,
        opts: &'a CollocOptions,
    ) -> Result<CollocPlan<'a>> {
        CollocPlan::of_pass(query, an, opts, Pass::Prefiltered, true)
    }

    fn of_pass(
        query: &'a Query,
        an: &Analyzer,
        opts: &'a CollocOptions,
        pass: Pass,
        filtered: bool,
    ) -> Result<CollocPlan<'a>> {
        if opts.left == 0 && opts.right == 0 {
            return Err(Error::Usage(
                "the window is empty: give --left or --right a value above 0"
                    .into(),
            ));
        }
        if opts.left.max(opts.right) > MAX_SPAN {
            return Err(Error::Usage(format!(
                "a window of {} tokens is over the limit of {MAX_SPAN} on each side",
                opts.left.max(opts.right)
            )));
        }
        let prefilter = pass == Pass::Prefiltered;
        let raw = (prefilter && !filtered)
            .then(|| Prefilter::new(query, an, true))
            .flatten();
        let nodes = query
            .single_terms()
            .filter(|t| opts.within == Within::Document && t.len() <= 8);
        let may_match = Prefilter::new(query, an, false);
        Ok(CollocPlan { query, opts, pass, raw, may_match, nodes })
    }

    /// Whether a raw line may hold the node (every line, but in a
    /// prefiltered pass).
    fn keep_line(&self, line: &str) -> bool {
        self.raw.as_ref().is_none_or(|p| p.may_match(line))
    }
}

/// Counts the collocates of a [`CollocPlan`]'s node per group in the
/// documents it is given. Its result: the groups where the node occurs,
/// with the items seen in a window, in byte order of the group names;
/// `grouped` false, the one group of the whole corpus (see
/// [`collocates_by`]).
pub struct CollocCounter<'a> {
    counts: PassCounter<'a>,
    grouped: bool,
}

impl<'a> CollocCounter<'a> {
    /// A counter of `plan`'s collocates, per group when `grouped`.
    pub fn new(plan: &'a CollocPlan<'a>, grouped: bool) -> Self {
        CollocCounter { counts: PassCounter::new(plan), grouped }
    }
}

impl Counter for CollocCounter<'_> {
    type Output = Vec<(String, Collocates)>;

    fn add(&mut self, doc: &Doc<'_>) {
        self.counts.add(doc);
    }

    fn merge(&mut self, other: Self) {
        self.counts.merge(other.counts);
    }

    fn tokens(&self) -> Option<u64> {
        self.counts.tokens()
    }

    fn finish(self, scanned: &Scanned) -> Result<Self::Output> {
        Ok(finish(self.counts.finish(scanned)?, !self.grouped))
    }
}

/// One thread's counts of a pass: per group, an [`Acc`]. Merging keeps
/// the parts: they are merged all at once in [`Counter::finish`], since
/// an item's corpus frequency is summed only where the item is seen in a
/// window in some part, which no two parts alone can tell.
struct PassCounter<'a> {
    plan: &'a CollocPlan<'a>,
    /// This thread's counts, then those of the counters merged into it.
    parts: Vec<Map<String, Acc>>,
    scratch: Scratch,
    chunks: ChunkScratch,
}

impl<'a> PassCounter<'a> {
    fn new(plan: &'a CollocPlan<'a>) -> Self {
        PassCounter {
            plan,
            parts: vec![new_map()],
            scratch: Scratch::default(),
            chunks: ChunkScratch::default(),
        }
    }
}

impl Counter for PassCounter<'_> {
    type Output = GroupCounts;

    fn add(&mut self, doc: &Doc<'_>) {
        let plan = self.plan;
        let (an, text) = (doc.analyzer, &doc.document.text);
        let prefiltered = plan.pass == Pass::Prefiltered;
        let may_match = plan.may_match.as_ref();
        if prefiltered && may_match.is_some_and(|p| !p.may_match(text)) {
            return;
        }
        let acc = self.parts[0].entry_ref(doc.group.as_ref()).or_default();
        // Documents the pre-filter let through need no second test.
        let test = if prefiltered { None } else { may_match };
        let (opts, chunks) = (plan.opts, &mut self.chunks);
        if test.is_some_and(|p| !p.may_match(text)) {
            acc.count_freqs(an, text, chunks);
        } else if let Some(nodes) = &plan.nodes {
            count_doc_by_terms(acc, an, text, nodes, opts, chunks);
        } else {
            let scratch = &mut self.scratch;
            count_doc(acc, an, doc.document, plan.query, opts, scratch);
        }
    }

    fn merge(&mut self, other: Self) {
        self.parts.extend(other.parts);
    }

    fn tokens(&self) -> Option<u64> {
        let accs = self.parts.iter().flat_map(|p| p.values());
        Some(accs.map(|a| a.tokens).sum())
    }

    fn finish(self, _: &Scanned) -> Result<GroupCounts> {
        Ok(merge_parts(&self.parts, self.plan.pass, self.plan.opts))
    }
}

/// The pass of `plan` over a corpus (`by` the grouping): the merged
/// counts and what was read; `checked`, with the checks of what was
/// read ([`scan::run`]).
fn count_groups(
    corpus: &Corpus,
    an: &Analyzer,
    filter: &DocFilter,
    by: &GroupBy,
    plan: &CollocPlan<'_>,
    warn: &mut dyn FnMut(&Warning),
    checked: bool,
) -> Result<(GroupCounts, Scanned)> {
    let keep = |line: &str| plan.keep_line(line);
    let keep_line =
        plan.raw.is_some().then_some(&keep as &(dyn Fn(&str) -> bool + Sync));
    let backend = &crate::dist::Backend::Local;
    let mut job =
        Job { corpus, analyzer: an, filter, by, warn, keep_line, backend };
    let make = || PassCounter::new(plan);
    if checked {
        return scan::run(&mut job, make);
    }
    let (counter, scanned) = scan::read(&mut job, make)?;
    Ok((counter.finish(&scanned)?, scanned))
}

/// Merges the threads' counts by group and term. Unless every item is
/// wanted, only the items seen in a window in some thread are merged
/// (a small share of the types for a node of a few thousand hits):
/// first those threads' counts, then, when the corpus frequencies are
/// counted here, the other threads' frequencies, looked up.
fn merge_parts(
    accs: &[Map<String, Acc>],
    pass: Pass,
    opts: &CollocOptions,
) -> GroupCounts {
    let every = pass == Pass::EveryItem;
    let mut merged: Map<String, (Interner, Vec<Collocate>, [u64; 3])> =
        new_map();
    for accs in accs {
        for (group, acc) in accs {
            let (terms, totals, sums) = merged
                .entry_ref(group.as_str())
                .or_insert_with(|| (Interner::new(), Vec::new(), [0; 3]));
            sums[0] += acc.hits;
            sums[1] += acc.slots;
            sums[2] += acc.tokens;
            for (id, term) in acc.terms.iter() {
                let id = id as usize;
                if !every && acc.window[id] == 0 {
                    continue;
                }
                let g = terms.intern(term) as usize;
                if g == totals.len() {
                    totals.push(Collocate {
                        item: term.to_string(),
                        window_freq: 0,
                        line_freq: 0,
                        coll_freq: 0,
                        positions: Vec::new(),
                    });
                }
                add_counts(&mut totals[g], acc, id, opts);
            }
        }
    }
    if pass == Pass::Windows {
        for accs in accs {
            for (group, acc) in accs {
                let Some((_, totals, _)) = merged.get_mut(group.as_str())
                else {
                    continue;
                };
                for t in totals.iter_mut() {
                    // (Where this thread saw it in a window, it is counted above.)
                    if let Some(id) = acc.terms.get(&t.item)
                        && acc.window[id as usize] == 0
                    {
                        t.coll_freq += acc.freq[id as usize];
                    }
                }
            }
        }
    }
    merged
        .into_iter()
        .map(|(g, (_, totals, sums))| (g, (totals, sums)))
        .collect()
}

/// Adds term `id`'s counts in `acc` to its totals `t`.
fn add_counts(t: &mut Collocate, acc: &Acc, id: usize, opts: &CollocOptions) {
    t.coll_freq += acc.freq[id];
    if acc.window[id] == 0 {
        return;
    }
    t.window_freq += acc.window[id];
    t.line_freq += acc.lines[id];
    if t.positions.is_empty() {
        t.positions = vec![0; opts.left + opts.right];
    }
    for (sum, n) in t.positions.iter_mut().zip(&acc.positions[id]) {
        *sum += n;
    }
}

/// The groups where the node occurs, with the items seen in a window,
/// in byte order of the group names (none if it never occurs); with
/// `whole`, the one group of the whole corpus, with no items if the node
/// never occurs. A node that never occurs is a result, not an error:
/// no rows, as kwic, dispersion, ngrams --around and variants.
fn finish(counts: GroupCounts, whole: bool) -> Vec<(String, Collocates)> {
    let mut out: Vec<(String, Collocates)> = counts
        .into_iter()
        .filter(|(_, (_, sums))| whole || sums[0] > 0)
        .map(|(group, (totals, [hits, slots, tokens]))| {
            let items =
                totals.into_iter().filter(|c| c.window_freq > 0).collect();
            (
                group,
                Collocates {
                    items,
                    hits,
                    slots,
                    tokens,
                    report: ReadReport::default(),
                },
            )
        })
        .collect();
    if whole && out.is_empty() {
        out.push((
            String::new(),
            Collocates {
                items: Vec::new(),
                hits: 0,
                slots: 0,
                tokens: 0,
                report: ReadReport::default(),
            },
        ));
    }
    out.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    out
}

/// [`collocates`] per group of `by`: each group is a corpus of its own
/// (its own N and corpus frequencies). Groups in byte order of their
/// names; a group where the node never occurs is left out. The read
/// report is returned once, beside the groups (whose own is empty).
pub fn collocates_by(
    corpus: &Corpus,
    an: &Analyzer,
    filter: &DocFilter,
    by: &GroupBy,
    query: &Query,
    opts: &CollocOptions,
    warn: &mut dyn FnMut(&Warning),
) -> Result<(Vec<(String, Collocates)>, ReadReport)> {
    let mut job = Job::local(corpus, an, filter, by, warn);
    collocates_on(&mut job, query, opts)
}

/// [`collocates_by`] of `job`'s corpus, grouped by `job.by`, on its
/// backend (a [`CollocCounter`] run by [`scan::run_anywhere`]).
pub fn collocates_on(
    job: &mut Job<'_>,
    query: &Query,
    opts: &CollocOptions,
) -> Result<(Vec<(String, Collocates)>, ReadReport)> {
    let plan =
        CollocPlan::of_pass(query, job.analyzer, opts, Pass::Windows, false)?;
    let grouped = job.by.is_grouped();
    let make = || CollocCounter::new(&plan, grouped);
    let (groups, scanned) = scan::run_anywhere(job, make)?;
    Ok((groups, scanned.report))
}

/// [`collocates`], and the corpus frequencies of every term that its
/// full pass counted anyway (to keep for [`collocates_with_freqs`]).
pub fn collocates_and_freqs(
    corpus: &Corpus,
    an: &Analyzer,
    filter: &DocFilter,
    query: &Query,
    opts: &CollocOptions,
    warn: &mut dyn FnMut(&Warning),
) -> Result<(Collocates, FreqTable)> {
    let all = GroupBy::All;
    let plan = CollocPlan::of_pass(query, an, opts, Pass::EveryItem, false)?;
    let (counts, scanned) =
        count_groups(corpus, an, filter, &all, &plan, warn, true)?;
    let mut table = FreqTable::default();
    for (totals, sums) in counts.values() {
        table.tokens += sums[2];
        for c in totals {
            *table.freqs.entry(c.item.clone()).or_default() += c.coll_freq;
        }
    }
    let mut c = finish(counts, true).pop().expect("one group").1;
    c.report = scanned.report;
    Ok((c, table))
}

/// Gives the frequency table, or at least the terms a test wants.
pub type TableSource<'a> =
    dyn FnMut(&dyn Fn(&str) -> bool) -> Result<FreqTable> + 'a;

/// [`collocates`] with the corpus frequencies and `N` taken from a
/// [`FreqTable`] of the same corpus, filter and analysis settings: only
/// the documents (and, in JSONL and Leipzig files, the lines) that can
/// hold the node are parsed and tokenized, with the literal pre-filter
/// of [`crate::kwic`]. The result is the same as [`collocates`]'
/// (tested), much faster for a node in few documents.
///
/// `table` is called once, after the scan, with a test of which terms
/// are needed (the collocates seen), and returns the table, or at least
/// those terms of it: a large table need not be loaded whole.
///
/// Errors as [`collocates`]; an item missing from the table means it
/// belongs to another corpus ([`Error::Input`]).
pub fn collocates_with_freqs(
    corpus: &Corpus,
    an: &Analyzer,
    filter: &DocFilter,
    query: &Query,
    opts: &CollocOptions,
    table: &mut TableSource,
    warn: &mut dyn FnMut(&Warning),
) -> Result<Collocates> {
    let all = GroupBy::All;
    let filtered = !filter.is_empty();
    let plan =
        CollocPlan::of_pass(query, an, opts, Pass::Prefiltered, filtered)?;
    let (mut counts, scanned) =
        count_groups(corpus, an, filter, &all, &plan, warn, false)?;
    let report = scanned.report;
    let needed: crate::hash::Set<&str> = counts
        .values()
        .flat_map(|(totals, _)| totals.iter())
        .filter(|c| c.window_freq > 0)
        .map(|c| c.item.as_str())
        .collect();
    let table = table(&|t: &str| needed.contains(t))?;
    drop(needed);
    for (totals, sums) in counts.values_mut() {
        sums[2] = table.tokens;
        for c in totals.iter_mut().filter(|c| c.window_freq > 0) {
            c.coll_freq = *table.freqs.get(&c.item).ok_or_else(|| Error::Input {
                path: "the frequency cache".to_string(),
                message: format!(
                    "has no frequency for '{}': it is not of this corpus (delete it to recount)",
                    c.item
                ),
            })?;
        }
    }
    let mut c = finish(counts, true).pop().expect("one group").1;
    c.report = report;
    Ok(c)
}

/// Counts one document where the node may occur into `acc`.
fn count_doc(
    acc: &mut Acc,
    an: &Analyzer,
    doc: &crate::corpus::Document,
    query: &Query,
    opts: &CollocOptions,
    scratch: &mut Scratch,
) {
    let d = DocTokens::analyze(an, &doc.text, scratch);
    acc.tokens += d.tokens.len() as u64;
    acc.intern(&d);
    let ids = std::mem::take(&mut acc.ids);
    for &id in &ids {
        acc.freq[id as usize] += 1;
    }
    let mut spans = std::mem::take(&mut acc.spans);
    spans.clear();
    for (start, end) in d.matches(query, &doc.text) {
        let (lo, hi) = window(&d, start, end, opts);
        spans.push([start, end, lo, hi]);
    }
    if !spans.is_empty() {
        acc.count_windows(&ids, &spans, opts);
    }
    acc.spans = spans;
    acc.ids = ids;
}

/// Counts one document into `acc` when the node is one of `nodes`, single
/// terms, and windows stop only at the document's ends: the terms' ids
/// are all the document needs, and they come from the chunk memo.
fn count_doc_by_terms(
    acc: &mut Acc,
    an: &Analyzer,
    text: &str,
    nodes: &[&str],
    opts: &CollocOptions,
    chunks: &mut ChunkScratch,
) {
    acc.count_freqs(an, text, chunks);
    let mut node_ids = [0u32; 8];
    let mut n = 0;
    for id in nodes.iter().filter_map(|t| acc.terms.get(t)) {
        node_ids[n] = id;
        n += 1;
    }
    let node_ids = &node_ids[..n];
    if node_ids.is_empty() {
        return;
    }
    let ids = std::mem::take(&mut acc.ids);
    let mut spans = std::mem::take(&mut acc.spans);
    spans.clear();
    for (start, id) in ids.iter().enumerate() {
        if node_ids.contains(id) {
            let lo = start.saturating_sub(opts.left);
            let hi = (start + 1 + opts.right).min(ids.len());
            spans.push([start, start + 1, lo, hi]);
        }
    }
    if !spans.is_empty() {
        acc.count_windows(&ids, &spans, opts);
    }
    acc.spans = spans;
    acc.ids = ids;
}

/// The token range `lo..hi` of the window around the match
/// `start..end`, clipped to the document and, with
/// [`Within::Sentence`], to the match's sentence.
fn window(
    d: &DocTokens,
    start: usize,
    end: usize,
    opts: &CollocOptions,
) -> (usize, usize) {
    let n = d.tokens.len();
    let mut lo = start.saturating_sub(opts.left);
    let mut hi = (end + opts.right).min(n);
    if opts.within == Within::Sentence {
        // The sentence starts at the last sentence start at or before
        // `start` and ends before the next one after the match.
        while lo < start && (lo + 1..=start).any(|k| d.starts_sentence(k)) {
            lo += 1;
        }
        if let Some(k) = (end..hi).find(|&k| d.starts_sentence(k)) {
            hi = k;
        }
    }
    (lo, hi)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measures::mi;

    fn run(texts: &[&str], q: &str, opts: &CollocOptions) -> Collocates {
        let dir = tempfile::tempdir().unwrap();
        for (i, t) in texts.iter().enumerate() {
            std::fs::write(dir.path().join(format!("{i}.txt")), t).unwrap();
        }
        let corpus = Corpus::open(
            &[dir.path().display().to_string()],
            Default::default(),
        )
        .unwrap();
        let an = Analyzer::default();
        let query = Query::parse(q, &an, false).unwrap();
        collocates(
            &corpus,
            &an,
            &DocFilter::default(),
            &query,
            opts,
            &mut |_| {},
        )
        .unwrap()
    }

    fn get<'a>(c: &'a Collocates, item: &str) -> &'a Collocate {
        c.items.iter().find(|x| x.item == item).unwrap()
    }

    /// Items sorted, for comparing results.
    fn sorted(mut c: Collocates) -> (Vec<Collocate>, u64, u64, u64) {
        c.items.sort_by(|a, b| a.item.cmp(&b.item));
        (c.items, c.hits, c.slots, c.tokens)
    }

    /// A node of single terms is found by the ids of the chunk memo; the
    /// same node written as a regex goes through each document's tokens.
    /// Both count the same, on the bundled corpus's news sentences.
    #[test]
    fn term_nodes_count_as_token_nodes() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
        let text = std::fs::read_to_string(format!(
            "{root}/corpus/leipzig/ind_news_2008_300K_sample1000-sentences.txt"
        ))
        .unwrap();
        let docs: Vec<&str> = text.lines().collect();
        for opts in [
            CollocOptions::default(),
            CollocOptions { left: 1, right: 3, ..Default::default() },
            CollocOptions { left: 0, right: 2, ..Default::default() },
        ] {
            let an = Analyzer::default();
            let terms = Query::parse("indonesia|yang|presiden", &an, false);
            assert!(terms.unwrap().single_terms().is_some());
            let by_terms = run(&docs, "indonesia|yang|presiden", &opts);
            let by_tokens = run(&docs, "/indonesia|yang|presiden/", &opts);
            assert!(by_terms.hits > 100, "{}", by_terms.hits);
            assert_eq!(sorted(by_terms), sorted(by_tokens));
        }
    }

    #[test]
    fn windows_over_the_limit_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "a b a c").unwrap();
        let corpus = Corpus::open(
            &[dir.path().display().to_string()],
            Default::default(),
        )
        .unwrap();
        let an = Analyzer::default();
        let query = Query::parse("a", &an, false).unwrap();
        for (left, right) in
            [(MAX_SPAN + 1, 0), (0, MAX_SPAN + 1), (usize::MAX, usize::MAX)]
        {
            let opts = CollocOptions { left, right, ..Default::default() };
            let got = collocates(
                &corpus,
                &an,
                &DocFilter::default(),
                &query,
                &opts,
                &mut |_| {},
            );
            assert!(
                matches!(&got, Err(Error::Usage(m)) if m.contains("limit")),
                "{left} {right}"
            );
        }
        let opts = CollocOptions {
            left: MAX_SPAN,
            right: MAX_SPAN,
            ..Default::default()
        };
        let c = run(&["a b a c"], "a", &opts);
        assert_eq!(c.hits, 2);
    }

    #[test]
    fn cached_frequencies_give_the_same_collocates() {
        let dir = tempfile::tempdir().unwrap();
        let mut lines = String::new();
        let texts = [
            "Presiden Tiongkok Xi bertemu presiden Korea di Beijing.",
            "Harga beras naik di pasar.",
            "Pemerintah Tiongkok dan pemerintah China sama saja, kata Xi.",
            "Tidak ada berita hari ini dari pasar.",
            "Tiongkok Tiongkok Tiongkok.",
        ];
        for t in texts {
            lines.push_str(&format!("{{\"text\": \"{t}\"}}\n"));
        }
        std::fs::write(dir.path().join("a.jsonl"), lines).unwrap();
        let corpus = Corpus::open(
            &[dir.path().display().to_string()],
            Default::default(),
        )
        .unwrap();
        let an = Analyzer::default();
        let f = DocFilter::default();
        for (q, opts) in [
            ("Tiongkok", CollocOptions::default()),
            (
                "pasar",
                CollocOptions { left: 2, right: 1, ..Default::default() },
            ),
            (
                "Xi",
                CollocOptions {
                    within: Within::Sentence,
                    ..Default::default()
                },
            ),
        ] {
            let query = Query::parse(q, &an, false).unwrap();
            let full =
                collocates(&corpus, &an, &f, &query, &opts, &mut |_| {})
                    .unwrap();
            let (first, table) = collocates_and_freqs(
                &corpus,
                &an,
                &f,
                &query,
                &opts,
                &mut |_| {},
            )
            .unwrap();
            assert_eq!(table.tokens, full.tokens);
            // "di" occurs twice in the corpus, "beras" once.
            assert_eq!(table.freqs["di"], 2);
            assert_eq!(table.freqs["beras"], 1);
            let cached = collocates_with_freqs(
                &corpus,
                &an,
                &f,
                &query,
                &opts,
                &mut |_| Ok(table.clone()),
                &mut |_| {},
            )
            .unwrap();
            assert_eq!(sorted(first), sorted(full.clone()));
            assert_eq!(sorted(cached), sorted(full));
        }
        // A table of another corpus is refused, not silently used.
        let query = Query::parse("Tiongkok", &an, false).unwrap();
        let other = FreqTable { tokens: 3, ..FreqTable::default() };
        let e = collocates_with_freqs(
            &corpus,
            &an,
            &f,
            &query,
            &CollocOptions::default(),
            &mut |_| Ok(other.clone()),
            &mut |_| {},
        )
        .unwrap_err();
        assert!(e.to_string().contains("not of this corpus"), "{e}");
    }

    #[test]
    fn window_counts_by_hand() {
        // Documents "x n y y" and "n z x", node n, window 1 and 1:
        // windows {x, y} and {z} (the second n has no left token);
        // slots R1 = 3, hits 2, N = 7.
        let opts = CollocOptions { left: 1, right: 1, ..Default::default() };
        let c = run(&["x n y y", "n z x"], "n", &opts);
        assert_eq!((c.hits, c.slots, c.tokens), (2, 3, 7));
        let y = get(&c, "y");
        assert_eq!((y.window_freq, y.line_freq, y.coll_freq), (1, 1, 2));
        // y at R1 once; x at L1 once ("x n"); z at R1 once.
        assert_eq!(y.positions, [0, 1]);
        assert_eq!(get(&c, "x").positions, [1, 0]);
        // Window convention for y: O11 = 1, R1 = 3, C1 = 2, N = 7:
        // E11 = 6/7, MI = log2(1 / (6/7)) = log2(7/6).
        let t = c.table(y, Convention::Window);
        assert_eq!((t.o11, t.o12, t.o21, t.o22), (1.0, 2.0, 1.0, 3.0));
        assert!((mi(&t).unwrap() - (7.0f64 / 6.0).log2()).abs() < 1e-12);
        // Node convention: O11 = 1 line, R1 = 2 hits: E11 = 4/7,
        // MI = log2(7/4).
        let t = c.table(y, Convention::Node);
        assert!((mi(&t).unwrap() - (7.0f64 / 4.0).log2()).abs() < 1e-12);
        assert!(
            c.items.iter().all(|i| i.item != "n"),
            "the node is not its own collocate here"
        );
    }

    #[test]
    fn node_convention_counts_once_per_line() {
        let opts = CollocOptions { left: 0, right: 3, ..Default::default() };
        let c = run(&["n a a a"], "n", &opts);
        let a = get(&c, "a");
        assert_eq!((a.window_freq, a.line_freq), (3, 1));
    }

    #[test]
    fn sentence_windows_stop_at_the_boundary() {
        let doc = CollocOptions { left: 2, right: 2, ..Default::default() };
        let sent = CollocOptions { within: Within::Sentence, ..doc.clone() };
        let c = run(&["a b. n c. d"], "n", &doc);
        assert_eq!(c.slots, 4);
        let c = run(&["a b. n c. d"], "n", &sent);
        assert_eq!(c.slots, 1);
        assert_eq!(get(&c, "c").window_freq, 1);
    }

    #[test]
    fn bad_windows_and_absent_nodes() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "a b c").unwrap();
        let corpus = Corpus::open(
            &[dir.path().display().to_string()],
            Default::default(),
        )
        .unwrap();
        let an = Analyzer::default();
        let q = Query::parse("zzz", &an, false).unwrap();
        let zero = CollocOptions { left: 0, right: 0, ..Default::default() };
        assert!(matches!(
            collocates(
                &corpus,
                &an,
                &DocFilter::default(),
                &q,
                &zero,
                &mut |_| {}
            ),
            Err(Error::Usage(_))
        ));
        // An absent node is no error: no hits, no items, N counted.
        let c = collocates(
            &corpus,
            &an,
            &DocFilter::default(),
            &q,
            &CollocOptions::default(),
            &mut |_| {},
        )
        .unwrap();
        assert_eq!((c.hits, c.slots, c.tokens, c.items.len()), (0, 0, 3, 0));
    }

    /// Overlapping windows: each position is counted once, for the
    /// nearest hit (the earlier at equal distance), and a hit is never in
    /// another hit's window (cwb-ccc). Worked out by hand.
    #[test]
    fn overlapping_windows_count_each_position_once() {
        let opts = CollocOptions { left: 1, right: 1, ..Default::default() };
        // Hits at 0 and 2; `a` (position 1) is R1 of the first and L1 of
        // the second: counted once, at R1. The second hit is not in the
        // first's window (it would be with --right 2).
        let c = run(&["x a x b c d"], "x", &opts);
        assert_eq!((c.hits, c.slots, c.tokens), (2, 2, 6));
        let a = get(&c, "a");
        assert_eq!((a.window_freq, a.line_freq, a.coll_freq), (1, 1, 1));
        assert_eq!(a.positions, [0, 1]);
        assert_eq!(get(&c, "b").positions, [0, 1]);
        // Window 2 and 2 on `x a b x c`: a (1 from the first hit, 2 from
        // the second) goes to the first at R1; b (2 and 1) to the second
        // at L1; c to the second at R1. Slots 3; x is no collocate.
        let opts = CollocOptions { left: 2, right: 2, ..Default::default() };
        let c = run(&["x a b x c"], "x", &opts);
        assert_eq!((c.hits, c.slots), (2, 3));
        assert_eq!(get(&c, "a").positions, [0, 0, 1, 0]);
        assert_eq!(get(&c, "b").positions, [0, 1, 0, 0]);
        assert_eq!(get(&c, "c").positions, [0, 0, 1, 0]);
        assert!(c.items.iter().all(|i| i.item != "x"));
        // A token at equal distance from two hits goes to the earlier
        // (its R2, not the later's L2).
        let c = run(&["x p m q x"], "x", &opts);
        assert_eq!(get(&c, "m").positions, [0, 0, 0, 1]);
        assert_eq!(c.slots, 3);
    }

    /// On real text with very frequent nodes and wide windows, every
    /// table of every collocate is possible under both conventions:
    /// O11 ≤ C1 and R1 + C1 − O11 ≤ N (no negative cell).
    #[test]
    fn tables_are_always_possible() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
        let text = std::fs::read_to_string(format!(
            "{root}/corpus/leipzig/ind_news_2008_300K_sample1000-sentences.txt"
        ))
        .unwrap();
        let docs = [text.as_str()];
        for (q, left, right) in [("yang", 5, 5), ("/yang|dan|di/", 10, 10)] {
            let opts = CollocOptions { left, right, ..Default::default() };
            let c = run(&docs, q, &opts);
            assert!(c.hits > 400, "{}", c.hits);
            for conv in [Convention::Window, Convention::Node] {
                for col in &c.items {
                    let t = c.table(col, conv);
                    assert!(
                        crate::measures::is_possible(&t),
                        "{q} {conv:?} {}: {t:?}",
                        col.item
                    );
                }
            }
        }
    }
}
