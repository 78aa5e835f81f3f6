//! Shares of the variants of a variable per group (year, outlet, ...):
//! stacked bars, or lines with 95% Wilson intervals.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::{
    DrawResult, Frame, TEXT, Table, anchored, colour, font, label, titled,
};
use crate::report::Cell;
use crate::variants::share_interval;

/// How shares are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShareStyle {
    /// One bar per group, its variants stacked to 100%.
    Stacked,
    /// One line per variant across the groups, with the 95% Wilson
    /// interval of each share as an error bar.
    Lines,
}

/// Variant shares for one or more variables, a panel each.
#[derive(Debug, Clone)]
pub struct Shares {
    /// The default title.
    pub title: String,
    /// Stacked bars or lines.
    pub style: ShareStyle,
    /// The variables.
    pub sets: Vec<ShareSet>,
}

/// One variable: its variants' counts per group.
#[derive(Debug, Clone)]
pub struct ShareSet {
    /// The variable (`Tiongkok|China|Cina`).
    pub name: String,
    /// The variants.
    pub variants: Vec<String>,
    /// Groups in order, with one count per variant.
    pub groups: Vec<(String, Vec<u64>)>,
}

impl Shares {
    /// The data drawn, as rows.
    pub fn table(&self) -> Table {
        let columns = [
            "set", "group", "variant", "count", "share", "ci_low", "ci_high",
            "total",
        ]
        .map(String::from)
        .to_vec();
        let mut rows = Vec::new();
        for s in &self.sets {
            for (g, counts) in &s.groups {
                let total: u64 = counts.iter().sum();
                for (v, &k) in s.variants.iter().zip(counts) {
                    let ci = share_interval(k, total);
                    rows.push(vec![
                        Cell::Str(s.name.clone()),
                        Cell::Str(g.clone()),
                        Cell::Str(v.clone()),
                        Cell::Int(k),
                        Cell::opt(
                            (total > 0).then(|| k as f64 / total as f64),
                            4,
                        ),
                        Cell::opt(ci.map(|c| c.0), 4),
                        Cell::opt(ci.map(|c| c.1), 4),
                        Cell::Int(total),
                    ]);
                }
            }
        }
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
        let panels = area.split_evenly((self.sets.len(), 1));
        for (set, panel) in self.sets.iter().zip(&panels) {
            self.draw_set(set, panel)?;
        }
        Ok(())
    }

    fn draw_set<DB: DrawingBackend>(
        &self,
        set: &ShareSet,
        area: &DrawingArea<DB, plotters::coord::Shift>,
    ) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let g = set.groups.len();
        if g == 0 {
            return Ok(());
        }
        draw_legend(area, &set.variants)?;
        let area = area.margin(TEXT + 10, 0, 0, 0);
        let names: Vec<String> =
            set.groups.iter().map(|(n, _)| super::label_tail(n, 30)).collect();
        let widest = super::widest(&area, names.iter().cloned(), TEXT - 2);
        let (w, _) = area.dim_in_pixel();
        let room = (w.saturating_sub(90) / g as u32).max(1);
        let every = (widest + 10).div_ceil(room).max(1) as usize;
        let mut chart = ChartBuilder::on(&area)
            .margin(8)
            .caption(label(&set.name, 60), font(TEXT + 1))
            .x_label_area_size(TEXT * 2 + 8)
            .y_label_area_size(TEXT * 4)
            .build_cartesian_2d(-0.5..g as f64 - 0.5, 0.0..1.0)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .y_labels(6)
            .y_label_formatter(&|v| format!("{:.0}%", v * 100.0))
            .y_desc("share of the variable's occurrences")
            .label_style(font(TEXT))
            .axis_desc_style(font(TEXT))
            .max_light_lines(0)
            .draw()?;
        let base = area.get_base_pixel();
        for (i, name) in names.iter().enumerate().step_by(every) {
            let (px, py) = chart.backend_coord(&(i as f64, 0.0));
            area.draw(&Text::new(
                name.clone(),
                (px - base.0, py - base.1 + 6),
                anchored(TEXT - 2, HPos::Center, VPos::Top),
            ))?;
        }
        match self.style {
            ShareStyle::Stacked => draw_stacked(&mut chart, set)?,
            ShareStyle::Lines => draw_lines(&mut chart, set)?,
        }
        Ok(())
    }
}

/// The chart of one variable's shares: groups along x, shares 0 to 1.
type SharesChart<'a, DB> = ChartContext<
    'a,
    DB,
    Cartesian2d<
        plotters::coord::types::RangedCoordf64,
        plotters::coord::types::RangedCoordf64,
    >,
>;

/// The legend: a swatch per variant along the top.
fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    variants: &[String],
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let mut x = 70;
    for (i, v) in variants.iter().enumerate() {
        let text = label(v, 30);
        let (tw, _) =
            area.estimate_text_size(&text, &font(TEXT)).unwrap_or((60, 0));
        super::bars::swatch(area, (x, 4), colour(i), &text, HPos::Left)?;
        x += TEXT as i32 + 18 + tw as i32;
    }
    Ok(())
}

/// A bar per group, its variants' shares stacked (groups without
/// occurrences left empty).
fn draw_stacked<DB: DrawingBackend>(
    chart: &mut SharesChart<'_, DB>,
    set: &ShareSet,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    for (i, (_, counts)) in set.groups.iter().enumerate() {
        let total: u64 = counts.iter().sum();
        if total == 0 {
            continue;
        }
        let sh: Vec<f64> =
            counts.iter().map(|&k| k as f64 / total as f64).collect();
        let mut bottom = 0.0;
        let x = i as f64;
        for (v, s) in sh.iter().enumerate() {
            chart.draw_series(std::iter::once(Rectangle::new(
                [(x - 0.38, bottom), (x + 0.38, bottom + s)],
                colour(v).filled(),
            )))?;
            bottom += s;
        }
    }
    Ok(())
}

/// A line per variant across the groups, with its Wilson intervals; a
/// group without occurrences breaks the line.
fn draw_lines<DB: DrawingBackend>(
    chart: &mut SharesChart<'_, DB>,
    set: &ShareSet,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let nv = set.variants.len();
    for v in 0..nv {
        let c = colour(v);
        // Variants side by side, so their intervals do not hide each
        // other.
        let dodge = (v as f64 - (nv as f64 - 1.0) / 2.0) * 0.05;
        let pts: Vec<(f64, f64, (f64, f64))> = set
            .groups
            .iter()
            .enumerate()
            .filter_map(|(i, (_, counts))| {
                let total: u64 = counts.iter().sum();
                let ci = share_interval(counts[v], total)?;
                Some((i as f64 + dodge, counts[v] as f64 / total as f64, ci))
            })
            .collect();
        for run in pts.chunk_by(|a, b| (b.0 - a.0 - 1.0).abs() < 1e-9) {
            chart.draw_series(LineSeries::new(
                run.iter().map(|p| (p.0, p.1)),
                c.stroke_width(2),
            ))?;
        }
        chart.draw_series(
            pts.iter().map(|p| Circle::new((p.0, p.1), 4, c.filled())),
        )?;
        for &(x, _, (lo, hi)) in &pts {
            let cap = 0.08;
            for seg in [
                vec![(x, lo), (x, hi)],
                vec![(x - cap, lo), (x + cap, lo)],
                vec![(x - cap, hi), (x + cap, hi)],
            ] {
                chart.draw_series(std::iter::once(PathElement::new(
                    seg,
                    c.stroke_width(1),
                )))?;
            }
        }
    }
    Ok(())
}
