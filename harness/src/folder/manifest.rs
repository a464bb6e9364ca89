//! `manifest.json`: every file of a complete results folder with its length and CRC-32, and the
//! check that every name it lists is a plain relative path inside the folder.

use super::slash_name;
use crate::error::{Error, Result, quote};
use crate::layout;
use crate::output::{self, Entry};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

/// The most bytes a manifest may have (a million-file folder's is about 100 MB).
pub const MAX_MANIFEST_BYTES: u64 = 256 << 20;

/// `name` (a manifest's `/`-separated entry) as a path relative to its folder, if it is a plain
/// one: non-empty, only normal components (no `..`, `.`, root or drive prefix), no NUL.
pub fn safe_relative(name: &str) -> Option<PathBuf> {
    if name.is_empty() || name.contains('\0') || name.contains('\\') {
        return None;
    }
    let path = Path::new(name);
    let plain = path.components().all(|c| matches!(c, Component::Normal(_)));
    (plain && slash_name(path) == name).then(|| path.to_path_buf())
}

/// Whether `rel` (a [`safe_relative`] path) reaches a file inside `dir` without passing through
/// a symbolic link: every directory on the way is a real directory.
pub(super) fn reached_directly(dir: &Path, rel: &Path) -> bool {
    let mut at = dir.to_path_buf();
    let parts: Vec<_> = rel.components().collect();
    for c in &parts[..parts.len().saturating_sub(1)] {
        at.push(c);
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.is_dir() => {}
            _ => return false,
        }
    }
    true
}

/// `manifest.json`: every file of a results folder, written last.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The manifest's format version (1).
    pub schema_version: u32,
    /// Path (relative to the folder, `/`-separated) → length and CRC-32.
    pub files: BTreeMap<String, Entry>,
}

impl Manifest {
    /// Reads `dir/name`: `Ok(None)` when there is none (or it is not a readable regular file).
    ///
    /// # Errors
    /// A manifest larger than [`MAX_MANIFEST_BYTES`], malformed, or listing a name that is not a
    /// plain relative path inside the folder ([`safe_relative`]).
    pub fn read(dir: &Path, name: &str) -> Result<Option<Manifest>> {
        let path = dir.join(name);
        let Ok(meta) = std::fs::symlink_metadata(&path) else { return Ok(None) };
        if !meta.is_file() {
            return Ok(None);
        }
        let bytes = output::read_bounded(&path, MAX_MANIFEST_BYTES)?;
        let m: Manifest = serde_json::from_slice(&bytes)
            .map_err(|e| Error::results(&path, quote(&format!("malformed: {e}"))))?;
        if let Some(bad) = m.files.keys().find(|n| safe_relative(n).is_none()) {
            return Err(Error::results(
                &path,
                format!(
                    "lists `{}`, which is not a file inside the folder: refused, nothing touched",
                    quote(bad)
                ),
            ));
        }
        Ok(Some(m))
    }

    /// Checks every file it lists against `dir`: present, of the listed length and CRC-32.
    ///
    /// # Errors
    /// Naming the first file that is missing, unreadable or different.
    pub fn verify(&self, dir: &Path) -> Result<()> {
        for (name, entry) in &self.files {
            let path = dir.join(name);
            let differs = || {
                Error::results(
                    dir.join(layout::MANIFEST),
                    format!("{name} differs from the manifest (changed since the run that wrote it)"),
                )
            };
            // Read no more than the listed length (and one byte to see that it is longer).
            let bytes = match output::read_bounded(&path, entry.bytes) {
                Ok(bytes) => bytes,
                Err(Error::Results { .. }) => return Err(differs()),
                Err(e) => {
                    return Err(Error::results(
                        dir.join(layout::MANIFEST),
                        format!("lists {name}, which cannot be read: {e}"),
                    ));
                }
            };
            if Entry::of(&bytes) != *entry {
                return Err(differs());
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::safe_relative;

    /// Only plain relative names inside the folder pass.
    #[test]
    fn safe_relative_refuses_escapes() {
        for ok in ["config.json", "runs/he/seed-0/final.bin", "a/b"] {
            assert!(safe_relative(ok).is_some(), "{ok}");
        }
        for bad in ["", "../victim.txt", "a/../../b", "/etc/passwd", "./x", "a/./b", "a\\..\\b", "x\0y"] {
            assert!(safe_relative(bad).is_none(), "{bad:?}");
        }
    }
}
