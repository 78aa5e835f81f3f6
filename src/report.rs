//! Output formats: rows of cells written as an aligned table, TSV, CSV,
//! JSON, JSON Lines, HTML or Parquet ([`crate::parquet`]).
//!
//! Conventions, the same for every command:
//! - TSV has a header line; a tab, newline, carriage return or backslash
//!   inside a cell is written `\t`, `\n`, `\r`, `\\`.
//! - CSV follows RFC 4180 (quoted where needed).
//! - JSON is one array of objects; JSON Lines one object per line.
//!   Numbers are JSON numbers, an undefined value is `null`.
//! - Floats are written with a fixed number of decimals per column, so
//!   the same numbers give the same bytes. An undefined value (for
//!   example Juilland's D with a single document) is an empty cell.
//! - The table is meant for a terminal: besides TSV's escapes, every
//!   other control character (C0, DEL and C1, such as ESC or CSI, which
//!   a terminal would obey) is shown as text ([`show_controls`]), and
//!   so are the bidi overrides and isolates (U+202A-U+202E,
//!   U+2066-U+2069), so corpus text cannot move the cursor, retitle the
//!   window, hide lines or reorder what the terminal shows. TSV, CSV and JSON keep their own escaping only, so that the
//!   text survives as it is.

use std::borrow::Cow;
use std::io::{self, Write};

/// Appends `cells` as one TSV line (`safe`: text cells that a
/// spreadsheet would take for a formula prefixed, see [`is_formula`]).
fn tsv_line(cells: &[Cell], line: &mut String, safe: bool) {
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            line.push('\t');
        }
        if safe && matches!(c, Cell::Str(s) if is_formula(s)) {
            line.push(FORMULA_GUARD);
        }
        c.write_to(line, true);
    }
    line.push('\n');
}

/// What `--csv-safe` puts before a text cell that a spreadsheet would
/// take for a formula: an apostrophe, the OWASP convention (spreadsheets
/// then show the cell as text).
pub const FORMULA_GUARD: char = '\'';

/// Whether a spreadsheet opening CSV or TSV would take the text cell `s`
/// for a formula: it starts with `=`, `+`, `-` or `@`, or with a tab or
/// carriage return (OWASP's list).
pub fn is_formula(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Columns aligned with spaces, for reading on a terminal.
    Table,
    /// Tab-separated values with a header.
    Tsv,
    /// Comma-separated values with a header.
    Csv,
    /// A JSON array of objects.
    Json,
    /// One JSON object per line.
    Jsonl,
    /// A self-contained HTML page with a sortable table.
    Html,
    /// An Apache Parquet file (typed columns, full-precision floats).
    Parquet,
}

impl Format {
    /// The format named `name`.
    pub fn from_name(name: &str) -> Option<Format> {
        Some(match name {
            "table" => Format::Table,
            "tsv" => Format::Tsv,
            "csv" => Format::Csv,
            "json" => Format::Json,
            "jsonl" => Format::Jsonl,
            "html" => Format::Html,
            "parquet" => Format::Parquet,
            _ => return None,
        })
    }
}

/// One cell of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text.
    Str(String),
    /// A whole number.
    Int(u64),
    /// A float, written with the given number of decimals.
    Float(f64, usize),
    /// An undefined value.
    Null,
}

impl Cell {
    /// A float cell, or `Null` for `None`.
    pub fn opt(v: Option<f64>, decimals: usize) -> Cell {
        v.map_or(Cell::Null, |v| Cell::Float(v, decimals))
    }

    /// Appends the cell's text to `out` (TSV-escaped with `tsv`),
    /// without allocating: the hot path of large tables.
    fn write_to(&self, out: &mut String, tsv: bool) {
        use std::fmt::Write as _;
        match self {
            Cell::Str(s) if tsv => tsv_escape_into(out, s),
            Cell::Str(s) => out.push_str(s),
            Cell::Int(n) => {
                let _ = write!(out, "{n}");
            }
            Cell::Float(v, d) if v.is_finite() => {
                let _ = write!(out, "{v:.d$}");
            }
            Cell::Float(v, _) if v.is_nan() => out.push_str("nan"),
            Cell::Float(v, _) => {
                out.push_str(if *v > 0.0 { "inf" } else { "-inf" })
            }
            Cell::Null => {}
        }
    }

    fn text(&self) -> String {
        match self {
            Cell::Str(s) => s.clone(),
            Cell::Int(n) => n.to_string(),
            Cell::Float(v, d) if v.is_finite() => format!("{v:.d$}"),
            Cell::Float(v, _) if v.is_nan() => "nan".to_string(),
            Cell::Float(v, _) => {
                if *v > 0.0 { "inf" } else { "-inf" }.to_string()
            }
            Cell::Null => String::new(),
        }
    }

    fn is_numeric(&self) -> bool {
        matches!(self, Cell::Int(_) | Cell::Float(..))
    }

    fn json(&self) -> String {
        match self {
            Cell::Str(s) => {
                serde_json::to_string(s).expect("strings serialize")
            }
            Cell::Float(v, _) if !v.is_finite() => {
                format!("\"{}\"", self.text())
            }
            Cell::Null => "null".to_string(),
            _ => self.text(),
        }
    }
}

/// Writes rows in one format, streaming where the format allows
/// (`Table` holds the rows to align them).
pub struct RowWriter<'w> {
    wtr: &'w mut dyn Write,
    format: Format,
    columns: Vec<String>,
    rows: u64,
    held: Vec<Vec<String>>,
    numeric: Vec<bool>,
    right: Vec<bool>,
    highlight: Option<usize>,
    title: String,
    /// The line being built (reused: no allocation per row).
    line: String,
    parquet: Option<crate::parquet::ParquetRows>,
    /// Whether formula-like text cells are prefixed (CSV, TSV).
    csv_safe: bool,
    /// Whether the header of CSV or TSV is written.
    started: bool,
}

impl<'w> RowWriter<'w> {
    /// Starts the output with the column names.
    pub fn new(
        wtr: &'w mut dyn Write,
        format: Format,
        columns: &[&str],
    ) -> io::Result<Self> {
        let columns: Vec<String> =
            columns.iter().map(|c| c.to_string()).collect();
        if format == Format::Json {
            write!(wtr, "[")?;
        }
        let parquet = (format == Format::Parquet)
            .then(|| crate::parquet::ParquetRows::new(&columns));
        let numeric = vec![false; columns.len()];
        let right = vec![false; columns.len()];
        Ok(RowWriter {
            wtr,
            format,
            columns,
            rows: 0,
            held: Vec::new(),
            numeric,
            right,
            highlight: None,
            title: String::from("korpus"),
            line: String::new(),
            parquet,
            csv_safe: false,
            started: !matches!(format, Format::Tsv | Format::Csv),
        })
    }

    /// Prefixes text cells (column names included) that a spreadsheet
    /// would take for a formula with [`FORMULA_GUARD`], in CSV and TSV
    /// (`--csv-safe`); numbers are left as they are. Call before the
    /// first row.
    pub fn csv_safe(&mut self, on: bool) {
        self.csv_safe = on;
    }

    /// Writes the header line of CSV and TSV, once, before the first row
    /// (so that [`RowWriter::csv_safe`] applies to it).
    fn start(&mut self) -> io::Result<()> {
        if self.started {
            return Ok(());
        }
        self.started = true;
        let names: Vec<Cell> =
            self.columns.iter().map(|c| Cell::Str(c.clone())).collect();
        match self.format {
            Format::Tsv => {
                let mut line = String::new();
                tsv_line(&names, &mut line, self.csv_safe);
                self.wtr.write_all(line.as_bytes())
            }
            _ => write_csv_line(self.wtr, &csv_texts(&names, self.csv_safe)),
        }
    }

    /// Right-aligns column `col` in the table format (a concordance's
    /// left context).
    pub fn align_right(&mut self, col: usize) {
        self.right[col] = true;
    }

    /// Highlights column `col`: bold red in the table format (meant for a
    /// terminal), a marked cell in HTML.
    pub fn highlight(&mut self, col: usize) {
        self.highlight = Some(col);
    }

    /// The title of an HTML page.
    pub fn title(&mut self, title: &str) {
        self.title = title.to_string();
    }

    /// Writes every row that `rows` makes, as [`RowWriter::row`] does
    /// one by one; in TSV, a block of rows at a time is made and
    /// formatted on all threads (the same bytes, in the same order).
    pub fn rows_par<T: Sync>(
        &mut self,
        items: impl Iterator<Item = T>,
        make: impl Fn(&T) -> Vec<Cell> + Sync,
    ) -> io::Result<()> {
        use rayon::prelude::*;
        self.start()?;
        if self.format != Format::Tsv {
            for item in items {
                self.row(&make(&item))?;
            }
            return Ok(());
        }
        const BLOCK: usize = 1 << 16;
        let safe = self.csv_safe;
        let mut items = items.peekable();
        let mut block: Vec<T> = Vec::with_capacity(BLOCK);
        while items.peek().is_some() {
            block.clear();
            block.extend(items.by_ref().take(BLOCK));
            let text: Vec<String> = block
                .par_chunks(2048)
                .map(|chunk| {
                    let mut out = String::new();
                    for item in chunk {
                        tsv_line(&make(item), &mut out, safe);
                    }
                    out
                })
                .collect();
            for t in &text {
                self.wtr.write_all(t.as_bytes())?;
            }
            self.rows += block.len() as u64;
        }
        Ok(())
    }

    /// Writes one row (as many cells as columns).
    pub fn row(&mut self, cells: &[Cell]) -> io::Result<()> {
        debug_assert_eq!(cells.len(), self.columns.len());
        self.start()?;
        match self.format {
            Format::Tsv => {
                let mut line = std::mem::take(&mut self.line);
                line.clear();
                tsv_line(cells, &mut line, self.csv_safe);
                let r = self.wtr.write_all(line.as_bytes());
                self.line = line;
                r?;
            }
            Format::Csv => {
                let line = csv_texts(cells, self.csv_safe);
                write_csv_line(self.wtr, &line)?;
            }
            Format::Json | Format::Jsonl => {
                let mut obj = String::from("{");
                for (i, (col, cell)) in
                    self.columns.iter().zip(cells).enumerate()
                {
                    if i > 0 {
                        obj.push(',');
                    }
                    obj.push_str(
                        &serde_json::to_string(col)
                            .expect("strings serialize"),
                    );
                    obj.push(':');
                    obj.push_str(&cell.json());
                }
                obj.push('}');
                if self.format == Format::Json {
                    let sep = if self.rows == 0 { "\n" } else { ",\n" };
                    write!(self.wtr, "{sep}{obj}")?;
                } else {
                    writeln!(self.wtr, "{obj}")?;
                }
            }
            Format::Html => {
                for (i, c) in cells.iter().enumerate() {
                    self.numeric[i] |= c.is_numeric();
                }
                self.held.push(cells.iter().map(Cell::text).collect());
            }
            Format::Parquet => {
                let p = self.parquet.as_mut().expect("made for Parquet");
                p.row(cells, self.wtr)?;
            }
            Format::Table => {
                for (i, c) in cells.iter().enumerate() {
                    self.numeric[i] |= c.is_numeric();
                }
                self.held.push(
                    cells.iter().map(|c| table_escape(&c.text())).collect(),
                );
            }
        }
        self.rows += 1;
        Ok(())
    }

    /// Ends the output (closing brackets, the aligned table) and flushes.
    pub fn finish(mut self) -> io::Result<()> {
        self.start()?;
        if let Some(p) = self.parquet.take() {
            p.finish(self.wtr)?;
        }
        match self.format {
            Format::Json => {
                let end = if self.rows == 0 { "]\n" } else { "\n]\n" };
                write!(self.wtr, "{end}")?;
            }
            Format::Table => {
                let width = |s: &str| s.chars().count();
                let mut widths: Vec<usize> = self
                    .columns
                    .iter()
                    .map(|c| width(&table_escape(c)))
                    .collect();
                for row in &self.held {
                    for (i, cell) in row.iter().enumerate() {
                        widths[i] = widths[i].max(width(cell));
                    }
                }
                let line = |cells: &[String],
                            hl: Option<usize>,
                            wtr: &mut dyn Write|
                 -> io::Result<()> {
                    let mut out = String::new();
                    for (i, cell) in cells.iter().enumerate() {
                        let pad = widths[i] - width(cell);
                        let last = i + 1 == cells.len();
                        if i > 0 {
                            out.push_str("  ");
                        }
                        let shown = if hl == Some(i) && !cell.is_empty() {
                            format!("\x1b[1;31m{cell}\x1b[0m")
                        } else {
                            cell.clone()
                        };
                        if self.numeric[i] || self.right[i] {
                            out.extend(std::iter::repeat_n(' ', pad));
                            out.push_str(&shown);
                        } else {
                            out.push_str(&shown);
                            if !last {
                                out.extend(std::iter::repeat_n(' ', pad));
                            }
                        }
                    }
                    writeln!(wtr, "{}", out.trim_end())
                };
                let columns: Vec<String> =
                    self.columns.iter().map(|c| table_escape(c)).collect();
                line(&columns, None, self.wtr)?;
                for row in &self.held {
                    line(row, self.highlight, self.wtr)?;
                }
            }
            Format::Html => write_html(
                self.wtr,
                &self.title,
                &self.columns,
                &self.held,
                &self.numeric,
                &self.right,
                self.highlight,
            )?,
            _ => {}
        }
        self.wtr.flush()
    }
}

/// Writes a whole table of rows.
pub fn write_rows(
    wtr: &mut dyn Write,
    format: Format,
    columns: &[&str],
    rows: impl IntoIterator<Item = Vec<Cell>>,
) -> io::Result<()> {
    let mut rw = RowWriter::new(wtr, format, columns)?;
    for row in rows {
        rw.row(&row)?;
    }
    rw.finish()
}

/// Escapes text for HTML element content and attribute values.
/// Control characters but tab, line feed and carriage return (HTML
/// forbids them in text) and bidi overrides and isolates are shown as
/// text, as [`show_controls`] does.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\t' | '\n' | '\r' => out.push(c),
            c if is_shown_as_text(c) => push_control(&mut out, c),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const HTML_STYLE: &str = "body{font-family:system-ui,sans-serif;margin:1.5em}\
table{border-collapse:collapse;font-size:14px}\
th{cursor:pointer;background:#eee;text-align:left;padding:4px 8px;position:sticky;top:0}\
td{padding:2px 8px;white-space:pre;border-bottom:1px solid #eee}\
td.num{text-align:right;font-variant-numeric:tabular-nums}td.r{text-align:right}\
td.hl{font-weight:bold;color:#b2182b}";

/// Sorts the table by a clicked column (numbers numerically, text by
/// code point), ascending then descending.
const HTML_SCRIPT: &str = "document.querySelectorAll('th').forEach(function(th,i){\
th.addEventListener('click',function(){var tb=th.closest('table').tBodies[0];\
var rows=Array.from(tb.rows);var asc=th.dataset.dir!=='asc';th.dataset.dir=asc?'asc':'desc';\
var num=th.dataset.num==='1';rows.sort(function(a,b){var x=a.cells[i].textContent,y=b.cells[i].textContent;\
var c=num?(parseFloat(x)||0)-(parseFloat(y)||0):(x<y?-1:x>y?1:0);return asc?c:-c;});\
rows.forEach(function(r){tb.appendChild(r);});});});";

/// Writes a self-contained HTML page (inline CSS and script, no network)
/// with every cell escaped.
fn write_html(
    wtr: &mut dyn Write,
    title: &str,
    columns: &[String],
    rows: &[Vec<String>],
    numeric: &[bool],
    right: &[bool],
    highlight: Option<usize>,
) -> io::Result<()> {
    let title = html_escape(title);
    writeln!(
        wtr,
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{title}</title>"
    )?;
    writeln!(
        wtr,
        "<style>{HTML_STYLE}</style></head><body>\n<h1>{title}</h1>"
    )?;
    writeln!(
        wtr,
        "<p>{} rows. Click a column header to sort.</p>",
        rows.len()
    )?;
    write!(wtr, "<table><thead><tr>")?;
    for (i, c) in columns.iter().enumerate() {
        write!(
            wtr,
            "<th data-num=\"{}\">{}</th>",
            u8::from(numeric[i]),
            html_escape(c)
        )?;
    }
    writeln!(wtr, "</tr></thead><tbody>")?;
    for row in rows {
        write!(wtr, "<tr>")?;
        for (i, cell) in row.iter().enumerate() {
            let class = if highlight == Some(i) {
                " class=\"hl\""
            } else if numeric[i] {
                " class=\"num\""
            } else if right[i] {
                " class=\"r\""
            } else {
                ""
            };
            write!(wtr, "<td{class}>{}</td>", html_escape(cell))?;
        }
        writeln!(wtr, "</tr>")?;
    }
    writeln!(
        wtr,
        "</tbody></table>\n<script>{HTML_SCRIPT}</script>\n</body></html>"
    )
}

/// Appends `s` to `out`, TSV-escaped as [`tsv_escape`] does.
fn tsv_escape_into(out: &mut String, s: &str) {
    if !s.contains(['\t', '\n', '\r', '\\']) {
        out.push_str(s);
        return;
    }
    out.push_str(&tsv_escape(s));
}

fn tsv_escape(s: &str) -> String {
    if !s.contains(['\t', '\n', '\r', '\\']) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 2);
    for c in s.chars() {
        match c {
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out
}

/// Appends the control character `c` as visible text: `\n`, `\r`,
/// `\t`, `\e` (ESC) or `\u{9b}` (any other, in hex: also a bidi
/// override, `\u{202e}`).
pub fn push_control(out: &mut String, c: char) {
    use std::fmt::Write as _;
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\x1b' => out.push_str("\\e"),
        c => {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
    }
}

/// Whether [`show_controls`] shows `c` as text: a control character
/// (C0, DEL and C1: what [`char::is_control`] calls one), or a bidi
/// embedding, override or isolate (U+202A-U+202E, U+2066-U+2069), which
/// reorders the text a terminal shows after it ("Trojan Source").
pub fn is_shown_as_text(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `s` with every character [`is_shown_as_text`] names (controls,
/// bidi overrides and isolates) written as [`push_control`] does
/// (`\e`, `\u{202e}`); other text, backslashes included, unchanged.
/// For text on its way to a terminal: a message, a table.
pub fn show_controls(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_shown_as_text) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_shown_as_text(c) {
            push_control(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A table cell: TSV's escapes (`\t`, `\n`, `\r`, `\\`), and every
/// other control character shown as text, so that the table cannot
/// steer the terminal and a backslash in the text stays unambiguous.
fn table_escape(s: &str) -> String {
    if !s.contains('\\') {
        return show_controls(s).into_owned();
    }
    show_controls(&s.replace('\\', "\\\\")).into_owned()
}

/// The texts of a CSV line's cells (`safe`: formula-like text cells
/// prefixed with [`FORMULA_GUARD`]).
fn csv_texts(cells: &[Cell], safe: bool) -> Vec<String> {
    cells
        .iter()
        .map(|c| match c {
            Cell::Str(s) if safe && is_formula(s) => {
                format!("{FORMULA_GUARD}{s}")
            }
            c => c.text(),
        })
        .collect()
}

fn write_csv_line(wtr: &mut dyn Write, cells: &[String]) -> io::Result<()> {
    let mut line = String::new();
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        if c.contains([',', '"', '\n', '\r'])
            || c.starts_with(' ')
            || c.ends_with(' ')
        {
            line.push('"');
            line.push_str(&c.replace('"', "\"\""));
            line.push('"');
        } else {
            line.push_str(c);
        }
    }
    line.push_str("\r\n");
    wtr.write_all(line.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(format: Format) -> String {
        let mut out = Vec::new();
        let rows = vec![
            vec![
                Cell::Str("a\tb".into()),
                Cell::Int(10),
                Cell::Float(0.5, 3),
                Cell::Null,
            ],
            vec![
                Cell::Str("x,\"y\"".into()),
                Cell::Int(2),
                Cell::Float(1.0 / 3.0, 3),
                Cell::Float(2.0, 1),
            ],
        ];
        write_rows(&mut out, format, &["item", "freq", "d", "dp"], rows)
            .unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn formats_table() {
        assert_eq!(
            render(Format::Tsv),
            "item\tfreq\td\tdp\na\\tb\t10\t0.500\t\nx,\"y\"\t2\t0.333\t2.0\n"
        );
        assert_eq!(
            render(Format::Csv),
            "item,freq,d,dp\r\na\tb,10,0.500,\r\n\"x,\"\"y\"\"\",2,0.333,2.0\r\n"
        );
        assert_eq!(
            render(Format::Jsonl),
            "{\"item\":\"a\\tb\",\"freq\":10,\"d\":0.500,\"dp\":null}\n{\"item\":\"x,\\\"y\\\"\",\"freq\":2,\"d\":0.333,\"dp\":2.0}\n"
        );
        let json: serde_json::Value =
            serde_json::from_str(&render(Format::Json)).unwrap();
        assert_eq!(json[1]["freq"], 2);
        assert_eq!(json[0]["dp"], serde_json::Value::Null);
        assert_eq!(
            render(Format::Table),
            "item   freq      d   dp\na\\tb     10  0.500\nx,\"y\"     2  0.333  2.0\n"
        );
    }

    #[test]
    fn html_escape_shows_controls_and_bidi_keeps_line_breaks() {
        assert_eq!(
            html_escape("<a>\x1b[2J\u{9b}\u{202e}\t\n\r&"),
            "&lt;a&gt;\\e[2J\\u{9b}\\u{202e}\t\n\r&amp;"
        );
    }

    #[test]
    fn table_shows_control_characters_as_text() {
        // (cell, as the table shows it)
        let rows = [
            ("a\x1b[2Jb", "a\\e[2Jb"),
            ("\x1b]0;t\x07", "\\e]0;t\\u{7}"),
            ("c1 \u{9b}1m \u{85}", "c1 \\u{9b}1m \\u{85}"),
            ("back\\e", "back\\\\e"),
            ("tab\tnl\ncr\r", "tab\\tnl\\ncr\\r"),
            ("del\x7f", "del\\u{7f}"),
            ("rlo \u{202e}fdp.exe", "rlo \\u{202e}fdp.exe"),
            (
                "\u{202a}\u{202d}\u{2066}\u{2069}",
                "\\u{202a}\\u{202d}\\u{2066}\\u{2069}",
            ),
            ("lrm \u{200e} kept", "lrm \u{200e} kept"),
            ("Tiongkok", "Tiongkok"),
        ];
        for (cell, shown) in rows {
            let mut out = Vec::new();
            let cells = vec![vec![Cell::Str(cell.into())]];
            write_rows(&mut out, Format::Table, &["x\x1b"], cells).unwrap();
            let out = String::from_utf8(out).unwrap();
            let expected = format!("x\\e\n{shown}\n");
            assert_eq!(out, expected, "{cell:?}");
        }
    }

    #[test]
    fn csv_safe_prefixes_formula_text_not_numbers() {
        let rows = || {
            vec![
                vec![Cell::Str("=1+1".into()), Cell::Float(-0.5, 1)],
                vec![Cell::Str("@x".into()), Cell::Int(3)],
                vec![Cell::Str("+6281".into()), Cell::Null],
                vec![Cell::Str("-".into()), Cell::Float(f64::NEG_INFINITY, 1)],
                vec![Cell::Str("\tx".into()), Cell::Null],
                vec![Cell::Str("ok =".into()), Cell::Int(0)],
            ]
        };
        let render = |format, safe, par: bool| {
            let mut out = Vec::new();
            let mut w =
                RowWriter::new(&mut out, format, &["=h", "n"]).unwrap();
            w.csv_safe(safe);
            if par {
                w.rows_par(rows().into_iter(), |r| r.clone()).unwrap();
            } else {
                for r in rows() {
                    w.row(&r).unwrap();
                }
            }
            w.finish().unwrap();
            String::from_utf8(out).unwrap()
        };
        let tsv = "'=h\tn\n'=1+1\t-0.5\n'@x\t3\n'+6281\t\n'-\t-inf\n'\\tx\t\nok =\t0\n";
        assert_eq!(render(Format::Tsv, true, false), tsv);
        assert_eq!(render(Format::Tsv, true, true), tsv);
        assert_eq!(
            render(Format::Csv, true, false),
            "'=h,n\r\n'=1+1,-0.5\r\n'@x,3\r\n'+6281,\r\n'-,-inf\r\n'\tx,\r\nok =,0\r\n"
        );
        // Off (the default): the text as it is.
        assert!(
            render(Format::Csv, false, false).starts_with("=h,n\r\n=1+1,")
        );
        assert!(render(Format::Tsv, false, true).starts_with("=h\tn\n=1+1\t"));
        // Other formats are not touched.
        assert!(!render(Format::Jsonl, true, false).contains('\''));
    }

    #[test]
    fn rows_par_writes_what_row_writes() {
        // More rows than a block (65,536), in every format.
        let make = |&i: &u64| {
            vec![
                Cell::Int(i),
                Cell::Str(format!("w\t{i}")),
                Cell::Float(i as f64 / 7.0, 3),
                Cell::opt((i % 3 == 0).then_some(0.5), 2),
            ]
        };
        for format in [Format::Tsv, Format::Csv, Format::Jsonl] {
            let (mut a, mut b) = (Vec::new(), Vec::new());
            let cols = ["n", "s", "x", "y"];
            let mut w = RowWriter::new(&mut a, format, &cols).unwrap();
            w.rows_par(0..70_000u64, make).unwrap();
            w.finish().unwrap();
            let mut w = RowWriter::new(&mut b, format, &cols).unwrap();
            for i in 0..70_000u64 {
                w.row(&make(&i)).unwrap();
            }
            w.finish().unwrap();
            assert!(a == b, "{format:?}");
            let header = usize::from(format != Format::Jsonl);
            let lines = a.iter().filter(|&&c| c == b'\n').count();
            assert_eq!(lines, 70_000 + header, "{format:?}");
        }
    }
}
