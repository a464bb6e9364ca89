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
//! | `T` (optional) | the transposed weights of layers `1 … L−1` ([`transposed_len`]) |
//!
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
    let mut hidden = 0;
    let mut k = 1;
    while k + 1 < widths.len() {
        hidden += widths[k];
        k += 1;
    }
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

/// Bytes of a checkpoint (see [`crate::checkpoint`]): `8 + 8·L + 4·P + 4`.
pub const fn checkpoint_bytes(widths: &[usize]) -> usize {
    let layers = if widths.is_empty() { 0 } else { widths.len() - 1 };
    8 + 8 * layers + 4 * parameter_count(widths) + 4
}

/// A network's layer widths, checked: 1 to [`MAX_LAYERS`] dense layers,
/// every width 1 to [`MAX_WIDTH`], 2 to [`MAX_CLASSES`] classes.
///
/// Held in a bounded list ([`heapless::Vec`]), so a `Shape` needs no
/// allocation. The methods give the lengths of the buffers a network of
/// this shape needs (the module's `const fn`s, applied to [`Shape::widths`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Shape {
    widths: heapless::Vec<usize, { MAX_LAYERS + 1 }>,
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
        Ok(Shape { widths })
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

    /// [`parameter_count`] of this shape.
    pub fn parameter_count(&self) -> usize {
        parameter_count(&self.widths)
    }

    /// [`max_hidden_width`] of this shape.
    pub fn max_hidden_width(&self) -> usize {
        max_hidden_width(&self.widths)
    }

    /// [`workspace_len`] of this shape.
    pub fn workspace_len(&self, micro_batch: usize) -> usize {
        workspace_len(&self.widths, micro_batch)
    }

    /// [`transposed_len`] of this shape.
    pub fn transposed_len(&self) -> usize {
        transposed_len(&self.widths)
    }

    /// [`arena_len`] of this shape.
    pub fn arena_len(&self, micro_batch: usize) -> usize {
        arena_len(&self.widths, micro_batch)
    }

    /// [`arena_len_transposed`] of this shape.
    pub fn arena_len_transposed(&self, micro_batch: usize) -> usize {
        arena_len_transposed(&self.widths, micro_batch)
    }

    /// [`evaluation_scratch_len`] of this shape.
    pub fn evaluation_scratch_len(&self, chunk: usize) -> usize {
        evaluation_scratch_len(&self.widths, chunk)
    }

    /// [`checkpoint_bytes`] of this shape.
    pub fn checkpoint_bytes(&self) -> usize {
        checkpoint_bytes(&self.widths)
    }

    /// Offset of layer `k`'s weights in a parameter buffer:
    /// `Σ_{j<k} (n_j + 1)·n_{j+1}`.
    pub(crate) fn parameter_offset(&self, k: usize) -> usize {
        parameter_count(&self.widths[..=k])
    }
}

impl core::fmt::Display for Shape {
    /// `2-64-64-64-2`, the harness's `--arch` syntax.
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
