//! Throughput of the analysis stages on the bundled real text
//! (`corpus/`, about 260 KB of Indonesian news): tokenize, tokenize +
//! normalize (the analyzer), analyzer + interning, and the analyzer with
//! lemmas (`--unit lemma`, warm and cold memo), against a
//! `split_whitespace` baseline. Each benchmark checks its answer inside
//! the timed closure, so a faster but wrong stage cannot win.

#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use korpus::analyze::{Analyzer, Scratch, Unit};
use korpus::intern::Interner;
use korpus::tokenize::{TokenizerOptions, tokenize};

fn corpus_text() -> String {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut text = String::new();
    for f in [
        "corpus/seed/000_45b6498bc7b02e87.txt",
        "corpus/leipzig/ind_news_2008_300K_sample1000-sentences.txt",
        "corpus/leipzig/ind_newscrawl_2016_10K_sample1000-sentences.txt",
    ] {
        text.push_str(
            &std::fs::read_to_string(format!("{root}/{f}")).unwrap(),
        );
        text.push('\n');
    }
    text
}

fn bench(c: &mut Criterion) {
    let text = corpus_text();
    let an = Analyzer::default();
    let mut scratch = Scratch::default();
    let mut expected = 0;
    an.analyze(&text, &mut scratch, |_, _| expected += 1);
    let mut all_tokens = Vec::new();
    tokenize(&text, &TokenizerOptions::default(), &mut all_tokens);
    let n_all = all_tokens.len();

    let mut g = c.benchmark_group("analyze");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("split_whitespace", |b| {
        b.iter(|| black_box(&text).split_whitespace().count())
    });
    let mut toks = Vec::new();
    g.bench_function("tokenize", |b| {
        b.iter(|| {
            tokenize(
                black_box(&text),
                &TokenizerOptions::default(),
                &mut toks,
            );
            assert_eq!(toks.len(), n_all);
        })
    });
    g.bench_function("tokenize+normalize", |b| {
        b.iter(|| {
            let mut n = 0;
            an.analyze(black_box(&text), &mut scratch, |_, t| {
                n += t.len().min(1)
            });
            assert_eq!(n, expected);
        })
    });
    g.bench_function("tokenize+normalize+intern", |b| {
        let mut interner = Interner::new();
        b.iter(|| {
            let mut n = 0;
            an.analyze(black_box(&text), &mut scratch, |_, t| {
                n += (interner.intern(t) != u32::MAX) as usize
            });
            assert_eq!(n, expected);
        })
    });
    // Lemmas (`--unit lemma`): the memo in the scratch persists across
    // iterations, as it does across a thread's documents (each distinct
    // word stemmed once); `cold` starts each pass with an empty memo, so
    // every type of the text is stemmed once per pass.
    let lemma_an = Analyzer { unit: Unit::Lemma, ..Analyzer::default() };
    let mut dukung = 0;
    lemma_an.analyze(&text, &mut Scratch::default(), |_, t| {
        dukung += (t == "dukung") as usize
    });
    assert!(dukung > 0);
    let mut lemma_scratch = Scratch::default();
    g.bench_function("tokenize+normalize+lemma", |b| {
        b.iter(|| {
            let (mut n, mut d) = (0, 0);
            lemma_an.analyze(black_box(&text), &mut lemma_scratch, |_, t| {
                n += 1;
                d += (t == "dukung") as usize;
            });
            assert_eq!((n, d), (expected, dukung));
        })
    });
    g.bench_function("tokenize+normalize+lemma cold", |b| {
        b.iter(|| {
            let mut cold = Scratch::default();
            let mut n = 0;
            lemma_an.analyze(black_box(&text), &mut cold, |_, _| n += 1);
            assert_eq!(n, expected);
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
