//! Options that name one of a closed set (issue 24, typed options):
//! `korpus help CMD` lists the values, and a word outside them is the
//! one usage error line naming the flag and the same values (exit 2),
//! reported before the corpus is read.

use crate::util::run;

/// (command line before the flag, flag, its values in order)
const TYPED: &[(&[&str], &str, &[&str])] = &[
    (&["freq", "corpus"], "--normalize", &["nfc", "nfkc", "none"]),
    (&["freq", "corpus"], "--case", &["fold", "keep"]),
    (&["freq", "corpus"], "--hyphens", &["auto", "keep", "split"]),
    (
        &["freq", "corpus"],
        "--input-format",
        &[
            "text", "leipzig", "jsonl", "csv", "tsv", "conllu", "markdown",
            "html", "warc",
        ],
    ),
    (&["freq", "corpus"], "--html", &["article", "raw"]),
    (&["kwic", "corpus", "China"], "--hyphens", &["auto", "keep", "split"]),
    (&["kwic", "corpus", "China"], "--context", &["sentence"]),
    (&["eval-tokens", "g.conllu"], "--hyphens", &["auto", "keep", "split"]),
];

/// The help text of `flag` in `korpus help command`, on one line.
fn help_of(command: &str, flag: &str) -> String {
    let r = run(&["help", command]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.trim_start().starts_with(&format!("{flag} <")))
        .unwrap_or_else(|| panic!("{flag} not in `korpus help {command}`"));
    let mut text = vec![lines[start]];
    for l in &lines[start + 1..] {
        if l.trim_start().starts_with('-') || l.trim().is_empty() {
            break;
        }
        text.push(l);
    }
    text.join(" ").split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn help_lists_the_values_of_typed_options() {
    for (line, flag, values) in TYPED {
        let help = help_of(line[0], flag);
        let want = format!("[possible values: {}]", values.join(", "));
        assert!(help.contains(&want), "{} {flag}: {help}", line[0]);
    }
}

#[test]
fn an_unknown_value_is_one_line_listing_the_same_values() {
    for (line, flag, values) in TYPED {
        let mut args = line.to_vec();
        args.extend([*flag, "bogus"]);
        let r = run(&args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{args:?}");
        let want = format!(
            "korpus: unknown {flag} 'bogus' (known: {})\n",
            values.join(", ")
        );
        assert_eq!(r.stderr, want, "{args:?}");
    }
}

#[test]
fn an_unknown_value_is_reported_before_the_corpus_is_read() {
    for flag in ["--normalize", "--case", "--hyphens", "--input-format"] {
        let r = run(&["stats", "nowhere.txt", flag, "Nfc"]);
        assert_eq!(r.code, 2, "{flag}");
        assert!(
            r.stderr.starts_with(&format!("korpus: unknown {flag} 'Nfc'")),
            "{flag}: {}",
            r.stderr
        );
    }
}
