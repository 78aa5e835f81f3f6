//! `korpus variants`'s options and their help text.

use super::super::args::{AnalyzeArgs, CorpusArgs, SubcorpusArgs};
use super::super::chart::ChartArgs;
use super::super::output::OutputArgs;

/// How a variable's variants alternate across groups: for each --set
/// (`Tiongkok|China|Cina|RRT`; a variant may be a phrase or any query)
/// and each group (--by year, source, doc, ...; the whole corpus without
/// --by), the count and share of each variant with a 95% Wilson
/// interval, and the group total.
///
/// Columns: set, group, variant, count, share, ci_low, ci_high, total
/// (or example lines with --examples).
/// The test of independence across groups (G², χ², df, p, Cramér's V;
/// with --test, `groups` counts the groups that enter it, those with an
/// occurrence) goes to stderr, or is the output with --test.
///
/// Charts (--chart FILE): `stacked` (one bar per group, its variants
/// stacked to 100%) or `lines` (a line per variant across the groups,
/// with the 95% Wilson interval of each share); a panel per --set.
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

    /// A variable: its variants separated by | (repeat for more).
    #[arg(long = "set", required = true, value_name = "A|B|...")]
    pub(super) sets: Vec<String>,

    /// Match surface forms (case and all).
    #[arg(long)]
    pub(super) case_sensitive: bool,

    /// Print the tests of independence instead of the shares.
    #[arg(long)]
    pub(super) test: bool,

    /// Print instead up to N concordance lines per variant per group,
    /// a reproducible sample (--seed): columns set, group, variant, doc,
    /// position, left, node, right.
    #[arg(long, value_name = "N", conflicts_with = "test")]
    pub(super) examples: Option<usize>,

    /// Seed of --examples.
    #[arg(long, default_value_t = 1, value_name = "S")]
    pub(super) seed: u64,

    #[command(flatten)]
    pub(super) chart: ChartArgs,
}
