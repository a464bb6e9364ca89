//! What a hypothesis test returns: the alternative it was asked about, the
//! statistic, the p-value and which path computed it (an exact null
//! distribution, a full or Monte Carlo permutation, or an asymptotic
//! approximation).

/// The alternative hypothesis of a directional or two-sided test.
///
/// For a statistic `T` with observed value `t` and null distribution `T*`:
/// `Greater` gives `P(T* ≥ t)`, `Less` gives `P(T* ≤ t)` and `TwoSided`
/// gives `min(1, 2·min(P(T* ≥ t), P(T* ≤ t)))` — SciPy's convention for
/// `alternative="greater" | "less" | "two-sided"` in its exact and
/// permutation tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Alternative {
    /// The statistic is larger than under the null (e.g. `a > b`, an
    /// increasing trend).
    Greater,
    /// The statistic is smaller than under the null.
    Less,
    /// Either direction.
    TwoSided,
}

impl Alternative {
    /// SciPy's name: `"greater"`, `"less"`, `"two-sided"`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Greater => "greater",
            Self::Less => "less",
            Self::TwoSided => "two-sided",
        }
    }

    /// The alternative after the statistic's sign (or the order of the two
    /// samples) is reversed: `Greater ↔ Less`, `TwoSided` stays.
    pub fn reversed(self) -> Self {
        match self {
            Self::Greater => Self::Less,
            Self::Less => Self::Greater,
            Self::TwoSided => Self::TwoSided,
        }
    }

    /// The p-value for this alternative from the two tail probabilities
    /// `p_greater = P(T* ≥ t)` and `p_less = P(T* ≤ t)`; two-sided is
    /// `min(1, 2·min(p_greater, p_less))`.
    pub fn p_from_tails(self, p_greater: f64, p_less: f64) -> f64 {
        match self {
            Self::Greater => p_greater.min(1.0),
            Self::Less => p_less.min(1.0),
            Self::TwoSided => (2.0 * p_greater.min(p_less)).min(1.0),
        }
    }
}

/// Which computation produced a [`TestResult`]'s p-value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// The statistic's exact null distribution (e.g. Wilcoxon's signed-rank
    /// distribution without ties, Page's L for small tables).
    Exact,
    /// Every permutation of the null (e.g. all `2ⁿ` sign flips) was
    /// enumerated, or its distribution computed exactly: `p = #{T* ≥ t}/#all`.
    ExactPermutation,
    /// A Monte Carlo permutation test: `resamples` random permutations drawn
    /// from SplitMix64 seeded with `seed`; `p = (1 + #{T* ≥ t})/(1 + R)`.
    MonteCarlo {
        /// Number of random permutations `R`.
        resamples: usize,
        /// The generator's seed.
        seed: u64,
    },
    /// A reference distribution that holds approximately (normal,
    /// chi-square, or Student's t with approximate degrees of freedom).
    Asymptotic,
}

impl Method {
    /// A short label for tables: `exact`, `exact permutation`,
    /// `permutation (R = 99999)`, `asymptotic`.
    pub fn label(&self) -> String {
        match self {
            Self::Exact => "exact".into(),
            Self::ExactPermutation => "exact permutation".into(),
            Self::MonteCarlo { resamples, .. } => format!("permutation (R = {resamples})"),
            Self::Asymptotic => "asymptotic".into(),
        }
    }
}

/// The result of a test in this module: statistic, p-value, and how it was
/// computed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TestResult {
    /// Number of units the test used (e.g. seeds, non-zero differences,
    /// blocks).
    pub n: usize,
    /// The test statistic; each test's doc says which one.
    pub statistic: f64,
    /// Degrees of freedom of an asymptotic chi-square or t reference
    /// distribution; `None` otherwise.
    pub df: Option<f64>,
    /// The p-value for [`alternative`](Self::alternative), in `[0, 1]`.
    pub p: f64,
    /// The alternative the p-value is for.
    pub alternative: Alternative,
    /// How the p-value was computed.
    pub method: Method,
}
