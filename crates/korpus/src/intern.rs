//! A string interner built for one lookup per token.
//!
//! Terms are mapped to dense `u32` ids. Keys of up to 16 bytes (nearly
//! every word) are stored inline in the table's slot, so a lookup reads
//! one cache line and compares two machine words instead of following a
//! pointer to the key and calling `memcmp`; longer keys keep their first
//! 8 bytes inline and the rest in an arena. Every key's bytes are also
//! kept in one arena `String`, so ids map back to terms without an
//! allocation per type. Engines intern a document's terms as one batch
//! ([`Interner::intern_all`]), which hides most of the memory latency of
//! a table larger than the cache (BENCHMARKS.md, second step).
//!
//! A table looked up rarely needs little memory more than speed: a
//! [`Vocab`] keeps only ids in its table (a sixth of the memory of an
//! [`Interner`]'s inline slots). The frequency counts keep their items in
//! one, since their lookups go through the chunk memo first.

use std::hash::BuildHasher;

use crate::swar::load;

/// One slot of the table: 32 bytes, aligned, so a slot never straddles
/// two cache lines and a probe reads one line (two slots).
#[derive(Debug, Clone, Copy)]
#[repr(align(32))]
struct Slot {
    /// First 8 bytes of the key (zero-padded).
    a: u64,
    /// Bytes 8..16 of a short key, or the arena offset of a long key.
    b: u64,
    len: u32,
    /// The id, or [`EMPTY`].
    id: u32,
    /// The high half of the key's hash: most mismatches stop here.
    tag: u32,
    /// The key's value ([`Interner::set_value`]), 0 until set.
    value: u32,
}

const EMPTY: u32 = u32::MAX;

/// The value [`Interner::values_each`] gives a key that is not interned.
pub const MISSING: u32 = EMPTY;

const FREE: Slot = Slot { a: 0, b: 0, len: 0, id: EMPTY, tag: 0, value: 0 };

/// A batch of keys for [`Interner::intern_all`]: their bytes in one
/// buffer, reused from batch to batch.
#[derive(Debug, Default, Clone)]
pub struct Keys {
    text: String,
    ends: Vec<usize>,
}

impl Keys {
    /// Empties the batch, keeping its buffers.
    pub fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
    }

    /// Adds `key`.
    #[inline]
    pub fn push(&mut self, key: &str) {
        self.text.push_str(key);
        self.ends.push(self.text.len());
    }

    /// Key `i`.
    #[inline]
    pub fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }

    /// The keys, in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts.zip(&self.ends).map(|(s, &e)| &self.text[s..e])
    }

    /// The number of keys.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether the batch is empty.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

/// Maps terms to dense ids `0, 1, 2, ...` in order of first insertion.
///
/// An open-addressing table with linear probing over `Slot`s that hold
/// the key inline, so a lookup reads one cache line in the usual case
/// (a general hash table reads a line of control bytes, then a line of
/// entries), and the slot a key hashes to is known before the lookup,
/// which lets [`Interner::intern_all`] load the slots of a whole batch
/// before probing them. The table is kept at most 5/8 full.
#[derive(Debug, Clone, Default)]
pub struct Interner {
    slots: Vec<Slot>,
    terms: Terms,
    /// The hashes of a batch ([`Interner::intern_all`]).
    hashes: Vec<u64>,
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
        self.terms.len()
    }

    /// Whether no term was interned.
    pub fn is_empty(&self) -> bool {
        self.terms.len() == 0
    }

    /// The slot of `key` (hashed to `hash`): its own, or the free slot
    /// where it would go. The table must have a free slot.
    #[inline]
    fn find(&self, key: &[u8], hash: u64) -> usize {
        let (a, b) = pack(key);
        let tag = (hash >> 32) as u32;
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            let s = &self.slots[i];
            if s.id == EMPTY
                || (s.tag == tag
                    && s.len as usize == key.len()
                    && s.a == a
                    && (if key.len() <= 16 {
                        s.b == b
                    } else {
                        let start = s.b as usize;
                        &self.terms.arena.as_bytes()[start..start + key.len()]
                            == key
                    }))
            {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    /// The id of `term`, if interned.
    #[inline]
    pub fn get(&self, term: &str) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        let key = term.as_bytes();
        let id = self.slots[self.find(key, hash_key(key))].id;
        (id != EMPTY).then_some(id)
    }

    /// The id of `term`, interning it if new.
    #[inline]
    pub fn intern(&mut self, term: &str) -> u32 {
        self.reserve(1);
        let slot = self.insert(term, hash_key(term.as_bytes()));
        self.slots[slot].id
    }

    /// The ids of every key in `keys`, in order, into `ids` (cleared
    /// first), interning new keys.
    ///
    /// At a million types the table is far larger than the cache and a
    /// lookup of a rare word waits for memory. So the batch is looked up
    /// in two loops: the first only loads each key's first slot (loads
    /// that do not depend on each other, so the processor has many in
    /// flight at once), the second probes, mostly in cache by then.
    pub fn intern_all(&mut self, keys: &Keys, ids: &mut Vec<u32>) {
        self.batch(keys.len(), |i| keys.get(i), ids, true, |s| s.id);
    }

    /// The values ([`Interner::set_value`]) of the `n` keys `key(0)`,
    /// ..., `key(n - 1)` into `values` (cleared first), in one batch as
    /// [`Interner::intern_all`]: a new key is interned with the value 0
    /// when `insert`, and has the value [`MISSING`] otherwise. A value
    /// is read from the slot the lookup reads anyway: no second lookup
    /// by id.
    pub fn values_each<'k>(
        &mut self,
        n: usize,
        key: impl Fn(usize) -> &'k str,
        values: &mut Vec<u32>,
        insert: bool,
    ) {
        self.batch(n, key, values, insert, |s| {
            if s.id == EMPTY { MISSING } else { s.value }
        });
    }

    /// Sets the value of `key`, which must be interned.
    pub fn set_value(&mut self, key: &str, value: u32) {
        let key = key.as_bytes();
        let i = self.find(key, hash_key(key));
        debug_assert!(self.slots[i].id != EMPTY, "set_value of a new key");
        if self.slots[i].id != EMPTY {
            self.slots[i].value = value;
        }
    }

    /// Looks up a batch of keys, interning new ones when `insert`, and
    /// pushes `read(slot)` of each key's slot (a free slot for a key not
    /// interned) into `out`.
    fn batch<'k>(
        &mut self,
        n: usize,
        key: impl Fn(usize) -> &'k str,
        out: &mut Vec<u32>,
        insert: bool,
        read: impl Fn(&Slot) -> u32,
    ) {
        out.clear();
        let mut hashes = std::mem::take(&mut self.hashes);
        hashes.clear();
        hashes.extend((0..n).map(|i| hash_key(key(i).as_bytes())));
        // (Makes the first table if there is none, so `mask` is valid.)
        self.reserve(if insert { n } else { 0 });
        let mask = self.slots.len() - 1;
        let mut touch = 0u32;
        for &hash in &hashes {
            touch ^= self.slots[hash as usize & mask].tag;
        }
        std::hint::black_box(touch);
        for (i, &hash) in hashes.iter().enumerate() {
            let k = key(i);
            let slot = if insert {
                self.insert(k, hash)
            } else {
                self.find(k.as_bytes(), hash)
            };
            out.push(read(&self.slots[slot]));
        }
        self.hashes = hashes;
    }

    /// Grows the table so that `more` new keys keep it at most 5/8 full.
    #[inline]
    fn reserve(&mut self, more: usize) {
        while (self.terms.len() + more) * 8 >= self.slots.len() * 5 {
            self.grow();
        }
    }

    /// The slot of `term`, interning it if new; the table has room.
    #[inline]
    fn insert(&mut self, term: &str, hash: u64) -> usize {
        let key = term.as_bytes();
        let i = self.find(key, hash);
        if self.slots[i].id != EMPTY {
            return i;
        }
        let (id, start) = self.terms.push(term);
        self.slots[i] = Self::slot(key, hash, id, start, 0);
        i
    }

    fn slot(key: &[u8], hash: u64, id: u32, start: u64, value: u32) -> Slot {
        let (a, b) = pack(key);
        let b = if key.len() <= 16 { b } else { start };
        let (len, tag) = (key.len() as u32, (hash >> 32) as u32);
        Slot { a, b, len, id, tag, value }
    }

    /// Doubles the table (or makes the first one) and moves every key's
    /// slot into it, in the order of the old table.
    #[cold]
    fn grow(&mut self) {
        // The first table is small: an interner per `--by` group (or per
        // chunk cache) must cost what its keys need, not 32 KB (1024
        // slots), which made 100,000 groups take 3.35 GB.
        let size = (self.slots.len() * 2).max(16);
        let old = std::mem::replace(&mut self.slots, vec![FREE; size]);
        let mask = size - 1;
        for slot in old.iter().filter(|s| s.id != EMPTY) {
            let key = self.term(slot.id).as_bytes();
            let hash = hash_key(key);
            let mut i = hash as usize & mask;
            while self.slots[i].id != EMPTY {
                i = (i + 1) & mask;
            }
            self.slots[i] = *slot;
        }
    }

    /// The term with id `id`.
    pub fn term(&self, id: u32) -> &str {
        self.terms.term(id)
    }

    /// Every (id, term), in id order.
    pub fn iter(&self) -> impl Iterator<Item = (u32, &str)> {
        self.terms.iter()
    }
}

/// What interns terms: [`Interner`] and [`Vocab`].
pub trait Intern {
    /// The id of `term`, interning it if new.
    fn intern(&mut self, term: &str) -> u32;
}

impl Intern for Interner {
    #[inline]
    fn intern(&mut self, term: &str) -> u32 {
        Interner::intern(self, term)
    }
}

/// The terms of an interner in id order: every term's bytes in one
/// arena `String`, so ids map back to terms without an allocation per
/// term.
#[derive(Debug, Clone, Default)]
struct Terms {
    arena: String,
    /// Start of each id's term in `arena` (the end is the next start).
    starts: Vec<u64>,
}

impl Terms {
    fn len(&self) -> usize {
        self.starts.len()
    }

    /// Appends `term`: its id and its start in the arena.
    #[inline]
    fn push(&mut self, term: &str) -> (u32, u64) {
        let (id, start) = (self.starts.len() as u32, self.arena.len() as u64);
        self.arena.push_str(term);
        self.starts.push(start);
        (id, start)
    }

    fn term(&self, id: u32) -> &str {
        let start = self.starts[id as usize] as usize;
        let end = self
            .starts
            .get(id as usize + 1)
            .map_or(self.arena.len(), |&s| s as usize);
        &self.arena[start..end]
    }

    fn iter(&self) -> impl Iterator<Item = (u32, &str)> {
        (0..self.starts.len() as u32).map(move |id| (id, self.term(id)))
    }
}

/// Maps terms to dense ids `0, 1, 2, ...` in order of first insertion,
/// in little memory: for a table that is looked up rarely.
///
/// An [`Interner`] keeps each key inline in a 32-byte slot, so that a
/// lookup reads one cache line. A `Vocab` keeps only the id in its table
/// (hashbrown's, 5 bytes a slot at most 7/8 full) and compares a key
/// with the term in the arena: slower per lookup, a sixth of the memory.
/// The frequency counts use it for their items, which are looked up
/// only when a chunk is not remembered ([`crate::chunks`]).
#[derive(Debug, Clone, Default)]
pub struct Vocab {
    table: hashbrown::HashTable<u32>,
    terms: Terms,
}

impl Vocab {
    /// The number of distinct terms.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// Whether no term was interned.
    pub fn is_empty(&self) -> bool {
        self.terms.len() == 0
    }

    /// How many terms the table holds before it next grows.
    pub fn capacity(&self) -> usize {
        self.table.capacity()
    }

    /// The id of `term`, if interned.
    pub fn get(&self, term: &str) -> Option<u32> {
        let terms = &self.terms;
        let hash = hash_key(term.as_bytes());
        self.table.find(hash, |&id| terms.term(id) == term).copied()
    }

    /// The id of `term`, interning it if new.
    pub fn intern(&mut self, term: &str) -> u32 {
        let Vocab { table, terms } = self;
        let hash = hash_key(term.as_bytes());
        if let Some(&id) = table.find(hash, |&id| terms.term(id) == term) {
            return id;
        }
        let id = terms.len() as u32;
        table.insert_unique(hash, id, |&id| {
            hash_key(terms.term(id).as_bytes())
        });
        terms.push(term);
        id
    }

    /// The ids of every key in `keys`, in order, into `ids` (cleared
    /// first), interning new keys.
    pub fn intern_all(&mut self, keys: &Keys, ids: &mut Vec<u32>) {
        ids.clear();
        ids.extend(keys.iter().map(|k| self.intern(k)));
    }

    /// The term with id `id`.
    pub fn term(&self, id: u32) -> &str {
        self.terms.term(id)
    }

    /// Every (id, term), in id order.
    pub fn iter(&self) -> impl Iterator<Item = (u32, &str)> {
        self.terms.iter()
    }
}

impl Intern for Vocab {
    #[inline]
    fn intern(&mut self, term: &str) -> u32 {
        Vocab::intern(self, term)
    }
}

/// The serde form of an [`Interner`] and a [`Vocab`] (a counter's state
/// between processes): its terms in id order, interned again in that
/// order when read, so every id stays the same.
macro_rules! serde_as_terms {
    ($t:ty) => {
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(
                &self,
                s: S,
            ) -> std::result::Result<S::Ok, S::Error> {
                s.collect_seq(self.iter().map(|(_, term)| term))
            }
        }

        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(
                d: D,
            ) -> std::result::Result<$t, D::Error> {
                d.deserialize_seq(TermsVisitor(<$t>::default()))
            }
        }

        impl<'de> serde::de::Visitor<'de> for TermsVisitor<$t> {
            type Value = $t;
            fn expecting(
                &self,
                f: &mut std::fmt::Formatter,
            ) -> std::fmt::Result {
                f.write_str("a list of distinct terms")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                mut self,
                mut seq: A,
            ) -> std::result::Result<$t, A::Error> {
                while let Some(term) = seq.next_element::<&str>()? {
                    let id = self.0.intern(term);
                    if id as usize + 1 != self.0.len() {
                        return Err(serde::de::Error::custom(
                            "a term is listed twice",
                        ));
                    }
                }
                Ok(self.0)
            }
        }
    };
}

/// Reads the terms of an interner (see `serde_as_terms`).
struct TermsVisitor<T>(T);

serde_as_terms!(Interner);
serde_as_terms!(Vocab);

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

    #[test]
    fn a_vocab_gives_the_ids_of_an_interner() {
        let mut inline = Interner::new();
        let mut vocab = Vocab::default();
        let mut keys = Keys::default();
        let mut ids = Vec::new();
        // Repeats, long keys, keys that differ in the last byte, the
        // empty key; enough to make both tables grow several times.
        for n in 0..20_000u32 {
            let key = match n % 5 {
                0 => format!("w{}", n % 3000),
                1 => format!("a much longer key number {}", n % 7000),
                2 => "yang".to_string(),
                3 => String::new(),
                _ => format!("sixteen-bytes-{:02}", n % 100),
            };
            let want = inline.intern(&key);
            assert_eq!(Intern::intern(&mut vocab, &key), want, "{key:?}");
            keys.push(&key);
        }
        assert_eq!(vocab.len(), inline.len());
        assert!(vocab.capacity() >= vocab.len());
        for (id, term) in inline.iter() {
            assert_eq!(vocab.term(id), term);
            assert_eq!(vocab.get(term), Some(id));
        }
        assert_eq!(vocab.get("never seen"), None);
        vocab.intern_all(&keys, &mut ids);
        let want: Vec<u32> =
            keys.iter().map(|k| inline.get(k).unwrap()).collect();
        assert_eq!(ids, want);
        assert_eq!(vocab.iter().count(), inline.len());
    }

    #[test]
    fn values_are_kept_through_growth_and_read_in_batches() {
        let mut i = Interner::new();
        let keys: Vec<String> = (0..5000)
            .map(|n| {
                if n % 2 == 0 {
                    format!("w{n}")
                } else {
                    format!("a longer key, number {n}")
                }
            })
            .collect();
        let mut values = Vec::new();
        // New keys start at 0; a lookup without insert of a key never
        // interned gives MISSING and interns nothing.
        i.values_each(2, |k| keys[k].as_str(), &mut values, false);
        assert_eq!(values, [MISSING, MISSING]);
        assert!(i.is_empty());
        i.values_each(100, |k| keys[k].as_str(), &mut values, true);
        assert_eq!(values, vec![0; 100]);
        for (n, k) in keys.iter().enumerate().take(100) {
            i.set_value(k, n as u32 * 3 + 1);
        }
        // Growth (5000 keys) keeps the values and the ids.
        i.values_each(keys.len(), |k| keys[k].as_str(), &mut values, true);
        for (n, &v) in values.iter().enumerate() {
            assert_eq!(v, if n < 100 { n as u32 * 3 + 1 } else { 0 }, "{n}");
            assert_eq!(i.get(&keys[n]), Some(n as u32));
        }
        let probe = ["w4", "never", "a longer key, number 7"];
        i.values_each(3, |k| probe[k], &mut values, false);
        assert_eq!(values, [13, MISSING, 22]);
        assert_eq!(i.len(), keys.len());
    }

    #[test]
    fn intern_all_gives_the_ids_of_intern() {
        // Batches that repeat keys, bring new ones (long keys, keys that
        // differ in their last byte) and make the table grow mid-way.
        let mut one = Interner::new();
        let mut all = Interner::new();
        let mut keys = Keys::default();
        let mut ids = Vec::new();
        for batch in 0..50u32 {
            keys.clear();
            let mut want = Vec::new();
            for k in 0..(batch * 37) % 400 {
                let key = match k % 4 {
                    0 => format!("w{}", (k * 7 + batch) % 300),
                    1 => format!("a much longer key number {}", k % 90),
                    2 => "yang".to_string(),
                    _ => format!("sixteen-bytes-{:02}", k % 100),
                };
                want.push(one.intern(&key));
                keys.push(&key);
            }
            all.intern_all(&keys, &mut ids);
            assert_eq!(ids, want, "batch {batch}");
            assert_eq!(keys.iter().count(), keys.len());
        }
        assert_eq!(all.len(), one.len());
        // A lookup without insert finds the keys interned (value 0, never
        // set), gives MISSING for the others and interns nothing new.
        keys.clear();
        for key in ["yang", "w7", "never seen", "a much longer key number 3"] {
            keys.push(key);
        }
        let before = all.len();
        all.values_each(keys.len(), |i| keys.get(i), &mut ids, false);
        let want: Vec<u32> =
            keys.iter().map(|k| one.get(k).map_or(MISSING, |_| 0)).collect();
        assert_eq!(ids, want);
        assert_eq!(ids[2], MISSING);
        assert_eq!(all.len(), before);
        let mut fresh = Interner::new();
        fresh.values_each(keys.len(), |i| keys.get(i), &mut ids, false);
        assert!(ids.iter().all(|&id| id == MISSING));
        for (id, term) in one.iter() {
            assert_eq!(all.term(id), term);
            assert_eq!(all.get(term), Some(id));
        }
    }
}
