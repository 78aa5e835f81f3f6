//! The frequency counter across processes ([`Portable`]): its state is
//! the group names and each group's counts ([`GroupCounts`]: items,
//! totals, sizes); its settings come from the counter that loads it, and
//! its spill files stay where they were written. Gries' DP takes the
//! second round: each process sums its own documents' DP terms (from
//! its spill files) with the whole corpus's totals, and those sums,
//! saved as counters that hold nothing else, are merged into the whole.
//! (Fixed point: the same sums in any order.)

use serde::{Deserialize, Serialize};

use super::counter::{FreqCounter, spill_err};
use super::spill::add_dp;
use super::totals::{GroupCounts, Sizes, Totals};
use crate::error::Result;
use crate::intern::Interner;
use crate::scan::{Portable, from_bytes, to_bytes};

/// What a [`FreqCounter`] saves, borrowed.
#[derive(Serialize)]
struct Saved<'a> {
    names: &'a Interner,
    groups: &'a [GroupCounts],
}

/// What a [`FreqCounter`] loads.
#[derive(Deserialize)]
struct Loaded {
    names: Interner,
    groups: Vec<GroupCounts>,
}

impl Portable for FreqCounter {
    /// Errors: a spill file that could not be made.
    fn save(&self) -> Result<Vec<u8>> {
        let (names, groups) = self.state()?;
        to_bytes(&Saved { names, groups })
    }

    fn load(&self, bytes: &[u8]) -> Result<FreqCounter> {
        let Loaded { names, groups } = from_bytes(bytes)?;
        Ok(self.of_state(names, groups))
    }

    fn wants_second_round(&self) -> bool {
        self.with_dp()
    }

    /// This process's DP sums: its spill files read with the whole
    /// corpus's group sizes and item frequencies in place of its own.
    fn second_round(self, whole: &FreqCounter) -> Result<FreqCounter> {
        let template = self.of_state(Interner::new(), Vec::new());
        let (names, mut groups, parts) = self.into_parts()?;
        let (whole_names, whole_groups) = whole.state()?;
        for (g, counts) in groups.iter_mut().enumerate() {
            let Some(w) = whole_names.get(names.term(g as u32)) else {
                continue;
            };
            let all = &whole_groups[w as usize];
            counts.sizes.tokens = all.sizes.tokens;
            for (id, item) in counts.index.iter() {
                if let Some(a) = all.index.get(item) {
                    counts.totals.set_freq(id, all.totals.freq(a));
                }
            }
        }
        add_dp(&mut groups, parts).map_err(spill_err)?;
        // Only the DP sums: merged into the whole, they add nothing else.
        for counts in &mut groups {
            counts.totals = Totals::default();
            counts.sizes = Sizes::default();
            counts.fit_stats();
        }
        Ok(template.of_state(names, groups))
    }
}
