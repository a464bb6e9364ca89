//! Scatter plots of 2-D points by class, on equal-aspect axes.

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use super::canvas::{Area, CanvasError, Scene};
use super::frame::{RIGHT_MARGIN, build, mesh, tick, titled};
use super::legend::{Swatch, legend_block, legend_block_boxes, legend_box, legend_box_size};
use super::markers::{class_name, classes, draw_points};
use super::placement::{Geometry, Rect, first_free};

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

/// Marker half-size of the points.
const MARKER: i32 = 5;

/// [`scatter_classes`] with explicit size, axis labels and class names. The legend goes in a
/// corner of the plot that no point comes near, else in a row above the plot.
pub(crate) fn scatter_classes_opts(title: &str, points: &[(f64, f64, u8)], opts: &ScatterOpts) -> Scene {
    let (title, points, opts) = (title.to_string(), points.to_vec(), opts.clone());
    let items: Vec<(Swatch, String)> =
        classes(&points).into_iter().map(|k| (Swatch::Class(k), class_name(&opts.class_names, k))).collect();
    Scene::recorded(opts.width, opts.height, move |root, g| {
        let area = titled(root, &title)?;
        if let Some(drawn) = scatter_on(&area, &points, &opts, &items, true, g)? {
            return Ok(drawn);
        }
        let (top, rest) = area.split_vertically(36);
        let cx = opts.width as i32 / 2;
        legend_block(&top, &items, cx, 14, opts.width as i32 - 32)?;
        let boxes = legend_block_boxes(&items, cx, 14, opts.width as i32 - 32);
        g.labels.extend(boxes.into_iter().map(|r| r.moved(top.get_base_pixel())));
        scatter_on(&rest, &points, &opts, &items, false, g).map(|_| ())
    })
}

/// The scatter plot on `area`, recorded into `g`, with its legend in a free corner when
/// `corner` (returns `None`, having drawn nothing, when no corner is free).
fn scatter_on(
    area: &Area<'_>,
    points: &[(f64, f64, u8)],
    opts: &ScatterOpts,
    items: &[(Swatch, String)],
    corner: bool,
    g: &mut Geometry,
) -> Result<Option<()>, DrawingAreaErrorKind<CanvasError>> {
    let fin: Vec<&(f64, f64, u8)> = points.iter().filter(|p| p.0.is_finite() && p.1.is_finite()).collect();
    let ext = |f: fn(&(f64, f64, u8)) -> f64| {
        fin.iter().map(|p| f(p)).fold((f64::MAX, f64::MIN), |a, v| (a.0.min(v), a.1.max(v)))
    };
    let (mut xr, mut yr) = (ext(|p| p.0), ext(|p| p.1));
    if xr.0 > xr.1 {
        (xr, yr) = ((0.0, 1.0), (0.0, 1.0));
    }
    let pad = 0.06 * (xr.1 - xr.0).max(yr.1 - yr.0).max(1e-9);
    let (xr, yr) = ((xr.0 - pad, xr.1 + pad), (yr.0 - pad, yr.1 + pad));
    let (xl, yl) = (&opts.x_label, &opts.y_label);
    let probe = build::<RangedCoordf64>(area, "", xl, yl, (0.0, 1.0), (0.0..1.0).into(), true, RIGHT_MARGIN)?;
    let (pw, ph) = probe.plotting_area().dim_in_pixel();
    let (xr, yr) = equal_aspect(xr, yr, f64::from(pw), f64::from(ph));
    let mut c = build::<RangedCoordf64>(area, "", xl, yl, xr, (yr.0..yr.1).into(), true, RIGHT_MARGIN)?;
    let curves: Vec<Vec<(i32, i32)>> = fin.iter().map(|p| vec![c.backend_coord(&(p.0, p.1))]).collect();
    let (xs, ys) = c.plotting_area().get_pixel_range();
    let plot = Rect { x0: xs.start, y0: ys.start, x1: xs.end - 1, y1: ys.end - 1 };
    let legend = if corner {
        let (w, h) = legend_box_size(items);
        let (l, r) = (plot.x0 + 12, plot.x1 - 12 - w);
        let (t, b) = (plot.y0 + 12, plot.y1 - 12 - h);
        // Upper right, upper left, lower right, lower left: the first free one.
        let corners =
            [Rect::at(r, t, w, h), Rect::at(l, t, w, h), Rect::at(r, b, w, h), Rect::at(l, b, w, h)];
        match first_free(&corners, &curves, 4, MARKER).filter(|&k| corners[k].x0 >= plot.x0) {
            Some(k) => Some(corners[k]),
            None => return Ok(None),
        }
    } else {
        None
    };
    mesh(&mut c, xl, yl, tick, true)?;
    draw_points(&c, points, MARKER)?;
    if let Some(rect) = legend {
        legend_box(area, items, rect.moved((-area.get_base_pixel().0, -area.get_base_pixel().1)))?;
        g.labels.push(rect);
    }
    g.plots.push(plot);
    g.curves.extend(curves);
    g.marker = MARKER;
    Ok(Some(()))
}
