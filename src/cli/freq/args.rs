//! The arguments of `korpus freq` (their doc comments are its help).

use super::super::args::{AnalyzeArgs, CorpusArgs, SubcorpusArgs};
use super::super::chart::ChartArgs;
use super::super::output::OutputArgs;

/// Frequency list with dispersion over documents.
///
/// Columns: rank, item, freq, per_million (per million counted units),
/// range (documents), range_pct, juilland_d, dp (Gries' DP), dp_norm.
/// Rows are ordered by frequency (descending), then item (byte order).
/// The corpus is read twice: the second pass computes DP, which needs
/// every item's total first (`--no-dp` skips it). Memory grows with the
/// vocabulary, not with the corpus.
///
/// Charts (--chart FILE): `bars` (the default; the first rows printed,
/// 30 or --top's N up to 100, one panel per group; --chart-value freq,
/// per_million, range, ...) or `zipf` (rank against frequency of every
/// row printed, log-log, with the least-squares slope and R²; one
/// series per group).
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
    #[command(flatten)]
    pub(super) chart: ChartArgs,

    /// Count n-grams of N items (within sentences).
    #[arg(short = 'n', long, default_value_t = 1, value_name = "N")]
    pub(super) ngram: usize,

    /// Leave out items less frequent than N.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub(super) min_freq: u64,

    /// Print only the first N rows (of each group).
    #[arg(long, value_name = "N")]
    pub(super) top: Option<usize>,

    /// With --by: one row per item and one frequency column per group.
    #[arg(long, requires = "by")]
    pub(super) wide: bool,

    /// Skip Gries' DP (no temporary files).
    #[arg(long)]
    pub(super) no_dp: bool,

    /// Let n-grams run across sentence boundaries (never across
    /// documents).
    #[arg(long)]
    pub(super) cross_sentences: bool,
}
