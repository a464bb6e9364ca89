//! Backend-independent drawing commands ([`Scene`]) and the SVG backend.

use std::fmt::Write as _;
use std::io;
use std::path::Path;

use super::font;
use super::raster::{self, Raster};

/// An sRGB colour with straight (non-premultiplied) alpha.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Color {
    /// Red channel.
    pub r: u8,
    /// Green channel.
    pub g: u8,
    /// Blue channel.
    pub b: u8,
    /// Opacity, 255 = opaque.
    pub a: u8,
}

impl Color {
    /// Opaque white.
    pub const WHITE: Color = Color::rgb(255, 255, 255);
    /// Opaque black.
    pub const BLACK: Color = Color::rgb(0, 0, 0);
    /// Dark grey used for text and axes.
    pub const INK: Color = Color::rgb(34, 34, 34);
    /// Mid grey used for secondary text and tick marks.
    pub const GREY: Color = Color::rgb(110, 110, 110);
    /// Light grey used for gridlines.
    pub const GRID: Color = Color::rgb(226, 226, 226);

    /// Opaque colour from channels.
    pub const fn rgb(r: u8, g: u8, b: u8) -> Color {
        Color { r, g, b, a: 255 }
    }

    /// Colour with explicit alpha.
    pub const fn rgba(r: u8, g: u8, b: u8, a: u8) -> Color {
        Color { r, g, b, a }
    }

    /// Opaque colour from `0xRRGGBB`.
    pub const fn hex(v: u32) -> Color {
        Color::rgb((v >> 16) as u8, (v >> 8) as u8, v as u8)
    }

    /// Same colour with opacity `alpha` in `[0, 1]`.
    pub fn with_alpha(self, alpha: f64) -> Color {
        Color { a: (alpha.clamp(0.0, 1.0) * 255.0).round() as u8, ..self }
    }

    /// Linear blend towards `other` by `t` in `[0, 1]` (alpha is kept from `self`).
    pub fn mix(self, other: Color, t: f64) -> Color {
        let t = t.clamp(0.0, 1.0);
        let f = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * t).round() as u8;
        Color { r: f(self.r, other.r), g: f(self.g, other.g), b: f(self.b, other.b), a: self.a }
    }

    /// `#rrggbb` form (alpha ignored).
    pub fn css(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }
}

/// Okabe–Ito colour-blind-safe palette, ordered for series on a white background.
pub const PALETTE: [Color; 8] = [
    Color::hex(0x0072B2), // blue
    Color::hex(0xD55E00), // vermillion
    Color::hex(0x009E73), // bluish green
    Color::hex(0xCC79A7), // reddish purple
    Color::hex(0xE69F00), // orange
    Color::hex(0x56B4E9), // sky blue
    Color::hex(0x000000), // black
    Color::hex(0xF0E442), // yellow
];

/// Colour of series `i` (cycles through [`PALETTE`]).
pub fn series_color(i: usize) -> Color {
    PALETTE[i % PALETTE.len()]
}

/// Horizontal text anchoring relative to the text position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    /// Text starts at the position.
    Start,
    /// Text is centred on the position.
    Middle,
    /// Text ends at the position.
    End,
}

/// How a text item is drawn. Sizes are integer multiples of the 5×7 bitmap font.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TextStyle {
    /// Integer scale: glyph advance is `6·size` px, cap height `7·size` px.
    pub size: u32,
    /// Text colour.
    pub color: Color,
    /// Anchoring along the reading direction.
    pub anchor: Anchor,
    /// Rotate 90° counter-clockwise (reads bottom to top), e.g. y-axis labels.
    pub vertical: bool,
    /// Heavier strokes.
    pub bold: bool,
}

impl TextStyle {
    /// Ink-coloured, start-anchored, horizontal text at scale `size`.
    pub fn new(size: u32) -> TextStyle {
        TextStyle {
            size: size.max(1),
            color: Color::INK,
            anchor: Anchor::Start,
            vertical: false,
            bold: false,
        }
    }
    /// Builder: set the anchor.
    pub fn anchor(mut self, anchor: Anchor) -> TextStyle {
        self.anchor = anchor;
        self
    }
    /// Builder: set the colour.
    pub fn color(mut self, color: Color) -> TextStyle {
        self.color = color;
        self
    }
    /// Builder: rotate 90° counter-clockwise.
    pub fn vertical(mut self) -> TextStyle {
        self.vertical = true;
        self
    }
    /// Builder: bold.
    pub fn bold(mut self) -> TextStyle {
        self.bold = true;
        self
    }
}

/// Width in pixels of `text` at scale `size` (same in both backends by construction).
pub fn text_width(text: &str, size: u32) -> f64 {
    font::text_width(text, size) as f64
}

/// Stroke (outline) parameters.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stroke {
    /// Line colour (alpha respected).
    pub color: Color,
    /// Line width in pixels.
    pub width: f64,
    /// Optional dash pattern `(on, off)` in pixels.
    pub dash: Option<(f64, f64)>,
    /// Round caps (otherwise butt caps). Joins are always round.
    pub round_cap: bool,
}

impl Stroke {
    /// Solid stroke with butt caps.
    pub fn new(color: Color, width: f64) -> Stroke {
        Stroke { color, width, dash: None, round_cap: false }
    }
    /// Builder: dashed.
    pub fn dashed(mut self, on: f64, off: f64) -> Stroke {
        self.dash = Some((on, off));
        self
    }
    /// Builder: round caps.
    pub fn round(mut self) -> Stroke {
        self.round_cap = true;
        self
    }
}

/// Shape of a scatter marker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Marker {
    /// Disc.
    Circle,
    /// Axis-aligned square.
    Square,
    /// Upward triangle.
    Triangle,
    /// Square rotated by 45°.
    Diamond,
}

impl Marker {
    /// Distinct marker for class/series `i` (cycles).
    pub fn nth(i: usize) -> Marker {
        [Marker::Circle, Marker::Square, Marker::Triangle, Marker::Diamond][i % 4]
    }
}

/// One drawing command. Coordinates are pixels, origin top-left, y down.
#[derive(Clone, Debug, PartialEq)]
pub enum Cmd {
    /// Filled axis-aligned rectangle.
    Rect {
        /// Left.
        x: f64,
        /// Top.
        y: f64,
        /// Width.
        w: f64,
        /// Height.
        h: f64,
        /// Fill colour.
        fill: Color,
    },
    /// Polylines / polygons. Filling uses the non-zero rule over all subpaths.
    Path {
        /// Point lists.
        subpaths: Vec<Vec<(f64, f64)>>,
        /// Whether each subpath is closed (required for filling).
        closed: bool,
        /// Optional fill.
        fill: Option<Color>,
        /// Optional outline.
        stroke: Option<Stroke>,
    },
    /// Circle.
    Circle {
        /// Centre x.
        cx: f64,
        /// Centre y.
        cy: f64,
        /// Radius.
        r: f64,
        /// Optional fill.
        fill: Option<Color>,
        /// Optional outline.
        stroke: Option<Stroke>,
    },
    /// Text; `y` is the vertical centre of the cap height (for vertical text, `x` is).
    Text {
        /// Anchor x.
        x: f64,
        /// Anchor y.
        y: f64,
        /// The text (one line).
        text: String,
        /// Style.
        style: TextStyle,
    },
    /// A raster image stretched into a rectangle.
    Image {
        /// Left.
        x: f64,
        /// Top.
        y: f64,
        /// Width.
        w: f64,
        /// Height.
        h: f64,
        /// Pixels.
        image: Raster,
        /// Bilinear interpolation (otherwise nearest neighbour, crisp cells).
        smooth: bool,
    },
    /// Commands clipped to a rectangle.
    Clip {
        /// Left.
        x: f64,
        /// Top.
        y: f64,
        /// Width.
        w: f64,
        /// Height.
        h: f64,
        /// Clipped commands.
        cmds: Vec<Cmd>,
    },
}

/// A recorded figure: size plus drawing commands, rendered to SVG or a raster.
#[derive(Clone, Debug, PartialEq)]
pub struct Scene {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Background colour (opaque).
    pub background: Color,
    /// Commands in painting order.
    pub cmds: Vec<Cmd>,
}

impl Scene {
    /// Empty white scene.
    pub fn new(width: u32, height: u32) -> Scene {
        Scene { width, height, background: Color::WHITE, cmds: Vec::new() }
    }

    /// Append a raw command.
    pub fn push(&mut self, cmd: Cmd) {
        self.cmds.push(cmd);
    }

    /// Filled rectangle.
    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, fill: Color) {
        self.push(Cmd::Rect { x, y, w, h, fill });
    }

    /// Rectangle outline (stroke centred on the edges).
    pub fn rect_outline(&mut self, x: f64, y: f64, w: f64, h: f64, stroke: Stroke) {
        let pts = vec![(x, y), (x + w, y), (x + w, y + h), (x, y + h)];
        self.push(Cmd::Path { subpaths: vec![pts], closed: true, fill: None, stroke: Some(stroke) });
    }

    /// Open polyline.
    pub fn polyline(&mut self, points: Vec<(f64, f64)>, stroke: Stroke) {
        self.push(Cmd::Path { subpaths: vec![points], closed: false, fill: None, stroke: Some(stroke) });
    }

    /// Straight line segment.
    pub fn line(&mut self, a: (f64, f64), b: (f64, f64), stroke: Stroke) {
        self.polyline(vec![a, b], stroke);
    }

    /// Filled polygon with optional outline.
    pub fn polygon(&mut self, points: Vec<(f64, f64)>, fill: Color, stroke: Option<Stroke>) {
        self.push(Cmd::Path { subpaths: vec![points], closed: true, fill: Some(fill), stroke });
    }

    /// Circle with optional fill and outline.
    pub fn circle(&mut self, cx: f64, cy: f64, r: f64, fill: Option<Color>, stroke: Option<Stroke>) {
        self.push(Cmd::Circle { cx, cy, r, fill, stroke });
    }

    /// Scatter marker of roughly `size` pixels across, centred at `(cx, cy)`.
    pub fn marker(
        &mut self,
        shape: Marker,
        cx: f64,
        cy: f64,
        size: f64,
        fill: Color,
        outline: Option<Stroke>,
    ) {
        let h = size / 2.0;
        match shape {
            Marker::Circle => self.circle(cx, cy, h, Some(fill), outline),
            Marker::Square => {
                let h = h * 0.9;
                self.polygon(
                    vec![(cx - h, cy - h), (cx + h, cy - h), (cx + h, cy + h), (cx - h, cy + h)],
                    fill,
                    outline,
                )
            }
            Marker::Triangle => {
                let r = h * 1.25;
                let pts = (0..3)
                    .map(|i| {
                        let t = -std::f64::consts::FRAC_PI_2 + i as f64 * 2.0 * std::f64::consts::PI / 3.0;
                        (cx + r * t.cos(), cy + h * 0.2 + r * t.sin())
                    })
                    .collect();
                self.polygon(pts, fill, outline)
            }
            Marker::Diamond => {
                let r = h * 1.25;
                self.polygon(vec![(cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy)], fill, outline)
            }
        }
    }

    /// Single-line text; `y` is the vertical centre of capitals.
    pub fn text(&mut self, x: f64, y: f64, text: &str, style: TextStyle) {
        self.push(Cmd::Text { x, y, text: text.to_string(), style });
    }

    /// Raster image stretched into the rectangle.
    pub fn image(&mut self, x: f64, y: f64, w: f64, h: f64, image: Raster, smooth: bool) {
        self.push(Cmd::Image { x, y, w, h, image, smooth });
    }

    /// Record commands drawn by `f` clipped to the rectangle.
    pub fn clipped(&mut self, x: f64, y: f64, w: f64, h: f64, f: impl FnOnce(&mut Scene)) {
        let mut inner = Scene::new(self.width, self.height);
        f(&mut inner);
        self.push(Cmd::Clip { x, y, w, h, cmds: inner.cmds });
    }

    /// Rasterise (anti-aliased shapes, crisp bitmap text).
    pub fn to_raster(&self) -> Raster {
        raster::render(self)
    }

    /// Serialise as a standalone SVG document (starts with `<svg`).
    pub fn to_svg(&self) -> String {
        self.to_svg_with_id_prefix("")
    }

    /// [`Scene::to_svg`] with every element id (clip paths) prefixed, so that
    /// several figures can be inlined in one HTML document without their
    /// ids colliding.
    pub fn to_svg_with_id_prefix(&self, id_prefix: &str) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" \
             width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" xml:space=\"preserve\" \
             font-family=\"DejaVu Sans Mono, Menlo, Consolas, monospace\">",
            w = self.width,
            h = self.height
        );
        let _ = writeln!(
            s,
            "<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"{}\"/>",
            self.width,
            self.height,
            self.background.css()
        );
        let mut clip_id = 0usize;
        write_cmds(&mut s, &self.cmds, id_prefix, &mut clip_id);
        s.push_str("</svg>\n");
        s
    }

    /// Write `<stem>.svg` and `<stem>.png` (creating parent directories).
    pub fn save(&self, stem: &Path) -> io::Result<()> {
        if let Some(dir) = stem.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(stem.with_extension("svg"), self.to_svg())?;
        std::fs::write(stem.with_extension("png"), self.to_raster().to_png())
    }
}

/// Compact, deterministic number formatting for SVG attributes.
fn num(v: f64) -> String {
    let mut t = format!("{:.2}", v);
    if t.contains('.') {
        while t.ends_with('0') {
            t.pop();
        }
        if t.ends_with('.') {
            t.pop();
        }
    }
    if t == "-0" { "0".to_string() } else { t }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

fn paint_attrs(fill: Option<Color>, stroke: Option<&Stroke>) -> String {
    let mut a = String::new();
    match fill {
        Some(c) => {
            let _ = write!(a, " fill=\"{}\"", c.css());
            if c.a != 255 {
                let _ = write!(a, " fill-opacity=\"{}\"", num(c.a as f64 / 255.0));
            }
        }
        None => a.push_str(" fill=\"none\""),
    }
    if let Some(st) = stroke {
        let _ = write!(
            a,
            " stroke=\"{}\" stroke-width=\"{}\" stroke-linejoin=\"round\" stroke-linecap=\"{}\"",
            st.color.css(),
            num(st.width),
            if st.round_cap { "round" } else { "butt" }
        );
        if st.color.a != 255 {
            let _ = write!(a, " stroke-opacity=\"{}\"", num(st.color.a as f64 / 255.0));
        }
        if let Some((on, off)) = st.dash {
            let _ = write!(a, " stroke-dasharray=\"{} {}\"", num(on), num(off));
        }
    }
    a
}

fn write_cmds(s: &mut String, cmds: &[Cmd], id_prefix: &str, clip_id: &mut usize) {
    for cmd in cmds {
        match cmd {
            Cmd::Rect { x, y, w, h, fill } => {
                let _ = writeln!(
                    s,
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"{}/>",
                    num(*x),
                    num(*y),
                    num(*w),
                    num(*h),
                    paint_attrs(Some(*fill), None)
                );
            }
            Cmd::Path { subpaths, closed, fill, stroke } => {
                let mut d = String::new();
                for sp in subpaths.iter().filter(|p| !p.is_empty()) {
                    for (i, (x, y)) in sp.iter().enumerate() {
                        let _ = write!(d, "{}{} {}", if i == 0 { "M" } else { "L" }, num(*x), num(*y));
                    }
                    if *closed {
                        d.push('Z');
                    }
                }
                if d.is_empty() {
                    continue;
                }
                let fill = if *closed { *fill } else { None };
                let _ = writeln!(s, "<path d=\"{}\"{}/>", d, paint_attrs(fill, stroke.as_ref()));
            }
            Cmd::Circle { cx, cy, r, fill, stroke } => {
                let _ = writeln!(
                    s,
                    "<circle cx=\"{}\" cy=\"{}\" r=\"{}\"{}/>",
                    num(*cx),
                    num(*cy),
                    num(*r),
                    paint_attrs(*fill, stroke.as_ref())
                );
            }
            Cmd::Text { x, y, text, style } => {
                let k = style.size as f64;
                let anchor = match style.anchor {
                    Anchor::Start => "start",
                    Anchor::Middle => "middle",
                    Anchor::End => "end",
                };
                let mut extra = String::new();
                if style.bold {
                    extra.push_str(" font-weight=\"bold\"");
                }
                if style.color.a != 255 {
                    let _ = write!(extra, " fill-opacity=\"{}\"", num(style.color.a as f64 / 255.0));
                }
                if style.vertical {
                    let _ = write!(extra, " transform=\"rotate(-90 {} {})\"", num(*x), num(*y));
                }
                // Baseline sits 3.5 cap-units below the anchor (rotation keeps that relation).
                let (tx, ty) = (*x, *y + 3.5 * k);
                let _ = writeln!(
                    s,
                    "<text x=\"{}\" y=\"{}\" font-size=\"{}\" fill=\"{}\" text-anchor=\"{}\"{}>{}</text>",
                    num(tx),
                    num(ty),
                    num(10.0 * k),
                    style.color.css(),
                    anchor,
                    extra,
                    escape(text)
                );
            }
            Cmd::Image { x, y, w, h, image, smooth } => {
                // Viewers may ignore `image-rendering`, so crisp cells are baked in by
                // upscaling (nearest) to the displayed size.
                let (tw, th) = (w.round().max(1.0) as u32, h.round().max(1.0) as u32);
                let upscale = !*smooth
                    && tw >= image.width
                    && th >= image.height
                    && (tw > image.width || th > image.height);
                let png = if upscale && tw <= 4096 && th <= 4096 {
                    image.resample_nearest(tw, th).to_png()
                } else {
                    image.to_png()
                };
                let _ = writeln!(
                    s,
                    "<image x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" preserveAspectRatio=\"none\"{} xlink:href=\"data:image/png;base64,{}\"/>",
                    num(*x),
                    num(*y),
                    num(*w),
                    num(*h),
                    if *smooth { "" } else { " style=\"image-rendering:pixelated\"" },
                    base64(&png)
                );
            }
            Cmd::Clip { x, y, w, h, cmds } => {
                *clip_id += 1;
                let id = *clip_id;
                let _ = writeln!(
                    s,
                    "<clipPath id=\"{id_prefix}c{id}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/></clipPath>",
                    num(*x),
                    num(*y),
                    num(*w),
                    num(*h)
                );
                let _ = writeln!(s, "<g clip-path=\"url(#{id_prefix}c{id})\">");
                write_cmds(s, cmds, id_prefix, clip_id);
                s.push_str("</g>\n");
            }
        }
    }
}

/// Standard base64 (RFC 4648, with padding).
pub(crate) fn base64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = ((b[0] as u32) << 16) | ((b[1] as u32) << 8) | b[2] as u32;
        out.push(T[(n >> 18) as usize & 63] as char);
        out.push(T[(n >> 12) as usize & 63] as char);
        out.push(if chunk.len() > 1 { T[(n >> 6) as usize & 63] as char } else { '=' });
        out.push(if chunk.len() > 2 { T[n as usize & 63] as char } else { '=' });
    }
    out
}
