//! The backward pass: the gradient of the mean loss over a data set, in
//! micro-batches, into a gradient shaped as the model.

use super::forward::{forward_layer, output_skips};
use super::params::all_finite;
use super::{Layers, LayersMut, zero};
use crate::data::Samples;
use crate::error::Error;
use crate::kernels::{self, LossTotals};

/// Activations and gradients for micro-batches of up to `cap` samples.
///
/// The output of hidden layer 0 (after ReLU) is `first`; the outputs of
/// hidden layers `1 … L−2` follow one another in `rest`, `cap` rows each.
/// (Two slices rather than one, so that the compile-time trainer can hand
/// over its arrays without copying.) For a normalized network, `norm_xhat`
/// holds each hidden layer's normalized values (`cap` rows each, layer
/// after layer) and `norm_inv_std` each sample's `1/σ` (`cap` per hidden
/// layer); both are empty otherwise.
pub(crate) struct Work<'a> {
    pub(crate) cap: usize,
    pub(crate) first: &'a mut [f32],
    pub(crate) rest: &'a mut [f32],
    pub(crate) probs: &'a mut [f32],
    pub(crate) grad_a: &'a mut [f32],
    pub(crate) grad_b: &'a mut [f32],
    pub(crate) norm_xhat: &'a mut [f32],
    pub(crate) norm_inv_std: &'a mut [f32],
}

/// What a gradient pass shows an observer ([`super::observe`]) as it runs:
/// every call is at a point the pass reaches anyway, with values it has
/// computed anyway. [`NoProbe`], the unobserved pass, only applies the
/// ReLU.
pub(crate) trait Probe {
    /// Hidden layer `k`'s pre-activations `z` of a micro-batch (after its
    /// normalization): replaces them by `ReLU(z)`, bit for bit
    /// [`kernels::relu_in_place`].
    fn relu(&mut self, k: usize, z: &mut [f32]);
    /// The output layer's (`k`'s) logits of a micro-batch, before the
    /// softmax; left as they are.
    fn logits(&mut self, k: usize, z: &mut [f32]);
    /// `∂L/∂x` of layer `k ≥ 1` over a micro-batch: the dense
    /// input-gradient kernel's output, before the ReLU mask of the layer
    /// below. Called only by a pass without transposed weights.
    fn passed_down(&mut self, k: usize, dx: &[f32]);
    /// The input layer's `δ` of a micro-batch (with respect to its dense
    /// outputs) and its weights `w` (`fan_out` columns): the ingredients
    /// of its `∂L/∂x`, which training never computes.
    fn input_layer(&mut self, delta: &[f32], w: &[f32], fan_out: usize);
}

/// The unobserved pass's [`Probe`]: the ReLU, and nothing else.
pub(crate) struct NoProbe;

impl Probe for NoProbe {
    #[inline(always)]
    fn relu(&mut self, _: usize, z: &mut [f32]) {
        kernels::relu_in_place(z);
    }
    #[inline(always)]
    fn logits(&mut self, _: usize, _: &mut [f32]) {}
    #[inline(always)]
    fn passed_down(&mut self, _: usize, _: &[f32]) {}
    #[inline(always)]
    fn input_layer(&mut self, _: &[f32], _: &[f32], _: usize) {}
}

/// Transposed weights: layers `1 … L−2` one after another in `mid`, the
/// output layer in `last`.
pub(crate) struct Transposed<'a> {
    pub(crate) mid: &'a mut [f32],
    pub(crate) last: &'a mut [f32],
}

/// The offset, in [`Work::rest`], of hidden layer `k`'s output (`k ≥ 1`):
/// `cap·(n₂ + … + n_k)`.
fn rest_offset<M: Layers>(model: &M, cap: usize, k: usize) -> usize {
    (1..k).map(|j| cap * model.layer(j).fan_out).sum()
}

/// Hidden layer `k`'s output, `b` rows.
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
        let o = rest_offset(model, cap, k);
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

/// Transposes the weights of layers `1 … L−1` into `t`.
fn transpose_into<M: Layers>(model: &M, t: &mut Transposed<'_>) {
    let count = model.count();
    let mut o = 0;
    for k in 1..count {
        let l = model.layer(k);
        let n = l.fan_in * l.fan_out;
        let dst = if k + 1 == count { &mut t.last[..n] } else { &mut t.mid[o..o + n] };
        kernels::transpose(l.weights, l.fan_out, dst);
        if k + 1 < count {
            o += n;
        }
    }
}

/// Computes the gradient of the mean loss over `data` into `grad` (zeroed
/// first), in micro-batches of `work.cap` samples, and returns the loss
/// totals of this forward pass.
///
/// `skip` must be [`skipping_is_exact`]`(model)` or `false`. With `skip`
/// and transposed-weight buffers `wt`, the weights are transposed once for
/// the whole pass and the input gradients run along rows.
///
/// `probe` sees what the pass computes ([`Probe`]): [`NoProbe`] for
/// training; an observing probe needs `wt` to be `None` (its input
/// gradients are then computed densely, before the ReLU mask, as
/// [`Probe::passed_down`] wants).
///
/// Errors: [`Error::Diverged`] if the loss is not finite. The model never
/// changes.
///
/// [`skipping_is_exact`]: super::skipping_is_exact
pub(crate) fn gradient_pass<M: Layers, G: LayersMut, P: Probe>(
    model: &M,
    grad: &mut G,
    work: &mut Work<'_>,
    wt: Option<Transposed<'_>>,
    skip: bool,
    data: &Samples<'_>,
    probe: &mut P,
) -> Result<LossTotals, Error> {
    zero(grad);
    let mut totals = LossTotals::default();
    let wt = match (skip, wt) {
        (true, Some(mut t)) => {
            transpose_into(model, &mut t);
            Some(t)
        }
        _ => None,
    };
    let n = data.len();
    let f = data.features();
    for (x, y) in data.x().chunks(work.cap * f).zip(data.y().chunks(work.cap)) {
        micro_batch(model, grad, work, wt.as_ref(), skip, (x, y), n, &mut totals, probe);
    }
    if !totals.loss_sum.is_finite() {
        return Err(Error::Diverged);
    }
    Ok(totals)
}

/// Forward and backward pass of up to `work.cap` samples, adding their
/// share of the gradient of the mean loss over `n` samples to `grad`.
///
/// With `skip`, for a model whose [`skipping_is_exact`] holds, it runs the
/// zero-skipping kernels: every sum gives the same bits, without the terms
/// that add `±0`. The input gradients then use the transposed weights `wt`
/// when given. The weight gradients skip only when the back-propagated
/// gradient is finite (`0·∞` is NaN); the gradient accumulators start at
/// `+0` ([`zero`]) and so are never `−0`. Without `skip` (and `wt` must then
/// be `None`) every kernel is the dense one. The first layer's inputs are
/// data, not ReLU outputs: it always runs dense.
///
/// [`skipping_is_exact`]: super::skipping_is_exact
#[allow(clippy::too_many_arguments)]
fn micro_batch<M: Layers, G: LayersMut, P: Probe>(
    model: &M,
    grad: &mut G,
    work: &mut Work<'_>,
    wt: Option<&Transposed<'_>>,
    skip: bool,
    (x, y): (&[f32], &[u8]),
    n: usize,
    totals: &mut LossTotals,
    probe: &mut P,
) {
    debug_assert!(skip || wt.is_none());
    let count = model.count();
    let (b, cap) = (y.len(), work.cap);
    let out = model.layer(count - 1);
    let classes = out.fan_out;
    let probs = &mut work.probs[..b * classes];

    // Forward, keeping every hidden layer's output.
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
        probe.relu(0, first);
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
            probe.relu(k, output);
            if k > 1 {
                offset += cap * l.fan_in;
            }
        }
        let last = act(model, work.first, work.rest, cap, count - 2, b);
        forward_layer(out, last, probs, skip && output_skips(classes));
    }
    probe.logits(count - 1, probs);
    kernels::softmax_rows(probs, classes);
    kernels::cross_entropy_accumulate(probs, y, classes, totals);

    // Backward.
    kernels::softmax_cross_entropy_grad(probs, y, classes, n as f32);
    if count == 1 {
        probe.input_layer(probs, out.weights, classes);
        let g = grad.layer_mut(0);
        kernels::accumulate_param_grad(x, probs, g.weights, g.bias);
        return;
    }
    let (first, rest) = (&*work.first, &*work.rest);
    let stash = (&mut *work.norm_xhat, &mut *work.norm_inv_std);
    let last = act(model, first, rest, cap, count - 2, b);
    {
        let g = grad.layer_mut(count - 1);
        if skip && output_skips(classes) && all_finite(probs) {
            kernels::sparse_accumulate_param_grad(last, probs, g.weights, g.bias);
        } else {
            kernels::accumulate_param_grad(last, probs, g.weights, g.bias);
        }
    }
    let (mut d, mut d_next) = (&mut *work.grad_a, &mut *work.grad_b);
    let dl = &mut d[..last.len()];
    match wt {
        Some(t) => {
            kernels::sparse_backward_input_relu(probs, &t.last[..out.fan_in * classes], last, dl, classes)
        }
        None => {
            kernels::backward_input(probs, out.weights, dl, classes);
            probe.passed_down(count - 1, dl);
            kernels::relu_backward_in_place(last, dl);
        }
    }
    // `d` is the gradient with respect to hidden layer k's output (after
    // its ReLU, masked); walk the hidden layers down to 1.
    let mut t_end =
        wt.map_or(0, |_| (1..count - 1).map(|j| model.layer(j).fan_in * model.layer(j).fan_out).sum());
    for k in (1..count - 1).rev() {
        let l = model.layer(k);
        let input = act(model, first, rest, cap, k - 1, b);
        norm_backward(model, grad, (&mut *stash.0, &mut *stash.1), cap, k, &mut d[..b * l.fan_out]);
        let dk = &d[..b * l.fan_out];
        {
            let g = grad.layer_mut(k);
            if skip && all_finite(dk) {
                kernels::sparse_accumulate_param_grad(input, dk, g.weights, g.bias);
            } else {
                kernels::accumulate_param_grad(input, dk, g.weights, g.bias);
            }
        }
        let dn = &mut d_next[..b * l.fan_in];
        match wt {
            Some(t) => {
                let nw = l.fan_in * l.fan_out;
                kernels::sparse_backward_input_relu(dk, &t.mid[t_end - nw..t_end], input, dn, l.fan_out);
                t_end -= nw;
            }
            None => {
                kernels::backward_input(dk, l.weights, dn, l.fan_out);
                probe.passed_down(k, dn);
                kernels::relu_backward_in_place(input, dn);
            }
        }
        core::mem::swap(&mut d, &mut d_next);
    }
    let d0 = &mut d[..b * model.layer(0).fan_out];
    norm_backward(model, grad, stash, cap, 0, d0);
    probe.input_layer(d0, model.layer(0).weights, model.layer(0).fan_out);
    let g = grad.layer_mut(0);
    kernels::accumulate_param_grad(x, d0, g.weights, g.bias);
}

/// If hidden layer `k` is normalized: turns `d`, the gradient with respect
/// to its normalization's outputs, into the gradient with respect to its
/// dense outputs, and adds the gain and shift gradients to `grad`
/// ([`kernels::layer_norm_backward`]).
fn norm_backward<M: Layers, G: LayersMut>(
    model: &M,
    grad: &mut G,
    stash: (&mut [f32], &mut [f32]),
    cap: usize,
    k: usize,
    d: &mut [f32],
) {
    let Some(n) = model.layer(k).norm else { return };
    let b = d.len() / n.gain.len();
    let (xhat, inv) = norm_stash(model, stash, cap, k, b);
    let g = grad.layer_mut(k).norm.expect("the gradient has the model's shape");
    kernels::layer_norm_backward(d, xhat, inv, n.gain, g.gain, g.shift);
}
