//! The terms of each chunk of text between white space, remembered.
//!
//! Most of the time of counting goes into analyzing each token
//! (tokenizing, normalizing, looking the term up), and news text says the
//! same words over and over. A *chunk* is a run of bytes between ASCII
//! white space or control bytes (0x00 to 0x20): no token holds such a
//! byte, so a text's tokens are its chunks' tokens in order, and a
//! chunk's tokens depend on its bytes alone (with one exception, below).
//! A [`ChunkCache`] remembers, for each chunk it has seen (`Tiongkok,`
//! or `(Antara)`), the ids of its terms, so that a chunk seen before
//! costs one lookup in a table of chunks instead of its analysis; the
//! ids are those of the [`Interner`] the cache is used with, and the
//! terms are exactly the ones [`Analyzer::analyze`] gives.
//!
//! The exception: a chunk that ends with one capital letter and a period
//! (`J.`) keeps the period as an initial only before a capitalized word,
//! so its terms depend on the next chunk; such chunks are analyzed in
//! place each time ([`crate::tokenize::tokenize_span`] tells which).
//! Chunks longer than [`MAX_CHUNK`] bytes (URLs, run-on text) are
//! analyzed each time too.
//!
//! Memory: a thread's caches together remember at most the number of
//! chunks given to [`ChunkScratch::new`]; once that many are remembered,
//! chunks not seen before are analyzed each time and nothing more is
//! kept. News vocabulary is Zipfian, so the chunks met first are the
//! frequent ones.

use crate::analyze::{Analyzer, Scratch};
use crate::intern::{Intern, Interner, MISSING};
use crate::swar::{first_space_or_control, run_end};

/// Chunks longer than this many bytes are not remembered.
pub const MAX_CHUNK: usize = 32;

/// The chunks a thread remembers by default: with 32-byte table slots at
/// most 5/8 full, a table of 2^19 slots (16 MiB) and the chunks' bytes,
/// at most about 20 MB a thread (BENCHMARKS.md, sixth step, for the
/// choice).
pub const DEFAULT_ROOM: usize = 1 << 18;

/// A chunk's value in the table of chunks: its terms, written in one
/// `u32` so that the lookup that finds the chunk also reads its terms.
/// 0 is a chunk just met, [`DEPENDS`] one whose terms depend on the text
/// after it; `ONE + id` is one term; with [`MANY`] set, the rest is an
/// index into [`ChunkCache::many`] (none or several terms, or one whose
/// id does not fit).
const DEPENDS: u32 = 1;
const ONE: u32 = 2;
const MANY: u32 = 1 << 31;

/// Chunk to term ids, for one [`Interner`] of terms.
#[derive(Debug, Clone, Default)]
pub struct ChunkCache {
    /// The chunks, each with its value.
    chunks: Interner,
    /// The terms of chunks of none or several: ranges of `terms`.
    many: Vec<(u32, u32)>,
    terms: Vec<u32>,
}

/// Buffers of one thread for its [`ChunkCache`]s, reused from text to
/// text, and how many more chunks they may remember.
#[derive(Debug)]
pub struct ChunkScratch {
    /// Every chunk of the text, as a byte range.
    bounds: Vec<(usize, usize)>,
    /// The chunks no longer than [`MAX_CHUNK`], in order.
    keys: Vec<(usize, usize)>,
    /// The keys' values.
    values: Vec<u32>,
    scratch: Scratch,
    room: usize,
}

impl ChunkScratch {
    /// Buffers whose caches remember at most `room` chunks in all.
    pub fn new(room: usize) -> ChunkScratch {
        ChunkScratch {
            keys: Vec::new(),
            bounds: Vec::new(),
            values: Vec::new(),
            scratch: Scratch::default(),
            room,
        }
    }
}

impl Default for ChunkScratch {
    fn default() -> Self {
        ChunkScratch::new(DEFAULT_ROOM)
    }
}

impl ChunkCache {
    /// The ids in `index` of the terms of `text` (as
    /// [`Analyzer::analyze`] gives them, in order) into `ids` (cleared
    /// first), interning new terms. A cache must always be used with the
    /// same `an` and `index`.
    pub fn ids(
        &mut self,
        an: &Analyzer,
        text: &str,
        index: &mut impl Intern,
        sc: &mut ChunkScratch,
        ids: &mut Vec<u32>,
    ) {
        ids.clear();
        let ChunkScratch { keys, bounds, values, scratch, room } = sc;
        keys.clear();
        bounds.clear();
        each_chunk(text.as_bytes(), |s, e| {
            if e - s <= MAX_CHUNK {
                keys.push((s, e));
            }
            bounds.push((s, e));
        });
        let key = |i: usize| &text[keys[i].0..keys[i].1];
        let before = self.chunks.len();
        self.chunks.values_each(keys.len(), key, values, *room > 0);
        *room = room.saturating_sub(self.chunks.len() - before);
        let mut k = 0;
        for &(s, e) in bounds.iter() {
            let value = if e - s <= MAX_CHUNK {
                k += 1;
                values[k - 1]
            } else {
                MISSING
            };
            if (ONE..MANY).contains(&value) {
                ids.push(value - ONE);
                continue;
            }
            if value & MANY != 0 && value != MISSING {
                let (at, n) = self.many[(value & !MANY) as usize];
                let at = at as usize;
                ids.extend_from_slice(&self.terms[at..at + n as usize]);
                continue;
            }
            let from = ids.len();
            let alone = an.analyze_span(text, s, e, scratch, |_, term| {
                ids.push(index.intern(term));
            });
            // A chunk just met: remember its terms (a chunk not in the
            // table, MISSING, is not remembered).
            if value == 0 {
                let new = &ids[from..];
                let value = match new {
                    _ if !alone => DEPENDS,
                    &[id] if id < MANY - ONE => ONE + id,
                    // (Out of indexes, far past the default room: analyzed
                    // each time, as a chunk that depends.)
                    _ if self.many.len() >= (MANY - 1) as usize
                        || self.terms.len() + new.len()
                            > u32::MAX as usize =>
                    {
                        DEPENDS
                    }
                    _ => {
                        let at = self.terms.len() as u32;
                        self.terms.extend_from_slice(new);
                        self.many.push((at, new.len() as u32));
                        MANY | (self.many.len() - 1) as u32
                    }
                };
                self.chunks.set_value(&text[s..e], value);
            }
        }
    }

    /// The number of chunks remembered.
    pub fn len(&self) -> usize {
        self.chunks.len()
    }

    /// Whether no chunk is remembered.
    pub fn is_empty(&self) -> bool {
        self.chunks.is_empty()
    }
}

/// Calls `f(start, end)` for each chunk of `text`: each maximal run of
/// bytes above 0x20.
fn each_chunk(text: &[u8], mut f: impl FnMut(usize, usize)) {
    let mut i = 0;
    loop {
        while i < text.len() && text[i] <= b' ' {
            i += 1;
        }
        if i == text.len() {
            return;
        }
        let start = i;
        i = chunk_end(text, i);
        f(start, i);
    }
}

/// The end of the chunk that goes on at `i`: the next byte at or below
/// 0x20.
#[inline]
pub(crate) fn chunk_end(text: &[u8], i: usize) -> usize {
    run_end(text, i, first_space_or_control, |b| b > b' ')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::{HyphenPolicy, TokenizerOptions};

    /// The ids of `text`'s terms interned one by one, as engines did
    /// before the cache.
    fn direct(an: &Analyzer, text: &str, index: &mut Interner) -> Vec<u32> {
        let mut out = Vec::new();
        an.analyze(text, &mut Scratch::default(), |_, term| {
            out.push(index.intern(term))
        });
        out
    }

    /// The bundled corpus's lines, and lines made to hit every kind of
    /// chunk: an initial before a name or not, one that is too long,
    /// none or several terms, entities, control bytes.
    fn lines() -> Vec<String> {
        let dir = std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../.."
        ));
        let mut out = Vec::new();
        for name in [
            "corpus/leipzig/ind_news_2008_300K_sample1000-sentences.txt",
            "corpus/leipzig/ind_newscrawl_2016_10K_sample1000-sentences.txt",
        ] {
            let text = std::fs::read_to_string(dir.join(name)).expect(name);
            out.extend(text.lines().map(str::to_string));
        }
        out.extend(
            [
                "Kata J. Smith dan J. kecil, lalu J.\nSmith dan J.\tSmith J.",
                "DPRK-Tiongkok negara-negara Jakarta/Bandung AT&T don't",
                "https://www.example.com/a/very/long/path/that/goes/on?x=1",
                "-- ... , Rp1.000,50 &amp; &#8217;Tiongkok&#8217; J.",
                "\u{1}a\u{1f}b\u{7f}c \u{a0}d\u{200b}e J.\u{1}Smith",
            ]
            .map(str::to_string),
        );
        out
    }

    #[test]
    fn cached_ids_are_the_analyzed_ids() {
        let mut split = Analyzer {
            tokenizer: TokenizerOptions {
                split_clitics: true,
                hyphens: HyphenPolicy::Split,
                ..TokenizerOptions::default()
            },
            ..Analyzer::default()
        };
        split.load_map("china\ttiongkok\n").expect("map");
        let all = Analyzer {
            classes: crate::analyze::ClassSet::ALL,
            ..Analyzer::default()
        };
        let lines = lines();
        for an in [Analyzer::default(), split, all] {
            // Room for everything, for 300 chunks (then lookups only),
            // and for none.
            for room in [usize::MAX, 300, 0] {
                let mut want_index = Interner::new();
                let mut index = Interner::new();
                let mut cache = ChunkCache::default();
                let mut sc = ChunkScratch::new(room);
                let mut ids = Vec::new();
                // Twice, so the second round reads what the first kept.
                for line in lines.iter().chain(&lines) {
                    let want = direct(&an, line, &mut want_index);
                    cache.ids(&an, line, &mut index, &mut sc, &mut ids);
                    assert_eq!(ids, want, "{line:?} (room {room})");
                }
                assert_eq!(index.len(), want_index.len());
                // The room is checked before each text: it can be
                // passed by at most one text's chunks.
                let longest =
                    lines.iter().map(|l| l.split_whitespace().count());
                let slack = longest.max().unwrap_or(0);
                if room == 0 {
                    assert!(cache.is_empty());
                } else if room == 300 {
                    assert!((300..300 + slack).contains(&cache.len()));
                }
                if room == usize::MAX {
                    assert!(!cache.many.is_empty(), "several terms");
                }
            }
        }
    }

    #[test]
    fn chunks_are_the_runs_between_white_space() {
        for b in 0..=255u8 {
            for pos in 0..12 {
                let mut text = *b"abcdefghijkl";
                text[pos] = b;
                let mut got = Vec::new();
                each_chunk(&text, |s, e| got.push((s, e)));
                let want: Vec<(usize, usize)> = if b <= b' ' {
                    [(0, pos), (pos + 1, 12)]
                        .into_iter()
                        .filter(|(s, e)| s < e)
                        .collect()
                } else {
                    vec![(0, 12)]
                };
                assert_eq!(got, want, "byte {b:#x} at {pos}");
            }
        }
        let mut got = Vec::new();
        each_chunk(b"  a\t\tbb \r\n ccc\0", |s, e| got.push((s, e)));
        assert_eq!(got, [(2, 3), (5, 7), (11, 14)]);
    }
}
