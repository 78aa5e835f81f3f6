//! `korpus freq`: the frequency list.

mod args;
mod table;

use korpus::analyze::{Analyzer, ClassSet};
use korpus::dist::Backend;
use korpus::freq::{FreqList, FreqOptions};
use korpus::pivot::Selection;
use korpus::scan::Subcorpus;

use super::Outcome;
use super::args::{settings, usage};
use super::output::{self, Body, Emission, Provenance, Tail};
pub use args::Args;
use table::{Table, draw, long_rows, write};

/// Runs the command.
pub fn run(args: Args, backend: &Backend) -> anyhow::Result<Outcome> {
    if args.ngram == 0 || args.ngram > 16 {
        return Err(usage("--ngram must be from 1 to 16"));
    }
    let format = args.out.format()?;
    let spec = args.chart.spec(&["bars", "zipf"], &args.out)?;
    let an = args.analyze.build(ClassSet::countable())?;
    let (filter, by) = args.sub.build()?;
    let corpus = args.corpus.open(args.out.provenance.is_some())?;
    let opts = FreqOptions {
        ngram: args.ngram,
        dp: !args.no_dp,
        cross_sentences: args.cross_sentences,
    };
    let sub = Subcorpus { corpus: &corpus, analyzer: &an, filter: &filter };
    let warn = &mut output::warn;
    let mut job = sub.job(&by, backend, warn);
    let list = korpus::freq::count_on(&mut job, &opts)?;
    output::note_ignored(&list.report);
    let t = Table {
        list: &list,
        sel: Selection {
            min_freq: args.min_freq,
            top: args.top,
            stopwords: Some(&an),
        },
        grouped: by.is_grouped(),
        format,
        csv_safe: args.out.csv_safe,
    };
    // With a chart, the rows printed are held to draw it first: a chart
    // that cannot be drawn leaves no output. Without, they stream.
    let kept = spec.as_ref().map(|_| long_rows(&t));
    let chart = match (&spec, &kept) {
        (Some(spec), Some(kept)) => Some((spec, draw(spec, &args, &t, kept)?)),
        _ => None,
    };
    let summary = output::stderr_is_terminal().then(|| {
        let tokens: u64 = list.groups.iter().map(|g| g.tokens).sum();
        format!(
            "{} documents, {} tokens counted, {} groups",
            list.report.documents - list.filtered_out,
            tokens,
            list.groups.len()
        )
    });
    let provenance =
        args.out.provenance.is_some().then(|| provenance(&args, &an, &list));
    let wide = args.wide;
    let body = Body::Rows(Box::new(move |w| {
        write(&t, wide, kept, w)?;
        Ok(Tail::default())
    }));
    let writes = backend.writes();
    let summary = summary.into_iter().collect();
    let emitted = Emission { body, chart, provenance, summary, writes };
    output::emit(&args.out, format, emitted)?;
    Ok(Outcome::of(&list.report))
}

/// The provenance record's parts.
fn provenance<'a>(
    args: &Args,
    an: &Analyzer,
    list: &'a FreqList,
) -> Provenance<'a> {
    let groups: Vec<serde_json::Value> = list
        .groups
        .iter()
        .map(|g| {
            serde_json::json!({
                "group": g.group, "tokens": g.tokens, "types": g.types,
                "documents_with_tokens": g.parts, "documents_without_tokens": g.empty_docs,
            })
        })
        .collect();
    let extra = serde_json::json!({
        "ngram": args.ngram,
        "min_freq": args.min_freq,
        "top": args.top,
        "dp": !args.no_dp,
        "row_order": "freq descending, then item ascending (bytes)",
    });
    let (read, sub) = (&args.corpus.read, &args.sub);
    let settings = settings("freq", read, &args.analyze, an, sub, extra);
    let counts = serde_json::json!({ "filtered_out": list.filtered_out, "groups": groups });
    Provenance { report: &list.report, settings, counts }
}
