//! `korpus kwic`: keyword-in-context concordances.

use std::io::IsTerminal;

use korpus::analyze::ClassSet;
use korpus::corpus::ReadReport;
use korpus::kwic::{self, Context, KwicOptions, SortKey};
use korpus::meta::{self, GroupBy};
use korpus::names::Named;
use korpus::report::{Format, RowWriter};
use korpus::tables;

use super::Outcome;
use super::args::{
    AnalyzeArgs, Choice, CorpusArgs, QueryArgs, SubcorpusArgs, choice,
    settings, usage,
};
use super::output::{self, Body, Emission, OutputArgs, Tail};

/// Keyword in context: every match of QUERY with its context, cut from
/// the original text.
///
/// QUERY (see `korpus help query`): a word (Tiongkok), wildcards (Tiong*,
/// ?ina), /regex/, alternatives (Tiongkok|China|Cina), "phrases", gaps
/// (Presiden * Xi, Presiden *{0,3} Xi), CQL tokens ([word="Tiong.*"]).
///
/// Columns: group (with --by), doc, the --fields asked for, position
/// (token index of the
/// node in its document), start and end (byte offsets of the node),
/// left, node, right. Lines come in corpus order and stream with
/// bounded memory; --sort and --sample hold the lines (or the sample) in
/// memory. A summary goes to stderr; no hits is not an error.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    corpus: CorpusArgs,

    #[command(flatten)]
    q: QueryArgs,

    #[command(flatten)]
    analyze: AnalyzeArgs,
    #[command(flatten)]
    sub: SubcorpusArgs,
    #[command(flatten)]
    out: OutputArgs,

    /// Context tokens on each side (at most 1000).
    #[arg(long, default_value_t = 5, value_name = "N")]
    width: usize,

    /// Context tokens on the left (overrides --width; at most 1000).
    #[arg(long, value_name = "N")]
    left: Option<usize>,

    /// Context tokens on the right (overrides --width; at most 1000).
    #[arg(long, value_name = "N")]
    right: Option<usize>,

    /// Context of N characters on each side instead of tokens (at most
    /// 10000).
    #[arg(long, value_name = "N", conflicts_with = "context")]
    chars: Option<usize>,

    /// `sentence`: the whole sentence as context (cut to 10000
    /// characters on each side of the node).
    #[arg(long, value_name = "UNIT", value_parser = choice::<ContextUnit>())]
    context: Option<Choice<ContextUnit>>,

    /// Metadata fields to show, comma-separated (e.g. date,source).
    #[arg(long, value_name = "LIST")]
    fields: Option<String>,

    /// Sort levels, comma-separated: L1..L20, R1..R20 (context tokens
    /// left and right of the node), node, doc, position. Ties keep
    /// corpus order. Holds all lines in memory.
    #[arg(long, value_name = "KEYS")]
    sort: Option<String>,

    /// A random sample of N lines (reproducible with --seed; the same
    /// for any number of threads). Holds the sample in memory.
    #[arg(long, value_name = "N")]
    sample: Option<usize>,

    /// Seed of --sample.
    #[arg(long, default_value_t = 1, value_name = "S")]
    seed: u64,

    /// The most lines --sort and --sample may hold in memory; past it
    /// the command stops with an error (exit 2) instead of exhausting
    /// memory.
    #[arg(long, default_value_t = korpus::kwic::MAX_HELD, value_name = "N")]
    max_lines: usize,

    /// The most megabytes the lines held by --sort and --sample may take
    /// (their text, fields and sort keys); past it the command stops with
    /// an error (exit 2) instead of exhausting memory.
    #[arg(long, default_value_t = korpus::kwic::MAX_HELD_BYTES >> 20, value_name = "MB")]
    max_held_mb: usize,

    /// Print at most N lines (the summary still counts every hit).
    #[arg(long, value_name = "N")]
    limit: Option<usize>,

    /// Tokenize every document, without the literal pre-filter (then the
    /// summary can give hits per million tokens).
    #[arg(long)]
    no_prefilter: bool,
}

/// The unit of `--context`.
#[derive(Debug, Clone, Copy)]
enum ContextUnit {
    /// The whole sentence.
    Sentence,
}

impl Named for ContextUnit {
    const ALL: &'static [Self] = &[ContextUnit::Sentence];

    fn name(self) -> &'static str {
        match self {
            ContextUnit::Sentence => "sentence",
        }
    }
}

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
    let mut skipped = 0;
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
        skipped = report.skipped_records;
        tail(&args, &an, &filter, &opts, &summary, &report)
    }));
    let emitted = Emission {
        body,
        chart: None,
        provenance: None,
        summary: None,
        writes: true,
    };
    output::emit_body(&args.out, format, emitted)?;
    Ok(Outcome { skipped })
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
    Ok(Tail { summary: Some(tables::kwic_summary(summary)), provenance })
}

/// The options of the concordance, checked.
fn options(args: &Args, by: GroupBy) -> anyhow::Result<KwicOptions> {
    let context = match (args.chars, &args.context) {
        (Some(n), _) => Context::Chars(n),
        (None, Some(unit)) => match unit.get("--context")? {
            ContextUnit::Sentence => Context::Sentence,
        },
        (None, None) => Context::Tokens(
            args.left.unwrap_or(args.width),
            args.right.unwrap_or(args.width),
        ),
    };
    let limits = [
        ("--width", Some(args.width), kwic::MAX_CONTEXT_TOKENS),
        ("--left", args.left, kwic::MAX_CONTEXT_TOKENS),
        ("--right", args.right, kwic::MAX_CONTEXT_TOKENS),
        ("--chars", args.chars, kwic::MAX_CONTEXT_CHARS),
    ];
    for (name, value, max) in limits {
        if let Some(n) = value.filter(|&n| n > max) {
            return Err(usage(format!(
                "{name} {n} is over the limit of {max} (a line's memory grows with its context)"
            )));
        }
    }
    let sort = match &args.sort {
        None => Vec::new(),
        Some(list) => list
            .split(',')
            .map(|k| SortKey::parse(k.trim()))
            .collect::<Result<_, _>>()
            .map_err(usage)?,
    };
    if args.sample == Some(0) {
        return Err(usage("--sample must be at least 1"));
    }
    let fields = args.fields.as_deref().map(meta::field_list);
    Ok(KwicOptions {
        context,
        sort,
        sample: args.sample.map(|n| (n, args.seed)),
        fields: fields.unwrap_or_default(),
        prefilter: !args.no_prefilter,
        by,
        max_held: args.max_lines,
        max_held_bytes: args.max_held_mb.saturating_mul(1 << 20),
    })
}

/// Whether the node is highlighted in color: a table on a terminal that
/// takes colors.
fn colors(args: &Args) -> bool {
    args.out.output.is_none()
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::env::var("TERM").map_or(true, |t| t != "dumb")
}
