//! From a claim's tests to its verdict: the intersection–union combination
//! of its components and the pre-registered decision rule.

use super::component::Component;
use crate::claims::registry::ALPHA;
use serde::Serialize;

/// Which way a primary test came out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// The way the paper claims.
    Claimed,
    /// The other way.
    Opposite,
}

/// Intersection–union combination of a claim's components: when every
/// component's evidence for the claim (`p_for`) is at least as strong as
/// the strongest evidence against it, the claim's p is the largest `p_for`
/// (every part must hold); otherwise it is the smallest `p_against`, in the
/// opposite direction.
pub fn combine(components: &[Component]) -> (f64, Direction) {
    let p_for = components.iter().map(|c| c.p_for).fold(0.0, f64::max);
    let p_against = components.iter().map(|c| c.p_against).fold(1.0, f64::min);
    if p_for <= p_against { (p_for, Direction::Claimed) } else { (p_against, Direction::Opposite) }
}

/// A claim's verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Significant after correction, the claimed way.
    Supported,
    /// Significant after correction, the other way.
    Contradicted,
    /// Not significant after correction.
    Inconclusive,
    /// No experiment (see the claim's reason).
    #[serde(rename = "not run")]
    NotRun,
}

impl Verdict {
    /// The word a table prints.
    pub(crate) fn word(self) -> &'static str {
        match self {
            Verdict::Supported => "supported",
            Verdict::Contradicted => "contradicted",
            Verdict::Inconclusive => "inconclusive",
            Verdict::NotRun => "not run",
        }
    }
}

/// The pre-registered rule: Holm-adjusted `p_holm < ALPHA` decides, the
/// direction says which way.
pub fn verdict(p_holm: f64, direction: Direction) -> Verdict {
    if p_holm.is_nan() || p_holm >= ALPHA {
        Verdict::Inconclusive
    } else if direction == Direction::Claimed {
        Verdict::Supported
    } else {
        Verdict::Contradicted
    }
}
