//! Command-line parsing, dispatch and exit codes.
//!
//! Exit codes (also in README):
//! - 0: success (a closed output pipe, as in `korpus freq corpus | head`,
//!   is success too);
//! - 1: the output could not be written (disk full, ...), or an internal
//!   error;
//! - 2: bad input or usage: a missing path, an unreadable file, an empty
//!   corpus, an invalid option value, or a warning turned into an error
//!   by `--strict`;
//! - 3: the results were written, but some records or files were skipped
//!   (each one named in a warning, and counted at the end).

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
mod colloc;
mod dispersion;
mod dist;
mod eval_tokens;
mod freq;
mod keyness;
mod kwic;
mod ngrams;
mod output;
mod progress;
mod report;
mod stats;
mod term;
mod tokens;
mod variants;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// korpus: corpus-linguistics statistics for large text collections.
///
/// Frequency lists with dispersion, corpus statistics and token
/// inspection over plain text, JSON Lines, CSV/TSV, Leipzig and CoNLL-U
/// corpora (gzip read transparently), in parallel.
#[derive(Debug, Parser)]
#[command(name = "korpus", version, max_term_width = 100)]
pub struct Cli {
    /// Worker threads (default: the number of cores). Output is the same
    /// for any number.
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
    /// Run freq, ngrams, colloc or keyness across processes and hosts (timely dataflow).
    Dist(dist::Args),
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
}

/// Parses the command line, runs the command and maps errors to exit
/// codes.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(n) = cli.threads {
        if n == 0 {
            eprintln!("korpus: --threads must be at least 1");
            return ExitCode::from(2);
        }
        if let Err(e) =
            rayon::ThreadPoolBuilder::new().num_threads(n).build_global()
        {
            eprintln!("korpus: cannot start {n} threads: {e}");
            return ExitCode::from(1);
        }
    }
    let result = dispatch(cli.command);
    progress::finish();
    match result {
        Ok(outcome) if outcome.skipped > 0 => {
            eprintln!(
                "korpus: {} record(s) or file(s) skipped; see the warnings above (exit code 3)",
                outcome.skipped
            );
            ExitCode::from(3)
        }
        Ok(_) => ExitCode::SUCCESS,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("korpus: {err:#}");
            ExitCode::from(exit_code(&err))
        }
    }
}

/// Runs one command.
fn dispatch(command: Command) -> anyhow::Result<Outcome> {
    match command {
        Command::Freq(a) => freq::run(a),
        Command::Stats(a) => stats::run(a),
        Command::Kwic(a) => kwic::run(a),
        Command::Dispersion(a) => dispersion::run(a),
        Command::Colloc(a) => colloc::run(a),
        Command::Ngrams(a) => ngrams::run(a),
        Command::Keyness(a) => keyness::run(a),
        Command::Variants(a) => variants::run(a),
        Command::Report(a) => report::run(a),
        Command::Query => {
            println!("{QUERY_HELP}");
            Ok(Outcome::default())
        }
        Command::Tokens(a) => tokens::run(a),
        Command::EvalTokens(a) => eval_tokens::run(a),
        Command::Dist(a) => dist::run(a),
    }
}

/// Runs a korpus command line given as words (for `korpus report`).
fn run_line(words: &[String]) -> anyhow::Result<Outcome> {
    let argv =
        std::iter::once("korpus".to_string()).chain(words.iter().cloned());
    let cli = Cli::try_parse_from(argv)
        .map_err(|e| args::usage(e.to_string().trim().to_string()))?;
    dispatch(cli.command)
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
