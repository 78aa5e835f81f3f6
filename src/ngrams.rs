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
use crate::meta::DocFilter;
use crate::parallel::PerThread;
use crate::query::{DocTokens, Query};

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

#[derive(Default)]
struct Acc {
    /// (item, n, node position) → (freq, range).
    counts: Map<(String, usize, usize), (u64, u64)>,
    hits: u64,
}

/// Counts the clusters of `query` of every length in `lengths`.
pub fn clusters(
    corpus: &Corpus,
    an: &Analyzer,
    filter: &DocFilter,
    query: &Query,
    lengths: std::ops::RangeInclusive<usize>,
    cross_sentences: bool,
    warn: &mut dyn FnMut(&Warning),
) -> Result<Clusters> {
    let threads = PerThread::new(|| (Acc::default(), Scratch::default()));
    let mut kept = 0u64;
    let counted = std::sync::atomic::AtomicU64::new(0);
    let report = corpus.scan(warn, &mut |docs| {
        let docs: Vec<_> =
            docs.into_iter().filter(|d| filter.matches(d)).collect();
        kept += docs.len() as u64;
        threads.for_each(&docs, |(acc, scratch), doc| {
            let d = DocTokens::analyze(an, &doc.text, scratch);
            counted.fetch_add(
                d.tokens.len() as u64,
                std::sync::atomic::Ordering::Relaxed,
            );
            let mut seen: crate::hash::Set<(String, usize, usize)> =
                crate::hash::new_set();
            for (p, e) in d.matches(query, &doc.text) {
                acc.hits += 1;
                for n in lengths.clone() {
                    if e - p > n {
                        continue;
                    }
                    // Every window of n tokens that holds p..e.
                    let first = e.saturating_sub(n);
                    for s in first..=p {
                        if s + n > d.tokens.len()
                            || (!cross_sentences
                                && (s + 1..s + n)
                                    .any(|k| d.starts_sentence(k)))
                        {
                            continue;
                        }
                        let item = (s..s + n)
                            .map(|k| d.term(k))
                            .collect::<Vec<_>>()
                            .join(" ");
                        let key = (item, n, p - s + 1);
                        let entry = acc.counts.entry(key.clone()).or_default();
                        entry.0 += 1;
                        if seen.insert(key) {
                            entry.1 += 1;
                        }
                    }
                }
            }
        });
        Ok(())
    })?;
    let tokens = counted.into_inner();
    crate::meta::check_scan(
        &report,
        filter,
        &crate::meta::GroupBy::All,
        kept,
        tokens,
    )?;
    let mut merged: Map<(String, usize, usize), (u64, u64)> = new_map();
    let mut hits = 0;
    for (acc, _) in threads.into_inner() {
        hits += acc.hits;
        for (k, (f, r)) in acc.counts {
            let e = merged.entry(k).or_default();
            e.0 += f;
            e.1 += r;
        }
    }
    let mut clusters: Vec<Cluster> = merged
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
    Ok(Clusters { clusters, hits, report })
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
