//! The page of `korpus report`: each section runs the commands a user
//! would (into the report's temporary directory) and shows their
//! tables, as [`Table`]s read back from the TSV files, and their charts.

use std::path::Path;

use anyhow::Context;
use korpus::report::Table;
use korpus::report::html::Page;

use super::Args;

/// A report being built in `dir`.
pub(super) struct Report<'a> {
    args: &'a Args,
    dir: &'a Path,
    /// The page so far.
    pub(super) page: Page,
    /// The most records any step skipped.
    pub(super) skipped: u64,
    step: usize,
}

impl<'a> Report<'a> {
    /// A report of `args` built in `dir`.
    pub(super) fn new(args: &'a Args, dir: &'a Path) -> Report<'a> {
        let title = format!("korpus report: {}", args.inputs.join(", "));
        Report { args, dir, page: Page::new(&title), skipped: 0, step: 0 }
    }

    /// The corpus and reading options every step shares.
    fn corpus(&self) -> Vec<String> {
        let mut w = self.args.inputs.clone();
        w.extend(self.reading());
        w
    }

    /// The reading options alone (`--where` and the rest).
    fn reading(&self) -> Vec<String> {
        let mut w = Vec::new();
        for c in &self.args.conditions {
            w.extend(["--where".to_string(), c.clone()]);
        }
        if let Some(f) = &self.args.input_format {
            w.extend(["--input-format".to_string(), f.clone()]);
        }
        if let Some(f) = &self.args.text_field {
            w.extend(["--text-field".to_string(), f.clone()]);
        }
        // Every reading option of ReadArgs, so that each step reads the
        // corpus (and --ref) as the single command would.
        for (on, flag) in [
            (self.args.strict, "--strict"),
            (self.args.quiet, "--quiet"),
            (self.args.follow_links, "--follow-links"),
        ] {
            if on {
                w.push(flag.to_string());
            }
        }
        if let Some(n) = self.args.max_doc_size {
            w.extend(["--max-doc-size".to_string(), n.to_string()]);
        }
        w
    }

    fn stopwords(&self) -> Vec<String> {
        if self.args.stopwords == "none" {
            Vec::new()
        } else {
            vec!["--stopwords".to_string(), self.args.stopwords.clone()]
        }
    }

    fn by(&self) -> Vec<String> {
        self.args
            .by
            .iter()
            .flat_map(|b| ["--by".to_string(), b.clone()])
            .collect()
    }

    fn path(&self, name: &str) -> String {
        self.dir.join(name).display().to_string()
    }

    /// Runs one korpus command line.
    fn run(&mut self, what: &str, words: Vec<String>) -> anyhow::Result<()> {
        self.step += 1;
        eprintln!("korpus report: {}. {what}", self.step);
        let outcome = super::super::run_line(&words)
            .with_context(|| format!("{what} (korpus {})", words.join(" ")))?;
        self.skipped = self.skipped.max(outcome.skipped);
        Ok(())
    }

    /// Runs a step; a failure becomes a note in the page.
    fn attempt(&mut self, what: &str, words: Vec<String>) -> bool {
        match self.run(what, words) {
            Ok(()) => true,
            Err(e) => {
                eprintln!("korpus report: note: {e:#}");
                self.page.note(&format!("Not available: {e:#}"));
                false
            }
        }
    }

    fn table(&self, name: &str) -> Table {
        Table::from_tsv(
            &std::fs::read_to_string(self.dir.join(name)).unwrap_or_default(),
        )
    }

    fn chart(&mut self, name: &str, caption: &str) {
        match std::fs::read_to_string(self.dir.join(name)) {
            Ok(svg) => {
                self.page.svg(&svg, caption);
                let data = Path::new(name).with_extension("tsv");
                self.page
                    .link(name, &format!("{name} (data: {})", data.display()));
            }
            Err(_) => {
                self.page.note(&format!("No chart: {name} was not drawn."))
            }
        }
    }

    /// Builds the page, section by section, running each step.
    pub(super) fn build(&mut self) -> anyhow::Result<()> {
        let sets = if self.args.sets.is_empty() {
            vec![
                "Tiongkok|China|Cina".to_string(),
                "Korea Utara|Korut|DPRK".to_string(),
            ]
        } else {
            self.args.sets.clone()
        };
        let queries = if self.args.queries.is_empty() {
            vec!["Tiongkok".to_string(), "China".to_string()]
        } else {
            self.args.queries.clone()
        };
        self.overview()?;
        self.words();
        self.variants(&sets);
        self.concordances(&queries);
        self.collocates(&queries);
        self.keywords();
        self.provenance();
        Ok(())
    }

    /// The corpus overview (stats by group, and the provenance record): the one step that must work, as it checks the corpus.
    fn overview(&mut self) -> anyhow::Result<()> {
        let s = |x: &str| x.to_string();
        self.page.section("overview", "Corpus overview");
        let mut w = vec![s("stats")];
        w.extend(self.corpus());
        w.extend(self.by());
        w.extend([
            s("-o"),
            self.path("stats.tsv"),
            s("--provenance"),
            self.path("provenance.json"),
        ]);
        self.run("corpus overview", w)?;
        let stats = self.table("stats.tsv");
        self.page.text(
            "Tokens are the counted classes (words, numbers, ...; not punctuation). TTR = types/tokens; \
             MSTTR and MATTR over 100-token segments; Yule's K from the frequency spectrum.",
        );
        self.page.table("stats", &stats, 200);
        self.page.link("stats.tsv", "stats.tsv");
        Ok(())
    }

    /// The word list with its chart, and the rank-frequency (Zipf) chart of every type.
    fn words(&mut self) {
        let s = |x: &str| x.to_string();
        self.page.section("words", "Word list");
        let mut w = vec![s("freq")];
        w.extend(self.corpus());
        w.extend(self.stopwords());
        w.extend([
            s("--top"),
            self.args.top.to_string(),
            s("-o"),
            self.path("freq.tsv"),
            s("--chart"),
            self.path("freq-chart.svg"),
            s("--size"),
            s("900x600"),
        ]);
        if self.attempt("word list", w) {
            self.page.text(&format!(
                "The {} most frequent items{}. freq: occurrences; per_million: per million tokens; \
                 range: documents; juilland_d, dp (Gries), dp_norm: dispersion over documents.",
                self.args.top,
                if self.args.stopwords == "none" { String::new() } else { format!(", stopwords ({}) left out", self.args.stopwords) }
            ));
            self.chart("freq-chart.svg", "The most frequent items.");
            let t = self.table("freq.tsv");
            self.page.table("freq", &t, self.args.top);
            self.page.link("freq.tsv", "freq.tsv");
        }
        let mut w = vec![s("freq")];
        w.extend(self.corpus());
        w.extend([
            s("--no-dp"),
            s("-o"),
            self.path("freq-all.tsv"),
            s("--chart"),
            self.path("zipf.svg"),
            s("--chart-kind"),
            s("zipf"),
            s("--size"),
            s("900x560"),
        ]);
        if self.attempt("rank-frequency", w) {
            self.chart(
                "zipf.svg",
                "Rank against frequency, log-log, with the least-squares slope and R² (every type).",
            );
            self.page.link(
                "freq-all.tsv",
                "freq-all.tsv (the whole frequency list)",
            );
        }
    }

    /// Variant alternation of each set, with its chart, the test of independence and example lines.
    fn variants(&mut self, sets: &[String]) {
        let s = |x: &str| x.to_string();
        self.page.section("variants", "Variant alternation");
        let mut base = vec![s("variants")];
        base.extend(self.corpus());
        base.extend(self.by());
        for set in sets {
            base.extend([s("--set"), set.clone()]);
        }
        let mut w = base.clone();
        let kind = if self.args.by.is_some() { "lines" } else { "stacked" };
        w.extend([
            s("-o"),
            self.path("variants.tsv"),
            s("--chart"),
            self.path("variants-chart.svg"),
            s("--chart-kind"),
            s(kind),
            s("--size"),
            format!("900x{}", 260 + 240 * sets.len()),
        ]);
        if self.attempt("variant alternation", w) {
            self.page.text(
                "For each variable, the count and share of each variant per group, with 95% Wilson intervals.",
            );
            self.chart(
                "variants-chart.svg",
                "Shares of the variants per group.",
            );
            let t = self.table("variants.tsv");
            self.page.table("variants", &t, 500);
            self.page.link("variants.tsv", "variants.tsv");
            let mut w = base.clone();
            w.extend([s("--test"), s("-o"), self.path("variants-test.tsv")]);
            if self.attempt("test of independence", w) {
                self.page.heading("Test of independence across groups");
                let t = self.table("variants-test.tsv");
                self.page.table("variants-test", &t, 50);
            }
            let mut w = base.clone();
            w.extend([
                s("--examples"),
                s("3"),
                s("-o"),
                self.path("variant-examples.tsv"),
            ]);
            if self.attempt("example lines", w) {
                self.page.heading("Example lines (a seeded sample of 3 per variant and group)");
                let t = self.table("variant-examples.tsv");
                self.page.concordance(
                    "variant-examples",
                    &t,
                    &["set", "group", "variant", "doc"],
                );
                self.page.link("variant-examples.tsv", "variant-examples.tsv");
            }
        }
    }

    /// A seeded sample of concordance lines of each query.
    fn concordances(&mut self, queries: &[String]) {
        let s = |x: &str| x.to_string();
        self.page.section("kwic", "Concordances");
        for (i, q) in queries.iter().enumerate() {
            let name = format!("kwic-{}.tsv", i + 1);
            // The query right after the corpus: kwic's last positional
            // (an option between them would take it for a second corpus).
            let mut w = vec![s("kwic")];
            w.extend(self.args.inputs.iter().cloned());
            w.push(q.clone());
            w.extend(self.reading());
            w.extend(self.by());
            w.extend([
                s("--sample"),
                s("25"),
                s("--seed"),
                s("1"),
                s("-o"),
                self.path(&name),
            ]);
            self.page.heading(&format!(
                "{q}: a seeded sample of up to 25 lines, in corpus order"
            ));
            if self.attempt(&format!("concordance of {q}"), w) {
                let t = self.table(&name);
                if t.rows.is_empty() {
                    self.page.note(&format!("No hit for {q}."));
                } else {
                    let extra: &[&str] = if self.args.by.is_some() {
                        &["group", "doc"]
                    } else {
                        &["doc"]
                    };
                    self.page.concordance(
                        &format!("kwic-{}", i + 1),
                        &t,
                        extra,
                    );
                    self.page.link(&name, &name);
                }
            }
        }
    }

    /// The collocates of each query with a network chart, and of the first two side by side.
    fn collocates(&mut self, queries: &[String]) {
        let s = |x: &str| x.to_string();
        self.page.section("collocates", "Collocates");
        self.page.text(
            "Window of 5 tokens left and right within documents, window convention; ranked by log-likelihood (G²).",
        );
        for (i, q) in queries.iter().enumerate() {
            let name = format!("colloc-{}.tsv", i + 1);
            let chart = format!("colloc-{}-network.svg", i + 1);
            let mut w = vec![s("colloc")];
            w.extend(self.corpus());
            w.push(q.clone());
            w.extend(self.stopwords());
            w.extend([
                s("--top"),
                s("20"),
                s("-o"),
                self.path(&name),
                s("--chart"),
                self.path(&chart),
                s("--chart-kind"),
                s("network"),
                s("--size"),
                s("900x600"),
            ]);
            self.page.heading(&format!("Collocates of {q}"));
            if self.attempt(&format!("collocates of {q}"), w) {
                self.chart(
                    &chart,
                    &format!("The 20 strongest collocates of {q} by G²."),
                );
                let t = self.table(&name);
                self.page.table(&format!("colloc-{}", i + 1), &t, 20);
                self.page.link(&name, &name);
            }
        }
        if queries.len() >= 2 {
            let (a, b) = (&queries[0], &queries[1]);
            let mut w = vec![s("colloc")];
            w.extend(self.corpus());
            w.push(a.clone());
            w.extend(self.stopwords());
            w.extend([
                s("--vs"),
                b.clone(),
                s("--top"),
                s("12"),
                s("-o"),
                self.path("colloc-vs.tsv"),
                s("--chart"),
                self.path("colloc-vs-network.svg"),
                s("--chart-kind"),
                s("network"),
                s("--size"),
                s("900x600"),
            ]);
            self.page.heading(&format!(
                "{a} and {b}: shared and distinctive collocates"
            ));
            if self.attempt("collocate comparison", w) {
                self.chart(
                    "colloc-vs-network.svg",
                    "Each node's 12 strongest collocates; shared ones between them (green).",
                );
                let t = self.table("colloc-vs.tsv");
                self.page.table("colloc-vs", &t, 24);
                self.page.link("colloc-vs.tsv", "colloc-vs.tsv");
            }
        }
    }

    /// Keywords against --ref, or of each --by group against the rest.
    fn keywords(&mut self) {
        let s = |x: &str| x.to_string();
        self.page.section("keywords", "Keywords");
        let mut w = vec![s("keyness")];
        w.extend(self.corpus());
        w.extend(self.stopwords());
        if !self.args.reference.is_empty() {
            w.push(s("--ref"));
            w.extend(self.args.reference.iter().cloned());
            w.extend([s("--top"), s("20")]);
        } else if self.args.by.is_some() {
            w.extend(self.by());
            w.extend([s("--top"), s("8")]);
        } else {
            w.clear();
        }
        if w.is_empty() {
            self.page.note("No reference: give --ref PATH, or --by GROUP to compare each group with the rest.");
        } else {
            w.extend([
                s("-o"),
                self.path("keyness.tsv"),
                s("--chart"),
                self.path("keyness-chart.svg"),
                s("--size"),
                s("1000x700"),
            ]);
            if self.attempt("keywords", w) {
                self.page.text(
                    "Positive keywords (more frequent in the target) and negative ones; four-term G², \
                     significance at 0.05 with a Bonferroni correction.",
                );
                self.chart(
                    "keyness-chart.svg",
                    "Keywords by G², positive to the right.",
                );
                let t = self.table("keyness.tsv");
                self.page.table("keyness", &t, 200);
                self.page.link("keyness.tsv", "keyness.tsv");
            }
        }
    }

    /// The provenance record, as written by the overview step.
    fn provenance(&mut self) {
        self.page.section("provenance", "Provenance");
        let prov = std::fs::read_to_string(self.dir.join("provenance.json"))
            .unwrap_or_default();
        self.page.text(&format!(
            "korpus {}; the command line, settings and the inputs with their SHA-256 checksums \
             (provenance.json):",
            env!("CARGO_PKG_VERSION")
        ));
        self.page.pre(&prov);
        self.page.link("provenance.json", "provenance.json");
    }
}
