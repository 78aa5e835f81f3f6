//! The arguments of `korpus colloc` (their doc comments are its help).

use super::super::args::{AnalyzeArgs, ReadArgs, SubcorpusArgs};
use super::super::chart::ChartArgs;
use super::super::output::OutputArgs;

/// The collocates of NODE (any query, see `korpus help query`) in a
/// window around its matches, with association measures.
///
/// Columns: rank, collocate, freq (co-occurrence frequency O11 under the
/// convention), coll_freq (corpus frequency), then the measures asked for
/// with --measure (default mi,t,logdice,ll; `all` for every one:
/// expected, mi, mi2, mi3, t, z, ll, simple_ll, logdice, dice, ms,
/// logdice_slots, dice_slots, ms_slots, dp_node, dp_coll, log_ratio,
/// odds_ratio, chi2, fisher). ll is the four-cell G², signed (negative
/// for repelled collocates). logdice, dice and ms are as Rychlý 2008 and
/// Sketch Engine define them, from the node's frequency and the lines
/// whose window holds the collocate, under any --convention; the _slots
/// variants take the convention's table (R1 = window slots by default).
/// An undefined value is an empty cell (JSON null). Rows are
/// ranked by --sort (descending; undefined values last), then freq, then
/// collocate. Memory grows with the vocabulary.
///
/// Charts (--chart FILE): `bars` (the default: the first rows printed,
/// 30 or --top's N up to 100, by --chart-value, default the --sort
/// column; with --vs, diverging bars of the difference) or `network`
/// (the node in the centre and the collocates printed around it, nearer
/// and with a thicker line the higher the value; with --vs, both nodes,
/// each with its own --top N (default 15) and the shared ones between).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The corpus (files, directories, `-`) and then the node query (see
    /// `korpus help query`); with --all, only the corpus.
    #[arg(required = true, value_name = "CORPUS... NODE")]
    pub(super) targets: Vec<String>,

    #[command(flatten)]
    pub(super) read: ReadArgs,

    /// Match the node on the surface form (case and all).
    #[arg(long)]
    pub(super) case_sensitive: bool,

    /// Rank every ordered word pair within the window instead of the
    /// collocates of a node, as NLTK's BigramCollocationFinder with
    /// window_size W = --right + 1: w2 is 1 to W − 1 tokens after w1,
    /// scored with NLTK's BigramAssocMeasures exactly (--sort one of
    /// raw_freq, student_t, pmi, likelihood_ratio, chi_sq,
    /// poisson_stirling, dice, jaccard, mi_like). Memory grows with the
    /// number of distinct pairs.
    #[arg(long, conflicts_with_all = ["vs", "positions"])]
    pub(super) all: bool,

    /// With --all in korpus dist: each worker writes the pairs it summed
    /// to DIR/part-NNNNN.EXT (its part, sorted, ranked within the part) and
    /// process 0 writes DIR/_SUCCESS when every part is complete: for a
    /// pair table too large to gather in one process.
    #[arg(long, value_name = "DIR", requires = "all")]
    pub(super) parts: Option<std::path::PathBuf>,

    /// With --all: NLTK's window_size W (pairs up to W − 1 tokens apart;
    /// at most 100).
    #[arg(long, default_value_t = 2, value_name = "W")]
    pub(super) window: usize,

    /// With --all: the most distinct pairs held in memory; past it the
    /// command stops with an error (exit 2) instead of exhausting memory.
    #[arg(long, default_value_t = korpus::nltk::MAX_PAIRS, value_name = "N")]
    pub(super) max_pairs: usize,

    #[command(flatten)]
    pub(super) analyze: AnalyzeArgs,
    #[command(flatten)]
    pub(super) sub: SubcorpusArgs,
    #[command(flatten)]
    pub(super) out: OutputArgs,

    /// Window tokens left of the node (at most 100).
    #[arg(long, default_value_t = 5, value_name = "N")]
    pub(super) left: usize,

    /// Window tokens right of the node (at most 100).
    #[arg(long, default_value_t = 5, value_name = "N")]
    pub(super) right: usize,

    /// Where windows stop: document (the default; as CQPweb and AntConc)
    /// or sentence.
    #[arg(long, default_value = "document", value_name = "UNIT")]
    pub(super) within: String,

    /// How the window enters the table: window (window slots, as CQPweb,
    /// cwb-ccc, mclm), node (node frequency, each collocate once per
    /// line, as Sketch Engine), or nltk (NLTK's BigramCollocationFinder
    /// with window_size --window: the pairs (NODE, w) and (w, NODE), pair
    /// counts divided by W − 1, NLTK's measures; NODE is one word). Under
    /// window and node, overlapping windows are de-duplicated as cwb-ccc
    /// does: a token in two windows counts once, for the nearest hit (the
    /// earlier at equal distance), and no hit is in another's window, so
    /// O11 never exceeds the collocate's frequency.
    #[arg(long, default_value = "window", value_name = "NAME")]
    pub(super) convention: String,

    /// Measures to show, comma-separated, or `all`.
    #[arg(long, default_value = "mi,t,logdice,ll", value_name = "LIST")]
    pub(super) measure: String,

    /// The measure to rank by (or `freq`).
    #[arg(long, default_value = "ll", value_name = "NAME")]
    pub(super) sort: String,

    /// Yates' correction for chi2.
    #[arg(long)]
    pub(super) yates: bool,

    /// Leave out collocates with a co-occurrence frequency below N.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub(super) min_freq: u64,

    /// Leave out collocates with a corpus frequency below N.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub(super) min_coll_freq: u64,

    /// Print only the first N rows.
    #[arg(long, value_name = "N")]
    pub(super) top: Option<usize>,

    /// Add the counts at each window position (L5 ... L1, R1 ... R5).
    #[arg(long)]
    pub(super) positions: bool,

    /// Compare with the collocates of a second node (a sketch
    /// difference): each collocate's freq and --sort measure for both
    /// nodes and their difference, most typical of NODE first, most
    /// typical of QUERY last. An undefined score counts as 0.
    #[arg(long, value_name = "QUERY")]
    pub(super) vs: Option<String>,

    /// Keep the corpus frequencies in DIR and take them from there when
    /// the corpus (each file's path, size and SHA-256), the
    /// analysis settings, --where and the korpus version are the same:
    /// the first node counts the whole corpus and stores its frequency
    /// table; every later node parses and tokenizes only the documents
    /// it can occur in (the KWIC pre-filter). The numbers are the same
    /// either way. Not with --by or --all. Records that cannot hold the
    /// node are not re-read, so their warnings are not repeated.
    #[arg(long, value_name = "DIR", conflicts_with = "all")]
    pub(super) freq_cache: Option<std::path::PathBuf>,

    #[command(flatten)]
    pub(super) chart: ChartArgs,
}
