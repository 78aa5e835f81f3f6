//! A collocation network in the manner of #LancsBox GraphColl: the node
//! in the centre, its collocates around it, nearer and joined by a
//! thicker line the stronger the association; for two nodes, each with
//! its own collocates on its side and the shared ones between them.

use std::f64::consts::PI;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::{DrawResult, Frame, TEXT, Table, anchored, colour, label, titled};
use crate::report::Cell;

/// A network of one or two nodes and their collocates.
#[derive(Debug, Clone)]
pub struct Network {
    /// The default title.
    pub title: String,
    /// The node queries (one or two).
    pub nodes: Vec<String>,
    /// The measure the edges show.
    pub measure: String,
    /// The edges, strongest first for each node.
    pub edges: Vec<NetworkEdge>,
}

/// A collocate of one node, with the measure's value.
#[derive(Debug, Clone)]
pub struct NetworkEdge {
    /// Index into `nodes`.
    pub node: usize,
    /// The collocate.
    pub collocate: String,
    /// The association measure's value.
    pub value: f64,
}

impl Network {
    fn shared(&self, collocate: &str) -> bool {
        self.nodes.len() > 1
            && (0..self.nodes.len()).all(|n| {
                self.edges
                    .iter()
                    .any(|e| e.node == n && e.collocate == collocate)
            })
    }

    /// The data drawn, as rows.
    pub fn table(&self) -> Table {
        let columns = ["node", "collocate", self.measure.as_str(), "shared"]
            .map(String::from)
            .to_vec();
        let rows = self
            .edges
            .iter()
            .map(|e| {
                vec![
                    Cell::Str(self.nodes[e.node].clone()),
                    Cell::Str(e.collocate.clone()),
                    Cell::Float(e.value, 4),
                    Cell::Str(
                        if self.shared(&e.collocate) { "yes" } else { "no" }
                            .to_string(),
                    ),
                ]
            })
            .collect();
        Table { columns, rows }
    }

    /// The strength of `v` from 0 (the weakest edge) to 1 (the
    /// strongest; 1 for every edge when all are equal).
    fn strength(&self) -> impl Fn(f64) -> f64 {
        let lo =
            self.edges.iter().map(|e| e.value).fold(f64::INFINITY, f64::min);
        let hi = self
            .edges
            .iter()
            .map(|e| e.value)
            .fold(f64::NEG_INFINITY, f64::max);
        move |v: f64| {
            if hi > lo { (v - lo) / (hi - lo) } else { 1.0 }
        }
    }

    /// Where the nodes and collocates go in a `w` x `h` area: shared
    /// collocates in a column between the nodes, the others around
    /// their node, nearer the stronger.
    fn layout(&self, w: f64, h: f64) -> Layout {
        let strength = self.strength();
        let two = self.nodes.len() > 1;
        let cy = h / 2.0;
        let centres: Vec<(f64, f64)> = if two {
            vec![(w * 0.3, cy), (w * 0.7, cy)]
        } else {
            vec![(w / 2.0, cy)]
        };
        let reach =
            if two { (w * 0.2).min(h * 0.42) } else { w.min(h) * 0.42 };
        let (r_min, r_max) = (reach * 0.45, reach);
        let mut placed: Vec<(String, (f64, f64))> = Vec::new();
        let shared: Vec<String> = {
            let mut seen = crate::hash::new_set();
            self.edges
                .iter()
                .map(|e| e.collocate.as_str())
                .filter(|c| self.shared(c) && seen.insert(*c))
                .map(String::from)
                .collect()
        };
        for (k, c) in shared.iter().enumerate() {
            let step = (h * 0.8) / shared.len() as f64;
            let y = h * 0.1 + step * (k as f64 + 0.5);
            placed.push((c.to_string(), (w / 2.0, y)));
        }
        for (n, &(cx, cy)) in centres.iter().enumerate() {
            let own = self
                .edges
                .iter()
                .filter(|e| e.node == n && !self.shared(&e.collocate));
            for (k, e) in own.enumerate() {
                // Successive ranks are spread round the circle (by the
                // golden ratio), so the strongest, nearest collocates do
                // not crowd one side. One node: all round. Two: the
                // outer side of each.
                let slot = (k as f64 * 0.618_034).fract();
                let angle = if !two {
                    -PI / 2.0 + 2.0 * PI * slot
                } else {
                    let side = if n == 0 { PI } else { 0.0 };
                    side + (PI * 0.8) * (slot - 0.5)
                };
                let r = r_min + (r_max - r_min) * (1.0 - strength(e.value));
                placed.push((
                    e.collocate.clone(),
                    (cx + r * angle.cos(), cy + r * angle.sin()),
                ));
            }
        }
        Layout { centres, placed, shared }
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
        let (w, h) = area.dim_in_pixel();
        let (w, h) = (w as f64, h as f64);
        area.draw(&Text::new(
            format!(
                "distance and line weight: {} (closer and thicker = stronger)",
                self.measure
            ),
            (8, h as i32 - 6),
            anchored(TEXT - 3, HPos::Left, VPos::Bottom),
        ))?;
        let layout = self.layout(w, h);
        let strength = self.strength();
        let at =
            |c: &str| layout.placed.iter().find(|p| p.0 == c).map(|p| p.1);
        for e in &self.edges {
            let Some(p) = at(&e.collocate) else { continue };
            let s = strength(e.value);
            let width = 1 + (s * 4.0).round() as u32;
            area.draw(&PathElement::new(
                vec![px(layout.centres[e.node]), px(p)],
                colour(e.node).mix(0.35 + 0.5 * s).stroke_width(width),
            ))?;
        }
        for (c, p) in &layout.placed {
            let shared = layout.shared.contains(c);
            draw_collocate(&area, c, *p, shared, w)?;
        }
        for (n, &c) in layout.centres.iter().enumerate() {
            draw_node(&area, &self.nodes[n], n, px(c))?;
        }
        Ok(())
    }
}

/// Where [`Network::layout`] puts things, in pixels of the area.
struct Layout {
    /// The nodes' centres.
    centres: Vec<(f64, f64)>,
    /// Each collocate and its place.
    placed: Vec<(String, (f64, f64))>,
    /// The collocates of both nodes.
    shared: Vec<String>,
}

/// A point rounded to whole pixels.
fn px(p: (f64, f64)) -> (i32, i32) {
    (p.0.round() as i32, p.1.round() as i32)
}

/// A collocate's dot (green when shared) and its label, beside the dot
/// away from the middle (above it in the middle column).
fn draw_collocate<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    c: &str,
    p: (f64, f64),
    shared: bool,
    w: f64,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let fill = if shared { colour(2) } else { RGBColor(90, 90, 90) };
    area.draw(&Circle::new(px(p), 5, fill.filled()))?;
    let (hpos, dx) = if p.0 < w / 2.0 - 1.0 {
        (HPos::Right, -8)
    } else if p.0 > w / 2.0 + 1.0 {
        (HPos::Left, 8)
    } else {
        (HPos::Center, 0)
    };
    let dy = if matches!(hpos, HPos::Center) { -12 } else { 0 };
    let (x, y) = px(p);
    area.draw(&Text::new(
        label(c, 24),
        (x + dx, y + dy),
        anchored(TEXT - 1, hpos, VPos::Center),
    ))?;
    Ok(())
}

/// Node `n`'s label in a box of its colour, centred on `(x, y)`.
fn draw_node<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    node: &str,
    n: usize,
    (x, y): (i32, i32),
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let text = label(node, 24);
    let (tw, th) = area
        .estimate_text_size(&text, &super::font(TEXT + 2))
        .unwrap_or((60, 20));
    let (hw, hh) = (tw as i32 / 2 + 10, th as i32 / 2 + 7);
    area.draw(&Rectangle::new(
        [(x - hw, y - hh), (x + hw, y + hh)],
        colour(n).filled(),
    ))?;
    area.draw(&Text::new(
        text,
        (x, y),
        anchored(TEXT + 2, HPos::Center, VPos::Center).color(&WHITE),
    ))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edge(node: usize, collocate: &str, value: f64) -> NetworkEdge {
        NetworkEdge { node, collocate: collocate.to_string(), value }
    }

    fn close(a: (f64, f64), b: (f64, f64)) -> bool {
        (a.0 - b.0).abs() < 1e-9 && (a.1 - b.1).abs() < 1e-9
    }

    #[test]
    fn layout_by_hand() {
        // One node in 400x300: centre (200, 150), reach 0.42 * 300 = 126,
        // nearest 0.45 * 126 = 56.7. The strongest collocate (x, 9) at
        // the nearest, straight up (the first slot); the weakest (y, 1)
        // at the reach, 0.618034 of a turn on from straight up.
        let n = Network {
            title: String::new(),
            nodes: vec!["a".into()],
            measure: "ll".into(),
            edges: vec![edge(0, "x", 9.0), edge(0, "y", 1.0)],
        };
        let l = n.layout(400.0, 300.0);
        assert_eq!(l.centres, [(200.0, 150.0)]);
        assert!(l.shared.is_empty());
        assert_eq!(l.placed[0].0, "x");
        assert!(close(l.placed[0].1, (200.0, 150.0 - 56.7)));
        let angle = -PI / 2.0 + 2.0 * PI * 0.618_034;
        let y = (200.0 + 126.0 * angle.cos(), 150.0 + 126.0 * angle.sin());
        assert!(close(l.placed[1].1, y));
        // Two nodes: centres at 30% and 70% of the width; a collocate of
        // both in the middle column, the only one: halfway down the
        // middle 80% of the height.
        let n = Network {
            nodes: vec!["a".into(), "b".into()],
            edges: vec![edge(0, "s", 2.0), edge(1, "s", 2.0)],
            ..n
        };
        let l = n.layout(400.0, 300.0);
        assert_eq!(l.centres, [(120.0, 150.0), (280.0, 150.0)]);
        assert_eq!(l.shared, ["s"]);
        assert_eq!(l.placed.len(), 1);
        assert!(close(l.placed[0].1, (200.0, 150.0)));
    }
}
