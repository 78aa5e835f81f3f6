//! The words that name the values of the library's option enums (as a
//! command line or a configuration writes them), and the one error for a
//! word that names none of them.
//!
//! Each enum implements [`Named`] (its values and their names, in the
//! order they are listed) and [`std::str::FromStr`] through it, so every
//! option is parsed the same way and every error lists the known names.
//! The tables sit here, together, rather than beside each enum, but for
//! [`InputFormat`], whose names are its formats' own.

use std::fmt;
use std::str::FromStr;

use crate::analyze::Unit;
use crate::corpus::{HtmlMode, InputFormat};
use crate::lemma::Convention;
use crate::normalize::{Case, Form};
use crate::tokenize::HyphenPolicy;

/// A closed set of values, each named by one word.
pub trait Named: Sized + Copy + 'static {
    /// Every value, in the order they are listed (help, errors).
    const ALL: &'static [Self];

    /// The value's word.
    fn name(self) -> &'static str;

    /// The words of every value, in the order of [`Named::ALL`].
    fn names() -> Vec<&'static str> {
        Self::ALL.iter().map(|v| v.name()).collect()
    }

    /// The value named `word` (exactly: case matters).
    fn from_name(word: &str) -> Result<Self, UnknownName> {
        Self::ALL.iter().copied().find(|v| v.name() == word).ok_or_else(|| {
            UnknownName { word: word.to_string(), known: Self::names() }
        })
    }
}

/// A word that names no value of a [`Named`] set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownName {
    /// The word given.
    pub word: String,
    /// The words of the set, in order.
    pub known: Vec<&'static str>,
}

impl UnknownName {
    /// The message for the option `flag`:
    /// `unknown --case 'up' (known: fold, keep)`.
    pub fn for_option(&self, flag: &str) -> String {
        format!(
            "unknown {flag} '{}' (known: {})",
            self.word,
            self.known.join(", ")
        )
    }
}

impl fmt::Display for UnknownName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown '{}' (known: {})", self.word, self.known.join(", "))
    }
}

impl std::error::Error for UnknownName {}

/// Implements [`Named`] and `FromStr` for an enum from its table.
macro_rules! named {
    ($ty:ident { $($value:ident => $word:literal),+ $(,)? }) => {
        impl Named for $ty {
            const ALL: &'static [Self] = &[$($ty::$value),+];

            fn name(self) -> &'static str {
                match self {
                    $($ty::$value => $word),+
                }
            }
        }

        impl FromStr for $ty {
            type Err = UnknownName;

            fn from_str(word: &str) -> Result<Self, UnknownName> {
                <$ty as Named>::from_name(word)
            }
        }
    };
}

named!(Form { Nfc => "nfc", Nfkc => "nfkc", None => "none" });

named!(Case { Fold => "fold", Keep => "keep" });

named!(Unit { Word => "word", Lemma => "lemma" });

named!(Convention { Gsd => "gsd", Root => "root" });

named!(HtmlMode { Article => "article", Raw => "raw" });

named!(HyphenPolicy {
    Auto => "auto",
    Keep => "keep",
    Split => "split",
});

// The formats name themselves (each format's file in `corpus/format/`).
impl Named for InputFormat {
    const ALL: &'static [Self] = &InputFormat::ALL;

    fn name(self) -> &'static str {
        InputFormat::name(self)
    }
}

impl FromStr for InputFormat {
    type Err = UnknownName;

    fn from_str(word: &str) -> Result<Self, UnknownName> {
        <InputFormat as Named>::from_name(word)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_round_trips_through_its_name() {
        fn check<T: Named + PartialEq + fmt::Debug>() {
            for &v in T::ALL {
                assert_eq!(T::from_name(v.name()), Ok(v), "{v:?}");
            }
        }
        check::<Form>();
        check::<Case>();
        check::<HyphenPolicy>();
        check::<InputFormat>();
        check::<HtmlMode>();
    }

    #[test]
    fn names_are_listed_in_order() {
        assert_eq!(Form::names(), ["nfc", "nfkc", "none"]);
        assert_eq!(Case::names(), ["fold", "keep"]);
        assert_eq!(HyphenPolicy::names(), ["auto", "keep", "split"]);
        assert_eq!(
            InputFormat::names(),
            [
                "text", "leipzig", "jsonl", "csv", "tsv", "conllu",
                "markdown", "html", "warc"
            ]
        );
        assert_eq!(HtmlMode::names(), ["article", "raw"]);
    }

    #[test]
    fn input_format_table_agrees_with_the_corpus_module() {
        // Two tables until the corpus module owns this one.
        assert_eq!(<InputFormat as Named>::ALL, &InputFormat::ALL[..]);
        for f in InputFormat::ALL {
            assert_eq!(Named::name(f), InputFormat::name(f));
        }
    }

    #[test]
    fn parse_table() {
        let rows: [(&str, Result<Form, &str>); 5] = [
            ("nfc", Ok(Form::Nfc)),
            ("nfkc", Ok(Form::Nfkc)),
            ("none", Ok(Form::None)),
            ("NFC", Err("unknown --normalize 'NFC' (known: nfc, nfkc, none)")),
            ("", Err("unknown --normalize '' (known: nfc, nfkc, none)")),
        ];
        for (word, want) in rows {
            let got =
                word.parse::<Form>().map_err(|e| e.for_option("--normalize"));
            assert_eq!(got, want.map_err(String::from), "{word:?}");
        }
        let e = "up".parse::<Case>().unwrap_err();
        assert_eq!(e.to_string(), "unknown 'up' (known: fold, keep)");
        assert_eq!("split".parse(), Ok(HyphenPolicy::Split));
        assert_eq!("conllu".parse(), Ok(InputFormat::Conllu));
        assert!("docx".parse::<InputFormat>().is_err());
    }
}
