//! The report directory: built in a temporary directory beside the
//! target, listed in a manifest with SHA-256 checksums, and put in place
//! in one step. Only a new or empty directory, or an earlier report
//! whose every file its manifest lists unchanged, is ever replaced.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context;

use super::super::args::usage;

/// The meta generator tag of the page (and the manifest's generator).
pub(super) const GENERATOR: &str = "korpus report";

/// The file in a report directory that lists the files korpus wrote
/// there, with their SHA-256: only a directory whose every entry is
/// listed, unchanged, is ever replaced.
const MANIFEST: &str = "korpus-manifest.json";

/// A temporary directory beside `target` to build the report in
/// (removed on SIGINT and SIGTERM), and the directory it is in.
pub(super) fn staging(
    target: &Path,
) -> anyhow::Result<(tempfile::TempDir, PathBuf)> {
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let tmp = tempfile::Builder::new()
        .prefix(".korpus-report-")
        .tempdir_in(&parent)
        .with_context(|| {
            format!("creating a temporary directory in {}", parent.display())
        })?;
    super::super::output::remove_on_signal(tmp.path());
    Ok((tmp, parent))
}

/// Writes the page as `index.html` in `dir`, then the manifest of
/// every file there.
pub(super) fn write_page(dir: &Path, html: String) -> anyhow::Result<()> {
    let written = |e| format!("writing the report in {}: {e}", dir.display());
    std::fs::write(dir.join("index.html"), html)
        .map_err(|e| anyhow::anyhow!(written(e)))?;
    write_manifest(dir).map_err(|e| anyhow::anyhow!(written(e)))
}

/// Every file in `dir` with its SHA-256, as the manifest stores them.
fn checksums(dir: &Path) -> std::io::Result<BTreeMap<String, String>> {
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == MANIFEST || !entry.file_type()?.is_file() {
            continue;
        }
        files.insert(name, sha256(&entry.path())?);
    }
    Ok(files)
}

fn sha256(path: &Path) -> std::io::Result<String> {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    std::io::copy(&mut std::fs::File::open(path)?, &mut h)?;
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

fn write_manifest(dir: &Path) -> std::io::Result<()> {
    let record = serde_json::json!({
        "generator": GENERATOR,
        "korpus_version": env!("CARGO_PKG_VERSION"),
        "files": checksums(dir)?,
    });
    let text = serde_json::to_string_pretty(&record)?;
    std::fs::write(dir.join(MANIFEST), format!("{text}\n"))
}

/// What the output directory holds.
pub(super) enum Target {
    /// Nothing there, or an empty directory.
    Free,
    /// An earlier report, unchanged.
    Report,
}

/// Accepts a new or empty directory, or an earlier report whose every
/// file korpus wrote and nobody changed since (its manifest says so);
/// anything else is refused (exit 2), naming what is in the way.
pub(super) fn check_target(target: &Path) -> anyhow::Result<Target> {
    let refuse = |why: String| {
        Err(usage(format!(
            "{} {why}: korpus report only replaces a report it wrote; give a new directory",
            target.display()
        )))
    };
    let meta = match std::fs::symlink_metadata(target) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Target::Free);
        }
        Err(e) => return refuse(format!("cannot be read ({e})")),
        Ok(m) => m,
    };
    if !meta.is_dir() {
        return refuse("exists and is not a directory".to_string());
    }
    let mut names = Vec::new();
    for entry in target
        .read_dir()
        .with_context(|| format!("reading {}", target.display()))?
    {
        let entry =
            entry.with_context(|| format!("reading {}", target.display()))?;
        names.push((entry.file_name().to_string_lossy().into_owned(), entry));
    }
    if names.is_empty() {
        return Ok(Target::Free);
    }
    let manifest = std::fs::read_to_string(target.join(MANIFEST)).ok();
    let listed: Option<BTreeMap<String, String>> = manifest
        .as_deref()
        .and_then(|m| serde_json::from_str::<serde_json::Value>(m).ok())
        .filter(|v| v["generator"] == GENERATOR)
        .and_then(|v| serde_json::from_value(v["files"].clone()).ok());
    let Some(listed) = listed else {
        return refuse(format!(
            "exists and is not a korpus report (it has no valid {MANIFEST})"
        ));
    };
    names.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, entry) in &names {
        if name == MANIFEST {
            continue;
        }
        let Some(sum) = listed.get(name) else {
            return refuse(format!(
                "holds {name}, which korpus report did not write"
            ));
        };
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if !is_file || sha256(&entry.path()).ok().as_ref() != Some(sum) {
            return refuse(format!(
                "holds {name}, changed since korpus report wrote it"
            ));
        }
    }
    Ok(Target::Report)
}

/// Puts the complete report in `tmp` in place of `target`: renamed onto
/// a new or empty directory, or swapped with an earlier report in one
/// step (Linux: renameat2 RENAME_EXCHANGE; elsewhere the old report is
/// moved aside first and put back if the new one cannot take its
/// place). The target is checked again just before, so that a file
/// added meanwhile, or another run that got there first, is not lost.
pub(super) fn install(
    tmp: tempfile::TempDir,
    target: &Path,
    parent: &Path,
) -> anyhow::Result<()> {
    let moving = || format!("moving the report to {}", target.display());
    match check_target(target)? {
        Target::Free => {
            std::fs::rename(tmp.path(), target).map_err(|e| {
                usage(format!(
                    "{}: {e} (another run wrote there meanwhile?)",
                    moving()
                ))
            })?;
            let _ = tmp.keep();
        }
        Target::Report => {
            let old = tempfile::Builder::new()
                .prefix(".korpus-report-old-")
                .tempdir_in(parent)
                .with_context(moving)?;
            super::super::output::remove_on_signal(old.path());
            swap(tmp.path(), target, old.path()).with_context(moving)?;
            // `tmp` now names the old report, `old` an empty directory:
            // both are removed when dropped.
            drop(old);
            drop(tmp);
        }
    }
    Ok(())
}

/// Exchanges directories `new` and `target`.
#[cfg(target_os = "linux")]
fn swap(new: &Path, target: &Path, _spare: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    match renameat_with(CWD, new, CWD, target, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(()),
        Err(e)
            if e == rustix::io::Errno::INVAL
                || e == rustix::io::Errno::NOSYS =>
        {
            swap_by_renames(new, target, _spare)
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(target_os = "linux"))]
fn swap(new: &Path, target: &Path, spare: &Path) -> std::io::Result<()> {
    swap_by_renames(new, target, spare)
}

/// Moves `target` onto the empty directory `spare`, `new` to `target`,
/// and the old report to `new` (so both names stay as after an
/// exchange); puts the old report back if `new` cannot move.
fn swap_by_renames(
    new: &Path,
    target: &Path,
    spare: &Path,
) -> std::io::Result<()> {
    std::fs::rename(target, spare)?;
    if let Err(e) = std::fs::rename(new, target) {
        std::fs::rename(spare, target)?;
        return Err(e);
    }
    std::fs::rename(spare, new)
}
