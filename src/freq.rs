//! Frequency lists: frequency, frequency per million, range, Juilland's D
//! and Gries' DP of every item (word or n-gram), per group.
//!
//! Counting runs in two passes over the corpus, each parallel over
//! documents with per-thread counts merged once:
//!
//! 1. frequency, range, and the sums `Σ p_i`, `Σ p_i²` of the relative
//!    frequencies per document that give Juilland's D;
//! 2. Gries' DP, which needs each item's total frequency `f` and the
//!    corpus size before a document's share `f_i / f` can be compared
//!    with its size share (skipped with [`FreqOptions::dp`] off).
//!
//! Memory grows with the vocabulary (and the number of groups), never
//! with the corpus. The parts for dispersion are the documents that hold
//! at least one counted unit; `range_pct` is the share of those parts.
//!
//! Items are tokens of the selected classes, normalized and mapped by the
//! [`Analyzer`]; with `ngram = n > 1`, items are n consecutive items
//! joined by a space, never crossing a sentence or document boundary.
//! Stopwords and `min_freq` remove rows from the list, never tokens from
//! the counts: `tokens` (the base of per-million figures) is the number
//! of all counted units in the group.
//!
//! Rows are ordered by frequency, descending, then by item, ascending
//! byte order: a total order, so output does not depend on threads.

use crate::analyze::{Analyzer, Scratch};
use crate::corpus::{Corpus, Document, ReadReport, Warning};
use crate::dispersion::{dp_norm, dp_term, juilland_d};
use crate::error::Result;
use crate::hash::{Map, new_map};
use crate::intern::Interner;
use crate::meta::{DocFilter, GroupBy};
use crate::parallel::{Fixed, PerThread};

/// Options of a frequency count.
#[derive(Debug, Clone)]
pub struct FreqOptions {
    /// Count n-grams of this length (1: single items).
    pub ngram: usize,
    /// Compute Gries' DP (a second pass over the corpus).
    pub dp: bool,
}

impl Default for FreqOptions {
    fn default() -> Self {
        FreqOptions { ngram: 1, dp: true }
    }
}

/// Totals for one item in one group.
#[derive(Debug, Clone, Copy, Default)]
struct TermStats {
    freq: u64,
    range: u64,
    sum_p: Fixed,
    sum_p2: Fixed,
    dp: Fixed,
}

/// The counts of one group (mergeable).
#[derive(Debug, Default)]
struct GroupCounts {
    index: Interner,
    stats: Vec<TermStats>,
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
        if id as usize == self.stats.len() {
            self.stats.push(TermStats::default());
        }
        id
    }

    fn merge(&mut self, other: GroupCounts) {
        self.tokens += other.tokens;
        self.parts += other.parts;
        self.empty_docs += other.empty_docs;
        self.min_part = match (self.min_part, other.min_part) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        for (id, term) in other.index.iter() {
            let o = other.stats[id as usize];
            let mine = self.intern(term) as usize;
            let s = &mut self.stats[mine];
            s.freq += o.freq;
            s.range += o.range;
            s.sum_p += o.sum_p;
            s.sum_p2 += o.sum_p2;
            s.dp += o.dp;
        }
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
    /// each n-gram (items joined by a space, within a sentence) otherwise.
    pub fn each(&mut self, an: &Analyzer, text: &str, n: usize, mut f: impl FnMut(&str)) {
        if n <= 1 {
            an.analyze(text, &mut self.scratch, |_, term| f(term));
            return;
        }
        let Units { scratch, ring, pos, filled, key } = self;
        ring.resize_with(n, String::new);
        *filled = 0;
        an.analyze(text, scratch, |tok, term| {
            if tok.sentence_start {
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

/// Per-thread state of the first pass.
#[derive(Default)]
struct Pass1 {
    units: Units,
    groups: Map<String, GroupCounts>,
    doc_counts: Vec<u32>,
    touched: Vec<u32>,
}

/// Per-thread state of the second (DP) pass.
#[derive(Default)]
struct Pass2 {
    units: Units,
    dp: Map<String, Map<u32, Fixed>>,
    doc_counts: Vec<u32>,
    touched: Vec<u32>,
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

/// Counts the frequency list of `corpus`.
pub fn count(
    corpus: &Corpus,
    an: &Analyzer,
    filter: &DocFilter,
    by: &GroupBy,
    opts: &FreqOptions,
    warn: &mut dyn FnMut(&Warning),
) -> Result<FreqList> {
    let n = opts.ngram.max(1);
    let threads = PerThread::new(Pass1::default);
    let mut filtered_out = 0u64;
    let report = corpus.scan(warn, &mut |docs| {
        let kept = keep(docs, filter, &mut filtered_out);
        threads.for_each(&kept, |acc, doc| acc.add(an, doc, by, n));
        Ok(())
    })?;
    let mut groups: Map<String, GroupCounts> = new_map();
    for acc in threads.into_inner() {
        for (g, counts) in acc.groups {
            groups.entry(g).or_default().merge(counts);
        }
    }
    let kept = report.documents - filtered_out;
    let tokens = groups.values().map(|g| g.tokens).sum();
    crate::meta::check_scan(&report, filter, by, kept, tokens)?;
    if opts.dp {
        let threads = PerThread::new(Pass2::default);
        let groups_ref = &groups;
        corpus.scan(&mut |_| {}, &mut |docs| {
            let kept = keep(docs, filter, &mut 0);
            threads.for_each(&kept, |acc, doc| acc.add(an, doc, by, n, groups_ref));
            Ok(())
        })?;
        for acc in threads.into_inner() {
            for (g, contribs) in acc.dp {
                let counts = groups.get_mut(&g).expect("pass 2 sees pass 1's groups");
                for (id, c) in contribs {
                    counts.stats[id as usize].dp += c;
                }
            }
        }
    }
    let mut out: Vec<GroupFreq> =
        groups.into_iter().map(|(g, c)| rows_of(g, c, opts.dp)).collect();
    out.sort_by(|a, b| a.group.as_bytes().cmp(b.group.as_bytes()));
    Ok(FreqList { groups: out, report, filtered_out })
}

/// The documents that pass the filter; counts the others.
pub fn keep(docs: Vec<Document>, filter: &DocFilter, out: &mut u64) -> Vec<Document> {
    if filter.is_empty() {
        return docs;
    }
    let before = docs.len();
    let kept: Vec<Document> = docs.into_iter().filter(|d| filter.matches(d)).collect();
    *out += (before - kept.len()) as u64;
    kept
}

impl Pass1 {
    fn add(&mut self, an: &Analyzer, doc: &Document, by: &GroupBy, n: usize) {
        let g = by.group_of(doc);
        let Pass1 { units, groups, doc_counts, touched } = self;
        let group = groups.entry_ref(g.as_ref()).or_default();
        let mut size = 0u64;
        units.each(an, &doc.text, n, |unit| {
            let id = group.intern(unit) as usize;
            if id >= doc_counts.len() {
                doc_counts.resize(id + 1, 0);
            }
            if doc_counts[id] == 0 {
                touched.push(id as u32);
            }
            doc_counts[id] += 1;
            size += 1;
        });
        if size == 0 {
            group.empty_docs += 1;
            return;
        }
        group.tokens += size;
        group.parts += 1;
        group.min_part = Some(group.min_part.map_or(size, |m| m.min(size)));
        for id in touched.drain(..) {
            let c = std::mem::take(&mut doc_counts[id as usize]);
            let p = c as f64 / size as f64;
            let s = &mut group.stats[id as usize];
            s.freq += c as u64;
            s.range += 1;
            s.sum_p += Fixed::from_f64(p);
            s.sum_p2 += Fixed::from_f64(p * p);
        }
    }
}

impl Pass2 {
    fn add(
        &mut self,
        an: &Analyzer,
        doc: &Document,
        by: &GroupBy,
        n: usize,
        totals: &Map<String, GroupCounts>,
    ) {
        let g = by.group_of(doc);
        let Some(group) = totals.get(g.as_ref()) else { return };
        let Pass2 { units, dp, doc_counts, touched } = self;
        if doc_counts.len() < group.stats.len() {
            doc_counts.resize(group.stats.len(), 0);
        }
        let mut size = 0u64;
        units.each(an, &doc.text, n, |unit| {
            // Every unit was interned in pass 1 (same text, same analyzer).
            if let Some(id) = group.index.get(unit) {
                if doc_counts[id as usize] == 0 {
                    touched.push(id);
                }
                doc_counts[id as usize] += 1;
            }
            size += 1;
        });
        if size == 0 {
            return;
        }
        let contribs = dp.entry_ref(g.as_ref()).or_default();
        let total = group.tokens as f64;
        for id in touched.drain(..) {
            let c = std::mem::take(&mut doc_counts[id as usize]);
            let f = group.stats[id as usize].freq as f64;
            let term = dp_term(c as f64, f, size as f64, total);
            if term > 0.0 {
                *contribs.entry(id).or_default() += Fixed::from_f64(term);
            }
        }
    }
}

fn rows_of(group: String, c: GroupCounts, with_dp: bool) -> GroupFreq {
    let tokens = c.tokens;
    let parts = c.parts;
    let min_share = c.min_part.map_or(1.0, |m| m as f64 / tokens as f64);
    let mut rows: Vec<FreqRow> = c
        .index
        .iter()
        .map(|(id, term)| {
            let s = c.stats[id as usize];
            let dp = with_dp.then(|| s.dp.to_f64().min(1.0));
            FreqRow {
                item: term.to_string(),
                freq: s.freq,
                per_million: s.freq as f64 * 1e6 / tokens as f64,
                range: s.range,
                range_pct: s.range as f64 * 100.0 / parts as f64,
                juilland_d: juilland_d(parts, s.sum_p.to_f64(), s.sum_p2.to_f64()),
                dp,
                dp_norm: dp.and_then(|d| if parts < 2 { None } else { dp_norm(d, min_share) }),
            }
        })
        .collect();
    rows.sort_by(|a, b| b.freq.cmp(&a.freq).then_with(|| a.item.as_bytes().cmp(b.item.as_bytes())));
    GroupFreq { group, tokens, types: rows.len() as u64, parts, empty_docs: c.empty_docs, rows }
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
        let c = Corpus::open(&[dir.path().display().to_string()], Default::default()).unwrap();
        (dir, c)
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
        let items: Vec<(&str, u64)> = g.rows.iter().map(|r| (r.item.as_str(), r.freq)).collect();
        assert_eq!(items, [("c", 4), ("a", 3), ("b", 3), ("d", 1), ("e", 1)]);
        let sizes = [4.0, 2.0, 5.0, 1.0];
        let per_doc = |w: &str| -> Vec<f64> {
            texts.iter().map(|t| t.split(' ').filter(|x| *x == w).count() as f64).collect()
        };
        for row in &g.rows {
            let f = per_doc(&row.item);
            let d = juilland_d_parts(&f, &sizes).unwrap();
            let dp = gries_dp(&f, &sizes).unwrap();
            assert!((row.juilland_d.unwrap() - d).abs() < 1e-12, "{}", row.item);
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
            &FreqOptions { ngram: 2, dp: true },
            &mut |_| {},
        )
        .unwrap();
        let items: Vec<(&str, u64)> =
            list.groups[0].rows.iter().map(|r| (r.item.as_str(), r.freq)).collect();
        assert_eq!(items, [("a b", 2), ("c d", 1)]);
    }
}
