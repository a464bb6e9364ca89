//! The multi-layer perceptron sized at compile time, and its trainer
//! ([`Trainer`], in its own file).
//!
//! ```
//! use saorsa_nn::{Batching, Dataset, Init, Trainer};
//!
//! // A 2 → 16 → 16 → 2 network trained with micro-batches of 4.
//! let x = [[0.0f32, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]];
//! let data = Dataset::<2, 2>::new(&x, &[0, 1, 1, 0])?;
//! let mut trainer = Box::new(Trainer::<2, 16, 1, 2, 4>::new());
//! trainer.init_from_seed(Init::HeNormal, 0)?;
//! let first = trainer.train_epoch(&data, Batching::Full)?;
//! for _ in 0..200 {
//!     trainer.train_epoch(&data, Batching::Full)?;
//! }
//! assert!(trainer.model().evaluate(&data).loss < first.loss);
//! # Ok::<(), saorsa_nn::Error>(())
//! ```

use crate::checkpoint;
use crate::data::Dataset;
use crate::engine;
pub use crate::engine::Batching;
use crate::error::Error;
use crate::init::{Init, rng_from_seed};
use crate::layers::{Dense, LayerView, LayerViewMut};
use crate::loss::{self, Metrics};
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
///
/// # Examples
///
/// ```
/// use saorsa_nn::{Dataset, Init, Mlp};
///
/// // 3 inputs → 16 → 16 → 4 classes: MID = 1 layer between the first and the output.
/// let mut net = Box::new(Mlp::<3, 16, 1, 4>::new());
/// net.init_from_seed(Init::HeNormal, 0)?;
/// assert_eq!(Mlp::<3, 16, 1, 4>::PARAMETERS, 4 * 16 + 17 * 16 + 17 * 4);
/// let class = net.classify(&[0.5, -1.0, 2.0]);
/// assert!(class < 4);
/// # Ok::<(), saorsa_nn::Error>(())
/// ```
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
///
/// # Examples
///
/// ```
/// use saorsa_nn::{PaperNet, shape};
///
/// assert_eq!(PaperNet::PARAMETERS, shape::parameter_count(&shape::PAPER_WIDTHS));
/// static MODEL: PaperNet = PaperNet::new(); // 34 568 bytes of zeros in .bss
/// assert!(MODEL.is_finite());
/// ```
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
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::Mlp;
    ///
    /// static NET: Mlp<2, 16, 1, 2> = Mlp::new();
    /// assert_eq!(NET.output.bias, [0.0; 2]);
    /// ```
    pub const fn new() -> Self {
        let () = Self::SHAPE_OK;
        Mlp { input: Dense::new(), hidden: [const { Dense::new() }; MID], output: Dense::new() }
    }

    /// Sets every parameter to zero, in place.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Init, Mlp};
    ///
    /// let mut net = Box::new(Mlp::<2, 8, 0, 2>::new());
    /// net.init_from_seed(Init::HeNormal, 0)?;
    /// net.zero();
    /// assert_eq!(*net, Mlp::new());
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn zero(&mut self) {
        engine::zero(self);
    }

    /// Initializes every layer in place with `init`, drawing from `rng` in
    /// layer order (see [`crate::init`]).
    ///
    /// # Errors
    ///
    /// [`Error::BadHyperparameter`] if `init`'s parameter is invalid;
    /// then nothing is changed and nothing drawn.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Error, Init, Mlp, rng_from_seed};
    ///
    /// let mut net = Box::new(Mlp::<2, 8, 0, 2>::new());
    /// net.init(Init::GlorotNormal, &mut rng_from_seed(1))?;
    /// let before = net.clone();
    /// let bad = Init::SmallNormal { std: f32::NAN };
    /// assert!(matches!(net.init(bad, &mut rng_from_seed(1)), Err(Error::BadHyperparameter(_))));
    /// assert_eq!(net, before); // nothing changed
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn init<R: Rng>(&mut self, init: Init, rng: &mut R) -> Result<(), Error> {
        engine::init(self, |_| init, rng)
    }

    /// Initializes layer `k` with `inits[k]`, from one stream in layer order:
    /// for one seed, the layers see the same standard normals whatever their
    /// initializers (among the normal ones), so runs stay paired.
    ///
    /// # Errors
    ///
    /// [`Error::BadShape`] if `inits.len()` is not [`Mlp::LAYERS`],
    /// [`Error::BadHyperparameter`] if an initializer's parameter is
    /// invalid; then nothing is changed and nothing drawn.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Error, Init, Mlp, rng_from_seed};
    ///
    /// let mut net = Box::new(Mlp::<2, 8, 1, 2>::new());
    /// let inits = [Init::GlorotNormal, Init::HeNormal, Init::GlorotNormal];
    /// net.init_layers(&inits, &mut rng_from_seed(0))?;
    /// assert_eq!(net.init_layers(&inits[..2], &mut rng_from_seed(0)), Err(Error::BadShape));
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn init_layers<R: Rng>(&mut self, inits: &[Init], rng: &mut R) -> Result<(), Error> {
        if inits.len() != Self::LAYERS {
            return Err(Error::BadShape);
        }
        engine::init(self, |k| inits[k], rng)
    }

    /// [`Mlp::init`] from the generator [`rng_from_seed`]`(seed)`: the
    /// paper's `np.random.seed(seed)` followed by building the model.
    ///
    /// # Errors
    ///
    /// [`Error::BadHyperparameter`] as [`Mlp::init`]; then nothing changes.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Init, Mlp};
    ///
    /// let mut net = Box::new(Mlp::<2, 8, 0, 2>::new());
    /// net.init_from_seed(Init::HeNormal, 0)?;
    /// let mut again = Box::new(Mlp::<2, 8, 0, 2>::new());
    /// again.init_from_seed(Init::HeNormal, 0)?;
    /// assert_eq!(net, again); // a seed is the whole stream
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn init_from_seed(&mut self, init: Init, seed: u64) -> Result<(), Error> {
        self.init(init, &mut rng_from_seed(seed))
    }

    /// The dense layers' parameters in order, as flat slices.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Init, Mlp};
    ///
    /// let net = Mlp::<2, 8, 1, 3>::new();
    /// let counts: Vec<usize> = net.layers().map(|l| l.weights.len() + l.bias.len()).collect();
    /// assert_eq!(counts, [24, 72, 27]);
    /// ```
    pub fn layers(&self) -> impl Iterator<Item = LayerView<'_>> {
        core::iter::once(self.input.view())
            .chain(self.hidden.iter().map(Dense::view))
            .chain(core::iter::once(self.output.view()))
    }

    /// The dense layers' parameters in order, as mutable flat slices.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Init, Mlp};
    ///
    /// let mut net = Box::new(Mlp::<2, 8, 1, 3>::new());
    /// for layer in net.layers_mut() {
    ///     layer.weights.fill(0.5);
    /// }
    /// assert_eq!(net.hidden[0].weights[7][7], 0.5);
    /// ```
    pub fn layers_mut(&mut self) -> impl Iterator<Item = LayerViewMut<'_>> {
        core::iter::once(self.input.view_mut())
            .chain(self.hidden.iter_mut().map(Dense::view_mut))
            .chain(core::iter::once(self.output.view_mut()))
    }

    /// Every `(fan_in, fan_out)`, in layer order.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::Mlp;
    ///
    /// assert_eq!(Mlp::<2, 8, 1, 3>::shapes().collect::<Vec<_>>(), [(2, 8), (8, 8), (8, 3)]);
    /// ```
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
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{PaperNet, Shape};
    ///
    /// assert_eq!(PaperNet::shape(), Shape::paper());
    /// ```
    pub fn shape() -> Shape {
        let mut widths = heapless::Vec::<usize, { crate::shape::MAX_LAYERS + 1 }>::new();
        for w in core::iter::once(IN).chain(Self::shapes().map(|(_, o)| o)) {
            widths.push(w).expect("at most 64 layers");
        }
        Shape::new(&widths).expect("a shape within the run-time limits")
    }

    /// Whether every parameter is finite.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Init, Mlp};
    ///
    /// let mut net = Box::new(Mlp::<2, 8, 0, 2>::new());
    /// net.init_from_seed(Init::HeNormal, 0)?;
    /// assert!(net.is_finite());
    /// net.output.bias[0] = f32::NAN;
    /// assert!(!net.is_finite());
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn is_finite(&self) -> bool {
        engine::is_finite(self)
    }

    /// The logits of one sample. Bit-identical to the same sample's logits
    /// in any batch, because every kernel sums each output in a fixed order.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Init, Mlp};
    ///
    /// let mut net = Box::new(Mlp::<2, 8, 0, 2>::new());
    /// net.output.bias = [1.0, -1.0]; // zero weights: the logits are the biases
    /// assert_eq!(net.logits(&[3.0, 4.0]), [1.0, -1.0]);
    /// ```
    pub fn logits(&self, x: &[f32; IN]) -> [f32; OUT] {
        let (mut a, mut b, mut z) = ([0.0f32; WIDTH], [0.0f32; WIDTH], [0.0f32; OUT]);
        engine::forward(self, x, false, (&mut a, &mut b), &mut z);
        z
    }

    /// The class probabilities of one sample (softmax of [`Mlp::logits`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Init, Mlp};
    ///
    /// let mut net = Box::new(Mlp::<2, 8, 0, 2>::new());
    /// net.init_from_seed(Init::HeNormal, 0)?;
    /// let p = net.predict(&[0.5, -0.5]);
    /// assert!((p[0] + p[1] - 1.0).abs() < 1e-6);
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn predict(&self, x: &[f32; IN]) -> [f32; OUT] {
        let mut z = [self.logits(x)];
        loss::softmax(&mut z);
        z[0]
    }

    /// The predicted class of one sample: the first index of the largest
    /// probability (NumPy's `argmax`).
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Init, Mlp};
    ///
    /// let mut net = Box::new(Mlp::<2, 8, 0, 2>::new());
    /// net.output.bias = [0.0, 1.0];
    /// assert_eq!(net.classify(&[0.0, 0.0]), 1);
    /// ```
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
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Dataset, Init, Mlp};
    ///
    /// let mut net = Box::new(Mlp::<2, 8, 0, 2>::new());
    /// net.init_from_seed(Init::HeNormal, 0)?;
    /// let x = [[0.0f32, 1.0], [1.0, 0.0], [0.2, 0.3]];
    /// let data = Dataset::<2, 2>::new(&x, &[0, 1, 1])?;
    /// let m = net.evaluate(&data);
    /// let by_hand = x.iter().zip([0, 1, 1]).filter(|(s, l)| net.classify(s) == *l).count();
    /// assert_eq!(m.correct, by_hand);
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
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
    /// # Errors
    ///
    /// [`Error::BufferTooSmall`] if `buf` is shorter than
    /// [`Mlp::CHECKPOINT_BYTES`], then [`Error::NonFiniteParameter`] if a
    /// weight or bias is NaN or infinite (a checkpoint the decoder would
    /// refuse); on error nothing is written.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Error, Init, Mlp};
    ///
    /// let mut net = Box::new(Mlp::<2, 8, 0, 2>::new());
    /// net.init_from_seed(Init::HeNormal, 0)?;
    /// let mut buf = [0u8; Mlp::<2, 8, 0, 2>::CHECKPOINT_BYTES];
    /// assert_eq!(net.encode_checkpoint(&mut buf)?, buf.len());
    /// assert_eq!(net.encode_checkpoint(&mut buf[..10]), Err(Error::BufferTooSmall { needed: buf.len() }));
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn encode_checkpoint(&self, buf: &mut [u8]) -> Result<usize, Error> {
        checkpoint::encode(self, buf)
    }

    /// Reads a checkpoint into this model, in place.
    ///
    /// # Errors
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
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Error, Init, Mlp};
    ///
    /// let mut net = Box::new(Mlp::<2, 8, 0, 2>::new());
    /// net.init_from_seed(Init::HeNormal, 0)?;
    /// let mut buf = [0u8; Mlp::<2, 8, 0, 2>::CHECKPOINT_BYTES];
    /// net.encode_checkpoint(&mut buf)?;
    /// let mut copy = Box::new(Mlp::<2, 8, 0, 2>::new());
    /// copy.decode_checkpoint(&buf)?;
    /// assert_eq!(copy, net);
    /// buf[40] ^= 1; // a weight's bit
    /// assert_eq!(copy.decode_checkpoint(&buf), Err(Error::ChecksumMismatch));
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
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

mod trainer;
pub use trainer::{PaperTrainer, Trainer};
