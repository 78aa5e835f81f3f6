//! Scores korpus's HTML reader (its article extraction) on the
//! article-extraction benchmark of Zyte/Scrapinghub
//! (`../shared/corpora/article-extraction-benchmark/`: 181 gzip pages
//! and `ground-truth.json`), and times it.
//!
//! `cargo run --release --example eval_extraction -- [BENCHMARK_DIR] [THREADS]`
//!
//! The pages are read as a corpus (`korpus::corpus`, the `html` format,
//! `--html article`) on THREADS threads (2 by default), and each
//! document's text is scored against the page's `articleBody` as the
//! benchmark's `evaluate.py` scores it: both are split into words
//! (runs of letters, digits and `_`, its `\w+`), each becomes a
//! multiset of word 4-grams (a text of fewer words gives one shorter
//! shingle), and true positives are the shingles both hold (counted
//! with multiplicity), false positives those only in the extraction,
//! false negatives those only in the truth. Precision and recall are
//! computed per page and averaged over the pages; F1 is the harmonic
//! mean of the two averages. A page the reader skips (no text) scores
//! 0 and 0. MB/s is of the uncompressed HTML, over the scan's wall time.
//!
//! It prints `pages`, `precision`, `recall`, `f1`, `mb_per_s` as TSV.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use korpus::corpus::{Corpus, HtmlMode, InputFormat, ReadOptions};

/// The shingle length of the benchmark.
const SHINGLE: usize = 4;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from("../shared/corpora/article-extraction-benchmark")
    });
    let threads: usize = args.next().map_or(Ok(2), |t| t.parse())?;
    let truth = ground_truth(&dir)?;
    let html_bytes = uncompressed_bytes(&dir.join("html"))?;
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build()?;
    let start = Instant::now();
    let texts = pool.install(|| read_pages(&dir.join("html")))?;
    let secs = start.elapsed().as_secs_f64();
    let mut scores = Vec::new();
    for (key, body) in &truth {
        let got = texts.get(key).map_or("", String::as_str);
        scores.push(page_score(body, got));
    }
    let (precision, recall, f1) = average(&scores);
    println!("pages\tprecision\trecall\tf1\tmb_per_s");
    println!(
        "{}\t{precision:.3}\t{recall:.3}\t{f1:.3}\t{:.1}",
        scores.len(),
        html_bytes as f64 / 1e6 / secs
    );
    Ok(())
}

/// Each page's `articleBody`, by the page's hash.
fn ground_truth(
    dir: &Path,
) -> Result<BTreeMap<String, String>, Box<dyn std::error::Error>> {
    let text = std::fs::read_to_string(dir.join("ground-truth.json"))?;
    let json: serde_json::Value = serde_json::from_str(&text)?;
    let pages = json.as_object().ok_or("ground-truth.json: not an object")?;
    let body = |v: &serde_json::Value| {
        v["articleBody"].as_str().unwrap_or("").to_string()
    };
    Ok(pages.iter().map(|(k, v)| (k.clone(), body(v))).collect())
}

/// The bytes of the pages once uncompressed.
fn uncompressed_bytes(dir: &Path) -> std::io::Result<u64> {
    let mut total = 0;
    for entry in std::fs::read_dir(dir)? {
        let file = std::fs::File::open(entry?.path())?;
        let mut gz = flate2::read::GzDecoder::new(file);
        total += std::io::copy(&mut gz, &mut std::io::sink())?;
    }
    Ok(total)
}

/// The text korpus reads from each page, by the page's hash (its file
/// name without `.html.gz`).
fn read_pages(dir: &Path) -> Result<BTreeMap<String, String>, String> {
    let opts = ReadOptions {
        format: Some(InputFormat::Html),
        html: HtmlMode::Article,
        ..ReadOptions::default()
    };
    let corpus = Corpus::open(&[dir.display().to_string()], opts)
        .map_err(|e| e.to_string())?;
    let mut texts = BTreeMap::new();
    corpus
        .scan(&mut |w| eprintln!("{w}"), &mut |docs| {
            for doc in docs {
                let name = doc.get("file").unwrap_or("").to_string();
                let key = name.trim_end_matches(".html.gz").to_string();
                texts.insert(key, doc.text);
            }
            Ok(())
        })
        .map_err(|e| e.to_string())?;
    Ok(texts)
}

/// The words of `text` as the benchmark's `\w+` finds them: runs of
/// alphanumeric characters and `_`.
fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect()
}

/// The multiset of word `n`-grams of `text` (one shorter shingle for a
/// text of fewer than `n` words, none for a text without words).
fn shingles(text: &str, n: usize) -> BTreeMap<String, u64> {
    let words = words(text);
    let mut out = BTreeMap::new();
    if words.is_empty() {
        return out;
    }
    let count = words.len().saturating_sub(n) + 1;
    for i in 0..count {
        let end = (i + n).min(words.len());
        *out.entry(words[i..end].join(" ")).or_insert(0) += 1;
    }
    out
}

/// The precision and recall of one page's extraction `got` against
/// `truth`: tp / (tp + fp) and tp / (tp + fn) over their 4-gram
/// multisets (each 0 when its denominator is).
fn page_score(truth: &str, got: &str) -> (f64, f64) {
    let (t, g) = (shingles(truth, SHINGLE), shingles(got, SHINGLE));
    let mut tp = 0;
    for (s, &n) in &t {
        tp += n.min(g.get(s).copied().unwrap_or(0));
    }
    let (t_all, g_all): (u64, u64) = (t.values().sum(), g.values().sum());
    let ratio =
        |a: u64, b: u64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    (ratio(tp, g_all), ratio(tp, t_all))
}

/// The mean precision and mean recall of `scores`, and F1, their
/// harmonic mean: 2PR / (P + R) (0 when both are 0).
fn average(scores: &[(f64, f64)]) -> (f64, f64, f64) {
    let n = scores.len().max(1) as f64;
    let p = scores.iter().map(|s| s.0).sum::<f64>() / n;
    let r = scores.iter().map(|s| s.1).sum::<f64>() / n;
    let f1 = if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) };
    (p, r, f1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_scored_by_hand() {
        // truth: a b c d e f: 4-grams abcd bcde cdef (3).
        // got:   x a b c d e: 4-grams xabc abcd bcde (3).
        // Shared: abcd, bcde: tp 2; P = 2/3, R = 2/3.
        let (p, r) = page_score("a b c d e f", "x, a b-c d e");
        assert!(
            (p - 2.0 / 3.0).abs() < 1e-12 && (r - 2.0 / 3.0).abs() < 1e-12
        );
        // Multiplicity: truth "a b c d a b c d" has abcd twice (and
        // bcda, cdab, dabc once); got "a b c d" has abcd once.
        // tp 1; P = 1/1, R = 1/5.
        let (p, r) = page_score("a b c d a b c d", "a b c d");
        assert_eq!((p, r), (1.0, 0.2));
        // Shorter than a shingle: one shingle each; equal texts score 1.
        assert_eq!(page_score("dua kata", "dua kata"), (1.0, 1.0));
        // Nothing extracted: 0 and 0.
        assert_eq!(page_score("a b c d", ""), (0.0, 0.0));
    }

    #[test]
    fn f1_of_the_averages() {
        // P = (1 + 0.5) / 2 = 0.75, R = (0.5 + 0.5) / 2 = 0.5;
        // F1 = 2 * 0.75 * 0.5 / 1.25 = 0.6.
        let (p, r, f1) = average(&[(1.0, 0.5), (0.5, 0.5)]);
        assert_eq!((p, r), (0.75, 0.5));
        assert!((f1 - 0.6).abs() < 1e-12, "{f1}");
        assert_eq!(average(&[(0.0, 0.0)]).2, 0.0);
    }
}
