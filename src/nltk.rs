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

#[derive(Default)]
struct Acc {
    terms: Interner,
    freq: Vec<u64>,
    pairs: Map<(u32, u32), u64>,
    /// The current document's term ids.
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
    check_window(window)?;
    let all = crate::meta::GroupBy::All;
    let mut job =
        Job { corpus, analyzer: an, filter, by: &all, warn, keep_line: None };
    let make = || PairCounter::new(window, min_count, max_pairs);
    let ((pairs, tokens), scanned) = scan::run(&mut job, make)?;
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
/// after the batch, or in [`Counter::finish`].
pub struct PairCounter {
    window: usize,
    min_count: u64,
    max_pairs: usize,
    acc: Acc,
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
    let mut job =
        Job { corpus, analyzer: an, filter, by: &all, warn, keep_line: None };
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
