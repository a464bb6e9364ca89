//! The study's summary: per-initializer statistics and the spread test.

use crate::inits::InitSpec;
use crate::stats;
use crate::study::{RunResult, THRESHOLD_FRACTIONS, Thresholds};
use saorsa_nn::Init;
use serde::Serialize;
use std::cmp::Ordering;
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
    pub fn censored_median(&self) -> f64 {
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
pub struct InitSummary {
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
    /// Decimals training accuracies are shown with, by the same rule for
    /// the training set.
    pub train_acc_decimals: usize,
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

/// Summarises the runs (in init-major order, as [`crate::study::run_all`] returns them);
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
    Summary {
        inits: out,
        spread: stats::brown_forsythe(&groups),
        pairwise: stats::pairwise_spread(&groups),
        thresholds: *thresholds,
        acc_decimals: accuracy_decimals(val_samples),
        train_acc_decimals: accuracy_decimals(train_samples),
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
            "| init | runs | final val acc mean ± std | min | max | 95% CI of mean | epochs to 50% of the way to the ceiling (reached) | epochs to 90% of the way to the ceiling (reached) |\n|---|---|---|---|---|---|---|---|\n",
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
                i.init.display_name(),
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
            let name = |k: usize| self.inits[k].init.display_name();
            let (mad_a, mad_b) = (format!("{:.4}", p.mad_i), format!("{:.4}", p.mad_j));
            // Equal as shown is equal: naming a "smaller" one of 0.0022 and
            // 0.0022 would claim a difference the reader cannot see.
            let verdict = if mad_a == mad_b {
                "equal spread".to_string()
            } else {
                p.smaller
                    .map_or("spreads not comparable".to_string(), |k| format!("smaller spread: {}", name(k)))
            };
            let pv = stats::format_p(p.p_value().unwrap_or(f64::NAN));
            let _ = writeln!(
                s,
                "- {} vs {}: {verdict} — mean abs. deviation from median {mad_a} vs {mad_b}, {pv}",
                name(p.i),
                name(p.j)
            );
        }
        s
    }

    /// Which of the paper's findings hold in this study, in words: for the
    /// paper's three initializers, the early speed (epochs to 50% of the way
    /// to the ceiling), the plateau (final validation accuracy) and the
    /// spread across seeds. A study without all three gets one sentence
    /// saying which are missing. Descriptive only: `harness claims` tests
    /// them with pre-registered paired statistics.
    pub fn findings_text(&self) -> String {
        let paper = [Init::SMALL, Init::GlorotNormal, Init::HeNormal].map(InitSpec::from);
        let found = paper.clone().map(|spec| self.inits.iter().find(|i| i.init == spec));
        let [Some(small), Some(glorot), Some(he)] = found else {
            let missing: Vec<String> = paper
                .iter()
                .zip(found)
                .filter(|(_, f)| f.is_none())
                .map(|(spec, _)| spec.display_name())
                .collect();
            return format!(
                "None of the paper's four findings (Glorot fastest early, small normal slowest early, similar plateaus, spread narrowest for Glorot and widest for small normal) can be checked here: each compares small normal (σ = 0.01), Glorot normal and He normal, and this study has no {} runs.\n",
                missing.join(" or ")
            );
        };
        let trio = [small, glorot, he];
        let name = |k: usize| trio[k].init.display_name();
        let d = self.acc_decimals;
        let mut s = String::new();

        // Early speed: the median with every run counted, a run that never
        // reached the threshold later than every epoch, so dropping failures
        // cannot make an initializer look fast.
        let medians = trio.map(|i| i.time_to[0].censored_median());
        let speeds: Vec<String> = (0..3)
            .map(|k| {
                let t = &trio[k].time_to[0];
                let m = medians[k];
                let m = if m.is_finite() { format!("{m}") } else { "beyond the last epoch".to_string() };
                format!("{m} for {}, reached by {} of {}", name(k), t.reached, t.reached + t.never)
            })
            .collect();
        let fastest = extremes(&medians, Ordering::Less);
        let slowest = extremes(&medians, Ordering::Greater);
        let _ = writeln!(
            s,
            "- Glorot improves fastest early: {} (median epochs to 50% of the way to the ceiling, a run that never reached it counted as later than every epoch: {}; fastest: {}).",
            rank_verdict(&fastest, 1),
            speeds.join("; "),
            names_of(&fastest, name)
        );
        let _ = writeln!(
            s,
            "- Small normal improves slowest early: {} (slowest by the same median: {}).",
            rank_verdict(&slowest, 0),
            names_of(&slowest, name)
        );

        let verdict = |ok: bool| if ok { "holds here" } else { "does not hold here" };
        let means = trio.map(|i| i.final_val_acc.mean);
        let range = means.iter().copied().fold(f64::NEG_INFINITY, f64::max)
            - means.iter().copied().fold(f64::INFINITY, f64::min);
        let _ = writeln!(
            s,
            "- All three reach similar plateaus: {} (mean final validation accuracy {:.d$} for {}, {:.d$} for {}, {:.d$} for {}; largest difference {:.1} points, against a margin of 1 point).",
            verdict(range <= 0.01),
            means[0],
            name(0),
            means[1],
            name(1),
            means[2],
            name(2),
            100.0 * range
        );

        // Spread: the order of the standard deviations as shown, and a
        // Brown–Forsythe test of exactly these three initializers.
        let sd = trio.map(|i| rounded(i.final_val_acc.std, d));
        let ordered = sd[1] < sd[2] && sd[2] < sd[0];
        let sds = format!(
            "standard deviations {:.d$} for {}, {:.d$} for {}, {:.d$} for {}",
            sd[1],
            name(1),
            sd[2],
            name(2),
            sd[0],
            name(0)
        );
        let test = stats::brown_forsythe(&trio.map(|i| i.final_val_accs.as_slice()));
        let test_text = match test {
            Some(t) => format!(
                "a Brown–Forsythe test of these three inits {} (F({}, {}) = {:.3}, {})",
                if t.p_value < 0.05 { "finds that their spreads differ" } else { "cannot tell their spreads apart" },
                t.df1,
                t.df2,
                t.statistic,
                stats::format_p(t.p_value)
            ),
            None => "a Brown–Forsythe test of these three inits is not defined for these data (fewer than 2 runs each, or no variation)".to_string(),
        };
        let significant = test.is_some_and(|t| t.p_value < 0.05);
        let spread = match (ordered, significant) {
            (true, true) => format!("holds here ({sds}), and {test_text}"),
            (true, false) => format!("holds in this sample ({sds}), but {test_text}"),
            (false, true) => format!("does not hold here ({sds}: not in that order), though {test_text}"),
            (false, false) => format!("does not hold here ({sds}: not in that order), and {test_text}"),
        };
        let _ = writeln!(
            s,
            "- Spread of final validation accuracy, Glorot narrowest, He moderate, small normal widest: {spread}."
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
        let d = self.train_acc_decimals;
        for i in &self.inits {
            for c in &i.curve {
                let _ = writeln!(
                    s,
                    "| {} | {} | {:.4} ± {:.4} | {:.d$} ± {:.d$} |",
                    i.init.display_name(),
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

/// `x` as shown with `decimals` decimals (so that comparisons agree with
/// the printed numbers).
fn rounded(x: f64, decimals: usize) -> f64 {
    format!("{x:.decimals$}").parse().unwrap_or(x)
}

/// The indices whose key is the extreme one (`Ordering::Less`: the
/// smallest), in order; more than one is a tie.
fn extremes(keys: &[f64], which: Ordering) -> Vec<usize> {
    let mut best: Vec<usize> = Vec::new();
    for (k, key) in keys.iter().enumerate() {
        match best.first().map(|&b| key.total_cmp(&keys[b])) {
            None | Some(Ordering::Equal) => best.push(k),
            Some(o) if o == which => best = vec![k],
            Some(_) => {}
        }
    }
    best
}

/// Whether the paper's "`claimed` is first" holds given who is first.
fn rank_verdict(first: &[usize], claimed: usize) -> &'static str {
    match first {
        [only] if *only == claimed => "holds here",
        _ if first.contains(&claimed) => "undecided here (a tie)",
        _ => "does not hold here",
    }
}

/// The names of `ks`, "A and B, tied" for more than one.
fn names_of(ks: &[usize], name: impl Fn(usize) -> String) -> String {
    let names: Vec<String> = ks.iter().map(|&k| name(k)).collect();
    match names.len() {
        1 => names.join(""),
        _ => format!("{}, tied", names.join(" and ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::study::EpochRecord;

    const EPOCHS: usize = 60;
    const THRESHOLDS: Thresholds = Thresholds { chance: 0.5, ceiling: None };

    /// A run whose training accuracy jumps from chance to 1 at epoch
    /// `reach` (never if `None`), ending at validation accuracy `val`.
    fn run(init: &str, seed: u64, reach: Option<usize>, val: f64) -> RunResult {
        let epochs = (1..=EPOCHS)
            .map(|e| {
                let acc = if reach.is_some_and(|r| e >= r) { 1.0 } else { 0.5 };
                EpochRecord { train_loss: 0.5, train_acc: acc, val_loss: 0.5, val_acc: acc }
            })
            .collect();
        RunResult {
            init: InitSpec::parse(init).unwrap(),
            seed,
            epochs,
            update_size: Vec::new(),
            final_train_loss: 0.1,
            final_train_acc: 1.0,
            final_val_loss: 0.1,
            final_val_acc: val as f32,
            initial: Vec::new(),
            last: Vec::new(),
            error: None,
        }
    }

    /// Ten seeds of `init`, the first `reached` reaching at `epoch`, the
    /// rest never; final validation accuracies `0.9 + spread · (k − 4.5)`.
    fn runs(init: &str, reached: usize, epoch: usize, spread: f64) -> Vec<RunResult> {
        (0..10)
            .map(|k| {
                let reach = (k < reached).then_some(epoch);
                run(init, k as u64, reach, 0.9 + spread * (k as f64 - 4.5))
            })
            .collect()
    }

    fn study(groups: &[(&str, usize, usize, f64)]) -> Summary {
        study_with(groups, 900)
    }

    /// [`study`] with a training set of `train_samples` (the validation set has 300).
    fn study_with(groups: &[(&str, usize, usize, f64)], train_samples: usize) -> Summary {
        let inits: Vec<InitSpec> = groups.iter().map(|g| InitSpec::parse(g.0).unwrap()).collect();
        let all: Vec<RunResult> = groups.iter().flat_map(|&(i, r, e, s)| runs(i, r, e, s)).collect();
        summarize(&inits, &all, &THRESHOLDS, 300, train_samples)
    }

    fn line<'a>(text: &'a str, start: &str) -> &'a str {
        text.lines().find(|l| l.starts_with(start)).unwrap_or_else(|| panic!("no `{start}` in:\n{text}"))
    }

    #[test]
    fn the_censored_median_counts_runs_that_never_reached_as_latest() {
        let t = |per_run: Vec<Option<usize>>| TimeTo {
            fraction: 0.5,
            target: 0.75,
            mean: f64::NAN,
            std: f64::NAN,
            reached: 0,
            never: 0,
            per_run,
        };
        assert_eq!(t(vec![Some(2), Some(4)]).censored_median(), 3.0);
        assert_eq!(t(vec![None, Some(3), Some(1)]).censored_median(), 3.0);
        assert_eq!(t(vec![Some(1), None]).censored_median(), f64::INFINITY);
        assert_eq!(t(vec![Some(1), None, None]).censored_median(), f64::INFINITY);
        assert!(t(Vec::new()).censored_median().is_nan());
    }

    #[test]
    fn an_init_whose_runs_mostly_never_reach_is_not_called_fastest() {
        // Glorot: 3 of 10 reach at epoch 10 (mean of those: 10); He: 10 of
        // 10 at epoch 50; small normal: 10 of 10 at epoch 30.
        let s = study(&[("small", 10, 30, 0.001), ("glorot", 3, 10, 0.001), ("he", 10, 50, 0.001)]);
        assert_eq!(s.inits[1].time_to[0].mean, 10.0, "the mean over the runs that reached it");
        let f = s.findings_text();
        let fast = line(&f, "- Glorot improves fastest early:");
        assert!(fast.starts_with("- Glorot improves fastest early: does not hold here ("), "{fast}");
        assert!(fast.contains("beyond the last epoch for Glorot normal, reached by 3 of 10"), "{fast}");
        assert!(fast.contains("50 for He normal, reached by 10 of 10"), "{fast}");
        assert!(fast.ends_with("fastest: small normal (σ = 0.01))."), "{fast}");
        let slow = line(&f, "- Small normal improves slowest early:");
        assert_eq!(
            slow,
            "- Small normal improves slowest early: does not hold here (slowest by the same median: Glorot normal)."
        );

        // With every run reaching, the earliest median wins; equal medians tie.
        let s = study(&[("small", 10, 30, 0.001), ("glorot", 10, 10, 0.001), ("he", 10, 50, 0.001)]);
        let f = s.findings_text();
        assert!(line(&f, "- Glorot improves fastest early:").contains(": holds here ("), "{f}");
        assert!(line(&f, "- Small normal improves slowest early:").contains(": does not hold here ("), "{f}");
        let s = study(&[("small", 10, 30, 0.001), ("glorot", 10, 10, 0.001), ("he", 6, 10, 0.001)]);
        let fast = s.findings_text();
        let fast = line(&fast, "- Glorot improves fastest early:");
        assert!(fast.contains(": undecided here (a tie) ("), "{fast}");
        assert!(fast.contains("10 for He normal, reached by 6 of 10"), "{fast}");
        assert!(fast.ends_with("fastest: Glorot normal and He normal, tied)."), "{fast}");
    }

    #[test]
    fn a_study_without_the_papers_three_inits_says_which_is_missing() {
        let s = study(&[("glorot", 10, 10, 0.001), ("he", 10, 20, 0.002)]);
        let f = s.findings_text();
        assert_eq!(f.lines().count(), 1, "{f}");
        assert!(f.starts_with("None of the paper's four findings"), "{f}");
        assert!(f.ends_with("this study has no small normal (σ = 0.01) runs.\n"), "{f}");
        let md = s.to_markdown();
        assert!(
            md.contains("## The paper's findings in this study\n\nNone of the paper's four findings"),
            "{md}"
        );

        let s = study(&[("lecun", 10, 10, 0.001), ("he@1=glorot", 10, 20, 0.002)]);
        assert!(
            s.findings_text()
                .ends_with("has no small normal (σ = 0.01) or Glorot normal or He normal runs.\n"),
            "{}",
            s.findings_text()
        );
    }

    #[test]
    fn the_spread_finding_tests_exactly_the_three_inits_it_compares() {
        // A fourth init with a far wider spread makes the study-wide test
        // significant; the paper's three alone are not told apart.
        let s = study(&[
            ("lecun", 10, 10, 0.02),
            ("small", 10, 30, 0.0011),
            ("glorot", 10, 10, 0.001),
            ("he", 10, 20, 0.0012),
        ]);
        let all = s.spread.expect("defined");
        assert_eq!((all.df1, all.df2), (3.0, 36.0));
        assert!(all.p_value < 0.05, "{all:?}");
        let trio: Vec<&[f64]> = [1, 2, 3].iter().map(|&k| s.inits[k].final_val_accs.as_slice()).collect();
        let trio = stats::brown_forsythe(&trio).expect("defined");
        assert!(trio.p_value >= 0.05, "{trio:?}");
        let f = s.findings_text();
        let spread = line(&f, "- Spread of final validation accuracy");
        let test = format!("F(2, 27) = {:.3}, {}", trio.statistic, stats::format_p(trio.p_value));
        assert!(spread.contains(&test), "{spread}\nwants {test}");
        assert!(!spread.contains("F(3, 36)"), "{spread}");
        assert!(spread.contains("cannot tell their spreads apart"), "{spread}");
        assert!(!spread.contains("in order") && !spread.contains("but not significantly"), "{spread}");
        // SDs 0.003 (Glorot), 0.004 (He), 0.003 (small): small is not widest.
        assert!(
            spread.contains(": does not hold here (standard deviations 0.003 for Glorot normal"),
            "{spread}"
        );
        assert!(spread.contains("not in that order"), "{spread}");

        // The paper's order, shown and significant among the three alone.
        let s = study(&[("small", 10, 30, 0.02), ("glorot", 10, 10, 0.001), ("he", 10, 20, 0.004)]);
        let f = s.findings_text();
        let spread = line(&f, "- Spread of final validation accuracy");
        assert!(spread.contains(": holds here (standard deviations 0.003 for Glorot normal, 0.012 for He normal, 0.061 for small normal (σ = 0.01)), and a Brown–Forsythe test of these three inits finds that their spreads differ (F(2, 27) = "), "{spread}");
    }

    #[test]
    fn tables_use_display_names_and_the_json_machine_ids() {
        let s = study(&[("small", 10, 30, 0.001), ("he@1=glorot", 10, 20, 0.001)]);
        let table = s.table();
        assert!(table.starts_with("| init | runs | final val acc mean ± std | min | max | 95% CI of mean | epochs to 50% of the way to the ceiling (reached) | epochs to 90% of the way to the ceiling (reached) |\n"), "{table}");
        assert!(table.contains("\n| small normal (σ = 0.01) | 10 | 0.900 ± 0.003 |"), "{table}");
        assert!(table.contains("\n| He normal; Glorot normal on layer 1 | 10 |"), "{table}");
        let md = s.to_markdown();
        // Training accuracy with the decimals the set resolves (300: 3).
        assert!(
            md.contains("\n| He normal; Glorot normal on layer 1 | 1 | 0.5000 ± 0.0000 | 0.500 ± 0.000 |\n"),
            "{md}"
        );
        let md = study_with(&[("small", 10, 30, 0.001), ("he@1=glorot", 10, 20, 0.001)], 5000).to_markdown();
        assert!(
            md.contains("\n| small normal (σ = 0.01) | 1 | 0.5000 ± 0.0000 | 0.5000 ± 0.0000 |\n"),
            "{md}"
        );
        assert!(!md.contains("| small |") && !md.contains("| he@1=glorot |"), "{md}");
        assert!(
            s.spread_text().contains("- small normal (σ = 0.01) vs He normal; Glorot normal on layer 1: ")
        );
        let json = s.to_json();
        assert!(json.contains("\"init\": \"he@1=glorot\""), "{json}");
        assert!(json.contains("\"a\": \"small\"") && json.contains("\"b\": \"he@1=glorot\""), "{json}");
        assert!(!json.contains("per_run"), "{json}");
    }

    #[test]
    fn spreads_equal_as_shown_are_called_equal() {
        let inits = [InitSpec::parse("glorot").unwrap(), InitSpec::parse("he").unwrap()];
        // Mean absolute deviations from the median 0.0033333 and 0.0033337.
        let runs: Vec<RunResult> = [("glorot", [0.5, 0.5, 0.51]), ("he", [0.5, 0.5, 0.510001])]
            .iter()
            .flat_map(|(i, v)| v.iter().enumerate().map(|(k, &x)| run(i, k as u64, Some(5), x)))
            .collect();
        let s = summarize(&inits, &runs, &THRESHOLDS, 300, 900);
        assert_eq!(s.pairwise[0].smaller, Some(0), "unequal in full precision");
        let text = s.spread_text();
        let pair = line(&text, "- Glorot normal vs He normal:");
        assert!(pair.starts_with("- Glorot normal vs He normal: equal spread — mean abs. deviation from median 0.0033 vs 0.0033, p = "), "{pair}");
    }
}
