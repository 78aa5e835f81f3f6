//! [`RowWriter`]: rows of cells written in one [`Format`], streaming
//! where the format allows.

use std::io::{self, Write};

use super::escape::{FORMULA_GUARD, is_formula, table_escape};
#[cfg(feature = "parquet")]
use super::parquet::ParquetRows;
use super::{Cell, Format, Table};

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

/// Writes rows in one format, streaming where the format allows
/// (`Table` and `Html` hold the rows to align them).
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
    #[cfg(feature = "parquet")]
    parquet: Option<ParquetRows>,
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
        #[cfg(feature = "parquet")]
        let parquet =
            (format == Format::Parquet).then(|| ParquetRows::new(&columns));
        #[cfg(not(feature = "parquet"))]
        if format == Format::Parquet {
            return Err(io::Error::new(
                io::ErrorKind::Unsupported,
                "Parquet output needs korpus's `parquet` feature",
            ));
        }
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
            #[cfg(feature = "parquet")]
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
            Format::Json | Format::Jsonl => self.json_row(cells)?,
            Format::Html => self.hold(cells, Cell::text),
            #[cfg(feature = "parquet")]
            Format::Parquet => {
                let p = self.parquet.as_mut().expect("made for Parquet");
                p.row(cells, self.wtr)?;
            }
            #[cfg(not(feature = "parquet"))]
            Format::Parquet => {
                return Err(io::Error::new(
                    io::ErrorKind::Unsupported,
                    "Parquet output needs korpus's `parquet` feature",
                ));
            }
            Format::Table => self.hold(cells, |c| table_escape(&c.text())),
        }
        self.rows += 1;
        Ok(())
    }

    /// Writes one JSON object (JSON: after a separator; JSON Lines: as a
    /// line).
    fn json_row(&mut self, cells: &[Cell]) -> io::Result<()> {
        let mut obj = String::from("{");
        for (i, (col, cell)) in self.columns.iter().zip(cells).enumerate() {
            if i > 0 {
                obj.push(',');
            }
            obj.push_str(
                &serde_json::to_string(col).expect("strings serialize"),
            );
            obj.push(':');
            obj.push_str(&cell.json());
        }
        obj.push('}');
        if self.format == Format::Json {
            let sep = if self.rows == 0 { "\n" } else { ",\n" };
            write!(self.wtr, "{sep}{obj}")
        } else {
            writeln!(self.wtr, "{obj}")
        }
    }

    /// Keeps a row's texts for the end (the aligned table, HTML), noting
    /// which columns hold numbers.
    fn hold(&mut self, cells: &[Cell], text: impl Fn(&Cell) -> String) {
        for (i, c) in cells.iter().enumerate() {
            self.numeric[i] |= c.is_numeric();
        }
        self.held.push(cells.iter().map(text).collect());
    }

    /// Ends the output (closing brackets, the aligned table) and flushes.
    pub fn finish(mut self) -> io::Result<()> {
        self.start()?;
        #[cfg(feature = "parquet")]
        if let Some(p) = self.parquet.take() {
            p.finish(self.wtr)?;
        }
        match self.format {
            Format::Json => {
                let end = if self.rows == 0 { "]\n" } else { "\n]\n" };
                write!(self.wtr, "{end}")?;
            }
            Format::Table => self.write_aligned()?,
            Format::Html => super::html::write_rows_page(
                self.wtr,
                &super::html::RowsPage {
                    title: &self.title,
                    columns: &self.columns,
                    rows: &self.held,
                    numeric: &self.numeric,
                    right: &self.right,
                    highlight: self.highlight,
                },
            )?,
            _ => {}
        }
        self.wtr.flush()
    }

    /// Writes the held rows as columns aligned with spaces: numbers and
    /// right-aligned columns padded on the left, others on the right
    /// (but the last), the highlighted column in bold red.
    fn write_aligned(&mut self) -> io::Result<()> {
        let width = |s: &str| s.chars().count();
        let mut widths: Vec<usize> =
            self.columns.iter().map(|c| width(&table_escape(c))).collect();
        for row in &self.held {
            for (i, cell) in row.iter().enumerate() {
                widths[i] = widths[i].max(width(cell));
            }
        }
        let line = |cells: &[String], hl: Option<usize>| -> String {
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
            out
        };
        let columns: Vec<String> =
            self.columns.iter().map(|c| table_escape(c)).collect();
        writeln!(self.wtr, "{}", line(&columns, None).trim_end())?;
        for row in &self.held {
            writeln!(self.wtr, "{}", line(row, self.highlight).trim_end())?;
        }
        Ok(())
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

/// Writes `table` in `format` (`csv_safe` as [`RowWriter::csv_safe`]).
pub fn write_table(
    wtr: &mut dyn Write,
    format: Format,
    table: &Table,
    csv_safe: bool,
) -> io::Result<()> {
    let columns = table.column_names();
    let mut rw = RowWriter::new(wtr, format, &columns)?;
    rw.csv_safe(csv_safe);
    for row in &table.rows {
        rw.row(row)?;
    }
    rw.finish()
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

/// Writes one CSV line (RFC 4180: a cell with a comma, quote or line
/// break, or with a space at either end, quoted; CRLF at the end).
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
