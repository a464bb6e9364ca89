//! A study's results folder as typed columns, for front ends that show tables (data frames):
//! `metrics.csv`, `runs.csv` and `update_size.csv` read back and checked against `config.json` by
//! [`results::load`], one vector per column, values with the bits the files hold; and the
//! per-initializer numbers of `summary.json` flattened into one row per initializer.
//!
//! # Examples
//! ```no_run
//! let tables = harness::columns::read(std::path::Path::new("results"))?;
//! let runs = &tables.runs;
//! assert_eq!(runs.columns[0].0, "init");
//! # Ok::<(), harness::error::Error>(())
//! ```

use crate::error::{Error, Result};
use crate::layout;
use crate::results::{self, Loaded};
use crate::study::RunResult;
use serde_json::Value;
use std::path::Path;

/// One column's values.
#[derive(Clone, Debug, PartialEq)]
pub enum Column {
    /// Text (initializer names).
    Text(Vec<String>),
    /// Whole numbers (epochs, layers, counts).
    Int(Vec<i64>),
    /// Model seeds.
    Seed(Vec<u64>),
    /// Values the files hold as `f32` (losses, accuracies).
    F32(Vec<f32>),
    /// Values held as `f64`; `NaN` where a value is missing (a threshold never reached).
    F64(Vec<f64>),
}

impl Column {
    /// Number of values.
    pub fn len(&self) -> usize {
        match self {
            Column::Text(v) => v.len(),
            Column::Int(v) => v.len(),
            Column::Seed(v) => v.len(),
            Column::F32(v) => v.len(),
            Column::F64(v) => v.len(),
        }
    }

    /// Whether there are no values.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A table: named columns of one length, in the file's column order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    /// `(name, values)` of each column.
    pub columns: Vec<(String, Column)>,
}

impl Table {
    /// The column named `name`.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|(n, _)| n == name).map(|(_, c)| c)
    }

    fn push(&mut self, name: &str, column: Column) {
        self.columns.push((name.to_string(), column));
    }
}

/// A study's folder as tables.
#[derive(Clone, Debug)]
pub struct Tables {
    /// `metrics.csv`: init, seed, epoch, train_loss, train_acc, val_loss, val_acc.
    pub metrics: Table,
    /// `runs.csv`: its columns ([`results::RUNS_HEADER`]); an epoch never reached is `NaN`.
    pub runs: Table,
    /// `update_size.csv`: init, seed, epoch, layer, relative_update.
    pub update_size: Table,
    /// One row per initializer: the scalars of its entry in `summary.json`, nested names joined
    /// by `_` (`final_val_acc_mean`), an interval `[a, b]` as `_low` and `_high`; its lists
    /// (curves, epochs to thresholds) are left in `summary.json`.
    pub summary: Table,
    /// `config.json`, as written.
    pub config_json: String,
    /// `layer_stats.csv`: init, seed, epoch, layer, then the statistics
    /// ([`results::LAYER_STATS_COLUMNS`]); `None` for a folder written before studies recorded
    /// them.
    pub layer_stats: Option<Table>,
    /// The folder read back: configuration, data, every run.
    pub loaded: Loaded,
}

/// Reads a study's folder into [`Tables`].
///
/// # Errors
/// Those of [`results::load`]; an unreadable or malformed `summary.json` or `layer_stats.csv`.
pub fn read(dir: &Path) -> Result<Tables> {
    let loaded = results::load(dir)?;
    let config_json = String::from_utf8_lossy(&crate::output::read_bounded(
        &dir.join(layout::CONFIG),
        crate::config_file::MAX_CONFIG_BYTES,
    )?)
    .into_owned();
    let summary_path = dir.join(layout::SUMMARY_JSON);
    let summary_bytes = crate::output::read_bounded(&summary_path, SUMMARY_MAX_BYTES)?;
    let summary = summary_table(&summary_bytes).map_err(|m| Error::results(&summary_path, m))?;
    let layer_stats = match dir.join(layout::LAYER_STATS).try_exists() {
        Ok(true) => {
            let most = results::layer_stats_rows_at_most(&loaded.config, loaded.runs.len());
            Some(layer_stats(&results::read_layer_stats(dir, layout::LAYER_STATS, most)?))
        }
        Ok(false) => None,
        Err(e) => return Err(Error::io(dir.join(layout::LAYER_STATS), e)),
    };
    Ok(Tables {
        metrics: metrics(&loaded),
        runs: runs(&loaded),
        update_size: update_size(&loaded),
        summary,
        config_json,
        layer_stats,
        loaded,
    })
}

fn layer_stats(rows: &[results::LayerStatsRow]) -> Table {
    let mut t = Table::default();
    t.push("init", Column::Text(rows.iter().map(|r| r.init.clone()).collect()));
    t.push("seed", Column::Seed(rows.iter().map(|r| r.seed).collect()));
    t.push("epoch", Column::Int(rows.iter().map(|r| r.epoch as i64).collect()));
    t.push("layer", Column::Int(rows.iter().map(|r| r.layer as i64).collect()));
    for (k, name) in results::LAYER_STATS_COLUMNS.iter().enumerate() {
        t.push(name, Column::F64(rows.iter().map(|r| r.values[k]).collect()));
    }
    t
}

/// The most bytes `summary.json` may have.
const SUMMARY_MAX_BYTES: u64 = 64 << 20;

fn names_and_seeds<'a>(rows: impl Iterator<Item = (&'a RunResult, usize)>) -> (Column, Column) {
    let (mut names, mut seeds) = (Vec::new(), Vec::new());
    for (r, n) in rows {
        let name = r.init.name();
        names.extend(std::iter::repeat_n(name, n));
        seeds.extend(std::iter::repeat_n(r.seed, n));
    }
    (Column::Text(names), Column::Seed(seeds))
}

fn metrics(l: &Loaded) -> Table {
    let (init, seed) = names_and_seeds(l.runs.iter().map(|r| (r, r.epochs.len())));
    let all = || l.runs.iter().flat_map(|r| r.epochs.iter());
    let mut t = Table::default();
    t.push("init", init);
    t.push("seed", seed);
    t.push("epoch", Column::Int(l.runs.iter().flat_map(|r| 1..=r.epochs.len() as i64).collect()));
    t.push("train_loss", Column::F32(all().map(|e| e.train_loss).collect()));
    t.push("train_acc", Column::F32(all().map(|e| e.train_acc).collect()));
    t.push("val_loss", Column::F32(all().map(|e| e.val_loss).collect()));
    t.push("val_acc", Column::F32(all().map(|e| e.val_acc).collect()));
    t
}

fn runs(l: &Loaded) -> Table {
    let (init, seed) = names_and_seeds(l.runs.iter().map(|r| (r, 1)));
    let f32s = |f: fn(&RunResult) -> f32| Column::F32(l.runs.iter().map(f).collect());
    // The thresholds of `runs.csv` ([`results::runs_row`]), in its column order.
    let to = |target: f32| {
        Column::F64(l.runs.iter().map(|r| r.epochs_to(target).map_or(f64::NAN, |e| e as f64)).collect())
    };
    let th = &l.thresholds;
    let mut t = Table::default();
    t.push("init", init);
    t.push("seed", seed);
    t.push("final_train_loss", f32s(|r| r.final_train_loss));
    t.push("final_val_loss", f32s(|r| r.final_val_loss));
    t.push("final_val_acc", f32s(|r| r.final_val_acc));
    t.push("epochs_to_90", to(0.90));
    t.push("epochs_to_95", to(0.95));
    t.push("epochs_to_50pct_of_ceiling", to(th.target(0.5)));
    t.push("epochs_to_90pct_of_ceiling", to(th.target(0.9)));
    t.push("final_train_acc", f32s(|r| r.final_train_acc));
    debug_assert_eq!(
        t.columns.iter().map(|c| c.0.as_str()).collect::<Vec<_>>().join(","),
        results::RUNS_HEADER
    );
    t
}

fn update_size(l: &Loaded) -> Table {
    let cells = || {
        l.runs.iter().flat_map(|r| {
            r.update_size
                .iter()
                .enumerate()
                .flat_map(|(e, u)| u.iter().enumerate().map(move |(k, v)| (e, k, *v)))
        })
    };
    let (init, seed) = names_and_seeds(l.runs.iter().map(|r| (r, r.update_size.iter().map(Vec::len).sum())));
    let mut t = Table::default();
    t.push("init", init);
    t.push("seed", seed);
    t.push("epoch", Column::Int(cells().map(|(e, _, _)| e as i64 + 1).collect()));
    t.push("layer", Column::Int(cells().map(|(_, k, _)| k as i64 + 1).collect()));
    t.push("relative_update", Column::F64(cells().map(|(_, _, v)| v).collect()));
    t
}

/// A JSON value with its objects' keys in the file's order (`serde_json`'s own map sorts them).
#[derive(Clone, Debug, PartialEq)]
enum Node {
    Scalar(Value),
    Object(Vec<(String, Node)>),
    List(Vec<Node>),
}

impl<'de> serde::Deserialize<'de> for Node {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Node, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Node;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_bool<E>(self, v: bool) -> std::result::Result<Node, E> {
                Ok(Node::Scalar(v.into()))
            }
            fn visit_i64<E>(self, v: i64) -> std::result::Result<Node, E> {
                Ok(Node::Scalar(v.into()))
            }
            fn visit_u64<E>(self, v: u64) -> std::result::Result<Node, E> {
                Ok(Node::Scalar(v.into()))
            }
            fn visit_f64<E>(self, v: f64) -> std::result::Result<Node, E> {
                Ok(Node::Scalar(v.into()))
            }
            fn visit_str<E>(self, v: &str) -> std::result::Result<Node, E> {
                Ok(Node::Scalar(v.into()))
            }
            fn visit_unit<E>(self) -> std::result::Result<Node, E> {
                Ok(Node::Scalar(Value::Null))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut a: A,
            ) -> std::result::Result<Node, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = a.next_element()? {
                    items.push(item);
                }
                Ok(Node::List(items))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut a: A,
            ) -> std::result::Result<Node, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = a.next_entry()? {
                    entries.push(entry);
                }
                Ok(Node::Object(entries))
            }
        }
        d.deserialize_any(Visit)
    }
}

/// `summary.json`'s `inits` entries, one row each ([`Tables::summary`]).
fn summary_table(json: &[u8]) -> std::result::Result<Table, String> {
    let summary: Node = serde_json::from_slice(json).map_err(|e| format!("not JSON: {e}"))?;
    let inits = match &summary {
        Node::Object(entries) => entries.iter().find(|(k, _)| k == "inits").map(|(_, v)| v),
        _ => None,
    };
    let Some(Node::List(inits)) = inits else { return Err("no `inits` list".into()) };
    // (name, one value per row so far).
    let mut cols: Vec<(String, Vec<Value>)> = Vec::new();
    for (row, entry) in inits.iter().enumerate() {
        let mut flat = Vec::new();
        flatten("", entry, &mut flat);
        for (name, v) in flat {
            let k = match cols.iter().position(|c| c.0 == name) {
                Some(k) => k,
                None => {
                    cols.push((name, vec![Value::Null; row]));
                    cols.len() - 1
                }
            };
            cols[k].1.push(v);
        }
        for c in &mut cols {
            c.1.resize(row + 1, Value::Null);
        }
    }
    let mut t = Table::default();
    for (name, values) in cols {
        let column = if values.iter().all(Value::is_i64) {
            Column::Int(values.iter().filter_map(Value::as_i64).collect())
        } else if values.iter().all(|v| v.is_number() || v.is_null()) {
            Column::F64(values.iter().map(|v| v.as_f64().unwrap_or(f64::NAN)).collect())
        } else {
            Column::Text(
                values.iter().map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string)).collect(),
            )
        };
        t.push(&name, column);
    }
    Ok(t)
}

/// The scalars of `v` under `prefix`: objects' keys joined by `_`, a pair of numbers as `_low`
/// and `_high`; other lists are left out.
fn flatten(prefix: &str, v: &Node, out: &mut Vec<(String, Value)>) {
    let join = |key: &str| if prefix.is_empty() { key.to_string() } else { format!("{prefix}_{key}") };
    match v {
        Node::Object(entries) => {
            for (key, value) in entries {
                flatten(&join(key), value, out);
            }
        }
        Node::List(items) => {
            if let [Node::Scalar(a), Node::Scalar(b)] = &items[..]
                && a.is_number()
                && b.is_number()
            {
                out.push((join("low"), a.clone()));
                out.push((join("high"), b.clone()));
            }
        }
        Node::Scalar(s) => out.push((prefix.to_string(), s.clone())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_entries_flatten_into_rows() {
        let json = r#"{"inits": [
            {"init": "small", "runs": 10, "acc": {"mean": 0.5, "ci95": [0.25, 0.75]}, "curve": [{"epoch": 1}]},
            {"init": "he", "runs": 3, "acc": {"mean": 1, "ci95": [1, 1]}, "extra": null}
        ]}"#;
        let t = summary_table(json.as_bytes()).unwrap();
        let names: Vec<&str> = t.columns.iter().map(|c| c.0.as_str()).collect();
        assert_eq!(names, ["init", "runs", "acc_mean", "acc_ci95_low", "acc_ci95_high", "extra"]);
        assert_eq!(t.column("init"), Some(&Column::Text(vec!["small".into(), "he".into()])));
        assert_eq!(t.column("runs"), Some(&Column::Int(vec![10, 3])));
        assert_eq!(t.column("acc_mean"), Some(&Column::F64(vec![0.5, 1.0])));
        match t.column("extra") {
            Some(Column::F64(v)) => assert!(v.iter().all(|x| x.is_nan())),
            other => panic!("{other:?}"),
        }
        assert_eq!(summary_table(b"{}").unwrap_err(), "no `inits` list");
        assert!(summary_table(b"{").unwrap_err().starts_with("not JSON"));
    }
}
