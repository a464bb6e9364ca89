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
use crate::error::{Error, Result};
use crate::inits::InitSpec;
use crate::output::{self, write_atomic};
use crate::record::{Record, RecordWriter};
use crate::shard::{self as shards, Shard, ShardFile};
use crate::study::{self, DataSource, Embedding, Splits, StudyConfig, Thresholds};
use crate::synthetic::{self, DatasetSpec};
pub use registry::Scale;
use saorsa_nn::{Network, Normalization, Shape, paper};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
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
    /// For a shard: what it did (it draws no verdicts).
    pub partial: Option<String>,
}

impl Outcome {
    /// The verdict table as Markdown.
    pub fn table(&self) -> String {
        write::verdict_table(&self.results)
    }
}

/// The file naming the experiment a claims folder holds; its CRC-32 is in
/// every run's record.
pub const PLAN_FILE: &str = "plan.json";

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

/// A run's id: `<plan>/<level>/<init>/seed-<k>` (levels counted from 0).
pub fn run_id(plans: &[Plan], job: (usize, usize, usize, u64)) -> String {
    let (p, l, i, seed) = job;
    format!("{}/{l}/{}/seed-{seed}", plans[p].id, plans[p].inits[i].name())
}

/// Where a run's record goes under `out`: `runs/<id>.csv`.
pub fn record_path(out: &Path, plans: &[Plan], job: (usize, usize, usize, u64)) -> PathBuf {
    out.join("runs").join(format!("{}.csv", run_id(plans, job)))
}

/// A run's record ([`crate::record`]).
pub fn record_bytes(plans: &[Plan], r: &RunRecord, plan_crc: u32) -> Vec<u8> {
    let mut w = RecordWriter::new();
    w.row("run", [run_id(plans, (r.plan, r.level, r.init, r.seed))]);
    w.row("config_crc32", [format!("{plan_crc:08x}")]);
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

/// Reads run `job`'s record under `dir`, checked against `plan_crc`.
///
/// # Errors
/// A message saying why the run is not done.
pub fn read_record(
    dir: &Path,
    plans: &[Plan],
    job: (usize, usize, usize, u64),
    plan_crc: u32,
) -> std::result::Result<RunRecord, String> {
    let bytes = std::fs::read(record_path(dir, plans, job)).map_err(|e| format!("no record ({e})"))?;
    let r = Record::parse(&bytes)?;
    if r.values("run") != Some(&[run_id(plans, job)][..]) {
        return Err("the record is another run's".into());
    }
    if r.values("config_crc32") != Some(&[format!("{plan_crc:08x}")][..]) {
        return Err("run under another plan".into());
    }
    let (plan, level, init, seed) = job;
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

/// The expected cost of every job ([`shards::run_cost`]).
pub fn costs(plans: &[Plan], prepared: &[Vec<Prepared>], jobs: &[(usize, usize, usize, u64)]) -> Vec<u64> {
    jobs.iter()
        .map(|&(p, l, _, _)| {
            let (c, d) = (&plans[p].levels[l].config, &prepared[p][l].splits);
            shards::run_cost(c.epochs, d.train.len(), d.val.len(), c.shape.parameter_count())
        })
        .collect()
}

/// Runs every claim's experiment at `options.scale` (or the runs of
/// `options.shard`) and writes the results under `options.out`. Runs
/// already finished there (an interrupted run) are kept, not retrained.
///
/// Errors: [`Error::Interrupted`] on Ctrl-C ([`study::request_stop`]):
/// finished runs stay on disk.
pub fn run(options: &Options) -> Result<Outcome> {
    let start = Instant::now();
    let out = &options.out;
    output::check_writable(out)?;
    let _lock = output::Lock::acquire(out)?;
    output::remove_temporaries(out);
    let plans = plans(options.scale)?;
    let prepared = prepare(&plans)?;
    let jobs = jobs(&plans);
    let session = output::Session::begin(out)?;
    let plan = plan_json(options.scale);
    write_atomic(&out.join(PLAN_FILE), plan.as_bytes())?;
    let crc = saorsa_nn::crc32(plan.as_bytes());
    let mine = options.shard.unwrap_or(Shard::WHOLE).runs(&costs(&plans, &prepared, &jobs));
    if let Some(shard) = options.shard {
        let ids = mine.iter().map(|&k| run_id(&plans, jobs[k])).collect();
        ShardFile::new("claims", shard, ids).write(out)?;
    }
    let bar = indicatif::ProgressBar::new(mine.len() as u64);
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
    let outcomes = study::parallel_map(&mine, options.threads, |&k| -> Result<bool> {
        if study::stop_requested() {
            return Err(Error::Interrupted);
        }
        let kept = read_record(out, &plans, jobs[k], crc).is_ok();
        if !kept {
            let r = run_record(&plans, &prepared, jobs[k]);
            if study::stop_requested() {
                return Err(Error::Interrupted);
            }
            write_atomic(&record_path(out, &plans, jobs[k]), &record_bytes(&plans, &r, crc))?;
        }
        let _guard = done.lock().unwrap_or_else(|e| e.into_inner());
        bar.inc(1);
        Ok(!kept)
    });
    bar.finish_and_clear();
    if study::stop_requested() {
        return Err(Error::Interrupted);
    }
    let mut trained = 0;
    for o in outcomes {
        trained += usize::from(o?);
    }
    let train_seconds = start.elapsed().as_secs_f64();
    if let Some(shard) = options.shard {
        let partial = format!(
            "claims shard {shard}: {} runs ({trained} trained now) in {train_seconds:.1} s; results in {}.\nWhen every shard is done: harness merge --out DIR <every shard's folder>",
            mine.len(),
            out.display()
        );
        return Ok(Outcome {
            dir: out.clone(),
            results: Vec::new(),
            runs: mine.len(),
            trained,
            train_seconds,
            wall_seconds: start.elapsed().as_secs_f64(),
            partial: Some(partial),
        });
    }
    let results = finish(out, options.scale, &plans, &prepared, crc)?;
    // Records kept from an interrupted run were written by another process.
    let mut keep = BTreeMap::new();
    for &job in &jobs {
        let bytes = std::fs::read(record_path(out, &plans, job))
            .map_err(|e| Error::io(record_path(out, &plans, job), e))?;
        keep.insert(format!("runs/{}.csv", run_id(&plans, job)), output::Entry::of(&bytes));
    }
    session.finish(&keep)?;
    Ok(Outcome {
        dir: out.clone(),
        results,
        runs: jobs.len(),
        trained,
        train_seconds,
        wall_seconds: start.elapsed().as_secs_f64(),
        partial: None,
    })
}

/// Reads every run's record under `out` (in job order), draws the
/// verdicts and writes the claims' files.
fn finish(
    out: &Path,
    scale: Scale,
    plans: &[Plan],
    prepared: &[Vec<Prepared>],
    crc: u32,
) -> Result<Vec<analysis::ClaimResult>> {
    let records = jobs(plans)
        .into_iter()
        .map(|job| {
            read_record(out, plans, job, crc).map_err(|m| {
                Error::results(record_path(out, plans, job), format!("run {}: {m}", run_id(plans, job)))
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let table = analysis::Table::new(plans, prepared, &records);
    let analysed = analysis::analyse(&table);
    write::write_all(out, scale, &table, &analysed)?;
    Ok(analysed.into_iter().map(|(r, _)| r).collect())
}

/// `harness merge` of claims shards: the same `plan.json` in every folder,
/// every run finished in exactly one of them ([`shards::read_shards`],
/// [`shards::sources`]); writes the complete claims folder into `out`,
/// byte-identical to `harness claims` in one process.
pub fn merge(dirs: &[PathBuf], out: &Path) -> Result<crate::merge::Merged> {
    let (files, plan_json_bytes) = shards::read_shards(dirs, "claims", PLAN_FILE, "claims runs")?;
    let scale = [Scale::Full, Scale::Extended, Scale::Quick, Scale::Tiny]
        .into_iter()
        .find(|s| plan_json(*s).as_bytes() == plan_json_bytes.as_slice())
        .ok_or_else(|| Error::results(dirs[0].join(PLAN_FILE), "not a plan of this harness"))?;
    let crc = saorsa_nn::crc32(&plan_json_bytes);
    let plans = plans(scale)?;
    let jobs = jobs(&plans);
    let ids: Vec<String> = jobs.iter().map(|&j| run_id(&plans, j)).collect();
    let source =
        shards::sources(dirs, &files, &ids, |k, dir| read_record(dir, &plans, jobs[k], crc).map(drop))?;
    output::check_writable(out)?;
    let _lock = output::Lock::acquire(out)?;
    output::remove_temporaries(out);
    let prepared = prepare(&plans)?;
    let session = output::Session::begin(out)?;
    write_atomic(&out.join(PLAN_FILE), &plan_json_bytes)?;
    for (&job, &k) in jobs.iter().zip(&source) {
        if study::stop_requested() {
            return Err(Error::Interrupted);
        }
        shards::copy_file(&record_path(&dirs[k], &plans, job), &record_path(out, &plans, job))?;
    }
    let results = finish(out, scale, &plans, &prepared, crc)?;
    session.finish(&Default::default())?;
    let mut text = format!("Runs by shard:\n{}", shards::provenance(dirs, &files, &source));
    text.push_str(&write::verdict_table(&results));
    text.push_str(&format!("Claims: {}\n", out.join("claims.html").display()));
    Ok(crate::merge::Merged { text })
}

/// The display name of an initializer spec given by machine name.
pub fn display(name: &str) -> String {
    InitSpec::parse(name).map(|s| s.display_name()).unwrap_or_else(|_| name.to_string())
}
