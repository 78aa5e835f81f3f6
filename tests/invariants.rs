//! Library invariants, checked with property tests: tokenizer spans are
//! in bounds, on character boundaries and ordered; the ASCII fast path
//! equals the general path; normalization is idempotent; parallel
//! counting equals sequential counting.

use korpus::analyze::Analyzer;
use korpus::normalize::{NormalizeOptions, normalize};
use korpus::tokenize::{TokenizerOptions, tokenize_span, tokens};
use proptest::prelude::*;

/// Text built from the pieces that make tokenizing hard.
fn messy_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("Tiongkok".to_string()),
        Just("negara-negara".to_string()),
        Just("DPRK-Tiongkok".to_string()),
        Just("1.000,50".to_string()),
        Just("dll.".to_string()),
        Just("&amp;".to_string()),
        Just("&#8217;".to_string()),
        Just("&".to_string()),
        Just("https://a.id/x?y=1".to_string()),
        Just("@user".to_string()),
        Just("#tag".to_string()),
        Just("👍🏽".to_string()),
        Just("\u{00AD}".to_string()),
        Just("\u{200B}".to_string()),
        Just("é".to_string()),
        Just("e\u{0301}".to_string()),
        Just("İ".to_string()),
        Just("'".to_string()),
        Just("-".to_string()),
        Just(".".to_string()),
        Just(" ".to_string()),
        Just("\n\n".to_string()),
        "[a-zA-Z0-9]{1,6}",
        any::<char>().prop_map(|c| c.to_string()),
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    // 400 cases in CI; PROPTEST_CASES=N for a longer local run.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(400),
        ..ProptestConfig::default()
    })]

    #[test]
    fn spans_are_in_bounds_on_boundaries_and_ordered(text in messy_text()) {
        for opts in [
            TokenizerOptions::default(),
            TokenizerOptions { split_clitics: true, ..Default::default() },
            TokenizerOptions { decode_entities: false, ..Default::default() },
        ] {
            let toks = tokens(&text, &opts);
            let mut last = 0;
            for t in &toks {
                prop_assert!(t.start < t.end && t.end <= text.len());
                prop_assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
                prop_assert!(t.start >= last, "overlap at {}", t.start);
                last = t.end;
            }
        }
    }

    #[test]
    fn ascii_fast_path_equals_general_path(text in "[ -~\n]{0,80}") {
        let fast = tokens(&text, &TokenizerOptions::default());
        let general = tokens(&text, &TokenizerOptions { ascii_fast_path: false, ..Default::default() });
        prop_assert_eq!(fast, general);
    }

    /// Words glued to entities, digits and separators: the cases where
    /// the fast path must hand over to the general one (a regression:
    /// `Tiong&#107;ok` once split).
    #[test]
    fn ascii_fast_path_equals_general_path_around_entities(
        parts in prop::collection::vec(
            prop::sample::select(vec![
                "Tiong", "kok", "&#107;", "&#x6B;", "&amp;", "&shy;", "&", "#", ";",
                "12", ".", ",", ":", "/", " ", "-", "'", "nya", "\n",
            ]),
            0..16,
        )
    ) {
        let text = parts.concat();
        let fast = tokens(&text, &TokenizerOptions::default());
        let general = tokens(&text, &TokenizerOptions { ascii_fast_path: false, ..Default::default() });
        prop_assert_eq!(fast, general);
    }

    #[test]
    fn normalization_is_idempotent(text in "\\PC{0,20}") {
        // Without entity decoding: "&amp;amp;" decodes one level per pass.
        let opts = NormalizeOptions { decode_entities: false, ..Default::default() };
        let once = normalize(&text, &opts);
        prop_assert_eq!(normalize(&once, &opts), once.clone());
        let lossy = NormalizeOptions { strip_diacritics: true, fold_quotes: true, fold_dashes: true, ..opts };
        let once = normalize(&text, &lossy);
        prop_assert_eq!(normalize(&once, &lossy), once);
    }

    /// A chunk (a run of bytes above 0x20) has the tokens the whole
    /// text has there, and when `tokenize_span` says they depend on its
    /// bytes alone, the chunk as a text of its own has them too: what
    /// `korpus::chunks` relies on to remember a chunk's terms.
    #[test]
    fn chunks_have_the_tokens_of_the_whole_text(
        parts in prop::collection::vec(
            prop_oneof![
                messy_text(),
                prop::sample::select(vec![
                    "J.", "A.", " Smith", " kecil", "\t", "\r\n", "\u{1}", "\u{7f}", "www.", "http://",
                    "&amp", "&#32;", "&nbsp;", "Rp", "1.", "e.g.", "U.S.", "-", "—", "'s", "n't",
                ]).prop_map(str::to_string),
            ],
            0..12,
        )
    ) {
        let text = parts.concat();
        for opts in [
            TokenizerOptions::default(),
            TokenizerOptions { split_clitics: true, ..Default::default() },
            TokenizerOptions { ascii_fast_path: false, ..Default::default() },
        ] {
            let key = |t: &korpus::tokenize::Token, shift: usize| (t.start + shift, t.end + shift, t.class);
            let whole: Vec<_> = tokens(&text, &opts).iter().map(|t| key(t, 0)).collect();
            let bytes = text.as_bytes();
            let mut got = Vec::new();
            let mut i = 0;
            while i < bytes.len() {
                if bytes[i] <= b' ' { i += 1; continue; }
                let start = i;
                while i < bytes.len() && bytes[i] > b' ' { i += 1; }
                let mut span = Vec::new();
                let alone = tokenize_span(&text, start, i, &opts, &mut span);
                if alone {
                    let own: Vec<_> = tokens(&text[start..i], &opts).iter().map(|t| key(t, start)).collect();
                    let here: Vec<_> = span.iter().map(|t| key(t, 0)).collect();
                    prop_assert_eq!(own, here, "chunk {:?}", &text[start..i]);
                }
                got.extend(span.iter().map(|t| key(t, 0)));
            }
            prop_assert_eq!(got, whole);
        }
    }

    /// A query of single words gives the same concordance with the
    /// pre-filter, which analyzes only the chunks holding the words and
    /// counts the other chunks' tokens (`korpus::kwic`), and without it,
    /// every document tokenized whole: positions, spans, contexts and
    /// sort keys, with three analyzers (the default; every class counted;
    /// split hyphens and clitics).
    #[test]
    fn kwic_by_chunks_equals_kwic_of_whole_documents(
        // Long texts with the words now and then, so that stretches far
        // from them are counted a block at a time, and long chunks that
        // push a left context out of the bytes walked chunk by chunk.
        parts in prop::collection::vec(
            prop_oneof![
                12 => "[a-zA-Z]{1,9}[,.]?",
                3 => "[a-zA-Z0-9,.()\"'/:-]{1,8}",
                2 => prop::sample::select(vec![
                    "Tiongkok", "tiongkok,", "TIONGKOK.", "(Tiongkok)", "Tiongkok-AS", "Tiongkoknya",
                    "\"Tiongkok\"", "dll.", "J.", "Dr.", "a.", "1.000,50", "e-mail", "negara-negara",
                    ",", ".", "...", "“Tiongkok”", "Tiongkok’s", "é", " ", " ", "  ", "\n", "\t", "\r\n",
                    "bukunya", "rumahku,", "dialah.", "apakah", "kaulihat", "pun",
                ]).prop_map(str::to_string),
                1 => messy_text(),
                1 => "[a-z]{40,120}[,.]?",
            ],
            0..160,
        )
    ) {
        use korpus::analyze::ClassSet;
        use korpus::corpus::Corpus;
        use korpus::kwic::{Context, KwicOptions, SortKey, concordance};
        use korpus::meta::DocFilter;
        use korpus::query::Query;
        use korpus::tokenize::HyphenPolicy;
        // Spaces between the parts, mostly, so that words stand alone.
        let text = parts.join(" ");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, &text).unwrap();
        let corpus = Corpus::open(&[path.display().to_string()], Default::default()).unwrap();
        let all = Analyzer { classes: ClassSet::ALL, ..Analyzer::default() };
        let mut split = Analyzer::default();
        split.tokenizer.hyphens = HyphenPolicy::Split;
        split.tokenizer.split_clitics = true;
        let cases = [
            (Analyzer::default(), Context::Tokens(3, 3), vec![SortKey::Right(1)]),
            (all, Context::Tokens(2, 5), vec![SortKey::Left(2), SortKey::Node]),
            (split, Context::Chars(10), vec![SortKey::Left(1)]),
        ];
        for (an, context, sort) in cases {
            let query = Query::parse("tiongkok|dll|negara", &an, false).unwrap();
            let lines = |prefilter: bool| {
                let opts = KwicOptions { context, sort: sort.clone(), prefilter, ..Default::default() };
                let mut out = Vec::new();
                let (summary, _) = concordance(
                    &corpus, &an, &DocFilter::default(), &query, &opts, &mut |_| {},
                    &mut |l| { out.push(l.clone()); Ok(()) },
                ).unwrap();
                (out, summary.hits)
            };
            prop_assert_eq!(lines(true), lines(false), "{:?}", text);
        }
    }

    #[test]
    fn analyzer_terms_never_panic(text in messy_text()) {
        let mut scratch = korpus::analyze::Scratch::default();
        let mut n = 0;
        Analyzer::default().analyze(&text, &mut scratch, |_, t| { n += t.len(); });
        prop_assert!(n <= text.len() * 4);
    }
}

/// Counting with 1 thread and with 4 gives the same list (words and
/// bigrams, by file, with DP: the threads' counts are merged, and DP is
/// read back through each thread's id map).
#[test]
fn parallel_counting_equals_sequential() {
    use korpus::corpus::Corpus;
    use korpus::freq::{FreqOptions, count};
    use korpus::meta::{DocFilter, GroupBy};
    let root = env!("CARGO_MANIFEST_DIR");
    let corpus =
        Corpus::open(&[format!("{root}/corpus")], Default::default()).unwrap();
    let run = |threads: usize, ngram: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            count(
                &corpus,
                &Analyzer::default(),
                &DocFilter::default(),
                &GroupBy::File,
                &FreqOptions { ngram, dp: true, cross_sentences: false },
                &mut |_| {},
            )
            .unwrap()
        })
    };
    for ngram in [1, 2] {
        let one = run(1, ngram);
        let four = run(4, ngram);
        assert_eq!(one.groups.len(), four.groups.len());
        let rows = one.groups.iter().flat_map(|g| &g.rows);
        assert!(rows.clone().any(|r| r.dp.is_some_and(|d| d > 0.0)));
        for (a, b) in one.groups.iter().zip(&four.groups) {
            assert_eq!(a.rows, b.rows, "group {} n={ngram}", a.group);
        }
    }
}
