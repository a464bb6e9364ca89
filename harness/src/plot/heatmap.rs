//! Weight heat maps with fixed diverging scales, and an animated-GIF writer with a fixed palette.

use std::io::{self, Write};

use super::axes::{SMALL, SMALL_H};
use super::raster::Raster;
use super::scene::{Anchor, Color, PALETTE, Scene, Stroke, TextStyle, text_width};

/// One matrix of a heat-map frame.
#[derive(Clone, Debug, PartialEq)]
pub struct HeatMap {
    /// Panel title (e.g. `"W1"`); the shape is printed underneath automatically.
    pub title: String,
    /// Number of rows (drawn top to bottom).
    pub rows: usize,
    /// Number of columns (drawn left to right).
    pub cols: usize,
    /// Row-major values, `rows·cols` long.
    pub values: Vec<f32>,
    /// Colour scale: `-scale` → blue, 0 → white, `+scale` → red (clamped). Keep it fixed across frames.
    pub scale: f32,
}

/// Blue–white–red map for `t` in `[-1, 1]` (clamped; NaN → grey).
pub fn diverging_color(t: f64) -> Color {
    if t.is_nan() {
        return Color::rgb(160, 160, 160);
    }
    // ColorBrewer RdBu (reversed) control points.
    const STOPS: [u32; 7] = [0x2166AC, 0x67A9CF, 0xD1E5F0, 0xF7F7F7, 0xFDDBC7, 0xEF8A62, 0xB2182B];
    let u = (t.clamp(-1.0, 1.0) + 1.0) / 2.0 * (STOPS.len() - 1) as f64;
    let i = (u.floor() as usize).min(STOPS.len() - 2);
    Color::hex(STOPS[i]).mix(Color::hex(STOPS[i + 1]), u - i as f64)
}

/// Cell size (px) along an axis with `n` cells: integer where possible, panel 160..=360 px.
fn cell_size(n: usize) -> f64 {
    let n = n.max(1) as f64;
    let c = ((n * 4.0).clamp(160.0, 320.0) / n).round().max(1.0);
    let c = if c * n < 160.0 { (160.0 / n).ceil() } else { c };
    if c * n > 360.0 { 360.0 / n } else { c }
}

fn scale_label(v: f32) -> String {
    let a = v.abs() as f64;
    if a == 0.0 || !a.is_finite() {
        return "0".into();
    }
    if !(1e-3..1e4).contains(&a) {
        return format!("{:.1e}", v);
    }
    // Two significant digits, trailing zeros trimmed.
    let d = (1 - a.log10().floor() as i32).clamp(0, 5) as usize;
    let t = format!("{:.*}", d, v);
    if t.contains('.') { t.trim_end_matches('0').trim_end_matches('.').to_string() } else { t }
}

const BAR_W: f64 = 14.0;
const GAP: f64 = 36.0;

struct Layout {
    w: f64,
    h: f64,
    cells: Vec<(f64, f64)>,
    slot_w: Vec<f64>,
}

fn layout(m: &[HeatMap]) -> Layout {
    let mut cells: Vec<(f64, f64)> = m.iter().map(|h| (cell_size(h.cols), cell_size(h.rows))).collect();
    let slot = |m: &HeatMap, c: (f64, f64)| {
        let bar = BAR_W + 8.0 + text_width(&format!("+{}", scale_label(m.scale)), SMALL);
        let title = text_width(&m.title, SMALL).max(text_width(&format!("{}×{}", m.rows, m.cols), SMALL));
        (c.0 * m.cols as f64 + 12.0 + bar).max(title)
    };
    let total = |cells: &[(f64, f64)]| -> f64 {
        m.iter().zip(cells).map(|(h, &c)| slot(h, c)).sum::<f64>() + GAP * (m.len().max(1) - 1) as f64 + 40.0
    };
    if total(&cells) > 1400.0 {
        let f = 1360.0 / total(&cells);
        cells = cells.iter().map(|&(a, b)| (a * f, b * f)).collect();
    }
    let slot_w: Vec<f64> = m.iter().zip(&cells).map(|(h, &c)| slot(h, c)).collect();
    let w = total(&cells).max(720.0).round();
    let max_h = m.iter().zip(&cells).map(|(h, c)| c.1 * h.rows as f64).fold(160.0, f64::max);
    let h = (56.0 + SMALL_H + 12.0 + max_h + 14.0 + SMALL_H + 16.0).round();
    Layout { w, h, cells, slot_w }
}

/// Heat-map frame as a [`Scene`] (also usable as a static SVG/PNG figure). The frame size
/// depends only on the matrix shapes, titles and scales, never on the values or caption,
/// so all frames of an animation share one size.
pub fn heatmap_scene(matrices: &[HeatMap], caption: &str) -> Scene {
    let lay = layout(matrices);
    let mut s = Scene::new(lay.w as u32, lay.h as u32);
    let cst = TextStyle::new(SMALL).bold().anchor(Anchor::Middle).color(Color::rgb(20, 20, 20));
    let cst = if text_width(caption, 3) <= lay.w - 40.0 { TextStyle { size: 3, ..cst } } else { cst };
    s.text(lay.w / 2.0, 18.0 + 10.5, caption, cst);
    let content: f64 = lay.slot_w.iter().sum::<f64>() + GAP * (matrices.len().max(1) - 1) as f64;
    let mut x = ((lay.w - content) / 2.0).round();
    let y_title = 56.0 + SMALL_H / 2.0;
    let y0 = 56.0 + SMALL_H + 12.0;
    for (k, m) in matrices.iter().enumerate() {
        let (cw, ch) = lay.cells[k];
        let (pw, ph) = ((cw * m.cols as f64).round(), (ch * m.rows as f64).round());
        let bar_label_w = text_width(&format!("+{}", scale_label(m.scale)), SMALL);
        let used = pw + 12.0 + BAR_W + 8.0 + bar_label_w;
        let px = (x + (lay.slot_w[k] - used) / 2.0).round();
        let st = TextStyle::new(SMALL).bold().anchor(Anchor::Middle);
        s.text(px + pw / 2.0, y_title, &m.title, st);
        let mut img = Raster::new(m.cols.max(1) as u32, m.rows.max(1) as u32, Color::rgb(160, 160, 160));
        let sc = if m.scale > 0.0 { m.scale as f64 } else { 1.0 };
        for r in 0..m.rows {
            for c in 0..m.cols {
                if let Some(&v) = m.values.get(r * m.cols + c) {
                    img.set(c as u32, r as u32, diverging_color(v as f64 / sc));
                }
            }
        }
        s.image(px, y0, pw, ph, img, false);
        s.rect_outline(px - 0.5, y0 - 0.5, pw + 1.0, ph + 1.0, Stroke::new(Color::rgb(120, 120, 120), 1.0));
        let dims = format!("{}×{}", m.rows, m.cols);
        let gst = TextStyle::new(SMALL).anchor(Anchor::Middle).color(Color::GREY);
        s.text(px + pw / 2.0, y0 + ph + 12.0 + SMALL_H / 2.0, &dims, gst);
        // Colour bar spanning the panel height.
        let bx = px + pw + 12.0;
        let mut bar = Raster::new(1, 65, Color::WHITE);
        for i in 0..65 {
            bar.set(0, i, diverging_color(1.0 - i as f64 / 32.0));
        }
        s.image(bx, y0, BAR_W, ph, bar, false);
        s.rect_outline(
            bx - 0.5,
            y0 - 0.5,
            BAR_W + 1.0,
            ph + 1.0,
            Stroke::new(Color::rgb(120, 120, 120), 1.0),
        );
        let lst = TextStyle::new(SMALL).color(Color::rgb(60, 60, 60));
        let lbl = scale_label(m.scale);
        s.text(bx + BAR_W + 6.0, y0 + SMALL_H / 2.0, &format!("+{lbl}"), lst);
        s.text(bx + BAR_W + 6.0, y0 + ph / 2.0, "0", lst);
        s.text(bx + BAR_W + 6.0, y0 + ph - SMALL_H / 2.0, &format!("-{lbl}"), lst);
        x += lay.slot_w[k] + GAP;
    }
    s
}

/// Heat-map animation frame: each matrix side by side with its own fixed blue–white–red
/// scale (`±scale`, clamped), a colour bar, and the caption on top.
pub fn heatmap_frame(matrices: &[HeatMap], caption: &str) -> Raster {
    heatmap_scene(matrices, caption).to_raster()
}

/// The fixed 256-colour GIF palette: greys, the Okabe–Ito colours, a 161-step
/// blue–white–red ramp, and a coarse RGB cube.
pub fn gif_palette() -> Vec<[u8; 3]> {
    let mut p: Vec<[u8; 3]> = Vec::with_capacity(256);
    for i in 0..16u8 {
        p.push([i * 17; 3]);
    }
    for c in PALETTE {
        p.push([c.r, c.g, c.b]);
    }
    for i in 0..161 {
        let c = diverging_color(i as f64 / 80.0 - 1.0);
        p.push([c.r, c.g, c.b]);
    }
    for r in 0..4u8 {
        for g in 0..4u8 {
            for b in 0..4u8 {
                p.push([r * 85, g * 85, b * 85]);
            }
        }
    }
    for v in [8u8, 25, 42, 226, 234, 242, 250] {
        if p.len() < 256 {
            p.push([v; 3]);
        }
    }
    p.truncate(256);
    p
}

/// Animated GIF writer with a fixed palette, constant frame delay and infinite looping.
pub struct GifWriter<W: Write> {
    enc: gif::Encoder<W>,
    width: u16,
    height: u16,
    delay_cs: u16,
    palette: Vec<[u8; 3]>,
    /// Lazily filled nearest-palette index per colour cell (`LUT_BITS` per channel).
    lut: Vec<u16>,
    frames: usize,
}

const UNSET: u16 = u16::MAX;

/// Bits per channel of the colour-lookup cells.
const LUT_BITS: usize = 6;

/// Index of the palette entry nearest to cell `key` (ties → lowest index). The cell's
/// representative colour maps the extreme cells exactly to 0 and 255 (so pure white
/// and black stay exact).
fn nearest(palette: &[[u8; 3]], key: usize) -> u16 {
    let max = (1 << LUT_BITS) - 1;
    let ch = |shift: usize| (((key >> shift) & max) * 255 / max) as i32;
    let c = [ch(2 * LUT_BITS), ch(LUT_BITS), ch(0)];
    let mut best = (i32::MAX, 0usize);
    for (i, p) in palette.iter().enumerate() {
        let d = (c[0] - p[0] as i32).pow(2) + (c[1] - p[1] as i32).pow(2) + (c[2] - p[2] as i32).pow(2);
        if d < best.0 {
            best = (d, i);
        }
    }
    best.1 as u16
}

fn gif_err(e: gif::EncodingError) -> io::Error {
    io::Error::other(e)
}

impl<W: Write> GifWriter<W> {
    /// Start a GIF of `width × height` pixels (each ≤ 65535) with `delay_ms` per frame
    /// (rounded to GIF's 10 ms units).
    pub fn new(out: W, width: u32, height: u32, delay_ms: u32) -> io::Result<Self> {
        let (w, h) = (u16::try_from(width), u16::try_from(height));
        let (Ok(w), Ok(h)) = (w, h) else {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "GIF dimensions exceed 65535"));
        };
        let pal = gif_palette();
        let flat: Vec<u8> = pal.iter().flatten().copied().collect();
        let mut enc = gif::Encoder::new(out, w, h, &flat).map_err(gif_err)?;
        enc.set_repeat(gif::Repeat::Infinite).map_err(gif_err)?;
        let delay_cs = ((delay_ms + 5) / 10).min(u16::MAX as u32) as u16;
        Ok(GifWriter {
            enc,
            width: w,
            height: h,
            delay_cs,
            palette: pal,
            lut: vec![UNSET; 1 << (3 * LUT_BITS)],
            frames: 0,
        })
    }

    /// Change the delay used for subsequent frames.
    pub fn set_delay_ms(&mut self, delay_ms: u32) {
        self.delay_cs = ((delay_ms + 5) / 10).min(u16::MAX as u32) as u16;
    }

    /// Number of frames written so far.
    pub fn frames(&self) -> usize {
        self.frames
    }

    /// Append a frame; it must have the size given to [`GifWriter::new`].
    pub fn add_frame(&mut self, frame: &Raster) -> io::Result<()> {
        if frame.width != self.width as u32 || frame.height != self.height as u32 {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "frame size differs from GIF size"));
        }
        let mut idx: Vec<u8> = Vec::with_capacity(frame.pixels.len() / 3);
        for p in frame.pixels.chunks_exact(3) {
            let q = |v: u8| (v as usize) >> (8 - LUT_BITS);
            let key = (q(p[0]) << (2 * LUT_BITS)) | (q(p[1]) << LUT_BITS) | q(p[2]);
            if self.lut[key] == UNSET {
                self.lut[key] = nearest(&self.palette, key);
            }
            idx.push(self.lut[key] as u8);
        }
        let mut f = gif::Frame::from_indexed_pixels(self.width, self.height, idx, None);
        f.delay = self.delay_cs;
        self.enc.write_frame(&f).map_err(gif_err)?;
        self.frames += 1;
        Ok(())
    }

    /// Write the trailer and return the underlying writer.
    pub fn finish(self) -> io::Result<W> {
        self.enc.into_inner().map_err(io::Error::other)
    }
}
