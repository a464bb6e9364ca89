//! Network shapes chosen at run time: the list of layer widths, and the
//! lengths of the buffers a network of that shape needs.
//!
//! A shape `[n₀, n₁, …, n_L]` is a network of `L` dense layers: layer `k`
//! maps `n_k` inputs to `n_{k+1}` outputs, every layer but the last is
//! followed by ReLU, and the last layer's `n_L` outputs are the logits of
//! `n_L` classes. The paper's network is `[2, 64, 64, 64, 2]`.
//!
//! The buffer lengths are `const fn`s of the widths, so firmware can size a
//! `static` arena for a known shape:
//!
//! ```
//! use saorsa_nn::shape;
//! const WIDTHS: [usize; 5] = [2, 64, 64, 64, 2];
//! static mut ARENA: [f32; shape::arena_len(&WIDTHS, 1)] = [0.0; shape::arena_len(&WIDTHS, 1)];
//! assert_eq!(shape::parameter_count(&WIDTHS), 8642);
//! ```
//!
//! # Arena layout
//!
//! A [`crate::NetworkTrainer`] keeps everything in one `f32` arena of
//! [`arena_len`] elements, in this order (`P` parameters, micro-batch
//! capacity `B`, hidden widths `h₁ … h_{L−1}`, `H` the largest of them, `C`
//! classes):
//!
//! | elements | content |
//! |---|---|
//! | `P` | parameters: per layer its `n_k × n_{k+1}` weights (row-major), then its `n_{k+1}` biases — the checkpoint's order |
//! | `P` | the gradient, same layout |
//! | `P` | Adam's first moment |
//! | `P` | Adam's second moment |
//! | `B·(h₁ + … + h_{L−1})` | each hidden layer's output after ReLU, `B` rows each |
//! | `B·C` | probabilities, then the loss gradient |
//! | `2·B·H` | back-propagated gradients (two, used alternately) |
//! | `B·(h₁ + … + h_{L−1}) + B·(L−1)` | with [`Normalization::LayerNorm`] only: each hidden layer's normalized values `x̂`, then each sample's `1/σ` per hidden layer |
//! | `T` (optional) | the transposed weights of layers `1 … L−1` ([`transposed_len`]) |
//!
//! With [`Normalization::LayerNorm`] each hidden layer's parameters are
//! followed by its normalization's `h` gains and `h` shifts, so `P` grows by
//! [`layer_norm_parameter_count`]. The module's `const fn`s count a network
//! without normalization; [`Shape`]'s methods count either.
//! The last part is optional: an arena of at least
//! [`arena_len_transposed`] elements lets the gradient pass transpose the
//! weights once per pass, which makes the input gradients faster on a host.
//! The results are bit-identical either way.

use crate::error::Error;

/// The most dense layers a shape may have.
pub const MAX_LAYERS: usize = 64;
/// The widest a layer may be (inputs, hidden units or classes).
pub const MAX_WIDTH: usize = 4096;
/// The most classes a network may have: labels are `u8`.
pub const MAX_CLASSES: usize = 256;

/// The paper's network, `2 → 64 → 64 → 64 → 2`.
pub const PAPER_WIDTHS: [usize; 5] = [2, 64, 64, 64, 2];

/// What stands between each hidden dense layer and its ReLU.
///
/// # Examples
///
/// ```
/// use saorsa_nn::{Normalization, Shape};
///
/// let plain = Shape::new(&[2, 16, 2])?;
/// assert_eq!(plain.normalization(), Normalization::None);
/// let normed = plain.clone().with_normalization(Normalization::LayerNorm);
/// // A gain and a shift per hidden unit.
/// assert_eq!(normed.parameter_count(), plain.parameter_count() + 2 * 16);
/// # Ok::<(), saorsa_nn::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Normalization {
    /// Nothing: hidden layer `k` computes `ReLU(x·W + b)`, the paper's
    /// network.
    #[default]
    None,
    /// Layer normalization (Ba, Kiros and Hinton, 2016) over each sample's
    /// units: `ReLU(γ ⊙ (z − μ)/√(σ² + ε) + β)` with `z = x·W + b`, `μ` and
    /// `σ²` the mean and (biased) variance of the sample's `h` values of `z`,
    /// [`LAYER_NORM_EPSILON`], and a learnable gain `γ` (initialized to 1)
    /// and shift `β` (initialized to 0) per unit. The output layer is never
    /// normalized. Formulas and summation order in
    /// [`crate::kernels::layer_norm_forward`].
    LayerNorm,
}

/// The `ε` of [`Normalization::LayerNorm`], PyTorch's default.
pub const LAYER_NORM_EPSILON: f32 = 1e-5;

/// Sum of the hidden widths, `h₁ + … + h_{L−1}`.
///
/// # Examples
///
/// ```
/// use saorsa_nn::shape;
/// assert_eq!(shape::hidden_units(&[2, 64, 32, 3]), 96);
/// assert_eq!(shape::hidden_units(&[4, 3]), 0);
/// ```
pub const fn hidden_units(widths: &[usize]) -> usize {
    let mut total = 0;
    let mut k = 1;
    while k + 1 < widths.len() {
        total += widths[k];
        k += 1;
    }
    total
}

/// Parameters that [`Normalization::LayerNorm`] adds: a gain and a shift
/// per hidden unit, `2·(h₁ + … + h_{L−1})`.
///
/// # Examples
///
/// ```
/// use saorsa_nn::shape;
/// assert_eq!(shape::layer_norm_parameter_count(&[2, 64, 32, 3]), 192);
/// ```
pub const fn layer_norm_parameter_count(widths: &[usize]) -> usize {
    2 * hidden_units(widths)
}

/// Workspace elements that [`Normalization::LayerNorm`] adds for
/// micro-batches of `micro_batch` samples: `B·(h₁ + … + h_{L−1}) + B·(L−1)`
/// (the normalized values and each sample's `1/σ`, kept for the backward
/// pass).
///
/// # Examples
///
/// ```
/// use saorsa_nn::shape;
/// // 4·(64 + 32) normalized values and 4·2 values of 1/σ.
/// assert_eq!(shape::layer_norm_workspace_len(&[2, 64, 32, 3], 4), 392);
/// ```
pub const fn layer_norm_workspace_len(widths: &[usize], micro_batch: usize) -> usize {
    let hidden_layers = if widths.len() > 2 { widths.len() - 2 } else { 0 };
    micro_batch * (hidden_units(widths) + hidden_layers)
}

/// Number of parameters: `Σ_k (n_k + 1)·n_{k+1}`.
///
/// # Examples
///
/// ```
/// use saorsa_nn::shape;
/// assert_eq!(shape::parameter_count(&[2, 64, 64, 64, 2]), 8642);
/// assert_eq!(shape::parameter_count(&[3, 5, 2]), 4 * 5 + 6 * 2);
/// ```
pub const fn parameter_count(widths: &[usize]) -> usize {
    let mut total = 0;
    let mut k = 0;
    while k + 1 < widths.len() {
        total += (widths[k] + 1) * widths[k + 1];
        k += 1;
    }
    total
}

/// The widest hidden layer, `H = max(n₁ … n_{L−1})`, or 0 with one layer.
///
/// # Examples
///
/// ```
/// use saorsa_nn::shape;
/// assert_eq!(shape::max_hidden_width(&[2, 16, 48, 8, 3]), 48);
/// assert_eq!(shape::max_hidden_width(&[4, 3]), 0);
/// ```
pub const fn max_hidden_width(widths: &[usize]) -> usize {
    let mut h = 0;
    let mut k = 1;
    while k + 1 < widths.len() {
        if widths[k] > h {
            h = widths[k];
        }
        k += 1;
    }
    h
}

/// Elements of the activations and gradients for micro-batches of
/// `micro_batch` samples: `B·(h₁ + … + h_{L−1}) + B·C + 2·B·H`.
///
/// # Examples
///
/// ```
/// use saorsa_nn::shape;
/// // 1·(64 + 64 + 64) + 1·2 + 2·1·64
/// assert_eq!(shape::workspace_len(&[2, 64, 64, 64, 2], 1), 322);
/// ```
pub const fn workspace_len(widths: &[usize], micro_batch: usize) -> usize {
    let hidden = hidden_units(widths);
    let classes = if widths.is_empty() { 0 } else { widths[widths.len() - 1] };
    micro_batch * (hidden + classes + 2 * max_hidden_width(widths))
}

/// Elements of the transposed weights of every layer but the first:
/// `Σ_{k ≥ 1} n_k·n_{k+1}`.
///
/// # Examples
///
/// ```
/// use saorsa_nn::shape;
/// assert_eq!(shape::transposed_len(&[2, 64, 64, 64, 2]), 64 * 64 + 64 * 64 + 64 * 2);
/// ```
pub const fn transposed_len(widths: &[usize]) -> usize {
    let mut total = 0;
    let mut k = 1;
    while k + 1 < widths.len() {
        total += widths[k] * widths[k + 1];
        k += 1;
    }
    total
}

/// Elements of a training arena: `4·P` (parameters, gradient, two Adam
/// moments) plus [`workspace_len`].
///
/// # Examples
///
/// ```
/// use saorsa_nn::shape;
/// const WIDTHS: [usize; 5] = [2, 64, 64, 64, 2];
/// // A static arena for micro-batches of one sample: 34 890 f32s.
/// static ARENA: [f32; shape::arena_len(&WIDTHS, 1)] = [0.0; shape::arena_len(&WIDTHS, 1)];
/// assert_eq!(ARENA.len(), 4 * 8642 + 322);
/// ```
pub const fn arena_len(widths: &[usize], micro_batch: usize) -> usize {
    4 * parameter_count(widths) + workspace_len(widths, micro_batch)
}

/// [`arena_len`] plus room for the transposed weights ([`transposed_len`]).
///
/// # Examples
///
/// ```
/// use saorsa_nn::shape;
/// const WIDTHS: [usize; 3] = [3, 5, 2];
/// assert_eq!(shape::arena_len_transposed(&WIDTHS, 2), shape::arena_len(&WIDTHS, 2) + 5 * 2);
/// ```
pub const fn arena_len_transposed(widths: &[usize], micro_batch: usize) -> usize {
    arena_len(widths, micro_batch) + transposed_len(widths)
}

/// Elements of the scratch buffer that evaluates `chunk` samples at a time:
/// `chunk·(2·H + C)`.
///
/// # Examples
///
/// ```
/// use saorsa_nn::shape;
/// assert_eq!(shape::evaluation_scratch_len(&[2, 64, 64, 64, 2], 16), 16 * (2 * 64 + 2));
/// ```
pub const fn evaluation_scratch_len(widths: &[usize], chunk: usize) -> usize {
    let classes = if widths.is_empty() { 0 } else { widths[widths.len() - 1] };
    chunk * (2 * max_hidden_width(widths) + classes)
}

/// Bytes of a version-1 checkpoint (see [`crate::checkpoint`]) of a
/// network without normalization: `8 + 8·L + 4·P + 4`.
///
/// # Examples
///
/// ```
/// use saorsa_nn::shape;
/// const BYTES: usize = shape::checkpoint_bytes(&[2, 64, 64, 64, 2]);
/// static CHECKPOINT: [u8; BYTES] = [0; BYTES];
/// assert_eq!(CHECKPOINT.len(), 34_612);
/// ```
pub const fn checkpoint_bytes(widths: &[usize]) -> usize {
    let layers = if widths.is_empty() { 0 } else { widths.len() - 1 };
    8 + 8 * layers + 4 * parameter_count(widths) + 4
}

/// Bytes of a training state (see [`crate::checkpoint::state`]) of a
/// network without normalization: `64 + 8·L + 12·P`.
///
/// # Examples
///
/// ```
/// use saorsa_nn::shape;
/// const BYTES: usize = shape::state_bytes(&[2, 64, 64, 64, 2]);
/// assert_eq!(BYTES, 64 + 8 * 4 + 12 * 8642);
/// ```
pub const fn state_bytes(widths: &[usize]) -> usize {
    let layers = if widths.is_empty() { 0 } else { widths.len() - 1 };
    64 + 8 * layers + 12 * parameter_count(widths)
}

/// A network's layer widths, checked: 1 to [`MAX_LAYERS`] dense layers,
/// every width 1 to [`MAX_WIDTH`], 2 to [`MAX_CLASSES`] classes.
///
/// Held in a bounded list ([`heapless::Vec`]), so a `Shape` needs no
/// allocation. The methods give the lengths of the buffers a network of
/// this shape needs (the module's `const fn`s, applied to [`Shape::widths`]).
///
/// A shape also says what stands between each hidden layer and its ReLU
/// ([`Normalization`]; none unless [`Shape::with_normalization`] says so).
///
/// # Examples
///
/// ```
/// use saorsa_nn::{Error, Shape};
///
/// let shape = Shape::new(&[2, 128, 64, 3])?;
/// assert_eq!((shape.inputs(), shape.layers(), shape.classes()), (2, 3, 3));
/// assert_eq!(shape.to_string(), "2-128-64-3");
/// assert_eq!(Shape::new(&[2, 0, 3]), Err(Error::BadShape));
/// # Ok::<(), saorsa_nn::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Shape {
    widths: heapless::Vec<usize, { MAX_LAYERS + 1 }>,
    norm: Normalization,
}

impl Shape {
    /// Checks and keeps `widths = [inputs, hidden…, classes]`.
    ///
    /// # Errors
    ///
    /// [`Error::BadShape`] if there are fewer than 2 or more than
    /// `MAX_LAYERS + 1` widths, a width is 0 or above [`MAX_WIDTH`], or the
    /// classes are fewer than 2 or more than [`MAX_CLASSES`].
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Error, Shape};
    ///
    /// assert!(Shape::new(&[4, 32, 3]).is_ok());
    /// assert_eq!(Shape::new(&[4]), Err(Error::BadShape)); // no layer
    /// assert_eq!(Shape::new(&[4, 32, 1]), Err(Error::BadShape)); // one class
    /// assert_eq!(Shape::new(&[4, 5000, 3]), Err(Error::BadShape)); // too wide
    /// ```
    pub fn new(widths: &[usize]) -> Result<Shape, Error> {
        let ok_len = (2..=MAX_LAYERS + 1).contains(&widths.len());
        if !ok_len || widths.iter().any(|&w| !(1..=MAX_WIDTH).contains(&w)) {
            return Err(Error::BadShape);
        }
        if !(2..=MAX_CLASSES).contains(&widths[widths.len() - 1]) {
            return Err(Error::BadShape);
        }
        let widths = heapless::Vec::from_slice(widths).map_err(|_| Error::BadShape)?;
        Ok(Shape { widths, norm: Normalization::None })
    }

    /// This shape with `norm` between each hidden layer and its ReLU. A
    /// single dense layer has no hidden layer to normalize: its
    /// normalization stays [`Normalization::None`].
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Normalization, Shape};
    ///
    /// let shape = Shape::new(&[2, 8, 2])?.with_normalization(Normalization::LayerNorm);
    /// assert_eq!(shape.normalization(), Normalization::LayerNorm);
    /// // One layer has no hidden layer to normalize.
    /// let one = Shape::new(&[2, 2])?.with_normalization(Normalization::LayerNorm);
    /// assert_eq!(one.normalization(), Normalization::None);
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn with_normalization(mut self, norm: Normalization) -> Shape {
        self.norm = if self.layers() > 1 { norm } else { Normalization::None };
        self
    }

    /// What stands between each hidden layer and its ReLU.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Normalization, Shape};
    ///
    /// assert_eq!(Shape::paper().normalization(), Normalization::None);
    /// ```
    pub fn normalization(&self) -> Normalization {
        self.norm
    }

    /// Whether hidden layer `k` (`k < L − 1`) is followed by a layer
    /// normalization.
    pub(crate) fn normalized(&self, k: usize) -> bool {
        self.norm == Normalization::LayerNorm && k + 1 < self.layers()
    }

    /// The paper's shape, [`PAPER_WIDTHS`].
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::Shape;
    ///
    /// assert_eq!(Shape::paper().widths(), &[2, 64, 64, 64, 2]);
    /// assert_eq!(Shape::paper().parameter_count(), 8642);
    /// ```
    pub fn paper() -> Shape {
        Shape::new(&PAPER_WIDTHS).expect("the paper's shape is valid")
    }

    /// The widths, inputs first and classes last.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::Shape;
    ///
    /// assert_eq!(Shape::new(&[3, 10, 2])?.widths(), &[3, 10, 2]);
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn widths(&self) -> &[usize] {
        &self.widths
    }

    /// Number of dense layers, `L`.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::Shape;
    ///
    /// assert_eq!(Shape::new(&[3, 10, 10, 2])?.layers(), 3);
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn layers(&self) -> usize {
        self.widths.len() - 1
    }

    /// Number of input features, `n₀`.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::Shape;
    ///
    /// assert_eq!(Shape::new(&[3, 10, 2])?.inputs(), 3);
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn inputs(&self) -> usize {
        self.widths[0]
    }

    /// Number of classes, `n_L`.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::Shape;
    ///
    /// assert_eq!(Shape::new(&[3, 10, 2])?.classes(), 2);
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn classes(&self) -> usize {
        self.widths[self.widths.len() - 1]
    }

    /// `(fan_in, fan_out)` of layer `k`.
    ///
    /// # Panics
    ///
    /// If `k ≥ L`.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::Shape;
    ///
    /// let shape = Shape::new(&[3, 10, 2])?;
    /// assert_eq!(shape.layer(0), (3, 10));
    /// assert_eq!(shape.layer(1), (10, 2));
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn layer(&self, k: usize) -> (usize, usize) {
        (self.widths[k], self.widths[k + 1])
    }

    /// Every `(fan_in, fan_out)`, in layer order.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::Shape;
    ///
    /// let shape = Shape::new(&[3, 10, 2])?;
    /// assert_eq!(shape.layer_shapes().collect::<Vec<_>>(), [(3, 10), (10, 2)]);
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn layer_shapes(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.widths.windows(2).map(|w| (w[0], w[1]))
    }

    /// Number of parameters: [`parameter_count`], plus
    /// [`layer_norm_parameter_count`] with [`Normalization::LayerNorm`].
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Normalization, Shape};
    ///
    /// let shape = Shape::new(&[3, 10, 2])?;
    /// assert_eq!(shape.parameter_count(), 4 * 10 + 11 * 2);
    /// let normed = shape.with_normalization(Normalization::LayerNorm);
    /// assert_eq!(normed.parameter_count(), 4 * 10 + 11 * 2 + 2 * 10);
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn parameter_count(&self) -> usize {
        parameter_count(&self.widths) + self.norm_parameters(&self.widths)
    }

    /// [`layer_norm_parameter_count`] of `widths` if normalized, else 0.
    fn norm_parameters(&self, widths: &[usize]) -> usize {
        match self.norm {
            Normalization::None => 0,
            Normalization::LayerNorm => layer_norm_parameter_count(widths),
        }
    }

    /// [`max_hidden_width`] of this shape.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::Shape;
    ///
    /// assert_eq!(Shape::new(&[3, 10, 40, 2])?.max_hidden_width(), 40);
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn max_hidden_width(&self) -> usize {
        max_hidden_width(&self.widths)
    }

    /// [`workspace_len`] of this shape, plus [`layer_norm_workspace_len`]
    /// with [`Normalization::LayerNorm`].
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Shape, shape};
    ///
    /// let s = Shape::paper();
    /// assert_eq!(s.workspace_len(8), shape::workspace_len(&shape::PAPER_WIDTHS, 8));
    /// ```
    pub fn workspace_len(&self, micro_batch: usize) -> usize {
        workspace_len(&self.widths, micro_batch) + self.norm_workspace_len(micro_batch)
    }

    /// [`layer_norm_workspace_len`] if normalized, else 0.
    fn norm_workspace_len(&self, micro_batch: usize) -> usize {
        match self.norm {
            Normalization::None => 0,
            Normalization::LayerNorm => layer_norm_workspace_len(&self.widths, micro_batch),
        }
    }

    /// [`transposed_len`] of this shape.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::Shape;
    ///
    /// assert_eq!(Shape::new(&[3, 10, 2])?.transposed_len(), 10 * 2);
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn transposed_len(&self) -> usize {
        transposed_len(&self.widths)
    }

    /// Elements of a training arena: `4·P` ([`Shape::parameter_count`])
    /// plus [`Shape::workspace_len`] ([`arena_len`] without normalization).
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{NetworkTrainer, Shape};
    ///
    /// let shape = Shape::new(&[3, 10, 2])?;
    /// let arena = vec![0.0f32; shape.arena_len(4)];
    /// let trainer = NetworkTrainer::new(shape, 4, arena)?;
    /// assert_eq!(trainer.micro_batch(), 4);
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn arena_len(&self, micro_batch: usize) -> usize {
        4 * self.parameter_count() + self.workspace_len(micro_batch)
    }

    /// [`Shape::arena_len`] plus room for the transposed weights
    /// ([`transposed_len`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::Shape;
    ///
    /// let shape = Shape::new(&[3, 10, 2])?;
    /// assert_eq!(shape.arena_len_transposed(4), shape.arena_len(4) + shape.transposed_len());
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn arena_len_transposed(&self, micro_batch: usize) -> usize {
        self.arena_len(micro_batch) + self.transposed_len()
    }

    /// [`evaluation_scratch_len`] of this shape.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::Shape;
    ///
    /// assert_eq!(Shape::new(&[3, 10, 2])?.evaluation_scratch_len(8), 8 * (2 * 10 + 2));
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn evaluation_scratch_len(&self, chunk: usize) -> usize {
        evaluation_scratch_len(&self.widths, chunk)
    }

    /// Bytes of this shape's checkpoint: [`checkpoint_bytes`] (version 1)
    /// without normalization, 4 more (version 2, which records it) with.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Normalization, Shape};
    ///
    /// let shape = Shape::new(&[3, 10, 2])?;
    /// assert_eq!(shape.checkpoint_bytes(), 8 + 8 * 2 + 4 * 62 + 4);
    /// // Version 2 records the normalization: 4 bytes more, and the gains and shifts.
    /// let normed = shape.with_normalization(Normalization::LayerNorm);
    /// assert_eq!(normed.checkpoint_bytes(), 12 + 8 * 2 + 4 * 82 + 4);
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn checkpoint_bytes(&self) -> usize {
        let v2_header = if self.norm == Normalization::None { 0 } else { 4 };
        8 + v2_header + 8 * self.layers() + 4 * self.parameter_count() + 4
    }

    /// Bytes of this shape's training state ([`crate::checkpoint::state`]):
    /// `64 + 8·L + 12·P` ([`state_bytes`] without normalization).
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::Shape;
    ///
    /// assert_eq!(Shape::paper().state_bytes(), 103_800);
    /// ```
    pub fn state_bytes(&self) -> usize {
        64 + 8 * self.layers() + 12 * self.parameter_count()
    }

    /// Offset of layer `k`'s weights in a parameter buffer: the parameters
    /// of the layers before it, `Σ_{j<k} (n_j + 1)·n_{j+1}`, plus their
    /// normalizations' `2·n_{j+1}` when normalized.
    pub(crate) fn parameter_offset(&self, k: usize) -> usize {
        // The layers before `k` are all hidden, and their hidden units are
        // those of the widths up to n_k's outputs: n₁ … n_k.
        parameter_count(&self.widths[..=k]) + self.norm_parameters(&self.widths[..=k + 1])
    }
}

impl core::fmt::Display for Shape {
    /// The widths, `2-64-64-64-2` (the harness's `--arch` syntax); the
    /// normalization is not shown ([`Shape::normalization`]).
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        for (k, w) in self.widths.iter().enumerate() {
            if k > 0 {
                f.write_str("-")?;
            }
            write!(f, "{w}")?;
        }
        Ok(())
    }
}
