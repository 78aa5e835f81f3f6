//! `korpus clean`, and `--dedup` / `--boilerplate` on other commands.

use std::path::Path;

use crate::util::*;

/// Page `i` of a made-up outlet: a title, a byline, two lines of prose
/// of its own, a "read also" link, a footer, and after a `---` rule an
/// appended summary (4 lines from the footer on: "Ikuti ...", "---",
/// "Ringkasan ...", "Mesin ...").
fn page(i: usize) -> String {
    format!(
        "Judul berita nomor{i}\n\
         Penulis: Redaksi Warta Contoh\n\
         Warga kampung{i} menanam padi{i} di sawah{i} sejak pagi.\n\
         Panen{i} tahun ini diperkirakan naik{i} dua kali lipat.\n\
         Baca juga: Judul lain nomor{i}\n\
         Ikuti berita terkini Warta Contoh di kanal kami.\n\
         ---\n\
         Ringkasan otomatis: panen{i} naik.\n\
         Mesin ringkasan menilai berita ini penting.\n"
    )
}

/// Six pages in `in/`, the fourth a copy of the second (`p1.txt`).
fn corpus(dir: &Path) {
    let dir = dir.join("in");
    std::fs::create_dir(&dir).unwrap();
    for i in 0..6 {
        let text = if i == 3 { page(1) } else { page(i) };
        std::fs::write(dir.join(format!("p{i}.txt")), text).unwrap();
    }
}

/// The (korpus_id, text) of each line of a cleaned corpus.
fn records(jsonl: &str) -> Vec<(String, String)> {
    jsonl
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let s = |k: &str| v[k].as_str().unwrap_or("").to_string();
            (s("korpus_id"), s("text"))
        })
        .collect()
}

/// By hand: p3 (a copy of p1) goes; in the other five, the byline (a
/// line in 6 of 6 pages), the "read also" line (a label, `Baca juga:`)
/// and, from the footer on, the rest (the footer is in the second half
/// of every page: a tail) go, leaving the title and the two lines of
/// prose. 5 pages × (1 + 1 + 4) = 30 lines removed.
#[test]
fn clean_drops_copies_and_templates_in_corpus_order() {
    let dir = tempdir();
    corpus(dir.path());
    let r = run_in(
        dir.path(),
        &["clean", "in", "-o", "out.jsonl", "--report", "removed.tsv"],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("a pre-pass read the corpus"), "{}", r.stderr);
    assert!(
        r.stderr.contains("30 template line(s) removed from 5"),
        "{}",
        r.stderr
    );
    let out = std::fs::read_to_string(dir.path().join("out.jsonl")).unwrap();
    let got = records(&out);
    let ids: Vec<&str> = got.iter().map(|g| g.0.as_str()).collect();
    assert_eq!(
        ids,
        ["in/p0.txt", "in/p1.txt", "in/p2.txt", "in/p4.txt", "in/p5.txt"]
    );
    for (id, text) in &got {
        let i = &id[4..5];
        let want = format!(
            "Judul berita nomor{i}\n\
             Warga kampung{i} menanam padi{i} di sawah{i} sejak pagi.\n\
             Panen{i} tahun ini diperkirakan naik{i} dua kali lipat.\n"
        );
        assert_eq!(text, &want, "{id}");
    }
    let report =
        std::fs::read_to_string(dir.path().join("removed.tsv")).unwrap();
    assert_same(
        "the removal report",
        "kind\tid\tof_id\tsimilarity\tdocuments\tsource\tsource_documents\trule\ttail\ttemplate\n\
         exact\tin/p3.txt\tin/p1.txt\t1.000\t\t\t\t\t\t\n\
         template\tin/p0.txt\t\t\t6\t\t6\tlabel\tno\tBaca juga:\n\
         template\tin/p0.txt\t\t\t6\t\t6\topener\tyes\tIkuti berita terkini Warta Contoh\n\
         template\tin/p0.txt\t\t\t6\t\t6\tline\tno\tPenulis: Redaksi Warta Contoh\n",
        &report,
    );
}

/// The same bytes on 1 and 4 threads, and compressed output holds the
/// same records (read back by korpus: the same frequency list).
#[test]
fn clean_is_the_same_on_any_thread_count_and_packing() {
    let dir = tempdir();
    corpus(dir.path());
    let mut outs = Vec::new();
    for (threads, name) in [("1", "a.jsonl"), ("4", "b.jsonl")] {
        let r = run_in(
            dir.path(),
            &[
                "--threads",
                threads,
                "clean",
                "in",
                "-o",
                name,
                "--report",
                "r.tsv",
            ],
            None,
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        outs.push(std::fs::read(dir.path().join(name)).unwrap());
    }
    assert_eq!(outs[0], outs[1]);
    let plain = run_in(dir.path(), &["freq", "a.jsonl"], None).stdout;
    for name in ["c.jsonl.gz", "d.jsonl.zst"] {
        let r = run_in(dir.path(), &["clean", "in", "-o", name], None);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let freq = run_in(dir.path(), &["freq", name], None);
        assert_same(name, &plain, &freq.stdout);
    }
    // The freq list of the cleaned corpus is what freq --dedup
    // --boilerplate counts (the id field aside, which freq does not
    // count).
    let direct =
        run_in(dir.path(), &["freq", "in", "--dedup", "--boilerplate"], None);
    assert!(direct.stderr.contains("1 duplicate document(s) of 6 left out"));
    assert_same("freq --dedup --boilerplate", &plain, &direct.stdout);
    assert!(plain.contains("\tpanen0\t") && !plain.contains("\tpenulis\t"));
}

/// --keep writes every page as read, marked; --explain says why.
#[test]
fn keep_marks_and_explain_says_why() {
    let dir = tempdir();
    corpus(dir.path());
    let r = run_in(
        dir.path(),
        &["clean", "in", "-o", "k.jsonl", "--keep", "--explain", "in/p3.txt"],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "in/p3.txt: dropped: exact duplicate of in/p1.txt (similarity 1.000, \
         kept as the first in corpus order)\n"
    );
    let out = std::fs::read_to_string(dir.path().join("k.jsonl")).unwrap();
    let lines: Vec<serde_json::Value> =
        out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 6);
    assert_eq!(lines[0]["text"], page(0));
    assert_eq!(lines[0]["korpus_template_lines"], "6");
    assert_eq!(lines[3]["korpus_removed"], "exact duplicate");
    assert_eq!(lines[3]["korpus_duplicate_of"], "in/p1.txt");

    let r = run_in(
        dir.path(),
        &["clean", "in", "-o", "k.jsonl", "--explain", "in/p0.txt", "--dedup"],
        None,
    );
    // Only --dedup named: no boilerplate, p0 kept whole.
    assert_eq!(r.stdout, "in/p0.txt: kept whole: nothing removed\n");
    assert!(r.stderr.contains("(--boilerplate off)"), "{}", r.stderr);
    let r = run_in(
        dir.path(),
        &["clean", "in", "-o", "k.jsonl", "--explain", "nope"],
        None,
    );
    assert_eq!(r.stdout, "nope: no document has this id\n");
}

/// Thresholds are options: with --boilerplate-min-docs 7 no line of six
/// pages is a template (the built-in "Baca juga" still goes); without the
/// built-ins, nothing goes.
#[test]
fn thresholds_are_options() {
    let dir = tempdir();
    corpus(dir.path());
    let r = run_in(
        dir.path(),
        &[
            "clean",
            "in",
            "-o",
            "t.jsonl",
            "--boilerplate",
            "--boilerplate-min-docs",
            "7",
        ],
        None,
    );
    assert!(
        r.stderr.contains("6 template line(s) removed from 6"),
        "{}",
        r.stderr
    );
    let r = run_in(
        dir.path(),
        &[
            "clean",
            "in",
            "-o",
            "t.jsonl",
            "--boilerplate",
            "--boilerplate-min-docs",
            "7",
            "--boilerplate-no-builtin",
        ],
        None,
    );
    assert!(
        r.stderr.contains("0 template line(s) removed from 0"),
        "{}",
        r.stderr
    );
    let text = std::fs::read_to_string(dir.path().join("t.jsonl")).unwrap();
    assert_eq!(records(&text)[3].1, page(1));
}

/// Bad input: a malformed record is skipped with a warning naming its
/// line, the rest written, exit 3; a wrong output name is a usage
/// error (exit 2) that writes nothing; a threshold out of range too.
#[test]
fn bad_input_and_bad_options() {
    let dir = tempdir();
    let good = |t: &str| serde_json::json!({ "text": t }).to_string();
    let jsonl = format!("{}\n{{broken\n{}\n", good("satu dua"), good("tiga"));
    std::fs::write(dir.path().join("c.jsonl"), jsonl).unwrap();
    let r = run_in(dir.path(), &["clean", "c.jsonl", "-o", "o.jsonl"], None);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains("c.jsonl:2"), "{}", r.stderr);
    let out = std::fs::read_to_string(dir.path().join("o.jsonl")).unwrap();
    assert_eq!(out.lines().count(), 2);

    let r = run_in(dir.path(), &["clean", "c.jsonl", "-o", "o.txt"], None);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("name it .jsonl"), "{}", r.stderr);
    assert!(!dir.path().join("o.txt").exists());
    let r = run_in(
        dir.path(),
        &["freq", "c.jsonl", "--dedup", "--dedup-threshold", "1.5"],
        None,
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--dedup-threshold"), "{}", r.stderr);
}
