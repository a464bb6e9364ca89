//! A study's numbers as files and back: the rows of `metrics.csv`, `runs.csv`,
//! `update_size.csv` and `layer_stats.csv` ([`metrics_rows`], [`runs_row`],
//! [`update_size_rows`], [`layer_stats_rows`]), `frames.bin`
//! ([`frames_bin`]), and a study's folder read back ([`load_inputs`], [`load`], [`final_model`]) —
//! checked against its `config.json` — so that the summary, the figures and the report are
//! computed from these files alone and `harness report --from DIR` redraws a study byte for byte.
//!
//! Floats are written in Rust's shortest round-trip form, so reading a file back gives the same
//! bits. The files' names are [`crate::layout`]'s.

use crate::config::StudyConfig;
use crate::config_file::ConfigFile;
use crate::dataset::{Data, parse_rows};
use crate::error::{Error, Result};
use crate::inits::InitSpec;
use crate::layout;
use crate::output::{csv_text, read_bounded};
use crate::study::{EpochRecord, RunResult, Snapshot, Splits, Thresholds, network_from_checkpoint};
use std::path::{Path, PathBuf};

/// The header of `metrics.csv`.
pub const METRICS_HEADER: &str = "init,seed,epoch,train_loss,train_acc,val_loss,val_acc";
/// The header of `update_size.csv`.
pub const UPDATE_SIZE_HEADER: &str = "init,seed,epoch,layer,relative_update";

/// The header of `layer_stats.csv` (and of each run's `runs/<init>/seed-<k>/layer_stats.csv`).
///
/// One row per run, epoch and dense layer (from 1, the input layer), in run order, then epoch,
/// then layer. The epochs are 0 (the initial weights observed once on the whole training set)
/// and every epoch figure 6 has a frame of ([`crate::study::is_frame`]: every epoch up to 25,
/// then thinned, and the last); epoch `e ≥ 1` is the training pass of epoch `e`, from the
/// weights after epoch `e − 1`, averaged over its steps (full batch: one step, so epoch 1
/// repeats epoch 0). The columns ([`saorsa_nn::LayerStats`] for the exact definitions):
/// `pre_mean`, `pre_sd` — mean and population SD of the pre-activations (the ReLU's inputs,
/// after LayerNorm when the network has it; the logits for the output layer); `act_mean`,
/// `act_sd` — of the activations (ReLU outputs; the logits for the output layer);
/// `zero_fraction` — activations exactly zero; `dead_fraction` — units zero on every sample of
/// a step; `weight_grad_norm` — `‖∂L/∂W‖_F` of the step's mean loss; `input_grad_norm` —
/// `‖∂L/∂x‖_F`, the gradient the layer passes to the one below (for layer 1, to the data),
/// over all samples; `weight_norm` — `‖W‖_F`. Values are `f64` in shortest round-trip form.
pub const LAYER_STATS_HEADER: &str = "init,seed,epoch,layer,pre_mean,pre_sd,act_mean,act_sd,zero_fraction,\
dead_fraction,weight_grad_norm,input_grad_norm,weight_norm";

/// The statistics' columns of `layer_stats.csv`, in order (after `init,seed,epoch,layer`).
pub const LAYER_STATS_COLUMNS: [&str; 9] = [
    "pre_mean",
    "pre_sd",
    "act_mean",
    "act_sd",
    "zero_fraction",
    "dead_fraction",
    "weight_grad_norm",
    "input_grad_norm",
    "weight_norm",
];

/// The statistics of `s` in [`LAYER_STATS_COLUMNS`]' order.
pub fn layer_stats_values(s: &saorsa_nn::LayerStats) -> [f64; 9] {
    [
        s.pre_mean(),
        s.pre_sd(),
        s.act_mean(),
        s.act_sd(),
        s.zero_fraction(),
        s.dead_fraction(),
        s.weight_grad_norm(),
        s.input_grad_norm(),
        s.weight_norm(),
    ]
}

/// The rows of `layer_stats.csv` of one run ([`LAYER_STATS_HEADER`]).
pub fn layer_stats_rows(r: &RunResult) -> String {
    let (name, seed) = (r.init.name(), r.seed.to_string());
    csv_text(r.layer_stats.iter().flat_map(|e| {
        let (name, seed) = (&name, &seed);
        e.layers.iter().enumerate().map(move |(l, s)| {
            [name.clone(), seed.clone(), e.epoch.to_string(), (l + 1).to_string()]
                .into_iter()
                .chain(layer_stats_values(s).map(|v| v.to_string()))
        })
    }))
}

/// One row of `layer_stats.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct LayerStatsRow {
    /// The initializer's name.
    pub init: String,
    /// The model seed.
    pub seed: u64,
    /// The epoch (0: the initial weights).
    pub epoch: usize,
    /// The dense layer, from 1.
    pub layer: usize,
    /// The statistics, in [`LAYER_STATS_COLUMNS`]' order.
    pub values: [f64; 9],
}

impl LayerStatsRow {
    /// The value of column `name` (one of [`LAYER_STATS_COLUMNS`]).
    ///
    /// # Panics
    /// On another name.
    pub fn get(&self, name: &str) -> f64 {
        let k = LAYER_STATS_COLUMNS.iter().position(|c| *c == name).expect("a column of layer_stats.csv");
        self.values[k]
    }
}

/// The most rows a `layer_stats.csv` of `runs` runs of `config` has: each run's epoch 0 and
/// frame epochs ([`crate::study::is_frame`]), one row per layer.
pub fn layer_stats_rows_at_most(config: &StudyConfig, runs: usize) -> usize {
    runs.saturating_mul(crate::study::frame_count(config.epochs)).saturating_mul(config.shape.layers())
}

/// Reads `name` (relative to `dir`), a `layer_stats.csv` or a run's, in full: at most
/// `max_rows` rows ([`layer_stats_rows_at_most`]), so that a folder's file cannot make the reader
/// hold more than its study wrote.
///
/// # Errors
/// A missing or unreadable file, another header, a bad value, more than `max_rows` rows.
pub fn read_layer_stats(dir: &Path, name: &str, max_rows: usize) -> Result<Vec<LayerStatsRow>> {
    let mut out = Vec::new();
    let bad = |e: String| Error::results(dir.join(name), e);
    rows(dir, name, LAYER_STATS_HEADER, |r| {
        if out.len() == max_rows {
            return Err(bad(format!("more than the {max_rows} rows its study writes")));
        }
        let mut values = [0.0; 9];
        for (k, v) in values.iter_mut().enumerate() {
            *v = field(r, 4 + k, LAYER_STATS_COLUMNS[k]).map_err(bad)?;
        }
        out.push(LayerStatsRow {
            init: r.get(0).unwrap_or_default().to_string(),
            seed: field(r, 1, "seed").map_err(bad)?,
            epoch: field(r, 2, "epoch").map_err(bad)?,
            layer: field(r, 3, "layer").map_err(bad)?,
            values,
        });
        Ok(())
    })?;
    Ok(out)
}

/// The rows of `metrics.csv` of one run: one per epoch (metrics before that epoch's update).
pub fn metrics_rows(r: &RunResult) -> String {
    let (name, seed) = (r.init.name(), r.seed.to_string());
    csv_text(r.epochs.iter().enumerate().map(|(k, e)| {
        let values = [e.train_loss, e.train_acc, e.val_loss, e.val_acc].map(|v| v.to_string());
        [name.clone(), seed.clone(), (k + 1).to_string()].into_iter().chain(values)
    }))
}

/// The row of `runs.csv` of one run: final values after the last update; the first epoch whose
/// training accuracy reached 90% and 95%, and 50% and 90% of the way from chance to the ceiling
/// ([`Thresholds`]); empty if never.
pub fn runs_row(r: &RunResult, thresholds: &Thresholds) -> String {
    let opt = |v: Option<usize>| v.map_or(String::new(), |e| e.to_string());
    csv_text([[
        r.init.name(),
        r.seed.to_string(),
        r.final_train_loss.to_string(),
        r.final_val_loss.to_string(),
        r.final_val_acc.to_string(),
        opt(r.epochs_to(0.90)),
        opt(r.epochs_to(0.95)),
        opt(r.epochs_to(thresholds.target(0.5))),
        opt(r.epochs_to(thresholds.target(0.9))),
        r.final_train_acc.to_string(),
    ]])
}

/// The rows of `update_size.csv` of one run: per epoch and layer (from 1), `‖ΔW‖/‖W‖`.
pub fn update_size_rows(r: &RunResult) -> String {
    let (name, seed) = (r.init.name(), r.seed.to_string());
    csv_text(r.update_size.iter().enumerate().flat_map(|(k, layers)| {
        let (name, seed) = (&name, &seed);
        layers.iter().enumerate().map(move |(l, v)| {
            [name.clone(), seed.clone(), (k + 1).to_string(), (l + 1).to_string(), v.to_string()]
        })
    }))
}

/// The magic bytes of `frames.bin`: then, per frame, the epoch (`u32` LE)
/// and the network's checkpoint at that epoch (`saorsa_nn::checkpoint`, its
/// length given by its own header).
pub const FRAMES_MAGIC: [u8; 4] = *b"SNF1";

/// `frames.bin` of `(epoch, checkpoint)` frames.
pub fn frames_bin(frames: &[(usize, Vec<u8>)]) -> Vec<u8> {
    let mut out = FRAMES_MAGIC.to_vec();
    for (epoch, checkpoint) in frames {
        out.extend_from_slice(&(*epoch as u32).to_le_bytes());
        out.extend_from_slice(checkpoint);
    }
    out
}

/// Reads `frames.bin` into `(epoch, weights of every layer)`.
pub fn read_frames(bytes: &[u8]) -> std::result::Result<Vec<(usize, Snapshot)>, String> {
    let mut rest = bytes.strip_prefix(&FRAMES_MAGIC).ok_or("not a frames file (magic SNF1)")?;
    let mut frames = Vec::new();
    while !rest.is_empty() {
        let (epoch, after) = rest.split_at_checked(4).ok_or("truncated frame")?;
        let epoch = u32::from_le_bytes([epoch[0], epoch[1], epoch[2], epoch[3]]) as usize;
        let (net, len) = network_from_checkpoint(after).map_err(|e| e.to_string())?;
        frames.push((epoch, net.layers().map(|l| l.weights.to_vec()).collect()));
        rest = &after[len..];
    }
    Ok(frames)
}

/// The directory of a run under `out` ([`layout::run_dir`]).
pub fn run_dir(out: &Path, init: &InitSpec, seed: u64) -> PathBuf {
    layout::run_dir(out, &init.name(), seed)
}

/// A study read back from its folder.
#[derive(Clone, Debug, PartialEq)]
pub struct Loaded {
    /// The configuration.
    pub config: StudyConfig,
    /// The data.
    pub splits: Splits,
    /// Every run, in the study's order (init-major), without frames.
    pub runs: Vec<RunResult>,
    /// Chance and the ceiling.
    pub thresholds: Thresholds,
}

/// The most bytes a data file of a folder may have: [`crate::dataset::MAX_ROWS`] rows of the
/// widest network's inputs in the longest form a float takes.
const MAX_DATA_BYTES: u64 = 4 << 30;

/// Calls `each` on every row of a CSV file of ours (header checked), read
/// as a stream: the file is never held whole in memory.
fn rows(
    dir: &Path,
    name: &str,
    header: &str,
    mut each: impl FnMut(&csv::StringRecord) -> Result<()>,
) -> Result<()> {
    let path = dir.join(name);
    let file = std::fs::File::open(&path).map_err(|e| Error::io(&path, e))?;
    let mut reader = csv::Reader::from_reader(std::io::BufReader::new(file));
    let bad = |e: csv::Error| Error::results(dir.join(name), crate::error::quote(&e.to_string()));
    let found = reader.headers().map_err(bad)?.iter().collect::<Vec<_>>().join(",");
    if found != header {
        return Err(Error::results(
            dir.join(name),
            format!("header `{}`, expected `{header}`", crate::error::quote(&found)),
        ));
    }
    let mut record = csv::StringRecord::new();
    while reader.read_record(&mut record).map_err(bad)? {
        each(&record)?;
    }
    Ok(())
}

fn field<T: std::str::FromStr>(
    r: &csv::StringRecord,
    k: usize,
    what: &str,
) -> std::result::Result<T, String> {
    r.get(k)
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| format!("{what}: bad value `{}`", crate::error::quote(r.get(k).unwrap_or(""))))
}

/// The inputs of a study read back from its folder: the configuration,
/// the data and the thresholds (`config.json`, `data/`).
pub fn load_inputs(dir: &Path) -> Result<(StudyConfig, Splits, Thresholds)> {
    let file = ConfigFile::read(&dir.join(layout::CONFIG))?;
    // The harness's own split files: a split may lack a class the data set has, so the number
    // of classes is the network's, and every label must be below it.
    let classes = file.network.classes();
    let data = |name: &str| -> Result<Data> {
        let path = dir.join(name);
        let (mut d, _) = parse_rows(&read_bounded(&path, MAX_DATA_BYTES)?)
            .map_err(|e| Error::results(&path, e.to_string()))?;
        if let Some(&l) = d.y.iter().find(|&&l| usize::from(l) >= classes) {
            return Err(Error::results(&path, format!("label {l}, but the network has {classes} classes")));
        }
        if d.features != file.network.inputs() {
            return Err(Error::results(
                &path,
                format!("{} features, but the network has {} inputs", d.features, file.network.inputs()),
            ));
        }
        d.classes = classes;
        Ok(d)
    };
    let (train, val) = (data(layout::TRAIN_DATA)?, data(layout::VAL_DATA)?);
    let splits = Splits { train, val };
    let (config, thresholds) =
        file.to_config(&splits).map_err(|e| Error::results(dir.join("config.json"), e))?;
    Ok((config, splits, thresholds))
}

/// A run's final network, read from its `final.bin`, checked to be of `shape`.
///
/// # Errors
/// A checkpoint that cannot be read, is damaged or is of another network.
pub fn final_model(
    dir: &Path,
    init: &InitSpec,
    seed: u64,
    shape: &saorsa_nn::Shape,
) -> Result<saorsa_nn::Network<Vec<f32>>> {
    let path = run_dir(dir, init, seed).join(layout::FINAL);
    let bytes = read_bounded(&path, shape.checkpoint_bytes() as u64)?;
    let (net, _) = network_from_checkpoint(&bytes).map_err(|e| Error::results(&path, e.to_string()))?;
    if net.shape() != shape {
        return Err(Error::results(
            &path,
            format!("a checkpoint of {}, not of the study's {shape}", net.shape()),
        ));
    }
    Ok(net)
}

/// Reads a study's folder back: the configuration, the data, every run's
/// metrics, finals and update sizes. The checkpoints stay on disk (memory
/// does not grow with them): read one with [`final_model`].
pub fn load(dir: &Path) -> Result<Loaded> {
    let (config, splits, thresholds) = load_inputs(dir)?;

    let mut runs: Vec<RunResult> = Vec::new();
    // (init name, seed) → index in `runs`.
    let mut index: std::collections::HashMap<(String, u64), usize> = std::collections::HashMap::new();
    let in_file = |name: &'static str| move |e: String| Error::results(dir.join(name), e);
    let in_runs = in_file("runs.csv");
    rows(dir, "runs.csv", RUNS_HEADER, |r| {
        let init = InitSpec::parse(&r[0]).map_err(|e| in_runs(crate::error::quote(&e)))?;
        let seed = field(r, 1, "seed").map_err(in_runs)?;
        if !config.inits.contains(&init) || !config.seeds.contains(&seed) {
            return Err(in_runs(format!(
                "run {} seed {seed} is not one of the study's",
                crate::error::quote(&r[0])
            )));
        }
        if index.insert((r[0].to_string(), seed), runs.len()).is_some() {
            return Err(in_runs(format!("run {} seed {seed} appears twice", crate::error::quote(&r[0]))));
        }
        runs.push(RunResult {
            init,
            seed,
            epochs: Vec::new(),
            update_size: Vec::new(),
            final_train_loss: field(r, 2, "final_train_loss").map_err(in_runs)?,
            final_train_acc: field(r, 9, "final_train_acc").map_err(in_runs)?,
            final_val_loss: field(r, 3, "final_val_loss").map_err(in_runs)?,
            final_val_acc: field(r, 4, "final_val_acc").map_err(in_runs)?,
            initial: Vec::new(),
            last: Vec::new(),
            error: None,
            layer_stats: Vec::new(),
        });
        Ok(())
    })?;
    if runs.len() != config.runs() {
        return Err(in_runs(format!("{} runs, the study has {}", runs.len(), config.runs())));
    }
    let find = |r: &csv::StringRecord, seed: u64, file: &str| {
        index.get(&(r[0].to_string(), seed)).copied().ok_or_else(|| {
            Error::results(
                dir.join(file),
                format!("run {} seed {seed} is not in runs.csv", crate::error::quote(&r[0])),
            )
        })
    };
    let in_metrics = in_file("metrics.csv");
    rows(dir, "metrics.csv", METRICS_HEADER, |r| {
        let seed = field(r, 1, "seed").map_err(in_metrics)?;
        let k = find(r, seed, "metrics.csv")?;
        runs[k].epochs.push(EpochRecord {
            train_loss: field(r, 3, "train_loss").map_err(in_metrics)?,
            train_acc: field(r, 4, "train_acc").map_err(in_metrics)?,
            val_loss: field(r, 5, "val_loss").map_err(in_metrics)?,
            val_acc: field(r, 6, "val_acc").map_err(in_metrics)?,
        });
        Ok(())
    })?;
    let in_updates = in_file("update_size.csv");
    rows(dir, "update_size.csv", UPDATE_SIZE_HEADER, |r| {
        let seed = field(r, 1, "seed").map_err(in_updates)?;
        let k = find(r, seed, "update_size.csv")?;
        let epoch: usize = field(r, 2, "epoch").map_err(in_updates)?;
        if epoch == 0 {
            return Err(in_updates("epoch 0 (epochs count from 1)".into()));
        }
        let run = &mut runs[k];
        if epoch > config.epochs {
            return Err(in_updates(format!("epoch {epoch}, after the last ({})", config.epochs)));
        }
        if run.update_size.len() < epoch {
            run.update_size.resize(epoch, Vec::new());
        }
        run.update_size[epoch - 1].push(field(r, 4, "relative_update").map_err(in_updates)?);
        Ok(())
    })?;
    let layers = config.shape.layers();
    for r in &mut runs {
        let bad = |what: String| {
            Error::results(
                dir.join(layout::METRICS),
                format!("run {} seed {}: {what}", r.init.name(), r.seed),
            )
        };
        if r.epochs.len() > config.epochs {
            return Err(bad(format!("{} epochs, more than the study's {}", r.epochs.len(), config.epochs)));
        }
        if r.update_size.len() != r.epochs.len() || r.update_size.iter().any(|u| u.len() != layers) {
            return Err(Error::results(
                dir.join(layout::UPDATE_SIZE),
                format!(
                    "run {} seed {}: not one update size per epoch and layer ({layers} layers)",
                    r.init.name(),
                    r.seed
                ),
            ));
        }
        if r.epochs.len() < config.epochs {
            r.error = Some(format!("stopped after epoch {}", r.epochs.len()));
        }
    }
    Ok(Loaded { config, splits, runs, thresholds })
}

/// The header of `runs.csv`.
pub const RUNS_HEADER: &str = "init,seed,final_train_loss,final_val_loss,final_val_acc,epochs_to_90,epochs_to_95,epochs_to_50pct_of_ceiling,epochs_to_90pct_of_ceiling,final_train_acc";
