//! The paired SD-ratio permutation test: is one condition's spread across
//! seeds larger than another's, the seeds shared?

use super::describe::std_dev;
use super::hypothesis::{Alternative, Method, TestResult};
use super::permutation::{Resampling, flip_test};

/// `ln(SD(a)/SD(b))`, computed as `ln SD(a) − ln SD(b)` (so swapping `a`
/// and `b` negates it exactly), with `SD` the sample standard deviation
/// (`ddof = 1`, as `numpy.std(x, ddof=1)`) — on the extended reals:
///
/// * `SD(a) > 0 = SD(b)` → `+∞`; `SD(a) = 0 < SD(b)` → `−∞`;
/// * **both 0** (every seed stuck at one value in both conditions) → `0`:
///   no spread on either side is taken as equal spreads.
///
/// `NaN` only for non-finite data. Fewer than 2 values have `SD = 0`.
pub fn ln_sd_ratio(a: &[f64], b: &[f64]) -> f64 {
    let (sa, sb) = (std_dev(a), std_dev(b));
    if sa == 0.0 && sb == 0.0 {
        return 0.0;
    }
    libm::log(sa) - libm::log(sb)
}

/// Paired permutation test of the spreads of `a` and `b` (the same seeds in
/// two conditions). Statistic `t = ln(SD(a)/SD(b))` ([`ln_sd_ratio`]);
/// null: within each pair the two values are exchangeable, so each pair is
/// swapped (`a_i ↔ b_i`) with probability ½ independently.
///
/// `Greater`: `a` spreads more than `b`; `Less`: less. Exact over all `2ⁿ`
/// swap patterns when `n ≤ resampling.exact_max_n` (default 20), else Monte
/// Carlo with `p = (1 + #{t* ≥ t})/(1 + R)` (see the permutation engine for
/// the tie tolerance; infinite values compare exactly, `+∞ ≥ +∞`).
///
/// **Every seed stuck** (`SD(a) = SD(b) = 0`: `a_i = α`, `b_i = β` for all
/// `i`): `t = 0`, and every swap pattern leaves `a*` and `b*` with mirrored
/// two-valued contents (`α` where `b*` has `β` and vice versa), so
/// `SD(a*) = SD(b*)` and `t* = 0` exactly; the result is `p = 1` for every
/// alternative ([`Method::ExactPermutation`]), returned without evaluating
/// the patterns (whose rounding could stray from 0). `None` when the
/// lengths differ, `n < 2`, or a value is not finite.
pub fn sd_ratio_test(
    a: &[f64],
    b: &[f64],
    alternative: Alternative,
    resampling: &Resampling,
) -> Option<TestResult> {
    let n = a.len();
    if n < 2 || b.len() != n || a.iter().chain(b).any(|v| !v.is_finite()) {
        return None;
    }
    if std_dev(a) == 0.0 && std_dev(b) == 0.0 {
        let method = Method::ExactPermutation;
        return Some(TestResult { n, statistic: 0.0, df: None, p: 1.0, alternative, method });
    }
    let (mut x, mut y) = (a.to_vec(), b.to_vec());
    let stat = |flip: &[bool]| {
        for i in 0..n {
            (x[i], y[i]) = if flip[i] { (b[i], a[i]) } else { (a[i], b[i]) };
        }
        ln_sd_ratio(&x, &y)
    };
    Some(flip_test(n, stat, alternative, resampling))
}

#[cfg(test)]
mod tests;
