//! The results folder is the report's only input: figure 6's frames are
//! written by the study (the median runs' weights, kept while they trained,
//! or the runs retrained with an observer: the same bits), and `harness
//! report --from DIR` redraws every file of a study byte for byte from the
//! data files alone — also of a study run with `--no-report`, which has no
//! frames yet.

mod common;
use common::files;
use harness::config::{DataSource, StudyConfig};
use harness::inits::InitSpec;
use harness::results::{self, frames_bin, read_frames};
use harness::study::{self, is_frame, record_frames};
use harness::synthetic::DatasetSpec;
use saorsa_nn::Init;
use std::path::Path;
use std::process::Command;

#[test]
fn frames_are_every_early_epoch_then_thinned() {
    let frames = |epochs: usize| (0..=epochs).filter(|&e| is_frame(e, epochs)).collect::<Vec<_>>();
    let f250 = frames(250);
    assert_eq!(&f250[..27], &[(0..=25).collect::<Vec<_>>(), vec![30]].concat()[..]);
    assert_eq!(f250.len(), 26 + 45);
    assert_eq!(*f250.last().unwrap(), 250);
    assert_eq!(frames(7), (0..=7).collect::<Vec<_>>());
    let long = frames(1_000_000);
    assert!(long.len() <= 26 + 76 + 1, "{}", long.len());
    assert_eq!(*long.last().unwrap(), 1_000_000);
    assert!(frames(103).contains(&103));
}

#[test]
fn recorded_frames_are_the_runs_own_weights() {
    let config = StudyConfig {
        source: DataSource::Generated { spec: DatasetSpec::Moons { noise: 0.18 }, samples: 240 },
        seeds: vec![0, 1],
        epochs: 33,
        ..StudyConfig::default()
    };
    let splits = study::make_splits(&config).unwrap();
    let he = InitSpec::from(Init::HeNormal);
    let run = study::run_one(&config, &splits, &he, 1, &mut |_, _| {});
    let frames = record_frames(&config, &splits, &he, 1);
    let epochs: Vec<usize> = frames.iter().map(|f| f.0).collect();
    assert_eq!(epochs, (0..=33).filter(|&e| is_frame(e, 33)).collect::<Vec<_>>());
    assert_eq!(frames[0].1, run.initial);
    assert_eq!(frames.last().unwrap().1, run.last);
    // frames.bin round-trips to the weight matrices of each checkpoint.
    let back = read_frames(&frames_bin(&frames)).unwrap();
    assert_eq!(back.len(), frames.len());
    assert_eq!(back[0].1.len(), 4);
    assert_eq!(back[0].1[1].len(), 64 * 64);
    let glorot = record_frames(&config, &splits, &InitSpec::from(Init::GlorotNormal), 1);
    assert_ne!(read_frames(&frames_bin(&glorot)).unwrap()[0].1[1], back[0].1[1]);
    assert!(read_frames(b"SNF1\x01\x00\x00\x00SNN1").is_err());
    assert!(read_frames(b"nope").is_err());
}

/// Runs a study with `args`, copies only its data files into a new folder,
/// redraws that folder with `harness report --from` and checks every file
/// is byte-identical to the study's own; returns the study's folder.
fn redraw_matches(name: &str, args: &[&str]) -> std::path::PathBuf {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let (a, b) = (root.join(format!("{name}-original")), root.join(format!("{name}-from-files")));
    for d in [&a, &b] {
        let _ = std::fs::remove_dir_all(d);
    }
    let run = |args: &[&str]| {
        let o = Command::new(env!("CARGO_BIN_EXE_harness")).args(args).output().unwrap();
        assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    };
    let mut study: Vec<&str> = args.to_vec();
    study.extend(["--quiet", "--out", a.to_str().unwrap()]);
    run(&study);
    // Only the data files: config, data, metrics, runs, update sizes, checkpoints and frames,
    // and the manifest that vouches for them (report --from refuses a folder without one).
    let original = files(&a);
    let is_data = |p: &Path| {
        let s = p.to_str().unwrap();
        s.ends_with(".csv") || s.ends_with(".bin") || s == "config.json" || s == "manifest.json"
    };
    for (p, bytes) in original.iter().filter(|(p, _)| is_data(p)) {
        std::fs::create_dir_all(b.join(p).parent().unwrap()).unwrap();
        std::fs::write(b.join(p), bytes).unwrap();
    }
    assert!(original.keys().any(|p| p.ends_with("frames.bin")));
    run(&["report", "--from", b.to_str().unwrap(), "--threads", "1"]);
    let redrawn = files(&b);
    assert_eq!(original.keys().collect::<Vec<_>>(), redrawn.keys().collect::<Vec<_>>());
    for (p, bytes) in &original {
        assert!(bytes == &redrawn[p], "{} differs when redrawn from the files", p.display());
    }
    a
}

#[test]
fn report_from_the_files_alone_is_byte_identical() {
    let a = redraw_matches(
        "report",
        &["--seeds", "3", "--epochs", "30", "--samples", "200", "--inits", "small,he,he@1=glorot"],
    );
    // And the folder reads back into the study that wrote it.
    let loaded = results::load(&a).unwrap();
    assert_eq!(loaded.runs.len(), 9);
    assert_eq!(loaded.config.inits[2].name(), "he@1=glorot");
    assert!(loaded.runs.iter().all(|r| r.epochs.len() == 30 && r.update_size.len() == 30));
}

#[test]
fn a_study_without_its_report_is_drawn_later_to_the_same_bytes() {
    let args = ["--seeds", "3", "--epochs", "30", "--samples", "200", "--inits", "small,he"];
    let a = redraw_matches("no-report-drawn", &args);
    let b = Path::new(env!("CARGO_TARGET_TMPDIR")).join("no-report");
    let _ = std::fs::remove_dir_all(&b);
    let mut study = args.to_vec();
    study.extend(["--quiet", "--no-report", "--out", b.to_str().unwrap()]);
    let o = Command::new(env!("CARGO_BIN_EXE_harness")).args(&study).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("No figures or report (--no-report)"), "{stdout}");
    let (drawn, tables) = (files(&a), files(&b));
    // The tables and the summary, byte for byte; no frames, figures or report.
    for name in
        ["metrics.csv", "runs.csv", "update_size.csv", "layer_stats.csv", "summary.json", "summary.md"]
    {
        assert_eq!(drawn[Path::new(name)], tables[Path::new(name)], "{name}");
    }
    for p in tables.keys() {
        let s = p.to_str().unwrap();
        assert!(drawn.contains_key(p), "{s} is not a file of the drawn study");
        assert!(
            !(s.ends_with(".png") || s.ends_with(".svg") || s.ends_with(".gif") || s.ends_with("frames.bin")),
            "{s} was drawn"
        );
    }
    assert!(!tables.contains_key(Path::new("report.html")));
    // Drawn later (its medians retrained for figure 6's frames): every file of the study
    // that drew them while training, manifest included.
    let o = Command::new(env!("CARGO_BIN_EXE_harness"))
        .args(["report", "--from", b.to_str().unwrap(), "--threads", "2"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let redrawn = files(&b);
    assert_eq!(drawn.keys().collect::<Vec<_>>(), redrawn.keys().collect::<Vec<_>>());
    for (p, bytes) in &drawn {
        assert!(bytes == &redrawn[p], "{} differs when drawn later", p.display());
    }
}

#[test]
fn a_layer_norm_study_reads_back_and_redraws_identically() {
    let a = redraw_matches(
        "report-layer-norm",
        &["--layer-norm", "--arch", "2-16-8-2", "--seeds", "2", "--epochs", "12", "--samples", "120"],
    );
    let loaded = results::load(&a).unwrap();
    assert_eq!(loaded.config.shape.normalization(), saorsa_nn::Normalization::LayerNorm);
    // 2·16 + 2·8 gains and shifts on top of the dense layers' parameters.
    assert_eq!(loaded.config.shape.parameter_count(), 3 * 16 + 17 * 8 + 9 * 2 + 2 * (16 + 8));
    let config = std::fs::read_to_string(a.join("config.json")).unwrap();
    assert!(config.contains("\"normalization\": \"layernorm\""), "{config}");
    let report = std::fs::read_to_string(a.join("report.html")).unwrap();
    assert!(report.contains("LayerNorm"), "the report names the normalization");
    // Its checkpoints are version 2 and decode into the normalized network.
    let run = &loaded.runs[0];
    let net = results::final_model(&a, &run.init, run.seed, &loaded.config.shape).unwrap();
    assert_eq!(net.shape(), &loaded.config.shape);
    let bytes = std::fs::read(results::run_dir(&a, &run.init, run.seed).join("final.bin")).unwrap();
    assert_eq!(&bytes[4..6], &2u16.to_le_bytes());
}

/// A study drawn with `--shared-scale --loss-scale linear` records those
/// choices in `figures.json`, so a plain `report --from` draws the same
/// figures again; options given to `report` change them and are recorded.
#[test]
fn report_from_keeps_the_figure_options_it_was_drawn_with() {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let (a, b) = (root.join("options-original"), root.join("options-redrawn"));
    for d in [&a, &b] {
        let _ = std::fs::remove_dir_all(d);
    }
    let run = |args: &[&str]| {
        let o = Command::new(env!("CARGO_BIN_EXE_harness")).args(args).output().unwrap();
        assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    };
    let small = ["--seeds", "2", "--epochs", "12", "--samples", "120", "--inits", "small,he", "--quiet"];
    let mut study = small.to_vec();
    study.extend(["--shared-scale", "--loss-scale", "linear", "--out", a.to_str().unwrap()]);
    run(&study);
    let recorded = std::fs::read_to_string(a.join("figures.json")).unwrap();
    assert!(recorded.contains("\"shared_scale\": true") && recorded.contains("\"loss_scale\": \"linear\""));
    let original = files(&a);
    for (p, bytes) in &original {
        std::fs::create_dir_all(b.join(p).parent().unwrap()).unwrap();
        std::fs::write(b.join(p), bytes).unwrap();
    }
    let from = b.to_str().unwrap();
    run(&["report", "--from", from, "--threads", "1"]);
    let redrawn = files(&b);
    assert_eq!(original.keys().collect::<Vec<_>>(), redrawn.keys().collect::<Vec<_>>());
    for (p, bytes) in &original {
        assert!(bytes == &redrawn[p], "{} differs when redrawn with the recorded options", p.display());
    }
    // Told otherwise, the report draws otherwise — and records it.
    run(&["report", "--from", from, "--per-init-scale", "--loss-scale", "log"]);
    let changed = files(&b);
    let differs = |name: &str| original[Path::new(name)] != changed[Path::new(name)];
    assert!(differs("fig6_weight_evolution_small.gif") && differs("fig3b_train_loss.svg"));
    assert!(!differs("fig3_train_accuracy.svg") && !differs("metrics.csv"));
    let recorded = std::fs::read_to_string(b.join("figures.json")).unwrap();
    assert!(recorded.contains("\"shared_scale\": false") && recorded.contains("\"loss_scale\": \"log\""));
    // `--shared-scale` and `--per-init-scale` exclude each other.
    let o = Command::new(env!("CARGO_BIN_EXE_harness"))
        .args(["report", "--from", from, "--shared-scale", "--per-init-scale"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    // A damaged figures.json is named, and nothing is redrawn.
    std::fs::write(b.join("figures.json"), "{\"shared_scale\": tru").unwrap();
    let before = files(&b);
    let o = Command::new(env!("CARGO_BIN_EXE_harness")).args(["report", "--from", from]).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("figures.json") && err.lines().count() == 1, "{err}");
    assert_eq!(before, files(&b));
    // Every drawing option given, the file is not needed, and is written anew.
    run(&["report", "--from", from, "--per-init-scale", "--loss-scale", "log"]);
    assert_eq!(changed, files(&b));
}
