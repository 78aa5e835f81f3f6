//! Plain text: a file is one document, or pieces of at most the
//! document limit (see [`read_whole`]).

use std::io::{self, BufRead};

use super::{Reader, Spec};
use crate::corpus::input::{Input, binary_warning, human_bytes};
use crate::corpus::{Document, Source, Warning};
use crate::error::Result;

/// The text format.
pub(super) const SPEC: Spec = Spec {
    name: "text",
    extensions: &["txt", "text"],
    sniff: None,
    reader: Reader::Stream(read_whole),
};

/// Reads a file that is one document: one document if it holds at most
/// [`ReadOptions::max_doc_bytes`], else pieces of at most that size, cut
/// after the last line end in the piece's second half, or else its last
/// sentence end (`.`, `!` or `?` and a space), or else its last white
/// space (or, in a run of text without any, at a character boundary);
/// each piece is a document `path@BYTE`, its first byte's offset in the
/// file, with a warning. Nothing more than a piece is held.
///
/// [`ReadOptions::max_doc_bytes`]: crate::corpus::ReadOptions::max_doc_bytes
fn read_whole(input: &mut Input<'_>, rdr: &mut dyn BufRead) -> Result<bool> {
    let limit = input.limit();
    let meta = input.base_meta();
    let mut buf: Vec<u8> = Vec::new();
    let mut offset = 0u64; // of buf[0] in the file
    let mut pieces = 0u64;
    loop {
        let start = buf.len();
        let eof =
            fill_past(rdr, &mut buf, limit).map_err(|e| input.io_error(e))?;
        if let Some(p) = memchr::memchr(0, &buf[start..]) {
            let mut w =
                binary_warning(input.source, offset + (start + p) as u64);
            if pieces > 0 {
                w.message = format!(
                    "NUL byte: the rest of the file skipped as binary \
                     ({pieces} pieces before it read)"
                );
            }
            return Ok(input.skip(w));
        }
        if eof && pieces == 0 {
            let text = input.decode(buf, 0)?;
            let id = input.source.display.clone();
            return Ok(input.document(Document { id, meta, text }));
        }
        if buf.is_empty() {
            return Ok(true);
        }
        if pieces == 0 && !input.warn(pieces_warning(input.source, limit)) {
            return Ok(false);
        }
        let cut = if eof { buf.len() } else { piece_end(&buf, limit) };
        let rest = buf.split_off(cut);
        let text = input.decode(buf, offset)?;
        let id = format!("{}@{offset}", input.source.display);
        if !input.document(Document { id, meta: meta.clone(), text }) {
            return Ok(false);
        }
        pieces += 1;
        offset += cut as u64;
        buf = rest;
        if eof && buf.is_empty() {
            return Ok(true);
        }
    }
}

/// Reads into `buf` up to one byte past `limit` (whether the text fits),
/// or to a NUL (`/dev/zero` as text ends the reading at once); true at
/// the end of the file.
fn fill_past(
    rdr: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    limit: usize,
) -> io::Result<bool> {
    while buf.len() <= limit {
        let avail = match rdr.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if avail.is_empty() {
            return Ok(true);
        }
        let n = avail.len().min(limit + 1 - buf.len());
        let nul = memchr::memchr(0, &avail[..n]).is_some();
        buf.extend_from_slice(&avail[..n]);
        rdr.consume(n);
        if nul {
            break;
        }
    }
    Ok(false)
}

/// The warning for a file read as pieces of at most `limit` bytes.
fn pieces_warning(source: &Source, limit: usize) -> Warning {
    Warning {
        location: source.display.clone(),
        message: format!(
            "larger than the document limit of {} (--max-doc-size \
             raises it): read as pieces of at most that size, cut \
             at line ends, sentence ends or white space, each a \
             document PATH@BYTE",
            human_bytes(limit)
        ),
    }
}

/// Where a piece of at most `limit` bytes cut from `buf` (longer) ends
/// (see [`read_whole`]): after at least one byte, on a character boundary
/// of valid UTF-8.
fn piece_end(buf: &[u8], limit: usize) -> usize {
    let b = &buf[..limit];
    let half = b.len() / 2;
    if let Some(p) = memchr::memrchr(b'\n', &b[half..]) {
        return half + p + 1;
    }
    for p in memchr::memrchr_iter(b' ', &b[half..]) {
        let p = half + p;
        if p > 0 && matches!(b[p - 1], b'.' | b'!' | b'?') {
            return p + 1;
        }
    }
    if let Some(p) = memchr::memrchr3(b' ', b'\t', b'\r', b) {
        return p + 1;
    }
    // No white space: the last character boundary (a character is at
    // most 4 bytes; in invalid UTF-8, anywhere).
    let mut end = limit;
    while end > 1 && limit - end < 3 && buf[end] & 0xC0 == 0x80 {
        end -= 1;
    }
    if buf[end] & 0xC0 == 0x80 { limit } else { end }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{Corpus, ReadOptions};

    #[test]
    fn piece_ends() {
        // (bytes, limit, where the piece ends)
        let rows: [(&[u8], usize, usize); 6] = [
            (b"ab cd\nef gh ij", 8, 6), // a line end in the second half
            (b"a\nbc. de fg", 10, 6),   // else a sentence end
            (b"abc def ghij", 9, 8),    // else white space
            ("\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}".as_bytes(), 5, 4), // boundary
            (b"abcdefgh", 5, 5),
            (&[0x80; 8], 5, 5), // invalid UTF-8: anywhere
        ];
        for (bytes, limit, want) in rows {
            let got = piece_end(bytes, limit);
            assert_eq!(got, want, "{bytes:?} limit {limit}");
        }
    }

    #[test]
    fn text_past_the_limit_is_read_as_pieces_that_add_up() {
        let dir = tempfile::tempdir().unwrap();
        let mut text = String::new();
        let words = ["kata", "berita.", "caf\u{e9}", "\u{4e2d}\u{6587}"];
        for i in 0..2000 {
            text.push_str(words[i * 7 % 4]);
            text.push(if i % 53 == 0 { '\n' } else { ' ' });
        }
        // A run of 300 bytes without white space, and a small file.
        text.push_str(&"\u{e9}".repeat(150));
        std::fs::write(dir.path().join("a.txt"), &text).unwrap();
        std::fs::write(dir.path().join("b.txt"), "kecil").unwrap();
        let inputs = vec![dir.path().display().to_string()];
        let opts = ReadOptions { max_doc_bytes: 100, ..Default::default() };
        let corpus = Corpus::open(&inputs, opts).unwrap();
        let mut warnings = Vec::new();
        let mut docs = Vec::new();
        let report = corpus
            .scan(&mut |w| warnings.push(w.to_string()), &mut |batch| {
                docs.extend(batch.into_iter().map(|d| (d.id, d.text)));
                Ok(())
            })
            .unwrap();
        let a = dir.path().join("a.txt").display().to_string();
        let (last, pieces) = docs.split_last().unwrap();
        assert_eq!(last.0, dir.path().join("b.txt").display().to_string());
        let mut whole = String::new();
        for (id, piece) in pieces {
            assert_eq!(*id, format!("{a}@{}", whole.len()));
            assert!(!piece.is_empty() && piece.len() <= 100, "{id}");
            whole.push_str(piece);
        }
        assert!(whole == text, "the pieces add up to the text");
        assert!(pieces.len() > text.len() / 100, "{}", pieces.len());
        assert_eq!(report.documents, docs.len() as u64);
        assert_eq!(report.inputs[0].documents, pieces.len() as u64);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("limit of 100 bytes"), "{warnings:?}");
    }
}
