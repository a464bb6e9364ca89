//! Paired and trend tests for the claims, on `statrs` distributions.
//!
//! Every function is deterministic (sums left to right in input order) and
//! checked against SciPy in `harness/tests/claims.rs` (the script that made
//! the reference values is `harness/tests/reference/claims_stats_reference.py`).
//! Degenerate input (too few values, zero variance) gives `None`.

use crate::stats;
use statrs::distribution::{ChiSquared, ContinuousCDF, Normal, StudentsT};

/// `P(Z > z)` for a standard normal `Z`.
pub fn normal_sf(z: f64) -> f64 {
    Normal::new(0.0, 1.0).map_or(f64::NAN, |n| n.sf(z))
}

/// `P(T > t)` for Student's t with `df` degrees of freedom.
pub fn t_sf(t: f64, df: f64) -> f64 {
    StudentsT::new(0.0, 1.0, df).map_or(f64::NAN, |d| d.sf(t))
}

/// The `p`-quantile of Student's t with `df` degrees of freedom.
pub fn t_quantile(p: f64, df: f64) -> f64 {
    StudentsT::new(0.0, 1.0, df).map_or(f64::NAN, |d| d.inverse_cdf(p))
}

/// Average ranks (1-based) of `values`, ties sharing the mean of their
/// ranks, as `scipy.stats.rankdata(values)`; also returns the tie-group
/// sizes (for tie corrections).
pub fn rank_average(values: &[f64]) -> (Vec<f64>, Vec<usize>) {
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

/// Result of [`paired_t`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TTest {
    /// Number of differences.
    pub n: usize,
    /// Mean difference.
    pub mean: f64,
    /// Standard error of the mean, `s/√n`.
    pub se: f64,
    /// `mean / se`.
    pub t: f64,
    /// Degrees of freedom, `n − 1`.
    pub df: f64,
    /// Two-sided p-value.
    pub p: f64,
    /// 95% confidence interval of the mean difference (t based).
    pub ci: (f64, f64),
}

/// One-sample t test of the differences `d` against 0 (the paired t test),
/// as `scipy.stats.ttest_1samp(d, 0)`. `None` for `n < 2` or zero variance.
pub fn paired_t(d: &[f64]) -> Option<TTest> {
    let n = d.len();
    if n < 2 {
        return None;
    }
    let mean = stats::mean(d);
    let se = stats::std_dev(d) / (n as f64).sqrt();
    if se <= 0.0 || !se.is_finite() {
        return None;
    }
    let df = (n - 1) as f64;
    let t = mean / se;
    let q = t_quantile(0.975, df);
    Some(TTest {
        n,
        mean,
        se,
        t,
        df,
        p: (2.0 * t_sf(t.abs(), df)).min(1.0),
        ci: (mean - q * se, mean + q * se),
    })
}

/// Result of [`tost_paired`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Tost {
    /// Mean difference.
    pub mean: f64,
    /// The equivalence margin `m` (the interval is `[−m, m]`).
    pub margin: f64,
    /// p of the equivalence test: `max(P(T > (x̄ + m)/se), P(T < (x̄ − m)/se))`.
    pub p_equivalent: f64,
    /// p of the opposite, one-sided claim that the difference lies beyond
    /// the margin on the side of the mean: `P(T > (|x̄| − m)/se)`.
    pub p_beyond: f64,
    /// 90% confidence interval of the mean (the interval TOST at α = 0.05
    /// compares with the margin).
    pub ci90: (f64, f64),
}

/// Two one-sided t tests (Schuirmann's TOST) for equivalence of paired
/// samples within `±margin`, on the differences `d`; each side equals
/// `scipy.stats.ttest_1samp(d, ∓margin, alternative=…)`. `None` as
/// [`paired_t`].
pub fn tost_paired(d: &[f64], margin: f64) -> Option<Tost> {
    let t = paired_t(d)?;
    let p_lower = t_sf((t.mean + margin) / t.se, t.df); // H0: μ ≤ −m
    let p_upper = t_sf(-(t.mean - margin) / t.se, t.df); // H0: μ ≥ m
    let p_beyond = t_sf((t.mean.abs() - margin) / t.se, t.df);
    let q = t_quantile(0.95, t.df);
    Some(Tost {
        mean: t.mean,
        margin,
        p_equivalent: p_lower.max(p_upper),
        p_beyond,
        ci90: (t.mean - q * t.se, t.mean + q * t.se),
    })
}

/// Result of [`ols_slope`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Slope {
    /// Number of points.
    pub n: usize,
    /// Least-squares slope.
    pub slope: f64,
    /// Intercept.
    pub intercept: f64,
    /// Standard error of the slope.
    pub se: f64,
    /// Two-sided p-value of slope = 0 (t with `n − 2` df).
    pub p: f64,
    /// 95% confidence interval of the slope.
    pub ci: (f64, f64),
}

/// Ordinary least-squares regression of `y` on `x` with the t test of the
/// slope, as `scipy.stats.linregress(x, y)`. `None` for fewer than 3 points
/// or a constant `x`.
pub fn ols_slope(x: &[f64], y: &[f64]) -> Option<Slope> {
    let n = x.len().min(y.len());
    if n < 3 {
        return None;
    }
    let (mx, my) = (stats::mean(&x[..n]), stats::mean(&y[..n]));
    let (mut sxx, mut sxy, mut syy) = (0.0, 0.0, 0.0);
    for i in 0..n {
        let (dx, dy) = (x[i] - mx, y[i] - my);
        sxx += dx * dx;
        sxy += dx * dy;
        syy += dy * dy;
    }
    if sxx <= 0.0 {
        return None;
    }
    let slope = sxy / sxx;
    let df = (n - 2) as f64;
    let resid = (syy - slope * sxy).max(0.0);
    let se = (resid / df / sxx).sqrt();
    let p = if se > 0.0 {
        (2.0 * t_sf((slope / se).abs(), df)).min(1.0)
    } else if slope == 0.0 {
        1.0
    } else {
        0.0
    };
    let q = t_quantile(0.975, df);
    Some(Slope { n, slope, intercept: my - slope * mx, se, p, ci: (slope - q * se, slope + q * se) })
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

/// Holm–Bonferroni adjusted p-values, in the input's order:
/// sorted ascending `p_(1) ≤ … ≤ p_(m)`,
/// `p̃_(i) = min(1, max_{j ≤ i} (m − j + 1)·p_(j))`. Non-finite p-values are
/// left out of `m` and come back as `NaN`.
pub fn holm(p: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..p.len()).filter(|&i| p[i].is_finite()).collect();
    idx.sort_by(|&a, &b| p[a].total_cmp(&p[b]).then(a.cmp(&b)));
    let m = idx.len();
    let mut out = vec![f64::NAN; p.len()];
    let mut running = 0.0f64;
    for (j, &i) in idx.iter().enumerate() {
        running = running.max(((m - j) as f64 * p[i]).min(1.0));
        out[i] = running;
    }
    out
}

/// SplitMix64, the generator of [`bootstrap_ci`] (the same as
/// [`crate::stats`]' bootstrap; copied, as that one is private).
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, n)` by Lemire's multiply-and-reject (no bias).
    fn below(&mut self, n: u64) -> u64 {
        let mut m = u128::from(self.next_u64()) * u128::from(n);
        if (m as u64) < n {
            let threshold = n.wrapping_neg() % n;
            while (m as u64) < threshold {
                m = u128::from(self.next_u64()) * u128::from(n);
            }
        }
        (m >> 64) as u64
    }
}

/// Percentile-bootstrap 95% confidence interval of a statistic of `n`
/// paired units (seeds): each resample draws `n` unit indices with
/// replacement (SplitMix64 seeded with `seed`) and `stat` computes the
/// statistic from them; non-finite resamples are dropped. The interval is
/// the 2.5% and 97.5% numpy-linear quantiles. `(NaN, NaN)` when `n` or
/// `resamples` is 0 or no resample is finite.
pub fn bootstrap_ci(n: usize, resamples: usize, seed: u64, stat: impl Fn(&[usize]) -> f64) -> (f64, f64) {
    if n == 0 || resamples == 0 {
        return (f64::NAN, f64::NAN);
    }
    let mut rng = SplitMix64(seed);
    let mut idx = vec![0usize; n];
    let mut values = Vec::with_capacity(resamples);
    for _ in 0..resamples {
        for i in idx.iter_mut() {
            *i = rng.below(n as u64) as usize;
        }
        let v = stat(&idx);
        if v.is_finite() {
            values.push(v);
        }
    }
    if values.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    (stats::quantile(&values, 0.025), stats::quantile(&values, 0.975))
}
