//! Yuen's paired trimmed-mean t test (Wilcox's `yuend`) and its two
//! one-sided equivalence test.

use super::describe::{mean, sorted};
use super::distributions::{t_quantile, t_sf};
use super::hypothesis::{Alternative, Method, TestResult};

/// The customary trimming: 20% from each end.
pub const YUEN_TRIM: f64 = 0.2;

/// Result of [`yuen_paired`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Yuen {
    /// The test: `statistic` is Yuen's `t`, `df = h − 1`, `n` the pairs,
    /// [`Method::Asymptotic`] (Student's t reference).
    pub test: TestResult,
    /// Difference of the trimmed means, `x̄_t(a) − x̄_t(b)`.
    pub diff: f64,
    /// Its standard error.
    pub se: f64,
    /// Number of pairs left after trimming, `h = n − 2g`.
    pub h: usize,
    /// 95% confidence interval of `diff`, `diff ± t_{0.975, h−1}·se`.
    pub ci95: (f64, f64),
}

/// Yuen's test for paired (dependent) trimmed means, Wilcox's `yuend`
/// (Wilcox, *Introduction to Robust Estimation and Hypothesis Testing*,
/// §5.9.5), on pairs `(a_i, b_i)` with trimming proportion `trim`.
///
/// `g = ⌊trim·n⌋`, `h = n − 2g`. Each sample is trimmed and winsorized on its
/// own: `x̄_t` is the mean of the sorted values `x_(g+1) … x_(n−g)`; the
/// winsorized `xʷ_i` clamps `x_i` to `[x_(g+1), x_(n−g)]`. With
/// `d_i = (aʷ_i − āʷ) − (bʷ_i − b̄ʷ)`:
///
/// `se² = Σ d_i² / (h (h − 1))` — Wilcox's
/// `(q_a + q_b − 2 q_ab)/(h(h−1))` with `q = (n−1)·` winsorized variance or
/// covariance, summed as one square so it is never negative —
/// `t = (ā_t − b̄_t)/se`, referred to Student's t with `h − 1` df:
/// `Greater` `P(T > t)`, `Less` `P(T < t)`, `TwoSided` `2·P(T > |t|)`.
///
/// With `trim = 0` this is the paired t test. `None` when the lengths
/// differ, a value is not finite, `trim` is outside `[0, 0.5)`, `h < 2`, or
/// `se` is 0.
pub fn yuen_paired(a: &[f64], b: &[f64], trim: f64, alternative: Alternative) -> Option<Yuen> {
    let core = YuenCore::new(a, b, trim)?;
    let (t, df) = (core.diff / core.se, (core.h - 1) as f64);
    let p = match alternative {
        Alternative::Greater => t_sf(t, df),
        Alternative::Less => t_sf(-t, df),
        Alternative::TwoSided => (2.0 * t_sf(t.abs(), df)).min(1.0),
    };
    let q = t_quantile(0.975, df);
    Some(Yuen {
        test: TestResult {
            n: a.len(),
            statistic: t,
            df: Some(df),
            p,
            alternative,
            method: Method::Asymptotic,
        },
        diff: core.diff,
        se: core.se,
        h: core.h,
        ci95: (core.diff - q * core.se, core.diff + q * core.se),
    })
}

/// Result of [`yuen_tost`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrimmedTost {
    /// Difference of the trimmed means, `ā_t − b̄_t`.
    pub diff: f64,
    /// The equivalence margin `m` (the interval is `[−m, m]`).
    pub margin: f64,
    /// Standard error of `diff` (as [`yuen_paired`]).
    pub se: f64,
    /// Degrees of freedom, `h − 1`.
    pub df: f64,
    /// p of equivalence: `max(P(T > (diff + m)/se), P(T < (diff − m)/se))`.
    pub p_equivalent: f64,
    /// p of the opposite one-sided claim that the difference lies beyond the
    /// margin on the side of `diff`: `P(T > (|diff| − m)/se)`.
    pub p_beyond: f64,
    /// 90% confidence interval of `diff` (the interval TOST at α = 0.05
    /// compares with `[−m, m]`).
    pub ci90: (f64, f64),
}

/// Two one-sided Yuen tests (TOST) for equivalence of paired trimmed means
/// within `±margin`: `H₀: diff ≤ −m` rejected by
/// `p₁ = P(T_{h−1} > (diff + m)/se)` and `H₀: diff ≥ m` by
/// `p₂ = P(T_{h−1} < (diff − m)/se)`; `p_equivalent = max(p₁, p₂)`. The
/// trimmed analogue of [`tost_paired`](super::tost_paired). `None` as
/// [`yuen_paired`].
pub fn yuen_tost(a: &[f64], b: &[f64], trim: f64, margin: f64) -> Option<TrimmedTost> {
    let c = YuenCore::new(a, b, trim)?;
    let df = (c.h - 1) as f64;
    let p_lower = t_sf((c.diff + margin) / c.se, df);
    let p_upper = t_sf(-(c.diff - margin) / c.se, df);
    let q = t_quantile(0.95, df);
    Some(TrimmedTost {
        diff: c.diff,
        margin,
        se: c.se,
        df,
        p_equivalent: p_lower.max(p_upper),
        p_beyond: t_sf((c.diff.abs() - margin) / c.se, df),
        ci90: (c.diff - q * c.se, c.diff + q * c.se),
    })
}

/// The trimmed-mean difference, its standard error and `h`.
struct YuenCore {
    diff: f64,
    se: f64,
    h: usize,
}

impl YuenCore {
    fn new(a: &[f64], b: &[f64], trim: f64) -> Option<Self> {
        let n = a.len();
        if b.len() != n || !(0.0..0.5).contains(&trim) || a.iter().chain(b).any(|v| !v.is_finite()) {
            return None;
        }
        let g = (trim * n as f64).floor() as usize;
        let h = n.checked_sub(2 * g)?;
        if h < 2 {
            return None;
        }
        let (ta, wa) = trim_and_winsorize(a, g);
        let (tb, wb) = trim_and_winsorize(b, g);
        let (ma, mb) = (mean(&wa), mean(&wb));
        let ss: f64 = wa.iter().zip(&wb).map(|(x, y)| ((x - ma) - (y - mb)).powi(2)).sum();
        let se = (ss / (h * (h - 1)) as f64).sqrt();
        if !(se > 0.0 && se.is_finite()) {
            return None;
        }
        Some(Self { diff: ta - tb, se, h })
    }
}

/// The `g`-trimmed mean (sorted order, left to right) and the `g`-winsorized
/// values in input order.
fn trim_and_winsorize(x: &[f64], g: usize) -> (f64, Vec<f64>) {
    let s = sorted(x);
    let n = s.len();
    let (lo, hi) = (s[g], s[n - 1 - g]);
    (mean(&s[g..n - g]), x.iter().map(|&v| v.clamp(lo, hi)).collect())
}

#[cfg(test)]
mod tests;
