//! The claims measured on a sweep of one factor (the Discussion's d1–d6):
//! input dimension, depth, width, task, learning rate and normalization.
//! Each function is one claim's analysis, named after its id in the
//! registry.

use super::Raw;
use super::component::{kruskal, paired, sd_ratio, slope};
use super::figure::{color, sweep_fig};
use super::levels::{level_mean_diff, normalised, range_across, sub, trend_points};
use super::measures::{abs_dev, curve_deviation, early_speed, overall_speed};
use super::table::Table;
use crate::claims::display;
use crate::claims::registry::{self, EARLY_WINDOW};
use crate::plot::{self, BoxOpts, Group, LineOpts, Scene, Series};
use crate::stats;

/// d1: He's extra early spread over Glorot shrinks as the fan-in grows.
pub(crate) fn d1_fan_in(t: &Table<'_>) -> Option<Raw> {
    let p = t.plan("fan-in")?;
    let w = Some(registry::SPREAD_WINDOW);
    let diff = |l: usize| {
        sub(&curve_deviation(&t.runs(p, l, "he"), w), &curve_deviation(&t.runs(p, l, "glorot"), w))
    };
    let (x, y) = trend_points(t, p, f64::log2, diff);
    let plan = &t.plans[p];
    let notes = plan
        .levels
        .iter()
        .enumerate()
        .map(|(l, level)| {
            format!("{}: mean he − glorot early deviation {:+.5}", level.label, stats::mean(&diff(l)))
        })
        .collect();
    let series: Vec<Series> = ["glorot", "he"]
        .iter()
        .map(|&i| {
            let cols: Vec<Vec<f64>> =
                (0..plan.levels.len()).map(|l| curve_deviation(&t.runs(p, l, i), w)).collect();
            Series::new(
                &display(i),
                color(i),
                plan.levels.iter().map(|l| l.value.log2()).collect(),
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
        components: vec![slope("slope of he − glorot early deviation on log2 D", &x, &y, -1.0)],
        secondary: Vec::new(),
        notes,
        figure,
    })
}

/// The figure of the depth claims d2, d3 and d4: overall speed against
/// depth, per initializer; `id` is the claim's short id (`d2`).
fn depth_figure(t: &Table<'_>, p: usize, id: &str) -> Scene {
    sweep_fig(
        t,
        p,
        &["small", "glorot", "he"],
        (
            &format!("{id}: overall speed against depth"),
            "hidden layers (width 64)",
            "mean training accuracy, all epochs",
        ),
        |x| x,
        overall_speed,
    )
}

/// d2: He is faster than Glorot in deep networks.
pub(crate) fn d2_he_deep(t: &Table<'_>) -> Option<Raw> {
    let p = t.plan("depth")?;
    let figure = depth_figure(t, p, "d2");
    let (h, g) =
        level_mean_diff(t, p, "he", "glorot", |d| d >= registry::DEEP_MIN_HIDDEN as f64, overall_speed);
    let (x, y) = trend_points(t, p, f64::log2, |l| {
        sub(&t.values(p, l, "he", overall_speed), &t.values(p, l, "glorot", overall_speed))
    });
    Some(Raw {
        components: vec![paired("he − glorot, overall speed, depth ≥ 8", &h, &g, 1.0)],
        secondary: vec![slope("slope of he − glorot on log2 depth", &x, &y, 1.0)],
        notes: Vec::new(),
        figure,
    })
}

/// d2b: He gains on Glorot as the hidden layers widen.
pub(crate) fn d2b_he_wide(t: &Table<'_>) -> Option<Raw> {
    let p = t.plan("width")?;
    let d = |l: usize| sub(&t.values(p, l, "he", overall_speed), &t.values(p, l, "glorot", overall_speed));
    let (x, y) = trend_points(t, p, f64::log2, d);
    let notes = t.plans[p]
        .levels
        .iter()
        .enumerate()
        .map(|(l, level)| {
            format!("{}: mean he − glorot overall speed {:+.4}", level.label, stats::mean(&d(l)))
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
        components: vec![slope("slope of he − glorot overall speed on log2 width", &x, &y, 1.0)],
        secondary: Vec::new(),
        notes,
        figure,
    })
}

/// d3: Glorot is faster than He in shallow networks.
pub(crate) fn d3_glorot_shallow(t: &Table<'_>) -> Option<Raw> {
    let p = t.plan("depth")?;
    let figure = depth_figure(t, p, "d3");
    let (g, h) =
        level_mean_diff(t, p, "glorot", "he", |d| d <= registry::SHALLOW_MAX_HIDDEN as f64, overall_speed);
    let mut secondary = Vec::new();
    if let Some(f) = t.plan("fan-in") {
        let (g2, h2) = level_mean_diff(t, f, "glorot", "he", |d| d <= 4.0, overall_speed);
        secondary.push(paired("glorot − he, overall speed, D ≤ 4", &g2, &h2, 1.0));
    }
    Some(Raw {
        components: vec![paired("glorot − he, overall speed, depth ≤ 3", &g, &h, 1.0)],
        secondary,
        notes: Vec::new(),
        figure,
    })
}

/// d4: small normal falls further behind Glorot as depth grows.
pub(crate) fn d4_small_depth(t: &Table<'_>) -> Option<Raw> {
    let p = t.plan("depth")?;
    let figure = depth_figure(t, p, "d4");
    let (x, y) = trend_points(t, p, f64::log2, |l| {
        sub(&t.values(p, l, "glorot", overall_speed), &t.values(p, l, "small", overall_speed))
    });
    let (xv, yv) = trend_points(t, p, f64::log2, |l| {
        sub(
            &abs_dev(&t.values(p, l, "small", overall_speed)),
            &abs_dev(&t.values(p, l, "glorot", overall_speed)),
        )
    });
    Some(Raw {
        components: vec![slope("slope of glorot − small overall speed on log2 depth", &x, &y, 1.0)],
        secondary: vec![slope("slope of small − glorot |speed − median| on log2 depth", &xv, &yv, 1.0)],
        notes: Vec::new(),
        figure,
    })
}

/// d4b: small normal falls further behind Glorot on harder tasks.
pub(crate) fn d4b_small_task(t: &Table<'_>) -> Option<Raw> {
    let p = t.plan("task")?;
    let d = |l: usize| {
        let f = normalised(t, p, l);
        sub(&t.values(p, l, "glorot", f), &t.values(p, l, "small", f))
    };
    let (x, y) = trend_points(t, p, |x| x, d);
    let plan = &t.plans[p];
    let notes = plan
        .levels
        .iter()
        .enumerate()
        .map(|(l, level)| {
            format!("{}: mean glorot − small normalised speed {:+.4}", level.label, stats::mean(&d(l)))
        })
        .collect();
    let series: Vec<Series> = ["small", "glorot", "he"]
        .iter()
        .map(|&i| {
            let cols: Vec<Vec<f64>> =
                (0..plan.levels.len()).map(|l| t.values(p, l, i, normalised(t, p, l))).collect();
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
    Some(Raw {
        components: vec![slope("slope of glorot − small normalised speed on complexity rank", &x, &y, 1.0)],
        secondary: Vec::new(),
        notes,
        figure,
    })
}

/// d5: how far apart the initializers' early speeds are changes with
/// Adam's learning rate.
pub(crate) fn d5_learning_rate(t: &Table<'_>) -> Option<Raw> {
    let p = t.plan("lr")?;
    let plan = &t.plans[p];
    let groups: Vec<Vec<f64>> = (0..plan.levels.len())
        .map(|l| {
            range_across(
                &["small", "glorot", "he"].iter().map(|i| t.values(p, l, i, early_speed)).collect::<Vec<_>>(),
            )
        })
        .collect();
    let notes = groups
        .iter()
        .enumerate()
        .map(|(l, g)| {
            format!("{}: mean range of early speed across inits {:.4}", plan.levels[l].label, stats::mean(g))
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
        early_speed,
    );
    Some(Raw {
        components: vec![kruskal("range of early speed across inits, by lr", &groups)],
        secondary: Vec::new(),
        notes,
        figure,
    })
}

/// d6: LayerNorm brings the initializers' early speed and spread closer.
pub(crate) fn d6_normalization(t: &Table<'_>) -> Option<Raw> {
    let p = t.plan("norm")?;
    let inits = ["small", "glorot", "he"];
    let speed =
        |l: usize| range_across(&inits.iter().map(|i| t.values(p, l, i, early_speed)).collect::<Vec<_>>());
    let spread = |l: usize| {
        range_across(
            &inits.iter().map(|i| curve_deviation(&t.runs(p, l, i), Some(EARLY_WINDOW))).collect::<Vec<_>>(),
        )
    };
    let (speed_plain, speed_norm) = (speed(0), speed(1));
    let (spread_plain, spread_norm) = (spread(0), spread(1));
    let mut secondary = Vec::new();
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
    let mut notes = Vec::new();
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
        components: vec![
            paired("none − LayerNorm, range of early speed across inits", &speed_plain, &speed_norm, 1.0),
            paired(
                "none − LayerNorm, range of early variability across inits",
                &spread_plain,
                &spread_norm,
                1.0,
            ),
        ],
        secondary,
        notes,
        figure,
    })
}
