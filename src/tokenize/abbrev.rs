//! Abbreviations that keep their final period.
//!
//! A word followed by `.` keeps the period (and so does not end a
//! sentence) when it is in [`ABBREVIATIONS`] (case-insensitive), when it
//! already holds periods between single letters or pairs (`U.S`, `a.n`,
//! `S.H`), or when it is one uppercase letter followed by a space and a
//! capitalized word (an initial: `J. Smith`).

/// Indonesian and English abbreviations common in news text.
pub const ABBREVIATIONS: &[&str] = &[
    // Indonesian
    "dll", "dsb", "dst", "dkk", "yth", "hlm", "tgl", "jl", "jln", "bpk", "sdr",
    "sdri", "ir", "drs", "dra", "prof", "dr", "hj", "kh", "sh", "pt", "cv",
    "tbk", "kab", "kec", "kel", "prov", "ttd", "pol", "jend", "brigjen",
    "mayjen", "letjen", "kol", "kapt", "rp", "thn", "agu", "ags", "sept",
    "okt", "vol", // English
    "mr", "mrs", "ms", "messrs", "jr", "sr", "inc", "ltd", "co", "corp", "vs",
    "etc", "e.g", "i.e", "approx", "dept", "est", "fig", "gen", "gov", "sen",
    "rep", "rev", "sgt", "capt", "col", "st", "ave", "blvd", "mt", "oct",
    "aug", "dec", "pte", "pop", "v", "ont",
];

/// Whether `word`, followed by a period, keeps it.
/// `name_follows` tells whether a space and a capitalized word follow.
pub fn takes_period(word: &str, name_follows: impl FnOnce() -> bool) -> bool {
    if word.len() <= 8 && word.is_ascii() {
        let mut buf = [0u8; 8];
        buf[..word.len()].copy_from_slice(word.as_bytes());
        buf.make_ascii_lowercase();
        let lower = &buf[..word.len()];
        if ABBREVIATIONS.iter().any(|a| a.as_bytes() == lower) {
            return true;
        }
    }
    if word.contains('.')
        && word.split('.').all(|p| {
            (1..=2).contains(&p.chars().count())
                && p.chars().all(char::is_alphabetic)
        })
    {
        return true;
    }
    let mut chars = word.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if c.is_uppercase())
        && name_follows()
}
