//! NLTK compatibility: whole-corpus word-pair association computed
//! exactly as NLTK 3.10's `BigramCollocationFinder.from_words(tokens,
//! window_size=W)` with `BigramAssocMeasures` (reference/statistics.md
//! §8).
//!
//! Counting (§8.1): a window of W slots starts at every token; for the
//! token `w1` in its first slot, every token `w2` in the W − 1 slots
//! after it makes the ordered pair `(w1, w2)` count once. Unigram
//! frequencies are plain token counts and `N` is the number of tokens.
//! Documents are kept apart (NLTK's stream with W − 1 empty slots
//! between documents).
//!
//! Scoring (§8.2): `n_ii = P(w1, w2) / (W − 1)` as a float (Church &
//! Hanks scaling), `n_ix = f(w1)`, `n_xi = f(w2)`, `n_xx = N`; the
//! measures are NLTK's formulas, with its ε = 1e-20 where NLTK adds it.

use crate::analyze::{Analyzer, Scratch};
use crate::corpus::{Corpus, ReadReport, ScanCounts, Warning};
use crate::error::{Error, Result};
use crate::hash::{Map, new_map};
use crate::intern::Interner;
use crate::meta::DocFilter;
use crate::query::DocTokens;
use crate::scan::{self, Counter, Doc, Job, Scanned};

mod parts;
pub use parts::pairs_in_parts;

const EPS: f64 = 1e-20;

/// The cells NLTK scores a pair with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cells {
    /// `n_ii`: the pair count divided by W − 1.
    pub n_ii: f64,
    /// `f(w1)`.
    pub n_ix: f64,
    /// `f(w2)`.
    pub n_xi: f64,
    /// `N`.
    pub n_xx: f64,
}

impl Cells {
    fn contingency(&self) -> [f64; 4] {
        let n_oi = self.n_xi - self.n_ii;
        let n_io = self.n_ix - self.n_ii;
        [self.n_ii, n_oi, n_io, self.n_xx - self.n_ii - n_oi - n_io]
    }

    fn expected(&self) -> [f64; 4] {
        let [n_ii, n_oi, n_io, n_oo] = self.contingency();
        let n = self.n_xx;
        [
            (n_ii + n_oi) * (n_ii + n_io) / n,
            (n_oi + n_ii) * (n_oi + n_oo) / n,
            (n_io + n_ii) * (n_io + n_oo) / n,
            (n_oo + n_oi) * (n_oo + n_io) / n,
        ]
    }
}

/// NLTK's measures, by name.
pub const MEASURES: &[&str] = &[
    "raw_freq",
    "student_t",
    "pmi",
    "likelihood_ratio",
    "chi_sq",
    "poisson_stirling",
    "dice",
    "jaccard",
    "mi_like",
];

/// The NLTK measure `name` of a pair (`None` for an unknown name, or
/// where NLTK would raise: a math domain error becomes `None`).
///
/// The two measures of the whole 2×2 table, likelihood_ratio and chi_sq,
/// are `None` where a cell is negative. That happens only for a word
/// paired with itself (`n_oo = N − 2·f(w) + n_ii`, below 0 in `a a a`):
/// NLTK computes a number from the impossible table there, korpus leaves
/// the cell empty.
pub fn score(name: &str, c: &Cells) -> Option<f64> {
    let [n_ii, n_oi, n_io, _] = c.contingency();
    let possible = c.contingency().iter().all(|&x| x >= 0.0);
    if matches!(name, "likelihood_ratio" | "chi_sq") && !possible {
        return None;
    }
    let (f1, f2, n) = (c.n_ix, c.n_xi, c.n_xx);
    let v = match name {
        "raw_freq" => n_ii / n,
        // (n_ii − f1·f2/N) / sqrt(n_ii + ε)
        "student_t" => (n_ii - f1 * f2 / n) / (n_ii + EPS).sqrt(),
        // log2(n_ii · N) − log2(f1 · f2)
        "pmi" => (n_ii * n).log2() - (f1 * f2).log2(),
        // 2 · Σ O · ln(O/(E + ε) + ε), an empty cell adding 0
        "likelihood_ratio" => {
            let mut sum = 0.0;
            for (o, e) in c.contingency().iter().zip(c.expected()) {
                if *o != 0.0 {
                    let x = o / (e + EPS) + EPS;
                    if x <= 0.0 {
                        return None;
                    }
                    sum += o * x.ln();
                }
            }
            2.0 * sum
        }
        // N · phi², phi² = (n_ii·n_oo − n_io·n_oi)² / (f1 · f2 · (N − f1) · (N − f2))
        "chi_sq" => {
            let n_oo = n - n_ii - n_oi - n_io;
            let den = f1 * f2 * (n - f1) * (n - f2);
            if den == 0.0 {
                return None;
            }
            n * (n_ii * n_oo - n_io * n_oi).powi(2) / den
        }
        // n_ii · (log2(n_ii / E_ii) − 1)
        "poisson_stirling" => n_ii * ((n_ii / (f1 * f2 / n)).log2() - 1.0),
        "dice" => 2.0 * n_ii / (f1 + f2),
        "jaccard" => n_ii / (n_ii + n_oi + n_io),
        // n_ii³ / (f1 · f2)
        "mi_like" => n_ii.powi(3) / (f1 * f2),
        _ => return None,
    };
    v.is_finite().then_some(v)
}

/// One ordered pair with its counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    /// The first word.
    pub w1: String,
    /// The word 1 to W − 1 tokens after it.
    pub w2: String,
    /// The raw pair count `P(w1, w2)`.
    pub count: u64,
    /// The cells NLTK scores it with.
    pub cells: Cells,
}

/// The result of [`pairs`].
#[derive(Debug, Clone)]
pub struct Pairs {
    /// Every pair with a count of at least `min_count`, unordered.
    pub pairs: Vec<Pair>,
    /// Tokens (`N`).
    pub tokens: u64,
    /// What was read.
    pub report: ReadReport,
}

#[derive(Default, serde::Serialize, serde::Deserialize)]
struct Acc {
    terms: Interner,
    freq: Vec<u64>,
    pairs: Map<(u32, u32), u64>,
    /// The current document's term ids.
    #[serde(skip)]
    ids: Vec<u32>,
}

/// The default of `max_pairs` in [`pairs`]: 50 million distinct pairs
/// (about 2 GB of counts).
pub const MAX_PAIRS: usize = 50_000_000;

/// The largest NLTK window size: each token pairs with the W − 1 after it.
pub const MAX_WINDOW: usize = 100;

/// Counts every ordered pair within `window` tokens (2 ≤ W ≤
/// [`MAX_WINDOW`]), as NLTK.
/// Memory grows with the number of distinct pairs; past `max_pairs`
/// distinct pairs (in one thread's counts or in the merged table) the
/// count stops with [`Error::Usage`] rather than exhausting memory.
pub fn pairs(
    corpus: &Corpus,
    an: &Analyzer,
    filter: &DocFilter,
    window: usize,
    min_count: u64,
    max_pairs: usize,
    warn: &mut dyn FnMut(&Warning),
) -> Result<Pairs> {
    let all = crate::meta::GroupBy::All;
    let mut job = Job::local(corpus, an, filter, &all, warn);
    pairs_on(&mut job, window, min_count, max_pairs)
}

/// [`pairs`] of `job`'s corpus (ungrouped: `job.by` is not used) on its
/// backend: a [`PairCounter`] run by [`scan::run_anywhere`].
pub fn pairs_on(
    job: &mut Job<'_>,
    window: usize,
    min_count: u64,
    max_pairs: usize,
) -> Result<Pairs> {
    check_window(window)?;
    let all = crate::meta::GroupBy::All;
    let mut job = Job { by: &all, warn: &mut *job.warn, ..*job };
    let make = || PairCounter::new(window, min_count, max_pairs);
    let ((pairs, tokens), scanned) = scan::run_anywhere(&mut job, make)?;
    Ok(Pairs { pairs, tokens, report: scanned.report })
}

/// The corpus size (the sum of the word frequencies), once the scan's
/// checks (empty corpus, no document kept) pass.
fn checked_tokens(
    report: &ReadReport,
    filter: &DocFilter,
    kept: u64,
    freq: &[u64],
) -> Result<u64> {
    let tokens: u64 = freq.iter().sum();
    let all = crate::meta::GroupBy::All;
    crate::meta::check_scan(report, filter, &all, kept, tokens)?;
    Ok(tokens)
}

impl Pair {
    /// The pair `w1 w2` counted `count` times in a window of `window`,
    /// its words `freqs` times in a corpus of `tokens`: NLTK's cells, the
    /// pair count divided by W − 1.
    fn new(
        w1: String,
        w2: String,
        count: u64,
        freqs: [u64; 2],
        window: usize,
        tokens: u64,
    ) -> Pair {
        let cells = Cells {
            n_ii: count as f64 / (window - 1) as f64,
            n_ix: freqs[0] as f64,
            n_xi: freqs[1] as f64,
            n_xx: tokens as f64,
        };
        Pair { w1, w2, count, cells }
    }
}

fn too_many(max_pairs: usize) -> Error {
    Error::Usage(format!(
        "colloc --all holds every distinct word pair in memory, and there are more than {max_pairs} \
         (--max-pairs): use a smaller --window, a part of the corpus (--where), or raise --max-pairs"
    ))
}

/// Refuses a window outside 2..=[`MAX_WINDOW`].
fn check_window(window: usize) -> Result<()> {
    if window < 2 {
        return Err(Error::Usage(
            "the NLTK window size must be at least 2".into(),
        ));
    }
    if window > MAX_WINDOW {
        return Err(Error::Usage(format!(
            "the NLTK window size {window} is over the limit of {MAX_WINDOW}"
        )));
    }
    Ok(())
}

/// Counts every ordered pair within a window of W tokens, and every
/// word, in the documents it is given (NLTK's counts); its result, the
/// pairs of at least `min_count` (unordered) and the corpus size. Past
/// `max_pairs` distinct pairs, in one counter or merged, it refuses:
/// after the batch, or in [`Counter::finish`]. It runs distributed by
/// its serde derives alone ([`crate::scan::Portable`]).
#[derive(serde::Serialize, serde::Deserialize)]
pub struct PairCounter {
    window: usize,
    min_count: u64,
    max_pairs: usize,
    acc: Acc,
    #[serde(skip)]
    scratch: Scratch,
    over: bool,
}

impl PairCounter {
    /// A counter of pairs within `window` tokens (2 ≤ W ≤
    /// [`MAX_WINDOW`]: [`pairs`] checks it).
    pub fn new(window: usize, min_count: u64, max_pairs: usize) -> Self {
        PairCounter {
            window,
            min_count,
            max_pairs,
            acc: Acc { pairs: new_map(), ..Acc::default() },
            scratch: Scratch::default(),
            over: false,
        }
    }

    /// The counts, unless over the limit.
    fn into_acc(self) -> Result<Acc> {
        if self.over {
            return Err(too_many(self.max_pairs));
        }
        Ok(self.acc)
    }
}

impl Counter for PairCounter {
    type Output = (Vec<Pair>, u64);

    fn add(&mut self, doc: &Doc<'_>) {
        let acc = &mut self.acc;
        if self.over || acc.pairs.len() > self.max_pairs {
            self.over = true;
            return;
        }
        let text = &doc.document.text;
        let d = DocTokens::analyze(doc.analyzer, text, &mut self.scratch);
        let mut ids = std::mem::take(&mut acc.ids);
        acc.terms.intern_all(&d.terms, &mut ids);
        acc.freq.resize(acc.terms.len(), 0);
        let window = self.window;
        for (i, &a) in ids.iter().enumerate() {
            acc.freq[a as usize] += 1;
            for &b in &ids[i + 1..i.saturating_add(window).min(ids.len())] {
                *acc.pairs.entry((a, b)).or_default() += 1;
            }
        }
        acc.ids = ids;
    }

    /// Adds `other`'s words and pairs by their terms.
    fn merge(&mut self, other: Self) {
        self.over |= other.over;
        if self.over {
            return;
        }
        let acc = &mut self.acc;
        let remap: Vec<u32> = other
            .acc
            .terms
            .iter()
            .map(|(id, t)| {
                let g = acc.terms.intern(t);
                if g as usize == acc.freq.len() {
                    acc.freq.push(0);
                }
                acc.freq[g as usize] += other.acc.freq[id as usize];
                g
            })
            .collect();
        for ((a, b), n) in other.acc.pairs {
            let key = (remap[a as usize], remap[b as usize]);
            *acc.pairs.entry(key).or_default() += n;
        }
        self.over = acc.pairs.len() > self.max_pairs;
    }

    fn end_batch(threads: &mut [&mut Self]) -> Result<()> {
        match threads.iter().find(|t| t.over) {
            Some(t) => Err(too_many(t.max_pairs)),
            None => Ok(()),
        }
    }

    fn tokens(&self) -> Option<u64> {
        Some(self.acc.freq.iter().sum())
    }

    fn finish(self, _: &Scanned) -> Result<Self::Output> {
        let (window, min_count) = (self.window, self.min_count);
        let tokens = self.tokens().unwrap_or(0);
        let Acc { terms, freq, pairs, .. } = self.into_acc()?;
        let pairs = pairs
            .into_iter()
            .filter(|&(_, n)| n >= min_count)
            .map(|((a, b), n)| {
                let (w1, w2) = (terms.term(a), terms.term(b));
                let (f1, f2) = (freq[a as usize], freq[b as usize]);
                let (w1, w2) = (w1.to_string(), w2.to_string());
                Pair::new(w1, w2, n, [f1, f2], window, tokens)
            })
            .collect();
        Ok((pairs, tokens))
    }
}

/// One piece of a whole-corpus pair count, for summing counts made
/// apart (the workers of a distributed run): records with the same
/// [`PairRecord::key`] are added with [`PairRecord::add`], and
/// [`from_records`] turns the sums into what [`pairs`] gives.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum PairRecord {
    /// A pair's count.
    Pair {
        /// The first word.
        w1: String,
        /// The word after it in the window.
        w2: String,
        /// Its count.
        count: u64,
    },
    /// A word's frequency.
    Word {
        /// The word.
        w: String,
        /// Its frequency.
        freq: u64,
    },
    /// What was read.
    Scan(ScanCounts),
}

impl PairRecord {
    /// The key that records are summed by: (kind, word, word).
    pub fn key(&self) -> (u8, &str, &str) {
        match self {
            PairRecord::Pair { w1, w2, .. } => (0, w1, w2),
            PairRecord::Word { w, .. } => (1, w, ""),
            PairRecord::Scan(_) => (2, "", ""),
        }
    }

    /// Adds `other`, which has the same key.
    pub fn add(&mut self, other: PairRecord) {
        use PairRecord::*;
        match (self, other) {
            (Pair { count, .. }, Pair { count: c, .. }) => *count += c,
            (Word { freq, .. }, Word { freq: f, .. }) => *freq += f,
            (Scan(a), Scan(b)) => a.add(b),
            (a, b) => panic!("adding records of different keys: {a:?}, {b:?}"),
        }
    }

    /// Whether the summed record is needed for the result with
    /// `min_count` (pairs below it are dropped before gathering).
    pub fn kept(&self, min_count: u64) -> bool {
        !matches!(self, PairRecord::Pair { count, .. } if *count < min_count)
    }
}

/// Counts every pair of `corpus` (one worker's share) as records to be
/// summed with other workers' (see [`PairRecord`]); `max_pairs` bounds
/// this worker's table as in [`pairs`].
pub fn partial_records(
    corpus: &Corpus,
    an: &Analyzer,
    filter: &DocFilter,
    window: usize,
    max_pairs: usize,
    warn: &mut dyn FnMut(&Warning),
) -> Result<Vec<PairRecord>> {
    check_window(window)?;
    let all = crate::meta::GroupBy::All;
    let mut job = Job::local(corpus, an, filter, &all, warn);
    let make = || PairCounter::new(window, 0, max_pairs);
    let (counter, scanned) = scan::read(&mut job, make)?;
    let p = counter.into_acc()?;
    let kept = scanned.kept();
    let mut out =
        vec![PairRecord::Scan(ScanCounts::of(&scanned.report, kept))];
    for (id, w) in p.terms.iter() {
        out.push(PairRecord::Word {
            w: w.to_string(),
            freq: p.freq[id as usize],
        });
    }
    for ((a, b), n) in p.pairs {
        out.push(PairRecord::Pair {
            w1: p.terms.term(a).to_string(),
            w2: p.terms.term(b).to_string(),
            count: n,
        });
    }
    Ok(out)
}

/// [`pairs`] from summed records (each key once); `report` is what this
/// process read, its counts replaced by the sums.
pub fn from_records(
    records: Vec<PairRecord>,
    filter: &DocFilter,
    window: usize,
    min_count: u64,
    max_pairs: usize,
    mut report: ReadReport,
) -> Result<Pairs> {
    let mut terms = Interner::new();
    let mut freq: Vec<u64> = Vec::new();
    let mut pair_counts: Vec<(String, String, u64)> = Vec::new();
    let mut kept = 0;
    for r in records {
        match r {
            PairRecord::Word { w, freq: f } => {
                let id = terms.intern(&w) as usize;
                if id == freq.len() {
                    freq.push(0);
                }
                freq[id] += f;
            }
            PairRecord::Pair { w1, w2, count } => {
                if count >= min_count {
                    pair_counts.push((w1, w2, count));
                }
            }
            PairRecord::Scan(scan) => kept = scan.fill(&mut report),
        }
    }
    if pair_counts.len() > max_pairs {
        return Err(too_many(max_pairs));
    }
    let tokens = checked_tokens(&report, filter, kept, &freq)?;
    let f = |w: &str| terms.get(w).map_or(0, |id| freq[id as usize]);
    let pairs = pair_counts
        .into_iter()
        .map(|(w1, w2, n)| {
            let freqs = [f(&w1), f(&w2)];
            Pair::new(w1, w2, n, freqs, window, tokens)
        })
        .collect();
    Ok(Pairs { pairs, tokens, report })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * b.abs().max(1.0)
    }

    /// The test vector of statistics.md §8.5, computed with NLTK 3.10.4:
    /// `the cat sat on the mat the cat ran`, W = 3.
    #[test]
    fn nltk_test_vector() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("a.txt"),
            "the cat sat on the mat the cat ran",
        )
        .unwrap();
        let corpus = Corpus::open(
            &[dir.path().display().to_string()],
            Default::default(),
        )
        .unwrap();
        let p = pairs(
            &corpus,
            &Analyzer::default(),
            &DocFilter::default(),
            3,
            1,
            MAX_PAIRS,
            &mut |_| {},
        )
        .unwrap();
        assert_eq!(p.tokens, 9);
        // 14 distinct pairs (the-cat twice, the rest once): 13 stops it.
        assert_eq!(p.pairs.len(), 14);
        let over = pairs(
            &corpus,
            &Analyzer::default(),
            &DocFilter::default(),
            3,
            1,
            13,
            &mut |_| {},
        );
        assert!(
            matches!(over, Err(Error::Usage(m)) if m.contains("more than 13"))
        );
        // A window over the limit is refused (usize::MAX overflowed).
        for w in [MAX_WINDOW + 1, usize::MAX] {
            let big = pairs(
                &corpus,
                &Analyzer::default(),
                &DocFilter::default(),
                w,
                1,
                MAX_PAIRS,
                &mut |_| {},
            );
            assert!(
                matches!(&big, Err(Error::Usage(m)) if m.contains("limit")),
                "{w}"
            );
        }
        let get =
            |a: &str, b: &str| p.pairs.iter().find(|x| x.w1 == a && x.w2 == b);
        let tc = get("the", "cat").unwrap();
        assert_eq!(tc.count, 2);
        assert_eq!(
            tc.cells,
            Cells { n_ii: 1.0, n_ix: 3.0, n_xi: 2.0, n_xx: 9.0 }
        );
        let want = [
            ("pmi", 0.5849625007211561),
            ("likelihood_ratio", 0.3088920668732478),
            ("student_t", 0.33333333333333337),
            ("chi_sq", 0.3214285714285714),
            ("dice", 0.4),
            ("jaccard", 0.25),
            ("poisson_stirling", -0.4150374992788438),
            ("mi_like", 0.16666666666666666),
        ];
        for (m, v) in want {
            let got = score(m, &tc.cells).unwrap();
            assert!(close(got, v), "(the, cat) {m}: {got} vs {v}");
        }
        let tt = get("the", "the").unwrap();
        assert_eq!(tt.count, 1);
        let want = [
            ("pmi", -1.0),
            ("likelihood_ratio", 0.6035685842104938),
            ("student_t", -0.7071067811865475),
            ("chi_sq", 0.5625),
            ("dice", 0.16666666666666666),
        ];
        for (m, v) in want {
            let got = score(m, &tt.cells).unwrap();
            assert!(close(got, v), "(the, the) {m}: {got} vs {v}");
        }
        assert!(get("cat", "the").is_none(), "P(cat, the) = 0: no score");
        assert_eq!(score("nope", &tc.cells), None);
    }

    /// `a a a` with W = 2: the pair (a, a) has n_ii = 2, f(a) = 3, N = 3,
    /// so n_oo = 3 − 2 − 1 − 1 = −1: no table measure, the others stay.
    #[test]
    fn negative_cells_give_no_table_measure() {
        let c = Cells { n_ii: 2.0, n_ix: 3.0, n_xi: 3.0, n_xx: 3.0 };
        assert_eq!(c.contingency(), [2.0, 1.0, 1.0, -1.0]);
        assert_eq!(score("chi_sq", &c), None);
        assert_eq!(score("likelihood_ratio", &c), None);
        // dice = 2·2/(3 + 3), from n_ii and the marginals alone.
        assert_eq!(score("dice", &c), Some(4.0 / 6.0));
    }
}

// The tables of `korpus colloc --all` and `--convention nltk`.

/// NLTK's name of the `--sort` measure `name` (`ll`, korpus's default,
/// is NLTK's likelihood_ratio), `None` for a name NLTK does not know.
pub fn sort_measure(name: &str) -> Option<&'static str> {
    let name = if name == "ll" { "likelihood_ratio" } else { name };
    MEASURES.iter().copied().find(|m| *m == name)
}

/// The NLTK measures of a comma-separated list (blanks around a name
/// ignored), every one for `all`.
pub fn measure_list(
    list: &str,
) -> std::result::Result<Vec<&'static str>, crate::colloc_table::UnknownName> {
    if list == "all" {
        return Ok(MEASURES.to_vec());
    }
    list.split(',')
        .map(|m| {
            let m = m.trim();
            MEASURES.iter().copied().find(|k| *k == m).ok_or_else(|| {
                crate::colloc_table::UnknownName(format!(
                    "unknown NLTK measure '{m}' (known: {}, all)",
                    MEASURES.join(", ")
                ))
            })
        })
        .collect()
}

/// The pairs of `p` without a stopword of `an`, in NLTK's order (score
/// by `sort` descending, an undefined score last, then `(w1, w2)` by
/// bytes ascending), the first `top`.
pub fn rank_pairs<'a>(
    p: &'a Pairs,
    an: &Analyzer,
    sort: &str,
    top: usize,
) -> Vec<&'a Pair> {
    let mut rows: Vec<(&Pair, Option<f64>)> = p
        .pairs
        .iter()
        .filter(|x| !an.is_stopword(&x.w1) && !an.is_stopword(&x.w2))
        .map(|x| (x, score(sort, &x.cells)))
        .collect();
    rows.sort_by(|(a, sa), (b, sb)| {
        crate::measures::cmp_desc(*sa, *sb).then_with(|| {
            (a.w1.as_bytes(), a.w2.as_bytes())
                .cmp(&(b.w1.as_bytes(), b.w2.as_bytes()))
        })
    });
    rows.truncate(top);
    rows.into_iter().map(|(x, _)| x).collect()
}

/// The cells of a pair's row: `freq`, `n_ii` (4 decimals), `f_w1`,
/// `f_w2`, then the `shown` measures (6 decimals).
fn pair_cells(
    count: u64,
    c: &Cells,
    shown: &[&str],
) -> Vec<crate::report::Cell> {
    use crate::report::Cell;
    let mut cells = vec![
        Cell::Int(count),
        Cell::Float(c.n_ii, 4),
        Cell::Int(c.n_ix as u64),
        Cell::Int(c.n_xi as u64),
    ];
    cells.extend(shown.iter().map(|m| Cell::opt(score(m, c), 6)));
    cells
}

/// The table of ranked pairs: `rank`, `w1`, `w2`, `freq`, `n_ii`,
/// `f_w1`, `f_w2`, then the `shown` measures.
pub fn pair_table(
    pairs: &[&Pair],
    shown: &[&str],
) -> crate::colloc_table::Table {
    use crate::report::Cell;
    let mut columns: Vec<String> =
        ["rank", "w1", "w2", "freq", "n_ii", "f_w1", "f_w2"]
            .map(String::from)
            .to_vec();
    columns.extend(shown.iter().map(|m| m.to_string()));
    let rows = pairs
        .iter()
        .enumerate()
        .map(|(rank, x)| {
            let mut cells = vec![
                Cell::Int(rank as u64 + 1),
                Cell::Str(x.w1.clone()),
                Cell::Str(x.w2.clone()),
            ];
            cells.extend(pair_cells(x.count, &x.cells, shown));
            cells
        })
        .collect();
    crate::colloc_table::Table { columns, rows }
}

/// The word a node query stands for when NLTK pairs are built around
/// it: a query of one exact word, not case-sensitive; `None` otherwise.
pub fn node_term(query: &crate::query::Query) -> Option<String> {
    use crate::query::{Item, TokenTest};
    match query.alternatives.as_slice() {
        [seq] => match seq.as_slice() {
            [Item::Token(TokenTest::Exact(t))]
                if !query.case_sensitive && !t.is_empty() =>
            {
                Some(t.clone())
            }
            _ => None,
        },
        _ => None,
    }
}

/// Which side of the node the other word of a [`NodePair`] is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// `(w, node)`: w before the node.
    Left,
    /// `(node, w)`: w after the node.
    Right,
}

impl Side {
    /// `L` or `R`, as in the `side` column.
    pub fn letter(self) -> &'static str {
        match self {
            Side::Left => "L",
            Side::Right => "R",
        }
    }
}

/// One NLTK pair that holds the node.
#[derive(Debug, Clone, PartialEq)]
pub struct NodePair {
    /// The first word.
    pub w1: String,
    /// The second word.
    pub w2: String,
    /// Where the word that is not the node stands.
    pub side: Side,
    /// The raw pair count.
    pub count: u64,
    /// The cells NLTK scores it with.
    pub cells: Cells,
}

impl NodePair {
    /// The word of the pair that is not the node (the node for the
    /// pair `(node, node)`).
    pub fn other(&self) -> &str {
        match self.side {
            Side::Left => &self.w1,
            Side::Right => &self.w2,
        }
    }
}

/// The NLTK pairs that hold `node` (reference/statistics.md §8.4), from
/// its collocates counted with [`crate::colloc::Overlap::Each`] and
/// `span` = W − 1 tokens on each side: `(node, w)` for w up to W − 1
/// tokens right of it and `(w, node)` for w up to W − 1 left, each with
/// NLTK's cells (`n_ii` = the count divided by W − 1). `(node, node)` is
/// listed once, as a right pair. In the order of `c.items`, right before
/// left.
pub fn node_pairs(
    c: &crate::colloc::Collocates,
    node: &str,
    span: usize,
) -> Vec<NodePair> {
    let n = c.tokens as f64;
    let f_node = c.hits as f64;
    let mut rows = Vec::new();
    for col in &c.items {
        let left: u64 = col.positions[..span].iter().sum();
        let right: u64 = col.positions[span..].iter().sum();
        let f_w = col.coll_freq as f64;
        let n_ii = |count: u64| count as f64 / span as f64;
        if right > 0 {
            rows.push(NodePair {
                w1: node.to_string(),
                w2: col.item.clone(),
                side: Side::Right,
                count: right,
                cells: Cells {
                    n_ii: n_ii(right),
                    n_ix: f_node,
                    n_xi: f_w,
                    n_xx: n,
                },
            });
        }
        if left > 0 && col.item != node {
            rows.push(NodePair {
                w1: col.item.clone(),
                w2: node.to_string(),
                side: Side::Left,
                count: left,
                cells: Cells {
                    n_ii: n_ii(left),
                    n_ix: f_w,
                    n_xi: f_node,
                    n_xx: n,
                },
            });
        }
    }
    rows
}

/// The node pairs with a count of at least `min_count` whose other word
/// is not a stopword of `an`, in NLTK's order (as [`rank_pairs`]), the
/// first `top`.
pub fn rank_node_pairs(
    mut rows: Vec<NodePair>,
    an: &Analyzer,
    sort: &str,
    min_count: u64,
    top: usize,
) -> Vec<NodePair> {
    rows.retain(|r| r.count >= min_count && !an.is_stopword(r.other()));
    rows.sort_by(|a, b| {
        crate::measures::cmp_desc(score(sort, &a.cells), score(sort, &b.cells))
            .then_with(|| {
                (a.w1.as_bytes(), a.w2.as_bytes())
                    .cmp(&(b.w1.as_bytes(), b.w2.as_bytes()))
            })
    });
    rows.truncate(top);
    rows
}

/// The table of ranked node pairs: `rank`, `w1`, `w2`, `side`, `freq`,
/// `n_ii`, `f_w1`, `f_w2`, then the `shown` measures.
pub fn node_pair_table(
    rows: &[NodePair],
    shown: &[&str],
) -> crate::colloc_table::Table {
    use crate::report::Cell;
    let mut columns: Vec<String> =
        ["rank", "w1", "w2", "side", "freq", "n_ii", "f_w1", "f_w2"]
            .map(String::from)
            .to_vec();
    columns.extend(shown.iter().map(|m| m.to_string()));
    let rows = rows
        .iter()
        .enumerate()
        .map(|(rank, r)| {
            let mut cells = vec![
                Cell::Int(rank as u64 + 1),
                Cell::Str(r.w1.clone()),
                Cell::Str(r.w2.clone()),
                Cell::Str(r.side.letter().to_string()),
            ];
            cells.extend(pair_cells(r.count, &r.cells, shown));
            cells
        })
        .collect();
    crate::colloc_table::Table { columns, rows }
}

#[cfg(test)]
mod table_tests {
    use super::*;
    use crate::colloc::{Collocate, Collocates};
    use crate::report::Cell;

    fn pair(w1: &str, w2: &str, count: u64, f: [f64; 2]) -> Pair {
        Pair {
            w1: w1.into(),
            w2: w2.into(),
            count,
            cells: Cells {
                n_ii: count as f64,
                n_ix: f[0],
                n_xi: f[1],
                n_xx: 100.0,
            },
        }
    }

    #[test]
    fn names_and_lists() {
        assert_eq!(sort_measure("ll"), Some("likelihood_ratio"));
        assert_eq!(sort_measure("pmi"), Some("pmi"));
        assert_eq!(sort_measure("mi"), None);
        assert_eq!(measure_list("pmi, dice").unwrap(), ["pmi", "dice"]);
        assert_eq!(measure_list("all").unwrap().len(), 9);
        assert_eq!(
            measure_list("pmi,mi").unwrap_err().0,
            "unknown NLTK measure 'mi' (known: raw_freq, student_t, pmi, \
             likelihood_ratio, chi_sq, poisson_stirling, dice, jaccard, \
             mi_like, all)"
        );
    }

    #[test]
    fn pairs_rank_by_score_then_bytes_without_stopwords() {
        // raw_freq = n_ii / N: 3, 3, 5, 2 (of 100); "de" a stopword.
        let p = Pairs {
            pairs: vec![
                pair("b", "a", 3, [9.0, 9.0]),
                pair("a", "c", 3, [9.0, 9.0]),
                pair("x", "y", 5, [9.0, 9.0]),
                pair("de", "a", 7, [9.0, 9.0]),
                pair("a", "b", 2, [9.0, 9.0]),
            ],
            tokens: 100,
            report: ReadReport::default(),
        };
        let mut an = Analyzer::default();
        an.add_stopwords(["de"]);
        let r = rank_pairs(&p, &an, "raw_freq", usize::MAX);
        let got: Vec<(&str, &str)> =
            r.iter().map(|x| (x.w1.as_str(), x.w2.as_str())).collect();
        assert_eq!(got, [("x", "y"), ("a", "c"), ("b", "a"), ("a", "b")]);
        assert_eq!(rank_pairs(&p, &an, "raw_freq", 2).len(), 2);
        let t = pair_table(&r[..1], &["raw_freq", "dice"]);
        assert_eq!(
            t.column_names(),
            [
                "rank", "w1", "w2", "freq", "n_ii", "f_w1", "f_w2",
                "raw_freq", "dice"
            ]
        );
        // dice = 2·5 / (9 + 9).
        assert_eq!(
            t.rows[0],
            [
                Cell::Int(1),
                Cell::Str("x".into()),
                Cell::Str("y".into()),
                Cell::Int(5),
                Cell::Float(5.0, 4),
                Cell::Int(9),
                Cell::Int(9),
                Cell::Float(0.05, 6),
                Cell::Float(10.0 / 18.0, 6),
            ]
        );
    }

    #[test]
    fn node_pairs_split_the_window_into_left_and_right() {
        // W = 3 (span 2); node "n" with 4 hits in 50 tokens. "a" twice
        // left (L2, L1 = 1, 1) and 3 times right; "n" itself once right.
        let c = Collocates {
            items: vec![
                Collocate {
                    item: "a".into(),
                    window_freq: 5,
                    line_freq: 4,
                    coll_freq: 6,
                    positions: vec![1, 1, 3, 0],
                },
                Collocate {
                    item: "n".into(),
                    window_freq: 2,
                    line_freq: 2,
                    coll_freq: 4,
                    positions: vec![1, 0, 0, 1],
                },
            ],
            hits: 4,
            slots: 16,
            tokens: 50,
            report: ReadReport::default(),
        };
        let p = node_pairs(&c, "n", 2);
        let got: Vec<(&str, &str, Side, u64)> = p
            .iter()
            .map(|x| (x.w1.as_str(), x.w2.as_str(), x.side, x.count))
            .collect();
        assert_eq!(
            got,
            [
                ("n", "a", Side::Right, 3),
                ("a", "n", Side::Left, 2),
                ("n", "n", Side::Right, 1),
            ]
        );
        assert_eq!(
            p[1].cells,
            Cells { n_ii: 1.0, n_ix: 6.0, n_xi: 4.0, n_xx: 50.0 }
        );
        assert_eq!(p[0].cells.n_ii, 1.5);
        // raw_freq: 1.5/50, 1/50, 0.5/50; min count 2 drops (n, n).
        let mut an = Analyzer::default();
        let r = rank_node_pairs(p.clone(), &an, "raw_freq", 2, usize::MAX);
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].side, Side::Right);
        an.add_stopwords(["a"]);
        let r = rank_node_pairs(p, &an, "raw_freq", 1, usize::MAX);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].other(), "n");
        let t = node_pair_table(&r, &["pmi"]);
        assert_eq!(t.columns[3], "side");
        assert_eq!(t.rows[0][3], Cell::Str("R".into()));
        assert_eq!(t.rows[0][4], Cell::Int(1));
    }

    #[test]
    fn node_term_is_one_exact_word() {
        let an = Analyzer::default();
        let q = |s: &str, cs: bool| {
            crate::query::Query::parse(s, &an, cs).unwrap()
        };
        assert_eq!(node_term(&q("Presiden", false)), Some("presiden".into()));
        assert_eq!(node_term(&q("presiden", true)), None);
        assert_eq!(node_term(&q("presiden|menteri", false)), None);
        assert_eq!(node_term(&q("presiden menteri", false)), None);
    }
}
