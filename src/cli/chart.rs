//! `--chart FILE`: the chart options shared by the commands that draw,
//! and the glue from printed rows to a [`Chart`].
//!
//! One design for every command: the command prints its table as usual
//! and, with `--chart FILE`, also draws those rows to FILE (`.svg` or
//! `.png`, by the extension) and writes the rows drawn to FILE with the
//! extension `.tsv` beside it. Both files are written atomically, after
//! the chart was drawn in memory: a failure leaves neither behind.

use std::path::PathBuf;

use korpus::chart::{Bars, Chart, Frame, ImageFormat, Panel};
use korpus::report::{Cell, Format, RowWriter};

use super::args::usage;
use super::output::{Output, OutputArgs};

/// The chart options.
#[derive(Debug, Clone, clap::Args)]
pub struct ChartArgs {
    /// Draw the rows printed as a chart in FILE (.svg or .png), with the
    /// rows drawn in FILE.tsv beside it.
    #[arg(long, value_name = "FILE")]
    pub chart: Option<PathBuf>,

    /// The kind of chart (each command lists its kinds; the first is
    /// the default).
    #[arg(long, value_name = "KIND", requires = "chart")]
    pub chart_kind: Option<String>,

    /// The column the bars show [default: the --sort column, or freq].
    #[arg(long, value_name = "COLUMN", requires = "chart")]
    pub chart_value: Option<String>,

    /// The chart's size in pixels (SVG: its width and height in px).
    #[arg(long, default_value = "1000x650", value_name = "WxH")]
    pub size: String,

    /// The chart's title [default: the command, the query and the
    /// corpus].
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
}

/// A validated chart request.
pub struct Spec {
    path: PathBuf,
    format: ImageFormat,
    /// Size and title.
    pub frame: Frame,
    /// The kind, one of those the command offers.
    pub kind: &'static str,
    /// The column to draw, if given.
    pub value: Option<String>,
    /// `--csv-safe`, for the data file.
    csv_safe: bool,
}

/// A chart drawn in memory, ready to be written.
pub struct Rendered {
    image: Vec<u8>,
    path: PathBuf,
    table: korpus::chart::Table,
    csv_safe: bool,
}

impl ChartArgs {
    /// Checks the options before any work is done; `None` without
    /// `--chart`. `kinds` are the command's kinds, the default first.
    pub fn spec(
        &self,
        kinds: &[&'static str],
        out: &OutputArgs,
    ) -> anyhow::Result<Option<Spec>> {
        let Some(path) = &self.chart else {
            return Ok(None);
        };
        let format = ImageFormat::from_path(path).ok_or_else(|| {
            usage(format!(
                "--chart {}: the file must end in .svg or .png",
                path.display()
            ))
        })?;
        let kind = match &self.chart_kind {
            None => kinds[0],
            Some(k) => {
                kinds.iter().copied().find(|x| x == k).ok_or_else(|| {
                    usage(format!(
                        "unknown --chart-kind '{k}' (known here: {})",
                        kinds.join(", ")
                    ))
                })?
            }
        };
        let (width, height) = parse_size(&self.size)?;
        let tsv = path.with_extension("tsv");
        if out.output.as_ref().is_some_and(|o| *o == tsv || o == path) {
            return Err(usage(format!(
                "-o {} would be overwritten by the chart or its data",
                tsv.display()
            )));
        }
        Ok(Some(Spec {
            path: path.clone(),
            format,
            frame: Frame { width, height, title: self.title.clone() },
            kind,
            value: self.chart_value.clone(),
            csv_safe: out.csv_safe,
        }))
    }
}

/// Parses `WxH`.
fn parse_size(s: &str) -> anyhow::Result<(u32, u32)> {
    let bad = || {
        usage(format!(
            "--size '{s}': give width x height in pixels, as 1000x650 (from 200x150 to 10000x10000)"
        ))
    };
    let (w, h) = s.split_once(['x', 'X']).ok_or_else(bad)?;
    let w: u32 = w.trim().parse().map_err(|_| bad())?;
    let h: u32 = h.trim().parse().map_err(|_| bad())?;
    if !(200..=10_000).contains(&w) || !(150..=10_000).contains(&h) {
        return Err(bad());
    }
    Ok((w, h))
}

impl Spec {
    /// Draws the chart in memory (an empty chart is an error, exit 2).
    pub fn render(&self, chart: &Chart) -> anyhow::Result<Rendered> {
        if let Chart::Plot(p) = chart {
            p.check()?;
        }
        let image = chart.render(&self.frame, self.format)?;
        Ok(Rendered {
            image,
            path: self.path.clone(),
            table: chart.table(),
            csv_safe: self.csv_safe,
        })
    }
}

impl Rendered {
    /// Writes the chart and its table, each atomically.
    pub fn write(self) -> anyhow::Result<()> {
        let tsv = self.path.with_extension("tsv");
        let mut out = Output::open(Some(&tsv))?;
        let columns: Vec<&str> =
            self.table.columns.iter().map(String::as_str).collect();
        let mut w = RowWriter::new(out.writer(), Format::Tsv, &columns)?;
        w.csv_safe(self.csv_safe);
        for row in &self.table.rows {
            w.row(row)?;
        }
        w.finish()?;
        let mut img = Output::open(Some(&self.path))?;
        img.writer().write_all(&self.image)?;
        out.finish()?;
        img.finish()?;
        eprintln!(
            "korpus: chart written to {} (data: {})",
            self.path.display(),
            tsv.display()
        );
        Ok(())
    }
}

/// Bars from printed rows: `label` names the label column(s) (joined
/// with a space), `value` the value column, `group` the panel column.
/// Rows whose value is undefined are not drawn (counted in a note).
/// At most `limit` bars per panel: the first rows, in printed order.
/// With `signed_by`, a `-` in that column makes the value negative
/// (keywords of the reference for unsigned measures).
#[allow(clippy::too_many_arguments)]
pub fn bars_from_rows(
    title: String,
    columns: &[&str],
    rows: &[Vec<Cell>],
    label: &[&str],
    value: &str,
    group: Option<&str>,
    limit: usize,
    signed_by: Option<&str>,
) -> anyhow::Result<Bars> {
    let col = |name: &str| column(columns, name);
    let vi = col(value)?;
    let li: Vec<usize> =
        label.iter().map(|l| col(l)).collect::<anyhow::Result<_>>()?;
    let gi = group.map(col).transpose()?;
    let si = signed_by.map(col).transpose()?;
    let mut panels: Vec<Panel> = Vec::new();
    let mut undefined = 0;
    let mut decimals = 0;
    for row in rows {
        let v = match &row[vi] {
            Cell::Int(n) => *n as f64,
            Cell::Float(v, d) if v.is_finite() => {
                decimals = *d;
                *v
            }
            Cell::Str(_) => {
                return Err(usage(format!(
                    "--chart-value '{value}' is not a numeric column"
                )));
            }
            _ => {
                undefined += 1;
                continue;
            }
        };
        let negative =
            si.is_some_and(|i| matches!(&row[i], Cell::Str(s) if s == "-"));
        let v = if negative && v > 0.0 { -v } else { v };
        let text = |c: &Cell| match c {
            Cell::Str(s) => s.clone(),
            Cell::Int(n) => n.to_string(),
            _ => String::new(),
        };
        let name = gi.map(|i| text(&row[i])).unwrap_or_default();
        let item: Vec<String> = li.iter().map(|&i| text(&row[i])).collect();
        if panels.last().is_none_or(|p| p.name != name) {
            panels.push(Panel { name, bars: Vec::new() });
        }
        let p = panels.last_mut().expect("pushed");
        if p.bars.len() < limit {
            p.bars.push((item.join(" "), v));
        }
    }
    if undefined > 0 {
        eprintln!(
            "korpus: note: {undefined} row(s) with an undefined {value} are not drawn"
        );
    }
    if panels.len() > 12 {
        return Err(usage(format!(
            "the chart would have {} panels, one per group: draw at most 12 (select groups with --where)",
            panels.len()
        )));
    }
    if panels.is_empty() {
        panels.push(Panel { name: String::new(), bars: Vec::new() });
    }
    Ok(Bars {
        title,
        axis: axis_label(value),
        column: value.to_string(),
        decimals,
        panels,
        diverging: None,
    })
}

/// The axis label for a column: its meaning and unit.
pub fn axis_label(column: &str) -> String {
    match column {
        "freq" => "frequency (occurrences)".to_string(),
        "per_million" => "frequency per million tokens".to_string(),
        "range" => "range (documents)".to_string(),
        "range_pct" => "range (% of documents)".to_string(),
        "ll" => "log-likelihood G² (signed)".to_string(),
        "log_ratio" => {
            "log ratio (binary log of the ratio of relative frequencies)"
                .to_string()
        }
        "mi" => "MI (log2 O/E)".to_string(),
        "t" => "t-score".to_string(),
        "logdice" => "logDice".to_string(),
        other => other.to_string(),
    }
}

/// The index of the column a chart draws, or a usage error listing the
/// columns.
pub fn column(columns: &[&str], name: &str) -> anyhow::Result<usize> {
    columns.iter().position(|c| *c == name).ok_or_else(|| {
        usage(format!(
            "--chart-value '{name}' is not a column of the table (columns: {})",
            columns.join(", ")
        ))
    })
}

/// How many bars a panel draws: the rows printed, up to --top's N (at
/// most 100), or the first 30 without --top.
pub fn bar_limit(top: Option<usize>) -> usize {
    top.map_or(30, |n| n.min(100))
}

/// A short description of the corpus for default titles.
pub fn corpus_label<T: std::fmt::Display>(inputs: &[T]) -> String {
    let names: Vec<String> = inputs.iter().map(|p| p.to_string()).collect();
    let s = names.join(", ");
    if s.chars().count() > 40 { format!("{} inputs", names.len()) } else { s }
}

/// Writes a rendered chart after the main output, if any.
pub fn finish(rendered: Option<Rendered>) -> anyhow::Result<()> {
    if let Some(r) = rendered {
        r.write()?;
    }
    Ok(())
}
