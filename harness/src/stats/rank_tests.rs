//! Rank-based tests: the Wilcoxon signed-rank test of paired differences and
//! the Kruskal–Wallis test across groups, on average ranks with ties.
//!
//! Checked against SciPy in `harness/tests/claims.rs` (the script that made
//! the reference values is `harness/tests/reference/claims_stats_reference.py`).
//! Degenerate input (too few values, no spread) gives `None`.

use super::distributions::normal_sf;
use statrs::distribution::{ChiSquared, ContinuousCDF};

/// Average ranks (1-based) of `values`, ties sharing the mean of their
/// ranks, as `scipy.stats.rankdata(values)`; also returns the tie-group
/// sizes (for tie corrections).
pub(super) fn rank_average(values: &[f64]) -> (Vec<f64>, Vec<usize>) {
    let mut idx: Vec<usize> = (0..values.len()).collect();
    idx.sort_by(|&a, &b| values[a].total_cmp(&values[b]).then(a.cmp(&b)));
    let mut ranks = vec![0.0; values.len()];
    let mut ties = Vec::new();
    let mut i = 0;
    while i < idx.len() {
        let mut j = i + 1;
        while j < idx.len() && values[idx[j]] == values[idx[i]] {
            j += 1;
        }
        let r = (i + 1 + j) as f64 / 2.0; // mean of ranks i+1 ..= j
        for &k in &idx[i..j] {
            ranks[k] = r;
        }
        if j - i > 1 {
            ties.push(j - i);
        }
        i = j;
    }
    (ranks, ties)
}

/// Result of [`wilcoxon_signed_rank`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Wilcoxon {
    /// Non-zero differences used.
    pub n: usize,
    /// Sum of the ranks of the positive differences.
    pub w_plus: f64,
    /// Sum of the ranks of the negative differences.
    pub w_minus: f64,
    /// Standardised statistic `(W⁺ − n(n+1)/4) / σ`.
    pub z: f64,
    /// Two-sided p-value, `2·P(Z > |z|)`.
    pub p: f64,
}

/// Wilcoxon signed-rank test of `d` (paired differences) against a
/// symmetric distribution about 0: zero differences dropped, average ranks of
/// `|d|` for ties, normal approximation with the tie correction
/// `σ² = n(n+1)(2n+1)/24 − Σ(t³ − t)/48`, no continuity correction — as
/// `scipy.stats.wilcoxon(d, zero_method='wilcox', correction=False,
/// method='approx')`. `None` for fewer than 2 non-zero differences.
pub fn wilcoxon_signed_rank(d: &[f64]) -> Option<Wilcoxon> {
    let nz: Vec<f64> = d.iter().copied().filter(|&x| x != 0.0 && x.is_finite()).collect();
    let n = nz.len();
    if n < 2 {
        return None;
    }
    let abs: Vec<f64> = nz.iter().map(|x| x.abs()).collect();
    let (ranks, ties) = rank_average(&abs);
    let w_plus: f64 = nz.iter().zip(&ranks).filter(|(x, _)| **x > 0.0).map(|(_, r)| r).sum();
    let w_minus: f64 = nz.iter().zip(&ranks).filter(|(x, _)| **x < 0.0).map(|(_, r)| r).sum();
    let nf = n as f64;
    let tie: f64 = ties.iter().map(|&t| (t * t * t - t) as f64).sum();
    let var = nf * (nf + 1.0) * (2.0 * nf + 1.0) / 24.0 - tie / 48.0;
    if var <= 0.0 {
        return None;
    }
    let z = (w_plus - nf * (nf + 1.0) / 4.0) / var.sqrt();
    Some(Wilcoxon { n, w_plus, w_minus, z, p: (2.0 * normal_sf(z.abs())).min(1.0) })
}

/// Result of [`kruskal_wallis`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Kruskal {
    /// The tie-corrected statistic `H`.
    pub h: f64,
    /// Degrees of freedom, `k − 1`.
    pub df: f64,
    /// `P(χ²_df > H)`.
    pub p: f64,
    /// Effect size `ε² = H / (N − 1)`.
    pub epsilon_sq: f64,
}

/// Kruskal–Wallis H test that `groups` come from one distribution, with the
/// tie correction, as `scipy.stats.kruskal(*groups)`. `None` for fewer than
/// 2 groups, an empty group, or all values equal.
pub fn kruskal_wallis(groups: &[&[f64]]) -> Option<Kruskal> {
    if groups.len() < 2 || groups.iter().any(|g| g.is_empty()) {
        return None;
    }
    let all: Vec<f64> = groups.iter().flat_map(|g| g.iter().copied()).collect();
    let n = all.len() as f64;
    let (ranks, ties) = rank_average(&all);
    let mut h = 0.0;
    let mut at = 0;
    for g in groups {
        let r: f64 = ranks[at..at + g.len()].iter().sum();
        h += r * r / g.len() as f64;
        at += g.len();
    }
    h = 12.0 / (n * (n + 1.0)) * h - 3.0 * (n + 1.0);
    let c = 1.0 - ties.iter().map(|&t| (t * t * t - t) as f64).sum::<f64>() / (n * n * n - n);
    if c <= 0.0 {
        return None;
    }
    h /= c;
    let df = (groups.len() - 1) as f64;
    let p = ChiSquared::new(df).map_or(f64::NAN, |d| d.sf(h));
    Some(Kruskal { h, df, p, epsilon_sq: h / (n - 1.0) })
}
