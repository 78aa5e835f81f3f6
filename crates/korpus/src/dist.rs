//! Where a count runs ([`Backend`]): in this process, or (cargo feature
//! `distributed`) on every worker of a cluster, each counting its share,
//! the counts summed. Either way the result is the same, byte for byte
//! once written.
//!
//! The cluster ([`Cluster`], from [`cluster`]'s timely dataflow) sums
//! records by key; the distributed counts here ([`freq_list`],
//! [`collocates_by`], [`pairs`], [`pairs_in_parts`]) are the engines'
//! partial counts, summed and finished as on one machine.

#[cfg(feature = "distributed")]
pub mod cluster;

#[cfg(feature = "distributed")]
use crate::nltk::PairRecord;
#[cfg(feature = "distributed")]
pub use cluster::{Cluster, Config, Secret};
#[cfg(feature = "distributed")]
use cluster::{Place, Total, sum_by_key, sum_by_key_kept, sum_by_key_placed};
#[cfg(feature = "distributed")]
use std::sync::{Arc, Mutex};

use crate::analyze::Analyzer;
use crate::colloc::{CollocOptions, Collocates};
use crate::corpus::{Corpus, ReadReport, Warning};
use crate::error::{Error, Result};
use crate::freq::{FreqList, FreqOptions};
use crate::meta::{DocFilter, GroupBy};
use crate::nltk::Pairs;
use crate::query::Query;

/// What a count reads: the documents of a corpus that pass a filter,
/// tokenized by an analyzer.
#[derive(Debug, Clone, Copy)]
pub struct Subcorpus<'a> {
    /// The corpus.
    pub corpus: &'a Corpus,
    /// How its texts become tokens and terms.
    pub analyzer: &'a Analyzer,
    /// The documents counted.
    pub filter: &'a DocFilter,
}

/// Where the counts are made: created once per command line and passed
/// to the commands that can run distributed (freq, ngrams, colloc,
/// keyness).
///
/// Warnings: [`Backend::Local`] reports them to the `warn` of each call;
/// a cluster's workers report them to the sink the cluster was made with
/// (see [`Cluster::new`]), and the `warn` of the call is not
/// used.
#[derive(Debug, Default)]
pub enum Backend {
    /// This process counts the whole corpus, on its thread pool.
    #[default]
    Local,
    /// This process is one of a cluster's: its workers count their
    /// shares and every process receives the sums.
    #[cfg(feature = "distributed")]
    Cluster(Box<Cluster>),
}

impl Backend {
    /// Whether the counts are made by a cluster.
    pub fn is_distributed(&self) -> bool {
        !matches!(self, Backend::Local)
    }

    /// Whether this process writes the results (outputs, charts,
    /// provenance records): always, except in a cluster's processes
    /// other than 0, which compute the same results and write nothing.
    pub fn writes(&self) -> bool {
        match self {
            Backend::Local => true,
            #[cfg(feature = "distributed")]
            Backend::Cluster(c) => c.writes(),
        }
    }

    /// Ends the backend after a successful command: a cluster's workers
    /// stop and its connections close cleanly (see [`Cluster::finish`];
    /// after a failure, drop it instead).
    pub fn finish(self) -> Result<()> {
        match self {
            Backend::Local => Ok(()),
            #[cfg(feature = "distributed")]
            Backend::Cluster(c) => c.finish(),
        }
    }

    /// The frequency list of `sub` (see [`crate::freq::count`]).
    pub fn freq_list(
        &self,
        sub: &Subcorpus,
        by: &GroupBy,
        opts: &FreqOptions,
        warn: &mut dyn FnMut(&Warning),
    ) -> Result<FreqList> {
        match self {
            Backend::Local => crate::freq::count(
                sub.corpus,
                sub.analyzer,
                sub.filter,
                by,
                opts,
                warn,
            ),
            #[cfg(feature = "distributed")]
            Backend::Cluster(c) => freq_list(c, sub, by, opts),
        }
    }

    /// The collocates of a node per group (see
    /// [`crate::colloc::collocates_by`]).
    pub fn collocates_by(
        &self,
        sub: &Subcorpus,
        by: &GroupBy,
        query: &Query,
        opts: &CollocOptions,
        warn: &mut dyn FnMut(&Warning),
    ) -> Result<(Vec<(String, Collocates)>, ReadReport)> {
        match self {
            Backend::Local => crate::colloc::collocates_by(
                sub.corpus,
                sub.analyzer,
                sub.filter,
                by,
                query,
                opts,
                warn,
            ),
            #[cfg(feature = "distributed")]
            Backend::Cluster(c) => collocates_by(c, sub, by, query, opts),
        }
    }

    /// The collocates of a node in the whole of `sub`, with its read
    /// report.
    pub fn collocates(
        &self,
        sub: &Subcorpus,
        query: &Query,
        opts: &CollocOptions,
        warn: &mut dyn FnMut(&Warning),
    ) -> Result<Collocates> {
        let (mut groups, report) =
            self.collocates_by(sub, &GroupBy::All, query, opts, warn)?;
        let mut c = groups.pop().expect("one group").1;
        c.report = report;
        Ok(c)
    }

    /// Every word pair within `window` (NLTK's finder; see
    /// [`crate::nltk::pairs`]).
    pub fn pairs(
        &self,
        sub: &Subcorpus,
        window: usize,
        min_count: u64,
        max_pairs: usize,
        warn: &mut dyn FnMut(&Warning),
    ) -> Result<Pairs> {
        match self {
            Backend::Local => crate::nltk::pairs(
                sub.corpus,
                sub.analyzer,
                sub.filter,
                window,
                min_count,
                max_pairs,
                warn,
            ),
            #[cfg(feature = "distributed")]
            Backend::Cluster(c) => pairs(c, sub, window, min_count, max_pairs),
        }
    }

    /// [`Backend::pairs`] written in parts, one per worker, by `write`
    /// (see [`pairs_in_parts`]): the rows written over all
    /// parts and the number of parts. Only a cluster writes parts: on
    /// [`Backend::Local`], a usage error.
    pub fn pairs_in_parts<W>(
        &self,
        sub: &Subcorpus,
        window: usize,
        min_count: u64,
        max_pairs: usize,
        write: W,
    ) -> Result<(u64, usize)>
    where
        W: Fn(usize, &Pairs) -> Result<u64> + Send + Sync + 'static,
    {
        match self {
            Backend::Local => {
                let _ = (sub, window, min_count, max_pairs, write);
                Err(Error::Usage("--parts is for korpus dist".to_string()))
            }
            #[cfg(feature = "distributed")]
            Backend::Cluster(c) => {
                let rows = pairs_in_parts(
                    c, sub, window, min_count, max_pairs, write,
                )?;
                Ok((rows, c.workers()))
            }
        }
    }
}

/// Each worker's share of the corpus, and how many threads it counts on.
#[cfg(feature = "distributed")]
struct Shares {
    shares: Vec<Mutex<Option<Corpus>>>,
    /// The index of this process's first worker.
    first: usize,
    threads: usize,
}

#[cfg(feature = "distributed")]
impl Shares {
    fn new(cluster: &Cluster, corpus: &Corpus) -> Result<Arc<Shares>> {
        let threads = cluster.config().threads;
        let first = cluster.config().process * threads;
        let mut shares = Vec::with_capacity(threads);
        for w in 0..threads {
            let share = corpus.share(first + w, cluster.workers())?;
            shares.push(Mutex::new(Some(share)));
        }
        // Each worker counts on threads of its own (this process's
        // threads shared among its workers), not on the one global
        // pool, which would make the workers take turns.
        let threads = (rayon::current_num_threads() / threads).max(1);
        Ok(Arc::new(Shares { shares, first, threads }))
    }

    /// Worker `index`'s share (once) and a thread pool of its own.
    fn take(&self, index: usize) -> Result<(Corpus, rayon::ThreadPool)> {
        let share = self.shares[index - self.first]
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
            .expect("each share is read once");
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(self.threads)
            .build()
            .map_err(|e| Error::Distributed {
                message: format!("worker {index}: starting threads: {e}"),
                input: false,
            })?;
        Ok((share, pool))
    }
}

/// Tells [`Cluster::new`]'s `note` what this process's workers
/// exchanged.
#[cfg(feature = "distributed")]
fn note_sent(cluster: &Cluster, sent: u64, summed: usize) {
    let c = cluster.config();
    cluster.note(&format!(
        "korpus: process {} of {}: {} worker(s) sent {} partial counts; {} summed",
        c.process, c.processes, c.threads, sent, summed
    ));
}

/// The read report of a distributed count, before the sums fill it in:
/// the files passed over (named once, by process 0).
#[cfg(feature = "distributed")]
fn report_of(cluster: &Cluster, corpus: &Corpus) -> ReadReport {
    let mut report = ReadReport::default();
    if cluster.writes() {
        report.ignored_files = corpus.ignored().to_vec();
    }
    report
}

/// An owned copy of a [`Subcorpus`]'s analyzer and filter, for the
/// workers.
#[cfg(feature = "distributed")]
fn owned(sub: &Subcorpus) -> (Analyzer, DocFilter) {
    (sub.analyzer.clone(), sub.filter.clone())
}

/// [`crate::freq::count`] on every worker of `cluster`, each counting its
/// share of `sub.corpus`, the counts summed by key. Gries' DP takes a
/// second round: each worker sums its documents' DP terms with the whole
/// corpus's totals, and those sums are summed.
#[cfg(feature = "distributed")]
pub fn freq_list(
    cluster: &Cluster,
    sub: &Subcorpus,
    by: &GroupBy,
    opts: &FreqOptions,
) -> Result<FreqList> {
    use crate::freq::Local;
    type Slot = Mutex<Option<(Local, Arc<rayon::ThreadPool>)>>;
    let shares = Shares::new(cluster, sub.corpus)?;
    let first = shares.first;
    // Each worker's counts (and DP spill files) between the two rounds.
    let kept: Arc<Vec<Slot>> = Arc::new(
        (0..cluster.config().threads).map(|_| Mutex::new(None)).collect(),
    );
    let ((an, filter), by2, opts2) = (owned(sub), by.clone(), opts.clone());
    let (keep, warn) = (kept.clone(), cluster.warn());
    let summed = sum_by_key(cluster, move |index, _peers| {
        let (share, pool) = shares.take(index)?;
        let (records, local) = pool.install(|| {
            crate::freq::partial_records(
                &share,
                &an,
                &filter,
                &by2,
                &opts2,
                &mut |w| warn(w),
            )
        })?;
        *keep[index - first].lock().unwrap_or_else(|e| e.into_inner()) =
            Some((local, Arc::new(pool)));
        Ok(records)
    })?;
    let mut records = summed.records;
    let mut sent = summed.sent;
    if opts.dp {
        let totals = Arc::new(std::mem::take(&mut records));
        let totals2 = totals.clone();
        let dp = sum_by_key(cluster, move |index, _peers| {
            let (local, pool) = kept[index - first]
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take()
                .expect("round 1 kept this worker's counts");
            pool.install(|| crate::freq::dp_records(local, &totals2))
        })?;
        sent += dp.sent;
        records = Arc::try_unwrap(totals).unwrap_or_else(|t| (*t).clone());
        records.extend(dp.records);
    }
    note_sent(cluster, sent, records.len());
    let report = report_of(cluster, sub.corpus);
    crate::freq::from_records(records, sub.filter, by, report)
}

/// [`crate::colloc::collocates_by`] on every worker of `cluster`, the
/// counts summed by key.
#[cfg(feature = "distributed")]
pub fn collocates_by(
    cluster: &Cluster,
    sub: &Subcorpus,
    by: &GroupBy,
    query: &Query,
    opts: &CollocOptions,
) -> Result<(Vec<(String, Collocates)>, ReadReport)> {
    let shares = Shares::new(cluster, sub.corpus)?;
    let ((an, filter), by2) = (owned(sub), by.clone());
    let (query2, opts2) = (query.clone(), opts.clone());
    let warn = cluster.warn();
    let summed = sum_by_key(cluster, move |index, _| {
        let (share, pool) = shares.take(index)?;
        pool.install(|| {
            crate::colloc::partial_records(
                &share,
                &an,
                &filter,
                &by2,
                &query2,
                &opts2,
                &mut |w| warn(w),
            )
        })
    })?;
    note_sent(cluster, summed.sent, summed.records.len());
    let report = report_of(cluster, sub.corpus);
    crate::colloc::from_records(
        summed.records,
        sub.filter,
        by,
        query,
        opts,
        report,
    )
}

/// Every worker's pair counts of its share (see [`crate::nltk::pairs`]).
#[cfg(feature = "distributed")]
fn partial_pairs(
    cluster: &Cluster,
    sub: &Subcorpus,
    window: usize,
    max_pairs: usize,
) -> Result<
    impl Fn(usize, usize) -> Result<Vec<PairRecord>> + Send + Sync + 'static,
> {
    let shares = Shares::new(cluster, sub.corpus)?;
    let (an, filter) = owned(sub);
    let warn = cluster.warn();
    Ok(move |index, _| {
        let (share, pool) = shares.take(index)?;
        pool.install(|| {
            crate::nltk::partial_records(
                &share,
                &an,
                &filter,
                window,
                max_pairs,
                &mut |w| warn(w),
            )
        })
    })
}

/// [`crate::nltk::pairs`] on every worker of `cluster`, the counts summed
/// by pair, the pairs below `min_count` dropped where they are summed.
#[cfg(feature = "distributed")]
pub fn pairs(
    cluster: &Cluster,
    sub: &Subcorpus,
    window: usize,
    min_count: u64,
    max_pairs: usize,
) -> Result<Pairs> {
    let local = partial_pairs(cluster, sub, window, max_pairs)?;
    let summed = sum_by_key_kept(cluster, local, move |r: &PairRecord| {
        r.kept(min_count)
    })?;
    note_sent(cluster, summed.sent, summed.records.len());
    let report = report_of(cluster, sub.corpus);
    crate::nltk::from_records(
        summed.records,
        sub.filter,
        window,
        min_count,
        max_pairs,
        report,
    )
}

/// [`pairs`] never gathered in one process: every worker sums its keys'
/// pairs and calls `write(worker, its part)` (the pairs with the totals
/// of the whole corpus), once every worker has its part. Returns the
/// number of rows that `write` reported, over all workers of all
/// processes, after every part was written; the parts are numbered
/// from 0 to [`Cluster::workers`] − 1.
#[cfg(feature = "distributed")]
pub fn pairs_in_parts<W>(
    cluster: &Cluster,
    sub: &Subcorpus,
    window: usize,
    min_count: u64,
    max_pairs: usize,
    write: W,
) -> Result<u64>
where
    W: Fn(usize, &Pairs) -> Result<u64> + Send + Sync + 'static,
{
    use std::sync::atomic::{AtomicU64, Ordering};
    let local = partial_pairs(cluster, sub, window, max_pairs)?;
    let first = cluster.config().process * cluster.config().threads;
    let rows: Arc<Vec<AtomicU64>> = Arc::new(
        (0..cluster.config().threads).map(|_| AtomicU64::new(0)).collect(),
    );
    let (rows2, filter) = (rows.clone(), sub.filter.clone());
    let place = move |r: &PairRecord| match r {
        PairRecord::Pair { count, .. } if *count < min_count => Place::Drop,
        PairRecord::Pair { .. } => Place::Owner,
        _ => Place::Gather,
    };
    let at_owner =
        move |index: usize, mine: Vec<PairRecord>, all: &[PairRecord]| {
            let mut records = mine;
            records.extend(all.iter().cloned());
            let p = crate::nltk::from_records(
                records,
                &filter,
                window,
                min_count,
                max_pairs,
                ReadReport::default(),
            )?;
            rows2[index - first].store(write(index, &p)?, Ordering::Relaxed);
            Ok(())
        };
    sum_by_key_placed(cluster, local, place, Some(at_owner))?;
    // Every part is written: count the rows over all workers.
    let total = sum_by_key(cluster, move |index, _| {
        Ok(vec![Total(rows[index - first].load(Ordering::Relaxed))])
    })?;
    Ok(total.records.first().map_or(0, |t| t.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::colloc::{Convention, Overlap, Within};

    /// Two documents, worked by hand below: "a b a" and "a c".
    fn corpus() -> (tempfile::TempDir, Corpus) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("0.txt"), "a b a").unwrap();
        std::fs::write(dir.path().join("1.txt"), "a c").unwrap();
        let inputs = [dir.path().display().to_string()];
        (dir, Corpus::open(&inputs, Default::default()).unwrap())
    }

    /// The backends to compare: this process, and (with the feature) a
    /// cluster of one process with two workers, each counting one file.
    fn backends() -> Vec<Backend> {
        #[allow(unused_mut)]
        let mut all = vec![Backend::Local];
        #[cfg(feature = "distributed")]
        all.push(Backend::Cluster(Box::new(Cluster::new(
            Config {
                threads: 2,
                processes: 1,
                process: 0,
                hosts: None,
                timeout: std::time::Duration::from_secs(5),
                secret: None,
                command: vec!["test".to_string()],
            },
            |w| panic!("no warning expected: {w}"),
            |_| {},
        ))));
        all
    }

    #[test]
    fn local_writes_and_is_not_distributed() {
        assert!(Backend::Local.writes());
        assert!(!Backend::Local.is_distributed());
        let (_dir, corpus) = corpus();
        let sub = Subcorpus {
            corpus: &corpus,
            analyzer: &Analyzer::default(),
            filter: &DocFilter::default(),
        };
        let parts =
            Backend::Local.pairs_in_parts(&sub, 2, 1, 100, |_, _| Ok(0));
        assert!(matches!(parts, Err(Error::Usage(_))));
    }

    #[test]
    fn freq_list_is_the_same_on_every_backend() {
        let (_dir, corpus) = corpus();
        let an = Analyzer::default();
        let filter = DocFilter::default();
        let sub =
            Subcorpus { corpus: &corpus, analyzer: &an, filter: &filter };
        let opts = FreqOptions { ngram: 1, dp: true, cross_sentences: false };
        for backend in backends() {
            let list = backend
                .freq_list(&sub, &GroupBy::All, &opts, &mut |_| {})
                .unwrap();
            let g = &list.groups[0];
            assert_eq!((g.tokens, g.types, g.parts), (5, 3, 2));
            // Parts of 3/5 and 2/5 of the corpus. DP = half the sum of
            // |share of the item's hits - share of the corpus|:
            // a 2/3, 1/3 -> 1/15; b 1, 0 -> 0.4; c 0, 1 -> 0.6.
            let want =
                [("a", 3, 2, 1.0 / 15.0), ("b", 1, 1, 0.4), ("c", 1, 1, 0.6)];
            assert_eq!(g.rows.len(), want.len());
            for (r, (item, freq, range, dp)) in g.rows.iter().zip(want) {
                assert_eq!(
                    (r.item.as_str(), r.freq, r.range),
                    (item, freq, range)
                );
                assert!(
                    (r.dp.unwrap() - dp).abs() < 1e-12,
                    "{item}: {:?}",
                    r.dp
                );
                assert!(
                    (r.per_million - freq as f64 / 5.0 * 1e6).abs() < 1e-6
                );
            }
            backend.finish().unwrap();
        }
    }

    #[test]
    fn collocates_and_pairs_are_the_same_on_every_backend() {
        let (_dir, corpus) = corpus();
        let an = Analyzer::default();
        let filter = DocFilter::default();
        let sub =
            Subcorpus { corpus: &corpus, analyzer: &an, filter: &filter };
        let query = Query::parse("a", &an, false).unwrap();
        let opts = CollocOptions {
            left: 1,
            right: 1,
            within: Within::Document,
            convention: Convention::Window,
            overlap: Overlap::Each,
        };
        for backend in backends() {
            // "a b a": b right of the first a and left of the second
            // (counted in each window); "a c": c right of a.
            let c =
                backend.collocates(&sub, &query, &opts, &mut |_| {}).unwrap();
            assert_eq!((c.hits, c.tokens), (3, 5));
            let mut items: Vec<(&str, u64)> = c
                .items
                .iter()
                .map(|i| (i.item.as_str(), i.window_freq))
                .collect();
            items.sort();
            assert_eq!(items, [("b", 2), ("c", 1)]);
            // NLTK's window of 2: the pairs (a, b), (b, a) and (a, c).
            let p = backend.pairs(&sub, 2, 1, 100, &mut |_| {}).unwrap();
            let mut pairs: Vec<(&str, &str, u64)> = p
                .pairs
                .iter()
                .map(|p| (p.w1.as_str(), p.w2.as_str(), p.count))
                .collect();
            pairs.sort();
            assert_eq!(pairs, [("a", "b", 1), ("a", "c", 1), ("b", "a", 1)]);
            assert_eq!(p.tokens, 5);
            backend.finish().unwrap();
        }
    }

    /// Every worker writes its part once; the rows of all parts are
    /// the pairs of the whole corpus, each in one part.
    #[cfg(feature = "distributed")]
    #[test]
    fn pairs_in_parts_writes_each_pair_in_one_part() {
        let (_dir, corpus) = corpus();
        let an = Analyzer::default();
        let filter = DocFilter::default();
        let sub =
            Subcorpus { corpus: &corpus, analyzer: &an, filter: &filter };
        let backend = backends().pop().unwrap();
        type Written = Vec<(usize, Vec<String>)>;
        let written: Arc<Mutex<Written>> = Arc::default();
        let w = written.clone();
        let (rows, parts) = backend
            .pairs_in_parts(&sub, 2, 1, 100, move |index, p| {
                let pairs = p
                    .pairs
                    .iter()
                    .map(|p| format!("{} {}", p.w1, p.w2))
                    .collect();
                w.lock().unwrap().push((index, pairs));
                Ok(p.pairs.len() as u64)
            })
            .unwrap();
        assert_eq!((rows, parts), (3, 2));
        let mut written = written.lock().unwrap().clone();
        written.sort();
        assert_eq!(written.iter().map(|w| w.0).collect::<Vec<_>>(), [0, 1]);
        let mut all: Vec<String> =
            written.into_iter().flat_map(|w| w.1).collect();
        all.sort();
        assert_eq!(all, ["a b", "a c", "b a"]);
        assert!(!backend.writes() || backend.is_distributed());
        backend.finish().unwrap();
    }

    /// Each cluster is a value of its own (no process-wide session): two
    /// of different shapes count in turns while both are open.
    #[cfg(feature = "distributed")]
    #[test]
    fn two_clusters_live_in_one_process() {
        let (_dir, corpus) = corpus();
        let an = Analyzer::default();
        let filter = DocFilter::default();
        let sub =
            Subcorpus { corpus: &corpus, analyzer: &an, filter: &filter };
        let cluster = |threads| {
            let config = Config {
                threads,
                processes: 1,
                process: 0,
                hosts: None,
                timeout: std::time::Duration::from_secs(5),
                secret: None,
                command: Vec::new(),
            };
            Cluster::new(config, |_| {}, |_| {})
        };
        let (a, b) = (cluster(2), cluster(1));
        let opts = FreqOptions { ngram: 1, dp: false, cross_sentences: false };
        for c in [&a, &b, &a] {
            let list = freq_list(c, &sub, &GroupBy::All, &opts).unwrap();
            assert_eq!(list.groups[0].tokens, 5);
            assert_eq!(list.groups[0].rows[0].freq, 3);
        }
        a.finish().unwrap();
        b.finish().unwrap();
    }

    /// Only process 0 of a cluster writes; a cluster not yet connected
    /// says so without connecting.
    #[cfg(feature = "distributed")]
    #[test]
    fn only_process_zero_writes() {
        for (process, writes) in [(0, true), (1, false)] {
            let config = Config {
                threads: 1,
                processes: 2,
                process,
                hosts: None,
                timeout: std::time::Duration::from_secs(1),
                secret: None,
                command: Vec::new(),
            };
            let backend = Backend::Cluster(Box::new(Cluster::new(
                config,
                |_| {},
                |_| {},
            )));
            assert_eq!(backend.writes(), writes);
            assert!(backend.is_distributed());
            if let Backend::Cluster(c) = backend {
                assert_eq!(c.workers(), 2);
                c.finish().unwrap();
            }
        }
    }
}
