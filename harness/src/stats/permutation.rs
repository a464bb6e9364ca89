//! The permutation engine behind the sign-flip and swap tests: exact
//! enumeration of all `2ⁿ` flips for small `n`, otherwise a Monte Carlo
//! sample of flips from SplitMix64 with a fixed seed.

use super::bootstrap::SplitMix64;
use super::hypothesis::{Alternative, Method, TestResult};

/// The largest `n` whose `2ⁿ` flips are ever enumerated, whatever
/// [`Resampling::exact_max_n`] asks for (2²⁴ ≈ 1.7·10⁷ evaluations).
pub const EXACT_ENUMERATION_CAP: usize = 24;

/// How a permutation test draws its null distribution.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Resampling {
    /// Enumerate all `2ⁿ` flips when `n ≤ exact_max_n` (capped at
    /// [`EXACT_ENUMERATION_CAP`]); otherwise draw `resamples` at random.
    pub exact_max_n: usize,
    /// Number `R` of random flips of a Monte Carlo test.
    pub resamples: usize,
    /// Seed of the SplitMix64 generator of a Monte Carlo test.
    pub seed: u64,
}

impl Resampling {
    /// Exact up to `n = 20` (2²⁰ ≈ 10⁶ flips), else `R = 99 999` random
    /// flips from seed `0x5EED`: the Monte Carlo p-value's standard error is
    /// at most `0.5/√R ≈ 0.0016` (≈ 0.0003 near p = 0.01).
    pub const DEFAULT: Self = Self { exact_max_n: 20, resamples: 99_999, seed: 0x5EED };
}

impl Default for Resampling {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// One-sample sign-flip permutation test of `values` against a
/// distribution symmetric about 0. Statistic: the mean `t = (Σ_i x_i)/n`;
/// null: `T* = (Σ_i s_i x_i)/n` with independent signs `s_i = ±1`.
///
/// Exact (all `2ⁿ` sign vectors, `p = #{T* ≥ t}/2ⁿ`) when
/// `n ≤ resampling.exact_max_n`, otherwise Monte Carlo
/// (`p = (1 + #{T* ≥ t})/(1 + R)`, unit `i` of a draw flipped when bit
/// `i mod 64` of its `⌊i/64⌋`-th SplitMix64 word is set). As
/// `scipy.stats.permutation_test`, `T* ≥ t` is tested as `T* ≥ t − γ` (and
/// `T* ≤ t` as `T* ≤ t + γ`) with `γ = 100·ε·|t|`; two-sided is
/// `min(1, 2·min(p_greater, p_less))`. `None` for empty or non-finite input.
pub fn sign_flip_test(
    values: &[f64],
    alternative: Alternative,
    resampling: &Resampling,
) -> Option<TestResult> {
    if values.is_empty() || values.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let n = values.len();
    let stat = |flip: &[bool]| {
        let s: f64 = values.iter().zip(flip).map(|(&v, &f)| if f { -v } else { v }).sum();
        s / n as f64
    };
    Some(flip_test(n, stat, alternative, resampling))
}

/// A permutation test whose null flips each of `n` units independently
/// (a sign flip, or a swap within a pair): `stat(flip)` is the statistic
/// with unit `i` flipped where `flip[i]`; the observed value is
/// `stat(&[false; n])`.
///
/// * **Exact** when `n ≤ min(exact_max_n, EXACT_ENUMERATION_CAP)`: every
///   `flip` pattern `k = 0 … 2ⁿ − 1` (unit `i` flipped when bit `i` of `k` is
///   set); `p_greater = #{T* ≥ t}/2ⁿ`, `p_less = #{T* ≤ t}/2ⁿ`.
/// * **Monte Carlo** otherwise: `R` patterns, unit `i` of a pattern flipped
///   when bit `i mod 64` of the `⌊i/64⌋`-th SplitMix64 word drawn for it is
///   set; `p_greater = (1 + #{T* ≥ t})/(1 + R)` (the observed pattern counts
///   as one of the draws, so `p > 0`), likewise `p_less`.
///
/// Ties: as `scipy.stats.permutation_test`, `T* ≥ t` is tested as
/// `T* ≥ t − γ` and `T* ≤ t` as `T* ≤ t + γ` with `γ = 100·ε·|t|`, so values
/// equal in exact arithmetic but not in floating point count as ties. With
/// `t = ±∞` the comparison is exact (`∞ ≥ ∞`). Two-sided:
/// [`Alternative::p_from_tails`].
pub(super) fn flip_test(
    n: usize,
    mut stat: impl FnMut(&[bool]) -> f64,
    alternative: Alternative,
    resampling: &Resampling,
) -> TestResult {
    let mut flip = vec![false; n];
    let observed = stat(&flip);
    let gamma = if observed.is_finite() { 100.0 * f64::EPSILON * observed.abs() } else { 0.0 };
    let (mut ge, mut le) = (0usize, 0usize);
    let mut count = |v: f64| {
        ge += usize::from(v >= observed - gamma);
        le += usize::from(v <= observed + gamma);
    };
    let exact = n <= resampling.exact_max_n.min(EXACT_ENUMERATION_CAP);
    let (p_greater, p_less, method) = if exact {
        let total = 1usize << n;
        for k in 0..total {
            for (i, f) in flip.iter_mut().enumerate() {
                *f = (k >> i) & 1 == 1;
            }
            count(stat(&flip));
        }
        (ge as f64 / total as f64, le as f64 / total as f64, Method::ExactPermutation)
    } else {
        let r = resampling.resamples;
        let mut rng = SplitMix64::new(resampling.seed);
        for _ in 0..r {
            let mut word = 0u64;
            for (i, f) in flip.iter_mut().enumerate() {
                if i % 64 == 0 {
                    word = rng.next_u64();
                }
                *f = (word >> (i % 64)) & 1 == 1;
            }
            count(stat(&flip));
        }
        let denom = (r + 1) as f64;
        let method = Method::MonteCarlo { resamples: r, seed: resampling.seed };
        ((ge + 1) as f64 / denom, (le + 1) as f64 / denom, method)
    };
    TestResult {
        n,
        statistic: observed,
        df: None,
        p: alternative.p_from_tails(p_greater, p_less),
        alternative,
        method,
    }
}
