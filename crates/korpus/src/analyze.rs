//! The analyzer: tokenizer, normalizer, variant map and class filter in
//! one pass over a document.
//!
//! [`Analyzer::analyze`] pushes each selected token and its term into a
//! closure. The token and term buffers live in a caller-owned [`Scratch`]
//! that is reused from document to document, so analysis allocates
//! nothing per token.
//!
//! With [`Unit::Lemma`], a term is replaced by its lemma (after the
//! variant map, whose items are counted as they are): every engine then
//! counts, matches and ranks lemmas. The lemmas of the words a worker has
//! met are remembered in its [`Scratch`], so each distinct word is
//! lemmatized once per thread.

use crate::hash::{Map, new_map};
use crate::lemma::{Convention, LemmaMemo, Lemmatizer};
use crate::normalize::{NormalizeOptions, normalize_into};
use crate::tokenize::{
    Token, TokenClass, TokenizerOptions, tokenize, tokenize_span,
};

/// A set of token classes, as a bit set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClassSet(u16);

impl ClassSet {
    /// Every class: the set of [`TokenClass::ALL`].
    pub const ALL: ClassSet = {
        let mut bits = 0u16;
        let mut i = 0;
        while i < TokenClass::ALL.len() {
            bits |= 1 << TokenClass::ALL[i] as u16;
            i += 1;
        }
        ClassSet(bits)
    };

    /// The default for counting: everything but punctuation and symbols.
    pub fn countable() -> ClassSet {
        let mut set = ClassSet::ALL;
        set.remove(TokenClass::Punct);
        set.remove(TokenClass::Symbol);
        set
    }

    /// No class.
    pub fn empty() -> ClassSet {
        ClassSet(0)
    }

    /// Adds `class`.
    pub fn insert(&mut self, class: TokenClass) {
        self.0 |= 1 << class as u16;
    }

    /// Removes `class`.
    pub fn remove(&mut self, class: TokenClass) {
        self.0 &= !(1 << class as u16);
    }

    /// Whether `class` is in the set.
    #[inline]
    pub fn contains(self, class: TokenClass) -> bool {
        self.0 & (1 << class as u16) != 0
    }

    /// Parses a comma-separated list of class names (`word,number`).
    pub fn parse(list: &str) -> Result<ClassSet, String> {
        let mut set = ClassSet::empty();
        for name in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            if name == "all" {
                return Ok(ClassSet::ALL);
            }
            let class = TokenClass::from_name(name).ok_or_else(|| {
                let names: Vec<_> =
                    TokenClass::ALL.iter().map(|c| c.name()).collect();
                format!(
                    "unknown token class '{name}' (known: {}, all)",
                    names.join(", ")
                )
            })?;
            set.insert(class);
        }
        Ok(set)
    }

    /// The names of the classes in the set, comma-separated.
    pub fn names(self) -> String {
        let names: Vec<_> = TokenClass::ALL
            .iter()
            .filter(|c| self.contains(**c))
            .map(|c| c.name())
            .collect();
        names.join(",")
    }
}

/// What a counted term is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Unit {
    /// The normalized word form (the default).
    #[default]
    Word,
    /// The word's lemma ([`crate::lemma`]).
    Lemma,
}

/// Everything that decides how text becomes counted terms.
#[derive(Debug, Clone)]
pub struct Analyzer {
    /// Tokenizer options.
    pub tokenizer: TokenizerOptions,
    /// Normalizer options.
    pub normalize: NormalizeOptions,
    /// Which token classes are passed on.
    pub classes: ClassSet,
    /// Variant map: normalized form to counted item.
    pub map: Map<String, String>,
    /// Stopwords (normalized). Engines decide what a stopword removes.
    pub stopwords: crate::hash::Set<String>,
    /// Words or lemmas.
    pub unit: Unit,
    /// Which treebanks' lemma convention (with [`Unit::Lemma`], and for
    /// lemma queries).
    pub lemmas: Convention,
}

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer {
            tokenizer: TokenizerOptions::default(),
            normalize: NormalizeOptions::default(),
            classes: ClassSet::countable(),
            map: new_map(),
            stopwords: crate::hash::new_set(),
            unit: Unit::Word,
            lemmas: Convention::default(),
        }
    }
}

/// Buffers reused across documents by one worker.
#[derive(Debug, Default)]
pub struct Scratch {
    /// The tokens of the current document.
    pub tokens: Vec<Token>,
    term: String,
    /// The lemmas of the words met so far.
    pub lemmas: LemmaMemo,
}

impl Analyzer {
    /// Analyzes `text`, calling `f(token, term)` for each token of a
    /// selected class, in text order.
    ///
    /// A token passed on has `sentence_start` set if a sentence started
    /// at it or at a token left out before it (an opening quote, say), so
    /// engines see every sentence boundary.
    pub fn analyze(
        &self,
        text: &str,
        scratch: &mut Scratch,
        f: impl FnMut(&Token, &str),
    ) {
        tokenize(text, &self.tokenizer, &mut scratch.tokens);
        self.terms_of(text, scratch, f);
    }

    /// Analyzes the bytes `start..end` of `text`, as
    /// [`crate::tokenize::tokenize_span`] tokenizes them, calling
    /// `f(token, term)` as [`Analyzer::analyze`] does. Returns whether
    /// the terms depend on the span's bytes alone.
    pub fn analyze_span(
        &self,
        text: &str,
        start: usize,
        end: usize,
        scratch: &mut Scratch,
        f: impl FnMut(&Token, &str),
    ) -> bool {
        let alone = tokenize_span(
            text,
            start,
            end,
            &self.tokenizer,
            &mut scratch.tokens,
        );
        self.terms_of(text, scratch, f);
        alone
    }

    /// The number of tokens of the counted classes that
    /// [`Analyzer::analyze_span`] gives for the same span (without
    /// normalizing them).
    pub fn count_span(
        &self,
        text: &str,
        start: usize,
        end: usize,
        scratch: &mut Scratch,
    ) -> usize {
        tokenize_span(text, start, end, &self.tokenizer, &mut scratch.tokens);
        scratch
            .tokens
            .iter()
            .filter(|t| self.classes.contains(t.class))
            .count()
    }

    /// The terms of the tokens in `scratch`, of `text`.
    fn terms_of(
        &self,
        text: &str,
        scratch: &mut Scratch,
        mut f: impl FnMut(&Token, &str),
    ) {
        let Scratch { tokens, term, lemmas } = scratch;
        let lem = self.lemmatizer();
        let mut pending_start = false;
        for tok in tokens.iter() {
            if !self.classes.contains(tok.class) {
                pending_start |= tok.sentence_start;
                continue;
            }
            let mut tok = *tok;
            tok.sentence_start |= std::mem::take(&mut pending_start);
            normalize_into(&text[tok.start..tok.end], &self.normalize, term);
            match self.map.get(term.as_str()) {
                Some(item) => f(&tok, item),
                None if self.unit == Unit::Lemma => {
                    f(&tok, lemmas.get(lem, term))
                }
                None => f(&tok, term),
            }
        }
    }

    /// The lemmatizer of the analyzer's convention.
    pub fn lemmatizer(&self) -> &'static Lemmatizer {
        Lemmatizer::indonesian(self.lemmas)
    }

    /// The term of one surface form, as `analyze` would count it.
    pub fn term_of(&self, surface: &str) -> String {
        let mut term = String::new();
        normalize_into(surface, &self.normalize, &mut term);
        match self.map.get(&term) {
            Some(item) => item.clone(),
            None if self.unit == Unit::Lemma => self.lemmatizer().lemma(&term),
            None => term,
        }
    }

    /// Whether `term` is a stopword.
    #[inline]
    pub fn is_stopword(&self, term: &str) -> bool {
        !self.stopwords.is_empty() && self.stopwords.contains(term)
    }

    /// Loads a variant map from TSV text (`form<TAB>item` per line; blank
    /// lines and lines starting with `#` are skipped). Forms and items are
    /// normalized like the corpus. Returns the 1-based number of a line
    /// that is not of that shape as the error.
    pub fn load_map(&mut self, tsv: &str) -> Result<(), usize> {
        for (n, line) in tsv.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((form, item)) = line.split_once('\t') else {
                return Err(n + 1);
            };
            if form.trim().is_empty() || item.trim().is_empty() {
                return Err(n + 1);
            }
            let mut f = String::new();
            let mut i = String::new();
            normalize_into(form.trim(), &self.normalize, &mut f);
            normalize_into(item.trim(), &self.normalize, &mut i);
            self.map.insert(f, i);
        }
        Ok(())
    }

    /// Adds stopwords (normalized like the corpus).
    pub fn add_stopwords<'a>(
        &mut self,
        words: impl IntoIterator<Item = &'a str>,
    ) {
        for w in words {
            let w = w.trim();
            if !w.is_empty() && !w.starts_with('#') {
                let mut t = String::new();
                normalize_into(w, &self.normalize, &mut t);
                self.stopwords.insert(t);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn analyze_applies_map_and_classes() {
        let mut an = Analyzer::default();
        an.load_map("Cina\tchina\n# comment\n\nRRT\tchina\n").unwrap();
        let mut scratch = Scratch::default();
        let mut got = Vec::new();
        an.analyze("Cina, RRT dan China.", &mut scratch, |_, t| {
            got.push(t.to_string())
        });
        assert_eq!(got, ["china", "china", "dan", "china"]);
    }

    #[test]
    fn lemma_unit_counts_lemmas_after_the_map() {
        let mut an = Analyzer { unit: Unit::Lemma, ..Analyzer::default() };
        an.load_map("RRT\tchina\n").unwrap();
        let mut scratch = Scratch::default();
        let mut got = Vec::new();
        let text = "Mendukung RRT, didukung dukungan mendukung.";
        an.analyze(text, &mut scratch, |_, t| got.push(t.to_string()));
        assert_eq!(got, ["dukung", "china", "dukung", "dukung", "dukung"]);
        // Each distinct word lemmatized once.
        assert_eq!(scratch.lemmas.len(), 3);
        assert_eq!(an.term_of("Didukung"), "dukung");
    }

    #[test]
    fn load_map_reports_bad_line() {
        let mut an = Analyzer::default();
        assert_eq!(an.load_map("a\tb\nno tab here\n"), Err(2));
    }

    /// `ALL` is exactly the classes of `TokenClass::ALL`: each is in it,
    /// and with all of them removed nothing is left.
    #[test]
    fn all_is_every_class() {
        let mut rest = ClassSet::ALL;
        for class in TokenClass::ALL {
            assert!(ClassSet::ALL.contains(class), "{class:?}");
            rest.remove(class);
        }
        assert_eq!(rest, ClassSet::empty());
    }

    #[test]
    fn class_set_parse() {
        let set = ClassSet::parse("word,number").unwrap();
        assert!(set.contains(TokenClass::Word));
        assert!(!set.contains(TokenClass::Punct));
        assert_eq!(set.names(), "word,number");
        assert!(ClassSet::parse("word,nope").is_err());
        assert_eq!(ClassSet::parse("all").unwrap(), ClassSet::ALL);
    }
}
