//! Dispersion measures: how evenly an item is spread over the parts of a
//! corpus (here: documents).
//!
//! Notation (reference/statistics.md, section 1.3): `n` parts; `s_i` the
//! size of part i as a proportion of the corpus; `f_i` the item's
//! frequency in part i; `f` its total; `v_i = f_i / f`; `p_i = f_i /
//! size_i`. Parts of size 0 (documents without a counted token) are not
//! parts: they have no relative frequency.

/// Juilland's D: `1 − CV / sqrt(n − 1)`, where `CV = sd_pop(p_i) /
/// mean(p_i)` over the relative frequencies `p_i` of all `n` parts
/// (zeros included). 1 is perfectly even, 0 all in one part.
///
/// Source: Juilland & Chang-Rodríguez 1964; Gries 2008 (with relative
/// frequencies, since parts differ in size). Takes the sums `Σ p_i` and
/// `Σ p_i²`, so it can be computed in one streaming pass. `None` when
/// `n < 2` or the item never occurs.
pub fn juilland_d(n: u64, sum_p: f64, sum_p2: f64) -> Option<f64> {
    if n < 2 || sum_p <= 0.0 {
        return None;
    }
    let n = n as f64;
    let mean = sum_p / n;
    let var = (sum_p2 / n - mean * mean).max(0.0);
    let cv = var.sqrt() / mean;
    Some((1.0 - cv / (n - 1.0).sqrt()).clamp(0.0, 1.0))
}

/// Juilland's D from per-part frequencies and part sizes (the direct form
/// of [`juilland_d`], for tests and small inputs).
pub fn juilland_d_parts(freqs: &[f64], sizes: &[f64]) -> Option<f64> {
    let (sum_p, sum_p2) = freqs
        .iter()
        .zip(sizes)
        .filter(|(_, s)| **s > 0.0)
        .map(|(f, s)| f / s)
        .fold((0.0, 0.0), |(a, b), p| (a + p, b + p * p));
    let n = sizes.iter().filter(|s| **s > 0.0).count() as u64;
    juilland_d(n, sum_p, sum_p2)
}

/// Gries' DP: `½ · Σ_i |v_i − s_i|`. 0 means the item is spread exactly
/// in proportion to part sizes; values near 1 mean it is concentrated.
///
/// Source: Gries 2008. Since `Σ v_i = Σ s_i = 1`, this equals
/// `Σ_i max(0, v_i − s_i)`, summed only over parts where the item occurs;
/// korpus accumulates that form in a second pass over the corpus.
pub fn gries_dp(freqs: &[f64], sizes: &[f64]) -> Option<f64> {
    let f: f64 = freqs.iter().sum();
    let total: f64 = sizes.iter().sum();
    if f <= 0.0 || total <= 0.0 {
        return None;
    }
    let sum: f64 = freqs
        .iter()
        .zip(sizes)
        .map(|(fi, si)| (fi / f - si / total).abs())
        .sum();
    Some(sum / 2.0)
}

/// One part's contribution to DP in the one-sided form:
/// `max(0, f_i / f − size_i / total)`.
#[inline]
pub fn dp_term(f_i: f64, f: f64, size_i: f64, total: f64) -> f64 {
    (f_i / f - size_i / total).max(0.0)
}

/// DPnorm: `DP / (1 − min_i s_i)`, so that the maximum is 1 whatever the
/// part sizes. Source: Lijffijt & Gries 2012. `None` if there is one part.
pub fn dp_norm(dp: f64, min_share: f64) -> Option<f64> {
    (min_share < 1.0).then(|| (dp / (1.0 - min_share)).min(1.0))
}

/// Gries' DP of hits *within* one part, over `k` equal segments of it:
/// segment `j` holds positions `⌊j·n/k⌋ .. ⌊(j+1)·n/k⌋`, so its share
/// is its length over `n`; then `DP = ½ · Σ_j |f_j/f − s_j|` as in
/// [`gries_dp`]. 0 when the hits are spread evenly through the part,
/// near 1 when they cluster in one stretch. This is the number a
/// concordance plot prints at the end of each row (`k = 10`).
///
/// Source: Gries 2008 (DP), applied to equal segments of one text as
/// AntConc's plot applies its dispersion to a file. `None` when there
/// are no hits, `n = 0` or `k = 0`.
pub fn segment_dp(positions: &[u64], n: u64, k: u64) -> Option<f64> {
    if positions.is_empty() || n == 0 || k == 0 {
        return None;
    }
    let k = k.min(n);
    let mut freqs = vec![0.0; k as usize];
    for &p in positions {
        // The segment j with ⌊j·n/k⌋ <= p < ⌊(j+1)·n/k⌋: the largest j
        // with j·n < (p + 1)·k.
        let j = ((p.min(n - 1) + 1) * k - 1) / n;
        freqs[j as usize] += 1.0;
    }
    let sizes: Vec<f64> =
        (0..k).map(|j| ((j + 1) * n / k - j * n / k) as f64).collect();
    gries_dp(&freqs, &sizes)
}

/// The average reduced frequency: `v = N / f`; with `d_i` the gaps
/// between successive occurrences (positions in `0..N`, sorted), the
/// first gap joined cyclically to the last (`pos_1 + N − pos_f`),
/// `ARF = Σ_i min(d_i, v) / v`. Equal to `f` for perfectly even spacing,
/// near 1 for a single clump.
///
/// Source: Savický & Hlaváčová 2002; reference/statistics.md section 5.
/// `None` when `f = 0` or `N = 0`.
pub fn arf(positions: &[u64], n: u64) -> Option<f64> {
    let f = positions.len();
    if f == 0 || n == 0 {
        return None;
    }
    let v = n as f64 / f as f64;
    let mut sum = 0.0;
    for k in 0..f {
        let d = if k == 0 {
            positions[0] + n - positions[f - 1]
        } else {
            positions[k] - positions[k - 1]
        };
        sum += (d as f64).min(v);
    }
    Some(sum / v)
}

/// The hits of a query in one part (a document or a group).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The part's name (document id or group).
    pub name: String,
    /// Its size in counted tokens.
    pub tokens: u64,
    /// Token positions of the hits within the part, ascending.
    pub hits: Vec<u64>,
}

/// The dispersion of a query over a corpus.
#[derive(Debug, Clone)]
pub struct QueryDispersion {
    /// Every part with at least one token, in corpus order (documents)
    /// or by name (groups).
    pub parts: Vec<Part>,
    /// Counted tokens in the corpus (`N`).
    pub tokens: u64,
    /// Hits in the corpus (`f`).
    pub hits: u64,
    /// Parts with a hit.
    pub range: u64,
    /// Juilland's D over the parts.
    pub juilland_d: Option<f64>,
    /// Gries' DP over the parts.
    pub dp: Option<f64>,
    /// DPnorm.
    pub dp_norm: Option<f64>,
    /// Average reduced frequency over the corpus in corpus order.
    pub arf: Option<f64>,
    /// What was read.
    pub report: crate::corpus::ReadReport,
}

/// Finds every match of `query` and its dispersion over documents (or
/// over the groups of `by`): a [`DispersionCounter`] run by
/// [`crate::scan::run`].
pub fn of_query(
    corpus: &crate::corpus::Corpus,
    an: &crate::analyze::Analyzer,
    filter: &crate::meta::DocFilter,
    by: &crate::meta::GroupBy,
    query: &crate::query::Query,
    warn: &mut dyn FnMut(&crate::corpus::Warning),
) -> crate::error::Result<QueryDispersion> {
    let mut job = crate::scan::Job::local(corpus, an, filter, by, warn);
    let make = || DispersionCounter::new(query, by.is_grouped());
    let (mut out, scanned) = crate::scan::run(&mut job, make)?;
    out.report = scanned.report;
    Ok(out)
}

/// One document searched by a thread, waiting for its turn in corpus
/// order: its ordinal, size, hits, and part name (none for an empty
/// document).
type Found = (u64, u64, Vec<u64>, Option<String>);

/// Finds a query's hits in the documents it is given. Every document is
/// tokenized (sizes are needed) by the thread that takes it; positions
/// are laid out in corpus order in [`crate::scan::Counter::end_batch`],
/// on the first thread's counter. Its result's `report` is left empty
/// (see [`of_query`]).
pub struct DispersionCounter<'a> {
    query: &'a crate::query::Query,
    grouped: bool,
    scratch: crate::analyze::Scratch,
    pending: Vec<Found>,
    parts: Vec<Part>,
    group_index: crate::hash::Map<String, usize>,
    /// The hits' positions in the corpus.
    global: Vec<u64>,
    /// Tokens laid out so far.
    offset: u64,
}

impl<'a> DispersionCounter<'a> {
    /// A counter of `query`'s hits, over documents or (`grouped`) over
    /// the documents' groups.
    pub fn new(
        query: &'a crate::query::Query,
        grouped: bool,
    ) -> DispersionCounter<'a> {
        DispersionCounter {
            query,
            grouped,
            scratch: Default::default(),
            pending: Vec::new(),
            parts: Vec::new(),
            group_index: crate::hash::new_map(),
            global: Vec::new(),
            offset: 0,
        }
    }

    /// Lays out one document, in corpus order.
    fn lay_out(&mut self, (_, size, hits, name): Found) {
        let offset = self.offset;
        self.global.extend(hits.iter().map(|h| offset + h));
        self.offset += size;
        if let Some(name) = name {
            self.add_part(Part { name, tokens: size, hits });
        }
    }

    /// Adds a part after those laid out: a new part, or (grouped) more
    /// of its group's.
    fn add_part(&mut self, new: Part) {
        let known = if self.grouped {
            self.group_index.get(&new.name).copied()
        } else {
            None
        };
        match known {
            Some(k) => {
                let part = &mut self.parts[k];
                part.hits.extend(new.hits.iter().map(|h| part.tokens + h));
                part.tokens += new.tokens;
            }
            None => {
                if self.grouped {
                    self.group_index
                        .insert(new.name.clone(), self.parts.len());
                }
                self.parts.push(new);
            }
        }
    }
}

impl crate::scan::Counter for DispersionCounter<'_> {
    type Output = QueryDispersion;

    fn add(&mut self, doc: &crate::scan::Doc<'_>) {
        let text = &doc.document.text;
        let d = crate::query::DocTokens::analyze(
            doc.analyzer,
            text,
            &mut self.scratch,
        );
        let hits =
            d.matches(self.query, text).into_iter().map(|(i, _)| i as u64);
        let size = d.tokens.len() as u64;
        let name = (size > 0).then(|| {
            if self.grouped {
                doc.group.clone().into_owned()
            } else {
                doc.document.id.clone()
            }
        });
        self.pending.push((doc.ordinal, size, hits.collect(), name));
    }

    /// Lays out `other`'s documents after this one's (after
    /// [`crate::scan::Counter::end_batch`], only the first counter has
    /// any).
    fn merge(&mut self, other: Self) {
        self.pending.extend(other.pending);
        let offset = self.offset;
        self.global.extend(other.global.iter().map(|h| offset + h));
        self.offset += other.offset;
        for part in other.parts {
            self.add_part(part);
        }
    }

    /// Lays out the batch's documents in corpus order, on the first
    /// counter.
    fn end_batch(threads: &mut [&mut Self]) -> crate::error::Result<()> {
        let mut batch: Vec<Found> =
            threads.iter_mut().flat_map(|t| t.pending.drain(..)).collect();
        batch.sort_unstable_by_key(|f| f.0);
        for found in batch {
            threads[0].lay_out(found);
        }
        Ok(())
    }

    fn tokens(&self) -> Option<u64> {
        Some(self.offset)
    }

    fn finish(
        mut self,
        _: &crate::scan::Scanned,
    ) -> crate::error::Result<QueryDispersion> {
        Self::end_batch(&mut [&mut self])?;
        let mut parts = self.parts;
        if self.grouped {
            parts.sort_by(|a, b| a.name.as_bytes().cmp(b.name.as_bytes()));
        }
        Ok(measures(parts, &self.global, self.offset))
    }
}

/// The measures of a query's `hits` (positions in a corpus of `n`
/// tokens) over `parts`.
fn measures(parts: Vec<Part>, hits: &[u64], n: u64) -> QueryDispersion {
    let f = hits.len() as u64;
    let (mut sum_p, mut sum_p2) = (0.0, 0.0);
    let mut dp = 0.0;
    let mut min_share = 1.0f64;
    for part in &parts {
        let p = part.hits.len() as f64 / part.tokens as f64;
        sum_p += p;
        sum_p2 += p * p;
        min_share = min_share.min(part.tokens as f64 / n as f64);
        if !part.hits.is_empty() {
            dp += dp_term(
                part.hits.len() as f64,
                f as f64,
                part.tokens as f64,
                n as f64,
            );
        }
    }
    let dp = (f > 0).then_some(dp);
    QueryDispersion {
        tokens: n,
        hits: f,
        range: parts.iter().filter(|p| !p.hits.is_empty()).count() as u64,
        juilland_d: juilland_d(parts.len() as u64, sum_p, sum_p2),
        dp,
        dp_norm: dp.and_then(|d| {
            if parts.len() < 2 { None } else { dp_norm(d, min_share) }
        }),
        arf: arf(hits, n),
        parts,
        report: Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn segment_dp_by_hand() {
        // n = 100, k = 10: segments of 10 tokens, each a share of 0.1.
        // One hit in each segment: v_j = 0.1 = s_j, DP = 0.
        let even: Vec<u64> = (0..10).map(|j| j * 10 + 5).collect();
        assert!(close(segment_dp(&even, 100, 10).unwrap(), 0.0));
        // All 4 hits in segment 0 (positions 0..10): |1 − 0.1| + 9 ·
        // |0 − 0.1| = 0.9 + 0.9 = 1.8, halved: DP = 0.9.
        assert!(close(segment_dp(&[0, 3, 7, 9], 100, 10).unwrap(), 0.9));
        // Boundary: position 10 is in segment 1, not 0. Hits at 9 and 10:
        // v = (0.5, 0.5, 0, ...), Σ|v − s| = 0.4 + 0.4 + 8 · 0.1 = 1.6,
        // DP = 0.8.
        assert!(close(segment_dp(&[9, 10], 100, 10).unwrap(), 0.8));
        // Unequal segments: n = 5, k = 2: segments 0..2 and 2..5 (shares
        // 0.4, 0.6); one hit at 4: |0 − 0.4| + |1 − 0.6| = 0.8, DP = 0.4.
        assert!(close(segment_dp(&[4], 5, 2).unwrap(), 0.4));
        // Fewer tokens than segments: k becomes n.
        assert!(close(segment_dp(&[0, 1], 2, 10).unwrap(), 0.0));
        assert_eq!(segment_dp(&[], 100, 10), None);
        assert_eq!(segment_dp(&[1], 0, 10), None);
    }

    #[test]
    fn juilland_equal_parts_by_hand() {
        // Parts of size 10, frequencies 2, 2, 2: perfectly even, D = 1.
        assert!(close(
            juilland_d_parts(&[2.0, 2.0, 2.0], &[10.0; 3]).unwrap(),
            1.0
        ));
        // All in one of 4 parts: p = (0.5, 0, 0, 0), mean 0.125,
        // sd_pop = sqrt(0.25/4 − 0.125²) = sqrt(0.046875) = 0.216506,
        // CV = 1.732051 = sqrt(3), D = 1 − sqrt(3)/sqrt(3) = 0.
        assert!(close(
            juilland_d_parts(&[5.0, 0.0, 0.0, 0.0], &[10.0; 4]).unwrap(),
            0.0
        ));
        // f = (1, 3), sizes (10, 10): p = (0.1, 0.3), mean 0.2, sd 0.1,
        // CV 0.5, D = 1 − 0.5/1 = 0.5.
        assert!(close(
            juilland_d_parts(&[1.0, 3.0], &[10.0, 10.0]).unwrap(),
            0.5
        ));
        assert_eq!(juilland_d_parts(&[1.0], &[10.0]), None);
    }

    #[test]
    fn arf_by_hand() {
        // N = 100, f = 4 evenly at 0, 25, 50, 75: v = 25, gaps 25 each
        // (the first cyclic: 0 + 100 − 75), ARF = 4·25/25 = 4 = f.
        assert!(close(arf(&[0, 25, 50, 75], 100).unwrap(), 4.0));
        // Clumped at 10, 11, 12, 13: gaps 97, 1, 1, 1; min(d, 25) = 25,
        // 1, 1, 1; ARF = 28 / 25 = 1.12.
        assert!(close(arf(&[10, 11, 12, 13], 100).unwrap(), 1.12));
        assert_eq!(arf(&[], 100), None);
    }

    #[test]
    fn gries_dp_by_hand() {
        // Gries 2008's example: sizes 9, 10, 10, 10, 11 (total 50),
        // frequencies 1, 2, 3, 4, 5 (f = 15).
        // s = .18 .2 .2 .2 .22; v = .0667 .1333 .2 .2667 .3333;
        // |v − s| = .1133 .0667 0 .0667 .1133, sum .36, DP = .18.
        let dp = gries_dp(
            &[1.0, 2.0, 3.0, 4.0, 5.0],
            &[9.0, 10.0, 10.0, 10.0, 11.0],
        )
        .unwrap();
        assert!(close(dp, 0.18), "{dp}");
        // The one-sided form gives the same.
        let f = 15.0;
        let one_sided: f64 =
            [(1.0, 9.0), (2.0, 10.0), (3.0, 10.0), (4.0, 10.0), (5.0, 11.0)]
                .iter()
                .map(|(fi, si)| dp_term(*fi, f, *si, 50.0))
                .sum();
        assert!(close(one_sided, 0.18));
        // DPnorm with min share .18: .18 / .82.
        assert!(close(dp_norm(0.18, 0.18).unwrap(), 0.18 / 0.82));
        assert_eq!(gries_dp(&[0.0, 0.0], &[1.0, 1.0]), None);
    }

    /// A query's hits laid out in corpus order over parts, by hand:
    /// files "x a", "a", "b a a" (and an empty one) have parts of 2, 1
    /// and 3 tokens, hits at 1 | 0 | 1, 2 within them and at 1, 2, 4, 5
    /// in the corpus; the same on 1 and 3 threads.
    #[test]
    fn hits_are_laid_out_in_corpus_order() {
        use crate::analyze::Analyzer;
        use crate::meta::{DocFilter, GroupBy};
        let dir = tempfile::tempdir().unwrap();
        for (i, t) in ["x a", "a", "", "b a a"].iter().enumerate() {
            std::fs::write(dir.path().join(format!("{i}.txt")), t).unwrap();
        }
        let inputs = [dir.path().display().to_string()];
        let corpus =
            crate::corpus::Corpus::open(&inputs, Default::default()).unwrap();
        let an = Analyzer::default();
        let query = crate::query::Query::parse("a", &an, false).unwrap();
        for threads in [1, 3] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let (f, by) = (DocFilter::default(), GroupBy::All);
            let d = pool.install(|| {
                of_query(&corpus, &an, &f, &by, &query, &mut |_| {}).unwrap()
            });
            let parts: Vec<(u64, Vec<u64>)> =
                d.parts.iter().map(|p| (p.tokens, p.hits.clone())).collect();
            assert_eq!(parts, [(2, vec![1]), (1, vec![0]), (3, vec![1, 2])]);
            assert_eq!((d.tokens, d.hits, d.range), (6, 4, 3));
            // ARF of positions 1, 2, 4, 5 in 6 tokens, from arf itself.
            assert_eq!(d.arf, arf(&[1, 2, 4, 5], 6));
        }
    }
}
