//! The report's provenance record (`provenance.json`): the record of
//! its corpus overview, as `korpus stats` writes it with the same
//! reading options and `--by` (the korpus version, the command line,
//! the settings, the inputs with their SHA-256, what was read), but
//! `"command": "report"`; the cleaning's settings as every command
//! records them (`clean`), and what it removed from the corpus
//! (`counts.cleaning`).

use std::path::Path;

use korpus::clean::Removed;
use korpus::scan::Scanned;

use super::super::output;
use super::Args;
use super::count::Setup;

/// The record of the pass that read `scanned`, after its cleaning
/// removed `removed` (`None`: no cleaning).
pub(super) fn record(
    args: &Args,
    setup: &Setup,
    scanned: &Scanned,
    removed: Option<Removed>,
) -> serde_json::Value {
    // The analyzer's settings as `korpus stats` records them with its
    // defaults (the stats table ignores stopwords, so none are given).
    let analyzer = serde_json::json!({
        "normalize": "nfc",
        "case": "fold",
        "hyphens": "auto",
        "split_clitics": false,
        "decode_entities": true,
        "fold_quotes": false,
        "fold_dashes": false,
        "strip_diacritics": false,
        "map": None::<String>,
        "map_entries": 0,
        "stopwords": None::<String>,
        "classes": setup.an.classes.names(),
    });
    let settings = serde_json::json!({
        "command": "report",
        "analyzer": analyzer,
        "input_format": args.input_format,
        "text_field": args.text_field.as_deref().unwrap_or("text"),
        "strict": args.strict,
        "follow_links": args.follow_links,
        "max_doc_size_mib": args.max_doc_size.unwrap_or(8),
        "where": args.conditions,
        "by": args.by,
        "clean": args.clean.options(false).ok().map(|o| args.clean.describe(&o)),
        "window": 100,
        "windows": "over each group's tokens in corpus order, across documents",
    });
    let cleaning = removed.map(|r| {
        serde_json::json!({
            "duplicate_documents": r.documents,
            "exact_duplicates": r.exact,
            "template_lines": r.lines,
            "documents_with_template_lines": r.changed,
            "bytes": r.bytes,
        })
    });
    let counts = serde_json::json!({
        "filtered_out": scanned.filtered_out,
        "cleaning": cleaning,
    });
    output::provenance_record(&scanned.report, settings, counts)
}

/// Writes `record` to `provenance.json` in `dir`; returns its text.
pub(super) fn write(
    dir: &Path,
    record: &serde_json::Value,
) -> anyhow::Result<String> {
    let text = format!("{}\n", serde_json::to_string_pretty(record)?);
    std::fs::write(dir.join("provenance.json"), &text).map_err(|e| {
        anyhow::anyhow!("writing the report in {}: {e}", dir.display())
    })?;
    Ok(text)
}
