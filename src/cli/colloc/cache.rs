//! `korpus colloc --freq-cache DIR`: the corpus frequencies kept between
//! nodes ([`korpus::cache`]).

use korpus::colloc::{self, CollocOptions, Collocates};
use korpus::corpus::{Corpus, ReadReport, Warning};
use korpus::query::Query;

use super::super::args::settings;
use super::super::output;
use super::{Ctx, Node};

/// The node's collocates per group with --by, else in the whole corpus
/// (through the frequency cache with --freq-cache), and what was read.
pub(super) fn count(
    cx: &Ctx,
    job: &Node,
    corpus: &Corpus,
) -> anyhow::Result<(Vec<(String, Collocates)>, ReadReport)> {
    if job.by.is_grouped() {
        let sub = cx.sub(corpus);
        let (by, query, opts) = (&job.by, &job.query, &job.opts);
        let warn = &mut output::warn;
        let mut job = sub.job(by, cx.backend, warn);
        return Ok(colloc::collocates_on(&mut job, query, opts)?);
    }
    let c =
        collocates_of(cx, corpus, &job.query, &job.opts, &mut output::warn)?;
    let report = c.report.clone();
    Ok((vec![(String::new(), c)], report))
}

/// The collocates of one node (ungrouped), through the frequency cache
/// with --freq-cache: the first node counts the whole corpus and keeps
/// its frequencies, later ones read only the documents that can hold
/// them.
pub(super) fn collocates_of(
    cx: &Ctx,
    corpus: &Corpus,
    query: &Query,
    opts: &CollocOptions,
    warn: &mut dyn FnMut(&Warning),
) -> anyhow::Result<Collocates> {
    let (args, an, filter) = (cx.args, &cx.an, &cx.filter);
    let Some(dir) = &args.freq_cache else {
        return Ok(cx.collocates(corpus, query, opts, warn)?);
    };
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
