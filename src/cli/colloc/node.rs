//! `korpus colloc CORPUS NODE`: a node's collocates (per group with
//! --by), or the sketch difference of two nodes with --vs.

use korpus::chart::{Chart, Network, NetworkEdge};
use korpus::colloc::Collocates;
use korpus::colloc_table::{RankOptions, Table};
use korpus::corpus::ReadReport;
use korpus::report::Cell;

use super::super::Outcome;
use super::super::args::settings;
use super::super::chart::{self, Spec};
use super::super::output::{self, Provenance};
use super::{Ctx, Node};

/// Counts the node's collocates and writes their table (or, with --vs,
/// the sketch difference).
pub(super) fn run(cx: &Ctx, job: &Node) -> anyhow::Result<Outcome> {
    let args = cx.args;
    let corpus = args.read.open(job.inputs, args.out.provenance.is_some())?;
    if args.vs.is_some() {
        corpus.keep_stdin(); // read again for the second node
    }
    let (groups, report) = super::cache::count(cx, job, &corpus)?;
    output::note_ignored(&report);
    if let Some(vs) = &args.vs {
        // (--vs is not with --by: one group, the whole corpus.)
        return super::difference::run(cx, job, &corpus, &groups[0].1, vs);
    }
    let grouped = job.by.is_grouped();
    let o = RankOptions {
        convention: job.opts.convention,
        sort: job.sort,
        shown: job.shown.clone(),
        yates: args.yates,
        min_freq: args.min_freq,
        min_coll_freq: args.min_coll_freq,
        top: args.top.unwrap_or(usize::MAX),
        positions: args.positions.then_some((args.left, args.right)),
    };
    let t = korpus::colloc_table::table(&groups, grouped, &cx.an, &o);
    let (lines, provenance) =
        summary(cx, job, &groups, &report, t.rows.is_empty());
    let chart = |spec: &Spec, t: &Table| node_chart(cx, job, t, spec, grouped);
    cx.emit(t, chart, lines, Some(provenance))?;
    Ok(Outcome::of(&report))
}

/// The summary line, a note when no row is printed, and the
/// provenance record.
fn summary<'r>(
    cx: &Ctx,
    job: &Node,
    groups: &[(String, Collocates)],
    report: &'r ReadReport,
    no_rows: bool,
) -> (Vec<String>, Provenance<'r>) {
    let args = cx.args;
    let grouped = job.by.is_grouped();
    let (hits, slots, tokens) =
        groups.iter().fold((0, 0, 0), |(h, s, t), (_, c)| {
            (h + c.hits, s + c.slots, t + c.tokens)
        });
    let mut lines = vec![format!(
        "{hits} hits of the node, {slots} window slots, {tokens} tokens{}; {} convention, windows within {}",
        if grouped { " in the groups where the node occurs" } else { "" },
        args.convention,
        args.within
    )];
    if hits == 0 {
        lines.push(format!(
            "note: the node '{}' never occurs: no collocates (exit 0, as kwic and dispersion with no hits)",
            job.node
        ));
    } else if no_rows {
        lines.push(
            "note: no collocate passes the thresholds (--min-freq, --min-coll-freq, --stopwords)".to_string(),
        );
    }
    let settings = settings(
        "colloc",
        &args.read,
        &args.analyze,
        &cx.an,
        &args.sub,
        serde_json::json!({
            "node": job.node, "left": args.left, "right": args.right, "within": args.within,
            "convention": args.convention, "measures": args.measure, "sort": args.sort,
            "yates": args.yates, "min_freq": args.min_freq, "min_coll_freq": args.min_coll_freq,
        }),
    );
    let counts = serde_json::json!({"hits": hits, "slots": slots, "tokens": tokens, "groups": groups.len()});
    (lines, Provenance { report, settings, counts })
}

/// The chart of a node's table: bars, or the network of the node and
/// the collocates printed (not with --by).
fn node_chart(
    cx: &Ctx,
    job: &Node,
    t: &Table,
    spec: &Spec,
    grouped: bool,
) -> anyhow::Result<Chart> {
    let args = cx.args;
    let columns = t.column_names();
    let default = if columns.contains(&args.sort.as_str()) {
        args.sort.as_str()
    } else {
        "freq"
    };
    let value = spec.value.as_deref().unwrap_or(default).to_string();
    let what = format!(
        "Collocates of '{}' (window L{{L}}–R{{R}}, {} convention)",
        job.node, args.convention
    );
    let title = cx.title(job.inputs, &what);
    if spec.kind != "network" || grouped {
        return cx.bars(spec, title, t, &["collocate"], &value, grouped);
    }
    let vi = chart::column(&columns, &value)?;
    let edges = t
        .rows
        .iter()
        .take(chart::bar_limit(args.top))
        .filter_map(|r| {
            let v = match &r[vi] {
                Cell::Int(n) => *n as f64,
                Cell::Float(v, _) if v.is_finite() => *v,
                _ => return None,
            };
            let Cell::Str(item) = &r[1] else { return None };
            Some(NetworkEdge { node: 0, collocate: item.clone(), value: v })
        })
        .collect();
    Ok(Chart::Network(Network {
        title,
        nodes: vec![job.node.to_string()],
        measure: value,
        edges,
    }))
}
