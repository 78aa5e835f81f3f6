//! korpus: corpus-linguistics statistics for large text collections.
pub mod error;
pub mod hash;
pub mod normalize;
pub mod tokenize;
