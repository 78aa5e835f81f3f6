//! Decoding the bytes of an input: gzip members and zstd frames
//! uncompressed as they are read, a byte order mark stripped, UTF-16
//! decoded in pieces, and UTF-8 checked (lossily, with the replaced
//! bytes counted, unless `--strict`). Web pages may be in a legacy
//! charset: [`web_page`] decodes one by its declared charset, or by a
//! guess when it declares none and is not UTF-8.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// A reader that counts (and optionally hashes) the bytes it passes on.
pub(super) struct Tally<R> {
    pub(super) inner: R,
    /// Bytes read.
    pub(super) bytes: u64,
    pub(super) hasher: Option<Sha256>,
    pub(super) progress: Option<Arc<AtomicU64>>,
}

impl<R: Read> Read for Tally<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes += n as u64;
        if let Some(p) = &self.progress {
            p.fetch_add(n as u64, Ordering::Relaxed);
        }
        if let Some(h) = &mut self.hasher {
            h.update(&buf[..n]);
        }
        Ok(n)
    }
}

/// The bytes of the file at `path`, decompressed when its name ends in
/// `.gz` or `.zst` (every gzip member, every zstd frame), for readers
/// of whole files outside a corpus scan (`eval-tokens`' gold files).
pub fn read_decompressed(path: &Path) -> Result<Vec<u8>> {
    let io_err = |e: io::Error| Error::Io { path: path.into(), error: e };
    let file = File::open(path).map_err(io_err)?;
    let lower = path.to_string_lossy().to_ascii_lowercase();
    let mut rdr: Box<dyn Read> = if lower.ends_with(".gz") {
        Box::new(flate2::read::MultiGzDecoder::new(BufReader::new(file)))
    } else if lower.ends_with(".zst") {
        Box::new(ZstdFrames::new(file))
    } else {
        Box::new(file)
    };
    let mut bytes = Vec::new();
    rdr.read_to_end(&mut bytes).map_err(io_err)?;
    Ok(bytes)
}

/// The largest zstd window (the history a frame may refer back to) a
/// frame may ask for: the decoder holds it in memory. zstd writes at
/// most 8 MiB below level 19 and up to 128 MiB with `--long=27`.
pub const ZSTD_MAX_WINDOW: u64 = ruzstd::decoding::DEFAULT_MAX_WINDOW_SIZE;

/// A zstd stream of any number of frames (as `pzstd`, `cat a.zst b.zst`
/// or appended logs write it), decoded one after the other; skippable
/// frames are skipped. A problem is an `InvalidData` error naming the
/// frame's byte offset in the compressed file.
struct ZstdFrames<R: Read> {
    src: BufReader<Tally<R>>,
    dec: ruzstd::decoding::FrameDecoder,
    /// Whether a frame is being decoded.
    in_frame: bool,
    /// Frames (data or skippable) read so far.
    frames: u64,
    /// Where the current frame starts.
    frame_at: u64,
}

impl<R: Read> ZstdFrames<R> {
    fn new(inner: R) -> Self {
        ZstdFrames {
            src: BufReader::with_capacity(
                1 << 16,
                Tally { inner, bytes: 0, hasher: None, progress: None },
            ),
            dec: ruzstd::decoding::FrameDecoder::new(),
            in_frame: false,
            frames: 0,
            frame_at: 0,
        }
    }

    /// The offset of the next compressed byte.
    fn position(&self) -> u64 {
        self.src.get_ref().bytes - self.src.buffer().len() as u64
    }

    /// Starts the next frame, or skips a skippable one; false at the end
    /// of the stream.
    fn next_frame(&mut self) -> io::Result<bool> {
        use ruzstd::decoding::errors::{
            FrameDecoderError as E, ReadFrameHeaderError as H,
        };
        let at = self.position();
        if self.src.fill_buf()?.is_empty() {
            if self.frames == 0 {
                return Err(zstd_error(
                    "not a zstd stream: the file is empty",
                ));
            }
            return Ok(false);
        }
        self.frame_at = at;
        self.frames += 1;
        match self.dec.init(&mut self.src) {
            Ok(()) => self.in_frame = true,
            Err(E::ReadFrameHeaderError(H::SkipFrame { length, .. })) => {
                let want = u64::from(length);
                let got = io::copy(
                    &mut (&mut self.src).take(want),
                    &mut io::sink(),
                )?;
                if got < want {
                    return Err(zstd_error(format!(
                        "skippable zstd frame at byte {at} is cut short \
                         ({got} of {want} bytes)"
                    )));
                }
            }
            Err(E::WindowSizeTooBig { requested, max }) => {
                return Err(zstd_error(format!(
                    "zstd frame at byte {at} needs a window of {} MiB, over \
                     the limit of {} MiB: recompress without --long or \
                     with --long=27 or less",
                    requested.div_ceil(1 << 20),
                    max >> 20
                )));
            }
            Err(e) => {
                let e = match e {
                    E::ReadFrameHeaderError(h) => h.to_string(),
                    e => e.to_string(),
                };
                if self.frames == 1 {
                    return Err(zstd_error(format!("not a zstd stream: {e}")));
                }
                return Err(zstd_error(format!(
                    "not a zstd frame at byte {at} (frame {}): {e}",
                    self.frames
                )));
            }
        }
        Ok(true)
    }
}

fn zstd_error(message: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message.into())
}

impl<R: Read> Read for ZstdFrames<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            if !self.in_frame {
                if !self.next_frame()? {
                    return Ok(0);
                }
                continue;
            }
            while self.dec.can_collect() == 0 && !self.dec.is_finished() {
                let strategy =
                    ruzstd::decoding::BlockDecodingStrategy::UptoBlocks(1);
                if let Err(e) = self.dec.decode_blocks(&mut self.src, strategy)
                {
                    return Err(zstd_error(format!(
                        "zstd frame at byte {}: {e}",
                        self.frame_at
                    )));
                }
            }
            let n = self.dec.read(buf)?;
            if n > 0 {
                return Ok(n);
            }
            if self.dec.is_finished() && self.dec.can_collect() == 0 {
                self.in_frame = false;
            }
        }
    }
}

/// The most bytes a [`Rewind`] keeps of one record attempt (64 MiB):
/// past it, a resync starts where the reading failed, not where the
/// record began.
#[cfg(feature = "web")]
const REWIND_CAP: usize = 64 << 20;

/// A reader that can go back to just after the start of a record that
/// could not be read, to look for the next record there (the WARC
/// reader's resync): it keeps the bytes consumed since
/// [`Rewind::mark`] (at most [`REWIND_CAP`]) and counts its offset in
/// the underlying stream.
#[cfg(feature = "web")]
pub(crate) struct Rewind<R> {
    inner: R,
    /// Bytes to give before `inner`'s (from `pending[at..]`).
    pending: Vec<u8>,
    at: usize,
    /// The bytes consumed since the mark, `None` past the cap.
    kept: Option<Vec<u8>>,
    /// The offset of the next byte given.
    offset: u64,
    /// The offset of the mark.
    marked: u64,
}

#[cfg(feature = "web")]
impl<R: BufRead> Rewind<R> {
    /// A reader of `inner`, at offset 0.
    pub(crate) fn new(inner: R) -> Self {
        Rewind {
            inner,
            pending: Vec::new(),
            at: 0,
            kept: Some(Vec::new()),
            offset: 0,
            marked: 0,
        }
    }

    /// The offset of the next byte given.
    pub(crate) fn offset(&self) -> u64 {
        self.offset
    }

    /// Starts keeping the bytes consumed from here (a record's start).
    pub(crate) fn mark(&mut self) {
        self.marked = self.offset;
        let kept = self.kept.get_or_insert_with(Vec::new);
        kept.clear();
        if kept.capacity() > 1 << 20 {
            kept.shrink_to(1 << 20);
        }
    }

    /// Goes back to one byte past the mark (or, past the cap, stays),
    /// and consumes bytes until `find` (given the bytes ahead, the
    /// position in them where a record starts) finds one; `longest` is
    /// the most bytes a match looks at. Gives the offset of the record
    /// found, or `None` at the end of the stream.
    pub(crate) fn resync(
        &mut self,
        find: fn(&[u8]) -> Option<usize>,
        longest: usize,
    ) -> io::Result<Option<u64>> {
        if let Some(kept) = self.kept.take().filter(|k| !k.is_empty()) {
            let mut ahead = kept[1..].to_vec();
            ahead.extend_from_slice(&self.pending[self.at..]);
            self.pending = ahead;
            self.at = 0;
            self.offset = self.marked + 1;
        } else if self.offset == self.marked && !self.fill_buf()?.is_empty() {
            // Nothing consumed since the mark: step past it.
            self.consume(1);
        }
        self.kept = Some(Vec::new());
        loop {
            if let Some(i) = find(&self.pending[self.at..]) {
                self.at += i;
                self.offset += i as u64;
                return Ok(Some(self.offset));
            }
            // Keep the bytes a match may still start in.
            let keep = (self.pending.len() - self.at).min(longest);
            let drop = self.pending.len() - self.at - keep;
            self.offset += drop as u64;
            self.pending.drain(..self.at + drop);
            self.at = 0;
            let buf = self.inner.fill_buf()?;
            if buf.is_empty() {
                self.offset += self.pending.len() as u64;
                self.pending.clear();
                return Ok(None);
            }
            let n = buf.len();
            self.pending.extend_from_slice(buf);
            self.inner.consume(n);
        }
    }
}

#[cfg(feature = "web")]
impl<R: BufRead> Read for Rewind<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let avail = self.fill_buf()?;
        let n = avail.len().min(buf.len());
        buf[..n].copy_from_slice(&avail[..n]);
        self.consume(n);
        Ok(n)
    }
}

#[cfg(feature = "web")]
impl<R: BufRead> BufRead for Rewind<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.at < self.pending.len() {
            return Ok(&self.pending[self.at..]);
        }
        self.pending.clear();
        self.at = 0;
        self.inner.fill_buf()
    }

    fn consume(&mut self, n: usize) {
        let from_pending = self.at < self.pending.len();
        if let Some(kept) = &mut self.kept {
            let bytes = if from_pending {
                &self.pending[self.at..self.at + n]
            } else {
                // (What fill_buf gave: the same buffer, not yet consumed.)
                match self.inner.fill_buf() {
                    Ok(b) => &b[..n.min(b.len())],
                    Err(_) => &[],
                }
            };
            if kept.len() + bytes.len() > REWIND_CAP {
                self.kept = None;
            } else {
                kept.extend_from_slice(bytes);
            }
        }
        if from_pending {
            self.at += n;
        } else {
            self.inner.consume(n);
        }
        self.offset += n as u64;
    }
}

/// `tally`'s bytes, uncompressed as `name` (lower case) says: every gzip
/// member of a `.gz`, every zstd frame of a `.zst`, else as they are.
pub(super) fn uncompressed<'a, R: Read>(
    name: &str,
    tally: &'a mut Tally<R>,
) -> Box<dyn Read + 'a> {
    if name.ends_with(".gz") {
        Box::new(flate2::read::MultiGzDecoder::new(tally))
    } else if name.ends_with(".zst") {
        Box::new(ZstdFrames::new(tally))
    } else {
        Box::new(tally)
    }
}

/// Decodes UTF-8, lossily unless `strict`, adding the bytes replaced to
/// `replaced`; under `strict`, invalid UTF-8 is an error naming
/// `display` and the byte offset (`offset` is that of `bytes[0]`).
pub(super) fn utf8(
    bytes: Vec<u8>,
    display: &str,
    offset: u64,
    strict: bool,
    replaced: &mut u64,
) -> Result<String> {
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) => {
            let bytes = e.into_bytes();
            let (text, n, first) = decode_lossy(&bytes);
            if strict {
                return Err(Error::Input {
                    path: format!("{display}: byte {}", offset + first as u64),
                    message: "not valid UTF-8 (an error under --strict)"
                        .to_string(),
                });
            }
            *replaced += n as u64;
            Ok(text)
        }
    }
}

/// Lossy UTF-8 decoding: the text, the number of bytes replaced by
/// U+FFFD, and the offset of the first invalid byte.
pub fn decode_lossy(bytes: &[u8]) -> (String, usize, usize) {
    let mut out = String::with_capacity(bytes.len());
    let mut replaced = 0;
    let mut first = None;
    let mut rest = bytes;
    let mut pos = 0;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                out.push_str(s);
                break;
            }
            Err(e) => {
                let valid = e.valid_up_to();
                out.push_str(
                    std::str::from_utf8(&rest[..valid]).expect("valid prefix"),
                );
                let bad = e.error_len().unwrap_or(rest.len() - valid);
                first.get_or_insert(pos + valid);
                replaced += bad;
                out.push('\u{FFFD}');
                rest = &rest[valid + bad..];
                pos += valid + bad;
            }
        }
    }
    (out, replaced, first.unwrap_or(0))
}

#[cfg(feature = "web")]
/// A web page decoded to text ([`web_page`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PageText {
    /// The text.
    pub(super) text: String,
    /// The charset's name (WHATWG: `ISO-8859-1` is `windows-1252`).
    pub(super) charset: &'static str,
    /// How the charset was found.
    pub(super) found: CharsetFrom,
    /// Whether some bytes were not valid in the charset (replaced by
    /// U+FFFD).
    pub(super) replaced: bool,
}

#[cfg(feature = "web")]
/// Where a page's charset came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CharsetFrom {
    /// A byte order mark.
    Bom,
    /// The HTTP `Content-Type` header (of a WARC response).
    Http,
    /// A `<meta charset>` or `<meta http-equiv="Content-Type">` tag.
    Meta,
    /// None declared, and the bytes are valid UTF-8.
    Utf8,
    /// None declared and not UTF-8: guessed by `chardetng` (a warning).
    Guessed,
}

#[cfg(feature = "web")]
/// How far into a page its `<meta>` charset is looked for. The HTML
/// standard's prescan looks at the first 1,024 bytes; pages saved by
/// tools often put more before it, so further.
const META_PRESCAN: usize = 4096;

#[cfg(feature = "web")]
/// Decodes the bytes of a web page: by its byte order mark, else by the
/// charset `http` names (an HTTP `Content-Type` value's `charset=`),
/// else by a `<meta>` tag's in its first [`META_PRESCAN`] bytes, else as
/// UTF-8 if it is valid UTF-8, else by `chardetng`'s guess. Labels are
/// read as the WHATWG Encoding Standard says (`encoding_rs`), so
/// `latin1` and `ISO-8859-1` decode as `windows-1252`, as browsers do.
/// A label that names no known charset counts as undeclared.
pub(super) fn web_page(bytes: &[u8], http: Option<&str>) -> PageText {
    use encoding_rs::{Encoding, UTF_8};
    let declared = || -> Option<(&'static Encoding, CharsetFrom)> {
        if let Some((enc, _)) = Encoding::for_bom(bytes) {
            return Some((enc, CharsetFrom::Bom));
        }
        let label = |v: &str| charset_param(v).and_then(label_encoding);
        if let Some(enc) = http.and_then(label) {
            return Some((enc, CharsetFrom::Http));
        }
        let head = &bytes[..bytes.len().min(META_PRESCAN)];
        meta_charset(head).map(|enc| (enc, CharsetFrom::Meta))
    };
    let (enc, found) = match declared() {
        Some(d) => d,
        None if std::str::from_utf8(bytes).is_ok() => {
            (UTF_8, CharsetFrom::Utf8)
        }
        None => {
            use chardetng::{
                EncodingDetector, Iso2022JpDetection, Utf8Detection,
            };
            // (Not UTF-8: so not guessed as UTF-8; ISO-2022-JP is left
            // out as browsers leave it out.)
            let mut det = EncodingDetector::new(Iso2022JpDetection::Deny);
            det.feed(bytes, true);
            (det.guess(None, Utf8Detection::Deny), CharsetFrom::Guessed)
        }
    };
    // (A page declared as UTF-16 without a BOM is ASCII-compatible
    // bytes in practice: the standard reads it as UTF-8.)
    let enc = enc.output_encoding();
    let (text, _, replaced) = enc.decode(bytes);
    PageText { text: text.into_owned(), charset: enc.name(), found, replaced }
}

#[cfg(feature = "web")]
/// The encoding a charset label names, if any.
fn label_encoding(label: &str) -> Option<&'static encoding_rs::Encoding> {
    encoding_rs::Encoding::for_label(label.trim().as_bytes())
}

#[cfg(feature = "web")]
/// The value of a `charset=` parameter in a `Content-Type` value
/// (quotes removed).
fn charset_param(value: &str) -> Option<&str> {
    let lower = value.to_ascii_lowercase();
    let at = lower.find("charset")?;
    let rest = value[at + 7..].trim_start().strip_prefix('=')?.trim_start();
    let rest = rest.trim_start_matches(['"', '\'']);
    let end = rest.find([';', '"', '\'', ' ', '>', '/']).unwrap_or(rest.len());
    Some(&rest[..end]).filter(|s| !s.is_empty())
}

#[cfg(feature = "web")]
/// The charset of the first `<meta>` tag in `head` that declares one
/// (`<meta charset=X>` or `<meta http-equiv=Content-Type
/// content="...; charset=X">`) and names a known charset.
fn meta_charset(head: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let lower = head.to_ascii_lowercase();
    let finder = memchr::memmem::Finder::new(b"<meta");
    for at in finder.find_iter(&lower) {
        let end =
            memchr::memchr(b'>', &lower[at..]).map_or(lower.len(), |e| at + e);
        let tag = String::from_utf8_lossy(&head[at..end]);
        if let Some(enc) = charset_param(&tag).and_then(label_encoding) {
            return Some(enc);
        }
    }
    None
}

/// Whether `head` starts with a UTF-16 byte order mark: big-endian or
/// not.
pub(super) fn utf16_bom(head: &[u8]) -> Option<bool> {
    match head {
        [0xFF, 0xFE, ..] => Some(false),
        [0xFE, 0xFF, ..] => Some(true),
        _ => None,
    }
}

/// UTF-16 (after its BOM) decoded to UTF-8 as it is read, a piece at a
/// time (a surrogate pair or a byte split between pieces is kept for the
/// next). Bytes not valid UTF-16 (unpaired surrogates, an odd last byte)
/// become U+FFFD; `bad` gets their number and the offset of the first,
/// and under `--strict` reading stops there with an error.
pub(super) struct Utf16Reader<R> {
    inner: R,
    big_endian: bool,
    /// Stop at the first byte not valid UTF-16, with an error.
    pub(super) strict: bool,
    /// Bytes read and not yet decoded (at most 3: half a pair and a byte).
    raw: Vec<u8>,
    /// Decoded, not yet read.
    out: Vec<u8>,
    taken: usize,
    /// The offset (after the BOM) of `raw[0]`.
    at: u64,
    bad: std::rc::Rc<std::cell::Cell<(u64, Option<u64>)>>,
}

pub(super) const UTF16_STRICT: &str =
    "not valid UTF-16 (an error under --strict)";

impl<R: Read> Utf16Reader<R> {
    /// Decodes `inner` (after the BOM); `bad` counts the bytes replaced.
    pub(super) fn new(
        inner: R,
        big_endian: bool,
        bad: std::rc::Rc<std::cell::Cell<(u64, Option<u64>)>>,
    ) -> Self {
        Utf16Reader {
            inner,
            big_endian,
            strict: false,
            raw: Vec::new(),
            out: Vec::new(),
            taken: 0,
            at: 0,
            bad,
        }
    }

    fn replaced(&mut self, at: u64, n: u64) -> io::Result<()> {
        let (count, first) = self.bad.get();
        self.bad.set((count + n, first.or(Some(at))));
        if self.strict {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                UTF16_STRICT,
            ));
        }
        self.out.extend_from_slice("\u{FFFD}".as_bytes());
        Ok(())
    }

    /// Decodes the next piece into `out`; false at the end.
    fn refill(&mut self) -> io::Result<bool> {
        self.out.clear();
        self.taken = 0;
        let keep = self.raw.len();
        self.raw.resize(keep + (1 << 16), 0);
        let n = loop {
            match self.inner.read(&mut self.raw[keep..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.raw.truncate(keep);
                    return Err(e);
                }
            }
        };
        self.raw.truncate(keep + n);
        let eof = n == 0;
        if eof && self.raw.is_empty() {
            return Ok(false);
        }
        let big_endian = self.big_endian;
        let unit = |c: &[u8]| {
            let pair = [c[0], c[1]];
            if big_endian {
                u16::from_be_bytes(pair)
            } else {
                u16::from_le_bytes(pair)
            }
        };
        // Whole units, less a high surrogate last (its pair may follow).
        let mut end = self.raw.len() / 2 * 2;
        if !eof
            && end >= 2
            && (0xD800..0xDC00).contains(&unit(&self.raw[end - 2..end]))
        {
            end -= 2;
        }
        let raw = std::mem::take(&mut self.raw);
        let units = raw[..end].chunks_exact(2).map(unit);
        let mut at = self.at;
        for r in char::decode_utf16(units) {
            match r {
                Ok(c) => {
                    let mut b = [0; 4];
                    self.out
                        .extend_from_slice(c.encode_utf8(&mut b).as_bytes());
                    at += 2 * c.len_utf16() as u64;
                }
                Err(_) => {
                    if let Err(e) = self.replaced(at, 2) {
                        self.raw = raw;
                        return Err(e);
                    }
                    at += 2;
                }
            }
        }
        self.at = at;
        let mut raw = raw;
        raw.drain(..end);
        if eof && !raw.is_empty() {
            // An odd last byte.
            let r = self.replaced(at, 1);
            self.at += 1;
            raw.clear();
            self.raw = raw;
            r?;
        } else {
            self.raw = raw;
        }
        Ok(true)
    }
}

impl<R: Read> Read for Utf16Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.taken == self.out.len() {
            if !self.refill()? {
                return Ok(0);
            }
        }
        let n = buf.len().min(self.out.len() - self.taken);
        buf[..n].copy_from_slice(&self.out[self.taken..self.taken + n]);
        self.taken += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_lossy_counts_replaced_bytes() {
        let (text, replaced, first) = decode_lossy(b"caf\xe9 ok \xff\xfe");
        assert_eq!(text, "caf\u{FFFD} ok \u{FFFD}\u{FFFD}");
        assert_eq!(replaced, 3);
        assert_eq!(first, 3);
    }

    /// A reader giving at most `n` bytes a call.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.0.len().min(self.1).min(buf.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn utf16_is_decoded_in_pieces_across_surrogate_pairs() {
        let text = "a\u{1F600}b\u{10348}\u{E9}c\u{1F600}";
        for be in [false, true] {
            let mut bytes: Vec<u8> = Vec::new();
            for u in text.encode_utf16() {
                bytes.extend(if be {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                });
            }
            // An unpaired low surrogate, a high one before 'x', an odd
            // last byte: 2 + 2 + 1 bytes replaced, the first at 22.
            let mut bad = bytes.clone();
            for u in [0xDC00u16, 0xD800, u16::from(b'x')] {
                bad.extend(if be { u.to_be_bytes() } else { u.to_le_bytes() });
            }
            bad.push(b'y');
            for n in 1..=7 {
                let cell = std::rc::Rc::new(std::cell::Cell::new((0, None)));
                let mut r =
                    Utf16Reader::new(Trickle(&bytes, n), be, cell.clone());
                let mut out = String::new();
                r.read_to_string(&mut out).unwrap();
                assert_eq!(out, text, "{n} bytes a read");
                assert_eq!(cell.get(), (0, None));
                let cell = std::rc::Rc::new(std::cell::Cell::new((0, None)));
                let mut r =
                    Utf16Reader::new(Trickle(&bad, n), be, cell.clone());
                let mut out = String::new();
                r.read_to_string(&mut out).unwrap();
                let want = format!("{text}\u{FFFD}\u{FFFD}x\u{FFFD}");
                assert_eq!(out, want, "{n} bytes a read");
                assert_eq!(cell.get(), (5, Some(bytes.len() as u64)));
                let cell = std::rc::Rc::new(std::cell::Cell::new((0, None)));
                let mut r =
                    Utf16Reader::new(Trickle(&bad, n), be, cell.clone());
                r.strict = true;
                let mut out = Vec::new();
                assert!(r.read_to_end(&mut out).is_err());
                assert_eq!(cell.get().1, Some(bytes.len() as u64));
            }
        }
    }

    #[cfg(feature = "web")]
    #[test]
    fn web_pages_are_decoded_by_the_charset_they_declare() {
        use CharsetFrom::*;
        // "café" in Windows-1252 (é = 0xE9), in UTF-8, in a page.
        let meta = b"<html><head><meta charset=\"ISO-8859-1\"></head>caf\xe9";
        let equiv = b"<META HTTP-EQUIV=Content-Type CONTENT='text/html; \
            charset=windows-1252'>caf\xe9";
        // (page, HTTP Content-Type, text ends with, charset, found)
        type Row<'a> =
            (&'a [u8], Option<&'a str>, &'a str, &'a str, CharsetFrom);
        let rows: [Row; 6] = [
            (meta, None, "caf\u{e9}", "windows-1252", Meta),
            (equiv, None, "caf\u{e9}", "windows-1252", Meta),
            // The HTTP header wins over the meta tag.
            (
                b"<meta charset=utf-8>caf\xe9",
                Some("text/html; charset=latin1"),
                "caf\u{e9}",
                "windows-1252",
                Http,
            ),
            (
                b"\xef\xbb\xbfcaf\xc3\xa9",
                Some("text/html; charset=latin1"),
                "caf\u{e9}",
                "UTF-8",
                Bom,
            ),
            ("<p>caf\u{e9}".as_bytes(), None, "caf\u{e9}", "UTF-8", Utf8),
            // An unknown label counts as none.
            (b"<meta charset=x-nonsense>ok", None, "ok", "UTF-8", Utf8),
        ];
        for (page, http, ends, charset, found) in rows {
            let got = web_page(page, http);
            let what = String::from_utf8_lossy(page);
            assert!(got.text.ends_with(ends), "{what}: {}", got.text);
            assert_eq!((got.charset, got.found), (charset, found), "{what}");
            assert!(!got.replaced, "{what}");
        }
    }

    #[cfg(feature = "web")]
    #[test]
    fn undeclared_legacy_pages_are_guessed_and_bad_bytes_flagged() {
        let text = "<p>Le caf\u{e9} est ferm\u{e9} depuis l\u{e9}t\u{e9}, \
            d\u{e9}j\u{e0} r\u{e9}sum\u{e9} des ann\u{e9}es pass\u{e9}es.";
        let bytes: Vec<u8> = text.chars().map(|c| c as u32 as u8).collect();
        let got = web_page(&bytes, None);
        assert_eq!(got.found, CharsetFrom::Guessed);
        assert_eq!(got.charset, "windows-1252");
        assert_eq!(got.text, text);
        // Declared UTF-8 but not: decoded, the bad byte flagged.
        let got = web_page(b"<meta charset=utf-8>caf\xe9", None);
        assert_eq!(got.text, "<meta charset=utf-8>caf\u{fffd}");
        assert!(got.replaced);
    }

    #[cfg(feature = "web")]
    #[test]
    fn charset_params() {
        let rows = [
            ("text/html; charset=UTF-8", Some("UTF-8")),
            ("text/html;charset=\"iso-8859-1\"", Some("iso-8859-1")),
            ("<meta charset='gbk'/", Some("gbk")),
            ("text/html", None),
            ("charset=", None),
        ];
        for (value, want) in rows {
            assert_eq!(charset_param(value), want, "{value}");
        }
    }
}
