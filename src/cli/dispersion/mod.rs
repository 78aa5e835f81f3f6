//! `korpus dispersion`: where the hits of a query fall.

mod args;

use korpus::analyze::ClassSet;
use korpus::chart::{Chart, ConcordancePlot};
use korpus::dispersion::{self, QueryDispersion};
use korpus::report::Table;
use korpus::tables;

use super::Outcome;
use super::args::{settings, usage};
use super::chart;
use super::output::{self, Body, Emission, Provenance};
pub use args::Args;

/// The queries and their results.
struct Results<'a> {
    texts: &'a [String],
    results: &'a [QueryDispersion],
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
    let r = Results { texts: &texts, results: &results };
    let chart = spec.as_ref().map(|spec| (spec, plot(&args, &r)));
    let table = table(&args, &r);
    let provenance = args.out.provenance.is_some().then(|| {
        let extra = serde_json::json!({
            "query": args.q.query,
            "vs": args.vs,
            "parts": if by.is_grouped() { "groups" } else { "documents" },
        });
        let (read, sub) = (&args.corpus.read, &args.sub);
        let settings =
            settings("dispersion", read, &args.analyze, &an, sub, extra);
        let counts: Vec<serde_json::Value> = texts
            .iter()
            .zip(&results)
            .map(|(t, d)| serde_json::json!({"query": t, "hits": d.hits, "tokens": d.tokens, "parts": d.parts.len(), "range": d.range}))
            .collect();
        let counts = serde_json::json!(counts);
        Provenance { report: &results[0].report, settings, counts }
    });
    let body = Body::Table(table);
    let emitted = Emission {
        body,
        chart,
        provenance,
        summary: vec![summary(&r)],
        writes: true,
    };
    output::emit(&args.out, format, emitted)?;
    Ok(Outcome::of(&results[0].report))
}

/// The concordance plot: a row per part with a hit.
fn plot(args: &Args, r: &Results) -> Chart {
    Chart::Plot(ConcordancePlot {
        title: format!(
            "Concordance plot — {}",
            chart::corpus_label(&args.corpus.inputs)
        ),
        queries: r.texts.to_vec(),
        rows: tables::plot_rows(r.results),
    })
}

/// The summary rows (`--summary`) or the parts.
fn table(args: &Args, r: &Results) -> Table {
    let several = r.texts.len() > 1;
    let columns = if args.summary {
        tables::DISPERSION_SUMMARY_COLUMNS.to_vec()
    } else {
        tables::dispersion_part_columns(several)
    };
    let mut table = Table::new(columns);
    for (text, d) in r.texts.iter().zip(r.results) {
        if args.summary {
            table.push(tables::dispersion_summary(text, d));
            continue;
        }
        let query = several.then_some(text.as_str());
        for p in
            d.parts.iter().filter(|p| args.all_parts || !p.hits.is_empty())
        {
            table.push(tables::dispersion_part(query, p));
        }
    }
    table
}

/// The measures of each query, a line each (for stderr).
fn summary(r: &Results) -> String {
    let several = r.texts.len() > 1;
    let lines: Vec<String> = r
        .texts
        .iter()
        .zip(r.results)
        .map(|(text, d)| {
            tables::dispersion_line(several.then_some(text.as_str()), d)
        })
        .collect();
    lines.join("\n")
}
