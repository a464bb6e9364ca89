//! The Adam optimizer.

use crate::error::{Error, Hyperparameter};
use crate::kernels::AdamStep;

/// Adam's hyperparameters (Kingma & Ba), with the paper framework's update
///
/// ```text
/// m ← β1·m + (1 − β1)·g,    m̂ = m / (1 − β1^t)
/// v ← β2·v + (1 − β2)·g²,   v̂ = v / (1 − β2^t)
/// θ ← θ − lr·m̂ / (√v̂ + ε)
/// ```
///
/// with `t` counting steps from 1 and `ε` *outside* the square root.
///
/// The defaults are the framework's: `lr = 1e-3`, `β1 = 0.9`, `β2 = 0.999`,
/// `ε = 1e-7` (Keras's convention). PyTorch's `torch.optim.Adam` uses
/// `ε = 1e-8` with the same placement; set [`Adam::epsilon`] to match it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Adam {
    /// Learning rate; finite and > 0.
    pub learning_rate: f32,
    /// Decay of the first moment; in [0, 1).
    pub beta1: f32,
    /// Decay of the second moment; in [0, 1).
    pub beta2: f32,
    /// Added to `√v̂`; finite and > 0.
    pub epsilon: f32,
}

impl Default for Adam {
    fn default() -> Self {
        Adam::new()
    }
}

impl Adam {
    /// The framework's defaults: lr 1e-3, β1 0.9, β2 0.999, ε 1e-7.
    pub const fn new() -> Adam {
        Adam { learning_rate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }
    }

    /// The defaults with another learning rate.
    pub const fn with_learning_rate(learning_rate: f32) -> Adam {
        Adam { learning_rate, ..Adam::new() }
    }

    /// Checks every hyperparameter against its domain.
    pub fn validate(&self) -> Result<(), Error> {
        let bad = |h| Err(Error::BadHyperparameter(h));
        if !(self.learning_rate > 0.0 && self.learning_rate.is_finite()) {
            return bad(Hyperparameter::LearningRate);
        }
        if !(self.beta1 >= 0.0 && self.beta1 < 1.0) {
            return bad(Hyperparameter::Beta1);
        }
        if !(self.beta2 >= 0.0 && self.beta2 < 1.0) {
            return bad(Hyperparameter::Beta2);
        }
        if !(self.epsilon > 0.0 && self.epsilon.is_finite()) {
            return bad(Hyperparameter::Epsilon);
        }
        Ok(())
    }

    /// The constants of step `t` (counting from 1): the bias corrections
    /// `1 − β^t` are computed in f64 with `libm::pow` and rounded to f32.
    pub fn step(&self, t: u64) -> AdamStep {
        let correction = |beta: f32| (1.0 - libm::pow(f64::from(beta), t as f64)) as f32;
        AdamStep {
            lr: self.learning_rate,
            beta1: self.beta1,
            beta2: self.beta2,
            epsilon: self.epsilon,
            correction1: correction(self.beta1),
            correction2: correction(self.beta2),
        }
    }
}
