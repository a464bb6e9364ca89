//! End-to-end tests of the harness binary: every output of a small study,
//! the summary recomputed from the CSVs, thread-count independence, and
//! every bad input rejected with a one-line error and exit code 2.

use harness::dataset::parse_csv;
use saorsa_nn::{Dataset, PaperNet};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const INITS: [&str; 3] = ["small", "glorot", "he"];
const SEEDS: u64 = 3;
const EPOCHS: usize = 20;

fn harness(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_harness")).args(args).output().expect("run the harness")
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn small_study(out: &Path, threads: &str) {
    let o = harness(&[
        "--seeds",
        "3",
        "--epochs",
        "20",
        "--samples",
        "240",
        "--quiet",
        "--threads",
        threads,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8(o.stdout).unwrap();
    assert!(stdout.contains("| init | runs |"), "{stdout}");
    assert!(stdout.contains("report.html"));
}

fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

fn csv(text: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let text = String::from_utf8(text.to_vec()).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap().split(',').map(String::from).collect();
    (header, lines.map(|l| l.split(',').map(String::from).collect()).collect())
}

fn mean_std(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    let m = v.iter().sum::<f64>() / n;
    (m, (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0)).sqrt())
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * (1.0 + a.abs())
}

#[test]
fn a_small_study_writes_everything_consistently_and_identically_on_any_thread_count() {
    let (one, two) = (scratch("study-1"), scratch("study-2"));
    small_study(&one, "1");
    small_study(&two, "2");
    let (a, b) = (files(&one), files(&two));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (name, bytes) in &a {
        assert!(bytes == &b[name], "{} differs between --threads 1 and 2", name.display());
    }
    // No temporary files left behind.
    assert!(a.keys().all(|p| !p.to_string_lossy().contains(".tmp")), "{:?}", a.keys());

    // Every expected file.
    let mut expected: Vec<String> = [
        "config.json",
        "data/train.csv",
        "data/val.csv",
        "metrics.csv",
        "runs.csv",
        "summary.json",
        "summary.md",
        "report.html",
    ]
    .map(String::from)
    .to_vec();
    for stem in [
        "fig1_dataset",
        "fig2_architecture",
        "fig3_train_accuracy",
        "fig3b_train_loss",
        "fig4_val_accuracy",
        "fig5_decision_boundaries",
        "fig7_update_size",
    ] {
        expected.push(format!("{stem}.svg"));
        expected.push(format!("{stem}.png"));
    }
    for init in INITS {
        expected.push(format!("fig6_weight_evolution_{init}.gif"));
        for seed in 0..SEEDS {
            expected.push(format!("runs/{init}/seed-{seed}/initial.bin"));
            expected.push(format!("runs/{init}/seed-{seed}/final.bin"));
        }
    }
    for e in &expected {
        let bytes = a.get(Path::new(e)).unwrap_or_else(|| panic!("missing {e}"));
        assert!(!bytes.is_empty(), "{e} is empty");
        if e.ends_with(".png") {
            assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{e}");
        }
        if e.ends_with(".gif") {
            assert_eq!(&bytes[..6], b"GIF89a", "{e}");
        }
        if e.ends_with(".svg") {
            assert!(bytes.starts_with(b"<svg"), "{e}");
        }
    }

    // Data: 240 samples split 180/60, readable as CSV.
    let train = parse_csv(&a[Path::new("data/train.csv")]).unwrap();
    let val = parse_csv(&a[Path::new("data/val.csv")]).unwrap();
    assert_eq!((train.x.len(), val.x.len()), (180, 60));
    let val_set = Dataset::<2, 2>::new(&val.x, &val.y).unwrap();
    let train_set = Dataset::<2, 2>::new(&train.x, &train.y).unwrap();

    // metrics.csv: a row per init, seed and epoch; runs.csv: a row per run.
    let (mh, metrics) = csv(&a[Path::new("metrics.csv")]);
    assert_eq!(mh, ["init", "seed", "epoch", "train_loss", "train_acc", "val_loss", "val_acc"]);
    assert_eq!(metrics.len(), INITS.len() * SEEDS as usize * EPOCHS);
    let (rh, runs) = csv(&a[Path::new("runs.csv")]);
    assert_eq!(
        rh,
        [
            "init",
            "seed",
            "final_train_loss",
            "final_val_loss",
            "final_val_acc",
            "epochs_to_90",
            "epochs_to_95"
        ]
    );
    assert_eq!(runs.len(), INITS.len() * SEEDS as usize);

    let summary: Value = serde_json::from_slice(&a[Path::new("summary.json")]).unwrap();
    for (k, init) in INITS.iter().enumerate() {
        let s = &summary["inits"][k];
        assert_eq!(s["init"], *init);
        let mine: Vec<&Vec<String>> = runs.iter().filter(|r| r[0] == *init).collect();
        let finals: Vec<f64> = mine.iter().map(|r| f64::from(r[4].parse::<f32>().unwrap())).collect();
        let (m, sd) = mean_std(&finals);
        let f = &s["final_val_acc"];
        assert!(close(f["mean"].as_f64().unwrap(), m), "{init} mean");
        assert!(close(f["std"].as_f64().unwrap(), sd), "{init} std");
        let min = finals.iter().copied().fold(f64::INFINITY, f64::min);
        let max = finals.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        assert_eq!(f["min"].as_f64().unwrap(), min);
        assert_eq!(f["max"].as_f64().unwrap(), max);
        let ci = f["ci95"].as_array().unwrap();
        assert!(ci[0].as_f64().unwrap() <= m + 1e-12 && m <= ci[1].as_f64().unwrap() + 1e-12);

        for r in &mine {
            let seed: u64 = r[1].parse().unwrap();
            let rows: Vec<&Vec<String>> = metrics.iter().filter(|m| m[0] == *init && m[1] == r[1]).collect();
            assert_eq!(rows.len(), EPOCHS);
            for (e, row) in rows.iter().enumerate() {
                assert_eq!(row[2], (e + 1).to_string());
            }
            // epochs_to_90 / 95 recomputed from the per-epoch train accuracy.
            for (col, target) in [(5, 0.90f32), (6, 0.95)] {
                let first = rows
                    .iter()
                    .position(|m| m[4].parse::<f32>().unwrap() >= target)
                    .map(|e| (e + 1).to_string());
                assert_eq!(r[col], first.unwrap_or_default(), "{init} seed {seed} epochs_to {target}");
            }
            // Checkpoints decode; epoch 1's metrics are those of the initial
            // weights, and the final values are those of the final weights.
            let dir = format!("runs/{init}/seed-{seed}");
            let mut net: Box<PaperNet> = Box::default();
            net.decode_checkpoint(&a[Path::new(&format!("{dir}/initial.bin"))]).unwrap();
            let v0 = net.evaluate(&val_set);
            let t0 = net.evaluate(&train_set);
            assert_eq!(rows[0][5].parse::<f32>().unwrap(), v0.loss, "{dir} epoch-1 val loss");
            assert_eq!(rows[0][6].parse::<f32>().unwrap(), v0.accuracy);
            assert_eq!(rows[0][3].parse::<f32>().unwrap(), t0.loss, "{dir} epoch-1 train loss");
            net.decode_checkpoint(&a[Path::new(&format!("{dir}/final.bin"))]).unwrap();
            let (vf, tf) = (net.evaluate(&val_set), net.evaluate(&train_set));
            assert_eq!(r[4].parse::<f32>().unwrap(), vf.accuracy, "{dir} final val acc");
            assert_eq!(r[3].parse::<f32>().unwrap(), vf.loss);
            assert_eq!(r[2].parse::<f32>().unwrap(), tf.loss);
        }
        // Curve points at epochs 1 and 10 and the last.
        for point in s["curve"].as_array().unwrap() {
            let epoch = point["epoch"].as_u64().unwrap().to_string();
            let losses: Vec<f64> = metrics
                .iter()
                .filter(|m| m[0] == *init && m[2] == epoch)
                .map(|m| m[3].parse::<f32>().unwrap().into())
                .collect();
            assert_eq!(losses.len(), SEEDS as usize);
            let (m, sd) = mean_std(&losses);
            assert!(close(point["train_loss_mean"].as_f64().unwrap(), m), "{init} epoch {epoch}");
            assert!(close(point["train_loss_std"].as_f64().unwrap(), sd));
        }
        let epochs: Vec<u64> =
            s["curve"].as_array().unwrap().iter().map(|p| p["epoch"].as_u64().unwrap()).collect();
        assert_eq!(epochs, [1, 10, 20]);
    }
    let bf = &summary["spread_test"];
    if !bf.is_null() {
        let p = bf["p_value"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&p));
    }
    assert_eq!(summary["pairwise"].as_array().unwrap().len(), 3);

    // config.json carries the configuration and the version.
    let config: Value = serde_json::from_slice(&a[Path::new("config.json")]).unwrap();
    assert_eq!(config["epochs"], 20);
    assert_eq!(config["seeds"], serde_json::json!([0, 1, 2]));
    assert_eq!(config["saorsa_nn_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(config["optimizer"]["learning_rate"], 0.001);

    // The report is self-contained and shows every figure.
    let report = String::from_utf8(a[Path::new("report.html")].clone()).unwrap();
    assert!(!report.contains("src=\"http") && !report.contains("href=\"http"));
    assert_eq!(report.matches("<figure>").count(), 7 + INITS.len());
    assert!(report.contains("data:image/gif;base64,"));
}

#[test]
fn bad_input_gets_a_one_line_error_and_exit_code_2() {
    let dir = scratch("bad-input");
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, text: &str| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_string()
    };
    let missing = write("missing.csv", "x1,label\n0.5,1\n");
    let label = write("label.csv", "x1,x2,label\n0.5,1,0\n0.1,0.2,2\n");
    let nan = write("nan.csv", "x1,x2,label\n0.5,1,0\nNaN,0.2,1\n");
    let blocker = write("not-a-dir", "a file where --out wants a directory");
    let out = dir.join("out");
    let out = out.to_str().unwrap();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["--epochs", "0"], "--epochs"),
        (vec!["--val-ratio", "1.5"], "--val-ratio"),
        (vec!["--val-ratio", "0"], "--val-ratio"),
        (vec!["--inits", "small,xavier"], "xavier"),
        (vec!["--seeds", "a..b"], "--seeds"),
        (vec!["--seeds", "0"], "--seeds"),
        (vec!["--lr", "-1"], "--lr"),
        (vec!["--lr", "NaN"], "--lr"),
        (vec!["--batch-size", "0"], "--batch-size"),
        (vec!["--noise", "-0.1"], "--noise"),
        (vec!["--threads", "0"], "--threads"),
        (vec!["--epochs", "many"], "--epochs"),
        (vec!["--data", &missing], "line 1: missing column `x2`"),
        (vec!["--data", &label], "line 3: label must be 0 or 1"),
        (vec!["--data", &nan], "line 3: x1 is not finite"),
        (vec!["--data", "/nonexistent/file.csv"], "/nonexistent/file.csv"),
        (vec!["--out", &blocker], "--out"),
    ];
    for (args, needle) in cases {
        let mut all = args.clone();
        if !args.contains(&"--out") {
            all.extend(["--out", out]);
        }
        let o = harness(&all);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(o.stdout.is_empty(), "{args:?} printed to stdout");
        // Our own errors are one line; clap's own parse errors add a usage hint.
        if args[1] != "many" {
            assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
        }
    }
    // Nothing was written for any of them.
    assert!(!Path::new(out).exists());
}

#[test]
fn own_data_from_csv_trains() {
    let dir = scratch("own-data");
    std::fs::create_dir_all(&dir).unwrap();
    let mut text = String::from("x1,x2,label\n");
    for k in 0..80 {
        let t = k as f32 / 80.0;
        text.push_str(&format!("{},{},{}\n", t, 1.0 - t, k % 2));
    }
    let data = dir.join("mine.csv");
    std::fs::write(&data, text).unwrap();
    let out = dir.join("out");
    let o = harness(&[
        "--data",
        data.to_str().unwrap(),
        "--seeds",
        "2",
        "--epochs",
        "3",
        "--inits",
        "he",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let config: Value = serde_json::from_slice(&std::fs::read(out.join("config.json")).unwrap()).unwrap();
    assert_eq!(config["data"]["kind"], "csv");
    assert_eq!(config["train_samples"], 60);
    // --data with --samples is a conflict: exit code 2.
    let o = harness(&["--data", data.to_str().unwrap(), "--samples", "5", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
}
