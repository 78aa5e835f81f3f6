//! Messages on stderr: every `eprintln!` of the CLI comes here (the
//! macro in `cli/mod.rs` stands in for the standard one).
//!
//! - Control characters are shown as text (`\e`, `\u{9b}`, `\n`, ...;
//!   [`korpus::report::show_controls`]): a file name, a metadata value or
//!   corpus text inside a message cannot steer the terminal (ESC, CSI,
//!   OSC, also in their C1 form) or forge a line of the log. The one
//!   line break kept is one followed by two spaces: the indented
//!   continuation lines of korpus's own messages (the caret under an
//!   invalid query), which cannot pass for a `korpus:` line. Bidi
//!   overrides and isolates (U+202A-U+202E, U+2066-U+2069) are shown as
//!   text too (`\u{202e}`): they would reorder the rest of the line.
//! - A message that cannot be written (stderr closed or full, as with
//!   `2>/dev/full`) is dropped: printing never panics, and the exit code
//!   is the one the command would have had.

use std::borrow::Cow;
use std::fmt;
use std::io::Write;

use korpus::report::{is_shown_as_text, show_controls};

/// Prints one message and a line end on stderr, its control characters
/// shown as text; a write error is ignored.
pub fn print(args: fmt::Arguments<'_>) {
    let text = match args.as_str() {
        Some(s) => Cow::Borrowed(s),
        None => Cow::Owned(args.to_string()),
    };
    let mut line = message(&text).into_owned();
    line.push('\n');
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}

/// `text` as it is printed: every control character shown as text,
/// except a line break that starts an indented continuation line.
pub fn message(text: &str) -> Cow<'_, str> {
    let plain =
        |s: &str| s.split("\n  ").all(|p| !p.contains(is_shown_as_text));
    if plain(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for (i, part) in text.split("\n  ").enumerate() {
        if i > 0 {
            out.push_str("\n  ");
        }
        out.push_str(&show_controls(part));
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::message;

    /// (input, what is printed)
    const ROWS: &[(&str, &str)] = &[
        ("plain text", "plain text"),
        ("a\x1b[2Jb", "a\\e[2Jb"),
        ("osc \x1b]0;title\x07", "osc \\e]0;title\\u{7}"),
        ("c1 csi \u{9b}31m", "c1 csi \\u{9b}31m"),
        ("name\nkorpus: warning: forged", "name\\nkorpus: warning: forged"),
        ("cr\roverwrite", "cr\\roverwrite"),
        ("del \x7f nul \0", "del \\u{7f} nul \\u{0}"),
        ("tab\there", "tab\\there"),
        ("bad query\n  /x(/\n    ^", "bad query\n  /x(/\n    ^"),
        ("bad query\n  /\x1b(/", "bad query\n  /\\e(/"),
        ("back\\slash kept", "back\\slash kept"),
        ("Tiongkok ñ 中国", "Tiongkok ñ 中国"),
        ("file \u{202e}txt.exe", "file \\u{202e}txt.exe"),
        ("\u{2066}isolate\u{2069}", "\\u{2066}isolate\\u{2069}"),
    ];

    #[test]
    fn message_shows_control_characters() {
        for (i, (input, expected)) in ROWS.iter().enumerate() {
            assert_eq!(message(input), *expected, "row {i}: {input:?}");
        }
    }
}
