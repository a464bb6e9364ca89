//! Softmax output with categorical cross-entropy, and the metrics it reports.

use crate::kernels::{self, LossTotals};

/// Loss and accuracy over a set of samples.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Metrics {
    /// Mean categorical cross-entropy, `(Σ_s −ln clip(p[s][y_s], 1e-7, 1 − 1e-7)) / n`.
    pub loss: f32,
    /// Fraction of samples whose predicted class (first arg-max) is the label.
    pub accuracy: f32,
    /// Number of correctly classified samples.
    pub correct: usize,
    /// Number of samples.
    pub samples: usize,
}

impl Metrics {
    /// Metrics from running totals: `loss = loss_sum / count`,
    /// `accuracy = correct / count`. All zero for no samples.
    pub fn from_totals(t: &LossTotals) -> Metrics {
        let n = t.count as f32;
        if t.count == 0 {
            return Metrics { loss: 0.0, accuracy: 0.0, correct: 0, samples: 0 };
        }
        Metrics { loss: t.loss_sum / n, accuracy: t.correct as f32 / n, correct: t.correct, samples: t.count }
    }
}

/// `loss=0x3e800000 0.250000 acc=0x3f4ccccd 0.8000 correct=8/10`: each f32
/// as its bits (for comparing runs bit for bit, across targets) and as a
/// decimal (for people), then the count. The firmware and its host reference
/// print this line, and `firmware/compare.sh` compares the two.
impl core::fmt::Display for Metrics {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "loss={:#010x} {:.6} acc={:#010x} {:.4} correct={}/{}",
            self.loss.to_bits(),
            self.loss,
            self.accuracy.to_bits(),
            self.accuracy,
            self.correct,
            self.samples
        )
    }
}

/// Turns a batch of logits into probabilities in place (row-wise softmax).
pub fn softmax<const C: usize>(z: &mut [[f32; C]]) {
    kernels::softmax_rows(z.as_flattened_mut(), C);
}

/// Adds a batch's cross-entropy and correct predictions to `totals`.
///
/// # Panics
///
/// If the lengths differ or a label is `≥ C` (a [`crate::Dataset`] never
/// holds one).
pub fn cross_entropy<const C: usize>(p: &[[f32; C]], labels: &[u8], totals: &mut LossTotals) {
    kernels::cross_entropy_accumulate(p.as_flattened(), labels, C, totals);
}

/// Replaces probabilities by the gradient of the mean loss over `n` samples
/// with respect to the logits: `(p − onehot(y)) / n`.
///
/// # Panics
///
/// If the lengths differ or a label is `≥ C`.
pub fn softmax_cross_entropy_grad<const C: usize>(p: &mut [[f32; C]], labels: &[u8], n: usize) {
    kernels::softmax_cross_entropy_grad(p.as_flattened_mut(), labels, C, n as f32);
}
