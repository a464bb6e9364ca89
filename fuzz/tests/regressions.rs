//! Replays every stored input under `regressions/<target>/` through the same
//! property check the fuzz target runs (`saorsa_nn_fuzz::<target>`), on
//! stable: `cargo test --manifest-path fuzz/Cargo.toml --test regressions`.
//!
//! Each input runs on its own thread with a time limit, so that an input
//! that once hung fails the test instead of hanging it.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// Far above any input's run time (well under a second each, even unoptimized).
const LIMIT: Duration = Duration::from_secs(120);

fn inputs(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("regressions").join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{}: keep at least one input per target", dir.display());
    files
}

fn replay(target: &str) {
    let check = saorsa_nn_fuzz::TARGETS.iter().find(|(name, _)| *name == target).expect("a target").1;
    let mut failures = Vec::new();
    for path in inputs(target) {
        let bytes = std::fs::read(&path).expect("readable input");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let r = std::panic::catch_unwind(|| check(&bytes));
            let _ = tx.send(r.map_err(|e| {
                e.downcast_ref::<String>()
                    .cloned()
                    .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default()
            }));
        });
        match rx.recv_timeout(LIMIT) {
            Ok(Ok(())) => {}
            Ok(Err(msg)) => failures.push(format!("{}: {msg}", path.display())),
            Err(_) => failures.push(format!("{}: hang (no result after {LIMIT:?})", path.display())),
        }
    }
    assert!(failures.is_empty(), "{} of the inputs fail:\n{}", failures.len(), failures.join("\n"));
}

macro_rules! targets {
    ($($name:ident),*) => {
        $(#[test] fn $name() { replay(stringify!($name)); })*

        #[test]
        fn every_target_is_replayed() {
            let mut ours = vec![$(stringify!($name)),*];
            let mut all: Vec<&str> = saorsa_nn_fuzz::TARGETS.iter().map(|t| t.0).collect();
            ours.sort();
            all.sort();
            assert_eq!(ours, all);
        }
    };
}

targets!(
    checkpoint_decode,
    checkpoint_decode_resealed,
    train_step,
    init_rng,
    dataset_csv,
    kernels_differential,
    run_record,
    folder_files,
    state_decode
);
