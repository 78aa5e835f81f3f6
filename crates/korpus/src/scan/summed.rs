//! A count summed over a cluster (cargo feature `distributed`): each
//! process reads the shares of its workers, one after another, into one
//! counter; every process's saved state reaches every process
//! ([`gather`], `dist/cluster.rs`), which loads them and merges them in
//! process order with [`Counter::merge`], so every process holds the
//! same sums, checks the read on them and finishes alike (only process
//! 0 writes). [`super::run_anywhere`] calls it for a job whose backend
//! is a cluster; it sees the cluster only as its transport.

use super::portable::{read_prefix, to_bytes};
use super::{Counter, Job, Portable, Scanned};
use crate::corpus::{Corpus, ReadReport, ScanCounts};
use crate::dist::Backend;
use crate::dist::cluster::{Cluster, gather};
use crate::error::Result;

/// Reads this process's shares of `job`'s corpus (its workers', one
/// after another, into one counter made by `make`) and sums the
/// counters' state over `cluster`: every process's saved state reaches
/// every process, which loads them and merges them in process order
/// (then a second round, if the counter wants one). Returns the merged
/// counter and what the whole cluster read (the files passed over named
/// by process 0 alone), not yet checked ([`super::run_anywhere`]
/// checks and finishes). Every process must make the same calls in the
/// same order; a process whose read fails still takes part, and its
/// error stops every process.
pub(super) fn read_summed<C: Portable>(
    cluster: &Cluster,
    job: &mut Job<'_>,
    make: impl Fn() -> C,
) -> Result<(C, Scanned)> {
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
    let states = gather(cluster, mine)?;
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
        for bytes in gather(cluster, mine)? {
            received += bytes.len();
            whole.merge(template.load(&bytes)?);
        }
    }
    note_sent(cluster, sent, received);
    let mut report = report_of(cluster, job.corpus);
    let kept = counts.fill(&mut report);
    let filtered_out = report.documents - kept;
    Ok((whole, Scanned { report, filtered_out }))
}

/// This process's workers' shares of `job`'s corpus read one after
/// another (each on the whole thread pool) into one counter, with what
/// they read.
fn read_shares<C: Counter>(
    cluster: &Cluster,
    job: &mut Job<'_>,
    make: &impl Fn() -> C,
) -> Result<(C, ScanCounts)> {
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
        let (counter, scanned) = super::read(&mut part, make)?;
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
fn note_sent(cluster: &Cluster, sent: usize, received: usize) {
    let c = cluster.config();
    cluster.note(&format!(
        "korpus: process {} of {}: {} worker(s) sent {} bytes of counter state; {} received",
        c.process, c.processes, c.threads, sent, received
    ));
}

/// The read report of a distributed count, before the sums fill it in:
/// the files passed over (named once, by process 0).
fn report_of(cluster: &Cluster, corpus: &Corpus) -> ReadReport {
    let mut report = ReadReport::default();
    if cluster.writes() {
        report.ignored_files = corpus.ignored().to_vec();
    }
    report
}
