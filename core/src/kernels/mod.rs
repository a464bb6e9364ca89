//! Hand-written slice kernels: the only module of the crate where speed matters.
//!
//! ```
//! use saorsa_nn::kernels;
//!
//! // A dense layer, ReLU, then softmax: a forward pass by hand.
//! let (x, w, b) = ([1.0f32, -1.0], [1.0f32, 2.0, 3.0, 4.0], [0.0f32, 0.0]);
//! let mut y = [0.0f32; 2];
//! kernels::affine_forward(&x, &w, &b, &mut y);
//! assert_eq!(y, [-2.0, -2.0]);
//! kernels::relu_in_place(&mut y);
//! kernels::softmax_rows(&mut y, 2);
//! assert_eq!(y, [0.5, 0.5]);
//! ```
//!
//! Every matrix is a row-major `&[f32]`. A batch of `n` samples with `d`
//! features is `n × d`; a dense layer's weights are `fan_in × fan_out`, as in
//! the paper's framework (`inputs @ weights + biases`).
//!
//! # Summation order
//!
//! The order of every sum is fixed and documented below, and each kernel in
//! this module has a naive loop of the same name in `kernels::reference` (the
//! tests' and the fuzzer's oracle, hidden from these docs) that follows the
//! same order, so the two agree bit for bit, on every CPU. No kernel uses a fused
//! multiply-add; the only transcendental functions are `libm`'s, and the
//! square root is the correctly rounded IEEE one ([`sqrt`](fn@sqrt)).
//!
//! - [`affine_forward`]: `y[s][j] = (((b[j] + x[s][0]·w[0][j]) + x[s][1]·w[1][j]) + …)`,
//!   the input index `i` increasing.
//! - [`backward_input`]: `dx[s][i] = (((0 + dy[s][0]·w[i][0]) + dy[s][1]·w[i][1]) + …)`,
//!   the output index `j` increasing.
//! - [`accumulate_param_grad`]: `dw[i][j] += x[s][i]·dy[s][j]` and
//!   `db[j] += dy[s][j]`, one sample at a time, `s` increasing. Because the
//!   accumulator carries over from one call to the next, a gradient gathered
//!   over micro-batches of any size is bit-identical to one gathered in one
//!   call.
//! - [`softmax_rows`]: the row maximum and the sum of exponentials run over
//!   the classes in increasing order.
//! - [`cross_entropy_accumulate`]: per-sample losses are added to the running
//!   total in sample order.
//!
//! The loops are written so that the compiler vectorizes them without
//! reassociating any sum: the forward product and the weight gradient are
//! `axpy` updates across the output index, where each lane is an independent
//! sum.
//!
//! The kernels live in files by role — dense register tiles, zero-skipping
//! kernels, ReLU, layer normalization, softmax and loss, Adam, the square
//! root — and are all re-exported here, so every kernel's path is
//! `kernels::name`.

mod adam;
mod dense;
mod loss;
mod norm;
#[doc(hidden)]
#[allow(clippy::needless_range_loop, clippy::manual_clamp)]
pub mod reference;
mod relu;
mod sparse;
mod sqrt;

pub use adam::{AdamStep, adam_update, adam_update_is_finite, adam_update_is_surely_finite};
pub use dense::{accumulate_param_grad, affine_forward, backward_input};
pub use loss::{LossTotals, P_MIN, cross_entropy_accumulate, softmax_cross_entropy_grad, softmax_rows};
pub use norm::{lane_sum, layer_norm_backward, layer_norm_forward};
pub(crate) use relu::relu_mask;
pub use relu::{relu_backward_in_place, relu_in_place};
pub use sparse::{
    sparse_accumulate_param_grad, sparse_affine_forward, sparse_backward_input_relu, transpose,
};
pub use sqrt::sqrt;

/// The shape implied by a bias (`fan_out`) and a weight slice.
///
/// # Panics
///
/// If `fan_out` is zero or `w.len()` is not a non-zero multiple of it.
fn fan_in(w: &[f32], fan_out: usize) -> usize {
    assert!(fan_out > 0, "fan_out must be positive");
    assert!(!w.is_empty() && w.len().is_multiple_of(fan_out), "weights must be fan_in × fan_out");
    w.len() / fan_out
}
