//! `korpus stats`: corpus statistics.

use korpus::analyze::ClassSet;
use korpus::report::Table;
use korpus::stats::{self, StatsOptions};
use korpus::tables;

use super::Outcome;
use super::args::{AnalyzeArgs, CorpusArgs, SubcorpusArgs, settings, usage};
use super::output::{self, Body, Emission, OutputArgs, Provenance};

/// Corpus statistics, for the whole corpus or per group.
///
/// Columns: documents, tokens, types, ttr, msttr and mattr (segments and
/// moving windows of --window tokens over the group's tokens in corpus
/// order), hapax (types occurring once), hapax_pct (of types), yule_k,
/// mean_doc_len (tokens per document).
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

    /// Window and segment size for MATTR and MSTTR, in tokens.
    #[arg(long, default_value_t = 100, value_name = "N")]
    window: usize,
}

/// Runs the command.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    if args.window == 0 {
        return Err(usage("--window must be at least 1"));
    }
    let format = args.out.format()?;
    let an = args.analyze.build(ClassSet::countable())?;
    let (filter, by) = args.sub.build()?;
    let corpus = args.corpus.open(args.out.provenance.is_some())?;
    let opts = StatsOptions { window: args.window };
    let result =
        stats::compute(&corpus, &an, &filter, &by, &opts, &mut output::warn)?;
    output::note_ignored(&result.report);

    let grouped = by.is_grouped();
    let mut table = Table::new(tables::stats_columns(grouped));
    for g in &result.groups {
        table.push(tables::stats_row(grouped.then_some(&g.group), g));
    }
    let settings = settings(
        "stats",
        &args.corpus.read,
        &args.analyze,
        &an,
        &args.sub,
        serde_json::json!({
            "window": args.window,
            "windows": "over each group's tokens in corpus order, across documents",
        }),
    );
    let counts = serde_json::json!({ "filtered_out": result.filtered_out });
    let provenance = Provenance { report: &result.report, settings, counts };
    let emitted = Emission {
        body: Body::Table(table),
        chart: None,
        provenance: Some(provenance),
        summary: Vec::new(),
        writes: true,
    };
    output::emit(&args.out, format, emitted)?;
    Ok(Outcome::of(&result.report))
}
