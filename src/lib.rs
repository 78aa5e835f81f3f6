//! korpus: corpus-linguistics statistics for large text collections.
pub mod analyze;
pub mod corpus;
pub mod dispersion;
pub mod error;
pub mod eval;
pub mod freq;
pub mod hash;
pub mod intern;
pub mod lexdiv;
pub mod meta;
pub mod normalize;
pub mod parallel;
pub mod report;
pub mod stats;
pub mod stopwords;
pub mod tokenize;
