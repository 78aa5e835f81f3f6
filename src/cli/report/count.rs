//! What the report reads and counts: its options as library values, the
//! one pass over the corpus ([`korpus::overview::count`]) and the pass
//! over `--ref`.

use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use anyhow::Context;
use korpus::analyze::Analyzer;
use korpus::clean::{Cleaner, Mode};
use korpus::colloc::CollocOptions;
use korpus::corpus::{Corpus, InputFormat, ReadOptions};
use korpus::freq::{FreqList, FreqOptions};
use korpus::kwic::KwicOptions;
use korpus::meta::{DocFilter, GroupBy};
use korpus::names::Named;
use korpus::overview::{self, Overview, Request};
use korpus::query::Query;
use korpus::scan::Job;
use korpus::stats::StatsOptions;
use korpus::variants::{Sample, Variable};

use super::super::args::{start_cleaning, usage};
use super::super::{cleaning, output};
use super::Args;

/// The report's options, parsed and built once.
pub(super) struct Setup {
    /// The analyzer of every section (with the stopwords, which only
    /// the tables leave out).
    pub(super) an: Analyzer,
    pub(super) filter: DocFilter,
    pub(super) by: GroupBy,
    /// The variables (`--set`, or the default ones), as given.
    pub(super) sets: Vec<String>,
    /// The queries (`--query`, or the default ones), as given.
    pub(super) queries: Vec<String>,
    parsed_queries: Vec<Query>,
    parsed_sets: Vec<Query>,
    /// The variables split into variants, or why they cannot be.
    pub(super) variables: Result<Vec<Variable>, String>,
}

impl Setup {
    /// Builds the analyzer, the filter and grouping, and parses the
    /// queries and variables (exit 2 on an invalid one).
    pub(super) fn new(args: &Args) -> anyhow::Result<Setup> {
        let mut an = Analyzer::default();
        add_stopwords(&mut an, &args.stopwords)?;
        let filter = DocFilter::parse(&args.conditions).map_err(usage)?;
        let by = GroupBy::parse(args.by.as_deref()).map_err(usage)?;
        let sets = if args.sets.is_empty() {
            vec!["Tiongkok|China|Cina".into(), "Korea Utara|Korut|DPRK".into()]
        } else {
            args.sets.clone()
        };
        let queries = if args.queries.is_empty() {
            vec!["Tiongkok".to_string(), "China".to_string()]
        } else {
            args.queries.clone()
        };
        let parse = |flag: &str, q: &String| {
            Query::parse(q, &an, false)
                .map_err(|e| usage(format!("{flag}: {}", e.render(q))))
        };
        let parsed_queries = queries
            .iter()
            .map(|q| parse("--query", q))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let parsed_sets = sets
            .iter()
            .map(|s| parse("--set", s))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let variables = parsed_sets
            .iter()
            .map(Variable::of)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| e.to_string());
        Ok(Setup {
            an,
            filter,
            by,
            sets,
            queries,
            parsed_queries,
            parsed_sets,
            variables,
        })
    }
}

/// The stopwords of `--stopwords` (id, en, a file, or none).
fn add_stopwords(an: &mut Analyzer, list: &str) -> anyhow::Result<()> {
    match list {
        "none" => {}
        "id" => {
            an.add_stopwords(korpus::stopwords::INDONESIAN.iter().copied())
        }
        "en" => an.add_stopwords(korpus::stopwords::ENGLISH.iter().copied()),
        path => {
            let text = std::fs::read_to_string(path).map_err(|e| {
                usage(format!(
                    "reading the stopword list {path}: {e} (use id, en, or a file)"
                ))
            })?;
            an.add_stopwords(text.lines());
        }
    }
    Ok(())
}

/// Opens `inputs` with the report's reading options (with checksums
/// for the provenance record when `checksums`); the progress bar as the
/// other commands draw it. With --dedup or --boilerplate, the cleaning's
/// pre-pass is made and its cleaner set (as the other commands do) and
/// returned, registered for the run's cleaning summary.
pub(super) fn open(
    args: &Args,
    inputs: &[String],
    checksums: bool,
) -> anyhow::Result<(Corpus, Option<Arc<Cleaner>>)> {
    let format = match &args.input_format {
        None => None,
        Some(word) => Some(
            <InputFormat as Named>::from_name(word)
                .map_err(|e| usage(e.for_option("--input-format")))?,
        ),
    };
    let show = !args.quiet && std::io::stderr().is_terminal();
    let counter = show.then(|| Arc::new(AtomicU64::new(0)));
    let opts = ReadOptions {
        format,
        text_field: args.text_field.clone().unwrap_or_else(|| "text".into()),
        strict: args.strict,
        checksums,
        progress: counter.clone(),
        follow_links: args.follow_links,
        max_doc_bytes: (args.max_doc_size.unwrap_or(8) as usize) << 20,
        ..ReadOptions::default()
    };
    let mut corpus = Corpus::open(inputs, opts)?;
    if let Some(counter) = counter {
        super::super::progress::start(counter, corpus.total_bytes());
    }
    let clean = args.clean.options(false)?;
    if clean.dedup.is_none() && clean.boilerplate.is_none() {
        return Ok((corpus, None));
    }
    let cleaner = start_cleaning(&mut corpus, &clean, Mode::Remove, None)?;
    cleaning::register(inputs, cleaner.clone());
    Ok((corpus, Some(cleaner)))
}

/// Every section's counts, in one read of `corpus`.
pub(super) fn sections(
    setup: &Setup,
    corpus: &Corpus,
) -> anyhow::Result<Overview> {
    let none = Vec::new();
    let variables = setup.variables.as_ref().unwrap_or(&none);
    let variable_queries: &[Query] =
        if variables.is_empty() { &[] } else { &setup.parsed_sets };
    let req = Request {
        stats: StatsOptions { window: 100 },
        group_freq: setup.by.is_grouped(),
        variables,
        variable_queries,
        examples: Sample { per_group: 3, seed: 1 },
        queries: &setup.parsed_queries,
        kwic: KwicOptions {
            sample: Some((25, 1)),
            by: setup.by.clone(),
            ..KwicOptions::default()
        },
        colloc: CollocOptions::default(),
    };
    let mut warn = output::warn;
    let mut job = Job {
        backend: &korpus::dist::Backend::Local,
        corpus,
        analyzer: &setup.an,
        filter: &setup.filter,
        by: &setup.by,
        warn: &mut warn,
        keep_line: None,
    };
    let o = overview::count(&mut job, &req)?;
    output::note_ignored(&o.scanned.report);
    Ok(o)
}

/// The frequency list of the `--ref` corpus (the second pass), read
/// with the same options (cleaning too: its cleaner is returned) and
/// `--where`.
pub(super) fn reference(
    args: &Args,
    setup: &Setup,
) -> anyhow::Result<(FreqList, Option<Arc<Cleaner>>)> {
    let (corpus, cleaner) = open(args, &args.reference, false)?;
    let opts = FreqOptions { ngram: 1, dp: false, cross_sentences: false };
    let list = korpus::freq::count(
        &corpus,
        &setup.an,
        &setup.filter,
        &GroupBy::All,
        &opts,
        &mut output::warn,
    )
    .context("the reference corpus")?;
    output::note_ignored(&list.report);
    Ok((list, cleaner))
}
