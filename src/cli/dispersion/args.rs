//! The arguments of `korpus dispersion` (their doc comments are its
//! help).

use super::super::args::{AnalyzeArgs, CorpusArgs, QueryArgs, SubcorpusArgs};
use super::super::chart::ChartArgs;
use super::super::output::OutputArgs;

/// Dispersion of a query's hits over documents (or --by groups): for
/// each part with a hit, its size, its hits and their relative positions
/// (what a concordance plot draws), and for the query as a whole range,
/// Juilland's D, Gries' DP, DPnorm and ARF (on stderr, or as the output
/// with --summary).
///
/// Every document is tokenized (part sizes are needed). With --by, a
/// group's documents are one part, their tokens laid end to end in
/// corpus order. With --vs, more queries side by side (a `query` column
/// comes first).
///
/// Chart (--chart FILE): `plot`, the concordance plot: a row per part
/// with a hit (at most 60: group documents with --by), a tick at each
/// hit's relative position, and at the row's end the hits and Gries' DP
/// over 10 equal segments of the part; one column per query.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub(super) corpus: CorpusArgs,

    #[command(flatten)]
    pub(super) q: QueryArgs,

    #[command(flatten)]
    pub(super) analyze: AnalyzeArgs,
    #[command(flatten)]
    pub(super) sub: SubcorpusArgs,
    #[command(flatten)]
    pub(super) out: OutputArgs,

    /// List parts without a hit too.
    #[arg(long)]
    pub(super) all_parts: bool,

    /// Print the measures for the query as one row instead of the parts.
    #[arg(long)]
    pub(super) summary: bool,

    /// Another query, side by side (repeat for more).
    #[arg(long, value_name = "QUERY")]
    pub(super) vs: Vec<String>,

    #[command(flatten)]
    pub(super) chart: ChartArgs,
}
