//! Figure 6: every dense layer's weights of the median runs over training,
//! as a GIF animation (and MP4) and a montage for print.

use super::skipped::{SkipReason, Skipped, grouped};
use super::{Drawing, Figure, label, mp4, save};
use crate::config::StudyConfig;
use crate::error::{Error, Result};
use crate::folder::Folder;
use crate::layout;
use crate::plot::{self, HeatMap, Scene};
use crate::results;
use crate::study::{self, RunResult, Snapshot};

/// Figure 6's figures: the montages', then the animations'; and the MP4s
/// not written, one entry per reason.
type WeightFigures = (Vec<Figure>, Vec<Figure>, Vec<Skipped>);

/// Figure 6 of each of the `medians` runs, from its `frames.bin` under
/// `out`: writes the animations and the montages (one per initializer,
/// rendered in parallel), and returns the montages' figures, then the
/// animations', then the MP4s that could not be made.
pub(super) fn weight_figures(
    folder: &Folder,
    config: &StudyConfig,
    medians: &[&RunResult],
    drawing: Drawing,
) -> Result<WeightFigures> {
    let out = folder.dir();
    let frames: Vec<Vec<(usize, Snapshot)>> = medians
        .iter()
        .map(|r| {
            let path = layout::run_dir(out, &r.init.name(), r.seed).join(layout::FRAMES);
            let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
            results::read_frames(&bytes).map_err(|e| Error::results(&path, e))
        })
        .collect::<Result<_>>()?;
    let layers = config.shape.layers();
    let largest = |f: &[(usize, Snapshot)], l: usize| {
        f.iter().flat_map(|(_, w)| w[l].iter()).fold(0.0f32, |m, v| m.max(v.abs())).max(1e-6)
    };
    let scales: Vec<Vec<f32>> = if drawing.shared_scale {
        let shared: Vec<f32> =
            (0..layers).map(|l| frames.iter().map(|f| largest(f, l)).fold(1e-6, f32::max)).collect();
        vec![shared; frames.len()]
    } else {
        frames.iter().map(|f| (0..layers).map(|l| largest(f, l)).collect()).collect()
    };
    let scale_words = if drawing.shared_scale {
        "one blue–white–red scale per layer, shared by every initializer (--shared-scale)"
    } else {
        "one blue–white–red scale per layer and initializer (--shared-scale shares them across initializers)"
    };
    let stems: Vec<String> = medians.iter().map(|r| layout::weight_animation(&r.init.name())).collect();
    let jobs: Vec<_> = medians.iter().zip(&stems).zip(frames.iter().zip(&scales)).collect();
    // One thread per animation (at most three: one per initializer), whatever
    // the report's threads: they are few and equal, and the OS balances them.
    let made: Vec<(String, Option<SkipReason>)> =
        study::parallel_map(&jobs, jobs.len(), |&((r, stem), (f, sc))| {
            let (montage, mp4) = weight_animation(folder, stem, config, r, f, sc)?;
            Ok((save(folder, &layout::weight_montage(&r.init.name()), &montage)?, mp4.err()))
        })
        .into_iter()
        .collect::<Result<Vec<_>>>()?;
    let skipped = grouped(
        stems.iter().zip(&made).filter_map(|(s, m)| Some((format!("{s}.mp4"), m.1.clone()?))).collect(),
    );
    let montages = made.into_iter().map(|m| m.0);
    let (mut montage_figures, mut animations) = (Vec::new(), Vec::new());
    for ((r, stem), montage) in medians.iter().zip(stems).zip(montages) {
        animations.push(Figure {
            stem,
            caption: format!(
                "Figure 6 ({}). Every dense layer's weight matrix (rows = inputs, columns = outputs) as a heat map over training, for the median run (seed {}): every epoch up to 25, then thinned; {scale_words}. Look for which layers change, and how early.",
                label(&r.init),
                r.seed
            ),
            svg: None,
        });
        montage_figures.push(Figure {
            stem: format!("fig6_montage_{}", r.init.name()),
            caption: format!(
                "Figure 6 ({}, for print). The same weights at a few epochs side by side; {scale_words}.",
                label(&r.init)
            ),
            svg: Some(montage),
        });
    }
    Ok((montage_figures, animations, skipped))
}

/// Epochs of figure 6's montage: those of 0, 5, 25, 100 and the last that
/// are frames.
fn montage_epochs(epochs: usize) -> Vec<usize> {
    let mut e: Vec<usize> = [0, 5, 25, 100].into_iter().filter(|&e| e < epochs).collect();
    e.push(epochs);
    e
}

/// Figure 6 of run `r` from its `frames` (its weights at every
/// [`study::is_frame`] epoch), with a colour scale per layer: writes the
/// animation (GIF, and MP4 when `ffmpeg` can make it) and returns the
/// montage, and why the MP4 was not written if it was not.
fn weight_animation(
    folder: &Folder,
    stem: &str,
    config: &StudyConfig,
    r: &RunResult,
    snaps: &[(usize, Snapshot)],
    scales: &[f32],
) -> Result<(Scene, std::result::Result<(), SkipReason>)> {
    let shapes: Vec<(usize, usize)> = config.shape.layer_shapes().collect();
    // Titles, shapes and scales are fixed: the static parts are drawn once, and each
    // frame repaints the cells and the caption (pixel-identical to `plot::heatmap_frame`);
    // the GIF stores each frame as its difference to the previous one.
    let maps: Vec<HeatMap> = shapes
        .iter()
        .zip(scales)
        .enumerate()
        .map(|(l, (&(i, o), &scale))| HeatMap {
            title: format!("layer {} ({i}×{o})", l + 1),
            rows: i,
            cols: o,
            values: Vec::new(),
            scale,
        })
        .collect();
    let wanted = montage_epochs(snaps.last().map_or(0, |s| s.0));
    let columns: Vec<(String, Vec<Vec<f32>>)> = snaps
        .iter()
        .filter(|(e, _)| wanted.contains(e))
        .map(|(e, w)| (format!("epoch {e}"), w.clone()))
        .collect();
    let montage =
        plot::heatmap_montage(&format!("Weights of the median run, {}", label(&r.init)), &maps, &columns);
    let mut anim = plot::HeatmapAnimator::new(&maps);
    let (w, h) = anim.size();
    let gif_path = folder.dir().join(format!("{stem}.gif"));
    let io = |e| Error::io(&gif_path, e);
    let mut gif = plot::GifWriter::new(Vec::new(), w, h).map_err(io)?;
    let mut deltas = plot::GifFrames::new(w, h, 80).map_err(io)?;
    let regions = anim.regions();
    // `mp4` needs every frame, but only when it can run ffmpeg: skip the copies otherwise.
    let with_mp4 = mp4::available();
    let mut frames = Vec::new();
    for (k, (epoch, weights)) in snaps.iter().enumerate() {
        let caption = format!("{} seed {} — epoch {epoch}/{}", label(&r.init), r.seed, config.epochs);
        let (frame, indices) = anim.frame_indexed(weights, &caption);
        // A pause on the last frame, before the animation starts over.
        deltas.set_delay_ms(if k + 1 == snaps.len() { 2500 } else { 80 });
        gif.write(&deltas.delta(indices, &regions).map_err(io)?).map_err(io)?;
        if with_mp4 {
            frames.push(frame.clone());
        }
    }
    let bytes = gif.finish().map_err(io)?;
    folder.write(format!("{stem}.gif"), &bytes)?;
    let mp4 = mp4::encode(folder, stem, &frames);
    Ok((montage, mp4))
}
