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
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
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
}
