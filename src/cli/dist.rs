//! `korpus dist`: run a counting command on timely dataflow, across
//! worker threads, processes and hosts (cargo feature `distributed`).

use std::path::PathBuf;

use korpus::dist::Backend;

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
/// Each process reads the shares of its workers (whole files, or byte
/// ranges of a large JSONL or Leipzig file) and counts them; every
/// process receives every process's counts and sums them, the statistics
/// are then computed exactly as on one machine, and process 0 writes the
/// output (the other processes write nothing). The inputs must be
/// readable at the same paths in every process. Gries' DP takes a second
/// round: each process sums its documents' DP terms with the whole
/// corpus's totals. Not distributed: ngrams --around, colloc
/// --freq-cache.
///
/// Built only with `cargo build --release --features distributed`.
#[derive(Debug, clap::Args)]
#[command(
    disable_help_flag = true,
    disable_help_subcommand = true,
    subcommand_value_name = "COMMAND"
)]
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
    #[arg(long, global = true, action = clap::ArgAction::Help)]
    help: Option<bool>,

    /// The command to run: freq, ngrams, colloc or keyness, with its
    /// options.
    #[command(subcommand)]
    command: Command,
}

/// The commands that run distributed.
#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Frequency list: frequency, per million, range, Juilland's D, Gries' DP.
    Freq(super::freq::Args),
    /// N-gram lists.
    Ngrams(super::ngrams::Args),
    /// Collocates of a node with association measures (MI, t, logDice, G², ...).
    Colloc(super::colloc::Args),
    /// Keywords of a target against a reference (G², Log Ratio, %DIFF, ...).
    Keyness(super::keyness::Args),
    /// Any other command: refused, naming the ones above.
    #[command(external_subcommand)]
    Other(Vec<String>),
}

/// Runs the command.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    if let Command::Other(words) = &args.command {
        let name = words.first().map(String::as_str).unwrap_or("");
        return Err(usage(format!(
            "korpus dist runs freq, ngrams, colloc, keyness, not '{name}'"
        )));
    }
    #[cfg(not(feature = "distributed"))]
    {
        let _ = (args.workers, args.processes, args.process);
        let _ = (&args.hostfile, args.connect_timeout, &args.secret_file);
        Err(usage(
            "this korpus was built without distributed runs: build it with \
             cargo build --release --features distributed",
        ))
    }
    #[cfg(feature = "distributed")]
    {
        let backend = Backend::Cluster(Box::new(cluster(&args)?));
        stop_on_panic();
        let outcome = dispatch(args.command, &backend)?;
        // What this process's cleaner removed from its shares (the plan,
        // made from the whole corpus, is the same in every process).
        let scope = format!("process {} of {}", args.process, args.processes);
        super::cleaning::summary_of(&scope);
        // Only after success: a failed process just exits, so that the
        // others see its connections break and stop too.
        backend.finish()?;
        Ok(outcome)
    }
}

/// Runs `command` on `backend`.
#[cfg_attr(not(feature = "distributed"), allow(dead_code))]
fn dispatch(command: Command, backend: &Backend) -> anyhow::Result<Outcome> {
    match command {
        Command::Freq(a) => super::freq::run(a, backend),
        Command::Ngrams(a) => super::ngrams::run(a, backend),
        Command::Colloc(a) => super::colloc::run(a, backend),
        Command::Keyness(a) => super::keyness::run(a, backend),
        Command::Other(_) => {
            Err(usage("korpus dist runs freq, ngrams, colloc, keyness"))
        }
    }
}

/// This process's part of the cluster that `args` describe (not yet
/// connected). The processes compare the command as parsed (its
/// `Debug` form), so they run the same one.
#[cfg(feature = "distributed")]
fn cluster(args: &Args) -> anyhow::Result<korpus::dist::Cluster> {
    let secret = if args.processes > 1 {
        secret(args.secret_file.as_deref())?
    } else {
        None
    };
    let config = korpus::dist::Config {
        threads: args.workers,
        processes: args.processes,
        process: args.process,
        hosts: args.hostfile.clone(),
        timeout: std::time::Duration::from_secs(args.connect_timeout),
        secret,
        command: vec![format!("{:?}", args.command)],
    };
    let note = |line: &str| eprintln!("{line}");
    Ok(korpus::dist::Cluster::new(config, super::output::warn, note))
}

/// Timely stops with a panic when a peer's connection breaks (a process
/// failed or was killed): say so in one line and exit before anything is
/// written.
#[cfg(feature = "distributed")]
fn stop_on_panic() {
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
