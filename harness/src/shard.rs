//! Shards: a study (or `claims`) is a list of independent runs in a fixed,
//! documented order; `--shard I/N` trains only shard I's runs, so that N
//! processes — the tasks of a Slurm job array, the pods of a Kubernetes
//! Indexed Job — share a sweep, and `harness merge` puts their folders
//! together.
//!
//! **Assignment.** Each run has an expected cost ([`run_cost`]). Runs are
//! taken from the most to the least costly (ties in run order) and each goes
//! to the shard with the least cost so far (ties to the lowest index): the
//! longest-processing-time rule, which keeps every shard within 4/3 of the
//! best possible balance. When every run costs the same it deals them out
//! in turn (run k to shard k mod N). The assignment depends only on the
//! runs' costs and N, so every task computes the same one on its own.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One shard of N: shard `index` (from 0) of `count`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// This shard, from 0.
    pub index: usize,
    /// How many shards share the runs.
    pub count: usize,
}

/// The most shards a sweep may be split into.
pub const MAX_SHARDS: usize = 1_000_000;

impl Shard {
    /// The whole sweep in one process.
    pub const WHOLE: Shard = Shard { index: 0, count: 1 };

    /// Parses `I/N` (0 ≤ I < N), `auto` (Slurm job arrays:
    /// I = `SLURM_ARRAY_TASK_ID` − `SLURM_ARRAY_TASK_MIN`, N =
    /// `SLURM_ARRAY_TASK_COUNT`) or `auto/N` (Kubernetes Indexed Jobs: I =
    /// `JOB_COMPLETION_INDEX`, or Slurm's when that is unset). `env` reads
    /// an environment variable.
    ///
    /// # Errors
    /// A message (without the flag's name) when the text or the
    /// environment does not give a valid shard.
    pub fn parse(text: &str, env: &dyn Fn(&str) -> Option<String>) -> std::result::Result<Shard, String> {
        let number = |what: &str, s: &str| -> std::result::Result<usize, String> {
            s.trim()
                .parse::<usize>()
                .map_err(|_| format!("{what} `{}` is not a whole number", crate::error::quote(s)))
        };
        let var = |name: &str| -> std::result::Result<Option<usize>, String> {
            env(name).map(|v| number(name, &v)).transpose()
        };
        let slurm = || -> std::result::Result<Option<(usize, usize)>, String> {
            let (Some(id), Some(count)) = (var("SLURM_ARRAY_TASK_ID")?, var("SLURM_ARRAY_TASK_COUNT")?)
            else {
                return Ok(None);
            };
            let min = var("SLURM_ARRAY_TASK_MIN")?.unwrap_or(0);
            let index = id
                .checked_sub(min)
                .ok_or_else(|| format!("SLURM_ARRAY_TASK_ID {id} is below SLURM_ARRAY_TASK_MIN {min}"))?;
            Ok(Some((index, count)))
        };
        let (index, count) = match text.trim() {
            "auto" => slurm()?.ok_or(
                "`auto` needs a Slurm job array (SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT are not set); on Kubernetes give the count: auto/N",
            )?,
            t => {
                let (i, n) = t.split_once('/').ok_or_else(|| {
                    format!("`{}`: expected I/N (e.g. 0/4), auto or auto/N", crate::error::quote(t))
                })?;
                let n = number("the shard count", n)?;
                if i.trim() == "auto" {
                    match var("JOB_COMPLETION_INDEX")? {
                        Some(i) => (i, n),
                        None => match slurm()? {
                            Some((i, count)) if count == n => (i, n),
                            Some((_, count)) => {
                                return Err(format!(
                                    "auto/{n}, but the Slurm job array has {count} tasks"
                                ));
                            }
                            None => {
                                return Err(format!(
                                    "auto/{n} needs JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) or a Slurm job array; neither is set"
                                ));
                            }
                        },
                    }
                } else {
                    (number("the shard index", i)?, n)
                }
            }
        };
        if count == 0 || count > MAX_SHARDS {
            return Err(format!("{count} shards: give 1 to {MAX_SHARDS}"));
        }
        if index >= count {
            return Err(format!(
                "shard {index} of {count}: shards count from 0, so the index must be below {count}"
            ));
        }
        Ok(Shard { index, count })
    }

    /// The runs (indices into `costs`, in run order) of this shard.
    pub fn runs(&self, costs: &[u64]) -> Vec<usize> {
        let owner = assign(costs, self.count);
        (0..costs.len()).filter(|&k| owner[k] == self.index).collect()
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// The shard (from 0) of every run, by the longest-processing-time rule
/// (see the module's documentation).
pub fn assign(costs: &[u64], count: usize) -> Vec<usize> {
    let count = count.max(1);
    let mut order: Vec<usize> = (0..costs.len()).collect();
    order.sort_by(|&a, &b| costs[b].cmp(&costs[a]).then(a.cmp(&b)));
    // Loads as (cost, shard) in a min-heap: the least loaded, lowest shard first.
    let mut heap: std::collections::BinaryHeap<std::cmp::Reverse<(u128, usize)>> =
        (0..count.min(costs.len().max(1))).map(|s| std::cmp::Reverse((0, s))).collect();
    let mut owner = vec![0; costs.len()];
    for k in order {
        let std::cmp::Reverse((load, s)) = heap.pop().expect("at least one shard");
        owner[k] = s;
        heap.push(std::cmp::Reverse((load + u128::from(costs[k]), s)));
    }
    owner
}

/// The expected cost of a run: epochs × samples (training and validation) ×
/// parameters — proportional to its floating-point operations, which for
/// dense layers are about 6 per parameter and training sample (forward and
/// backward) and 2 per parameter and validation sample.
pub fn run_cost(epochs: usize, train_samples: usize, val_samples: usize, parameters: usize) -> u64 {
    let per_epoch = (3 * train_samples as u128 + val_samples as u128) * parameters as u128;
    u64::try_from(per_epoch * epochs as u128).unwrap_or(u64::MAX)
}

/// The name of a shard's file.
pub const SHARD_FILE: &str = crate::layout::SHARD;

/// The most bytes a shard's `shard.json` may have (a million run ids of 100 bytes).
pub const MAX_SHARD_FILE_BYTES: u64 = 128 << 20;

/// The most bytes a sweep's identity file (`config.json`, `plan.json`) may have.
const MAX_IDENTITY_BYTES: u64 = crate::config_file::MAX_CONFIG_BYTES;

/// `shard.json`: written into a shard's folder before its first run; lists
/// the runs the shard owns. A run is done when its record is there and
/// whole ([`crate::record`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardFile {
    /// The file's format version (1).
    pub schema_version: u32,
    /// `study` or `claims`.
    pub kind: String,
    /// The harness's version.
    pub harness_version: String,
    /// This shard, from 0.
    pub shard: usize,
    /// Of how many.
    pub of: usize,
    /// The runs of this shard (their ids, in run order).
    pub runs: Vec<String>,
}

impl ShardFile {
    /// The file of shard `shard` of a `kind` sweep owning `runs`.
    pub fn new(kind: &str, shard: Shard, runs: Vec<String>) -> ShardFile {
        ShardFile {
            schema_version: 1,
            kind: kind.into(),
            harness_version: env!("CARGO_PKG_VERSION").into(),
            shard: shard.index,
            of: shard.count,
            runs,
        }
    }

    /// Reads `dir/shard.json`.
    ///
    /// # Errors
    /// When it is missing, malformed or from another harness version.
    pub fn read(dir: &std::path::Path) -> Result<ShardFile> {
        let path = dir.join(SHARD_FILE);
        if !path.exists() {
            return Err(Error::results(&path, "missing: not a shard's folder (one made by a sharded run)"));
        }
        let bytes = crate::output::read_bounded(&path, MAX_SHARD_FILE_BYTES)?;
        let file: ShardFile =
            serde_json::from_slice(&bytes).map_err(|e| Error::results(&path, e.to_string()))?;
        if file.schema_version != 1 {
            return Err(Error::results(
                &path,
                format!("schema_version {} (this harness reads 1)", file.schema_version),
            ));
        }
        if file.harness_version != env!("CARGO_PKG_VERSION") {
            return Err(Error::results(
                &path,
                format!(
                    "written by harness {}, this is {}: merge with the version that ran the shards",
                    file.harness_version,
                    env!("CARGO_PKG_VERSION")
                ),
            ));
        }
        Ok(file)
    }

    /// Writes it into `dir` (atomically).
    ///
    /// # Errors
    /// When it cannot be written.
    pub fn write(&self, dir: &std::path::Path) -> Result<()> {
        let json = serde_json::to_string_pretty(self).expect("plain data") + "\n";
        crate::output::write_atomic(&dir.join(SHARD_FILE), json.as_bytes())
    }
}

/// Reads the `shard.json` of every folder in `dirs` and checks that they
/// hold one sweep of `kind`: every shard of that kind, and the same
/// `identity` file (`config.json`, `plan.json`) in each, byte for byte.
/// Returns the shard files and the identity's bytes.
///
/// # Errors
/// A folder that is not a shard, a shard of another kind or harness
/// version, an identity file that differs.
pub fn read_shards(dirs: &[PathBuf], kind: &str, identity: &str) -> Result<(Vec<ShardFile>, Vec<u8>)> {
    let plural = if kind == "study" { "studies" } else { "claims runs" };
    let files = dirs.iter().map(|d| ShardFile::read(d)).collect::<Result<Vec<_>>>()?;
    let read = |d: &Path| crate::output::read_bounded(&d.join(identity), MAX_IDENTITY_BYTES);
    let first = read(&dirs[0])?;
    for (d, f) in dirs.iter().zip(&files) {
        if f.kind != kind {
            return Err(Error::results(
                d.join(SHARD_FILE),
                format!("a `{}` shard among {kind} shards", f.kind),
            ));
        }
        if read(d)? != first {
            return Err(Error::results(
                d.join(identity),
                format!(
                    "differs from {}: the shards are of different {plural}",
                    dirs[0].join(identity).display()
                ),
            ));
        }
    }
    Ok((files, first))
}

/// The folder (an index into `dirs`) each run of `ids` (in run order)
/// comes from: the one shard whose `shard.json` lists it, where it must be
/// done (`done(run, folder)`: why not).
///
/// # Errors
/// Naming the runs the shards list that are not the sweep's, and the runs
/// in more than one shard, in none, or not finished.
pub fn sources(
    dirs: &[PathBuf],
    files: &[ShardFile],
    ids: &[String],
    done: impl Fn(usize, &Path) -> std::result::Result<(), String>,
) -> Result<Vec<usize>> {
    let mut owners: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (k, f) in files.iter().enumerate() {
        for id in &f.runs {
            owners.entry(id.as_str()).or_default().push(k);
        }
    }
    let known: std::collections::HashSet<&str> = ids.iter().map(String::as_str).collect();
    let (mut missing, mut duplicated, mut unfinished, mut source) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (run, id) in ids.iter().enumerate() {
        match owners.get(id.as_str()).map(Vec::as_slice) {
            None | Some([]) => missing.push(id.clone()),
            Some([k]) => {
                if let Err(why) = done(run, &dirs[*k]) {
                    unfinished.push(format!("{id} in {} ({why})", dirs[*k].display()));
                }
                source.push(*k);
            }
            Some(ks) => duplicated.push(format!(
                "{id} (in {})",
                ks.iter().map(|&k| dirs[k].display().to_string()).collect::<Vec<_>>().join(" and ")
            )),
        }
    }
    let strangers: Vec<String> =
        owners.keys().filter(|id| !known.contains(*id)).map(|id| id.to_string()).collect();
    let fail = |what: String| Err(Error::results(&dirs[0], what));
    if !strangers.is_empty() {
        return fail(format!("shards list runs that are not the sweep's: {}", some(&strangers)));
    }
    if !duplicated.is_empty() {
        return fail(format!("{} runs are in more than one shard: {}", duplicated.len(), some(&duplicated)));
    }
    if !missing.is_empty() {
        return fail(format!(
            "{} of {} runs are in no shard given: {} (give every shard's folder)",
            missing.len(),
            ids.len(),
            some(&missing)
        ));
    }
    if !unfinished.is_empty() {
        return fail(format!(
            "{} runs are not finished: {} (rerun their shard: it resumes)",
            unfinished.len(),
            some(&unfinished)
        ));
    }
    Ok(source)
}

/// At most 10 run ids, then how many more.
fn some(ids: &[String]) -> String {
    let mut s = ids.iter().take(10).cloned().collect::<Vec<_>>().join(", ");
    if ids.len() > 10 {
        s.push_str(&format!(" and {} more", ids.len() - 10));
    }
    s
}

/// One line per shard folder: its shard (`I/N`) and how many runs it gave.
pub fn provenance(dirs: &[PathBuf], files: &[ShardFile], source: &[usize]) -> String {
    let mut counts = vec![0; dirs.len()];
    for &k in source {
        counts[k] += 1;
    }
    dirs.iter()
        .zip(files)
        .zip(counts)
        .map(|((d, f), n)| format!("  shard {}/{}: {n} runs from {}\n", f.shard, f.of, d.display()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let vars: Vec<(String, String)> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    }

    #[test]
    fn shards_parse_from_text_and_environment() {
        let none = env(&[]);
        assert_eq!(Shard::parse("2/7", &none), Ok(Shard { index: 2, count: 7 }));
        assert!(Shard::parse("7/7", &none).unwrap_err().contains("below 7"));
        assert!(Shard::parse("0/0", &none).is_err());
        assert!(Shard::parse("1", &none).is_err());
        assert!(Shard::parse("a/3", &none).is_err());
        assert!(Shard::parse("auto", &none).unwrap_err().contains("Slurm"));
        assert!(Shard::parse("auto/4", &none).unwrap_err().contains("JOB_COMPLETION_INDEX"));
        let slurm = env(&[
            ("SLURM_ARRAY_TASK_ID", "5"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
            ("SLURM_ARRAY_TASK_MIN", "2"),
        ]);
        assert_eq!(Shard::parse("auto", &slurm), Ok(Shard { index: 3, count: 4 }));
        assert_eq!(Shard::parse("auto/4", &slurm), Ok(Shard { index: 3, count: 4 }));
        assert!(Shard::parse("auto/5", &slurm).unwrap_err().contains("4 tasks"));
        let k8s = env(&[("JOB_COMPLETION_INDEX", "6")]);
        assert_eq!(Shard::parse("auto/8", &k8s), Ok(Shard { index: 6, count: 8 }));
        assert!(Shard::parse("auto/6", &k8s).is_err());
        assert!(
            Shard::parse("auto", &env(&[("SLURM_ARRAY_TASK_ID", "x"), ("SLURM_ARRAY_TASK_COUNT", "2")]))
                .is_err()
        );
    }

    #[test]
    fn the_assignment_is_balanced_and_covers_every_run_once() {
        // Equal costs: dealt out in turn.
        assert_eq!(assign(&[1; 7], 3), [0, 1, 2, 0, 1, 2, 0]);
        // A costly run gets a shard of its own.
        let costs = [8, 1, 1, 1, 1, 1, 1, 1, 1];
        let owner = assign(&costs, 2);
        assert_eq!(owner[0], 0);
        assert!(owner[1..].iter().all(|&s| s == 1));
        // Every run in exactly one shard, and the loads within 4/3 of the best.
        let costs: Vec<u64> = (0..97).map(|k| 1 + (k * 7919 % 16)).collect();
        for n in [1, 2, 3, 7, 50, 200] {
            let owner = assign(&costs, n);
            let mut load = vec![0u64; n];
            for (k, &s) in owner.iter().enumerate() {
                load[s] += costs[k];
            }
            let total: u64 = costs.iter().sum();
            let best = (total.div_ceil(n as u64)).max(*costs.iter().max().unwrap());
            assert!(*load.iter().max().unwrap() * 3 <= best * 4, "n = {n}: {load:?}");
            let mine: usize = (0..n).map(|i| Shard { index: i, count: n }.runs(&costs).len()).sum();
            assert_eq!(mine, costs.len());
        }
    }
}
