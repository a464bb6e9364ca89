//! The measures of version 2, on the accuracies as integer counts (correct
//! examples summed over epochs), so that equal accuracies tie exactly; and
//! the failure rule.

use crate::claims::RunRecord;
use crate::claims::analysis::Table;
use crate::claims::v2::registry::{FAILURE_FRACTION, STABLE_STEP, STEADY_RISE};
use crate::stats;
use crate::study::Thresholds;

/// A run's correct training examples per epoch.
///
/// # Panics
/// If the record has no counts (a version 1 record given to version 2's
/// analysis: a programmer error).
pub(super) fn correct(r: &RunRecord) -> &[u32] {
    &r.counts.as_ref().expect("version 2 records hold counts").train_correct
}

/// Correct training examples summed over epochs `from..to` (clamped).
pub(super) fn summed(r: &RunRecord, from: usize, to: usize) -> f64 {
    let c = correct(r);
    let to = to.min(c.len());
    c[from.min(to)..to].iter().map(|&k| f64::from(k)).sum()
}

/// Correct training examples summed over the first `window` epochs.
pub(super) fn early(r: &RunRecord, window: usize) -> f64 {
    summed(r, 0, window)
}

/// Correct training examples summed over every epoch.
pub(super) fn overall(r: &RunRecord) -> f64 {
    summed(r, 0, usize::MAX)
}

/// Correct training examples summed over the last `window` epochs.
pub(super) fn last(r: &RunRecord, window: usize) -> f64 {
    let n = correct(r).len();
    summed(r, n - n.min(window), n)
}

/// Training examples of the run's data.
pub(super) fn n_train(r: &RunRecord) -> f64 {
    f64::from(r.counts.as_ref().expect("version 2 records hold counts").n_train)
}

/// Correct validation examples after the last update.
pub(super) fn final_val(r: &RunRecord) -> f64 {
    f64::from(r.counts.as_ref().expect("version 2 records hold counts").final_val_correct)
}

/// The count of correct training examples `q` of the way from chance to the
/// ceiling: `⌈(chance + q·(top − chance))·n⌉`.
pub(super) fn target_count(th: &Thresholds, q: f64, n: f64) -> u32 {
    ((th.chance + q * (th.top() - th.chance)) * n).ceil() as u32
}

/// Whether a run failed: its training accuracy never reached
/// [`FAILURE_FRACTION`] of the way from chance to the ceiling.
pub(super) fn failed(r: &RunRecord, th: &Thresholds) -> bool {
    let target = target_count(th, FAILURE_FRACTION, n_train(r));
    !correct(r).iter().any(|&c| c >= target)
}

/// Epochs until the training accuracy first reaches `q` of the way from
/// chance to the ceiling; a run that never does is censored at
/// `epochs + 1` (ranked after every finished run).
pub(super) fn epochs_to(r: &RunRecord, th: &Thresholds, q: f64) -> f64 {
    let target = target_count(th, q, n_train(r));
    let c = correct(r);
    c.iter().position(|&k| k >= target).map_or(c.len() + 1, |i| i + 1) as f64
}

/// The training loss's total upward movement, `Σ max(0, L_e − L_{e−1})`.
pub(super) fn loss_rise(r: &RunRecord) -> f64 {
    r.train_loss.windows(2).map(|w| (f64::from(w[1]) - f64::from(w[0])).max(0.0)).sum()
}

/// "Steadily decreasing": [`STEADY_RISE`] of the loss's descent from epoch
/// 1 to its lowest value, minus its upward movement (positive when steady).
pub(super) fn steadiness(r: &RunRecord) -> f64 {
    let first = r.train_loss.first().map_or(0.0, |&l| f64::from(l));
    let lowest = r.train_loss.iter().map(|&l| f64::from(l)).fold(first, f64::min);
    STEADY_RISE * (first - lowest) - loss_rise(r)
}

/// The first epoch (from 1) from which every epoch-to-epoch change of the
/// training loss is smaller than [`STABLE_STEP`] of its value at epoch 1:
/// the epoch of the last change at least that large (1 when there is none).
pub(super) fn stabilization(r: &RunRecord) -> f64 {
    let l: Vec<f64> = r.train_loss.iter().map(|&x| f64::from(x)).collect();
    let Some(&first) = l.first() else { return 1.0 };
    let step = STABLE_STEP * first;
    (1..l.len()).rev().find(|&e| (l[e] - l[e - 1]).abs() >= step).map_or(1.0, |e| (e + 1) as f64)
}

/// Each run's summed absolute deviation of its correct training examples
/// from the group's per-epoch median, over the first `window` epochs: a
/// per-seed, curve-wide Brown–Forsythe deviation in examples (medians of
/// integers are halves, so the sums are exact).
pub(super) fn curve_deviation(runs: &[&RunRecord], window: usize) -> Vec<f64> {
    let n = runs.iter().map(|r| correct(r).len()).min().unwrap_or(0).min(window);
    let medians: Vec<f64> = (0..n)
        .map(|e| stats::median(&runs.iter().map(|r| f64::from(correct(r)[e])).collect::<Vec<_>>()))
        .collect();
    runs.iter().map(|r| (0..n).map(|e| (f64::from(correct(r)[e]) - medians[e]).abs()).sum::<f64>()).collect()
}

/// Per seed, the range (max − min) of one value across initializers:
/// `cols[i][s]` is initializer `i`'s value for seed `s`.
pub(super) fn range_across(cols: &[Vec<f64>]) -> Vec<f64> {
    (0..cols.first().map_or(0, Vec::len))
        .map(|s| {
            let at: Vec<f64> = cols.iter().map(|c| c[s]).collect();
            stats::max(&at) - stats::min(&at)
        })
        .collect()
}

/// The failure indicators of `init`'s runs at (plan, level), in seed order.
pub(super) fn failures(t: &Table<'_>, p: usize, l: usize, init: &str) -> Vec<bool> {
    let th = t.prepared[p][l].thresholds;
    t.runs(p, l, init).into_iter().map(|r| failed(r, &th)).collect()
}
