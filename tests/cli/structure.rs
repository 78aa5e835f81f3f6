//! The shape of the source tree, checked from the source text (issue 24's
//! "Done when"): no import circle between the modules of either crate,
//! no function over 80 lines in the binary crate, no `src/cli/` file
//! over about 150 lines but the listed exceptions (a list that can only
//! shrink), no clippy allowance of too many arguments, and no `static`
//! on the distributed path (the backend is a value in the job, not
//! process-wide state). Each check is a function of the files' text, and
//! each is shown to fail on a seeded violation below, so that a pass
//! means something.
//!
//! The text is read, not compiled: comments and the contents of string
//! and character literals are blanked first ([`code_of`]), so a path in
//! a doc link or a `{` in a string counts for nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::util::root;

/// Longest function of the binary crate, in lines from `fn` to its
/// closing brace.
const MAX_FN_LINES: usize = 80;

/// Longest file under `src/cli/`, in lines.
const MAX_CLI_LINES: usize = 150;

/// The `src/cli/` files allowed over [`MAX_CLI_LINES`]: each at most the
/// lines given here (so it can shrink, not grow), with why. A file that
/// comes down to the limit must leave the list.
const CLI_EXCEPTIONS: &[(&str, usize, &str)] = &[
    (
        "src/cli/args.rs",
        685,
        "the shared flag groups of every command, not a command",
    ),
    (
        "src/cli/output.rs",
        765,
        "atomic files, provenance, charts and emit for every command, not a command",
    ),
    (
        "src/cli/mod.rs",
        423,
        "the Cli, the Command enum, dispatch and exit codes",
    ),
    (
        "src/cli/dist.rs",
        253,
        "korpus dist: cluster options, host and secret files, the command run on the cluster",
    ),
    (
        "src/cli/chart.rs",
        167,
        "the --chart options shared by the commands and rows to chart",
    ),
    (
        "src/cli/kwic/args.rs",
        181,
        "clap options whose doc comments are the help text",
    ),
    (
        "src/cli/keyness/args.rs",
        164,
        "clap options whose doc comments are the help text",
    ),
    (
        "src/cli/colloc/args.rs",
        151,
        "clap options whose doc comments are the help text",
    ),
    (
        "src/cli/report/sections.rs",
        364,
        "the report page's sections, each built from a library table",
    ),
    (
        "src/cli/report/page.rs",
        226,
        "the report page: its template, navigation and escaping",
    ),
    (
        "src/cli/report/dir.rs",
        224,
        "the report folder: every file written atomically, then renamed",
    ),
    (
        "src/cli/report/count.rs",
        213,
        "the report's one pass: its counters and cleaning pre-passes",
    ),
    (
        "src/cli/report/mod.rs",
        187,
        "korpus report's options and the run that joins the pass to the page",
    ),
];

/// The functions of the binary crate allowed over [`MAX_FN_LINES`]
/// (path, function, at most this many lines, why).
const FN_EXCEPTIONS: &[(&str, &str, usize, &str)] = &[];

/// The files of the distributed path, where no `static` may hold state
/// (a path ending in `/` is a folder: every file under it).
const DISTRIBUTED_PATH: &[&str] = &[
    "crates/korpus/src/dist.rs",
    "crates/korpus/src/dist/",
    "crates/korpus/src/scan.rs",
    "crates/korpus/src/scan/",
    "crates/korpus/src/nltk/parts.rs",
    "src/cli/dist.rs",
    "src/cli/parts.rs",
];

/// A file of the tree: its path from the repository root and its text.
type Source = (String, String);

/// Every `.rs` file under `dir` (relative to the repository root), in
/// sorted order.
fn sources(dir: &str) -> Vec<Source> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<Source>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(base, &path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(base).unwrap();
                let rel = rel.to_string_lossy().replace('\\', "/");
                out.push((rel, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    let base = root();
    let mut out = Vec::new();
    walk(&base, &base.join(dir), &mut out);
    out
}

/// `text` with comments and the contents of string and character
/// literals replaced by spaces (line breaks kept, so line numbers stay),
/// lifetimes (`'a`, `'static`) kept as they are.
fn code_of(text: &str) -> String {
    let c: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let blank = |ch: char| if ch == '\n' { '\n' } else { ' ' };
    let mut i = 0;
    while i < c.len() {
        let next = c.get(i + 1).copied();
        if c[i] == '/' && next == Some('/') {
            while i < c.len() && c[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c[i] == '/' && next == Some('*') {
            let mut depth = 0;
            while i < c.len() {
                if c[i] == '/' && c.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if c[i] == '*' && c.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(c[i]));
                    i += 1;
                }
            }
        } else if c[i] == 'r'
            && (next == Some('"') || next == Some('#'))
            && (i == 0 || !is_ident(c[i - 1]))
            && raw_hashes(&c, i + 1).is_some()
        {
            let hashes = raw_hashes(&c, i + 1).unwrap();
            out.push('r');
            out.push_str(&"#".repeat(hashes));
            out.push('"');
            i += 2 + hashes;
            let close: Vec<char> = std::iter::once('"')
                .chain("#".repeat(hashes).chars())
                .collect();
            while i < c.len() && !c[i..].starts_with(&close) {
                out.push(blank(c[i]));
                i += 1;
            }
            out.extend(close.iter());
            i += close.len();
        } else if c[i] == '"' {
            out.push('"');
            i += 1;
            while i < c.len() && c[i] != '"' {
                if c[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < c.len() {
                    out.push(blank(c[i]));
                    i += 1;
                }
            }
            out.push('"');
            i += 1;
        } else if c[i] == '\'' {
            // A character literal ('x', '\n', '\u{1F600}') or a lifetime.
            let end = if next == Some('\\') {
                (i + 3..c.len()).find(|&j| c[j] == '\'')
            } else if c.get(i + 2) == Some(&'\'') {
                Some(i + 2)
            } else {
                None
            };
            match end {
                Some(end) => {
                    out.push('\'');
                    out.extend(std::iter::repeat_n(' ', end - i - 1));
                    out.push('\'');
                    i = end + 1;
                }
                None => {
                    out.push('\'');
                    i += 1;
                }
            }
        } else {
            out.push(c[i]);
            i += 1;
        }
    }
    out
}

/// The number of `#` of a raw string whose `#`s or quote start at `at`
/// (`None`: not a raw string).
fn raw_hashes(c: &[char], at: usize) -> Option<usize> {
    let n = c[at..].iter().take_while(|&&ch| ch == '#').count();
    (c.get(at + n) == Some(&'"')).then_some(n)
}

fn is_ident(ch: char) -> bool {
    ch.is_alphanumeric() || ch == '_'
}

/// `code` (from [`code_of`]) with its unit test modules (`#[cfg(test)]`
/// then `mod NAME {` ... `}`) blanked, line breaks kept: tests may reach
/// any module.
fn without_tests(code: &str) -> String {
    let mut out: Vec<u8> = code.as_bytes().to_vec();
    let mut from = 0;
    while let Some(found) = code[from..].find("#[cfg(test)]") {
        let at = from + found;
        from = at + 1;
        let rest = code[at + "#[cfg(test)]".len()..].trim_start();
        let rest = rest.strip_prefix("pub ").unwrap_or(rest);
        let Some(rest) = rest.strip_prefix("mod ") else { continue };
        let name_len = rest.chars().take_while(|&c| is_ident(c)).count();
        if !rest[name_len..].trim_start().starts_with('{') {
            continue;
        }
        let open = code.len() - rest.len() + name_len;
        let open = open + code[open..].find('{').unwrap();
        let mut depth = 0;
        let close = (open..code.len()).find(|&k| {
            match code.as_bytes()[k] {
                b'{' => depth += 1,
                b'}' => depth -= 1,
                _ => {}
            }
            depth == 0
        });
        let end = close.map_or(code.len(), |c| c + 1);
        for byte in &mut out[at..end] {
            if *byte != b'\n' {
                *byte = b' ';
            }
        }
        from = end;
    }
    String::from_utf8(out).expect("only ASCII blanked over ASCII")
}

// ---------------------------------------------------------------------
// Import circles.

/// The module path of a file of a crate whose root file is in `src`
/// (`lib.rs`/`main.rs` is `[]`, `a.rs` and `a/mod.rs` are `[a]`,
/// `a/b.rs` is `[a, b]`).
fn module_of(src: &str, path: &str) -> Option<Vec<String>> {
    let rel = path.strip_prefix(src)?.strip_prefix('/')?;
    let rel = rel.strip_suffix(".rs")?;
    let mut parts: Vec<String> = rel.split('/').map(String::from).collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    if parts.len() == 1 && (parts[0] == "lib" || parts[0] == "main") {
        parts.clear();
    }
    Some(parts)
}

/// Where one module names another: the names taken.
type Edges = BTreeMap<(Vec<String>, Vec<String>), BTreeSet<String>>;

/// The references between the modules of the crate whose root is in
/// `src`: every path that starts `crate::`, `super::`, `self::`, a child
/// module's name, or (in the crate root) a top-level module's, in `use`
/// lines and in code alike, resolved to the longest module it names.
/// Left out: unit test modules (`#[cfg(test)] mod`), comments and
/// strings, a module's references to itself, and macros' paths (`$crate`).
/// A path through a name imported by `use` (`use crate::scan;` then
/// `scan::run`) adds nothing, as its `use` line already did.
fn edges(files: &[Source], src: &str) -> Edges {
    let mut modules: BTreeMap<Vec<String>, String> = BTreeMap::new();
    let mut tests: BTreeSet<Vec<String>> = BTreeSet::new();
    for (path, text) in files {
        let Some(m) = module_of(src, path) else { continue };
        let code = code_of(text);
        let mut cfg_test = false;
        for line in code.lines() {
            let l = line.trim();
            if l == "#[cfg(test)]" {
                cfg_test = true;
                continue;
            }
            if let Some(name) = l
                .trim_start_matches("pub ")
                .strip_prefix("mod ")
                .and_then(|r| r.strip_suffix(';'))
                && cfg_test
            {
                let mut child = m.clone();
                child.push(name.trim().to_string());
                tests.insert(child);
            }
            if !l.is_empty() && !l.starts_with("#[") {
                cfg_test = false;
            }
        }
        modules.insert(m, code);
    }
    // A unit test file, and what is under it, is left out.
    modules.retain(|m, _| !tests.iter().any(|t| m.starts_with(t)));
    let known: BTreeSet<Vec<String>> = modules.keys().cloned().collect();
    let mut out = Edges::new();
    for (m, code) in &modules {
        let code = without_tests(code);
        for path in paths_in(&code) {
            let Some(abs) = absolute(m, &path, &known) else { continue };
            let Some(target) = longest_module(&abs, &known) else { continue };
            if &target == m {
                continue;
            }
            let name =
                abs[target.len()..].first().cloned().unwrap_or_default();
            out.entry((m.clone(), target)).or_default().insert(name);
        }
    }
    out
}

/// The paths (`a::b::c`, a `use` tree expanded) of `code`.
fn paths_in(code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let words = tokens(code);
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        let starts = i == 0 || (words[i - 1] != "::" && words[i - 1] != "$");
        if w == "use" {
            let end = (i..words.len()).find(|&j| words[j] == ";");
            let end = end.unwrap_or(words.len());
            use_tree(&words[i + 1..end], &[], &mut out);
            i = end;
            continue;
        }
        if starts && is_ident(w.chars().next().unwrap_or(' ')) {
            let mut path = vec![w.clone()];
            let mut j = i + 1;
            while j + 1 < words.len()
                && words[j] == "::"
                && is_ident(words[j + 1].chars().next().unwrap_or(' '))
            {
                path.push(words[j + 1].clone());
                j += 2;
            }
            if path.len() > 1 {
                out.push(path);
            }
            i = j;
            continue;
        }
        i += 1;
    }
    out
}

/// Identifiers, `::` and single punctuation characters of `code`.
fn tokens(code: &str) -> Vec<String> {
    let c: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        if is_ident(c[i]) {
            let start = i;
            while i < c.len() && is_ident(c[i]) {
                i += 1;
            }
            out.push(c[start..i].iter().collect());
        } else if c[i] == ':' && c.get(i + 1) == Some(&':') {
            out.push("::".to_string());
            i += 2;
        } else if !c[i].is_whitespace() {
            out.push(c[i].to_string());
            i += 1;
        } else {
            i += 1;
        }
    }
    out
}

/// The paths of a `use` tree (`a::{b, c::{d, e as f}}`), each from
/// `prefix`.
fn use_tree(words: &[String], prefix: &[String], out: &mut Vec<Vec<String>>) {
    // Split at top-level commas.
    let mut depth = 0;
    let mut start = 0;
    let mut items = Vec::new();
    for (k, w) in words.iter().enumerate() {
        match w.as_str() {
            "{" => depth += 1,
            "}" => depth -= 1,
            "," if depth == 0 => {
                items.push(&words[start..k]);
                start = k + 1;
            }
            _ => {}
        }
    }
    items.push(&words[start..]);
    for item in items {
        let mut path = prefix.to_vec();
        let mut k = 0;
        while k < item.len() {
            match item[k].as_str() {
                "::" => k += 1,
                "{" => {
                    let close = item.len() - 1;
                    use_tree(&item[k + 1..close], &path, out);
                    path.clear();
                    break;
                }
                "as" | "*" => break,
                w => {
                    path.push(w.to_string());
                    k += 1;
                }
            }
        }
        if !path.is_empty() {
            out.push(path);
        }
    }
}

/// `path` as written in module `m`, from the crate root; `None` for a
/// path that does not start in this crate.
fn absolute(
    m: &[String],
    path: &[String],
    known: &BTreeSet<Vec<String>>,
) -> Option<Vec<String>> {
    let mut base: Vec<String> = m.to_vec();
    let mut rest = path;
    match path[0].as_str() {
        "crate" => {
            base.clear();
            rest = &path[1..];
        }
        "self" => rest = &path[1..],
        "super" => {
            while rest.first().is_some_and(|w| w == "super") {
                base.pop()?;
                rest = &rest[1..];
            }
        }
        first => {
            let mut child = m.to_vec();
            child.push(first.to_string());
            if !known.contains(&child) {
                return None;
            }
        }
    }
    base.extend(rest.iter().cloned());
    Some(base)
}

/// The longest module that `path` begins with (not the crate root).
fn longest_module(
    path: &[String],
    known: &BTreeSet<Vec<String>>,
) -> Option<Vec<String>> {
    (1..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|p| known.contains(p))
}

/// The import circles of a crate, each as lines naming its modules and
/// what each takes from the next. A folder's files are one module to
/// the files outside it: a reference from a file under `a/` to one under
/// `b/` is one from `a` to `b` among the children of their common
/// parent, and the references between a module and the files under it
/// (a child's `super::`, a parent's re-export) are its inside, not a
/// circle. Each parent's children are checked for circles (strongly
/// connected parts of more than one).
fn circles(edges: &Edges) -> Vec<String> {
    // Per parent: child → child, with the file references behind it.
    type Graph = BTreeMap<String, BTreeMap<String, Vec<String>>>;
    let mut graphs: BTreeMap<Vec<String>, Graph> = BTreeMap::new();
    for ((from, to), names) in edges {
        let common = from.iter().zip(to).take_while(|(a, b)| a == b).count();
        if common == from.len() || common == to.len() {
            continue; // a module and its own files
        }
        let parent = from[..common].to_vec();
        let why = format!(
            "{} -> {}: {}",
            show(from),
            show(to),
            names.iter().cloned().collect::<Vec<_>>().join(", ")
        );
        graphs
            .entry(parent)
            .or_default()
            .entry(from[common].clone())
            .or_default()
            .entry(to[common].clone())
            .or_default()
            .push(why);
    }
    let mut out = Vec::new();
    for (parent, graph) in &graphs {
        for part in strongly_connected(graph) {
            let mut lines = vec![format!(
                "a circle among {}::{{{}}}:",
                show(parent),
                part.join(", ")
            )];
            for from in &part {
                for (to, why) in &graph[from] {
                    if part.contains(to) {
                        lines.extend(why.iter().map(|w| format!("  {w}")));
                    }
                }
            }
            out.push(lines.join("\n"));
        }
    }
    out
}

fn show(m: &[String]) -> String {
    if m.is_empty() { "crate".to_string() } else { m.join("::") }
}

/// The strongly connected parts of more than one node (Tarjan's
/// algorithm), each sorted.
fn strongly_connected(
    graph: &BTreeMap<String, BTreeMap<String, Vec<String>>>,
) -> Vec<Vec<String>> {
    struct State<'a> {
        graph: &'a BTreeMap<String, BTreeMap<String, Vec<String>>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on: BTreeSet<&'a str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on.insert(v);
        let next: Vec<&'a str> = s
            .graph
            .get(v)
            .map(|m| m.keys().map(String::as_str).collect())
            .unwrap_or_default();
        for w in next {
            if !s.index.contains_key(w) {
                visit(s, w);
                let low = s.low[v].min(s.low[w]);
                s.low.insert(v, low);
            } else if s.on.contains(w) {
                let low = s.low[v].min(s.index[w]);
                s.low.insert(v, low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut part = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on.remove(w);
                part.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if part.len() > 1 {
                part.sort();
                s.out.push(part);
            }
        }
    }
    let mut s = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in graph.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.out
}

// ---------------------------------------------------------------------
// Lengths, allowances, statics.

/// Every function of `text` with its first line and its length in lines
/// (from the line of `fn` to that of its closing brace; a function
/// without a body has none).
fn functions(text: &str) -> Vec<(String, usize, usize)> {
    let code = code_of(text);
    let b = code.as_bytes();
    let line_at = |at: usize| code[..at].matches('\n').count() + 1;
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(found) = code[from..].find("fn ") {
        let at = from + found;
        from = at + 3;
        if at > 0 && is_ident(b[at - 1] as char) {
            continue;
        }
        let name: String = code[at + 3..]
            .trim_start()
            .chars()
            .take_while(|&c| is_ident(c))
            .collect();
        if name.is_empty() {
            continue; // `fn(` of a function pointer type
        }
        // The body: the first `{` at depth 0 of the signature's (), <>, []
        // that comes before a `;`.
        let mut depth = 0i32;
        let mut open = None;
        for (k, &ch) in b.iter().enumerate().skip(at) {
            match ch {
                b'(' | b'[' => depth += 1,
                b')' | b']' => depth -= 1,
                b';' if depth == 0 => break,
                b'{' if depth == 0 => {
                    open = Some(k);
                    break;
                }
                _ => {}
            }
        }
        let Some(open) = open else { continue };
        let mut braces = 0;
        let close = (open..b.len()).find(|&k| {
            match b[k] {
                b'{' => braces += 1,
                b'}' => braces -= 1,
                _ => {}
            }
            braces == 0
        });
        let Some(close) = close else { continue };
        let first = line_at(at);
        out.push((name, first, line_at(close) - first + 1));
    }
    out
}

/// The functions of `files` over `max` lines but the `allowed` ones (and
/// an allowed one over its own bound), as lines.
fn long_functions(
    files: &[Source],
    max: usize,
    allowed: &[(&str, &str, usize, &str)],
) -> Vec<String> {
    let mut out = Vec::new();
    for (path, text) in files {
        for (name, line, lines) in functions(text) {
            let bound = allowed
                .iter()
                .find(|a| a.0 == path.as_str() && a.1 == name)
                .map_or(max, |a| a.2);
            if lines > bound {
                out.push(format!(
                    "{path}:{line}: fn {name} is {lines} lines (at most {bound})"
                ));
            }
        }
    }
    out
}

/// The files of `files` over `max` lines but the `allowed` ones (each at
/// most its own size), and the allowed ones that are no longer over
/// `max` (to be taken off the list), as lines.
fn long_files(
    files: &[Source],
    max: usize,
    allowed: &[(&str, usize, &str)],
) -> Vec<String> {
    let mut out = Vec::new();
    for (path, text) in files {
        let lines = text.lines().count();
        match allowed.iter().find(|a| a.0 == path.as_str()) {
            Some(&(_, bound, _)) if lines > bound => out.push(format!(
                "{path}: {lines} lines, more than the {bound} it is allowed: make it smaller"
            )),
            Some(_) if lines <= max => out.push(format!(
                "{path}: {lines} lines, within {max}: take it off the list of exceptions"
            )),
            Some(_) => {}
            None if lines > max => out.push(format!(
                "{path}: {lines} lines, over {max}: split it along its seams"
            )),
            None => {}
        }
    }
    for (path, ..) in allowed {
        if !files.iter().any(|f| f.0 == *path) {
            out.push(format!("{path}: listed as an exception, not found"));
        }
    }
    out
}

/// The lines of `files` that allow clippy's lint of too many arguments
/// (an attribute in code, or a lint table or threshold in a manifest or
/// `clippy.toml`).
fn argument_allowances(files: &[Source]) -> Vec<String> {
    let lint = concat!("too_many", "_arguments");
    let setting = concat!("too-many", "-arguments");
    let mut out = Vec::new();
    for (path, text) in files {
        let code =
            if path.ends_with(".rs") { code_of(text) } else { text.clone() };
        for (i, line) in code.lines().enumerate() {
            // In a manifest, not in a comment.
            let l = match path.ends_with(".rs") {
                true => line,
                false => line.split('#').next().unwrap_or(""),
            };
            if tokens(l).iter().any(|w| w == lint) || l.contains(setting) {
                out.push(format!("{path}:{}: {}", i + 1, line.trim()));
            }
        }
    }
    out
}

/// The `static` items of `files` (a `static` that is not a lifetime
/// `'static`: a global, a `thread_local!`'s), as lines.
fn statics(files: &[Source]) -> Vec<String> {
    let mut out = Vec::new();
    for (path, text) in files {
        let code = without_tests(&code_of(text));
        for (i, line) in code.lines().enumerate() {
            let t = tokens(line);
            let found = t
                .iter()
                .enumerate()
                .any(|(k, w)| w == "static" && (k == 0 || t[k - 1] != "'"));
            if found {
                out.push(format!("{path}:{}: {}", i + 1, line.trim()));
            }
        }
    }
    out
}

fn fail_on(what: &str, found: &[String]) {
    assert!(found.is_empty(), "{what}:\n{}", found.join("\n"));
}

// ---------------------------------------------------------------------
// The checks on the tree.

#[test]
fn no_import_circle_in_either_crate() {
    for src in ["crates/korpus/src", "src"] {
        let files = sources(src);
        let edges = edges(&files, src);
        assert!(edges.len() > 20, "{src}: only {} references", edges.len());
        fail_on(&format!("import circles in {src}"), &circles(&edges));
    }
}

#[test]
fn no_long_function_in_the_binary_crate() {
    let files = sources("src");
    assert!(files.iter().map(|f| functions(&f.1).len()).sum::<usize>() > 50);
    fail_on(
        "functions over 80 lines in src/",
        &long_functions(&files, MAX_FN_LINES, FN_EXCEPTIONS),
    );
}

#[test]
fn cli_files_stay_small_but_the_listed_ones() {
    let files = sources("src/cli");
    fail_on(
        "files of src/cli/ over 150 lines",
        &long_files(&files, MAX_CLI_LINES, CLI_EXCEPTIONS),
    );
}

#[test]
fn no_allowance_of_too_many_arguments() {
    let mut files = Vec::new();
    for dir in ["crates/korpus/src", "src", "tests", "benches", "examples"] {
        files.extend(sources(dir));
    }
    for toml in ["Cargo.toml", "crates/korpus/Cargo.toml", "clippy.toml"] {
        if let Ok(text) = std::fs::read_to_string(root().join(toml)) {
            files.push((toml.to_string(), text));
        }
    }
    assert!(files.len() > 100);
    fail_on("allowances of too many arguments", &argument_allowances(&files));
}

#[test]
fn no_static_on_the_distributed_path() {
    let mut files: Vec<Source> = Vec::new();
    for dir in ["crates/korpus/src", "src"] {
        for f in sources(dir) {
            let on = DISTRIBUTED_PATH.iter().any(|p| {
                if p.ends_with('/') { f.0.starts_with(p) } else { f.0 == *p }
            });
            if on {
                files.push(f);
            }
        }
    }
    // Every listed path is there (a moved file would leave the check).
    for p in DISTRIBUTED_PATH {
        assert!(
            files.iter().any(|f| f.0.starts_with(p)),
            "{p} of the distributed path is not in the tree: update the list"
        );
    }
    fail_on("statics on the distributed path", &statics(&files));
}

// ---------------------------------------------------------------------
// Each check fails on a seeded violation.

fn tree(files: &[(&str, &str)]) -> Vec<Source> {
    files.iter().map(|(p, t)| (p.to_string(), t.to_string())).collect()
}

#[test]
fn code_of_blanks_comments_and_literals_only() {
    let text = "let a = \"{ crate::x }\"; // crate::y {\n\
                /* crate::z { */ let c = '{'; let d = '\\''; \
                fn f<'a>(x: &'a str) -> &'static str { r#\"}\"# }";
    let code = code_of(text);
    assert_eq!(code.len(), text.len());
    assert!(!code.contains("crate"), "{code}");
    assert!(code.contains("&'static str {"), "{code}");
    assert_eq!(code.matches('{').count(), 1, "{code}");
    assert_eq!(code.matches('}').count(), 1, "{code}");
}

#[test]
fn a_seeded_circle_is_found_and_a_module_inside_is_not() {
    let src = "s";
    let looped = tree(&[
        ("s/lib.rs", "pub mod a;\npub mod b;\npub mod c;\n"),
        ("s/a.rs", "use crate::b::{self, X};\n"),
        ("s/b.rs", "pub fn f() { super::c::g() }\n"),
        ("s/c.rs", "mod inner;\n"),
        // Under c/: a file of c, reaching a (c's circle through a, b).
        ("s/c/inner.rs", "fn h() { crate::a::k(); }\n"),
    ]);
    let found = circles(&edges(&looped, src));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("a circle among crate::{a, b, c}"));
    assert!(found[0].contains("c::inner -> a: k"), "{}", found[0]);
    // A module and its files name each other; comments, strings and
    // unit tests name anything: no circle.
    let fine = tree(&[
        ("s/lib.rs", "pub mod a;\npub mod b;\n"),
        ("s/a/mod.rs", "mod part;\npub use part::P;\n"),
        ("s/a/part.rs", "use super::Q;\npub struct P;\n"),
        (
            "s/b.rs",
            "//! See [`crate::a`].\nuse crate::a::P;\nconst S: &str = \"crate::a\";\n",
        ),
        (
            "s/a/more.rs",
            "#[cfg(test)]\nmod tests {\n    use crate::b::Z;\n}\n",
        ),
    ]);
    let e = edges(&fine, src);
    assert_eq!(e.len(), 3, "{e:?}");
    assert!(circles(&e).is_empty(), "{:?}", circles(&e));
    // The reverse reference, in code, makes it one; so does one after a
    // test module in the middle of a file.
    let mut looped = fine.clone();
    looped[1].1.push_str("fn f() { let _ = crate::b::S; }\n");
    assert_eq!(circles(&edges(&looped, src)).len(), 1);
    let mut looped = fine.clone();
    looped[4].1.push_str("fn g() { crate::b::h(); }\n");
    assert_eq!(circles(&edges(&looped, src)).len(), 1);
}

#[test]
fn a_seeded_long_function_is_found() {
    let body = |n: usize| {
        let mut f = String::from("fn long(a: u8) -> u8 {\n");
        for _ in 0..n - 2 {
            f.push_str("    let _ = \"}\";\n");
        }
        f.push_str("}\n");
        f
    };
    let text = format!("trait T {{ fn none(); }}\n{}{}", body(80), body(81));
    let got = functions(&text);
    let lens: Vec<_> = got.iter().map(|g| (g.0.as_str(), g.2)).collect();
    assert_eq!(lens, [("long", 80), ("long", 81)]);
    let files = tree(&[("src/x.rs", &text)]);
    let found = long_functions(&files, 80, &[]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("src/x.rs:82: fn long is 81 lines"));
    assert!(
        long_functions(&files, 80, &[("src/x.rs", "long", 81, "")]).is_empty()
    );
}

#[test]
fn a_seeded_long_file_is_found_and_the_list_only_shrinks() {
    let lines = |n: usize| "x\n".repeat(n);
    let files = tree(&[("c/a.rs", &lines(151)), ("c/b.rs", &lines(150))]);
    assert_eq!(long_files(&files, 150, &[]).len(), 1);
    assert!(long_files(&files, 150, &[("c/a.rs", 151, "")]).is_empty());
    // Grown past its bound, come down to the limit, or gone: each fails.
    assert_eq!(long_files(&files, 150, &[("c/a.rs", 150, "")]).len(), 1);
    let listed = [("c/a.rs", 151, ""), ("c/b.rs", 160, "")];
    assert_eq!(long_files(&files, 150, &listed).len(), 1);
    let gone = [("c/a.rs", 151, ""), ("c/gone.rs", 200, "")];
    assert_eq!(long_files(&files, 150, &gone).len(), 1);
}

#[test]
fn a_seeded_allowance_is_found() {
    let attr = format!(
        "#[allow(clippy::{})]\nfn f() {{}}\n",
        concat!("too_many", "_arguments")
    );
    let toml = format!(
        "[lints.clippy]\n{} = \"allow\"\n",
        concat!("too_many", "_arguments")
    );
    let clippy =
        format!("{}-threshold = 12\n", concat!("too-many", "-arguments"));
    let quiet = format!(
        "// {}\nconst S: &str = \"{}\";\n",
        concat!("too_many", "_arguments"),
        concat!("too_many", "_arguments")
    );
    let files = tree(&[
        ("a.rs", &attr),
        ("Cargo.toml", &toml),
        ("clippy.toml", &clippy),
        ("b.rs", &quiet),
    ]);
    let found = argument_allowances(&files);
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(found[0].starts_with("a.rs:1:"));
}

#[test]
fn a_seeded_static_is_found_and_lifetimes_are_not() {
    let text = "static COUNT: AtomicU64 = AtomicU64::new(0);\n\
        thread_local! { static T: Cell<u8> = Cell::new(0); }\n\
        const C: &'static str = \"static\";\n\
        fn f(x: impl Fn() + Send + 'static) -> &'static str { \"\" }\n\
        // a static in a comment\n\
        #[cfg(test)]\nmod tests {\n    static IN_TEST: u8 = 0;\n}\n";
    let found = statics(&tree(&[("d.rs", text)]));
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found[0].starts_with("d.rs:1:") && found[1].starts_with("d.rs:2:")
    );
}
