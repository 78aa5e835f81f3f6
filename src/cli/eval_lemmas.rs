//! `korpus eval-lemmas`: score the Indonesian lemmas against gold
//! CoNLL-U.

use anyhow::Context;
use korpus::lemma::eval::{read_gold, score};
use korpus::lemma::{Convention, Lemmatizer};
use korpus::report::RowWriter;
use korpus::tables;

use super::Outcome;
use super::args::{Choice, choice};
use super::output::OutputArgs;

/// Lemma accuracy per gold file (upos `all`) and per UPOS: the words
/// outside multiword tokens, PUNCT, SYM and NUM left out, a word right
/// when the lemma of its lowercased form is its lowercased gold lemma.
/// The most frequent errors (form, gold lemma, korpus's lemma, count) go
/// to stderr.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Gold CoNLL-U files.
    #[arg(required = true, value_name = "GOLD")]
    gold: Vec<String>,

    /// The lemma convention: gsd or root (see `--lemma-convention`).
    #[arg(
        long,
        default_value = "gsd",
        value_name = "CONVENTION",
        value_parser = choice::<Convention>()
    )]
    lemma_convention: Choice<Convention>,

    /// Print the N most frequent errors per file on stderr.
    #[arg(long, default_value_t = 10, value_name = "N")]
    errors: usize,

    #[command(flatten)]
    out: OutputArgs,
}

/// Runs the command.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let format = args.out.format()?;
    let lem = Lemmatizer::indonesian(
        args.lemma_convention.get("--lemma-convention")?,
    );
    let mut scores = Vec::new();
    for path in &args.gold {
        let bytes = korpus::corpus::read_decompressed(path.as_ref())
            .with_context(|| "reading the gold file".to_string())?;
        let input = |message: String| korpus::error::Error::Input {
            path: path.clone(),
            message,
        };
        let text = String::from_utf8(bytes).map_err(|e| {
            input(format!(
                "not valid UTF-8 at byte {}",
                e.utf8_error().valid_up_to()
            ))
        })?;
        let words =
            read_gold(&text).map_err(|e| korpus::error::Error::Input {
                path: format!("{path}:{}", e.line),
                message: e.message,
            })?;
        if words.is_empty() {
            return Err(input("no CoNLL-U word to score".into()).into());
        }
        let s = score(&words, lem);
        if args.errors > 0 {
            eprintln!("{path}: most frequent errors (form gold ours count)");
        }
        for (form, gold, got, n) in s.errors.iter().take(args.errors) {
            eprintln!("  {form}  {gold}  {got}  {n}");
        }
        scores.push((path.clone(), s));
    }
    let mut out = args.out.open()?;
    let mut wtr =
        RowWriter::new(out.writer(), format, &tables::LEMMA_EVAL_COLUMNS)?;
    wtr.csv_safe(args.out.csv_safe);
    for (path, s) in &scores {
        for row in tables::lemma_eval_rows(path, s) {
            wtr.row(&row)?;
        }
    }
    wtr.finish()?;
    out.finish()?;
    Ok(Outcome::default())
}
