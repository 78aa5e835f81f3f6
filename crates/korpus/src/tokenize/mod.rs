//! The tokenizer: text in, tokens with byte spans and classes out.
//!
//! Built for Indonesian online news and correct for other languages. A
//! token is a byte span into the original text plus a [`TokenClass`]; the
//! counted form (the term) comes from [`crate::normalize`]. The rules:
//!
//! - **Words** are runs of letters, marks and digits. Inside a word an
//!   apostrophe (`Jum'at`), a period before a letter (`detik.com`, `U.S`)
//!   and a soft hyphen stay in the word. English contractions are split as
//!   the UD English treebanks do: `don't` is `do` + `n't`, `John's` is
//!   `John` + `'s`.
//! - **Hyphens** follow a policy ([`HyphenPolicy`], module [`hyphen`]).
//!   The default, `auto`, keeps reduplication whole (`negara-negara`,
//!   `sayur-mayur`, `bolak-balik`, `tembak-menembak`), and affixed or
//!   abbreviated forms (`ke-4`, `1960-an`, `non-migas`, `APBN-P`,
//!   `COVID-19`), but splits compounds of two different words into their
//!   parts and the hyphen (`DPRK-Tiongkok` is `DPRK`, `-`, `Tiongkok`), so
//!   counting or querying `Tiongkok` reaches the part inside the compound.
//! - **Numbers** keep their internal separators: `1.000,50`, `06/09/2025`,
//!   `09:05`, `4,5` (the `%` after it is a symbol token, as in UD).
//! - **Abbreviations** keep their period (`dll.`, `a.n.`, `U.S.`, `Prof.`;
//!   list in [`abbrev`]) and so do not end a sentence.
//! - **URLs** (`http://`, `https://`, `www.`), **emails**, **@mentions**,
//!   **#hashtags** and **emoji** sequences are single tokens of their own
//!   class.
//! - **Clitics** `-nya -lah -kah -pun -ku -mu` and `kau-` stay on the word
//!   unless [`TokenizerOptions::split_clitics`] is set (module [`clitics`]).
//! - **Sentences** end after `.`, `!`, `?`, `…` (plus any closing quote or
//!   bracket written right after them) and at a blank line. Each token
//!   records whether it starts a sentence.
//!
//! HTML entities are read as the character they stand for (`&#8217;` is an
//! apostrophe, `&nbsp;` a space) while spans stay on the original bytes.

pub mod abbrev;
pub mod clitics;
pub mod hyphen;

use unicode_properties::{
    GeneralCategoryGroup, UnicodeEmoji, UnicodeGeneralCategory,
};

use crate::normalize::{is_ignorable, is_separator, unit_at};
use crate::swar::{non_word_bytes, run_end};
pub use hyphen::HyphenPolicy;

/// What kind of token a span holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TokenClass {
    /// Letters (with digits, marks, internal apostrophes or hyphens).
    Word,
    /// Digits with internal `.`, `,`, `:` or `/`.
    Number,
    /// Punctuation (Unicode general category P).
    Punct,
    /// Symbols (Unicode general category S, and anything else).
    Symbol,
    /// A web address.
    Url,
    /// An email address.
    Email,
    /// A `#hashtag`.
    Hashtag,
    /// An `@mention`.
    Mention,
    /// An emoji, with its modifiers and joiners.
    Emoji,
}

impl TokenClass {
    /// Every class, in a fixed order.
    pub const ALL: [TokenClass; 9] = [
        TokenClass::Word,
        TokenClass::Number,
        TokenClass::Punct,
        TokenClass::Symbol,
        TokenClass::Url,
        TokenClass::Email,
        TokenClass::Hashtag,
        TokenClass::Mention,
        TokenClass::Emoji,
    ];

    /// The class's name as written on the command line and in output.
    pub fn name(self) -> &'static str {
        match self {
            TokenClass::Word => "word",
            TokenClass::Number => "number",
            TokenClass::Punct => "punct",
            TokenClass::Symbol => "symbol",
            TokenClass::Url => "url",
            TokenClass::Email => "email",
            TokenClass::Hashtag => "hashtag",
            TokenClass::Mention => "mention",
            TokenClass::Emoji => "emoji",
        }
    }

    /// The class named `name`, if any.
    pub fn from_name(name: &str) -> Option<TokenClass> {
        TokenClass::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// One token: a byte span of the original text and its class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// The token's class.
    pub class: TokenClass,
    /// Whether this token starts a sentence.
    pub sentence_start: bool,
}

/// Options of the tokenizer. `Default` gives korpus's defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenizerOptions {
    /// How hyphenated forms are tokenized.
    pub hyphens: HyphenPolicy,
    /// Split the Indonesian clitics into tokens of their own.
    pub split_clitics: bool,
    /// Read HTML entities as the characters they stand for.
    pub decode_entities: bool,
    /// Use the ASCII fast path (only switched off by tests, to check it
    /// against the general path).
    pub ascii_fast_path: bool,
}

impl Default for TokenizerOptions {
    fn default() -> Self {
        TokenizerOptions {
            hyphens: HyphenPolicy::Auto,
            split_clitics: false,
            decode_entities: true,
            ascii_fast_path: true,
        }
    }
}

/// Tokenizes `text` into `out` (cleared first; its capacity is reused).
pub fn tokenize(text: &str, opts: &TokenizerOptions, out: &mut Vec<Token>) {
    tokenize_span(text, 0, text.len(), opts, out);
}

/// Tokenizes the bytes `start..end` of `text` into `out` (cleared first),
/// where `start` and `end` are at the text's ends or next to a byte of
/// ASCII white space or control (0x00 to 0x20), which no token holds:
/// the tokens are those of [`tokenize`] on the whole text that lie in the
/// span, but for their `sentence_start` flags (the span's first token
/// starts a sentence). Their offsets are in `text`.
///
/// Returns whether the tokens depend on the span's bytes alone, so that
/// the same bytes elsewhere give the same tokens: they do unless the span
/// ends with one capital letter and a period, which is an initial (and
/// keeps its period) only when a capitalized word follows (`J. Smith`).
pub fn tokenize_span(
    text: &str,
    start: usize,
    end: usize,
    opts: &TokenizerOptions,
    out: &mut Vec<Token>,
) -> bool {
    debug_assert!(start == 0 || text.as_bytes()[start - 1] <= b' ');
    debug_assert!(end == text.len() || text.as_bytes()[end] <= b' ');
    out.clear();
    let mut sc = Scanner {
        text,
        limit: end,
        looked_past: std::cell::Cell::new(false),
        opts,
        out,
        parts: Vec::new(),
        new_sentence: true,
        after_final: false,
    };
    sc.run(start);
    !sc.looked_past.get()
}

/// Tokenizes `text` into a new vector (a convenience for tests).
pub fn tokens(text: &str, opts: &TokenizerOptions) -> Vec<Token> {
    let mut out = Vec::new();
    tokenize(text, opts, &mut out);
    out
}

struct Scanner<'a> {
    text: &'a str,
    /// Where scanning stops (a token never reaches past it).
    limit: usize,
    /// A rule read the text at or past `limit`.
    looked_past: std::cell::Cell<bool>,
    opts: &'a TokenizerOptions,
    out: &'a mut Vec<Token>,
    /// Spans of the hyphen-joined parts of the word being scanned.
    parts: Vec<(usize, usize)>,
    /// The next token starts a sentence.
    new_sentence: bool,
    /// The last token ended a sentence (closing quotes may follow).
    after_final: bool,
}

impl Scanner<'_> {
    fn run(&mut self, start: usize) {
        let bytes = self.text.as_bytes();
        let fast = self.opts.ascii_fast_path;
        let mut i = start;
        let mut newlines = 0;
        while i < self.limit {
            let b = bytes[i];
            // ASCII fast paths: white space and control bytes; a word
            // that cannot start a URL (those start with h or w).
            if fast && b < 0x80 {
                if b <= b' ' || b == 0x7F {
                    if b == b'\n' {
                        newlines += 1;
                        if newlines >= 2 {
                            self.new_sentence = true;
                        }
                    }
                    i += 1;
                    continue;
                }
                if b.is_ascii_alphanumeric()
                    && !matches!(b | 0x20, b'h' | b'w')
                {
                    newlines = 0;
                    i = self.word_at(i);
                    continue;
                }
            }
            let (c, l) = self.unit(i);
            if is_separator(c) || is_ignorable(c) {
                if c == '\n' {
                    newlines += 1;
                    if newlines >= 2 {
                        self.new_sentence = true;
                    }
                }
                i += l;
                continue;
            }
            newlines = 0;
            i = self.token_at(i, c, l);
        }
    }

    #[inline]
    fn unit(&self, i: usize) -> (char, usize) {
        unit_at(self.text, i, self.opts.decode_entities)
    }

    /// The unit at `i`, or `None` at the end of the text.
    #[inline]
    fn peek(&self, i: usize) -> Option<(char, usize)> {
        (i < self.text.len()).then(|| self.unit(i))
    }

    #[inline]
    fn is_word_char(&self, c: char) -> bool {
        if self.opts.ascii_fast_path && c.is_ascii() {
            c.is_ascii_alphanumeric() || c == '_'
        } else {
            general_is_word_char(c)
        }
    }

    fn push(&mut self, start: usize, end: usize, class: TokenClass) {
        let closing = self.after_final
            && self.out.last().is_some_and(|t| t.end == start)
            && self.text[start..end].chars().all(is_closing);
        if self.after_final && !closing {
            self.new_sentence = true;
            self.after_final = false;
        }
        self.out.push(Token {
            start,
            end,
            class,
            sentence_start: self.new_sentence,
        });
        self.new_sentence = false;
        if class == TokenClass::Punct
            && self.text[start..end].chars().all(is_sentence_final)
        {
            self.after_final = true;
        }
    }

    /// Scans the token(s) starting at `i` (whose unit is `c`, `l` bytes
    /// long) and returns the offset after them.
    fn token_at(&mut self, i: usize, c: char, l: usize) -> usize {
        if let Some(end) = self.url_at(i, c) {
            self.push(i, end, TokenClass::Url);
            return end;
        }
        if (c == '@' || c == '#')
            && let Some(end) = self.tag_at(i + l, c == '#')
        {
            let class = if c == '#' {
                TokenClass::Hashtag
            } else {
                TokenClass::Mention
            };
            self.push(i, end, class);
            return end;
        }
        if self.is_word_char(c) {
            return self.word_at(i);
        }
        if !c.is_ascii() && is_emoji_start(c) {
            let end = self.emoji_at(i + l);
            self.push(i, end, TokenClass::Emoji);
            return end;
        }
        // Punctuation or symbol; runs of some repeated marks are one
        // token ("...", "!!", "--").
        let mut end = i + l;
        if matches!(c, '.' | '!' | '?' | '-' | '=' | '*' | '_' | '~' | '`') {
            while let Some((d, dl)) = self.peek(end) {
                if d != c {
                    break;
                }
                end += dl;
            }
        }
        let class = if c.is_ascii() {
            if is_ascii_punct(c) {
                TokenClass::Punct
            } else {
                TokenClass::Symbol
            }
        } else if c.general_category_group()
            == GeneralCategoryGroup::Punctuation
        {
            TokenClass::Punct
        } else {
            TokenClass::Symbol
        };
        self.push(i, end, class);
        end
    }

    /// A URL starting at `i`, if any: its end.
    fn url_at(&self, i: usize, c: char) -> Option<usize> {
        if !matches!(c, 'h' | 'H' | 'w' | 'W') {
            return None;
        }
        let rest = &self.text.as_bytes()[i..];
        let starts = |p: &[u8]| {
            rest.len() > p.len() && rest[..p.len()].eq_ignore_ascii_case(p)
        };
        let prefix = if starts(b"https://") {
            8
        } else if starts(b"http://") {
            7
        } else if starts(b"www.") {
            4
        } else {
            return None;
        };
        if !rest[prefix].is_ascii_alphanumeric() {
            return None;
        }
        let mut end = i + prefix;
        while let Some((d, dl)) = self.peek(end) {
            if is_separator(d) || matches!(d, '<' | '>' | '"' | '“' | '”')
            {
                break;
            }
            end += dl;
        }
        // Trailing punctuation belongs to the sentence, not the URL; a
        // closing parenthesis stays when the URL opened one.
        let bytes = self.text.as_bytes();
        loop {
            let last = bytes[end - 1];
            let url = &self.text[i..end];
            let trim = match last {
                b'.' | b',' | b';' | b':' | b'!' | b'?' | b'\'' => true,
                b')' => url.matches('(').count() < url.matches(')').count(),
                b']' => url.matches('[').count() < url.matches(']').count(),
                _ => false,
            };
            if !trim || end - i <= prefix + 1 {
                break;
            }
            end -= 1;
        }
        Some(end)
    }

    /// The end of a `#hashtag` or `@mention` whose body starts at `i`.
    fn tag_at(&self, i: usize, hashtag: bool) -> Option<usize> {
        let mut end = i;
        let mut letters = false;
        while let Some((d, dl)) = self.peek(end) {
            let ok = if hashtag {
                self.is_word_char(d)
            } else {
                d.is_ascii_alphanumeric() || d == '_' || (d == '.' && end > i)
            };
            if !ok {
                break;
            }
            letters |= d.is_alphabetic() || d == '_';
            end += dl;
        }
        while end > i && self.text.as_bytes()[end - 1] == b'.' {
            end -= 1;
        }
        (end > i && letters).then_some(end)
    }

    /// The end of an emoji sequence whose first character ends at `i`.
    fn emoji_at(&self, mut i: usize) -> usize {
        while let Some((d, dl)) = self.peek(i) {
            let joined = d == '\u{200D}'
                || d == '\u{FE0F}'
                || d == '\u{20E3}'
                || ('\u{1F3FB}'..='\u{1F3FF}').contains(&d)
                || ('\u{E0020}'..='\u{E007F}').contains(&d)
                || (is_regional(d));
            let after_zwj = self.text[..i].ends_with('\u{200D}')
                && !d.is_ascii()
                && is_emoji_start(d);
            if !(joined || after_zwj) {
                break;
            }
            i += dl;
        }
        i
    }

    /// One run of word characters starting at `i`; digits keep internal
    /// `.`, `,`, `:` and `/` before another digit.
    fn part_end(&self, mut i: usize) -> usize {
        let bytes = self.text.as_bytes();
        let mut last_digit = false;
        loop {
            if self.opts.ascii_fast_path {
                let start = i;
                i = ascii_word_end(bytes, i);
                if i > start {
                    last_digit = bytes[i - 1].is_ascii_digit();
                }
                // Any other ASCII byte ends the part (ignorables are not
                // ASCII), unless it joins digits or may start an entity
                // that spells a letter (`&#107;`, decoded by `peek`): the
                // usual case, without decoding a character.
                match bytes.get(i) {
                    None => break,
                    Some(&b)
                        if b < 0x80
                            && b != b'&'
                            && !(last_digit
                                && matches!(b, b'.' | b',' | b':' | b'/')) =>
                    {
                        break;
                    }
                    _ => {}
                }
            }
            let Some((d, dl)) = self.peek(i) else { break };
            if self.is_word_char(d)
                || (is_ignorable(d) && self.word_follows_ignorables(i + dl))
            {
                last_digit = d.is_ascii_digit();
                i += dl;
                continue;
            }
            if last_digit
                && matches!(d, '.' | ',' | ':' | '/')
                && self.peek(i + dl).is_some_and(|(e, _)| e.is_ascii_digit())
            {
                i += dl;
                continue;
            }
            break;
        }
        i
    }

    fn word_follows(&self, i: usize) -> bool {
        self.peek(i).is_some_and(|(d, _)| self.is_word_char(d))
    }

    /// Whether a word character follows `i`, past any ignorables (so a
    /// run of them inside a word joins it as one does).
    fn word_follows_ignorables(&self, mut i: usize) -> bool {
        while let Some((d, dl)) = self.peek(i) {
            if !is_ignorable(d) {
                return self.is_word_char(d);
            }
            i += dl;
        }
        false
    }

    fn letter_follows(&self, i: usize) -> bool {
        self.peek(i).is_some_and(|(d, _)| d.is_alphabetic())
    }

    /// Scans a word (or number, or email) starting at `i`, pushes its
    /// token(s) and returns the offset after them.
    fn word_at(&mut self, start: usize) -> usize {
        let mut i = self.part_end(start);
        if i == start {
            // Never: the unit at `start` is a word character. Should a
            // change break that, take one unit rather than loop forever.
            i += self.unit(start).1;
        }
        // Fast path: a word followed by an ASCII byte that cannot
        // continue it (space, comma, ...): one token.
        if let Some(&b) = self.text.as_bytes().get(i) {
            if b < 0x80
                && !matches!(b, b'-' | b'\'' | b'.' | b'&' | b'/' | b'@')
            {
                self.push_word(start, i);
                return i;
            }
        } else {
            self.push_word(start, i);
            return i;
        }
        let mut parts = std::mem::take(&mut self.parts);
        parts.clear();
        let mut part_start = start;
        // The span of a contraction suffix (`'s`, `n't`), if any.
        let mut contraction: Option<(usize, usize)> = None;
        while let Some((c, l)) = self.peek(i) {
            if is_hyphen(c) && self.word_follows(i + l) {
                parts.push((part_start, i));
                part_start = i + l;
                i = self.part_end(i + l);
                continue;
            }
            if is_apostrophe(c) && self.letter_follows(i + l) {
                let suffix_end = self.part_end(i + l);
                let suffix = &self.text[i + l..suffix_end];
                let word = &self.text[part_start..i];
                let split = self.opts.split_clitics;
                if split
                    && is_contraction_suffix(suffix)
                    && word.chars().all(|d| d.is_alphabetic())
                {
                    contraction = Some((i, suffix_end));
                    break;
                }
                if split
                    && suffix.eq_ignore_ascii_case("t")
                    && word.len() > 1
                    && word.ends_with(['n', 'N'])
                {
                    contraction = Some((i - 1, suffix_end));
                    break;
                }
                i = suffix_end;
                continue;
            }
            if c == '.'
                && self.letter_follows(i + 1)
                && self.text[..i]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphabetic)
            {
                i = self.part_end(i + 1);
                continue;
            }
            if (c == '&' || c == '/') && self.word_follows(i + l) {
                let next_end = self.part_end(i + l);
                let left = &self.text[part_start..i];
                let right = &self.text[i + l..next_end];
                if joins_symbol(c, left, right) {
                    i = next_end;
                    continue;
                }
            }
            if c == '@'
                && let Some(end) = self.email_domain(i + 1)
            {
                self.push(start, end, TokenClass::Email);
                self.parts = parts;
                return end;
            }
            break;
        }
        let word_end = contraction.map_or(i, |(c, _)| c);
        let last_part_start = part_start.min(word_end);
        parts.push((last_part_start, word_end));
        // A trailing period joins an abbreviation.
        let mut end = word_end;
        if contraction.is_none()
            && self.text.as_bytes().get(end) == Some(&b'.')
            && abbrev::takes_period(&self.text[last_part_start..end], || {
                self.name_follows(end + 1)
            })
        {
            end += 1;
            parts.last_mut().expect("one part").1 = end;
        }
        self.push_parts(&parts);
        self.parts = parts;
        if let Some((c, suffix_end)) = contraction {
            self.push(c, suffix_end, TokenClass::Word);
            return suffix_end;
        }
        end
    }

    /// Whether the text at `i` is a space and then an uppercase letter
    /// (an initial such as `J.` before a surname).
    fn name_follows(&self, i: usize) -> bool {
        if i >= self.limit {
            self.looked_past.set(true);
        }
        let mut chars = self.text[i.min(self.text.len())..].chars();
        chars.next() == Some(' ')
            && chars.next().is_some_and(char::is_uppercase)
    }

    /// The end of an email domain starting at `i` (after the `@`): labels
    /// of letters, digits and hyphens with at least one period.
    fn email_domain(&self, i: usize) -> Option<usize> {
        let bytes = self.text.as_bytes();
        let mut end = i;
        let mut dots = 0;
        while end < bytes.len() {
            let b = bytes[end];
            if b.is_ascii_alphanumeric() || b == b'-' {
                end += 1;
            } else if b == b'.'
                && end > i
                && bytes.get(end + 1).is_some_and(u8::is_ascii_alphanumeric)
            {
                dots += 1;
                end += 1;
            } else {
                break;
            }
        }
        (dots > 0).then_some(end)
    }

    /// Pushes the hyphen-joined parts of one word, grouped by the hyphen
    /// policy: bound neighbours stay in one token, others are split with
    /// the hyphen as a punctuation token of its own.
    fn push_parts(&mut self, parts: &[(usize, usize)]) {
        let mut group_start = parts[0].0;
        for w in 0..parts.len() {
            let (_, end) = parts[w];
            let split = parts.get(w + 1).is_some_and(|&(next, next_end)| {
                !self.opts.hyphens.binds(
                    &self.text[parts[w].0..end],
                    &self.text[next..next_end],
                )
            });
            let last = w + 1 == parts.len();
            if split || last {
                self.push_word(group_start, end);
                if split {
                    let next = parts[w + 1].0;
                    self.push(end, next, TokenClass::Punct);
                    group_start = next;
                }
            }
        }
    }

    /// Pushes one word token, split into stem and clitics when asked.
    /// The currency sign `Rp` written against its amount (`Rp1.000`) is a
    /// token of its own, as in UD Indonesian.
    fn push_word(&mut self, mut start: usize, end: usize) {
        let word = &self.text[start..end];
        if word.len() > 2
            && (word.starts_with("Rp") || word.starts_with("RP"))
            && word.as_bytes()[2].is_ascii_digit()
        {
            self.push(start, start + 2, TokenClass::Word);
            start += 2;
        }
        let word = &self.text[start..end];
        let class = if word.bytes().next().is_some_and(|b| b.is_ascii_digit())
            && word.bytes().all(|b| {
                b.is_ascii_digit() || matches!(b, b'.' | b',' | b':' | b'/')
            }) {
            TokenClass::Number
        } else {
            TokenClass::Word
        };
        if self.opts.split_clitics && class == TokenClass::Word {
            let mut cuts = [0usize; 4];
            let n = clitics::split_points(word, &mut cuts);
            if n > 0 {
                let mut s = start;
                for &cut in &cuts[..n] {
                    self.push(s, start + cut, TokenClass::Word);
                    s = start + cut;
                }
                self.push(s, end, TokenClass::Word);
                return;
            }
        }
        self.push(start, end, class);
    }
}

/// The end of the run of ASCII word bytes (letters, digits, `_`) that
/// starts at `i`: eight bytes at a time while eight remain, then a byte
/// table ([`crate::swar::run_end`]).
#[inline]
fn ascii_word_end(bytes: &[u8], i: usize) -> usize {
    run_end(bytes, i, non_word_bytes, |b| WORD_BYTE[b as usize])
}

/// ASCII word bytes (letters, digits, `_`), as a table: one load per
/// byte.
const WORD_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 128 {
        t[b] = (b as u8).is_ascii_alphanumeric() || b == b'_' as usize;
        b += 1;
    }
    t
};

/// The general (non-ASCII-fast-path) test for a word character: letters,
/// marks, numbers and the connector `_`.
pub fn general_is_word_char(c: char) -> bool {
    matches!(
        c.general_category_group(),
        GeneralCategoryGroup::Letter
            | GeneralCategoryGroup::Mark
            | GeneralCategoryGroup::Number
    ) || c == '_'
}

fn is_ascii_punct(c: char) -> bool {
    c.is_ascii_punctuation()
        && !matches!(
            c,
            '$' | '%'
                | '&'
                | '*'
                | '+'
                | '<'
                | '='
                | '>'
                | '^'
                | '`'
                | '|'
                | '~'
                | '#'
                | '@'
        )
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ')
}

fn is_regional(c: char) -> bool {
    ('\u{1F1E6}'..='\u{1F1FF}').contains(&c)
}

fn is_emoji_start(c: char) -> bool {
    c.is_emoji_char()
        && matches!(c.general_category_group(), GeneralCategoryGroup::Symbol)
        || is_regional(c)
}

/// Whether `left` `c` `right` (no spaces) stays one token: `&` between
/// short letter groups (`AT&T`, `E&P`, `a&m`), `/` between uppercase or
/// numeric codes, the first one short (`I/2007`, `C/D`; not `4/China`).
fn joins_symbol(c: char, left: &str, right: &str) -> bool {
    let short = |s: &str| (1..=3).contains(&s.chars().count());
    match c {
        '&' => {
            short(left)
                && short(right)
                && left.chars().chain(right.chars()).all(char::is_alphabetic)
        }
        _ => {
            let code = |s: &str| {
                s.chars().all(|d| d.is_uppercase() || d.is_ascii_digit())
            };
            (1..=4).contains(&left.chars().count())
                && code(left)
                && code(right)
        }
    }
}

/// English contraction suffixes split off as in UD English (`'s`, `'re`,
/// `'ve`, `'ll`, `'d`, `'m`).
fn is_contraction_suffix(s: &str) -> bool {
    ["s", "re", "ve", "ll", "d", "m"].iter().any(|x| s.eq_ignore_ascii_case(x))
}

fn is_sentence_final(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…' | '。' | '！' | '？')
}

fn is_closing(c: char) -> bool {
    matches!(c, '"' | '\'' | '’' | '”' | ')' | ']' | '}' | '»')
}

#[cfg(test)]
mod tests;
