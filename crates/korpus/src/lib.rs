//! korpus: corpus-linguistics statistics for large text collections.
//!
//! The pipeline (see `ARCHITECTURE.md`):
//!
//! ```text
//! Corpus::scan ──batches of Documents──▶ rayon, one task per document
//!   Analyzer::analyze(text) ─(Token { span, class }, term)─▶ per-thread
//!   accumulators (Interner + counts) ──merged once──▶ measures (pure
//!   functions) ──▶ rows in a total order ──▶ report::RowWriter
//! ```
//!
//! A token is a byte span of the original text plus a class; its term is
//! the normalized form that is counted. Spans never change, so a
//! concordance can always print the original text.
//!
//! ```
//! use korpus::analyze::{Analyzer, Scratch};
//!
//! let text = "Presiden Tiongkok tiba di Pyongyang; hubungan DPRK-Tiongkok erat.";
//! let mut scratch = Scratch::default();
//! let mut terms = Vec::new();
//! Analyzer::default().analyze(text, &mut scratch, |tok, term| {
//!     terms.push((term.to_string(), &text[tok.start..tok.end]));
//! });
//! let tiongkok: Vec<_> = terms.iter().filter(|(t, _)| t == "tiongkok").collect();
//! assert_eq!(tiongkok.len(), 2); // one inside the compound DPRK-Tiongkok
//! assert_eq!(tiongkok[0].1, "Tiongkok"); // the surface, as written
//! ```

pub mod analyze;
pub mod cache;
#[cfg(feature = "charts")]
pub mod chart;
pub mod chunks;
pub mod colloc;
pub mod colloc_table;
/// Reading corpora: walking paths, formats, decoding, batched documents.
pub mod corpus;
pub mod dispersion;
pub mod dist;
pub mod error;
pub mod eval;
pub mod freq;
pub mod hash;
pub mod intern;
pub mod keyness;
pub mod kwic;
pub mod lexdiv;
pub mod measures;
pub mod meta;
pub mod names;
pub mod ngrams;
pub mod nltk;
pub mod normalize;
pub mod parallel;
pub mod pivot;
pub mod query;
pub mod report;
pub mod scan;
pub mod sketch;
pub mod stats;
pub mod stopwords;
mod swar;
pub mod tables;
pub mod tokenize;
pub mod variants;
