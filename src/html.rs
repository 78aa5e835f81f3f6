//! A self-contained HTML page: sections of text, tables that sort when a
//! column header is clicked, concordance tables with the node column
//! aligned, and inline SVG charts. No network, no external files: the
//! style and the sorting script are inline.
//!
//! Every piece of text from a corpus goes through [`escape`], which also
//! shows control characters (but tab and line breaks) and bidi
//! overrides as text (`\e`, `\u{202e}`), as the table format does; SVG
//! from [`crate::chart`] is already escaped by its writer and is
//! embedded as it is, after [`crate::chart::xml_safe`].

use std::fmt::Write as _;

use crate::report::html_escape;

/// Escapes text for HTML content and attribute values; control
/// characters but tab, line feed and carriage return, and bidi
/// overrides and isolates, are shown as text (`\e`, `\u{202e}`;
/// [`html_escape`]).
pub fn escape(s: &str) -> String {
    html_escape(s)
}

/// An HTML page built section by section.
#[derive(Debug, Default)]
pub struct Page {
    title: String,
    nav: Vec<(String, String)>,
    body: String,
}

/// A table: column names and rows of cells (already formatted text).
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Column names.
    pub columns: Vec<String>,
    /// Rows.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// Parses TSV as korpus writes it (a header line, then rows; no
    /// quoting: korpus replaces tabs and line breaks in cells).
    pub fn from_tsv(tsv: &str) -> Table {
        let mut lines = tsv.lines();
        let columns = lines
            .next()
            .map(|h| h.split('\t').map(String::from).collect())
            .unwrap_or_default();
        let rows =
            lines.map(|l| l.split('\t').map(String::from).collect()).collect();
        Table { columns, rows }
    }

    /// The index of a column.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }
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
        let svg = crate::chart::xml_safe(svg);
        let _ = writeln!(
            self.body,
            "<figure class=\"chart\">{svg}<figcaption>{}</figcaption></figure>",
            escape(caption)
        );
    }

    /// A table whose rows sort when a column header is clicked (the
    /// first `max_rows` rows; `total` rows exist in the file beside).
    pub fn table(&mut self, id: &str, t: &Table, max_rows: usize) {
        let numeric_col: Vec<bool> = (0..t.columns.len())
            .map(|c| {
                let mut cells = t.rows.iter().filter_map(|r| r.get(c));
                let mut any = false;
                let all = cells.all(|s| {
                    any |= !s.is_empty();
                    s.is_empty() || numeric(s)
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
                escape(name)
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
                let _ = write!(self.body, "<td{class}>{}</td>", escape(cell));
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
                escape(&t.columns[c])
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
                let _ = write!(self.body, "<td>{}</td>", escape(&row[c]));
            }
            let _ = writeln!(
                self.body,
                "<td class=\"left\">{}</td><td class=\"node\">{}</td><td class=\"right\">{}</td></tr>",
                escape(&row[l]),
                escape(&row[n]),
                escape(&row[r])
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
