//! Runs the duplicate finder ([`korpus::clean::dedup::DedupCounter`])
//! through `scan::run` on a corpus and prints its speed; on a corpus
//! written by `gen_syndicated` (a JSON Lines file with `cluster` fields)
//! also its precision and recall on the planted pairs.
//!
//! `cargo run --release --example eval_dedup -- CORPUS [OPTIONS] [--truth]`
//!
//! OPTIONS as `DedupOptions::from_str` reads them
//! (`shingle=5,threshold=0.5,scheme=independent`); `-` or nothing for
//! the defaults. With `--truth`, the planted pairs' exact Jaccard
//! similarity of the shingle sets is computed too (slow: it holds the
//! shingles of every planted document).
//!
//! - precision: of the documents reported as duplicates, the share whose
//!   kept document is in the same planted cluster (an original with its
//!   copies and reposts);
//! - recall: of the planted (copy or repost, original) pairs, the share
//!   that end up with the same kept document (the first of the two in
//!   corpus order kept and the other removed, or both removed as
//!   duplicates of the same one), also by the share of words edited.

use std::time::Instant;

use korpus::analyze::{Analyzer, Scratch};
use korpus::clean::dedup::{DedupCounter, DedupOptions, DupKind, Duplicate};
use korpus::corpus::{Corpus, Warning};
use korpus::hash::{Map, Set, new_set};
use korpus::meta::{DocFilter, GroupBy};
use korpus::scan::{Job, run};

/// One document's ground truth, in line order.
struct Truth {
    cluster: String,
    role: String,
    copy_of: String,
    id: String,
    story: u64,
    edited: f64,
    text: String,
}

/// The ground truth of a `gen_syndicated` file; `None` as soon as a
/// line has no `cluster` field (any other corpus).
fn truth_of(path: &str, with_text: bool) -> Option<Vec<Truth>> {
    use std::io::BufRead;
    let file = std::io::BufReader::new(std::fs::File::open(path).ok()?);
    let mut out = Vec::new();
    for line in file.lines() {
        let v: serde_json::Value = serde_json::from_str(&line.ok()?).ok()?;
        let s = |k: &str| {
            v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string()
        };
        out.push(Truth {
            cluster: v.get("cluster")?.as_str()?.to_string(),
            role: s("role"),
            copy_of: s("copy_of"),
            id: s("id"),
            story: v.get("story").and_then(|x| x.as_u64()).unwrap_or(0),
            edited: s("edited").parse().unwrap_or(0.0),
            text: if with_text { s("text") } else { String::new() },
        });
    }
    Some(out)
}

/// The 5-word shingles of `text`'s terms, hashed.
fn shingle_set(an: &Analyzer, text: &str, n: usize) -> Set<u64> {
    use std::hash::BuildHasher;
    let mut terms = Vec::new();
    an.analyze(text, &mut Scratch::default(), |_, t| {
        terms.push(t.to_string())
    });
    let h = korpus::hash::BuildHasher::default();
    let mut set = new_set();
    for w in terms.windows(n.min(terms.len()).max(1)) {
        set.insert(h.hash_one(w));
    }
    set
}

fn jaccard(a: &Set<u64>, b: &Set<u64>) -> f64 {
    let inter = a.iter().filter(|x| b.contains(*x)).count();
    inter as f64 / (a.len() + b.len() - inter) as f64
}

fn quantiles(mut v: Vec<f64>) -> String {
    if v.is_empty() {
        return "none".into();
    }
    v.sort_by(f64::total_cmp);
    let q = |p: f64| v[((v.len() - 1) as f64 * p).round() as usize];
    format!(
        "min {:.3} p5 {:.3} median {:.3} max {:.3} (n {})",
        q(0.0),
        q(0.05),
        q(0.5),
        q(1.0),
        v.len()
    )
}

/// Prints precision and recall (overall and by the share edited);
/// with `exact_j`, the exact similarities of the planted pairs too.
fn evaluate(
    truth: &[Truth],
    found: &[Duplicate],
    opts: &DedupOptions,
    exact_j: bool,
) {
    // The kept document each one ends with.
    let mut rep: Vec<usize> = (0..truth.len()).collect();
    for d in found {
        rep[d.ordinal as usize] = d.of_ordinal as usize;
    }
    let right = |d: &Duplicate| {
        truth[d.ordinal as usize].cluster
            == truth[d.of_ordinal as usize].cluster
    };
    let correct = found.iter().filter(|d| right(d)).count();
    let by_id: Map<&str, usize> =
        truth.iter().enumerate().map(|(i, t)| (t.id.as_str(), i)).collect();
    // (copy, original, found) of every planted pair, and per bucket
    // of the share edited (found, planted).
    let mut planted = Vec::new();
    let mut buckets = [(0usize, 0usize); 4];
    for (i, t) in truth.iter().enumerate() {
        let Some(&o) = by_id.get(t.copy_of.as_str()) else { continue };
        let b = if t.role == "repost" {
            0
        } else {
            1 + ((t.edited - 0.05) / 0.05).clamp(0.0, 2.0) as usize
        };
        let hit = rep[i] == rep[o];
        buckets[b].1 += 1;
        buckets[b].0 += hit as usize;
        planted.push((i, o, hit));
    }
    let hits = planted.iter().filter(|p| p.2).count();
    let near = found.iter().filter(|d| d.kind == DupKind::Near).count();
    println!(
        "reported {} duplicates ({} near, {} exact), {} in the right cluster",
        found.len(),
        near,
        found.len() - near,
        correct
    );
    println!("precision {:.4}", correct as f64 / found.len().max(1) as f64);
    println!(
        "recall {:.4} ({hits} of {} planted pairs)",
        hits as f64 / planted.len().max(1) as f64,
        planted.len()
    );
    for (name, (h, p)) in
        ["reposts", "edited 5-10%", "edited 10-15%", "edited 15-20%"]
            .iter()
            .zip(buckets)
    {
        println!("  {name}: {h} of {p} ({:.4})", h as f64 / p.max(1) as f64);
    }
    // A missed pair whose original was kept was compared with it; one
    // whose original was removed (an earlier copy kept) was not.
    let kept_orig = planted.iter().filter(|p| !p.2 && rep[p.1] == p.1).count();
    println!(
        "missed: {kept_orig} with the original kept, {} with it removed",
        planted.len() - hits - kept_orig
    );
    let wrong: Vec<String> = found
        .iter()
        .filter(|d| !right(d))
        .take(5)
        .map(|d| {
            let (a, b) =
                (&truth[d.ordinal as usize], &truth[d.of_ordinal as usize]);
            format!("{} of {} ({:.2})", a.role, b.role, d.similarity)
        })
        .collect();
    println!("wrong (first 5): {wrong:?}");
    if exact_j {
        similarities(truth, &planted, opts);
    }
}

/// Prints the exact Jaccard similarity of the shingle sets of the
/// planted pairs, of the missed ones, and of the same-story articles
/// and their story's original.
fn similarities(
    truth: &[Truth],
    planted: &[(usize, usize, bool)],
    opts: &DedupOptions,
) {
    let an = Analyzer::default();
    let j = |a: &Truth, b: &Truth| {
        jaccard(
            &shingle_set(&an, &a.text, opts.shingle),
            &shingle_set(&an, &b.text, opts.shingle),
        )
    };
    let all: Vec<(f64, bool)> = planted
        .iter()
        .map(|&(c, o, hit)| (j(&truth[c], &truth[o]), hit))
        .collect();
    println!(
        "exact Jaccard of planted pairs: {}",
        quantiles(all.iter().map(|p| p.0).collect())
    );
    let missed = all.iter().filter(|p| !p.1).map(|p| p.0).collect();
    println!("exact Jaccard of missed pairs: {}", quantiles(missed));
    let originals: Map<u64, usize> = truth
        .iter()
        .enumerate()
        .filter(|(_, t)| t.role == "original")
        .map(|(i, t)| (t.story, i))
        .collect();
    let same: Vec<f64> = truth
        .iter()
        .filter(|t| t.role == "same-story")
        .map(|t| j(t, &truth[originals[&t.story]]))
        .collect();
    println!(
        "exact Jaccard of same-story articles and their original: {}",
        quantiles(same)
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args.get(1) else {
        eprintln!("usage: eval_dedup CORPUS [OPTIONS|-] [--truth]");
        std::process::exit(2);
    };
    let opts: DedupOptions = match args.get(2).map(String::as_str) {
        None | Some("-") => DedupOptions::default(),
        Some(s) => s.parse().unwrap_or_else(|e| panic!("{e}")),
    };
    let exact_j = args.iter().any(|a| a == "--truth");
    let corpus = Corpus::open(std::slice::from_ref(path), Default::default())
        .expect("CORPUS opens");
    let analyzer = Analyzer::default();
    let filter = DocFilter::default();
    let mut warn = |w: &Warning| eprintln!("warning: {w:?}");
    let mut job = Job {
        backend: &korpus::dist::Backend::Local,
        corpus: &corpus,
        analyzer: &analyzer,
        filter: &filter,
        by: &GroupBy::All,
        warn: &mut warn,
        keep_line: None,
    };
    let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let t = Instant::now();
    let (found, scanned) =
        run(&mut job, || DedupCounter::new(&opts)).expect("the scan runs");
    let secs = t.elapsed().as_secs_f64();
    let docs = scanned.kept();
    println!("options {opts:?} ({} minima)", opts.perms());
    println!(
        "{docs} documents, {:.1} MB in {secs:.2} s: {:.0} docs/s, {:.1} MB/s ({} threads)",
        bytes as f64 / 1e6,
        docs as f64 / secs,
        bytes as f64 / 1e6 / secs,
        rayon::current_num_threads()
    );
    // A digest of the whole list, to compare runs on different thread
    // counts (FNV-1a over ordinals, kinds and similarity bits).
    let digest = found.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, d| {
        let kind = (d.kind == DupKind::Exact) as u64;
        [d.ordinal, d.of_ordinal, kind, d.similarity.to_bits()]
            .iter()
            .fold(h, |h, &x| (h ^ x).wrapping_mul(0x100_0000_01b3))
    });
    println!("list digest {digest:016x}");
    if let Some(truth) = truth_of(path, exact_j) {
        assert_eq!(truth.len() as u64, docs, "one document per line");
        evaluate(&truth, &found, &opts, exact_j);
    } else {
        println!("{} duplicates (no ground truth)", found.len());
    }
}
