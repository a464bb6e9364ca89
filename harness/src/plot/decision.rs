//! Decision maps: each panel a network's P(class 1) over the input plane, the data on top,
//! the P = 0.5 contour and one legend with a colour bar.

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
    /// `(nx, ny, p)`: P(class 1) on an `nx × ny` grid of **cell centres**, row-major with
    /// row 0 at `y_min`: `p[j*nx + i]` is at `x = x_min + (i+0.5)·Δx/nx`, `y = y_min + (j+0.5)·Δy/ny`.
    pub grid: (usize, usize, Vec<f32>),
    /// Points overlaid as `(x, y, class)`.
    pub points: Vec<(f64, f64, u8)>,
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
