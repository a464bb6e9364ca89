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

/// Height of the caption band at the top of a heat-map frame: the caption is the only
/// thing drawn in rows `0..HEAD`, so an animation can redraw just that band.
const HEAD: f64 = 56.0;

/// Draws the centred caption into the band `0..HEAD` of a frame `w` px wide.
fn caption_text(s: &mut Scene, w: f64, caption: &str) {
    let cst = TextStyle::new(SMALL).bold().anchor(Anchor::Middle).color(Color::rgb(20, 20, 20));
    let cst = if text_width(caption, 3) <= w - 40.0 { TextStyle { size: 3, ..cst } } else { cst };
    s.text(w / 2.0, 18.0 + 10.5, caption, cst);
}

/// Where a matrix's cell image is stretched to (the arguments of its `Scene::image`).
#[derive(Clone, Copy, Debug)]
struct ImageRect {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

/// [`heatmap_scene`] plus the rectangle each matrix's cell image is drawn into.
fn scene_with_rects(matrices: &[HeatMap], caption: &str) -> (Scene, Vec<ImageRect>) {
    let lay = layout(matrices);
    let mut s = Scene::new(lay.w as u32, lay.h as u32);
    let mut rects = Vec::with_capacity(matrices.len());
    caption_text(&mut s, lay.w, caption);
    let content: f64 = lay.slot_w.iter().sum::<f64>() + GAP * (matrices.len().max(1) - 1) as f64;
    let mut x = ((lay.w - content) / 2.0).round();
    let y_title = HEAD + SMALL_H / 2.0;
    let y0 = HEAD + SMALL_H + 12.0;
    for (k, m) in matrices.iter().enumerate() {
        let (cw, ch) = lay.cells[k];
        let (pw, ph) = ((cw * m.cols as f64).round(), (ch * m.rows as f64).round());
        let bar_label_w = text_width(&format!("+{}", scale_label(m.scale)), SMALL);
        let used = pw + 12.0 + BAR_W + 8.0 + bar_label_w;
        let px = (x + (lay.slot_w[k] - used) / 2.0).round();
        let st = TextStyle::new(SMALL).bold().anchor(Anchor::Middle);
        s.text(px + pw / 2.0, y_title, &m.title, st);
        let mut img = Raster::new(m.cols.max(1) as u32, m.rows.max(1) as u32, NO_VALUE);
        let sc = color_scale(m.scale);
        for r in 0..m.rows {
            for c in 0..m.cols {
                if let Some(&v) = m.values.get(r * m.cols + c) {
                    img.set(c as u32, r as u32, diverging_color(v as f64 / sc));
                }
            }
        }
        // The image and its outline are pixel-aligned (px, y0, pw, ph are integers), so
        // the anti-aliased outline never touches the image's pixels: `HeatmapAnimator`
        // repaints exactly those pixels per frame.
        s.image(px, y0, pw, ph, img, false);
        rects.push(ImageRect { x: px, y: y0, w: pw, h: ph });
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
    (s, rects)
}

/// Colour of cells without a value.
const NO_VALUE: Color = Color::rgb(160, 160, 160);

/// The divisor mapping values to `[-1, 1]`: `scale` when positive, else 1.
fn color_scale(scale: f32) -> f64 {
    if scale > 0.0 { scale as f64 } else { 1.0 }
}

/// Heat-map frame as a [`Scene`] (also usable as a static SVG/PNG figure). The frame size
/// depends only on the matrix shapes, titles and scales, never on the values or caption,
/// so all frames of an animation share one size.
pub fn heatmap_scene(matrices: &[HeatMap], caption: &str) -> Scene {
    scene_with_rects(matrices, caption).0
}

/// Heat-map animation frame: each matrix side by side with its own fixed blue–white–red
/// scale (`±scale`, clamped), a colour bar, and the caption on top.
pub fn heatmap_frame(matrices: &[HeatMap], caption: &str) -> Raster {
    heatmap_scene(matrices, caption).to_raster()
}

/// One matrix panel of a [`HeatmapAnimator`]: its pixel rectangle and, per pixel
/// column / row, the cell it shows.
#[derive(Clone, Debug)]
struct AnimPanel {
    rows: usize,
    cols: usize,
    scale: f64,
    x0: usize,
    y0: usize,
    /// Cell column of each pixel column `x0..x0 + col_of.len()`.
    col_of: Vec<usize>,
    /// Cell row of each pixel row `y0..y0 + row_of.len()`.
    row_of: Vec<usize>,
}

/// Renders the frames of a heat-map animation cheaply: the static parts (titles, outlines,
/// colour bars, labels) are rasterised once, and each frame only repaints the matrix cells
/// and the caption band. Every frame is pixel-for-pixel identical to [`heatmap_frame`] of
/// the same matrices and caption.
#[derive(Clone, Debug)]
pub struct HeatmapAnimator {
    panels: Vec<AnimPanel>,
    width: f64,
    frame: Raster,
    /// Reused cell colours of the panel being painted.
    colors: Vec<[u8; 3]>,
}

impl HeatmapAnimator {
    /// Prepares the frames of `matrices`: their titles, shapes and scales are fixed for the
    /// whole animation; only the values (and the caption) change per frame.
    pub fn new(matrices: &[HeatMap]) -> HeatmapAnimator {
        let (scene, rects) = scene_with_rects(matrices, "");
        let frame = scene.to_raster();
        let (fw, fh) = (frame.width as i64, frame.height as i64);
        let panels = matrices
            .iter()
            .zip(rects)
            .map(|(m, r)| {
                // The same pixel → cell mapping as the raster backend's nearest-neighbour
                // `Cmd::Image` (clip to the frame, sample at pixel centres).
                let (iw, ih) = (m.cols.max(1), m.rows.max(1));
                let empty = r.w <= 0.0 || r.h <= 0.0;
                let (x0, x1) = (0.max(r.x.round() as i64), fw.min((r.x + r.w).round() as i64));
                let (y0, y1) = (0.max(r.y.round() as i64), fh.min((r.y + r.h).round() as i64));
                let map = |p: i64, o: f64, len: f64, n: usize| {
                    let t = (p as f64 + 0.5 - o) / len * n as f64;
                    (t.floor() as u32).min(n as u32 - 1) as usize
                };
                let col_of =
                    if empty { Vec::new() } else { (x0..x1).map(|p| map(p, r.x, r.w, iw)).collect() };
                let row_of =
                    if empty { Vec::new() } else { (y0..y1).map(|p| map(p, r.y, r.h, ih)).collect() };
                AnimPanel {
                    rows: m.rows,
                    cols: m.cols,
                    scale: color_scale(m.scale),
                    x0: x0 as usize,
                    y0: y0 as usize,
                    col_of,
                    row_of,
                }
            })
            .collect();
        HeatmapAnimator { panels, width: scene.width as f64, frame, colors: Vec::new() }
    }

    /// Width and height of every frame in pixels.
    pub fn size(&self) -> (u32, u32) {
        (self.frame.width, self.frame.height)
    }

    /// The frame showing `values` (one row-major slice per matrix, in the order given to
    /// [`HeatmapAnimator::new`]; missing values are grey) under `caption`.
    ///
    /// # Panics
    /// When the number of slices differs from the number of matrices.
    pub fn frame<V: AsRef<[f32]>>(&mut self, values: &[V], caption: &str) -> &Raster {
        assert_eq!(values.len(), self.panels.len(), "one value slice per matrix");
        let row_bytes = 3 * self.frame.width as usize;
        // Caption band: rendered by the same code as `heatmap_scene`, on its own.
        let mut band = Scene::new(self.frame.width, (HEAD as u32).min(self.frame.height));
        caption_text(&mut band, self.width, caption);
        let band = band.to_raster();
        self.frame.pixels[..band.pixels.len()].copy_from_slice(&band.pixels);
        for (p, v) in self.panels.iter().zip(values) {
            let v = v.as_ref();
            let iw = p.cols.max(1);
            self.colors.clear();
            self.colors.resize(iw * p.rows.max(1), [NO_VALUE.r, NO_VALUE.g, NO_VALUE.b]);
            for (i, &x) in v.iter().enumerate().take(p.rows * p.cols) {
                let c = diverging_color(x as f64 / p.scale);
                self.colors[i] = [c.r, c.g, c.b];
            }
            let (a, b) = (3 * p.x0, 3 * (p.x0 + p.col_of.len()));
            for (j, &r) in p.row_of.iter().enumerate() {
                let y = p.y0 + j;
                if j > 0 && p.row_of[j - 1] == r {
                    // Same cell row as the pixel row above: copy it.
                    let (above, this) = self.frame.pixels.split_at_mut(y * row_bytes);
                    this[a..b].copy_from_slice(&above[(y - 1) * row_bytes + a..(y - 1) * row_bytes + b]);
                    continue;
                }
                let cells = &self.colors[r * iw..(r + 1) * iw];
                let line = &mut self.frame.pixels[y * row_bytes + a..y * row_bytes + b];
                for (px, &c) in line.chunks_exact_mut(3).zip(&p.col_of) {
                    px.copy_from_slice(&cells[c]);
                }
            }
        }
        &self.frame
    }
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

/// GIF's variable-width LZW coder (LSB-first codes up to 12 bits; a clear code starts
/// the stream and follows every full table), greedy longest match like every GIF encoder.
/// A small hash table (which stays in cache) finds each extended string, and runs of one
/// byte (the transparent areas of delta frames, the cells of heat maps) are consumed in
/// steps as long as the longest run string in the table: several times faster than the
/// `gif` crate's encoder.
struct Lzw {
    /// Open-addressing hash table of the strings `code` + `byte`: entries
    /// `(code << 8 | byte) << 12 | code of the string`, 0 when empty.
    table: Vec<u32>,
    /// `runs[v][j]`: code of the string of `j + 2` bytes `v` (the table holds exactly
    /// the run strings of `v` up to `runs[v].len() + 1` bytes).
    runs: Vec<Vec<u16>>,
    /// Minimum code size byte followed by the packed codes.
    out: Vec<u8>,
}

/// Length of the run of `v` that starts `data`, counting at most `limit` bytes.
fn run_len(data: &[u8], v: u8, limit: usize) -> usize {
    let data = &data[..data.len().min(limit)];
    let pattern = u64::from_le_bytes([v; 8]);
    let mut words = data.chunks_exact(8);
    let mut n = 0;
    for word in words.by_ref() {
        let x = u64::from_le_bytes(word.try_into().expect("8 bytes")) ^ pattern;
        if x != 0 {
            return n + x.trailing_zeros() as usize / 8;
        }
        n += 8;
    }
    n + words.remainder().iter().take_while(|&&b| b == v).count()
}

/// Slots of [`Lzw::table`]: four per code, so probe sequences stay short.
const TABLE: usize = 1 << 14;

/// Home slot of a hash-table key.
#[inline]
fn slot(key: u32) -> usize {
    (key.wrapping_mul(0x9E37_79B1) >> (32 - 14)) as usize
}

/// The code stream of one [`Lzw::encode`] call.
struct Codes<'a> {
    lzw: &'a mut Lzw,
    acc: u64,
    bits: u32,
    next: u32,
    size: u32,
    min_size: u32,
}

impl Codes<'_> {
    fn emit(&mut self, code: u32) {
        self.acc |= u64::from(code) << self.bits;
        self.bits += self.size;
        while self.bits >= 8 {
            self.lzw.out.push(self.acc as u8);
            self.acc >>= 8;
            self.bits -= 8;
        }
    }

    /// Forgets every string of the table.
    fn reset_table(&mut self) {
        let lzw = &mut *self.lzw;
        lzw.table.fill(0);
        lzw.runs.iter_mut().for_each(Vec::clear);
        (self.next, self.size) = ((1 << self.min_size) + 2, self.min_size + 1);
    }

    /// Emits `cur` (no longer extendable by `k`) and adds the string `cur` + `k` to the
    /// table, or emits a clear code when the table is full. `run`: `cur` + `k` is a run.
    fn emit_and_add(&mut self, cur: u32, k: u8, run: bool) {
        self.emit(cur);
        if self.next == 4096 {
            self.emit(1 << self.min_size);
            self.reset_table();
            return;
        }
        if self.next >= 1 << self.size {
            self.size += 1;
        }
        let key = (cur << 8) | u32::from(k);
        let mut h = slot(key);
        while self.lzw.table[h] != 0 {
            h = (h + 1) & (TABLE - 1);
        }
        self.lzw.table[h] = (key << 12) | self.next;
        if run {
            self.lzw.runs[k as usize].push(self.next as u16);
        }
        self.next += 1;
    }
}

impl Lzw {
    fn new() -> Lzw {
        Lzw { table: vec![0; TABLE], runs: vec![Vec::new(); 256], out: Vec::new() }
    }

    /// Encodes `data` into `self.out` (the layout [`gif::Encoder::write_lzw_pre_encoded_frame`]
    /// expects); the minimum code size is the smallest that fits every byte (at least 2).
    fn encode(&mut self, data: &[u8]) {
        let max = data.iter().copied().max().unwrap_or(0);
        let min_size = (u32::from(max) + 1).max(4).next_power_of_two().trailing_zeros();
        self.out.clear();
        self.out.push(min_size as u8);
        let mut c = Codes { lzw: self, acc: 0, bits: 0, next: 0, size: 0, min_size };
        c.reset_table();
        c.emit(1 << min_size);
        if let Some(&first) = data.first() {
            // `cur` is the code of the string matched so far; when that string is `run`
            // bytes `v`, `run > 0`.
            let (mut cur, mut v, mut run) = (u32::from(first), first, 1usize);
            let mut i = 1;
            while i < data.len() {
                let k = data[i];
                if run > 0 && k == v {
                    let runs = &c.lzw.runs[v as usize];
                    let longest = runs.len() + 1;
                    let code = |n: usize| if n == 1 { u32::from(v) } else { u32::from(runs[n - 2]) };
                    let avail = longest - run;
                    let r = run_len(&data[i..], v, avail + 1);
                    if r <= avail {
                        // The table holds the whole extended run.
                        run += r;
                        i += r;
                        cur = code(run);
                    } else {
                        // Longest run string, then one more `v`: a new string.
                        cur = code(longest);
                        i += avail + 1;
                        c.emit_and_add(cur, v, true);
                        (cur, run) = (u32::from(v), 1);
                    }
                    continue;
                }
                let key = (cur << 8) | u32::from(k);
                let mut h = slot(key);
                let found = loop {
                    match c.lzw.table[h] {
                        0 => break None,
                        e if e >> 12 == key => break Some(e & 0xFFF),
                        _ => h = (h + 1) & (TABLE - 1),
                    }
                };
                if let Some(found) = found {
                    (cur, run) = (found, 0);
                } else {
                    c.emit_and_add(cur, k, false);
                    (cur, v, run) = (u32::from(k), k, 1);
                }
                i += 1;
            }
            c.emit(cur);
        }
        c.emit((1 << min_size) + 1);
        c.size = 7;
        c.emit(0); // flush the last partial byte
        c.reset_table();
    }
}

/// Animated GIF writer with a fixed palette, constant frame delay and infinite looping.
///
/// [`GifWriter::add_frame_delta`] stores only what changed since the previous frame (a
/// sub-rectangle in which unchanged pixels are transparent), which is much smaller and
/// faster to encode for animations where most of the picture stays put.
pub struct GifWriter<W: Write> {
    enc: gif::Encoder<W>,
    width: u16,
    height: u16,
    delay_cs: u16,
    palette: Vec<[u8; 3]>,
    /// Lazily filled nearest-palette index per colour cell (`LUT_BITS` per channel).
    lut: Vec<u16>,
    /// A palette index that [`nearest`] never returns (a duplicate colour), usable as
    /// the transparent index of delta frames.
    transparent: Option<u8>,
    /// The previous frame's pixels and palette indices (empty before the first frame).
    prev_rgb: Vec<u8>,
    prev_idx: Vec<u8>,
    /// Reused index buffer of the frame being written.
    idx: Vec<u8>,
    /// Reused per-row ranges of changed pixels, and whether they repeat the row above.
    spans: Vec<(usize, usize, bool)>,
    lzw: Lzw,
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

/// Palette index of an RGB pixel through the lazily filled lookup table.
#[inline]
fn palette_index(lut: &mut [u16], palette: &[[u8; 3]], p: &[u8]) -> u8 {
    let q = |v: u8| (v as usize) >> (8 - LUT_BITS);
    let key = (q(p[0]) << (2 * LUT_BITS)) | (q(p[1]) << LUT_BITS) | q(p[2]);
    if lut[key] == UNSET {
        lut[key] = nearest(palette, key);
    }
    lut[key] as u8
}

/// Bytes (16 pixels) compared at once when looking for changes.
const BLOCK: usize = 48;

/// The 8 bytes of `a` from `i`, as a little-endian word.
#[inline]
fn word(a: &[u8], i: usize) -> u64 {
    u64::from_le_bytes(a[i..i + 8].try_into().expect("8 bytes"))
}

/// Whether the first [`BLOCK`] bytes of `a` and `b` (both at least that long) agree.
#[inline]
fn same_block(a: &[u8], b: &[u8]) -> bool {
    (0..BLOCK / 8).fold(0, |x, k| x | (word(a, 8 * k) ^ word(b, 8 * k))) == 0
}

/// Index of the first pixel where the RGB rows `a` and `b` differ.
fn first_diff(a: &[u8], b: &[u8]) -> Option<usize> {
    let mut i = 0;
    while i + 8 <= a.len() {
        let x = word(a, i) ^ word(b, i);
        if x != 0 {
            return Some((i + x.trailing_zeros() as usize / 8) / 3);
        }
        i += 8;
    }
    (i..a.len()).find(|&j| a[j] != b[j]).map(|j| j / 3)
}

/// Index of the last pixel where the RGB rows `a` and `b` differ.
fn last_diff(a: &[u8], b: &[u8]) -> Option<usize> {
    let mut e = a.len();
    while e >= 8 {
        let x = word(a, e - 8) ^ word(b, e - 8);
        if x != 0 {
            return Some((e - 1 - x.leading_zeros() as usize / 8) / 3);
        }
        e -= 8;
    }
    (0..e).rev().find(|&j| a[j] != b[j]).map(|j| j / 3)
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
        // `nearest` breaks ties towards the lowest index, so a repeated colour's later
        // entry is never produced and can mean "transparent".
        let transparent = (0..pal.len()).find(|&i| pal[..i].contains(&pal[i])).map(|i| i as u8);
        Ok(GifWriter {
            enc,
            width: w,
            height: h,
            delay_cs,
            palette: pal,
            lut: vec![UNSET; 1 << (3 * LUT_BITS)],
            transparent,
            prev_rgb: Vec::new(),
            prev_idx: Vec::new(),
            idx: Vec::new(),
            spans: Vec::new(),
            lzw: Lzw::new(),
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

    fn check_size(&self, frame: &Raster) -> io::Result<()> {
        if frame.width != self.width as u32 || frame.height != self.height as u32 {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "frame size differs from GIF size"));
        }
        Ok(())
    }

    /// Write `idx` (row-major, `width × height`) at `(left, top)`.
    fn write(
        &mut self,
        left: u16,
        top: u16,
        width: u16,
        height: u16,
        transparent: Option<u8>,
    ) -> io::Result<()> {
        debug_assert_eq!(self.idx.len(), width as usize * height as usize);
        self.lzw.encode(&self.idx);
        let f = gif::Frame {
            delay: self.delay_cs,
            dispose: gif::DisposalMethod::Keep,
            transparent,
            left,
            top,
            width,
            height,
            buffer: std::borrow::Cow::Borrowed(&self.lzw.out),
            ..gif::Frame::default()
        };
        self.enc.write_lzw_pre_encoded_frame(&f).map_err(gif_err)?;
        self.frames += 1;
        Ok(())
    }

    /// Append a full frame; it must have the size given to [`GifWriter::new`].
    pub fn add_frame(&mut self, frame: &Raster) -> io::Result<()> {
        self.check_size(frame)?;
        let mut idx = std::mem::take(&mut self.idx);
        idx.clear();
        idx.extend(frame.pixels.chunks_exact(3).map(|p| palette_index(&mut self.lut, &self.palette, p)));
        self.prev_idx.clone_from(&idx);
        self.idx = idx;
        self.prev_rgb.clone_from(&frame.pixels);
        self.write(0, 0, self.width, self.height, None)
    }

    /// Append a frame (of the size given to [`GifWriter::new`]) as a difference to the
    /// previous one: only the bounding box of the changed pixels is stored, with the
    /// pixels inside it that keep their colour made transparent. Decodes to exactly the
    /// same pictures as [`GifWriter::add_frame`]. The first frame is stored in full.
    pub fn add_frame_delta(&mut self, frame: &Raster) -> io::Result<()> {
        self.check_size(frame)?;
        if self.prev_rgb.is_empty() {
            return self.add_frame(frame);
        }
        let (w, h) = (self.width as usize, self.height as usize);
        // Per row, the first and last pixel whose colour changed and whether these pixels
        // repeat the row above in both frames; the bounding box of the changes.
        let mut spans = std::mem::take(&mut self.spans);
        spans.clear();
        let (mut x0, mut x1, mut y0, mut y1) = (w, 0, h, 0);
        let rows = frame.pixels.chunks_exact(3 * w).zip(self.prev_rgb.chunks_exact(3 * w));
        let mut above: Option<(&[u8], &[u8])> = None;
        for (y, (new, old)) in rows.enumerate() {
            let (first, last) = match (first_diff(new, old), last_diff(new, old)) {
                (Some(first), Some(last)) => (first, last + 1),
                _ => (0, 0),
            };
            let (s, e) = (3 * first, 3 * last);
            let repeat = first < last
                && spans.last().is_some_and(|&(f, l, _)| (f, l) == (first, last))
                && above.is_some_and(|(a_new, a_old)| a_new[s..e] == new[s..e] && a_old[s..e] == old[s..e]);
            if first < last {
                (x0, x1, y0, y1) = (x0.min(first), x1.max(last), y0.min(y), y + 1);
            }
            spans.push((first, last, repeat));
            above = Some((new, old));
        }
        let keep = self.transparent;
        let mut idx = std::mem::take(&mut self.idx);
        idx.clear();
        // Palette indices inside that box (unchanged pixels → `keep`), and the box of the
        // pixels whose index changed.
        let (mut ix0, mut ix1, mut iy0, mut iy1) = (w, 0, h, 0);
        // The last colour looked up and its index: cells repeat colours along a row.
        let mut last: Option<([u8; 3], u8)> = None;
        // Whether the row above changed index somewhere.
        let mut row_changed = false;
        for (y, &(a, b, repeat)) in spans.iter().enumerate().take(y1).skip(y0) {
            let row = &frame.pixels[3 * y * w..3 * (y + 1) * w];
            if repeat && keep.is_some() {
                // Same changed pixels as the row above, before and after, and everything
                // else transparent: the same indices (heat-map cells are many pixels tall).
                idx.extend_from_within(idx.len() - (x1 - x0)..);
                self.prev_idx.copy_within((y - 1) * w + a..(y - 1) * w + b, y * w + a);
                self.prev_rgb[3 * (y * w + a)..3 * (y * w + b)].copy_from_slice(&row[3 * a..3 * b]);
                if row_changed {
                    iy1 = y + 1;
                }
                continue;
            }
            row_changed = false;
            let old_row = &self.prev_rgb[3 * y * w..3 * (y + 1) * w];
            let old_idx = &mut self.prev_idx[y * w..(y + 1) * w];
            let (a, b) = if a < b { (a, b) } else { (x1, x1) };
            let unchanged = |idx: &mut Vec<u8>, old: &[u8]| match keep {
                Some(t) => idx.resize(idx.len() + old.len(), t),
                None => idx.extend_from_slice(old),
            };
            unchanged(&mut idx, &old_idx[x0..a]);
            let mut x = a;
            while x < b {
                // Blocks of unchanged pixels first, then pixel by pixel.
                if x + BLOCK / 3 <= b && same_block(&row[3 * x..], &old_row[3 * x..]) {
                    unchanged(&mut idx, &old_idx[x..x + BLOCK / 3]);
                    x += BLOCK / 3;
                    continue;
                }
                let end = (x + BLOCK / 3).min(b);
                for x in x..end {
                    let p = [row[3 * x], row[3 * x + 1], row[3 * x + 2]];
                    let i = if p == [old_row[3 * x], old_row[3 * x + 1], old_row[3 * x + 2]] {
                        old_idx[x]
                    } else if let Some((q, i)) = last
                        && q == p
                    {
                        i
                    } else {
                        let i = palette_index(&mut self.lut, &self.palette, &p);
                        last = Some((p, i));
                        i
                    };
                    if old_idx[x] == i {
                        idx.push(keep.unwrap_or(i));
                    } else {
                        old_idx[x] = i;
                        idx.push(i);
                        row_changed = true;
                        (ix0, ix1, iy0, iy1) = (ix0.min(x), ix1.max(x + 1), iy0.min(y), y + 1);
                    }
                }
                x = end;
            }
            unchanged(&mut idx, &old_idx[b..x1]);
            self.prev_rgb[3 * (y * w + a)..3 * (y * w + b)].copy_from_slice(&row[3 * a..3 * b]);
        }
        self.spans = spans;
        if ix0 >= ix1 {
            // Nothing visible changed: a 1×1 frame still carries the delay.
            let i = keep.unwrap_or(self.prev_idx[0]);
            idx.clear();
            idx.push(i);
            self.idx = idx;
            return self.write(0, 0, 1, 1, keep);
        }
        if (ix0, ix1, iy0, iy1) != (x0, x1, y0, y1) {
            // Crop to the index-change box.
            let bw = x1 - x0;
            let mut k = 0;
            for y in iy0..iy1 {
                let start = (y - y0) * bw + (ix0 - x0);
                idx.copy_within(start..start + (ix1 - ix0), k);
                k += ix1 - ix0;
            }
            idx.truncate(k);
        }
        self.idx = idx;
        let c = |v: usize| v as u16;
        self.write(c(ix0), c(iy0), c(ix1 - ix0), c(iy1 - iy0), keep)
    }

    /// The same writer without a transparent index (delta frames then repeat unchanged
    /// pixels inside their box), to test that fallback.
    #[cfg(test)]
    pub(super) fn without_transparency(mut self) -> Self {
        self.transparent = None;
        self
    }

    /// Write the trailer and return the underlying writer.
    pub fn finish(self) -> io::Result<W> {
        self.enc.into_inner().map_err(io::Error::other)
    }
}

#[cfg(test)]
mod lzw_tests {
    use super::*;

    /// The textbook encoder (one table lookup per byte) that [`Lzw`] must match bit for bit.
    fn reference(data: &[u8]) -> Vec<u8> {
        let max = data.iter().copied().max().unwrap_or(0);
        let min_size = (u32::from(max) + 1).max(4).next_power_of_two().trailing_zeros();
        let mut out = vec![min_size as u8];
        let (clear, eoi) = (1u32 << min_size, (1u32 << min_size) + 1);
        let (mut next, mut size) = (eoi + 1, min_size + 1);
        let mut table = std::collections::HashMap::new();
        let (mut acc, mut bits) = (0u64, 0u32);
        let mut emit = |code: u32, size: u32| {
            acc |= u64::from(code) << bits;
            bits += size;
            while bits >= 8 {
                out.push(acc as u8);
                acc >>= 8;
                bits -= 8;
            }
        };
        emit(clear, size);
        if let Some((&first, rest)) = data.split_first() {
            let mut cur = u32::from(first);
            for &k in rest {
                if let Some(&c) = table.get(&(cur, k)) {
                    cur = c;
                    continue;
                }
                emit(cur, size);
                if next == 4096 {
                    emit(clear, size);
                    table.clear();
                    (next, size) = (eoi + 1, min_size + 1);
                } else {
                    if next >= 1 << size {
                        size += 1;
                    }
                    table.insert((cur, k), next);
                    next += 1;
                }
                cur = u32::from(k);
            }
            emit(cur, size);
        }
        emit(eoi, size);
        emit(0, 7);
        out
    }

    /// Wraps `data` (indices < 256) in a one-frame GIF via [`Lzw`] and decodes it.
    fn round_trip(data: &[u8], width: u16) -> Vec<u8> {
        let height = (data.len() / width as usize) as u16;
        let pal: Vec<u8> = (0..=255u8).flat_map(|i| [i, i, i]).collect();
        let mut enc = gif::Encoder::new(Vec::new(), width, height, &pal).expect("encoder");
        let mut lzw = Lzw::new();
        lzw.encode(data);
        assert!(lzw.out == reference(data), "differs from the reference encoder");
        lzw.encode(data);
        assert!(lzw.out == reference(data), "a reused encoder starts afresh");
        let f =
            gif::Frame { width, height, buffer: std::borrow::Cow::Borrowed(&lzw.out), ..Default::default() };
        enc.write_lzw_pre_encoded_frame(&f).expect("frame");
        let bytes = enc.into_inner().expect("finish");
        let mut opts = gif::DecodeOptions::new();
        opts.set_color_output(gif::ColorOutput::Indexed);
        let mut dec = opts.read_info(std::io::Cursor::new(bytes)).expect("decode");
        dec.read_next_frame().expect("read").expect("frame").buffer.to_vec()
    }

    #[test]
    fn lzw_round_trips() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut rnd = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        // Alphabets of every code size, noise, runs and mixtures, past many table resets.
        for (alphabet, run) in [
            (2u64, 1u64),
            (4, 1),
            (5, 3),
            (16, 1),
            (128, 1),
            (129, 2),
            (256, 1),
            (256, 5),
            (256, 40),
            (3, 300),
        ] {
            for len in [1usize, 2, 3, 7, 64, 1000, 5000, 70_000, 400_000] {
                let mut data = Vec::with_capacity(len);
                while data.len() < len {
                    let v = (rnd() % alphabet) as u8;
                    let n = (1 + rnd() % run) as usize;
                    data.extend(std::iter::repeat_n(v, n.min(len - data.len())));
                }
                let width = [400u16, 7, 1].into_iter().find(|&w| len % w as usize == 0).unwrap_or(1);
                assert!(round_trip(&data, width) == data, "alphabet {alphabet}, run {run}, len {len}");
            }
        }
        assert!(round_trip(&[200; 100_000], 100) == vec![200; 100_000]);
    }
}
