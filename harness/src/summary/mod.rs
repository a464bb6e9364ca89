//! The study's summary: per-initializer statistics and the spread test,
//! computed from the runs (rendered by `render`, `json` and `findings`).

mod findings;
mod json;
mod render;
#[cfg(test)]
mod tests;

use crate::inits::InitSpec;
use crate::stats;
use crate::study::{RunResult, THRESHOLD_FRACTIONS, Thresholds};
use serde::Serialize;

/// Epochs at which the learning curves are tabulated (those within the run).
pub(crate) const CHECKPOINT_EPOCHS: [usize; 5] = [1, 10, 25, 50, 100];

/// The fewest seeds (runs per initializer) the summary infers from: below it, no confidence
/// interval of a mean, no test of spread and no p-value is given, the paper's findings are
/// "too few seeds to judge", and figure 4 draws the runs as points without box plots. With
/// so few values a 95% percentile bootstrap interval is little more than their range, and a
/// test of spread has almost no power; the numbers themselves are still shown.
pub const MIN_SEEDS: usize = 5;

/// Bootstrap resamples for the confidence interval of the mean.
pub(crate) const BOOTSTRAP_RESAMPLES: usize = 10_000;
/// Seed of the bootstrap (fixed: the summary is deterministic).
pub(crate) const BOOTSTRAP_SEED: u64 = 0;

/// Mean, standard deviation (n − 1), extremes and a 95% bootstrap CI (from [`MIN_SEEDS`]
/// values).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub(crate) struct Describe {
    /// Mean.
    pub mean: f64,
    /// Sample standard deviation.
    pub std: f64,
    /// Minimum.
    pub min: f64,
    /// Maximum.
    pub max: f64,
    /// 95% percentile-bootstrap confidence interval of the mean; `None` for fewer than
    /// [`MIN_SEEDS`] values.
    pub ci95: Option<(f64, f64)>,
}

impl Describe {
    /// Describes `values`.
    pub(crate) fn of(values: &[f64]) -> Describe {
        Describe {
            mean: stats::mean(values),
            std: stats::std_dev(values),
            min: stats::min(values),
            max: stats::max(values),
            ci95: (values.len() >= MIN_SEEDS)
                .then(|| stats::bootstrap_mean_ci(values, 0.95, BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED)),
        }
    }
}

/// Train loss and accuracy across seeds at one epoch.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub(crate) struct CurvePoint {
    /// Epoch (from 1).
    pub epoch: usize,
    /// Mean training loss.
    #[serde(rename = "train_loss_mean")]
    pub loss_mean: f64,
    /// Standard deviation of the training loss.
    #[serde(rename = "train_loss_std")]
    pub loss_std: f64,
    /// Mean training accuracy.
    #[serde(rename = "train_acc_mean")]
    pub acc_mean: f64,
    /// Standard deviation of the training accuracy.
    #[serde(rename = "train_acc_std")]
    pub acc_std: f64,
}

/// Epochs needed to reach a training accuracy `fraction` of the way from
/// chance to the ceiling ([`Thresholds::target`]).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub(crate) struct TimeTo {
    /// The fraction of the way from chance to the ceiling.
    #[serde(rename = "fraction_of_ceiling")]
    pub fraction: f64,
    /// The training accuracy that is.
    pub target: f32,
    /// Mean over the runs that reached it (NaN if none did): a run that
    /// never reached it is counted in `never`, never averaged.
    pub mean: f64,
    /// Standard deviation over the runs that reached it.
    pub std: f64,
    /// Runs that reached it.
    pub reached: usize,
    /// Runs that never reached it.
    pub never: usize,
    /// Per run, in the runs' order: the epoch it first reached it, `None`
    /// if it never did (not in `summary.json`, which has the counts).
    #[serde(skip)]
    pub per_run: Vec<Option<usize>>,
}

impl TimeTo {
    /// The median epoch to the threshold with every run counted: a run that
    /// never reached it counts as later than every epoch (censored at the
    /// run's end), so the median is `f64::INFINITY` — beyond the last
    /// epoch — when half the runs or more never reached it. `NaN` without
    /// runs. Even counts average the two middle runs.
    pub(crate) fn censored_median(&self) -> f64 {
        let mut v: Vec<f64> = self.per_run.iter().map(|e| e.map_or(f64::INFINITY, |e| e as f64)).collect();
        v.sort_by(f64::total_cmp);
        let n = v.len();
        match n {
            0 => f64::NAN,
            _ if n % 2 == 1 => v[n / 2],
            _ => (v[n / 2 - 1] + v[n / 2]) / 2.0,
        }
    }
}

/// Everything summarised for one initializer.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct InitSummary {
    /// The initializers.
    pub init: InitSpec,
    /// Number of runs.
    pub runs: usize,
    /// Final validation accuracy.
    pub final_val_acc: Describe,
    /// Final validation accuracy of each run, in the runs' order.
    pub final_val_accs: Vec<f64>,
    /// Final training loss.
    pub final_train_loss: Describe,
    /// Learning curve at [`CHECKPOINT_EPOCHS`] and the last epoch.
    pub curve: Vec<CurvePoint>,
    /// Epochs to [`THRESHOLD_FRACTIONS`] of the way from chance to the ceiling.
    pub time_to: [TimeTo; 2],
}

/// The whole summary.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    /// Per initializer, in the study's order.
    pub(crate) inits: Vec<InitSummary>,
    /// Brown–Forsythe test of equal spread of final validation accuracy
    /// across all initializers (`None` when degenerate, or with fewer than
    /// [`MIN_SEEDS`] seeds).
    pub(crate) spread: Option<stats::BfTest>,
    /// The same per pair of initializers (without the test, only the
    /// spreads, with fewer than [`MIN_SEEDS`] seeds).
    pub(crate) pairwise: Vec<stats::PairSpread>,
    /// What the epochs to threshold are measured against.
    pub(crate) thresholds: Thresholds,
    /// Decimals validation accuracies are shown with: as many as the
    /// validation set resolves (`⌈log10 N⌉`; 300 samples, steps of 0.0033: 3).
    pub(crate) acc_decimals: usize,
    /// Decimals training accuracies are shown with, by the same rule for
    /// the training set.
    pub(crate) train_acc_decimals: usize,
}

impl Summary {
    /// The fewest runs of an initializer, when it is below [`MIN_SEEDS`]: the
    /// summary then gives no intervals, tests or verdicts.
    pub(crate) fn too_few_seeds(&self) -> Option<usize> {
        self.inits.iter().map(|i| i.runs).min().filter(|&n| n < MIN_SEEDS)
    }
}

/// The decimals an accuracy over `n` samples is shown with: `⌈log10 n⌉`,
/// at least 1.
pub fn accuracy_decimals(n: usize) -> usize {
    let mut d = 1;
    while 10usize.saturating_pow(d as u32) < n {
        d += 1;
    }
    d
}

/// Summarises the runs (in init-major order, as [`crate::jobs::study_runs`] orders them);
/// accuracies are shown to the precision sets of `val_samples` and `train_samples` allow.
pub fn summarize(
    inits: &[InitSpec],
    runs: &[RunResult],
    thresholds: &Thresholds,
    val_samples: usize,
    train_samples: usize,
) -> Summary {
    let mut out = Vec::new();
    let mut finals: Vec<Vec<f64>> = Vec::new();
    for init in inits {
        let mine: Vec<&RunResult> = runs.iter().filter(|r| r.init == *init).collect();
        let val: Vec<f64> = mine.iter().map(|r| f64::from(r.final_val_acc)).collect();
        let train_loss: Vec<f64> = mine.iter().map(|r| f64::from(r.final_train_loss)).collect();
        let last = mine.iter().map(|r| r.epochs.len()).min().unwrap_or(0);
        let mut epochs: Vec<usize> = CHECKPOINT_EPOCHS.iter().copied().filter(|&e| e < last).collect();
        if last > 0 {
            epochs.push(last);
        }
        let curve = epochs
            .into_iter()
            .map(|epoch| {
                let loss: Vec<f64> = mine.iter().map(|r| f64::from(r.epochs[epoch - 1].train_loss)).collect();
                let acc: Vec<f64> = mine.iter().map(|r| f64::from(r.epochs[epoch - 1].train_acc)).collect();
                CurvePoint {
                    epoch,
                    loss_mean: stats::mean(&loss),
                    loss_std: stats::std_dev(&loss),
                    acc_mean: stats::mean(&acc),
                    acc_std: stats::std_dev(&acc),
                }
            })
            .collect();
        let time_to = THRESHOLD_FRACTIONS.map(|fraction| {
            let target = thresholds.target(fraction);
            let per_run: Vec<Option<usize>> = mine.iter().map(|r| r.epochs_to(target)).collect();
            let reached: Vec<f64> = per_run.iter().flatten().map(|&e| e as f64).collect();
            TimeTo {
                fraction,
                target,
                mean: stats::mean(&reached),
                std: stats::std_dev(&reached),
                reached: reached.len(),
                never: mine.len() - reached.len(),
                per_run,
            }
        });
        out.push(InitSummary {
            init: init.clone(),
            runs: mine.len(),
            final_val_acc: Describe::of(&val),
            final_val_accs: val.clone(),
            final_train_loss: Describe::of(&train_loss),
            curve,
            time_to,
        });
        finals.push(val);
    }
    let groups: Vec<&[f64]> = finals.iter().map(Vec::as_slice).collect();
    let enough = groups.iter().all(|g| g.len() >= MIN_SEEDS);
    let mut pairwise = stats::pairwise_spread(&groups);
    if !enough {
        for p in &mut pairwise {
            p.test = None;
        }
    }
    Summary {
        inits: out,
        spread: if enough { stats::brown_forsythe(&groups) } else { None },
        pairwise,
        thresholds: *thresholds,
        acc_decimals: accuracy_decimals(val_samples),
        train_acc_decimals: accuracy_decimals(train_samples),
    }
}
