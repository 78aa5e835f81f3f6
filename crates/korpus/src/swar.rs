//! Byte tests on eight bytes at once in a `u64` ("SIMD within a
//! register"), for the per-token hot paths: the scanner's word loop, the
//! normalizer's ASCII check, the interner's inline keys, the chunk
//! memo's search for white space and kwic's runs of letters.
//!
//! A loop over a word's bytes ends with a mispredicted branch at every
//! word's end; testing the word's bytes as one or two words has one
//! well-predicted branch instead. The tests are the classic ones
//! (Hacker's Delight, ch. 6, "Searching words"): with every byte below
//! 0x80, adding `0x80 - lo` to each byte sets its high bit exactly when
//! the byte is at least `lo`, and no carry crosses into the next byte.

/// 0x01 in every byte.
pub(crate) const ONES: u64 = 0x0101_0101_0101_0101;
/// 0x80 in every byte.
pub(crate) const HIGH: u64 = 0x8080_8080_8080_8080;

/// Up to 8 bytes as a little-endian word, zero-padded: two overlapping
/// fixed-size reads (the overlap holds the same bytes in the same
/// places), not a copy of variable length.
#[inline]
pub(crate) fn load(bytes: &[u8]) -> u64 {
    let n = bytes.len();
    debug_assert!(n <= 8);
    if n >= 4 {
        let lo = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
        let hi = u32::from_le_bytes([
            bytes[n - 4],
            bytes[n - 3],
            bytes[n - 2],
            bytes[n - 1],
        ]);
        lo as u64 | (hi as u64) << (8 * (n - 4))
    } else if n > 0 {
        bytes[0] as u64
            | (bytes[n / 2] as u64) << (8 * (n / 2))
            | (bytes[n - 1] as u64) << (8 * (n - 1))
    } else {
        0
    }
}

/// The first position at or after `i` in `bytes` where a run stops:
/// eight bytes at a time while eight remain, the first byte `stops`
/// marks (the high bit of the first stopping byte of a word must be
/// exact; later ones may be marked wrongly), then byte by byte while
/// `goes_on`. One branch per eight bytes instead of one per byte, whose
/// mispredicted exit at each run's end costs more than the bytes.
#[inline]
pub(crate) fn run_end(
    bytes: &[u8],
    mut i: usize,
    stops: impl Fn(u64) -> u64,
    goes_on: impl Fn(u8) -> bool,
) -> usize {
    while let Some(block) = bytes.get(i..i + 8) {
        let w = u64::from_le_bytes(block.try_into().unwrap_or([0; 8]));
        let stop = stops(w);
        if stop != 0 {
            return i + (stop.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < bytes.len() && goes_on(bytes[i]) {
        i += 1;
    }
    i
}

/// The high bit of each byte of `x` in `lo..=hi`; every byte of `x`
/// must be below 0x80.
#[inline]
pub(crate) fn bytes_in(x: u64, lo: u8, hi: u8) -> u64 {
    (x + ONES * (0x80 - lo as u64)) & !(x + ONES * (0x7F - hi as u64)) & HIGH
}

/// The high bit of each byte of `w` that is not an ASCII word byte
/// (letter, digit, `_`).
#[inline]
pub(crate) fn non_word_bytes(w: u64) -> u64 {
    let x = w & !HIGH;
    let word = bytes_in(x, b'0', b'9')
        | bytes_in(x | (ONES * 0x20), b'a', b'z')
        | bytes_in(x, b'_', b'_');
    // Bytes with the high bit set (not ASCII) are not word bytes either.
    !(word & !w) & HIGH
}

/// The high bit of each byte of `w` that is not an ASCII letter.
#[inline]
pub(crate) fn non_letter_bytes(w: u64) -> u64 {
    let letter = bytes_in((w & !HIGH) | (ONES * 0x20), b'a', b'z');
    // Bytes with the high bit set (not ASCII) are not letters either.
    !(letter & !w) & HIGH
}

/// The high bit of the first byte of `w` at or below 0x20 (ASCII white
/// space and control), if any; bytes after it may be marked too.
/// Subtracting 0x21 from each byte borrows exactly at the bytes below
/// 0x21 (and `!w` drops those at 0x80 and above); a borrow can only
/// wrongly mark bytes after the first marked one.
#[inline]
pub(crate) fn first_space_or_control(w: u64) -> u64 {
    w.wrapping_sub(ONES * 0x21) & !w & HIGH
}

/// Whether the bytes of `w` hold a non-ASCII byte or, with `amp`, a `&`
/// (the bytes the normalizer's ASCII path cannot take); zero padding
/// never counts.
#[inline]
pub(crate) fn has_non_ascii_or_amp(w: u64, amp: bool) -> bool {
    let x = w & !HIGH;
    w & HIGH != 0 || (amp && bytes_in(x, b'&', b'&') != 0)
}

/// Whether `w` (ASCII bytes) holds an uppercase letter.
#[inline]
pub(crate) fn has_upper(w: u64) -> bool {
    bytes_in(w & !HIGH, b'A', b'Z') != 0
}

/// One bit per byte of a block of up to 64 bytes (bit k for byte k;
/// bytes past the block's end count as white space), for counting a
/// text's chunks a block at a time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct ByteClasses {
    /// ASCII white space and control bytes (at most 0x20).
    pub space: u64,
    /// ASCII letters.
    pub letter: u64,
    pub comma: u64,
    pub period: u64,
}

/// The high bit of each byte of `high` (other bits clear) as one bit
/// per byte, byte k at bit k: a multiply moves the bit of byte k, at
/// 8k + 7, to bit 56 + k, and no two products meet (8j - 7k differs for
/// every pair).
#[inline]
fn gather(high: u64) -> u64 {
    (high >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56
}

/// The classes of the bytes of `block` (at most 64 bytes).
#[inline]
pub(crate) fn byte_classes(block: &[u8]) -> ByteClasses {
    debug_assert!(block.len() <= 64);
    let mut padded = [b' '; 64];
    let bytes: &[u8] = if block.len() == 64 {
        block
    } else {
        padded[..block.len()].copy_from_slice(block);
        &padded
    };
    let mut c = ByteClasses::default();
    for (k, word) in bytes.chunks_exact(8).enumerate() {
        let w = u64::from_le_bytes(word.try_into().unwrap_or([b' '; 8]));
        let x = w & !HIGH;
        let ascii = !w & HIGH;
        let at = 8 * k;
        c.space |= gather(bytes_in(x, 0, b' ') & ascii) << at;
        c.letter |=
            gather(bytes_in(x | (ONES * 0x20), b'a', b'z') & ascii) << at;
        c.comma |= gather(bytes_in(x, b',', b',') & ascii) << at;
        c.period |= gather(bytes_in(x, b'.', b'.') & ascii) << at;
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_classes_agree_with_each_byte() {
        // Every byte value at every position, in blocks of every length.
        for b in 0..=255u8 {
            for len in [0, 1, 7, 8, 9, 33, 63, 64] {
                let mut block: Vec<u8> =
                    (0..len).map(|k| b"aZ ,.\n\x7f\xc3q9"[k % 10]).collect();
                for pos in 0..len {
                    let keep = block[pos];
                    block[pos] = b;
                    let c = byte_classes(&block);
                    for (k, &x) in block.iter().enumerate() {
                        let bit = |m: u64| m >> k & 1 == 1;
                        assert_eq!(
                            bit(c.space),
                            x <= b' ',
                            "{x:#x} at {k}/{len}"
                        );
                        assert_eq!(bit(c.letter), x.is_ascii_alphabetic());
                        assert_eq!(bit(c.comma), x == b',');
                        assert_eq!(bit(c.period), x == b'.');
                    }
                    // Past the end: white space, nothing else.
                    let past = if len == 64 { 0 } else { !0u64 << len };
                    assert_eq!(c.space & past, past);
                    assert_eq!((c.letter | c.comma | c.period) & past, 0);
                    block[pos] = keep;
                }
            }
        }
    }

    #[test]
    fn load_is_the_zero_padded_little_endian_word() {
        let bytes = b"abcdefgh";
        for n in 0..=8 {
            let mut buf = [0u8; 8];
            buf[..n].copy_from_slice(&bytes[..n]);
            assert_eq!(load(&bytes[..n]), u64::from_le_bytes(buf), "{n}");
        }
    }

    #[test]
    fn byte_tests_agree_with_the_byte_at_every_position() {
        for b in 0..=255u8 {
            for pos in 0..8 {
                let mut block = *b"abcXYZ_9";
                block[pos] = b;
                let w = u64::from_le_bytes(block);
                let word = b.is_ascii_alphanumeric() || b == b'_';
                let stop = non_word_bytes(w);
                assert_eq!(
                    (stop != 0).then(|| (stop.trailing_zeros() / 8) as usize),
                    (!word).then_some(pos),
                    "byte {b:#x} at {pos}"
                );
                let mut letters = *b"abcXYZqQ";
                letters[pos] = b;
                let stop = non_letter_bytes(u64::from_le_bytes(letters));
                assert_eq!(
                    (stop != 0).then(|| (stop.trailing_zeros() / 8) as usize),
                    (!b.is_ascii_alphabetic()).then_some(pos),
                    "byte {b:#x} at {pos}"
                );
                let mut lower = *b"abcxyz_9";
                lower[pos] = b;
                let w = u64::from_le_bytes(lower);
                assert_eq!(
                    has_non_ascii_or_amp(w, true),
                    b >= 0x80 || b == b'&',
                    "{b:#x}"
                );
                assert_eq!(has_non_ascii_or_amp(w, false), b >= 0x80);
                if b < 0x80 {
                    assert_eq!(has_upper(w), b.is_ascii_uppercase(), "{b:#x}");
                }
            }
        }
        // Zero padding is neither `&` nor uppercase.
        assert!(!has_non_ascii_or_amp(load(b"ab"), true));
        assert!(!has_upper(load(b"ab")));
    }
}
