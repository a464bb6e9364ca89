//! One claims run: what is kept of it ([`RunRecord`]) and how it is trained
//! and measured ([`run_record`]); the runs of a set of plans ([`jobs`]).

use super::boundary::{boundary_length, boundary_length_where};
use super::plans::{Plan, Prepared};
use super::registry;
use crate::stats::Accuracy;
use crate::study;

/// What is kept of one run (its curves and derived numbers; the weights
/// are dropped once measured, so memory stays small).
#[derive(Clone, Debug, PartialEq)]
pub struct RunRecord {
    /// Index of the plan.
    pub plan: usize,
    /// Index of the level in the plan.
    pub level: usize,
    /// Index of the initializer in the plan.
    pub init: usize,
    /// Model seed.
    pub seed: u64,
    /// Training loss per epoch (before that epoch's update).
    pub train_loss: Vec<f32>,
    /// Training accuracy per epoch.
    pub train_acc: Vec<f32>,
    /// Validation loss per epoch.
    pub val_loss: Vec<f32>,
    /// Validation accuracy per epoch.
    pub val_acc: Vec<f32>,
    /// Per epoch, the mean over dense layers of `‖ΔW‖/‖W‖`.
    pub update_mean: Vec<f32>,
    /// Per dense layer, `‖ΔW‖/‖W‖` averaged over the first
    /// [`registry::EARLY_WINDOW`] epochs.
    pub update_early_layers: Vec<f64>,
    /// Training accuracy after the last update.
    pub final_train_acc: f32,
    /// Validation accuracy after the last update.
    pub final_val_acc: f32,
    /// Decision-boundary length (plan `base` only).
    pub boundary: Option<f64>,
    /// Set when training stopped early.
    pub error: Option<String>,
    /// The accuracies as counts (registry version 2's records; `None` in
    /// version 1's).
    pub counts: Option<Counts>,
    /// Decision-boundary length where the data are (registry version 2,
    /// plan `base` only).
    pub boundary_in_data: Option<f64>,
    /// Per-layer statistics (registry version 2's records; `None` in
    /// version 1's).
    pub layers: Option<LayerRecord>,
}

/// What a claims run keeps of its per-layer statistics
/// ([`crate::results::LAYER_STATS_HEADER`] defines them): at initialization
/// (epoch 0, the whole training set) each dense layer's pre-activation and
/// activation SD, and its weight-gradient norm at each epoch 1 to
/// [`LAYER_EPOCHS`].
#[derive(Clone, Debug, PartialEq)]
pub struct LayerRecord {
    /// Per dense layer (input layer first), the pre-activation SD at epoch 0.
    pub pre_sd_init: Vec<f64>,
    /// Per dense layer, the activation SD at epoch 0.
    pub act_sd_init: Vec<f64>,
    /// Per dense layer, `‖∂L/∂W‖_F` at epochs 1 to [`LAYER_EPOCHS`] (fewer
    /// if the run stopped early).
    pub grad_norm_early: Vec<Vec<f64>>,
}

/// The epochs (from 1) whose weight-gradient norms a claims run keeps: the
/// mechanism claims look at epochs 1–10 at most.
pub const LAYER_EPOCHS: usize = 10;

impl LayerRecord {
    /// The record of a run's statistics ([`study::RunResult::layer_stats`]):
    /// `None` without epoch 0's.
    pub fn of(stats: &[study::EpochLayerStats]) -> Option<LayerRecord> {
        let init = stats.iter().find(|e| e.epoch == 0)?;
        let per_layer = |f: fn(&saorsa_nn::LayerStats) -> f64| init.layers.iter().map(f).collect();
        let layers = init.layers.len();
        Some(LayerRecord {
            pre_sd_init: per_layer(saorsa_nn::LayerStats::pre_sd),
            act_sd_init: per_layer(saorsa_nn::LayerStats::act_sd),
            grad_norm_early: (0..layers)
                .map(|k| {
                    (1..=LAYER_EPOCHS)
                        .map_while(|e| {
                            stats.iter().find(|s| s.epoch == e).map(|s| s.layers[k].weight_grad_norm())
                        })
                        .collect()
                })
                .collect(),
        })
    }
}

/// A run's accuracies as integer counts, correct of `n_train` or `n_val`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Counts {
    /// Training examples.
    pub n_train: u32,
    /// Validation examples.
    pub n_val: u32,
    /// Correctly classified training examples per epoch (before that
    /// epoch's update).
    pub train_correct: Vec<u32>,
    /// Correct training examples after the last update.
    pub final_train_correct: u32,
    /// Correct validation examples after the last update.
    pub final_val_correct: u32,
}

impl Counts {
    /// The counts behind a run's accuracies: the core computes an accuracy
    /// as `correct / n` in `f32`, from which `correct = round(acc · n)` is
    /// recovered exactly ([`Accuracy::from_fraction`]). `None` when an
    /// accuracy is not such a fraction of `n_train` (`n_val` for the final
    /// validation accuracy).
    pub fn recover(r: &RunRecord, n_train: usize, n_val: usize) -> Option<Counts> {
        let (n_train, n_val) = (u32::try_from(n_train).ok()?, u32::try_from(n_val).ok()?);
        let count = |acc: f32, n: u32| Accuracy::from_fraction(f64::from(acc), n).map(|a| a.correct());
        Some(Counts {
            n_train,
            n_val,
            train_correct: r.train_acc.iter().map(|&a| count(a, n_train)).collect::<Option<Vec<_>>>()?,
            final_train_correct: count(r.final_train_acc, n_train)?,
            final_val_correct: count(r.final_val_acc, n_val)?,
        })
    }
}

/// One claims run: indices of its plan, level and initializer, and its seed.
pub type Job = (usize, usize, usize, u64);

/// What a registry records of a run beyond version 1's record.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Extras<'a> {
    /// Record the accuracies as counts.
    pub counts: bool,
    /// Measure the boundary of plan `base` where the data are: the grid
    /// points near the data ([`super::boundary::near_data`]).
    pub near_data: Option<&'a [bool]>,
    /// Record the per-layer statistics ([`LayerRecord`]).
    pub layer_stats: bool,
}

/// Trains one run and keeps its record (registry version 1's).
pub fn run_record(plans: &[Plan], prepared: &[Vec<Prepared>], job: Job) -> RunRecord {
    run_record_with(plans, prepared, job, Extras::default())
}

/// Trains one run and keeps its record, with `extras`.
pub(crate) fn run_record_with(
    plans: &[Plan],
    prepared: &[Vec<Prepared>],
    job: Job,
    extras: Extras,
) -> RunRecord {
    let (p, l, i, seed) = job;
    let plan = &plans[p];
    let level = &plan.levels[l];
    let splits = &prepared[p][l].splits;
    // Observation leaves training's bits as they are: version 1's records are unchanged.
    let observe = extras.layer_stats.then_some(LAYER_EPOCHS);
    let r = study::run_observed(&level.config, splits, &plan.inits[i], seed, &mut |_, _| {}, observe);
    let layers = level.config.shape.layers();
    let early = r.update_size.len().clamp(1, registry::EARLY_WINDOW);
    let update_early_layers = (0..layers)
        .map(|k| r.update_size.iter().take(early).map(|u| u[k]).sum::<f64>() / early as f64)
        .collect();
    let base = plan.id == "base";
    let boundary = if base { boundary_length(&r.final_model()) } else { None };
    let boundary_in_data = match extras.near_data {
        Some(mask) if base => boundary_length_where(&r.final_model(), Some(mask)),
        _ => None,
    };
    let mut record = RunRecord {
        plan: p,
        level: l,
        init: i,
        seed,
        train_loss: r.epochs.iter().map(|e| e.train_loss).collect(),
        train_acc: r.epochs.iter().map(|e| e.train_acc).collect(),
        val_loss: r.epochs.iter().map(|e| e.val_loss).collect(),
        val_acc: r.epochs.iter().map(|e| e.val_acc).collect(),
        update_mean: r
            .update_size
            .iter()
            .map(|u| (u.iter().sum::<f64>() / u.len().max(1) as f64) as f32)
            .collect(),
        update_early_layers,
        final_train_acc: r.final_train_acc,
        final_val_acc: r.final_val_acc,
        boundary,
        error: r.error,
        counts: None,
        boundary_in_data,
        layers: if extras.layer_stats { LayerRecord::of(&r.layer_stats) } else { None },
    };
    if extras.counts {
        // The core makes every accuracy as `correct / n` in f32.
        record.counts = Some(
            Counts::recover(&record, splits.train.len(), splits.val.len())
                .expect("the core's accuracies are counts over the data's length"),
        );
    }
    record
}

/// Every run of `plans`, in plan → level → initializer → seed order.
pub fn jobs(plans: &[Plan]) -> Vec<Job> {
    let mut out = Vec::new();
    for (p, plan) in plans.iter().enumerate() {
        for l in 0..plan.levels.len() {
            for i in 0..plan.inits.len() {
                for &s in &plan.seeds {
                    out.push((p, l, i, s));
                }
            }
        }
    }
    out
}
