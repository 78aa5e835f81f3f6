//! A cache of corpus frequency tables, so that the collocates of one
//! node after another on the same corpus read only the documents each
//! node occurs in (see [`crate::colloc::collocates_with_freqs`]).
//!
//! A table is stored as `DIR/freq-KEY.tsv`, where KEY is the SHA-256 of
//! the korpus version, the settings that decide what is counted (the
//! caller's string: analysis options, `--where`, reading options) and
//! each input file's path, size and SHA-256 (the checksum the
//! provenance record gives): the key follows the contents, so a file
//! changed with its size and modification time kept gives another key
//! and a stale table is never used. Old files are simply left behind
//! (delete DIR at will).
//!
//! The file: a first line `#korpus-freq-cache v2`, a second
//! `tokens<TAB>N`, then `term<TAB>freq` in byte order of the terms
//! (terms never hold tabs or line breaks), and last `#sha256<TAB>` with
//! the SHA-256 of everything before that line. It is written
//! atomically. A table is used only if its checksum matches and its
//! invariants hold (a positive token total; terms non-empty, unique
//! and in order; each frequency from 1 to the total; the frequencies
//! summing to at most the total): anything else is an error naming the
//! file and line (exit code 2), never numbers from a damaged table.

use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::colloc::FreqTable;
use crate::corpus::Corpus;
use crate::error::{Error, Result};

const MAGIC: &str = "#korpus-freq-cache v2";
const CHECKSUM: &str = "#sha256\t";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The cache key of `corpus` under `settings`; `None` for a corpus read
/// from a stream, which cannot be recognized again. Reads every input
/// file once (for its SHA-256).
pub fn key(corpus: &Corpus, settings: &str) -> Result<Option<String>> {
    let Some(inputs) = corpus.fingerprint()? else {
        return Ok(None);
    };
    let mut h = Sha256::new();
    for part in [env!("CARGO_PKG_VERSION"), settings, &inputs] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    Ok(Some(hex(&h.finalize())))
}

fn path(dir: &Path, key: &str) -> PathBuf {
    dir.join(format!("freq-{key}.tsv"))
}

/// Checks that `dir` can hold the cache: an existing directory or one
/// that can be made, where files can be written. Errors are usage errors
/// (exit code 2) naming the directory, found before anything is counted.
pub fn check_dir(dir: &Path) -> Result<()> {
    let bad = |why: String| {
        Err(Error::Usage(format!(
            "--freq-cache {}: {why}: give a directory korpus can write to",
            dir.display()
        )))
    };
    if dir.exists() && !dir.is_dir() {
        return bad("not a directory".to_string());
    }
    if let Err(e) = std::fs::create_dir_all(dir) {
        return bad(format!("cannot be made ({e})"));
    }
    if let Err(e) =
        tempfile::Builder::new().prefix(".korpus-").tempfile_in(dir)
    {
        return bad(format!("cannot be written ({e})"));
    }
    Ok(())
}

/// Whether a table is stored under `key`.
pub fn exists(dir: &Path, key: &str) -> bool {
    path(dir, key).is_file()
}

/// The table stored under `key`, if any. A damaged file is an error
/// naming it (delete it to recount).
pub fn load(dir: &Path, key: &str) -> Result<Option<FreqTable>> {
    load_terms(dir, key, &|_| true)
}

/// [`load`], keeping only the terms `keep` wants (the token total
/// always): a table of millions of terms is read and checked, not
/// built.
pub fn load_terms(
    dir: &Path,
    key: &str,
    keep: &dyn Fn(&str) -> bool,
) -> Result<Option<FreqTable>> {
    let p = path(dir, key);
    let text = match std::fs::read_to_string(&p) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
            return Err(damaged(&p, 0, "not UTF-8"));
        }
        Err(error) => return Err(Error::Io { path: p, error }),
    };
    let body_end =
        text.trim_end_matches('\n').rfind('\n').map_or(0, |i| i + 1);
    let (body, last) = text.split_at(body_end);
    let lines_before = body.lines().count();
    let stored =
        last.strip_suffix('\n').and_then(|l| l.strip_prefix(CHECKSUM));
    if stored != Some(hex(&Sha256::digest(body.as_bytes())).as_str()) {
        return Err(damaged(
            &p,
            lines_before + 1,
            "its checksum does not match (the file was changed or cut short)",
        ));
    }
    let mut lines = body.lines();
    if lines.next() != Some(MAGIC) {
        return Err(damaged(&p, 1, "not a korpus frequency cache (v2) file"));
    }
    let tokens: u64 = lines
        .next()
        .and_then(|l| l.strip_prefix("tokens\t"))
        .and_then(|n| n.parse().ok())
        .filter(|&n| n > 0)
        .ok_or_else(|| damaged(&p, 2, "no positive token total"))?;
    let mut table = FreqTable { tokens, ..FreqTable::default() };
    let mut previous: Option<&str> = None;
    let mut sum = 0u64;
    for (i, line) in lines.enumerate() {
        let bad = |why| damaged(&p, i + 3, why);
        let (term, n) = line
            .rsplit_once('\t')
            .ok_or_else(|| bad("not a term and its frequency"))?;
        let n: u64 = n.parse().map_err(|_| bad("not a frequency"))?;
        if term.is_empty() || term.contains('\t') {
            return Err(bad("not a term"));
        }
        if previous.is_some_and(|t| t.as_bytes() >= term.as_bytes()) {
            return Err(bad("a term repeated or out of order"));
        }
        previous = Some(term);
        if n == 0 || n > tokens {
            return Err(bad("a frequency of 0 or above the token total"));
        }
        sum = sum.saturating_add(n);
        if sum > tokens {
            return Err(bad(
                "the frequencies add up to more than the token total",
            ));
        }
        if keep(term) {
            table.freqs.insert(term.to_string(), n);
        }
    }
    Ok(Some(table))
}

/// A writer that hashes what it writes.
struct Hashing<W> {
    inner: W,
    hash: Sha256,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

fn damaged(p: &Path, line: usize, why: &str) -> Error {
    let path = if line == 0 {
        p.display().to_string()
    } else {
        format!("{}:{line}", p.display())
    };
    Error::Input {
        path,
        message: format!(
            "damaged frequency cache: {why} (delete the file to recount)"
        ),
    }
}

/// Stores `table` under `key` (creating `dir`), atomically. Errors are
/// output errors (exit code 1) naming the file. `temporary` is told the
/// temporary file's path before it is written (for the caller to remove
/// it if the process is interrupted).
pub fn save(
    dir: &Path,
    key: &str,
    table: &FreqTable,
    temporary: &mut dyn FnMut(&Path),
) -> Result<()> {
    let target = path(dir, key);
    let io = |e: std::io::Error| {
        Error::Output(std::io::Error::new(
            e.kind(),
            format!("{}: {e}", target.display()),
        ))
    };
    std::fs::create_dir_all(dir).map_err(io)?;
    let mut terms: Vec<(&String, &u64)> = table.freqs.iter().collect();
    terms.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut tmp = tempfile::Builder::new()
        .prefix(".korpus-")
        .tempfile_in(dir)
        .map_err(io)?;
    temporary(tmp.path());
    {
        let file = std::io::BufWriter::new(tmp.as_file_mut());
        let mut w = Hashing { inner: file, hash: Sha256::new() };
        writeln!(w, "{MAGIC}\ntokens\t{}", table.tokens).map_err(io)?;
        for (t, n) in terms {
            writeln!(w, "{t}\t{n}").map_err(io)?;
        }
        let sum = hex(&w.hash.finalize_reset());
        writeln!(w.inner, "{CHECKSUM}{sum}").map_err(io)?;
        w.inner.flush().map_err(io)?;
    }
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(&target).map_err(|e| io(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> FreqTable {
        let mut t = FreqTable { tokens: 7, ..FreqTable::default() };
        t.freqs.insert("tiongkok".into(), 3);
        t.freqs.insert("dan".into(), 4);
        t
    }

    /// A file with `body` and a correct checksum line.
    fn with_checksum(body: &str) -> String {
        format!("{body}{CHECKSUM}{}\n", hex(&Sha256::digest(body)))
    }

    #[test]
    fn tables_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load(dir.path(), "k").unwrap(), None);
        save(dir.path(), "k", &table(), &mut |_| {}).unwrap();
        assert_eq!(load(dir.path(), "k").unwrap(), Some(table()));
        let text = std::fs::read_to_string(path(dir.path(), "k")).unwrap();
        let body = "#korpus-freq-cache v2\ntokens\t7\ndan\t4\ntiongkok\t3\n";
        assert_eq!(text, with_checksum(body));
    }

    /// Each damage is refused with the file and line named, never read
    /// as numbers.
    #[test]
    fn damaged_tables_are_refused() {
        let good = "#korpus-freq-cache v2\ntokens\t7\ndan\t4\ntiongkok\t3\n";
        let flipped = good.replace("dan\t4", "dan\t5");
        let cases: &[(String, &str)] = &[
            // A changed digit under the old checksum.
            (
                format!("{flipped}{CHECKSUM}{}\n", hex(&Sha256::digest(good))),
                ":5: damaged frequency cache: its checksum does not match",
            ),
            // Cut short: the checksum line is gone.
            (good.to_string(), ":4: damaged frequency cache: its checksum"),
            // The checksum recomputed, the invariants broken.
            (
                with_checksum(&good.replace("tiongkok\t3", "tiongkok\t0")),
                ":4: damaged frequency cache: a frequency of 0",
            ),
            (
                with_checksum(&good.replace("tokens\t7", "tokens\t0")),
                ":2: damaged frequency cache: no positive token total",
            ),
            (
                with_checksum(&format!("{good}tiongkok\t3\n")),
                ":5: damaged frequency cache: a term repeated or out of order",
            ),
            (
                with_checksum(&good.replace("dan\t4", "zzz\t4")),
                ":4: damaged frequency cache: a term repeated or out of order",
            ),
            (
                with_checksum(&good.replace("dan\t4", "dan\t6")),
                ":4: damaged frequency cache: the frequencies add up",
            ),
            (
                with_checksum(&good.replace("v2", "v1")),
                ":1: damaged frequency cache: not a korpus frequency cache",
            ),
            (
                with_checksum(&format!("{good}x\n")),
                ":5: damaged frequency cache: not a term and its frequency",
            ),
        ];
        for (text, want) in cases {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(path(dir.path(), "k"), text).unwrap();
            let e = load(dir.path(), "k").unwrap_err();
            assert!(matches!(e, Error::Input { .. }), "{text}: {e}");
            let e = e.to_string();
            assert!(e.contains(&format!("freq-k.tsv{want}")), "{text}: {e}");
        }
    }
}
