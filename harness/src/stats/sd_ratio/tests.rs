//! Tests of [`ln_sd_ratio`] and [`sd_ratio_test`] against NumPy.
//!
//! Reference: `python3 harness/tests/reference/stats_v2.py` (section
//! `# sd_ratio`; output in `harness/tests/reference/stats_v2.txt`): all
//! `2ⁿ` swap patterns enumerated in NumPy (n ≤ 20), or the same Monte Carlo
//! draws (SplitMix64 re-implemented, R = 99 999, seed 0x5EED).

use super::super::test_support::{TOL, assert_rel};
use super::*;
use crate::stats::{Method, Resampling};

const A10: [f64; 10] = [0.95, 0.9633, 0.96, 0.96, 0.9567, 0.9633, 0.9667, 0.96, 0.9533, 0.96];
const B10: [f64; 10] = [0.9433, 0.96, 0.9267, 0.9533, 0.9667, 0.94, 0.9567, 0.9333, 0.9633, 0.95];
const A21: [f64; 21] = [
    0.9484, 0.9449, 0.9511, 0.9507, 0.9555, 0.9554, 0.9592, 0.952, 0.9521, 0.949, 0.9513, 0.9469, 0.9492,
    0.9499, 0.9527, 0.9537, 0.9455, 0.9463, 0.9488, 0.9484, 0.9484,
];
const B21: [f64; 21] = [
    0.9364, 0.9493, 0.9451, 0.9518, 0.9513, 0.9413, 0.9536, 0.9541, 0.9359, 0.9555, 0.9463, 0.9514, 0.9503,
    0.9457, 0.934, 0.9504, 0.9448, 0.9475, 0.9628, 0.937, 0.9448,
];

const ALTS: [Alternative; 3] = [Alternative::Greater, Alternative::Less, Alternative::TwoSided];

#[test]
fn exact_swaps_for_ten_seeds() {
    // Multiples of 1/1024: equal bit for bit.
    for (alt, p) in ALTS.into_iter().zip([0.9765625, 0.02734375, 0.0546875]) {
        let r = sd_ratio_test(&A10, &B10, alt, &Resampling::DEFAULT).unwrap();
        assert_eq!((r.n, r.p, r.method), (10, p, Method::ExactPermutation));
        assert_rel(r.statistic, -0.9884473594077834, TOL, "ln ratio");
    }
    // Swapping the samples mirrors the test exactly.
    let r = sd_ratio_test(&B10, &A10, Alternative::Greater, &Resampling::DEFAULT).unwrap();
    assert_eq!(r.p, 0.02734375);
}

#[test]
fn twenty_one_seeds_go_monte_carlo() {
    let mc = [0.98412, 0.01589, 0.03178];
    let exact: [f64; 3] = [0.983788013458252, 0.01621246337890625, 0.0324249267578125];
    for ((alt, p), e) in ALTS.into_iter().zip(mc).zip(exact) {
        let r = sd_ratio_test(&A21, &B21, alt, &Resampling::DEFAULT).unwrap();
        assert_eq!((r.n, r.method), (21, Method::MonteCarlo { resamples: 99_999, seed: 0x5EED }));
        assert_rel(r.p, p, TOL, "Monte Carlo p");
        assert_rel(r.statistic, -0.7150029258607011, TOL, "ln ratio");
        assert!((r.p - e).abs() < 4.0 * 2.0 * (e * (1.0 - e) / 99_999.0).sqrt(), "{} vs {e}", r.p);
    }
}

#[test]
fn stuck_seeds() {
    // Both conditions stuck (equal or different constants): t = 0, p = 1.
    for b in [[0.5; 6], [0.9; 6]] {
        for alt in ALTS {
            let r = sd_ratio_test(&[0.5; 6], &b, alt, &Resampling::DEFAULT).unwrap();
            assert_eq!((r.statistic, r.p, r.method), (0.0, 1.0, Method::ExactPermutation));
        }
    }
    // Only a stuck: t = −∞; only the 4 of 64 swap patterns that leave a*
    // constant reach it (p_less = 4/64).
    let b = [0.5, 0.52, 0.49, 0.5, 0.55, 0.47];
    for (alt, p) in ALTS.into_iter().zip([1.0, 0.0625, 0.125]) {
        let r = sd_ratio_test(&[0.5; 6], &b, alt, &Resampling::DEFAULT).unwrap();
        assert_eq!((r.statistic, r.p), (f64::NEG_INFINITY, p));
    }
}

#[test]
fn ln_sd_ratio_on_the_extended_reals() {
    assert_eq!(ln_sd_ratio(&[1.0, 1.0], &[2.0, 2.0]), 0.0);
    assert_eq!(ln_sd_ratio(&[1.0, 2.0], &[2.0, 2.0]), f64::INFINITY);
    assert_eq!(ln_sd_ratio(&[1.0, 1.0], &[2.0, 3.0]), f64::NEG_INFINITY);
    assert_eq!(ln_sd_ratio(&[1.0], &[2.0]), 0.0); // no spread with one value
    // SD(1,3) = √2, SD(1,2) = √½: ln 2 (within rounding of two logs).
    assert_rel(ln_sd_ratio(&[1.0, 3.0], &[1.0, 2.0]), std::f64::consts::LN_2, 1e-15, "ln 2");
    assert_eq!(ln_sd_ratio(&A10, &B10), -ln_sd_ratio(&B10, &A10));
}

#[test]
fn degenerate_inputs() {
    let (alt, r) = (Alternative::Less, &Resampling::DEFAULT);
    assert_eq!(sd_ratio_test(&[1.0], &[2.0], alt, r), None);
    assert_eq!(sd_ratio_test(&[1.0, 2.0], &[2.0], alt, r), None);
    assert_eq!(sd_ratio_test(&[1.0, f64::NAN], &[2.0, 1.0], alt, r), None);
}
