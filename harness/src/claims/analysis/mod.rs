//! From run records to verdicts: each claim's per-seed measures, its
//! primary test (components combined as an intersection–union test),
//! Holm–Bonferroni across claims, the verdict and the claim's figure.
//!
//! Each claim's analysis is one function, named after the claim, that its
//! registry entry ([`Claim::measure`](super::registry::Claim)) points at:
//! the claims on the paper's configuration in `base_plan`, the claims on
//! a sweep of one factor in `sweeps`.

pub(crate) mod base_plan;
mod component;
pub(crate) mod figure;
mod levels;
mod measures;
pub(crate) mod sweeps;
mod table;
mod verdict;

pub use component::{Component, paired, slope, tost};
pub(crate) use measures::{early_speed, epochs_to, loss_rise, overall_speed, plateau, update_early};
pub use table::Table;
pub use verdict::{Direction, Verdict, combine, verdict};

use super::registry::{CLAIMS, Claim};
use crate::plot::Scene;
use crate::stats;
use serde::Serialize;

/// One claim's outcome.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClaimResult {
    /// The registry entry.
    pub claim: Claim,
    /// The primary test's parts (empty when not run).
    pub components: Vec<Component>,
    /// The primary p (before correction).
    pub p: f64,
    /// Holm-adjusted across every run claim.
    pub p_holm: f64,
    /// Which way the primary test points.
    pub direction: Direction,
    /// The verdict.
    pub verdict: Verdict,
    /// Secondary statistics (no part of the verdict).
    pub secondary: Vec<Component>,
    /// Plain-text notes (counts, per-level means).
    pub notes: Vec<String>,
    /// The figure's file stem (`fig-<id>`), when there is one.
    pub figure: Option<String>,
}

/// What one claim's analysis gives before correction.
pub(crate) struct Raw {
    /// The primary test's parts.
    components: Vec<Component>,
    /// Secondary statistics.
    secondary: Vec<Component>,
    /// Plain-text notes.
    notes: Vec<String>,
    /// The claim's figure.
    figure: Scene,
}

/// A claim's analysis: its tests, notes and figure from every run; `None`
/// when a plan it needs is not in the table. Two are equal when they are
/// the same function.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Measure(pub(crate) fn(&Table<'_>) -> Option<Raw>);

impl PartialEq for Measure {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::fn_addr_eq(self.0, other.0)
    }
}

/// Analyses every claim of the registry; Holm across the run ones.
pub(crate) fn analyse(t: &Table<'_>) -> Vec<(ClaimResult, Option<Scene>)> {
    // No claim is analysed without the base plan.
    let base = t.plan("base").is_some();
    let raws: Vec<Option<Raw>> =
        CLAIMS.iter().map(|c| if c.not_run.is_some() || !base { None } else { (c.measure.0)(t) }).collect();
    let prim: Vec<(f64, Direction)> = raws
        .iter()
        .map(|r| r.as_ref().map_or((f64::NAN, Direction::Claimed), |r| combine(&r.components)))
        .collect();
    let holm = stats::holm(&prim.iter().map(|p| p.0).collect::<Vec<_>>());
    CLAIMS
        .iter()
        .zip(raws)
        .zip(prim.iter().zip(holm))
        .map(|((c, raw), (&(p, direction), p_holm))| match raw {
            None => (
                ClaimResult {
                    claim: *c,
                    components: Vec::new(),
                    p: f64::NAN,
                    p_holm: f64::NAN,
                    direction,
                    verdict: Verdict::NotRun,
                    secondary: Vec::new(),
                    notes: c.not_run.map(|s| vec![format!("Not run: {s}.")]).unwrap_or_default(),
                    figure: None,
                },
                None,
            ),
            Some(r) => (
                ClaimResult {
                    claim: *c,
                    components: r.components,
                    p,
                    p_holm,
                    direction,
                    verdict: verdict(p_holm, direction),
                    secondary: r.secondary,
                    notes: r.notes,
                    figure: Some(format!("fig-{}", c.id)),
                },
                Some(r.figure),
            ),
        })
        .collect()
}
