//! Writing one file: every file goes to a temporary name in its directory, is flushed to disk
//! (`fsync`) and renamed into place, and the directory is flushed after the rename, so an
//! interrupted run (or a power loss) never leaves a half-written or empty file under a final
//! name; and reading one with a size cap. Which files make a results folder, and its manifest,
//! are [`crate::folder`]'s.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};

/// A file's length and CRC-32, as a manifest lists it ([`crate::folder::Manifest`]).
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
        Entry { bytes: bytes.len() as u64, crc32: format!("{:08x}", crc32fast::hash(bytes)) }
    }
}

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

/// Why [`read_capped`] read nothing.
#[derive(Debug)]
pub enum Unreadable {
    /// The file could not be opened or read.
    Io(std::io::Error),
    /// A directory.
    Directory,
    /// Neither a regular file nor a directory: what it is (`a named pipe (FIFO)`, `a device`).
    Special(&'static str),
    /// Longer than the cap.
    TooLarge,
}

/// Reads `path` whole if it is a regular file (checked before opening, so that a named pipe
/// cannot block the open, and again on the file opened, in case the path changed meanwhile) of
/// at most `max` bytes (more is never read: `/dev/zero` behind a symbolic link ends there).
///
/// # Errors
/// [`Unreadable`]: why not.
pub fn read_capped(path: &Path, max: u64) -> std::result::Result<Vec<u8>, Unreadable> {
    let regular = |m: std::fs::Metadata| match m.file_type() {
        t if t.is_file() => Ok(()),
        t if t.is_dir() => Err(Unreadable::Directory),
        t => Err(Unreadable::Special(special_kind(t))),
    };
    regular(std::fs::metadata(path).map_err(Unreadable::Io)?)?;
    let file = std::fs::File::open(path).map_err(Unreadable::Io)?;
    regular(file.metadata().map_err(Unreadable::Io)?)?;
    let mut bytes = Vec::new();
    file.take(max.saturating_add(1)).read_to_end(&mut bytes).map_err(Unreadable::Io)?;
    if bytes.len() as u64 > max {
        return Err(Unreadable::TooLarge);
    }
    Ok(bytes)
}

/// What a file that is neither a regular file nor a directory is, for a message.
fn special_kind(t: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    let _ = t;
    "a special file"
}

/// [`read_capped`] with the harness's errors: a results folder's own files.
///
/// # Errors
/// [`Error::Io`] when it cannot be read; [`Error::Results`] when it is not a regular file or is
/// longer than `max`.
pub fn read_bounded(path: &Path, max: u64) -> Result<Vec<u8>> {
    read_capped(path, max).map_err(|u| match u {
        Unreadable::Io(e) => Error::io(path, e),
        Unreadable::Directory => Error::results(path, "a directory, not a regular file"),
        Unreadable::Special(kind) => Error::results(path, format!("{kind}, not a regular file")),
        Unreadable::TooLarge => {
            Error::results(path, format!("longer than the {max} bytes such a file may have"))
        }
    })
}

/// Writes `bytes` to `path` atomically (temporary file, `fsync`, rename,
/// `fsync` of the directory), creating parent directories.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut f = AtomicFile::create(path)?;
    f.write(bytes)?;
    f.commit().map(drop)
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
    crc: crc32fast::Hasher,
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
            crc: crc32fast::Hasher::new(),
        })
    }

    /// Appends `bytes`.
    pub fn write(&mut self, bytes: &[u8]) -> Result<()> {
        let f = self.file.as_mut().expect("open until committed");
        f.write_all(bytes).map_err(|e| Error::io(&self.path, e))?;
        self.bytes += bytes.len() as u64;
        self.crc.update(bytes);
        Ok(())
    }

    /// Flushes the file to disk and renames it into place (then flushes
    /// the directory).
    pub fn commit(mut self) -> Result<Entry> {
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
        Ok(Entry { bytes: self.bytes, crc32: format!("{:08x}", self.crc.clone().finalize()) })
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

#[cfg(test)]
mod tests {
    use super::{AtomicFile, Entry, csv_text};

    /// A manifest's CRC-32 (`crc32fast`) is zlib's, the core's [`saorsa_nn::crc32`], whole or
    /// written in pieces, at every length around `crc32fast`'s SIMD block sizes.
    #[test]
    fn manifest_crc_is_the_cores() {
        let data: Vec<u8> = (0..1000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
        assert_eq!(Entry::of(b"123456789").crc32, "cbf43926");
        let dir = std::env::temp_dir().join(format!("harness-crc-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for n in [0, 1, 15, 16, 63, 64, 65, 127, 128, 129, 511, 1000] {
            let want = format!("{:08x}", saorsa_nn::crc32(&data[..n]));
            assert_eq!(Entry::of(&data[..n]).crc32, want, "{n} bytes");
            let mut f = AtomicFile::create(&dir.join("f")).unwrap();
            for piece in data[..n].chunks(37) {
                f.write(piece).unwrap();
            }
            assert_eq!(f.commit().unwrap(), Entry { bytes: n as u64, crc32: want }, "{n} bytes in pieces");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

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
