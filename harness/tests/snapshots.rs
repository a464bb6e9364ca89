//! Figure 6's weight snapshots: kept in memory by the study's own runs when
//! they fit the budget, bit-identical to a rerun's, and the fallback (no
//! snapshots kept, the report retrains the median runs) writes the same
//! files.

use harness::inits::InitSpec;
use harness::study::{
    self, DataSource, RunResult, SNAPSHOT_BUDGET_BYTES, Snapshot, StudyConfig, snapshot_bytes_per_run,
    snapshot_every,
};
use harness::synthetic::DatasetSpec;
use harness::{report, summary};
use saorsa_nn::{Init, PaperNet};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// 103 epochs: a frame every `ceil(103 / 50) = 3` epochs, and the last
/// epoch (103), not a multiple of 3, gets a frame of its own: 36 frames.
const EPOCHS: usize = 103;

fn config() -> StudyConfig {
    StudyConfig {
        source: DataSource::Generated { spec: DatasetSpec::Moons { noise: 0.18 }, samples: 240 },
        seeds: vec![0, 1],
        epochs: EPOCHS,
        ..StudyConfig::default()
    }
}

fn weights() -> usize {
    PaperNet::shapes().map(|(i, o)| i * o).sum()
}

fn bits(snaps: &[(usize, Snapshot)]) -> Vec<(usize, Vec<Vec<u32>>)> {
    snaps
        .iter()
        .map(|(e, w)| (*e, w.iter().map(|l| l.iter().map(|v| v.to_bits()).collect()).collect()))
        .collect()
}

fn checkpoint_weights(checkpoint: &[u8]) -> Vec<Vec<u32>> {
    let mut net: Box<PaperNet> = Box::default();
    net.decode_checkpoint(checkpoint).unwrap();
    net.layers().map(|l| l.weights.iter().map(|v| v.to_bits()).collect()).collect()
}

fn without_snapshots(runs: &[RunResult]) -> Vec<RunResult> {
    runs.iter().map(|r| RunResult { snapshots: Vec::new(), ..r.clone() }).collect()
}

fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        out.insert(p.strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(&p).unwrap());
    }
    out
}

#[test]
fn the_budget_is_what_the_snapshots_take() {
    // The paper's run: 51 frames of 8 448 weights.
    assert_eq!(weights(), 8448);
    assert_eq!(snapshot_every(250), 5);
    assert_eq!(snapshot_bytes_per_run(&saorsa_nn::Shape::paper(), 250), 51 * 8448 * 4);
    assert_eq!(snapshot_every(EPOCHS), 3);
    assert_eq!(snapshot_bytes_per_run(&saorsa_nn::Shape::paper(), EPOCHS), (1 + 35) * 8448 * 4);
    assert_eq!(snapshot_bytes_per_run(&saorsa_nn::Shape::paper(), 1), 2 * 8448 * 4);
    // The default study keeps its snapshots; a thousand seeds do not.
    let paper = StudyConfig::default();
    let runs = paper.inits.len() * paper.seeds.len();
    assert!(runs * snapshot_bytes_per_run(&saorsa_nn::Shape::paper(), paper.epochs) <= SNAPSHOT_BUDGET_BYTES);
    assert!(
        paper.inits.len() * 1000 * snapshot_bytes_per_run(&saorsa_nn::Shape::paper(), paper.epochs)
            > SNAPSHOT_BUDGET_BYTES
    );
    // No overflow for the largest epoch count the CLI accepts.
    assert!(snapshot_bytes_per_run(&saorsa_nn::Shape::paper(), 1_000_000) <= 52 * 8448 * 4);
}

#[test]
fn in_memory_snapshots_are_bit_identical_to_a_rerun() {
    let config = config();
    let splits = study::make_splits(&config).unwrap();
    let runs = study::run_all_with_budget(&config, &splits, 2, &|| {}, usize::MAX);
    assert_eq!(runs.len(), 6);
    let every = snapshot_every(EPOCHS);
    let expected_epochs: Vec<usize> = (0..=EPOCHS).filter(|e| e % every == 0 || *e == EPOCHS).collect();
    assert_eq!(expected_epochs.len(), 36);
    for r in &runs {
        assert!(r.error.is_none(), "{:?}", r.error);
        assert_eq!(r.snapshots.iter().map(|(e, _)| *e).collect::<Vec<_>>(), expected_epochs);
        let bytes: usize = r.snapshots.iter().flat_map(|(_, w)| w).map(|l| 4 * l.len()).sum();
        assert_eq!(bytes, snapshot_bytes_per_run(&saorsa_nn::Shape::paper(), EPOCHS));
        // The first and last frames are the run's checkpoints' weights.
        let snap_bits = bits(&r.snapshots);
        assert_eq!(snap_bits[0].1, checkpoint_weights(&r.initial), "{} seed {}", r.init.name(), r.seed);
        assert_eq!(snap_bits[35].1, checkpoint_weights(&r.last), "{} seed {}", r.init.name(), r.seed);
        assert_ne!(snap_bits[1].1, snap_bits[0].1, "frames change over training");
        // And every frame is the rerun's, bit for bit.
        let rerun = study::rerun_with_snapshots(&config, &splits, &r.init, r.seed, every);
        assert_eq!(snap_bits, bits(&rerun.snapshots), "{} seed {}", r.init.name(), r.seed);
        assert_eq!(rerun.last, r.last);
        assert_eq!(rerun.epochs, r.epochs);
    }
    // The paired inits start from the same draws scaled differently, so
    // their snapshots differ.
    let first_frame = |init: Init| {
        bits(&runs.iter().find(|r| r.init == InitSpec::from(init) && r.seed == 0).unwrap().snapshots)[0]
            .clone()
    };
    assert_ne!(first_frame(Init::GlorotNormal), first_frame(Init::HeNormal));
}

#[test]
fn over_budget_keeps_no_snapshots_and_the_report_is_byte_identical() {
    let config = config();
    let splits = study::make_splits(&config).unwrap();
    let need = 6 * snapshot_bytes_per_run(&saorsa_nn::Shape::paper(), EPOCHS);
    let kept = study::run_all_with_budget(&config, &splits, 2, &|| {}, need);
    let none = study::run_all_with_budget(&config, &splits, 1, &|| {}, need - 1);
    assert!(kept.iter().all(|r| r.snapshots.len() == 36));
    assert!(none.iter().all(|r| r.snapshots.is_empty()));
    // Everything else is the same, whatever the budget and thread count.
    assert_eq!(without_snapshots(&kept), none);

    let thresholds = study::Thresholds::of(&config, &splits).unwrap();
    let summary = summary::summarize(&config.inits, &kept, &thresholds);
    let root = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let (a, b) = (root.join("snapshots-in-memory"), root.join("snapshots-rerun"));
    for (dir, runs) in [(&a, &kept), (&b, &none)] {
        let _ = std::fs::remove_dir_all(dir);
        std::fs::create_dir_all(dir).unwrap();
        report::write_all(dir, &config, &splits, runs, &summary).unwrap();
    }
    let (fa, fb) = (files(&a), files(&b));
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    for init in ["small", "glorot", "he"] {
        let gif = PathBuf::from(format!("fig6_weight_evolution_{init}.gif"));
        assert!(fa[&gif].starts_with(b"GIF89a"), "{}", gif.display());
        assert!(fa[&gif] == fb[&gif], "{} differs between in-memory snapshots and a rerun", gif.display());
    }
    for (name, bytes) in &fa {
        assert!(bytes == &fb[name], "{} differs between in-memory snapshots and a rerun", name.display());
    }
}
