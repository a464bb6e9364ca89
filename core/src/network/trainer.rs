//! [`NetworkTrainer`]: training a [`Network`] of a run-time shape inside one
//! caller-provided arena.

use super::{Network, check_data};
use crate::checkpoint;
use crate::data::Samples;
use crate::engine::{self, Batching, FlatMut};
use crate::error::{Error, Hyperparameter};
use crate::init::{Init, rng_from_seed};
use crate::kernels::LossTotals;
use crate::loss::Metrics;
use crate::optimizer::Adam;
use crate::shape::Shape;
use rand_core::Rng;

mod observe;
mod state;

/// Trains a [`Network`] of a run-time [`Shape`] with Adam, in micro-batches
/// of a run-time size, entirely inside one caller-provided `f32` arena
/// (layout and lengths in [`crate::shape`]).
///
/// The same code as [`crate::Trainer`]: the gradient, and so the whole run,
/// is bit-identical for every micro-batch size, and identical to a
/// `Trainer` of the same shape.
///
/// # Examples
///
/// ```
/// use saorsa_nn::{Batching, Init, NetworkTrainer, Samples, Shape};
///
/// let shape = Shape::new(&[2, 8, 3])?;
/// let mut t = NetworkTrainer::new(shape.clone(), 4, vec![0.0f32; shape.arena_len(4)])?;
/// t.init_from_seed(Init::HeNormal, 0)?;
/// let data = Samples::new(&[0.5, 1.0, -1.0, 0.0, 0.0, 2.0], &[2, 0, 1], 2, 3)?;
/// let first = t.train_epoch(&data, Batching::Full)?;
/// for _ in 0..50 {
///     t.train_epoch(&data, Batching::Full)?;
/// }
/// assert!(t.evaluate(&data)?.loss < first.loss);
/// # Ok::<(), saorsa_nn::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct NetworkTrainer<S> {
    shape: Shape,
    micro_batch: usize,
    transposed: bool,
    steps: u64,
    epochs: u64,
    adam: Adam,
    arena: S,
}

/// The arena cut into its parts.
struct Parts<'a> {
    params: FlatMut<'a>,
    grad: FlatMut<'a>,
    m1: FlatMut<'a>,
    m2: FlatMut<'a>,
    work: engine::Work<'a>,
    wt: Option<engine::Transposed<'a>>,
}

fn split_arena<'a>(shape: &'a Shape, cap: usize, transposed: bool, arena: &'a mut [f32]) -> Parts<'a> {
    let widths = shape.widths();
    let p = shape.parameter_count();
    let (params, rest) = arena.split_at_mut(p);
    let (grad, rest) = rest.split_at_mut(p);
    let (m1, rest) = rest.split_at_mut(p);
    let (m2, rest) = rest.split_at_mut(p);
    let hidden = &widths[1..widths.len() - 1];
    let first_w = hidden.first().copied().unwrap_or(0);
    let rest_w: usize = hidden.iter().skip(1).sum();
    let h = shape.max_hidden_width();
    let (first, rest) = rest.split_at_mut(cap * first_w);
    let (acts, rest) = rest.split_at_mut(cap * rest_w);
    let (probs, rest) = rest.split_at_mut(cap * shape.classes());
    let (grad_a, rest) = rest.split_at_mut(cap * h);
    let (grad_b, rest) = rest.split_at_mut(cap * h);
    // Normalized values and 1/σ of every hidden layer (empty without normalization).
    let norm = shape.normalization() != crate::shape::Normalization::None;
    let (xhat_len, inv_len) =
        if norm { (cap * hidden.iter().sum::<usize>(), cap * hidden.len()) } else { (0, 0) };
    let (norm_xhat, rest) = rest.split_at_mut(xhat_len);
    let (norm_inv_std, rest) = rest.split_at_mut(inv_len);
    let wt = transposed.then(|| {
        let (fan_in, fan_out) = shape.layer(shape.layers() - 1);
        let t = &mut rest[..shape.transposed_len()];
        let (mid, last) = t.split_at_mut(t.len() - fan_in * fan_out);
        engine::Transposed { mid, last }
    });
    Parts {
        params: FlatMut { shape, data: params },
        grad: FlatMut { shape, data: grad },
        m1: FlatMut { shape, data: m1 },
        m2: FlatMut { shape, data: m2 },
        work: engine::Work { cap, first, rest: acts, probs, grad_a, grad_b, norm_xhat, norm_inv_std },
        wt,
    }
}

impl<S: AsRef<[f32]> + AsMut<[f32]>> NetworkTrainer<S> {
    /// A trainer of `shape` for micro-batches of `micro_batch` samples, over
    /// `arena`, which it zeroes: every parameter and moment `+0`, step 0, the
    /// default [`Adam`]. Initialize it with [`NetworkTrainer::init`].
    ///
    /// An arena of [`Shape::arena_len_transposed`] elements or more also
    /// holds transposed weights, which speeds up the gradient pass on a
    /// host (same bits).
    ///
    /// # Errors
    ///
    /// [`Error::BadHyperparameter`]`(`[`Hyperparameter::BatchSize`]`)`
    /// if `micro_batch` is 0; [`Error::ArenaTooSmall`] if `arena` is shorter
    /// than [`Shape::arena_len`]`(micro_batch)`.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Error, Hyperparameter, NetworkTrainer, Shape};
    ///
    /// let shape = Shape::new(&[2, 8, 3])?;
    /// let need = shape.arena_len(4);
    /// assert!(NetworkTrainer::new(shape.clone(), 4, vec![f32::NAN; need]).is_ok()); // zeroed
    /// assert_eq!(NetworkTrainer::new(shape.clone(), 4, vec![0.0; need - 1]).err(), Some(Error::ArenaTooSmall { needed: need, found: need - 1 }));
    /// assert_eq!(NetworkTrainer::new(shape, 0, vec![0.0; need]).err(), Some(Error::BadHyperparameter(Hyperparameter::BatchSize)));
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn new(shape: Shape, micro_batch: usize, mut arena: S) -> Result<Self, Error> {
        if micro_batch == 0 {
            return Err(Error::BadHyperparameter(Hyperparameter::BatchSize));
        }
        let found = arena.as_ref().len();
        let needed = shape.arena_len(micro_batch);
        if found < needed {
            return Err(Error::ArenaTooSmall { needed, found });
        }
        let full = shape.arena_len_transposed(micro_batch);
        // One layer has no input gradient to compute, so nothing to transpose.
        let transposed = found >= full && shape.layers() > 1;
        arena.as_mut()[..if transposed { full } else { needed }].fill(0.0);
        Ok(NetworkTrainer { shape, micro_batch, transposed, steps: 0, epochs: 0, adam: Adam::new(), arena })
    }

    fn parts(&mut self) -> Parts<'_> {
        split_arena(&self.shape, self.micro_batch, self.transposed, self.arena.as_mut())
    }

    /// The shape.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Init, NetworkTrainer, Shape};
    ///
    /// let shape = Shape::new(&[2, 8, 3])?;
    /// let mut t = NetworkTrainer::new(shape.clone(), 4, vec![0.0f32; shape.arena_len(4)])?;
    /// t.init_from_seed(Init::HeNormal, 0)?;
    /// assert_eq!(t.shape().widths(), &[2, 8, 3]);
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn shape(&self) -> &Shape {
        &self.shape
    }

    /// Samples per micro-batch.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Init, NetworkTrainer, Shape};
    ///
    /// let shape = Shape::new(&[2, 8, 3])?;
    /// let mut t = NetworkTrainer::new(shape.clone(), 4, vec![0.0f32; shape.arena_len(4)])?;
    /// t.init_from_seed(Init::HeNormal, 0)?;
    /// assert_eq!(t.micro_batch(), 4);
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn micro_batch(&self) -> usize {
        self.micro_batch
    }

    /// The arena back.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Init, NetworkTrainer, Shape};
    ///
    /// let shape = Shape::new(&[2, 8, 3])?;
    /// let mut t = NetworkTrainer::new(shape.clone(), 4, vec![0.0f32; shape.arena_len(4)])?;
    /// t.init_from_seed(Init::HeNormal, 0)?;
    /// let arena = t.into_inner();
    /// assert_eq!(arena.len(), shape.arena_len(4));
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn into_inner(self) -> S {
        self.arena
    }

    /// The model, as a [`Network`] over the arena's parameters.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Init, NetworkTrainer, Shape};
    ///
    /// let shape = Shape::new(&[2, 8, 3])?;
    /// let mut t = NetworkTrainer::new(shape.clone(), 4, vec![0.0f32; shape.arena_len(4)])?;
    /// t.init_from_seed(Init::HeNormal, 0)?;
    /// let net = t.network();
    /// assert_eq!(net.parameters(), t.parameters());
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn network(&self) -> Network<&[f32]> {
        Network { shape: self.shape.clone(), params: self.parameters() }
    }

    /// The parameters, in checkpoint order.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Init, NetworkTrainer, Shape};
    ///
    /// let shape = Shape::new(&[2, 8, 3])?;
    /// let mut t = NetworkTrainer::new(shape.clone(), 4, vec![0.0f32; shape.arena_len(4)])?;
    /// t.init_from_seed(Init::HeNormal, 0)?;
    /// assert_eq!(t.parameters().len(), shape.parameter_count());
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn parameters(&self) -> &[f32] {
        &self.arena.as_ref()[..self.shape.parameter_count()]
    }

    /// The gradient left by the last [`NetworkTrainer::compute_gradient`].
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Batching, Init, NetworkTrainer, Samples, Shape};
    ///
    /// let shape = Shape::new(&[2, 8, 3])?;
    /// let mut t = NetworkTrainer::new(shape.clone(), 4, vec![0.0f32; shape.arena_len(4)])?;
    /// t.init_from_seed(Init::HeNormal, 0)?;
    /// let data = Samples::new(&[0.5, 1.0, -1.0, 0.0, 0.0, 2.0], &[2, 0, 1], 2, 3)?;
    /// t.compute_gradient(&data)?;
    /// assert!(t.gradient().iter().any(|&g| g != 0.0));
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn gradient(&self) -> &[f32] {
        let p = self.shape.parameter_count();
        &self.arena.as_ref()[p..2 * p]
    }

    /// Adam's first and second moments.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Batching, Init, NetworkTrainer, Samples, Shape};
    ///
    /// let shape = Shape::new(&[2, 8, 3])?;
    /// let mut t = NetworkTrainer::new(shape.clone(), 4, vec![0.0f32; shape.arena_len(4)])?;
    /// t.init_from_seed(Init::HeNormal, 0)?;
    /// let data = Samples::new(&[0.5, 1.0, -1.0, 0.0, 0.0, 2.0], &[2, 0, 1], 2, 3)?;
    /// t.train_epoch(&data, Batching::Full)?;
    /// let (m, v) = t.moments();
    /// assert_eq!(m.len(), v.len());
    /// assert!(v.iter().all(|&x| x >= 0.0));
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn moments(&self) -> (&[f32], &[f32]) {
        let p = self.shape.parameter_count();
        (&self.arena.as_ref()[2 * p..3 * p], &self.arena.as_ref()[3 * p..4 * p])
    }

    /// Initializes the model in place with `init` from `rng` and resets the
    /// optimizer (moments zero, step 0). On error nothing changes.
    ///
    /// # Errors
    ///
    /// [`Error::BadHyperparameter`] if `init`'s parameter is invalid; then
    /// nothing changes.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Init, NetworkTrainer, Shape, rng_from_seed};
    ///
    /// let shape = Shape::new(&[2, 8, 3])?;
    /// let mut t = NetworkTrainer::new(shape.clone(), 1, vec![0.0f32; shape.arena_len(1)])?;
    /// t.init(Init::GlorotUniform, &mut rng_from_seed(3))?;
    /// assert!(t.network().is_finite());
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn init<R: Rng>(&mut self, init: Init, rng: &mut R) -> Result<(), Error> {
        engine::init(&mut self.parts().params, |_| init, rng)?;
        self.reset_optimizer();
        Ok(())
    }

    /// Initializes layer `k` with `inits[k]` (see [`Network::init_layers`])
    /// and resets the optimizer. On error nothing changes.
    ///
    /// # Errors
    ///
    /// [`Error::BadShape`] if there is not one initializer per layer,
    /// [`Error::BadHyperparameter`]; then nothing changes.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Error, Init, NetworkTrainer, Shape, rng_from_seed};
    ///
    /// let shape = Shape::new(&[2, 8, 3])?;
    /// let mut t = NetworkTrainer::new(shape.clone(), 1, vec![0.0f32; shape.arena_len(1)])?;
    /// t.init_layers(&[Init::GlorotNormal, Init::HeNormal], &mut rng_from_seed(0))?;
    /// assert_eq!(t.init_layers(&[Init::HeNormal], &mut rng_from_seed(0)), Err(Error::BadShape));
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn init_layers<R: Rng>(&mut self, inits: &[Init], rng: &mut R) -> Result<(), Error> {
        if inits.len() != self.shape.layers() {
            return Err(Error::BadShape);
        }
        engine::init(&mut self.parts().params, |k| inits[k], rng)?;
        self.reset_optimizer();
        Ok(())
    }

    /// [`NetworkTrainer::init`] from [`rng_from_seed`]`(seed)`.
    ///
    /// # Errors
    ///
    /// [`Error::BadHyperparameter`]; then nothing changes.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Init, NetworkTrainer, Shape};
    ///
    /// let shape = Shape::new(&[2, 8, 3])?;
    /// let mut t = NetworkTrainer::new(shape.clone(), 4, vec![0.0f32; shape.arena_len(4)])?;
    /// t.init_from_seed(Init::HeNormal, 0)?;
    /// assert_eq!(t.steps(), 0);
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn init_from_seed(&mut self, init: Init, seed: u64) -> Result<(), Error> {
        self.init(init, &mut rng_from_seed(seed))
    }

    /// [`NetworkTrainer::init_layers`] from [`rng_from_seed`]`(seed)`.
    ///
    /// # Errors
    ///
    /// [`Error::BadShape`] if there is not one initializer per layer,
    /// [`Error::BadHyperparameter`]; then nothing changes.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Init, NetworkTrainer, Shape};
    ///
    /// let shape = Shape::new(&[2, 8, 8, 3])?;
    /// let mut t = NetworkTrainer::new(shape.clone(), 1, vec![0.0f32; shape.arena_len(1)])?;
    /// t.init_layers_from_seed(&[Init::GlorotNormal, Init::HeNormal, Init::HeNormal], 7)?;
    /// assert!(t.network().is_finite());
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn init_layers_from_seed(&mut self, inits: &[Init], seed: u64) -> Result<(), Error> {
        self.init_layers(inits, &mut rng_from_seed(seed))
    }

    /// Reads a checkpoint into the model (see [`Network::decode_checkpoint`]);
    /// the optimizer is kept. On error nothing changes.
    ///
    /// # Errors
    ///
    /// Those of [`Network::decode_checkpoint`].
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Init, NetworkTrainer, Shape};
    ///
    /// let shape = Shape::new(&[2, 8, 3])?;
    /// let mut t = NetworkTrainer::new(shape.clone(), 4, vec![0.0f32; shape.arena_len(4)])?;
    /// t.init_from_seed(Init::HeNormal, 0)?;
    /// let mut bytes = vec![0u8; shape.checkpoint_bytes()];
    /// t.encode_checkpoint(&mut bytes)?;
    /// let mut other = NetworkTrainer::new(shape.clone(), 1, vec![0.0f32; shape.arena_len(1)])?;
    /// other.decode_checkpoint(&bytes)?;
    /// assert_eq!(other.parameters(), t.parameters());
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn decode_checkpoint(&mut self, bytes: &[u8]) -> Result<(), Error> {
        checkpoint::decode(&mut self.parts().params, bytes)
    }

    /// Writes the model's checkpoint (see [`Network::encode_checkpoint`]).
    ///
    /// # Errors
    ///
    /// Those of [`Network::encode_checkpoint`].
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Init, NetworkTrainer, Shape};
    ///
    /// let shape = Shape::new(&[2, 8, 3])?;
    /// let mut t = NetworkTrainer::new(shape.clone(), 4, vec![0.0f32; shape.arena_len(4)])?;
    /// t.init_from_seed(Init::HeNormal, 0)?;
    /// let mut bytes = vec![0u8; shape.checkpoint_bytes()];
    /// assert_eq!(t.encode_checkpoint(&mut bytes)?, bytes.len());
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn encode_checkpoint(&self, buf: &mut [u8]) -> Result<usize, Error> {
        self.network().encode_checkpoint(buf)
    }

    /// Zeroes Adam's moments, step count and epoch count (the model is kept).
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Batching, Init, NetworkTrainer, Samples, Shape};
    ///
    /// let shape = Shape::new(&[2, 8, 3])?;
    /// let mut t = NetworkTrainer::new(shape.clone(), 4, vec![0.0f32; shape.arena_len(4)])?;
    /// t.init_from_seed(Init::HeNormal, 0)?;
    /// let data = Samples::new(&[0.5, 1.0, -1.0, 0.0, 0.0, 2.0], &[2, 0, 1], 2, 3)?;
    /// t.train_epoch(&data, Batching::Full)?;
    /// t.reset_optimizer();
    /// assert_eq!((t.steps(), t.epochs()), (0, 0));
    /// assert!(t.moments().0.iter().all(|&m| m == 0.0));
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn reset_optimizer(&mut self) {
        let parts = self.parts();
        parts.m1.data.fill(0.0);
        parts.m2.data.fill(0.0);
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
    /// use saorsa_nn::{Adam, Init, NetworkTrainer, Shape};
    ///
    /// let shape = Shape::new(&[2, 8, 3])?;
    /// let mut t = NetworkTrainer::new(shape.clone(), 4, vec![0.0f32; shape.arena_len(4)])?;
    /// t.init_from_seed(Init::HeNormal, 0)?;
    /// t.set_adam(Adam { epsilon: 1e-8, ..Adam::new() })?;
    /// assert_eq!(t.adam().epsilon, 1e-8);
    /// assert!(t.set_adam(Adam { beta2: 1.5, ..Adam::new() }).is_err());
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
    /// use saorsa_nn::{Adam, Init, NetworkTrainer, Shape};
    ///
    /// let shape = Shape::new(&[2, 8, 3])?;
    /// let mut t = NetworkTrainer::new(shape.clone(), 4, vec![0.0f32; shape.arena_len(4)])?;
    /// t.init_from_seed(Init::HeNormal, 0)?;
    /// assert_eq!(t.adam(), &Adam::new());
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn adam(&self) -> &Adam {
        &self.adam
    }

    /// Optimizer steps taken since the last reset.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Batching, Init, NetworkTrainer, Samples, Shape};
    /// use std::num::NonZeroUsize;
    ///
    /// let shape = Shape::new(&[2, 8, 3])?;
    /// let mut t = NetworkTrainer::new(shape.clone(), 4, vec![0.0f32; shape.arena_len(4)])?;
    /// t.init_from_seed(Init::HeNormal, 0)?;
    /// let data = Samples::new(&[0.5, 1.0, -1.0, 0.0, 0.0, 2.0], &[2, 0, 1], 2, 3)?;
    /// t.train_epoch(&data, Batching::MiniBatch(NonZeroUsize::new(2).unwrap()))?;
    /// assert_eq!(t.steps(), 2);
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// Epochs trained ([`NetworkTrainer::train_epoch`] calls that
    /// succeeded) since the last reset.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Batching, Init, NetworkTrainer, Samples, Shape};
    ///
    /// let shape = Shape::new(&[2, 8, 3])?;
    /// let mut t = NetworkTrainer::new(shape.clone(), 4, vec![0.0f32; shape.arena_len(4)])?;
    /// t.init_from_seed(Init::HeNormal, 0)?;
    /// let data = Samples::new(&[0.5, 1.0, -1.0, 0.0, 0.0, 2.0], &[2, 0, 1], 2, 3)?;
    /// t.train_epoch(&data, Batching::Full)?;
    /// assert_eq!(t.epochs(), 1);
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn epochs(&self) -> u64 {
        self.epochs
    }

    /// Computes the gradient of the mean loss over `data` into
    /// [`NetworkTrainer::gradient`], in micro-batches, and returns the loss
    /// and accuracy of this forward pass.
    ///
    /// # Errors
    ///
    /// [`Error::ShapeMismatch`] if the data's features are not the
    /// network's inputs or it has more classes; [`Error::Diverged`] if the
    /// loss is not finite. The model and optimizer never change.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Batching, Init, NetworkTrainer, Samples, Shape};
    ///
    /// let shape = Shape::new(&[2, 8, 3])?;
    /// let mut t = NetworkTrainer::new(shape.clone(), 4, vec![0.0f32; shape.arena_len(4)])?;
    /// t.init_from_seed(Init::HeNormal, 0)?;
    /// let data = Samples::new(&[0.5, 1.0, -1.0, 0.0, 0.0, 2.0], &[2, 0, 1], 2, 3)?;
    /// let before = t.parameters().to_vec();
    /// let m = t.compute_gradient(&data)?;
    /// assert_eq!(t.parameters(), &before[..]);
    /// assert_eq!(m, t.evaluate(&data)?);
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn compute_gradient(&mut self, data: &Samples<'_>) -> Result<Metrics, Error> {
        check_data(&self.shape, data)?;
        engine::Optimize::gradient_totals(self, data).map(|t| Metrics::from_totals(&t))
    }

    /// One Adam step with the current gradient, all or nothing.
    ///
    /// # Errors
    ///
    /// [`Error::Diverged`] if any updated parameter or moment would
    /// not be finite; then nothing changes.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Batching, Init, NetworkTrainer, Samples, Shape};
    ///
    /// let shape = Shape::new(&[2, 8, 3])?;
    /// let mut t = NetworkTrainer::new(shape.clone(), 4, vec![0.0f32; shape.arena_len(4)])?;
    /// t.init_from_seed(Init::HeNormal, 0)?;
    /// let data = Samples::new(&[0.5, 1.0, -1.0, 0.0, 0.0, 2.0], &[2, 0, 1], 2, 3)?;
    /// t.compute_gradient(&data)?;
    /// t.step()?;
    /// assert_eq!(t.steps(), 1);
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn step(&mut self) -> Result<(), Error> {
        let (adam, steps) = (self.adam, self.steps);
        let mut p = self.parts();
        engine::adam_step(&mut p.params, &p.grad, (&mut p.m1, &mut p.m2), &adam, steps)?;
        self.steps += 1;
        Ok(())
    }

    /// One training epoch, as [`crate::Trainer::train_epoch`]: returns the
    /// loss and accuracy of the forward passes before each step's update.
    /// On success the epoch count ([`NetworkTrainer::epochs`]) grows by one.
    ///
    /// # Errors
    ///
    /// [`Error::ShapeMismatch`] (nothing changes), or
    /// [`Error::Diverged`] if a step's loss or update is not finite: the
    /// failing step changes nothing; with [`Batching::MiniBatch`] the steps
    /// before it stay applied.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Batching, Error, Init, NetworkTrainer, Samples, Shape};
    ///
    /// let shape = Shape::new(&[2, 8, 3])?;
    /// let mut t = NetworkTrainer::new(shape.clone(), 4, vec![0.0f32; shape.arena_len(4)])?;
    /// t.init_from_seed(Init::HeNormal, 0)?;
    /// let data = Samples::new(&[0.5, 1.0, -1.0, 0.0, 0.0, 2.0], &[2, 0, 1], 2, 3)?;
    /// t.train_epoch(&data, Batching::Full)?;
    /// let wrong = Samples::new(&[0.5, 1.0, 2.0], &[0], 3, 2)?; // three features
    /// assert_eq!(t.train_epoch(&wrong, Batching::Full), Err(Error::ShapeMismatch));
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn train_epoch(&mut self, data: &Samples<'_>, batching: Batching) -> Result<Metrics, Error> {
        check_data(&self.shape, data)?;
        let metrics = engine::train_epoch(self, data, batching)?;
        self.epochs += 1;
        Ok(metrics)
    }

    /// Mean loss and accuracy of the model on `data`, with the trainer's
    /// workspace as scratch (the gradient and moments are not touched).
    ///
    /// # Errors
    ///
    /// [`Error::ShapeMismatch`].
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Batching, Init, NetworkTrainer, Samples, Shape};
    ///
    /// let shape = Shape::new(&[2, 8, 3])?;
    /// let mut t = NetworkTrainer::new(shape.clone(), 4, vec![0.0f32; shape.arena_len(4)])?;
    /// t.init_from_seed(Init::HeNormal, 0)?;
    /// let data = Samples::new(&[0.5, 1.0, -1.0, 0.0, 0.0, 2.0], &[2, 0, 1], 2, 3)?;
    /// let m = t.evaluate(&data)?;
    /// let mut scratch = vec![0.0f32; shape.evaluation_scratch_len(1)];
    /// assert_eq!(m, t.network().evaluate(&data, &mut scratch)?);
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn evaluate(&mut self, data: &Samples<'_>) -> Result<Metrics, Error> {
        check_data(&self.shape, data)?;
        let p = self.parts();
        let scratch = (p.work.grad_a, p.work.grad_b, p.work.probs);
        Ok(engine::evaluate(&p.params, data, p.work.cap, scratch))
    }
}

impl<S: AsRef<[f32]> + AsMut<[f32]>> engine::Optimize for NetworkTrainer<S> {
    fn gradient_totals(&mut self, data: &Samples<'_>) -> Result<LossTotals, Error> {
        let mut p = self.parts();
        let skip = engine::skipping_is_exact(&p.params);
        engine::gradient_pass(&p.params, &mut p.grad, &mut p.work, p.wt, skip, data, &mut engine::NoProbe)
    }

    fn step(&mut self) -> Result<(), Error> {
        NetworkTrainer::step(self)
    }
}
