//! `korpus kwic`: keyword-in-context concordances.

mod args;

use korpus::analyze::ClassSet;
use korpus::corpus::ReadReport;
use korpus::kwic::{self, KwicOptions};
use korpus::meta;
use korpus::report::{Format, RowWriter};
use korpus::tables;

use super::Outcome;
use super::args::settings;
use super::output::{self, Body, Emission, Tail};
pub use args::Args;
use args::{colors, options};

/// Runs the command.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let format = args.out.format()?;
    let an = args.analyze.build(ClassSet::countable())?;
    let (filter, by) = args.sub.build()?;
    let query = args.q.build(&an)?;
    let opts = options(&args, by)?;
    let corpus = args.corpus.open(args.out.provenance.is_some())?;
    let grouped = opts.by.is_grouped();
    let columns = tables::kwic_columns(grouped, &opts.fields);
    let left_col = columns.len() - 3;
    let mut outcome = Outcome::default();
    let body = Body::Rows(Box::new(|w| {
        let mut wtr = RowWriter::new(w, format, &columns)?;
        wtr.csv_safe(args.out.csv_safe);
        wtr.align_right(left_col);
        if format == Format::Html || (format == Format::Table && colors(&args))
        {
            wtr.highlight(left_col + 1);
        }
        wtr.title(&format!("korpus kwic: {}", args.q.query));
        let flat = format == Format::Table;
        let mut left = args.limit.unwrap_or(usize::MAX);
        let (summary, report) = kwic::concordance(
            &corpus,
            &an,
            &filter,
            &query,
            &opts,
            &mut output::warn,
            &mut |line| {
                if left == 0 {
                    return Ok(());
                }
                left -= 1;
                let cells = tables::kwic_row(line, grouped, flat);
                wtr.row(&cells).map_err(korpus::error::Error::Output)
            },
        )?;
        wtr.finish()?;
        outcome = Outcome::of(&report);
        tail(&args, &an, &filter, &opts, &summary, &report)
    }));
    let emitted = Emission {
        body,
        chart: None,
        provenance: None,
        summary: Vec::new(),
        writes: true,
    };
    output::emit(&args.out, format, emitted)?;
    Ok(outcome)
}

/// Once the lines are written: the notes and the fields' check, the
/// summary and the provenance record.
fn tail(
    args: &Args,
    an: &korpus::analyze::Analyzer,
    filter: &meta::DocFilter,
    opts: &KwicOptions,
    summary: &kwic::KwicSummary,
    report: &ReadReport,
) -> anyhow::Result<Tail> {
    output::note_ignored(report);
    let fields = opts.fields.iter().map(String::as_str);
    let wanted = filter.conditions.iter().map(|c| c.field()).chain(fields);
    // Without --where, every document read was searched.
    let kept = if filter.is_empty() { report.documents } else { summary.docs };
    meta::check_read(report, wanted, kept)?;
    let provenance = args.out.provenance.is_some().then(|| {
        let extra = serde_json::json!({
            "query": args.q.query,
            "case_sensitive": args.q.case_sensitive,
            "context": format!("{:?}", opts.context),
            "sort": args.sort,
            "sample": args.sample,
            "seed": args.seed,
            "limit": args.limit,
            "prefilter": !args.no_prefilter,
        });
        let (read, sub) = (&args.corpus.read, &args.sub);
        let settings = settings("kwic", read, &args.analyze, an, sub, extra);
        let counts = serde_json::json!({
            "hits": summary.hits, "documents_with_hits": summary.docs_with_hits,
            "documents_searched": summary.docs, "documents_skipped_by_prefilter": summary.docs_skipped,
            "tokens": summary.tokens,
        });
        output::provenance_record(report, settings, counts)
    });
    Ok(Tail { summary: vec![tables::kwic_summary(summary)], provenance })
}
