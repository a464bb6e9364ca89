//! Version 2's claims on a sweep of one factor (d1–d6), with seeds as
//! blocks: every sweep runs the same seeds at every level, so a trend is
//! each seed's slope across the levels, tested by a sign-flip test of the
//! mean slope, and a contrast between levels is a per-seed difference.

use super::Raw;
use super::measures::{curve_deviation, early, failures, n_train, overall, range_across};
use super::parts::{Part, friedman_part, page, paired, signed_rank, slopes, sub};
use super::variability::{spread, variability_trend};
use crate::claims::RunRecord;
use crate::claims::analysis::figure::{color, sweep_fig};
use crate::claims::analysis::{Table, overall_speed};
use crate::claims::display;
use crate::claims::v2::registry::{
    DEEP_MIN_HIDDEN, EARLY_WINDOW, PAPER_LEARNING_RATE, SHALLOW_MAX_HIDDEN, SPREAD_WINDOW,
};
use crate::plot::{self, BoxOpts, Group, LineOpts, Scene, Series};
use crate::stats::{self, Alternative};

/// Training examples of plan `p`'s runs (the same at every level of a sweep
/// on one data set), and its epochs.
fn size(t: &Table<'_>, p: usize) -> Option<(f64, f64)> {
    let r = t.runs(p, 0, t.plans[p].inits[0].name().as_str()).into_iter().next()?;
    Some((n_train(r), r.train_acc.len() as f64))
}

/// Per seed, `g(level)` at every level: `rows[s][l]`.
fn rows(t: &Table<'_>, p: usize, g: impl Fn(usize) -> Vec<f64>) -> Vec<Vec<f64>> {
    let per: Vec<Vec<f64>> = (0..t.plans[p].levels.len()).map(g).collect();
    (0..t.plans[p].seeds.len()).map(|s| per.iter().map(|v| v[s]).collect()).collect()
}

/// The levels' positions `x_of(value)`.
fn xs(t: &Table<'_>, p: usize, x_of: impl Fn(f64) -> f64) -> Vec<f64> {
    t.plans[p].levels.iter().map(|l| x_of(l.value)).collect()
}

/// Per seed, `f(a) − f(b)` summed over the levels `keep` accepts, and how many levels that is.
fn summed_diff(
    t: &Table<'_>,
    p: usize,
    (a, b): (&str, &str),
    keep: impl Fn(f64) -> bool,
    f: impl Fn(&RunRecord) -> f64 + Copy,
) -> (Vec<f64>, usize) {
    let ls: Vec<usize> = (0..t.plans[p].levels.len()).filter(|&l| keep(t.plans[p].levels[l].value)).collect();
    let n = t.plans[p].seeds.len();
    let d: Vec<Vec<f64>> = ls.iter().map(|&l| sub(&t.values(p, l, a, f), &t.values(p, l, b, f))).collect();
    ((0..n).map(|s| d.iter().map(|v| v[s]).sum()).collect(), ls.len())
}

/// Overall speed against depth, per initializer (the depth claims' figure).
fn depth_figure(t: &Table<'_>, p: usize, id: &str, inits: &[&str]) -> Scene {
    sweep_fig(
        t,
        p,
        inits,
        (
            &format!("{id}: overall speed against depth"),
            "hidden layers (width 64)",
            "mean training accuracy, all epochs",
        ),
        |x| x,
        overall_speed,
    )
}

/// d1: He's extra early spread over Glorot shrinks as the fan-in grows.
pub(crate) fn d1_fan_in(t: &Table<'_>) -> Option<Raw> {
    let p = t.plan("fan-in")?;
    let (n, _) = size(t, p)?;
    let unit = SPREAD_WINDOW as f64 * n;
    let dev = |l: usize, i: &str| curve_deviation(&t.runs(p, l, i), SPREAD_WINDOW);
    let diff = |l: usize| sub(&dev(l, "he"), &dev(l, "glorot"));
    let r = rows(t, p, diff);
    let x = xs(t, p, f64::log2);
    let plan = &t.plans[p];
    let notes = plan
        .levels
        .iter()
        .enumerate()
        .map(|(l, level)| {
            format!("{}: mean he − glorot early deviation {:+.5}", level.label, stats::mean(&diff(l)) / unit)
        })
        .collect();
    let series: Vec<Series> = ["glorot", "he"]
        .iter()
        .map(|&i| {
            let cols: Vec<Vec<f64>> =
                (0..plan.levels.len()).map(|l| dev(l, i).iter().map(|d| d / unit).collect()).collect();
            Series::new(
                &display(i),
                color(i),
                x.clone(),
                cols.iter().map(|c| stats::mean(c)).collect(),
                cols.iter().map(|c| stats::std_dev(c)).collect(),
            )
        })
        .collect();
    let figure = plot::line_bands_opts(
        "d1: early variability against input dimension",
        "log2 D (input dimension)",
        "deviation from median curve, epochs 1–10",
        &series,
        &LineOpts::default(),
    );
    Some(Raw {
        parts: vec![slopes(
            "per-seed slope of he − glorot early deviation on log2 D",
            &x,
            &r,
            Alternative::Less,
            unit,
        )],
        secondary: vec![page("he − glorot early deviation across D", &r, Alternative::Less)],
        notes,
        figure,
    })
}

/// d2: He is faster than Glorot in deep networks.
pub(crate) fn d2_he_deep(t: &Table<'_>) -> Option<Raw> {
    let p = t.plan("depth")?;
    let (n, e) = size(t, p)?;
    let (d, k) = summed_diff(t, p, ("he", "glorot"), |v| v >= DEEP_MIN_HIDDEN as f64, overall);
    if k == 0 {
        return None;
    }
    let r = rows(t, p, |l| sub(&t.values(p, l, "he", overall), &t.values(p, l, "glorot", overall)));
    Some(Raw {
        parts: vec![signed_rank(
            "he − glorot, overall speed, depth ≥ 8",
            &d,
            Alternative::Greater,
            k as f64 * e * n,
        )],
        secondary: vec![slopes(
            "per-seed slope of he − glorot on log2 depth",
            &xs(t, p, f64::log2),
            &r,
            Alternative::Greater,
            e * n,
        )],
        notes: Vec::new(),
        figure: depth_figure(t, p, "d2", &["small", "glorot", "he"]),
    })
}

/// d2b: He gains on Glorot as the hidden layers widen.
pub(crate) fn d2b_he_wide(t: &Table<'_>) -> Option<Raw> {
    let p = t.plan("width")?;
    let (n, e) = size(t, p)?;
    let d = |l: usize| sub(&t.values(p, l, "he", overall), &t.values(p, l, "glorot", overall));
    let r = rows(t, p, d);
    let notes = t.plans[p]
        .levels
        .iter()
        .enumerate()
        .map(|(l, level)| {
            format!("{}: mean he − glorot overall speed {:+.4}", level.label, stats::mean(&d(l)) / (e * n))
        })
        .collect();
    let figure = sweep_fig(
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
    Some(Raw {
        parts: vec![slopes(
            "per-seed slope of he − glorot overall speed on log2 width",
            &xs(t, p, f64::log2),
            &r,
            Alternative::Greater,
            e * n,
        )],
        secondary: vec![page("he − glorot overall speed across widths", &r, Alternative::Greater)],
        notes,
        figure,
    })
}

/// d3: Glorot is faster than He in shallow networks.
pub(crate) fn d3_glorot_shallow(t: &Table<'_>) -> Option<Raw> {
    let p = t.plan("depth")?;
    let (n, e) = size(t, p)?;
    let (d, k) = summed_diff(t, p, ("glorot", "he"), |v| v <= SHALLOW_MAX_HIDDEN as f64, overall);
    if k == 0 {
        return None;
    }
    let mut secondary = Vec::new();
    if let Some(f) = t.plan("fan-in") {
        let (d2, k2) = summed_diff(t, f, ("glorot", "he"), |v| v <= 4.0, overall);
        if k2 > 0 {
            secondary.push(signed_rank(
                "glorot − he, overall speed, D ≤ 4",
                &d2,
                Alternative::Greater,
                k2 as f64 * e * n,
            ));
        }
    }
    Some(Raw {
        parts: vec![signed_rank(
            "glorot − he, overall speed, depth ≤ 3",
            &d,
            Alternative::Greater,
            k as f64 * e * n,
        )],
        secondary,
        notes: Vec::new(),
        figure: depth_figure(t, p, "d3", &["small", "glorot", "he"]),
    })
}

/// The small-normal variability claims d4 and d4b on plan `p`: the trend of
/// small's variability over Glorot's in `f` along `x`.
fn small_variability(
    t: &Table<'_>,
    p: usize,
    x: &[f64],
    f: &dyn Fn(usize, &RunRecord) -> f64,
    unit: f64,
) -> (Part, Vec<Part>, Vec<String>) {
    let levels = t.plans[p].levels.len();
    let vals = |i: &str| (0..levels).map(|l| t.values(p, l, i, |r| f(l, r))).collect::<Vec<_>>();
    let fails = |i: &str| (0..levels).map(|l| failures(t, p, l, i)).collect::<Vec<_>>();
    let (s, g, fs, fg) = (vals("small"), vals("glorot"), fails("small"), fails("glorot"));
    let part = variability_trend(
        "small over glorot, variability growing along the sweep",
        x,
        (&s, &fs),
        (&g, &fg),
        Alternative::Greater,
        unit,
    );
    let shortfall = rows(t, p, |l| sub(&g[l], &s[l]));
    let secondary = vec![slopes(
        "per-seed slope of the shortfall glorot − small",
        x,
        &shortfall,
        Alternative::Greater,
        unit,
    )];
    let notes = (0..levels)
        .map(|l| {
            let count = |v: &[bool]| v.iter().filter(|&&b| b).count();
            let ratio = spread("", &s[l], &g[l], false, Alternative::Greater).effect;
            format!(
                "{}: failed runs small {} / glorot {} of {}; SD ratio small / glorot {:.3}",
                t.plans[p].levels[l].label,
                count(&fs[l]),
                count(&fg[l]),
                fs[l].len(),
                ratio
            )
        })
        .collect();
    (part, secondary, notes)
}

/// d4: small normal becomes more variable than Glorot as depth grows.
pub(crate) fn d4_small_depth(t: &Table<'_>) -> Option<Raw> {
    let p = t.plan("depth")?;
    let (n, e) = size(t, p)?;
    let (part, secondary, notes) = small_variability(t, p, &xs(t, p, f64::log2), &|_, r| overall(r), e * n);
    Some(Raw { parts: vec![part], secondary, notes, figure: depth_figure(t, p, "d4", &["small", "glorot"]) })
}

/// d4b: small normal becomes more variable than Glorot on harder tasks.
pub(crate) fn d4b_small_task(t: &Table<'_>) -> Option<Raw> {
    let p = t.plan("task")?;
    let (n, e) = size(t, p)?;
    let normalised = |l: usize, r: &RunRecord| {
        let th = t.prepared[p][l].thresholds;
        (overall(r) / (e * n) - th.chance) / (th.top() - th.chance)
    };
    let (part, secondary, notes) = small_variability(t, p, &xs(t, p, |x| x), &normalised, 1.0);
    let plan = &t.plans[p];
    let series: Vec<Series> = ["small", "glorot"]
        .iter()
        .map(|&i| {
            let cols: Vec<Vec<f64>> =
                (0..plan.levels.len()).map(|l| t.values(p, l, i, |r| normalised(l, r))).collect();
            Series::new(
                &display(i),
                color(i),
                plan.levels.iter().map(|l| l.value).collect(),
                cols.iter().map(|c| stats::mean(c)).collect(),
                cols.iter().map(|c| stats::std_dev(c)).collect(),
            )
        })
        .collect();
    let names: Vec<String> = plan.levels.iter().map(|l| l.label.clone()).collect();
    let figure = plot::line_bands_opts(
        &format!("d4b: normalised overall speed by task ({})", names.join(" → ")),
        "complexity rank",
        "(acc − chance) / (ceiling − chance)",
        &series,
        &LineOpts::default(),
    );
    Some(Raw { parts: vec![part], secondary, notes, figure })
}

/// d5: Glorot's early-speed edge is largest at the paper's learning rate.
pub(crate) fn d5_learning_rate(t: &Table<'_>) -> Option<Raw> {
    let p = t.plan("lr")?;
    let (n, _) = size(t, p)?;
    let plan = &t.plans[p];
    let at = plan
        .levels
        .iter()
        .position(|l| (l.value - PAPER_LEARNING_RATE).abs() <= 1e-12 * PAPER_LEARNING_RATE)?;
    let others = plan.levels.len() - 1;
    if others == 0 {
        return None;
    }
    let v = |l: usize, i: &str| t.values(p, l, i, |r| early(r, EARLY_WINDOW));
    let edge = |l: usize| -> Vec<f64> {
        let (g, h, s) = (v(l, "glorot"), v(l, "he"), v(l, "small"));
        (0..g.len()).map(|k| 2.0 * g[k] - h[k] - s[k]).collect()
    };
    let edges = rows(t, p, edge);
    let contrast: Vec<f64> = edges
        .iter()
        .map(|e| {
            others as f64 * e[at]
                - e.iter().enumerate().filter(|&(l, _)| l != at).map(|(_, x)| x).sum::<f64>()
        })
        .collect();
    let unit = others as f64 * 2.0 * EARLY_WINDOW as f64 * n;
    let notes = (0..plan.levels.len())
        .map(|l| {
            let m = |i: &str| stats::mean(&v(l, i)) / (EARLY_WINDOW as f64 * n);
            format!(
                "{}: mean early speed small {:.4}, glorot {:.4}, he {:.4}",
                plan.levels[l].label,
                m("small"),
                m("glorot"),
                m("he")
            )
        })
        .collect();
    let figure = sweep_fig(
        t,
        p,
        &["small", "glorot", "he"],
        (
            "d5: early speed against Adam's learning rate",
            "log10 learning rate",
            "mean training accuracy, epochs 1–25",
        ),
        f64::log10,
        crate::claims::analysis::early_speed,
    );
    Some(Raw {
        parts: vec![signed_rank(
            "Glorot's edge at lr 1e-3 − its mean edge at the other rates, early speed",
            &contrast,
            Alternative::Greater,
            unit,
        )],
        secondary: vec![friedman_part("Glorot's edge across the rates", &edges)],
        notes,
        figure,
    })
}

/// d6: LayerNorm brings the initializers' early speed and spread closer.
pub(crate) fn d6_normalization(t: &Table<'_>) -> Option<Raw> {
    let p = t.plan("norm")?;
    let (n, _) = size(t, p)?;
    let unit = EARLY_WINDOW as f64 * n;
    let inits = ["small", "glorot", "he"];
    let speed = |l: usize| {
        range_across(&inits.iter().map(|i| t.values(p, l, i, |r| early(r, EARLY_WINDOW))).collect::<Vec<_>>())
    };
    let spread_of = |l: usize| {
        range_across(
            &inits.iter().map(|i| curve_deviation(&t.runs(p, l, i), EARLY_WINDOW)).collect::<Vec<_>>(),
        )
    };
    let (speed_plain, speed_norm) = (speed(0), speed(1));
    let (spread_plain, spread_norm) = (spread_of(0), spread_of(1));
    let mut secondary = Vec::new();
    for i in inits {
        let e = |l: usize| t.values(p, l, i, |r| early(r, EARLY_WINDOW));
        secondary.push(paired(
            &format!("{i}: early speed, LayerNorm − none"),
            &e(1),
            &e(0),
            Alternative::Greater,
            unit,
        ));
    }
    for i in inits {
        let fv =
            |l: usize| t.values(p, l, i, |r| f64::from(r.counts.as_ref().map_or(0, |c| c.final_val_correct)));
        secondary.push(spread(
            &format!("SD ratio LayerNorm / none, {i} final validation accuracy"),
            &fv(1),
            &fv(0),
            false,
            Alternative::TwoSided,
        ));
    }
    let notes = t.plans[p]
        .levels
        .iter()
        .enumerate()
        .map(|(l, level)| {
            format!(
                "{}: mean range across inits of early speed {:.4}, of early deviation {:.4}.",
                level.label,
                stats::mean(if l == 0 { &speed_plain } else { &speed_norm }) / unit,
                stats::mean(if l == 0 { &spread_plain } else { &spread_norm }) / unit
            )
        })
        .collect();
    let groups = [("no normalization", 5, &speed_plain), ("LayerNorm", 6, &speed_norm)]
        .into_iter()
        .map(|(name, c, values)| Group {
            name: name.into(),
            color: plot::series_color(c),
            values: values.iter().map(|v| v / unit).collect(),
        })
        .collect::<Vec<_>>();
    let figure = plot::box_points_opts(
        "d6: range of early speed across small, Glorot and He, per seed",
        "max − min of mean training accuracy, epochs 1–25",
        &groups,
        &BoxOpts {
            link: true,
            x_label: "normalization between each hidden layer and its ReLU".into(),
            ..BoxOpts::default()
        },
    );
    Some(Raw {
        parts: vec![
            paired(
                "none − LayerNorm, range of early speed across inits",
                &speed_plain,
                &speed_norm,
                Alternative::Greater,
                unit,
            ),
            paired(
                "none − LayerNorm, range of early deviation across inits",
                &spread_plain,
                &spread_norm,
                Alternative::Greater,
                unit,
            ),
        ],
        secondary,
        notes,
        figure,
    })
}
