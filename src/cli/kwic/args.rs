//! The arguments of `korpus kwic` (their doc comments are its help) and
//! the options they make.

use std::io::IsTerminal;

use korpus::kwic::{self, Context, KwicOptions, SortKey};
use korpus::meta::{self, GroupBy};
use korpus::names::Named;

use super::super::args::{
    AnalyzeArgs, Choice, CorpusArgs, QueryArgs, SubcorpusArgs, choice, usage,
};
use super::super::output::OutputArgs;

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
    pub(super) corpus: CorpusArgs,

    #[command(flatten)]
    pub(super) q: QueryArgs,

    #[command(flatten)]
    pub(super) analyze: AnalyzeArgs,
    #[command(flatten)]
    pub(super) sub: SubcorpusArgs,
    #[command(flatten)]
    pub(super) out: OutputArgs,

    /// Context tokens on each side (at most 1000).
    #[arg(long, default_value_t = 5, value_name = "N")]
    pub(super) width: usize,

    /// Context tokens on the left (overrides --width; at most 1000).
    #[arg(long, value_name = "N")]
    pub(super) left: Option<usize>,

    /// Context tokens on the right (overrides --width; at most 1000).
    #[arg(long, value_name = "N")]
    pub(super) right: Option<usize>,

    /// Context of N characters on each side instead of tokens (at most
    /// 10000).
    #[arg(long, value_name = "N", conflicts_with = "context")]
    pub(super) chars: Option<usize>,

    /// `sentence`: the whole sentence as context (cut to 10000
    /// characters on each side of the node).
    #[arg(long, value_name = "UNIT", value_parser = choice::<ContextUnit>())]
    pub(super) context: Option<Choice<ContextUnit>>,

    /// Metadata fields to show, comma-separated (e.g. date,source).
    #[arg(long, value_name = "LIST")]
    pub(super) fields: Option<String>,

    /// Sort levels, comma-separated: L1..L20, R1..R20 (context tokens
    /// left and right of the node), node, doc, position. Ties keep
    /// corpus order. Holds all lines in memory.
    #[arg(long, value_name = "KEYS")]
    pub(super) sort: Option<String>,

    /// A random sample of N lines (reproducible with --seed; the same
    /// for any number of threads). Holds the sample in memory.
    #[arg(long, value_name = "N")]
    pub(super) sample: Option<usize>,

    /// Seed of --sample.
    #[arg(long, default_value_t = 1, value_name = "S")]
    pub(super) seed: u64,

    /// The most lines --sort and --sample may hold in memory; past it
    /// the command stops with an error (exit 2) instead of exhausting
    /// memory.
    #[arg(long, default_value_t = korpus::kwic::MAX_HELD, value_name = "N")]
    pub(super) max_lines: usize,

    /// The most megabytes the lines held by --sort and --sample may take
    /// (their text, fields and sort keys); past it the command stops with
    /// an error (exit 2) instead of exhausting memory.
    #[arg(long, default_value_t = korpus::kwic::MAX_HELD_BYTES >> 20, value_name = "MB")]
    pub(super) max_held_mb: usize,

    /// Print at most N lines (the summary still counts every hit).
    #[arg(long, value_name = "N")]
    pub(super) limit: Option<usize>,

    /// Tokenize every document, without the literal pre-filter (then the
    /// summary can give hits per million tokens).
    #[arg(long)]
    pub(super) no_prefilter: bool,
}

/// The unit of `--context`.
#[derive(Debug, Clone, Copy)]
pub(super) enum ContextUnit {
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
/// The options of the concordance, checked.
pub(super) fn options(
    args: &Args,
    by: GroupBy,
) -> anyhow::Result<KwicOptions> {
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
pub(super) fn colors(args: &Args) -> bool {
    args.out.output.is_none()
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::env::var("TERM").map_or(true, |t| t != "dumb")
}
