//! `korpus colloc CORPUS NODE --vs QUERY`: the sketch difference of two
//! nodes ([`korpus::sketch`]) and its chart.

use korpus::chart::{Chart, Network, NetworkEdge};
use korpus::colloc::Collocates;
use korpus::colloc_table::Table;
use korpus::corpus::Corpus;
use korpus::query::Query;
use korpus::sketch::{DiffOptions, Difference, difference};

use super::super::Outcome;
use super::super::args::usage;
use super::super::chart::{self, Spec};
use super::{Ctx, Node};

/// The sketch difference of the node and `vs` (see [`korpus::sketch`]).
pub(super) fn run(
    cx: &Ctx,
    job: &Node,
    corpus: &Corpus,
    a: &Collocates,
    vs: &str,
) -> anyhow::Result<Outcome> {
    let other = Query::parse(vs, &cx.an, cx.args.case_sensitive)
        .map_err(|e| usage(e.render(vs)))?;
    let b = super::cache::collocates_of(
        cx,
        corpus,
        &other,
        &job.opts,
        &mut |_| {},
    )?;
    let Some(measure) = job.sort.measure() else {
        return Err(usage(
            "--vs compares a measure: give --sort a measure, not freq",
        ));
    };
    let o = DiffOptions {
        convention: job.opts.convention,
        measure,
        yates: cx.args.yates,
        min_freq: cx.args.min_freq,
    };
    let d = difference(a, &b, &cx.an, &o);
    let t = d.table(cx.args.top.unwrap_or(usize::MAX));
    let line = format!(
        "node a '{}': {} hits; node b '{vs}': {} hits; ranked by the difference in {}",
        job.node, a.hits, b.hits, measure.name
    );
    let draw = |spec: &Spec, t: &Table| chart(cx, job, vs, &d, t, spec);
    // (No provenance record, as before.)
    cx.emit(t, draw, vec![line], None)?;
    Ok(Outcome::of(&a.report))
}

/// The difference's chart: diverging bars of `diff` (or bars of
/// --chart-value), or the network of both nodes, each with its own
/// strongest collocates (--top N, default 15, at most 50).
fn chart(
    cx: &Ctx,
    job: &Node,
    vs: &str,
    d: &Difference,
    t: &Table,
    spec: &Spec,
) -> anyhow::Result<Chart> {
    let (node_a, node_b) = (job.node, vs);
    let measure = d.measure.name;
    if spec.kind == "network" {
        let per_node = cx.args.top.unwrap_or(15).min(50);
        let what = format!(
            "Collocates of '{node_a}' and '{node_b}' (window L{{L}}–R{{R}})"
        );
        return Ok(Chart::Network(Network {
            title: cx.title(job.inputs, &what),
            nodes: vec![node_a.to_string(), node_b.to_string()],
            measure: measure.to_string(),
            edges: d
                .strongest(per_node)
                .into_iter()
                .map(|(node, r, value)| NetworkEdge {
                    node,
                    collocate: r.item.clone(),
                    value,
                })
                .collect(),
        }));
    }
    let value = spec.value.as_deref().unwrap_or("diff");
    let what = format!("'{node_a}' vs '{node_b}': difference in {measure}");
    let how = chart::BarsFrom {
        title: cx.title(job.inputs, &what),
        label: &["collocate"],
        value,
        group: None,
        limit: usize::MAX,
        signed_by: None,
    };
    let mut b = chart::bars_from_rows(&t.column_names(), &t.rows, &how)?;
    if value == "diff" {
        b.axis = format!("difference in {measure} ({node_a} − {node_b})");
        b.diverging = Some((
            format!("typical of {node_a}"),
            format!("typical of {node_b}"),
        ));
    }
    Ok(Chart::Bars(b))
}
