//! `korpus keyness`: keywords of a target against a reference.

use anyhow::Context;
use korpus::analyze::ClassSet;
use korpus::freq::{self, FreqOptions};
use korpus::keyness::{self, Correction, KeynessOptions};
use korpus::meta::{DocFilter, GroupBy};
use korpus::report::{Cell, RowWriter};

use super::Outcome;
use super::args::{AnalyzeArgs, CorpusArgs, SubcorpusArgs, settings, usage};
use super::output::{self, OutputArgs};

/// Keywords: items more (positive) or less (negative) frequent in the
/// target than in the reference.
///
/// Two corpora: `korpus keyness TARGET... --ref REF...`. Within one
/// corpus: `korpus keyness CORPUS --target 'year=2016' --ref 'year=2008'`
/// (conditions as in --where; repeat for AND), or `--ref rest` for the
/// documents the target conditions leave out. --where applies to both
/// sides.
///
/// Columns: rank, item, freq_target, freq_ref, pm_target, pm_ref (per
/// million), ll (four-term G² by default, signed negative for negative
/// keywords), chi2 (signed), log_ratio (Hardie; 0.5 for a zero count),
/// lrc (conservative Log Ratio, Clopper-Pearson at the corrected level),
/// pct_diff, diff_coef, bic, simple_maths, relative_risk, odds_ratio, p
/// (of ll, or of chi2 with --stat chi2; 1 df), significant (p below
/// alpha corrected for the number of items tested), direction. Rows are
/// ranked by --sort, descending (with --direction negative, ascending:
/// the most negative first), then by item.
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

    /// Target conditions within the corpus (repeat for AND).
    #[arg(long, value_name = "COND")]
    target: Vec<String>,

    /// The reference: corpus paths, or with --target conditions or
    /// `rest`.
    #[arg(long = "ref", required = true, value_name = "REF")]
    reference: Vec<String>,

    /// Log-likelihood: four-term (full G², the default) or two-term (the
    /// UCREL log-likelihood wizard).
    #[arg(long, default_value = "four-term", value_name = "FORM")]
    ll: String,

    /// Yates' correction for chi2.
    #[arg(long)]
    yates: bool,

    /// The statistic the p-value is of: ll or chi2.
    #[arg(long, default_value = "ll", value_name = "NAME")]
    stat: String,

    /// The simple-maths constant.
    #[arg(long, default_value_t = 1.0, value_name = "K")]
    k: f64,

    /// The significance level.
    #[arg(long, default_value_t = 0.05, value_name = "A")]
    alpha: f64,

    /// Correction for the number of items tested: bonferroni, sidak, none.
    #[arg(long, default_value = "bonferroni", value_name = "NAME")]
    correction: String,

    /// Leave out items with freq_target + freq_ref below N.
    #[arg(long, default_value_t = 1, value_name = "N")]
    min_freq: u64,

    /// Keep positive, negative or both (the default) kinds of keyword.
    #[arg(long, default_value = "both", value_name = "KIND")]
    direction: String,

    /// Keep only significant rows.
    #[arg(long)]
    significant: bool,

    /// Lockwords instead: items used about equally in both (not
    /// significant, |log_ratio| at most --lock-ratio), the closest to
    /// 0 first, then the most frequent.
    #[arg(long, conflicts_with_all = ["significant", "direction"])]
    lockwords: bool,

    /// With --lockwords: the largest |log_ratio| kept (0.5: within a
    /// factor of 1.41).
    #[arg(long, default_value_t = 0.5, value_name = "X")]
    lock_ratio: f64,

    /// Rank by: ll, chi2, log_ratio, lrc, pct_diff, diff_coef, bic,
    /// simple_maths, relative_risk, odds_ratio.
    #[arg(long, default_value = "ll", value_name = "NAME")]
    sort: String,

    /// Print only the first N rows.
    #[arg(long, value_name = "N")]
    top: Option<usize>,
}

const SORTS: &[&str] = &[
    "ll",
    "chi2",
    "log_ratio",
    "lrc",
    "pct_diff",
    "diff_coef",
    "bic",
    "simple_maths",
    "relative_risk",
    "odds_ratio",
];

/// Runs the command.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let format = args.out.format()?;
    let an = args.analyze.build(ClassSet::countable())?;
    let (filter, by) = args.sub.build()?;
    if by.is_grouped() {
        return Err(usage(
            "keyness compares two sides; choose them with --target and --ref",
        ));
    }
    let ll_two_term = match args.ll.as_str() {
        "four-term" => false,
        "two-term" => true,
        other => {
            return Err(usage(format!(
                "unknown --ll '{other}' (known: four-term, two-term)"
            )));
        }
    };
    let test_chi2 = match args.stat.as_str() {
        "ll" => false,
        "chi2" => true,
        other => {
            return Err(usage(format!(
                "unknown --stat '{other}' (known: ll, chi2)"
            )));
        }
    };
    let correction = match args.correction.as_str() {
        "bonferroni" => Correction::Bonferroni,
        "sidak" => Correction::Sidak,
        "none" => Correction::None,
        other => {
            return Err(usage(format!(
                "unknown --correction '{other}' (known: bonferroni, sidak, none)"
            )));
        }
    };
    if !(args.alpha > 0.0 && args.alpha < 1.0) {
        return Err(usage("--alpha must be between 0 and 1"));
    }
    if !matches!(args.direction.as_str(), "both" | "positive" | "negative") {
        return Err(usage(format!(
            "unknown --direction '{}' (known: both, positive, negative)",
            args.direction
        )));
    }
    if !SORTS.contains(&args.sort.as_str()) {
        return Err(usage(format!(
            "unknown --sort '{}' (known: {})",
            args.sort,
            SORTS.join(", ")
        )));
    }
    let checksums = args.out.provenance.is_some();
    let fopts = FreqOptions { ngram: 1, dp: false, cross_sentences: false };
    let (target, reference, report) = if args.target.is_empty() {
        let t_corpus = args.corpus.open(checksums)?;
        let r_corpus = args.corpus.read.open(&args.reference, checksums)?;
        let t = freq::count(
            &t_corpus,
            &an,
            &filter,
            &GroupBy::All,
            &fopts,
            &mut output::warn,
        )
        .context("the target corpus")?;
        let r = freq::count(
            &r_corpus,
            &an,
            &filter,
            &GroupBy::All,
            &fopts,
            &mut output::warn,
        )
        .context("the reference corpus")?;
        let report = t.report.clone();
        (t, r, report)
    } else {
        let corpus = args.corpus.open(checksums)?;
        let t_filter =
            filter.and(&DocFilter::parse(&args.target).map_err(usage)?);
        let r_filter = if args.reference == ["rest"] {
            filter.except(&DocFilter::parse(&args.target).map_err(usage)?)
        } else {
            filter.and(&DocFilter::parse(&args.reference).map_err(usage)?)
        };
        let t = freq::count(
            &corpus,
            &an,
            &t_filter,
            &GroupBy::All,
            &fopts,
            &mut output::warn,
        )
        .context("the target subcorpus (--target)")?;
        let r = freq::count(
            &corpus,
            &an,
            &r_filter,
            &GroupBy::All,
            &fopts,
            &mut |_| {},
        )
        .context("the reference subcorpus (--ref)")?;
        let report = t.report.clone();
        (t, r, report)
    };
    let kopts = KeynessOptions {
        ll_two_term,
        yates: args.yates,
        test_chi2,
        k: args.k,
        alpha: args.alpha,
        correction,
        min_freq: args.min_freq,
    };
    let k = keyness::keywords(&target.groups[0], &reference.groups[0], &kopts);
    let key = |w: &keyness::Keyword| -> Option<f64> {
        match args.sort.as_str() {
            "ll" => Some(w.ll),
            "chi2" => w.chi2,
            "log_ratio" => w.log_ratio,
            "lrc" => w.lrc,
            "pct_diff" => w.pct_diff,
            "diff_coef" => w.diff_coef,
            "bic" => Some(w.bic),
            "simple_maths" => Some(w.simple_maths),
            "relative_risk" => w.relative_risk,
            _ => Some(w.odds_ratio),
        }
    };
    let mut rows: Vec<&keyness::Keyword> = k
        .rows
        .iter()
        .filter(|w| match args.direction.as_str() {
            "positive" => w.ll > 0.0,
            "negative" => w.ll < 0.0,
            _ => true,
        })
        .filter(|w| !args.significant || w.significant)
        .filter(|w| !an.is_stopword(&w.item))
        .collect();
    // Negative keywords alone: the most negative first.
    let flip = if args.direction == "negative" { -1.0 } else { 1.0 };
    rows.sort_by(|a, b| {
        korpus::measures::cmp_desc(
            key(a).map(|v| flip * v),
            key(b).map(|v| flip * v),
        )
        .then_with(|| a.item.as_bytes().cmp(b.item.as_bytes()))
    });
    if args.lockwords {
        rows.retain(|w| {
            !w.significant
                && w.log_ratio.is_some_and(|lr| lr.abs() <= args.lock_ratio)
        });
        rows.sort_by(|a, b| {
            let abs = |w: &keyness::Keyword| w.log_ratio.unwrap_or(0.0).abs();
            abs(a)
                .total_cmp(&abs(b))
                .then((b.a + b.b).cmp(&(a.a + a.b)))
                .then_with(|| a.item.as_bytes().cmp(b.item.as_bytes()))
        });
    }
    rows.truncate(args.top.unwrap_or(usize::MAX));
    let columns = [
        "rank",
        "item",
        "freq_target",
        "freq_ref",
        "pm_target",
        "pm_ref",
        "ll",
        "chi2",
        "log_ratio",
        "lrc",
        "pct_diff",
        "diff_coef",
        "bic",
        "simple_maths",
        "relative_risk",
        "odds_ratio",
        "p",
        "significant",
        "direction",
    ];
    let mut out = args.out.open()?;
    let mut wtr = RowWriter::new(out.writer(), format, &columns)?;
    for (rank, w) in rows.iter().enumerate() {
        wtr.row(&[
            Cell::Int(rank as u64 + 1),
            Cell::Str(w.item.clone()),
            Cell::Int(w.a),
            Cell::Int(w.b),
            Cell::Float(w.pm_target, 2),
            Cell::Float(w.pm_ref, 2),
            Cell::Float(w.ll, 4),
            Cell::opt(w.chi2, 4),
            Cell::opt(w.log_ratio, 4),
            Cell::opt(w.lrc, 4),
            Cell::opt(w.pct_diff, 2),
            Cell::opt(w.diff_coef, 4),
            Cell::Float(w.bic, 4),
            Cell::Float(w.simple_maths, 4),
            Cell::opt(w.relative_risk, 4),
            Cell::Float(w.odds_ratio, 4),
            Cell::Float(w.p, 6),
            Cell::Str(if w.significant { "yes" } else { "no" }.to_string()),
            Cell::Str(if w.ll >= 0.0 { "+" } else { "-" }.to_string()),
        ])?;
    }
    wtr.finish()?;
    out.finish()?;
    eprintln!(
        "korpus: target {} tokens, reference {} tokens; {} items tested, alpha {} corrected to {:.3e} ({})",
        k.target_tokens,
        k.ref_tokens,
        k.tested,
        args.alpha,
        k.alpha_corrected,
        args.correction
    );
    if let Some(path) = &args.out.provenance {
        let settings = settings(
            "keyness",
            &args.corpus.read,
            &args.analyze,
            &an,
            &args.sub,
            serde_json::json!({
                "target": args.target, "ref": args.reference, "ll": args.ll, "yates": args.yates,
                "stat": args.stat, "k": args.k, "alpha": args.alpha, "correction": args.correction,
                "min_freq": args.min_freq,
            }),
        );
        let counts = serde_json::json!({
            "target_tokens": k.target_tokens, "ref_tokens": k.ref_tokens,
            "tested": k.tested, "alpha_corrected": k.alpha_corrected,
        });
        output::write_provenance(path, &report, settings, counts)?;
    }
    Ok(Outcome {
        skipped: target.report.skipped_records
            + reference.report.skipped_records,
    })
}
