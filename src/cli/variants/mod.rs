//! `korpus variants`: variant alternation per group.

mod args;

pub use args::Args;

use korpus::analyze::{Analyzer, ClassSet};
use korpus::chart::{Chart, ShareSet, ShareStyle, Shares};
use korpus::corpus::ReadReport;
use korpus::query::Query;
use korpus::report::Table;
use korpus::variants::{self, Alternation, Sample};

use super::Outcome;
use super::args::{settings, usage};
use super::chart;
use super::output::{self, Body, Emission, Provenance};

/// Runs the command.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let format = args.out.format()?;
    let spec = args.chart.spec(&["stacked", "lines"], &args.out)?;
    if spec.is_some() && (args.test || args.examples.is_some()) {
        return Err(usage(
            "--chart draws the shares: not with --test or --examples",
        ));
    }
    let an = args.analyze.build(ClassSet::countable())?;
    let (filter, by) = args.sub.build()?;
    let queries: Vec<Query> = args
        .sets
        .iter()
        .map(|s| {
            Query::parse(s, &an, args.case_sensitive)
                .map_err(|e| usage(e.render(s)))
        })
        .collect::<anyhow::Result<_>>()?;
    let corpus = args.corpus.open(args.out.provenance.is_some())?;
    let mut results = Vec::new();
    for (i, q) in queries.iter().enumerate() {
        let warn: &mut dyn FnMut(&korpus::corpus::Warning) =
            if i == 0 { &mut output::warn } else { &mut |_| {} };
        results
            .push(variants::alternation(&corpus, &an, &filter, &by, q, warn)?);
    }
    let lines = spec.as_ref().is_some_and(|s| s.kind == "lines");
    let shares = args.shares(&results, lines);
    let table = if let Some(n) = args.examples {
        let sample = Sample { per_group: n, seed: args.seed };
        let mut t = Table::new(variants::EXAMPLE_COLUMNS);
        for (set, q) in args.sets.iter().zip(&queries) {
            let lines =
                variants::examples(&corpus, &an, &filter, &by, q, sample)?;
            for (name, l) in &lines {
                t.push(variants::example_cells(set, name, l));
            }
        }
        t
    } else if args.test {
        let mut t = Table::new(variants::TEST_COLUMNS);
        for (set, r) in args.sets.iter().zip(&results) {
            t.push(variants::test_cells(set, r));
        }
        t
    } else {
        shares.table()
    };
    let emitted = Emission {
        body: Body::Table(table),
        chart: spec.as_ref().map(|s| (s, Chart::Shares(shares))),
        provenance: Some(args.provenance(&an, &results[0].report)),
        summary: args.summary(&results),
        writes: true,
    };
    output::emit(&args.out, format, emitted)?;
    Ok(Outcome::of(&results[0].report))
}

impl Args {
    /// The shares of each --set, as the chart and the table show them.
    fn shares(&self, results: &[Alternation], lines: bool) -> Shares {
        Shares {
            title: format!(
                "Variant shares — {}",
                chart::corpus_label(&self.corpus.inputs)
            ),
            style: if lines { ShareStyle::Lines } else { ShareStyle::Stacked },
            sets: self
                .sets
                .iter()
                .zip(results)
                .map(|(set, r)| ShareSet {
                    name: set.clone(),
                    variants: r.variants.clone(),
                    groups: r.groups.clone(),
                })
                .collect(),
        }
    }

    /// The tests, one line each, for stderr.
    fn summary(&self, results: &[Alternation]) -> Vec<String> {
        self
            .sets
            .iter()
            .zip(results)
            .map(|(set, r)| {
                let v = r
                    .test
                    .cramers_v
                    .map_or("undefined".to_string(), |v| format!("{v:.4}"));
                format!(
                    "{set}: G² {:.4}, χ² {:.4}, df {}, p {:.3e}, Cramér's V {v}",
                    r.test.g2, r.test.chi2, r.test.df, r.test.p_g2
                )
            })
            .collect()
    }

    /// The provenance record's settings.
    fn provenance<'r>(
        &self,
        an: &Analyzer,
        report: &'r ReadReport,
    ) -> Provenance<'r> {
        let settings = settings(
            "variants",
            &self.corpus.read,
            &self.analyze,
            an,
            &self.sub,
            serde_json::json!({"sets": self.sets, "case_sensitive": self.case_sensitive}),
        );
        Provenance { report, settings, counts: serde_json::json!({}) }
    }
}
