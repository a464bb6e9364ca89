//! Tests of [`friedman`] against `scipy.stats.friedmanchisquare`.
//!
//! Reference: `python3 harness/tests/reference/stats_v2.py` (section
//! `# friedman`; output in `harness/tests/reference/stats_v2.txt`). SciPy
//! takes one argument per treatment, i.e. the columns of these rows.

use super::super::test_support::{TOL, TOL_P, assert_rel};
use super::*;

const F_RANDOM: [f64; 40] = [
    -1.0635, -0.3997, -0.6499, 1.6808, -0.1894, -0.0152, -0.8125, -0.5638, 0.9265, 0.1105, 0.1991, 1.2919,
    -0.9059, 1.9134, 0.2318, -0.013, -0.2652, 0.3373, 1.3012, -0.1988, -0.824, 0.3382, 0.9389, 1.3773,
    -0.4768, 1.267, -0.4199, 1.8858, -1.0921, 0.2137, 0.7953, 1.5132, 1.4602, 0.3492, 2.4956, -0.3195,
    0.3271, 0.0631, 1.1724, -0.4519,
];

fn rows(flat: &[f64], k: usize) -> Vec<&[f64]> {
    flat.chunks(k).collect()
}

#[test]
fn matches_scipy_without_ties() {
    let r = friedman(&rows(&F_RANDOM, 4)).expect("defined");
    assert_eq!(
        (r.n, r.df, r.alternative, r.method),
        (10, Some(3.0), Alternative::Greater, Method::Asymptotic)
    );
    assert_rel(r.statistic, 4.079999999999984, TOL, "chi2");
    assert_rel(r.p, 0.2529541462675514, TOL_P, "p");
}

#[test]
fn matches_scipy_with_ties_and_a_fully_tied_row() {
    // Accuracies (k/300), 6 seeds x 5 levels; seed 5 is tied at every level.
    let acc: [[u32; 5]; 6] = [
        [287, 288, 290, 290, 291],
        [285, 288, 288, 291, 290],
        [288, 288, 289, 292, 292],
        [286, 289, 287, 290, 293],
        [290, 290, 290, 290, 290],
        [284, 286, 289, 289, 291],
    ];
    let data: Vec<Vec<f64>> = acc.iter().map(|r| r.iter().map(|&c| f64::from(c) / 300.0).collect()).collect();
    let r = friedman(&data.iter().map(Vec::as_slice).collect::<Vec<_>>()).unwrap();
    assert_eq!(r.df, Some(4.0));
    assert_rel(r.statistic, 17.600000000000005, TOL, "chi2");
    assert_rel(r.p, 0.001477184135935667, TOL_P, "p");
}

#[test]
fn one_block_and_degenerate_inputs() {
    let r = friedman(&[&[0.3, 0.1, 0.2]]).unwrap();
    assert_eq!(r.n, 1);
    assert_rel(r.statistic, 2.0, TOL, "chi2");
    assert_rel(r.p, 0.36787944117144245, TOL_P, "p");
    // Every row tied: SciPy gives NaN; here None.
    assert_eq!(friedman(&[&[0.5, 0.5, 0.5], &[0.7, 0.7, 0.7]]), None);
    assert_eq!(friedman(&[]), None);
    assert_eq!(friedman(&[&[1.0, 2.0], &[2.0, 1.0]]), None); // k = 2
    assert_eq!(friedman(&[&[1.0, 2.0, 3.0], &[2.0, 1.0]]), None); // ragged
    assert_eq!(friedman(&[&[1.0, 2.0, f64::NAN], &[2.0, 1.0, 3.0]]), None);
}
