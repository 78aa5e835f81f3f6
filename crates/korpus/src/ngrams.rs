//! Clusters: the n-grams that contain a match of a node query, with the
//! node's position in them (AntConc's Clusters). Plain n-gram lists are
//! frequency lists of n-grams ([`crate::freq`] with `ngram = n`).
//!
//! A cluster never crosses a document boundary, nor a sentence boundary
//! unless asked (`cross_sentences`), holds the
//! whole match of the node, and is counted once per position of the
//! node in it: `presiden tiongkok xi` with the node `tiongkok` is a
//! cluster with the node at position 2.

use crate::analyze::{Analyzer, Scratch};
use crate::corpus::{Corpus, ReadReport, Warning};
use crate::error::Result;
use crate::hash::{Map, new_map};
use crate::meta::{DocFilter, GroupBy};
use crate::query::{DocTokens, Query};
use crate::scan::{self, Counter, Doc, Job, Scanned};

/// One cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    /// The cluster's terms, joined by a space.
    pub item: String,
    /// Its length in tokens.
    pub n: usize,
    /// The node's first token's position in it (1-based).
    pub node_position: usize,
    /// Its frequency.
    pub freq: u64,
    /// Documents it occurs in.
    pub range: u64,
}

/// The result of [`clusters`].
#[derive(Debug, Clone)]
pub struct Clusters {
    /// Clusters by frequency (descending), then length, node position and
    /// item (bytes).
    pub clusters: Vec<Cluster>,
    /// Node hits.
    pub hits: u64,
    /// What was read.
    pub report: ReadReport,
}

/// Counts the clusters of a query in the documents it is given.
pub struct ClusterCounter<'a> {
    query: &'a Query,
    lengths: std::ops::RangeInclusive<usize>,
    cross_sentences: bool,
    scratch: Scratch,
    /// (item, n, node position) → (freq, range).
    counts: Map<(String, usize, usize), (u64, u64)>,
    hits: u64,
    tokens: u64,
}

impl<'a> ClusterCounter<'a> {
    /// A counter of the clusters of `query` of every length in
    /// `lengths`, within sentences unless `cross_sentences`.
    pub fn new(
        query: &'a Query,
        lengths: std::ops::RangeInclusive<usize>,
        cross_sentences: bool,
    ) -> ClusterCounter<'a> {
        ClusterCounter {
            query,
            lengths,
            cross_sentences,
            scratch: Scratch::default(),
            counts: new_map(),
            hits: 0,
            tokens: 0,
        }
    }
}

impl Counter for ClusterCounter<'_> {
    /// The clusters, in the order of [`Clusters::clusters`], and the
    /// node's hits.
    type Output = (Vec<Cluster>, u64);

    fn add(&mut self, doc: &Doc<'_>) {
        let text = &doc.document.text;
        let d = DocTokens::analyze(doc.analyzer, text, &mut self.scratch);
        self.tokens += d.tokens.len() as u64;
        let mut seen: crate::hash::Set<(String, usize, usize)> =
            crate::hash::new_set();
        for (p, e) in d.matches(self.query, text) {
            self.hits += 1;
            for n in self.lengths.clone() {
                if e - p > n {
                    continue;
                }
                // Every window of n tokens that holds p..e.
                let first = e.saturating_sub(n);
                for s in first..=p {
                    if s + n > d.tokens.len()
                        || (!self.cross_sentences
                            && (s + 1..s + n).any(|k| d.starts_sentence(k)))
                    {
                        continue;
                    }
                    let item = (s..s + n)
                        .map(|k| d.term(k))
                        .collect::<Vec<_>>()
                        .join(" ");
                    let key = (item, n, p - s + 1);
                    let entry = self.counts.entry(key.clone()).or_default();
                    entry.0 += 1;
                    if seen.insert(key) {
                        entry.1 += 1;
                    }
                }
            }
        }
    }

    fn merge(&mut self, other: Self) {
        self.hits += other.hits;
        self.tokens += other.tokens;
        for (k, (f, r)) in other.counts {
            let e = self.counts.entry(k).or_default();
            e.0 += f;
            e.1 += r;
        }
    }

    fn tokens(&self) -> Option<u64> {
        Some(self.tokens)
    }

    fn finish(self, _: &Scanned) -> Result<Self::Output> {
        let mut clusters: Vec<Cluster> = self
            .counts
            .into_iter()
            .map(|((item, n, node_position), (freq, range))| Cluster {
                item,
                n,
                node_position,
                freq,
                range,
            })
            .collect();
        clusters.sort_by(|a, b| {
            b.freq
                .cmp(&a.freq)
                .then(a.n.cmp(&b.n))
                .then(a.node_position.cmp(&b.node_position))
                .then_with(|| a.item.as_bytes().cmp(b.item.as_bytes()))
        });
        Ok((clusters, self.hits))
    }
}

/// Counts the clusters of `query` of every length in `lengths`: a
/// [`ClusterCounter`] run by [`scan::run`].
pub fn clusters(
    corpus: &Corpus,
    an: &Analyzer,
    filter: &DocFilter,
    query: &Query,
    lengths: std::ops::RangeInclusive<usize>,
    cross_sentences: bool,
    warn: &mut dyn FnMut(&Warning),
) -> Result<Clusters> {
    let by = GroupBy::All;
    let mut job = Job::local(corpus, an, filter, &by, warn);
    let make = || ClusterCounter::new(query, lengths.clone(), cross_sentences);
    let ((clusters, hits), scanned) = scan::run(&mut job, make)?;
    Ok(Clusters { clusters, hits, report: scanned.report })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clusters_by_hand() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("a.txt"),
            "presiden tiongkok xi. tiongkok xi",
        )
        .unwrap();
        std::fs::write(dir.path().join("b.txt"), "ke tiongkok").unwrap();
        let corpus = Corpus::open(
            &[dir.path().display().to_string()],
            Default::default(),
        )
        .unwrap();
        let an = Analyzer::default();
        let q = Query::parse("tiongkok", &an, false).unwrap();
        let c = clusters(
            &corpus,
            &an,
            &DocFilter::default(),
            &q,
            2..=3,
            false,
            &mut |_| {},
        )
        .unwrap();
        let got: Vec<(String, usize, u64, u64)> = c
            .clusters
            .iter()
            .map(|x| (x.item.clone(), x.node_position, x.freq, x.range))
            .collect();
        // "tiongkok xi" twice (once in each sentence of a.txt), not across
        // the sentence end ("xi tiongkok" is not a cluster).
        assert_eq!(
            got,
            [
                ("tiongkok xi".to_string(), 1, 2, 1),
                ("ke tiongkok".to_string(), 2, 1, 1),
                ("presiden tiongkok".to_string(), 2, 1, 1),
                ("presiden tiongkok xi".to_string(), 2, 1, 1),
            ]
        );
        assert_eq!(c.hits, 3);
    }
}
