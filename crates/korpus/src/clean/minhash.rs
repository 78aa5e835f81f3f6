//! MinHash signatures of word shingles, and the statistics of comparing
//! them (the Jaccard estimate, the LSH candidate probability, the choice
//! of bands and rows).
//!
//! A document's terms are hashed one by one (the tree's hasher, seeded);
//! a shingle is the last `n` term hashes, combined by a rolling
//! polynomial (one multiply per term, whatever `n`), then mixed into a
//! 64-bit shingle hash. A signature is `k` 32-bit minima over the
//! shingle hashes, made by one of two schemes ([`Scheme`]): `k`
//! independent multiply-add-shift hashes per shingle, or one hash per
//! shingle spread over `k` bins with densification of the empty bins.
//! Nothing here allocates per term or per shingle.

use std::hash::{BuildHasher, Hasher};

/// The most words a shingle may have (the rolling window's size).
pub const MAX_SHINGLE: usize = 64;

/// How the `k` minima of a signature are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// `k` independent hashes `(a·x + b) >> 32` of each shingle hash `x`
    /// (32-bit key, 64-bit `a` odd and `b`: Dietzfelbinger's strongly
    /// universal multiply-add-shift), the minimum of each kept: classic
    /// MinHash (Broder 1997), as datatrove and text-dedup compute it.
    Independent,
    /// One hash per shingle: its top bits choose one of `k` bins, its
    /// low 32 bits are the value, each bin keeps its minimum; empty bins
    /// borrow a non-empty bin's value chosen by a seeded hash of the bin
    /// and the attempt: one permutation hashing (Li, Owen & Zhang 2012)
    /// with optimal densification (Shrivastava 2017, ICML).
    OnePermutation,
}

/// SplitMix64's finalizer: a bijective 64-bit mixer.
#[inline]
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The base of the rolling shingle polynomial (odd, so it is invertible
/// modulo 2^64).
const BASE: u64 = 0x9E37_79B9_7F4A_7C15;

/// The seeded hash functions of one configuration: what every document
/// of a run is sketched with (the same on every thread).
#[derive(Debug, Clone)]
pub struct Sketcher {
    shingle: usize,
    scheme: Scheme,
    seed: u64,
    /// `BASE^shingle`, to take the oldest word out of the window.
    base_pow: u64,
    /// Multipliers (odd) and addends of the independent hashes.
    mul: Vec<u64>,
    add: Vec<u64>,
}

impl Sketcher {
    /// The hash functions for shingles of `shingle` words (clamped to
    /// `1..=MAX_SHINGLE`) and signatures of `perms` minima (at least 1),
    /// drawn from `seed`.
    pub fn new(
        shingle: usize,
        perms: usize,
        scheme: Scheme,
        seed: u64,
    ) -> Self {
        let shingle = shingle.clamp(1, MAX_SHINGLE);
        let perms = perms.max(1);
        let mut state = seed;
        let mut next = || {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            mix64(state)
        };
        let mul: Vec<u64> = (0..perms).map(|_| next() | 1).collect();
        let add: Vec<u64> = (0..perms).map(|_| next()).collect();
        let base_pow = (0..shingle).fold(1u64, |p, _| p.wrapping_mul(BASE));
        Sketcher { shingle, scheme, seed, base_pow, mul, add }
    }

    /// The number of minima in a signature.
    pub fn perms(&self) -> usize {
        self.mul.len()
    }

    /// The seeded 64-bit hash of a term.
    #[inline]
    pub fn term_hash(&self, term: &str) -> u64 {
        crate::hash::BuildHasher::with_seed(self.seed).hash_one(term)
    }

    /// Adds one shingle hash to `sig` (of [`Sketcher::perms`] slots).
    #[inline]
    pub fn add_shingle(&self, x: u64, sig: &mut [u32]) {
        match self.scheme {
            Scheme::Independent => {
                let key = x as u32 as u64;
                for ((s, &a), &b) in
                    sig.iter_mut().zip(&self.mul).zip(&self.add)
                {
                    let h = (a.wrapping_mul(key).wrapping_add(b) >> 32) as u32;
                    *s = (*s).min(h);
                }
            }
            Scheme::OnePermutation => {
                let bin = (((x >> 32) * sig.len() as u64) >> 32) as usize;
                sig[bin] = sig[bin].min(x as u32);
            }
        }
    }

    /// Finishes a signature: under one permutation hashing, every empty
    /// bin takes the value of the first non-empty bin that a seeded hash
    /// of (bin, attempt) lands on. A signature with no shingle stays
    /// all `u32::MAX`. `filled` is scratch for the bins' state.
    pub fn densify(&self, sig: &mut [u32], filled: &mut Vec<bool>) {
        if self.scheme != Scheme::OnePermutation {
            return;
        }
        filled.clear();
        filled.extend(sig.iter().map(|&v| v != u32::MAX));
        if !filled.contains(&true) || !filled.contains(&false) {
            return;
        }
        let k = sig.len() as u64;
        for (i, &full) in filled.iter().enumerate() {
            if full {
                continue;
            }
            let mut attempt = 0u64;
            loop {
                attempt += 1;
                let h = mix64(self.seed ^ mix64(((i as u64) << 32) | attempt));
                let j = (((h >> 32) * k) >> 32) as usize;
                if filled[j] {
                    sig[i] = sig[j];
                    break;
                }
            }
        }
    }
}

/// The rolling state of one document: the last words' hashes, the
/// current shingle's polynomial and the exact-duplicate hash.
pub struct Shingles<'a> {
    sketcher: &'a Sketcher,
    window: [u64; MAX_SHINGLE],
    /// Terms seen so far.
    terms: u64,
    /// Shingles added so far.
    shingles: u64,
    poly: u64,
    exact: [ExactHasher; 2],
}

impl<'a> Shingles<'a> {
    /// A new document, its signature `sig` reset to all `u32::MAX`.
    pub fn new(sketcher: &'a Sketcher, sig: &mut [u32]) -> Self {
        sig.fill(u32::MAX);
        let seeded = |s: u64| {
            crate::hash::BuildHasher::with_seed(sketcher.seed ^ s)
                .build_hasher()
        };
        Shingles {
            sketcher,
            window: [0; MAX_SHINGLE],
            terms: 0,
            shingles: 0,
            poly: 0,
            exact: [seeded(0x5851_F42D), seeded(0x4C95_7F2D)],
        }
    }

    /// Adds the document's next term.
    #[inline]
    pub fn push(&mut self, term: &str, sig: &mut [u32]) {
        let sk = self.sketcher;
        let w = sk.term_hash(term);
        self.exact[0].write_u64(w);
        self.exact[1].write_u64(w);
        let n = sk.shingle;
        let slot = (self.terms % n as u64) as usize;
        let old = if self.terms >= n as u64 { self.window[slot] } else { 0 };
        self.window[slot] = w;
        self.poly = self
            .poly
            .wrapping_mul(BASE)
            .wrapping_add(w)
            .wrapping_sub(old.wrapping_mul(sk.base_pow));
        self.terms += 1;
        if self.terms >= n as u64 {
            sk.add_shingle(mix64(self.poly ^ sk.seed), sig);
            self.shingles += 1;
        }
    }

    /// Ends the document: a document of fewer terms than a shingle (but
    /// at least one) is one shingle of all its terms; the signature is
    /// densified. Returns the exact-duplicate key (two seeded hashes of
    /// the term sequence and the number of terms) and the number of
    /// shingles.
    pub fn finish(
        mut self,
        sig: &mut [u32],
        filled: &mut Vec<bool>,
    ) -> (ExactKey, u64) {
        let sk = self.sketcher;
        if self.shingles == 0 && self.terms > 0 {
            sk.add_shingle(mix64(self.poly ^ sk.seed), sig);
            self.shingles = 1;
        }
        sk.densify(sig, filled);
        let key = ExactKey {
            hashes: [self.exact[0].finish(), self.exact[1].finish()],
            terms: self.terms,
        };
        (key, self.shingles)
    }
}

/// The streaming hasher of the exact-duplicate key (the tree's).
type ExactHasher = <crate::hash::BuildHasher as BuildHasher>::Hasher;

/// What decides that two documents are exact duplicates: the same term
/// sequence (two seeded 64-bit hashes of it and its length).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ExactKey {
    hashes: [u64; 2],
    terms: u64,
}

/// The estimated Jaccard similarity of two sets from their MinHash
/// signatures: the share of slots where they agree,
/// `Ĵ = |{i : a_i = b_i}| / k`.
///
/// Under a min-wise independent family, `P(a_i = b_i) = J(A, B)`, so
/// `Ĵ` is unbiased with variance `J(1 − J)/k` (Broder 1997, "On the
/// resemblance and containment of documents"; Leskovec, Rajaraman &
/// Ullman, *Mining of Massive Datasets*, ch. 3.3). Signatures of
/// different lengths, or empty, give 0.
pub fn jaccard_estimate<T: PartialEq>(a: &[T], b: &[T]) -> f64 {
    if a.len() != b.len() || a.is_empty() {
        return 0.0;
    }
    let same = a.iter().zip(b).filter(|(x, y)| x == y).count();
    same as f64 / a.len() as f64
}

/// The Jaccard estimate from signatures that keep only the lowest
/// `bits` bits of each minimum: slots of different minima still agree
/// with probability `2^−b`, so the share of agreeing slots `p` is
/// corrected to `Ĵ = (p − 2^−b) / (1 − 2^−b)`, at least 0 (b-bit
/// minwise hashing, Li & König 2010, "b-Bit Minwise Hashing", WWW,
/// Theorem 1 with both sets large against `2^b`).
pub fn b_bit_jaccard(p: f64, bits: u32) -> f64 {
    let c = 0.5f64.powi(bits as i32);
    ((p - c) / (1.0 - c)).max(0.0)
}

/// The probability that two documents of Jaccard similarity `s` share
/// at least one of `bands` bands of `rows` rows, i.e. become a
/// candidate pair under LSH banding: `P(s) = 1 − (1 − s^r)^b`
/// (Leskovec, Rajaraman & Ullman, *Mining of Massive Datasets*,
/// ch. 3.4.2; the formula in datatrove's minhash.py).
pub fn candidate_probability(s: f64, bands: usize, rows: usize) -> f64 {
    1.0 - (1.0 - s.powi(rows as i32)).powi(bands as i32)
}

/// The similarity where the S-curve of [`candidate_probability`] rises
/// most steeply, approximately `(1/b)^(1/r)` (Leskovec, Rajaraman &
/// Ullman, ch. 3.4.3); datatrove's 14 bands of 8 give 0.719.
pub fn lsh_threshold(bands: usize, rows: usize) -> f64 {
    (1.0 / bands as f64).powf(1.0 / rows as f64)
}

/// The bands and rows for a threshold when every candidate pair is
/// verified: the most rows `r` (the fewest candidates to verify), with
/// `b = ⌊perms / r⌋` bands, whose S-curve ([`candidate_probability`])
/// still makes a pair of similarity `threshold` a candidate with
/// probability at least `recall`; 1 row if none does.
///
/// Unlike text-dedup's `optimal_param` (after datasketch's), which
/// weighs the band step's false positives against its false negatives
/// because it takes every candidate as a duplicate, a false candidate
/// here costs one signature comparison, so only the false negatives
/// count. For 0.5 on 256 minima and recall 0.98: 64 bands of 4
/// (`P(0.5) = 1 − (1 − 0.5⁴)⁶⁴ = 0.984`; 5 rows give 51 bands and 0.80).
pub fn bands_for(threshold: f64, perms: usize, recall: f64) -> (usize, usize) {
    let perms = perms.max(1);
    (1..=perms)
        .rev()
        .map(|r| (perms / r, r))
        .find(|&(b, r)| candidate_probability(threshold, b, r) >= recall)
        .unwrap_or((perms, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hand-worked S-curve values.
    #[test]
    fn candidate_probability_by_hand() {
        let rows = [
            // s = 0.8, 14 × 8: 0.8^8 = 0.16777; 0.83223^14 = e^(14 · ln
            // 0.83223) = e^(−2.5711) = 0.07645, so P = 0.92355
            // (the 0.924 in datatrove's minhash.py comment).
            (0.8, 14, 8, 0.92355),
            // s = 0.5, 2 × 1: 1 − 0.5² = 0.75.
            (0.5, 2, 1, 0.75),
            // s = 0.5, 1 × 2: 0.25.
            (0.5, 1, 2, 0.25),
            // s = 0: never; s = 1: always.
            (0.0, 14, 8, 0.0),
            (1.0, 14, 8, 1.0),
        ];
        for (s, b, r, want) in rows {
            let got = candidate_probability(s, b, r);
            assert!((got - want).abs() < 5e-5, "{s} {b}×{r}: {got}");
        }
        // (1/14)^(1/8) = e^(−ln 14 / 8) = e^(−0.32988) = 0.71900.
        assert!((lsh_threshold(14, 8) - 0.71900).abs() < 5e-5);
    }

    /// Agreeing slots over all slots, by hand.
    #[test]
    fn jaccard_estimate_by_hand() {
        assert_eq!(jaccard_estimate(&[1, 2, 3, 4], &[1, 9, 3, 9]), 0.5);
        assert_eq!(jaccard_estimate(&[7; 8], &[7; 8]), 1.0);
        assert_eq!(jaccard_estimate(&[1, 2], &[3, 4]), 0.0);
        assert_eq!(jaccard_estimate(&[1, 2], &[1]), 0.0);
        assert_eq!(jaccard_estimate::<u32>(&[], &[]), 0.0);
        // b-bit correction, b = 16: 2^−16 = 1.526e−5; p = 0.5 gives
        // (0.5 − 1.526e−5) / (1 − 1.526e−5) = 0.499992.
        assert_eq!(b_bit_jaccard(1.0, 16), 1.0);
        assert_eq!(b_bit_jaccard(0.0, 16), 0.0);
        assert!((b_bit_jaccard(0.5, 16) - 0.499992).abs() < 1e-6);
        // b = 1: agreeing by chance half the time; p = 0.75 → J = 0.5.
        assert_eq!(b_bit_jaccard(0.75, 1), 0.5);
    }

    /// Bands for a threshold, by hand: 0.5 on 256 minima gives 64 × 4
    /// (see the doc comment); 0.8 gives 28 × 9 (0.8⁹ = 0.1342,
    /// 1 − 0.8658²⁸ = 0.982; 10 rows: 25 bands, 1 − 0.8926²⁵ = 0.942);
    /// a threshold no band choice reaches gets 1 row.
    #[test]
    fn bands_for_by_hand() {
        assert_eq!(bands_for(0.5, 256, 0.98), (64, 4));
        assert_eq!(bands_for(0.8, 256, 0.98), (28, 9));
        assert_eq!(bands_for(0.01, 4, 0.98), (4, 1));
    }

    fn signature(sk: &Sketcher, words: &[&str]) -> (Vec<u32>, u64) {
        let mut sig = vec![0; sk.perms()];
        let mut sh = Shingles::new(sk, &mut sig);
        for w in words {
            sh.push(w, &mut sig);
        }
        let (_, n) = sh.finish(&mut sig, &mut Vec::new());
        (sig, n)
    }

    /// The rolling window gives a shingle the same hash wherever it
    /// sits: a text and the same text behind two other words share 3 of
    /// 5 shingles of 3 words (J = 3/5), and both schemes estimate it.
    #[test]
    fn shingles_roll_and_estimate_jaccard() {
        let a = ["a", "b", "c", "d", "e"]; // abc bcd cde
        let b = ["x", "y", "a", "b", "c", "d", "e"]; // xya yab abc bcd cde
        for scheme in [Scheme::Independent, Scheme::OnePermutation] {
            let sk = Sketcher::new(3, 4096, scheme, 7);
            let (sa, na) = signature(&sk, &a);
            let (sb, nb) = signature(&sk, &b);
            assert_eq!((na, nb), (3, 5));
            // J = |{abc, bcd, cde}| / |{xya, yab, abc, bcd, cde}| = 0.6;
            // 4,096 slots: standard error sqrt(0.24/4096) = 0.0077.
            let j = jaccard_estimate(&sa, &sb);
            assert!((j - 0.6).abs() < 0.04, "{scheme:?}: {j}");
        }
    }

    /// A document shorter than a shingle is one shingle; an empty one
    /// none (its signature stays all MAX).
    #[test]
    fn short_and_empty_documents() {
        let sk = Sketcher::new(5, 16, Scheme::OnePermutation, 1);
        let (sig, n) = signature(&sk, &["satu", "dua"]);
        assert_eq!(n, 1);
        assert!(sig.iter().all(|&v| v != u32::MAX), "densified");
        let (sig, n) = signature(&sk, &[]);
        assert_eq!(n, 0);
        assert!(sig.iter().all(|&v| v == u32::MAX));
    }
}
