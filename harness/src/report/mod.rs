//! The study's report, drawn from its folder alone: figures 1–9 (SVG and
//! PNG, GIF and MP4 for the weight evolution), `summary.json`, `summary.md`,
//! `figures.json` and the self-contained `report.html`.

mod animation;
mod figures;
mod mp4;
mod page;
mod skipped;
#[cfg(test)]
mod tests;

pub use skipped::{SkipReason, Skipped};

use crate::config::StudyConfig;
use crate::error::{Error, Result};
use crate::folder::Folder;
use crate::inits::InitSpec;
use crate::layout;
use crate::plot::Scene;
use crate::study::{self, RunResult, Splits};
use crate::summary::Summary;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The y axis of figure 3b (training loss).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LossScale {
    /// Logarithmic: the late, slow decline stays visible.
    #[default]
    Log,
    /// Linear: the early drop at its true size.
    Linear,
}

/// What the figures show beyond the files: the choices `figures.json`
/// records, so that `report --from` draws the same figures unless told
/// otherwise ([`recorded_drawing`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Drawing {
    /// Figure 6: one colour scale per layer shared by every initializer
    /// (else one per layer and initializer).
    pub shared_scale: bool,
    /// Figure 3b's y axis.
    pub loss_scale: LossScale,
}

/// How the report draws what the files hold.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReportOptions {
    /// The drawing choices (recorded in `figures.json`).
    pub drawing: Drawing,
    /// Threads that render figures (the files do not depend on it).
    pub threads: usize,
}

/// `figures.json`: a [`Drawing`] with its layout's version.
#[derive(Debug, Serialize, Deserialize)]
struct FiguresFile {
    /// Version of this file's layout.
    schema_version: u32,
    /// The choices.
    #[serde(flatten)]
    drawing: Drawing,
}

/// The [`Drawing`] recorded in `dir`'s `figures.json`, or `None` without one
/// (a folder written before it existed: the defaults apply).
///
/// Errors: [`Error::Results`] when the file exists but cannot be read or
/// parsed.
pub fn recorded_drawing(dir: &Path) -> Result<Option<Drawing>> {
    let path = dir.join(layout::FIGURES_JSON);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(&path, e)),
    };
    let f: FiguresFile = serde_json::from_slice(&bytes).map_err(|e| {
        Error::results(&path, format!(
            "{e}; delete it to draw with the defaults, or choose every drawing option (the colour scale and the loss scale)"
        ))
    })?;
    if f.schema_version != 1 {
        return Err(Error::results(&path, format!("schema_version {} is not 1", f.schema_version)));
    }
    Ok(Some(f.drawing))
}

/// `figures.json`'s text for `drawing` (a shard records it too, so that `harness merge` draws
/// as its shards were asked to).
pub fn figures_json(drawing: Drawing) -> String {
    let recorded = FiguresFile { schema_version: 1, drawing };
    serde_json::to_string_pretty(&recorded).expect("plain fields serialize") + "\n"
}

/// A written figure, for the report.
struct Figure {
    /// File stem under the output directory.
    stem: String,
    /// Caption.
    caption: String,
    /// Inline SVG, or `None` for an animation.
    svg: Option<String>,
}

/// Writes `stem.svg` and `stem.png`; returns the SVG to inline in the
/// report (it defines no ids, so figures cannot collide).
fn save(folder: &Folder, stem: &str, scene: &Scene) -> Result<String> {
    let svg = scene.to_svg();
    folder.write(format!("{stem}.svg"), svg.as_bytes())?;
    folder.write(format!("{stem}.png"), &scene.to_raster().to_png())?;
    Ok(svg)
}

/// What [`write_all`] wrote: the report's path, and what it left out and why.
pub(crate) struct Written {
    /// `report.html`.
    pub report: PathBuf,
    /// Figures and files not written, in figure order.
    pub skipped: Vec<Skipped>,
}

/// Writes every figure, `figures.json` and `report.html`; returns the
/// report's path and what was left out. Figure 6 reads the median runs'
/// `frames.bin` from the folder, once `frames_ready` has returned.
pub(crate) fn write_all(
    folder: &Folder,
    config: &StudyConfig,
    splits: &Splits,
    runs: &[RunResult],
    summary: &Summary,
    options: &ReportOptions,
    frames_ready: &mut dyn FnMut() -> Result<()>,
) -> Result<Written> {
    let out = folder.dir();
    let medians: Vec<&RunResult> = config.inits.iter().filter_map(|i| study::median_run(runs, i)).collect();
    // Figures 1–5 and 7–9 are described, then rendered together on
    // `options.threads` threads while a study still makes figure 6's frames.
    let inputs =
        figures::Inputs { out, config, splits, runs, summary, drawing: options.drawing, medians: &medians };
    let (pending, mut skipped) = figures::describe(&inputs)?;
    let rendered = study::parallel_map(&pending, options.threads, |f| save(folder, &f.stem, &f.scene));
    let mut figs = pending
        .into_iter()
        .zip(rendered)
        .map(|(f, svg)| Ok(Figure { stem: f.stem, caption: f.caption, svg: Some(svg?) }))
        .collect::<Result<Vec<Figure>>>()?;

    // Figure 6: weight evolution of the median run, from its frames.bin; one
    // animation and one montage per init.
    frames_ready()?;
    let (montages, animations, mp4) =
        animation::weight_figures(folder, config, &medians, options.drawing, options.threads)?;
    figs.extend(montages);
    figs.extend(animations);
    skipped.extend(mp4);
    // Figure order (1, 2, 3, 3b, 4, 5, 6, 7, 8, 9); a stable sort keeps figure 6's
    // animations in the study's initializer order.
    figs.sort_by(|a, b| a.stem.split('_').next().cmp(&b.stem.split('_').next()));

    folder.write(layout::FIGURES_JSON, figures_json(options.drawing).as_bytes())?;
    folder
        .write(layout::REPORT_HTML, page::page(out, config, splits, summary, &figs, &skipped)?.as_bytes())?;
    Ok(Written { report: out.join(layout::REPORT_HTML), skipped })
}

/// `words` if the hidden layers are normalized, else nothing.
fn norm_words(shape: &saorsa_nn::Shape, words: &'static str) -> &'static str {
    if shape.normalization() == saorsa_nn::Normalization::None { "" } else { words }
}

/// `2→64→64→64→2`.
fn arrows(shape: &saorsa_nn::Shape) -> String {
    shape.widths().iter().map(usize::to_string).collect::<Vec<_>>().join("→")
}

/// An initializer's name in figures and the report.
fn label(init: &InitSpec) -> String {
    init.display_name()
}
