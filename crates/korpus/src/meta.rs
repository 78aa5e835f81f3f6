//! Subcorpora from metadata: `--where` filters and `--by` groups.
//!
//! A condition is `field=value`, `field!=value`, `field~regex`, or a
//! comparison `field>=v`, `field<=v`, `field>v`, `field<v`. Comparisons
//! are numeric when both sides are numbers, and otherwise compare the
//! strings byte by byte, which orders ISO dates (`2020-01-01`)
//! correctly. A document without the field matches no condition.
//! Repeated conditions are combined with AND.
//!
//! A group key is `FIELD`, `FIELD:year` or `FIELD:month` (for dates such
//! as `2025-09-06`, `2025-09-06T10:00`, `06/09/2025` or `21 Okt 2025`,
//! see [`crate::dates`];
//! `FIELD:month:mdy` for US-style `10/21/2025`), `doc` (each
//! document its own group), `file` (each input file), or
//! `path~REGEX` (the first capture group of REGEX in the path, e.g.
//! `path~_(\d{4})_` for the year in `ind_news_2008_300K...`). A document
//! without the field falls in the group `(none)`.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::BTreeSet;

use regex::Regex;

use crate::corpus::Document;

/// The group of documents that lack the grouping field.
pub const NO_GROUP: &str = "(none)";

#[derive(Debug, Clone)]
enum Op {
    Eq,
    Ne,
    Match(Regex),
    Cmp(Ordering, bool),
}

/// One `--where` condition.
#[derive(Debug, Clone)]
pub struct Condition {
    field: String,
    op: Op,
    value: String,
}

impl Condition {
    /// Parses `field=value`, `field!=value`, `field~regex`, `field>=v`,
    /// `field<=v`, `field>v` or `field<v`.
    pub fn parse(spec: &str) -> Result<Condition, String> {
        let pos = spec
            .find(['=', '!', '~', '<', '>'])
            .ok_or_else(|| format!("--where '{spec}': expected field=value, field!=value, field~regex, or a comparison (field>=value)"))?;
        let field = spec[..pos].trim().to_string();
        if field.is_empty() {
            return Err(format!(
                "--where '{spec}': the field name is missing"
            ));
        }
        let rest = &spec[pos..];
        let (op, value) = if let Some(v) = rest.strip_prefix("!=") {
            (Op::Ne, v)
        } else if let Some(v) = rest.strip_prefix(">=") {
            (Op::Cmp(Ordering::Greater, true), v)
        } else if let Some(v) = rest.strip_prefix("<=") {
            (Op::Cmp(Ordering::Less, true), v)
        } else if let Some(v) = rest.strip_prefix('>') {
            (Op::Cmp(Ordering::Greater, false), v)
        } else if let Some(v) = rest.strip_prefix('<') {
            (Op::Cmp(Ordering::Less, false), v)
        } else if let Some(v) = rest.strip_prefix('~') {
            let re = crate::query::bounded_regex(v).map_err(|e| {
                format!("--where '{spec}': bad regular expression: {e}")
            })?;
            (Op::Match(re), v)
        } else if let Some(v) = rest.strip_prefix('=') {
            (Op::Eq, v)
        } else {
            return Err(format!(
                "--where '{spec}': unknown operator at '{rest}'"
            ));
        };
        Ok(Condition { field, op, value: value.to_string() })
    }

    /// The field the condition reads.
    pub fn field(&self) -> &str {
        &self.field
    }

    /// Whether `doc` satisfies the condition.
    pub fn matches(&self, doc: &Document) -> bool {
        let Some(v) = doc.get(&self.field) else { return false };
        match &self.op {
            Op::Eq => v == self.value,
            Op::Ne => v != self.value,
            Op::Match(re) => re.is_match(v),
            Op::Cmp(want, or_equal) => {
                let ord = compare(v, &self.value);
                ord == *want || (*or_equal && ord == Ordering::Equal)
            }
        }
    }
}

/// Numeric comparison when both parse as numbers, else byte order.
fn compare(a: &str, b: &str) -> Ordering {
    match (a.trim().parse::<f64>(), b.trim().parse::<f64>()) {
        (Ok(x), Ok(y)) => x.total_cmp(&y),
        _ => a.as_bytes().cmp(b.as_bytes()),
    }
}

/// All `--where` conditions (AND).
#[derive(Debug, Clone, Default)]
pub struct DocFilter {
    /// The conditions.
    pub conditions: Vec<Condition>,
    /// Documents matching any of these filters are left out (for "the
    /// rest of the corpus").
    pub exclude: Vec<DocFilter>,
}

impl DocFilter {
    /// Parses each spec.
    pub fn parse(specs: &[String]) -> Result<DocFilter, String> {
        let conditions = specs
            .iter()
            .map(|s| Condition::parse(s))
            .collect::<Result<_, _>>()?;
        Ok(DocFilter { conditions, exclude: Vec::new() })
    }

    /// Whether `doc` satisfies every condition and no exclusion.
    pub fn matches(&self, doc: &Document) -> bool {
        self.conditions.iter().all(|c| c.matches(doc))
            && !self.exclude.iter().any(|f| f.matches(doc))
    }

    /// Whether there is no condition.
    pub fn is_empty(&self) -> bool {
        self.conditions.is_empty() && self.exclude.is_empty()
    }

    /// This filter and `other` together (AND).
    pub fn and(&self, other: &DocFilter) -> DocFilter {
        let mut f = self.clone();
        f.conditions.extend(other.conditions.iter().cloned());
        f.exclude.extend(other.exclude.iter().cloned());
        f
    }

    /// The documents of this filter that `other` does not match.
    pub fn except(&self, other: &DocFilter) -> DocFilter {
        let mut f = self.clone();
        f.exclude.push(other.clone());
        f
    }

    /// Every field the filter reads.
    pub fn fields(&self) -> Vec<&str> {
        let mut out: Vec<&str> =
            self.conditions.iter().map(|c| c.field()).collect();
        for e in &self.exclude {
            out.extend(e.fields());
        }
        out
    }
}

/// How documents are grouped (`--by`).
#[derive(Debug, Clone)]
pub enum GroupBy {
    /// One group: the whole corpus.
    All,
    /// By a metadata field's value.
    Field(String),
    /// By the year of a date field.
    Year(String),
    /// By the year and month of a date field; `true` reads an ambiguous
    /// `a/b/yyyy` as month/day (US) instead of day/month.
    Month(String, bool),
    /// Each document its own group.
    Doc,
    /// Each input file its own group.
    File,
    /// The first capture group of a regex applied to the path.
    PathRegex(Regex),
}

impl GroupBy {
    /// Parses a `--by` spec; `None` means the whole corpus.
    pub fn parse(spec: Option<&str>) -> Result<GroupBy, String> {
        let Some(spec) = spec else { return Ok(GroupBy::All) };
        Ok(if spec == "doc" {
            GroupBy::Doc
        } else if spec == "file" {
            GroupBy::File
        } else if let Some(re) = spec.strip_prefix("path~") {
            let re = crate::query::bounded_regex(re).map_err(|e| {
                format!("--by '{spec}': bad regular expression: {e}")
            })?;
            if re.captures_len() < 2 {
                return Err(format!(
                    "--by '{spec}': the regular expression needs a capture group, e.g. path~_(\\d{{4}})_"
                ));
            }
            GroupBy::PathRegex(re)
        } else if let Some(f) = spec.strip_suffix(":year") {
            GroupBy::Year(f.to_string())
        } else if let Some(f) = spec.strip_suffix(":month") {
            GroupBy::Month(f.to_string(), false)
        } else if let Some(f) = spec.strip_suffix(":month:mdy") {
            GroupBy::Month(f.to_string(), true)
        } else if let Some(f) = spec.strip_suffix(":month:dmy") {
            GroupBy::Month(f.to_string(), false)
        } else if spec.is_empty() {
            return Err("--by needs a field name".to_string());
        } else {
            GroupBy::Field(spec.to_string())
        })
    }

    /// Whether there is more than one group.
    pub fn is_grouped(&self) -> bool {
        !matches!(self, GroupBy::All)
    }

    /// The metadata field this grouping reads, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            GroupBy::Field(f) | GroupBy::Year(f) | GroupBy::Month(f, _) => {
                Some(f)
            }
            _ => None,
        }
    }

    /// The group of `doc`.
    pub fn group_of<'a>(&self, doc: &'a Document) -> Cow<'a, str> {
        let get = |f: &str| doc.get(f);
        match self {
            GroupBy::All => Cow::Borrowed(""),
            GroupBy::Doc => Cow::Borrowed(&doc.id),
            GroupBy::File => Cow::Borrowed(get("path").unwrap_or(NO_GROUP)),
            GroupBy::Field(f) => Cow::Borrowed(get(f).unwrap_or(NO_GROUP)),
            GroupBy::Year(f) => date_part(get(f), false, false),
            GroupBy::Month(f, mdy) => date_part(get(f), true, *mdy),
            GroupBy::PathRegex(re) => {
                match get("path").and_then(|p| re.captures(p)) {
                    Some(c) => Cow::Owned(
                        c.get(1).map_or("", |m| m.as_str()).to_string(),
                    ),
                    None => Cow::Borrowed(NO_GROUP),
                }
            }
        }
    }
}

/// The year (`2025`) or month (`2025-09`) of a date in any form
/// [`crate::dates::parse_value`] reads (`2025-09-06T10:00`,
/// `06/09/2025`, `21 Okt 2025`, ...), or for the year, a value that
/// starts with four digits and no fifth. In `a/b/YYYY`, a number above
/// 12 is the day, whichever side it is on; when both are 12 or less,
/// `a` is the day (Indonesian and European order) unless `mdy` (US
/// order, `--by date:month:mdy`).
fn date_part(
    value: Option<&str>,
    month: bool,
    mdy: bool,
) -> Cow<'static, str> {
    use crate::dates::{Order, parse_value};
    let Some(v) = value.map(str::trim) else { return Cow::Borrowed(NO_GROUP) };
    let order = if mdy { Order::Mdy } else { Order::Dmy };
    let date = parse_value(v, order);
    if month {
        return match date.and_then(|d| d.month.map(|m| (d.year, m))) {
            Some((y, m)) => Cow::Owned(format!("{y:04}-{m:02}")),
            None => Cow::Borrowed(NO_GROUP),
        };
    }
    if let Some(d) = date {
        return Cow::Owned(format!("{:04}", d.year));
    }
    let b = v.as_bytes();
    if b.len() >= 4
        && b[..4].iter().all(u8::is_ascii_digit)
        && !b.get(4).is_some_and(u8::is_ascii_digit)
    {
        return Cow::Owned(v[..4].to_string());
    }
    Cow::Borrowed(NO_GROUP)
}

/// An error naming fields that no document has, listing those that exist.
pub fn check_fields<'a>(
    wanted: impl IntoIterator<Item = &'a str>,
    seen: &BTreeSet<String>,
) -> Result<(), String> {
    for field in wanted {
        if !seen.contains(field) {
            let known: Vec<&str> = seen.iter().map(String::as_str).collect();
            return Err(format!(
                "no document has the field '{field}'; fields present: {}",
                known.join(", ")
            ));
        }
    }
    Ok(())
}

/// Checks a finished read: some document was read, the fields `wanted`
/// exist in some document (a usage error listing the fields present),
/// and some document (`kept_docs`) was kept by the conditions.
pub fn check_read<'a>(
    report: &crate::corpus::ReadReport,
    wanted: impl IntoIterator<Item = &'a str>,
    kept_docs: u64,
) -> crate::error::Result<()> {
    use crate::error::Error;
    if report.documents == 0 {
        return Err(Error::Empty(
            "the corpus is empty: no document was read".into(),
        ));
    }
    check_fields(wanted, &report.fields).map_err(Error::Usage)?;
    if kept_docs == 0 {
        return Err(Error::Empty(format!(
            "no document matches the --where conditions ({} documents read)",
            report.documents
        )));
    }
    Ok(())
}

/// A comma-separated list of field names, each trimmed, empty ones
/// left out (`--fields date, source,` is date and source).
pub fn field_list(list: &str) -> Vec<String> {
    list.split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Checks a finished scan: the fields that `filter` and `by` name exist,
/// and some document and some token were kept.
pub fn check_scan(
    report: &crate::corpus::ReadReport,
    filter: &DocFilter,
    by: &GroupBy,
    kept_docs: u64,
    tokens: u64,
) -> crate::error::Result<()> {
    use crate::error::Error;
    let fields = filter.fields();
    check_read(report, fields.iter().copied().chain(by.field()), kept_docs)?;
    if tokens == 0 {
        return Err(Error::Empty(
            "the corpus has no token of the selected classes (see --classes)"
                .into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    fn doc(fields: &[(&str, &str)]) -> Document {
        Document {
            id: "d:1".into(),
            meta: fields
                .iter()
                .map(|(k, v)| (Arc::from(*k), v.to_string()))
                .collect(),
            text: String::new(),
        }
    }

    #[test]
    fn conditions_table() {
        let d = doc(&[
            ("year", "2016"),
            ("source", "kompas"),
            ("date", "2016-05-01"),
        ]);
        let rows = [
            ("year=2016", true),
            ("year!=2016", false),
            ("year>=2016", true),
            ("year>2016", false),
            ("year<2020", true),
            ("year<=2008", false),
            ("source~^kom", true),
            ("source~detik", false),
            ("date<2020-01-01", true),
            ("date>=2016-05-02", false),
            ("missing=x", false),
            ("missing!=x", false),
        ];
        for (spec, want) in rows {
            assert_eq!(
                Condition::parse(spec).unwrap().matches(&d),
                want,
                "{spec}"
            );
        }
        assert!(Condition::parse("nooperator").is_err());
        assert!(Condition::parse("=x").is_err());
        assert!(Condition::parse("a~(").is_err());
    }

    #[test]
    fn groups_table() {
        let d = doc(&[
            ("date", "2025-09-06T09:05"),
            ("path", "x/ind_news_2008_300K.txt"),
            ("s", "a"),
        ]);
        let rows = [
            ("date:year", "2025"),
            ("date:month", "2025-09"),
            ("s", "a"),
            ("nope", NO_GROUP),
            ("file", "x/ind_news_2008_300K.txt"),
            ("doc", "d:1"),
        ];
        for (spec, want) in rows {
            assert_eq!(
                GroupBy::parse(Some(spec)).unwrap().group_of(&d),
                want,
                "{spec}"
            );
        }
        let by = GroupBy::parse(Some(r"path~_(\d{4})_")).unwrap();
        assert_eq!(by.group_of(&d), "2008");
        assert!(GroupBy::parse(Some("path~abc")).is_err());
        assert_eq!(date_part(Some("06/09/2025"), true, false), "2025-09");
        assert_eq!(date_part(Some("06/09/2025"), true, true), "2025-06");
        // A number above 12 decides, whatever the order asked for.
        assert_eq!(
            date_part(Some("10/21/2025 20:43"), true, false),
            "2025-10"
        );
        assert_eq!(date_part(Some("21/10/2025"), true, true), "2025-10");
        assert_eq!(date_part(Some("2016"), false, false), "2016");
        // The forms of crate::dates: month names, ISO with a zone.
        assert_eq!(
            date_part(Some("Selasa, 21 Okt 2025"), true, false),
            "2025-10"
        );
        assert_eq!(date_part(Some("Oct 21, 2025"), false, false), "2025");
        assert_eq!(
            date_part(Some("2025-10-21T23:30Z"), true, false),
            "2025-10"
        );
        // A year alone has no month; a bad day is no date.
        assert_eq!(date_part(Some("2016"), true, false), NO_GROUP);
        assert_eq!(date_part(Some("31/02/2025"), true, false), NO_GROUP);
        assert_eq!(date_part(Some("2016 (kira-kira)"), false, false), "2016");
        assert_eq!(date_part(Some("13/13/2025"), true, false), NO_GROUP);
        assert_eq!(date_part(Some("2025-00-01"), true, false), NO_GROUP);
    }

    #[test]
    fn field_lists() {
        assert_eq!(field_list("date, source,"), ["date", "source"]);
        assert_eq!(field_list(" , "), Vec::<String>::new());
        assert_eq!(field_list("a"), ["a"]);
    }

    #[test]
    fn check_read_in_order() {
        use crate::corpus::ReadReport;
        use crate::error::Error;
        let mut report = ReadReport::default();
        // Nothing read: empty, whatever else is wrong.
        let e = check_read(&report, ["date"], 0).unwrap_err();
        assert!(matches!(e, Error::Empty(m) if m.contains("corpus is empty")));
        report.documents = 3;
        report.fields.insert("source".to_string());
        let e = check_read(&report, ["source", "date"], 0).unwrap_err();
        assert!(
            matches!(&e, Error::Usage(m) if m == "no document has the field 'date'; fields present: source"),
            "{e}"
        );
        let e = check_read(&report, ["source"], 0).unwrap_err();
        assert!(
            matches!(&e, Error::Empty(m) if m.contains("(3 documents read)")),
            "{e}"
        );
        assert!(check_read(&report, ["source"], 1).is_ok());
    }
}
