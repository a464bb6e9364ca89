//! From run records to verdicts: each claim's per-seed measures, its
//! primary test (components combined as an intersection–union test),
//! Holm–Bonferroni across claims, the verdict and the claim's figure.

use super::registry::{self, ALPHA, BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, CLAIMS, Claim, EARLY_WINDOW};
use super::{Plan, Prepared, RunRecord};
use crate::plot::{self, BoxOpts, Group, LineOpts, Scene, Series};
use crate::stats;
use crate::stats::{self as ts, bootstrap_ci};
use serde::Serialize;
use std::collections::BTreeMap;

/// Every run, indexed by (plan, level, initializer, seed).
pub struct Table<'a> {
    /// The plans.
    pub plans: &'a [Plan],
    /// Each level's data (chance and ceiling).
    pub prepared: &'a [Vec<Prepared>],
    /// The runs, in job order.
    pub records: &'a [RunRecord],
    index: BTreeMap<(usize, usize, usize, u64), usize>,
}

impl<'a> Table<'a> {
    /// Indexes `records`.
    pub fn new(plans: &'a [Plan], prepared: &'a [Vec<Prepared>], records: &'a [RunRecord]) -> Table<'a> {
        let index = records.iter().enumerate().map(|(k, r)| ((r.plan, r.level, r.init, r.seed), k)).collect();
        Table { plans, prepared, records, index }
    }

    /// Index of the plan `id`.
    pub fn plan(&self, id: &str) -> Option<usize> {
        self.plans.iter().position(|p| p.id == id)
    }

    /// The runs of (plan, level, initializer `init`), in seed order.
    pub fn runs(&self, p: usize, l: usize, init: &str) -> Vec<&'a RunRecord> {
        let plan = &self.plans[p];
        let Some(i) = plan.init(init) else { return Vec::new() };
        plan.seeds.iter().filter_map(|&s| self.index.get(&(p, l, i, s)).map(|&k| &self.records[k])).collect()
    }

    /// `f` of each run of (plan, level, `init`), in seed order.
    pub fn values(&self, p: usize, l: usize, init: &str, f: impl Fn(&RunRecord) -> f64) -> Vec<f64> {
        self.runs(p, l, init).into_iter().map(f).collect()
    }
}

/// Rounds to [`registry::SNAP`], so that equal differences tie exactly.
pub fn snap(x: f64) -> f64 {
    (x / registry::SNAP).round() * registry::SNAP
}

fn mean_f32(v: &[f32]) -> f64 {
    if v.is_empty() { f64::NAN } else { v.iter().map(|&x| f64::from(x)).sum::<f64>() / v.len() as f64 }
}

/// Early speed: mean training accuracy over the first
/// [`EARLY_WINDOW`] epochs.
pub fn early_speed(r: &RunRecord) -> f64 {
    mean_f32(&r.train_acc[..r.train_acc.len().min(EARLY_WINDOW)])
}

/// Overall speed: mean training accuracy over all epochs.
pub fn overall_speed(r: &RunRecord) -> f64 {
    mean_f32(&r.train_acc)
}

/// Plateau: mean training accuracy over the last
/// [`registry::PLATEAU_WINDOW`] epochs.
pub fn plateau(r: &RunRecord) -> f64 {
    let n = r.train_acc.len();
    mean_f32(&r.train_acc[n - n.min(registry::PLATEAU_WINDOW)..])
}

/// Total upward movement of the training loss, `Σ max(0, L_e − L_{e−1})`.
pub fn loss_rise(r: &RunRecord) -> f64 {
    r.train_loss.windows(2).map(|w| (f64::from(w[1]) - f64::from(w[0])).max(0.0)).sum()
}

/// Mean over the first epochs and the layers of `‖ΔW‖/‖W‖`.
pub fn update_early(r: &RunRecord) -> f64 {
    stats::mean(&r.update_early_layers)
}

/// Epochs of training accuracy until it first reaches `target`; a run that
/// never does is censored at `epochs + 1` (ranked after every finished run).
pub fn epochs_to(r: &RunRecord, target: f32) -> f64 {
    r.train_acc.iter().position(|&a| a >= target).map_or(r.train_acc.len() + 1, |i| i + 1) as f64
}

/// Each run's mean absolute deviation of its training-accuracy curve from
/// the group's per-epoch median, over the first `window` epochs (all when
/// `None`): a per-seed, curve-wide Brown–Forsythe deviation.
pub fn curve_deviation(runs: &[&RunRecord], window: Option<usize>) -> Vec<f64> {
    let n = runs.iter().map(|r| r.train_acc.len()).min().unwrap_or(0);
    let n = window.map_or(n, |w| w.min(n));
    let medians: Vec<f64> = (0..n)
        .map(|e| stats::median(&runs.iter().map(|r| f64::from(r.train_acc[e])).collect::<Vec<_>>()))
        .collect();
    runs.iter()
        .map(|r| {
            (0..n).map(|e| (f64::from(r.train_acc[e]) - medians[e]).abs()).sum::<f64>() / n.max(1) as f64
        })
        .collect()
}

/// Absolute deviations from the median.
pub fn abs_dev(values: &[f64]) -> Vec<f64> {
    let m = stats::median(values);
    values.iter().map(|v| (v - m).abs()).collect()
}

/// One test of a claim's primary (or secondary) statistic.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Component {
    /// What is compared, e.g. `glorot − he, early speed`.
    pub label: String,
    /// The test, e.g. `Wilcoxon signed-rank (paired)`.
    pub test: String,
    /// Paired units (seeds) or points.
    pub n: usize,
    /// The effect: mean paired difference, slope, …
    pub effect: f64,
    /// Its 95% CI (90% for TOST), `(lo, hi)`.
    pub ci: (f64, f64),
    /// How the CI was made.
    pub ci_method: String,
    /// Standardised effect (`d_z` = mean / SD of the differences), when defined.
    pub standardized: Option<f64>,
    /// The test statistic (z, t, H).
    pub statistic: f64,
    /// The test's p-value (two-sided; TOST: the equivalence p).
    pub p: f64,
    /// Evidence for the claimed direction: `p` when the effect points the
    /// claimed way, else 1.
    pub p_for: f64,
    /// Evidence against it: `p` when the effect points the other way
    /// (TOST: p of a difference beyond the margin), else 1.
    pub p_against: f64,
}

fn paired_diffs(a: &[f64], b: &[f64]) -> Vec<f64> {
    a.iter().zip(b).map(|(x, y)| snap(x - y)).collect()
}

fn mean_ci(d: &[f64], seed: u64) -> (f64, f64) {
    bootstrap_ci(d.len(), BOOTSTRAP_RESAMPLES, seed, |idx| {
        idx.iter().map(|&i| d[i]).sum::<f64>() / idx.len() as f64
    })
}

/// Paired comparison `a − b` (same seeds, same order): Wilcoxon signed-rank
/// on the differences, the mean difference with a paired bootstrap 95% CI
/// and `d_z`. `claimed` is the claimed sign of `a − b` (+1 or −1); the
/// direction is the sign of the Wilcoxon z.
pub fn paired(label: &str, a: &[f64], b: &[f64], claimed: f64) -> Component {
    let d = paired_diffs(a, b);
    let effect = stats::mean(&d);
    let sd = stats::std_dev(&d);
    let w = ts::wilcoxon_signed_rank(&d);
    let (z, p) = w.map_or((0.0, 1.0), |w| (w.z, w.p));
    let agrees = z * claimed > 0.0;
    Component {
        label: label.into(),
        test: "Wilcoxon signed-rank, paired by seed (normal approximation, ties corrected)".into(),
        n: d.len(),
        effect,
        ci: mean_ci(&d, BOOTSTRAP_SEED),
        ci_method: "paired percentile bootstrap of the mean difference".into(),
        standardized: (sd > 0.0).then(|| effect / sd),
        statistic: z,
        p,
        p_for: if agrees { p } else { 1.0 },
        p_against: if z * claimed < 0.0 { p } else { 1.0 },
    }
}

/// OLS slope of `y` on `x` with its t test; `claimed` is the claimed sign.
pub fn slope(label: &str, x: &[f64], y: &[f64], claimed: f64) -> Component {
    let s = ts::ols_slope(x, y);
    let (effect, ci, t, p) = s.map_or((f64::NAN, (f64::NAN, f64::NAN), 0.0, 1.0), |s| {
        (s.slope, s.ci, if s.se > 0.0 { s.slope / s.se } else { 0.0 }, s.p)
    });
    Component {
        label: label.into(),
        test: "OLS slope, t test".into(),
        n: x.len(),
        effect,
        ci,
        ci_method: "t interval of the slope".into(),
        standardized: None,
        statistic: t,
        p,
        p_for: if effect * claimed > 0.0 { p } else { 1.0 },
        p_against: if effect * claimed < 0.0 { p } else { 1.0 },
    }
}

/// Paired TOST equivalence of `a` and `b` within `±margin`.
pub fn tost(label: &str, a: &[f64], b: &[f64], margin: f64) -> Component {
    let d = paired_diffs(a, b);
    let sd = stats::std_dev(&d);
    let t = ts::tost_paired(&d, margin);
    let (effect, ci, pe, pb) = match t {
        Some(t) => (t.mean, t.ci90, t.p_equivalent, t.p_beyond),
        // Zero variance: equivalent iff the constant difference is inside the margin.
        None => {
            let m = stats::mean(&d);
            let inside = m.abs() < margin;
            (m, (m, m), if inside { 0.0 } else { 1.0 }, if inside { 1.0 } else { 0.0 })
        }
    };
    Component {
        label: label.into(),
        test: format!("TOST, paired t, margin ±{margin}"),
        n: d.len(),
        effect,
        ci,
        ci_method: "90% t interval (TOST at α = 0.05)".into(),
        standardized: (sd > 0.0).then(|| effect / sd),
        statistic: f64::NAN,
        p: pe,
        p_for: pe,
        p_against: pb,
    }
}

/// Kruskal–Wallis across `groups` (non-directional).
pub fn kruskal(label: &str, groups: &[Vec<f64>]) -> Component {
    let refs: Vec<&[f64]> = groups.iter().map(Vec::as_slice).collect();
    let k = ts::kruskal_wallis(&refs);
    let (h, p, eps) = k.map_or((0.0, 1.0, f64::NAN), |k| (k.h, k.p, k.epsilon_sq));
    Component {
        label: label.into(),
        test: "Kruskal–Wallis H".into(),
        n: groups.iter().map(Vec::len).sum(),
        effect: eps,
        ci: (f64::NAN, f64::NAN),
        ci_method: "effect is ε² = H/(N − 1); no CI".into(),
        standardized: None,
        statistic: h,
        p,
        p_for: p,
        p_against: 1.0,
    }
}

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
    pub fn word(self) -> &'static str {
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
struct Raw {
    components: Vec<Component>,
    secondary: Vec<Component>,
    notes: Vec<String>,
    figure: Option<Scene>,
}

/// Analyses every claim of the registry; Holm across the run ones.
pub fn analyse(t: &Table<'_>) -> Vec<(ClaimResult, Option<Scene>)> {
    let raws: Vec<Option<Raw>> =
        CLAIMS.iter().map(|c| if c.not_run.is_some() { None } else { one(t, c) }).collect();
    let prim: Vec<(f64, Direction)> = raws
        .iter()
        .map(|r| r.as_ref().map_or((f64::NAN, Direction::Claimed), |r| combine(&r.components)))
        .collect();
    let holm = ts::holm(&prim.iter().map(|p| p.0).collect::<Vec<_>>());
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
                    figure: r.figure.as_ref().map(|_| format!("fig-{}", c.id)),
                },
                r.figure,
            ),
        })
        .collect()
}

const INIT_ORDER: [&str; 5] = ["small", "glorot", "he", "he@1=glorot", "glorot@1=he"];

fn color(init: &str) -> plot::Color {
    plot::series_color(INIT_ORDER.iter().position(|&n| n == init).unwrap_or(5))
}

/// Mean ± SD across seeds of a per-epoch metric, epochs `1..=upto`.
fn curve_series(
    runs: &[&RunRecord],
    init: &str,
    upto: usize,
    f: impl Fn(&RunRecord, usize) -> f64,
    members: bool,
) -> Series {
    let n = runs.iter().map(|r| r.train_acc.len()).min().unwrap_or(0).min(upto);
    let x: Vec<f64> = (1..=n).map(|e| e as f64).collect();
    let cols: Vec<Vec<f64>> = (0..n).map(|e| runs.iter().map(|r| f(r, e)).collect()).collect();
    let s = Series::new(
        &super::display(init),
        color(init),
        x,
        cols.iter().map(|c| stats::mean(c)).collect(),
        cols.iter().map(|c| stats::std_dev(c)).collect(),
    );
    if members { s.with_members(runs.iter().map(|r| (0..n).map(|e| f(r, e)).collect()).collect()) } else { s }
}

/// Across-seed SD per epoch as a line (no band).
fn sd_series(runs: &[&RunRecord], init: &str, upto: usize) -> Series {
    let n = runs.iter().map(|r| r.train_acc.len()).min().unwrap_or(0).min(upto);
    let sd: Vec<f64> = (0..n)
        .map(|e| stats::std_dev(&runs.iter().map(|r| f64::from(r.train_acc[e])).collect::<Vec<_>>()))
        .collect();
    Series::new(&super::display(init), color(init), (1..=n).map(|e| e as f64).collect(), sd, Vec::new())
}

fn boxes(title: &str, y: &str, groups: Vec<(&str, Vec<f64>)>) -> Scene {
    let g: Vec<Group> = groups
        .into_iter()
        .map(|(n, values)| Group { name: super::display(n), color: color(n), values })
        .collect();
    plot::box_points_opts(title, y, &g, &BoxOpts { link: true, ..BoxOpts::default() })
}

/// Per level of a sweep, mean ± SD across seeds of `f`, one series per init.
fn sweep_fig(
    t: &Table<'_>,
    p: usize,
    inits: &[&str],
    (title, x_label, y_label): (&str, &str, &str),
    x_of: impl Fn(f64) -> f64,
    f: impl Fn(&RunRecord) -> f64 + Copy,
) -> Scene {
    let plan = &t.plans[p];
    let series: Vec<Series> = inits
        .iter()
        .map(|&i| {
            let cols: Vec<Vec<f64>> = (0..plan.levels.len()).map(|l| t.values(p, l, i, f)).collect();
            Series::new(
                &super::display(i),
                color(i),
                plan.levels.iter().map(|l| x_of(l.value)).collect(),
                cols.iter().map(|c| stats::mean(c)).collect(),
                cols.iter().map(|c| stats::std_dev(c)).collect(),
            )
        })
        .collect();
    plot::line_bands_opts(title, x_label, y_label, &series, &LineOpts::default())
}

fn sd_ratio(a: &[f64], b: &[f64], label: &str) -> Component {
    let r = stats::std_dev(a) / stats::std_dev(b);
    let ci = bootstrap_ci(a.len(), BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, |idx| {
        let (x, y): (Vec<f64>, Vec<f64>) = idx.iter().map(|&i| (a[i], b[i])).unzip();
        stats::std_dev(&x) / stats::std_dev(&y)
    });
    let bf = stats::brown_forsythe(&[a, b]);
    let p = bf.map_or(f64::NAN, |b| b.p_value);
    Component {
        label: label.into(),
        test: "SD ratio; Brown–Forsythe p (unpaired)".into(),
        n: a.len(),
        effect: r,
        ci,
        ci_method: "paired percentile bootstrap of the SD ratio".into(),
        standardized: None,
        statistic: bf.map_or(f64::NAN, |b| b.statistic),
        p,
        p_for: f64::NAN,
        p_against: f64::NAN,
    }
}

/// Per seed, the mean of `f(init_a) − f(init_b)` over the levels `keep`.
fn level_mean_diff(
    t: &Table<'_>,
    p: usize,
    a: &str,
    b: &str,
    keep: impl Fn(f64) -> bool,
    f: impl Fn(&RunRecord) -> f64 + Copy,
) -> (Vec<f64>, Vec<f64>) {
    let plan = &t.plans[p];
    let ls: Vec<usize> = (0..plan.levels.len()).filter(|&l| keep(plan.levels[l].value)).collect();
    let n = plan.seeds.len();
    let avg = |init: &str| -> Vec<f64> {
        let per: Vec<Vec<f64>> = ls.iter().map(|&l| t.values(p, l, init, f)).collect();
        (0..n).map(|s| per.iter().map(|v| v[s]).sum::<f64>() / per.len().max(1) as f64).collect()
    };
    (avg(a), avg(b))
}

/// (x, y) points of a per-seed difference `g(level)` over every level.
fn trend_points(
    t: &Table<'_>,
    p: usize,
    x_of: impl Fn(f64) -> f64,
    g: impl Fn(usize) -> Vec<f64>,
) -> (Vec<f64>, Vec<f64>) {
    let plan = &t.plans[p];
    let (mut x, mut y) = (Vec::new(), Vec::new());
    for (l, level) in plan.levels.iter().enumerate() {
        for v in g(l) {
            x.push(x_of(level.value));
            y.push(v);
        }
    }
    (x, y)
}

/// Per seed, the range (max − min) of one value across initializers:
/// `cols[i][s]` is initializer `i`'s value for seed `s`.
fn range_across(cols: &[Vec<f64>]) -> Vec<f64> {
    (0..cols.first().map_or(0, Vec::len))
        .map(|s| {
            let at: Vec<f64> = cols.iter().map(|c| c[s]).collect();
            snap(stats::max(&at) - stats::min(&at))
        })
        .collect()
}

fn sub(a: &[f64], b: &[f64]) -> Vec<f64> {
    a.iter().zip(b).map(|(x, y)| x - y).collect()
}

fn normalised(t: &Table<'_>, p: usize, l: usize) -> impl Fn(&RunRecord) -> f64 + Copy + 'static {
    let th = t.prepared[p][l].thresholds;
    let (chance, top) = (th.chance, th.top());
    move |r: &RunRecord| (overall_speed(r) - chance) / (top - chance)
}

fn one(t: &Table<'_>, c: &Claim) -> Option<Raw> {
    let base = t.plan("base")?;
    let v = |init: &str, f: &dyn Fn(&RunRecord) -> f64| t.values(base, 0, init, f);
    let th = t.prepared[base][0].thresholds;
    let mut notes = Vec::new();
    let mut secondary = Vec::new();
    let (components, figure) = match c.id {
        "r1-glorot-early-speed" => {
            let (g, h, s) = (v("glorot", &early_speed), v("he", &early_speed), v("small", &early_speed));
            let e50 = |i: &str| v(i, &|r| epochs_to(r, th.target(0.5)));
            secondary.push(paired(
                "glorot − he, epochs to 50% of the way to the ceiling",
                &e50("glorot"),
                &e50("he"),
                -1.0,
            ));
            secondary.push(paired(
                "glorot − small, epochs to 50% of the way to the ceiling",
                &e50("glorot"),
                &e50("small"),
                -1.0,
            ));
            let runs: Vec<Series> = ["small", "glorot", "he"]
                .iter()
                .map(|i| {
                    curve_series(
                        &t.runs(base, 0, i),
                        i,
                        2 * EARLY_WINDOW,
                        |r, e| f64::from(r.train_acc[e]),
                        true,
                    )
                })
                .collect();
            let fig = plot::line_bands_opts(
                "r1: training accuracy, first epochs (mean ± SD)",
                "epoch",
                "training accuracy",
                &runs,
                &LineOpts { hlines: vec![(th.top(), "ceiling".into())], ..LineOpts::default() },
            );
            (
                vec![
                    paired("glorot − he, early speed", &g, &h, 1.0),
                    paired("glorot − small, early speed", &g, &s, 1.0),
                ],
                fig,
            )
        }
        "r1b-small-loss-oscillation" => {
            let (s, g, h) = (v("small", &loss_rise), v("glorot", &loss_rise), v("he", &loss_rise));
            secondary.push(paired("he − glorot, loss rise", &h, &g, 1.0));
            let fig = boxes(
                "r1b: total upward movement of the training loss",
                "Σ max(0, ΔL)",
                vec![("small", s.clone()), ("glorot", g.clone()), ("he", h)],
            );
            (vec![paired("small − glorot, loss rise", &s, &g, 1.0)], fig)
        }
        "r2-small-slow-variable" => {
            let (s, g) = (v("small", &early_speed), v("glorot", &early_speed));
            let (rs, rg) = (t.runs(base, 0, "small"), t.runs(base, 0, "glorot"));
            let (ds, dg) = (curve_deviation(&rs, None), curve_deviation(&rg, None));
            secondary.push(sd_ratio(&s, &g, "SD ratio small / glorot, early speed"));
            let e = rs.first().map_or(0, |r| r.train_acc.len());
            let fig = plot::line_bands_opts(
                "r2: across-seed SD of training accuracy per epoch",
                "epoch",
                "SD across seeds",
                &[sd_series(&rs, "small", e), sd_series(&rg, "glorot", e)],
                &LineOpts::default(),
            );
            (
                vec![
                    paired("small − glorot, early speed", &s, &g, -1.0),
                    paired("small − glorot, curve deviation (all epochs)", &ds, &dg, 1.0),
                ],
                fig,
            )
        }
        "r3-he-early-variance" => {
            let (rh, rg) = (t.runs(base, 0, "he"), t.runs(base, 0, "glorot"));
            let w = Some(registry::SPREAD_WINDOW);
            let (dh, dg) = (curve_deviation(&rh, w), curve_deviation(&rg, w));
            let n = registry::SPREAD_WINDOW.min(rh.first().map_or(0, |r| r.train_acc.len()));
            let ratio = |idx: &[usize]| {
                (0..n)
                    .map(|e| {
                        let a: Vec<f64> = idx.iter().map(|&i| f64::from(rh[i].train_acc[e])).collect();
                        let b: Vec<f64> = idx.iter().map(|&i| f64::from(rg[i].train_acc[e])).collect();
                        stats::std_dev(&a) / stats::std_dev(&b)
                    })
                    .sum::<f64>()
                    / n.max(1) as f64
            };
            let all: Vec<usize> = (0..rh.len()).collect();
            secondary.push(Component {
                label: "mean SD ratio he / glorot, epochs 1–10".into(),
                test: "descriptive".into(),
                n: rh.len(),
                effect: ratio(&all),
                ci: bootstrap_ci(rh.len(), BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, ratio),
                ci_method: "paired percentile bootstrap".into(),
                standardized: None,
                statistic: f64::NAN,
                p: f64::NAN,
                p_for: f64::NAN,
                p_against: f64::NAN,
            });
            let reached = rh.iter().filter(|r| r.train_acc.iter().any(|&a| a >= th.target(0.9))).count();
            notes.push(format!(
                "He runs reaching 90% of the way from chance to the ceiling: {reached} of {}.",
                rh.len()
            ));
            let fig = plot::line_bands_opts(
                "r3: across-seed SD of training accuracy, early epochs",
                "epoch",
                "SD across seeds",
                &[sd_series(&rg, "glorot", EARLY_WINDOW), sd_series(&rh, "he", EARLY_WINDOW)],
                &LineOpts::default(),
            );
            (vec![paired("he − glorot, early curve deviation (epochs 1–10)", &dh, &dg, 1.0)], fig)
        }
        "r4-similar-plateaus" => {
            let m = registry::EQUIVALENCE_MARGIN;
            let (s, g, h) = (v("small", &plateau), v("glorot", &plateau), v("he", &plateau));
            let fv = |i: &str| v(i, &|r| f64::from(r.final_val_acc));
            secondary.push(tost("glorot − he, final validation accuracy", &fv("glorot"), &fv("he"), m));
            secondary.push(tost("glorot − small, final validation accuracy", &fv("glorot"), &fv("small"), m));
            secondary.push(tost("he − small, final validation accuracy", &fv("he"), &fv("small"), m));
            let fig = boxes(
                "r4: plateau (mean training accuracy, last 25 epochs)",
                "training accuracy",
                vec![("small", s.clone()), ("glorot", g.clone()), ("he", h.clone())],
            );
            (
                vec![
                    tost("glorot − he, plateau", &g, &h, m),
                    tost("glorot − small, plateau", &g, &s, m),
                    tost("he − small, plateau", &h, &s, m),
                ],
                fig,
            )
        }
        "r5-val-spread-order" => {
            let fv = |i: &str| v(i, &|r| f64::from(r.final_val_acc));
            let (s, g, h) = (fv("small"), fv("glorot"), fv("he"));
            if let Some(bf) = stats::brown_forsythe(&[&s, &g, &h]) {
                notes.push(format!(
                    "Brown–Forsythe across small, glorot, he: F({}, {}) = {:.3}, {}.",
                    bf.df1,
                    bf.df2,
                    bf.statistic,
                    stats::format_p(bf.p_value)
                ));
            }
            secondary.push(sd_ratio(&h, &g, "SD ratio he / glorot, final validation accuracy"));
            secondary.push(sd_ratio(&s, &h, "SD ratio small / he, final validation accuracy"));
            let fig = boxes(
                "r5: final validation accuracy",
                "validation accuracy",
                vec![("small", s.clone()), ("glorot", g.clone()), ("he", h.clone())],
            );
            let (zs, zg, zh) = (abs_dev(&s), abs_dev(&g), abs_dev(&h));
            (
                vec![
                    paired("he − glorot, |val − median|", &zh, &zg, 1.0),
                    paired("small − he, |val − median|", &zs, &zh, 1.0),
                ],
                fig,
            )
        }
        "r6-boundary-regularity" => {
            let b = |i: &str| v(i, &|r| r.boundary.unwrap_or(f64::NAN));
            let (s, g, h) = (b("small"), b("glorot"), b("he"));
            secondary.push(paired("he − glorot, boundary length", &h, &g, 1.0));
            let fig = boxes(
                "r6: decision-boundary length on the grid",
                "length (data units)",
                vec![("small", s.clone()), ("glorot", g.clone()), ("he", h)],
            );
            (vec![paired("small − glorot, boundary length", &s, &g, 1.0)], fig)
        }
        "r7-small-relative-updates" => {
            let (s, g, h) = (v("small", &update_early), v("glorot", &update_early), v("he", &update_early));
            let layers = t.runs(base, 0, "small").first().map_or(0, |r| r.update_early_layers.len());
            for k in 0..layers {
                let lk = |i: &str| v(i, &|r| r.update_early_layers[k]);
                secondary.push(paired(
                    &format!("small − glorot, layer {}", k + 1),
                    &lk("small"),
                    &lk("glorot"),
                    1.0,
                ));
            }
            let series: Vec<Series> = ["small", "glorot", "he"]
                .iter()
                .map(|i| {
                    curve_series(
                        &t.runs(base, 0, i),
                        i,
                        2 * EARLY_WINDOW,
                        |r, e| f64::from(r.update_mean[e]),
                        false,
                    )
                })
                .collect();
            let fig = plot::line_bands_opts(
                "r7: relative weight change per epoch, mean over layers",
                "epoch",
                "‖ΔW‖ / ‖W‖",
                &series,
                &LineOpts { log_y: true, ..LineOpts::default() },
            );
            (
                vec![
                    paired("small − glorot, early relative update", &s, &g, 1.0),
                    paired("small − he, early relative update", &s, &h, 1.0),
                ],
                fig,
            )
        }
        "d1-fan-in" => {
            let p = t.plan("fan-in")?;
            let w = Some(registry::SPREAD_WINDOW);
            let diff = |l: usize| {
                sub(&curve_deviation(&t.runs(p, l, "he"), w), &curve_deviation(&t.runs(p, l, "glorot"), w))
            };
            let (x, y) = trend_points(t, p, f64::log2, diff);
            for (l, level) in t.plans[p].levels.iter().enumerate() {
                notes.push(format!(
                    "{}: mean he − glorot early deviation {:+.5}",
                    level.label,
                    stats::mean(&diff(l))
                ));
            }
            let plan = &t.plans[p];
            let series: Vec<Series> = ["glorot", "he"]
                .iter()
                .map(|&i| {
                    let cols: Vec<Vec<f64>> =
                        (0..plan.levels.len()).map(|l| curve_deviation(&t.runs(p, l, i), w)).collect();
                    Series::new(
                        &super::display(i),
                        color(i),
                        plan.levels.iter().map(|l| l.value.log2()).collect(),
                        cols.iter().map(|c| stats::mean(c)).collect(),
                        cols.iter().map(|c| stats::std_dev(c)).collect(),
                    )
                })
                .collect();
            let fig = plot::line_bands_opts(
                "d1: early variability against input dimension",
                "log2 D (input dimension)",
                "deviation from median curve, epochs 1–10",
                &series,
                &LineOpts::default(),
            );
            (vec![slope("slope of he − glorot early deviation on log2 D", &x, &y, -1.0)], fig)
        }
        "d1b-first-layer-intervention" => {
            let w = Some(registry::SPREAD_WINDOW);
            let dev = |i: &str| curve_deviation(&t.runs(base, 0, i), w);
            let (g, h, hg, gh) = (dev("glorot"), dev("he"), dev("he@1=glorot"), dev("glorot@1=he"));
            for i in ["glorot", "he", "he@1=glorot", "glorot@1=he"] {
                notes.push(format!(
                    "{i}: mean early speed {:.4}, mean early deviation {:.5}",
                    stats::mean(&v(i, &early_speed)),
                    stats::mean(&dev(i))
                ));
            }
            let fig = boxes(
                "d1b: early variability (epochs 1–10) with the first layer swapped",
                "deviation from median curve",
                vec![
                    ("glorot", g.clone()),
                    ("glorot@1=he", gh.clone()),
                    ("he", h.clone()),
                    ("he@1=glorot", hg.clone()),
                ],
            );
            (
                vec![
                    paired("glorot@1=he − glorot, early deviation", &gh, &g, 1.0),
                    paired("he@1=glorot − he, early deviation", &hg, &h, -1.0),
                ],
                fig,
            )
        }
        "d2-he-deep" | "d3-glorot-shallow" | "d4-small-depth" => {
            let p = t.plan("depth")?;
            let fig = sweep_fig(
                t,
                p,
                &["small", "glorot", "he"],
                (
                    &format!("{}: overall speed against depth", &c.id[..2]),
                    "hidden layers (width 64)",
                    "mean training accuracy, all epochs",
                ),
                |x| x,
                overall_speed,
            );
            let comps = match c.id {
                "d2-he-deep" => {
                    let (h, g) = level_mean_diff(
                        t,
                        p,
                        "he",
                        "glorot",
                        |d| d >= registry::DEEP_MIN_HIDDEN as f64,
                        overall_speed,
                    );
                    let (x, y) = trend_points(t, p, f64::log2, |l| {
                        sub(&t.values(p, l, "he", overall_speed), &t.values(p, l, "glorot", overall_speed))
                    });
                    secondary.push(slope("slope of he − glorot on log2 depth", &x, &y, 1.0));
                    vec![paired("he − glorot, overall speed, depth ≥ 8", &h, &g, 1.0)]
                }
                "d3-glorot-shallow" => {
                    let (g, h) = level_mean_diff(
                        t,
                        p,
                        "glorot",
                        "he",
                        |d| d <= registry::SHALLOW_MAX_HIDDEN as f64,
                        overall_speed,
                    );
                    if let Some(f) = t.plan("fan-in") {
                        let (g2, h2) = level_mean_diff(t, f, "glorot", "he", |d| d <= 4.0, overall_speed);
                        secondary.push(paired("glorot − he, overall speed, D ≤ 4", &g2, &h2, 1.0));
                    }
                    vec![paired("glorot − he, overall speed, depth ≤ 3", &g, &h, 1.0)]
                }
                _ => {
                    let (x, y) = trend_points(t, p, f64::log2, |l| {
                        sub(&t.values(p, l, "glorot", overall_speed), &t.values(p, l, "small", overall_speed))
                    });
                    let (xv, yv) = trend_points(t, p, f64::log2, |l| {
                        sub(
                            &abs_dev(&t.values(p, l, "small", overall_speed)),
                            &abs_dev(&t.values(p, l, "glorot", overall_speed)),
                        )
                    });
                    secondary.push(slope(
                        "slope of small − glorot |speed − median| on log2 depth",
                        &xv,
                        &yv,
                        1.0,
                    ));
                    vec![slope("slope of glorot − small overall speed on log2 depth", &x, &y, 1.0)]
                }
            };
            (comps, fig)
        }
        "d2b-he-wide" => {
            let p = t.plan("width")?;
            let d = |l: usize| {
                sub(&t.values(p, l, "he", overall_speed), &t.values(p, l, "glorot", overall_speed))
            };
            let (x, y) = trend_points(t, p, f64::log2, d);
            for (l, level) in t.plans[p].levels.iter().enumerate() {
                notes.push(format!(
                    "{}: mean he − glorot overall speed {:+.4}",
                    level.label,
                    stats::mean(&d(l))
                ));
            }
            let fig = sweep_fig(
                t,
                p,
                &["glorot", "he"],
                (
                    "d2b: overall speed against width",
                    "log2 width (3 hidden layers)",
                    "mean training accuracy, all epochs",
                ),
                f64::log2,
                overall_speed,
            );
            (vec![slope("slope of he − glorot overall speed on log2 width", &x, &y, 1.0)], fig)
        }
        "d4b-small-task" => {
            let p = t.plan("task")?;
            let d = |l: usize| {
                let f = normalised(t, p, l);
                sub(&t.values(p, l, "glorot", f), &t.values(p, l, "small", f))
            };
            let (x, y) = trend_points(t, p, |x| x, d);
            for (l, level) in t.plans[p].levels.iter().enumerate() {
                notes.push(format!(
                    "{}: mean glorot − small normalised speed {:+.4}",
                    level.label,
                    stats::mean(&d(l))
                ));
            }
            let plan = &t.plans[p];
            let series: Vec<Series> = ["small", "glorot", "he"]
                .iter()
                .map(|&i| {
                    let cols: Vec<Vec<f64>> =
                        (0..plan.levels.len()).map(|l| t.values(p, l, i, normalised(t, p, l))).collect();
                    Series::new(
                        &super::display(i),
                        color(i),
                        plan.levels.iter().map(|l| l.value).collect(),
                        cols.iter().map(|c| stats::mean(c)).collect(),
                        cols.iter().map(|c| stats::std_dev(c)).collect(),
                    )
                })
                .collect();
            let names: Vec<String> = plan.levels.iter().map(|l| l.label.clone()).collect();
            let fig = plot::line_bands_opts(
                &format!("d4b: normalised overall speed by task ({})", names.join(" → ")),
                "complexity rank",
                "(acc − chance) / (ceiling − chance)",
                &series,
                &LineOpts::default(),
            );
            (vec![slope("slope of glorot − small normalised speed on complexity rank", &x, &y, 1.0)], fig)
        }
        "d5-learning-rate" => {
            let p = t.plan("lr")?;
            let plan = &t.plans[p];
            let groups: Vec<Vec<f64>> = (0..plan.levels.len())
                .map(|l| {
                    range_across(
                        &["small", "glorot", "he"]
                            .iter()
                            .map(|i| t.values(p, l, i, early_speed))
                            .collect::<Vec<_>>(),
                    )
                })
                .collect();
            for (l, g) in groups.iter().enumerate() {
                notes.push(format!(
                    "{}: mean range of early speed across inits {:.4}",
                    plan.levels[l].label,
                    stats::mean(g)
                ));
            }
            let fig = sweep_fig(
                t,
                p,
                &["small", "glorot", "he"],
                (
                    "d5: early speed against Adam's learning rate",
                    "log10 learning rate",
                    "mean training accuracy, epochs 1–25",
                ),
                f64::log10,
                early_speed,
            );
            (vec![kruskal("range of early speed across inits, by lr", &groups)], fig)
        }
        "d6-normalization" => {
            let p = t.plan("norm")?;
            let inits = ["small", "glorot", "he"];
            let speed = |l: usize| {
                range_across(&inits.iter().map(|i| t.values(p, l, i, early_speed)).collect::<Vec<_>>())
            };
            let spread = |l: usize| {
                range_across(
                    &inits
                        .iter()
                        .map(|i| curve_deviation(&t.runs(p, l, i), Some(EARLY_WINDOW)))
                        .collect::<Vec<_>>(),
                )
            };
            let (speed_plain, speed_norm) = (speed(0), speed(1));
            let (spread_plain, spread_norm) = (spread(0), spread(1));
            for i in inits {
                let (a, b) = (t.values(p, 1, i, early_speed), t.values(p, 0, i, early_speed));
                secondary.push(paired(&format!("{i}: early speed, LayerNorm − none"), &a, &b, 1.0));
            }
            for i in inits {
                let fv = |l: usize| t.values(p, l, i, |r| f64::from(r.final_val_acc));
                secondary.push(sd_ratio(
                    &fv(1),
                    &fv(0),
                    &format!("SD ratio LayerNorm / none, {i} final validation accuracy"),
                ));
            }
            for (l, level) in t.plans[p].levels.iter().enumerate() {
                let fv: Vec<Vec<f64>> =
                    inits.iter().map(|i| t.values(p, l, i, |r| f64::from(r.final_val_acc))).collect();
                if let Some(bf) = stats::brown_forsythe(&fv.iter().map(Vec::as_slice).collect::<Vec<_>>()) {
                    notes.push(format!(
                        "{}: Brown–Forsythe across small, glorot, he (final validation accuracy): F({}, {}) = {:.3}, {}.",
                        level.label,
                        bf.df1,
                        bf.df2,
                        bf.statistic,
                        stats::format_p(bf.p_value)
                    ));
                }
                notes.push(format!(
                    "{}: mean range across inits of early speed {:.4}, of early variability {:.4}.",
                    level.label,
                    stats::mean(if l == 0 { &speed_plain } else { &speed_norm }),
                    stats::mean(if l == 0 { &spread_plain } else { &spread_norm })
                ));
            }
            let groups = [("no normalization", 5, speed_plain.clone()), ("LayerNorm", 6, speed_norm.clone())]
                .into_iter()
                .map(|(name, c, values)| Group { name: name.into(), color: plot::series_color(c), values })
                .collect::<Vec<_>>();
            let fig = plot::box_points_opts(
                "d6: range of early speed across small, Glorot and He, per seed",
                "max − min of mean training accuracy, epochs 1–25",
                &groups,
                &BoxOpts {
                    link: true,
                    x_label: "normalization between each hidden layer and its ReLU".into(),
                    ..BoxOpts::default()
                },
            );
            (
                vec![
                    paired(
                        "none − LayerNorm, range of early speed across inits",
                        &speed_plain,
                        &speed_norm,
                        1.0,
                    ),
                    paired(
                        "none − LayerNorm, range of early variability across inits",
                        &spread_plain,
                        &spread_norm,
                        1.0,
                    ),
                ],
                fig,
            )
        }
        "c1-epochs-to-target" => {
            let e90 = |i: &str| v(i, &|r| epochs_to(r, th.target(0.9)));
            let (s, g, h) = (e90("small"), e90("glorot"), e90("he"));
            let e = t.runs(base, 0, "small").first().map_or(0, |r| r.train_acc.len()) as f64;
            for (i, x) in [("small", &s), ("glorot", &g), ("he", &h)] {
                notes.push(format!(
                    "{i}: {} of {} runs censored (never reached)",
                    x.iter().filter(|&&v| v > e).count(),
                    x.len()
                ));
            }
            secondary.push(paired("he − glorot, epochs to 90% of the way to the ceiling", &h, &g, 1.0));
            let fig = boxes(
                "c1: epochs to 90% of the way from chance to the ceiling",
                "epochs (censored at epochs + 1)",
                vec![("small", s.clone()), ("glorot", g.clone()), ("he", h)],
            );
            (vec![paired("small − glorot, epochs to 90% of the way to the ceiling", &s, &g, 1.0)], fig)
        }
        _ => return None,
    };
    Some(Raw { components, secondary, notes, figure: Some(figure) })
}
