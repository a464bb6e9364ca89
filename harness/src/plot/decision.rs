//! Decision maps: each panel a network's class probabilities over the input plane, the data
//! on top, one legend. Two classes: P(class 1) on a diverging scale with its 0.5 contour and a
//! colour bar. More: each region in the colour of the class predicted there (paler where the
//! network is less sure), with the boundaries between the regions.

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::Color as _;
use plotters_backend::text_anchor::{HPos, Pos, VPos};

use super::canvas::{Color, Picture, Raster, Scene, font, text_width};
use super::frame::{chart, tick, titled};
use super::legend::{Swatch, legend_row};
use super::markers::{classes, draw_points};
use super::style::{INK, mix, series_color};

/// One panel of [`decision_panels`].
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Panel {
    /// Panel title (e.g. `"Glorot normal, seed 0"`).
    pub title: String,
    /// Data x range `(min, max)` covered by the grid.
    pub x_range: (f64, f64),
    /// Data y range `(min, max)` covered by the grid.
    pub y_range: (f64, f64),
    /// `(nx, ny, p)`: the probability of each of [`Panel::classes`] classes on an `nx × ny`
    /// grid of **cell centres**, row-major with row 0 at `y_min`: `p[(j*nx + i)*k + c]` is
    /// class `c`'s at `x = x_min + (i+0.5)·Δx/nx`, `y = y_min + (j+0.5)·Δy/ny`.
    pub grid: (usize, usize, Vec<f32>),
    /// Number of classes `k` (2 or more).
    pub classes: usize,
    /// Points overlaid as `(x, y, class)`.
    pub points: Vec<(f64, f64, u8)>,
}

impl Panel {
    /// The grid of `f(probabilities of one cell)`, or `None` when the grid is short.
    fn map(&self, f: impl Fn(&[f32]) -> f32) -> Option<Vec<f32>> {
        let (nx, ny, ref v) = self.grid;
        let k = self.classes.max(1);
        (v.len() >= nx * ny * k).then(|| v.chunks_exact(k).take(nx * ny).map(f).collect())
    }
}

/// Diverging map for P(class 1): class-0 colour at 0, white at 0.5, class-1 colour at 1 (muted).
pub(crate) fn prob_color(p: f64) -> Color {
    let p = if p.is_finite() { p.clamp(0.0, 1.0) } else { 0.5 };
    if p < 0.5 {
        mix(WHITE, series_color(0), (0.5 - p) * 2.0 * 0.55)
    } else {
        mix(WHITE, series_color(1), (p - 0.5) * 2.0 * 0.55)
    }
}

/// The colour of a cell where class `c` is predicted with `sure` in `[0, 1]` (0: all `k`
/// classes equally likely, 1: certain): white towards the class colour, muted as
/// [`prob_color`] is. `sure = (p_max − 1/k) / (1 − 1/k)`.
pub(crate) fn class_color(c: usize, sure: f64) -> Color {
    let sure = if sure.is_finite() { sure.clamp(0.0, 1.0) } else { 0.0 };
    mix(WHITE, series_color(c), sure * 0.55)
}

/// The predicted class of a cell (the first of equally likely ones) and how sure: see
/// [`class_color`].
fn predicted(p: &[f32]) -> (usize, f64) {
    let (mut best, mut top) = (0, f32::NEG_INFINITY);
    for (c, &v) in p.iter().enumerate() {
        if v > top {
            (best, top) = (c, v);
        }
    }
    let k = p.len().max(2) as f64;
    (best, (f64::from(top) - 1.0 / k) / (1.0 - 1.0 / k))
}

/// How much class `c` leads the others in one cell: `p_c − max_{j≠c} p_j` (zero on the
/// boundary of its region).
fn lead(p: &[f32], c: usize) -> f32 {
    let other =
        p.iter().enumerate().filter(|&(j, _)| j != c).map(|(_, &v)| v).fold(f32::NEG_INFINITY, f32::max);
    p[c] - other
}

/// Segments of the `level` iso-line of a cell-centred `nx × ny` grid `v` (row-major, row 0
/// at `y_range.0`), in data coordinates (marching squares).
fn contour(panel: &Panel, v: &[f32], level: f32) -> Vec<Vec<(f64, f64)>> {
    let (nx, ny, _) = panel.grid;
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

/// The lines a panel draws: the P(class 1) = 0.5 contour for two classes; for more, the
/// boundary of each class's region (`lead = 0`), each segment once.
fn boundaries(p: &Panel) -> Vec<Vec<(f64, f64)>> {
    if p.classes == 2 {
        return p.map(|q| q[1]).map_or_else(Vec::new, |v| contour(p, &v, 0.5));
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for c in 0..p.classes {
        let Some(v) = p.map(|q| lead(q, c)) else { return out };
        for seg in contour(p, &v, 0.0) {
            let mut key: Vec<(u64, u64)> = seg.iter().map(|q| (q.0.to_bits(), q.1.to_bits())).collect();
            key.sort_unstable();
            if seen.insert(key) {
                out.push(seg);
            }
        }
    }
    out
}

/// The panel's background image: P(class 1) on [`prob_color`] for two classes, else the
/// predicted class in [`class_color`].
fn surface(p: &Panel) -> Option<Raster> {
    let (nx, ny, _) = p.grid;
    if nx == 0 || ny == 0 {
        return None;
    }
    let colors: Vec<Color> = if p.classes == 2 {
        p.map(|q| q[1])?.into_iter().map(|v| prob_color(f64::from(v))).collect()
    } else {
        let (_, _, ref v) = p.grid;
        let k = p.classes.max(1);
        if v.len() < nx * ny * k {
            return None;
        }
        v.chunks_exact(k).take(nx * ny).map(predicted).map(|(c, sure)| class_color(c, sure)).collect()
    };
    let mut img = Raster::new(nx as u32, ny as u32, WHITE);
    for j in 0..ny {
        for i in 0..nx {
            img.set(i as u32, (ny - 1 - j) as u32, colors[j * nx + i]);
        }
    }
    Some(img)
}

/// Decision-surface panels in a grid of up to 3 per row: for two classes, background shaded
/// by P(class 1) (see [`prob_color`]), the P = 0.5 contour, and a probability colour bar in
/// the legend; for more, each region in its predicted class's colour ([`class_color`]) and
/// the boundaries between regions. Points overlaid, x1/x2 axis labels, one legend below.
pub(crate) fn decision_panels(title: &str, panels: &[Panel]) -> Scene {
    decision_panels_opts(title, panels, true)
}

/// [`decision_panels`] with the 0.5 contour optional.
pub(crate) fn decision_panels_opts(title: &str, panels: &[Panel], contour_line: bool) -> Scene {
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
            if let Some(img) = surface(p) {
                let corners = [(p.x_range.0, p.y_range.1), (p.x_range.1, p.y_range.0)];
                c.plotting_area().draw(&Picture { corners, image: img, smooth: true })?;
            }
            draw_points(&c, &p.points, 4)?;
            if contour_line {
                for seg in boundaries(p) {
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
        let two = panels.iter().all(|p| p.classes == 2);
        let shown = classes(&panels.iter().flat_map(|p| p.points.clone()).collect::<Vec<_>>());
        let mut items: Vec<(Swatch, String)> = shown
            .into_iter()
            .map(|k| match two {
                true => (Swatch::Class(k), format!("class {k}")),
                false => (Swatch::Region(k, class_color(k as usize, 1.0)), format!("class {k}")),
            })
            .collect();
        if contour_line {
            let line = if two { "P(class 1) = 0.5" } else { "boundary between predicted classes" };
            items.push((Swatch::Line(RGBColor(30, 30, 30)), line.into()));
        }
        if !two {
            return legend_row(&strip, &items, w as i32 / 2, 22);
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
