//! The study's charts on `plotters`: learning curves, box plots, class scatter plots,
//! decision maps and the network schematic.

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::Color as _;
use plotters_backend::text_anchor::{HPos, Pos, VPos};

use super::canvas::{Area, Canvas, Color, Drawn, Picture, Raster, Scene, bold, font, text_width};

/// Okabe–Ito colour-blind-safe palette, ordered for series on a white background.
pub const PALETTE: [Color; 8] = [
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0xCC, 0x79, 0xA7),
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0x00, 0x00, 0x00),
    RGBColor(0xF0, 0xE4, 0x42),
];
/// Four further colours after [`PALETTE`] (Paul Tol's wine, indigo and olive, and a brown),
/// distinct from it and from each other: series 9–12 get these.
pub const EXTRA_PALETTE: [Color; 4] = [
    RGBColor(0x88, 0x22, 0x55),
    RGBColor(0x33, 0x22, 0x88),
    RGBColor(0x99, 0x99, 0x33),
    RGBColor(0x8C, 0x51, 0x0A),
];
/// Number of distinct series colours ([`PALETTE`] then [`EXTRA_PALETTE`]).
pub const SERIES_COLORS: usize = PALETTE.len() + EXTRA_PALETTE.len();
/// Text and axes.
pub const INK: Color = RGBColor(34, 34, 34);
/// Secondary text.
pub const GREY: Color = RGBColor(105, 105, 105);
/// Gridlines.
const GRID: Color = RGBColor(232, 232, 232);

/// Colour of series `i`: [`PALETTE`], then [`EXTRA_PALETTE`], cycling after
/// [`SERIES_COLORS`]. Line charts draw a series whose colour an earlier series of the same
/// chart already has with a dash pattern ([`DASHES`]), so cycled series stay apart.
pub fn series_color(i: usize) -> Color {
    let k = i % SERIES_COLORS;
    if k < PALETTE.len() { PALETTE[k] } else { EXTRA_PALETTE[k - PALETTE.len()] }
}

/// Dash patterns `(dash, gap)` in pixels for the 2nd, 3rd, … series of one colour in a chart
/// (the first is solid).
pub const DASHES: [(u32, u32); 3] = [(9, 5), (2, 4), (16, 4)];

/// `(dash, gap)` of the `occurrence`-th series (from 0) of one colour: solid (no gap) for
/// the first, then [`DASHES`] in turn.
fn dash_of(occurrence: usize) -> (u32, u32) {
    match occurrence {
        0 => (1000, 0),
        n => DASHES[(n - 1) % DASHES.len()],
    }
}

/// For each series, how many earlier series share its colour.
fn occurrences(colors: &[Color]) -> Vec<usize> {
    colors.iter().enumerate().map(|(i, c)| colors[..i].iter().filter(|d| *d == c).count()).collect()
}

/// `a` blended towards `b` by `t` in `[0, 1]`.
pub fn mix(a: Color, b: Color, t: f64) -> Color {
    let f = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * t.clamp(0.0, 1.0)).round() as u8;
    RGBColor(f(a.0, b.0), f(a.1, b.1), f(a.2, b.2))
}

/// Tick label: at most 6 significant decimals, no trailing zeros, no `-0`.
fn tick(v: &f64) -> String {
    let r = (v * 1e6).round() / 1e6;
    if r == 0.0 { "0".into() } else { format!("{r}") }
}

/// Log-axis tick label `m·10^k`, compact: `0.0005`, `0.2`, `1`, `20`; `2e-5` and `5e5`
/// outside `10^-4 … 10^4`.
pub(super) fn log_tick(v: &f64) -> String {
    if !(v.is_finite() && *v > 0.0) {
        return tick(v);
    }
    let k = (v.log10() + 1e-9).floor() as i32;
    if (-4..=4).contains(&k) {
        return tick(v);
    }
    let m = v / 10f64.powi(k);
    let m = (m * 1e4).round() / 1e4;
    format!("{m}e{k}")
}

/// `m·10^k`, as the nearest `f64` to the decimal (so that `5·10^-3` is `0.005`).
fn decade(m: u32, k: i32) -> f64 {
    if k >= 0 { f64::from(m) * 10f64.powi(k) } else { f64::from(m) / 10f64.powi(-k) }
}

/// Most labelled ticks on a log axis: more powers of ten than this are thinned to every
/// n-th.
const MAX_LOG_TICKS: usize = 10;

/// Labelled ticks of a log axis over `[lo, hi]`: the powers of ten inside; when fewer than
/// three, also `2·10^k` and `5·10^k`; when still fewer than three, every `m·10^k`,
/// `m = 1 … 9`. Ascending; empty for a range that is not positive and finite.
pub(super) fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite()) {
        return Vec::new();
    }
    let (lo, hi) = (lo.min(hi), hi.max(lo));
    if lo <= 0.0 {
        return Vec::new();
    }
    let (k0, k1) = ((lo.log10() - 1e-9).floor() as i32, (hi.log10() + 1e-9).floor() as i32);
    let inside = |v: &f64| *v >= lo * (1.0 - 1e-9) && *v <= hi * (1.0 + 1e-9);
    let with = |ms: &[u32]| -> Vec<f64> {
        (k0..=k1).flat_map(|k| ms.iter().map(move |&m| decade(m, k))).filter(inside).collect()
    };
    let powers = with(&[1]);
    if powers.len() >= 3 {
        let step = powers.len().div_ceil(MAX_LOG_TICKS);
        return powers.into_iter().step_by(step).collect();
    }
    let ticks = with(&[1, 2, 5]);
    if ticks.len() >= 3 { ticks } else { with(&[1, 2, 3, 4, 5, 6, 7, 8, 9]) }
}

/// A log10 axis whose labelled (bold) ticks are [`log_ticks`]; otherwise `plotters`'
/// [`LogCoord`].
struct LogAxis(LogCoord<f64>);

impl Ranged for LogAxis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.0.map(value, limit)
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            self.0.key_points(hint)
        } else {
            let r = self.0.range();
            log_ticks(r.start, r.end)
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.0.range()
    }

    fn axis_pixel_range(&self, limit: (i32, i32)) -> std::ops::Range<i32> {
        self.0.axis_pixel_range(limit)
    }
}

/// One curve: mean with a ±std band (an empty `std` draws no band), optionally with the
/// runs it summarises drawn thin underneath.
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
    /// Per-member curves over the same `x` (e.g. one per seed), drawn thin and faint under the band.
    pub members: Vec<Vec<f64>>,
}

impl Series {
    /// A series without member curves.
    pub fn new(name: &str, color: Color, x: Vec<f64>, mean: Vec<f64>, std: Vec<f64>) -> Series {
        Series { name: name.to_string(), color, x, mean, std, members: Vec::new() }
    }

    /// The same series with per-member curves (each over `x`).
    pub fn with_members(mut self, members: Vec<Vec<f64>>) -> Series {
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
pub struct LinePanel {
    /// Panel title (e.g. `"layer 1 (2→64)"`).
    pub title: String,
    /// Curves; give matching names/colours across panels (the legend is taken from the first panel).
    pub series: Vec<Series>,
}

/// Options of [`line_bands_opts`] and [`multi_line_bands`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LineOpts {
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

type Chart<'a, 'b, Y> = ChartContext<'a, Canvas<'b>, Cartesian2d<RangedCoordf64, Y>>;

/// Builds a chart with the study's axes: label areas, gridlines, axis labels, tick labels.
#[allow(clippy::too_many_arguments)]
fn chart<'a, 'b, Y>(
    area: &'a Area<'b>,
    caption: &str,
    x_label: &str,
    y_label: &str,
    x: (f64, f64),
    y: Y,
    y_fmt: fn(&f64) -> String,
    x_ticks: bool,
) -> Result<Chart<'a, 'b, Y>, DrawingAreaErrorKind<super::canvas::CanvasError>>
where
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    let mut b = ChartBuilder::on(area);
    b.margin(10)
        .margin_right(24)
        .x_label_area_size(if x_label.is_empty() { 30 } else { 46 } + if x_ticks { 0 } else { 30 })
        .y_label_area_size(if y_label.is_empty() { 52 } else { 68 });
    if !caption.is_empty() {
        let (w, _) = area.dim_in_pixel();
        let size = (16.0 * (f64::from(w) - 16.0) / text_width(caption, 16.0, true)).min(16.0);
        b.caption(caption, bold(size));
    }
    let mut c = b.build_cartesian_2d(x.0..x.1, y)?;
    let mut mesh = c.configure_mesh();
    mesh.x_desc(x_label)
        .y_desc(y_label)
        .label_style(font(13.0).color(&INK))
        .axis_desc_style(font(14.5).color(&INK))
        .axis_style(RGBColor(90, 90, 90))
        .bold_line_style(GRID)
        .light_line_style(TRANSPARENT)
        .x_label_formatter(&tick)
        .y_label_formatter(&y_fmt)
        .x_labels(8)
        .y_labels(8);
    if !x_ticks {
        mesh.x_labels(0).disable_x_mesh();
    }
    mesh.draw()?;
    Ok(c)
}

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
pub fn line_bands(title: &str, x_label: &str, y_label: &str, series: &[Series]) -> Scene {
    line_bands_opts(title, x_label, y_label, series, &LineOpts::default())
}

/// Mean ± std line plot: per series its members (thin), a translucent band and the mean line;
/// reference lines; a legend in the emptiest corner.
pub fn line_bands_opts(
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

/// Draws `title` centred in bold at the top of `root`; returns the area below it.
fn titled<'a>(
    root: &Area<'a>,
    title: &str,
) -> Result<Area<'a>, DrawingAreaErrorKind<super::canvas::CanvasError>> {
    if title.is_empty() {
        return Ok(root.clone());
    }
    let (w, _) = root.dim_in_pixel();
    let size = (20.0 * (f64::from(w) - 24.0) / text_width(title, 20.0, true)).min(20.0);
    root.draw(&Text::new(
        title.to_string(),
        (w as i32 / 2, 12),
        bold(size).color(&INK).pos(Pos::new(HPos::Center, VPos::Top)),
    ))?;
    Ok(root.split_vertically(44).1)
}

/// What a legend entry shows.
#[derive(Clone, Copy)]
enum Swatch {
    /// Mean line over its band, the line solid or dashed `(dash, gap)`.
    Band(Color, (u32, u32)),
    /// A line.
    Line(Color),
    /// The marker of class `k`.
    Class(u8),
}

/// Width in pixels of a legend entry labelled `label` (swatch, gap, text).
fn legend_entry_width(label: &str) -> i32 {
    30 + text_width(label, 13.5, false).ceil() as i32
}

/// Horizontal space between legend entries.
const LEGEND_GAP: i32 = 24;
/// Distance between the centres of two legend rows.
pub(super) const LEGEND_ROW_PITCH: i32 = 22;

/// Legend entries per row (indices into `labels`): greedily filled, in order, so that no
/// row is wider than `max_w` pixels (an entry wider on its own gets a row to itself).
pub(super) fn legend_rows(labels: &[&str], max_w: i32) -> Vec<Vec<usize>> {
    let mut rows: Vec<Vec<usize>> = Vec::new();
    let mut used = 0;
    for (i, label) in labels.iter().enumerate() {
        let w = legend_entry_width(label);
        match rows.last_mut() {
            Some(row) if used + LEGEND_GAP + w <= max_w => {
                row.push(i);
                used += LEGEND_GAP + w;
            }
            _ => {
                rows.push(vec![i]);
                used = w;
            }
        }
    }
    rows
}

/// Legend entries wrapped into rows at most `max_w` wide ([`legend_rows`]), each row centred
/// on `cx`, the first row's centre at `cy`, rows [`LEGEND_ROW_PITCH`] apart.
fn legend_block(area: &Area<'_>, items: &[(Swatch, String)], cx: i32, cy: i32, max_w: i32) -> Drawn {
    let labels: Vec<&str> = items.iter().map(|(_, l)| l.as_str()).collect();
    for (r, row) in legend_rows(&labels, max_w).iter().enumerate() {
        let entries: Vec<(Swatch, String)> = row.iter().map(|&i| items[i].clone()).collect();
        legend_row(area, &entries, cx, cy + r as i32 * LEGEND_ROW_PITCH)?;
    }
    Ok(())
}

/// One row of legend entries centred on `(cx, cy)` (pixels of `area`).
fn legend_row(area: &Area<'_>, items: &[(Swatch, String)], cx: i32, cy: i32) -> Drawn {
    let widths: Vec<i32> = items.iter().map(|(_, l)| legend_entry_width(l)).collect();
    let total: i32 = widths.iter().sum::<i32>() + LEGEND_GAP * (items.len() as i32 - 1).max(0);
    let mut x = cx - total / 2;
    for ((sw, label), w) in items.iter().zip(widths) {
        match *sw {
            Swatch::Band(c, (dash, gap)) => {
                area.draw(&Rectangle::new([(x, cy - 6), (x + 22, cy + 6)], c.mix(0.2).filled()))?;
                area.draw(&DashedPathElement::new(
                    vec![(x, cy), (x + 22, cy)],
                    dash,
                    gap,
                    c.stroke_width(2),
                ))?;
            }
            Swatch::Line(c) => {
                area.draw(&PathElement::new(vec![(x, cy), (x + 22, cy)], c.stroke_width(2)))?
            }
            Swatch::Class(k) => draw_marker(area, k, (x + 11, cy), 5)?,
        }
        area.draw(&Text::new(
            label.clone(),
            (x + 28, cy),
            font(13.5).color(&INK).pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
        x += w + LEGEND_GAP;
    }
    Ok(())
}

/// Small multiples of [`line_bands`]: one panel per entry (e.g. per layer) in a grid, one
/// legend above them, optional log y axis (`opts.log_y`) and shared y range (`opts.shared_y`).
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

/// One group of a [`box_points`] plot.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// Category label under the box.
    pub name: String,
    /// Box and point colour.
    pub color: Color,
    /// Observations (non-finite values are ignored); for linked points, in the same order
    /// (e.g. by seed) in every group.
    pub values: Vec<f64>,
}

/// Five-number summary of a sample (NumPy-style linear percentiles, Tukey whiskers).
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

/// Percentile `p` in `[0, 100]` of ascending `sorted` data, linear interpolation between
/// closest ranks (NumPy's default). NaN for empty input.
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

/// Options of [`box_points_opts`].
#[derive(Clone, Debug, PartialEq)]
pub struct BoxOpts {
    /// Fixed y range (`None` = fitted to the data).
    pub y_range: Option<(f64, f64)>,
    /// Join the `i`-th value of every group with a thin grey line (paired designs).
    pub link: bool,
    /// Label of the category axis.
    pub x_label: String,
}

impl Default for BoxOpts {
    fn default() -> Self {
        BoxOpts { y_range: None, link: false, x_label: "initializer".into() }
    }
}

/// Box plot per group (median, quartiles, 1.5·IQR whiskers) with every value overlaid as a
/// deterministically jittered point.
pub fn box_points(title: &str, y_label: &str, groups: &[Group]) -> Scene {
    box_points_opts(title, y_label, groups, &BoxOpts::default())
}

/// [`box_points`] with a fixed y range, linked points and the category axis's label.
pub fn box_points_opts(title: &str, y_label: &str, groups: &[Group], opts: &BoxOpts) -> Scene {
    let n = groups.len().max(1);
    let label_w = groups.iter().map(|g| text_width(&g.name, 14.0, false)).fold(0.0, f64::max);
    let w = (n as f64 * (label_w + 30.0).max(150.0) + 140.0).clamp(560.0, 1600.0).round() as u32;
    let (title, y_label, groups, opts) =
        (title.to_string(), y_label.to_string(), groups.to_vec(), opts.clone());
    Scene::new(w, 540, move |root| {
        let area = titled(root, &title)?;
        let vals = groups.iter().flat_map(|g| g.values.iter().copied()).filter(|v| v.is_finite());
        let (lo, hi) = vals.fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(v), b.max(v)));
        let yr = opts.y_range.unwrap_or(if lo > hi {
            (0.0, 1.0)
        } else {
            let pad = ((hi - lo) * 0.08).max(1e-3 * hi.abs().max(1e-3));
            (lo - pad, hi + pad)
        });
        let mut c = chart::<RangedCoordf64>(
            &area,
            "",
            &opts.x_label,
            &y_label,
            (0.0, n as f64),
            (yr.0..yr.1).into(),
            tick,
            false,
        )?;
        let bw = 0.32;
        let xs = |k: usize, i: usize| k as f64 + 0.5 + jitter(i) * bw * 1.3;
        if opts.link {
            let seeds = groups.iter().map(|g| g.values.len()).max().unwrap_or(0);
            for i in 0..seeds {
                let pts = groups
                    .iter()
                    .enumerate()
                    .filter_map(|(k, g)| g.values.get(i).filter(|v| v.is_finite()).map(|&v| (xs(k, i), v)));
                c.draw_series(LineSeries::new(pts, RGBColor(150, 150, 150).mix(0.55).stroke_width(1)))?;
            }
        }
        for (k, g) in groups.iter().enumerate() {
            let cx = k as f64 + 0.5;
            let label_at = (cx, yr.0);
            let name = font(14.0).color(&INK).pos(Pos::new(HPos::Center, VPos::Top));
            let count = g.values.iter().filter(|v| v.is_finite()).count();
            let n_style = font(12.5).color(&GREY).pos(Pos::new(HPos::Center, VPos::Top));
            c.draw_series([EmptyElement::at(label_at)
                + Text::new(g.name.clone(), (0, 8), name)
                + Text::new(format!("n = {count}"), (0, 27), n_style)])?;
            let Some(b) = box_stats(&g.values) else { continue };
            let dark = mix(g.color, RGBColor(0, 0, 0), 0.35);
            let line = dark.stroke_width(2);
            let seg = |a: (f64, f64), b: (f64, f64)| PathElement::new(vec![a, b], line);
            c.draw_series([Rectangle::new(
                [(cx - bw / 2.0, b.q3), (cx + bw / 2.0, b.q1)],
                g.color.mix(0.16).filled(),
            )])?;
            c.draw_series([
                seg((cx, b.whisker_lo), (cx, b.q1)),
                seg((cx, b.q3), (cx, b.whisker_hi)),
                seg((cx - bw / 4.0, b.whisker_lo), (cx + bw / 4.0, b.whisker_lo)),
                seg((cx - bw / 4.0, b.whisker_hi), (cx + bw / 4.0, b.whisker_hi)),
            ])?;
            c.draw_series([Rectangle::new([(cx - bw / 2.0, b.q3), (cx + bw / 2.0, b.q1)], line)])?;
            c.draw_series([PathElement::new(
                vec![(cx - bw / 2.0, b.median), (cx + bw / 2.0, b.median)],
                dark.stroke_width(3),
            )])?;
            let pts = g.values.iter().enumerate().filter(|(_, v)| v.is_finite());
            c.draw_series(
                pts.clone().map(|(i, &v)| Circle::new((xs(k, i), v), 5, g.color.mix(0.85).filled())),
            )?;
            c.draw_series(pts.map(|(i, &v)| Circle::new((xs(k, i), v), 5, WHITE.stroke_width(1))))?;
        }
        Ok(())
    })
}

/// Options of [`scatter_classes_opts`].
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
            height: 640,
            x_label: "x1".into(),
            y_label: "x2".into(),
            class_names: Vec::new(),
        }
    }
}

/// Class `k`'s marker (circle, square, triangle, diamond, cycling) of half-size `r` at `at`.
fn draw_marker<C: Clone + 'static>(
    area: &DrawingArea<Canvas<'_>, impl plotters::coord::CoordTranslate<From = C>>,
    k: u8,
    at: C,
    r: i32,
) -> Drawn {
    let fill = series_color(k as usize).mix(0.9).filled();
    let edge = WHITE.stroke_width(1);
    let poly = |pts: Vec<(i32, i32)>| {
        EmptyElement::at(at.clone())
            + Polygon::new(pts.clone(), fill)
            + PathElement::new([pts.clone(), vec![pts[0]]].concat(), edge)
    };
    match k % 4 {
        0 => area.draw(
            &(EmptyElement::at(at.clone()) + Circle::new((0, 0), r, fill) + Circle::new((0, 0), r, edge)),
        ),
        1 => area.draw(&poly(vec![(-r + 1, -r + 1), (r - 1, -r + 1), (r - 1, r - 1), (-r + 1, r - 1)])),
        2 => area.draw(&poly(vec![(0, -r - 1), (r + 1, r - 1), (-r - 1, r - 1)])),
        _ => area.draw(&poly(vec![(0, -r - 1), (r + 1, 0), (0, r + 1), (-r - 1, 0)])),
    }
}

fn draw_points<Y: Ranged<ValueType = f64>>(c: &Chart<'_, '_, Y>, points: &[(f64, f64, u8)], r: i32) -> Drawn {
    let area = c.plotting_area();
    for &(x, y, k) in points.iter().filter(|p| p.0.is_finite() && p.1.is_finite()) {
        draw_marker(area, k, (x, y), r)?;
    }
    Ok(())
}

fn classes(points: &[(f64, f64, u8)]) -> Vec<u8> {
    let mut k: Vec<u8> = points.iter().map(|p| p.2).collect();
    k.sort_unstable();
    k.dedup();
    k
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

/// 2-D points coloured (and shaped) by class label, equal-aspect axes, legend.
pub fn scatter_classes(title: &str, points: &[(f64, f64, u8)]) -> Scene {
    scatter_classes_opts(title, points, &ScatterOpts::default())
}

/// [`scatter_classes`] with explicit size, axis labels and class names.
pub fn scatter_classes_opts(title: &str, points: &[(f64, f64, u8)], opts: &ScatterOpts) -> Scene {
    let (title, points, opts) = (title.to_string(), points.to_vec(), opts.clone());
    Scene::new(opts.width, opts.height, move |root| {
        let area = titled(root, &title)?;
        let fin: Vec<&(f64, f64, u8)> =
            points.iter().filter(|p| p.0.is_finite() && p.1.is_finite()).collect();
        let ext = |f: fn(&(f64, f64, u8)) -> f64| {
            fin.iter().map(|p| f(p)).fold((f64::MAX, f64::MIN), |a, v| (a.0.min(v), a.1.max(v)))
        };
        let (mut xr, mut yr) = (ext(|p| p.0), ext(|p| p.1));
        if xr.0 > xr.1 {
            (xr, yr) = ((0.0, 1.0), (0.0, 1.0));
        }
        let pad = 0.06 * (xr.1 - xr.0).max(yr.1 - yr.0).max(1e-9);
        let (xr, yr) = ((xr.0 - pad, xr.1 + pad), (yr.0 - pad, yr.1 + pad));
        let probe = chart::<RangedCoordf64>(
            &area,
            "",
            &opts.x_label,
            &opts.y_label,
            (0.0, 1.0),
            (0.0..1.0).into(),
            tick,
            true,
        );
        let (pw, ph) = probe.map(|c| c.plotting_area().dim_in_pixel()).unwrap_or((1, 1));
        let (xr, yr) = equal_aspect(xr, yr, f64::from(pw), f64::from(ph));
        area.fill(&WHITE)?;
        let mut c = chart::<RangedCoordf64>(
            &area,
            "",
            &opts.x_label,
            &opts.y_label,
            xr,
            (yr.0..yr.1).into(),
            tick,
            true,
        )?;
        draw_points(&c, &points, 5)?;
        for k in classes(&points) {
            c.draw_series(std::iter::empty::<Circle<(f64, f64), i32>>())?
                .label(class_name(&opts.class_names, k))
                .legend(move |(x, y)| {
                    let fill = series_color(k as usize).filled();
                    let r = 5;
                    match k % 4 {
                        0 => EmptyElement::at((x + 10, y)) + Polygon::new(circle_poly(r), fill),
                        1 => {
                            EmptyElement::at((x + 10, y))
                                + Polygon::new(
                                    vec![(-r + 1, -r + 1), (r - 1, -r + 1), (r - 1, r - 1), (-r + 1, r - 1)],
                                    fill,
                                )
                        }
                        2 => {
                            EmptyElement::at((x + 10, y))
                                + Polygon::new(vec![(0, -r - 1), (r + 1, r - 1), (-r - 1, r - 1)], fill)
                        }
                        _ => {
                            EmptyElement::at((x + 10, y))
                                + Polygon::new(vec![(0, -r - 1), (r + 1, 0), (0, r + 1), (-r - 1, 0)], fill)
                        }
                    }
                });
        }
        let corner = [
            SeriesLabelPosition::UpperRight,
            SeriesLabelPosition::UpperLeft,
            SeriesLabelPosition::LowerRight,
            SeriesLabelPosition::LowerLeft,
        ]
        .into_iter()
        .zip([(0.7, 0.8), (0.0, 0.8), (0.7, 0.0), (0.0, 0.0)])
        .min_by_key(|(_, (x0, y0))| {
            fin.iter()
                .filter(|p| {
                    let (fx, fy) = ((p.0 - xr.0) / (xr.1 - xr.0), (p.1 - yr.0) / (yr.1 - yr.0));
                    fx >= *x0 && fx <= x0 + 0.3 && fy >= *y0 && fy <= y0 + 0.2
                })
                .count()
        })
        .map_or(SeriesLabelPosition::UpperRight, |c| c.0);
        c.configure_series_labels()
            .position(corner)
            .margin(12)
            .label_font(font(13.5).color(&INK))
            .background_style(WHITE.mix(0.9))
            .border_style(RGBColor(190, 190, 190))
            .draw()
    })
}

/// A 12-gon of radius `r` (a filled circle as a polygon, for legends).
fn circle_poly(r: i32) -> Vec<(i32, i32)> {
    (0..12)
        .map(|i| {
            let a = f64::from(i) * std::f64::consts::TAU / 12.0;
            ((f64::from(r) * a.cos()).round() as i32, (f64::from(r) * a.sin()).round() as i32)
        })
        .collect()
}

/// One panel of [`decision_panels`].
#[derive(Clone, Debug, PartialEq)]
pub struct Panel {
    /// Panel title (e.g. `"Glorot normal, seed 0"`).
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
        mix(WHITE, series_color(0), (0.5 - p) * 2.0 * 0.55)
    } else {
        mix(WHITE, series_color(1), (p - 0.5) * 2.0 * 0.55)
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
            let c = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)];
            let val: Vec<f32> = c.iter().map(|&(a, b)| v[b * nx + a]).collect();
            if val.iter().any(|x| !x.is_finite()) {
                continue;
            }
            let mut cross = Vec::new();
            for e in 0..4 {
                let (a, b) = (e, (e + 1) % 4);
                if (val[a] >= level) != (val[b] >= level) {
                    let t = f64::from((level - val[a]) / (val[b] - val[a]));
                    let (pa, pb) = (pos(c[a].0, c[a].1), pos(c[b].0, c[b].1));
                    cross.push((pa.0 + (pb.0 - pa.0) * t, pa.1 + (pb.1 - pa.1) * t));
                }
            }
            if cross.len() >= 2 {
                out.push(vec![cross[0], cross[1]]);
            }
            if cross.len() == 4 {
                out.push(vec![cross[2], cross[3]]);
            }
        }
    }
    out
}

/// Decision-surface panels in a grid of up to 3 per row: background shaded by P(class 1)
/// (see [`prob_color`]), points overlaid, the P = 0.5 contour above them, x1/x2 axis
/// labels, and one legend with a probability colour bar.
pub fn decision_panels(title: &str, panels: &[Panel]) -> Scene {
    decision_panels_opts(title, panels, true)
}

/// [`decision_panels`] with the 0.5 contour optional.
pub fn decision_panels_opts(title: &str, panels: &[Panel], contour_line: bool) -> Scene {
    let n = panels.len().max(1);
    let cols = n.min(3);
    let rows = n.div_ceil(cols);
    let cell_w = 440u32;
    let aspect = panels
        .iter()
        .map(|p| ((p.y_range.1 - p.y_range.0) / (p.x_range.1 - p.x_range.0)).abs())
        .filter(|a| a.is_finite())
        .fold(0.0f64, f64::max)
        .clamp(0.4, 1.2);
    let plot_w = f64::from(cell_w) - 76.0 - 34.0;
    let cell_h = (plot_w * aspect).round() as u32 + 30 + 52 + 20;
    let (w, h) = ((cols as u32 * cell_w).max(640), 44 + rows as u32 * cell_h + 48);
    let (title, panels) = (title.to_string(), panels.to_vec());
    Scene::new(w, h, move |root| {
        let area = titled(root, &title)?;
        let (grid, strip) = area.split_vertically(rows as u32 * cell_h);
        let cells = grid.margin(0, 0, (w - cols as u32 * cell_w) as i32 / 2, 0).split_evenly((rows, cols));
        for (p, cell) in panels.iter().zip(cells) {
            let c = chart::<RangedCoordf64>(
                &cell,
                &p.title,
                "x1",
                "x2",
                p.x_range,
                (p.y_range.0..p.y_range.1).into(),
                tick,
                true,
            )?;
            let (nx, ny, ref v) = p.grid;
            if nx > 0 && ny > 0 && v.len() >= nx * ny {
                let mut img = Raster::new(nx as u32, ny as u32, WHITE);
                for j in 0..ny {
                    for i in 0..nx {
                        img.set(i as u32, (ny - 1 - j) as u32, prob_color(f64::from(v[j * nx + i])));
                    }
                }
                let corners = [(p.x_range.0, p.y_range.1), (p.x_range.1, p.y_range.0)];
                c.plotting_area().draw(&Picture { corners, image: img, smooth: true })?;
            }
            draw_points(&c, &p.points, 4)?;
            if contour_line {
                for seg in contour(p, 0.5) {
                    c.plotting_area().draw(&PathElement::new(seg, RGBColor(30, 30, 30).stroke_width(2)))?;
                }
            }
            // The mesh again on top of the image: axes and ticks stay visible.
            let mut c = c;
            c.configure_mesh()
                .disable_mesh()
                .x_labels(0)
                .y_labels(0)
                .axis_style(RGBColor(90, 90, 90))
                .draw()?;
        }
        let mut items: Vec<(Swatch, String)> =
            classes(&panels.iter().flat_map(|p| p.points.clone()).collect::<Vec<_>>())
                .into_iter()
                .map(|k| (Swatch::Class(k), format!("class {k}")))
                .collect();
        if contour_line {
            items.push((Swatch::Line(RGBColor(30, 30, 30)), "P(class 1) = 0.5".into()));
        }
        let bar_w = 160;
        let left_w = items.iter().map(|(_, l)| 30 + text_width(l, 13.5, false) as i32 + 24).sum::<i32>();
        let label_w = text_width("P(class 1)  0", 13.5, false) as i32 + 8;
        let total = left_w + 30 + label_w + bar_w + 20;
        let x0 = w as i32 / 2 - total / 2;
        let cy = 22;
        legend_row(&strip, &items, x0 + left_w / 2, cy)?;
        let bx = x0 + left_w + 30 + label_w;
        let st = font(13.5).color(&INK).pos(Pos::new(HPos::Right, VPos::Center));
        strip.draw(&Text::new("P(class 1)  0", (bx - 6, cy), st))?;
        let mut bar = Raster::new(64, 1, WHITE);
        for i in 0..64 {
            bar.set(i, 0, prob_color((f64::from(i) + 0.5) / 64.0));
        }
        strip.draw(&Picture { corners: [(bx, cy - 7), (bx + bar_w, cy + 7)], image: bar, smooth: true })?;
        strip.draw(&Rectangle::new(
            [(bx, cy - 7), (bx + bar_w, cy + 7)],
            RGBColor(170, 170, 170).stroke_width(1),
        ))?;
        strip.draw(&Text::new(
            "1",
            (bx + bar_w + 6, cy),
            font(13.5).color(&INK).pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
        Ok(())
    })
}

/// Most nodes drawn per layer; wider layers show the first 4, a "⋮" marker and the last 3.
pub const MAX_NODES: usize = 8;

/// Vertical slots of a layer: `Some(node)` or `None` for the ellipsis.
fn slots(size: usize) -> Vec<Option<usize>> {
    if size <= MAX_NODES {
        (0..size).map(Some).collect()
    } else {
        (0..4).map(Some).chain([None]).chain((size - 3..size).map(Some)).collect()
    }
}

/// Greedy word wrap of `text` into lines at most `max_w` px wide at size `size`.
pub fn wrap_text(text: &str, max_w: f64, size: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(l) if text_width(&format!("{l} {word}"), size, false) <= max_w => {
                l.push(' ');
                l.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// Dense-network schematic: one column of nodes per layer (at most [`MAX_NODES`] drawn, a
/// "⋮" for wider layers), edges between drawn nodes, a header per column.
///
/// `layer_labels` is read by length: `layer_sizes.len() - 1` labels describe the connections
/// and are written between the columns (e.g. `"Dense 2→64 + ReLU"`); `layer_sizes.len()`
/// labels replace the column headers; anything else is ignored.
pub fn architecture(title: &str, layer_sizes: &[usize], layer_labels: &[String]) -> Scene {
    let n = layer_sizes.len();
    let between = n >= 2 && layer_labels.len() == n - 1;
    let headers: Vec<String> = if layer_labels.len() == n && !between {
        layer_labels.to_vec()
    } else {
        (0..n)
            .map(|i| match i {
                0 if n > 1 => format!("input ({})", layer_sizes[i]),
                _ if i == n - 1 && n > 1 => format!("output ({})", layer_sizes[i]),
                _ => format!("hidden ({})", layer_sizes[i]),
            })
            .collect()
    };
    let widest = |v: &[String], s: f64| v.iter().map(|l| text_width(l, s, false)).fold(0.0, f64::max);
    let widest_header = widest(&headers, 14.0);
    let gap = (if between { widest(layer_labels, 13.0) + 36.0 } else { 0.0 })
        .clamp(widest_header + 40.0, 300.0)
        .max(190.0);
    let labels: Vec<Vec<String>> = if between {
        layer_labels.iter().map(|l| wrap_text(l, gap - 16.0, 13.0)).collect()
    } else {
        Vec::new()
    };
    let max_lines = labels.iter().map(Vec::len).max().unwrap_or(0);
    let margin = (widest_header / 2.0 + 40.0).max(80.0);
    let w = (2.0 * margin + gap * (n.max(1) - 1) as f64).max(520.0);
    let (pitch, r) = (40.0, 11);
    let col_h = MAX_NODES as f64 * pitch;
    let h = 44.0 + 40.0 + col_h + 20.0 + max_lines as f64 * 20.0 + 16.0;
    let (title, sizes) = (title.to_string(), layer_sizes.to_vec());
    Scene::new(w.round() as u32, h.round() as u32, move |root| {
        let area = titled(root, &title)?;
        let x_start = (w - gap * (n.max(1) - 1) as f64) / 2.0;
        let cx = |i: usize| (x_start + i as f64 * gap).round() as i32;
        let mid = 40.0 + col_h / 2.0;
        let pos: Vec<Vec<(i32, Option<usize>)>> = sizes
            .iter()
            .map(|&k| {
                let sl = slots(k);
                let y0 = mid - (sl.len() as f64 - 1.0) * pitch / 2.0;
                sl.into_iter().enumerate().map(|(i, o)| ((y0 + i as f64 * pitch).round() as i32, o)).collect()
            })
            .collect();
        let edge = RGBColor(120, 120, 120).mix(0.45).stroke_width(1);
        for l in 0..n.saturating_sub(1) {
            for &(ya, a) in pos[l].iter().filter(|p| p.1.is_some()) {
                for &(yb, _) in pos[l + 1].iter().filter(|p| p.1.is_some()) {
                    let _ = a;
                    area.draw(&PathElement::new(vec![(cx(l) + r, ya), (cx(l + 1) - r, yb)], edge))?;
                }
            }
        }
        for (l, col) in pos.iter().enumerate() {
            let base = if l == 0 && n > 1 {
                PALETTE[0]
            } else if l == n - 1 && n > 1 {
                PALETTE[1]
            } else {
                PALETTE[2]
            };
            let (fill, outline) = (mix(WHITE, base, 0.35), mix(base, RGBColor(0, 0, 0), 0.2));
            for &(y, o) in col {
                if o.is_some() {
                    area.draw(&Circle::new((cx(l), y), r, fill.filled()))?;
                    area.draw(&Circle::new((cx(l), y), r, outline.stroke_width(2)))?;
                } else {
                    for d in [-11, 0, 11] {
                        area.draw(&Circle::new((cx(l), y + d), 3, RGBColor(90, 90, 90).filled()))?;
                    }
                }
            }
            let top = col.first().map_or(40, |p| p.0.min(40 + r)) - r - 8;
            let st = bold(14.0).color(&INK).pos(Pos::new(HPos::Center, VPos::Bottom));
            area.draw(&Text::new(headers[l].clone(), (cx(l), top), st))?;
        }
        let ly = (40.0 + col_h + 8.0) as i32;
        for (l, lines) in labels.iter().enumerate() {
            for (i, line) in lines.iter().enumerate() {
                let st = font(13.0).color(&RGBColor(60, 60, 60)).pos(Pos::new(HPos::Center, VPos::Top));
                area.draw(&Text::new(line.clone(), ((cx(l) + cx(l + 1)) / 2, ly + 20 * i as i32), st))?;
            }
        }
        Ok(())
    })
}
