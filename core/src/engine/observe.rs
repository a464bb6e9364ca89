//! Observation: per-layer statistics of a step ([`LayerStats`]), taken
//! by the step's own gradient pass as it runs.
//!
//! An observed step runs [`gradient_pass`] with an [`Observer`]: the
//! same forward, loss and weight-gradient kernels as the unobserved pass
//! (same bits), but input gradients computed densely and observed before
//! their ReLU mask (the unobserved pass may skip the masked ones; both give
//! the same bits where the mask keeps them). The parameters, moments and
//! counters are never touched by the observer, so training with
//! observation gives the same bits as without.

use super::gradient::{Probe, gradient_pass};
use super::{Layers, LayersMut, Optimize, Work};
use crate::data::Samples;
use crate::error::Error;
use crate::kernels::LossTotals;
use crate::layer_stats::{LayerStats, norm};
use crate::loss::Metrics;
use crate::shape::MAX_LAYERS;

use super::Batching;

/// A trainer that can observe its steps.
pub(crate) trait Observe: Optimize {
    /// The gradient pass of an observed step: the gradient and totals of
    /// [`Optimize::gradient_totals`], bit for bit, adding the step's
    /// statistics (all but the parameter norms) to `stats`
    /// ([`observed_gradient_pass`]).
    fn observed_gradient(
        &mut self,
        data: &Samples<'_>,
        stats: &mut [LayerStats],
    ) -> Result<LossTotals, Error>;
    /// Adds the norms of the current weights and gradient to `stats`.
    fn observe_params(&self, stats: &mut [LayerStats]);
}

/// One step's statistics without the step: the observed gradient pass
/// (which leaves the gradient of `data`), then the parameter norms.
#[inline(never)]
pub(crate) fn observe_step<T: Observe>(
    t: &mut T,
    data: &Samples<'_>,
    stats: &mut [LayerStats],
) -> Result<LossTotals, Error> {
    let totals = t.observed_gradient(data, stats)?;
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

/// Units (`Σ fan_out` over the layers) an observed step can follow: every
/// network a [`crate::Shape`] allows on hosted targets (32 KiB of stack
/// for their flags), 4096 on targets without an operating system (512
/// bytes).
pub(crate) const OBSERVABLE_UNITS: usize =
    if cfg!(target_os = "none") { 4096 } else { MAX_LAYERS * crate::shape::MAX_WIDTH };

/// Whether a model's steps can be observed: it has at most
/// [`OBSERVABLE_UNITS`] units.
pub(crate) fn observable<M: Layers>(model: &M) -> bool {
    (0..model.count()).map(|k| model.layer(k).fan_out).sum::<usize>() <= OBSERVABLE_UNITS
}

/// The gradient pass of a step ([`gradient_pass`], dense input
/// gradients) observed into `stats`: every statistic but the parameter
/// norms. `model` must be [`observable`].
///
/// Errors: those of the gradient pass; `stats` may then hold part of the
/// step.
pub(crate) fn observed_gradient_pass<M: Layers, G: LayersMut>(
    model: &M,
    grad: &mut G,
    work: &mut Work<'_>,
    skip: bool,
    data: &Samples<'_>,
    stats: &mut [LayerStats],
) -> Result<LossTotals, Error> {
    debug_assert!(model.count() <= MAX_LAYERS && stats.len() == model.count() && observable(model));
    let mut observer = Observer {
        stats,
        squares: [0.0; MAX_LAYERS],
        alive: [0; OBSERVABLE_UNITS / 64],
        first_unit: [0; MAX_LAYERS + 1],
        held: [0.0; HELD],
        held_at: [None; MAX_LAYERS],
        held_len: 0,
    };
    for k in 0..model.count() {
        observer.first_unit[k + 1] = observer.first_unit[k] + model.layer(k).fan_out;
    }
    let totals = gradient_pass(model, grad, work, None, skip, data, &mut observer)?;
    for k in 0..model.count() {
        let units = observer.first_unit[k]..observer.first_unit[k + 1];
        let living = units.clone().filter(|&u| observer.alive[u / 64] >> (u % 64) & 1 == 1).count();
        let s = &mut observer.stats[k];
        s.input_grad_norm_sum += libm::sqrt(observer.squares[k]);
        s.steps += 1;
        s.units += units.len() as u64;
        s.dead_units += (units.len() - living) as u64;
    }
    Ok(totals)
}

/// The [`Probe`] of an observed step: what the gradient pass shows it, added
/// to `stats` in the pass's order (samples, then units: the order of
/// [`crate::layer_stats`]).
struct Observer<'s> {
    stats: &'s mut [LayerStats],
    /// `Σ (∂L/∂x)²` of each layer so far.
    squares: [f64; MAX_LAYERS],
    /// One bit per unit, layer after layer (layer `k`'s from bit
    /// `first_unit[k]` to `first_unit[k + 1]`): set once the
    /// unit's activation was nonzero for a sample of the step.
    alive: [u64; OBSERVABLE_UNITS / 64],
    first_unit: [usize; MAX_LAYERS + 1],
    /// Hidden layers' pre-activations of the current micro-batch, held
    /// until the gradient passed down to them is known, so that their
    /// statistics and that gradient's squares are summed in one loop (two
    /// independent chains at a time instead of one).
    held: [f32; HELD],
    /// Where layer `k`'s are in `held`, if they are.
    held_at: [Option<usize>; MAX_LAYERS],
    /// Values in `held`.
    held_len: usize,
}

/// Pre-activations an [`Observer`] can hold (64 KiB of stack on hosted
/// targets, the paper's network at micro-batch 32 needs 6144; none on
/// targets without an operating system, where each layer's are added as
/// they come).
const HELD: usize = if cfg!(target_os = "none") { 0 } else { 16384 };

impl Observer<'_> {
    /// Layer `k`'s units (`fan_out`).
    fn width(&self, k: usize) -> usize {
        self.first_unit[k + 1] - self.first_unit[k]
    }
}

impl Probe for Observer<'_> {
    fn relu(&mut self, k: usize, z: &mut [f32]) {
        if k == 0 {
            self.held_len = 0;
        }
        let at = self.held_len;
        match self.held.get_mut(at..at + z.len()) {
            Some(held) => {
                held.copy_from_slice(z);
                crate::kernels::relu_in_place(z);
                self.held_at[k] = Some(at);
                self.held_len += z.len();
            }
            None => {
                let width = self.width(k);
                self.stats[k].add_layer(z, (&mut self.alive, self.first_unit[k]), width, true);
            }
        }
    }

    fn logits(&mut self, k: usize, z: &mut [f32]) {
        let width = self.width(k);
        self.stats[k].add_layer(z, (&mut self.alive, self.first_unit[k]), width, false);
    }

    fn passed_down(&mut self, k: usize, dx: &[f32]) {
        // `∂L/∂x` of layer `k` has the shape of layer `k − 1`'s outputs.
        match self.held_at[k - 1].take() {
            Some(at) => {
                let width = self.width(k - 1);
                let z = &mut self.held[at..at + dx.len()];
                let alive = (&mut self.alive[..], self.first_unit[k - 1]);
                let squares = (dx, &mut self.squares[k]);
                self.stats[k - 1].add_hidden_layer_and_squares(z, alive, width, squares);
            }
            None => add_squares(dx, &mut self.squares[k]),
        }
    }

    fn input_layer(&mut self, delta: &[f32], w: &[f32], fan_out: usize) {
        input_grad_sq(delta, w, fan_out, &mut self.squares[0]);
    }
}

/// Adds `‖W_k‖_F` of `model` and `‖∂L/∂W_k‖_F` of `grad` to `stats[k]`.
pub(crate) fn observe_params<M: Layers, G: Layers>(model: &M, grad: &G, stats: &mut [LayerStats]) {
    for (k, s) in stats.iter_mut().enumerate().take(model.count()) {
        s.weight_norm_sum += norm(model.layer(k).weights);
        s.weight_grad_norm_sum += norm(grad.layer(k).weights);
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

/// Adds `Σ v²` to `sum`, each square in `f64`, in order.
fn add_squares(v: &[f32], sum: &mut f64) {
    for &x in v {
        let x = f64::from(x);
        *sum += x * x;
    }
}
