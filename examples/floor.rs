//! The fastest plain word count we could write, as a yardstick for
//! `korpus freq` and `korpus colloc` in `benches/compare.sh`: what a
//! frequency count costs on this machine before any of the work korpus
//! does.
//!
//! `cargo run --release --example floor -- NEWS.jsonl [count|split]`
//!
//! The file is cut into one part per core at line ends, and each thread
//! reads its part in 4 MiB pieces (positioned reads into one reused
//! buffer), takes each line's `"text"` string as it stands (escapes
//! left in, no JSON parsing), and finds the runs of bytes above 0x20 in
//! it, 64 bytes at a time (a bitmask of the block's white space, the
//! runs read off its bit changes). In `count` mode (the default) each
//! line's runs are counted in the thread's own table: korpus's
//! [`Interner`], one batch per line, which was faster here than
//! hashbrown with foldhash (4.4 against 5.2 s on 1 GB of generated
//! news, two threads). In `split` mode the runs are only found, not
//! looked up: the cost of reading and splitting alone.
//!
//! No tokenizer, no normalization (case, entities, NFC), no dispersion,
//! no merge of the threads' tables, no output but the totals on stderr.
//! Its "words" are not korpus's tokens (`China,` and `china` are two
//! runs), so its time is a floor for an exact count by hashing, not a
//! rival.

use std::io::Write;
use std::os::unix::fs::FileExt;

use korpus::intern::{Interner, Keys};

/// The size of each positioned read.
const PIECE: usize = 4 << 20;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(path), mode) = (args.next(), args.next()) else {
        eprintln!("usage: floor NEWS.jsonl [count|split]");
        std::process::exit(2);
    };
    let count = match mode.as_deref() {
        None | Some("count") => true,
        Some("split") => false,
        Some(other) => {
            eprintln!("floor: unknown mode '{other}' (count or split)");
            std::process::exit(2);
        }
    };
    let file = std::fs::File::open(&path)?;
    let size = file.metadata()?.len();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let cuts = cut_at_lines(&file, size, threads)?;
    let parts: Vec<(u64, usize)> = std::thread::scope(|s| {
        let handles: Vec<_> = cuts
            .windows(2)
            .map(|w| {
                let (file, (from, to)) = (&file, (w[0], w[1]));
                s.spawn(move || count_part(file, from, to, count))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a counting thread panicked"))
            .collect::<std::io::Result<_>>()
    })?;
    let runs: u64 = parts.iter().map(|p| p.0).sum();
    let types: usize = parts.iter().map(|p| p.1).sum();
    writeln!(
        std::io::stderr(),
        "{runs} runs; {types} distinct runs summed over {threads} threads"
    )
}

/// `parts + 1` offsets from 0 to `size`, each inner one just after a
/// line end.
fn cut_at_lines(
    file: &std::fs::File,
    size: u64,
    parts: usize,
) -> std::io::Result<Vec<u64>> {
    let mut cuts = vec![0];
    let mut byte = [0u8; 1];
    for p in 1..parts as u64 {
        let mut at = (size * p / parts as u64).max(*cuts.last().unwrap_or(&0));
        while at < size {
            file.read_exact_at(&mut byte, at)?;
            at += 1;
            if byte[0] == b'\n' {
                break;
            }
        }
        cuts.push(at);
    }
    cuts.push(size);
    Ok(cuts)
}

/// Counts the runs of the lines in `from..to`: (runs, distinct runs).
fn count_part(
    file: &std::fs::File,
    from: u64,
    to: u64,
    count: bool,
) -> std::io::Result<(u64, usize)> {
    let mut buf: Vec<u8> = Vec::new();
    let mut table = Interner::new();
    let mut counts: Vec<u64> = Vec::new();
    let (mut keys, mut ids, mut runs) =
        (Keys::default(), Vec::new(), Vec::new());
    let mut total = 0u64;
    let mut at = from;
    while at < to {
        // The bytes left after the last full line, then the next piece.
        let want = (to - at).min(PIECE as u64) as usize;
        let have = buf.len();
        buf.resize(have + want, 0);
        file.read_exact_at(&mut buf[have..], at)?;
        at += want as u64;
        let end = if at == to {
            buf.len()
        } else {
            memchr::memrchr(b'\n', &buf).map_or(0, |i| i + 1)
        };
        for text in buf[..end].split(|&b| b == b'\n').filter_map(text_field) {
            runs.clear();
            each_run(text, |s, e| runs.push((s, e)));
            total += runs.len() as u64;
            if !count {
                continue;
            }
            // Runs cut at ASCII bytes of valid UTF-8 are valid UTF-8.
            let text = std::str::from_utf8(text).unwrap_or_default();
            keys.clear();
            for &(s, e) in &runs {
                keys.push(text.get(s..e).unwrap_or_default());
            }
            table.intern_all(&keys, &mut ids);
            counts.resize(table.len(), 0);
            for &id in &ids {
                counts[id as usize] += 1;
            }
        }
        buf.drain(..end);
    }
    Ok((total, table.len()))
}

/// Calls `f(start, end)` for each run of bytes above 0x20 in `text`, 64
/// bytes at a time: a bitmask of the block's bytes up to 0x20, whose bit
/// changes are where runs start and end.
fn each_run(text: &[u8], mut f: impl FnMut(usize, usize)) {
    let (mut start, mut in_run, mut base) = (0, false, 0);
    for block in text.chunks(64) {
        let mut space = 0u64;
        for (j, &b) in block.iter().enumerate() {
            space |= u64::from(b <= b' ') << j;
        }
        if block.len() < 64 {
            space |= !0u64 << block.len();
        }
        let word = !space;
        // Bit j: whether byte j - 1 is in a run.
        let before = (word << 1) | u64::from(in_run);
        let starts = word & !before;
        let mut changes = starts | (space & before);
        while changes != 0 {
            let j = changes.trailing_zeros() as usize;
            changes &= changes - 1;
            if starts >> j & 1 == 1 {
                start = base + j;
            } else {
                f(start, base + j);
            }
        }
        in_run = word >> 63 == 1;
        base += block.len();
    }
    if in_run {
        f(start, base);
    }
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

#[cfg(test)]
mod tests {
    use super::each_run;

    #[test]
    fn runs_are_the_pieces_between_white_space() {
        let texts: Vec<String> = vec![
            String::new(),
            " ".into(),
            "a".into(),
            " a  bb\tccc\n".into(),
            "x".repeat(63) + " y",
            "x".repeat(64) + " y",
            "x".repeat(65),
            " ".repeat(64) + "z",
            "Tiongkok, (Antara) — café\u{1}ok".repeat(9),
        ];
        for t in &texts {
            let mut got = Vec::new();
            each_run(t.as_bytes(), |s, e| got.push(&t.as_bytes()[s..e]));
            let want: Vec<&[u8]> = t
                .as_bytes()
                .split(|&b| b <= b' ')
                .filter(|r| !r.is_empty())
                .collect();
            assert_eq!(got, want, "{t:?}");
        }
    }
}
