//! `layer_stats.csv` against an independent computation: the epoch-0 statistics of every run
//! recomputed by NumPy from the run's `initial.bin` and the study's `data/train.csv`
//! (`reference/layer_stats_check.py`, its output `reference/layer_stats_check.txt`), for the
//! paper's configuration and for a LayerNorm network on three classes, within f32 rounding.
//! The folders are made as the script's docstring says:
//! `harness --seeds 0,1 --epochs 3` and
//! `harness --arch 2-16-8-3 --layer-norm --dataset spirals:3 --seeds 5 --epochs 3`.

use harness::results::{LAYER_STATS_COLUMNS, LayerStatsRow, read_layer_stats};
use std::path::{Path, PathBuf};
use std::process::Command;

fn study(name: &str, args: &[&str]) -> PathBuf {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&out);
    let o = Command::new(env!("CARGO_BIN_EXE_harness"))
        .args(["--quiet", "--out", out.to_str().unwrap()])
        .args(args)
        .output()
        .expect("run the harness");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    out
}

/// Within f32 rounding: relative 2e-5 of the value, or (for a mean, which can cancel to near
/// zero) of the matching SD.
fn close(got: f64, want: f64, scale: f64) -> bool {
    (got - want).abs() <= 2e-5 * want.abs().max(scale) + 1e-12
}

#[test]
fn epoch_zero_statistics_match_numpy_from_the_checkpoints() {
    let reference = include_str!("reference/layer_stats_check.txt");
    let cases = [
        ("paper", study("ls-paper", &["--seeds", "0,1", "--epochs", "3"])),
        (
            "norm",
            study(
                "ls-norm",
                &[
                    "--arch",
                    "2-16-8-3",
                    "--layer-norm",
                    "--dataset",
                    "spirals:3",
                    "--seeds",
                    "5",
                    "--epochs",
                    "3",
                ],
            ),
        ),
    ];
    let mut checked = 0;
    for (case, dir) in &cases {
        let rows = read_layer_stats(dir, "layer_stats.csv", usize::MAX).unwrap();
        // Epochs 0 to 3 (all frames of a 3-epoch run); full batch: epoch 1 sees epoch 0's weights.
        let at = |r: &LayerStatsRow, e: usize| {
            rows.iter().find(|o| o.init == r.init && o.seed == r.seed && o.layer == r.layer && o.epoch == e)
        };
        for r in rows.iter().filter(|r| r.epoch == 0) {
            assert_eq!(at(r, 1).map(|o| o.values), Some(r.values), "{case}: epoch 1 repeats epoch 0");
            assert!(at(r, 2).is_some() && at(r, 3).is_some());
        }
        for line in reference.lines().filter(|l| l.starts_with(&format!("{case} "))) {
            let v: Vec<&str> = line.split(' ').collect();
            let (init, seed, layer): (&str, u64, usize) =
                (v[1], v[2].parse().unwrap(), v[3].parse().unwrap());
            let want: Vec<f64> = v[4..].iter().map(|x| x.parse().unwrap()).collect();
            let got = rows
                .iter()
                .find(|r| r.init == init && r.seed == seed && r.layer == layer && r.epoch == 0)
                .unwrap_or_else(|| panic!("{case}: no epoch-0 row for {init} seed {seed} layer {layer}"));
            for (k, name) in LAYER_STATS_COLUMNS.iter().enumerate() {
                let scale = match *name {
                    "pre_mean" => want[1],
                    "act_mean" => want[3],
                    _ => 0.0,
                };
                assert!(
                    close(got.values[k], want[k], scale),
                    "{case} {init} seed {seed} layer {layer} {name}: {} vs NumPy's {}",
                    got.values[k],
                    want[k]
                );
            }
            checked += 1;
        }
        // The top-level file is the runs' own files, in run order.
        let mut joined = Vec::new();
        let config = std::fs::read_to_string(dir.join("runs.csv")).unwrap();
        for run in config.lines().skip(1) {
            let mut f = run.split(',');
            let (init, seed) = (f.next().unwrap(), f.next().unwrap());
            joined.extend(
                read_layer_stats(dir, &format!("runs/{init}/seed-{seed}/layer_stats.csv"), usize::MAX)
                    .unwrap(),
            );
        }
        assert_eq!(joined, rows, "{case}");
    }
    assert_eq!(checked, 69);
}
