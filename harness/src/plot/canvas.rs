//! One `plotters` backend for both outputs, the bundled font, and [`Scene`]/[`Raster`].
//!
//! [`Canvas`] wraps `plotters`' SVG and bitmap backends so that every figure is drawn by
//! one function for both. It places text itself, from the bundled DejaVu Sans metrics, so
//! that the SVG (`font-family="DejaVu Sans, sans-serif"`) and the raster (glyphs
//! rasterised by `ab_glyph` from the bundled font, never a system font) put every
//! baseline at the same place; and it embeds images ([`Picture`]) as PNG in SVG.

use std::fmt;
use std::sync::{Arc, OnceLock};

use ab_glyph::{Font, FontRef, PxScale, ScaleFont, point};
use plotters::coord::Shift;
use plotters::element::{Drawable, PointCollection};
use plotters::prelude::*;
use plotters::style::RGBColor;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontFamily as BFamily,
    FontStyle as BStyle, FontTransform,
    text_anchor::{HPos, Pos, VPos},
};

use super::placement::Geometry;

/// Colours are `plotters`' RGB colours.
pub(crate) type Color = RGBColor;

/// The family every figure's text uses, as `plotters` knows it.
pub(crate) const FAMILY: &str = "DejaVu Sans";
/// The family named in SVG files (DejaVu Sans, the bundled font; else the viewer's sans-serif).
pub(crate) const SVG_FAMILY: &str = "DejaVu Sans, sans-serif";
static REGULAR: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../assets/DejaVuSans-Bold.ttf");

fn fonts() -> &'static [FontRef<'static>; 2] {
    static FONTS: OnceLock<[FontRef<'static>; 2]> = OnceLock::new();
    FONTS.get_or_init(|| {
        for (style, bytes) in [(FontStyle::Normal, REGULAR), (FontStyle::Bold, BOLD)] {
            plotters::style::register_font(FAMILY, style, bytes).ok().expect("the bundled font parses");
        }
        [REGULAR, BOLD].map(|b| FontRef::try_from_slice(b).expect("the bundled font parses"))
    })
}

/// Text style in the bundled font: `size` is `plotters`' size (the font's ascent + descent in px).
pub(crate) fn font(size: f64) -> TextStyle<'static> {
    fonts();
    (FAMILY, size).into_font().into()
}

/// Bold [`font`].
pub(crate) fn bold(size: f64) -> TextStyle<'static> {
    fonts();
    (FAMILY, size, FontStyle::Bold).into_font().into()
}

/// Advance width of `text` in pixels at `plotters` size `size`.
pub(crate) fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    let f = fonts()[usize::from(bold)].as_scaled(PxScale::from(size as f32));
    let mut w = 0.0;
    let mut prev = None;
    for c in text.chars() {
        let id = f.glyph_id(c);
        if let Some(p) = prev {
            w += f.kern(p, id);
        }
        w += f.h_advance(id);
        prev = Some(id);
    }
    f64::from(w)
}

/// The characters of `text` the bundled font (bold or regular) has no glyph for: drawn,
/// each would be the font's empty box.
#[cfg(test)]
pub(crate) fn missing_glyphs(text: &str, bold: bool) -> Vec<char> {
    let f = &fonts()[usize::from(bold)];
    text.chars().filter(|&c| f.glyph_id(c).0 == 0).collect()
}

/// The text of every `<text>` element of an SVG figure (entities decoded), and whether it
/// is bold: what the figure writes, to check against the font ([`missing_glyphs`]).
#[cfg(test)]
pub(crate) fn svg_texts(svg: &str) -> Vec<(String, bool)> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let (attrs, rest) = t.split_once('>')?;
            let text = rest.split_once("</text>")?.0.trim();
            let text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"");
            Some((text.replace("&apos;", "'").replace("&amp;", "&"), attrs.contains("font-weight=\"bold\"")))
        })
        .collect()
}

/// Em size in px of `plotters` size `size`.
fn em(size: f64) -> f64 {
    let f = &fonts()[0];
    size * f64::from(f.units_per_em().unwrap_or(2048.0)) / f64::from(f.height_unscaled())
}

/// Rotates a text-frame offset to the screen.
fn rot(t: &FontTransform, x: f64, y: f64) -> (f64, f64) {
    match t {
        FontTransform::None => (x, y),
        FontTransform::Rotate90 => (-y, x),
        FontTransform::Rotate180 => (-x, -y),
        FontTransform::Rotate270 => (y, -x),
    }
}

/// An RGB image, row-major, 3 bytes per pixel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Raster {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width · height · 3` bytes.
    pub pixels: Vec<u8>,
}

impl Raster {
    /// A raster filled with `c`.
    pub(crate) fn new(width: u32, height: u32, c: Color) -> Raster {
        let pixels = [c.0, c.1, c.2].repeat(width as usize * height as usize);
        Raster { width, height, pixels }
    }

    /// Pixel at `(x, y)`.
    pub(crate) fn get(&self, x: u32, y: u32) -> [u8; 3] {
        let i = 3 * (y as usize * self.width as usize + x as usize);
        [self.pixels[i], self.pixels[i + 1], self.pixels[i + 2]]
    }

    /// Sets pixel `(x, y)`.
    pub(crate) fn set(&mut self, x: u32, y: u32, c: Color) {
        let i = 3 * (y as usize * self.width as usize + x as usize);
        self.pixels[i..i + 3].copy_from_slice(&[c.0, c.1, c.2]);
    }

    /// PNG encoding (RGB, 8 bit; deterministic).
    pub(crate) fn to_png(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, self.width, self.height);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        // fdeflate's PNG-tuned fast level: deterministic, and a fraction of zlib's default time.
        enc.set_compression(png::Compression::Fast);
        let mut w = enc.write_header().expect("PNG header into memory");
        w.write_image_data(&self.pixels).expect("PNG data into memory");
        w.finish().expect("PNG into memory");
        out
    }

    /// Resampled to `w × h`: nearest neighbour, or bilinear between pixel centres.
    fn resample(&self, w: u32, h: u32, smooth: bool) -> Vec<u8> {
        let mut out = Vec::with_capacity(3 * w as usize * h as usize);
        let (sw, sh) = (self.width.max(1), self.height.max(1));
        let pos = |i: u32, n: u32, sn: u32| (f64::from(i) + 0.5) * f64::from(sn) / f64::from(n) - 0.5;
        for y in 0..h {
            let fy = pos(y, h, sh).clamp(0.0, f64::from(sh - 1));
            for x in 0..w {
                let fx = pos(x, w, sw).clamp(0.0, f64::from(sw - 1));
                if smooth {
                    let (x0, y0) = (fx.floor() as u32, fy.floor() as u32);
                    let (x1, y1) = ((x0 + 1).min(sw - 1), (y0 + 1).min(sh - 1));
                    let (tx, ty) = (fx - f64::from(x0), fy - f64::from(y0));
                    for ch in 0..3 {
                        let p = |x: u32, y: u32| f64::from(self.get(x, y)[ch]);
                        let top = p(x0, y0) + (p(x1, y0) - p(x0, y0)) * tx;
                        let bot = p(x0, y1) + (p(x1, y1) - p(x0, y1)) * tx;
                        out.push((top + (bot - top) * ty).round() as u8);
                    }
                } else {
                    let sx = ((f64::from(x) + 0.5) * f64::from(sw) / f64::from(w)) as u32;
                    let sy = ((f64::from(y) + 0.5) * f64::from(sh) / f64::from(h)) as u32;
                    out.extend(self.get(sx.min(sw - 1), sy.min(sh - 1)));
                }
            }
        }
        out
    }
}

/// Drawing error of a [`Canvas`].
#[derive(Debug)]
pub(crate) struct CanvasError(String);

impl fmt::Display for CanvasError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CanvasError {}

type Kind = DrawingErrorKind<CanvasError>;

fn conv<E: std::error::Error + Send + Sync>(e: DrawingErrorKind<E>) -> Kind {
    match e {
        DrawingErrorKind::DrawingError(e) => DrawingErrorKind::DrawingError(CanvasError(e.to_string())),
        DrawingErrorKind::FontError(e) => DrawingErrorKind::FontError(e),
    }
}

/// The backend every figure draws on: SVG (images collected for embedding) or RGB bitmap.
pub(crate) enum Canvas<'a> {
    /// SVG; `images[k]` replaces the placeholder text `IMG{k}`.
    Svg(SVGBackend<'a>, &'a mut Vec<String>),
    /// RGB buffer.
    Bitmap(BitMapBackend<'a>),
}

/// The drawing area of a [`Canvas`].
pub(crate) type Area<'a> = DrawingArea<Canvas<'a>, Shift>;
/// Result of drawing.
pub(crate) type Drawn = Result<(), DrawingAreaErrorKind<CanvasError>>;

const IMG: char = '\u{E000}';

/// `style` with another size, anchor and family (for the SVG backend).
struct Adjusted<'s, S> {
    style: &'s S,
    size: f64,
    anchor: Pos,
}

impl<S: BackendTextStyle> BackendTextStyle for Adjusted<'_, S> {
    type FontError = S::FontError;
    fn color(&self) -> BackendColor {
        self.style.color()
    }
    fn size(&self) -> f64 {
        self.size
    }
    fn transform(&self) -> FontTransform {
        self.style.transform()
    }
    fn style(&self) -> BStyle {
        self.style.style()
    }
    fn anchor(&self) -> Pos {
        self.anchor
    }
    fn family(&self) -> BFamily<'_> {
        BFamily::Name(SVG_FAMILY)
    }
    fn layout_box(&self, text: &str) -> Result<((i32, i32), (i32, i32)), Self::FontError> {
        self.style.layout_box(text)
    }
    fn draw<E, F: FnMut(i32, i32, BackendColor) -> Result<(), E>>(
        &self,
        text: &str,
        pos: BackendCoord,
        draw: F,
    ) -> Result<Result<(), E>, Self::FontError> {
        self.style.draw(text, pos, draw)
    }
}

impl Canvas<'_> {
    /// Draws `img` stretched over the pixel rectangle `a`–`b` (smooth: bilinear).
    fn picture(&mut self, a: BackendCoord, b: BackendCoord, img: &Raster, smooth: bool) -> Result<(), Kind> {
        let (x, y) = (a.0.min(b.0), a.1.min(b.1));
        let (w, h) = (a.0.abs_diff(b.0), a.1.abs_diff(b.1));
        if w == 0 || h == 0 || img.width == 0 || img.height == 0 {
            return Ok(());
        }
        match self {
            Canvas::Svg(svg, images) => {
                let rendering = if smooth { "" } else { " style=\"image-rendering:pixelated\"" };
                images.push(format!(
                    "<image x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" preserveAspectRatio=\"none\"{rendering} href=\"data:image/png;base64,{}\"/>",
                    base64(&img.to_png())
                ));
                let style = font(1.0);
                svg.draw_text(&format!("{IMG}{}{IMG}", images.len() - 1), &style, (x, y)).map_err(conv)
            }
            Canvas::Bitmap(bmp) => bmp.blit_bitmap((x, y), (w, h), &img.resample(w, h, smooth)).map_err(conv),
        }
    }
}

macro_rules! each {
    ($self:ident, $b:ident => $e:expr) => {
        match $self {
            Canvas::Svg($b, _) => $e.map_err(conv),
            Canvas::Bitmap($b) => $e.map_err(conv),
        }
    };
}

impl DrawingBackend for Canvas<'_> {
    type ErrorType = CanvasError;

    fn get_size(&self) -> (u32, u32) {
        match self {
            Canvas::Svg(b, _) => b.get_size(),
            Canvas::Bitmap(b) => b.get_size(),
        }
    }
    fn ensure_prepared(&mut self) -> Result<(), Kind> {
        each!(self, b => b.ensure_prepared())
    }
    fn present(&mut self) -> Result<(), Kind> {
        each!(self, b => b.present())
    }
    fn draw_pixel(&mut self, p: BackendCoord, c: BackendColor) -> Result<(), Kind> {
        each!(self, b => b.draw_pixel(p, c))
    }
    fn draw_line<S: BackendStyle>(&mut self, f: BackendCoord, t: BackendCoord, s: &S) -> Result<(), Kind> {
        each!(self, b => b.draw_line(f, t, s))
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        ul: BackendCoord,
        br: BackendCoord,
        s: &S,
        fill: bool,
    ) -> Result<(), Kind> {
        each!(self, b => b.draw_rect(ul, br, s, fill))
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        p: I,
        s: &S,
    ) -> Result<(), Kind> {
        each!(self, b => b.draw_path(p, s))
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        c: BackendCoord,
        r: u32,
        s: &S,
        fill: bool,
    ) -> Result<(), Kind> {
        each!(self, b => b.draw_circle(c, r, s, fill))
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        p: I,
        s: &S,
    ) -> Result<(), Kind> {
        each!(self, b => b.fill_polygon(p, s))
    }
    fn blit_bitmap(&mut self, pos: BackendCoord, (w, h): (u32, u32), src: &[u8]) -> Result<(), Kind> {
        let img = Raster { width: w, height: h, pixels: src.to_vec() };
        self.picture(pos, (pos.0 + w as i32, pos.1 + h as i32), &img, false)
    }
    fn estimate_text_size<S: BackendTextStyle>(&self, text: &str, s: &S) -> Result<(u32, u32), Kind> {
        let bold = matches!(s.style(), BStyle::Bold);
        Ok((text_width(text, s.size(), bold).ceil() as u32, (s.size() / 1.24).round() as u32))
    }

    /// Anchors as in SVG: `Top` puts the baseline 0.76 em below the anchor, `Center` centres
    /// the capitals on it, `Bottom` keeps the descenders above it.
    fn draw_text<S: BackendTextStyle>(&mut self, text: &str, s: &S, pos: BackendCoord) -> Result<(), Kind> {
        let color = s.color();
        if color.alpha == 0.0 || text.is_empty() {
            return Ok(());
        }
        let bold = matches!(s.style(), BStyle::Bold);
        let em = em(s.size());
        let anchor = s.anchor();
        let width = text_width(text, s.size(), bold);
        let dx = match anchor.h_pos {
            HPos::Left => 0.0,
            HPos::Center => -width / 2.0,
            HPos::Right => -width,
        };
        let base = em
            * match anchor.v_pos {
                VPos::Top => 0.76,
                VPos::Center => 0.365,
                VPos::Bottom => -0.24,
            };
        let t = s.transform();
        match self {
            Canvas::Svg(svg, _) => {
                let (ox, oy) = rot(&t, 0.0, base - 0.76 * em);
                let p = (pos.0 + ox.round() as i32, pos.1 + oy.round() as i32);
                let style = Adjusted { style: s, size: em * 1.24, anchor: Pos::new(anchor.h_pos, VPos::Top) };
                svg.draw_text(text, &style, p).map_err(conv)
            }
            Canvas::Bitmap(bmp) => {
                let f = &fonts()[usize::from(bold)];
                let scaled = f.as_scaled(PxScale::from(s.size() as f32));
                let (mut caret, mut prev) = (dx as f32, None);
                for c in text.chars() {
                    let id = scaled.glyph_id(c);
                    if let Some(p) = prev {
                        caret += scaled.kern(p, id);
                    }
                    let glyph = id.with_scale_and_position(scaled.scale(), point(caret, base as f32));
                    caret += scaled.h_advance(id);
                    prev = Some(id);
                    let Some(outline) = f.outline_glyph(glyph) else { continue };
                    let min = outline.px_bounds().min;
                    let mut ink = Vec::new();
                    outline
                        .draw(|x, y, cov| ink.push((x as i32 + min.x as i32, y as i32 + min.y as i32, cov)));
                    for (x, y, cov) in ink {
                        let (rx, ry) = rot(&t, f64::from(x), f64::from(y));
                        let c = BackendColor { alpha: color.alpha * f64::from(cov.min(1.0)), rgb: color.rgb };
                        bmp.draw_pixel((pos.0 + rx as i32, pos.1 + ry as i32), c).map_err(conv)?;
                    }
                }
                Ok(())
            }
        }
    }
}

/// An image stretched between two corners given in the coordinates of the area it is drawn on.
pub(crate) struct Picture<C> {
    /// Two opposite corners.
    pub corners: [C; 2],
    /// The image, at its own resolution.
    pub image: Raster,
    /// Bilinear (else nearest-neighbour) scaling.
    pub smooth: bool,
}

impl<'a, C: 'a> PointCollection<'a, C> for &'a Picture<C> {
    type Point = &'a C;
    type IntoIter = &'a [C; 2];
    fn point_iter(self) -> &'a [C; 2] {
        &self.corners
    }
}

impl<C> Drawable<Canvas<'_>> for Picture<C> {
    fn draw<I: Iterator<Item = BackendCoord>>(
        &self,
        mut pos: I,
        b: &mut Canvas<'_>,
        _: (u32, u32),
    ) -> Result<(), Kind> {
        match (pos.next(), pos.next()) {
            (Some(a), Some(c)) => b.picture(a, c, &self.image, self.smooth),
            _ => Ok(()),
        }
    }
}

type DrawFn = dyn for<'a, 'b> Fn(&'b Area<'a>, &mut Geometry) -> Drawn + Send + Sync;

/// A figure: a drawing function and its size, rendered to SVG or to a [`Raster`] on demand.
///
/// Nominally `pub` (the crate re-exports it as `pub(crate)`): `claims::write::write_all`, a
/// public function, takes figures.
#[derive(Clone)]
pub struct Scene {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    draw: Arc<DrawFn>,
}

impl fmt::Debug for Scene {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Scene({}×{})", self.width, self.height)
    }
}

impl Scene {
    /// A `width × height` figure drawn by `draw` on a white background.
    pub(crate) fn new(
        width: u32,
        height: u32,
        draw: impl for<'a, 'b> Fn(&'b Area<'a>) -> Drawn + Send + Sync + 'static,
    ) -> Scene {
        Scene { width, height, draw: Arc::new(move |area, _| draw(area)) }
    }

    /// [`Scene::new`] for a figure that records where it draws its data and its labels
    /// ([`Scene::geometry`]).
    pub(crate) fn recorded(
        width: u32,
        height: u32,
        draw: impl for<'a, 'b> Fn(&'b Area<'a>, &mut Geometry) -> Drawn + Send + Sync + 'static,
    ) -> Scene {
        Scene { width, height, draw: Arc::new(draw) }
    }

    fn render(&self, canvas: Canvas<'_>, geometry: &mut Geometry) {
        let root = canvas.into_drawing_area();
        root.fill(&WHITE)
            .and_then(|()| (self.draw)(&root, geometry))
            .and_then(|()| root.present())
            .expect("a figure draws");
    }

    /// Where the figure draws its data and its labels, in pixels (empty for a figure made
    /// by [`Scene::new`]): recorded while it is drawn, so it is the layout of
    /// [`Scene::to_svg`] and [`Scene::to_raster`].
    #[cfg(test)]
    pub(crate) fn geometry(&self) -> Geometry {
        let (mut svg, mut images, mut geometry) = (String::new(), Vec::new(), Geometry::default());
        let canvas = Canvas::Svg(SVGBackend::with_string(&mut svg, (self.width, self.height)), &mut images);
        self.render(canvas, &mut geometry);
        geometry
    }

    /// The figure as an SVG document (deterministic).
    pub(crate) fn to_svg(&self) -> String {
        let (mut svg, mut images) = (String::new(), Vec::new());
        let canvas = Canvas::Svg(SVGBackend::with_string(&mut svg, (self.width, self.height)), &mut images);
        self.render(canvas, &mut Geometry::default());
        for (k, img) in images.iter().enumerate() {
            let token = format!("{IMG}{k}{IMG}");
            if let Some(at) = svg.find(&token) {
                let start = svg[..at].rfind("<text").unwrap_or(at);
                let end = svg[at..].find("</text>").map_or(at + token.len(), |e| at + e + "</text>".len());
                svg.replace_range(start..end, img);
            }
        }
        svg
    }

    /// The figure rasterised (deterministic).
    pub(crate) fn to_raster(&self) -> Raster {
        let mut pixels = vec![255; 3 * self.width as usize * self.height as usize];
        let canvas = Canvas::Bitmap(BitMapBackend::with_buffer(&mut pixels, (self.width, self.height)));
        self.render(canvas, &mut Geometry::default());
        Raster { width: self.width, height: self.height, pixels }
    }
}

/// Standard base64 (RFC 4648, with padding), for images embedded in SVG and HTML.
pub(crate) fn base64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for c in bytes.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for k in 0..4 {
            s.push(if k <= c.len() { T[(n >> (18 - 6 * k) & 63) as usize] as char } else { '=' });
        }
    }
    s
}
