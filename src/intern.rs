//! A string interner built for one lookup per token.
//!
//! Terms are mapped to dense `u32` ids. Keys of up to 16 bytes (nearly
//! every word) are stored inline in the hash table entry, so a lookup
//! reads one cache line and compares two machine words instead of
//! following a pointer to the key and calling `memcmp`; longer keys keep
//! their first 8 bytes inline and the rest in an arena. Every key's bytes
//! are also kept in one arena `String`, so ids map back to terms without
//! an allocation per type.

use hashbrown::HashTable;

use std::hash::BuildHasher;

#[derive(Debug, Clone, Copy)]
struct Entry {
    /// First 8 bytes of the key (zero-padded).
    a: u64,
    /// Bytes 8..16 of a short key, or the arena offset of a long key.
    b: u64,
    len: u32,
    id: u32,
}

/// Maps terms to dense ids `0, 1, 2, ...` in order of first insertion.
#[derive(Debug, Default, Clone)]
pub struct Interner {
    table: HashTable<Entry>,
    arena: String,
    /// Start of each id's key in `arena` (the end is the next start).
    starts: Vec<u64>,
}

#[inline]
fn load(bytes: &[u8]) -> u64 {
    let mut buf = [0u8; 8];
    buf[..bytes.len()].copy_from_slice(bytes);
    u64::from_le_bytes(buf)
}

/// The inline words of a key.
#[inline]
fn pack(key: &[u8]) -> (u64, u64) {
    if key.len() <= 8 {
        (load(key), 0)
    } else if key.len() <= 16 {
        (load(&key[..8]), load(&key[8..]))
    } else {
        (load(&key[..8]), u64::MAX)
    }
}

/// The hash of a key: foldhash with a fixed seed (the same on every run).
/// (A multiply-mix of the inline words was tried and measured 60% slower
/// overall: short keys that share their first bytes collided.)
#[inline]
fn hash_key(key: &[u8]) -> u64 {
    crate::hash::BuildHasher::default().hash_one(key)
}

impl Interner {
    /// An empty interner.
    pub fn new() -> Interner {
        Interner::default()
    }

    /// The number of distinct terms.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// Whether no term was interned.
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// The id of `term`, if interned.
    #[inline]
    pub fn get(&self, term: &str) -> Option<u32> {
        let key = term.as_bytes();
        let (a, b) = pack(key);
        self.table.find(hash_key(key), |e| self.is(e, key, a, b)).map(|e| e.id)
    }

    /// The id of `term`, interning it if new.
    #[inline]
    pub fn intern(&mut self, term: &str) -> u32 {
        let key = term.as_bytes();
        let (a, b) = pack(key);
        let hash = hash_key(key);
        if let Some(e) = self.table.find(hash, |e| self.is(e, key, a, b)) {
            return e.id;
        }
        let id = self.starts.len() as u32;
        let start = self.arena.len() as u64;
        self.arena.push_str(term);
        self.starts.push(start);
        let b = if key.len() <= 16 { b } else { start };
        let entry = Entry { a, b, len: key.len() as u32, id };
        let (arena, starts) = (&self.arena, &self.starts);
        self.table.insert_unique(hash, entry, |e| {
            hash_key(Self::key_of(arena, starts, e.id).as_bytes())
        });
        id
    }

    #[inline]
    fn is(&self, e: &Entry, key: &[u8], a: u64, b: u64) -> bool {
        if e.len as usize != key.len() || e.a != a {
            return false;
        }
        if key.len() <= 16 {
            return e.b == b;
        }
        let start = e.b as usize;
        &self.arena.as_bytes()[start..start + key.len()] == key
    }

    fn key_of<'a>(arena: &'a str, starts: &[u64], id: u32) -> &'a str {
        let start = starts[id as usize] as usize;
        let end =
            starts.get(id as usize + 1).map_or(arena.len(), |&s| s as usize);
        &arena[start..end]
    }

    /// The term with id `id`.
    pub fn term(&self, id: u32) -> &str {
        Self::key_of(&self.arena, &self.starts, id)
    }

    /// Every (id, term), in id order.
    pub fn iter(&self) -> impl Iterator<Item = (u32, &str)> {
        (0..self.starts.len() as u32).map(move |id| (id, self.term(id)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interns_short_and_long_keys() {
        let mut i = Interner::new();
        let words = [
            "",
            "a",
            "tiongkok",
            "12345678",
            "123456789",
            "sixteen-bytes-xx",
            "seventeen-bytes-x",
            "a much longer key that spills into the arena",
            "a much longer key that spills into the arenA",
            "ü",
            "\0",
        ];
        let ids: Vec<u32> = words.iter().map(|w| i.intern(w)).collect();
        assert_eq!(ids, (0..words.len() as u32).collect::<Vec<_>>());
        for (w, id) in words.iter().zip(&ids) {
            assert_eq!(i.intern(w), *id, "{w:?}");
            assert_eq!(i.get(w), Some(*id));
            assert_eq!(i.term(*id), *w);
        }
        assert_eq!(i.get("missing"), None);
        assert_eq!(i.get("a\0"), None, "zero padding must not alias");
        // Growth keeps every id.
        for n in 0..10_000 {
            i.intern(&format!("w{n}"));
        }
        assert_eq!(i.get("w9999"), Some(words.len() as u32 + 9999));
        assert_eq!(i.get("tiongkok"), Some(2));
    }
}
