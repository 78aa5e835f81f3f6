//! Leipzig sentence files: `id<TAB>sentence` per line, the id kept as
//! `sentence_id`. Such a file is named `.txt`: it is recognized by its
//! first line.

use std::sync::Arc;

use super::{Meta, Note, Reader, Spec};
use crate::corpus::ReadOptions;

/// The Leipzig format.
pub(super) const SPEC: Spec = Spec {
    name: "leipzig",
    extensions: &[],
    sniff: Some(looks_leipzig),
    reader: Reader::Lines(parse),
};

/// Reads `id<TAB>sentence`.
fn parse(
    line: &str,
    _: &ReadOptions,
    base: &Meta,
    _: &mut Option<Note>,
) -> Result<(Meta, String), String> {
    match line.split_once('\t') {
        Some((id, text)) => {
            let mut meta = base.clone();
            meta.push((Arc::from("sentence_id"), id.to_string()));
            Ok((meta, text.to_string()))
        }
        None => {
            Err("not a Leipzig line (id<TAB>sentence): record skipped"
                .to_string())
        }
    }
}

/// Whether the start of a `.txt` file looks like a Leipzig sentence file:
/// its first line is digits, a tab, and text.
fn looks_leipzig(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let digits = head.iter().take_while(|b| b.is_ascii_digit()).count();
    digits > 0 && head.get(digits) == Some(&b'\t')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leipzig_sniffing() {
        assert!(looks_leipzig(b"12\tKalimat pertama.\n"));
        assert!(!looks_leipzig(b"Judul\n12\t"));
        assert!(!looks_leipzig(b"\tx"));
    }

    #[test]
    fn leipzig_lines_keep_their_sentence_id() {
        let base = vec![(Arc::from("path"), "a.txt".to_string())];
        let opts = ReadOptions::default();
        let (meta, text) =
            parse("7\tKalimat\tdengan tab.", &opts, &base, &mut None).unwrap();
        assert_eq!(text, "Kalimat\tdengan tab.");
        let meta: Vec<_> =
            meta.iter().map(|(k, v)| (&**k, v.as_str())).collect();
        assert_eq!(meta, [("path", "a.txt"), ("sentence_id", "7")]);
        assert!(parse("no tab", &opts, &base, &mut None).is_err());
    }
}
