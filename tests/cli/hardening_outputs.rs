//! Issue 22 (hardening II), items 1, 2, 10, 11, 13 and 14: outputs
//! never replace inputs or a user's files, a failed run leaves no
//! output, an interrupted one no temporary file, the frequency cache is
//! checked, and the exit codes are the documented ones.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::*;

fn read(p: impl AsRef<Path>) -> String {
    std::fs::read_to_string(p).unwrap()
}

/// A tiny corpus directory `corpus` in `dir`.
fn tiny(dir: &Path) {
    std::fs::create_dir_all(dir.join("corpus")).unwrap();
    std::fs::write(
        dir.join("corpus/a.txt"),
        "Tiongkok dan China. Korea Utara dan Tiongkok.",
    )
    .unwrap();
}

// Item 1.

#[test]
fn report_replaces_only_the_files_it_wrote() {
    let dir = tempdir();
    let d = dir.path();
    // The case: an index.html copied into a project folder.
    std::fs::create_dir_all(d.join("proj/corpus")).unwrap();
    std::fs::write(d.join("proj/corpus/a.txt"), "Tiongkok dan China.\n")
        .unwrap();
    std::fs::write(d.join("proj/thesis.txt"), "draft\n").unwrap();
    let rep =
        |out: &str| run_in(d, &["report", "proj/corpus", "-o", out], None);
    let r = rep("r1");
    assert_eq!(r.code, 0, "{}", r.stderr);
    std::fs::copy(d.join("r1/index.html"), d.join("proj/index.html")).unwrap();
    let r = rep("proj");
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(read(d.join("proj/thesis.txt")), "draft\n");
    assert_eq!(read(d.join("proj/corpus/a.txt")), "Tiongkok dan China.\n");
    // The same without the corpus inside: no manifest, refused.
    std::fs::create_dir(d.join("p2")).unwrap();
    std::fs::copy(d.join("r1/index.html"), d.join("p2/index.html")).unwrap();
    std::fs::write(d.join("p2/thesis.txt"), "draft\n").unwrap();
    let r = rep("p2");
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("not a korpus report"), "{}", r.stderr);
    assert_eq!(names(&d.join("p2")), ["index.html", "thesis.txt"]);
    // With the manifest copied too, the user's file is still refused.
    std::fs::copy(
        d.join("r1/korpus-manifest.json"),
        d.join("p2/korpus-manifest.json"),
    )
    .unwrap();
    let r = rep("p2");
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("holds thesis.txt"), "{}", r.stderr);
    assert_eq!(read(d.join("p2/thesis.txt")), "draft\n");
    // A file added to an earlier report, or one of its files changed.
    std::fs::write(d.join("r1/mine.txt"), "notes\n").unwrap();
    let r = rep("r1");
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(read(d.join("r1/mine.txt")), "notes\n");
    std::fs::remove_file(d.join("r1/mine.txt")).unwrap();
    let stats = read(d.join("r1/stats.tsv"));
    std::fs::write(d.join("r1/stats.tsv"), format!("{stats}# checked\n"))
        .unwrap();
    let r = rep("r1");
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("holds stats.tsv, changed"), "{}", r.stderr);
    std::fs::write(d.join("r1/stats.tsv"), &stats).unwrap();
    // An unchanged earlier report is replaced, and nothing is left over.
    let r = rep("r1");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(names(d), ["p2", "proj", "r1"]);
    let manifest: serde_json::Value =
        serde_json::from_str(&read(d.join("r1/korpus-manifest.json")))
            .unwrap();
    let mut listed: Vec<String> =
        manifest["files"].as_object().unwrap().keys().cloned().collect();
    listed.push("korpus-manifest.json".to_string());
    listed.sort();
    assert_eq!(listed, names(&d.join("r1")));
}

// Item 2.

#[test]
fn an_output_that_is_an_input_is_refused_before_anything_runs() {
    let dir = tempdir();
    let d = dir.path();
    let text = "text\nTiongkok dan China.\n";
    std::fs::write(d.join("news.tsv"), text).unwrap();
    std::fs::create_dir(d.join("sub")).unwrap();
    std::fs::write(d.join("sub/b.txt"), "China lagi.\n").unwrap();
    std::fs::hard_link(d.join("news.tsv"), d.join("link.tsv")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("news.tsv", d.join("sym.tsv")).unwrap();
    let before = names(d);
    let cases: &[&[&str]] = &[
        &["freq", "news.tsv", "--chart", "news.svg"],
        &["freq", "news.tsv", "-o", "news.tsv"],
        &["freq", "news.tsv", "-o", "./news.tsv"],
        &["freq", "news.tsv", "-o", "link.tsv"],
        &["freq", "news.tsv", "-o", "sym.tsv"],
        &["freq", "news.tsv", "--provenance", "news.tsv"],
        &["freq", "news.tsv", "-o", "f.tsv", "--provenance", "f.tsv"],
        &["freq", "news.tsv", "-o", "c.tsv", "--chart", "c.svg"],
        &["freq", "sub", "-o", "sub/out.tsv"],
        &["freq", ".", "--chart", "zipf.svg"],
        &["kwic", "news.tsv", "China", "-o", "sub/../news.tsv"],
        &["keyness", "sub", "--ref", "news.tsv", "-o", "news.tsv"],
        &["colloc", "sub", "China", "--freq-cache", "sub/cache"],
        &["report", "sub", "-o", "sub/rep"],
        &["report", "sub", "-o", "."],
    ];
    for args in cases {
        let r = run_in(d, args, None);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.lines().count() == 1
                && r.stderr.contains("nothing was written"),
            "{args:?}: {}",
            r.stderr
        );
        assert_eq!(read(d.join("news.tsv")), text, "{args:?}");
        assert_eq!(names(d), before, "{args:?}");
        assert_eq!(names(&d.join("sub")), ["b.txt"], "{args:?}");
    }
    // Devices are written, not replaced: not outputs to refuse.
    let r = run_in(
        d,
        &["freq", "news.tsv", "-o", "/dev/null", "--provenance", "/dev/null"],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
}

// Item 10.

#[test]
fn a_failed_run_writes_none_of_its_outputs() {
    let dir = tempdir();
    let d = dir.path();
    std::fs::write(d.join("a.txt"), "Tiongkok dan China.\n").unwrap();
    // Fails after the rows were written: nothing is kept, an older file
    // stays as it was.
    let r = run_in(
        d,
        &["kwic", "a.txt", "Tiongkok", "--fields", "nofield", "-o", "k.tsv"],
        None,
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(names(d), ["a.txt"]);
    std::fs::write(d.join("k.tsv"), "old\n").unwrap();
    let r = run_in(
        d,
        &["kwic", "a.txt", "Tiongkok", "--fields", "nofield", "-o", "k.tsv"],
        None,
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(read(d.join("k.tsv")), "old\n");
    std::fs::remove_file(d.join("k.tsv")).unwrap();
    // The provenance cannot be written (a directory): no output at all.
    std::fs::create_dir(d.join("prov")).unwrap();
    let r = run_in(
        d,
        &[
            "freq",
            "a.txt",
            "--provenance",
            "prov",
            "-o",
            "o.tsv",
            "--chart",
            "c.svg",
        ],
        None,
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(names(d), ["a.txt", "prov"]);
    assert!(names(&d.join("prov")).is_empty());
    // The same run with a good provenance writes all four files.
    let r = run_in(
        d,
        &[
            "freq",
            "a.txt",
            "--provenance",
            "p.json",
            "-o",
            "o.tsv",
            "--chart",
            "c.svg",
        ],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        names(d),
        ["a.txt", "c.svg", "c.tsv", "o.tsv", "p.json", "prov"]
    );
}

// Item 11.

/// Starts korpus reading the FIFO `f` in `d` (held open, so korpus
/// waits for more), waits until a temporary `prefix` entry appears,
/// sends `signal`, and returns the child's status.
#[cfg(unix)]
fn interrupt(d: &Path, args: &[&str], prefix: &str, signal: &str) -> bool {
    let fifo = d.join("f");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let mut child = Command::new(env!("CARGO_BIN_EXE_korpus"))
        .args(args)
        .current_dir(d)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Opening for writing waits for korpus to open it for reading.
    let mut writer =
        std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
    std::io::Write::write_all(&mut writer, b"Tiongkok dan China.\n").unwrap();
    let start = Instant::now();
    let mut seen = false;
    while start.elapsed() < Duration::from_secs(20) {
        if names(d).iter().any(|n| n.starts_with(prefix)) {
            seen = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(seen, "no {prefix}* appeared in {:?}", names(d));
    let pid = child.id().to_string();
    Command::new("kill").args([signal, &pid]).status().unwrap();
    let status = child.wait().unwrap();
    drop(writer);
    std::fs::remove_file(&fifo).unwrap();
    !status.success()
}

#[cfg(unix)]
#[test]
fn an_interrupted_run_leaves_no_temporary_file() {
    let dir = tempdir();
    let d = dir.path();
    for signal in ["-INT", "-TERM"] {
        let stopped =
            interrupt(d, &["tokens", "f", "-o", "t.tsv"], ".korpus-", signal);
        assert!(stopped, "{signal}");
        assert!(names(d).is_empty(), "{signal}: left {:?}", names(d));
        let stopped = interrupt(
            d,
            &["report", "f", "-o", "rep"],
            ".korpus-report-",
            signal,
        );
        assert!(stopped, "{signal}");
        assert!(names(d).is_empty(), "{signal}: left {:?}", names(d));
    }
}

#[test]
fn concurrent_reports_into_one_directory_leave_no_temporary_folder() {
    let dir = tempdir();
    let d = dir.path();
    tiny(d);
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_korpus"))
            .args(["report", "corpus", "-o", "rep", "--query", "China"])
            .current_dir(d)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let (a, b) =
        (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    let codes = [a.status.code(), b.status.code()];
    assert!(codes.contains(&Some(0)), "{codes:?}");
    assert!(codes.iter().all(|c| matches!(c, Some(0 | 2))), "{codes:?}");
    assert_eq!(names(d), ["corpus", "rep"]);
    assert!(d.join("rep/korpus-manifest.json").is_file());
}

// Item 13.

#[test]
fn the_frequency_cache_is_checked_and_keyed_by_content() {
    let dir = tempdir();
    let d = dir.path();
    let first = "Tiongkok dan China. Tiongkok lagi dan dan.\n";
    std::fs::write(d.join("a.txt"), first).unwrap();
    let colloc = |cached: bool| {
        let mut a = vec!["colloc", "a.txt", "Tiongkok", "--format", "tsv"];
        if cached {
            a.extend(["--freq-cache", "cache"]);
        }
        run_in(d, &a, None)
    };
    let plain = colloc(false);
    assert_eq!(plain.code, 0, "{}", plain.stderr);
    assert_eq!(colloc(true).stdout, plain.stdout);
    let cache_name = format!("cache/{}", names(&d.join("cache"))[0]);
    let table = d.join(&cache_name);
    let good = read(&table);
    // A flipped digit, a zero count, no tokens, a repeated line: each is
    // an error naming the file, never numbers (exit 2).
    let tokens_zero: String = good
        .lines()
        .map(|l| if l.starts_with("tokens\t") { "tokens\t0" } else { l })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n";
    let damaged = [
        good.replace("dan\t3", "dan\t4"),
        good.replace("dan\t3", "dan\t0"),
        tokens_zero,
        good.replace("dan\t3\n", "dan\t3\ndan\t3\n"),
    ];
    for text in &damaged {
        assert_ne!(text, &good);
        std::fs::write(&table, text).unwrap();
        let r = run_in(
            d,
            &[
                "colloc",
                "a.txt",
                "Tiongkok",
                "--freq-cache",
                "cache",
                "-o",
                "o.tsv",
            ],
            None,
        );
        assert_eq!(r.code, 2, "{text}\n{}", r.stderr);
        assert!(r.stderr.contains("damaged frequency cache"), "{}", r.stderr);
        assert!(
            r.stderr.contains(&format!("{}:", cache_name)),
            "{}",
            r.stderr
        );
        assert!(!d.join("o.tsv").exists());
    }
    std::fs::write(&table, &good).unwrap();
    // Another text of the same size with the modification time put back
    // (`cp -p`, `rsync -t`): counted again, not taken from the table.
    let mtime =
        std::fs::metadata(d.join("a.txt")).unwrap().modified().unwrap();
    let second = "Tiongkok lagi China. Tiongkok dan lagi.   \n";
    assert_eq!(first.len(), second.len());
    std::fs::write(d.join("a.txt"), second).unwrap();
    std::fs::File::options()
        .write(true)
        .open(d.join("a.txt"))
        .unwrap()
        .set_modified(mtime)
        .unwrap();
    let cached = colloc(true);
    assert_eq!(cached.code, 0, "{}", cached.stderr);
    assert_eq!(cached.stdout, colloc(false).stdout);
    assert_ne!(cached.stdout, plain.stdout);
}

#[test]
fn an_unusable_frequency_cache_is_refused_before_counting() {
    let dir = tempdir();
    let d = dir.path();
    std::fs::write(d.join("a.txt"), "Tiongkok dan China.\n").unwrap();
    std::fs::write(d.join("file"), "not a directory\n").unwrap();
    let r = run_in(
        d,
        &[
            "colloc",
            "a.txt",
            "Tiongkok",
            "--freq-cache",
            "file",
            "-o",
            "o.tsv",
        ],
        None,
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("--freq-cache file: not a directory"),
        "{}",
        r.stderr
    );
    assert_eq!(names(d), ["a.txt", "file"]);
}

// Item 14.

#[test]
fn where_matching_nothing_is_exit_2_in_every_command() {
    let dir = tempdir();
    let d = dir.path();
    std::fs::write(d.join("a.txt"), "Tiongkok dan China.\n").unwrap();
    for cmd in [
        &["tokens", "a.txt"][..],
        &["kwic", "a.txt", "China"],
        &["freq", "a.txt"],
        &["stats", "a.txt"],
    ] {
        let mut a = cmd.to_vec();
        a.extend(["--where", "file=none.txt", "-o", "o.tsv"]);
        let r = run_in(d, &a, None);
        assert_eq!(r.code, 2, "{a:?}: {}", r.stderr);
        assert!(
            r.stderr.contains("no document matches"),
            "{a:?}: {}",
            r.stderr
        );
        assert_eq!(names(d), ["a.txt"], "{a:?}");
    }
}

#[test]
fn report_refuses_invalid_options_before_writing() {
    let dir = tempdir();
    let d = dir.path();
    tiny(d);
    for extra in [
        &["--query", "\"Korea"][..],
        &["--set", "Tiongkok|"],
        &["--ref", "nowhere"],
    ] {
        let mut a = vec!["report", "corpus", "-o", "rep"];
        a.extend(extra);
        let r = run_in(d, &a, None);
        assert_eq!(r.code, 2, "{extra:?}: {}", r.stderr);
        assert_eq!(names(d), ["corpus"], "{extra:?}");
    }
}

#[cfg(unix)]
#[test]
fn a_closed_stdout_is_an_error_not_success() {
    let dir = tempdir();
    let d = dir.path();
    std::fs::write(d.join("a.txt"), "Tiongkok dan China.\n").unwrap();
    let sh = |redirect: &str| {
        let line = format!("exec \"$0\" freq a.txt {redirect}");
        let out = Command::new("sh")
            .args(["-c", &line, env!("CARGO_BIN_EXE_korpus")])
            .current_dir(d)
            .stdin(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let (code, stderr) = sh(">&-");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("standard output is closed"), "{stderr}");
    // Discarding on purpose stays success.
    assert_eq!(sh(">/dev/null").0, Some(0));
    // -o FILE with stdout closed: written.
    assert_eq!(sh("-o o.tsv >&-").0, Some(0));
    assert!(read(d.join("o.tsv")).contains("tiongkok"));
}
