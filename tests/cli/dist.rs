//! `korpus dist` (feature `distributed`): 1, 2 and 3 local processes
//! on loopback give the bytes of a single-machine run; a killed process
//! leaves no output; bad cluster options fail cleanly.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::*;

/// A JSONL corpus of about `mb` MB from the bundled Leipzig sentences,
/// with sources and dates, and a line-end mix (so shares are cut in the
/// middle of the file, at CRLF and LF line ends).
fn jsonl_corpus(dir: &Path, mb: usize) -> PathBuf {
    let mut sentences = Vec::new();
    for f in std::fs::read_dir(root().join("corpus/leipzig")).unwrap() {
        let text = std::fs::read_to_string(f.unwrap().path()).unwrap();
        for line in text.lines() {
            if let Some((_, s)) = line.split_once('\t') {
                sentences.push(s.to_string());
            }
        }
    }
    sentences.sort();
    let sources = ["kompas", "detik", "tempo"];
    let mut out = String::new();
    let mut i = 0usize;
    while out.len() < mb << 20 {
        let text: Vec<&str> = (0..6)
            .map(|k| sentences[(i * 7 + k * 131) % sentences.len()].as_str())
            .collect();
        let doc = serde_json::json!({
            "id": i,
            "source": sources[i % 3],
            "date": format!("20{:02}-01-01", 10 + i % 15),
            "text": text.join(" "),
        });
        out.push_str(&doc.to_string());
        out.push_str(if i.is_multiple_of(5) { "\r\n" } else { "\n" });
        i += 1;
    }
    let path = dir.join("news.jsonl");
    std::fs::write(&path, out).unwrap();
    path
}

/// A host file of `n` free loopback ports.
fn host_file(dir: &Path, n: usize) -> PathBuf {
    let listeners: Vec<TcpListener> =
        (0..n).map(|_| TcpListener::bind("127.0.0.1:0").unwrap()).collect();
    let lines: Vec<String> = listeners
        .iter()
        .map(|l| format!("127.0.0.1:{}", l.local_addr().unwrap().port()))
        .collect();
    let path = dir.join(format!("hosts-{n}.txt"));
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

/// The shared secret of the test clusters.
const SECRET: &str = "test secret, 16+ bytes";

fn spawn(dir: &Path, args: &[String]) -> Child {
    spawn_with(dir, args, Some(SECRET))
}

/// Starts korpus with `secret` in KORPUS_DIST_SECRET (or none).
fn spawn_with(dir: &Path, args: &[String], secret: Option<&str>) -> Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_korpus"));
    cmd.env_remove("KORPUS_DIST_SECRET");
    if let Some(s) = secret {
        cmd.env("KORPUS_DIST_SECRET", s);
    }
    cmd.args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Runs `command` on `n` processes of `w` workers; returns process 0's
/// stdout, after checking that every process exits 0 and the others
/// print nothing.
fn run_cluster(dir: &Path, n: usize, w: usize, command: &[&str]) -> String {
    run_cluster_all(dir, n, w, command).0
}

/// [`run_cluster`], with every process's stderr too (in process order).
fn run_cluster_all(
    dir: &Path,
    n: usize,
    w: usize,
    command: &[&str],
) -> (String, Vec<String>) {
    let hosts = host_file(dir, n);
    let mut children = Vec::new();
    for p in (0..n).rev() {
        let mut args: Vec<String> = [
            "dist",
            "-w",
            &w.to_string(),
            "-n",
            &n.to_string(),
            "-p",
            &p.to_string(),
            "-h",
            hosts.to_str().unwrap(),
        ]
        .map(String::from)
        .to_vec();
        args.extend(command.iter().map(|s| s.to_string()));
        children.push((p, spawn(dir, &args)));
    }
    // Read every process's output at once: the processes end together
    // (each waits for the others to close the cluster cleanly), and
    // process 0 may be blocked on a full stdout pipe until then.
    let waits: Vec<_> = children
        .into_iter()
        .map(|(p, c)| {
            std::thread::spawn(move || (p, c.wait_with_output().unwrap()))
        })
        .collect();
    let outs: Vec<(usize, std::process::Output)> =
        waits.into_iter().map(|t| t.join().unwrap()).collect();
    let stderrs: String = outs
        .iter()
        .map(|(p, o)| {
            format!("[process {p}] {}", String::from_utf8_lossy(&o.stderr))
        })
        .collect();
    let mut first = String::new();
    let mut each = vec![String::new(); n];
    for (p, out) in outs {
        each[p] = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{command:?}: process {p} of {n} x {w}:\n{stderrs}"
        );
        let stdout = String::from_utf8(out.stdout).unwrap();
        if p == 0 {
            first = stdout;
        } else {
            assert_eq!(stdout, "", "process {p} wrote output");
        }
    }
    (first, each)
}

#[test]
fn one_two_three_processes_give_the_single_machine_bytes() {
    let dir = tempdir();
    // Over 3 MiB, so that with 3 workers the file is cut into ranges.
    let news = jsonl_corpus(dir.path(), 4);
    let news = news.to_str().unwrap();
    let reference = root().join("corpus/seed");
    let reference = reference.to_str().unwrap();
    let leipzig = root().join("corpus/leipzig");
    let leipzig = leipzig.to_str().unwrap();
    #[rustfmt::skip]
    let commands: Vec<Vec<&str>> = vec![
        // Frequency lists with Gries' DP (two rounds), groups, n-grams.
        vec!["freq", news, "--by", "source", "-q", "--format", "tsv"],
        vec!["freq", leipzig, news, "-q", "--format", "json"],
        vec!["freq", news, "--no-dp", "-n", "2", "--min-freq", "2", "-q", "--format", "tsv"],
        vec!["ngrams", news, "-n", "2..3", "--min-freq", "3", "-q", "--format", "tsv"],
        // Node collocates: window and node conventions, groups, NLTK's.
        vec!["colloc", news, "Tiongkok|China", "--measure", "all", "--positions", "-q", "--format", "tsv"],
        vec!["colloc", news, "China", "--by", "source", "--within", "sentence", "-q", "--format", "tsv"],
        vec!["colloc", news, "China", "--convention", "nltk", "-q", "--format", "tsv"],
        // Whole-corpus pair counts.
        vec!["colloc", "--all", news, "--min-freq", "4", "-q", "--format", "tsv"],
        // Keyness inputs (two counts).
        vec!["keyness", reference, "--ref", news, "-q", "--format", "tsv"],
    ];
    for command in &commands {
        let single = ok(command);
        assert!(single.lines().count() > 10, "{command:?}: {single}");
        for (n, w) in [(1, 1), (1, 2), (2, 1), (3, 1), (2, 2)] {
            let got = run_cluster(dir.path(), n, w, command);
            assert!(
                got == single,
                "{command:?} on {n} processes x {w} workers differs from one machine"
            );
        }
    }
    // colloc --all --parts: each worker writes the pairs it summed; the
    // parts hold the single-machine rows (ranked within each part), and
    // _SUCCESS names them.
    let pairs =
        ["colloc", "--all", news, "--min-freq", "2", "-q", "--format", "tsv"];
    let rows_of = |text: &str| -> Vec<String> {
        let mut rows: Vec<String> = text
            .lines()
            .skip(1)
            .map(|l| l.split_once('\t').unwrap().1.to_string())
            .collect();
        rows.sort();
        rows
    };
    let single = rows_of(&ok(&pairs));
    assert!(single.len() > 1000);
    for (n, w) in [(2, 1), (3, 1), (1, 2)] {
        let mut command = pairs.to_vec();
        command.extend(["--parts", "parts"]);
        let printed = run_cluster(dir.path(), n, w, &command);
        assert_eq!(printed, "");
        let parts = dir.path().join("parts");
        let success: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(parts.join("_SUCCESS")).unwrap(),
        )
        .unwrap();
        assert_eq!(success["rows"], single.len() as u64);
        let names = success["parts"].as_array().unwrap();
        assert_eq!(names.len(), n * w);
        let mut got = String::new();
        for name in names {
            let text =
                std::fs::read_to_string(parts.join(name.as_str().unwrap()))
                    .unwrap();
            got.push_str(
                &text
                    .lines()
                    .skip(1)
                    .map(|l| format!("{l}\n"))
                    .collect::<String>(),
            );
        }
        let got = rows_of(&format!("header\n{got}"));
        assert!(
            got == single,
            "{n} x {w}: the parts' rows differ from one machine's"
        );
        let files = std::fs::read_dir(&parts).unwrap().count();
        assert_eq!(files, n * w + 1, "only the parts and _SUCCESS");
    }
    // Parquet from process 0 only, the same file as a single run.
    let single = dir.path().join("single.parquet");
    ok(&["freq", news, "--no-dp", "-q", "-o", single.to_str().unwrap()]);
    run_cluster(
        dir.path(),
        2,
        1,
        &["freq", news, "--no-dp", "-q", "-o", "dist.parquet"],
    );
    assert_eq!(
        std::fs::read(&single).unwrap(),
        std::fs::read(dir.path().join("dist.parquet")).unwrap()
    );
}

#[test]
fn a_killed_process_leaves_no_output() {
    let dir = tempdir();
    let news = jsonl_corpus(dir.path(), 1);
    // The second input is a FIFO: files go whole to workers in turn, so
    // process 1 reads it, and it blocks there, in the middle of its
    // share, until it is killed.
    let fifo = dir.path().join("slow.jsonl");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let (news, fifo) = (news.to_str().unwrap(), fifo.to_str().unwrap());
    // One output file, and part files with _SUCCESS.
    let commands: [&[&str]; 2] = [
        &["freq", news, fifo, "--no-dp", "-q", "-o", "out.tsv"],
        &["colloc", "--all", news, fifo, "-q", "--parts", "parts"],
    ];
    for command in commands {
        let hosts = host_file(dir.path(), 2);
        let args = |p: &str| -> Vec<String> {
            let mut a: Vec<String> =
                ["dist", "-n", "2", "-p", p, "-h"].map(String::from).to_vec();
            a.push(hosts.to_str().unwrap().to_string());
            a.extend(command.iter().map(|s| s.to_string()));
            a
        };
        let p0 = spawn(dir.path(), &args("0"));
        let mut p1 = spawn(dir.path(), &args("1"));
        // Half a record, and the writer stays open: process 1 waits.
        let mut writer =
            std::fs::OpenOptions::new().write(true).open(fifo).unwrap();
        std::io::Write::write_all(&mut writer, b"{\"text\":\"Tiongkok dan")
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(500));
        p1.kill().unwrap();
        p1.wait().unwrap();
        let out = p0.wait_with_output().unwrap();
        drop(writer);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{command:?}: {stderr}");
        assert!(stderr.contains("the distributed run stopped"), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        // Nothing that looks like a result: no output file, and the parts
        // directory (cleared by process 0 at the start) holds no part and
        // no _SUCCESS.
        left.retain(|f| f != "parts");
        assert_eq!(
            left,
            ["hosts-2.txt", "news.jsonl", "slow.jsonl"],
            "{command:?}"
        );
        if let Ok(parts) = std::fs::read_dir(dir.path().join("parts")) {
            assert_eq!(parts.count(), 0, "{command:?}");
        }
    }
    assert!(dir.path().join("parts").is_dir(), "the parts run started");
}

#[test]
fn cluster_options_and_unsupported_commands_fail_cleanly() {
    let dir = tempdir();
    let hosts = host_file(dir.path(), 2);
    let hosts = hosts.to_str().unwrap();
    let root_corpus = root().join("corpus");
    let corpus = root_corpus.to_str().unwrap();
    // Nobody at process 0's address: exit 1 after the timeout, one line.
    let args: Vec<String> = [
        "dist",
        "-n",
        "2",
        "-p",
        "1",
        "-h",
        hosts,
        "--connect-timeout",
        "1",
        "freq",
        corpus,
        "--no-dp",
    ]
    .map(String::from)
    .to_vec();
    let r = finished(spawn(dir.path(), &args));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("no connection to process 0"), "{}", r.stderr);
    #[rustfmt::skip]
    let cases: &[(&[&str], &str)] = &[
        (&["dist", "kwic", corpus, "China"], "korpus dist runs freq, ngrams, colloc, keyness"),
        (&["dist", "ngrams", corpus, "--around", "China"], "ngrams --around is not distributed"),
        (&["dist", "colloc", corpus, "China", "--freq-cache", "fc"], "--freq-cache is not used"),
        (&["dist", "-n", "2", "-p", "2", "freq", corpus], "-p 2 is not below -n 2"),
        (&["dist", "-n", "3", "-h", hosts, "freq", corpus], "2 addresses for -n 3"),
        (&["dist", "-w", "1", "freq", "-"], "standard input cannot be read"),
    ];
    for (args, msg) in cases {
        let r = run_in(dir.path(), args, None);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains(msg), "{args:?}: {}", r.stderr);
        assert_eq!(r.stdout, "", "{args:?}");
    }
}

/// Waits for `child` at most `secs` seconds (killing it then, and
/// failing); its exit code, stdout and stderr. For children whose output
/// fits in a pipe.
fn finished_within(mut child: Child, secs: u64) -> Run {
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > Duration::from_secs(secs) {
            child.kill().unwrap();
            child.wait().unwrap();
            let mut err = String::new();
            child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
            panic!("still running after {secs} s:\n{err}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let (mut stdout, mut stderr) = (String::new(), String::new());
    child.stdout.take().unwrap().read_to_string(&mut stdout).unwrap();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    Run { code: status.code().unwrap_or(-1), stdout, stderr }
}

fn finished(child: Child) -> Run {
    finished_within(child, 120)
}

/// Connects to process `p` of the host file as soon as it listens.
fn connect_to(hosts: &Path, p: usize) -> TcpStream {
    let text = std::fs::read_to_string(hosts).unwrap();
    let address = text.lines().nth(p).unwrap().to_string();
    let start = Instant::now();
    loop {
        match TcpStream::connect(&address) {
            Ok(s) => return s,
            Err(_) if start.elapsed() < Duration::from_secs(30) => {
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(e) => panic!("{address}: {e}"),
        }
    }
}

/// `dist -n 2 -p P -h HOSTS` and `command`.
fn dist_args(hosts: &Path, p: &str, command: &[&str]) -> Vec<String> {
    let mut a: Vec<String> =
        ["dist", "-n", "2", "-p", p, "-h"].map(String::from).to_vec();
    a.push(hosts.to_str().unwrap().to_string());
    a.extend(command.iter().map(|s| s.to_string()));
    a
}

#[test]
fn strangers_connecting_first_are_refused_and_the_run_goes_on() {
    let dir = tempdir();
    let d = dir.path();
    let corpus = root().join("corpus/leipzig");
    let corpus = corpus.to_str().unwrap();
    let single = ok(&["freq", corpus, "--no-dp", "-q", "--format", "tsv"]);
    let command = ["freq", corpus, "--no-dp", "-q", "-o", "dist.tsv"];
    let hosts = host_file(d, 2);
    let p0 = spawn(d, &dist_args(&hosts, "0", &command));
    // First a stranger that connects and sends nothing: without a read
    // timeout, process 0 would wait for it for ever.
    let mute = connect_to(&hosts, 0);
    // One that speaks timely's own protocol: 8 bytes, a valid index.
    let mut timely = connect_to(&hosts, 0);
    timely.write_all(&1u64.to_be_bytes()).unwrap();
    // One that knows korpus's handshake but not the secret: process 1
    // reaching process 0, any digest, any nonce, then a made-up proof.
    let mut forger = connect_to(&hosts, 0);
    // (A read timeout, so that a process 0 stuck on the first stranger
    // fails the test instead of hanging it.)
    forger.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut hello = b"korpus\x00\x01".to_vec();
    hello.extend(1u64.to_be_bytes());
    hello.extend(0u64.to_be_bytes());
    hello.extend([7u8; 64]);
    forger.write_all(&hello).unwrap();
    let mut answer = [0u8; 96];
    forger.read_exact(&mut answer).unwrap();
    forger.write_all(&[0u8; 32]).unwrap();
    // Past the handshake time limit (5 s) before the real process 1.
    std::thread::sleep(Duration::from_millis(5500));
    let p1 = spawn(d, &dist_args(&hosts, "1", &command));
    let (r0, r1) = (finished_within(p0, 60), finished_within(p1, 60));
    drop((mute, timely, forger));
    assert_eq!(r1.code, 0, "{}", r1.stderr);
    assert_eq!(r0.code, 0, "{}", r0.stderr);
    let got = std::fs::read_to_string(d.join("dist.tsv")).unwrap();
    assert!(got == single, "the output differs from one machine's");
    for why in [
        "the handshake timed out",
        "not korpus's handshake",
        "it said it is process 1 but did not prove the shared secret",
    ] {
        let line = "refused a connection from 127.0.0.1:";
        assert!(
            r0.stderr.lines().any(|l| l.contains(line) && l.ends_with(why)),
            "{why}: {}",
            r0.stderr
        );
    }
}

#[test]
fn a_wrong_secret_or_command_line_is_refused() {
    let dir = tempdir();
    let d = dir.path();
    let corpus = root().join("corpus/seed");
    let corpus = corpus.to_str().unwrap();
    let command = ["freq", corpus, "--no-dp", "-q", "-o", "dist.tsv"];
    let timeout = ["--connect-timeout", "3"];
    // Another secret: process 1 stops (exit 2), process 0 refuses it and
    // waits on until its time limit (exit 1).
    let hosts = host_file(d, 2);
    let args = |p: &str, extra: &[&str]| {
        let mut c: Vec<&str> = timeout.to_vec();
        c.extend(command);
        c.extend(extra);
        dist_args(&hosts, p, &c)
    };
    let p0 = spawn(d, &args("0", &[]));
    let p1 = spawn_with(d, &args("1", &[]), Some("another secret, 16+ bytes"));
    let (r0, r1) = (finished_within(p0, 60), finished_within(p1, 60));
    assert_eq!(r1.code, 2, "{}", r1.stderr);
    assert!(
        r1.stderr.contains("process 0 at 127.0.0.1:")
            && r1.stderr.contains("did not prove the shared secret"),
        "{}",
        r1.stderr
    );
    assert_eq!(r0.code, 1, "{}", r0.stderr);
    assert!(
        r0.stderr.contains("did not prove the shared secret"),
        "{}",
        r0.stderr
    );
    assert!(
        r0.stderr.contains("process(es) 1 did not connect"),
        "{}",
        r0.stderr
    );
    // The same secret, another command line (--min-freq): both stop.
    let p0 = spawn(d, &args("0", &[]));
    let p1 = spawn(d, &args("1", &["--min-freq", "2"]));
    let (r0, r1) = (finished_within(p0, 60), finished_within(p1, 60));
    for r in [&r0, &r1] {
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(
            r.stderr.contains("runs a different command line"),
            "{}",
            r.stderr
        );
    }
    assert!(!d.join("dist.tsv").exists());
    // No secret, or a short one: exit 2 before any connection.
    let r = finished(spawn_with(d, &args("0", &[]), None));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("needs a shared secret"), "{}", r.stderr);
    let r = finished(spawn_with(d, &args("0", &[]), Some("short\n")));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("KORPUS_DIST_SECRET: the shared secret has 5 bytes"),
        "{}",
        r.stderr
    );
    // The secret from a file (its line end dropped) is the same secret.
    std::fs::write(d.join("secret"), format!("{SECRET}\n")).unwrap();
    let mut a = args("1", &[]);
    a.splice(1..1, ["--secret-file".to_string(), "secret".to_string()]);
    let p0 = spawn(d, &args("0", &[]));
    let p1 = spawn_with(d, &a, None);
    let (r0, r1) = (finished_within(p0, 60), finished_within(p1, 60));
    assert_eq!((r0.code, r1.code), (0, 0), "{}\n{}", r0.stderr, r1.stderr);
    assert!(d.join("dist.tsv").exists());
    let mut a = args("0", &[]);
    a.splice(1..1, ["--secret-file".to_string(), "nope".to_string()]);
    let r = finished(spawn_with(d, &a, None));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--secret-file nope:"), "{}", r.stderr);
}

/// `--dedup` and `--boilerplate` are refused under `korpus dist` with
/// one line (exit 2), before any connection and with no output, for
/// every command it runs; without them the same command line runs.
/// The numbers in a cleaning summary line, in order: duplicates, exact,
/// near, template lines, documents changed.
fn cleaning_counts(line: &str) -> Vec<u64> {
    let rest = line.split("cleaning: ").nth(1).unwrap_or("");
    let rest = rest.split_once("its shares: ").map_or(rest, |(_, r)| r);
    rest.split(|c: char| !c.is_ascii_digit())
        .filter(|w| !w.is_empty())
        .map(|w| w.parse().unwrap())
        .collect()
}

/// `--dedup --boilerplate` under `korpus dist`: every process plans the
/// cleaning over the whole corpus, so 2 and 3 processes give the
/// single-machine table, and their summary lines (each of its own
/// shares) add up to the single machine's.
#[test]
fn cleaning_gives_the_single_machine_bytes() {
    let dir = tempdir();
    let d = dir.path();
    let news = jsonl_corpus(d, 1);
    // Planted: every kompas document gains a syndication line (a
    // template of its source), and every tenth document is copied.
    let mut out = String::new();
    let text = std::fs::read_to_string(&news).unwrap();
    let mut copies = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let mut doc: serde_json::Value = serde_json::from_str(line).unwrap();
        if doc["source"] == "kompas" {
            let body = format!(
                "{}\nArtikel zzsindikasi ini telah tayang di Warta.",
                doc["text"].as_str().unwrap()
            );
            doc["text"] = body.into();
        }
        if i % 10 == 3 {
            let mut copy = doc.clone();
            copy["id"] = format!("copy-{i}").into();
            copies.push(copy.to_string());
        }
        out.push_str(&doc.to_string());
        out.push('\n');
    }
    for c in copies {
        out.push_str(&c);
        out.push('\n');
    }
    std::fs::write(&news, out).unwrap();
    let command = ["freq", "news.jsonl", "--dedup", "--boilerplate"];
    let one = run_in(d, &command, None);
    assert_eq!(one.code, 0, "{}", one.stderr);
    assert!(!one.stdout.contains("zzsindikasi"), "the template is counted");
    let plain = run_in(d, &["freq", "news.jsonl"], None);
    assert!(plain.stdout.contains("zzsindikasi"));
    assert_ne!(plain.stdout, one.stdout);
    let summary = |l: &&str| l.contains("duplicate document(s) removed (");
    let line = one.stderr.lines().find(summary).unwrap();
    let want = cleaning_counts(line);
    assert!(want[0] > 0 && want[3] > 0, "{line}");
    for n in [2, 3] {
        let (table, stderrs) = run_cluster_all(d, n, 1, &command);
        assert_eq!(table, one.stdout, "{n} processes");
        let mut sum = vec![0u64; want.len()];
        for (p, err) in stderrs.iter().enumerate() {
            let mine =
                format!("korpus: cleaning: process {p} of {n}, its shares: ");
            let l = err.lines().find(|l| l.starts_with(&mine));
            let l = l.unwrap_or_else(|| panic!("process {p}: {err}"));
            for (s, c) in sum.iter_mut().zip(cleaning_counts(l)) {
                *s += c;
            }
        }
        assert_eq!(sum, want, "{n} processes");
    }
}
