//! A cache of corpus frequency tables, so that the collocates of one
//! node after another on the same corpus read only the documents each
//! node occurs in (see [`crate::colloc::collocates_with_freqs`]).
//!
//! A table is stored as `DIR/freq-KEY.tsv`, where KEY is the SHA-256 of
//! the korpus version, the settings that decide what is counted (the
//! caller's string: analysis options, `--where`, reading options) and
//! each input file's path, size and modification time. A changed file,
//! setting or version gives another key, so a stale table is never
//! used; old files are simply left behind (delete DIR at will).
//!
//! The file: a first line `#korpus-freq-cache v1`, a second
//! `tokens<TAB>N`, then `term<TAB>freq` in byte order of the terms
//! (terms never hold tabs or line breaks). It is written atomically.

use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::colloc::FreqTable;
use crate::corpus::Corpus;
use crate::error::{Error, Result};

const MAGIC: &str = "#korpus-freq-cache v1";

/// The cache key of `corpus` under `settings`; `None` for a corpus read
/// from a stream, which cannot be recognized again.
pub fn key(corpus: &Corpus, settings: &str) -> Option<String> {
    let inputs = corpus.fingerprint()?;
    let mut h = Sha256::new();
    for part in [env!("CARGO_PKG_VERSION"), settings, &inputs] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    Some(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

fn path(dir: &Path, key: &str) -> PathBuf {
    dir.join(format!("freq-{key}.tsv"))
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
/// always): a table of millions of terms is read, not built.
pub fn load_terms(
    dir: &Path,
    key: &str,
    keep: &dyn Fn(&str) -> bool,
) -> Result<Option<FreqTable>> {
    let p = path(dir, key);
    let text = match std::fs::read_to_string(&p) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(Error::Io { path: p, error }),
    };
    let bad = |line: usize| Error::Input {
        path: format!("{}:{line}", p.display()),
        message:
            "not a korpus frequency cache line (delete the file to recount)"
                .to_string(),
    };
    let mut lines = text.lines();
    if lines.next() != Some(MAGIC) {
        return Err(bad(1));
    }
    let tokens = lines
        .next()
        .and_then(|l| l.strip_prefix("tokens\t"))
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| bad(2))?;
    let mut table = FreqTable { tokens, ..FreqTable::default() };
    for (i, line) in lines.enumerate() {
        let (term, n) = line.rsplit_once('\t').ok_or_else(|| bad(i + 3))?;
        if !keep(term) {
            continue;
        }
        let n: u64 = n.parse().map_err(|_| bad(i + 3))?;
        table.freqs.insert(term.to_string(), n);
    }
    Ok(Some(table))
}

/// Stores `table` under `key` (creating `dir`), atomically.
pub fn save(dir: &Path, key: &str, table: &FreqTable) -> Result<()> {
    let io = |error| Error::Io { path: dir.to_path_buf(), error };
    std::fs::create_dir_all(dir).map_err(io)?;
    let mut terms: Vec<(&String, &u64)> = table.freqs.iter().collect();
    terms.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
    {
        let mut w = std::io::BufWriter::new(tmp.as_file_mut());
        writeln!(w, "{MAGIC}\ntokens\t{}", table.tokens).map_err(io)?;
        for (t, n) in terms {
            writeln!(w, "{t}\t{n}").map_err(io)?;
        }
        w.flush().map_err(io)?;
    }
    tmp.persist(path(dir, key)).map_err(|e| io(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_round_trip_and_damage_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let mut t = FreqTable { tokens: 7, ..FreqTable::default() };
        t.freqs.insert("tiongkok".into(), 3);
        t.freqs.insert("dan".into(), 4);
        assert_eq!(load(dir.path(), "k").unwrap(), None);
        save(dir.path(), "k", &t).unwrap();
        assert_eq!(load(dir.path(), "k").unwrap(), Some(t));
        let text = std::fs::read_to_string(path(dir.path(), "k")).unwrap();
        assert_eq!(
            text,
            "#korpus-freq-cache v1\ntokens\t7\ndan\t4\ntiongkok\t3\n"
        );
        std::fs::write(
            path(dir.path(), "k"),
            "#korpus-freq-cache v1\ntokens\t7\nx\n",
        )
        .unwrap();
        let e = load(dir.path(), "k").unwrap_err().to_string();
        assert!(
            e.contains("freq-k.tsv:3: not a korpus frequency cache line"),
            "{e}"
        );
    }
}
