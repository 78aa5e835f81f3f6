//! The HTML reader: a page's article text or its whole visible text,
//! its fields, legacy charsets, pages without text, thread counts, and
//! the article-extraction benchmark's pages (from ../shared).
//!
//! The pages are written for these tests (no third-party text).

use std::path::Path;

use crate::util::*;

/// A news page: a menu, the article (three paragraphs), a sidebar, a
/// footer, a script and its metadata in the head.
const PAGE: &str = r#"<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8">
<title>Banjir merendam kampung tepi sungai | Warta Contoh</title>
<meta property="og:site_name" content="Warta Contoh">
<meta name="author" content="Sari Dewi">
<meta property="article:published_time" content="2025-11-01T08:00:00+07:00">
<link rel="canonical" href="https://warta.example/2025/11/01/banjir">
<style>body { color: black }</style>
</head><body>
<nav><ul><li><a href="/">Beranda</a></li><li><a href="/politik">Politik</a></li></ul></nav>
<main><article>
<h1>Banjir merendam kampung tepi sungai</h1>
<p>Hujan deras sejak pagi membuat sungai meluap dan merendam ratusan rumah warga di kampung tepi sungai itu.</p>
<p>Petugas membuka posko pengungsian di balai desa dan membagikan makanan serta selimut kepada warga yang mengungsi.</p>
<p>Menurut badan cuaca, hujan lebat masih akan turun hingga akhir pekan sehingga warga diminta tetap waspada.</p>
</article></main>
<aside><h2>Terpopuler</h2><ul><li><a href="/a">Harga cabai naik</a></li></ul></aside>
<footer><p>Hak cipta Warta Contoh. Semua hak dilindungi.</p></footer>
<script>var iklan = "<div class='iklan'>beli</div>"; function muat() {}</script>
</body></html>
"#;

/// The words (surface forms of class `word`) of `korpus tokens`
/// output, one document's after another.
fn surfaces(out: &str) -> Vec<String> {
    let rows = tsv(out);
    rows[1..].iter().filter(|r| r[6] == "word").map(|r| r[4].clone()).collect()
}

/// The documents `korpus stats` counts.
fn documents(out: &str) -> u64 {
    let rows = tsv(out);
    assert_eq!(rows[0][0], "documents", "{out}");
    rows[1][0].parse().unwrap()
}

/// The single group of `korpus stats --by FIELD` (the field's value).
fn field(dir: &Path, corpus: &str, name: &str) -> String {
    let r = run_in(dir, &["stats", corpus, "--by", name], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rows = tsv(&r.stdout);
    assert_eq!(rows.len(), 2, "one group: {}", r.stdout);
    rows[1][0].clone()
}

#[test]
fn html_page_gives_its_article_text_and_fields() {
    let dir = tempdir();
    std::fs::write(dir.path().join("banjir.html"), PAGE).unwrap();
    let r = run_in(dir.path(), &["tokens", "banjir.html"], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    let words = surfaces(&r.stdout);
    // The article's words, in order: its first paragraph begins with
    // "Hujan deras sejak pagi" and its last ends "tetap waspada".
    let text = words.join(" ");
    assert!(text.contains("Hujan deras sejak pagi membuat sungai"), "{text}");
    assert!(text.contains("diminta tetap waspada"), "{text}");
    // The menu, sidebar, footer, style and script are not the article.
    for w in
        ["Beranda", "Politik", "Terpopuler", "cabai", "Hak", "iklan", "color"]
    {
        assert!(!words.iter().any(|s| s == w), "{w} in {text}");
    }
    let f = |name| field(dir.path(), "banjir.html", name);
    assert_eq!(f("title"), "Banjir merendam kampung tepi sungai");
    assert_eq!(f("author"), "Sari Dewi");
    assert_eq!(f("date"), "2025-11-01");
    assert_eq!(f("url"), "https://warta.example/2025/11/01/banjir");
    assert_eq!(f("source"), "Warta Contoh");
}

#[test]
fn html_raw_gives_all_visible_text_but_no_script_or_style() {
    let dir = tempdir();
    std::fs::write(dir.path().join("banjir.htm"), PAGE).unwrap();
    let args = ["tokens", "banjir.htm", "--html", "raw"];
    let words = surfaces(&run_in(dir.path(), &args, None).stdout);
    // The menu's two links come first, then the headline; the sidebar
    // and footer are there too.
    assert_eq!(words[..3], ["Beranda", "Politik", "Banjir"]);
    for w in ["Terpopuler", "cabai", "Hak", "waspada"] {
        assert!(words.iter().any(|s| s == w), "{w} missing: {words:?}");
    }
    // The footer's last word ends the text: nothing of the script or
    // the style.
    assert_eq!(words.last().map(String::as_str), Some("dilindungi"));
    for w in ["iklan", "muat", "color", "black", "div"] {
        assert!(!words.iter().any(|s| s == w), "{w} in {words:?}");
    }
    let r =
        run_in(dir.path(), &["tokens", "banjir.htm", "--html", "all"], None);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("unknown --html 'all' (known: article, raw)"),
        "{}",
        r.stderr
    );
}

/// A page in Windows-1252 (as most "Latin-1" pages are): `é` is byte
/// 0xE9, `’` 0x92. With `meta`, its head declares the charset.
fn latin1_page(meta: &str) -> Vec<u8> {
    let mut page = format!(
        "<html><head>{meta}<title>Caf\u{e9}</title></head><body><article>"
    );
    for _ in 0..3 {
        page.push_str(
            "<p>Le caf\u{e9} de la gare est ferm\u{e9} depuis l\u{2019}\u{e9}t\u{e9} \
             dernier, et les habitu\u{e9}s regrettent d\u{e9}j\u{e0} leur \
             r\u{e9}sum\u{e9} quotidien des nouvelles.</p>",
        );
    }
    page.push_str("</article></body></html>");
    page.chars()
        .map(|c| match c {
            '\u{2019}' => 0x92,
            c if (c as u32) < 0x100 => c as u8,
            c => panic!("{c} is not in this page's Windows-1252"),
        })
        .collect()
}

#[test]
fn latin1_pages_are_decoded_by_their_meta_charset_or_a_guess() {
    let dir = tempdir();
    let declared = r#"<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">"#;
    std::fs::write(dir.path().join("declared.html"), latin1_page(declared))
        .unwrap();
    std::fs::write(dir.path().join("guessed.html"), latin1_page("")).unwrap();
    for file in ["declared.html", "guessed.html"] {
        let r = run_in(dir.path(), &["freq", file], None);
        assert_eq!(r.code, 0, "{}", r.stderr);
        // Each paragraph has "café" once and "été" once: 3 each, decoded
        // (no U+FFFD), in a tokenizer that keeps the apostrophe's
        // right-quote apart.
        assert_eq!(
            cell(&r.stdout, "item", "café", "freq").as_deref(),
            Some("3")
        );
        assert_eq!(
            cell(&r.stdout, "item", "déjà", "freq").as_deref(),
            Some("3")
        );
        assert!(!r.stdout.contains('\u{fffd}'), "{}", r.stdout);
        let guessed = r.stderr.contains(&format!(
            "{file}: no charset declared and not UTF-8: decoded as \
             windows-1252 (a guess)"
        ));
        assert_eq!(guessed, file == "guessed.html", "{file}: {}", r.stderr);
    }
    let r = run_in(dir.path(), &["freq", "declared.html"], None);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
}

#[test]
fn page_without_text_is_skipped_with_one_warning() {
    let dir = tempdir();
    std::fs::write(dir.path().join("a.html"), PAGE).unwrap();
    let empty = "<!doctype html><html><head><title>Kosong</title></head>\
        <body><script>document.write('iklan')</script></body></html>";
    std::fs::write(dir.path().join("b.html"), empty).unwrap();
    let r = run_in(dir.path(), &["stats", ".", "--format", "tsv"], None);
    assert_eq!(r.code, 3, "{}", r.stderr);
    let b = "b.html: no text found in the page: skipped";
    assert_eq!(r.stderr.matches(b).count(), 1, "{}", r.stderr);
    // One document read: a.html.
    assert_eq!(documents(&r.stdout), 1);
}

#[test]
fn gzip_html_and_pages_sniffed_by_content() {
    use std::io::Write;
    let dir = tempdir();
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(dir.path().join("a.html.gz")).unwrap(),
        flate2::Compression::default(),
    );
    gz.write_all(PAGE.as_bytes()).unwrap();
    gz.finish().unwrap();
    // A page saved without an HTML extension, named on the command line.
    std::fs::write(dir.path().join("saved.txt"), PAGE).unwrap();
    for file in ["a.html.gz", "saved.txt"] {
        let r = run_in(dir.path(), &["freq", file], None);
        assert_eq!(r.code, 0, "{}", r.stderr);
        // "warga" is in each of the article's three paragraphs.
        assert_eq!(
            cell(&r.stdout, "item", "warga", "freq").as_deref(),
            Some("3")
        );
        assert_eq!(cell(&r.stdout, "item", "beranda", "freq"), None, "{file}");
    }
}

#[test]
fn html_pages_read_the_same_on_1_and_4_threads() {
    let dir = tempdir();
    for i in 0..30 {
        let page = PAGE.replace("ratusan", &format!("{} ratus", i + 1));
        std::fs::write(dir.path().join(format!("p{i:02}.html")), page)
            .unwrap();
    }
    let run_with = |threads| {
        let args = ["freq", ".", "--threads", threads, "--format", "tsv"];
        let r = run_in(dir.path(), &args, None);
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.stdout
    };
    let one = run_with("1");
    assert_same("--threads 1 vs 4", &one, &run_with("4"));
    // "warga" three times in each of 30 pages.
    assert_eq!(cell(&one, "item", "warga", "freq").as_deref(), Some("90"));
}

#[test]
fn benchmark_pages_give_words_not_markup() {
    let Some(dir) = shared_or_skip("article-extraction-benchmark/html") else {
        return;
    };
    let r = run(&["freq", dir.to_str().unwrap(), "--top", "100"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rows = tsv(&r.stdout);
    assert_eq!(rows.len(), 101);
    let markup = ["script", "var", "function", "div", "href", "px", "nbsp"];
    for row in &rows[1..] {
        let item = row[1].as_str();
        assert!(
            !item.contains(['<', '>', '{', '}', '='])
                && !markup.contains(&item),
            "markup in the top 100: {item}"
        );
    }
    // The 181 pages are 181 documents.
    let r = run(&["stats", dir.to_str().unwrap()]);
    assert_eq!(documents(&r.stdout), 181);
}
