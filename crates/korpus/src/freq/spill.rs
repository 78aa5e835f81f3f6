//! Gries' DP from spill files: while counting, each thread writes every
//! document's group, size and `(item, count)` pairs to a temporary file
//! of its own (varints, about 2 to 3 bytes per token, in `TMPDIR`,
//! deleted when dropped); once the counts are merged and every item's
//! total frequency is known, [`add_dp`] reads the files back in
//! parallel and sums each item's DP term in fixed point.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Seek, SeekFrom, Write};

use rayon::prelude::*;

use super::totals::GroupCounts;
use crate::dispersion::dp_term;
use crate::parallel::Fixed;

/// A thread's temporary file of per-document `(item, count)` pairs.
pub(super) struct Spill {
    out: BufWriter<File>,
    buf: Vec<u8>,
    error: Option<std::io::Error>,
}

impl Spill {
    pub(super) fn new() -> std::io::Result<Spill> {
        Ok(Spill {
            out: BufWriter::with_capacity(1 << 20, tempfile::tempfile()?),
            buf: Vec::new(),
            error: None,
        })
    }

    /// Writes one document: group, size, pair count, then the pairs.
    pub(super) fn record(
        &mut self,
        group: u32,
        size: u64,
        pairs: impl ExactSizeIterator<Item = (u32, u32)>,
    ) {
        if self.error.is_some() {
            return;
        }
        self.buf.clear();
        put_varint(&mut self.buf, group as u64);
        put_varint(&mut self.buf, size);
        put_varint(&mut self.buf, pairs.len() as u64);
        for (id, c) in pairs {
            put_varint(&mut self.buf, id as u64);
            put_varint(&mut self.buf, c as u64);
        }
        if let Err(e) = self.out.write_all(&self.buf) {
            self.error = Some(e);
        }
    }

    /// The file, flushed and rewound, or the first write error.
    fn into_reader(self) -> std::io::Result<BufReader<File>> {
        if let Some(e) = self.error {
            return Err(e);
        }
        let mut f = self.out.into_inner().map_err(|e| e.into_error())?;
        f.seek(SeekFrom::Start(0))?;
        Ok(BufReader::with_capacity(1 << 20, f))
    }
}

fn put_varint(buf: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        buf.push((v as u8) | 0x80);
        v >>= 7;
    }
    buf.push(v as u8);
}

/// Reads a varint; `None` at a clean end of file.
fn get_varint(r: &mut impl BufRead) -> std::io::Result<Option<u64>> {
    let mut v = 0u64;
    let mut shift = 0;
    loop {
        let buf = r.fill_buf()?;
        let Some(&b) = buf.first() else {
            return if shift == 0 {
                Ok(None)
            } else {
                Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "truncated record",
                ))
            };
        };
        r.consume(1);
        v |= ((b & 0x7F) as u64) << shift;
        if b < 0x80 {
            return Ok(Some(v));
        }
        shift += 7;
    }
}

fn need(v: std::io::Result<Option<u64>>) -> std::io::Result<u64> {
    v?.ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            "truncated record",
        )
    })
}

/// One thread's spill file with its id maps: per local group, the merged
/// group and the local-to-merged item ids.
pub(super) type SpillPart = (Option<Spill>, Vec<(u32, Vec<u32>)>);

/// Reads the spill files back (in parallel) and adds Gries' DP.
pub(super) fn add_dp(
    groups: &mut [GroupCounts],
    parts: Vec<SpillPart>,
) -> std::io::Result<()> {
    let totals: &[GroupCounts] = groups;
    let sums: Vec<Vec<Vec<Fixed>>> = parts
        .into_par_iter()
        .map(|(spill, remaps)| -> std::io::Result<Vec<Vec<Fixed>>> {
            let mut sums: Vec<Vec<Fixed>> = vec![Vec::new(); totals.len()];
            let Some(spill) = spill else { return Ok(sums) };
            let mut r = spill.into_reader()?;
            while let Some(local) = get_varint(&mut r)? {
                let (g, remap) = &remaps[local as usize];
                let group = &totals[*g as usize];
                let sum = &mut sums[*g as usize];
                if sum.is_empty() {
                    sum.resize(group.totals.len(), Fixed::default());
                }
                let size = need(get_varint(&mut r))? as f64;
                let pairs = need(get_varint(&mut r))?;
                let total = group.sizes.tokens as f64;
                for _ in 0..pairs {
                    let id = remap[need(get_varint(&mut r))? as usize];
                    let c = need(get_varint(&mut r))? as f64;
                    let f = group.totals.freq(id) as f64;
                    sum[id as usize] +=
                        Fixed::from_f64(dp_term(c, f, size, total));
                }
            }
            Ok(sums)
        })
        .collect::<std::io::Result<_>>()?;
    for per_thread in sums {
        for (g, sum) in per_thread.into_iter().enumerate() {
            let dp = &mut groups[g].dp;
            if dp.is_empty() {
                *dp = sum;
                continue;
            }
            for (d, v) in dp.iter_mut().zip(sum) {
                *d += v;
            }
        }
    }
    Ok(())
}
