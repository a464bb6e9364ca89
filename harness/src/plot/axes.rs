//! Tick generation (1-2-5 linear, log10), axis frames, legends and titles shared by the builders.

use super::scene::{Anchor, Color, Marker, Scene, Stroke, TextStyle, text_width};

/// Text scale of tick labels, legends and axis labels.
pub(crate) const SMALL: u32 = 2;
/// Cap height of [`SMALL`] text in pixels.
pub(crate) const SMALL_H: f64 = 14.0;
/// Colour of tick labels.
pub(crate) const TICK_INK: Color = Color::rgb(70, 70, 70);
/// Colour of the plot frame.
pub(crate) const FRAME: Color = Color::rgb(150, 150, 150);

/// "Nice" tick values covering `[lo, hi]` with step 1, 2 or 5 × 10^k, aiming for about
/// `target` intervals. Values are exact multiples of the step (no accumulated error).
pub fn nice_ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
    let step = nice_step(lo, hi, target);
    if !step.is_finite() || step <= 0.0 {
        return vec![lo];
    }
    let first = (lo / step - 1e-9).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    (first..=last).map(|i| clean(i as f64 * step, step)).collect()
}

/// The 1-2-5 step [`nice_ticks`] uses for `[lo, hi]` and `target` intervals.
pub fn nice_step(lo: f64, hi: f64, target: usize) -> f64 {
    let span = hi - lo;
    if !(span > 0.0 && span.is_finite()) {
        return f64::NAN;
    }
    let raw = span / target.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let r = raw / mag;
    let m = if r < 2f64.sqrt() {
        1.0
    } else if r < 10f64.sqrt() {
        2.0
    } else if r < 50f64.sqrt() {
        5.0
    } else {
        10.0
    };
    m * mag
}

fn clean(v: f64, step: f64) -> f64 {
    // Round to the step's decimal precision to print cleanly; avoid "-0".
    let dec = decimals(step).min(15) as i32;
    let p = 10f64.powi(dec);
    let r = (v * p).round() / p;
    if r == 0.0 { 0.0 } else { r }
}

fn decimals(step: f64) -> usize {
    let d = -(step.log10() + 1e-9).floor();
    if d > 0.0 { d as usize } else { 0 }
}

/// Label for a linear tick `v` on an axis with tick spacing `step`.
pub fn format_tick(v: f64, step: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    let a = step.abs();
    if !(1e-3..1e5).contains(&a) {
        return sci(v);
    }
    format!("{:.*}", decimals(a), v)
}

fn sci(v: f64) -> String {
    let s = format!("{:.3e}", v);
    let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
    let m = if m.contains('.') { m.trim_end_matches('0').trim_end_matches('.') } else { m };
    format!("{m}e{e}")
}

/// Label for a log-axis tick (`0.01`, `1`, `100`, or `1e-5` / `2e6` outside that range).
pub fn format_log_tick(v: f64) -> String {
    if (1e-3..1e5).contains(&v) {
        let d = (-(v.log10() + 1e-9).floor()).max(0.0) as usize;
        format!("{:.*}", d, v)
    } else {
        sci(v)
    }
}

/// Ticks of a log10 axis on `[lo, hi]` (both > 0): `(major, minor)` values.
/// Majors are decades (thinned when there are many) or 1-2-5 within a narrow range.
pub fn log_ticks(lo: f64, hi: f64) -> (Vec<f64>, Vec<f64>) {
    if !(lo > 0.0 && hi > lo) {
        return (vec![lo.max(f64::MIN_POSITIVE)], Vec::new());
    }
    let (e0, e1) = (lo.log10().floor() as i32, hi.log10().ceil() as i32);
    let inside = |v: f64| v >= lo * (1.0 - 1e-9) && v <= hi * (1.0 + 1e-9);
    let decades = (hi / lo).log10();
    let (mut major, mut minor) = (Vec::new(), Vec::new());
    if decades <= 2.5 {
        for e in e0..=e1 {
            let p = 10f64.powi(e);
            for m in 1..10 {
                let v = m as f64 * p;
                if inside(v) {
                    if m == 1 || m == 2 || m == 5 { major.push(v) } else { minor.push(v) }
                }
            }
        }
    } else {
        let every = (decades / 6.0).ceil().max(1.0) as i32;
        for e in e0..=e1 {
            let p = 10f64.powi(e);
            if inside(p) && e.rem_euclid(every) == 0 {
                major.push(p);
            } else if inside(p) {
                minor.push(p);
            }
            if every == 1 {
                minor.extend((2..10).map(|m| m as f64 * p).filter(|&v| inside(v)));
            }
        }
    }
    (major, minor)
}

/// One axis: value range and scale type.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Axis {
    pub lo: f64,
    pub hi: f64,
    pub log: bool,
}

impl Axis {
    /// Linear axis; degenerate ranges are widened.
    pub fn linear(lo: f64, hi: f64) -> Axis {
        let (lo, hi) = widen(lo, hi);
        Axis { lo, hi, log: false }
    }

    /// Log10 axis over positive values.
    pub fn log(lo: f64, hi: f64) -> Axis {
        let lo = if lo > 0.0 && lo.is_finite() { lo } else { 1e-6 };
        let hi = if hi > lo && hi.is_finite() { hi } else { lo * 10.0 };
        Axis { lo, hi, log: true }
    }

    /// Fraction 0..1 along the axis (values ≤ 0 on a log axis map far below).
    pub fn frac(&self, v: f64) -> f64 {
        if self.log {
            let v = if v > 0.0 { v } else { self.lo * 1e-6 };
            (v.log10() - self.lo.log10()) / (self.hi.log10() - self.lo.log10())
        } else {
            (v - self.lo) / (self.hi - self.lo)
        }
    }

    /// Major ticks with labels plus minor tick values, for about `target` intervals.
    pub fn ticks(&self, target: usize) -> (Vec<(f64, String)>, Vec<f64>) {
        if self.log {
            let (major, minor) = log_ticks(self.lo, self.hi);
            (major.into_iter().map(|v| (v, format_log_tick(v))).collect(), minor)
        } else {
            let step = nice_step(self.lo, self.hi, target);
            let t = nice_ticks(self.lo, self.hi, target);
            (t.into_iter().map(|v| (v, format_tick(v, step))).collect(), Vec::new())
        }
    }
}

/// Make sure `hi > lo` with a sensible span.
pub(crate) fn widen(lo: f64, hi: f64) -> (f64, f64) {
    if !(lo.is_finite() && hi.is_finite()) {
        return (0.0, 1.0);
    }
    if hi - lo > 1e-12 * (lo.abs() + hi.abs()).max(1e-300) {
        return (lo, hi);
    }
    let d = if lo.abs() > 0.0 { lo.abs() * 0.1 } else { 0.5 };
    (lo - d, hi + d)
}

/// Pixel position snapped to the centre of a pixel (crisp 1-px lines).
pub(crate) fn crisp(v: f64) -> f64 {
    v.floor() + 0.5
}

/// A plot area in pixels with its two axes.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Frame {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
    pub xa: Axis,
    pub ya: Axis,
}

/// Tick sets of a frame.
pub(crate) struct Ticks {
    pub x: Vec<(f64, String)>,
    pub y: Vec<(f64, String)>,
    pub x_minor: Vec<f64>,
    pub y_minor: Vec<f64>,
}

impl Frame {
    pub fn px(&self, x: f64) -> f64 {
        self.x0 + self.xa.frac(x) * (self.x1 - self.x0)
    }
    pub fn py(&self, y: f64) -> f64 {
        self.y1 - self.ya.frac(y) * (self.y1 - self.y0)
    }
    pub fn w(&self) -> f64 {
        self.x1 - self.x0
    }
    pub fn h(&self) -> f64 {
        self.y1 - self.y0
    }

    /// Ticks sized so labels do not collide.
    pub fn ticks(&self) -> Ticks {
        let mut target = ((self.w() / 75.0).round() as usize).clamp(2, 10);
        let (x, x_minor) = loop {
            let (t, m) = self.xa.ticks(target);
            let widest = t.iter().map(|(_, l)| text_width(l, SMALL)).fold(0.0, f64::max);
            if target <= 2 || (t.len() as f64) * (widest + 18.0) <= self.w() {
                break (t, m);
            }
            target -= 1;
        };
        let ty = ((self.h() / 55.0).round() as usize).clamp(2, 10);
        let (y, y_minor) = self.ya.ticks(ty);
        Ticks { x, y, x_minor, y_minor }
    }

    /// White plot background plus gridlines.
    pub fn grid(&self, s: &mut Scene, t: &Ticks) {
        s.rect(self.x0, self.y0, self.w(), self.h(), Color::WHITE);
        let minor = Stroke::new(Color::rgb(242, 242, 242), 1.0);
        let major = Stroke::new(Color::GRID, 1.0);
        for (vals, st) in [(t.y_minor.clone(), minor), (t.y.iter().map(|p| p.0).collect(), major)] {
            for v in vals {
                let y = crisp(self.py(v));
                if y > self.y0 && y < self.y1 {
                    s.line((self.x0, y), (self.x1, y), st);
                }
            }
        }
        for (vals, st) in [(t.x_minor.clone(), minor), (t.x.iter().map(|p| p.0).collect(), major)] {
            for v in vals {
                let x = crisp(self.px(v));
                if x > self.x0 && x < self.x1 {
                    s.line((x, self.y0), (x, self.y1), st);
                }
            }
        }
    }

    /// Frame box, tick marks and tick labels.
    pub fn axes(&self, s: &mut Scene, t: &Ticks, show_x_labels: bool, show_y_labels: bool) {
        let (l, r) = (crisp(self.x0) - 1.0, crisp(self.x1));
        let (top, b) = (crisp(self.y0) - 1.0, crisp(self.y1));
        s.rect_outline(l, top, r - l, b - top, Stroke::new(FRAME, 1.0));
        let tick = Stroke::new(FRAME, 1.0);
        let st = TextStyle::new(SMALL).color(TICK_INK);
        for (v, label) in &t.x {
            let x = crisp(self.px(*v));
            s.line((x, b), (x, b + 5.0), tick);
            if show_x_labels {
                s.text(x, b + 7.0 + SMALL_H / 2.0 + 2.0, label, st.anchor(Anchor::Middle));
            }
        }
        for (v, label) in &t.y {
            let y = crisp(self.py(*v));
            s.line((l - 5.0, y), (l, y), tick);
            if show_y_labels {
                s.text(l - 8.0, y, label, st.anchor(Anchor::End));
            }
        }
    }
}

/// Widest label among ticks.
pub(crate) fn widest(labels: &[(f64, String)]) -> f64 {
    labels.iter().map(|(_, l)| text_width(l, SMALL)).fold(0.0, f64::max)
}

/// What a legend entry shows next to its label.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Swatch {
    /// Line with a translucent band behind it.
    LineBand,
    /// Plain line.
    Line,
    /// A scatter marker.
    Marker(Marker),
}

/// One legend entry.
#[derive(Clone, Debug)]
pub(crate) struct LegendItem {
    pub label: String,
    pub color: Color,
    pub swatch: Swatch,
}

const SWATCH_W: f64 = 28.0;
const ROW_H: f64 = 24.0;
const PAD: f64 = 10.0;

fn item_w(it: &LegendItem) -> f64 {
    SWATCH_W + 8.0 + text_width(&it.label, SMALL)
}

/// Size of a boxed vertical legend.
pub(crate) fn legend_box_size(items: &[LegendItem]) -> (f64, f64) {
    let w = items.iter().map(item_w).fold(0.0, f64::max);
    (w + 2.0 * PAD, items.len() as f64 * ROW_H + 2.0 * PAD - 6.0)
}

fn swatch(s: &mut Scene, it: &LegendItem, x: f64, cy: f64) {
    match it.swatch {
        Swatch::LineBand => {
            s.rect(x, cy - 6.0, SWATCH_W, 12.0, it.color.with_alpha(0.18));
            s.line((x, cy), (x + SWATCH_W, cy), Stroke::new(it.color, 2.5));
        }
        Swatch::Line => s.line((x, cy), (x + SWATCH_W, cy), Stroke::new(it.color, 2.0)),
        Swatch::Marker(m) => {
            s.marker(m, x + SWATCH_W / 2.0, cy, 10.0, it.color, Some(Stroke::new(Color::WHITE, 1.0)));
        }
    }
}

/// Boxed vertical legend with its top-left corner at `(x, y)`.
pub(crate) fn draw_legend_box(s: &mut Scene, items: &[LegendItem], x: f64, y: f64) {
    let (w, h) = legend_box_size(items);
    s.rect(x, y, w, h, Color::WHITE.with_alpha(0.92));
    s.rect_outline(crisp(x), crisp(y), w.round(), h.round(), Stroke::new(Color::rgb(200, 200, 200), 1.0));
    for (i, it) in items.iter().enumerate() {
        let cy = y + PAD + 6.0 + i as f64 * ROW_H;
        swatch(s, it, x + PAD, cy);
        s.text(x + PAD + SWATCH_W + 8.0, cy, &it.label, TextStyle::new(SMALL));
    }
}

/// Rows of a horizontal legend wrapped to `max_w`: each row is (item indices, row width).
pub(crate) fn legend_rows(items: &[LegendItem], max_w: f64) -> Vec<(Vec<usize>, f64)> {
    let gap = 26.0;
    let mut rows: Vec<(Vec<usize>, f64)> = Vec::new();
    for (i, it) in items.iter().enumerate() {
        let w = item_w(it);
        match rows.last_mut() {
            Some((idx, rw)) if *rw + gap + w <= max_w => {
                idx.push(i);
                *rw += gap + w;
            }
            _ => rows.push((vec![i], w)),
        }
    }
    rows
}

/// Height of a horizontal legend strip wrapped to `max_w`.
pub(crate) fn legend_strip_h(items: &[LegendItem], max_w: f64) -> f64 {
    legend_rows(items, max_w).len() as f64 * ROW_H
}

/// Horizontal legend strip centred on `cx`, first row centred at `y`.
pub(crate) fn draw_legend_strip(s: &mut Scene, items: &[LegendItem], cx: f64, y: f64, max_w: f64) {
    for (r, (idx, rw)) in legend_rows(items, max_w).into_iter().enumerate() {
        let mut x = cx - rw / 2.0;
        let cy = y + r as f64 * ROW_H;
        for i in idx {
            let it = &items[i];
            swatch(s, it, x, cy);
            s.text(x + SWATCH_W + 8.0, cy, &it.label, TextStyle::new(SMALL));
            x += item_w(it) + 26.0;
        }
    }
}

/// Title style: scale 3 when it fits in `avail` pixels, else scale 2; bold either way.
pub(crate) fn title_style(title: &str, avail: f64) -> TextStyle {
    let size = if text_width(title, 3) <= avail { 3 } else { 2 };
    TextStyle::new(size).bold().anchor(Anchor::Middle).color(Color::rgb(20, 20, 20))
}

/// Vertical space [`draw_title`] uses in a figure `width` pixels wide.
pub(crate) fn title_block(title: &str, width: f64) -> f64 {
    if title.is_empty() {
        return 12.0;
    }
    16.0 + 7.0 * title_style(title, width - 40.0).size as f64 + 22.0
}

/// Draw the figure title centred at the top; returns the y below it.
pub(crate) fn draw_title(s: &mut Scene, title: &str) -> f64 {
    if !title.is_empty() {
        let st = title_style(title, s.width as f64 - 40.0);
        let h = 7.0 * st.size as f64;
        s.text(s.width as f64 / 2.0, 16.0 + h / 2.0, title, st);
    }
    title_block(title, s.width as f64)
}

/// Choose a legend corner inside `f` that avoids data; `occupied(x0, y0, x1, y1)`
/// scores overlap of a pixel rectangle with data (lower is better). Returns the
/// top-left corner, or `None` when every corner overlaps.
pub(crate) fn pick_corner(
    f: &Frame,
    size: (f64, f64),
    occupied: impl Fn(f64, f64, f64, f64) -> usize,
) -> Option<(f64, f64)> {
    let inset = 10.0;
    let corners = [
        (f.x1 - inset - size.0, f.y0 + inset),
        (f.x0 + inset, f.y0 + inset),
        (f.x1 - inset - size.0, f.y1 - inset - size.1),
        (f.x0 + inset, f.y1 - inset - size.1),
    ];
    if size.0 + 2.0 * inset > f.w() || size.1 + 2.0 * inset > f.h() {
        return None;
    }
    corners
        .into_iter()
        .map(|(x, y)| ((x, y), occupied(x - 4.0, y - 4.0, x + size.0 + 4.0, y + size.1 + 4.0)))
        .filter(|(_, score)| *score == 0)
        .map(|(c, _)| c)
        .next()
}
