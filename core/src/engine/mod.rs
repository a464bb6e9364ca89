//! The one implementation of training: initialization, the forward and
//! backward passes, the Adam step and evaluation of a dense ReLU network,
//! whatever holds its parameters.
//!
//! The compile-time [`crate::Mlp`]/[`crate::Trainer`] and the run-time
//! [`crate::Network`]/[`crate::NetworkTrainer`] differ only in where their
//! numbers live (nested arrays or one flat buffer); both hand this module
//! their layers through [`Layers`] and their workspace as flat slices, and
//! every loop of this module runs the kernels of [`crate::kernels`] on them.
//! So the two give the same bits for the same shape, seed and data.
//! ([`crate::checkpoint`] reads and writes the same [`Layers`].)
//!
//! By concern: [`flat`] (a flat parameter buffer as layers), [`params`]
//! (zeroing, initialization, finiteness), [`forward`](mod@forward) (the
//! forward pass and evaluation), [`gradient`] (the backward pass), [`step`]
//! (the Adam step), [`epoch`] (an epoch of steps, and [`Batching`]) and
//! [`observe`] (per-layer statistics of steps, [`crate::LayerStats`]).

mod epoch;
mod flat;
mod forward;
mod gradient;
mod observe;
mod params;
mod step;

pub use epoch::Batching;
pub(crate) use epoch::{Optimize, train_epoch};
pub(crate) use flat::{Flat, FlatMut, flat_layer};
pub(crate) use forward::{evaluate, forward};
pub(crate) use gradient::{NoProbe, Transposed, Work, gradient_pass};
pub(crate) use observe::{
    OBSERVABLE_UNITS, Observe, observable, observe_params, observe_step, observed_gradient_pass,
    train_epoch_observed,
};
pub(crate) use params::{init, is_finite, normalization, skipping_is_exact, zero};
pub(crate) use step::adam_step;

use crate::layers::{LayerView, LayerViewMut};

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
