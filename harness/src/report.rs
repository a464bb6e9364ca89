//! Figures 1–7 (SVG and PNG, GIF and MP4 for the weight evolution) and the
//! self-contained HTML report.

use crate::error::{Error, Result};
use crate::inits::InitSpec;
use crate::layout;
use crate::output::{self, write_atomic};
use crate::plot::{self, Group, HeatMap, LineOpts, LinePanel, Panel, Scene, Series, base64};
use crate::results;
use crate::study::{self, RunResult, Snapshot, Splits, StudyConfig};
use crate::summary::Summary;
use saorsa_nn::Network;
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;
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

/// The file that records a folder's [`Drawing`].
pub const FIGURES_FILE: &str = layout::FIGURES_JSON;

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
    let path = dir.join(FIGURES_FILE);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(&path, e)),
    };
    let f: FiguresFile = serde_json::from_slice(&bytes).map_err(|e| {
        Error::results(&path, format!(
            "{e}; delete it to draw with the defaults, or give every drawing option (--shared-scale or --per-init-scale, and --loss-scale)"
        ))
    })?;
    if f.schema_version != 1 {
        return Err(Error::results(&path, format!("schema_version {} is not 1", f.schema_version)));
    }
    Ok(Some(f.drawing))
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
fn save(out: &Path, stem: &str, scene: &Scene) -> Result<String> {
    let svg = scene.to_svg();
    write_atomic(&out.join(format!("{stem}.svg")), svg.as_bytes())?;
    write_atomic(&out.join(format!("{stem}.png")), &scene.to_raster().to_png())?;
    Ok(svg)
}

fn label(init: &InitSpec) -> String {
    init.display_name()
}

fn runs_of<'r>(runs: &'r [RunResult], init: &InitSpec) -> Vec<&'r RunResult> {
    runs.iter().filter(|r| r.init == *init).collect()
}

/// Mean and standard deviation across runs of `f(run, epoch)` per epoch,
/// over the epochs every run completed.
fn band(runs: &[&RunResult], f: impl Fn(&RunResult, usize) -> f64) -> Series {
    let epochs = runs.iter().map(|r| r.epochs.len()).min().unwrap_or(0);
    let (mut x, mut mean, mut std) = (Vec::new(), Vec::new(), Vec::new());
    let mut members = vec![Vec::new(); runs.len()];
    for e in curve_epochs(epochs) {
        let v: Vec<f64> = runs.iter().map(|r| f(r, e)).collect();
        x.push((e + 1) as f64);
        mean.push(crate::stats::mean(&v));
        std.push(crate::stats::std_dev(&v));
        for (m, v) in members.iter_mut().zip(v) {
            m.push(v);
        }
    }
    Series { members, ..Series::new("", plot::series_color(0), x, mean, std) }
}

/// The epochs (from 0) a curve is drawn at: every one up to
/// [`MAX_CURVE_POINTS`], else every `⌈n / MAX_CURVE_POINTS⌉`-th and the last,
/// so that figures and the report do not grow with the number of epochs.
fn curve_epochs(n: usize) -> Vec<usize> {
    let step = n.div_ceil(MAX_CURVE_POINTS).max(1);
    let mut e: Vec<usize> = (0..n).step_by(step).collect();
    if n > 0 && e.last() != Some(&(n - 1)) {
        e.push(n - 1);
    }
    e
}

/// The most points a learning curve is drawn with.
pub const MAX_CURVE_POINTS: usize = 1000;

/// The stems of the figures drawn once per study (as SVG and PNG); figure 6
/// adds `fig6_weight_evolution_<init>` and `fig6_montage_<init>` per
/// initializer. Figures 1 and 5 are drawn only for two-feature data.
pub const FIGURE_STEMS: [&str; 9] = layout::FIGURE_STEMS;

/// The most data points figures 1 and 5 draw: beyond it, a random
/// subsample (the first points of the split's seeded shuffle), said so in
/// the caption, so that figures and the report do not grow with the data.
pub const MAX_FIGURE_POINTS: usize = 5000;

/// Up to `max` points of the data, training and validation in proportion,
/// each the first of its set: the split shuffled them with the data seed,
/// so these are a seeded random subsample.
fn figure_points(splits: &Splits, max: usize) -> Vec<(f64, f64, u8)> {
    let total = splits.train.len() + splits.val.len();
    let (n_train, n_val) = if total <= max {
        (splits.train.len(), splits.val.len())
    } else {
        let t = (splits.train.len() as u128 * max as u128 / total.max(1) as u128) as usize;
        (t, max - t)
    };
    let of = |d: &'_ crate::dataset::Data, n: usize| {
        d.rows().zip(&d.y).take(n).map(|(p, &l)| (f64::from(p[0]), f64::from(p[1]), l)).collect::<Vec<_>>()
    };
    let mut points = of(&splits.train, n_train);
    points.extend(of(&splits.val, n_val));
    points
}

/// The caption's words for a subsample of `drawn` of `total` points.
fn subsample_words(drawn: usize, total: usize) -> String {
    if drawn < total {
        format!(
            " Drawn: a random {drawn} of the {total} points (seeded by the data seed), so that the figure's size does not grow with the data."
        )
    } else {
        String::new()
    }
}

fn curve_series(
    config: &StudyConfig,
    runs: &[RunResult],
    f: impl Fn(&RunResult, usize) -> f64 + Copy,
) -> Vec<Series> {
    config
        .inits
        .iter()
        .enumerate()
        .map(|(k, init)| Series {
            name: label(init),
            color: plot::series_color(k),
            ..band(&runs_of(runs, init), f)
        })
        .collect()
}

/// The across-seed standard deviation of `f` per epoch, per initializer.
fn sd_series(
    config: &StudyConfig,
    runs: &[RunResult],
    f: impl Fn(&RunResult, usize) -> f64 + Copy,
) -> Vec<Series> {
    curve_series(config, runs, f)
        .into_iter()
        .map(|s| {
            let n = s.x.len();
            Series::new(&s.name, s.color, s.x, s.std, vec![0.0; n])
        })
        .collect()
}

/// Probability of class 1 on an `nx × ny` grid over the data's range (two
/// features, two classes).
fn decision_panel(net: &Network<Vec<f32>>, title: String, splits: &Splits) -> Panel {
    let all = || splits.train.rows().chain(splits.val.rows());
    let range = |k: usize| {
        let lo = all().map(|p| f64::from(p[k])).fold(f64::INFINITY, f64::min);
        let hi = all().map(|p| f64::from(p[k])).fold(f64::NEG_INFINITY, f64::max);
        let pad = 0.08 * (hi - lo).max(1e-6);
        (lo - pad, hi + pad)
    };
    let (xr, yr) = (range(0), range(1));
    let (nx, ny) = (160usize, 110usize);
    let mut xs = Vec::with_capacity(2 * nx * ny);
    for j in 0..ny {
        for i in 0..nx {
            let x = xr.0 + (i as f64 + 0.5) * (xr.1 - xr.0) / nx as f64;
            let y = yr.0 + (j as f64 + 0.5) * (yr.1 - yr.0) / ny as f64;
            xs.extend([x as f32, y as f32]);
        }
    }
    let mut z = vec![0.0f32; 2 * nx * ny];
    let mut scratch = vec![0.0f32; net.shape().evaluation_scratch_len(nx * ny)];
    net.logits(&xs, &mut scratch, &mut z).expect("a two-input, two-class network");
    saorsa_nn::kernels::softmax_rows(&mut z, 2);
    let grid = z.chunks_exact(2).map(|p| p[1]).collect();
    // The first points of the seeded shuffle (the split's): a random subsample.
    let points = splits
        .val
        .rows()
        .zip(&splits.val.y)
        .take(MAX_FIGURE_POINTS)
        .map(|(p, &l)| (f64::from(p[0]), f64::from(p[1]), l))
        .collect();
    Panel { title, x_range: xr, y_range: yr, grid: (nx, ny, grid), points }
}

/// Reads a study's folder ([`results::load`]) and writes its summary
/// (`summary.json`, `summary.md`), every figure and `report.html` into it,
/// from the files alone. Returns the summary and the report's path.
pub fn from_dir(out: &Path, options: &ReportOptions) -> Result<(Summary, PathBuf)> {
    from_dir_waiting(out, options, &mut || Ok(()))
}

/// [`from_dir`], calling `frames_ready` before figure 6 reads the median
/// runs' `frames.bin`: a study draws its other figures while those frames
/// are still being made.
pub fn from_dir_waiting(
    out: &Path,
    options: &ReportOptions,
    frames_ready: &mut dyn FnMut() -> Result<()>,
) -> Result<(Summary, PathBuf)> {
    let loaded = results::load(out)?;
    let summary = crate::summary::summarize(
        &loaded.config.inits,
        &loaded.runs,
        &loaded.thresholds,
        loaded.splits.val.len(),
        loaded.splits.train.len(),
    );
    write_atomic(&out.join("summary.json"), summary.to_json().as_bytes())?;
    write_atomic(&out.join("summary.md"), summary.to_markdown().as_bytes())?;
    let path = write_all(out, &loaded.config, &loaded.splits, &loaded.runs, &summary, options, frames_ready)?;
    Ok((summary, path))
}

/// Writes every figure and `report.html`; returns the report's path.
/// Figure 6 reads the median runs' `frames.bin` from `out`, once
/// `frames_ready` has returned.
pub fn write_all(
    out: &Path,
    config: &StudyConfig,
    splits: &Splits,
    runs: &[RunResult],
    summary: &Summary,
    options: &ReportOptions,
    frames_ready: &mut dyn FnMut() -> Result<()>,
) -> Result<PathBuf> {
    // Figures are described here and rendered together at the end, on
    // `options.threads` threads.
    let mut pending: Vec<(String, String, Scene)> = Vec::new();
    let mut fig = |stem: &str, caption: String, scene: Scene| -> Result<()> {
        debug_assert!(
            FIGURE_STEMS.contains(&stem) || stem.starts_with("fig6_"),
            "{stem} not in FIGURE_STEMS"
        );
        pending.push((stem.into(), caption, scene));
        Ok(())
    };

    let shape = &config.shape;
    let plane = splits.train.features == 2;
    let two_classes = splits.train.classes == 2;
    let moons = matches!(
        &config.source,
        study::DataSource::Generated { spec: crate::synthetic::DatasetSpec::Moons { .. }, .. }
    ) && config.embedding.is_none();

    // Figure 1: the data (drawn for two features only).
    if plane {
        let points: Vec<(f64, f64, u8)> = figure_points(splits, MAX_FIGURE_POINTS);
        let total = splits.train.len() + splits.val.len();
        let title = if moons {
            "Two-moons data set, coloured by class".to_string()
        } else {
            format!("{}, coloured by class", data_name(config))
        };
        fig(
            "fig1_dataset",
            format!(
                "Figure 1. The data set ({} samples: {} for training, {} for validation), coloured by class.{}{}",
                total,
                splits.train.len(),
                splits.val.len(),
                if moons { " It is not linearly separable." } else { "" },
                subsample_words(points.len(), total)
            ),
            plot::scatter_classes(&title, &points),
        )?;
    }

    // Figure 2: the architecture.
    let sizes: Vec<usize> = shape.widths().to_vec();
    let labels: Vec<String> = shape
        .layer_shapes()
        .enumerate()
        .map(|(k, (i, o))| {
            if k + 1 < shape.layers() {
                format!("Dense {i}→{o} +{} ReLU", norm_words(shape, " LayerNorm +"))
            } else {
                format!("Dense {i}→{o} + softmax")
            }
        })
        .collect();
    fig(
        "fig2_architecture",
        format!(
            "Figure 2. The network: {}, {}ReLU after each hidden layer, softmax output with categorical cross-entropy; {} parameters.",
            arrows(shape),
            norm_words(shape, "LayerNorm (learnable gain and shift) then "),
            shape.parameter_count()
        ),
        plot::architecture("Network architecture (fixed across runs)", &sizes, &labels),
    )?;

    // Figures 3–3d: learning curves, fitted to the data, each seed a thin
    // line under the mean ± SD band, the ceiling dashed.
    let ceiling: Vec<(f64, String)> = summary
        .thresholds
        .ceiling
        .map(|c| vec![(c.accuracy, format!("ceiling (Bayes-optimal) {:.3}", c.accuracy))])
        .unwrap_or_default();
    let acc_opts = LineOpts { hlines: ceiling.clone(), ..LineOpts::default() };
    let acc = curve_series(config, runs, |r, e| f64::from(r.epochs[e].train_acc));
    fig(
        "fig3_train_accuracy",
        "Figure 3. Training accuracy per epoch (before that epoch's update): mean ± standard deviation across seeds per initializer, each seed a thin line, the data set's ceiling dashed when known. Look for how early each initializer leaves chance and whether its seeds move together.".into(),
        plot::line_bands_opts("Training accuracy (mean ± SD across seeds)", "epoch", "training accuracy", &acc, &acc_opts),
    )?;
    let loss = curve_series(config, runs, |r, e| f64::from(r.epochs[e].train_loss));
    let (log_y, scale_name) = match options.drawing.loss_scale {
        LossScale::Log => (true, "log scale"),
        LossScale::Linear => (false, "linear scale"),
    };
    fig(
        "fig3b_train_loss",
        format!(
            "Figure 3b. Training loss (categorical cross-entropy, {scale_name}; --loss-scale chooses) per epoch, mean ± standard deviation across seeds, per initializer."
        ),
        plot::line_bands_opts(
            "Training loss (mean ± SD across seeds)",
            "epoch",
            &format!("training loss ({scale_name})"),
            &loss,
            &LineOpts { log_y, ..LineOpts::default() },
        ),
    )?;
    let val = curve_series(config, runs, |r, e| f64::from(r.epochs[e].val_acc));
    fig(
        "fig3c_val_accuracy",
        "Figure 3c. Validation accuracy per epoch (of the weights before that epoch's update), mean ± standard deviation across seeds, the ceiling dashed. Above the ceiling is luck of the validation sample, not skill.".into(),
        plot::line_bands_opts("Validation accuracy (mean ± SD across seeds)", "epoch", "validation accuracy", &val, &acc_opts),
    )?;
    let sd = sd_series(config, runs, |r, e| f64::from(r.epochs[e].train_acc));
    fig(
        "fig3d_accuracy_sd",
        "Figure 3d. Across-seed standard deviation of training accuracy per epoch, per initializer: the quantity the paper's claims about variability are about. Look at which initializer's seeds disagree most, and when.".into(),
        plot::line_bands("Across-seed SD of training accuracy", "epoch", "SD of training accuracy", &sd),
    )?;

    // Figure 4: distribution of final validation accuracy.
    let groups: Vec<Group> = config
        .inits
        .iter()
        .enumerate()
        .map(|(k, init)| Group {
            name: label(init),
            color: plot::series_color(k),
            values: runs_of(runs, init).iter().map(|r| f64::from(r.final_val_acc)).collect(),
        })
        .collect();
    fig(
        "fig4_val_accuracy",
        format!(
            "Figure 4. Final validation accuracy of every run (points) with its box plot (median, quartiles, whiskers to 1.5 IQR), per initializer; grey lines join the runs of one seed (the design is paired). {}",
            summary.spread_text().lines().next().unwrap_or("")
        ),
        plot::box_points_opts(
            "Final validation accuracy across seeds",
            "validation accuracy",
            &groups,
            &plot::BoxOpts { link: true, ..plot::BoxOpts::default() },
        ),
    )?;

    // Figure 5: decision boundaries of the median run (two features, two classes).
    let medians: Vec<&RunResult> = config.inits.iter().filter_map(|i| study::median_run(runs, i)).collect();
    if plane && two_classes {
        let panels = medians
            .iter()
            .map(|r| {
                Ok(decision_panel(
                    &results::final_model(out, &r.init, r.seed)?,
                    format!(
                        "{}, seed {}: val acc {:.*}",
                        label(&r.init),
                        r.seed,
                        summary.acc_decimals,
                        r.final_val_acc
                    ),
                    splits,
                ))
            })
            .collect::<Result<Vec<Panel>>>()?;
        fig(
            "fig5_decision_boundaries",
            format!(
                "Figure 5. Decision boundaries (probability of class 1, with the 0.5 contour) of the run with the median final validation accuracy for each initializer; validation points overlaid.{}",
                subsample_words(splits.val.len().min(MAX_FIGURE_POINTS), splits.val.len())
            ),
            plot::decision_panels("Learned decision boundaries (median run per initializer)", &panels),
        )?;
    }

    // Figure 7: relative update size per layer.
    let layer_panels: Vec<LinePanel> = shape
        .layer_shapes()
        .enumerate()
        .map(|(l, (i, o))| LinePanel {
            title: format!("layer {} ({i}→{o})", l + 1),
            series: curve_series(config, runs, move |r, e| r.update_size[e][l].max(1e-12)),
        })
        .collect();
    fig(
        "fig7_update_size",
        "Figure 7. Relative update size ‖ΔW‖/‖W‖ of each dense layer's weights per epoch (Frobenius norms), mean ± standard deviation across seeds, per initializer: the number behind what Figure 6 shows.".into(),
        plot::multi_line_bands(
            "Relative update size ‖ΔW‖/‖W‖ per layer",
            "epoch",
            "‖ΔW‖/‖W‖",
            &layer_panels,
            &LineOpts { log_y: true, ..LineOpts::default() },
        ),
    )?;

    // Figures 1–5 and 7 are rendered while a study still makes figure 6's frames.
    let rendered = study::parallel_map(&pending, options.threads, |(stem, _, scene)| save(out, stem, scene));
    let mut figs = pending
        .into_iter()
        .zip(rendered)
        .map(|((stem, caption, _), svg)| Ok(Figure { stem, caption, svg: Some(svg?) }))
        .collect::<Result<Vec<Figure>>>()?;

    // Figure 6: weight evolution of the median run, from its frames.bin; one
    // animation and one montage per init, rendered in parallel.
    frames_ready()?;
    let frames: Vec<Vec<(usize, Snapshot)>> = medians
        .iter()
        .map(|r| {
            let path = results::run_dir(out, &r.init, r.seed).join("frames.bin");
            let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
            results::read_frames(&bytes).map_err(|e| Error::results(&path, e))
        })
        .collect::<Result<_>>()?;
    let layers = shape.layers();
    let largest = |f: &[(usize, Snapshot)], l: usize| {
        f.iter().flat_map(|(_, w)| w[l].iter()).fold(0.0f32, |m, v| m.max(v.abs())).max(1e-6)
    };
    let scales: Vec<Vec<f32>> = if options.drawing.shared_scale {
        let shared: Vec<f32> =
            (0..layers).map(|l| frames.iter().map(|f| largest(f, l)).fold(1e-6, f32::max)).collect();
        vec![shared; frames.len()]
    } else {
        frames.iter().map(|f| (0..layers).map(|l| largest(f, l)).collect()).collect()
    };
    let scale_words = if options.drawing.shared_scale {
        "one blue–white–red scale per layer, shared by every initializer (--shared-scale)"
    } else {
        "one blue–white–red scale per layer and initializer (--shared-scale shares them across initializers)"
    };
    let stems: Vec<String> =
        medians.iter().map(|r| format!("fig6_weight_evolution_{}", r.init.name())).collect();
    let jobs: Vec<_> = medians.iter().zip(&stems).zip(frames.iter().zip(&scales)).collect();
    // One thread per animation (at most three: one per initializer), whatever
    // `options.threads`: they are few and equal, and the OS balances them.
    let montages: Vec<String> = study::parallel_map(&jobs, jobs.len(), |&((r, stem), (f, sc))| {
        let montage = weight_animation(out, stem, config, r, f, sc)?;
        save(out, &format!("fig6_montage_{}", r.init.name()), &montage)
    })
    .into_iter()
    .collect::<Result<Vec<_>, _>>()?;
    let mut animations = Vec::new();
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
        figs.push(Figure {
            stem: format!("fig6_montage_{}", r.init.name()),
            caption: format!(
                "Figure 6 ({}, for print). The same weights at a few epochs side by side; {scale_words}.",
                label(&r.init)
            ),
            svg: Some(montage),
        });
    }
    figs.extend(animations);
    // Figure order (1, 2, 3, 3b, 4, 5, 6, 7); a stable sort keeps figure 6's
    // animations in the study's initializer order.
    figs.sort_by(|a, b| a.stem.split('_').next().cmp(&b.stem.split('_').next()));

    let recorded = FiguresFile { schema_version: 1, drawing: options.drawing };
    let json = serde_json::to_string_pretty(&recorded).expect("plain fields serialize") + "\n";
    write_atomic(&out.join(FIGURES_FILE), json.as_bytes())?;
    let path = out.join("report.html");
    write_atomic(&path, html(out, config, splits, summary, &figs)?.as_bytes())?;
    Ok(path)
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
/// animation and returns the montage.
fn weight_animation(
    out: &Path,
    stem: &str,
    config: &StudyConfig,
    r: &RunResult,
    snaps: &[(usize, Snapshot)],
    scales: &[f32],
) -> Result<Scene> {
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
    let gif_path = out.join(format!("{stem}.gif"));
    let mut gif = plot::GifWriter::new(Vec::new(), w, h, 80).map_err(|e| Error::io(&gif_path, e))?;
    // `mp4` needs every frame, but only when it can run ffmpeg: skip the copies otherwise.
    let with_mp4 = std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|d| d.join("ffmpeg").is_file() || d.join("ffmpeg.exe").is_file())
    });
    let mut frames = Vec::new();
    for (k, (epoch, weights)) in snaps.iter().enumerate() {
        let caption = format!("{} seed {} — epoch {epoch}/{}", label(&r.init), r.seed, config.epochs);
        let frame = anim.frame(weights, &caption);
        // A pause on the last frame, before the animation starts over.
        let delay = if k + 1 == snaps.len() { 2500 } else { 80 };
        gif.add_frame_delta_with_delay(frame, delay).map_err(|e| Error::io(&gif_path, e))?;
        if with_mp4 {
            frames.push(frame.clone());
        }
    }
    let bytes = gif.finish().map_err(|e| Error::io(&gif_path, e))?;
    write_atomic(&out.join(format!("{stem}.gif")), &bytes)?;
    mp4(out, stem, &frames);
    Ok(montage)
}

/// Also encodes an MP4 when `ffmpeg` is on PATH (best effort).
fn mp4(out: &Path, stem: &str, frames: &[plot::Raster]) {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let Some(f) = frames.first() else { return };
    let target = out.join(format!("{stem}.mp4"));
    let tmp = out.join(format!(".{stem}.mp4.{}.tmp.mp4", std::process::id()));
    let child = Command::new("ffmpeg")
        .args(["-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s"])
        .arg(format!("{}x{}", f.width, f.height))
        .args([
            "-r",
            "12",
            "-i",
            "-",
            "-vf",
            "pad=ceil(iw/2)*2:ceil(ih/2)*2",
            "-pix_fmt",
            "yuv420p",
            "-bitexact",
        ])
        .arg(&tmp)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    let Ok(mut child) = child else { return };
    let mut ok = true;
    if let Some(mut stdin) = child.stdin.take() {
        for frame in frames {
            ok &= stdin.write_all(&frame.pixels).is_ok();
        }
    }
    ok &= child.wait().is_ok_and(|s| s.success());
    if ok && std::fs::rename(&tmp, &target).is_ok() {
        if let Ok(bytes) = std::fs::read(&target) {
            output::record(&target, &bytes);
        }
    } else {
        let _ = std::fs::remove_file(&tmp);
    }
}

/// `words` if the hidden layers are normalized, else nothing.
fn norm_words(shape: &saorsa_nn::Shape, words: &'static str) -> &'static str {
    if shape.normalization() == saorsa_nn::Normalization::None { "" } else { words }
}

/// `2→64→64→64→2`.
fn arrows(shape: &saorsa_nn::Shape) -> String {
    shape.widths().iter().map(usize::to_string).collect::<Vec<_>>().join("→")
}

/// The data set's display name.
fn data_name(config: &StudyConfig) -> String {
    match &config.source {
        study::DataSource::Generated { spec, .. } => spec.display_name(),
        study::DataSource::Csv { path, .. } => format!("CSV data set {path}"),
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn html(
    out: &Path,
    config: &StudyConfig,
    splits: &Splits,
    summary: &Summary,
    figs: &[Figure],
) -> Result<String> {
    let mut h = String::from(concat!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">",
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
        "<title>Weight-initialization study — saorsa-nn</title>\n<style>",
        "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}",
        "h1{font-size:1.7em}h2{margin-top:2em;border-bottom:1px solid #ddd;padding-bottom:.2em}",
        "table{border-collapse:collapse;margin:1em 0;font-size:.92em}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:right}",
        "th{background:#f4f4f4}td:first-child,th:first-child{text-align:left}",
        "figure{margin:1.5em 0;padding:0}figure svg,figure img{max-width:100%;height:auto;display:block;border:1px solid #eee}",
        "figcaption{font-size:.92em;color:#444;margin-top:.4em}code{background:#f4f4f4;padding:0 .2em}",
        "</style></head><body>\n<h1>Why weight initialization still matters — reproduction with saorsa-nn</h1>\n"
    ));
    let _ = writeln!(
        h,
        "<p>{} initializers × {} model seeds × {} epochs; every number and figure below is computed from the data files in this directory (<code>config.json</code>, <code>data/</code>, <code>metrics.csv</code>, <code>runs.csv</code>, <code>update_size.csv</code> and the checkpoints under <code>runs/</code>), and <code>harness report --from</code> redraws it from them.</p>",
        config.inits.len(),
        config.seeds.len(),
        config.epochs
    );
    h.push_str("<h2>Configuration</h2>\n<table>\n");
    let mut data = match &config.source {
        study::DataSource::Generated { spec, samples } => {
            format!("{}, {samples} samples", spec.display_name())
        }
        study::DataSource::Csv { path, data } => format!("CSV {path} ({} samples)", data.len()),
    };
    if let Some(e) = config.embedding {
        let _ = write!(
            data,
            "; embedded into {} dimensions by a random rotation ({} of them pure noise)",
            e.dims, e.noise_dims
        );
    }
    let adam = config.adam();
    let rows = [
        ("data", data),
        ("data / split seed", config.data_seed.to_string()),
        (
            "validation ratio",
            format!("{} ({} train, {} validation)", config.val_ratio, splits.train.len(), splits.val.len()),
        ),
        (
            "network",
            format!(
                "{}, {}ReLU, softmax + cross-entropy, {} parameters",
                arrows(&config.shape),
                norm_words(&config.shape, "LayerNorm + "),
                config.shape.parameter_count()
            ),
        ),
        ("initializers", config.inits.iter().map(label).collect::<Vec<_>>().join(", ")),
        ("model seeds", config.seeds.iter().map(u64::to_string).collect::<Vec<_>>().join(", ")),
        ("epochs", config.epochs.to_string()),
        (
            "batch",
            config
                .batch_size
                .map_or("full batch (one step per epoch)".to_string(), |b| format!("{b} samples per step")),
        ),
        (
            "optimizer",
            format!(
                "Adam, lr {}, β1 {}, β2 {}, ε {:e}",
                adam.learning_rate, adam.beta1, adam.beta2, adam.epsilon
            ),
        ),
        (
            "software",
            format!("saorsa-nn {} (harness {})", env!("CARGO_PKG_VERSION"), env!("CARGO_PKG_VERSION")),
        ),
    ];
    for (k, v) in rows {
        let _ = writeln!(h, "<tr><th>{k}</th><td style=\"text-align:left\">{}</td></tr>", escape(&v));
    }
    h.push_str("</table>\n<h2>Summary</h2>\n");
    h.push_str(&markdown_table(&summary.table()));
    h.push_str("<p>");
    h.push_str(&escape(&summary.thresholds_text()));
    h.push_str("</p>\n");
    let findings = summary.findings_text();
    if !findings.is_empty() {
        h.push_str("<h3>The paper's findings in this study</h3>\n<ul>\n");
        for line in findings.lines() {
            let _ = writeln!(h, "<li>{}</li>", escape(line.trim_start_matches("- ")));
        }
        h.push_str("</ul>\n");
    }
    h.push_str("<p>");
    h.push_str(&escape(&summary.spread_text()).replace('\n', "<br>\n"));
    h.push_str("</p>\n<h2>Training curves</h2>\n");
    let curve = summary.to_markdown();
    let curve_table = curve.split("## Training curves (mean ± std across seeds)\n\n").nth(1).unwrap_or("");
    h.push_str(&markdown_table(curve_table));
    h.push_str("<h2>Figures</h2>\n");
    let (features, classes) = (splits.train.features, splits.train.classes);
    if features != 2 {
        let _ = writeln!(
            h,
            "<p>Figures 1 and 5 (the data and the decision boundaries) are drawn for two features only; this data set has {features}.</p>"
        );
    } else if classes != 2 {
        let _ = writeln!(
            h,
            "<p>Figure 5 (decision boundaries at probability 0.5) is drawn for two classes only; this data set has {classes}.</p>"
        );
    }
    for f in figs {
        h.push_str("<figure>\n");
        match &f.svg {
            Some(svg) => h.push_str(svg),
            None => {
                let path = out.join(format!("{}.gif", f.stem));
                let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
                let _ =
                    write!(h, "<img alt=\"{}\" src=\"data:image/gif;base64,{}\">", f.stem, base64(&bytes));
            }
        }
        let _ = writeln!(h, "\n<figcaption>{}</figcaption>\n</figure>", escape(&f.caption));
    }
    h.push_str("</body></html>\n");
    Ok(h)
}

/// Converts a Markdown pipe table into HTML.
fn markdown_table(md: &str) -> String {
    let mut h = String::from("<table>\n");
    for (k, line) in md.lines().filter(|l| l.starts_with('|')).enumerate() {
        if k == 1 {
            continue;
        }
        let cells: Vec<&str> = line.trim().trim_matches('|').split('|').map(str::trim).collect();
        let tag = if k == 0 { "th" } else { "td" };
        h.push_str("<tr>");
        for c in cells {
            let _ = write!(h, "<{tag}>{}</{tag}>", escape(c));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</table>\n");
    h
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_matches_rfc4648() {
        for (i, o) in [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foobar", "Zm9vYmFy")] {
            assert_eq!(super::base64(i.as_bytes()), o);
        }
    }
}
