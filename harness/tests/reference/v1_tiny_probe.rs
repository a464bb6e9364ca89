//! Prints the CRC-32, length and path of every file a tiny claims run writes
//! with registry version 1 (`v1_tiny.md` says how it is run). Not compiled
//! as a test of this crate: it is copied into a checkout of the commit that
//! registered version 1, whose library has `ClaimsJobs::new(Scale::Tiny)`.

use harness::claims::{self, Scale};
use std::path::{Path, PathBuf};

fn files(dir: &Path, root: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, root, out);
        } else {
            out.push(p.strip_prefix(root).unwrap().to_path_buf());
        }
    }
}

#[test]
fn print_v1_tiny_crcs() {
    let out = std::env::temp_dir().join(format!("v1-tiny-probe-{}", std::process::id()));
    let jobs = claims::ClaimsJobs::new(Scale::Tiny).unwrap();
    let options = claims::Options { out: out.clone(), threads: 2, progress: &|| {}, force: false, shard: None };
    claims::run(&jobs, &options).unwrap();
    let mut names = Vec::new();
    files(&out, &out, &mut names);
    for n in names {
        let bytes = std::fs::read(out.join(&n)).unwrap();
        println!("{:08x} {} {}", saorsa_nn::crc32(&bytes), bytes.len(), n.display());
    }
    std::fs::remove_dir_all(&out).unwrap();
}
