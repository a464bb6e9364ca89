//! The claims measured on the paper's configuration (plan `base`): the
//! Results claims r1–r7, the first-layer intervention d1b and the
//! Conclusion's c1. Each function is one claim's analysis, named after its
//! id in the registry.

use super::Raw;
use super::component::{Component, paired, sd_ratio, tost};
use super::figure::{boxes, curve_series, sd_series};
use super::measures::{abs_dev, curve_deviation, early_speed, epochs_to, loss_rise, plateau, update_early};
use super::table::Table;
use crate::claims::RunRecord;
use crate::claims::registry::{self, BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, EARLY_WINDOW};
use crate::plot::{self, LineOpts, Series};
use crate::stats::{self, bootstrap_ci};
use crate::study::Thresholds;

/// The base plan's one level: its runs and its data's thresholds.
struct Base<'t, 'a> {
    t: &'t Table<'a>,
    p: usize,
    th: Thresholds,
}

impl<'t, 'a> Base<'t, 'a> {
    /// The base plan of `t`, if it has one.
    fn of(t: &'t Table<'a>) -> Option<Self> {
        let p = t.plan("base")?;
        Some(Base { t, p, th: t.prepared[p][0].thresholds })
    }

    /// The runs of `init`, in seed order.
    fn runs(&self, init: &str) -> Vec<&'a RunRecord> {
        self.t.runs(self.p, 0, init)
    }

    /// `f` of each run of `init`, in seed order.
    fn values(&self, init: &str, f: impl Fn(&RunRecord) -> f64) -> Vec<f64> {
        self.t.values(self.p, 0, init, f)
    }
}

/// r1: Glorot's early speed against He's and small normal's.
pub(crate) fn r1_glorot_early_speed(t: &Table<'_>) -> Option<Raw> {
    let b = Base::of(t)?;
    let v = |init: &str| b.values(init, early_speed);
    let (g, h, s) = (v("glorot"), v("he"), v("small"));
    let e50 = |i: &str| b.values(i, |r| epochs_to(r, b.th.target(0.5)));
    let secondary = vec![
        paired("glorot − he, epochs to 50% of the way to the ceiling", &e50("glorot"), &e50("he"), -1.0),
        paired(
            "glorot − small, epochs to 50% of the way to the ceiling",
            &e50("glorot"),
            &e50("small"),
            -1.0,
        ),
    ];
    let runs: Vec<Series> = ["small", "glorot", "he"]
        .iter()
        .map(|i| curve_series(&b.runs(i), i, 2 * EARLY_WINDOW, |r, e| f64::from(r.train_acc[e]), true))
        .collect();
    let figure = plot::line_bands_opts(
        "r1: training accuracy, first epochs (mean ± SD)",
        "epoch",
        "training accuracy",
        &runs,
        &LineOpts { hlines: vec![(b.th.top(), "ceiling".into())], ..LineOpts::default() },
    );
    Some(Raw {
        components: vec![
            paired("glorot − he, early speed", &g, &h, 1.0),
            paired("glorot − small, early speed", &g, &s, 1.0),
        ],
        secondary,
        notes: Vec::new(),
        figure,
    })
}

/// r1b: small normal's training loss moves up more than Glorot's.
pub(crate) fn r1b_small_loss_oscillation(t: &Table<'_>) -> Option<Raw> {
    let b = Base::of(t)?;
    let (s, g, h) = (b.values("small", loss_rise), b.values("glorot", loss_rise), b.values("he", loss_rise));
    let secondary = vec![paired("he − glorot, loss rise", &h, &g, 1.0)];
    let figure = boxes(
        "r1b: total upward movement of the training loss",
        "Σ max(0, ΔL)",
        vec![("small", s.clone()), ("glorot", g.clone()), ("he", h)],
    );
    Some(Raw {
        components: vec![paired("small − glorot, loss rise", &s, &g, 1.0)],
        secondary,
        notes: Vec::new(),
        figure,
    })
}

/// r2: small normal is slower early and more variable than Glorot.
pub(crate) fn r2_small_slow_variable(t: &Table<'_>) -> Option<Raw> {
    let b = Base::of(t)?;
    let (s, g) = (b.values("small", early_speed), b.values("glorot", early_speed));
    let (rs, rg) = (b.runs("small"), b.runs("glorot"));
    let (ds, dg) = (curve_deviation(&rs, None), curve_deviation(&rg, None));
    let secondary = vec![sd_ratio(&s, &g, "SD ratio small / glorot, early speed")];
    let e = rs.first().map_or(0, |r| r.train_acc.len());
    let figure = plot::line_bands_opts(
        "r2: across-seed SD of training accuracy per epoch",
        "epoch",
        "SD across seeds",
        &[sd_series(&rs, "small", e), sd_series(&rg, "glorot", e)],
        &LineOpts::default(),
    );
    Some(Raw {
        components: vec![
            paired("small − glorot, early speed", &s, &g, -1.0),
            paired("small − glorot, curve deviation (all epochs)", &ds, &dg, 1.0),
        ],
        secondary,
        notes: Vec::new(),
        figure,
    })
}

/// r3: He varies more than Glorot in the first epochs.
pub(crate) fn r3_he_early_variance(t: &Table<'_>) -> Option<Raw> {
    let b = Base::of(t)?;
    let (rh, rg) = (b.runs("he"), b.runs("glorot"));
    let w = Some(registry::SPREAD_WINDOW);
    let (dh, dg) = (curve_deviation(&rh, w), curve_deviation(&rg, w));
    let n = registry::SPREAD_WINDOW.min(rh.first().map_or(0, |r| r.train_acc.len()));
    let ratio = |idx: &[usize]| {
        (0..n)
            .map(|e| {
                let he: Vec<f64> = idx.iter().map(|&i| f64::from(rh[i].train_acc[e])).collect();
                let glorot: Vec<f64> = idx.iter().map(|&i| f64::from(rg[i].train_acc[e])).collect();
                stats::std_dev(&he) / stats::std_dev(&glorot)
            })
            .sum::<f64>()
            / n.max(1) as f64
    };
    let all: Vec<usize> = (0..rh.len()).collect();
    let secondary = vec![Component {
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
    }];
    let reached = rh.iter().filter(|r| r.train_acc.iter().any(|&a| a >= b.th.target(0.9))).count();
    let notes = vec![format!(
        "He runs reaching 90% of the way from chance to the ceiling: {reached} of {}.",
        rh.len()
    )];
    let figure = plot::line_bands_opts(
        "r3: across-seed SD of training accuracy, early epochs",
        "epoch",
        "SD across seeds",
        &[sd_series(&rg, "glorot", EARLY_WINDOW), sd_series(&rh, "he", EARLY_WINDOW)],
        &LineOpts::default(),
    );
    Some(Raw {
        components: vec![paired("he − glorot, early curve deviation (epochs 1–10)", &dh, &dg, 1.0)],
        secondary,
        notes,
        figure,
    })
}

/// r4: the three initializers reach the same plateau (TOST equivalence).
pub(crate) fn r4_similar_plateaus(t: &Table<'_>) -> Option<Raw> {
    let b = Base::of(t)?;
    let m = registry::EQUIVALENCE_MARGIN;
    let (s, g, h) = (b.values("small", plateau), b.values("glorot", plateau), b.values("he", plateau));
    let fv = |i: &str| b.values(i, |r| f64::from(r.final_val_acc));
    let secondary = vec![
        tost("glorot − he, final validation accuracy", &fv("glorot"), &fv("he"), m),
        tost("glorot − small, final validation accuracy", &fv("glorot"), &fv("small"), m),
        tost("he − small, final validation accuracy", &fv("he"), &fv("small"), m),
    ];
    let figure = boxes(
        "r4: plateau (mean training accuracy, last 25 epochs)",
        "training accuracy",
        vec![("small", s.clone()), ("glorot", g.clone()), ("he", h.clone())],
    );
    Some(Raw {
        components: vec![
            tost("glorot − he, plateau", &g, &h, m),
            tost("glorot − small, plateau", &g, &s, m),
            tost("he − small, plateau", &h, &s, m),
        ],
        secondary,
        notes: Vec::new(),
        figure,
    })
}

/// r5: final validation accuracy spreads least under Glorot, most under
/// small normal.
pub(crate) fn r5_val_spread_order(t: &Table<'_>) -> Option<Raw> {
    let b = Base::of(t)?;
    let fv = |i: &str| b.values(i, |r| f64::from(r.final_val_acc));
    let (s, g, h) = (fv("small"), fv("glorot"), fv("he"));
    let mut notes = Vec::new();
    if let Some(bf) = stats::brown_forsythe(&[&s, &g, &h]) {
        notes.push(format!(
            "Brown–Forsythe across small, glorot, he: F({}, {}) = {:.3}, {}.",
            bf.df1,
            bf.df2,
            bf.statistic,
            stats::format_p(bf.p_value)
        ));
    }
    let secondary = vec![
        sd_ratio(&h, &g, "SD ratio he / glorot, final validation accuracy"),
        sd_ratio(&s, &h, "SD ratio small / he, final validation accuracy"),
    ];
    let figure = boxes(
        "r5: final validation accuracy",
        "validation accuracy",
        vec![("small", s.clone()), ("glorot", g.clone()), ("he", h.clone())],
    );
    let (zs, zg, zh) = (abs_dev(&s), abs_dev(&g), abs_dev(&h));
    Some(Raw {
        components: vec![
            paired("he − glorot, |val − median|", &zh, &zg, 1.0),
            paired("small − he, |val − median|", &zs, &zh, 1.0),
        ],
        secondary,
        notes,
        figure,
    })
}

/// r6: small normal's decision boundaries are longer than Glorot's.
pub(crate) fn r6_boundary_regularity(t: &Table<'_>) -> Option<Raw> {
    let b = Base::of(t)?;
    let len = |i: &str| b.values(i, |r| r.boundary.unwrap_or(f64::NAN));
    let (s, g, h) = (len("small"), len("glorot"), len("he"));
    let secondary = vec![paired("he − glorot, boundary length", &h, &g, 1.0)];
    let figure = boxes(
        "r6: decision-boundary length on the grid",
        "length (data units)",
        vec![("small", s.clone()), ("glorot", g.clone()), ("he", h)],
    );
    Some(Raw {
        components: vec![paired("small − glorot, boundary length", &s, &g, 1.0)],
        secondary,
        notes: Vec::new(),
        figure,
    })
}

/// r7: small normal's weights change more, relative to their size, early on.
pub(crate) fn r7_small_relative_updates(t: &Table<'_>) -> Option<Raw> {
    let b = Base::of(t)?;
    let v = |init: &str| b.values(init, update_early);
    let (s, g, h) = (v("small"), v("glorot"), v("he"));
    let layers = b.runs("small").first().map_or(0, |r| r.update_early_layers.len());
    let secondary = (0..layers)
        .map(|k| {
            let lk = |i: &str| b.values(i, |r| r.update_early_layers[k]);
            paired(&format!("small − glorot, layer {}", k + 1), &lk("small"), &lk("glorot"), 1.0)
        })
        .collect();
    let series: Vec<Series> = ["small", "glorot", "he"]
        .iter()
        .map(|i| curve_series(&b.runs(i), i, 2 * EARLY_WINDOW, |r, e| f64::from(r.update_mean[e]), false))
        .collect();
    let figure = plot::line_bands_opts(
        "r7: relative weight change per epoch, mean over layers",
        "epoch",
        "‖ΔW‖ / ‖W‖",
        &series,
        &LineOpts { log_y: true, ..LineOpts::default() },
    );
    Some(Raw {
        components: vec![
            paired("small − glorot, early relative update", &s, &g, 1.0),
            paired("small − he, early relative update", &s, &h, 1.0),
        ],
        secondary,
        notes: Vec::new(),
        figure,
    })
}

/// d1b: swapping the first layer's initializer swaps the early spread.
pub(crate) fn d1b_first_layer_intervention(t: &Table<'_>) -> Option<Raw> {
    let b = Base::of(t)?;
    let w = Some(registry::SPREAD_WINDOW);
    let dev = |i: &str| curve_deviation(&b.runs(i), w);
    let (g, h, hg, gh) = (dev("glorot"), dev("he"), dev("he@1=glorot"), dev("glorot@1=he"));
    let notes = ["glorot", "he", "he@1=glorot", "glorot@1=he"]
        .into_iter()
        .map(|i| {
            format!(
                "{i}: mean early speed {:.4}, mean early deviation {:.5}",
                stats::mean(&b.values(i, early_speed)),
                stats::mean(&dev(i))
            )
        })
        .collect();
    let figure = boxes(
        "d1b: early variability (epochs 1–10) with the first layer swapped",
        "deviation from median curve",
        vec![
            ("glorot", g.clone()),
            ("glorot@1=he", gh.clone()),
            ("he", h.clone()),
            ("he@1=glorot", hg.clone()),
        ],
    );
    Some(Raw {
        components: vec![
            paired("glorot@1=he − glorot, early deviation", &gh, &g, 1.0),
            paired("he@1=glorot − he, early deviation", &hg, &h, -1.0),
        ],
        secondary: Vec::new(),
        notes,
        figure,
    })
}

/// c1: small normal takes more epochs than Glorot to reach 90% of the way
/// from chance to the ceiling.
pub(crate) fn c1_epochs_to_target(t: &Table<'_>) -> Option<Raw> {
    let b = Base::of(t)?;
    let e90 = |i: &str| b.values(i, |r| epochs_to(r, b.th.target(0.9)));
    let (s, g, h) = (e90("small"), e90("glorot"), e90("he"));
    let e = b.runs("small").first().map_or(0, |r| r.train_acc.len()) as f64;
    let notes = [("small", &s), ("glorot", &g), ("he", &h)]
        .into_iter()
        .map(|(i, x)| {
            format!(
                "{i}: {} of {} runs censored (never reached)",
                x.iter().filter(|&&v| v > e).count(),
                x.len()
            )
        })
        .collect();
    let secondary = vec![paired("he − glorot, epochs to 90% of the way to the ceiling", &h, &g, 1.0)];
    let figure = boxes(
        "c1: epochs to 90% of the way from chance to the ceiling",
        "epochs (censored at epochs + 1)",
        vec![("small", s.clone()), ("glorot", g.clone()), ("he", h)],
    );
    Some(Raw {
        components: vec![paired("small − glorot, epochs to 90% of the way to the ceiling", &s, &g, 1.0)],
        secondary,
        notes,
        figure,
    })
}
