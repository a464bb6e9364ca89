//! Version 1 of the claims is kept exactly as registered.
//!
//! **Version 1 must never change.** Its registry and analysis source is
//! frozen by a hash, and a tiny run of it must write, byte for byte, the
//! files the harness wrote before version 2 existed. A change that breaks
//! either test changes version 1: make it in version 2 instead
//! (`harness/src/claims/v2/`, with a line in its `CHANGES.md`).

use harness::claims::{self, Registry, Scale};
use std::path::{Path, PathBuf};

/// Version 1's registry and analysis, in a fixed order. The registered
/// source is commit a6b3e74's; since then only the visibility of
/// `analysis::figure` and its functions changed (`pub(crate)`, for version
/// 2's figures to share them), which `git diff a6b3e74 --
/// harness/src/claims/registry.rs harness/src/claims/analysis` shows.
const V1_SOURCE: [(&str, &str); 10] = [
    ("registry.rs", include_str!("../src/claims/registry.rs")),
    ("analysis/mod.rs", include_str!("../src/claims/analysis/mod.rs")),
    ("analysis/base_plan.rs", include_str!("../src/claims/analysis/base_plan.rs")),
    ("analysis/component.rs", include_str!("../src/claims/analysis/component.rs")),
    ("analysis/figure.rs", include_str!("../src/claims/analysis/figure.rs")),
    ("analysis/levels.rs", include_str!("../src/claims/analysis/levels.rs")),
    ("analysis/measures.rs", include_str!("../src/claims/analysis/measures.rs")),
    ("analysis/sweeps.rs", include_str!("../src/claims/analysis/sweeps.rs")),
    ("analysis/table.rs", include_str!("../src/claims/analysis/table.rs")),
    ("analysis/verdict.rs", include_str!("../src/claims/analysis/verdict.rs")),
];

/// The CRC-32 of version 1's source: each file's name, a NUL, its text and
/// a NUL, in [`V1_SOURCE`] order. Version 1 must never change: this
/// constant is not to be updated.
const V1_SOURCE_CRC: &str = "11695092";

#[test]
fn version_1_source_is_frozen() {
    let mut bytes = Vec::new();
    for (name, text) in V1_SOURCE {
        bytes.extend_from_slice(name.as_bytes());
        bytes.push(0);
        bytes.extend_from_slice(text.as_bytes());
        bytes.push(0);
    }
    assert_eq!(format!("{:08x}", saorsa_nn::crc32(&bytes)), V1_SOURCE_CRC, "version 1's source changed");
    // Every file of version 1's analysis is in the list.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/claims/analysis");
    let mut on_disk: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| format!("analysis/{}", e.unwrap().file_name().to_string_lossy()))
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = V1_SOURCE.iter().skip(1).map(|(n, _)| n.to_string()).collect();
    listed.sort();
    assert_eq!(on_disk, listed);
}

/// Every file under `dir`, relative, sorted.
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

/// Whether `name` is drawn (a figure, the page that inlines them, or the manifest of their
/// CRCs) rather than computed: drawn files come from the shared figure code, whose bytes changed
/// once since a6b3e74 (labels and legends moved off the data), so they are checked against
/// `reference/v1_tiny_drawn.crc32`; every other file against a6b3e74's `reference/v1_tiny.crc32`.
fn is_drawn(name: &str) -> bool {
    name.starts_with("fig-") || name == "claims.html" || name == "manifest.json"
}

/// A tiny run of version 1 writes, byte for byte, the data files it wrote before version 2
/// existed (`reference/v1_tiny.crc32`: CRC-32, length and path of every file at a6b3e74, made
/// as `reference/v1_tiny.md` says) and the drawn files of today's figure code
/// (`reference/v1_tiny_drawn.crc32`).
#[test]
fn version_1_writes_the_files_it_always_wrote() {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("claims-v1-tiny");
    let _ = std::fs::remove_dir_all(&out);
    let jobs = claims::ClaimsJobs::with_registry(Registry::V1, Scale::Tiny).unwrap();
    let options =
        claims::Options { out: out.clone(), threads: 2, progress: &|| {}, force: false, shard: None };
    let outcome = claims::run(&jobs, &options).unwrap();
    assert_eq!(outcome.results.len(), 18);
    let mut names = Vec::new();
    files(&out, &out, &mut names);
    let got: Vec<String> = names
        .iter()
        .map(|n| {
            let bytes = std::fs::read(out.join(n)).unwrap();
            format!("{:08x} {} {}", saorsa_nn::crc32(&bytes), bytes.len(), n.display())
        })
        .collect();
    let name_of = |line: &str| line.splitn(3, ' ').nth(2).unwrap_or_default().to_string();
    let drawn: Vec<&str> = include_str!("reference/v1_tiny_drawn.crc32").lines().collect();
    let reference: Vec<&str> = include_str!("reference/v1_tiny.crc32")
        .lines()
        .map(|line| match is_drawn(&name_of(line)) {
            true => *drawn.iter().find(|d| name_of(d) == name_of(line)).expect("every drawn file listed"),
            false => line,
        })
        .collect();
    assert_eq!(drawn.len(), reference.iter().filter(|r| is_drawn(&name_of(r))).count());
    assert!(reference.iter().filter(|r| !is_drawn(&name_of(r))).count() >= 10, "the data files are checked");
    assert_eq!(got.len(), reference.len(), "the same number of files");
    for (g, r) in got.iter().zip(&reference) {
        assert_eq!(g, r, "a file of version 1 differs");
    }
    let _ = std::fs::remove_dir_all(&out);
}
