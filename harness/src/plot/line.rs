//! Line charts: mean ± SD bands over member curves, reference lines and a legend, alone
//! ([`line_bands_opts`]) or as small multiples ([`multi_line_bands`]). No label or legend
//! is drawn over a curve: reference labels stand in the right margin, a legend in a corner
//! that no curve comes near or else above the plot (each figure's [`Geometry`] records it).

use plotters::coord::ranged1d::ValueFormatter;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::Color as _;
use plotters_backend::text_anchor::{HPos, Pos, VPos};

use super::architecture::wrap_text;
use super::canvas::{Area, CanvasError, Color, Drawn, Scene, font, text_width};
use super::frame::{Chart, LogAxis, RIGHT_MARGIN, build, log_tick, mesh, tick, titled};
use super::legend::{
    LEGEND_ROW_PITCH, Swatch, legend_block, legend_block_boxes, legend_box, legend_box_size, legend_rows,
};
use super::placement::{Geometry, Rect, first_free, stack};
use super::style::{dash_of, occurrences};

/// One curve: mean with a ±std band (an empty `std` draws no band), optionally with the
/// runs it summarises drawn thin underneath.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Series {
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
    /// Per-member curves over the same `x` (e.g. one per seed), drawn thin and faint under the band.
    pub members: Vec<Vec<f64>>,
}

impl Series {
    /// A series without member curves.
    pub(crate) fn new(name: &str, color: Color, x: Vec<f64>, mean: Vec<f64>, std: Vec<f64>) -> Series {
        Series { name: name.to_string(), color, x, mean, std, members: Vec::new() }
    }

    /// The same series with per-member curves (each over `x`).
    pub(crate) fn with_members(mut self, members: Vec<Vec<f64>>) -> Series {
        self.members = members;
        self
    }

    /// Finite points as `(x, mean, std)`.
    fn points(&self) -> Vec<(f64, f64, f64)> {
        (0..self.x.len().min(self.mean.len()))
            .map(|i| (self.x[i], self.mean[i], self.std.get(i).copied().unwrap_or(0.0)))
            .filter(|(x, m, s)| x.is_finite() && m.is_finite() && s.is_finite())
            .collect()
    }

    /// Every y value drawn (band edges and members).
    fn ys(&self) -> impl Iterator<Item = f64> + '_ {
        let band = self.points().into_iter().flat_map(|(_, m, s)| [m - s, m + s]);
        band.collect::<Vec<_>>()
            .into_iter()
            .chain(self.members.iter().flatten().copied())
            .filter(|v| v.is_finite())
    }
}

/// One small-multiple panel of [`multi_line_bands`].
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct LinePanel {
    /// Panel title (e.g. `"layer 1 (2→64)"`).
    pub title: String,
    /// Curves; give matching names/colours across panels (the legend is taken from the first panel).
    pub series: Vec<Series>,
}

/// Options of [`line_bands_opts`] and [`multi_line_bands`].
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct LineOpts {
    /// Figure width in pixels (`None` = automatic).
    pub width: Option<u32>,
    /// Figure height in pixels (`None` = automatic).
    pub height: Option<u32>,
    /// Fixed y range (values outside are clamped); `None` fits the data with a small margin.
    pub y_range: Option<(f64, f64)>,
    /// Log10 y axis (non-positive values are left out).
    pub log_y: bool,
    /// Small multiples: panels per row (`None` = automatic).
    pub columns: Option<usize>,
    /// Small multiples: one y range shared by all panels.
    pub shared_y: bool,
    /// Dashed horizontal reference lines `(y, label)`, e.g. the data set's ceiling.
    pub hlines: Vec<(f64, String)>,
}

/// The x range of every finite point (a unit around a single x; `0 … 1` for none).
fn x_range(series: &[&Series]) -> (f64, f64) {
    let (lo, hi) = series
        .iter()
        .flat_map(|s| s.points())
        .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.0), b.max(p.0)));
    if lo > hi {
        (0.0, 1.0)
    } else if lo == hi {
        (lo - 0.5, hi + 0.5)
    } else {
        (lo, hi)
    }
}

/// The y range: `opts.y_range`, else bands, members and reference lines with a 5% margin
/// (on a log axis, of positive values, in decades).
fn y_range(series: &[&Series], opts: &LineOpts) -> (f64, f64) {
    if let Some(r) = opts.y_range {
        return r;
    }
    let ys = series.iter().flat_map(|s| s.ys()).chain(opts.hlines.iter().map(|h| h.0));
    let ys: Vec<f64> = ys.filter(|&v| !opts.log_y || v > 0.0).collect();
    let (lo, hi) = ys.iter().fold((f64::MAX, f64::MIN), |(a, b), &v| (a.min(v), b.max(v)));
    if lo > hi {
        return if opts.log_y { (0.1, 1.0) } else { (0.0, 1.0) };
    }
    if opts.log_y {
        let pad = 10f64.powf(((hi / lo).log10() * 0.05).max(0.02));
        (lo / pad, hi * pad)
    } else {
        let pad = ((hi - lo) * 0.05).max(1e-9 * hi.abs().max(1.0));
        (lo - pad, hi + pad)
    }
}

/// `v` held inside the y range.
fn clamp_y(v: f64, (lo, hi): (f64, f64)) -> f64 {
    v.clamp(lo.min(hi), hi.max(lo))
}

/// Size of the reference lines' labels (in the right margin).
const REFERENCE_SIZE: f64 = 12.5;
/// Widest line of a reference label before it wraps, in pixels.
const REFERENCE_WRAP: f64 = 110.0;
/// Distance between the lines of a reference label.
const REFERENCE_LINE_PITCH: i32 = 15;
/// Colour of the reference lines and their labels.
const REFERENCE: Color = RGBColor(60, 60, 60);
/// Space in pixels kept between a legend box and the nearest curve.
const LEGEND_CLEARANCE: i32 = 4;
/// Distance of a corner legend from the plot's edges.
const LEGEND_INSET: i32 = 12;

/// The lines of each reference label, wrapped to [`REFERENCE_WRAP`].
fn reference_lines(opts: &LineOpts) -> Vec<Vec<String>> {
    opts.hlines.iter().map(|(_, l)| wrap_text(l, REFERENCE_WRAP, REFERENCE_SIZE)).collect()
}

/// The right margin of a chart: wide enough for its reference labels, which stand there,
/// outside the plot, where no data can be.
fn right_margin(opts: &LineOpts) -> u32 {
    let widest = reference_lines(opts)
        .iter()
        .flatten()
        .map(|l| text_width(l, REFERENCE_SIZE, false).ceil() as u32)
        .max();
    widest.map_or(RIGHT_MARGIN, |w| RIGHT_MARGIN.max(w + 18))
}

/// The plotting area of `c` in figure pixels.
fn plot_rect<Y: Ranged<ValueType = f64>>(c: &Chart<'_, '_, Y>) -> Rect {
    let (xs, ys) = c.plotting_area().get_pixel_range();
    Rect { x0: xs.start, y0: ys.start, x1: xs.end - 1, y1: ys.end - 1 }
}

/// Every curve as drawn, in figure pixels: each member, each band as one vertical segment
/// per x, each mean, each reference line.
fn curve_pixels<Y: Ranged<ValueType = f64>>(
    c: &Chart<'_, '_, Y>,
    series: &[&Series],
    opts: &LineOpts,
    yr: (f64, f64),
) -> Vec<Vec<(i32, i32)>> {
    let ok = |v: f64| v.is_finite() && (!opts.log_y || v > 0.0);
    let at = |x: f64, y: f64| c.backend_coord(&(x, clamp_y(y, yr)));
    let mut out = Vec::new();
    for s in series {
        for m in &s.members {
            out.push(
                s.x.iter()
                    .zip(m)
                    .filter(|(x, v)| x.is_finite() && ok(**v))
                    .map(|(&x, &v)| at(x, v))
                    .collect(),
            );
        }
        let pts: Vec<(f64, f64, f64)> = s.points().into_iter().filter(|p| ok(p.1)).collect();
        if !s.std.is_empty() && pts.len() > 1 {
            for &(x, m, sd) in &pts {
                out.push(vec![at(x, m + sd), at(x, band_lower(m, sd, opts, yr))]);
            }
        }
        out.push(pts.iter().map(|&(x, m, _)| at(x, m)).collect());
    }
    let xr = x_range(series);
    out.extend(opts.hlines.iter().map(|(v, _)| vec![at(xr.0, *v), at(xr.1, *v)]));
    out
}

/// A band's lower edge: `m − sd`, or the axis' bottom on a log axis where that is not positive.
fn band_lower(m: f64, sd: f64, opts: &LineOpts, yr: (f64, f64)) -> f64 {
    if opts.log_y && m - sd <= 0.0 { yr.0.min(m) } else { m - sd }
}

/// Members, bands, reference lines and means.
fn draw_lines<'a, 'b: 'a, Y>(
    c: &mut Chart<'a, 'b, Y>,
    series: &[&Series],
    opts: &LineOpts,
    yr: (f64, f64),
) -> Drawn
where
    Y: Ranged<ValueType = f64>,
{
    let ok = |v: f64| v.is_finite() && (!opts.log_y || v > 0.0);
    for s in series {
        for m in &s.members {
            let pts =
                s.x.iter()
                    .zip(m)
                    .filter(|(x, v)| x.is_finite() && ok(**v))
                    .map(|(&x, &v)| (x, clamp_y(v, yr)));
            c.draw_series(LineSeries::new(pts, s.color.mix(0.22).stroke_width(1)))?;
        }
    }
    for s in series {
        let pts: Vec<(f64, f64, f64)> = s.points().into_iter().filter(|p| ok(p.1)).collect();
        if !s.std.is_empty() && pts.len() > 1 {
            let mut poly: Vec<(f64, f64)> = pts.iter().map(|&(x, m, sd)| (x, clamp_y(m + sd, yr))).collect();
            poly.extend(pts.iter().rev().map(|&(x, m, sd)| (x, clamp_y(band_lower(m, sd, opts, yr), yr))));
            c.draw_series(std::iter::once(Polygon::new(poly, s.color.mix(0.2))))?;
        }
    }
    let xr = x_range(series);
    for (v, _) in &opts.hlines {
        c.draw_series(DashedLineSeries::new([(xr.0, *v), (xr.1, *v)], 6, 4, REFERENCE.stroke_width(1)))?;
    }
    let occurrence = occurrences(&series.iter().map(|s| s.color).collect::<Vec<_>>());
    for (s, &occ) in series.iter().zip(&occurrence) {
        let pts: Vec<(f64, f64)> =
            s.points().into_iter().filter(|p| ok(p.1)).map(|p| (p.0, clamp_y(p.1, yr))).collect();
        let color = s.color;
        let (dash, gap) = dash_of(occ);
        if pts.len() == 1 {
            c.draw_series(std::iter::once(Circle::new(pts[0], 3, color.filled())))?;
        } else if occ == 0 {
            c.draw_series(LineSeries::new(pts, color.stroke_width(2)))?;
        } else {
            c.draw_series(DashedLineSeries::new(pts, dash, gap, color.stroke_width(2)))?;
        }
    }
    Ok(())
}

/// Each reference line's label in the right margin, beside its line's end, moved apart where
/// two would overlap: the label's lines and its box, in figure pixels.
fn reference_labels<Y: Ranged<ValueType = f64>>(
    c: &Chart<'_, '_, Y>,
    series: &[&Series],
    opts: &LineOpts,
    yr: (f64, f64),
) -> Vec<(Vec<String>, Rect)> {
    let lines = reference_lines(opts);
    let x = plot_rect(c).x1 + 8;
    let heights: Vec<i32> = lines.iter().map(|l| l.len() as i32 * REFERENCE_LINE_PITCH).collect();
    let wanted: Vec<i32> = opts
        .hlines
        .iter()
        .zip(&heights)
        .map(|((v, _), h)| c.backend_coord(&(x_range(series).1, clamp_y(*v, yr))).1 - h / 2)
        .collect();
    let tops = stack(&wanted, &heights, 2);
    lines
        .into_iter()
        .zip(tops.into_iter().zip(heights))
        .map(|(l, (top, h))| {
            let w = l.iter().map(|t| text_width(t, REFERENCE_SIZE, false).ceil() as i32).max().unwrap_or(0);
            (l, Rect::at(x, top, w, h))
        })
        .collect()
}

/// Where a chart's legend goes.
enum Legend<'i> {
    /// Drawn elsewhere (above a grid of charts, say).
    Elsewhere,
    /// In the first corner of the plot that no curve comes near, if any.
    Corner(&'i [(Swatch, String)]),
}

/// One line-band chart on `area`: its axes, curves, reference labels and (per `legend`) its
/// legend, recorded into `g`. Returns `false`, having drawn nothing, when the legend was
/// wanted in a corner and no corner is free.
#[allow(clippy::too_many_arguments)]
fn line_chart(
    area: &Area<'_>,
    caption: &str,
    x_label: &str,
    y_label: &str,
    series: &[&Series],
    opts: &LineOpts,
    yr: (f64, f64),
    legend: Legend<'_>,
    g: &mut Geometry,
) -> Result<bool, DrawingAreaErrorKind<CanvasError>> {
    let axes = Axes { caption, x_label, y_label };
    if opts.log_y {
        let y = LogAxis((yr.0.max(f64::MIN_POSITIVE)..yr.1).log_scale().into());
        chart_on(area, &axes, y, log_tick, series, opts, yr, legend, g)
    } else {
        chart_on::<RangedCoordf64>(area, &axes, (yr.0..yr.1).into(), tick, series, opts, yr, legend, g)
    }
}

/// A chart's caption and axis labels.
struct Axes<'s> {
    caption: &'s str,
    x_label: &'s str,
    y_label: &'s str,
}

/// [`line_chart`] on a `Y` axis.
#[allow(clippy::too_many_arguments)]
fn chart_on<Y>(
    area: &Area<'_>,
    axes: &Axes<'_>,
    y: Y,
    y_fmt: fn(&f64) -> String,
    series: &[&Series],
    opts: &LineOpts,
    yr: (f64, f64),
    legend: Legend<'_>,
    g: &mut Geometry,
) -> Result<bool, DrawingAreaErrorKind<CanvasError>>
where
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    let xr = x_range(series);
    let mut c = build(area, axes.caption, axes.x_label, axes.y_label, xr, y, true, right_margin(opts))?;
    let plot = plot_rect(&c);
    let curves = curve_pixels(&c, series, opts, yr);
    let corner = match legend {
        Legend::Elsewhere => None,
        Legend::Corner(items) => {
            let (w, h) = legend_box_size(items);
            let (l, r) = (plot.x0 + LEGEND_INSET, plot.x1 - LEGEND_INSET - w);
            let (t, b) = (plot.y0 + LEGEND_INSET, plot.y1 - LEGEND_INSET - h);
            // Lower right, upper right, upper left, lower left: the first free one.
            let corners =
                [Rect::at(r, b, w, h), Rect::at(r, t, w, h), Rect::at(l, t, w, h), Rect::at(l, b, w, h)];
            let fits = |b: &Rect| b.x0 >= plot.x0 && b.y0 >= plot.y0;
            match first_free(&corners, &curves, LEGEND_CLEARANCE, 0).filter(|&k| fits(&corners[k])) {
                Some(k) => Some((items, corners[k])),
                None => return Ok(false),
            }
        }
    };
    mesh(&mut c, axes.x_label, axes.y_label, y_fmt, true)?;
    draw_lines(&mut c, series, opts, yr)?;
    let base = area.get_base_pixel();
    let local = |r: Rect| r.moved((-base.0, -base.1));
    let labels = reference_labels(&c, series, opts, yr);
    for (lines, rect) in &labels {
        let r = local(*rect);
        for (k, line) in lines.iter().enumerate() {
            let st = font(REFERENCE_SIZE).color(&REFERENCE).pos(Pos::new(HPos::Left, VPos::Center));
            let cy = r.y0 + REFERENCE_LINE_PITCH / 2 + k as i32 * REFERENCE_LINE_PITCH;
            area.draw(&Text::new(line.clone(), (r.x0, cy), st))?;
        }
    }
    if let Some((items, rect)) = corner {
        legend_box(area, items, local(rect))?;
        g.labels.push(rect);
    }
    g.plots.push(plot);
    g.curves.extend(curves);
    g.labels.extend(labels.into_iter().map(|l| l.1));
    Ok(true)
}

/// Mean ± std line plot with default options (fitted y range, linear axes).
pub(crate) fn line_bands(title: &str, x_label: &str, y_label: &str, series: &[Series]) -> Scene {
    line_bands_opts(title, x_label, y_label, series, &LineOpts::default())
}

/// Mean ± std line plot: per series its members (thin), a translucent band and the mean line;
/// reference lines, labelled in the right margin; a legend in a corner of the plot that no
/// curve comes near, else in rows above the plot (always there for more than
/// [`MAX_CORNER_LEGEND`] series).
pub(crate) fn line_bands_opts(
    title: &str,
    x_label: &str,
    y_label: &str,
    series: &[Series],
    opts: &LineOpts,
) -> Scene {
    let w = opts.width.unwrap_or(900);
    // More entries than a corner box holds without hiding curves: a strip above the plot.
    let strip = series.len() > MAX_CORNER_LEGEND;
    let (items, strip_h, legend_w) = band_legend(series, w);
    let h = opts.height.unwrap_or(560 + if strip { strip_h } else { 0 });
    let (title, x_label, y_label) = (title.to_string(), x_label.to_string(), y_label.to_string());
    let (series, opts) = (series.to_vec(), opts.clone());
    Scene::recorded(w, h, move |root, g| {
        let area = titled(root, &title)?;
        let refs: Vec<&Series> = series.iter().collect();
        let yr = y_range(&refs, &opts);
        if series.is_empty() {
            return line_chart(&area, "", &x_label, &y_label, &refs, &opts, yr, Legend::Elsewhere, g)
                .map(|_| ());
        }
        if !strip {
            let corner = Legend::Corner(&items);
            if line_chart(&area, "", &x_label, &y_label, &refs, &opts, yr, corner, g)? {
                return Ok(());
            }
        }
        // In rows above the plot: the figure keeps its size, the plot gives up the strip.
        let (top, rest) = area.split_vertically(strip_h);
        legend_block(&top, &items, w as i32 / 2, 14, legend_w)?;
        let base = top.get_base_pixel();
        let boxes = legend_block_boxes(&items, w as i32 / 2, 14, legend_w);
        g.labels.extend(boxes.into_iter().map(|r| r.moved(base)));
        line_chart(&rest, "", &x_label, &y_label, &refs, &opts, yr, Legend::Elsewhere, g).map(|_| ())
    })
}

/// The most series whose legend [`line_bands_opts`] draws in a corner of the plot; more get
/// a strip above it.
pub(super) const MAX_CORNER_LEGEND: usize = 5;

/// The legend entries of `series` (mean line over its band, dashed where a colour repeats),
/// the height of a strip holding them in rows across a figure `w` pixels wide, and the
/// rows' width.
fn band_legend(series: &[Series], w: u32) -> (Vec<(Swatch, String)>, u32, i32) {
    let occurrence = occurrences(&series.iter().map(|s| s.color).collect::<Vec<_>>());
    let items: Vec<(Swatch, String)> = series
        .iter()
        .zip(occurrence)
        .map(|(s, occ)| (Swatch::Band(s.color, dash_of(occ)), s.name.clone()))
        .collect();
    let legend_w = w as i32 - 32;
    let labels: Vec<&str> = items.iter().map(|(_, l)| l.as_str()).collect();
    let lines = legend_rows(&labels, legend_w).len().max(1) as u32;
    (items, 36 + (lines - 1) * LEGEND_ROW_PITCH as u32, legend_w)
}

/// Small multiples of [`line_bands`]: one panel per entry (e.g. per layer) in a grid, one
/// legend above them, optional log y axis (`opts.log_y`) and shared y range (`opts.shared_y`).
pub(crate) fn multi_line_bands(
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
        _ => 3,
    });
    let cols = cols.clamp(1, n);
    let rows = n.div_ceil(cols);
    let w = opts.width.unwrap_or((cols as u32 * 440).max(640));
    // The legend (from the first panel) wraps onto as many rows as it needs.
    let first: &[Series] = panels.first().map_or(&[], |p| &p.series);
    let (items, strip_h, legend_w) = band_legend(first, w);
    let h = opts.height.unwrap_or(44 + strip_h + rows as u32 * 340);
    let (title, x_label, y_label) = (title.to_string(), x_label.to_string(), y_label.to_string());
    let (panels, opts) = (panels.to_vec(), opts.clone());
    Scene::recorded(w, h, move |root, g| {
        let area = titled(root, &title)?;
        let (strip, grid) = area.split_vertically(strip_h);
        legend_block(&strip, &items, w as i32 / 2, 14, legend_w)?;
        let base = strip.get_base_pixel();
        let boxes = legend_block_boxes(&items, w as i32 / 2, 14, legend_w);
        g.labels.extend(boxes.into_iter().map(|r| r.moved(base)));
        let all: Vec<&Series> = panels.iter().flat_map(|p| &p.series).collect();
        let shared = y_range(&all, &opts);
        for (p, cell) in panels.iter().zip(grid.split_evenly((rows, cols))) {
            let refs: Vec<&Series> = p.series.iter().collect();
            let yr = if opts.shared_y { shared } else { y_range(&refs, &opts) };
            line_chart(&cell, &p.title, &x_label, &y_label, &refs, &opts, yr, Legend::Elsewhere, g)?;
        }
        Ok(())
    })
}
