//! `korpus keyness`'s options and their help text.

use korpus::keyness::{self, KeynessOptions, Selection, UnknownName};

use super::super::args::{AnalyzeArgs, CorpusArgs, SubcorpusArgs, usage};
use super::super::chart::ChartArgs;
use super::super::output::OutputArgs;

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
    pub(super) corpus: CorpusArgs,
    #[command(flatten)]
    pub(super) analyze: AnalyzeArgs,
    #[command(flatten)]
    pub(super) sub: SubcorpusArgs,
    #[command(flatten)]
    pub(super) out: OutputArgs,

    /// Target conditions within the corpus (repeat for AND).
    #[arg(long, value_name = "COND")]
    pub(super) target: Vec<String>,

    /// The reference: corpus paths, or with --target conditions or
    /// `rest`.
    #[arg(long = "ref", required_unless_present = "by", value_name = "REF")]
    pub(super) reference: Vec<String>,

    /// Log-likelihood: four-term (full G², the default) or two-term (the
    /// UCREL log-likelihood wizard).
    #[arg(long, default_value = "four-term", value_name = "FORM")]
    pub(super) ll: String,

    /// Yates' correction for chi2.
    #[arg(long)]
    pub(super) yates: bool,

    /// The statistic the p-value is of: ll or chi2.
    #[arg(long, default_value = "ll", value_name = "NAME")]
    pub(super) stat: String,

    /// The simple-maths constant (finite, above 0).
    #[arg(long, default_value_t = 1.0, value_name = "K")]
    pub(super) k: f64,

    /// The significance level.
    #[arg(long, default_value_t = 0.05, value_name = "A")]
    pub(super) alpha: f64,

    /// Correction for the number of items tested: bonferroni, sidak, none.
    #[arg(long, default_value = "bonferroni", value_name = "NAME")]
    pub(super) correction: String,

    /// Leave out items with freq_target + freq_ref below N.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub(super) min_freq: u64,

    /// Keep positive, negative or both (the default) kinds of keyword
    /// (items with exactly equal rates are neither positive nor negative).
    #[arg(long, default_value = "both", value_name = "KIND")]
    pub(super) direction: String,

    /// Keep only significant rows.
    #[arg(long)]
    pub(super) significant: bool,

    /// Lockwords instead: items used about equally in both (not
    /// significant, |log_ratio| at most --lock-ratio), the closest to
    /// 0 first, then the most frequent.
    #[arg(long, conflicts_with_all = ["significant", "direction"])]
    pub(super) lockwords: bool,

    /// With --lockwords: the largest |log_ratio| kept (0.5: within a
    /// factor of 1.41).
    #[arg(long, default_value_t = 0.5, value_name = "X")]
    pub(super) lock_ratio: f64,

    /// Rank by: ll, chi2, log_ratio, lrc, pct_diff, diff_coef, bic,
    /// simple_maths, relative_risk, odds_ratio.
    #[arg(long, default_value = "ll", value_name = "NAME")]
    pub(super) sort: String,

    /// Print only the first N rows; with --direction both, the N first
    /// and the N last (the most positive and the most negative).
    #[arg(long, value_name = "N")]
    pub(super) top: Option<usize>,

    #[command(flatten)]
    pub(super) chart: ChartArgs,
}

impl Args {
    /// The comparison's options and the rows' selection, checked.
    pub(super) fn options(
        &self,
    ) -> anyhow::Result<(KeynessOptions, Selection)> {
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
}
