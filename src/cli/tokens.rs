//! `korpus tokens`: one token per line, for inspection and piping.

use korpus::analyze::{ClassSet, Scratch};
use korpus::lemma::LemmaMemo;
use korpus::report::{Cell, RowWriter};
use korpus::tables;
use rayon::prelude::*;

use super::Outcome;
use super::args::{AnalyzeArgs, CorpusArgs, SubcorpusArgs, settings};
use super::output::{self, OutputArgs};

/// Print every token: document id, sentence number, byte start and end
/// (in the document's text), surface form, normalized form (after the
/// variant map), and class.
///
/// Streams in corpus order with bounded memory. All token classes are
/// printed unless --classes says otherwise. --meta adds document metadata
/// columns after `doc` (a token table for Spark or DuckDB: --format
/// parquet). Byte offsets are into the
/// document text as decoded (for JSONL and CSV, the text field's value).
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    corpus: CorpusArgs,
    #[command(flatten)]
    analyze: AnalyzeArgs,
    #[command(flatten)]
    sub: SubcorpusArgs,
    #[command(flatten)]
    out: OutputArgs,

    /// Add the columns `lemma` (the Indonesian lemma of the normalized
    /// form, see --lemma-convention) and `affixes` (between form and
    /// lemma, e.g. meN-,-kan,-nya).
    #[arg(long)]
    lemmas: bool,

    /// Add these metadata fields as columns after `doc` (comma-separated,
    /// e.g. source,date; an absent field is empty).
    #[arg(long, value_name = "FIELDS", value_delimiter = ',')]
    meta: Vec<String>,
}

/// Runs the command.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let format = args.out.format()?;
    let an = args.analyze.build(ClassSet::ALL)?;
    let (filter, _) = args.sub.build()?;
    let corpus = args.corpus.open(args.out.provenance.is_some())?;
    let mut out = args.out.open()?;
    let meta: Vec<String> = args
        .meta
        .iter()
        .map(|f| f.trim().to_string())
        .filter(|f| !f.is_empty())
        .collect();
    let columns = tables::token_columns(&meta, args.lemmas);
    if let Some(dup) = columns
        .iter()
        .enumerate()
        .find_map(|(i, c)| columns[..i].contains(c).then_some(*c))
    {
        return Err(super::args::usage(format!(
            "--meta: column '{dup}' would appear twice"
        )));
    }
    let mut wtr = RowWriter::new(out.writer(), format, &columns)?;
    wtr.csv_safe(args.out.csv_safe);
    let mut filtered_out = 0;
    let report = corpus.scan(&mut output::warn, &mut |docs| {
        let docs = korpus::freq::keep(docs, &filter, &mut filtered_out);
        let rows: Vec<Vec<Vec<Cell>>> = docs
            .par_iter()
            .map_init(
                || (Scratch::default(), LemmaMemo::default()),
                |(scratch, memo), doc| {
                    let memo = args.lemmas.then_some(memo);
                    tables::token_rows(&an, doc, &meta, scratch, memo)
                },
            )
            .collect();
        for row in rows.iter().flatten() {
            wtr.row(row).map_err(korpus::error::Error::Output)?;
        }
        Ok(())
    });
    let report = report?;
    wtr.finish()?;
    out.finish()?;
    output::note_ignored(&report);
    if report.documents > 0 && !filter.is_empty() {
        let kept = report.documents - filtered_out;
        korpus::meta::check_scan(
            &report,
            &filter,
            &korpus::meta::GroupBy::All,
            kept,
            1,
        )?;
    }
    if let Some(path) = &args.out.provenance {
        let settings = settings(
            "tokens",
            &args.corpus.read,
            &args.analyze,
            &an,
            &args.sub,
            serde_json::json!({"lemmas": args.lemmas}),
        );
        output::write_provenance(
            path,
            &report,
            settings,
            serde_json::json!({"filtered_out": filtered_out}),
        )?;
    }
    Ok(Outcome::of(&report))
}
