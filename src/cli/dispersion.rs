//! `korpus dispersion`: where the hits of a query fall.

use korpus::analyze::ClassSet;
use korpus::dispersion;
use korpus::report::{Cell, RowWriter};

use super::Outcome;
use super::args::{
    AnalyzeArgs, CorpusArgs, QueryArgs, SubcorpusArgs, settings,
};
use super::output::{self, OutputArgs};

/// Dispersion of a query's hits over documents (or --by groups): for
/// each part with a hit, its size, its hits and their relative positions
/// (what a concordance plot draws), and for the query as a whole range,
/// Juilland's D, Gries' DP, DPnorm and ARF (on stderr, or as the output
/// with --summary).
///
/// Every document is tokenized (part sizes are needed). With --by, a
/// group's documents are one part, their tokens laid end to end in
/// corpus order.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    corpus: CorpusArgs,

    #[command(flatten)]
    q: QueryArgs,

    #[command(flatten)]
    analyze: AnalyzeArgs,
    #[command(flatten)]
    sub: SubcorpusArgs,
    #[command(flatten)]
    out: OutputArgs,

    /// List parts without a hit too.
    #[arg(long)]
    all_parts: bool,

    /// Print the measures for the query as one row instead of the parts.
    #[arg(long)]
    summary: bool,
}

/// Runs the command.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let format = args.out.format()?;
    let an = args.analyze.build(ClassSet::countable())?;
    let (filter, by) = args.sub.build()?;
    let query = args.q.build(&an)?;
    let corpus = args.corpus.open(args.out.provenance.is_some())?;
    let d = dispersion::of_query(
        &corpus,
        &an,
        &filter,
        &by,
        &query,
        &mut output::warn,
    )?;
    output::note_ignored(&d.report);
    let parts = d.parts.len() as u64;
    let measures = [
        Cell::Str(args.q.query.clone()),
        Cell::Int(d.hits),
        Cell::Int(d.tokens),
        Cell::Float(d.hits as f64 * 1e6 / d.tokens as f64, 2),
        Cell::Int(parts),
        Cell::Int(d.range),
        Cell::Float(d.range as f64 * 100.0 / parts as f64, 2),
        Cell::opt(d.juilland_d, 4),
        Cell::opt(d.dp, 4),
        Cell::opt(d.dp_norm, 4),
        Cell::opt(d.arf, 2),
    ];
    let mut out = args.out.open()?;
    if args.summary {
        let columns = [
            "query",
            "hits",
            "tokens",
            "per_million",
            "parts",
            "range",
            "range_pct",
            "juilland_d",
            "dp",
            "dp_norm",
            "arf",
        ];
        let mut wtr = RowWriter::new(out.writer(), format, &columns)?;
        wtr.row(&measures)?;
        wtr.finish()?;
    } else {
        let columns = ["part", "tokens", "hits", "per_million", "positions"];
        let mut wtr = RowWriter::new(out.writer(), format, &columns)?;
        for p in
            d.parts.iter().filter(|p| args.all_parts || !p.hits.is_empty())
        {
            let positions: Vec<String> = p
                .hits
                .iter()
                .map(|&h| format!("{:.4}", h as f64 / p.tokens as f64))
                .collect();
            wtr.row(&[
                Cell::Str(p.name.clone()),
                Cell::Int(p.tokens),
                Cell::Int(p.hits.len() as u64),
                Cell::Float(p.hits.len() as f64 * 1e6 / p.tokens as f64, 2),
                Cell::Str(positions.join(" ")),
            ])?;
        }
        wtr.finish()?;
    }
    out.finish()?;
    let show = |c: &Cell| match c {
        Cell::Float(v, dec) => format!("{v:.dec$}"),
        Cell::Int(n) => n.to_string(),
        _ => "undefined".to_string(),
    };
    eprintln!(
        "korpus: {} hits in {} of {} parts; Juilland's D {}, DP {}, DPnorm {}, ARF {}",
        d.hits,
        d.range,
        parts,
        show(&measures[7]),
        show(&measures[8]),
        show(&measures[9]),
        show(&measures[10]),
    );
    if let Some(path) = &args.out.provenance {
        let settings = settings(
            "dispersion",
            &args.corpus.read,
            &args.analyze,
            &an,
            &args.sub,
            serde_json::json!({
                "query": args.q.query,
                "parts": if by.is_grouped() { "groups" } else { "documents" },
            }),
        );
        let counts = serde_json::json!({"hits": d.hits, "tokens": d.tokens, "parts": parts, "range": d.range});
        output::write_provenance(path, &d.report, settings, counts)?;
    }
    Ok(Outcome { skipped: d.report.skipped_records })
}
