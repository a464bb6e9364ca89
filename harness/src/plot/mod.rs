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

mod architecture;
mod boxes;
mod canvas;
mod decision;
mod frame;
mod heatmap;
mod legend;
mod line;
mod markers;
mod scatter;
mod style;

pub use architecture::{MAX_NODES, architecture, wrap_text};
pub use boxes::{BoxOpts, BoxStats, Group, box_points, box_points_opts, box_stats};
pub(crate) use canvas::base64;
pub use canvas::{
    Area, Canvas, CanvasError, Color, Drawn, FAMILY, Picture, Raster, SVG_FAMILY, Scene, bold, font,
    text_width,
};
pub use decision::{Panel, decision_panels, decision_panels_opts, prob_color};
pub use heatmap::{
    GifWriter, HeatMap, HeatmapAnimator, diverging_color, gif_palette, heatmap_frame, heatmap_montage,
    heatmap_scene,
};
pub use line::{LineOpts, LinePanel, Series, line_bands, line_bands_opts, multi_line_bands};
pub use scatter::{ScatterOpts, scatter_classes, scatter_classes_opts};
pub use style::{DASHES, EXTRA_PALETTE, GREY, INK, PALETTE, SERIES_COLORS, mix, series_color};

#[cfg(test)]
mod tests;
