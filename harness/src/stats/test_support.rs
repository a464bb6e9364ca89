//! Helpers shared by the statistics' unit tests.

/// Asserts `|got − want| ≤ tol·|want|` (absolute when `want` is 0); equal
/// infinities pass.
pub(super) fn assert_rel(got: f64, want: f64, tol: f64, what: &str) {
    if got == want {
        return;
    }
    let err = if want == 0.0 { got.abs() } else { ((got - want) / want).abs() };
    assert!(err <= tol, "{what}: got {got:e}, want {want:e}, rel err {err:e} > {tol:e}");
}

/// Reference values are `repr(float)` of SciPy/NumPy results; 1e-12 leaves
/// room for a different summation order or special-function library.
pub(super) const TOL: f64 = 1e-12;

/// For p-values from statrs's distribution functions (normal, Student's t,
/// chi-square): statrs agrees with SciPy's Cephes/Boost to about 1e-10
/// relative (the claims' tests use the same bound).
pub(super) const TOL_P: f64 = 1e-9;
