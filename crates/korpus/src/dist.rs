//! Where a count runs ([`Backend`]): in this process, or (cargo feature
//! `distributed`) on every process of a cluster, each counting its
//! share, the counters' state summed. Either way the result is the
//! same, byte for byte once written.
//!
//! The backend is a value in the [`crate::scan::Job`], not process-wide
//! state: [`crate::scan::run_anywhere`] runs any
//! [`crate::scan::Portable`] counter on it (`scan/summed.rs` sums the
//! state over a cluster). This module is the bottom of the distributed
//! path: it names nothing above [`cluster`], the transport (timely
//! dataflow), so the driver and every engine can hold a backend without
//! an import loop.
//!
//! One count keeps a path of its own: `colloc --all --parts`
//! ([`crate::nltk::pairs_in_parts`]), whose pairs are summed by key
//! where they meet and never gathered in one process.

#[cfg(feature = "distributed")]
pub mod cluster;

#[cfg(feature = "distributed")]
pub use cluster::{Cluster, Config, Secret};

use crate::error::Result;

/// Where the counts are made: created once per command line and put in
/// the [`crate::scan::Job`] of every count of the commands that can run distributed
/// (freq, ngrams, colloc, keyness).
///
/// Warnings go to the job's `warn` either way (a cluster's processes
/// each report those of their shares), but for
/// [`crate::nltk::pairs_in_parts`], whose workers report them to the
/// sink the cluster was made with (see `Cluster::new`).
#[derive(Debug, Default)]
pub enum Backend {
    /// This process counts the whole corpus, on its thread pool.
    #[default]
    Local,
    /// This process is one of a cluster's: it counts its workers'
    /// shares and every process receives the sums.
    #[cfg(feature = "distributed")]
    Cluster(Box<Cluster>),
}

impl Backend {
    /// Whether the counts are made by a cluster.
    pub fn is_distributed(&self) -> bool {
        !matches!(self, Backend::Local)
    }

    /// Whether this process writes the results (outputs, charts,
    /// provenance records): always, except in a cluster's processes
    /// other than 0, which compute the same results and write nothing.
    pub fn writes(&self) -> bool {
        match self {
            Backend::Local => true,
            #[cfg(feature = "distributed")]
            Backend::Cluster(c) => c.writes(),
        }
    }

    /// Ends the backend after a successful command: a cluster's workers
    /// stop and its connections close cleanly (see [`Cluster::finish`];
    /// after a failure, drop it instead).
    pub fn finish(self) -> Result<()> {
        match self {
            Backend::Local => Ok(()),
            #[cfg(feature = "distributed")]
            Backend::Cluster(c) => c.finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    #[cfg(feature = "distributed")]
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::analyze::Analyzer;
    use crate::colloc::{CollocOptions, Convention, Overlap, Within};
    use crate::corpus::{Corpus, Warning};
    use crate::error::Error;
    use crate::freq::FreqOptions;
    use crate::meta::{DocFilter, GroupBy};
    use crate::nltk::pairs_in_parts;
    use crate::query::Query;
    use crate::scan::{Counter, Portable, Subcorpus};

    /// Two documents, worked by hand below: "a b a" and "a c".
    fn corpus() -> (tempfile::TempDir, Corpus) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("0.txt"), "a b a").unwrap();
        std::fs::write(dir.path().join("1.txt"), "a c").unwrap();
        let inputs = [dir.path().display().to_string()];
        (dir, Corpus::open(&inputs, Default::default()).unwrap())
    }

    /// The backends to compare: this process, and (with the feature) a
    /// cluster of one process with two workers, each counting one file.
    fn backends() -> Vec<Backend> {
        #[allow(unused_mut)]
        let mut all = vec![Backend::Local];
        #[cfg(feature = "distributed")]
        all.push(Backend::Cluster(Box::new(Cluster::new(
            Config {
                threads: 2,
                processes: 1,
                process: 0,
                hosts: None,
                timeout: std::time::Duration::from_secs(5),
                secret: None,
                command: vec!["test".to_string()],
            },
            |w| panic!("no warning expected: {w}"),
            |_| {},
        ))));
        all
    }

    #[test]
    fn local_writes_and_is_not_distributed() {
        assert!(Backend::Local.writes());
        assert!(!Backend::Local.is_distributed());
        let (_dir, corpus) = corpus();
        let sub = Subcorpus {
            corpus: &corpus,
            analyzer: &Analyzer::default(),
            filter: &DocFilter::default(),
        };
        let parts =
            pairs_in_parts(&Backend::Local, &sub, 2, 1, 100, |_, _| Ok(0));
        assert!(matches!(parts, Err(Error::Usage(_))));
    }

    #[test]
    fn freq_list_is_the_same_on_every_backend() {
        let (_dir, corpus) = corpus();
        let an = Analyzer::default();
        let filter = DocFilter::default();
        let sub =
            Subcorpus { corpus: &corpus, analyzer: &an, filter: &filter };
        let opts = FreqOptions { ngram: 1, dp: true, cross_sentences: false };
        for backend in backends() {
            let mut quiet = |_: &Warning| {};
            let mut job = sub.job(&GroupBy::All, &backend, &mut quiet);
            let list = crate::freq::count_on(&mut job, &opts).unwrap();
            let g = &list.groups[0];
            assert_eq!((g.tokens, g.types, g.parts), (5, 3, 2));
            // Parts of 3/5 and 2/5 of the corpus. DP = half the sum of
            // |share of the item's hits - share of the corpus|:
            // a 2/3, 1/3 -> 1/15; b 1, 0 -> 0.4; c 0, 1 -> 0.6.
            let want =
                [("a", 3, 2, 1.0 / 15.0), ("b", 1, 1, 0.4), ("c", 1, 1, 0.6)];
            assert_eq!(g.rows.len(), want.len());
            for (r, (item, freq, range, dp)) in g.rows.iter().zip(want) {
                assert_eq!(
                    (r.item.as_str(), r.freq, r.range),
                    (item, freq, range)
                );
                assert!(
                    (r.dp.unwrap() - dp).abs() < 1e-12,
                    "{item}: {:?}",
                    r.dp
                );
                assert!(
                    (r.per_million - freq as f64 / 5.0 * 1e6).abs() < 1e-6
                );
            }
            backend.finish().unwrap();
        }
    }

    #[test]
    fn collocates_and_pairs_are_the_same_on_every_backend() {
        let (_dir, corpus) = corpus();
        let an = Analyzer::default();
        let filter = DocFilter::default();
        let sub =
            Subcorpus { corpus: &corpus, analyzer: &an, filter: &filter };
        let query = Query::parse("a", &an, false).unwrap();
        let opts = CollocOptions {
            left: 1,
            right: 1,
            within: Within::Document,
            convention: Convention::Window,
            overlap: Overlap::Each,
        };
        for backend in backends() {
            // "a b a": b right of the first a and left of the second
            // (counted in each window); "a c": c right of a.
            let mut quiet = |_: &Warning| {};
            let mut job = sub.job(&GroupBy::All, &backend, &mut quiet);
            let (mut groups, _) =
                crate::colloc::collocates_on(&mut job, &query, &opts).unwrap();
            let c = groups.pop().unwrap().1;
            assert_eq!((c.hits, c.tokens), (3, 5));
            let mut items: Vec<(&str, u64)> = c
                .items
                .iter()
                .map(|i| (i.item.as_str(), i.window_freq))
                .collect();
            items.sort();
            assert_eq!(items, [("b", 2), ("c", 1)]);
            // NLTK's window of 2: the pairs (a, b), (b, a) and (a, c).
            let mut quiet = |_: &Warning| {};
            let mut job = sub.job(&GroupBy::All, &backend, &mut quiet);
            let p = crate::nltk::pairs_on(&mut job, 2, 1, 100).unwrap();
            let mut pairs: Vec<(&str, &str, u64)> = p
                .pairs
                .iter()
                .map(|p| (p.w1.as_str(), p.w2.as_str(), p.count))
                .collect();
            pairs.sort();
            assert_eq!(pairs, [("a", "b", 1), ("a", "c", 1), ("b", "a", 1)]);
            assert_eq!(p.tokens, 5);
            backend.finish().unwrap();
        }
    }

    /// Every worker writes its part once; the rows of all parts are
    /// the pairs of the whole corpus, each in one part.
    #[cfg(feature = "distributed")]
    #[test]
    fn pairs_in_parts_writes_each_pair_in_one_part() {
        let (_dir, corpus) = corpus();
        let an = Analyzer::default();
        let filter = DocFilter::default();
        let sub =
            Subcorpus { corpus: &corpus, analyzer: &an, filter: &filter };
        let backend = backends().pop().unwrap();
        type Written = Vec<(usize, Vec<String>)>;
        let written: Arc<Mutex<Written>> = Arc::default();
        let w = written.clone();
        let (rows, parts) =
            pairs_in_parts(&backend, &sub, 2, 1, 100, move |index, p| {
                let pairs = p
                    .pairs
                    .iter()
                    .map(|p| format!("{} {}", p.w1, p.w2))
                    .collect();
                w.lock().unwrap().push((index, pairs));
                Ok(p.pairs.len() as u64)
            })
            .unwrap();
        assert_eq!((rows, parts), (3, 2));
        let mut written = written.lock().unwrap().clone();
        written.sort();
        assert_eq!(written.iter().map(|w| w.0).collect::<Vec<_>>(), [0, 1]);
        let mut all: Vec<String> =
            written.into_iter().flat_map(|w| w.1).collect();
        all.sort();
        assert_eq!(all, ["a b", "a c", "b a"]);
        assert!(!backend.writes() || backend.is_distributed());
        backend.finish().unwrap();
    }

    /// Each cluster is a value of its own (no process-wide session): two
    /// of different shapes count in turns while both are open.
    #[cfg(feature = "distributed")]
    #[test]
    fn two_clusters_live_in_one_process() {
        let (_dir, corpus) = corpus();
        let an = Analyzer::default();
        let filter = DocFilter::default();
        let sub =
            Subcorpus { corpus: &corpus, analyzer: &an, filter: &filter };
        let cluster = |threads| {
            let config = Config {
                threads,
                processes: 1,
                process: 0,
                hosts: None,
                timeout: std::time::Duration::from_secs(5),
                secret: None,
                command: Vec::new(),
            };
            Backend::Cluster(Box::new(Cluster::new(config, |_| {}, |_| {})))
        };
        let (a, b) = (cluster(2), cluster(1));
        let opts = FreqOptions { ngram: 1, dp: false, cross_sentences: false };
        for c in [&a, &b, &a] {
            let mut quiet = |_: &Warning| {};
            let mut job = sub.job(&GroupBy::All, c, &mut quiet);
            let list = crate::freq::count_on(&mut job, &opts).unwrap();
            assert_eq!(list.groups[0].tokens, 5);
            assert_eq!(list.groups[0].rows[0].freq, 3);
        }
        a.finish().unwrap();
        b.finish().unwrap();
    }

    /// Only process 0 of a cluster writes; a cluster not yet connected
    /// says so without connecting.
    #[cfg(feature = "distributed")]
    #[test]
    fn only_process_zero_writes() {
        for (process, writes) in [(0, true), (1, false)] {
            let config = Config {
                threads: 1,
                processes: 2,
                process,
                hosts: None,
                timeout: std::time::Duration::from_secs(1),
                secret: None,
                command: Vec::new(),
            };
            let backend = Backend::Cluster(Box::new(Cluster::new(
                config,
                |_| {},
                |_| {},
            )));
            assert_eq!(backend.writes(), writes);
            assert!(backend.is_distributed());
            if let Backend::Cluster(c) = backend {
                assert_eq!(c.workers(), 2);
                c.finish().unwrap();
            }
        }
    }
    /// A counter written for this test alone, distributed by its serde
    /// derives and nothing else: per group (the file), its tokens and
    /// the documents of at least two tokens.
    #[derive(Default, serde::Serialize, serde::Deserialize)]
    struct Lengths {
        per_group: std::collections::BTreeMap<String, (u64, u64)>,
    }

    impl Counter for Lengths {
        type Output = String;
        fn add(&mut self, doc: &crate::scan::Doc<'_>) {
            let mut n = 0;
            let mut scratch = crate::analyze::Scratch::default();
            let text = &doc.document.text;
            doc.analyzer.analyze(text, &mut scratch, |_, _| n += 1);
            let e = self.per_group.entry(doc.group.to_string()).or_default();
            e.0 += n;
            e.1 += u64::from(n >= 2);
        }
        fn merge(&mut self, other: Self) {
            for (g, (n, long)) in other.per_group {
                let e = self.per_group.entry(g).or_default();
                e.0 += n;
                e.1 += long;
            }
        }
        fn tokens(&self) -> Option<u64> {
            Some(self.per_group.values().map(|v| v.0).sum())
        }
        fn finish(self, scanned: &crate::scan::Scanned) -> Result<String> {
            let mut out = format!("{} kept\n", scanned.kept());
            for (g, (n, long)) in self.per_group {
                let name = g.rsplit('/').next().unwrap_or("").to_string();
                out.push_str(&format!("{name}\t{n}\t{long}\n"));
            }
            Ok(out)
        }
    }

    /// Five files, the tokens counted by hand: "a b a" 3, "a c" 2,
    /// "x" 1, "d e f g" 4, "" 0 (read, no token); documents of two
    /// tokens or more: 3.
    #[cfg(feature = "distributed")]
    const LENGTHS: &str = "5 kept\n0.txt\t3\t1\n1.txt\t2\t1\n\
        2.txt\t1\t0\n3.txt\t4\t1\n4.txt\t0\t0\n";

    /// Runs [`Lengths`] on `processes` processes of `threads` workers
    /// (threads of this test, connected on loopback); every process's
    /// result.
    #[cfg(feature = "distributed")]
    fn lengths_on(
        corpus: &Corpus,
        processes: usize,
        threads: usize,
    ) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        let hosts = dir.path().join("hosts");
        let listeners: Vec<std::net::TcpListener> = (0..processes)
            .map(|_| std::net::TcpListener::bind("127.0.0.1:0").unwrap())
            .collect();
        let lines: Vec<String> = listeners
            .iter()
            .map(|l| format!("127.0.0.1:{}\n", l.local_addr().unwrap().port()))
            .collect();
        drop(listeners);
        std::fs::write(&hosts, lines.concat()).unwrap();
        let secret = Secret::new(b"a test secret of 16+ bytes").unwrap();
        std::thread::scope(|scope| {
            let runs: Vec<_> = (0..processes)
                .map(|process| {
                    let config = Config {
                        threads,
                        processes,
                        process,
                        hosts: Some(hosts.clone()),
                        timeout: std::time::Duration::from_secs(20),
                        secret: Some(secret.clone()),
                        command: vec!["lengths".to_string()],
                    };
                    scope.spawn(move || {
                        let cluster = Cluster::new(config, |_| {}, |_| {});
                        let backend = Backend::Cluster(Box::new(cluster));
                        let an = Analyzer::default();
                        let (filter, by) =
                            (DocFilter::default(), GroupBy::Doc);
                        let sub = Subcorpus {
                            corpus,
                            analyzer: &an,
                            filter: &filter,
                        };
                        let mut quiet = |_: &Warning| {};
                        let mut job = sub.job(&by, &backend, &mut quiet);
                        let (out, _) = crate::scan::run_anywhere(
                            &mut job,
                            Lengths::default,
                        )
                        .unwrap();
                        backend.finish().unwrap();
                        out
                    })
                })
                .collect();
            runs.into_iter().map(|r| r.join().unwrap()).collect()
        })
    }

    /// The promise: a new counter is one type, and runs locally and
    /// distributed with no code beyond its derive. The same bytes here,
    /// on 1, 2 and 3 processes (and 2 workers each), in every process.
    #[test]
    fn a_derived_counter_runs_distributed_with_the_same_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let texts = ["a b a", "a c", "x", "d e f g", ""];
        for (i, t) in texts.iter().enumerate() {
            std::fs::write(dir.path().join(format!("{i}.txt")), t).unwrap();
        }
        let inputs = [dir.path().display().to_string()];
        let corpus = Corpus::open(&inputs, Default::default()).unwrap();
        let an = Analyzer::default();
        let (filter, by) = (DocFilter::default(), GroupBy::Doc);
        let sub =
            Subcorpus { corpus: &corpus, analyzer: &an, filter: &filter };
        let mut quiet = |_: &Warning| {};
        let mut job = sub.job(&by, &Backend::Local, &mut quiet);
        let (local, _) =
            crate::scan::run_anywhere(&mut job, Lengths::default).unwrap();
        // Saved and loaded, the state finishes as it was.
        let mut quiet = |_: &Warning| {};
        let mut job = sub.job(&by, &Backend::Local, &mut quiet);
        let (counter, scanned) =
            crate::scan::read(&mut job, Lengths::default).unwrap();
        let again = counter.load(&counter.save().unwrap()).unwrap();
        assert_eq!(again.finish(&scanned).unwrap(), local);
        #[cfg(feature = "distributed")]
        {
            assert_eq!(local, LENGTHS);
            for (processes, threads) in [(1, 1), (2, 1), (3, 1), (2, 2)] {
                for out in lengths_on(&corpus, processes, threads) {
                    assert_eq!(out, local, "{processes} x {threads}");
                }
            }
        }
    }
}
