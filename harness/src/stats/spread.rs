//! Spread of groups: the Brown–Forsythe test across groups and the pairwise
//! comparison of two groups' spreads.

use super::describe::{abs_dev_from_median, mean, mean_abs_dev_from_median, std_dev};
use super::distributions::f_sf;
use std::cmp::Ordering;

/// Result of `brown_forsythe`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BfTest {
    /// The ANOVA statistic `W` on `z_ij = |x_ij − median_i|` (see
    /// `brown_forsythe`); finite and `≥ 0`.
    pub statistic: f64,
    /// Numerator degrees of freedom, `k − 1`.
    pub df1: f64,
    /// Denominator degrees of freedom, `N − k`.
    pub df2: f64,
    /// `P(F_{df1,df2} > W)` = `f_sf``(W, df1, df2)`; small values reject
    /// equality of the group spreads.
    pub p_value: f64,
}

/// Brown–Forsythe test for equality of variances (Levene's test with the
/// median as centre), identical to
/// `scipy.stats.levene(*groups, center='median')`.
///
/// With `k` groups, group sizes `n_i`, `N = Σ n_i`:
/// `z_ij = |x_ij − median_i|`, `z̄_i = (1/n_i) Σ_j z_ij`,
/// `z̄ = (1/N) Σ_i n_i z̄_i`,
/// `W = [(N − k) Σ_i n_i (z̄_i − z̄)²] / [(k − 1) Σ_i Σ_j (z_ij − z̄_i)²]`,
/// `p = P(F_{k−1, N−k} > W)` via [`f_sf`] (statrs).
///
/// Returns `None` for degenerate input, where `W` is undefined or infinite
/// and no p-value is meaningful:
/// * fewer than 2 groups, any group with fewer than 2 values, or any
///   non-finite value;
/// * zero within-group variation of `z` (every group's deviations are all
///   identical, e.g. every group has exactly 2 values, or values like
///   `[0.95, 0.95, 0.96, 0.96]`). Because `z_ij` carries rounding noise, the
///   denominator sum is treated as zero when it is below
///   `N · (4 (n_max + 4) ε · max|x_ij|)²`, a bound on that noise. (SciPy
///   instead returns `inf`/`p = 0`, or a huge `W` with a p-value like 1e-74
///   that is pure rounding noise.)
///
/// If the between-group sum is zero, `W = 0` and `p = 1`.
pub(crate) fn brown_forsythe(groups: &[&[f64]]) -> Option<BfTest> {
    let k = groups.len();
    if k < 2 || groups.iter().any(|g| g.len() < 2 || g.iter().any(|x| !x.is_finite())) {
        return None;
    }
    let z: Vec<Vec<f64>> = groups.iter().map(|g| abs_dev_from_median(g)).collect();
    let n_tot: usize = groups.iter().map(|g| g.len()).sum();
    let n_max = groups.iter().map(|g| g.len()).max().unwrap_or(0);
    let scale = groups.iter().flat_map(|g| g.iter()).fold(0.0_f64, |acc, x| acc.max(x.abs()));

    let zbar_i: Vec<f64> = z.iter().map(|zi| mean(zi)).collect();
    let zbar = z.iter().zip(&zbar_i).map(|(zi, &m)| zi.len() as f64 * m).sum::<f64>() / n_tot as f64;
    let ss_between: f64 =
        z.iter().zip(&zbar_i).map(|(zi, &m)| zi.len() as f64 * (m - zbar) * (m - zbar)).sum();
    let ss_within: f64 =
        z.iter().zip(&zbar_i).map(|(zi, &m)| zi.iter().map(|&v| (v - m) * (v - m)).sum::<f64>()).sum();

    let noise = 4.0 * (n_max as f64 + 4.0) * f64::EPSILON * scale;
    if ss_within <= n_tot as f64 * noise * noise {
        return None;
    }
    let df1 = (k - 1) as f64;
    let df2 = (n_tot - k) as f64;
    let statistic = (df2 * ss_between) / (df1 * ss_within);
    if !statistic.is_finite() {
        return None;
    }
    Some(BfTest { statistic, df1, df2, p_value: f_sf(statistic, df1, df2) })
}

/// Spread comparison of one pair of groups `(i, j)`, `i < j`; produced by
/// `pairwise_spread`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairSpread {
    /// Index of the first group.
    pub i: usize,
    /// Index of the second group (`j > i`).
    pub j: usize,
    /// Two-group `brown_forsythe` test on groups `i` and `j`
    /// (`None` when degenerate; then no p-value is available).
    pub test: Option<BfTest>,
    /// `D_i` = `mean_abs_dev_from_median` of group `i` (what BF compares).
    pub mad_i: f64,
    /// `D_j` = `mean_abs_dev_from_median` of group `j`.
    pub mad_j: f64,
    /// Group with the smaller spread by `D`: `Some(i)` if `D_i < D_j`,
    /// `Some(j)` if `D_j < D_i`, `None` if equal (or `NaN`).
    pub smaller: Option<usize>,
    /// Ratio of sample standard deviations `s_i / s_j` (`std_dev`);
    /// `inf` if only `s_j = 0`, `NaN` if both are 0.
    pub sd_ratio: f64,
}

impl PairSpread {
    /// The Brown–Forsythe p-value, `None` if the test was degenerate.
    pub fn p_value(&self) -> Option<f64> {
        self.test.map(|t| t.p_value)
    }
}

/// Compare spreads of every pair of groups `(i, j)`, `i < j`, in
/// lexicographic order (`(0,1), (0,2), …, (1,2), …`): `k(k−1)/2` entries.
///
/// For each pair: the two-group Brown–Forsythe test
/// (`df1 = 1`, `df2 = n_i + n_j − 2`), the mean absolute deviations from the
/// median `D_i`, `D_j`, which of the two is smaller, and `s_i / s_j`.
/// No multiple-comparison correction is applied; with `m = k(k−1)/2` pairs,
/// compare p-values against e.g. `α/m` (Bonferroni) yourself.
pub(crate) fn pairwise_spread(groups: &[&[f64]]) -> Vec<PairSpread> {
    let mads: Vec<f64> = groups.iter().map(|g| mean_abs_dev_from_median(g)).collect();
    let sds: Vec<f64> = groups.iter().map(|g| std_dev(g)).collect();
    let k = groups.len();
    let mut out = Vec::with_capacity(k * k.saturating_sub(1) / 2);
    for i in 0..k {
        for j in (i + 1)..k {
            let smaller = match mads[i].partial_cmp(&mads[j]) {
                Some(Ordering::Less) => Some(i),
                Some(Ordering::Greater) => Some(j),
                _ => None,
            };
            out.push(PairSpread {
                i,
                j,
                test: brown_forsythe(&[groups[i], groups[j]]),
                mad_i: mads[i],
                mad_j: mads[j],
                smaller,
                sd_ratio: sds[i] / sds[j],
            });
        }
    }
    out
}
