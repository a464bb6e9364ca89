//! The Adam update of a parameter slice, and the checks that make a step all or nothing.

use super::sqrt;

/// The per-step constants of an Adam update.
///
/// # Examples
///
/// ```
/// use saorsa_nn::Adam;
///
/// let step = Adam::new().step(2);
/// assert_eq!(step.correction1, (1.0 - 0.9f64 * 0.9) as f32);
/// assert_eq!(step.epsilon, 1e-7);
/// ```
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
        let theta = theta + (-self.lr * m_hat) / (sqrt(v_hat) + self.epsilon);
        (theta, m, v)
    }
}

/// Whether the Adam update of these parameters would leave every parameter
/// *and* both moments finite (a moment of `+∞`, from `g²` overflowing, would
/// freeze its parameter for ever). Reads only: used to make a step
/// all-or-nothing.
///
/// # Panics
///
/// If the four slices differ in length.
///
/// # Examples
///
/// ```
/// use saorsa_nn::{Adam, kernels};
///
/// let step = Adam::new().step(1);
/// assert!(kernels::adam_update_is_finite(&[1.0], &[0.5], &[0.0], &[0.0], &step));
/// // g² overflows to ∞ in the second moment: refused.
/// assert!(!kernels::adam_update_is_finite(&[1.0], &[f32::MAX], &[0.0], &[0.0], &step));
/// ```
pub fn adam_update_is_finite(theta: &[f32], g: &[f32], m: &[f32], v: &[f32], step: &AdamStep) -> bool {
    assert!(theta.len() == g.len() && g.len() == m.len() && m.len() == v.len());
    let mut finite = true;
    for (((&t, &g), &m), &v) in theta.iter().zip(g).zip(m).zip(v) {
        let (t, m, v) = step.apply(t, g, m, v);
        finite &= t.is_finite() & m.is_finite() & v.is_finite();
    }
    finite
}

/// Whether a cheap bound *proves* that the Adam update of these parameters
/// leaves every parameter and both moments finite: `true` only then, so
/// `false` means "not proven" and [`adam_update_is_finite`] decides. It
/// lets a step skip that exact check (a second full update, with its
/// divisions and square roots) when nothing is anywhere near overflowing,
/// which is every step of an ordinary run.
///
/// One pass of integer maxima over the four slices (no division, no root)
/// gives `T = max|θ|`, `G = max|g|`, `M = max|m|` and `V = max v`; every
/// input must be finite and every `v` a non-negative number other than
/// `−0`. With `ε`, `c₁ = 1 − β1^t` and `c₂ = 1 − β2^t` positive and `β2`,
/// `1 − β2` non-negative (as [`crate::Adam::step`] gives them), each f32
/// operation of [`AdamStep`]'s formula rounds to at most twice its exact
/// magnitude when it does not overflow, and `√v̂ + ε ≥ ε`, so (in f64):
///
/// ```text
/// |m'| ≤ 4·(|β1|·M + |1 − β1|·G)   g² ≤ 2·G²   v' ≤ 8·(β2·V + (1 − β2)·G²)
/// |m̂| ≤ 2·|m'|/c₁     |lr·m̂| ≤ 2·|lr|·|m̂|     |Δθ| ≤ 2·|lr·m̂|/ε
/// |θ'| ≤ 2·(T + |Δθ|)
/// ```
///
/// It answers `true` when every bound is below half of `f32::MAX` (`v̂`
/// may overflow: `√∞ = ∞` only makes `Δθ` zero).
///
/// # Panics
///
/// If the four slices differ in length.
///
/// # Examples
///
/// ```
/// use saorsa_nn::{Adam, kernels};
///
/// let step = Adam::new().step(1);
/// assert!(kernels::adam_update_is_surely_finite(&[1.0, -2.0], &[0.5, 0.1], &[0.0; 2], &[0.0; 2], &step));
/// // Near overflow the bound proves nothing: the exact check decides.
/// assert!(!kernels::adam_update_is_surely_finite(&[f32::MAX], &[1.0], &[0.0], &[0.0], &step));
/// ```
pub fn adam_update_is_surely_finite(theta: &[f32], g: &[f32], m: &[f32], v: &[f32], step: &AdamStep) -> bool {
    assert!(theta.len() == g.len() && g.len() == m.len() && m.len() == v.len());
    // For a non-negative f32, the order of the bit patterns is the order of
    // the values, and a pattern of `INFINITY`'s or more is ∞ or NaN; a set
    // sign bit (a negative `v`, or `−0`) is also at least that.
    const NOT_FINITE: u32 = 0x7f80_0000;
    let max_abs = |s: &[f32]| s.iter().fold(0u32, |a, &x| a.max(x.to_bits() & 0x7fff_ffff));
    let (t, g, m) = (max_abs(theta), max_abs(g), max_abs(m));
    let v = v.iter().fold(0u32, |a, &x| a.max(x.to_bits()));
    if t >= NOT_FINITE || g >= NOT_FINITE || m >= NOT_FINITE || v >= NOT_FINITE {
        return false;
    }
    let f = |bits: u32| f64::from(f32::from_bits(bits));
    let (t, g, m, v) = (f(t), f(g), f(m), f(v));
    let s = |x: f32| f64::from(x);
    let settings_ok = [step.lr, step.beta1, step.one_minus_beta1].iter().all(|x| x.is_finite())
        && [step.beta2, step.one_minus_beta2].iter().all(|&x| x.is_finite() && x >= 0.0)
        && [step.epsilon, step.correction1, step.correction2].iter().all(|&x| x.is_finite() && x > 0.0);
    if !settings_ok {
        return false;
    }
    let limit = 0.5 * f64::from(f32::MAX);
    let m_new = 4.0 * (s(step.beta1).abs() * m + s(step.one_minus_beta1).abs() * g);
    let g_squared = 2.0 * g * g;
    let v_new = 8.0 * (s(step.beta2) * v + s(step.one_minus_beta2) * g * g);
    let m_hat = 2.0 * m_new / s(step.correction1);
    let numerator = 2.0 * s(step.lr).abs() * m_hat;
    let delta = 2.0 * numerator / s(step.epsilon);
    let theta_new = 2.0 * (t + delta);
    [m_new, g_squared, v_new, m_hat, numerator, delta, theta_new].iter().all(|&b| b < limit)
}

/// One Adam update of a parameter slice, element by element (see
/// [`AdamStep`] for the formula).
///
/// # Panics
///
/// If the four slices differ in length.
///
/// # Examples
///
/// ```
/// use saorsa_nn::{Adam, kernels};
///
/// let (mut theta, mut m, mut v) = ([1.0f32, 1.0], [0.0f32; 2], [0.0f32; 2]);
/// kernels::adam_update(&mut theta, &[2.0, -2.0], &mut m, &mut v, &Adam::new().step(1));
/// // The first step moves every parameter by about lr against its gradient.
/// assert!((theta[0] - 0.999).abs() < 1e-6 && (theta[1] - 1.001).abs() < 1e-6);
/// ```
pub fn adam_update(theta: &mut [f32], g: &[f32], m: &mut [f32], v: &mut [f32], step: &AdamStep) {
    assert!(theta.len() == g.len() && g.len() == m.len() && m.len() == v.len());
    for (((t, &g), m), v) in theta.iter_mut().zip(g).zip(m.iter_mut()).zip(v.iter_mut()) {
        (*t, *m, *v) = step.apply(*t, g, *m, *v);
    }
}
