//! Throughput of the engines in MB/s of input: `freq` (with and without
//! Gries' DP, 1 and 2 threads), `kwic` (with and without the literal
//! pre-filter), `stats`, `colloc` (a full pass, and from a kept
//! frequency table) and `keyness` (the measures over two frequency
//! lists), on the bundled `corpus/`
//! and on a 20 MB JSON Lines corpus generated at bench time from its
//! sentences (deterministic). Each benchmark checks its answer.
#![allow(missing_docs)]

use std::io::Write;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use korpus::analyze::Analyzer;
use korpus::corpus::Corpus;
use korpus::freq::{FreqOptions, count};
use korpus::meta::{DocFilter, GroupBy};
use korpus::stats::{StatsOptions, compute};

fn sentences() -> Vec<String> {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut out = Vec::new();
    for f in [
        "corpus/leipzig/ind_news_2008_300K_sample1000-sentences.txt",
        "corpus/leipzig/ind_newscrawl_2016_10K_sample1000-sentences.txt",
    ] {
        let text = std::fs::read_to_string(format!("{root}/{f}")).unwrap();
        out.extend(
            text.lines()
                .filter_map(|l| l.split_once('\t'))
                .map(|(_, s)| s.to_string()),
        );
    }
    out
}

/// A JSONL corpus of about `mb` MB: documents of 20 sentences chosen
/// by a fixed-step walk through the sentence list.
fn generated(dir: &std::path::Path, mb: usize) -> (std::path::PathBuf, u64) {
    let sents = sentences();
    let path = dir.join("bench.jsonl");
    let mut out =
        std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let (mut written, mut k, mut id) = (0usize, 0usize, 0u64);
    while written < mb << 20 {
        let text: Vec<&str> = (0..20)
            .map(|j| sents[(k + j * 7919) % sents.len()].as_str())
            .collect();
        k += 31;
        id += 1;
        let source = ["a", "b", "c"][id as usize % 3];
        let line = serde_json::json!({"id": id, "source": source, "text": text.join(" ")}).to_string();
        writeln!(out, "{line}").unwrap();
        written += line.len() + 1;
    }
    out.flush().unwrap();
    (path, written as u64)
}

fn freq_tokens(corpus: &Corpus, dp: bool) -> u64 {
    let list = count(
        corpus,
        &Analyzer::default(),
        &DocFilter::default(),
        &GroupBy::All,
        &FreqOptions { ngram: 1, dp, cross_sentences: false },
        &mut |_| {},
    )
    .unwrap();
    list.groups[0].tokens
}

fn bench(c: &mut Criterion) {
    let root = env!("CARGO_MANIFEST_DIR");
    let dir = tempfile::tempdir().unwrap();
    let (path, bytes) = generated(dir.path(), 20);
    let small =
        Corpus::open(&[format!("{root}/corpus")], Default::default()).unwrap();
    let small_bytes: u64 = walk_bytes(&format!("{root}/corpus"));
    let big = Corpus::open(&[path.display().to_string()], Default::default())
        .unwrap();
    let small_tokens = freq_tokens(&small, false);
    let big_tokens = freq_tokens(&big, false);

    let mut g = c.benchmark_group("engines");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(small_bytes));
    g.bench_function("freq/corpus", |b| {
        b.iter(|| assert_eq!(freq_tokens(&small, true), small_tokens))
    });
    g.throughput(Throughput::Bytes(bytes));
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        g.bench_function(
            format!("freq/20MB-jsonl/dp/{threads}-threads"),
            |b| {
                b.iter(|| {
                    pool.install(|| {
                        assert_eq!(freq_tokens(&big, true), big_tokens)
                    })
                })
            },
        );
        g.bench_function(
            format!("freq/20MB-jsonl/no-dp/{threads}-threads"),
            |b| {
                b.iter(|| {
                    pool.install(|| {
                        assert_eq!(freq_tokens(&big, false), big_tokens)
                    })
                })
            },
        );
    }
    let an = Analyzer::default();
    let query = korpus::query::Query::parse("Tiongkok|China|Cina", &an, false)
        .unwrap();
    let kwic_hits = |prefilter: bool| {
        let opts =
            korpus::kwic::KwicOptions { prefilter, ..Default::default() };
        let mut n = 0u64;
        korpus::kwic::concordance(
            &big,
            &an,
            &DocFilter::default(),
            &query,
            &opts,
            &mut |_| {},
            &mut |_| {
                n += 1;
                Ok(())
            },
        )
        .unwrap();
        n
    };
    let expected_hits = kwic_hits(false);
    assert!(expected_hits > 0);
    g.bench_function("kwic/20MB-jsonl/prefilter", |b| {
        b.iter(|| assert_eq!(kwic_hits(true), expected_hits))
    });
    g.bench_function("kwic/20MB-jsonl/no-prefilter", |b| {
        b.iter(|| assert_eq!(kwic_hits(false), expected_hits))
    });
    g.bench_function("stats/20MB-jsonl", |b| {
        b.iter(|| {
            let s = compute(
                &big,
                &Analyzer::default(),
                &DocFilter::default(),
                &GroupBy::All,
                &StatsOptions::default(),
                &mut |_| {},
            )
            .unwrap();
            assert_eq!(s.groups[0].tokens, big_tokens);
        })
    });
    let node = korpus::query::Query::parse("Tiongkok", &an, false).unwrap();
    let copts = korpus::colloc::CollocOptions::default();
    let f = DocFilter::default();
    let (full, table) = korpus::colloc::collocates_and_freqs(
        &big,
        &an,
        &f,
        &node,
        &copts,
        &mut |_| {},
    )
    .unwrap();
    g.bench_function("colloc/20MB-jsonl/full-pass", |b| {
        b.iter(|| {
            let c = korpus::colloc::collocates(
                &big,
                &an,
                &f,
                &node,
                &copts,
                &mut |_| {},
            )
            .unwrap();
            assert_eq!(c.slots, full.slots);
        })
    });
    g.bench_function("colloc/20MB-jsonl/kept-frequencies", |b| {
        b.iter(|| {
            let c = korpus::colloc::collocates_with_freqs(
                &big,
                &an,
                &f,
                &node,
                &copts,
                &mut |_| Ok(table.clone()),
                &mut |_| {},
            )
            .unwrap();
            assert_eq!(c.slots, full.slots);
        })
    });
    let list = |corpus: &Corpus| {
        count(
            corpus,
            &an,
            &f,
            &GroupBy::All,
            &FreqOptions { ngram: 1, dp: false, cross_sentences: false },
            &mut |_| {},
        )
        .unwrap()
        .groups
        .remove(0)
    };
    let (target, reference) = (list(&big), list(&small));
    // The measures over the two lists: items per second, not bytes.
    g.throughput(Throughput::Elements(target.rows.len() as u64));
    g.bench_function("keyness/20MB-vs-corpus/measures", |b| {
        b.iter(|| {
            let k = korpus::keyness::keywords(
                &target,
                &reference,
                &korpus::keyness::KeynessOptions::default(),
            );
            assert!(k.tested > 0);
        })
    });
    g.finish();
}

fn walk_bytes(dir: &str) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_type().is_file()
                && e.path().extension().is_some_and(|x| x == "txt")
        })
        .map(|e| e.metadata().unwrap().len())
        .sum()
}

criterion_group!(benches, bench);
criterion_main!(benches);
