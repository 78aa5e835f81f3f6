//! Flag groups shared by the subcommands, and their conversion into
//! library options (parse, then build: done once per run).

use std::ffi::OsStr;
use std::fmt;
use std::io::IsTerminal;
use std::marker::PhantomData;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use anyhow::Context;
use clap::builder::{PossibleValue, StringValueParser, TypedValueParser};
use korpus::analyze::{Analyzer, ClassSet, Unit};
use korpus::clean::boilerplate::BoilerplateOptions;
use korpus::clean::dedup::DedupOptions;
use korpus::clean::{CleanOptions, Cleaner, Mode};
use korpus::corpus::{Corpus, HtmlMode, InputFormat, ReadOptions, Transform};
use korpus::lemma::Convention;
use korpus::meta::{DocFilter, GroupBy};
use korpus::names::{Named, UnknownName};
use korpus::normalize::{Case, Form};
use korpus::tokenize::HyphenPolicy;

/// An invalid option value (exit code 2).
#[derive(Debug)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// A usage error as an `anyhow::Error`.
pub fn usage(msg: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(UsageError(msg.into()))
}

/// The value of an option that names one of a closed set (a
/// [`Named`] enum), as typed. `--help` lists the known names; the word
/// is checked when the command builds its options ([`Choice::get`]), not
/// by clap, so a wrong one is reported as every option error is
/// (`korpus: unknown --case 'up' (known: fold, keep)`, exit 2) and in the
/// command's own order of checks.
#[derive(Debug, Clone)]
pub struct Choice<T> {
    /// The word as given (for the provenance record).
    pub word: String,
    value: Result<T, UnknownName>,
}

impl<T: Named> Choice<T> {
    /// The value, or the usage error naming `flag`.
    pub fn get(&self, flag: &str) -> anyhow::Result<T> {
        self.value.clone().map_err(|e| usage(e.for_option(flag)))
    }
}

/// The clap parser of a [`Choice`]: any UTF-8 word is taken; the known
/// names are the possible values shown by `--help`.
#[derive(Clone)]
pub struct ChoiceParser<T>(PhantomData<fn() -> T>);

/// The parser for `value_parser = choice::<T>()`.
pub fn choice<T>() -> ChoiceParser<T> {
    ChoiceParser(PhantomData)
}

impl<T: Named + Send + Sync> TypedValueParser for ChoiceParser<T> {
    type Value = Choice<T>;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<Choice<T>, clap::Error> {
        let word = StringValueParser::new().parse_ref(cmd, arg, value)?;
        let value = T::from_name(&word);
        Ok(Choice { word, value })
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(T::ALL.iter().map(|v| PossibleValue::new(v.name()))))
    }
}

/// Where the corpus comes from and how it is read.
#[derive(Debug, clap::Args)]
pub struct CorpusArgs {
    /// Files, directories (read recursively in sorted order) or `-` for
    /// standard input.
    #[arg(required = true, value_name = "CORPUS")]
    pub inputs: Vec<String>,

    #[command(flatten)]
    pub read: ReadArgs,
}

impl CorpusArgs {
    /// Resolves the inputs.
    pub fn open(&self, checksums: bool) -> anyhow::Result<Corpus> {
        self.read.open(&self.inputs, checksums)
    }
}

/// How corpus files are read.
#[derive(Debug, clap::Args)]
pub struct ReadArgs {
    /// Read every file in this format instead of detecting it from the
    /// extension.
    #[arg(
        long,
        value_name = "FORMAT",
        value_parser = choice::<InputFormat>()
    )]
    pub input_format: Option<Choice<InputFormat>>,

    /// The JSON field or CSV/TSV column holding the text.
    #[arg(long, default_value = "text", value_name = "NAME")]
    pub text_field: String,

    /// Treat invalid UTF-8, binary files and malformed records as errors
    /// instead of warnings.
    #[arg(long)]
    pub strict: bool,

    /// No progress bar (it is drawn on stderr only when stderr is a
    /// terminal: bytes read of the total, rate, time left).
    #[arg(long, short = 'q')]
    pub quiet: bool,

    /// In directory walks, follow symbolic links that lead out of the
    /// directory (links inside it are always followed).
    #[arg(long)]
    pub follow_links: bool,

    /// The largest document held whole, in MiB (1 to 4096): a larger
    /// text file is read as pieces of at most this size, cut at line
    /// ends, sentence ends or white space, each a document. Memory for
    /// reading grows with it (README, "Bad input").
    #[arg(
        long,
        default_value_t = 8,
        value_name = "MIB",
        value_parser = clap::value_parser!(u32).range(1..=4096)
    )]
    pub max_doc_size: u32,

    /// What text an HTML page or a WARC response gives: `article`, its
    /// main text (navigation, comments and other boilerplate left out),
    /// or `raw`, all its visible text (no script or style).
    #[arg(
        long,
        default_value = "article",
        value_name = "TEXT",
        value_parser = choice::<HtmlMode>()
    )]
    pub html: Choice<HtmlMode>,
    #[command(flatten)]
    pub clean: CleanArgs,
}

/// Cleaning while reading: duplicates and boilerplate (README, "Cleaning
/// scraped news"). Off by default in every command but `korpus clean`.
#[derive(Debug, clap::Args)]
pub struct CleanArgs {
    /// Leave out documents that duplicate an earlier one (exact, or near
    /// by MinHash over word shingles); the first in corpus order is kept.
    /// Costs a pre-pass: the corpus is read once more first.
    #[arg(long, help_heading = "Cleaning")]
    pub dedup: bool,

    /// Words per shingle for --dedup [default: the library's,
    /// `korpus::clean::dedup::DedupOptions`].
    #[arg(long, value_name = "N", help_heading = "Cleaning")]
    pub dedup_shingle: Option<usize>,

    /// The estimated Jaccard similarity (0 to 1) from which --dedup
    /// counts a document as a near-duplicate [default: the library's].
    #[arg(long, value_name = "J", help_heading = "Cleaning")]
    pub dedup_threshold: Option<f64>,

    /// Remove boilerplate: lines whose words, first words or label recur
    /// in many documents of the same source (the `source` field), a
    /// recurring opener in a document's second half with the rest of it,
    /// and built-in "read also"/syndication openers. Costs a pre-pass;
    /// memory grows with the number of distinct lines.
    #[arg(long, help_heading = "Cleaning")]
    pub boilerplate: bool,

    /// The fewest documents a boilerplate line occurs in.
    #[arg(
        long,
        default_value_t = 5,
        value_name = "N",
        help_heading = "Cleaning"
    )]
    pub boilerplate_min_docs: u64,

    /// The smallest share (0 to 1) of its source's documents a
    /// boilerplate line occurs in.
    #[arg(
        long,
        default_value_t = 0.02,
        value_name = "SHARE",
        help_heading = "Cleaning"
    )]
    pub boilerplate_min_share: f64,

    /// Words of a recurring line opener.
    #[arg(
        long,
        default_value_t = 5,
        value_name = "N",
        help_heading = "Cleaning"
    )]
    pub boilerplate_opener_words: usize,

    /// Remove only the recurring lines, never the rest of a document
    /// after a recurring opener.
    #[arg(long, help_heading = "Cleaning")]
    pub boilerplate_no_tail: bool,

    /// The share (0 to 1) of a recurring line's documents that have it
    /// in their second half, from which it removes the rest of a
    /// document.
    #[arg(
        long,
        default_value_t = 0.9,
        value_name = "SHARE",
        help_heading = "Cleaning"
    )]
    pub boilerplate_tail_share: f64,

    /// Words of a tail opener: the first words of lines in the second
    /// half of many documents of a source (and rarely in the first),
    /// which remove the rest of a document where they open a line near
    /// its end (0: none).
    #[arg(
        long,
        default_value_t = 3,
        value_name = "N",
        help_heading = "Cleaning"
    )]
    pub boilerplate_tail_words: usize,

    /// How far from a document's end a tail opener may stand to remove
    /// the rest, as a multiple of its mean distance from the end in the
    /// documents it was learned from.
    #[arg(
        long,
        default_value_t = 2.0,
        value_name = "X",
        help_heading = "Cleaning"
    )]
    pub boilerplate_tail_reach: f64,

    /// Leave out the built-in openers ("Baca juga", "Artikel ini telah
    /// tayang di", "Read more", ...): only learned ones.
    #[arg(long, help_heading = "Cleaning")]
    pub boilerplate_no_builtin: bool,

    /// The field naming a document's source (documents without it form
    /// one source).
    #[arg(
        long,
        default_value = "source",
        value_name = "FIELD",
        help_heading = "Cleaning"
    )]
    pub boilerplate_source: String,
}

impl CleanArgs {
    /// The cleaning asked for; with `default_on` (`korpus clean`), both
    /// parts when neither --dedup nor --boilerplate is given. Errors: a
    /// threshold out of range (exit 2).
    pub fn options(&self, default_on: bool) -> anyhow::Result<CleanOptions> {
        let none = !self.dedup && !self.boilerplate;
        let (dedup, boilerplate) = if default_on && none {
            (true, true)
        } else {
            (self.dedup, self.boilerplate)
        };
        let unit = |v: f64| (0.0..=1.0).contains(&v);
        if !self.dedup_threshold.is_none_or(unit) {
            return Err(usage("--dedup-threshold must be between 0 and 1"));
        }
        if !unit(self.boilerplate_min_share)
            || !unit(self.boilerplate_tail_share)
        {
            return Err(usage(
                "--boilerplate-min-share and --boilerplate-tail-share must be \
                 between 0 and 1",
            ));
        }
        if self.boilerplate_tail_reach.is_nan()
            || self.boilerplate_tail_reach < 0.0
        {
            return Err(usage("--boilerplate-tail-reach must be at least 0"));
        }
        if self.dedup_shingle == Some(0) || self.boilerplate_opener_words == 0
        {
            return Err(usage(
                "--dedup-shingle and --boilerplate-opener-words must be at least 1",
            ));
        }
        // Through the library's parser, so that a threshold also picks
        // its LSH bands.
        let dedup = if dedup {
            let mut spec = Vec::new();
            if let Some(n) = self.dedup_shingle {
                spec.push(format!("shingle={n}"));
            }
            if let Some(t) = self.dedup_threshold {
                spec.push(format!("threshold={t}"));
            }
            let opts = spec.join(",").parse::<DedupOptions>();
            Some(opts.map_err(|e| usage(e.to_string()))?)
        } else {
            None
        };
        let boilerplate = boilerplate.then(|| BoilerplateOptions {
            min_docs: self.boilerplate_min_docs,
            min_share: self.boilerplate_min_share,
            opener_words: self.boilerplate_opener_words,
            tail: !self.boilerplate_no_tail,
            tail_share: self.boilerplate_tail_share,
            tail_words: self.boilerplate_tail_words,
            tail_reach: self.boilerplate_tail_reach,
            builtin: !self.boilerplate_no_builtin,
            source_field: self.boilerplate_source.clone(),
            ..BoilerplateOptions::default()
        });
        Ok(CleanOptions { dedup, boilerplate })
    }

    /// The settings, for the provenance record.
    pub fn describe(&self, opts: &CleanOptions) -> serde_json::Value {
        serde_json::json!({
            "dedup": opts.dedup.as_ref().map(|d| serde_json::json!({
                "shingle": d.shingle, "threshold": d.threshold, "seed": d.seed,
            })),
            "boilerplate": opts.boilerplate.as_ref().map(|b| serde_json::json!({
                "min_docs": b.min_docs, "min_share": b.min_share,
                "opener_words": b.opener_words, "label_words": b.label_words,
                "tail": b.tail, "tail_share": b.tail_share,
                "tail_words": b.tail_words, "tail_reach": b.tail_reach,
                "builtin": b.builtin, "source_field": b.source_field,
            })),
        })
    }
}

/// The pre-pass and the summary lines of a cleaning, for a command that
/// reads `corpus`: the plan is made, the cleaner set as its transform,
/// and what will be removed said on stderr.
pub fn start_cleaning(
    corpus: &mut Corpus,
    opts: &CleanOptions,
    mode: Mode,
    explain: Option<String>,
) -> anyhow::Result<Arc<Cleaner>> {
    corpus.keep_stdin();
    let cleaning = korpus::clean::plan(corpus, opts)?;
    if let Some(read) = &corpus.options().progress {
        // The progress display counts the real pass from 0.
        read.store(0, std::sync::atomic::Ordering::Relaxed);
    }
    let templates =
        cleaning.templates.as_ref().map_or(0, |t| t.learned().count());
    let mut parts = Vec::new();
    if opts.dedup.is_some() {
        parts.push(format!(
            "{} duplicate document(s) of {} left out (--dedup)",
            cleaning.duplicates.len(),
            cleaning.documents
        ));
    }
    if opts.boilerplate.is_some() {
        parts.push(format!(
            "{templates} boilerplate template(s) learned, their lines \
             removed (--boilerplate)"
        ));
    }
    eprintln!(
        "korpus: cleaning: a pre-pass read the corpus once more: {}",
        parts.join("; ")
    );
    let cleaner = Arc::new(Cleaner::new(cleaning, mode, explain));
    let transform: Arc<dyn Transform> = cleaner.clone();
    corpus.set_transform(Some(transform));
    Ok(cleaner)
}

impl ReadArgs {
    /// Resolves `inputs`; with --dedup or --boilerplate, makes the
    /// cleaning's pre-pass and sets its cleaner (see [`start_cleaning`]),
    /// registered for the run's cleaning summary
    /// ([`super::cleaning::summary`]).
    pub fn open(
        &self,
        inputs: &[String],
        checksums: bool,
    ) -> anyhow::Result<Corpus> {
        let mut corpus = self.open_plain(inputs, checksums)?;
        let opts = self.clean.options(false)?;
        if opts.dedup.is_some() || opts.boilerplate.is_some() {
            let cleaner =
                start_cleaning(&mut corpus, &opts, Mode::Remove, None)?;
            super::cleaning::register(inputs, cleaner);
        }
        Ok(corpus)
    }

    /// Resolves `inputs`, without cleaning.
    pub fn open_plain(
        &self,
        inputs: &[String],
        checksums: bool,
    ) -> anyhow::Result<Corpus> {
        let format = match &self.input_format {
            None => None,
            Some(choice) => Some(choice.get("--input-format")?),
        };
        let show = !self.quiet && std::io::stderr().is_terminal();
        let counter = show.then(|| Arc::new(AtomicU64::new(0)));
        let opts = ReadOptions {
            format,
            text_field: self.text_field.clone(),
            strict: self.strict,
            checksums,
            progress: counter.clone(),
            follow_links: self.follow_links,
            max_doc_bytes: (self.max_doc_size as usize) << 20,
            html: self.html.get("--html")?,
            ..ReadOptions::default()
        };
        let corpus = Corpus::open(inputs, opts)?;
        if let Some(counter) = counter {
            super::progress::start(counter, corpus.total_bytes());
        }
        Ok(corpus)
    }
}

/// How text becomes counted items.
#[derive(Debug, clap::Args)]
pub struct AnalyzeArgs {
    /// Unicode normalization form.
    #[arg(
        long,
        default_value = "nfc",
        value_name = "FORM",
        value_parser = choice::<Form>()
    )]
    pub normalize: Choice<Form>,

    /// Case: fold (lowercase) or keep.
    #[arg(
        long,
        default_value = "fold",
        value_name = "CASE",
        value_parser = choice::<Case>()
    )]
    pub case: Choice<Case>,

    /// Hyphenated forms: auto (keep reduplication such as negara-negara,
    /// split compounds such as DPRK-Tiongkok), keep, or split.
    #[arg(
        long,
        default_value = "auto",
        value_name = "POLICY",
        value_parser = choice::<HyphenPolicy>()
    )]
    pub hyphens: Choice<HyphenPolicy>,

    /// Split the clitics -nya -lah -kah -pun -ku -mu and kau- off words.
    #[arg(long)]
    pub split_clitics: bool,

    /// Do not decode HTML entities (&amp;, &#8217;).
    #[arg(long)]
    pub no_entities: bool,

    /// Lossy: fold typographic quotes to ASCII.
    #[arg(long)]
    pub fold_quotes: bool,

    /// Lossy: fold Unicode dashes to '-'.
    #[arg(long)]
    pub fold_dashes: bool,

    /// Lossy: strip diacritics (café counts as cafe).
    #[arg(long)]
    pub strip_diacritics: bool,

    /// Variant map, TSV `form<TAB>item`: count several forms as one item.
    #[arg(long, value_name = "FILE")]
    pub map: Option<String>,

    /// Stopwords: id, en, or a file with one word per line.
    #[arg(long, value_name = "LIST")]
    pub stopwords: Option<String>,

    /// Count and match words or lemmas (Indonesian: mendukung, didukung
    /// and dukungan are all `dukung`); the variant map's items are
    /// counted as they are.
    #[arg(
        long,
        default_value = "word",
        value_name = "UNIT",
        value_parser = choice::<Unit>()
    )]
    pub unit: Choice<Unit>,

    /// The lemma convention: gsd (UD GSD: tersebut, sebagai, merupakan
    /// stay whole) or root (UD CSUI and PUD: sebut, bagai, rupa).
    #[arg(
        long,
        default_value = "gsd",
        value_name = "CONVENTION",
        value_parser = choice::<Convention>()
    )]
    pub lemma_convention: Choice<Convention>,

    /// Token classes to count, comma-separated: word, number, punct,
    /// symbol, url, email, hashtag, mention, emoji, or all [default: all
    /// but punct and symbol].
    #[arg(long, value_name = "LIST")]
    pub classes: Option<String>,
}

impl AnalyzeArgs {
    /// Builds the analyzer; `default_classes` when `--classes` is absent.
    pub fn build(
        &self,
        default_classes: ClassSet,
    ) -> anyhow::Result<Analyzer> {
        let mut an = Analyzer::default();
        an.normalize.form = self.normalize.get("--normalize")?;
        an.normalize.case = self.case.get("--case")?;
        an.tokenizer.hyphens = self.hyphens.get("--hyphens")?;
        an.tokenizer.split_clitics = self.split_clitics;
        an.tokenizer.decode_entities = !self.no_entities;
        an.normalize.decode_entities = !self.no_entities;
        an.normalize.fold_quotes = self.fold_quotes;
        an.normalize.fold_dashes = self.fold_dashes;
        an.normalize.strip_diacritics = self.strip_diacritics;
        an.unit = self.unit.get("--unit")?;
        an.lemmas = self.lemma_convention.get("--lemma-convention")?;
        an.classes = match &self.classes {
            Some(list) => ClassSet::parse(list).map_err(usage)?,
            None => default_classes,
        };
        if let Some(path) = &self.map {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading the variant map {path}"))
                .map_err(|e| usage(format!("{e:#}")))?;
            an.load_map(&text).map_err(|line| {
                usage(format!("{path}:{line}: expected form<TAB>item"))
            })?;
        }
        match self.stopwords.as_deref() {
            None => {}
            Some("id") => {
                an.add_stopwords(korpus::stopwords::INDONESIAN.iter().copied())
            }
            Some("en") => {
                an.add_stopwords(korpus::stopwords::ENGLISH.iter().copied())
            }
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    usage(format!("reading the stopword list {path}: {e} (use id, en, or a file)"))
                })?;
                an.add_stopwords(text.lines());
            }
        }
        Ok(an)
    }

    /// The settings, for the provenance record.
    pub fn describe(&self, an: &Analyzer) -> serde_json::Value {
        serde_json::json!({
            "normalize": self.normalize.word,
            "case": self.case.word,
            "hyphens": self.hyphens.word,
            "split_clitics": self.split_clitics,
            "decode_entities": !self.no_entities,
            "fold_quotes": self.fold_quotes,
            "fold_dashes": self.fold_dashes,
            "strip_diacritics": self.strip_diacritics,
            "map": self.map,
            "map_entries": an.map.len(),
            "stopwords": self.stopwords,
            "classes": an.classes.names(),
            "unit": self.unit.word,
            "lemma_convention": self.lemma_convention.word,
        })
    }
}

/// Subcorpora: filters and groups.
#[derive(Debug, clap::Args)]
pub struct SubcorpusArgs {
    /// Keep documents whose metadata match: field=value, field!=value,
    /// field~regex, field>=value (numbers, or ISO dates), ...; repeat for
    /// AND.
    #[arg(long = "where", value_name = "COND")]
    pub conditions: Vec<String>,

    /// Group by a metadata field, FIELD:year or FIELD:month for dates
    /// (FIELD:month:mdy reads an ambiguous a/b/yyyy as month/day),
    /// doc, file, or path~REGEX (first capture group of the path).
    #[arg(long, value_name = "GROUP")]
    pub by: Option<String>,
}

impl SubcorpusArgs {
    /// Parses the filter and the grouping.
    pub fn build(&self) -> anyhow::Result<(DocFilter, GroupBy)> {
        let filter = DocFilter::parse(&self.conditions).map_err(usage)?;
        let by = GroupBy::parse(self.by.as_deref()).map_err(usage)?;
        Ok((filter, by))
    }
}

/// The settings every corpus-reading command records in its provenance
/// file, with the command's own (`extra`, a JSON object) added.
pub fn settings(
    command: &str,
    read: &ReadArgs,
    analyze: &AnalyzeArgs,
    an: &Analyzer,
    sub: &SubcorpusArgs,
    extra: serde_json::Value,
) -> serde_json::Value {
    let mut v = serde_json::json!({
        "command": command,
        "analyzer": analyze.describe(an),
        "input_format": read.input_format.as_ref().map(|c| &c.word),
        "text_field": read.text_field,
        "strict": read.strict,
        "follow_links": read.follow_links,
        "max_doc_size_mib": read.max_doc_size,
        "html": read.html.word,
        "where": sub.conditions,
        "by": sub.by,
        "clean": read.clean.options(false).ok().map(|o| read.clean.describe(&o)),
    });
    if let (Some(obj), serde_json::Value::Object(more)) =
        (v.as_object_mut(), extra)
    {
        obj.extend(more);
    }
    v
}

/// The query of kwic, dispersion and colloc (see `korpus help query`).
#[derive(Debug, clap::Args)]
pub struct QueryArgs {
    /// The query (see `korpus help query`).
    #[arg(required = true, value_name = "QUERY")]
    pub query: String,

    /// Match the surface form (case and all) instead of the normalized one.
    #[arg(long)]
    pub case_sensitive: bool,
}

impl QueryArgs {
    /// Parses the query; an error points at the position (exit code 2).
    pub fn build(
        &self,
        an: &Analyzer,
    ) -> anyhow::Result<korpus::query::Query> {
        korpus::query::Query::parse(&self.query, an, self.case_sensitive)
            .map_err(|e| usage(e.render(&self.query)))
    }
}
