//! Per-layer statistics of training passes: how the forward signal and the
//! back-propagated gradient change from layer to layer.
//!
//! A [`LayerStats`] accumulates, for one dense layer, the steps of a
//! training pass (or of an observation at fixed weights) that the caller
//! hands it: [`crate::NetworkTrainer::train_epoch_observed`],
//! [`crate::Trainer::train_epoch_observed`] and the `observe` methods of
//! both trainers take a caller-provided slice of them, one per dense layer
//! (index `0` is the input layer, the last the output layer). The step's
//! own gradient pass observes the values it computes (its input gradients
//! computed densely, before their ReLU mask, where an unobserved pass may
//! skip the masked ones); observation never changes the parameters, Adam's
//! moments or the counters, so a run trained with observation has the same
//! bits as one without. An observed step costs about two and a half
//! unobserved ones (the sums below are sequential `f64` chains).
//!
//! An observed step uses stack for its per-unit flags: on targets without an
//! operating system (`target_os = "none"`) 512 bytes, and a network observed
//! there has at most 4096 units (`Σ fan_out` over its layers); elsewhere
//! 32 KiB, for every network a [`crate::Shape`] allows, and 64 KiB more for
//! a micro-batch's hidden pre-activations (summed beside the gradient
//! passed down to them).
//!
//! # Definitions
//!
//! For layer `k` with `fan_in` inputs and `fan_out` outputs, over the `n`
//! samples of a step:
//!
//! - the *pre-activations* `z` are the values its activation receives: the
//!   dense outputs `x·W + b`, after the layer normalization when the layer
//!   has one; for the output layer, the logits;
//! - the *activations* `a` are `ReLU(z)` for a hidden layer, and the logits
//!   themselves (identity) for the output layer;
//! - the *weight gradient* is `∂L/∂W_k` of the step's mean loss `L` (the
//!   gradient the step applies; weights only, not biases or normalization
//!   parameters);
//! - the *gradient passed down* is `∂L/∂x_k`, with respect to the layer's
//!   input over all `n` samples: `δ_k·W_kᵀ`, where `δ_k` is the gradient
//!   with respect to the layer's dense outputs, before the layer below's
//!   ReLU mask (for layer 0 it is the gradient with respect to the data).
//!
//! Accumulated per step, in `f64`:
//!
//! - `pre_sum = Σ z`, `pre_sum_sq = Σ z²`, `act_sum = Σ a`,
//!   `act_sum_sq = Σ a²`, `values += n·fan_out`, and `zeros += #{a = 0}`
//!   (exactly zero, either sign);
//! - `dead_units += #{units j : a_sj = 0 for every sample s}` and
//!   `units += fan_out`;
//! - `weight_grad_norm_sum += ‖∂L/∂W_k‖_F`, `input_grad_norm_sum +=
//!   ‖∂L/∂x_k‖_F` and `weight_norm_sum += ‖W_k‖_F` (the weights the step's
//!   forward pass used), each `√(Σ v²)` with [`libm::sqrt`];
//! - `steps += 1`.
//!
//! # Summation order
//!
//! Fixed whatever the micro-batch size: sums over values run in sample
//! order, and within a sample in unit order; each term is converted to
//! `f64` and added to the accumulator one at a time. `∂L/∂x_k` of a layer
//! `k ≥ 1` is the `f32` output of the engine's input-gradient kernel
//! ([`crate::kernels::backward_input`], the dense kernel whose sums have a
//! fixed order), before the ReLU mask of the layer below; of the input layer
//! (`k = 0`), which training never computes, the `f64` dot product
//! `Σ_j δ_sj·W_ij` over `j` ascending, with `δ` the backward pass's `f32`
//! values. Their squares are summed in sample order, then input order.
//! Norms of parameters sum their squares in checkpoint order (row-major
//! `W`).
//!
//! # Examples
//!
//! ```
//! use saorsa_nn::{Batching, Init, LayerStats, NetworkTrainer, Samples, Shape};
//!
//! let shape = Shape::new(&[2, 8, 8, 2])?;
//! let mut t = NetworkTrainer::new(shape.clone(), 4, vec![0.0f32; shape.arena_len(4)])?;
//! t.init_from_seed(Init::HeNormal, 0)?;
//! let data = Samples::new(&[0.5, 1.0, -1.0, 0.0, 0.0, 2.0], &[1, 0, 1], 2, 2)?;
//! let mut stats = [LayerStats::new(); 3];
//! t.train_epoch_observed(&data, Batching::Full, &mut stats)?;
//! assert_eq!(stats[0].steps, 1);
//! assert!(stats[0].pre_sd() > 0.0 && stats[2].weight_grad_norm() > 0.0);
//! # Ok::<(), saorsa_nn::Error>(())
//! ```

/// One dense layer's statistics, accumulated over the steps observed (see
/// the [module](self) for the definitions and the summation order).
///
/// # Examples
///
/// ```
/// use saorsa_nn::LayerStats;
///
/// static PER_LAYER: [LayerStats; 4] = [LayerStats::new(); 4]; // const: fits a `static`
/// assert_eq!(PER_LAYER[0], LayerStats::default());
/// assert_eq!(PER_LAYER[0].steps, 0);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct LayerStats {
    /// Steps accumulated.
    pub steps: u64,
    /// Pre-activation (and activation) values seen: `Σ n·fan_out`.
    pub values: u64,
    /// `Σ z` of the pre-activations.
    pub pre_sum: f64,
    /// `Σ z²` of the pre-activations.
    pub pre_sum_sq: f64,
    /// `Σ a` of the activations.
    pub act_sum: f64,
    /// `Σ a²` of the activations.
    pub act_sum_sq: f64,
    /// Activations exactly zero.
    pub zeros: u64,
    /// `Σ` over steps of the units whose activation is zero on every sample
    /// of the step.
    pub dead_units: u64,
    /// `Σ` over steps of the layer's units (`fan_out`).
    pub units: u64,
    /// `Σ` over steps of `‖∂L/∂W‖_F`.
    pub weight_grad_norm_sum: f64,
    /// `Σ` over steps of `‖∂L/∂x‖_F`, the gradient passed to the layer below.
    pub input_grad_norm_sum: f64,
    /// `Σ` over steps of `‖W‖_F`.
    pub weight_norm_sum: f64,
}

impl LayerStats {
    /// Nothing accumulated (every field zero); `const`, so an array of them
    /// can live in a `static`.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::LayerStats;
    ///
    /// let s = LayerStats::new();
    /// assert_eq!((s.steps, s.values), (0, 0));
    /// assert!(s.pre_mean().is_nan()); // nothing to average
    /// ```
    pub const fn new() -> Self {
        LayerStats {
            steps: 0,
            values: 0,
            pre_sum: 0.0,
            pre_sum_sq: 0.0,
            act_sum: 0.0,
            act_sum_sq: 0.0,
            zeros: 0,
            dead_units: 0,
            units: 0,
            weight_grad_norm_sum: 0.0,
            input_grad_norm_sum: 0.0,
            weight_norm_sum: 0.0,
        }
    }

    /// Mean of the pre-activations: `pre_sum / values` (NaN if none).
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::LayerStats;
    ///
    /// let s = LayerStats { values: 4, pre_sum: 2.0, pre_sum_sq: 3.0, ..LayerStats::new() };
    /// assert_eq!(s.pre_mean(), 0.5);
    /// ```
    pub fn pre_mean(&self) -> f64 {
        self.pre_sum / self.values as f64
    }

    /// Population standard deviation of the pre-activations:
    /// `√max(0, pre_sum_sq/values − pre_mean²)` (NaN if none).
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::LayerStats;
    ///
    /// // Values −1, 1, −1, 1: mean 0, SD 1.
    /// let s = LayerStats { values: 4, pre_sum: 0.0, pre_sum_sq: 4.0, ..LayerStats::new() };
    /// assert_eq!(s.pre_sd(), 1.0);
    /// ```
    pub fn pre_sd(&self) -> f64 {
        sd(self.pre_sum, self.pre_sum_sq, self.values)
    }

    /// Mean of the activations: `act_sum / values` (NaN if none).
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::LayerStats;
    ///
    /// let s = LayerStats { values: 2, act_sum: 3.0, ..LayerStats::new() };
    /// assert_eq!(s.act_mean(), 1.5);
    /// ```
    pub fn act_mean(&self) -> f64 {
        self.act_sum / self.values as f64
    }

    /// Population standard deviation of the activations, as
    /// [`LayerStats::pre_sd`] (NaN if none).
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::LayerStats;
    ///
    /// // Activations 0 and 2: mean 1, SD 1.
    /// let s = LayerStats { values: 2, act_sum: 2.0, act_sum_sq: 4.0, ..LayerStats::new() };
    /// assert_eq!(s.act_sd(), 1.0);
    /// ```
    pub fn act_sd(&self) -> f64 {
        sd(self.act_sum, self.act_sum_sq, self.values)
    }

    /// Fraction of the activations exactly zero (dead ReLU outputs for
    /// these samples): `zeros / values` (NaN if none).
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::LayerStats;
    ///
    /// let s = LayerStats { values: 8, zeros: 2, ..LayerStats::new() };
    /// assert_eq!(s.zero_fraction(), 0.25);
    /// ```
    pub fn zero_fraction(&self) -> f64 {
        self.zeros as f64 / self.values as f64
    }

    /// Fraction of units dead on every sample of a step, pooled over the
    /// steps: `dead_units / units` (NaN if none).
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::LayerStats;
    ///
    /// let s = LayerStats { units: 64, dead_units: 8, ..LayerStats::new() };
    /// assert_eq!(s.dead_fraction(), 0.125);
    /// ```
    pub fn dead_fraction(&self) -> f64 {
        self.dead_units as f64 / self.units as f64
    }

    /// Mean over the steps of `‖∂L/∂W‖_F`: `weight_grad_norm_sum / steps`
    /// (NaN if none).
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::LayerStats;
    ///
    /// let s = LayerStats { steps: 2, weight_grad_norm_sum: 0.5, ..LayerStats::new() };
    /// assert_eq!(s.weight_grad_norm(), 0.25);
    /// ```
    pub fn weight_grad_norm(&self) -> f64 {
        self.weight_grad_norm_sum / self.steps as f64
    }

    /// Mean over the steps of `‖∂L/∂x‖_F`, the gradient passed to the layer
    /// below: `input_grad_norm_sum / steps` (NaN if none).
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::LayerStats;
    ///
    /// let s = LayerStats { steps: 4, input_grad_norm_sum: 1.0, ..LayerStats::new() };
    /// assert_eq!(s.input_grad_norm(), 0.25);
    /// ```
    pub fn input_grad_norm(&self) -> f64 {
        self.input_grad_norm_sum / self.steps as f64
    }

    /// Mean over the steps of `‖W‖_F`: `weight_norm_sum / steps` (NaN if
    /// none).
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::LayerStats;
    ///
    /// let s = LayerStats { steps: 1, weight_norm_sum: 3.0, ..LayerStats::new() };
    /// assert_eq!(s.weight_norm(), 3.0);
    /// ```
    pub fn weight_norm(&self) -> f64 {
        self.weight_norm_sum / self.steps as f64
    }

    /// Adds a layer's pre-activations `z` (rows of its units) and its
    /// activations — `ReLU(z)`, written back into `z`, for a hidden layer
    /// (`hidden`); `z` itself for the output layer — in order, and sets in
    /// `alive` (a bit set, this layer's units from bit `first`) the bits of
    /// the units with a nonzero activation on some sample.
    ///
    /// One loop: each of the four sums is its own chain of `f64` additions
    /// in sample, then unit, order (the [module](self)'s order), and the
    /// chains run side by side instead of in two latency-bound loops.
    pub(crate) fn add_layer(
        &mut self,
        z: &mut [f32],
        alive: (&mut [u64], usize),
        width: usize,
        hidden: bool,
    ) {
        self.add_layer_with::<false>(z, alive, width, hidden, (&[], &mut 0.0));
    }

    /// [`LayerStats::add_layer`] of a hidden layer, and in the same loop
    /// `Σ g²` of `g` (as long as `z`) added to `sum` in order: another
    /// layer's chain, run beside this one's.
    pub(crate) fn add_hidden_layer_and_squares(
        &mut self,
        z: &mut [f32],
        alive: (&mut [u64], usize),
        width: usize,
        (g, sum): (&[f32], &mut f64),
    ) {
        debug_assert_eq!(g.len(), z.len());
        self.add_layer_with::<true>(z, alive, width, true, (g, sum));
    }

    #[inline(always)]
    fn add_layer_with<const SQUARES: bool>(
        &mut self,
        z: &mut [f32],
        (alive, first): (&mut [u64], usize),
        width: usize,
        hidden: bool,
        (g, sum): (&[f32], &mut f64),
    ) {
        self.values += z.len() as u64;
        let (mut pre, mut pre_sq, mut act, mut act_sq) =
            (self.pre_sum, self.pre_sum_sq, self.act_sum, self.act_sum_sq);
        let mut squares = *sum;
        let mut zeros = 0u64;
        for (r, row) in z.chunks_exact_mut(width).enumerate() {
            // A row's flags are gathered 64 units at a time in a register and
            // then set in `alive` (an `|=` per unit in memory would chain every
            // unit's iteration on the one before through that word).
            for (c, units) in row.chunks_mut(64).enumerate() {
                let at = r * width + 64 * c;
                let g = if SQUARES { &g[at..at + units.len()] } else { &[] };
                let mut nonzero = 0u64;
                for (j, v) in units.iter_mut().enumerate() {
                    let zf = f64::from(*v);
                    pre += zf;
                    pre_sq += zf * zf;
                    // The ReLU of `kernels::relu_in_place`, bit for bit.
                    let a = if hidden { crate::kernels::relu_mask(*v, *v) } else { *v };
                    *v = a;
                    nonzero |= u64::from(a != 0.0) << j;
                    let af = f64::from(a);
                    act += af;
                    act_sq += af * af;
                    if SQUARES {
                        let x = f64::from(g[j]);
                        squares += x * x;
                    }
                }
                zeros += (units.len() - nonzero.count_ones() as usize) as u64;
                let (word, shift) = ((first + 64 * c) / 64, (first + 64 * c) % 64);
                alive[word] |= nonzero << shift;
                if shift > 0 && nonzero >> (64 - shift) != 0 {
                    alive[word + 1] |= nonzero >> (64 - shift);
                }
            }
        }
        (self.pre_sum, self.pre_sum_sq, self.act_sum, self.act_sum_sq) = (pre, pre_sq, act, act_sq);
        self.zeros += zeros;
        if SQUARES {
            *sum = squares;
        }
    }
}

/// `√(Σ v²)` in `f64`, in order.
pub(crate) fn norm(v: &[f32]) -> f64 {
    libm::sqrt(v.iter().map(|&x| f64::from(x) * f64::from(x)).fold(0.0, |s, x| s + x))
}

/// Population SD from a sum and a sum of squares of `n` values.
fn sd(sum: f64, sum_sq: f64, n: u64) -> f64 {
    let n = n as f64;
    let mean = sum / n;
    libm::sqrt((sum_sq / n - mean * mean).max(0.0))
}
