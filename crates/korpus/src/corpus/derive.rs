//! Fields derived from a document's metadata: its `date` and its
//! `source` (the outlet), for every format, in the one place every
//! document passes through (the receiving end of a scan, before
//! `--where`, `--by` and the fields seen).
//!
//! - **`date`**, when the document has no field named `date` (a
//!   user's own field always wins, whatever it holds): the first of the
//!   [`DATE_FIELDS`] the document has whose value is a date (see
//!   [`crate::dates::parse_value`]; `a/b/YYYY` day first), else the
//!   date in its path ([`crate::dates::parse_path`]), written
//!   `YYYY-MM-DD` (`YYYY-MM` or `YYYY` if that is all it says). The
//!   field `date_from` names where it came from: the field's name, or
//!   `path`.
//! - **`source`**, when the document has no field named `source`: the
//!   host of the first of the [`URL_FIELDS`] that holds an `http` or
//!   `https` URL, in lower case, `www.` dropped (`www.warta.example` is `warta.example`); the
//!   field `source_from` names the field. A short link's host
//!   (`kmp.im`) names a shortener, not the outlet, so fields such as
//!   `short_url` are not read.
//!
//! Field names are compared in lower case without characters other
//! than letters and digits (`datePublished`, `date_published` and
//! `Date-Published` are one name). A value among the [`DATE_FIELDS`]
//! (or a user's own `date`) that is no date, when no other gives the
//! document a date, is a problem: a warning naming the document and
//! the value (the first [`SHOWN`] in a scan, then a count), the
//! document kept without a date and counted in
//! [`Derived::dates_not_understood`].

use std::sync::Arc;

use super::{Document, Warning};
use crate::dates::{self, Date, Order};

/// The fields a `date` is derived from, in order of preference, as
/// compared (lower case, letters and digits only).
pub const DATE_FIELDS: [&str; 13] = [
    "date",
    "datepublished",
    "published",
    "publisheddate",
    "publishdate",
    "publishedat",
    "publishedtime",
    "articlepublishedtime",
    "pubdate",
    "tanggal",
    "tanggalterbit",
    "waktuterbit",
    "datecreated",
];

/// The fields a `source` is derived from (their URL's host), in order
/// of preference, as compared.
pub const URL_FIELDS: [&str; 10] = [
    "url",
    "sourceurl",
    "canonical",
    "canonicalurl",
    "ogurl",
    "link",
    "permalink",
    "articleurl",
    "warctargeturi",
    "targeturi",
];

/// How many dates not understood a scan names in warnings; the rest
/// are counted in one warning at its end.
pub const SHOWN: u64 = 5;

/// What a scan derived, for the read report and the provenance record.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize,
)]
pub struct Derived {
    /// Documents given a `date` from another field.
    pub date_from_field: u64,
    /// Documents given a `date` from their path.
    pub date_from_path: u64,
    /// Documents given a `source` from a URL's host.
    pub source_from_url: u64,
    /// Documents whose date value was not understood (kept without a
    /// date).
    pub dates_not_understood: u64,
}

impl Derived {
    /// Adds `other`.
    pub fn add(&mut self, other: &Derived) {
        self.date_from_field += other.date_from_field;
        self.date_from_path += other.date_from_path;
        self.source_from_url += other.source_from_url;
        self.dates_not_understood += other.dates_not_understood;
    }
}

/// Derives the fields of the documents of one scan (see the module's
/// doc): holds the field names and the date of the last path seen.
pub(super) struct Deriver {
    date: Arc<str>,
    date_from: Arc<str>,
    source: Arc<str>,
    source_from: Arc<str>,
    path: Arc<str>,
    /// The last path read and its date.
    last_path: Option<(String, Option<Date>)>,
    /// What was derived.
    pub(super) counts: Derived,
}

impl Default for Deriver {
    fn default() -> Self {
        Deriver {
            date: Arc::from("date"),
            date_from: Arc::from("date_from"),
            source: Arc::from("source"),
            source_from: Arc::from("source_from"),
            path: Arc::from("path"),
            last_path: None,
            counts: Derived::default(),
        }
    }
}

impl Deriver {
    /// Adds the derived fields to `doc`; a warning if its date value is
    /// not understood (counted, whether shown or not).
    pub(super) fn derive(&mut self, doc: &mut Document) -> Option<Warning> {
        let problem = self.derive_date(doc);
        self.derive_source(doc);
        let (field, value) = problem?;
        self.counts.dates_not_understood += 1;
        (self.counts.dates_not_understood <= SHOWN).then(|| Warning {
            location: doc.id.clone(),
            message: format!(
                "the {field} '{}' is not a date korpus reads (see \"Dates \
                 and outlets\" in the README): the document has no date",
                crate::report::show_controls(&shorten(&value))
            ),
        })
    }

    /// The warning that counts the dates not understood past the first
    /// [`SHOWN`], if there were more.
    pub(super) fn finish(&self) -> Option<Warning> {
        let n = self.counts.dates_not_understood;
        (n > SHOWN).then(|| Warning {
            location: "(all inputs)".to_string(),
            message: format!(
                "{n} documents in all have a date that is not understood \
                 ({} not shown above); they have no date",
                n - SHOWN
            ),
        })
    }

    /// Adds `date` (and `date_from`) unless the document has a `date`;
    /// gives the field and value not understood, if the document ends
    /// without a date that one of them promised.
    fn derive_date(&mut self, doc: &mut Document) -> Option<(String, String)> {
        if let Some(v) = doc.get("date") {
            if dates::parse_value(v, Order::Dmy).is_some() {
                return None;
            }
            return Some(("date".to_string(), v.to_string()));
        }
        let mut bad = None;
        let mut best: Option<(usize, Date, usize)> = None;
        for (i, (k, v)) in doc.meta.iter().enumerate() {
            let Some(rank) = rank_of(k, &DATE_FIELDS) else { continue };
            if best.is_some_and(|(r, _, _)| r <= rank) {
                continue;
            }
            match dates::parse_value(v, Order::Dmy) {
                Some(d) => best = Some((rank, d, i)),
                None if bad.is_none() => bad = Some(i),
                None => {}
            }
        }
        let (date, from) = match best {
            Some((_, d, i)) => {
                self.counts.date_from_field += 1;
                (d, doc.meta[i].0.to_string())
            }
            None => match self.path_date(doc) {
                Some(d) => {
                    self.counts.date_from_path += 1;
                    (d, "path".to_string())
                }
                None => {
                    let (k, v) = &doc.meta[bad?];
                    return Some((k.to_string(), v.clone()));
                }
            },
        };
        doc.meta.push((self.date.clone(), date.to_string()));
        doc.meta.push((self.date_from.clone(), from));
        None
    }

    /// The date in the document's `path` (remembered for the next
    /// document of the same path).
    fn path_date(&mut self, doc: &Document) -> Option<Date> {
        let path = doc
            .meta
            .iter()
            .find(|(k, _)| Arc::ptr_eq(k, &self.path) || **k == *self.path)
            .map(|(_, v)| v.as_str())?;
        match &self.last_path {
            Some((p, d)) if p == path => *d,
            _ => {
                let d = dates::parse_path(path);
                self.last_path = Some((path.to_string(), d));
                d
            }
        }
    }

    /// Adds `source` (and `source_from`) unless the document has one.
    fn derive_source(&mut self, doc: &mut Document) {
        if doc.get("source").is_some() {
            return;
        }
        let mut best: Option<(usize, String, usize)> = None;
        for (i, (k, v)) in doc.meta.iter().enumerate() {
            let Some(rank) = rank_of(k, &URL_FIELDS) else { continue };
            if best.as_ref().is_some_and(|(r, _, _)| *r <= rank) {
                continue;
            }
            if let Some(host) = outlet_of(v) {
                best = Some((rank, host, i));
            }
        }
        if let Some((_, host, i)) = best {
            let from = doc.meta[i].0.to_string();
            self.counts.source_from_url += 1;
            doc.meta.push((self.source.clone(), host));
            doc.meta.push((self.source_from.clone(), from));
        }
    }
}

/// The place of field name `key` in `names` (compared in lower case,
/// letters and digits only), if it is there.
fn rank_of(key: &str, names: &[&str]) -> Option<usize> {
    let mut buf = [0u8; 24];
    let mut n = 0;
    for b in key.bytes() {
        if b.is_ascii_alphanumeric() {
            *buf.get_mut(n)? = b.to_ascii_lowercase();
            n += 1;
        } else if !b.is_ascii() {
            return None;
        }
    }
    let squashed = &buf[..n];
    names.iter().position(|name| name.as_bytes() == squashed)
}

/// The outlet a URL names: its host in lower case without `www.`, for
/// an `http` or `https` URL.
pub fn outlet_of(value: &str) -> Option<String> {
    let url = url::Url::parse(value.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let host = url.host_str()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    (!host.is_empty()).then(|| host.to_string())
}

/// `value`, cut to at most 80 characters (with `...`).
fn shorten(value: &str) -> String {
    match value.char_indices().nth(80) {
        Some((i, _)) => format!("{}...", &value[..i]),
        None => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Pair = (&'static str, &'static str);

    fn doc(fields: &[(&str, &str)]) -> Document {
        Document {
            id: "d.jsonl:3".into(),
            meta: fields
                .iter()
                .map(|(k, v)| (Arc::from(*k), v.to_string()))
                .collect(),
            text: String::new(),
        }
    }

    fn derived(fields: &[(&str, &str)]) -> (Vec<(String, String)>, bool) {
        let mut d = doc(fields);
        let n = d.meta.len();
        let w = Deriver::default().derive(&mut d);
        let added =
            d.meta[n..].iter().map(|(k, v)| (k.to_string(), v.clone()));
        (added.collect(), w.is_some())
    }

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn the_date_comes_from_the_first_field_that_holds_one_then_the_path() {
        // (fields, the fields added, whether a warning)
        let rows: [(&[Pair], &[Pair], bool); 8] = [
            // The user's own date wins, even when not ISO.
            (
                &[("date", "21 Okt 2025"), ("published", "2024-01-01")],
                &[],
                false,
            ),
            // A user's date that is none: a warning, nothing added.
            (&[("path", "a/2025-11-01.md"), ("date", "kemarin")], &[], true),
            // datePublished ranks before tanggal, whatever the order.
            (
                &[
                    ("tanggal", "1/2/2025"),
                    ("datePublished", "2025-10-21T20:43:00+07:00"),
                ],
                &[("date", "2025-10-21"), ("date_from", "datePublished")],
                false,
            ),
            // A bad published, a good tanggal: no warning.
            (
                &[
                    ("published", "31/02/2025"),
                    ("tanggal", "Selasa, 21 Oktober 2025 20:43 WIB"),
                ],
                &[("date", "2025-10-21"), ("date_from", "tanggal")],
                false,
            ),
            // A bad field, then the path.
            (
                &[("path", "k/01Nov2025/a.md"), ("published", "soon")],
                &[("date", "2025-11-01"), ("date_from", "path")],
                false,
            ),
            // Nothing: nothing added, no warning.
            (&[("path", "a/b.md"), ("title", "x")], &[], false),
            // A bad field and no path date: the warning.
            (&[("path", "a/b.md"), ("Published_At", "??")], &[], true),
            // A URL's host, www. dropped, gives the source.
            (
                &[
                    ("canonical", "https://WWW.Warta.Example/read/1"),
                    ("url", "ftp://x.org/"),
                ],
                &[("source", "warta.example"), ("source_from", "canonical")],
                false,
            ),
        ];
        for (fields, want, warned) in rows {
            let (got, w) = derived(fields);
            assert_eq!(got, pairs(want), "{fields:?}");
            assert_eq!(w, warned, "{fields:?}");
        }
        // A source of the user's own is kept.
        let (got, _) =
            derived(&[("source", "Warta"), ("url", "https://a.id/")]);
        assert!(got.is_empty());
        // url ranks before link.
        let (got, _) = derived(&[
            ("link", "http://b.id/x"),
            ("url", "http://a.id:8080/"),
        ]);
        assert_eq!(got, pairs(&[("source", "a.id"), ("source_from", "url")]));
    }

    #[test]
    fn the_dates_not_understood_past_the_first_few_are_counted() {
        let mut d = Deriver::default();
        let mut shown = 0;
        for _ in 0..8 {
            let mut doc = doc(&[("published", "31/02/2025")]);
            shown += d.derive(&mut doc).is_some() as u64;
        }
        assert_eq!(shown, SHOWN);
        assert_eq!(d.counts.dates_not_understood, 8);
        let last = d.finish().unwrap().message;
        assert!(last.starts_with("8 documents in all"), "{last}");
        assert!(last.contains("(3 not shown above)"), "{last}");
    }

    #[test]
    fn field_names_are_compared_without_case_or_punctuation() {
        assert_eq!(rank_of("datePublished", &DATE_FIELDS), Some(1));
        assert_eq!(rank_of("date_published", &DATE_FIELDS), Some(1));
        assert_eq!(rank_of("Date-Published", &DATE_FIELDS), Some(1));
        assert_eq!(rank_of("tanggál", &DATE_FIELDS), None);
        assert_eq!(rank_of("short_url", &URL_FIELDS), None);
    }
}
