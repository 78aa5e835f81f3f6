//! `korpus keyness`: keywords of a target against a reference.

use anyhow::Context;
use korpus::analyze::ClassSet;
use korpus::dist::{Backend, Subcorpus};
use korpus::freq::{self, FreqOptions};
use korpus::keyness::{self, Correction, KeynessOptions};
use korpus::meta::{DocFilter, GroupBy};
use korpus::report::{Cell, RowWriter};

use super::Outcome;
use super::args::{AnalyzeArgs, CorpusArgs, SubcorpusArgs, settings, usage};
use super::chart::{self, ChartArgs};
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
    if !(args.k.is_finite() && args.k > 0.0) {
        return Err(usage(format!(
            "--k {} is not a finite number above 0",
            args.k
        )));
    }
    if !(args.lock_ratio.is_finite() && args.lock_ratio >= 0.0) {
        return Err(usage(format!(
            "--lock-ratio {} is not a finite number of at least 0",
            args.lock_ratio
        )));
    }
    if !matches!(args.direction.as_str(), "both" | "positive" | "negative") {
        return Err(usage(format!(
            "unknown --direction '{}' (known: both, positive, negative)",
            args.direction
        )));
    }
    let names: Vec<&str> = keyness::MEASURES.iter().map(|m| m.name).collect();
    let Some(sort_by) = keyness::MEASURES.iter().find(|m| m.name == args.sort)
    else {
        return Err(usage(format!(
            "unknown --sort '{}' (known: {})",
            args.sort,
            names.join(", ")
        )));
    };
    let checksums = args.out.provenance.is_some();
    let fopts = FreqOptions { ngram: 1, dp: false, cross_sentences: false };
    // (group, target list, reference list) for each comparison.
    // With --by: the whole corpus's counts, of which each group's rest
    // is made.
    let mut rest_of = None;
    let (pairs, report, skipped) = if by.is_grouped() {
        // Each group against the rest: the rest's counts are the whole
        // corpus's minus the group's.
        let corpus = args.corpus.open(checksums)?;
        let list = backend.freq_list(
            &Subcorpus { corpus: &corpus, analyzer: &an, filter: &filter },
            &by,
            &fopts,
            &mut output::warn,
        )?;
        // The whole corpus's counts; each group's rest is taken from them
        // item by item when the group is compared (keywords_vs_rest), so
        // no rest list is held
        // (a rest per group made `keyness --by doc` hold every group
        // times the vocabulary).
        let mut total: korpus::hash::Map<String, u64> =
            korpus::hash::new_map();
        for g in &list.groups {
            for r in &g.rows {
                *total.entry_ref(r.item.as_str()).or_default() += r.freq;
            }
        }
        let all_tokens: u64 = list.groups.iter().map(|g| g.tokens).sum();
        let skipped = list.report.skipped_records;
        let mut pairs = Vec::with_capacity(list.groups.len());
        for g in list.groups {
            // (Its rows are never made: see keywords_vs_rest.)
            let rest = freq::GroupFreq {
                tokens: all_tokens - g.tokens,
                rows: Vec::new(),
                ..shell(&g)
            };
            if rest.tokens == 0 {
                return Err(usage(format!(
                    "the group '{}' is the whole corpus: nothing to compare it with",
                    g.group
                )));
            }
            pairs.push((g.group.clone(), g, rest));
        }
        rest_of = Some(total);
        (pairs, list.report, skipped)
    } else if args.target.is_empty() {
        let t_corpus = args.corpus.open(checksums)?;
        let r_corpus = args.corpus.read.open(&args.reference, checksums)?;
        let t = backend
            .freq_list(
                &Subcorpus {
                    corpus: &t_corpus,
                    analyzer: &an,
                    filter: &filter,
                },
                &GroupBy::All,
                &fopts,
                &mut output::warn,
            )
            .context("the target corpus")?;
        let r = backend
            .freq_list(
                &Subcorpus {
                    corpus: &r_corpus,
                    analyzer: &an,
                    filter: &filter,
                },
                &GroupBy::All,
                &fopts,
                &mut output::warn,
            )
            .context("the reference corpus")?;
        let skipped = t.report.skipped_records + r.report.skipped_records;
        (
            vec![(String::new(), t.groups[0].clone(), r.groups[0].clone())],
            t.report,
            skipped,
        )
    } else {
        let corpus = args.corpus.open(checksums)?;
        corpus.keep_stdin(); // read for the target, then the reference
        let t_filter =
            filter.and(&DocFilter::parse(&args.target).map_err(usage)?);
        let r_filter = if args.reference == ["rest"] {
            filter.except(&DocFilter::parse(&args.target).map_err(usage)?)
        } else {
            filter.and(&DocFilter::parse(&args.reference).map_err(usage)?)
        };
        let t = backend
            .freq_list(
                &Subcorpus {
                    corpus: &corpus,
                    analyzer: &an,
                    filter: &t_filter,
                },
                &GroupBy::All,
                &fopts,
                &mut output::warn,
            )
            .context("the target subcorpus (--target)")?;
        let r = backend
            .freq_list(
                &Subcorpus {
                    corpus: &corpus,
                    analyzer: &an,
                    filter: &r_filter,
                },
                &GroupBy::All,
                &fopts,
                &mut |_| {},
            )
            .context("the reference subcorpus (--ref)")?;
        let skipped = t.report.skipped_records;
        (
            vec![(String::new(), t.groups[0].clone(), r.groups[0].clone())],
            t.report,
            skipped,
        )
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
    let key = |w: &keyness::Keyword| (sort_by.value)(w);
    let grouped = by.is_grouped();
    let mut columns = if grouped { vec!["group"] } else { Vec::new() };
    columns.extend([
        "rank",
        "item",
        "freq_target",
        "freq_ref",
        "pm_target",
        "pm_ref",
    ]);
    columns.extend(keyness::MEASURES.iter().map(|m| m.name));
    columns.extend(["p", "significant", "direction"]);
    // Rows stream to the output; only a chart holds them.
    let mut printed: Vec<Vec<Cell>> = Vec::new();
    let mut out = args.out.open_for(backend)?;
    let mut wtr = RowWriter::new(out.writer(), format, &columns)?;
    wtr.csv_safe(args.out.csv_safe);
    let mut summaries = Vec::new();
    for (group, target, reference) in &pairs {
        // With --by, the rest is the whole corpus minus the group.
        let k = match &rest_of {
            Some(total) => keyness::keywords_vs_rest(
                target,
                total,
                target.tokens + reference.tokens,
                &kopts,
            ),
            None => keyness::keywords(target, reference, &kopts),
        };
        let mut rows: Vec<&keyness::Keyword> = k
            .rows
            .iter()
            .filter(|w| match args.direction.as_str() {
                "positive" => w.direction > 0,
                "negative" => w.direction < 0,
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
                    && w.log_ratio
                        .is_some_and(|lr| lr.abs() <= args.lock_ratio)
            });
            rows.sort_by(|a, b| {
                let abs =
                    |w: &keyness::Keyword| w.log_ratio.unwrap_or(0.0).abs();
                abs(a)
                    .total_cmp(&abs(b))
                    .then((b.a + b.b).cmp(&(a.a + a.b)))
                    .then_with(|| a.item.as_bytes().cmp(b.item.as_bytes()))
            });
        }
        let rows: Vec<(usize, &keyness::Keyword)> = match args.top {
            // Both kinds: the N first and the N last.
            Some(n)
                if args.direction == "both"
                    && !args.lockwords
                    && rows.len() > 2 * n =>
            {
                let len = rows.len();
                let ends = rows.iter().enumerate();
                ends.filter(|(i, _)| *i < n || *i >= len - n)
                    .map(|(i, w)| (i, *w))
                    .collect()
            }
            top => rows
                .iter()
                .take(top.unwrap_or(usize::MAX))
                .copied()
                .enumerate()
                .collect(),
        };
        for (rank, w) in rows {
            let mut cells = Vec::with_capacity(columns.len());
            if grouped {
                cells.push(Cell::Str(group.clone()));
            }
            cells.extend([
                Cell::Int(rank as u64 + 1),
                Cell::Str(w.item.clone()),
                Cell::Int(w.a),
                Cell::Int(w.b),
                Cell::Float(w.pm_target, 2),
                Cell::Float(w.pm_ref, 2),
            ]);
            cells.extend(
                keyness::MEASURES
                    .iter()
                    .map(|m| Cell::opt((m.value)(w), m.decimals)),
            );
            cells.extend([
                Cell::Float(w.p, 6),
                Cell::Str(
                    if w.significant { "yes" } else { "no" }.to_string(),
                ),
                Cell::Str(
                    match w.direction {
                        1 => "+",
                        -1 => "-",
                        _ => "=",
                    }
                    .to_string(),
                ),
            ]);
            wtr.row(&cells)?;
            if spec.is_some() {
                printed.push(cells);
            }
        }
        summaries.push((
            group.clone(),
            k.target_tokens,
            k.ref_tokens,
            k.tested,
            k.alpha_corrected,
        ));
    }
    wtr.finish()?;
    let rendered = match &spec {
        Some(spec) => {
            let value = spec.value.as_deref().unwrap_or(&args.sort);
            let how = chart::BarsFrom {
                title: format!(
                    "Keywords by {value} — {}",
                    chart::corpus_label(&args.corpus.inputs)
                ),
                label: &["item"],
                value,
                group: grouped.then_some("group"),
                limit: chart::bar_limit(args.top.map(|n| 2 * n)),
                signed_by: Some("direction"),
            };
            let mut b = chart::bars_from_rows(&columns, &printed, &how)?;
            b.diverging = Some((
                "more frequent in the target".to_string(),
                "more frequent in the reference".to_string(),
            ));
            Some(spec.render(&korpus::chart::Chart::Bars(b))?)
        }
        None => None,
    };
    out.finish()?;
    if backend.writes() {
        chart::finish(rendered)?;
    }
    for (group, t, r, m, a) in &summaries {
        let label = if grouped { format!("{group}: ") } else { String::new() };
        eprintln!(
            "korpus: {label}target {t} tokens, reference {r} tokens; {m} items tested, alpha {} corrected to {a:.3e} ({})",
            args.alpha, args.correction
        );
    }
    if let Some(path) = &args.out.provenance
        && backend.writes()
    {
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
        let counts: Vec<serde_json::Value> = summaries
            .iter()
            .map(|(g, t, r, m, a)| {
                serde_json::json!({"group": g, "target_tokens": t, "ref_tokens": r, "tested": m, "alpha_corrected": a})
            })
            .collect();
        output::write_provenance(
            path,
            &report,
            settings,
            serde_json::json!(counts),
        )?;
    }
    Ok(Outcome { skipped })
}

/// `g` without its rows, as the rest of the corpus for `g` starts.
fn shell(g: &freq::GroupFreq) -> freq::GroupFreq {
    freq::GroupFreq {
        group: g.group.clone(),
        tokens: g.tokens,
        types: g.types,
        parts: g.parts,
        empty_docs: g.empty_docs,
        rows: Vec::new(),
    }
}
