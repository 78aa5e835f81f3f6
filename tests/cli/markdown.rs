//! The Markdown reader and the fields derived for every format (`date`
//! from a field or the path, `source` from a URL's host): `freq`, `--by
//! date:month`, `--by source`, `--where source=`, the warnings, and the
//! same bytes on 1 and 4 threads.

use std::path::Path;

use crate::util::*;

/// A page in the shape of the saved news pages (written for these
/// tests): a title, a lead, the Field/Value table, an image, prose with
/// a link, the given `extra` text.
fn page(title: &str, extra: &str) -> String {
    format!(
        "# {title}\n\nWarga pesisir mengungsi sejak pagi.\n\n\
         | Field         | Value |\n\
         |---------------|-------|\n\
         | 🏷️ Title       | {title} |\n\
         | 📝 Description | Warga pesisir mengungsi. |\n\
         | 🔗 Short URL   | http://kor.an/x1 |\n\
         | 👤 Author      |  |\n\
         | ✏️ Editor      | Dodi |\n\n\
         ![Warga di posko](https://cdn.koran.example/crops/a.jpg)\n\n\
         **KORAN.example** - Warga [Kampung Nelayan](https://koran.example/tag/kn) \
         mengungsi ke balai desa.\n\n{extra}\n"
    )
}

/// Writes `files` (relative path, contents) under `dir`.
fn write(dir: &Path, files: &[(&str, &str)]) {
    for (rel, text) in files {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// Three pages in dated folders, two date forms.
fn pages(dir: &Path) {
    let a = page("Banjir Pesisir", "Air setinggi satu meter.");
    let b = page("Posko Dibuka", "Posko dibuka di balai desa.");
    let c = page("Harga Beras", "Harga beras naik.");
    write(
        dir,
        &[
            ("news/01Nov2025/banjir.md", &a),
            ("news/30May2025/posko.md", &b),
            ("news/2025/06/02/beras.markdown", &c),
        ],
    );
}

fn freq_of(out: &str, item: &str) -> Option<u64> {
    cell(out, "item", item, "freq").map(|f| f.parse().unwrap())
}

#[test]
fn freq_counts_the_prose_not_the_table_nor_the_image() {
    let dir = tempdir();
    pages(dir.path());
    let r = run_in(dir.path(), &["freq", "news", "--format", "tsv"], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Per page: "warga" in the lead, in the prose; the table's
    // description and the image's alt text are not text: 2 x 3 pages.
    assert_eq!(freq_of(&r.stdout, "warga"), Some(6));
    // "mengungsi": lead and prose, 2 x 3.
    assert_eq!(freq_of(&r.stdout, "mengungsi"), Some(6));
    // The link's text is kept: "nelayan" once a page.
    assert_eq!(freq_of(&r.stdout, "nelayan"), Some(3));
    // "posko": the second page's title (heading) and its line: 2.
    assert_eq!(freq_of(&r.stdout, "posko"), Some(2));
    for word in ["field", "value", "title", "editor", "author", "dodi"] {
        assert_eq!(freq_of(&r.stdout, word), None, "{word}");
    }
    for word in ["cdn.koran.example", "https", "jpg", "kor.an"] {
        assert!(!r.stdout.contains(word), "{word}");
    }
    // The fields are there: --where on the table's editor.
    let args = ["freq", "news", "--where", "editor=Dodi", "--format", "tsv"];
    let r = run_in(dir.path(), &args, None);
    assert_eq!(freq_of(&r.stdout, "warga"), Some(6), "{}", r.stderr);
    let args =
        ["freq", "news", "--where", "title=Harga Beras", "--format", "tsv"];
    let r = run_in(dir.path(), &args, None);
    assert_eq!(freq_of(&r.stdout, "warga"), Some(2), "{}", r.stderr);
}

#[test]
fn by_date_month_reads_the_dates_in_paths() {
    let dir = tempdir();
    pages(dir.path());
    let args = ["stats", "news", "--by", "date:month", "--format", "tsv"];
    let r = run_in(dir.path(), &args, None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // 30May2025, 2025/06/02 and 01Nov2025: one page a month.
    let groups: Vec<(String, String)> = tsv(&r.stdout)[1..]
        .iter()
        .map(|row| (row[0].clone(), row[1].clone()))
        .collect();
    let want = [("2025-05", "1"), ("2025-06", "1"), ("2025-11", "1")];
    let want: Vec<(String, String)> =
        want.iter().map(|(g, n)| (g.to_string(), n.to_string())).collect();
    assert_eq!(groups, want);
    // The derived date and where it came from, per document.
    let args = [
        "kwic",
        "news",
        "nelayan",
        "--fields",
        "date,date_from",
        "--format",
        "tsv",
    ];
    let r = run_in(dir.path(), &args, None);
    let rows = tsv(&r.stdout);
    assert_eq!(rows[0][..3], ["doc", "date", "date_from"]);
    let dates: Vec<&str> = rows[1..].iter().map(|r| r[1].as_str()).collect();
    assert_eq!(dates, ["2025-11-01", "2025-06-02", "2025-05-30"]);
    assert!(rows[1..].iter().all(|r| r[2] == "path"));
}

/// A JSONL corpus with URLs, dates in fields, a user's own source.
const NEWS: &str = concat!(
    r#"{"text":"harga beras naik","url":"https://www.warta.example/read/1","published":"21 Okt 2025"}"#,
    "\n",
    r#"{"text":"harga cabai naik","url":"https://news.kabar.example/x","datePublished":"2025-09-30T23:00:00+07:00"}"#,
    "\n",
    r#"{"text":"beras murah","canonical":"http://warta.example/b","tanggal":"Selasa, 21 Oktober 2025 20:43 WIB"}"#,
    "\n",
    r#"{"text":"beras lokal","url":"https://warta.example/c","source":"Warta Cetak","date":"2025-10-02"}"#,
    "\n",
);

#[test]
fn by_source_and_where_source_from_url_hosts() {
    let dir = tempdir();
    write(dir.path(), &[("news.jsonl", NEWS)]);
    let args = ["stats", "news.jsonl", "--by", "source", "--format", "tsv"];
    let r = run_in(dir.path(), &args, None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Hosts without www.; line 4 keeps its own source.
    let groups: Vec<(String, String)> = tsv(&r.stdout)[1..]
        .iter()
        .map(|row| (row[0].clone(), row[1].clone()))
        .collect();
    let want = [
        ("Warta Cetak", "1"),
        ("news.kabar.example", "1"),
        ("warta.example", "2"),
    ];
    let want: Vec<(String, String)> =
        want.iter().map(|(g, n)| (g.to_string(), n.to_string())).collect();
    assert_eq!(groups, want);
    // --where source=warta.example: lines 1 and 3, "beras" in both.
    let args = [
        "freq",
        "news.jsonl",
        "--where",
        "source=warta.example",
        "--format",
        "tsv",
    ];
    let r = run_in(dir.path(), &args, None);
    assert_eq!(freq_of(&r.stdout, "beras"), Some(2), "{}", r.stderr);
    assert_eq!(freq_of(&r.stdout, "cabai"), None);
    // --by date:month from the date fields: 2025-10 (lines 1, 3, 4:
    // Okt, Oktober, the user's own date) and 2025-09 (line 2, the date
    // as written, not moved to another zone).
    let args =
        ["stats", "news.jsonl", "--by", "date:month", "--format", "tsv"];
    let r = run_in(dir.path(), &args, None);
    let rows = tsv(&r.stdout);
    let groups: Vec<(&str, &str)> =
        rows[1..].iter().map(|r| (r[0].as_str(), r[1].as_str())).collect();
    assert_eq!(groups, [("2025-09", "1"), ("2025-10", "3")]);
}

#[test]
fn a_broken_table_and_a_bad_date_warn_once_each_and_the_text_is_read() {
    let dir = tempdir();
    let broken = "Isi berita.\n\n| Field | Value |\n| 🏷️ Title | Judul |\n";
    write(
        dir.path(),
        &[
            ("a/rusak.md", broken),
            (
                "a/tanggal.jsonl",
                "{\"text\":\"satu\"}\n{\"text\":\"dua\",\"published\":\"31/02/2025\"}\n",
            ),
        ],
    );
    let r = run_in(dir.path(), &["freq", "a", "--format", "tsv"], None);
    // Exit 3, as for a skipped record: the table and the date were not
    // read, and the last line says so.
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert_eq!(
        r.stderr.lines().last(),
        Some(
            "korpus: 2 metadata block(s) or date(s) not read; see the warnings above (exit code 3)"
        ),
        "{}",
        r.stderr
    );
    let warnings: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.starts_with("korpus: warning:"))
        .collect();
    assert_eq!(warnings.len(), 2, "{}", r.stderr);
    assert!(
        warnings[0]
            .starts_with("korpus: warning: a/rusak.md:3: a key/value table"),
        "{}",
        warnings[0]
    );
    assert!(warnings[0].contains("delimiter row"), "{}", warnings[0]);
    assert!(
        warnings[1].starts_with(
            "korpus: warning: a/tanggal.jsonl:2: the published '31/02/2025'"
        ),
        "{}",
        warnings[1]
    );
    // The broken table is text: its words are counted (title once);
    // the document with the bad date is counted too.
    assert_eq!(freq_of(&r.stdout, "title"), Some(1));
    assert_eq!(freq_of(&r.stdout, "judul"), Some(1));
    assert_eq!(freq_of(&r.stdout, "dua"), Some(1));
    // The provenance record counts both.
    let prov = dir.path().join("p.json");
    let args =
        ["freq", "a", "-o", "out.tsv", "--provenance", prov.to_str().unwrap()];
    let r = run_in(dir.path(), &args, None);
    assert_eq!(r.code, 3, "{}", r.stderr);
    let record: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&prov).unwrap())
            .unwrap();
    assert_eq!(record["metadata_unread"], 1, "{record}");
    assert_eq!(record["derived"]["dates_not_understood"], 1, "{record}");
}

#[test]
fn markdown_and_derived_fields_are_the_same_on_1_and_4_threads() {
    let dir = tempdir();
    pages(dir.path());
    write(dir.path(), &[("news/wire.jsonl", NEWS)]);
    let runs = |threads: &str| -> Vec<String> {
        let commands: [&[&str]; 3] = [
            &["freq", "news", "--by", "date:month", "--format", "tsv"],
            &["stats", "news", "--by", "source", "--format", "tsv"],
            &[
                "kwic",
                "news",
                "beras|warga",
                "--fields",
                "date,source,title",
                "--format",
                "tsv",
            ],
        ];
        commands
            .iter()
            .map(|args| {
                let mut all = vec!["--threads", threads];
                all.extend_from_slice(args);
                let r = run_in(dir.path(), &all, None);
                assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
                r.stdout
            })
            .collect()
    };
    let one = runs("1");
    assert!(one[0].lines().count() > 10, "{}", one[0]);
    assert_eq!(one, runs("4"));
}

#[test]
fn kompas_pages_read_as_markdown_keep_the_table_out_of_the_counts() {
    let Some(folder) =
        shared_or_skip("unlicensed-research-only/kompas-2025-md")
    else {
        return;
    };
    let folder = folder.to_str().unwrap().to_string();
    let out = ok(&["freq", &folder, "--top", "1000", "--format", "tsv"]);
    let rows = tsv(&out);
    let mut ranks = Vec::new();
    for word in ["field", "value", "author", "editor", "title", "description"]
    {
        let rank =
            rows[1..].iter().find(|r| r[1] == word).map(|r| r[0].clone());
        ranks.push(format!("{word}: {}", rank.as_deref().unwrap_or("> 1000")));
        assert_eq!(rank, None, "{word} is in the top 1,000");
    }
    eprintln!("kompas-2025-md ranks: {}", ranks.join(", "));
    // --by date:month: the month of the folder name (DDMonYYYY), or of
    // the file name's own date where it has one (`xml.YYYY.MM.DD.N.md`,
    // the day of publication; the folder's is the day of saving).
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
        "Nov", "Dec",
    ];
    let mut want = std::collections::BTreeMap::<String, u64>::new();
    let mut from_names = 0;
    for dir in std::fs::read_dir(&folder).unwrap() {
        let dir = dir.unwrap();
        let d = dir.file_name().to_string_lossy().into_owned();
        let m = months.iter().position(|m| *m == &d[2..5]).unwrap() + 1;
        let of_folder = format!("{}-{m:02}", &d[5..9]);
        for file in std::fs::read_dir(dir.path()).unwrap() {
            let name =
                file.unwrap().file_name().to_string_lossy().into_owned();
            let month = match name.strip_prefix("xml.") {
                Some(rest) => {
                    from_names += 1;
                    format!("{}-{}", &rest[..4], &rest[5..7])
                }
                None => of_folder.clone(),
            };
            *want.entry(month).or_default() += 1;
        }
    }
    let out = ok(&["stats", &folder, "--by", "date:month", "--format", "tsv"]);
    let got: std::collections::BTreeMap<String, u64> = tsv(&out)[1..]
        .iter()
        .map(|r| (r[0].clone(), r[1].parse().unwrap()))
        .collect();
    eprintln!("kompas-2025-md months: {got:?} ({from_names} from file names)");
    assert_eq!(got, want);
}
