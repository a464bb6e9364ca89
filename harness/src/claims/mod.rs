//! `harness claims`: every checkable claim of the paper as a pre-registered
//! experiment with a paired statistic and a verdict.
//!
//! The registry ([`registry::CLAIMS`]) holds each claim's quote, section,
//! experiment, primary test and decision rule; [`plans`] turns a
//! [`Scale`] into the experiments (each a list of
//! [`StudyConfig`]s, one per level of its factor); [`run`] trains every
//! (plan, level, initializer, seed) run in parallel through
//! [`study::run_one`], keeps a compact record of each ([`RunRecord`]),
//! computes the verdicts ([`analysis`]) and writes `runs.csv`,
//! `epochs.csv`, `claims.json`, `claims.md`, one figure per claim and
//! `claims.html` ([`write`]). Every file is a pure function of the scale:
//! byte-identical for any thread count.

pub mod analysis;
pub mod registry;
pub mod tests_stats;
pub mod write;

use crate::ceiling::Ceiling;
use crate::error::{Error, Result};
use crate::inits::InitSpec;
use crate::study::{self, DataSource, Embedding, Splits, StudyConfig, Thresholds};
use crate::synthetic::{self, DatasetSpec};
pub use registry::Scale;
use saorsa_nn::{Network, Shape, paper};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Instant;

/// What `harness claims` is asked to do.
#[derive(Clone, Debug)]
pub struct Options {
    /// Output folder.
    pub out: PathBuf,
    /// Full, quick or tiny.
    pub scale: Scale,
    /// Worker threads (results do not depend on it).
    pub threads: usize,
    /// Show a progress bar on stderr.
    pub progress: bool,
}

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
    /// Machine name: `base`, `fan-in`, `depth`, `width`, `task`, `lr`.
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

/// The experiments of a scale, in a fixed order: `base` (the paper's
/// configuration), `fan-in`, `depth`, `width`, `task`, `lr`.
pub fn plans(scale: Scale) -> Result<Vec<Plan>> {
    let s = scale.spec();
    let e = s.epochs;
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
        seeds: (0..s.base_seeds).collect(),
    }];
    let sweep_seeds: Vec<u64> = (0..s.sweep_seeds).collect();
    let levels = |v: Vec<(String, f64, StudyConfig)>| {
        v.into_iter().map(|(label, value, config)| Level { label, value, config }).collect::<Vec<_>>()
    };
    let mut fan = Vec::new();
    for &d in &s.input_dims {
        fan.push((format!("D={d}"), d as f64, config(moons(), Some(d), &paper_hidden, lr, e)?));
    }
    out.push(Plan {
        id: "fan-in",
        factor: "input_dim",
        levels: levels(fan),
        inits: two.clone(),
        seeds: sweep_seeds.clone(),
    });
    let mut depth = Vec::new();
    for &l in &s.depths {
        depth.push((format!("{l} hidden"), l as f64, config(moons(), None, &vec![64; l], lr, e)?));
    }
    out.push(Plan {
        id: "depth",
        factor: "hidden_layers",
        levels: levels(depth),
        inits: three.clone(),
        seeds: sweep_seeds.clone(),
    });
    let mut width = Vec::new();
    for &w in &s.widths {
        width.push((format!("width {w}"), w as f64, config(moons(), None, &[w, w, w], lr, e)?));
    }
    out.push(Plan {
        id: "width",
        factor: "width",
        levels: levels(width),
        inits: two,
        seeds: sweep_seeds.clone(),
    });
    let mut task = Vec::new();
    for (rank, name) in s.tasks.iter().enumerate() {
        let spec = synthetic::parse(name).map_err(|m| Error::config("source", m))?;
        task.push((spec.name(), rank as f64, config(spec, None, &paper_hidden, lr, e)?));
    }
    out.push(Plan {
        id: "task",
        factor: "dataset",
        levels: levels(task),
        inits: three.clone(),
        seeds: sweep_seeds.clone(),
    });
    let mut lrs = Vec::new();
    for &r in &s.learning_rates {
        lrs.push((format!("lr={r}"), r, config(moons(), None, &paper_hidden, r, e)?));
    }
    out.push(Plan {
        id: "lr",
        factor: "learning_rate",
        levels: levels(lrs),
        inits: three,
        seeds: sweep_seeds,
    });
    Ok(out)
}

/// What is kept of one run (its curves and derived numbers; the weights
/// are dropped once measured, so memory stays small).
#[derive(Clone, Debug, PartialEq)]
pub struct RunRecord {
    /// Index of the plan.
    pub plan: usize,
    /// Index of the level in the plan.
    pub level: usize,
    /// Index of the initializer in the plan.
    pub init: usize,
    /// Model seed.
    pub seed: u64,
    /// Training loss per epoch (before that epoch's update).
    pub train_loss: Vec<f32>,
    /// Training accuracy per epoch.
    pub train_acc: Vec<f32>,
    /// Validation loss per epoch.
    pub val_loss: Vec<f32>,
    /// Validation accuracy per epoch.
    pub val_acc: Vec<f32>,
    /// Per epoch, the mean over dense layers of `‖ΔW‖/‖W‖`.
    pub update_mean: Vec<f32>,
    /// Per dense layer, `‖ΔW‖/‖W‖` averaged over the first
    /// [`registry::EARLY_WINDOW`] epochs.
    pub update_early_layers: Vec<f64>,
    /// Training accuracy after the last update.
    pub final_train_acc: f32,
    /// Validation accuracy after the last update.
    pub final_val_acc: f32,
    /// Decision-boundary length (plan `base` only).
    pub boundary: Option<f64>,
    /// Set when training stopped early.
    pub error: Option<String>,
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

/// The decision boundary's length: the final network's predicted class on
/// a [`registry::BOUNDARY_GRID`]² grid over [`registry::BOUNDARY_BOX`]; each
/// pair of horizontal neighbours predicted differently adds the cell's
/// height, each vertical pair its width. `None` unless the network has 2
/// inputs.
pub fn boundary_length(net: &Network<Vec<f32>>) -> Option<f64> {
    if net.shape().inputs() != 2 {
        return None;
    }
    let n = registry::BOUNDARY_GRID;
    let ((x0, x1), (y0, y1)) = registry::BOUNDARY_BOX;
    let (dx, dy) = ((x1 - x0) / (n - 1) as f64, (y1 - y0) / (n - 1) as f64);
    let mut xs = Vec::with_capacity(2 * n * n);
    for j in 0..n {
        for i in 0..n {
            xs.push((x0 + i as f64 * dx) as f32);
            xs.push((y0 + j as f64 * dy) as f32);
        }
    }
    let k = net.shape().classes();
    let mut z = vec![0.0f32; n * n * k];
    let mut scratch = vec![0.0f32; 2 * n * n * net.shape().max_hidden_width()];
    net.logits(&xs, &mut scratch, &mut z).ok()?;
    let class: Vec<usize> = z
        .chunks_exact(k)
        .map(|l| l.iter().enumerate().fold(0, |b, (c, v)| if *v > l[b] { c } else { b }))
        .collect();
    let mut len = 0.0;
    for j in 0..n {
        for i in 0..n {
            let c = class[j * n + i];
            if i + 1 < n && class[j * n + i + 1] != c {
                len += dy;
            }
            if j + 1 < n && class[(j + 1) * n + i] != c {
                len += dx;
            }
        }
    }
    Some(len)
}

/// Trains one run and keeps its record.
pub fn run_record(plans: &[Plan], prepared: &[Vec<Prepared>], job: (usize, usize, usize, u64)) -> RunRecord {
    let (p, l, i, seed) = job;
    let plan = &plans[p];
    let level = &plan.levels[l];
    let r = study::run_one(&level.config, &prepared[p][l].splits, &plan.inits[i], seed, &mut |_, _| {});
    let layers = level.config.shape.layers();
    let early = r.update_size.len().clamp(1, registry::EARLY_WINDOW);
    let update_early_layers = (0..layers)
        .map(|k| r.update_size.iter().take(early).map(|u| u[k]).sum::<f64>() / early as f64)
        .collect();
    let boundary = if plan.id == "base" { boundary_length(&r.final_model()) } else { None };
    RunRecord {
        plan: p,
        level: l,
        init: i,
        seed,
        train_loss: r.epochs.iter().map(|e| e.train_loss).collect(),
        train_acc: r.epochs.iter().map(|e| e.train_acc).collect(),
        val_loss: r.epochs.iter().map(|e| e.val_loss).collect(),
        val_acc: r.epochs.iter().map(|e| e.val_acc).collect(),
        update_mean: r
            .update_size
            .iter()
            .map(|u| (u.iter().sum::<f64>() / u.len().max(1) as f64) as f32)
            .collect(),
        update_early_layers,
        final_train_acc: r.final_train_acc,
        final_val_acc: r.final_val_acc,
        boundary,
        error: r.error,
    }
}

/// Every run of `plans`, in plan → level → initializer → seed order.
pub fn jobs(plans: &[Plan]) -> Vec<(usize, usize, usize, u64)> {
    let mut out = Vec::new();
    for (p, plan) in plans.iter().enumerate() {
        for l in 0..plan.levels.len() {
            for i in 0..plan.inits.len() {
                for &s in &plan.seeds {
                    out.push((p, l, i, s));
                }
            }
        }
    }
    out
}

/// What a claims run produced.
#[derive(Debug)]
pub struct Outcome {
    /// The output folder.
    pub dir: PathBuf,
    /// Every claim's result, in registry order.
    pub results: Vec<analysis::ClaimResult>,
    /// Number of training runs.
    pub runs: usize,
    /// Seconds spent training.
    pub train_seconds: f64,
    /// Seconds in all.
    pub wall_seconds: f64,
}

impl Outcome {
    /// The verdict table as Markdown.
    pub fn table(&self) -> String {
        write::verdict_table(&self.results)
    }
}

/// Runs every claim's experiment at `options.scale` and writes the results
/// under `options.out`.
pub fn run(options: &Options) -> Result<Outcome> {
    let start = Instant::now();
    crate::output::check_writable(&options.out)?;
    let plans = plans(options.scale)?;
    let prepared = prepare(&plans)?;
    let jobs = jobs(&plans);
    let bar = indicatif::ProgressBar::new(jobs.len() as u64);
    if options.progress {
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "claims [{bar:40}] {pos}/{len} runs, {elapsed} elapsed, ETA {eta}",
            )
            .expect("valid template")
            .progress_chars("=> "),
        );
    } else {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let done = Mutex::new(());
    let records = study::parallel_map(&jobs, options.threads, |&job| {
        let r = run_record(&plans, &prepared, job);
        let _guard = done.lock().expect("no job panics");
        bar.inc(1);
        r
    });
    bar.finish_and_clear();
    let train_seconds = start.elapsed().as_secs_f64();
    let table = analysis::Table::new(&plans, &prepared, &records);
    let analysed = analysis::analyse(&table);
    write::write_all(&options.out, options.scale, &table, &analysed)?;
    Ok(Outcome {
        dir: options.out.clone(),
        results: analysed.into_iter().map(|(r, _)| r).collect(),
        runs: records.len(),
        train_seconds,
        wall_seconds: start.elapsed().as_secs_f64(),
    })
}

/// The display name of an initializer spec given by machine name.
pub fn display(name: &str) -> String {
    InitSpec::parse(name).map(|s| s.display_name()).unwrap_or_else(|_| name.to_string())
}
