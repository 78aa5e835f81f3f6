//! Every command's output is byte-identical for --threads 1, 2 and 7
//! and across repeated runs, on the bundled corpus and on a generated
//! one (charts included).

use std::path::Path;

use crate::util::*;

/// A seeded corpus of JSONL news-like documents with dates and sources.
fn generated(dir: &Path) {
    let words = [
        "Tiongkok",
        "China",
        "Cina",
        "Korea",
        "Utara",
        "presiden",
        "Xi",
        "Jinping",
        "pemerintah",
        "mengatakan",
        "yang",
        "dan",
        "di",
        "ke",
        "dari",
        "ekonomi",
        "perdagangan",
        "Jakarta",
        "Indonesia",
        "2025",
        "kerja",
        "sama",
        "menteri",
        "luar",
        "negeri",
        ",",
        ".",
    ];
    let sources = ["kompas", "detik", "tempo", "antara"];
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = |n: usize| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % n as u64) as usize
    };
    std::fs::create_dir(dir.join("gen")).unwrap();
    let mut out = String::new();
    for d in 0..400 {
        if d == 250 {
            std::fs::write(dir.join("gen/a.jsonl"), std::mem::take(&mut out))
                .unwrap();
        }
        let len = 20 + next(120);
        let text: Vec<&str> =
            (0..len).map(|_| words[next(words.len())]).collect();
        out.push_str(&format!(
            "{{\"id\": \"d{d}\", \"date\": \"202{}-0{}-1{}\", \"source\": \"{}\", \"text\": \"{}\"}}\n",
            next(6),
            1 + next(9),
            next(10),
            sources[next(4)],
            text.join(" ")
        ));
    }
    std::fs::write(dir.join("gen/b.jsonl"), out).unwrap();
}

/// The commands, with CORPUS for the corpus path.
const COMMANDS: &[&[&str]] = &[
    &["freq", "CORPUS"],
    &["freq", "CORPUS", "-n", "2", "--by", "file"],
    &["stats", "CORPUS", "--by", "file"],
    &["kwic", "CORPUS", "Tiongkok|China"],
    &["kwic", "CORPUS", "China", "--sort", "R1,L1"],
    &["kwic", "CORPUS", "di", "--sample", "7", "--seed", "3"],
    &["dispersion", "CORPUS", "Tiongkok", "--vs", "China", "--all-parts"],
    &["colloc", "CORPUS", "Tiongkok", "--measure", "all"],
    &["colloc", "CORPUS", "China", "--vs", "Tiongkok"],
    &["colloc", "CORPUS", "--all", "--window", "3", "--min-freq", "2"],
    &["ngrams", "CORPUS", "-n", "2..3", "--min-freq", "2"],
    &["ngrams", "CORPUS", "-n", "3", "--around", "China"],
    &["keyness", "CORPUS", "--by", "file", "--top", "20"],
    &["variants", "CORPUS", "--set", "Tiongkok|China|Cina", "--by", "file"],
    &[
        "variants",
        "CORPUS",
        "--set",
        "Tiongkok|China",
        "--by",
        "file",
        "--examples",
        "2",
    ],
    &["tokens", "CORPUS"],
];

/// Outputs of every command at a thread count (stdout, plus the chart).
fn outputs(dir: &Path, corpus: &str, threads: &str) -> Vec<Vec<u8>> {
    let mut all = Vec::new();
    for cmd in COMMANDS {
        let mut args: Vec<&str> = cmd
            .iter()
            .map(|a| if *a == "CORPUS" { corpus } else { a })
            .collect();
        args.extend(["--threads", threads, "--format", "tsv"]);
        let r = run_in(dir, &args, None);
        assert!(r.code == 0 || r.code == 3, "{args:?}: {}", r.stderr);
        assert!(r.stdout.lines().count() > 1, "{args:?} printed no rows");
        all.push(r.stdout.into_bytes());
    }
    let chart = format!("chart-{threads}.svg");
    let r = run_in(
        dir,
        &[
            "colloc",
            corpus,
            "China",
            "--threads",
            threads,
            "--chart",
            &chart,
            "--chart-kind",
            "network",
            "-o",
            "/dev/null",
        ],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    all.push(std::fs::read(dir.join(&chart)).unwrap());
    all
}

fn check(dir: &Path, corpus: &str) {
    let one = outputs(dir, corpus, "1");
    for threads in ["2", "7", "1"] {
        let other = outputs(dir, corpus, threads);
        for (k, (a, b)) in one.iter().zip(&other).enumerate() {
            let what = COMMANDS
                .get(k)
                .map_or("the chart".to_string(), |c| c.join(" "));
            assert!(
                a == b,
                "{what} on {corpus}: --threads {threads} differs from --threads 1"
            );
        }
    }
}

#[test]
fn every_command_is_deterministic_on_the_bundled_corpus() {
    let corpus = root().join("corpus").display().to_string();
    let dir = tempdir();
    check(dir.path(), &corpus);
}

#[test]
fn every_command_is_deterministic_on_a_generated_corpus() {
    let dir = tempdir();
    generated(dir.path());
    check(dir.path(), "gen");
}
