//! One scan driver for every counting engine.
//!
//! An engine is a [`Counter`]: it adds one document at a time, merges
//! another counter of its kind, and finishes into its result. [`run`]
//! reads the corpus once, hands each kept document to the counter of the
//! rayon thread that takes it, merges the threads' counters once at the
//! end of the read, checks what was read ([`crate::meta::check_scan`]'s
//! rules) and calls [`Counter::finish`]. Several counters share one read
//! as a tuple: `(A, B)` and `(A, B, C)` are counters too.
//!
//! The contract that keeps output bytes independent of the number of
//! threads: counting a set of documents on any split into counters and
//! merging the parts gives the same state as counting them on one
//! counter (integer sums, fractions in [`crate::parallel::Fixed`]), and
//! `finish` orders its rows by a total order. A counter that needs the
//! documents in corpus order (a moving window across documents) keeps
//! what it needs by [`Doc::ordinal`] and puts it in order in
//! [`Counter::end_batch`], which runs after every batch, on all the
//! threads' counters, in thread order.
//!
//! Where the counting runs is the job's [`Backend`]: [`run`] counts in
//! this process; [`run_anywhere`] runs a counter whose state can cross
//! processes ([`Portable`]: any counter that derives serde's
//! `Serialize` and `Deserialize`) on the backend, locally or summed
//! over a cluster's processes (see [`crate::dist`]).

use std::borrow::Cow;

use crate::analyze::Analyzer;
use crate::corpus::{Corpus, Document, ReadReport, Warning};
pub use crate::dist::Backend;
use crate::error::{Error, Result};
use crate::meta::{DocFilter, GroupBy};
use crate::parallel::PerThread;

mod portable;
#[cfg(feature = "distributed")]
mod summed;
pub use portable::{Portable, from_bytes, to_bytes};

/// What one read of a corpus needs: the corpus, how its text is
/// analyzed, which documents are kept and how they are grouped, and
/// where warnings go.
pub struct Job<'a> {
    /// The corpus to read.
    pub corpus: &'a Corpus,
    /// The tokenizer, normalizer and filters every counter uses.
    pub analyzer: &'a Analyzer,
    /// Documents left out before any counter sees them.
    pub filter: &'a DocFilter,
    /// The group a document belongs to.
    pub by: &'a GroupBy,
    /// Where the reader's warnings go.
    pub warn: &'a mut dyn FnMut(&Warning),
    /// Lines of JSONL and Leipzig files for which this is false are not
    /// parsed (see [`Corpus::scan_filtered`]); `None` reads every line.
    /// Only for a job whose counters all ignore such lines.
    pub keep_line: Option<&'a (dyn Fn(&str) -> bool + Sync)>,
    /// Where the counting runs: [`Backend::Local`] for [`run`];
    /// [`run_anywhere`] also runs on a cluster.
    pub backend: &'a Backend,
}

impl<'a> Job<'a> {
    /// A job on this process's thread pool that parses every line (no
    /// `keep_line`).
    pub fn local(
        corpus: &'a Corpus,
        analyzer: &'a Analyzer,
        filter: &'a DocFilter,
        by: &'a GroupBy,
        warn: &'a mut dyn FnMut(&Warning),
    ) -> Job<'a> {
        Job {
            corpus,
            analyzer,
            filter,
            by,
            warn,
            keep_line: None,
            backend: &Backend::Local,
        }
    }
}

/// What a count reads: the documents of a corpus that pass a filter,
/// tokenized by an analyzer.
#[derive(Debug, Clone, Copy)]
pub struct Subcorpus<'a> {
    /// The corpus.
    pub corpus: &'a Corpus,
    /// How its texts become tokens and terms.
    pub analyzer: &'a Analyzer,
    /// The documents counted.
    pub filter: &'a DocFilter,
}

impl<'a> Subcorpus<'a> {
    /// The job that reads it, grouped by `by`, on `backend`, its
    /// warnings to `warn`.
    pub fn job(
        &self,
        by: &'a GroupBy,
        backend: &'a Backend,
        warn: &'a mut dyn FnMut(&Warning),
    ) -> Job<'a> {
        Job {
            corpus: self.corpus,
            analyzer: self.analyzer,
            filter: self.filter,
            by,
            warn,
            keep_line: None,
            backend,
        }
    }
}

/// One document as a counter sees it.
pub struct Doc<'a> {
    /// The document.
    pub document: &'a Document,
    /// Its place among the kept documents, in corpus order, from 0.
    pub ordinal: u64,
    /// The name of its group (`""` when not grouped).
    pub group: Cow<'a, str>,
    /// The job's analyzer.
    pub analyzer: &'a Analyzer,
}

/// What the read gave, for [`Counter::finish`].
#[derive(Debug, Clone)]
pub struct Scanned {
    /// What was read.
    pub report: ReadReport,
    /// Documents left out by the job's filter.
    pub filtered_out: u64,
}

impl Scanned {
    /// Documents kept by the filter.
    pub fn kept(&self) -> u64 {
        self.report.documents - self.filtered_out
    }
}

/// An accumulator of counts over documents.
///
/// Contract: for any split of a set of documents into parts, counting
/// each part on its own counter and merging the counters gives the same
/// state as counting all of them on one; `finish` depends only on that
/// state.
pub trait Counter: Send + Sized {
    /// The finished result.
    type Output;

    /// Counts one document.
    fn add(&mut self, doc: &Doc<'_>);

    /// Adds `other`'s counts to this one's.
    fn merge(&mut self, other: Self);

    /// Merges counters made apart into one (the threads' counters, in
    /// thread order); by default one [`Counter::merge`] after another.
    fn merge_all(parts: Vec<Self>) -> Option<Self> {
        let mut parts = parts.into_iter();
        let mut first = parts.next()?;
        for part in parts {
            first.merge(part);
        }
        Some(first)
    }

    /// Runs after every batch of documents, on all the threads'
    /// counters in thread order (for counters that need corpus order).
    /// An error stops the read: a counter that holds what it gathers
    /// (kwic's sorted lines) refuses past its limit there, not after
    /// reading the rest. (It returned nothing before kwic showed that.)
    fn end_batch(_threads: &mut [&mut Self]) -> Result<()> {
        Ok(())
    }

    /// Tokens counted so far (for the "no token of the selected
    /// classes" check); `None` for a counter that does not count tokens.
    fn tokens(&self) -> Option<u64> {
        None
    }

    /// The result.
    fn finish(self, scanned: &Scanned) -> Result<Self::Output>;
}

/// Reads `job`'s corpus once and runs a counter made by `make` on every
/// thread over it; returns the finished result and what was read.
///
/// Errors, in this order: a job on a cluster (a counter that is not
/// [`Portable`] runs only here), the reader's, an unknown
/// `--where`/`--by` field, an empty corpus, no document kept by the
/// filter, no token counted (when the counter counts tokens), then
/// `finish`'s.
pub fn run<C: Counter>(
    job: &mut Job<'_>,
    make: impl Fn() -> C,
) -> Result<(C::Output, Scanned)> {
    if job.backend.is_distributed() {
        return Err(Error::Usage(
            "this count does not run distributed: run it without korpus dist"
                .into(),
        ));
    }
    let (counter, scanned) = read(job, make)?;
    finish_checked(counter, scanned, job.filter, job.by)
}

/// [`run`] on the job's backend: in this process, or (a cluster) each
/// process reads its share and the counters' state is summed across
/// the cluster ([`crate::dist`]), checked and finished the same in
/// every process. Errors: [`run`]'s, on the sums; a cluster's.
pub fn run_anywhere<C: Portable>(
    job: &mut Job<'_>,
    make: impl Fn() -> C,
) -> Result<(C::Output, Scanned)> {
    match job.backend {
        Backend::Local => run(job, make),
        #[cfg(feature = "distributed")]
        Backend::Cluster(cluster) => {
            let (counter, scanned) = summed::read_summed(cluster, job, make)?;
            finish_checked(counter, scanned, job.filter, job.by)
        }
    }
}

/// The checks of what was read ([`crate::meta::check_scan`]), then
/// [`Counter::finish`].
fn finish_checked<C: Counter>(
    counter: C,
    scanned: Scanned,
    filter: &DocFilter,
    by: &GroupBy,
) -> Result<(C::Output, Scanned)> {
    let tokens = counter.tokens().unwrap_or(1);
    crate::meta::check_scan(
        &scanned.report,
        filter,
        by,
        scanned.kept(),
        tokens,
    )?;
    let out = counter.finish(&scanned)?;
    Ok((out, scanned))
}

/// [`run`] without the checks of what was read and without `finish`:
/// the merged counter, for a share of a corpus whose checks are made on
/// the sums of every share (a distributed run's worker). Errors: the
/// reader's.
pub fn read<C: Counter>(
    job: &mut Job<'_>,
    make: impl Fn() -> C,
) -> Result<(C, Scanned)> {
    read_each(job, make, &mut |_| Ok(()))
}

/// [`read`], calling `each` after every batch's [`Counter::end_batch`]
/// on the first thread's counter (where a counter that needs corpus
/// order puts what it has ordered: kwic writes its lines there as the
/// corpus is read). An error of `end_batch` or `each` stops the read.
pub fn read_each<C: Counter>(
    job: &mut Job<'_>,
    make: impl Fn() -> C,
    each: &mut dyn FnMut(&mut C) -> Result<()>,
) -> Result<(C, Scanned)> {
    let threads = PerThread::new(make);
    let mut kept = 0u64;
    let mut filtered_out = 0u64;
    let (analyzer, filter, by) = (job.analyzer, job.filter, job.by);
    let mut sink = |docs: Vec<Document>| -> Result<()> {
        let before = docs.len() as u64;
        let docs: Vec<Document> = if filter.is_empty() {
            docs
        } else {
            docs.into_iter().filter(|d| filter.matches(d)).collect()
        };
        filtered_out += before - docs.len() as u64;
        let first = kept;
        kept += docs.len() as u64;
        let indexed: Vec<(u64, &Document)> = docs
            .iter()
            .enumerate()
            .map(|(i, d)| (first + i as u64, d))
            .collect();
        threads.for_each(&indexed, |counter, &(ordinal, document)| {
            counter.add(&Doc {
                document,
                ordinal,
                group: by.group_of(document),
                analyzer,
            })
        });
        threads.with_all(|all| {
            C::end_batch(all)?;
            each(all[0])
        })
    };
    let report = match job.keep_line {
        Some(keep) => {
            job.corpus.scan_filtered(Some(keep), job.warn, &mut sink)
        }
        None => job.corpus.scan(job.warn, &mut sink),
    }?;
    let counter = C::merge_all(threads.into_inner())
        .ok_or_else(|| Error::Usage("no thread to count on".into()))?;
    Ok((counter, Scanned { report, filtered_out }))
}

macro_rules! tuple_counter {
    ($($name:ident $i:tt),+) => {
        impl<$($name: Counter),+> Counter for ($($name,)+) {
            type Output = ($($name::Output,)+);

            fn add(&mut self, doc: &Doc<'_>) {
                $(self.$i.add(doc);)+
            }

            fn merge(&mut self, other: Self) {
                $(self.$i.merge(other.$i);)+
            }

            /// Each counter's own `merge_all` over its parts.
            fn merge_all(parts: Vec<Self>) -> Option<Self> {
                let n = parts.len();
                let mut split = ($(Vec::<$name>::with_capacity(n),)+);
                for part in parts {
                    $(split.$i.push(part.$i);)+
                }
                Some(($($name::merge_all(split.$i)?,)+))
            }

            fn end_batch(threads: &mut [&mut Self]) -> Result<()> {
                $(
                    let mut part: Vec<&mut $name> =
                        threads.iter_mut().map(|t| &mut t.$i).collect();
                    $name::end_batch(&mut part)?;
                )+
                Ok(())
            }

            fn tokens(&self) -> Option<u64> {
                let mut out: Option<u64> = None;
                $(
                    if let Some(t) = self.$i.tokens() {
                        out = Some(out.map_or(t, |o| o.max(t)));
                    }
                )+
                out
            }

            fn finish(self, scanned: &Scanned) -> Result<Self::Output> {
                Ok(($(self.$i.finish(scanned)?,)+))
            }
        }
    };
}

tuple_counter!(A 0, B 1);
tuple_counter!(A 0, B 1, C 2);
tuple_counter!(A 0, B 1, C 2, D 3);

// Counters made of counters, for a read that runs a varying number of
// them (`korpus report`: one per query, one per variable) or with a
// grouping of their own.

/// Any number of counters of one kind in one read: each is given every
/// document; the result is theirs, in order.
impl<C: Counter> Counter for Vec<C> {
    type Output = Vec<C::Output>;

    fn add(&mut self, doc: &Doc<'_>) {
        for c in self.iter_mut() {
            c.add(doc);
        }
    }

    /// Merges the counters at the same place (`other` as long as this).
    fn merge(&mut self, other: Self) {
        for (c, o) in self.iter_mut().zip(other) {
            c.merge(o);
        }
    }

    /// Each place's own `merge_all` over its parts.
    fn merge_all(parts: Vec<Self>) -> Option<Self> {
        let n = parts.first()?.len();
        let mut split: Vec<Vec<C>> =
            (0..n).map(|_| Vec::with_capacity(parts.len())).collect();
        for part in parts {
            for (i, c) in part.into_iter().enumerate() {
                split[i].push(c);
            }
        }
        split.into_iter().map(C::merge_all).collect()
    }

    fn end_batch(threads: &mut [&mut Self]) -> Result<()> {
        let n = threads.first().map_or(0, |t| t.len());
        for i in 0..n {
            let mut part: Vec<&mut C> =
                threads.iter_mut().map(|t| &mut t[i]).collect();
            C::end_batch(&mut part)?;
        }
        Ok(())
    }

    fn tokens(&self) -> Option<u64> {
        self.iter().filter_map(C::tokens).max()
    }

    fn finish(self, scanned: &Scanned) -> Result<Self::Output> {
        self.into_iter().map(|c| c.finish(scanned)).collect()
    }
}

/// A counter that sees every document in the one group `""`, whatever
/// the job's grouping (a frequency list of the whole corpus in a read
/// whose other counters count per group).
pub struct Ungrouped<C>(pub C);

impl<C: Counter> Counter for Ungrouped<C> {
    type Output = C::Output;

    fn add(&mut self, doc: &Doc<'_>) {
        let whole = Doc {
            document: doc.document,
            ordinal: doc.ordinal,
            group: Cow::Borrowed(""),
            analyzer: doc.analyzer,
        };
        self.0.add(&whole);
    }

    fn merge(&mut self, other: Self) {
        self.0.merge(other.0);
    }

    fn merge_all(parts: Vec<Self>) -> Option<Self> {
        C::merge_all(parts.into_iter().map(|p| p.0).collect()).map(Ungrouped)
    }

    fn end_batch(threads: &mut [&mut Self]) -> Result<()> {
        let mut inner: Vec<&mut C> =
            threads.iter_mut().map(|t| &mut t.0).collect();
        C::end_batch(&mut inner)
    }

    fn tokens(&self) -> Option<u64> {
        self.0.tokens()
    }

    fn finish(self, scanned: &Scanned) -> Result<Self::Output> {
        self.0.finish(scanned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::Scratch;
    use crate::hash::Map;

    /// Tokens per group: the plainest counter.
    #[derive(Default)]
    struct Tokens {
        per_group: Map<String, u64>,
        scratch: Scratch,
    }

    impl Counter for Tokens {
        type Output = Vec<(String, u64)>;
        fn add(&mut self, doc: &Doc<'_>) {
            let mut n = 0;
            let text = &doc.document.text;
            doc.analyzer.analyze(text, &mut self.scratch, |_, _| n += 1);
            *self.per_group.entry_ref(doc.group.as_ref()).or_insert(0) += n;
        }
        fn merge(&mut self, other: Self) {
            for (g, n) in other.per_group {
                *self.per_group.entry(g).or_insert(0) += n;
            }
        }
        fn tokens(&self) -> Option<u64> {
            Some(self.per_group.values().sum())
        }
        fn finish(self, _: &Scanned) -> Result<Self::Output> {
            let mut rows: Vec<_> = self.per_group.into_iter().collect();
            rows.sort();
            Ok(rows)
        }
    }

    /// The documents' ids in the order `end_batch` put them: corpus
    /// order, whatever thread counted them.
    #[derive(Default)]
    struct InOrder {
        pending: Vec<(u64, String)>,
        done: Vec<String>,
    }

    impl Counter for InOrder {
        type Output = Vec<String>;
        fn add(&mut self, doc: &Doc<'_>) {
            self.pending.push((doc.ordinal, doc.document.id.clone()));
        }
        fn merge(&mut self, other: Self) {
            assert!(other.done.is_empty() && self.pending.is_empty());
        }
        fn end_batch(threads: &mut [&mut Self]) -> Result<()> {
            let mut all: Vec<(u64, String)> =
                threads.iter_mut().flat_map(|t| t.pending.drain(..)).collect();
            all.sort();
            threads[0].done.extend(all.into_iter().map(|(_, id)| id));
            Ok(())
        }
        fn finish(self, _: &Scanned) -> Result<Self::Output> {
            Ok(self.done)
        }
    }

    fn corpus_of(texts: &[&str]) -> (tempfile::TempDir, Corpus) {
        let dir = tempfile::tempdir().unwrap();
        for (i, t) in texts.iter().enumerate() {
            std::fs::write(dir.path().join(format!("{i:03}.txt")), t).unwrap();
        }
        let inputs = [dir.path().display().to_string()];
        (dir, Corpus::open(&inputs, Default::default()).unwrap())
    }

    fn run_on<C: Counter>(
        corpus: &Corpus,
        by: &GroupBy,
        threads: usize,
        make: impl Fn() -> C + Send + Sync,
    ) -> Result<(C::Output, Scanned)>
    where
        C::Output: Send,
    {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let analyzer = Analyzer::default();
            let filter = DocFilter::default();
            let mut warn = |_: &Warning| {};
            let mut job = Job {
                corpus,
                analyzer: &analyzer,
                filter: &filter,
                by,
                warn: &mut warn,
                keep_line: None,
                backend: &Backend::Local,
            };
            run(&mut job, make)
        })
    }

    /// Three files of 2, 3 and 1 words (counted by hand), one group per
    /// file and all in one: the same counts on 1 and 3 threads, and two
    /// counters in one read give what each gives alone.
    #[test]
    fn one_read_counts_per_group_and_in_tuples() {
        let (_d, corpus) =
            corpus_of(&["Tiongkok datang.", "China, China pergi", "Cina"]);
        let by = GroupBy::Doc;
        for threads in [1, 3] {
            let (rows, scanned) =
                run_on(&corpus, &by, threads, Tokens::default).unwrap();
            let counts: Vec<u64> = rows.iter().map(|r| r.1).collect();
            assert_eq!(counts, [2, 3, 1]);
            assert_eq!(scanned.kept(), 3);
            let ((a, b), _) = run_on(&corpus, &GroupBy::All, threads, || {
                (Tokens::default(), InOrder::default())
            })
            .unwrap();
            assert_eq!(a, [(String::new(), 6)]);
            assert_eq!(b.len(), 3);
        }
    }

    /// A `Vec` of counters gives each one's result, and `Ungrouped`
    /// counts every document in the group `""` whatever the job's
    /// grouping: the files of 2, 3 and 1 words per file ([2, 3, 1]) and
    /// all in one (6), on 1 and 3 threads; an empty `Vec` gives nothing.
    #[test]
    fn vectors_and_ungrouped_counters() {
        let (_d, corpus) =
            corpus_of(&["Tiongkok datang.", "China, China pergi", "Cina"]);
        for threads in [1, 3] {
            let ((each, whole, none), _) =
                run_on(&corpus, &GroupBy::Doc, threads, || {
                    (
                        vec![Tokens::default(), Tokens::default()],
                        Ungrouped(Tokens::default()),
                        Vec::<Tokens>::new(),
                    )
                })
                .unwrap();
            assert_eq!(each.len(), 2);
            for rows in &each {
                let counts: Vec<u64> = rows.iter().map(|r| r.1).collect();
                assert_eq!(counts, [2, 3, 1]);
            }
            assert_eq!(whole, [(String::new(), 6)]);
            assert!(none.is_empty());
        }
        // In corpus order inside a Vec too (end_batch reaches each).
        let (ids, _) =
            run_on(&corpus, &GroupBy::All, 3, || vec![InOrder::default()])
                .unwrap();
        assert_eq!(ids[0].len(), 3);
        assert!(ids[0][2].ends_with("002.txt"), "{:?}", ids[0]);
    }

    /// `end_batch` sees every thread's counter: the ids come out in
    /// corpus order on 1 and 4 threads.
    #[test]
    fn end_batch_restores_corpus_order() {
        let texts: Vec<String> =
            (0..40).map(|i| format!("kata {i}")).collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let (_d, corpus) = corpus_of(&refs);
        for threads in [1, 4] {
            let (ids, _) =
                run_on(&corpus, &GroupBy::All, threads, InOrder::default)
                    .unwrap();
            assert_eq!(ids.len(), 40);
            for (i, id) in ids.iter().enumerate() {
                assert!(id.ends_with(&format!("{i:03}.txt")), "{i}: {id}");
            }
        }
    }

    /// A corpus with no token of the selected classes is refused with
    /// the same error as before the driver existed.
    #[test]
    fn no_token_is_an_error() {
        let (_d, corpus) = corpus_of(&["...", "!!"]);
        let err =
            run_on(&corpus, &GroupBy::All, 2, Tokens::default).err().unwrap();
        assert!(err.to_string().contains("no token"), "{err}");
    }
}
