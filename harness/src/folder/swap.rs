//! Replacing a results folder old-or-new: a staged folder swapped in by two renames, and the
//! recovery of a swap a killed process did not finish.

use super::replace::{MAX_IDENTITY_BYTES, foreign_files, listed_names};
use super::{Entry, Folder, quote_path};
use crate::error::{Error, Result};
use crate::layout;
use crate::output::{self, sync_dir};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

impl Folder {
    /// Commits `new` (a sibling of this one, [`sibling`]) with `keep` as [`Folder::commit`] does,
    /// and puts it in this one's place, old-or-new: this folder is renamed aside, `new` renamed into its place, the files the
    /// harness did not write carried over, and the previous folder removed. A process killed
    /// in between leaves the old complete folder or the new one, which the next
    /// [`Folder::open`] of it settles ([`recover`]).
    ///
    /// # Errors
    /// When the manifest cannot be written or a rename fails (the folder is a mount point,
    /// say); the folder is then as it was.
    pub fn install(mut self, new: Folder, keep: &BTreeMap<String, Entry>) -> Result<()> {
        let manifest = new.write_manifest(keep)?;
        let (dir, staged) = (self.dir.clone(), new.dir.clone());
        // The working directory, or one holding files the harness did not write (--force), is
        // not renamed away: its files are replaced one by one (not old-or-new).
        let is_cwd =
            std::env::current_dir().ok().and_then(|c| c.canonicalize().ok()) == dir.canonicalize().ok();
        let listed = listed_names(&dir).unwrap_or_default();
        if is_cwd || !foreign_files(&dir, &listed, &[layout::CONFIG, layout::PLAN]).is_empty() {
            self.begin()?;
            for name in manifest.files.keys() {
                let to = dir.join(name);
                if let Some(parent) = to.parent() {
                    std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
                }
                std::fs::rename(staged.join(name), &to).map_err(|e| Error::io(&to, e))?;
            }
            drop(new);
            let _ = std::fs::remove_dir_all(&staged);
            return self.commit(&manifest.files).map(drop);
        }
        let old = previous_dir(&dir)?;
        if std::fs::symlink_metadata(&old).is_ok() {
            std::fs::remove_dir_all(&old).map_err(|e| Error::io(&old, e))?;
        }
        std::fs::rename(&dir, &old).map_err(|e| Error::io(&dir, e))?;
        if let Err(e) = std::fs::rename(&staged, &dir) {
            let _ = std::fs::rename(&old, &dir);
            return Err(Error::io(&dir, e));
        }
        if let Some(parent) = dir.parent() {
            sync_dir(parent);
        }
        // The locks: this folder's file now lies in the previous folder, the new folder's in
        // this one; both are released here.
        drop(new);
        drop(self);
        recover(&dir)
    }

    /// The staging folder a whole sweep trains and finishes in before it is installed:
    /// `.<name>.partial` beside this one, kept between runs so that an interrupted sweep
    /// resumes from the runs it finished there — unless it holds another sweep (its identity
    /// file `name` differs from `identity`), which is cleared.
    ///
    /// # Errors
    /// When it cannot be cleared or opened.
    pub fn resume_stage(&self, name: &str, identity: &[u8]) -> Result<Folder> {
        let staged = sibling(&self.dir, "partial")?;
        let other = output::read_bounded(&staged.join(name), MAX_IDENTITY_BYTES).is_ok_and(|b| b != identity);
        if other {
            std::fs::remove_dir_all(&staged).map_err(|e| Error::io(&staged, e))?;
        }
        let mut folder = Folder::open(&staged, &[])?;
        folder.begin()?;
        Ok(folder)
    }

    /// A fresh, empty staging folder beside this one (`.<name>.<suffix>`, [`sibling`]; one left
    /// by an interrupted process is removed), opened for writing: to be filled, then
    /// [`Folder::install`]ed in this one's place.
    ///
    /// # Errors
    /// When it cannot be made.
    pub fn stage(&self, suffix: &str) -> Result<Folder> {
        let staged = sibling(&self.dir, suffix)?;
        if std::fs::symlink_metadata(&staged).is_ok() {
            std::fs::remove_dir_all(&staged).map_err(|e| Error::io(&staged, e))?;
        }
        let mut folder = Folder::open(&staged, &[])?;
        folder.begin()?;
        Ok(folder)
    }
}

/// A hidden sibling of `dir`: `.<name>.<suffix>` (`.results.partial`), or `.<CRC-32 of the
/// name>.<suffix>` for a name too long to take the dot and suffix within the file system's 255
/// bytes.
///
/// # Errors
/// A root (no name, no parent), or a working directory that cannot be read.
pub fn sibling(dir: &Path, suffix: &str) -> Result<PathBuf> {
    let full = if dir.is_absolute() {
        dir.to_path_buf()
    } else {
        std::env::current_dir().map_err(|e| Error::io(dir, e))?.join(dir)
    };
    let full = full.canonicalize().unwrap_or(full);
    let (Some(name), Some(parent)) = (full.file_name(), full.parent()) else {
        return Err(Error::config(
            "out",
            format!("{}: give a folder for the results, not a root", quote_path(dir)),
        ));
    };
    let name = name.to_string_lossy();
    if name.len() > 200 {
        return Ok(parent.join(format!(".{:08x}.{suffix}", saorsa_nn::crc32(name.as_bytes()))));
    }
    Ok(parent.join(format!(".{name}.{suffix}")))
}

/// Where [`Folder::install`] keeps the previous folder while it swaps the new one in.
fn previous_dir(dir: &Path) -> Result<PathBuf> {
    sibling(dir, "old")
}

/// Completes or undoes a swap that [`Folder::install`] did not finish ([`Folder::open`] calls it) (the process was killed
/// between its steps): with the folder gone, the previous one is put back (old); with the new
/// one in place, the files the harness did not write are carried over from the previous one and
/// it is removed (new).
pub fn recover(dir: &Path) -> Result<()> {
    let Ok(old) = previous_dir(dir) else { return Ok(()) };
    if std::fs::symlink_metadata(&old).is_err() {
        return Ok(());
    }
    if std::fs::symlink_metadata(dir).is_err() {
        return std::fs::rename(&old, dir).map_err(|e| Error::io(dir, e));
    }
    carry_foreign(&old, dir)?;
    std::fs::remove_dir_all(&old).map_err(|e| Error::io(&old, e))
}

/// Moves every file of `from` that the harness did not write ([`foreign_files`]) to the same
/// place under `to`, unless `to` has one there.
fn carry_foreign(from: &Path, to: &Path) -> Result<()> {
    // An untrusted manifest there lists nothing: its files are then carried over, never lost.
    let listed = listed_names(from).unwrap_or_default();
    for rel in foreign_files(from, &listed, &[layout::CONFIG, layout::PLAN]) {
        let target = to.join(&rel);
        if std::fs::symlink_metadata(&target).is_err() {
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
            }
            std::fs::rename(from.join(&rel), &target).map_err(|e| Error::io(&target, e))?;
        }
    }
    Ok(())
}
