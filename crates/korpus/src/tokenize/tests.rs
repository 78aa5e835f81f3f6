//! Table tests of the tokenizer.

use super::*;

fn surfaces(text: &str, opts: &TokenizerOptions) -> Vec<String> {
    tokens(text, opts)
        .iter()
        .map(|t| text[t.start..t.end].to_string())
        .collect()
}

fn check(text: &str, want: &[&str]) {
    let got = surfaces(text, &TokenizerOptions::default());
    assert_eq!(got, want, "tokenizing {text:?}");
}

#[test]
fn indonesian_table() {
    let rows: &[(&str, &[&str])] = &[
        ("negara-negara kawan-kawan", &["negara-negara", "kawan-kawan"]),
        ("sayur-mayur bolak-balik", &["sayur-mayur", "bolak-balik"]),
        ("DPRK-Tiongkok", &["DPRK", "-", "Tiongkok"]),
        (
            "Rp 1.000,50 pada 06/09/2025 09:05",
            &["Rp", "1.000,50", "pada", "06/09/2025", "09:05"],
        ),
        ("naik 4,5%.", &["naik", "4,5", "%", "."]),
        ("buku, pena, dll. dan", &["buku", ",", "pena", ",", "dll.", "dan"]),
        ("a.n. Budi", &["a.n.", "Budi"]),
        ("the U.S. army", &["the", "U.S.", "army"]),
        ("bukunya pergilah", &["bukunya", "pergilah"]),
        ("tahun 1960-an ke-4", &["tahun", "1960-an", "ke-4"]),
        ("Jum'at", &["Jum'at"]),
        (
            "kunjungi https://kompas.id/a?b=1.",
            &["kunjungi", "https://kompas.id/a?b=1", "."],
        ),
        ("(lihat www.detik.com)", &["(", "lihat", "www.detik.com", ")"]),
        (
            "email redaksi@contoh.co.id ya",
            &["email", "redaksi@contoh.co.id", "ya"],
        ),
        ("@jokowi #PemiluDamai", &["@jokowi", "#PemiluDamai"]),
        ("keren 👍🏽 sekali 🇮🇩", &["keren", "👍🏽", "sekali", "🇮🇩"]),
        ("\"Ya,\" katanya...", &["\"", "Ya", ",", "\"", "katanya", "..."]),
        ("AT&amp;T", &["AT&amp;T"]),
        ("don&#8217;t", &["don&#8217;t"]),
        ("PPh-nya", &["PPh", "-", "nya"]),
        ("ke\u{00AD}cil", &["ke\u{00AD}cil"]),
        // A run of ignorables joins a word as one does (issue 22).
        ("ke\u{00AD}\u{00AD}cil", &["ke\u{00AD}\u{00AD}cil"]),
        ("ke\u{200D}\u{2060}\u{FEFF}cil", &["ke\u{200D}\u{2060}\u{FEFF}cil"]),
        ("ke\u{200C}\u{200C} cil", &["ke", "cil"]),
        ("kata\u{00A0}kunci", &["kata", "kunci"]),
        ("", &[]),
        ("   ", &[]),
    ];
    for (text, want) in rows {
        check(text, want);
    }
}

#[test]
fn english_table() {
    let rows: &[(&str, &[&str])] = &[
        ("I don't know", &["I", "don't", "know"]),
        ("John's car", &["John's", "car"]),
        ("AT&T and E&P", &["AT&T", "and", "E&P"]),
        ("semester I/2007", &["semester", "I/2007"]),
        ("dan/atau", &["dan", "/", "atau"]),
        ("(4/China)", &["(", "4", "/", "China", ")"]),
        ("Rp1.000 dan Rp 5", &["Rp", "1.000", "dan", "Rp", "5"]),
        ("Mr. Smith met J. Doe.", &["Mr.", "Smith", "met", "J.", "Doe", "."]),
        ("Amazon.com sells", &["Amazon.com", "sells"]),
    ];
    for (text, want) in rows {
        check(text, want);
    }
}

#[test]
fn classes_are_assigned() {
    let text = "Tiongkok 2025 , $ https://a.id x@y.id #a @b 😀";
    let got: Vec<TokenClass> = tokens(text, &TokenizerOptions::default())
        .iter()
        .map(|t| t.class)
        .collect();
    use TokenClass::*;
    assert_eq!(
        got,
        [Word, Number, Punct, Symbol, Url, Email, Hashtag, Mention, Emoji]
    );
}

#[test]
fn sentence_starts() {
    let text = "Ia datang. \"Saya senang.\" Lalu dll. pergi!\n\nJudul baru";
    let toks = tokens(text, &TokenizerOptions::default());
    let starts: Vec<&str> = toks
        .iter()
        .filter(|t| t.sentence_start)
        .map(|t| &text[t.start..t.end])
        .collect();
    assert_eq!(starts, ["Ia", "\"", "Lalu", "Judul"]);
}

#[test]
fn hyphen_policies() {
    let keep =
        TokenizerOptions { hyphens: HyphenPolicy::Keep, ..Default::default() };
    let split = TokenizerOptions {
        hyphens: HyphenPolicy::Split,
        ..Default::default()
    };
    assert_eq!(surfaces("DPRK-Tiongkok", &keep), ["DPRK-Tiongkok"]);
    assert_eq!(surfaces("anak-anak", &split), ["anak", "-", "anak"]);
}

#[test]
fn split_clitics_option() {
    let opts = TokenizerOptions { split_clitics: true, ..Default::default() };
    assert_eq!(surfaces("bukunya sekolah", &opts), ["buku", "nya", "sekolah"]);
    let rows: &[(&str, &[&str])] = &[
        ("I don't know", &["I", "do", "n't", "know"]),
        ("John's car", &["John", "'s", "car"]),
        ("we'll see", &["we", "'ll", "see"]),
        ("Jum'at", &["Jum'at"]),
    ];
    for (text, want) in rows {
        assert_eq!(surfaces(text, &opts), *want, "{text}");
    }
}

#[test]
fn seed_article_has_nine_tiongkok() {
    let text =
        include_str!("../../../../corpus/seed/000_45b6498bc7b02e87.txt");
    let n = tokens(text, &TokenizerOptions::default())
        .iter()
        .filter(|t| &text[t.start..t.end] == "Tiongkok")
        .count();
    assert_eq!(n, 9);
}

#[test]
fn ascii_word_end_agrees_with_the_byte_table() {
    // Runs that end inside, at the edge of and after an eight-byte
    // block, and at non-ASCII bytes.
    let text = b"Tiongkok_2025 x abcdefghijklmnopq-r \xc3\xa9t\xc3\xa9 A1b2C3d4E5f6G7h8";
    for start in 0..text.len() {
        let mut want = start;
        while want < text.len() && WORD_BYTE[text[want] as usize] {
            want += 1;
        }
        assert_eq!(ascii_word_end(text, start), want, "from {start}");
    }
}
