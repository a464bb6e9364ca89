//! Dependency-light figure rendering for the study's report.
//!
//! One drawing layer, two backends: figure builders record drawing commands ([`Cmd`]) into a
//! [`Scene`], which renders to an SVG string ([`Scene::to_svg`]) or to an anti-aliased RGB
//! [`Raster`] ([`Scene::to_raster`], then [`Raster::to_png`]) with identical layout. Text uses a
//! bundled 5×7 bitmap font (integer scales), so rasters need no system fonts. Output is
//! deterministic: identical input gives byte-identical SVG, PNG and GIF.
//!
//! Builders: [`line_bands`], [`multi_line_bands`], [`box_points`], [`scatter_classes`],
//! [`decision_panels`], [`architecture`], [`heatmap_frame`] (+ [`GifWriter`] for animations).
//! Colours for series come from [`PALETTE`] (Okabe–Ito) via [`series_color`].

mod arch;
mod axes;
mod charts;
mod font;
mod heatmap;
mod raster;
mod scene;

pub use arch::{MAX_NODES, architecture, wrap_text};
pub use axes::{format_log_tick, format_tick, log_ticks, nice_step, nice_ticks};
pub use charts::{
    BoxStats, Group, LineOpts, LinePanel, Panel, ScatterOpts, Series, box_points, box_points_opts, box_stats,
    decision_panels, decision_panels_opts, line_bands, line_bands_opts, multi_line_bands, percentile,
    prob_color, scatter_classes, scatter_classes_opts,
};
pub use heatmap::{
    GifWriter, HeatMap, HeatmapAnimator, diverging_color, gif_palette, heatmap_frame, heatmap_scene,
};
pub use raster::Raster;
pub use scene::{Anchor, Cmd, Color, Marker, PALETTE, Scene, Stroke, TextStyle, series_color, text_width};

#[cfg(test)]
mod tests;
