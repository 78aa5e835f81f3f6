//! Indonesian lemmas: the root a word is built on (mendukung, didukung,
//! dukungan and pendukungnya all have the lemma `dukung`), as the UD
//! Indonesian treebanks annotate it.
//!
//! A [`Lemmatizer`] looks a word up in a table learned from gold training
//! data (`data/lemma-id.tsv`, made by `examples/learn_lemmas.rs` from the
//! UD CSUI training and GSD development files: the words the stemmer gets
//! wrong there, function words the treebanks keep whole, proper nouns and
//! loanwords), and stems every other word with the Nazief-Adriani / ECS
//! stemmer of the `sastrawi-rs` crate and its root-word dictionary.
//! [`affixes`] names the affixes between a word and its lemma
//! (`meN-`, `-kan`, `-nya`).
//!
//! Words are expected as the analyzer's terms (lowercased, NFC); a word
//! with a character outside ASCII letters and `-` is its own lemma. A
//! lemma is a function of the word alone, so a memo per thread
//! ([`LemmaMemo`]) analyzes each distinct word once.

pub mod eval;

mod affix;

use std::sync::OnceLock;

use sastrawi::{Dictionary, Stemmer};

use crate::hash::{Map, new_map};

pub use affix::affixes;

/// The learned tables: `form<TAB>lemma` lines (lowercased), `#`
/// comments. GSD's convention learned with GSD dev deciding where the
/// training treebanks disagree, the root convention with CSUI train
/// deciding.
const TABLE_GSD: &str = include_str!("../../data/lemma-id-gsd.tsv");
const TABLE_ROOT: &str = include_str!("../../data/lemma-id-root.tsv");

/// Whose lemmas: the UD Indonesian treebanks follow two conventions for
/// derived function words and lexicalized forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Convention {
    /// GSD's: lexicalized derived words keep their form (`tersebut`,
    /// `sebagai`, `merupakan`, `secara`); the default.
    #[default]
    Gsd,
    /// CSUI's (and PUD's, mostly): those too are reduced to their roots
    /// (`sebut`, `bagai`, `rupa`, `cara`).
    Root,
}

/// Indonesian lemmas: a learned table of exceptions over a dictionary
/// stemmer.
pub struct Lemmatizer {
    table: Map<Box<str>, Box<str>>,
    dict: Dictionary,
}

impl std::fmt::Debug for Lemmatizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lemmatizer")
            .field("table", &self.table.len())
            .finish_non_exhaustive()
    }
}

impl Lemmatizer {
    /// The lemmatizer with the committed learned table of `convention`,
    /// built once per process.
    pub fn indonesian(convention: Convention) -> &'static Lemmatizer {
        static GSD: OnceLock<Lemmatizer> = OnceLock::new();
        static ROOT: OnceLock<Lemmatizer> = OnceLock::new();
        let (cell, table) = match convention {
            Convention::Gsd => (&GSD, TABLE_GSD),
            Convention::Root => (&ROOT, TABLE_ROOT),
        };
        cell.get_or_init(|| {
            Lemmatizer::with_table(table)
                .expect("the committed lemma table is well formed")
        })
    }

    /// Whether the learned table has `word`.
    pub fn has_entry(&self, word: &str) -> bool {
        self.table.contains_key(word)
    }

    /// The stemmer alone, with no learned table (what the table is
    /// learned against).
    pub fn stemmer_only() -> Lemmatizer {
        Lemmatizer { table: new_map(), dict: Dictionary::new() }
    }

    /// The stemmer with the table in `tsv` (`form<TAB>lemma` per line;
    /// blank lines and `#` comments skipped). A line of another shape is
    /// the error, by its 1-based number.
    pub fn with_table(tsv: &str) -> Result<Lemmatizer, usize> {
        let mut lem = Lemmatizer::stemmer_only();
        for (n, line) in tsv.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((form, lemma)) = line.split_once('\t') else {
                return Err(n + 1);
            };
            if form.is_empty() || lemma.is_empty() || lemma.contains('\t') {
                return Err(n + 1);
            }
            lem.table.insert(form.into(), lemma.into());
        }
        Ok(lem)
    }

    /// The number of words in the learned table.
    pub fn table_len(&self) -> usize {
        self.table.len()
    }

    /// The lemma of `word` (a lowercased term), written into `out`.
    pub fn lemma_into(&self, word: &str, out: &mut String) {
        out.clear();
        if let Some(lemma) = self.table.get(word) {
            out.push_str(lemma);
            return;
        }
        out.push_str(&self.stem(word));
    }

    /// The lemma of `word` (a lowercased term).
    pub fn lemma(&self, word: &str) -> String {
        let mut out = String::new();
        self.lemma_into(word, &mut out);
        out
    }

    /// The stemmer's root for `word`, without the table. Words that are
    /// not made of ASCII letters (with inner hyphens) are returned as
    /// they are; a reduplication (`anak-anak`, `sehari-hari`) is stemmed
    /// on its last part, the one that carries the affixes.
    pub fn stem(&self, word: &str) -> String {
        let letters = |s: &str| {
            !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase())
        };
        if let Some((a, b)) = word.split_once('-') {
            if letters(a) && letters(b) && !b.contains('-') {
                return self.stem(b);
            }
            return word.to_string();
        }
        if !letters(word) {
            return word.to_string();
        }
        Stemmer::new(&self.dict).stem_word(word).into_owned()
    }
}

/// Lemmas of the words one worker has met: each distinct word is
/// analyzed once, later occurrences are a lookup.
#[derive(Debug, Default)]
pub struct LemmaMemo {
    map: Map<Box<str>, Box<str>>,
    buf: String,
}

impl LemmaMemo {
    /// The lemma of `word` by `lem`, analyzing it only the first time.
    pub fn get(&mut self, lem: &Lemmatizer, word: &str) -> &str {
        // One hash and one probe for a word met before.
        let buf = &mut self.buf;
        self.map.entry_ref(word).or_insert_with(|| {
            lem.lemma_into(word, buf);
            buf.as_str().into()
        })
    }

    /// The number of distinct words analyzed.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether no word was analyzed yet.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (word, lemma) with the committed table.
    const LEMMAS: &[(&str, &str)] = &[
        ("mendukung", "dukung"),
        ("didukung", "dukung"),
        ("dukungan", "dukung"),
        ("pendukung", "dukung"),
        ("mengikuti", "ikut"),
        ("pembatasan", "batas"),
        ("anak-anak", "anak"),
        ("2010", "2010"),
        ("tiongkok", "tiongkok"),
        ("café", "café"),
    ];

    #[test]
    fn lemma_table() {
        let lem = Lemmatizer::indonesian(Convention::Gsd);
        for (word, want) in LEMMAS {
            assert_eq!(lem.lemma(word), *want, "lemma of {word:?}");
        }
        // The conventions differ on lexicalized words.
        let root = Lemmatizer::indonesian(Convention::Root);
        assert_eq!(root.lemma("berdasarkan"), "dasar");
        assert_eq!(root.lemma("tersebut"), "sebut");
        assert_eq!(lem.lemma("tersebut"), "tersebut");
    }

    #[test]
    fn table_entries_win_over_the_stemmer() {
        let lem =
            Lemmatizer::with_table("# c\nmendukung\tmendukung\n").unwrap();
        assert_eq!(lem.lemma("mendukung"), "mendukung");
        assert_eq!(lem.lemma("didukung"), "dukung");
        assert_eq!(Lemmatizer::with_table("a\tb\nno tab\n").unwrap_err(), 2);
    }

    #[test]
    fn memo_analyzes_each_word_once() {
        let lem = Lemmatizer::indonesian(Convention::Root);
        let mut memo = LemmaMemo::default();
        for w in ["mendukung", "didukung", "mendukung"] {
            assert_eq!(memo.get(lem, w), lem.lemma(w));
        }
        assert_eq!(memo.len(), 2);
    }
}
