//! The multi-layer perceptron, its training workspace and its trainer.

use crate::checkpoint;
use crate::data::{Dataset, Samples};
use crate::engine;
pub use crate::engine::Batching;
use crate::error::Error;
use crate::init::{Init, rng_from_seed};
use crate::kernels::LossTotals;
use crate::layers::{Dense, LayerView, LayerViewMut};
use crate::loss::{self, Metrics};
use crate::optimizer::Adam;
use crate::shape::Shape;
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
        engine::zero(self);
    }

    /// Initializes every layer in place with `init`, drawing from `rng` in
    /// layer order (see [`crate::init`]).
    ///
    /// Errors: [`Error::BadHyperparameter`] if `init`'s parameter is invalid;
    /// then nothing is changed and nothing drawn.
    pub fn init<R: Rng>(&mut self, init: Init, rng: &mut R) -> Result<(), Error> {
        engine::init(self, |_| init, rng)
    }

    /// Initializes layer `k` with `inits[k]`, from one stream in layer order:
    /// for one seed, the layers see the same standard normals whatever their
    /// initializers (among the normal ones), so runs stay paired.
    ///
    /// Errors: [`Error::BadShape`] if `inits.len()` is not [`Mlp::LAYERS`],
    /// [`Error::BadHyperparameter`] if an initializer's parameter is
    /// invalid; then nothing is changed and nothing drawn.
    pub fn init_layers<R: Rng>(&mut self, inits: &[Init], rng: &mut R) -> Result<(), Error> {
        if inits.len() != Self::LAYERS {
            return Err(Error::BadShape);
        }
        engine::init(self, |k| inits[k], rng)
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

    /// This type's shape as a run-time [`Shape`]: `[IN, WIDTH × (MID + 1), OUT]`.
    ///
    /// # Panics
    ///
    /// If the type is outside [`Shape`]'s limits (more than 64 layers, a
    /// width above 4096 or fewer than 2 classes).
    pub fn shape() -> Shape {
        let mut widths = heapless::Vec::<usize, { crate::shape::MAX_LAYERS + 1 }>::new();
        for w in core::iter::once(IN).chain(Self::shapes().map(|(_, o)| o)) {
            widths.push(w).expect("at most 64 layers");
        }
        Shape::new(&widths).expect("a shape within the run-time limits")
    }

    /// Whether every parameter is finite.
    pub fn is_finite(&self) -> bool {
        engine::is_finite(self)
    }

    /// The logits of one sample. Bit-identical to the same sample's logits
    /// in any batch, because every kernel sums each output in a fixed order.
    pub fn logits(&self, x: &[f32; IN]) -> [f32; OUT] {
        let (mut a, mut b, mut z) = ([0.0f32; WIDTH], [0.0f32; WIDTH], [0.0f32; OUT]);
        engine::forward(self, x, false, (&mut a, &mut b), &mut z);
        z
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
        let mut a = [[0.0f32; WIDTH]; EVAL_CHUNK];
        let mut b = [[0.0f32; WIDTH]; EVAL_CHUNK];
        let mut z = [[0.0f32; OUT]; EVAL_CHUNK];
        let scratch = (a.as_flattened_mut(), b.as_flattened_mut(), z.as_flattened_mut());
        engine::evaluate(self, &data.samples(), EVAL_CHUNK, scratch)
    }
}

impl<const IN: usize, const WIDTH: usize, const MID: usize, const OUT: usize> Mlp<IN, WIDTH, MID, OUT> {
    /// Exact length of this network's checkpoint:
    /// `8 + 8·LAYERS + 4·PARAMETERS + 4`.
    pub const CHECKPOINT_BYTES: usize = 8 + 8 * Self::LAYERS + 4 * Self::PARAMETERS + 4;

    /// Writes the checkpoint into `buf[..CHECKPOINT_BYTES]` and returns its
    /// length.
    ///
    /// Errors: [`Error::BufferTooSmall`] if `buf` is shorter than
    /// [`Mlp::CHECKPOINT_BYTES`], then [`Error::NonFiniteParameter`] if a
    /// weight or bias is NaN or infinite (a checkpoint the decoder would
    /// refuse); on error nothing is written.
    pub fn encode_checkpoint(&self, buf: &mut [u8]) -> Result<usize, Error> {
        checkpoint::encode(self, buf)
    }

    /// Reads a checkpoint into this model, in place.
    ///
    /// Everything is checked before anything is written, in this order:
    /// [`Error::BadLength`] (too short for a header), [`Error::BadMagic`],
    /// [`Error::UnsupportedVersion`] (neither 1 nor 2), for version 2
    /// [`Error::BadLength`] (no room for its normalization code) and
    /// [`Error::BadShape`] (a code other than 1), [`Error::ShapeMismatch`]
    /// (the normalization — none for version 1 —, the layer count or a
    /// shape differs from the model's), [`Error::BadLength`] (total length),
    /// [`Error::ChecksumMismatch`], [`Error::NonFiniteParameter`].
    /// On error the model is unchanged.
    pub fn decode_checkpoint(&mut self, bytes: &[u8]) -> Result<(), Error> {
        checkpoint::decode(self, bytes)
    }
}

impl<const IN: usize, const WIDTH: usize, const MID: usize, const OUT: usize> engine::Layers
    for Mlp<IN, WIDTH, MID, OUT>
{
    fn count(&self) -> usize {
        Self::LAYERS
    }

    fn layer(&self, k: usize) -> LayerView<'_> {
        match k {
            0 => self.input.view(),
            k if k <= MID => self.hidden[k - 1].view(),
            _ => self.output.view(),
        }
    }
}

impl<const IN: usize, const WIDTH: usize, const MID: usize, const OUT: usize> engine::LayersMut
    for Mlp<IN, WIDTH, MID, OUT>
{
    fn layer_mut(&mut self, k: usize) -> LayerViewMut<'_> {
        match k {
            0 => self.input.view_mut(),
            k if k <= MID => self.hidden[k - 1].view_mut(),
            _ => self.output.view_mut(),
        }
    }
}

/// Samples per chunk of [`Mlp::evaluate`]: 16 on a hosted
/// target (two `16 × WIDTH` stack buffers), 1 on a bare-metal one.
const EVAL_CHUNK: usize = if cfg!(target_os = "none") { 1 } else { 16 };

/// Stack bytes a gradient pass may spend on transposed weights.
const TRANSPOSED_STACK_LIMIT: usize = 256 * 1024;

/// The transposed weights of the layers whose input gradient is computed
/// (every layer but the first), made once per gradient pass on the stack so
/// that the input-gradient kernel can run along rows (see
/// [`crate::kernels::sparse_backward_input_relu`]).
struct Transposed<const WIDTH: usize, const MID: usize, const OUT: usize> {
    hidden: [[[f32; WIDTH]; WIDTH]; MID],
    output: [[f32; WIDTH]; OUT],
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

    /// The workspace as the engine's flat slices.
    fn as_work(&mut self) -> engine::Work<'_> {
        engine::Work {
            cap: B,
            first: self.first.as_flattened_mut(),
            rest: self.hidden.as_flattened_mut().as_flattened_mut(),
            probs: self.probs.as_flattened_mut(),
            grad_a: self.grad_a.as_flattened_mut(),
            grad_b: self.grad_b.as_flattened_mut(),
            norm_xhat: &mut [],
            norm_inv_std: &mut [],
        }
    }
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
    epochs: u64,
    /// Adam's hyperparameters; all zero bits (a learning rate of 0, which
    /// [`Adam::validate`] refuses, so no setting looks like it) means
    /// [`Adam::new`]: keeps `Trainer::new()` all zero bits, so a `static`
    /// trainer lives in `.bss` and costs no flash.
    adam: Adam,
    work: Workspace<WIDTH, MID, OUT, B>,
}

/// The zero-bits [`Adam`] that stands for [`Adam::new`] in a [`Trainer`].
const ADAM_DEFAULTS: Adam = Adam { learning_rate: 0.0, beta1: 0.0, beta2: 0.0, epsilon: 0.0 };

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
            epochs: 0,
            adam: ADAM_DEFAULTS,
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

    /// Zeroes Adam's moments, step count and epoch count (the model is kept).
    pub fn reset_optimizer(&mut self) {
        self.moment1.zero();
        self.moment2.zero();
        self.steps = 0;
        self.epochs = 0;
    }

    /// Sets Adam's hyperparameters after checking them; the moments are kept.
    pub fn set_adam(&mut self, adam: Adam) -> Result<(), Error> {
        adam.validate()?;
        self.adam = adam;
        Ok(())
    }

    /// Adam's hyperparameters.
    pub fn adam(&self) -> &Adam {
        static DEFAULT: Adam = Adam::new();
        if self.adam.learning_rate == 0.0 { &DEFAULT } else { &self.adam }
    }

    /// Optimizer steps taken since the last reset.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// Epochs trained ([`Trainer::train_epoch`] calls that succeeded) since
    /// the last reset; steps taken with [`Trainer::step`] alone do not count.
    pub fn epochs(&self) -> u64 {
        self.epochs
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
        engine::Optimize::gradient_totals(self, &data.samples()).map(|t| Metrics::from_totals(&t))
    }

    /// Whether a gradient pass transposes the weights once, on the stack:
    /// on hosted targets, when they take at most 256 KiB. Bare-metal
    /// targets never spend the stack on it (it would be 34 KB for the
    /// paper's network); they compute the input gradients with
    /// [`crate::kernels::backward_input`] instead.
    const TRANSPOSE: bool = !cfg!(target_os = "none")
        && core::mem::size_of::<Transposed<WIDTH, MID, OUT>>() <= TRANSPOSED_STACK_LIMIT;

    /// The zero-skipping gradient pass with the weights transposed once, on
    /// the stack. Not inlined, so that its stack frame exists only while it
    /// runs.
    #[inline(never)]
    fn pass_transposed(&mut self, data: &Samples<'_>) -> Result<LossTotals, Error> {
        let mut wt = Transposed { hidden: [[[0.0; WIDTH]; WIDTH]; MID], output: [[0.0; WIDTH]; OUT] };
        let wt = engine::Transposed {
            mid: wt.hidden.as_flattened_mut().as_flattened_mut(),
            last: wt.output.as_flattened_mut(),
        };
        engine::gradient_pass(&self.model, &mut self.grad, &mut self.work.as_work(), Some(wt), true, data)
    }

    /// One Adam step with the current gradient, all or nothing.
    ///
    /// Errors: [`Error::Diverged`] if any updated parameter would not be
    /// finite; then nothing changes (a first pass checks, a second writes).
    pub fn step(&mut self) -> Result<(), Error> {
        let adam = *self.adam();
        engine::adam_step(
            &mut self.model,
            &self.grad,
            (&mut self.moment1, &mut self.moment2),
            &adam,
            self.steps,
        )?;
        self.steps += 1;
        Ok(())
    }

    /// One training epoch: the framework's `model.train` for one epoch.
    ///
    /// Returns the loss and accuracy of the forward passes *before* each
    /// step's update, accumulated over the epoch (the framework's
    /// `metric_dict` semantics).
    ///
    /// On success the epoch count ([`Trainer::epochs`]) grows by one.
    ///
    /// Errors: [`Error::Diverged`] if a step's loss or update is not finite.
    /// The failing step changes nothing (nor the epoch count); with
    /// [`Batching::MiniBatch`] the steps before it stay applied.
    pub fn train_epoch(&mut self, data: &Dataset<'_, IN, OUT>, batching: Batching) -> Result<Metrics, Error> {
        let metrics = engine::train_epoch(self, &data.samples(), batching)?;
        self.epochs += 1;
        Ok(metrics)
    }

    /// Exact length of this trainer's training state
    /// ([`crate::checkpoint::state`]): `64 + 8·LAYERS + 12·PARAMETERS`
    /// (103 800 bytes for the paper's network, whatever `B`).
    pub const STATE_BYTES: usize =
        64 + 8 * Mlp::<IN, WIDTH, MID, OUT>::LAYERS + 12 * Mlp::<IN, WIDTH, MID, OUT>::PARAMETERS;

    /// Writes the training state — the model, Adam's moments, step count
    /// and hyperparameters, and the epochs trained — into
    /// `buf[..STATE_BYTES]` and returns its length. Restored with
    /// [`Trainer::decode_state`] into any trainer of the same network shape
    /// (any `B`), or a [`crate::NetworkTrainer`] of that shape, training
    /// goes on with the same bits as if it had never stopped.
    ///
    /// Errors: [`Error::BufferTooSmall`] if `buf` is shorter than
    /// [`Trainer::STATE_BYTES`], then [`Error::NonFiniteParameter`] (a NaN
    /// or infinite weight or bias, set through [`Trainer::model_mut`]); on
    /// error nothing is written.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Init, Trainer};
    ///
    /// let mut trainer = Box::new(Trainer::<2, 8, 0, 2, 1>::new());
    /// trainer.init_from_seed(Init::HeNormal, 3)?;
    /// let mut state = [0u8; Trainer::<2, 8, 0, 2, 1>::STATE_BYTES];
    /// assert_eq!(trainer.encode_state(&mut state)?, state.len());
    /// assert_eq!(&state[..4], b"SNS1");
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn encode_state(&self, buf: &mut [u8]) -> Result<usize, Error> {
        let counters = checkpoint::state::Counters { steps: self.steps, epochs: self.epochs };
        checkpoint::state::encode_state(
            &self.model,
            (&self.moment1, &self.moment2),
            counters,
            self.adam(),
            buf,
        )
    }

    /// Restores a training state written by [`Trainer::encode_state`] (or
    /// [`crate::NetworkTrainer::encode_state`] for the same shape): the
    /// model, Adam's moments, step count and hyperparameters, and the
    /// epochs trained. The workspace and gradient are not part of it (every
    /// step recomputes them).
    ///
    /// All or nothing: everything is checked first, in the order of
    /// [`crate::checkpoint::state`]'s list ([`Error::BadLength`],
    /// [`Error::BadMagic`], [`Error::UnsupportedVersion`],
    /// [`Error::BadShape`], [`Error::ShapeMismatch`],
    /// [`Error::ChecksumMismatch`], [`Error::BadHyperparameter`],
    /// [`Error::BadState`], [`Error::NonFiniteParameter`]); on error the
    /// trainer is unchanged.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Error, Init, Trainer};
    ///
    /// type Small = Trainer<2, 8, 0, 2, 1>;
    /// let mut trainer = Box::new(Small::new());
    /// trainer.init_from_seed(Init::HeNormal, 3)?;
    /// let mut state = [0u8; Small::STATE_BYTES];
    /// trainer.encode_state(&mut state)?;
    ///
    /// let mut restored = Box::new(Small::new());
    /// restored.decode_state(&state)?;
    /// assert_eq!(restored.model(), trainer.model());
    ///
    /// state[100] ^= 1; // a flipped bit is refused, and changes nothing
    /// assert_eq!(restored.decode_state(&state), Err(Error::ChecksumMismatch));
    /// assert_eq!(restored.model(), trainer.model());
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn decode_state(&mut self, bytes: &[u8]) -> Result<(), Error> {
        let (counters, adam) =
            checkpoint::state::decode_state(&mut self.model, (&mut self.moment1, &mut self.moment2), bytes)?;
        self.steps = counters.steps;
        self.epochs = counters.epochs;
        self.adam = if adam == Adam::new() { ADAM_DEFAULTS } else { adam };
        Ok(())
    }
}

impl<const IN: usize, const WIDTH: usize, const MID: usize, const OUT: usize, const B: usize> engine::Optimize
    for Trainer<IN, WIDTH, MID, OUT, B>
{
    fn gradient_totals(&mut self, data: &Samples<'_>) -> Result<LossTotals, Error> {
        let skip = engine::skipping_is_exact(&self.model);
        if skip && Self::TRANSPOSE {
            self.pass_transposed(data)
        } else {
            engine::gradient_pass(&self.model, &mut self.grad, &mut self.work.as_work(), None, skip, data)
        }
    }

    fn step(&mut self) -> Result<(), Error> {
        Trainer::step(self)
    }
}
