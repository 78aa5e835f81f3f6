//! HTML pages: a file is one page, and a page is one document, its
//! article text (or all its visible text) with the page's `title`,
//! `date`, `author`, `url` and `source` as fields.
//!
//! The reader thread only reads a page's bytes ([`read_page`]) and hands
//! them on as a [`Page`]; the receiving side decodes and extracts the
//! pages of a batch in parallel ([`extract_page`]), as it parses the
//! lines of a JSONL batch. WARC responses (`warc.rs`) are pages too.
//!
//! The extraction is the `trafilatura` crate's (a port of go-trafilatura,
//! itself of Barbaresi's trafilatura): chosen on the article-extraction
//! benchmark by F1 and speed (BENCHMARKS.md, "HTML extraction").

use std::io::BufRead;
use std::sync::Arc;

use trafilatura::dom::{Document as Dom, NodeId};

use super::{Reader, Spec};
use crate::corpus::decode::{CharsetFrom, web_page};
use crate::corpus::input::{
    Extracted, Input, Meta, Page, binary_warning, human_bytes,
};
use crate::corpus::{Document, HtmlMode, Warning};
use crate::error::Result;

/// The HTML format.
pub(super) const SPEC: Spec = Spec {
    name: "html",
    extensions: &["html", "htm", "xhtml"],
    sniff: Some(looks_like_html),
    reader: Reader::Stream(read_page),
};

/// Whether `head` starts like an HTML page: `<!doctype html` or `<html`
/// (any case), after white space and comments at most.
pub(crate) fn looks_like_html(head: &[u8]) -> bool {
    let mut rest = head.trim_ascii_start();
    while let Some(after) = rest.strip_prefix(b"<!--") {
        match memchr::memmem::find(after, b"-->") {
            Some(p) => rest = after[p + 3..].trim_ascii_start(),
            None => return false,
        }
    }
    let starts = |prefix: &[u8]| {
        rest.len() >= prefix.len()
            && rest[..prefix.len()].eq_ignore_ascii_case(prefix)
    };
    starts(b"<!doctype html") || starts(b"<html")
}

/// Reads a file that is one page, and hands it on to be extracted. A
/// page larger than the document limit is skipped (read past), as is a
/// file with a NUL byte (binary).
fn read_page(input: &mut Input<'_>, rdr: &mut dyn BufRead) -> Result<bool> {
    let limit = input.limit() as u64;
    let mut bytes = Vec::new();
    let n = std::io::Read::read_to_end(
        &mut std::io::Read::take(&mut *rdr, limit + 1),
        &mut bytes,
    )
    .map_err(|e| input.io_error(e))?;
    if n as u64 > limit {
        let w = Warning {
            location: input.source.display.clone(),
            message: format!(
                "page larger than the document limit of {} (--max-doc-size \
                 raises it): skipped",
                human_bytes(limit as usize)
            ),
        };
        return Ok(input.skip(w));
    }
    if let Some(p) = memchr::memchr(0, &bytes) {
        return Ok(input.skip(binary_warning(input.source, p as u64)));
    }
    let id = input.source.display.clone();
    let meta = input.base_meta();
    let location = id.clone();
    Ok(input.page(Page { id, meta, bytes, http_charset: None, location }))
}

/// Decodes a page (see [`web_page`]) and extracts its text as `mode`
/// says, with its fields after the page's own (`title`, `date` as
/// `YYYY-MM-DD`, `author`, `url` (canonical or `og:url`), `source`
/// (`og:site_name` or the like), each only when the page gives it and
/// the page's own fields do not already hold it, as a WARC record's
/// `url` and `date` do). A page without text is skipped.
pub(in crate::corpus) fn extract_page(
    page: Page,
    mode: HtmlMode,
) -> Extracted {
    let mut warnings = Vec::new();
    let decoded = web_page(&page.bytes, page.http_charset.as_deref());
    if decoded.found == CharsetFrom::Guessed {
        warnings.push(Warning {
            location: page.location.clone(),
            message: format!(
                "no charset declared and not UTF-8: decoded as {} (a guess)",
                decoded.charset
            ),
        });
    } else if decoded.replaced {
        warnings.push(Warning {
            location: page.location.clone(),
            message: format!(
                "not valid {}: bytes replaced by U+FFFD",
                decoded.charset
            ),
        });
    }
    let dom = Dom::parse(&decoded.text);
    drop(decoded);
    let opts = trafilatura::Options::default();
    let (text, found) = match mode {
        HtmlMode::Article => match trafilatura::extract_document(dom, &opts) {
            Ok(r) => (r.content_text, Some(r.metadata)),
            Err(_) => (String::new(), None),
        },
        HtmlMode::Raw => {
            let found = trafilatura::metadata::extract_metadata(&dom, &opts);
            (visible_text(&dom), Some(found))
        }
    };
    if text.trim().is_empty() {
        let w = Warning {
            location: page.location,
            message: "no text found in the page: skipped".to_string(),
        };
        return Extracted { doc: Err(w), warnings };
    }
    let mut meta = page.meta;
    if let Some(found) = found {
        page_fields(&mut meta, &found);
    }
    let doc = Document { id: page.id, meta, text };
    Extracted { doc: Ok(doc), warnings }
}

/// Adds the page's fields that `meta` does not hold yet.
fn page_fields(meta: &mut Meta, found: &trafilatura::Metadata) {
    let date = found.date.map(|d| d.format("%Y-%m-%d").to_string());
    let fields = [
        ("title", Some(found.title.as_str())),
        ("date", date.as_deref()),
        ("author", Some(found.author.as_str())),
        ("url", Some(found.url.as_str())),
        ("source", Some(found.sitename.as_str())),
    ];
    for (name, value) in fields {
        let Some(value) = value.map(str::trim).filter(|v| !v.is_empty())
        else {
            continue;
        };
        if !meta.iter().any(|(k, _)| &**k == name) {
            meta.push((Arc::from(name), value.to_string()));
        }
    }
}

/// Elements whose text is not shown.
const HIDDEN: &[&str] =
    &["head", "script", "style", "noscript", "template", "svg", "iframe"];

/// Elements that end a line of text.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "td",
    "th",
    "tr",
    "ul",
];

/// All visible text of the page's body (or of the whole page without
/// one), in document order: white space collapsed within a line, a line
/// end after each block element. Walked with a stack, so deep nesting
/// cannot overflow the thread's.
fn visible_text(dom: &Dom) -> String {
    let mut out = String::new();
    // (A node, and whether it is the end of a block element.)
    let mut stack: Vec<(NodeId, bool)> =
        vec![(dom.body().unwrap_or_else(|| dom.root()), false)];
    while let Some((id, end)) = stack.pop() {
        if end {
            end_line(&mut out);
            continue;
        }
        if dom.is_text(id) {
            push_words(&mut out, &dom.text_content(id));
            continue;
        }
        let tag = dom.tag_name(id);
        if HIDDEN.contains(&tag) {
            continue;
        }
        if BLOCKS.contains(&tag) {
            end_line(&mut out);
            stack.push((id, true));
        }
        for child in dom.child_nodes(id).into_iter().rev() {
            stack.push((child, false));
        }
    }
    out.truncate(out.trim_end().len());
    out
}

/// Ends the current line of `out`, if it has text.
fn end_line(out: &mut String) {
    out.truncate(out.trim_end_matches(' ').len());
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

/// Appends `text` with its white space collapsed to single spaces.
fn push_words(out: &mut String, text: &str) {
    let starts_space = text.starts_with(char::is_whitespace);
    if starts_space && !out.is_empty() && !out.ends_with([' ', '\n']) {
        out.push(' ');
    }
    let mut words = text.split_whitespace().peekable();
    while let Some(w) = words.next() {
        out.push_str(w);
        if words.peek().is_some() {
            out.push(' ');
        }
    }
    if text.ends_with(char::is_whitespace)
        && !text.trim().is_empty()
        && !out.ends_with(' ')
    {
        out.push(' ');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(html: &str) -> Page {
        Page {
            id: "p.html".into(),
            meta: Vec::new(),
            bytes: html.as_bytes().to_vec(),
            http_charset: None,
            location: "p.html".into(),
        }
    }

    #[test]
    fn sniffing() {
        let rows: [(&[u8], bool); 6] = [
            (b"<!DOCTYPE html><html>", true),
            (b"  \n<html lang=\"id\">", true),
            (b"<!-- saved --><!doctype HTML>", true),
            (b"<!-- not closed <html>", false),
            (b"Judul berita\n<html>", false),
            (b"<div>", false),
        ];
        for (head, want) in rows {
            assert_eq!(looks_like_html(head), want, "{head:?}");
        }
    }

    #[test]
    fn raw_text_is_the_visible_text() {
        let html = "<html><head><title>T</title><style>p{}</style></head>\
            <body><h1>Judul  besar</h1><script>var x = '<p>no</p>';</script>\
            <p>Satu <b>dua</b>\n tiga.</p><ul><li>a</li><li>b</li></ul>\
            <noscript>tidak</noscript></body></html>";
        let got = extract_page(page(html), HtmlMode::Raw);
        let doc = got.doc.unwrap();
        // The h1, the paragraph (its inline <b> kept in the line, the
        // line end inside it collapsed) and each list item, one a line;
        // no script, style, noscript or head text.
        assert_eq!(doc.text, "Judul besar\nSatu dua tiga.\na\nb");
        // (trafilatura takes the page's one h1 as its title, before a
        // <title> this short.)
        assert_eq!(doc.get("title"), Some("Judul besar"));
        assert!(got.warnings.is_empty());
    }

    #[test]
    fn a_page_without_text_is_skipped() {
        let html = "<html><head><title>Kosong</title></head><body>\
            <script>document.write('x')</script></body></html>";
        for mode in [HtmlMode::Article, HtmlMode::Raw] {
            let got = extract_page(page(html), mode);
            let w = got.doc.unwrap_err();
            assert_eq!(
                w.to_string(),
                "p.html: no text found in the page: skipped"
            );
        }
    }

    #[test]
    fn fields_already_held_are_kept() {
        let mut meta: Meta = vec![(Arc::from("url"), "http://a/1".into())];
        let mut found = trafilatura::Metadata::default();
        found.title = " Judul ".into();
        found.url = "http://b/2".into();
        page_fields(&mut meta, &found);
        let got: Vec<(&str, &str)> =
            meta.iter().map(|(k, v)| (&**k, v.as_str())).collect();
        assert_eq!(got, [("url", "http://a/1"), ("title", "Judul")]);
    }
}
