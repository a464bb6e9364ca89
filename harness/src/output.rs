//! Writing results: every file goes to a temporary name in its directory, is
//! flushed to disk (`fsync`) and renamed into place, and the directory is
//! flushed after the rename, so an interrupted run (or a power loss) never
//! leaves a half-written or empty file under a final name.
//!
//! A results folder is one run's, or clearly not:
//!
//! - [`Lock`]: `.harness.lock` in the folder while a run (or `report --from`)
//!   writes there; a second one on the same folder is refused.
//! - [`Manifest`]: `manifest.json`, written last, lists every file the run
//!   wrote with its length and CRC-32. A folder without it (or whose files
//!   differ from it) is incomplete, and `report --from` refuses it.
//! - A rerun removes the files the previous run's manifest lists that it
//!   does not write itself, and its own temporary leftovers
//!   (`.NAME.PID.tmp`), and never any other file.

use crate::error::{Error, Result, quote};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// `rows` as CSV text, through the `csv` crate: a field is quoted where it
/// holds a comma, a quote or a line break, so any text reads back as it was.
pub fn csv_text<R, F>(rows: impl IntoIterator<Item = R>) -> String
where
    R: IntoIterator<Item = F>,
    F: AsRef<[u8]>,
{
    let mut w = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
    for row in rows {
        // Writing to memory cannot fail, and `flexible` takes rows of any length.
        w.write_record(row).expect("a CSV row written to memory");
    }
    let bytes = w.into_inner().expect("a CSV writer over a Vec flushes without error");
    String::from_utf8(bytes).expect("UTF-8 fields make UTF-8 CSV")
}

/// Every file [`write_atomic`] (or [`record`]) wrote in this process, with
/// its length and CRC-32, for the manifest.
static WRITTEN: Mutex<BTreeMap<PathBuf, Entry>> = Mutex::new(BTreeMap::new());

/// One file of a manifest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Length in bytes.
    pub bytes: u64,
    /// CRC-32 (zlib's) of the contents, 8 lowercase hex digits.
    pub crc32: String,
}

impl Entry {
    /// The entry of `bytes`.
    pub fn of(bytes: &[u8]) -> Entry {
        Entry { bytes: bytes.len() as u64, crc32: format!("{:08x}", saorsa_nn::crc32(bytes)) }
    }
}

/// Notes that `path` now holds `bytes` (for a file written other than by
/// [`write_atomic`]).
pub fn record(path: &Path, bytes: &[u8]) {
    WRITTEN.lock().unwrap_or_else(|e| e.into_inner()).insert(path.to_path_buf(), Entry::of(bytes));
}

/// Writes `bytes` to `path` atomically (temporary file, `fsync`, rename,
/// `fsync` of the directory), creating parent directories.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut f = AtomicFile::create(path)?;
    f.write(bytes)?;
    f.commit()
}

/// A file written in pieces (a table of every run, say, never held whole
/// in memory) with [`write_atomic`]'s guarantees: it goes to a temporary
/// name, and only [`AtomicFile::commit`] flushes it to disk and renames it
/// into place. Dropped uncommitted, it removes its temporary file.
pub struct AtomicFile {
    path: PathBuf,
    tmp: PathBuf,
    file: Option<std::io::BufWriter<std::fs::File>>,
    bytes: u64,
    crc: u32,
}

impl AtomicFile {
    /// Starts writing `path` (creating parent directories).
    pub fn create(path: &Path) -> Result<AtomicFile> {
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("out");
        let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let file = std::fs::File::create(&tmp).map_err(|e| Error::io(path, e))?;
        Ok(AtomicFile {
            path: path.to_path_buf(),
            tmp,
            file: Some(std::io::BufWriter::with_capacity(1 << 16, file)),
            bytes: 0,
            crc: 0,
        })
    }

    /// Appends `bytes`.
    pub fn write(&mut self, bytes: &[u8]) -> Result<()> {
        let f = self.file.as_mut().expect("open until committed");
        f.write_all(bytes).map_err(|e| Error::io(&self.path, e))?;
        self.bytes += bytes.len() as u64;
        self.crc = saorsa_nn::crc32_update(self.crc, bytes);
        Ok(())
    }

    /// Flushes the file to disk and renames it into place (then flushes
    /// the directory).
    pub fn commit(mut self) -> Result<()> {
        let file = self.file.take().expect("open until committed");
        let renamed = file
            .into_inner()
            .map_err(std::io::IntoInnerError::into_error)
            .and_then(|file| file.sync_all())
            .and_then(|()| std::fs::rename(&self.tmp, &self.path));
        if let Err(e) = renamed {
            let _ = std::fs::remove_file(&self.tmp);
            return Err(Error::io(&self.path, e));
        }
        sync_dir(self.path.parent().unwrap_or(Path::new(".")));
        WRITTEN
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(self.path.clone(), Entry { bytes: self.bytes, crc32: format!("{:08x}", self.crc) });
        Ok(())
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Flushes a directory's entries to disk (best effort: not every platform
/// can open a directory).
pub fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Checks that `dir` can be created and written, before any work is done.
pub fn check_writable(dir: &Path) -> Result<()> {
    let not_writable =
        |e: std::io::Error| Error::config("out", format!("{}: not writable: {e}", dir.display()));
    std::fs::create_dir_all(dir).map_err(not_writable)?;
    let probe = dir.join(format!(".write-probe.{}.tmp", std::process::id()));
    std::fs::write(&probe, b"").map_err(not_writable)?;
    std::fs::remove_file(&probe).map_err(not_writable)
}

/// Checks, before any work, that every file of `files` (relative to `dir`)
/// can be written: no directory stands where a file goes, and no file where
/// a directory goes.
pub fn check_paths(dir: &Path, files: &[PathBuf]) -> Result<()> {
    let mut dirs = std::collections::BTreeSet::new();
    for f in files {
        let p = dir.join(f);
        if std::fs::metadata(&p).is_ok_and(|m| m.is_dir()) {
            return Err(Error::config("out", format!("{} is a directory where a file goes", p.display())));
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
            return Err(Error::config("out", format!("{} is a file where a directory goes", p.display())));
        }
    }
    Ok(())
}

/// The name of the lock file in a results folder.
pub const LOCK_NAME: &str = ".harness.lock";

/// A results folder held by this process: an advisory lock (`flock`) on
/// `.harness.lock`, which names the holder (`PID on HOST`) and is removed
/// when the lock is dropped. The operating system releases the lock when
/// its process ends, however it ends (`kill -9`, a node's crash, a
/// rescheduled pod that reuses the process id): a lock file nobody holds is
/// simply taken over. On a file system that cannot lock, no lock is taken.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
    file: Option<std::fs::File>,
}

impl Lock {
    /// Takes the lock of `dir` (created if need be); refuses one held by a
    /// live process ([`Error::Config`] on `out`).
    pub fn acquire(dir: &Path) -> Result<Lock> {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::config("out", format!("{}: not writable: {e}", dir.display())))?;
        let path = dir.join(LOCK_NAME);
        let not_writable =
            |e: std::io::Error| Error::config("out", format!("{}: not writable: {e}", dir.display()));
        for _ in 0..8 {
            let mut file = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(not_writable)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(std::fs::TryLockError::WouldBlock) => {
                    let who = std::fs::read_to_string(&path).unwrap_or_default();
                    let who = who.trim();
                    let who = if who.is_empty() {
                        "another process".to_string()
                    } else {
                        format!("process {}", quote(who))
                    };
                    return Err(Error::config(
                        "out",
                        format!("{} is in use by another harness run ({who})", dir.display()),
                    ));
                }
                // The file system cannot lock: go on without.
                Err(std::fs::TryLockError::Error(_)) => return Ok(Lock { path, file: None }),
            }
            // Locked — but the file may have been removed by the holder
            // that just finished (and a new one made): hold the one that
            // is there.
            if !same_file(&file, &path) {
                continue;
            }
            file.set_len(0).map_err(not_writable)?;
            let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
            let _ = writeln!(file, "{} on {}", std::process::id(), host.trim());
            let _ = file.sync_all();
            return Ok(Lock { path, file: Some(file) });
        }
        Err(Error::config("out", format!("{}: could not take its lock {LOCK_NAME}", dir.display())))
    }
}

/// Whether the open `file` is the one at `path` now.
fn same_file(file: &std::fs::File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), std::fs::metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
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

/// Whether `name` is one of the harness's temporary names: `.NAME.PID.tmp`
/// (and `.NAME.PID.tmp.mp4`).
pub fn is_own_temporary(name: &str) -> bool {
    let Some(rest) = name.strip_prefix('.') else { return false };
    let Some(rest) = rest.strip_suffix(".tmp").or_else(|| rest.strip_suffix(".tmp.mp4")) else {
        return false;
    };
    rest.rsplit_once('.').is_some_and(|(stem, pid)| {
        !stem.is_empty() && !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())
    })
}

/// Removes the harness's own temporary leftovers ([`is_own_temporary`]) in
/// `dir` and its subdirectories (symbolic links are not followed). Call
/// with the folder's [`Lock`] held: then no other run is writing them.
/// Returns how many were removed.
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

/// The name of the manifest.
pub const MANIFEST_NAME: &str = "manifest.json";
/// Where a run keeps the previous run's file list while it writes.
pub const PREVIOUS_NAME: &str = ".manifest-previous.json";

/// `manifest.json`: every file of a results folder, written last.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The manifest's format version (1).
    pub schema_version: u32,
    /// Path (relative to the folder, `/`-separated) → length and CRC-32.
    pub files: BTreeMap<String, Entry>,
}

fn relative(dir: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(dir).ok()?;
    let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
    Some(parts?.join("/"))
}

impl Manifest {
    /// Reads `dir/name`; `None` when missing or unreadable.
    pub fn read(dir: &Path, name: &str) -> Option<Manifest> {
        serde_json::from_slice(&std::fs::read(dir.join(name)).ok()?).ok()
    }

    /// Checks every file it lists against `dir`: present, of the listed
    /// length and CRC-32.
    pub fn verify(&self, dir: &Path) -> Result<()> {
        for (name, entry) in &self.files {
            let path = dir.join(name);
            let bytes = std::fs::read(&path).map_err(|e| {
                Error::results(dir.join(MANIFEST_NAME), format!("lists {name}, which cannot be read: {e}"))
            })?;
            if Entry::of(&bytes) != *entry {
                return Err(Error::results(
                    dir.join(MANIFEST_NAME),
                    format!("{name} differs from the manifest (changed since the run that wrote it)"),
                ));
            }
        }
        Ok(())
    }
}

/// A run's writing into a results folder: [`Session::begin`] sets the
/// previous run's manifest aside (the folder is incomplete from then on),
/// [`Session::finish`] removes what the previous run wrote and this one did
/// not, then writes the new manifest last.
#[derive(Debug)]
pub struct Session {
    dir: PathBuf,
    previous: Manifest,
}

impl Session {
    /// Sets the folder's manifest aside (merged with the list of a run that
    /// was interrupted while writing). Call with the [`Lock`] held.
    pub fn begin(dir: &Path) -> Result<Session> {
        let mut previous = Manifest::read(dir, PREVIOUS_NAME).unwrap_or_default();
        if let Some(m) = Manifest::read(dir, MANIFEST_NAME) {
            previous.files.extend(m.files);
        }
        previous.schema_version = 1;
        if !previous.files.is_empty() {
            let json = serde_json::to_string_pretty(&previous).expect("plain data") + "\n";
            write_atomic(&dir.join(PREVIOUS_NAME), json.as_bytes())?;
        }
        match std::fs::remove_file(dir.join(MANIFEST_NAME)) {
            Ok(()) => sync_dir(dir),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(dir.join(MANIFEST_NAME), e)),
        }
        Ok(Session { dir: dir.to_path_buf(), previous })
    }

    /// The files the previous run wrote (as its manifest listed them).
    pub fn previous(&self) -> &Manifest {
        &self.previous
    }

    /// Removes the previous run's files that this process did not write
    /// (and directories left empty by that), then writes `manifest.json`
    /// listing every file this process wrote in the folder plus `keep`
    /// (files of an earlier run that stay, e.g. the data under `report
    /// --from`). Returns the manifest.
    pub fn finish(self, keep: &BTreeMap<String, Entry>) -> Result<Manifest> {
        let mut files: BTreeMap<String, Entry> = keep.clone();
        {
            let written = WRITTEN.lock().unwrap_or_else(|e| e.into_inner());
            for (path, entry) in written.iter() {
                if let Some(rel) = relative(&self.dir, path)
                    && rel != PREVIOUS_NAME
                    && rel != MANIFEST_NAME
                {
                    files.insert(rel, entry.clone());
                }
            }
        }
        for name in self.previous.files.keys() {
            if !files.contains_key(name) && name != MANIFEST_NAME && name != PREVIOUS_NAME {
                let path = self.dir.join(name);
                if std::fs::remove_file(&path).is_ok() {
                    // Directories the removal left empty (never the folder itself).
                    let mut d = path.parent();
                    while let Some(p) = d.filter(|p| *p != self.dir && p.starts_with(&self.dir)) {
                        if std::fs::remove_dir(p).is_err() {
                            break;
                        }
                        d = p.parent();
                    }
                }
            }
        }
        let manifest = Manifest { schema_version: 1, files };
        let json = serde_json::to_string_pretty(&manifest).expect("plain data") + "\n";
        write_atomic(&self.dir.join(MANIFEST_NAME), json.as_bytes())?;
        let _ = std::fs::remove_file(self.dir.join(PREVIOUS_NAME));
        sync_dir(&self.dir);
        Ok(manifest)
    }
}

#[cfg(test)]
mod tests {
    use super::csv_text;

    /// Plain fields are written as they are; a comma, a quote or a line
    /// break gets the field quoted, and every field reads back unchanged.
    #[test]
    fn csv_text_quotes_only_where_needed_and_reads_back() {
        let rows = [
            vec!["he", "3", "0.25", ""],
            vec!["epoch 7: loss is NaN, stopped", "say \"hi\"", "two\nlines", "x"],
        ];
        let text = csv_text(rows.iter().map(|r| r.iter()));
        assert!(text.starts_with("he,3,0.25,\n"), "{text}");
        assert!(
            text.contains("\"epoch 7: loss is NaN, stopped\",\"say \"\"hi\"\"\",\"two\nlines\",x\n"),
            "{text}"
        );
        let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
        let back: Vec<Vec<String>> =
            reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
        assert_eq!(back, rows.map(|r| r.iter().map(|f| f.to_string()).collect::<Vec<_>>()));
    }
}
