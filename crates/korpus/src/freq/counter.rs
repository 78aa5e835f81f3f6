//! The frequency counter: one per thread, each document's units counted
//! into its group's [`GroupCounts`] (and spilled for Gries' DP), merged
//! by group and item, finished into the groups' lists.

use std::sync::Mutex;

use super::spill::{Spill, SpillPart, add_dp};
use super::totals::GroupCounts;
use super::{FreqOptions, GroupFreq, Units, lists};
use crate::chunks::{ChunkCache, ChunkScratch};
use crate::error::{Error, Result};
use crate::intern::{Interner, Keys};
use crate::scan::{Counter, Doc, Scanned};

/// The error of a spill file (in `TMPDIR`).
pub(super) fn spill_err(e: std::io::Error) -> Error {
    Error::Io { path: std::env::temp_dir(), error: e }
}

/// Counts the frequency list of the documents it is given (see the
/// module's documentation); its result is the groups' lists, in ascending
/// byte order of their names. Gries' DP is summed in
/// [`Counter::finish`], from the spill files of every counter merged
/// into this one.
pub struct FreqCounter {
    n: usize,
    cross: bool,
    dp: bool,
    units: Units,
    /// Group names to group ids.
    names: Interner,
    groups: Vec<GroupCounts>,
    /// Each group's chunk memo (items only, not n-grams).
    chunks: Vec<ChunkCache>,
    chunk_scratch: ChunkScratch,
    doc_counts: Vec<u32>,
    /// The items of the current document with their counts.
    touched: Vec<(u32, u32)>,
    /// The document's n-grams (n > 1; items come from `chunks`).
    keys: Keys,
    /// The ids of the document's units.
    ids: Vec<u32>,
    /// This counter's per-document pairs for DP, when asked for (its
    /// own ids).
    spill: Option<Spill>,
    /// The spill files of the counters merged into this one, with the
    /// maps from their ids to this one's.
    merged: Vec<SpillPart>,
    /// A spill file that could not be made.
    failed: Option<std::io::Error>,
}

impl FreqCounter {
    /// A counter with `opts` (its spill file, for DP, made now: an
    /// error is returned by [`Counter::finish`]).
    pub fn new(opts: &FreqOptions) -> FreqCounter {
        match opts.dp.then(Spill::new).transpose() {
            Ok(spill) => FreqCounter::with_spill(opts, spill),
            Err(e) => FreqCounter {
                failed: Some(e),
                ..FreqCounter::with_spill(opts, None)
            },
        }
    }

    fn with_spill(opts: &FreqOptions, spill: Option<Spill>) -> FreqCounter {
        FreqCounter {
            n: opts.ngram.max(1),
            cross: opts.cross_sentences,
            dp: opts.dp,
            units: Units::default(),
            names: Interner::new(),
            groups: Vec::new(),
            chunks: Vec::new(),
            chunk_scratch: ChunkScratch::default(),
            doc_counts: Vec::new(),
            touched: Vec::new(),
            keys: Keys::default(),
            ids: Vec::new(),
            spill,
            merged: Vec::new(),
            failed: None,
        }
    }

    /// Counters for every thread of the current pool, their spill files
    /// made before any is given out (a `TMPDIR` that refuses them stops
    /// the run before the corpus is read).
    pub fn maker(opts: &FreqOptions) -> Result<impl Fn() -> FreqCounter + '_> {
        let mut spills = Vec::new();
        for _ in 0..rayon::current_num_threads().max(1) {
            spills.push(
                opts.dp.then(Spill::new).transpose().map_err(spill_err)?,
            );
        }
        let spills = Mutex::new(spills);
        // Past those (a second read with the same maker: the shares of a
        // distributed run), each counter makes its own.
        Ok(move || {
            let mut spills = spills.lock().unwrap_or_else(|e| e.into_inner());
            match spills.pop() {
                Some(spill) => FreqCounter::with_spill(opts, spill),
                None => FreqCounter::new(opts),
            }
        })
    }

    /// Whether it sums Gries' DP.
    pub(super) fn with_dp(&self) -> bool {
        self.dp
    }

    /// The group names and counts: the state a distributed run
    /// exchanges (see `portable.rs`). Errors: a spill file that could
    /// not be made.
    pub(super) fn state(&self) -> Result<(&Interner, &[GroupCounts])> {
        match &self.failed {
            Some(e) => {
                Err(spill_err(std::io::Error::new(e.kind(), e.to_string())))
            }
            None => Ok((&self.names, &self.groups)),
        }
    }

    /// A counter with this one's settings holding `names` and `groups`
    /// (and no spill file).
    pub(super) fn of_state(
        &self,
        names: Interner,
        groups: Vec<GroupCounts>,
    ) -> FreqCounter {
        let chunks = groups.iter().map(|_| ChunkCache::default()).collect();
        FreqCounter {
            n: self.n,
            cross: self.cross,
            dp: self.dp,
            units: Units::default(),
            names,
            groups,
            chunks,
            chunk_scratch: ChunkScratch::default(),
            doc_counts: Vec::new(),
            touched: Vec::new(),
            keys: Keys::default(),
            ids: Vec::new(),
            spill: None,
            merged: Vec::new(),
            failed: None,
        }
    }

    /// The group names, the counts, and every spill file with its id
    /// maps.
    pub(super) fn into_parts(
        self,
    ) -> Result<(Interner, Vec<GroupCounts>, Vec<SpillPart>)> {
        if let Some(e) = self.failed {
            return Err(spill_err(e));
        }
        let mut parts = self.merged;
        if self.spill.is_some() {
            let same = self
                .groups
                .iter()
                .enumerate()
                .map(|(g, c)| (g as u32, (0..c.index.len() as u32).collect()))
                .collect();
            parts.push((self.spill, same));
        }
        Ok((self.names, self.groups, parts))
    }

    /// The group id of `name`, its counts made when new.
    #[inline]
    fn group(&mut self, name: &str) -> usize {
        let g = self.names.intern(name) as usize;
        if g == self.groups.len() {
            self.groups.push(GroupCounts::default());
            self.chunks.push(ChunkCache::default());
        }
        g
    }

    /// The document's unit ids into `self.ids`.
    #[inline]
    fn units_of(&mut self, g: usize, doc: &Doc<'_>) {
        let (an, text) = (doc.analyzer, &doc.document.text);
        let group = &mut self.groups[g];
        if self.n == 1 {
            let (cache, ids) = (&mut self.chunks[g], &mut self.ids);
            cache.ids(
                an,
                text,
                &mut group.index,
                &mut self.chunk_scratch,
                ids,
            );
        } else {
            let (keys, n, cross) = (&mut self.keys, self.n, self.cross);
            keys.clear();
            self.units.each(an, text, n, cross, |unit| keys.push(unit));
            group.index.intern_all(keys, &mut self.ids);
        }
        group.fit_stats();
    }
}

impl Counter for FreqCounter {
    type Output = Vec<GroupFreq>;

    fn add(&mut self, doc: &Doc<'_>) {
        let g = self.group(&doc.group);
        self.units_of(g, doc);
        let FreqCounter { groups, doc_counts, touched, spill, ids, .. } = self;
        let group = &mut groups[g];
        if doc_counts.len() < group.index.len() {
            doc_counts.resize(group.index.len(), 0);
        }
        // Count, then collect each item once with its count (in order of
        // first occurrence), resetting the counts: the first loop has no
        // branch on what it loads, so its cache misses overlap.
        for &id in ids.iter() {
            doc_counts[id as usize] += 1;
        }
        for &id in ids.iter() {
            let c = std::mem::take(&mut doc_counts[id as usize]);
            if c > 0 {
                touched.push((id, c));
            }
        }
        let size = ids.len() as u64;
        group.sizes.add_doc(size);
        if size == 0 {
            return;
        }
        if let Some(spill) = spill {
            spill.record(g as u32, size, touched.iter().copied());
        }
        // Load the items' totals before updating them: independent loads
        // that the processor overlaps (see `Interner::intern_all`).
        let mut t = 0u64;
        for &(id, _) in touched.iter() {
            t ^= group.totals.freq(id);
        }
        std::hint::black_box(t);
        for (id, c) in touched.drain(..) {
            group.totals.add_doc(id, c as u64, size);
        }
    }

    /// Merges `other`'s groups into this one's by name and its items by
    /// their bytes; its spill files are kept with the maps from its ids
    /// to this counter's (its chunk memos and buffers are dropped).
    fn merge(&mut self, other: FreqCounter) {
        if self.failed.is_none() {
            self.failed = other.failed;
        }
        let mut maps: Vec<(u32, Vec<u32>)> =
            Vec::with_capacity(other.groups.len());
        for (l, counts) in other.groups.into_iter().enumerate() {
            let known = self.groups.len();
            let g = self.group(other.names.term(l as u32));
            if g == known {
                // The group's first counts are taken whole, ids unchanged.
                let n = counts.index.len() as u32;
                self.groups[g] = counts;
                maps.push((g as u32, (0..n).collect()));
            } else {
                maps.push((g as u32, self.groups[g].merge(counts)));
            }
        }
        for (spill, theirs) in other.merged {
            let through = theirs
                .into_iter()
                .map(|(g, ids)| {
                    let (mine, map) = &maps[g as usize];
                    (*mine, ids.into_iter().map(|i| map[i as usize]).collect())
                })
                .collect();
            self.merged.push((spill, through));
        }
        if other.spill.is_some() {
            self.merged.push((other.spill, maps));
        }
    }

    fn tokens(&self) -> Option<u64> {
        Some(self.groups.iter().map(|g| g.sizes.tokens).sum())
    }

    fn finish(self, _: &Scanned) -> Result<Vec<GroupFreq>> {
        let with_dp = self.dp;
        let (names, mut groups, parts) = self.into_parts()?;
        if with_dp {
            add_dp(&mut groups, parts).map_err(spill_err)?;
        }
        Ok(lists(&names, groups, with_dp))
    }
}
