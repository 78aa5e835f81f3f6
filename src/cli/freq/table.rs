//! The table of `korpus freq`: written long or wide, streamed or held
//! for its chart, and the chart.

use std::io::Write;

use korpus::freq::{FreqList, FreqRow, GroupFreq};
use korpus::pivot::{self, Selection};
use korpus::report::{Cell, Format, RowWriter};
use korpus::tables;

use super::super::args::usage;
use super::super::chart;
use super::Args;

/// The table of a run: the list, the rows kept, and how it is written.
pub(super) struct Table<'a> {
    pub(super) list: &'a FreqList,
    pub(super) sel: Selection<'a>,
    pub(super) grouped: bool,
    pub(super) format: Format,
    pub(super) csv_safe: bool,
}

/// The long rows printed (held for a chart).
pub(super) fn long_rows(t: &Table) -> Vec<Vec<Cell>> {
    let rows = t.sel.ranked(&t.list.groups);
    rows.map(|(g, rank, r)| {
        tables::freq_row(t.grouped.then_some(g.group.as_str()), rank, r)
    })
    .collect()
}

/// Writes the table (long, or `wide`): the long rows `kept` for a chart,
/// or streamed.
pub(super) fn write(
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
pub(super) fn draw(
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
