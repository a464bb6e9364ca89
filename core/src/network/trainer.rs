//! [`NetworkTrainer`]: training a [`Network`] of a run-time shape inside one
//! caller-provided arena.

use super::{Network, check_data};
use crate::checkpoint;
use crate::data::Samples;
use crate::engine::{self, Batching, Flat, FlatMut};
use crate::error::{Error, Hyperparameter};
use crate::init::{Init, rng_from_seed};
use crate::kernels::LossTotals;
use crate::loss::Metrics;
use crate::optimizer::Adam;
use crate::shape::Shape;
use rand_core::Rng;

/// Trains a [`Network`] of a run-time [`Shape`] with Adam, in micro-batches
/// of a run-time size, entirely inside one caller-provided `f32` arena
/// (layout and lengths in [`crate::shape`]).
///
/// The same code as [`crate::Trainer`]: the gradient, and so the whole run,
/// is bit-identical for every micro-batch size, and identical to a
/// `Trainer` of the same shape.
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
    /// Errors: [`Error::BadHyperparameter`]`(`[`Hyperparameter::BatchSize`]`)`
    /// if `micro_batch` is 0; [`Error::ArenaTooSmall`] if `arena` is shorter
    /// than [`Shape::arena_len`]`(micro_batch)`.
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
    pub fn shape(&self) -> &Shape {
        &self.shape
    }

    /// Samples per micro-batch.
    pub fn micro_batch(&self) -> usize {
        self.micro_batch
    }

    /// The arena back.
    pub fn into_inner(self) -> S {
        self.arena
    }

    /// The model, as a [`Network`] over the arena's parameters.
    pub fn network(&self) -> Network<&[f32]> {
        Network { shape: self.shape.clone(), params: self.parameters() }
    }

    /// The parameters, in checkpoint order.
    pub fn parameters(&self) -> &[f32] {
        &self.arena.as_ref()[..self.shape.parameter_count()]
    }

    /// The gradient left by the last [`NetworkTrainer::compute_gradient`].
    pub fn gradient(&self) -> &[f32] {
        let p = self.shape.parameter_count();
        &self.arena.as_ref()[p..2 * p]
    }

    /// Adam's first and second moments.
    pub fn moments(&self) -> (&[f32], &[f32]) {
        let p = self.shape.parameter_count();
        (&self.arena.as_ref()[2 * p..3 * p], &self.arena.as_ref()[3 * p..4 * p])
    }

    /// Initializes the model in place with `init` from `rng` and resets the
    /// optimizer (moments zero, step 0). On error nothing changes.
    pub fn init<R: Rng>(&mut self, init: Init, rng: &mut R) -> Result<(), Error> {
        engine::init(&mut self.parts().params, |_| init, rng)?;
        self.reset_optimizer();
        Ok(())
    }

    /// Initializes layer `k` with `inits[k]` (see [`Network::init_layers`])
    /// and resets the optimizer. On error nothing changes.
    pub fn init_layers<R: Rng>(&mut self, inits: &[Init], rng: &mut R) -> Result<(), Error> {
        if inits.len() != self.shape.layers() {
            return Err(Error::BadShape);
        }
        engine::init(&mut self.parts().params, |k| inits[k], rng)?;
        self.reset_optimizer();
        Ok(())
    }

    /// [`NetworkTrainer::init`] from [`rng_from_seed`]`(seed)`.
    pub fn init_from_seed(&mut self, init: Init, seed: u64) -> Result<(), Error> {
        self.init(init, &mut rng_from_seed(seed))
    }

    /// [`NetworkTrainer::init_layers`] from [`rng_from_seed`]`(seed)`.
    pub fn init_layers_from_seed(&mut self, inits: &[Init], seed: u64) -> Result<(), Error> {
        self.init_layers(inits, &mut rng_from_seed(seed))
    }

    /// Reads a checkpoint into the model (see [`Network::decode_checkpoint`]);
    /// the optimizer is kept. On error nothing changes.
    pub fn decode_checkpoint(&mut self, bytes: &[u8]) -> Result<(), Error> {
        checkpoint::decode(&mut self.parts().params, bytes)
    }

    /// Writes the model's checkpoint (see [`Network::encode_checkpoint`]).
    pub fn encode_checkpoint(&self, buf: &mut [u8]) -> Result<usize, Error> {
        self.network().encode_checkpoint(buf)
    }

    /// Zeroes Adam's moments, step count and epoch count (the model is kept).
    pub fn reset_optimizer(&mut self) {
        let parts = self.parts();
        parts.m1.data.fill(0.0);
        parts.m2.data.fill(0.0);
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
        &self.adam
    }

    /// Optimizer steps taken since the last reset.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// Epochs trained ([`NetworkTrainer::train_epoch`] calls that
    /// succeeded) since the last reset.
    pub fn epochs(&self) -> u64 {
        self.epochs
    }

    /// Writes the training state — the model, Adam's moments, step count
    /// and hyperparameters, and the epochs trained — into
    /// `buf[..`[`Shape::state_bytes`]`]` and returns its length (format in
    /// [`crate::checkpoint::state`]). Restored with
    /// [`NetworkTrainer::decode_state`] into a trainer of the same shape
    /// (any micro-batch size), or a [`crate::Trainer`] of that shape,
    /// training goes on with the same bits as if it had never stopped.
    ///
    /// Errors: [`Error::BufferTooSmall`]; on error nothing is written.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Init, NetworkTrainer, Shape};
    ///
    /// let shape = Shape::new(&[2, 8, 2])?;
    /// let mut trainer = NetworkTrainer::new(shape.clone(), 1, vec![0.0; shape.arena_len(1)])?;
    /// trainer.init_from_seed(Init::HeNormal, 3)?;
    /// let mut state = vec![0u8; shape.state_bytes()];
    /// assert_eq!(trainer.encode_state(&mut state)?, state.len());
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn encode_state(&self, buf: &mut [u8]) -> Result<usize, Error> {
        let p = self.shape.parameter_count();
        let arena = self.arena.as_ref();
        let flat = |k: usize| Flat { shape: &self.shape, data: &arena[k * p..(k + 1) * p] };
        let counters = checkpoint::state::Counters { steps: self.steps, epochs: self.epochs };
        checkpoint::state::encode_state(&flat(0), (&flat(2), &flat(3)), counters, &self.adam, buf)
    }

    /// Restores a training state written by
    /// [`NetworkTrainer::encode_state`] or [`crate::Trainer::encode_state`]
    /// for this trainer's shape (and normalization): the model, Adam's
    /// moments, step count and hyperparameters, and the epochs trained.
    /// [`crate::checkpoint::state::read_shape`] gives a state's shape.
    ///
    /// All or nothing: everything is checked first, in the order of
    /// [`crate::checkpoint::state`]'s list; on error the trainer is
    /// unchanged.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Error, Init, NetworkTrainer, Shape};
    ///
    /// let shape = Shape::new(&[2, 8, 2])?;
    /// let mut trainer = NetworkTrainer::new(shape.clone(), 1, vec![0.0; shape.arena_len(1)])?;
    /// trainer.init_from_seed(Init::HeNormal, 3)?;
    /// let mut state = vec![0u8; shape.state_bytes()];
    /// trainer.encode_state(&mut state)?;
    ///
    /// // Restored into a trainer of another micro-batch size.
    /// let mut restored = NetworkTrainer::new(shape.clone(), 4, vec![0.0; shape.arena_len(4)])?;
    /// restored.decode_state(&state)?;
    /// assert_eq!(restored.parameters(), trainer.parameters());
    /// // A state of another shape is refused.
    /// let other = Shape::new(&[2, 9, 2])?;
    /// let mut wrong = NetworkTrainer::new(other.clone(), 1, vec![0.0; other.arena_len(1)])?;
    /// assert_eq!(wrong.decode_state(&state), Err(Error::ShapeMismatch));
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn decode_state(&mut self, bytes: &[u8]) -> Result<(), Error> {
        let mut p = self.parts();
        let (counters, adam) = checkpoint::state::decode_state(&mut p.params, (&mut p.m1, &mut p.m2), bytes)?;
        self.steps = counters.steps;
        self.epochs = counters.epochs;
        self.adam = adam;
        Ok(())
    }

    /// Computes the gradient of the mean loss over `data` into
    /// [`NetworkTrainer::gradient`], in micro-batches, and returns the loss
    /// and accuracy of this forward pass.
    ///
    /// Errors: [`Error::ShapeMismatch`] if the data's features are not the
    /// network's inputs or it has more classes; [`Error::Diverged`] if the
    /// loss is not finite. The model and optimizer never change.
    pub fn compute_gradient(&mut self, data: &Samples<'_>) -> Result<Metrics, Error> {
        check_data(&self.shape, data)?;
        engine::Optimize::gradient_totals(self, data).map(|t| Metrics::from_totals(&t))
    }

    /// One Adam step with the current gradient, all or nothing.
    ///
    /// Errors: [`Error::Diverged`] if any updated parameter or moment would
    /// not be finite; then nothing changes.
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
    /// Errors: [`Error::ShapeMismatch`] (nothing changes), or
    /// [`Error::Diverged`] if a step's loss or update is not finite: the
    /// failing step changes nothing; with [`Batching::MiniBatch`] the steps
    /// before it stay applied.
    pub fn train_epoch(&mut self, data: &Samples<'_>, batching: Batching) -> Result<Metrics, Error> {
        check_data(&self.shape, data)?;
        let metrics = engine::train_epoch(self, data, batching)?;
        self.epochs += 1;
        Ok(metrics)
    }

    /// Mean loss and accuracy of the model on `data`, with the trainer's
    /// workspace as scratch (the gradient and moments are not touched).
    ///
    /// Errors: [`Error::ShapeMismatch`].
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
        engine::gradient_pass(&p.params, &mut p.grad, &mut p.work, p.wt, skip, data)
    }

    fn step(&mut self) -> Result<(), Error> {
        NetworkTrainer::step(self)
    }
}
