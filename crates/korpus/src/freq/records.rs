//! A frequency count in pieces that sum: the records a distributed
//! run's workers send ([`FreqRecord`]), and the list made from their sums
//! ([`from_records`]). The sums are those of the local counters: items by
//! [`TermStats::add`], groups by [`Sizes::add`], DP in fixed point.

use super::counter::{FreqCounter, spill_err};
use super::spill::{SpillPart, add_dp};
use super::totals::{GroupCounts, Sizes, TermStats};
use super::{FreqList, FreqOptions, lists};
use crate::analyze::Analyzer;
use crate::corpus::{Corpus, ReadReport, ScanCounts, Warning};
use crate::error::Result;
use crate::intern::Interner;
use crate::meta::{DocFilter, GroupBy};
use crate::parallel::{Fixed, Wide};
use crate::scan::{self, Job};

/// One piece of a frequency count, for summing counts made apart (the
/// workers of a distributed run): records with the same [`key`] are
/// added with [`FreqRecord::add`], and [`from_records`] turns the sums
/// into the frequency list that [`super::count`] gives for the whole
/// corpus. Gries' DP takes a second round ([`dp_records`]): a document's
/// share needs the item's total over the whole corpus.
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
                let mut s = TermStats {
                    freq: *freq,
                    range: *range,
                    sum_p: *sum_p,
                    sum_p2: *sum_p2,
                };
                s.add(&TermStats { freq: f, range: r, sum_p: p, sum_p2: p2 });
                (*freq, *range, *sum_p, *sum_p2) =
                    (s.freq, s.range, s.sum_p, s.sum_p2);
            }
            (
                Group { tokens, parts, empty_docs, min_part, .. },
                Group {
                    tokens: t, parts: n, empty_docs: e, min_part: m, ..
                },
            ) => {
                let mut s = Sizes {
                    tokens: *tokens,
                    parts: *parts,
                    empty_docs: *empty_docs,
                    min_part: *min_part,
                };
                s.add(&Sizes {
                    tokens: t,
                    parts: n,
                    empty_docs: e,
                    min_part: m,
                });
                (*tokens, *parts, *empty_docs, *min_part) =
                    (s.tokens, s.parts, s.empty_docs, s.min_part);
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
/// needs when `opts.dp`. The checks of [`super::count`] on the whole
/// corpus (empty, no match) are made by [`from_records`], on the sums.
pub fn partial_records(
    corpus: &Corpus,
    an: &Analyzer,
    filter: &DocFilter,
    by: &GroupBy,
    opts: &FreqOptions,
    warn: &mut dyn FnMut(&Warning),
) -> Result<(Vec<FreqRecord>, Local)> {
    let mut job =
        Job { corpus, analyzer: an, filter, by, warn, keep_line: None };
    let make = FreqCounter::maker(opts)?;
    let (counter, scanned) = scan::read(&mut job, make)?;
    let (names, groups, parts) = counter.into_parts()?;
    let mut out = vec![FreqRecord::Scan(ScanCounts::of(
        &scanned.report,
        scanned.kept(),
    ))];
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
        let Sizes { tokens, parts, empty_docs, min_part } = c.sizes;
        out.push(FreqRecord::Group {
            group,
            tokens,
            parts,
            empty_docs,
            min_part,
        });
    }
    Ok((out, Local { names, groups, parts }))
}

/// The second round of a distributed count with DP: this worker's DP
/// sums (one [`FreqRecord::Dp`] per item it saw), from its spill files
/// and the totals over the whole corpus in `summed` (the first round's
/// sums). Summed over workers, they are exactly the DP of
/// [`super::count`] (fixed point: the same sum in any order).
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
        c.sizes.tokens = tokens.get(group).copied().unwrap_or(c.sizes.tokens);
        for (id, item) in c.index.iter() {
            if let Some(&f) = freqs.get(&(group, item)) {
                c.totals.set_freq(id, f);
            }
        }
    }
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
/// [`super::count`] computes it on one machine (with DP if there are
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
                c.totals.add(id, &TermStats { freq, range, sum_p, sum_p2 });
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
                c.sizes.add(&Sizes { tokens, parts, empty_docs, min_part });
            }
            FreqRecord::Dp { group, item, dp } => {
                let g = group_of(&group, &mut groups);
                let c = &mut groups[g];
                let id = c.intern(&item);
                c.add_dp(id, Fixed(dp));
            }
            FreqRecord::Scan(scan) => kept = scan.fill(&mut report),
        }
    }
    let filtered_out = report.documents - kept;
    let tokens = groups.iter().map(|g| g.sizes.tokens).sum();
    crate::meta::check_scan(&report, filter, by, kept, tokens)?;
    let groups = lists(&names, groups, with_dp);
    Ok(FreqList { groups, report, filtered_out })
}
