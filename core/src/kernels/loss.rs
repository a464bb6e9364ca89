//! Softmax, the clipped categorical cross-entropy and its fused gradient.

/// Row-wise softmax in place: `p[j] = exp(z[j] − max z) / Σ_k exp(z[k] − max z)`,
/// with `libm::expf`.
///
/// # Panics
///
/// If `classes` is zero or does not divide `z.len()`.
///
/// # Examples
///
/// ```
/// use saorsa_nn::kernels;
///
/// let mut z = [0.0f32, 0.0, 1.0, 1.0, 1.0, 1.0]; // 3 rows of 2 classes
/// kernels::softmax_rows(&mut z, 2);
/// assert_eq!(z, [0.5; 6]);
/// ```
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
///
/// # Examples
///
/// ```
/// use saorsa_nn::{Metrics, kernels};
///
/// let mut totals = kernels::LossTotals::default();
/// kernels::cross_entropy_accumulate(&[0.5, 0.5, 0.9, 0.1], &[1, 0], 2, &mut totals);
/// assert_eq!((totals.correct, totals.count), (1, 2));
/// assert_eq!(Metrics::from_totals(&totals).accuracy, 0.5);
/// ```
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
///
/// # Examples
///
/// ```
/// use saorsa_nn::kernels;
///
/// let mut totals = kernels::LossTotals::default();
/// // p = 1 is clipped to 1 − 1e-7: the loss is tiny but not zero.
/// kernels::cross_entropy_accumulate(&[1.0, 0.0], &[0], 2, &mut totals);
/// assert!(totals.loss_sum > 0.0 && totals.loss_sum < 1e-6);
/// ```
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
///
/// # Examples
///
/// ```
/// use saorsa_nn::kernels;
///
/// let mut p = [0.25f32, 0.75];
/// kernels::softmax_cross_entropy_grad(&mut p, &[1], 2, 1.0);
/// assert_eq!(p, [0.25, -0.25]);
/// ```
pub fn softmax_cross_entropy_grad(p: &mut [f32], labels: &[u8], classes: usize, n: f32) {
    assert!(classes > 0 && p.len() == labels.len() * classes);
    for (row, &label) in p.chunks_exact_mut(classes).zip(labels) {
        row[usize::from(label)] -= 1.0;
        for v in row.iter_mut() {
            *v /= n;
        }
    }
}
