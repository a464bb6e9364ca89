//! Version 2's analysis: from run records to verdicts. Each claim's
//! analysis is one function, named after the claim, that its registry entry
//! points at (`base_plan` for the paper's configuration, `sweeps` for the
//! sweeps); its parts ([`Part`]) each give a one-sided p for and against
//! the claim; [`analyse_runs`] combines them as the verdict rule says
//! ([`registry::VERDICT_RULE`](super::registry::VERDICT_RULE)).

pub(crate) mod base_plan;
mod measures;
pub(crate) mod mechanism;
mod parts;
pub(crate) mod sweeps;
mod variability;

pub use parts::Part;

use super::registry::{ALPHA, CLAIMS, Claim};
use crate::claims::analysis::{Direction, Table, Verdict};
use crate::plot::Scene;
use crate::stats;
use serde::Serialize;

/// One claim's outcome under version 2.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClaimResult {
    /// The registry entry.
    pub claim: Claim,
    /// The primary test's parts (empty when not run).
    pub parts: Vec<Part>,
    /// The claim's p for it: the largest part's p for (intersection–union).
    pub p_for: f64,
    /// The claim's p against it: the smallest part's p against after Holm
    /// within the claim's parts.
    pub p_against: f64,
    /// `p_for`, Holm-adjusted across every claim run.
    pub p_for_holm: f64,
    /// `p_against`, Holm-adjusted across every claim run (the second family).
    pub p_against_holm: f64,
    /// Which way the evidence points (`p_for ≤ p_against`: claimed).
    pub direction: Direction,
    /// The verdict.
    pub verdict: Verdict,
    /// Secondary statistics (no part of the verdict).
    pub secondary: Vec<Part>,
    /// Plain-text notes (counts, per-level means).
    pub notes: Vec<String>,
    /// The figure's file stem (`fig-<id>`), when there is one.
    pub figure: Option<String>,
}

/// What one claim's analysis gives before correction.
pub(crate) struct Raw {
    /// The primary test's parts.
    pub parts: Vec<Part>,
    /// Secondary statistics.
    pub secondary: Vec<Part>,
    /// Plain-text notes.
    pub notes: Vec<String>,
    /// The claim's figure.
    pub figure: Scene,
}

/// A claim's analysis: its parts, notes and figure from every run; `None`
/// when a plan it needs is not in the table (or the claim is not testable
/// with its levels). Two are equal when they are the same function.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Measure(pub(crate) fn(&Table<'_>) -> Option<Raw>);

impl PartialEq for Measure {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::fn_addr_eq(self.0, other.0)
    }
}

/// A claim's p for and against from its parts: the largest `p_for`
/// (every part must hold) and the smallest Holm-adjusted (within the parts)
/// `p_against`.
pub fn combine(parts: &[Part]) -> (f64, f64) {
    let p_for = parts.iter().map(|p| p.p_for).fold(0.0, f64::max);
    let against = stats::holm(&parts.iter().map(|p| p.p_against).collect::<Vec<_>>());
    let p_against = against.into_iter().filter(|p| p.is_finite()).fold(1.0, f64::min);
    (p_for, p_against)
}

/// The verdict from the Holm-adjusted p for and against: supported when
/// only the first is below α, contradicted when only the second is, else
/// inconclusive.
pub fn verdict(p_for_holm: f64, p_against_holm: f64) -> Verdict {
    match (p_for_holm < ALPHA, p_against_holm < ALPHA) {
        (true, false) => Verdict::Supported,
        (false, true) => Verdict::Contradicted,
        _ => Verdict::Inconclusive,
    }
}

/// One claim decided on its own, as [`analyse_runs`] would with no other claim
/// run (Holm over one claim changes nothing).
#[derive(Clone, Debug, PartialEq)]
pub struct Decision {
    /// The primary test's parts.
    pub parts: Vec<Part>,
    /// The claim's p for it.
    pub p_for: f64,
    /// The claim's p against it.
    pub p_against: f64,
    /// The verdict.
    pub verdict: Verdict,
}

/// Decides the claim `id` of version 2 on its own from the runs `records`
/// of `plans` (with their data `prepared`); `None` for an unknown id, a
/// claim not run, or runs that lack a plan it needs. Records must hold
/// counts ([`RunRecord::counts`](crate::claims::RunRecord)).
pub fn decide(
    id: &str,
    plans: &[crate::claims::Plan],
    prepared: &[Vec<crate::claims::Prepared>],
    records: &[crate::claims::RunRecord],
) -> Option<Decision> {
    let claim = CLAIMS.iter().find(|c| c.id == id)?;
    if claim.not_run.is_some() {
        return None;
    }
    let t = Table::new(plans, prepared, records);
    let raw = (claim.measure.0)(&t)?;
    let (p_for, p_against) = combine(&raw.parts);
    Some(Decision { verdict: verdict(p_for, p_against), parts: raw.parts, p_for, p_against })
}

/// Every claim of version 2 decided from the runs `records` of `plans`
/// (Holm across the claims run), without writing files: version 2 applied
/// to any runs whose records hold counts (a version 1 record's can be
/// recovered with [`Counts::recover`](crate::claims::Counts::recover)) —
/// on runs other than its confirmatory run's, a sensitivity analysis only.
pub fn analyse_runs(
    plans: &[crate::claims::Plan],
    prepared: &[Vec<crate::claims::Prepared>],
    records: &[crate::claims::RunRecord],
) -> Vec<ClaimResult> {
    analyse(&Table::new(plans, prepared, records)).into_iter().map(|(r, _)| r).collect()
}

/// Analyses every claim of version 2; Holm across the claims run, once for
/// the p for and once for the p against.
pub(crate) fn analyse(t: &Table<'_>) -> Vec<(ClaimResult, Option<Scene>)> {
    analyse_claims(CLAIMS, t)
}

/// [`analyse`] of a list of claims.
pub(crate) fn analyse_claims(claims: &[Claim], t: &Table<'_>) -> Vec<(ClaimResult, Option<Scene>)> {
    let base = t.plan("base").is_some();
    let raws: Vec<Option<Raw>> =
        claims.iter().map(|c| if c.not_run.is_some() || !base { None } else { (c.measure.0)(t) }).collect();
    let ps: Vec<(f64, f64)> =
        raws.iter().map(|r| r.as_ref().map_or((f64::NAN, f64::NAN), |r| combine(&r.parts))).collect();
    let for_holm = stats::holm(&ps.iter().map(|p| p.0).collect::<Vec<_>>());
    let against_holm = stats::holm(&ps.iter().map(|p| p.1).collect::<Vec<_>>());
    claims
        .iter()
        .zip(raws)
        .enumerate()
        .map(|(k, (c, raw))| {
            let (p_for, p_against) = ps[k];
            let direction = if p_for <= p_against { Direction::Claimed } else { Direction::Opposite };
            match raw {
                None => (
                    ClaimResult {
                        claim: *c,
                        parts: Vec::new(),
                        p_for: f64::NAN,
                        p_against: f64::NAN,
                        p_for_holm: f64::NAN,
                        p_against_holm: f64::NAN,
                        direction: Direction::Claimed,
                        verdict: Verdict::NotRun,
                        secondary: Vec::new(),
                        notes: vec![format!(
                            "Not run: {}.",
                            c.not_run.unwrap_or(
                                "a plan it needs is not in this run, or its levels cannot test it"
                            )
                        )],
                        figure: None,
                    },
                    None,
                ),
                Some(r) => (
                    ClaimResult {
                        claim: *c,
                        parts: r.parts,
                        p_for,
                        p_against,
                        p_for_holm: for_holm[k],
                        p_against_holm: against_holm[k],
                        direction,
                        verdict: verdict(for_holm[k], against_holm[k]),
                        secondary: r.secondary,
                        notes: r.notes,
                        figure: Some(format!("fig-{}", c.id)),
                    },
                    Some(r.figure),
                ),
            }
        })
        .collect()
}
