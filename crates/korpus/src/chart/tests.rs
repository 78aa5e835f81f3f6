use super::*;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn exact_power_law_by_hand() {
    // f = 100 / r: log10 f = 2 − log10 r exactly: slope −1, a = 2, R² 1.
    let fit = fit_power_law(&[(1, 100), (10, 10), (100, 1)]).unwrap();
    assert!(close(fit.slope, -1.0));
    assert!(close(fit.intercept, 2.0));
    assert!(close(fit.r2, 1.0));
    assert!(close(fit.at(10.0), 10.0));
}

#[test]
fn inexact_power_law_by_hand() {
    // x = log10 r = 0, 1, 2; y = log10 f = 2, 1, 1 (f = 100, 10, 10).
    // x̄ = 1, ȳ = 4/3; Sxx = 2; Sxy = (−1)(2/3) + 0 + (1)(−1/3) = −1;
    // b = −0.5, a = 4/3 + 0.5 = 11/6.
    // Fitted: 11/6, 4/3, 5/6; residuals 1/6, −1/3, 1/6: SS_res = 1/6.
    // SS_tot = 4/9 + 1/9 + 1/9 = 2/3. R² = 1 − (1/6)/(2/3) = 0.75.
    let fit = fit_power_law(&[(1, 100), (10, 10), (100, 10)]).unwrap();
    assert!(close(fit.slope, -0.5));
    assert!(close(fit.intercept, 11.0 / 6.0));
    assert!(close(fit.r2, 0.75));
}

#[test]
fn degenerate_fits() {
    assert_eq!(fit_power_law(&[]), None);
    assert_eq!(fit_power_law(&[(1, 5)]), None);
    // Zero frequencies are left out, leaving one point.
    assert_eq!(fit_power_law(&[(1, 5), (2, 0)]), None);
    // Equal frequencies: a flat line fitted exactly.
    let flat = fit_power_law(&[(1, 3), (2, 3), (3, 3)]).unwrap();
    assert!(close(flat.slope, 0.0) && close(flat.r2, 1.0));
}

#[test]
fn labels_are_made_safe() {
    assert_eq!(label("a\u{1}b", 10), "a\\u{1}b");
    assert_eq!(label("a\x1b[2J\u{9b}\u{202e}", 10), "a\\e[2J\\u{9b}\\u{202e}");
    assert_eq!(label("ab\x1bcdef", 4), "ab\\e…");
    assert_eq!(label("abcdef", 4), "abc…");
    assert_eq!(label("abcd", 4), "abcd");
    assert_eq!(label_tail("dir/file.txt", 8), "…ile.txt");
    assert_eq!(label_tail("file.txt", 8), "file.txt");
}

#[test]
fn xml_safe_shows_what_xml_forbids() {
    assert_eq!(xml_safe("<t>a\tb\nc</t>"), "<t>a\tb\nc</t>");
    assert_eq!(
        xml_safe("<t>\x1b[2J\u{0}\u{7f}\u{85}\u{fffe}</t>"),
        "<t>\\e[2J\\u{0}\\u{7f}\\u{85}\\u{fffe}</t>"
    );
}

#[test]
fn the_embedded_font_parses() {
    assert!(ab_glyph_parses(FONT));
}

fn ab_glyph_parses(bytes: &'static [u8]) -> bool {
    plotters::style::register_font("korpus-test", FontStyle::Normal, bytes)
        .is_ok()
}

fn bars(items: &[(&str, f64)]) -> Chart {
    Chart::Bars(Bars {
        title: "Top words".into(),
        axis: "frequency".into(),
        column: "freq".into(),
        decimals: 0,
        panels: vec![Panel {
            name: String::new(),
            bars: items.iter().map(|(l, v)| (l.to_string(), *v)).collect(),
        }],
        diverging: None,
    })
}

fn frame() -> Frame {
    Frame { width: 640, height: 400, title: None }
}

#[test]
fn svg_holds_the_items_escaped() {
    let chart = bars(&[("<script>", 10.0), ("a&b", 4.0), ("Tiongkok", 2.0)]);
    let svg =
        String::from_utf8(chart.render(&frame(), ImageFormat::Svg).unwrap())
            .unwrap();
    assert!(svg.contains("&lt;script&gt;"));
    assert!(!svg.contains("<script>"));
    assert!(svg.contains("a&amp;b"));
    assert!(svg.contains("Tiongkok"));
    assert!(svg.contains("frequency"));
}

#[test]
fn png_has_the_size_and_is_not_blank() {
    let chart = bars(&[("yang", 10.0), ("dan", 4.0)]);
    let png = chart.render(&frame(), ImageFormat::Png).unwrap();
    let dec = png::Decoder::new(std::io::Cursor::new(png));
    let mut reader = dec.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), (640, 400));
    let px = &buf[..info.buffer_size()];
    let distinct: crate::hash::Set<&[u8]> = px.chunks(3).collect();
    assert!(distinct.len() > 10, "{} colours", distinct.len());
}

#[test]
fn empty_charts_are_an_error() {
    let e = bars(&[]).render(&frame(), ImageFormat::Svg).unwrap_err();
    assert!(e.to_string().contains("nothing to draw"), "{e}");
}

#[test]
fn formats_from_extensions() {
    assert_eq!(
        ImageFormat::from_path(Path::new("a.SVG")),
        Some(ImageFormat::Svg)
    );
    assert_eq!(
        ImageFormat::from_path(Path::new("a.png")),
        Some(ImageFormat::Png)
    );
    assert_eq!(ImageFormat::from_path(Path::new("a.pdf")), None);
}

#[test]
fn zipf_axes_end_at_the_largest_rank_and_the_extreme_frequencies() {
    let series = |name: &str, points: &[(u64, u64)]| ZipfSeries {
        name: name.to_string(),
        points: points.iter().map(|&(r, f)| (r, String::new(), f)).collect(),
    };
    // Ranks up to 3 and 5 (last points); frequencies 10, 5, 0 and 7, 2:
    // the smallest above 0 is 2.
    let z = Zipf {
        title: String::new(),
        series: vec![
            series("a", &[(1, 10), (2, 5), (3, 0)]),
            series("b", &[(1, 7), (5, 2)]),
        ],
    };
    assert_eq!(z.bounds(), (5.0, 2.0, 10.0));
    // One point: the rank axis still reaches 2; one frequency is both.
    let z = Zipf { title: String::new(), series: vec![series("", &[(1, 4)])] };
    assert_eq!(z.bounds(), (2.0, 4.0, 4.0));
    // Nothing: 1 for both frequencies.
    let z = Zipf { title: String::new(), series: vec![] };
    assert_eq!(z.bounds(), (2.0, 1.0, 1.0));
}
