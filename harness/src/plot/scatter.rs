//! Scatter plots of 2-D points by class, on equal-aspect axes.

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use super::canvas::{Scene, font};
use super::frame::{chart, tick, titled};
use super::markers::{circle_poly, class_name, classes, draw_points};
use super::style::{INK, series_color};

/// Options of [`scatter_classes_opts`].
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ScatterOpts {
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

/// Expand data ranges so one data unit has the same pixel length on both axes.
fn equal_aspect(xr: (f64, f64), yr: (f64, f64), w: f64, h: f64) -> ((f64, f64), (f64, f64)) {
    let (xs, ys) = ((xr.1 - xr.0).max(1e-12), (yr.1 - yr.0).max(1e-12));
    let scale = (w / xs).min(h / ys);
    let (nx, ny) = (w / scale, h / scale);
    let (cx, cy) = ((xr.0 + xr.1) / 2.0, (yr.0 + yr.1) / 2.0);
    ((cx - nx / 2.0, cx + nx / 2.0), (cy - ny / 2.0, cy + ny / 2.0))
}

/// 2-D points coloured (and shaped) by class label, equal-aspect axes, legend.
pub(crate) fn scatter_classes(title: &str, points: &[(f64, f64, u8)]) -> Scene {
    scatter_classes_opts(title, points, &ScatterOpts::default())
}

/// [`scatter_classes`] with explicit size, axis labels and class names.
pub(crate) fn scatter_classes_opts(title: &str, points: &[(f64, f64, u8)], opts: &ScatterOpts) -> Scene {
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
