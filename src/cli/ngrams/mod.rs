//! `korpus ngrams`: n-gram lists and clusters around a node.

mod args;

use std::ops::RangeInclusive;

use korpus::analyze::{Analyzer, ClassSet};
use korpus::corpus::{Corpus, ReadReport, Warning};
use korpus::dist::Backend;
use korpus::freq::FreqOptions;
use korpus::meta::{DocFilter, GroupBy};
use korpus::ngrams;
use korpus::pivot::Selection;
use korpus::report::{Cell, Table};
use korpus::scan::Subcorpus;
use korpus::tables;

use super::Outcome;
use super::args::{settings, usage};
use super::output::{self, Body, Emission, Provenance};
pub use args::Args;
use args::lengths;

/// Runs the command.
pub fn run(args: Args, backend: &Backend) -> anyhow::Result<Outcome> {
    let format = args.out.format()?;
    let Some(range) = lengths(&args.size) else {
        return Err(usage(format!(
            "-n '{}': give N or MIN..MAX, from 1 to 16",
            args.size
        )));
    };
    let an = args.analyze.build(ClassSet::countable())?;
    let (filter, by) = args.sub.build()?;
    if by.is_grouped() {
        return Err(usage("ngrams does not group; use freq -n N --by FIELD"));
    }
    let corpus = args.corpus.open(args.out.provenance.is_some())?;
    let sel = Selection {
        min_freq: args.min_freq,
        top: args.top,
        stopwords: Some(&an),
    };
    let job = Job {
        args: &args,
        corpus: &corpus,
        an: &an,
        filter: &filter,
        by: &by,
        backend,
    };
    let (table, hits) = match &args.around {
        Some(q) => clusters(&job, q, range, sel)?,
        None => (lists(&job, range, sel)?, None),
    };
    let (body, report) = table;
    let summary = hits.map(|n| {
        format!("{n} hits of '{}'", args.around.as_deref().unwrap_or(""))
    });
    let provenance = args.out.provenance.is_some().then(|| {
        let extra = serde_json::json!({"size": args.size, "around": args.around, "min_freq": args.min_freq, "top": args.top});
        let (read, sub) = (&args.corpus.read, &args.sub);
        let settings =
            settings("ngrams", read, &args.analyze, &an, sub, extra);
        let counts = serde_json::json!({});
        Provenance { report: &report, settings, counts }
    });
    let writes = backend.writes();
    let emitted = Emission {
        body: Body::Table(body),
        chart: None,
        provenance,
        summary: summary.into_iter().collect(),
        writes,
    };
    output::emit(&args.out, format, emitted)?;
    output::note_ignored(&report);
    Ok(Outcome::of(&report))
}

/// What both forms of the command read and how they write.
struct Job<'a> {
    args: &'a Args,
    corpus: &'a Corpus,
    an: &'a Analyzer,
    filter: &'a DocFilter,
    by: &'a GroupBy,
    backend: &'a Backend,
}

/// Writes the clusters around the query `q`.
fn clusters(
    job: &Job,
    q: &str,
    range: RangeInclusive<usize>,
    sel: Selection,
) -> anyhow::Result<((Table, ReadReport), Option<u64>)> {
    if job.backend.is_distributed() {
        return Err(usage(
            "ngrams --around is not distributed: run it without korpus dist",
        ));
    }
    let query = korpus::query::Query::parse(q, job.an, false)
        .map_err(|e| usage(e.render(q)))?;
    let cross = job.args.cross_sentences;
    let warn = &mut output::warn;
    let (corpus, an, filter) = (job.corpus, job.an, job.filter);
    let c = ngrams::clusters(corpus, an, filter, &query, range, cross, warn)?;
    let mut table = Table::new(tables::CLUSTER_COLUMNS);
    for (rank, x) in sel.apply(&c.clusters, |x| (&x.item, x.freq)) {
        table.push(tables::cluster_cells(rank, x));
    }
    Ok(((table, c.report), Some(c.hits)))
}

/// Writes a list of each length of `range`; the corpus is read once per
/// length (the warnings shown once).
fn lists(
    job: &Job,
    range: RangeInclusive<usize>,
    sel: Selection,
) -> anyhow::Result<(Table, ReadReport)> {
    let mut table = Table::new(tables::ngram_columns());
    let mut last = None;
    for n in range {
        let opts = FreqOptions {
            ngram: n,
            dp: true,
            cross_sentences: job.args.cross_sentences,
        };
        let warn: &mut dyn FnMut(&Warning) =
            if last.is_none() { &mut output::warn } else { &mut |_| {} };
        let sub = Subcorpus {
            corpus: job.corpus,
            analyzer: job.an,
            filter: job.filter,
        };
        let mut read = sub.job(job.by, job.backend, warn);
        let list = korpus::freq::count_on(&mut read, &opts)?;
        for (rank, r) in sel.apply(&list.groups[0].rows, |r| (&r.item, r.freq))
        {
            let mut cells = vec![Cell::Int(n as u64)];
            cells.extend(tables::freq_row(None, rank, r));
            table.push(cells);
        }
        last = Some(list.report);
    }
    Ok((table, last.expect("at least one length")))
}
