//! Byte-range shares of a corpus, for the workers of a distributed run:
//! a large line-format file is cut at line ends into one range per
//! worker, each range knowing the number of its first line; every other
//! file goes whole to one worker.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek};

use super::decode::utf16_bom;
use super::reader::StdinState;
use super::walk::detect;
use super::{ByteRange, Corpus, ReadOptions, Source};
use crate::error::{Error, Result};

/// Files smaller than this many bytes per share are not split.
pub const SPLIT_BYTES: u64 = 1 << 20;

impl Corpus {
    /// Share `index` of `peers` (0-based) of this corpus, for a worker
    /// of a distributed run: every document is in exactly one share.
    ///
    /// A plain (uncompressed) JSONL or Leipzig file of at least
    /// [`SPLIT_BYTES`] per share is cut into `peers` byte ranges at line
    /// ends, share `i` reading range `i` (document ids keep their line
    /// numbers); every other file goes whole to share `file % peers`.
    /// Standard input cannot be shared.
    pub fn share(&self, index: usize, peers: usize) -> Result<Corpus> {
        let mut sources = Vec::new();
        let mut whole = 0usize;
        for s in &self.sources {
            if s.display == "-" {
                return Err(Error::Usage(
                    "standard input cannot be read by several workers: \
                     name files"
                        .into(),
                ));
            }
            if let Some(range) = split_range(s, &self.opts, index, peers)? {
                if let Some(r) = range {
                    sources.push(Source { range: Some(r), ..s.clone() });
                }
                continue;
            }
            if whole % peers == index {
                sources.push(s.clone());
            }
            whole += 1;
        }
        let (ignored, broken) = if index == 0 {
            (self.ignored.clone(), self.broken.clone())
        } else {
            (Vec::new(), Vec::new())
        };
        Ok(Corpus {
            sources,
            opts: self.opts.clone(),
            ignored,
            broken,
            stdin: StdinState::default(),
        })
    }
}

/// How `source` is split for share `index` of `peers`: `None` if it is
/// not split, `Some(None)` if this share's range is empty, else the
/// range. Ranges start after a line end, so each line is in one share;
/// a line's number is one plus the line ends before it.
fn split_range(
    source: &Source,
    opts: &ReadOptions,
    index: usize,
    peers: usize,
) -> Result<Option<Option<ByteRange>>> {
    let lower = source.display.to_ascii_lowercase();
    if peers < 2
        || source.range.is_some()
        || lower.ends_with(".gz")
        || lower.ends_with(".zst")
    {
        return Ok(None);
    }
    let io_err = |e: io::Error| Error::Io {
        path: source.display.clone().into(),
        error: e,
    };
    let meta = std::fs::metadata(&source.path).map_err(io_err)?;
    let size = meta.len();
    if !meta.is_file() || size < SPLIT_BYTES * peers as u64 {
        return Ok(None);
    }
    let mut file = File::open(&source.path).map_err(io_err)?;
    let mut head = [0u8; 4096];
    let n = read_up_to(&mut file, &mut head).map_err(io_err)?;
    let head = &head[..n];
    let format = detect(source.format, opts.format.is_some(), head);
    if !format.spec().reader.is_lines() || utf16_bom(head).is_some() {
        return Ok(None);
    }
    let start = cut(&mut file, size, index, peers).map_err(io_err)?;
    let end = cut(&mut file, size, index + 1, peers).map_err(io_err)?;
    if start >= end {
        return Ok(Some(None));
    }
    let first_line = line_at(&mut file, start).map_err(io_err)?;
    Ok(Some(Some(ByteRange { start, end, first_line })))
}

/// The cut before share `k` of `peers` of `file` (of `size` bytes): the
/// first line start at or after k·size/peers.
fn cut(file: &mut File, size: u64, k: usize, peers: usize) -> io::Result<u64> {
    let nominal = size * k as u64 / peers as u64;
    if k == 0 {
        return Ok(0);
    }
    if k == peers {
        return Ok(size);
    }
    file.seek(io::SeekFrom::Start(nominal - 1))?;
    let mut r = BufReader::with_capacity(1 << 16, file);
    let mut pos = nominal - 1;
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            return Ok(size);
        }
        if let Some(i) = memchr::memchr2(b'\n', b'\r', buf) {
            let at = pos + i as u64;
            // A CR followed by LF ends the line after the LF.
            let next = buf.get(i + 1).copied();
            let end = if buf[i] == b'\r' && next == Some(b'\n') {
                at + 2
            } else if buf[i] == b'\r' && next.is_none() {
                r.consume(i + 1);
                let more = r.fill_buf()?;
                at + 1 + u64::from(more.first() == Some(&b'\n'))
            } else {
                at + 1
            };
            return Ok(end.min(size));
        }
        pos += buf.len() as u64;
        let len = buf.len();
        r.consume(len);
    }
}

/// The number of the line that starts at byte `start` of `file`: one
/// plus the line ends before it, counted as the reader counts them (LF,
/// and a CR not followed by LF).
fn line_at(file: &mut File, start: u64) -> io::Result<u64> {
    let mut first_line = 1u64;
    if start == 0 {
        return Ok(first_line);
    }
    file.seek(io::SeekFrom::Start(0))?;
    let mut r = BufReader::with_capacity(1 << 20, file.take(start));
    let mut last_cr = false;
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            break;
        }
        if last_cr && buf[0] != b'\n' {
            first_line += 1;
        }
        first_line += memchr::memchr_iter(b'\n', buf).count() as u64;
        first_line += memchr::memchr_iter(b'\r', buf)
            .filter(|&i| i + 1 < buf.len() && buf[i + 1] != b'\n')
            .count() as u64;
        last_cr = buf[buf.len() - 1] == b'\r';
        let len = buf.len();
        r.consume(len);
    }
    if last_cr {
        first_line += 1; // the range starts after a lone CR
    }
    Ok(first_line)
}

/// Reads until `buf` is full or the file ends.
fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::ReadReport;

    fn scan_all(corpus: &Corpus) -> (Vec<(String, String)>, ReadReport) {
        let mut docs = Vec::new();
        let report = corpus
            .scan(&mut |_| {}, &mut |batch| {
                docs.extend(batch.into_iter().map(|d| (d.id, d.text)));
                Ok(())
            })
            .unwrap();
        (docs, report)
    }

    #[test]
    fn shares_hold_every_document_once_with_its_line_number() {
        let dir = tempfile::tempdir().unwrap();
        // Over 3 MiB of JSONL with LF, CRLF and lone CR line ends, a
        // malformed line and an empty one; a small second file and a
        // Leipzig file big enough to split.
        let mut big = String::new();
        let mut i = 0;
        while big.len() < 3 * SPLIT_BYTES as usize + 5000 {
            let end = ["\n", "\r\n", "\r"][i % 3];
            if i % 997 == 5 {
                big.push_str("{not json");
            } else if i % 1009 == 7 {
                big.push_str("");
            } else {
                big.push_str(&format!(
                    "{{\"text\":\"dokumen {i} {}\"}}",
                    "kata ".repeat(i % 40)
                ));
            }
            big.push_str(end);
            i += 1;
        }
        std::fs::write(dir.path().join("a.jsonl"), &big).unwrap();
        std::fs::write(dir.path().join("b.jsonl"), "{\"text\":\"kecil\"}\n")
            .unwrap();
        let mut leipzig = String::new();
        for k in 1..200_000 {
            leipzig.push_str(&format!("{k}\tKalimat nomor {k}.\n"));
        }
        std::fs::write(dir.path().join("c.txt"), &leipzig).unwrap();
        let inputs = vec![dir.path().display().to_string()];
        let corpus = Corpus::open(&inputs, ReadOptions::default()).unwrap();
        let (mut want, full) = scan_all(&corpus);
        want.sort();
        for peers in [2, 3, 5] {
            let mut got = Vec::new();
            let (mut skipped, mut documents) = (0, 0);
            for index in 0..peers {
                let share = corpus.share(index, peers).unwrap();
                let (docs, report) = scan_all(&share);
                got.extend(docs);
                skipped += report.skipped_records;
                documents += report.documents;
            }
            got.sort();
            assert_eq!(got.len(), want.len(), "{peers} shares");
            assert!(got == want, "{peers} shares: documents differ");
            assert_eq!(skipped, full.skipped_records, "{peers} shares");
            assert_eq!(documents, full.documents, "{peers} shares");
        }
        assert!(full.skipped_records > 0);
        // A split file's ranges cover it exactly.
        let a = corpus.sources.iter().find(|s| s.display.ends_with("a.jsonl"));
        let a = a.unwrap();
        let mut next = 0;
        for index in 0..3 {
            let r = split_range(a, &corpus.opts, index, 3).unwrap().unwrap();
            let r = r.unwrap();
            assert_eq!(r.start, next);
            next = r.end;
        }
        assert_eq!(next, big.len() as u64);
    }
}
