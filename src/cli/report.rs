//! `korpus report`: one self-contained HTML page of a corpus, with every
//! table as TSV and every chart as SVG beside it.
//!
//! The report runs the other commands (with the same options a user
//! would give them) into a temporary directory and assembles their
//! tables and charts, so the page shows exactly the rows the commands
//! print. The directory is renamed into place when the page is
//! complete: a failed run leaves no half-written report. A manifest of
//! the files written (with their SHA-256) lets a later run replace the
//! report, and refuse a directory holding anything else.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use korpus::report::Table;
use korpus::report::html::Page;

use super::Outcome;
use super::args::usage;

/// A one-page report: corpus overview (by group with --by), word list
/// with the rank-frequency chart, variant alternation for each --set
/// with its chart, test and example lines, concordances of each
/// --query, their collocates with network charts, keywords against
/// --ref (or each --by group against the rest), and the provenance
/// (korpus version, command line, settings, input checksums).
///
/// Writes DIR/index.html (self-contained: inline style, script and
/// SVG; readable offline) and beside it every table as TSV and every
/// chart as SVG, and korpus-manifest.json listing them with their
/// SHA-256. The corpus is read once per table. An existing DIR is
/// replaced (in one step) only if it is empty or an earlier report
/// whose every file its manifest lists unchanged; anything else in DIR
/// is refused.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files or directories (read once per table, so not `-`).
    #[arg(required = true, value_name = "CORPUS")]
    inputs: Vec<String>,

    /// The report directory.
    #[arg(short = 'o', long = "output", required = true, value_name = "DIR")]
    output: PathBuf,

    /// Groups for the overview, the variants and the keywords (as
    /// --by in the other commands: a field, file, path~REGEX, ...).
    #[arg(long, value_name = "GROUP")]
    by: Option<String>,

    /// Keep only documents matching these conditions (repeat for AND).
    #[arg(long = "where", value_name = "COND")]
    conditions: Vec<String>,

    /// A variable and its variants (repeat for more) [default:
    /// Tiongkok|China|Cina and 'Korea Utara|Korut|DPRK'].
    #[arg(long = "set", value_name = "A|B|...")]
    sets: Vec<String>,

    /// A query for concordances and collocates (repeat for more)
    /// [default: Tiongkok and China].
    #[arg(long = "query", value_name = "QUERY")]
    queries: Vec<String>,

    /// A reference corpus for the keywords (paths; repeat).
    #[arg(long = "ref", value_name = "PATH")]
    reference: Vec<String>,

    /// Stopwords left out of the word list, collocates and keywords:
    /// id, en, a file, or none.
    #[arg(long, default_value = "id", value_name = "LIST")]
    stopwords: String,

    /// Rows in the word list.
    #[arg(long, default_value_t = 40, value_name = "N")]
    top: usize,

    /// Input format for every file (as in the other commands).
    #[arg(long, value_name = "FORMAT")]
    input_format: Option<String>,

    /// The JSON field or CSV column that holds the text.
    #[arg(long, value_name = "NAME")]
    text_field: Option<String>,

    /// Treat invalid UTF-8, binary files and malformed records as errors
    /// (as in the other commands; every step).
    #[arg(long)]
    strict: bool,

    /// No progress bar in the steps.
    #[arg(long, short = 'q')]
    quiet: bool,

    /// In directory walks, follow symbolic links that lead out of the
    /// directory (as in the other commands; every step).
    #[arg(long)]
    follow_links: bool,

    /// The largest document held whole, in MiB (1 to 4096; as in the
    /// other commands, every step) [default: 8].
    #[arg(
        long,
        value_name = "MIB",
        value_parser = clap::value_parser!(u32).range(1..=4096)
    )]
    max_doc_size: Option<u32>,
}

/// The meta generator tag of the page.
const GENERATOR: &str = "korpus report";

/// The file in a report directory that lists the files korpus wrote
/// there, with their SHA-256: only a directory whose every entry is
/// listed, unchanged, is ever replaced.
const MANIFEST: &str = "korpus-manifest.json";

/// Runs the command.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    if args.inputs.iter().any(|i| i == "-") {
        return Err(usage(
            "korpus report reads the corpus once per table: give files or directories, not -",
        ));
    }
    check_options(&args)?;
    let target = args.output.clone();
    check_target(&target)?;
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let tmp = tempfile::Builder::new()
        .prefix(".korpus-report-")
        .tempdir_in(&parent)
        .with_context(|| {
            format!("creating a temporary directory in {}", parent.display())
        })?;
    super::output::remove_on_signal(tmp.path());
    let mut r = Report::new(&args, tmp.path());
    r.build()?;
    let skipped = r.skipped;
    let html = r.page.finish(GENERATOR);
    let written =
        |e| format!("writing the report in {}: {e}", tmp.path().display());
    std::fs::write(tmp.path().join("index.html"), html)
        .map_err(|e| anyhow::anyhow!(written(e)))?;
    write_manifest(tmp.path()).map_err(|e| anyhow::anyhow!(written(e)))?;
    install(tmp, &target, &parent)?;
    eprintln!(
        "korpus: report written to {} (open it in a browser)",
        target.join("index.html").display()
    );
    Ok(Outcome { skipped })
}

/// Checks the queries, variant sets and reference paths before anything
/// runs: a report is not written around an invalid option (exit 2).
fn check_options(args: &Args) -> anyhow::Result<()> {
    let an = korpus::analyze::Analyzer::default();
    let flagged = args.queries.iter().map(|q| ("--query", q));
    for (flag, q) in flagged.chain(args.sets.iter().map(|s| ("--set", s))) {
        korpus::query::Query::parse(q, &an, false)
            .map_err(|e| usage(format!("{flag}: {}", e.render(q))))?;
    }
    for r in &args.reference {
        if std::fs::metadata(r).is_err() {
            return Err(usage(format!(
                "--ref {r}: no such file or directory"
            )));
        }
    }
    Ok(())
}

/// Every file in `dir` with its SHA-256, as the manifest stores them.
fn checksums(dir: &Path) -> std::io::Result<BTreeMap<String, String>> {
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == MANIFEST || !entry.file_type()?.is_file() {
            continue;
        }
        files.insert(name, sha256(&entry.path())?);
    }
    Ok(files)
}

fn sha256(path: &Path) -> std::io::Result<String> {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    std::io::copy(&mut std::fs::File::open(path)?, &mut h)?;
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

fn write_manifest(dir: &Path) -> std::io::Result<()> {
    let record = serde_json::json!({
        "generator": GENERATOR,
        "korpus_version": env!("CARGO_PKG_VERSION"),
        "files": checksums(dir)?,
    });
    let text = serde_json::to_string_pretty(&record)?;
    std::fs::write(dir.join(MANIFEST), format!("{text}\n"))
}

/// What the output directory holds.
enum Target {
    /// Nothing there, or an empty directory.
    Free,
    /// An earlier report, unchanged.
    Report,
}

/// Accepts a new or empty directory, or an earlier report whose every
/// file korpus wrote and nobody changed since (its manifest says so);
/// anything else is refused (exit 2), naming what is in the way.
fn check_target(target: &Path) -> anyhow::Result<Target> {
    let refuse = |why: String| {
        Err(usage(format!(
            "{} {why}: korpus report only replaces a report it wrote; give a new directory",
            target.display()
        )))
    };
    let meta = match std::fs::symlink_metadata(target) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Target::Free);
        }
        Err(e) => return refuse(format!("cannot be read ({e})")),
        Ok(m) => m,
    };
    if !meta.is_dir() {
        return refuse("exists and is not a directory".to_string());
    }
    let mut names = Vec::new();
    for entry in target
        .read_dir()
        .with_context(|| format!("reading {}", target.display()))?
    {
        let entry =
            entry.with_context(|| format!("reading {}", target.display()))?;
        names.push((entry.file_name().to_string_lossy().into_owned(), entry));
    }
    if names.is_empty() {
        return Ok(Target::Free);
    }
    let manifest = std::fs::read_to_string(target.join(MANIFEST)).ok();
    let listed: Option<BTreeMap<String, String>> = manifest
        .as_deref()
        .and_then(|m| serde_json::from_str::<serde_json::Value>(m).ok())
        .filter(|v| v["generator"] == GENERATOR)
        .and_then(|v| serde_json::from_value(v["files"].clone()).ok());
    let Some(listed) = listed else {
        return refuse(format!(
            "exists and is not a korpus report (it has no valid {MANIFEST})"
        ));
    };
    names.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, entry) in &names {
        if name == MANIFEST {
            continue;
        }
        let Some(sum) = listed.get(name) else {
            return refuse(format!(
                "holds {name}, which korpus report did not write"
            ));
        };
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if !is_file || sha256(&entry.path()).ok().as_ref() != Some(sum) {
            return refuse(format!(
                "holds {name}, changed since korpus report wrote it"
            ));
        }
    }
    Ok(Target::Report)
}

/// Puts the complete report in `tmp` in place of `target`: renamed onto
/// a new or empty directory, or swapped with an earlier report in one
/// step (Linux: renameat2 RENAME_EXCHANGE; elsewhere the old report is
/// moved aside first and put back if the new one cannot take its
/// place). The target is checked again just before, so that a file
/// added meanwhile, or another run that got there first, is not lost.
fn install(
    tmp: tempfile::TempDir,
    target: &Path,
    parent: &Path,
) -> anyhow::Result<()> {
    let moving = || format!("moving the report to {}", target.display());
    match check_target(target)? {
        Target::Free => {
            std::fs::rename(tmp.path(), target).map_err(|e| {
                usage(format!(
                    "{}: {e} (another run wrote there meanwhile?)",
                    moving()
                ))
            })?;
            let _ = tmp.keep();
        }
        Target::Report => {
            let old = tempfile::Builder::new()
                .prefix(".korpus-report-old-")
                .tempdir_in(parent)
                .with_context(moving)?;
            super::output::remove_on_signal(old.path());
            swap(tmp.path(), target, old.path()).with_context(moving)?;
            // `tmp` now names the old report, `old` an empty directory:
            // both are removed when dropped.
            drop(old);
            drop(tmp);
        }
    }
    Ok(())
}

/// Exchanges directories `new` and `target`.
#[cfg(target_os = "linux")]
fn swap(new: &Path, target: &Path, _spare: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    match renameat_with(CWD, new, CWD, target, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(()),
        Err(e)
            if e == rustix::io::Errno::INVAL
                || e == rustix::io::Errno::NOSYS =>
        {
            swap_by_renames(new, target, _spare)
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(target_os = "linux"))]
fn swap(new: &Path, target: &Path, spare: &Path) -> std::io::Result<()> {
    swap_by_renames(new, target, spare)
}

/// Moves `target` onto the empty directory `spare`, `new` to `target`,
/// and the old report to `new` (so both names stay as after an
/// exchange); puts the old report back if `new` cannot move.
fn swap_by_renames(
    new: &Path,
    target: &Path,
    spare: &Path,
) -> std::io::Result<()> {
    std::fs::rename(target, spare)?;
    if let Err(e) = std::fs::rename(new, target) {
        std::fs::rename(spare, target)?;
        return Err(e);
    }
    std::fs::rename(spare, new)
}

struct Report<'a> {
    args: &'a Args,
    dir: &'a Path,
    page: Page,
    skipped: u64,
    step: usize,
}

impl<'a> Report<'a> {
    fn new(args: &'a Args, dir: &'a Path) -> Report<'a> {
        let title = format!("korpus report: {}", args.inputs.join(", "));
        Report { args, dir, page: Page::new(&title), skipped: 0, step: 0 }
    }

    /// The corpus and reading options every step shares.
    fn corpus(&self) -> Vec<String> {
        let mut w = self.args.inputs.clone();
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
        let outcome = super::run_line(&words)
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

    fn build(&mut self) -> anyhow::Result<()> {
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
        let s = |x: &str| x.to_string();

        // Overview: this step must work (it checks the corpus).
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

        // Word list and Zipf.
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

        // Variants.
        self.page.section("variants", "Variant alternation");
        let mut base = vec![s("variants")];
        base.extend(self.corpus());
        base.extend(self.by());
        for set in &sets {
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

        // Concordances.
        self.page.section("kwic", "Concordances");
        for (i, q) in queries.iter().enumerate() {
            let name = format!("kwic-{}.tsv", i + 1);
            let mut w = vec![s("kwic")];
            w.extend(self.corpus());
            w.push(q.clone());
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

        // Collocates.
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

        // Keywords.
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

        // Provenance.
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
        Ok(())
    }
}
