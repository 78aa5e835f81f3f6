//! The counts of a corpus overview (`korpus report`) in one read: the
//! statistics per group, the frequency list of the whole corpus (with
//! Gries' DP), the frequency list per group (for keywords of each group
//! against the rest), the alternation and example lines of each
//! variable, a sample of concordance lines and the collocates of each
//! query.
//!
//! Every section is a [`Counter`] of its engine, and the sections are
//! one tuple of counters, so the corpus is read once ([`count`]). A
//! section grouped otherwise than the job's `by` carries its own
//! grouping: the frequency list and the collocates are of the whole
//! corpus ([`Ungrouped`]), the concordances group by their
//! [`KwicOptions::by`]. Each section's result is what its own command
//! computes on the same corpus and options.

use crate::analyze::Analyzer;
use crate::colloc::{CollocCounter, CollocOptions, CollocPlan, Collocates};
use crate::error::Result;
use crate::freq::{FreqCounter, FreqOptions, GroupFreq};
use crate::kwic::{KwicCounter, KwicLine, KwicOptions, KwicSearch};
use crate::query::Query;
use crate::scan::{self, Job, Scanned, Ungrouped};
use crate::stats::{GroupStats, StatsCounter, StatsOptions};
use crate::variants::{self, Alternation, Sample, Variable, VariantCounter};

/// What an overview counts, besides what every overview has (the
/// statistics and the frequency list of the whole corpus).
pub struct Request<'a> {
    /// The statistics' options.
    pub stats: StatsOptions,
    /// The frequency list per group of the job's `by`, without DP.
    pub group_freq: bool,
    /// The variables whose alternation is counted.
    pub variables: &'a [Variable],
    /// The queries of the variables, for the example lines (one per
    /// variable, as [`Variable`]s were made of).
    pub variable_queries: &'a [Query],
    /// How many example lines of each variant per group, and the seed.
    pub examples: Sample,
    /// The queries whose concordances and collocates are counted.
    pub queries: &'a [Query],
    /// The concordances' options (their sample, their grouping).
    pub kwic: KwicOptions,
    /// The collocates' window.
    pub colloc: CollocOptions,
}

/// The sections' results, each as its command computes it.
pub struct Overview {
    /// The statistics per group of the job's `by`.
    pub stats: Vec<GroupStats>,
    /// The frequency list of the whole corpus, with DP (one group, `""`).
    pub freq: Vec<GroupFreq>,
    /// The frequency lists per group, without DP (empty unless asked).
    pub group_freq: Vec<GroupFreq>,
    /// The alternation of each variable.
    pub alternations: Vec<Alternation>,
    /// The example lines of each variable, with their variants' names
    /// (as [`variants::examples`]).
    pub examples: Vec<Vec<(String, KwicLine)>>,
    /// The concordance lines of each query.
    pub concordances: Vec<Vec<KwicLine>>,
    /// The collocates of each query in the whole corpus.
    pub collocates: Vec<Collocates>,
    /// What was read.
    pub scanned: Scanned,
}

/// Counts every section of `req` in one read of `job`'s corpus, with
/// the checks of [`scan::run`].
///
/// Errors: an invalid window or concordance option, then those of
/// [`scan::run`].
pub fn count(job: &mut Job<'_>, req: &Request<'_>) -> Result<Overview> {
    let an = job.analyzer;
    let example_opts =
        KwicOptions { by: job.by.clone(), ..KwicOptions::default() };
    let per_variable: Vec<Vec<(String, Query)>> =
        req.variable_queries.iter().map(variants::example_queries).collect();
    let example_searches = searches(
        per_variable.iter().flatten().map(|(_, q)| q),
        an,
        &example_opts,
    )?;
    let kwic_searches = searches(req.queries.iter(), an, &req.kwic)?;
    let plans: Vec<CollocPlan<'_>> = req
        .queries
        .iter()
        .map(|q| CollocPlan::new(q, an, &req.colloc))
        .collect::<Result<_>>()?;
    let with_dp = FreqOptions { ngram: 1, dp: true, cross_sentences: false };
    let no_dp = FreqOptions { dp: false, ..with_dp.clone() };
    let make_freq = FreqCounter::maker(&with_dp)?;
    let make_group_freq = FreqCounter::maker(&no_dp)?;
    let make = || {
        let group_freq: Vec<FreqCounter> =
            req.group_freq.then(&make_group_freq).into_iter().collect();
        let counts = (
            StatsCounter::new(&req.stats),
            Ungrouped(make_freq()),
            group_freq,
        );
        let variables: Vec<VariantCounter<'_>> = req
            .variables
            .iter()
            .map(|v| VariantCounter::new(&v.variants))
            .collect();
        let examples: Vec<KwicCounter<'_>> =
            example_searches.iter().map(KwicCounter::new).collect();
        let kwic: Vec<KwicCounter<'_>> =
            kwic_searches.iter().map(KwicCounter::new).collect();
        let colloc: Vec<Ungrouped<CollocCounter<'_>>> = plans
            .iter()
            .map(|p| Ungrouped(CollocCounter::new(p, false)))
            .collect();
        (counts, (variables, examples), (kwic, colloc))
    };
    let (out, scanned) = scan::run(job, make)?;
    let ((stats, freq, group_freq), (variables, examples), (kwic, colloc)) =
        out;
    let report = &scanned.report;
    let alternations = req
        .variables
        .iter()
        .zip(variables)
        .map(|(v, groups)| v.alternation(groups, report.clone()))
        .collect();
    let examples = examples_of(&per_variable, examples, req.examples);
    let concordances = kwic.into_iter().map(|(_, lines)| lines).collect();
    let collocates = colloc
        .into_iter()
        .map(|mut groups| {
            let mut c = groups.pop().expect("one group").1;
            c.report = report.clone();
            c
        })
        .collect();
    Ok(Overview {
        stats,
        freq,
        group_freq: group_freq.into_iter().flatten().collect(),
        alternations,
        examples,
        concordances,
        collocates,
        scanned,
    })
}

/// The searches of `queries` (of documents only: the job reads every
/// line for the other sections).
fn searches<'a>(
    queries: impl Iterator<Item = &'a Query>,
    an: &'a Analyzer,
    opts: &'a KwicOptions,
) -> Result<Vec<KwicSearch<'a>>> {
    queries.map(|q| KwicSearch::new(q, an, opts, true)).collect()
}

/// The example lines of each variable: each variant's concordance
/// (`found`, variant after variant) sampled per group.
fn examples_of(
    per_variable: &[Vec<(String, Query)>],
    found: Vec<(crate::kwic::KwicSummary, Vec<KwicLine>)>,
    sample: Sample,
) -> Vec<Vec<(String, KwicLine)>> {
    let mut found = found.into_iter();
    per_variable
        .iter()
        .map(|variants| {
            let mut out = Vec::new();
            for (name, _) in variants {
                let (_, lines) = found.next().expect("one per variant");
                let picked = variants::sample_per_group(lines, sample);
                out.extend(picked.into_iter().map(|l| (name.clone(), l)));
            }
            out
        })
        .collect()
}
