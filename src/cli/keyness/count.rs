//! Counting `korpus keyness`'s two sides.

use anyhow::Context;
use korpus::analyze::Analyzer;
use korpus::corpus::ReadReport;
use korpus::dist::Backend;
use korpus::freq::{FreqList, FreqOptions};
use korpus::keyness::{self, Comparisons};
use korpus::meta::{DocFilter, GroupBy};
use korpus::scan::Subcorpus;

use super::super::args::usage;
use super::super::output;
use super::Args;

/// Counts the two sides: two corpora, a target and a reference
/// subcorpus (`--ref rest`: the documents the target leaves out), or
/// with --by each group against the rest of the corpus. Returns what
/// the (target's) read reported and the records skipped.
pub(super) fn count(
    args: &Args,
    backend: &Backend,
    an: &Analyzer,
    filter: &DocFilter,
    by: &GroupBy,
) -> anyhow::Result<(Comparisons, ReadReport, u64)> {
    let checksums = args.out.provenance.is_some();
    let fopts = FreqOptions { ngram: 1, dp: false, cross_sentences: false };
    let count = |corpus, filter, by, warn: &mut dyn FnMut(&_)| {
        let sub = Subcorpus { corpus, analyzer: an, filter };
        korpus::freq::count_on(&mut sub.job(by, backend, warn), &fopts)
    };
    let all = &GroupBy::All;
    let (t, r, skipped) = if by.is_grouped() {
        let corpus = args.corpus.open(checksums)?;
        let list = count(&corpus, filter, by, &mut output::warn)?;
        let skipped = list.report.skipped_records;
        let pairs = Comparisons::each_vs_rest(list.groups)?;
        return Ok((pairs, list.report, skipped));
    } else if args.target.is_empty() {
        let t_corpus = args.corpus.open(checksums)?;
        let r_corpus = args.corpus.read.open(&args.reference, checksums)?;
        let t = count(&t_corpus, filter, all, &mut output::warn)
            .context("the target corpus")?;
        let r = count(&r_corpus, filter, all, &mut output::warn)
            .context("the reference corpus")?;
        let skipped = t.report.skipped_records + r.report.skipped_records;
        (t, r, skipped)
    } else {
        let corpus = args.corpus.open(checksums)?;
        corpus.keep_stdin(); // read for the target, then the reference
        let target = DocFilter::parse(&args.target).map_err(usage)?;
        let reference = if args.reference == ["rest"] {
            None
        } else {
            Some(DocFilter::parse(&args.reference).map_err(usage)?)
        };
        let (t_filter, r_filter) =
            keyness::subcorpora(filter, &target, reference.as_ref());
        let t = count(&corpus, &t_filter, all, &mut output::warn)
            .context("the target subcorpus (--target)")?;
        let r = count(&corpus, &r_filter, all, &mut |_| {})
            .context("the reference subcorpus (--ref)")?;
        let skipped = t.report.skipped_records;
        (t, r, skipped)
    };
    let first = |l: FreqList| l.groups.into_iter().next().expect("one group");
    let report = t.report.clone();
    let pairs = Comparisons::Pair { target: first(t), reference: first(r) };
    Ok((pairs, report, skipped))
}
