//! Networks whose shape is chosen at run time, over buffers the caller
//! provides.
//!
//! [`Network`] is a [`Shape`] and a parameter buffer; [`NetworkTrainer`] is a
//! shape and one `f32` arena holding the parameters, the gradient, Adam's
//! moments and the workspace (layout in [`crate::shape`]). The buffer is any
//! `S: AsRef<[f32]> + AsMut<[f32]>`: a `Vec<f32>` on a host, a
//! `&'static mut [f32]` over a `static` arena in firmware.
//!
//! Both run the same code as the compile-time [`crate::Mlp`] and
//! [`crate::Trainer`] (the crate's one implementation of training), so for the
//! same shape, seed, initializers and data they give the same bits, for any
//! micro-batch size.
//!
//! ```
//! use saorsa_nn::{Batching, Init, NetworkTrainer, Samples, Shape};
//!
//! // A 3-class problem in 4 dimensions, with a network 4 → 32 → 16 → 3.
//! let x: Vec<f32> = (0..4 * 30).map(|i| ((i * 37 % 11) as f32 - 5.0) / 5.0).collect();
//! let y: Vec<u8> = (0..30).map(|i| (i % 3) as u8).collect();
//! let data = Samples::new(&x, &y, 4, 3)?;
//!
//! let shape = Shape::new(&[4, 32, 16, 3])?;
//! let arena = vec![0.0f32; shape.arena_len(8)];
//! let mut trainer = NetworkTrainer::new(shape, 8, arena)?;
//! // He on every layer but Glorot on the first, from model seed 0.
//! let inits = [Init::GlorotNormal, Init::HeNormal, Init::HeNormal];
//! trainer.init_layers_from_seed(&inits, 0)?;
//! let first = trainer.train_epoch(&data, Batching::Full)?;
//! for _ in 0..50 {
//!     trainer.train_epoch(&data, Batching::Full)?;
//! }
//! assert!(trainer.evaluate(&data)?.loss < first.loss);
//! # Ok::<(), saorsa_nn::Error>(())
//! ```

use crate::checkpoint;
use crate::data::Samples;
use crate::engine::{self, Flat, FlatMut, Layers};
use crate::error::Error;
use crate::init::{Init, rng_from_seed};
use crate::layers::LayerView;
use crate::loss::Metrics;
use crate::shape::Shape;
use rand_core::Rng;

/// A dense ReLU network with a softmax output, of a [`Shape`] chosen at run
/// time, whose parameters live in a buffer `S` of the caller's.
///
/// The buffer holds, per layer, its `fan_in × fan_out` weights (row-major,
/// `weights[i][j]` connects input `i` to output `j`) then its `fan_out`
/// biases: the body of a checkpoint. Only its first
/// [`Shape::parameter_count`] elements are used.
///
/// # Examples
///
/// ```
/// use saorsa_nn::{Init, Network, Shape};
///
/// // Parameters in a caller's buffer: a Vec here, a static array in firmware.
/// let shape = Shape::new(&[2, 8, 3])?;
/// let mut storage = [0.0f32; 51];
/// let mut net = Network::new(shape, &mut storage[..])?;
/// net.init_from_seed(Init::HeNormal, 0)?;
/// let (mut scratch, mut z) = ([0.0f32; 16], [0.0f32; 3]);
/// net.logits(&[0.5, 1.0], &mut scratch, &mut z)?;
/// assert!(z.iter().all(|v| v.is_finite()));
/// # Ok::<(), saorsa_nn::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Network<S> {
    shape: Shape,
    params: S,
}

impl<S: AsRef<[f32]>> Network<S> {
    /// A network of `shape` over `params`.
    ///
    /// # Errors
    ///
    /// [`Error::ArenaTooSmall`] if `params` is shorter than
    /// [`Shape::parameter_count`].
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Error, Network, Shape};
    ///
    /// let shape = Shape::new(&[2, 8, 3])?;
    /// assert!(Network::new(shape.clone(), vec![0.0f32; 51]).is_ok());
    /// assert_eq!(Network::new(shape, vec![0.0f32; 50]).err(), Some(Error::ArenaTooSmall { needed: 51, found: 50 }));
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn new(shape: Shape, params: S) -> Result<Self, Error> {
        let (needed, found) = (shape.parameter_count(), params.as_ref().len());
        if found < needed {
            return Err(Error::ArenaTooSmall { needed, found });
        }
        Ok(Network { shape, params })
    }

    /// The shape.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Init, Network, Shape};
    ///
    /// let shape = Shape::new(&[2, 8, 3])?;
    /// let mut net = Network::new(shape.clone(), vec![0.0f32; shape.parameter_count()])?;
    /// net.init_from_seed(Init::HeNormal, 0)?;
    /// assert_eq!(net.shape(), &shape);
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn shape(&self) -> &Shape {
        &self.shape
    }

    /// The parameters, in checkpoint order.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Init, Network, Shape};
    ///
    /// let shape = Shape::new(&[2, 8, 3])?;
    /// let net = Network::new(shape, vec![0.0f32; 60])?; // a longer buffer
    /// assert_eq!(net.parameters().len(), 51);
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn parameters(&self) -> &[f32] {
        &self.params.as_ref()[..self.shape.parameter_count()]
    }

    /// The buffer back.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Init, Network, Shape};
    ///
    /// let shape = Shape::new(&[2, 8, 3])?;
    /// let mut net = Network::new(shape.clone(), vec![0.0f32; shape.parameter_count()])?;
    /// net.init_from_seed(Init::HeNormal, 0)?;
    /// let storage: Vec<f32> = net.into_inner();
    /// assert_eq!(storage.len(), 51);
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn into_inner(self) -> S {
        self.params
    }

    fn flat(&self) -> Flat<'_> {
        Flat { shape: &self.shape, data: self.parameters() }
    }

    /// Layer `k`'s parameters.
    ///
    /// # Panics
    ///
    /// If `k` is not below [`Shape::layers`].
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Init, Network, Shape};
    ///
    /// let shape = Shape::new(&[2, 8, 3])?;
    /// let mut net = Network::new(shape.clone(), vec![0.0f32; shape.parameter_count()])?;
    /// net.init_from_seed(Init::HeNormal, 0)?;
    /// let l = net.layer(1);
    /// assert_eq!((l.fan_in, l.fan_out), (8, 3));
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn layer(&self, k: usize) -> LayerView<'_> {
        engine::flat_layer(&self.shape, self.params.as_ref(), k)
    }

    /// The dense layers' parameters, in order.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Init, Network, Shape};
    ///
    /// let shape = Shape::new(&[2, 8, 3])?;
    /// let mut net = Network::new(shape.clone(), vec![0.0f32; shape.parameter_count()])?;
    /// net.init_from_seed(Init::HeNormal, 0)?;
    /// assert_eq!(net.layers().map(|l| l.bias.len()).collect::<Vec<_>>(), [8, 3]);
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn layers(&self) -> impl Iterator<Item = LayerView<'_>> {
        (0..self.shape.layers()).map(|k| self.layer(k))
    }

    /// Whether every parameter is finite.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Init, Network, Shape};
    ///
    /// let shape = Shape::new(&[2, 8, 3])?;
    /// let mut net = Network::new(shape.clone(), vec![0.0f32; shape.parameter_count()])?;
    /// net.init_from_seed(Init::HeNormal, 0)?;
    /// assert!(net.is_finite());
    /// net.parameters_mut()[0] = f32::INFINITY;
    /// assert!(!net.is_finite());
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn is_finite(&self) -> bool {
        engine::is_finite(&self.flat())
    }

    /// The logits `z` (`rows × classes`) of the samples `x` (`rows ×
    /// inputs`), with `scratch` at least `2·rows·H` long
    /// ([`Shape::evaluation_scratch_len`]`(rows)` is enough). Every kernel
    /// sums each output in a fixed order: a sample's logits do not depend on
    /// the batch it is in.
    ///
    /// # Errors
    ///
    /// [`Error::ShapeMismatch`] if `x` is not a whole number of rows
    /// or `z` does not hold as many rows of logits; [`Error::ArenaTooSmall`]
    /// if `scratch` is too short. Nothing is written on error.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Error, Init, Network, Shape};
    ///
    /// let shape = Shape::new(&[2, 8, 3])?;
    /// let mut net = Network::new(shape.clone(), vec![0.0f32; shape.parameter_count()])?;
    /// net.init_from_seed(Init::HeNormal, 0)?;
    /// // Two samples at once; the scratch holds 2·rows·H values.
    /// let x = [0.5f32, 1.0, -1.0, 0.0];
    /// let (mut scratch, mut z) = (vec![0.0f32; shape.evaluation_scratch_len(2)], [0.0f32; 6]);
    /// net.logits(&x, &mut scratch, &mut z)?;
    /// let mut one = [0.0f32; 3];
    /// net.logits(&x[2..], &mut scratch, &mut one)?;
    /// assert_eq!(one, z[3..]); // a sample's logits do not depend on its batch
    /// assert_eq!(net.logits(&x[..3], &mut scratch, &mut z), Err(Error::ShapeMismatch));
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn logits(&self, x: &[f32], scratch: &mut [f32], z: &mut [f32]) -> Result<(), Error> {
        let (inputs, classes) = (self.shape.inputs(), self.shape.classes());
        let rows = x.len() / inputs;
        if !x.len().is_multiple_of(inputs) || z.len() != rows * classes {
            return Err(Error::ShapeMismatch);
        }
        let h = rows * self.shape.max_hidden_width();
        if scratch.len() < 2 * h {
            return Err(Error::ArenaTooSmall { needed: 2 * h, found: scratch.len() });
        }
        let (a, b) = scratch.split_at_mut(h);
        engine::forward(&self.flat(), x, false, (a, &mut b[..h]), z);
        Ok(())
    }

    /// Mean loss and accuracy on `data`, with `scratch` at least
    /// [`Shape::evaluation_scratch_len`]`(1)` long; a scratch of
    /// `evaluation_scratch_len(c)` evaluates `c` samples at a time (faster,
    /// same bits).
    ///
    /// # Errors
    ///
    /// [`Error::ShapeMismatch`] if the data's features are not the
    /// network's inputs or it has more classes; [`Error::ArenaTooSmall`] if
    /// `scratch` is too short.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Init, Network, Samples, Shape};
    ///
    /// let shape = Shape::new(&[2, 8, 3])?;
    /// let mut net = Network::new(shape.clone(), vec![0.0f32; shape.parameter_count()])?;
    /// net.init_from_seed(Init::HeNormal, 0)?;
    /// let data = Samples::new(&[0.5, 1.0, -1.0, 0.0], &[2, 0], 2, 3)?;
    /// let mut scratch = vec![0.0f32; shape.evaluation_scratch_len(1)];
    /// let m = net.evaluate(&data, &mut scratch)?;
    /// assert_eq!(m.samples, 2);
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn evaluate(&self, data: &Samples<'_>, scratch: &mut [f32]) -> Result<Metrics, Error> {
        check_data(&self.shape, data)?;
        let per_sample = self.shape.evaluation_scratch_len(1);
        let chunk = scratch.len() / per_sample;
        if chunk == 0 {
            return Err(Error::ArenaTooSmall { needed: per_sample, found: scratch.len() });
        }
        let h = chunk * self.shape.max_hidden_width();
        let (a, rest) = scratch.split_at_mut(h);
        let (b, z) = rest.split_at_mut(h);
        Ok(engine::evaluate(&self.flat(), data, chunk, (a, b, z)))
    }

    /// Writes the checkpoint (see [`crate::checkpoint`]) into
    /// `buf[..`[`Shape::checkpoint_bytes`]`]` and returns its length.
    ///
    /// # Errors
    ///
    /// [`Error::BufferTooSmall`], then [`Error::NonFiniteParameter`]
    /// (a NaN or infinite parameter, which the decoder would refuse); on
    /// error nothing is written.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Init, Network, Shape};
    ///
    /// let shape = Shape::new(&[2, 8, 3])?;
    /// let mut net = Network::new(shape.clone(), vec![0.0f32; shape.parameter_count()])?;
    /// net.init_from_seed(Init::HeNormal, 0)?;
    /// let mut bytes = vec![0u8; shape.checkpoint_bytes()];
    /// assert_eq!(net.encode_checkpoint(&mut bytes)?, bytes.len());
    /// assert_eq!(&bytes[..4], b"SNN1");
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn encode_checkpoint(&self, buf: &mut [u8]) -> Result<usize, Error> {
        checkpoint::encode(&self.flat(), buf)
    }
}

impl<S: AsRef<[f32]> + AsMut<[f32]>> Network<S> {
    /// The network a checkpoint holds, of the shape its header declares,
    /// decoded into `storage` (no allocation: the caller supplies the
    /// buffer, whose every element is overwritten).
    ///
    /// `storage` must hold exactly the header's parameter count, the
    /// [`Shape::parameter_count`] of [`crate::checkpoint::read_shape`]`(bytes)`.
    /// `bytes` must be exactly one checkpoint, as for
    /// [`Network::decode_checkpoint`]; to read one at the start of a longer
    /// stream (frames, say), cut it to the header's
    /// [`Shape::checkpoint_bytes`] first.
    ///
    /// # Errors
    ///
    /// In this order: those of [`crate::checkpoint::read_shape`] (the
    /// header), [`Error::StorageLength`] (`storage`'s length), then
    /// [`Error::BadLength`] (the total length), [`Error::ChecksumMismatch`]
    /// and [`Error::NonFiniteParameter`]. On error `storage` is dropped
    /// unwritten.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Error, Init, Network, Shape, checkpoint};
    ///
    /// // A 2 → 16 → 3 network and its checkpoint.
    /// let shape = Shape::new(&[2, 16, 3])?;
    /// let mut net = Network::new(shape.clone(), vec![0.0f32; shape.parameter_count()])?;
    /// net.init_from_seed(Init::HeNormal, 7)?;
    /// let mut bytes = vec![0u8; shape.checkpoint_bytes()];
    /// net.encode_checkpoint(&mut bytes)?;
    ///
    /// // Read back into storage of the header's parameter count: a `Vec`
    /// // here, a `&mut [f32]` over a `static` array in firmware.
    /// let count = checkpoint::read_shape(&bytes)?.parameter_count();
    /// let back = Network::from_checkpoint(&bytes, vec![0.0f32; count])?;
    /// assert_eq!(back.shape(), net.shape());
    /// assert_eq!(back.parameters(), net.parameters());
    ///
    /// // Storage of another length is an error, not a panic.
    /// let short = Network::from_checkpoint(&bytes, vec![0.0f32; count - 1]);
    /// assert_eq!(short.err(), Some(Error::StorageLength { expected: count, found: count - 1 }));
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn from_checkpoint(bytes: &[u8], storage: S) -> Result<Self, Error> {
        let shape = checkpoint::read_shape(bytes)?;
        let (expected, found) = (shape.parameter_count(), storage.as_ref().len());
        if found != expected {
            return Err(Error::StorageLength { expected, found });
        }
        let mut net = Network { shape, params: storage };
        net.decode_checkpoint(bytes)?;
        Ok(net)
    }

    /// The parameters, mutably.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Init, Network, Shape};
    ///
    /// let shape = Shape::new(&[2, 8, 3])?;
    /// let mut net = Network::new(shape.clone(), vec![0.0f32; shape.parameter_count()])?;
    /// net.init_from_seed(Init::HeNormal, 0)?;
    /// net.parameters_mut().fill(0.0);
    /// assert!(net.parameters().iter().all(|&p| p == 0.0));
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn parameters_mut(&mut self) -> &mut [f32] {
        let p = self.shape.parameter_count();
        &mut self.params.as_mut()[..p]
    }

    fn flat_mut(&mut self) -> FlatMut<'_> {
        let p = self.shape.parameter_count();
        FlatMut { shape: &self.shape, data: &mut self.params.as_mut()[..p] }
    }

    /// Initializes every layer with `init` from `rng` (see [`crate::init`]):
    /// the weights drawn layer by layer with the layer's own fan-in and
    /// fan-out, the biases zero.
    ///
    /// # Errors
    ///
    /// [`Error::BadHyperparameter`]; then nothing is changed or drawn.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Init, Network, Shape, rng_from_seed};
    ///
    /// let shape = Shape::new(&[2, 8, 3])?;
    /// let mut net = Network::new(shape, vec![0.0f32; 51])?;
    /// net.init(Init::LeCunNormal, &mut rng_from_seed(2))?;
    /// assert!(net.layer(0).weights.iter().any(|&w| w != 0.0));
    /// assert!(net.layer(0).bias.iter().all(|&b| b == 0.0));
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn init<R: Rng>(&mut self, init: Init, rng: &mut R) -> Result<(), Error> {
        engine::init(&mut self.flat_mut(), |_| init, rng)
    }

    /// Initializes layer `k` with `inits[k]`, from one stream in layer order:
    /// for one seed, layers drawn with the normal initializers see the same
    /// standard normals whatever the initializer, so runs stay paired.
    ///
    /// # Errors
    ///
    /// [`Error::BadShape`] if there is not one initializer per layer,
    /// [`Error::BadHyperparameter`]; then nothing is changed or drawn.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Error, Init, Network, Shape, rng_from_seed};
    ///
    /// let mut net = Network::new(Shape::new(&[2, 8, 3])?, vec![0.0f32; 51])?;
    /// net.init_layers(&[Init::GlorotNormal, Init::HeNormal], &mut rng_from_seed(0))?;
    /// assert_eq!(net.init_layers(&[Init::HeNormal], &mut rng_from_seed(0)), Err(Error::BadShape));
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn init_layers<R: Rng>(&mut self, inits: &[Init], rng: &mut R) -> Result<(), Error> {
        if inits.len() != self.shape.layers() {
            return Err(Error::BadShape);
        }
        engine::init(&mut self.flat_mut(), |k| inits[k], rng)
    }

    /// [`Network::init`] from [`rng_from_seed`]`(seed)`.
    ///
    /// # Errors
    ///
    /// [`Error::BadHyperparameter`]; then nothing is changed or drawn.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Init, Network, Shape};
    ///
    /// let shape = Shape::new(&[2, 8, 3])?;
    /// let mut net = Network::new(shape.clone(), vec![0.0f32; shape.parameter_count()])?;
    /// net.init_from_seed(Init::HeNormal, 0)?;
    /// let mut again = Network::new(shape, vec![0.0f32; 51])?;
    /// again.init_from_seed(Init::HeNormal, 0)?;
    /// assert_eq!(again.parameters(), net.parameters());
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn init_from_seed(&mut self, init: Init, seed: u64) -> Result<(), Error> {
        self.init(init, &mut rng_from_seed(seed))
    }

    /// Reads a checkpoint of this network's shape into it, in place, after
    /// checking everything (in the order of [`crate::Mlp::decode_checkpoint`];
    /// a checkpoint of another shape is [`Error::ShapeMismatch`]). Use
    /// [`crate::checkpoint::read_shape`] to learn a checkpoint's shape first.
    /// On error nothing changes.
    ///
    /// # Errors
    ///
    /// Those of [`crate::Mlp::decode_checkpoint`], in its order.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Error, Init, Network, Shape};
    ///
    /// let shape = Shape::new(&[2, 8, 3])?;
    /// let mut net = Network::new(shape.clone(), vec![0.0f32; shape.parameter_count()])?;
    /// net.init_from_seed(Init::HeNormal, 0)?;
    /// let mut bytes = vec![0u8; shape.checkpoint_bytes()];
    /// net.encode_checkpoint(&mut bytes)?;
    /// let mut copy = Network::new(shape.clone(), vec![0.0f32; 51])?;
    /// copy.decode_checkpoint(&bytes)?;
    /// assert_eq!(copy.parameters(), net.parameters());
    /// let mut other = Network::new(Shape::new(&[2, 9, 3])?, vec![0.0f32; 57])?;
    /// assert_eq!(other.decode_checkpoint(&bytes), Err(Error::ShapeMismatch));
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn decode_checkpoint(&mut self, bytes: &[u8]) -> Result<(), Error> {
        checkpoint::decode(&mut self.flat_mut(), bytes)
    }
}

/// The data must have the network's inputs and at most its classes.
fn check_data(shape: &Shape, data: &Samples<'_>) -> Result<(), Error> {
    if data.features() != shape.inputs() || data.classes() > shape.classes() {
        return Err(Error::ShapeMismatch);
    }
    Ok(())
}

impl<S: AsRef<[f32]>> Layers for Network<S> {
    fn count(&self) -> usize {
        self.shape.layers()
    }
    fn layer(&self, k: usize) -> LayerView<'_> {
        Network::layer(self, k)
    }
}

mod aligned;
mod trainer;
pub use aligned::AlignedArena;
pub use trainer::NetworkTrainer;
