//! Lexical diversity: TTR, MSTTR, MATTR, hapax legomena, Yule's K.
//!
//! Notation (reference/statistics.md, section 6): `N` tokens, `V` types,
//! `V(i, N)` the number of types occurring exactly `i` times.

use std::collections::VecDeque;

/// Type-token ratio `V / N`. `None` for `N = 0`.
pub fn ttr(types: u64, tokens: u64) -> Option<f64> {
    (tokens > 0).then(|| types as f64 / tokens as f64)
}

/// Yule's K: `10⁴ · (Σ_i i² · V(i, N) − N) / N²`, computed from the
/// frequencies of every type (`Σ_i i² V(i,N) = Σ_types f²`).
/// Source: Yule 1944; reference/statistics.md section 6. `None` for
/// `N = 0`.
pub fn yule_k(freqs: impl IntoIterator<Item = u64>) -> Option<f64> {
    let (mut n, mut s2) = (0u128, 0u128);
    for f in freqs {
        n += f as u128;
        s2 += (f as u128) * (f as u128);
    }
    (n > 0).then(|| 1e4 * (s2 - n) as f64 / (n as f64 * n as f64))
}

/// The moving-average TTR (Covington & McFall 2010): the mean TTR of
/// every window of `w` consecutive tokens, sliding one token at a time;
/// `N − w + 1` windows. Fed one type id at a time, in text order.
#[derive(Debug)]
pub struct Mattr {
    w: usize,
    window: VecDeque<u32>,
    counts: Vec<u32>,
    distinct: u64,
    sum: u128,
    windows: u64,
}

impl Mattr {
    /// A MATTR over windows of `w` tokens (`w >= 1`).
    pub fn new(w: usize) -> Mattr {
        Mattr {
            w: w.max(1),
            window: VecDeque::new(),
            counts: Vec::new(),
            distinct: 0,
            sum: 0,
            windows: 0,
        }
    }

    /// Adds the next token, given as a dense type id.
    pub fn push(&mut self, id: u32) {
        let i = id as usize;
        if i >= self.counts.len() {
            self.counts.resize(i + 1, 0);
        }
        if self.counts[i] == 0 {
            self.distinct += 1;
        }
        self.counts[i] += 1;
        self.window.push_back(id);
        if self.window.len() > self.w {
            let old = self.window.pop_front().expect("non-empty") as usize;
            self.counts[old] -= 1;
            if self.counts[old] == 0 {
                self.distinct -= 1;
            }
        }
        if self.window.len() == self.w {
            // Sum distinct counts exactly; divide once at the end.
            self.sum += self.distinct as u128;
            self.windows += 1;
        }
    }

    /// The MATTR, `None` if fewer than `w` tokens were pushed.
    pub fn value(&self) -> Option<f64> {
        (self.windows > 0)
            .then(|| self.sum as f64 / (self.windows as f64 * self.w as f64))
    }
}

/// The mean segmental TTR (Johnson 1944): the mean TTR of consecutive,
/// non-overlapping segments of `w` tokens; a last partial segment is
/// dropped.
#[derive(Debug)]
pub struct Msttr {
    w: usize,
    seen: Vec<u32>,
    segment: Vec<u32>,
    distinct: u64,
    sum: u128,
    segments: u64,
}

impl Msttr {
    /// An MSTTR over segments of `w` tokens (`w >= 1`).
    pub fn new(w: usize) -> Msttr {
        Msttr {
            w: w.max(1),
            seen: Vec::new(),
            segment: Vec::new(),
            distinct: 0,
            sum: 0,
            segments: 0,
        }
    }

    /// Adds the next token, given as a dense type id.
    pub fn push(&mut self, id: u32) {
        let i = id as usize;
        if i >= self.seen.len() {
            self.seen.resize(i + 1, 0);
        }
        if self.seen[i] == 0 {
            self.distinct += 1;
        }
        self.seen[i] += 1;
        self.segment.push(id);
        if self.segment.len() == self.w {
            self.sum += self.distinct as u128;
            self.segments += 1;
            for id in self.segment.drain(..) {
                self.seen[id as usize] = 0;
            }
            self.distinct = 0;
        }
    }

    /// The MSTTR, `None` if fewer than `w` tokens were pushed.
    pub fn value(&self) -> Option<f64> {
        (self.segments > 0)
            .then(|| self.sum as f64 / (self.segments as f64 * self.w as f64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brute_mattr(ids: &[u32], w: usize) -> Option<f64> {
        if ids.len() < w {
            return None;
        }
        let ttrs: Vec<f64> = ids
            .windows(w)
            .map(|win| {
                let mut v = win.to_vec();
                v.sort();
                v.dedup();
                v.len() as f64 / w as f64
            })
            .collect();
        Some(ttrs.iter().sum::<f64>() / ttrs.len() as f64)
    }

    #[test]
    fn mattr_by_hand() {
        // a b a c, w = 2: windows ab, ba, ac: TTRs 1, 1, 1 → 1.
        // a a a b, w = 2: aa .5, aa .5, ab 1 → 2/3.
        let mut m = Mattr::new(2);
        for id in [0, 0, 0, 1] {
            m.push(id);
        }
        assert!((m.value().unwrap() - 2.0 / 3.0).abs() < 1e-12);
        let ids = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4];
        for w in 1..=21 {
            let mut m = Mattr::new(w);
            ids.iter().for_each(|&i| m.push(i));
            let (got, want) = (m.value(), brute_mattr(&ids, w));
            assert_eq!(got.is_some(), want.is_some(), "w={w}");
            if let (Some(g), Some(b)) = (got, want) {
                assert!((g - b).abs() < 1e-12, "w={w}");
            }
        }
    }

    #[test]
    fn msttr_by_hand() {
        // a a b c | c c d e | f: segments of 4: TTR 3/4 and 3/4; f dropped.
        let mut m = Msttr::new(4);
        for id in [0, 0, 1, 2, 2, 2, 3, 4, 5] {
            m.push(id);
        }
        assert!((m.value().unwrap() - 0.75).abs() < 1e-12);
        assert_eq!(Msttr::new(10).value(), None);
    }

    #[test]
    fn yule_k_by_hand() {
        // Frequencies 3, 1, 1 (N = 5): Σ f² = 11; K = 10⁴ · (11 − 5) / 25 = 2400.
        assert!((yule_k([3, 1, 1]).unwrap() - 2400.0).abs() < 1e-9);
        assert_eq!(yule_k([]), None);
        assert_eq!(ttr(3, 5), Some(0.6));
    }
}
