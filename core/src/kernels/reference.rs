//! Naive loops, one per kernel, in the same summation order: the bit-exact
//! specification the kernels of [`super`] are tested (and fuzzed) against.
//!
//! A test oracle, not an API: hidden from the docs, and never called by the
//! trainer (so it costs no flash).
//!
//! Index loops are kept on purpose: they read as the formulas do.

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

/// Naive [`super::transpose`].
pub fn transpose(m: &[f32], cols: usize, t: &mut [f32]) {
    let rows = m.len() / cols;
    for i in 0..rows {
        for j in 0..cols {
            t[j * rows + i] = m[i * cols + j];
        }
    }
}

/// Naive [`super::sparse_affine_forward`]: [`affine_forward`] without the
/// terms whose `x` is zero.
pub fn sparse_affine_forward(x: &[f32], w: &[f32], b: &[f32], y: &mut [f32]) {
    let fan_out = b.len();
    let fan_in = w.len() / fan_out;
    let n = x.len() / fan_in;
    for s in 0..n {
        for j in 0..fan_out {
            let mut acc = b[j];
            for i in 0..fan_in {
                if x[s * fan_in + i] != 0.0 {
                    acc += x[s * fan_in + i] * w[i * fan_out + j];
                }
            }
            y[s * fan_out + j] = acc;
        }
    }
}

/// Naive [`super::sparse_accumulate_param_grad`]:
/// [`accumulate_param_grad`] without the terms whose `x` is zero.
pub fn sparse_accumulate_param_grad(x: &[f32], dy: &[f32], dw: &mut [f32], db: &mut [f32]) {
    let fan_out = db.len();
    let fan_in = dw.len() / fan_out;
    let n = x.len() / fan_in;
    for s in 0..n {
        for i in 0..fan_in {
            if x[s * fan_in + i] != 0.0 {
                for j in 0..fan_out {
                    dw[i * fan_out + j] += x[s * fan_in + i] * dy[s * fan_out + j];
                }
            }
        }
        for j in 0..fan_out {
            db[j] += dy[s * fan_out + j];
        }
    }
}

/// Naive [`super::sparse_backward_input_relu`]: [`backward_input`] from
/// the transposed weights without the terms whose `dy` is zero, then
/// [`relu_backward_in_place`].
pub fn sparse_backward_input_relu(dy: &[f32], wt: &[f32], y: &[f32], dx: &mut [f32], fan_out: usize) {
    let fan_in = wt.len() / fan_out;
    let n = dy.len() / fan_out;
    for s in 0..n {
        for i in 0..fan_in {
            let mut acc = 0.0f32;
            for j in 0..fan_out {
                if dy[s * fan_out + j] != 0.0 {
                    acc += dy[s * fan_out + j] * wt[j * fan_in + i];
                }
            }
            dx[s * fan_in + i] = if y[s * fan_in + i] <= 0.0 { 0.0 } else { acc };
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
