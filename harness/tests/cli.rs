//! End-to-end tests of the harness binary: every output of a small study,
//! the summary recomputed from the CSVs, thread-count independence, and
//! every bad input rejected with a one-line error and exit code 2.

mod common;
use common::files;
use harness::dataset::parse_csv;
use saorsa_nn::{Dataset, PaperNet};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const INITS: [&str; 3] = ["small", "glorot", "he"];
/// The fewest seeds the summary gives intervals and tests for (`summary::MIN_SEEDS`).
const SEEDS: u64 = 5;
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
        "5",
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
        "update_size.csv",
        "layer_stats.csv",
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
        "fig3c_val_accuracy",
        "fig3d_accuracy_sd",
        "fig4_val_accuracy",
        "fig5_decision_boundaries",
        "fig7_update_size",
        "fig8_signal_layers",
        "fig9_first_layer_gradient",
    ] {
        expected.push(format!("{stem}.svg"));
        expected.push(format!("{stem}.png"));
    }
    for init in INITS {
        expected.push(format!("fig6_weight_evolution_{init}.gif"));
        expected.push(format!("fig6_montage_{init}.png"));
        expected.push(format!("fig6_montage_{init}.svg"));
        for seed in 0..SEEDS {
            expected.push(format!("runs/{init}/seed-{seed}/initial.bin"));
            expected.push(format!("runs/{init}/seed-{seed}/final.bin"));
            expected.push(format!("runs/{init}/seed-{seed}/layer_stats.csv"));
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
    assert_eq!((train.len(), val.len(), train.features, train.classes), (180, 60, 2, 2));
    let val_set = Dataset::<2, 2>::new(val.x.as_chunks::<2>().0, &val.y).unwrap();
    let train_set = Dataset::<2, 2>::new(train.x.as_chunks::<2>().0, &train.y).unwrap();

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
            "epochs_to_95",
            "epochs_to_50pct_of_ceiling",
            "epochs_to_90pct_of_ceiling",
            "final_train_acc"
        ]
    );
    assert_eq!(runs.len(), INITS.len() * SEEDS as usize);
    // The ceiling-relative thresholds: chance is the training set's majority
    // class, the ceiling the two moons' Bayes-optimal accuracy.
    let config: Value = serde_json::from_slice(&a[Path::new("config.json")]).unwrap();
    let majority =
        train.y.iter().filter(|&&l| l == 1).count().max(train.y.iter().filter(|&&l| l == 0).count());
    assert_eq!(config["chance"].as_f64().unwrap(), majority as f64 / 180.0);
    let ceiling = config["ceiling"]["accuracy"].as_f64().unwrap();
    assert!((0.87..0.90).contains(&ceiling), "{ceiling}");
    let chance = config["chance"].as_f64().unwrap();
    let targets = [0.5, 0.9].map(|q| (chance + q * (ceiling - chance)) as f32);

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
            for (col, target) in [(5, 0.90f32), (6, 0.95), (7, targets[0]), (8, targets[1])] {
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
    assert_eq!(config["seeds"], serde_json::json!([0, 1, 2, 3, 4]));
    assert_eq!(config["saorsa_nn_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(config["optimizer"]["learning_rate"], 0.001);

    // The report is self-contained and shows every figure.
    let report = String::from_utf8(a[Path::new("report.html")].clone()).unwrap();
    assert!(!report.contains("src=\"http") && !report.contains("href=\"http"));
    // Figures 1, 2, 3, 3b, 3c, 3d, 4, 5, 7, 8, 9, and per initializer figure 6's animation and
    // montage.
    assert_eq!(report.matches("<figure>").count(), 11 + 2 * INITS.len());
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
    let missing = write("missing.csv", "x2,label\n0.5,1\n");
    let label = write("label.csv", "x1,x2,label\n0.5,1,0\n0.1,0.2,256\n");
    let nan = write("nan.csv", "x1,x2,label\n0.5,1,0\nNaN,0.2,1\n");
    let blocker = write("not-a-dir", "a file where --out wants a directory");
    let out = dir.join("out");
    let out = out.to_str().unwrap();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["--epochs", "0"], "--epochs"),
        (vec!["--val-ratio", "1.5"], "--val-ratio"),
        (vec!["--val-ratio", "0"], "--val-ratio"),
        (vec!["--inits", "small,xaviar"], "did you mean `xavier`?"),
        (vec!["--seeds", "a..b"], "--seeds"),
        (vec!["--seeds", "0"], "--seeds"),
        (vec!["--lr", "-1"], "--lr"),
        (vec!["--lr", "NaN"], "--lr"),
        (vec!["--batch-size", "0"], "--batch-size"),
        (vec!["--noise", "-0.1"], "--noise"),
        (vec!["--threads", "0"], "--threads"),
        (vec!["--epochs", "many"], "--epochs"),
        (vec!["--data", &missing], "line 1: missing column `x1`"),
        (vec!["--data", &label], "line 3: label must be an integer from 0 to 255"),
        (vec!["--arch", "2-64-3"], "the last its 2 classes"),
        (vec!["--arch", "3-64-2"], "the first width must be the data's 2 input features"),
        (vec!["--arch", "2-0-2"], "--arch 2-0-2: bad network shape"),
        (vec!["--arch", "2-64-x"], "--arch `2-64-x`"),
        (vec!["--dataset", "spirals:1"], "--dataset"),
        (vec!["--dataset", "swirls"], "--dataset"),
        (vec!["--dataset", "xor", "--noise", "0.3"], "--noise is for two moons"),
        (vec!["--inits", "he@9=glorot"], "layer 9, but the network has 4 dense layers"),
        (vec!["--inits", "he@1"], "--inits"),
        (vec!["--input-dim", "1"], "--input-dim 1"),
        (vec!["--input-dim", "4", "--noise-dims", "3"], "need 5 dimensions"),
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

/// Runs the harness and returns its output directory's config and runs.csv.
fn run_ok(name: &str, args: &[&str]) -> (PathBuf, Value, Vec<Vec<String>>) {
    let out = scratch(name);
    let mut all: Vec<&str> = args.to_vec();
    let out_s = out.to_str().unwrap().to_string();
    all.extend(["--quiet", "--out", &out_s]);
    let o = harness(&all);
    assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    let config: Value = serde_json::from_slice(&std::fs::read(out.join("config.json")).unwrap()).unwrap();
    let (_, runs) = csv(&std::fs::read(out.join("runs.csv")).unwrap());
    (out, config, runs)
}

/// `--arch`, `--dataset`, `--input-dim` and per-layer `--inits` shape the
/// study: the checkpoints have the asked shape, the per-layer initializer is
/// the asked one (its first layer equals the plain Glorot run's, paired by
/// seed), and a 3-class, 3-feature CSV trains with the default architecture.
#[test]
fn architecture_data_set_embedding_and_per_layer_inits() {
    let (out, config, runs) = run_ok(
        "arch-spirals",
        &[
            "--dataset",
            "spirals:3",
            "--arch",
            "2-16-8-3",
            "--inits",
            "glorot,he,he@1=glorot",
            "--seeds",
            "2",
            "--epochs",
            "4",
            "--samples",
            "150",
        ],
    );
    assert_eq!(config["network"], "2-16-8-3");
    assert_eq!(config["data"]["dataset"], "spirals:3");
    let ceiling = config["ceiling"]["accuracy"].as_f64().unwrap();
    assert!(ceiling > 1.0 / 3.0 && ceiling <= 1.0, "{ceiling}");
    let names: Vec<&str> = runs.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(names, ["glorot", "glorot", "he", "he", "he@1=glorot", "he@1=glorot"]);
    let load = |init: &str| {
        let bytes = std::fs::read(out.join(format!("runs/{init}/seed-1/initial.bin"))).unwrap();
        let shape = saorsa_nn::checkpoint::read_shape(&bytes).unwrap();
        assert_eq!(shape.widths(), &[2, 16, 8, 3]);
        let mut net = saorsa_nn::Network::new(shape.clone(), vec![0.0; shape.parameter_count()]).unwrap();
        net.decode_checkpoint(&bytes).unwrap();
        net
    };
    let (glorot, he, mixed) = (load("glorot"), load("he"), load("he@1=glorot"));
    assert_eq!(mixed.layer(0).weights, glorot.layer(0).weights);
    assert_eq!(mixed.layer(1).weights, he.layer(1).weights);
    assert_eq!(mixed.layer(2).weights, he.layer(2).weights);
    assert_ne!(glorot.layer(1).weights, he.layer(1).weights);
    // Three classes: the decision figure shows the three regions (`tests/figures.rs`).
    assert!(out.join("fig1_dataset.svg").exists());
    assert!(out.join("fig5_decision_boundaries.svg").exists());

    // Two moons embedded into 6 dimensions (2 of them noise): the network's
    // first layer has 6 inputs, the ceiling is the plain moons'.
    let (out, config, _) = run_ok(
        "embedded",
        &["--input-dim", "6", "--noise-dims", "2", "--seeds", "1", "--epochs", "3", "--samples", "200"],
    );
    assert_eq!(config["network"], "6-64-64-64-2");
    assert_eq!(config["embedding"]["dims"], 6);
    let (_, plain, _) = run_ok("not-embedded", &["--seeds", "1", "--epochs", "3", "--samples", "200"]);
    assert_eq!(config["ceiling"], plain["ceiling"]);
    let train = parse_csv(&std::fs::read(out.join("data/train.csv")).unwrap()).unwrap();
    assert_eq!((train.features, train.len()), (6, 150));
    assert!(!out.join("fig1_dataset.svg").exists(), "no scatter of 6-D data");

    // A CSV with 3 features and 3 classes.
    let dir = scratch("csv-3x3");
    std::fs::create_dir_all(&dir).unwrap();
    let mut text = String::from("label,x1,x2,x3\n");
    for k in 0..90 {
        let t = k as f32 / 90.0;
        text.push_str(&format!("{},{t},{},\"{}\"\n", k % 3, 1.0 - t, (k % 3) as f32));
    }
    let file = dir.join("three.csv");
    std::fs::write(&file, text).unwrap();
    let (_, config, runs) = run_ok(
        "csv-3x3-out",
        &[
            "--data",
            file.to_str().unwrap(),
            "--seeds",
            "1",
            "--epochs",
            "40",
            "--lr",
            "0.01",
            "--inits",
            "he",
        ],
    );
    assert_eq!(config["network"], "3-64-64-64-3");
    assert!(config["ceiling"].is_null());
    let final_val: f32 = runs[0][4].parse().unwrap();
    assert!(final_val > 0.9, "x3 is the label: {final_val}");
}

/// `--config DIR/config.json --out NEW` reruns a study from its own config file alone: every
/// file of the new folder is byte-identical to the old one's (generated data with its
/// parameters, another network, a per-layer initializer, mini-batches, LayerNorm), and a
/// config.json that another study option contradicts, or a damaged one, is refused (exit 2).
#[test]
fn a_study_reruns_byte_identically_from_its_config_json() {
    let (a, b) = (scratch("config-a"), scratch("config-b"));
    let o = harness(&[
        "--dataset",
        "spirals:3,noise=0.3",
        "--arch",
        "2-16-12-3",
        "--layer-norm",
        "--inits",
        "he@1=glorot,small",
        "--seeds",
        "4..6",
        "--epochs",
        "7",
        "--samples",
        "150",
        "--batch-size",
        "40",
        "--lr",
        "0.003",
        "--data-seed",
        "9",
        "--val-ratio",
        "0.3",
        "--quiet",
        "--out",
        a.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let config = a.join("config.json");
    let o = harness(&["--config", config.to_str().unwrap(), "--quiet", "--out", b.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (fa, fb) = (files(&a), files(&b));
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    for (name, bytes) in &fa {
        assert!(bytes == &fb[name], "{} differs when rerun from config.json", name.display());
    }
    // Another study option beside --config is refused.
    let o = harness(&["--config", config.to_str().unwrap(), "--epochs", "3", "--out", b.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    // A config.json whose values fail validation names the field.
    let bad = scratch("config-bad");
    std::fs::create_dir_all(&bad).unwrap();
    let text = std::fs::read_to_string(&config).unwrap().replace("\"epochs\": 7", "\"epochs\": 0");
    std::fs::write(bad.join("config.json"), text).unwrap();
    let o = harness(&[
        "--config",
        bad.join("config.json").to_str().unwrap(),
        "--out",
        bad.join("o").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("epochs") && err.lines().count() == 1, "{err}");
    assert!(!bad.join("o").exists(), "nothing is written for a refused configuration");
}

/// The names researchers use are accepted (Keras, PyTorch, xavier/kaiming, any case) and recorded
/// by their machine names; typos get "did you mean" (flags, initializers, data sets); the common
/// options have short flags; `report DIR` works as `report --from DIR`.
#[test]
fn the_command_line_forgives_and_suggests() {
    let out = scratch("aliases");
    let o = harness(&[
        "--inits",
        "Xavier,kaiming_normal_,glorot_uniform",
        "--dataset",
        "Spiral:2",
        "-s",
        "2",
        "-e",
        "3",
        "--samples",
        "60",
        "-q",
        "-j",
        "1",
        "--hidden",
        "12,8",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let config: Value = serde_json::from_slice(&std::fs::read(out.join("config.json")).unwrap()).unwrap();
    assert_eq!(config["network"], "2-12-8-2", "--hidden takes inputs and classes from the data");
    assert_eq!(config["inits"], serde_json::json!(["glorot", "he", "glorot_uniform"]));
    assert_eq!(config["data"]["dataset"], "spirals:2");
    assert_eq!(config["epochs"], 3);
    assert_eq!(config["seeds"], serde_json::json!([0, 1]));
    let o = harness(&["report", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for (args, needle) in [
        (vec!["--epoch", "20"], "--epochs"),
        (vec!["--inits", "glorto"], "did you mean `glorot`?"),
        (vec!["--inits", "kaimng"], "did you mean `kaiming`?"),
        (vec!["--dataset", "spirls"], "did you mean `spirals`?"),
        (vec!["--hidden", "64,x"], "--hidden `64,x`"),
        (vec!["--hidden", "64", "--arch", "2-64-2"], "--hidden"),
    ] {
        let o = harness(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(needle), "{args:?}: {err}");
    }
}
