//! Markdown (`.md`, `.markdown`): a file is one document, its text
//! without the syntax, its front matter and key/value tables as fields.
//!
//! The page is parsed with pulldown-cmark (CommonMark with GitHub's
//! tables, strikethrough, task lists and footnotes). What becomes text:
//! - paragraphs, headings, list items, block quotes and footnotes, each
//!   a block of its own (ended by a blank line, so sentences of two
//!   blocks never run together); emphasis, strong and strikethrough
//!   marks dropped, their words kept; a line break stays a line break;
//! - a link's text (its URL dropped); an autolink (`<https://...>`),
//!   being only a URL, dropped whole;
//! - inline code (`` `nama` ``), as words of the sentence;
//! - a table's cells, each a block of its own (a table is no
//!   sentence), unless it is a key/value table (below).
//!
//! What is dropped: images, their alt text with them (a caption, not the
//! article's prose), code blocks (not the language studied), raw HTML,
//! footnote marks, task list boxes and thematic breaks.
//!
//! What becomes fields:
//! - **front matter**: a YAML block between `---` lines (closed by `---`
//!   or `...`) or a TOML block between `+++` lines, at the very start of
//!   the file. Each key is a field of its own name; a list is its items
//!   joined by `, `; a nested table's keys are `outer.inner`.
//! - **key/value tables**: a table of two columns whose header names a
//!   key and a value (`Field | Value`, `Key | Value`, `Kolom | Nilai`,
//!   ... see [`KEY_HEADERS`] and [`VALUE_HEADERS`]). Each row is a field:
//!   the key normalized to a plain lowercase name (letters and digits
//!   kept, an emoji or other sign in front dropped, the rest joined by
//!   `_`: `🏷️ Title` is `title`, `🔗 Short URL` is `short_url`), the
//!   value the cell's text (for a key naming a URL or link, a link's
//!   destination).
//!
//! A field that is already there (`path`, `file`, or an earlier key)
//! keeps its first value, with a warning. A front matter block that is
//! never closed, or that is not valid YAML or TOML, and a key/value
//! table with a row of other than two cells (or without a key), or
//! without its delimiter row: one warning naming `file:line`, counted in
//! [`ReadReport::metadata_unread`]; the page is still read (an unclosed
//! block and a broken table as text, a block that does not parse left
//! out).
//!
//! [`ReadReport::metadata_unread`]: crate::corpus::ReadReport::metadata_unread

use std::io::{BufRead, Read};
use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

use super::{Reader, Spec};
use crate::corpus::input::{Input, human_bytes};
use crate::corpus::{Document, Warning};
use crate::error::Result;

/// The Markdown format.
pub(super) const SPEC: Spec = Spec {
    name: "markdown",
    extensions: &["md", "markdown"],
    sniff: None,
    reader: Reader::Stream(read_page),
};

/// Header words of a key/value table's first column (normalized).
pub const KEY_HEADERS: [&str; 16] = [
    "field",
    "key",
    "name",
    "property",
    "attribute",
    "metadata",
    "meta",
    "kolom",
    "kunci",
    "nama",
    "properti",
    "atribut",
    "feld",
    "champ",
    "campo",
    "veld",
];

/// Header words of a key/value table's second column (normalized).
pub const VALUE_HEADERS: [&str; 11] = [
    "value",
    "nilai",
    "isi",
    "keterangan",
    "data",
    "content",
    "detail",
    "wert",
    "valeur",
    "valor",
    "waarde",
];

/// Reads a page: one document, whole (a page past the document limit
/// is skipped with a warning).
fn read_page(input: &mut Input<'_>, rdr: &mut dyn BufRead) -> Result<bool> {
    let limit = input.limit();
    let mut buf = Vec::new();
    rdr.take(limit as u64 + 1)
        .read_to_end(&mut buf)
        .map_err(|e| input.io_error(e))?;
    if let Some(p) = memchr::memchr(0, &buf) {
        return Ok(input.binary(p as u64));
    }
    if buf.len() > limit {
        return Ok(input.skip(Warning {
            location: input.source.display.clone(),
            message: format!(
                "a Markdown page larger than the document limit of {} is \
                 skipped (--max-doc-size raises it)",
                human_bytes(limit)
            ),
        }));
    }
    let src = input.decode(buf, 0)?;
    let page = parse(&src);
    let mut meta = input.base_meta();
    let mut problems = page.problems;
    for (line, key, value) in page.fields {
        if meta.iter().any(|(k, _)| **k == *key) {
            let message = format!(
                "the field '{key}' is given more than once: the first \
                 value kept"
            );
            problems.push(Problem { line, message });
            continue;
        }
        meta.push((Arc::from(key), value));
    }
    problems.sort_by_key(|p| p.line);
    for p in problems {
        let w = Warning { location: input.at(p.line), message: p.message };
        if !input.metadata_unread(w) {
            return Ok(false);
        }
    }
    let id = input.source.display.clone();
    Ok(input.document(Document { id, meta, text: page.text }))
}

/// A page read: its fields (the line each came from, its name, its
/// value), its text, and what could not be read as fields.
#[derive(Debug, Default)]
struct Page {
    fields: Vec<(u64, String, String)>,
    text: String,
    problems: Vec<Problem>,
}

/// Metadata that could not be read as fields, on a line (from 1).
#[derive(Debug)]
struct Problem {
    line: u64,
    message: String,
}

/// Reads the page `src` (see the module's doc).
fn parse(src: &str) -> Page {
    let mut page = Page::default();
    let body = front_matter(src, &mut page);
    let mut walk = Walk { src, base: body, page, ..Walk::default() };
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES;
    for (event, range) in
        Parser::new_ext(&src[body..], opts).into_offset_iter()
    {
        walk.event(event, range);
    }
    let mut page = walk.page;
    page.text.truncate(page.text.trim_end().len());
    page
}

/// The line (from 1) of byte `at` of `src`.
fn line_of(src: &str, at: usize) -> u64 {
    memchr::memchr_iter(b'\n', &src.as_bytes()[..at.min(src.len())]).count()
        as u64
        + 1
}

/// Reads the front matter at the start of `src` into `page`; gives where
/// the Markdown after it starts (0 without one, or when it is never
/// closed).
fn front_matter(src: &str, page: &mut Page) -> usize {
    let first = src.split_inclusive('\n').next().unwrap_or("");
    let (toml, closing): (bool, &[&str]) = match first.trim_end() {
        "---" => (false, &["---", "..."]),
        "+++" => (true, &["+++"]),
        _ => return 0,
    };
    let mut at = first.len();
    for line in src[first.len()..].split_inclusive('\n') {
        if closing.contains(&line.trim_end()) {
            let block = &src[first.len()..at];
            read_block(block, toml, page);
            return at + line.len();
        }
        at += line.len();
    }
    page.problems.push(Problem {
        line: 1,
        message: format!(
            "the front matter opened by '{}' is never closed: the page is \
             read as Markdown, the block as text",
            first.trim_end()
        ),
    });
    0
}

/// Reads a front matter block (which starts on line 2) into fields.
fn read_block(block: &str, toml: bool, page: &mut Page) {
    let mut out = Vec::new();
    let error = if toml {
        match block.parse::<toml::Table>() {
            Ok(table) => {
                toml_fields("", &toml::Value::Table(table), &mut out);
                None
            }
            Err(e) => {
                let line = e.span().map_or(0, |s| line_of(block, s.start) - 1);
                Some((line, format!("not valid TOML ({})", e.message())))
            }
        }
    } else {
        match yaml_rust2::YamlLoader::load_from_str(block) {
            Ok(docs) => match docs.first() {
                None | Some(yaml_rust2::Yaml::Null) => None,
                Some(y @ yaml_rust2::Yaml::Hash(_)) => {
                    yaml_fields("", y, &mut out);
                    None
                }
                Some(_) => Some((0, "not a mapping of keys to values".into())),
            },
            Err(e) => {
                let line = e.marker().line().saturating_sub(1) as u64;
                Some((line, format!("not valid YAML ({})", e.info())))
            }
        }
    };
    if let Some((line, what)) = error {
        page.problems.push(Problem {
            line: 2 + line,
            message: format!(
                "the front matter is {what}: its fields are not read"
            ),
        });
    }
    page.fields.extend(out.into_iter().map(|(k, v)| (1, k, v)));
}

/// The fields of a YAML value under `prefix`.
fn yaml_fields(
    prefix: &str,
    y: &yaml_rust2::Yaml,
    out: &mut Vec<(String, String)>,
) {
    use yaml_rust2::Yaml;
    match y {
        Yaml::Hash(h) => {
            for (k, v) in h {
                let key = match k {
                    Yaml::String(s) | Yaml::Real(s) => s.clone(),
                    Yaml::Integer(i) => i.to_string(),
                    Yaml::Boolean(b) => b.to_string(),
                    _ => continue,
                };
                let key = if prefix.is_empty() {
                    key
                } else {
                    format!("{prefix}.{key}")
                };
                yaml_fields(&key, v, out);
            }
        }
        Yaml::Array(items) => {
            let items: Vec<String> =
                items.iter().filter_map(yaml_scalar).collect();
            out.push((prefix.to_string(), items.join(", ")));
        }
        _ => {
            out.push((prefix.to_string(), yaml_scalar(y).unwrap_or_default()))
        }
    }
}

/// A YAML scalar as text (`None` for a list or mapping).
fn yaml_scalar(y: &yaml_rust2::Yaml) -> Option<String> {
    use yaml_rust2::Yaml;
    Some(match y {
        Yaml::String(s) | Yaml::Real(s) => s.clone(),
        Yaml::Integer(i) => i.to_string(),
        Yaml::Boolean(b) => b.to_string(),
        Yaml::Null => String::new(),
        _ => return None,
    })
}

/// The fields of a TOML value under `prefix`.
fn toml_fields(
    prefix: &str,
    v: &toml::Value,
    out: &mut Vec<(String, String)>,
) {
    match v {
        toml::Value::Table(t) => {
            for (k, v) in t {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                toml_fields(&key, v, out);
            }
        }
        toml::Value::Array(items) => {
            let items: Vec<String> =
                items.iter().filter_map(toml_scalar).collect();
            out.push((prefix.to_string(), items.join(", ")));
        }
        _ => {
            out.push((prefix.to_string(), toml_scalar(v).unwrap_or_default()))
        }
    }
}

/// A TOML scalar as text (`None` for an array or table).
fn toml_scalar(v: &toml::Value) -> Option<String> {
    Some(match v {
        toml::Value::String(s) => s.clone(),
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Float(f) => f.to_string(),
        toml::Value::Boolean(b) => b.to_string(),
        toml::Value::Datetime(d) => d.to_string(),
        _ => return None,
    })
}

/// A table being read: its rows of cells, and where each row is.
#[derive(Debug, Default)]
struct Table {
    rows: Vec<(Range<usize>, Vec<Cell>)>,
    /// Where the table is in the body.
    start: usize,
}

/// One table cell: its text and the destination of a link in it.
#[derive(Debug, Default)]
struct Cell {
    text: String,
    link: Option<String>,
}

/// The walk over a page's events, building its text, fields and
/// problems.
#[derive(Default)]
struct Walk<'a> {
    src: &'a str,
    /// Where the body (after the front matter) starts in `src`.
    base: usize,
    page: Page,
    /// Inside something dropped (an image, a code block, HTML, an
    /// autolink): its depth of nested tags.
    dropped: usize,
    /// The table being read.
    table: Option<Table>,
}

impl Walk<'_> {
    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        if self.dropped > 0 {
            match event {
                Event::Start(_) => self.dropped += 1,
                Event::End(_) => self.dropped -= 1,
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(end) => self.end(end),
            Event::Text(t) | Event::Code(t) => self.push(&t),
            Event::SoftBreak | Event::HardBreak => self.push("\n"),
            // A tag like <br> may stand between two words.
            Event::InlineHtml(_) => self.push(" "),
            Event::Rule => self.block_end(),
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>, range: Range<usize>) {
        match tag {
            Tag::Image { .. } | Tag::CodeBlock(_) | Tag::HtmlBlock => {
                self.dropped = 1;
            }
            Tag::Link {
                link_type: LinkType::Autolink | LinkType::Email,
                ..
            } => {
                self.dropped = 1;
            }
            Tag::Link { dest_url, .. } => {
                if let Some(cell) = self.cell() {
                    cell.link.get_or_insert_with(|| dest_url.to_string());
                }
            }
            Tag::Table(_) => {
                self.block_end();
                self.table =
                    Some(Table { start: range.start, ..Table::default() });
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some(t) = &mut self.table {
                    t.rows.push((range, Vec::new()));
                }
            }
            Tag::TableCell => {
                if let Some((_, cells)) =
                    self.table.as_mut().and_then(|t| t.rows.last_mut())
                {
                    cells.push(Cell::default());
                }
            }
            Tag::Paragraph => {
                self.block_end();
                self.check_pipes(range);
            }
            Tag::Heading { .. }
            | Tag::Item
            | Tag::List(_)
            | Tag::BlockQuote(_)
            | Tag::FootnoteDefinition(_) => self.block_end(),
            _ => {}
        }
    }

    fn end(&mut self, end: TagEnd) {
        match end {
            TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::Item
            | TagEnd::BlockQuote(_)
            | TagEnd::FootnoteDefinition
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition => self.block_end(),
            TagEnd::Table => {
                if let Some(t) = self.table.take() {
                    self.table_end(t);
                }
            }
            _ => {}
        }
    }

    /// The cell being read, if any.
    fn cell(&mut self) -> Option<&mut Cell> {
        self.table.as_mut()?.rows.last_mut()?.1.last_mut()
    }

    /// Adds text: to the cell being read, or to the page's text.
    fn push(&mut self, s: &str) {
        match self.cell() {
            Some(cell) => cell.text.push_str(s),
            None => self.page.text.push_str(s),
        }
    }

    /// Ends a block: a blank line after the text (once).
    fn block_end(&mut self) {
        let text = &mut self.page.text;
        let trimmed = text.trim_end_matches([' ', '\t', '\n']).len();
        if trimmed > 0 {
            text.truncate(trimmed);
            text.push_str("\n\n");
        }
    }

    /// The line (from 1) of byte `at` of the body.
    fn line(&self, at: usize) -> u64 {
        line_of(self.src, self.base + at)
    }

    /// A paragraph that starts like a key/value table's header (a table
    /// without its delimiter row): a problem.
    fn check_pipes(&mut self, range: Range<usize>) {
        let body = &self.src[self.base..];
        let first = body[range.clone()].lines().next().unwrap_or("");
        let cells = raw_cells(first);
        if first.trim_start().starts_with('|') && is_key_value(&cells) {
            let line = self.line(range.start);
            self.page.problems.push(Problem {
                line,
                message: format!(
                    "a key/value table ('{}') without its delimiter row \
                     (|---|---|) on the next line: read as text",
                    cells.join(" | ")
                ),
            });
        }
    }

    /// A table read: fields if it is a key/value table with good rows,
    /// else text.
    fn table_end(&mut self, table: Table) {
        let header: Vec<String> = table
            .rows
            .first()
            .map(|(_, cells)| cells.iter().map(|c| c.text.clone()).collect())
            .unwrap_or_default();
        if !is_key_value(&header) {
            return self.table_text(table);
        }
        let body = &self.src[self.base..];
        let mut fields = Vec::new();
        for (n, (range, cells)) in table.rows.iter().enumerate().skip(1) {
            let raw =
                raw_cells(body[range.clone()].lines().next().unwrap_or(""));
            let key =
                cells.first().map_or(String::new(), |c| field_name(&c.text));
            if raw.len() != 2 || key.is_empty() {
                let line = self.line(range.start);
                let what = if raw.len() != 2 {
                    format!("has {} cells, not 2", raw.len())
                } else {
                    "has no key".to_string()
                };
                self.page.problems.push(Problem {
                    line,
                    message: format!(
                        "row {n} of the key/value table on line {} {what}: \
                         the table is read as text",
                        self.line(table.start)
                    ),
                });
                return self.table_text(table);
            }
            let value = cell_value(&key, cells.get(1));
            fields.push((self.line(range.start), key, value));
        }
        self.page.fields.extend(fields);
    }

    /// A table as text: each cell a block.
    fn table_text(&mut self, table: Table) {
        for (_, cells) in table.rows {
            for cell in cells {
                self.page.text.push_str(cell.text.trim());
                self.block_end();
            }
        }
    }
}

/// The cells of a table row as written (`| a | b |` is `a`, `b`),
/// split at pipes not escaped with a backslash.
fn raw_cells(line: &str) -> Vec<String> {
    let line = line.trim();
    let line = line.strip_prefix('|').unwrap_or(line);
    let line = match line.strip_suffix('|') {
        Some(l) if !l.ends_with('\\') => l,
        _ => line,
    };
    let mut cells = vec![String::new()];
    let mut escaped = false;
    for c in line.chars() {
        if c == '|' && !escaped {
            cells.push(String::new());
        } else if let Some(last) = cells.last_mut() {
            last.push(c);
        }
        escaped = c == '\\' && !escaped;
    }
    cells.iter().map(|c| c.trim().to_string()).collect()
}

/// Whether a header of cells names a key and a value.
fn is_key_value(header: &[String]) -> bool {
    match header {
        [k, v] => {
            KEY_HEADERS.contains(&field_name(k).as_str())
                && VALUE_HEADERS.contains(&field_name(v).as_str())
        }
        _ => false,
    }
}

/// A key cell as a field name: letters and digits in lower case, runs
/// of anything else (an emoji, spaces, punctuation) as one `_`, none at
/// either end (`🏷️ Title` is `title`, `Short URL` is `short_url`).
pub fn field_name(key: &str) -> String {
    let mut name = String::with_capacity(key.len());
    let mut gap = false;
    for c in key.chars() {
        if c.is_alphanumeric() {
            if gap && !name.is_empty() {
                name.push('_');
            }
            gap = false;
            name.extend(c.to_lowercase());
        } else {
            gap = true;
        }
    }
    name
}

/// A value cell's value: its text; for a key that names a URL or link
/// (or a cell that is only a link), the link's destination.
fn cell_value(key: &str, cell: Option<&Cell>) -> String {
    let Some(cell) = cell else { return String::new() };
    let text = cell.text.trim();
    match &cell.link {
        Some(dest)
            if text.is_empty()
                || key.contains("url")
                || key.contains("link")
                || key == "canonical" =>
        {
            dest.clone()
        }
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page in the shape of the saved news pages (written for the
    /// test): a title, a lead, the key/value table, an image, prose with
    /// a link, a heading, a list, a data table, code, a rule, an
    /// autolink.
    const PAGE: &str = "\
# Banjir Rendam Pesisir

Hujan deras sejak pagi membuat warga mengungsi.

| Field         | Value                    |
|---------------|--------------------------|
| 🏷️ Title       | Banjir Rendam Pesisir |
| 📝 Description | Hujan deras sejak pagi. |
| 🔗 Short URL   | http://kmp.im/Xy12 |
| 👤 Author      |  |
| ✏️ Editor      | Siti Rahma |

![Warga di posko pengungsian](https://asset.example.com/crops/a.jpg)

**PESISIR, KORAN.com** - Ribuan warga [Kampung Nelayan](https://example.com/tag/kn) *mengungsi*.
Air setinggi satu meter.

## Posko dibuka

- Posko pertama
- Posko kedua

| Wilayah | Pengungsi |
|---|---|
| Cilincing | 120 |

```
let kode = 1;
```

---

Baca juga: <https://example.com/baca>
";

    fn field<'a>(page: &'a Page, key: &str) -> Option<&'a str> {
        page.fields
            .iter()
            .find(|(_, k, _)| k == key)
            .map(|(_, _, v)| v.as_str())
    }

    #[test]
    fn a_news_page_its_text_without_syntax_and_its_table_as_fields() {
        let page = parse(PAGE);
        assert!(page.problems.is_empty(), "{:?}", page.problems);
        let keys: Vec<&str> =
            page.fields.iter().map(|(_, k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            ["title", "description", "short_url", "author", "editor"]
        );
        assert_eq!(field(&page, "title"), Some("Banjir Rendam Pesisir"));
        assert_eq!(field(&page, "short_url"), Some("http://kmp.im/Xy12"));
        assert_eq!(field(&page, "author"), Some(""));
        assert_eq!(field(&page, "editor"), Some("Siti Rahma"));
        // The title field is on line 7 of the page.
        assert_eq!(page.fields[0].0, 7);
        let want = "\
Banjir Rendam Pesisir

Hujan deras sejak pagi membuat warga mengungsi.

PESISIR, KORAN.com - Ribuan warga Kampung Nelayan mengungsi.
Air setinggi satu meter.

Posko dibuka

Posko pertama

Posko kedua

Wilayah

Pengungsi

Cilincing

120

Baca juga:";
        assert_eq!(page.text, want);
    }

    #[test]
    fn front_matter_yaml_and_toml_become_fields() {
        let yaml = "---\ntitle: Harga Beras\ndate: 2025-11-01\ntags: [pangan, harga]\nauthor:\n  name: Budi\n---\nIsi berita.\n";
        let page = parse(yaml);
        assert!(page.problems.is_empty(), "{:?}", page.problems);
        let got: Vec<(&str, &str)> = page
            .fields
            .iter()
            .map(|(_, k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("title", "Harga Beras"),
                ("date", "2025-11-01"),
                ("tags", "pangan, harga"),
                ("author.name", "Budi"),
            ]
        );
        assert_eq!(page.text, "Isi berita.");
        let toml = "+++\ntitle = \"Harga Beras\"\ndate = 2025-11-01T08:00:00+07:00\ndraft = false\n+++\n\nIsi.\n";
        let page = parse(toml);
        assert!(page.problems.is_empty(), "{:?}", page.problems);
        assert_eq!(field(&page, "date"), Some("2025-11-01T08:00:00+07:00"));
        assert_eq!(field(&page, "draft"), Some("false"));
        assert_eq!(page.text, "Isi.");
        // A --- later in the page is a thematic break, not front matter.
        let page = parse("Satu.\n\n---\ntitle: x\n---\n");
        assert!(page.fields.is_empty());
        assert_eq!(page.text, "Satu.\n\ntitle: x");
    }

    #[test]
    fn broken_metadata_is_named_by_line_and_read_as_text() {
        // (page, the line of the problem, words of its message, the text)
        let rows: [(&str, u64, &str, &str); 4] = [
            ("---\ntitle: x\n\nIsi.\n", 1, "never closed", "title: x\n\nIsi."),
            ("---\ntitle: [x\n---\nIsi.\n", 3, "not valid YAML", "Isi."),
            (
                "Isi.\n\n| Field | Value |\n| 🏷️ Title | Judul |\n",
                3,
                "without its delimiter row",
                "Isi.\n\n| Field | Value |\n| 🏷️ Title | Judul |",
            ),
            (
                "| Field | Value |\n|---|---|\n| Title | A |\n| Editor | B | C |\n",
                4,
                "row 2 of the key/value table on line 1 has 3 cells",
                "Field\n\nValue\n\nTitle\n\nA\n\nEditor\n\nB",
            ),
        ];
        for (src, line, words, text) in rows {
            let page = parse(src);
            assert_eq!(page.problems.len(), 1, "{src:?}: {:?}", page.problems);
            let p = &page.problems[0];
            assert_eq!(p.line, line, "{src:?}: {}", p.message);
            assert!(p.message.contains(words), "{src:?}: {}", p.message);
            assert!(page.fields.is_empty(), "{src:?}");
            assert_eq!(page.text, text, "{src:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
        /// Any page of Markdown's signs parses without a panic, its
        /// problems on lines of the page.
        #[test]
        fn any_page_parses(src in "[-|#*`!:+.\\[\\]()<>a-z0-9 \n]{0,300}") {
            let page = parse(&src);
            let lines = src.lines().count() as u64 + 1;
            for p in &page.problems {
                proptest::prop_assert!(p.line >= 1 && p.line <= lines, "{p:?}");
            }
        }
    }

    #[test]
    fn key_cells_become_plain_lowercase_names() {
        let rows = [
            ("🏷️ Title", "title"),
            ("🔗 Short URL", "short_url"),
            ("✏️ Editor", "editor"),
            ("Source-URL:", "source_url"),
            ("Tanggal Terbit", "tanggal_terbit"),
            ("🔥", ""),
        ];
        for (key, want) in rows {
            assert_eq!(field_name(key), want, "{key}");
        }
        // A key/value table in Indonesian; a URL key takes a link's
        // destination.
        let page = parse(
            "| Kolom | Nilai |\n|---|---|\n| Sumber URL | [Koran](https://koran.id/a) |\n| Penulis | [Budi](https://koran.id/budi) |\n",
        );
        assert_eq!(field(&page, "sumber_url"), Some("https://koran.id/a"));
        assert_eq!(field(&page, "penulis"), Some("Budi"));
        assert_eq!(page.text, "");
    }
}
