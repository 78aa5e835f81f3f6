//! Corpus statistics: documents, tokens, types, TTR, MSTTR, MATTR,
//! hapax legomena, Yule's K and mean document length, per group.
//!
//! Documents are tokenized in parallel; the counting then runs in corpus
//! order on one thread, because MSTTR and MATTR windows run over the
//! group's tokens as one stream in corpus order (crossing document
//! boundaries, so short documents such as Leipzig sentences still have
//! windows). Memory grows with the vocabulary; each batch's terms are
//! held only while the batch is counted.

use crate::analyze::{Analyzer, Scratch};
use crate::corpus::{Corpus, ReadReport, Warning};
use crate::error::Result;
use crate::freq::keep;
use crate::hash::{Map, new_map};
use crate::intern::Interner;
use crate::lexdiv::{Mattr, Msttr, ttr, yule_k};
use crate::meta::{DocFilter, GroupBy};

use rayon::prelude::*;

/// Options of corpus statistics.
#[derive(Debug, Clone)]
pub struct StatsOptions {
    /// Window (MATTR) and segment (MSTTR) size in tokens.
    pub window: usize,
}

impl Default for StatsOptions {
    fn default() -> Self {
        StatsOptions { window: 100 }
    }
}

/// The statistics of one group.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupStats {
    /// The group's name (empty for the whole corpus).
    pub group: String,
    /// Documents (including those with no counted token).
    pub documents: u64,
    /// Counted tokens.
    pub tokens: u64,
    /// Distinct terms.
    pub types: u64,
    /// `types / tokens`.
    pub ttr: Option<f64>,
    /// Mean segmental TTR.
    pub msttr: Option<f64>,
    /// Moving-average TTR.
    pub mattr: Option<f64>,
    /// Types that occur once.
    pub hapax: u64,
    /// Yule's K.
    pub yule_k: Option<f64>,
    /// `tokens / documents`.
    pub mean_doc_len: Option<f64>,
}

/// The result of [`compute`].
#[derive(Debug, Clone)]
pub struct CorpusStats {
    /// Groups in ascending byte order of their names.
    pub groups: Vec<GroupStats>,
    /// What was read.
    pub report: ReadReport,
    /// Documents left out by the filter.
    pub filtered_out: u64,
}

struct GroupState {
    index: Interner,
    freqs: Vec<u64>,
    documents: u64,
    mattr: Mattr,
    msttr: Msttr,
}

/// Computes the statistics of `corpus`.
pub fn compute(
    corpus: &Corpus,
    an: &Analyzer,
    filter: &DocFilter,
    by: &GroupBy,
    opts: &StatsOptions,
    warn: &mut dyn FnMut(&Warning),
) -> Result<CorpusStats> {
    let mut groups: Map<String, GroupState> = new_map();
    let mut filtered_out = 0;
    let report = corpus.scan(warn, &mut |docs| {
        let docs = keep(docs, filter, &mut filtered_out);
        // Parallel: each document's terms, concatenated, with end offsets.
        let analyzed: Vec<(String, Vec<u32>)> = docs
            .par_iter()
            .map_init(Scratch::default, |scratch, doc| {
                let mut terms = String::new();
                let mut ends = Vec::new();
                an.analyze(&doc.text, scratch, |_, term| {
                    terms.push_str(term);
                    ends.push(terms.len() as u32);
                });
                (terms, ends)
            })
            .collect();
        // Sequential, in corpus order.
        for (doc, (terms, ends)) in docs.iter().zip(&analyzed) {
            let g = by.group_of(doc);
            let state =
                groups.entry_ref(g.as_ref()).or_insert_with(|| GroupState {
                    index: Interner::new(),
                    freqs: Vec::new(),
                    documents: 0,
                    mattr: Mattr::new(opts.window),
                    msttr: Msttr::new(opts.window),
                });
            state.documents += 1;
            let mut start = 0;
            for &end in ends {
                let term = &terms[start..end as usize];
                start = end as usize;
                let id = state.index.intern(term);
                if id as usize == state.freqs.len() {
                    state.freqs.push(0);
                }
                state.freqs[id as usize] += 1;
                state.mattr.push(id);
                state.msttr.push(id);
            }
        }
        Ok(())
    })?;
    let tokens = groups.values().map(|g| g.freqs.iter().sum::<u64>()).sum();
    crate::meta::check_scan(
        &report,
        filter,
        by,
        report.documents - filtered_out,
        tokens,
    )?;
    let mut out: Vec<GroupStats> = groups
        .into_iter()
        .map(|(group, s)| {
            let tokens: u64 = s.freqs.iter().sum();
            let types = s.freqs.len() as u64;
            GroupStats {
                group,
                documents: s.documents,
                tokens,
                types,
                ttr: ttr(types, tokens),
                msttr: s.msttr.value(),
                mattr: s.mattr.value(),
                hapax: s.freqs.iter().filter(|&&f| f == 1).count() as u64,
                yule_k: yule_k(s.freqs.iter().copied()),
                mean_doc_len: (s.documents > 0)
                    .then(|| tokens as f64 / s.documents as f64),
            }
        })
        .collect();
    out.sort_by(|a, b| a.group.as_bytes().cmp(b.group.as_bytes()));
    Ok(CorpusStats { groups: out, report, filtered_out })
}
