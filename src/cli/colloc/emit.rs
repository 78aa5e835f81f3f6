//! Writing a colloc table and its chart.

use korpus::chart::Chart;
use korpus::colloc_table::Table;

use super::super::args::usage;
use super::super::chart::{self, Spec};
use super::super::output::{self, Body, Emission, Provenance};
use super::Ctx;

impl Ctx<'_> {
    /// Writes the table, its chart (drawn first: one that cannot be
    /// drawn leaves no output behind), the summary lines and the
    /// provenance record, through [`output::emit`].
    pub(super) fn emit(
        &self,
        t: Table,
        chart: impl FnOnce(&Spec, &Table) -> anyhow::Result<Chart>,
        summary: Vec<String>,
        provenance: Option<Provenance<'_>>,
    ) -> anyhow::Result<()> {
        let chart = match &self.spec {
            Some(s) => Some((s, chart(s, &t)?)),
            None => None,
        };
        let emitted = Emission {
            body: Body::Table(t),
            chart,
            provenance,
            summary,
            writes: self.backend.writes(),
        };
        output::emit(&self.args.out, self.format, emitted)
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
