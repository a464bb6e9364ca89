//! Figures 1–5 and 7–9 (the data, the network, the learning curves, the
//! final accuracies, the decision boundaries, the update sizes, and the
//! signal and gradient through the layers),
//! described from the files for the report to render.

use super::skipped::{SkipReason, Skipped};
use super::{Drawing, LossScale, arrows, label, norm_words};
use crate::config::{DataSource, StudyConfig};
use crate::error::Result;
use crate::inits::InitSpec;
use crate::plot::{self, Group, LineOpts, LinePanel, Panel, Scene, Series};
use crate::results;
use crate::study::{RunResult, Splits};
use crate::summary::{MIN_SEEDS, Summary};
use saorsa_nn::Network;
use std::path::Path;

mod signal;

/// The stems of the figures drawn once per study (as SVG and PNG); figure 6
/// adds `fig6_weight_evolution_<init>` and `fig6_montage_<init>` per
/// initializer. Figures 1 and 5 are drawn only for two-feature data (else
/// they are [`Skipped`]).
pub(crate) use crate::layout::FIGURE_STEMS;

/// The most points a learning curve is drawn with.
const MAX_CURVE_POINTS: usize = 1000;

/// The most data points figures 1 and 5 draw: beyond it, a random
/// subsample (the first points of the split's seeded shuffle), said so in
/// the caption, so that figures and the report do not grow with the data.
const MAX_FIGURE_POINTS: usize = 5000;

/// What figures 1–5 and 7 are drawn from: a study's folder as loaded, its
/// summary, the drawing choices and the median run of each initializer.
pub(super) struct Inputs<'a> {
    /// The folder (figure 5 reads the median runs' final checkpoints).
    pub out: &'a Path,
    /// The study's configuration.
    pub config: &'a StudyConfig,
    /// Its data, split.
    pub splits: &'a Splits,
    /// Every run, in init-major order.
    pub runs: &'a [RunResult],
    /// Their summary.
    pub summary: &'a Summary,
    /// The drawing choices.
    pub drawing: Drawing,
    /// The run with the median final validation accuracy, per initializer.
    pub medians: &'a [&'a RunResult],
}

/// A figure described but not yet rendered.
pub(super) struct Described {
    /// File stem under the output directory.
    pub stem: String,
    /// Caption.
    pub caption: String,
    /// The drawing.
    pub scene: Scene,
}

/// The figures described so far, in order, and those left out.
struct Figures(Vec<Described>, Vec<Skipped>);

impl Figures {
    fn add(&mut self, stem: &str, caption: String, scene: Scene) {
        debug_assert!(
            FIGURE_STEMS.contains(&stem) || stem.starts_with("fig6_"),
            "{stem} not in FIGURE_STEMS"
        );
        self.0.push(Described { stem: stem.into(), caption, scene });
    }

    fn skip(&mut self, figure: &str, stem: &str, reason: SkipReason) {
        self.1.push(Skipped { what: format!("{figure} ({stem})"), reason });
    }
}

/// Figures 1–5 and 7, in that order, to be rendered together, and the
/// figures that do not apply to the data (figures 1 and 5 need two
/// features).
pub(super) fn describe(inputs: &Inputs<'_>) -> Result<(Vec<Described>, Vec<Skipped>)> {
    let mut figs = Figures(Vec::new(), Vec::new());
    data_figures(inputs, &mut figs);
    curve_figures(inputs, &mut figs);
    accuracy_figure(inputs, &mut figs);
    boundary_figure(inputs, &mut figs)?;
    update_figure(inputs, &mut figs);
    signal::signal_figures(inputs, &mut figs);
    Ok((figs.0, figs.1))
}

/// Figure 1, the data (two features only), and figure 2, the network.
fn data_figures(inputs: &Inputs<'_>, figs: &mut Figures) {
    let Inputs { config, splits, .. } = *inputs;
    let shape = &config.shape;
    let plane = splits.train.features == 2;
    let moons = matches!(
        &config.source,
        DataSource::Generated { spec: crate::synthetic::DatasetSpec::Moons { .. }, .. }
    ) && config.embedding.is_none();

    // Figure 1: the data (drawn for two features only).
    if !plane {
        figs.skip("figure 1", "fig1_dataset", SkipReason::NotTwoFeatures(splits.train.features));
    } else {
        let points: Vec<(f64, f64, u8)> = figure_points(splits, MAX_FIGURE_POINTS);
        let total = splits.train.len() + splits.val.len();
        let title = if moons {
            "Two-moons data set, coloured by class".to_string()
        } else {
            format!("{}, coloured by class", data_name(config))
        };
        figs.add(
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
        );
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
    figs.add(
        "fig2_architecture",
        format!(
            "Figure 2. The network: {}, {}ReLU after each hidden layer, softmax output with categorical cross-entropy; {} parameters.",
            arrows(shape),
            norm_words(shape, "LayerNorm (learnable gain and shift) then "),
            shape.parameter_count()
        ),
        plot::architecture("Network architecture (fixed across runs)", &sizes, &labels),
    );
}

/// Figures 3–3d: learning curves, fitted to the data, each seed a thin
/// line under the mean ± SD band, the ceiling dashed.
fn curve_figures(inputs: &Inputs<'_>, figs: &mut Figures) {
    let Inputs { config, runs, summary, drawing, .. } = *inputs;
    let ceiling: Vec<(f64, String)> = summary
        .thresholds
        .ceiling
        .map(|c| vec![(c.accuracy, format!("ceiling (Bayes-optimal) {:.3}", c.accuracy))])
        .unwrap_or_default();
    let acc_opts = LineOpts { hlines: ceiling.clone(), ..LineOpts::default() };
    let acc = curve_series(config, runs, |r, e| f64::from(r.epochs[e].train_acc));
    figs.add(
        "fig3_train_accuracy",
        "Figure 3. Training accuracy per epoch (before that epoch's update): mean ± standard deviation across seeds per initializer, each seed a thin line, the data set's ceiling dashed when known. Look for how early each initializer leaves chance and whether its seeds move together.".into(),
        plot::line_bands_opts("Training accuracy (mean ± SD across seeds)", "epoch", "training accuracy", &acc, &acc_opts),
    );
    let loss = curve_series(config, runs, |r, e| f64::from(r.epochs[e].train_loss));
    let (log_y, scale_name) = match drawing.loss_scale {
        LossScale::Log => (true, "log scale"),
        LossScale::Linear => (false, "linear scale"),
    };
    figs.add(
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
    );
    let val = curve_series(config, runs, |r, e| f64::from(r.epochs[e].val_acc));
    figs.add(
        "fig3c_val_accuracy",
        "Figure 3c. Validation accuracy per epoch (of the weights before that epoch's update), mean ± standard deviation across seeds, the ceiling dashed. Above the ceiling is luck of the validation sample, not skill.".into(),
        plot::line_bands_opts("Validation accuracy (mean ± SD across seeds)", "epoch", "validation accuracy", &val, &acc_opts),
    );
    let sd = sd_series(config, runs, |r, e| f64::from(r.epochs[e].train_acc));
    figs.add(
        "fig3d_accuracy_sd",
        "Figure 3d. Across-seed standard deviation of training accuracy per epoch, per initializer: the quantity the paper's claims about variability are about. Look at which initializer's seeds disagree most, and when.".into(),
        plot::line_bands("Across-seed SD of training accuracy", "epoch", "SD of training accuracy", &sd),
    );
}

/// Figure 4: the distribution of final validation accuracy.
fn accuracy_figure(inputs: &Inputs<'_>, figs: &mut Figures) {
    let Inputs { config, runs, summary, .. } = *inputs;
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
    let boxes = summary.too_few_seeds().is_none();
    let drawn = if boxes {
        "every run (points) with its box plot (median, quartiles, whiskers to 1.5 IQR)".to_string()
    } else {
        format!("every run (points; no box plots with fewer than {MIN_SEEDS} seeds per initializer)")
    };
    figs.add(
        "fig4_val_accuracy",
        format!(
            "Figure 4. Final validation accuracy of {drawn}, per initializer; grey lines join the runs of one seed (the design is paired). {}",
            summary.spread_text().lines().next().unwrap_or("")
        ),
        plot::box_points_opts(
            "Final validation accuracy across seeds",
            "validation accuracy",
            &groups,
            &plot::BoxOpts { link: true, min_box: MIN_SEEDS, ..plot::BoxOpts::default() },
        ),
    );
}

/// Figure 5: the decision boundaries of the median runs (two features, any
/// number of classes), from their final checkpoints.
fn boundary_figure(inputs: &Inputs<'_>, figs: &mut Figures) -> Result<()> {
    let Inputs { out, splits, summary, medians, .. } = *inputs;
    if splits.train.features != 2 {
        let reason = SkipReason::NotTwoFeatures(splits.train.features);
        figs.skip("figure 5", "fig5_decision_boundaries", reason);
        return Ok(());
    }
    let panels = medians
        .iter()
        .map(|r| {
            Ok(decision_panel(
                &results::final_model(out, &r.init, r.seed, &inputs.config.shape)?,
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
    let what = if splits.train.classes == 2 {
        "Decision boundaries (probability of class 1, with the 0.5 contour)".to_string()
    } else {
        format!(
            "Decision regions of the {} classes (each point of the plane in the colour of the class predicted there, paler where the network is less sure, with the boundaries between them)",
            splits.train.classes
        )
    };
    figs.add(
        "fig5_decision_boundaries",
        format!(
            "Figure 5. {what} of the run with the median final validation accuracy for each initializer; validation points overlaid.{}",
            subsample_words(splits.val.len().min(MAX_FIGURE_POINTS), splits.val.len())
        ),
        plot::decision_panels("Learned decision boundaries (median run per initializer)", &panels),
    );
    Ok(())
}

/// Figure 7: the relative update size per layer.
fn update_figure(inputs: &Inputs<'_>, figs: &mut Figures) {
    let Inputs { config, runs, .. } = *inputs;
    let shape = &config.shape;
    let layer_panels: Vec<LinePanel> = shape
        .layer_shapes()
        .enumerate()
        .map(|(l, (i, o))| LinePanel {
            title: format!("layer {} ({i}→{o})", l + 1),
            series: curve_series(config, runs, move |r, e| r.update_size[e][l].max(1e-12)),
        })
        .collect();
    figs.add(
        "fig7_update_size",
        "Figure 7. Relative update size ‖ΔW‖/‖W‖ of each dense layer's weights per epoch (Frobenius norms), mean ± standard deviation across seeds, per initializer: the number behind what Figure 6 shows.".into(),
        plot::multi_line_bands(
            "Relative update size ‖ΔW‖/‖W‖ per layer",
            "epoch",
            "relative update size (log scale)",
            &layer_panels,
            &LineOpts { log_y: true, ..LineOpts::default() },
        ),
    );
}

/// The runs of `init`, in the runs' order.
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

/// The learning curve of `f` per initializer: a band per initializer,
/// named and coloured as the study lists them.
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

/// Every class's probability on an `nx × ny` grid over the data's range
/// (two features).
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
    let classes = net.shape().classes();
    let mut z = vec![0.0f32; classes * nx * ny];
    let mut scratch = vec![0.0f32; net.shape().evaluation_scratch_len(nx * ny)];
    net.logits(&xs, &mut scratch, &mut z).expect("a two-input network");
    saorsa_nn::kernels::softmax_rows(&mut z, classes);
    // The first points of the seeded shuffle (the split's): a random subsample.
    let points = splits
        .val
        .rows()
        .zip(&splits.val.y)
        .take(MAX_FIGURE_POINTS)
        .map(|(p, &l)| (f64::from(p[0]), f64::from(p[1]), l))
        .collect();
    Panel { title, x_range: xr, y_range: yr, grid: (nx, ny, z), classes, points }
}

/// The data set's display name.
fn data_name(config: &StudyConfig) -> String {
    match &config.source {
        DataSource::Generated { spec, .. } => spec.display_name(),
        DataSource::Csv { path, .. } => format!("CSV data set {path}"),
    }
}
