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
//! `claims.html` ([`mod@write`]). Every file is a pure function of the scale:
//! byte-identical for any thread count.

pub mod analysis;
pub mod registry;
pub mod write;

use crate::ceiling::Ceiling;
use crate::config::{DataSource, Embedding, StudyConfig};
use crate::error::{Error, Result};
use crate::folder::Folder;
use crate::inits::InitSpec;
use crate::layout;
use crate::output::write_atomic;
use crate::record::{Record, RecordWriter};
use crate::shard::{self as shards, Shard};
use crate::study::{self, Splits, Thresholds};
use crate::sweep::{self, Jobs};
use crate::synthetic::{self, DatasetSpec};
pub use registry::Scale;
use saorsa_nn::{Network, Normalization, Shape, paper};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// What `harness claims` is asked to do.
#[derive(Clone)]
pub struct Options<'a> {
    /// Output folder.
    pub out: PathBuf,
    /// Worker threads (results do not depend on it).
    pub threads: usize,
    /// Called once per run trained or found finished (a front end's progress bar).
    pub progress: &'a (dyn Fn() + Sync),
    /// Replace another sweep's results in the folder ([`Folder::check_replaces`]).
    pub force: bool,
    /// Which share of the runs to train ([`crate::shard`]), or `None` for
    /// all of them and the verdicts (a shard writes only its runs).
    pub shard: Option<Shard>,
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
/// configuration), `fan-in`, `depth`, `width`, `task`, `lr`, `norm`.
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
        inits: three.clone(),
        seeds: sweep_seeds,
    });
    let plain = config(moons(), None, &paper_hidden, lr, e)?;
    let mut normalized = plain.clone();
    normalized.shape = normalized.shape.with_normalization(Normalization::LayerNorm);
    out.push(Plan {
        id: "norm",
        factor: "layer_norm",
        levels: levels(vec![("no normalization".into(), 0.0, plain), ("LayerNorm".into(), 1.0, normalized)]),
        inits: three,
        seeds: (0..s.base_seeds).collect(),
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
pub fn run_record(plans: &[Plan], prepared: &[Vec<Prepared>], job: Job) -> RunRecord {
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
pub fn jobs(plans: &[Plan]) -> Vec<Job> {
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
    /// Every claim's result, in registry order (empty for a shard).
    pub results: Vec<analysis::ClaimResult>,
    /// Number of runs (of this shard, for a shard).
    pub runs: usize,
    /// Of which trained now (the others were found finished).
    pub trained: usize,
    /// Seconds spent training.
    pub train_seconds: f64,
    /// Seconds in all.
    pub wall_seconds: f64,
    /// The shard that ran, if one did (it draws no verdicts).
    pub shard: Option<Shard>,
}

impl Outcome {
    /// The verdict table as Markdown.
    pub fn table(&self) -> String {
        write::verdict_table(&self.results)
    }
}

/// `plan.json` of a scale: the scale, its levels and the harness version.
pub fn plan_json(scale: Scale) -> String {
    #[derive(serde::Serialize)]
    struct PlanFile {
        schema_version: u32,
        harness_version: &'static str,
        scale: Scale,
        levels: registry::ScaleSpec,
    }
    let file = PlanFile {
        schema_version: 1,
        harness_version: env!("CARGO_PKG_VERSION"),
        scale,
        levels: scale.spec(),
    };
    serde_json::to_string_pretty(&file).expect("plain data") + "\n"
}

/// One claims run: indices of its plan, level and initializer, and its seed.
pub type Job = (usize, usize, usize, u64);

/// The runs of every claim's experiment at one scale, as the sweep engine's jobs: plan → level
/// → initializer → seed order; a run's id is `<plan>/<level>/<init>/seed-<k>` (levels counted
/// from 0), its record `runs/<id>.csv` ([`layout::claims_record`]).
#[derive(Debug)]
pub struct ClaimsJobs {
    scale: Scale,
    plans: Vec<Plan>,
    prepared: Vec<Vec<Prepared>>,
    jobs: Vec<Job>,
    /// The CRC-32 of `plan.json`.
    identity: u32,
}

impl ClaimsJobs {
    /// The runs of `scale`: its plans and every level's data.
    ///
    /// # Errors
    /// A plan that cannot be built (none at the registered scales).
    pub fn new(scale: Scale) -> Result<ClaimsJobs> {
        let plans = plans(scale)?;
        let prepared = prepare(&plans)?;
        let jobs = jobs(&plans);
        let identity = saorsa_nn::crc32(plan_json(scale).as_bytes());
        Ok(ClaimsJobs { scale, plans, prepared, jobs, identity })
    }

    /// The scale whose `plan.json` is `bytes`.
    ///
    /// # Errors
    /// When no scale of this harness has that plan.
    pub fn scale_of(bytes: &[u8], path: &Path) -> Result<Scale> {
        [Scale::Full, Scale::Extended, Scale::Quick, Scale::Tiny]
            .into_iter()
            .find(|s| plan_json(*s).as_bytes() == bytes)
            .ok_or_else(|| Error::results(path, "not a plan of this harness"))
    }

    /// Job `k`'s record, relative to the folder: `runs/<id>.csv`.
    fn record_rel(&self, k: usize) -> String {
        layout::claims_record(&self.id(k))
    }

    /// The plans.
    pub fn plans(&self) -> &[Plan] {
        &self.plans
    }

    /// Reads job `k`'s record from `dir`.
    ///
    /// # Errors
    /// A message saying why the run is not done.
    pub fn read(&self, dir: &Path, k: usize) -> std::result::Result<RunRecord, String> {
        let r = Record::read(&dir.join(self.record_rel(k)))?;
        r.check_envelope(&[self.id(k)], self.identity)?;
        let (plan, level, init, seed) = self.jobs[k];
        Ok(RunRecord {
            plan,
            level,
            init,
            seed,
            train_loss: r.parsed("train_loss")?,
            train_acc: r.parsed("train_acc")?,
            val_loss: r.parsed("val_loss")?,
            val_acc: r.parsed("val_acc")?,
            update_mean: r.parsed("update_mean")?,
            update_early_layers: r.parsed("update_early_layers")?,
            final_train_acc: r.one("final_train_acc")?,
            final_val_acc: r.one("final_val_acc")?,
            boundary: r.optional("boundary")?,
            error: r.values("error").and_then(|v| v.first()).cloned(),
        })
    }

    /// A run's record ([`crate::record`]).
    fn record_bytes(&self, k: usize, r: &RunRecord) -> Vec<u8> {
        let mut w = RecordWriter::envelope([self.id(k)], self.identity);
        w.row("train_loss", &r.train_loss);
        w.row("train_acc", &r.train_acc);
        w.row("val_loss", &r.val_loss);
        w.row("val_acc", &r.val_acc);
        w.row("update_mean", &r.update_mean);
        w.row("update_early_layers", &r.update_early_layers);
        w.row("final_train_acc", [r.final_train_acc]);
        w.row("final_val_acc", [r.final_val_acc]);
        w.row("boundary", r.boundary);
        if let Some(e) = &r.error {
            w.row("error", [e]);
        }
        w.finish()
    }

    /// Reads every run's record from the folder (in job order), draws the verdicts and writes
    /// the claims' files.
    fn finish(&self, folder: &Folder) -> Result<Vec<analysis::ClaimResult>> {
        let out = folder.dir();
        let records = (0..self.jobs.len())
            .map(|k| {
                self.read(out, k).map_err(|m| {
                    Error::results(out.join(self.record_rel(k)), format!("run {}: {m}", self.id(k)))
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let table = analysis::Table::new(&self.plans, &self.prepared, &records);
        let analysed = analysis::analyse(&table);
        write::write_all(folder, self.scale, &table, &analysed)?;
        Ok(analysed.into_iter().map(|(r, _)| r).collect())
    }
}

impl Jobs for ClaimsJobs {
    fn kind(&self) -> &'static str {
        "claims"
    }

    fn len(&self) -> usize {
        self.jobs.len()
    }

    fn id(&self, k: usize) -> String {
        let (p, l, i, seed) = self.jobs[k];
        format!("{}/{l}/{}/seed-{seed}", self.plans[p].id, self.plans[p].inits[i].name())
    }

    fn cost(&self, k: usize) -> u64 {
        let (p, l, _, _) = self.jobs[k];
        let (c, d) = (&self.plans[p].levels[l].config, &self.prepared[p][l].splits);
        shards::run_cost(c.epochs, d.train.len(), d.val.len(), c.shape.parameter_count())
    }

    fn files(&self, k: usize) -> Vec<String> {
        vec![self.record_rel(k)]
    }

    fn done(&self, dir: &Path, k: usize) -> std::result::Result<(), String> {
        self.read(dir, k).map(drop)
    }

    fn run(&self, dir: &Path, k: usize) -> Result<()> {
        let r = run_record(&self.plans, &self.prepared, self.jobs[k]);
        if study::stop_requested() {
            return Err(Error::Interrupted);
        }
        write_atomic(&dir.join(self.record_rel(k)), &self.record_bytes(k, &r))
    }
}

/// Runs every claim's experiment (`jobs`; or the runs of `options.shard`) and writes the
/// results under `options.out`. Runs already finished there (an interrupted run) are kept, not
/// retrained.
///
/// # Errors
/// On Ctrl-C ([`study::request_stop`]): [`Error::Interrupted`] for a shard (its finished runs
/// stay in its folder), [`Error::Stopped`] for the whole run (they stay in the staging folder
/// beside it, and the folder is as it was).
pub fn run(jobs: &ClaimsJobs, options: &Options) -> Result<Outcome> {
    let start = Instant::now();
    let out = &options.out;
    let mut folder = Folder::open(out, &[])?;
    let plan = plan_json(jobs.scale);
    folder.check_replaces(layout::PLAN, plan.as_bytes(), options.force)?;
    if options.shard.is_some() {
        // A shard trains into its folder, which is never complete.
        folder.begin()?;
        folder.write(layout::PLAN, plan.as_bytes())?;
        let mine = sweep::mine(jobs, options.shard).len();
        let trained = sweep::run(out, jobs, options.shard, options.threads, options.progress)?.trained;
        let train_seconds = start.elapsed().as_secs_f64();
        return Ok(Outcome {
            dir: out.clone(),
            results: Vec::new(),
            runs: mine,
            trained,
            train_seconds,
            wall_seconds: start.elapsed().as_secs_f64(),
            shard: options.shard,
        });
    }
    // The whole run trains and finishes beside the folder, then is swapped in: old-or-new.
    let staged = folder.resume_stage(layout::PLAN, plan.as_bytes())?;
    let store = staged.dir().to_path_buf();
    staged.write(layout::PLAN, plan.as_bytes())?;
    // Runs an interrupted run finished in the folder itself are kept.
    for k in 0..jobs.len() {
        if jobs.done(&store, k).is_err() && jobs.done(out, k).is_ok() {
            for name in jobs.files(k) {
                let bytes = std::fs::read(out.join(&name)).map_err(|e| Error::io(out.join(&name), e))?;
                write_atomic(&store.join(&name), &bytes)?;
            }
        }
    }
    let stopped = |e: Error| match e {
        Error::Interrupted => Error::Stopped { kept_in: Some(store.clone()) },
        other => other,
    };
    let trained = sweep::run(&store, jobs, None, options.threads, options.progress).map_err(stopped)?.trained;
    let train_seconds = start.elapsed().as_secs_f64();
    let results = jobs.finish(&staged).map_err(stopped)?;
    // Records kept from an interrupted run were written by another process.
    let keep = sweep::entries(&store, jobs)?;
    folder.install(staged, &keep)?;
    Ok(Outcome {
        dir: out.clone(),
        results,
        runs: jobs.len(),
        trained,
        train_seconds,
        wall_seconds: start.elapsed().as_secs_f64(),
        shard: None,
    })
}

/// `harness merge` of claims shards: the same `plan.json` in every folder, every run finished
/// in exactly one of them; writes the complete claims folder into `out`, byte-identical to
/// `harness claims` in one process. Returns what to print: where each run came from, the
/// verdicts and the report's path.
///
/// # Errors
/// Shards of different plans, runs missing, unfinished or duplicated; a write error.
pub fn merge(dirs: &[PathBuf], out: &Path, force: bool) -> Result<String> {
    let plan_path = dirs[0].join(layout::PLAN);
    let plan_bytes = crate::output::read_bounded(&plan_path, crate::folder::MAX_IDENTITY_BYTES)?;
    let jobs = ClaimsJobs::new(ClaimsJobs::scale_of(&plan_bytes, &plan_path)?)?;
    let (source, provenance) = sweep::sources(dirs, &jobs, layout::PLAN)?;
    let folder = Folder::open(out, &[])?;
    folder.check_replaces(layout::PLAN, &plan_bytes, force)?;
    // Written beside the folder and swapped in: old-or-new.
    let staged = folder.stage("merging")?;
    staged.write(layout::PLAN, &plan_bytes)?;
    sweep::copy(dirs, &jobs, &source, &staged)?;
    let results = jobs.finish(&staged)?;
    folder.install(staged, &Default::default())?;
    let mut text = format!("Runs by shard:\n{provenance}");
    text.push_str(&write::verdict_table(&results));
    text.push_str(&format!("Claims: {}\n", out.join(layout::CLAIMS_HTML).display()));
    Ok(text)
}

/// The display name of an initializer spec given by machine name.
pub fn display(name: &str) -> String {
    InitSpec::parse(name).map(|s| s.display_name()).unwrap_or_else(|_| name.to_string())
}
