//! The Adam optimizer.
//!
//! ```
//! use saorsa_nn::{Adam, kernels};
//!
//! // One Adam step on one parameter with gradient 1: it moves by −lr.
//! let (mut theta, mut m, mut v) = ([1.0f32], [0.0f32], [0.0f32]);
//! kernels::adam_update(&mut theta, &[1.0], &mut m, &mut v, &Adam::new().step(1));
//! assert!((theta[0] - (1.0 - 1e-3)).abs() < 1e-6);
//! ```

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
///
/// The hyperparameters are f64, as the framework's Python floats are;
/// [`Adam::step`] derives the f32 constants of each step from them, so that
/// `1 − β2` is `0.001` to f32 precision rather than `1 − f32(0.999)`.
///
/// # Examples
///
/// ```
/// use saorsa_nn::{Adam, Init, Trainer};
///
/// // PyTorch's epsilon, a larger learning rate.
/// let adam = Adam { epsilon: 1e-8, ..Adam::with_learning_rate(0.01) };
/// let mut trainer = Box::new(Trainer::<2, 8, 0, 2, 1>::new());
/// trainer.init_from_seed(Init::HeNormal, 0)?;
/// trainer.set_adam(adam)?;
/// assert_eq!(trainer.adam().learning_rate, 0.01);
/// # Ok::<(), saorsa_nn::Error>(())
/// ```
pub struct Adam {
    /// Learning rate; finite, and > 0 also when rounded to f32 (at least
    /// about 7.1e-46, half the smallest positive f32).
    pub learning_rate: f64,
    /// Decay of the first moment; in [0, 1).
    pub beta1: f64,
    /// Decay of the second moment; in [0, 1).
    pub beta2: f64,
    /// Added to `√v̂`; finite, and > 0 also when rounded to f32.
    pub epsilon: f64,
}

impl Default for Adam {
    fn default() -> Self {
        Adam::new()
    }
}

impl Adam {
    /// The framework's defaults: lr 1e-3, β1 0.9, β2 0.999, ε 1e-7.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::Adam;
    ///
    /// let adam = Adam::new();
    /// assert_eq!((adam.learning_rate, adam.beta1, adam.beta2, adam.epsilon), (1e-3, 0.9, 0.999, 1e-7));
    /// ```
    pub const fn new() -> Adam {
        Adam { learning_rate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }
    }

    /// The defaults with another learning rate.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::Adam;
    ///
    /// assert_eq!(Adam::with_learning_rate(0.01).beta2, 0.999);
    /// ```
    pub const fn with_learning_rate(learning_rate: f64) -> Adam {
        Adam { learning_rate, ..Adam::new() }
    }

    /// Checks every hyperparameter against its domain.
    ///
    /// # Errors
    ///
    /// [`Error::BadHyperparameter`] naming the first field out of its domain,
    /// in field order: [`Hyperparameter::LearningRate`],
    /// [`Hyperparameter::Beta1`], [`Hyperparameter::Beta2`],
    /// [`Hyperparameter::Epsilon`].
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Adam, Error, Hyperparameter};
    ///
    /// assert_eq!(Adam::new().validate(), Ok(()));
    /// let bad = Adam { beta1: 1.0, ..Adam::new() };
    /// assert_eq!(bad.validate(), Err(Error::BadHyperparameter(Hyperparameter::Beta1)));
    /// ```
    pub fn validate(&self) -> Result<(), Error> {
        let bad = |h| Err(Error::BadHyperparameter(h));
        // Each step uses the f32 rounding (`Adam::step`): it must be > 0 too.
        let positive_in_f32 = |x: f64| x > 0.0 && x <= f64::from(f32::MAX) && x as f32 > 0.0;
        if !positive_in_f32(self.learning_rate) {
            return bad(Hyperparameter::LearningRate);
        }
        if !(self.beta1 >= 0.0 && self.beta1 < 1.0) {
            return bad(Hyperparameter::Beta1);
        }
        if !(self.beta2 >= 0.0 && self.beta2 < 1.0) {
            return bad(Hyperparameter::Beta2);
        }
        if !positive_in_f32(self.epsilon) {
            return bad(Hyperparameter::Epsilon);
        }
        Ok(())
    }

    /// The f32 constants of step `t` (counting from 1): each of `lr`, `β`,
    /// `1 − β`, `ε` and the bias corrections `1 − β^t` (with `libm::pow`) is
    /// computed in f64 and rounded once to f32.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::Adam;
    ///
    /// let s = Adam::new().step(1);
    /// assert_eq!(s.one_minus_beta2, 0.001f32); // 1 − 0.999 in f64, rounded once
    /// assert_eq!(s.correction1, 0.1f32); // 1 − 0.9¹
    /// ```
    pub fn step(&self, t: u64) -> AdamStep {
        let correction = |beta: f64| (1.0 - libm::pow(beta, t as f64)) as f32;
        AdamStep {
            lr: self.learning_rate as f32,
            beta1: self.beta1 as f32,
            one_minus_beta1: (1.0 - self.beta1) as f32,
            beta2: self.beta2 as f32,
            one_minus_beta2: (1.0 - self.beta2) as f32,
            epsilon: self.epsilon as f32,
            correction1: correction(self.beta1),
            correction2: correction(self.beta2),
        }
    }
}
