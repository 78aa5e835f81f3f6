//! The hash maps and sets used everywhere in korpus.
//!
//! This is the only file that names a hasher: every other module uses
//! [`Map`] and [`Set`]. foldhash is fast on short string keys (the common
//! case: one lookup per token) and, with a fixed seed, hashes the same on
//! every run, so nothing that depends on iteration order can vary between
//! runs (output order is still always fixed by an explicit sort).
#![allow(clippy::disallowed_types)]

/// The hasher builder for all korpus maps: foldhash with a fixed seed.
pub type BuildHasher = foldhash::fast::FixedState;

/// A hash map with the korpus hasher.
pub type Map<K, V> = hashbrown::HashMap<K, V, BuildHasher>;

/// A hash set with the korpus hasher.
pub type Set<T> = hashbrown::HashSet<T, BuildHasher>;

/// An empty [`Map`].
pub fn new_map<K, V>() -> Map<K, V> {
    Map::with_hasher(BuildHasher::default())
}

/// An empty [`Set`].
pub fn new_set<T>() -> Set<T> {
    Set::with_hasher(BuildHasher::default())
}
