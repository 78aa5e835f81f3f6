//! The concordance plot (AntConc's Plot, quanteda's `textplot_xray`):
//! a row per part (document or group), a tick at each hit's relative
//! position, and at the row's end the hits and their dispersion within
//! the part; several queries side by side.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::{DrawResult, Frame, TEXT, Table, anchored, colour, label, titled};
use crate::dispersion::segment_dp;
use crate::error::{Error, Result};
use crate::report::Cell;

/// The number of equal segments of a part over which the row's DP is
/// computed (see [`segment_dp`]).
pub const SEGMENTS: u64 = 10;

/// At most this many parts (rows) are drawn.
pub const MAX_PARTS: usize = 60;

/// A concordance plot of one or more queries.
#[derive(Debug, Clone)]
pub struct ConcordancePlot {
    /// The default title.
    pub title: String,
    /// The queries, one column each.
    pub queries: Vec<String>,
    /// The rows: a part's hits for one query.
    pub rows: Vec<PlotRow>,
}

/// One part's hits for one query.
#[derive(Debug, Clone)]
pub struct PlotRow {
    /// Index into `queries`.
    pub query: usize,
    /// The part (document id or group).
    pub part: String,
    /// The part's size in tokens.
    pub tokens: u64,
    /// Hit positions within the part, ascending.
    pub hits: Vec<u64>,
}

impl ConcordancePlot {
    /// The part names, in first-seen order.
    fn parts(&self) -> Vec<&str> {
        let mut seen = crate::hash::new_set();
        self.rows
            .iter()
            .map(|r| r.part.as_str())
            .filter(|p| seen.insert(*p))
            .collect()
    }

    /// Fails if the plot has more parts than can be drawn legibly.
    pub fn check(&self) -> Result<()> {
        let n = self.parts().len();
        if n > MAX_PARTS {
            return Err(Error::Usage(format!(
                "a concordance plot draws at most {MAX_PARTS} rows, and the query has hits in {n} parts: \
                 group the documents (--by file, --by source, --by date:year) or select some with --where"
            )));
        }
        Ok(())
    }

    /// The data drawn, as rows.
    pub fn table(&self) -> Table {
        let columns =
            ["query", "part", "tokens", "hits", "dp_10_segments", "positions"]
                .map(String::from)
                .to_vec();
        let rows = self
            .rows
            .iter()
            .map(|r| {
                let pos: Vec<String> = r
                    .hits
                    .iter()
                    .map(|&h| format!("{:.4}", h as f64 / r.tokens as f64))
                    .collect();
                vec![
                    Cell::Str(self.queries[r.query].clone()),
                    Cell::Str(r.part.clone()),
                    Cell::Int(r.tokens),
                    Cell::Int(r.hits.len() as u64),
                    Cell::opt(segment_dp(&r.hits, r.tokens, SEGMENTS), 4),
                    Cell::Str(pos.join(" ")),
                ]
            })
            .collect();
        Table { columns, rows }
    }

    pub(super) fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, plotters::coord::Shift>,
        frame: &Frame,
    ) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let area =
            titled(root, frame.title.as_deref().unwrap_or(&self.title))?;
        let parts = self.parts();
        let (w, h) = area.dim_in_pixel();
        let names: Vec<String> =
            parts.iter().map(|p| super::label_tail(p, 40)).collect();
        let label_w = (super::widest(&area, names.iter().cloned(), TEXT) + 16)
            .min(w * 2 / 5) as i32;
        let annot_w = 95i32;
        let q = self.queries.len().max(1) as i32;
        let col_w = (w as i32 - label_w - 10) / q;
        let strip_w = (col_w - annot_w).max(40);
        let top = TEXT as i32 * 2 + 12;
        let row_h =
            ((h as i32 - top - 10) / parts.len().max(1) as i32).clamp(8, 48);
        let small = if row_h < 22 { TEXT - 4 } else { TEXT - 1 };
        for (qi, query) in self.queries.iter().enumerate() {
            let x0 = label_w + qi as i32 * col_w;
            let total: usize = self
                .rows
                .iter()
                .filter(|r| r.query == qi)
                .map(|r| r.hits.len())
                .sum();
            area.draw(&Text::new(
                format!("{} ({total} hits)", label(query, 40)),
                (x0 + strip_w / 2, 4),
                anchored(TEXT, HPos::Center, VPos::Top),
            ))?;
            area.draw(&Text::new(
                format!("hits · DP ({SEGMENTS} seg.)"),
                (x0 + strip_w + 8, TEXT as i32 + 8),
                anchored(TEXT - 4, HPos::Left, VPos::Top),
            ))?;
            for (pi, part) in parts.iter().enumerate() {
                let y0 = top + pi as i32 * row_h;
                let y1 = y0 + row_h - 3;
                let row = self
                    .rows
                    .iter()
                    .find(|r| r.query == qi && r.part == *part);
                let strip = Strip { x0, y0, y1, width: strip_w, small };
                draw_strip(&area, row, qi, &strip)?;
            }
        }
        for (pi, name) in names.iter().enumerate() {
            let y0 = top + pi as i32 * row_h;
            area.draw(&Text::new(
                name.clone(),
                (label_w - 8, y0 + (row_h - 3) / 2),
                anchored(small, HPos::Right, VPos::Center),
            ))?;
        }
        Ok(())
    }
}

/// Where one part's strip goes, in pixels, and its text size.
struct Strip {
    x0: i32,
    y0: i32,
    y1: i32,
    width: i32,
    small: u32,
}

/// One part's strip for query `qi`: its frame, a tick at each hit's
/// relative position, and the hits and DP beside it (`0` for a part
/// without hits).
fn draw_strip<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    row: Option<&PlotRow>,
    qi: usize,
    s: &Strip,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let (x0, y0, y1, strip_w, small) = (s.x0, s.y0, s.y1, s.width, s.small);
    area.draw(&Rectangle::new(
        [(x0, y0), (x0 + strip_w, y1)],
        RGBColor(120, 120, 120).stroke_width(1),
    ))?;
    let Some(row) = row else {
        area.draw(&Text::new(
            "0",
            (x0 + strip_w + 8, (y0 + y1) / 2),
            anchored(small, HPos::Left, VPos::Center),
        ))?;
        return Ok(());
    };
    for &hpos in &row.hits {
        let rel = hpos as f64 / row.tokens.max(1) as f64;
        let x = x0 + (rel * strip_w as f64).round() as i32;
        area.draw(&PathElement::new(
            vec![(x, y0 + 1), (x, y1 - 1)],
            colour(qi).stroke_width(1),
        ))?;
    }
    let dp = segment_dp(&row.hits, row.tokens, SEGMENTS)
        .map_or("–".to_string(), |d| format!("{d:.2}"));
    area.draw(&Text::new(
        format!("{} · {dp}", row.hits.len()),
        (x0 + strip_w + 8, (y0 + y1) / 2),
        anchored(small, HPos::Left, VPos::Center),
    ))?;
    Ok(())
}
