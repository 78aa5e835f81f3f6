//! `korpus variants`: variant alternation per group.

use korpus::analyze::ClassSet;
use korpus::kwic::{self, KwicOptions};
use korpus::query::Query;
use korpus::report::{Cell, RowWriter};
use korpus::variants;

use super::Outcome;
use super::args::{AnalyzeArgs, CorpusArgs, SubcorpusArgs, settings, usage};
use super::chart::{self, ChartArgs};
use super::output::{self, OutputArgs};
use korpus::chart::{Chart, ShareSet, ShareStyle, Shares};

/// How a variable's variants alternate across groups: for each --set
/// (`Tiongkok|China|Cina|RRT`; a variant may be a phrase or any query)
/// and each group (--by year, source, doc, ...; the whole corpus without
/// --by), the count and share of each variant with a 95% Wilson
/// interval, and the group total.
///
/// Columns: set, group, variant, count, share, ci_low, ci_high, total
/// (or example lines with --examples).
/// The test of independence across groups (G², χ², df, p, Cramér's V;
/// with --test, `groups` counts the groups that enter it, those with an
/// occurrence) goes to stderr, or is the output with --test.
///
/// Charts (--chart FILE): `stacked` (one bar per group, its variants
/// stacked to 100%) or `lines` (a line per variant across the groups,
/// with the 95% Wilson interval of each share); a panel per --set.
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

    /// A variable: its variants separated by | (repeat for more).
    #[arg(long = "set", required = true, value_name = "A|B|...")]
    sets: Vec<String>,

    /// Match surface forms (case and all).
    #[arg(long)]
    case_sensitive: bool,

    /// Print the tests of independence instead of the shares.
    #[arg(long)]
    test: bool,

    /// Print instead up to N concordance lines per variant per group,
    /// a reproducible sample (--seed): columns set, group, variant, doc,
    /// position, left, node, right.
    #[arg(long, value_name = "N", conflicts_with = "test")]
    examples: Option<usize>,

    /// Seed of --examples.
    #[arg(long, default_value_t = 1, value_name = "S")]
    seed: u64,

    #[command(flatten)]
    chart: ChartArgs,
}

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
    let shares = Shares {
        title: format!(
            "Variant shares — {}",
            chart::corpus_label(&args.corpus.inputs)
        ),
        style: if spec.as_ref().is_some_and(|s| s.kind == "lines") {
            ShareStyle::Lines
        } else {
            ShareStyle::Stacked
        },
        sets: args
            .sets
            .iter()
            .zip(&results)
            .map(|(set, r)| ShareSet {
                name: set.clone(),
                variants: r.variants.clone(),
                groups: r.groups.clone(),
            })
            .collect(),
    };
    let rendered = match &spec {
        Some(spec) => Some(spec.render(&Chart::Shares(shares.clone()))?),
        None => None,
    };
    let mut out = args.out.open()?;
    if let Some(n) = args.examples {
        let columns = [
            "set", "group", "variant", "doc", "position", "left", "node",
            "right",
        ];
        let mut wtr = RowWriter::new(out.writer(), format, &columns)?;
        wtr.csv_safe(args.out.csv_safe);
        for (set, (q, r)) in args.sets.iter().zip(queries.iter().zip(&results))
        {
            for (alt, name) in q.alternatives.iter().zip(&r.variants) {
                let variant = Query {
                    alternatives: vec![alt.clone()],
                    case_sensitive: q.case_sensitive,
                    source: name.clone(),
                };
                let opts =
                    KwicOptions { by: by.clone(), ..KwicOptions::default() };
                let mut lines = Vec::new();
                kwic::concordance(
                    &corpus,
                    &an,
                    &filter,
                    &variant,
                    &opts,
                    &mut |_| {},
                    &mut |l| {
                        lines.push(l.clone());
                        Ok(())
                    },
                )?;
                // Per group, the n lines with the smallest sample keys, in
                // corpus order.
                lines.sort_by(|a, b| {
                    a.group.as_bytes().cmp(b.group.as_bytes()).then(
                        kwic::sample_key(args.seed, &a.doc, a.position).cmp(
                            &kwic::sample_key(args.seed, &b.doc, b.position),
                        ),
                    )
                });
                let mut picked = Vec::new();
                for chunk in lines.chunk_by(|a, b| a.group == b.group) {
                    let mut take: Vec<_> = chunk.iter().take(n).collect();
                    take.sort_by_key(|l| (l.doc_index, l.position));
                    picked.extend(take);
                }
                for l in picked {
                    wtr.row(&[
                        Cell::Str(set.clone()),
                        Cell::Str(l.group.clone()),
                        Cell::Str(name.clone()),
                        Cell::Str(l.doc.to_string()),
                        Cell::Int(l.position),
                        Cell::Str(l.left.clone()),
                        Cell::Str(l.node.clone()),
                        Cell::Str(l.right.clone()),
                    ])?;
                }
            }
        }
        wtr.finish()?;
    } else if args.test {
        let columns = [
            "set",
            "groups",
            "total",
            "g2",
            "chi2",
            "df",
            "p_g2",
            "p_chi2",
            "cramers_v",
        ];
        let mut wtr = RowWriter::new(out.writer(), format, &columns)?;
        wtr.csv_safe(args.out.csv_safe);
        for (set, r) in args.sets.iter().zip(&results) {
            let total: u64 = r.groups.iter().flat_map(|(_, c)| c).sum();
            wtr.row(&[
                Cell::Str(set.clone()),
                Cell::Int(r.test.groups),
                Cell::Int(total),
                Cell::Float(r.test.g2, 4),
                Cell::Float(r.test.chi2, 4),
                Cell::Int(r.test.df),
                Cell::Float(r.test.p_g2, 6),
                Cell::Float(r.test.p_chi2, 6),
                Cell::opt(r.test.cramers_v, 4),
            ])?;
        }
        wtr.finish()?;
    } else {
        let table = shares.table();
        let columns: Vec<&str> =
            table.columns.iter().map(String::as_str).collect();
        let mut wtr = RowWriter::new(out.writer(), format, &columns)?;
        wtr.csv_safe(args.out.csv_safe);
        for row in &table.rows {
            wtr.row(row)?;
        }
        wtr.finish()?;
    }
    out.finish()?;
    chart::finish(rendered)?;
    for (set, r) in args.sets.iter().zip(&results) {
        let v = r
            .test
            .cramers_v
            .map_or("undefined".to_string(), |v| format!("{v:.4}"));
        eprintln!(
            "korpus: {set}: G² {:.4}, χ² {:.4}, df {}, p {:.3e}, Cramér's V {v}",
            r.test.g2, r.test.chi2, r.test.df, r.test.p_g2
        );
    }
    let report = &results[0].report;
    if let Some(path) = &args.out.provenance {
        let settings = settings(
            "variants",
            &args.corpus.read,
            &args.analyze,
            &an,
            &args.sub,
            serde_json::json!({"sets": args.sets, "case_sensitive": args.case_sensitive}),
        );
        output::write_provenance(
            path,
            report,
            settings,
            serde_json::json!({}),
        )?;
    }
    Ok(Outcome { skipped: report.skipped_records })
}
