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
//! met in one document, 72 once in more (`totals::Totals`), the item's bytes
//! and id in a [`Vocab`](crate::intern::Vocab) (about 30 bytes), and 4 bytes of scratch;
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
//! Fractions are summed in fixed point ([`Fixed`](crate::parallel::Fixed), and [`Wide`](crate::parallel::Wide) with 128
//! fractional bits for Juilland's D, whose `p²` in a document of 10^7
//! tokens is near 10^-14 and of 2^33 tokens below 2^-64), so the totals do not
//! depend on which thread counted which document. Rows are ordered by
//! frequency, descending, then by item, ascending byte order: a total
//! order, so output does not depend on threads.

mod counter;
mod portable;
mod spill;
mod totals;

use rayon::prelude::*;

use crate::analyze::{Analyzer, Scratch};
use crate::corpus::{Corpus, Document, ReadReport, Warning};
use crate::dispersion::{dp_norm, juilland_d};
use crate::error::Result;
use crate::intern::Interner;
use crate::meta::{DocFilter, GroupBy};
use crate::scan::{self, Job};
use totals::{GroupCounts, Sizes};

pub use counter::FreqCounter;

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

/// Counts the frequency list of `corpus` in this process (see
/// [`count_on`]).
pub fn count(
    corpus: &Corpus,
    an: &Analyzer,
    filter: &DocFilter,
    by: &GroupBy,
    opts: &FreqOptions,
    warn: &mut dyn FnMut(&Warning),
) -> Result<FreqList> {
    let mut job = Job::local(corpus, an, filter, by, warn);
    count_on(&mut job, opts)
}

/// Counts the frequency list of `job`'s corpus on its backend: a
/// [`FreqCounter`] run by [`scan::run_anywhere`].
pub fn count_on(job: &mut Job<'_>, opts: &FreqOptions) -> Result<FreqList> {
    let make = FreqCounter::maker(opts)?;
    let (groups, scanned) = scan::run_anywhere(job, make)?;
    let scan::Scanned { report, filtered_out } = scanned;
    Ok(FreqList { groups, report, filtered_out })
}

/// The groups' lists, in ascending byte order of their names.
fn lists(
    names: &Interner,
    groups: Vec<GroupCounts>,
    with_dp: bool,
) -> Vec<GroupFreq> {
    let mut out: Vec<GroupFreq> = groups
        .into_iter()
        .enumerate()
        .map(|(g, c)| rows_of(names.term(g as u32).to_string(), c, with_dp))
        .collect();
    out.sort_by(|a, b| a.group.as_bytes().cmp(b.group.as_bytes()));
    out
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

fn rows_of(group: String, c: GroupCounts, with_dp: bool) -> GroupFreq {
    let GroupCounts { index, totals, dp, sizes } = c;
    let Sizes { tokens, parts, empty_docs, min_part } = sizes;
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
    // with the items' strings (peak memory: see BENCHMARKS.md).
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
    use crate::corpus::ReadReport;
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
                // What a distributed run does with the counters' state:
                // each share's counter saved and loaded, merged in order;
                // then DP's second round, merged the same way.
                use crate::scan::Counter;
                use crate::scan::Portable;
                let template = FreqCounter::new(&opts);
                let mut whole: Option<FreqCounter> = None;
                let mut locals = Vec::new();
                for i in 0..peers {
                    let share = corpus.share(i, peers).unwrap();
                    let mut job = Job {
                        corpus: &share,
                        analyzer: &an,
                        filter: &f,
                        by: &by,
                        warn: &mut |_| {},
                        keep_line: None,
                        backend: &crate::dist::Backend::Local,
                    };
                    let make = FreqCounter::maker(&opts).unwrap();
                    let (c, _) = scan::read(&mut job, make).unwrap();
                    let part = template.load(&c.save().unwrap()).unwrap();
                    match &mut whole {
                        Some(w) => w.merge(part),
                        None => whole = Some(part),
                    }
                    locals.push(c);
                }
                let mut whole = whole.unwrap();
                assert!(whole.wants_second_round());
                for local in locals {
                    let p = local.second_round(&whole).unwrap();
                    whole.merge(template.load(&p.save().unwrap()).unwrap());
                }
                let scanned = scan::Scanned {
                    report: ReadReport::default(),
                    filtered_out: 0,
                };
                let got = whole.finish(&scanned).unwrap();
                assert_eq!(got.len(), want.groups.len());
                for (a, b) in got.iter().zip(&want.groups) {
                    assert_eq!(a.group, b.group);
                    assert_eq!(a.rows, b.rows, "n={ngram} peers={peers}");
                    assert_eq!(a.tokens, b.tokens);
                    assert_eq!(a.parts, b.parts);
                }
            }
        }
    }

    /// Counters merged in a tree, ((a + b) + (c + d)), each with its own
    /// spill file and groups met in different orders, give the list of
    /// one counter over every document, Gries' DP included: the id maps
    /// of a merged counter's spill files are carried through the second
    /// merge.
    #[test]
    fn counters_merged_in_a_tree_give_one_counters_list() {
        use crate::scan::{Counter, Doc, Scanned};
        let texts = [
            ("x", "a b a c"),
            ("y", "c d"),
            ("x", "d d e a"),
            ("y", ""),
            ("z", "b a"),
            ("x", "e f a b c"),
            ("y", "a"),
            ("z", "f f b"),
        ];
        let docs: Vec<Document> = texts
            .iter()
            .enumerate()
            .map(|(i, (g, t))| Document {
                id: format!("d{i}"),
                meta: vec![(std::sync::Arc::from("g"), g.to_string())],
                text: t.to_string(),
            })
            .collect();
        let an = Analyzer::default();
        let opts = FreqOptions::default();
        let add = |c: &mut FreqCounter, i: usize| {
            let group = std::borrow::Cow::Borrowed(texts[i].0);
            let document = &docs[i];
            c.add(&Doc { document, ordinal: i as u64, group, analyzer: &an });
        };
        let scanned =
            Scanned { report: ReadReport::default(), filtered_out: 0 };
        let mut one = FreqCounter::new(&opts);
        (0..docs.len()).for_each(|i| add(&mut one, i));
        let want = one.finish(&scanned).unwrap();
        let mut parts: Vec<FreqCounter> =
            (0..4).map(|_| FreqCounter::new(&opts)).collect();
        // Part k takes the documents i with i % 4 == 3 - k.
        for i in 0..docs.len() {
            add(&mut parts[3 - i % 4], i);
        }
        let (d, c) = (parts.pop().unwrap(), parts.pop().unwrap());
        let (b, mut a) = (parts.pop().unwrap(), parts.pop().unwrap());
        let mut cd = c;
        cd.merge(d);
        a.merge(b);
        a.merge(cd);
        let got = a.finish(&scanned).unwrap();
        assert_eq!(got.len(), 3);
        for (g, w) in got.iter().zip(&want) {
            assert_eq!(
                (&g.group, g.tokens, g.parts),
                (&w.group, w.tokens, w.parts)
            );
            assert_eq!(g.empty_docs, w.empty_docs);
            assert_eq!(g.rows, w.rows, "group {}", g.group);
        }
        // Group x by hand: a in 3 of its 3 documents (sizes 4, 4, 5).
        let x = &want[0];
        assert_eq!((x.group.as_str(), x.tokens, x.parts), ("x", 13, 3));
        assert_eq!((x.rows[0].item.as_str(), x.rows[0].freq), ("a", 4));
        let dp = (2.0f64 / 4.0 - 4.0 / 13.0).abs()
            + (1.0f64 / 4.0 - 4.0 / 13.0).abs()
            + (1.0f64 / 4.0 - 5.0 / 13.0).abs();
        assert!((x.rows[0].dp.unwrap() - dp / 2.0).abs() < 1e-12);
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
}
