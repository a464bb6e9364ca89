//! Weight heat maps with fixed diverging scales: frames, a fast frame animator, a static
//! montage for print, and an animated-GIF writer (fixed palette, frames LZW-coded by
//! `lzw`, byte for byte as `gif`'s own encoder, on any thread).

use std::io::{self, Write};

use plotters::prelude::*;
use plotters::style::Color as _;
use plotters_backend::text_anchor::{HPos, Pos, VPos};

use super::canvas::{Area, Color, Drawn, Picture, Raster, Scene, bold, font, text_width};
use super::lzw;
use super::style::{GREY, INK, PALETTE, mix};

/// One matrix of a heat-map frame.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct HeatMap {
    /// Panel title (e.g. `"layer 1 (2×64)"`); the shape is printed underneath.
    pub title: String,
    /// Number of rows (drawn top to bottom).
    pub rows: usize,
    /// Number of columns (drawn left to right).
    pub cols: usize,
    /// Row-major values, `rows·cols` long (missing values are grey).
    pub values: Vec<f32>,
    /// Colour scale: `-scale` → blue, 0 → white, `+scale` → red (clamped). Keep it fixed across frames.
    pub scale: f32,
}

/// Blue–white–red map for `t` in `[-1, 1]` (clamped; NaN → grey).
pub(crate) fn diverging_color(t: f64) -> Color {
    if t.is_nan() {
        return NO_VALUE;
    }
    // ColorBrewer RdBu (reversed) control points.
    const STOPS: [u32; 7] = [0x2166AC, 0x67A9CF, 0xD1E5F0, 0xF7F7F7, 0xFDDBC7, 0xEF8A62, 0xB2182B];
    let hex = |v: u32| RGBColor((v >> 16) as u8, (v >> 8) as u8, v as u8);
    let u = (t.clamp(-1.0, 1.0) + 1.0) / 2.0 * (STOPS.len() - 1) as f64;
    let i = (u.floor() as usize).min(STOPS.len() - 2);
    mix(hex(STOPS[i]), hex(STOPS[i + 1]), u - i as f64)
}

/// Colour of cells without a value.
const NO_VALUE: Color = RGBColor(160, 160, 160);

/// The divisor mapping values to `[-1, 1]`: `scale` when positive, else 1.
fn color_scale(scale: f32) -> f64 {
    if scale > 0.0 { f64::from(scale) } else { 1.0 }
}

fn scale_label(v: f32) -> String {
    let a = f64::from(v.abs());
    if a == 0.0 || !a.is_finite() {
        return "0".into();
    }
    if !(1e-3..1e4).contains(&a) {
        return format!("{v:.1e}");
    }
    let d = (1 - a.log10().floor() as i32).clamp(0, 5) as usize;
    let t = format!("{v:.d$}");
    if t.contains('.') { t.trim_end_matches('0').trim_end_matches('.').to_string() } else { t }
}

/// The cells of `m` (values over `scale`) as an image, one pixel per cell.
fn cells(m: &HeatMap, values: &[f32]) -> Raster {
    let mut img = Raster::new(m.cols.max(1) as u32, m.rows.max(1) as u32, NO_VALUE);
    let sc = color_scale(m.scale);
    for (i, &v) in values.iter().enumerate().take(m.rows * m.cols) {
        img.set((i % m.cols) as u32, (i / m.cols) as u32, diverging_color(f64::from(v) / sc));
    }
    img
}

/// A vertical colour bar from +1 (top) to −1.
fn bar() -> Raster {
    let mut b = Raster::new(1, 65, WHITE);
    for i in 0..65 {
        b.set(0, i, diverging_color(1.0 - f64::from(i) / 32.0));
    }
    b
}

/// Draws a colour bar with `±scale` labels in the pixel rectangle `(x, y, w, h)`.
fn color_bar(area: &Area<'_>, (x, y, w, h): Rect, scale: f32) -> Drawn {
    area.draw(&Picture { corners: [(x, y), (x + w, y + h)], image: bar(), smooth: true })?;
    area.draw(&Rectangle::new([(x - 1, y - 1), (x + w, y + h)], RGBColor(120, 120, 120).stroke_width(1)))?;
    let l = scale_label(scale);
    let st = |v| font(12.5).color(&RGBColor(60, 60, 60)).pos(Pos::new(HPos::Left, v));
    area.draw(&Text::new(format!("+{l}"), (x + w + 5, y), st(VPos::Top)))?;
    area.draw(&Text::new("0".to_string(), (x + w + 5, y + h / 2), st(VPos::Center)))?;
    area.draw(&Text::new(format!("−{l}"), (x + w + 5, y + h), st(VPos::Bottom)))
}

/// Cell size (px) along an axis with `n` cells: integer where possible, panel 160..=360 px.
fn cell_size(n: usize) -> f64 {
    let n = n.max(1) as f64;
    let c = ((n * 3.0).clamp(160.0, 320.0) / n).round().max(1.0);
    let c = if c * n < 160.0 { (160.0 / n).ceil() } else { c };
    if c * n > 360.0 { 360.0 / n } else { c }
}

/// Height of the caption band at the top of a frame: the caption is the only thing drawn
/// in rows `0..HEAD`, so an animation redraws just that band.
const HEAD: i32 = 52;
const BAR_W: i32 = 14;
const GAP: f64 = 36.0;

/// A pixel rectangle `(x, y, w, h)`.
type Rect = (i32, i32, i32, i32);

/// Frame size and each matrix's image rectangle.
fn layout(m: &[HeatMap]) -> (u32, u32, Vec<Rect>) {
    let mut cells: Vec<(f64, f64)> = m.iter().map(|h| (cell_size(h.cols), cell_size(h.rows))).collect();
    let slot = |m: &HeatMap, c: (f64, f64)| {
        let bar = f64::from(BAR_W) + 8.0 + text_width(&format!("−{}", scale_label(m.scale)), 12.5, false);
        (c.0 * m.cols as f64 + 12.0 + bar).max(text_width(&m.title, 14.0, true))
    };
    let total = |cells: &[(f64, f64)]| {
        m.iter().zip(cells).map(|(h, &c)| slot(h, c)).sum::<f64>() + GAP * (m.len().max(1) - 1) as f64 + 40.0
    };
    if total(&cells) > 1400.0 {
        let f = 1360.0 / total(&cells);
        cells = cells.iter().map(|&(a, b)| (a * f, b * f)).collect();
    }
    let w = total(&cells).max(720.0).round();
    let max_h = m.iter().zip(&cells).map(|(h, c)| c.1 * h.rows as f64).fold(160.0, f64::max);
    let h = (f64::from(HEAD) + 30.0 + max_h + 36.0).round();
    let content = total(&cells) - 40.0;
    let mut x = ((w - content) / 2.0).round();
    let mut rects = Vec::new();
    for (k, h) in m.iter().enumerate() {
        let (pw, ph) = ((cells[k].0 * h.cols as f64).round(), (cells[k].1 * h.rows as f64).round());
        let used = pw
            + 12.0
            + f64::from(BAR_W)
            + 8.0
            + text_width(&format!("−{}", scale_label(h.scale)), 12.5, false);
        let px = (x + (slot(h, cells[k]) - used) / 2.0).round();
        rects.push((px as i32, HEAD + 30, pw as i32, ph as i32));
        x += slot(h, cells[k]) + GAP;
    }
    (w as u32, h as u32, rects)
}

/// Draws the centred caption into the band `0..HEAD` of a frame `w` px wide.
fn caption(area: &Area<'_>, w: u32, text: &str) -> Drawn {
    let size = (17.0 * (f64::from(w) - 30.0) / text_width(text, 17.0, true).max(1.0)).min(17.0);
    area.draw(&Text::new(
        text.to_string(),
        (w as i32 / 2, HEAD / 2),
        bold(size).color(&INK).pos(Pos::new(HPos::Center, VPos::Center)),
    ))
}

/// Heat-map frame as a [`Scene`]: each matrix with its own fixed blue–white–red scale, a
/// colour bar, and the caption on top. The size depends only on the shapes, titles and
/// scales, so all frames of an animation share it.
pub(crate) fn heatmap_scene(matrices: &[HeatMap], caption_text: &str) -> Scene {
    let (w, h, rects) = layout(matrices);
    let (maps, text) = (matrices.to_vec(), caption_text.to_string());
    Scene::new(w, h, move |root| {
        caption(root, w, &text)?;
        for (m, &(x, y, pw, ph)) in maps.iter().zip(&rects) {
            let center = |v| Pos::new(HPos::Center, v);
            root.draw(&Text::new(
                m.title.clone(),
                (x + pw / 2, y - 10),
                bold(14.0).color(&INK).pos(center(VPos::Bottom)),
            ))?;
            root.draw(&Picture {
                corners: [(x, y), (x + pw, y + ph)],
                image: cells(m, &m.values),
                smooth: false,
            })?;
            root.draw(&Rectangle::new(
                [(x - 1, y - 1), (x + pw, y + ph)],
                RGBColor(120, 120, 120).stroke_width(1),
            ))?;
            let dims = format!("{} inputs × {} outputs", m.rows, m.cols);
            root.draw(&Text::new(
                dims,
                (x + pw / 2, y + ph + 8),
                font(12.5).color(&GREY).pos(center(VPos::Top)),
            ))?;
            color_bar(root, (x + pw + 12, y, BAR_W, ph), m.scale)?;
        }
        Ok(())
    })
}

/// [`heatmap_scene`] rasterised.
pub(crate) fn heatmap_frame(matrices: &[HeatMap], caption_text: &str) -> Raster {
    heatmap_scene(matrices, caption_text).to_raster()
}

/// Renders the frames of a heat-map animation cheaply: the static parts are rasterised
/// once, and each frame repaints only the caption band and the cells, each cell's colour
/// (and, for a GIF, palette index) worked out once and filled in as a block. Every frame
/// is pixel-for-pixel [`heatmap_frame`] of the same matrices and caption.
#[derive(Clone, Debug)]
pub(crate) struct HeatmapAnimator {
    maps: Vec<HeatMap>,
    /// Per matrix: its image rectangle, and for each of its pixel columns and rows the cell
    /// column and row shown there (nearest neighbour at pixel centres, as `Canvas` scales).
    panels: Vec<Panel>,
    frame: Raster,
    /// Palette indices of `frame` ([`HeatmapAnimator::frame_indexed`]; empty until then).
    indices: Vec<u8>,
    quantizer: Option<Quantizer>,
}

/// One matrix of a [`HeatmapAnimator`]: its image rectangle and the cell each pixel
/// column and row shows.
#[derive(Clone, Debug)]
struct Panel {
    rect: Rect,
    cols: Vec<usize>,
    rows: Vec<usize>,
}

/// The source pixel (of `n`) that each of `m` target pixels shows when an image is scaled
/// by nearest neighbour at pixel centres: the choice of `Canvas`'s resampling, per axis.
fn nearest_sources(m: usize, n: usize) -> Vec<usize> {
    let n = n.max(1);
    (0..m).map(|i| (((i as f64 + 0.5) * n as f64 / m as f64) as usize).min(n - 1)).collect()
}

impl HeatmapAnimator {
    /// Prepares the frames of `matrices`: titles, shapes and scales are fixed for the whole
    /// animation; only the values (and the caption) change per frame.
    pub(crate) fn new(matrices: &[HeatMap]) -> HeatmapAnimator {
        let (_, _, rects) = layout(matrices);
        let frame = heatmap_frame(matrices, "");
        let panels = matrices
            .iter()
            .zip(rects)
            .map(|(m, rect)| {
                let (pw, ph) = (rect.2.max(0) as usize, rect.3.max(0) as usize);
                Panel { rect, cols: nearest_sources(pw, m.cols), rows: nearest_sources(ph, m.rows) }
            })
            .collect();
        HeatmapAnimator { maps: matrices.to_vec(), panels, frame, indices: Vec::new(), quantizer: None }
    }

    /// Width and height of every frame in pixels.
    pub(crate) fn size(&self) -> (u32, u32) {
        (self.frame.width, self.frame.height)
    }

    /// The rectangles `(x, y, w, h)` in which frames can differ: the caption band and the
    /// matrices' images. Outside them every frame has the same pixels.
    pub(crate) fn regions(&self) -> Vec<Region> {
        let band = (0, 0, self.frame.width as usize, HEAD as usize);
        let images = self.panels.iter().filter(|p| !p.cols.is_empty() && !p.rows.is_empty());
        let images = images.map(|p| (p.rect.0 as usize, p.rect.1 as usize, p.cols.len(), p.rows.len()));
        std::iter::once(band).chain(images).collect()
    }

    /// The frame showing `values` (one row-major slice per matrix, in the order given to
    /// [`HeatmapAnimator::new`]) under `caption`.
    ///
    /// # Panics
    /// When the number of slices differs from the number of matrices.
    #[cfg(test)]
    pub(crate) fn frame<V: AsRef<[f32]>>(&mut self, values: &[V], caption_text: &str) -> &Raster {
        self.paint(values, caption_text, false);
        &self.frame
    }

    /// [`HeatmapAnimator::frame`], and the indices of its pixels in the GIF palette (as
    /// [`Quantizer`] maps colours: the nearest palette colour), for [`GifFrames::delta`].
    ///
    /// # Panics
    /// When the number of slices differs from the number of matrices.
    pub(crate) fn frame_indexed<V: AsRef<[f32]>>(
        &mut self,
        values: &[V],
        caption_text: &str,
    ) -> (&Raster, &[u8]) {
        self.paint(values, caption_text, true);
        (&self.frame, &self.indices)
    }

    /// Repaints the caption band and the cells, and their palette indices if `indexed`.
    fn paint<V: AsRef<[f32]>>(&mut self, values: &[V], caption_text: &str, indexed: bool) {
        assert_eq!(values.len(), self.maps.len(), "one value slice per matrix");
        let w = self.frame.width;
        let band = Scene::new(w, HEAD as u32, {
            let text = caption_text.to_string();
            move |root| caption(root, w, &text)
        })
        .to_raster();
        self.frame.pixels[..band.pixels.len()].copy_from_slice(&band.pixels);
        let mut quantizer = None;
        if indexed {
            let q = self.quantizer.get_or_insert_with(Quantizer::new);
            if self.indices.is_empty() {
                // The first indexed frame: every pixel's index, the static parts' once.
                self.indices = vec![0; self.frame.pixels.len() / 3];
                q.map(&self.frame.pixels, &mut self.indices);
            } else {
                q.map(&band.pixels, &mut self.indices[..band.pixels.len() / 3]);
            }
            quantizer = Some(q);
        }
        let w = w as usize;
        let mut cells: Vec<([u8; 3], u8)> = Vec::new();
        for ((m, v), p) in self.maps.iter().zip(values).zip(&self.panels) {
            if p.cols.is_empty() || p.rows.is_empty() {
                continue;
            }
            // Each cell's colour (as `cells` draws it) and palette index, once.
            let (sw, sh) = (m.cols.max(1), m.rows.max(1));
            let sc = color_scale(m.scale);
            let no_value = ([NO_VALUE.0, NO_VALUE.1, NO_VALUE.2], 0);
            cells.clear();
            cells.resize(sw * sh, no_value);
            for (cell, &v) in cells.iter_mut().zip(v.as_ref()).take(m.rows * m.cols) {
                let c = diverging_color(f64::from(v) / sc);
                cell.0 = [c.0, c.1, c.2];
            }
            if let Some(q) = quantizer.as_deref_mut() {
                let mut memo = None;
                for cell in &mut cells {
                    cell.1 = match memo {
                        Some((c, i)) if c == cell.0 => i,
                        _ => q.index(cell.0),
                    };
                    memo = Some(*cell);
                }
            }
            let (x, y) = (p.rect.0 as usize, p.rect.1 as usize);
            let pw = p.cols.len();
            for (j, &sy) in p.rows.iter().enumerate() {
                let at = (y + j) * w + x;
                if j > 0 && sy == p.rows[j - 1] {
                    // The row above shows the same cells.
                    self.frame.pixels.copy_within(3 * (at - w)..3 * (at - w + pw), 3 * at);
                    if quantizer.is_some() {
                        self.indices.copy_within(at - w..at - w + pw, at);
                    }
                    continue;
                }
                let row = &cells[sy * sw..(sy + 1) * sw];
                let px = &mut self.frame.pixels[3 * at..3 * (at + pw)];
                for (out, &sx) in px.chunks_exact_mut(3).zip(&p.cols) {
                    out.copy_from_slice(&row[sx].0);
                }
                if quantizer.is_some() {
                    for (out, &sx) in self.indices[at..at + pw].iter_mut().zip(&p.cols) {
                        *out = row[sx].1;
                    }
                }
            }
        }
    }
}

/// A static montage for print: one column per chosen frame (`(caption, one value slice per
/// matrix)`, e.g. `("epoch 25", …)`), one row per matrix of `maps` (titles, shapes and
/// fixed scales; their values are ignored), each row with its colour bar.
pub(crate) fn heatmap_montage(title: &str, maps: &[HeatMap], columns: &[(String, Vec<Vec<f32>>)]) -> Scene {
    let boxed = |n: usize, lo: f64| (n as f64 * 2.5).clamp(lo, 150.0).round() as i32;
    let sizes: Vec<(i32, i32)> = maps.iter().map(|m| (boxed(m.cols, 60.0), boxed(m.rows, 36.0))).collect();
    let col_w = sizes.iter().map(|s| s.0).max().unwrap_or(60) + 18;
    let label_w =
        maps.iter().map(|m| text_width(&m.title, 14.0, true)).fold(90.0, f64::max).ceil() as i32 + 20;
    let w = (label_w + col_w * columns.len() as i32 + 90).max(480) as u32;
    let top = 44 + 30;
    let h = (top + sizes.iter().map(|s| s.1 + 22).sum::<i32>() + 10) as u32;
    let (title, maps, columns) = (title.to_string(), maps.to_vec(), columns.to_vec());
    Scene::new(w, h, move |root| {
        let tw = text_width(&title, 18.0, true);
        let size = (18.0 * (f64::from(w) - 24.0) / tw.max(1.0)).min(18.0);
        root.draw(&Text::new(
            title.clone(),
            (w as i32 / 2, 12),
            bold(size).color(&INK).pos(Pos::new(HPos::Center, VPos::Top)),
        ))?;
        for (c, (cap, _)) in columns.iter().enumerate() {
            let x = label_w + col_w * c as i32 + col_w / 2;
            root.draw(&Text::new(
                cap.clone(),
                (x, top - 10),
                bold(14.0).color(&INK).pos(Pos::new(HPos::Center, VPos::Bottom)),
            ))?;
        }
        let mut y = top;
        for (k, (m, &(bw, bh))) in maps.iter().zip(&sizes).enumerate() {
            let st = bold(13.5).color(&INK).pos(Pos::new(HPos::Right, VPos::Center));
            root.draw(&Text::new(m.title.clone(), (label_w - 12, y + bh / 2), st))?;
            for (c, (_, values)) in columns.iter().enumerate() {
                let x = label_w + col_w * c as i32 + (col_w - bw) / 2;
                let v = values.get(k).map_or(&[][..], Vec::as_slice);
                root.draw(&Picture {
                    corners: [(x, y), (x + bw, y + bh)],
                    image: cells(m, v),
                    smooth: false,
                })?;
                root.draw(&Rectangle::new(
                    [(x - 1, y - 1), (x + bw, y + bh)],
                    RGBColor(120, 120, 120).stroke_width(1),
                ))?;
            }
            color_bar(root, (label_w + col_w * columns.len() as i32 + 4, y, 10, bh.max(36)), m.scale)?;
            y += bh + 22;
        }
        Ok(())
    })
}

/// The fixed 256-colour GIF palette: greys, the Okabe–Ito colours, a 161-step
/// blue–white–red ramp, and a coarse RGB cube.
pub(crate) fn gif_palette() -> Vec<[u8; 3]> {
    let mut p: Vec<[u8; 3]> = (0..16u8).map(|i| [i * 17; 3]).collect();
    p.extend(PALETTE.iter().map(|c| [c.0, c.1, c.2]));
    p.extend((0..161).map(|i| diverging_color(f64::from(i) / 80.0 - 1.0)).map(|c| [c.0, c.1, c.2]));
    for r in 0..4u8 {
        for g in 0..4u8 {
            for b in 0..4u8 {
                p.push([r * 85, g * 85, b * 85]);
            }
        }
    }
    p.extend([8u8, 25, 42, 226, 234, 242, 250].map(|v| [v; 3]));
    p.truncate(256);
    p
}

/// Bits per channel of the colour → palette-index cache.
const LUT_BITS: usize = 6;

/// Maps colours to the fixed GIF palette ([`gif_palette`]): the nearest palette colour (ties
/// to the lowest index) of the colour cut to [`LUT_BITS`] bits per channel, cached.
#[derive(Clone, Debug)]
pub(crate) struct Quantizer {
    palette: Vec<[u8; 3]>,
    lut: Vec<u16>,
}

impl Quantizer {
    pub(crate) fn new() -> Quantizer {
        Quantizer { palette: gif_palette(), lut: vec![u16::MAX; 1 << (3 * LUT_BITS)] }
    }

    /// The palette index of colour `p`.
    pub(crate) fn index(&mut self, p: [u8; 3]) -> u8 {
        let key = p.iter().fold(0, |k, &v| (k << LUT_BITS) | (usize::from(v) >> (8 - LUT_BITS)));
        if self.lut[key] == u16::MAX {
            let max = (1usize << LUT_BITS) - 1;
            let ch = |s: usize| (((key >> s) & max) * 255 / max) as i32;
            let c = [ch(2 * LUT_BITS), ch(LUT_BITS), ch(0)];
            let d = |q: &[u8; 3]| (0..3).map(|i| (c[i] - i32::from(q[i])).pow(2)).sum::<i32>();
            let pal = &self.palette;
            self.lut[key] = (0..pal.len()).min_by_key(|&i| (d(&pal[i]), i)).unwrap_or(0) as u16;
        }
        self.lut[key] as u8
    }

    /// The palette indices of `pixels` (RGB, 3 bytes each) into `out`, one per pixel.
    pub(crate) fn map(&mut self, pixels: &[u8], out: &mut [u8]) {
        let mut memo: Option<(&[u8], u8)> = None;
        for (p, o) in pixels.chunks_exact(3).zip(out) {
            *o = match memo {
                Some((c, i)) if c == p => i,
                _ => {
                    let i = self.index([p[0], p[1], p[2]]);
                    memo = Some((p, i));
                    i
                }
            };
        }
    }
}

/// A rectangle `(x, y, w, h)` of pixels.
pub(crate) type Region = (usize, usize, usize, usize);

/// One frame of a GIF: where it goes, its delay and transparent index, and its palette
/// indices, raw or LZW-coded ([`GifFrame::encode`], which may run on any thread).
pub(crate) struct GifFrame {
    frame: gif::Frame<'static>,
    encoded: bool,
}

impl GifFrame {
    /// LZW-codes the frame's indices: the bytes the `gif` crate's encoder would write for
    /// them ([`lzw::encode`]).
    pub(crate) fn encode(&mut self) {
        if !self.encoded {
            let mut coded = Vec::new();
            lzw::encode(&self.frame.buffer, &mut coded);
            self.frame.buffer = coded.into();
            self.encoded = true;
        }
    }
}

/// Turns the frames of an animated GIF (fixed palette, `Keep` disposal) into [`GifFrame`]s in
/// order, full or only each frame's changed rectangle, for a [`GifWriter`] to write: the
/// indices of each frame in order (a delta depends on the frame before), their LZW coding
/// in any order.
pub(crate) struct GifFrames {
    width: u16,
    height: u16,
    delay_cs: u16,
    /// A duplicated palette entry: never produced by the lookup, so it means "unchanged".
    transparent: u8,
    prev: Vec<u8>,
}

impl GifFrames {
    /// Frames of `width × height` pixels (each ≤ 65535) with `delay_ms` each (rounded to
    /// GIF's 10 ms units).
    pub(crate) fn new(width: u32, height: u32, delay_ms: u32) -> io::Result<GifFrames> {
        let (Ok(w), Ok(h)) = (u16::try_from(width), u16::try_from(height)) else {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "GIF dimensions exceed 65535"));
        };
        let palette = gif_palette();
        let transparent = (0..palette.len())
            .find(|&i| palette[..i].contains(&palette[i]))
            .expect("the palette repeats a grey") as u8;
        let mut f = GifFrames { width: w, height: h, delay_cs: 0, transparent, prev: Vec::new() };
        f.set_delay_ms(delay_ms);
        Ok(f)
    }

    /// Changes the delay of the frames made from now on.
    pub(crate) fn set_delay_ms(&mut self, delay_ms: u32) {
        self.delay_cs = ((delay_ms + 5) / 10).min(u32::from(u16::MAX)) as u16;
    }

    fn make(&self, rect: (u16, u16, u16, u16), buffer: Vec<u8>, transparent: Option<u8>) -> GifFrame {
        let (left, top, width, height) = rect;
        let frame = gif::Frame {
            delay: self.delay_cs,
            dispose: gif::DisposalMethod::Keep,
            transparent,
            left,
            top,
            width,
            height,
            buffer: buffer.into(),
            ..gif::Frame::default()
        };
        GifFrame { frame, encoded: false }
    }

    /// The frame with palette indices `idx` (one per pixel, row-major; e.g. from
    /// [`Quantizer::map`]), which differ from the previous frame's at most inside `regions`
    /// (clipped to the frame), as its difference to the previous one: only the bounding box
    /// of the changed pixels, unchanged pixels inside it transparent (it decodes to the same
    /// picture). The first frame is stored in full.
    pub(crate) fn delta(&mut self, idx: &[u8], regions: &[Region]) -> io::Result<GifFrame> {
        let (w, h) = (usize::from(self.width), usize::from(self.height));
        if idx.len() != w * h {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "frame size differs from GIF size"));
        }
        if self.prev.is_empty() {
            self.prev = idx.to_vec();
            return Ok(self.make((0, 0, self.width, self.height), idx.to_vec(), None));
        }
        let regions: Vec<Region> = regions
            .iter()
            .map(|&(x, y, rw, rh)| (x.min(w), y.min(h), rw.min(w - x.min(w)), rh.min(h - y.min(h))))
            .filter(|&(_, _, rw, rh)| rw > 0 && rh > 0)
            .collect();
        let (mut x0, mut x1, mut y0, mut y1) = (w, 0, usize::MAX, 0);
        for &(rx, ry, rw, rh) in &regions {
            for y in ry..ry + rh {
                let (new, old) = (&idx[y * w + rx..y * w + rx + rw], &self.prev[y * w + rx..y * w + rx + rw]);
                if new == old {
                    continue;
                }
                if let Some(a) = new.iter().zip(old).position(|(n, o)| n != o) {
                    let b = new.iter().zip(old).rposition(|(n, o)| n != o).unwrap_or(a);
                    (x0, x1, y0, y1) = (x0.min(rx + a), x1.max(rx + b + 1), y0.min(y), y1.max(y + 1));
                }
            }
        }
        let t = self.transparent;
        if x0 >= x1 {
            // Nothing changed: a 1×1 transparent frame still carries the delay.
            return Ok(self.make((0, 0, 1, 1), vec![t], Some(t)));
        }
        let mut buf = Vec::with_capacity((x1 - x0) * (y1 - y0));
        for y in y0..y1 {
            let (new, old) = (&idx[y * w + x0..y * w + x1], &self.prev[y * w + x0..y * w + x1]);
            buf.extend(new.iter().zip(old).map(|(&n, &o)| if n == o { t } else { n }));
        }
        for &(rx, ry, rw, rh) in &regions {
            for y in ry..ry + rh {
                let row = y * w + rx..y * w + rx + rw;
                self.prev[row.clone()].copy_from_slice(&idx[row]);
            }
        }
        let c = |v: usize| v as u16;
        Ok(self.make((c(x0), c(y0), c(x1 - x0), c(y1 - y0)), buf, Some(t)))
    }
}

/// Writes an animated GIF (looping, fixed palette) through the `gif` crate's encoder: the
/// frames a [`GifFrames`] of the same size makes, in order.
pub(crate) struct GifWriter<W: Write> {
    enc: gif::Encoder<W>,
}

fn gif_err(e: gif::EncodingError) -> io::Error {
    io::Error::other(e)
}

impl<W: Write> GifWriter<W> {
    /// Starts a GIF of `width × height` pixels (each ≤ 65535).
    pub(crate) fn new(out: W, width: u32, height: u32) -> io::Result<Self> {
        let (Ok(w), Ok(h)) = (u16::try_from(width), u16::try_from(height)) else {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "GIF dimensions exceed 65535"));
        };
        let mut enc = gif::Encoder::new(out, w, h, gif_palette().as_flattened()).map_err(gif_err)?;
        enc.set_repeat(gif::Repeat::Infinite).map_err(gif_err)?;
        Ok(GifWriter { enc })
    }

    /// Appends a frame, LZW-coded already ([`GifFrame::encode`]) or not (then by the `gif`
    /// crate): the same bytes either way.
    pub(crate) fn write(&mut self, f: &GifFrame) -> io::Result<()> {
        if f.encoded {
            self.enc.write_lzw_pre_encoded_frame(&f.frame).map_err(gif_err)
        } else {
            self.enc.write_frame(&f.frame).map_err(gif_err)
        }
    }

    /// Writes the trailer and returns the underlying writer.
    pub(crate) fn finish(self) -> io::Result<W> {
        self.enc.into_inner().map_err(io::Error::other)
    }
}
