//! What every chart shares: the figure's title, the axes with their gridlines and tick
//! labels, and the log10 axis with its own ticks.

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters_backend::text_anchor::{HPos, Pos, VPos};

use super::canvas::{Area, Canvas, CanvasError, bold, font, text_width};
use super::style::{GRID, INK};

/// Tick label: at most 6 significant decimals, no trailing zeros, no `-0`.
pub(super) fn tick(v: &f64) -> String {
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
pub(super) struct LogAxis(pub(super) LogCoord<f64>);

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

/// A chart of the study: linear x, `Y` the y axis (linear or [`LogAxis`]).
pub(super) type Chart<'a, 'b, Y> = ChartContext<'a, Canvas<'b>, Cartesian2d<RangedCoordf64, Y>>;

/// The right margin of a chart, in pixels (more when labels stand there: [`build`]).
pub(super) const RIGHT_MARGIN: u32 = 24;

/// Builds a chart with the study's axes: label areas, gridlines, axis labels, tick labels.
#[allow(clippy::too_many_arguments)]
pub(super) fn chart<'a, 'b, Y>(
    area: &'a Area<'b>,
    caption: &str,
    x_label: &str,
    y_label: &str,
    x: (f64, f64),
    y: Y,
    y_fmt: fn(&f64) -> String,
    x_ticks: bool,
) -> Result<Chart<'a, 'b, Y>, DrawingAreaErrorKind<CanvasError>>
where
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    let mut c = build(area, caption, x_label, y_label, x, y, x_ticks, RIGHT_MARGIN)?;
    mesh(&mut c, x_label, y_label, y_fmt, x_ticks)?;
    Ok(c)
}

/// The chart of [`chart`] with `right` pixels of right margin, its axes not drawn yet (only
/// a caption is): its plotting area and coordinates are known before anything is drawn in it.
#[allow(clippy::too_many_arguments)]
pub(super) fn build<'a, 'b, Y>(
    area: &'a Area<'b>,
    caption: &str,
    x_label: &str,
    y_label: &str,
    x: (f64, f64),
    y: Y,
    x_ticks: bool,
    right: u32,
) -> Result<Chart<'a, 'b, Y>, DrawingAreaErrorKind<CanvasError>>
where
    Y: Ranged<ValueType = f64>,
{
    let mut b = ChartBuilder::on(area);
    b.margin(10)
        .margin_right(right)
        .x_label_area_size(if x_label.is_empty() { 30 } else { 46 } + if x_ticks { 0 } else { 30 })
        .y_label_area_size(if y_label.is_empty() { 52 } else { 68 });
    if !caption.is_empty() {
        let (w, _) = area.dim_in_pixel();
        let size = (16.0 * (f64::from(w) - 16.0) / text_width(caption, 16.0, true)).min(16.0);
        b.caption(caption, bold(size));
    }
    b.build_cartesian_2d(x.0..x.1, y)
}

/// Draws the axes of a [`build`] chart: gridlines, axis labels and tick labels.
pub(super) fn mesh<Y>(
    c: &mut Chart<'_, '_, Y>,
    x_label: &str,
    y_label: &str,
    y_fmt: fn(&f64) -> String,
    x_ticks: bool,
) -> Result<(), DrawingAreaErrorKind<CanvasError>>
where
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
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
    mesh.draw()
}

/// Draws `title` centred in bold at the top of `root`; returns the area below it.
pub(super) fn titled<'a>(
    root: &Area<'a>,
    title: &str,
) -> Result<Area<'a>, DrawingAreaErrorKind<CanvasError>> {
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
