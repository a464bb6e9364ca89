//! The Friedman test: do `k` treatments (e.g. the levels of a sweep) differ,
//! with seeds as blocks?

use super::hypothesis::{Alternative, Method, TestResult};
use super::rank_tests::rank_average;
use statrs::distribution::{ChiSquared, ContinuousCDF};

/// Friedman's rank test of `k` treatments in `n` blocks, tie-corrected, as
/// `scipy.stats.friedmanchisquare(*columns)`.
///
/// `blocks[b][j]` is the response of block `b` (a seed) under treatment `j`
/// (a level): one row per block, every row of the same length `k`. Each
/// row is ranked on its own (average ranks for ties); with the column rank
/// sums `R_j = Σ_b r_bj` and each tie group of size `t` within a row,
///
/// `χ² = [12/(n k (k+1)) · Σ_j R_j² − 3 n (k+1)] / C`,
/// `C = 1 − Σ t(t² − 1) / (n k (k² − 1))`,
///
/// `p = P(χ²_{k−1} > χ²)` ([`Method::Asymptotic`]; always the upper tail,
/// [`Alternative::Greater`]; `df = k − 1`). `None` for no block, `k < 3`
/// (as SciPy; use the signed-rank test for two treatments), rows of unequal
/// length, a non-finite value, or every row entirely tied (`C = 0`).
pub fn friedman(blocks: &[&[f64]]) -> Option<TestResult> {
    let n = blocks.len();
    let k = blocks.first()?.len();
    if k < 3 || blocks.iter().any(|r| r.len() != k || r.iter().any(|x| !x.is_finite())) {
        return None;
    }
    let mut rank_sums = vec![0.0f64; k];
    let mut tie_sum = 0.0f64;
    for row in blocks {
        let (ranks, ties) = rank_average(row);
        for (s, r) in rank_sums.iter_mut().zip(&ranks) {
            *s += r;
        }
        tie_sum += ties.iter().map(|&t| (t * (t * t - 1)) as f64).sum::<f64>();
    }
    let (nf, kf) = (n as f64, k as f64);
    let c = 1.0 - tie_sum / (kf * (kf * kf - 1.0) * nf);
    if c <= 0.0 {
        return None;
    }
    let ss: f64 = rank_sums.iter().map(|r| r * r).sum();
    let chi2 = (12.0 / (kf * nf * (kf + 1.0)) * ss - 3.0 * nf * (kf + 1.0)) / c;
    let df = kf - 1.0;
    let p = ChiSquared::new(df).map_or(f64::NAN, |d| d.sf(chi2));
    Some(TestResult {
        n,
        statistic: chi2,
        df: Some(df),
        p,
        alternative: Alternative::Greater,
        method: Method::Asymptotic,
    })
}

#[cfg(test)]
mod tests;
