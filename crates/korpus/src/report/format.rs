//! The output formats and their names (`--format`, the `-o` file's
//! extension).

use std::fmt;
use std::str::FromStr;

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
    /// Every format, in the order `--help` and errors list them.
    pub const ALL: [Format; 7] = [
        Format::Table,
        Format::Tsv,
        Format::Csv,
        Format::Json,
        Format::Jsonl,
        Format::Html,
        Format::Parquet,
    ];

    /// The format's name (also the file extension that selects it).
    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Tsv => "tsv",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Html => "html",
            Format::Parquet => "parquet",
        }
    }

    /// The names of every format, comma-separated (`table, tsv, ...`).
    pub fn known() -> String {
        let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
        names.join(", ")
    }

    /// The format named `name` (exactly, lower case).
    pub fn from_name(name: &str) -> Option<Format> {
        name.parse().ok()
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A format name that is not one of [`Format::ALL`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownFormat {
    /// The name given.
    pub name: String,
}

impl fmt::Display for UnknownFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown format '{}' (known: {})",
            self.name,
            Format::known()
        )
    }
}

impl std::error::Error for UnknownFormat {}

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(name: &str) -> Result<Format, UnknownFormat> {
        Format::ALL
            .into_iter()
            .find(|f| f.name() == name)
            .ok_or_else(|| UnknownFormat { name: name.to_string() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_and_unknown_ones_list_the_known() {
        let rows = [
            ("table", Format::Table),
            ("tsv", Format::Tsv),
            ("csv", Format::Csv),
            ("json", Format::Json),
            ("jsonl", Format::Jsonl),
            ("html", Format::Html),
            ("parquet", Format::Parquet),
        ];
        for (name, format) in rows {
            assert_eq!(name.parse::<Format>(), Ok(format));
            assert_eq!(format.to_string(), name);
        }
        let err = "TSV".parse::<Format>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown format 'TSV' (known: table, tsv, csv, json, jsonl, html, parquet)"
        );
        assert_eq!(Format::from_name("xlsx"), None);
    }
}
