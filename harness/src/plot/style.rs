//! The figures' colours: the series palette, ink and grid greys, blending and the dash
//! patterns that tell apart series of one colour.

use plotters::prelude::RGBColor;

use super::canvas::Color;

/// Okabe–Ito colour-blind-safe palette, ordered for series on a white background.
pub(crate) const PALETTE: [Color; 8] = [
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0xCC, 0x79, 0xA7),
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0x00, 0x00, 0x00),
    RGBColor(0xF0, 0xE4, 0x42),
];
/// Four further colours after [`PALETTE`] (Paul Tol's wine, indigo and olive, and a brown),
/// distinct from it and from each other: series 9–12 get these.
pub(crate) const EXTRA_PALETTE: [Color; 4] = [
    RGBColor(0x88, 0x22, 0x55),
    RGBColor(0x33, 0x22, 0x88),
    RGBColor(0x99, 0x99, 0x33),
    RGBColor(0x8C, 0x51, 0x0A),
];
/// Number of distinct series colours ([`PALETTE`] then [`EXTRA_PALETTE`]).
pub(crate) const SERIES_COLORS: usize = PALETTE.len() + EXTRA_PALETTE.len();
/// Text and axes.
pub(crate) const INK: Color = RGBColor(34, 34, 34);
/// Secondary text.
pub(crate) const GREY: Color = RGBColor(105, 105, 105);
/// Gridlines.
pub(super) const GRID: Color = RGBColor(232, 232, 232);

/// Colour of series `i`: [`PALETTE`], then [`EXTRA_PALETTE`], cycling after
/// [`SERIES_COLORS`]. Line charts draw a series whose colour an earlier series of the same
/// chart already has with a dash pattern ([`DASHES`]), so cycled series stay apart.
pub(crate) fn series_color(i: usize) -> Color {
    let k = i % SERIES_COLORS;
    if k < PALETTE.len() { PALETTE[k] } else { EXTRA_PALETTE[k - PALETTE.len()] }
}

/// Dash patterns `(dash, gap)` in pixels for the 2nd, 3rd, … series of one colour in a chart
/// (the first is solid).
pub(crate) const DASHES: [(u32, u32); 3] = [(9, 5), (2, 4), (16, 4)];

/// `(dash, gap)` of the `occurrence`-th series (from 0) of one colour: solid (no gap) for
/// the first, then [`DASHES`] in turn.
pub(super) fn dash_of(occurrence: usize) -> (u32, u32) {
    match occurrence {
        0 => (1000, 0),
        n => DASHES[(n - 1) % DASHES.len()],
    }
}

/// For each series, how many earlier series share its colour.
pub(super) fn occurrences(colors: &[Color]) -> Vec<usize> {
    colors.iter().enumerate().map(|(i, c)| colors[..i].iter().filter(|d| *d == c).count()).collect()
}

/// `a` blended towards `b` by `t` in `[0, 1]`.
pub(crate) fn mix(a: Color, b: Color, t: f64) -> Color {
    let f = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * t.clamp(0.0, 1.0)).round() as u8;
    RGBColor(f(a.0, b.0), f(a.1, b.1), f(a.2, b.2))
}
