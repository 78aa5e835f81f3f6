//! The page of `korpus report`, built from the tables and charts the
//! library returns for the counts of the one pass: each section writes
//! its tables as TSV and its charts as SVG beside the page, and shows
//! the same tables and charts in it.

use std::path::Path;

use korpus::chart::{Chart, Frame, ImageFormat, Zipf};
use korpus::freq::GroupFreq;
use korpus::overview::Overview;
use korpus::pivot::Selection;
use korpus::report::html::Page;
use korpus::report::{Format, Table};
use korpus::tables;

use super::super::chart::{self, BarsFrom};
use super::Args;
use super::count::Setup;

/// A report being built in `dir`.
pub(super) struct Report<'a> {
    pub(super) args: &'a Args,
    pub(super) setup: &'a Setup,
    dir: &'a Path,
    /// The page so far.
    pub(super) page: Page,
}

/// A chart drawn in memory: the SVG and the rows it draws.
pub(super) struct Drawn {
    svg: Vec<u8>,
    data: Table,
}

impl<'a> Report<'a> {
    /// A report of `args` built in `dir`.
    pub(super) fn new(
        args: &'a Args,
        setup: &'a Setup,
        dir: &'a Path,
    ) -> Report<'a> {
        let title = format!("korpus report: {}", args.inputs.join(", "));
        Report { args, setup, dir, page: Page::new(&title) }
    }

    /// Writes `t` as TSV to `name` in the report's directory.
    pub(super) fn write(&self, name: &str, t: &Table) -> anyhow::Result<()> {
        let mut out = Vec::new();
        korpus::report::write_table(&mut out, Format::Tsv, t, false)?;
        self.put(name, &out)
    }

    fn put(&self, name: &str, bytes: &[u8]) -> anyhow::Result<()> {
        let path = self.dir.join(name);
        std::fs::write(&path, bytes).map_err(|e| {
            anyhow::anyhow!(
                "writing the report in {}: {e}",
                self.dir.display()
            )
        })
    }

    /// Draws `chart` as SVG of `width` × `height` (an empty chart is an
    /// error, as in the other commands).
    pub(super) fn draw(
        chart: &Chart,
        (width, height): (u32, u32),
    ) -> anyhow::Result<Drawn> {
        let frame = Frame { width, height, title: None };
        let svg = chart.render(&frame, ImageFormat::Svg)?;
        Ok(Drawn { svg, data: chart.table() })
    }

    /// Writes a drawn chart to `name` and its rows beside it (`.tsv`),
    /// and shows it with `caption` and a link.
    pub(super) fn chart(
        &mut self,
        name: &str,
        drawn: Drawn,
        caption: &str,
    ) -> anyhow::Result<()> {
        let data = Path::new(name).with_extension("tsv");
        self.write(&data.display().to_string(), &drawn.data)?;
        self.put(name, &drawn.svg)?;
        self.page.svg(&String::from_utf8_lossy(&drawn.svg), caption);
        let text = format!("{name} (data: {})", data.display());
        self.page.link(name, &text);
        Ok(())
    }

    /// A section part that cannot be shown: a note on the page and on
    /// stderr.
    pub(super) fn unavailable(&mut self, what: &str, e: &anyhow::Error) {
        eprintln!("korpus report: note: {what}: {e:#}");
        self.page.note(&format!("Not available: {what}: {e:#}"));
    }

    /// Builds the page's sections of counts, section by section, from
    /// the pass's counts (and the `--ref` corpus's, read by `reference`
    /// when there is one); the cleaning and provenance sections follow
    /// (see `run`).
    pub(super) fn build(
        &mut self,
        mut o: Overview,
        reference: impl FnOnce() -> anyhow::Result<GroupFreq>,
    ) -> anyhow::Result<()> {
        self.overview(&o)?;
        self.words(&mut o.freq)?;
        self.variants(&o)?;
        self.concordances(&o)?;
        self.collocates(&o)?;
        self.keywords(o.freq, o.group_freq, reference)
    }

    /// The corpus overview: the statistics by group.
    fn overview(&mut self, o: &Overview) -> anyhow::Result<()> {
        self.page.section("overview", "Corpus overview");
        let grouped = self.setup.by.is_grouped();
        let mut stats = Table::new(tables::stats_columns(grouped));
        for g in &o.stats {
            stats.push(tables::stats_row(grouped.then_some(&g.group), g));
        }
        self.write("stats.tsv", &stats)?;
        self.page.text(
            "Tokens are the counted classes (words, numbers, ...; not punctuation). TTR = types/tokens; \
             MSTTR and MATTR over 100-token segments; Yule's K from the frequency spectrum.",
        );
        self.page.table("stats", &stats, 200);
        self.page.link("stats.tsv", "stats.tsv");
        Ok(())
    }

    /// The word list with its chart, and the rank-frequency (Zipf)
    /// chart of every type (the same counts, DP left out).
    fn words(&mut self, freq: &mut [GroupFreq]) -> anyhow::Result<()> {
        self.page.section("words", "Word list");
        let (top, stop) = (self.args.top, &self.args.stopwords);
        let sel = Selection {
            min_freq: 1,
            top: Some(top),
            stopwords: Some(&self.setup.an),
        };
        let mut t = Table::new(tables::freq_columns(false));
        for (_, rank, r) in sel.ranked(freq) {
            t.push(tables::freq_row(None, rank, r));
        }
        let how = BarsFrom {
            title: format!("Most frequent words — {}", self.label()),
            label: &["item"],
            value: "freq",
            group: None,
            limit: chart::bar_limit(Some(top)),
            signed_by: None,
        };
        let bars = chart::bars_from_rows(&t.column_names(), &t.rows, &how)
            .and_then(|b| Self::draw(&Chart::Bars(b), (900, 600)));
        match bars {
            Err(e) => self.unavailable("word list", &e),
            Ok(drawn) => {
                self.write("freq.tsv", &t)?;
                self.page.text(&format!(
                    "The {top} most frequent items{}. freq: occurrences; per_million: per million tokens; \
                     range: documents; juilland_d, dp (Gries), dp_norm: dispersion over documents.",
                    if stop == "none" { String::new() } else { format!(", stopwords ({stop}) left out") }
                ));
                self.chart(
                    "freq-chart.svg",
                    drawn,
                    "The most frequent items.",
                )?;
                self.page.table("freq", &t, top);
                self.page.link("freq.tsv", "freq.tsv");
            }
        }
        for r in freq.iter_mut().flat_map(|g| g.rows.iter_mut()) {
            (r.dp, r.dp_norm) = (None, None);
        }
        self.zipf(freq)
    }

    /// The whole frequency list and its rank-frequency chart.
    fn zipf(&mut self, freq: &[GroupFreq]) -> anyhow::Result<()> {
        let sel = Selection { min_freq: 1, top: None, stopwords: None };
        let zipf = Chart::Zipf(Zipf {
            title: format!("Rank–frequency of words — {}", self.label()),
            series: tables::zipf_series(sel.ranked(freq), false),
        });
        match Self::draw(&zipf, (900, 560)) {
            Err(e) => self.unavailable("rank-frequency", &e),
            Ok(drawn) => {
                let mut t = Table::new(tables::freq_columns(false));
                for (_, rank, r) in sel.ranked(freq) {
                    t.push(tables::freq_row(None, rank, r));
                }
                self.write("freq-all.tsv", &t)?;
                self.chart(
                    "zipf.svg",
                    drawn,
                    "Rank against frequency, log-log, with the least-squares slope and R² (every type).",
                )?;
                self.page.link(
                    "freq-all.tsv",
                    "freq-all.tsv (the whole frequency list)",
                );
            }
        }
        Ok(())
    }

    /// The corpus as chart titles name it.
    pub(super) fn label(&self) -> String {
        chart::corpus_label(&self.args.inputs)
    }

    /// The provenance record, as written beside the page.
    pub(super) fn provenance(&mut self, prov: &str) {
        self.page.section("provenance", "Provenance");
        self.page.text(&format!(
            "korpus {}; the command line, settings and the inputs with their SHA-256 checksums \
             (provenance.json):",
            env!("CARGO_PKG_VERSION")
        ));
        self.page.pre(prov);
        self.page.link("provenance.json", "provenance.json");
    }
}
