//! Listing the files of a corpus: paths as text, the sorted walk of a
//! directory (hidden files, README and LICENSE files, unknown
//! extensions and links out of the corpus passed over with a note), and
//! the detection of a file's format from its name and first bytes.

use std::io;
use std::path::Path;

use super::{InputFormat, ReadOptions, Source, Warning};
use crate::error::{Error, Result};

/// The format a source is read as: the one its name gives (`named`),
/// unless it is text (or has none) and no format is `forced` and a
/// format's sniffing recognizes `head` (its first bytes, after a BOM);
/// text if nothing says otherwise.
pub(super) fn detect(
    named: Option<InputFormat>,
    forced: bool,
    head: &[u8],
) -> InputFormat {
    let sniffed = || {
        InputFormat::ALL
            .into_iter()
            .find(|f| f.spec().sniff.is_some_and(|sniff| sniff(head)))
    };
    match named {
        Some(InputFormat::Text) | None if !forced => {
            sniffed().or(named).unwrap_or(InputFormat::Text)
        }
        Some(f) => f,
        None => InputFormat::Text,
    }
}

/// A path as text: as it is when it is UTF-8; otherwise each byte that
/// is not UTF-8 is written `\xHH` (and a backslash `\\`), so that names
/// differing only in such bytes keep distinct ids.
pub(super) fn path_text(path: &Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let bytes = path.as_os_str().as_bytes();
        if let Ok(s) = std::str::from_utf8(bytes) {
            return s.to_string();
        }
        let mut out = String::with_capacity(bytes.len() + 8);
        for chunk in bytes.utf8_chunks() {
            out.push_str(&chunk.valid().replace('\\', "\\\\"));
            for b in chunk.invalid() {
                out.push_str(&format!("\\x{b:02X}"));
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        path.display().to_string()
    }
}

/// What a walk found: the usable files, and what it passed over.
pub(super) struct Found<'a> {
    pub(super) sources: &'a mut Vec<Source>,
    /// Files passed over, with the reason (notes).
    pub(super) ignored: &'a mut Vec<String>,
    /// Broken symbolic links (a warning and a skipped file each scan).
    pub(super) broken: &'a mut Vec<Warning>,
}

/// Walks `dir` recursively in sorted order, adding usable files.
///
/// Symbolic links are followed inside `dir`; one that leads out of it is
/// passed over with a note unless [`ReadOptions::follow_links`]. A broken
/// link (dangling, or a loop of file links) is passed over with a
/// warning in `broken`; a loop of directory links with a note.
pub(super) fn walk(
    dir: &Path,
    opts: &ReadOptions,
    found: Found<'_>,
) -> Result<()> {
    let root = std::fs::canonicalize(dir)
        .map_err(|e| Error::Io { path: dir.to_path_buf(), error: e })?;
    // Notes from the entry filter and the loop, in walking order.
    let notes = std::cell::RefCell::new(Vec::new());
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| enters(e, opts, &root, &mut notes.borrow_mut()));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                walk_error(e, &mut notes.borrow_mut(), found.broken)?;
                continue;
            }
        };
        if entry.file_type().is_dir() {
            continue;
        }
        if let Some(note) = add_file(&entry, opts, found.sources) {
            notes.borrow_mut().push(note);
        }
    }
    found.ignored.extend(notes.into_inner());
    Ok(())
}

/// Whether the walk enters `e`: not if it is hidden, nor if it is a
/// symbolic link out of `root` (unless [`ReadOptions::follow_links`]),
/// with a note in `notes`.
fn enters(
    e: &walkdir::DirEntry,
    opts: &ReadOptions,
    root: &Path,
    notes: &mut Vec<String>,
) -> bool {
    if e.depth() == 0 {
        return true;
    }
    if e.file_name().to_string_lossy().starts_with('.') {
        return false;
    }
    if e.path_is_symlink()
        && !opts.follow_links
        && let Ok(target) = std::fs::canonicalize(e.path())
        && !target.starts_with(root)
    {
        notes.push(format!(
            "{} (a symlink out of the corpus, to {}; \
             --follow-links follows it)",
            e.path().display(),
            target.display()
        ));
        return false;
    }
    true
}

/// A walk error: a symlink loop is a note, a broken link a warning in
/// `broken`; anything else stops the walk.
fn walk_error(
    e: walkdir::Error,
    notes: &mut Vec<String>,
    broken: &mut Vec<Warning>,
) -> Result<()> {
    let path = e.path().map(|p| p.display().to_string()).unwrap_or_default();
    if e.loop_ancestor().is_some() {
        notes.push(format!("{path} (symlink loop)"));
        return Ok(());
    }
    let is_link = e.path().is_some_and(|p| {
        std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink())
    });
    let io =
        e.into_io_error().unwrap_or_else(|| io::Error::other("walk error"));
    if is_link {
        broken.push(Warning {
            location: path,
            message: format!("broken symbolic link ({io}): passed over"),
        });
        return Ok(());
    }
    Err(Error::Io { path: path.into(), error: io })
}

/// Adds the file `entry` to `sources`, or gives the note of why it is
/// passed over (not a regular file, README or LICENSE, an unknown
/// extension).
fn add_file(
    entry: &walkdir::DirEntry,
    opts: &ReadOptions,
    sources: &mut Vec<Source>,
) -> Option<String> {
    let display = path_text(entry.path());
    if !entry.file_type().is_file() {
        return Some(format!("{display} (not a regular file)"));
    }
    let name = entry.file_name().to_string_lossy();
    let upper = name.to_ascii_uppercase();
    if upper.starts_with("README") || upper.starts_with("LICENSE") {
        return Some(format!("{display} (README or LICENSE)"));
    }
    match opts.format.or_else(|| InputFormat::from_file_name(&name)) {
        Some(format) => {
            sources.push(Source {
                path: entry.path().to_path_buf(),
                display,
                format: Some(format),
                range: None,
            });
            None
        }
        None => Some(format!("{display} (unknown extension)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_from_file_name() {
        let rows = [
            ("a.txt", Some(InputFormat::Text)),
            ("a.JSONL", Some(InputFormat::Jsonl)),
            ("a.ndjson.gz", Some(InputFormat::Jsonl)),
            ("a.csv", Some(InputFormat::Csv)),
            ("a.tsv", Some(InputFormat::Tsv)),
            ("a.conllu", Some(InputFormat::Conllu)),
            ("a.pdf", None),
            ("noext", None),
        ];
        for (name, want) in rows {
            assert_eq!(InputFormat::from_file_name(name), want, "{name}");
        }
    }

    #[test]
    fn detect_sniffs_only_text_and_unnamed_files() {
        let leipzig = b"12\tKalimat pertama.\n";
        // (format from the name, format forced, first bytes, read as)
        let rows: [(Option<InputFormat>, bool, &[u8], InputFormat); 7] = [
            (Some(InputFormat::Text), false, leipzig, InputFormat::Leipzig),
            (None, false, leipzig, InputFormat::Leipzig),
            (None, false, b"Judul\n", InputFormat::Text),
            (Some(InputFormat::Text), true, leipzig, InputFormat::Text),
            (None, true, leipzig, InputFormat::Text),
            (Some(InputFormat::Jsonl), false, leipzig, InputFormat::Jsonl),
            (Some(InputFormat::Csv), false, b"a,b\n", InputFormat::Csv),
        ];
        for (named, forced, head, want) in rows {
            assert_eq!(detect(named, forced, head), want, "{named:?}");
        }
    }
}
