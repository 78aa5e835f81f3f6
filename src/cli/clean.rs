//! `korpus clean`: a corpus without duplicates and boilerplate, as JSON
//! Lines.

use std::path::{Path, PathBuf};

use korpus::clean::Mode;
use korpus::clean::write::{self, PackedWriter, Packing};
use korpus::report::{Format, write_table};

use super::Outcome;
use super::args::{CorpusArgs, start_cleaning, usage};
use super::output::{self, Output};

/// Writes the corpus cleaned: duplicate documents left out (the first
/// in corpus order kept) and boilerplate lines removed, both on unless
/// only one of --dedup or --boilerplate is named. A pre-pass reads the
/// corpus first to find them (README, "Cleaning scraped news").
///
/// Each kept document is one JSON object per line, in corpus order:
/// `korpus_id` (its id as read), its fields, `text` (cleaned). OUT
/// ending in `.gz` or `.zst` is compressed. The output is the same for
/// any number of threads, and written to a temporary file renamed into
/// place: never half-written.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    corpus: CorpusArgs,

    /// The cleaned corpus (.jsonl, .jsonl.gz or .jsonl.zst).
    #[arg(short = 'o', long = "output", required = true, value_name = "OUT")]
    output: PathBuf,

    /// Also write a TSV of every removed document (with the one it
    /// duplicates and their similarity) and every template removed
    /// (documents, source, the first document it was removed from).
    #[arg(long = "report", value_name = "FILE.tsv")]
    removal_report: Option<PathBuf>,

    /// Keep every document and line as read, marked in fields
    /// (`korpus_removed`, `korpus_duplicate_of`, `korpus_similarity`,
    /// `korpus_template_lines`) instead of removed.
    #[arg(long)]
    keep: bool,

    /// Say on stdout why the document with this id (as in `korpus_id`)
    /// was left out or which of its lines were removed.
    #[arg(long, value_name = "ID")]
    explain: Option<String>,
}

fn packing(path: &Path) -> anyhow::Result<Packing> {
    Packing::of(&path.to_string_lossy()).ok_or_else(|| {
        usage(format!(
            "-o {}: the cleaned corpus is JSON Lines: name it .jsonl, \
             .jsonl.gz or .jsonl.zst",
            path.display()
        ))
    })
}

/// Runs the command.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let packing = packing(&args.output)?;
    let opts = args.corpus.read.clean.options(true)?;
    let inputs = &args.corpus.inputs;
    let mut corpus = args.corpus.read.open_plain(inputs, false)?;
    let mode = if args.keep { Mode::Mark } else { Mode::Remove };
    let cleaner =
        start_cleaning(&mut corpus, &opts, mode, args.explain.clone())?;

    let out = Output::open(Some(&args.output))?;
    let mut packed = PackedWriter::new(out, packing);
    let mut io_error = None;
    let mut each = |bytes: &[u8]| -> korpus::error::Result<()> {
        packed.write_all(bytes).map_err(|e| {
            let msg = e.to_string();
            io_error = Some(e);
            korpus::error::Error::Usage(msg)
        })
    };
    let result = write::write_jsonl(&corpus, &mut output::warn, &mut each);
    if let Some(e) = io_error {
        return Err(e.into());
    }
    let report = result?;
    packed.finish()?.finish()?;
    let removed = cleaner.removed();
    if let Some(path) = &args.removal_report {
        let table = write::report(cleaner.cleaning(), &removed);
        let mut dest = Output::open(Some(path))?;
        write_table(dest.writer(), Format::Tsv, &table, false)?;
        dest.finish()?;
    }
    if args.explain.is_some() {
        explain(args.explain.as_deref().unwrap_or(""), &removed)?;
    }
    output::note_ignored(&report);
    let verb = if args.keep { "marked" } else { "removed" };
    eprintln!(
        "korpus: clean: {} document(s) written; {} duplicate document(s) \
         {verb} (--dedup {}); {} template line(s) {verb} from {} document(s), \
         {} byte(s) (--boilerplate {})",
        report.documents,
        removed.documents,
        if opts.dedup.is_some() { "on" } else { "off" },
        removed.lines,
        removed.changed,
        removed.bytes,
        if opts.boilerplate.is_some() { "on" } else { "off" },
    );
    Ok(Outcome::of(&report))
}

/// Prints why document `id` was changed (`--explain`).
fn explain(id: &str, removed: &korpus::clean::Removed) -> anyhow::Result<()> {
    let mut out = Output::open(None)?;
    match &removed.explained {
        None => writeln!(out.writer(), "{id}: no document has this id")?,
        Some(lines) if lines.is_empty() => {
            writeln!(out.writer(), "{id}: kept whole: nothing removed")?
        }
        Some(lines) => {
            for line in lines {
                writeln!(out.writer(), "{line}")?;
            }
        }
    }
    out.finish()
}
