//! The rows of a ranked list that are printed ([`Selection`]: least
//! frequency, stopwords, the first N, ranks from 1), and the wide form of
//! a grouped frequency list ([`wide`]: one row per item, a frequency per
//! group).
//!
//! Shared by `freq`, `ngrams` and `korpus report`, so each computes the
//! same table. (Its place is `freq/pivot.rs` once `freq` is a folder.)

use crate::analyze::Analyzer;
use crate::freq::{FreqRow, GroupFreq};
use crate::hash;

/// Which rows of a list in rank order are kept: an item at least
/// `min_freq` times frequent, none of whose words (an n-gram's words are
/// separated by one space) is a stopword of `stopwords`; of those, the
/// first `top`. Ranks count the rows kept, from 1.
#[derive(Debug, Clone, Copy)]
pub struct Selection<'a> {
    /// The least frequency kept.
    pub min_freq: u64,
    /// The most rows kept (of each group), `None` for all.
    pub top: Option<usize>,
    /// The analyzer whose stopwords leave items out (`None`: none).
    pub stopwords: Option<&'a Analyzer>,
}

impl Selection<'_> {
    /// Everything kept.
    pub const ALL: Selection<'static> =
        Selection { min_freq: 0, top: None, stopwords: None };

    /// Whether an item of frequency `freq` is kept (before `top`).
    pub fn keeps(&self, item: &str, freq: u64) -> bool {
        freq >= self.min_freq
            && !self
                .stopwords
                .is_some_and(|an| item.split(' ').any(|w| an.is_stopword(w)))
    }

    /// The rows kept of `rows` (in rank order), with their new ranks;
    /// `key` gives a row's item and frequency.
    pub fn apply<'r, R>(
        self,
        rows: impl IntoIterator<Item = &'r R>,
        key: impl Fn(&R) -> (&str, u64),
    ) -> impl Iterator<Item = (u64, &'r R)>
    where
        R: 'r,
    {
        let top = self.top.unwrap_or(usize::MAX);
        rows.into_iter()
            .filter(move |r| {
                let (item, freq) = key(r);
                self.keeps(item, freq)
            })
            .take(top)
            .zip(1..)
            .map(|(r, rank)| (rank, r))
    }

    /// The rows kept of each group of a frequency list, in group order,
    /// each with its group and its rank in the group.
    pub fn ranked(
        self,
        groups: &[GroupFreq],
    ) -> impl Iterator<Item = (&GroupFreq, u64, &FreqRow)> {
        let sel = self;
        groups.iter().flat_map(move |g| {
            sel.apply(&g.rows, |r| (&r.item, r.freq))
                .map(move |(rank, r)| (g, rank, r))
        })
    }
}

/// A row of the wide table: an item, its frequency over every group and
/// in each (in the order of the groups; 0 where it does not occur).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WideRow<'a> {
    /// The rank, from 1, among the rows kept.
    pub rank: u64,
    /// The item.
    pub item: &'a str,
    /// The sum of `freqs`.
    pub total: u64,
    /// Its frequency in each group.
    pub freqs: Vec<u64>,
}

/// The wide form of `groups`: one row per item of any group, ordered by
/// total frequency (descending), then item (ascending by bytes); `sel`
/// judges an item by its total and keeps the first `top` rows.
pub fn wide<'a>(groups: &'a [GroupFreq], sel: &Selection) -> Vec<WideRow<'a>> {
    let n = groups.len();
    let mut freqs: hash::Map<&str, Vec<u64>> = hash::new_map();
    for (gi, g) in groups.iter().enumerate() {
        for r in &g.rows {
            freqs.entry(r.item.as_str()).or_insert_with(|| vec![0; n])[gi] =
                r.freq;
        }
    }
    let mut rows: Vec<WideRow> = freqs
        .into_iter()
        .map(|(item, freqs)| WideRow {
            rank: 0,
            item,
            total: freqs.iter().sum(),
            freqs,
        })
        .collect();
    rows.sort_unstable_by(|a, b| {
        b.total
            .cmp(&a.total)
            .then_with(|| a.item.as_bytes().cmp(b.item.as_bytes()))
    });
    rows.retain(|r| sel.keeps(r.item, r.total));
    rows.truncate(sel.top.unwrap_or(usize::MAX));
    for (r, rank) in rows.iter_mut().zip(1..) {
        r.rank = rank;
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(item: &str, freq: u64) -> FreqRow {
        FreqRow {
            item: item.to_string(),
            freq,
            per_million: 0.0,
            range: 1,
            range_pct: 0.0,
            juilland_d: None,
            dp: None,
            dp_norm: None,
        }
    }

    fn group(name: &str, rows: &[(&str, u64)]) -> GroupFreq {
        GroupFreq {
            group: name.to_string(),
            tokens: rows.iter().map(|r| r.1).sum(),
            types: rows.len() as u64,
            parts: 1,
            empty_docs: 0,
            rows: rows.iter().map(|&(i, f)| row(i, f)).collect(),
        }
    }

    fn stop_an(words: &[&str]) -> Analyzer {
        let mut an = Analyzer::default();
        an.add_stopwords(words.iter().copied());
        an
    }

    #[test]
    fn selection_table() {
        let an = stop_an(&["dan"]);
        // (min_freq, top, stopwords?, expected items with ranks)
        let rows = [("dan", 5), ("china", 4), ("di china", 3), ("x", 1)];
        type Case<'a> = (u64, Option<usize>, bool, &'a [(u64, &'a str)]);
        let cases: [Case; 5] = [
            (
                0,
                None,
                false,
                &[(1, "dan"), (2, "china"), (3, "di china"), (4, "x")],
            ),
            (2, None, false, &[(1, "dan"), (2, "china"), (3, "di china")]),
            (0, Some(2), false, &[(1, "dan"), (2, "china")]),
            // the ranks count the rows kept
            (0, Some(2), true, &[(1, "china"), (2, "di china")]),
            (4, Some(0), true, &[]),
        ];
        for (min_freq, top, stop, want) in cases {
            let sel =
                Selection { min_freq, top, stopwords: stop.then_some(&an) };
            let got: Vec<(u64, &str)> = sel
                .apply(&rows, |r| (r.0, r.1))
                .map(|(k, r)| (k, r.0))
                .collect();
            assert_eq!(got, want, "min {min_freq} top {top:?} stop {stop}");
        }
    }

    #[test]
    fn a_stopword_inside_an_ngram_leaves_it_out() {
        let an = stop_an(&["di"]);
        let sel = Selection { stopwords: Some(&an), ..Selection::ALL };
        assert!(!sel.keeps("tiba di", 9));
        assert!(!sel.keeps("di", 9));
        assert!(sel.keeps("dia tiba", 9));
        assert!(sel.keeps("tiba", 0));
    }

    #[test]
    fn ranks_restart_in_each_group() {
        let groups =
            [group("2019", &[("a", 3), ("b", 1)]), group("2020", &[("c", 2)])];
        let sel = Selection { min_freq: 2, ..Selection::ALL };
        let got: Vec<(&str, u64, &str)> = sel
            .ranked(&groups)
            .map(|(g, k, r)| (g.group.as_str(), k, r.item.as_str()))
            .collect();
        assert_eq!(got, [("2019", 1, "a"), ("2020", 1, "c")]);
    }

    #[test]
    fn wide_sums_the_groups_and_orders_by_total_then_bytes() {
        // a: 2 + 0 = 2, b: 1 + 3 = 4, c: 0 + 2 = 2, Z: 2 + 0 = 2
        // (uppercase sorts before lowercase by bytes).
        let groups = [
            group("x", &[("a", 2), ("Z", 2), ("b", 1)]),
            group("y", &[("b", 3), ("c", 2)]),
        ];
        let got = wide(&groups, &Selection::ALL);
        let want = [
            (1, "b", 4, vec![1, 3]),
            (2, "Z", 2, vec![2, 0]),
            (3, "a", 2, vec![2, 0]),
            (4, "c", 2, vec![0, 2]),
        ];
        let got: Vec<_> = got
            .into_iter()
            .map(|r| (r.rank, r.item, r.total, r.freqs))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn wide_selects_on_the_total() {
        let an = stop_an(&["b"]);
        let groups = [
            group("x", &[("a", 1), ("b", 1), ("c", 1)]),
            group("y", &[("a", 1), ("b", 1), ("d", 1)]),
        ];
        // a and b reach 2 only summed; b is a stopword.
        let sel = Selection { min_freq: 2, top: None, stopwords: Some(&an) };
        let got = wide(&groups, &sel);
        assert_eq!(
            got,
            [WideRow { rank: 1, item: "a", total: 2, freqs: vec![1, 1] }]
        );
        let sel = Selection { top: Some(2), ..Selection::ALL };
        let items: Vec<&str> =
            wide(&groups, &sel).iter().map(|r| r.item).collect();
        assert_eq!(items, ["a", "b"]);
    }
}
