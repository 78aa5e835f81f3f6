//! The cleaning summary line of `--dedup --boilerplate` on the commands
//! that read a corpus, and the cleaning section of `korpus report`.

use std::path::Path;

use crate::util::*;

/// Pages in the generated corpus.
const PAGES: usize = 10;
/// (copy, original): exact copies of earlier pages.
const EXACT: [(usize, usize); 2] = [(7, 1), (8, 2)];
/// (copy, original): a copy with one word changed.
const NEAR: (usize, usize) = (9, 3);
/// Template lines planted in every page (a byline, a "read also" line).
const TEMPLATE_LINES: usize = 2;

/// Page `i`: a title, the byline and a "read also" line (templates, in
/// the first half of the page), then prose whose every line opens with
/// a word of this page only (so no prose line is a template). `byline`
/// is the byline's text.
fn page(i: usize, byline: &str) -> String {
    format!(
        "Judul berita nomor{i}\n\
         {byline}\n\
         Baca juga: Judul lain nomor{i}\n\
         Warga kampung{i} menanam padi di sawah sejak pagi hari.\n\
         Panen{i} tahun ini diperkirakan naik dua kali lipat kata petani{i}.\n\
         Harga{i} gabah di pasar desa masih bertahan sejak bulan lalu.\n\
         Pedagang{i} berharap cuaca cerah bertahan sampai musim tanam.\n\
         Pemerintah{i} daerah menyiapkan pupuk bersubsidi untuk semua kelompok tani.\n\
         Penyuluh{i} datang setiap pekan untuk memeriksa saluran irigasi.\n"
    )
}

/// The corpus in `dir/in`: `PAGES` pages (`p00.txt`, ...), the planted
/// copies among them; the near copy says `salinanunik` for `petani3`.
fn corpus(dir: &Path, byline: &str) {
    let dir = dir.join("in");
    std::fs::create_dir(&dir).unwrap();
    for i in 0..PAGES {
        let text = match EXACT.iter().find(|(c, _)| *c == i) {
            Some(&(_, of)) => page(of, byline),
            None if i == NEAR.0 => page(NEAR.1, byline).replacen(
                &format!("petani{}", NEAR.1),
                "salinanunik",
                1,
            ),
            None => page(i, byline),
        };
        std::fs::write(dir.join(format!("p{i:02}.txt")), text).unwrap();
    }
}

/// The summary line the planted corpus must give.
fn expected_line() -> String {
    let dups = EXACT.len() + 1;
    let kept = PAGES - dups;
    format!(
        "korpus: cleaning: {dups} duplicate document(s) removed ({} exact, \
         1 near), {} template line(s) removed from {kept} document(s)\n",
        EXACT.len(),
        kept * TEMPLATE_LINES
    )
}

const BYLINE: &str = "Penulis: Redaksi Warta Contoh";

/// Runs `args` in `dir`, with `--dedup --boilerplate` when `clean`;
/// asserts success and, when cleaning, the summary line exactly once
/// (the one of the corpus made by [`corpus`], unless `args` name a
/// --ref).
fn run_cleaned(dir: &Path, args: &[&str], clean: bool) -> Run {
    let mut all: Vec<&str> = args.to_vec();
    if clean {
        all.extend(["--dedup", "--boilerplate"]);
    }
    let r = run_in(dir, &all, None);
    assert_eq!(r.code, 0, "{all:?}: {}", r.stderr);
    let summaries = r
        .stderr
        .lines()
        .filter(|l| {
            l.starts_with("korpus: cleaning:") && !l.contains("pre-pass")
        })
        .count();
    assert_eq!(summaries, usize::from(clean), "{all:?}: {}", r.stderr);
    if clean && !args.contains(&"--ref") {
        assert!(r.stderr.contains(&expected_line()), "{all:?}: {}", r.stderr);
    }
    r
}

/// Each command prints the one summary line with the planted counts,
/// and its table leaves the removed text out (the same command without
/// cleaning shows it: the checks can fail).
#[test]
fn every_command_says_what_cleaning_removed_and_counts_without_it() {
    let dir = tempdir();
    corpus(dir.path(), BYLINE);
    let d = dir.path();
    for clean in [false, true] {
        let freq = run_cleaned(d, &["freq", "in"], clean).stdout;
        let has = |item: &str| cell(&freq, "item", item, "freq");
        for gone in ["penulis", "redaksi", "juga", "salinanunik"] {
            assert_eq!(has(gone).is_none(), clean, "freq {gone}: {freq}");
        }
        // kampung1 is in p01 and its exact copy p07.
        let want = if clean { "1" } else { "2" };
        assert_eq!(has("kampung1").as_deref(), Some(want), "{freq}");

        let kwic = run_cleaned(d, &["kwic", "in", "Redaksi"], clean).stdout;
        let lines = tsv(&kwic).len() - 1;
        assert_eq!(lines, if clean { 0 } else { PAGES }, "{kwic}");
        let kwic = run_cleaned(d, &["kwic", "in", "kampung2"], clean).stdout;
        assert_eq!(tsv(&kwic).len() - 1, if clean { 1 } else { 2 });

        let colloc = run_cleaned(d, &["colloc", "in", "warga"], clean).stdout;
        for gone in ["baca", "juga", "lain"] {
            let got = cell(&colloc, "collocate", gone, "freq");
            assert_eq!(got.is_none(), clean, "colloc {gone}: {colloc}");
        }

        // colloc --vs reads the corpus twice: each removal counted once.
        run_cleaned(d, &["colloc", "in", "warga", "--vs", "padi"], clean);

        let stats = run_cleaned(d, &["stats", "in"], clean).stdout;
        let want = if clean { PAGES - EXACT.len() - 1 } else { PAGES };
        assert_eq!(tsv(&stats)[1][0], want.to_string(), "{stats}");
    }
    // stats and freq over `korpus clean`'s output are the same tables.
    let r = run_in(d, &["clean", "in", "-o", "c.jsonl"], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for cmd in ["stats", "freq"] {
        let direct = run_cleaned(d, &[cmd, "in"], true).stdout;
        let cleaned = run_in(d, &[cmd, "c.jsonl"], None).stdout;
        assert_same(cmd, &cleaned, &direct);
    }
}

/// The report: the summary line once, the tables without the removed
/// text, `cleaning.tsv` listing every removal, the section on the page
/// with the scraped text escaped, and the provenance naming the command
/// and the cleaning's settings and counts.
#[test]
fn report_cleans_the_corpus_and_the_reference_and_lists_the_removals() {
    let dir = tempdir();
    let byline = "Oleh <b>Redaksi</b> & Warta <script>x</script>";
    corpus(dir.path(), byline);
    let d = dir.path();
    let args = [
        "report",
        "in",
        "-o",
        "rep",
        "--ref",
        "in",
        "--dedup-threshold",
        "0.6",
    ];
    let r = run_cleaned(d, &args, true);
    // The same files on 1 and 4 threads.
    let mut again: Vec<&str> = vec!["--threads", "4"];
    again.extend(args.iter().map(|a| if *a == "rep" { "rep4" } else { a }));
    run_cleaned(d, &again, true);
    let read = |dir: &str, name: &str| {
        std::fs::read_to_string(d.join(dir).join(name)).unwrap()
    };
    for name in ["cleaning.tsv", "cleaning-ref.tsv"] {
        assert!(read("rep", name) == read("rep4", name), "{name} differs");
    }
    // The page's cleaning section (its provenance names the threads).
    let section = |dir: &str| {
        let html = read(dir, "index.html");
        let from = html.find("<section id=\"cleaning\">").unwrap();
        let len = html[from..].find("</section>").unwrap();
        html[from..from + len].to_string()
    };
    assert_same("the cleaning section", &section("rep"), &section("rep4"));
    let line = expected_line();
    let body = line.trim_end().trim_start_matches("korpus: cleaning: ");
    // Two corpora cleaned (the corpus and --ref): both named, one line.
    let want = format!(
        "korpus: cleaning: corpus 1 (in): {body}; corpus 2 (in): {body}\n"
    );
    assert!(r.stderr.contains(&want), "{}", r.stderr);
    let rep = d.join("rep");
    let freq = std::fs::read_to_string(rep.join("freq-all.tsv")).unwrap();
    assert!(cell(&freq, "item", "redaksi", "freq").is_none(), "{freq}");
    assert!(cell(&freq, "item", "kampung1", "freq").is_some(), "{freq}");
    for name in ["cleaning.tsv", "cleaning-ref.tsv"] {
        let t = std::fs::read_to_string(rep.join(name)).unwrap();
        let rows = tsv(&t);
        let kinds: Vec<(&str, &str, &str)> = rows[1..]
            .iter()
            .filter(|r| r[0] != "template")
            .map(|r| (r[0].as_str(), r[1].as_str(), r[2].as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                ("exact", "in/p07.txt", "in/p01.txt"),
                ("exact", "in/p08.txt", "in/p02.txt"),
                ("near", "in/p09.txt", "in/p03.txt"),
            ],
            "{name}: {t}"
        );
        let templates: Vec<&Vec<String>> =
            rows[1..].iter().filter(|r| r[0] == "template").collect();
        assert_eq!(templates.len(), TEMPLATE_LINES, "{name}: {t}");
        for row in templates {
            // Every page has both templates; the first is p00.
            assert_eq!(row[1], "in/p00.txt", "{t}");
        }
    }
    let html = std::fs::read_to_string(rep.join("index.html")).unwrap();
    assert!(html.contains("<section id=\"cleaning\">"), "no section");
    assert!(html.contains("in/p09.txt"), "the near copy is listed");
    assert!(!html.contains("<script>x"), "scraped markup reached the page");
    assert!(!html.contains("<b>Redaksi"), "scraped markup reached the page");
    // The byline's template (its first five words, as written), escaped.
    let shown = "<td>Oleh &lt;b&gt;Redaksi&lt;/b&gt; &amp; Warta</td>";
    assert!(html.contains(shown), "the byline, escaped");
    let prov: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(rep.join("provenance.json")).unwrap(),
    )
    .unwrap();
    let settings = &prov["settings"];
    assert_eq!(settings["command"], "report");
    assert_eq!(settings["clean"]["dedup"]["threshold"], 0.6);
    assert_eq!(settings["clean"]["boilerplate"]["min_docs"], 5);
    let counts = &prov["counts"]["cleaning"];
    assert_eq!(counts["duplicate_documents"], EXACT.len() + 1);
    assert_eq!(counts["exact_duplicates"], EXACT.len());
}

/// Without cleaning: no summary line, no cleaning.tsv, a one-line
/// section that says so, and neither part in the provenance's `clean`.
#[test]
fn report_without_cleaning_says_so() {
    let dir = tempdir();
    corpus(dir.path(), BYLINE);
    let r = run_cleaned(dir.path(), &["report", "in", "-o", "rep"], false);
    assert!(!r.stderr.contains("pre-pass"), "{}", r.stderr);
    let rep = dir.path().join("rep");
    assert!(!rep.join("cleaning.tsv").exists());
    let html = std::fs::read_to_string(rep.join("index.html")).unwrap();
    let section = html.split("<section id=\"cleaning\">").nth(1).unwrap();
    let section = section.split("</section>").next().unwrap();
    assert!(section.contains("No cleaning"), "{section}");
    assert_eq!(section.matches("<p>").count(), 1, "{section}");
    let prov: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(rep.join("provenance.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(prov["settings"]["command"], "report");
    let clean = &prov["settings"]["clean"];
    assert!(clean["dedup"].is_null() && clean["boilerplate"].is_null());
    assert!(prov["counts"]["cleaning"].is_null());
    // A bad threshold is refused before anything is written.
    let r = run_in(
        dir.path(),
        &["report", "in", "-o", "bad", "--dedup", "--dedup-threshold", "2"],
        None,
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--dedup-threshold"), "{}", r.stderr);
    assert!(!dir.path().join("bad").exists());
}

/// JSON Lines read by kwic with its pre-filter: the lines that cannot
/// match are not parsed, so not cleaned; the summary line says how many
/// and what counts them (--no-prefilter, which gives freq's counts).
#[test]
fn a_prefiltered_read_says_what_it_did_not_count() {
    let dir = tempdir();
    let d = dir.path();
    corpus(d, BYLINE);
    let mut jsonl = String::new();
    for i in 0..PAGES {
        let path = d.join("in").join(format!("p{i:02}.txt"));
        let text = std::fs::read_to_string(path).unwrap();
        jsonl.push_str(&serde_json::json!({ "text": text }).to_string());
        jsonl.push('\n');
    }
    std::fs::write(d.join("c.jsonl"), jsonl).unwrap();
    let full = run_cleaned(d, &["freq", "c.jsonl"], true);
    assert!(!full.stderr.contains("unparsed"), "{}", full.stderr);
    let all = run_cleaned(
        d,
        &["kwic", "c.jsonl", "kampung4", "--no-prefilter"],
        true,
    );
    assert!(!all.stderr.contains("unparsed"), "{}", all.stderr);
    let args = ["kwic", "c.jsonl", "kampung4", "--dedup", "--boilerplate"];
    let r = run_in(d, &args, None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(tsv(&r.stdout).len() - 1, 1, "{}", r.stdout);
    // Only kampung4's page is parsed: none of the copies, one page's
    // template lines; the other 9 lines are named as not counted.
    let want = format!(
        "korpus: cleaning: 0 duplicate document(s) removed (0 exact, 0 \
         near), {TEMPLATE_LINES} template line(s) removed from 1 \
         document(s) (counted over the records parsed: {} that the \
         query's pre-filter left unparsed, as they cannot match, are \
         not; --no-prefilter counts them)\n",
        PAGES - 1
    );
    assert!(r.stderr.contains(&want), "{}", r.stderr);
}
