//! Percentile bootstraps on one self-contained SplitMix64 generator: of a
//! sample's mean ([`bootstrap_mean_ci`], the study's summaries) and of any
//! statistic of paired units ([`bootstrap_ci`], the claims).

use super::describe::{quantile, quantile_sorted};

/// SplitMix64 (Steele, Lea & Flood 2014; reference code by S. Vigna):
/// `s ← s + 0x9E3779B97F4A7C15`, `z = s`,
/// `z ← (z ⊕ z≫30)·0xBF58476D1CE4E5B9`, `z ← (z ⊕ z≫27)·0x94D049BB133111EB`,
/// output `z ⊕ z≫31` (all mod 2⁶⁴). Passes BigCrush; ample for resampling.
pub(super) struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator whose state starts at `seed`.
    pub(super) fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// The next 64 random bits.
    pub(super) fn next_u64(&mut self) -> u64 {
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
    pub(super) fn below(&mut self, n: u64) -> u64 {
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
/// resample mean equals [`mean`](super::mean)`(values)` bit for bit, so `lo == hi`.
///
/// Typical call: `bootstrap_mean_ci(&acc, 0.95, 10_000, 42)`. Cost is
/// `O(resamples · n)` plus a sort of `resamples` values.
///
/// Returns `(NaN, NaN)` if `values` is empty, `resamples == 0`, or
/// `confidence` is not strictly between 0 and 1.
pub(crate) fn bootstrap_mean_ci(values: &[f64], confidence: f64, resamples: usize, seed: u64) -> (f64, f64) {
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

/// Percentile-bootstrap 95% confidence interval of a statistic of `n`
/// paired units (seeds): each resample draws `n` unit indices with
/// replacement (SplitMix64 seeded with `seed`) and `stat` computes the
/// statistic from them; non-finite resamples are dropped. The interval is
/// the 2.5% and 97.5% numpy-linear quantiles. `(NaN, NaN)` when `n` or
/// `resamples` is 0 or no resample is finite.
pub fn bootstrap_ci(n: usize, resamples: usize, seed: u64, stat: impl Fn(&[usize]) -> f64) -> (f64, f64) {
    if n == 0 || resamples == 0 {
        return (f64::NAN, f64::NAN);
    }
    let mut rng = SplitMix64::new(seed);
    let mut idx = vec![0usize; n];
    let mut values = Vec::with_capacity(resamples);
    for _ in 0..resamples {
        for i in idx.iter_mut() {
            *i = rng.below(n as u64) as usize;
        }
        let v = stat(&idx);
        if v.is_finite() {
            values.push(v);
        }
    }
    if values.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    (quantile(&values, 0.025), quantile(&values, 0.975))
}
