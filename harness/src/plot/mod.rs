//! The study's figures, drawn with `plotters` in one bundled font.
//!
//! Each builder returns a `Scene`: a drawing function rendered on demand to SVG
//! (`Scene::to_svg`) or to an RGB `Raster` (`Scene::to_raster`, then
//! `Raster::to_png`) with the same layout. Text is DejaVu Sans, bundled
//! (`harness/assets/`, license beside it) and rasterised by `ab_glyph`; SVGs name it
//! (`font-family="DejaVu Sans, sans-serif"`). No system font is read, so output is
//! byte-identical run to run and machine to machine.
//!
//! Builders: `line_bands`, `multi_line_bands`, `box_points_opts`, `scatter_classes`,
//! `decision_panels`, `architecture`, `heatmap_scene` and `heatmap_montage`
//! (`HeatmapAnimator`, `GifFrames` and `GifWriter` for animations; `lzw` codes GIF frames
//! byte for byte as the `gif` crate does, several times faster). Series colours come from
//! `PALETTE` (Okabe–Ito), then `EXTRA_PALETTE`, via `series_color`; line charts dash
//! a series whose colour an earlier one already has (`DASHES`).
//!
//! No label or legend covers data (`placement`): reference labels stand in the right margin,
//! legends in a corner no curve or point comes near, else beside the plot; a figure records
//! where it drew both (`Scene::geometry`, for the tests).
//!
//! Everything here is the crate's own (`pub(crate)`): the study's report and the claims draw
//! with it.

mod architecture;
mod boxes;
mod canvas;
mod decision;
mod frame;
mod heatmap;
mod legend;
mod line;
mod lzw;
mod markers;
mod placement;
mod scatter;
mod style;

pub(crate) use architecture::architecture;
pub(crate) use boxes::{BoxOpts, Group, box_points_opts};
pub(crate) use canvas::{Color, Raster, Scene, base64};
#[cfg(test)]
pub(crate) use canvas::{missing_glyphs, svg_texts};
pub(crate) use decision::{Panel, decision_panels};
pub(crate) use heatmap::{GifFrame, GifFrames, GifWriter, HeatMap, HeatmapAnimator, Region, heatmap_montage};
pub(crate) use line::{LineOpts, LinePanel, Series, line_bands, line_bands_opts, multi_line_bands};
pub(crate) use scatter::scatter_classes;
pub(crate) use style::series_color;

#[cfg(test)]
mod tests;
