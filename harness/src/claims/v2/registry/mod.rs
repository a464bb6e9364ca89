//! The second registration of the claims: every constant, scale, decision
//! rule and claim of version 2, fixed in code before any run of it. Changing
//! anything here after a run voids that run's verdicts: the source hash in
//! `plan.json` changes with it ([`super::source_hash`]), so a folder of the
//! old registry is another study. The changes from version 1, one line each
//! with what was seen and why, are in `../CHANGES.md`.

mod claims;

pub use claims::CLAIMS;

use super::analysis::Measure;
use crate::claims::registry::Scale;
use crate::stats::Resampling;

/// Family-wise α of each of the two families (for and against the claims).
pub(crate) const ALPHA: f64 = 0.05;
/// Equivalence margin of "similar plateaus" (r4) and of "at least as fast"
/// (r1): ±1 accuracy point.
pub(crate) const EQUIVALENCE_MARGIN: f64 = 0.01;
/// "Early" training: epochs 1–25.
pub(crate) const EARLY_WINDOW: usize = 25;
/// "The first several epochs" (r3, d1, d1b): epochs 1–10.
pub(crate) const SPREAD_WINDOW: usize = 10;
/// The plateau: the last 25 epochs.
pub(crate) const PLATEAU_WINDOW: usize = 25;
/// A run fails when its training accuracy never reaches this fraction of
/// the way from chance to the ceiling.
pub(crate) const FAILURE_FRACTION: f64 = 0.5;
/// "Target performance" (c1): this fraction of the way from chance to the ceiling.
pub(crate) const TARGET_FRACTION: f64 = 0.9;
/// "Steadily decreasing" (r1): the training loss's total upward movement is
/// at most this fraction of its descent from epoch 1 to its lowest value.
pub(crate) const STEADY_RISE: f64 = 0.01;
/// "Stabilization" (r1b): the first epoch from which every epoch-to-epoch
/// change of the training loss is smaller than this fraction of its value at
/// epoch 1.
pub(crate) const STABLE_STEP: f64 = 0.01;
/// r6 measures the boundary only between grid points within this distance
/// (about one noise standard deviation of the moons, 0.18) of a training or
/// validation point.
pub const BOUNDARY_NEAR_DATA: f64 = 0.2;
/// "Deeper networks" (d2): 8 hidden layers or more.
pub(crate) const DEEP_MIN_HIDDEN: usize = 8;
/// "Shallow-to-moderate depth" (d3): 3 hidden layers or fewer.
pub(crate) const SHALLOW_MAX_HIDDEN: usize = 3;
/// "The fixed Adam learning rate" (d5): the paper's.
pub(crate) const PAPER_LEARNING_RATE: f64 = 1e-3;
/// Confidence of every interval.
pub(crate) const CONFIDENCE: f64 = 0.95;
/// Bootstrap resamples of every (BCa) interval.
pub(crate) const BOOTSTRAP_RESAMPLES: usize = 10_000;
/// Seed of every bootstrap.
pub(crate) const BOOTSTRAP_SEED: u64 = 0x00C1_A1B2;
/// Every permutation test: exact up to 20 units, else 99 999 random
/// permutations from this seed.
pub(crate) const RESAMPLING: Resampling =
    Resampling { exact_max_n: 20, resamples: 99_999, seed: 0x5EED_C1A2 };
/// The first model seed of version 2 (version 1 used seeds below 40): plan
/// `k` (in the order base, fan-in, depth, width, task, lr, norm) uses the
/// seeds `FIRST_SEED·(k + 1) + i` at the development scales (quick, tiny)
/// and `FIRST_SEED·(k + 1) + CONFIRMATORY_OFFSET + i` at the confirmatory
/// ones (full, extended), so no two plans share a run's draws and no
/// development run (CI's, or one made while writing this registry) has seen
/// a confirmatory run's seeds — a shorter run of a seed is a prefix of the
/// longer one.
pub const FIRST_SEED: u64 = 1000;
/// Where the confirmatory scales' seeds start within each plan's block.
pub const CONFIRMATORY_OFFSET: u64 = 500;

/// The factors, levels and seeds of a [`Scale`] in version 2.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Spec {
    /// Model seeds of the paper-configuration plan (`base`).
    pub base_seeds: u64,
    /// Model seeds of every sweep (fan-in, depth, width, task, lr).
    pub sweep_seeds: u64,
    /// Model seeds of the normalization plan.
    pub norm_seeds: u64,
    /// The first seed of each plan, in plan order.
    pub first_seeds: Vec<(&'static str, u64)>,
    /// Epochs of every run.
    pub epochs: usize,
    /// Input dimensions of the fan-in sweep (the embedding).
    pub input_dims: Vec<usize>,
    /// Hidden layers (width 64) of the depth sweep.
    pub depths: Vec<usize>,
    /// Widths (3 hidden layers) of the width sweep.
    pub widths: Vec<usize>,
    /// Data sets of the task sweep, in increasing complexity.
    pub tasks: Vec<&'static str>,
    /// Learning rates of the learning-rate sweep.
    pub learning_rates: Vec<f64>,
}

/// The plans in their fixed order (their seed blocks follow it).
pub const PLAN_ORDER: [&str; 7] = ["base", "fan-in", "depth", "width", "task", "lr", "norm"];

/// The levels and seeds of `scale`. The full run has ≥ 30 seeds in every
/// sweep and 40 in the base and normalization plans; its levels are version
/// 1's.
pub fn spec(scale: Scale) -> Spec {
    let offset = if matches!(scale, Scale::Full | Scale::Extended) { CONFIRMATORY_OFFSET } else { 0 };
    let first_seeds =
        PLAN_ORDER.iter().enumerate().map(|(k, &p)| (p, FIRST_SEED * (k as u64 + 1) + offset)).collect();
    match scale {
        Scale::Extended => Spec { widths: vec![16, 32, 64, 128, 256, 512], ..spec(Scale::Full) },
        Scale::Full => Spec {
            base_seeds: 40,
            sweep_seeds: 30,
            norm_seeds: 40,
            first_seeds,
            epochs: 250,
            input_dims: vec![2, 4, 8, 16, 32, 64, 128],
            depths: vec![1, 2, 3, 4, 6, 8, 12, 16],
            widths: vec![16, 32, 64, 128],
            tasks: vec!["moons", "circles", "xor", "spirals:3"],
            learning_rates: vec![1e-4, 3e-4, 1e-3, 3e-3, 1e-2],
        },
        Scale::Quick => Spec {
            base_seeds: 12,
            sweep_seeds: 8,
            norm_seeds: 12,
            first_seeds,
            epochs: 100,
            input_dims: vec![2, 16, 64],
            depths: vec![1, 3, 8],
            widths: vec![16, 64],
            tasks: vec!["moons", "xor", "spirals:3"],
            learning_rates: vec![3e-4, 1e-3, 3e-3],
        },
        Scale::Tiny => Spec {
            base_seeds: 4,
            sweep_seeds: 3,
            norm_seeds: 4,
            first_seeds,
            epochs: 12,
            input_dims: vec![2, 8],
            depths: vec![1, 8],
            widths: vec![16, 32],
            tasks: vec!["moons", "xor"],
            learning_rates: vec![1e-3, 3e-3],
        },
    }
}

impl Spec {
    /// The model seeds of plan `id`.
    pub fn seeds(&self, id: &str) -> Vec<u64> {
        let first = self.first_seeds.iter().find(|(p, _)| *p == id).map_or(FIRST_SEED, |&(_, s)| s);
        let n = match id {
            "base" => self.base_seeds,
            "norm" => self.norm_seeds,
            _ => self.sweep_seeds,
        };
        (first..first + n).collect()
    }
}

/// One claim of the paper and how version 2 tests it.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Claim {
    /// Machine name, as in version 1 (`r1-glorot-early-speed`; `m` for the
    /// mechanism claims).
    pub id: &'static str,
    /// The paper's section.
    pub section: &'static str,
    /// The paper's sentence, quoted verbatim.
    pub quote: &'static str,
    /// The experiment: plan, factors, levels, seeds.
    pub experiment: &'static str,
    /// The primary measure and test, with the claimed direction.
    pub primary: &'static str,
    /// The pre-registered decision rule.
    pub rule: &'static str,
    /// Secondary statistics (reported, not part of the verdict).
    pub secondary: &'static str,
    /// The figure's caption: what to look for.
    pub caption: &'static str,
    /// Why the claim is not run, when it is not.
    pub not_run: Option<&'static str>,
    /// Its analysis (one function per claim, in [`super::analysis`]).
    #[serde(skip)]
    pub(crate) measure: Measure,
}

/// The verdict rule shared by every claim.
pub const VERDICT_RULE: &str = "Each claim has one primary test, named here before any run; each of its parts gives two \
one-sided p-values, one for the claim (the effect the claimed way) and one against it (the other way). A claim of several \
parts that must all hold (\"A and B\") is an intersection–union test: its p for the claim is the largest of its parts' p \
for; its p against is the smallest of its parts' p against after Holm's adjustment within the claim's parts. A part that \
holds when either of two components does (variability: a wider spread or more failures) takes twice the smaller \
component p, each way (Holm within the part). Across claims, Holm–Bonferroni adjusts the p for of every claim run \
(family-wise α = 0.05) and, as a second family, the p against. Supported: adjusted p for < α. Contradicted: adjusted p \
against < α. Neither, or both (possible only when a variability part's two components point opposite ways): \
inconclusive. A non-directional part (Friedman) has no p against (1). Claims not run take no part in either family.";

/// How variability is measured, and how a regime where every seed is stuck counts.
pub const VARIABILITY_RULE: &str = "Variability has two components. Spread: the across-seed standard deviation of a \
per-seed measure, compared by a paired SD-ratio permutation test (within each seed the two initializers' values are \
swapped at random), every run included. Failures: a run fails when its training accuracy never reaches 50% of the way \
from chance to the ceiling; the two initializers' failure rates are compared by the exact McNemar test (the sign test \
of the paired failure indicators). An initializer whose every run failed has no spread to measure: its spread \
component is void (p = 1 both ways) and it counts as failing at every seed, so a regime where every seed is stuck \
supports \"more variable\" through the failures and never contradicts it through a zero SD. In a sweep each component \
is a per-seed slope across the levels (sign-flip test of the mean slope): of the failure indicators' difference, and \
of the squared deviations' difference (a seed's share of the variance), leaving out of the latter a level where \
either initializer's every run failed.";
