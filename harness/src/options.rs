//! A study's options as a front end gathers them — names, counts and widths as a person gives
//! them — turned into the one typed [`StudyConfig`] ([`StudyOptions::to_config`]). The defaults
//! are the command line's: the paper's study.
//!
//! # Examples
//! ```
//! use harness::options::{Seeds, StudyOptions};
//! let options = StudyOptions {
//!     dataset: "spirals:3".into(),
//!     hidden: Some(vec![32, 32]),
//!     inits: vec!["he".into(), "xavier".into()],
//!     seeds: Seeds::Count(2),
//!     epochs: 5,
//!     ..StudyOptions::default()
//! };
//! let config = options.to_config()?;
//! assert_eq!(config.shape.to_string(), "2-32-32-3");
//! assert_eq!(config.inits[1].name(), "glorot");
//! assert_eq!(config.seeds, [0, 1]);
//! # Ok::<(), harness::error::Error>(())
//! ```

use crate::config::{DataSource, Embedding, MAX_RUNS, StudyConfig};
use crate::error::{Error, Result, number, quote_path};
use crate::inits::InitSpec;
use crate::synthetic::DatasetSpec;
use saorsa_nn::{Normalization, Shape, paper};
use std::num::NonZeroUsize;
use std::path::PathBuf;

/// A CSV file's text, handed over by a front end that has it in memory rather than on disk (the
/// browser page).
#[derive(Clone, Debug, PartialEq)]
pub struct CsvText {
    /// The file's name, as the configuration records it.
    pub name: String,
    /// Its contents.
    pub text: String,
}

/// The model seeds of a study.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seeds {
    /// Seeds `0..n`.
    Count(u64),
    /// These seeds.
    List(Vec<u64>),
}

/// A study's options as plain values. Each field's name is the one its errors carry
/// ([`Error::Config`]); [`StudyOptions::to_config`] then validates the whole configuration, whose
/// errors name [`StudyConfig`]'s fields (`source` for `dataset`, `embedding` for `input_dim`,
/// `shape` for `layers`).
#[derive(Clone, Debug, PartialEq)]
pub struct StudyOptions {
    /// The generated data set, in the syntax of [`crate::synthetic::parse`]: `moons`,
    /// `spirals:3,noise=0.2`, …
    pub dataset: String,
    /// The two moons' noise, when given apart from `dataset`.
    pub noise: Option<f64>,
    /// Samples to generate.
    pub samples: usize,
    /// A CSV file of the caller's instead of generated data, read by [`crate::csv_data::read`].
    pub data: Option<PathBuf>,
    /// A CSV file's text instead of `data`'s path, read the same way.
    pub data_text: Option<CsvText>,
    /// `data`'s label column; `None` is `label`.
    pub label_column: Option<String>,
    /// `data`'s feature columns, in the network's input order; `None` is the default rule
    /// (`x1…xD` when the header numbers its columns so, else every other numeric column).
    pub feature_columns: Option<Vec<String>>,
    /// Seed of the data generator and of the split.
    pub data_seed: u64,
    /// Fraction of the samples held out for validation.
    pub val_ratio: f64,
    /// Every width, inputs first and classes last.
    pub layers: Option<Vec<usize>>,
    /// The hidden widths only, the inputs and classes taken from the data (the paper's 64-64-64
    /// when neither this nor `layers` is given).
    pub hidden: Option<Vec<usize>>,
    /// Layer normalization between each hidden layer and its ReLU.
    pub layer_norm: bool,
    /// Embed the data into this many dimensions ([`Embedding`]).
    pub input_dim: Option<usize>,
    /// Of `input_dim`, how many are pure noise.
    pub noise_dims: usize,
    /// Initializers, each in the syntax of [`InitSpec::parse`] (aliases allowed).
    pub inits: Vec<String>,
    /// Model seeds.
    pub seeds: Seeds,
    /// Epochs per run.
    pub epochs: usize,
    /// Adam's learning rate.
    pub learning_rate: f64,
    /// Samples per optimizer step; `None` is full batch.
    pub batch_size: Option<usize>,
}

impl Default for StudyOptions {
    /// The paper's study, as `harness` with no arguments runs it.
    fn default() -> Self {
        StudyOptions {
            dataset: "moons".into(),
            noise: None,
            samples: paper::SAMPLES,
            data: None,
            data_text: None,
            label_column: None,
            feature_columns: None,
            data_seed: paper::DATA_SEED,
            val_ratio: paper::VAL_RATIO,
            layers: None,
            hidden: None,
            layer_norm: false,
            input_dim: None,
            noise_dims: 0,
            inits: paper::INITS.iter().map(|i| i.name().to_string()).collect(),
            seeds: Seeds::Count(paper::SEEDS.end),
            epochs: paper::EPOCHS,
            learning_rate: paper::ADAM.learning_rate,
            batch_size: None,
        }
    }
}

impl StudyOptions {
    /// The study these options describe, validated ([`StudyConfig::validate`]).
    ///
    /// # Errors
    /// [`Error::Config`] naming the option (or the configuration field) that is wrong; an
    /// unreadable or malformed `data` file.
    pub fn to_config(&self) -> Result<StudyConfig> {
        let inits = self
            .inits
            .iter()
            .map(|s| InitSpec::parse(s).map_err(|e| Error::config("inits", e)))
            .collect::<Result<Vec<_>>>()?;
        let seeds = match &self.seeds {
            Seeds::Count(0) => return Err(Error::config("seeds", "no seeds")),
            Seeds::Count(n) if *n > MAX_RUNS as u64 => {
                return Err(Error::config(
                    "seeds",
                    format!("{n} seeds; at most {MAX_RUNS} runs fit in one study"),
                ));
            }
            Seeds::Count(n) => (0..*n).collect(),
            Seeds::List(list) => list.clone(),
        };
        let batch_size = match self.batch_size {
            None => None,
            Some(n) => {
                Some(NonZeroUsize::new(n).ok_or_else(|| Error::config("batch_size", "must be at least 1"))?)
            }
        };
        let source = self.source()?;
        let embedding =
            self.input_dim.map(|dims| Embedding { dims, noise_dims: self.noise_dims, noise_std: 1.0 });
        if embedding.is_none() && self.noise_dims > 0 {
            return Err(Error::config("noise_dims", "needs input_dim"));
        }
        let (inputs, classes) = (embedding.map_or(source.features(), |e| e.dims), source.classes());
        let widths = match (&self.layers, &self.hidden) {
            (Some(_), Some(_)) => return Err(Error::config("hidden", "give layers or hidden, not both")),
            (Some(all), None) => all.clone(),
            (None, hidden) => {
                let default = &paper::WIDTHS[1..paper::WIDTHS.len() - 1];
                let mut w = vec![inputs];
                w.extend_from_slice(hidden.as_deref().unwrap_or(default));
                w.push(classes);
                w
            }
        };
        let field = if self.layers.is_some() { "shape" } else { "hidden" };
        let norm = if self.layer_norm { Normalization::LayerNorm } else { Normalization::None };
        let shape = Shape::new(&widths)
            .map_err(|e| Error::config(field, format!("{widths:?}: {e}")))?
            .with_normalization(norm);
        let config = StudyConfig {
            source,
            embedding,
            data_seed: self.data_seed,
            val_ratio: self.val_ratio,
            shape,
            inits,
            seeds,
            epochs: self.epochs,
            learning_rate: self.learning_rate,
            batch_size,
        };
        config.validate()?;
        Ok(config)
    }

    fn source(&self) -> Result<DataSource> {
        let columns = crate::csv_data::Columns {
            label: self.label_column.clone(),
            features: self.feature_columns.clone(),
        };
        let csv = |name: String, shown: String, bytes: &[u8]| {
            let table = crate::csv_data::read(bytes, &columns)
                .map_err(|e| Error::config("data", format!("{shown}: {e}")))?;
            Ok(DataSource::Csv {
                path: name,
                data: table.data,
                columns: table.columns,
                class_names: table.class_names,
            })
        };
        match (&self.data, &self.data_text) {
            (Some(_), Some(_)) => Err(Error::config("data", "give a file or its text, not both")),
            (Some(path), None) => {
                // A file that cannot be opened is an I/O error; one that is not data, a bad option.
                std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
                let shown = quote_path(path);
                let bytes = crate::dataset::read_bounded(path)
                    .map_err(|e| Error::config("data", format!("{shown}: {e}")))?;
                csv(path.display().to_string(), shown, &bytes)
            }
            (None, Some(file)) => {
                let shown = crate::error::quote(&file.name);
                if file.text.len() as u64 > crate::dataset::MAX_FILE_BYTES {
                    let most = crate::dataset::MAX_FILE_BYTES >> 20;
                    return Err(Error::config(
                        "data",
                        format!("{shown}: larger than {most} MiB, the most the harness reads"),
                    ));
                }
                csv(file.name.clone(), shown, file.text.as_bytes())
            }
            (None, None) => {
                let spec = dataset_spec(&self.dataset, self.noise)?;
                Ok(DataSource::Generated { spec, samples: self.samples })
            }
        }
    }
}

/// The data set `dataset` names ([`crate::synthetic::parse`]), with the two moons' noise set to
/// `noise` when given.
///
/// # Errors
/// [`Error::Config`] naming `dataset` or `noise`.
pub fn dataset_spec(dataset: &str, noise: Option<f64>) -> Result<DatasetSpec> {
    let mut spec = crate::synthetic::parse(dataset).map_err(|e| Error::config("dataset", e))?;
    if let Some(noise) = noise {
        match &mut spec {
            DatasetSpec::Moons { noise: n } => *n = noise,
            _ => {
                return Err(Error::config(
                    "noise",
                    "is for two moons; give other data sets' noise in dataset (e.g. spirals:3,noise=0.2)",
                ));
            }
        }
        spec.validate().map_err(|e| Error::config("noise", format!("{}: {e}", number(noise))))?;
    }
    Ok(spec)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The defaults are the paper's study, the command line's default configuration.
    #[test]
    fn defaults_are_the_paper_study() {
        assert_eq!(StudyOptions::default().to_config().unwrap(), StudyConfig::default());
    }

    #[test]
    fn options_map_onto_the_configuration() {
        let o = StudyOptions {
            noise: Some(0.3),
            layers: Some(vec![8, 16, 2]),
            input_dim: Some(8),
            noise_dims: 2,
            seeds: Seeds::List(vec![4, 7]),
            batch_size: Some(64),
            ..StudyOptions::default()
        };
        let c = o.to_config().unwrap();
        assert_eq!(
            c.source,
            DataSource::Generated { spec: DatasetSpec::Moons { noise: 0.3 }, samples: 1200 }
        );
        assert_eq!(c.embedding, Some(Embedding { dims: 8, noise_dims: 2, noise_std: 1.0 }));
        assert_eq!(
            (c.shape.to_string(), c.seeds.clone(), c.batch_size),
            ("8-16-2".into(), vec![4, 7], NonZeroUsize::new(64))
        );
        let ln = StudyOptions { layer_norm: true, ..StudyOptions::default() }.to_config().unwrap();
        assert_eq!(ln.shape.normalization(), Normalization::LayerNorm);
    }

    #[test]
    fn a_csv_text_is_read_as_its_file_would_be() {
        let text = "x1,x2,label\n0,0,cat\n1,1,dog\n0,1,cat\n1,0,dog\n";
        let path = std::env::temp_dir().join(format!("options-{}.csv", std::process::id()));
        std::fs::write(&path, text).unwrap();
        let from_file = StudyOptions { data: Some(path.clone()), ..StudyOptions::default() }.to_config();
        let given = CsvText { name: path.display().to_string(), text: text.into() };
        let o = StudyOptions { data_text: Some(given.clone()), ..StudyOptions::default() };
        assert_eq!(o.to_config().unwrap(), from_file.unwrap());
        let both =
            StudyOptions { data: Some(path.clone()), data_text: Some(given), ..StudyOptions::default() };
        assert_eq!(both.to_config().unwrap_err().to_string(), "data: give a file or its text, not both");
        std::fs::remove_file(&path).unwrap();
        let one_class = CsvText { name: "d.csv".into(), text: "x1,label\n0.5,0\n".into() };
        let e =
            StudyOptions { data_text: Some(one_class), ..StudyOptions::default() }.to_config().unwrap_err();
        assert!(e.to_string().starts_with("data: d.csv: line 2"), "{e}");
    }

    #[test]
    fn errors_name_the_option() {
        let err = |o: StudyOptions| o.to_config().unwrap_err().to_string();
        let d = StudyOptions::default;
        assert!(err(StudyOptions { inits: vec!["xaviar".into()], ..d() }).contains("did you mean `xavier`?"));
        assert_eq!(err(StudyOptions { seeds: Seeds::Count(0), ..d() }), "seeds: no seeds");
        assert!(
            err(StudyOptions { seeds: Seeds::Count(u64::MAX), ..d() })
                .starts_with("seeds: 18446744073709551615 seeds")
        );
        assert_eq!(err(StudyOptions { batch_size: Some(0), ..d() }), "batch_size: must be at least 1");
        assert!(err(StudyOptions { dataset: "spirlas".into(), ..d() }).contains("did you mean `spirals`?"));
        assert!(
            err(StudyOptions { dataset: "xor".into(), noise: Some(0.1), ..d() })
                .starts_with("noise: is for two moons")
        );
        assert!(err(StudyOptions { noise: Some(-1.0), ..d() }).starts_with("noise: -1: noise must lie"));
        assert!(
            err(StudyOptions { hidden: Some(vec![0]), ..d() })
                .starts_with("hidden: [2, 0, 2]: bad network shape")
        );
        assert!(
            err(StudyOptions { layers: Some(vec![3, 4, 2]), ..d() })
                .starts_with("shape: 3-4-2: the first width")
        );
        assert!(
            err(StudyOptions { layers: Some(vec![2, 2]), hidden: Some(vec![4]), ..d() })
                .starts_with("hidden: give")
        );
        assert_eq!(err(StudyOptions { noise_dims: 1, ..d() }), "noise_dims: needs input_dim");
        assert!(err(StudyOptions { epochs: 0, ..d() }).starts_with("epochs: must be at least 1"));
        let missing =
            StudyOptions { data: Some("/nonexistent/x.csv".into()), ..d() }.to_config().unwrap_err();
        assert!(matches!(missing, Error::Io { .. }), "{missing}");
        let dir = StudyOptions { data: Some(std::env::temp_dir()), ..d() };
        assert!(err(dir).starts_with("data: "));
    }
}
