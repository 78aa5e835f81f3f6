//! What cleaning removed in a run, said once: every corpus cleaned while
//! read (`--dedup`, `--boilerplate` on any command that reads a corpus)
//! is registered here, and [`summary`] prints one stderr line for the
//! whole run after the command has finished.
//!
//! The counts are what the cleaners actually removed from the
//! documents the command read (the pre-pass line says what they were
//! asked to remove), each document once however often the command reads
//! its corpus (see [`korpus::clean::Removed`]). Lines of JSON Lines or
//! Leipzig files that a query's pre-filter leaves unparsed (kwic,
//! colloc: they cannot match) are not read, so not counted: the line
//! then says how many ([`unparsed`]).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use korpus::clean::{Cleaner, Removed};

/// The cleaners of this run, with the inputs each one cleans, in the
/// order they were started.
static RUN: Mutex<Vec<(String, Arc<Cleaner>)>> = Mutex::new(Vec::new());

/// Records the reads of this run left unparsed (their pre-filter's).
static UNPARSED: AtomicU64 = AtomicU64::new(0);

/// Adds `n` records a read left unparsed
/// (`korpus::corpus::ReadReport::unparsed`), for the summary line.
pub fn unparsed(n: u64) {
    UNPARSED.fetch_add(n, Ordering::Relaxed);
}

fn lock() -> MutexGuard<'static, Vec<(String, Arc<Cleaner>)>> {
    RUN.lock().unwrap_or_else(|e| e.into_inner())
}

/// Registers the cleaner of the corpus read from `inputs`, for
/// [`summary`].
pub fn register(inputs: &[String], cleaner: Arc<Cleaner>) {
    lock().push((inputs.join(" "), cleaner));
}

/// What `removed` says, in the words of the summary line:
/// `N duplicate document(s) removed (E exact, M near), L template
/// line(s) removed from D document(s)`.
pub fn describe(removed: &Removed) -> String {
    format!(
        "{} duplicate document(s) removed ({} exact, {} near), {} \
         template line(s) removed from {} document(s)",
        removed.documents,
        removed.exact,
        removed.documents - removed.exact,
        removed.lines,
        removed.changed
    )
}

/// The summary line of the run's cleaning, or `None` if nothing was
/// cleaned: one corpus's [`describe`], or with several (a `--ref`
/// corpus), each one's after its number, in the order read, and its
/// inputs.
pub fn line() -> Option<String> {
    let run = lock();
    let parts: Vec<String> = match run.as_slice() {
        [] => return None,
        [(_, one)] => vec![describe(&one.removed())],
        several => several
            .iter()
            .enumerate()
            .map(|(i, (inputs, c))| {
                format!(
                    "corpus {} ({inputs}): {}",
                    i + 1,
                    describe(&c.removed())
                )
            })
            .collect(),
    };
    let unparsed = match UNPARSED.load(Ordering::Relaxed) {
        0 => String::new(),
        n => format!(
            " (counted over the records parsed: {n} that the query's \
             pre-filter left unparsed, as they cannot match, are not; \
             --no-prefilter counts them)"
        ),
    };
    Some(format!("korpus: cleaning: {}{unparsed}", parts.join("; ")))
}

/// Prints [`line`] on stderr, once: the run's cleaners are forgotten.
pub fn summary() {
    if let Some(line) = line() {
        eprintln!("{line}");
    }
    lock().clear();
}

/// [`summary`] for one process of a `korpus dist` run: its line counts
/// what this process removed from the shares it read, and says so
/// (`korpus: cleaning: process 0 of 2, its shares: ...`); the run's
/// removals are the sum of its processes' lines.
#[cfg_attr(not(feature = "distributed"), allow(dead_code))]
pub fn summary_of(process: &str) {
    if let Some(line) = line() {
        let rest = line.strip_prefix("korpus: cleaning: ").unwrap_or(&line);
        eprintln!("korpus: cleaning: {process}, its shares: {rest}");
    }
    lock().clear();
}
