//! Per-seed slopes: each seed's least-squares slope of its responses on the
//! levels, and a sign-flip permutation test of their mean.

use super::describe::mean;
use super::hypothesis::{Alternative, TestResult};
use super::permutation::{Resampling, sign_flip_test};

/// Each seed's ordinary least-squares slope of `y[s]` on `x`:
/// `b_s = Σ_j (x_j − x̄)(y_sj − ȳ_s) / Σ_j (x_j − x̄)²` (sums left to right,
/// means first), the slope `numpy.polyfit(x, y[s], 1)[0]` gives.
///
/// `x` are the levels (e.g. `log₂ D`), `y[s][j]` seed `s`'s response at
/// level `j`. `None` when there are fewer than 2 levels, `x` is constant,
/// a row's length differs from `x`'s, or a value is not finite.
pub fn seed_slopes(x: &[f64], y: &[&[f64]]) -> Option<Vec<f64>> {
    let k = x.len();
    if k < 2 || x.iter().any(|v| !v.is_finite()) {
        return None;
    }
    if y.iter().any(|row| row.len() != k || row.iter().any(|v| !v.is_finite())) {
        return None;
    }
    let mx = mean(x);
    let dx: Vec<f64> = x.iter().map(|&v| v - mx).collect();
    let sxx: f64 = dx.iter().map(|d| d * d).sum();
    if sxx <= 0.0 {
        return None;
    }
    Some(
        y.iter()
            .map(|row| {
                let my = mean(row);
                dx.iter().zip(row.iter()).map(|(d, &v)| d * (v - my)).sum::<f64>() / sxx
            })
            .collect(),
    )
}

/// One-sample sign-flip permutation test of the mean per-seed slope: the
/// slopes `b_s` of [`seed_slopes`], statistic `b̄ = (Σ_s b_s)/n`, null: each
/// seed's slope is symmetric about 0 (`b̄* = (Σ_s ±b_s)/n`).
///
/// `Greater` tests an increasing response (`b̄ > 0`), `Less` a decreasing
/// one. Exact over all `2ⁿ` sign vectors when `n ≤ resampling.exact_max_n`
/// (default 20), otherwise Monte Carlo with `p = (1 + #{b̄* ≥ b̄})/(1 + R)`
/// ([`sign_flip_test`]). `None` as [`seed_slopes`] or with no seed.
pub fn mean_slope_test(
    x: &[f64],
    y: &[&[f64]],
    alternative: Alternative,
    resampling: &Resampling,
) -> Option<TestResult> {
    sign_flip_test(&seed_slopes(x, y)?, alternative, resampling)
}

#[cfg(test)]
mod tests;
