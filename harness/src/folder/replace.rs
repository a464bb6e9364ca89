//! Whether writing a sweep into a folder would replace what it should not: another sweep's
//! results, or files the harness did not write.

use super::{Folder, Manifest, is_own_temporary, quote_path};
use crate::error::{Error, Result, quote};
use crate::layout;
use crate::output;
use std::collections::BTreeSet;
use std::path::Path;

/// The most bytes a sweep's identity file (`config.json`, `plan.json`) may have (a hundred
/// thousand seeds fit many times over).
pub const MAX_IDENTITY_BYTES: u64 = 16 << 20;

impl Folder {
    /// Checks that writing a sweep whose identity file (`config.json`, `plan.json`) is `name`
    /// with contents `identity` replaces nothing it should not: the folder is new or empty, or
    /// holds this same sweep (complete, interrupted or a shard of it: it resumes), or `force`
    /// is set. Without `force`, a folder holding another sweep's results, or files the harness
    /// did not write (neither in its manifest, nor its own bookkeeping), is refused. Even with
    /// `force`, files the harness did not write are never touched.
    ///
    /// # Errors
    /// [`Error::Config`] on `force`, naming the folder and what differs (a front end says how
    /// to force it).
    pub fn check_replaces(&self, name: &str, identity: &[u8], force: bool) -> Result<()> {
        if force {
            return Ok(());
        }
        let shown = quote_path(&self.dir);
        let refuse =
            |what: String| Err(Error::config("force", format!("{shown} {what}: nothing was changed")));
        let mut listed = listed_names(&self.dir)?;
        // The sweep this folder holds: its identity file, whether or not it is complete.
        for other in [layout::CONFIG, layout::PLAN] {
            let Ok(bytes) = output::read_bounded(&self.dir.join(other), MAX_IDENTITY_BYTES) else {
                continue;
            };
            if other != name {
                let kind = if other == layout::PLAN { "a claims run's" } else { "a study's" };
                return refuse(format!("holds {kind} results"));
            }
            if bytes != identity {
                return refuse(format!(
                    "holds another {}'s results ({})",
                    kind_of(name),
                    differences(&bytes, identity)
                ));
            }
            listed.insert(other.to_string());
        }
        // A sweep's own files are allowed unlisted: those of runs an interrupted process trained.
        match foreign_files(&self.dir, &listed, &[name]).first() {
            Some(f) => refuse(format!("holds files the harness did not write (e.g. {})", quote(f))),
            None => Ok(()),
        }
    }
}

/// The names a folder's bookkeeping and manifests account for: the manifest, the list a rerun
/// sets aside, the lock, a shard's list, and every file those manifests list.
///
/// # Errors
/// A manifest that cannot be trusted ([`Manifest::read`]).
pub(super) fn listed_names(dir: &Path) -> Result<BTreeSet<String>> {
    let mut listed: BTreeSet<String> =
        [layout::MANIFEST, layout::PREVIOUS_MANIFEST, layout::LOCK, layout::SHARD].map(String::from).into();
    for name in [layout::MANIFEST, layout::PREVIOUS_MANIFEST] {
        if let Some(m) = Manifest::read(dir, name)? {
            listed.extend(m.files.into_keys());
        }
    }
    Ok(listed)
}

/// "study" or "claims run", for an identity file's name.
fn kind_of(identity: &str) -> &'static str {
    if identity == layout::PLAN { "claims run" } else { "study" }
}

/// The top-level settings that differ between two identity files (JSON objects), at most three,
/// as `name: old → new`.
fn differences(old: &[u8], new: &[u8]) -> String {
    let (Ok(serde_json::Value::Object(a)), Ok(serde_json::Value::Object(b))) =
        (serde_json::from_slice::<serde_json::Value>(old), serde_json::from_slice::<serde_json::Value>(new))
    else {
        return "its configuration differs".into();
    };
    let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    let show = |v: Option<&serde_json::Value>| match v {
        None => "absent".to_string(),
        Some(v) => quote(&v.to_string()),
    };
    let diff: Vec<String> = keys
        .into_iter()
        .filter(|k| a.get(*k) != b.get(*k) && !k.ends_with("_version"))
        .take(3)
        .map(|k| format!("{k}: {} → {}", show(a.get(k)), show(b.get(k))))
        .collect();
    if diff.is_empty() {
        "of another harness version".into()
    } else {
        format!("settings differ: {}", diff.join("; "))
    }
}

/// Whether `rel` is a file the harness writes for a sweep of identity file `name`
/// ([`layout::is_written_by`]) though no manifest lists it yet: an interrupted sweep's, or one
/// of its temporary leftovers.
fn own_file(rel: &str, name: &str) -> bool {
    layout::is_written_by(name, rel) || is_own_temporary(rel.rsplit('/').next().unwrap_or(rel))
}

/// The files (relative, `/`-separated, sorted) under `dir` that the harness did not write:
/// neither in `listed` nor a sweep's own file ([`own_file`]) for any identity file of `kinds`.
/// Symbolic links are not followed.
pub(super) fn foreign_files(dir: &Path, listed: &BTreeSet<String>, kinds: &[&str]) -> Vec<String> {
    let mut stack = vec![(dir.to_path_buf(), String::new())];
    let mut found: Vec<String> = Vec::new();
    while let Some((d, prefix)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let file = e.file_name().to_string_lossy().into_owned();
            let rel = if prefix.is_empty() { file } else { format!("{prefix}/{file}") };
            match e.file_type() {
                Ok(t) if t.is_dir() => stack.push((e.path(), rel)),
                _ if listed.contains(&rel) || kinds.iter().any(|k| own_file(&rel, k)) => {}
                _ => found.push(rel),
            }
        }
    }
    found.sort();
    found
}
