//! `korpus ngrams`: n-gram lists and clusters around a node.

use korpus::analyze::ClassSet;
use korpus::freq::FreqOptions;
use korpus::report::{Cell, RowWriter};
use korpus::stopwords::Stoplist;

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

fn lengths(spec: &str) -> Option<std::ops::RangeInclusive<usize>> {
    let (a, b) = spec
        .split_once("..")
        .or_else(|| spec.split_once('-'))
        .unwrap_or((spec, spec));
    let (a, b) =
        (a.trim().parse::<usize>().ok()?, b.trim().parse::<usize>().ok()?);
    (1 <= a && a <= b && b <= 16).then_some(a..=b)
}

/// Runs the command.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
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
    let stop = |item: &str| !Stoplist::of(&an).keeps_ngram(item);
    let mut out = args.out.open()?;
    let report = if let Some(q) = &args.around {
        if super::dist::is_active() {
            return Err(usage(
                "ngrams --around is not distributed: run it without korpus dist",
            ));
        }
        let query = korpus::query::Query::parse(q, &an, false)
            .map_err(|e| usage(e.render(q)))?;
        let c = korpus::ngrams::clusters(
            &corpus,
            &an,
            &filter,
            &query,
            range.clone(),
            args.cross_sentences,
            &mut output::warn,
        )?;
        let columns =
            ["rank", "n", "cluster", "node_position", "freq", "range"];
        let mut wtr = RowWriter::new(out.writer(), format, &columns)?;
        wtr.csv_safe(args.out.csv_safe);
        let rows = c
            .clusters
            .iter()
            .filter(|x| x.freq >= args.min_freq && !stop(&x.item));
        for (rank, x) in rows.take(args.top.unwrap_or(usize::MAX)).enumerate()
        {
            wtr.row(&[
                Cell::Int(rank as u64 + 1),
                Cell::Int(x.n as u64),
                Cell::Str(x.item.clone()),
                Cell::Int(x.node_position as u64),
                Cell::Int(x.freq),
                Cell::Int(x.range),
            ])?;
        }
        wtr.finish()?;
        eprintln!("korpus: {} hits of '{q}'", c.hits);
        c.report
    } else {
        let columns = [
            "n",
            "rank",
            "item",
            "freq",
            "per_million",
            "range",
            "range_pct",
            "juilland_d",
            "dp",
            "dp_norm",
        ];
        let mut wtr = RowWriter::new(out.writer(), format, &columns)?;
        wtr.csv_safe(args.out.csv_safe);
        let mut last = None;
        for n in range.clone() {
            let opts = FreqOptions {
                ngram: n,
                dp: true,
                cross_sentences: args.cross_sentences,
            };
            let warn: &mut dyn FnMut(&korpus::corpus::Warning) =
                if last.is_none() { &mut output::warn } else { &mut |_| {} };
            let list =
                super::dist::count(&corpus, &an, &filter, &by, &opts, warn)?;
            let g = &list.groups[0];
            let rows = g
                .rows
                .iter()
                .filter(|r| r.freq >= args.min_freq && !stop(&r.item));
            for (rank, r) in
                rows.take(args.top.unwrap_or(usize::MAX)).enumerate()
            {
                let mut cells =
                    vec![Cell::Int(n as u64), Cell::Int(rank as u64 + 1)];
                cells.extend(super::freq::row_cells(r));
                wtr.row(&cells)?;
            }
            last = Some(list.report);
        }
        wtr.finish()?;
        last.expect("at least one length")
    };
    out.finish()?;
    output::note_ignored(&report);
    if let Some(path) = &args.out.provenance {
        let settings = settings(
            "ngrams",
            &args.corpus.read,
            &args.analyze,
            &an,
            &args.sub,
            serde_json::json!({"size": args.size, "around": args.around, "min_freq": args.min_freq, "top": args.top}),
        );
        output::write_provenance(
            path,
            &report,
            settings,
            serde_json::json!({}),
        )?;
    }
    Ok(Outcome { skipped: report.skipped_records })
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
