//! Generates a deterministic JSON Lines news corpus of a given size for
//! benchmarks, from real openly licensed sentences (the bundled
//! `corpus/` and, when present, the Leipzig files in `../shared`).
//!
//! `cargo run --release --example gen_corpus -- SIZE_MB OUT.jsonl [SEED]`
//!
//! Each document has `id`, `date`, `source`, `url`, `title` and `text`:
//! 8 to 40 real sentences drawn at random, with
//! - the variants Tiongkok, China and Cina spread over years and sources
//!   (Tiongkok's share rising after the 2014 decree, faster at some
//!   outlets);
//! - names and rare words from an open, Zipf-distributed vocabulary, so
//!   the number of types keeps growing with size (Heaps' law) instead
//!   of saturating at the sentence pool's;
//! - the noise of scraped pages: HTML entities, stray `<p>` and `<br/>`,
//!   URLs, and boilerplate paragraphs repeated across documents.
//!
//! OUT ending in `.jsonl` gives one JSON Lines file; any other OUT a
//! directory of `.txt` files, one per document, under OUT/SOURCE/.
//! The same size and seed always give the same bytes.

use std::io::{BufWriter, Write};

fn sentences() -> Vec<String> {
    let root = env!("CARGO_MANIFEST_DIR");
    let files = [
        format!(
            "{root}/../shared/corpora/id-news-leipzig/ind_news_2008_300K_sample25K-sentences.txt"
        ),
        format!(
            "{root}/../shared/corpora/id-news-leipzig/ind_newscrawl_2016_10K-sentences.txt"
        ),
        format!(
            "{root}/corpus/leipzig/ind_news_2008_300K_sample1000-sentences.txt"
        ),
        format!(
            "{root}/corpus/leipzig/ind_newscrawl_2016_10K_sample1000-sentences.txt"
        ),
    ];
    let mut out = Vec::new();
    for f in files {
        if let Ok(text) = std::fs::read_to_string(&f) {
            out.extend(
                text.lines()
                    .filter_map(|l| l.split_once('\t'))
                    .map(|(_, s)| s.to_string()),
            );
        }
    }
    assert!(!out.is_empty(), "no sentence files found");
    out
}

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Syllables for new word forms: names, places, rare words.
const SYLLABLES: [&str; 24] = [
    "ka", "ri", "ma", "su", "to", "ng", "wi", "jo", "ha", "di", "ra", "ta",
    "an", "be", "lu", "pra", "se", "no", "ya", "gu", "ni", "ba", "ko", "dra",
];

/// Boilerplate paragraphs scraped pages repeat.
const BOILERPLATE: [&str; 5] = [
    "Baca juga: Berita terkini dan terpopuler hari ini",
    "ADVERTISEMENT SCROLL TO CONTINUE WITH CONTENT",
    "Simak Video &quot;Sorotan Hari Ini&quot; [Gambas:Video 20detik]",
    "Dapatkan update berita pilihan setiap hari. Klik https://news.example/follow",
    "(Sumber: Redaksi; editor: Tim)",
];

/// A word form of rank `r` in an open vocabulary: distinct for every
/// rank, so new types keep appearing as the corpus grows.
fn rare_word(mut r: u64) -> String {
    let mut w = String::new();
    loop {
        w.push_str(SYLLABLES[(r % 24) as usize]);
        r /= 24;
        if r == 0 {
            break;
        }
    }
    w
}

/// A rank in 1.. with a Pareto tail, `⌊u^(−1/α)⌋`, α = 0.25: rank r
/// has probability about α·r^−(1+α), a Zipf law with exponent 1.25, so
/// among n draws about n^(1/1.25) = n^0.8 are distinct: the number of
/// types keeps growing with the number of tokens (Heaps' law), as in
/// real news, instead of saturating.
fn zipf_rank(rng: &mut Rng) -> u64 {
    let u = (rng.next() >> 11) as f64 / (1u64 << 53) as f64;
    u.max(1e-60).powf(-1.0 / 0.25).min(1e15).floor() as u64
}

/// The share of "Tiongkok" among the variants, by year and source: the
/// 2014 presidential decree (Keppres 12/2014) moved outlets from Cina
/// to Tiongkok, some faster than others.
fn tiongkok_share(year: u64, source: usize) -> f64 {
    let base =
        if year < 2014 { 0.05 } else { 0.35 + 0.05 * (year - 2014) as f64 };
    (base + 0.08 * source as f64).min(0.9)
}

/// One document's text: sentences with variants, rare words and noise.
fn document(
    rng: &mut Rng,
    sents: &[String],
    year: u64,
    source: usize,
) -> String {
    let n = 8 + rng.below(33);
    let mut text = String::new();
    let share = tiongkok_share(year, source);
    for i in 0..n {
        if i > 0 {
            text.push_str(if rng.below(5) == 0 { "\n\n" } else { " " });
        }
        if rng.below(40) == 0 {
            // A boilerplate paragraph, as scrapers keep them.
            text.push_str(BOILERPLATE[rng.below(5) as usize]);
            text.push_str("\n\n");
        }
        let s = &sents[rng.below(sents.len() as u64) as usize];
        let mut words: Vec<String> = Vec::new();
        for w in s.split(' ') {
            let bare = w.trim_end_matches([',', '.', ';', ':']);
            let tail = &w[bare.len()..];
            let w = match bare {
                "China" | "Tiongkok" | "Cina" | "RRT" => {
                    let u = (rng.below(1000) as f64) / 1000.0;
                    let v = if u < share {
                        "Tiongkok"
                    } else if u < share + (1.0 - share) * 0.8 {
                        "China"
                    } else {
                        "Cina"
                    };
                    format!("{v}{tail}")
                }
                _ if rng.below(10) == 0 => {
                    // A name or rare word from the open vocabulary.
                    let r = rare_word(zipf_rank(rng));
                    if rng.below(2) == 0 {
                        let mut c = r.chars();
                        let first = c.next().map(|f| f.to_ascii_uppercase());
                        format!("{}{}{tail}", first.unwrap_or('K'), c.as_str())
                    } else {
                        format!("{r}{tail}")
                    }
                }
                _ => w.to_string(),
            };
            words.push(w);
        }
        let mut sentence = words.join(" ");
        match rng.below(60) {
            0 => sentence = sentence.replace('"', "&quot;"),
            1 => sentence = format!("<p>{sentence}</p>"),
            2 => sentence.push_str(" <br/>"),
            3 => sentence.push_str(&format!(
                " (https://news.example/read/{}-{})",
                year,
                rng.below(1_000_000)
            )),
            4 => sentence = sentence.replace(" dan ", " &amp; "),
            _ => {}
        }
        text.push_str(&sentence);
    }
    // Now and then a mention of China in a news-like frame, so every
    // corpus has the variants whatever sentences were drawn.
    if rng.below(4) == 0 {
        let u = (rng.below(1000) as f64) / 1000.0;
        let v = if u < share {
            "Tiongkok"
        } else if u < share + (1.0 - share) * 0.8 {
            "China"
        } else {
            "Cina"
        };
        text.push_str(&format!(
            " Pemerintah {v} menyatakan hal itu di Beijing."
        ));
    }
    text
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!(
            "usage: gen_corpus SIZE_MB OUT [SEED]\n  OUT ending in .jsonl: one JSON Lines file; otherwise a directory of .txt files (one per document, under OUT/SOURCE/)"
        );
        std::process::exit(2);
    }
    let target: u64 =
        args[1].parse::<u64>().expect("SIZE_MB is a number") << 20;
    let seed: u64 =
        args.get(3).map_or(1, |s| s.parse().expect("SEED is a number"));
    let as_jsonl = args[2].ends_with(".jsonl");
    let sents = sentences();
    let sources = [
        "kompas",
        "detik",
        "tempo",
        "antaranews",
        "cnnindonesia",
        "republika",
    ];
    let mut rng = Rng(seed);
    let mut out = if as_jsonl {
        Some(BufWriter::new(
            std::fs::File::create(&args[2]).expect("OUT is writable"),
        ))
    } else {
        for s in sources {
            std::fs::create_dir_all(format!("{}/{s}", args[2]))
                .expect("OUT is a directory we can write");
        }
        None
    };
    let mut written = 0u64;
    let mut id = 0u64;
    while written < target {
        id += 1;
        let year = 2008 + rng.below(18);
        let date = format!(
            "{year}-{:02}-{:02}",
            1 + rng.below(12),
            1 + rng.below(28)
        );
        let si = rng.below(sources.len() as u64) as usize;
        let source = sources[si];
        let text = document(&mut rng, &sents, year, si);
        let title = &sents[rng.below(sents.len() as u64) as usize];
        let url = format!("https://{source}.example/read/{year}/{id}");
        match &mut out {
            Some(out) => {
                let line = serde_json::json!({
                    "id": id,
                    "date": date,
                    "source": source,
                    "url": url,
                    "title": title,
                    "text": text,
                })
                .to_string();
                out.write_all(line.as_bytes()).unwrap();
                out.write_all(b"\n").unwrap();
                written += line.len() as u64 + 1;
            }
            None => {
                let body = format!("{title}\n\n{text}\n");
                std::fs::write(
                    format!("{}/{source}/{date}-{id:08}.txt", args[2]),
                    &body,
                )
                .expect("OUT is writable");
                written += body.len() as u64;
            }
        }
    }
    if let Some(mut out) = out {
        out.flush().unwrap();
    }
    eprintln!("wrote {id} documents, {written} bytes");
}
