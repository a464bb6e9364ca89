//! RGB raster backend: anti-aliased scanline polygon filler, bitmap text, PNG output.

use std::io::{self, Write};

use super::font;
use super::scene::{Anchor, Cmd, Color, Scene, Stroke, TextStyle};

/// An opaque RGB8 image, row-major, top row first (`pixels.len() == 3·width·height`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Raster {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// RGB triples, row-major from the top-left.
    pub pixels: Vec<u8>,
}

impl Raster {
    /// Image filled with `background` (alpha ignored).
    pub fn new(width: u32, height: u32, background: Color) -> Raster {
        let n = width as usize * height as usize;
        let mut pixels = Vec::with_capacity(n * 3);
        for _ in 0..n {
            pixels.extend_from_slice(&[background.r, background.g, background.b]);
        }
        Raster { width, height, pixels }
    }

    /// RGB value at `(x, y)`; panics when out of bounds.
    pub fn get(&self, x: u32, y: u32) -> [u8; 3] {
        assert!(x < self.width && y < self.height, "pixel out of bounds");
        let i = 3 * (y as usize * self.width as usize + x as usize);
        [self.pixels[i], self.pixels[i + 1], self.pixels[i + 2]]
    }

    /// Overwrite the pixel at `(x, y)` (ignored when out of bounds).
    pub fn set(&mut self, x: u32, y: u32, c: Color) {
        if x < self.width && y < self.height {
            let i = 3 * (y as usize * self.width as usize + x as usize);
            self.pixels[i..i + 3].copy_from_slice(&[c.r, c.g, c.b]);
        }
    }

    /// Nearest-neighbour resample to `width × height`.
    pub fn resample_nearest(&self, width: u32, height: u32) -> Raster {
        let mut out = Raster::new(width, height, Color::WHITE);
        if self.width == 0 || self.height == 0 {
            return out;
        }
        for y in 0..height {
            let sy = ((y as u64 * self.height as u64) / height.max(1) as u64) as u32;
            for x in 0..width {
                let sx = ((x as u64 * self.width as u64) / width.max(1) as u64) as u32;
                let [r, g, b] = self.get(sx, sy);
                out.set(x, y, Color::rgb(r, g, b));
            }
        }
        out
    }

    /// Encode as an 8-bit RGB PNG into `w`.
    pub fn write_png<W: Write>(&self, w: W) -> io::Result<()> {
        let mut enc = png::Encoder::new(w, self.width, self.height);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::Balanced);
        let mut writer = enc.write_header().map_err(io::Error::other)?;
        writer.write_image_data(&self.pixels).map_err(io::Error::other)?;
        writer.finish().map_err(io::Error::other)
    }

    /// Encode as an 8-bit RGB PNG in memory.
    pub fn to_png(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write_png(&mut out).expect("PNG encoding into memory cannot fail");
        out
    }
}

/// Integer clip rectangle `[x0, x1) × [y0, y1)`.
#[derive(Clone, Copy, Debug)]
struct Clip {
    x0: i64,
    y0: i64,
    x1: i64,
    y1: i64,
}

impl Clip {
    fn intersect(self, x: f64, y: f64, w: f64, h: f64) -> Clip {
        Clip {
            x0: self.x0.max(x.round() as i64),
            y0: self.y0.max(y.round() as i64),
            x1: self.x1.min((x + w).round() as i64),
            y1: self.y1.min((y + h).round() as i64),
        }
    }
    fn is_empty(&self) -> bool {
        self.x0 >= self.x1 || self.y0 >= self.y1
    }
}

/// Vertical sub-samples per pixel row (horizontal coverage is computed exactly).
const SUBSAMPLES: usize = 4;

#[derive(Clone, Copy)]
struct Edge {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
    dir: i32,
}

struct Painter {
    img: Raster,
    cov: Vec<f32>,
    xs: Vec<(f64, i32)>,
}

/// Rasterise a scene.
pub(crate) fn render(scene: &Scene) -> Raster {
    let mut p = Painter {
        img: Raster::new(scene.width, scene.height, scene.background),
        cov: Vec::new(),
        xs: Vec::new(),
    };
    let clip = Clip { x0: 0, y0: 0, x1: scene.width as i64, y1: scene.height as i64 };
    p.cmds(&scene.cmds, clip);
    p.img
}

fn circle_poly(cx: f64, cy: f64, r: f64) -> Vec<(f64, f64)> {
    let n = ((r * 1.5).ceil() as usize).clamp(12, 256);
    (0..n)
        .map(|i| {
            let t = i as f64 * std::f64::consts::TAU / n as f64;
            (cx + r * t.cos(), cy + r * t.sin())
        })
        .collect()
}

fn signed_area(p: &[(f64, f64)]) -> f64 {
    let mut a = 0.0;
    for i in 0..p.len() {
        let (x0, y0) = p[i];
        let (x1, y1) = p[(i + 1) % p.len()];
        a += x0 * y1 - x1 * y0;
    }
    a / 2.0
}

/// Give `p` a positive orientation so unions under the non-zero rule add up.
fn orient(mut p: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    if signed_area(&p) < 0.0 {
        p.reverse();
    }
    p
}

/// Split an open polyline into dash pieces.
fn dash_path(pts: &[(f64, f64)], on: f64, off: f64) -> Vec<Vec<(f64, f64)>> {
    if on <= 0.0 || off <= 0.0 || pts.len() < 2 {
        return vec![pts.to_vec()];
    }
    let period = on + off;
    let mut out = Vec::new();
    let mut cur: Vec<(f64, f64)> = Vec::new();
    let mut pos = 0.0; // position within the dash period
    for w in pts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let len = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
        let at = |t: f64| (a.0 + (b.0 - a.0) * t / len, a.1 + (b.1 - a.1) * t / len);
        let mut t = 0.0;
        while t < len - 1e-9 {
            let drawing = pos < on;
            let boundary = if drawing { on } else { period };
            let adv = (boundary - pos).min(len - t);
            let p0 = at(t);
            t += adv;
            pos += adv;
            if drawing {
                if cur.is_empty() {
                    cur.push(p0);
                }
                cur.push(at(t));
            }
            if pos >= boundary - 1e-9 {
                if drawing {
                    out.push(std::mem::take(&mut cur));
                } else {
                    pos = 0.0;
                }
            }
        }
    }
    if cur.len() >= 2 {
        out.push(cur);
    }
    out
}

/// Polygons whose non-zero union is the stroked outline of `pts`.
fn stroke_polys(pts: &[(f64, f64)], closed: bool, st: &Stroke, out: &mut Vec<Vec<(f64, f64)>>) {
    let mut p: Vec<(f64, f64)> = Vec::with_capacity(pts.len() + 1);
    for &q in pts {
        if p.last().is_none_or(|l: &(f64, f64)| (l.0 - q.0).abs() > 1e-9 || (l.1 - q.1).abs() > 1e-9) {
            p.push(q);
        }
    }
    if closed && p.len() > 2 {
        p.push(p[0]);
    }
    let hw = st.width / 2.0;
    if p.len() == 1 {
        if st.round_cap {
            out.push(orient(circle_poly(p[0].0, p[0].1, hw)));
        }
        return;
    }
    for (i, w) in p.windows(2).enumerate() {
        let (a, b) = (w[0], w[1]);
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let len = (dx * dx + dy * dy).sqrt();
        let (nx, ny) = (-dy / len * hw, dx / len * hw);
        out.push(orient(vec![
            (a.0 + nx, a.1 + ny),
            (b.0 + nx, b.1 + ny),
            (b.0 - nx, b.1 - ny),
            (a.0 - nx, a.1 - ny),
        ]));
        let last = i + 2 == p.len();
        if (!last || closed || st.round_cap) && hw > 0.6 {
            out.push(orient(circle_poly(b.0, b.1, hw)));
        }
        if i == 0 && st.round_cap && !closed {
            out.push(orient(circle_poly(a.0, a.1, hw)));
        }
    }
}

impl Painter {
    fn cmds(&mut self, cmds: &[Cmd], clip: Clip) {
        for cmd in cmds {
            self.cmd(cmd, clip);
        }
    }

    fn cmd(&mut self, cmd: &Cmd, clip: Clip) {
        match cmd {
            Cmd::Rect { x, y, w, h, fill } => self.rect(*x, *y, *w, *h, *fill, clip),
            Cmd::Path { subpaths, closed, fill, stroke } => {
                if let (true, Some(c)) = (*closed, fill) {
                    self.fill_polys(subpaths, *c, clip);
                }
                if let Some(st) = stroke {
                    self.stroke(subpaths, *closed, st, clip);
                }
            }
            Cmd::Circle { cx, cy, r, fill, stroke } => {
                if let Some(c) = fill {
                    self.fill_polys(&[circle_poly(*cx, *cy, *r)], *c, clip);
                }
                if let Some(st) = stroke {
                    let outer = orient(circle_poly(*cx, *cy, r + st.width / 2.0));
                    let mut inner = orient(circle_poly(*cx, *cy, (r - st.width / 2.0).max(0.0)));
                    inner.reverse();
                    self.fill_polys(&[outer, inner], st.color, clip);
                }
            }
            Cmd::Text { x, y, text, style } => self.text(*x, *y, text, style, clip),
            Cmd::Image { x, y, w, h, image, smooth } => self.image(*x, *y, *w, *h, image, *smooth, clip),
            Cmd::Clip { x, y, w, h, cmds } => {
                let c = clip.intersect(*x, *y, *w, *h);
                if !c.is_empty() {
                    self.cmds(cmds, c);
                }
            }
        }
    }

    #[inline]
    fn blend(&mut self, x: i64, y: i64, c: Color, cov: f32) {
        let a = cov.min(1.0) * c.a as f32 / 255.0;
        if a <= 0.0 {
            return;
        }
        let i = 3 * (y as usize * self.img.width as usize + x as usize);
        let px = &mut self.img.pixels[i..i + 3];
        for (d, s) in px.iter_mut().zip([c.r, c.g, c.b]) {
            let v = *d as f32 + (s as f32 - *d as f32) * a;
            *d = v.round().clamp(0.0, 255.0) as u8;
        }
    }

    fn fill_int_rect(&mut self, x0: i64, y0: i64, x1: i64, y1: i64, c: Color, clip: Clip) {
        let (x0, x1) = (x0.max(clip.x0), x1.min(clip.x1));
        let (y0, y1) = (y0.max(clip.y0), y1.min(clip.y1));
        for y in y0..y1 {
            for x in x0..x1 {
                self.blend(x, y, c, 1.0);
            }
        }
    }

    fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, c: Color, clip: Clip) {
        let aligned = [x, y, w, h].iter().all(|v| (v - v.round()).abs() < 1e-9);
        if aligned {
            let (x0, y0) = (x.round() as i64, y.round() as i64);
            self.fill_int_rect(x0, y0, x0 + w.round() as i64, y0 + h.round() as i64, c, clip);
        } else {
            self.fill_polys(&[vec![(x, y), (x + w, y), (x + w, y + h), (x, y + h)]], c, clip);
        }
    }

    fn stroke(&mut self, subpaths: &[Vec<(f64, f64)>], closed: bool, st: &Stroke, clip: Clip) {
        let mut polys = Vec::new();
        for sp in subpaths {
            match st.dash {
                Some((on, off)) if !closed => {
                    for piece in dash_path(sp, on, off) {
                        stroke_polys(&piece, false, st, &mut polys);
                    }
                }
                _ => stroke_polys(sp, closed, st, &mut polys),
            }
        }
        self.fill_polys(&polys, st.color, clip);
    }

    /// Anti-aliased non-zero fill of a set of closed polygons.
    fn fill_polys(&mut self, polys: &[Vec<(f64, f64)>], color: Color, clip: Clip) {
        let mut edges: Vec<Edge> = Vec::new();
        let (mut bx0, mut by0, mut bx1, mut by1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for poly in polys {
            for i in 0..poly.len() {
                let (a, b) = (poly[i], poly[(i + 1) % poly.len()]);
                if !(a.0.is_finite() && a.1.is_finite() && b.0.is_finite() && b.1.is_finite()) {
                    continue;
                }
                bx0 = bx0.min(a.0);
                bx1 = bx1.max(a.0);
                by0 = by0.min(a.1);
                by1 = by1.max(a.1);
                if a.1 == b.1 {
                    continue;
                }
                edges.push(if a.1 < b.1 {
                    Edge { x0: a.0, y0: a.1, x1: b.0, y1: b.1, dir: 1 }
                } else {
                    Edge { x0: b.0, y0: b.1, x1: a.0, y1: a.1, dir: -1 }
                });
            }
        }
        if edges.is_empty() {
            return;
        }
        let px0 = (bx0.floor() as i64).max(clip.x0);
        let px1 = (bx1.ceil() as i64).min(clip.x1);
        let py0 = (by0.floor() as i64).max(clip.y0);
        let py1 = (by1.ceil() as i64).min(clip.y1);
        if px0 >= px1 || py0 >= py1 {
            return;
        }
        edges.sort_by(|a, b| a.y0.total_cmp(&b.y0));
        let width = (px1 - px0) as usize;
        self.cov.clear();
        self.cov.resize(width, 0.0);
        let mut active: Vec<usize> = Vec::new();
        let mut next = 0;
        let w = 1.0 / SUBSAMPLES as f32;
        for py in py0..py1 {
            let (top, bot) = (py as f64, py as f64 + 1.0);
            while next < edges.len() && edges[next].y0 < bot {
                active.push(next);
                next += 1;
            }
            active.retain(|&i| edges[i].y1 > top);
            if active.is_empty() {
                continue;
            }
            let (mut lo, mut hi) = (usize::MAX, 0usize);
            for s in 0..SUBSAMPLES {
                let sy = top + (s as f64 + 0.5) / SUBSAMPLES as f64;
                self.xs.clear();
                for &i in &active {
                    let e = edges[i];
                    if sy >= e.y0 && sy < e.y1 {
                        let x = e.x0 + (sy - e.y0) * (e.x1 - e.x0) / (e.y1 - e.y0);
                        self.xs.push((x, e.dir));
                    }
                }
                self.xs.sort_by(|a, b| a.0.total_cmp(&b.0));
                let mut wind = 0;
                let mut start = 0.0;
                for k in 0..self.xs.len() {
                    let (x, d) = self.xs[k];
                    let prev = wind;
                    wind += d;
                    if prev == 0 && wind != 0 {
                        start = x;
                    } else if prev != 0 && wind == 0 {
                        // Span [start, x) at this sub-scanline.
                        let a = start.max(px0 as f64);
                        let b = x.min(px1 as f64);
                        if a >= b {
                            continue;
                        }
                        let ia = a.floor() as i64;
                        let ib = b.floor() as i64;
                        let (ua, ub) = ((ia - px0) as usize, (ib - px0) as usize);
                        lo = lo.min(ua);
                        if ia == ib {
                            self.cov[ua] += ((b - a) as f32) * w;
                            hi = hi.max(ua + 1);
                        } else {
                            self.cov[ua] += ((ia as f64 + 1.0 - a) as f32) * w;
                            for c in &mut self.cov[ua + 1..ub.min(width)] {
                                *c += w;
                            }
                            if ub < width {
                                self.cov[ub] += ((b - ib as f64) as f32) * w;
                                hi = hi.max(ub + 1);
                            } else {
                                hi = width;
                            }
                        }
                    }
                }
            }
            if lo < hi {
                for i in lo..hi {
                    let c = self.cov[i];
                    if c > 0.0 {
                        self.blend(px0 + i as i64, py, color, c);
                    }
                    self.cov[i] = 0.0;
                }
            }
        }
    }

    fn text(&mut self, x: f64, y: f64, text: &str, st: &TextStyle, clip: Clip) {
        let k = st.size as i64;
        let width = font::text_width(text, st.size) as f64;
        let along0 = match st.anchor {
            Anchor::Start => 0.0,
            Anchor::Middle => -width / 2.0,
            Anchor::End => -width,
        };
        let across0 = -3.5 * k as f64; // top of the cap box relative to the anchor
        let bold = if st.bold { (k / 3).max(1) } else { 0 };
        let (ox, oy) = if st.vertical {
            ((x + across0).round() as i64, (y - along0).round() as i64)
        } else {
            ((x + along0).round() as i64, (y + across0).round() as i64)
        };
        for (ci, ch) in text.chars().enumerate() {
            let g = font::glyph(ch);
            for (row, bits) in g.iter().enumerate() {
                for col in 0..5 {
                    if bits & (1 << (4 - col)) == 0 {
                        continue;
                    }
                    let a = (ci as i64 * font::ADVANCE as i64 + col) * k; // along reading direction
                    let c = row as i64 * k; // across (downwards in text frame)
                    if st.vertical {
                        // along → up, across → right.
                        self.fill_int_rect(ox + c, oy - a - k - bold, ox + c + k, oy - a, st.color, clip);
                    } else {
                        self.fill_int_rect(ox + a, oy + c, ox + a + k + bold, oy + c + k, st.color, clip);
                    }
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn image(&mut self, x: f64, y: f64, w: f64, h: f64, img: &Raster, smooth: bool, clip: Clip) {
        if img.width == 0 || img.height == 0 || w <= 0.0 || h <= 0.0 {
            return;
        }
        let c = clip.intersect(x, y, w, h);
        let (iw, ih) = (img.width as f64, img.height as f64);
        for py in c.y0..c.y1 {
            let v = (py as f64 + 0.5 - y) / h * ih;
            for px in c.x0..c.x1 {
                let u = (px as f64 + 0.5 - x) / w * iw;
                let rgb = if smooth {
                    let (fu, fv) = ((u - 0.5).clamp(0.0, iw - 1.0), (v - 0.5).clamp(0.0, ih - 1.0));
                    let (u0, v0) = (fu.floor() as u32, fv.floor() as u32);
                    let (u1, v1) = ((u0 + 1).min(img.width - 1), (v0 + 1).min(img.height - 1));
                    let (tu, tv) = (fu - u0 as f64, fv - v0 as f64);
                    let (p00, p10, p01, p11) =
                        (img.get(u0, v0), img.get(u1, v0), img.get(u0, v1), img.get(u1, v1));
                    let mut o = [0u8; 3];
                    for ch in 0..3 {
                        let top = p00[ch] as f64 * (1.0 - tu) + p10[ch] as f64 * tu;
                        let bottom = p01[ch] as f64 * (1.0 - tu) + p11[ch] as f64 * tu;
                        o[ch] = (top * (1.0 - tv) + bottom * tv).round() as u8;
                    }
                    o
                } else {
                    img.get((u.floor() as u32).min(img.width - 1), (v.floor() as u32).min(img.height - 1))
                };
                self.blend(px, py, Color::rgb(rgb[0], rgb[1], rgb[2]), 1.0);
            }
        }
    }
}
