//! `korpus colloc`: the collocates of a node.

use korpus::analyze::ClassSet;
use korpus::colloc::{self, CollocOptions, Convention, Overlap, Within};
use korpus::dist::{Backend, Subcorpus};
use korpus::measures::{ASSOCIATION, Measure, association};
use korpus::report::{Cell, RowWriter};

use super::Outcome;
use super::args::{AnalyzeArgs, ReadArgs, SubcorpusArgs, settings, usage};
use super::chart::{self, ChartArgs, Spec};
use super::output::{self, OutputArgs};
use korpus::chart::{Chart, Network, NetworkEdge};

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
    targets: Vec<String>,

    #[command(flatten)]
    read: ReadArgs,

    /// Match the node on the surface form (case and all).
    #[arg(long)]
    case_sensitive: bool,

    /// Rank every ordered word pair within the window instead of the
    /// collocates of a node, as NLTK's BigramCollocationFinder with
    /// window_size W = --right + 1: w2 is 1 to W − 1 tokens after w1,
    /// scored with NLTK's BigramAssocMeasures exactly (--sort one of
    /// raw_freq, student_t, pmi, likelihood_ratio, chi_sq,
    /// poisson_stirling, dice, jaccard, mi_like). Memory grows with the
    /// number of distinct pairs.
    #[arg(long, conflicts_with_all = ["vs", "positions"])]
    all: bool,

    /// With --all in korpus dist: each worker writes the pairs it summed
    /// to DIR/part-NNNNN.EXT (its part, sorted, ranked within the part) and
    /// process 0 writes DIR/_SUCCESS when every part is complete: for a
    /// pair table too large to gather in one process.
    #[arg(long, value_name = "DIR", requires = "all")]
    parts: Option<std::path::PathBuf>,

    /// With --all: NLTK's window_size W (pairs up to W − 1 tokens apart;
    /// at most 100).
    #[arg(long, default_value_t = 2, value_name = "W")]
    window: usize,

    /// With --all: the most distinct pairs held in memory; past it the
    /// command stops with an error (exit 2) instead of exhausting memory.
    #[arg(long, default_value_t = korpus::nltk::MAX_PAIRS, value_name = "N")]
    max_pairs: usize,

    #[command(flatten)]
    analyze: AnalyzeArgs,
    #[command(flatten)]
    sub: SubcorpusArgs,
    #[command(flatten)]
    out: OutputArgs,

    /// Window tokens left of the node (at most 100).
    #[arg(long, default_value_t = 5, value_name = "N")]
    left: usize,

    /// Window tokens right of the node (at most 100).
    #[arg(long, default_value_t = 5, value_name = "N")]
    right: usize,

    /// Where windows stop: document (the default; as CQPweb and AntConc)
    /// or sentence.
    #[arg(long, default_value = "document", value_name = "UNIT")]
    within: String,

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
    convention: String,

    /// Measures to show, comma-separated, or `all`.
    #[arg(long, default_value = "mi,t,logdice,ll", value_name = "LIST")]
    measure: String,

    /// The measure to rank by (or `freq`).
    #[arg(long, default_value = "ll", value_name = "NAME")]
    sort: String,

    /// Yates' correction for chi2.
    #[arg(long)]
    yates: bool,

    /// Leave out collocates with a co-occurrence frequency below N.
    #[arg(long, default_value_t = 1, value_name = "N")]
    min_freq: u64,

    /// Leave out collocates with a corpus frequency below N.
    #[arg(long, default_value_t = 1, value_name = "N")]
    min_coll_freq: u64,

    /// Print only the first N rows.
    #[arg(long, value_name = "N")]
    top: Option<usize>,

    /// Add the counts at each window position (L5 ... L1, R1 ... R5).
    #[arg(long)]
    positions: bool,

    /// Compare with the collocates of a second node (a sketch
    /// difference): each collocate's freq and --sort measure for both
    /// nodes and their difference, most typical of NODE first, most
    /// typical of QUERY last. An undefined score counts as 0.
    #[arg(long, value_name = "QUERY")]
    vs: Option<String>,

    /// Keep the corpus frequencies in DIR and take them from there when
    /// the corpus (each file's path, size and SHA-256), the
    /// analysis settings, --where and the korpus version are the same:
    /// the first node counts the whole corpus and stores its frequency
    /// table; every later node parses and tokenizes only the documents
    /// it can occur in (the KWIC pre-filter). The numbers are the same
    /// either way. Not with --by or --all. Records that cannot hold the
    /// node are not re-read, so their warnings are not repeated.
    #[arg(long, value_name = "DIR", conflicts_with = "all")]
    freq_cache: Option<std::path::PathBuf>,

    #[command(flatten)]
    chart: ChartArgs,
}

/// The collocates of one node (ungrouped), through the frequency cache
/// with --freq-cache.
fn collocates_of(
    args: &Args,
    backend: &Backend,
    sub: &Subcorpus,
    query: &korpus::query::Query,
    opts: &CollocOptions,
    warn: &mut dyn FnMut(&korpus::corpus::Warning),
) -> anyhow::Result<colloc::Collocates> {
    let Some(dir) = &args.freq_cache else {
        return Ok(backend.collocates(sub, query, opts, warn)?);
    };
    let (an, corpus, filter) = (sub.analyzer, sub.corpus, sub.filter);
    let what = settings(
        "freq-cache",
        &args.read,
        &args.analyze,
        an,
        &args.sub,
        serde_json::json!({}),
    )
    .to_string();
    korpus::cache::check_dir(dir)?;
    let Some(key) = korpus::cache::key(corpus, &what)? else {
        eprintln!(
            "korpus: note: --freq-cache: a corpus read from a stream is not cached"
        );
        return Ok(colloc::collocates(corpus, an, filter, query, opts, warn)?);
    };
    if korpus::cache::exists(dir, &key) {
        eprintln!(
            "korpus: corpus frequencies from {} (only documents that can hold '{}' are read)",
            dir.display(),
            query.source
        );
        let mut table = |keep: &dyn Fn(&str) -> bool| {
            korpus::cache::load_terms(dir, &key, keep)?.ok_or_else(|| {
                korpus::error::Error::Input {
                    path: dir.display().to_string(),
                    message:
                        "the frequency cache file went away while reading"
                            .to_string(),
                }
            })
        };
        return Ok(colloc::collocates_with_freqs(
            corpus, an, filter, query, opts, &mut table, warn,
        )?);
    }
    let (c, table) =
        colloc::collocates_and_freqs(corpus, an, filter, query, opts, warn)?;
    korpus::cache::save(dir, &key, &table, &mut output::remove_on_signal)?;
    eprintln!(
        "korpus: corpus frequencies kept in {} for later nodes",
        dir.display()
    );
    Ok(c)
}

/// Writes the table, and the chart drawn from its rows first (so that
/// a chart that cannot be drawn leaves no output behind).
fn emit(
    args: &Args,
    backend: &Backend,
    spec: Option<&Spec>,
    format: korpus::report::Format,
    columns: &[&str],
    rows: &[Vec<Cell>],
    chart: impl FnOnce(&Spec) -> anyhow::Result<Chart>,
) -> anyhow::Result<()> {
    let rendered = match spec {
        Some(s) => Some(s.render(&chart(s)?)?),
        None => None,
    };
    let mut out = args.out.open_for(backend)?;
    let mut wtr = RowWriter::new(out.writer(), format, columns)?;
    wtr.csv_safe(args.out.csv_safe);
    for r in rows {
        wtr.row(r)?;
    }
    wtr.finish()?;
    out.finish()?;
    if backend.writes() {
        chart::finish(rendered)?;
    }
    Ok(())
}

/// The rows of `colloc --all`: pairs without stopwords, in NLTK's order
/// (score descending, then the pair ascending), the first `top`.
fn pair_rows(
    p: &korpus::nltk::Pairs,
    an: &korpus::analyze::Analyzer,
    sort: &str,
    shown: &[&str],
    top: usize,
) -> (Vec<String>, Vec<Vec<Cell>>) {
    use korpus::nltk;
    let mut rows: Vec<(&nltk::Pair, Option<f64>)> = p
        .pairs
        .iter()
        .filter(|x| !an.is_stopword(&x.w1) && !an.is_stopword(&x.w2))
        .map(|x| (x, nltk::score(sort, &x.cells)))
        .collect();
    rows.sort_by(|(a, sa), (b, sb)| {
        let key = korpus::measures::cmp_desc(*sa, *sb);
        key.then_with(|| {
            (a.w1.as_bytes(), a.w2.as_bytes())
                .cmp(&(b.w1.as_bytes(), b.w2.as_bytes()))
        })
    });
    rows.truncate(top);
    let mut columns: Vec<String> =
        ["rank", "w1", "w2", "freq", "n_ii", "f_w1", "f_w2"]
            .map(String::from)
            .to_vec();
    columns.extend(shown.iter().map(|m| m.to_string()));
    let mut printed = Vec::with_capacity(rows.len());
    for (rank, (x, _)) in rows.iter().enumerate() {
        let mut cells = vec![
            Cell::Int(rank as u64 + 1),
            Cell::Str(x.w1.clone()),
            Cell::Str(x.w2.clone()),
            Cell::Int(x.count),
            Cell::Float(x.cells.n_ii, 4),
            Cell::Int(x.cells.n_ix as u64),
            Cell::Int(x.cells.n_xi as u64),
        ];
        cells.extend(
            shown.iter().map(|m| Cell::opt(nltk::score(m, &x.cells), 6)),
        );
        printed.push(cells);
    }
    (columns, printed)
}

/// Writes one part of a distributed `colloc --all --parts`.
pub struct PartWriter {
    sort: String,
    shown: Vec<String>,
    format: korpus::report::Format,
    an: korpus::analyze::Analyzer,
    /// `--csv-safe`.
    csv_safe: bool,
}

impl super::parts::PartWrite for PartWriter {
    fn extension(&self) -> &'static str {
        use korpus::report::Format;
        match self.format {
            Format::Parquet => "parquet",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Html => "html",
            Format::Table | Format::Tsv => "tsv",
        }
    }

    fn write(
        &self,
        p: &korpus::nltk::Pairs,
        path: &std::path::Path,
    ) -> anyhow::Result<u64> {
        let shown: Vec<&str> = self.shown.iter().map(String::as_str).collect();
        let (columns, rows) =
            pair_rows(p, &self.an, &self.sort, &shown, usize::MAX);
        let columns: Vec<&str> = columns.iter().map(String::as_str).collect();
        let format = match self.format {
            korpus::report::Format::Table => korpus::report::Format::Tsv,
            f => f,
        };
        let mut out = output::Output::open_part(path)?;
        let mut wtr = RowWriter::new(out.writer(), format, &columns)?;
        wtr.csv_safe(self.csv_safe);
        for r in &rows {
            wtr.row(r)?;
        }
        wtr.finish()?;
        out.finish()?;
        Ok(rows.len() as u64)
    }
}

/// Bars of the printed rows.
#[allow(clippy::too_many_arguments)]
fn bars(
    args: &Args,
    spec: &Spec,
    title: String,
    columns: &[&str],
    rows: &[Vec<Cell>],
    label: &[&str],
    default_value: &str,
    grouped: bool,
) -> anyhow::Result<Chart> {
    if spec.kind == "network" {
        return Err(usage(
            "--chart-kind network draws one or two nodes: not with --all, --by or --convention nltk",
        ));
    }
    let value = spec.value.as_deref().unwrap_or(default_value);
    let how = chart::BarsFrom {
        title,
        label,
        value,
        group: grouped.then_some("group"),
        limit: chart::bar_limit(args.top),
        signed_by: None,
    };
    let b = chart::bars_from_rows(columns, rows, &how)?;
    Ok(Chart::Bars(b))
}

/// The default chart value: the sort column if printed, else freq.
fn default_value<'a>(args: &'a Args, columns: &[&str]) -> &'a str {
    if columns.contains(&args.sort.as_str()) { &args.sort } else { "freq" }
}

/// A title for the collocates of `node`.
fn title(args: &Args, inputs: &[String], what: &str) -> String {
    format!("{what} — {}", chart::corpus_label(inputs))
        .replace("{L}", &args.left.to_string())
        .replace("{R}", &args.right.to_string())
}

/// Runs the command.
pub fn run(args: Args, backend: &Backend) -> anyhow::Result<Outcome> {
    let format = args.out.format()?;
    let spec = args.chart.spec(&["bars", "network"], &args.out)?;
    let spec = spec.as_ref();
    let an = args.analyze.build(ClassSet::countable())?;
    let (filter, by) = args.sub.build()?;
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
    if args.all {
        return run_all(&args, backend, &an, &filter, format, spec);
    }
    let Some((node, inputs)) = args.targets.split_last() else {
        return Err(usage("give a corpus and a node query"));
    };
    if inputs.is_empty() {
        return Err(usage(
            "give a corpus and a node query (or --all to rank every pair)",
        ));
    }
    let node = node.clone();
    let query = korpus::query::Query::parse(&node, &an, args.case_sensitive)
        .map_err(|e| usage(e.render(&node)))?;
    let within = match args.within.as_str() {
        "document" => Within::Document,
        "sentence" => Within::Sentence,
        other => {
            return Err(usage(format!(
                "unknown --within '{other}' (known: document, sentence)"
            )));
        }
    };
    let convention = match args.convention.as_str() {
        "window" => Convention::Window,
        "node" => Convention::Node,
        "nltk" => {
            let corpus =
                args.read.open(inputs, args.out.provenance.is_some())?;
            let sub =
                Subcorpus { corpus: &corpus, analyzer: &an, filter: &filter };
            return run_nltk_node(&args, backend, &sub, &query, format, spec);
        }
        other => {
            return Err(usage(format!(
                "unknown --convention '{other}' (known: window, node, nltk)"
            )));
        }
    };
    let names: Vec<&str> = ASSOCIATION.iter().map(|m| m.name).collect();
    let shown: Vec<&Measure> = if args.measure == "all" {
        ASSOCIATION.iter().collect()
    } else {
        args.measure
            .split(',')
            .map(|m| {
                association(m.trim()).ok_or_else(|| {
                    usage(format!(
                        "unknown measure '{}' (known: {}, all)",
                        m.trim(),
                        names.join(", ")
                    ))
                })
            })
            .collect::<anyhow::Result<_>>()?
    };
    let sort_by = match args.sort.as_str() {
        "freq" => None,
        name => Some(association(name).ok_or_else(|| {
            usage(format!(
                "unknown --sort '{name}' (known: freq, {})",
                names.join(", ")
            ))
        })?),
    };
    let opts = CollocOptions {
        left: args.left,
        right: args.right,
        within,
        convention,
        overlap: Overlap::Once,
    };
    let corpus = args.read.open(inputs, args.out.provenance.is_some())?;
    if args.vs.is_some() {
        corpus.keep_stdin(); // read again for the second node
    }
    let sub = Subcorpus { corpus: &corpus, analyzer: &an, filter: &filter };
    let (groups, report) = if by.is_grouped() {
        backend.collocates_by(&sub, &by, &query, &opts, &mut output::warn)?
    } else {
        let c = collocates_of(
            &args,
            backend,
            &sub,
            &query,
            &opts,
            &mut output::warn,
        )?;
        let report = c.report.clone();
        (vec![(String::new(), c)], report)
    };
    output::note_ignored(&report);
    if let Some(vs) = &args.vs {
        // (--vs is not with --by: one group, the whole corpus.)
        let c = &groups[0].1;
        let other = korpus::query::Query::parse(vs, &an, args.case_sensitive)
            .map_err(|e| usage(e.render(vs)))?;
        let d =
            collocates_of(&args, backend, &sub, &other, &opts, &mut |_| {})?;
        let Some(measure) = sort_by else {
            return Err(usage(
                "--vs compares a measure: give --sort a measure, not freq",
            ));
        };
        write_difference(
            &args, backend, &an, c, &d, measure, convention, format, spec,
        )?;
        return Ok(Outcome { skipped: c.report.skipped_records });
    }

    struct Row<'a> {
        group: &'a str,
        item: &'a str,
        freq: u64,
        coll_freq: u64,
        key: Option<f64>,
        scores: Vec<Option<f64>>,
        positions: &'a [u64],
    }
    let mut rows: Vec<Row> = Vec::new();
    for (group, c) in &groups {
        let mut g_rows: Vec<Row> = c
            .items
            .iter()
            .filter_map(|col| {
                let t = c.table(col, convention);
                let lines = c.table(col, Convention::Node);
                let freq = t.o11 as u64;
                if freq < args.min_freq
                    || col.coll_freq < args.min_coll_freq
                    || an.is_stopword(&col.item)
                {
                    return None;
                }
                Some(Row {
                    group,
                    item: &col.item,
                    freq,
                    coll_freq: col.coll_freq,
                    key: sort_by.and_then(|m| m.of(&t, &lines, args.yates)),
                    scores: shown
                        .iter()
                        .map(|m| m.of(&t, &lines, args.yates))
                        .collect(),
                    positions: &col.positions,
                })
            })
            .collect();
        // Descending by the key (undefined last), then freq, then item.
        g_rows.sort_by(|a, b| {
            korpus::measures::cmp_desc(a.key, b.key)
                .then(b.freq.cmp(&a.freq))
                .then_with(|| a.item.as_bytes().cmp(b.item.as_bytes()))
        });
        g_rows.truncate(args.top.unwrap_or(usize::MAX));
        rows.extend(g_rows);
    }

    let grouped = by.is_grouped();
    let mut columns = if grouped { vec!["group"] } else { Vec::new() };
    columns.extend(["rank", "collocate", "freq", "coll_freq"]);
    columns.extend(shown.iter().map(|m| m.name));
    let position_names: Vec<String> = (1..=args.left)
        .rev()
        .map(|k| format!("L{k}"))
        .chain((1..=args.right).map(|k| format!("R{k}")))
        .collect();
    if args.positions {
        columns.extend(position_names.iter().map(String::as_str));
    }
    let mut printed: Vec<Vec<Cell>> = Vec::with_capacity(rows.len());
    let mut rank = 0u64;
    let mut last_group = None;
    for r in &rows {
        if last_group != Some(r.group) {
            rank = 0;
            last_group = Some(r.group);
        }
        rank += 1;
        let mut cells = Vec::with_capacity(columns.len());
        if grouped {
            cells.push(Cell::Str(r.group.to_string()));
        }
        cells.extend([
            Cell::Int(rank),
            Cell::Str(r.item.to_string()),
            Cell::Int(r.freq),
            Cell::Int(r.coll_freq),
        ]);
        cells.extend(
            r.scores
                .iter()
                .zip(&shown)
                .map(|(s, m)| Cell::opt(*s, m.decimals)),
        );
        if args.positions {
            cells.extend(r.positions.iter().map(|&n| Cell::Int(n)));
        }
        printed.push(cells);
    }
    let what = format!(
        "Collocates of '{node}' (window L{{L}}–R{{R}}, {} convention)",
        args.convention
    );
    emit(&args, backend, spec, format, &columns, &printed, |spec| {
        let value = spec
            .value
            .as_deref()
            .unwrap_or(default_value(&args, &columns))
            .to_string();
        if spec.kind == "network" && !grouped {
            let vi = chart::column(&columns, &value)?;
            let edges = printed
                .iter()
                .take(chart::bar_limit(args.top))
                .filter_map(|r| {
                    let v = match &r[vi] {
                        Cell::Int(n) => *n as f64,
                        Cell::Float(v, _) if v.is_finite() => *v,
                        _ => return None,
                    };
                    let Cell::Str(item) = &r[1] else { return None };
                    Some(NetworkEdge {
                        node: 0,
                        collocate: item.clone(),
                        value: v,
                    })
                })
                .collect();
            return Ok(Chart::Network(Network {
                title: title(&args, inputs, &what),
                nodes: vec![node.clone()],
                measure: value,
                edges,
            }));
        }
        bars(
            &args,
            spec,
            title(&args, inputs, &what),
            &columns,
            &printed,
            &["collocate"],
            &value,
            grouped,
        )
    })?;
    let (hits, slots, tokens) =
        groups.iter().fold((0, 0, 0), |(h, s, t), (_, c)| {
            (h + c.hits, s + c.slots, t + c.tokens)
        });
    eprintln!(
        "korpus: {hits} hits of the node, {slots} window slots, {tokens} tokens{}; {} convention, windows within {}",
        if grouped { " in the groups where the node occurs" } else { "" },
        args.convention,
        args.within
    );
    if hits == 0 {
        eprintln!(
            "korpus: note: the node '{node}' never occurs: no collocates (exit 0, as kwic and dispersion with no hits)"
        );
    } else if rows.is_empty() {
        eprintln!(
            "korpus: note: no collocate passes the thresholds (--min-freq, --min-coll-freq, --stopwords)"
        );
    }
    if let Some(path) = &args.out.provenance
        && backend.writes()
    {
        let settings = settings(
            "colloc",
            &args.read,
            &args.analyze,
            &an,
            &args.sub,
            serde_json::json!({
                "node": node, "left": args.left, "right": args.right, "within": args.within,
                "convention": args.convention, "measures": args.measure, "sort": args.sort,
                "yates": args.yates, "min_freq": args.min_freq, "min_coll_freq": args.min_coll_freq,
            }),
        );
        let counts = serde_json::json!({"hits": hits, "slots": slots, "tokens": tokens, "groups": groups.len()});
        output::write_provenance(path, &report, settings, counts)?;
    }
    Ok(Outcome { skipped: report.skipped_records })
}

/// Writes the sketch difference of two nodes' collocates.
#[allow(clippy::too_many_arguments)]
fn write_difference(
    args: &Args,
    backend: &Backend,
    an: &korpus::analyze::Analyzer,
    a: &colloc::Collocates,
    b: &colloc::Collocates,
    measure: &Measure,
    convention: Convention,
    format: korpus::report::Format,
    spec: Option<&Spec>,
) -> anyhow::Result<()> {
    use korpus::hash::{Map, new_map};
    let empty = |item: &str| colloc::Collocate {
        item: item.to_string(),
        window_freq: 0,
        line_freq: 0,
        coll_freq: 0,
        positions: Vec::new(),
    };
    let mut union: Map<
        &str,
        (Option<&colloc::Collocate>, Option<&colloc::Collocate>),
    > = new_map();
    for c in &a.items {
        union.entry(&c.item).or_default().0 = Some(c);
    }
    for c in &b.items {
        union.entry(&c.item).or_default().1 = Some(c);
    }
    struct Row {
        item: String,
        fa: u64,
        fb: u64,
        sa: Option<f64>,
        sb: Option<f64>,
        diff: f64,
    }
    let mut rows: Vec<Row> = Vec::new();
    for (item, (ca, cb)) in union {
        if an.is_stopword(item) {
            continue;
        }
        let score = |side: &colloc::Collocates,
                     c: Option<&colloc::Collocate>| {
            // A collocate absent from one side still has a corpus
            // frequency there: take it from the other side.
            let fallback;
            let col = match c {
                Some(c) => c,
                None => {
                    let other = ca.or(cb).expect("in one side at least");
                    fallback = colloc::Collocate {
                        coll_freq: other.coll_freq,
                        ..empty(item)
                    };
                    &fallback
                }
            };
            let t = side.table(col, convention);
            (t.o11 as u64, side.score(col, convention, measure, args.yates))
        };
        let (fa, sa) = score(a, ca);
        let (fb, sb) = score(b, cb);
        if fa.max(fb) < args.min_freq {
            continue;
        }
        let diff = sa.unwrap_or(0.0) - sb.unwrap_or(0.0);
        rows.push(Row { item: item.to_string(), fa, fb, sa, sb, diff });
    }
    rows.sort_by(|x, y| {
        y.diff
            .total_cmp(&x.diff)
            .then_with(|| x.item.as_bytes().cmp(y.item.as_bytes()))
    });
    let name_a = format!("{}_a", measure.name);
    let name_b = format!("{}_b", measure.name);
    let columns = [
        "rank",
        "collocate",
        "freq_a",
        "freq_b",
        name_a.as_str(),
        name_b.as_str(),
        "diff",
    ];
    let keep = args.top.unwrap_or(usize::MAX);
    // With --top N: the N most typical of each node.
    let n = rows.len();
    let mut printed = Vec::new();
    for (rank, r) in rows.iter().enumerate() {
        if n > keep.saturating_mul(2) && rank >= keep && rank < n - keep {
            continue;
        }
        printed.push(vec![
            Cell::Int(rank as u64 + 1),
            Cell::Str(r.item.clone()),
            Cell::Int(r.fa),
            Cell::Int(r.fb),
            Cell::opt(r.sa, measure.decimals),
            Cell::opt(r.sb, measure.decimals),
            Cell::Float(r.diff, measure.decimals),
        ]);
    }
    let node_a = args.targets.last().cloned().unwrap_or_default();
    let node_b = args.vs.clone().unwrap_or_default();
    let inputs = &args.targets[..args.targets.len().saturating_sub(1)];
    emit(args, backend, spec, format, &columns, &printed, |spec| {
        if spec.kind == "network" {
            // Each node's own strongest collocates by the measure.
            let per_node = args.top.unwrap_or(15).min(50);
            let mut edges = Vec::new();
            for node in 0..2 {
                let mut own: Vec<&Row> = rows
                    .iter()
                    .filter(|r| if node == 0 { r.fa > 0 } else { r.fb > 0 })
                    .filter(|r| {
                        if node == 0 { r.sa.is_some() } else { r.sb.is_some() }
                    })
                    .collect();
                let score = |r: &Row| if node == 0 { r.sa } else { r.sb };
                own.sort_by(|x, y| {
                    korpus::measures::cmp_desc(score(x), score(y))
                        .then_with(|| x.item.as_bytes().cmp(y.item.as_bytes()))
                });
                edges.extend(own.into_iter().take(per_node).map(|r| {
                    NetworkEdge {
                        node,
                        collocate: r.item.clone(),
                        value: score(r).unwrap_or(0.0),
                    }
                }));
            }
            return Ok(Chart::Network(Network {
                title: title(
                    args,
                    inputs,
                    &format!(
                        "Collocates of '{node_a}' and '{node_b}' (window L{{L}}–R{{R}})"
                    ),
                ),
                nodes: vec![node_a.clone(), node_b.clone()],
                measure: measure.name.to_string(),
                edges,
            }));
        }
        let value = spec.value.as_deref().unwrap_or("diff");
        let how = chart::BarsFrom {
            title: title(
                args,
                inputs,
                &format!(
                    "'{node_a}' vs '{node_b}': difference in {}",
                    measure.name
                ),
            ),
            label: &["collocate"],
            value,
            group: None,
            limit: usize::MAX,
            signed_by: None,
        };
        let mut b = chart::bars_from_rows(&columns, &printed, &how)?;
        if value == "diff" {
            b.axis = format!(
                "difference in {} ({node_a} − {node_b})",
                measure.name
            );
            b.diverging = Some((
                format!("typical of {node_a}"),
                format!("typical of {node_b}"),
            ));
        }
        Ok(Chart::Bars(b))
    })?;
    eprintln!(
        "korpus: node a '{}': {} hits; node b '{}': {} hits; ranked by the difference in {}",
        args.targets.last().map_or("", String::as_str),
        a.hits,
        args.vs.as_deref().unwrap_or(""),
        b.hits,
        measure.name
    );
    Ok(())
}

/// `--all`: every ordered pair within NLTK's window, scored as NLTK does.
fn run_all(
    args: &Args,
    backend: &Backend,
    an: &korpus::analyze::Analyzer,
    filter: &korpus::meta::DocFilter,
    format: korpus::report::Format,
    spec: Option<&Spec>,
) -> anyhow::Result<Outcome> {
    use korpus::nltk;
    let sort = if args.sort == "ll" {
        "likelihood_ratio"
    } else {
        args.sort.as_str()
    };
    let known = nltk::MEASURES.join(", ");
    if !nltk::MEASURES.contains(&sort) {
        return Err(usage(format!(
            "with --all, --sort is an NLTK measure: {known}"
        )));
    }
    let shown: Vec<&str> = if args.measure == "all" {
        nltk::MEASURES.to_vec()
    } else if args.measure == "mi,t,logdice,ll" {
        vec![sort]
    } else {
        let list: Vec<&str> = args.measure.split(',').map(str::trim).collect();
        if let Some(bad) = list.iter().find(|m| !nltk::MEASURES.contains(m)) {
            return Err(usage(format!(
                "unknown NLTK measure '{bad}' (known: {known}, all)"
            )));
        }
        list
    };
    let corpus =
        args.read.open(&args.targets, args.out.provenance.is_some())?;
    if let Some(dir) = &args.parts {
        let sub = Subcorpus { corpus: &corpus, analyzer: an, filter };
        let (rows, parts) = super::parts::write(
            backend,
            &sub,
            (args.window, args.min_freq, args.max_pairs),
            dir,
            std::sync::Arc::new(PartWriter {
                sort: sort.to_string(),
                shown: shown.iter().map(|m| m.to_string()).collect(),
                format,
                an: an.clone(),
                csv_safe: args.out.csv_safe,
            }),
        )?;
        eprintln!(
            "korpus: {rows} pairs in {parts} parts in {}, and {}",
            dir.display(),
            dir.join("_SUCCESS").display()
        );
        return Ok(Outcome::default());
    }
    let sub = Subcorpus { corpus: &corpus, analyzer: an, filter };
    let p = backend.pairs(
        &sub,
        args.window,
        args.min_freq,
        args.max_pairs,
        &mut output::warn,
    )?;
    output::note_ignored(&p.report);
    let (columns, printed) =
        pair_rows(&p, an, sort, &shown, args.top.unwrap_or(usize::MAX));
    let columns: Vec<&str> = columns.iter().map(String::as_str).collect();
    let what =
        format!("Word pairs (NLTK window_size {}) by {sort}", args.window);
    emit(args, backend, spec, format, &columns, &printed, |spec| {
        bars(
            args,
            spec,
            title(args, &args.targets, &what),
            &columns,
            &printed,
            &["w1", "w2"],
            sort,
            false,
        )
    })?;
    eprintln!(
        "korpus: {} pairs with a count of at least --min-freq, within a window of {}, {} tokens",
        p.pairs.len(),
        args.window,
        p.tokens
    );
    if let Some(path) = &args.out.provenance
        && backend.writes()
    {
        let settings = settings(
            "colloc --all",
            &args.read,
            &args.analyze,
            an,
            &args.sub,
            serde_json::json!({"convention": "nltk", "window": args.window, "sort": sort, "min_freq": args.min_freq}),
        );
        output::write_provenance(
            path,
            &p.report,
            settings,
            serde_json::json!({"tokens": p.tokens}),
        )?;
    }
    Ok(Outcome { skipped: p.report.skipped_records })
}

/// `--convention nltk` for a node: the NLTK pairs that hold the node,
/// `(node, w)` for w up to W − 1 tokens right of it and `(w, node)` for
/// w up to W − 1 tokens left, each scored as NLTK scores the pair
/// (reference/statistics.md §8.4). `(node, node)` is listed once.
fn run_nltk_node(
    args: &Args,
    backend: &Backend,
    sub: &Subcorpus,
    query: &korpus::query::Query,
    format: korpus::report::Format,
    spec: Option<&Spec>,
) -> anyhow::Result<Outcome> {
    let an = sub.analyzer;
    use korpus::nltk::{self, Cells};
    use korpus::query::{Item, TokenTest};
    let node_term = match query.alternatives.as_slice() {
        [seq] => match seq.as_slice() {
            [Item::Token(TokenTest::Exact(t))] if !query.case_sensitive => {
                t.clone()
            }
            _ => String::new(),
        },
        _ => String::new(),
    };
    if node_term.is_empty() {
        return Err(usage(
            "--convention nltk takes one word as NODE (NLTK scores word pairs)",
        ));
    }
    if args.window < 2 {
        return Err(usage("--window (NLTK's window_size) must be at least 2"));
    }
    let sort = if args.sort == "ll" {
        "likelihood_ratio"
    } else {
        args.sort.as_str()
    };
    if !nltk::MEASURES.contains(&sort) {
        return Err(usage(format!(
            "with --convention nltk, --sort is an NLTK measure: {}",
            nltk::MEASURES.join(", ")
        )));
    }
    let span = args.window - 1;
    let opts = CollocOptions {
        left: span,
        right: span,
        within: Within::Document,
        convention: Convention::Window,
        overlap: Overlap::Each,
    };
    let c = backend.collocates(sub, query, &opts, &mut output::warn)?;
    output::note_ignored(&c.report);
    let n = c.tokens as f64;
    let f_node = c.hits as f64;
    // (w1, w2, direction, raw count, cells)
    let mut rows: Vec<(String, String, &str, u64, Cells)> = Vec::new();
    for col in &c.items {
        let left: u64 = col.positions[..span].iter().sum();
        let right: u64 = col.positions[span..].iter().sum();
        let f_w = col.coll_freq as f64;
        if right > 0 {
            let cells = Cells {
                n_ii: right as f64 / span as f64,
                n_ix: f_node,
                n_xi: f_w,
                n_xx: n,
            };
            rows.push((
                node_term.clone(),
                col.item.clone(),
                "R",
                right,
                cells,
            ));
        }
        if left > 0 && col.item != node_term {
            let cells = Cells {
                n_ii: left as f64 / span as f64,
                n_ix: f_w,
                n_xi: f_node,
                n_xx: n,
            };
            rows.push((col.item.clone(), node_term.clone(), "L", left, cells));
        }
    }
    rows.retain(|r| {
        r.3 >= args.min_freq
            && !an.is_stopword(if r.2 == "R" { &r.1 } else { &r.0 })
    });
    let score =
        |r: &(String, String, &str, u64, Cells)| nltk::score(sort, &r.4);
    rows.sort_by(|a, b| {
        let key = korpus::measures::cmp_desc(score(a), score(b));
        key.then_with(|| {
            (a.0.as_bytes(), a.1.as_bytes())
                .cmp(&(b.0.as_bytes(), b.1.as_bytes()))
        })
    });
    rows.truncate(args.top.unwrap_or(usize::MAX));
    let shown: Vec<&str> = if args.measure == "all" {
        nltk::MEASURES.to_vec()
    } else {
        vec![sort]
    };
    let mut columns =
        vec!["rank", "w1", "w2", "side", "freq", "n_ii", "f_w1", "f_w2"];
    columns.extend(shown.iter().copied());
    let mut printed = Vec::with_capacity(rows.len());
    for (rank, r) in rows.iter().enumerate() {
        let mut cells = vec![
            Cell::Int(rank as u64 + 1),
            Cell::Str(r.0.clone()),
            Cell::Str(r.1.clone()),
            Cell::Str(r.2.to_string()),
            Cell::Int(r.3),
            Cell::Float(r.4.n_ii, 4),
            Cell::Int(r.4.n_ix as u64),
            Cell::Int(r.4.n_xi as u64),
        ];
        cells.extend(shown.iter().map(|m| Cell::opt(nltk::score(m, &r.4), 6)));
        printed.push(cells);
    }
    let what = format!(
        "NLTK pairs with '{node_term}' (window_size {}) by {sort}",
        args.window
    );
    let inputs = &args.targets[..args.targets.len() - 1];
    emit(args, backend, spec, format, &columns, &printed, |spec| {
        bars(
            args,
            spec,
            title(args, inputs, &what),
            &columns,
            &printed,
            &["w1", "w2"],
            sort,
            false,
        )
    })?;
    eprintln!(
        "korpus: {} hits of '{node_term}', NLTK window_size {}, {} tokens",
        c.hits, args.window, c.tokens
    );
    Ok(Outcome { skipped: c.report.skipped_records })
}
