//! `harness claims`: every checkable claim of the paper as a pre-registered
//! experiment with a paired statistic and a verdict.
//!
//! Two registrations of the claims exist ([`Registry`]). **Version 1**
//! ([`registry::CLAIMS`], analysed by [`analysis`]) is kept exactly as it was
//! registered: `harness claims --registry v1` writes the files it always
//! wrote. **Version 2** ([`v2`], the default) is the second registration,
//! written after an independent review of version 1 and before any run of
//! it, on fresh seeds; its changes are listed in `v2/CHANGES.md`.
//!
//! Each registry holds each claim's quote, section, experiment, primary
//! test and decision rule; [`plans`] (or [`v2::plans`]) turns a [`Scale`]
//! into the experiments (each a list of [`StudyConfig`](crate::config::StudyConfig)s, one per
//! level of its factor); [`run`] trains every (plan, level, initializer,
//! seed) run in parallel through [`crate::study::run_one`], keeps a compact record
//! of each ([`RunRecord`]), computes the verdicts and writes `runs.csv`,
//! `epochs.csv`, `claims.json`, `claims.md`, one figure per claim and
//! `claims.html` ([`mod@write`]). Every file is a pure function of the
//! registry and the scale: byte-identical for any thread count.

pub mod analysis;
mod boundary;
mod jobs;
mod plans;
pub mod registry;
mod runs;
pub mod v2;
pub mod write;

use crate::error::{Error, Result};
use crate::folder::Folder;
use crate::inits::InitSpec;
use crate::layout;
use crate::output::write_atomic;
use crate::shard::Shard;

use crate::sweep::{self, Jobs};
pub use boundary::{boundary_length, boundary_length_where, near_data};
pub use jobs::ClaimsJobs;
pub use plans::{Level, Plan, Prepared, plans, prepare};
pub use registry::Scale;
pub use runs::{Counts, Job, LAYER_EPOCHS, LayerRecord, RunRecord, jobs, run_record};
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

/// Which registration of the claims a run tests. A folder of one registry
/// is another study to the other (their `plan.json` differ).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Registry {
    /// The first registration, kept exactly as registered: its files byte for byte as it
    /// always wrote them.
    V1,
    /// The second registration (the default): seed-respecting sweeps, exact one-sided tests,
    /// measures that match each sentence, fresh seeds, and the mechanism claims.
    #[default]
    V2,
}

impl Registry {
    /// Every registry, oldest first.
    pub const ALL: [Registry; 2] = [Registry::V1, Registry::V2];

    /// The machine name: `v1`, `v2`.
    pub fn name(self) -> &'static str {
        match self {
            Registry::V1 => "v1",
            Registry::V2 => "v2",
        }
    }

    /// The registry named `name` (`v1`, `v2`).
    pub fn parse(name: &str) -> Option<Registry> {
        Registry::ALL.into_iter().find(|r| r.name() == name)
    }

    /// The experiments of `scale` under this registry.
    ///
    /// # Errors
    /// A plan that cannot be built (none at the registered scales).
    pub fn plans(self, scale: Scale) -> Result<Vec<Plan>> {
        match self {
            Registry::V1 => plans(scale),
            Registry::V2 => v2::plans(scale),
        }
    }

    /// `plan.json` of `scale` under this registry (the identity of its folder and records).
    pub fn plan_json(self, scale: Scale) -> String {
        match self {
            Registry::V1 => plan_json(scale),
            Registry::V2 => v2::plan_json(scale),
        }
    }
}

/// One claim's verdict, as a run reports it.
#[derive(Clone, Debug, PartialEq)]
pub struct Decided {
    /// The claim's id.
    pub id: &'static str,
    /// Its verdict.
    pub verdict: analysis::Verdict,
    /// Its primary p before correction.
    pub p: f64,
    /// Holm-adjusted.
    pub p_holm: f64,
}

/// Every claim's verdict and the verdict table (Markdown).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Settled {
    /// Every claim's verdict, in registry order.
    pub results: Vec<Decided>,
    /// The verdict table.
    pub table: String,
}

impl Settled {
    /// Version 1's verdicts.
    fn of_v1(results: &[analysis::ClaimResult]) -> Settled {
        Settled {
            results: results
                .iter()
                .map(|r| Decided { id: r.claim.id, verdict: r.verdict, p: r.p, p_holm: r.p_holm })
                .collect(),
            table: write::verdict_table(results),
        }
    }
}

/// What a claims run produced.
#[derive(Debug)]
pub struct Outcome {
    /// The output folder.
    pub dir: PathBuf,
    /// Every claim's verdict, in registry order (empty for a shard).
    pub results: Vec<Decided>,
    /// The verdict table as Markdown (empty for a shard).
    pub table: String,
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
        self.table.clone()
    }
}

/// `plan.json` of a scale under registry version 1: the scale, its levels and the harness
/// version.
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

/// Runs every claim's experiment (`jobs`; or the runs of `options.shard`) and writes the
/// results under `options.out`. Runs already finished there (an interrupted run) are kept, not
/// retrained.
///
/// # Errors
/// On Ctrl-C ([`crate::study::request_stop`]): [`Error::Interrupted`] for a shard (its finished runs
/// stay in its folder), [`Error::Stopped`] for the whole run (they stay in the staging folder
/// beside it, and the folder is as it was).
pub fn run(jobs: &ClaimsJobs, options: &Options) -> Result<Outcome> {
    let start = Instant::now();
    let out = &options.out;
    let mut folder = Folder::open(out, &[])?;
    let plan = jobs.plan_json();
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
            table: String::new(),
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
    let settled = jobs.finish(&staged).map_err(stopped)?;
    // Records kept from an interrupted run were written by another process.
    let keep = sweep::entries(&store, jobs)?;
    folder.install(staged, &keep)?;
    Ok(Outcome {
        dir: out.clone(),
        results: settled.results,
        table: settled.table,
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
    let (registry, scale) = ClaimsJobs::plan_of(&plan_bytes, &plan_path)?;
    let jobs = ClaimsJobs::with_registry(registry, scale)?;
    let (source, provenance) = sweep::sources(dirs, &jobs, layout::PLAN)?;
    let folder = Folder::open(out, &[])?;
    folder.check_replaces(layout::PLAN, &plan_bytes, force)?;
    // Written beside the folder and swapped in: old-or-new.
    let staged = folder.stage("merging")?;
    staged.write(layout::PLAN, &plan_bytes)?;
    sweep::copy(dirs, &jobs, &source, &staged)?;
    let settled = jobs.finish(&staged)?;
    folder.install(staged, &Default::default())?;
    let mut text = format!("Runs by shard:\n{provenance}");
    text.push_str(&settled.table);
    text.push_str(&format!("Claims: {}\n", out.join(layout::CLAIMS_HTML).display()));
    Ok(text)
}

/// The display name of an initializer spec given by machine name.
pub fn display(name: &str) -> String {
    InitSpec::parse(name).map(|s| s.display_name()).unwrap_or_else(|_| name.to_string())
}
