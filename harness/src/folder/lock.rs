//! The lock of a results folder in use, and the harness's own temporary leftovers in it.

use crate::error::{Error, Result, quote};
use crate::layout;
use std::io::Write as _;
use std::path::{Path, PathBuf};

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
/// subdirectories (symbolic links are not followed), except those of a subdirectory that is
/// another results folder (it holds a [`layout::LOCK`]: a run there may be writing them). Call
/// with the folder's [`Lock`] held: then no other run is writing them. Returns how many were
/// removed.
pub fn remove_temporaries(dir: &Path) -> usize {
    let mut removed = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let Ok(kind) = e.file_type() else { continue };
            let name = e.file_name();
            if kind.is_dir() {
                if std::fs::symlink_metadata(e.path().join(layout::LOCK)).is_err() {
                    stack.push(e.path());
                }
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
