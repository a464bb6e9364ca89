//! The study's figures, drawn with `plotters` in one bundled font.
//!
//! Each builder returns a [`Scene`]: a drawing function rendered on demand to SVG
//! ([`Scene::to_svg`]) or to an RGB [`Raster`] ([`Scene::to_raster`], then
//! [`Raster::to_png`]) with the same layout. Text is DejaVu Sans, bundled
//! (`harness/assets/`, license beside it) and rasterised by `ab_glyph`; SVGs name it
//! (`font-family="DejaVu Sans, sans-serif"`). No system font is read, so output is
//! byte-identical run to run and machine to machine.
//!
//! Builders: [`line_bands`], [`multi_line_bands`], [`box_points`], [`scatter_classes`],
//! [`decision_panels`], [`architecture`], [`heatmap_scene`] and [`heatmap_montage`]
//! ([`HeatmapAnimator`] and [`GifWriter`] for animations). Series colours come from
//! [`PALETTE`] (Okabe–Ito), then [`EXTRA_PALETTE`], via [`series_color`]; line charts dash
//! a series whose colour an earlier one already has ([`DASHES`]).

mod canvas;
mod charts;
mod heatmap;

pub(crate) use canvas::base64;
pub use canvas::{
    Area, Canvas, CanvasError, Color, Drawn, FAMILY, Picture, Raster, SVG_FAMILY, Scene, bold, font,
    text_width,
};
pub use charts::{
    BoxOpts, BoxStats, DASHES, EXTRA_PALETTE, GREY, Group, INK, LineOpts, LinePanel, MAX_NODES, PALETTE,
    Panel, SERIES_COLORS, ScatterOpts, Series, architecture, box_points, box_points_opts, box_stats,
    decision_panels, decision_panels_opts, line_bands, line_bands_opts, mix, multi_line_bands, percentile,
    prob_color, scatter_classes, scatter_classes_opts, series_color, wrap_text,
};
pub use heatmap::{
    GifWriter, HeatMap, HeatmapAnimator, diverging_color, gif_palette, heatmap_frame, heatmap_montage,
    heatmap_scene,
};

#[cfg(test)]
mod tests;
