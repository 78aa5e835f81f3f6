//! Cleaning scraped corpora: duplicate documents and boilerplate lines.
//!
//! Cleaning takes two reads. The **pre-pass** ([`plan`]) reads the whole
//! corpus once with two counters sharing the read (a tuple, see
//! [`crate::scan`]): [`dedup::DedupCounter`] (documents that duplicate
//! an earlier one) and [`boilerplate::BoilerplateCounter`] (lines that
//! recur across a source's documents). It gives a [`Cleaning`]: the
//! documents to drop and the templates to strip. The pre-pass sees
//! every document (no `--where` filter), through the default analyzer.
//!
//! The **real pass** applies it through the corpus read options: a
//! [`Cleaner`] is a [`crate::corpus::Transform`], set with
//! [`crate::corpus::Corpus::set_transform`], so every batch of documents
//! is cleaned as it is read, before any filter or counter sees it, and
//! every engine reads the cleaned corpus without knowing (documents
//! dropped count in [`crate::corpus::ReadReport::removed`], not in the
//! documents read). Batches come in corpus order, so what the cleaner
//! records (the first document each template was removed from, the
//! counts) does not depend on the number of threads.
//!
//! Duplicates are decided on the text as read (templates included), and
//! the first document of a cluster, in corpus order, is kept. Documents
//! are matched by id between the two reads.

pub mod boilerplate;
pub mod dedup;
pub mod minhash;
pub mod write;

use std::hash::BuildHasher as _;
use std::sync::{Mutex, MutexGuard};

use rayon::prelude::*;

use crate::analyze::Analyzer;
use crate::corpus::{Corpus, Document, Transform, Warning};
use crate::error::Result;
use crate::hash::{BuildHasher, Map, Set, new_map};
use crate::meta::{DocFilter, GroupBy};
use crate::scan::{self, Counter, Doc, Job, Scanned};

use boilerplate::{
    BoilerplateCounter, BoilerplateOptions, Removal, Rule, Templates,
};
use dedup::{DedupCounter, DedupOptions, DupKind, Duplicate};

/// What to clean: each part on when `Some`.
#[derive(Debug, Clone, Default)]
pub struct CleanOptions {
    /// Drop duplicate documents.
    pub dedup: Option<DedupOptions>,
    /// Strip boilerplate lines.
    pub boilerplate: Option<BoilerplateOptions>,
}

/// What the pre-pass found: the documents to drop and the templates.
#[derive(Debug, Clone)]
pub struct Cleaning {
    /// Every document that duplicates an earlier one, by ordinal.
    pub duplicates: Vec<Duplicate>,
    /// The templates (`None`: boilerplate not asked for).
    pub templates: Option<Templates>,
    /// Documents the pre-pass read.
    pub documents: u64,
}

/// A counter that may be switched off (an absent part of the plan).
struct Maybe<C>(Option<C>);

impl<C: Counter> Counter for Maybe<C> {
    type Output = Option<C::Output>;

    fn add(&mut self, doc: &Doc<'_>) {
        if let Some(c) = &mut self.0 {
            c.add(doc);
        }
    }

    fn merge(&mut self, other: Self) {
        if let (Some(a), Some(b)) = (&mut self.0, other.0) {
            a.merge(b);
        }
    }

    fn end_batch(threads: &mut [&mut Self]) -> Result<()> {
        let mut inner: Vec<&mut C> =
            threads.iter_mut().filter_map(|t| t.0.as_mut()).collect();
        if inner.is_empty() { Ok(()) } else { C::end_batch(&mut inner) }
    }

    fn finish(self, scanned: &Scanned) -> Result<Self::Output> {
        self.0.map(|c| c.finish(scanned)).transpose()
    }
}

/// Reads `corpus` once (its transform, if any, left out) and finds what
/// `opts` asks to remove. Errors: the reader's (an empty corpus among
/// them). The reader's warnings are not passed on: the real pass
/// reports them.
pub fn plan(corpus: &Corpus, opts: &CleanOptions) -> Result<Cleaning> {
    let analyzer = Analyzer::default();
    let filter = DocFilter::default();
    let by = GroupBy::All;
    let mut warn = |_: &Warning| {};
    let mut job = Job {
        backend: &crate::dist::Backend::Local,
        corpus,
        analyzer: &analyzer,
        filter: &filter,
        by: &by,
        warn: &mut warn,
        keep_line: None,
    };
    let make = || {
        (
            Maybe(opts.dedup.as_ref().map(DedupCounter::new)),
            Maybe(opts.boilerplate.as_ref().map(BoilerplateCounter::new)),
        )
    };
    let ((duplicates, templates), scanned) = scan::run(&mut job, make)?;
    Ok(Cleaning {
        duplicates: duplicates.unwrap_or_default(),
        templates,
        documents: scanned.report.documents,
    })
}

/// What a cleaner does with what it finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Drop duplicates and cut templates out of the text.
    Remove,
    /// Keep everything as read and say what would go, in fields:
    /// `korpus_removed` (`exact duplicate`, `near duplicate`),
    /// `korpus_duplicate_of`, `korpus_similarity`, and
    /// `korpus_template_lines` (the lines that would be removed).
    Mark,
}

/// A template as it was met in the real pass.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Met {
    /// Documents it was removed from.
    pub docs: u64,
    /// The first of them, in corpus order.
    pub example_id: String,
    /// The matching words of its first line there, as written.
    pub text: String,
}

/// What a cleaner removed (or marked), so far: each document counted
/// once, however many times the corpus is read through the cleaner (a
/// command that reads its corpus twice, as `colloc --vs`, removes the
/// same again: see [`Cleaner`]).
#[derive(Debug, Clone, Default)]
pub struct Removed {
    /// Duplicate documents dropped (or marked).
    pub documents: u64,
    /// Of them, the exact duplicates (the others are near ones).
    pub exact: u64,
    /// Documents with template lines.
    pub changed: u64,
    /// Template lines removed (a tail counts its first line and the
    /// lines after it).
    pub lines: u64,
    /// Bytes of text removed.
    pub bytes: u64,
    /// The templates met, by key.
    pub met: Map<u64, Met>,
    /// Why the document asked about was changed, one line each (see
    /// `Cleaner::explain`); `None` if it was not read.
    pub explained: Option<Vec<String>>,
}

/// Applies a [`Cleaning`] to the documents of a read (a
/// [`Transform`]).
#[derive(Debug)]
pub struct Cleaner {
    cleaning: Cleaning,
    /// Index into `cleaning.duplicates`, by id.
    dropped: Map<String, usize>,
    mode: Mode,
    explain: Option<String>,
    removed: Mutex<Record>,
}

/// What a cleaner removed, and the documents already counted in it.
#[derive(Debug, Default)]
struct Record {
    removed: Removed,
    /// The hashes of the ids of the documents counted (those with a
    /// removal): a document read again is not counted again. 8 bytes
    /// per such document; two ids sharing a 64-bit hash would count as
    /// one (about one chance in 10^7 with 10^6 such documents).
    counted: Set<u64>,
}

/// What cleaning one document gave.
struct Outcome {
    drop: bool,
    /// Dropped as an exact duplicate.
    exact: bool,
    removals: Vec<Removal>,
    /// The removed lines' count and bytes.
    lines: u64,
    bytes: u64,
    /// (key, matched words) of each removal.
    texts: Vec<(u64, String)>,
    explained: Option<Vec<String>>,
}

impl Cleaner {
    /// A cleaner of `cleaning`; `explain` names a document whose
    /// removals are explained (see [`Removed::explained`]).
    pub fn new(
        cleaning: Cleaning,
        mode: Mode,
        explain: Option<String>,
    ) -> Self {
        let mut dropped = new_map();
        for (i, d) in cleaning.duplicates.iter().enumerate() {
            dropped.insert(d.id.clone(), i);
        }
        Cleaner {
            cleaning,
            dropped,
            mode,
            explain,
            removed: Mutex::new(Record::default()),
        }
    }

    /// The plan it applies.
    pub fn cleaning(&self) -> &Cleaning {
        &self.cleaning
    }

    /// What it removed so far.
    pub fn removed(&self) -> Removed {
        self.lock().removed.clone()
    }

    fn lock(&self) -> MutexGuard<'_, Record> {
        self.removed.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The explanation of a duplicate.
    fn why_dropped(d: &Duplicate) -> String {
        format!(
            "{}: dropped: {} duplicate of {} (similarity {:.3}, kept as the \
             first in corpus order)",
            d.id,
            kind_name(d.kind),
            d.of_id,
            d.similarity
        )
    }

    /// The explanation of one removal from `doc`.
    fn why_removed(&self, doc: &Document, r: &Removal) -> String {
        let templates = self.cleaning.templates.as_ref();
        let Some(t) = templates.and_then(|ts| ts.get(r.key)) else {
            return String::new();
        };
        let first_line = doc.text[r.start..r.end].lines().next().unwrap_or("");
        let what = if t.tail && r.end == doc.text.len() {
            "removed with the rest of the document (a tail template in its \
             second half)"
        } else {
            "line removed"
        };
        let source = if t.source.is_empty() {
            "without a source field".to_string()
        } else {
            format!("of source '{}'", t.source)
        };
        let count = match t.rule {
            Rule::Builtin => "a built-in opener".to_string(),
            _ => format!(
                "a template ({} key) in {} of the {} documents {source}",
                t.rule.name(),
                t.docs,
                t.source_docs,
            ),
        };
        format!(
            "{}: byte {}: {what}: {count}: {}",
            doc.id,
            r.start,
            crate::report::show_controls(first_line)
        )
    }

    /// Cleans one document (in parallel with others).
    fn clean_one(&self, doc: &mut Document) -> Outcome {
        let asked = self.explain.as_deref() == Some(doc.id.as_str());
        let mut out = Outcome {
            drop: false,
            exact: false,
            removals: Vec::new(),
            lines: 0,
            bytes: 0,
            texts: Vec::new(),
            explained: asked.then(Vec::new),
        };
        if let Some(&i) = self.dropped.get(&doc.id) {
            let d = &self.cleaning.duplicates[i];
            if let Some(e) = &mut out.explained {
                e.push(Self::why_dropped(d));
            }
            out.drop = true;
            out.exact = d.kind == DupKind::Exact;
            out.bytes = doc.text.len() as u64;
            if self.mode == Mode::Mark {
                mark_duplicate(doc, d);
            }
            return out;
        }
        let Some(templates) = &self.cleaning.templates else { return out };
        templates.strip(doc, &mut out.removals);
        for r in &out.removals {
            let stretch = &doc.text[r.start..r.end];
            out.lines += stretch.lines().count().max(1) as u64;
            out.bytes += (r.end - r.start) as u64;
            let matched = &doc.text[r.start..r.matched_end];
            out.texts.push((r.key, matched.trim().to_string()));
            if let Some(e) = &mut out.explained {
                e.push(self.why_removed(doc, r));
            }
        }
        if out.removals.is_empty() {
            return out;
        }
        match self.mode {
            Mode::Remove => {
                doc.text = boilerplate::cut(&doc.text, &out.removals)
            }
            Mode::Mark => doc
                .meta
                .push(("korpus_template_lines".into(), out.lines.to_string())),
        }
        out
    }

    /// Adds one document's outcome to the record (in corpus order),
    /// unless a read before this one counted the document.
    fn record(&self, record: &mut Record, id: &str, o: Outcome) {
        if o.drop || !o.removals.is_empty() {
            let hash = BuildHasher::default().hash_one(id);
            if !record.counted.insert(hash) {
                return;
            }
        }
        let removed = &mut record.removed;
        if o.drop {
            removed.documents += 1;
            removed.exact += u64::from(o.exact);
        } else if !o.removals.is_empty() {
            removed.changed += 1;
        }
        removed.lines += o.lines;
        removed.bytes += o.bytes;
        for (key, text) in o.texts {
            let met = removed.met.entry(key).or_default();
            if met.docs == 0 {
                met.example_id = id.to_string();
                met.text = text;
            }
            met.docs += 1;
        }
        if let Some(e) = o.explained {
            removed.explained.get_or_insert_with(Vec::new).extend(e);
        }
    }
}

/// The word for a duplicate's kind in reports: `exact` or `near`.
pub fn kind_name(kind: DupKind) -> &'static str {
    match kind {
        DupKind::Exact => "exact",
        DupKind::Near => "near",
    }
}

/// Marks `doc` as a duplicate of `d.of_id` (mode [`Mode::Mark`]).
fn mark_duplicate(doc: &mut Document, d: &Duplicate) {
    let kind = format!("{} duplicate", kind_name(d.kind));
    doc.meta.push(("korpus_removed".into(), kind));
    doc.meta.push(("korpus_duplicate_of".into(), d.of_id.clone()));
    doc.meta
        .push(("korpus_similarity".into(), format!("{:.3}", d.similarity)));
}

impl Transform for Cleaner {
    fn apply(&self, docs: &mut Vec<Document>) {
        let outcomes: Vec<Outcome> =
            docs.par_iter_mut().map(|d| self.clean_one(d)).collect();
        let mut keep = Vec::with_capacity(docs.len());
        {
            let mut record = self.lock();
            for (doc, o) in docs.iter().zip(outcomes) {
                keep.push(!o.drop || self.mode == Mode::Mark);
                self.record(&mut record, &doc.id, o);
            }
        }
        let mut keep = keep.into_iter();
        docs.retain(|_| keep.next().unwrap_or(true));
    }
}

#[cfg(test)]
mod tests;
