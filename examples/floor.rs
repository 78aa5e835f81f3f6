//! The simplest fast word count, as a yardstick for `korpus freq` in
//! `benches/compare.sh`: what a frequency list costs on this machine
//! before any of the work korpus does.
//!
//! `cargo run --release --example floor -- NEWS.jsonl`
//!
//! It reads the whole file into memory, takes each line's `"text"`
//! string as it stands (escapes left in, no JSON parsing), splits it at
//! bytes up to 0x20 and counts each run in a hash table per thread
//! (hashbrown with foldhash, keys borrowed from the file: no allocation
//! per token), on all cores. No tokenizer, no normalization (case,
//! entities, NFC), no dispersion, no merge of the threads' tables, no
//! output but the totals on stderr. Its time is a floor for a count by
//! hashing, not a rival: its "words" are not korpus's tokens.

use std::io::Write;

use hashbrown::HashMap;
use rayon::prelude::*;

fn main() -> std::io::Result<()> {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: floor NEWS.jsonl");
        std::process::exit(2);
    };
    let data = std::fs::read(&path)?;
    let lines: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
    let threads = rayon::current_num_threads().max(1);
    let (tokens, types) = lines
        .par_chunks(lines.len().div_ceil(threads).max(1))
        .map(|part| {
            let mut counts =
                HashMap::<&[u8], u64, foldhash::fast::RandomState>::default();
            let mut tokens = 0u64;
            for text in part.iter().filter_map(|line| text_field(line)) {
                for run in text.split(|&b| b <= b' ').filter(|r| !r.is_empty())
                {
                    tokens += 1;
                    *counts.entry(run).or_insert(0) += 1;
                }
            }
            (tokens, counts.len() as u64)
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    writeln!(
        std::io::stderr(),
        "{tokens} runs; {types} distinct runs summed over {threads} threads"
    )
}

/// The raw bytes of a line's `"text"` string: from after its opening
/// quote to the first quote not preceded by a backslash.
fn text_field(line: &[u8]) -> Option<&[u8]> {
    let at = memchr::memmem::find(line, b"\"text\":\"")? + 8;
    let rest = &line[at..];
    let end = memchr::memchr_iter(b'"', rest)
        .find(|&q| q == 0 || rest[q - 1] != b'\\')?;
    Some(&rest[..end])
}
