//! [`Trainer`]: everything training a [`Mlp`] needs, sized at compile time.

use super::Mlp;
use crate::checkpoint;
use crate::data::{Dataset, Samples};
use crate::engine::{self, Batching};
use crate::error::Error;
use crate::init::{Init, rng_from_seed};
use crate::kernels::LossTotals;
use crate::loss::Metrics;
use crate::optimizer::Adam;
use rand_core::Rng;

mod observe;

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
///
/// # Examples
///
/// ```
/// use saorsa_nn::{Batching, Dataset, Init, Trainer};
///
/// let x = [[0.0f32, 1.0], [1.0, 0.0], [0.5, 0.5]];
/// let data = Dataset::<2, 2>::new(&x, &[0, 1, 1])?;
/// let mut t = Box::new(Trainer::<2, 8, 0, 2, 1>::new());
/// t.init_from_seed(Init::HeNormal, 0)?;
/// let metrics = t.train_epoch(&data, Batching::Full)?;
/// assert_eq!(metrics.samples, 3);
/// assert_eq!((t.steps(), t.epochs()), (1, 1));
/// # Ok::<(), saorsa_nn::Error>(())
/// ```
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
///
/// # Examples
///
/// ```
/// use saorsa_nn::PaperTrainer;
///
/// // In firmware: a `static`, all zero bits, in .bss.
/// static TRAINER: std::sync::Mutex<PaperTrainer<1>> = std::sync::Mutex::new(PaperTrainer::new());
/// assert_eq!(PaperTrainer::<1>::TRAINING_MEMORY_BYTES, 139_608);
/// assert_eq!(TRAINER.lock().unwrap().steps(), 0);
/// ```
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
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Init, Trainer};
    ///
    /// let t = Box::new(Trainer::<2, 8, 0, 2, 1>::new());
    /// assert_eq!((t.steps(), t.epochs()), (0, 0));
    /// assert_eq!(t.adam(), &saorsa_nn::Adam::new());
    /// ```
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
    ///
    /// # Errors
    ///
    /// [`Error::BadHyperparameter`] if `init`'s parameter is invalid.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Init, Trainer, rng_from_seed};
    ///
    /// let mut t = Box::new(Trainer::<2, 8, 0, 2, 1>::new());
    /// t.init(Init::GlorotUniform, &mut rng_from_seed(5))?;
    /// assert!(t.model().is_finite());
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn init<R: Rng>(&mut self, init: Init, rng: &mut R) -> Result<(), Error> {
        self.model.init(init, rng)?;
        self.reset_optimizer();
        Ok(())
    }

    /// [`Trainer::init`] from [`rng_from_seed`]`(seed)`.
    ///
    /// # Errors
    ///
    /// [`Error::BadHyperparameter`] if `init`'s parameter is invalid; then
    /// nothing changes.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Init, Trainer};
    ///
    /// let mut t = Box::new(Trainer::<2, 8, 0, 2, 1>::new());
    /// t.init_from_seed(Init::HeNormal, 0)?;
    /// assert_eq!(t.steps(), 0);
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn init_from_seed(&mut self, init: Init, seed: u64) -> Result<(), Error> {
        self.init(init, &mut rng_from_seed(seed))
    }

    /// Zeroes Adam's moments, step count and epoch count (the model is kept).
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Batching, Dataset, Init, Trainer};
    ///
    /// let x = [[0.0f32, 1.0], [1.0, 0.0], [0.5, 0.5]];
    /// let data = Dataset::<2, 2>::new(&x, &[0, 1, 1])?;
    /// let mut t = Box::new(Trainer::<2, 8, 0, 2, 1>::new());
    /// t.init_from_seed(Init::HeNormal, 0)?;
    /// t.train_epoch(&data, Batching::Full)?;
    /// t.reset_optimizer();
    /// assert_eq!((t.steps(), t.epochs()), (0, 0));
    /// assert_eq!(t.moments().0, &saorsa_nn::Mlp::new());
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn reset_optimizer(&mut self) {
        self.moment1.zero();
        self.moment2.zero();
        self.steps = 0;
        self.epochs = 0;
    }

    /// Sets Adam's hyperparameters after checking them; the moments are kept.
    ///
    /// # Errors
    ///
    /// [`Error::BadHyperparameter`] (see [`Adam::validate`]); then nothing
    /// changes.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Adam, Error, Hyperparameter, Trainer};
    ///
    /// let mut t = Box::new(Trainer::<2, 8, 0, 2, 1>::new());
    /// t.set_adam(Adam::with_learning_rate(0.01))?;
    /// assert_eq!(t.set_adam(Adam::with_learning_rate(0.0)), Err(Error::BadHyperparameter(Hyperparameter::LearningRate)));
    /// assert_eq!(t.adam().learning_rate, 0.01);
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn set_adam(&mut self, adam: Adam) -> Result<(), Error> {
        adam.validate()?;
        self.adam = adam;
        Ok(())
    }

    /// Adam's hyperparameters.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Adam, Trainer};
    ///
    /// let t = Box::new(Trainer::<2, 8, 0, 2, 1>::new());
    /// assert_eq!(t.adam(), &Adam::new());
    /// ```
    pub fn adam(&self) -> &Adam {
        static DEFAULT: Adam = Adam::new();
        if self.adam.learning_rate == 0.0 { &DEFAULT } else { &self.adam }
    }

    /// Optimizer steps taken since the last reset.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Batching, Dataset, Init, Trainer};
    /// use std::num::NonZeroUsize;
    ///
    /// let x = [[0.0f32, 1.0], [1.0, 0.0], [0.5, 0.5]];
    /// let data = Dataset::<2, 2>::new(&x, &[0, 1, 1])?;
    /// let mut t = Box::new(Trainer::<2, 8, 0, 2, 1>::new());
    /// t.init_from_seed(Init::HeNormal, 0)?;
    /// t.train_epoch(&data, Batching::MiniBatch(NonZeroUsize::new(2).unwrap()))?;
    /// assert_eq!(t.steps(), 2);
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// Epochs trained ([`Trainer::train_epoch`] calls that succeeded) since
    /// the last reset; steps taken with [`Trainer::step`] alone do not count.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Batching, Dataset, Init, Trainer};
    ///
    /// let x = [[0.0f32, 1.0], [1.0, 0.0], [0.5, 0.5]];
    /// let data = Dataset::<2, 2>::new(&x, &[0, 1, 1])?;
    /// let mut t = Box::new(Trainer::<2, 8, 0, 2, 1>::new());
    /// t.init_from_seed(Init::HeNormal, 0)?;
    /// t.train_epoch(&data, Batching::Full)?;
    /// t.compute_gradient(&data)?;
    /// t.step()?; // a step outside an epoch
    /// assert_eq!((t.steps(), t.epochs()), (2, 1));
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn epochs(&self) -> u64 {
        self.epochs
    }

    /// The model.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Batching, Dataset, Init, Trainer};
    ///
    /// let x = [[0.0f32, 1.0], [1.0, 0.0], [0.5, 0.5]];
    /// let data = Dataset::<2, 2>::new(&x, &[0, 1, 1])?;
    /// let mut t = Box::new(Trainer::<2, 8, 0, 2, 1>::new());
    /// t.init_from_seed(Init::HeNormal, 0)?;
    /// let p = t.model().predict(&x[0]);
    /// assert!(p.iter().all(|v| (0.0..=1.0).contains(v)));
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn model(&self) -> &Mlp<IN, WIDTH, MID, OUT> {
        &self.model
    }

    /// The model, mutably (to load a checkpoint, say). Changing it does not
    /// reset the optimizer.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Init, Trainer};
    ///
    /// let mut t = Box::new(Trainer::<2, 8, 0, 2, 1>::new());
    /// t.init_from_seed(Init::HeNormal, 0)?;
    /// t.model_mut().output.bias = [0.0, 5.0];
    /// assert_eq!(t.model().classify(&[0.0, 0.0]), 1);
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn model_mut(&mut self) -> &mut Mlp<IN, WIDTH, MID, OUT> {
        &mut self.model
    }

    /// The gradient left by the last [`Trainer::compute_gradient`].
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Batching, Dataset, Init, Trainer};
    ///
    /// let x = [[0.0f32, 1.0], [1.0, 0.0], [0.5, 0.5]];
    /// let data = Dataset::<2, 2>::new(&x, &[0, 1, 1])?;
    /// let mut t = Box::new(Trainer::<2, 8, 0, 2, 1>::new());
    /// t.init_from_seed(Init::HeNormal, 0)?;
    /// t.compute_gradient(&data)?;
    /// assert!(t.gradient().layers().any(|l| l.weights.iter().any(|&g| g != 0.0)));
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn gradient(&self) -> &Mlp<IN, WIDTH, MID, OUT> {
        &self.grad
    }

    /// Adam's first and second moments.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Batching, Dataset, Init, Trainer};
    ///
    /// let x = [[0.0f32, 1.0], [1.0, 0.0], [0.5, 0.5]];
    /// let data = Dataset::<2, 2>::new(&x, &[0, 1, 1])?;
    /// let mut t = Box::new(Trainer::<2, 8, 0, 2, 1>::new());
    /// t.init_from_seed(Init::HeNormal, 0)?;
    /// t.train_epoch(&data, Batching::Full)?;
    /// let (m, v) = t.moments();
    /// assert!(v.layers().all(|l| l.weights.iter().all(|&x| x >= 0.0)));
    /// assert!(m.is_finite());
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn moments(&self) -> (&Mlp<IN, WIDTH, MID, OUT>, &Mlp<IN, WIDTH, MID, OUT>) {
        (&self.moment1, &self.moment2)
    }

    /// Computes the gradient of the mean loss over `data` into
    /// [`Trainer::gradient`], running the data through in micro-batches of
    /// `B`, and returns the loss and accuracy of this forward pass.
    ///
    /// # Errors
    ///
    /// [`Error::Diverged`] if the loss is not finite. The model and
    /// optimizer never change.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Batching, Dataset, Init, Trainer};
    ///
    /// let x = [[0.0f32, 1.0], [1.0, 0.0], [0.5, 0.5]];
    /// let data = Dataset::<2, 2>::new(&x, &[0, 1, 1])?;
    /// let mut t = Box::new(Trainer::<2, 8, 0, 2, 1>::new());
    /// t.init_from_seed(Init::HeNormal, 0)?;
    /// let before = t.model().clone();
    /// let metrics = t.compute_gradient(&data)?;
    /// assert_eq!(t.model(), &before); // the model does not move
    /// assert_eq!(metrics, t.model().evaluate(&data));
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
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
        engine::gradient_pass(
            &self.model,
            &mut self.grad,
            &mut self.work.as_work(),
            Some(wt),
            true,
            data,
            &mut engine::NoProbe,
        )
    }

    /// One Adam step with the current gradient, all or nothing.
    ///
    /// # Errors
    ///
    /// [`Error::Diverged`] if any updated parameter would not be
    /// finite; then nothing changes (a first pass checks, a second writes).
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Batching, Dataset, Init, Trainer};
    ///
    /// let x = [[0.0f32, 1.0], [1.0, 0.0], [0.5, 0.5]];
    /// let data = Dataset::<2, 2>::new(&x, &[0, 1, 1])?;
    /// let mut t = Box::new(Trainer::<2, 8, 0, 2, 1>::new());
    /// t.init_from_seed(Init::HeNormal, 0)?;
    /// t.compute_gradient(&data)?;
    /// let before = t.model().clone();
    /// t.step()?;
    /// assert_ne!(t.model(), &before);
    /// assert_eq!(t.steps(), 1);
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
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
    /// # Errors
    ///
    /// [`Error::Diverged`] if a step's loss or update is not finite.
    /// The failing step changes nothing (nor the epoch count); with
    /// [`Batching::MiniBatch`] the steps before it stay applied.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Batching, Dataset, Init, Trainer};
    ///
    /// let x = [[0.0f32, 1.0], [1.0, 0.0], [0.5, 0.5]];
    /// let data = Dataset::<2, 2>::new(&x, &[0, 1, 1])?;
    /// let mut t = Box::new(Trainer::<2, 8, 0, 2, 1>::new());
    /// t.init_from_seed(Init::HeNormal, 0)?;
    /// let first = t.train_epoch(&data, Batching::Full)?;
    /// for _ in 0..100 {
    ///     t.train_epoch(&data, Batching::Full)?;
    /// }
    /// assert!(t.model().evaluate(&data).loss < first.loss);
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
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
    /// # Errors
    ///
    /// [`Error::BufferTooSmall`] if `buf` is shorter than
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
    /// # Errors
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
            engine::gradient_pass(
                &self.model,
                &mut self.grad,
                &mut self.work.as_work(),
                None,
                skip,
                data,
                &mut engine::NoProbe,
            )
        }
    }

    fn step(&mut self) -> Result<(), Error> {
        Trainer::step(self)
    }
}
