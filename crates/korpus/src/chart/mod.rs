//! Charts for papers, drawn with plotters from the rows a command
//! prints: word-list bars, rank-frequency (Zipf), concordance plots,
//! keyness (diverging bars), collocate bars and networks, variant shares.
//!
//! A [`Chart`] holds the data it draws; [`Chart::table`] gives that data
//! as rows (written beside the chart, so a paper can cite the numbers)
//! and [`Chart::render`] draws it to SVG or PNG bytes in memory, so the
//! caller can write the file atomically.
//!
//! Text is laid out with DejaVu Sans, embedded in the binary (Bitstream
//! Vera licence, `assets/fonts/LICENSE`): a PNG renders the same on a
//! machine with no fonts installed. Characters the font lacks (CJK, for
//! one) are drawn as the font's empty box, visibly, never dropped.
//! An SVG names the `DejaVu Sans, sans-serif` family and leaves drawing
//! the glyphs to the viewer; all text in it is XML-escaped by plotters'
//! SVG backend, and control characters (which XML 1.0 forbids even
//! escaped) and bidi overrides are shown as text (`\e`, `\u{9b}`,
//! `\u{202e}`), in the labels and again over the whole SVG
//! ([`xml_safe`]), so every SVG korpus writes is well-formed XML.
//!
//! Colours are the Okabe–Ito palette, distinguishable with the common
//! colour-vision deficiencies.

mod bars;
mod network;
mod plot;
mod rows;
mod shares;
mod zipf;

use std::error::Error as StdError;
use std::path::Path;
use std::sync::Once;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::error::{Error, Result};
/// A chart's data as rows (what is written beside the chart): the
/// one table type, [`crate::report::Table`].
pub use crate::report::Table;
use crate::report::show_controls;
/// The last guard over a whole SVG (in [`crate::report`], which the HTML
/// page shares).
pub use crate::report::xml_safe;

pub use bars::{Bars, Panel};
pub use network::{Network, NetworkEdge};
pub use plot::{ConcordancePlot, PlotRow};
pub use rows::{BarsError, BarsFrom, MAX_PANELS, axis_label};
pub use shares::{ShareSet, ShareStyle, Shares};
pub use zipf::{Fit, Zipf, ZipfSeries, fit_power_law};

/// The embedded font.
static FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// The family name registered for the embedded font; in an SVG it is
/// the CSS `font-family`, with the viewer's sans-serif as the fallback.
const FAMILY: &str = "DejaVu Sans, sans-serif";

/// Okabe & Ito (2008), "Color Universal Design": blue, orange, bluish
/// green, vermillion, sky blue, reddish purple, yellow, black.
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0xCC, 0x79, 0xA7),
    RGBColor(0xF0, 0xE4, 0x42),
    RGBColor(0x00, 0x00, 0x00),
];

/// The colour of series `i` (cycling through [`PALETTE`]).
pub fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// Base type size in pixels; titles are larger, tick labels the same.
const TEXT: u32 = 15;
const TITLE: u32 = 20;

/// The image format, chosen by the file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    /// Scalable vector graphics: for papers.
    Svg,
    /// A bitmap, RGB, 8 bits per channel.
    Png,
}

impl ImageFormat {
    /// The format for `path`'s extension (`.svg` or `.png`, any case).
    pub fn from_path(path: &Path) -> Option<ImageFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "svg" => Some(ImageFormat::Svg),
            "png" => Some(ImageFormat::Png),
            _ => None,
        }
    }
}

/// The canvas: size in pixels and an optional title.
#[derive(Debug, Clone)]
pub struct Frame {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The title drawn at the top (each chart has a default).
    pub title: Option<String>,
}

/// A chart of one of the kinds korpus draws.
#[derive(Debug, Clone)]
pub enum Chart {
    /// Horizontal bars (word lists, collocates, keywords).
    Bars(Bars),
    /// Rank against frequency on log-log axes with the fitted slope.
    Zipf(Zipf),
    /// Ticks at each hit's relative position, a row per part.
    Plot(ConcordancePlot),
    /// A node (or two) with its collocates around it.
    Network(Network),
    /// Shares of variants per group.
    Shares(Shares),
}

type DrawResult = std::result::Result<(), Box<dyn StdError>>;

impl Chart {
    /// The data drawn, as rows.
    pub fn table(&self) -> Table {
        match self {
            Chart::Bars(c) => c.table(),
            Chart::Zipf(c) => c.table(),
            Chart::Plot(c) => c.table(),
            Chart::Network(c) => c.table(),
            Chart::Shares(c) => c.table(),
        }
    }

    /// Whether there is nothing to draw (the table would have no row),
    /// without building the table.
    pub fn is_empty(&self) -> bool {
        match self {
            Chart::Bars(c) => c.panels.iter().all(|p| p.bars.is_empty()),
            Chart::Zipf(c) => c.series.iter().all(|s| s.points.is_empty()),
            Chart::Plot(c) => c.rows.is_empty(),
            Chart::Network(c) => c.edges.is_empty(),
            Chart::Shares(c) => c
                .sets
                .iter()
                .all(|s| s.groups.is_empty() || s.variants.is_empty()),
        }
    }

    /// Draws the chart. An empty chart is an error ([`Error::Empty`]),
    /// never an empty picture.
    pub fn render(
        &self,
        frame: &Frame,
        format: ImageFormat,
    ) -> Result<Vec<u8>> {
        if self.is_empty() {
            return Err(Error::Empty(
                "nothing to draw: the table is empty (check the query and the thresholds)".to_string(),
            ));
        }
        if frame.width < 200
            || frame.height < 150
            || frame.width > 10_000
            || frame.height > 10_000
        {
            return Err(Error::Usage(format!(
                "a chart must be from 200x150 to 10000x10000 pixels, not {}x{}",
                frame.width, frame.height
            )));
        }
        register_font();
        let size = (frame.width, frame.height);
        let failed = |e: Box<dyn StdError>| {
            Error::Usage(format!("drawing the chart failed: {e}"))
        };
        match format {
            ImageFormat::Svg => {
                let mut svg = String::new();
                {
                    let root = SVGBackend::with_string(&mut svg, size)
                        .into_drawing_area();
                    self.draw(&root, frame).map_err(failed)?;
                    root.present().map_err(|e| failed(e.into()))?;
                }
                Ok(xml_safe(&svg).into_owned().into_bytes())
            }
            ImageFormat::Png => {
                let mut rgb = vec![0u8; (size.0 * size.1 * 3) as usize];
                {
                    let root = BitMapBackend::with_buffer(&mut rgb, size)
                        .into_drawing_area();
                    self.draw(&root, frame).map_err(failed)?;
                    root.present().map_err(|e| failed(e.into()))?;
                }
                encode_png(&rgb, size)
            }
        }
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, plotters::coord::Shift>,
        frame: &Frame,
    ) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        root.fill(&WHITE)?;
        match self {
            Chart::Bars(c) => c.draw(root, frame),
            Chart::Zipf(c) => c.draw(root, frame),
            Chart::Plot(c) => c.draw(root, frame),
            Chart::Network(c) => c.draw(root, frame),
            Chart::Shares(c) => c.draw(root, frame),
        }
    }
}

/// Encodes an RGB buffer as PNG.
fn encode_png(rgb: &[u8], (w, h): (u32, u32)) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let err = |e: png::EncodingError| {
        Error::Usage(format!("encoding the PNG failed: {e}"))
    };
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc.write_header().map_err(err)?;
        writer.write_image_data(rgb).map_err(err)?;
    }
    Ok(out)
}

fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The font is compiled in and known to parse (a unit test checks).
        let _ =
            plotters::style::register_font(FAMILY, FontStyle::Normal, FONT);
    });
}

/// The text style of size `px`.
fn font(px: u32) -> TextStyle<'static> {
    TextStyle::from((FAMILY, px).into_font()).color(&BLACK)
}

/// `font(px)` anchored at `h`, `v`.
fn anchored(px: u32, h: HPos, v: VPos) -> TextStyle<'static> {
    font(px).pos(Pos::new(h, v))
}

/// Text from the corpus, made safe to draw: control characters (not
/// allowed in XML) and bidi overrides are shown as text, as the table
/// format does ([`show_controls`]: `\e`, `\u{9b}`), and text longer
/// than `max` characters is cut with an ellipsis.
pub fn label(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return show_controls(s).into_owned();
    }
    // Cut before the characters are shown, so an `\e` is never halved.
    let kept: String = s.chars().take(max.saturating_sub(1)).collect();
    let mut out = show_controls(&kept).into_owned();
    out.push('…');
    out
}

/// Like [`label`], but a long text keeps its end (file names in paths).
pub fn label_tail(s: &str, max: usize) -> String {
    let n = s.chars().count();
    if n <= max {
        return label(s, max);
    }
    let tail: String = s.chars().skip(n + 1 - max).collect();
    format!("…{}", label(&tail, max))
}

/// A number for a label: whole numbers without decimals, others with
/// up to three significant decimals.
fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else if v.abs() >= 100.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// The widest of `texts` in pixels at size `px`.
fn widest<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    texts: impl Iterator<Item = String>,
    px: u32,
) -> u32 {
    let style = font(px);
    texts
        .map(|t| area.estimate_text_size(&t, &style).map_or(0, |(w, _)| w))
        .max()
        .unwrap_or(0)
}

/// Draws the title at the top centre and returns the area below it.
fn titled<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    title: &str,
) -> std::result::Result<
    DrawingArea<DB, plotters::coord::Shift>,
    Box<dyn StdError>,
>
where
    DB::ErrorType: 'static,
{
    let (w, _) = root.dim_in_pixel();
    root.draw(&Text::new(
        label(title, 120),
        (w as i32 / 2, 8),
        anchored(TITLE, HPos::Center, VPos::Top),
    ))?;
    Ok(root.margin(TITLE + 16, 0, 0, 0))
}

#[cfg(test)]
mod tests;
