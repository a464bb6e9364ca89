//! The study's configuration: one typed [`StudyConfig`], validated by itself
//! ([`StudyConfig::validate`]: errors name the field, never a flag) whichever front end built it —
//! the command line, a `config.json` read back ([`crate::config_file`]), a claims plan, Python.

use crate::csv_data::Columns;
use crate::dataset::Data;
use crate::error::{Error, Result, number};
use crate::inits::InitSpec;
use crate::synthetic::DatasetSpec;
use saorsa_nn::{Adam, Batching, Normalization, Shape, paper};
use serde::{Deserialize, Serialize};
use std::num::NonZeroUsize;

/// Micro-batch size of the harness's trainers. Results do not depend on it
/// (the core's gradient is bit-identical for every micro-batch size).
pub const MICRO_BATCH: usize = 32;

/// Where the data comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum DataSource {
    /// A generated data set (the paper's two moons by default).
    Generated {
        /// Which generator, with its parameters.
        spec: DatasetSpec,
        /// Number of samples.
        samples: usize,
    },
    /// A CSV file, already parsed ([`crate::csv_data::read`]).
    Csv {
        /// The file's path, as given.
        path: String,
        /// Its contents.
        data: Data,
        /// The label and feature columns it was read with, as `config.json` records them
        /// ([`crate::csv_data::Table::columns`]).
        columns: Columns,
        /// For class-name labels, the names: class `k` is `class_names[k]`; `None` for numeric
        /// labels.
        class_names: Option<Vec<String>>,
    },
}

impl DataSource {
    /// Features per sample, before any embedding.
    pub fn features(&self) -> usize {
        match self {
            DataSource::Generated { spec, .. } => spec.features(),
            DataSource::Csv { data, .. } => data.features,
        }
    }

    /// Number of classes.
    pub fn classes(&self) -> usize {
        match self {
            DataSource::Generated { spec, .. } => spec.classes(),
            DataSource::Csv { data, .. } => data.classes,
        }
    }
}

/// The embedding of the data into more dimensions ([`crate::synthetic::embed`]):
/// a seeded random rotation of the zero-padded features into
/// `dims − noise_dims` dimensions, then `noise_dims` pure-noise ones.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Embedding {
    /// Total dimensions (the network's inputs).
    pub dims: usize,
    /// Of which pure noise (standard normal × `noise_std`).
    pub noise_dims: usize,
    /// Standard deviation of the noise dimensions.
    pub noise_std: f64,
}

/// The seed of the embedding's rotation and noise: the data seed plus this
/// constant, so that it never shares a stream with the data or the split.
pub const EMBEDDING_SEED_OFFSET: u64 = 0x656d_6265_6400;

/// Everything that determines a study's results.
#[derive(Clone, Debug, PartialEq)]
pub struct StudyConfig {
    /// The data.
    pub source: DataSource,
    /// An optional embedding into more dimensions.
    pub embedding: Option<Embedding>,
    /// Seed of the data generator and of the train/validation split.
    pub data_seed: u64,
    /// Fraction of the samples held out for validation.
    pub val_ratio: f64,
    /// The network's shape: inputs (the data's features), hidden widths,
    /// classes.
    pub shape: Shape,
    /// Initializers to compare.
    pub inits: Vec<InitSpec>,
    /// Model seeds.
    pub seeds: Vec<u64>,
    /// Epochs per run.
    pub epochs: usize,
    /// Adam's learning rate (the other Adam settings are the framework's defaults).
    pub learning_rate: f64,
    /// Samples per optimizer step; `None` is full batch.
    pub batch_size: Option<NonZeroUsize>,
}

impl Default for StudyConfig {
    /// The paper's study, with model seeds 0–9.
    fn default() -> Self {
        StudyConfig {
            source: DataSource::Generated {
                spec: DatasetSpec::Moons { noise: paper::NOISE },
                samples: paper::SAMPLES,
            },
            embedding: None,
            data_seed: paper::DATA_SEED,
            val_ratio: paper::VAL_RATIO,
            shape: Shape::new(&paper::WIDTHS).expect("the paper's shape"),
            inits: paper::INITS.into_iter().map(InitSpec::from).collect(),
            seeds: paper::SEEDS.collect(),
            epochs: paper::EPOCHS,
            learning_rate: paper::ADAM.learning_rate,
            batch_size: None,
        }
    }
}

impl StudyConfig {
    /// The Adam settings of every run.
    pub fn adam(&self) -> Adam {
        Adam::with_learning_rate(self.learning_rate)
    }

    /// How each epoch is cut into steps.
    pub fn batching(&self) -> Batching {
        self.batch_size.map_or(Batching::Full, Batching::MiniBatch)
    }

    /// The network's inputs: the data's features, or the embedding's dimensions.
    pub fn inputs(&self) -> usize {
        self.embedding.map_or(self.source.features(), |e| e.dims)
    }
}

/// The most runs (initializers × seeds) one study may have.
pub const MAX_RUNS: usize = 100_000;

/// The most samples a data set may have, generated or read
/// ([`crate::dataset::MAX_ROWS`]).
pub const MAX_SAMPLES: usize = crate::dataset::MAX_ROWS;

/// The most feature values (samples × the network's inputs, after any
/// embedding) a data set may have: 2²⁴, 64 MiB of `f32`.
pub const MAX_VALUES: usize = 1 << 24;

/// The most memory a study may plan to use ([`memory_estimate`]): 2 GiB.
/// A larger study is refused before anything is built.
pub const MAX_MEMORY_BYTES: u64 = 2 << 30;

impl StudyConfig {
    /// Number of runs: initializers × seeds.
    pub fn runs(&self) -> usize {
        self.inits.len().saturating_mul(self.seeds.len())
    }

    /// Number of samples before the split.
    pub fn samples(&self) -> usize {
        match &self.source {
            DataSource::Generated { samples, .. } => *samples,
            DataSource::Csv { data, .. } => data.len(),
        }
    }
}

/// The most epochs a run may have.
pub const MAX_EPOCHS: usize = 1_000_000;

/// The largest learning rate accepted.
pub const MAX_LEARNING_RATE: f64 = 1e3;

impl StudyConfig {
    /// Checks every field and their agreement: epochs, learning rate, validation ratio, the
    /// data's size and parameters, the embedding, the network against the data, every
    /// initializer against the network, the seeds, and the study's size ([`check_size`] on one
    /// thread). Every front end calls it; nothing is built before it passes.
    ///
    /// # Errors
    /// [`Error::Config`] naming the first field that is wrong.
    pub fn validate(&self) -> Result<()> {
        if self.epochs == 0 {
            return Err(Error::config("epochs", "must be at least 1"));
        }
        if self.epochs > MAX_EPOCHS {
            return Err(Error::config("epochs", format!("must be at most {MAX_EPOCHS}")));
        }
        // The core's own rule (> 0 also once rounded to f32), then the harness's cap.
        let lr = self.learning_rate;
        if self.adam().validate().is_err() || lr.is_nan() || lr > MAX_LEARNING_RATE {
            return Err(Error::config(
                "learning_rate",
                format!(
                    "{} must be > 0 (also once rounded to f32: at least about 7.1e-46) and at most 1000",
                    number(lr)
                ),
            ));
        }
        if !(self.val_ratio > 0.0 && self.val_ratio < 1.0) {
            return Err(Error::config(
                "val_ratio",
                format!("{} must lie strictly between 0 and 1", number(self.val_ratio)),
            ));
        }
        match &self.source {
            DataSource::Generated { spec, samples } => {
                if *samples < 2 {
                    return Err(Error::config("samples", "must be at least 2"));
                }
                if *samples > MAX_SAMPLES {
                    return Err(Error::config("samples", format!("must be at most {MAX_SAMPLES}")));
                }
                spec.validate().map_err(|m| Error::config("source", m))?;
            }
            DataSource::Csv { data, class_names, .. } => {
                if data.len() < 2 {
                    return Err(Error::config("data", "needs at least 2 rows"));
                }
                if let Some(names) = class_names {
                    if names.len() != data.classes {
                        return Err(Error::config(
                            "data",
                            format!("{} class names for {} classes", names.len(), data.classes),
                        ));
                    }
                    if names.windows(2).any(|w| w[0].as_bytes() >= w[1].as_bytes()) {
                        return Err(Error::config(
                            "data",
                            "class names must be distinct and sorted by their bytes",
                        ));
                    }
                }
            }
        }
        let features = self.source.features();
        if let Some(e) = self.embedding {
            if e.noise_dims > e.dims || e.dims - e.noise_dims < features {
                return Err(Error::config(
                    "embedding",
                    format!(
                        "{} with {} noise dimensions: the data's {features} features need {} dimensions or more",
                        e.dims,
                        e.noise_dims,
                        features + e.noise_dims
                    ),
                ));
            }
            if e.dims > saorsa_nn::shape::MAX_WIDTH {
                return Err(Error::config(
                    "embedding",
                    format!("{} must be at most {}", e.dims, saorsa_nn::shape::MAX_WIDTH),
                ));
            }
            if !(e.noise_std >= 0.0 && e.noise_std.is_finite()) {
                return Err(Error::config("embedding", "noise_std must be finite and >= 0"));
            }
        }
        let (inputs, classes, shape) = (self.inputs(), self.source.classes(), &self.shape);
        if shape.normalization() != Normalization::None && shape.layers() < 2 {
            return Err(Error::config(
                "layer_norm",
                format!("needs a hidden layer to normalize; the network {shape} has none"),
            ));
        }
        if shape.inputs() != inputs || shape.classes() != classes {
            return Err(Error::config(
                "shape",
                format!(
                    "{shape}: the first width must be the data's {inputs} input features and the last its {classes} classes"
                ),
            ));
        }
        if self.inits.is_empty() {
            return Err(Error::config("inits", "no initializer"));
        }
        for (k, spec) in self.inits.iter().enumerate() {
            if self.inits[..k].contains(spec) {
                return Err(Error::config("inits", format!("`{}` given twice", spec.name())));
            }
            spec.per_layer(shape.layers()).map_err(|e| Error::config("inits", e))?;
        }
        if self.seeds.is_empty() {
            return Err(Error::config("seeds", "no seeds"));
        }
        let mut sorted = self.seeds.clone();
        sorted.sort_unstable();
        sorted.dedup();
        if sorted.len() != self.seeds.len() {
            return Err(Error::config("seeds", "a seed is repeated"));
        }
        check_size(self, 1).map(drop)
    }
}

/// An upper estimate of the memory a study holds at its peak on `threads`
/// threads, in bytes: the data (and its CSV text), each thread's trainer,
/// and every run's checkpoints and per-epoch records (held until written,
/// and again when the report reads them back), figure 6's frames.
pub fn memory_estimate(config: &StudyConfig, threads: usize) -> u64 {
    let s = &config.shape;
    let (layers, params) = (s.layers() as u64, s.parameter_count() as u64);
    let values = config.samples() as u64 * (config.inputs().max(config.source.features()) as u64 + 1);
    // x in f32 (source, split, embedding, the report's copy) and as CSV text.
    let data = values * (4 * 4 + 2 * 26);
    let per_thread = 4 * (s.arena_len_transposed(MICRO_BATCH) as u64 + 3 * params) + (2 << 20);
    let threads = threads.clamp(1, config.runs().max(1)) as u64;
    // Finished runs are on disk ([`crate::sweep`]) and the tables are
    // written run by run; the report reads back, per run and epoch, the
    // metrics and the update sizes (a vector per epoch), and a trainer
    // holds one run's while it trains it.
    let per_epoch = 16 + 24 + 8 * layers.max(4);
    let per_run = (config.epochs as u64).saturating_mul(per_epoch).saturating_add(256);
    let per_thread = per_thread.saturating_add(per_run).saturating_add(2 * s.checkpoint_bytes() as u64);
    let frames = config.inits.len() as u64 * 105 * 2 * 4 * params;
    data.saturating_add(threads.saturating_mul(per_thread))
        .saturating_add((config.runs() as u64).saturating_mul(per_run))
        .saturating_add(frames)
}

/// Checks a study's size before anything is built: at most [`MAX_RUNS`]
/// runs, [`MAX_SAMPLES`] samples, [`MAX_VALUES`] feature values and
/// [`MAX_MEMORY_BYTES`] of memory ([`memory_estimate`]). Returns the thread
/// count to use: `threads`, capped at the number of runs and lowered until
/// the trainers fit.
pub fn check_size(config: &StudyConfig, threads: usize) -> Result<usize> {
    let runs = config.runs();
    if runs > MAX_RUNS {
        return Err(Error::config(
            "seeds",
            format!(
                "{} seeds × {} initializers is {runs} runs; at most {MAX_RUNS} runs fit in one study",
                config.seeds.len(),
                config.inits.len()
            ),
        ));
    }
    let samples = config.samples();
    if samples > MAX_SAMPLES {
        return Err(Error::config("samples", format!("{samples} must be at most {MAX_SAMPLES}")));
    }
    let inputs = config.inputs();
    if samples.saturating_mul(inputs) > MAX_VALUES {
        return Err(Error::config(
            "embedding",
            format!("{samples} samples × {inputs} inputs is more than {MAX_VALUES} feature values"),
        ));
    }
    let mut threads = threads.clamp(1, runs.max(1));
    while threads > 1 && memory_estimate(config, threads) > MAX_MEMORY_BYTES {
        threads -= 1;
    }
    let need = memory_estimate(config, threads);
    if need > MAX_MEMORY_BYTES {
        return Err(Error::config(
            "study",
            format!(
                "this study ({runs} runs × {} epochs of a {}-parameter network, {samples} samples) would hold about {:.1} GiB in memory; the limit is {} GiB: use fewer seeds, initializers or epochs, a smaller network or less data",
                config.epochs,
                config.shape.parameter_count(),
                need as f64 / f64::from(1u32 << 30),
                MAX_MEMORY_BYTES >> 30
            ),
        ));
    }
    Ok(threads)
}

/// Parses model seeds as the command line's `--seeds` gives them: a count `N` (seeds `0..N`), a
/// list `a,b,c` or a range `a..b` (end exclusive). The count is checked against [`MAX_RUNS`]
/// before any list is built.
///
/// # Errors
/// A message quoting the text: not one of the three forms, a repeated seed, none, or too many.
pub fn parse_seeds(s: &str) -> Result<Vec<u64>, String> {
    let bad = |why: &str| format!("`{}`: {why}", crate::error::quote(s));
    let num = |t: &str| {
        t.trim().parse::<u64>().map_err(|_| bad("expected a count N, a list 0,3,7 or a range 10..20"))
    };
    let max = MAX_RUNS as u64;
    let too_many = |n: u64| bad(&format!("{n} seeds; at most {max} runs fit in one study"));
    let seeds: Vec<u64> = if let Some((a, b)) = s.split_once("..") {
        let (a, b) = (num(a)?, num(b)?);
        if b.saturating_sub(a) > max {
            return Err(too_many(b - a));
        }
        (a..b).collect()
    } else if s.contains(',') {
        if s.split(',').filter(|t| !t.trim().is_empty()).count() as u64 > max {
            return Err(bad(&format!("more than {max} seeds; at most {max} runs fit in one study")));
        }
        let list = s.split(',').filter(|t| !t.trim().is_empty()).map(num).collect::<Result<Vec<_>, _>>()?;
        let mut sorted = list.clone();
        sorted.sort_unstable();
        sorted.dedup();
        if sorted.len() != list.len() {
            return Err(bad("a seed is repeated"));
        }
        list
    } else {
        let n = num(s)?;
        if n > max {
            return Err(too_many(n));
        }
        (0..n).collect()
    };
    if seeds.is_empty() {
        return Err(bad("no seeds"));
    }
    Ok(seeds)
}
