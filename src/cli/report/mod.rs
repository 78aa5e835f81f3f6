//! `korpus report`: one self-contained HTML page of a corpus, with every
//! table as TSV and every chart as SVG beside it.
//!
//! Every section's counters run in one read of the corpus
//! ([`korpus::overview::count`]; `--ref` is a second read, of the
//! reference corpus), and the page is built in process from the tables
//! and charts the library returns: the same rows the single commands
//! print with the same options (cleaned first with `--dedup` and
//! `--boilerplate`, the corpus and `--ref` each after a pre-pass of its
//! own, as the other commands clean). The report is built in a temporary
//! directory, renamed into place when the page is complete: a failed
//! run leaves no half-written report. A manifest of the files written
//! (with their SHA-256) lets a later run replace the report, and refuse
//! a directory holding anything else.

mod cleaning;
mod count;
mod dir;
mod page;
mod provenance;
mod sections;

use std::path::PathBuf;

use self::page::Report;
use super::Outcome;
use super::args::{CleanArgs, usage};

/// A one-page report: corpus overview (by group with --by), word list
/// with the rank-frequency chart, variant alternation for each --set
/// with its chart, test and example lines, concordances of each
/// --query, their collocates with network charts, keywords against
/// --ref (or each --by group against the rest), what --dedup and
/// --boilerplate removed (a line that nothing was cleaned without them),
/// and the provenance (korpus version, command line, settings, input
/// checksums).
///
/// Writes DIR/index.html (self-contained: inline style, script and
/// SVG; readable offline) and beside it every table as TSV and every
/// chart as SVG, and korpus-manifest.json listing them with their
/// SHA-256. The corpus is read once (standard input too, with `-`), and
/// the --ref corpus once more. An existing DIR is
/// replaced (in one step) only if it is empty or an earlier report
/// whose every file its manifest lists unchanged; anything else in DIR
/// is refused.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files, directories, or `-` for standard input (read once).
    #[arg(required = true, value_name = "CORPUS")]
    inputs: Vec<String>,

    /// The report directory.
    #[arg(short = 'o', long = "output", required = true, value_name = "DIR")]
    output: PathBuf,

    /// Groups for the overview, the variants and the keywords (as
    /// --by in the other commands: a field, file, path~REGEX, ...).
    #[arg(long, value_name = "GROUP")]
    by: Option<String>,

    /// Keep only documents matching these conditions (repeat for AND).
    #[arg(long = "where", value_name = "COND")]
    conditions: Vec<String>,

    /// A variable and its variants (repeat for more) [default:
    /// Tiongkok|China|Cina and 'Korea Utara|Korut|DPRK'].
    #[arg(long = "set", value_name = "A|B|...")]
    sets: Vec<String>,

    /// A query for concordances and collocates (repeat for more)
    /// [default: Tiongkok and China].
    #[arg(long = "query", value_name = "QUERY")]
    queries: Vec<String>,

    /// A reference corpus for the keywords (paths; repeat).
    #[arg(long = "ref", value_name = "PATH")]
    reference: Vec<String>,

    /// Stopwords left out of the word list, collocates and keywords:
    /// id, en, a file, or none.
    #[arg(long, default_value = "id", value_name = "LIST")]
    stopwords: String,

    /// Rows in the word list.
    #[arg(long, default_value_t = 40, value_name = "N")]
    top: usize,

    /// Input format for every file (as in the other commands).
    #[arg(long, value_name = "FORMAT")]
    input_format: Option<String>,

    /// The JSON field or CSV column that holds the text.
    #[arg(long, value_name = "NAME")]
    text_field: Option<String>,

    /// Treat invalid UTF-8, binary files and malformed records as errors
    /// (as in the other commands).
    #[arg(long)]
    strict: bool,

    /// No progress bar.
    #[arg(long, short = 'q')]
    quiet: bool,

    /// In directory walks, follow symbolic links that lead out of the
    /// directory (as in the other commands).
    #[arg(long)]
    follow_links: bool,

    /// The largest document held whole, in MiB (1 to 4096; as in the
    /// other commands) [default: 8].
    #[arg(
        long,
        value_name = "MIB",
        value_parser = clap::value_parser!(u32).range(1..=4096)
    )]
    max_doc_size: Option<u32>,

    /// --dedup and --boilerplate, as in the other commands: applied to
    /// the corpus and to --ref (each cleaned by its own pre-pass), every
    /// removal listed in the Cleaning section and cleaning.tsv
    /// (cleaning-ref.tsv for --ref).
    #[command(flatten)]
    clean: CleanArgs,
}

/// Runs the command.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    check_options(&args)?;
    let setup = count::Setup::new(&args)?;
    let target = args.output.clone();
    dir::check_target(&target)?;
    let (tmp, parent) = dir::staging(&target)?;
    let (corpus, cleaner) = count::open(&args, &args.inputs, true)?;
    let o = count::sections(&setup, &corpus)?;
    let mut outcome = Outcome::of(&o.scanned.report);
    let removed = cleaner.as_ref().map(|c| c.removed());
    let record = provenance::record(&args, &setup, &o.scanned, removed);
    let record = provenance::write(tmp.path(), &record)?;
    let (mut passes, mut ref_cleaner) = (1, None);
    let mut r = Report::new(&args, &setup, tmp.path());
    r.build(o, || {
        passes += 1;
        let (list, cleaner) = count::reference(&args, &setup)?;
        ref_cleaner = cleaner;
        outcome.skipped += list.report.skipped_records;
        outcome.partly += list.report.partly_read();
        Ok(list.groups.into_iter().next().expect("one group"))
    })?;
    r.cleaning(cleaner.as_deref(), ref_cleaner.as_deref())?;
    r.provenance(&record);
    let page = r.page;
    dir::write_page(tmp.path(), page.finish(dir::GENERATOR))?;
    dir::install(tmp, &target, &parent)?;
    let pre = match (cleaner.is_some(), passes) {
        (false, _) => "",
        (true, 1) => " (after its cleaning pre-pass)",
        (true, _) => " (each after its cleaning pre-pass)",
    };
    eprintln!(
        "korpus report: {}{pre}",
        if passes == 1 {
            "1 pass over the corpus".to_string()
        } else {
            "2 passes: 1 over the corpus, 1 over the --ref corpus".to_string()
        }
    );
    eprintln!(
        "korpus: report written to {} (open it in a browser)",
        target.join("index.html").display()
    );
    Ok(outcome)
}

/// Checks the reference paths and the cleaning options before anything
/// runs: a report is not written around an invalid option (exit 2).
fn check_options(args: &Args) -> anyhow::Result<()> {
    args.clean.options(false)?;
    for r in &args.reference {
        if std::fs::metadata(r).is_err() {
            return Err(usage(format!(
                "--ref {r}: no such file or directory"
            )));
        }
    }
    Ok(())
}
