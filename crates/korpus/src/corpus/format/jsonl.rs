//! JSON Lines: one JSON object per line, its text field (`--text-field`)
//! the text and its other top-level fields the metadata.
//!
//! A record is read with a visitor of its own fields instead of as a
//! `serde_json::Value`: keys without escapes are borrowed from the line,
//! field names are shared (`Arc<str>`) between records, and no map is
//! built. The result is the `Value` reading's: fields in the order of
//! their names' bytes, the last of a repeated name kept (with a note),
//! `null` left out, other non-string values written as JSON.

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;
use std::sync::Arc;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde_json::Value;

use super::{Meta, Note, Reader, Spec};
use crate::corpus::ReadOptions;

/// The JSON Lines format.
pub(super) const SPEC: Spec = Spec {
    name: "jsonl",
    extensions: &["jsonl", "ndjson"],
    sniff: None,
    reader: Reader::Lines(parse),
};

/// Reads one line (see [`parse_line`]), a field name the object has
/// more than once given as the note.
fn parse(
    line: &str,
    opts: &ReadOptions,
    base: &Meta,
    note: &mut Option<Note>,
) -> Result<(Meta, String), String> {
    let mut repeated = None;
    let r = parse_line(line, &opts.text_field, base, &mut repeated);
    if let Some(name) = repeated {
        *note = Some(Note {
            what: format!("field '{name}' appears twice in an object"),
            then: "the last value is kept",
        });
    }
    r
}

/// Parses one line into metadata (after `base`) and text, or the
/// message of why the record is skipped.
#[cfg(test)]
fn parse_record(
    line: &str,
    text_field: &str,
    base: &[(Arc<str>, String)],
) -> Result<(Meta, String), String> {
    let mut repeated = None;
    parse_line(line, text_field, base, &mut repeated)
}

/// [`parse_record`], setting `repeated` to a field name the object has
/// more than once (the last value is kept).
fn parse_line(
    line: &str,
    text_field: &str,
    base: &[(Arc<str>, String)],
    repeated: &mut Option<String>,
) -> Result<(Meta, String), String> {
    let malformed = |e: serde_json::Error| {
        format!("malformed JSON at column {}: {e}: record skipped", e.column())
    };
    if !line.trim_start().starts_with('{') {
        // Not an object, or not JSON: the `Value` reading says which.
        return match serde_json::from_str::<Value>(line) {
            Ok(_) => Err("not a JSON object: record skipped".to_string()),
            Err(e) => Err(malformed(e)),
        };
    }
    let mut de = serde_json::Deserializer::from_str(line);
    let (mut fields, floats) =
        Fields.deserialize(&mut de).map_err(malformed)?;
    de.end().map_err(malformed)?;
    if floats {
        exact_integers(line, text_field, &mut fields);
    }
    // As a map would hold them: by name, the last of a name kept.
    fields.reverse();
    fields.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    if let Some(w) = fields.windows(2).find(|w| w[0].0 == w[1].0) {
        *repeated = Some(w[0].0.to_string());
    }
    fields.dedup_by(|later, first| later.0 == first.0);
    record_of(fields, text_field, base)
}

/// The metadata (after `base`) and text of a record's fields, each name
/// once and in order.
fn record_of<K: AsRef<str>>(
    fields: impl IntoIterator<Item = (K, Value)>,
    text_field: &str,
    base: &[(Arc<str>, String)],
) -> Result<(Meta, String), String> {
    let mut meta = base.to_vec();
    let mut text = None;
    for (k, v) in fields {
        let k = k.as_ref();
        if k == text_field {
            match v {
                Value::String(s) => text = Some(s),
                _ => {
                    return Err(format!(
                        "field '{text_field}' is not a string: record skipped"
                    ));
                }
            }
            continue;
        }
        let value = match v {
            Value::Null => continue,
            Value::String(s) => s,
            other => other.to_string(),
        };
        meta.push((name(k), value));
    }
    match text {
        Some(t) => Ok((meta, t)),
        None => Err(format!(
            "no text field '{text_field}' (use --text-field): record skipped"
        )),
    }
}

/// The shared `Arc<str>` of a field name: each thread keeps the names it
/// met (a few dozen at most; past that, new names are not kept).
fn name(k: &str) -> Arc<str> {
    thread_local! {
        static NAMES: RefCell<Vec<Arc<str>>> = const { RefCell::new(Vec::new()) };
    }
    NAMES.with_borrow_mut(|names| {
        if let Some(n) = names.iter().find(|n| ***n == *k) {
            return n.clone();
        }
        let n: Arc<str> = Arc::from(k);
        if names.len() < 64 {
            names.push(n.clone());
        }
        n
    })
}

/// Gives the integers too large for 64 bits, which serde_json reads as
/// floats (`12345678901234567890123` and `...124` as the same
/// `1.2345678901234568e22`), their digits as written, so that they stay
/// distinct; other fields are left alone. Only lines with a float (at
/// the top level) are read again, for the values' text.
fn exact_integers(
    line: &str,
    text_field: &str,
    fields: &mut [(Cow<'_, str>, Value)],
) {
    let Ok(raws) = serde_json::from_str::<RawFields>(line) else {
        return;
    };
    if raws.0.len() != fields.len() {
        return;
    }
    for ((k, v), raw) in fields.iter_mut().zip(raws.0) {
        let Value::Number(n) = v else { continue };
        let digits = raw.get();
        let body = digits.strip_prefix('-').unwrap_or(digits);
        if n.is_f64()
            && k != text_field
            && !body.is_empty()
            && body.bytes().all(|b| b.is_ascii_digit())
        {
            *v = Value::String(digits.to_string());
        }
    }
}

/// The values of an object's fields as written, in the line's order.
struct RawFields<'de>(Vec<&'de serde_json::value::RawValue>);

impl<'de> serde::Deserialize<'de> for RawFields<'de> {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        struct RawVisitor;
        impl<'de> Visitor<'de> for RawVisitor {
            type Value = RawFields<'de>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut raws = Vec::new();
                while let Some(Key(_)) = map.next_key()? {
                    raws.push(map.next_value()?);
                }
                Ok(RawFields(raws))
            }
        }
        de.deserialize_map(RawVisitor)
    }
}

/// The fields of an object, in the line's order, and whether a value
/// is a float.
struct Fields;

impl<'de> DeserializeSeed<'de> for Fields {
    type Value = (Vec<(Cow<'de, str>, Value)>, bool);

    fn deserialize<D: Deserializer<'de>>(
        self,
        de: D,
    ) -> Result<Self::Value, D::Error> {
        de.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Fields {
    type Value = (Vec<(Cow<'de, str>, Value)>, bool);

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(
        self,
        mut map: A,
    ) -> Result<Self::Value, A::Error> {
        let (mut fields, mut floats) = (Vec::new(), false);
        while let Some(Key(k)) = map.next_key()? {
            let v: Value = map.next_value()?;
            floats |= matches!(&v, Value::Number(n) if n.is_f64());
            fields.push((k, v));
        }
        Ok((fields, floats))
    }
}

/// A key, borrowed from the line when it has no escape.
struct Key<'de>(Cow<'de, str>);

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }

            fn visit_borrowed_str<E>(
                self,
                v: &'de str,
            ) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }

            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_string())))
            }

            fn visit_string<E>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        de.deserialize_str(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the reading with `serde_json::Value` gives (the reader before
    /// this module), for comparison: the fields as its map holds them.
    fn by_value(
        line: &str,
        text_field: &str,
    ) -> Result<(Meta, String), String> {
        let value: Value = serde_json::from_str(line).map_err(|e| {
            format!(
                "malformed JSON at column {}: {e}: record skipped",
                e.column()
            )
        })?;
        let Value::Object(map) = value else {
            return Err("not a JSON object: record skipped".to_string());
        };
        // A map holds each name once, in order.
        record_of(map, text_field, &[])
    }

    #[test]
    fn records_read_as_the_value_reading_reads_them() {
        let lines = [
            r#"{"id": 1, "text": "Tiongkok dan China", "source": "kompas"}"#,
            r#"  {"z": null, "a": [1, {"b": 2}], "text": "x", "m": 1.5e3, "t": true}"#,
            r#"{"text": "first", "text": "last"}"#,
            r#"{"text": 5, "text": "string last"}"#,
            r#"{"text": "string first", "text": 5}"#,
            r#"{"k\u00e9y": "escaped key", "te\u0078t": "escaped text field"}"#,
            r#"{"a": "\"quoted\" \\ \n", "text": "caf\u00e9 \ud83d\ude00"}"#,
            r#"{"src": "x", "src": "y", "text": ""}"#,
            r#"{"title": "no text"}"#,
            r#"{}"#,
            r#"{"text": "x"} trailing"#,
            r#"{"text": "unterminated}"#,
            r#"{"text": "x",}"#,
            r#"{"text" "x"}"#,
            r#"{"text": "bad escape \q"}"#,
            r#"["text", "an array"]"#,
            r#""a string""#,
            r#"42"#,
            r#"null"#,
            r#"not json"#,
            r#"{"deep": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]], "text": "x"}"#,
        ];
        for line in lines {
            for field in ["text", "src"] {
                assert_eq!(
                    parse_record(line, field, &[]),
                    by_value(line, field),
                    "{line} ({field})"
                );
            }
        }
    }

    /// Objects of repeated and escaped names, values of every type, cut
    /// short at any byte: read as the `Value` reading reads them.
    #[test]
    fn random_records_read_as_the_value_reading_reads_them() {
        use proptest::prelude::*;
        let key = prop::sample::select(vec![
            "text",
            "src",
            "id",
            r"t\u0065xt",
            r#"a\"b"#,
            "",
        ]);
        let value = prop::sample::select(vec![
            r#""kata""#,
            r#""é \n \u00e9""#,
            "12",
            "-0.5e3",
            "null",
            "true",
            r#"[1, "x", null]"#,
            r#"{"text": "inner"}"#,
            r#""""#,
        ]);
        let record = (prop::collection::vec((key, value), 0..6), any::<u16>());
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        runner
            .run(&record, |(fields, cut)| {
                let body: Vec<String> = fields
                    .iter()
                    .map(|(k, v)| format!("\"{k}\": {v}"))
                    .collect();
                let whole = format!("{{{}}}", body.join(", "));
                let mut cut = cut as usize % (whole.len() + 1);
                while !whole.is_char_boundary(cut) {
                    cut -= 1;
                }
                for line in [whole.as_str(), &whole[..cut]] {
                    for field in ["text", "src"] {
                        prop_assert_eq!(
                            parse_record(line, field, &[]),
                            by_value(line, field),
                            "{} ({})",
                            line,
                            field
                        );
                    }
                }
                Ok(())
            })
            .unwrap();
    }

    // Issue 22 item 6: integers past 64 bits keep their digits (serde_json
    // reads them as floats, which merges neighbours); floats and the
    // text field are as before.
    #[test]
    fn issue_22_integers_past_64_bits_stay_exact() {
        let rows = [
            (
                r#"{"id": 12345678901234567890123, "text": "x"}"#,
                "12345678901234567890123",
            ),
            (
                r#"{"id": 12345678901234567890124, "text": "x"}"#,
                "12345678901234567890124",
            ),
            (
                r#"{"id":-98765432109876543210,"text":"x"}"#,
                "-98765432109876543210",
            ),
            (
                r#"{"id": 18446744073709551615, "text": "x"}"#,
                "18446744073709551615",
            ),
            (
                r#"{"id": 18446744073709551616, "text": "x"}"#,
                "18446744073709551616",
            ),
            (r#"{"id": 1.5e3, "text": "x"}"#, "1500.0"),
            (r#"{"id": 2.0, "n": 123456789012345678901, "text": "x"}"#, "2.0"),
        ];
        for (line, want) in rows {
            let (meta, _) = parse_record(line, "text", &[]).unwrap();
            assert_eq!(meta[0].1, want, "{line}");
        }
        let (meta, _) = parse_record(
            r#"{"id": 2.0, "n": 123456789012345678901, "text": "x"}"#,
            "text",
            &[],
        )
        .unwrap();
        assert_eq!(meta[1].1, "123456789012345678901");
        // A number is still no text.
        assert!(
            parse_record(r#"{"text": 123456789012345678901}"#, "text", &[])
                .is_err()
        );
    }

    #[test]
    fn repeated_names_are_noted() {
        let mut rep = None;
        parse_line(r#"{"a": 1, "text": "x", "a": 2}"#, "text", &[], &mut rep)
            .unwrap();
        assert_eq!(rep.as_deref(), Some("a"));
        let mut rep = None;
        parse_line(r#"{"a": 1, "text": "x"}"#, "text", &[], &mut rep).unwrap();
        assert_eq!(rep, None);
    }

    #[test]
    fn field_names_are_shared() {
        let line = r#"{"source": "a", "text": "x"}"#;
        let (a, _) = parse_record(line, "text", &[]).unwrap();
        let (b, _) = parse_record(line, "text", &[]).unwrap();
        assert!(Arc::ptr_eq(&a[0].0, &b[0].0));
    }

    #[test]
    fn json_line_fields() {
        let base = vec![];
        let (meta, text) = parse_record(
            r#"{"id":7,"text":"halo","source":"x","n":null}"#,
            "text",
            &base,
        )
        .unwrap();
        assert_eq!(text, "halo");
        let meta: Vec<(String, String)> =
            meta.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        assert_eq!(
            meta,
            [("id".into(), "7".into()), ("source".into(), "x".into())]
        );
        assert!(parse_record("[1]", "text", &base).is_err());
        assert!(parse_record(r#"{"body":"x"}"#, "text", &base).is_err());
        assert!(parse_record("{oops", "text", &base).is_err());
    }
}
