//! The tests that read the shared corpora beside the repository
//! (`../shared/corpora`) go through `util::shared_or_skip`, so a clone
//! on its own passes with a visible line for each skipped test; this
//! module prints the suite's one summary line.

use crate::util::*;
use std::io::Write;

/// The `#[test]` functions of `tests/cli/*.rs` (as `module::name`) whose
/// body contains `needle`, and those that read the shared corpora
/// without the guard.
fn tests_with(needle: &str) -> (Vec<String>, Vec<String>) {
    let (mut found, mut unguarded) = (Vec::new(), Vec::new());
    let dir = root().join("tests/cli");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    for path in files {
        let module = path.file_stem().unwrap().to_string_lossy().into_owned();
        if module == "util" || module == "shared_corpora" {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for body in text.split("#[test]").skip(1) {
            let name = body
                .split("fn ")
                .nth(1)
                .and_then(|s| s.split('(').next())
                .unwrap_or("?");
            let full = format!("{module}::{name}");
            let guarded = body.contains("shared_or_skip(");
            if body.contains(needle) {
                found.push(full.clone());
            }
            if !guarded
                && (body.contains("shared()") || body.contains("../shared"))
            {
                unguarded.push(full);
            }
        }
    }
    (found, unguarded)
}

/// Every test that reads `../shared` is guarded; when the folder is
/// absent one line says how many tests returned early and which.
#[test]
fn tests_needing_the_shared_corpora_are_guarded_and_counted() {
    let (needing, unguarded) = tests_with("shared_or_skip(");
    assert!(
        unguarded.is_empty(),
        "these tests read ../shared without `shared_or_skip`: {unguarded:?}"
    );
    assert!(needing.len() >= 8, "{needing:?}");
    if !shared().is_dir() {
        let line = format!(
            "{SKIPPED}: {} tests of the cli suite returned early, \
             ../shared/corpora is absent: {}\n",
            needing.len(),
            needing.join(", ")
        );
        let _ = std::io::stderr().write_all(line.as_bytes());
    }
}
