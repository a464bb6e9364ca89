//! Distribution functions from `statrs`: the survival functions of the
//! normal, Student's t and F distributions and t's quantile.

use statrs::distribution::{ContinuousCDF, FisherSnedecor, Normal, StudentsT};

/// `P(Z > z)` for a standard normal `Z`.
pub fn normal_sf(z: f64) -> f64 {
    Normal::new(0.0, 1.0).map_or(f64::NAN, |n| n.sf(z))
}

/// `P(T > t)` for Student's t with `df` degrees of freedom.
pub fn t_sf(t: f64, df: f64) -> f64 {
    StudentsT::new(0.0, 1.0, df).map_or(f64::NAN, |d| d.sf(t))
}

/// The `p`-quantile of Student's t with `df` degrees of freedom.
pub(super) fn t_quantile(p: f64, df: f64) -> f64 {
    StudentsT::new(0.0, 1.0, df).map_or(f64::NAN, |d| d.inverse_cdf(p))
}

/// The F distribution's survival function `P(F_{d1,d2} > f)`, as
/// `scipy.stats.f.sf(f, d1, d2)`, from `statrs`.
///
/// Returns `1` for `f ≤ 0`, `0` for `f = +∞`, `NaN` if `d1 ≤ 0`, `d2 ≤ 0` or
/// `f` is `NaN`.
pub(super) fn f_sf(f: f64, d1: f64, d2: f64) -> f64 {
    if f.is_nan() || !(d1 > 0.0 && d2 > 0.0) {
        return f64::NAN;
    }
    if f <= 0.0 {
        return 1.0;
    }
    if f == f64::INFINITY {
        return 0.0;
    }
    FisherSnedecor::new(d1, d2).map_or(f64::NAN, |d| d.sf(f))
}
