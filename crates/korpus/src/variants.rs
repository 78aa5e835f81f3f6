//! Variant alternation: how often each variant of a variable (Tiongkok,
//! China, Cina, RRT) occurs in each group, with shares, confidence
//! intervals and a test of independence across groups.
//!
//! A variable is a query whose top-level alternatives are its variants:
//! `Tiongkok|China|Cina|RRT`, or `"Korea Utara"|Korut|DPRK`. Each
//! variant's matches are counted per group of [`GroupBy`] (one pass,
//! every document tokenized); a token that matched two variants would
//! count for both (keep variants disjoint). For each group: the count of
//! each variant, its share of the group's total, and the share's 95%
//! Wilson interval. Across groups: G² and Pearson's χ² of the groups ×
//! variants table, with `df = (groups − 1)(variants − 1)`, their
//! p-values, and Cramér's V = `sqrt(χ² / (N · (min(groups, variants) −
//! 1)))`. Groups without any occurrence are left out of the test.

use crate::analyze::{Analyzer, Scratch};
use crate::corpus::{Corpus, ReadReport, Warning};
use crate::error::{Error, Result};
use crate::hash::{Map, new_map};
use crate::kwic::{KwicLine, KwicOptions, Prefilter, concordance, sample_key};
use crate::measures::{p_chi2, wilson};
use crate::meta::{DocFilter, GroupBy};
use crate::query::{DocTokens, Query};
use crate::report::Cell;
use crate::scan::{self, Counter, Doc, Job, Scanned};

/// The counts of one variable.
#[derive(Debug, Clone)]
pub struct Alternation {
    /// The variants' names, in query order.
    pub variants: Vec<String>,
    /// Groups in byte order, each with one count per variant.
    pub groups: Vec<(String, Vec<u64>)>,
    /// The test of independence.
    pub test: Independence,
    /// What was read.
    pub report: ReadReport,
}

/// A test of independence on a groups × variants table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Independence {
    /// G² (log-likelihood ratio).
    pub g2: f64,
    /// Pearson's χ².
    pub chi2: f64,
    /// Degrees of freedom.
    pub df: u64,
    /// The groups that enter the test: those with at least one hit.
    pub groups: u64,
    /// p of G².
    pub p_g2: f64,
    /// p of χ².
    pub p_chi2: f64,
    /// Cramér's V (from χ²).
    pub cramers_v: Option<f64>,
}

/// The 97.5% quantile of the standard normal (a 95% interval).
pub const Z95: f64 = 1.959_963_984_540_054;

/// The Wilson 95% interval of `k` out of `n`.
pub fn share_interval(k: u64, n: u64) -> Option<(f64, f64)> {
    wilson(k as f64, n as f64, Z95)
}

/// The test of independence of a table (rows: groups, columns:
/// variants); rows summing to 0 are left out.
pub fn independence(table: &[Vec<u64>]) -> Independence {
    let rows: Vec<&Vec<u64>> =
        table.iter().filter(|r| r.iter().sum::<u64>() > 0).collect();
    let ncol = rows.first().map_or(0, |r| r.len());
    let cols: Vec<f64> =
        (0..ncol).map(|j| rows.iter().map(|r| r[j] as f64).sum()).collect();
    let live_cols = cols.iter().filter(|&&c| c > 0.0).count();
    let n: f64 = cols.iter().sum();
    let (mut g2, mut chi2) = (0.0, 0.0);
    for r in &rows {
        let rt: f64 = r.iter().map(|&x| x as f64).sum();
        for (j, &o) in r.iter().enumerate() {
            if cols[j] == 0.0 {
                continue;
            }
            let e = rt * cols[j] / n;
            let o = o as f64;
            if o > 0.0 {
                g2 += o * (o / e).ln();
            }
            chi2 += (o - e) * (o - e) / e;
        }
    }
    g2 *= 2.0;
    let df =
        (rows.len().saturating_sub(1) * live_cols.saturating_sub(1)) as u64;
    let k = rows.len().min(live_cols);
    Independence {
        g2,
        chi2,
        df,
        groups: rows.len() as u64,
        p_g2: p_chi2(g2, df as f64),
        p_chi2: p_chi2(chi2, df as f64),
        cramers_v: (k > 1 && n > 0.0)
            .then(|| (chi2 / (n * (k - 1) as f64)).sqrt()),
    }
}

/// A variable split into its variants: their names (as
/// [`Alternation::variants`]) and one query each.
#[derive(Debug, Clone)]
pub struct Variable {
    /// The variants' names, in query order.
    pub names: Vec<String>,
    /// One query per variant (for [`VariantCounter`]).
    pub variants: Vec<Query>,
    /// The whole variable, every variant an alternative.
    pub query: Query,
}

impl Variable {
    /// The variants of `variable`.
    ///
    /// Errors: a variable with fewer than two variants.
    pub fn of(variable: &Query) -> Result<Variable> {
        let variants: Vec<Query> = variable
            .alternatives
            .iter()
            .map(|alt| Query {
                alternatives: vec![alt.clone()],
                case_sensitive: variable.case_sensitive,
                source: String::new(),
            })
            .collect();
        if variants.len() < 2 {
            return Err(Error::Usage(format!(
                "the variable '{}' has one variant: an alternation needs two or more (A|B)",
                variable.source
            )));
        }
        let names = variant_names(&variable.source, variants.len());
        Ok(Variable { names, variants, query: variable.clone() })
    }

    /// The alternation of the counts a [`VariantCounter`] of this
    /// variable gave, with the test of independence.
    pub fn alternation(
        &self,
        groups: Vec<(String, Vec<u64>)>,
        report: ReadReport,
    ) -> Alternation {
        let table: Vec<Vec<u64>> =
            groups.iter().map(|(_, r)| r.clone()).collect();
        Alternation {
            variants: self.names.clone(),
            groups,
            test: independence(&table),
            report,
        }
    }
}

/// Counts the variants of `variable` per group.
///
/// Errors: a variable with fewer than two variants.
pub fn alternation(
    corpus: &Corpus,
    an: &Analyzer,
    filter: &DocFilter,
    by: &GroupBy,
    variable: &Query,
    warn: &mut dyn FnMut(&Warning),
) -> Result<Alternation> {
    let v = Variable::of(variable)?;
    let mut job = Job::local(corpus, an, filter, by, warn);
    let (groups, scanned) =
        scan::run(&mut job, || VariantCounter::new(&v.variants))?;
    Ok(v.alternation(groups, scanned.report))
}

/// Counts the matches of each variant per group in the documents it is
/// given; its result, each group's counts (in the variants' order), in
/// ascending byte order of the groups' names.
pub struct VariantCounter<'a> {
    variants: &'a [Query],
    scratch: Scratch,
    rows: Map<String, Vec<u64>>,
    tokens: u64,
}

impl<'a> VariantCounter<'a> {
    /// A counter of `variants` (one query each).
    pub fn new(variants: &'a [Query]) -> VariantCounter<'a> {
        VariantCounter {
            variants,
            scratch: Scratch::default(),
            rows: new_map(),
            tokens: 0,
        }
    }
}

impl Counter for VariantCounter<'_> {
    type Output = Vec<(String, Vec<u64>)>;

    fn add(&mut self, doc: &Doc<'_>) {
        let text = &doc.document.text;
        let d = DocTokens::analyze(doc.analyzer, text, &mut self.scratch);
        self.tokens += d.tokens.len() as u64;
        let n = self.variants.len();
        let row = self
            .rows
            .entry_ref(doc.group.as_ref())
            .or_insert_with(|| vec![0; n]);
        for (r, v) in row.iter_mut().zip(self.variants) {
            *r += d.matches(v, text).len() as u64;
        }
    }

    fn merge(&mut self, other: Self) {
        let n = self.variants.len();
        for (g, row) in other.rows {
            let m = self.rows.entry(g).or_insert_with(|| vec![0; n]);
            for (a, b) in m.iter_mut().zip(row) {
                *a += b;
            }
        }
        self.tokens += other.tokens;
    }

    fn tokens(&self) -> Option<u64> {
        Some(self.tokens)
    }

    fn finish(self, _: &Scanned) -> Result<Self::Output> {
        let mut groups: Vec<(String, Vec<u64>)> =
            self.rows.into_iter().collect();
        groups.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        Ok(groups)
    }
}

/// Several variables counted in one read, each with the literal
/// pre-filter of its variants: shared by every thread's
/// [`VariablesCounter`].
pub struct VariablesSearch<'a> {
    variables: &'a [Variable],
    /// Whether a text may hold a variant of each variable (`None`: any
    /// text may).
    pre: Vec<Option<Prefilter>>,
}

impl<'a> VariablesSearch<'a> {
    /// The search of `variables` as `an` analyzes text.
    pub fn new(variables: &'a [Variable], an: &Analyzer) -> Self {
        let pre =
            variables.iter().map(|v| Prefilter::new(&v.query, an, false));
        VariablesSearch { variables, pre: pre.collect() }
    }
}

/// Counts the variants of several variables per group, as one
/// [`VariantCounter`] each would, a document analyzed once for all and
/// only when one of them may occur in it (the pre-filter). Its result:
/// each variable's [`VariantCounter`] result, in order. It counts no
/// tokens (its `tokens` is `None`).
pub struct VariablesCounter<'a> {
    of: &'a VariablesSearch<'a>,
    scratch: Scratch,
    doc: DocTokens,
    rows: Vec<Map<String, Vec<u64>>>,
}

impl<'a> VariablesCounter<'a> {
    /// A counter of `of`'s variables.
    pub fn new(of: &'a VariablesSearch<'a>) -> Self {
        VariablesCounter {
            of,
            scratch: Scratch::default(),
            doc: DocTokens::default(),
            rows: of.variables.iter().map(|_| new_map()).collect(),
        }
    }
}

impl Counter for VariablesCounter<'_> {
    type Output = Vec<Vec<(String, Vec<u64>)>>;

    fn add(&mut self, doc: &Doc<'_>) {
        let text = &doc.document.text;
        let mut analyzed = false;
        let of = self.of;
        for (i, v) in of.variables.iter().enumerate() {
            let n = v.variants.len();
            let row = self.rows[i]
                .entry_ref(doc.group.as_ref())
                .or_insert_with(|| vec![0; n]);
            if of.pre[i].as_ref().is_some_and(|p| !p.may_match(text)) {
                continue;
            }
            if !analyzed {
                self.doc.reanalyze(doc.analyzer, text, &mut self.scratch);
                analyzed = true;
            }
            for (r, q) in row.iter_mut().zip(&v.variants) {
                *r += self.doc.matches(q, text).len() as u64;
            }
        }
    }

    fn merge(&mut self, other: Self) {
        for (mine, theirs) in self.rows.iter_mut().zip(other.rows) {
            for (g, row) in theirs {
                let m = mine.entry(g).or_insert_with(|| vec![0; row.len()]);
                for (a, b) in m.iter_mut().zip(row) {
                    *a += b;
                }
            }
        }
    }

    fn finish(self, _: &Scanned) -> Result<Self::Output> {
        let sorted = self.rows.into_iter().map(|rows| {
            let mut groups: Vec<(String, Vec<u64>)> =
                rows.into_iter().collect();
            groups.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            groups
        });
        Ok(sorted.collect())
    }
}

/// The variants' names: the query split at top-level `|` (outside
/// quotes, brackets and /regexes/).
fn variant_names(src: &str, n: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let (mut quote, mut regex, mut bracket) = (false, false, 0usize);
    for c in src.chars() {
        match c {
            '"' if !regex => quote = !quote,
            '/' if !quote && bracket == 0 => regex = !regex,
            '[' if !quote && !regex => bracket += 1,
            ']' if !quote && !regex => bracket = bracket.saturating_sub(1),
            '|' if !quote && !regex && bracket == 0 => {
                out.push(cur.trim().to_string());
                cur.clear();
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    out.push(cur.trim().to_string());
    if out.len() != n {
        return (1..=n).map(|i| format!("variant {i}")).collect();
    }
    out
}

/// The columns of the shares' test of independence, one row per
/// variable ([`test_cells`]).
pub const TEST_COLUMNS: [&str; 9] = [
    "set",
    "groups",
    "total",
    "g2",
    "chi2",
    "df",
    "p_g2",
    "p_chi2",
    "cramers_v",
];

/// The [`TEST_COLUMNS`] row of the variable `set`: the groups that enter
/// the test, the total of every count, and the test.
pub fn test_cells(set: &str, r: &Alternation) -> Vec<Cell> {
    let total: u64 = r.groups.iter().flat_map(|(_, c)| c).sum();
    vec![
        Cell::Str(set.to_string()),
        Cell::Int(r.test.groups),
        Cell::Int(total),
        Cell::Float(r.test.g2, 4),
        Cell::Float(r.test.chi2, 4),
        Cell::Int(r.test.df),
        Cell::Float(r.test.p_g2, 6),
        Cell::Float(r.test.p_chi2, 6),
        Cell::opt(r.test.cramers_v, 4),
    ]
}

/// The columns of example lines, one row per line ([`example_cells`]).
pub const EXAMPLE_COLUMNS: [&str; 8] =
    ["set", "group", "variant", "doc", "position", "left", "node", "right"];

/// The [`EXAMPLE_COLUMNS`] row of a line of `variant` of `set`.
pub fn example_cells(set: &str, variant: &str, l: &KwicLine) -> Vec<Cell> {
    vec![
        Cell::Str(set.to_string()),
        Cell::Str(l.group.clone()),
        Cell::Str(variant.to_string()),
        Cell::Str(l.doc.to_string()),
        Cell::Int(l.position),
        Cell::Str(l.left.clone()),
        Cell::Str(l.node.clone()),
        Cell::Str(l.right.clone()),
    ]
}

/// Which example lines are drawn: up to `per_group` of each variant in
/// each group, a sample reproducible by `seed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sample {
    /// The most lines per variant per group.
    pub per_group: usize,
    /// The sample's seed ([`crate::kwic::sample_key`]).
    pub seed: u64,
}

/// The example lines of each variant of `variable` (their names as
/// [`Alternation::variants`]), variant by variant in query order: per
/// group (in byte order) the `per_group` lines with the smallest
/// [`crate::kwic::sample_key`] (ties in corpus order), put back in
/// corpus order. Each line comes with its variant's name.
pub fn examples(
    corpus: &Corpus,
    an: &Analyzer,
    filter: &DocFilter,
    by: &GroupBy,
    variable: &Query,
    sample: Sample,
) -> Result<Vec<(String, KwicLine)>> {
    let mut out = Vec::new();
    for (name, variant) in example_queries(variable) {
        let opts = KwicOptions { by: by.clone(), ..KwicOptions::default() };
        let mut lines = Vec::new();
        concordance(
            corpus,
            an,
            filter,
            &variant,
            &opts,
            &mut |_| {},
            &mut |l| {
                lines.push(l.clone());
                Ok(())
            },
        )?;
        let picked = sample_per_group(lines, sample);
        out.extend(picked.into_iter().map(|l| (name.clone(), l)));
    }
    Ok(out)
}

/// Each variant of `variable` as a query of its own (named, and with
/// its name as source), in query order: what [`examples`] searches for.
pub fn example_queries(variable: &Query) -> Vec<(String, Query)> {
    let n = variable.alternatives.len();
    let names = variant_names(&variable.source, n);
    variable
        .alternatives
        .iter()
        .zip(names)
        .map(|(alt, name)| {
            let variant = Query {
                alternatives: vec![alt.clone()],
                case_sensitive: variable.case_sensitive,
                source: name.clone(),
            };
            (name, variant)
        })
        .collect()
}

/// Of `lines` (in corpus order), per group in byte order, the
/// `per_group` with the smallest sample keys, in corpus order.
pub fn sample_per_group(
    mut lines: Vec<KwicLine>,
    sample: Sample,
) -> Vec<KwicLine> {
    let key = |l: &KwicLine| sample_key(sample.seed, &l.doc, l.position);
    lines.sort_by(|a, b| {
        a.group.as_bytes().cmp(b.group.as_bytes()).then(key(a).cmp(&key(b)))
    });
    let mut picked = Vec::new();
    for chunk in lines.chunk_by(|a, b| a.group == b.group) {
        let mut take: Vec<&KwicLine> =
            chunk.iter().take(sample.per_group).collect();
        take.sort_by_key(|l| (l.doc_index, l.position));
        picked.extend(take.into_iter().cloned());
    }
    picked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn independence_by_hand() {
        // Groups 2008: China 30, Tiongkok 0; 2016: China 10, Tiongkok 20.
        // N = 60; columns 40, 20; rows 30, 30; E = 20, 10, 20, 10.
        // χ² = 100/20 + 100/10 + 100/20 + 100/10 = 30, df 1,
        // V = sqrt(30/60) = 0.7071.
        let t = independence(&[vec![30, 0], vec![10, 20]]);
        assert!((t.chi2 - 30.0).abs() < 1e-12);
        assert_eq!(t.df, 1);
        // G² = 2·(30 ln(30/20) + 10 ln(10/20) + 20 ln(20/10)).
        let g2 =
            2.0 * (30.0 * 1.5f64.ln() + 10.0 * 0.5f64.ln() + 20.0 * 2f64.ln());
        assert!((t.g2 - g2).abs() < 1e-12);
        assert!((t.cramers_v.unwrap() - 0.5f64.sqrt()).abs() < 1e-12);
        assert!(t.p_chi2 < 1e-6);
        // An empty group is left out: df stays 1.
        let t2 = independence(&[vec![30, 0], vec![0, 0], vec![10, 20]]);
        assert_eq!(t2.df, 1);
        assert!((t2.chi2 - 30.0).abs() < 1e-12);
    }

    #[test]
    fn names_split_at_top_level_bars() {
        assert_eq!(
            variant_names("Tiongkok|China|Cina", 3),
            ["Tiongkok", "China", "Cina"]
        );
        assert_eq!(
            variant_names("\"Korea Utara\"|Korut|DPRK", 3),
            ["\"Korea Utara\"", "Korut", "DPRK"]
        );
        assert_eq!(variant_names("/a|b/|c", 2), ["/a|b/", "c"]);
    }

    #[test]
    fn test_cells_by_hand() {
        // The table of independence_by_hand: total 60, two groups.
        let table = vec![vec![30, 0], vec![10, 20]];
        let r = Alternation {
            variants: vec!["China".into(), "Tiongkok".into()],
            groups: vec![
                ("2008".into(), table[0].clone()),
                ("2016".into(), table[1].clone()),
            ],
            test: independence(&table),
            report: ReadReport::default(),
        };
        let cells = test_cells("China|Tiongkok", &r);
        assert_eq!(cells.len(), TEST_COLUMNS.len());
        assert_eq!(cells[0], Cell::Str("China|Tiongkok".into()));
        assert_eq!(cells[1..3], [Cell::Int(2), Cell::Int(60)]);
        assert_eq!(cells[4], Cell::Float(30.0, 4));
        assert_eq!(cells[5], Cell::Int(1));
    }

    /// Example lines: variant by variant, each group's lines of the
    /// smallest sample keys, back in corpus order; all of them when the
    /// group has no more than asked.
    #[test]
    fn examples_sample_each_group() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.txt");
        let b = dir.path().join("b.txt");
        std::fs::write(&a, "China x China y China z Tiongkok\n").unwrap();
        std::fs::write(&b, "Tiongkok China\n").unwrap();
        let inputs = [a.display().to_string(), b.display().to_string()];
        let corpus = Corpus::open(&inputs, Default::default()).unwrap();
        let an = Analyzer::default();
        let q = Query::parse("China|Tiongkok", &an, false).unwrap();
        let by = GroupBy::parse(Some("file")).unwrap();
        let run = |per_group, seed| {
            let sample = Sample { per_group, seed };
            examples(&corpus, &an, &DocFilter::default(), &by, &q, sample)
                .unwrap()
                .into_iter()
                .map(|(v, l)| (v, l.group.clone(), l.position))
                .collect::<Vec<_>>()
        };
        let (ga, gb) = (inputs[0].clone(), inputs[1].clone());
        let s = |v: &str| v.to_string();
        assert_eq!(
            run(5, 1),
            [
                (s("China"), ga.clone(), 0),
                (s("China"), ga.clone(), 2),
                (s("China"), ga.clone(), 4),
                (s("China"), gb.clone(), 1),
                (s("Tiongkok"), ga.clone(), 6),
                (s("Tiongkok"), gb.clone(), 0),
            ]
        );
        // One line per group: in a.txt, the China of the smallest key.
        for seed in [1, 2, 3] {
            let got = run(1, seed);
            let key = |p: u64| sample_key(seed, &ga, p);
            let best = [0, 2, 4].into_iter().min_by_key(|p| key(*p)).unwrap();
            assert_eq!(got[0], (s("China"), ga.clone(), best), "seed {seed}");
            assert_eq!(got[1], (s("China"), gb.clone(), 1));
            assert_eq!(got.len(), 4);
        }
    }
}
