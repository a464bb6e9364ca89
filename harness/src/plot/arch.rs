//! Schematic of a dense (fully connected) network.

use super::axes::{SMALL, SMALL_H, draw_title, title_block};
use super::scene::{Anchor, Color, PALETTE, Scene, Stroke, TextStyle, text_width};

/// Most nodes drawn per layer; wider layers show the first 4, a "⋮" marker and the last 3.
pub const MAX_NODES: usize = 8;

/// Greedy word wrap of `text` into lines at most `max_w` pixels wide at scale `size`.
pub fn wrap_text(text: &str, max_w: f64, size: u32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(l) if text_width(&format!("{l} {word}"), size) <= max_w => {
                l.push(' ');
                l.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// Vertical slots of a layer: `Some(node index)` or `None` for the ellipsis marker.
fn slots(size: usize) -> Vec<Option<usize>> {
    if size <= MAX_NODES {
        (0..size).map(Some).collect()
    } else {
        let mut v: Vec<Option<usize>> = (0..4).map(Some).collect();
        v.push(None);
        v.extend((size - 3..size).map(Some));
        v
    }
}

/// Dense-network schematic: one column of nodes per layer (at most [`MAX_NODES`] drawn,
/// with a "⋮" marker for wider layers), edges between displayed nodes, and a header with
/// each layer's size.
///
/// `layer_labels` is interpreted by length: `layer_sizes.len() - 1` labels describe the
/// connections and are written between the columns (e.g. `"Dense 2→64 + ReLU"`);
/// `layer_sizes.len()` labels replace the column headers; anything else is ignored.
pub fn architecture(title: &str, layer_sizes: &[usize], layer_labels: &[String]) -> Scene {
    let n = layer_sizes.len();
    let between = n >= 2 && layer_labels.len() == n - 1;
    let headers: Vec<String> = if layer_labels.len() == n && !between {
        layer_labels.to_vec()
    } else {
        layer_sizes
            .iter()
            .enumerate()
            .map(|(i, &k)| match i {
                0 if n > 1 => format!("input ({k})"),
                _ if i == n - 1 && n > 1 => format!("output ({k})"),
                _ => format!("hidden ({k})"),
            })
            .collect()
    };
    let widest_label =
        if between { layer_labels.iter().map(|l| text_width(l, SMALL)).fold(0.0, f64::max) } else { 0.0 };
    let widest_header = headers.iter().map(|h| text_width(h, SMALL)).fold(0.0, f64::max);
    let gap = (widest_label + 36.0).clamp(widest_header + 40.0, 320.0).max(200.0);
    let label_lines: Vec<Vec<String>> = if between {
        layer_labels.iter().map(|l| wrap_text(l, gap - 20.0, SMALL)).collect()
    } else {
        Vec::new()
    };
    let max_lines = label_lines.iter().map(|l| l.len()).max().unwrap_or(0);
    let margin = (widest_header / 2.0 + 40.0).max(80.0);
    let w = (2.0 * margin + gap * (n.max(1) - 1) as f64).max(520.0);
    let pitch = 40.0;
    let r = 11.0;
    let col_h = MAX_NODES as f64 * pitch;
    let title_h = title_block(title, w);
    let h = title_h + 40.0 + col_h + 16.0 + max_lines as f64 * (SMALL_H + 8.0) + 20.0;
    let mut s = Scene::new(w.round() as u32, h.round() as u32);
    let top = draw_title(&mut s, title);
    let x_start = (w - gap * (n.max(1) - 1) as f64) / 2.0;
    let col_top = top + 40.0;
    let mid = col_top + col_h / 2.0;
    let pos: Vec<Vec<(f64, Option<usize>)>> = layer_sizes
        .iter()
        .map(|&k| {
            let sl = slots(k);
            let y0 = mid - (sl.len() as f64 - 1.0) * pitch / 2.0;
            sl.into_iter().enumerate().map(|(i, o)| (y0 + i as f64 * pitch, o)).collect()
        })
        .collect();
    let cx = |i: usize| x_start + i as f64 * gap;
    // Edges first (behind nodes).
    let edge = Stroke::new(Color::rgb(120, 120, 120).with_alpha(0.45), 1.0);
    for l in 0..n.saturating_sub(1) {
        let mut paths = Vec::new();
        for &(ya, a) in &pos[l] {
            for &(yb, b) in &pos[l + 1] {
                if a.is_some() && b.is_some() {
                    paths.push(vec![(cx(l) + r, ya), (cx(l + 1) - r, yb)]);
                }
            }
        }
        for p in paths {
            s.polyline(p, edge);
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
        let fill = Color::WHITE.mix(base, 0.35);
        let outline = Stroke::new(base.mix(Color::BLACK, 0.2), 2.0);
        for &(y, o) in col {
            match o {
                Some(_) => s.circle(cx(l), y, r, Some(fill), Some(outline)),
                None => {
                    for d in [-11.0, 0.0, 11.0] {
                        s.circle(cx(l), y + d, 2.6, Some(Color::rgb(90, 90, 90)), None);
                    }
                }
            }
        }
        let st = TextStyle::new(SMALL).bold().anchor(Anchor::Middle);
        s.text(
            cx(l),
            col_top - 8.0 - SMALL_H / 2.0 + pos[l].first().map_or(0.0, |p| p.0 - col_top - r).min(0.0),
            &headers[l],
            st,
        );
    }
    let ly = col_top + col_h + 10.0;
    for (l, lines) in label_lines.iter().enumerate() {
        let x = (cx(l) + cx(l + 1)) / 2.0;
        for (i, line) in lines.iter().enumerate() {
            let st = TextStyle::new(SMALL).anchor(Anchor::Middle).color(Color::rgb(60, 60, 60));
            s.text(x, ly + SMALL_H / 2.0 + i as f64 * (SMALL_H + 8.0), line, st);
        }
    }
    s
}
