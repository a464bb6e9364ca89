//! Statistics, all in one place: descriptive statistics, percentile
//! bootstraps, the distribution functions, the Brown–Forsythe test of spread,
//! the rank and t tests of the claims, Holm–Bonferroni and p-value text.
//!
//! Used to summarise the weight-initialization study (for each initializer,
//! the final validation accuracies of N seeds) and to test the claims.
//!
//! Conventions shared by every function in this module:
//!
//! * **Determinism.** Sums are accumulated left to right in input order (or in
//!   sorted order where stated), so the same input always gives bit-identical
//!   output. The bootstraps draw from a self-contained SplitMix64 generator
//!   seeded by the caller; there is no global state.
//! * **Empty input** gives `NaN` (or `None` where the return type is an
//!   `Option`); nothing panics on user data.
//! * **Inputs are assumed finite.** Sorting uses [`f64::total_cmp`], so `NaN`
//!   never panics, but results involving `NaN`/`inf` data are not meaningful.
//!   `brown_forsythe` explicitly returns `None` for non-finite data.
//! * **Reference values.** Every test is checked against NumPy or SciPy: the
//!   descriptive statistics, the bootstrap and Brown–Forsythe in this module's
//!   unit tests, the claims' tests in `harness/tests/claims.rs`. Each
//!   routine below has its tests in `stats/<routine>/tests.rs`, whose
//!   reference values the script `harness/tests/reference/stats_v2.py`
//!   prints (the command is in each test file).
//!
//! # Exact, permutation and robust tests
//!
//! Every test returns a [`TestResult`] (statistic, p-value, the
//! [`Alternative`] it answers, and the [`Method`] that computed it: exact,
//! exact permutation, Monte Carlo permutation or asymptotic), or a struct
//! holding one, or `None` for degenerate input.
//!
//! | item | what |
//! | --- | --- |
//! | [`Alternative`], [`Method`], [`TestResult`] | a test's question and answer |
//! | [`Resampling`] (`DEFAULT`: exact to n = 20, else R = 99 999, seed `0x5EED`), [`sign_flip_test`] | the permutation engine; one-sample sign-flip test of a mean |
//! | [`signed_rank_test`] | Wilcoxon signed-rank: exact (no ties, n ≤ 50), exact permutation of mid-ranks (ties, n ≤ 50), Monte Carlo (n > 50); zeros dropped |
//! | [`friedman`] | Friedman's χ² (blocks = seeds, treatments = levels), tie-corrected |
//! | [`page_trend`] | Page's L for an ordered trend, exact or normal as SciPy's `auto` |
//! | [`seed_slopes`], [`mean_slope_test`] | each seed's OLS slope; sign-flip test of their mean |
//! | [`ln_sd_ratio`], [`sd_ratio_test`] | `ln(SD(a)/SD(b))` on the extended reals; paired swap permutation test |
//! | [`bootstrap_bca`], [`BcaInterval`] | BCa interval of a paired statistic, infinite resamples counted |
//! | [`yuen_paired`], [`yuen_tost`], [`YUEN_TRIM`] | Yuen's paired trimmed-mean test and its TOST |
//! | [`holm`], [`holm_by_family`] | Holm–Bonferroni over one family, or within each family |
//! | [`Accuracy`] | an accuracy as `correct` of `of`, compared exactly |

mod accuracy;
mod bca;
mod bootstrap;
mod correction;
mod describe;
mod distributions;
mod format;
mod friedman;
mod hypothesis;
mod page;
mod permutation;
mod rank_tests;
mod sd_ratio;
mod seed_slopes;
mod signed_rank;
mod spread;
mod t_tests;
mod yuen;

pub use accuracy::Accuracy;
pub use bca::{BcaInterval, bootstrap_bca};
pub use bootstrap::bootstrap_ci;
pub(crate) use bootstrap::bootstrap_mean_ci;
pub use correction::{holm, holm_by_family};
pub(crate) use describe::{max, mean, median, min, quantile, std_dev};
pub use distributions::{normal_sf, t_sf};
pub(crate) use format::{format_p, p_value_text};
pub use friedman::friedman;
pub use hypothesis::{Alternative, Method, TestResult};
pub use page::page_trend;
pub use permutation::{EXACT_ENUMERATION_CAP, Resampling, sign_flip_test};
pub use rank_tests::{Kruskal, Wilcoxon, kruskal_wallis, wilcoxon_signed_rank};
pub use sd_ratio::{ln_sd_ratio, sd_ratio_test};
pub use seed_slopes::{mean_slope_test, seed_slopes};
pub use signed_rank::{SIGNED_RANK_EXACT_MAX_N, signed_rank_test};
pub use spread::{BfTest, PairSpread};
pub(crate) use spread::{brown_forsythe, pairwise_spread};
pub use t_tests::{Slope, TTest, Tost, ols_slope, paired_t, tost_paired};
pub use yuen::{TrimmedTost, YUEN_TRIM, Yuen, yuen_paired, yuen_tost};

#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;
