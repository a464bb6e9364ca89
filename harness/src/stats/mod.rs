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
//!   unit tests, the claims' tests in `harness/tests/claims.rs`.

mod bootstrap;
mod correction;
mod describe;
mod distributions;
mod format;
mod rank_tests;
mod spread;
mod t_tests;

pub use bootstrap::bootstrap_ci;
pub(crate) use bootstrap::bootstrap_mean_ci;
pub use correction::holm;
pub(crate) use describe::{max, mean, median, min, quantile, std_dev};
pub use distributions::{normal_sf, t_sf};
pub(crate) use format::{format_p, p_value_text};
pub use rank_tests::{Kruskal, Wilcoxon, kruskal_wallis, wilcoxon_signed_rank};
pub use spread::{BfTest, PairSpread};
pub(crate) use spread::{brown_forsythe, pairwise_spread};
pub use t_tests::{Slope, TTest, Tost, ols_slope, paired_t, tost_paired};

#[cfg(test)]
mod tests;
