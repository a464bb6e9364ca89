//! Descriptive statistics: mean, standard deviation, extremes, median and
//! numpy's linear quantile.

/// Arithmetic mean `x̄ = (Σ_i x_i) / n`, summed left to right.
///
/// Returns `NaN` for an empty slice.
pub(crate) fn mean(values: &[f64]) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.iter().sum::<f64>() / values.len() as f64
}

/// Sample standard deviation with Bessel's correction (`ddof = 1`):
/// `s = sqrt( Σ_i (x_i − x̄)² / (n − 1) )` (two-pass: mean first).
///
/// Matches `numpy.std(x, ddof=1)`. Returns `0.0` for `n < 2` (a single seed
/// has no observable spread), so it never returns `NaN` for finite data.
pub(crate) fn std_dev(values: &[f64]) -> f64 {
    let n = values.len();
    if n < 2 {
        return 0.0;
    }
    let m = mean(values);
    let ss: f64 = values.iter().map(|&x| (x - m) * (x - m)).sum();
    (ss / (n - 1) as f64).sqrt()
}

/// Smallest value, `min_i x_i`. Returns `NaN` for an empty slice.
pub(crate) fn min(values: &[f64]) -> f64 {
    values.iter().copied().reduce(f64::min).unwrap_or(f64::NAN)
}

/// Largest value, `max_i x_i`. Returns `NaN` for an empty slice.
pub(crate) fn max(values: &[f64]) -> f64 {
    values.iter().copied().reduce(f64::max).unwrap_or(f64::NAN)
}

/// Median of the sorted values `x_(0) ≤ … ≤ x_(n−1)`:
/// `x_((n−1)/2)` for odd `n`, `(x_(n/2−1) + x_(n/2)) / 2` for even `n`.
///
/// Same arithmetic as `numpy.median` (and hence the centre SciPy's
/// `levene(center='median')` uses). Returns `NaN` for an empty slice.
pub(crate) fn median(values: &[f64]) -> f64 {
    let n = values.len();
    if n == 0 {
        return f64::NAN;
    }
    let s = sorted(values);
    if n % 2 == 1 { s[n / 2] } else { (s[n / 2 - 1] + s[n / 2]) / 2.0 }
}

/// Quantile `p ∈ [0, 1]` with numpy's default `method='linear'` (Hyndman &
/// Fan type 7).
///
/// With sorted values `x_(0) ≤ … ≤ x_(n−1)`, virtual index `h = (n − 1)·p`,
/// `j = ⌊h⌋`, `γ = h − j`:
/// `Q(p) = x_(j) + γ·(x_(j+1) − x_(j))` (evaluated as
/// `x_(j+1) − (1 − γ)·(x_(j+1) − x_(j))` when `γ ≥ 0.5`, exactly like numpy's
/// `_lerp`, so results agree bit for bit with `numpy.quantile`).
///
/// Returns `NaN` for an empty slice or `p` outside `[0, 1]` (incl. `NaN`).
pub(crate) fn quantile(values: &[f64], p: f64) -> f64 {
    if values.is_empty() || !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    quantile_sorted(&sorted(values), p)
}

/// Mean absolute deviation from the median:
/// `D = (1/n) Σ_i |x_i − median(x)|`.
///
/// This is the per-group quantity the Brown–Forsythe test compares (the group
/// mean of `z_ij`). Not to be confused with the *median* absolute deviation.
/// Returns `NaN` for an empty slice.
pub(super) fn mean_abs_dev_from_median(values: &[f64]) -> f64 {
    mean(&abs_dev_from_median(values))
}

/// `values` in ascending [`f64::total_cmp`] order.
pub(super) fn sorted(values: &[f64]) -> Vec<f64> {
    let mut s = values.to_vec();
    s.sort_by(f64::total_cmp);
    s
}

/// numpy `linear` quantile on already-sorted, non-empty data, `p ∈ [0, 1]`.
pub(super) fn quantile_sorted(s: &[f64], p: f64) -> f64 {
    let n = s.len();
    let h = (n - 1) as f64 * p;
    let j = (h.floor() as usize).min(n - 1);
    let k = (j + 1).min(n - 1);
    let gamma = h - j as f64;
    let (a, b) = (s[j], s[k]);
    let diff = b - a;
    if gamma >= 0.5 { b - diff * (1.0 - gamma) } else { a + diff * gamma }
}

/// `|x_i − median(x)|` for every value, in input order.
pub(super) fn abs_dev_from_median(values: &[f64]) -> Vec<f64> {
    let m = median(values);
    values.iter().map(|&x| (x - m).abs()).collect()
}
