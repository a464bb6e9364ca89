//! The page's settings, as its query string holds them, handed to the library's front-end
//! options ([`StudyOptions`]), which the command line and the Python package fill too: the page
//! only splits its text fields (seeds, initializers, hidden widths) into values, and
//! [`StudyOptions::to_config`] does the rest, so a setting the command line refuses is refused
//! here with the same words.

use harness::config::{StudyConfig, parse_seeds};
use harness::error::Error;
use harness::options::{CsvText, Seeds, StudyOptions};
use serde::Deserialize;

/// The page's settings. Field names are the command line's flags (`--data-seed` is
/// `data_seed`); every one has the command line's default.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// `--dataset`: `moons`, `circles`, `xor`, `spirals:K`, `blobs:K` with parameters.
    pub dataset: String,
    /// `--samples`.
    pub samples: usize,
    /// `--data-seed`.
    pub data_seed: u64,
    /// `--val-ratio`.
    pub val_ratio: f64,
    /// `--hidden`: the hidden widths, `64,64,64`; empty for none (a linear model).
    pub hidden: String,
    /// `--layer-norm`.
    pub layer_norm: bool,
    /// `--inits`: initializers, comma-separated, with per-layer overrides (`he@1=glorot`).
    pub inits: String,
    /// `--seeds`: a count, a list or a range.
    pub seeds: String,
    /// `--epochs`.
    pub epochs: usize,
    /// `--lr`.
    pub lr: f64,
    /// `--batch-size`; `None` is full batch.
    pub batch_size: Option<usize>,
    /// `--data`: the text of the user's CSV file instead of a generated data set.
    pub csv: Option<String>,
    /// The CSV file's name, as shown.
    pub csv_name: Option<String>,
}

impl Default for Settings {
    /// The paper's study, as the command line runs it with no flags.
    fn default() -> Settings {
        Settings {
            dataset: "moons".into(),
            samples: saorsa_nn::paper::SAMPLES,
            data_seed: saorsa_nn::paper::DATA_SEED,
            val_ratio: saorsa_nn::paper::VAL_RATIO,
            hidden: "64,64,64".into(),
            layer_norm: false,
            inits: "small,glorot,he".into(),
            seeds: "10".into(),
            epochs: saorsa_nn::paper::EPOCHS,
            lr: saorsa_nn::paper::ADAM.learning_rate,
            batch_size: None,
            csv: None,
            csv_name: None,
        }
    }
}

/// The page's name of a [`StudyConfig`] field named in an error (the control that sets it).
fn control_of(field: &str) -> &str {
    match field {
        "source" | "data" | "dataset" => "data set",
        "shape" | "hidden" | "layer_norm" => "network",
        "learning_rate" => "learning rate",
        "batch_size" => "batch size",
        "inits" => "initializers",
        "val_ratio" => "validation ratio",
        "data_seed" => "data seed",
        "study" => "study",
        other => other,
    }
}

/// A library error as the page shows it: the control, then the library's words.
pub fn message(e: &Error) -> String {
    match e {
        Error::Config { field, message } => format!("{}: {message}", control_of(field)),
        other => other.to_string(),
    }
}

impl Settings {
    /// The study these settings describe, validated.
    ///
    /// # Errors
    /// One line naming the control that is wrong, in the library's words.
    pub fn to_config(&self) -> Result<StudyConfig, String> {
        let seeds = parse_seeds(&self.seeds).map_err(|e| format!("seeds: {e}"))?;
        let mut hidden = Vec::new();
        for w in self.hidden.split([',', '-']).map(str::trim).filter(|w| !w.is_empty()) {
            hidden.push(w.parse::<usize>().map_err(|_| {
                format!("network: hidden widths `{}`: expected widths like 64,64,64", self.hidden)
            })?);
        }
        let options = StudyOptions {
            dataset: self.dataset.clone(),
            samples: self.samples,
            data_text: self.csv.as_ref().map(|text| CsvText {
                name: self.csv_name.clone().unwrap_or_else(|| "data.csv".into()),
                text: text.clone(),
            }),
            data_seed: self.data_seed,
            val_ratio: self.val_ratio,
            hidden: Some(hidden),
            layer_norm: self.layer_norm,
            inits: self.inits.split(',').map(str::to_string).collect(),
            seeds: Seeds::List(seeds),
            epochs: self.epochs,
            learning_rate: self.lr,
            batch_size: self.batch_size,
            ..StudyOptions::default()
        };
        options.to_config().map_err(|e| message(&e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use saorsa_nn::Normalization;
    use std::num::NonZeroUsize;

    #[test]
    fn the_defaults_are_the_papers_study() {
        assert_eq!(Settings::default().to_config().unwrap(), StudyConfig::default());
        let from_json: Settings = serde_json::from_str("{}").unwrap();
        assert_eq!(from_json, Settings::default());
    }

    #[test]
    fn settings_are_read_as_the_command_line_reads_them() {
        let s: Settings = serde_json::from_str(
            r#"{"dataset": "spirals:3,noise=0.2", "hidden": "32,16", "inits": "he,he@1=glorot",
                "seeds": "2..5", "epochs": 7, "lr": 0.01, "batch_size": 64, "layer_norm": true}"#,
        )
        .unwrap();
        let c = s.to_config().unwrap();
        assert_eq!(c.shape.widths(), [2, 32, 16, 3]);
        assert_eq!(c.shape.normalization(), Normalization::LayerNorm);
        assert_eq!(c.seeds, [2, 3, 4]);
        assert_eq!(c.inits.len(), 2);
        assert_eq!(c.inits[1].name(), "he@1=glorot");
        assert_eq!(c.batch_size.map(NonZeroUsize::get), Some(64));
        assert_eq!(c.learning_rate, 0.01);
    }

    #[test]
    fn bad_settings_name_the_control() {
        for (json, text) in [
            (r#"{"inits": "hee"}"#, "initializers: unknown initializer `hee`"),
            (r#"{"seeds": "0,0"}"#, "seeds: `0,0`: a seed is repeated"),
            (r#"{"dataset": "spirals:1"}"#, "data set: "),
            (r#"{"hidden": "64,x"}"#, "network: hidden widths `64,x`"),
            (r#"{"lr": 0}"#, "learning rate: 0 must be > 0"),
            (r#"{"epochs": 0}"#, "epochs: must be at least 1"),
            (r#"{"batch_size": 0}"#, "batch size: must be at least 1"),
            (r#"{"inits": "he@9=glorot"}"#, "initializers: `he@9=glorot`: layer 9"),
            (r#"{"csv": "x1,label\n0.5,0\n"}"#, "data set: data.csv: line"),
        ] {
            let s: Settings = serde_json::from_str(json).unwrap();
            let e = s.to_config().unwrap_err();
            assert!(e.starts_with(text), "{json}: {e}");
        }
        assert!(serde_json::from_str::<Settings>(r#"{"sedes": "3"}"#).is_err());
    }

    #[test]
    fn a_csv_file_is_the_data() {
        let s =
            Settings { csv: Some("x1,x2,label\n0,0,0\n1,1,1\n0,1,0\n1,0,1\n".into()), ..Settings::default() };
        let c = s.to_config().unwrap();
        assert_eq!(c.samples(), 4);
        assert_eq!(c.shape.widths(), [2, 64, 64, 64, 2]);
    }
}
