//! `korpus ngrams`: n-gram lists and clusters around a node.

use std::io::Write;
use std::ops::RangeInclusive;

use korpus::analyze::{Analyzer, ClassSet};
use korpus::corpus::{Corpus, ReadReport, Warning};
use korpus::dist::{Backend, Subcorpus};
use korpus::freq::FreqOptions;
use korpus::meta::{DocFilter, GroupBy};
use korpus::ngrams;
use korpus::pivot::Selection;
use korpus::report::{Cell, Format, RowWriter};
use korpus::tables;

use super::Outcome;
use super::args::{AnalyzeArgs, CorpusArgs, SubcorpusArgs, settings, usage};
use super::output::{self, OutputArgs};

/// N-gram lists, or with --around the clusters that contain a node.
///
/// Without --around: for each length, a frequency list of n-grams
/// (columns n, rank, item, freq, per_million, range, range_pct,
/// juilland_d, dp, dp_norm, as in `korpus freq -n`); the corpus is read
/// once per length. With --around QUERY: every n-gram that holds a match
/// of QUERY, with the node's position in it (columns rank, n, cluster,
/// node_position, freq, range), as AntConc's Clusters. N-grams never
/// cross a sentence or document boundary.
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

    /// Lengths: N, or MIN..MAX (2..4).
    #[arg(
        short = 'n',
        long = "size",
        default_value = "2",
        value_name = "N[..M]"
    )]
    size: String,

    /// Only the clusters that contain a match of QUERY.
    #[arg(long, value_name = "QUERY")]
    around: Option<String>,

    /// Leave out n-grams less frequent than N.
    #[arg(long, default_value_t = 1, value_name = "N")]
    min_freq: u64,

    /// Print only the first N rows (of each length, without --around).
    #[arg(long, value_name = "N")]
    top: Option<usize>,

    /// Let n-grams run across sentence boundaries (never across
    /// documents).
    #[arg(long)]
    cross_sentences: bool,
}

fn lengths(spec: &str) -> Option<RangeInclusive<usize>> {
    let (a, b) = spec
        .split_once("..")
        .or_else(|| spec.split_once('-'))
        .unwrap_or((spec, spec));
    let (a, b) =
        (a.trim().parse::<usize>().ok()?, b.trim().parse::<usize>().ok()?);
    (1 <= a && a <= b && b <= 16).then_some(a..=b)
}

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
        format,
        backend,
    };
    let mut out = args.out.open_for(backend)?;
    let report = match &args.around {
        Some(q) => clusters(&job, q, range, sel, out.writer())?,
        None => lists(&job, range, sel, out.writer())?,
    };
    out.finish()?;
    output::note_ignored(&report);
    if let Some(path) = &args.out.provenance
        && backend.writes()
    {
        let extra = serde_json::json!({"size": args.size, "around": args.around, "min_freq": args.min_freq, "top": args.top});
        let (read, sub) = (&args.corpus.read, &args.sub);
        let settings =
            settings("ngrams", read, &args.analyze, &an, sub, extra);
        let counts = serde_json::json!({});
        output::write_provenance(path, &report, settings, counts)?;
    }
    Ok(Outcome { skipped: report.skipped_records })
}

/// What both forms of the command read and how they write.
struct Job<'a> {
    args: &'a Args,
    corpus: &'a Corpus,
    an: &'a Analyzer,
    filter: &'a DocFilter,
    by: &'a GroupBy,
    format: Format,
    backend: &'a Backend,
}

/// Writes the clusters around the query `q`.
fn clusters(
    job: &Job,
    q: &str,
    range: RangeInclusive<usize>,
    sel: Selection,
    w: &mut dyn Write,
) -> anyhow::Result<ReadReport> {
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
    let mut wtr = RowWriter::new(w, job.format, &tables::CLUSTER_COLUMNS)?;
    wtr.csv_safe(job.args.out.csv_safe);
    for (rank, x) in sel.apply(&c.clusters, |x| (&x.item, x.freq)) {
        wtr.row(&tables::cluster_cells(rank, x))?;
    }
    wtr.finish()?;
    eprintln!("korpus: {} hits of '{q}'", c.hits);
    Ok(c.report)
}

/// Writes a list of each length of `range`; the corpus is read once per
/// length (the warnings shown once).
fn lists(
    job: &Job,
    range: RangeInclusive<usize>,
    sel: Selection,
    w: &mut dyn Write,
) -> anyhow::Result<ReadReport> {
    let mut wtr = RowWriter::new(w, job.format, &tables::ngram_columns())?;
    wtr.csv_safe(job.args.out.csv_safe);
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
        let list = job.backend.freq_list(&sub, job.by, &opts, warn)?;
        for (rank, r) in sel.apply(&list.groups[0].rows, |r| (&r.item, r.freq))
        {
            let mut cells = vec![Cell::Int(n as u64)];
            cells.extend(tables::freq_row(None, rank, r));
            wtr.row(&cells)?;
        }
        last = Some(list.report);
    }
    wtr.finish()?;
    Ok(last.expect("at least one length"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn length_specs() {
        assert_eq!(super::lengths("2"), Some(2..=2));
        assert_eq!(super::lengths("2..4"), Some(2..=4));
        assert_eq!(super::lengths("2-3"), Some(2..=3));
        assert_eq!(super::lengths("4..2"), None);
        assert_eq!(super::lengths("0"), None);
        assert_eq!(super::lengths("x"), None);
    }
}
