//! Legends drawn by hand (not by `plotters`), so that their boxes are known before they are
//! drawn: entries in rows across a strip, or one under another in a box in a corner of a
//! plot; each entry a swatch and a label.

use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::Color as _;
use plotters_backend::text_anchor::{HPos, Pos, VPos};

use super::canvas::{Area, Color, Drawn, font, text_width};
use super::markers::draw_marker;
use super::placement::Rect;
use super::style::INK;

/// What a legend entry shows.
#[derive(Clone, Copy)]
pub(super) enum Swatch {
    /// Mean line over its band, the line solid or dashed `(dash, gap)`.
    Band(Color, (u32, u32)),
    /// A line.
    Line(Color),
    /// The marker of class `k`.
    Class(u8),
    /// The marker of class `k` on the colour of its region.
    Region(u8, Color),
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
pub(super) fn legend_block(
    area: &Area<'_>,
    items: &[(Swatch, String)],
    cx: i32,
    cy: i32,
    max_w: i32,
) -> Drawn {
    let labels: Vec<&str> = items.iter().map(|(_, l)| l.as_str()).collect();
    for (r, row) in legend_rows(&labels, max_w).iter().enumerate() {
        let entries: Vec<(Swatch, String)> = row.iter().map(|&i| items[i].clone()).collect();
        legend_row(area, &entries, cx, cy + r as i32 * LEGEND_ROW_PITCH)?;
    }
    Ok(())
}

/// One row of legend entries centred on `(cx, cy)` (pixels of `area`).
pub(super) fn legend_row(area: &Area<'_>, items: &[(Swatch, String)], cx: i32, cy: i32) -> Drawn {
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
            Swatch::Region(k, c) => {
                area.draw(&Rectangle::new([(x, cy - 7), (x + 22, cy + 7)], c.filled()))?;
                draw_marker(area, k, (x + 11, cy), 5)?;
            }
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

/// Distance between the centres of two entries of a [`legend_box`].
const BOX_ROW_PITCH: i32 = 18;
/// Space inside a [`legend_box`] around its entries.
const BOX_PAD: i32 = 8;

/// Width and height in pixels of the [`legend_box`] of `items`.
pub(super) fn legend_box_size(items: &[(Swatch, String)]) -> (i32, i32) {
    let widest = items.iter().map(|(_, l)| legend_entry_width(l)).max().unwrap_or(0);
    (widest + 2 * BOX_PAD, items.len() as i32 * BOX_ROW_PITCH + 2 * BOX_PAD - 4)
}

/// The legend as a box at `rect` (pixels of `area`, sized by [`legend_box_size`]): a light
/// background, a grey border, and the entries one under another.
pub(super) fn legend_box(area: &Area<'_>, items: &[(Swatch, String)], rect: Rect) -> Drawn {
    area.draw(&Rectangle::new([(rect.x0, rect.y0), (rect.x1, rect.y1)], WHITE.mix(0.9).filled()))?;
    area.draw(&Rectangle::new([(rect.x0, rect.y0), (rect.x1, rect.y1)], RGBColor(190, 190, 190)))?;
    for (k, item) in items.iter().enumerate() {
        let cy = rect.y0 + BOX_PAD - 2 + BOX_ROW_PITCH / 2 + k as i32 * BOX_ROW_PITCH;
        let w = legend_entry_width(&item.1);
        legend_row(area, std::slice::from_ref(item), rect.x0 + BOX_PAD + w / 2, cy)?;
    }
    Ok(())
}

/// The boxes of a strip's legend rows drawn by [`legend_block`] with the same arguments, in
/// pixels of its area.
pub(super) fn legend_block_boxes(items: &[(Swatch, String)], cx: i32, cy: i32, max_w: i32) -> Vec<Rect> {
    let labels: Vec<&str> = items.iter().map(|(_, l)| l.as_str()).collect();
    legend_rows(&labels, max_w)
        .iter()
        .enumerate()
        .map(|(r, row)| {
            let total = row.iter().map(|&i| legend_entry_width(labels[i])).sum::<i32>()
                + LEGEND_GAP * (row.len() as i32 - 1).max(0);
            Rect::at(cx - total / 2, cy + r as i32 * LEGEND_ROW_PITCH - 8, total, 16)
        })
        .collect()
}
