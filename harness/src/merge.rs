//! `harness merge`: puts the folders of a sweep's shards together
//! ([`crate::shard`]) into one results folder, byte-identical to the same
//! study (or `claims` run) in one process.

use crate::error::{Error, Result};
use crate::output;
use crate::report::ReportOptions;
use crate::shard::ShardFile;
use crate::sweep;
use std::path::{Path, PathBuf};

/// What a merge did.
#[derive(Debug)]
pub struct Merged {
    /// What to print: where each run came from, and the study's summary or
    /// the claims' verdicts.
    pub text: String,
}

/// Checks the shard folders `dirs` and writes the complete results into
/// `out` (not one of them), with `threads` threads for figure 6's
/// retraining (results do not depend on it).
///
/// # Errors
/// A folder that is not a shard, shards of different studies or harness
/// versions, runs missing, unfinished or in two shards; `out` among the
/// shards or in use.
pub fn merge(dirs: &[PathBuf], out: &Path, threads: usize, options: &ReportOptions) -> Result<Merged> {
    if dirs.is_empty() {
        return Err(Error::config("study", "give the folders of the shards to merge"));
    }
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    };
    for (k, d) in dirs.iter().enumerate() {
        if same(d, out) {
            return Err(Error::config(
                "study",
                format!("--out {} is one of the shards: merge into a new folder", out.display()),
            ));
        }
        if dirs[..k].iter().any(|e| same(d, e)) {
            return Err(Error::config("study", format!("{} is given twice", d.display())));
        }
    }
    let kind = ShardFile::read(&dirs[0])?.kind;
    match kind.as_str() {
        "study" => merge_study(dirs, out, threads, options),
        "claims" => crate::claims::merge(dirs, out),
        other => {
            Err(Error::results(dirs[0].join(crate::shard::SHARD_FILE), format!("unknown kind `{other}`")))
        }
    }
}

fn merge_study(dirs: &[PathBuf], out: &Path, threads: usize, options: &ReportOptions) -> Result<Merged> {
    let (config, source, provenance) = sweep::check_shards(dirs)?;
    // The report reads every run's curves back: the same bound as one process.
    let threads = crate::study::check_size(&config, threads)?;
    output::check_writable(out)?;
    let _lock = output::Lock::acquire(out)?;
    output::check_paths(out, &crate::results::planned_files(&config))?;
    output::remove_temporaries(out);
    let session = output::Session::begin(out)?;
    sweep::copy_runs(dirs, &config, &source, out)?;
    let finished = sweep::finish(out, threads, options)?;
    session.finish(&Default::default())?;
    let mut text = format!("Runs by shard:\n{provenance}");
    for w in &finished.warnings {
        text.push_str(w);
        text.push('\n');
    }
    text.push_str(&finished.summary.table());
    text.push('\n');
    text.push_str(&finished.summary.spread_text());
    text.push_str(&format!("Report: {}\n", finished.report.display()));
    Ok(Merged { text })
}
