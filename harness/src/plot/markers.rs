//! Class markers: a shape and a colour per class label, on a chart or in a legend.

use plotters::prelude::*;

use super::canvas::{Canvas, Drawn};
use super::frame::Chart;
use super::style::series_color;

/// Class `k`'s marker (circle, square, triangle, diamond, cycling) of half-size `r` at `at`.
pub(super) fn draw_marker<C: Clone + 'static>(
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

/// Every finite point `(x, y, class)` as its class's marker of half-size `r`.
pub(super) fn draw_points<Y: Ranged<ValueType = f64>>(
    c: &Chart<'_, '_, Y>,
    points: &[(f64, f64, u8)],
    r: i32,
) -> Drawn {
    let area = c.plotting_area();
    for &(x, y, k) in points.iter().filter(|p| p.0.is_finite() && p.1.is_finite()) {
        draw_marker(area, k, (x, y), r)?;
    }
    Ok(())
}

/// The class labels present, ascending.
pub(super) fn classes(points: &[(f64, f64, u8)]) -> Vec<u8> {
    let mut k: Vec<u8> = points.iter().map(|p| p.2).collect();
    k.sort_unstable();
    k.dedup();
    k
}

/// Class `c`'s legend label: `names[c]`, else `class c`.
pub(super) fn class_name(names: &[String], c: u8) -> String {
    names.get(c as usize).cloned().unwrap_or_else(|| format!("class {c}"))
}
