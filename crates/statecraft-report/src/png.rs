//! The PNG backend: plotters' bitmap backend with our own text layout.
//!
//! plotters' ab_glyph text path draws each glyph's outline at the pen position without the
//! glyph's left side bearing (its offset inside its advance), so that a narrow glyph after a
//! kerned pair drifts: in "strategy.fee_share" the dot sat against the "y" with a gap after
//! it ("strategy. fee _share"). [`Png`] wraps the bitmap backend and sets text itself: each
//! glyph is placed at the pen position (advances and kerning of the embedded DejaVu Sans),
//! outlined there and drawn where its outline lies ([`layout`]); the line box is the font's
//! ascent to descent, so that a vertically centred label is centred on its letters, as in
//! the SVG. Everything but text is the bitmap backend's.

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, Glyph, PxScale, ScaleFont, point};
use plotters::prelude::BitMapBackend;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};

/// The embedded font, parsed once.
fn font() -> &'static FontRef<'static> {
    static FONT: OnceLock<FontRef<'static>> = OnceLock::new();
    FONT.get_or_init(|| {
        // The embedded file is a valid TrueType font (checked by register_font's callers and
        // the tests); failing here would be a broken build.
        FontRef::try_from_slice(crate::charts::FONT_BYTES).expect("embedded DejaVu Sans")
    })
}

/// A line of text set at `size` pixels (ascent to descent): its glyphs, each positioned with
/// its baseline origin, and the line box.
#[derive(Clone, Debug)]
pub struct Line {
    /// The glyphs, positioned: x the pen position, y the baseline (the ascent below the top).
    pub glyphs: Vec<Glyph>,
    /// Width of the line: the sum of advances and kerning.
    pub width: f32,
    /// Height of the line box: ascent less descent.
    pub height: f32,
}

/// Sets `text` on one line at `size` pixels, the top left of the line box at (0, 0): the pen
/// moves by each glyph's advance and the kerning of each pair.
pub fn layout(text: &str, size: f32) -> Line {
    let font = font();
    let scaled = font.as_scaled(PxScale::from(size));
    let mut x = 0.0f32;
    let mut prev = None;
    let mut glyphs = Vec::with_capacity(text.len());
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = prev {
            x += scaled.kern(p, id);
        }
        glyphs.push(id.with_scale_and_position(size, point(x, scaled.ascent())));
        x += scaled.h_advance(id);
        prev = Some(id);
    }
    Line {
        glyphs,
        width: x,
        height: scaled.height(),
    }
}

/// The coverage of every pixel `line` inks, offset by (`dx`, `dy`): (x, y, coverage 0-1).
pub fn ink(line: &Line, dx: f32, dy: f32) -> Vec<(i32, i32, f32)> {
    let font = font();
    let mut px = Vec::new();
    for g in &line.glyphs {
        let mut g = g.clone();
        g.position.x += dx;
        g.position.y += dy;
        if let Some(o) = font.outline_glyph(g) {
            let b = o.px_bounds();
            let (x0, y0) = (b.min.x as i32, b.min.y as i32);
            o.draw(|x, y, c| {
                if c > 0.0 {
                    px.push((x0 + x as i32, y0 + y as i32, c.min(1.0)));
                }
            });
        }
    }
    px
}

/// plotters' bitmap backend, text set by [`layout`] (see the module documentation).
pub struct Png<'a>(pub BitMapBackend<'a>);

impl DrawingBackend for Png<'_> {
    type ErrorType = <BitMapBackend<'static> as DrawingBackend>::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.0.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.present()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.fill_polygon(vert, style)
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        (iw, ih): (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.blit_bitmap(pos, (iw, ih), src)
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let line = layout(text, style.size() as f32);
        let anchor = style.anchor();
        let dx = match anchor.h_pos {
            HPos::Left => 0.0,
            HPos::Center => -line.width / 2.0,
            HPos::Right => -line.width,
        };
        let dy = match anchor.v_pos {
            VPos::Top => 0.0,
            VPos::Center => -line.height / 2.0,
            VPos::Bottom => -line.height,
        };
        let trans = style.transform();
        let (w, h) = self.get_size();
        for (x, y, c) in ink(&line, dx, dy) {
            let (x, y) = trans.transform(x, y);
            let (x, y) = (pos.0 + x, pos.1 + y);
            if x >= 0 && y >= 0 && x < w as i32 && y < h as i32 {
                let shade = BackendColor {
                    alpha: color.alpha * f64::from(c),
                    rgb: color.rgb,
                };
                self.0.draw_pixel((x, y), shade)?;
            }
        }
        Ok(())
    }

    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        let line = layout(text, style.size() as f32);
        Ok((line.width.ceil() as u32, line.height.ceil() as u32))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The columns that `line`, drawn at the origin, inks with coverage over a half.
    fn columns(line: &Line) -> Vec<i32> {
        let mut cols: Vec<i32> = ink(line, 0.0, 0.0)
            .into_iter()
            .filter(|p| p.2 > 0.5)
            .map(|p| p.0)
            .collect();
        cols.sort_unstable();
        cols.dedup();
        cols
    }

    #[test]
    fn a_glyph_is_drawn_at_its_pen_position_with_its_side_bearing() {
        let size = 100.0;
        let font = font().as_scaled(PxScale::from(size));
        let (y, dot) = (font.glyph_id('y'), font.glyph_id('.'));
        let line = layout("y.", size);
        let pen = font.h_advance(y) + font.kern(y, dot);
        assert!((line.glyphs[1].position.x - pen).abs() < 1e-4);
        // The dot's ink in "y." is the lone dot's, moved by the pen position: its left side
        // bearing (about 10 px at this size) kept, where plotters' path dropped it.
        let alone = columns(&layout(".", size));
        let lsb = font.h_side_bearing(dot);
        assert!(lsb > 5.0, "{lsb}");
        assert!((alone[0] as f32 - lsb).abs() <= 1.0, "{alone:?} {lsb}");
        let both = layout("y.", size);
        let dot_only = Line {
            glyphs: both.glyphs[1..].to_vec(),
            ..both
        };
        let dot_cols = columns(&dot_only);
        let start = dot_cols[0] as f32;
        assert!(
            (start - (pen + lsb)).abs() <= 1.5,
            "dot starts at {start}, pen {pen} + bearing {lsb}"
        );
        assert!((dot_cols.len() as i32 - alone.len() as i32).abs() <= 1);
    }

    #[test]
    fn the_line_box_is_the_advances_and_the_font_height() {
        let size = 22.0;
        let a = layout("strategy.fee_share", size);
        let font = font().as_scaled(PxScale::from(size));
        let sum: f32 = "strategy.fee_share"
            .chars()
            .map(|c| font.h_advance(font.glyph_id(c)))
            .sum();
        // Kerning only ever nudges: the width is the advances within a few pixels.
        assert!((a.width - sum).abs() < 0.25 * size, "{} {sum}", a.width);
        assert!((a.height - size).abs() < 0.5, "{}", a.height);
        // Pen positions never go backwards, and each glyph starts where the previous one
        // ended, give or take the pair's kerning.
        for w in a.glyphs.windows(2) {
            let adv = font.h_advance(w[0].id) + font.kern(w[0].id, w[1].id);
            assert!((w[1].position.x - w[0].position.x - adv).abs() < 1e-3);
        }
    }

    #[test]
    fn centred_text_is_centred_on_its_letters() {
        // A label centred vertically on y = 0 has ink above and below: the digits' middle
        // within a tenth of the size of the anchor.
        let size = 40.0;
        let line = layout("0123", size);
        let px = ink(&line, 0.0, -line.height / 2.0);
        let top = px.iter().map(|p| p.1).min().unwrap();
        let bottom = px.iter().map(|p| p.1).max().unwrap();
        let mid = (top + bottom) as f32 / 2.0;
        assert!(mid.abs() < 0.1 * size, "{top}..{bottom}");
    }
}
