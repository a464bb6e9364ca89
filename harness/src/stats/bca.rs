//! The bias-corrected and accelerated (BCa) bootstrap interval of a
//! statistic of paired units (seeds), with resamples whose statistic is
//! infinite kept on the extended real line and counted.

use super::bootstrap::SplitMix64;
use super::describe::quantile_sorted;
use statrs::distribution::{ContinuousCDF, Normal};

/// Result of [`bootstrap_bca`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BcaInterval {
    /// The statistic on the data, `θ̂ = stat(0, 1, …, n−1)`.
    pub estimate: f64,
    /// Lower end of the interval (may be `−∞`; `NaN` when undefined).
    pub lo: f64,
    /// Upper end of the interval (may be `+∞`; `NaN` when undefined).
    pub hi: f64,
    /// The two-sided confidence level asked for, e.g. 0.95.
    pub confidence: f64,
    /// The bias correction `ẑ₀`.
    pub z0: f64,
    /// The jackknife acceleration `â`; `None` when a leave-one-out value
    /// was not finite, in which case `â = 0` was used (the bias-corrected
    /// percentile interval).
    pub acceleration: Option<f64>,
    /// Number of bootstrap resamples `B`.
    pub resamples: usize,
    /// Resamples whose statistic was `+∞` or `−∞` (kept, not dropped).
    pub infinite_resamples: usize,
    /// Resamples whose statistic was `NaN`; any makes `lo` and `hi` `NaN`.
    pub undefined_resamples: usize,
}

/// BCa bootstrap interval (Efron & Tibshirani 1993, §14.3, eq. 14.14–14.15;
/// the formulas of `scipy.stats.bootstrap(..., paired=True, method="BCa")`)
/// of a statistic of `n` paired units.
///
/// `stat(idx)` computes the statistic from the units `idx` (with
/// repetitions). Resamples: `B = resamples` draws of `n` indices with
/// replacement from SplitMix64 seeded with `seed` — the same draws as
/// [`bootstrap_ci`](super::bootstrap_ci) with that seed — giving `θ*_b`.
///
/// * Bias correction: `ẑ₀ = Φ⁻¹((#{θ*_b < θ̂} + #{θ*_b ≤ θ̂}) / 2B)`, where
///   a `θ*_b` within `γ = 100·ε·|θ̂|` of `θ̂` counts as equal to it (as the
///   permutation tests' ties): resamples equal to the estimate in exact
///   arithmetic (common with grid-valued data such as accuracies) then do
///   not fall on either side by rounding. SciPy compares exactly.
/// * Acceleration from the jackknife `θ₍ᵢ₎ = stat(all units but i)`,
///   `θ̄ = Σθ₍ᵢ₎/n`, `dᵢ = θ̄ − θ₍ᵢ₎`: `â = Σdᵢ³ / (6 (Σdᵢ²)^{3/2})`;
///   `â = 0` when every `dᵢ = 0` (SciPy gives `NaN` there), and when a
///   `θ₍ᵢ₎` is not finite (reported as `acceleration: None`).
/// * With `α = (1 − confidence)/2` and `z_α = Φ⁻¹(α)`:
///   `α₁ = Φ(ẑ₀ + (ẑ₀ + z_α)/(1 − â(ẑ₀ + z_α)))`,
///   `α₂ = Φ(ẑ₀ + (ẑ₀ − z_α)/(1 − â(ẑ₀ − z_α)))`, and the interval is
///   `[Q(α₁), Q(α₂)]` of the sorted `θ*` with numpy's `linear` quantile `Q`.
///
/// **Infinite resamples** (e.g. an SD ratio whose denominator resample has
/// no spread) stay in the distribution on the extended reals and are counted
/// in `infinite_resamples`. `Q` interpolates linearly between two finite
/// neighbours; when a neighbour is infinite it rounds **outward** — the lower
/// end takes the lower neighbour, the upper end the upper one — so an end is
/// `±∞` (unbounded) exactly when the infinite resamples reach into its tail.
/// **Undefined resamples** (`NaN`) are counted in `undefined_resamples`
/// and make the interval `(NaN, NaN)`: a statistic should be defined on every
/// resample (e.g. [`ln_sd_ratio`](super::ln_sd_ratio) maps `0/0` to 0).
/// A one-sided bootstrap distribution (`ẑ₀ = ±∞`) also gives `(NaN, NaN)`,
/// as in SciPy.
///
/// `None` for `n < 2`, `resamples == 0`, `confidence` not strictly between
/// 0 and 1, or a `NaN` estimate.
pub fn bootstrap_bca(
    n: usize,
    confidence: f64,
    resamples: usize,
    seed: u64,
    stat: impl Fn(&[usize]) -> f64,
) -> Option<BcaInterval> {
    if n < 2 || resamples == 0 || !(confidence > 0.0 && confidence < 1.0) {
        return None;
    }
    let all: Vec<usize> = (0..n).collect();
    let estimate = stat(&all);
    if estimate.is_nan() {
        return None;
    }
    let mut rng = SplitMix64::new(seed);
    let mut idx = vec![0usize; n];
    let mut theta = Vec::with_capacity(resamples);
    for _ in 0..resamples {
        for i in idx.iter_mut() {
            *i = rng.below(n as u64) as usize;
        }
        theta.push(stat(&idx));
    }
    let infinite_resamples = theta.iter().filter(|t| t.is_infinite()).count();
    let undefined_resamples = theta.iter().filter(|t| t.is_nan()).count();

    let gamma = if estimate.is_finite() { 100.0 * f64::EPSILON * estimate.abs() } else { 0.0 };
    let below = theta.iter().filter(|&&t| t < estimate - gamma).count();
    let at_or_below = theta.iter().filter(|&&t| t <= estimate + gamma).count();
    let z0 = std_normal_inv((below + at_or_below) as f64 / (2 * resamples) as f64);

    let jack: Vec<f64> = (0..n)
        .map(|i| {
            let rest: Vec<usize> = (0..n).filter(|&j| j != i).collect();
            stat(&rest)
        })
        .collect();
    let acceleration = jackknife_acceleration(&jack);
    let a = acceleration.unwrap_or(0.0);

    let (mut lo, mut hi) = (f64::NAN, f64::NAN);
    if undefined_resamples == 0 && z0.is_finite() {
        let z_alpha = std_normal_inv((1.0 - confidence) / 2.0);
        let adjust = |z: f64| std_normal_cdf(z0 + (z0 + z) / (1.0 - a * (z0 + z)));
        theta.sort_by(f64::total_cmp);
        lo = quantile_outward(&theta, adjust(z_alpha), false);
        hi = quantile_outward(&theta, adjust(-z_alpha), true);
    }
    Some(BcaInterval {
        estimate,
        lo,
        hi,
        confidence,
        z0,
        acceleration,
        resamples,
        infinite_resamples,
        undefined_resamples,
    })
}

/// `â = Σdᵢ³ / (6 (Σdᵢ²)^{3/2})` with `dᵢ = θ̄ − θ₍ᵢ₎` (sums left to right);
/// `Some(0)` when every `dᵢ = 0`, `None` when a value is not finite.
fn jackknife_acceleration(jack: &[f64]) -> Option<f64> {
    if jack.iter().any(|t| !t.is_finite()) {
        return None;
    }
    let m = jack.iter().sum::<f64>() / jack.len() as f64;
    let (mut s2, mut s3) = (0.0f64, 0.0f64);
    for &t in jack {
        let d = m - t;
        s2 += d * d;
        s3 += d * d * d;
    }
    Some(if s2 > 0.0 { s3 / (6.0 * s2 * s2.sqrt()) } else { 0.0 })
}

/// numpy's `linear` quantile `p` of sorted values on the extended reals: a
/// linear interpolation between finite neighbours, and outward rounding next
/// to an infinite one (the lower neighbour for a lower end, `upper = false`,
/// the upper neighbour for an upper end). `NaN` for `p` outside `[0, 1]`.
fn quantile_outward(sorted: &[f64], p: f64, upper: bool) -> f64 {
    if !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    let n = sorted.len();
    let h = (n - 1) as f64 * p;
    let j = (h.floor() as usize).min(n - 1);
    let k = (j + 1).min(n - 1);
    let (a, b) = (sorted[j], sorted[k]);
    if a.is_finite() && b.is_finite() {
        quantile_sorted(sorted, p)
    } else if h == j as f64 || !upper {
        a
    } else {
        b
    }
}

/// `Φ(z)`, the standard normal distribution function (statrs).
fn std_normal_cdf(z: f64) -> f64 {
    Normal::new(0.0, 1.0).map_or(f64::NAN, |d| d.cdf(z))
}

/// `Φ⁻¹(p)`, with `Φ⁻¹(0) = −∞` and `Φ⁻¹(1) = +∞` (statrs).
fn std_normal_inv(p: f64) -> f64 {
    if p <= 0.0 {
        f64::NEG_INFINITY
    } else if p >= 1.0 {
        f64::INFINITY
    } else {
        Normal::new(0.0, 1.0).map_or(f64::NAN, |d| d.inverse_cdf(p))
    }
}

#[cfg(test)]
mod tests;
