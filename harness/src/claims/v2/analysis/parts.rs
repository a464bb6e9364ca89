//! One part of a claim's primary test ([`Part`]) and the tests that make
//! one, each on the statistics module: paired and one-sample Wilcoxon
//! signed-rank (exact, or an exact sign-flip permutation of the mid-ranks
//! with ties), per-seed slopes with a sign-flip test, Friedman, Page,
//! Yuen's trimmed TOST, and the either-or combination of two components.
//! Every directional test is run one-sided each way: `p_for` in the
//! claimed direction, `p_against` in the other.

use super::super::registry::{BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, CONFIDENCE, RESAMPLING};
use crate::stats::{
    self, Alternative, TestResult, bootstrap_bca, friedman, mean_slope_test, page_trend, seed_slopes,
    signed_rank_test, yuen_tost,
};
use serde::Serialize;

/// One part of a claim's primary (or secondary) test.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Part {
    /// What is compared, e.g. `glorot − he, early speed`.
    pub label: String,
    /// The test, its alternative and how its p was computed.
    pub test: String,
    /// Paired units (seeds).
    pub n: usize,
    /// The effect (in accuracy units where the measure is an accuracy): a
    /// mean paired difference, a mean slope, an SD ratio, …
    pub effect: f64,
    /// Its interval, `(lo, hi)` (95% BCa unless `ci_method` says otherwise).
    pub ci: (f64, f64),
    /// How the interval was made.
    pub ci_method: String,
    /// Bootstrap resamples whose statistic was infinite (kept, counted).
    pub infinite_resamples: usize,
    /// The test statistic (W⁺, mean slope, χ², L, t, ln SD ratio).
    pub statistic: f64,
    /// One-sided p in the claimed direction (a non-directional test's p).
    pub p_for: f64,
    /// One-sided p in the other direction (1 for a non-directional test).
    pub p_against: f64,
    /// An either-or part's two components (empty otherwise).
    pub components: Vec<Part>,
}

impl Part {
    /// A part with no test (`p` 1 both ways): too few units, or every
    /// difference zero; `why` is appended to the test's name.
    pub(crate) fn void(label: &str, test: &str, n: usize, why: &str) -> Part {
        Part {
            label: label.into(),
            test: format!("{test}: {why}"),
            n,
            effect: f64::NAN,
            ci: (f64::NAN, f64::NAN),
            ci_method: String::new(),
            infinite_resamples: 0,
            statistic: f64::NAN,
            p_for: 1.0,
            p_against: 1.0,
            components: Vec::new(),
        }
    }
}

/// A test's name, alternative and method, e.g. `Wilcoxon signed-rank (greater, exact)`.
pub(crate) fn described(name: &str, r: &TestResult) -> String {
    format!("{name} ({}, {})", r.alternative.name(), r.method.label())
}

/// The BCa interval of `stat` over `n` paired units, and how many
/// resamples were infinite; `(NaN, NaN)` when the bootstrap is undefined.
pub(crate) fn bca(n: usize, stat: impl Fn(&[usize]) -> f64) -> ((f64, f64), usize) {
    match bootstrap_bca(n, CONFIDENCE, BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, stat) {
        Some(b) => ((b.lo, b.hi), b.infinite_resamples),
        None => ((f64::NAN, f64::NAN), 0),
    }
}

/// The mean of `d` over the units `idx`.
fn mean_at(d: &[f64], idx: &[usize]) -> f64 {
    idx.iter().map(|&i| d[i]).sum::<f64>() / idx.len() as f64
}

/// A directional test run both ways: `test(claimed)` gives `p_for`,
/// `test(claimed.reversed())` `p_against` (1 when `claimed` is two-sided).
fn both_ways(
    claimed: Alternative,
    test: impl Fn(Alternative) -> Option<TestResult>,
) -> Option<(TestResult, f64)> {
    let r = test(claimed)?;
    let against = if claimed == Alternative::TwoSided { 1.0 } else { test(claimed.reversed())?.p };
    Some((r, against))
}

/// One-sample Wilcoxon signed-rank test of `d` (zeros dropped; exact up to
/// 50 non-zero values, an exact sign-flip permutation of the mid-ranks with
/// ties) in the `claimed` direction; the effect is the mean of `d` divided
/// by `unit` (e.g. examples × epochs, so that it reads as an accuracy),
/// with its BCa interval.
pub(crate) fn signed_rank(label: &str, d: &[f64], claimed: Alternative, unit: f64) -> Part {
    let name = "Wilcoxon signed-rank";
    let Some((r, p_against)) = both_ways(claimed, |alt| signed_rank_test(d, alt, &RESAMPLING)) else {
        return Part::void(label, name, d.len(), "no non-zero difference");
    };
    let (ci, infinite) = bca(d.len(), |idx| mean_at(d, idx) / unit);
    Part {
        label: label.into(),
        test: described(name, &r),
        n: d.len(),
        effect: stats::mean(d) / unit,
        ci,
        ci_method: "BCa bootstrap of the mean, seeds resampled".into(),
        infinite_resamples: infinite,
        statistic: r.statistic,
        p_for: r.p,
        p_against,
        components: Vec::new(),
    }
}

/// Paired `a − b` (the same seeds in the same order), as [`signed_rank`] of
/// the differences.
pub(crate) fn paired(label: &str, a: &[f64], b: &[f64], claimed: Alternative, unit: f64) -> Part {
    signed_rank(label, &sub(a, b), claimed, unit)
}

/// `a − b`, element by element.
pub(crate) fn sub(a: &[f64], b: &[f64]) -> Vec<f64> {
    a.iter().zip(b).map(|(x, y)| x - y).collect()
}

/// Per-seed OLS slopes of `rows[s]` (seed `s`'s values at the levels) on
/// `x`, and the sign-flip permutation test of their mean in the `claimed`
/// direction; the effect is the mean slope divided by `unit`, with its BCa
/// interval over seeds.
pub(crate) fn slopes(label: &str, x: &[f64], rows: &[Vec<f64>], claimed: Alternative, unit: f64) -> Part {
    let name = "per-seed OLS slopes, sign-flip test of the mean";
    let refs: Vec<&[f64]> = rows.iter().map(Vec::as_slice).collect();
    let (Some(b), Some((r, p_against))) =
        (seed_slopes(x, &refs), both_ways(claimed, |alt| mean_slope_test(x, &refs, alt, &RESAMPLING)))
    else {
        return Part::void(label, name, rows.len(), "fewer than 2 levels or no seed");
    };
    let (ci, infinite) = bca(b.len(), |idx| mean_at(&b, idx) / unit);
    Part {
        label: label.into(),
        test: described(name, &r),
        n: b.len(),
        effect: stats::mean(&b) / unit,
        ci,
        ci_method: "BCa bootstrap of the mean slope, seeds resampled".into(),
        infinite_resamples: infinite,
        statistic: r.statistic,
        p_for: r.p,
        p_against,
        components: Vec::new(),
    }
}

/// Page's trend test of `rows` (a row per seed, a column per level in
/// order) in the `claimed` direction; the effect is Page's L.
pub(crate) fn page(label: &str, rows: &[Vec<f64>], claimed: Alternative) -> Part {
    let name = "Page's L, seeds as blocks";
    let refs: Vec<&[f64]> = rows.iter().map(Vec::as_slice).collect();
    let Some((r, p_against)) = both_ways(claimed, |alt| page_trend(&refs, alt)) else {
        return Part::void(label, name, rows.len(), "fewer than 3 levels or 2 seeds");
    };
    Part {
        label: label.into(),
        test: described(name, &r),
        n: rows.len(),
        effect: r.statistic,
        ci: (f64::NAN, f64::NAN),
        ci_method: "effect is L; no interval".into(),
        infinite_resamples: 0,
        statistic: r.statistic,
        p_for: r.p,
        p_against,
        components: Vec::new(),
    }
}

/// Friedman's test of `rows` (a row per seed, a column per treatment):
/// non-directional, `p_against` 1; the effect is Kendall's
/// `W = χ² / (n (k − 1))`.
pub(crate) fn friedman_part(label: &str, rows: &[Vec<f64>]) -> Part {
    let name = "Friedman χ², seeds as blocks";
    let refs: Vec<&[f64]> = rows.iter().map(Vec::as_slice).collect();
    let Some(r) = friedman(&refs) else {
        return Part::void(label, name, rows.len(), "fewer than 3 treatments or every row tied");
    };
    let k = rows.first().map_or(0, Vec::len);
    Part {
        label: label.into(),
        test: described(name, &r),
        n: rows.len(),
        effect: r.statistic / (rows.len() as f64 * (k as f64 - 1.0)),
        ci: (f64::NAN, f64::NAN),
        ci_method: "effect is Kendall's W = χ²/(n(k − 1)); no interval".into(),
        infinite_resamples: 0,
        statistic: r.statistic,
        p_for: r.p,
        p_against: 1.0,
        components: Vec::new(),
    }
}

/// Yuen's paired 20%-trimmed TOST of `a − b` within `±margin`: `p_for` is
/// the equivalence p, `p_against` that of a trimmed difference beyond the
/// margin; effect and 90% interval divided by `unit`.
pub(crate) fn trimmed_tost(label: &str, a: &[f64], b: &[f64], margin: f64, unit: f64) -> Part {
    let name = format!("Yuen's paired 20%-trimmed TOST, margin ±{}", margin / unit);
    let d = sub(a, b);
    let Some(t) = yuen_tost(a, b, stats::YUEN_TRIM, margin) else {
        // No spread after trimming: equivalent iff the constant difference is inside the margin.
        let m = stats::median(&d);
        let inside = m.abs() < margin;
        let mut p =
            Part::void(label, &name, d.len(), "no spread after trimming; decided by the constant difference");
        (p.effect, p.p_for, p.p_against) =
            (m / unit, f64::from(u8::from(!inside)), f64::from(u8::from(inside)));
        return p;
    };
    Part {
        label: label.into(),
        test: name,
        n: d.len(),
        effect: t.diff / unit,
        ci: (t.ci90.0 / unit, t.ci90.1 / unit),
        ci_method: "90% trimmed t interval (TOST at α = 0.05)".into(),
        infinite_resamples: 0,
        statistic: t.diff / t.se,
        p_for: t.p_equivalent,
        p_against: t.p_beyond,
        components: Vec::new(),
    }
}

/// The paired-t TOST of `a − b` within `±margin` (the mean, a secondary).
pub(crate) fn mean_tost(label: &str, a: &[f64], b: &[f64], margin: f64, unit: f64) -> Part {
    let name = format!("paired t TOST, margin ±{}", margin / unit);
    let d = sub(a, b);
    let Some(t) = stats::tost_paired(&d, margin) else {
        return Part::void(label, &name, d.len(), "no spread");
    };
    Part {
        label: label.into(),
        test: name,
        n: d.len(),
        effect: t.mean / unit,
        ci: (t.ci90.0 / unit, t.ci90.1 / unit),
        ci_method: "90% t interval (TOST at α = 0.05)".into(),
        infinite_resamples: 0,
        statistic: f64::NAN,
        p_for: t.p_equivalent,
        p_against: t.p_beyond,
        components: Vec::new(),
    }
}

/// A part that holds when either component does: each way, twice the
/// smaller component p (Holm within the part), at most 1. The effect and
/// interval are the first component's.
pub(crate) fn either(label: &str, first: Part, second: Part) -> Part {
    let p_for = (2.0 * first.p_for.min(second.p_for)).min(1.0);
    let p_against = (2.0 * first.p_against.min(second.p_against)).min(1.0);
    Part {
        label: label.into(),
        test: "either component (Holm within the part)".into(),
        n: first.n,
        effect: first.effect,
        ci: first.ci,
        ci_method: first.ci_method.clone(),
        infinite_resamples: first.infinite_resamples,
        statistic: f64::NAN,
        p_for,
        p_against,
        components: vec![first, second],
    }
}
