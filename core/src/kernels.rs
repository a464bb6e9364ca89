//! Hand-written slice kernels: the only module of the crate where speed matters.
//!
//! Every matrix is a row-major `&[f32]`. A batch of `n` samples with `d`
//! features is `n × d`; a dense layer's weights are `fan_in × fan_out`, as in
//! the paper's framework (`inputs @ weights + biases`).
//!
//! # Summation order
//!
//! The order of every sum is fixed and documented below, and each kernel in
//! this module has a naive loop in [`reference`](mod@reference) that follows the same order,
//! so the two agree bit for bit, on every CPU. No kernel uses a fused
//! multiply-add; the only transcendental functions are `libm`'s.
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

/// Dense forward pass: `y = x·W + b`.
///
/// `x` is `n × fan_in`, `w` is `fan_in × fan_out`, `b` is `fan_out` and `y`
/// is `n × fan_out`; `fan_out = b.len()`.
///
/// # Panics
///
/// If the slice lengths are inconsistent.
pub fn affine_forward(x: &[f32], w: &[f32], b: &[f32], y: &mut [f32]) {
    let fan_out = b.len();
    let fan_in = fan_in(w, fan_out);
    assert_eq!(x.len() / fan_in, y.len() / fan_out, "batch sizes differ");
    assert!(x.len().is_multiple_of(fan_in) && y.len().is_multiple_of(fan_out));
    for (xs, ys) in x.chunks_exact(fan_in).zip(y.chunks_exact_mut(fan_out)) {
        ys.copy_from_slice(b);
        for (&xi, w_row) in xs.iter().zip(w.chunks_exact(fan_out)) {
            for (yj, &wij) in ys.iter_mut().zip(w_row) {
                *yj += xi * wij;
            }
        }
    }
}

/// Gradient with respect to a dense layer's input: `dx = dy·Wᵀ`.
///
/// `dy` is `n × fan_out`, `w` is `fan_in × fan_out`, `dx` is `n × fan_in`.
///
/// # Panics
///
/// If the slice lengths are inconsistent.
pub fn backward_input(dy: &[f32], w: &[f32], dx: &mut [f32], fan_out: usize) {
    let fan_in = fan_in(w, fan_out);
    assert!(dy.len().is_multiple_of(fan_out) && dx.len().is_multiple_of(fan_in));
    assert_eq!(dy.len() / fan_out, dx.len() / fan_in, "batch sizes differ");
    for (dys, dxs) in dy.chunks_exact(fan_out).zip(dx.chunks_exact_mut(fan_in)) {
        for (dxi, w_row) in dxs.iter_mut().zip(w.chunks_exact(fan_out)) {
            let mut acc = 0.0f32;
            for (&d, &wij) in dys.iter().zip(w_row) {
                acc += d * wij;
            }
            *dxi = acc;
        }
    }
}

/// Accumulates a dense layer's parameter gradients: `dW += xᵀ·dy`,
/// `db += Σ_s dy[s]`, one sample at a time in sample order.
///
/// `x` is `n × fan_in`, `dy` is `n × fan_out`, `dw` is `fan_in × fan_out`,
/// `db` is `fan_out`.
///
/// # Panics
///
/// If the slice lengths are inconsistent.
pub fn accumulate_param_grad(x: &[f32], dy: &[f32], dw: &mut [f32], db: &mut [f32]) {
    let fan_out = db.len();
    let fan_in = fan_in(dw, fan_out);
    assert!(x.len().is_multiple_of(fan_in) && dy.len().is_multiple_of(fan_out));
    assert_eq!(x.len() / fan_in, dy.len() / fan_out, "batch sizes differ");
    for (xs, dys) in x.chunks_exact(fan_in).zip(dy.chunks_exact(fan_out)) {
        for (&xi, dw_row) in xs.iter().zip(dw.chunks_exact_mut(fan_out)) {
            for (g, &d) in dw_row.iter_mut().zip(dys) {
                *g += xi * d;
            }
        }
        for (g, &d) in db.iter_mut().zip(dys) {
            *g += d;
        }
    }
}

/// ReLU in place: `y = max(0, y)`, with NaN passed through (as NumPy's
/// `np.maximum(0, y)` does) so that a divergence is never hidden.
pub fn relu_in_place(y: &mut [f32]) {
    for v in y {
        *v = if *v <= 0.0 { 0.0 } else { *v };
    }
}

/// ReLU backward in place: `d = 0` wherever the ReLU's output `y ≤ 0`
/// (the framework's `dinputs[inputs <= 0] = 0`; `y > 0` exactly when the
/// pre-activation is).
///
/// # Panics
///
/// If the lengths differ.
pub fn relu_backward_in_place(y: &[f32], d: &mut [f32]) {
    assert_eq!(y.len(), d.len());
    for (dv, &yv) in d.iter_mut().zip(y) {
        *dv = if yv <= 0.0 { 0.0 } else { *dv };
    }
}

/// Row-wise softmax in place: `p[j] = exp(z[j] − max z) / Σ_k exp(z[k] − max z)`,
/// with `libm::expf`.
///
/// # Panics
///
/// If `classes` is zero or does not divide `z.len()`.
pub fn softmax_rows(z: &mut [f32], classes: usize) {
    assert!(classes > 0 && z.len().is_multiple_of(classes));
    for row in z.chunks_exact_mut(classes) {
        let mut max = row[0];
        for &v in &row[1..] {
            if v > max {
                max = v;
            }
        }
        let mut sum = 0.0f32;
        for v in row.iter_mut() {
            *v = libm::expf(*v - max);
            sum += *v;
        }
        for v in row.iter_mut() {
            *v /= sum;
        }
    }
}

/// The smallest probability the loss sees; probabilities are clipped to
/// `[P_MIN, 1 − P_MIN]` as in the framework.
pub const P_MIN: f32 = 1e-7;

/// Running totals of the categorical cross-entropy and of correct predictions.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct LossTotals {
    /// `Σ_s −ln(clip(p[s][y_s], 1e-7, 1 − 1e-7))`, added in sample order.
    pub loss_sum: f32,
    /// Number of samples whose first maximal probability is the label's.
    pub correct: usize,
    /// Number of samples added.
    pub count: usize,
}

/// Adds the loss and the accuracy of a batch of probabilities to `totals`.
///
/// The loss of sample `s` is `−ln(clip(p[s][y_s], 1e-7, 1 − 1e-7))` with
/// `libm::logf`; the prediction is the first index of the row maximum
/// (NumPy's `argmax`).
///
/// # Panics
///
/// If `classes` is zero, the lengths disagree or a label is `≥ classes`.
pub fn cross_entropy_accumulate(p: &[f32], labels: &[u8], classes: usize, totals: &mut LossTotals) {
    assert!(classes > 0 && p.len() == labels.len() * classes);
    for (row, &label) in p.chunks_exact(classes).zip(labels) {
        let pt = row[usize::from(label)].clamp(P_MIN, 1.0 - P_MIN);
        totals.loss_sum += -libm::logf(pt);
        let mut best = 0;
        for (j, &v) in row.iter().enumerate().skip(1) {
            if v > row[best] {
                best = j;
            }
        }
        totals.correct += usize::from(best == usize::from(label));
        totals.count += 1;
    }
}

/// The fused softmax/cross-entropy gradient in place:
/// `p[s][j] ← (p[s][j] − [j = y_s]) / n`, where `n` is the number of samples
/// the loss averages over (the whole batch, not the micro-batch).
///
/// # Panics
///
/// If `classes` is zero, the lengths disagree or a label is `≥ classes`.
pub fn softmax_cross_entropy_grad(p: &mut [f32], labels: &[u8], classes: usize, n: f32) {
    assert!(classes > 0 && p.len() == labels.len() * classes);
    for (row, &label) in p.chunks_exact_mut(classes).zip(labels) {
        row[usize::from(label)] -= 1.0;
        for v in row.iter_mut() {
            *v /= n;
        }
    }
}

/// The per-step constants of an Adam update.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AdamStep {
    /// Learning rate `lr`.
    pub lr: f32,
    /// `β1`.
    pub beta1: f32,
    /// `1 − β1`.
    pub one_minus_beta1: f32,
    /// `β2`.
    pub beta2: f32,
    /// `1 − β2`.
    pub one_minus_beta2: f32,
    /// `ε`, added outside the square root.
    pub epsilon: f32,
    /// `1 − β1^t`, computed in f64 and rounded to f32.
    pub correction1: f32,
    /// `1 − β2^t`, computed in f64 and rounded to f32.
    pub correction2: f32,
}

impl AdamStep {
    /// The new `(θ, m, v)` of one parameter, exactly as the framework
    /// computes it:
    ///
    /// ```text
    /// m ← β1·m + (1 − β1)·g          m̂ = m / (1 − β1^t)
    /// v ← β2·v + (1 − β2)·g²         v̂ = v / (1 − β2^t)
    /// θ ← θ + (−lr·m̂) / (√v̂ + ε)
    /// ```
    #[inline(always)]
    fn apply(&self, theta: f32, g: f32, m: f32, v: f32) -> (f32, f32, f32) {
        let m = self.beta1 * m + self.one_minus_beta1 * g;
        let v = self.beta2 * v + self.one_minus_beta2 * (g * g);
        let m_hat = m / self.correction1;
        let v_hat = v / self.correction2;
        let theta = theta + (-self.lr * m_hat) / (libm::sqrtf(v_hat) + self.epsilon);
        (theta, m, v)
    }
}

/// Whether the Adam update of these parameters would leave every one of them
/// finite. Reads only: used to make a step all-or-nothing.
///
/// # Panics
///
/// If the four slices differ in length.
pub fn adam_update_is_finite(theta: &[f32], g: &[f32], m: &[f32], v: &[f32], step: &AdamStep) -> bool {
    assert!(theta.len() == g.len() && g.len() == m.len() && m.len() == v.len());
    let mut finite = true;
    for (((&t, &g), &m), &v) in theta.iter().zip(g).zip(m).zip(v) {
        finite &= step.apply(t, g, m, v).0.is_finite();
    }
    finite
}

/// One Adam update of a parameter slice, element by element (see
/// [`AdamStep`] for the formula).
///
/// # Panics
///
/// If the four slices differ in length.
pub fn adam_update(theta: &mut [f32], g: &[f32], m: &mut [f32], v: &mut [f32], step: &AdamStep) {
    assert!(theta.len() == g.len() && g.len() == m.len() && m.len() == v.len());
    for (((t, &g), m), v) in theta.iter_mut().zip(g).zip(m.iter_mut()).zip(v.iter_mut()) {
        (*t, *m, *v) = step.apply(*t, g, *m, *v);
    }
}

/// Naive loops, one per kernel, in the same summation order: the
/// specification the kernels above are tested (and fuzzed) against.
///
/// Index loops are kept on purpose: they read as the formulas do.
#[allow(clippy::needless_range_loop, clippy::manual_clamp)]
pub mod reference {
    use super::{AdamStep, LossTotals};

    /// Naive [`super::affine_forward`].
    pub fn affine_forward(x: &[f32], w: &[f32], b: &[f32], y: &mut [f32]) {
        let fan_out = b.len();
        let fan_in = w.len() / fan_out;
        let n = x.len() / fan_in;
        for s in 0..n {
            for j in 0..fan_out {
                let mut acc = b[j];
                for i in 0..fan_in {
                    acc += x[s * fan_in + i] * w[i * fan_out + j];
                }
                y[s * fan_out + j] = acc;
            }
        }
    }

    /// Naive [`super::backward_input`].
    pub fn backward_input(dy: &[f32], w: &[f32], dx: &mut [f32], fan_out: usize) {
        let fan_in = w.len() / fan_out;
        let n = dy.len() / fan_out;
        for s in 0..n {
            for i in 0..fan_in {
                let mut acc = 0.0f32;
                for j in 0..fan_out {
                    acc += dy[s * fan_out + j] * w[i * fan_out + j];
                }
                dx[s * fan_in + i] = acc;
            }
        }
    }

    /// Naive [`super::accumulate_param_grad`].
    pub fn accumulate_param_grad(x: &[f32], dy: &[f32], dw: &mut [f32], db: &mut [f32]) {
        let fan_out = db.len();
        let fan_in = dw.len() / fan_out;
        let n = x.len() / fan_in;
        for s in 0..n {
            for i in 0..fan_in {
                for j in 0..fan_out {
                    dw[i * fan_out + j] += x[s * fan_in + i] * dy[s * fan_out + j];
                }
            }
            for j in 0..fan_out {
                db[j] += dy[s * fan_out + j];
            }
        }
    }

    /// Naive [`super::relu_in_place`].
    pub fn relu_in_place(y: &mut [f32]) {
        for v in y.iter_mut() {
            if *v <= 0.0 {
                *v = 0.0;
            }
        }
    }

    /// Naive [`super::relu_backward_in_place`].
    pub fn relu_backward_in_place(y: &[f32], d: &mut [f32]) {
        for k in 0..y.len() {
            if y[k] <= 0.0 {
                d[k] = 0.0;
            }
        }
    }

    /// Naive [`super::softmax_rows`].
    pub fn softmax_rows(z: &mut [f32], classes: usize) {
        for s in 0..z.len() / classes {
            let row = &mut z[s * classes..(s + 1) * classes];
            let mut max = row[0];
            for j in 1..classes {
                if row[j] > max {
                    max = row[j];
                }
            }
            let mut sum = 0.0f32;
            for j in 0..classes {
                row[j] = libm::expf(row[j] - max);
                sum += row[j];
            }
            for j in 0..classes {
                row[j] /= sum;
            }
        }
    }

    /// Naive [`super::cross_entropy_accumulate`].
    pub fn cross_entropy_accumulate(p: &[f32], labels: &[u8], classes: usize, totals: &mut LossTotals) {
        for (s, &label) in labels.iter().enumerate() {
            let row = &p[s * classes..(s + 1) * classes];
            let mut pt = row[label as usize];
            if pt < super::P_MIN {
                pt = super::P_MIN;
            }
            if pt > 1.0 - super::P_MIN {
                pt = 1.0 - super::P_MIN;
            }
            totals.loss_sum += -libm::logf(pt);
            let mut best = 0;
            for j in 1..classes {
                if row[j] > row[best] {
                    best = j;
                }
            }
            if best == label as usize {
                totals.correct += 1;
            }
            totals.count += 1;
        }
    }

    /// Naive [`super::softmax_cross_entropy_grad`].
    pub fn softmax_cross_entropy_grad(p: &mut [f32], labels: &[u8], classes: usize, n: f32) {
        for (s, &label) in labels.iter().enumerate() {
            for j in 0..classes {
                let onehot = if j == label as usize { 1.0 } else { 0.0 };
                p[s * classes + j] = (p[s * classes + j] - onehot) / n;
            }
        }
    }

    /// Naive [`super::adam_update`].
    pub fn adam_update(theta: &mut [f32], g: &[f32], m: &mut [f32], v: &mut [f32], step: &AdamStep) {
        for k in 0..theta.len() {
            m[k] = step.beta1 * m[k] + step.one_minus_beta1 * g[k];
            v[k] = step.beta2 * v[k] + step.one_minus_beta2 * (g[k] * g[k]);
            let m_hat = m[k] / step.correction1;
            let v_hat = v[k] / step.correction2;
            theta[k] += (-step.lr * m_hat) / (libm::sqrtf(v_hat) + step.epsilon);
        }
    }
}
