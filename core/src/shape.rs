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
pub const fn layer_norm_parameter_count(widths: &[usize]) -> usize {
    2 * hidden_units(widths)
}

/// Workspace elements that [`Normalization::LayerNorm`] adds for
/// micro-batches of `micro_batch` samples: `B·(h₁ + … + h_{L−1}) + B·(L−1)`
/// (the normalized values and each sample's `1/σ`, kept for the backward
/// pass).
pub const fn layer_norm_workspace_len(widths: &[usize], micro_batch: usize) -> usize {
    let hidden_layers = if widths.len() > 2 { widths.len() - 2 } else { 0 };
    micro_batch * (hidden_units(widths) + hidden_layers)
}

/// Number of parameters: `Σ_k (n_k + 1)·n_{k+1}`.
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
pub const fn workspace_len(widths: &[usize], micro_batch: usize) -> usize {
    let hidden = hidden_units(widths);
    let classes = if widths.is_empty() { 0 } else { widths[widths.len() - 1] };
    micro_batch * (hidden + classes + 2 * max_hidden_width(widths))
}

/// Elements of the transposed weights of every layer but the first:
/// `Σ_{k ≥ 1} n_k·n_{k+1}`.
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
pub const fn arena_len(widths: &[usize], micro_batch: usize) -> usize {
    4 * parameter_count(widths) + workspace_len(widths, micro_batch)
}

/// [`arena_len`] plus room for the transposed weights ([`transposed_len`]).
pub const fn arena_len_transposed(widths: &[usize], micro_batch: usize) -> usize {
    arena_len(widths, micro_batch) + transposed_len(widths)
}

/// Elements of the scratch buffer that evaluates `chunk` samples at a time:
/// `chunk·(2·H + C)`.
pub const fn evaluation_scratch_len(widths: &[usize], chunk: usize) -> usize {
    let classes = if widths.is_empty() { 0 } else { widths[widths.len() - 1] };
    chunk * (2 * max_hidden_width(widths) + classes)
}

/// Bytes of a version-1 checkpoint (see [`crate::checkpoint`]) of a
/// network without normalization: `8 + 8·L + 4·P + 4`.
pub const fn checkpoint_bytes(widths: &[usize]) -> usize {
    let layers = if widths.is_empty() { 0 } else { widths.len() - 1 };
    8 + 8 * layers + 4 * parameter_count(widths) + 4
}

/// Bytes of a training state (see [`crate::checkpoint::state`]) of a
/// network without normalization: `64 + 8·L + 12·P`.
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
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Shape {
    widths: heapless::Vec<usize, { MAX_LAYERS + 1 }>,
    norm: Normalization,
}

impl Shape {
    /// Checks and keeps `widths = [inputs, hidden…, classes]`.
    ///
    /// Errors: [`Error::BadShape`] if there are fewer than 2 or more than
    /// `MAX_LAYERS + 1` widths, a width is 0 or above [`MAX_WIDTH`], or the
    /// classes are fewer than 2 or more than [`MAX_CLASSES`].
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
    pub fn with_normalization(mut self, norm: Normalization) -> Shape {
        self.norm = if self.layers() > 1 { norm } else { Normalization::None };
        self
    }

    /// What stands between each hidden layer and its ReLU.
    pub fn normalization(&self) -> Normalization {
        self.norm
    }

    /// Whether hidden layer `k` (`k < L − 1`) is followed by a layer
    /// normalization.
    pub(crate) fn normalized(&self, k: usize) -> bool {
        self.norm == Normalization::LayerNorm && k + 1 < self.layers()
    }

    /// The paper's shape, [`PAPER_WIDTHS`].
    pub fn paper() -> Shape {
        Shape::new(&PAPER_WIDTHS).expect("the paper's shape is valid")
    }

    /// The widths, inputs first and classes last.
    pub fn widths(&self) -> &[usize] {
        &self.widths
    }

    /// Number of dense layers, `L`.
    pub fn layers(&self) -> usize {
        self.widths.len() - 1
    }

    /// Number of input features, `n₀`.
    pub fn inputs(&self) -> usize {
        self.widths[0]
    }

    /// Number of classes, `n_L`.
    pub fn classes(&self) -> usize {
        self.widths[self.widths.len() - 1]
    }

    /// `(fan_in, fan_out)` of layer `k`.
    ///
    /// # Panics
    ///
    /// If `k ≥ L`.
    pub fn layer(&self, k: usize) -> (usize, usize) {
        (self.widths[k], self.widths[k + 1])
    }

    /// Every `(fan_in, fan_out)`, in layer order.
    pub fn layer_shapes(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.widths.windows(2).map(|w| (w[0], w[1]))
    }

    /// Number of parameters: [`parameter_count`], plus
    /// [`layer_norm_parameter_count`] with [`Normalization::LayerNorm`].
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
    pub fn max_hidden_width(&self) -> usize {
        max_hidden_width(&self.widths)
    }

    /// [`workspace_len`] of this shape, plus [`layer_norm_workspace_len`]
    /// with [`Normalization::LayerNorm`].
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
    pub fn transposed_len(&self) -> usize {
        transposed_len(&self.widths)
    }

    /// Elements of a training arena: `4·P` ([`Shape::parameter_count`])
    /// plus [`Shape::workspace_len`] ([`arena_len`] without normalization).
    pub fn arena_len(&self, micro_batch: usize) -> usize {
        4 * self.parameter_count() + self.workspace_len(micro_batch)
    }

    /// [`Shape::arena_len`] plus room for the transposed weights
    /// ([`transposed_len`]).
    pub fn arena_len_transposed(&self, micro_batch: usize) -> usize {
        self.arena_len(micro_batch) + self.transposed_len()
    }

    /// [`evaluation_scratch_len`] of this shape.
    pub fn evaluation_scratch_len(&self, chunk: usize) -> usize {
        evaluation_scratch_len(&self.widths, chunk)
    }

    /// Bytes of this shape's checkpoint: [`checkpoint_bytes`] (version 1)
    /// without normalization, 4 more (version 2, which records it) with.
    pub fn checkpoint_bytes(&self) -> usize {
        let v2_header = if self.norm == Normalization::None { 0 } else { 4 };
        8 + v2_header + 8 * self.layers() + 4 * self.parameter_count() + 4
    }

    /// Bytes of this shape's training state ([`crate::checkpoint::state`]):
    /// `64 + 8·L + 12·P` ([`state_bytes`] without normalization).
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
