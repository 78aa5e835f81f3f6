//! Horizontal bars: word lists, collocates by a measure, and keywords
//! (diverging: positive to the right, negative to the left).

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::{
    DrawResult, Frame, TEXT, Table, anchored, colour, font, label, number,
    titled, widest,
};
use crate::report::Cell;

/// Bars in one or more panels (one per group), first row at the top.
#[derive(Debug, Clone)]
pub struct Bars {
    /// The default title.
    pub title: String,
    /// What the values are (the x-axis label, with its unit).
    pub axis: String,
    /// The name of the value column in the data table.
    pub column: String,
    /// Decimals of the values in the data table.
    pub decimals: usize,
    /// The panels; one panel has an empty name.
    pub panels: Vec<Panel>,
    /// For diverging bars, the legend of positive and negative values
    /// (`("key in target", "key in reference")`); `None` for plain bars.
    pub diverging: Option<(String, String)>,
}

/// One panel of bars.
#[derive(Debug, Clone)]
pub struct Panel {
    /// The group drawn (empty for the whole corpus).
    pub name: String,
    /// Items and values, in drawing order (top first).
    pub bars: Vec<(String, f64)>,
}

impl Bars {
    /// The data drawn, as rows.
    pub fn table(&self) -> Table {
        let grouped = self.panels.len() > 1 || !self.panels[0].name.is_empty();
        let mut columns = Vec::new();
        if grouped {
            columns.push("group".to_string());
        }
        columns.push("item".to_string());
        columns.push(self.column.clone());
        let rows = self
            .panels
            .iter()
            .flat_map(|p| {
                p.bars.iter().map(move |(item, v)| {
                    let mut row = Vec::new();
                    if grouped {
                        row.push(Cell::Str(p.name.clone()));
                    }
                    row.push(Cell::Str(item.clone()));
                    row.push(Cell::Float(*v, self.decimals));
                    row
                })
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
        let area = match &self.diverging {
            Some((pos, neg)) => {
                let (w, _) = area.dim_in_pixel();
                let y = 4;
                let half = w as i32 / 2;
                swatch(&area, (half - 12, y), colour(0), pos, HPos::Right)?;
                swatch(&area, (half + 12, y), colour(3), neg, HPos::Left)?;
                area.margin(TEXT + 14, 0, 0, 0)
            }
            None => area,
        };
        let n = self.panels.len();
        let cols = if n <= 3 { n } else { n.div_ceil(2).min(4) };
        let rows = n.div_ceil(cols);
        let cells = area.split_evenly((rows, cols));
        for (panel, cell) in self.panels.iter().zip(cells.iter()) {
            self.draw_panel(panel, cell)?;
        }
        Ok(())
    }

    fn draw_panel<DB: DrawingBackend>(
        &self,
        panel: &Panel,
        area: &DrawingArea<DB, plotters::coord::Shift>,
    ) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let n = panel.bars.len();
        if n == 0 {
            return Ok(());
        }
        let labels: Vec<String> =
            panel.bars.iter().map(|(l, _)| label(l, 32)).collect();
        let (w, _) = area.dim_in_pixel();
        let label_w =
            widest(area, labels.iter().cloned(), TEXT).min(w * 2 / 5) + 12;
        let (x_lo, x_hi) = x_range(&panel.bars);
        let mut builder = ChartBuilder::on(area);
        builder.margin(8);
        if !panel.name.is_empty() {
            builder
                .caption(super::label_tail(&panel.name, 60), font(TEXT + 1));
        }
        let mut chart = builder
            .x_label_area_size(TEXT * 3)
            .y_label_area_size(label_w)
            .build_cartesian_2d(x_lo..x_hi, -0.5..n as f64 - 0.5)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .x_labels(6)
            .x_label_formatter(&|v| number(*v))
            .x_desc(self.axis.as_str())
            .label_style(font(TEXT))
            .axis_desc_style(font(TEXT))
            .max_light_lines(0)
            .draw()?;
        let y = |i: usize| (n - 1 - i) as f64;
        let half = if n > 30 { 0.45 } else { 0.38 };
        chart.draw_series(panel.bars.iter().enumerate().map(
            |(i, (_, v))| {
                let c = if *v < 0.0 { colour(3) } else { colour(0) };
                Rectangle::new(
                    [(0.0, y(i) - half), (*v, y(i) + half)],
                    c.filled(),
                )
            },
        ))?;
        let base = area.get_base_pixel();
        let small = if n > 30 { TEXT - 4 } else { TEXT - 1 };
        for (i, (l, (_, v))) in labels.iter().zip(&panel.bars).enumerate() {
            let (x0, py) = chart.backend_coord(&(x_lo, y(i)));
            let at = (x0 - base.0 - 6, py - base.1);
            area.draw(&Text::new(
                l.clone(),
                at,
                anchored(small, HPos::Right, VPos::Center),
            ))?;
            let (xe, _) = chart.backend_coord(&(*v, y(i)));
            let (h, dx) =
                if *v < 0.0 { (HPos::Right, -4) } else { (HPos::Left, 4) };
            area.draw(&Text::new(
                number(*v),
                (xe - base.0 + dx, py - base.1),
                anchored(small, h, VPos::Center),
            ))?;
        }
        if x_lo < 0.0 {
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(0.0, -0.5), (0.0, n as f64 - 0.5)],
                BLACK.stroke_width(1),
            )))?;
        }
        Ok(())
    }
}

/// A coloured square with a label beside it.
pub(super) fn swatch<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    (x, y): (i32, i32),
    c: RGBColor,
    text: &str,
    side: HPos,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let s = TEXT as i32;
    let (bx, tx, anchor) = match side {
        HPos::Right => (x - s, x - s - 6, HPos::Right),
        _ => (x, x + s + 6, HPos::Left),
    };
    area.draw(&Rectangle::new([(bx, y), (bx + s, y + s)], c.filled()))?;
    area.draw(&Text::new(
        label(text, 60),
        (tx, y + s / 2),
        anchored(TEXT, anchor, VPos::Center),
    ))?;
    Ok(())
}

/// The value axis of a panel: from the smallest value (or 0) to the
/// largest (or 0), with room for the value printed at each bar's end
/// (18% of the span on the side that has bars).
fn x_range(bars: &[(String, f64)]) -> (f64, f64) {
    let lo = bars.iter().map(|b| b.1).fold(0.0, f64::min);
    let hi = bars.iter().map(|b| b.1).fold(0.0, f64::max);
    let span = if hi > lo { hi - lo } else { 1.0 };
    let x_lo = if lo < 0.0 { lo - span * 0.18 } else { 0.0 };
    let x_hi = if hi > 0.0 { hi + span * 0.18 } else { 0.0 };
    (x_lo, x_hi)
}

#[cfg(test)]
mod tests {
    use super::x_range;

    #[test]
    fn value_axis_leaves_room_on_the_sides_with_bars() {
        let bars = |v: &[f64]| -> Vec<(String, f64)> {
            v.iter().map(|&x| (String::new(), x)).collect()
        };
        let close = |a: (f64, f64), b: (f64, f64)| {
            (a.0 - b.0).abs() < 1e-12 && (a.1 - b.1).abs() < 1e-12
        };
        // Span 15: 2.7 beyond each end.
        assert!(close(x_range(&bars(&[10.0, -5.0])), (-7.7, 12.7)));
        // Positive only: from 0; span 4, 0.72 beyond the largest.
        assert!(close(x_range(&bars(&[2.0, 4.0])), (0.0, 4.72)));
        // Negative only: to 0.
        assert!(close(x_range(&bars(&[-1.0])), (-1.18, 0.0)));
    }
}
