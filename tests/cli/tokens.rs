//! `korpus tokens`.

use crate::util::*;

#[test]
fn spans_slice_the_original_text() {
    let path = "corpus/seed/000_45b6498bc7b02e87.txt";
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    let out = ok(&["tokens", path, "--format", "tsv"]);
    let rows = tsv(&out);
    assert_eq!(
        rows[0],
        ["doc", "sentence", "start", "end", "surface", "norm", "class"]
    );
    let mut last_end = 0;
    for r in &rows[1..] {
        let (s, e): (usize, usize) =
            (r[2].parse().unwrap(), r[3].parse().unwrap());
        assert_eq!(&text[s..e], r[4]);
        assert!(s >= last_end);
        last_end = e;
    }
    // DPRK-Tiongkok: three tokens, the hyphen a punctuation token.
    let i = rows.iter().position(|r| r[4] == "DPRK").unwrap();
    assert_eq!(rows[i + 1][4..], ["-", "-", "punct"]);
    assert_eq!(rows[i + 2][4..], ["Tiongkok", "tiongkok", "word"]);
    let tiongkok = rows.iter().filter(|r| r[5] == "tiongkok").count();
    assert_eq!(tiongkok, 9);
    // Numbers and dates of the byline.
    assert!(rows.iter().any(|r| r[4] == "06/09/2025" && r[6] == "number"));
    assert!(rows.iter().any(|r| r[4] == "09:05" && r[6] == "number"));
}

#[test]
fn sentences_are_numbered() {
    let dir = tempdir();
    std::fs::write(
        dir.path().join("t.txt"),
        "Ia datang, dll. pergi. Lalu pulang!",
    )
    .unwrap();
    let r = run_in(
        dir.path(),
        &["tokens", "t.txt", "--classes", "word", "--format", "tsv"],
        None,
    );
    let got: Vec<String> = tsv(&r.stdout)[1..]
        .iter()
        .map(|r| format!("{}:{}", r[1], r[4]))
        .collect();
    assert_eq!(
        got,
        ["1:Ia", "1:datang", "1:dll.", "1:pergi", "2:Lalu", "2:pulang"]
    );
}

#[test]
fn clitics_split_on_request() {
    let dir = tempdir();
    std::fs::write(dir.path().join("t.txt"), "Bukunya di sekolah").unwrap();
    let r = run_in(
        dir.path(),
        &["tokens", "t.txt", "--split-clitics", "--format", "tsv"],
        None,
    );
    let got: Vec<String> =
        tsv(&r.stdout)[1..].iter().map(|r| r[4].clone()).collect();
    assert_eq!(got, ["Buku", "nya", "di", "sekolah"]);
}
