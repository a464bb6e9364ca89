//! `summary.json`: the summary's numbers, machine-readable.

use super::{CurvePoint, Describe, Summary, TimeTo};
use serde::Serialize;

/// `summary.json`'s layout version.
pub(crate) const SUMMARY_SCHEMA_VERSION: u32 = 1;

/// `summary.json` (non-finite numbers are written as `null`; with fewer than
/// [`super::MIN_SEEDS`] seeds, the intervals and p-values are `null` and
/// `inference` says why).
#[derive(Serialize)]
struct SummaryFile<'a> {
    schema_version: u32,
    chance: f64,
    ceiling: Option<f64>,
    inits: Vec<InitFile<'a>>,
    spread_test: Option<SpreadFile>,
    pairwise: Vec<PairFile>,
    /// Why there are no intervals or p-values (fewer than `MIN_SEEDS` seeds); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    inference: Option<String>,
}

#[derive(Serialize)]
struct InitFile<'a> {
    init: String,
    display_name: String,
    runs: usize,
    final_val_acc: &'a Describe,
    final_train_loss: &'a Describe,
    curve: &'a [CurvePoint],
    epochs_to: &'a [TimeTo],
}

#[derive(Serialize)]
struct SpreadFile {
    test: &'static str,
    statistic: f64,
    df1: f64,
    df2: f64,
    p_value: f64,
}

#[derive(Serialize)]
struct PairFile {
    a: String,
    b: String,
    p_value: Option<f64>,
    mad_a: f64,
    mad_b: f64,
    smaller_spread: Option<String>,
}

impl Summary {
    /// The summary as JSON (deterministic; non-finite numbers are `null`).
    pub fn to_json(&self) -> String {
        let name = |k: usize| self.inits[k].init.name();
        let file = SummaryFile {
            schema_version: SUMMARY_SCHEMA_VERSION,
            chance: self.thresholds.chance,
            ceiling: self.thresholds.ceiling.map(|c| c.accuracy),
            inits: self
                .inits
                .iter()
                .map(|i| InitFile {
                    init: i.init.name(),
                    display_name: i.init.display_name(),
                    runs: i.runs,
                    final_val_acc: &i.final_val_acc,
                    final_train_loss: &i.final_train_loss,
                    curve: &i.curve,
                    epochs_to: &i.time_to,
                })
                .collect(),
            spread_test: self.spread.as_ref().map(|t| SpreadFile {
                test: "brown-forsythe",
                statistic: t.statistic,
                df1: t.df1,
                df2: t.df2,
                p_value: t.p_value,
            }),
            pairwise: self
                .pairwise
                .iter()
                .map(|p| PairFile {
                    a: name(p.i),
                    b: name(p.j),
                    p_value: p.p_value(),
                    mad_a: p.mad_i,
                    mad_b: p.mad_j,
                    smaller_spread: p.smaller.map(name),
                })
                .collect(),
            inference: self.too_few_seeds().map(|n| super::render::too_few_words(n).to_string()),
        };
        serde_json::to_string_pretty(&file).expect("plain data serializes") + "\n"
    }
}
