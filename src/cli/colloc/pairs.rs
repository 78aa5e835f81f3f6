//! `korpus colloc --all` (every word pair, as NLTK's finder) and
//! `--convention nltk` (NLTK's pairs that hold a node); the tables are
//! [`korpus::nltk`]'s.

use korpus::analyze::Analyzer;
use korpus::meta::GroupBy;
use korpus::nltk::{self, Pairs};
use korpus::report::{Format, RowWriter};

use super::super::args::{settings, usage};
use korpus::colloc_table::Table;

use super::super::Outcome;
use super::super::chart::Spec;
use super::super::output::{self, Provenance};
use super::Ctx;

/// The `--sort` measure in NLTK's name, or the usage error naming `with`.
pub(super) fn sort_of(cx: &Ctx, with: &str) -> anyhow::Result<&'static str> {
    nltk::sort_measure(&cx.args.sort).ok_or_else(|| {
        usage(format!(
            "with {with}, --sort is an NLTK measure: {}",
            nltk::MEASURES.join(", ")
        ))
    })
}

/// `--all`: every ordered pair within NLTK's window, scored as NLTK does.
pub(super) fn run_all(cx: &Ctx) -> anyhow::Result<Outcome> {
    let args = cx.args;
    let sort = sort_of(cx, "--all")?;
    let shown = if args.measure == "mi,t,logdice,ll" {
        vec![sort] // the default of the other conventions
    } else {
        nltk::measure_list(&args.measure).map_err(|e| usage(e.0))?
    };
    let corpus =
        args.read.open(&args.targets, args.out.provenance.is_some())?;
    if let Some(dir) = &args.parts {
        let writer = PartWriter {
            sort,
            shown: shown.clone(),
            format: cx.format,
            an: cx.an.clone(),
            csv_safe: args.out.csv_safe,
        };
        let (rows, parts) = super::super::parts::write(
            cx.backend,
            &cx.sub(&corpus),
            (args.window, args.min_freq, args.max_pairs),
            dir,
            std::sync::Arc::new(writer),
        )?;
        eprintln!(
            "korpus: {rows} pairs in {parts} parts in {}, and {}",
            dir.display(),
            dir.join("_SUCCESS").display()
        );
        return Ok(Outcome::default());
    }
    let sub = cx.sub(&corpus);
    let warn = &mut output::warn;
    let mut job = sub.job(&GroupBy::All, cx.backend, warn);
    let (window, min_count) = (args.window, args.min_freq);
    let p = nltk::pairs_on(&mut job, window, min_count, args.max_pairs)?;
    output::note_ignored(&p.report);
    let top = args.top.unwrap_or(usize::MAX);
    let t = nltk::pair_table(&nltk::rank_pairs(&p, &cx.an, sort, top), &shown);
    let what =
        format!("Word pairs (NLTK window_size {}) by {sort}", args.window);
    let line = format!(
        "{} pairs with a count of at least --min-freq, within a window of {}, {} tokens",
        p.pairs.len(),
        args.window,
        p.tokens
    );
    let settings = settings(
        "colloc --all",
        &args.read,
        &args.analyze,
        &cx.an,
        &args.sub,
        serde_json::json!({"convention": "nltk", "window": args.window, "sort": sort, "min_freq": args.min_freq}),
    );
    let counts = serde_json::json!({"tokens": p.tokens});
    let provenance = Provenance { report: &p.report, settings, counts };
    let chart = |spec: &Spec, t: &Table| {
        let title = cx.title(&args.targets, &what);
        cx.bars(spec, title, t, &["w1", "w2"], sort, false)
    };
    cx.emit(t, chart, vec![line], Some(provenance))?;
    Ok(Outcome::of(&p.report))
}

/// Writes one part of a distributed `colloc --all --parts`.
pub struct PartWriter {
    sort: &'static str,
    shown: Vec<&'static str>,
    format: Format,
    an: Analyzer,
    /// `--csv-safe`.
    csv_safe: bool,
}

impl super::super::parts::PartWrite for PartWriter {
    fn extension(&self) -> &'static str {
        match self.format {
            Format::Parquet => "parquet",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Html => "html",
            Format::Table | Format::Tsv => "tsv",
        }
    }

    fn write(&self, p: &Pairs, path: &std::path::Path) -> anyhow::Result<u64> {
        let ranked = nltk::rank_pairs(p, &self.an, self.sort, usize::MAX);
        let t = nltk::pair_table(&ranked, &self.shown);
        let format = match self.format {
            Format::Table => Format::Tsv,
            f => f,
        };
        let mut out = output::Output::open_part(path)?;
        let mut wtr = RowWriter::new(out.writer(), format, &t.column_names())?;
        wtr.csv_safe(self.csv_safe);
        for r in &t.rows {
            wtr.row(r)?;
        }
        wtr.finish()?;
        out.finish()?;
        Ok(t.rows.len() as u64)
    }
}
