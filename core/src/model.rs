//! The multi-layer perceptron, its training workspace and its trainer.

use crate::data::Dataset;
use crate::error::Error;
use crate::init::{Init, Sampler, rng_from_seed};
use crate::kernels;
use crate::kernels::LossTotals;
use crate::layers::{Dense, LayerView, LayerViewMut, relu, relu_backward};
use crate::loss::{self, Metrics};
use crate::optimizer::Adam;
use core::num::NonZeroUsize;
use rand_core::Rng;

/// A ReLU multi-layer perceptron with a softmax output:
/// `IN → WIDTH → (WIDTH →)×MID → OUT`.
///
/// It has `MID + 1` hidden layers of `WIDTH` units, each followed by ReLU,
/// and `MID + 2` dense layers in all: `input` (`IN → WIDTH`), `MID` layers in
/// `hidden` (`WIDTH → WIDTH`) and `output` (`WIDTH → OUT`). The paper's
/// 2→64→64→64→2 network is [`PaperNet`] `= Mlp<2, 64, 2, 2>`; a 2→128×6→2
/// network is `Mlp<2, 128, 5, 2>`.
///
/// A gradient and each Adam moment is an `Mlp` of the same shape.
#[derive(Clone, Debug, PartialEq)]
pub struct Mlp<const IN: usize, const WIDTH: usize, const MID: usize, const OUT: usize> {
    /// The first dense layer, `IN → WIDTH`.
    pub input: Dense<IN, WIDTH>,
    /// The `WIDTH → WIDTH` layers, in order.
    pub hidden: [Dense<WIDTH, WIDTH>; MID],
    /// The last dense layer, `WIDTH → OUT`, whose outputs are the logits.
    pub output: Dense<WIDTH, OUT>,
}

/// The paper's network: 2 → 64 → 64 → 64 → 2 (8 642 parameters).
pub type PaperNet = Mlp<2, 64, 2, 2>;

impl<const IN: usize, const WIDTH: usize, const MID: usize, const OUT: usize> Default
    for Mlp<IN, WIDTH, MID, OUT>
{
    fn default() -> Self {
        Self::new()
    }
}

impl<const IN: usize, const WIDTH: usize, const MID: usize, const OUT: usize> Mlp<IN, WIDTH, MID, OUT> {
    /// Number of dense layers, `MID + 2`.
    pub const LAYERS: usize = MID + 2;
    /// Number of parameters: `(IN + 1)·WIDTH + MID·(WIDTH + 1)·WIDTH + (WIDTH + 1)·OUT`.
    pub const PARAMETERS: usize = Dense::<IN, WIDTH>::PARAMETERS
        + MID * Dense::<WIDTH, WIDTH>::PARAMETERS
        + Dense::<WIDTH, OUT>::PARAMETERS;

    const SHAPE_OK: () = {
        assert!(IN > 0 && WIDTH > 0 && OUT > 0, "every layer needs at least one unit");
        assert!(OUT <= 256, "labels are u8: at most 256 classes");
    };

    /// A network with every parameter zero. `const`, so it can initialize a
    /// `static` without a stack temporary.
    pub const fn new() -> Self {
        let () = Self::SHAPE_OK;
        Mlp { input: Dense::new(), hidden: [const { Dense::new() }; MID], output: Dense::new() }
    }

    /// Sets every parameter to zero, in place.
    pub fn zero(&mut self) {
        for layer in self.layers_mut() {
            layer.weights.fill(0.0);
            layer.bias.fill(0.0);
        }
    }

    /// Initializes every layer in place with `init`, drawing from `rng` in
    /// layer order (see [`crate::init`]).
    ///
    /// Errors: [`Error::BadHyperparameter`] if `init`'s parameter is invalid;
    /// then nothing is changed and nothing drawn.
    pub fn init<R: Rng>(&mut self, init: Init, rng: &mut R) -> Result<(), Error> {
        init.validate()?;
        let mut sampler = Sampler::new(rng);
        self.input.init(&init, &mut sampler);
        for layer in &mut self.hidden {
            layer.init(&init, &mut sampler);
        }
        self.output.init(&init, &mut sampler);
        Ok(())
    }

    /// [`Mlp::init`] from the generator [`rng_from_seed`]`(seed)`: the
    /// paper's `np.random.seed(seed)` followed by building the model.
    pub fn init_from_seed(&mut self, init: Init, seed: u64) -> Result<(), Error> {
        self.init(init, &mut rng_from_seed(seed))
    }

    /// The dense layers' parameters in order, as flat slices.
    pub fn layers(&self) -> impl Iterator<Item = LayerView<'_>> {
        core::iter::once(self.input.view())
            .chain(self.hidden.iter().map(Dense::view))
            .chain(core::iter::once(self.output.view()))
    }

    /// The dense layers' parameters in order, as mutable flat slices.
    pub fn layers_mut(&mut self) -> impl Iterator<Item = LayerViewMut<'_>> {
        core::iter::once(self.input.view_mut())
            .chain(self.hidden.iter_mut().map(Dense::view_mut))
            .chain(core::iter::once(self.output.view_mut()))
    }

    /// Every `(fan_in, fan_out)`, in layer order.
    pub fn shapes() -> impl Iterator<Item = (usize, usize)> {
        core::iter::once((IN, WIDTH))
            .chain(core::iter::repeat_n((WIDTH, WIDTH), MID))
            .chain(core::iter::once((WIDTH, OUT)))
    }

    /// Whether every parameter is finite.
    pub fn is_finite(&self) -> bool {
        self.layers().all(|l| l.weights.iter().chain(l.bias).all(|v| v.is_finite()))
    }

    /// The logits of one sample. Bit-identical to the same sample's logits
    /// in any batch, because every kernel sums each output in a fixed order.
    pub fn logits(&self, x: &[f32; IN]) -> [f32; OUT] {
        let (mut a, mut b, mut z) = ([[0.0f32; WIDTH]; 1], [[0.0f32; WIDTH]; 1], [[0.0f32; OUT]; 1]);
        self.forward_batch(core::slice::from_ref(x), false, (&mut a, &mut b), &mut z);
        z[0]
    }

    /// The logits `z` of a batch `x`, with the hidden activations in the
    /// scratch buffers `a` and `b` (each at least `x.len()` samples long).
    /// With `skip` the hidden and output layers run the zero-skipping
    /// kernels, which give the same bits when [`Mlp::skipping_is_exact`]
    /// holds.
    fn forward_batch(
        &self,
        x: &[[f32; IN]],
        skip: bool,
        (a, b): (&mut [[f32; WIDTH]], &mut [[f32; WIDTH]]),
        z: &mut [[f32; OUT]],
    ) {
        let m = x.len();
        let (mut a, mut b) = (&mut a[..m], &mut b[..m]);
        self.input.forward(x, a);
        relu(a);
        for layer in &self.hidden {
            if skip {
                layer.sparse_forward(a, b);
            } else {
                layer.forward(a, b);
            }
            relu(b);
            core::mem::swap(&mut a, &mut b);
        }
        if skip && Self::OUTPUT_SKIPS {
            self.output.sparse_forward(a, z);
        } else {
            self.output.forward(a, z);
        }
    }

    /// The class probabilities of one sample (softmax of [`Mlp::logits`]).
    pub fn predict(&self, x: &[f32; IN]) -> [f32; OUT] {
        let mut z = [self.logits(x)];
        loss::softmax(&mut z);
        z[0]
    }

    /// The predicted class of one sample: the first index of the largest
    /// probability (NumPy's `argmax`).
    pub fn classify(&self, x: &[f32; IN]) -> usize {
        let p = self.predict(x);
        let mut best = 0;
        for j in 1..OUT {
            if p[j] > p[best] {
                best = j;
            }
        }
        best
    }

    /// Mean loss and accuracy on a data set, in chunks of samples on small
    /// stack buffers (no workspace needed). Equal, bit for bit, to the
    /// metrics a training epoch reports for the same weights and data, and
    /// to [`Mlp::predict`] sample by sample: every kernel sums each output
    /// in the same order whatever the batch.
    pub fn evaluate(&self, data: &Dataset<'_, IN, OUT>) -> Metrics {
        let mut totals = LossTotals::default();
        let skip = self.skipping_is_exact();
        let mut a = [[0.0f32; WIDTH]; EVAL_CHUNK];
        let mut b = [[0.0f32; WIDTH]; EVAL_CHUNK];
        let mut z = [[0.0f32; OUT]; EVAL_CHUNK];
        for (x, y) in data.x().chunks(EVAL_CHUNK).zip(data.y().chunks(EVAL_CHUNK)) {
            let z = &mut z[..x.len()];
            self.forward_batch(x, skip, (&mut a, &mut b), z);
            loss::softmax(z);
            loss::cross_entropy(z, y, &mut totals);
        }
        Metrics::from_totals(&totals)
    }

    /// Whether the zero-skipping kernels give exactly the dense kernels'
    /// results for this model: every weight finite and no bias `−0` (see
    /// [`kernels`]'s notes on zero-skipping). Reads every parameter once.
    fn skipping_is_exact(&self) -> bool {
        self.layers().all(|l| {
            l.weights.iter().fold(true, |ok, w| ok & w.is_finite())
                && l.bias.iter().fold(true, |ok, b| ok & (b.to_bits() != (-0.0f32).to_bits()))
        })
    }

    /// Whether the output layer runs the zero-skipping kernels (forward and
    /// weight gradient) in the zero-skipping regime: its inputs are
    /// ReLU-sparse, but a layer narrower than one 8-lane vector is faster
    /// dense.
    const OUTPUT_SKIPS: bool = OUT >= 8;
}

/// Samples per chunk of [`Mlp::evaluate`]: 16 on a hosted
/// target (two `16 × WIDTH` stack buffers), 1 on a bare-metal one.
const EVAL_CHUNK: usize = if cfg!(target_os = "none") { 1 } else { 16 };

/// Stack bytes a gradient pass may spend on transposed weights.
const TRANSPOSED_STACK_LIMIT: usize = 256 * 1024;

/// The transposed weights of the layers whose input gradient is computed
/// (every layer but the first), made once per gradient pass on the stack so
/// that the input-gradient kernel can run along rows (see
/// [`kernels::sparse_backward_input_relu`]).
struct Transposed<const WIDTH: usize, const MID: usize, const OUT: usize> {
    hidden: [[[f32; WIDTH]; WIDTH]; MID],
    output: [[f32; WIDTH]; OUT],
}

/// Whether every value is finite (branch-free, so that it vectorizes).
fn all_finite(v: &[f32]) -> bool {
    v.iter().fold(true, |ok, x| ok & x.is_finite())
}

/// Activations and back-propagated gradients for one micro-batch of `B`
/// samples: the only memory training needs beyond the parameters, the
/// gradient and the Adam moments.
#[derive(Clone, Debug)]
struct Workspace<const WIDTH: usize, const MID: usize, const OUT: usize, const B: usize> {
    /// Output of the first hidden layer, after ReLU.
    first: [[f32; WIDTH]; B],
    /// Outputs of the `MID` other hidden layers, after ReLU.
    hidden: [[[f32; WIDTH]; B]; MID],
    /// Probabilities, then the gradient with respect to the logits.
    probs: [[f32; OUT]; B],
    /// Back-propagated gradients (two, used alternately).
    grad_a: [[f32; WIDTH]; B],
    grad_b: [[f32; WIDTH]; B],
}

impl<const WIDTH: usize, const MID: usize, const OUT: usize, const B: usize> Workspace<WIDTH, MID, OUT, B> {
    const fn new() -> Self {
        Workspace {
            first: [[0.0; WIDTH]; B],
            hidden: [[[0.0; WIDTH]; B]; MID],
            probs: [[0.0; OUT]; B],
            grad_a: [[0.0; WIDTH]; B],
            grad_b: [[0.0; WIDTH]; B],
        }
    }
}

/// How an epoch is cut into optimizer steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Batching {
    /// One step per epoch over all samples: the framework's `batch_size=None`.
    Full,
    /// One step per `n` consecutive samples (the last batch may be shorter),
    /// in order, unshuffled: the framework's `batch_size=n`.
    MiniBatch(NonZeroUsize),
}

/// Everything training needs: the model, its gradient, Adam's moments and
/// step count, and a workspace for micro-batches of `B` samples.
///
/// `B` is a memory/speed trade-off only: the gradient, and so the whole
/// training run, is bit-identical for every `B`, because each micro-batch
/// adds its samples to the gradient one at a time in sample order. A
/// microcontroller with `B = 1` and a workstation with `B = 32` train the
/// same network.
///
/// The struct is large (see [`Trainer::TRAINING_MEMORY_BYTES`]): make it with
/// the `const fn` [`Trainer::new`] in a `static` (or in a `Box` on a host) and
/// initialize it in place with [`Trainer::init`].
#[derive(Clone, Debug)]
pub struct Trainer<const IN: usize, const WIDTH: usize, const MID: usize, const OUT: usize, const B: usize> {
    model: Mlp<IN, WIDTH, MID, OUT>,
    grad: Mlp<IN, WIDTH, MID, OUT>,
    moment1: Mlp<IN, WIDTH, MID, OUT>,
    moment2: Mlp<IN, WIDTH, MID, OUT>,
    steps: u64,
    /// `None` means [`Adam::new`]: keeps `Trainer::new()` all zero bits, so
    /// a `static` trainer lives in `.bss` and costs no flash.
    adam: Option<Adam>,
    work: Workspace<WIDTH, MID, OUT, B>,
}

/// A trainer for the paper's network with micro-batches of `B` samples.
pub type PaperTrainer<const B: usize> = Trainer<2, 64, 2, 2, B>;

impl<const IN: usize, const WIDTH: usize, const MID: usize, const OUT: usize, const B: usize> Default
    for Trainer<IN, WIDTH, MID, OUT, B>
{
    fn default() -> Self {
        Self::new()
    }
}

impl<const IN: usize, const WIDTH: usize, const MID: usize, const OUT: usize, const B: usize>
    Trainer<IN, WIDTH, MID, OUT, B>
{
    /// The bytes training needs: parameters, gradient and both Adam moments
    /// (`4 × 4 × PARAMETERS`), plus activations and gradients for `B`
    /// samples (`4 × B × ((MID + 3)·WIDTH + OUT)`), plus a few words of
    /// state. It is `size_of::<Self>()`; for [`PaperTrainer<1>`] it is
    /// 139 608 bytes (136.3 KiB).
    pub const TRAINING_MEMORY_BYTES: usize = core::mem::size_of::<Self>();

    const B_OK: () = assert!(B > 0, "the micro-batch size B must be at least 1");

    /// A trainer with every parameter and moment zero, step 0 and the
    /// default [`Adam`]. `const`, so it can initialize a `static`; its value
    /// is all zero bits, so such a `static` is placed in `.bss` (no flash,
    /// no copy at reset).
    pub const fn new() -> Self {
        let () = Self::B_OK;
        Trainer {
            model: Mlp::new(),
            grad: Mlp::new(),
            moment1: Mlp::new(),
            moment2: Mlp::new(),
            steps: 0,
            adam: None,
            work: Workspace::new(),
        }
    }

    /// Initializes the model in place with `init` from `rng` and resets the
    /// optimizer (moments zero, step 0). On error nothing changes.
    pub fn init<R: Rng>(&mut self, init: Init, rng: &mut R) -> Result<(), Error> {
        self.model.init(init, rng)?;
        self.reset_optimizer();
        Ok(())
    }

    /// [`Trainer::init`] from [`rng_from_seed`]`(seed)`.
    pub fn init_from_seed(&mut self, init: Init, seed: u64) -> Result<(), Error> {
        self.init(init, &mut rng_from_seed(seed))
    }

    /// Zeroes Adam's moments and step count (the model is kept).
    pub fn reset_optimizer(&mut self) {
        self.moment1.zero();
        self.moment2.zero();
        self.steps = 0;
    }

    /// Sets Adam's hyperparameters after checking them; the moments are kept.
    pub fn set_adam(&mut self, adam: Adam) -> Result<(), Error> {
        adam.validate()?;
        self.adam = Some(adam);
        Ok(())
    }

    /// Adam's hyperparameters.
    pub fn adam(&self) -> &Adam {
        static DEFAULT: Adam = Adam::new();
        self.adam.as_ref().unwrap_or(&DEFAULT)
    }

    /// Optimizer steps taken since the last reset.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// The model.
    pub fn model(&self) -> &Mlp<IN, WIDTH, MID, OUT> {
        &self.model
    }

    /// The model, mutably (to load a checkpoint, say). Changing it does not
    /// reset the optimizer.
    pub fn model_mut(&mut self) -> &mut Mlp<IN, WIDTH, MID, OUT> {
        &mut self.model
    }

    /// The gradient left by the last [`Trainer::compute_gradient`].
    pub fn gradient(&self) -> &Mlp<IN, WIDTH, MID, OUT> {
        &self.grad
    }

    /// Adam's first and second moments.
    pub fn moments(&self) -> (&Mlp<IN, WIDTH, MID, OUT>, &Mlp<IN, WIDTH, MID, OUT>) {
        (&self.moment1, &self.moment2)
    }

    /// Computes the gradient of the mean loss over `data` into
    /// [`Trainer::gradient`], running the data through in micro-batches of
    /// `B`, and returns the loss and accuracy of this forward pass.
    ///
    /// Errors: [`Error::Diverged`] if the loss is not finite. The model and
    /// optimizer never change.
    pub fn compute_gradient(&mut self, data: &Dataset<'_, IN, OUT>) -> Result<Metrics, Error> {
        self.gradient_totals(data).map(|t| Metrics::from_totals(&t))
    }

    /// [`Trainer::compute_gradient`], returning the raw loss totals.
    fn gradient_totals(&mut self, data: &Dataset<'_, IN, OUT>) -> Result<LossTotals, Error> {
        self.grad.zero();
        let mut totals = LossTotals::default();
        let n = data.len();
        let skip = self.model.skipping_is_exact();
        if skip && Self::TRANSPOSE {
            self.sparse_pass_transposed(data, &mut totals);
        } else {
            for (x, y) in data.x().chunks(B).zip(data.y().chunks(B)) {
                self.micro_batch(x, y, n, &mut totals, skip, None);
            }
        }
        if !totals.loss_sum.is_finite() {
            return Err(Error::Diverged);
        }
        Ok(totals)
    }

    /// Whether a gradient pass transposes the weights once, on the stack:
    /// on hosted targets, when they take at most 256 KiB. Bare-metal
    /// targets never spend the stack on it (it would be 34 KB for the
    /// paper's network); they compute the input gradients with
    /// [`kernels::backward_input`] instead.
    const TRANSPOSE: bool = !cfg!(target_os = "none")
        && core::mem::size_of::<Transposed<WIDTH, MID, OUT>>() <= TRANSPOSED_STACK_LIMIT;

    /// The zero-skipping gradient pass with weights transposed once for all
    /// micro-batches. Not inlined, so that its stack frame exists only
    /// while it runs.
    #[inline(never)]
    fn sparse_pass_transposed(&mut self, data: &Dataset<'_, IN, OUT>, totals: &mut LossTotals) {
        let mut wt = Transposed { hidden: [[[0.0; WIDTH]; WIDTH]; MID], output: [[0.0; WIDTH]; OUT] };
        for (t, layer) in wt.hidden.iter_mut().zip(&self.model.hidden) {
            kernels::transpose(layer.weights.as_flattened(), WIDTH, t.as_flattened_mut());
        }
        kernels::transpose(self.model.output.weights.as_flattened(), OUT, wt.output.as_flattened_mut());
        let n = data.len();
        for (x, y) in data.x().chunks(B).zip(data.y().chunks(B)) {
            self.micro_batch(x, y, n, totals, true, Some(&wt));
        }
    }

    /// Forward and backward pass of up to `B` samples, adding their share
    /// of the gradient of the mean loss over `n` samples.
    ///
    /// With `skip`, for a model whose [`Mlp::skipping_is_exact`] holds, it
    /// runs the zero-skipping kernels: every sum gives the same bits,
    /// without the terms that add `±0`. The input gradients then use the
    /// transposed weights `wt` when given. The weight gradients skip only
    /// when the back-propagated gradient is finite (`0·∞` is NaN); the
    /// gradient accumulators start at `+0` ([`Mlp::zero`]) and so are never
    /// `−0`. Without `skip` (and `wt` must then be `None`) every kernel is
    /// the dense one.
    fn micro_batch(
        &mut self,
        x: &[[f32; IN]],
        y: &[u8],
        n: usize,
        totals: &mut LossTotals,
        skip: bool,
        wt: Option<&Transposed<WIDTH, MID, OUT>>,
    ) {
        debug_assert!(skip || wt.is_none());
        let b = x.len();
        let (model, grad, w) = (&self.model, &mut self.grad, &mut self.work);

        // Forward, keeping every hidden layer's output.
        model.input.forward(x, &mut w.first[..b]);
        relu(&mut w.first[..b]);
        for k in 0..MID {
            let (before, rest) = w.hidden.split_at_mut(k);
            let prev: &[[f32; WIDTH]] = if k == 0 { &w.first[..b] } else { &before[k - 1][..b] };
            if skip {
                model.hidden[k].sparse_forward(prev, &mut rest[0][..b]);
            } else {
                model.hidden[k].forward(prev, &mut rest[0][..b]);
            }
            relu(&mut rest[0][..b]);
        }
        let last: &[[f32; WIDTH]] = if MID == 0 { &w.first[..b] } else { &w.hidden[MID - 1][..b] };
        let probs = &mut w.probs[..b];
        if skip && Mlp::<IN, WIDTH, MID, OUT>::OUTPUT_SKIPS {
            model.output.sparse_forward(last, probs);
        } else {
            model.output.forward(last, probs);
        }
        loss::softmax(probs);
        loss::cross_entropy(probs, y, totals);

        // Backward.
        loss::softmax_cross_entropy_grad(probs, y, n);
        if skip && Mlp::<IN, WIDTH, MID, OUT>::OUTPUT_SKIPS && all_finite(probs.as_flattened()) {
            grad.output.sparse_accumulate_gradient(last, probs);
        } else {
            grad.output.accumulate_gradient(last, probs);
        }
        let (mut d, mut d_next) = (&mut w.grad_a, &mut w.grad_b);
        match wt {
            Some(wt) => kernels::sparse_backward_input_relu(
                probs.as_flattened(),
                wt.output.as_flattened(),
                last.as_flattened(),
                d[..b].as_flattened_mut(),
                OUT,
            ),
            None => {
                model.output.backward_input(probs, &mut d[..b]);
                relu_backward(last, &mut d[..b]);
            }
        }
        for k in (0..MID).rev() {
            let input: &[[f32; WIDTH]] = if k == 0 { &w.first[..b] } else { &w.hidden[k - 1][..b] };
            if skip && all_finite(d[..b].as_flattened()) {
                grad.hidden[k].sparse_accumulate_gradient(input, &d[..b]);
            } else {
                grad.hidden[k].accumulate_gradient(input, &d[..b]);
            }
            match wt {
                Some(wt) => kernels::sparse_backward_input_relu(
                    d[..b].as_flattened(),
                    wt.hidden[k].as_flattened(),
                    input.as_flattened(),
                    d_next[..b].as_flattened_mut(),
                    WIDTH,
                ),
                None => {
                    model.hidden[k].backward_input(&d[..b], &mut d_next[..b]);
                    relu_backward(input, &mut d_next[..b]);
                }
            }
            core::mem::swap(&mut d, &mut d_next);
        }
        grad.input.accumulate_gradient(x, &d[..b]);
    }

    /// One Adam step with the current gradient, all or nothing.
    ///
    /// Errors: [`Error::Diverged`] if any updated parameter would not be
    /// finite; then nothing changes (a first pass checks, a second writes).
    pub fn step(&mut self) -> Result<(), Error> {
        let step = self.adam().step(self.steps + 1);
        let finite = self
            .model
            .layers()
            .zip(self.grad.layers())
            .zip(self.moment1.layers().zip(self.moment2.layers()))
            .all(|((p, g), (m, v))| {
                kernels::adam_update_is_finite(p.weights, g.weights, m.weights, v.weights, &step)
                    && kernels::adam_update_is_finite(p.bias, g.bias, m.bias, v.bias, &step)
            });
        if !finite {
            return Err(Error::Diverged);
        }
        let layers = self
            .model
            .layers_mut()
            .zip(self.grad.layers())
            .zip(self.moment1.layers_mut().zip(self.moment2.layers_mut()));
        for ((p, g), (m, v)) in layers {
            kernels::adam_update(p.weights, g.weights, m.weights, v.weights, &step);
            kernels::adam_update(p.bias, g.bias, m.bias, v.bias, &step);
        }
        self.steps += 1;
        Ok(())
    }

    /// One training epoch: the framework's `model.train` for one epoch.
    ///
    /// Returns the loss and accuracy of the forward passes *before* each
    /// step's update, accumulated over the epoch (the framework's
    /// `metric_dict` semantics).
    ///
    /// Errors: [`Error::Diverged`] if a step's loss or update is not finite.
    /// The failing step changes nothing; with [`Batching::MiniBatch`] the
    /// steps before it stay applied.
    pub fn train_epoch(&mut self, data: &Dataset<'_, IN, OUT>, batching: Batching) -> Result<Metrics, Error> {
        match batching {
            Batching::Full => {
                let metrics = self.compute_gradient(data)?;
                self.step()?;
                Ok(metrics)
            }
            Batching::MiniBatch(size) => {
                let mut totals = LossTotals::default();
                for batch in data.batches(size.get()) {
                    let t = self.gradient_totals(&batch)?;
                    self.step()?;
                    // As the framework's `calculate_accumulated`: the sum of
                    // the batches' loss sums over the number of samples.
                    totals.loss_sum += t.loss_sum;
                    totals.correct += t.correct;
                    totals.count += t.count;
                }
                Ok(Metrics::from_totals(&totals))
            }
        }
    }
}
