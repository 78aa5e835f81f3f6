//! korpus: corpus-linguistics statistics for large text collections.
pub mod error;
pub mod hash;
pub mod normalize;
pub mod tokenize;
pub mod analyze;
pub mod corpus;
pub mod stopwords;
pub mod dispersion;
pub mod freq;
pub mod meta;
pub mod parallel;
pub mod lexdiv;
pub mod stats;
pub mod report;
pub mod eval;
pub mod intern;
