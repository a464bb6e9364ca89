//! Version 2's mechanism claims (m1–m4), from the runs' per-layer
//! statistics ([`crate::claims::LayerRecord`]): at initialization each
//! dense layer's pre-activation and activation SD, and its weight-gradient
//! norm at epochs 1–10. A claim whose plan's runs have no statistics (a
//! folder of an older harness) is not measured.

use super::Raw;
use super::measures::{last, n_train, range_across};
use super::parts::{Part, friedman_part, signed_rank, slopes, trimmed_tost};
use crate::claims::analysis::Table;
use crate::claims::analysis::figure::color;
use crate::claims::display;
use crate::claims::v2::registry::{EQUIVALENCE_MARGIN, PLATEAU_WINDOW, SPREAD_WINDOW};
use crate::claims::{LayerRecord, RunRecord};
use crate::plot::{self, BoxOpts, Group, LineOpts, Scene, Series};
use crate::stats::{self, Alternative};

/// m2's "first epochs": epochs 1–5.
const FAN_IN_EPOCHS: usize = 5;

/// The note of the registered secondary statistics on dead ReLUs, which claims runs do not keep.
const NOT_RECORDED_DEAD: &str = "Secondary not computed: dead-ReLU fractions (claims runs keep the per-layer SDs at \
initialization and the weight-gradient norms at epochs 1–10 only; a study's layer_stats.csv has them).";

/// `ln v`, with a zero norm or SD (a dead layer) at the smallest positive `f64`, so that every
/// measure stays finite.
fn ln(v: f64) -> f64 {
    v.max(f64::MIN_POSITIVE).ln()
}

/// The per-layer statistics of every run of (plan, level, init), in seed order; `None` if a
/// run has none.
fn layers<'a>(t: &Table<'a>, p: usize, l: usize, init: &str) -> Option<Vec<&'a LayerRecord>> {
    let runs: Vec<&RunRecord> = t.runs(p, l, init);
    if runs.is_empty() {
        return None;
    }
    runs.into_iter().map(|r| r.layers.as_ref()).collect()
}

/// m1 (a)'s measure: the mean over epochs 1–`window` and the dense layers of
/// `ln ‖∂L/∂W‖` (over the epochs the run has).
fn early_log_grad(r: &LayerRecord, window: usize) -> f64 {
    let v: Vec<f64> = r.grad_norm_early.iter().flat_map(|g| g.iter().take(window).map(|&x| ln(x))).collect();
    stats::mean(&v)
}

/// The hidden layers' values of a per-layer row (every dense layer but the output layer).
fn hidden(v: &[f64]) -> &[f64] {
    &v[..v.len().saturating_sub(1)]
}

/// A series per initializer of `f(run)` (a curve over `x`): mean ± SD across seeds.
fn curves(inits: &[(&str, Vec<Vec<f64>>)], x: &[f64]) -> Vec<Series> {
    inits
        .iter()
        .map(|(i, rows)| {
            let cols: Vec<Vec<f64>> =
                (0..x.len()).map(|k| rows.iter().filter_map(|r| r.get(k).copied()).collect()).collect();
            Series::new(
                &display(i),
                color(i),
                x.to_vec(),
                cols.iter().map(|c| stats::mean(c)).collect(),
                cols.iter().map(|c| stats::std_dev(c)).collect(),
            )
        })
        .collect()
}

/// m1: the initializers' early gradient flow differs while their plateaus are equivalent.
pub(crate) fn m1_early_gradient_flow(t: &Table<'_>) -> Option<Raw> {
    let p = t.plan("base")?;
    let inits = ["small", "glorot", "he"];
    let stats_of: Vec<Vec<&LayerRecord>> = inits.iter().map(|i| layers(t, p, 0, i)).collect::<Option<_>>()?;
    let n = n_train(t.runs(p, 0, "glorot").first()?);
    let seeds = stats_of[0].len();
    let flow: Vec<Vec<f64>> = (0..seeds)
        .map(|s| stats_of.iter().map(|runs| early_log_grad(runs[s], SPREAD_WINDOW)).collect())
        .collect();
    let unit = PLATEAU_WINDOW as f64 * n;
    let m = (EQUIVALENCE_MARGIN * unit).round();
    let plateau = |i: &str| t.values(p, 0, i, |r| last(r, PLATEAU_WINDOW));
    let (s, g, h) = (plateau("small"), plateau("glorot"), plateau("he"));
    let parts = vec![
        friedman_part(
            "mean log weight-gradient norm, epochs 1–10 and layers, across small, glorot, he",
            &flow,
        ),
        trimmed_tost("glorot − he, plateau", &g, &h, m, unit),
        trimmed_tost("glorot − small, plateau", &g, &s, m, unit),
        trimmed_tost("he − small, plateau", &h, &s, m, unit),
    ];
    let layer_count = stats_of[0][0].grad_norm_early.len();
    let secondary: Vec<Part> = (0..layer_count)
        .map(|k| {
            let rows: Vec<Vec<f64>> = (0..seeds)
                .map(|s| {
                    stats_of
                        .iter()
                        .map(|runs| {
                            let g = &runs[s].grad_norm_early[k];
                            stats::mean(&g.iter().take(SPREAD_WINDOW).map(|&x| ln(x)).collect::<Vec<_>>())
                        })
                        .collect()
                })
                .collect();
            friedman_part(&format!("layer {}: mean log weight-gradient norm, epochs 1–10", k + 1), &rows)
        })
        .collect();
    let mut notes: Vec<String> = inits
        .iter()
        .enumerate()
        .map(|(k, i)| {
            let v: Vec<f64> = flow.iter().map(|row| row[k]).collect();
            format!("{i}: mean log weight-gradient norm (epochs 1–10, all layers) {:+.3}", stats::mean(&v))
        })
        .collect();
    notes.push(NOT_RECORDED_DEAD.into());
    let epochs = stats_of[0][0].grad_norm_early.first().map_or(0, Vec::len).min(SPREAD_WINDOW);
    let x: Vec<f64> = (1..=epochs).map(|e| e as f64).collect();
    let per_init: Vec<(&str, Vec<Vec<f64>>)> = inits
        .iter()
        .zip(&stats_of)
        .map(|(&i, runs)| {
            let rows = runs
                .iter()
                .map(|r| {
                    (0..epochs)
                        .map(|e| stats::mean(&r.grad_norm_early.iter().map(|g| ln(g[e])).collect::<Vec<_>>()))
                        .collect()
                })
                .collect();
            (i, rows)
        })
        .collect();
    let figure = plot::line_bands_opts(
        "m1: weight-gradient norm over the first epochs",
        "epoch",
        "mean over layers of ln ‖∂L/∂W‖",
        &curves(&per_init, &x),
        &LineOpts::default(),
    );
    Some(Raw { parts, secondary, notes, figure })
}

/// m2: He's first-layer gradient over Glorot's shrinks as the input dimension grows.
pub(crate) fn m2_fan_in_sensitivity(t: &Table<'_>) -> Option<Raw> {
    let p = t.plan("fan-in")?;
    let plan = &t.plans[p];
    let first = |r: &LayerRecord| {
        stats::mean(&r.grad_norm_early[0].iter().take(FAN_IN_EPOCHS).copied().collect::<Vec<_>>())
    };
    let mut per_level = Vec::new();
    for l in 0..plan.levels.len() {
        let (he, glorot) = (layers(t, p, l, "he")?, layers(t, p, l, "glorot")?);
        per_level
            .push(he.iter().zip(&glorot).map(|(h, g)| ln(first(h)) - ln(first(g))).collect::<Vec<f64>>());
    }
    let x: Vec<f64> = plan.levels.iter().map(|l| l.value.log2()).collect();
    let seeds = per_level.first().map_or(0, Vec::len);
    let rows: Vec<Vec<f64>> = (0..seeds).map(|s| per_level.iter().map(|v| v[s]).collect()).collect();
    let mut notes: Vec<String> = plan
        .levels
        .iter()
        .zip(&per_level)
        .map(|(level, v)| {
            format!("{}: mean ln(he / glorot) first-layer gradient norm {:+.3}", level.label, stats::mean(v))
        })
        .collect();
    for (l, level) in plan.levels.iter().enumerate() {
        let (he, glorot) = (layers(t, p, l, "he")?, layers(t, p, l, "glorot")?);
        let v: Vec<f64> =
            he.iter().zip(&glorot).map(|(h, g)| ln(h.pre_sd_init[0]) - ln(g.pre_sd_init[0])).collect();
        notes.push(format!(
            "{}: mean ln(he / glorot) layer-1 pre-activation SD at initialization {:+.3}",
            level.label,
            stats::mean(&v)
        ));
    }
    let series = vec![Series::new(
        "ln(he / glorot)",
        color("he"),
        x.clone(),
        per_level.iter().map(|v| stats::mean(v)).collect(),
        per_level.iter().map(|v| stats::std_dev(v)).collect(),
    )];
    let figure = plot::line_bands_opts(
        "m2: He's over Glorot's first-layer gradient norm",
        "log2 D (input dimension)",
        "ln(‖∇W₁‖ he / ‖∇W₁‖ glorot), epochs 1–5",
        &series,
        &LineOpts::default(),
    );
    Some(Raw {
        parts: vec![slopes(
            "per-seed slope of ln(he / glorot) first-layer gradient norm on log2 D",
            &x,
            &rows,
            Alternative::Less,
            1.0,
        )],
        secondary: Vec::new(),
        notes,
        figure,
    })
}

/// m3: He keeps the pre-activation SD within a factor of 2 through the deepest network; under
/// small normal it decays layer after layer.
pub(crate) fn m3_variance_with_depth(t: &Table<'_>) -> Option<Raw> {
    let p = t.plan("depth")?;
    let plan = &t.plans[p];
    let deepest =
        (0..plan.levels.len()).max_by(|&a, &b| plan.levels[a].value.total_cmp(&plan.levels[b].value))?;
    let (he, small) = (layers(t, p, deepest, "he")?, layers(t, p, deepest, "small")?);
    let within: Vec<f64> = he
        .iter()
        .map(|r| {
            let h = hidden(&r.pre_sd_init);
            2f64.ln() - (ln(stats::max(h)) - ln(stats::min(h)))
        })
        .collect();
    let log_sd = |r: &LayerRecord| hidden(&r.pre_sd_init).iter().map(|&v| ln(v)).collect::<Vec<f64>>();
    let rows: Vec<Vec<f64>> = small.iter().map(|r| log_sd(r)).collect();
    let depth = rows.first().map_or(0, Vec::len);
    let x: Vec<f64> = (1..=depth).map(|k| k as f64).collect();
    let parts = vec![
        signed_rank(
            "he: ln 2 − ln(max / min pre-activation SD over hidden layers), deepest level",
            &within,
            Alternative::Greater,
            1.0,
        ),
        slopes(
            "small: per-seed slope of ln pre-activation SD on the hidden layer, deepest level",
            &x,
            &rows,
            Alternative::Less,
            1.0,
        ),
    ];
    let per_init: Vec<(&str, Vec<Vec<f64>>)> = ["small", "glorot", "he"]
        .into_iter()
        .filter_map(|i| Some((i, layers(t, p, deepest, i)?.into_iter().map(log_sd).collect())))
        .collect();
    let mut notes: Vec<String> = Vec::new();
    for (l, level) in plan.levels.iter().enumerate() {
        for i in ["small", "glorot", "he"] {
            let Some(runs) = layers(t, p, l, i) else { continue };
            let ratio: Vec<f64> = runs
                .iter()
                .map(|r| {
                    let h = hidden(&r.pre_sd_init);
                    ln(stats::max(h)) - ln(stats::min(h))
                })
                .collect();
            notes.push(format!(
                "{i} ({}): mean ln(max / min) pre-activation SD over hidden layers {:.3}",
                level.label,
                stats::mean(&ratio)
            ));
        }
    }
    notes.push(NOT_RECORDED_DEAD.into());
    let figure = plot::line_bands_opts(
        &format!(
            "m3: pre-activation SD through the layers at initialization ({})",
            plan.levels[deepest].label
        ),
        "hidden layer",
        "ln pre-activation SD",
        &curves(&per_init, &x),
        &LineOpts::default(),
    );
    Some(Raw { parts, secondary: Vec::new(), notes, figure })
}

/// m4: LayerNorm shrinks the spread of the initializers' activation SDs at initialization.
pub(crate) fn m4_norm_stabilizes(t: &Table<'_>) -> Option<Raw> {
    let p = t.plan("norm")?;
    let inits = ["small", "glorot", "he"];
    let level_range = |l: usize| -> Option<Vec<f64>> {
        let cols: Vec<Vec<f64>> = inits
            .iter()
            .map(|i| {
                let runs = layers(t, p, l, i)?;
                Some(
                    runs.iter()
                        .map(|r| {
                            stats::mean(&hidden(&r.act_sd_init).iter().map(|&v| ln(v)).collect::<Vec<_>>())
                        })
                        .collect(),
                )
            })
            .collect::<Option<_>>()?;
        Some(range_across(&cols))
    };
    let (plain, normed) = (level_range(0)?, level_range(1)?);
    let d: Vec<f64> = plain.iter().zip(&normed).map(|(a, b)| a - b).collect();
    let notes = vec![
        format!(
            "mean range across inits of the mean log activation SD: no normalization {:.3}, LayerNorm {:.3}",
            stats::mean(&plain),
            stats::mean(&normed)
        ),
        "Secondary not computed: the same over epochs 1–25 (claims runs keep the activation SD at initialization only).".into(),
        NOT_RECORDED_DEAD.into(),
    ];
    let groups = [("no normalization", 5, &plain), ("LayerNorm", 6, &normed)]
        .into_iter()
        .map(|(name, c, values)| Group {
            name: name.into(),
            color: plot::series_color(c),
            values: values.clone(),
        })
        .collect::<Vec<_>>();
    let figure: Scene = plot::box_points_opts(
        "m4: range of the log activation SD across small, Glorot and He, per seed",
        "max − min over inits of the mean over hidden layers of ln activation SD",
        &groups,
        &BoxOpts {
            link: true,
            x_label: "normalization between each hidden layer and its ReLU".into(),
            ..BoxOpts::default()
        },
    );
    Some(Raw {
        parts: vec![signed_rank(
            "none − LayerNorm, range of the mean log activation SD across inits",
            &d,
            Alternative::Greater,
            1.0,
        )],
        secondary: Vec::new(),
        notes,
        figure,
    })
}
