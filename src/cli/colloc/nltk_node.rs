//! `korpus colloc --convention nltk CORPUS NODE`: NLTK's pairs that
//! hold a node ([`korpus::nltk::node_pairs`]).

use korpus::colloc::{CollocOptions, Convention, Overlap, Within};
use korpus::colloc_table::Table;
use korpus::corpus::Corpus;
use korpus::nltk;
use korpus::query::Query;

use super::super::args::usage;
use super::super::chart::Spec;
use super::super::{Outcome, output};
use super::Ctx;
use super::pairs::sort_of;

/// `--convention nltk` for a node: the NLTK pairs that hold the node
/// ([`nltk::node_pairs`]), scored as NLTK scores them.
pub(super) fn run(
    cx: &Ctx,
    query: &Query,
    corpus: &Corpus,
) -> anyhow::Result<Outcome> {
    let args = cx.args;
    let Some(node) = nltk::node_term(query) else {
        return Err(usage(
            "--convention nltk takes one word as NODE (NLTK scores word pairs)",
        ));
    };
    if args.window < 2 {
        return Err(usage("--window (NLTK's window_size) must be at least 2"));
    }
    let sort = sort_of(cx, "--convention nltk")?;
    let span = args.window - 1;
    let opts = CollocOptions {
        left: span,
        right: span,
        within: Within::Document,
        convention: Convention::Window,
        overlap: Overlap::Each,
    };
    let c = cx.collocates(corpus, query, &opts, &mut output::warn)?;
    output::note_ignored(&c.report);
    let top = args.top.unwrap_or(usize::MAX);
    let pairs = nltk::node_pairs(&c, &node, span);
    let rows = nltk::rank_node_pairs(pairs, &cx.an, sort, args.min_freq, top);
    let shown = if args.measure == "all" {
        nltk::MEASURES.to_vec()
    } else {
        vec![sort]
    };
    let t = nltk::node_pair_table(&rows, &shown);
    let what = format!(
        "NLTK pairs with '{node}' (window_size {}) by {sort}",
        args.window
    );
    let inputs = &args.targets[..args.targets.len() - 1];
    let line = format!(
        "{} hits of '{node}', NLTK window_size {}, {} tokens",
        c.hits, args.window, c.tokens
    );
    let chart = |spec: &Spec, t: &Table| {
        let title = cx.title(inputs, &what);
        cx.bars(spec, title, t, &["w1", "w2"], sort, false)
    };
    // (No provenance record, as before.)
    cx.emit(t, chart, vec![line], None)?;
    Ok(Outcome::of(&c.report))
}
