//! The claims registry: every checkable sentence of the paper, with its
//! section, the experiment that tests it, its one primary test and the
//! decision rule — all fixed in code before any run (pre-registration).
//! Changing a constant or a rule here after seeing results would void the
//! verdicts; the git history of this file is the record.

use super::analysis::{Measure, base_plan, sweeps};

/// Family-wise error rate: Holm–Bonferroni across every claim's primary test.
pub(crate) const ALPHA: f64 = 0.05;
/// Equivalence margin of "similar plateaus" (claim r4): ±1 accuracy point.
pub(crate) const EQUIVALENCE_MARGIN: f64 = 0.01;
/// "Early" training: the first 25 epochs (area under the training-accuracy
/// curve, relative parameter changes).
pub const EARLY_WINDOW: usize = 25;
/// "The first several epochs" of claim r3 (and the fan-in claims): epochs 1–10.
pub(crate) const SPREAD_WINDOW: usize = 10;
/// The plateau: mean training accuracy over the last 25 epochs.
pub(crate) const PLATEAU_WINDOW: usize = 25;
/// Bootstrap resamples of every confidence interval.
pub(crate) const BOOTSTRAP_RESAMPLES: usize = 10_000;
/// Seed of every bootstrap.
pub(crate) const BOOTSTRAP_SEED: u64 = 0x00C1_A135;
/// Decision-boundary proxy: the boundary's length on a `GRID × GRID` grid.
pub const BOUNDARY_GRID: usize = 101;
/// The grid's box, `((x_min, x_max), (y_min, y_max))`: the two moons with
/// their noise.
pub const BOUNDARY_BOX: ((f64, f64), (f64, f64)) = ((-1.5, 2.5), (-1.0, 1.5));
/// "Deeper networks" (claim d2): 8 hidden layers or more.
pub(crate) const DEEP_MIN_HIDDEN: usize = 8;
/// "Shallow-to-moderate depth" (claim d3): 3 hidden layers or fewer.
pub(crate) const SHALLOW_MAX_HIDDEN: usize = 3;
/// Per-seed values are rounded to this grain before differences are ranked,
/// so that equal accuracy differences (k/900 in f32) tie exactly.
pub(crate) const SNAP: f64 = 1e-9;

/// How big a claims run is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scale {
    /// The pre-registered run: ≥ 30 paired seeds for the Results claims.
    Full,
    /// The full run with the width sweep the paper's Discussion implies
    /// (16 … 512): about 20 minutes on 2 cores, for a cluster (`--shard`).
    Extended,
    /// Fewer seeds, levels and epochs, for CI (`--quick`).
    Quick,
    /// Smaller still, for the test suite.
    Tiny,
}

/// The factors and levels of a [`Scale`].
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ScaleSpec {
    /// Model seeds of the paper-configuration plan (Results claims).
    pub base_seeds: u64,
    /// Model seeds of every sweep (Discussion claims).
    pub sweep_seeds: u64,
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

impl Scale {
    /// The machine name.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Scale::Full => "full",
            Scale::Extended => "extended",
            Scale::Quick => "quick",
            Scale::Tiny => "tiny",
        }
    }

    /// The levels of this scale. The full run's widths stop at 128 (a
    /// 2-256-256-256-2 run costs ~5 s here, 512 ~25 s: the 15-minute
    /// budget); the extended run's go on to 256 and 512.
    pub fn spec(self) -> ScaleSpec {
        match self {
            Scale::Extended => ScaleSpec { widths: vec![16, 32, 64, 128, 256, 512], ..Scale::Full.spec() },
            Scale::Full => ScaleSpec {
                base_seeds: 40,
                sweep_seeds: 15,
                epochs: 250,
                input_dims: vec![2, 4, 8, 16, 32, 64, 128],
                depths: vec![1, 2, 3, 4, 6, 8, 12, 16],
                widths: vec![16, 32, 64, 128],
                tasks: vec!["moons", "circles", "xor", "spirals:3"],
                learning_rates: vec![1e-4, 3e-4, 1e-3, 3e-3, 1e-2],
            },
            Scale::Quick => ScaleSpec {
                base_seeds: 12,
                sweep_seeds: 5,
                epochs: 100,
                input_dims: vec![2, 16, 64],
                depths: vec![1, 3, 8],
                widths: vec![16, 64],
                tasks: vec!["moons", "xor", "spirals:3"],
                learning_rates: vec![3e-4, 1e-3, 3e-3],
            },
            Scale::Tiny => ScaleSpec {
                base_seeds: 4,
                sweep_seeds: 3,
                epochs: 12,
                input_dims: vec![2, 8],
                depths: vec![1, 8],
                widths: vec![16, 32],
                tasks: vec!["moons", "xor"],
                learning_rates: vec![1e-3, 3e-3],
            },
        }
    }
}

/// One claim of the paper and how it is tested.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Claim {
    /// Machine name (`r1-glorot-early-speed`): `r` Results, `d` Discussion,
    /// `c` Conclusion.
    pub id: &'static str,
    /// The paper's section.
    pub section: &'static str,
    /// The paper's sentence, quoted verbatim.
    pub quote: &'static str,
    /// The experiment: plan, factors, levels, seeds.
    pub experiment: &'static str,
    /// The primary statistic and test, with the claimed direction.
    pub primary: &'static str,
    /// The pre-registered decision rule.
    pub rule: &'static str,
    /// Secondary statistics (reported, not part of the verdict).
    pub secondary: &'static str,
    /// The figure's caption: what to look for.
    pub caption: &'static str,
    /// Why the claim is not run, when it is not.
    pub not_run: Option<&'static str>,
    /// Its analysis: the primary and secondary tests, notes and figure,
    /// from every run (one function per claim, in [`analysis`](super::analysis)).
    #[serde(skip)]
    pub(crate) measure: Measure,
}

/// The verdict rule shared by every claim.
pub const VERDICT_RULE: &str = "Each claim has one primary test, named here before any run. Its p-value is \
Holm–Bonferroni adjusted across all claims' primary tests (family-wise α = 0.05). Supported: adjusted p < α with \
the effect in the claimed direction. Contradicted: adjusted p < α with the effect in the opposite direction. \
Otherwise inconclusive. A claim made of several parts (\"A and B\") is an intersection–union test: its p for the \
claim is the largest of the parts' p-values when every part points the claimed way; when a part points the other \
way, the claim's p is the smallest such part's p, against the claim.";

/// Every claim, in the paper's order.
pub const CLAIMS: &[Claim] = &[
    Claim {
        id: "r1-glorot-early-speed",
        section: "3.1 Convergence Behavior",
        quote: "Glorot normal initialization exhibits both rapid early improvement in training accuracy and a smooth, steadily decreasing loss curve, accompanied by relatively tight variance bands across seeds.",
        experiment: "Plan `base` (the paper's configuration: two moons, 2-64-64-64-2, Adam lr 1e-3, full batch), inits small, glorot, he, paired by model seed.",
        primary: "Early speed = mean training accuracy over epochs 1–25 (area under the curve / 25). Two paired Wilcoxon signed-rank tests on per-seed differences: glorot − he > 0 and glorot − small > 0 (both required).",
        rule: "Supported if both differences are positive and the larger p, Holm-adjusted, is < 0.05; contradicted if either is significantly negative.",
        secondary: "Epochs to 50% of the way from chance to the ceiling (censored runs ranked last), glorot vs he and vs small.",
        caption: "Training accuracy over the first epochs (mean ± SD across seeds, each seed thin). Look for Glorot's curve rising first.",
        not_run: None,
        measure: Measure(base_plan::r1_glorot_early_speed),
    },
    Claim {
        id: "r1b-small-loss-oscillation",
        section: "3.1 Convergence Behavior",
        quote: "The corresponding loss curves display greater oscillation and delayed stabilization, indicating that the initial weight distribution yields gradients that interact less predictably with the optimizer",
        experiment: "Plan `base`, inits small and glorot, paired by seed.",
        primary: "Loss oscillation = Σ over epochs of max(0, loss_e − loss_{e−1}) (total upward movement of the training loss). Paired Wilcoxon: small − glorot > 0.",
        rule: "Supported if small − glorot > 0 with Holm-adjusted p < 0.05; contradicted if significantly < 0.",
        secondary: "The same for he − glorot.",
        caption: "Total upward movement of each seed's training loss, per initializer; lines join one seed's runs. Look for small normal above Glorot.",
        not_run: None,
        measure: Measure(base_plan::r1b_small_loss_oscillation),
    },
    Claim {
        id: "r2-small-slow-variable",
        section: "3.1 Convergence Behavior",
        quote: "In contrast, the small normal initialization (std = 0.01) shows slower early accuracy gains and wider inter-seed variability.",
        experiment: "Plan `base`, inits small and glorot, paired by seed.",
        primary: "Two parts, both required: (a) early speed (mean training accuracy, epochs 1–25), paired Wilcoxon small − glorot < 0; (b) inter-seed variability = each seed's mean absolute deviation of its training-accuracy curve from its initializer's per-epoch median curve (all epochs), paired Wilcoxon small − glorot > 0 (a paired Brown–Forsythe).",
        rule: "Supported if (a) is negative and (b) positive and the larger p, Holm-adjusted, is < 0.05; contradicted if either is significant the other way.",
        secondary: "Ratio of across-seed SDs of early speed (small / glorot) with a paired bootstrap 95% CI.",
        caption: "Across-seed SD of training accuracy per epoch. Look for small normal's curve above Glorot's.",
        not_run: None,
        measure: Measure(base_plan::r2_small_slow_variable),
    },
    Claim {
        id: "r3-he-early-variance",
        section: "3.1 Convergence Behavior",
        quote: "He normal initialization converges reliably but exhibits moderately greater variance than Glorot under these conditions, particularly during the first several epochs.",
        experiment: "Plan `base`, inits he and glorot, paired by seed.",
        primary: "Early variability = each seed's mean absolute deviation of training accuracy from its initializer's per-epoch median, epochs 1–10. Paired Wilcoxon: he − glorot > 0.",
        rule: "Supported if he − glorot > 0 with Holm-adjusted p < 0.05; contradicted if significantly < 0.",
        secondary: "Mean over epochs 1–10 of the SD ratio he / glorot with a paired bootstrap 95% CI; runs reaching 90% of the way to the ceiling (\"converges reliably\").",
        caption: "Across-seed SD of training accuracy in the first 25 epochs. Look for He's curve above Glorot's in epochs 1–10.",
        not_run: None,
        measure: Measure(base_plan::r3_he_early_variance),
    },
    Claim {
        id: "r4-similar-plateaus",
        section: "3.1 Convergence Behavior",
        quote: "Although all three strategies ultimately approach similar accuracy plateaus, the transient training dynamics differ meaningfully",
        experiment: "Plan `base`, inits small, glorot, he, paired by seed.",
        primary: "Plateau = mean training accuracy over the last 25 epochs. Paired TOST equivalence (two one-sided t tests) with margin ±0.01 (1 accuracy point) for each pair: glorot–he, glorot–small, he–small (all three required).",
        rule: "Supported if every pair is equivalent (largest TOST p, Holm-adjusted, < 0.05); contradicted if a pair's difference lies significantly beyond the margin; else inconclusive.",
        secondary: "The same TOST on final validation accuracy.",
        caption: "Plateau (mean training accuracy, last 25 epochs) per initializer; lines join one seed's runs. Look for three boxes at the same height, within ±1 point.",
        not_run: None,
        measure: Measure(base_plan::r4_similar_plateaus),
    },
    Claim {
        id: "r5-val-spread-order",
        section: "3.2 Variability Across Runs",
        quote: "Models initialized with Glorot normal exhibit the narrowest distribution, indicating consistent convergence outcomes across seeds. He normal shows moderately increased variability, while the small normal initialization (std = 0.01) displays the widest spread",
        experiment: "Plan `base`, inits small, glorot, he, paired by seed.",
        primary: "Spread of final validation accuracy as each seed's absolute deviation from its initializer's median (Brown–Forsythe's z). Two paired Wilcoxon tests, both required: he − glorot > 0 and small − he > 0.",
        rule: "Supported if both are positive and the larger p, Holm-adjusted, is < 0.05; contradicted if either is significantly negative.",
        secondary: "Brown–Forsythe across the three; SD ratios with paired bootstrap 95% CIs.",
        caption: "Final validation accuracy per initializer, each seed a point, lines join one seed's runs. Look for Glorot's box narrowest and small normal's widest.",
        not_run: None,
        measure: Measure(base_plan::r5_val_spread_order),
    },
    Claim {
        id: "r6-boundary-regularity",
        section: "3.3 Learned Decision Boundaries",
        quote: "Models trained with Glorot normal initialization tend to produce more balanced and regular decision boundaries, while boundaries learned under small normal initialization appear more irregular and sensitive to local variations in the data.",
        experiment: "Plan `base`, inits small and glorot, paired by seed; final networks evaluated on a 101 × 101 grid over [−1.5, 2.5] × [−1, 1.5].",
        primary: "Boundary length = grid edges whose two ends are predicted differently, each weighted by the cell side it crosses (an irregular boundary is longer). Paired Wilcoxon: small − glorot > 0.",
        rule: "Supported if small − glorot > 0 with Holm-adjusted p < 0.05; contradicted if significantly < 0.",
        secondary: "he − glorot boundary length.",
        caption: "Decision-boundary length on the grid per initializer; lines join one seed's runs. Look for small normal's boundaries longer than Glorot's.",
        not_run: None,
        measure: Measure(base_plan::r6_boundary_regularity),
    },
    Claim {
        id: "r7-small-relative-updates",
        section: "3.4 Weight Evolution During Training",
        quote: "In contrast, the small normal baseline shows more abrupt color shifts, indicating larger relative parameter changes and less stable weight evolution early in training.",
        experiment: "Plan `base`, inits small, glorot, he, paired by seed.",
        primary: "Relative update = ‖W_after − W_before‖_F / ‖W_before‖_F per epoch and dense layer, averaged over epochs 1–25 and the layers. Two paired Wilcoxon tests, both required: small − glorot > 0 and small − he > 0.",
        rule: "Supported if both are positive and the larger p, Holm-adjusted, is < 0.05; contradicted if either is significantly negative.",
        secondary: "The same per layer (small − glorot).",
        caption: "Relative weight change per epoch (mean over layers, log scale). Look for small normal's curve above the others early on.",
        not_run: None,
        measure: Measure(base_plan::r7_small_relative_updates),
    },
    Claim {
        id: "d1-fan-in",
        section: "4 Discussion",
        quote: "One key factor is the low input dimensionality: the first dense layer has a fan-in of 2, which produces comparatively large initial weights under He normal relative to Glorot normal or a small normal baseline. Under a fixed Adam learning rate, this can increase early optimization sensitivity and widen run-to-run variability.",
        experiment: "Plan `fan-in`: the moons embedded (seeded random rotation, no noise dimensions) into D dimensions, network D-64-64-64-2, inits glorot and he, paired by seed at each D.",
        primary: "Per seed and D: early variability (as r3, epochs 1–10) of he minus that of glorot. OLS slope of this difference on log2 D: claimed < 0 (He's extra spread shrinks as fan-in grows).",
        rule: "Supported if the slope is negative with Holm-adjusted p < 0.05; contradicted if significantly positive.",
        secondary: "Per D: mean he − glorot variability difference.",
        caption: "Early variability (epochs 1–10) against input dimension, per initializer. Look for He's excess over Glorot shrinking to the right.",
        not_run: None,
        measure: Measure(sweeps::d1_fan_in),
    },
    Claim {
        id: "d1b-first-layer-intervention",
        section: "4 Discussion",
        quote: "the first dense layer has a fan-in of 2, which produces comparatively large initial weights under He normal relative to Glorot normal or a small normal baseline.",
        experiment: "Plan `base` with inits he, glorot, he@1=glorot (He, Glorot on layer 1) and glorot@1=he, paired by seed (the same standard-normal draws; only layer 1's scale differs).",
        primary: "Early variability (as r3). Two paired Wilcoxon tests, both required: glorot@1=he − glorot > 0 (He's first layer brings He's spread) and he@1=glorot − he < 0 (Glorot's first layer removes it).",
        rule: "Supported if both point the claimed way and the larger p, Holm-adjusted, is < 0.05; contradicted if either is significantly the other way.",
        secondary: "Early speed of the four initializers.",
        caption: "Early variability per seed of He, Glorot and their first-layer swaps; lines join one seed. Look for the swaps to follow their first layer's initializer.",
        not_run: None,
        measure: Measure(base_plan::d1b_first_layer_intervention),
    },
    Claim {
        id: "d2-he-deep",
        section: "4.1 Interpretation and Practical Implications",
        quote: "He (Kaiming) initialization is often advantageous for ReLU networks in deeper architectures or layers with moderate-to-large fan-in, where maintaining activation variance across many layers is critical.",
        experiment: "Plan `depth`: 1, 2, 3, 4, 6, 8, 12, 16 hidden layers of width 64 on two moons, inits small, glorot, he, paired by seed.",
        primary: "Overall speed = mean training accuracy over all epochs. Per seed, he − glorot averaged over the depths ≥ 8 hidden layers; paired Wilcoxon > 0.",
        rule: "Supported if he − glorot > 0 with Holm-adjusted p < 0.05; contradicted if significantly < 0.",
        secondary: "OLS slope of he − glorot on log2(depth).",
        caption: "Mean training accuracy over all epochs against depth, per initializer (mean ± SD across seeds). Look for He above Glorot at the right.",
        not_run: None,
        measure: Measure(sweeps::d2_he_deep),
    },
    Claim {
        id: "d2b-he-wide",
        section: "4.1 Interpretation and Practical Implications",
        quote: "He (Kaiming) initialization is often advantageous for ReLU networks in deeper architectures or layers with moderate-to-large fan-in",
        experiment: "Plan `width`: 3 hidden layers of width 16, 32, 64, 128 on two moons, inits glorot and he, paired by seed.",
        primary: "Overall speed (mean training accuracy, all epochs). OLS slope of the per-seed he − glorot difference on log2(width): claimed > 0.",
        rule: "Supported if the slope is positive with Holm-adjusted p < 0.05; contradicted if significantly negative.",
        secondary: "Per width: mean he − glorot.",
        caption: "Mean training accuracy over all epochs against hidden width. Look for He gaining on Glorot as width grows.",
        not_run: None,
        measure: Measure(sweeps::d2b_he_wide),
    },
    Claim {
        id: "d3-glorot-shallow",
        section: "4.1 Interpretation and Practical Implications",
        quote: "Glorot (Xavier) initialization can be favorable for shallow-to-moderate depth networks, early layers with very low-dimensional inputs, or when stability and repeatability across runs are prioritized.",
        experiment: "Plan `depth` (as d2).",
        primary: "Overall speed, per seed glorot − he averaged over the depths ≤ 3 hidden layers; paired Wilcoxon > 0.",
        rule: "Supported if glorot − he > 0 with Holm-adjusted p < 0.05; contradicted if significantly < 0.",
        secondary: "Plan `fan-in` at D ≤ 4: glorot − he overall speed.",
        caption: "Per seed glorot − he overall speed at each depth (mean ± SD). Look for positive values at 1–3 hidden layers.",
        not_run: None,
        measure: Measure(sweeps::d3_glorot_shallow),
    },
    Claim {
        id: "d4-small-depth",
        section: "4.1 Interpretation and Practical Implications",
        quote: "Small normal baselines can work on simple problems, but they may exhibit less stable optimization dynamics and greater run-to-run variability as model depth or task complexity increases.",
        experiment: "Plan `depth` (as d2).",
        primary: "Small normal's shortfall = per seed glorot − small overall speed. OLS slope on log2(depth): claimed > 0.",
        rule: "Supported if the slope is positive with Holm-adjusted p < 0.05; contradicted if significantly negative.",
        secondary: "Slope of small's minus glorot's deviation from the per-depth median (run-to-run variability) on log2(depth).",
        caption: "Small normal's shortfall against Glorot (overall speed) per depth. Look for it growing with depth.",
        not_run: None,
        measure: Measure(sweeps::d4_small_depth),
    },
    Claim {
        id: "d4b-small-task",
        section: "4.1 Interpretation and Practical Implications",
        quote: "Small normal baselines can work on simple problems, but they may exhibit less stable optimization dynamics and greater run-to-run variability as model depth or task complexity increases.",
        experiment: "Plan `task`: moons → circles → xor → spirals:3 (complexity rank 0–3), network 2-64-64-64-K, inits small, glorot, he, paired by seed.",
        primary: "Overall speed normalised by each data set's chance and ceiling, (acc − chance)/(ceiling − chance); per seed glorot − small. OLS slope on the complexity rank: claimed > 0.",
        rule: "Supported if the slope is positive with Holm-adjusted p < 0.05; contradicted if significantly negative.",
        secondary: "Per data set: mean shortfall.",
        caption: "Normalised overall speed per data set and initializer. Look for small normal falling further behind on harder tasks.",
        not_run: None,
        measure: Measure(sweeps::d4b_small_task),
    },
    Claim {
        id: "d5-learning-rate",
        section: "3.1 Convergence Behavior; 4 Discussion",
        quote: "This behavior suggests that the initial weight scale produces gradient magnitudes that are well-aligned with the fixed Adam learning rate, resulting in stable effective step sizes during early training.",
        experiment: "Plan `lr`: Adam learning rate 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, paper's network and data, inits small, glorot, he, paired by seed.",
        primary: "Per seed and lr: the range (max − min) of early speed across the three initializers. Kruskal–Wallis across the lr levels (non-directional: the differences between initializers change with lr).",
        rule: "Supported if Holm-adjusted p < 0.05; otherwise inconclusive (a non-directional test cannot contradict).",
        secondary: "Per lr: mean early speed of each initializer.",
        caption: "Early speed against the learning rate, per initializer. Look for the gap between initializers changing with lr.",
        not_run: None,
        measure: Measure(sweeps::d5_learning_rate),
    },
    Claim {
        id: "d6-normalization",
        section: "4.2 A Note on Normalization Layers",
        quote: "In normalized networks, differences between initialization strategies may appear less pronounced because normalization can stabilize activation magnitudes even when initialization is imperfect.",
        experiment: "Plan `norm`: the paper's configuration without and with LayerNorm between each hidden layer and its ReLU (learnable gain and shift, ε = 1e-5), inits small, glorot, he, paired by seed (the base plan's seeds; LayerNorm draws nothing, so both levels start from the same weights).",
        primary: "Two parts, both required, each a paired Wilcoxon on per-seed differences (no normalization − LayerNorm) > 0: (a) speed differences = per seed, the range (max − min) across small, glorot and he of early speed (mean training accuracy, epochs 1–25); (b) spread differences = per seed, the range across the three inits of early variability (the seed's mean absolute deviation of training accuracy from its initializer's per-epoch median, epochs 1–25, computed within each level).",
        rule: "Supported if both differences are positive and the larger p, Holm-adjusted, is < 0.05; contradicted if either is significantly negative.",
        secondary: "Per init, early speed with − without LayerNorm (paired); SD ratios of final validation accuracy with / without LayerNorm per init; Brown–Forsythe across the inits' final validation accuracy at each level.",
        caption: "Per seed, how far apart small normal, Glorot and He are in early speed, without and with LayerNorm; lines join one seed. Look for the LayerNorm box lower.",
        not_run: None,
        measure: Measure(sweeps::d6_normalization),
    },
    Claim {
        id: "c1-epochs-to-target",
        section: "6 Conclusion",
        quote: "initialization affects the number of epochs required to reach target performance, the consistency of outcomes across runs, and the smoothness of optimization trajectories.",
        experiment: "Plan `base`, inits small and glorot, paired by seed.",
        primary: "Epochs of training accuracy to 90% of the way from chance to the data set's ceiling (runs that never get there censored: ranked after every finished run). Paired Wilcoxon small − glorot > 0.",
        rule: "Supported if small − glorot > 0 with Holm-adjusted p < 0.05; contradicted if significantly < 0.",
        secondary: "he − glorot, and the count of censored runs.",
        caption: "Epochs to 90% of the way from chance to the ceiling per initializer (censored runs drawn at epochs + 1). Look for small normal above Glorot.",
        not_run: None,
        measure: Measure(base_plan::c1_epochs_to_target),
    },
];
