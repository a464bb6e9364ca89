//! A flat parameter buffer (the run-time network's) seen as [`Layers`].

use super::{Layers, LayersMut};
use crate::layers::{LayerView, LayerViewMut, NormView, NormViewMut};
use crate::shape::Shape;

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
