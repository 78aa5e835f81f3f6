//! `korpus dist`: run a counting command on timely dataflow, across
//! worker threads, processes and hosts (cargo feature `distributed`).

use std::path::PathBuf;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use korpus::analyze::Analyzer;
use korpus::colloc::{CollocOptions, Collocates};
use korpus::corpus::{Corpus, ReadReport, Warning};
use korpus::freq::{FreqList, FreqOptions};
use korpus::meta::{DocFilter, GroupBy};
use korpus::nltk::Pairs;
use korpus::query::Query;

use super::Outcome;
use super::args::usage;

/// Run freq, ngrams, colloc or keyness across processes (and hosts) on
/// timely dataflow.
///
/// Start the same command line in every process, each with its own -p,
/// and the same shared secret in KORPUS_DIST_SECRET (or --secret-file):
///
///   export KORPUS_DIST_SECRET=$(openssl rand -hex 32)
///   korpus dist -n 2 -p 0 -h hosts.txt freq corpus -o freq.tsv
///   korpus dist -n 2 -p 1 -h hosts.txt freq corpus -o freq.tsv
///
/// A connection that does not prove the secret is refused; a process
/// with another command line, -w or host list stops the run (exit 2).
///
/// Each worker reads its share of the corpus (whole files, or byte ranges
/// of a large JSONL or Leipzig file), counts it, and the counts are summed
/// by key across workers; the statistics are then computed exactly as on
/// one machine, and process 0 writes the output (the other processes
/// write nothing). The inputs must be readable at the same paths in every
/// process. Gries' DP takes a second round: each worker sums its
/// documents' DP terms with the whole corpus's totals. Not distributed:
/// ngrams --around, colloc --freq-cache.
///
/// Built only with `cargo build --release --features distributed`.
#[derive(Debug, clap::Args)]
#[command(disable_help_flag = true)]
pub struct Args {
    /// Worker threads per process.
    #[arg(
        short = 'w',
        long = "workers",
        default_value_t = 1,
        value_name = "N"
    )]
    workers: usize,

    /// Number of processes.
    #[arg(
        short = 'n',
        long = "processes",
        default_value_t = 1,
        value_name = "N"
    )]
    processes: usize,

    /// This process's index, from 0.
    #[arg(
        short = 'p',
        long = "process",
        default_value_t = 0,
        value_name = "I"
    )]
    process: usize,

    /// A file with one host:port per line, process 0 first [default:
    /// localhost:2101, localhost:2102, ...].
    #[arg(short = 'h', long = "hostfile", value_name = "FILE")]
    hostfile: Option<PathBuf>,

    /// Give up if the other processes have not connected within SECONDS.
    #[arg(long, default_value_t = 60, value_name = "SECONDS")]
    connect_timeout: u64,

    /// Read the shared secret from FILE (at least 16 bytes; make one with
    /// `openssl rand -hex 32`) instead of the environment variable
    /// KORPUS_DIST_SECRET. Every process must hold the same one when -n is
    /// above 1: a connection that does not prove it is refused.
    #[arg(long, value_name = "FILE")]
    secret_file: Option<PathBuf>,

    /// Print help.
    #[arg(long, action = clap::ArgAction::Help)]
    help: Option<bool>,

    /// The command to run: freq, ngrams, colloc or keyness, with its
    /// options.
    #[arg(
        trailing_var_arg = true,
        allow_hyphen_values = true,
        required = true,
        value_name = "COMMAND"
    )]
    command: Vec<String>,
}

/// The commands that run distributed.
const COMMANDS: [&str; 4] = ["freq", "ngrams", "colloc", "keyness"];

#[cfg(feature = "distributed")]
static CLUSTER: OnceLock<korpus::dist::Cluster> = OnceLock::new();
#[cfg(not(feature = "distributed"))]
static CLUSTER: OnceLock<()> = OnceLock::new();

/// Set in processes other than 0: they compute but write nothing.
static FOLLOWER: AtomicBool = AtomicBool::new(false);

/// Whether this process is part of a distributed run.
pub fn is_active() -> bool {
    CLUSTER.get().is_some()
}

/// Whether this process only helps (a distributed run's process other
/// than 0): outputs, charts and provenance records are not written.
pub fn is_follower() -> bool {
    FOLLOWER.load(Ordering::Relaxed)
}

/// Runs the command.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let name = args.command.first().map(String::as_str).unwrap_or("");
    if !COMMANDS.contains(&name) {
        return Err(usage(format!(
            "korpus dist runs {}, not '{name}'",
            COMMANDS.join(", ")
        )));
    }
    #[cfg(not(feature = "distributed"))]
    {
        let _ = (&CLUSTER, args.workers, args.processes, args.process);
        let _ = (&args.hostfile, args.connect_timeout, &args.secret_file);
        Err(usage(
            "this korpus was built without distributed runs: build it with \
             cargo build --release --features distributed",
        ))
    }
    #[cfg(feature = "distributed")]
    {
        let secret = if args.processes > 1 {
            secret(args.secret_file.as_deref())?
        } else {
            None
        };
        let cluster = korpus::dist::Cluster {
            threads: args.workers,
            processes: args.processes,
            process: args.process,
            hosts: args.hostfile.clone(),
            timeout: std::time::Duration::from_secs(args.connect_timeout),
            secret,
            command: args.command.clone(),
        };
        FOLLOWER.store(args.process != 0, Ordering::Relaxed);
        // Timely stops with a panic when a peer's connection breaks (a
        // process failed or was killed): say so in one line and exit
        // before anything is written.
        std::panic::set_hook(Box::new(|info| {
            let payload = info.payload();
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a worker stopped".to_string());
            eprintln!(
                "korpus: the distributed run stopped ({what}): another \
                 process failed or was killed; nothing was written, rerun \
                 every process"
            );
            std::process::exit(1);
        }));
        let _ = CLUSTER.set(cluster);
        let outcome = super::run_line(&args.command)?;
        // Only after success: a failed process just exits, so that the
        // others see its connections break and stop too.
        korpus::dist::finish()?;
        Ok(outcome)
    }
}

/// The environment variable that holds the shared secret.
#[cfg(feature = "distributed")]
const SECRET_VAR: &str = "KORPUS_DIST_SECRET";

/// The shared secret: from `file`, or from [`SECRET_VAR`]; `None` if
/// neither is given (the cluster's set-up then says what to do, after
/// checking the other options).
#[cfg(feature = "distributed")]
fn secret(
    file: Option<&std::path::Path>,
) -> anyhow::Result<Option<korpus::dist::Secret>> {
    let (bytes, from) = match file {
        Some(path) => {
            let bytes = std::fs::read(path).map_err(|e| {
                usage(format!("--secret-file {}: {e}", path.display()))
            })?;
            (bytes, format!("--secret-file {}", path.display()))
        }
        None => match std::env::var_os(SECRET_VAR) {
            Some(v) => (v.into_encoded_bytes(), SECRET_VAR.to_string()),
            None => return Ok(None),
        },
    };
    let secret = korpus::dist::Secret::new(&bytes)
        .map_err(|e| usage(format!("{from}: {e}")))?;
    Ok(Some(secret))
}

/// The frequency list of `corpus`: counted here, or, inside `korpus
/// dist`, by every worker of the cluster and summed.
pub fn count(
    corpus: &Corpus,
    an: &Analyzer,
    filter: &DocFilter,
    by: &GroupBy,
    opts: &FreqOptions,
    warn: &mut dyn FnMut(&Warning),
) -> anyhow::Result<FreqList> {
    #[cfg(feature = "distributed")]
    if let Some(cluster) = CLUSTER.get() {
        return distributed(cluster, corpus, an, filter, by, opts);
    }
    Ok(korpus::freq::count(corpus, an, filter, by, opts, warn)?)
}

/// The collocates of a node per group: counted here, or, inside `korpus
/// dist`, by every worker and summed.
pub fn collocates_by(
    corpus: &Corpus,
    an: &Analyzer,
    filter: &DocFilter,
    by: &GroupBy,
    query: &Query,
    opts: &CollocOptions,
    warn: &mut dyn FnMut(&Warning),
) -> anyhow::Result<(Vec<(String, Collocates)>, ReadReport)> {
    #[cfg(feature = "distributed")]
    if let Some(cluster) = CLUSTER.get() {
        let shares = Shares::new(cluster, corpus)?;
        let (an2, filter2, by2) = (an.clone(), filter.clone(), by.clone());
        let (query2, opts2) = (query.clone(), opts.clone());
        let summed = korpus::dist::sum_by_key(cluster, move |index, _| {
            let (share, pool) = shares.take(index)?;
            pool.install(|| {
                korpus::colloc::partial_records(
                    &share,
                    &an2,
                    &filter2,
                    &by2,
                    &query2,
                    &opts2,
                    &mut super::output::warn,
                )
            })
        })?;
        note_sent(cluster, summed.sent, summed.records.len());
        let report = report_of(cluster, corpus);
        return Ok(korpus::colloc::from_records(
            summed.records,
            filter,
            by,
            query,
            opts,
            report,
        )?);
    }
    Ok(korpus::colloc::collocates_by(
        corpus, an, filter, by, query, opts, warn,
    )?)
}

/// The collocates of a node in the whole corpus (see [`collocates_by`]).
pub fn collocates(
    corpus: &Corpus,
    an: &Analyzer,
    filter: &DocFilter,
    query: &Query,
    opts: &CollocOptions,
    warn: &mut dyn FnMut(&Warning),
) -> anyhow::Result<Collocates> {
    let (mut groups, report) =
        collocates_by(corpus, an, filter, &GroupBy::All, query, opts, warn)?;
    let mut c = groups.pop().expect("one group").1;
    c.report = report;
    Ok(c)
}

/// Every word pair within the window (NLTK's finder): counted here, or,
/// inside `korpus dist`, by every worker and summed by pair, the pairs
/// below `min_count` dropped where they are summed.
pub fn pairs(
    corpus: &Corpus,
    an: &Analyzer,
    filter: &DocFilter,
    window: usize,
    min_count: u64,
    max_pairs: usize,
    warn: &mut dyn FnMut(&Warning),
) -> anyhow::Result<Pairs> {
    #[cfg(feature = "distributed")]
    if let Some(cluster) = CLUSTER.get() {
        let shares = Shares::new(cluster, corpus)?;
        let (an2, filter2) = (an.clone(), filter.clone());
        let summed = korpus::dist::sum_by_key_kept(
            cluster,
            move |index, _| {
                let (share, pool) = shares.take(index)?;
                pool.install(|| {
                    korpus::nltk::partial_records(
                        &share,
                        &an2,
                        &filter2,
                        window,
                        max_pairs,
                        &mut super::output::warn,
                    )
                })
            },
            move |r: &korpus::nltk::PairRecord| r.kept(min_count),
        )?;
        note_sent(cluster, summed.sent, summed.records.len());
        let report = report_of(cluster, corpus);
        return Ok(korpus::nltk::from_records(
            summed.records,
            filter,
            window,
            min_count,
            max_pairs,
            report,
        )?);
    }
    Ok(korpus::nltk::pairs(
        corpus, an, filter, window, min_count, max_pairs, warn,
    )?)
}

/// `colloc --all --parts DIR` in `korpus dist`: every worker sums its
/// keys' pairs and writes them to `DIR/part-NNNNN.EXT` (pairs never
/// gathered in one process); process 0 writes `DIR/_SUCCESS` when every
/// part is complete. Returns the rows written and the number of parts.
pub fn pairs_in_parts(
    corpus: &Corpus,
    an: &Analyzer,
    filter: &DocFilter,
    args: &super::colloc::Args,
    dir: &std::path::Path,
    writer: std::sync::Arc<super::colloc::PartWriter>,
) -> anyhow::Result<(u64, usize)> {
    #[cfg(not(feature = "distributed"))]
    {
        let _ = (corpus, an, filter, args, dir, writer);
        Err(usage("--parts is for korpus dist"))
    }
    #[cfg(feature = "distributed")]
    {
        use korpus::dist::{Place, Total};
        use korpus::nltk::PairRecord;
        use std::sync::Arc;
        use std::sync::atomic::AtomicU64;
        let Some(cluster) = CLUSTER.get() else {
            return Err(usage("--parts is for korpus dist"));
        };
        let (window, min_count, max_pairs) =
            (args.window(), args.min_freq(), args.max_pairs());
        // Process 0 clears the directory before any part can be written
        // (parts are written only after every process has joined).
        if cluster.process == 0 {
            clear_parts(dir)?;
        }
        let shares = Shares::new(cluster, corpus)?;
        let (an2, filter2) = (an.clone(), filter.clone());
        let (filter3, dir2) = (filter.clone(), dir.to_path_buf());
        let first = shares.first;
        let rows: Arc<Vec<AtomicU64>> = Arc::new(
            (0..cluster.threads).map(|_| AtomicU64::new(0)).collect(),
        );
        let rows2 = rows.clone();
        let ext = writer.extension();
        let summed = korpus::dist::sum_by_key_placed(
            cluster,
            move |index, _| {
                let (share, pool) = shares.take(index)?;
                pool.install(|| {
                    korpus::nltk::partial_records(
                        &share,
                        &an2,
                        &filter2,
                        window,
                        max_pairs,
                        &mut super::output::warn,
                    )
                })
            },
            move |r: &PairRecord| match r {
                PairRecord::Pair { count, .. } if *count < min_count => {
                    Place::Drop
                }
                PairRecord::Pair { .. } => Place::Owner,
                _ => Place::Gather,
            },
            Some(
                move |index: usize,
                      mine: Vec<PairRecord>,
                      all: &[PairRecord]| {
                    let mut records = mine;
                    records.extend(all.iter().cloned());
                    let p = korpus::nltk::from_records(
                        records,
                        &filter3,
                        window,
                        min_count,
                        max_pairs,
                        ReadReport::default(),
                    )?;
                    let path = dir2.join(format!("part-{index:05}.{ext}"));
                    let n = writer.write(&p, &path).map_err(|e| {
                        korpus::error::Error::Distributed {
                            message: format!("{e:#}"),
                            input: false,
                        }
                    })?;
                    rows2[index - first]
                        .store(n, std::sync::atomic::Ordering::Relaxed);
                    Ok(())
                },
            ),
        )?;
        drop(summed);
        // Every part is written: count the rows over all workers.
        let rows3 = rows.clone();
        let total = korpus::dist::sum_by_key(cluster, move |index, _| {
            let n = rows3[index - first]
                .load(std::sync::atomic::Ordering::Relaxed);
            Ok(vec![Total(n)])
        })?;
        let total = total.records.first().map_or(0, |t| t.0);
        let parts = cluster.threads * cluster.processes;
        if cluster.process == 0 {
            let success = serde_json::json!({
                "korpus": env!("CARGO_PKG_VERSION"),
                "command": std::env::args().collect::<Vec<_>>(),
                "parts": (0..parts)
                    .map(|i| format!("part-{i:05}.{ext}"))
                    .collect::<Vec<_>>(),
                "rows": total,
            });
            let mut out =
                super::output::Output::open_part(&dir.join("_SUCCESS"))?;
            std::io::Write::write_all(
                &mut out,
                format!("{}\n", serde_json::to_string_pretty(&success)?)
                    .as_bytes(),
            )?;
            out.finish()?;
        }
        Ok((total, parts))
    }
}

/// Removes `dir/_SUCCESS` and earlier part files (creating `dir` if
/// needed), so that nothing of an earlier run looks like this one's.
#[cfg(feature = "distributed")]
fn clear_parts(dir: &std::path::Path) -> anyhow::Result<()> {
    use anyhow::Context;
    std::fs::create_dir_all(dir)
        .with_context(|| format!("creating {}", dir.display()))?;
    let success = dir.join("_SUCCESS");
    if success.exists() {
        std::fs::remove_file(&success)
            .with_context(|| format!("removing {}", success.display()))?;
    }
    for entry in std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
    {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("part-") {
            std::fs::remove_file(entry.path()).with_context(|| {
                format!("removing {}", entry.path().display())
            })?;
        }
    }
    Ok(())
}

/// Each worker's share of the corpus, and how many threads it counts on.
#[cfg(feature = "distributed")]
struct Shares {
    shares: Vec<std::sync::Mutex<Option<Corpus>>>,
    /// The index of this process's first worker.
    first: usize,
    threads: usize,
}

#[cfg(feature = "distributed")]
impl Shares {
    fn new(
        cluster: &korpus::dist::Cluster,
        corpus: &Corpus,
    ) -> korpus::error::Result<std::sync::Arc<Shares>> {
        let peers = cluster.threads * cluster.processes;
        let first = cluster.process * cluster.threads;
        let mut shares = Vec::with_capacity(cluster.threads);
        for w in 0..cluster.threads {
            let share = corpus.share(first + w, peers)?;
            shares.push(std::sync::Mutex::new(Some(share)));
        }
        // Each worker counts on threads of its own (this process's
        // --threads shared among its workers), not on the one global
        // pool, which would make the workers take turns.
        let threads = (rayon::current_num_threads() / cluster.threads).max(1);
        Ok(std::sync::Arc::new(Shares { shares, first, threads }))
    }

    /// Worker `index`'s share (once) and a thread pool of its own.
    fn take(
        &self,
        index: usize,
    ) -> korpus::error::Result<(Corpus, rayon::ThreadPool)> {
        let share = self.shares[index - self.first]
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
            .expect("each share is read once");
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(self.threads)
            .build()
            .map_err(|e| korpus::error::Error::Distributed {
                message: format!("worker {index}: starting threads: {e}"),
                input: false,
            })?;
        Ok((share, pool))
    }
}

/// One line on stderr: what this process's workers exchanged.
#[cfg(feature = "distributed")]
fn note_sent(cluster: &korpus::dist::Cluster, sent: u64, summed: usize) {
    eprintln!(
        "korpus: process {} of {}: {} worker(s) sent {} partial counts; {} summed",
        cluster.process, cluster.processes, cluster.threads, sent, summed
    );
}

/// The read report of a distributed count, before the sums fill it in:
/// the files passed over (named once, by process 0).
#[cfg(feature = "distributed")]
fn report_of(cluster: &korpus::dist::Cluster, corpus: &Corpus) -> ReadReport {
    let mut report = ReadReport::default();
    if cluster.process == 0 {
        report.ignored_files = corpus.ignored().to_vec();
    }
    report
}

#[cfg(feature = "distributed")]
fn distributed(
    cluster: &korpus::dist::Cluster,
    corpus: &Corpus,
    an: &Analyzer,
    filter: &DocFilter,
    by: &GroupBy,
    opts: &FreqOptions,
) -> anyhow::Result<FreqList> {
    use korpus::freq::Local;
    use std::sync::{Arc, Mutex};
    type Slot = Mutex<Option<(Local, Arc<rayon::ThreadPool>)>>;
    let shares = Shares::new(cluster, corpus)?;
    let first = shares.first;
    // Each worker's counts (and DP spill files) between the two rounds.
    let kept: Arc<Vec<Slot>> =
        Arc::new((0..cluster.threads).map(|_| Mutex::new(None)).collect());
    let (an, filter2, by2, opts2) =
        (an.clone(), filter.clone(), by.clone(), opts.clone());
    let keep = kept.clone();
    // Round 1: every worker counts its share; counts summed by key.
    let summed = korpus::dist::sum_by_key(cluster, move |index, _peers| {
        let (share, pool) = shares.take(index)?;
        let (records, local) = pool.install(|| {
            korpus::freq::partial_records(
                &share,
                &an,
                &filter2,
                &by2,
                &opts2,
                &mut super::output::warn,
            )
        })?;
        *keep[index - first].lock().unwrap_or_else(|e| e.into_inner()) =
            Some((local, Arc::new(pool)));
        Ok(records)
    })?;
    let mut records = summed.records;
    let mut sent = summed.sent;
    // Round 2, for Gries' DP: each worker sums its documents' DP terms
    // with the whole corpus's totals, and those sums are summed.
    if opts.dp {
        let totals = Arc::new(std::mem::take(&mut records));
        let totals2 = totals.clone();
        let dp = korpus::dist::sum_by_key(cluster, move |index, _peers| {
            let (local, pool) = kept[index - first]
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take()
                .expect("round 1 kept this worker's counts");
            pool.install(|| korpus::freq::dp_records(local, &totals2))
        })?;
        sent += dp.sent;
        records = Arc::try_unwrap(totals).unwrap_or_else(|t| (*t).clone());
        records.extend(dp.records);
    }
    note_sent(cluster, sent, records.len());
    let report = report_of(cluster, corpus);
    Ok(korpus::freq::from_records(records, filter, by, report)?)
}
