//! Observation: per-layer statistics of a step ([`LayerStats`]), by a
//! separate pass over the step's batch before its gradient pass.
//!
//! The pass runs the forward kernels the training pass runs (zero-skipping
//! where that is exact, the same bits) and the dense input-gradient kernel
//! on the trainer's workspace, and uses the gradient buffer as scratch (the gradient pass after it zeroes and
//! rewrites it): the parameters, moments and counters are never touched, so
//! training with observation gives the same bits as without, and the
//! unobserved epoch ([`super::train_epoch`]) is the code it always was.

use super::forward::{forward_layer, output_skips};
use super::{Layers, LayersMut, Optimize, Work, skipping_is_exact, zero};
use crate::data::Samples;
use crate::error::Error;
use crate::kernels::{self, LossTotals};
use crate::layer_stats::{LayerStats, norm};
use crate::loss::Metrics;
use crate::shape::MAX_LAYERS;

use super::Batching;

/// A trainer that can observe its steps.
pub(crate) trait Observe: Optimize {
    /// The observation pass of `data` at the current weights into `stats`
    /// (one per layer): every statistic but the parameter norms. May
    /// overwrite the gradient and the workspace.
    fn observe_pass(&mut self, data: &Samples<'_>, stats: &mut [LayerStats]);
    /// The gradient pass of an observed step: the gradient and totals of
    /// [`Optimize::gradient_totals`], bit for bit, by its own call site, so
    /// that the unobserved epoch's code is not shared with this one.
    fn observed_gradient(&mut self, data: &Samples<'_>) -> Result<LossTotals, Error>;
    /// Adds the norms of the current weights and gradient to `stats`.
    fn observe_params(&self, stats: &mut [LayerStats]);
}

/// One step's statistics without the step: observation, then the gradient
/// pass (which leaves the gradient of `data`), then the parameter norms.
#[inline(never)]
pub(crate) fn observe_step<T: Observe>(
    t: &mut T,
    data: &Samples<'_>,
    stats: &mut [LayerStats],
) -> Result<LossTotals, Error> {
    t.observe_pass(data, stats);
    let totals = t.observed_gradient(data)?;
    t.observe_params(stats);
    Ok(totals)
}

/// [`super::train_epoch`] with every step observed into `stats`.
#[inline(never)]
pub(crate) fn train_epoch_observed<T: Observe>(
    t: &mut T,
    data: &Samples<'_>,
    batching: Batching,
    stats: &mut [LayerStats],
) -> Result<Metrics, Error> {
    match batching {
        Batching::Full => {
            let totals = observe_step(t, data, stats)?;
            t.step()?;
            Ok(Metrics::from_totals(&totals))
        }
        Batching::MiniBatch(size) => {
            let mut totals = LossTotals::default();
            for batch in data.batches(size.get()) {
                let b = observe_step(t, &batch, stats)?;
                t.step()?;
                totals.loss_sum += b.loss_sum;
                totals.correct += b.correct;
                totals.count += b.count;
            }
            Ok(Metrics::from_totals(&totals))
        }
    }
}

/// Adds `‖W_k‖_F` of `model` and `‖∂L/∂W_k‖_F` of `grad` to `stats[k]`.
pub(crate) fn observe_params<M: Layers, G: Layers>(model: &M, grad: &G, stats: &mut [LayerStats]) {
    for (k, s) in stats.iter_mut().enumerate().take(model.count()) {
        s.weight_norm_sum += norm(model.layer(k).weights);
        s.weight_grad_norm_sum += norm(grad.layer(k).weights);
    }
}

/// The observation pass: the statistics of `data` at `model`'s weights, in
/// micro-batches of `work.cap`, with `scratch` (shaped as the model; zeroed
/// here) holding each unit's "alive" flag in its bias slot and the
/// normalization's parameter gradients.
pub(crate) fn observe_pass<M: Layers, G: LayersMut>(
    model: &M,
    scratch: &mut G,
    work: &mut Work<'_>,
    data: &Samples<'_>,
    stats: &mut [LayerStats],
) {
    debug_assert!(model.count() <= MAX_LAYERS && stats.len() == model.count());
    zero(scratch);
    // The zero-skipping forward kernels where training runs them: the same bits.
    let skip = skipping_is_exact(model);
    let n = data.len();
    let f = data.features();
    let mut sq = [0.0f64; MAX_LAYERS];
    for (x, y) in data.x().chunks(work.cap * f).zip(data.y().chunks(work.cap)) {
        micro_batch(model, scratch, work, skip, (x, y), n, stats, &mut sq);
    }
    for (k, s) in stats.iter_mut().enumerate().take(model.count()) {
        s.input_grad_norm_sum += libm::sqrt(sq[k]);
        let alive = scratch.layer(k).bias;
        s.steps += 1;
        s.units += alive.len() as u64;
        s.dead_units += alive.iter().filter(|&&a| a == 0.0).count() as u64;
    }
}

/// Adds `‖δ·Wᵀ‖²` of a micro-batch to `sum`: per sample `s` and input
/// `i`, the `f64` dot product of `δ_s` and row `i` of `W`, squared and
/// added in that order (the input layer's, whose input gradient the
/// engine never computes).
///
/// The (sample, input) pairs are taken [`DOTS`] at a time in that order,
/// their dot products computed side by side (each its own chain over `j`
/// ascending) and their squares then added in order: the same bits as one
/// pair after the other, without waiting on each chain in turn.
fn input_grad_sq(delta: &[f32], w: &[f32], fan_out: usize, sum: &mut f64) {
    if fan_out == 0 {
        return;
    }
    let fan_in = w.len() / fan_out;
    let pairs = (delta.len() / fan_out) * fan_in;
    let row = |p: usize| {
        let (s, i) = (p / fan_in, p % fan_in);
        (&delta[s * fan_out..(s + 1) * fan_out], &w[i * fan_out..(i + 1) * fan_out])
    };
    let mut p = 0;
    while p + DOTS <= pairs {
        let rows: [(&[f32], &[f32]); DOTS] = core::array::from_fn(|q| row(p + q));
        let mut dots = [0.0f64; DOTS];
        for j in 0..fan_out {
            for (dot, (d, wr)) in dots.iter_mut().zip(&rows) {
                *dot += f64::from(d[j]) * f64::from(wr[j]);
            }
        }
        for dot in dots {
            *sum += dot * dot;
        }
        p += DOTS;
    }
    for q in p..pairs {
        let (d, wr) = row(q);
        let dot = d.iter().zip(wr).fold(0.0f64, |acc, (&d, &wij)| acc + f64::from(d) * f64::from(wij));
        *sum += dot * dot;
    }
}

/// Dot products [`input_grad_sq`] computes side by side.
const DOTS: usize = 8;

/// Layer `k`'s forward statistics of one micro-batch: `z` before the
/// activation (the ReLU, applied here, for a hidden layer).
fn forward_stats<G: LayersMut>(
    scratch: &mut G,
    stats: &mut [LayerStats],
    k: usize,
    z: &mut [f32],
    hidden: bool,
) {
    stats[k].add_layer(z, scratch.layer_mut(k).bias, hidden);
}

/// Forward and backward pass of up to `work.cap` samples (of `n` in the
/// step), adding their forward statistics to `stats` and their squared
/// input gradients to `sq` (by layer).
#[allow(clippy::too_many_arguments)]
fn micro_batch<M: Layers, G: LayersMut>(
    model: &M,
    scratch: &mut G,
    work: &mut Work<'_>,
    skip: bool,
    (x, y): (&[f32], &[u8]),
    n: usize,
    stats: &mut [LayerStats],
    sq: &mut [f64; MAX_LAYERS],
) {
    let count = model.count();
    let (b, cap) = (y.len(), work.cap);
    let out = model.layer(count - 1);
    let classes = out.fan_out;
    let probs = &mut work.probs[..b * classes];

    // Forward, keeping every hidden layer's output, as the gradient pass.
    if count == 1 {
        forward_layer(out, x, probs, false);
    } else {
        let l0 = model.layer(0);
        let first = &mut work.first[..b * l0.fan_out];
        forward_layer(l0, x, first, false);
        if let Some(n) = l0.norm {
            let stash = norm_stash(model, (&mut *work.norm_xhat, &mut *work.norm_inv_std), cap, 0, b);
            kernels::layer_norm_forward(first, n.gain, n.shift, Some(stash));
        }
        forward_stats(scratch, stats, 0, first, true);
        let mut offset = 0;
        for k in 1..count - 1 {
            let l = model.layer(k);
            let (input, output): (&[f32], &mut [f32]) = if k == 1 {
                (&work.first[..b * l.fan_in], &mut work.rest[..b * l.fan_out])
            } else {
                let (before, after) = work.rest.split_at_mut(offset + cap * l.fan_in);
                (&before[offset..offset + b * l.fan_in], &mut after[..b * l.fan_out])
            };
            forward_layer(l, input, output, skip);
            if let Some(n) = l.norm {
                let stash = norm_stash(model, (&mut *work.norm_xhat, &mut *work.norm_inv_std), cap, k, b);
                kernels::layer_norm_forward(output, n.gain, n.shift, Some(stash));
            }
            forward_stats(scratch, stats, k, output, true);
            if k > 1 {
                offset += cap * l.fan_in;
            }
        }
        let last = act(model, work.first, work.rest, cap, count - 2, b);
        forward_layer(out, last, probs, skip && output_skips(classes));
    }
    forward_stats(scratch, stats, count - 1, probs, false);
    kernels::softmax_rows(probs, classes);

    // Backward: `δ` of each layer, from the logits down. `∂L/∂x` of layers 1 … L−1 is the
    // input-gradient kernel's output (before the ReLU mask below), of layer 0 an `f64` dot.
    kernels::softmax_cross_entropy_grad(probs, y, classes, n as f32);
    if count == 1 {
        input_grad_sq(probs, out.weights, classes, &mut sq[0]);
        return;
    }
    let (first, rest) = (&*work.first, &*work.rest);
    let stash = (&mut *work.norm_xhat, &mut *work.norm_inv_std);
    let (mut d, mut d_next) = (&mut *work.grad_a, &mut *work.grad_b);
    let below = act(model, first, rest, cap, count - 2, b);
    let dl = &mut d[..below.len()];
    kernels::backward_input(probs, out.weights, dl, classes);
    add_squares(dl, &mut sq[count - 1]);
    kernels::relu_backward_in_place(below, dl);
    for k in (0..count - 1).rev() {
        let l = model.layer(k);
        let dk = &mut d[..b * l.fan_out];
        norm_backward(model, scratch, (&mut *stash.0, &mut *stash.1), cap, k, dk);
        if k == 0 {
            input_grad_sq(dk, l.weights, l.fan_out, &mut sq[0]);
            break;
        }
        let below = act(model, first, rest, cap, k - 1, b);
        let dn = &mut d_next[..b * l.fan_in];
        kernels::backward_input(dk, l.weights, dn, l.fan_out);
        add_squares(dn, &mut sq[k]);
        kernels::relu_backward_in_place(below, dn);
        core::mem::swap(&mut d, &mut d_next);
    }
}

/// Adds `Σ v²` to `sum`, each square in `f64`, in order.
fn add_squares(v: &[f32], sum: &mut f64) {
    for &x in v {
        let x = f64::from(x);
        *sum += x * x;
    }
}

// The gradient pass's helpers, repeated here so that the unobserved pass
// (`super::gradient`) is the code it was, to the byte.

/// Hidden layer `k`'s output, `b` rows (as the gradient pass's `act`).
fn act<'w, M: Layers>(
    model: &M,
    first: &'w [f32],
    rest: &'w [f32],
    cap: usize,
    k: usize,
    b: usize,
) -> &'w [f32] {
    let width = model.layer(k).fan_out;
    if k == 0 {
        &first[..b * width]
    } else {
        let o: usize = (1..k).map(|j| cap * model.layer(j).fan_out).sum();
        &rest[o..o + b * width]
    }
}

/// Hidden layer `k`'s slices of [`Work::norm_xhat`] (`b` rows) and
/// [`Work::norm_inv_std`] (`b` values).
fn norm_stash<'w, M: Layers>(
    model: &M,
    (xhat, inv): (&'w mut [f32], &'w mut [f32]),
    cap: usize,
    k: usize,
    b: usize,
) -> (&'w mut [f32], &'w mut [f32]) {
    let o: usize = (0..k).map(|j| cap * model.layer(j).fan_out).sum();
    let width = model.layer(k).fan_out;
    (&mut xhat[o..o + b * width], &mut inv[cap * k..cap * k + b])
}

/// If hidden layer `k` is normalized: turns `d`, the gradient with respect
/// to its normalization's outputs, into the gradient with respect to its
/// dense outputs ([`kernels::layer_norm_backward`], its gain and shift
/// gradients into `scratch`).
fn norm_backward<M: Layers, G: LayersMut>(
    model: &M,
    scratch: &mut G,
    stash: (&mut [f32], &mut [f32]),
    cap: usize,
    k: usize,
    d: &mut [f32],
) {
    let Some(n) = model.layer(k).norm else { return };
    let b = d.len() / n.gain.len();
    let (xhat, inv) = norm_stash(model, stash, cap, k, b);
    let g = scratch.layer_mut(k).norm.expect("the scratch has the model's shape");
    kernels::layer_norm_backward(d, xhat, inv, n.gain, g.gain, g.shift);
}
