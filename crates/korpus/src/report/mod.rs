//! Tables and their output formats: a [`Table`] of [`Cell`]s (what a
//! command computes, what a chart draws, what `korpus report` shows)
//! written as an aligned table, TSV, CSV, JSON, JSON Lines, HTML
//! ([`html`]) or Parquet ([`parquet`]) by a [`RowWriter`].
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
//!   window, hide lines or reorder what the terminal shows. TSV, CSV
//!   and JSON keep their own escaping only, so that the text survives
//!   as it is.

mod cell;
mod escape;
mod format;
pub mod html;
#[cfg(feature = "parquet")]
pub mod parquet;
mod writer;

pub use cell::Cell;
pub use escape::{
    FORMULA_GUARD, is_formula, is_shown_as_text, push_control, show_controls,
    xml_safe,
};
pub use format::{Format, UnknownFormat};
pub use html::escape as html_escape;
pub use writer::{RowWriter, write_rows, write_table};

/// A table: named columns and rows of cells, one per column. The one
/// table type of korpus: a command's result, the data a chart draws
/// (written beside it) and the tables of a report page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    /// Column names.
    pub columns: Vec<String>,
    /// Rows, one cell per column.
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// An empty table with these columns.
    pub fn new<S: Into<String>>(
        columns: impl IntoIterator<Item = S>,
    ) -> Table {
        let columns = columns.into_iter().map(Into::into).collect();
        Table { columns, rows: Vec::new() }
    }

    /// Adds a row (as many cells as columns).
    pub fn push(&mut self, row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.columns.len());
        self.rows.push(row);
    }

    /// The column names, as [`RowWriter::new`] takes them.
    pub fn column_names(&self) -> Vec<&str> {
        self.columns.iter().map(String::as_str).collect()
    }

    /// The index of the column `name`.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }

    /// Reads TSV as korpus writes it: a header line, then rows; no
    /// quoting, korpus's escapes (`\t`, `\n`, `\r`, `\\`) undone.
    /// Every cell is text (a number as its digits).
    pub fn from_tsv(tsv: &str) -> Table {
        let mut lines = tsv.lines();
        let columns = lines
            .next()
            .map(|h| h.split('\t').map(escape::tsv_unescape).collect())
            .unwrap_or_default();
        let rows = lines
            .map(|l| {
                l.split('\t')
                    .map(|c| Cell::Str(escape::tsv_unescape(c)))
                    .collect()
            })
            .collect();
        Table { columns, rows }
    }
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
    fn tables_read_from_tsv_undo_the_escapes() {
        let t = Table::from_tsv("it\\\\em\tfreq\na\\tb\t10\n\t\n");
        assert_eq!(t.columns, ["it\\em", "freq"]);
        assert_eq!(t.column("freq"), Some(1));
        assert_eq!(t.column("dp"), None);
        let s = |x: &str| Cell::Str(x.to_string());
        assert_eq!(t.rows, [vec![s("a\tb"), s("10")], vec![s(""), s("")]]);
        assert_eq!(Table::from_tsv(""), Table::default());
    }

    #[test]
    fn write_table_writes_what_the_row_writer_writes() {
        let mut t = Table::new(["w", "n"]);
        t.push(vec![Cell::Str("=x".into()), Cell::Int(3)]);
        t.push(vec![Cell::Str("y".into()), Cell::Null]);
        let mut out = Vec::new();
        write_table(&mut out, Format::Tsv, &t, true).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "w\tn\n'=x\t3\ny\t\n");
        let mut out = Vec::new();
        write_table(&mut out, Format::Csv, &t, false).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "w,n\r\n=x,3\r\ny,\r\n");
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
