//! `colloc --all --parts`: every word pair of a corpus summed over a
//! cluster's workers by key, each worker writing the part whose keys
//! hash to it, never gathered in one process (the word frequencies and
//! what was read are). The one count that does not run through
//! [`crate::scan::run_anywhere`]: that sums a counter's whole state in
//! every process, which a pair table too large for one machine is not.
//! The records ([`PairRecord`]) are summed by `dist/cluster.rs`'s
//! [`sum_by_key_placed`] as [`Summable`]s.

#[cfg(feature = "distributed")]
use std::sync::{Arc, Mutex};

#[cfg(feature = "distributed")]
use super::PairRecord;
use super::Pairs;
#[cfg(feature = "distributed")]
use crate::analyze::Analyzer;
#[cfg(feature = "distributed")]
use crate::corpus::{Corpus, ReadReport};
use crate::dist::Backend;
#[cfg(feature = "distributed")]
use crate::dist::cluster::{
    Cluster, Place, Summable, Total, sum_by_key, sum_by_key_placed,
};
use crate::error::{Error, Result};
#[cfg(feature = "distributed")]
use crate::meta::DocFilter;
use crate::scan::Subcorpus;

/// Every word pair within `window` (see [`super::pairs`]) written in
/// parts, one per worker of `backend`, by `write(worker, its part)`:
/// the rows written over all parts and the number of parts. Only a
/// cluster writes parts: on [`Backend::Local`], a usage error. The
/// workers report the warnings of their shares to the sink the cluster
/// was made with.
pub fn pairs_in_parts<W>(
    backend: &Backend,
    sub: &Subcorpus,
    window: usize,
    min_count: u64,
    max_pairs: usize,
    write: W,
) -> Result<(u64, usize)>
where
    W: Fn(usize, &Pairs) -> Result<u64> + Send + Sync + 'static,
{
    match backend {
        Backend::Local => {
            let _ = (sub, window, min_count, max_pairs, write);
            Err(Error::Usage("--parts is for korpus dist".to_string()))
        }
        #[cfg(feature = "distributed")]
        Backend::Cluster(c) => {
            let rows =
                on_cluster(c, sub, window, min_count, max_pairs, write)?;
            Ok((rows, c.workers()))
        }
    }
}

/// The pair records have `key` and `add` of their own.
#[cfg(feature = "distributed")]
impl Summable for PairRecord {
    type Key<'a> = (u8, &'a str, &'a str);
    fn key(&self) -> Self::Key<'_> {
        PairRecord::key(self)
    }
    fn add(&mut self, other: Self) {
        PairRecord::add(self, other)
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

/// An owned copy of a [`Subcorpus`]'s analyzer and filter, for the
/// workers.
#[cfg(feature = "distributed")]
fn owned(sub: &Subcorpus) -> (Analyzer, DocFilter) {
    (sub.analyzer.clone(), sub.filter.clone())
}

/// Every worker's pair counts of its share (see [`super::pairs`]).
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
            super::partial_records(
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

/// [`super::pairs`] never gathered in one process: every worker sums its keys'
/// pairs and calls `write(worker, its part)` (the pairs with the totals
/// of the whole corpus), once every worker has its part. Returns the
/// number of rows that `write` reported, over all workers of all
/// processes, after every part was written; the parts are numbered
/// from 0 to [`Cluster::workers`] − 1.
#[cfg(feature = "distributed")]
fn on_cluster<W>(
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
            let p = super::from_records(
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
