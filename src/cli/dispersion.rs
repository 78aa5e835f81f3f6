//! `korpus dispersion`: where the hits of a query fall.

use korpus::analyze::ClassSet;
use korpus::chart::{Chart, ConcordancePlot, PlotRow};
use korpus::dispersion;
use korpus::report::{Cell, RowWriter};

use super::Outcome;
use super::args::{
    AnalyzeArgs, CorpusArgs, QueryArgs, SubcorpusArgs, settings, usage,
};
use super::chart::{self, ChartArgs};
use super::output::{self, OutputArgs};

/// Dispersion of a query's hits over documents (or --by groups): for
/// each part with a hit, its size, its hits and their relative positions
/// (what a concordance plot draws), and for the query as a whole range,
/// Juilland's D, Gries' DP, DPnorm and ARF (on stderr, or as the output
/// with --summary).
///
/// Every document is tokenized (part sizes are needed). With --by, a
/// group's documents are one part, their tokens laid end to end in
/// corpus order. With --vs, more queries side by side (a `query` column
/// comes first).
///
/// Chart (--chart FILE): `plot`, the concordance plot: a row per part
/// with a hit (at most 60: group documents with --by), a tick at each
/// hit's relative position, and at the row's end the hits and Gries' DP
/// over 10 equal segments of the part; one column per query.
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

    /// Another query, side by side (repeat for more).
    #[arg(long, value_name = "QUERY")]
    vs: Vec<String>,

    #[command(flatten)]
    chart: ChartArgs,
}

/// Runs the command.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let format = args.out.format()?;
    let spec = args.chart.spec(&["plot"], &args.out)?;
    let an = args.analyze.build(ClassSet::countable())?;
    let (filter, by) = args.sub.build()?;
    let mut texts = vec![args.q.query.clone()];
    texts.extend(args.vs.iter().cloned());
    let queries: Vec<korpus::query::Query> = texts
        .iter()
        .map(|t| {
            korpus::query::Query::parse(t, &an, args.q.case_sensitive)
                .map_err(|e| usage(e.render(t)))
        })
        .collect::<anyhow::Result<_>>()?;
    let corpus = args.corpus.open(args.out.provenance.is_some())?;
    if !args.vs.is_empty() {
        corpus.keep_stdin(); // read again for each query
    }
    let mut results = Vec::new();
    for (i, query) in queries.iter().enumerate() {
        let warn: &mut dyn FnMut(&korpus::corpus::Warning) =
            if i == 0 { &mut output::warn } else { &mut |_| {} };
        results.push(dispersion::of_query(
            &corpus, &an, &filter, &by, query, warn,
        )?);
    }
    output::note_ignored(&results[0].report);
    let several = texts.len() > 1;
    let measures = |text: &str, d: &dispersion::QueryDispersion| {
        let parts = d.parts.len() as u64;
        vec![
            Cell::Str(text.to_string()),
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
        ]
    };
    let rendered = match &spec {
        Some(spec) => {
            let rows = results
                .iter()
                .enumerate()
                .flat_map(|(qi, d)| {
                    d.parts.iter().filter(|p| !p.hits.is_empty()).map(
                        move |p| PlotRow {
                            query: qi,
                            part: p.name.clone(),
                            tokens: p.tokens,
                            hits: p.hits.clone(),
                        },
                    )
                })
                .collect();
            let plot = ConcordancePlot {
                title: format!(
                    "Concordance plot — {}",
                    chart::corpus_label(&args.corpus.inputs)
                ),
                queries: texts.clone(),
                rows,
            };
            Some(spec.render(&Chart::Plot(plot))?)
        }
        None => None,
    };
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
        wtr.csv_safe(args.out.csv_safe);
        for (text, d) in texts.iter().zip(&results) {
            wtr.row(&measures(text, d))?;
        }
        wtr.finish()?;
    } else {
        let mut columns = if several { vec!["query"] } else { Vec::new() };
        columns.extend(["part", "tokens", "hits", "per_million", "positions"]);
        let mut wtr = RowWriter::new(out.writer(), format, &columns)?;
        wtr.csv_safe(args.out.csv_safe);
        for (text, d) in texts.iter().zip(&results) {
            let parts = d
                .parts
                .iter()
                .filter(|p| args.all_parts || !p.hits.is_empty());
            for p in parts {
                let positions: Vec<String> = p
                    .hits
                    .iter()
                    .map(|&h| format!("{:.4}", h as f64 / p.tokens as f64))
                    .collect();
                let mut cells = Vec::with_capacity(columns.len());
                if several {
                    cells.push(Cell::Str(text.clone()));
                }
                cells.extend([
                    Cell::Str(p.name.clone()),
                    Cell::Int(p.tokens),
                    Cell::Int(p.hits.len() as u64),
                    Cell::Float(
                        p.hits.len() as f64 * 1e6 / p.tokens as f64,
                        2,
                    ),
                    Cell::Str(positions.join(" ")),
                ]);
                wtr.row(&cells)?;
            }
        }
        wtr.finish()?;
    }
    out.finish()?;
    chart::finish(rendered)?;
    let show = |c: &Cell| match c {
        Cell::Float(v, dec) => format!("{v:.dec$}"),
        Cell::Int(n) => n.to_string(),
        _ => "undefined".to_string(),
    };
    for (text, d) in texts.iter().zip(&results) {
        let m = measures(text, d);
        let name = if several { format!("'{text}': ") } else { String::new() };
        eprintln!(
            "korpus: {name}{} hits in {} of {} parts; Juilland's D {}, DP {}, DPnorm {}, ARF {}",
            d.hits,
            d.range,
            d.parts.len(),
            show(&m[7]),
            show(&m[8]),
            show(&m[9]),
            show(&m[10]),
        );
    }
    if let Some(path) = &args.out.provenance {
        let settings = settings(
            "dispersion",
            &args.corpus.read,
            &args.analyze,
            &an,
            &args.sub,
            serde_json::json!({
                "query": args.q.query,
                "vs": args.vs,
                "parts": if by.is_grouped() { "groups" } else { "documents" },
            }),
        );
        let counts: Vec<serde_json::Value> = texts
            .iter()
            .zip(&results)
            .map(|(t, d)| serde_json::json!({"query": t, "hits": d.hits, "tokens": d.tokens, "parts": d.parts.len(), "range": d.range}))
            .collect();
        output::write_provenance(
            path,
            &results[0].report,
            settings,
            serde_json::json!(counts),
        )?;
    }
    Ok(Outcome { skipped: results[0].report.skipped_records })
}
