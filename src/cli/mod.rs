//! Command-line parsing, dispatch and exit codes.
//!
//! Exit codes (also in README):
//! - 0: success (a closed output pipe, as in `korpus freq corpus | head`,
//!   is success too);
//! - 1: the output could not be written (disk full, stdout closed,
//!   ...), or an internal error;
//! - 2: bad input or usage: a missing path, an unreadable file, an empty
//!   corpus, an invalid option value, an output that is an input or
//!   another output, or a warning turned into an error by `--strict`;
//!
//! With 1 or 2 no output file of the run is written (see
//! [`output::commit`]).
//! - 3: the results were written, but some records or files were skipped
//!   or documents read in part (a metadata block or a date not read; each
//!   one named in a warning, and counted at the end).

/// Stands in for the standard `eprintln!` in every module of the CLI
/// (declared below, so in its textual scope): the message goes through
/// [`term::print`], which shows control characters as text and never
/// panics when stderr cannot be written.
macro_rules! eprintln {
    ($($arg:tt)*) => {
        $crate::cli::term::print(format_args!($($arg)*))
    };
}

mod args;
mod chart;
mod clean;
mod cleaning;
mod colloc;
mod dispersion;
mod dist;
mod eval_lemmas;
mod eval_tokens;
mod freq;
mod keyness;
mod kwic;
mod ngrams;
mod output;
mod parts;
mod progress;
mod report;
mod stats;
mod term;
mod tokens;
mod variants;

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::builder::Styles;
use clap::{ArgMatches, CommandFactory, FromArgMatches, Parser, Subcommand};

/// korpus: corpus-linguistics statistics for large text collections.
///
/// Frequency lists with dispersion, corpus statistics, concordances,
/// collocations, keywords and variant alternation over plain text, JSON
/// Lines, CSV/TSV, Leipzig, CoNLL-U, Markdown, HTML pages and WARC
/// archives (gzip and zstd read transparently), in parallel; scraped
/// news cleaned of duplicates and boilerplate (`korpus clean`).
#[derive(Debug, Parser)]
#[command(name = "korpus", version, max_term_width = 100)]
pub struct Cli {
    /// Worker threads (default: the number of cores; at most 256). Output
    /// is the same for any number.
    #[arg(long, global = true, value_name = "N")]
    threads: Option<usize>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Frequency list: frequency, per million, range, Juilland's D, Gries' DP.
    Freq(freq::Args),
    /// Corpus statistics: documents, tokens, types, TTR, MSTTR, MATTR, Yule's K.
    Stats(stats::Args),
    /// Keyword in context: concordance lines of a query, in the original text.
    Kwic(kwic::Args),
    /// Dispersion of a query's hits: positions per document, range, D, DP, ARF.
    Dispersion(dispersion::Args),
    /// Collocates of a node with association measures (MI, t, logDice, G², ...).
    Colloc(colloc::Args),
    /// A self-contained HTML report: overview, word list, variants, concordances, collocates, keywords.
    Report(report::Args),
    /// N-gram lists, or the clusters around a node.
    Ngrams(ngrams::Args),
    /// Keywords of a target against a reference (G², Log Ratio, %DIFF, ...).
    Keyness(keyness::Args),
    /// Variant alternation (Tiongkok|China|Cina) per group, with shares and a test.
    Variants(variants::Args),
    /// The query language of kwic (and later colloc and variants).
    #[command(long_about = QUERY_HELP)]
    Query,
    /// One token per line with its byte span, normalized form and class.
    Tokens(tokens::Args),
    /// Score the tokenizer against gold CoNLL-U tokenization.
    EvalTokens(eval_tokens::Args),
    /// Score the Indonesian lemmas against gold CoNLL-U lemmas, per file and UPOS.
    EvalLemmas(eval_lemmas::Args),
    /// Run freq, ngrams, colloc or keyness across processes and hosts (timely dataflow).
    Dist(dist::Args),
    /// Write the corpus without duplicate documents and boilerplate lines, as JSON Lines.
    Clean(clean::Args),
}

/// The query language, for `korpus help query` and `korpus query`.
const QUERY_HELP: &str = "\
The query language (kwic; later colloc, variants, dispersion).

  Tiongkok                a word, matched on the normalized form: NFC, lowercase,
                          the variant map (--case-sensitive matches the surface)
  Tiong*  *nya  ?ina      wildcards: * any characters, ? one character
  /^tiong.*/              a regular expression over the whole token
                          (case-insensitive; linear time, so it cannot hang)
  Tiongkok|China|Cina     alternatives (lowest precedence: \"Korea Utara\"|Korut|DPRK)
  \"Korea Utara\"           a phrase: its words in sequence
  Presiden * Xi           * alone: exactly one token of any kind
  Presiden *{0,3} Xi      a gap of 0 to 3 tokens (at most 20)
  [word=\"Tiong.*\" class=\"word\"]
                          a CQL token: each attribute's regex must match; attributes
                          word (surface), lower (lowercased surface), norm (normalized),
                          class (word, number, url, email, hashtag, mention, emoji, ...)

Matching runs over the tokens of the counted classes (not punctuation, unless
--classes says so), never across a sentence boundary. The parts of a hyphenated
compound are tokens of their own (--hyphens auto), so Tiongkok finds the one in
DPRK-Tiongkok. An invalid query is reported with a caret under the position, exit 2.";

/// What a command reports besides its output.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Records or files skipped.
    pub skipped: u64,
    /// Documents read in part (a metadata block or a date not read).
    pub partly: u64,
}

impl Outcome {
    /// What a read's report says was skipped or read in part.
    pub fn of(report: &korpus::corpus::ReadReport) -> Outcome {
        Outcome {
            skipped: report.skipped_records,
            partly: report.partly_read(),
        }
    }

    /// The exit line of a run that skipped or read in part (exit 3), or
    /// `None`.
    fn incomplete(&self) -> Option<String> {
        let mut said = Vec::new();
        if self.skipped > 0 {
            said.push(format!(
                "{} record(s) or file(s) skipped",
                self.skipped
            ));
        }
        if self.partly > 0 {
            said.push(format!(
                "{} metadata block(s) or date(s) not read",
                self.partly
            ));
        }
        (!said.is_empty()).then(|| {
            format!(
                "korpus: {}; see the warnings above (exit code 3)",
                said.join(", ")
            )
        })
    }
}

/// The most worker threads `--threads` takes.
const MAX_THREADS: usize = 256;

/// Parses the command line, runs the command and maps errors to exit
/// codes.
pub fn main() -> ExitCode {
    output::check_stdout();
    output::clean_up_on_signals();
    let matches = match Cli::command().try_get_matches() {
        Ok(m) => m,
        Err(e) if !e.use_stderr() => {
            // Help and version on stdout, styled as clap does.
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(0));
        }
        // Again without styles: the text as the user typed it, which
        // clap's own printing would send raw or strip unseen.
        Err(_) => {
            match Cli::command().styles(Styles::plain()).try_get_matches() {
                Err(e) => return clap_error(&e),
                Ok(m) => m,
            }
        }
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => return clap_error(&e),
    };
    if let Some(n) = cli.threads {
        if n == 0 {
            eprintln!("korpus: --threads must be at least 1");
            return ExitCode::from(2);
        }
        // Each thread keeps its own tables (a few MB each): thousands
        // of them exhaust memory and make the merge crawl.
        if n > MAX_THREADS {
            eprintln!(
                "korpus: --threads {n} is over the limit of {MAX_THREADS} (each thread keeps its own tables)"
            );
            return ExitCode::from(2);
        }
        if let Err(e) =
            rayon::ThreadPoolBuilder::new().num_threads(n).build_global()
        {
            eprintln!("korpus: cannot start {n} threads: {e}");
            return ExitCode::from(1);
        }
    }
    let result = check_paths(&matches).and_then(|()| run_and_commit(cli));
    progress::finish();
    match result {
        Ok(outcome) => {
            // What cleaning removed, once for the run, before the exit line.
            cleaning::summary();
            match outcome.incomplete() {
                Some(line) => {
                    eprintln!("{line}");
                    ExitCode::from(3)
                }
                None => ExitCode::SUCCESS,
            }
        }
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("korpus: {err:#}");
            ExitCode::from(exit_code(&err))
        }
    }
}

/// Reports a clap error (rendered without styles): help and version on
/// stdout (exit 0), a usage error on stderr (exit 2) with the user's arguments' control
/// characters and bidi overrides shown as text, line by line (a line
/// break inside an argument too, so it cannot forge a line). Printing
/// never panics.
fn clap_error(e: &clap::Error) -> ExitCode {
    let code = u8::try_from(e.exit_code()).unwrap_or(2);
    if !e.use_stderr() {
        let _ = e.print();
        return ExitCode::from(code);
    }
    let mut text = e.render().ansi().to_string();
    // An argument holding a line break: shown whole, before the lines
    // are split (as the value after `=` of `--opt=VALUE`, too).
    for arg in std::env::args_os().skip(1) {
        let arg = arg.to_string_lossy().into_owned();
        let value = arg.split_once('=').map(|p| p.1.to_string());
        for a in std::iter::once(arg).chain(value) {
            if a.contains(['\n', '\r']) {
                text = text.replace(&a, &korpus::report::show_controls(&a));
            }
        }
    }
    let shown: Vec<String> = text
        .trim_end()
        .split('\n')
        .map(|l| korpus::report::show_controls(l).into_owned())
        .collect();
    let mut shown = shown.join("\n");
    shown.push('\n');
    let _ = std::io::stderr().lock().write_all(shown.as_bytes());
    ExitCode::from(code)
}

/// Runs one command and renames its outputs into place if it
/// succeeded; a failed command leaves none of them.
fn run_and_commit(cli: Cli) -> anyhow::Result<Outcome> {
    match dispatch(cli.command) {
        Ok(outcome) => {
            output::commit()?;
            Ok(outcome)
        }
        Err(e) => {
            output::discard();
            Err(e)
        }
    }
}

/// The inputs a command line reads and the outputs it writes, checked
/// against each other before anything runs (see
/// [`output::check_paths`]).
fn check_paths(matches: &ArgMatches) -> anyhow::Result<()> {
    let mut inputs = Vec::new();
    let mut outputs = Vec::new();
    let mut m = matches;
    while let Some((command, sub)) = m.subcommand() {
        m = sub;
        collect_paths(command, m, &mut inputs, &mut outputs);
    }
    output::check_paths(&inputs, &outputs)
}

fn collect_paths(
    command: &str,
    m: &ArgMatches,
    inputs: &mut Vec<PathBuf>,
    outputs: &mut Vec<output::OutputPath>,
) {
    let values = |id: &str| -> Vec<PathBuf> {
        match m.try_get_raw(id) {
            Ok(Some(v)) => v.map(PathBuf::from).collect(),
            _ => Vec::new(),
        }
    };
    for id in ["inputs", "reference", "gold", "map", "hostfile"] {
        inputs.extend(values(id));
    }
    let mut targets = values("targets");
    let all = matches!(m.try_get_one::<bool>("all"), Ok(Some(true)));
    if command == "colloc" && !all {
        targets.pop(); // the node query
    }
    inputs.extend(targets);
    inputs.extend(values("stopwords").into_iter().filter(|s| {
        !["id", "en", "none"].iter().any(|n| s.as_os_str() == *n)
    }));
    let mut out = |flag: &str, path: PathBuf, dir: bool| {
        outputs.push(output::OutputPath { flag: flag.to_string(), path, dir });
    };
    for p in values("output") {
        out("-o", p, command == "report");
    }
    for p in values("removal_report") {
        out("--report", p, false);
    }
    for p in values("provenance") {
        out("--provenance", p, false);
    }
    for p in values("chart") {
        out("--chart", p.clone(), false);
        out("--chart (its data file)", p.with_extension("tsv"), false);
    }
    for p in values("freq_cache") {
        out("--freq-cache", p, true);
    }
    for p in values("parts") {
        out("--parts", p, true);
    }
}

/// Runs one command (those that can run distributed, in this process:
/// `korpus dist` runs them on a cluster).
fn dispatch(command: Command) -> anyhow::Result<Outcome> {
    let local = &korpus::dist::Backend::Local;
    match command {
        Command::Freq(a) => freq::run(a, local),
        Command::Stats(a) => stats::run(a),
        Command::Kwic(a) => kwic::run(a),
        Command::Dispersion(a) => dispersion::run(a),
        Command::Colloc(a) => colloc::run(a, local),
        Command::Ngrams(a) => ngrams::run(a, local),
        Command::Keyness(a) => keyness::run(a, local),
        Command::Variants(a) => variants::run(a),
        Command::Report(a) => report::run(a),
        Command::Query => {
            // Through an Output, as every table: a closed or full stdout
            // is an error (exit 1), never a panic.
            let mut out = output::Output::open(None)?;
            writeln!(out.writer(), "{QUERY_HELP}")?;
            out.finish()?;
            Ok(Outcome::default())
        }
        Command::Tokens(a) => tokens::run(a),
        Command::EvalTokens(a) => eval_tokens::run(a),
        Command::EvalLemmas(a) => eval_lemmas::run(a),
        Command::Dist(a) => dist::run(a),
        Command::Clean(a) => clean::run(a),
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || e.downcast_ref::<korpus::error::Error>().is_some_and(|k| {
                matches!(k, korpus::error::Error::Output(io)
                    if io.kind() == std::io::ErrorKind::BrokenPipe)
            })
    })
}

fn exit_code(err: &anyhow::Error) -> u8 {
    for e in err.chain() {
        if let Some(k) = e.downcast_ref::<korpus::error::Error>() {
            return if k.is_input_error() { 2 } else { 1 };
        }
        if e.downcast_ref::<args::UsageError>().is_some() {
            return 2;
        }
    }
    1
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn cli_debug_assert() {
        super::Cli::command().debug_assert();
    }
}
