//! `korpus keyness`: keywords of a target against a reference.

use anyhow::Context;
use korpus::analyze::{Analyzer, ClassSet};
use korpus::chart::Chart;
use korpus::corpus::ReadReport;
use korpus::dist::{Backend, Subcorpus};
use korpus::freq::{FreqList, FreqOptions};
use korpus::keyness::{
    self, Comparisons, KeynessOptions, Keywords, Selection, UnknownName,
};
use korpus::meta::{DocFilter, GroupBy};
use korpus::report::Table;
use korpus::stopwords::Stoplist;

use super::Outcome;
use super::args::{AnalyzeArgs, CorpusArgs, SubcorpusArgs, settings, usage};
use super::chart::{self, ChartArgs, Spec};
use super::output::{self, Emitted, OutputArgs, Provenance};

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
/// alpha corrected for the number of items tested), direction (`+` if
/// the rate is higher in the target, `-` if lower, `=` if exactly equal,
/// compared in whole numbers: a·d against b·c). Rows are
/// ranked by --sort, descending (with --direction negative, ascending:
/// the most negative first), then by item.
///
/// Chart (--chart FILE): `bars`, diverging: keywords of the target to
/// the right, of the reference to the left, by --chart-value (default
/// the --sort column; an unsigned value is drawn negative for negative
/// keywords); the rows printed, 30 or --top's 2N up to 100 per group.
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
    #[arg(long = "ref", required_unless_present = "by", value_name = "REF")]
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

    /// The simple-maths constant (finite, above 0).
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

    /// Keep positive, negative or both (the default) kinds of keyword
    /// (items with exactly equal rates are neither positive nor negative).
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

    /// Print only the first N rows; with --direction both, the N first
    /// and the N last (the most positive and the most negative).
    #[arg(long, value_name = "N")]
    top: Option<usize>,

    #[command(flatten)]
    chart: ChartArgs,
}

/// Runs the command.
pub fn run(args: Args, backend: &Backend) -> anyhow::Result<Outcome> {
    let format = args.out.format()?;
    let spec = args.chart.spec(&["bars"], &args.out)?;
    let an = args.analyze.build(ClassSet::countable())?;
    let (filter, by) = args.sub.build()?;
    if by.is_grouped()
        && (!args.target.is_empty() || !args.reference.is_empty())
    {
        return Err(usage(
            "with --by, each group is compared with the rest of the corpus: give no --target or --ref",
        ));
    }
    let (kopts, sel) = args.options()?;
    let (comparisons, report, skipped) =
        count(&args, backend, &an, &filter, &by)?;
    let grouped = comparisons.is_grouped();
    let mut table = Table::new(keyness::columns(grouped));
    let mut summaries: Vec<(String, Keywords)> = Vec::new();
    comparisons.try_for_each(
        &kopts,
        |group, mut k| -> anyhow::Result<()> {
            for (rank, w) in keyness::select(&k, &sel, Stoplist::of(&an)) {
                table.push(keyness::cells(grouped.then_some(group), rank, w));
            }
            k.rows = Vec::new(); // its summary is kept, not its rows
            summaries.push((group.to_string(), k));
            Ok(())
        },
    )?;
    let chart = match &spec {
        Some(spec) => Some((spec, args.chart_of(spec, &table, grouped)?)),
        None => None,
    };
    let lines: Vec<String> = summaries
        .iter()
        .map(|(group, k)| {
            let label =
                if grouped { format!("{group}: ") } else { String::new() };
            format!("{label}{}", k.summary(&kopts))
        })
        .collect();
    let emitted = Emitted {
        table,
        chart,
        provenance: Some(args.provenance(&an, &report, &summaries)),
        summary: lines,
        writes: backend.writes(),
    };
    output::emit(&args.out, format, emitted)?;
    Ok(Outcome { skipped })
}

impl Args {
    /// The comparison's options and the rows' selection, checked.
    fn options(&self) -> anyhow::Result<(KeynessOptions, Selection)> {
        let named =
            |flag: &'static str| move |e: UnknownName| usage(e.message(flag));
        let ll = self.ll.parse().map_err(named("--ll"))?;
        let stat = self.stat.parse().map_err(named("--stat"))?;
        let correction =
            self.correction.parse().map_err(named("--correction"))?;
        if !(self.alpha > 0.0 && self.alpha < 1.0) {
            return Err(usage("--alpha must be between 0 and 1"));
        }
        if !(self.k.is_finite() && self.k > 0.0) {
            let k = self.k;
            return Err(usage(format!(
                "--k {k} is not a finite number above 0"
            )));
        }
        if !(self.lock_ratio.is_finite() && self.lock_ratio >= 0.0) {
            return Err(usage(format!(
                "--lock-ratio {} is not a finite number of at least 0",
                self.lock_ratio
            )));
        }
        let direction =
            self.direction.parse().map_err(named("--direction"))?;
        let sort = keyness::measure(&self.sort).map_err(named("--sort"))?;
        let kopts = KeynessOptions {
            ll,
            yates: self.yates,
            stat,
            k: self.k,
            alpha: self.alpha,
            correction,
            min_freq: self.min_freq,
        };
        let sel = Selection {
            sort,
            direction,
            significant: self.significant,
            lockwords: self.lockwords.then_some(self.lock_ratio),
            top: self.top,
        };
        Ok((kopts, sel))
    }

    /// The diverging bars of the rows (`--chart`).
    fn chart_of(
        &self,
        spec: &Spec,
        table: &Table,
        grouped: bool,
    ) -> anyhow::Result<Chart> {
        let value = spec.value.as_deref().unwrap_or(&self.sort);
        let how = chart::BarsFrom {
            title: format!(
                "Keywords by {value} — {}",
                chart::corpus_label(&self.corpus.inputs)
            ),
            label: &["item"],
            value,
            group: grouped.then_some("group"),
            limit: chart::bar_limit(self.top.map(|n| 2 * n)),
            signed_by: Some("direction"),
        };
        let mut b =
            chart::bars_from_rows(&table.column_names(), &table.rows, &how)?;
        b.diverging = Some((
            "more frequent in the target".to_string(),
            "more frequent in the reference".to_string(),
        ));
        Ok(Chart::Bars(b))
    }

    /// The provenance record's settings and counts.
    fn provenance<'r>(
        &self,
        an: &Analyzer,
        report: &'r ReadReport,
        summaries: &[(String, Keywords)],
    ) -> Provenance<'r> {
        let settings = settings(
            "keyness",
            &self.corpus.read,
            &self.analyze,
            an,
            &self.sub,
            serde_json::json!({
                "target": self.target, "ref": self.reference, "ll": self.ll, "yates": self.yates,
                "stat": self.stat, "k": self.k, "alpha": self.alpha, "correction": self.correction,
                "min_freq": self.min_freq,
            }),
        );
        let counts: Vec<serde_json::Value> = summaries
            .iter()
            .map(|(g, k)| {
                serde_json::json!({"group": g, "target_tokens": k.target_tokens, "ref_tokens": k.ref_tokens, "tested": k.tested, "alpha_corrected": k.alpha_corrected})
            })
            .collect();
        Provenance { report, settings, counts: serde_json::json!(counts) }
    }
}

/// Counts the two sides: two corpora, a target and a reference
/// subcorpus (`--ref rest`: the documents the target leaves out), or
/// with --by each group against the rest of the corpus. Returns what
/// the (target's) read reported and the records skipped.
fn count(
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
        backend.freq_list(&sub, by, &fopts, warn)
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
