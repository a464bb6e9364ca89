//! The study's summary: per-initializer statistics and the spread test.

use crate::inits::InitSpec;
use crate::stats;
use crate::study::{RunResult, THRESHOLD_FRACTIONS, Thresholds};
use serde::Serialize;
use std::fmt::Write as _;

/// Epochs at which the learning curves are tabulated (those within the run).
pub const CHECKPOINT_EPOCHS: [usize; 5] = [1, 10, 25, 50, 100];

/// Bootstrap resamples for the confidence interval of the mean.
pub const BOOTSTRAP_RESAMPLES: usize = 10_000;
/// Seed of the bootstrap (fixed: the summary is deterministic).
pub const BOOTSTRAP_SEED: u64 = 0;

/// Mean, standard deviation (n − 1), extremes and a 95% bootstrap CI.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Describe {
    /// Mean.
    pub mean: f64,
    /// Sample standard deviation.
    pub std: f64,
    /// Minimum.
    pub min: f64,
    /// Maximum.
    pub max: f64,
    /// 95% percentile-bootstrap confidence interval of the mean.
    pub ci95: (f64, f64),
}

impl Describe {
    /// Describes `values`.
    pub fn of(values: &[f64]) -> Describe {
        Describe {
            mean: stats::mean(values),
            std: stats::std_dev(values),
            min: stats::min(values),
            max: stats::max(values),
            ci95: stats::bootstrap_mean_ci(values, 0.95, BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED),
        }
    }
}

/// Train loss and accuracy across seeds at one epoch.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CurvePoint {
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
pub struct TimeTo {
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
}

/// Everything summarised for one initializer.
#[derive(Clone, Debug, PartialEq)]
pub struct InitSummary {
    /// The initializers.
    pub init: InitSpec,
    /// Number of runs.
    pub runs: usize,
    /// Final validation accuracy.
    pub final_val_acc: Describe,
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
    pub inits: Vec<InitSummary>,
    /// Brown–Forsythe test of equal spread of final validation accuracy
    /// across all initializers (`None` when degenerate).
    pub spread: Option<stats::BfTest>,
    /// The same per pair of initializers.
    pub pairwise: Vec<stats::PairSpread>,
    /// What the epochs to threshold are measured against.
    pub thresholds: Thresholds,
    /// Decimals validation accuracies are shown with: as many as the
    /// validation set resolves (`⌈log10 N⌉`; 300 samples, steps of 0.0033: 3).
    pub acc_decimals: usize,
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

/// Summarises the runs (in init-major order, as [`crate::study::run_all`] returns them).
pub fn summarize(
    inits: &[InitSpec],
    runs: &[RunResult],
    thresholds: &Thresholds,
    val_samples: usize,
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
            let reached: Vec<f64> =
                mine.iter().filter_map(|r| r.epochs_to(target)).map(|e| e as f64).collect();
            TimeTo {
                fraction,
                target,
                mean: stats::mean(&reached),
                std: stats::std_dev(&reached),
                reached: reached.len(),
                never: mine.len() - reached.len(),
            }
        });
        out.push(InitSummary {
            init: init.clone(),
            runs: mine.len(),
            final_val_acc: Describe::of(&val),
            final_train_loss: Describe::of(&train_loss),
            curve,
            time_to,
        });
        finals.push(val);
    }
    let groups: Vec<&[f64]> = finals.iter().map(Vec::as_slice).collect();
    Summary {
        inits: out,
        spread: stats::brown_forsythe(&groups),
        pairwise: stats::pairwise_spread(&groups),
        thresholds: *thresholds,
        acc_decimals: accuracy_decimals(val_samples),
    }
}

/// `summary.json`'s layout version.
pub const SUMMARY_SCHEMA_VERSION: u32 = 1;

/// `summary.json` (non-finite numbers are written as `null`).
#[derive(Serialize)]
struct SummaryFile<'a> {
    schema_version: u32,
    chance: f64,
    ceiling: Option<f64>,
    inits: Vec<InitFile<'a>>,
    spread_test: Option<SpreadFile>,
    pairwise: Vec<PairFile>,
}

#[derive(Serialize)]
struct InitFile<'a> {
    init: String,
    display_name: String,
    runs: usize,
    final_val_acc: &'a Describe,
    final_train_loss: &'a Describe,
    curve: &'a [CurvePoint],
    epochs_to: &'a [TimeTo],
}

#[derive(Serialize)]
struct SpreadFile {
    test: &'static str,
    statistic: f64,
    df1: f64,
    df2: f64,
    p_value: f64,
}

#[derive(Serialize)]
struct PairFile {
    a: String,
    b: String,
    p_value: Option<f64>,
    mad_a: f64,
    mad_b: f64,
    smaller_spread: Option<String>,
}

impl Summary {
    /// The summary as JSON (deterministic; non-finite numbers are `null`).
    pub fn to_json(&self) -> String {
        let name = |k: usize| self.inits[k].init.name();
        let file = SummaryFile {
            schema_version: SUMMARY_SCHEMA_VERSION,
            chance: self.thresholds.chance,
            ceiling: self.thresholds.ceiling.map(|c| c.accuracy),
            inits: self
                .inits
                .iter()
                .map(|i| InitFile {
                    init: i.init.name(),
                    display_name: i.init.display_name(),
                    runs: i.runs,
                    final_val_acc: &i.final_val_acc,
                    final_train_loss: &i.final_train_loss,
                    curve: &i.curve,
                    epochs_to: &i.time_to,
                })
                .collect(),
            spread_test: self.spread.as_ref().map(|t| SpreadFile {
                test: "brown-forsythe",
                statistic: t.statistic,
                df1: t.df1,
                df2: t.df2,
                p_value: t.p_value,
            }),
            pairwise: self
                .pairwise
                .iter()
                .map(|p| PairFile {
                    a: name(p.i),
                    b: name(p.j),
                    p_value: p.p_value(),
                    mad_a: p.mad_i,
                    mad_b: p.mad_j,
                    smaller_spread: p.smaller.map(name),
                })
                .collect(),
        };
        serde_json::to_string_pretty(&file).expect("plain data serializes") + "\n"
    }

    /// The accuracy levels of the epochs-to-threshold columns, in words.
    pub fn thresholds_text(&self) -> String {
        let t = &self.thresholds;
        let ceiling = match t.ceiling {
            Some(c) => format!(
                "the data set's Bayes-optimal accuracy {:.4} (± {:.4}; {})",
                c.accuracy, c.std_error, c.method
            ),
            None => "1 (the Bayes-optimal accuracy of a CSV data set is unknown)".to_string(),
        };
        format!(
            "Epochs to threshold count training epochs until the training accuracy first reaches 50% ({:.4}) and 90% ({:.4}) of the way from chance ({:.4}, the majority class) to the ceiling, {ceiling}. Runs that never reach it are counted, not averaged.\n",
            t.target(THRESHOLD_FRACTIONS[0]),
            t.target(THRESHOLD_FRACTIONS[1]),
            t.chance
        )
    }

    /// The main table: one row per initializer.
    pub fn table(&self) -> String {
        let mut s = String::from(
            "| init | runs | final val acc mean ± std | min | max | 95% CI of mean | epochs to 50% of ceiling (reached) | epochs to 90% of ceiling (reached) |\n|---|---|---|---|---|---|---|---|\n",
        );
        let d = self.acc_decimals;
        for i in &self.inits {
            let v = &i.final_val_acc;
            let t = |t: &TimeTo| {
                let n = t.reached + t.never;
                if t.mean.is_finite() {
                    format!("{:.1} ± {:.1} ({} of {n})", t.mean, t.std, t.reached)
                } else {
                    format!("– (0 of {n})")
                }
            };
            let _ = writeln!(
                s,
                "| {} | {} | {:.d$} ± {:.d$} | {:.d$} | {:.d$} | [{:.d$}, {:.d$}] | {} | {} |",
                i.init.name(),
                i.runs,
                v.mean,
                v.std,
                v.min,
                v.max,
                v.ci95.0,
                v.ci95.1,
                t(&i.time_to[0]),
                t(&i.time_to[1])
            );
        }
        s
    }

    /// The spread test in words.
    pub fn spread_text(&self) -> String {
        let mut s = String::new();
        match &self.spread {
            Some(t) => {
                let _ = writeln!(
                    s,
                    "Brown–Forsythe test of equal spread of final validation accuracy across inits: F({}, {}) = {:.3}, {} — {}.",
                    t.df1,
                    t.df2,
                    t.statistic,
                    stats::format_p(t.p_value),
                    if t.p_value < 0.05 { "the spreads differ (p < 0.05)" } else { "no significant difference (p ≥ 0.05)" }
                );
            }
            None => s.push_str("Brown–Forsythe test: not defined for these data (fewer than 2 inits, fewer than 2 runs per init, or no variation).\n"),
        }
        for p in &self.pairwise {
            let (a, b) = (self.inits[p.i].init.name(), self.inits[p.j].init.name());
            let smaller =
                p.smaller.map_or("neither (equal)".to_string(), |k| self.inits[k].init.name().to_string());
            let pv = stats::format_p(p.p_value().unwrap_or(f64::NAN));
            let _ = writeln!(
                s,
                "- {a} vs {b}: smaller spread: {smaller} (mean abs. deviation from median {:.4} vs {:.4}; {pv})",
                p.mad_i, p.mad_j
            );
        }
        s
    }

    /// Which of the paper's findings hold in this study, in words: for the
    /// paper's three initializers (when the study has them), the early
    /// speed (epochs to 50% of the way to the ceiling), the plateau (final
    /// validation accuracy) and the spread across seeds. Descriptive only:
    /// `harness claims` tests them with pre-registered statistics.
    pub fn findings_text(&self) -> String {
        let find = |name: &str| self.inits.iter().find(|i| i.init.name() == name);
        let (Some(small), Some(glorot), Some(he)) = (find("small"), find("glorot"), find("he")) else {
            return String::new();
        };
        let trio = [("small normal", small), ("Glorot", glorot), ("He", he)];
        let d = self.acc_decimals;
        let mut s = String::new();
        let early = |i: &InitSummary| i.time_to[0].mean;
        let fastest = trio.iter().min_by(|a, b| early(a.1).total_cmp(&early(b.1))).expect("three");
        let slowest = trio.iter().max_by(|a, b| early(a.1).total_cmp(&early(b.1))).expect("three");
        let verdict = |ok: bool| if ok { "holds here" } else { "does not hold here" };
        let _ = writeln!(
            s,
            "- Glorot improves fastest early: {} (mean epochs to 50% of the way to the ceiling: small normal {:.1}, Glorot {:.1}, He {:.1}; fastest {}).",
            verdict(fastest.0 == "Glorot"),
            early(small),
            early(glorot),
            early(he),
            fastest.0
        );
        let _ = writeln!(
            s,
            "- Small normal improves slowest early: {} (slowest: {}).",
            verdict(slowest.0 == "small normal"),
            slowest.0
        );
        let means = trio.map(|(_, i)| i.final_val_acc.mean);
        let range = means.iter().copied().fold(f64::NEG_INFINITY, f64::max)
            - means.iter().copied().fold(f64::INFINITY, f64::min);
        let _ = writeln!(
            s,
            "- All three reach similar plateaus: {} (mean final validation accuracy {:.d$}, {:.d$}, {:.d$}; largest difference {:.1} points, against a margin of 1 point).",
            verdict(range <= 0.01),
            means[0],
            means[1],
            means[2],
            100.0 * range
        );
        let sd = trio.map(|(_, i)| i.final_val_acc.std);
        let ordered = sd[1] < sd[2] && sd[2] < sd[0];
        let p = self.spread.as_ref().map_or(f64::NAN, |t| t.p_value);
        let _ = writeln!(
            s,
            "- Spread of final validation accuracy, Glorot narrowest, He moderate, small normal widest: {} in order (SD {:.d$}, {:.d$}, {:.d$}), {} (Brown–Forsythe, {}).",
            verdict(ordered),
            sd[1],
            sd[2],
            sd[0],
            if p < 0.05 { "and the spreads differ significantly" } else { "but not significantly" },
            stats::format_p(p)
        );
        s
    }

    /// The whole summary as Markdown.
    pub fn to_markdown(&self) -> String {
        let mut s = String::from("# Study summary\n\n## Final validation accuracy\n\n");
        s.push_str(&self.table());
        s.push('\n');
        s.push_str(&self.thresholds_text());
        let findings = self.findings_text();
        if !findings.is_empty() {
            s.push_str("\n## The paper's findings in this study\n\n");
            s.push_str(&findings);
        }
        s.push_str("\n## Spread of final validation accuracy\n\n");
        s.push_str(&self.spread_text());
        s.push_str("\n## Training curves (mean ± std across seeds)\n\n| init | epoch | train loss | train acc |\n|---|---|---|---|\n");
        for i in &self.inits {
            for c in &i.curve {
                let _ = writeln!(
                    s,
                    "| {} | {} | {:.4} ± {:.4} | {:.4} ± {:.4} |",
                    i.init.name(),
                    c.epoch,
                    c.loss_mean,
                    c.loss_std,
                    c.acc_mean,
                    c.acc_std
                );
            }
        }
        s
    }
}
