//! Tests of [`seed_slopes`] and [`mean_slope_test`] against NumPy.
//!
//! Reference: `python3 harness/tests/reference/stats_v2.py` (section
//! `# seed_slopes`; output in `harness/tests/reference/stats_v2.txt`):
//! slopes from `numpy.polyfit(x, y[s], 1)[0]`, p-values from a NumPy
//! enumeration of all sign vectors (n ≤ 20) or the same Monte Carlo draws
//! (SplitMix64 re-implemented in NumPy, R = 99 999, seed 0x5EED).

use super::super::test_support::{TOL, assert_rel};
use super::*;
use crate::stats::Method;
use crate::stats::sign_flip_test;

const X: [f64; 5] = [1.0, 2.0, 3.0, 4.0, 5.0];
const Y8: [f64; 40] = [
    0.03121, -0.01931, 0.00625, 0.01668, 0.0162, -0.00305, -0.00131, 0.04575, 0.00933, 0.04344, 0.00195,
    0.02103, 0.03581, 0.02696, -0.02287, -0.01872, -0.00516, 0.0245, -0.00043, 0.00089, 0.03046, 0.05062,
    -0.00877, 0.01039, 0.02148, -0.0191, -0.00246, -0.02198, 0.02364, 0.01422, -0.02349, -0.03734, 0.03638,
    0.01569, -0.0265, 0.00499, 0.05092, 0.01083, 0.0395, -0.00885,
];
const Y21: [f64; 105] = [
    0.02517, -0.02255, 0.02079, 0.00404, 0.02097, 0.01746, -0.01052, -0.01869, 0.04742, 0.02946, 0.01417,
    0.00758, 0.05306, 0.02883, -0.02418, 0.00132, 0.00775, -0.03975, -0.01756, 0.03329, -0.00601, 0.03051,
    -0.00277, -0.01735, 0.06994, 0.01655, -0.00015, 0.03219, 0.01004, -0.00244, 0.01721, 0.01137, -0.00596,
    0.01457, 0.00221, 0.03993, 0.01928, 0.00643, -0.00394, -0.00517, 0.0348, 0.00296, 0.03003, 0.02968,
    0.05684, 0.00534, 0.00254, 0.00581, 0.00259, 0.02802, 0.01862, 0.02544, -0.05911, -0.00244, 0.00349,
    -0.01303, 0.02961, -0.00154, -0.00516, 0.02128, -0.00668, 0.00612, -0.00541, -0.00539, 0.02813, 0.00255,
    -0.00708, 0.00628, 0.01496, -0.01233, 0.00827, 0.0172, -0.00337, 0.01685, -0.02468, -0.00786, 0.01868,
    0.00214, 0.03242, 0.0173, 0.00626, -0.03369, -0.02074, 0.00527, 0.01274, 0.02373, 0.00561, 0.03017,
    -0.01273, 0.05419, -0.00826, -0.01334, -0.01416, -0.01993, 0.02146, -0.00988, -0.01659, 0.00035,
    -0.00225, 0.04231, -0.00499, 0.00973, 7e-05, 0.04047, 0.00419,
];

const ALTS: [Alternative; 3] = [Alternative::Greater, Alternative::Less, Alternative::TwoSided];

fn rows(flat: &[f64]) -> Vec<&[f64]> {
    flat.chunks(X.len()).collect()
}

#[test]
fn slopes_match_polyfit() {
    let want = [
        0.0005970000000000009,
        0.010362000000000001,
        -0.004371000000000001,
        0.004395,
        -0.005819000000000002,
        0.009274000000000003,
        0.004701000000000001,
        -0.003910000000000003,
    ];
    let got = seed_slopes(&X, &rows(&Y8)).unwrap();
    for (g, w) in got.iter().zip(want) {
        // Differences of nearby values: compare on the slopes' scale.
        assert!((g - w).abs() <= 1e-15, "{g} vs {w}");
    }
    let want21 = [
        0.0018190000000000012,
        0.008194000000000003,
        -0.005545000000000004,
        0.0038630000000000014,
        0.010404000000000002,
        -0.002779000000000001,
        -0.00268,
        -0.011342000000000003,
        0.007080000000000001,
        0.004541,
        -0.005814000000000001,
        0.0033849999999999996,
        0.005811000000000002,
        -0.000772,
        -0.0066250000000000015,
        0.006406,
        0.005192000000000002,
        0.004258,
        0.005285000000000001,
        0.011872,
        0.00491,
    ];
    for (g, w) in seed_slopes(&X, &rows(&Y21)).unwrap().iter().zip(want21) {
        assert!((g - w).abs() <= 1e-15, "{g} vs {w}");
    }
}

#[test]
fn exact_sign_flips_for_eight_seeds() {
    // 2^8 sign vectors: p is a multiple of 1/256.
    for (alt, p) in ALTS.into_iter().zip([0.1953125, 0.80859375, 0.390625]) {
        let r = mean_slope_test(&X, &rows(&Y8), alt, &Resampling::DEFAULT).unwrap();
        assert_eq!((r.n, r.p, r.method), (8, p, Method::ExactPermutation));
        assert_rel(r.statistic, 0.001903625, 1e-12, "mean slope");
    }
}

#[test]
fn one_seed_is_a_coin_toss() {
    let y: [&[f64]; 1] = [&[0.90, 0.91, 0.93, 0.92, 0.95]];
    for (alt, p) in ALTS.into_iter().zip([0.5, 1.0, 1.0]) {
        let r = mean_slope_test(&X, &y, alt, &Resampling::DEFAULT).unwrap();
        assert_eq!((r.n, r.p), (1, p));
        assert_rel(r.statistic, 0.011000000000000001, 1e-12, "slope");
    }
}

#[test]
fn twenty_one_seeds_go_monte_carlo() {
    // Monte Carlo p reproduced exactly by the script; exact enumeration close.
    let mc = [0.05235, 0.94767, 0.1047];
    let exact: [f64; 3] = [0.05133628845214844, 0.9486737251281738, 0.10267257690429688];
    for ((alt, p), e) in ALTS.into_iter().zip(mc).zip(exact) {
        let r = mean_slope_test(&X, &rows(&Y21), alt, &Resampling::DEFAULT).unwrap();
        assert_eq!(r.method, Method::MonteCarlo { resamples: 99_999, seed: 0x5EED });
        assert_rel(r.p, p, TOL, "Monte Carlo p");
        assert_rel(r.statistic, 0.0022601428571428573, 1e-12, "mean slope");
        assert!((r.p - e).abs() < 4.0 * 2.0 * (e * (1.0 - e) / 99_999.0).sqrt(), "{} vs {e}", r.p);
    }
    // Forcing enumeration reproduces the exact value.
    let all = Resampling { exact_max_n: 21, ..Resampling::DEFAULT };
    let r = mean_slope_test(&X, &rows(&Y21), Alternative::Greater, &all).unwrap();
    assert_eq!((r.p, r.method), (exact[0], Method::ExactPermutation));
}

#[test]
fn flat_or_mirrored_responses() {
    // All slopes 0: every flip ties the observed mean, p = 1.
    let flat: [&[f64]; 3] = [&[0.5; 5], &[0.7; 5], &[0.2; 5]];
    for alt in ALTS {
        let r = mean_slope_test(&X, &flat, alt, &Resampling::DEFAULT).unwrap();
        assert_eq!((r.statistic, r.p), (0.0, 1.0));
    }
    // Negated responses swap the one-sided p-values.
    let neg: Vec<f64> = Y8.iter().map(|v| -v).collect();
    let up = mean_slope_test(&X, &rows(&Y8), Alternative::Greater, &Resampling::DEFAULT).unwrap();
    let down = mean_slope_test(&X, &rows(&neg), Alternative::Less, &Resampling::DEFAULT).unwrap();
    assert_eq!(up.p, down.p);
}

#[test]
fn degenerate_inputs() {
    let alt = Alternative::Greater;
    let r = &Resampling::DEFAULT;
    assert_eq!(mean_slope_test(&X, &[], alt, r), None);
    assert_eq!(seed_slopes(&[1.0], &[&[0.5]]), None); // one level
    assert_eq!(seed_slopes(&[2.0, 2.0], &[&[0.5, 0.6]]), None); // constant x
    assert_eq!(seed_slopes(&X, &[&[0.5, 0.6]]), None); // ragged
    assert_eq!(seed_slopes(&X, &[&[0.5, 0.6, f64::NAN, 0.1, 0.2]]), None);
    assert_eq!(sign_flip_test(&[], alt, r), None);
    assert_eq!(sign_flip_test(&[1.0, f64::INFINITY], alt, r), None);
}
