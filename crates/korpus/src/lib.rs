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

// One line on each module (plain comments: each module's own docs open
// with the same in full).
// The engines: each is a counter over one read of the corpus (`scan`).

// Collocates of a node in a window, under the window and node conventions.
pub mod colloc;
// Colloc's ranked table: thresholds, sort keys, measure columns.
pub mod colloc_table;
// Dispersion measures and the dispersion of a query's hits.
pub mod dispersion;
// Frequency lists with range, Juilland's D and Gries' DP.
pub mod freq;
// Keywords of a target against a reference, lockwords, each group against the rest.
pub mod keyness;
// Keyword in context: concordance lines cut from the original text.
pub mod kwic;
// Clusters around a node (plain n-grams are `freq` with `ngram = n`).
pub mod ngrams;
// A corpus overview (`korpus report`): every section's counters in one read.
pub mod overview;
// NLTK-compatible pair counts and scores (`colloc --all`, `--convention nltk`).
pub mod nltk;
// The one scan driver: a `Counter` (add a document, merge, finish) run
// over a corpus by `scan::run`, several counters in one read.
pub mod scan;
// The sketch difference of two nodes' collocates.
pub mod sketch;
// Indonesian lemmas: a dictionary stemmer corrected by a learned table,
// the affixes behind a lemma, scoring against UD gold.
pub mod lemma;
// Corpus statistics: TTR, MSTTR, MATTR, hapax, Yule's K.
pub mod stats;
// Variant alternation per group: shares, Wilson intervals, tests.
pub mod variants;

// The statistics, as pure functions.

// Lexical diversity measures.
pub mod lexdiv;
// Association and keyness measures on a 2×2 contingency table.
pub mod measures;

// Reading and analysing text.

// Cleaning scraped corpora: duplicate documents, boilerplate lines.
pub mod clean;
// Tokenizer, normalizer, variant map and class filter in one pass.
pub mod analyze;
// Reading corpora: walking paths, formats, decoding, batched documents.
pub mod corpus;
// Calendar dates in news metadata and paths (English, Indonesian).
pub mod dates;
// `--where` conditions, `--by` groups and the checks of a read.
pub mod meta;
// Normalization: entities, ignorable characters, NFC/NFKC, case, folds.
pub mod normalize;
// The query language: parser, matcher, a document ready for matching.
pub mod query;
// The Indonesian and English stopword lists and the stoplist filter.
pub mod stopwords;
// The tokenizer: spans and classes, hyphens, clitics, abbreviations.
pub mod tokenize;

// Tables out.

// Charts drawn with plotters from a table (feature `charts`).
#[cfg(feature = "charts")]
pub mod chart;
// The printed rows of a ranked list and the wide form of a grouped list.
pub mod pivot;
// The one table type and its formats: table, TSV, CSV, JSON, JSON Lines, HTML, Parquet.
pub mod report;
// The columns and cells of each command's table.
pub mod tables;

// Runs and their support.

// Corpus frequency tables kept on disk for `colloc --freq-cache`.
pub mod cache;
// Term ids of white-space-delimited chunks, remembered per thread.
pub mod chunks;
// Where counting runs: this process, or a cluster of processes (feature `distributed`).
pub mod dist;
// Errors that name the file, line or byte offset.
pub mod error;
// Scoring the tokenizer against CoNLL-U gold.
pub mod eval;
// The map and set types: the one place that names a hasher.
pub mod hash;
// The string interner of the counting engines.
pub mod intern;
// The words that name option values, and the error for an unknown one.
pub mod names;
// Per-thread accumulators and fixed-point sums.
pub mod parallel;
mod swar;
