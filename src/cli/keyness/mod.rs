//! `korpus keyness`: keywords of a target against a reference.

mod args;
mod count;

pub use args::Args;

use korpus::analyze::{Analyzer, ClassSet};
use korpus::chart::Chart;
use korpus::corpus::ReadReport;
use korpus::dist::Backend;
use korpus::keyness::{self, Keywords};
use korpus::report::Table;
use korpus::stopwords::Stoplist;

use super::Outcome;
use super::args::{settings, usage};
use super::chart::{self, Spec};
use super::output::{self, Body, Emission, Provenance};

/// Runs the command.
pub fn run(args: Args, backend: &Backend) -> anyhow::Result<Outcome> {
    let format = args.out.format()?;
    let spec = args.chart.spec(&["bars"], &args.out)?;
    let an = args.analyze.build(ClassSet::countable())?;
    let (filter, by) = args.sub.build()?;
    if by.is_grouped()
        && (!args.target.is_empty() || !args.reference.is_empty())
    {
        return Err(usage(
            "with --by, each group is compared with the rest of the corpus: give no --target or --ref",
        ));
    }
    let (kopts, sel) = args.options()?;
    let (comparisons, report, skipped) =
        count::count(&args, backend, &an, &filter, &by)?;
    let grouped = comparisons.is_grouped();
    let mut table = Table::new(keyness::columns(grouped));
    let mut summaries: Vec<(String, Keywords)> = Vec::new();
    comparisons.try_for_each(
        &kopts,
        |group, mut k| -> anyhow::Result<()> {
            for (rank, w) in keyness::select(&k, &sel, Stoplist::of(&an)) {
                table.push(keyness::cells(grouped.then_some(group), rank, w));
            }
            k.rows = Vec::new(); // its summary is kept, not its rows
            summaries.push((group.to_string(), k));
            Ok(())
        },
    )?;
    let chart = match &spec {
        Some(spec) => Some((spec, args.chart_of(spec, &table, grouped)?)),
        None => None,
    };
    let lines: Vec<String> = summaries
        .iter()
        .map(|(group, k)| {
            let label =
                if grouped { format!("{group}: ") } else { String::new() };
            format!("{label}{}", k.summary(&kopts))
        })
        .collect();
    let emitted = Emission {
        body: Body::Table(table),
        chart,
        provenance: Some(args.provenance(&an, &report, &summaries)),
        summary: lines,
        writes: backend.writes(),
    };
    output::emit(&args.out, format, emitted)?;
    Ok(Outcome { skipped, partly: report.partly_read() })
}

impl Args {
    /// The diverging bars of the rows (`--chart`).
    fn chart_of(
        &self,
        spec: &Spec,
        table: &Table,
        grouped: bool,
    ) -> anyhow::Result<Chart> {
        let value = spec.value.as_deref().unwrap_or(&self.sort);
        let how = chart::BarsFrom {
            title: format!(
                "Keywords by {value} — {}",
                chart::corpus_label(&self.corpus.inputs)
            ),
            label: &["item"],
            value,
            group: grouped.then_some("group"),
            limit: chart::bar_limit(self.top.map(|n| 2 * n)),
            signed_by: Some("direction"),
        };
        let mut b =
            chart::bars_from_rows(&table.column_names(), &table.rows, &how)?;
        b.diverging = Some((
            "more frequent in the target".to_string(),
            "more frequent in the reference".to_string(),
        ));
        Ok(Chart::Bars(b))
    }

    /// The provenance record's settings and counts.
    fn provenance<'r>(
        &self,
        an: &Analyzer,
        report: &'r ReadReport,
        summaries: &[(String, Keywords)],
    ) -> Provenance<'r> {
        let settings = settings(
            "keyness",
            &self.corpus.read,
            &self.analyze,
            an,
            &self.sub,
            serde_json::json!({
                "target": self.target, "ref": self.reference, "ll": self.ll, "yates": self.yates,
                "stat": self.stat, "k": self.k, "alpha": self.alpha, "correction": self.correction,
                "min_freq": self.min_freq,
            }),
        );
        let counts: Vec<serde_json::Value> = summaries
            .iter()
            .map(|(g, k)| {
                serde_json::json!({"group": g, "target_tokens": k.target_tokens, "ref_tokens": k.ref_tokens, "tested": k.tested, "alpha_corrected": k.alpha_corrected})
            })
            .collect();
        Provenance { report, settings, counts: serde_json::json!(counts) }
    }
}
