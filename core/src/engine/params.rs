//! Operations on every parameter at once: zeroing, initialization, and the
//! checks that choose a kernel path or refuse a checkpoint.

use super::{Layers, LayersMut};
use crate::error::Error;
use crate::init::{Init, Sampler};
use crate::shape::Normalization;
use rand_core::Rng;

/// Sets every parameter to `+0`.
pub(crate) fn zero<P: LayersMut>(p: &mut P) {
    for k in 0..p.count() {
        for part in p.layer_mut(k).into_parts() {
            part.fill(0.0);
        }
    }
}

/// The normalization of `model`'s hidden layers: layer normalization if
/// any layer is followed by one.
pub(crate) fn normalization<M: Layers>(model: &M) -> Normalization {
    let has_norm = (0..model.count()).any(|k| model.layer(k).norm.is_some());
    if has_norm { Normalization::LayerNorm } else { Normalization::None }
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
pub(super) fn all_finite(v: &[f32]) -> bool {
    v.iter().fold(true, |ok, x| ok & x.is_finite())
}

/// Whether every parameter is finite.
pub(crate) fn is_finite<M: Layers>(model: &M) -> bool {
    (0..model.count()).all(|k| model.layer(k).parts().into_iter().all(all_finite))
}

/// Whether the zero-skipping kernels give exactly the dense kernels'
/// results for this model: every weight finite and no bias `−0` (see
/// [`crate::kernels`]'s notes on zero-skipping). Reads every parameter once.
pub(crate) fn skipping_is_exact<M: Layers>(model: &M) -> bool {
    (0..model.count()).all(|k| {
        let l = model.layer(k);
        all_finite(l.weights) && l.bias.iter().fold(true, |ok, b| ok & (b.to_bits() != (-0.0f32).to_bits()))
    })
}
