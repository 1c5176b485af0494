//! Is a picture blank? `.ci/report.sh` renders report.html in headless Chromium and runs this
//! test with `STATECRAFT_SCREENSHOT` set to the screenshot; without it, the test checks a chart
//! PNG rendered here instead. Either way the picture must have text (many grey levels from
//! anti-aliasing), ink on a good share of it, and the charts' blue.

use std::fs::File;
use std::path::{Path, PathBuf};

use statecraft_report::Chart;
use statecraft_report::charts::{LinePanel, Panels, Series};

/// What the check measures.
#[derive(Debug)]
struct Stats {
    width: u32,
    height: u32,
    /// Distinct RGB colours.
    colours: usize,
    /// Share of pixels that are not (near) white.
    ink: f64,
    /// Share of pixels of a clearly blue hue (the palette's first colour and its bands).
    blue: f64,
}

fn stats(path: &Path) -> Stats {
    let file = File::open(path).unwrap_or_else(|e| panic!("cannot open {}: {e}", path.display()));
    let mut decoder = png::Decoder::new(file);
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder
        .read_info()
        .unwrap_or_else(|e| panic!("{} is not a PNG: {e}", path.display()));
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("PNG frame");
    let channels = match info.color_type {
        png::ColorType::Grayscale => 1,
        png::ColorType::GrayscaleAlpha => 2,
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        png::ColorType::Indexed => panic!("indexed PNG left unexpanded"),
    };
    let data = &buf[..info.buffer_size()];
    let mut seen = std::collections::BTreeSet::new();
    let (mut ink, mut blue) = (0usize, 0usize);
    let pixels = (info.width * info.height) as usize;
    for px in data.chunks_exact(channels) {
        let (r, g, b) = if channels < 3 {
            (px[0], px[0], px[0])
        } else {
            (px[0], px[1], px[2])
        };
        seen.insert((r, g, b));
        if r.min(g).min(b) < 235 {
            ink += 1;
        }
        if i32::from(b) > i32::from(r) + 40 && i32::from(b) > i32::from(g) + 10 {
            blue += 1;
        }
    }
    Stats {
        width: info.width,
        height: info.height,
        colours: seen.len(),
        ink: ink as f64 / pixels as f64,
        blue: blue as f64 / pixels as f64,
    }
}

fn assert_not_blank(path: &Path) {
    let s = stats(path);
    assert!(
        s.width >= 200 && s.height >= 200,
        "{}: too small {s:?}",
        path.display()
    );
    assert!(
        s.colours >= 32,
        "{}: only {} colours, no anti-aliased text or chart: {s:?}",
        path.display(),
        s.colours
    );
    assert!(s.ink >= 0.01, "{}: almost all white: {s:?}", path.display());
    assert!(
        s.blue >= 0.001,
        "{}: no chart colour: {s:?}",
        path.display()
    );
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("statecraft-shot");
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir.join(name)
}

/// A small chart of one line with bands, drawn to PNG by the library.
fn sample_png() -> PathBuf {
    let x: Vec<f64> = (0..20).map(f64::from).collect();
    let y: Vec<f64> = x.iter().map(|t| 0.5 + 0.02 * t).collect();
    let chart = Chart {
        name: "sample".into(),
        title: "sample".into(),
        caption: "a line".into(),
        legend: vec![("scenario".into(), 0)],
        cols: 1,
        panel: (320, 240),
        source: None,
        panels: Panels::Lines(vec![LinePanel {
            title: "credibility".into(),
            xlabel: "round".into(),
            ylabel: "credibility (0-1)".into(),
            series: vec![Series {
                color: 0,
                outer: Some((
                    y.iter().map(|v| v - 0.1).collect(),
                    y.iter().map(|v| v + 0.1).collect(),
                )),
                x,
                y,
                ..Series::default()
            }],
            yrange: None,
        }]),
    };
    let p = tmp("sample.png");
    chart.png(&p).expect("PNG rendered");
    p
}

#[test]
fn screenshot_is_not_blank() {
    let path = match std::env::var_os("STATECRAFT_SCREENSHOT") {
        Some(p) => PathBuf::from(p),
        None => sample_png(),
    };
    assert_not_blank(&path);
}

/// The check has teeth: a white page, and a page of one flat colour, fail it.
#[test]
fn blank_pictures_fail_the_check() {
    for (name, rgb) in [
        ("white.png", [255u8, 255, 255]),
        ("grey.png", [128, 128, 200]),
    ] {
        let p = tmp(name);
        let (w, h) = (400u32, 300u32);
        let mut enc = png::Encoder::new(File::create(&p).expect("create"), w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut wr = enc.write_header().expect("header");
        let data: Vec<u8> = (0..w * h).flat_map(|_| rgb).collect();
        wr.write_image_data(&data).expect("data");
        drop(wr);
        let s = stats(&p);
        assert_eq!(s.colours, 1, "{s:?}");
        let caught = std::panic::catch_unwind(|| assert_not_blank(&p));
        assert!(caught.is_err(), "{name} passed the check: {s:?}");
    }
}
