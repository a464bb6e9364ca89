//! The experiments of a claims run: a [`Plan`] per factor (its levels,
//! initializers and seeds), built from a [`Design`] (a registry's choice of
//! levels and seeds at one scale), and each level's data ([`prepare`]).

use super::registry::Scale;
use crate::ceiling::Ceiling;
use crate::config::{DataSource, Embedding, StudyConfig};
use crate::error::{Error, Result};
use crate::inits::InitSpec;
use crate::study::{self, Splits, Thresholds};
use crate::synthetic::{self, DatasetSpec};
use saorsa_nn::{Normalization, Shape, paper};
use std::collections::BTreeMap;

/// One level of a plan's factor: its label, its numeric value (for trends)
/// and the study configuration of its runs.
#[derive(Clone, Debug)]
pub struct Level {
    /// Label, e.g. `D=16`, `lr=0.001`, `spirals:3`.
    pub label: String,
    /// The factor's value (the complexity rank for data sets).
    pub value: f64,
    /// The runs' configuration (its `inits` and `seeds` are the plan's).
    pub config: StudyConfig,
}

/// One experiment: a factor, its levels, initializers and seeds.
#[derive(Clone, Debug)]
pub struct Plan {
    /// Machine name: `base`, `fan-in`, `depth`, `width`, `task`, `lr`, `norm`.
    pub id: &'static str,
    /// The factor's name (a `runs.csv` column).
    pub factor: &'static str,
    /// Its levels.
    pub levels: Vec<Level>,
    /// Initializers, paired by seed.
    pub inits: Vec<InitSpec>,
    /// Model seeds.
    pub seeds: Vec<u64>,
}

impl Plan {
    /// Number of runs.
    pub fn runs(&self) -> usize {
        self.levels.len() * self.inits.len() * self.seeds.len()
    }

    /// Index of the initializer named `name` (`he@1=glorot`).
    pub fn init(&self, name: &str) -> Option<usize> {
        self.inits.iter().position(|i| i.name() == name)
    }
}

/// A registry's experiments at one scale: the levels of every factor, the
/// epochs, and the model seeds of each plan (by plan id).
pub(crate) struct Design<'a> {
    /// Epochs of every run.
    pub epochs: usize,
    /// Input dimensions of the fan-in sweep.
    pub input_dims: &'a [usize],
    /// Hidden layers (width 64) of the depth sweep.
    pub depths: &'a [usize],
    /// Widths (3 hidden layers) of the width sweep.
    pub widths: &'a [usize],
    /// Data sets of the task sweep, in increasing complexity.
    pub tasks: &'a [&'static str],
    /// Learning rates of the learning-rate sweep.
    pub learning_rates: &'a [f64],
    /// The model seeds of the plan with this id.
    pub seeds: &'a dyn Fn(&'static str) -> Vec<u64>,
}

fn specs(names: &[&str]) -> Vec<InitSpec> {
    names.iter().map(|n| InitSpec::parse(n).expect("registry names parse")).collect()
}

fn moons() -> DatasetSpec {
    DatasetSpec::Moons { noise: paper::NOISE }
}

fn config(
    source: DatasetSpec,
    embedding: Option<usize>,
    hidden: &[usize],
    lr: f64,
    epochs: usize,
) -> Result<StudyConfig> {
    let inputs = embedding.unwrap_or(source.features());
    let mut widths = vec![inputs];
    widths.extend_from_slice(hidden);
    widths.push(source.classes());
    let shape = Shape::new(&widths).map_err(|e| Error::config("shape", e.to_string()))?;
    Ok(StudyConfig {
        source: DataSource::Generated { spec: source, samples: paper::SAMPLES },
        embedding: embedding.map(|dims| Embedding { dims, noise_dims: 0, noise_std: 1.0 }),
        shape,
        epochs,
        learning_rate: lr,
        inits: Vec::new(),
        seeds: Vec::new(),
        ..StudyConfig::default()
    })
}

/// The experiments of registry version 1 at a scale (`plans_of`): every
/// sweep's seeds are `0 … sweep_seeds − 1`, the base and norm plans'
/// `0 … base_seeds − 1`.
pub fn plans(scale: Scale) -> Result<Vec<Plan>> {
    let s = scale.spec();
    let seeds = |id: &'static str| -> Vec<u64> {
        if matches!(id, "base" | "norm") { (0..s.base_seeds).collect() } else { (0..s.sweep_seeds).collect() }
    };
    plans_of(&Design {
        epochs: s.epochs,
        input_dims: &s.input_dims,
        depths: &s.depths,
        widths: &s.widths,
        tasks: &s.tasks,
        learning_rates: &s.learning_rates,
        seeds: &seeds,
    })
}

/// The experiments of a design, in a fixed order: `base` (the paper's
/// configuration), `fan-in`, `depth`, `width`, `task`, `lr`, `norm`.
pub(crate) fn plans_of(d: &Design<'_>) -> Result<Vec<Plan>> {
    let e = d.epochs;
    let lr = paper::ADAM.learning_rate;
    let paper_hidden = [64, 64, 64];
    let three = specs(&["small", "glorot", "he"]);
    let two = specs(&["glorot", "he"]);
    let mut out = vec![Plan {
        id: "base",
        factor: "paper",
        levels: vec![Level {
            label: "paper".into(),
            value: 0.0,
            config: config(moons(), None, &paper_hidden, lr, e)?,
        }],
        inits: specs(&["small", "glorot", "he", "he@1=glorot", "glorot@1=he"]),
        seeds: (d.seeds)("base"),
    }];
    let levels = |v: Vec<(String, f64, StudyConfig)>| {
        v.into_iter().map(|(label, value, config)| Level { label, value, config }).collect::<Vec<_>>()
    };
    let mut fan = Vec::new();
    for &dims in d.input_dims {
        fan.push((format!("D={dims}"), dims as f64, config(moons(), Some(dims), &paper_hidden, lr, e)?));
    }
    out.push(Plan {
        id: "fan-in",
        factor: "input_dim",
        levels: levels(fan),
        inits: two.clone(),
        seeds: (d.seeds)("fan-in"),
    });
    let mut depth = Vec::new();
    for &l in d.depths {
        depth.push((format!("{l} hidden"), l as f64, config(moons(), None, &vec![64; l], lr, e)?));
    }
    out.push(Plan {
        id: "depth",
        factor: "hidden_layers",
        levels: levels(depth),
        inits: three.clone(),
        seeds: (d.seeds)("depth"),
    });
    let mut width = Vec::new();
    for &w in d.widths {
        width.push((format!("width {w}"), w as f64, config(moons(), None, &[w, w, w], lr, e)?));
    }
    out.push(Plan {
        id: "width",
        factor: "width",
        levels: levels(width),
        inits: two,
        seeds: (d.seeds)("width"),
    });
    let mut task = Vec::new();
    for (rank, name) in d.tasks.iter().enumerate() {
        let spec = synthetic::parse(name).map_err(|m| Error::config("source", m))?;
        task.push((spec.name(), rank as f64, config(spec, None, &paper_hidden, lr, e)?));
    }
    out.push(Plan {
        id: "task",
        factor: "dataset",
        levels: levels(task),
        inits: three.clone(),
        seeds: (d.seeds)("task"),
    });
    let mut lrs = Vec::new();
    for &r in d.learning_rates {
        lrs.push((format!("lr={r}"), r, config(moons(), None, &paper_hidden, r, e)?));
    }
    out.push(Plan {
        id: "lr",
        factor: "learning_rate",
        levels: levels(lrs),
        inits: three.clone(),
        seeds: (d.seeds)("lr"),
    });
    let plain = config(moons(), None, &paper_hidden, lr, e)?;
    let mut normalized = plain.clone();
    normalized.shape = normalized.shape.with_normalization(Normalization::LayerNorm);
    out.push(Plan {
        id: "norm",
        factor: "layer_norm",
        levels: levels(vec![("no normalization".into(), 0.0, plain), ("LayerNorm".into(), 1.0, normalized)]),
        inits: three,
        seeds: (d.seeds)("norm"),
    });
    Ok(out)
}

/// The data of one level, made once: splits and thresholds.
#[derive(Clone, Debug)]
pub struct Prepared {
    /// Training and validation sets.
    pub splits: Splits,
    /// Chance and ceiling.
    pub thresholds: Thresholds,
}

/// Makes every level's data; ceilings are computed once per data set.
pub fn prepare(plans: &[Plan]) -> Result<Vec<Vec<Prepared>>> {
    let mut ceilings: BTreeMap<String, Ceiling> = BTreeMap::new();
    let mut out = Vec::new();
    for p in plans {
        let mut per = Vec::new();
        for l in &p.levels {
            let splits = study::make_splits(&l.config)?;
            let DataSource::Generated { spec, .. } = &l.config.source else {
                return Err(Error::config("source", "claims use generated data only"));
            };
            let ceiling = match ceilings.get(&spec.name()) {
                Some(c) => *c,
                None => {
                    let c = crate::ceiling::ceiling(spec).map_err(|m| Error::config("source", m))?;
                    ceilings.insert(spec.name(), c);
                    c
                }
            };
            let mut counts = [0usize; 256];
            for &y in &splits.train.y {
                counts[usize::from(y)] += 1;
            }
            let chance = counts.iter().max().copied().unwrap_or(0) as f64 / splits.train.len().max(1) as f64;
            per.push(Prepared { splits, thresholds: Thresholds { chance, ceiling: Some(ceiling) } });
        }
        out.push(per);
    }
    Ok(out)
}
