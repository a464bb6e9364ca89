//! The one implementation of training: initialization, the forward and
//! backward passes, the Adam step, evaluation and checkpoints of a dense
//! ReLU network, whatever holds its parameters.
//!
//! The compile-time [`crate::Mlp`]/[`crate::Trainer`] and the run-time
//! [`crate::Network`]/[`crate::NetworkTrainer`] differ only in where their
//! numbers live (nested arrays or one flat buffer); both hand this module
//! their layers through [`Layers`] and their workspace as flat slices, and
//! every loop below runs the kernels of [`crate::kernels`] on them. So the two
//! give the same bits for the same shape, seed and data.

use crate::checkpoint::{self, MAGIC, NORMALIZED_VERSION, VERSION, crc32};
use crate::data::Samples;
use crate::error::Error;
use crate::init::{Init, Sampler};
use crate::kernels::{self, LossTotals};
use crate::layers::{LayerView, LayerViewMut, NormView, NormViewMut};
use crate::loss::Metrics;
use crate::model::Batching;
use crate::optimizer::Adam;
use crate::shape::{Normalization, Shape};
use rand_core::Rng;

/// A network's dense layers, by index (`0` is the input layer).
pub(crate) trait Layers {
    /// Number of dense layers.
    fn count(&self) -> usize;
    /// Layer `k`'s parameters.
    fn layer(&self, k: usize) -> LayerView<'_>;
}

/// [`Layers`] that can be written.
pub(crate) trait LayersMut: Layers {
    /// Layer `k`'s parameters, mutably.
    fn layer_mut(&mut self, k: usize) -> LayerViewMut<'_>;
}

/// A flat parameter buffer laid out as a checkpoint's body: per layer its
/// weights (row-major), then its biases, then (hidden layers of a normalized
/// shape) its normalization's gains and shifts.
pub(crate) struct Flat<'a> {
    pub(crate) shape: &'a Shape,
    pub(crate) data: &'a [f32],
}

/// [`Flat`], mutable.
pub(crate) struct FlatMut<'a> {
    pub(crate) shape: &'a Shape,
    pub(crate) data: &'a mut [f32],
}

/// Layer `k`'s `(fan_in, fan_out)`, the offsets of its weights and biases,
/// and the end of its parameters (after any normalization's).
fn flat_ranges(shape: &Shape, k: usize) -> (usize, usize, usize, usize, usize) {
    let (fan_in, fan_out) = shape.layer(k);
    let w = shape.parameter_offset(k);
    let b = w + fan_in * fan_out;
    let end = b + if shape.normalized(k) { 3 * fan_out } else { fan_out };
    (fan_in, fan_out, w, b, end)
}

/// Layer `k` of a flat parameter buffer laid out for `shape` (weights, then
/// biases, then any normalization's gains and shifts, layer after layer).
pub(crate) fn flat_layer<'a>(shape: &Shape, data: &'a [f32], k: usize) -> LayerView<'a> {
    let (fan_in, fan_out, w, b, end) = flat_ranges(shape, k);
    let (weights, rest) = data[w..end].split_at(b - w);
    let (bias, norm) = rest.split_at(fan_out);
    let norm = (!norm.is_empty()).then(|| {
        let (gain, shift) = norm.split_at(fan_out);
        NormView { gain, shift }
    });
    LayerView { fan_in, fan_out, weights, bias, norm }
}

impl Layers for Flat<'_> {
    fn count(&self) -> usize {
        self.shape.layers()
    }
    fn layer(&self, k: usize) -> LayerView<'_> {
        flat_layer(self.shape, self.data, k)
    }
}

impl Layers for FlatMut<'_> {
    fn count(&self) -> usize {
        self.shape.layers()
    }
    fn layer(&self, k: usize) -> LayerView<'_> {
        flat_layer(self.shape, self.data, k)
    }
}

impl LayersMut for FlatMut<'_> {
    fn layer_mut(&mut self, k: usize) -> LayerViewMut<'_> {
        let (fan_in, fan_out, w, b, end) = flat_ranges(self.shape, k);
        let (weights, rest) = self.data[w..end].split_at_mut(b - w);
        let (bias, norm) = rest.split_at_mut(fan_out);
        let norm = (!norm.is_empty()).then(|| {
            let (gain, shift) = norm.split_at_mut(fan_out);
            NormViewMut { gain, shift }
        });
        LayerViewMut { fan_in, fan_out, weights, bias, norm }
    }
}

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

/// Sets every parameter to `+0`.
pub(crate) fn zero<P: LayersMut>(p: &mut P) {
    for k in 0..p.count() {
        for part in p.layer_mut(k).into_parts() {
            part.fill(0.0);
        }
    }
}

/// Whether any layer is followed by a layer normalization.
fn has_norm<M: Layers>(model: &M) -> bool {
    (0..model.count()).any(|k| model.layer(k).norm.is_some())
}

/// Initializes layer `k` with `inits(k)`, layer by layer from one
/// [`Sampler`] (the stream of [`crate::init`]), biases zero, normalization
/// gains 1 and shifts 0 (which draw nothing, so a normalized network sees
/// the same weights as an unnormalized one of the same seed). Every
/// initializer is checked first: on error nothing is written or drawn.
pub(crate) fn init<P: LayersMut, R: Rng>(
    p: &mut P,
    inits: impl Fn(usize) -> Init,
    rng: &mut R,
) -> Result<(), Error> {
    for k in 0..p.count() {
        inits(k).validate()?;
    }
    let mut sampler = Sampler::new(rng);
    for k in 0..p.count() {
        let l = p.layer_mut(k);
        inits(k).fill(l.weights, l.fan_in, l.fan_out, &mut sampler);
        l.bias.fill(0.0);
        if let Some(n) = l.norm {
            n.gain.fill(1.0);
            n.shift.fill(0.0);
        }
    }
    Ok(())
}

/// Whether every value is finite (branch-free, so that it vectorizes).
fn all_finite(v: &[f32]) -> bool {
    v.iter().fold(true, |ok, x| ok & x.is_finite())
}

/// Whether every parameter is finite.
pub(crate) fn is_finite<M: Layers>(model: &M) -> bool {
    (0..model.count()).all(|k| model.layer(k).parts().into_iter().all(all_finite))
}

/// Whether the zero-skipping kernels give exactly the dense kernels'
/// results for this model: every weight finite and no bias `−0` (see
/// [`kernels`]'s notes on zero-skipping). Reads every parameter once.
pub(crate) fn skipping_is_exact<M: Layers>(model: &M) -> bool {
    (0..model.count()).all(|k| {
        let l = model.layer(k);
        all_finite(l.weights) && l.bias.iter().fold(true, |ok, b| ok & (b.to_bits() != (-0.0f32).to_bits()))
    })
}

/// Whether a layer with `fan_out` outputs runs the zero-skipping kernels
/// when its inputs are ReLU outputs: a layer narrower than one 8-lane
/// vector is faster dense.
fn output_skips(fan_out: usize) -> bool {
    fan_out >= 8
}

/// `y = x·W + b` for layer `l`, zero-skipping when `sparse`.
fn forward_layer(l: LayerView<'_>, x: &[f32], y: &mut [f32], sparse: bool) {
    if sparse {
        kernels::sparse_affine_forward(x, l.weights, l.bias, y);
    } else {
        kernels::affine_forward(x, l.weights, l.bias, y);
    }
}

/// The logits `z` of a batch `x` (`b` rows), with the hidden activations in
/// the ping-pong buffers `a` and `b` (each at least `b·H` long). With
/// `skip` the layers whose inputs are ReLU outputs run the zero-skipping
/// kernels, which give the same bits when [`skipping_is_exact`] holds.
pub(crate) fn forward<M: Layers>(
    model: &M,
    x: &[f32],
    skip: bool,
    (a, b): (&mut [f32], &mut [f32]),
    z: &mut [f32],
) {
    let count = model.count();
    let rows = x.len() / model.layer(0).fan_in;
    let (mut a, mut b) = (a, b);
    for k in 0..count {
        let l = model.layer(k);
        let sparse = skip && k > 0 && (k + 1 < count || output_skips(l.fan_out));
        let input: &[f32] = if k == 0 { x } else { &a[..rows * l.fan_in] };
        if k + 1 == count {
            forward_layer(l, input, &mut z[..rows * l.fan_out], sparse);
        } else {
            let out = &mut b[..rows * l.fan_out];
            forward_layer(l, input, out, sparse);
            if let Some(n) = l.norm {
                kernels::layer_norm_forward(out, n.gain, n.shift, None);
            }
            kernels::relu_in_place(out);
            core::mem::swap(&mut a, &mut b);
        }
    }
}

/// Mean loss and accuracy on `data`, `chunk` samples at a time, with the
/// scratch buffers `a` and `b` at least `chunk·H` long and `z` at least
/// `chunk·C` (see [`Shape::evaluation_scratch_len`]). Equal, bit for bit, to
/// the metrics a training pass reports for the same weights and data: every
/// kernel sums each output in the same order whatever the batch.
pub(crate) fn evaluate<M: Layers>(
    model: &M,
    data: &Samples<'_>,
    chunk: usize,
    (a, b, z): (&mut [f32], &mut [f32], &mut [f32]),
) -> Metrics {
    let classes = model.layer(model.count() - 1).fan_out;
    let skip = skipping_is_exact(model);
    let mut totals = LossTotals::default();
    let f = data.features();
    for (x, y) in data.x().chunks(chunk * f).zip(data.y().chunks(chunk)) {
        let z = &mut z[..y.len() * classes];
        forward(model, x, skip, (&mut *a, &mut *b), z);
        kernels::softmax_rows(z, classes);
        kernels::cross_entropy_accumulate(z, y, classes, &mut totals);
    }
    Metrics::from_totals(&totals)
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
/// Errors: [`Error::Diverged`] if the loss is not finite. The model never
/// changes.
pub(crate) fn gradient_pass<M: Layers, G: LayersMut>(
    model: &M,
    grad: &mut G,
    work: &mut Work<'_>,
    wt: Option<Transposed<'_>>,
    skip: bool,
    data: &Samples<'_>,
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
        micro_batch(model, grad, work, wt.as_ref(), skip, x, y, n, &mut totals);
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
#[allow(clippy::too_many_arguments)]
fn micro_batch<M: Layers, G: LayersMut>(
    model: &M,
    grad: &mut G,
    work: &mut Work<'_>,
    wt: Option<&Transposed<'_>>,
    skip: bool,
    x: &[f32],
    y: &[u8],
    n: usize,
    totals: &mut LossTotals,
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
        kernels::relu_in_place(first);
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
            kernels::relu_in_place(output);
            if k > 1 {
                offset += cap * l.fan_in;
            }
        }
        let last = act(model, work.first, work.rest, cap, count - 2, b);
        forward_layer(out, last, probs, skip && output_skips(classes));
    }
    kernels::softmax_rows(probs, classes);
    kernels::cross_entropy_accumulate(probs, y, classes, totals);

    // Backward.
    kernels::softmax_cross_entropy_grad(probs, y, classes, n as f32);
    if count == 1 {
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
                kernels::relu_backward_in_place(input, dn);
            }
        }
        core::mem::swap(&mut d, &mut d_next);
    }
    let d0 = &mut d[..b * model.layer(0).fan_out];
    norm_backward(model, grad, stash, cap, 0, d0);
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

/// One Adam step (`t = steps + 1`) with the gradient `grad`, all or
/// nothing.
///
/// Errors: [`Error::Diverged`] if any updated parameter or moment would not
/// be finite; then nothing changes (a first pass checks, a second writes).
/// The check is a cheap bound ([`kernels::adam_update_is_surely_finite`])
/// where it proves finiteness, else the exact update computed and dropped
/// ([`kernels::adam_update_is_finite`]): the same answer either way.
pub(crate) fn adam_step<P: LayersMut, G: Layers, V: LayersMut>(
    model: &mut P,
    grad: &G,
    (m1, m2): (&mut V, &mut V),
    adam: &Adam,
    steps: u64,
) -> Result<(), Error> {
    let step = adam.step(steps + 1);
    // Per layer, its weights, biases, gains and shifts (the last two empty
    // without normalization), each with its gradient and moments.
    let finite = (0..model.count()).all(|k| {
        let (p, g, m, v) =
            (model.layer(k).parts(), grad.layer(k).parts(), m1.layer(k).parts(), m2.layer(k).parts());
        (0..4).all(|i| {
            kernels::adam_update_is_surely_finite(p[i], g[i], m[i], v[i], &step)
                || kernels::adam_update_is_finite(p[i], g[i], m[i], v[i], &step)
        })
    });
    if !finite {
        return Err(Error::Diverged);
    }
    for k in 0..model.count() {
        let g = grad.layer(k).parts();
        let parts = model
            .layer_mut(k)
            .into_parts()
            .into_iter()
            .zip(m1.layer_mut(k).into_parts())
            .zip(m2.layer_mut(k).into_parts());
        for (i, ((p, m), v)) in parts.enumerate() {
            kernels::adam_update(p, g[i], m, v, &step);
        }
    }
    Ok(())
}

/// The normalization of `model`'s hidden layers.
fn normalization<M: Layers>(model: &M) -> Normalization {
    if has_norm(model) { Normalization::LayerNorm } else { Normalization::None }
}

/// Length of a checkpoint of `model`: `8 + 8·L + 4·P + 4` (version 1), 4
/// more for version 2.
pub(crate) fn checkpoint_len<M: Layers>(model: &M) -> usize {
    let params: usize =
        (0..model.count()).map(|k| model.layer(k).parts().iter().map(|p| p.len()).sum::<usize>()).sum();
    let v2 = if has_norm(model) { 4 } else { 0 };
    8 + v2 + 8 * model.count() + 4 * params + 4
}

/// Writes `model`'s checkpoint into `buf` (see [`crate::checkpoint`]).
///
/// Errors, checked in this order before anything is written:
/// [`Error::BufferTooSmall`], [`Error::NonFiniteParameter`] (a NaN or
/// infinite weight or bias, which [`decode_checkpoint`] would refuse: every
/// checkpoint written loads).
pub(crate) fn encode_checkpoint<M: Layers>(model: &M, buf: &mut [u8]) -> Result<usize, Error> {
    let len = checkpoint_len(model);
    let Some(out) = buf.get_mut(..len) else {
        return Err(Error::BufferTooSmall { needed: len });
    };
    if !is_finite(model) {
        return Err(Error::NonFiniteParameter);
    }
    let norm = normalization(model);
    let mut w = Writer { out, pos: 0 };
    w.put(&MAGIC);
    w.put(&(if norm == Normalization::None { VERSION } else { NORMALIZED_VERSION }).to_le_bytes());
    w.put(&(model.count() as u16).to_le_bytes());
    if norm != Normalization::None {
        w.put(&checkpoint::normalization_code(norm).to_le_bytes());
    }
    for k in 0..model.count() {
        let l = model.layer(k);
        w.put(&(l.fan_in as u32).to_le_bytes());
        w.put(&(l.fan_out as u32).to_le_bytes());
    }
    for k in 0..model.count() {
        for v in model.layer(k).parts().into_iter().flatten() {
            w.put(&v.to_le_bytes());
        }
    }
    let crc = crc32(&w.out[..w.pos]);
    w.put(&crc.to_le_bytes());
    debug_assert_eq!(w.pos, len);
    Ok(len)
}

/// Reads a checkpoint into `model`, in place, after checking everything
/// (see [`crate::Mlp::decode_checkpoint`] for the order of the checks).
pub(crate) fn decode_checkpoint<M: LayersMut>(model: &mut M, bytes: &[u8]) -> Result<(), Error> {
    let expected = checkpoint_len(model);
    let bad_length = Error::BadLength { expected, found: bytes.len() };
    if bytes.len() < 8 {
        return Err(bad_length);
    }
    if bytes[..4] != MAGIC {
        return Err(Error::BadMagic);
    }
    let (norm, start) = checkpoint::read_version(bytes).map_err(|e| match e {
        Error::BadLength { .. } => bad_length,
        e => e,
    })?;
    if norm != normalization(model) {
        return Err(Error::ShapeMismatch);
    }
    if usize::from(u16::from_le_bytes([bytes[6], bytes[7]])) != model.count() {
        return Err(Error::ShapeMismatch);
    }
    let header = start + 8 * model.count();
    let Some(shapes) = bytes.get(start..header) else {
        return Err(bad_length);
    };
    for (k, chunk) in shapes.chunks_exact(8).enumerate() {
        let l = model.layer(k);
        if read_u32(&chunk[..4]) as usize != l.fan_in || read_u32(&chunk[4..]) as usize != l.fan_out {
            return Err(Error::ShapeMismatch);
        }
    }
    if bytes.len() != expected {
        return Err(bad_length);
    }
    let (body, crc) = bytes.split_at(expected - 4);
    if crc32(body) != read_u32(crc) {
        return Err(Error::ChecksumMismatch);
    }
    let params = &body[header..];
    let value = |c: &[u8]| f32::from_le_bytes([c[0], c[1], c[2], c[3]]);
    if !params.chunks_exact(4).all(|c| value(c).is_finite()) {
        return Err(Error::NonFiniteParameter);
    }
    let mut values = params.chunks_exact(4).map(value);
    for k in 0..model.count() {
        for (dst, src) in model.layer_mut(k).into_parts().into_iter().flatten().zip(&mut values) {
            *dst = src;
        }
    }
    Ok(())
}

/// A little-endian `u32` from the first 4 bytes of `b`.
pub(crate) fn read_u32(b: &[u8]) -> u32 {
    u32::from_le_bytes([b[0], b[1], b[2], b[3]])
}

struct Writer<'a> {
    out: &'a mut [u8],
    pos: usize,
}

impl Writer<'_> {
    fn put(&mut self, bytes: &[u8]) {
        self.out[self.pos..self.pos + bytes.len()].copy_from_slice(bytes);
        self.pos += bytes.len();
    }
}

/// A trainer: computes the gradient of a data set and takes a step.
pub(crate) trait Optimize {
    /// The gradient of the mean loss over `data`, and the loss totals of
    /// its forward pass. The model never changes.
    fn gradient_totals(&mut self, data: &Samples<'_>) -> Result<LossTotals, Error>;
    /// One optimizer step with the current gradient, all or nothing.
    fn step(&mut self) -> Result<(), Error>;
}

/// One training epoch: the framework's `model.train` for one epoch. Returns
/// the loss and accuracy of the forward passes *before* each step's update,
/// accumulated over the epoch (the framework's `metric_dict` semantics).
pub(crate) fn train_epoch<T: Optimize>(
    t: &mut T,
    data: &Samples<'_>,
    batching: Batching,
) -> Result<Metrics, Error> {
    match batching {
        Batching::Full => {
            let totals = t.gradient_totals(data)?;
            t.step()?;
            Ok(Metrics::from_totals(&totals))
        }
        Batching::MiniBatch(size) => {
            let mut totals = LossTotals::default();
            for batch in data.batches(size.get()) {
                let b = t.gradient_totals(&batch)?;
                t.step()?;
                // As the framework's `calculate_accumulated`: the sum of the
                // batches' loss sums over the number of samples.
                totals.loss_sum += b.loss_sum;
                totals.correct += b.correct;
                totals.count += b.count;
            }
            Ok(Metrics::from_totals(&totals))
        }
    }
}
