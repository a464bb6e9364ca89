//! A results folder as one transaction: [`Folder::open`] checks and locks it, [`Folder::begin`]
//! sets its manifest aside, [`Folder::write`] writes files atomically and remembers them, and
//! [`Folder::commit`] removes what the previous run wrote and this one did not, then writes the
//! manifest last.
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

use crate::error::{Error, Result, quote};
use crate::layout;
pub use crate::output::Entry;
use crate::output::{self, AtomicFile, sync_dir, write_atomic};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

/// The most bytes a sweep's identity file (`config.json`, `plan.json`) is read with.
const MAX_IDENTITY_BYTES: u64 = 16 << 20;

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
fn reached_directly(dir: &Path, rel: &Path) -> bool {
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

/// A results folder held by this process: an advisory lock (`flock`) on [`layout::LOCK`], which
/// names the holder (`PID on HOST`) and is removed when the lock is dropped. The operating system
/// releases the lock when its process ends, however it ends (`kill -9`, a node's crash, a
/// rescheduled pod that reuses the process id): a lock file nobody holds is simply taken over. On
/// a file system that cannot lock, no lock is taken.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
    file: Option<std::fs::File>,
}

impl Lock {
    /// Takes the lock of `dir` (created if need be).
    ///
    /// # Errors
    /// [`Error::Config`] on `out`: a lock held by a live process, a lock file that is a symbolic
    /// link or not a regular file, a folder that cannot be written.
    pub fn acquire(dir: &Path) -> Result<Lock> {
        let not_writable =
            |e: std::io::Error| Error::config("out", format!("{}: not writable: {e}", quote_path(dir)));
        std::fs::create_dir_all(dir).map_err(not_writable)?;
        let path = dir.join(layout::LOCK);
        for _ in 0..8 {
            if let Ok(m) = std::fs::symlink_metadata(&path)
                && !m.is_file()
            {
                return Err(Error::config(
                    "out",
                    format!(
                        "{}: its lock {} is not a regular file (a symbolic link?): remove it",
                        quote_path(dir),
                        layout::LOCK
                    ),
                ));
            }
            let mut file = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(not_writable)?;
            // The file opened must be the one at the path, not a link's target made in between.
            if !same_file(&file, &path) {
                continue;
            }
            match file.try_lock() {
                Ok(()) => {}
                Err(std::fs::TryLockError::WouldBlock) => {
                    let mut who = String::new();
                    let _ = std::io::Read::read_to_string(&mut std::io::Read::take(&file, 256), &mut who);
                    let who = who.trim();
                    let who = if who.is_empty() {
                        "another process".to_string()
                    } else {
                        format!("process {}", quote(who))
                    };
                    return Err(Error::config(
                        "out",
                        format!("{} is in use by another harness run ({who})", quote_path(dir)),
                    ));
                }
                // The file system cannot lock: go on without.
                Err(std::fs::TryLockError::Error(_)) => return Ok(Lock { path, file: None }),
            }
            // Locked — but the file may have been removed by the holder that just finished
            // (and a new one made): hold the one that is there.
            if !same_file(&file, &path) {
                continue;
            }
            file.set_len(0).map_err(not_writable)?;
            let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
            let _ = writeln!(file, "{} on {}", std::process::id(), host.trim());
            let _ = file.sync_all();
            return Ok(Lock { path, file: Some(file) });
        }
        Err(Error::config("out", format!("{}: could not take its lock {}", quote_path(dir), layout::LOCK)))
    }
}

/// A path as an error message shows it ([`crate::error::quote_path`]).
pub fn quote_path(p: &Path) -> String {
    crate::error::quote_path(p)
}

/// Whether the open `file` is the one at `path` now (not following a symbolic link there).
fn same_file(file: &std::fs::File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), std::fs::symlink_metadata(path)) {
            (Ok(a), Ok(b)) => b.is_file() && a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (file, path);
        true
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still held, then released.
        if self.file.is_some() {
            let _ = std::fs::remove_file(&self.path);
        }
        drop(self.file.take());
    }
}

/// Whether `name` is one of the harness's temporary names: `.NAME.PID.tmp` (and
/// `.NAME.PID.tmp.mp4`).
pub fn is_own_temporary(name: &str) -> bool {
    let Some(rest) = name.strip_prefix('.') else { return false };
    let Some(rest) = rest.strip_suffix(".tmp").or_else(|| rest.strip_suffix(".tmp.mp4")) else {
        return false;
    };
    rest.rsplit_once('.').is_some_and(|(stem, pid)| {
        !stem.is_empty() && !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())
    })
}

/// Removes the harness's own temporary leftovers ([`is_own_temporary`]) in `dir` and its
/// subdirectories (symbolic links are not followed). Call with the folder's [`Lock`] held: then
/// no other run is writing them. Returns how many were removed.
pub fn remove_temporaries(dir: &Path) -> usize {
    let mut removed = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let Ok(kind) = e.file_type() else { continue };
            let name = e.file_name();
            if kind.is_dir() {
                stack.push(e.path());
            } else if kind.is_file()
                && name.to_str().is_some_and(is_own_temporary)
                && std::fs::remove_file(e.path()).is_ok()
            {
                removed += 1;
            }
        }
    }
    removed
}

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
    /// Opens `dir` for writing: creates it, checks that it can be written and that no directory
    /// stands where one of `planned` (relative paths) goes or a file where a directory goes,
    /// takes its [`Lock`] and removes the harness's own temporary leftovers.
    ///
    /// # Errors
    /// [`Error::Config`] on `out` for each of those checks.
    pub fn open(dir: &Path, planned: &[PathBuf]) -> Result<Folder> {
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
        let mut listed: std::collections::BTreeSet<String> =
            [layout::MANIFEST, layout::PREVIOUS_MANIFEST, layout::LOCK, layout::SHARD]
                .map(String::from)
                .into();
        for m in
            [self.manifest()?, Manifest::read(&self.dir, layout::PREVIOUS_MANIFEST)?].into_iter().flatten()
        {
            listed.extend(m.files.into_keys());
        }
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
        match first_foreign(&self.dir, &listed, name) {
            Some(f) => refuse(format!("holds files the harness did not write (e.g. {})", quote(&f))),
            None => Ok(()),
        }
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
        if is_cwd || self.has_foreign() {
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

    /// Whether the folder holds a file the harness did not write.
    fn has_foreign(&self) -> bool {
        let mut listed: std::collections::BTreeSet<String> =
            [layout::MANIFEST, layout::PREVIOUS_MANIFEST, layout::LOCK, layout::SHARD]
                .map(String::from)
                .into();
        for name in [layout::MANIFEST, layout::PREVIOUS_MANIFEST] {
            if let Ok(Some(m)) = Manifest::read(&self.dir, name) {
                listed.extend(m.files.into_keys());
            }
        }
        first_foreign(&self.dir, &listed, layout::CONFIG).is_some()
            && first_foreign(&self.dir, &listed, layout::PLAN).is_some()
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

/// The first file (relative, `/`-separated, in name order) under `dir` that `listed` does not
/// hold and that is not one of a sweep's own files ([`own_file`]); symbolic links are not
/// followed.
fn first_foreign(dir: &Path, listed: &std::collections::BTreeSet<String>, name: &str) -> Option<String> {
    let mut stack = vec![(dir.to_path_buf(), String::new())];
    let mut found: Vec<String> = Vec::new();
    while let Some((d, prefix)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        let mut names: Vec<_> = entries.flatten().collect();
        names.sort_by_key(|e| e.file_name());
        for e in names {
            let file = e.file_name().to_string_lossy().into_owned();
            let rel = if prefix.is_empty() { file } else { format!("{prefix}/{file}") };
            match e.file_type() {
                Ok(t) if t.is_dir() => stack.push((e.path(), rel)),
                _ if listed.contains(&rel) || own_file(&rel, name) => {}
                _ => found.push(rel),
            }
        }
    }
    found.sort();
    found.into_iter().next()
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

/// Moves every file of `from` that the harness did not write (neither listed in its manifests
/// nor one of a sweep's own names) to the same place under `to`, unless `to` has one there.
fn carry_foreign(from: &Path, to: &Path) -> Result<()> {
    let mut listed: std::collections::BTreeSet<String> =
        [layout::MANIFEST, layout::PREVIOUS_MANIFEST, layout::LOCK].map(String::from).into();
    for name in [layout::MANIFEST, layout::PREVIOUS_MANIFEST] {
        if let Ok(Some(m)) = Manifest::read(from, name) {
            listed.extend(m.files.into_keys());
        }
    }
    let mut stack = vec![(from.to_path_buf(), String::new())];
    while let Some((d, prefix)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let file = e.file_name().to_string_lossy().into_owned();
            let rel = if prefix.is_empty() { file } else { format!("{prefix}/{file}") };
            match e.file_type() {
                Ok(t) if t.is_dir() => stack.push((e.path(), rel)),
                _ if listed.contains(&rel)
                    || own_file(&rel, layout::CONFIG)
                    || own_file(&rel, layout::PLAN) => {}
                _ => {
                    let target = to.join(&rel);
                    if std::fs::symlink_metadata(&target).is_err() {
                        if let Some(parent) = target.parent() {
                            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
                        }
                        std::fs::rename(e.path(), &target).map_err(|e| Error::io(&target, e))?;
                    }
                }
            }
        }
    }
    Ok(())
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
