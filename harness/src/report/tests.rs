//! The report's figures as the default study draws them: no label or legend over data, and a
//! glyph in the bundled font for every character of every title, label and legend.

use super::figures::{self, Inputs};
use super::{Drawing, Skipped};
use crate::config::StudyConfig;
use crate::layout;
use crate::plot::{missing_glyphs, svg_texts};
use crate::study::{self, RunResult, Thresholds};
use crate::summary::summarize;

/// The paper's study (the default configuration: 3 initializers × 10 seeds × 250 epochs),
/// trained in memory with its per-layer statistics; the final checkpoints written under `out`
/// for figure 5, and `layer_stats.csv` for figures 8 and 9.
fn default_study(out: &std::path::Path) -> (StudyConfig, study::Splits, Vec<RunResult>, Thresholds) {
    let config = StudyConfig::default();
    let splits = study::make_splits(&config).expect("the default data");
    let thresholds = Thresholds::of(&config, &splits).expect("the default thresholds");
    let jobs: Vec<_> =
        config.inits.iter().flat_map(|i| config.seeds.iter().map(move |&s| (i.clone(), s))).collect();
    let runs = study::parallel_map(&jobs, 2, |(init, seed)| {
        study::run_observed(&config, &splits, init, *seed, &mut |_, _| {}, Some(config.epochs))
    });
    let mut stats = format!("{}\n", crate::results::LAYER_STATS_HEADER);
    for r in &runs {
        let dir = layout::run_dir(out, &r.init.name(), r.seed);
        std::fs::create_dir_all(&dir).expect("a temporary folder");
        std::fs::write(dir.join(layout::FINAL), &r.last).expect("a checkpoint");
        stats += &crate::results::layer_stats_rows(r);
    }
    std::fs::write(out.join(layout::LAYER_STATS), stats).expect("layer_stats.csv");
    (config, splits, runs, thresholds)
}

#[test]
fn the_default_studys_figures_keep_labels_off_the_data_and_draw_every_glyph() {
    let out = std::env::temp_dir().join(format!("harness-report-figures-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let (config, splits, runs, thresholds) = default_study(&out);
    let summary = summarize(&config.inits, &runs, &thresholds, splits.val.len(), splits.train.len());
    let medians: Vec<&RunResult> = config.inits.iter().filter_map(|i| study::median_run(&runs, i)).collect();
    let inputs = Inputs {
        out: &out,
        config: &config,
        splits: &splits,
        runs: &runs,
        summary: &summary,
        drawing: Drawing::default(),
        medians: &medians,
    };
    let (figs, skipped) = figures::describe(&inputs).expect("the figures");
    let _ = std::fs::remove_dir_all(&out);
    assert_eq!(skipped, Vec::<Skipped>::new(), "every figure applies to two-moons data");
    let stems: Vec<&str> = figs.iter().map(|f| f.stem.as_str()).collect();
    assert_eq!(stems, layout::FIGURE_STEMS);
    for f in &figs {
        let g = f.scene.geometry();
        assert_eq!(g.overlaps(), Vec::<(usize, usize)>::new(), "{}: a label or legend over data", f.stem);
        for (text, bold) in svg_texts(&f.scene.to_svg()) {
            assert_eq!(missing_glyphs(&text, bold), Vec::<char>::new(), "{}: {text:?}", f.stem);
        }
    }
    // The accuracy figures: the ceiling's label right of the plot, the legend inside it, and
    // the curves recorded (members, bands and means of three initializers, and the ceiling).
    for stem in ["fig3_train_accuracy", "fig3c_val_accuracy"] {
        let g = figs.iter().find(|f| f.stem == stem).expect("drawn").scene.geometry();
        let plot = g.plots[0];
        assert_eq!(g.labels.len(), 2, "{stem}: {:?}", g.labels);
        assert!(g.labels.iter().any(|r| r.x0 > plot.x1), "{stem}: the ceiling's label in the margin");
        assert!(g.labels.iter().any(|r| r.x0 >= plot.x0 && r.x1 <= plot.x1), "{stem}: the legend");
        assert_eq!(g.curves.len(), 3 * (10 + 250 + 1) + 1, "{stem}");
    }
}
