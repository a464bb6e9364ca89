//! Version 2's claims on the paper's configuration (plan `base`): r1–r7,
//! d1b and c1. Each function is one claim's analysis, named after its id.
//! Accuracies are integer counts summed over epochs; an effect reads as an
//! accuracy (the count divided by epochs × examples).

use super::Raw;
use super::measures::{
    curve_deviation, early, epochs_to, failed, final_val, last, loss_rise, n_train, overall, stabilization,
    steadiness,
};
use super::parts::{Part, friedman_part, mean_tost, paired, signed_rank, trimmed_tost};
use super::variability::{spread, variability};
use crate::claims::RunRecord;
use crate::claims::analysis::Table;
use crate::claims::analysis::figure::{boxes, curve_series, sd_series};
use crate::claims::v2::registry::{
    EARLY_WINDOW, EQUIVALENCE_MARGIN, FAILURE_FRACTION, PLATEAU_WINDOW, SPREAD_WINDOW, TARGET_FRACTION,
};
use crate::plot::{self, LineOpts, Series};
use crate::stats::{self, Alternative};
use crate::study::Thresholds;

/// The base plan's one level: its runs and its data's thresholds.
struct Base<'t, 'a> {
    t: &'t Table<'a>,
    p: usize,
    th: Thresholds,
    /// Training examples.
    n: f64,
}

impl<'t, 'a> Base<'t, 'a> {
    /// The base plan of `t`, if it has one with runs.
    fn of(t: &'t Table<'a>) -> Option<Self> {
        let p = t.plan("base")?;
        let n = n_train(t.runs(p, 0, "glorot").first()?);
        Some(Base { t, p, th: t.prepared[p][0].thresholds, n })
    }

    /// The runs of `init`, in seed order.
    fn runs(&self, init: &str) -> Vec<&'a RunRecord> {
        self.t.runs(self.p, 0, init)
    }

    /// `f` of each run of `init`, in seed order.
    fn values(&self, init: &str, f: impl Fn(&RunRecord) -> f64) -> Vec<f64> {
        self.t.values(self.p, 0, init, f)
    }

    /// Whether each run of `init` failed.
    fn failures(&self, init: &str) -> Vec<bool> {
        self.runs(init).into_iter().map(|r| failed(r, &self.th)).collect()
    }

    /// The counts of `init` summed over epochs `1..=window`.
    fn early(&self, init: &str, window: usize) -> Vec<f64> {
        self.values(init, |r| early(r, window))
    }

    /// The training-accuracy figure of the first epochs.
    fn accuracy_figure(&self, title: &str, inits: &[&str]) -> crate::plot::Scene {
        let runs: Vec<Series> = inits
            .iter()
            .map(|i| curve_series(&self.runs(i), i, 2 * EARLY_WINDOW, |r, e| f64::from(r.train_acc[e]), true))
            .collect();
        plot::line_bands_opts(
            title,
            "epoch",
            "training accuracy",
            &runs,
            &LineOpts { hlines: vec![(self.th.top(), "ceiling".into())], ..LineOpts::default() },
        )
    }
}

/// r1: Glorot improves early as fast as the others, its loss decreases
/// steadily, and its bands are the tightest.
pub(crate) fn r1_glorot_early_speed(t: &Table<'_>) -> Option<Raw> {
    let b = Base::of(t)?;
    let unit = EARLY_WINDOW as f64 * b.n;
    let margin = (EQUIVALENCE_MARGIN * unit).round();
    let (g, h, s) =
        (b.early("glorot", EARLY_WINDOW), b.early("he", EARLY_WINDOW), b.early("small", EARLY_WINDOW));
    let shifted = |a: &[f64], o: &[f64]| a.iter().zip(o).map(|(x, y)| x - y + margin).collect::<Vec<_>>();
    let (fg, fh, fs) = (b.failures("glorot"), b.failures("he"), b.failures("small"));
    let parts = vec![
        signed_rank(
            "glorot − he + margin, early speed (at least as fast)",
            &shifted(&g, &h),
            Alternative::Greater,
            unit,
        ),
        signed_rank(
            "glorot − small + margin, early speed (at least as fast)",
            &shifted(&g, &s),
            Alternative::Greater,
            unit,
        ),
        signed_rank(
            "glorot: 1% of the loss's descent − its upward movement (steadily decreasing)",
            &b.values("glorot", steadiness),
            Alternative::Greater,
            1.0,
        ),
        variability("he over glorot, variability of early speed", (&h, &fh), (&g, &fg), Alternative::Greater),
        variability(
            "small over glorot, variability of early speed",
            (&s, &fs),
            (&g, &fg),
            Alternative::Greater,
        ),
    ];
    let e50 = |i: &str| b.values(i, |r| epochs_to(r, &b.th, FAILURE_FRACTION));
    let secondary = vec![
        paired("glorot − he, epochs to 50% of the way", &e50("glorot"), &e50("he"), Alternative::Less, 1.0),
        paired(
            "glorot − small, epochs to 50% of the way",
            &e50("glorot"),
            &e50("small"),
            Alternative::Less,
            1.0,
        ),
        mean_tost("glorot − he, early speed (mean)", &g, &h, margin, unit),
    ];
    let figure =
        b.accuracy_figure("r1: training accuracy, first epochs (mean ± SD)", &["small", "glorot", "he"]);
    Some(Raw { parts, secondary, notes: Vec::new(), figure })
}

/// r1b: small normal's loss moves up more and settles later than Glorot's.
pub(crate) fn r1b_small_loss_oscillation(t: &Table<'_>) -> Option<Raw> {
    let b = Base::of(t)?;
    let (s, g, h) = (b.values("small", loss_rise), b.values("glorot", loss_rise), b.values("he", loss_rise));
    let (ss, sg, sh) =
        (b.values("small", stabilization), b.values("glorot", stabilization), b.values("he", stabilization));
    let parts = vec![
        paired("small − glorot, loss rise", &s, &g, Alternative::Greater, 1.0),
        paired("small − glorot, epoch of stabilization", &ss, &sg, Alternative::Greater, 1.0),
    ];
    let secondary = vec![
        paired("he − glorot, loss rise", &h, &g, Alternative::Greater, 1.0),
        paired("he − glorot, epoch of stabilization", &sh, &sg, Alternative::Greater, 1.0),
    ];
    let figure = boxes(
        "r1b: total upward movement of the training loss",
        "Σ max(0, ΔL)",
        vec![("small", s), ("glorot", g), ("he", h)],
    );
    Some(Raw { parts, secondary, notes: Vec::new(), figure })
}

/// r2: small normal is slower early and more variable than Glorot.
pub(crate) fn r2_small_slow_variable(t: &Table<'_>) -> Option<Raw> {
    let b = Base::of(t)?;
    let unit = EARLY_WINDOW as f64 * b.n;
    let (s, g) = (b.early("small", EARLY_WINDOW), b.early("glorot", EARLY_WINDOW));
    let (os, og) = (b.values("small", overall), b.values("glorot", overall));
    let (fs, fg) = (b.failures("small"), b.failures("glorot"));
    let parts = vec![
        paired("small − glorot, early speed", &s, &g, Alternative::Less, unit),
        variability(
            "small over glorot, variability of overall speed",
            (&os, &fs),
            (&og, &fg),
            Alternative::Greater,
        ),
    ];
    let secondary = vec![spread("SD ratio small / glorot, early speed", &s, &g, false, Alternative::Greater)];
    let (rs, rg) = (b.runs("small"), b.runs("glorot"));
    let e = rs.first().map_or(0, |r| r.train_acc.len());
    let figure = plot::line_bands_opts(
        "r2: across-seed SD of training accuracy per epoch",
        "epoch",
        "SD across seeds",
        &[sd_series(&rs, "small", e), sd_series(&rg, "glorot", e)],
        &LineOpts::default(),
    );
    Some(Raw { parts, secondary, notes: Vec::new(), figure })
}

/// r3: He varies more than Glorot in the first epochs.
pub(crate) fn r3_he_early_variance(t: &Table<'_>) -> Option<Raw> {
    let b = Base::of(t)?;
    let (h, g) = (b.early("he", SPREAD_WINDOW), b.early("glorot", SPREAD_WINDOW));
    let (fh, fg) = (b.failures("he"), b.failures("glorot"));
    let parts = vec![variability(
        "he over glorot, variability of speed in epochs 1–10",
        (&h, &fh),
        (&g, &fg),
        Alternative::Greater,
    )];
    let secondary = vec![spread(
        "SD ratio he / glorot, overall speed",
        &b.values("he", overall),
        &b.values("glorot", overall),
        false,
        Alternative::Greater,
    )];
    let reached = b.values("he", |r| epochs_to(r, &b.th, TARGET_FRACTION));
    let epochs = b.runs("he").first().map_or(0, |r| r.train_acc.len()) as f64;
    let notes = vec![format!(
        "He runs reaching 90% of the way from chance to the ceiling: {} of {}.",
        reached.iter().filter(|&&e| e <= epochs).count(),
        reached.len()
    )];
    let (rh, rg) = (b.runs("he"), b.runs("glorot"));
    let figure = plot::line_bands_opts(
        "r3: across-seed SD of training accuracy, early epochs",
        "epoch",
        "SD across seeds",
        &[sd_series(&rg, "glorot", EARLY_WINDOW), sd_series(&rh, "he", EARLY_WINDOW)],
        &LineOpts::default(),
    );
    Some(Raw { parts, secondary, notes, figure })
}

/// r4: the typical runs of the three initializers reach the same plateau.
pub(crate) fn r4_similar_plateaus(t: &Table<'_>) -> Option<Raw> {
    let b = Base::of(t)?;
    let unit = PLATEAU_WINDOW as f64 * b.n;
    let m = (EQUIVALENCE_MARGIN * unit).round();
    let v = |i: &str| b.values(i, |r| last(r, PLATEAU_WINDOW));
    let (s, g, h) = (v("small"), v("glorot"), v("he"));
    let parts = vec![
        trimmed_tost("glorot − he, plateau", &g, &h, m, unit),
        trimmed_tost("glorot − small, plateau", &g, &s, m, unit),
        trimmed_tost("he − small, plateau", &h, &s, m, unit),
    ];
    let secondary = vec![
        mean_tost("glorot − he, plateau (mean)", &g, &h, m, unit),
        mean_tost("glorot − small, plateau (mean)", &g, &s, m, unit),
        mean_tost("he − small, plateau (mean)", &h, &s, m, unit),
    ];
    let notes = ["small", "glorot", "he"]
        .iter()
        .map(|i| {
            let f = b.failures(i);
            format!(
                "{i}: {} of {} runs failed (never 50% of the way to the ceiling).",
                f.iter().filter(|&&x| x).count(),
                f.len()
            )
        })
        .collect();
    let acc = |x: &[f64]| x.iter().map(|c| c / unit).collect::<Vec<_>>();
    let figure = boxes(
        "r4: plateau (mean training accuracy, last 25 epochs)",
        "training accuracy",
        vec![("small", acc(&s)), ("glorot", acc(&g)), ("he", acc(&h))],
    );
    Some(Raw { parts, secondary, notes, figure })
}

/// r5: final validation accuracy varies least under Glorot, most under small normal.
pub(crate) fn r5_val_spread_order(t: &Table<'_>) -> Option<Raw> {
    let b = Base::of(t)?;
    let (s, g, h) = (b.values("small", final_val), b.values("glorot", final_val), b.values("he", final_val));
    let (fs, fg, fh) = (b.failures("small"), b.failures("glorot"), b.failures("he"));
    let parts = vec![
        variability(
            "he over glorot, variability of final validation accuracy",
            (&h, &fh),
            (&g, &fg),
            Alternative::Greater,
        ),
        variability(
            "small over he, variability of final validation accuracy",
            (&s, &fs),
            (&h, &fh),
            Alternative::Greater,
        ),
    ];
    let secondary = vec![spread(
        "SD ratio small / glorot, final validation accuracy",
        &s,
        &g,
        false,
        Alternative::Greater,
    )];
    let n_val = b.runs("glorot").first().and_then(|r| r.counts.as_ref()).map_or(1.0, |c| f64::from(c.n_val));
    let acc = |x: &[f64]| x.iter().map(|c| c / n_val).collect::<Vec<_>>();
    let figure = boxes(
        "r5: final validation accuracy",
        "validation accuracy",
        vec![("small", acc(&s)), ("glorot", acc(&g)), ("he", acc(&h))],
    );
    Some(Raw { parts, secondary, notes: Vec::new(), figure })
}

/// r6: small normal's decision boundaries are longer than Glorot's where the data are.
pub(crate) fn r6_boundary_regularity(t: &Table<'_>) -> Option<Raw> {
    let b = Base::of(t)?;
    let near = |i: &str| b.values(i, |r| r.boundary_in_data.unwrap_or(f64::NAN));
    let whole = |i: &str| b.values(i, |r| r.boundary.unwrap_or(f64::NAN));
    let (s, g, h) = (near("small"), near("glorot"), near("he"));
    let parts =
        vec![paired("small − glorot, boundary length where the data are", &s, &g, Alternative::Greater, 1.0)];
    let secondary = vec![
        paired(
            "small − glorot, boundary length over the whole grid",
            &whole("small"),
            &whole("glorot"),
            Alternative::Greater,
            1.0,
        ),
        paired("he − glorot, boundary length where the data are", &h, &g, Alternative::Greater, 1.0),
    ];
    let figure = boxes(
        "r6: decision-boundary length among the data",
        "length (data units)",
        vec![("small", s), ("glorot", g), ("he", h)],
    );
    Some(Raw { parts, secondary, notes: Vec::new(), figure })
}

/// r7: small normal's weights change more, relative to their size, early on.
pub(crate) fn r7_small_relative_updates(t: &Table<'_>) -> Option<Raw> {
    let b = Base::of(t)?;
    let v = |init: &str| b.values(init, crate::claims::analysis::update_early);
    let (s, g, h) = (v("small"), v("glorot"), v("he"));
    let layers = b.runs("small").first().map_or(0, |r| r.update_early_layers.len());
    let secondary = (0..layers)
        .map(|k| {
            let lk = |i: &str| b.values(i, |r| r.update_early_layers[k]);
            paired(
                &format!("small − glorot, layer {}", k + 1),
                &lk("small"),
                &lk("glorot"),
                Alternative::Greater,
                1.0,
            )
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
    let parts = vec![
        paired("small − glorot, early relative update", &s, &g, Alternative::Greater, 1.0),
        paired("small − he, early relative update", &s, &h, Alternative::Greater, 1.0),
    ];
    Some(Raw { parts, secondary, notes: Vec::new(), figure })
}

/// d1b: swapping the first layer's initializer swaps the early spread.
pub(crate) fn d1b_first_layer_intervention(t: &Table<'_>) -> Option<Raw> {
    let b = Base::of(t)?;
    let dev = |i: &str| curve_deviation(&b.runs(i), SPREAD_WINDOW);
    let (g, h, hg, gh) = (dev("glorot"), dev("he"), dev("he@1=glorot"), dev("glorot@1=he"));
    let unit = SPREAD_WINDOW as f64 * b.n;
    let notes = ["glorot", "he", "he@1=glorot", "glorot@1=he"]
        .into_iter()
        .map(|i| {
            format!(
                "{i}: mean early speed {:.4}, mean early deviation {:.5}",
                stats::mean(&b.early(i, EARLY_WINDOW)) / (EARLY_WINDOW as f64 * b.n),
                stats::mean(&dev(i)) / unit
            )
        })
        .collect();
    let acc = |x: &[f64]| x.iter().map(|c| c / unit).collect::<Vec<_>>();
    let figure = boxes(
        "d1b: early variability (epochs 1–10) with the first layer swapped",
        "deviation from median curve",
        vec![("glorot", acc(&g)), ("glorot@1=he", acc(&gh)), ("he", acc(&h)), ("he@1=glorot", acc(&hg))],
    );
    let parts = vec![
        paired("glorot@1=he − glorot, early deviation", &gh, &g, Alternative::Greater, unit),
        paired("he@1=glorot − he, early deviation", &hg, &h, Alternative::Less, unit),
    ];
    Some(Raw { parts, secondary: Vec::new(), notes, figure })
}

/// c1: initialization affects the epochs to the target, the smoothness of
/// the loss and the consistency of outcomes (non-directional).
pub(crate) fn c1_epochs_to_target(t: &Table<'_>) -> Option<Raw> {
    let b = Base::of(t)?;
    let inits = ["small", "glorot", "he"];
    let per_seed = |f: &dyn Fn(&RunRecord) -> f64| {
        let cols: Vec<Vec<f64>> = inits.iter().map(|i| b.values(i, f)).collect();
        (0..cols[0].len()).map(|s| cols.iter().map(|c| c[s]).collect::<Vec<f64>>()).collect::<Vec<_>>()
    };
    let e90 = |r: &RunRecord| epochs_to(r, &b.th, TARGET_FRACTION);
    let (s, g) = (b.values("small", final_val), b.values("glorot", final_val));
    let (fs, fg) = (b.failures("small"), b.failures("glorot"));
    let parts = vec![
        friedman_part("epochs to 90% of the way, small vs glorot vs he", &per_seed(&e90)),
        friedman_part("loss rise, small vs glorot vs he", &per_seed(&loss_rise)),
        variability(
            "small vs glorot, variability of final validation accuracy",
            (&s, &fs),
            (&g, &fg),
            Alternative::TwoSided,
        ),
    ];
    let epochs = b.runs("small").first().map_or(0, |r| r.train_acc.len()) as f64;
    let notes = inits
        .iter()
        .map(|i| {
            let x = b.values(i, e90);
            format!(
                "{i}: {} of {} runs censored (never reached)",
                x.iter().filter(|&&v| v > epochs).count(),
                x.len()
            )
        })
        .collect();
    let figure = boxes(
        "c1: epochs to 90% of the way from chance to the ceiling",
        "epochs (censored at epochs + 1)",
        inits.iter().map(|&i| (i, b.values(i, e90))).collect(),
    );
    Some(Raw { parts, secondary: Vec::<Part>::new(), notes, figure })
}
