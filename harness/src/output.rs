//! Writing results: every file goes to a temporary name in its directory and
//! is renamed into place, so an interrupted run never leaves a half-written
//! file, and the harness never deletes a file it did not write.

use crate::dataset::to_csv;
use crate::study::{DataSource, RunResult, Splits, StudyConfig, Thresholds};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` atomically (temporary file + rename), creating
/// parent directories.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("out");
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    if let Err(e) = std::fs::write(&tmp, bytes) {
        let _ = std::fs::remove_file(&tmp);
        return Err(format!("{}: {e}", path.display()));
    }
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("{}: {e}", path.display())
    })
}

/// Checks that `dir` can be created and written, before any work is done.
pub fn check_writable(dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("--out {}: {e}", dir.display()))?;
    let probe = dir.join(format!(".write-probe.{}.tmp", std::process::id()));
    std::fs::write(&probe, b"").map_err(|e| format!("--out {}: not writable: {e}", dir.display()))?;
    std::fs::remove_file(&probe).map_err(|e| format!("--out {}: {e}", dir.display()))
}

/// JSON string literal.
pub fn json_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `config.json`: the whole configuration and the crate version.
pub fn config_json(config: &StudyConfig, splits: &Splits, thresholds: &Thresholds) -> String {
    let adam = config.adam();
    let source = match &config.source {
        DataSource::Generated { spec, samples } => {
            format!(
                "{{\"kind\": {}, \"samples\": {samples}, \"noise\": {}}}",
                json_str(&spec.name()),
                spec.noise()
            )
        }
        DataSource::Csv { path, data } => {
            format!("{{\"kind\": \"csv\", \"path\": {}, \"samples\": {}}}", json_str(path), data.len())
        }
    };
    let embedding = config.embedding.map_or("null".to_string(), |e| {
        format!("{{\"dims\": {}, \"noise_dims\": {}, \"noise_std\": {}}}", e.dims, e.noise_dims, e.noise_std)
    });
    let ceiling = thresholds.ceiling.map_or("null".to_string(), |c| {
        format!(
            "{{\"accuracy\": {}, \"std_error\": {}, \"method\": {}}}",
            c.accuracy,
            c.std_error,
            json_str(c.method)
        )
    });
    let inits: Vec<String> = config.inits.iter().map(|i| json_str(&i.name())).collect();
    let seeds: Vec<String> = config.seeds.iter().map(u64::to_string).collect();
    format!(
        concat!(
            "{{\n  \"harness_version\": {},\n  \"saorsa_nn_version\": {},\n  \"data\": {},\n",
            "  \"embedding\": {},\n  \"ceiling\": {},\n  \"chance\": {},\n",
            "  \"data_seed\": {},\n  \"val_ratio\": {},\n  \"train_samples\": {},\n  \"val_samples\": {},\n",
            "  \"network\": \"{} ReLU, softmax, categorical cross-entropy\",\n",
            "  \"parameters\": {},\n  \"inits\": [{}],\n  \"small_std\": 0.01,\n  \"seeds\": [{}],\n  \"epochs\": {},\n",
            "  \"batch_size\": {},\n  \"optimizer\": {{\"name\": \"adam\", \"learning_rate\": {}, \"beta1\": {}, \"beta2\": {}, \"epsilon\": {}}},\n",
            "  \"micro_batch\": {}\n}}\n"
        ),
        json_str(env!("CARGO_PKG_VERSION")),
        json_str(env!("CARGO_PKG_VERSION")),
        source,
        embedding,
        ceiling,
        thresholds.chance,
        config.data_seed,
        config.val_ratio,
        splits.train.len(),
        splits.val.len(),
        config.shape,
        config.shape.parameter_count(),
        inits.join(", "),
        seeds.join(", "),
        config.epochs,
        config.batch_size.map_or("null".to_string(), |b| b.to_string()),
        adam.learning_rate,
        adam.beta1,
        adam.beta2,
        adam.epsilon,
        crate::study::MICRO_BATCH,
    )
}

/// `metrics.csv`: one row per init, seed and epoch (metrics before the update).
pub fn metrics_csv(runs: &[RunResult]) -> String {
    let mut s = String::from("init,seed,epoch,train_loss,train_acc,val_loss,val_acc\n");
    for r in runs {
        for (k, e) in r.epochs.iter().enumerate() {
            let _ = writeln!(
                s,
                "{},{},{},{},{},{},{}",
                r.init.name(),
                r.seed,
                k + 1,
                e.train_loss,
                e.train_acc,
                e.val_loss,
                e.val_acc
            );
        }
    }
    s
}

/// `runs.csv`: one row per run, final values after the last update; the
/// first epoch whose training accuracy reached 90% and 95%, and 50% and 90%
/// of the way from chance to the ceiling ([`Thresholds`]); empty if never.
pub fn runs_csv(runs: &[RunResult], thresholds: &Thresholds) -> String {
    let mut s = String::from(
        "init,seed,final_train_loss,final_val_loss,final_val_acc,epochs_to_90,epochs_to_95,epochs_to_50pct_of_ceiling,epochs_to_90pct_of_ceiling\n",
    );
    let opt = |v: Option<usize>| v.map_or(String::new(), |e| e.to_string());
    for r in runs {
        let _ = writeln!(
            s,
            "{},{},{},{},{},{},{},{},{}",
            r.init.name(),
            r.seed,
            r.final_train_loss,
            r.final_val_loss,
            r.final_val_acc,
            opt(r.epochs_to(0.90)),
            opt(r.epochs_to(0.95)),
            opt(r.epochs_to(thresholds.target(0.5))),
            opt(r.epochs_to(thresholds.target(0.9)))
        );
    }
    s
}

/// The path of a run's directory under `out`.
pub fn run_dir(out: &Path, r: &RunResult) -> PathBuf {
    out.join("runs").join(r.init.name()).join(format!("seed-{}", r.seed))
}

/// Writes the data, metrics, runs and checkpoints.
pub fn write_tables(
    out: &Path,
    config: &StudyConfig,
    splits: &Splits,
    runs: &[RunResult],
    thresholds: &Thresholds,
) -> Result<(), String> {
    write_atomic(&out.join("config.json"), config_json(config, splits, thresholds).as_bytes())?;
    write_atomic(&out.join("data/train.csv"), to_csv(&splits.train).as_bytes())?;
    write_atomic(&out.join("data/val.csv"), to_csv(&splits.val).as_bytes())?;
    write_atomic(&out.join("metrics.csv"), metrics_csv(runs).as_bytes())?;
    write_atomic(&out.join("runs.csv"), runs_csv(runs, thresholds).as_bytes())?;
    for r in runs {
        let dir = run_dir(out, r);
        write_atomic(&dir.join("initial.bin"), &r.initial)?;
        write_atomic(&dir.join("final.bin"), &r.last)?;
    }
    Ok(())
}
