//! Bars from the rows a command prints ([`Bars::from_rows`]), and the
//! axis label of a column ([`axis_label`]).

use std::fmt;

use super::{Bars, Panel};
use crate::report::Cell;

/// How [`Bars::from_rows`] reads a table.
#[derive(Debug, Clone)]
pub struct BarsFrom<'a> {
    /// The chart's default title.
    pub title: String,
    /// The label column(s), joined with a space.
    pub label: &'a [&'a str],
    /// The value column.
    pub value: &'a str,
    /// The panel column: a panel per run of equal values.
    pub group: Option<&'a str>,
    /// At most this many bars per panel: the first rows, in order.
    pub limit: usize,
    /// A `-` in this column makes a positive value negative (keywords of
    /// the reference, for unsigned measures).
    pub signed_by: Option<&'a str>,
}

/// Why bars cannot be made from a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BarsError {
    /// A column named is not in the table (its name, the columns).
    NoColumn(String, Vec<String>),
    /// The value column holds text (its name).
    NotNumeric(String),
}

/// The most panels a bar chart draws legibly: callers refuse more (a
/// panel per group).
pub const MAX_PANELS: usize = 12;

impl fmt::Display for BarsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BarsError::NoColumn(name, columns) => write!(
                f,
                "'{name}' is not a column of the table (columns: {})",
                columns.join(", ")
            ),
            BarsError::NotNumeric(name) => {
                write!(f, "'{name}' is not a numeric column")
            }
        }
    }
}

impl std::error::Error for BarsError {}

/// A bar's value: `Some(None)` for an undefined one (not drawn).
fn value_of(cell: &Cell, decimals: &mut usize) -> Option<Option<f64>> {
    match cell {
        Cell::Int(n) => Some(Some(*n as f64)),
        Cell::Float(v, d) if v.is_finite() => {
            *decimals = *d;
            Some(Some(*v))
        }
        Cell::Str(_) => None,
        _ => Some(None),
    }
}

/// A label's text: text and whole numbers as written, others empty.
fn label_text(c: &Cell) -> String {
    match c {
        Cell::Str(s) => s.clone(),
        Cell::Int(n) => n.to_string(),
        _ => String::new(),
    }
}

impl Bars {
    /// Bars from a table's rows, in their order: a panel per run of
    /// equal `group` values (as many as there are: see [`MAX_PANELS`]),
    /// at most `limit` bars each. Rows whose value
    /// is undefined (empty, not finite) are not drawn; their number is
    /// returned beside the bars. The decimals of the data table are
    /// those of the last float drawn (0 for whole numbers).
    pub fn from_rows(
        columns: &[&str],
        rows: &[Vec<Cell>],
        how: &BarsFrom<'_>,
    ) -> Result<(Bars, usize), BarsError> {
        let col = |name: &str| {
            columns.iter().position(|c| *c == name).ok_or_else(|| {
                let all = columns.iter().map(|c| c.to_string()).collect();
                BarsError::NoColumn(name.to_string(), all)
            })
        };
        let vi = col(how.value)?;
        let li: Vec<usize> =
            how.label.iter().map(|l| col(l)).collect::<Result<_, _>>()?;
        let gi = how.group.map(col).transpose()?;
        let si = how.signed_by.map(col).transpose()?;
        let mut panels: Vec<Panel> = Vec::new();
        let (mut undefined, mut decimals) = (0, 0);
        for row in rows {
            let v = value_of(&row[vi], &mut decimals)
                .ok_or_else(|| BarsError::NotNumeric(how.value.to_string()))?;
            let Some(v) = v else {
                undefined += 1;
                continue;
            };
            let negative = si
                .is_some_and(|i| matches!(&row[i], Cell::Str(s) if s == "-"));
            let v = if negative && v > 0.0 { -v } else { v };
            let name = gi.map(|i| label_text(&row[i])).unwrap_or_default();
            if panels.last().is_none_or(|p| p.name != name) {
                panels.push(Panel { name, bars: Vec::new() });
            }
            let p = panels.last_mut().expect("pushed");
            if p.bars.len() < how.limit {
                let item: Vec<String> =
                    li.iter().map(|&i| label_text(&row[i])).collect();
                p.bars.push((item.join(" "), v));
            }
        }
        if panels.is_empty() {
            panels.push(Panel { name: String::new(), bars: Vec::new() });
        }
        let bars = Bars {
            title: how.title.clone(),
            axis: axis_label(how.value),
            column: how.value.to_string(),
            decimals,
            panels,
            diverging: None,
        };
        Ok((bars, undefined))
    }
}

/// The axis label for a column: its meaning and unit (the column's name
/// for a column without one).
pub fn axis_label(column: &str) -> String {
    match column {
        "freq" => "frequency (occurrences)".to_string(),
        "per_million" => "frequency per million tokens".to_string(),
        "range" => "range (documents)".to_string(),
        "range_pct" => "range (% of documents)".to_string(),
        "ll" => "log-likelihood G² (signed)".to_string(),
        "log_ratio" => {
            "log ratio (binary log of the ratio of relative frequencies)"
                .to_string()
        }
        "mi" => "MI (log2 O/E)".to_string(),
        "t" => "t-score".to_string(),
        "logdice" => "logDice".to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> Cell {
        Cell::Str(x.to_string())
    }

    fn how<'a>(value: &'a str, group: Option<&'a str>) -> BarsFrom<'a> {
        BarsFrom {
            title: "t".to_string(),
            label: &["item"],
            value,
            group,
            limit: 2,
            signed_by: Some("dir"),
        }
    }

    #[test]
    fn panels_limits_signs_and_undefined_values() {
        let cols = ["group", "item", "dir", "ll"];
        let rows = vec![
            vec![s("a"), s("x"), s("+"), Cell::Float(3.25, 2)],
            vec![s("a"), s("y"), s("-"), Cell::Float(2.5, 1)],
            vec![s("a"), s("z"), s("+"), Cell::Float(1.0, 1)],
            vec![s("b"), s("w"), s("-"), Cell::Null],
            vec![s("b"), s("v"), s("-"), Cell::Float(f64::NAN, 1)],
            vec![s("b"), s("u"), s("+"), Cell::Int(7)],
        ];
        let (b, undefined) =
            Bars::from_rows(&cols, &rows, &how("ll", Some("group"))).unwrap();
        // Two undefined (null, NaN); z is the third of a: over the limit.
        assert_eq!(undefined, 2);
        assert_eq!(b.panels.len(), 2);
        assert_eq!(b.panels[0].name, "a");
        let a: Vec<_> = b.panels[0].bars.clone();
        assert_eq!(a, [("x".to_string(), 3.25), ("y".to_string(), -2.5)]);
        assert_eq!(b.panels[1].bars, [("u".to_string(), 7.0)]);
        // The last float drawn was z's (1 decimal).
        assert_eq!(b.decimals, 1);
        assert_eq!(b.axis, "log-likelihood G² (signed)");
        assert_eq!(b.column, "ll");
    }

    #[test]
    fn errors_name_the_column_and_groups_are_not_capped() {
        let cols = ["item", "dir", "ll"];
        let rows = vec![vec![s("x"), s("+"), s("3")]];
        assert_eq!(
            Bars::from_rows(&cols, &rows, &how("freq", None)).unwrap_err(),
            BarsError::NoColumn(
                "freq".into(),
                vec!["item".into(), "dir".into(), "ll".into()]
            )
        );
        assert_eq!(
            Bars::from_rows(&cols, &rows, &how("ll", None)).unwrap_err(),
            BarsError::NotNumeric("ll".into())
        );
        // A panel per run of groups, however many.
        let cols = ["group", "item", "dir", "ll"];
        let rows: Vec<Vec<Cell>> = (0..13)
            .map(|i| vec![s(&i.to_string()), s("x"), s("+"), Cell::Int(1)])
            .collect();
        let (b, _) =
            Bars::from_rows(&cols, &rows, &how("ll", Some("group"))).unwrap();
        assert_eq!(b.panels.len(), 13);
        // No row: one empty panel.
        let (b, _) =
            Bars::from_rows(&cols[1..], &[], &how("ll", None)).unwrap();
        assert_eq!(b.panels.len(), 1);
        assert!(b.panels[0].bars.is_empty());
    }
}
