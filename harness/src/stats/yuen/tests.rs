//! Tests of [`yuen_paired`] and [`yuen_tost`] against Wilcox's formulas in
//! NumPy/SciPy.
//!
//! Reference: `python3 harness/tests/reference/stats_v2.py` (section
//! `# yuen`; output in `harness/tests/reference/stats_v2.txt`): Wilcox's
//! `yuend` written out with `scipy.stats.trim_mean`,
//! `scipy.stats.mstats.winsorize`, `numpy.var`/`numpy.cov` and
//! `scipy.stats.t`; with `trim = 0` it is `scipy.stats.ttest_rel`.
//! (`scipy.stats.ttest_ind(trim=)` is Yuen's *independent*-samples test and
//! does not apply.)

use super::super::test_support::{TOL, TOL_P, assert_rel};
use super::*;

const A: [f64; 12] = [0.9633, 0.95, 0.96, 0.9567, 0.96, 0.9667, 0.9533, 0.96, 0.97, 0.9633, 0.91, 0.9667];
const B: [f64; 12] = [0.96, 0.9433, 0.9533, 0.9567, 0.95, 0.96, 0.95, 0.9533, 0.9633, 0.96, 0.9567, 0.94];

/// (n, diff, se, t, df, [greater, less, two-sided], ci95, p_equivalent, p_beyond, ci90) for margin 0.01.
type Want = (usize, f64, f64, f64, f64, [f64; 3], (f64, f64), f64, f64, (f64, f64));

const CASES: [Want; 3] = [
    (
        12,
        0.005412500000000042,
        0.0022347199409066217,
        2.422003715509963,
        7.0,
        [0.02297839314145607, 0.9770216068585439, 0.04595678628291214],
        (0.0001282270322142511, 0.010696772967785834),
        0.039599443858167174,
        0.9604005561418328,
        (0.0011786474115903535, 0.009646352588409731),
    ),
    (
        5, // g = 1, h = 3
        0.00556666666666672,
        0.0031115912327939256,
        1.7890096256854278,
        2.0,
        [0.10775463868394855, 0.8922453613160515, 0.2155092773678971],
        (-0.007821429844978557, 0.018954763178311997),
        0.1451331635263719,
        0.854866836473628,
        (-0.003519134865046611, 0.01465246819838005),
    ),
    (
        4, // g = ⌊0.8⌋ = 0: no trimming
        0.00417500000000004,
        0.0016059135510148917,
        2.599766343189245,
        3.0,
        [0.04019602658494657, 0.9598039734150534, 0.08039205316989315],
        (-0.000935733647032342, 0.009285733647032422),
        0.018031920548349012,
        0.981968079451651,
        (0.00039570176958884104, 0.007954298230411239),
    ),
];

#[test]
fn matches_wilcox_yuend() {
    let alts = [Alternative::Greater, Alternative::Less, Alternative::TwoSided];
    for (n, diff, se, t, df, ps, ci, p_eq, p_beyond, ci90) in CASES {
        let (a, b) = (&A[..n], &B[..n]);
        for (alt, p) in alts.into_iter().zip(ps) {
            let y = yuen_paired(a, b, YUEN_TRIM, alt).expect("defined");
            // Differences of close accuracies: absolute, on their scale.
            assert!((y.diff - diff).abs() < 1e-15, "n = {n}: diff {} vs {diff}", y.diff);
            assert_rel(y.se, se, 1e-10, "se");
            assert_rel(y.test.statistic, t, 1e-10, "t");
            assert_eq!(
                (y.test.df, y.test.n, y.h, y.test.method),
                (Some(df), n, df as usize + 1, Method::Asymptotic)
            );
            assert_rel(y.test.p, p, TOL_P, "p");
            assert!((y.ci95.0 - ci.0).abs() < 1e-12 && (y.ci95.1 - ci.1).abs() < 1e-12, "{:?}", y.ci95);
        }
        let tost = yuen_tost(a, b, YUEN_TRIM, 0.01).expect("defined");
        assert_rel(tost.p_equivalent, p_eq, TOL_P, "p_equivalent");
        assert_rel(tost.p_beyond, p_beyond, TOL_P, "p_beyond");
        assert!(
            (tost.ci90.0 - ci90.0).abs() < 1e-12 && (tost.ci90.1 - ci90.1).abs() < 1e-12,
            "{:?}",
            tost.ci90
        );
        assert_eq!((tost.margin, tost.df), (0.01, df));
    }
}

#[test]
fn no_trimming_is_the_paired_t_test() {
    // scipy.stats.ttest_rel(A, B)
    let y = yuen_paired(&A, &B, 0.0, Alternative::TwoSided).unwrap();
    assert_rel(y.test.statistic, 0.5690500665096394, 1e-10, "t");
    assert_rel(y.test.p, 0.5807552225673412, TOL_P, "p");
    assert_eq!(y.h, 12);
    let d: Vec<f64> = A.iter().zip(&B).map(|(a, b)| a - b).collect();
    assert_rel(y.test.statistic, crate::stats::paired_t(&d).unwrap().t, 1e-10, "vs paired_t");
    let _ = TOL;
}

#[test]
fn degenerate_inputs() {
    let alt = Alternative::TwoSided;
    assert!(yuen_paired(&[0.9], &[0.8], YUEN_TRIM, alt).is_none()); // n = 1: h = 1
    assert!(yuen_paired(&A, &B[..11], YUEN_TRIM, alt).is_none());
    assert!(yuen_paired(&A, &B, 0.5, alt).is_none());
    assert!(yuen_paired(&A, &B, -0.1, alt).is_none());
    assert!(yuen_paired(&[1.0, f64::NAN, 2.0], &[1.0, 2.0, 3.0], 0.0, alt).is_none());
    // Identical winsorized differences: se = 0.
    assert!(yuen_paired(&[1.0, 2.0, 3.0], &[0.5, 1.5, 2.5], 0.0, alt).is_none());
    assert!(yuen_tost(&[0.5; 6], &[0.5; 6], YUEN_TRIM, 0.01).is_none());
    // n = 2: g = 0, h = 2 is still defined.
    assert!(yuen_paired(&[0.9, 0.95], &[0.8, 0.9], YUEN_TRIM, alt).is_some());
}
