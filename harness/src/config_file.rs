//! `config.json`: a study's [`StudyConfig`] as a file, with what its results were measured
//! against (chance, the ceiling, the split's sizes). Read back, it is validated like any other
//! configuration ([`StudyConfig::validate`]).

use crate::ceiling::Ceiling;
use crate::config::{DataSource, Embedding, MICRO_BATCH, StudyConfig};
use crate::error::{Error, Result, quote};
use crate::inits::InitSpec;
use crate::study::{Splits, Thresholds};
use saorsa_nn::{Normalization, Shape};
use serde::{Deserialize, Serialize};
use std::num::NonZeroUsize;
use std::path::Path;

/// The version of the results folder's layout and of `config.json`'s schema.
pub const SCHEMA_VERSION: u32 = 1;

/// The most bytes a `config.json` may have ([`crate::folder::MAX_IDENTITY_BYTES`]).
pub const MAX_CONFIG_BYTES: u64 = crate::folder::MAX_IDENTITY_BYTES;

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
    pub embedding: Option<Embedding>,
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
    #[serde(with = "widths")]
    pub network: Shape,
    /// What stands between each hidden layer and its ReLU: `layernorm`, or absent for nothing
    /// (the paper's network; the field is then not written, so such a file is the bytes it
    /// always was).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub normalization: Option<String>,
    /// Its parameter count.
    pub parameters: usize,
    /// The initializers' machine names ([`InitSpec::name`]).
    #[serde(with = "init_names")]
    pub inits: Vec<InitSpec>,
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
    /// For a CSV file: the CRC-32 of its data as read ([`content_crc32`]), so that a study on
    /// a changed file is another study (absent for generated data, which its name and seed
    /// determine).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_crc32: Option<String>,
    /// For a CSV file read with another label column than `label`: its name (absent otherwise,
    /// so that such a file is the bytes it always was).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_column: Option<String>,
    /// For a CSV file read with feature columns named other than the default rule's
    /// ([`crate::csv_data`]): their names, in order (absent otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feature_columns: Option<Vec<String>>,
    /// For a CSV file whose labels are class names: the names, class `k` being the `k`-th
    /// (sorted by their bytes; absent for numeric labels).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class_names: Option<Vec<String>>,
}

impl DataFile {
    /// The columns a CSV file was read with.
    pub fn columns(&self) -> crate::csv_data::Columns {
        crate::csv_data::Columns { label: self.label_column.clone(), features: self.feature_columns.clone() }
    }
}

/// The CRC-32 of a data set's contents: every feature's `f32` bits (little-endian) in row
/// order, then every label.
pub fn content_crc32(data: &crate::dataset::Data) -> u32 {
    let mut crc = 0;
    for x in &data.x {
        crc = saorsa_nn::crc32_update(crc, &x.to_bits().to_le_bytes());
    }
    saorsa_nn::crc32_update(crc, &data.y)
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

/// A [`Shape`] as its widths, `2-64-64-64-2` (the normalization is a field of its own).
mod widths {
    use saorsa_nn::Shape;
    use serde::{Deserialize, Deserializer, Serializer, de::Error as _};

    pub fn serialize<S: Serializer>(shape: &Shape, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(shape)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Shape, D::Error> {
        let text = String::deserialize(d)?;
        let widths: Result<Vec<usize>, _> = text.split('-').map(str::parse).collect();
        widths.ok().and_then(|w| Shape::new(&w).ok()).ok_or_else(|| {
            D::Error::custom(format!("network: `{}` is not a shape", crate::error::quote(&text)))
        })
    }
}

/// Initializers as their machine names ([`crate::inits::InitSpec::name`]).
mod init_names {
    use crate::inits::InitSpec;
    use serde::{Deserialize, Deserializer, Serializer, de::Error as _};

    pub fn serialize<S: Serializer>(inits: &[InitSpec], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(inits.iter().map(InitSpec::name))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<InitSpec>, D::Error> {
        Vec::<String>::deserialize(d)?
            .iter()
            .map(|n| InitSpec::parse(n).map_err(|e| D::Error::custom(format!("inits: {e}"))))
            .collect()
    }
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
                content_crc32: None,
                label_column: None,
                feature_columns: None,
                class_names: None,
            },
            DataSource::Csv { path, data, columns, class_names } => DataFile {
                kind: "csv".into(),
                dataset: None,
                path: Some(path.clone()),
                samples: data.len(),
                content_crc32: Some(format!("{:08x}", content_crc32(data))),
                label_column: columns.label.clone(),
                feature_columns: columns.features.clone(),
                class_names: class_names.clone(),
            },
        };
        ConfigFile {
            schema_version: SCHEMA_VERSION,
            harness_version: env!("CARGO_PKG_VERSION").into(),
            saorsa_nn_version: env!("CARGO_PKG_VERSION").into(),
            data,
            embedding: config.embedding,
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
            network: config.shape.clone(),
            normalization: normalization_name(config.shape.normalization()).map(String::from),
            parameters: config.shape.parameter_count(),
            inits: config.inits.clone(),
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

    /// The file's text: pretty JSON and a final newline.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("plain data serializes") + "\n"
    }

    /// Reads `path` ([`MAX_CONFIG_BYTES`] at most) as a `config.json`.
    ///
    /// # Errors
    /// A file that cannot be read, is too large, malformed or of another schema version.
    pub fn read(path: &Path) -> Result<ConfigFile> {
        let bytes = crate::output::read_bounded(path, MAX_CONFIG_BYTES)?;
        let file: ConfigFile =
            serde_json::from_slice(&bytes).map_err(|e| Error::results(path, quote(&e.to_string())))?;
        if file.schema_version != SCHEMA_VERSION {
            return Err(Error::results(
                path,
                format!("schema_version {} (this harness reads {SCHEMA_VERSION})", file.schema_version),
            ));
        }
        Ok(file)
    }

    /// The shape, with its normalization.
    ///
    /// # Errors
    /// An unknown normalization.
    pub fn shape(&self) -> std::result::Result<Shape, String> {
        let norm = match self.normalization.as_deref() {
            None => Normalization::None,
            Some("layernorm") => Normalization::LayerNorm,
            Some(other) => {
                return Err(format!("normalization: unknown `{}` (known: layernorm)", quote(other)));
            }
        };
        Ok(self.network.clone().with_normalization(norm))
    }

    /// The study configuration this file records, with `source` as its data (generated data is
    /// made again from its name; a CSV source's rows are not in the file), validated.
    ///
    /// # Errors
    /// A message naming the field that is wrong.
    pub fn to_config_with(&self, source: DataSource) -> std::result::Result<StudyConfig, String> {
        let config = StudyConfig {
            source,
            embedding: self.embedding,
            data_seed: self.data_seed,
            val_ratio: self.val_ratio,
            shape: self.shape()?,
            inits: self.inits.clone(),
            seeds: self.seeds.clone(),
            epochs: self.epochs,
            learning_rate: self.optimizer.learning_rate,
            batch_size: self.batch_size.and_then(NonZeroUsize::new),
        };
        config.validate().map_err(|e| e.to_string())?;
        Ok(config)
    }

    /// The generated data set this file names, or the CSV file's path.
    ///
    /// # Errors
    /// An unknown kind or data set name.
    pub fn generated(&self) -> std::result::Result<Option<DataSource>, String> {
        match (self.data.kind.as_str(), &self.data.dataset, &self.data.path) {
            ("generated", Some(name), _) => Ok(Some(DataSource::Generated {
                spec: crate::synthetic::parse(name).map_err(|e| format!("data: {e}"))?,
                samples: self.data.samples,
            })),
            ("csv", _, Some(_)) => Ok(None),
            _ => Err(format!("data: unknown kind `{}`", quote(&self.data.kind))),
        }
    }

    /// The study configuration and thresholds this file records. The data of a CSV source is
    /// not kept: `splits` (read from `data/`) stand in.
    ///
    /// # Errors
    /// A message naming the field that is wrong.
    pub fn to_config(&self, splits: &Splits) -> std::result::Result<(StudyConfig, Thresholds), String> {
        let source = match self.generated()? {
            Some(source) => source,
            None => {
                let mut data = splits.val.clone();
                data.x.extend_from_slice(&splits.train.x);
                data.y.extend_from_slice(&splits.train.y);
                DataSource::Csv {
                    path: self.data.path.clone().unwrap_or_default(),
                    data,
                    columns: self.data.columns(),
                    class_names: self.data.class_names.clone(),
                }
            }
        };
        let config = self.to_config_with(source)?;
        let ceiling = self.ceiling.as_ref().map(|c| Ceiling {
            accuracy: c.accuracy,
            std_error: c.std_error,
            method: crate::ceiling::method_name(&c.method),
        });
        Ok((config, Thresholds { chance: self.chance, ceiling }))
    }
}
