//! The Wilcoxon signed-rank test with an exact p-value: the exact null
//! distribution without ties, the exact sign-flip permutation distribution of
//! the mid-ranks with ties, and a Monte Carlo sign-flip test beyond 50
//! differences.

use super::hypothesis::{Alternative, Method, TestResult};
use super::permutation::{Resampling, flip_test};
use super::rank_tests::rank_average;

/// Up to this many non-zero differences the null distribution is computed
/// exactly (its counts, at most `2⁵⁰`, are exact in `f64`).
pub const SIGNED_RANK_EXACT_MAX_N: usize = 50;

/// Wilcoxon signed-rank test of the paired differences `d` against a
/// distribution symmetric about 0, with an exact or permutation p-value.
///
/// **Zero differences are dropped** (Wilcoxon's rule, SciPy's
/// `zero_method="wilcox"`, as [`wilcoxon_signed_rank`](super::wilcoxon_signed_rank)):
/// the test uses the `n` non-zero differences. `r_i` is the average rank of
/// `|d_i|` among them (ties share the mean of their ranks) and the statistic
/// is `W⁺ = Σ_{d_i > 0} r_i`. Under the null each sign is `±` with
/// probability ½ independently, so `W⁺* = Σ_i B_i r_i` with `B_i` fair coins.
///
/// * `n ≤ 50`: the distribution of `W⁺*` is computed exactly by dynamic
///   programming over the doubled rank sums `2r_i` (integers):
///   `c₀(0) = 1`, `c_i(s) = c_{i−1}(s) + c_{i−1}(s − 2r_i)`, then
///   `P(W⁺* = w) = c_n(2w)/2ⁿ`. Without ties this is Wilcoxon's exact
///   distribution ([`Method::Exact`], as `scipy.stats.wilcoxon(d,
///   method="exact")`); with tied `|d|` it is the exact sign-flip permutation
///   distribution of the mid-ranks ([`Method::ExactPermutation`], as
///   `scipy.stats.wilcoxon(d, method=PermutationMethod(n_resamples=inf))`).
///   `p_greater = P(W⁺* ≥ W⁺)`, `p_less = P(W⁺* ≤ W⁺)`.
/// * `n > 50`: a Monte Carlo sign-flip test of `W⁺` with `resampling`
///   ([`Method::MonteCarlo`], `p = (1 + #{W⁺* ≥ W⁺})/(1 + R)`).
///
/// Two-sided: `min(1, 2·min(p_greater, p_less))`. The statistic reported is
/// always `W⁺` (SciPy reports `min(W⁺, W⁻)` for two-sided tests).
/// `None` when `d` has a non-finite value or no non-zero difference.
pub fn signed_rank_test(d: &[f64], alternative: Alternative, resampling: &Resampling) -> Option<TestResult> {
    if d.iter().any(|x| !x.is_finite()) {
        return None;
    }
    let nz: Vec<f64> = d.iter().copied().filter(|&x| x != 0.0).collect();
    let n = nz.len();
    if n == 0 {
        return None;
    }
    let abs: Vec<f64> = nz.iter().map(|x| x.abs()).collect();
    let (ranks, ties) = rank_average(&abs);
    let w_plus: f64 = nz.iter().zip(&ranks).filter(|(x, _)| **x > 0.0).map(|(_, r)| r).sum();
    if n > SIGNED_RANK_EXACT_MAX_N {
        let stat = |flip: &[bool]| -> f64 {
            nz.iter()
                .zip(&ranks)
                .zip(flip)
                .filter(|((x, _), f)| (**x > 0.0) != **f)
                .map(|((_, r), _)| r)
                .sum()
        };
        return Some(flip_test(n, stat, alternative, resampling));
    }
    let doubled: Vec<usize> = ranks.iter().map(|&r| (2.0 * r).round() as usize).collect();
    let counts = doubled_rank_sum_counts(&doubled);
    let w2 = (2.0 * w_plus).round() as usize;
    // Counts are integers below 2⁵³, so every sum here is exact.
    let total = counts.iter().sum::<f64>();
    let below: f64 = counts[..w2].iter().sum(); // #{W⁺* < W⁺}
    let above: f64 = counts[w2 + 1..].iter().sum(); // #{W⁺* > W⁺}
    let at = counts[w2];
    let p_greater = (above + at) / total;
    let p_less = (below + at) / total;
    Some(TestResult {
        n,
        statistic: w_plus,
        df: None,
        p: alternative.p_from_tails(p_greater, p_less),
        alternative,
        method: if ties.is_empty() { Method::Exact } else { Method::ExactPermutation },
    })
}

/// Number of sign patterns giving each doubled rank sum `s = 0 ‥ Σ doubled`:
/// the coefficients of `Π_i (1 + z^{doubled_i})`, exact in `f64` while the
/// total `2ⁿ ≤ 2⁵³`.
fn doubled_rank_sum_counts(doubled: &[usize]) -> Vec<f64> {
    let max: usize = doubled.iter().sum();
    let mut c = vec![0.0f64; max + 1];
    c[0] = 1.0;
    let mut reach = 0;
    for &r in doubled {
        for s in (r..=reach + r).rev() {
            c[s] += c[s - r];
        }
        reach += r;
    }
    c
}

#[cfg(test)]
mod tests;
