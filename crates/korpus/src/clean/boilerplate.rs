//! Boilerplate: lines that recur across many documents of one source.
//!
//! A scraped news page carries its site's templates: metadata tables,
//! "read also" links, syndication lines ("Artikel ini telah tayang di
//! ... dengan judul ..."), appended machine summaries. They recur, with
//! the same words or the same opening words, across the source's pages,
//! while the article's own lines do not. [`BoilerplateCounter`] counts,
//! per source, in how many documents each line key occurs; the keys
//! common enough become [`Templates`], which [`Templates::strip`] finds
//! in a document.
//!
//! **Units.** A line is the text between two line ends (a paragraph in
//! plain text, Markdown and most scraped pages). Its words are the
//! maximal runs of alphanumeric characters, lowercased; punctuation,
//! markup and white space do not count, so `**Baca juga:**` and `Baca
//! juga -` have the same words. A line without words but with other
//! characters (a rule `---`, `***`) is keyed by those characters; an
//! empty line never is a template.
//!
//! **Keys.** Each line gives up to four keys (hashes, with the source):
//! - *line*: all its words, when at most
//!   [`BoilerplateOptions::opener_words`] (`| Field | Value |`,
//!   `Ringkasan`);
//! - *opener*: its first [`BoilerplateOptions::opener_words`] words,
//!   when it has more ("Berikut adalah ringkasan berita dalam ...",
//!   followed by a different summary on every page); a longer line
//!   that recurs whole has a recurring opener, so the opener stands
//!   for it;
//! - *label*: the words before its first `|` or `:` (not followed by
//!   a letter, digit or `/`), when at most [`BoilerplateOptions::label_words`] and words
//!   follow (`Editor: ...`, `| author | ... |`, `Baca juga: ...`);
//! - *tail opener*: its first [`BoilerplateOptions::tail_words`] words,
//!   when it has that many (see *Tail openers* below).
//!
//! A key is counted once per document. **A key is a template** of its
//! source when it occurs in at least [`BoilerplateOptions::min_docs`]
//! documents and in at least [`BoilerplateOptions::min_share`] of the
//! source's documents. A line whose line, label or opener key is a
//! template is removed.
//!
//! **Appended blocks.** A template whose first occurrence lies in the
//! second half of the document (by bytes) in at least
//! [`BoilerplateOptions::tail_share`] of the documents holding it is a
//! *tail* template (a heading such as `## Ringkasan` over a machine
//! summary, or its opening sentence): where it occurs in the second half
//! of a document, it and everything after it are removed
//! ([`BoilerplateOptions::tail`]). A template that occurs anywhere in
//! its documents (an image caption marker, a "read also" link) removes
//! its own line only.
//!
//! **Tail openers.** An appended block (a generated commentary, a
//! footer) may open with wording that varies from page to page, each
//! variant in too few documents for the opener key ("Sekarang, mari
//! kita lihat ...", "Sekarang, mari kita bahas ..."). Its first
//! [`BoilerplateOptions::tail_words`] words (3) are shared by the
//! variants. Such a *tail opener* is counted in the documents where it
//! opens a line in their second half; it is a template when those are
//! at least `min_docs` and `min_share` of the source's documents and at
//! least `tail_share` of all the documents where it opens a line (a
//! prose opener such as "di sisi lain" opens lines in both halves: it
//! never is one). It removes nothing on its own line alone: where it
//! opens a line in a document's second half, at most
//! [`BoilerplateOptions::tail_reach`] times its mean distance from the
//! end (in the documents it was learned from), that line and the rest
//! of the document are removed. The distance bound keeps prose that
//! opens with the same words higher up in a page (an article's closing
//! line) out: an appended block has the length of its template. On the
//! Kompas sample (BENCHMARKS.md) the rule removes the satire left by the
//! other keys from every page, and 3 of the 38,788 lines of the
//! articles.
//!
//! Read as text, the Kompas sample's pages close every article with a
//! `---` rule in their second half: everything after it (the machine
//! summary, the satire, `null`) goes, whatever words its variants open
//! with. The Markdown reader drops the rule (a thematic break), so
//! there the summaries' and the satire's openers, tail openers among
//! them, find the appended blocks.
//!
//! **Built-in openers** ([`BUILTIN`], on with
//! [`BoilerplateOptions::builtin`]) add to the learned templates: lines
//! opening with these words are removed in every source, however rare
//! ("Artikel ini telah tayang di" is in 23 of the 1,755 Kompas sample
//! pages, under the 2% share).
//!
//! **Sources.** A document's source is the value of the field
//! [`BoilerplateOptions::source_field`] (`source`), and the whole
//! corpus for documents without it. Folders are not taken as sources:
//! scrapes are often foldered by date or section (the Kompas sample by
//! day), which would split one site's templates into groups too small
//! to count.
//!
//! **Memory** is one entry (28 bytes with its key, and the table's
//! overhead) per distinct key, which grows with the number of distinct
//! lines, that is with the documents (about one key per paragraph: its
//! opener, or its words when short), not with their length. A first-pass filter (count a key
//! only once a Bloom filter has seen it) was not used: which sighting
//! is first depends on the threads' interleaving, and a false positive
//! would then change counts from run to run.

use std::hash::{BuildHasher, Hasher};
use std::sync::Arc;

use crate::corpus::Document;
use crate::error::Result;
use crate::hash::{Map, new_map};
use crate::scan::{Counter, Doc, Scanned};

/// Openers removed in every source (lowercase words, as the keys see
/// them): "read also" links and syndication lines in Indonesian and
/// English news.
pub const BUILTIN: &[&str] = &[
    "baca juga",
    "baca selengkapnya",
    "simak juga",
    "lihat juga",
    "artikel ini telah tayang di",
    "artikel ini sudah tayang di",
    "read also",
    "read more",
    "this article was originally published",
];

/// The most words of a built-in opener.
const BUILTIN_WORDS: usize = 8;

/// How boilerplate is found.
#[derive(Debug, Clone, PartialEq)]
pub struct BoilerplateOptions {
    /// The fewest documents a template occurs in (5: a line shared by
    /// fewer pages is as likely a quotation repeated in a follow-up).
    pub min_docs: u64,
    /// The smallest share of its source's documents a template occurs
    /// in (0.02: in the Kompas sample the rarest page template is in
    /// 6.5% of the pages, a recurring prose opener such as "Jakarta,
    /// Kompas.com - Presiden Prabowo" in at most 0.8%).
    pub min_share: f64,
    /// Words of an opener key (5: the shortest opener of the Kompas
    /// summaries that does not also open prose, "berikut adalah
    /// ringkasan berita dalam"; 2 to 4 words catch prose openers such as
    /// "namun di sisi lain").
    pub opener_words: usize,
    /// The most words of a label key (3: `Short URL:`, `Baca juga:`).
    pub label_words: usize,
    /// Remove the rest of the document after a tail template.
    pub tail: bool,
    /// The share of a template's documents in which it lies in their
    /// second half, from which it is a tail template (0.9).
    pub tail_share: f64,
    /// Words of a tail opener key (3; 0: no tail openers; see the
    /// module's documentation). In the Kompas sample the appended
    /// satire opens with "Sekarang, mari kita lihat ...", "Sekarang,
    /// mari kita bahas tentang ...", each wording in at most 3 pages:
    /// 5 words (the opener key) split them below `min_docs`, 3 words
    /// ("sekarang mari kita") join them (184 pages, all in their second
    /// half); 2 words ("namun di") also open prose.
    pub tail_words: usize,
    /// How far from its document's end a tail opener may stand, as a
    /// multiple of its mean distance from the end in the documents it
    /// was learned from (2.0): an appended block has a length typical
    /// of its template, and a prose line that opens with the same words
    /// stands further up (in the Kompas sample, a line of an article's
    /// last paragraphs opening like a satire line, 1,430 bytes from the
    /// end, against a mean of 717 in the satire).
    pub tail_reach: f64,
    /// Add the [`BUILTIN`] openers.
    pub builtin: bool,
    /// The field that names a document's source.
    pub source_field: String,
}

impl Default for BoilerplateOptions {
    fn default() -> Self {
        BoilerplateOptions {
            min_docs: 5,
            min_share: 0.02,
            opener_words: 5,
            label_words: 3,
            tail: true,
            tail_share: 0.9,
            tail_words: 3,
            tail_reach: 2.0,
            builtin: true,
            source_field: "source".to_string(),
        }
    }
}

/// Which key of a line matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// All the line's words.
    Line,
    /// Its first words.
    Opener,
    /// The words before its first `:` or `|`.
    Label,
    /// A built-in opener.
    Builtin,
    /// The first words of a line in the second half of its documents
    /// (a tail opener).
    Tail,
}

impl Rule {
    /// The word used in reports.
    pub fn name(self) -> &'static str {
        match self {
            Rule::Line => "line",
            Rule::Opener => "opener",
            Rule::Label => "label",
            Rule::Builtin => "builtin",
            Rule::Tail => "tail-opener",
        }
    }

    fn code(self) -> u8 {
        self as u8
    }
}

/// The keys of one line (see the module's documentation).
#[derive(Debug, Default)]
struct LineKeys {
    words: usize,
    /// The [`first_hash`] of its first word (0: none).
    first: u32,
    line: Option<u64>,
    opener: Option<(u64, usize)>,
    label: Option<(u64, usize)>,
    /// Its first [`BoilerplateOptions::tail_words`] words (the line has
    /// at least that many), and where they end.
    tail: Option<(u64, usize)>,
    /// The hash of the first k+1 words without source, and where the
    /// (k+1)th word ends, for the built-in openers.
    plain: [(u64, usize); BUILTIN_WORDS],
}

/// A new hasher for `rule`'s keys of `source`.
fn hasher(rule: Rule, source: u64) -> impl Hasher {
    let mut h = crate::hash::BuildHasher::default().build_hasher();
    h.write_u8(rule.code());
    h.write_u64(source);
    h
}

/// The hash that stands for a source's name.
fn source_hash(name: &str) -> u64 {
    crate::hash::BuildHasher::default().hash_one(name)
}

/// Whether a label separator is at byte `i`: a `|`, or a `:` not
/// followed by a letter, digit or `/` (not the one of `10:30` or
/// `https://`).
fn separator_at(bytes: &[u8], i: usize) -> bool {
    match bytes[i] {
        b'|' => true,
        b':' => bytes.get(i + 1).is_none_or(|&b| {
            b.is_ascii() && !b.is_ascii_alphanumeric() && b != b'/'
        }),
        _ => false,
    }
}

/// Appends `c` lowercased to `word`.
fn push_lower(word: &mut Vec<u8>, c: char) {
    if c.is_ascii() {
        word.push(c.to_ascii_lowercase() as u8);
    } else {
        let mut buf = [0u8; 4];
        for l in c.to_lowercase() {
            word.extend_from_slice(l.encode_utf8(&mut buf).as_bytes());
        }
    }
}

/// The hash of a line's first word (lowercased), which every key of
/// the line starts with; 0 for a line without words.
fn first_hash(word: &[u8]) -> u32 {
    // Never 0 for a word, so that 0 stands for none.
    (crate::hash::BuildHasher::default().hash_one(word) as u32).max(1)
}

/// The [`first_hash`] of `line`'s first word, or 0 if it has none:
/// what [`Templates::strip`] looks at before it computes the keys.
fn first_word_hash(line: &str, word: &mut Vec<u8>) -> u32 {
    word.clear();
    let mut chars = line.chars().skip_while(|c| !c.is_alphanumeric());
    for c in chars.by_ref() {
        if !c.is_alphanumeric() {
            break;
        }
        push_lower(word, c);
    }
    let h = if word.is_empty() { 0 } else { first_hash(word) };
    word.clear();
    h
}

/// Computes `line`'s keys for `source`; `word` is a scratch buffer.
fn line_keys(
    line: &str,
    source: u64,
    opts: &BoilerplateOptions,
    plain: bool,
    word: &mut Vec<u8>,
) -> LineKeys {
    let mut keys = LineKeys::default();
    let mut full = hasher(Rule::Line, source);
    let mut opener = hasher(Rule::Opener, source);
    let mut label = hasher(Rule::Label, source);
    let mut tail = hasher(Rule::Tail, source);
    let mut bare = hasher(Rule::Builtin, 0);
    // Words before the separator, once one is found.
    let mut label_words: Option<usize> = None;
    let bytes = line.as_bytes();
    let mut chars = line.char_indices().peekable();
    loop {
        let next = chars.next();
        let is_word = next.is_some_and(|(_, c)| c.is_alphanumeric());
        if let (true, Some((_, c))) = (is_word, next) {
            push_lower(word, c);
            continue;
        }
        if !word.is_empty() {
            let end = next.map_or(line.len(), |(i, _)| i);
            if keys.words == 0 {
                keys.first = first_hash(word);
            }
            full.write(word);
            full.write_u8(0xff);
            if keys.words < opts.opener_words {
                opener.write(word);
                opener.write_u8(0xff);
                if keys.words + 1 == opts.opener_words {
                    keys.opener = Some((opener.finish(), end));
                }
            }
            if opts.tail && keys.words < opts.tail_words {
                tail.write(word);
                tail.write_u8(0xff);
                if keys.words + 1 == opts.tail_words {
                    keys.tail = Some((tail.finish(), end));
                }
            }
            if label_words.is_none() {
                label.write(word);
                label.write_u8(0xff);
            }
            if plain && keys.words < BUILTIN_WORDS {
                bare.write(word);
                bare.write_u8(0xff);
                keys.plain[keys.words] = (bare.finish(), end);
            }
            keys.words += 1;
            word.clear();
        }
        let Some((i, _)) = next else { break };
        if label_words.is_none() && keys.words > 0 && separator_at(bytes, i) {
            label_words = Some(keys.words);
            if keys.words <= opts.label_words {
                keys.label = Some((label.finish(), i + 1));
            }
        }
    }
    if keys.words > 0 {
        // A longer line that recurs has a recurring opener too: its
        // opener key stands for it (half the entries of prose).
        if keys.words <= opts.opener_words {
            keys.line = Some(full.finish());
        }
    } else if !line.trim().is_empty() {
        // A line without words (`---`, `***`) is keyed by its characters.
        let mut h = hasher(Rule::Line, source);
        h.write_u8(0xfe);
        h.write(line.trim().as_bytes());
        keys.line = Some(h.finish());
    }
    if keys.words <= opts.opener_words {
        keys.opener = None;
    }
    if label_words.is_none_or(|n| n == keys.words) {
        keys.label = None;
    }
    keys
}

/// The lines of `text` as (start, end) byte offsets, line ends excluded.
fn lines(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start > text.len() || (start == text.len() && !text.is_empty()) {
            return None;
        }
        let end = memchr::memchr(b'\n', &text.as_bytes()[start..])
            .map_or(text.len(), |n| start + n);
        let line = (start, end);
        start = end + 1;
        Some(line)
    })
}

/// The source of `doc`: the value of `field`, or `""`.
fn source_of<'a>(doc: &'a Document, field: &str) -> &'a str {
    doc.get(field).unwrap_or("")
}

/// The counts of one key (20 bytes: one per distinct key).
#[derive(Debug, Clone, Copy)]
struct Entry {
    /// The source: the low 32 bits of its hash (two sources that share
    /// them, about one chance in 2^32 per pair, share their counts of
    /// documents).
    source: u32,
    docs: u32,
    late: u32,
    /// The [`first_hash`] of the lines' first word.
    first: u32,
    /// The sum of the late occurrences' distances (bytes) from their
    /// document's end, saturating (tail openers only).
    reach: u32,
    rule: Rule,
}

/// Counts, per source, in how many documents each line key occurs (see
/// the module's documentation); finishes into the [`Templates`].
pub struct BoilerplateCounter {
    opts: BoilerplateOptions,
    keys: Map<u64, Entry>,
    /// Per source (as in [`Entry::source`]): its name and documents.
    sources: Map<u32, (Arc<str>, u64)>,
    /// One document's (key, rule, late, first word, distance from the
    /// end), reused.
    scratch: Vec<(u64, Rule, bool, u32, u32)>,
    word: Vec<u8>,
}

impl BoilerplateCounter {
    /// A counter with `opts`.
    pub fn new(opts: &BoilerplateOptions) -> Self {
        BoilerplateCounter {
            opts: opts.clone(),
            keys: new_map(),
            sources: new_map(),
            scratch: Vec::new(),
            word: Vec::new(),
        }
    }
}

impl Counter for BoilerplateCounter {
    type Output = Templates;

    fn add(&mut self, doc: &Doc<'_>) {
        let document = doc.document;
        let name = source_of(document, &self.opts.source_field);
        let source = source_hash(name);
        let short = source as u32;
        self.sources.entry(short).or_insert_with(|| (name.into(), 0)).1 += 1;
        let text = &document.text;
        for (start, end) in lines(text) {
            let k = line_keys(
                &text[start..end],
                source,
                &self.opts,
                false,
                &mut self.word,
            );
            let late = start * 2 >= text.len();
            let dist = u32::try_from(text.len() - start).unwrap_or(u32::MAX);
            let found = [
                k.line.map(|h| (h, Rule::Line)),
                k.opener.map(|(h, _)| (h, Rule::Opener)),
                k.label.map(|(h, _)| (h, Rule::Label)),
                k.tail.map(|(h, _)| (h, Rule::Tail)),
            ];
            for (h, rule) in found.into_iter().flatten() {
                self.scratch.push((h, rule, late, k.first, dist));
            }
        }
        // Stable: the first occurrence of a key comes first.
        self.scratch.sort_by_key(|s| s.0);
        self.scratch.dedup_by_key(|s| s.0);
        for &(h, rule, late, first, dist) in &self.scratch {
            let e = self.keys.entry(h).or_insert(Entry {
                source: short,
                docs: 0,
                late: 0,
                first,
                reach: 0,
                rule,
            });
            e.docs += 1;
            e.late += u32::from(late);
            if late && rule == Rule::Tail {
                e.reach = e.reach.saturating_add(dist);
            }
        }
        self.scratch.clear();
    }

    fn merge(&mut self, other: Self) {
        for (h, o) in other.keys {
            let e = self.keys.entry(h).or_insert(Entry {
                docs: 0,
                late: 0,
                reach: 0,
                ..o
            });
            e.docs += o.docs;
            e.late += o.late;
            e.reach = e.reach.saturating_add(o.reach);
        }
        for (s, (name, n)) in other.sources {
            self.sources.entry(s).or_insert((name, 0)).1 += n;
        }
    }

    fn finish(self, _: &Scanned) -> Result<Templates> {
        Ok(Templates::from_counts(self.opts, &self.keys, &self.sources))
    }
}

/// A template: a key common enough in its source.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    /// Which key of a line it is.
    pub rule: Rule,
    /// Whether it marks the rest of the document.
    pub tail: bool,
    /// The documents of its source it occurs in (0 for built-ins).
    pub docs: u64,
    /// Its source's name (`""`: documents without the source field;
    /// `*`: every source, for built-ins).
    pub source: Arc<str>,
    /// Its source's documents.
    pub source_docs: u64,
    /// A tail opener's mean distance (bytes) from the end of the
    /// documents it was learned from, in their second half; 0 for the
    /// other rules.
    pub reach: u64,
}

/// One stretch of a document's text that [`Templates::strip`] removes.
#[derive(Debug, Clone, PartialEq)]
pub struct Removal {
    /// Its first byte.
    pub start: usize,
    /// Its end (past the line end, if any).
    pub end: usize,
    /// The template's key.
    pub key: u64,
    /// Where the matching part of its first line ends (the opener's or
    /// label's words, the whole line).
    pub matched_end: usize,
}

/// The template `e` (a key of source `name`, of `n` documents) is, if
/// it is common enough: in `min_docs` and `min_share` of the source's
/// documents; a tail opener counts only its documents' second halves,
/// and is a template only if `tail_share` of its documents have it
/// there.
fn template_of(
    opts: &BoilerplateOptions,
    e: &Entry,
    name: &Arc<str>,
    n: u64,
) -> Option<Template> {
    let is_opener = e.rule == Rule::Tail;
    let docs = u64::from(if is_opener { e.late } else { e.docs });
    if docs < opts.min_docs || (docs as f64) < opts.min_share * n as f64 {
        return None;
    }
    let tail =
        opts.tail && f64::from(e.late) >= opts.tail_share * f64::from(e.docs);
    if is_opener && !tail {
        return None;
    }
    Some(Template {
        rule: e.rule,
        tail,
        docs,
        source: name.clone(),
        source_docs: n,
        reach: if is_opener { u64::from(e.reach) / docs } else { 0 },
    })
}

/// The templates of every source, found by a [`BoilerplateCounter`].
#[derive(Debug, Clone)]
pub struct Templates {
    opts: BoilerplateOptions,
    by_key: Map<u64, Template>,
    /// The built-in openers' keys, by their words' hash.
    builtin: Map<u64, u64>,
    /// The first words of every template (their [`first_hash`]): a
    /// line whose first word is not among them matches none.
    firsts: crate::hash::Set<u32>,
}

impl Templates {
    fn from_counts(
        opts: BoilerplateOptions,
        keys: &Map<u64, Entry>,
        sources: &Map<u32, (Arc<str>, u64)>,
    ) -> Templates {
        let mut by_key = new_map();
        let mut firsts = crate::hash::new_set();
        for (&h, e) in keys {
            let Some((name, n)) = sources.get(&e.source) else { continue };
            let Some(t) = template_of(&opts, e, name, *n) else { continue };
            by_key.insert(h, t);
            firsts.insert(e.first);
        }
        let mut builtin = new_map();
        if opts.builtin {
            let star: Arc<str> = "*".into();
            let mut word = Vec::new();
            for phrase in BUILTIN {
                let k = line_keys(phrase, 0, &opts, true, &mut word);
                let (h, _) = k.plain[k.words - 1];
                let key = h ^ 0x9e37_79b9_7f4a_7c15;
                builtin.insert(h, key);
                firsts.insert(k.first);
                let t = Template {
                    rule: Rule::Builtin,
                    tail: false,
                    docs: 0,
                    source: star.clone(),
                    source_docs: 0,
                    reach: 0,
                };
                by_key.insert(key, t);
            }
        }
        Templates { opts, by_key, builtin, firsts }
    }

    /// The number of templates (built-ins included).
    pub fn len(&self) -> usize {
        self.by_key.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }

    /// The template of `key`.
    pub fn get(&self, key: u64) -> Option<&Template> {
        self.by_key.get(&key)
    }

    /// The learned templates that are not built-in, as (key, template).
    pub fn learned(&self) -> impl Iterator<Item = (u64, &Template)> {
        self.by_key
            .iter()
            .filter(|(_, t)| t.rule != Rule::Builtin)
            .map(|(&k, t)| (k, t))
    }

    /// The template `k`'s line matches, if any, with where its match
    /// ends: its line, label, opener key or a built-in opener.
    fn matching(&self, k: &LineKeys, line_end: usize) -> Option<(u64, usize)> {
        let learned = [k.line.map(|h| (h, line_end)), k.label, k.opener];
        if let Some(m) = learned
            .into_iter()
            .flatten()
            .find(|(h, _)| self.by_key.contains_key(h))
        {
            return Some(m);
        }
        k.plain[..k.words.min(BUILTIN_WORDS)]
            .iter()
            .find_map(|(h, end)| self.builtin.get(h).map(|&key| (key, *end)))
    }

    /// The tail opener `k`'s line opens, with where its words end, if
    /// the line stands at most `tail_reach` times the opener's mean
    /// distance from the end (`dist` bytes before it).
    fn tail_opener(&self, k: &LineKeys, dist: usize) -> Option<(u64, usize)> {
        let (h, end) = k.tail?;
        let t = self.by_key.get(&h)?;
        let reach = self.opts.tail_reach * t.reach as f64;
        (t.rule == Rule::Tail && dist as f64 <= reach).then_some((h, end))
    }

    /// Appends to `out` the stretches of `doc`'s text that are
    /// boilerplate, in order: each line that matches a template (with
    /// its line end), or, from a tail template in the document's second
    /// half, the rest of the text. Offsets of `matched_end` are relative
    /// to the text.
    pub fn strip(&self, doc: &Document, out: &mut Vec<Removal>) {
        let name = source_of(doc, &self.opts.source_field);
        let source = source_hash(name);
        let text = &doc.text;
        let mut word = Vec::new();
        let plain = !self.builtin.is_empty();
        for (start, end) in lines(text) {
            let line = &text[start..end];
            if line.trim().is_empty()
                || !self.firsts.contains(&first_word_hash(line, &mut word))
            {
                continue;
            }
            let k = line_keys(line, source, &self.opts, plain, &mut word);
            let late = start * 2 >= text.len();
            let found = self.matching(&k, end - start).or_else(|| {
                late.then(|| self.tail_opener(&k, text.len() - start))?
            });
            let Some((key, matched)) = found else { continue };
            let tail = self.by_key[&key].tail && late;
            let stop =
                if tail { text.len() } else { (end + 1).min(text.len()) };
            out.push(Removal {
                start,
                end: stop,
                key,
                matched_end: start + matched,
            });
            if tail {
                break;
            }
        }
    }
}

/// `text` without the stretches `removals` (in order, not overlapping).
pub fn cut(text: &str, removals: &[Removal]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for r in removals {
        out.push_str(&text[at..r.start]);
        at = r.end;
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(line: &str) -> LineKeys {
        line_keys(
            line,
            7,
            &BoilerplateOptions::default(),
            true,
            &mut Vec::new(),
        )
    }

    /// The same words give the same keys whatever the markup, case and
    /// punctuation around them; other words give others.
    #[test]
    fn keys_ignore_markup_and_case() {
        let a = keys("**Baca juga:** [Harga beras naik](https://x.id/a)");
        let b = keys("Baca JUGA: Harga beras naik");
        assert_eq!(a.label.map(|l| l.0), b.label.map(|l| l.0));
        // "baca juga" is 2 words before the colon: a label.
        assert!(a.label.is_some());
        let c = keys("Baca juga: Harga cabai naik");
        assert_eq!(b.label.map(|l| l.0), c.label.map(|l| l.0));
        assert_ne!(b.line, c.line);
        assert_eq!(keys("| Field | Value |").words, 2);
    }

    /// Rows: (line, words, has opener, label end).
    #[test]
    fn keys_table() {
        let rows: &[(&str, usize, bool, Option<usize>)] = &[
            ("", 0, false, None),
            ("---", 0, false, None),
            ("Ringkasan", 1, false, None),
            // Five words: no opener (it needs more than five).
            ("satu dua tiga empat lima", 5, false, None),
            ("satu dua tiga empat lima enam", 6, true, None),
            // "Editor:" ends at byte 7; a colon inside "10:30" is not one.
            ("Editor: Sem Bagaskara", 3, false, Some(7)),
            ("Pukul 10:30 WIB", 4, false, None),
            // Four words before the colon: over label_words (3).
            ("kata dia kepada wartawan: tidak", 5, false, None),
            // A label needs words after the separator.
            ("| author |  |", 1, false, None),
            ("| author | Faqih |", 2, false, Some(10)),
        ];
        for &(line, words, opener, label) in rows {
            let k = keys(line);
            assert_eq!(k.words, words, "{line:?}");
            assert_eq!(k.opener.is_some(), opener, "{line:?}");
            assert_eq!(k.label.map(|l| l.1), label, "{line:?}");
        }
    }

    #[test]
    fn lines_cover_the_text() {
        let t = "a\n\nbc\n";
        let got: Vec<_> = lines(t).collect();
        assert_eq!(got, [(0, 1), (2, 2), (3, 5)]);
        assert_eq!(lines("").count(), 1);
        assert_eq!(lines("x").collect::<Vec<_>>(), [(0, 1)]);
    }
}
