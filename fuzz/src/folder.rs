//! `folder_files`: the small files of a results folder or a shard — what
//! `report --from`, a resumed study and `merge` read from a folder they did
//! not write — on arbitrary bytes.
//!
//! The input is up to four files separated by NUL bytes (a NUL is never
//! part of a valid JSON or record file): `config.json`, `manifest.json`,
//! `shard.json` and a run's `record.csv`, missing ones empty. They are
//! written into a scratch folder and read back by the harness's own
//! readers.

use harness::config_file::ConfigFile;
use harness::folder::{Manifest, safe_relative};
use harness::inits::InitSpec;
use harness::jobs::parse_record;
use harness::record::Record;
use harness::shard::{MAX_SHARDS, Shard, ShardFile};
use harness::study::Splits;
use std::path::{Component, Path, PathBuf};

/// The file names, in the order of the input's parts.
const FILES: [&str; 4] = ["config.json", "manifest.json", "shard.json", "record.csv"];

/// The readers of a folder's small files on the four parts of `bytes`.
///
/// Properties: no panic, and every error is one line of bounded length
/// ([`harness::error::MAX_MESSAGE`] and a little, no control character).
/// `config.json` ([`ConfigFile::read`]): an accepted file's shape, data
/// source and configuration ([`ConfigFile::shape`], [`ConfigFile::generated`],
/// [`ConfigFile::to_config`] with empty splits) and its re-serialization
/// ([`ConfigFile::to_json`]), which reads back. `manifest.json`
/// ([`Manifest::read`], and [`safe_relative`] on each of its lines): **a
/// name accepted as a path inside the folder never has a `..`, `.`, root or
/// prefix component**, is relative, has no empty segment, and joined to
/// the folder stays below it. `shard.json` ([`ShardFile::read`]): an
/// accepted file lists each run once; its `shard`/`of`, parsed as `--shard`
/// would, give an index below a count of 1 to [`MAX_SHARDS`] or an error;
/// [`harness::shard::sources`] over two copies of it (every run in two
/// shards) and over no runs (every run a stranger) fails with one short
/// line. `record.csv` ([`Record::parse`], then [`parse_record`] for the
/// config's first initializer and seed, or the record's own): no panic.
pub fn folder_files(bytes: &[u8]) {
    let mut parts = bytes.splitn(FILES.len(), |&b| b == 0);
    let parts: [&[u8]; 4] = std::array::from_fn(|_| parts.next().unwrap_or(&[]));
    let dir = scratch();
    for (name, part) in FILES.iter().zip(parts) {
        std::fs::write(dir.join(name), part).expect("write a scratch file");
    }
    let config = config_json(&dir.join(FILES[0]));
    manifest_json(&dir, parts[1]);
    shard_json(&dir);
    record_csv(parts[3], config.as_ref());
    let _ = std::fs::remove_dir_all(&dir);
}

/// A scratch folder of this process and thread (libFuzzer's workers and the
/// replay's threads each have their own).
fn scratch() -> PathBuf {
    let thread = format!("{:?}", std::thread::current().id()).replace(|c: char| !c.is_ascii_digit(), "");
    let dir = std::env::temp_dir().join(format!("saorsa-nn-fuzz-folder-{}-{thread}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    dir
}

/// An error message as the binary prints it: one line, bounded.
fn one_short_line(what: &str, message: &str) {
    assert!(!message.chars().any(char::is_control), "{what}: a control character in {message:?}");
    let most = harness::error::MAX_MESSAGE + 1024;
    assert!(message.len() <= most, "{what}: a {}-byte message", message.len());
}

/// `config.json`: the first initializer and seed of an accepted file.
fn config_json(path: &Path) -> Option<(InitSpec, u64)> {
    let file = match ConfigFile::read(path) {
        Ok(file) => file,
        Err(e) => {
            one_short_line("ConfigFile::read", &e.to_string());
            return None;
        }
    };
    if let Err(e) = file.shape() {
        one_short_line("ConfigFile::shape", &e);
    }
    if let Err(e) = file.generated() {
        one_short_line("ConfigFile::generated", &e);
    }
    let splits = Splits {
        train: harness::dataset::Data::new(file.network.inputs(), 2),
        val: harness::dataset::Data::new(file.network.inputs(), 2),
    };
    if let Err(e) = file.to_config(&splits) {
        one_short_line("ConfigFile::to_config", &e);
    }
    let json = file.to_json();
    std::fs::write(path, &json).expect("write a scratch file");
    ConfigFile::read(path).expect("a config.json the harness writes of one it accepted reads back");
    Some((file.inits.first()?.clone(), *file.seeds.first()?))
}

/// `manifest.json`: every name accepted as a path inside the folder is a plain relative one.
fn manifest_json(dir: &Path, bytes: &[u8]) {
    match Manifest::read(dir, FILES[1]) {
        Ok(Some(m)) => m.files.keys().for_each(|name| {
            assert!(safe_relative(name).is_some(), "Manifest::read accepted {name:?}");
            plain_name(name);
        }),
        Ok(None) => panic!("Manifest::read found no manifest in a regular file"),
        Err(e) => one_short_line("Manifest::read", &e.to_string()),
    }
    for line in String::from_utf8_lossy(bytes).split('\n') {
        plain_name(line);
    }
}

/// The property of [`safe_relative`] on `name`, checked without it.
fn plain_name(name: &str) {
    let Some(path) = safe_relative(name) else { return };
    assert!(path.is_relative() && path.components().next().is_some(), "{name:?}: accepted as {path:?}");
    for c in path.components() {
        assert!(matches!(c, Component::Normal(_)), "{name:?}: accepted with a {c:?} component");
    }
    assert!(!name.starts_with('/') && !name.contains('\0') && !name.contains('\\'), "{name:?}: accepted");
    assert!(name.split('/').all(|s| !s.is_empty() && s != "." && s != ".."), "{name:?}: accepted");
    let folder = Path::new("/folder");
    let joined = folder.join(&path);
    assert!(joined.starts_with(folder) && joined != folder, "{name:?}: joined as {joined:?}");
}

/// `shard.json`: each run once; the shard's numbers; merge's messages over it.
fn shard_json(dir: &Path) {
    let file = match ShardFile::read(dir) {
        Ok(file) => file,
        Err(e) => return one_short_line("ShardFile::read", &e.to_string()),
    };
    let mut runs: Vec<&String> = file.runs.iter().collect();
    runs.sort();
    assert!(runs.windows(2).all(|w| w[0] != w[1]), "ShardFile::read accepted a run listed twice");
    let none = |_: &str| None;
    if let Ok(s) = Shard::parse(&format!("{}/{}", file.shard, file.of), &none) {
        assert!(s.count >= 1 && s.count <= MAX_SHARDS && s.index < s.count, "{s:?}");
        assert_eq!((s.index, s.count), (file.shard, file.of));
    }
    let dirs = [dir.join("a\u{1b}[2J"), dir.join("b\n")];
    let ids: Vec<String> = file.runs.iter().take(3).cloned().collect();
    let twice = [file.clone(), file.clone()];
    match harness::shard::sources(&dirs, &twice, &ids, |_, _| Ok(())) {
        Ok(_) => assert!(ids.is_empty() && file.runs.is_empty(), "runs in two shards were accepted"),
        Err(e) => one_short_line("sources (every run twice)", &e.to_string()),
    }
    let once = [file.clone()];
    match harness::shard::sources(&dirs[..1], &once, &[], |_, _| Err("not finished\n".into())) {
        Ok(_) => assert!(file.runs.is_empty(), "runs that are not the sweep's were accepted"),
        Err(e) => one_short_line("sources (strangers)", &e.to_string()),
    }
    match harness::shard::sources(&dirs[..1], &once, &ids, |_, _| Err("not\u{7} finished\n".into())) {
        Ok(_) => assert!(ids.is_empty(), "unfinished runs were accepted"),
        Err(e) => one_short_line("sources (unfinished)", &e.to_string()),
    }
}

/// `record.csv`, decoded for the config's run (or the record's own), as `report --from` does.
fn record_csv(bytes: &[u8], config: Option<&(InitSpec, u64)>) {
    let record = match Record::parse(bytes) {
        Ok(r) => r,
        Err(e) => return one_short_line("Record::parse", &e),
    };
    let own = record.values("run").unwrap_or_default();
    let (init, seed) = match config {
        Some((init, seed)) => (init.clone(), *seed),
        None => (
            own.first()
                .and_then(|n| InitSpec::parse(n).ok())
                .unwrap_or_else(|| InitSpec::parse("he").expect("he")),
            own.get(1).and_then(|s| s.parse().ok()).unwrap_or(0),
        ),
    };
    let identity = record
        .values("config_crc32")
        .and_then(|v| v.first())
        .and_then(|h| u32::from_str_radix(h, 16).ok())
        .unwrap_or(0);
    if let Err(e) = parse_record(&record, &init, seed, identity) {
        one_short_line("parse_record", &e);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The files of a real study (and of a shard of it) are accepted, and the record decodes
    /// for the config's first run: the property check reaches past every reader.
    #[test]
    fn a_study_folders_files_are_accepted() {
        let bytes =
            std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/regressions/folder_files/valid-study"))
                .unwrap();
        let parts: Vec<&[u8]> = bytes.split(|&b| b == 0).collect();
        assert_eq!(parts.len(), FILES.len());
        let dir = scratch();
        for (name, part) in FILES.iter().zip(&parts) {
            std::fs::write(dir.join(name), part).unwrap();
        }
        let (init, seed) = config_json(&dir.join(FILES[0])).expect("the config is accepted");
        assert_eq!((init.name(), seed), ("he".to_string(), 0));
        let manifest = Manifest::read(&dir, FILES[1]).unwrap().expect("a manifest");
        assert!(manifest.files.len() > 30, "{}", manifest.files.len());
        assert_eq!(ShardFile::read(&dir).expect("a shard file").runs, ["he/seed-0", "glorot/seed-0"]);
        let record = Record::parse(parts[3]).expect("a whole record");
        let identity = u32::from_str_radix(&record.values("config_crc32").unwrap()[0], 16).unwrap();
        assert_eq!(parse_record(&record, &init, seed, identity).expect("it decodes").epochs.len(), 3);
        std::fs::remove_dir_all(&dir).unwrap();
        folder_files(&bytes);
    }
}
