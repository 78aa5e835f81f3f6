//! `--chart FILE`: the chart options shared by the commands that draw,
//! and the glue from printed rows to a [`korpus::chart::Chart`].
//!
//! One design for every command: the command prints its table as usual
//! and, with `--chart FILE`, also draws those rows to FILE (`.svg` or
//! `.png`, by the extension) and writes the rows drawn to FILE with the
//! extension `.tsv` beside it. Both files are written atomically, after
//! the chart was drawn in memory: a failure leaves neither behind.

use std::path::PathBuf;

pub use korpus::chart::BarsFrom;
use korpus::chart::{Bars, BarsError, Frame, ImageFormat, MAX_PANELS};
use korpus::report::Cell;

use super::args::usage;
use super::output::OutputArgs;
pub use super::output::Spec;

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

/// Bars from printed rows ([`Bars::from_rows`]): rows whose value is
/// undefined are not drawn (counted in a note), and more than
/// [`MAX_PANELS`] panels (one per group) is a usage error.
pub fn bars_from_rows(
    columns: &[&str],
    rows: &[Vec<Cell>],
    how: &BarsFrom<'_>,
) -> anyhow::Result<Bars> {
    let (bars, undefined) =
        Bars::from_rows(columns, rows, how).map_err(|e| match e {
            BarsError::NoColumn(name, _) => no_column(columns, &name),
            BarsError::NotNumeric(value) => usage(format!(
                "--chart-value '{value}' is not a numeric column"
            )),
        })?;
    if undefined > 0 {
        eprintln!(
            "korpus: note: {undefined} row(s) with an undefined {} are not drawn",
            how.value
        );
    }
    if bars.panels.len() > MAX_PANELS {
        return Err(usage(format!(
            "the chart would have {} panels, one per group: draw at most {MAX_PANELS} (select groups with --where)",
            bars.panels.len()
        )));
    }
    Ok(bars)
}

/// The index of the column a chart draws, or a usage error listing the
/// columns.
pub fn column(columns: &[&str], name: &str) -> anyhow::Result<usize> {
    columns
        .iter()
        .position(|c| *c == name)
        .ok_or_else(|| no_column(columns, name))
}

fn no_column(columns: &[&str], name: &str) -> anyhow::Error {
    usage(format!(
        "--chart-value '{name}' is not a column of the table (columns: {})",
        columns.join(", ")
    ))
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
