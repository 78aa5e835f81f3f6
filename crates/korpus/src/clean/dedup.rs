//! Exact and near-duplicate documents (a stub of C1's module).
//!
//! This file holds the interface agreed with C1 (issue 25, `notes/i25`):
//! [`DedupOptions`], [`DedupCounter`] and [`Duplicate`]. Until C1's
//! MinHash implementation lands it finds exact duplicates only: two
//! documents whose words (maximal runs of alphanumeric characters,
//! lowercased) are the same sequence; the first in corpus order is kept.
//! C1's version replaces this file whole.

use crate::error::Result;
use crate::scan::{Counter, Doc, Scanned};

/// How duplicates are found.
#[derive(Debug, Clone, PartialEq)]
pub struct DedupOptions {
    /// Words per shingle.
    pub shingle: usize,
    /// The estimated Jaccard similarity from which two documents are
    /// near-duplicates.
    pub threshold: f64,
    /// The seed of the hash permutations.
    pub seed: u64,
}

impl Default for DedupOptions {
    /// 5-word shingles and a threshold of 0.8 (text-dedup's and
    /// datatrove's MinHash defaults: 5-grams, 0.8; onion uses 7-grams
    /// and 0.5 of duplicated n-grams), seed 1.
    fn default() -> Self {
        DedupOptions { shingle: 5, threshold: 0.8, seed: 1 }
    }
}

/// How a duplicate was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DupKind {
    /// The same words after normalization.
    Exact,
    /// An estimated Jaccard similarity at or above the threshold.
    Near,
}

/// A document found to duplicate an earlier one.
#[derive(Debug, Clone, PartialEq)]
pub struct Duplicate {
    /// Its place in corpus order.
    pub ordinal: u64,
    /// Its id.
    pub id: String,
    /// The place of the document it duplicates (kept).
    pub of_ordinal: u64,
    /// The id of the document it duplicates.
    pub of_id: String,
    /// Exact or near.
    pub kind: DupKind,
    /// The estimated Jaccard similarity of their shingles (1 for exact).
    pub similarity: f64,
}

/// Finds duplicate documents: a [`Counter`] whose output lists every
/// document that duplicates an earlier one, sorted by ordinal.
pub struct DedupCounter {
    /// (ordinal, hash of the words, id), in the order added.
    seen: Vec<(u64, u64, String)>,
}

impl DedupCounter {
    /// A counter with `opts`.
    pub fn new(_opts: &DedupOptions) -> Self {
        DedupCounter { seen: Vec::new() }
    }
}

/// The hash of `text`'s words, lowercased, in order.
fn words_hash(text: &str) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = crate::hash::BuildHasher::default().build_hasher();
    let mut in_word = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            for l in c.to_lowercase() {
                h.write_u32(l as u32);
            }
            in_word = true;
        } else if in_word {
            h.write_u8(0);
            in_word = false;
        }
    }
    h.finish()
}

impl Counter for DedupCounter {
    type Output = Vec<Duplicate>;

    fn add(&mut self, doc: &Doc<'_>) {
        let hash = words_hash(&doc.document.text);
        self.seen.push((doc.ordinal, hash, doc.document.id.clone()));
    }

    fn merge(&mut self, other: Self) {
        self.seen.extend(other.seen);
    }

    fn finish(mut self, _: &Scanned) -> Result<Vec<Duplicate>> {
        self.seen.sort_unstable_by_key(|s| s.0);
        let mut first = crate::hash::new_map::<u64, usize>();
        let mut out = Vec::new();
        for (i, (ordinal, hash, _)) in self.seen.iter().enumerate() {
            match first.get(hash) {
                Some(&j) => {
                    let (of_ordinal, _, of_id) = &self.seen[j];
                    out.push(Duplicate {
                        ordinal: *ordinal,
                        id: self.seen[i].2.clone(),
                        of_ordinal: *of_ordinal,
                        of_id: of_id.clone(),
                        kind: DupKind::Exact,
                        similarity: 1.0,
                    });
                }
                None => {
                    first.insert(*hash, i);
                }
            }
        }
        Ok(out)
    }
}
