//! Every example in README.md is true: each `$ korpus ...` line in a
//! `console` block is run from the repository root and its output must
//! be exactly the lines that follow it.

use crate::util::*;

/// Splits a command line into words, honouring '...' and "..." quotes.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut any = false;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                any = true;
            }
            (None, ' ') => {
                if !cur.is_empty() || any {
                    out.push(std::mem::take(&mut cur));
                }
                any = false;
            }
            (None, c) => cur.push(c),
        }
    }
    if !cur.is_empty() || any {
        out.push(cur);
    }
    out
}

/// The examples: (command words, expected stdout).
fn examples(readme: &str) -> Vec<(Vec<String>, String)> {
    let mut out: Vec<(Vec<String>, String)> = Vec::new();
    let mut in_block = false;
    for line in readme.lines() {
        if line.starts_with("```") {
            in_block = line.trim() == "```console";
            continue;
        }
        if !in_block {
            continue;
        }
        if let Some(cmd) = line.strip_prefix("$ korpus ") {
            out.push((words(cmd), String::new()));
        } else if line.starts_with("$ ") {
            in_block = false; // a shell command other than korpus: not run
        } else if let Some((_, expected)) = out.last_mut() {
            expected.push_str(line);
            expected.push('\n');
        }
    }
    out
}

#[test]
fn readme_examples_are_true() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let examples = examples(&readme);
    assert!(examples.len() >= 6, "README has {} examples", examples.len());
    let subcommands: std::collections::BTreeSet<&str> =
        examples.iter().map(|(w, _)| w[0].as_str()).collect();
    for sub in ["freq", "stats", "kwic", "dispersion", "tokens", "eval-tokens"]
    {
        assert!(subcommands.contains(sub), "README has no example of {sub}");
    }
    // Charts README shows (`--chart docs/NAME`) are drawn into a
    // temporary directory and must equal the committed images byte for
    // byte: the pictures in README are made by the commands it gives.
    let tmp = tempdir();
    for (args, expected) in &examples {
        let needs_shared = args.iter().any(|a| a.starts_with("../shared/"));
        if needs_shared && shared_or_skip("").is_none() {
            continue;
        }
        let mut images = Vec::new();
        let args: Vec<String> = args
            .iter()
            .map(|a| match a.strip_prefix("docs/").filter(|n| is_image(n)) {
                Some(name) => {
                    let to = tmp.path().join(name);
                    images.push((root().join(a), to.clone()));
                    to.display().to_string()
                }
                None => a.clone(),
            })
            .collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let r = run(&args);
        assert!(
            r.code == 0,
            "korpus {args:?} exited {}: {}",
            r.code,
            r.stderr
        );
        assert_same(
            &format!("korpus {}", args.join(" ")),
            expected,
            &r.stdout,
        );
        for (committed, drawn) in images {
            let want = std::fs::read(&committed)
                .unwrap_or_else(|e| panic!("{}: {e}", committed.display()));
            let got = std::fs::read(&drawn).unwrap();
            assert!(
                want == got,
                "{} is not what `korpus {}` draws: redraw it",
                committed.display(),
                args.join(" ")
            );
        }
    }
}

#[test]
fn readme_names_the_two_commands_and_ci_runs_the_test_command() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    assert!(
        readme.contains(
            "cargo run --release -- report corpus -o report --by file"
        )
    );
    assert!(readme.contains("cargo test --locked"));
    let ci = std::fs::read_to_string(root().join(".ci/run")).unwrap();
    assert!(ci.contains("cargo test --locked"));
}

#[test]
fn words_split_like_a_shell() {
    assert_eq!(words("freq 'a b' \"c\" d"), ["freq", "a b", "c", "d"]);
    assert_eq!(words("--by 'path~_(\\d{4})_'"), ["--by", "path~_(\\d{4})_"]);
}

/// Whether a path under `docs/` in an example is a chart it draws (the
/// other files there, such as `docs/examples/`, are read as they are).
fn is_image(name: &str) -> bool {
    name.ends_with(".svg") || name.ends_with(".png")
}
