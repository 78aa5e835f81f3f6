//! One cell of a table: text, a whole number, a float with its number
//! of decimals, or an undefined value; and the text each format writes
//! for it.

use super::escape::tsv_escape_into;

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
    pub(crate) fn write_to(&self, out: &mut String, tsv: bool) {
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

    /// The cell as text formats write it, unescaped: a float with its
    /// decimals (`nan`, `inf`, `-inf` when not finite), an undefined
    /// value as the empty string.
    pub fn text(&self) -> String {
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

    /// Whether the cell is a number (right-aligned in the table format).
    pub fn is_numeric(&self) -> bool {
        matches!(self, Cell::Int(_) | Cell::Float(..))
    }

    /// The cell as a JSON value: text as a string, numbers as numbers
    /// (a float that is not finite as the string `"nan"`, `"inf"` or
    /// `"-inf"`), an undefined value as `null`.
    pub(crate) fn json(&self) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_json_of_each_kind() {
        // (cell, text, JSON)
        let rows = [
            (Cell::Str("a\"b".into()), "a\"b", "\"a\\\"b\""),
            (Cell::Int(42), "42", "42"),
            (Cell::Float(2.0 / 3.0, 2), "0.67", "0.67"),
            (Cell::Float(-1.6, 0), "-2", "-2"),
            (Cell::Float(f64::NAN, 3), "nan", "\"nan\""),
            (Cell::Float(f64::INFINITY, 3), "inf", "\"inf\""),
            (Cell::Float(f64::NEG_INFINITY, 3), "-inf", "\"-inf\""),
            (Cell::Null, "", "null"),
            (Cell::opt(None, 2), "", "null"),
            (Cell::opt(Some(0.126), 2), "0.13", "0.13"),
        ];
        for (cell, text, json) in rows {
            assert_eq!(cell.text(), text, "{cell:?}");
            assert_eq!(cell.json(), json, "{cell:?}");
            let mut out = String::new();
            cell.write_to(&mut out, false);
            assert_eq!(out, text, "{cell:?}");
        }
        let mut out = String::new();
        Cell::Str("a\tb\\".into()).write_to(&mut out, true);
        assert_eq!(out, "a\\tb\\\\");
    }
}
