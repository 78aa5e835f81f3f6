//! Cleaning a corpus before counting: duplicate documents (and, in
//! C2's branch, boilerplate). This minimal file is the dedup branch's;
//! the merge takes the boilerplate branch's `clean/mod.rs`.

pub mod dedup;
pub mod minhash;
