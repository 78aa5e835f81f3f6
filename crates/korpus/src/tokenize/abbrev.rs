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

/// [`ABBREVIATIONS`], each as one zero-padded little-endian word.
const PACKED: [u64; ABBREVIATIONS.len()] = {
    let mut out = [0u64; ABBREVIATIONS.len()];
    let mut i = 0;
    while i < out.len() {
        let b = ABBREVIATIONS[i].as_bytes();
        assert!(b.len() <= 8, "abbreviations are compared as one word");
        let mut k = 0;
        while k < b.len() {
            out[i] |= (b[k] as u64) << (8 * k);
            k += 1;
        }
        i += 1;
    }
    out
};

/// Whether `word`, followed by a period, keeps it.
/// `name_follows` tells whether a space and a capitalized word follow.
pub fn takes_period(word: &str, name_follows: impl FnOnce() -> bool) -> bool {
    if word.len() <= 8 && word.is_ascii() {
        // The word lowercased and zero-padded in one machine word (no
        // abbreviation holds a zero byte, so equal words mean equal
        // lengths too).
        let w = crate::swar::load(word.as_bytes());
        let lower = w | crate::swar::bytes_in(w, b'A', b'Z') >> 2;
        if PACKED.contains(&lower) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_abbreviation_in_any_case_and_nothing_near_them() {
        for a in ABBREVIATIONS {
            let title: String = a
                .char_indices()
                .map(|(i, c)| if i == 0 { c.to_ascii_uppercase() } else { c })
                .collect();
            for w in [a.to_string(), a.to_uppercase(), title] {
                assert!(takes_period(&w, || false), "{w}");
            }
            // One letter more or less is not the abbreviation (unless
            // that is an abbreviation too, or a single letter).
            for w in [format!("{a}x"), a[..a.len() - 1].to_string()] {
                let listed = ABBREVIATIONS.contains(&w.as_str());
                if !listed && w.len() > 1 && !w.contains('.') {
                    assert!(!takes_period(&w, || false), "{w}");
                }
            }
        }
        for w in ["yang", "Tiongkok", "presiden", "DPRK", "a\u{e9}"] {
            assert!(!takes_period(w, || false), "{w}");
        }
        assert!(takes_period("J", || true) && !takes_period("J", || false));
    }
}
