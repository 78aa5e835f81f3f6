//! Where a count runs ([`Backend`]): in this process, or (cargo feature
//! `distributed`) on every process of a cluster, each counting its
//! share, the counters' state summed. Either way the result is the
//! same, byte for byte once written.
//!
//! The backend is a value in the [`crate::scan::Job`]:
//! [`crate::scan::run_anywhere`] runs any [`Portable`] counter on it. A
//! counter is portable when its state can cross processes: every
//! counter that derives serde's `Serialize` and `Deserialize` is (its
//! settings and scratch space `#[serde(skip)]`ped or saved along), and
//! a counter whose state needs more (a borrowed plan, Gries' DP's spill
//! files) implements [`Portable`] in a file of its own. On a cluster
//! ([`Cluster`], from [`cluster`]'s timely dataflow) each process reads
//! the shares of its workers, one after another, into one counter;
//! every process's saved state reaches every process, which loads them
//! and merges them in process order with [`Counter::merge`], so every
//! process holds the same sums, checks the read on them and finishes
//! alike (only process 0 writes).
//!
//! One count keeps a path of its own: `colloc --all --parts`
//! ([`Backend::pairs_in_parts`]), whose pairs are summed by key where
//! they meet and never gathered in one process.

#[cfg(feature = "distributed")]
pub mod cluster;

#[cfg(feature = "distributed")]
use crate::nltk::PairRecord;
#[cfg(feature = "distributed")]
pub use cluster::{Cluster, Config, Secret};
#[cfg(feature = "distributed")]
use cluster::{Place, Total, sum_by_key, sum_by_key_placed};
#[cfg(feature = "distributed")]
use std::sync::{Arc, Mutex};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::analyze::Analyzer;
#[cfg(feature = "distributed")]
use crate::corpus::ReadReport;
use crate::corpus::{Corpus, Warning};
use crate::error::{Error, Result};
use crate::meta::{DocFilter, GroupBy};
use crate::nltk::Pairs;
use crate::scan::{Counter, Job};

/// A counter whose state can cross processes: saved to bytes in one,
/// loaded in another by a counter made with the same settings, and
/// merged there ([`Counter::merge`]). Every counter that is `Serialize`
/// and `Deserialize` is portable as it is (the impl below); a counter
/// whose state cannot be serialized as it is implements this itself.
///
/// Contract: for counters `a` and `b` made alike, `a.load(&b.save()?)?`
/// merges, counts and finishes as `b` would (what `save` leaves out is
/// not needed after the read, but by [`Portable::second_round`]).
pub trait Portable: Counter {
    /// This counter's state, as bytes.
    fn save(&self) -> Result<Vec<u8>>;

    /// A counter of the state in `bytes` (saved by a counter made like
    /// `self`), with `self`'s settings.
    fn load(&self, bytes: &[u8]) -> Result<Self>;

    /// Whether finishing needs a second round ([`Portable::second_round`]);
    /// asked of the merged state of every process, so every process
    /// answers alike. By default, no.
    fn wants_second_round(&self) -> bool {
        false
    }

    /// The second round of a distributed count, for a counter whose
    /// finish needs the whole corpus's counts beside each document's
    /// (Gries' DP: a document's share of an item needs the item's total
    /// over the whole corpus): from this process's own counter (with
    /// what it keeps but does not save) and `whole`, the merged state
    /// of every process, the counts that are saved and merged into
    /// `whole` in every process. By default, an error: it is asked only
    /// when [`Portable::wants_second_round`].
    fn second_round(self, _whole: &Self) -> Result<Self> {
        Err(Error::Usage("this count has no second round".into()))
    }
}

impl<C: Counter + Serialize + DeserializeOwned> Portable for C {
    fn save(&self) -> Result<Vec<u8>> {
        to_bytes(self)
    }

    fn load(&self, bytes: &[u8]) -> Result<Self> {
        from_bytes(bytes)
    }
}

/// The bytes of `value` (bincode, variable-length integers), for
/// [`Portable::save`].
pub fn to_bytes<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>> {
    use bincode::Options;
    bincode::DefaultOptions::new().serialize(value).map_err(state_error)
}

/// The value of bytes written by [`to_bytes`], for [`Portable::load`].
pub fn from_bytes<T: DeserializeOwned>(bytes: &[u8]) -> Result<T> {
    use bincode::Options;
    bincode::DefaultOptions::new().deserialize(bytes).map_err(state_error)
}

fn state_error(e: bincode::Error) -> Error {
    Error::Distributed {
        message: format!("a counter's state could not be exchanged: {e}"),
        input: false,
    }
}

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

impl<'a> Subcorpus<'a> {
    /// The job that reads it, grouped by `by`, on `backend`, its
    /// warnings to `warn`.
    pub fn job(
        &self,
        by: &'a GroupBy,
        backend: &'a Backend,
        warn: &'a mut dyn FnMut(&Warning),
    ) -> Job<'a> {
        Job {
            corpus: self.corpus,
            analyzer: self.analyzer,
            filter: self.filter,
            by,
            warn,
            keep_line: None,
            backend,
        }
    }
}

/// Where the counts are made: created once per command line and put in
/// the [`Job`] of every count of the commands that can run distributed
/// (freq, ngrams, colloc, keyness).
///
/// Warnings go to the job's `warn` either way (a cluster's processes
/// each report those of their shares), but for
/// [`Backend::pairs_in_parts`], whose workers report them to the sink
/// the cluster was made with (see [`Cluster::new`]).
#[derive(Debug, Default)]
pub enum Backend {
    /// This process counts the whole corpus, on its thread pool.
    #[default]
    Local,
    /// This process is one of a cluster's: it counts its workers'
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

    /// Every word pair within `window` (see [`crate::nltk::pairs`])
    /// written in parts, one per worker, by `write` (see
    /// [`pairs_in_parts`]): the rows written over all parts and the
    /// number of parts. Only a cluster writes parts: on
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

/// Reads this process's shares of `job`'s corpus (its workers', one
/// after another, into one counter made by `make`) and sums the
/// counters' state over `cluster`: every process's saved state reaches
/// every process, which loads them and merges them in process order
/// (then a second round, if the counter wants one). Returns the merged
/// counter and what the whole cluster read (the files passed over named
/// by process 0 alone), not yet checked ([`crate::scan::run_anywhere`]
/// checks and finishes). Every process must make the same calls in the
/// same order; a process whose read fails still takes part, and its
/// error stops every process.
#[cfg(feature = "distributed")]
pub(crate) fn read_summed<C: Portable>(
    cluster: &Cluster,
    job: &mut Job<'_>,
    make: impl Fn() -> C,
) -> Result<(C, crate::scan::Scanned)> {
    use crate::corpus::ScanCounts;
    cluster.connect()?;
    let (local, mine) = match read_shares(cluster, job, &make) {
        Ok((counter, counts)) => {
            let saved = counter.save().and_then(|state| {
                let mut bytes = to_bytes(&counts)?;
                bytes.extend_from_slice(&state);
                Ok(bytes)
            });
            (Some(counter), saved)
        }
        Err(e) => (None, Err(e)),
    };
    let mut sent = mine.as_ref().map_or(0, Vec::len);
    let states = cluster::gather(cluster, mine)?;
    let template = make();
    let mut counts = ScanCounts::default();
    let mut whole: Option<C> = None;
    let mut received = 0;
    // Each state is dropped once merged.
    for bytes in states {
        received += bytes.len();
        let mut rest = bytes.as_slice();
        counts.add(read_prefix(&mut rest)?);
        let part = template.load(rest)?;
        match &mut whole {
            Some(w) => w.merge(part),
            None => whole = Some(part),
        }
    }
    let mut whole = whole.expect("every process's state is gathered");
    if whole.wants_second_round() {
        let local = local.expect("a failed read stops every process");
        let mine = local.second_round(&whole).and_then(|p| p.save());
        sent += mine.as_ref().map_or(0, Vec::len);
        for bytes in cluster::gather(cluster, mine)? {
            received += bytes.len();
            whole.merge(template.load(&bytes)?);
        }
    }
    note_sent(cluster, sent, received);
    let mut report = report_of(cluster, job.corpus);
    let kept = counts.fill(&mut report);
    let filtered_out = report.documents - kept;
    Ok((whole, crate::scan::Scanned { report, filtered_out }))
}

/// The value written first by [`to_bytes`] in `bytes`, which then holds
/// what follows it.
#[cfg(feature = "distributed")]
fn read_prefix<T: DeserializeOwned>(bytes: &mut &[u8]) -> Result<T> {
    use bincode::Options;
    bincode::DefaultOptions::new().deserialize_from(bytes).map_err(state_error)
}

/// This process's workers' shares of `job`'s corpus read one after
/// another (each on the whole thread pool) into one counter, with what
/// they read.
#[cfg(feature = "distributed")]
fn read_shares<C: Counter>(
    cluster: &Cluster,
    job: &mut Job<'_>,
    make: &impl Fn() -> C,
) -> Result<(C, crate::corpus::ScanCounts)> {
    use crate::corpus::ScanCounts;
    let c = cluster.config();
    let first = c.process * c.threads;
    let mut out: Option<(C, ScanCounts)> = None;
    for index in first..first + c.threads {
        let share = job.corpus.share(index, cluster.workers())?;
        let mut part = Job {
            corpus: &share,
            analyzer: job.analyzer,
            filter: job.filter,
            by: job.by,
            warn: &mut *job.warn,
            keep_line: job.keep_line,
            backend: &Backend::Local,
        };
        let (counter, scanned) = crate::scan::read(&mut part, make)?;
        let counts = ScanCounts::of(&scanned.report, scanned.kept());
        match &mut out {
            Some((all, sums)) => {
                all.merge(counter);
                sums.add(counts);
            }
            None => out = Some((counter, counts)),
        }
    }
    Ok(out.expect("a process has at least one worker"))
}

/// Tells [`Cluster::new`]'s `note` how many bytes of counter state this
/// process sent and received.
#[cfg(feature = "distributed")]
fn note_sent(cluster: &Cluster, sent: usize, received: usize) {
    let c = cluster.config();
    cluster.note(&format!(
        "korpus: process {} of {}: {} worker(s) sent {} bytes of counter state; {} received",
        c.process, c.processes, c.threads, sent, received
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

/// [`pairs`](crate::nltk::pairs) never gathered in one process: every worker sums its keys'
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
    use crate::colloc::{CollocOptions, Convention, Overlap, Within};
    use crate::freq::FreqOptions;
    use crate::query::Query;

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
            let mut quiet = |_: &Warning| {};
            let mut job = sub.job(&GroupBy::All, &backend, &mut quiet);
            let list = crate::freq::count_on(&mut job, &opts).unwrap();
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
            let mut quiet = |_: &Warning| {};
            let mut job = sub.job(&GroupBy::All, &backend, &mut quiet);
            let (mut groups, _) =
                crate::colloc::collocates_on(&mut job, &query, &opts).unwrap();
            let c = groups.pop().unwrap().1;
            assert_eq!((c.hits, c.tokens), (3, 5));
            let mut items: Vec<(&str, u64)> = c
                .items
                .iter()
                .map(|i| (i.item.as_str(), i.window_freq))
                .collect();
            items.sort();
            assert_eq!(items, [("b", 2), ("c", 1)]);
            // NLTK's window of 2: the pairs (a, b), (b, a) and (a, c).
            let mut quiet = |_: &Warning| {};
            let mut job = sub.job(&GroupBy::All, &backend, &mut quiet);
            let p = crate::nltk::pairs_on(&mut job, 2, 1, 100).unwrap();
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
            Backend::Cluster(Box::new(Cluster::new(config, |_| {}, |_| {})))
        };
        let (a, b) = (cluster(2), cluster(1));
        let opts = FreqOptions { ngram: 1, dp: false, cross_sentences: false };
        for c in [&a, &b, &a] {
            let mut quiet = |_: &Warning| {};
            let mut job = sub.job(&GroupBy::All, c, &mut quiet);
            let list = crate::freq::count_on(&mut job, &opts).unwrap();
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
    /// A counter written for this test alone, distributed by its serde
    /// derives and nothing else: per group (the file), its tokens and
    /// the documents of at least two tokens.
    #[derive(Default, serde::Serialize, serde::Deserialize)]
    struct Lengths {
        per_group: std::collections::BTreeMap<String, (u64, u64)>,
    }

    impl Counter for Lengths {
        type Output = String;
        fn add(&mut self, doc: &crate::scan::Doc<'_>) {
            let mut n = 0;
            let mut scratch = crate::analyze::Scratch::default();
            let text = &doc.document.text;
            doc.analyzer.analyze(text, &mut scratch, |_, _| n += 1);
            let e = self.per_group.entry(doc.group.to_string()).or_default();
            e.0 += n;
            e.1 += u64::from(n >= 2);
        }
        fn merge(&mut self, other: Self) {
            for (g, (n, long)) in other.per_group {
                let e = self.per_group.entry(g).or_default();
                e.0 += n;
                e.1 += long;
            }
        }
        fn tokens(&self) -> Option<u64> {
            Some(self.per_group.values().map(|v| v.0).sum())
        }
        fn finish(self, scanned: &crate::scan::Scanned) -> Result<String> {
            let mut out = format!("{} kept\n", scanned.kept());
            for (g, (n, long)) in self.per_group {
                let name = g.rsplit('/').next().unwrap_or("").to_string();
                out.push_str(&format!("{name}\t{n}\t{long}\n"));
            }
            Ok(out)
        }
    }

    /// Five files, the tokens counted by hand: "a b a" 3, "a c" 2,
    /// "x" 1, "d e f g" 4, "" 0 (read, no token); documents of two
    /// tokens or more: 3.
    #[cfg(feature = "distributed")]
    const LENGTHS: &str = "5 kept\n0.txt\t3\t1\n1.txt\t2\t1\n\
        2.txt\t1\t0\n3.txt\t4\t1\n4.txt\t0\t0\n";

    /// Runs [`Lengths`] on `processes` processes of `threads` workers
    /// (threads of this test, connected on loopback); every process's
    /// result.
    #[cfg(feature = "distributed")]
    fn lengths_on(
        corpus: &Corpus,
        processes: usize,
        threads: usize,
    ) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        let hosts = dir.path().join("hosts");
        let listeners: Vec<std::net::TcpListener> = (0..processes)
            .map(|_| std::net::TcpListener::bind("127.0.0.1:0").unwrap())
            .collect();
        let lines: Vec<String> = listeners
            .iter()
            .map(|l| format!("127.0.0.1:{}\n", l.local_addr().unwrap().port()))
            .collect();
        drop(listeners);
        std::fs::write(&hosts, lines.concat()).unwrap();
        let secret = Secret::new(b"a test secret of 16+ bytes").unwrap();
        std::thread::scope(|scope| {
            let runs: Vec<_> = (0..processes)
                .map(|process| {
                    let config = Config {
                        threads,
                        processes,
                        process,
                        hosts: Some(hosts.clone()),
                        timeout: std::time::Duration::from_secs(20),
                        secret: Some(secret.clone()),
                        command: vec!["lengths".to_string()],
                    };
                    scope.spawn(move || {
                        let cluster = Cluster::new(config, |_| {}, |_| {});
                        let backend = Backend::Cluster(Box::new(cluster));
                        let an = Analyzer::default();
                        let (filter, by) =
                            (DocFilter::default(), GroupBy::Doc);
                        let sub = Subcorpus {
                            corpus,
                            analyzer: &an,
                            filter: &filter,
                        };
                        let mut quiet = |_: &Warning| {};
                        let mut job = sub.job(&by, &backend, &mut quiet);
                        let (out, _) = crate::scan::run_anywhere(
                            &mut job,
                            Lengths::default,
                        )
                        .unwrap();
                        backend.finish().unwrap();
                        out
                    })
                })
                .collect();
            runs.into_iter().map(|r| r.join().unwrap()).collect()
        })
    }

    /// The promise: a new counter is one type, and runs locally and
    /// distributed with no code beyond its derive. The same bytes here,
    /// on 1, 2 and 3 processes (and 2 workers each), in every process.
    #[test]
    fn a_derived_counter_runs_distributed_with_the_same_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let texts = ["a b a", "a c", "x", "d e f g", ""];
        for (i, t) in texts.iter().enumerate() {
            std::fs::write(dir.path().join(format!("{i}.txt")), t).unwrap();
        }
        let inputs = [dir.path().display().to_string()];
        let corpus = Corpus::open(&inputs, Default::default()).unwrap();
        let an = Analyzer::default();
        let (filter, by) = (DocFilter::default(), GroupBy::Doc);
        let sub =
            Subcorpus { corpus: &corpus, analyzer: &an, filter: &filter };
        let mut quiet = |_: &Warning| {};
        let mut job = sub.job(&by, &Backend::Local, &mut quiet);
        let (local, _) =
            crate::scan::run_anywhere(&mut job, Lengths::default).unwrap();
        // Saved and loaded, the state finishes as it was.
        let mut quiet = |_: &Warning| {};
        let mut job = sub.job(&by, &Backend::Local, &mut quiet);
        let (counter, scanned) =
            crate::scan::read(&mut job, Lengths::default).unwrap();
        let again = counter.load(&counter.save().unwrap()).unwrap();
        assert_eq!(again.finish(&scanned).unwrap(), local);
        #[cfg(feature = "distributed")]
        {
            assert_eq!(local, LENGTHS);
            for (processes, threads) in [(1, 1), (2, 1), (3, 1), (2, 2)] {
                for out in lengths_on(&corpus, processes, threads) {
                    assert_eq!(out, local, "{processes} x {threads}");
                }
            }
        }
    }
}
