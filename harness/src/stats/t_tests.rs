//! Tests on Student's t: the paired t test, its two one-sided equivalence
//! test (TOST) and the t test of an ordinary least-squares slope.
//!
//! Checked against SciPy in `harness/tests/claims.rs` (the script that made
//! the reference values is `harness/tests/reference/claims_stats_reference.py`).
//! Degenerate input (too few values, zero variance) gives `None`.

use super::describe::{mean, std_dev};
use super::distributions::{t_quantile, t_sf};

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
    let mean = mean(d);
    let se = std_dev(d) / (n as f64).sqrt();
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
    let (mx, my) = (mean(&x[..n]), mean(&y[..n]));
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
