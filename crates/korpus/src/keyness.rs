//! Keyness: which items are more (or less) frequent in a target corpus
//! than in a reference corpus.
//!
//! Both sides are counted with [`crate::freq::count`]; `c` and `d` are
//! the full sizes of the two sides (every counted token, reference/
//! statistics.md §7.6), not sums over a filtered list. For each item with
//! frequency `a` in the target and `b` in the reference, the measures of
//! [`crate::measures`] are computed on [`Contingency::keyness`]`(a, b, c,
//! d)`; LRC uses the corrected significance level. The p-value is that of the log-likelihood (or χ² with `--stat
//! chi2`) with one degree of freedom; with `m` items tested, the
//! significance level is `α / m` (Bonferroni), `1 − (1 − α)^(1/m)` (Šidák)
//! or `α` (none).

use crate::error::{Error, Result};
use crate::freq::GroupFreq;
use crate::hash::{Map, new_map};
use crate::measures::{
    Contingency, bic, chi_squared, difference_coefficient, log_likelihood,
    log_likelihood_two_term, log_ratio, lrc, odds_ratio, p_chi2_1df, pct_diff,
    relative_risk, simple_maths,
};
use crate::meta::DocFilter;
use crate::report::Cell;
use crate::stopwords::Stoplist;

/// The multiple-testing correction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Correction {
    /// `α / m`.
    Bonferroni,
    /// `1 − (1 − α)^(1/m)`.
    Sidak,
    /// `α`.
    None,
}

impl std::str::FromStr for Correction {
    type Err = UnknownName;

    /// `bonferroni`, `sidak` or `none`.
    fn from_str(s: &str) -> std::result::Result<Self, UnknownName> {
        match s {
            "bonferroni" => Ok(Correction::Bonferroni),
            "sidak" => Ok(Correction::Sidak),
            "none" => Ok(Correction::None),
            _ => Err(UnknownName::new(s, &["bonferroni", "sidak", "none"])),
        }
    }
}

/// The form of the log-likelihood.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogLikelihood {
    /// The full G², summed over the four cells.
    FourTerm,
    /// The two-term sum of the UCREL log-likelihood wizard.
    TwoTerm,
}

impl std::str::FromStr for LogLikelihood {
    type Err = UnknownName;

    /// `four-term` or `two-term`.
    fn from_str(s: &str) -> std::result::Result<Self, UnknownName> {
        match s {
            "four-term" => Ok(LogLikelihood::FourTerm),
            "two-term" => Ok(LogLikelihood::TwoTerm),
            _ => Err(UnknownName::new(s, &["four-term", "two-term"])),
        }
    }
}

/// The statistic whose p-value (1 df) decides significance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Statistic {
    /// The log-likelihood.
    Ll,
    /// Pearson's χ².
    Chi2,
}

impl std::str::FromStr for Statistic {
    type Err = UnknownName;

    /// `ll` or `chi2`.
    fn from_str(s: &str) -> std::result::Result<Self, UnknownName> {
        match s {
            "ll" => Ok(Statistic::Ll),
            "chi2" => Ok(Statistic::Chi2),
            _ => Err(UnknownName::new(s, &["ll", "chi2"])),
        }
    }
}

/// A name that is none of an option's known values; its message lists
/// them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownName {
    /// The name given.
    pub name: String,
    /// The known names, in documentation order.
    pub known: Vec<&'static str>,
}

impl UnknownName {
    fn new(name: &str, known: &[&'static str]) -> Self {
        UnknownName { name: name.to_string(), known: known.to_vec() }
    }

    /// The message naming the option: `unknown --x 'y' (known: a, b)`.
    pub fn message(&self, option: &str) -> String {
        format!(
            "unknown {option} '{}' (known: {})",
            self.name,
            self.known.join(", ")
        )
    }
}

impl std::fmt::Display for UnknownName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown '{}' (known: {})", self.name, self.known.join(", "))
    }
}

impl std::error::Error for UnknownName {}

/// Options of a keyness comparison.
#[derive(Debug, Clone)]
pub struct KeynessOptions {
    /// The form of the log-likelihood.
    pub ll: LogLikelihood,
    /// Yates' correction for χ².
    pub yates: bool,
    /// The statistic the p-value is of.
    pub stat: Statistic,
    /// The simple-maths constant.
    pub k: f64,
    /// The significance level before correction.
    pub alpha: f64,
    /// The correction for the number of items tested.
    pub correction: Correction,
    /// Leave out items whose `a + b` is below this.
    pub min_freq: u64,
}

impl Default for KeynessOptions {
    fn default() -> Self {
        KeynessOptions {
            ll: LogLikelihood::FourTerm,
            yates: false,
            stat: Statistic::Ll,
            k: 1.0,
            alpha: 0.05,
            correction: Correction::Bonferroni,
            min_freq: 1,
        }
    }
}

/// One keyword row.
#[derive(Debug, Clone, PartialEq)]
pub struct Keyword {
    /// The item.
    pub item: String,
    /// Frequency in the target (`a`).
    pub a: u64,
    /// Frequency in the reference (`b`).
    pub b: u64,
    /// Per million in the target.
    pub pm_target: f64,
    /// Per million in the reference.
    pub pm_ref: f64,
    /// Log-likelihood (four-term G², or two-term), signed: negative when
    /// the item is relatively less frequent in the target.
    pub ll: f64,
    /// Pearson's χ² (Yates with the option), signed.
    pub chi2: Option<f64>,
    /// Log Ratio (0.5 for a zero frequency).
    pub log_ratio: Option<f64>,
    /// LRC, the conservative Log Ratio at the corrected level.
    pub lrc: Option<f64>,
    /// %DIFF (undefined when `b = 0`).
    pub pct_diff: Option<f64>,
    /// The difference coefficient.
    pub diff_coef: Option<f64>,
    /// BIC from the (unsigned) log-likelihood.
    pub bic: f64,
    /// Simple maths with constant k.
    pub simple_maths: f64,
    /// Relative risk (undefined when `b = 0`).
    pub relative_risk: Option<f64>,
    /// Odds ratio (Haldane correction with a zero cell).
    pub odds_ratio: Option<f64>,
    /// `+1` if the item's rate is higher in the target (`a/c > b/d`),
    /// `−1` if lower, `0` if the rates are exactly equal (compared in
    /// integers, `a·d` against `b·c`).
    pub direction: i8,
    /// The p-value of the tested statistic (1 df).
    pub p: f64,
    /// Whether `p` is below the corrected significance level.
    pub significant: bool,
}

/// A keyword measure by name: its value in a row, and its decimals in
/// output. The one list that the command line's `--sort` and the output
/// columns are derived from.
pub struct KeyMeasure {
    /// The name (column header and `--sort` value).
    pub name: &'static str,
    /// The value in a row.
    pub value: fn(&Keyword) -> Option<f64>,
    /// Decimals in output.
    pub decimals: usize,
}

/// Every keyword measure, in output order.
pub const MEASURES: &[KeyMeasure] = &[
    KeyMeasure { name: "ll", value: |w| Some(w.ll), decimals: 4 },
    KeyMeasure { name: "chi2", value: |w| w.chi2, decimals: 4 },
    KeyMeasure { name: "log_ratio", value: |w| w.log_ratio, decimals: 4 },
    KeyMeasure { name: "lrc", value: |w| w.lrc, decimals: 4 },
    KeyMeasure { name: "pct_diff", value: |w| w.pct_diff, decimals: 2 },
    KeyMeasure { name: "diff_coef", value: |w| w.diff_coef, decimals: 4 },
    KeyMeasure { name: "bic", value: |w| Some(w.bic), decimals: 4 },
    KeyMeasure {
        name: "simple_maths",
        value: |w| Some(w.simple_maths).filter(|v| v.is_finite()),
        decimals: 4,
    },
    KeyMeasure {
        name: "relative_risk",
        value: |w| w.relative_risk,
        decimals: 4,
    },
    KeyMeasure { name: "odds_ratio", value: |w| w.odds_ratio, decimals: 4 },
];

/// The result of [`keywords`].
#[derive(Debug, Clone)]
pub struct Keywords {
    /// One row per item.
    pub rows: Vec<Keyword>,
    /// Target size `c`.
    pub target_tokens: u64,
    /// Reference size `d`.
    pub ref_tokens: u64,
    /// Items tested (`m`).
    pub tested: u64,
    /// The corrected significance level.
    pub alpha_corrected: f64,
}

/// Compares the frequency lists of a target and a reference.
pub fn keywords(
    target: &GroupFreq,
    reference: &GroupFreq,
    opts: &KeynessOptions,
) -> Keywords {
    let mut freqs: Map<&str, (u64, u64)> = new_map();
    for r in &target.rows {
        freqs.entry(r.item.as_str()).or_default().0 = r.freq;
    }
    for r in &reference.rows {
        freqs.entry(r.item.as_str()).or_default().1 = r.freq;
    }
    let items: Vec<(&str, u64, u64)> = freqs
        .into_iter()
        .filter(|(_, (a, b))| a + b >= opts.min_freq)
        .map(|(item, (a, b))| (item, a, b))
        .collect();
    keywords_of(items, target.tokens, reference.tokens, opts)
}

/// Compares `target` with the rest of a corpus whose counts are `total`
/// (every item of the corpus, `target`'s included) and whose size is
/// `total_tokens`: the same rows as [`keywords`] against a reference
/// counted as `total` minus `target`, without making that reference.
///
/// # Panics
///
/// If `target` counts an item more often than `total` does, or has more
/// tokens than `total_tokens` (`target` must be a part of the corpus).
pub fn keywords_vs_rest(
    target: &GroupFreq,
    total: &Map<String, u64>,
    total_tokens: u64,
    opts: &KeynessOptions,
) -> Keywords {
    let own: Map<&str, u64> =
        target.rows.iter().map(|r| (r.item.as_str(), r.freq)).collect();
    let items: Vec<(&str, u64, u64)> = total
        .iter()
        .map(|(item, &f)| {
            let a = own.get(item.as_str()).copied().unwrap_or(0);
            (item.as_str(), a, f - a)
        })
        .filter(|(_, a, b)| a + b >= opts.min_freq)
        .collect();
    keywords_of(items, target.tokens, total_tokens - target.tokens, opts)
}

/// Everything in a [`Keyword`] row that depends only on its counts
/// `(a, b)` (and on the sizes and options, fixed in one comparison).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Scores {
    pm_target: f64,
    pm_ref: f64,
    ll: f64,
    chi2: Option<f64>,
    log_ratio: Option<f64>,
    lrc: Option<f64>,
    pct_diff: Option<f64>,
    diff_coef: Option<f64>,
    bic: f64,
    simple_maths: f64,
    relative_risk: Option<f64>,
    odds_ratio: Option<f64>,
    direction: i8,
    p: f64,
    significant: bool,
}

/// The scores of counts `a` and `b` in a target of `c` tokens and a
/// reference of `d`, computed directly with [`crate::measures`].
fn score(
    a: u64,
    b: u64,
    c: u64,
    d: u64,
    alpha_corrected: f64,
    opts: &KeynessOptions,
) -> Scores {
    let (af, bf) = (a as f64, b as f64);
    let (cf, df) = (c as f64, d as f64);
    let t = Contingency::keyness(af, bf, cf, df);
    let direction = match (u128::from(a) * u128::from(d))
        .cmp(&(u128::from(b) * u128::from(c)))
    {
        std::cmp::Ordering::Greater => 1i8,
        std::cmp::Ordering::Less => -1,
        std::cmp::Ordering::Equal => 0,
    };
    let sign = f64::from(direction);
    // A keyness table is always possible (a ≤ c, b ≤ d), so the
    // log-likelihood is defined whenever there are tokens.
    let ll = match opts.ll {
        LogLikelihood::TwoTerm => log_likelihood_two_term(&t),
        LogLikelihood::FourTerm => log_likelihood(&t, false),
    }
    .unwrap_or(0.0);
    let chi2 = chi_squared(&t, opts.yates);
    let stat = match opts.stat {
        Statistic::Chi2 => chi2.unwrap_or(0.0),
        Statistic::Ll => ll,
    };
    let p = p_chi2_1df(stat);
    Scores {
        pm_target: af * 1e6 / cf,
        pm_ref: bf * 1e6 / df,
        ll: sign * ll,
        chi2: chi2.map(|x| sign * x),
        log_ratio: log_ratio(af, bf, cf, df),
        lrc: lrc(af, bf, cf, df, alpha_corrected),
        pct_diff: pct_diff(af, bf, cf, df),
        diff_coef: difference_coefficient(af, bf, cf, df),
        bic: bic(ll, cf + df),
        simple_maths: simple_maths(af, bf, cf, df, opts.k),
        relative_risk: relative_risk(af, bf, cf, df),
        odds_ratio: odds_ratio(&t),
        direction,
        p,
        significant: p < alpha_corrected,
    }
}

/// The rows of `items` (item, a, b) in a target of `c` tokens against a
/// reference of `d`. The scores are those of [`score`], computed once
/// per distinct `(a, b)`: most items of a small target share a few
/// small count pairs, and LRC's beta quantiles are the costly part of a
/// row (`keyness --by doc`).
fn keywords_of(
    items: Vec<(&str, u64, u64)>,
    c: u64,
    d: u64,
    opts: &KeynessOptions,
) -> Keywords {
    let m = items.len().max(1) as f64;
    let alpha_corrected = match opts.correction {
        Correction::Bonferroni => opts.alpha / m,
        Correction::Sidak => 1.0 - (1.0 - opts.alpha).powf(1.0 / m),
        Correction::None => opts.alpha,
    };
    let mut memo: Map<(u64, u64), Scores> = new_map();
    let mut rows: Vec<Keyword> = items
        .into_iter()
        .map(|(item, a, b)| {
            let s = *memo
                .entry((a, b))
                .or_insert_with(|| score(a, b, c, d, alpha_corrected, opts));
            Keyword {
                item: item.to_string(),
                a,
                b,
                pm_target: s.pm_target,
                pm_ref: s.pm_ref,
                ll: s.ll,
                chi2: s.chi2,
                log_ratio: s.log_ratio,
                lrc: s.lrc,
                pct_diff: s.pct_diff,
                diff_coef: s.diff_coef,
                bic: s.bic,
                simple_maths: s.simple_maths,
                relative_risk: s.relative_risk,
                odds_ratio: s.odds_ratio,
                direction: s.direction,
                p: s.p,
                significant: s.significant,
            }
        })
        .collect();
    rows.sort_by(|x, y| {
        y.ll.total_cmp(&x.ll)
            .then_with(|| x.item.as_bytes().cmp(y.item.as_bytes()))
    });
    Keywords {
        rows,
        target_tokens: c,
        ref_tokens: d,
        tested: m as u64,
        alpha_corrected,
    }
}

/// The measure named `name`, of [`MEASURES`].
pub fn measure(
    name: &str,
) -> std::result::Result<&'static KeyMeasure, UnknownName> {
    MEASURES.iter().find(|m| m.name == name).ok_or_else(|| UnknownName {
        name: name.to_string(),
        known: MEASURES.iter().map(|m| m.name).collect(),
    })
}

/// The kinds of keyword a table keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Positive and negative keywords (and items of equal rates).
    Both,
    /// Items of a higher rate in the target.
    Positive,
    /// Items of a lower rate in the target.
    Negative,
}

impl std::str::FromStr for Direction {
    type Err = UnknownName;

    /// `both`, `positive` or `negative`.
    fn from_str(s: &str) -> std::result::Result<Self, UnknownName> {
        match s {
            "both" => Ok(Direction::Both),
            "positive" => Ok(Direction::Positive),
            "negative" => Ok(Direction::Negative),
            _ => Err(UnknownName::new(s, &["both", "positive", "negative"])),
        }
    }
}

/// Which rows of a keyword table are shown, and in which order.
#[derive(Clone, Copy)]
pub struct Selection {
    /// The measure rows are ranked by, descending; with
    /// [`Direction::Negative`], ascending (the most negative first).
    pub sort: &'static KeyMeasure,
    /// The kinds of keyword kept.
    pub direction: Direction,
    /// Keep only significant rows.
    pub significant: bool,
    /// Lockwords instead of keywords, with the largest |Log Ratio|
    /// kept: rows not significant whose |Log Ratio| is at most this,
    /// ranked by |Log Ratio| ascending, then `a + b` descending.
    pub lockwords: Option<f64>,
    /// Show only the first N rows; with [`Direction::Both`] (keywords,
    /// not lockwords), the N first and the N last.
    pub top: Option<usize>,
}

impl Default for Selection {
    /// Every keyword, ranked by `ll`.
    fn default() -> Self {
        Selection {
            sort: &MEASURES[0],
            direction: Direction::Both,
            significant: false,
            lockwords: None,
            top: None,
        }
    }
}

/// The rows of `k` that `sel` shows, in their order, each with its rank
/// (1-based) in the whole ranked list: every tie is broken by the
/// item's bytes, so the order is total. Rows whose item is a stopword
/// of `stop` are left out before ranking.
pub fn select<'k>(
    k: &'k Keywords,
    sel: &Selection,
    stop: Stoplist<'_>,
) -> Vec<(u64, &'k Keyword)> {
    let mut rows: Vec<&Keyword> = k
        .rows
        .iter()
        .filter(|w| match sel.direction {
            Direction::Positive => w.direction > 0,
            Direction::Negative => w.direction < 0,
            Direction::Both => true,
        })
        .filter(|w| !sel.significant || w.significant)
        .filter(|w| stop.keeps_term(&w.item))
        .collect();
    match sel.lockwords {
        Some(ratio) => {
            rows.retain(|w| {
                !w.significant
                    && w.log_ratio.is_some_and(|lr| lr.abs() <= ratio)
            });
            let abs = |w: &Keyword| w.log_ratio.unwrap_or(0.0).abs();
            rows.sort_by(|a, b| {
                abs(a)
                    .total_cmp(&abs(b))
                    .then((b.a + b.b).cmp(&(a.a + a.b)))
                    .then_with(|| a.item.as_bytes().cmp(b.item.as_bytes()))
            });
        }
        None => {
            let flip =
                if sel.direction == Direction::Negative { -1.0 } else { 1.0 };
            let key = |w: &Keyword| (sel.sort.value)(w).map(|v| flip * v);
            rows.sort_by(|a, b| {
                crate::measures::cmp_desc(key(a), key(b))
                    .then_with(|| a.item.as_bytes().cmp(b.item.as_bytes()))
            });
        }
    }
    // Both kinds: the N first and the N last, when they are apart; of
    // at most 2N rows, the first N only (as the command always did).
    let ends = sel.direction == Direction::Both && sel.lockwords.is_none();
    match sel.top {
        Some(n) if ends && rows.len() > 2 * n => first_and_last(rows, n),
        top => rows
            .into_iter()
            .take(top.unwrap_or(usize::MAX))
            .zip(1..)
            .map(|(w, rank)| (rank, w))
            .collect(),
    }
}

/// The first `n` and the last `n` of `rows` (all of them if there are
/// at most `2n`), each with its 1-based rank in `rows`.
pub fn first_and_last<T>(rows: Vec<T>, n: usize) -> Vec<(u64, T)> {
    let len = rows.len();
    rows.into_iter()
        .zip(1..)
        .enumerate()
        .filter(|(i, _)| len <= 2 * n || *i < n || *i >= len - n)
        .map(|(_, (w, rank))| (rank, w))
        .collect()
}

/// The columns of a keyword table: `group` first when grouped, then
/// rank, item, the counts, the rates, every [`MEASURES`] column, p,
/// significant and direction.
pub fn columns(grouped: bool) -> Vec<&'static str> {
    let mut columns = if grouped { vec!["group"] } else { Vec::new() };
    columns.extend([
        "rank",
        "item",
        "freq_target",
        "freq_ref",
        "pm_target",
        "pm_ref",
    ]);
    columns.extend(MEASURES.iter().map(|m| m.name));
    columns.extend(["p", "significant", "direction"]);
    columns
}

/// The cells of one row of [`columns`]: `group` is `Some` when grouped.
pub fn cells(group: Option<&str>, rank: u64, w: &Keyword) -> Vec<Cell> {
    let mut cells = Vec::with_capacity(MEASURES.len() + 10);
    cells.extend(group.map(|g| Cell::Str(g.to_string())));
    cells.extend([
        Cell::Int(rank),
        Cell::Str(w.item.clone()),
        Cell::Int(w.a),
        Cell::Int(w.b),
        Cell::Float(w.pm_target, 2),
        Cell::Float(w.pm_ref, 2),
    ]);
    cells.extend(MEASURES.iter().map(|m| Cell::opt((m.value)(w), m.decimals)));
    let direction = match w.direction {
        1 => "+",
        -1 => "-",
        _ => "=",
    };
    cells.extend([
        Cell::Float(w.p, 6),
        Cell::Str(if w.significant { "yes" } else { "no" }.to_string()),
        Cell::Str(direction.to_string()),
    ]);
    cells
}

/// The rest of a corpus for each of its groups: the whole corpus's
/// counts, of which each group's rest is taken item by item when the
/// group is compared ([`keywords_vs_rest`]), so no rest list is held
/// (a rest per group would hold every group times the vocabulary).
#[derive(Debug, Clone)]
pub struct Rest {
    total: Map<String, u64>,
    tokens: u64,
}

impl Rest {
    /// The whole corpus of `groups` (the groups of one count).
    ///
    /// Errors: a group that is the whole corpus (nothing to compare it
    /// with), the first in `groups` order.
    pub fn of(groups: &[GroupFreq]) -> Result<Rest> {
        let mut total: Map<String, u64> = new_map();
        for g in groups {
            for r in &g.rows {
                *total.entry_ref(r.item.as_str()).or_default() += r.freq;
            }
        }
        let tokens: u64 = groups.iter().map(|g| g.tokens).sum();
        if let Some(g) = groups.iter().find(|g| g.tokens == tokens) {
            return Err(Error::Usage(format!(
                "the group '{}' is the whole corpus: nothing to compare it with",
                g.group
            )));
        }
        Ok(Rest { total, tokens })
    }

    /// `target`, one of the groups, against the rest of the corpus.
    pub fn keywords(
        &self,
        target: &GroupFreq,
        opts: &KeynessOptions,
    ) -> Keywords {
        keywords_vs_rest(target, &self.total, self.tokens, opts)
    }
}

/// The comparisons of one keyness run.
#[derive(Debug, Clone)]
pub enum Comparisons {
    /// One target against one reference.
    Pair {
        /// The target's counts.
        target: GroupFreq,
        /// The reference's counts.
        reference: GroupFreq,
    },
    /// Each group of a corpus against the rest of it.
    EachVsRest {
        /// The groups' counts, in output order.
        groups: Vec<GroupFreq>,
        /// Their whole corpus.
        rest: Rest,
    },
}

impl Comparisons {
    /// Each of `groups` against the rest of their corpus; errors as
    /// [`Rest::of`].
    pub fn each_vs_rest(groups: Vec<GroupFreq>) -> Result<Comparisons> {
        let rest = Rest::of(&groups)?;
        Ok(Comparisons::EachVsRest { groups, rest })
    }

    /// Whether the comparisons are of groups (rows name their group).
    pub fn is_grouped(&self) -> bool {
        matches!(self, Comparisons::EachVsRest { .. })
    }

    /// Calls `f(group, keywords)` for each comparison, in order (the
    /// group is `""` for a pair), stopping at the first error; one
    /// table is held at a time.
    pub fn try_for_each<E>(
        &self,
        opts: &KeynessOptions,
        mut f: impl FnMut(&str, Keywords) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        match self {
            Comparisons::Pair { target, reference } => {
                f("", keywords(target, reference, opts))
            }
            Comparisons::EachVsRest { groups, rest } => groups
                .iter()
                .try_for_each(|g| f(&g.group, rest.keywords(g, opts))),
        }
    }
}

impl Correction {
    /// The correction's name, as [`FromStr`](std::str::FromStr) reads it.
    pub fn name(self) -> &'static str {
        match self {
            Correction::Bonferroni => "bonferroni",
            Correction::Sidak => "sidak",
            Correction::None => "none",
        }
    }
}

impl Keywords {
    /// The comparison in one line: the sizes, the items tested and the
    /// corrected level, e.g. `target 1000 tokens, reference 2000 tokens;
    /// 2 items tested, alpha 0.05 corrected to 2.500e-2 (bonferroni)`.
    pub fn summary(&self, opts: &KeynessOptions) -> String {
        format!(
            "target {} tokens, reference {} tokens; {} items tested, alpha {} corrected to {:.3e} ({})",
            self.target_tokens,
            self.ref_tokens,
            self.tested,
            opts.alpha,
            self.alpha_corrected,
            opts.correction.name()
        )
    }
}

/// The target and the reference within one corpus: the documents of
/// `filter` that match `target`, and those of `filter` that match
/// `reference` or, without one (`--ref rest`), that `target` leaves
/// out.
pub fn subcorpora(
    filter: &DocFilter,
    target: &DocFilter,
    reference: Option<&DocFilter>,
) -> (DocFilter, DocFilter) {
    let reference = match reference {
        Some(r) => filter.and(r),
        None => filter.except(target),
    };
    (filter.and(target), reference)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::freq::FreqRow;
    use crate::hash::Set;

    fn group(tokens: u64, items: &[(&str, u64)]) -> GroupFreq {
        GroupFreq {
            group: String::new(),
            tokens,
            types: items.len() as u64,
            parts: 1,
            empty_docs: 0,
            rows: items
                .iter()
                .map(|(i, f)| FreqRow {
                    item: i.to_string(),
                    freq: *f,
                    per_million: 0.0,
                    range: 1,
                    range_pct: 100.0,
                    juilland_d: None,
                    dp: None,
                    dp_norm: None,
                })
                .collect(),
        }
    }

    /// An undefined simple maths (k infinite: ∞/∞) is an empty cell, not
    /// `nan` (issue 22).
    #[test]
    fn undefined_simple_maths_is_no_value() {
        let t = group(1000, &[("x", 10)]);
        let r = group(2000, &[("x", 5)]);
        let m = MEASURES.iter().find(|m| m.name == "simple_maths").unwrap();
        let inf = KeynessOptions { k: f64::INFINITY, ..Default::default() };
        let k = keywords(&t, &r, &inf);
        assert_eq!((m.value)(&k.rows[0]), None);
        // k = 1: (10,000 + 1) / (2,500 + 1).
        let k = keywords(&t, &r, &KeynessOptions::default());
        let v = (m.value)(&k.rows[0]).unwrap();
        assert!((v - 10_001.0 / 2_501.0).abs() < 1e-12, "{v}");
    }

    /// statistics.md §3's test vector (a = 10, b = 5, c = 1000, d = 2000)
    /// as one row, with a second item only in the reference.
    #[test]
    fn keyness_rows_by_hand() {
        let t = group(1000, &[("x", 10)]);
        let r = group(2000, &[("x", 5), ("y", 40)]);
        let k = keywords(&t, &r, &KeynessOptions::default());
        assert_eq!((k.tested, k.target_tokens, k.ref_tokens), (2, 1000, 2000));
        assert!((k.alpha_corrected - 0.025).abs() < 1e-15);
        let x = k.rows.iter().find(|w| w.item == "x").unwrap();
        // G² = 6.969191931933027 (mpmath at 30 digits; SciPy's four-term
        // sum gives ...2806, 2.2e-13 off).
        assert!((x.ll - 6.969191931933027).abs() < 1e-13);
        assert!((x.chi2.unwrap() - 7.5376884422110555).abs() < 1e-12);
        assert_eq!(x.log_ratio, Some(2.0));
        // LRC at the Bonferroni level 0.025: a bound between 0 and 2.
        let v = x.lrc.unwrap();
        assert!(v > 0.0 && v < 2.0, "{v}");
        assert_eq!(v, lrc(10.0, 5.0, 1000.0, 2000.0, 0.025).unwrap());
        assert!((x.pct_diff.unwrap() - 300.0).abs() < 1e-12);
        assert!((x.pm_target - 10_000.0).abs() < 1e-9);
        // p of G² = 6.969 with 1 df, erfc(sqrt(G²/2)) in mpmath:
        // 0.008292493584806093; below 0.025.
        assert!((x.p - 0.008292493584806093).abs() < 1e-15 && x.significant);
        // y: a = 0, b = 40: negative keyword, Log Ratio with 0.5 for a.
        let y = k.rows.iter().find(|w| w.item == "y").unwrap();
        assert!(y.ll < 0.0);
        assert!(
            (y.log_ratio.unwrap()
                - ((0.5f64 / 1000.0) / (40.0 / 2000.0)).log2())
            .abs()
                < 1e-12
        );
        assert_eq!(k.rows[0].item, "x", "positive keywords first");
        // Two-term LL: 10 · ln 2.
        let two = keywords(
            &t,
            &r,
            &KeynessOptions {
                ll: LogLikelihood::TwoTerm,
                ..Default::default()
            },
        );
        let x2 = two.rows.iter().find(|w| w.item == "x").unwrap();
        assert!((x2.ll - 10.0 * 2f64.ln()).abs() < 1e-12);
        // Šidák with m = 2: 1 − 0.95^(1/2).
        let s = keywords(
            &t,
            &r,
            &KeynessOptions {
                correction: Correction::Sidak,
                ..Default::default()
            },
        );
        assert!((s.alpha_corrected - (1.0 - 0.95f64.sqrt())).abs() < 1e-15);
    }

    /// Equal rates (10 in 1,000 and 20 in 2,000) are neither positive
    /// nor negative; one more or one fewer token in the target tips it.
    #[test]
    fn direction_is_exact() {
        let t = group(1000, &[("eq", 10), ("up", 11), ("down", 9)]);
        let r = group(2000, &[("eq", 20), ("up", 20), ("down", 20)]);
        let k = keywords(&t, &r, &KeynessOptions::default());
        let dir = |item: &str| {
            let w = k.rows.iter().find(|w| w.item == item).unwrap();
            (w.direction, w.ll)
        };
        assert_eq!(dir("eq"), (0, 0.0));
        assert!(dir("up").0 == 1 && dir("up").1 > 0.0);
        assert!(dir("down").0 == -1 && dir("down").1 < 0.0);
    }

    /// A row from its counts alone, by the measures' functions, without
    /// the memo: what every row of [`keywords`] must equal.
    fn direct(w: &Keyword, k: &Keywords, opts: &KeynessOptions) -> Scores {
        let (a, b) = (w.a as f64, w.b as f64);
        let (c, d) = (k.target_tokens as f64, k.ref_tokens as f64);
        let t = Contingency::keyness(a, b, c, d);
        let direction = (a * d).total_cmp(&(b * c)) as i8;
        let ll = if opts.ll == LogLikelihood::TwoTerm {
            log_likelihood_two_term(&t)
        } else {
            log_likelihood(&t, false)
        }
        .unwrap_or(0.0);
        let chi2 = chi_squared(&t, opts.yates);
        let p = p_chi2_1df(if opts.stat == Statistic::Chi2 {
            chi2.unwrap_or(0.0)
        } else {
            ll
        });
        let sign = f64::from(direction);
        Scores {
            pm_target: a * 1e6 / c,
            pm_ref: b * 1e6 / d,
            ll: sign * ll,
            chi2: chi2.map(|x| sign * x),
            log_ratio: log_ratio(a, b, c, d),
            lrc: lrc(a, b, c, d, k.alpha_corrected),
            pct_diff: pct_diff(a, b, c, d),
            diff_coef: difference_coefficient(a, b, c, d),
            bic: bic(ll, c + d),
            simple_maths: simple_maths(a, b, c, d, opts.k),
            relative_risk: relative_risk(a, b, c, d),
            odds_ratio: odds_ratio(&t),
            direction,
            p,
            significant: p < k.alpha_corrected,
        }
    }

    fn scores(w: &Keyword) -> Scores {
        Scores {
            pm_target: w.pm_target,
            pm_ref: w.pm_ref,
            ll: w.ll,
            chi2: w.chi2,
            log_ratio: w.log_ratio,
            lrc: w.lrc,
            pct_diff: w.pct_diff,
            diff_coef: w.diff_coef,
            bic: w.bic,
            simple_maths: w.simple_maths,
            relative_risk: w.relative_risk,
            odds_ratio: w.odds_ratio,
            direction: w.direction,
            p: w.p,
            significant: w.significant,
        }
    }

    /// Many groups whose items share a few small count pairs, and pairs
    /// that share one count (same `a`, other `b`, and the other way):
    /// the scores kept once per `(a, b)` are bit for bit the direct
    /// computation of each row, and each group against the rest
    /// ([`keywords_vs_rest`]) is the group against the rest counted out
    /// ([`keywords`]) (issue 22: `keyness --by doc`).
    #[test]
    fn memo_and_rest_match_the_direct_computation() {
        let groups: Vec<GroupFreq> = (0..12u64)
            .map(|g| {
                let items: Vec<(String, u64)> = (0..40u64)
                    .map(|i| (format!("w{i}"), 1 + (i * (g + 1)) % 4))
                    .filter(|(_, f)| (g + *f) % 5 != 0)
                    .collect();
                let tokens = items.iter().map(|(_, f)| f).sum::<u64>() + g;
                let refs: Vec<(&str, u64)> =
                    items.iter().map(|(i, f)| (i.as_str(), *f)).collect();
                group(tokens, &refs)
            })
            .collect();
        let mut total: Map<String, u64> = new_map();
        for g in &groups {
            for r in &g.rows {
                *total.entry(r.item.clone()).or_default() += r.freq;
            }
        }
        let all: u64 = groups.iter().map(|g| g.tokens).sum();
        let variants = [
            KeynessOptions::default(),
            KeynessOptions {
                ll: LogLikelihood::TwoTerm,
                yates: true,
                stat: Statistic::Chi2,
                k: 100.0,
                correction: Correction::Sidak,
                min_freq: 3,
                ..Default::default()
            },
        ];
        let (mut shared, mut sharing_a) = (0, 0);
        for opts in &variants {
            for g in &groups {
                let rest: Vec<(&str, u64)> = total
                    .iter()
                    .map(|(i, f)| {
                        let own = g.rows.iter().find(|r| &r.item == i);
                        (i.as_str(), f - own.map_or(0, |r| r.freq))
                    })
                    .filter(|(_, f)| *f > 0)
                    .collect();
                let counted = keywords(g, &group(all - g.tokens, &rest), opts);
                let fast = keywords_vs_rest(g, &total, all, opts);
                assert_eq!(fast.rows, counted.rows);
                assert_eq!(
                    (fast.tested, fast.ref_tokens, fast.alpha_corrected),
                    (
                        counted.tested,
                        counted.ref_tokens,
                        counted.alpha_corrected
                    )
                );
                let mut pairs: Map<(u64, u64), u32> = new_map();
                for w in &fast.rows {
                    assert_eq!(scores(w), direct(w, &fast, opts), "{w:?}");
                    *pairs.entry((w.a, w.b)).or_default() += 1;
                }
                shared += pairs.values().filter(|n| **n > 1).count();
                let a_s: Set<u64> = pairs.keys().map(|k| k.0).collect();
                sharing_a += usize::from(a_s.len() < pairs.len());
            }
        }
        assert!(shared > 50 && sharing_a > 10, "{shared}, {sharing_a}");
    }

    /// A hand-made row: only the fields selection reads matter.
    fn kw(item: &str, ab: (u64, u64), ll: f64, lr: f64, sig: bool) -> Keyword {
        Keyword {
            item: item.to_string(),
            a: ab.0,
            b: ab.1,
            pm_target: 0.0,
            pm_ref: 0.0,
            ll,
            chi2: (ll != 0.0).then_some(ll),
            log_ratio: Some(lr),
            lrc: None,
            pct_diff: None,
            diff_coef: None,
            bic: 0.0,
            simple_maths: 0.0,
            relative_risk: None,
            odds_ratio: None,
            direction: if ll > 0.0 {
                1
            } else if ll < 0.0 {
                -1
            } else {
                0
            },
            p: 0.5,
            significant: sig,
        }
    }

    fn table(rows: Vec<Keyword>) -> Keywords {
        Keywords {
            rows,
            target_tokens: 100,
            ref_tokens: 100,
            tested: 1,
            alpha_corrected: 0.05,
        }
    }

    fn items(rows: &[(u64, &Keyword)]) -> Vec<(u64, String)> {
        rows.iter().map(|(r, w)| (*r, w.item.clone())).collect()
    }

    /// Ranking, kinds, significance, stopwords and first-and-last, on
    /// six rows whose order is worked out by hand.
    #[test]
    fn select_ranks_filters_and_takes_both_ends() {
        let k = table(vec![
            kw("b", (9, 1), 5.0, 2.0, true),
            kw("a", (9, 1), 5.0, 2.0, true),
            kw("c", (3, 1), 1.0, 0.4, false),
            kw("e", (2, 2), 0.0, 0.0, false),
            kw("d", (1, 3), -1.0, -0.3, false),
            kw("f", (1, 9), -6.0, -2.0, true),
        ]);
        let none = crate::hash::new_set();
        let stop = Stoplist::new(&none);
        let run = |sel: Selection| items(&select(&k, &sel, stop));
        let ranked = |v: &[(u64, &str)]| -> Vec<(u64, String)> {
            v.iter().map(|(r, i)| (*r, i.to_string())).collect()
        };
        // ll descending, the tie a/b by bytes.
        assert_eq!(
            run(Selection::default()),
            ranked(&[
                (1, "a"),
                (2, "b"),
                (3, "c"),
                (4, "e"),
                (5, "d"),
                (6, "f")
            ])
        );
        let sel = |direction, significant, top| Selection {
            direction,
            significant,
            top,
            ..Selection::default()
        };
        // Negative alone: the most negative first; `e` (=) is neither.
        assert_eq!(
            run(sel(Direction::Negative, false, None)),
            ranked(&[(1, "f"), (2, "d")])
        );
        assert_eq!(
            run(sel(Direction::Positive, true, None)),
            ranked(&[(1, "a"), (2, "b")])
        );
        // Six rows, top 2 of both kinds: ranks 1, 2 and 5, 6.
        assert_eq!(
            run(sel(Direction::Both, false, Some(2))),
            ranked(&[(1, "a"), (2, "b"), (5, "d"), (6, "f")])
        );
        // Six rows are not more than 2 × 3: the first three only.
        assert_eq!(
            run(sel(Direction::Both, false, Some(3))),
            ranked(&[(1, "a"), (2, "b"), (3, "c")])
        );
        assert_eq!(
            run(sel(Direction::Positive, false, Some(2))),
            ranked(&[(1, "a"), (2, "b")])
        );
        // By chi2, which `e` lacks: undefined values last.
        let chi2 = Selection {
            sort: measure("chi2").unwrap(),
            ..sel(Direction::Both, false, None)
        };
        assert_eq!(run(chi2).last().unwrap(), &(6, "e".to_string()));
        // Stopwords leave rows out before ranking.
        let mut an = crate::analyze::Analyzer::default();
        an.add_stopwords(["A", "c"]);
        let no_stop = select(&k, &Selection::default(), Stoplist::of(&an));
        assert_eq!(
            items(&no_stop),
            ranked(&[(1, "b"), (2, "e"), (3, "d"), (4, "f")])
        );
    }

    /// Lockwords: not significant, |Log Ratio| within the ratio, the
    /// closest to 0 first, then the most frequent, then by bytes.
    #[test]
    fn lockwords_by_hand() {
        let k = table(vec![
            kw("far", (8, 1), 3.0, 3.0, false),
            kw("sig", (5, 5), 0.0, 0.0, true),
            kw("y", (4, 4), 0.0, 0.0, false),
            kw("x", (4, 4), 0.0, 0.0, false),
            kw("big", (40, 40), 0.0, 0.0, false),
            kw("near", (5, 4), 0.1, 0.3, false),
            kw("under", (4, 5), -0.1, -0.2, false),
            kw("edge", (3, 2), 0.2, 0.5, false),
        ]);
        let none = crate::hash::new_set();
        let sel = Selection {
            lockwords: Some(0.5),
            top: Some(2),
            ..Selection::default()
        };
        let all = Selection { top: None, ..sel };
        let got = items(&select(&k, &all, Stoplist::new(&none)));
        let want = ["big", "x", "y", "under", "near", "edge"];
        let want: Vec<(u64, String)> =
            want.iter().zip(1..).map(|(i, r)| (r, i.to_string())).collect();
        assert_eq!(got, want);
        // --top with lockwords: the first N, never both ends.
        let got = items(&select(&k, &sel, Stoplist::new(&none)));
        assert_eq!(got, want[..2]);
    }

    #[test]
    fn first_and_last_keeps_ranks() {
        let v = vec!['a', 'b', 'c', 'd', 'e'];
        assert_eq!(
            first_and_last(v.clone(), 2),
            [(1, 'a'), (2, 'b'), (4, 'd'), (5, 'e')]
        );
        assert_eq!(first_and_last(v.clone(), 3).len(), 5);
        assert_eq!(first_and_last(v, 0), []);
    }

    /// Every typed option parses its names and lists them otherwise.
    #[test]
    fn option_names_parse_or_list_the_known() {
        assert_eq!("sidak".parse(), Ok(Correction::Sidak));
        assert_eq!("none".parse(), Ok(Correction::None));
        assert_eq!("two-term".parse(), Ok(LogLikelihood::TwoTerm));
        assert_eq!("chi2".parse(), Ok(Statistic::Chi2));
        assert_eq!("negative".parse(), Ok(Direction::Negative));
        assert_eq!(measure("lrc").unwrap().name, "lrc");
        let e = "Bonferroni".parse::<Correction>().unwrap_err();
        assert_eq!(
            e.message("--correction"),
            "unknown --correction 'Bonferroni' (known: bonferroni, sidak, none)"
        );
        assert_eq!(
            "x".parse::<LogLikelihood>().unwrap_err().to_string(),
            "unknown 'x' (known: four-term, two-term)"
        );
        let e = measure("g2").err().unwrap();
        assert_eq!(e.known.len(), MEASURES.len());
        assert!(e.message("--sort").starts_with(
            "unknown --sort 'g2' (known: ll, chi2, log_ratio, lrc, "
        ));
        assert!("".parse::<Statistic>().is_err());
        assert!("both ".parse::<Direction>().is_err());
    }

    /// A row's cells line up with the columns, grouped or not.
    #[test]
    fn cells_match_columns() {
        let w = kw("x", (3, 1), -2.5, -1.0, true);
        let cells = cells(Some("g"), 7, &w);
        let cols = columns(true);
        assert_eq!(cells.len(), cols.len());
        assert_eq!(columns(false).len() + 1, cols.len());
        let at =
            |name: &str| &cells[cols.iter().position(|c| *c == name).unwrap()];
        assert_eq!(at("group"), &Cell::Str("g".into()));
        assert_eq!(at("rank"), &Cell::Int(7));
        assert_eq!(at("freq_ref"), &Cell::Int(1));
        assert_eq!(at("ll"), &Cell::Float(-2.5, 4));
        assert_eq!(at("lrc"), &Cell::Null);
        assert_eq!(at("significant"), &Cell::Str("yes".into()));
        assert_eq!(at("direction"), &Cell::Str("-".into()));
    }

    /// Two groups of 10 tokens: each is compared with the other, as the
    /// rest of the corpus; a group that is the whole corpus is refused.
    #[test]
    fn each_group_against_the_rest() {
        let mut a = group(10, &[("x", 6), ("y", 4)]);
        a.group = "a".into();
        let mut b = group(10, &[("x", 2), ("y", 8)]);
        b.group = "b".into();
        let runs =
            Comparisons::each_vs_rest(vec![a.clone(), b.clone()]).unwrap();
        assert!(runs.is_grouped());
        let opts = KeynessOptions::default();
        let mut seen = Vec::new();
        runs.try_for_each(&opts, |g, k| -> std::result::Result<(), ()> {
            let x = k.rows.iter().find(|w| w.item == "x").unwrap();
            seen.push((
                g.to_string(),
                k.target_tokens,
                k.ref_tokens,
                x.a,
                x.b,
                x.direction,
            ));
            Ok(())
        })
        .unwrap();
        assert_eq!(
            seen,
            [
                ("a".to_string(), 10, 10, 6, 2, 1),
                ("b".to_string(), 10, 10, 2, 6, -1)
            ]
        );
        // The same rows as the pair a against b.
        let pair = keywords(&a, &b, &opts);
        let vs = Rest::of(&[a.clone(), b]).unwrap().keywords(&a, &opts);
        assert_eq!(pair.rows, vs.rows);
        let alone = group(10, &[("x", 10)]);
        let e = Comparisons::each_vs_rest(vec![alone.clone(), group(0, &[])])
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "the group '' is the whole corpus: nothing to compare it with"
        );
        let p = Comparisons::Pair { target: alone.clone(), reference: alone };
        assert!(!p.is_grouped());
    }

    #[test]
    fn summary_by_hand() {
        let t = group(1000, &[("x", 10)]);
        let r = group(2000, &[("x", 5), ("y", 40)]);
        let opts = KeynessOptions::default();
        assert_eq!(
            keywords(&t, &r, &opts).summary(&opts),
            "target 1000 tokens, reference 2000 tokens; 2 items tested, alpha 0.05 corrected to 2.500e-2 (bonferroni)"
        );
        let none = KeynessOptions {
            correction: Correction::None,
            alpha: 0.1,
            ..opts
        };
        assert!(
            keywords(&t, &r, &none)
                .summary(&none)
                .ends_with("alpha 0.1 corrected to 1.000e-1 (none)")
        );
        for c in [Correction::Bonferroni, Correction::Sidak, Correction::None]
        {
            assert_eq!(c.name().parse(), Ok(c));
        }
    }

    /// Documents of years 2008, 2016 and 2020, and one without a year:
    /// the target 2016 against 2008, and against the rest.
    #[test]
    fn subcorpora_and_the_rest() {
        let doc = |year: Option<&str>| crate::corpus::Document {
            id: format!("{year:?}"),
            meta: year
                .map(|y| ("year".into(), y.to_string()))
                .into_iter()
                .collect(),
            text: String::new(),
        };
        let docs = [
            doc(Some("2008")),
            doc(Some("2016")),
            doc(Some("2020")),
            doc(None),
        ];
        let parse = |c: &str| DocFilter::parse(&[c.to_string()]).unwrap();
        let kept = |f: &DocFilter| -> Vec<usize> {
            (0..docs.len()).filter(|&i| f.matches(&docs[i])).collect()
        };
        let all = DocFilter::default();
        let (t, r) =
            subcorpora(&all, &parse("year=2016"), Some(&parse("year=2008")));
        assert_eq!((kept(&t), kept(&r)), (vec![1], vec![0]));
        let (t, r) = subcorpora(&all, &parse("year=2016"), None);
        assert_eq!((kept(&t), kept(&r)), (vec![1], vec![0, 2, 3]));
        // --where applies to both sides: the rest within it.
        let (t, r) =
            subcorpora(&parse("year>=2010"), &parse("year=2016"), None);
        assert_eq!((kept(&t), kept(&r)), (vec![1], vec![2]));
    }
}
