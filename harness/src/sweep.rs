//! The sweep engine: runs any list of independent jobs into a folder — in parallel, resumable,
//! shardable ([`crate::shard`]) — and finds a sweep's finished jobs among shard folders for a
//! merge. It knows nothing of what a job computes, nor of tables, figures or verdicts.
//!
//! **A job is final when its record is.** A job writes its files and then its record
//! ([`crate::record`]) last, each atomically. A job whose record is missing, damaged, of another
//! run or another sweep (its identity: the CRC-32 of `config.json` or `plan.json`), or whose
//! other files differ from what the record says, is run again; any other is kept (**resume**:
//! rerunning an interrupted sweep or shard runs only what is missing). Nothing of a finished
//! job stays in memory.
//!
//! The two kinds of job are a study's runs ([`crate::jobs::StudyJobs`]) and the claims' runs
//! ([`crate::claims::ClaimsJobs`]).

use crate::error::{Error, Result};
use crate::folder::{Entry, Folder};
use crate::shard::{self, Shard, ShardFile};
use crate::study;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A sweep's jobs, in their fixed order; every method is a pure function of the sweep.
pub trait Jobs: Sync {
    /// The sweep's kind, as `shard.json` names it: `study` or `claims`.
    fn kind(&self) -> &'static str;
    /// Number of jobs.
    fn len(&self) -> usize;
    /// Whether there are none.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Job `k`'s id, unique in the sweep (`shard.json` lists them).
    fn id(&self, k: usize) -> String;
    /// Job `k`'s expected cost ([`shard::run_cost`]), for sharding.
    fn cost(&self, k: usize) -> u64;
    /// Job `k`'s files relative to the folder, in the order they are written: its record last.
    fn files(&self, k: usize) -> Vec<String>;
    /// Whether job `k` is finished in `dir`.
    ///
    /// # Errors
    /// A message saying why not.
    fn done(&self, dir: &Path, k: usize) -> std::result::Result<(), String>;
    /// Runs job `k` and writes its files into `dir` (atomically, the record last).
    ///
    /// # Errors
    /// A write error, or [`Error::Interrupted`].
    fn run(&self, dir: &Path, k: usize) -> Result<()>;
}

/// What [`run`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Trained {
    /// Jobs run now.
    pub trained: usize,
    /// Jobs found finished (resumed) and kept.
    pub kept: usize,
}

/// The jobs of `shard` (all of them without one), in order.
pub fn mine(jobs: &dyn Jobs, shard: Option<Shard>) -> Vec<usize> {
    let costs: Vec<u64> = (0..jobs.len()).map(|k| jobs.cost(k)).collect();
    shard.unwrap_or(Shard::WHOLE).runs(&costs)
}

/// Runs the jobs of `shard` (all of them without one; a shard writes [`crate::layout::SHARD`]
/// first) into `dir`, skipping those finished there, on `threads` threads. `progress` is called
/// once per job, run or kept. Results do not depend on `threads`.
///
/// # Errors
/// [`Error::Interrupted`] once [`study::request_stop`] was called (jobs stop at their next
/// epoch; finished ones stay on disk); the first write error.
pub fn run(
    dir: &Path,
    jobs: &dyn Jobs,
    shard: Option<Shard>,
    threads: usize,
    progress: &(dyn Fn() + Sync),
) -> Result<Trained> {
    let mine = mine(jobs, shard);
    if let Some(shard) = shard {
        ShardFile::new(jobs.kind(), shard, mine.iter().map(|&k| jobs.id(k)).collect()).write(dir)?;
    }
    let outcomes = study::parallel_map(&mine, threads, |&k| -> Result<bool> {
        if study::stop_requested() {
            return Err(Error::Interrupted);
        }
        let kept = jobs.done(dir, k).is_ok();
        if !kept {
            jobs.run(dir, k)?;
        }
        progress();
        Ok(!kept)
    });
    if study::stop_requested() {
        return Err(Error::Interrupted);
    }
    let mut done = Trained::default();
    for o in outcomes {
        if o? {
            done.trained += 1;
        } else {
            done.kept += 1;
        }
    }
    Ok(done)
}

/// The shard folder (an index into `dirs`) each job comes from, checked: every folder a shard
/// of `jobs`' kind with the same `identity` file (`config.json`, `plan.json`) byte for byte,
/// every job listed by exactly one shard and finished there. Also one line per shard: how many
/// jobs it gave.
///
/// # Errors
/// Naming the folders that are not shards of this sweep, and the jobs missing, unfinished or
/// duplicated.
pub fn sources(dirs: &[PathBuf], jobs: &dyn Jobs, identity: &str) -> Result<(Vec<usize>, String)> {
    let (files, _) = shard::read_shards(dirs, jobs.kind(), identity)?;
    let ids: Vec<String> = (0..jobs.len()).map(|k| jobs.id(k)).collect();
    let source = shard::sources(dirs, &files, &ids, |k, dir| jobs.done(dir, k))?;
    let provenance = shard::provenance(dirs, &files, &source);
    Ok((source, provenance))
}

/// Copies every job's files from the shard folder [`sources`] chose into `folder`.
///
/// # Errors
/// A read or write error; [`Error::Interrupted`].
pub fn copy(dirs: &[PathBuf], jobs: &dyn Jobs, source: &[usize], folder: &Folder) -> Result<()> {
    for (k, &from) in source.iter().enumerate() {
        if study::stop_requested() {
            return Err(Error::Interrupted);
        }
        for name in jobs.files(k) {
            let path = dirs[from].join(&name);
            let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
            folder.write(&name, &bytes)?;
        }
    }
    Ok(())
}

/// The manifest entries of every job's files in `dir` (for [`Folder::commit`]'s `keep`): jobs
/// a resumed sweep found finished were written by another process.
///
/// # Errors
/// A file that cannot be read.
pub fn entries(dir: &Path, jobs: &dyn Jobs) -> Result<BTreeMap<String, Entry>> {
    let mut entries = BTreeMap::new();
    for k in 0..jobs.len() {
        for name in jobs.files(k) {
            let path = dir.join(&name);
            let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
            entries.insert(name, Entry::of(&bytes));
        }
    }
    Ok(entries)
}
