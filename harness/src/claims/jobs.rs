//! The runs of every claim's experiment as the sweep engine's jobs
//! ([`ClaimsJobs`]): a registry's plans at one scale, each run's record,
//! and the verdicts drawn from the records.

use super::boundary::near_data;
use super::plans::{Plan, Prepared, prepare};
use super::runs::{Counts, Extras, Job, LayerRecord, RunRecord, jobs, run_record_with};
use super::{Registry, Scale, Settled, analysis, v2, write};
use crate::error::{Error, Result};
use crate::folder::Folder;
use crate::layout;
use crate::output::write_atomic;
use crate::record::{Record, RecordWriter};
use crate::shard as shards;
use crate::study;
use crate::sweep::Jobs;
use std::path::Path;

/// The runs of every claim's experiment at one scale, as the sweep engine's jobs: plan → level
/// → initializer → seed order; a run's id is `<plan>/<level>/<init>/seed-<k>` (levels counted
/// from 0), its record `runs/<id>.csv` ([`layout::claims_record`]).
#[derive(Debug)]
pub struct ClaimsJobs {
    registry: Registry,
    scale: Scale,
    plans: Vec<Plan>,
    prepared: Vec<Vec<Prepared>>,
    jobs: Vec<Job>,
    /// The CRC-32 of `plan.json`.
    identity: u32,
    /// Version 2: the grid points near the base plan's data (its boundary claim).
    near_data: Option<Vec<bool>>,
}

impl ClaimsJobs {
    /// The runs of `scale` under the default registry ([`Registry::default`], version 2).
    ///
    /// # Errors
    /// A plan that cannot be built (none at the registered scales).
    pub fn new(scale: Scale) -> Result<ClaimsJobs> {
        Self::with_registry(Registry::default(), scale)
    }

    /// The runs of `scale` under `registry`: its plans and every level's data.
    ///
    /// # Errors
    /// A plan that cannot be built (none at the registered scales).
    pub fn with_registry(registry: Registry, scale: Scale) -> Result<ClaimsJobs> {
        let plans = registry.plans(scale)?;
        let prepared = prepare(&plans)?;
        let jobs = jobs(&plans);
        let identity = saorsa_nn::crc32(registry.plan_json(scale).as_bytes());
        let near_data = match registry {
            Registry::V1 => None,
            Registry::V2 => plans
                .iter()
                .position(|p| p.id == "base")
                .map(|p| near_data(&prepared[p][0].splits, v2::registry::BOUNDARY_NEAR_DATA)),
        };
        Ok(ClaimsJobs { registry, scale, plans, prepared, jobs, identity, near_data })
    }

    /// The registry and scale whose `plan.json` is `bytes`.
    ///
    /// # Errors
    /// When no scale of any registry of this harness has that plan.
    pub fn plan_of(bytes: &[u8], path: &Path) -> Result<(Registry, Scale)> {
        Registry::ALL
            .into_iter()
            .flat_map(|r| [Scale::Full, Scale::Extended, Scale::Quick, Scale::Tiny].map(|s| (r, s)))
            .find(|(r, s)| r.plan_json(*s).as_bytes() == bytes)
            .ok_or_else(|| Error::results(path, "not a plan of this harness"))
    }

    /// The registry tested.
    pub fn registry(&self) -> Registry {
        self.registry
    }

    /// The scale run.
    pub fn scale(&self) -> Scale {
        self.scale
    }

    /// `plan.json`.
    pub fn plan_json(&self) -> String {
        self.registry.plan_json(self.scale)
    }

    /// Job `k`'s record, relative to the folder: `runs/<id>.csv`.
    pub(super) fn record_rel(&self, k: usize) -> String {
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
        let (counts, boundary_in_data, layers) = match self.registry {
            Registry::V1 => (None, None, None),
            Registry::V2 => (
                Some(Counts {
                    n_train: r.one("n_train")?,
                    n_val: r.one("n_val")?,
                    train_correct: r.parsed("train_correct")?,
                    final_train_correct: r.one("final_train_correct")?,
                    final_val_correct: r.one("final_val_correct")?,
                }),
                r.optional("boundary_in_data")?,
                read_layers(&r)?,
            ),
        };
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
            counts,
            boundary_in_data,
            layers,
        })
    }

    /// A run's record ([`crate::record`]): version 1's rows, then version 2's.
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
        if let Some(c) = &r.counts {
            w.row("n_train", [c.n_train]);
            w.row("n_val", [c.n_val]);
            w.row("train_correct", &c.train_correct);
            w.row("final_train_correct", [c.final_train_correct]);
            w.row("final_val_correct", [c.final_val_correct]);
            w.row("boundary_in_data", r.boundary_in_data);
        }
        if let Some(l) = &r.layers {
            w.row("pre_sd_init", &l.pre_sd_init);
            w.row("act_sd_init", &l.act_sd_init);
            for (k, g) in l.grad_norm_early.iter().enumerate() {
                w.row(&format!("grad_norm_early_{}", k + 1), g);
            }
        }
        w.finish()
    }

    /// Reads every run's record from the folder (in job order), draws the verdicts and writes
    /// the claims' files.
    pub(super) fn finish(&self, folder: &Folder) -> Result<Settled> {
        let out = folder.dir();
        let records = (0..self.jobs.len())
            .map(|k| {
                self.read(out, k).map_err(|m| {
                    Error::results(out.join(self.record_rel(k)), format!("run {}: {m}", self.id(k)))
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let table = analysis::Table::new(&self.plans, &self.prepared, &records);
        match self.registry {
            Registry::V1 => {
                let analysed = analysis::analyse(&table);
                write::write_all(folder, self.scale, &table, &analysed)?;
                let results: Vec<analysis::ClaimResult> = analysed.into_iter().map(|(r, _)| r).collect();
                Ok(Settled::of_v1(&results))
            }
            Registry::V2 => v2::finish(folder, self.scale, &table),
        }
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
        let v2 = self.registry == Registry::V2;
        let extras = Extras { counts: v2, near_data: self.near_data.as_deref(), layer_stats: v2 };
        let r = run_record_with(&self.plans, &self.prepared, self.jobs[k], extras);
        if study::stop_requested() {
            return Err(Error::Interrupted);
        }
        write_atomic(&dir.join(self.record_rel(k)), &self.record_bytes(k, &r))
    }
}

/// A version-2 record's per-layer statistics, `None` when it has none.
fn read_layers(r: &Record) -> std::result::Result<Option<LayerRecord>, String> {
    let Some(pre) = r.values("pre_sd_init") else { return Ok(None) };
    let layers = pre.len();
    if layers > saorsa_nn::shape::MAX_LAYERS {
        return Err(format!("{layers} layers (at most {})", saorsa_nn::shape::MAX_LAYERS));
    }
    let record = LayerRecord {
        pre_sd_init: r.parsed("pre_sd_init")?,
        act_sd_init: r.parsed("act_sd_init")?,
        grad_norm_early: (1..=layers)
            .map(|k| r.parsed(&format!("grad_norm_early_{k}")))
            .collect::<std::result::Result<_, _>>()?,
    };
    if record.act_sd_init.len() != layers {
        return Err("per-layer statistics of different lengths".into());
    }
    Ok(Some(record))
}
