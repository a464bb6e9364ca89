//! The forward pass of a batch, and evaluation (loss and accuracy) in chunks.

use super::{Layers, skipping_is_exact};
use crate::data::Samples;
use crate::kernels::{self, LossTotals};
use crate::layers::LayerView;
use crate::loss::Metrics;

/// Whether a layer with `fan_out` outputs runs the zero-skipping kernels
/// when its inputs are ReLU outputs: a layer narrower than one 8-lane
/// vector is faster dense.
pub(super) fn output_skips(fan_out: usize) -> bool {
    fan_out >= 8
}

/// `y = x·W + b` for layer `l`, zero-skipping when `sparse`.
pub(super) fn forward_layer(l: LayerView<'_>, x: &[f32], y: &mut [f32], sparse: bool) {
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
/// `chunk·C` (see [`crate::Shape::evaluation_scratch_len`]). Equal, bit for bit, to
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
