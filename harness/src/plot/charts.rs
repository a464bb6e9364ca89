//! Figure builders for line/band plots, box plots, class scatter plots and decision maps.

use super::axes::{
    Axis, Frame, LegendItem, SMALL, SMALL_H, Swatch, crisp, draw_legend_box, draw_legend_strip, draw_title,
    legend_box_size, legend_strip_h, pick_corner, title_block, widest,
};
use super::raster::Raster;
use super::scene::{Anchor, Color, Marker, Scene, Stroke, TextStyle, series_color, text_width};

/// One curve: mean with a ±std band (an empty `std` draws no band).
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// Legend label.
    pub name: String,
    /// Line and band colour.
    pub color: Color,
    /// X values, ascending.
    pub x: Vec<f64>,
    /// Mean per x.
    pub mean: Vec<f64>,
    /// Standard deviation per x (same length as `mean`, or empty).
    pub std: Vec<f64>,
}

impl Series {
    /// Convenience constructor.
    pub fn new(name: &str, color: Color, x: Vec<f64>, mean: Vec<f64>, std: Vec<f64>) -> Series {
        Series { name: name.to_string(), color, x, mean, std }
    }

    /// Finite points as `(x, mean, std)`.
    fn points(&self) -> Vec<(f64, f64, f64)> {
        let n = self.x.len().min(self.mean.len());
        (0..n)
            .map(|i| (self.x[i], self.mean[i], self.std.get(i).copied().unwrap_or(0.0)))
            .filter(|(x, m, s)| x.is_finite() && m.is_finite() && s.is_finite())
            .collect()
    }
}

/// One small-multiple panel of [`multi_line_bands`].
#[derive(Clone, Debug, PartialEq)]
pub struct LinePanel {
    /// Panel title (e.g. `"layer 1 (2×64)"`).
    pub title: String,
    /// Curves; give matching names/colours across panels (the legend is taken from the first panel).
    pub series: Vec<Series>,
}

/// Options for [`line_bands_opts`] and [`multi_line_bands`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LineOpts {
    /// Figure width in pixels (for small multiples: `None` = automatic).
    pub width: Option<u32>,
    /// Figure height in pixels (`None` = automatic).
    pub height: Option<u32>,
    /// Fixed y range (values outside are clipped), e.g. `Some((0.0, 1.0))` for accuracy.
    pub y_range: Option<(f64, f64)>,
    /// Log10 y axis (non-positive values are clipped away).
    pub log_y: bool,
    /// Small multiples: panels per row (`None` = automatic).
    pub columns: Option<usize>,
    /// Small multiples: one y range shared by all panels.
    pub shared_y: bool,
}

fn y_axis(series: &[&Series], opts: &LineOpts) -> Axis {
    if let Some((lo, hi)) = opts.y_range {
        return if opts.log_y { Axis::log(lo, hi) } else { Axis::linear(lo, hi) };
    }
    let pts: Vec<(f64, f64, f64)> = series.iter().flat_map(|s| s.points()).collect();
    if opts.log_y {
        let mut lo = f64::MAX;
        let mut hi = f64::MIN;
        for &(_, m, s) in &pts {
            for v in [m - s, m, m + s] {
                if v > 0.0 {
                    lo = lo.min(v);
                    hi = hi.max(v);
                }
            }
        }
        if lo > hi {
            return Axis::log(0.1, 1.0);
        }
        let pad = 10f64.powf(((hi / lo).log10() * 0.05).max(0.02));
        return Axis::log(lo / pad, hi * pad);
    }
    let lo = pts.iter().map(|p| p.1 - p.2).fold(f64::MAX, f64::min);
    let hi = pts.iter().map(|p| p.1 + p.2).fold(f64::MIN, f64::max);
    if lo > hi {
        return Axis::linear(0.0, 1.0);
    }
    let pad = (hi - lo) * 0.05;
    Axis::linear(lo - pad, hi + pad)
}

fn x_axis(series: &[&Series]) -> Axis {
    let xs = series.iter().flat_map(|s| s.points()).map(|p| p.0);
    let (lo, hi) = xs.fold((f64::MAX, f64::MIN), |(a, b), x| (a.min(x), b.max(x)));
    if lo > hi { Axis::linear(0.0, 1.0) } else { Axis::linear(lo, hi) }
}

/// Lay out a frame inside `(x0, y0, x1, y1)` leaving room for ticks and axis labels.
fn place_frame(area: (f64, f64, f64, f64), xa: Axis, ya: Axis, x_label: bool, y_label: bool) -> Frame {
    let bottom = if x_label { 30.0 + 14.0 + SMALL_H } else { 32.0 };
    let y1 = (area.3 - bottom).round();
    let probe = Frame { x0: area.0, y0: area.1, x1: area.2, y1, xa, ya };
    let yw = widest(&probe.ticks().y);
    let left = yw + 16.0 + if y_label { SMALL_H + 14.0 } else { 0.0 };
    Frame { x0: (area.0 + left).round(), y0: area.1.round(), x1: area.2.round(), y1, xa, ya }
}

/// Axis labels for a frame: x centred below, y rotated at the left edge of `area_x0`.
fn axis_labels(s: &mut Scene, f: &Frame, area_x0: f64, x_label: &str, y_label: &str) {
    let st = TextStyle::new(SMALL).anchor(Anchor::Middle);
    if !x_label.is_empty() {
        s.text((f.x0 + f.x1) / 2.0, f.y1 + 30.0 + 14.0 + SMALL_H / 2.0 - 6.0, x_label, st);
    }
    if !y_label.is_empty() {
        s.text(area_x0 + SMALL_H / 2.0 + 2.0, (f.y0 + f.y1) / 2.0, y_label, st.vertical());
    }
}

/// Split finite points into runs and draw bands then lines, clipped to the frame.
fn draw_series(s: &mut Scene, f: &Frame, series: &[&Series]) {
    let fr = *f;
    s.clipped(f.x0, f.y0, f.w(), f.h(), |s| {
        for se in series {
            let pts = se.points();
            if !se.std.is_empty() && pts.len() > 1 {
                let mut poly: Vec<(f64, f64)> =
                    pts.iter().map(|&(x, m, sd)| (fr.px(x), fr.py(m + sd))).collect();
                poly.extend(pts.iter().rev().map(|&(x, m, sd)| (fr.px(x), fr.py(m - sd))));
                s.polygon(poly, se.color.with_alpha(0.18), None);
            }
        }
        for se in series {
            let pts: Vec<(f64, f64)> = se.points().iter().map(|&(x, m, _)| (fr.px(x), fr.py(m))).collect();
            if pts.len() == 1 {
                s.circle(pts[0].0, pts[0].1, 3.0, Some(se.color), None);
            } else {
                s.polyline(pts, Stroke::new(se.color, 2.25).round());
            }
        }
    });
}

/// How many pixel columns of series data (line ± band) intersect a rectangle.
fn band_overlap(f: &Frame, series: &[&Series], r: (f64, f64, f64, f64)) -> usize {
    let mut n = 0;
    for se in series {
        let p: Vec<(f64, f64, f64)> = se
            .points()
            .iter()
            .map(|&(x, m, sd)| {
                let (a, b) = (f.py(m + sd), f.py(m - sd));
                (f.px(x), a.min(b).min(f.py(m)) - 3.0, a.max(b).max(f.py(m)) + 3.0)
            })
            .collect();
        let mut cx = r.0;
        while cx <= r.2 {
            for w in p.windows(2) {
                if cx >= w[0].0 && cx <= w[1].0 {
                    let t = if w[1].0 > w[0].0 { (cx - w[0].0) / (w[1].0 - w[0].0) } else { 0.0 };
                    let top = w[0].1 + (w[1].1 - w[0].1) * t;
                    let bot = w[0].2 + (w[1].2 - w[0].2) * t;
                    if top.max(r.1) <= bot.min(r.3) {
                        n += 1;
                    }
                    break;
                }
            }
            cx += 2.0;
        }
    }
    n
}

fn legend_items(series: &[Series]) -> Vec<LegendItem> {
    series
        .iter()
        .map(|s| LegendItem { label: s.name.clone(), color: s.color, swatch: Swatch::LineBand })
        .collect()
}

/// Mean ± std line plot with default options (automatic y range, linear axes).
pub fn line_bands(title: &str, x_label: &str, y_label: &str, series: &[Series]) -> Scene {
    line_bands_opts(title, x_label, y_label, series, &LineOpts::default())
}

/// Mean ± std line plot: one line and translucent band per series, 1-2-5 ticks,
/// gridlines and a legend placed in a free corner (or above the plot when none is free).
pub fn line_bands_opts(
    title: &str,
    x_label: &str,
    y_label: &str,
    series: &[Series],
    opts: &LineOpts,
) -> Scene {
    let (w, h) = (opts.width.unwrap_or(920), opts.height.unwrap_or(580));
    let mut s = Scene::new(w, h);
    let top = draw_title(&mut s, title);
    let refs: Vec<&Series> = series.iter().collect();
    let (xa, ya) = (x_axis(&refs), y_axis(&refs, opts));
    let area = (20.0, top, w as f64 - 36.0, h as f64 - 8.0);
    let items = legend_items(series);
    let mut f = place_frame(area, xa, ya, !x_label.is_empty(), !y_label.is_empty());
    let corner = if items.is_empty() {
        None
    } else {
        pick_corner(&f, legend_box_size(&items), |x0, y0, x1, y1| band_overlap(&f, &refs, (x0, y0, x1, y1)))
    };
    let mut strip_y = None;
    if corner.is_none() && !items.is_empty() {
        let sh = legend_strip_h(&items, w as f64 - 60.0);
        strip_y = Some(top + 4.0);
        f = place_frame(
            (area.0, top + sh + 8.0, area.2, area.3),
            xa,
            ya,
            !x_label.is_empty(),
            !y_label.is_empty(),
        );
    }
    let t = f.ticks();
    f.grid(&mut s, &t);
    draw_series(&mut s, &f, &refs);
    f.axes(&mut s, &t, true, true);
    axis_labels(&mut s, &f, area.0, x_label, y_label);
    if let Some((x, y)) = corner {
        draw_legend_box(&mut s, &items, x, y);
    } else if let Some(y) = strip_y {
        draw_legend_strip(&mut s, &items, (f.x0 + f.x1) / 2.0, y + 8.0, w as f64 - 60.0);
    }
    s
}

/// Small multiples of [`line_bands`]: one panel per entry (e.g. per layer), a shared legend
/// above the panels, optional log y axis (`opts.log_y`) and shared y range (`opts.shared_y`).
/// All panels get plot areas of identical size.
pub fn multi_line_bands(
    title: &str,
    x_label: &str,
    y_label: &str,
    panels: &[LinePanel],
    opts: &LineOpts,
) -> Scene {
    let n = panels.len().max(1);
    let cols = opts.columns.unwrap_or(match n {
        1..=3 => n,
        4 => 2,
        5 | 6 => 3,
        _ => 4,
    });
    let cols = cols.clamp(1, n);
    let rows = n.div_ceil(cols);
    let w = opts.width.unwrap_or((cols as u32 * 400 + 40).max(640));
    let wf = w as f64;
    let items = panels.first().map(|p| legend_items(&p.series)).unwrap_or_default();
    let strip_h = if items.is_empty() { 0.0 } else { legend_strip_h(&items, wf - 60.0) + 10.0 };
    let title_h = title_block(title, wf);
    let panel_h = 340.0;
    let h = opts.height.unwrap_or((title_h + strip_h + rows as f64 * panel_h + 8.0).round() as u32);
    let mut s = Scene::new(w, h);
    let top = draw_title(&mut s, title);
    if !items.is_empty() {
        draw_legend_strip(&mut s, &items, wf / 2.0, top + 4.0, wf - 60.0);
    }
    let grid_top = top + strip_h;
    let ph = (h as f64 - 8.0 - grid_top) / rows as f64;
    let all: Vec<&Series> = panels.iter().flat_map(|p| p.series.iter()).collect();
    let shared = y_axis(&all, opts);
    let xa = x_axis(&all);
    let y_axes: Vec<Axis> = panels
        .iter()
        .map(|p| if opts.shared_y { shared } else { y_axis(&p.series.iter().collect::<Vec<_>>(), opts) })
        .collect();
    // Common geometry: every panel has the same plot size.
    let title_space = if panels.iter().any(|p| !p.title.is_empty()) { SMALL_H + 20.0 } else { 6.0 };
    let bottom = if x_label.is_empty() { 32.0 } else { 30.0 + 14.0 + SMALL_H };
    let plot_h = (ph - title_space - bottom - 6.0).round();
    let tick_w = y_axes
        .iter()
        .map(|&ya| {
            let probe = Frame { x0: 0.0, y0: 0.0, x1: 300.0, y1: plot_h, xa, ya };
            widest(&probe.ticks().y)
        })
        .fold(0.0, f64::max)
        + 16.0;
    let ylab = if y_label.is_empty() { 0.0 } else { SMALL_H + 14.0 };
    let gap_right = 26.0;
    let plot_w = ((wf - 20.0 - ylab - cols as f64 * (tick_w + gap_right)) / cols as f64).floor();
    for (i, p) in panels.iter().enumerate() {
        let (r, c) = (i / cols, i % cols);
        let refs: Vec<&Series> = p.series.iter().collect();
        let x0 = (10.0 + ylab + c as f64 * (tick_w + plot_w + gap_right) + tick_w).round();
        let y0 = (grid_top + r as f64 * ph + title_space).round();
        let f = Frame { x0, y0, x1: x0 + plot_w, y1: y0 + plot_h, xa, ya: y_axes[i] };
        let t = f.ticks();
        f.grid(&mut s, &t);
        draw_series(&mut s, &f, &refs);
        f.axes(&mut s, &t, true, true);
        axis_labels(&mut s, &f, 10.0, x_label, if c == 0 { y_label } else { "" });
        if !p.title.is_empty() {
            let st = TextStyle::new(SMALL).bold().anchor(Anchor::Middle);
            s.text((f.x0 + f.x1) / 2.0, y0 - 14.0 - SMALL_H / 2.0, &p.title, st);
        }
    }
    s
}

/// One group of a [`box_points`] plot.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// Category label under the box.
    pub name: String,
    /// Box and point colour.
    pub color: Color,
    /// Observations (non-finite values are ignored).
    pub values: Vec<f64>,
}

/// Five-number summary of a sample (numpy-style linear percentiles, Tukey whiskers).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BoxStats {
    /// Number of finite values.
    pub n: usize,
    /// 25th percentile.
    pub q1: f64,
    /// 50th percentile.
    pub median: f64,
    /// 75th percentile.
    pub q3: f64,
    /// Smallest value ≥ q1 − 1.5·IQR.
    pub whisker_lo: f64,
    /// Largest value ≤ q3 + 1.5·IQR.
    pub whisker_hi: f64,
}

/// Percentile `p` in `[0, 100]` of ascending `sorted` data, linear interpolation
/// between closest ranks (numpy's default). Returns NaN for empty input.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let pos = (sorted.len() - 1) as f64 * (p / 100.0).clamp(0.0, 1.0);
    let lo = pos.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

/// Box-plot statistics of the finite values, or `None` if there are none.
pub fn box_stats(values: &[f64]) -> Option<BoxStats> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let (q1, median, q3) = (percentile(&v, 25.0), percentile(&v, 50.0), percentile(&v, 75.0));
    let iqr = q3 - q1;
    let whisker_lo = v.iter().copied().find(|&x| x >= q1 - 1.5 * iqr).unwrap_or(q1);
    let whisker_hi = v.iter().rev().copied().find(|&x| x <= q3 + 1.5 * iqr).unwrap_or(q3);
    Some(BoxStats { n: v.len(), q1, median, q3, whisker_lo, whisker_hi })
}

/// Deterministic jitter in `[-0.5, 0.5)` for the `i`-th point (golden-ratio sequence).
fn jitter(i: usize) -> f64 {
    ((i as f64 + 1.0) * 0.618_033_988_749_895).fract() - 0.5
}

/// Box plot per group (median, quartiles, 1.5·IQR whiskers) with every value overlaid as a
/// deterministically jittered point.
pub fn box_points(title: &str, y_label: &str, groups: &[Group]) -> Scene {
    box_points_opts(title, y_label, groups, None)
}

/// [`box_points`] with an optional fixed y range.
pub fn box_points_opts(title: &str, y_label: &str, groups: &[Group], y_range: Option<(f64, f64)>) -> Scene {
    let n = groups.len().max(1);
    let label_w = groups.iter().map(|g| text_width(&g.name, SMALL)).fold(0.0, f64::max);
    let slot_min = (label_w + 24.0).max(110.0);
    let w = (n as f64 * slot_min + 160.0).clamp(560.0, 1600.0).round() as u32;
    let h = 560;
    let mut s = Scene::new(w, h);
    let top = draw_title(&mut s, title);
    let vals: Vec<f64> =
        groups.iter().flat_map(|g| g.values.iter().copied()).filter(|v| v.is_finite()).collect();
    let ya = match y_range {
        Some((lo, hi)) => Axis::linear(lo, hi),
        None => {
            let lo = vals.iter().copied().fold(f64::MAX, f64::min);
            let hi = vals.iter().copied().fold(f64::MIN, f64::max);
            if lo > hi {
                Axis::linear(0.0, 1.0)
            } else {
                let pad = ((hi - lo) * 0.08).max(1e-9 * hi.abs().max(1.0));
                Axis::linear(lo - pad, hi + pad)
            }
        }
    };
    let xa = Axis::linear(0.0, n as f64);
    let area = (20.0, top, w as f64 - 24.0, h as f64 - 8.0);
    let f = place_frame((area.0, area.1, area.2, area.3 - 8.0), xa, ya, true, !y_label.is_empty());
    let mut t = f.ticks();
    t.x.clear();
    f.grid(&mut s, &t);
    f.axes(&mut s, &t, false, true);
    axis_labels(&mut s, &f, area.0, "", y_label);
    let slot = f.w() / n as f64;
    let bw = (slot * 0.5).min(90.0);
    let fr = f;
    s.clipped(f.x0, f.y0, f.w(), f.h(), |s| {
        for (gi, g) in groups.iter().enumerate() {
            let cx = fr.x0 + (gi as f64 + 0.5) * slot;
            let Some(b) = box_stats(&g.values) else { continue };
            let dark = g.color.mix(Color::BLACK, 0.35);
            let line = Stroke::new(dark, 1.5);
            let (yq1, yq3, ymed) = (fr.py(b.q1), fr.py(b.q3), fr.py(b.median));
            s.line((cx, fr.py(b.whisker_lo)), (cx, yq1), line);
            s.line((cx, yq3), (cx, fr.py(b.whisker_hi)), line);
            for wv in [b.whisker_lo, b.whisker_hi] {
                let y = fr.py(wv);
                s.line((cx - bw * 0.25, y), (cx + bw * 0.25, y), line);
            }
            s.rect(cx - bw / 2.0, yq3, bw, yq1 - yq3, g.color.with_alpha(0.16));
            s.rect_outline(cx - bw / 2.0, yq3, bw, yq1 - yq3, line);
            s.line((cx - bw / 2.0, ymed), (cx + bw / 2.0, ymed), Stroke::new(dark, 3.0));
            let mut k = 0;
            for &v in &g.values {
                if v.is_finite() {
                    let x = cx + jitter(k) * bw * 0.8;
                    s.circle(
                        x,
                        fr.py(v),
                        4.0,
                        Some(g.color.with_alpha(0.8)),
                        Some(Stroke::new(Color::WHITE, 1.0)),
                    );
                    k += 1;
                }
            }
        }
    });
    for (gi, g) in groups.iter().enumerate() {
        let cx = f.x0 + (gi as f64 + 0.5) * slot;
        let b = crisp(f.y1);
        s.line((crisp(cx), b), (crisp(cx), b + 5.0), Stroke::new(super::axes::FRAME, 1.0));
        s.text(cx, b + 9.0 + SMALL_H / 2.0, &g.name, TextStyle::new(SMALL).anchor(Anchor::Middle));
        let count = g.values.iter().filter(|v| v.is_finite()).count();
        let st = TextStyle::new(SMALL).anchor(Anchor::Middle).color(Color::GREY);
        s.text(cx, b + 17.0 + SMALL_H * 1.5, &format!("n = {count}"), st);
    }
    s
}

/// Options for [`scatter_classes_opts`].
#[derive(Clone, Debug, PartialEq)]
pub struct ScatterOpts {
    /// Figure width.
    pub width: u32,
    /// Figure height.
    pub height: u32,
    /// X axis label.
    pub x_label: String,
    /// Y axis label.
    pub y_label: String,
    /// Legend label per class (defaults to `class i`).
    pub class_names: Vec<String>,
}

impl Default for ScatterOpts {
    fn default() -> Self {
        ScatterOpts {
            width: 720,
            height: 660,
            x_label: "x1".into(),
            y_label: "x2".into(),
            class_names: Vec::new(),
        }
    }
}

fn class_name(names: &[String], c: u8) -> String {
    names.get(c as usize).cloned().unwrap_or_else(|| format!("class {c}"))
}

/// Expand data ranges so one data unit has the same pixel length on both axes.
fn equal_aspect(xr: (f64, f64), yr: (f64, f64), w: f64, h: f64) -> ((f64, f64), (f64, f64)) {
    let (xs, ys) = ((xr.1 - xr.0).max(1e-12), (yr.1 - yr.0).max(1e-12));
    let scale = (w / xs).min(h / ys);
    let (nx, ny) = (w / scale, h / scale);
    let (cx, cy) = ((xr.0 + xr.1) / 2.0, (yr.0 + yr.1) / 2.0);
    ((cx - nx / 2.0, cx + nx / 2.0), (cy - ny / 2.0, cy + ny / 2.0))
}

fn class_items(points: &[(f64, f64, u8)], names: &[String]) -> Vec<LegendItem> {
    let mut classes: Vec<u8> = points.iter().map(|p| p.2).collect();
    classes.sort_unstable();
    classes.dedup();
    classes
        .into_iter()
        .map(|c| LegendItem {
            label: class_name(names, c),
            color: series_color(c as usize),
            swatch: Swatch::Marker(Marker::nth(c as usize)),
        })
        .collect()
}

fn draw_points(s: &mut Scene, f: &Frame, points: &[(f64, f64, u8)], size: f64) {
    for &(x, y, c) in points {
        if x.is_finite() && y.is_finite() {
            let st = Stroke::new(Color::WHITE, 1.0);
            s.marker(
                Marker::nth(c as usize),
                f.px(x),
                f.py(y),
                size,
                series_color(c as usize).with_alpha(0.9),
                Some(st),
            );
        }
    }
}

/// 2-D points coloured (and shaped) by class label, equal-aspect axes, legend.
pub fn scatter_classes(title: &str, points: &[(f64, f64, u8)]) -> Scene {
    scatter_classes_opts(title, points, &ScatterOpts::default())
}

/// [`scatter_classes`] with explicit size, axis labels and class names.
pub fn scatter_classes_opts(title: &str, points: &[(f64, f64, u8)], opts: &ScatterOpts) -> Scene {
    let mut s = Scene::new(opts.width, opts.height);
    let top = draw_title(&mut s, title);
    let fin: Vec<&(f64, f64, u8)> = points.iter().filter(|p| p.0.is_finite() && p.1.is_finite()).collect();
    let ext = |f: fn(&(f64, f64, u8)) -> f64| {
        fin.iter().map(|p| f(p)).fold((f64::MAX, f64::MIN), |a, v| (a.0.min(v), a.1.max(v)))
    };
    let (mut xr, mut yr) = (ext(|p| p.0), ext(|p| p.1));
    if xr.0 > xr.1 {
        (xr, yr) = ((0.0, 1.0), (0.0, 1.0));
    }
    let pad = 0.06 * (xr.1 - xr.0).max(yr.1 - yr.0).max(1e-9);
    xr = (xr.0 - pad, xr.1 + pad);
    yr = (yr.0 - pad, yr.1 + pad);
    let area = (20.0, top, opts.width as f64 - 28.0, opts.height as f64 - 8.0);
    let probe = place_frame(area, Axis::linear(xr.0, xr.1), Axis::linear(yr.0, yr.1), true, true);
    let (ex, ey) = equal_aspect(xr, yr, probe.w(), probe.h());
    let f = Frame { xa: Axis::linear(ex.0, ex.1), ya: Axis::linear(ey.0, ey.1), ..probe };
    let t = f.ticks();
    f.grid(&mut s, &t);
    let fr = f;
    s.clipped(f.x0, f.y0, f.w(), f.h(), |s| draw_points(s, &fr, points, 9.0));
    f.axes(&mut s, &t, true, true);
    axis_labels(&mut s, &f, area.0, &opts.x_label, &opts.y_label);
    let items = class_items(points, &opts.class_names);
    let size = legend_box_size(&items);
    let occ = |x0: f64, y0: f64, x1: f64, y1: f64| {
        fin.iter().filter(|p| (x0..=x1).contains(&f.px(p.0)) && (y0..=y1).contains(&f.py(p.1))).count()
    };
    let corner = pick_corner(&f, size, occ).unwrap_or_else(|| {
        // Least-covered corner when none is free.
        let cs = [
            (f.x1 - 10.0 - size.0, f.y0 + 10.0),
            (f.x0 + 10.0, f.y0 + 10.0),
            (f.x1 - 10.0 - size.0, f.y1 - 10.0 - size.1),
            (f.x0 + 10.0, f.y1 - 10.0 - size.1),
        ];
        cs.into_iter().min_by_key(|c| occ(c.0, c.1, c.0 + size.0, c.1 + size.1)).unwrap_or(cs[0])
    });
    if !items.is_empty() {
        draw_legend_box(&mut s, &items, corner.0, corner.1);
    }
    s
}

/// One panel of [`decision_panels`].
#[derive(Clone, Debug, PartialEq)]
pub struct Panel {
    /// Panel title (e.g. `"glorot, seed 0"`).
    pub title: String,
    /// Data x range `(min, max)` covered by the grid.
    pub x_range: (f64, f64),
    /// Data y range `(min, max)` covered by the grid.
    pub y_range: (f64, f64),
    /// `(nx, ny, p)`: P(class 1) on an `nx × ny` grid of **cell centres**, row-major with
    /// row 0 at `y_min`: `p[j*nx + i]` is at `x = x_min + (i+0.5)·Δx/nx`, `y = y_min + (j+0.5)·Δy/ny`.
    pub grid: (usize, usize, Vec<f32>),
    /// Points overlaid as `(x, y, class)`.
    pub points: Vec<(f64, f64, u8)>,
}

/// Diverging map for P(class 1): class-0 colour at 0, white at 0.5, class-1 colour at 1 (muted).
pub fn prob_color(p: f64) -> Color {
    let p = if p.is_finite() { p.clamp(0.0, 1.0) } else { 0.5 };
    if p < 0.5 {
        Color::WHITE.mix(series_color(0), (0.5 - p) * 2.0 * 0.55)
    } else {
        Color::WHITE.mix(series_color(1), (p - 0.5) * 2.0 * 0.55)
    }
}

/// Segments of the `level` iso-line of a cell-centred grid, in data coordinates (marching squares).
fn contour(panel: &Panel, level: f32) -> Vec<Vec<(f64, f64)>> {
    let (nx, ny, ref v) = panel.grid;
    let mut out = Vec::new();
    if nx < 2 || ny < 2 || v.len() < nx * ny {
        return out;
    }
    let dx = (panel.x_range.1 - panel.x_range.0) / nx as f64;
    let dy = (panel.y_range.1 - panel.y_range.0) / ny as f64;
    let pos = |i: usize, j: usize| {
        (panel.x_range.0 + (i as f64 + 0.5) * dx, panel.y_range.0 + (j as f64 + 0.5) * dy)
    };
    for j in 0..ny - 1 {
        for i in 0..nx - 1 {
            // Corners counter-clockwise: (i,j) (i+1,j) (i+1,j+1) (i,j+1).
            let c = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)];
            let val: Vec<f32> = c.iter().map(|&(a, b)| v[b * nx + a]).collect();
            if val.iter().any(|x| !x.is_finite()) {
                continue;
            }
            let mut cross = Vec::new();
            for e in 0..4 {
                let (a, b) = (e, (e + 1) % 4);
                if (val[a] >= level) != (val[b] >= level) {
                    let t = ((level - val[a]) / (val[b] - val[a])) as f64;
                    let (pa, pb) = (pos(c[a].0, c[a].1), pos(c[b].0, c[b].1));
                    cross.push((pa.0 + (pb.0 - pa.0) * t, pa.1 + (pb.1 - pa.1) * t));
                }
            }
            if cross.len() == 2 {
                out.push(cross);
            } else if cross.len() == 4 {
                out.push(vec![cross[0], cross[1]]);
                out.push(vec![cross[2], cross[3]]);
            }
        }
    }
    out
}

/// Side-by-side decision-surface panels: background shaded by P(class 1) (see [`prob_color`]),
/// the P = 0.5 contour, data points overlaid, shared legend with a probability colour bar.
pub fn decision_panels(title: &str, panels: &[Panel]) -> Scene {
    decision_panels_opts(title, panels, true)
}

/// [`decision_panels`] with the 0.5 contour optional.
pub fn decision_panels_opts(title: &str, panels: &[Panel], contour_line: bool) -> Scene {
    let n = panels.len().max(1);
    let side = if n <= 3 { 340.0 } else { 280.0 };
    let cols = n.min(4);
    let rows = n.div_ceil(cols);
    // Plot-area size per panel from the data aspect ratio.
    let dims: Vec<(f64, f64)> = panels
        .iter()
        .map(|p| {
            let (xs, ys) =
                ((p.x_range.1 - p.x_range.0).abs().max(1e-12), (p.y_range.1 - p.y_range.0).abs().max(1e-12));
            if xs >= ys { (side, (side * ys / xs).max(120.0)) } else { ((side * xs / ys).max(120.0), side) }
        })
        .collect();
    let left = 70.0;
    let cell_w = dims.iter().map(|d| d.0).fold(120.0, f64::max) + left + 20.0;
    let cell_h = dims.iter().map(|d| d.1).fold(120.0, f64::max) + SMALL_H + 20.0 + 40.0;
    let mut classes: Vec<(f64, f64, u8)> = panels.iter().flat_map(|p| p.points.iter().copied()).collect();
    classes.sort_by_key(|p| p.2);
    let items = class_items(&classes, &[]);
    let w = (cols as f64 * cell_w + 30.0).max(640.0);
    let title_h = title_block(title, w);
    let legend_h = 44.0;
    let h = title_h + rows as f64 * cell_h + legend_h + 10.0;
    let mut s = Scene::new(w.round() as u32, h.round() as u32);
    let top = draw_title(&mut s, title);
    let x_off = (w - cols as f64 * cell_w) / 2.0;
    for (k, p) in panels.iter().enumerate() {
        let (r, c) = (k / cols, k % cols);
        let (pw, ph) = dims[k];
        let cx0 = x_off + c as f64 * cell_w;
        let cy0 = top + r as f64 * cell_h;
        let x0 = (cx0 + left + (cell_w - left - 20.0 - pw) / 2.0).round();
        let y0 = (cy0 + SMALL_H + 20.0).round();
        let f = Frame {
            x0,
            y0,
            x1: x0 + pw.round(),
            y1: y0 + ph.round(),
            xa: Axis::linear(p.x_range.0, p.x_range.1),
            ya: Axis::linear(p.y_range.0, p.y_range.1),
        };
        let t = f.ticks();
        s.rect(f.x0, f.y0, f.w(), f.h(), Color::WHITE);
        let (nx, ny, ref v) = p.grid;
        if nx > 0 && ny > 0 && v.len() >= nx * ny {
            let mut img = Raster::new(nx as u32, ny as u32, Color::WHITE);
            for j in 0..ny {
                for i in 0..nx {
                    img.set(i as u32, (ny - 1 - j) as u32, prob_color(v[j * nx + i] as f64));
                }
            }
            // Cells are centred, so the image spans exactly the data ranges.
            s.image(f.x0, f.y0, f.w(), f.h(), img, true);
        }
        let fr = f;
        let segs: Vec<Vec<(f64, f64)>> = contour(p, 0.5)
            .into_iter()
            .map(|sg| sg.into_iter().map(|(x, y)| (fr.px(x), fr.py(y))).collect())
            .collect();
        s.clipped(f.x0, f.y0, f.w(), f.h(), |s| {
            if contour_line && !segs.is_empty() {
                s.push(super::scene::Cmd::Path {
                    subpaths: segs,
                    closed: false,
                    fill: None,
                    stroke: Some(Stroke::new(Color::rgb(60, 60, 60), 1.5).round()),
                });
            }
            draw_points(s, &fr, &p.points, 8.0);
        });
        f.axes(&mut s, &t, true, true);
        let st = TextStyle::new(SMALL).bold().anchor(Anchor::Middle);
        s.text((f.x0 + f.x1) / 2.0, cy0 + SMALL_H / 2.0, &p.title, st);
    }
    // Shared legend: class markers, contour, and a P(class 1) colour bar.
    let ly = h - legend_h / 2.0 - 6.0;
    let bar_w = 160.0;
    let mut legend = items.clone();
    if contour_line {
        legend.push(LegendItem {
            label: "P=0.5".into(),
            color: Color::rgb(60, 60, 60),
            swatch: Swatch::Line,
        });
    }
    let bar_label = "P(class 1)";
    let bar_total = text_width(bar_label, SMALL) + 10.0 + bar_w + text_width("1", SMALL) * 2.0 + 16.0;
    let strip_w: f64 = super::axes::legend_rows(&legend, 10_000.0).first().map(|r| r.1).unwrap_or(0.0);
    let total = strip_w + 40.0 + bar_total;
    let start = (w - total) / 2.0;
    draw_legend_strip(&mut s, &legend, start + strip_w / 2.0, ly, 10_000.0);
    let bx = start + strip_w + 40.0;
    s.text(bx, ly, bar_label, TextStyle::new(SMALL));
    let b0 = (bx + text_width(bar_label, SMALL) + 10.0 + text_width("0", SMALL) + 6.0).round();
    s.text(b0 - 6.0, ly, "0", TextStyle::new(SMALL).anchor(Anchor::End).color(Color::GREY));
    let mut bar = Raster::new(64, 1, Color::WHITE);
    for i in 0..64 {
        bar.set(i, 0, prob_color((i as f64 + 0.5) / 64.0));
    }
    s.image(b0, (ly - 7.0).round(), bar_w, 14.0, bar, true);
    s.rect_outline(
        b0 - 0.5,
        (ly - 7.0).round() - 0.5,
        bar_w + 1.0,
        15.0,
        Stroke::new(Color::rgb(180, 180, 180), 1.0),
    );
    s.text(b0 + bar_w + 6.0, ly, "1", TextStyle::new(SMALL).color(Color::GREY));
    s
}
