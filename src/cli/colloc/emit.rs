//! Writing a colloc table and its chart.

use korpus::chart::Chart;
use korpus::colloc_table::Table;
use korpus::report::RowWriter;

use super::super::args::usage;
use super::super::chart::{self, Spec};
use super::Ctx;

impl Ctx<'_> {
    /// Writes the table, and the chart drawn from its rows first (so
    /// that a chart that cannot be drawn leaves no output behind).
    pub(super) fn emit(
        &self,
        t: &Table,
        chart: impl FnOnce(&Spec) -> anyhow::Result<Chart>,
    ) -> anyhow::Result<()> {
        let rendered = match &self.spec {
            Some(s) => Some(s.render(&chart(s)?)?),
            None => None,
        };
        let mut out = self.args.out.open_for(self.backend)?;
        let columns = t.column_names();
        let mut wtr = RowWriter::new(out.writer(), self.format, &columns)?;
        wtr.csv_safe(self.args.out.csv_safe);
        for r in &t.rows {
            wtr.row(r)?;
        }
        wtr.finish()?;
        out.finish()?;
        if self.backend.writes() {
            chart::finish(rendered)?;
        }
        Ok(())
    }

    /// A chart title for `what` in `inputs` (`{L}` and `{R}` become the
    /// window's sides).
    pub(super) fn title(&self, inputs: &[String], what: &str) -> String {
        format!("{what} — {}", chart::corpus_label(inputs))
            .replace("{L}", &self.args.left.to_string())
            .replace("{R}", &self.args.right.to_string())
    }

    /// Bars of the table's rows, by `--chart-value` or `default_value`.
    pub(super) fn bars(
        &self,
        spec: &Spec,
        title: String,
        t: &Table,
        label: &[&str],
        default_value: &str,
        grouped: bool,
    ) -> anyhow::Result<Chart> {
        if spec.kind == "network" {
            return Err(usage(
                "--chart-kind network draws one or two nodes: not with --all, --by or --convention nltk",
            ));
        }
        let value = spec.value.as_deref().unwrap_or(default_value);
        let how = chart::BarsFrom {
            title,
            label,
            value,
            group: grouped.then_some("group"),
            limit: chart::bar_limit(self.args.top),
            signed_by: None,
        };
        let b = chart::bars_from_rows(&t.column_names(), &t.rows, &how)?;
        Ok(Chart::Bars(b))
    }
}
