//! CoNLL-U: one document per sentence (the lines between blank lines),
//! its text the `# text =` comment, with `sent_id` and `newdoc_id` as
//! metadata. The file is read in pieces cut at line ends, a sentence at
//! a time: a sentence longer than the document limit is skipped, and a
//! line longer than it read past without being held.

use std::io::{self, BufRead};
use std::sync::Arc;

use super::{Meta, Reader, Spec};
use crate::corpus::Document;
use crate::corpus::input::{Input, LineEnd, human_bytes, skip_line};
use crate::error::Result;

/// The CoNLL-U format.
pub(super) const SPEC: Spec = Spec {
    name: "conllu",
    extensions: &["conllu"],
    sniff: None,
    reader: Reader::Stream(read),
};

/// The size of the pieces the file is read in.
const PIECE: usize = 1 << 20;

/// A line of a CoNLL-U file, for [`Conllu::line`].
enum ConlluLine<'a> {
    Line(&'a str),
    /// A line longer than the document limit, read past.
    Long,
    /// The end of the file.
    End,
}

/// The state of reading a CoNLL-U file: the current sentence (the lines
/// between blank lines), its documents held until its end.
struct Conllu {
    limit: usize,
    base: Meta,
    sent_key: Arc<str>,
    newdoc_key: Arc<str>,
    sent_id: String,
    newdoc: String,
    /// Whether the sentence has a `# text`, and the line of its first
    /// token line.
    has_text: bool,
    first_token: Option<u64>,
    /// Its first line, its bytes, whether past the limit.
    start: Option<u64>,
    bytes: usize,
    over: bool,
    held: Vec<Document>,
}

impl Conllu {
    /// Takes line `n`; false if the receiver hung up.
    fn line(
        &mut self,
        input: &mut Input<'_>,
        n: u64,
        line: ConlluLine<'_>,
    ) -> bool {
        let text = match line {
            ConlluLine::Line(l) if !l.trim().is_empty() => l,
            ConlluLine::Long => {
                self.start.get_or_insert(n);
                self.over = true;
                self.held.clear();
                return true;
            }
            _ => return self.end(input),
        };
        self.start.get_or_insert(n);
        self.bytes += text.len() + 1;
        if self.bytes > self.limit && !self.over {
            self.over = true;
            self.held.clear();
        }
        if !text.starts_with('#') {
            self.first_token.get_or_insert(n);
        }
        if let Some(v) = text.strip_prefix("# newdoc id =") {
            self.newdoc = v.trim().to_string();
        } else if let Some(v) = text.strip_prefix("# sent_id =") {
            self.sent_id = v.trim().to_string();
        } else if let Some(v) = text.strip_prefix("# text =") {
            self.has_text = true;
            if !self.over {
                let mut meta = self.base.clone();
                meta.push((self.sent_key.clone(), self.sent_id.clone()));
                if !self.newdoc.is_empty() {
                    meta.push((self.newdoc_key.clone(), self.newdoc.clone()));
                }
                self.held.push(Document {
                    id: input.at(n),
                    meta,
                    text: v.trim_start().to_string(),
                });
            }
        }
        true
    }

    /// The end of a sentence: its documents handed on, or it is skipped.
    fn end(&mut self, input: &mut Input<'_>) -> bool {
        let skip = if self.over {
            self.start.map(|at| crate::corpus::Warning {
                location: input.at(at),
                message: format!(
                    "a sentence longer than the document limit of {} \
                     (--max-doc-size raises it): record skipped",
                    human_bytes(self.limit)
                ),
            })
        } else {
            self.first_token.filter(|_| !self.has_text).map(|at| {
                crate::corpus::Warning {
                    location: input.at(at),
                    message: "sentence without '# text =': record skipped"
                        .to_string(),
                }
            })
        };
        (self.has_text, self.first_token, self.start) = (false, None, None);
        (self.bytes, self.over) = (0, false);
        if let Some(w) = skip
            && !input.skip(w)
        {
            return false;
        }
        self.held.drain(..).all(|doc| input.document(doc))
    }
}

/// Reads a CoNLL-U file in pieces of about [`PIECE`] cut at line ends.
fn read(input: &mut Input<'_>, rdr: &mut dyn BufRead) -> Result<bool> {
    let mut state = Conllu {
        limit: input.limit(),
        base: input.base_meta(),
        sent_key: Arc::from("sent_id"),
        newdoc_key: Arc::from("newdoc_id"),
        sent_id: String::new(),
        newdoc: String::new(),
        has_text: false,
        first_token: None,
        start: None,
        bytes: 0,
        over: false,
        held: Vec::new(),
    };
    let mut carry: Vec<u8> = Vec::new();
    let (mut line, mut offset) = (0u64, 0u64); // before `carry`
    loop {
        let start = carry.len();
        let mut eof =
            fill_piece(rdr, &mut carry).map_err(|e| input.io_error(e))?;
        if let Some(p) = memchr::memchr(0, &carry[start..]) {
            return Ok(input.binary(offset + (start + p) as u64));
        }
        let cut = if eof {
            carry.len()
        } else {
            memchr::memrchr(b'\n', &carry).map_or(0, |p| p + 1)
        };
        if cut == 0 && !eof {
            if carry.len() > state.limit {
                // A line longer than the limit: read past.
                line += 1;
                if !state.line(input, line, ConlluLine::Long) {
                    return Ok(false);
                }
                offset += carry.len() as u64;
                carry.clear();
                let skipped = skip_line(rdr, false);
                match skipped.map_err(|e| input.io_error(e))? {
                    (n, LineEnd::Lf(k)) => offset += n + k,
                    (_, LineEnd::Eof) => eof = true,
                    (n, LineEnd::Nul) => return Ok(input.binary(offset + n)),
                }
            }
            if !eof {
                continue;
            }
        }
        let rest = carry.split_off(cut);
        let piece = std::mem::replace(&mut carry, rest);
        let text = input.decode(piece, offset)?;
        offset += cut as u64;
        for l in text.lines() {
            line += 1;
            if !state.line(input, line, ConlluLine::Line(l)) {
                return Ok(false);
            }
        }
        if eof {
            return Ok(state.line(input, line + 1, ConlluLine::End));
        }
    }
}

/// Reads up to [`PIECE`] more bytes into `carry`; true at the end of the
/// file.
fn fill_piece(rdr: &mut dyn BufRead, carry: &mut Vec<u8>) -> io::Result<bool> {
    let want = carry.len() + PIECE;
    while carry.len() < want {
        let avail = match rdr.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if avail.is_empty() {
            return Ok(true);
        }
        let n = avail.len().min(want - carry.len());
        carry.extend_from_slice(&avail[..n]);
        rdr.consume(n);
    }
    Ok(false)
}
