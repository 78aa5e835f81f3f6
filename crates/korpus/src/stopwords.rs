//! Built-in stopword lists for Indonesian and English.
//!
//! Written for korpus: the closed-class words (pronouns, prepositions,
//! conjunctions, particles, auxiliaries, determiners and the most common
//! adverbs) of each language. Content words that are merely frequent in
//! news (`pemerintah`, `presiden`) are deliberately left out: whether to
//! drop them is a research decision.
//!
//! [`Stoplist`] is the one test of which table rows a stopword list
//! leaves out, for every command.

use crate::analyze::Analyzer;
use crate::hash::Set;

/// Indonesian stopwords.
pub const INDONESIAN: &[&str] = &[
    "ada",
    "adalah",
    "agar",
    "akan",
    "aku",
    "anda",
    "antara",
    "apa",
    "apabila",
    "atas",
    "atau",
    "bagai",
    "bagaimana",
    "bagi",
    "bahkan",
    "bahwa",
    "banyak",
    "beberapa",
    "begitu",
    "belum",
    "berbagai",
    "bersama",
    "beserta",
    "bila",
    "bisa",
    "boleh",
    "bukan",
    "cukup",
    "dalam",
    "dan",
    "dapat",
    "dari",
    "demi",
    "dengan",
    "di",
    "dia",
    "dirinya",
    "hal",
    "hampir",
    "hanya",
    "harus",
    "hingga",
    "ia",
    "ialah",
    "ini",
    "itu",
    "jadi",
    "jika",
    "juga",
    "kalau",
    "kami",
    "kamu",
    "kan",
    "karena",
    "ke",
    "kecuali",
    "kemudian",
    "kepada",
    "ketika",
    "kini",
    "kita",
    "lagi",
    "lain",
    "lalu",
    "lebih",
    "maka",
    "masih",
    "maupun",
    "melainkan",
    "meliputi",
    "melalui",
    "memang",
    "menjadi",
    "menurut",
    "mereka",
    "meski",
    "meskipun",
    "mungkin",
    "namun",
    "nya",
    "oleh",
    "pada",
    "padahal",
    "para",
    "pernah",
    "pula",
    "pun",
    "saat",
    "saja",
    "sambil",
    "sampai",
    "sangat",
    "saya",
    "se",
    "sebagai",
    "sebelum",
    "sebuah",
    "secara",
    "sedang",
    "sedangkan",
    "sehingga",
    "sejak",
    "sekitar",
    "selain",
    "selama",
    "seluruh",
    "semua",
    "sementara",
    "seorang",
    "seperti",
    "serta",
    "setelah",
    "setiap",
    "sudah",
    "supaya",
    "tanpa",
    "tapi",
    "telah",
    "tentang",
    "terhadap",
    "termasuk",
    "tetapi",
    "tidak",
    "untuk",
    "walau",
    "walaupun",
    "yaitu",
    "yakni",
    "yang",
];

/// English stopwords.
pub const ENGLISH: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "me",
    "more",
    "most",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "same",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
    "'s",
    "n't",
];

/// Which rows of a table a stopword list leaves out: an item that is a
/// stopword, or an n-gram with a stopword among its terms. Stopwords
/// are normalized like the corpus ([`Analyzer::add_stopwords`]), so an
/// item is compared as counted. An empty list keeps every row.
#[derive(Debug, Clone, Copy)]
pub struct Stoplist<'a> {
    words: &'a Set<String>,
}

impl<'a> Stoplist<'a> {
    /// The stopwords of an analyzer.
    pub fn of(an: &'a Analyzer) -> Self {
        Stoplist { words: &an.stopwords }
    }

    /// A list of (normalized) stopwords.
    pub fn new(words: &'a Set<String>) -> Self {
        Stoplist { words }
    }

    /// Whether a row whose item is one term is kept: the term, whole
    /// (a variant map's item may hold a space), is not a stopword.
    #[inline]
    pub fn keeps_term(&self, term: &str) -> bool {
        self.words.is_empty() || !self.words.contains(term)
    }

    /// Whether a row whose item is an n-gram (terms joined by single
    /// spaces) is kept: none of its space-separated parts is a
    /// stopword.
    #[inline]
    pub fn keeps_ngram(&self, ngram: &str) -> bool {
        self.words.is_empty()
            || !ngram.split(' ').any(|w| self.words.contains(w))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stoplist_keeps_rows_without_stopwords() {
        let mut an = Analyzer::default();
        an.add_stopwords(["Yang", "di"]);
        let stop = Stoplist::of(&an);
        // (item, kept as a term, kept as an n-gram)
        let table = [
            ("yang", false, false),
            ("rumah", true, true),
            ("di rumah", true, false),
            ("rumah yang baru", true, false),
            ("rumah baru", true, true),
            ("dia", true, true),
            ("", true, true),
        ];
        for (item, term, ngram) in table {
            assert_eq!(stop.keeps_term(item), term, "{item:?}");
            assert_eq!(stop.keeps_ngram(item), ngram, "{item:?}");
        }
        let none = crate::hash::new_set();
        let empty = Stoplist::new(&none);
        assert!(empty.keeps_term("yang") && empty.keeps_ngram("di sana"));
    }
}
