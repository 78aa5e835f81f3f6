//! Generates a deterministic JSON Lines news corpus of a given size for
//! benchmarks, from real openly licensed sentences (the bundled
//! `corpus/` and, when present, the Leipzig files in `../shared`).
//!
//! `cargo run --release --example gen_corpus -- SIZE_MB OUT.jsonl [SEED]`
//!
//! Each document has `id`, `date`, `source`, `url`, `title` and `text`
//! (8 to 40 sentences drawn at random, with some HTML entities as in
//! scraped text). The same size and seed always give the same bytes.

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

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: gen_corpus SIZE_MB OUT.jsonl [SEED]");
        std::process::exit(2);
    }
    let target: u64 =
        args[1].parse::<u64>().expect("SIZE_MB is a number") << 20;
    let seed: u64 =
        args.get(3).map_or(1, |s| s.parse().expect("SEED is a number"));
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
    let mut out = BufWriter::new(
        std::fs::File::create(&args[2]).expect("OUT is writable"),
    );
    let mut written = 0u64;
    let mut id = 0u64;
    while written < target {
        id += 1;
        let n = 8 + rng.below(33);
        let mut text = String::new();
        for i in 0..n {
            if i > 0 {
                text.push_str(if rng.below(5) == 0 { "\n\n" } else { " " });
            }
            let s = &sents[rng.below(sents.len() as u64) as usize];
            if rng.below(50) == 0 {
                text.push_str(&s.replace('"', "&quot;"));
            } else {
                text.push_str(s);
            }
        }
        let year = 2008 + rng.below(18);
        let date = format!(
            "{year}-{:02}-{:02}",
            1 + rng.below(12),
            1 + rng.below(28)
        );
        let source = sources[rng.below(sources.len() as u64) as usize];
        let title = &sents[rng.below(sents.len() as u64) as usize];
        let line = serde_json::json!({
            "id": id,
            "date": date,
            "source": source,
            "url": format!("https://{source}.example/read/{year}/{id}"),
            "title": title,
            "text": text,
        });
        let line = line.to_string();
        out.write_all(line.as_bytes()).unwrap();
        out.write_all(b"\n").unwrap();
        written += line.len() as u64 + 1;
    }
    out.flush().unwrap();
    eprintln!("wrote {id} documents, {written} bytes");
}
