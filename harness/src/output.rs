//! Writing results: every file goes to a temporary name in its directory and
//! is renamed into place, so an interrupted run never leaves a half-written
//! file, and the harness never deletes a file it did not write.

use crate::error::{Error, Result};
use std::path::Path;

/// Writes `bytes` to `path` atomically (temporary file + rename), creating
/// parent directories.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("out");
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    if let Err(e) = std::fs::write(&tmp, bytes) {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::io(path, e));
    }
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(path, e)
    })
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
