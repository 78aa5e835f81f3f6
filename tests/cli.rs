//! Integration tests of the `korpus` binary: one test binary, one module
//! per subcommand, a small helper DSL in `cli/util.rs`.

#[path = "cli/util.rs"]
mod util;

#[path = "cli/bad_input.rs"]
mod bad_input;
#[path = "cli/catalogue.rs"]
mod catalogue;
#[path = "cli/chart.rs"]
mod chart;
#[path = "cli/clean.rs"]
mod clean;
#[path = "cli/cleaning.rs"]
mod cleaning;
#[path = "cli/colloc.rs"]
mod colloc;
#[path = "cli/determinism.rs"]
mod determinism;
#[path = "cli/dispersion.rs"]
mod dispersion;
#[cfg(feature = "distributed")]
#[path = "cli/dist.rs"]
mod dist;
#[path = "cli/emit.rs"]
mod emit;
#[path = "cli/emit_b.rs"]
mod emit_b;
#[path = "cli/eval_tokens.rs"]
mod eval_tokens;
#[path = "cli/formats.rs"]
mod formats;
#[path = "cli/freq.rs"]
mod freq;
#[path = "cli/hardening_limits.rs"]
mod hardening_limits;
#[path = "cli/hardening_loose.rs"]
mod hardening_loose;
#[path = "cli/hardening_outputs.rs"]
mod hardening_outputs;
#[path = "cli/hardening_pipeline.rs"]
mod hardening_pipeline;
#[path = "cli/hardening_readers.rs"]
mod hardening_readers;
#[path = "cli/hardening_terminal.rs"]
mod hardening_terminal;
#[path = "cli/html.rs"]
mod html;
#[path = "cli/keyness.rs"]
mod keyness;
#[path = "cli/kwic.rs"]
mod kwic;
#[path = "cli/lemmas.rs"]
mod lemmas;
#[path = "cli/markdown.rs"]
mod markdown;
#[path = "cli/ngrams.rs"]
mod ngrams;
#[path = "cli/numbers.rs"]
mod numbers;
#[path = "cli/parquet.rs"]
mod parquet;
#[path = "cli/readme.rs"]
mod readme;
#[path = "cli/report.rs"]
mod report;
#[path = "cli/report_pass.rs"]
mod report_pass;
#[path = "cli/shared_corpora.rs"]
mod shared_corpora;
#[path = "cli/stats.rs"]
mod stats;
#[path = "cli/structure.rs"]
mod structure;
#[path = "cli/tokens.rs"]
mod tokens;
#[path = "cli/typed_options.rs"]
mod typed_options;
#[path = "cli/variants.rs"]
mod variants;
#[path = "cli/warc.rs"]
mod warc;
