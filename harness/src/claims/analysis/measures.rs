//! The measures the claims compare: of one run (early speed, plateau, loss
//! rise, …) and of a group of runs (deviations from the group's median).

use crate::claims::RunRecord;
use crate::claims::registry::{self, EARLY_WINDOW};
use crate::stats;

/// Rounds to [`registry::SNAP`], so that equal differences tie exactly.
pub(super) fn snap(x: f64) -> f64 {
    (x / registry::SNAP).round() * registry::SNAP
}

/// Mean of `f32` values in `f64`; `NaN` when empty.
fn mean_f32(v: &[f32]) -> f64 {
    if v.is_empty() { f64::NAN } else { v.iter().map(|&x| f64::from(x)).sum::<f64>() / v.len() as f64 }
}

/// Early speed: mean training accuracy over the first
/// [`EARLY_WINDOW`] epochs.
pub(crate) fn early_speed(r: &RunRecord) -> f64 {
    mean_f32(&r.train_acc[..r.train_acc.len().min(EARLY_WINDOW)])
}

/// Overall speed: mean training accuracy over all epochs.
pub(crate) fn overall_speed(r: &RunRecord) -> f64 {
    mean_f32(&r.train_acc)
}

/// Plateau: mean training accuracy over the last
/// [`registry::PLATEAU_WINDOW`] epochs.
pub(crate) fn plateau(r: &RunRecord) -> f64 {
    let n = r.train_acc.len();
    mean_f32(&r.train_acc[n - n.min(registry::PLATEAU_WINDOW)..])
}

/// Total upward movement of the training loss, `Σ max(0, L_e − L_{e−1})`.
pub(crate) fn loss_rise(r: &RunRecord) -> f64 {
    r.train_loss.windows(2).map(|w| (f64::from(w[1]) - f64::from(w[0])).max(0.0)).sum()
}

/// Mean over the first epochs and the layers of `‖ΔW‖/‖W‖`.
pub(crate) fn update_early(r: &RunRecord) -> f64 {
    stats::mean(&r.update_early_layers)
}

/// Epochs of training accuracy until it first reaches `target`; a run that
/// never does is censored at `epochs + 1` (ranked after every finished run).
pub(crate) fn epochs_to(r: &RunRecord, target: f32) -> f64 {
    r.train_acc.iter().position(|&a| a >= target).map_or(r.train_acc.len() + 1, |i| i + 1) as f64
}

/// Each run's mean absolute deviation of its training-accuracy curve from
/// the group's per-epoch median, over the first `window` epochs (all when
/// `None`): a per-seed, curve-wide Brown–Forsythe deviation.
pub(super) fn curve_deviation(runs: &[&RunRecord], window: Option<usize>) -> Vec<f64> {
    let n = runs.iter().map(|r| r.train_acc.len()).min().unwrap_or(0);
    let n = window.map_or(n, |w| w.min(n));
    let medians: Vec<f64> = (0..n)
        .map(|e| stats::median(&runs.iter().map(|r| f64::from(r.train_acc[e])).collect::<Vec<_>>()))
        .collect();
    runs.iter()
        .map(|r| {
            (0..n).map(|e| (f64::from(r.train_acc[e]) - medians[e]).abs()).sum::<f64>() / n.max(1) as f64
        })
        .collect()
}

/// Absolute deviations from the median.
pub(super) fn abs_dev(values: &[f64]) -> Vec<f64> {
    let m = stats::median(values);
    values.iter().map(|v| (v - m).abs()).collect()
}
