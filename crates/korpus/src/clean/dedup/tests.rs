use super::*;
use crate::analyze::Analyzer;
use crate::corpus::{Corpus, Warning};
use crate::meta::{DocFilter, GroupBy};
use crate::scan::{Job, run};

/// `n` pseudo-random words (SplitMix64 over a syllable alphabet), so
/// texts of different seeds share almost no 5-word shingle.
fn words(seed: u64, n: usize) -> Vec<String> {
    const SYL: [&str; 16] = [
        "ka", "ri", "ma", "su", "to", "wi", "jo", "ha", "di", "ra", "be",
        "lu", "se", "no", "ya", "gu",
    ];
    let mut s = seed;
    (0..n)
        .map(|_| {
            s = s.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let r = super::super::minhash::mix64(s);
            (0..3).map(|i| SYL[((r >> (4 * i)) & 15) as usize]).collect()
        })
        .collect()
}

/// A temporary corpus of one `.txt` file per text, in this order.
fn corpus_of(texts: &[String]) -> (tempfile::TempDir, Corpus) {
    let dir = tempfile::tempdir().unwrap();
    for (i, t) in texts.iter().enumerate() {
        std::fs::write(dir.path().join(format!("{i:03}.txt")), t).unwrap();
    }
    let inputs = [dir.path().display().to_string()];
    (dir, Corpus::open(&inputs, Default::default()).unwrap())
}

/// The duplicates of `texts` on `threads` threads, through `scan::run`.
fn dups(
    texts: &[String],
    opts: &DedupOptions,
    threads: usize,
) -> Vec<Duplicate> {
    let (_dir, corpus) = corpus_of(texts);
    dups_in(&corpus, opts, threads)
}

/// The duplicates of `corpus` on `threads` threads.
fn dups_in(
    corpus: &Corpus,
    opts: &DedupOptions,
    threads: usize,
) -> Vec<Duplicate> {
    let pool =
        rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
    pool.install(|| {
        let analyzer = Analyzer::default();
        let filter = DocFilter::default();
        let mut warn = |_: &Warning| {};
        let mut job = Job {
            backend: &crate::dist::Backend::Local,
            corpus,
            analyzer: &analyzer,
            filter: &filter,
            by: &GroupBy::All,
            warn: &mut warn,
            keep_line: None,
        };
        run(&mut job, || DedupCounter::new(opts)).unwrap().0
    })
}

/// (ordinal, of_ordinal, kind) of each duplicate.
fn pairs(found: &[Duplicate]) -> Vec<(u64, u64, DupKind)> {
    found.iter().map(|d| (d.ordinal, d.of_ordinal, d.kind)).collect()
}

/// A 400-word text with 40 consecutive words (10%) replaced: the
/// copy keeps 356 − 4 = 352 of the original's 396 shingles of 5 and
/// has 44 new ones (the 40 positions and the 4 windows reaching into
/// them from before), J = 352 / (396 + 44) = 0.80, above the default
/// threshold.
fn edited(seed: u64) -> (String, String) {
    let orig = words(seed, 400);
    let mut copy = orig.clone();
    copy[200..240].clone_from_slice(&words(seed + 1000, 40));
    (orig.join(" "), copy.join(" "))
}

/// Identical texts, and texts that differ only in case, punctuation and
/// spacing, are exact duplicates of the first; an unrelated text is
/// kept.
#[test]
fn identical_documents_are_exact_duplicates() {
    let a = words(1, 50).join(" ");
    let shouted = format!("{}!!", a.to_uppercase().replace(' ', ",  "));
    let texts = [a.clone(), words(2, 50).join(" "), a, shouted];
    let found = dups(&texts, &DedupOptions::default(), 2);
    assert_eq!(
        pairs(&found),
        [(2, 0, DupKind::Exact), (3, 0, DupKind::Exact)]
    );
    assert!(found.iter().all(|d| d.similarity == 1.0));
    assert!(
        found[0].id.ends_with("002.txt")
            && found[0].of_id.ends_with("000.txt")
    );
}

/// A copy with 10% of its words changed is a near-duplicate with a
/// similarity near the J = 0.80 worked out at `edited`; an unrelated
/// text is not.
#[test]
fn edited_copy_is_caught_unrelated_is_not() {
    let (orig, copy) = edited(7);
    let texts = [orig, words(99, 400).join(" "), copy];
    let found = dups(&texts, &DedupOptions::default(), 1);
    assert_eq!(pairs(&found), [(2, 0, DupKind::Near)]);
    // 256 slots: standard error sqrt(0.8 · 0.2 / 256) = 0.025.
    let s = found[0].similarity;
    assert!((s - 0.80).abs() < 0.08, "{s}");
}

/// Corpus order decides which one is kept: swapping the two texts
/// swaps the roles.
#[test]
fn corpus_order_decides_which_is_kept() {
    let (orig, copy) = edited(3);
    let found =
        dups(&[orig.clone(), copy.clone()], &DedupOptions::default(), 1);
    assert_eq!(pairs(&found), [(1, 0, DupKind::Near)]);
    assert!(found[0].of_id.ends_with("000.txt"));
    let found = dups(&[copy, orig], &DedupOptions::default(), 1);
    assert_eq!(pairs(&found), [(1, 0, DupKind::Near)]);
}

/// A removed document is never the one named: B is a copy of A, C an
/// exact copy of B and D a near copy of B: C and D both name A (C as
/// a near-duplicate, with B's similarity to A).
#[test]
fn duplicates_name_the_earliest_kept_document() {
    let (a, b) = edited(11);
    let mut d = b.split(' ').map(String::from).collect::<Vec<_>>();
    d[300..303].clone_from_slice(&words(5000, 3));
    let texts = [a, b.clone(), b, d.join(" ")];
    let found = dups(&texts, &DedupOptions::default(), 2);
    assert_eq!(
        pairs(&found),
        [(1, 0, DupKind::Near), (2, 0, DupKind::Near), (3, 0, DupKind::Near)]
    );
    assert_eq!(found[1].similarity, found[0].similarity);
}

/// Forty documents in clusters of four (an original and three edited
/// copies) and singles: the same list on 1 and 4 threads, under both
/// schemes.
#[test]
fn same_list_for_any_thread_count() {
    let mut texts = Vec::new();
    for i in 0..10 {
        let (orig, copy) = edited(100 + i);
        texts.push(orig.clone());
        texts.push(copy);
        texts.push(words(200 + i, 300).join(" "));
        texts.push(orig);
    }
    let (_dir, corpus) = corpus_of(&texts);
    for scheme in [Scheme::OnePermutation, Scheme::Independent] {
        let opts = DedupOptions { scheme, ..DedupOptions::default() };
        let one = dups_in(&corpus, &opts, 1);
        let four = dups_in(&corpus, &opts, 4);
        assert_eq!(one, four, "{scheme:?}");
        // Per cluster: the copy (near) and the original again (exact).
        assert_eq!(one.len(), 20, "{scheme:?}: {:?}", pairs(&one));
    }
}

/// Options by name: each key changes its field; a threshold alone
/// picks its bands; bad keys, values and ranges are refused.
#[test]
fn options_from_str() {
    let o: DedupOptions =
        "shingle=7,bands=20,rows=5,seed=9,scheme=independent".parse().unwrap();
    assert_eq!((o.shingle, o.bands, o.rows, o.seed), (7, 20, 5, 9));
    assert_eq!(o.scheme, Scheme::Independent);
    assert_eq!("".parse::<DedupOptions>().unwrap(), DedupOptions::default());
    let o: DedupOptions = "threshold=0.8".parse().unwrap();
    assert_eq!(o.threshold, 0.8);
    // 28 × 9: see `minhash::tests::bands_for_by_hand`.
    assert_eq!((o.bands, o.rows), (28, 9));
    for bad in ["shingle=0", "threshold=1.5", "rows=x", "colour=red", "bands"]
    {
        let err = bad.parse::<DedupOptions>().err().unwrap().to_string();
        assert!(err.contains("dedup"), "{bad}: {err}");
    }
}

/// A cluster larger than a bucket's pairing limit: 24 copies of one
/// text, each with its own 3 words changed (not exact; J with the
/// first = (396 − 7) / (396 + 7) = 0.965), all name the first; and two
/// documents without a word (no shingle) are exact duplicates of each
/// other, never near ones.
#[test]
fn large_clusters_and_empty_documents() {
    let base = words(42, 400);
    let mut texts = vec![base.join(" ")];
    for i in 0..24 {
        let mut copy = base.clone();
        copy[10 * i..10 * i + 3].clone_from_slice(&words(900 + i as u64, 3));
        texts.push(copy.join(" "));
    }
    texts.push("...".into());
    texts.push("!!".into());
    let found = dups(&texts, &DedupOptions::default(), 2);
    let want: Vec<(u64, u64, DupKind)> = (1..=24)
        .map(|i| (i, 0, DupKind::Near))
        .chain([(26, 25, DupKind::Exact)])
        .collect();
    assert_eq!(pairs(&found), want);
}
