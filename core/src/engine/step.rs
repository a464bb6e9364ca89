//! One Adam step over every parameter, all or nothing.

use super::{Layers, LayersMut};
use crate::error::Error;
use crate::kernels;
use crate::optimizer::Adam;

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
