//! `harness merge`: puts the folders of a sweep's shards together ([`crate::shard`]) into one
//! results folder, byte-identical to the same study (or `claims` run) in one process.

use crate::error::{Error, Result};
use crate::folder::quote_path;
use crate::layout;
use crate::report::{self, Drawing, LossScale};
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

/// The drawing options a merge is given: each `None` when not given, to be taken from the shards.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Asked {
    /// Figure 6's colour scale: shared by every initializer (`true`) or one per initializer.
    pub shared_scale: Option<bool>,
    /// Figure 3b's y axis.
    pub loss_scale: Option<LossScale>,
}

/// How a study's merge draws: as its shards record (each shard's `figures.json`, written with
/// the drawing options it was run with), where `asked` does not say; the defaults where neither
/// does (shards from before shards recorded them).
///
/// # Errors
/// Shards that record different options (naming two of them), or an option in `asked` that
/// contradicts theirs: the merged figures would differ from the single process's.
pub fn shards_drawing(dirs: &[PathBuf], asked: Asked) -> Result<Drawing> {
    let mut recorded: Option<(&PathBuf, Drawing)> = None;
    for d in dirs {
        let Some(drawing) = report::recorded_drawing(d)? else { continue };
        match recorded {
            None => recorded = Some((d, drawing)),
            Some((first, theirs)) if theirs != drawing => {
                return Err(Error::config(
                    "shards",
                    format!(
                        "{} records {} and {} records {} (their {}): the shards were run with different drawing options; run the wrong ones again with the others' options (their finished runs are kept)",
                        quote_path(first),
                        describe(theirs),
                        quote_path(d),
                        describe(drawing),
                        layout::FIGURES_JSON
                    ),
                ));
            }
            Some(_) => {}
        }
    }
    let Some((first, theirs)) = recorded else {
        let default = Drawing::default();
        return Ok(Drawing {
            shared_scale: asked.shared_scale.unwrap_or(default.shared_scale),
            loss_scale: asked.loss_scale.unwrap_or(default.loss_scale),
        });
    };
    let contradicts = |field: &'static str, given: String| {
        Error::config(
            field,
            format!(
                "{given}contradicts the shards, which were run with {} ({}); leave it out to draw as they were asked, or redraw the merged folder afterwards",
                describe(theirs),
                quote_path(&first.join(layout::FIGURES_JSON))
            ),
        )
    };
    match asked.shared_scale {
        Some(true) if !theirs.shared_scale => return Err(contradicts("shared_scale", String::new())),
        Some(false) if theirs.shared_scale => return Err(contradicts("per_init_scale", String::new())),
        _ => {}
    }
    if let Some(scale) = asked.loss_scale.filter(|&s| s != theirs.loss_scale) {
        return Err(contradicts("loss_scale", format!("{} ", scale_name(scale))));
    }
    Ok(theirs)
}

fn scale_name(scale: LossScale) -> &'static str {
    match scale {
        LossScale::Log => "log",
        LossScale::Linear => "linear",
    }
}

/// A drawing as `figures.json` spells it.
fn describe(d: Drawing) -> String {
    format!("shared_scale {}, loss_scale {}", d.shared_scale, scale_name(d.loss_scale))
}

/// Checks the shard folders `dirs` and writes the complete results into `out` (not one of
/// them; a folder of other results only with `force`), drawing a study's figures as its shards
/// were asked to, or as `asked` says ([`shards_drawing`]), with `threads` threads for figure 6's
/// retraining (results do not depend on it).
///
/// # Errors
/// A folder that is not a shard, shards of different studies or harness versions, runs
/// missing, unfinished or in two shards, shards drawn differently; `out` among the shards or in
/// use.
pub fn merge(dirs: &[PathBuf], out: &Path, threads: usize, asked: Asked, force: bool) -> Result<Merged> {
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
            let drawing = shards_drawing(dirs, asked)?;
            let (provenance, finished) = crate::pipeline::merge(dirs, out, drawing, threads, force)?;
            let mut text = format!("Runs by shard:\n{provenance}");
            for w in &finished.warnings {
                let _ = writeln!(text, "{w}");
            }
            let _ = writeln!(text, "{}", finished.summary.table());
            text.push_str(&finished.summary.spread_text());
            if let Some(report) = &finished.report {
                let _ = writeln!(text, "Report: {}", report.display());
            }
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
