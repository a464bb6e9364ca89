//! A results folder as one transaction: [`Folder::open`] checks and locks it, [`Folder::begin`]
//! sets its manifest aside, [`Folder::write`] writes files atomically and remembers them, and
//! [`Folder::commit`] removes what the previous run wrote and this one did not, then writes the
//! manifest last. A whole sweep is instead written into [`Folder::stage`] beside the folder and
//! [`Folder::install`]ed in its place: old-or-new, whenever the process stops.
//!
//! A folder is one run's, or clearly not:
//!
//! - [`Lock`]: [`layout::LOCK`] in the folder while a run (or `report --from`) writes there; a
//!   second one on the same folder is refused. A lock file that is a symbolic link or not a
//!   regular file is refused, never followed.
//! - [`Manifest`]: [`layout::MANIFEST`], written last, lists every file the run wrote with its
//!   length and CRC-32. A folder without it (or whose files differ from it) is incomplete.
//! - A rerun removes the files the previous run's manifest lists that it does not write itself,
//!   and its own temporary leftovers (`.NAME.PID.tmp`), and never any other file.
//!
//! **A folder is untrusted input.** A manifest may come from a colleague, a download or a
//! cluster's shared disk: every name it lists must be a plain relative path inside the folder
//! ([`safe_relative`]: no `..`, no root, no prefix), and no file is removed through a symbolic
//! link to a directory. A manifest that breaks this is refused whole before anything is touched.
//! Another sweep's results, or files the harness did not write, are not replaced without
//! `force` ([`Folder::check_replaces`]), and files the harness did not write are never touched.

mod lock;
mod manifest;
mod replace;
mod swap;

pub use lock::{Lock, is_own_temporary, quote_path, remove_temporaries};
pub use manifest::{MAX_MANIFEST_BYTES, Manifest, safe_relative};
pub use replace::MAX_IDENTITY_BYTES;
pub use swap::{recover, sibling};

use crate::error::{Error, Result};
use crate::layout;
pub use crate::output::Entry;
use crate::output::{AtomicFile, sync_dir, write_atomic};
use manifest::reached_directly;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Checks that `dir` can be created and written, before any work is done.
fn check_writable(dir: &Path) -> Result<()> {
    let not_writable =
        |e: std::io::Error| Error::config("out", format!("{}: not writable: {e}", quote_path(dir)));
    std::fs::create_dir_all(dir).map_err(not_writable)?;
    let probe = dir.join(format!(".write-probe.{}.tmp", std::process::id()));
    std::fs::write(&probe, b"").map_err(not_writable)?;
    std::fs::remove_file(&probe).map_err(not_writable)
}

/// Checks, before any work, that every file of `files` (relative to `dir`) can be written: no
/// directory stands where a file goes, and no file where a directory goes.
fn check_paths(dir: &Path, files: &[PathBuf]) -> Result<()> {
    let mut dirs = std::collections::BTreeSet::new();
    for f in files {
        let p = dir.join(f);
        if std::fs::metadata(&p).is_ok_and(|m| m.is_dir()) {
            return Err(Error::config("out", format!("{} is a directory where a file goes", quote_path(&p))));
        }
        let mut a = f.parent();
        while let Some(d) = a.filter(|d| !d.as_os_str().is_empty()) {
            dirs.insert(d.to_path_buf());
            a = d.parent();
        }
    }
    for d in dirs {
        let p = dir.join(&d);
        if std::fs::metadata(&p).is_ok_and(|m| !m.is_dir()) {
            return Err(Error::config("out", format!("{} is a file where a directory goes", quote_path(&p))));
        }
    }
    Ok(())
}

/// A results folder opened for writing by this process (see the module's documentation).
#[derive(Debug)]
pub struct Folder {
    dir: PathBuf,
    _lock: Lock,
    /// Files written through this folder: relative name → entry.
    written: Mutex<BTreeMap<String, Entry>>,
    /// The previous run's files, once [`Folder::begin`] has set its manifest aside.
    previous: Option<Manifest>,
}

impl Folder {
    /// Opens `dir` for writing: refuses a root (before anything is touched), creates it,
    /// checks that it can be written and that no directory stands where one of `planned`
    /// (relative paths) goes or a file where a directory goes, takes its [`Lock`] and removes
    /// the harness's own temporary leftovers.
    ///
    /// # Errors
    /// [`Error::Config`] on `out` for each of those checks.
    pub fn open(dir: &Path, planned: &[PathBuf]) -> Result<Folder> {
        sibling(dir, "partial")?;
        recover(dir)?;
        check_writable(dir)?;
        let lock = Lock::acquire(dir)?;
        check_paths(dir, planned)?;
        remove_temporaries(dir);
        Ok(Folder { dir: dir.to_path_buf(), _lock: lock, written: Mutex::default(), previous: None })
    }

    /// The folder's path.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The complete folder's manifest, if it has one.
    ///
    /// # Errors
    /// A manifest that cannot be trusted ([`Manifest::read`]).
    pub fn manifest(&self) -> Result<Option<Manifest>> {
        Manifest::read(&self.dir, layout::MANIFEST)
    }

    /// Sets the folder's manifest aside (merged with the list of a run that was interrupted
    /// while writing): the folder is incomplete from now on, until [`Folder::commit`].
    ///
    /// # Errors
    /// A manifest that cannot be trusted ([`Manifest::read`]), or one that cannot be set aside.
    pub fn begin(&mut self) -> Result<()> {
        let mut previous = Manifest::read(&self.dir, layout::PREVIOUS_MANIFEST)?.unwrap_or_default();
        if let Some(m) = self.manifest()? {
            previous.files.extend(m.files);
        }
        previous.schema_version = 1;
        if !previous.files.is_empty() {
            let json = serde_json::to_string_pretty(&previous).expect("plain data") + "\n";
            write_atomic(&self.dir.join(layout::PREVIOUS_MANIFEST), json.as_bytes())?;
        }
        match std::fs::remove_file(self.dir.join(layout::MANIFEST)) {
            Ok(()) => sync_dir(&self.dir),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(self.dir.join(layout::MANIFEST), e)),
        }
        self.previous = Some(previous);
        Ok(())
    }

    /// Like [`Folder::begin`], but leaves the manifest in place until [`Folder::commit`]: for a
    /// redraw, whose files are a pure function of the folder's inputs, so a redraw that fails
    /// half-way leaves a folder its manifest still describes.
    ///
    /// # Errors
    /// A manifest that cannot be trusted ([`Manifest::read`]).
    pub fn begin_redraw(&mut self) -> Result<()> {
        self.previous = Some(self.manifest()?.unwrap_or_default());
        Ok(())
    }

    /// Writes `bytes` to `rel` (relative to the folder) atomically and lists it in the manifest.
    ///
    /// # Errors
    /// When it cannot be written.
    pub fn write(&self, rel: impl AsRef<Path>, bytes: &[u8]) -> Result<()> {
        let mut f = self.create(rel)?;
        f.write(bytes)?;
        f.commit()
    }

    /// Starts writing `rel` in pieces ([`AtomicFile`]); listed in the manifest once committed.
    ///
    /// # Errors
    /// When it cannot be created.
    pub fn create(&self, rel: impl AsRef<Path>) -> Result<FolderFile<'_>> {
        let rel = rel.as_ref();
        Ok(FolderFile { folder: self, name: slash_name(rel), file: AtomicFile::create(&self.dir.join(rel))? })
    }

    /// Lists `rel`, written by other means (a program's output renamed into place), with
    /// `bytes` as its contents.
    pub fn note(&self, rel: impl AsRef<Path>, bytes: &[u8]) {
        self.written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(slash_name(rel.as_ref()), Entry::of(bytes));
    }

    /// Commits the folder: removes the previous run's files that this process did not write
    /// (and directories left empty by that, never through a symbolic link), then writes the
    /// manifest listing every file written through the folder plus `keep` (files of an earlier
    /// run that stay, e.g. runs an interrupted process trained). Returns the manifest.
    ///
    /// # Errors
    /// When the manifest cannot be written.
    pub fn commit(self, keep: &BTreeMap<String, Entry>) -> Result<Manifest> {
        self.write_manifest(keep)
    }

    /// [`Folder::commit`]'s work, leaving the folder (and its lock) held.
    fn write_manifest(&self, keep: &BTreeMap<String, Entry>) -> Result<Manifest> {
        let mut files: BTreeMap<String, Entry> = keep.clone();
        files.extend(std::mem::take(&mut *self.written.lock().unwrap_or_else(|e| e.into_inner())));
        files.remove(layout::MANIFEST);
        files.remove(layout::PREVIOUS_MANIFEST);
        for name in self.previous.iter().flat_map(|p| p.files.keys()) {
            if files.contains_key(name) || name == layout::MANIFEST || name == layout::PREVIOUS_MANIFEST {
                continue;
            }
            let Some(rel) = safe_relative(name) else { continue };
            if !reached_directly(&self.dir, &rel) {
                continue;
            }
            let path = self.dir.join(&rel);
            if std::fs::remove_file(&path).is_ok() {
                // Directories the removal left empty (never the folder itself).
                let mut d = rel.parent();
                while let Some(p) = d.filter(|p| !p.as_os_str().is_empty()) {
                    if std::fs::remove_dir(self.dir.join(p)).is_err() {
                        break;
                    }
                    d = p.parent();
                }
            }
        }
        let manifest = Manifest { schema_version: 1, files };
        let json = serde_json::to_string_pretty(&manifest).expect("plain data") + "\n";
        write_atomic(&self.dir.join(layout::MANIFEST), json.as_bytes())?;
        let _ = std::fs::remove_file(self.dir.join(layout::PREVIOUS_MANIFEST));
        sync_dir(&self.dir);
        Ok(manifest)
    }
}

/// `rel` with `/` between its components.
fn slash_name(rel: &Path) -> String {
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// A file of a [`Folder`] written in pieces: an [`AtomicFile`] listed in the folder's manifest
/// once committed.
pub struct FolderFile<'f> {
    folder: &'f Folder,
    name: String,
    file: AtomicFile,
}

impl FolderFile<'_> {
    /// Appends `bytes`.
    ///
    /// # Errors
    /// When they cannot be written.
    pub fn write(&mut self, bytes: &[u8]) -> Result<()> {
        self.file.write(bytes)
    }

    /// Flushes the file to disk, renames it into place and lists it.
    ///
    /// # Errors
    /// When it cannot be flushed or renamed.
    pub fn commit(self) -> Result<()> {
        let entry = self.file.commit()?;
        self.folder.written.lock().unwrap_or_else(|e| e.into_inner()).insert(self.name, entry);
        Ok(())
    }
}
