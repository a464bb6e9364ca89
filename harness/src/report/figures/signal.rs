//! Figures 8 and 9: the signal and the gradient through the layers at initialization (the
//! Glorot & Bengio view), and the first layer's gradient norm over the early epochs, from
//! `layer_stats.csv`.

use super::{Figures, Inputs, label};
use crate::layout;
use crate::plot::{self, LineOpts, LinePanel, Series};
use crate::report::skipped::SkipReason;
use crate::results::{self, LayerStatsRow};

/// The last epoch figure 9 draws: "early" training, the frames drawn one by one.
const EARLY_EPOCHS: usize = 25;

/// Values below this are drawn at it on the figures' log axes.
const FLOOR: f64 = 1e-12;

/// Figures 8 and 9, or their skips when the folder has no `layer_stats.csv` (a folder written
/// by an older harness) or one that is not what its study wrote (the reason says how).
pub(super) fn signal_figures(inputs: &Inputs<'_>, figs: &mut Figures) {
    let path = inputs.out.join(layout::LAYER_STATS);
    let most = results::layer_stats_rows_at_most(inputs.config, inputs.runs.len());
    let reason =
        match path.is_file().then(|| results::read_layer_stats(inputs.out, layout::LAYER_STATS, most)) {
            Some(Ok(rows)) => {
                layers_figure(inputs, &rows, figs);
                first_layer_figure(inputs, &rows, figs);
                return;
            }
            Some(Err(e)) => SkipReason::BadLayerStats(e.to_string()),
            None => SkipReason::NoLayerStats,
        };
    figs.skip("figure 8", "fig8_signal_layers", reason.clone());
    figs.skip("figure 9", "fig9_first_layer_gradient", reason);
}

/// Per initializer (in the study's order), a series over `xs` of the geometric mean across
/// seeds of `value(seed's rows, x)`, each seed a thin line (no band: on a log axis the
/// spread shows as the seeds' lines).
fn geometric_series(
    inputs: &Inputs<'_>,
    rows: &[LayerStatsRow],
    xs: &[usize],
    value: impl Fn(&[&LayerStatsRow], usize) -> Option<f64>,
) -> Vec<Series> {
    inputs
        .config
        .inits
        .iter()
        .enumerate()
        .map(|(k, init)| {
            let name = init.name();
            let members: Vec<Vec<f64>> = inputs
                .config
                .seeds
                .iter()
                .map(|&seed| {
                    let mine: Vec<&LayerStatsRow> =
                        rows.iter().filter(|r| r.init == name && r.seed == seed).collect();
                    xs.iter().map(|&x| value(&mine, x).map_or(f64::NAN, |v| v.max(FLOOR))).collect()
                })
                .filter(|m: &Vec<f64>| m.iter().any(|v| v.is_finite()))
                .collect();
            let mean = (0..xs.len())
                .map(|i| {
                    let v: Vec<f64> = members.iter().map(|m| m[i]).filter(|v| v.is_finite()).collect();
                    if v.is_empty() {
                        f64::NAN
                    } else {
                        (v.iter().map(|x| x.ln()).sum::<f64>() / v.len() as f64).exp()
                    }
                })
                .collect();
            let x = xs.iter().map(|&x| x as f64).collect();
            Series::new(&label(init), plot::series_color(k), x, mean, Vec::new()).with_members(members)
        })
        .collect()
}

/// Figure 8: at initialization, per layer, the pre-activation and activation SDs, the weight
/// gradient's norm and the norm of the gradient passed down.
fn layers_figure(inputs: &Inputs<'_>, rows: &[LayerStatsRow], figs: &mut Figures) {
    let layers: Vec<usize> = (1..=inputs.config.shape.layers()).collect();
    let panel = |title: &str, column: &'static str| LinePanel {
        title: title.into(),
        series: geometric_series(inputs, rows, &layers, |mine, l| {
            mine.iter().find(|r| r.epoch == 0 && r.layer == l).map(|r| r.get(column))
        }),
    };
    let panels = [
        panel("pre-activation SD", "pre_sd"),
        panel("activation SD", "act_sd"),
        panel("weight-gradient norm ‖∂L/∂W‖", "weight_grad_norm"),
        panel("gradient passed down ‖∂L/∂x‖", "input_grad_norm"),
    ];
    figs.add(
        "fig8_signal_layers",
        "Figure 8. The forward signal and the backward gradient through the layers at initialization (epoch 0, the whole training set), per initializer: geometric mean across seeds, each seed a thin line; log scale; x is the dense layer (1 = the input layer, the last = the logits). Look for a flat line (the scale kept from layer to layer, as He's argument asks of ReLU networks) against a slope (small normal's signal shrinking layer after layer), and for how far apart the initializers' gradients start.".into(),
        plot::multi_line_bands(
            "Signal and gradient through the layers at initialization",
            "dense layer",
            "value (log scale)",
            &panels,
            &LineOpts { log_y: true, columns: Some(2), ..LineOpts::default() },
        ),
    );
}

/// Figure 9: the first layer's weight-gradient norm over epochs 0–25.
fn first_layer_figure(inputs: &Inputs<'_>, rows: &[LayerStatsRow], figs: &mut Figures) {
    let epochs: Vec<usize> = (0..=EARLY_EPOCHS.min(inputs.config.epochs)).collect();
    let series = geometric_series(inputs, rows, &epochs, |mine, e| {
        mine.iter().find(|r| r.epoch == e && r.layer == 1).map(|r| r.get("weight_grad_norm"))
    });
    figs.add(
        "fig9_first_layer_gradient",
        format!(
            "Figure 9. The first dense layer's weight-gradient norm ‖∂L/∂W₁‖ over the first {} epochs (epoch 0: the initial weights; epoch e: that epoch's training pass), per initializer: geometric mean across seeds, each seed a thin line; log scale. Look for how far apart the initializers start and how soon their gradients meet: the paper's \"early gradient flow\".",
            epochs.len() - 1
        ),
        plot::line_bands_opts(
            "First layer's weight-gradient norm, early epochs",
            "epoch",
            "‖∂L/∂W₁‖ (log scale)",
            &series,
            &LineOpts { log_y: true, ..LineOpts::default() },
        ),
    );
}
