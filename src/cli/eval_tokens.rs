//! `korpus eval-tokens`: score the tokenizer against gold CoNLL-U.

use anyhow::Context;
use korpus::report::RowWriter;
use korpus::tables;
use korpus::tokenize::{HyphenPolicy, TokenizerOptions};

use super::Outcome;
use super::args::{Choice, choice};
use super::output::OutputArgs;

/// Surface-token precision, recall and F1 of the tokenizer per gold file
/// (syntactic words with --split-clitics), with the number of sentences
/// that failed the round-trip check and of hyphenated tokens on which
/// gold and korpus disagree.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Gold CoNLL-U files.
    #[arg(required = true, value_name = "GOLD")]
    gold: Vec<String>,

    /// Split clitics and score against syntactic words.
    #[arg(long)]
    split_clitics: bool,

    /// Hyphen policy: auto, keep or split.
    #[arg(
        long,
        default_value = "auto",
        value_name = "POLICY",
        value_parser = choice::<HyphenPolicy>()
    )]
    hyphens: Choice<HyphenPolicy>,

    /// Print up to N disagreements per file on stderr.
    #[arg(long, default_value_t = 0, value_name = "N")]
    errors: usize,

    #[command(flatten)]
    out: OutputArgs,
}

/// Runs the command.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let format = args.out.format()?;
    let hyphens = args.hyphens.get("--hyphens")?;
    let opts = TokenizerOptions {
        hyphens,
        split_clitics: args.split_clitics,
        ..Default::default()
    };
    let mut scores = Vec::new();
    let mut skipped = 0;
    for path in &args.gold {
        let bytes = korpus::corpus::read_decompressed(path.as_ref())
            .with_context(|| "reading the gold file".to_string())?;
        let text = String::from_utf8(bytes).map_err(|e| {
            korpus::error::Error::Input {
                path: format!("{path}: byte {}", e.utf8_error().valid_up_to()),
                message: "not valid UTF-8".into(),
            }
        })?;
        let s = korpus::eval::score(&text, &opts, args.errors);
        if s.sentences == 0 && s.malformed.is_empty() {
            return Err(korpus::error::Error::Input {
                path: path.clone(),
                message: "no CoNLL-U sentence found".into(),
            }
            .into());
        }
        for (line, message) in &s.malformed {
            eprintln!(
                "korpus: warning: {path}:{line}: {message}: sentence skipped"
            );
        }
        skipped += s.malformed.len() as u64;
        for (id, gold, pred) in &s.examples {
            eprintln!("{path} {id}\n  gold: {gold}\n  ours: {pred}");
        }
        scores.push((path.clone(), s));
    }
    let mut out = args.out.open()?;
    let mut wtr = RowWriter::new(out.writer(), format, &tables::EVAL_COLUMNS)?;
    wtr.csv_safe(args.out.csv_safe);
    for (path, s) in &scores {
        wtr.row(&tables::eval_row(path, s))?;
    }
    wtr.finish()?;
    out.finish()?;
    Ok(Outcome { skipped, ..Outcome::default() })
}
