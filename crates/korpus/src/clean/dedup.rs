//! Exact and near-duplicate documents, found in one read and decided in
//! corpus order.
//!
//! **Exact duplicates** are documents whose analyzer gives the same
//! sequence of terms (tokenized, NFC, case-folded, entities decoded,
//! punctuation left out, the variant map applied: whatever the job's
//! analyzer does), so two exact duplicates give every count korpus makes
//! the same way. The key is two seeded 64-bit hashes of the term hashes
//! and the number of terms.
//!
//! **Near-duplicates** are found by MinHash over word shingles (runs of
//! `shingle` terms) with LSH banding: a document's signature of
//! `bands × rows` minima is cut into bands; two documents that agree on
//! a whole band are a candidate pair, and a candidate is a duplicate
//! when the estimated Jaccard similarity of the two signatures reaches
//! `threshold` (see [`super::minhash`]).
//!
//! [`DedupCounter`] keeps a fixed-size signature per document (never its
//! text) and decides in [`DedupCounter::finish`], in corpus order
//! ([`crate::scan::Doc::ordinal`]): the first document of a cluster is
//! kept, and every later one names the earliest kept document it
//! matches (a document that matches only removed ones is kept), so a
//! chain of small edits cannot walk a cluster away from its first
//! document. The signatures keep each minimum's lowest 16 bits (b-bit
//! minwise hashing) and the estimate is corrected for it. The
//! decisions depend only on the documents and their order, so the
//! list is the same for any number of threads.
//!
//! Memory: 2 bytes a minimum (512 bytes a document by default), the
//! id and a 64-byte entry a document; at the end, the candidate pairs
//! (8 bytes each, found band by band by sorting).

use std::str::FromStr;

pub use super::minhash::Scheme;
use super::minhash::{
    ExactKey, Shingles, Sketcher, b_bit_jaccard, jaccard_estimate, mix64,
};
use crate::analyze::Scratch;
use crate::error::{Error, Result};
use crate::hash::{Map, new_map};
use crate::scan::{Counter, Doc, Scanned};

/// How duplicates are found.
#[derive(Debug, Clone, PartialEq)]
pub struct DedupOptions {
    /// Words per shingle (1 to 64).
    pub shingle: usize,
    /// The least estimated Jaccard similarity of a near-duplicate, in
    /// `(0, 1]`.
    pub threshold: f64,
    /// LSH bands; the signature has `bands × rows` minima.
    pub bands: usize,
    /// Rows (minima) per band.
    pub rows: usize,
    /// The seed of every hash function (same seed, same result).
    pub seed: u64,
    /// How the minima are made.
    pub scheme: Scheme,
}

impl Default for DedupOptions {
    /// 5-word shingles (datatrove's `MinhashConfig` and text-dedup's
    /// default; onion uses 7), 256 minima (text-dedup's `num_perm`;
    /// datatrove has 112), seed 1 (datatrove's), and a duplicate from an
    /// estimated Jaccard similarity of 0.5: onion's default (a part is
    /// a duplicate when half its 7-grams were seen before), the lowest
    /// of the three (text-dedup 0.7; datatrove's 14 × 8 bands are
    /// steepest at 0.72). The bands, 64 of 4 rows, are
    /// [`super::minhash::bands_for`]`(0.5, 256, 0.98)`. One permutation
    /// hashing. The threshold and the minima are what the generated
    /// benchmark of syndicated copies asked for; the scheme is the
    /// faster at the same accuracy (BENCHMARKS.md, "Duplicates").
    fn default() -> Self {
        DedupOptions {
            shingle: 5,
            threshold: 0.5,
            bands: 64,
            rows: 4,
            seed: 1,
            scheme: Scheme::OnePermutation,
        }
    }
}

impl DedupOptions {
    /// The number of minima in a signature.
    pub fn perms(&self) -> usize {
        self.bands * self.rows
    }

    /// Checks the ranges; the error names the option.
    pub fn check(&self) -> Result<()> {
        let bad = |what: &str| Err(Error::Usage(format!("dedup: {what}")));
        if !(1..=super::minhash::MAX_SHINGLE).contains(&self.shingle) {
            return bad("shingle must be 1 to 64 words");
        }
        if !(self.threshold > 0.0 && self.threshold <= 1.0) {
            return bad("threshold must be above 0 and at most 1");
        }
        if self.bands == 0 || self.rows == 0 || self.perms() > 4096 {
            return bad(
                "bands and rows must be at least 1, bands × rows at most 4096",
            );
        }
        Ok(())
    }
}

impl FromStr for DedupOptions {
    type Err = Error;

    /// `key=value` pairs separated by commas, each changing the default:
    /// `shingle=5,threshold=0.8,bands=14,rows=8,seed=1,scheme=oph`
    /// (`scheme` is `oph` or `independent`). A threshold without bands
    /// or rows also picks them, by [`super::minhash::bands_for`] with
    /// recall 0.98 on the default's 256 minima. The empty string is the
    /// default.
    fn from_str(s: &str) -> Result<Self> {
        let mut o = DedupOptions::default();
        let mut banded = false;
        let mut thresholded = false;
        for pair in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let usage = || {
                Error::Usage(format!(
                    "dedup: '{pair}' is not one of shingle=N, threshold=X, bands=N, rows=N, seed=N, scheme=oph|independent"
                ))
            };
            let (key, value) = pair.split_once('=').ok_or_else(usage)?;
            let value = value.trim();
            match key.trim() {
                "shingle" => o.shingle = value.parse().map_err(|_| usage())?,
                "threshold" => {
                    o.threshold = value.parse().map_err(|_| usage())?;
                    thresholded = true;
                }
                "bands" => {
                    o.bands = value.parse().map_err(|_| usage())?;
                    banded = true;
                }
                "rows" => {
                    o.rows = value.parse().map_err(|_| usage())?;
                    banded = true;
                }
                "seed" => o.seed = value.parse().map_err(|_| usage())?,
                "scheme" => {
                    o.scheme = match value {
                        "oph" => Scheme::OnePermutation,
                        "independent" => Scheme::Independent,
                        _ => return Err(usage()),
                    }
                }
                _ => return Err(usage()),
            }
        }
        o.check()?;
        if thresholded && !banded {
            (o.bands, o.rows) =
                super::minhash::bands_for(o.threshold, o.perms(), 0.98);
        }
        Ok(o)
    }
}

/// Whether a duplicate has the same terms or only similar shingles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DupKind {
    /// The same sequence of terms.
    Exact,
    /// Estimated Jaccard similarity of the shingles at least the
    /// threshold.
    Near,
}

/// A document found to duplicate an earlier kept one.
#[derive(Debug, Clone, PartialEq)]
pub struct Duplicate {
    /// Its place in corpus order ([`crate::scan::Doc::ordinal`]).
    pub ordinal: u64,
    /// Its id.
    pub id: String,
    /// The kept document it duplicates.
    pub of_ordinal: u64,
    /// That document's id.
    pub of_id: String,
    /// Exact or near.
    pub kind: DupKind,
    /// The estimated Jaccard similarity (1 for an exact duplicate).
    pub similarity: f64,
}

/// What is kept of one document.
struct Entry {
    ordinal: u64,
    id: String,
    exact: ExactKey,
    /// Whether it has a shingle (an empty document has none and is
    /// only compared exactly).
    shingled: bool,
}

/// The documents one thread added: their entries and signatures
/// (`perms` slots per entry, in entry order, each minimum's lowest 16
/// bits: b-bit minwise hashing, half the memory of the 32-bit minima
/// for an agreement by chance of 2^−16).
#[derive(Default)]
struct Part {
    entries: Vec<Entry>,
    sigs: Vec<u16>,
}

/// Finds exact and near-duplicate documents (a [`Counter`]).
pub struct DedupCounter {
    opts: DedupOptions,
    sketcher: Sketcher,
    /// This thread's documents, then the merged threads' (kept apart,
    /// so merging copies no signature).
    parts: Vec<Part>,
    /// The signature being made (the full minima).
    work: Vec<u32>,
    scratch: Scratch,
    filled: Vec<bool>,
}

impl DedupCounter {
    /// A counter with `opts` (checked again by `finish`).
    pub fn new(opts: &DedupOptions) -> Self {
        DedupCounter {
            opts: opts.clone(),
            sketcher: Sketcher::new(
                opts.shingle,
                opts.perms(),
                opts.scheme,
                opts.seed,
            ),
            parts: vec![Part::default()],
            work: vec![0; opts.perms().max(1)],
            scratch: Scratch::default(),
            filled: Vec::new(),
        }
    }
}

impl Counter for DedupCounter {
    type Output = Vec<Duplicate>;

    /// Hashes the document's terms into its exact key and signature.
    fn add(&mut self, doc: &Doc<'_>) {
        let sig = &mut self.work;
        let mut sh = Shingles::new(&self.sketcher, sig);
        let text = &doc.document.text;
        doc.analyzer.analyze(text, &mut self.scratch, |_, term| {
            sh.push(term, sig);
        });
        let (exact, shingles) = sh.finish(sig, &mut self.filled);
        let part = &mut self.parts[0];
        part.sigs.extend(sig.iter().map(|&v| v as u16));
        part.entries.push(Entry {
            ordinal: doc.ordinal,
            id: doc.document.id.clone(),
            exact,
            shingled: shingles > 0,
        });
    }

    /// Takes the other's parts, their spare capacity given back (the
    /// order is restored by `finish`).
    fn merge(&mut self, other: Self) {
        for mut part in other.parts {
            part.entries.shrink_to_fit();
            part.sigs.shrink_to_fit();
            self.parts.push(part);
        }
    }

    /// Decides in corpus order; the duplicates sorted by ordinal.
    fn finish(self, _: &Scanned) -> Result<Vec<Duplicate>> {
        self.opts.check()?;
        let k = self.opts.perms();
        let mut docs: Vec<(&Entry, &[u16])> = self
            .parts
            .iter()
            .flat_map(|p| p.entries.iter().zip(p.sigs.chunks_exact(k)))
            .collect();
        docs.sort_unstable_by_key(|(e, _)| e.ordinal);
        Ok(decide(&self.opts, &docs))
    }
}

/// The most earlier documents of one band bucket each document is
/// paired with: the first ones in corpus order (every earlier one in a
/// bucket of at most this many + 1). It bounds the candidate pairs of a
/// large cluster to 16 per document and band instead of the square of
/// its size; a kept document past the first 16 of a bucket is still a
/// candidate through the other bands it shares.
const BUCKET_PAIRS: usize = 16;

/// The 32-bit key of each band of `sig` (a chance collision only adds
/// a candidate, which is verified).
fn band_keys<'s>(
    opts: &'s DedupOptions,
    sig: &'s [u16],
) -> impl Iterator<Item = u32> + 's {
    sig.chunks_exact(opts.rows).enumerate().map(|(band, rows)| {
        let mut h =
            opts.seed ^ (band as u64).wrapping_mul(0xA076_1D64_78BD_642F);
        for &v in rows {
            h = mix64(h ^ u64::from(v));
        }
        (h >> 32) as u32
    })
}

/// The candidate pairs of `banded` (ranks in corpus order, ascending),
/// as `later << 32 | earlier`, sorted and without repeats: per band (in
/// parallel), the documents sorted by (key, rank), each paired with the
/// first [`BUCKET_PAIRS`] earlier ones of its bucket.
fn candidate_pairs(
    opts: &DedupOptions,
    docs: &[(&Entry, &[u16])],
    banded: &[u32],
) -> Vec<u64> {
    use rayon::prelude::*;
    let per_band: Vec<Vec<u64>> = (0..opts.bands)
        .into_par_iter()
        .map(|band| {
            let mut keyed: Vec<u64> = banded
                .iter()
                .map(|&r| {
                    let sig = docs[r as usize].1;
                    let key = band_keys(opts, sig).nth(band).unwrap_or(0);
                    (u64::from(key) << 32) | u64::from(r)
                })
                .collect();
            keyed.sort_unstable();
            let mut pairs = Vec::new();
            for bucket in keyed.chunk_by(|a, b| a >> 32 == b >> 32) {
                for (i, later) in bucket.iter().enumerate().skip(1) {
                    for earlier in &bucket[..i.min(BUCKET_PAIRS)] {
                        pairs.push((later << 32) | (earlier & 0xFFFF_FFFF));
                    }
                }
            }
            pairs
        })
        .collect();
    let mut pairs: Vec<u64> = per_band.into_iter().flatten().collect();
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

/// The duplicates among `docs`, which are in corpus order.
fn decide(opts: &DedupOptions, docs: &[(&Entry, &[u16])]) -> Vec<Duplicate> {
    let similarity = |i: usize, j: usize| {
        b_bit_jaccard(jaccard_estimate(docs[i].1, docs[j].1), 16)
    };
    // The first document of each term sequence; only those are banded.
    let mut exact: Map<ExactKey, usize> = new_map();
    let mut first_of = Vec::with_capacity(docs.len());
    let mut banded = Vec::new();
    for (i, (e, _)) in docs.iter().enumerate() {
        let first = *exact.entry(e.exact).or_insert(i);
        first_of.push(first);
        if first == i && e.shingled {
            banded.push(i as u32);
        }
    }
    drop(exact);
    let pairs = candidate_pairs(opts, docs, &banded);
    // The kept document each one duplicates (itself if kept).
    let mut kept_as = vec![usize::MAX; docs.len()];
    let mut found = Vec::new();
    let mut next = 0;
    for (i, &(e, _)) in docs.iter().enumerate() {
        let start = next;
        while next < pairs.len() && (pairs[next] >> 32) as usize == i {
            next += 1;
        }
        let first = first_of[i];
        let verdict = if first != i {
            let of = kept_as[first];
            let kind =
                if of == first { DupKind::Exact } else { DupKind::Near };
            let s = if of == first { 1.0 } else { similarity(i, of) };
            Some((of, kind, s))
        } else {
            pairs[start..next].iter().find_map(|&p| {
                let c = (p & 0xFFFF_FFFF) as usize;
                let s = similarity(i, c);
                (kept_as[c] == c && s >= opts.threshold).then_some((
                    c,
                    DupKind::Near,
                    s,
                ))
            })
        };
        kept_as[i] = verdict.map_or(i, |v| v.0);
        if let Some((of, kind, similarity)) = verdict {
            found.push(Duplicate {
                ordinal: e.ordinal,
                id: e.id.clone(),
                of_ordinal: docs[of].0.ordinal,
                of_id: docs[of].0.id.clone(),
                kind,
                similarity,
            });
        }
    }
    found
}

#[cfg(test)]
mod tests;
