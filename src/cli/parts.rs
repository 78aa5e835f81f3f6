//! `colloc --all --parts DIR` in `korpus dist`: every worker writes its
//! part of the pairs to `DIR/part-NNNNN.EXT` (the pairs are never
//! gathered in one process); process 0 writes `DIR/_SUCCESS` once every
//! part is complete.

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use korpus::dist::Backend;
use korpus::nltk::Pairs;
use korpus::scan::Subcorpus;

use super::args::usage;

/// How a part is written.
pub trait PartWrite: Send + Sync + 'static {
    /// The file name extension of the parts.
    fn extension(&self) -> &'static str;
    /// Writes `pairs` to `path` (atomically, at once); returns the row
    /// count.
    fn write(&self, pairs: &Pairs, path: &Path) -> anyhow::Result<u64>;
}

/// Writes the pairs within `window` of `sub` in parts to `dir` (see the
/// module); returns the rows written and the number of parts.
pub fn write(
    backend: &Backend,
    sub: &Subcorpus,
    (window, min_count, max_pairs): (usize, u64, usize),
    dir: &Path,
    writer: Arc<impl PartWrite>,
) -> anyhow::Result<(u64, usize)> {
    if !backend.is_distributed() {
        return Err(usage("--parts is for korpus dist"));
    }
    // Process 0 clears the directory before any part can be written
    // (parts are written only after every process has joined).
    if backend.writes() {
        clear(dir)?;
    }
    let ext = writer.extension();
    let dir2 = dir.to_path_buf();
    let write = move |index: usize, p: &Pairs| {
        let path = dir2.join(format!("part-{index:05}.{ext}"));
        writer.write(p, &path).map_err(|e| korpus::error::Error::Distributed {
            message: format!("{e:#}"),
            input: false,
        })
    };
    let (total, parts) = korpus::nltk::pairs_in_parts(
        backend, sub, window, min_count, max_pairs, write,
    )?;
    if backend.writes() {
        success(dir, ext, total, parts)?;
    }
    Ok((total, parts))
}

/// Writes `dir/_SUCCESS`: the korpus version, the command line, the
/// part files and the rows in all.
fn success(
    dir: &Path,
    ext: &str,
    rows: u64,
    parts: usize,
) -> anyhow::Result<()> {
    let success = serde_json::json!({
        "korpus": env!("CARGO_PKG_VERSION"),
        "command": std::env::args().collect::<Vec<_>>(),
        "parts": (0..parts)
            .map(|i| format!("part-{i:05}.{ext}"))
            .collect::<Vec<_>>(),
        "rows": rows,
    });
    let mut out = super::output::Output::open_part(&dir.join("_SUCCESS"))?;
    std::io::Write::write_all(
        &mut out,
        format!("{}\n", serde_json::to_string_pretty(&success)?).as_bytes(),
    )?;
    out.finish()?;
    Ok(())
}

/// Removes `dir/_SUCCESS` and earlier part files (creating `dir` if
/// needed), so that nothing of an earlier run looks like this one's.
fn clear(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("creating {}", dir.display()))?;
    let success = dir.join("_SUCCESS");
    if success.exists() {
        std::fs::remove_file(&success)
            .with_context(|| format!("removing {}", success.display()))?;
    }
    for entry in std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
    {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("part-") {
            std::fs::remove_file(entry.path()).with_context(|| {
                format!("removing {}", entry.path().display())
            })?;
        }
    }
    Ok(())
}
