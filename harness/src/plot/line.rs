//! Line charts: mean ± SD bands over member curves, reference lines and a legend, alone
//! ([`line_bands_opts`]) or as small multiples ([`multi_line_bands`]).

use plotters::coord::types::RangedCoordf64;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::Color as _;
use plotters_backend::text_anchor::{HPos, Pos, VPos};

use super::canvas::{Area, Color, Drawn, Scene, font, text_width};
use super::frame::{Chart, LogAxis, chart, log_tick, tick, titled};
use super::legend::{LEGEND_ROW_PITCH, Swatch, legend_block, legend_rows};
use super::style::{INK, dash_of, occurrences};

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

/// Members, bands, reference lines, means and (optionally) the legend in a free corner.
fn draw_lines<'a, 'b: 'a, Y>(
    c: &mut Chart<'a, 'b, Y>,
    series: &[&Series],
    opts: &LineOpts,
    yr: (f64, f64),
    legend: bool,
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
            let lower = |m: f64, sd: f64| if opts.log_y && m - sd <= 0.0 { yr.0.min(m) } else { m - sd };
            let mut poly: Vec<(f64, f64)> = pts.iter().map(|&(x, m, sd)| (x, clamp_y(m + sd, yr))).collect();
            poly.extend(pts.iter().rev().map(|&(x, m, sd)| (x, clamp_y(lower(m, sd), yr))));
            c.draw_series(std::iter::once(Polygon::new(poly, s.color.mix(0.2))))?;
        }
    }
    let xr = x_range(series);
    let reference = RGBColor(60, 60, 60);
    for (v, _) in &opts.hlines {
        c.draw_series(DashedLineSeries::new([(xr.0, *v), (xr.1, *v)], 6, 4, reference.stroke_width(1)))?;
    }
    let occurrence = occurrences(&series.iter().map(|s| s.color).collect::<Vec<_>>());
    for (s, &occ) in series.iter().zip(&occurrence) {
        let pts: Vec<(f64, f64)> =
            s.points().into_iter().filter(|p| ok(p.1)).map(|p| (p.0, clamp_y(p.1, yr))).collect();
        let color = s.color;
        let (dash, gap) = dash_of(occ);
        let drawn = if pts.len() == 1 {
            c.draw_series(std::iter::once(Circle::new(pts[0], 3, color.filled())))?
        } else if occ == 0 {
            c.draw_series(LineSeries::new(pts, color.stroke_width(2)))?
        } else {
            c.draw_series(DashedLineSeries::new(pts, dash, gap, color.stroke_width(2)))?
        };
        if legend {
            drawn.label(s.name.clone()).legend(move |(x, y)| {
                EmptyElement::at((x, y))
                    + Rectangle::new([(0, -6), (22, 6)], color.mix(0.2).filled())
                    + DashedPathElement::new(vec![(0, 0), (22, 0)], dash, gap, color.stroke_width(2))
            });
        }
    }
    // Reference labels last, on a light box: the curves never cover them.
    for (v, label) in &opts.hlines {
        let size = 12.5;
        let tw = text_width(label, size, false).ceil() as i32;
        let text = font(size).color(&reference).pos(Pos::new(HPos::Right, VPos::Bottom));
        c.draw_series(std::iter::once(
            EmptyElement::at((xr.1, *v))
                + Rectangle::new([(-6 - tw - 3, -3 - 15), (-6 + 3, -3 + 2)], WHITE.mix(0.85).filled())
                + Text::new(label.clone(), (-6, -3), text),
        ))?;
    }
    if legend && !series.is_empty() {
        let frac = |v: f64| {
            if opts.log_y {
                (v.ln() - yr.0.ln()) / (yr.1.ln() - yr.0.ln())
            } else {
                (v - yr.0) / (yr.1 - yr.0)
            }
        };
        let pts: Vec<(f64, f64)> = series
            .iter()
            .flat_map(|s| s.points())
            .filter(|p| ok(p.1))
            .flat_map(|(x, m, sd)| [(x, m - sd), (x, m), (x, m + sd)])
            .map(|(x, y)| ((x - xr.0) / (xr.1 - xr.0), frac(y)))
            .collect();
        // The legend's share of the plot (at least 45% × 30%; more for many or long entries).
        let (pw, ph) = c.plotting_area().dim_in_pixel();
        let widest = series.iter().map(|s| text_width(&s.name, 13.5, false)).fold(0.0, f64::max);
        let fw = ((widest + 80.0) / f64::from(pw.max(1))).clamp(0.45, 1.0);
        let fh = ((17.0 * series.len() as f64 + 36.0) / f64::from(ph.max(1))).clamp(0.3, 1.0);
        let corners = [
            (SeriesLabelPosition::LowerRight, 1.0 - fw, 0.0),
            (SeriesLabelPosition::UpperLeft, 0.0, 1.0 - fh),
            (SeriesLabelPosition::UpperRight, 1.0 - fw, 1.0 - fh),
            (SeriesLabelPosition::LowerLeft, 0.0, 0.0),
        ];
        let busy = |&(_, x0, y0): &(SeriesLabelPosition, f64, f64)| {
            pts.iter().filter(|p| p.0 >= x0 && p.0 <= x0 + fw && p.1 >= y0 && p.1 <= y0 + fh).count()
        };
        let best =
            corners.iter().min_by_key(|c| busy(c)).map_or(SeriesLabelPosition::LowerRight, |c| c.0.clone());
        c.configure_series_labels()
            .position(best)
            .margin(12)
            .legend_area_size(30)
            .label_font(font(13.5).color(&INK))
            .background_style(WHITE.mix(0.9))
            .border_style(RGBColor(190, 190, 190))
            .draw()?;
    }
    Ok(())
}

/// One line-band chart on `area`.
#[allow(clippy::too_many_arguments)]
fn line_chart(
    area: &Area<'_>,
    caption: &str,
    x_label: &str,
    y_label: &str,
    series: &[&Series],
    opts: &LineOpts,
    yr: (f64, f64),
    legend: bool,
) -> Drawn {
    let xr = x_range(series);
    if opts.log_y {
        let y = LogAxis((yr.0.max(f64::MIN_POSITIVE)..yr.1).log_scale().into());
        let mut c = chart::<LogAxis>(area, caption, x_label, y_label, xr, y, log_tick, true)?;
        draw_lines(&mut c, series, opts, yr, legend)
    } else {
        let mut c =
            chart::<RangedCoordf64>(area, caption, x_label, y_label, xr, (yr.0..yr.1).into(), tick, true)?;
        draw_lines(&mut c, series, opts, yr, legend)
    }
}

/// Mean ± std line plot with default options (fitted y range, linear axes).
pub(crate) fn line_bands(title: &str, x_label: &str, y_label: &str, series: &[Series]) -> Scene {
    line_bands_opts(title, x_label, y_label, series, &LineOpts::default())
}

/// Mean ± std line plot: per series its members (thin), a translucent band and the mean line;
/// reference lines; a legend in the emptiest corner.
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
    let strip_h = if strip { strip_h } else { 0 };
    let h = opts.height.unwrap_or(560 + strip_h);
    let (title, x_label, y_label) = (title.to_string(), x_label.to_string(), y_label.to_string());
    let (series, opts) = (series.to_vec(), opts.clone());
    Scene::new(w, h, move |root| {
        let mut area = titled(root, &title)?;
        if strip {
            let (top, rest) = area.split_vertically(strip_h);
            legend_block(&top, &items, w as i32 / 2, 14, legend_w)?;
            area = rest;
        }
        let refs: Vec<&Series> = series.iter().collect();
        line_chart(&area, "", &x_label, &y_label, &refs, &opts, y_range(&refs, &opts), !strip)
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
    Scene::new(w, h, move |root| {
        let area = titled(root, &title)?;
        let (strip, grid) = area.split_vertically(strip_h);
        legend_block(&strip, &items, w as i32 / 2, 14, legend_w)?;
        let all: Vec<&Series> = panels.iter().flat_map(|p| &p.series).collect();
        let shared = y_range(&all, &opts);
        for (p, cell) in panels.iter().zip(grid.split_evenly((rows, cols))) {
            let refs: Vec<&Series> = p.series.iter().collect();
            let yr = if opts.shared_y { shared } else { y_range(&refs, &opts) };
            line_chart(&cell, &p.title, &x_label, &y_label, &refs, &opts, yr, false)?;
        }
        Ok(())
    })
}
