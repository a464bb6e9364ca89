//! Descriptive statistics, a percentile bootstrap and the Brown–Forsythe test.
//!
//! Used to summarise the weight-initialization study: for each initializer we
//! have the final validation accuracies of N seeds.
//!
//! Conventions shared by every function in this module:
//!
//! * **Determinism.** Sums are accumulated left to right in input order (or in
//!   sorted order where stated), so the same input always gives bit-identical
//!   output. The bootstrap draws from a self-contained SplitMix64 generator
//!   seeded by the caller; there are no dependencies and no global state.
//! * **Empty input** gives `NaN` (or `None` where the return type is an
//!   `Option`); nothing panics on user data.
//! * **Inputs are assumed finite.** Sorting uses [`f64::total_cmp`], so `NaN`
//!   never panics, but results involving `NaN`/`inf` data are not meaningful.
//!   [`brown_forsythe`] explicitly returns `None` for non-finite data.

use std::cmp::Ordering;

// ---------------------------------------------------------------------------
// Descriptive statistics
// ---------------------------------------------------------------------------

/// Arithmetic mean `x̄ = (Σ_i x_i) / n`, summed left to right.
///
/// Returns `NaN` for an empty slice.
pub fn mean(values: &[f64]) -> f64 {
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
pub fn std_dev(values: &[f64]) -> f64 {
    let n = values.len();
    if n < 2 {
        return 0.0;
    }
    let m = mean(values);
    let ss: f64 = values.iter().map(|&x| (x - m) * (x - m)).sum();
    (ss / (n - 1) as f64).sqrt()
}

/// Smallest value, `min_i x_i`. Returns `NaN` for an empty slice.
pub fn min(values: &[f64]) -> f64 {
    values.iter().copied().reduce(f64::min).unwrap_or(f64::NAN)
}

/// Largest value, `max_i x_i`. Returns `NaN` for an empty slice.
pub fn max(values: &[f64]) -> f64 {
    values.iter().copied().reduce(f64::max).unwrap_or(f64::NAN)
}

/// Median of the sorted values `x_(0) ≤ … ≤ x_(n−1)`:
/// `x_((n−1)/2)` for odd `n`, `(x_(n/2−1) + x_(n/2)) / 2` for even `n`.
///
/// Same arithmetic as `numpy.median` (and hence the centre SciPy's
/// `levene(center='median')` uses). Returns `NaN` for an empty slice.
pub fn median(values: &[f64]) -> f64 {
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
pub fn quantile(values: &[f64], p: f64) -> f64 {
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
pub fn mean_abs_dev_from_median(values: &[f64]) -> f64 {
    mean(&abs_dev_from_median(values))
}

fn sorted(values: &[f64]) -> Vec<f64> {
    let mut s = values.to_vec();
    s.sort_by(f64::total_cmp);
    s
}

/// numpy `linear` quantile on already-sorted, non-empty data, `p ∈ [0, 1]`.
fn quantile_sorted(s: &[f64], p: f64) -> f64 {
    let n = s.len();
    let h = (n - 1) as f64 * p;
    let j = (h.floor() as usize).min(n - 1);
    let k = (j + 1).min(n - 1);
    let gamma = h - j as f64;
    let (a, b) = (s[j], s[k]);
    let diff = b - a;
    if gamma >= 0.5 { b - diff * (1.0 - gamma) } else { a + diff * gamma }
}

fn abs_dev_from_median(values: &[f64]) -> Vec<f64> {
    let m = median(values);
    values.iter().map(|&x| (x - m).abs()).collect()
}

// ---------------------------------------------------------------------------
// Bootstrap
// ---------------------------------------------------------------------------

/// SplitMix64 (Steele, Lea & Flood 2014; reference code by S. Vigna):
/// `s ← s + 0x9E3779B97F4A7C15`, `z = s`,
/// `z ← (z ⊕ z≫30)·0xBF58476D1CE4E5B9`, `z ← (z ⊕ z≫27)·0x94D049BB133111EB`,
/// output `z ⊕ z≫31` (all mod 2⁶⁴). Passes BigCrush; ample for resampling.
struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform integer in `[0, n)`, `n ≥ 1`, without modulo bias: Lemire's
    /// multiply-and-reject method (ACM TOMACS 2019). `m = r·n` (128-bit);
    /// the draw `m ≫ 64` is accepted unless the low word `m mod 2⁶⁴` falls
    /// below `2⁶⁴ mod n`, which makes every outcome exactly equally likely.
    fn below(&mut self, n: u64) -> u64 {
        debug_assert!(n > 0);
        let mut m = u128::from(self.next_u64()) * u128::from(n);
        if (m as u64) < n {
            let threshold = n.wrapping_neg() % n; // = 2^64 mod n
            while (m as u64) < threshold {
                m = u128::from(self.next_u64()) * u128::from(n);
            }
        }
        (m >> 64) as u64
    }
}

/// Percentile-bootstrap confidence interval for the mean; returns `(lo, hi)`.
///
/// For `b = 1..=resamples`: draw `n` indices uniformly with replacement
/// (unbiased, see below), `m_b = (Σ_i x_{I_bi}) / n`. With `α = 1 − confidence`,
/// `lo = Q(α/2)` and `hi = Q(1 − α/2)` of `{m_b}`, where `Q` is the numpy
/// `linear` quantile ([`quantile`]).
///
/// Randomness: SplitMix64 seeded with `seed` (no dependencies); indices via
/// Lemire's rejection method, so there is no modulo bias. The result is a pure
/// function of `(values, confidence, resamples, seed)`. For constant data every
/// resample mean equals [`mean`]`(values)` bit for bit, so `lo == hi`.
///
/// Typical call: `bootstrap_mean_ci(&acc, 0.95, 10_000, 42)`. Cost is
/// `O(resamples · n)` plus a sort of `resamples` values.
///
/// Returns `(NaN, NaN)` if `values` is empty, `resamples == 0`, or
/// `confidence` is not strictly between 0 and 1.
pub fn bootstrap_mean_ci(values: &[f64], confidence: f64, resamples: usize, seed: u64) -> (f64, f64) {
    let n = values.len();
    if n == 0 || resamples == 0 || !(confidence > 0.0 && confidence < 1.0) {
        return (f64::NAN, f64::NAN);
    }
    let mut rng = SplitMix64::new(seed);
    let mut means: Vec<f64> = (0..resamples)
        .map(|_| {
            let sum: f64 = (0..n).map(|_| values[rng.below(n as u64) as usize]).sum();
            sum / n as f64
        })
        .collect();
    means.sort_by(f64::total_cmp);
    let alpha = 1.0 - confidence;
    (quantile_sorted(&means, alpha / 2.0), quantile_sorted(&means, 1.0 - alpha / 2.0))
}

// ---------------------------------------------------------------------------
// Distribution functions (statrs)
// ---------------------------------------------------------------------------

/// The F distribution's survival function `P(F_{d1,d2} > f)`, as
/// `scipy.stats.f.sf(f, d1, d2)`, from `statrs`.
///
/// Returns `1` for `f ≤ 0`, `0` for `f = +∞`, `NaN` if `d1 ≤ 0`, `d2 ≤ 0` or
/// `f` is `NaN`.
pub fn f_sf(f: f64, d1: f64, d2: f64) -> f64 {
    use statrs::distribution::{ContinuousCDF, FisherSnedecor};
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

/// A p-value as a report prints it: `p = 0.31`, `p = 0.042`, `p < 0.001`
/// (two significant digits; `p = n/a` when undefined).
pub fn format_p(p: f64) -> String {
    let value = p_value_text(p);
    if value.starts_with('<') { format!("p {value}") } else { format!("p = {value}") }
}

/// The value part of [`format_p`], for a table cell: `0.31`, `0.042`,
/// `< 0.001`, `n/a`.
pub fn p_value_text(p: f64) -> String {
    if !p.is_finite() {
        "n/a".into()
    } else if p < 0.001 {
        "< 0.001".into()
    } else {
        // Two significant digits: 2 decimals from 0.1, 3 from 0.01, 4 from 0.001.
        let decimals = if p >= 0.1 {
            2
        } else if p >= 0.01 {
            3
        } else {
            4
        };
        format!("{p:.decimals$}")
    }
}

// ---------------------------------------------------------------------------
// Brown–Forsythe test
// ---------------------------------------------------------------------------

/// Result of [`brown_forsythe`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BfTest {
    /// The ANOVA statistic `W` on `z_ij = |x_ij − median_i|` (see
    /// [`brown_forsythe`]); finite and `≥ 0`.
    pub statistic: f64,
    /// Numerator degrees of freedom, `k − 1`.
    pub df1: f64,
    /// Denominator degrees of freedom, `N − k`.
    pub df2: f64,
    /// `P(F_{df1,df2} > W)` = [`f_sf`]`(W, df1, df2)`; small values reject
    /// equality of the group spreads.
    pub p_value: f64,
}

/// Brown–Forsythe test for equality of variances (Levene's test with the
/// median as centre), identical to
/// `scipy.stats.levene(*groups, center='median')`.
///
/// With `k` groups, group sizes `n_i`, `N = Σ n_i`:
/// `z_ij = |x_ij − median_i|`, `z̄_i = (1/n_i) Σ_j z_ij`,
/// `z̄ = (1/N) Σ_i n_i z̄_i`,
/// `W = [(N − k) Σ_i n_i (z̄_i − z̄)²] / [(k − 1) Σ_i Σ_j (z_ij − z̄_i)²]`,
/// `p = P(F_{k−1, N−k} > W)` via [`f_sf`] (statrs).
///
/// Returns `None` for degenerate input, where `W` is undefined or infinite
/// and no p-value is meaningful:
/// * fewer than 2 groups, any group with fewer than 2 values, or any
///   non-finite value;
/// * zero within-group variation of `z` (every group's deviations are all
///   identical, e.g. every group has exactly 2 values, or values like
///   `[0.95, 0.95, 0.96, 0.96]`). Because `z_ij` carries rounding noise, the
///   denominator sum is treated as zero when it is below
///   `N · (4 (n_max + 4) ε · max|x_ij|)²`, a bound on that noise. (SciPy
///   instead returns `inf`/`p = 0`, or a huge `W` with a p-value like 1e-74
///   that is pure rounding noise.)
///
/// If the between-group sum is zero, `W = 0` and `p = 1`.
pub fn brown_forsythe(groups: &[&[f64]]) -> Option<BfTest> {
    let k = groups.len();
    if k < 2 || groups.iter().any(|g| g.len() < 2 || g.iter().any(|x| !x.is_finite())) {
        return None;
    }
    let z: Vec<Vec<f64>> = groups.iter().map(|g| abs_dev_from_median(g)).collect();
    let n_tot: usize = groups.iter().map(|g| g.len()).sum();
    let n_max = groups.iter().map(|g| g.len()).max().unwrap_or(0);
    let scale = groups.iter().flat_map(|g| g.iter()).fold(0.0_f64, |acc, x| acc.max(x.abs()));

    let zbar_i: Vec<f64> = z.iter().map(|zi| mean(zi)).collect();
    let zbar = z.iter().zip(&zbar_i).map(|(zi, &m)| zi.len() as f64 * m).sum::<f64>() / n_tot as f64;
    let ss_between: f64 =
        z.iter().zip(&zbar_i).map(|(zi, &m)| zi.len() as f64 * (m - zbar) * (m - zbar)).sum();
    let ss_within: f64 =
        z.iter().zip(&zbar_i).map(|(zi, &m)| zi.iter().map(|&v| (v - m) * (v - m)).sum::<f64>()).sum();

    let noise = 4.0 * (n_max as f64 + 4.0) * f64::EPSILON * scale;
    if ss_within <= n_tot as f64 * noise * noise {
        return None;
    }
    let df1 = (k - 1) as f64;
    let df2 = (n_tot - k) as f64;
    let statistic = (df2 * ss_between) / (df1 * ss_within);
    if !statistic.is_finite() {
        return None;
    }
    Some(BfTest { statistic, df1, df2, p_value: f_sf(statistic, df1, df2) })
}

// ---------------------------------------------------------------------------
// Pairwise comparison of spreads
// ---------------------------------------------------------------------------

/// Spread comparison of one pair of groups `(i, j)`, `i < j`; produced by
/// [`pairwise_spread`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairSpread {
    /// Index of the first group.
    pub i: usize,
    /// Index of the second group (`j > i`).
    pub j: usize,
    /// Two-group [`brown_forsythe`] test on groups `i` and `j`
    /// (`None` when degenerate; then no p-value is available).
    pub test: Option<BfTest>,
    /// `D_i` = [`mean_abs_dev_from_median`] of group `i` (what BF compares).
    pub mad_i: f64,
    /// `D_j` = [`mean_abs_dev_from_median`] of group `j`.
    pub mad_j: f64,
    /// Group with the smaller spread by `D`: `Some(i)` if `D_i < D_j`,
    /// `Some(j)` if `D_j < D_i`, `None` if equal (or `NaN`).
    pub smaller: Option<usize>,
    /// Ratio of sample standard deviations `s_i / s_j` ([`std_dev`]);
    /// `inf` if only `s_j = 0`, `NaN` if both are 0.
    pub sd_ratio: f64,
}

impl PairSpread {
    /// The Brown–Forsythe p-value, `None` if the test was degenerate.
    pub fn p_value(&self) -> Option<f64> {
        self.test.map(|t| t.p_value)
    }
}

/// Compare spreads of every pair of groups `(i, j)`, `i < j`, in
/// lexicographic order (`(0,1), (0,2), …, (1,2), …`): `k(k−1)/2` entries.
///
/// For each pair: the two-group Brown–Forsythe test
/// (`df1 = 1`, `df2 = n_i + n_j − 2`), the mean absolute deviations from the
/// median `D_i`, `D_j`, which of the two is smaller, and `s_i / s_j`.
/// No multiple-comparison correction is applied; with `m = k(k−1)/2` pairs,
/// compare p-values against e.g. `α/m` (Bonferroni) yourself.
pub fn pairwise_spread(groups: &[&[f64]]) -> Vec<PairSpread> {
    let mads: Vec<f64> = groups.iter().map(|g| mean_abs_dev_from_median(g)).collect();
    let sds: Vec<f64> = groups.iter().map(|g| std_dev(g)).collect();
    let k = groups.len();
    let mut out = Vec::with_capacity(k * k.saturating_sub(1) / 2);
    for i in 0..k {
        for j in (i + 1)..k {
            let smaller = match mads[i].partial_cmp(&mads[j]) {
                Some(Ordering::Less) => Some(i),
                Some(Ordering::Greater) => Some(j),
                _ => None,
            };
            out.push(PairSpread {
                i,
                j,
                test: brown_forsythe(&[groups[i], groups[j]]),
                mad_i: mads[i],
                mad_j: mads[j],
                smaller,
                sd_ratio: sds[i] / sds[j],
            });
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    // Reference values were produced with Python 3.11.7, NumPy 2.4.6,
    // SciPy 1.17.1; every literal below is `repr(float(...))` of the quoted
    // expression.

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
}
