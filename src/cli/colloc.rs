//! `korpus colloc`: the collocates of a node. The tables are the
//! library's ([`korpus::colloc_table`], [`korpus::sketch`],
//! [`korpus::nltk`]); this module reads the options, calls the count and
//! writes the table and the chart.

mod args;
mod cache;
mod difference;
mod emit;
mod nltk_node;
mod node;
mod pairs;

pub use args::Args;

use korpus::analyze::{Analyzer, ClassSet};
use korpus::colloc::{self, CollocOptions, Overlap, Within};
use korpus::colloc_table::{ConventionName, SortKey, measure_list};
use korpus::dist::Backend;
use korpus::measures::Measure;
use korpus::meta::{DocFilter, GroupBy};
use korpus::query::Query;
use korpus::report::Format;
use korpus::scan::Subcorpus;

use super::Outcome;
use super::args::usage;
use super::chart::Spec;

/// What every kind of colloc run shares.
struct Ctx<'a> {
    args: &'a Args,
    an: Analyzer,
    filter: DocFilter,
    format: Format,
    spec: Option<Spec>,
    /// Where the counting runs (this process or a cluster).
    backend: &'a Backend,
}

impl Ctx<'_> {
    /// The corpus as the backend reads it, with the run's analyzer and
    /// filter.
    fn sub<'c>(&'c self, corpus: &'c korpus::corpus::Corpus) -> Subcorpus<'c> {
        Subcorpus { corpus, analyzer: &self.an, filter: &self.filter }
    }

    /// The collocates of `query` in the whole of `corpus`, on the
    /// backend, with the read report.
    fn collocates(
        &self,
        corpus: &korpus::corpus::Corpus,
        query: &Query,
        opts: &CollocOptions,
        warn: &mut dyn FnMut(&korpus::corpus::Warning),
    ) -> korpus::error::Result<colloc::Collocates> {
        let sub = self.sub(corpus);
        let mut job = sub.job(&GroupBy::All, self.backend, warn);
        let (mut groups, report) =
            colloc::collocates_on(&mut job, query, opts)?;
        let mut c = groups.pop().expect("one group").1;
        c.report = report;
        Ok(c)
    }
}

/// One node's count: what `run` was given.
struct Node<'a> {
    query: Query,
    node: &'a str,
    inputs: &'a [String],
    opts: CollocOptions,
    shown: Vec<&'static Measure>,
    sort: SortKey,
    by: GroupBy,
}

/// The option combinations that are refused before anything is read.
fn check(args: &Args, by: &GroupBy, backend: &Backend) -> anyhow::Result<()> {
    if by.is_grouped()
        && (args.all || args.vs.is_some() || args.convention == "nltk")
    {
        return Err(usage(
            "--by works with the window and node conventions, not with --all, --vs or nltk",
        ));
    }
    if backend.is_distributed() && args.freq_cache.is_some() {
        return Err(usage(
            "--freq-cache is not used in korpus dist: every worker counts \
             its share",
        ));
    }
    if by.is_grouped() && args.freq_cache.is_some() {
        return Err(usage("--freq-cache works without --by"));
    }
    let limits = [
        ("--left", args.left, colloc::MAX_SPAN),
        ("--right", args.right, colloc::MAX_SPAN),
        ("--window", args.window, korpus::nltk::MAX_WINDOW),
    ];
    for (name, n, max) in limits {
        if n > max {
            return Err(usage(format!(
                "{name} {n} is over the limit of {max} (memory grows with the window)"
            )));
        }
    }
    Ok(())
}

/// Runs the command.
pub fn run(args: Args, backend: &Backend) -> anyhow::Result<Outcome> {
    let format = args.out.format()?;
    let spec = args.chart.spec(&["bars", "network"], &args.out)?;
    let an = args.analyze.build(ClassSet::countable())?;
    let (filter, by) = args.sub.build()?;
    check(&args, &by, backend)?;
    let cx = Ctx { args: &args, an, filter, format, spec, backend };
    if args.all {
        return pairs::run_all(&cx);
    }
    let Some((node, inputs)) = args.targets.split_last() else {
        return Err(usage("give a corpus and a node query"));
    };
    if inputs.is_empty() {
        return Err(usage(
            "give a corpus and a node query (or --all to rank every pair)",
        ));
    }
    let query = korpus::query::Query::parse(node, &cx.an, args.case_sensitive)
        .map_err(|e| usage(e.render(node)))?;
    let within = args.within.parse::<Within>().map_err(|e| usage(e.0))?;
    let name =
        args.convention.parse::<ConventionName>().map_err(|e| usage(e.0))?;
    let Some(convention) = name.table() else {
        let corpus = args.read.open(inputs, args.out.provenance.is_some())?;
        return nltk_node::run(&cx, &query, &corpus);
    };
    let shown = measure_list(&args.measure).map_err(|e| usage(e.0))?;
    let sort = args.sort.parse::<SortKey>().map_err(|e| usage(e.0))?;
    let opts = CollocOptions {
        left: args.left,
        right: args.right,
        within,
        convention,
        overlap: Overlap::Once,
    };
    let job = Node { query, node, inputs, opts, shown, sort, by };
    node::run(&cx, &job)
}
