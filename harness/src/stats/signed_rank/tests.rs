//! Tests of [`signed_rank_test`] against SciPy and exact fractions.
//!
//! Reference: `python3 harness/tests/reference/stats_v2.py` (section
//! `# signed_rank`; its output is `harness/tests/reference/stats_v2.txt`).
//! `p_exact_fraction` is the exact sign-flip distribution in Python
//! integers; `scipy_exact` is `scipy.stats.wilcoxon(d, method="exact",
//! alternative=...)`, `scipy_permutation` the same with
//! `method=PermutationMethod(n_resamples=inf)`.

use super::super::test_support::{TOL, assert_rel};
use super::*;
use crate::stats::wilcoxon_signed_rank;

const ALTS: [Alternative; 3] = [Alternative::Greater, Alternative::Less, Alternative::TwoSided];

fn p_of(d: &[f64], alt: Alternative) -> TestResult {
    signed_rank_test(d, alt, &Resampling::DEFAULT).expect("defined")
}

const S_NO_TIES: [f64; 12] = [0.7, -1.3, 2.1, 0.4, 1.9, -0.2, 3.3, 1.1, -0.9, 2.6, 1.5, 0.8];
const S_50: [f64; 50] = [
    0.088811, -0.217733, 0.449596, -1.489897, 0.584452, -0.021696, -0.42605, 0.398537, -1.651474, 0.141587,
    -0.431285, 0.709695, 0.742442, -0.627863, -0.633168, -1.170037, -0.487689, 0.619414, 1.15727, 0.5288,
    0.334799, -0.567447, 0.49577, -0.51569, 0.539629, 0.097407, 1.156018, 0.50247, 1.668825, -0.108214,
    1.055945, 0.525161, 1.996556, -1.662054, 1.174258, -0.723652, -0.568647, 0.281637, -1.210559, -0.894581,
    -0.205542, -0.022484, -1.603679, -0.573631, 0.154086, 0.168072, -0.362308, 0.295911, -0.213374, 1.473499,
];
const S_51: [f64; 51] = [
    -0.509135, 0.359104, -0.189595, 1.154562, -0.671549, 1.176603, -0.895302, -1.066997, -0.24847, 0.392127,
    -1.221024, -0.204189, 0.29603, 0.264442, 1.175566, 1.084274, 0.632831, 1.213433, 1.239726, -0.809162,
    2.485262, 0.251073, -0.305942, 0.900149, -0.188577, 0.927157, -0.901399, 1.025358, -0.963874, 0.675733,
    0.086775, -0.201483, 0.453073, -0.275308, -0.471943, 0.694906, 2.231207, -0.697757, 1.455167, 1.381558,
    -0.82008, 0.490235, 0.824039, -0.610856, 1.379218, 1.17791, 1.998438, 0.689834, 1.24603, 2.112117,
    0.502991,
];
const S_TIES_30: [f64; 30] = [
    -2.0, 2.0, 1.0, -3.0, 0.0, 0.0, 4.0, 2.0, -1.0, 3.0, 0.0, -2.0, -3.0, 3.0, -3.0, 3.0, -1.0, 4.0, -2.0,
    -1.0, -2.0, 0.0, -3.0, -2.0, 0.0, 5.0, 4.0, -1.0, -3.0, 4.0,
];

/// Accuracy differences on a 1/300 grid: ties and two zeros.
fn s_acc() -> Vec<f64> {
    [1, -1, 2, 1, 0, 3, -1, 2, 1, 2, -2, 3, 0, 1, 3, -1, 2, 1, 4, 1]
        .iter()
        .map(|&v| f64::from(v) / 300.0)
        .collect()
}

#[test]
fn exact_without_ties_matches_scipy_exact() {
    // Dyadic p-values: equal bit for bit.
    let want = [0.021240234375, 0.98291015625, 0.04248046875];
    for (alt, p) in ALTS.into_iter().zip(want) {
        let r = p_of(&S_NO_TIES, alt);
        assert_eq!((r.n, r.statistic, r.p, r.method), (12, 65.0, p, Method::Exact), "{alt:?}");
        assert_eq!(r.alternative, alt);
    }
}

#[test]
fn a_single_difference_is_a_coin_toss() {
    for (alt, p) in ALTS.into_iter().zip([0.5, 1.0, 1.0]) {
        let r = p_of(&[0.5], alt);
        assert_eq!((r.n, r.statistic, r.p, r.method), (1, 1.0, p, Method::Exact));
    }
    // Its mirror image.
    assert_eq!(p_of(&[-0.5], Alternative::Less).p, 0.5);
}

#[test]
fn all_tied_is_an_exact_permutation_test() {
    // Eight equal positive differences: mid-rank 4.5 each, W+ = 36.
    for (alt, p) in ALTS.into_iter().zip([0.00390625, 1.0, 0.0078125]) {
        let r = p_of(&[0.01; 8], alt);
        assert_eq!((r.statistic, r.p, r.method), (36.0, p, Method::ExactPermutation));
    }
}

#[test]
fn ties_and_zeros_match_scipy_permutation() {
    // 20 differences, 2 zeros dropped: n = 18, W+ = 144.
    let d = s_acc();
    let want = [0.00453948974609375, 0.9970626831054688, 0.0090789794921875];
    for (alt, p) in ALTS.into_iter().zip(want) {
        let r = p_of(&d, alt);
        assert_eq!((r.n, r.statistic, r.p, r.method), (18, 144.0, p, Method::ExactPermutation));
    }
}

#[test]
fn ties_beyond_twenty_are_still_exact() {
    // n = 30 with 5 zeros and ties: the exact distribution by integer DP.
    let want = [0.2746564447879791, 0.7334371507167816, 0.5493128895759583];
    for (alt, p) in ALTS.into_iter().zip(want) {
        let r = p_of(&S_TIES_30, alt);
        assert_eq!((r.n, r.statistic, r.method), (25, 185.5, Method::ExactPermutation));
        assert_rel(r.p, p, TOL, "S_TIES_30");
    }
}

#[test]
fn the_boundary_fifty_is_exact_and_fifty_one_monte_carlo() {
    let want = [0.4429427831724926, 0.560832846112552, 0.8858855663449852];
    for (alt, p) in ALTS.into_iter().zip(want) {
        let r = p_of(&S_50, alt);
        assert_eq!((r.n, r.statistic, r.method), (50, 653.0, Method::Exact));
        assert_rel(r.p, p, TOL, "S_50");
    }
    // n = 51: Monte Carlo sign flips, reproduced exactly by the script's
    // SplitMix64 (R = 99 999, seed 0x5EED); the exact p for comparison.
    let mc = [0.00187, 0.99827, 0.00374];
    let exact: [f64; 3] = [0.00204427078452607, 0.9980197107602939, 0.00408854156905214];
    for ((alt, p), e) in ALTS.into_iter().zip(mc).zip(exact) {
        let r = p_of(&S_51, alt);
        assert_eq!((r.n, r.statistic), (51, 965.0));
        assert_eq!(r.method, Method::MonteCarlo { resamples: 99_999, seed: 0x5EED });
        assert_rel(r.p, p, TOL, "S_51 Monte Carlo");
        // Within 4 standard errors of the exact value (+ the 1/R offset).
        let se = (e * (1.0 - e) / 99_999.0).sqrt();
        assert!((r.p - e).abs() <= 4.0 * 2.0 * se + 2e-5, "{alt:?}: {} vs {e}", r.p);
    }
}

#[test]
fn degenerate_inputs() {
    let alt = Alternative::TwoSided;
    assert_eq!(signed_rank_test(&[], alt, &Resampling::DEFAULT), None);
    assert_eq!(signed_rank_test(&[0.0, 0.0], alt, &Resampling::DEFAULT), None);
    assert_eq!(signed_rank_test(&[1.0, f64::NAN], alt, &Resampling::DEFAULT), None);
    assert_eq!(signed_rank_test(&[1.0, f64::INFINITY], alt, &Resampling::DEFAULT), None);
}

#[test]
fn agrees_with_the_asymptotic_statistic_and_mirrors() {
    // Same W+ as the normal-approximation test; negating d swaps the tails.
    let d = s_acc();
    let approx = wilcoxon_signed_rank(&d).unwrap();
    let exact = p_of(&d, Alternative::Greater);
    assert_eq!(approx.w_plus, exact.statistic);
    let neg: Vec<f64> = d.iter().map(|x| -x).collect();
    assert_eq!(p_of(&neg, Alternative::Less).p, exact.p);
}
