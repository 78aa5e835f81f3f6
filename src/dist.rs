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
    Cluster(Cluster),
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
