//! The counts of a corpus overview (`korpus report`) in one read: the
//! statistics per group, the frequency list of the whole corpus (with
//! Gries' DP), the frequency list per group (for keywords of each group
//! against the rest), the alternation and example lines of each
//! variable, a sample of concordance lines and the collocates of each
//! query.
//!
//! Every section is a [`Counter`](crate::scan::Counter) of its engine, and the sections are
//! one tuple of counters, so the corpus is read once ([`count`]). A
//! section grouped otherwise than the job's `by` carries its own
//! grouping: the frequency list and the collocates are of the whole
//! corpus ([`Ungrouped`]), the concordances group by their
//! [`KwicOptions::by`]. Each section's result is what its own command
//! computes on the same corpus and options. Two sections share work:
//! the collocates are counted in the documents where their node may
//! occur ([`CollocPlan::prefiltered`]) and take the corpus frequencies
//! of the collocates from the frequency list, and the variables are
//! counted on one analysis of a document that may hold one of them
//! ([`VariablesCounter`]).

use crate::analyze::Analyzer;
use crate::colloc::{CollocCounter, CollocOptions, CollocPlan, Collocates};
use crate::error::Result;
use crate::freq::{FreqCounter, FreqOptions, GroupFreq};
use crate::kwic::{KwicCounter, KwicLine, KwicOptions, KwicSearch};
use crate::query::Query;
use crate::scan::{self, Job, Scanned, Ungrouped};
use crate::stats::{GroupStats, StatsCounter, StatsOptions};
use crate::variants::{
    self, Alternation, Sample, Variable, VariablesCounter, VariablesSearch,
};

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
        .map(|q| CollocPlan::prefiltered(q, an, &req.colloc))
        .collect::<Result<_>>()?;
    let with_dp = FreqOptions { ngram: 1, dp: true, cross_sentences: false };
    let no_dp = FreqOptions { dp: false, ..with_dp.clone() };
    let make_freq = FreqCounter::maker(&with_dp)?;
    let make_group_freq = FreqCounter::maker(&no_dp)?;
    let variables = VariablesSearch::new(req.variables, an);
    let make = || {
        let group_freq: Vec<FreqCounter> =
            req.group_freq.then(&make_group_freq).into_iter().collect();
        let counts = (
            StatsCounter::new(&req.stats),
            Ungrouped(make_freq()),
            group_freq,
        );
        let variables = VariablesCounter::new(&variables);
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
        .map(|groups| whole_corpus(groups, freq.first(), report))
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

/// The one group of a prefiltered collocates count, with the corpus
/// frequencies and the tokens of the frequency list `whole` (as the
/// full pass of `korpus colloc` counts them) and the read's report.
fn whole_corpus(
    mut groups: Vec<(String, Collocates)>,
    whole: Option<&GroupFreq>,
    report: &crate::corpus::ReadReport,
) -> Collocates {
    let mut c = groups.pop().expect("one group").1;
    c.report = report.clone();
    // (No list: no document was counted, and neither was the node.)
    let Some(whole) = whole else { return c };
    c.set_corpus_freqs(whole.tokens, |wanted| {
        for r in &whole.rows {
            if let Some(f) = wanted.get_mut(r.item.as_str()) {
                *f = r.freq;
            }
        }
    });
    c
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::Analyzer;
    use crate::corpus::Corpus;
    use crate::meta::{DocFilter, GroupBy};

    const TEXTS: [&str; 4] = [
        "Tiongkok dan China bertemu. Presiden Tiongkok datang.",
        "China lagi, Cina dan Korut.",
        "Tidak ada yang lain di sini.",
        "Korea Utara dan China, lalu Tiongkok.",
    ];

    /// Each section of one read is what its engine gives alone on the
    /// same corpus, per file: stats, the frequency list (whole and per
    /// file), the alternations, the example lines, the concordance
    /// sample and the collocates (counted where the node may occur,
    /// their corpus frequencies from the frequency list), on 1 and 3
    /// threads.
    #[test]
    fn one_read_gives_each_engines_result() {
        let dir = tempfile::tempdir().unwrap();
        for (i, t) in TEXTS.iter().enumerate() {
            std::fs::write(dir.path().join(format!("{i}.txt")), t).unwrap();
        }
        let inputs = [dir.path().display().to_string()];
        let corpus = Corpus::open(&inputs, Default::default()).unwrap();
        let an = Analyzer::default();
        let (filter, by) = (DocFilter::default(), GroupBy::File);
        let parse = |q: &str| Query::parse(q, &an, false).unwrap();
        let sets =
            [parse("Tiongkok|China|Cina"), parse("\"Korea Utara\"|Korut")];
        let variables: Vec<Variable> =
            sets.iter().map(|q| Variable::of(q).unwrap()).collect();
        let queries = [parse("Tiongkok"), parse("China")];
        let kwic = KwicOptions {
            sample: Some((2, 1)),
            by: by.clone(),
            ..KwicOptions::default()
        };
        let req = Request {
            stats: StatsOptions { window: 3 },
            group_freq: true,
            variables: &variables,
            variable_queries: &sets,
            examples: Sample { per_group: 1, seed: 1 },
            queries: &queries,
            kwic: kwic.clone(),
            colloc: CollocOptions::default(),
        };
        for threads in [1, 3] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let o = pool.install(|| {
                let mut warn = |_: &crate::corpus::Warning| {};
                let mut job = Job {
                    backend: &crate::dist::Backend::Local,
                    corpus: &corpus,
                    analyzer: &an,
                    filter: &filter,
                    by: &by,
                    warn: &mut warn,
                    keep_line: None,
                };
                count(&mut job, &req).unwrap()
            });
            let none = &mut |_: &crate::corpus::Warning| {};
            let stats = crate::stats::compute(
                &corpus, &an, &filter, &by, &req.stats, none,
            )
            .unwrap();
            assert_eq!(o.stats, stats.groups);
            assert_eq!(o.stats.len(), 4);
            let all = GroupBy::All;
            let with_dp = FreqOptions::default();
            let freq = crate::freq::count(
                &corpus, &an, &filter, &all, &with_dp, none,
            )
            .unwrap();
            assert_eq!(o.freq[0].rows, freq.groups[0].rows);
            // 7 + 5 + 6 + 6 words (the punctuation is not counted).
            assert_eq!(o.freq[0].tokens, 24);
            let no_dp = FreqOptions { dp: false, ..with_dp };
            let per_file =
                crate::freq::count(&corpus, &an, &filter, &by, &no_dp, none)
                    .unwrap();
            assert_eq!(o.group_freq.len(), 4);
            for (a, b) in o.group_freq.iter().zip(&per_file.groups) {
                assert_eq!((&a.group, &a.rows), (&b.group, &b.rows));
            }
            for (i, q) in sets.iter().enumerate() {
                let alone =
                    variants::alternation(&corpus, &an, &filter, &by, q, none)
                        .unwrap();
                assert_eq!(o.alternations[i].groups, alone.groups);
                assert_eq!(o.alternations[i].test, alone.test);
                let ex = variants::examples(
                    &corpus,
                    &an,
                    &filter,
                    &by,
                    q,
                    req.examples,
                )
                .unwrap();
                assert_eq!(o.examples[i], ex);
            }
            // Tiongkok 3 times in 2 files, China 3 in 3.
            let hits: Vec<usize> = o.alternations[0]
                .groups
                .iter()
                .map(|g| g.1[0] as usize)
                .collect();
            assert_eq!(hits.iter().sum::<usize>(), 3);
            for (i, q) in queries.iter().enumerate() {
                let mut lines = Vec::new();
                crate::kwic::concordance(
                    &corpus,
                    &an,
                    &filter,
                    q,
                    &kwic,
                    none,
                    &mut |l| {
                        lines.push(l.clone());
                        Ok(())
                    },
                )
                .unwrap();
                assert_eq!(o.concordances[i], lines);
                assert_eq!(lines.len(), 2);
                let mut alone = crate::colloc::collocates(
                    &corpus,
                    &an,
                    &filter,
                    q,
                    &req.colloc,
                    none,
                )
                .unwrap();
                let mut mine = o.collocates[i].clone();
                for c in [&mut alone, &mut mine] {
                    c.items.sort_by(|a, b| a.item.cmp(&b.item));
                }
                assert_eq!(mine.items, alone.items);
                let sums = |c: &Collocates| (c.hits, c.slots, c.tokens);
                assert_eq!(sums(&mine), sums(&alone));
                assert_eq!(mine.tokens, 24);
            }
        }
    }
}
