//! The query language shared by every command that takes a node or a
//! variant (kwic, dispersion, and later colloc and variants).
//!
//! ```text
//! query    := sequence ( '|' sequence )*       alternatives, lowest precedence
//! sequence := item ( ' ' item )*
//! item     := word | "phrase words" | /regex/ | [attr="regex" ...] | * | *{m,n}
//! ```
//!
//! - A **word** is matched on the normalized term (so case-insensitively
//!   by default), or on the surface with `case_sensitive`. `*` and `?`
//!   inside a word are wildcards: `Tiong*`, `*nya`, `?ina`.
//! - `"Korea Utara"` is a phrase: its words in sequence.
//! - `/^tiong.*/` is a regular expression (the `regex` crate: linear time,
//!   so no query can hang), anchored to the whole token, case-insensitive
//!   unless `case_sensitive`.
//! - `*` alone is one token of any kind; `*{0,3}` is a gap of 0 to 3
//!   tokens (at most 20).
//! - `[word="Tiong.*" lower="..." norm="..." class="word"]` is a CQL-style
//!   token: every attribute's regex must match (word = surface, lower =
//!   lowercased surface, norm = normalized term, class = token class).
//! - `lemma:dukung` is a token whose lemma ([`crate::lemma`]) is `dukung`
//!   (mendukung, didukung, dukungan, ...); `[lemma="dukung|tulis"]` is
//!   the CQL attribute. With the analyzer's [`Unit::Lemma`] the terms
//!   are lemmas already and are compared as they are; otherwise a token's
//!   lemma is computed when it is tested (for `lemma:`, only for tokens
//!   that hold the lemma, or all but its first letter, or have an entry
//!   in the learned table).
//! - `Tiongkok|China|Cina` and `"Korea Utara"|Korut|DPRK` are
//!   alternatives: a match of any sequence.
//!
//! Matching runs over the tokens of the selected classes (by default all
//! but punctuation and symbols) and never crosses a sentence boundary, so
//! `"Korea Utara"` does not match across `Korea. Utara`.

use regex::Regex;

use crate::analyze::{Analyzer, Scratch, Unit};
use crate::intern::Keys;
use crate::lemma::{Convention, Lemmatizer};
use crate::tokenize::Token;

/// An error in a query, with the byte position it points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    /// Byte offset in the query.
    pub pos: usize,
    /// What is wrong.
    pub message: String,
}

impl QueryError {
    /// The message with the query and a caret under the position.
    pub fn render(&self, query: &str) -> String {
        let col = query[..self.pos.min(query.len())].chars().count();
        format!(
            "invalid query: {}\n  {query}\n  {}^",
            self.message,
            " ".repeat(col)
        )
    }
}

/// One token test.
#[derive(Debug, Clone)]
pub enum TokenTest {
    /// Equal to this term (normalized, or surface when case-sensitive).
    Exact(String),
    /// A wildcard or regular expression over the term (or surface).
    Pattern(Regex),
    /// Any token.
    Any,
    /// A CQL token: every (attribute, regex) must match.
    Cql(Vec<(Attr, Regex)>),
    /// A token whose lemma is this (`lemma:dukung`).
    Lemma(String, LemmaOf),
}

/// Where a token's lemma comes from in a lemma test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LemmaOf {
    /// The term is the lemma ([`Unit::Lemma`]).
    Term,
    /// The lemmatizer of this convention, on the term.
    Lemmatize(Convention),
}

impl LemmaOf {
    fn of(an: &Analyzer) -> LemmaOf {
        match an.unit {
            Unit::Lemma => LemmaOf::Term,
            Unit::Word => LemmaOf::Lemmatize(an.lemmas),
        }
    }

    /// Whether the lemma of `term` is `want`.
    fn is(self, term: &str, want: &str) -> bool {
        let LemmaOf::Lemmatize(c) = self else { return term == want };
        let lem = Lemmatizer::indonesian(c);
        // A stemmed lemma is in its word, whole or but for a first
        // consonant a nasal prefix replaced; only the table maps a word
        // to anything else.
        let held = term.contains(want)
            || want
                .get(1..)
                .is_some_and(|w| !w.is_empty() && term.contains(w));
        (held || lem.has_entry(term)) && lem.lemma(term) == want
    }

    /// Whether the lemma of `term` matches `re`.
    fn matches(self, term: &str, re: &Regex) -> bool {
        match self {
            LemmaOf::Term => re.is_match(term),
            LemmaOf::Lemmatize(c) => {
                re.is_match(&Lemmatizer::indonesian(c).lemma(term))
            }
        }
    }
}

/// A CQL attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attr {
    /// The surface form.
    Word,
    /// The lowercased surface form.
    Lower,
    /// The normalized term.
    Norm,
    /// The token class name.
    Class,
    /// The lemma.
    Lemma(LemmaOf),
}

/// An item of a sequence.
#[derive(Debug, Clone)]
pub enum Item {
    /// One token.
    Token(TokenTest),
    /// A gap of `min..=max` tokens of any kind.
    Gap(usize, usize),
}

/// A parsed query: alternatives of sequences.
#[derive(Debug, Clone)]
pub struct Query {
    /// The alternatives.
    pub alternatives: Vec<Vec<Item>>,
    /// Match surfaces, not normalized terms.
    pub case_sensitive: bool,
    /// The query as written.
    pub source: String,
}

/// What a token test sees of a token.
#[derive(Debug, Clone, Copy)]
pub struct TokenView<'a> {
    /// The surface.
    pub surface: &'a str,
    /// The normalized term.
    pub term: &'a str,
    /// The class name.
    pub class: &'a str,
}

const MAX_GAP: usize = 20;

impl Query {
    /// Parses `src`; words are normalized with `an` (so they match the
    /// corpus's terms).
    pub fn parse(
        src: &str,
        an: &Analyzer,
        case_sensitive: bool,
    ) -> Result<Query, QueryError> {
        let mut p = Parser { src, pos: 0, an, case_sensitive };
        let mut alternatives = vec![p.sequence()?];
        while p.eat('|') {
            alternatives.push(p.sequence()?);
        }
        p.skip_ws();
        if p.pos < src.len() {
            return Err(p.err("unexpected character"));
        }
        for alt in &alternatives {
            if !alt.iter().any(|i| matches!(i, Item::Token(_))) {
                return Err(QueryError {
                    pos: 0,
                    message: "a query needs at least one token, not only gaps"
                        .into(),
                });
            }
            if matches!(alt.first(), Some(Item::Gap(..)))
                || matches!(alt.last(), Some(Item::Gap(..)))
            {
                return Err(QueryError {
                    pos: 0,
                    message: "a gap (*{m,n}) must stand between two tokens"
                        .into(),
                });
            }
        }
        Ok(Query { alternatives, case_sensitive, source: src.to_string() })
    }

    /// The length in tokens of the longest match of any alternative.
    pub fn max_len(&self) -> usize {
        self.alternatives
            .iter()
            .map(|alt| {
                alt.iter()
                    .map(|i| match i {
                        Item::Token(_) => 1,
                        Item::Gap(_, max) => *max,
                    })
                    .sum::<usize>()
            })
            .max()
            .unwrap_or(0)
    }

    /// Literal strings of which at least one must occur in a text (ASCII
    /// case-insensitively) for the query to match, or `None` when the
    /// query has no such literal (a regex, a CQL token, `*`).
    pub fn literals(&self) -> Option<Vec<String>> {
        let mut out = Vec::new();
        for alt in &self.alternatives {
            let best = alt
                .iter()
                .filter_map(|i| match i {
                    Item::Token(TokenTest::Exact(s)) => Some(s.clone()),
                    _ => None,
                })
                .max_by_key(|s| s.len())?;
            if best.is_empty() {
                return None;
            }
            out.push(best);
        }
        Some(out)
    }

    /// The terms of a query whose every alternative is one word matched
    /// on the normalized term (`China`, `China|Tiongkok`): a token matches
    /// exactly when its term is one of them. `None` for any other query
    /// (case-sensitive, a pattern, a sequence, a CQL token).
    pub fn single_terms(&self) -> Option<Vec<&str>> {
        if self.case_sensitive {
            return None;
        }
        self.alternatives
            .iter()
            .map(|alt| match alt.as_slice() {
                [Item::Token(TokenTest::Exact(s))] => Some(s.as_str()),
                _ => None,
            })
            .collect()
    }

    /// Whether token `v` passes `test`.
    pub fn test(&self, test: &TokenTest, v: TokenView) -> bool {
        let key = if self.case_sensitive { v.surface } else { v.term };
        match test {
            TokenTest::Exact(s) => key == s,
            TokenTest::Pattern(re) => re.is_match(key),
            TokenTest::Any => true,
            TokenTest::Cql(attrs) => attrs.iter().all(|(a, re)| match a {
                Attr::Word => re.is_match(v.surface),
                Attr::Lower => re.is_match(&v.surface.to_lowercase()),
                Attr::Norm => re.is_match(v.term),
                Attr::Class => re.is_match(v.class),
                Attr::Lemma(of) => of.matches(v.term, re),
            }),
            TokenTest::Lemma(want, of) => of.is(v.term, want),
        }
    }

    /// The matches starting at token `i` of `tokens` (which must not cross
    /// a sentence start after `i`): the end (exclusive) of the shortest
    /// match of the first alternative that matches, if any.
    pub fn match_at(
        &self,
        tokens: &[TokenView],
        sentence_start: &[bool],
        i: usize,
    ) -> Option<usize> {
        self.match_with(&|k| tokens[k], tokens.len(), sentence_start, i)
    }

    /// [`Query::match_at`] over `len` tokens whose views `view` gives.
    fn match_with<'a>(
        &self,
        view: &dyn Fn(usize) -> TokenView<'a>,
        len: usize,
        starts: &[bool],
        i: usize,
    ) -> Option<usize> {
        let seq = Seq { view, len, starts, first: i };
        self.alternatives.iter().find_map(|alt| self.match_seq(alt, &seq, i))
    }

    /// The end of a match of `items` from token `i` on, in `seq`.
    fn match_seq(
        &self,
        items: &[Item],
        seq: &Seq<'_, '_>,
        i: usize,
    ) -> Option<usize> {
        let Some((item, rest)) = items.split_first() else { return Some(i) };
        let (len, starts, first) = (seq.len, seq.starts, seq.first);
        match item {
            Item::Token(t) => {
                if i >= len
                    || (i > first && starts[i])
                    || !self.test(t, (seq.view)(i))
                {
                    return None;
                }
                self.match_seq(rest, seq, i + 1)
            }
            Item::Gap(min, max) => {
                for k in *min..=*max {
                    let j = i + k;
                    if j > len
                        || (k > 0 && (i..j).any(|x| x > first && starts[x]))
                    {
                        break;
                    }
                    if let Some(end) = self.match_seq(rest, seq, j) {
                        return Some(end);
                    }
                }
                None
            }
        }
    }

    /// The terms (surfaces when case-sensitive) one of which every match
    /// starts with, when each alternative starts with a plain word: a
    /// token with another term starts no match.
    fn first_terms(&self) -> Option<Vec<&str>> {
        self.alternatives
            .iter()
            .map(|alt| match alt.first() {
                Some(Item::Token(TokenTest::Exact(s))) => Some(s.as_str()),
                _ => None,
            })
            .collect()
    }
}

/// A document's counted tokens and their terms, ready for matching.
#[derive(Debug, Default)]
pub struct DocTokens {
    /// The counted tokens, in text order.
    pub tokens: Vec<Token>,
    /// Their terms.
    pub terms: Keys,
    starts: Vec<bool>,
}

impl DocTokens {
    /// Analyzes `text` (the full token list stays in `scratch.tokens`).
    pub fn analyze(
        an: &Analyzer,
        text: &str,
        scratch: &mut Scratch,
    ) -> DocTokens {
        let mut d = DocTokens::default();
        d.reanalyze(an, text, scratch);
        d
    }

    /// Analyzes `text` into this value, reusing its buffers.
    pub fn reanalyze(
        &mut self,
        an: &Analyzer,
        text: &str,
        scratch: &mut Scratch,
    ) {
        self.tokens.clear();
        self.terms.clear();
        self.starts.clear();
        an.analyze(text, scratch, |tok, term| {
            self.tokens.push(*tok);
            self.terms.push(term);
            self.starts.push(tok.sentence_start);
        });
    }

    /// The term of token `i`.
    pub fn term(&self, i: usize) -> &str {
        self.terms.get(i)
    }

    /// Every match of `query`: (first token, end token exclusive), one
    /// per start position, in text order.
    pub fn matches(&self, query: &Query, text: &str) -> Vec<(usize, usize)> {
        let view = |i: usize| {
            let t = &self.tokens[i];
            TokenView {
                surface: &text[t.start..t.end],
                term: self.term(i),
                class: t.class.name(),
            }
        };
        let len = self.tokens.len();
        // Most queries start with a word: positions whose term is not one
        // of the first words are passed over without building a view.
        let first = query.first_terms();
        let key = |i: usize| {
            if query.case_sensitive {
                let t = &self.tokens[i];
                &text[t.start..t.end]
            } else {
                self.term(i)
            }
        };
        (0..len)
            .filter(|&i| first.as_ref().is_none_or(|f| f.contains(&key(i))))
            .filter_map(|i| {
                query.match_with(&view, len, &self.starts, i).map(|e| (i, e))
            })
            .collect()
    }

    /// Whether token `i` starts a sentence.
    pub fn starts_sentence(&self, i: usize) -> bool {
        self.starts[i]
    }
}

struct Parser<'a> {
    src: &'a str,
    pos: usize,
    an: &'a Analyzer,
    case_sensitive: bool,
}

impl Parser<'_> {
    fn err(&self, message: &str) -> QueryError {
        QueryError { pos: self.pos, message: message.to_string() }
    }

    fn peek(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += self.peek().map_or(0, char::len_utf8);
        }
    }

    fn eat(&mut self, c: char) -> bool {
        self.skip_ws();
        if self.peek() == Some(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }

    fn sequence(&mut self) -> Result<Vec<Item>, QueryError> {
        let mut items = Vec::new();
        loop {
            self.skip_ws();
            match self.peek() {
                None | Some('|') => break,
                Some('"') => self.phrase(&mut items)?,
                Some('/') => items.push(Item::Token(self.regex()?)),
                Some('[') => items.push(Item::Token(self.cql()?)),
                Some(_) => items.push(self.word()?),
            }
        }
        if items.is_empty() {
            return Err(self.err(
                "expected a word, a \"phrase\", a /regex/ or a [cql] token",
            ));
        }
        Ok(items)
    }

    fn phrase(&mut self, items: &mut Vec<Item>) -> Result<(), QueryError> {
        let open = self.pos;
        self.pos += 1;
        let Some(len) = self.src[self.pos..].find('"') else {
            self.pos = open;
            return Err(self.err("unclosed quote"));
        };
        let inner_start = self.pos;
        let inner = &self.src[inner_start..inner_start + len];
        self.pos = inner_start + len + 1;
        let mut any = false;
        for (off, w) in split_words(inner) {
            let save = self.pos;
            self.pos = inner_start + off;
            items.push(self.word_item(w)?);
            self.pos = save;
            any = true;
        }
        if !any {
            self.pos = open;
            return Err(self.err("empty phrase"));
        }
        Ok(())
    }

    fn regex(&mut self) -> Result<TokenTest, QueryError> {
        let open = self.pos;
        self.pos += 1;
        let mut end = None;
        let bytes = self.src.as_bytes();
        let mut k = self.pos;
        while k < bytes.len() {
            if bytes[k] == b'\\' {
                k += 2;
                continue;
            }
            if bytes[k] == b'/' {
                end = Some(k);
                break;
            }
            k += 1;
        }
        let Some(end) = end else {
            self.pos = open;
            return Err(self.err("unclosed /regex/"));
        };
        let body = &self.src[self.pos..end];
        let re = self.compile(body, open + 1)?;
        self.pos = end + 1;
        Ok(TokenTest::Pattern(re))
    }

    fn compile(&self, body: &str, at: usize) -> Result<Regex, QueryError> {
        let flags = if self.case_sensitive { "" } else { "(?i)" };
        bounded_regex(&format!("{flags}^(?:{body})$")).map_err(|e| {
            QueryError {
                pos: at,
                message: format!(
                    "bad regular expression: {}",
                    e.to_string().lines().last().unwrap_or("")
                ),
            }
        })
    }

    fn cql(&mut self) -> Result<TokenTest, QueryError> {
        let open = self.pos;
        self.pos += 1;
        let mut attrs = Vec::new();
        loop {
            self.skip_ws();
            match self.peek() {
                Some(']') => {
                    self.pos += 1;
                    break;
                }
                None => {
                    self.pos = open;
                    return Err(self.err("unclosed [ ... ]"));
                }
                _ => {}
            }
            let name_start = self.pos;
            while self.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
                self.pos += 1;
            }
            let attr = match &self.src[name_start..self.pos] {
                "word" => Attr::Word,
                "lower" => Attr::Lower,
                "norm" => Attr::Norm,
                "class" => Attr::Class,
                "lemma" => Attr::Lemma(LemmaOf::of(self.an)),
                _ => {
                    self.pos = name_start;
                    return Err(self.err(
                        "unknown attribute (known: word, lower, norm, class, lemma)",
                    ));
                }
            };
            if !self.eat('=') {
                return Err(self.err("expected ="));
            }
            self.skip_ws();
            if self.peek() != Some('"') {
                return Err(
                    self.err("expected a \"quoted\" regular expression")
                );
            }
            let q = self.pos;
            let Some(len) = self.src[q + 1..].find('"') else {
                return Err(self.err("unclosed quote"));
            };
            let body = &self.src[q + 1..q + 1 + len];
            // CQL attributes are case-sensitive as written, except `lower`.
            let re = bounded_regex(&format!("^(?:{body})$")).map_err(|e| {
                QueryError {
                    pos: q + 1,
                    message: format!(
                        "bad regular expression: {}",
                        e.to_string().lines().last().unwrap_or("")
                    ),
                }
            })?;
            attrs.push((attr, re));
            self.pos = q + 2 + len;
        }
        if attrs.is_empty() {
            self.pos = open;
            return Err(self.err("empty [ ]"));
        }
        Ok(TokenTest::Cql(attrs))
    }

    fn word(&mut self) -> Result<Item, QueryError> {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|c| !c.is_whitespace() && c != '|' && c != '"')
        {
            self.pos += self.peek().map_or(0, char::len_utf8);
        }
        let w = &self.src[start..self.pos];
        let save = self.pos;
        self.pos = start;
        let item = self.word_item(w)?;
        self.pos = save;
        Ok(item)
    }

    /// A word of the query: a gap, a wildcard pattern or an exact term.
    fn word_item(&mut self, w: &str) -> Result<Item, QueryError> {
        if w == "*" {
            return Ok(Item::Gap(1, 1));
        }
        if let Some(range) =
            w.strip_prefix("*{").and_then(|r| r.strip_suffix('}'))
        {
            let (a, b) = range.split_once(',').unwrap_or((range, range));
            let (Ok(min), Ok(max)) =
                (a.trim().parse::<usize>(), b.trim().parse::<usize>())
            else {
                return Err(self.err("a gap is *{min,max} with whole numbers"));
            };
            if min > max || max > MAX_GAP {
                return Err(self.err("a gap needs min <= max <= 20"));
            }
            return Ok(Item::Gap(min, max));
        }
        if let Some(lemma) = w.strip_prefix("lemma:") {
            if lemma.is_empty() {
                return Err(self.err("lemma: needs a lemma (lemma:dukung)"));
            }
            let mut norm = String::new();
            crate::normalize::normalize_into(
                lemma,
                &self.an.normalize,
                &mut norm,
            );
            return Ok(Item::Token(TokenTest::Lemma(
                norm,
                LemmaOf::of(self.an),
            )));
        }
        if w.contains(['*', '?']) {
            let mut re = String::new();
            for chunk in split_keep(w) {
                match chunk {
                    "*" => re.push_str(".*"),
                    "?" => re.push('.'),
                    lit => re.push_str(&regex::escape(&self.norm(lit))),
                }
            }
            let at = self.pos;
            return Ok(Item::Token(TokenTest::Pattern(
                self.compile(&re, at)?,
            )));
        }
        Ok(Item::Token(TokenTest::Exact(self.norm(w))))
    }

    /// A literal as the corpus's terms are written.
    fn norm(&self, lit: &str) -> String {
        if self.case_sensitive {
            unicode_normalization::UnicodeNormalization::nfc(lit).collect()
        } else {
            self.an.term_of(lit)
        }
    }
}

/// Words of a phrase with their byte offsets.
fn split_words(s: &str) -> impl Iterator<Item = (usize, &str)> {
    s.split_whitespace()
        .map(move |w| (w.as_ptr() as usize - s.as_ptr() as usize, w))
}

/// Splits a wildcard word into literal chunks and single `*`, `?`.
fn split_keep(w: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut last = 0;
    for (i, c) in w.char_indices() {
        if c == '*' || c == '?' {
            if i > last {
                out.push(&w[last..i]);
            }
            out.push(&w[i..i + 1]);
            last = i + 1;
        }
    }
    if last < w.len() {
        out.push(&w[last..]);
    }
    out
}

/// The most memory a compiled regular expression may take: 1 MiB. A
/// pattern larger than that (`(a{1000}){1000}`, say) is refused with a
/// clear error instead of eating memory.
pub const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// Compiles `pattern` with the `regex` crate, whose matching takes time
/// linear in the text (no backtracking, so no pathological pattern
/// hangs), under [`REGEX_SIZE_LIMIT`].
pub fn bounded_regex(pattern: &str) -> Result<Regex, regex::Error> {
    regex::RegexBuilder::new(pattern)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(8 * REGEX_SIZE_LIMIT)
        .build()
}

/// The tokens a match is sought in: `len` tokens whose views `view`
/// gives, the sentence starts, and the token the match starts at (no
/// match crosses a sentence start after it).
struct Seq<'v, 'a> {
    view: &'v dyn Fn(usize) -> TokenView<'a>,
    len: usize,
    starts: &'v [bool],
    first: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view<'a>(words: &'a [(&'a str, &'a str)]) -> Vec<TokenView<'a>> {
        words
            .iter()
            .map(|(s, t)| TokenView { surface: s, term: t, class: "word" })
            .collect()
    }

    fn matches(q: &str, text: &[&str]) -> Vec<(usize, usize)> {
        let an = Analyzer::default();
        let query = Query::parse(q, &an, false).unwrap();
        let pairs: Vec<(String, String)> =
            text.iter().map(|s| (s.to_string(), an.term_of(s))).collect();
        let refs: Vec<(&str, &str)> =
            pairs.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let toks = view(&refs);
        let starts: Vec<bool> =
            text.iter().map(|s| s.starts_with('^')).collect();
        (0..toks.len())
            .filter_map(|i| query.match_at(&toks, &starts, i).map(|e| (i, e)))
            .collect()
    }

    #[test]
    fn query_table() {
        let text = [
            "Presiden", "Tiongkok", "Xi", "dan", "Presiden", "China", "Xi",
            "Jinping", "Cina",
        ];
        let rows: &[(&str, &[(usize, usize)])] = &[
            ("tiongkok", &[(1, 2)]),
            ("TIONGKOK", &[(1, 2)]),
            ("Tiong*", &[(1, 2)]),
            ("?ina", &[(8, 9)]),
            ("*ina", &[(5, 6), (8, 9)]),
            ("Tiongkok|China|Cina", &[(1, 2), (5, 6), (8, 9)]),
            ("/^(tiong|chi).*/", &[(1, 2), (5, 6)]),
            ("\"Presiden China\"", &[(4, 6)]),
            ("Presiden * Xi", &[(0, 3), (4, 7)]),
            ("Presiden *{0,3} Jinping", &[(4, 8)]),
            ("Presiden *{0,1} Jinping", &[]),
            ("[norm=\"xi\"] [word=\"J.*\"]", &[(6, 8)]),
            ("[class=\"word\" norm=\"dan\"]", &[(3, 4)]),
            ("\"Xi Jinping\"|Cina", &[(6, 8), (8, 9)]),
        ];
        for (q, want) in rows {
            assert_eq!(matches(q, &text), *want, "query {q}");
        }
    }

    /// Lemma queries find every form, on word terms (lemmatized when
    /// tested) and on the lemma terms of `--unit lemma` alike.
    #[test]
    fn lemma_queries_find_every_form() {
        let text = [
            "Mendukung",
            "dukungan",
            "didukung",
            "pendukungnya",
            "menulis",
            "tulisan",
            "dukung",
        ];
        let rows: &[(&str, &[(usize, usize)])] = &[
            ("lemma:dukung", &[(0, 1), (1, 2), (2, 3), (3, 4), (6, 7)]),
            ("lemma:tulis", &[(4, 5), (5, 6)]),
            (
                "[lemma=\"tulis|dukung\" word=\"d.*\"]",
                &[(1, 2), (2, 3), (6, 7)],
            ),
            ("lemma:tulis lemma:tulis", &[(4, 6)]),
            ("dukung", &[(6, 7)]),
        ];
        for unit in [Unit::Word, Unit::Lemma] {
            let an = Analyzer { unit, ..Analyzer::default() };
            for (q, want) in rows {
                // `dukung` alone is a word on words, a lemma on lemmas.
                let want: Vec<(usize, usize)> = match (unit, *q) {
                    (Unit::Lemma, "dukung") => {
                        [0, 1, 2, 3, 6].iter().map(|&i| (i, i + 1)).collect()
                    }
                    _ => want.to_vec(),
                };
                let query = Query::parse(q, &an, false).unwrap();
                let pairs: Vec<(String, String)> = text
                    .iter()
                    .map(|s| (s.to_string(), an.term_of(s)))
                    .collect();
                let refs: Vec<(&str, &str)> = pairs
                    .iter()
                    .map(|(a, b)| (a.as_str(), b.as_str()))
                    .collect();
                let toks = view(&refs);
                let starts = vec![false; toks.len()];
                let got: Vec<_> = (0..toks.len())
                    .filter_map(|i| {
                        query.match_at(&toks, &starts, i).map(|e| (i, e))
                    })
                    .collect();
                assert_eq!(got, want, "query {q} on {unit:?}");
            }
        }
        let an = Analyzer::default();
        assert!(Query::parse("lemma:", &an, false).is_err());
        assert!(
            Query::parse("lemma:x", &an, false).unwrap().literals().is_none()
        );
    }

    #[test]
    fn matches_stop_at_sentence_starts() {
        assert_eq!(
            matches("\"Korea Utara\"", &["Korea", "^Utara", "Korea", "Utara"]),
            [(2, 4)]
        );
        assert_eq!(matches("Korea * Utara", &["Korea", "^x", "Utara"]), []);
    }

    #[test]
    fn errors_point_at_the_position() {
        let an = Analyzer::default();
        let rows = [
            ("/tiong(/", 1, "bad regular expression"),
            ("\"Korea Utara", 0, "unclosed quote"),
            ("Presiden *{3,1} Xi", 9, "min <= max"),
            ("[pos=\"N\"]", 1, "unknown attribute"),
            ("* Xi", 0, "must stand between"),
            ("a |", 3, "expected a word"),
            ("", 0, "expected a word"),
        ];
        for (q, pos, msg) in rows {
            let e = Query::parse(q, &an, false).unwrap_err();
            assert_eq!(e.pos, pos, "{q}: {e:?}");
            assert!(e.message.contains(msg), "{q}: {}", e.message);
        }
        let e = Query::parse("/tiong(/", &an, false).unwrap_err();
        assert!(e.render("/tiong(/").ends_with("\n  /tiong(/\n   ^"));
    }

    #[test]
    fn literals_for_the_prefilter() {
        let an = Analyzer::default();
        let lits = |q: &str| Query::parse(q, &an, false).unwrap().literals();
        assert_eq!(
            lits("Tiongkok|China"),
            Some(vec!["tiongkok".to_string(), "china".to_string()])
        );
        assert_eq!(lits("\"Korea Utara\""), Some(vec!["utara".to_string()]));
        assert_eq!(lits("Presiden * Xi"), Some(vec!["presiden".to_string()]));
        assert_eq!(lits("Tiong*"), None);
        assert_eq!(lits("/tiong.*/"), None);
        assert_eq!(lits("Tiongkok|/chi.*/"), None);
    }

    #[test]
    fn doc_matches_equal_every_position_tested() {
        // `DocTokens::matches` passes over positions whose term is not a
        // first word of the query; it must find what testing every
        // position finds, case-sensitive or not.
        let text = "Presiden Tiongkok Xi bertemu presiden china. China dan \
                    TIONGKOK, juga Cina; Korea Utara dan korea utara.";
        let an = Analyzer::default();
        let mut scratch = Scratch::default();
        let d = DocTokens::analyze(&an, text, &mut scratch);
        for case_sensitive in [false, true] {
            for q in [
                "Tiongkok",
                "china|Tiongkok",
                "\"Korea Utara\"",
                "presiden * Xi",
                "Presiden *{0,3} china",
                "/^chi.*/|Cina",
                "[word=\"T.*\"]",
                "Tiong*",
                "China|/^korea$/",
            ] {
                let query = Query::parse(q, &an, case_sensitive).unwrap();
                let views: Vec<TokenView> = (0..d.tokens.len())
                    .map(|i| TokenView {
                        surface: &text[d.tokens[i].start..d.tokens[i].end],
                        term: d.term(i),
                        class: d.tokens[i].class.name(),
                    })
                    .collect();
                let want: Vec<(usize, usize)> = (0..views.len())
                    .filter_map(|i| {
                        query.match_at(&views, &d.starts, i).map(|e| (i, e))
                    })
                    .collect();
                assert!(!want.is_empty() || case_sensitive, "{q}");
                assert_eq!(
                    d.matches(&query, text),
                    want,
                    "{q} {case_sensitive}"
                );
            }
        }
    }
}
