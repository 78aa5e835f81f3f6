//! Rank against frequency on log-log axes, with a least-squares fit of
//! Zipf's law per series.

use plotters::prelude::*;

use super::{DrawResult, Frame, TEXT, Table, colour, font, titled};
use crate::report::Cell;

/// The rank-frequency chart: one series per group.
#[derive(Debug, Clone)]
pub struct Zipf {
    /// The default title.
    pub title: String,
    /// The series.
    pub series: Vec<ZipfSeries>,
}

/// One frequency list: items in rank order.
#[derive(Debug, Clone)]
pub struct ZipfSeries {
    /// The group (empty for the whole corpus).
    pub name: String,
    /// `(rank, item, frequency)`, ranks ascending from 1.
    pub points: Vec<(u64, String, u64)>,
}

/// A least-squares line through `(log10 rank, log10 freq)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fit {
    /// The slope `b` (Zipf's exponent is `−b`; about −1 for words).
    pub slope: f64,
    /// The intercept `a`: the fitted `log10 freq` at rank 1.
    pub intercept: f64,
    /// The coefficient of determination, `R² = 1 − SS_res / SS_tot`.
    pub r2: f64,
}

impl Fit {
    /// The fitted frequency at `rank`: `10^(a + b · log10 rank)`.
    pub fn at(&self, rank: f64) -> f64 {
        10f64.powf(self.intercept + self.slope * rank.log10())
    }
}

/// Ordinary least squares of `y = log10 f` on `x = log10 r`:
/// `b = Σ(x − x̄)(y − ȳ) / Σ(x − x̄)²`, `a = ȳ − b·x̄`,
/// `R² = 1 − Σ(y − a − b·x)² / Σ(y − ȳ)²` (1 when every `y` is equal and
/// fitted exactly).
///
/// Source: Zipf 1949; the log-log least-squares fit is the usual quick
/// estimate (Baayen 2001, ch. 1), not the maximum-likelihood one
/// (Clauset, Shalizi & Newman 2009), and is labelled as such.
/// `None` with fewer than two distinct ranks; points with frequency 0
/// are left out (their log is undefined).
pub fn fit_power_law(points: &[(u64, u64)]) -> Option<Fit> {
    let xy: Vec<(f64, f64)> = points
        .iter()
        .filter(|&&(r, f)| r > 0 && f > 0)
        .map(|&(r, f)| ((r as f64).log10(), (f as f64).log10()))
        .collect();
    let n = xy.len() as f64;
    let mx = xy.iter().map(|p| p.0).sum::<f64>() / n;
    let my = xy.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = xy.iter().map(|p| (p.0 - mx).powi(2)).sum();
    if xy.len() < 2 || sxx == 0.0 {
        return None;
    }
    let sxy: f64 = xy.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let slope = sxy / sxx;
    let intercept = my - slope * mx;
    let ss_tot: f64 = xy.iter().map(|p| (p.1 - my).powi(2)).sum();
    let ss_res: f64 =
        xy.iter().map(|p| (p.1 - intercept - slope * p.0).powi(2)).sum();
    let r2 = if ss_tot == 0.0 { 1.0 } else { 1.0 - ss_res / ss_tot };
    Some(Fit { slope, intercept, r2 })
}

/// At most this many points are drawn per series: beyond rank 1,000,
/// ranks are thinned to a log-spaced selection (the fit and the table
/// use every point).
const MAX_DRAWN: usize = 2_000;

impl ZipfSeries {
    fn fit(&self) -> Option<Fit> {
        let p: Vec<(u64, u64)> =
            self.points.iter().map(|(r, _, f)| (*r, *f)).collect();
        fit_power_law(&p)
    }

    fn drawn(&self) -> Vec<(f64, f64)> {
        let mut out = Vec::new();
        let mut next = 0.0f64;
        for (r, _, f) in &self.points {
            let x = (*r as f64).log10();
            if out.len() < 1_000 || x >= next {
                out.push((*r as f64, *f as f64));
                next = x + 3.0 / MAX_DRAWN as f64;
            }
        }
        out
    }
}

impl Zipf {
    /// The data drawn, as rows.
    pub fn table(&self) -> Table {
        let columns = ["group", "rank", "item", "freq", "fitted_freq"]
            .map(String::from)
            .to_vec();
        let mut rows = Vec::new();
        for s in &self.series {
            let fit = s.fit();
            for (r, item, f) in &s.points {
                rows.push(vec![
                    Cell::Str(s.name.clone()),
                    Cell::Int(*r),
                    Cell::Str(item.clone()),
                    Cell::Int(*f),
                    Cell::opt(fit.map(|ft| ft.at(*r as f64)), 2),
                ]);
            }
        }
        Table { columns, rows }
    }

    /// The largest rank (at least 2), and the smallest frequency above
    /// 0 and the largest (each at least 1): the ends of the axes before
    /// their margins.
    pub(super) fn bounds(&self) -> (f64, f64, f64) {
        let max_rank = self
            .series
            .iter()
            .flat_map(|s| s.points.last().map(|p| p.0))
            .max()
            .unwrap_or(1)
            .max(2) as f64;
        let freqs =
            self.series.iter().flat_map(|s| s.points.iter().map(|p| p.2));
        let max_f = freqs.clone().max().unwrap_or(1).max(1) as f64;
        let min_f = freqs.filter(|&f| f > 0).min().unwrap_or(1) as f64;
        (max_rank, min_f, max_f)
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
        let (max_rank, min_f, max_f) = self.bounds();
        let mut chart = ChartBuilder::on(&area)
            .margin(12)
            .x_label_area_size(TEXT * 3)
            .y_label_area_size(TEXT * 5)
            .build_cartesian_2d(
                (0.8..max_rank * 1.25).log_scale(),
                (min_f * 0.8..max_f * 1.25).log_scale(),
            )?;
        chart
            .configure_mesh()
            .x_desc("rank (log scale)")
            .y_desc("frequency (log scale)")
            .x_label_formatter(&|v| super::number(v.round()))
            .y_label_formatter(&|v| super::number(v.round()))
            .label_style(font(TEXT))
            .axis_desc_style(font(TEXT))
            .light_line_style(RGBColor(235, 235, 235))
            .draw()?;
        for (i, s) in self.series.iter().enumerate() {
            let c = colour(i);
            let name = if s.name.is_empty() { "corpus" } else { &s.name };
            let fit = s.fit();
            let legend = match fit {
                Some(f) => format!(
                    "{}: slope {:.3}, R² {:.3} (log-log least squares)",
                    super::label_tail(name, 36),
                    f.slope,
                    f.r2
                ),
                None => super::label_tail(name, 36),
            };
            chart
                .draw_series(
                    s.drawn()
                        .into_iter()
                        .map(|p| Circle::new(p, 2, c.mix(0.6).filled())),
                )?
                .label(legend)
                .legend(move |(x, y)| Circle::new((x + 8, y), 4, c.filled()));
            if let Some(f) = fit {
                let last = s.points.last().map_or(2.0, |p| p.0 as f64);
                let line: Vec<(f64, f64)> = (0..=50)
                    .map(|k| {
                        let r = 10f64.powf(last.log10() * k as f64 / 50.0);
                        (r, f.at(r))
                    })
                    .filter(|p| p.1 >= min_f * 0.8 && p.1 <= max_f * 1.25)
                    .collect();
                chart.draw_series(LineSeries::new(line, c.stroke_width(2)))?;
            }
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.85))
            .border_style(RGBColor(180, 180, 180))
            .label_font(font(TEXT - 1))
            .draw()?;
        Ok(())
    }
}
