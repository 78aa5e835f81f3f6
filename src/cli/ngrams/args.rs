//! The arguments of `korpus ngrams` (their doc comments are its help)
//! and the lengths they name.

use std::ops::RangeInclusive;

use super::super::args::{AnalyzeArgs, CorpusArgs, SubcorpusArgs};
use super::super::output::OutputArgs;

/// N-gram lists, or with --around the clusters that contain a node.
///
/// Without --around: for each length, a frequency list of n-grams
/// (columns n, rank, item, freq, per_million, range, range_pct,
/// juilland_d, dp, dp_norm, as in `korpus freq -n`); the corpus is read
/// once per length. With --around QUERY: every n-gram that holds a match
/// of QUERY, with the node's position in it (columns rank, n, cluster,
/// node_position, freq, range), as AntConc's Clusters. N-grams never
/// cross a sentence or document boundary.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub(super) corpus: CorpusArgs,
    #[command(flatten)]
    pub(super) analyze: AnalyzeArgs,
    #[command(flatten)]
    pub(super) sub: SubcorpusArgs,
    #[command(flatten)]
    pub(super) out: OutputArgs,

    /// Lengths: N, or MIN..MAX (2..4).
    #[arg(
        short = 'n',
        long = "size",
        default_value = "2",
        value_name = "N[..M]"
    )]
    pub(super) size: String,

    /// Only the clusters that contain a match of QUERY.
    #[arg(long, value_name = "QUERY")]
    pub(super) around: Option<String>,

    /// Leave out n-grams less frequent than N.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub(super) min_freq: u64,

    /// Print only the first N rows (of each length, without --around).
    #[arg(long, value_name = "N")]
    pub(super) top: Option<usize>,

    /// Let n-grams run across sentence boundaries (never across
    /// documents).
    #[arg(long)]
    pub(super) cross_sentences: bool,
}

pub(super) fn lengths(spec: &str) -> Option<RangeInclusive<usize>> {
    let (a, b) = spec
        .split_once("..")
        .or_else(|| spec.split_once('-'))
        .unwrap_or((spec, spec));
    let (a, b) =
        (a.trim().parse::<usize>().ok()?, b.trim().parse::<usize>().ok()?);
    (1 <= a && a <= b && b <= 16).then_some(a..=b)
}

#[cfg(test)]
mod tests {
    #[test]
    fn length_specs() {
        assert_eq!(super::lengths("2"), Some(2..=2));
        assert_eq!(super::lengths("2..4"), Some(2..=4));
        assert_eq!(super::lengths("2-3"), Some(2..=3));
        assert_eq!(super::lengths("4..2"), None);
        assert_eq!(super::lengths("0"), None);
        assert_eq!(super::lengths("x"), None);
    }
}
