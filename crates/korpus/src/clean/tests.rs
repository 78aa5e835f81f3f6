//! The cleaning plan and its application, on corpora written here.

use std::sync::Arc;

use super::*;
use crate::corpus::ReadOptions;

/// The prose of document `i`: words no other document has, so no line
/// of it recurs.
fn prose(i: usize) -> String {
    format!(
        "Warga desa nomor{i} menanam padi{i} di sawah keluarga{i} sejak \
         pagi{i}.\nPanen kali{i} ini diperkirakan naik{i} dua kali lipat."
    )
}

/// Source `a`: 10 pages with the line "Ikuti kanal kami di aplikasi
/// pesan" (a line template: 10 of 10 documents), 6 of them ending with
/// a summary that opens "Berikut adalah ringkasan berita dalam satu
/// paragraf:" (an opener in their second half: a tail) followed by a
/// paragraph of its own. Source `b`: 10 pages, 2 with the line (2 < 5
/// documents: not a template there). Document a3 is a copy of a1.
fn pages() -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for i in 0..10 {
        let mut text =
            format!("{}\nIkuti kanal kami di aplikasi pesan", prose(i));
        if i < 6 {
            text.push_str(&format!(
                "\nBerikut adalah ringkasan berita dalam satu paragraf: \
                 ringkasan{i} singkat.\nSisi lucu{i} dari berita ini."
            ));
        }
        out.push((format!("a{i}"), "a".to_string(), text));
    }
    out[3].2 = out[1].2.clone();
    for i in 10..20 {
        let mut text = prose(i);
        if i < 12 {
            text.push_str("\nIkuti kanal kami di aplikasi pesan");
        }
        out.push((format!("b{i}"), "b".to_string(), text));
    }
    out
}

fn corpus_of(
    pages: &[(String, String, String)],
) -> (tempfile::TempDir, Corpus) {
    let dir = tempfile::tempdir().unwrap();
    let mut jsonl = String::new();
    for (id, source, text) in pages {
        let v =
            serde_json::json!({ "id": id, "source": source, "text": text });
        jsonl.push_str(&v.to_string());
        jsonl.push('\n');
    }
    let path = dir.path().join("pages.jsonl");
    std::fs::write(&path, jsonl).unwrap();
    let inputs = [path.display().to_string()];
    (dir, Corpus::open(&inputs, ReadOptions::default()).unwrap())
}

/// The path of the corpus's one file, as its documents' ids start.
fn corpus_path(corpus: &Corpus) -> String {
    let mut first = None;
    corpus
        .scan(&mut |_| {}, &mut |batch| {
            first =
                first.take().or_else(|| batch.first().map(|d| d.id.clone()));
            Ok(())
        })
        .unwrap();
    let id = first.unwrap();
    id.rsplit_once(':').unwrap().0.to_string()
}

fn both() -> CleanOptions {
    CleanOptions {
        dedup: Some(DedupOptions::default()),
        boilerplate: Some(BoilerplateOptions::default()),
    }
}

/// Plans and applies on `threads` threads: the documents as read after
/// cleaning (their `id` field and text) and what was removed.
fn clean_on(
    corpus: &mut Corpus,
    opts: &CleanOptions,
    mode: Mode,
    threads: usize,
) -> (Vec<(String, String)>, Removed, Vec<Document>) {
    let pool =
        rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
    pool.install(|| {
        corpus.set_transform(None);
        let cleaning = plan(corpus, opts).unwrap();
        let a1 = format!("{}:2", corpus_path(corpus));
        let cleaner = Arc::new(Cleaner::new(cleaning, mode, Some(a1)));
        let dyn_cleaner: Arc<dyn Transform> = cleaner.clone();
        corpus.set_transform(Some(dyn_cleaner));
        let mut docs = Vec::new();
        corpus
            .scan(&mut |_| {}, &mut |batch| {
                docs.extend(batch);
                Ok(())
            })
            .unwrap();
        let rows = docs
            .iter()
            .map(|d| (d.get("id").unwrap().to_string(), d.text.clone()))
            .collect();
        (rows, cleaner.removed(), docs)
    })
}

/// By hand: a3 (a copy of a1) is dropped; in source a the template line
/// goes from all 9 kept pages, and from the 5 kept pages with a summary
/// the summary opener and the line after it (the tail); in source b
/// nothing goes (the line is in 2 of its pages only).
#[test]
fn plan_drops_copies_and_strips_templates_per_source() {
    let pages = pages();
    let (_d, mut corpus) = corpus_of(&pages);
    let (rows, removed, _) = clean_on(&mut corpus, &both(), Mode::Remove, 2);
    let ids: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(ids.len(), 19);
    assert!(!ids.contains(&"a3"));
    for (id, text) in &rows {
        let i: usize = id[1..].parse().unwrap();
        if id.starts_with('a') {
            // Only the prose is left.
            assert_eq!(text.trim_end(), prose(i), "{id}");
        } else {
            let orig = &pages.iter().find(|p| &p.0 == id).unwrap().2;
            assert_eq!(text, orig, "{id}");
        }
    }
    assert_eq!(removed.documents, 1);
    assert_eq!(removed.changed, 9);
    // 9 template lines, and 5 tails of 2 lines each.
    assert_eq!(removed.lines, 9 + 5 * 2);
    // Two templates met: the line (a) and the opener (a).
    let mut met: Vec<(u64, String)> =
        removed.met.values().map(|m| (m.docs, m.text.clone())).collect();
    met.sort();
    assert_eq!(
        met,
        [
            (5, "Berikut adalah ringkasan berita dalam".to_string()),
            (9, "Ikuti kanal kami di aplikasi".to_string()),
        ]
    );
    // Document pages.jsonl:2 is a1: its two removals explained.
    let explained = removed.explained.unwrap();
    assert_eq!(explained.len(), 2, "{explained:?}");
    assert!(
        explained[0].contains(
            "a template (opener key) in 10 of the 10 documents of source 'a'"
        ),
        "{explained:?}"
    );
    assert!(
        explained[1].contains("the rest of the document"),
        "{explained:?}"
    );
}

/// The same documents, texts and record on 1 and 4 threads.
#[test]
fn cleaning_does_not_depend_on_threads() {
    let (_d, mut corpus) = corpus_of(&pages());
    let (a, ra, _) = clean_on(&mut corpus, &both(), Mode::Remove, 1);
    let (b, rb, _) = clean_on(&mut corpus, &both(), Mode::Remove, 4);
    assert_eq!(a, b);
    let sorted = |r: &Removed| {
        let mut v: Vec<_> =
            r.met.iter().map(|(k, m)| (*k, m.clone())).collect();
        v.sort_by_key(|x| x.0);
        v
    };
    assert_eq!(sorted(&ra), sorted(&rb));
}

/// Mark mode keeps every document and text as read and says what would
/// go; thresholds are options (a template needs 11 documents: none).
#[test]
fn mark_mode_and_thresholds() {
    let pages = pages();
    let (_d, mut corpus) = corpus_of(&pages);
    let (rows, _, docs) = clean_on(&mut corpus, &both(), Mode::Mark, 2);
    assert_eq!(rows.len(), 20);
    for ((_, text), page) in rows.iter().zip(&pages) {
        assert_eq!(text, &page.2);
    }
    let a1 = format!("{}:2", corpus_path(&corpus));
    assert_eq!(docs[3].get("korpus_duplicate_of"), Some(a1.as_str()));
    assert_eq!(docs[3].get("korpus_removed"), Some("exact duplicate"));
    // a0: the template line and the 2-line tail.
    assert_eq!(docs[0].get("korpus_template_lines"), Some("3"));
    assert_eq!(docs[10].get("korpus_template_lines"), None);

    let strict = CleanOptions {
        dedup: None,
        boilerplate: Some(BoilerplateOptions {
            min_docs: 11,
            ..Default::default()
        }),
    };
    let (rows, removed, _) = clean_on(&mut corpus, &strict, Mode::Remove, 2);
    assert_eq!(rows.len(), 20);
    assert_eq!(removed.lines, 0);
}

/// Built-in openers go in every source, however rare: one syndication
/// line in one page of 20.
#[test]
fn builtin_openers_add_to_learned_ones() {
    let mut pages = pages();
    pages[15].2.push_str(
        "\nArtikel ini telah tayang di Contoh.id dengan judul \"Padi\"",
    );
    let (_d, mut corpus) = corpus_of(&pages);
    let (rows, _, _) = clean_on(&mut corpus, &both(), Mode::Remove, 2);
    let b15 = rows.iter().find(|r| r.0 == "b15").unwrap();
    assert_eq!(b15.1.trim_end(), prose(15));
    let off = CleanOptions {
        dedup: None,
        boilerplate: Some(BoilerplateOptions {
            builtin: false,
            ..Default::default()
        }),
    };
    let (rows, _, _) = clean_on(&mut corpus, &off, Mode::Remove, 2);
    let b15 = rows.iter().find(|r| r.0 == "b15").unwrap();
    assert!(b15.1.contains("Artikel ini telah tayang"));
}

/// The article of page `i` of [`commented`]: `n` lines, each with words
/// of its own.
fn article(i: usize, n: usize) -> String {
    let lines: Vec<String> = (0..n)
        .map(|j| {
            format!(
                "Line{j} of story{i} tells how harbour{i}x{j} crews \
                 loaded crates{i}x{j} before dawn{i}x{j}."
            )
        })
        .collect();
    lines.join("\n")
}

/// Made-up pages of one source: 12 end with an appended comment that
/// opens "Now let us ..." with one of four wordings (each in 3 pages,
/// under `min_docs`), then lines of their own; 8 have no comment. Page
/// 20 is a long article whose own line "Now let us ..." stands in its
/// second half but far from the end (over twice the comments' mean
/// distance from the end); page 21 has the words in its first half.
fn commented() -> Vec<(String, String, String)> {
    let verbs = ["look at", "weigh", "consider", "turn to"];
    let mut out = Vec::new();
    for i in 0..20 {
        let mut text = article(i, 6);
        if i < 12 {
            text.push_str(&format!(
                "\nNow let us {} the good and bad of story{i}.\nOn one \
                 hand{i} the crews{i} were fast.\nOn the other{i} the \
                 crates{i} were late.",
                verbs[i % 4]
            ));
        }
        out.push((format!("s{i}"), "s".to_string(), text));
    }
    let own = "Now let us hear the harbour master20, said the mayor20.";
    let long = format!("{}\n{own}\n{}", article(20, 8), article(120, 5));
    out.push(("s20".into(), "s".into(), long));
    let early = format!("{own}\n{}", article(21, 6));
    out.push(("s21".into(), "s".into(), early));
    out
}

/// The comments go (from their opener to the end), whatever their
/// wording; the articles stay whole, page 20's own "Now let us" line
/// (too far from the end) and page 21's (in its first half) too.
#[test]
fn tail_openers_remove_appended_blocks_of_varying_wording() {
    let pages = commented();
    let (_d, mut corpus) = corpus_of(&pages);
    let only = CleanOptions {
        dedup: None,
        boilerplate: Some(BoilerplateOptions::default()),
    };
    let (rows, removed, _) = clean_on(&mut corpus, &only, Mode::Remove, 2);
    for ((id, text), page) in rows.iter().zip(&pages) {
        let i: usize = id[1..].parse().unwrap();
        let want = if i < 20 { article(i, 6) } else { page.2.clone() };
        assert_eq!(text.trim_end(), want, "{id}");
    }
    assert_eq!(removed.changed, 12);
    assert_eq!(removed.lines, 12 * 3);
    corpus.set_transform(None);
    let templates = plan(&corpus, &only).unwrap().templates.unwrap();
    let tails: Vec<_> =
        templates.learned().filter(|(_, t)| t.rule == Rule::Tail).collect();
    // "now let us": late in 12 pages and 20, early in 21: 13 of 14.
    assert_eq!(tails.len(), 1, "{tails:?}");
    assert_eq!(tails[0].1.docs, 13);
    assert!(tails[0].1.tail);
}

/// Without tail openers (0 words), a shorter reach, or a stricter
/// share of late documents, the comments stay.
#[test]
fn tail_openers_follow_their_options() {
    let pages = commented();
    let (_d, mut corpus) = corpus_of(&pages);
    let with = |opts: BoilerplateOptions| CleanOptions {
        dedup: None,
        boilerplate: Some(opts),
    };
    let cases = [
        (
            "tail_words 0",
            BoilerplateOptions { tail_words: 0, ..Default::default() },
        ),
        (
            "tail_reach 0.5",
            BoilerplateOptions { tail_reach: 0.5, ..Default::default() },
        ),
        (
            "tail_share 1",
            BoilerplateOptions { tail_share: 1.0, ..Default::default() },
        ),
        (
            "min_docs 14",
            BoilerplateOptions { min_docs: 14, ..Default::default() },
        ),
    ];
    for (name, opts) in cases {
        let (rows, removed, _) =
            clean_on(&mut corpus, &with(opts), Mode::Remove, 2);
        let kept = rows.iter().filter(|r| r.1.contains("Now let us")).count();
        // tail_reach 0.5 still removes the comments nearest the end.
        if name == "tail_reach 0.5" {
            assert!(kept > 2 && removed.changed < 12, "{name}: {kept}");
        } else {
            assert_eq!((kept, removed.changed), (14, 0), "{name}");
        }
    }
}

/// A corpus read twice through one cleaner (as `colloc --vs` reads it)
/// removes the same again, but counts each document once: the record
/// after two reads is the record after one.
#[test]
fn a_second_read_counts_nothing_twice() {
    let (_d, mut corpus) = corpus_of(&pages());
    let (_, once, _) = clean_on(&mut corpus, &both(), Mode::Remove, 2);
    corpus.set_transform(None);
    let cleaning = plan(&corpus, &both()).unwrap();
    let cleaner = Arc::new(Cleaner::new(cleaning, Mode::Remove, None));
    let dyn_cleaner: Arc<dyn Transform> = cleaner.clone();
    corpus.set_transform(Some(dyn_cleaner));
    let mut kept = [0usize; 2];
    for read in &mut kept {
        corpus
            .scan(&mut |_| {}, &mut |batch| {
                *read += batch.len();
                Ok(())
            })
            .unwrap();
    }
    // Both reads drop the copy.
    assert_eq!(kept, [19, 19]);
    let twice = cleaner.removed();
    let counts = |r: &Removed| (r.documents, r.exact, r.changed, r.lines);
    assert_eq!(counts(&twice), counts(&once));
    assert_eq!((once.documents, once.exact), (1, 1));
    assert_eq!(twice.bytes, once.bytes);
    let docs = |r: &Removed| {
        let mut v: Vec<u64> = r.met.values().map(|m| m.docs).collect();
        v.sort();
        v
    };
    assert_eq!(docs(&twice), docs(&once));
}
