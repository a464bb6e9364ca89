//! Box plots with every value drawn as a jittered point, optionally linked across groups.

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::Color as _;
use plotters_backend::text_anchor::{HPos, Pos, VPos};

use super::canvas::{Color, Scene, font, text_width};
use super::frame::{chart, tick, titled};
use super::style::{GREY, INK, mix};
use crate::stats;

/// One group of a [`box_points_opts`] plot.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Group {
    /// Category label under the box.
    pub name: String,
    /// Box and point colour.
    pub color: Color,
    /// Observations (non-finite values are ignored); for linked points, in the same order
    /// (e.g. by seed) in every group.
    pub values: Vec<f64>,
}

/// Five-number summary of a sample (quartiles by [`stats::quantile`], NumPy's linear
/// quantile bit for bit; Tukey whiskers).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct BoxStats {
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

/// Box-plot statistics of the finite values, or `None` if there are none.
pub(crate) fn box_stats(values: &[f64]) -> Option<BoxStats> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let (q1, median, q3) = (stats::quantile(&v, 0.25), stats::quantile(&v, 0.5), stats::quantile(&v, 0.75));
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
pub(crate) struct BoxOpts {
    /// Fixed y range (`None` = fitted to the data).
    pub y_range: Option<(f64, f64)>,
    /// Join the `i`-th value of every group with a thin grey line (paired designs).
    pub link: bool,
    /// Label of the category axis.
    pub x_label: String,
    /// Fewest finite values a group's box plot is drawn for; a smaller group is drawn as its
    /// points alone (quartiles of a handful of values describe nothing).
    pub min_box: usize,
}

impl Default for BoxOpts {
    fn default() -> Self {
        BoxOpts { y_range: None, link: false, x_label: "initializer".into(), min_box: 1 }
    }
}

/// Box plot per group (median, quartiles, 1.5·IQR whiskers) with every value overlaid as a
/// deterministically jittered point; `opts` fixes the y range, links the points, labels
/// the category axis and leaves out the boxes of groups smaller than `opts.min_box`.
pub(crate) fn box_points_opts(title: &str, y_label: &str, groups: &[Group], opts: &BoxOpts) -> Scene {
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
            let pts = g.values.iter().enumerate().filter(|(_, v)| v.is_finite());
            let Some(b) = box_stats(&g.values).filter(|b| b.n >= opts.min_box) else {
                c.draw_series(
                    pts.clone().map(|(i, &v)| Circle::new((xs(k, i), v), 5, g.color.mix(0.85).filled())),
                )?;
                c.draw_series(pts.map(|(i, &v)| Circle::new((xs(k, i), v), 5, WHITE.stroke_width(1))))?;
                continue;
            };
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
            c.draw_series(
                pts.clone().map(|(i, &v)| Circle::new((xs(k, i), v), 5, g.color.mix(0.85).filled())),
            )?;
            c.draw_series(pts.map(|(i, &v)| Circle::new((xs(k, i), v), 5, WHITE.stroke_width(1))))?;
        }
        Ok(())
    })
}
