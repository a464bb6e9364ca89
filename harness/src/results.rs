//! The results folder: every file a study writes, and reading them back.
//!
//! The study writes its numbers here; the summary, the figures and the report
//! are computed from these files alone ([`load`]), so `harness report --from
//! DIR` redraws a study byte for byte without retraining.
//!
//! | file | content |
//! |---|---|
//! | `config.json` | [`ConfigFile`]: everything the results depend on, chance and the ceiling |
//! | `data/train.csv`, `data/val.csv` | the split data, `x1,…,xD,label` |
//! | `metrics.csv` | per init, seed and epoch: training and validation loss and accuracy (before that epoch's update) |
//! | `runs.csv` | per run: final values and epochs to threshold |
//! | `update_size.csv` | per init, seed, epoch and layer: `‖ΔW‖/‖W‖` of that epoch's update (figure 7) |
//! | `runs/<init>/seed-<k>/initial.bin`, `final.bin` | checkpoints (`saorsa_nn::checkpoint`) |
//! | `runs/<init>/seed-<k>/record.csv` | the run's curves, update sizes and final values, written last: the run is final once it is ([`crate::sweep`]) |
//! | `runs/<init>/seed-<k>/frames.bin` | for each initializer's median run: the weights over training (figure 6), [`FRAMES_MAGIC`] format |
//!
//! Floats are written in Rust's shortest round-trip form, so reading a file
//! back gives the same bits.

use crate::ceiling::Ceiling;
use crate::dataset::{Data, parse_csv, to_csv};
use crate::error::{Error, Result};
use crate::inits::InitSpec;
use crate::output::{csv_text, write_atomic};
use crate::study::{
    DataSource, Embedding, EpochRecord, MICRO_BATCH, RunResult, Snapshot, Splits, StudyConfig, Thresholds,
};
use saorsa_nn::Normalization;
use serde::{Deserialize, Serialize};
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};

/// The version of the results folder's layout and of `config.json`'s schema.
pub const SCHEMA_VERSION: u32 = 1;

/// `config.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConfigFile {
    /// [`SCHEMA_VERSION`] of the folder.
    pub schema_version: u32,
    /// The harness's version.
    pub harness_version: String,
    /// The core's version.
    pub saorsa_nn_version: String,
    /// Where the data came from.
    pub data: DataFile,
    /// The embedding into more dimensions, if any.
    pub embedding: Option<EmbeddingFile>,
    /// The data set's Bayes-optimal accuracy, when known.
    pub ceiling: Option<CeilingFile>,
    /// The accuracy of always predicting the training set's majority class.
    pub chance: f64,
    /// Seed of the data generator and of the split.
    pub data_seed: u64,
    /// Fraction held out for validation.
    pub val_ratio: f64,
    /// Training samples.
    pub train_samples: usize,
    /// Validation samples.
    pub val_samples: usize,
    /// The network's widths, `2-64-64-64-2` (ReLU, softmax, categorical cross-entropy).
    pub network: String,
    /// What stands between each hidden layer and its ReLU: `layernorm`, or
    /// absent for nothing (the paper's network; the field is then not
    /// written, so such a file is the bytes it always was).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub normalization: Option<String>,
    /// Its parameter count.
    pub parameters: usize,
    /// The initializers' machine names ([`InitSpec::name`]).
    pub inits: Vec<String>,
    /// Model seeds.
    pub seeds: Vec<u64>,
    /// Epochs per run.
    pub epochs: usize,
    /// Samples per step, `null` for full batch.
    pub batch_size: Option<usize>,
    /// Adam's settings.
    pub optimizer: OptimizerFile,
    /// The trainers' micro-batch size (results do not depend on it).
    pub micro_batch: usize,
}

/// `config.json`'s `data`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DataFile {
    /// `generated` or `csv`.
    pub kind: String,
    /// The generator's machine name (`moons`, `spirals:3`, …), for generated data.
    pub dataset: Option<String>,
    /// The CSV file's path, as given.
    pub path: Option<String>,
    /// Number of samples before the split.
    pub samples: usize,
}

/// `config.json`'s `embedding`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct EmbeddingFile {
    /// Total dimensions.
    pub dims: usize,
    /// Of which pure noise.
    pub noise_dims: usize,
    /// The noise dimensions' standard deviation.
    pub noise_std: f64,
}

/// `config.json`'s `ceiling`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CeilingFile {
    /// The Bayes-optimal accuracy.
    pub accuracy: f64,
    /// Its Monte Carlo standard error (0 when exact).
    pub std_error: f64,
    /// How it was computed.
    pub method: String,
}

/// `config.json`'s `optimizer`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OptimizerFile {
    /// `adam`.
    pub name: String,
    /// Learning rate.
    pub learning_rate: f64,
    /// β1.
    pub beta1: f64,
    /// β2.
    pub beta2: f64,
    /// ε (outside the square root).
    pub epsilon: f64,
}

/// The machine name of a normalization in `config.json` (`None` for none).
pub fn normalization_name(norm: Normalization) -> Option<&'static str> {
    match norm {
        Normalization::None => None,
        Normalization::LayerNorm => Some("layernorm"),
    }
}

impl ConfigFile {
    /// The file of a study.
    pub fn of(config: &StudyConfig, splits: &Splits, thresholds: &Thresholds) -> ConfigFile {
        let adam = config.adam();
        let data = match &config.source {
            DataSource::Generated { spec, samples } => DataFile {
                kind: "generated".into(),
                dataset: Some(spec.name()),
                path: None,
                samples: *samples,
            },
            DataSource::Csv { path, data } => {
                DataFile { kind: "csv".into(), dataset: None, path: Some(path.clone()), samples: data.len() }
            }
        };
        ConfigFile {
            schema_version: SCHEMA_VERSION,
            harness_version: env!("CARGO_PKG_VERSION").into(),
            saorsa_nn_version: env!("CARGO_PKG_VERSION").into(),
            data,
            embedding: config.embedding.map(|e| EmbeddingFile {
                dims: e.dims,
                noise_dims: e.noise_dims,
                noise_std: e.noise_std,
            }),
            ceiling: thresholds.ceiling.map(|c| CeilingFile {
                accuracy: c.accuracy,
                std_error: c.std_error,
                method: c.method.into(),
            }),
            chance: thresholds.chance,
            data_seed: config.data_seed,
            val_ratio: config.val_ratio,
            train_samples: splits.train.len(),
            val_samples: splits.val.len(),
            network: config.shape.to_string(),
            normalization: normalization_name(config.shape.normalization()).map(String::from),
            parameters: config.shape.parameter_count(),
            inits: config.inits.iter().map(InitSpec::name).collect(),
            seeds: config.seeds.clone(),
            epochs: config.epochs,
            batch_size: config.batch_size.map(NonZeroUsize::get),
            optimizer: OptimizerFile {
                name: "adam".into(),
                learning_rate: adam.learning_rate,
                beta1: adam.beta1,
                beta2: adam.beta2,
                epsilon: adam.epsilon,
            },
            micro_batch: MICRO_BATCH,
        }
    }

    /// The study configuration and thresholds this file records. The data
    /// of a CSV source is not kept: `splits` (read from `data/`) stand in.
    pub fn to_config(&self, splits: &Splits) -> std::result::Result<(StudyConfig, Thresholds), String> {
        if self.schema_version != SCHEMA_VERSION {
            return Err(format!(
                "schema_version {} (this harness reads {SCHEMA_VERSION})",
                self.schema_version
            ));
        }
        let source = match (self.data.kind.as_str(), &self.data.dataset, &self.data.path) {
            ("generated", Some(name), _) => {
                DataSource::Generated { spec: crate::synthetic::parse(name)?, samples: self.data.samples }
            }
            ("csv", _, Some(path)) => {
                let mut data = splits.val.clone();
                data.x.extend_from_slice(&splits.train.x);
                data.y.extend_from_slice(&splits.train.y);
                DataSource::Csv { path: path.clone(), data }
            }
            _ => return Err(format!("data: unknown kind `{}`", self.data.kind)),
        };
        let widths: Result<Vec<usize>, _> = self.network.split('-').map(str::parse).collect();
        let shape = widths
            .ok()
            .and_then(|w| saorsa_nn::Shape::new(&w).ok())
            .ok_or_else(|| format!("network: `{}` is not a shape", self.network))?;
        let norm = match self.normalization.as_deref() {
            None => Normalization::None,
            Some("layernorm") => Normalization::LayerNorm,
            Some(other) => return Err(format!("normalization: unknown `{other}` (known: layernorm)")),
        };
        let shape = shape.with_normalization(norm);
        let inits = self.inits.iter().map(|s| InitSpec::parse(s)).collect::<Result<Vec<_>, _>>()?;
        let config = StudyConfig {
            source,
            embedding: self.embedding.map(|e| Embedding {
                dims: e.dims,
                noise_dims: e.noise_dims,
                noise_std: e.noise_std,
            }),
            data_seed: self.data_seed,
            val_ratio: self.val_ratio,
            shape,
            inits,
            seeds: self.seeds.clone(),
            epochs: self.epochs,
            learning_rate: self.optimizer.learning_rate,
            batch_size: self.batch_size.and_then(NonZeroUsize::new),
        };
        let ceiling = self.ceiling.as_ref().map(|c| Ceiling {
            accuracy: c.accuracy,
            std_error: c.std_error,
            method: crate::ceiling::method_name(&c.method),
        });
        Ok((config, Thresholds { chance: self.chance, ceiling }))
    }
}

/// The header of `metrics.csv`.
pub const METRICS_HEADER: &str = "init,seed,epoch,train_loss,train_acc,val_loss,val_acc";
/// The header of `update_size.csv`.
pub const UPDATE_SIZE_HEADER: &str = "init,seed,epoch,layer,relative_update";

/// `metrics.csv`: one row per init, seed and epoch (metrics before the update).
pub fn metrics_csv(runs: &[RunResult]) -> String {
    let mut s = format!("{METRICS_HEADER}\n");
    runs.iter().for_each(|r| s.push_str(&metrics_rows(r)));
    s
}

/// The rows of [`metrics_csv`] of one run.
pub fn metrics_rows(r: &RunResult) -> String {
    let (name, seed) = (r.init.name(), r.seed.to_string());
    csv_text(r.epochs.iter().enumerate().map(|(k, e)| {
        let values = [e.train_loss, e.train_acc, e.val_loss, e.val_acc].map(|v| v.to_string());
        [name.clone(), seed.clone(), (k + 1).to_string()].into_iter().chain(values)
    }))
}

/// `runs.csv`: one row per run, final values after the last update; the
/// first epoch whose training accuracy reached 90% and 95%, and 50% and 90%
/// of the way from chance to the ceiling ([`Thresholds`]); empty if never.
pub fn runs_csv(runs: &[RunResult], thresholds: &Thresholds) -> String {
    let mut s = format!("{RUNS_HEADER}\n");
    runs.iter().for_each(|r| s.push_str(&runs_row(r, thresholds)));
    s
}

/// The row of [`runs_csv`] of one run.
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

/// `update_size.csv`: per init, seed, epoch and layer (from 1), `‖ΔW‖/‖W‖`.
pub fn update_size_csv(runs: &[RunResult]) -> String {
    let mut s = format!("{UPDATE_SIZE_HEADER}\n");
    runs.iter().for_each(|r| s.push_str(&update_size_rows(r)));
    s
}

/// The rows of [`update_size_csv`] of one run.
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

/// Every file a study of `config` may write under its folder, relative to
/// it (checked before training: no directory where a file goes, no file
/// where a directory goes).
pub fn planned_files(config: &StudyConfig) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = [
        "config.json",
        "data/train.csv",
        "data/val.csv",
        "metrics.csv",
        "runs.csv",
        "update_size.csv",
        "summary.json",
        "summary.md",
        crate::report::FIGURES_FILE,
        "report.html",
        crate::output::MANIFEST_NAME,
    ]
    .iter()
    .map(PathBuf::from)
    .collect();
    for stem in crate::report::FIGURE_STEMS {
        files.push(format!("{stem}.svg").into());
        files.push(format!("{stem}.png").into());
    }
    for init in &config.inits {
        let name = init.name();
        for ext in ["gif", "mp4"] {
            files.push(format!("fig6_weight_evolution_{name}.{ext}").into());
        }
        for ext in ["svg", "png"] {
            files.push(format!("fig6_montage_{name}.{ext}").into());
        }
        for &seed in &config.seeds {
            let d = run_dir(Path::new(""), init, seed);
            for f in ["initial.bin", "final.bin", "frames.bin", crate::sweep::RECORD] {
                files.push(d.join(f));
            }
        }
    }
    files
}

/// Whether a file of a results folder (relative, `/`-separated) is one of
/// the study's data — what the report is drawn from — rather than drawn:
/// `config.json`, the CSV files and the run files (`.bin`).
pub fn is_input(name: &str) -> bool {
    name == "config.json" || name.ends_with(".csv") || name.ends_with(".bin")
}

/// The directory of a run under `out`.
pub fn run_dir(out: &Path, init: &InitSpec, seed: u64) -> PathBuf {
    out.join("runs").join(init.name()).join(format!("seed-{seed}"))
}

/// Writes every data file of a study: `config.json`, the data, the metrics,
/// runs, update sizes and checkpoints.
pub fn write_tables(
    out: &Path,
    config: &StudyConfig,
    splits: &Splits,
    runs: &[RunResult],
    thresholds: &Thresholds,
) -> Result<()> {
    let file = ConfigFile::of(config, splits, thresholds);
    let json = serde_json::to_string_pretty(&file).expect("plain data serializes") + "\n";
    write_atomic(&out.join("config.json"), json.as_bytes())?;
    write_atomic(&out.join("data/train.csv"), to_csv(&splits.train).as_bytes())?;
    write_atomic(&out.join("data/val.csv"), to_csv(&splits.val).as_bytes())?;
    write_atomic(&out.join("metrics.csv"), metrics_csv(runs).as_bytes())?;
    write_atomic(&out.join("runs.csv"), runs_csv(runs, thresholds).as_bytes())?;
    write_atomic(&out.join("update_size.csv"), update_size_csv(runs).as_bytes())?;
    for r in runs {
        let dir = run_dir(out, &r.init, r.seed);
        write_atomic(&dir.join("initial.bin"), &r.initial)?;
        write_atomic(&dir.join("final.bin"), &r.last)?;
    }
    Ok(())
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

fn read(dir: &Path, name: &str) -> Result<Vec<u8>> {
    std::fs::read(dir.join(name)).map_err(|e| Error::io(dir.join(name), e))
}

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
    let config_bytes = read(dir, "config.json")?;
    let file: ConfigFile = serde_json::from_slice(&config_bytes)
        .map_err(|e| Error::results(dir.join("config.json"), e.to_string()))?;
    let data = |name: &str| -> Result<Data> {
        parse_csv(&read(dir, name)?).map_err(|e| Error::results(dir.join(name), e.to_string()))
    };
    let (mut train, mut val) = (data("data/train.csv")?, data("data/val.csv")?);
    let classes = train.classes.max(val.classes);
    // The number of classes is the network's, not the largest label seen.
    let widths_classes =
        file.network.rsplit('-').next().and_then(|c| c.parse::<usize>().ok()).unwrap_or(classes);
    train.classes = widths_classes.max(classes);
    val.classes = train.classes;
    let splits = Splits { train, val };
    let (config, thresholds) =
        file.to_config(&splits).map_err(|e| Error::results(dir.join("config.json"), e))?;
    Ok((config, splits, thresholds))
}

/// The network a checkpoint holds (of the shape its header declares), and
/// the checkpoint's length.
pub fn network_from_checkpoint(
    bytes: &[u8],
) -> std::result::Result<(saorsa_nn::Network<Vec<f32>>, usize), saorsa_nn::Error> {
    let shape = saorsa_nn::checkpoint::read_shape(bytes)?;
    let len = shape.checkpoint_bytes();
    let mut net = saorsa_nn::Network::new(shape.clone(), vec![0.0; shape.parameter_count()])?;
    // A shorter input fails decoding with its length.
    net.decode_checkpoint(bytes.get(..len).unwrap_or(bytes))?;
    Ok((net, len))
}

/// A run's final network, read from its `final.bin`.
pub fn final_model(dir: &Path, init: &InitSpec, seed: u64) -> Result<saorsa_nn::Network<Vec<f32>>> {
    let path = run_dir(dir, init, seed).join("final.bin");
    let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
    network_from_checkpoint(&bytes).map(|(net, _)| net).map_err(|e| Error::results(&path, e.to_string()))
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
        index.insert((r[0].to_string(), seed), runs.len());
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
        });
        Ok(())
    })?;
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
    for r in &mut runs {
        if r.epochs.len() < config.epochs {
            r.error = Some(format!("stopped after epoch {}", r.epochs.len()));
        }
    }
    Ok(Loaded { config, splits, runs, thresholds })
}

/// The header of `runs.csv`.
pub const RUNS_HEADER: &str = "init,seed,final_train_loss,final_val_loss,final_val_acc,epochs_to_90,epochs_to_95,epochs_to_50pct_of_ceiling,epochs_to_90pct_of_ceiling,final_train_acc";
