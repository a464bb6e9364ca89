//! Every file and folder name of a results folder, in one place; this module imports nothing of the
//! harness, so any stage may name a file without depending on the stage that writes it.
//!
//! A study's folder:
//!
//! | name | what |
//! |---|---|
//! | [`CONFIG`] | the configuration, chance and the ceiling (`crate::config::ConfigFile`) |
//! | [`TRAIN_DATA`], [`VAL_DATA`] | the split data, `x1,…,xD,label` |
//! | [`METRICS`], [`RUNS`], [`UPDATE_SIZE`] | the tables (`crate::tables`) |
//! | `runs/<init>/seed-<k>/` ([`run_dir`]) | [`INITIAL`], [`FINAL`], [`RECORD`] and, for medians, [`FRAMES`] |
//! | [`SUMMARY_JSON`], [`SUMMARY_MD`], [`FIGURES_JSON`], [`REPORT_HTML`] | drawn from the files above |
//! | `<stem>.svg` / `.png` for every [`FIGURE_STEMS`] entry, [`weight_animation`], [`weight_montage`] | figures |
//! | [`MANIFEST`] | every file of the folder with its length and CRC-32, written last |
//!
//! A claims folder holds [`PLAN`], `runs/<id>.csv` records ([`claims_record`]) and the claims'
//! own files; a shard's folder also holds [`SHARD`].

use std::path::{Path, PathBuf};

/// The configuration a study's results depend on.
pub const CONFIG: &str = "config.json";
/// The training set.
pub const TRAIN_DATA: &str = "data/train.csv";
/// The validation set.
pub const VAL_DATA: &str = "data/val.csv";
/// A study's inputs: what every run is trained from.
pub const INPUTS: [&str; 3] = [CONFIG, TRAIN_DATA, VAL_DATA];

/// Per initializer, seed and epoch: losses and accuracies.
pub const METRICS: &str = "metrics.csv";
/// Per run: final values and epochs to threshold.
pub const RUNS: &str = "runs.csv";
/// Per initializer, seed, epoch and layer: the relative update size.
pub const UPDATE_SIZE: &str = "update_size.csv";
/// Per initializer, seed, epoch (0 and figure 6's) and layer: the signal and gradient
/// statistics (also a run's file, its own rows).
pub const LAYER_STATS: &str = "layer_stats.csv";

/// The folder of every run's files.
pub const RUNS_DIR: &str = "runs";
/// A run's checkpoint before training.
pub const INITIAL: &str = "initial.bin";
/// A run's checkpoint after training.
pub const FINAL: &str = "final.bin";
/// A run's record, written last: the run is final once it is.
pub const RECORD: &str = "record.csv";
/// A study run's files, in the order they are written (the record last).
pub const RUN_FILES: [&str; 4] = [INITIAL, FINAL, LAYER_STATS, RECORD];
/// A median run's weights over training (figure 6).
pub const FRAMES: &str = "frames.bin";

/// The summary's numbers.
pub const SUMMARY_JSON: &str = "summary.json";
/// The summary's tables and findings.
pub const SUMMARY_MD: &str = "summary.md";
/// The drawing choices the figures were drawn with (in a shard's folder: the ones it was given,
/// which its merge draws with).
pub const FIGURES_JSON: &str = "figures.json";
/// The study's report.
pub const REPORT_HTML: &str = "report.html";

/// The figures of a study with one file per study (each as `.svg` and `.png`).
pub const FIGURE_STEMS: [&str; 11] = [
    "fig1_dataset",
    "fig2_architecture",
    "fig3_train_accuracy",
    "fig3b_train_loss",
    "fig3c_val_accuracy",
    "fig3d_accuracy_sd",
    "fig4_val_accuracy",
    "fig5_decision_boundaries",
    "fig7_update_size",
    "fig8_signal_layers",
    "fig9_first_layer_gradient",
];

/// The stem of figure 6's animation of one initializer (`.gif`, `.mp4`).
pub fn weight_animation(init: &str) -> String {
    format!("fig6_weight_evolution_{init}")
}

/// The stem of figure 6's montage of one initializer (`.svg`, `.png`).
pub fn weight_montage(init: &str) -> String {
    format!("fig6_montage_{init}")
}

/// `manifest.json`: every file of a complete folder, written last.
pub const MANIFEST: &str = "manifest.json";
/// Where a run keeps the previous run's file list while it writes.
pub const PREVIOUS_MANIFEST: &str = ".manifest-previous.json";
/// The lock file of a folder in use.
pub const LOCK: &str = ".harness.lock";
/// A shard's list of the runs it owns.
pub const SHARD: &str = "shard.json";
/// The experiment a claims folder holds.
pub const PLAN: &str = "plan.json";

/// The claims' verdicts as Markdown.
pub const CLAIMS_MD: &str = "claims.md";
/// The claims' verdicts as JSON.
pub const CLAIMS_JSON: &str = "claims.json";
/// The claims' report.
pub const CLAIMS_HTML: &str = "claims.html";
/// The claims' per-epoch table.
pub const EPOCHS: &str = "epochs.csv";

/// A study run's folder relative to the results folder: `runs/<init>/seed-<k>`.
pub fn run_rel(init: &str, seed: u64) -> String {
    format!("{RUNS_DIR}/{init}/seed-{seed}")
}

/// A study run's folder under `out`.
pub fn run_dir(out: &Path, init: &str, seed: u64) -> PathBuf {
    out.join(RUNS_DIR).join(init).join(format!("seed-{seed}"))
}

/// A claims run's record relative to its folder: `runs/<id>.csv`.
pub fn claims_record(id: &str) -> String {
    format!("{RUNS_DIR}/{id}.csv")
}

/// Every file a study of `inits` × `seeds` may write, relative to its folder (checked before
/// training: no directory where a file goes, no file where a directory goes).
pub fn study_files(inits: &[String], seeds: &[u64]) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = INPUTS
        .iter()
        .chain(&[
            METRICS,
            RUNS,
            UPDATE_SIZE,
            LAYER_STATS,
            SUMMARY_JSON,
            SUMMARY_MD,
            FIGURES_JSON,
            REPORT_HTML,
            MANIFEST,
        ])
        .map(PathBuf::from)
        .collect();
    for stem in FIGURE_STEMS {
        files.push(format!("{stem}.svg").into());
        files.push(format!("{stem}.png").into());
    }
    for init in inits {
        for ext in ["gif", "mp4"] {
            files.push(format!("{}.{ext}", weight_animation(init)).into());
        }
        for ext in ["svg", "png"] {
            files.push(format!("{}.{ext}", weight_montage(init)).into());
        }
        for &seed in seeds {
            let d = PathBuf::from(run_rel(init, seed));
            for f in RUN_FILES.iter().chain(&[FRAMES]) {
                files.push(d.join(f));
            }
        }
    }
    files
}

/// Whether a file of a study's folder (relative, `/`-separated) is one of its data — what the
/// report is drawn from — rather than drawn: `config.json`, the CSV files and the run files.
pub fn is_input(name: &str) -> bool {
    name == CONFIG || name.ends_with(".csv") || name.ends_with(".bin")
}

/// Whether `rel` (relative, `/`-separated) is a name the harness writes in a folder of a sweep
/// whose identity file is `identity` ([`CONFIG`] for a study, [`PLAN`] for claims): what an
/// interrupted run of it may have left without a manifest listing it.
pub fn is_written_by(identity: &str, rel: &str) -> bool {
    let top = !rel.contains('/');
    let ext = |e: &[&str]| e.iter().any(|x| rel.ends_with(x));
    let common = [MANIFEST, PREVIOUS_MANIFEST, LOCK, SHARD, RUNS].contains(&rel);
    if identity == PLAN {
        let run_record = rel.starts_with(&format!("{RUNS_DIR}/")) && rel.ends_with(".csv");
        return common
            || run_record
            || [PLAN, EPOCHS, CLAIMS_MD, CLAIMS_JSON, CLAIMS_HTML].contains(&rel)
            || (top && rel.starts_with("fig-") && ext(&[".svg", ".png"]));
    }
    let run_file = rel.starts_with(&format!("{RUNS_DIR}/"))
        && RUN_FILES.iter().chain(&[FRAMES]).any(|f| rel.ends_with(&format!("/{f}")));
    common
        || run_file
        || INPUTS.contains(&rel)
        || [METRICS, UPDATE_SIZE, LAYER_STATS, SUMMARY_JSON, SUMMARY_MD, FIGURES_JSON, REPORT_HTML]
            .contains(&rel)
        || (top && rel.starts_with("fig") && ext(&[".svg", ".png", ".gif", ".mp4"]))
}
