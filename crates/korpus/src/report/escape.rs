//! How text is escaped on its way out: TSV's escapes, CSV's formula
//! guard, and control characters shown as text for a terminal.

use std::borrow::Cow;

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

/// Appends `s` to `out`, TSV-escaped as [`tsv_escape`] does.
pub(crate) fn tsv_escape_into(out: &mut String, s: &str) {
    if !s.contains(['\t', '\n', '\r', '\\']) {
        out.push_str(s);
        return;
    }
    out.push_str(&tsv_escape(s));
}

/// `s` with a tab, newline, carriage return or backslash written `\t`,
/// `\n`, `\r`, `\\`.
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

/// Undoes [`tsv_escape`]: `\t`, `\n`, `\r`, `\\` become a tab, a
/// newline, a carriage return and a backslash; a backslash before any
/// other character (which korpus never writes) is kept.
pub(crate) fn tsv_unescape(s: &str) -> String {
    if !s.contains('\\') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.clone().next() {
            Some(e @ ('t' | 'n' | 'r' | '\\')) => {
                chars.next();
                out.push(match e {
                    't' => '\t',
                    'n' => '\n',
                    'r' => '\r',
                    _ => '\\',
                });
            }
            _ => out.push('\\'),
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
pub(crate) fn table_escape(s: &str) -> String {
    if !s.contains('\\') {
        return show_controls(s).into_owned();
    }
    show_controls(&s.replace('\\', "\\\\")).into_owned()
}

/// `svg` with every character XML 1.0 forbids (C0 controls but tab, line
/// feed and carriage return; U+FFFE, U+FFFF) and every C1 control and
/// DEL (discouraged) shown as text ([`push_control`]): the last guard,
/// for text that reached the SVG without `chart::label`.
pub fn xml_safe(svg: &str) -> Cow<'_, str> {
    let bad = |c: char| {
        (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
            || matches!(c, '\u{fffe}' | '\u{ffff}')
    };
    if !svg.contains(bad) {
        return Cow::Borrowed(svg);
    }
    let mut out = String::with_capacity(svg.len() + 16);
    for c in svg.chars() {
        if bad(c) {
            push_control(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsv_escapes_undone() {
        // (text, as TSV writes it)
        let rows = [
            ("plain", "plain"),
            ("a\tb", "a\\tb"),
            ("l1\nl2\r", "l1\\nl2\\r"),
            ("back\\slash", "back\\\\slash"),
            ("\\t", "\\\\t"),
            ("\\", "\\\\"),
        ];
        for (text, tsv) in rows {
            assert_eq!(tsv_escape(text), tsv, "{text:?}");
            assert_eq!(tsv_unescape(tsv), text, "{tsv:?}");
        }
        // Not written by korpus: kept.
        assert_eq!(tsv_unescape("a\\xb\\"), "a\\xb\\");
    }
}
