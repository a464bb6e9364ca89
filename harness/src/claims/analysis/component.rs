//! One test of a claim's statistic ([`Component`]) and the tests that make
//! one: paired Wilcoxon, OLS slope, paired TOST, Kruskal–Wallis, SD ratio.

use super::measures::snap;
use crate::claims::registry::{BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED};
use crate::stats::{self, bootstrap_ci};
use serde::Serialize;

/// One test of a claim's primary (or secondary) statistic.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Component {
    /// What is compared, e.g. `glorot − he, early speed`.
    pub label: String,
    /// The test, e.g. `Wilcoxon signed-rank (paired)`.
    pub test: String,
    /// Paired units (seeds) or points.
    pub n: usize,
    /// The effect: mean paired difference, slope, …
    pub effect: f64,
    /// Its 95% CI (90% for TOST), `(lo, hi)`.
    pub ci: (f64, f64),
    /// How the CI was made.
    pub ci_method: String,
    /// Standardised effect (`d_z` = mean / SD of the differences), when defined.
    pub standardized: Option<f64>,
    /// The test statistic (z, t, H).
    pub statistic: f64,
    /// The test's p-value (two-sided; TOST: the equivalence p).
    pub p: f64,
    /// Evidence for the claimed direction: `p` when the effect points the
    /// claimed way, else 1.
    pub p_for: f64,
    /// Evidence against it: `p` when the effect points the other way
    /// (TOST: p of a difference beyond the margin), else 1.
    pub p_against: f64,
}

/// Paired differences `a − b`, snapped ([`snap`]).
fn paired_diffs(a: &[f64], b: &[f64]) -> Vec<f64> {
    a.iter().zip(b).map(|(x, y)| snap(x - y)).collect()
}

/// Paired bootstrap 95% CI of the mean of `d`.
fn mean_ci(d: &[f64], seed: u64) -> (f64, f64) {
    bootstrap_ci(d.len(), BOOTSTRAP_RESAMPLES, seed, |idx| {
        idx.iter().map(|&i| d[i]).sum::<f64>() / idx.len() as f64
    })
}

/// Paired comparison `a − b` (same seeds, same order): Wilcoxon signed-rank
/// on the differences, the mean difference with a paired bootstrap 95% CI
/// and `d_z`. `claimed` is the claimed sign of `a − b` (+1 or −1); the
/// direction is the sign of the Wilcoxon z.
pub fn paired(label: &str, a: &[f64], b: &[f64], claimed: f64) -> Component {
    let d = paired_diffs(a, b);
    let effect = stats::mean(&d);
    let sd = stats::std_dev(&d);
    let w = stats::wilcoxon_signed_rank(&d);
    let (z, p) = w.map_or((0.0, 1.0), |w| (w.z, w.p));
    let agrees = z * claimed > 0.0;
    Component {
        label: label.into(),
        test: "Wilcoxon signed-rank, paired by seed (normal approximation, ties corrected)".into(),
        n: d.len(),
        effect,
        ci: mean_ci(&d, BOOTSTRAP_SEED),
        ci_method: "paired percentile bootstrap of the mean difference".into(),
        standardized: (sd > 0.0).then(|| effect / sd),
        statistic: z,
        p,
        p_for: if agrees { p } else { 1.0 },
        p_against: if z * claimed < 0.0 { p } else { 1.0 },
    }
}

/// OLS slope of `y` on `x` with its t test; `claimed` is the claimed sign.
pub fn slope(label: &str, x: &[f64], y: &[f64], claimed: f64) -> Component {
    let s = stats::ols_slope(x, y);
    let (effect, ci, t, p) = s.map_or((f64::NAN, (f64::NAN, f64::NAN), 0.0, 1.0), |s| {
        (s.slope, s.ci, if s.se > 0.0 { s.slope / s.se } else { 0.0 }, s.p)
    });
    Component {
        label: label.into(),
        test: "OLS slope, t test".into(),
        n: x.len(),
        effect,
        ci,
        ci_method: "t interval of the slope".into(),
        standardized: None,
        statistic: t,
        p,
        p_for: if effect * claimed > 0.0 { p } else { 1.0 },
        p_against: if effect * claimed < 0.0 { p } else { 1.0 },
    }
}

/// Paired TOST equivalence of `a` and `b` within `±margin`.
pub fn tost(label: &str, a: &[f64], b: &[f64], margin: f64) -> Component {
    let d = paired_diffs(a, b);
    let sd = stats::std_dev(&d);
    let t = stats::tost_paired(&d, margin);
    let (effect, ci, pe, pb) = match t {
        Some(t) => (t.mean, t.ci90, t.p_equivalent, t.p_beyond),
        // Zero variance: equivalent iff the constant difference is inside the margin.
        None => {
            let m = stats::mean(&d);
            let inside = m.abs() < margin;
            (m, (m, m), if inside { 0.0 } else { 1.0 }, if inside { 1.0 } else { 0.0 })
        }
    };
    Component {
        label: label.into(),
        test: format!("TOST, paired t, margin ±{margin}"),
        n: d.len(),
        effect,
        ci,
        ci_method: "90% t interval (TOST at α = 0.05)".into(),
        standardized: (sd > 0.0).then(|| effect / sd),
        statistic: f64::NAN,
        p: pe,
        p_for: pe,
        p_against: pb,
    }
}

/// Kruskal–Wallis across `groups` (non-directional).
pub(super) fn kruskal(label: &str, groups: &[Vec<f64>]) -> Component {
    let refs: Vec<&[f64]> = groups.iter().map(Vec::as_slice).collect();
    let k = stats::kruskal_wallis(&refs);
    let (h, p, eps) = k.map_or((0.0, 1.0, f64::NAN), |k| (k.h, k.p, k.epsilon_sq));
    Component {
        label: label.into(),
        test: "Kruskal–Wallis H".into(),
        n: groups.iter().map(Vec::len).sum(),
        effect: eps,
        ci: (f64::NAN, f64::NAN),
        ci_method: "effect is ε² = H/(N − 1); no CI".into(),
        standardized: None,
        statistic: h,
        p,
        p_for: p,
        p_against: 1.0,
    }
}

/// SD ratio `sd(a) / sd(b)` with a paired bootstrap CI and the (unpaired)
/// Brown–Forsythe p; not directional (no `p_for`/`p_against`).
pub(super) fn sd_ratio(a: &[f64], b: &[f64], label: &str) -> Component {
    let r = stats::std_dev(a) / stats::std_dev(b);
    let ci = bootstrap_ci(a.len(), BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, |idx| {
        let (x, y): (Vec<f64>, Vec<f64>) = idx.iter().map(|&i| (a[i], b[i])).unzip();
        stats::std_dev(&x) / stats::std_dev(&y)
    });
    let bf = stats::brown_forsythe(&[a, b]);
    let p = bf.map_or(f64::NAN, |b| b.p_value);
    Component {
        label: label.into(),
        test: "SD ratio; Brown–Forsythe p (unpaired)".into(),
        n: a.len(),
        effect: r,
        ci,
        ci_method: "paired percentile bootstrap of the SD ratio".into(),
        standardized: None,
        statistic: bf.map_or(f64::NAN, |b| b.statistic),
        p,
        p_for: f64::NAN,
        p_against: f64::NAN,
    }
}
