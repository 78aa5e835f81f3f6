//! `korpus freq`: the frequency list.

use korpus::analyze::ClassSet;
use korpus::freq::{self, FreqOptions, FreqRow, GroupFreq};
use korpus::report::{Cell, RowWriter};
use korpus::stopwords::Stoplist;

use super::Outcome;
use super::args::{AnalyzeArgs, CorpusArgs, SubcorpusArgs, settings, usage};
use super::chart::{self, ChartArgs};
use super::output::{self, OutputArgs};

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

const COLUMNS: [&str; 9] = [
    "rank",
    "item",
    "freq",
    "per_million",
    "range",
    "range_pct",
    "juilland_d",
    "dp",
    "dp_norm",
];

/// The cells of a frequency row after its rank: item, freq, per million,
/// range, range %, Juilland's D, DP, DPnorm (shared with `ngrams`).
pub(super) fn row_cells(r: &FreqRow) -> [Cell; 8] {
    [
        Cell::Str(r.item.clone()),
        Cell::Int(r.freq),
        Cell::Float(r.per_million, 2),
        Cell::Int(r.range),
        Cell::Float(r.range_pct, 2),
        Cell::opt(r.juilland_d, 4),
        Cell::opt(r.dp, 4),
        Cell::opt(r.dp_norm, 4),
    ]
}

/// Runs the command.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
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
    let list = super::dist::count(
        &corpus,
        &an,
        &filter,
        &by,
        &opts,
        &mut output::warn,
    )?;
    output::note_ignored(&list.report);

    let keep = |item: &str, freq: u64| {
        freq >= args.min_freq && Stoplist::of(&an).keeps_ngram(item)
    };
    let grouped = by.is_grouped();
    let mut columns: Vec<&str> = Vec::new();
    if grouped {
        columns.push("group");
    }
    columns.extend(COLUMNS);
    let items = list.groups.iter().flat_map(|g| {
        let kept = g
            .rows
            .iter()
            .filter(|r| keep(&r.item, r.freq))
            .take(args.top.unwrap_or(usize::MAX));
        kept.enumerate().map(move |(rank, r)| (g, rank, r))
    });
    let make = |&(g, rank, r): &(&GroupFreq, usize, &FreqRow)| {
        let mut cells = Vec::with_capacity(COLUMNS.len() + 1);
        if grouped {
            cells.push(Cell::Str(g.group.clone()));
        }
        cells.push(Cell::Int(rank as u64 + 1));
        cells.extend(row_cells(r));
        cells
    };
    // Rows stream to the output; only a chart holds them.
    let mut drawn: Vec<Vec<Cell>> = Vec::new();
    let mut out = args.out.open()?;
    if args.wide {
        let safe = args.out.csv_safe;
        write_wide(&list, &keep, args.top, out.writer(), format, safe)?;
        if spec.is_some() {
            drawn.extend(items.map(|i| make(&i)));
        }
    } else {
        let mut wtr = RowWriter::new(out.writer(), format, &columns)?;
        wtr.csv_safe(args.out.csv_safe);
        if spec.is_some() {
            for item in items {
                let r = make(&item);
                wtr.row(&r)?;
                drawn.push(r);
            }
        } else {
            wtr.rows_par(items, make)?;
        }
        wtr.finish()?;
    }
    // Drawn before the table is moved into place: a chart that cannot
    // be drawn leaves no output.
    let rendered = match &spec {
        Some(spec) => {
            let c = draw(spec, &args, &columns, &drawn, grouped)?;
            Some(spec.render(&c)?)
        }
        None => None,
    };
    out.finish()?;
    chart::finish(rendered)?;

    if let Some(path) = &args.out.provenance {
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
        let settings = settings(
            "freq",
            &args.corpus.read,
            &args.analyze,
            &an,
            &args.sub,
            serde_json::json!({
                "ngram": args.ngram,
                "min_freq": args.min_freq,
                "top": args.top,
                "dp": !args.no_dp,
                "row_order": "freq descending, then item ascending (bytes)",
            }),
        );
        let counts = serde_json::json!({ "filtered_out": list.filtered_out, "groups": groups });
        output::write_provenance(path, &list.report, settings, counts)?;
    }
    if output::stderr_is_terminal() {
        let tokens: u64 = list.groups.iter().map(|g| g.tokens).sum();
        eprintln!(
            "korpus: {} documents, {} tokens counted, {} groups",
            list.report.documents - list.filtered_out,
            tokens,
            list.groups.len()
        );
    }
    Ok(Outcome { skipped: list.report.skipped_records })
}

/// The chart of the rows printed.
fn draw(
    spec: &chart::Spec,
    args: &Args,
    columns: &[&str],
    rows: &[Vec<Cell>],
    grouped: bool,
) -> anyhow::Result<korpus::chart::Chart> {
    use korpus::chart::{Chart, Zipf, ZipfSeries};
    let corpus = chart::corpus_label(&args.corpus.inputs);
    let unit = if args.ngram > 1 {
        format!("{}-grams", args.ngram)
    } else {
        "words".to_string()
    };
    if spec.kind == "zipf" {
        let g = usize::from(grouped);
        let mut series: Vec<ZipfSeries> = Vec::new();
        for r in rows {
            let (Cell::Int(rank), Cell::Str(item), Cell::Int(f)) =
                (&r[g], &r[g + 1], &r[g + 2])
            else {
                continue;
            };
            let name = match &r[0] {
                Cell::Str(s) if grouped => s.clone(),
                _ => String::new(),
            };
            if series.last().is_none_or(|s| s.name != name) {
                series.push(ZipfSeries { name, points: Vec::new() });
            }
            let s = series.last_mut().expect("pushed");
            s.points.push((*rank, item.clone(), *f));
        }
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
    let bars = chart::bars_from_rows(
        format!("Most frequent {unit} — {corpus}"),
        columns,
        rows,
        &["item"],
        value,
        grouped.then_some("group"),
        chart::bar_limit(args.top),
        None,
    )?;
    Ok(Chart::Bars(bars))
}

/// Writes one row per item with a frequency column per group.
fn write_wide(
    list: &freq::FreqList,
    keep: &dyn Fn(&str, u64) -> bool,
    top: Option<usize>,
    wtr: &mut dyn std::io::Write,
    format: korpus::report::Format,
    csv_safe: bool,
) -> anyhow::Result<()> {
    let mut totals: korpus::hash::Map<&str, Vec<u64>> =
        korpus::hash::new_map();
    let n = list.groups.len();
    for (gi, g) in list.groups.iter().enumerate() {
        for r in &g.rows {
            totals.entry(r.item.as_str()).or_insert_with(|| vec![0; n])[gi] =
                r.freq;
        }
    }
    let mut rows: Vec<(&str, u64, Vec<u64>)> = totals
        .into_iter()
        .map(|(item, freqs)| (item, freqs.iter().sum(), freqs))
        .collect();
    rows.sort_by(|a, b| {
        b.1.cmp(&a.1).then_with(|| a.0.as_bytes().cmp(b.0.as_bytes()))
    });
    let mut columns = vec!["rank", "item", "total"];
    columns.extend(list.groups.iter().map(|g| g.group.as_str()));
    let mut w = RowWriter::new(wtr, format, &columns)?;
    w.csv_safe(csv_safe);
    let kept = rows.into_iter().filter(|(item, total, _)| keep(item, *total));
    for (rank, (item, total, freqs)) in
        kept.take(top.unwrap_or(usize::MAX)).enumerate()
    {
        let mut cells = vec![
            Cell::Int(rank as u64 + 1),
            Cell::Str(item.to_string()),
            Cell::Int(total),
        ];
        cells.extend(freqs.into_iter().map(Cell::Int));
        w.row(&cells)?;
    }
    w.finish()?;
    Ok(())
}
