//! Tests of [`holm`] and [`holm_by_family`] against statsmodels.
//!
//! Reference: `python3 harness/tests/reference/stats_v2.py` (section
//! `# holm`; output in `harness/tests/reference/stats_v2.txt`):
//! `statsmodels.stats.multitest.multipletests(p, method="holm")[1]`, on the
//! finite p-values only (statsmodels has no notion of a missing p).

use super::*;

fn assert_close(got: &[f64], want: &[f64]) {
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(want) {
        assert!(g.is_nan() && w.is_nan() || (g - w).abs() <= 1e-15, "{got:?} vs {want:?}");
    }
}

#[test]
fn many_p_values_with_ties_and_capping() {
    // Step-down running maximum: 0.03 appears three times (ties), the
    // 0.049 after them inherits their 0.3, and 0.5/0.9 cap at 1.
    let p = [0.01, 0.04, 0.03, 0.005, 0.5, 0.2, 0.03, 0.0001, 0.049, 0.9, 0.012, 0.03, 0.3, 0.002, 0.07];
    let want = [
        0.12,
        0.3,
        0.3,
        0.065,
        1.0,
        0.8,
        0.3,
        0.0015,
        0.3,
        1.0,
        0.132,
        0.3,
        0.8999999999999999,
        0.028,
        0.35000000000000003,
    ];
    assert_close(&holm(&p), &want);
}

#[test]
fn missing_p_values_are_left_out_of_m() {
    let p = [0.02, f64::NAN, 0.01, 0.04, f64::NAN, 0.3];
    assert_close(&holm(&p), &[0.06, f64::NAN, 0.04, 0.08, f64::NAN, 0.3]);
    assert!(holm(&[f64::NAN, f64::INFINITY]).iter().all(|v| v.is_nan()));
    assert!(holm(&[]).is_empty());
    assert_eq!(holm(&[0.7]), [0.7]);
}

#[test]
fn within_each_family() {
    let p = [0.01, 0.03, 0.02, 0.02, f64::NAN, 0.04, 0.6, 0.001];
    let family = [0, 0, 1, 1, 1, 0, 2, 1];
    assert_close(&holm_by_family(&p, &family), &[0.03, 0.06, 0.04, 0.04, f64::NAN, 0.06, 0.6, 0.003]);
    // One family is plain Holm.
    assert_close(&holm_by_family(&p, &[7; 8]), &holm(&p));
}
