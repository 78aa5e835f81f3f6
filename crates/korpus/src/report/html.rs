//! HTML: the page of one table (`--format html`) and a page built
//! section by section (`korpus report`): sections of text, tables that
//! sort when a column header is clicked, concordance tables with the
//! node column aligned, and inline SVG charts. No network, no external
//! files: the style and the sorting script are inline.
//!
//! Every piece of text from a corpus goes through [`escape`], which also
//! shows control characters (but tab and line breaks) and bidi
//! overrides as text (`\e`, `\u{202e}`), as the table format does; SVG
//! from [`crate::chart`] is already escaped by its writer and is
//! embedded as it is, after [`super::xml_safe`].

use std::fmt::Write as _;
use std::io;

use super::escape::tsv_escape_into;
use super::escape::{is_shown_as_text, push_control};
use super::{Cell, Table};

/// Escapes text for HTML element content and attribute values.
/// Control characters but tab, line feed and carriage return (HTML
/// forbids them in text) and bidi overrides and isolates are shown as
/// text, as [`super::show_controls`] does (`\e`, `\u{202e}`).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\t' | '\n' | '\r' => out.push(c),
            c if is_shown_as_text(c) => push_control(&mut out, c),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// What the page of one table (`--format html`) shows: the rows as
/// the writer held them, as text, and how each column is aligned.
pub(crate) struct RowsPage<'a> {
    /// The page's title and heading.
    pub title: &'a str,
    /// Column names.
    pub columns: &'a [String],
    /// The rows' texts.
    pub rows: &'a [Vec<String>],
    /// Whether a column holds numbers (right-aligned, sorted as numbers).
    pub numeric: &'a [bool],
    /// Whether a column is right-aligned.
    pub right: &'a [bool],
    /// The highlighted column.
    pub highlight: Option<usize>,
}

const ROWS_STYLE: &str = "body{font-family:system-ui,sans-serif;margin:1.5em}\
table{border-collapse:collapse;font-size:14px}\
th{cursor:pointer;background:#eee;text-align:left;padding:4px 8px;position:sticky;top:0}\
td{padding:2px 8px;white-space:pre;border-bottom:1px solid #eee}\
td.num{text-align:right;font-variant-numeric:tabular-nums}td.r{text-align:right}\
td.hl{font-weight:bold;color:#b2182b}";

/// Sorts the table by a clicked column (numbers numerically, text by
/// code point), ascending then descending.
const ROWS_SCRIPT: &str = "document.querySelectorAll('th').forEach(function(th,i){\
th.addEventListener('click',function(){var tb=th.closest('table').tBodies[0];\
var rows=Array.from(tb.rows);var asc=th.dataset.dir!=='asc';th.dataset.dir=asc?'asc':'desc';\
var num=th.dataset.num==='1';rows.sort(function(a,b){var x=a.cells[i].textContent,y=b.cells[i].textContent;\
var c=num?(parseFloat(x)||0)-(parseFloat(y)||0):(x<y?-1:x>y?1:0);return asc?c:-c;});\
rows.forEach(function(r){tb.appendChild(r);});});});";

/// Writes the self-contained page of one table (inline CSS and script,
/// no network) with every cell escaped.
pub(crate) fn write_rows_page(
    wtr: &mut dyn io::Write,
    page: &RowsPage<'_>,
) -> io::Result<()> {
    let title = escape(page.title);
    writeln!(
        wtr,
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{title}</title>"
    )?;
    writeln!(
        wtr,
        "<style>{ROWS_STYLE}</style></head><body>\n<h1>{title}</h1>"
    )?;
    writeln!(
        wtr,
        "<p>{} rows. Click a column header to sort.</p>",
        page.rows.len()
    )?;
    write!(wtr, "<table><thead><tr>")?;
    for (i, c) in page.columns.iter().enumerate() {
        write!(
            wtr,
            "<th data-num=\"{}\">{}</th>",
            u8::from(page.numeric[i]),
            escape(c)
        )?;
    }
    writeln!(wtr, "</tr></thead><tbody>")?;
    for row in page.rows {
        write!(wtr, "<tr>")?;
        for (i, cell) in row.iter().enumerate() {
            let class = if page.highlight == Some(i) {
                " class=\"hl\""
            } else if page.numeric[i] {
                " class=\"num\""
            } else if page.right[i] {
                " class=\"r\""
            } else {
                ""
            };
            write!(wtr, "<td{class}>{}</td>", escape(cell))?;
        }
        writeln!(wtr, "</tr>")?;
    }
    writeln!(
        wtr,
        "</tbody></table>\n<script>{ROWS_SCRIPT}</script>\n</body></html>"
    )
}

/// An HTML page built section by section.
#[derive(Debug, Default)]
pub struct Page {
    title: String,
    nav: Vec<(String, String)>,
    body: String,
}

/// A cell's text on the page: as TSV writes it (a tab or line break in
/// text shown as `\t`, `\n`), so that a table read back from a TSV
/// file ([`Table::from_tsv`]) and the table it was written from give
/// the same page.
fn shown(cell: &Cell) -> String {
    match cell {
        Cell::Str(s) => as_tsv(s),
        c => c.text(),
    }
}

/// Text as TSV writes it (column names too: see [`shown`]).
fn as_tsv(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    tsv_escape_into(&mut out, s);
    out
}

/// Whether a cell reads as a number (right-aligned, sorted numerically).
fn numeric(s: &str) -> bool {
    !s.is_empty() && s.parse::<f64>().is_ok()
}

impl Page {
    /// A page with a title.
    pub fn new(title: &str) -> Page {
        Page { title: title.to_string(), ..Page::default() }
    }

    /// Starts a section with an id (for the navigation) and a heading.
    pub fn section(&mut self, id: &str, heading: &str) {
        if !self.body.is_empty() {
            self.body.push_str("</section>\n");
        }
        self.nav.push((id.to_string(), heading.to_string()));
        let _ = writeln!(
            self.body,
            "<section id=\"{}\">\n<h2>{}</h2>",
            escape(id),
            escape(heading)
        );
    }

    /// A sub-heading.
    pub fn heading(&mut self, text: &str) {
        let _ = writeln!(self.body, "<h3>{}</h3>", escape(text));
    }

    /// A paragraph of plain text.
    pub fn text(&mut self, text: &str) {
        let _ = writeln!(self.body, "<p>{}</p>", escape(text));
    }

    /// A note (a missing section, a skipped step).
    pub fn note(&mut self, text: &str) {
        let _ = writeln!(self.body, "<p class=\"note\">{}</p>", escape(text));
    }

    /// A link to a file beside the page.
    pub fn link(&mut self, href: &str, text: &str) {
        let _ = writeln!(
            self.body,
            "<p class=\"files\"><a href=\"{}\">{}</a></p>",
            escape(href),
            escape(text)
        );
    }

    /// An SVG chart, inline, with a caption.
    pub fn svg(&mut self, svg: &str, caption: &str) {
        // Drop an XML declaration, if any: inline SVG must not have one.
        let svg = svg.trim_start();
        let svg = match svg.strip_prefix("<?xml") {
            Some(rest) => rest.split_once("?>").map_or(rest, |p| p.1),
            None => svg,
        };
        let svg = super::xml_safe(svg);
        let _ = writeln!(
            self.body,
            "<figure class=\"chart\">{svg}<figcaption>{}</figcaption></figure>",
            escape(caption)
        );
    }

    /// A table whose rows sort when a column header is clicked (the
    /// first `max_rows` rows, with a note when there are more). A column
    /// is numeric when every cell's text that is not empty reads as a
    /// number, and one does.
    pub fn table(&mut self, id: &str, t: &Table, max_rows: usize) {
        let numeric_col: Vec<bool> = (0..t.columns.len())
            .map(|c| {
                let mut cells = t.rows.iter().filter_map(|r| r.get(c));
                let mut any = false;
                let all = cells.all(|cell| {
                    let s = shown(cell);
                    any |= !s.is_empty();
                    s.is_empty() || numeric(&s)
                });
                all && any
            })
            .collect();
        let _ = write!(
            self.body,
            "<table class=\"sortable\" id=\"{}\">\n<thead><tr>",
            escape(id)
        );
        for (c, name) in t.columns.iter().enumerate() {
            let class = if numeric_col[c] { " class=\"num\"" } else { "" };
            let _ = write!(
                self.body,
                "<th{class} data-type=\"{}\" tabindex=\"0\">{}</th>",
                if numeric_col[c] { "num" } else { "text" },
                escape(&as_tsv(name))
            );
        }
        self.body.push_str("</tr></thead>\n<tbody>\n");
        for row in t.rows.iter().take(max_rows) {
            self.body.push_str("<tr>");
            for (c, cell) in row.iter().enumerate() {
                let class = if numeric_col.get(c).copied().unwrap_or(false) {
                    " class=\"num\""
                } else {
                    ""
                };
                let _ = write!(
                    self.body,
                    "<td{class}>{}</td>",
                    escape(&shown(cell))
                );
            }
            self.body.push_str("</tr>\n");
        }
        self.body.push_str("</tbody></table>\n");
        if t.rows.len() > max_rows {
            let _ = writeln!(
                self.body,
                "<p class=\"note\">The first {max_rows} of {} rows.</p>",
                t.rows.len()
            );
        }
    }

    /// Concordance lines: left context right-aligned, the node in its
    /// own column, right context left-aligned, so the nodes line up.
    /// `t` must have the columns `left`, `node` and `right`; `extra`
    /// columns are shown before them.
    pub fn concordance(&mut self, id: &str, t: &Table, extra: &[&str]) {
        let (Some(l), Some(n), Some(r)) =
            (t.column("left"), t.column("node"), t.column("right"))
        else {
            self.note("no concordance columns");
            return;
        };
        let extra: Vec<usize> =
            extra.iter().filter_map(|c| t.column(c)).collect();
        let _ = write!(
            self.body,
            "<table class=\"kwic sortable\" id=\"{}\">\n<thead><tr>",
            escape(id)
        );
        for &c in &extra {
            let _ = write!(
                self.body,
                "<th data-type=\"text\" tabindex=\"0\">{}</th>",
                escape(&as_tsv(&t.columns[c]))
            );
        }
        self.body.push_str(
            "<th class=\"left\" data-type=\"text\" tabindex=\"0\">left</th>\
             <th class=\"node\" data-type=\"text\" tabindex=\"0\">node</th>\
             <th data-type=\"text\" tabindex=\"0\">right</th></tr></thead>\n<tbody>\n",
        );
        for row in &t.rows {
            self.body.push_str("<tr>");
            for &c in &extra {
                let _ =
                    write!(self.body, "<td>{}</td>", escape(&shown(&row[c])));
            }
            let _ = writeln!(
                self.body,
                "<td class=\"left\">{}</td><td class=\"node\">{}</td><td class=\"right\">{}</td></tr>",
                escape(&shown(&row[l])),
                escape(&shown(&row[n])),
                escape(&shown(&row[r]))
            );
        }
        self.body.push_str("</tbody></table>\n");
    }

    /// A block of preformatted text (the provenance record).
    pub fn pre(&mut self, text: &str) {
        let _ = writeln!(self.body, "<pre>{}</pre>", escape(text));
    }

    /// The finished page.
    pub fn finish(mut self, generator: &str) -> String {
        if !self.body.is_empty() {
            self.body.push_str("</section>\n");
        }
        let mut nav = String::new();
        for (id, heading) in &self.nav {
            let _ = write!(
                nav,
                "<a href=\"#{}\">{}</a> ",
                escape(id),
                escape(heading)
            );
        }
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"generator\" content=\"{}\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
             <header><h1>{}</h1><nav>{nav}</nav></header>\n<main>\n{}</main>\n\
             <script>{SCRIPT}</script>\n</body>\n</html>\n",
            escape(generator),
            escape(&self.title),
            escape(&self.title),
            self.body
        )
    }
}

const STYLE: &str = r#"
body { font: 15px/1.45 "DejaVu Sans", system-ui, sans-serif; margin: 0; color: #1a1a1a; background: #fff; }
header { background: #0b3d5c; color: #fff; padding: 0.8em 1.5em; position: sticky; top: 0; z-index: 1; }
header h1 { margin: 0 0 0.3em; font-size: 1.4em; }
nav a { color: #cfe8ff; margin-right: 0.9em; text-decoration: none; }
main { padding: 0 1.5em 2em; max-width: 1200px; }
section { border-bottom: 1px solid #ddd; padding: 0.5em 0 1.5em; }
h2 { color: #0b3d5c; }
table { border-collapse: collapse; margin: 0.5em 0; font-size: 0.92em; display: block; overflow-x: auto; max-width: 100%; }
th, td { padding: 0.2em 0.6em; border-bottom: 1px solid #eee; text-align: left; vertical-align: top; }
th { background: #f2f5f8; cursor: pointer; user-select: none; white-space: nowrap; }
th[aria-sort="ascending"]::after { content: " \25B2"; }
th[aria-sort="descending"]::after { content: " \25BC"; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.kwic td.left { text-align: right; white-space: nowrap; }
table.kwic td.node { text-align: center; font-weight: bold; color: #b04a00; white-space: nowrap; }
table.kwic td.right { text-align: left; white-space: nowrap; }
figure.chart { margin: 1em 0; }
figure.chart svg { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: 0.9em; color: #555; }
.note { color: #666; font-style: italic; }
.files a { font-size: 0.9em; }
pre { background: #f6f6f6; padding: 0.8em; overflow: auto; font-size: 0.85em; }
"#;

/// Sorting: a click (or Enter) on a header sorts the rows by that
/// column, numbers as numbers, empty cells last; again to reverse.
const SCRIPT: &str = r#"
(function () {
  function key(td, num) {
    var t = td ? td.textContent : "";
    if (num) { var v = parseFloat(t); return isNaN(v) ? null : v; }
    return t;
  }
  function sortBy(th) {
    var table = th.closest("table"), body = table.tBodies[0];
    var col = Array.prototype.indexOf.call(th.parentNode.children, th);
    var num = th.getAttribute("data-type") === "num";
    var asc = th.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(th.parentNode.children, function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows);
    rows.forEach(function (r, i) { r._i = i; });
    rows.sort(function (a, b) {
      var x = key(a.cells[col], num), y = key(b.cells[col], num);
      if (x === null && y === null) return a._i - b._i;
      if (x === null) return 1;
      if (y === null) return -1;
      var c = num ? x - y : (x < y ? -1 : x > y ? 1 : 0);
      if (!asc) c = -c;
      return c !== 0 ? c : a._i - b._i;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  document.querySelectorAll("table.sortable th").forEach(function (th) {
    th.addEventListener("click", function () { sortBy(th); });
    th.addEventListener("keydown", function (e) { if (e.key === "Enter") sortBy(th); });
  });
  document.documentElement.setAttribute("data-ready", "1");
})();
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escape_shows_controls_and_bidi_keeps_line_breaks() {
        assert_eq!(
            escape("<a>\x1b[2J\u{9b}\u{202e}\t\n\r&"),
            "&lt;a&gt;\\e[2J\\u{9b}\\u{202e}\t\n\r&amp;"
        );
    }

    #[test]
    fn corpus_text_is_escaped_everywhere() {
        let mut p = Page::new("<t>");
        p.section("s\"1", "<h>");
        p.text("<script>alert(1)</script>");
        let t = Table::from_tsv("a<b\tn\n<img src=x>\t3\n&amp;\t10\n");
        p.table("t1", &t, 10);
        let k = Table::from_tsv("left\tnode\tright\n<i>\t<b>\t</table>\n");
        p.concordance("k", &k, &[]);
        let html = p.finish("korpus");
        for bad in [
            "<script>alert",
            "<img",
            "<i>",
            "<b>",
            "</table>\n</tbody",
            "<h>",
            "<t>",
        ] {
            assert!(!html.contains(bad), "{bad} unescaped");
        }
        assert!(html.contains("&lt;img src=x&gt;"));
        assert!(html.contains("&amp;amp;"));
    }

    #[test]
    fn a_table_and_its_tsv_give_the_same_page() {
        let mut t =
            Table::new(["item", "freq", "dp", "left", "node", "right"]);
        let s = |x: &str| Cell::Str(x.to_string());
        t.push(vec![
            s("a\tb\\c\nd"),
            Cell::Int(10),
            Cell::Null,
            s("l\r"),
            s("<n>"),
            s("r"),
        ]);
        t.push(vec![
            s("2019"),
            Cell::Int(2),
            Cell::Float(0.5, 3),
            s(""),
            s("n"),
            s("\\"),
        ]);
        let mut tsv = Vec::new();
        super::super::write_table(
            &mut tsv,
            super::super::Format::Tsv,
            &t,
            false,
        )
        .unwrap();
        let read = Table::from_tsv(&String::from_utf8(tsv).unwrap());
        assert_ne!(read, t);
        let page = |t: &Table| {
            let mut p = Page::new("x");
            p.section("s", "S");
            p.table("t", t, 10);
            p.concordance("k", t, &["it\\em"]);
            p.finish("korpus")
        };
        let html = page(&t);
        assert_eq!(html, page(&read));
        // As TSV shows them: escapes visible, a backslash doubled.
        assert!(html.contains("<td>a\\tb\\\\c\\nd</td>"), "{html}");
        assert!(html.contains("<td class=\"num\">0.500</td>"));
    }

    #[test]
    fn numeric_columns_are_marked() {
        let mut p = Page::new("x");
        p.section("s", "S");
        p.table(
            "t",
            &Table::from_tsv("item\tfreq\tdp\na\t10\t\nb\t2\t0.5\n"),
            10,
        );
        let html = p.finish("korpus");
        assert!(
            html.contains("<th data-type=\"text\" tabindex=\"0\">item</th>")
        );
        assert!(html.contains(
            "<th class=\"num\" data-type=\"num\" tabindex=\"0\">freq</th>"
        ));
        assert!(html.contains(
            "<th class=\"num\" data-type=\"num\" tabindex=\"0\">dp</th>"
        ));
    }

    #[test]
    fn long_tables_are_cut_with_a_note() {
        let mut p = Page::new("x");
        p.section("s", "S");
        p.table("t", &Table::from_tsv("n\n1\n2\n3\n"), 2);
        let html = p.finish("korpus");
        assert!(html.contains("The first 2 of 3 rows."));
        assert!(!html.contains("<td class=\"num\">3</td>"));
    }
}
