//! Softmax output with categorical cross-entropy, and the metrics it reports.
//!
//! ```
//! use saorsa_nn::loss;
//!
//! let mut z = [[1.0f32, 1.0]];
//! loss::softmax(&mut z);
//! assert_eq!(z, [[0.5, 0.5]]);
//! ```

use crate::kernels::{self, LossTotals};

/// Loss and accuracy over a set of samples.
///
/// # Examples
///
/// ```
/// use saorsa_nn::{Dataset, Init, Mlp};
///
/// let mut net = Box::new(Mlp::<2, 8, 0, 2>::new());
/// net.init_from_seed(Init::HeNormal, 0)?;
/// let data = Dataset::<2, 2>::new(&[[0.0, 1.0], [1.0, 0.0]], &[0, 1])?;
/// let m = net.evaluate(&data);
/// assert_eq!(m.samples, 2);
/// assert_eq!(m.accuracy, m.correct as f32 / 2.0);
/// assert!(m.to_string().starts_with("loss=0x"));
/// # Ok::<(), saorsa_nn::Error>(())
/// ```
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
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::Metrics;
    /// use saorsa_nn::kernels::LossTotals;
    ///
    /// let m = Metrics::from_totals(&LossTotals { loss_sum: 3.0, correct: 3, count: 4 });
    /// assert_eq!((m.loss, m.accuracy), (0.75, 0.75));
    /// assert_eq!(Metrics::from_totals(&LossTotals::default()).samples, 0);
    /// ```
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
///
/// # Examples
///
/// ```
/// use saorsa_nn::loss;
///
/// let mut z = [[0.0f32, 0.0], [0.0, f32::ln(3.0)]];
/// loss::softmax(&mut z);
/// assert_eq!(z[0], [0.5, 0.5]);
/// assert!((z[1][1] - 0.75).abs() < 1e-6);
/// ```
pub fn softmax<const C: usize>(z: &mut [[f32; C]]) {
    kernels::softmax_rows(z.as_flattened_mut(), C);
}

/// Adds a batch's cross-entropy and correct predictions to `totals`.
///
/// # Panics
///
/// If the lengths differ or a label is `≥ C` (a [`crate::Dataset`] never
/// holds one).
///
/// # Examples
///
/// ```
/// use saorsa_nn::kernels::LossTotals;
/// use saorsa_nn::loss;
///
/// let p = [[0.5f32, 0.5], [0.25, 0.75]];
/// let mut totals = LossTotals::default();
/// loss::cross_entropy(&p, &[0, 1], &mut totals);
/// assert!((totals.loss_sum - (2.0f32.ln() + (4.0f32 / 3.0).ln())).abs() < 1e-6);
/// assert_eq!((totals.correct, totals.count), (2, 2)); // a tie goes to the first class
/// ```
pub fn cross_entropy<const C: usize>(p: &[[f32; C]], labels: &[u8], totals: &mut LossTotals) {
    kernels::cross_entropy_accumulate(p.as_flattened(), labels, C, totals);
}

/// Replaces probabilities by the gradient of the mean loss over `n` samples
/// with respect to the logits: `(p − onehot(y)) / n`.
///
/// # Panics
///
/// If the lengths differ or a label is `≥ C`.
///
/// # Examples
///
/// ```
/// use saorsa_nn::loss;
///
/// let mut p = [[0.25f32, 0.75], [0.5, 0.5]];
/// loss::softmax_cross_entropy_grad(&mut p, &[1, 0], 2);
/// assert_eq!(p, [[0.125, -0.125], [-0.25, 0.25]]);
/// ```
pub fn softmax_cross_entropy_grad<const C: usize>(p: &mut [[f32; C]], labels: &[u8], n: usize) {
    kernels::softmax_cross_entropy_grad(p.as_flattened_mut(), labels, C, n as f32);
}
