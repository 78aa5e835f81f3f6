//! The affixes between an Indonesian word and its lemma.
//!
//! The lemma is found in the word as written, or without its first
//! letter where a nasal prefix replaced it (menulis = meN- + tulis,
//! memukul = meN- + pukul); what stands before it is read as prefixes
//! from the left, what follows as suffixes from the right (particle,
//! then possessive, then derivational suffix, the order in which
//! Nazief-Adriani strips them). Prefixes are named by their
//! morphophonemic class (`meN-` covers me-, mem-, men-, meng-, meny-,
//! menge-). A word whose lemma is not found in it, or whose remainder
//! is not made of known affixes, gets no affixes.

/// Prefix spellings, longest first, and their names.
const PREFIXES: &[(&str, &str)] = &[
    ("menge", "meN-"),
    ("penge", "peN-"),
    ("meng", "meN-"),
    ("meny", "meN-"),
    ("peng", "peN-"),
    ("peny", "peN-"),
    ("mem", "meN-"),
    ("men", "meN-"),
    ("pem", "peN-"),
    ("pen", "peN-"),
    ("ber", "ber-"),
    ("bel", "ber-"),
    ("ter", "ter-"),
    ("per", "per-"),
    ("pel", "per-"),
    ("kau", "kau-"),
    ("me", "meN-"),
    ("pe", "peN-"),
    ("be", "ber-"),
    ("te", "ter-"),
    ("di", "di-"),
    ("ke", "ke-"),
    ("se", "se-"),
    ("ku", "ku-"),
];

/// Suffix layers from the end of a word inwards.
const SUFFIX_LAYERS: &[&[(&str, &str)]] = &[
    &[("lah", "-lah"), ("kah", "-kah"), ("pun", "-pun"), ("tah", "-tah")],
    &[("nya", "-nya"), ("ku", "-ku"), ("mu", "-mu")],
    &[("kan", "-kan"), ("an", "-an"), ("i", "-i")],
];

/// Writes the affixes of `word` around `lemma` into `out`, comma-separated
/// in the order they are written (`meN-,-kan,-nya`); empty when the word
/// is its lemma or the affixes cannot be read.
pub fn affixes(word: &str, lemma: &str, out: &mut String) {
    out.clear();
    if word == lemma || lemma.is_empty() || !word.is_ascii() {
        return;
    }
    // Reduplication: the affixes are those of the last part.
    let word = match word.rsplit_once('-') {
        Some((_, last)) => last,
        None => word,
    };
    let Some((pre, post)) = locate(word, lemma) else { return };
    let mut names: Vec<&str> = Vec::new();
    if !prefixes(pre, &mut names) {
        return;
    }
    let n = names.len();
    if !suffixes(post, &mut names) {
        return;
    }
    names[n..].reverse();
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(name);
    }
}

/// The text before and after the lemma in `word`.
fn locate<'a>(word: &'a str, lemma: &str) -> Option<(&'a str, &'a str)> {
    if let Some(at) = word.find(lemma) {
        return Some((&word[..at], &word[at + lemma.len()..]));
    }
    // A nasal prefix replaced the lemma's first consonant (k, p, s, t).
    let rest = lemma.strip_prefix(['k', 'p', 's', 't'])?;
    if rest.len() < 2 {
        return None;
    }
    let at = word.find(rest)?;
    let pre = &word[..at];
    (pre.ends_with("ng")
        || pre.ends_with('m')
        || pre.ends_with("ny")
        || pre.ends_with('n'))
    .then(|| (pre, &word[at + rest.len()..]))
}

/// Reads `pre` as prefixes; false if some of it is not one.
fn prefixes(mut pre: &str, names: &mut Vec<&str>) -> bool {
    'outer: while !pre.is_empty() {
        for (spelling, name) in PREFIXES {
            if let Some(rest) = pre.strip_prefix(spelling) {
                names.push(name);
                pre = rest;
                continue 'outer;
            }
        }
        return false;
    }
    true
}

/// Reads `post` as suffixes, pushing them from the outermost in; false
/// if some of it is not one.
fn suffixes(mut post: &str, names: &mut Vec<&str>) -> bool {
    for layer in SUFFIX_LAYERS {
        for (spelling, name) in *layer {
            if let Some(rest) = post.strip_suffix(spelling) {
                names.push(name);
                post = rest;
                break;
            }
        }
    }
    post.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (word, lemma, affixes).
    const AFFIXES: &[(&str, &str, &str)] = &[
        ("mendukung", "dukung", "meN-"),
        ("mendukungnya", "dukung", "meN-,-nya"),
        ("didukung", "dukung", "di-"),
        ("dukungan", "dukung", "-an"),
        ("pendukung", "dukung", "peN-"),
        ("menulis", "tulis", "meN-"),
        ("memukulkannya", "pukul", "meN-,-kan,-nya"),
        ("diperdebatkanlah", "debat", "di-,per-,-kan,-lah"),
        ("keberhasilan", "hasil", "ke-,ber-,-an"),
        ("anak-anaknya", "anak", "-nya"),
        ("dukung", "dukung", ""),
        ("xyzdukung", "dukung", ""),
        ("tiongkok", "china", ""),
    ];

    #[test]
    fn affix_table() {
        let mut out = String::new();
        for (word, lemma, want) in AFFIXES {
            affixes(word, lemma, &mut out);
            assert_eq!(out, *want, "affixes of {word:?} around {lemma:?}");
        }
    }
}
