//! `harness merge`: puts the folders of a sweep's shards together ([`crate::shard`]) into one
//! results folder, byte-identical to the same study (or `claims` run) in one process.

use crate::error::{Error, Result};
use crate::folder::quote_path;
use crate::layout;
use crate::report::Drawing;
use crate::shard::ShardFile;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// What a merge did.
#[derive(Debug)]
pub struct Merged {
    /// What to print: where each run came from, and the study's summary or the claims' verdicts.
    pub text: String,
    /// A study's figures and files its report did not write, and why.
    pub skipped: Vec<crate::report::Skipped>,
}

/// Checks the shard folders `dirs` and writes the complete results into `out` (not one of
/// them; a folder of other results only with `force`), drawing a study's figures as `drawing`
/// says, with `threads` threads for figure 6's retraining (results do not depend on it).
///
/// # Errors
/// A folder that is not a shard, shards of different studies or harness versions, runs
/// missing, unfinished or in two shards; `out` among the shards or in use.
pub fn merge(dirs: &[PathBuf], out: &Path, threads: usize, drawing: Drawing, force: bool) -> Result<Merged> {
    if dirs.is_empty() {
        return Err(Error::config("shards", "give the folders of the shards to merge"));
    }
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    };
    for (k, d) in dirs.iter().enumerate() {
        if same(d, out) {
            return Err(Error::config(
                "out",
                format!("{} is one of the shards: merge into a new folder", quote_path(out)),
            ));
        }
        if dirs[..k].iter().any(|e| same(d, e)) {
            return Err(Error::config("shards", format!("{} is given twice", quote_path(d))));
        }
    }
    let kind = ShardFile::read(&dirs[0])?.kind;
    let mut skipped = Vec::new();
    let text = match kind.as_str() {
        "study" => {
            let (provenance, finished) = crate::pipeline::merge(dirs, out, drawing, threads, force)?;
            let mut text = format!("Runs by shard:\n{provenance}");
            for w in &finished.warnings {
                let _ = writeln!(text, "{w}");
            }
            let _ = writeln!(text, "{}", finished.summary.table());
            text.push_str(&finished.summary.spread_text());
            let _ = writeln!(text, "Report: {}", finished.report.display());
            skipped = finished.skipped;
            text
        }
        "claims" => crate::claims::merge(dirs, out, force)?,
        other => {
            return Err(Error::results(
                dirs[0].join(layout::SHARD),
                format!("unknown kind `{}`", crate::error::quote(other)),
            ));
        }
    };
    Ok(Merged { text, skipped })
}
