//! Unit tests of the statistics against NumPy and SciPy.

use super::bootstrap::SplitMix64;
use super::describe::mean_abs_dev_from_median;
use super::distributions::f_sf;
use super::*;

// Reference values were produced with Python 3.11.7, NumPy 2.4.6,
// SciPy 1.17.1; every literal below is `repr(float(...))` of the quoted
// expression. The script that prints them all:
// `python3 harness/tests/reference/stats_unit_reference.py`.

/// Relative error bound for SciPy comparisons: statrs's incomplete beta
/// and SciPy's Boost code agree far more closely; 1e-9 has a wide margin.
const TOL: f64 = 1e-9;

fn assert_rel(got: f64, want: f64, tol: f64, what: &str) {
    let err = if want == 0.0 { got.abs() } else { ((got - want) / want).abs() };
    assert!(err <= tol, "{what}: got {got:e}, want {want:e}, rel err {err:e} > {tol:e}");
}

/// Three groups of 12; one narrow, one wide, one narrow. p ≈ 4.3e-9.
const TINY: [&[f64]; 3] = [
    &[0.96, 0.9606, 0.9595, 0.9582, 0.9591, 0.958, 0.9601, 0.9627, 0.959, 0.9588, 0.961, 0.9607],
    &[0.9621, 0.9414, 0.9594, 0.9739, 0.9331, 0.9508, 0.922, 0.9342, 0.9232, 0.9553, 0.9347, 0.9654],
    &[0.9605, 0.9594, 0.9524, 0.9584, 0.9599, 0.9603, 0.9554, 0.9586, 0.9571, 0.9576, 0.9632, 0.9576],
];

/// Three groups of 8 with nearly equal spread. p ≈ 0.9985.
const NEAR1: [&[f64]; 3] = [
    &[0.436, 0.466, 0.529, 0.554, 0.369, 0.547, 0.617, 0.518],
    &[0.586, 0.53, 0.476, 0.547, 0.393, 0.542, 0.542, 0.357],
    &[0.593, 0.498, 0.609, 0.536, 0.491, 0.646, 0.453, 0.599],
];

/// Realistic: 4 initializers x 10 seeds, accuracies on a 1/300 grid with ties.
const ACC: [&[f64]; 4] = [
    &[0.95, 0.9633, 0.96, 0.96, 0.9567, 0.9633, 0.9667, 0.96, 0.9533, 0.96],
    &[0.9667, 0.97, 0.9667, 0.9633, 0.9667, 0.97, 0.9633, 0.9667, 0.97, 0.9667],
    &[0.9433, 0.96, 0.9267, 0.9533, 0.9667, 0.94, 0.9567, 0.9333, 0.9633, 0.95],
    &[0.96, 0.96, 0.9633, 0.9567, 0.96, 0.9633, 0.9567, 0.96, 0.9633, 0.96],
];

#[test]
fn levene_reference_values() {
    // (stats.levene(*G, center='median').statistic, .pvalue)
    let cases: [(&[&[f64]], f64, f64); 3] = [
        (&TINY, 36.55798505290225, 4.266754489843098e-09),
        (&NEAR1, 0.0014799412382683129, 0.9985212574671933),
        (&ACC, 10.147617355660538, 5.518488146592972e-05),
    ];
    for (g, w, p) in cases {
        let r = brown_forsythe(g).expect("non-degenerate");
        assert_eq!(r.df1, (g.len() - 1) as f64);
        assert_eq!(r.df2, (g.iter().map(|x| x.len()).sum::<usize>() - g.len()) as f64);
        assert_rel(r.statistic, w, TOL, "levene statistic");
        assert_rel(r.p_value, p, TOL, "levene p-value");
    }
}

#[test]
fn pairwise_matches_two_group_levene() {
    // For i<j: stats.levene(ACC[i], ACC[j], center='median').statistic, .pvalue,
    // and np.std(ACC[i], ddof=1) / np.std(ACC[j], ddof=1).
    let want = [
        (0, 1, 1.778290860592919, 0.1989900823574743, 1.993812127754446),
        (0, 2, 8.07276940980993, 0.010833448635699319, 0.3721540641861647),
        (0, 3, 1.830271064804785, 0.1928456547078963, 2.021051666310521),
        (1, 2, 14.101207597243326, 0.0014491951229001078, 0.18665452928371315),
        (1, 3, 0.000653049377786746, 0.9798935960947383, 1.013662038753247),
        (2, 3, 14.182494320173674, 0.0014147142954351669, 5.430685462834337),
    ];
    let got = pairwise_spread(&ACC);
    assert_eq!(got.len(), want.len());
    for (g, &(i, j, w, p, ratio)) in got.iter().zip(&want) {
        assert_eq!((g.i, g.j), (i, j));
        let t = g.test.expect("non-degenerate");
        assert_eq!((t.df1, t.df2), (1.0, 18.0));
        assert_rel(t.statistic, w, TOL, "pair statistic");
        assert_rel(g.p_value().unwrap(), p, TOL, "pair p-value");
        assert_rel(g.sd_ratio, ratio, 1e-12, "sd ratio");
        assert_eq!(g.mad_i, mean_abs_dev_from_median(ACC[i]));
        let expect_smaller = if g.mad_i < g.mad_j { i } else { j };
        assert_eq!(g.smaller, Some(expect_smaller));
    }
    // Group 2 (widest) is never the smaller one; group 1 vs 2 -> 1.
    assert!(got.iter().all(|g| g.smaller != Some(2)));
    assert_eq!(got[3].smaller, Some(1));
    // Equal spreads -> None.
    let eq = pairwise_spread(&[&[1.0, 2.0, 3.0], &[11.0, 12.0, 13.0]]);
    assert_eq!(eq[0].smaller, None);
    assert_eq!(eq[0].sd_ratio, 1.0);
    assert!(pairwise_spread(&[&[1.0, 2.0]]).is_empty());
}

#[test]
fn brown_forsythe_degenerate_inputs() {
    let a: &[f64] = &[0.9, 0.91, 0.93];
    assert_eq!(brown_forsythe(&[]), None);
    assert_eq!(brown_forsythe(&[a]), None);
    assert_eq!(brown_forsythe(&[a, &[0.95]]), None);
    assert_eq!(brown_forsythe(&[a, &[0.95, f64::NAN, 0.9]]), None);
    // n = 2 per group: z is constant within each group in exact arithmetic.
    // SciPy: levene([1.0,3.0],[1.0,5.0],center='median') -> W = inf, p = 0.
    assert_eq!(brown_forsythe(&[&[1.0, 3.0], &[1.0, 5.0]]), None);
    // Same but z carries rounding noise; SciPy gives W = 5.47625059298594e+29,
    // p = 4.452887660081933e-74 (noise) for
    // levene([0.95,0.96],[0.9,0.97],[0.95,0.95,0.96,0.96],center='median').
    assert_eq!(brown_forsythe(&[&[0.95, 0.96], &[0.9, 0.97], &[0.95, 0.95, 0.96, 0.96]]), None);
    // Equal spreads, non-zero within variation: W = 0, p = 1.
    let r = brown_forsythe(&[&[1.0, 2.0, 3.0], &[11.0, 12.0, 13.0]]).unwrap();
    assert_eq!((r.statistic, r.p_value), (0.0, 1.0));
    // A constant group is fine if another group varies.
    let r = brown_forsythe(&[&[0.96; 5], &[0.95, 0.96, 0.97, 0.99, 0.9]]).unwrap();
    assert!(r.statistic.is_finite() && r.p_value > 0.0 && r.p_value < 1.0);
}

#[test]
fn f_sf_reference_values() {
    // scipy.stats.f.sf(f, d1, d2)
    let cases = [
        (3.2, 3.0, 36.0, 0.0347230470642536),
        (50.0, 2.0, 20.0, 1.6538171687920194e-08),
        (0.01, 3.0, 36.0, 0.9986031325921053),
        (120.0, 1.0, 10.0, 6.851588666060108e-07),
        (1.0, 5.0, 5.0, 0.5),
        (400.0, 3.0, 36.0, 1.0965069508861875e-27),
    ];
    for (f, d1, d2, want) in cases {
        assert_rel(f_sf(f, d1, d2), want, TOL, "f.sf");
    }
    assert_eq!(f_sf(0.0, 3.0, 36.0), 1.0);
    assert_eq!(f_sf(f64::INFINITY, 3.0, 36.0), 0.0);
    assert!(f_sf(1.0, 0.0, 36.0).is_nan());
}

#[test]
fn p_values_print_as_papers_do() {
    assert_eq!(format_p(0.3053), "p = 0.31");
    assert_eq!(format_p(0.0549), "p = 0.055");
    assert_eq!(format_p(0.00549), "p = 0.0055");
    assert_eq!(format_p(1.0), "p = 1.00");
    assert_eq!(format_p(0.0009), "p < 0.001");
    assert_eq!(format_p(f64::NAN), "p = n/a");
}

const Q: [f64; 10] = [0.9633, 0.95, 0.96, 0.9567, 0.96, 0.9667, 0.9533, 0.96, 0.97, 0.9633];

#[test]
fn descriptive_reference_values() {
    // np.quantile(Q, p): same algorithm as numpy, so bit-identical.
    let cases = [
        (0.0, 0.95),
        (0.025, 0.9507424999999999),
        (0.1, 0.95297),
        (0.25, 0.957525),
        (0.5, 0.96),
        (0.73, 0.9633),
        (0.975, 0.9692575),
        (1.0, 0.97),
    ];
    for (p, want) in cases {
        assert_eq!(quantile(&Q, p), want, "quantile({p})");
    }
    assert!(quantile(&Q, 1.5).is_nan() && quantile(&Q, f64::NAN).is_nan());
    assert!(quantile(&[], 0.5).is_nan());
    assert_eq!(quantile(&[3.0], 0.3), 3.0);
    // np.median(Q), np.mean(Q), np.std(Q, ddof=1)
    assert_eq!(median(&Q), 0.96);
    assert_rel(mean(&Q), 0.9603300000000001, 1e-15, "mean");
    assert_rel(std_dev(&Q), 0.0059755148546194615, 1e-12, "std");
    assert_eq!(median(&[4.0, 1.0, 3.0]), 3.0);
    assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
    assert_eq!((min(&Q), max(&Q)), (0.95, 0.97));
    assert!(mean(&[]).is_nan() && min(&[]).is_nan() && max(&[]).is_nan());
    assert!(median(&[]).is_nan());
    assert_eq!(std_dev(&[]), 0.0);
    assert_eq!(std_dev(&[0.9]), 0.0);
    assert_eq!(mean_abs_dev_from_median(&[1.0, 2.0, 4.0]), 1.0);
}

#[test]
fn splitmix64_reference_and_unbiased_below() {
    // Vigna's splitmix64.c with x = 1234567, re-implemented in Python ints.
    let mut r = SplitMix64::new(1_234_567);
    assert_eq!(r.next_u64(), 6457827717110365317);
    assert_eq!(r.next_u64(), 3203168211198807973);
    assert_eq!(r.next_u64(), 9817491932198370423);
    // below(n) stays in range and is roughly uniform (chi-square, 6 cells).
    let mut r = SplitMix64::new(9);
    let mut counts = [0u32; 6];
    let draws = 60_000;
    for _ in 0..draws {
        counts[r.below(6) as usize] += 1;
    }
    let e = f64::from(draws) / 6.0;
    let chi2: f64 = counts.iter().map(|&c| (f64::from(c) - e).powi(2) / e).sum();
    assert!(chi2 < 20.5, "chi2 = {chi2}"); // p ≈ 0.001 for 5 df
    assert_eq!(r.below(1), 0);
    let big = u64::MAX / 3 * 2; // worst case for modulo bias
    assert!((0..1000).all(|_| r.below(big) < big));
}

#[test]
fn bootstrap_properties() {
    let x = ACC[2];
    let (lo, hi) = bootstrap_mean_ci(x, 0.95, 10_000, 42);
    let m = mean(x);
    assert!(lo < m && m < hi, "{lo} < {m} < {hi}");
    assert!(lo >= min(x) && hi <= max(x));
    // Deterministic for a seed; a different seed gives a different draw.
    assert_eq!(bootstrap_mean_ci(x, 0.95, 10_000, 42), (lo, hi));
    assert_ne!(bootstrap_mean_ci(x, 0.95, 10_000, 43), (lo, hi));
    // Higher confidence -> wider interval (same resamples).
    let (lo99, hi99) = bootstrap_mean_ci(x, 0.99, 10_000, 42);
    assert!(lo99 <= lo && hi <= hi99);
    // More data from the same distribution -> narrower (≈ 1/√n): 100 copies.
    let many: Vec<f64> = x.iter().copied().cycle().take(100 * x.len()).collect();
    let (lo_m, hi_m) = bootstrap_mean_ci(&many, 0.95, 2_000, 42);
    assert!(lo_m < m && m < hi_m);
    let ratio = (hi_m - lo_m) / (hi - lo);
    assert!(ratio > 0.07 && ratio < 0.14, "width ratio {ratio}");
    // Constant data -> single point equal to the mean.
    let c = [0.9633; 10];
    let (clo, chi) = bootstrap_mean_ci(&c, 0.95, 1_000, 7);
    assert_eq!(clo, chi);
    assert_eq!(clo, mean(&c));
    // Degenerate arguments.
    assert!(bootstrap_mean_ci(&[], 0.95, 100, 1).0.is_nan());
    assert!(bootstrap_mean_ci(x, 0.95, 0, 1).0.is_nan());
    assert!(bootstrap_mean_ci(x, 1.0, 100, 1).1.is_nan());
}
