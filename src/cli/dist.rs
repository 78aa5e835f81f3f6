//! `korpus dist`: run a counting command on timely dataflow, across
//! worker threads, processes and hosts (cargo feature `distributed`).

use std::path::PathBuf;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use korpus::analyze::Analyzer;
use korpus::corpus::{Corpus, Warning};
use korpus::freq::{FreqList, FreqOptions};
use korpus::meta::{DocFilter, GroupBy};

use super::Outcome;
use super::args::usage;

/// Run freq or keyness across processes (and hosts) on timely dataflow.
///
/// Start the same command line in every process, each with its own -p:
///
///   korpus dist -n 2 -p 0 -h hosts.txt freq corpus --no-dp -o freq.tsv
///   korpus dist -n 2 -p 1 -h hosts.txt freq corpus --no-dp -o freq.tsv
///
/// Each worker reads its share of the corpus (whole files, or byte ranges
/// of a large JSONL or Leipzig file), counts it, and the counts are summed
/// by key across workers; the statistics are then computed exactly as on
/// one machine, and process 0 writes the output (the other processes
/// write nothing). The inputs must be readable at the same paths in every
/// process. Gries' DP is not computed in a distributed run (freq needs
/// --no-dp; ngrams, which always computes it, is not supported).
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

    /// Print help.
    #[arg(long, action = clap::ArgAction::Help)]
    help: Option<bool>,

    /// The command to run: freq or keyness, with its options.
    #[arg(
        trailing_var_arg = true,
        allow_hyphen_values = true,
        required = true,
        value_name = "COMMAND"
    )]
    command: Vec<String>,
}

/// The commands that run distributed.
const COMMANDS: [&str; 2] = ["freq", "keyness"];

#[cfg(feature = "distributed")]
static CLUSTER: OnceLock<korpus::dist::Cluster> = OnceLock::new();
#[cfg(not(feature = "distributed"))]
static CLUSTER: OnceLock<()> = OnceLock::new();

/// Set in processes other than 0: they compute but write nothing.
static FOLLOWER: AtomicBool = AtomicBool::new(false);

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
            COMMANDS.join(" and ")
        )));
    }
    #[cfg(not(feature = "distributed"))]
    {
        let _ = (&CLUSTER, args.workers, args.processes, args.process);
        let _ = (&args.hostfile, args.connect_timeout);
        Err(usage(
            "this korpus was built without distributed runs: build it with \
             cargo build --release --features distributed",
        ))
    }
    #[cfg(feature = "distributed")]
    {
        let cluster = korpus::dist::Cluster {
            threads: args.workers,
            processes: args.processes,
            process: args.process,
            hosts: args.hostfile.clone(),
            timeout: std::time::Duration::from_secs(args.connect_timeout),
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
        super::run_line(&args.command)
    }
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

#[cfg(feature = "distributed")]
fn distributed(
    cluster: &korpus::dist::Cluster,
    corpus: &Corpus,
    an: &Analyzer,
    filter: &DocFilter,
    by: &GroupBy,
    opts: &FreqOptions,
) -> anyhow::Result<FreqList> {
    use std::sync::{Arc, Mutex};
    if opts.dp {
        return Err(usage(
            "Gries' DP is not computed in a distributed run: add --no-dp",
        ));
    }
    let peers = cluster.threads * cluster.processes;
    let first = cluster.process * cluster.threads;
    let mut shares = Vec::with_capacity(cluster.threads);
    for w in 0..cluster.threads {
        shares.push(Mutex::new(Some(corpus.share(first + w, peers)?)));
    }
    let shares = Arc::new(shares);
    // Each worker counts on threads of its own (the --threads of this
    // process shared among its workers), not on the one global pool,
    // which would make the workers take turns.
    let per_worker = (rayon::current_num_threads() / cluster.threads).max(1);
    let (an, filter2, by2, opts) =
        (an.clone(), filter.clone(), by.clone(), opts.clone());
    let summed = korpus::dist::sum_by_key(cluster, move |index, _peers| {
        let share = shares[index - first]
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
            .expect("each share is read once");
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(per_worker)
            .build()
            .map_err(|e| korpus::error::Error::Distributed {
                message: format!("worker {index}: starting threads: {e}"),
                input: false,
            })?;
        pool.install(|| {
            korpus::freq::partial_records(
                &share,
                &an,
                &filter2,
                &by2,
                &opts,
                &mut super::output::warn,
            )
        })
    })?;
    eprintln!(
        "korpus: process {} of {}: {} worker(s) sent {} partial counts; {} summed",
        cluster.process,
        cluster.processes,
        cluster.threads,
        summed.sent,
        summed.records.len()
    );
    let mut report = korpus::corpus::ReadReport::default();
    if cluster.process == 0 {
        report.ignored_files = corpus.ignored().to_vec();
    }
    Ok(korpus::freq::from_records(summed.records, filter, by, report)?)
}
