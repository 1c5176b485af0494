//! Charts as data ([`Chart`]) and their drawing with plotters, on any backend: the same code
//! writes the SVG (inline in the HTML and in `plots/`) and, on request, the PNG.
//!
//! Text is set in the embedded DejaVu Sans ([`FAMILY`]), registered with plotters' ab_glyph
//! font support, so neither backend looks up a system font.

use std::sync::Once;

use crate::error::{Error, Result};
use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The font family the charts name: the embedded font is registered under this name, and SVG
/// viewers that lack DejaVu Sans fall back to their own sans-serif.
pub const FAMILY: &str = "DejaVu Sans, Verdana, Arial, sans-serif";

/// The embedded DejaVu Sans (also set by the PNG backend, [`crate::png`]).
pub(crate) static FONT_BYTES: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");

/// Registers the embedded font (once per process).
pub fn register_font() -> Result<()> {
    static ONCE: Once = Once::new();
    let mut ok = true;
    ONCE.call_once(|| {
        ok = plotters::style::register_font(FAMILY, FontStyle::Normal, FONT_BYTES).is_ok();
    });
    if ok {
        Ok(())
    } else {
        Err(Error::Draw(
            "the embedded DejaVu Sans font could not be read".into(),
        ))
    }
}

/// Colour-blind-safe palette (Okabe & Ito), without its yellow.
pub const PALETTE: [RGBColor; 7] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(60, 60, 60),
];

/// Palette colour `k` (cycling).
pub fn color(k: usize) -> RGBColor {
    PALETTE[k % PALETTE.len()]
}

/// A line of a [`LinePanel`], with optional bands and marker.
#[derive(Clone, Debug, Default)]
pub struct Series {
    /// Palette index.
    pub color: usize,
    /// Abscissae.
    pub x: Vec<f64>,
    /// Ordinates of the line.
    pub y: Vec<f64>,
    /// Outer band (e.g. 5th to 95th percentile), lower and upper.
    pub outer: Option<(Vec<f64>, Vec<f64>)>,
    /// Inner band (e.g. 25th to 75th percentile), lower and upper.
    pub inner: Option<(Vec<f64>, Vec<f64>)>,
    /// A vertical dashed marker at this abscissa (e.g. the median).
    pub vline: Option<f64>,
    /// Scatter points drawn as small dots under the line (x, y): a non-grid sweep's points.
    pub points: Option<(Vec<f64>, Vec<f64>)>,
}

/// One panel of lines.
#[derive(Clone, Debug, Default)]
pub struct LinePanel {
    /// Panel title.
    pub title: String,
    /// X axis label, with unit.
    pub xlabel: String,
    /// Y axis label, with unit.
    pub ylabel: String,
    /// The lines.
    pub series: Vec<Series>,
    /// Fixed y range, if any.
    pub yrange: Option<(f64, f64)>,
}

/// One stacked-area panel: shares per round that add up to 1.
#[derive(Clone, Debug)]
pub struct StackPanel {
    /// Panel title.
    pub title: String,
    /// `shares[k][t]`: share of layer k at round t.
    pub shares: Vec<Vec<f64>>,
}

/// A horizontal bar or interval of a [`BarPanel`].
#[derive(Clone, Debug)]
pub struct Bar {
    /// Palette index.
    pub color: usize,
    /// Value (bar length from 0, or the dot).
    pub value: f64,
    /// Interval, if any.
    pub interval: Option<(f64, f64)>,
}

/// One panel of labelled horizontal bars (tornado) or dots with intervals (ranking).
#[derive(Clone, Debug)]
pub struct BarPanel {
    /// Panel title.
    pub title: String,
    /// X axis label, with unit.
    pub xlabel: String,
    /// Row labels, top to bottom.
    pub labels: Vec<String>,
    /// Per row, its bars (drawn side by side in the row).
    pub bars: Vec<Vec<Bar>>,
    /// Bars from 0 (`true`) or dots (`false`).
    pub from_zero: bool,
}

/// One heat map panel.
#[derive(Clone, Debug)]
pub struct HeatPanel {
    /// Panel title.
    pub title: String,
    /// Label of the rows' variable.
    pub row_title: String,
    /// Label of the columns' variable.
    pub col_title: String,
    /// Row labels, top to bottom.
    pub rows: Vec<String>,
    /// Column labels, left to right.
    pub cols: Vec<String>,
    /// `values[r][c]`.
    pub values: Vec<Vec<Option<f64>>>,
}

/// What a chart draws: small multiples of one kind of panel, with a legend strip on top.
#[derive(Clone, Debug)]
pub enum Panels {
    /// Lines, bands and markers.
    Lines(Vec<LinePanel>),
    /// Stacked shares over rounds.
    Stacks(Vec<StackPanel>),
    /// Horizontal bars or intervals.
    Bars(Vec<BarPanel>),
    /// Heat maps.
    Heat(Vec<HeatPanel>),
}

/// A figure: its file name, title and caption for the report, and what to draw.
#[derive(Clone, Debug)]
pub struct Chart {
    /// File stem in `plots/` (no extension).
    pub name: String,
    /// Heading in the report.
    pub title: String,
    /// One line saying what it shows.
    pub caption: String,
    /// Legend entries: label and palette index.
    pub legend: Vec<(String, usize)>,
    /// Panels per row.
    pub cols: usize,
    /// Size of one panel in pixels.
    pub panel: (u32, u32),
    /// The panels.
    pub panels: Panels,
    /// For a chart of one folder's analysis file, that folder's index (its table is shown
    /// beside the chart).
    pub source: Option<usize>,
}

const LEGEND_H: u32 = 34;

impl Chart {
    fn n_panels(&self) -> usize {
        match &self.panels {
            Panels::Lines(p) => p.len(),
            Panels::Stacks(p) => p.len(),
            Panels::Bars(p) => p.len(),
            Panels::Heat(p) => p.len(),
        }
    }

    fn grid(&self) -> (usize, usize) {
        let n = self.n_panels().max(1);
        let cols = self.cols.clamp(1, n);
        (n.div_ceil(cols), cols)
    }

    /// Size of the whole figure in pixels (SVG; the PNG is twice as large).
    pub fn size(&self) -> (u32, u32) {
        let (rows, cols) = self.grid();
        let width = self.panel.0 * cols as u32;
        let legend = legend_layout(&self.legend, f64::from(width)).1;
        (width, self.panel.1 * rows as u32 + legend * LEGEND_H)
    }

    /// The chart as an SVG document.
    pub fn svg(&self) -> Result<String> {
        register_font()?;
        let mut buf = String::new();
        {
            let root = SVGBackend::with_string(&mut buf, self.size()).into_drawing_area();
            self.draw(&root, 1)?;
            root.present()?;
        }
        Ok(buf)
    }

    /// The chart as a PNG file at `path` (rendered at twice the SVG's size, for print; text
    /// set by [`crate::png::Png`]).
    pub fn png(&self, path: &std::path::Path) -> Result<()> {
        register_font()?;
        let (w, h) = self.size();
        let root = crate::png::Png(BitMapBackend::new(path, (2 * w, 2 * h))).into_drawing_area();
        self.draw(&root, 2)?;
        root.present()
            .map_err(|e| Error::Draw(format!("cannot write {}: {e}", path.display())))?;
        Ok(())
    }

    /// Draws the figure on `root`, every size in pixels multiplied by `k`.
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, k: u32) -> Result<()>
    where
        DB::ErrorType: 'static,
    {
        root.fill(&WHITE)?;
        let lines = legend_layout(&self.legend, f64::from(self.size().0)).1;
        let body = if lines == 0 {
            root.clone()
        } else {
            let (top, body) = root.split_vertically(LEGEND_H * lines * k);
            legend(&top, &self.legend, f64::from(self.size().0), k)?;
            body
        };
        let (rows, cols) = self.grid();
        let areas = body.split_evenly((rows, cols));
        let s = Style { k: f64::from(k) };
        match &self.panels {
            Panels::Lines(ps) => {
                for (p, a) in ps.iter().zip(&areas) {
                    line_panel(a, p, &s)?;
                }
            }
            Panels::Stacks(ps) => {
                for (p, a) in ps.iter().zip(&areas) {
                    stack_panel(a, p, &s)?;
                }
            }
            Panels::Bars(ps) => {
                for (p, a) in ps.iter().zip(&areas) {
                    bar_panel(a, p, &s)?;
                }
            }
            Panels::Heat(ps) => {
                for (p, a) in ps.iter().zip(&areas) {
                    heat_panel(a, p, &s)?;
                }
            }
        }
        Ok(())
    }
}

/// Pixel sizes of one rendering.
struct Style {
    k: f64,
}

impl Style {
    fn px(&self, x: f64) -> u32 {
        (x * self.k).round() as u32
    }
    fn font(&self, size: f64) -> TextStyle<'static> {
        TextStyle::from((FAMILY, size * self.k)).color(&BLACK)
    }
    fn grey(&self, size: f64) -> TextStyle<'static> {
        TextStyle::from((FAMILY, size * self.k)).color(&RGBColor(70, 70, 70))
    }
}

/// A number for an axis or a cell: at most four significant digits, no trailing zeros.
pub fn fmt_num(v: f64) -> String {
    if !v.is_finite() {
        return String::new();
    }
    let a = v.abs();
    if a == 0.0 || a < 1e-12 {
        return "0".into();
    }
    if !(1e-3..1e6).contains(&a) {
        return format!("{v:.2e}");
    }
    let digits = (3 - a.log10().floor() as i32).clamp(0, 6) as usize;
    let s = format!("{v:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Tick labels for an axis from `lo` to `hi`: enough decimals to tell ticks about a fifth of
/// the range apart, no trailing zeros; scientific notation for very large or small numbers.
pub fn axis_fmt(lo: f64, hi: f64) -> impl Fn(&f64) -> String {
    let step = ((hi - lo) / 5.0).abs();
    let big = lo.abs().max(hi.abs());
    move |v: &f64| {
        let v = *v;
        if !v.is_finite() {
            return String::new();
        }
        if v.abs() < 1e-9 * big.max(1e-300) {
            return "0".into();
        }
        if !(1e-3..1e6).contains(&big) {
            return format!("{v:.2e}");
        }
        let digits = if step > 0.0 {
            (-step.log10()).ceil().clamp(0.0, 8.0) as usize
        } else {
            3
        };
        let s = format!("{v:.digits$}");
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    }
}

/// The largest magnitude an axis reaches: values beyond it (near `f64::MAX`) are drawn at its
/// edge, so that the padded range, its width and the ticks stay finite (an infinite range made
/// the chart library loop forever).
const AXIS_LIMIT: f64 = 1e300;

/// A range that contains every finite value of `xs` (clamped to ±[`AXIS_LIMIT`]), padded by
/// 4%; a single value gets a window around it. Always finite, with `lo < hi`.
pub(crate) fn span<'a>(xs: impl Iterator<Item = &'a f64>) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for &x in xs {
        if x.is_finite() {
            let x = x.clamp(-AXIS_LIMIT, AXIS_LIMIT);
            lo = lo.min(x);
            hi = hi.max(x);
        }
    }
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    let w = hi - lo;
    if w <= 1e-12 * lo.abs().max(1.0) {
        // One value: 0 (a count no run reached) at the left edge of [0, 1], not in the middle
        // of [-1, 1]; another one in the middle of ±10% of it.
        if lo == 0.0 {
            return (0.0, 1.0);
        }
        let d = 0.1 * lo.abs();
        return (lo - d, hi + d);
    }
    (lo - 0.04 * w, hi + 0.04 * w)
}

/// Width of a legend entry (swatch, gap, text at 13 px, spacing), estimated from the text's
/// length so that the SVG and the PNG wrap alike.
fn legend_entry_width(label: &str) -> f64 {
    18.0 + 6.0 + 7.6 * label.chars().count() as f64 + 22.0
}

/// Where each legend entry goes (line, x) in a figure `width` wide, and how many lines.
fn legend_layout(items: &[(String, usize)], width: f64) -> (Vec<(u32, f64)>, u32) {
    let mut pos = Vec::new();
    let (mut line, mut x) = (0u32, 12.0);
    for (label, _) in items {
        let w = legend_entry_width(label);
        if x > 12.0 && x + w > width {
            line += 1;
            x = 12.0;
        }
        pos.push((line, x));
        x += w;
    }
    let lines = if items.is_empty() { 0 } else { line + 1 };
    (pos, lines)
}

fn legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    items: &[(String, usize)],
    width: f64,
    k: u32,
) -> Result<()>
where
    DB::ErrorType: 'static,
{
    let s = Style { k: f64::from(k) };
    let font = s.font(13.0).pos(Pos::new(HPos::Left, VPos::Center));
    let (pos, _) = legend_layout(items, width);
    for ((label, c), (line, x)) in items.iter().zip(pos) {
        let x = s.px(x) as i32;
        let y = s.px(f64::from(LEGEND_H) * (f64::from(line) + 0.5)) as i32;
        let w = s.px(18.0) as i32;
        let h = s.px(6.0) as i32;
        area.draw(&Rectangle::new(
            [(x, y - h), (x + w, y + h)],
            color(*c).filled(),
        ))?;
        area.draw(&Text::new(
            label.clone(),
            (x + w + s.px(6.0) as i32, y),
            font.clone(),
        ))?;
    }
    Ok(())
}

fn line_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    p: &LinePanel,
    s: &Style,
) -> Result<()>
where
    DB::ErrorType: 'static,
{
    let xs = p.series.iter().flat_map(|q| {
        q.x.iter()
            .chain(q.points.iter().flat_map(|(px, _)| px.iter()))
    });
    let (x0, x1) = span(xs);
    let (y0, y1) = match p.yrange {
        Some((lo, hi)) if lo.is_finite() && hi.is_finite() && lo < hi => (lo, hi),
        Some(_) => (0.0, 1.0),
        None => {
            let mut all: Vec<f64> = Vec::new();
            for q in &p.series {
                all.extend(&q.y);
                if let Some((lo, hi)) = &q.outer {
                    all.extend(lo);
                    all.extend(hi);
                }
                if let Some((_, py)) = &q.points {
                    all.extend(py);
                }
            }
            span(all.iter())
        }
    };
    let mut chart = ChartBuilder::on(area)
        .caption(&p.title, s.font(14.0))
        .margin(s.px(8.0))
        .x_label_area_size(s.px(38.0))
        .y_label_area_size(s.px(58.0))
        .build_cartesian_2d(x0..x1, y0..y1)?;
    chart
        .configure_mesh()
        .x_desc(&p.xlabel)
        .y_desc(&p.ylabel)
        .x_labels(5)
        .y_labels(5)
        .x_label_formatter(&axis_fmt(x0, x1))
        .y_label_formatter(&axis_fmt(y0, y1))
        .label_style(s.grey(11.0))
        .axis_desc_style(s.font(11.5))
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(225, 225, 225))
        .draw()?;
    bands(&mut chart, &p.series, s)?;
    for q in &p.series {
        if let Some((px, py)) = &q.points {
            let c = color(q.color);
            chart.draw_series(
                px.iter()
                    .zip(py)
                    .filter(|(a, b)| a.is_finite() && b.is_finite())
                    .map(|(a, b)| Circle::new((*a, *b), s.px(2.2), c.mix(0.55).filled())),
            )?;
        }
    }
    for q in &p.series {
        let c = color(q.color);
        let pts: Vec<(f64, f64)> =
            q.x.iter()
                .copied()
                .zip(q.y.iter().copied())
                .filter(|(a, b)| a.is_finite() && b.is_finite())
                .collect();
        chart.draw_series(LineSeries::new(pts, c.stroke_width(s.px(2.0))))?;
        if let Some(m) = q.vline {
            chart.draw_series(DashedLineSeries::new(
                [(m, y0), (m, y1)],
                s.px(5.0),
                s.px(3.0),
                c.stroke_width(s.px(1.5)),
            ))?;
        }
    }
    Ok(())
}

/// The series' bands (see the comment inside on several overlapping ones).
fn bands<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    series: &[Series],
    s: &Style,
) -> Result<()>
where
    DB::ErrorType: 'static,
{
    let band = |lo: &[f64], hi: &[f64], x: &[f64]| -> Vec<(f64, f64)> {
        let mut pts: Vec<(f64, f64)> = x.iter().copied().zip(hi.iter().copied()).collect();
        pts.extend(x.iter().copied().zip(lo.iter().copied()).rev());
        pts.retain(|(a, b)| a.is_finite() && b.is_finite());
        pts
    };
    // One series: filled bands. Several: filled bands of two or three colours overlap into
    // a muddy grey, so the outer band is drawn as dashed edges only and the inner one as a
    // light fill with thin edges: where they overlap, each scenario's edges stay its own.
    let banded = series.iter().filter(|q| q.outer.is_some()).count();
    let edge = |lo: &[f64], x: &[f64]| -> Vec<(f64, f64)> {
        x.iter()
            .copied()
            .zip(lo.iter().copied())
            .filter(|(a, b)| a.is_finite() && b.is_finite())
            .collect()
    };
    for q in series {
        let c = color(q.color);
        if banded > 1 {
            if let Some((lo, hi)) = &q.inner {
                chart.draw_series(std::iter::once(Polygon::new(
                    band(lo, hi, &q.x),
                    c.mix(0.12).filled(),
                )))?;
                for e in [lo, hi] {
                    chart.draw_series(LineSeries::new(
                        edge(e, &q.x),
                        c.mix(0.55).stroke_width(s.px(1.0)),
                    ))?;
                }
            }
            if let Some((lo, hi)) = &q.outer {
                for e in [lo, hi] {
                    chart.draw_series(DashedLineSeries::new(
                        edge(e, &q.x),
                        s.px(4.0),
                        s.px(3.0),
                        c.mix(0.85).stroke_width(s.px(1.0)),
                    ))?;
                }
            }
            continue;
        }
        if let Some((lo, hi)) = &q.outer {
            chart.draw_series(std::iter::once(Polygon::new(
                band(lo, hi, &q.x),
                c.mix(0.15).filled(),
            )))?;
        }
        if let Some((lo, hi)) = &q.inner {
            chart.draw_series(std::iter::once(Polygon::new(
                band(lo, hi, &q.x),
                c.mix(0.3).filled(),
            )))?;
        }
    }
    Ok(())
}

fn stack_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    p: &StackPanel,
    s: &Style,
) -> Result<()>
where
    DB::ErrorType: 'static,
{
    let n = p.shares.first().map_or(0, Vec::len);
    let x1 = (n.max(2) - 1) as f64;
    let mut chart = ChartBuilder::on(area)
        .caption(&p.title, s.font(14.0))
        .margin(s.px(8.0))
        .x_label_area_size(s.px(38.0))
        .y_label_area_size(s.px(58.0))
        .build_cartesian_2d(0.0..x1, 0.0..1.0)?;
    chart
        .configure_mesh()
        .x_desc("round")
        .y_desc("share of actor-rounds")
        .x_labels(6)
        .y_labels(6)
        .x_label_formatter(&axis_fmt(0.0, x1))
        .y_label_formatter(&axis_fmt(0.0, 1.0))
        .label_style(s.grey(11.0))
        .axis_desc_style(s.font(11.5))
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(225, 225, 225))
        .draw()?;
    let mut below = vec![0.0; n];
    for (kk, layer) in p.shares.iter().enumerate() {
        let above: Vec<f64> = below.iter().zip(layer).map(|(a, b)| a + b).collect();
        let mut pts: Vec<(f64, f64)> = (0..n).map(|t| (t as f64, above[t])).collect();
        pts.extend((0..n).rev().map(|t| (t as f64, below[t])));
        chart.draw_series(std::iter::once(Polygon::new(
            pts,
            color(kk).mix(0.85).filled(),
        )))?;
        below = above;
    }
    Ok(())
}

fn bar_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    p: &BarPanel,
    s: &Style,
) -> Result<()>
where
    DB::ErrorType: 'static,
{
    let mut all: Vec<f64> = Vec::new();
    for row in &p.bars {
        for b in row {
            all.push(b.value);
            if let Some((lo, hi)) = b.interval {
                all.extend([lo, hi]);
            }
        }
    }
    if p.from_zero {
        all.push(0.0);
    }
    let (x0, x1) = span(all.iter());
    let n = p.labels.len().max(1);
    // Row i is centred on y = n - 1 - i (the first label on top).
    let label_w = p
        .labels
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(4)
        .clamp(4, 28) as f64
        * 6.6
        + 10.0;
    let mut chart = ChartBuilder::on(area)
        .caption(&p.title, s.font(14.0))
        .margin(s.px(8.0))
        .x_label_area_size(s.px(38.0))
        .y_label_area_size(s.px(label_w))
        .build_cartesian_2d(x0..x1, -0.5..(n as f64 - 0.5))?;
    chart
        .configure_mesh()
        .x_desc(&p.xlabel)
        .x_labels(5)
        .y_labels(n)
        .x_label_formatter(&axis_fmt(x0, x1))
        .y_label_formatter(&|_| String::new())
        .disable_y_mesh()
        .label_style(s.grey(11.0))
        .axis_desc_style(s.font(11.5))
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(225, 225, 225))
        .draw()?;
    // Dots with intervals (a forest plot, a ranking) get a dashed line at 0 when 0 is in view.
    if !p.from_zero && x0 < 0.0 && x1 > 0.0 {
        chart.draw_series(DashedLineSeries::new(
            [(0.0, -0.5), (0.0, n as f64 - 0.5)],
            s.px(5.0),
            s.px(3.0),
            RGBColor(120, 120, 120).stroke_width(s.px(1.0)),
        ))?;
    }
    let base = area.get_base_pixel();
    let label_style = s.font(11.0).pos(Pos::new(HPos::Right, VPos::Center));
    for (i, label) in p.labels.iter().enumerate() {
        let yc = (n - 1 - i) as f64;
        let (px, py) = chart.backend_coord(&(x0, yc));
        let short: String = if label.chars().count() > 28 {
            label.chars().take(27).chain(std::iter::once('…')).collect()
        } else {
            label.clone()
        };
        area.draw(&Text::new(
            short,
            (px - base.0 - s.px(6.0) as i32, py - base.1),
            label_style.clone(),
        ))?;
        let row = &p.bars[i];
        let m = row.len().max(1) as f64;
        let h = 0.7 / m;
        for (j, b) in row.iter().enumerate() {
            let c = color(b.color);
            let top = yc + 0.35 - h * j as f64;
            let mid = top - h / 2.0;
            if p.from_zero {
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(0.0, top - 0.1 * h), (b.value, top - 0.9 * h)],
                    c.mix(0.8).filled(),
                )))?;
            } else {
                chart.draw_series(std::iter::once(Circle::new(
                    (b.value, mid),
                    s.px(4.0),
                    c.filled(),
                )))?;
            }
            if let Some((lo, hi)) = b.interval {
                chart.draw_series(LineSeries::new(
                    [(lo, mid), (hi, mid)],
                    BLACK.stroke_width(s.px(1.5)),
                ))?;
                for e in [lo, hi] {
                    chart.draw_series(LineSeries::new(
                        [(e, mid - 0.3 * h), (e, mid + 0.3 * h)],
                        BLACK.stroke_width(s.px(1.5)),
                    ))?;
                }
            }
        }
    }
    Ok(())
}

/// White to blue, by position `u` in [0, 1].
fn heat_color(u: f64) -> RGBColor {
    let u = u.clamp(0.0, 1.0);
    let mix = |a: f64, b: f64| (a + (b - a) * u).round() as u8;
    RGBColor(mix(247.0, 8.0), mix(251.0, 69.0), mix(255.0, 148.0))
}

fn heat_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    p: &HeatPanel,
    s: &Style,
) -> Result<()>
where
    DB::ErrorType: 'static,
{
    let (nr, nc) = (p.rows.len().max(1), p.cols.len().max(1));
    let vals: Vec<f64> = p.values.iter().flatten().flatten().copied().collect();
    let (lo, hi) = span(vals.iter());
    let label_w = p
        .rows
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(4)
        .clamp(4, 24) as f64
        * 6.6
        + 30.0;
    let mut chart = ChartBuilder::on(area)
        .caption(&p.title, s.font(14.0))
        .margin(s.px(8.0))
        .x_label_area_size(s.px(52.0))
        .y_label_area_size(s.px(label_w))
        .build_cartesian_2d(0.0..nc as f64, 0.0..nr as f64)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(0)
        .y_labels(0)
        .x_desc(&p.col_title)
        .y_desc(&p.row_title)
        .axis_desc_style(s.font(11.5))
        .draw()?;
    let cell_text = s.font(11.0).pos(Pos::new(HPos::Center, VPos::Center));
    let base = area.get_base_pixel();
    for (r, row) in p.values.iter().enumerate() {
        let y = (nr - 1 - r) as f64;
        for (c, v) in row.iter().enumerate() {
            let x = c as f64;
            let fill = match v {
                Some(v) => heat_color((v - lo) / (hi - lo)),
                None => RGBColor(230, 230, 230),
            };
            chart.draw_series(std::iter::once(Rectangle::new(
                [(x, y), (x + 1.0, y + 1.0)],
                fill.filled(),
            )))?;
            if let Some(v) = v {
                let dark = (v - lo) / (hi - lo) > 0.55;
                let style = cell_text.color(if dark { &WHITE } else { &BLACK });
                chart.draw_series(std::iter::once(Text::new(
                    fmt_num(*v),
                    (x + 0.5, y + 0.5),
                    style,
                )))?;
            }
        }
    }
    // Row and column labels.
    let right = s.font(11.0).pos(Pos::new(HPos::Right, VPos::Center));
    for (r, label) in p.rows.iter().enumerate() {
        let (px, py) = chart.backend_coord(&(0.0, (nr - 1 - r) as f64 + 0.5));
        area.draw(&Text::new(
            label.clone(),
            (px - base.0 - s.px(6.0) as i32, py - base.1),
            right.clone(),
        ))?;
    }
    let top = s.font(11.0).pos(Pos::new(HPos::Center, VPos::Top));
    for (c, label) in p.cols.iter().enumerate() {
        let (px, py) = chart.backend_coord(&(c as f64 + 0.5, 0.0));
        area.draw(&Text::new(
            label.clone(),
            (px - base.0, py - base.1 + s.px(5.0) as i32),
            top.clone(),
        ))?;
    }
    Ok(())
}
