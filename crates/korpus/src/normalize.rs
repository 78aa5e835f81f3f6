//! Unicode normalization of token surfaces into counted terms.
//!
//! A token's *surface* is the exact text under its span; its *term* is
//! what korpus counts. Normalization changes the term, never the span, so
//! a concordance can always show the original text.
//!
//! The steps, in order:
//!
//! 1. **Lossless** (on by default): HTML entities decoded (`&amp;`,
//!    `&quot;`, `&#8217;`, `&#x2019;`); zero-width characters, soft hyphens,
//!    word joiners and BOMs removed; Unicode NFC (or NFKC, or none);
//!    case folding with [`str::to_lowercase`] semantics, so a Greek final
//!    sigma is handled (`ΟΔΟΣ` becomes `οδος`).
//! 2. **Lossy** (off by default, each one a separate switch): typographic
//!    quotes to ASCII (`’` to `'`, `“` to `"`), dashes to `-`, diacritics
//!    stripped (`café` to `cafe`, by NFD and removal of combining marks).
//!
//! Unicode notes: case folding is language-neutral; Turkish dotted and
//! dotless i (`İ`, `ı`) are folded by the Unicode default rules, not the
//! Turkish ones. Lowercasing can change a term's length (`İ` becomes
//! `i̇`), which is harmless because spans are never derived from terms.

use unicode_normalization::{
    IsNormalized, UnicodeNormalization, is_nfc_quick, is_nfkc_quick,
};

use crate::swar;

/// The Unicode normalization form applied to terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Form {
    /// Canonical composition (the default): lossless.
    #[default]
    Nfc,
    /// Compatibility composition: folds ligatures, full-width forms,
    /// superscripts. Changes some terms' meaning (`²` becomes `2`).
    Nfkc,
    /// No normalization.
    None,
}

/// How case is treated in terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Case {
    /// Lowercase with Unicode default rules (the default).
    #[default]
    Fold,
    /// Keep the case of the text.
    Keep,
}

/// Options of the normalizer. `Default` gives korpus's defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NormalizeOptions {
    /// Unicode normalization form.
    pub form: Form,
    /// Case folding.
    pub case: Case,
    /// Decode HTML entities (also used by the tokenizer, so `don&#8217;t`
    /// is one word).
    pub decode_entities: bool,
    /// Lossy: fold typographic quotes and apostrophes to ASCII.
    pub fold_quotes: bool,
    /// Lossy: fold Unicode dashes and hyphens to `-`.
    pub fold_dashes: bool,
    /// Lossy: strip diacritics.
    pub strip_diacritics: bool,
}

impl Default for NormalizeOptions {
    fn default() -> Self {
        NormalizeOptions {
            form: Form::Nfc,
            case: Case::Fold,
            decode_entities: true,
            fold_quotes: false,
            fold_dashes: false,
            strip_diacritics: false,
        }
    }
}

/// Whether `c` is removed from terms and never starts a token: soft
/// hyphen, zero-width non-joiner and joiner, word joiner, BOM (zero-width
/// no-break space), left-to-right and right-to-left marks.
pub fn is_ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{200C}'
            | '\u{200D}'
            | '\u{2060}'
            | '\u{FEFF}'
            | '\u{200E}'
            | '\u{200F}'
    )
}

/// Whether `c` separates tokens: Unicode white space (which includes NBSP
/// and the other fixed-width spaces), the zero-width space, and control
/// characters.
pub fn is_separator(c: char) -> bool {
    c.is_whitespace() || c == '\u{200B}' || c.is_control()
}

/// The character at byte `i` of `text` and its length in bytes.
///
/// With `entities`, an HTML entity (`&amp;`, `&#8217;`, `&#x2019;`) counts
/// as one character: the one it stands for. An `&` that does not start a
/// known entity is itself.
#[inline]
pub fn unit_at(text: &str, i: usize, entities: bool) -> (char, usize) {
    let b = text.as_bytes()[i];
    if b < 0x80 {
        if b == b'&'
            && entities
            && let Some(hit) = entity_at(&text.as_bytes()[i..])
        {
            return hit;
        }
        return (b as char, 1);
    }
    let c = text[i..].chars().next().expect("i is on a char boundary");
    (c, c.len_utf8())
}

/// Decodes the HTML entity at the start of `s` (which begins with `&`).
fn entity_at(s: &[u8]) -> Option<(char, usize)> {
    let end = s.iter().take(12).position(|&b| b == b';')?;
    let body = std::str::from_utf8(&s[1..end]).ok()?;
    let c = if let Some(num) = body.strip_prefix('#') {
        let code = if let Some(hex) =
            num.strip_prefix('x').or_else(|| num.strip_prefix('X'))
        {
            u32::from_str_radix(hex, 16).ok()?
        } else {
            num.parse::<u32>().ok()?
        };
        char::from_u32(code).filter(|&c| c != '\0')?
    } else {
        named_entity(body)?
    };
    Some((c, end + 1))
}

/// The named HTML entities common in scraped news text.
fn named_entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{00A0}',
        "shy" => '\u{00AD}',
        "zwj" => '\u{200D}',
        "zwnj" => '\u{200C}',
        "ndash" => '–',
        "mdash" => '—',
        "lsquo" => '‘',
        "rsquo" => '’',
        "sbquo" => '‚',
        "ldquo" => '“',
        "rdquo" => '”',
        "bdquo" => '„',
        "laquo" => '«',
        "raquo" => '»',
        "hellip" => '…',
        "bull" => '•',
        "middot" => '·',
        "deg" => '°',
        "times" => '×',
        "divide" => '÷',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "euro" => '€',
        "pound" => '£',
        "yen" => '¥',
        "cent" => '¢',
        "sect" => '§',
        "para" => '¶',
        "eacute" => 'é',
        "Eacute" => 'É',
        "egrave" => 'è',
        "aacute" => 'á',
        "agrave" => 'à',
        "oacute" => 'ó',
        "uacute" => 'ú',
        "iacute" => 'í',
        "ntilde" => 'ñ',
        "ccedil" => 'ç',
        "auml" => 'ä',
        "ouml" => 'ö',
        "uuml" => 'ü',
        "szlig" => 'ß',
        _ => return None,
    })
}

/// Writes the term of `surface` into `out` (cleared first).
///
/// ASCII surfaces without `&` take a fast path (a lowercase copy); all
/// others go through every step of the module description.
#[inline]
pub fn normalize_into(
    surface: &str,
    opts: &NormalizeOptions,
    out: &mut String,
) {
    out.clear();
    // ASCII fast path: a copy, lowercased if it holds an uppercase
    // letter. Words of up to 16 bytes are tested as two machine words.
    let entities = opts.decode_entities;
    let bytes = surface.as_bytes();
    let (plain, upper) = if bytes.len() <= 16 {
        let (w0, w1) = if bytes.len() <= 8 {
            (swar::load(bytes), 0)
        } else {
            (swar::load(&bytes[..8]), swar::load(&bytes[8..]))
        };
        (
            !swar::has_non_ascii_or_amp(w0, entities)
                && !swar::has_non_ascii_or_amp(w1, entities),
            swar::has_upper(w0) || swar::has_upper(w1),
        )
    } else {
        (bytes.iter().all(|&b| b < 0x80 && !(b == b'&' && entities)), true)
    };
    if plain {
        out.push_str(surface);
        if upper && opts.case == Case::Fold {
            out.make_ascii_lowercase();
        }
        return;
    }
    normalize_general(surface, opts, out);
}

/// Every step of the module description, for what the ASCII fast path
/// of [`normalize_into`] does not take (kept out of line, so the fast
/// path is small enough to inline).
#[inline(never)]
fn normalize_general(
    surface: &str,
    opts: &NormalizeOptions,
    out: &mut String,
) {
    // Step 1: entities and ignorables.
    let mut buf = String::with_capacity(surface.len());
    let mut i = 0;
    while i < surface.len() {
        let (c, len) = unit_at(surface, i, opts.decode_entities);
        i += len;
        if !is_ignorable(c) {
            buf.push(c);
        }
    }
    // Step 2: Unicode normalization form.
    let composed = match opts.form {
        Form::Nfc if is_nfc_quick(buf.chars()) != IsNormalized::Yes => {
            buf.nfc().collect()
        }
        Form::Nfkc if is_nfkc_quick(buf.chars()) != IsNormalized::Yes => {
            buf.nfkc().collect()
        }
        _ => buf,
    };
    // Step 3: lossy folds, after composition (which can turn a
    // character into one that folds, as U+1FFD into U+00B4).
    let folded: String = if opts.fold_quotes || opts.fold_dashes {
        composed.chars().map(|c| fold_char(c, opts)).collect()
    } else {
        composed
    };
    let stripped = if opts.strip_diacritics && !folded.is_ascii() {
        folded
            .nfd()
            .filter(|&c| !is_combining_mark(c))
            .nfc()
            .map(|c| fold_char(c, opts))
            .collect::<String>()
    } else {
        folded
    };
    // Step 4: case.
    match opts.case {
        Case::Fold if stripped.is_ascii() => {
            out.push_str(&stripped);
            out.make_ascii_lowercase();
        }
        Case::Fold => out.push_str(&stripped.to_lowercase()),
        Case::Keep => out.push_str(&stripped),
    }
}

/// The lossy per-character folds selected in `opts`.
fn fold_char(c: char, opts: &NormalizeOptions) -> char {
    if opts.fold_quotes {
        match c {
            '‘' | '’' | '‚' | '‛' | '′' | 'ʼ' | '`' | '´' => {
                return '\'';
            }
            '“' | '”' | '„' | '‟' | '″' | '«' | '»' => return '"',
            _ => {}
        }
    }
    if opts.fold_dashes
        && matches!(
            c,
            '\u{2010}'
                ..='\u{2015}'
                    | '\u{2212}'
                    | '\u{FE58}'
                    | '\u{FE63}'
                    | '\u{FF0D}'
        )
    {
        return '-';
    }
    c
}

/// Whether `c` is a combining mark (the blocks that hold the general
/// categories Mn and Me for Latin, Greek and Cyrillic text, plus the
/// combining ranges used by Vietnamese and by symbols).
pub fn is_combining_mark(c: char) -> bool {
    matches!(
        c,
        '\u{0300}'..='\u{036F}'
            | '\u{0483}'..='\u{0489}'
            | '\u{1AB0}'..='\u{1AFF}'
            | '\u{1DC0}'..='\u{1DFF}'
            | '\u{20D0}'..='\u{20FF}'
            | '\u{FE20}'..='\u{FE2F}'
    )
}

/// Normalizes `surface` into a new string (a convenience for tests and
/// callers outside hot loops).
pub fn normalize(surface: &str, opts: &NormalizeOptions) -> String {
    let mut out = String::new();
    normalize_into(surface, opts, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lossy() -> NormalizeOptions {
        NormalizeOptions {
            fold_quotes: true,
            fold_dashes: true,
            strip_diacritics: true,
            ..NormalizeOptions::default()
        }
    }

    #[test]
    fn normalize_table() {
        let keep = NormalizeOptions { case: Case::Keep, ..Default::default() };
        let nfkc = NormalizeOptions { form: Form::Nfkc, ..Default::default() };
        let rows: &[(&str, &NormalizeOptions, &str)] = &[
            ("Tiongkok", &NormalizeOptions::default(), "tiongkok"),
            ("TIONGKOK", &keep, "TIONGKOK"),
            ("AT&amp;T", &NormalizeOptions::default(), "at&t"),
            ("don&#8217;t", &NormalizeOptions::default(), "don’t"),
            ("don&#x2019;t", &lossy(), "don't"),
            ("ke\u{00AD}cil", &NormalizeOptions::default(), "kecil"),
            ("\u{FEFF}berita", &NormalizeOptions::default(), "berita"),
            // NFC composes e + combining acute.
            ("cafe\u{0301}", &NormalizeOptions::default(), "café"),
            ("café", &lossy(), "cafe"),
            ("ﬁnal", &nfkc, "final"),
            ("ﬁnal", &NormalizeOptions::default(), "ﬁnal"),
            ("ΟΔΟΣ", &NormalizeOptions::default(), "οδος"),
            ("Korea–Tiongkok", &lossy(), "korea-tiongkok"),
            ("&bogus;", &NormalizeOptions::default(), "&bogus;"),
            ("a&#0;b", &NormalizeOptions::default(), "a&#0;b"),
        ];
        for (i, (input, opts, want)) in rows.iter().enumerate() {
            assert_eq!(normalize(input, opts), *want, "row {i}: {input:?}");
        }
    }

    #[test]
    fn normalize_is_idempotent_on_samples() {
        for s in ["Ärger", "ΟΔΟΣ", "İstanbul", "cafe\u{0301}", "ﬁ"] {
            let once = normalize(s, &NormalizeOptions::default());
            let twice = normalize(&once, &NormalizeOptions::default());
            assert_eq!(once, twice, "{s:?}");
        }
    }

    #[test]
    fn unit_at_decodes_entities_only_when_asked() {
        assert_eq!(unit_at("&amp;x", 0, true), ('&', 5));
        assert_eq!(unit_at("&amp;x", 0, false), ('&', 1));
        assert_eq!(unit_at("&#8217;", 0, true), ('’', 7));
        assert_eq!(unit_at("é", 0, true), ('é', 2));
    }
}
