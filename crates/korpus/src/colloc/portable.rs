//! The collocation counter across processes ([`Portable`]): its state is
//! its parts' counts (per group, an `Acc`: every term with its corpus
//! frequency, window, line and position counts, and the sums); the plan
//! it counts (node, window, pre-filters) is borrowed, so it comes from
//! the counter that loads the state. The parts of every process are
//! merged as a thread's are, in [`crate::scan::Counter::finish`].

use super::{Acc, CollocCounter, PassCounter};
use crate::error::Result;
use crate::hash::Map;
use crate::scan::{Portable, from_bytes, to_bytes};

impl Portable for CollocCounter<'_> {
    fn save(&self) -> Result<Vec<u8>> {
        to_bytes(&self.counts.parts)
    }

    fn load(&self, bytes: &[u8]) -> Result<Self> {
        let parts: Vec<Map<String, Acc>> = from_bytes(bytes)?;
        let mut counts = PassCounter::new(self.counts.plan);
        counts.parts = parts;
        Ok(CollocCounter { counts, grouped: self.grouped })
    }
}
