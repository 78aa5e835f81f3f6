//! An item's totals in a group as documents are counted ([`TermStats`],
//! kept in 8 bytes while one document holds the item: [`Totals`]), and
//! a group's counts ([`GroupCounts`]): the state that threads' counters,
//! a distributed run's records and its sums all add with the same
//! functions ([`TermStats::add`], [`Sizes::add`], [`GroupCounts::merge`]).

use serde::{Deserialize, Serialize};

use crate::intern::Vocab;
use crate::parallel::{Fixed, Wide};

/// Totals for one item in one group, counted as documents are read:
/// 64 bytes (the sums of Juilland's D in [`Wide`] fixed point, 128
/// fractional bits, so a squared relative frequency far below 2^-64 is
/// kept: documents of any size give exact sums). (Gries' DP is summed
/// after the scan, in [`GroupCounts::dp`].)
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize,
)]
pub(super) struct TermStats {
    pub(super) freq: u64,
    pub(super) range: u64,
    pub(super) sum_p: Wide,
    pub(super) sum_p2: Wide,
}

impl TermStats {
    /// Adds a document of `size` units holding the item `c` times.
    #[inline]
    pub(super) fn add_doc(&mut self, c: u64, size: u64) {
        let p = c as f64 / size as f64;
        self.freq += c;
        self.range += 1;
        self.sum_p += Wide::from_f64(p);
        self.sum_p2 += Wide::from_f64(p * p);
    }

    pub(super) fn add(&mut self, o: &TermStats) {
        self.freq += o.freq;
        self.range += o.range;
        self.sum_p += o.sum_p;
        self.sum_p2 += o.sum_p2;
    }
}

/// Every item's [`TermStats`], in 8 bytes an item until it is met in a
/// second document. Most items of a large corpus are met in one document
/// only (at 1 GB of generated news, 79% of the types are hapaxes): such
/// an item keeps that document's count and size, `count << 32 | size`,
/// and gets its 64 bytes of totals, in `full`, when a second document
/// holds it. Its totals are the same either way: the sums of
/// [`TermStats::add_doc`] over its documents, in fixed point.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct Totals {
    /// Per item: 0 (not met), `FULL | i` (totals in `full[i]`), or the
    /// one document's `count << 32 | size` (both above 0).
    slim: Vec<u64>,
    full: Vec<TermStats>,
}

pub(super) const FULL: u64 = 1 << 63;

impl Totals {
    pub(super) fn len(&self) -> usize {
        self.slim.len()
    }

    /// Gives items `len()..n` empty totals, the buffer reserved up to
    /// `room` items when it must grow (one reallocation each time the
    /// items' table grows, rather than doubling on its own).
    #[inline]
    pub(super) fn fit(&mut self, n: usize, room: usize) {
        if n > self.slim.capacity() {
            self.slim.reserve_exact(room.max(n) - self.slim.len());
        }
        self.slim.resize(n, 0);
    }

    /// Adds a document of `size` units holding item `id` `c` times.
    #[inline(always)]
    pub(super) fn add_doc(&mut self, id: u32, c: u64, size: u64) {
        let v = self.slim[id as usize];
        if v & FULL != 0 {
            self.full[(v & !FULL) as usize].add_doc(c, size);
        } else if v == 0 && c < 1 << 31 && size <= u32::MAX as u64 {
            self.slim[id as usize] = c << 32 | size;
        } else {
            self.full_mut(id).add_doc(c, size);
        }
    }

    /// Item `id`'s 64-byte totals, made from its slim word first if it
    /// has none.
    #[cold]
    #[inline(never)]
    pub(super) fn full_mut(&mut self, id: u32) -> &mut TermStats {
        let v = &mut self.slim[id as usize];
        if *v & FULL == 0 {
            self.full.push(one_doc(*v));
            *v = FULL | (self.full.len() - 1) as u64;
        }
        &mut self.full[(*v & !FULL) as usize]
    }

    /// Adds totals `o` to item `id`'s.
    pub(super) fn add(&mut self, id: u32, o: &TermStats) {
        self.full_mut(id).add(o);
    }

    /// Adds item `o`'s totals in `other` to item `id`'s: a document
    /// held alone is added as a document, so an item met once in each
    /// of two threads' totals stays 8 bytes until its second document.
    pub(super) fn add_from(&mut self, id: u32, other: &Totals, o: u32) {
        match other.slim[o as usize] {
            0 => {}
            v if v & FULL != 0 => {
                self.add(id, &other.full[(v & !FULL) as usize])
            }
            v => self.add_doc(id, v >> 32, v & u32::MAX as u64),
        }
    }

    pub(super) fn get(&self, id: u32) -> TermStats {
        match self.slim[id as usize] {
            v if v & FULL != 0 => self.full[(v & !FULL) as usize],
            v => one_doc(v),
        }
    }

    /// Item `id`'s frequency (also read ahead of use, to load its
    /// totals).
    #[inline]
    pub(super) fn freq(&self, id: u32) -> u64 {
        match self.slim[id as usize] {
            v if v & FULL != 0 => self.full[(v & !FULL) as usize].freq,
            v => v >> 32,
        }
    }

    /// Sets item `id`'s frequency (for a distributed count's second
    /// round, which needs the whole corpus's).
    pub(super) fn set_freq(&mut self, id: u32, freq: u64) {
        self.full_mut(id).freq = freq;
    }
}

/// The totals of an item held by one document, from its slim word (0:
/// none).
#[inline]
pub(super) fn one_doc(v: u64) -> TermStats {
    let mut s = TermStats::default();
    if v != 0 {
        s.add_doc(v >> 32, v & u32::MAX as u64);
    }
    s
}

/// A group's sizes: counted units and dispersion parts.
#[derive(
    Debug, Default, Clone, Copy, PartialEq, Eq, Serialize, Deserialize,
)]
pub(super) struct Sizes {
    /// Counted units.
    pub(super) tokens: u64,
    /// Documents with at least one unit (the dispersion parts).
    pub(super) parts: u64,
    /// Documents with no unit.
    pub(super) empty_docs: u64,
    /// Size of the smallest part.
    pub(super) min_part: Option<u64>,
}

impl Sizes {
    /// Counts a document of `size` units.
    #[inline]
    pub(super) fn add_doc(&mut self, size: u64) {
        if size == 0 {
            self.empty_docs += 1;
            return;
        }
        self.tokens += size;
        self.parts += 1;
        self.min_part = Some(self.min_part.map_or(size, |m| m.min(size)));
    }

    /// Adds sizes counted apart.
    pub(super) fn add(&mut self, o: &Sizes) {
        self.tokens += o.tokens;
        self.parts += o.parts;
        self.empty_docs += o.empty_docs;
        self.min_part = match (self.min_part, o.min_part) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
}

/// The counts of one group (mergeable; its serde form is the state a
/// distributed run exchanges, see `freq/portable.rs`).
#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct GroupCounts {
    /// The items (looked up only for chunks not remembered, or n-grams).
    pub(super) index: Vocab,
    pub(super) totals: Totals,
    /// Each item's Gries' DP sum (fixed point), when asked for: filled
    /// after the scan, empty until then.
    pub(super) dp: Vec<Fixed>,
    pub(super) sizes: Sizes,
}

impl GroupCounts {
    /// Adds `other` (its DP sums too, if it has any); returns the map
    /// from its item ids to this one's. (Each of its items is looked up
    /// in this index, whose table is small: [`Vocab`].)
    pub(super) fn merge(&mut self, other: GroupCounts) -> Vec<u32> {
        self.sizes.add(&other.sizes);
        let remap: Vec<u32> = other
            .index
            .iter()
            .map(|(_, item)| self.index.intern(item))
            .collect();
        self.fit_stats();
        for (o, &mine) in remap.iter().enumerate() {
            self.totals.add_from(mine, &other.totals, o as u32);
        }
        for (&mine, &dp) in remap.iter().zip(&other.dp) {
            self.add_dp(mine, dp);
        }
        remap
    }

    /// Adds DP sums counted apart to item `id`'s.
    pub(super) fn add_dp(&mut self, id: u32, dp: Fixed) {
        if self.dp.len() < self.totals.len() {
            self.dp.resize(self.totals.len(), Fixed::default());
        }
        self.dp[id as usize] += dp;
    }

    /// Gives every item of the index its totals. The totals' buffer grows
    /// in step with the index's table (one reallocation each time the
    /// table grows) rather than doubling on its own.
    #[inline]
    pub(super) fn fit_stats(&mut self) {
        self.totals.fit(self.index.len(), self.index.capacity());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dispersion::juilland_d;

    /// Two threads' totals of 300 items over documents of every kind
    /// (an item met once, in one thread or in both, a count or size too
    /// large for 8 bytes), merged: the same as 64-byte totals summed
    /// directly, and items met in one document only are not given 64.
    #[test]
    fn slim_totals_equal_direct_totals() {
        let n = 300u32;
        let mut direct = vec![TermStats::default(); n as usize];
        let mut big = vec![false; n as usize];
        let (mut a, mut b) = (Totals::default(), Totals::default());
        a.fit(n as usize, 0);
        b.fit(n as usize, 0);
        let mut x = 12345u64;
        for doc in 0..2000u64 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            // Items 100 to 299 are met once (100 to 109 twice), the
            // others often.
            let id = if doc % 2 == 1 && doc < 400 {
                100 + doc as u32 / 2
            } else if doc % 2 == 1 && doc < 420 {
                100 + (doc as u32 - 400) / 2
            } else {
                (x >> 33) as u32 % 100
            };
            let size = match doc % 97 {
                0 => 1 << 33,
                _ => 1 + (x >> 40) % 500,
            };
            let c = match doc % 89 {
                0 => (1 << 31) + 5,
                _ => 1 + (x >> 20) % size.min(7),
            };
            let size = size.max(c);
            big[id as usize] |= size > u32::MAX as u64 || c >= 1 << 31;
            direct[id as usize].add_doc(c, size);
            let t = if doc % 3 == 0 { &mut b } else { &mut a };
            t.add_doc(id, c, size);
        }
        for id in 0..n {
            a.add_from(id, &b, id);
        }
        for id in 0..n {
            assert_eq!(a.get(id), direct[id as usize], "item {id}");
            assert_eq!(a.freq(id), direct[id as usize].freq, "item {id}");
        }
        let once: Vec<usize> =
            (0..n as usize).filter(|&i| direct[i].range == 1).collect();
        assert!(once.len() > 150, "{} items met once", once.len());
        assert!(big.iter().any(|&b| b), "no count or size too large");
        for i in once {
            assert!(
                big[i] || a.slim[i] & FULL == 0,
                "item {i} given 64 bytes"
            );
        }
        a.set_freq(150, 7);
        assert_eq!(a.get(150), TermStats { freq: 7, ..direct[150] });
    }

    /// Juilland's D of items in documents of 10^7+ tokens, against its
    /// exact value. With parts of sizes `S·m_i` the relative frequencies
    /// are `c_i·w_i / (6S)` with `w_i = 6 / m_i`, so `cv² = n·Σ(c_i·w_i)² /
    /// (Σ c_i·w_i)² − 1` in integers, whatever S: D = 1 − cv / sqrt(n −
    /// 1), one square root from exact integers. (The old 2^-64 sums of
    /// `p²` were off in the 4th to 5th decimal at S = 2·10^7, and gave a
    /// singleton's D as 1 above 2^32 tokens.)
    #[test]
    fn juilland_d_is_exact_for_large_documents() {
        let cases: [(&[u64], &[u64], u64); 4] = [
            (&[1, 2, 1], &[1, 1, 1], 20_000_000),
            (&[3, 1, 7, 2], &[1, 2, 3, 1], 25_000_000),
            (&[1, 1], &[1, 3], 10_000_019),
            (&[5, 9, 2, 1, 1], &[2, 1, 1, 3, 2], 30_000_001),
        ];
        for (counts, mults, size) in cases {
            let mut s = TermStats::default();
            for (&c, &m) in counts.iter().zip(mults) {
                s.add_doc(c, size * m);
            }
            let n = counts.len() as u128;
            let cw: Vec<u128> = counts
                .iter()
                .zip(mults)
                .map(|(&c, &m)| u128::from(c) * 6 / u128::from(m))
                .collect();
            let sum: u128 = cw.iter().sum();
            let sum2: u128 = cw.iter().map(|x| x * x).sum();
            let num = n * sum2 - sum * sum; // cv² = num / sum²
            let cv = (num as f64).sqrt() / sum as f64;
            let want = 1.0 - cv / ((n - 1) as f64).sqrt();
            let got =
                juilland_d(n as u64, s.sum_p.to_f64(), s.sum_p2.to_f64())
                    .unwrap();
            assert!(
                (got - want).abs() < 1e-12,
                "{counts:?} × {size}: {got} vs {want}"
            );
        }
        // A singleton in a document of 2^33 tokens, beside a second
        // part: Σp² = Σp² exactly, cv = sqrt(n − 1), D = 0.
        let mut s = TermStats::default();
        s.add_doc(1, 1 << 33);
        assert_eq!(
            juilland_d(2, s.sum_p.to_f64(), s.sum_p2.to_f64()),
            Some(0.0)
        );
    }
}
