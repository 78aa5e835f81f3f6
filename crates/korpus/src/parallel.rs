//! Per-thread accumulators for rayon: counts are kept per worker thread
//! for the whole run and merged once at the end.
//!
//! Every accumulator in korpus sums integers (fractions are summed in
//! fixed point, see [`Fixed`]), so the merged totals, and therefore the
//! output bytes, do not depend on which thread counted which document.

use std::sync::Mutex;

use rayon::prelude::*;

/// One accumulator per rayon worker thread.
#[derive(Debug)]
pub struct PerThread<A> {
    slots: Vec<Mutex<A>>,
}

impl<A: Send> PerThread<A> {
    /// One accumulator per thread of the current rayon pool, each made by
    /// `make`.
    pub fn new(make: impl Fn() -> A) -> Self {
        let n = rayon::current_num_threads().max(1);
        PerThread { slots: (0..n).map(|_| Mutex::new(make())).collect() }
    }

    /// Runs `f(acc, item)` for every item in parallel, each on the
    /// accumulator of the thread that runs it.
    pub fn for_each<T: Sync>(
        &self,
        items: &[T],
        f: impl Fn(&mut A, &T) + Sync,
    ) {
        items.par_iter().for_each(|item| f(&mut self.slot(), item));
    }

    /// `f(acc, item)` for every item in parallel, each on the accumulator
    /// of the thread that runs it; the results in the items' order.
    pub fn map<T: Sync, R: Send>(
        &self,
        items: &[T],
        f: impl Fn(&mut A, &T) -> R + Sync,
    ) -> Vec<R> {
        items.par_iter().map(|item| f(&mut self.slot(), item)).collect()
    }

    /// `f` on every thread's accumulator at once, in thread order.
    pub fn with_all<R>(&self, f: impl FnOnce(&mut [&mut A]) -> R) -> R {
        let mut guards: Vec<std::sync::MutexGuard<'_, A>> = self
            .slots
            .iter()
            .map(|m| m.lock().unwrap_or_else(|e| e.into_inner()))
            .collect();
        let mut all: Vec<&mut A> =
            guards.iter_mut().map(|g| &mut **g).collect();
        f(&mut all)
    }

    /// The accumulator of the thread that calls.
    fn slot(&self) -> std::sync::MutexGuard<'_, A> {
        let slot =
            rayon::current_thread_index().unwrap_or(0) % self.slots.len();
        self.slots[slot].lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The accumulators, in thread order.
    pub fn into_inner(self) -> Vec<A> {
        self.slots
            .into_iter()
            .map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner()))
            .collect()
    }
}

/// An unsigned fixed-point number with 64 fractional bits, for summing
/// fractions exactly and associatively: the sum of the same fractions is
/// the same in any order.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Fixed(pub u128);

const ONE: f64 = 18_446_744_073_709_551_616.0; // 2^64

impl Fixed {
    /// The fixed-point value of `x` (negative values count as 0).
    ///
    /// Exact for every `x` whose lowest bit of precision is at least
    /// 2^-64 (all fractions korpus sums are at least 2^-64 apart):
    /// multiplying by 2^64 only changes the exponent. Values below 1 take
    /// the native f64-to-u64 conversion; the u128 one is a library call.
    #[inline]
    pub fn from_f64(x: f64) -> Fixed {
        let scaled = x.max(0.0) * ONE;
        if scaled < ONE {
            Fixed(scaled as u64 as u128)
        } else {
            Fixed(scaled as u128)
        }
    }

    /// As a float.
    pub fn to_f64(self) -> f64 {
        // Split to keep the integer part's precision.
        (self.0 >> 64) as f64 + (self.0 as u64) as f64 / ONE
    }
}

impl std::ops::AddAssign for Fixed {
    fn add_assign(&mut self, rhs: Fixed) {
        self.0 += rhs.0;
    }
}

/// An unsigned fixed-point number with 64 integer and 128 fractional bits
/// (24 bytes), for sums of fractions that may be far below 2^-64, such as
/// the squared relative frequencies `(f_i / size_i)²` of Juilland's D:
/// every `f64` at or above 2^-128 in its lowest bit converts exactly (a
/// singleton's `p²` in a document of up to 2^37 tokens), and the sum of
/// the same values is the same in any order.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Wide {
    /// The fraction, in units of 2^-128: low word, then high word.
    frac: [u64; 2],
    /// The integer part.
    int: u64,
}

impl Wide {
    /// The value of `x` (negative values count as 0, and so do values
    /// of 2^64 and above), its bits below 2^-128 truncated; by the bits of
    /// the float, without a float-to-integer library call.
    #[inline]
    pub fn from_f64(x: f64) -> Wide {
        if x.is_nan() || x <= 0.0 || x >= ONE {
            return Wide::default();
        }
        let bits = x.to_bits();
        let exp = ((bits >> 52) & 0x7ff) as i32;
        let man = bits & ((1 << 52) - 1);
        let (m, e) =
            if exp == 0 { (man, -1074) } else { (man | 1 << 52, exp - 1075) };
        // x = m · 2^e = m · 2^(e + 128) units of 2^-128.
        let s = e + 128;
        let m = u128::from(m);
        let (frac, int) = if s < 0 {
            (if s <= -128 { 0 } else { m >> -s }, 0)
        } else if s >= 128 {
            (0, (m << (s - 128)) as u64)
        } else {
            let int = if s > 75 { (m >> (128 - s)) as u64 } else { 0 };
            (m << s, int)
        };
        Wide { frac: [frac as u64, (frac >> 64) as u64], int }
    }

    /// As a float (to within a unit in its last place).
    pub fn to_f64(self) -> f64 {
        self.int as f64
            + self.frac[1] as f64 / ONE
            + self.frac[0] as f64 / ONE / ONE
    }

    fn frac(self) -> u128 {
        u128::from(self.frac[1]) << 64 | u128::from(self.frac[0])
    }
}

impl std::ops::AddAssign for Wide {
    #[inline]
    fn add_assign(&mut self, rhs: Wide) {
        let (frac, carry) = self.frac().overflowing_add(rhs.frac());
        self.frac = [frac as u64, (frac >> 64) as u64];
        self.int += rhs.int + u64::from(carry);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_keeps_the_items_order_on_per_thread_accumulators() {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(3).build();
        pool.expect("a pool").install(|| {
            let items: Vec<u64> = (0..10_000).collect();
            let threads = PerThread::new(|| 0u64);
            let got = threads.map(&items, |seen, &x| {
                *seen += 1;
                x * x
            });
            let want: Vec<u64> = items.iter().map(|x| x * x).collect();
            assert_eq!(got, want);
            let seen = threads.into_inner();
            assert_eq!(seen.len(), 3);
            assert_eq!(seen.iter().sum::<u64>(), 10_000);
        });
    }

    #[test]
    fn fixed_sums_are_order_independent() {
        let xs = [0.1, 0.7, 1e-9, 0.333333333333, 1.0, 0.25];
        let mut a = Fixed::default();
        for &x in &xs {
            a += Fixed::from_f64(x);
        }
        let mut b = Fixed::default();
        for &x in xs.iter().rev() {
            b += Fixed::from_f64(x);
        }
        assert_eq!(a, b);
        assert!((a.to_f64() - xs.iter().sum::<f64>()).abs() < 1e-15);
    }

    /// Values far below 2^-64 are kept, exactly: 1/(2^33)² is 2^-66, and
    /// (3/(10^7 + 3))² is kept to a unit in its last place.
    #[test]
    fn wide_keeps_tiny_fractions() {
        let tiny = 2f64.powi(-66);
        assert_eq!(Fixed::from_f64(tiny), Fixed(0), "the old sum's loss");
        assert_eq!(Wide::from_f64(tiny).to_f64(), tiny);
        for x in [1.0, 0.5, 0.1, 1e-7, 1e-11, 3.0 / 10_000_003.0, 0.75] {
            let p2 = x * x;
            assert_eq!(Wide::from_f64(p2).to_f64(), p2, "{x}");
        }
        // Sums carry into the integer part and do not depend on order.
        let xs = [0.75, 0.5, 1e-15, 0.999, 1.0, 2f64.powi(-100)];
        let (mut a, mut b) = (Wide::default(), Wide::default());
        for &x in &xs {
            a += Wide::from_f64(x);
        }
        for &x in xs.iter().rev() {
            b += Wide::from_f64(x);
        }
        assert_eq!(a, b);
        assert_eq!(a.int, 3);
        assert!((a.to_f64() - (3.249 + 1e-15)).abs() < 1e-15);
        assert_eq!(Wide::from_f64(-1.0), Wide::default());
        assert_eq!(Wide::from_f64(3.5).to_f64(), 3.5);
    }
}
