//! The literal pre-filter of a query (see the [`super`] module's
//! documentation): whether a text may hold a match, from a search for
//! the query's ASCII literals and for what normalization could hide them
//! behind. Used by the concordancer and by the collocation counts.

use crate::analyze::Analyzer;
use crate::normalize::Form;
use crate::query::Query;

/// The pre-filter of a query, if it has one: a regular expression of
/// the literals (ASCII case-insensitive) and one of the [`RISKY`]
/// strings, each of which the regex crate turns into a vectorized
/// literal search. (Not one expression of both: a literal of n letters
/// has 2^n case variants, and with the risky strings beside them there
/// can be too many for the vectorized search, which then gives way to a
/// byte-at-a-time automaton; see BENCHMARKS.md.)
pub(crate) struct Prefilter {
    words: regex::Regex,
    risky: regex::Regex,
}

/// What can hide an ASCII word from a plain search of the text: numeric
/// entities (`&#107;` is `k`), entities of characters removed inside
/// words, the characters themselves (soft hyphen, zero-width characters,
/// direction marks, word joiner, BOM), and the two non-ASCII characters
/// whose lowercase is ASCII or holds ASCII (Kelvin sign, dotted capital
/// I). Named entities of punctuation (`&quot;`, `&amp;`) cannot.
pub(crate) const RISKY: &[&str] = &[
    "&#", "&shy;", "&zwj;", "&zwnj;", "\u{AD}", "\u{200B}", "\u{200C}",
    "\u{200D}", "\u{200E}", "\u{200F}", "\u{2060}", "\u{FEFF}", "\u{212A}",
    "\u{130}",
];

impl Prefilter {
    /// `raw`: for raw JSONL and Leipzig lines, where a JSON `\u` escape
    /// can also hide a letter.
    pub(crate) fn new(
        query: &Query,
        an: &Analyzer,
        raw: bool,
    ) -> Option<Prefilter> {
        let n = &an.normalize;
        // Each of these can give an ASCII term from a surface that does
        // not hold it (`café` is `cafe` without diacritics).
        // Nor are the lemmas of `--unit lemma` in the text as written.
        if !an.map.is_empty()
            || an.unit == crate::analyze::Unit::Lemma
            || n.form == Form::Nfkc
            || n.fold_quotes
            || n.fold_dashes
            || n.strip_diacritics
        {
            return None;
        }
        let lits = query.literals()?;
        if lits.iter().any(|l| !l.is_ascii()) {
            return None;
        }
        let words: Vec<String> = lits
            .iter()
            .map(|l| format!("(?i-u:{})", regex::escape(l)))
            .collect();
        let mut risky: Vec<String> =
            RISKY.iter().map(|r| regex::escape(r)).collect();
        if raw {
            risky.push(regex::escape("\\u"));
        }
        Some(Prefilter {
            words: regex::Regex::new(&words.join("|")).ok()?,
            risky: regex::Regex::new(&risky.join("|")).ok()?,
        })
    }

    pub(crate) fn may_match(&self, text: &str) -> bool {
        self.words.is_match(text) || self.risky.is_match(text)
    }

    /// The starts of the matches of the literals and of the [`RISKY`]
    /// strings in `text`, in order, into `out` (cleared first).
    pub(crate) fn starts(&self, text: &str, out: &mut Vec<usize>) {
        out.clear();
        out.extend(self.words.find_iter(text).map(|m| m.start()));
        let words = out.len();
        out.extend(self.risky.find_iter(text).map(|m| m.start()));
        if out.len() > words && words > 0 {
            out.sort_unstable();
        }
    }
}
