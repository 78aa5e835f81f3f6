//! Corpus statistics: documents, tokens, types, TTR, MSTTR, MATTR,
//! hapax legomena, Yule's K and mean document length, per group.
//!
//! Documents are tokenized in parallel ([`StatsCounter`]); the counting
//! then runs in corpus order on one thread, because MSTTR and MATTR windows run over the
//! group's tokens as one stream in corpus order (crossing document
//! boundaries, so short documents such as Leipzig sentences still have
//! windows). Memory grows with the vocabulary; each batch's terms are
//! held only while the batch is counted.

use crate::analyze::{Analyzer, Scratch};
use crate::corpus::{Corpus, ReadReport, Warning};
use crate::error::Result;
use crate::hash::{Map, new_map};
use crate::intern::Interner;
use crate::lexdiv::{Mattr, Msttr, ttr, yule_k};
use crate::meta::{DocFilter, GroupBy};
use crate::scan::{self, Counter, Doc, Job, Scanned};

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

impl GroupState {
    fn new(window: usize) -> GroupState {
        GroupState {
            index: Interner::new(),
            freqs: Vec::new(),
            documents: 0,
            mattr: Mattr::new(window),
            msttr: Msttr::new(window),
        }
    }

    /// Counts a document's terms (`terms` cut at `ends`), in corpus
    /// order.
    fn count(&mut self, terms: &str, ends: &[u32]) {
        self.documents += 1;
        let mut start = 0;
        for &end in ends {
            let term = &terms[start..end as usize];
            start = end as usize;
            let id = self.index.intern(term);
            if id as usize == self.freqs.len() {
                self.freqs.push(0);
            }
            self.freqs[id as usize] += 1;
            self.mattr.push(id);
            self.msttr.push(id);
        }
    }

    fn finish(self, group: String) -> GroupStats {
        let s = self;
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
    }
}

/// A document analyzed by a thread, waiting for its turn in corpus
/// order: its ordinal, its group (in the thread's names), its terms
/// concatenated and their end offsets.
type Analyzed = (u64, u32, String, Vec<u32>);

/// Computes the statistics of the documents it is given. Documents are
/// analyzed by the thread that takes them; the counting runs in corpus
/// order, in [`Counter::end_batch`], on the first thread's counter
/// (MATTR and MSTTR windows run across documents), so only that
/// counter holds counts.
pub struct StatsCounter {
    window: usize,
    scratch: Scratch,
    /// The groups of the documents this thread analyzed.
    names: Interner,
    pending: Vec<Analyzed>,
    groups: Map<String, GroupState>,
}

impl StatsCounter {
    /// A counter with `opts`.
    pub fn new(opts: &StatsOptions) -> StatsCounter {
        StatsCounter {
            window: opts.window,
            scratch: Scratch::default(),
            names: Interner::new(),
            pending: Vec::new(),
            groups: new_map(),
        }
    }
}

impl Counter for StatsCounter {
    type Output = Vec<GroupStats>;

    fn add(&mut self, doc: &Doc<'_>) {
        let mut terms = String::new();
        let mut ends = Vec::new();
        doc.analyzer.analyze(&doc.document.text, &mut self.scratch, |_, t| {
            terms.push_str(t);
            ends.push(terms.len() as u32);
        });
        let g = self.names.intern(&doc.group);
        self.pending.push((doc.ordinal, g, terms, ends));
    }

    /// Takes `other`'s groups that this one lacks (after
    /// [`Counter::end_batch`], every group is on the first counter: a
    /// window cannot be merged).
    fn merge(&mut self, other: Self) {
        for (name, state) in other.groups {
            self.groups.entry(name).or_insert(state);
        }
    }

    /// Counts the batch's documents in corpus order, on the first
    /// counter.
    fn end_batch(threads: &mut [&mut Self]) -> Result<()> {
        let mut batch: Vec<(usize, Analyzed)> = Vec::new();
        for (t, c) in threads.iter_mut().enumerate() {
            batch.extend(c.pending.drain(..).map(|a| (t, a)));
        }
        batch.sort_unstable_by_key(|(_, a)| a.0);
        let mut groups = std::mem::take(&mut threads[0].groups);
        let window = threads[0].window;
        for (t, (_, g, terms, ends)) in batch {
            let name = threads[t].names.term(g);
            groups
                .entry_ref(name)
                .or_insert_with(|| GroupState::new(window))
                .count(&terms, &ends);
        }
        threads[0].groups = groups;
        Ok(())
    }

    fn tokens(&self) -> Option<u64> {
        let freqs = self.groups.values().flat_map(|g| &g.freqs);
        Some(freqs.sum())
    }

    fn finish(self, _: &Scanned) -> Result<Vec<GroupStats>> {
        let mut out: Vec<GroupStats> = self
            .groups
            .into_iter()
            .map(|(group, s)| s.finish(group))
            .collect();
        out.sort_by(|a, b| a.group.as_bytes().cmp(b.group.as_bytes()));
        Ok(out)
    }
}

/// Computes the statistics of `corpus`: a [`StatsCounter`] run by
/// [`scan::run`].
pub fn compute(
    corpus: &Corpus,
    an: &Analyzer,
    filter: &DocFilter,
    by: &GroupBy,
    opts: &StatsOptions,
    warn: &mut dyn FnMut(&Warning),
) -> Result<CorpusStats> {
    let mut job = Job::local(corpus, an, filter, by, warn);
    let (groups, scanned) = scan::run(&mut job, || StatsCounter::new(opts))?;
    let Scanned { report, filtered_out } = scanned;
    Ok(CorpusStats { groups, report, filtered_out })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// MATTR and MSTTR run over the documents in corpus order, whatever
    /// thread analyzed them: 3 files "a a", "b", "a" are the stream
    /// a a b a, whose windows of 2 have TTRs 1/2, 1, 1 (MATTR 5/6) and
    /// whose segments of 2 have 1/2, 1 (MSTTR 3/4); and 60 files of one
    /// or two words each against a plain count of the stream's windows.
    #[test]
    fn windows_run_in_corpus_order() {
        let mut texts: Vec<String> =
            ["a a", "b", "a"].iter().map(|t| t.to_string()).collect();
        let run = |texts: &[String], threads: usize| -> GroupStats {
            let dir = tempfile::tempdir().unwrap();
            for (i, t) in texts.iter().enumerate() {
                let path = dir.path().join(format!("{i:03}.txt"));
                std::fs::write(path, t).unwrap();
            }
            let inputs = [dir.path().display().to_string()];
            let corpus = Corpus::open(&inputs, Default::default()).unwrap();
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let opts = StatsOptions { window: 2 };
            let an = Analyzer::default();
            let (f, by) = (DocFilter::default(), GroupBy::All);
            let s = pool.install(|| {
                compute(&corpus, &an, &f, &by, &opts, &mut |_| {}).unwrap()
            });
            s.groups.into_iter().next().unwrap()
        };
        for threads in [1, 3] {
            let g = run(&texts, threads);
            assert_eq!((g.documents, g.tokens, g.types), (3, 4, 2));
            assert!((g.mattr.unwrap() - 5.0 / 6.0).abs() < 1e-12);
            assert!((g.msttr.unwrap() - 0.75).abs() < 1e-12);
        }
        texts = (0..60)
            .map(|i| match i % 7 {
                0 | 3 => format!("w{} w{}", i % 5, i % 3),
                _ => format!("w{}", (i * i) % 4),
            })
            .collect();
        let stream: Vec<&str> =
            texts.iter().flat_map(|t| t.split(' ')).collect();
        let ttr = |w: &[&str]| {
            let mut u = w.to_vec();
            u.sort();
            u.dedup();
            u.len() as f64 / w.len() as f64
        };
        let windows: Vec<f64> = stream.windows(2).map(ttr).collect();
        let mattr = windows.iter().sum::<f64>() / windows.len() as f64;
        let segments: Vec<f64> = stream.chunks_exact(2).map(ttr).collect();
        let msttr = segments.iter().sum::<f64>() / segments.len() as f64;
        for threads in [1, 4] {
            let g = run(&texts, threads);
            assert!((g.mattr.unwrap() - mattr).abs() < 1e-12, "{threads}");
            assert!((g.msttr.unwrap() - msttr).abs() < 1e-12, "{threads}");
        }
    }
}
