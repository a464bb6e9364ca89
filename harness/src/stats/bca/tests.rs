//! Tests of [`bootstrap_bca`] against a NumPy re-implementation on the same
//! resamples and SciPy's own BCa step.
//!
//! Reference: `python3 harness/tests/reference/stats_v2.py` (section
//! `# bca`; output in `harness/tests/reference/stats_v2.txt`). The script
//! re-implements SplitMix64 and Lemire's bounded integers, so its resamples
//! are these (the first one is printed and checked below); it computes
//! `ẑ₀`, `â` and the interval with NumPy, and for the finite case also
//! passes the same bootstrap distribution to
//! `scipy.stats._resampling._bca_interval` (SciPy's step of
//! `bootstrap(..., method="BCa")`), which agrees.

use super::super::test_support::{TOL, TOL_P, assert_rel};
use super::*;
use crate::stats::ln_sd_ratio;
use std::cell::RefCell;

const A10: [f64; 10] = [0.95, 0.9633, 0.96, 0.96, 0.9567, 0.9633, 0.9667, 0.96, 0.9533, 0.96];
const B10: [f64; 10] = [0.9433, 0.96, 0.9267, 0.9533, 0.9667, 0.94, 0.9567, 0.9333, 0.9633, 0.95];
const A_SPREAD: [f64; 10] = [0.95, 0.93, 0.96, 0.94, 0.97, 0.92, 0.95, 0.96, 0.91, 0.94];

/// The BCa interval of `ln(SD(a)/SD(b))`, and the first resample drawn.
fn sd_ratio_bca(a: &[f64], b: &[f64], resamples: usize, seed: u64) -> (BcaInterval, Vec<usize>) {
    let calls = RefCell::new(Vec::new());
    let r = bootstrap_bca(a.len(), 0.95, resamples, seed, |idx| {
        if calls.borrow().len() < 2 {
            calls.borrow_mut().push(idx.to_vec());
        }
        let (x, y): (Vec<f64>, Vec<f64>) = idx.iter().map(|&i| (a[i], b[i])).unzip();
        ln_sd_ratio(&x, &y)
    })
    .expect("defined");
    (r, calls.into_inner().pop().unwrap())
}

#[test]
fn finite_case_matches_numpy_and_scipy() {
    let (r, first) = sd_ratio_bca(&A10, &B10, 2000, 7);
    assert_eq!(first, [3, 0, 9, 5, 4, 2, 4, 3, 1, 4]);
    assert_eq!((r.resamples, r.infinite_resamples, r.undefined_resamples), (2000, 0, 0));
    assert_rel(r.estimate, -0.9884473594077834, TOL, "estimate");
    assert_rel(r.z0, 0.04638925570538985, TOL_P, "z0");
    // SciPy's a_hat = 0.023996675235149922 (its (n−1)-scaled sums).
    assert_rel(r.acceleration.unwrap(), 0.023996675235149915, TOL, "acceleration");
    // SciPy on the same resamples: lo = -1.7196130757591153, hi = -0.26780837460100293.
    assert_rel(r.lo, -1.7196130757591153, TOL_P, "lo");
    assert_rel(r.hi, -0.2678083746010029, TOL_P, "hi");
    // Same seed → same resamples as the percentile bootstrap.
    let (plo, phi) = crate::stats::bootstrap_ci(10, 2000, 7, |idx| {
        let (x, y): (Vec<f64>, Vec<f64>) = idx.iter().map(|&i| (A10[i], B10[i])).unzip();
        ln_sd_ratio(&x, &y)
    });
    assert!(plo < phi && (plo - r.lo).abs() < 0.2 && (phi - r.hi).abs() < 0.2, "{plo} {phi}");
}

#[test]
fn infinite_resamples_are_counted_and_make_the_upper_end_unbounded() {
    // b has 8 equal values: ~0.8¹⁰ ≈ 11% of resamples have SD(b*) = 0,
    // ln ratio +∞ — more than the 2.5% upper tail.
    let b = [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.6, 0.7];
    let (r, first) = sd_ratio_bca(&A_SPREAD, &b, 2000, 11);
    assert_eq!(first, [3, 2, 6, 5, 1, 5, 1, 7, 3, 9]);
    assert_eq!((r.infinite_resamples, r.undefined_resamples), (210, 0));
    assert_rel(r.estimate, -1.2736505647811929, TOL, "estimate");
    // 9 resamples equal θ̂ in exact arithmetic (within 100ε); counted as ties.
    assert_rel(r.z0, 0.014413611640165348, TOL_P, "z0");
    assert_rel(r.acceleration.unwrap(), -0.12674142389849935, TOL, "acceleration");
    assert_rel(r.lo, -2.3025850929940446, TOL_P, "lo");
    assert_eq!(r.hi, f64::INFINITY);
}

#[test]
fn an_infinite_jackknife_value_drops_the_acceleration() {
    // Leaving out the one 0.6 leaves b constant: θ₍₉₎ = +∞, â undefined → 0.
    let b = [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.6];
    let (r, first) = sd_ratio_bca(&A_SPREAD, &b, 2000, 13);
    assert_eq!(first, [7, 3, 6, 2, 8, 3, 7, 3, 2, 7]);
    assert_eq!((r.acceleration, r.infinite_resamples), (None, 703));
    assert_rel(r.estimate, -0.5154768200971485, TOL, "estimate");
    assert_rel(r.z0, 0.03698119462281825, TOL_P, "z0"); // 15 ties with θ̂
    assert_rel(r.lo, -1.326662650706482, TOL_P, "lo");
    assert_eq!(r.hi, f64::INFINITY);
}

#[test]
fn undefined_and_degenerate_cases() {
    // A statistic that is NaN on some resamples: counted, interval NaN.
    let r = bootstrap_bca(6, 0.95, 500, 1, |idx| if idx.contains(&0) { idx.len() as f64 } else { f64::NAN })
        .unwrap();
    assert!(r.undefined_resamples > 0 && r.lo.is_nan() && r.hi.is_nan());
    // Constant statistic: every dᵢ = 0 → â = 0, and the interval is the point.
    let r = bootstrap_bca(5, 0.95, 200, 3, |_| 0.25).unwrap();
    assert_eq!((r.acceleration, r.lo, r.hi, r.z0), (Some(0.0), 0.25, 0.25, 0.0));
    // The bootstrap distribution entirely below the estimate: ẑ₀ = +∞, NaN.
    let r = bootstrap_bca(4, 0.95, 200, 3, |idx| if idx == [0, 1, 2, 3] { 1.0 } else { 0.0 }).unwrap();
    assert!(r.z0 == f64::INFINITY && r.lo.is_nan() && r.hi.is_nan());
    assert_eq!(bootstrap_bca(1, 0.95, 100, 1, |_| 0.0), None);
    assert_eq!(bootstrap_bca(5, 0.95, 0, 1, |_| 0.0), None);
    assert_eq!(bootstrap_bca(5, 1.0, 100, 1, |_| 0.0), None);
    assert_eq!(bootstrap_bca(5, 0.95, 100, 1, |_| f64::NAN), None);
}

#[test]
fn outward_quantile_next_to_infinities() {
    let s = [1.0, 2.0, f64::INFINITY];
    assert_eq!(quantile_outward(&s, 0.25, false), 1.5); // finite neighbours: numpy linear
    assert_eq!(quantile_outward(&s, 0.75, false), 2.0);
    assert_eq!(quantile_outward(&s, 0.75, true), f64::INFINITY);
    assert_eq!(quantile_outward(&s, 0.5, true), 2.0); // exactly on an order statistic
    let s = [f64::NEG_INFINITY, 0.0, 1.0];
    assert_eq!(quantile_outward(&s, 0.25, false), f64::NEG_INFINITY);
    assert_eq!(quantile_outward(&s, 0.25, true), 0.0);
    assert!(quantile_outward(&s, 1.5, true).is_nan());
}
