//! The network schematic: a column of nodes per layer, edges, headers and labels.

use plotters::prelude::*;
use plotters_backend::text_anchor::{HPos, Pos, VPos};

use super::canvas::{Scene, bold, font, text_width};
use super::frame::titled;
use super::style::{INK, PALETTE, mix};

/// Most nodes drawn per layer; wider layers show the first 4, a "⋮" marker and the last 3.
pub(crate) const MAX_NODES: usize = 8;

/// Vertical slots of a layer: `Some(node)` or `None` for the ellipsis.
fn slots(size: usize) -> Vec<Option<usize>> {
    if size <= MAX_NODES {
        (0..size).map(Some).collect()
    } else {
        (0..4).map(Some).chain([None]).chain((size - 3..size).map(Some)).collect()
    }
}

/// Greedy word wrap of `text` into lines at most `max_w` px wide at size `size`.
pub(crate) fn wrap_text(text: &str, max_w: f64, size: f64) -> Vec<String> {
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
pub(crate) fn architecture(title: &str, layer_sizes: &[usize], layer_labels: &[String]) -> Scene {
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
