//! Scoring lemmas against UD gold (CoNLL-U).
//!
//! The scored words are the syntactic words outside multiword tokens
//! (a multiword token's words are clitics split off a surface form, which
//! the tokenizer does not split), with UPOS PUNCT, SYM and NUM left out
//! (and empty nodes, `5.1`). A word is correct when the lemma of its
//! lowercased FORM equals its lowercased gold LEMMA:
//!
//! accuracy = correct / words
//!
//! per file, per UPOS, with the most frequent (form, gold, predicted)
//! errors.

use std::collections::BTreeMap;

use super::{LemmaMemo, Lemmatizer};
use crate::hash::{Map, new_map};

/// One gold word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldWord {
    /// FORM, lowercased.
    pub form: String,
    /// LEMMA, lowercased.
    pub lemma: String,
    /// UPOS.
    pub upos: String,
}

/// A CoNLL-U line that is not a token line of 10 columns or has a bad
/// ID, by its 1-based number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    /// The line's number.
    pub line: u64,
    /// What is wrong.
    pub message: String,
}

/// The UPOS tags left out of scoring.
pub const LEFT_OUT: [&str; 3] = ["PUNCT", "SYM", "NUM"];

/// The words of a CoNLL-U text that are scored (see the module docs).
pub fn read_gold(text: &str) -> Result<Vec<GoldWord>, BadLine> {
    let mut words = Vec::new();
    let mut range_end = 0u64;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            range_end = 0;
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let bad = |message: &str| BadLine {
            line: n as u64 + 1,
            message: message.to_string(),
        };
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 10 {
            return Err(bad("a token line needs 10 tab-separated columns"));
        }
        let id = cols[0];
        if let Some((_, b)) = id.split_once('-') {
            range_end = b.parse().map_err(|_| bad("bad ID range"))?;
            continue;
        }
        if id.contains('.') {
            continue;
        }
        let id: u64 = id.parse().map_err(|_| bad("bad ID"))?;
        if id <= range_end || LEFT_OUT.contains(&cols[3]) {
            continue;
        }
        if cols[1].is_empty() || cols[2].is_empty() {
            return Err(bad("empty FORM or LEMMA"));
        }
        words.push(GoldWord {
            form: cols[1].to_lowercase(),
            lemma: cols[2].to_lowercase(),
            upos: cols[3].to_string(),
        });
    }
    Ok(words)
}

/// Words and correct lemmas.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Words scored.
    pub words: u64,
    /// Words whose lemma is the gold lemma.
    pub correct: u64,
}

impl Tally {
    /// `correct / words` (0 for no word).
    pub fn accuracy(&self) -> f64 {
        if self.words == 0 {
            0.0
        } else {
            self.correct as f64 / self.words as f64
        }
    }
}

/// The score of one gold file.
#[derive(Debug, Clone, Default)]
pub struct LemmaScore {
    /// Every scored word.
    pub all: Tally,
    /// Per UPOS, by tag.
    pub by_upos: BTreeMap<String, Tally>,
    /// Errors as `(form, gold, predicted, count)`, most frequent first
    /// (then by form, gold and predicted lemma, by bytes).
    pub errors: Vec<(String, String, String, u64)>,
}

/// Scores `lem` on `words`.
pub fn score(words: &[GoldWord], lem: &Lemmatizer) -> LemmaScore {
    let mut memo = LemmaMemo::default();
    let mut s = LemmaScore::default();
    let mut errors: Map<(&str, &str, String), u64> = new_map();
    for w in words {
        let got = memo.get(lem, &w.form);
        let ok = got == w.lemma;
        let t = s.by_upos.entry(w.upos.clone()).or_default();
        for t in [&mut s.all, t] {
            t.words += 1;
            t.correct += u64::from(ok);
        }
        if !ok {
            *errors
                .entry((w.form.as_str(), w.lemma.as_str(), got.to_string()))
                .or_default() += 1;
        }
    }
    let mut errors: Vec<_> = errors
        .into_iter()
        .map(|((f, g, p), n)| (f.to_string(), g.to_string(), p, n))
        .collect();
    errors.sort_by(|a, b| {
        b.3.cmp(&a.3).then_with(|| (&a.0, &a.1, &a.2).cmp(&(&b.0, &b.1, &b.2)))
    });
    s.errors = errors;
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOLD: &str = "# sent_id = 1\n\
1-2\tdukungannya\t_\t_\t_\t_\t_\t_\t_\t_\n\
1\tdukungan\tdukung\tNOUN\t_\t_\t_\t_\t_\t_\n\
2\tnya\tdia\tPRON\t_\t_\t_\t_\t_\t_\n\
3\tMendukung\tdukung\tVERB\t_\t_\t_\t_\t_\t_\n\
4\t2010\t2010\tNUM\t_\t_\t_\t_\t_\t_\n\
4.1\tx\tx\tX\t_\t_\t_\t_\t_\t_\n\
5\tJakarta\tJakarta\tPROPN\t_\t_\t_\t_\t_\t_\n\
6\tmemukul\tpukulan\tVERB\t_\t_\t_\t_\t_\t_\n\
7\t.\t.\tPUNCT\t_\t_\t_\t_\t_\t_\n\n";

    #[test]
    fn gold_words_outside_multiword_tokens() {
        let words = read_gold(GOLD).unwrap();
        let forms: Vec<_> = words.iter().map(|w| w.form.as_str()).collect();
        assert_eq!(forms, ["mendukung", "jakarta", "memukul"]);
        assert_eq!(words[1].lemma, "jakarta");
    }

    #[test]
    fn score_counts_by_upos_and_errors() {
        let words = read_gold(GOLD).unwrap();
        let s = score(&words, &Lemmatizer::stemmer_only());
        // mendukung -> dukung right, jakarta right, memukul -> pukul
        // against gold pukulan wrong.
        assert_eq!(s.all, Tally { words: 3, correct: 2 });
        assert_eq!(s.by_upos["VERB"], Tally { words: 2, correct: 1 });
        assert_eq!(
            s.errors,
            [("memukul".into(), "pukulan".into(), "pukul".into(), 1)]
        );
    }

    #[test]
    fn bad_lines_are_named() {
        let err = read_gold("# x\n1\tonly\tthree\n").unwrap_err();
        assert_eq!(err.line, 2);
    }
}
