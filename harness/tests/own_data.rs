//! `harness --data FILE.csv` on a researcher's own file: the label column and the feature columns
//! chosen by name, labels that are integral floats or class names (their numbering printed and
//! kept in config.json), a mistyped column name answered with the nearest one, and a rerun from
//! config.json that reads the file the same way, byte for byte.

mod common;
use common::files;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn harness(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_harness")).args(args).output().expect("run the harness")
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("own-data").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.parent().unwrap()).unwrap();
    dir
}

/// Writes `text` as `name` in a scratch folder; returns its path.
fn file(name: &str, text: &str) -> PathBuf {
    let dir = scratch(&format!("{name}.d"));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// A small study on `data` with `flags`: returns its folder, stderr and config.json.
fn study(name: &str, data: &Path, flags: &[&str]) -> (PathBuf, String, Value) {
    let out = scratch(name);
    let mut args = vec!["--data", data.to_str().unwrap(), "--hidden", "8", "--inits", "he", "--seeds", "2"];
    args.extend(["--epochs", "3", "--quiet", "--out", out.to_str().unwrap()]);
    args.extend(flags);
    let o = harness(&args);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "{args:?}: {err}");
    let config = serde_json::from_slice(&std::fs::read(out.join("config.json")).unwrap()).unwrap();
    (out, err, config)
}

/// A refused command: exit code 2, one line on stderr containing each of `needles`, nothing
/// written.
fn refused(args: &[&str], needles: &[&str]) {
    let out = scratch("refused");
    let mut all = args.to_vec();
    all.extend(["--out", out.to_str().unwrap()]);
    let o = harness(&all);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
    for needle in needles {
        assert!(err.contains(needle), "{args:?}: {err}");
    }
    assert!(!out.exists(), "{args:?} wrote {}", out.display());
}

/// An iris-like table: an id, four measurements and the species as text, three classes of 20.
fn flowers() -> String {
    let mut text = String::from("id,sepal_length,sepal_width,petal_length,petal_width,species\n");
    for k in 0..60 {
        let (species, c) = [("setosa", 0.0), ("versicolor", 1.0), ("virginica", 2.0)][k % 3];
        let t = k as f32 / 60.0;
        text.push_str(&format!("f{k},{},{},{},{},{species}\n", 5.0 + t, 3.0 - t, 1.5 + 2.0 * c + t, 0.2 + c));
    }
    text
}

/// A named label column of class names and a subset of the features: the network has one input
/// per chosen feature and one output per class; the numbering is printed (one line) and kept
/// in config.json with the columns; a rerun from config.json is byte-identical.
#[test]
fn class_names_a_feature_subset_and_a_rerun_from_config_json() {
    let data = file("flowers.csv", &flowers());
    let (out, err, config) = study(
        "flowers",
        &data,
        &["--label-column", "species", "--feature-columns", "petal_length,sepal_width"],
    );
    assert_eq!(config["network"], "2-8-3");
    assert_eq!(config["data"]["label_column"], "species");
    assert_eq!(config["data"]["feature_columns"], serde_json::json!(["petal_length", "sepal_width"]));
    assert_eq!(config["data"]["class_names"], serde_json::json!(["setosa", "versicolor", "virginica"]));
    let other_lines =
        err.lines().filter(|l| !(l.starts_with("note: ") && l.contains("ffmpeg is not on PATH")));
    assert_eq!(other_lines.count(), 1, "{err}");
    assert!(
        err.contains("labels from column `species`, classes 0 = `setosa`, 1 = `versicolor`, 2 = `virginica`"),
        "{err}"
    );
    assert!(
        err.contains("features `petal_length`, `sepal_width`; ignored `id`, `sepal_length`, `petal_width`"),
        "{err}"
    );
    // The features in the asked order: row f0 (setosa) is petal_length 1.5, sepal_width 3.
    let train = std::fs::read_to_string(out.join("data/train.csv")).unwrap();
    let val = std::fs::read_to_string(out.join("data/val.csv")).unwrap();
    assert!(train.starts_with("x1,x2,label\n"), "{train}");
    let rows: Vec<&str> = train.lines().chain(val.lines()).collect();
    assert!(rows.contains(&"1.5,3,0"), "the first flower as petal_length, sepal_width, class 0");
    assert!(rows.contains(&"3.5166667,2.9833333,1"), "f1: versicolor, class 1");

    // Rerun from config.json: the same files, byte for byte.
    let again = scratch("flowers-again");
    let config_json = out.join("config.json");
    let o =
        harness(&["--config", config_json.to_str().unwrap(), "--quiet", "--out", again.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (a, b) = (files(&out), files(&again));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (name, bytes) in &a {
        assert!(bytes == &b[name], "{} differs when rerun from config.json", name.display());
    }

    // The file's class names changed (same order, same data): the rerun is refused.
    std::fs::write(&data, flowers().replace("virginica", "viridis")).unwrap();
    refused(&["--config", config_json.to_str().unwrap()], &["class names differ"]);
    // The column choices belong to the data: not beside --config.
    let o = harness(&["--config", config_json.to_str().unwrap(), "--label-column", "species"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot be used with '--label-column"));
}

/// `x0,x1,y` with `--label-column y`, labels written as floats (`1.0`): the same study as with
/// integer labels (the same data, runs and metrics, bit for bit), and only the label column
/// is recorded.
#[test]
fn float_integral_labels_are_the_integer_study() {
    let mut ints = String::from("x0,x1,y\n");
    let mut floats = ints.clone();
    for k in 0..40 {
        let (a, b, c) = (k as f32 / 40.0, 1.0 - (k as f32 / 40.0), k % 2);
        ints.push_str(&format!("{a},{b},{c}\n"));
        floats.push_str(&format!("{a},{b},{c}.0\n"));
    }
    let (a, err_a, ca) = study("ints", &file("ints.csv", &ints), &["--label-column", "y"]);
    let (b, _, cb) = study("floats", &file("floats.csv", &floats), &["--label-column", "y"]);
    assert_eq!(ca["network"], "2-8-2");
    assert!(err_a.contains("labels from column `y`, classes 0 to 1; features `x0`, `x1`"), "{err_a}");
    assert_eq!(ca["data"]["label_column"], "y");
    assert!(ca["data"].get("feature_columns").is_none() && ca["data"].get("class_names").is_none());
    assert_eq!(ca["data"]["content_crc32"], cb["data"]["content_crc32"]);
    for name in ["data/train.csv", "data/val.csv", "runs.csv", "metrics.csv", "update_size.csv"] {
        assert!(std::fs::read(a.join(name)).unwrap() == std::fs::read(b.join(name)).unwrap(), "{name}");
    }
}

/// A mistyped column name is refused on the header's line with the nearest name in the file;
/// a file without a `label` column says how to name another; a label of the wrong kind names
/// its line and column.
#[test]
fn column_names_are_checked_and_suggested() {
    let data = file("typo.csv", &flowers());
    let d = data.to_str().unwrap();
    refused(
        &["--data", d, "--label-column", "specis"],
        &["line 1: missing column `specis` (the label column)", "did you mean `species`?"],
    );
    refused(
        &["--data", d, "--label-column", "species", "--feature-columns", "petal_lenght,sepal_width"],
        &["line 1: missing column `petal_lenght` (a feature column)", "did you mean `petal_length`?"],
    );
    refused(&["--data", d], &["missing column `label`", "name the label column with --label-column"]);
    refused(
        &["--data", d, "--label-column", "species", "--feature-columns", "sepal_width,species"],
        &["column `species` is the label column"],
    );
    refused(
        &["--data", d, "--label-column", "species", "--feature-columns", "a,,b"],
        &["an empty column name"],
    );
    let mixed = file("mixed.csv", "a,y\n1,0\n2,1\n3,one\n");
    refused(
        &["--data", mixed.to_str().unwrap(), "--label-column", "y"],
        &["line 4: column `y`: `one` is not a number, but the labels above it are"],
    );
    // The column flags need --data.
    let o = harness(&["--label-column", "y", "--out", scratch("no-data").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
}
