//! `korpus freq`: the frequency list.

use std::io::Write;

use korpus::analyze::{Analyzer, ClassSet};
use korpus::dist::{Backend, Subcorpus};
use korpus::freq::{FreqList, FreqOptions, FreqRow, GroupFreq};
use korpus::pivot::{self, Selection};
use korpus::report::{Cell, Format, RowWriter};
use korpus::tables;

use super::Outcome;
use super::args::{AnalyzeArgs, CorpusArgs, SubcorpusArgs, settings, usage};
use super::chart::{self, ChartArgs};
use super::output::{self, Body, Emission, OutputArgs, Provenance, Tail};

/// Frequency list with dispersion over documents.
///
/// Columns: rank, item, freq, per_million (per million counted units),
/// range (documents), range_pct, juilland_d, dp (Gries' DP), dp_norm.
/// Rows are ordered by frequency (descending), then item (byte order).
/// The corpus is read twice: the second pass computes DP, which needs
/// every item's total first (`--no-dp` skips it). Memory grows with the
/// vocabulary, not with the corpus.
///
/// Charts (--chart FILE): `bars` (the default; the first rows printed,
/// 30 or --top's N up to 100, one panel per group; --chart-value freq,
/// per_million, range, ...) or `zipf` (rank against frequency of every
/// row printed, log-log, with the least-squares slope and R²; one
/// series per group).
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
    #[command(flatten)]
    chart: ChartArgs,

    /// Count n-grams of N items (within sentences).
    #[arg(short = 'n', long, default_value_t = 1, value_name = "N")]
    ngram: usize,

    /// Leave out items less frequent than N.
    #[arg(long, default_value_t = 1, value_name = "N")]
    min_freq: u64,

    /// Print only the first N rows (of each group).
    #[arg(long, value_name = "N")]
    top: Option<usize>,

    /// With --by: one row per item and one frequency column per group.
    #[arg(long, requires = "by")]
    wide: bool,

    /// Skip Gries' DP (no temporary files).
    #[arg(long)]
    no_dp: bool,

    /// Let n-grams run across sentence boundaries (never across
    /// documents).
    #[arg(long)]
    cross_sentences: bool,
}

/// The table of a run: the list, the rows kept, and how it is written.
struct Table<'a> {
    list: &'a FreqList,
    sel: Selection<'a>,
    grouped: bool,
    format: Format,
    csv_safe: bool,
}

/// Runs the command.
pub fn run(args: Args, backend: &Backend) -> anyhow::Result<Outcome> {
    if args.ngram == 0 || args.ngram > 16 {
        return Err(usage("--ngram must be from 1 to 16"));
    }
    let format = args.out.format()?;
    let spec = args.chart.spec(&["bars", "zipf"], &args.out)?;
    let an = args.analyze.build(ClassSet::countable())?;
    let (filter, by) = args.sub.build()?;
    let corpus = args.corpus.open(args.out.provenance.is_some())?;
    let opts = FreqOptions {
        ngram: args.ngram,
        dp: !args.no_dp,
        cross_sentences: args.cross_sentences,
    };
    let sub = Subcorpus { corpus: &corpus, analyzer: &an, filter: &filter };
    let list = backend.freq_list(&sub, &by, &opts, &mut output::warn)?;
    output::note_ignored(&list.report);
    let t = Table {
        list: &list,
        sel: Selection {
            min_freq: args.min_freq,
            top: args.top,
            stopwords: Some(&an),
        },
        grouped: by.is_grouped(),
        format,
        csv_safe: args.out.csv_safe,
    };
    // With a chart, the rows printed are held to draw it first: a chart
    // that cannot be drawn leaves no output. Without, they stream.
    let chart = match &spec {
        Some(spec) => {
            let kept = long_rows(&t);
            Some((spec, draw(spec, &args, &t, &kept)?, kept))
        }
        None => None,
    };
    let (chart, kept) = match chart {
        Some((spec, c, kept)) => (Some((spec, c)), Some(kept)),
        None => (None, None),
    };
    let summary = output::stderr_is_terminal().then(|| {
        let tokens: u64 = list.groups.iter().map(|g| g.tokens).sum();
        format!(
            "{} documents, {} tokens counted, {} groups",
            list.report.documents - list.filtered_out,
            tokens,
            list.groups.len()
        )
    });
    let provenance = args.out.provenance.is_some().then(|| provenance(&args, &an, &list));
    let wide = args.wide;
    let body = Body::Rows(Box::new(move |w| {
        write(&t, wide, kept, w)?;
        Ok(Tail::default())
    }));
    let writes = backend.writes();
    let emitted = Emission { body, chart, provenance, summary, writes };
    output::emit_body(&args.out, format, emitted)?;
    Ok(Outcome { skipped: list.report.skipped_records })
}

/// The long rows printed (held for a chart).
fn long_rows(t: &Table) -> Vec<Vec<Cell>> {
    let rows = t.sel.ranked(&t.list.groups);
    rows.map(|(g, rank, r)| {
        tables::freq_row(t.grouped.then_some(g.group.as_str()), rank, r)
    })
    .collect()
}

/// Writes the table (long, or `wide`): the long rows `kept` for a chart,
/// or streamed.
fn write(
    t: &Table,
    wide: bool,
    kept: Option<Vec<Vec<Cell>>>,
    w: &mut dyn Write,
) -> anyhow::Result<()> {
    if wide {
        let names = t.list.groups.iter().map(|g| g.group.as_str());
        let mut wtr =
            RowWriter::new(w, t.format, &tables::wide_columns(names))?;
        wtr.csv_safe(t.csv_safe);
        for r in pivot::wide(&t.list.groups, &t.sel) {
            wtr.row(&tables::wide_cells(&r))?;
        }
        wtr.finish()?;
        return Ok(());
    }
    let columns = tables::freq_columns(t.grouped);
    let mut wtr = RowWriter::new(w, t.format, &columns)?;
    wtr.csv_safe(t.csv_safe);
    if let Some(kept) = kept {
        for r in &kept {
            wtr.row(r)?;
        }
    } else {
        let make = |&(g, rank, r): &(&GroupFreq, u64, &FreqRow)| {
            tables::freq_row(t.grouped.then_some(g.group.as_str()), rank, r)
        };
        wtr.rows_par(t.sel.ranked(&t.list.groups), make)?;
    }
    wtr.finish()?;
    Ok(())
}

/// The chart of the rows printed (`rows`, long).
fn draw(
    spec: &chart::Spec,
    args: &Args,
    t: &Table,
    rows: &[Vec<Cell>],
) -> anyhow::Result<korpus::chart::Chart> {
    use korpus::chart::{Chart, Zipf};
    let corpus = chart::corpus_label(&args.corpus.inputs);
    let unit = if args.ngram > 1 {
        format!("{}-grams", args.ngram)
    } else {
        "words".to_string()
    };
    if spec.kind == "zipf" {
        let ranked = t.sel.ranked(&t.list.groups);
        let series = tables::zipf_series(ranked, t.grouped);
        if series.len() > 8 {
            return Err(usage(
                "a Zipf chart draws at most 8 groups: select some with --where",
            ));
        }
        return Ok(Chart::Zipf(Zipf {
            title: format!("Rank–frequency of {unit} — {corpus}"),
            series,
        }));
    }
    let value = spec.value.as_deref().unwrap_or("freq");
    let how = chart::BarsFrom {
        title: format!("Most frequent {unit} — {corpus}"),
        label: &["item"],
        value,
        group: t.grouped.then_some("group"),
        limit: chart::bar_limit(args.top),
        signed_by: None,
    };
    let columns = tables::freq_columns(t.grouped);
    let bars = chart::bars_from_rows(&columns, rows, &how)?;
    Ok(Chart::Bars(bars))
}

/// The provenance record's parts.
fn provenance<'a>(
    args: &Args,
    an: &Analyzer,
    list: &'a FreqList,
) -> Provenance<'a> {
    let groups: Vec<serde_json::Value> = list
        .groups
        .iter()
        .map(|g| {
            serde_json::json!({
                "group": g.group, "tokens": g.tokens, "types": g.types,
                "documents_with_tokens": g.parts, "documents_without_tokens": g.empty_docs,
            })
        })
        .collect();
    let extra = serde_json::json!({
        "ngram": args.ngram,
        "min_freq": args.min_freq,
        "top": args.top,
        "dp": !args.no_dp,
        "row_order": "freq descending, then item ascending (bytes)",
    });
    let (read, sub) = (&args.corpus.read, &args.sub);
    let settings = settings("freq", read, &args.analyze, an, sub, extra);
    let counts = serde_json::json!({ "filtered_out": list.filtered_out, "groups": groups });
    Provenance { report: &list.report, settings, counts }
}
