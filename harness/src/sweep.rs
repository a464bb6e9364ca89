//! A study as a sweep of independent runs, written to disk as each one
//! finishes: resumable, shardable ([`crate::shard`]) and mergeable.
//!
//! **Runs and their order.** A study's runs are its (initializer, seed)
//! pairs, initializer-major: every seed of the first initializer, then of
//! the second, and so on ([`study_runs`]). A run's id is
//! `<init>/seed-<k>`, its folder `runs/<init>/seed-<k>/`.
//!
//! **A run is final when its record is.** A finished run writes
//! `initial.bin`, `final.bin` and then `record.csv` ([`crate::record`]):
//! its curves, update sizes and final values, the CRC-32 of `config.json`
//! it was trained under and of both checkpoints ([`checkpoint_crc`]). Each file is written
//! atomically. A run whose record is missing, damaged, from another
//! configuration or whose checkpoints differ from it is trained again;
//! any other is kept (**resume**: rerunning an interrupted study or shard
//! trains only what is missing). Memory does not grow with the number of
//! runs: nothing of a finished run stays in memory.
//!
//! **Finishing.** [`finish`] reads the records back one at a time, in run
//! order, and writes `metrics.csv`, `runs.csv` and `update_size.csv` as it
//! goes, retrains each initializer's median run for figure 6's frames,
//! and draws the summary, figures and report from the files alone. A
//! study in one process and a study merged from shards ([`crate::merge`]) run
//! this same code over the same files, so their folders are byte-identical.

use crate::error::{Error, Result};
use crate::inits::InitSpec;
use crate::output::{self, write_atomic};
use crate::record::{Record, RecordWriter};
use crate::report::{self, ReportOptions};
use crate::results::{self, ConfigFile};
use crate::shard::{self, Shard, ShardFile};
use crate::study::{self, EpochRecord, RunResult, Splits, StudyConfig, Thresholds};
use crate::summary::Summary;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The name of a run's record.
pub const RECORD: &str = "record.csv";

/// The study's runs, in order: initializer-major.
pub fn study_runs(config: &StudyConfig) -> Vec<(InitSpec, u64)> {
    config.inits.iter().flat_map(|i| config.seeds.iter().map(move |&s| (i.clone(), s))).collect()
}

/// A run's id: `<init>/seed-<k>`.
pub fn run_id(init: &InitSpec, seed: u64) -> String {
    format!("{}/seed-{seed}", init.name())
}

/// The expected cost of each run ([`shard::run_cost`]); a study's runs all
/// cost the same.
pub fn costs(config: &StudyConfig, splits: &Splits) -> Vec<u64> {
    let cost =
        shard::run_cost(config.epochs, splits.train.len(), splits.val.len(), config.shape.parameter_count());
    vec![cost; config.runs()]
}

/// Writes `config.json` and the data; returns `config.json`'s CRC-32 (the
/// identity of the configuration that every record carries).
pub fn write_inputs(
    out: &Path,
    config: &StudyConfig,
    splits: &Splits,
    thresholds: &Thresholds,
) -> Result<u32> {
    let file = ConfigFile::of(config, splits, thresholds);
    let json = serde_json::to_string_pretty(&file).expect("plain data serializes") + "\n";
    write_atomic(&out.join("config.json"), json.as_bytes())?;
    write_atomic(&out.join("data/train.csv"), crate::dataset::to_csv(&splits.train).as_bytes())?;
    write_atomic(&out.join("data/val.csv"), crate::dataset::to_csv(&splits.val).as_bytes())?;
    Ok(saorsa_nn::crc32(json.as_bytes()))
}

/// The CRC-32 of `dir/config.json`.
fn config_crc(dir: &Path) -> Result<u32> {
    let path = dir.join("config.json");
    Ok(saorsa_nn::crc32(&std::fs::read(&path).map_err(|e| Error::io(&path, e))?))
}

/// The CRC-32 a record keeps of a checkpoint: of all but its last four
/// bytes. Those hold the CRC-32 of the rest, which makes the CRC-32 of
/// every *whole* checkpoint the same constant (0x2144df1c): blind to the
/// weights. (A shorter input, never a checkpoint, is hashed whole.)
pub fn checkpoint_crc(bytes: &[u8]) -> u32 {
    saorsa_nn::crc32(bytes.get(..bytes.len().wrapping_sub(4)).unwrap_or(bytes))
}

/// A run's record (see the module's documentation).
pub fn record_bytes(r: &RunResult, config_crc: u32) -> Vec<u8> {
    let mut w = RecordWriter::new();
    w.row("run", [r.init.name(), r.seed.to_string()]);
    w.row("config_crc32", [format!("{config_crc:08x}")]);
    for (name, bytes) in [("initial.bin", &r.initial), ("final.bin", &r.last)] {
        w.row(name, [bytes.len().to_string(), format!("{:08x}", checkpoint_crc(bytes))]);
    }
    w.row("train_loss", r.epochs.iter().map(|e| e.train_loss));
    w.row("train_acc", r.epochs.iter().map(|e| e.train_acc));
    w.row("val_loss", r.epochs.iter().map(|e| e.val_loss));
    w.row("val_acc", r.epochs.iter().map(|e| e.val_acc));
    let layers = r.update_size.first().map_or(0, Vec::len);
    w.row("layers", [layers]);
    for l in 0..layers {
        w.row(&format!("update_size_{}", l + 1), r.update_size.iter().map(|u| u[l]));
    }
    w.row("final_train_loss", [r.final_train_loss]);
    w.row("final_train_acc", [r.final_train_acc]);
    w.row("final_val_loss", [r.final_val_loss]);
    w.row("final_val_acc", [r.final_val_acc]);
    if let Some(e) = &r.error {
        w.row("error", [e]);
    }
    w.finish()
}

/// Reads run `(init, seed)`'s record under `dir`, checking it (and its
/// checkpoints, when `check_checkpoints`) against `config_crc`. The result
/// has no checkpoints (they stay on disk).
///
/// # Errors
/// A message saying why the run is not done.
pub fn read_record(
    dir: &Path,
    init: &InitSpec,
    seed: u64,
    config_crc: u32,
    check_checkpoints: bool,
) -> std::result::Result<RunResult, String> {
    let run = results::run_dir(dir, init, seed);
    let bytes = std::fs::read(run.join(RECORD)).map_err(|e| format!("no record ({e})"))?;
    let r = Record::parse(&bytes)?;
    if check_checkpoints {
        for name in ["initial.bin", "final.bin"] {
            let data = std::fs::read(run.join(name)).map_err(|e| format!("{name}: {e}"))?;
            let want = [data.len().to_string(), format!("{:08x}", checkpoint_crc(&data))];
            if r.values(name) != Some(&want[..]) {
                return Err(format!("{name} differs from the record"));
            }
        }
    }
    parse_record(&r, init, seed, config_crc)
}

/// The run a parsed record holds, checked to be run `(init, seed)`'s under
/// `config_crc` (without its checkpoints).
///
/// # Errors
/// A message saying what is missing or wrong.
pub fn parse_record(
    r: &Record,
    init: &InitSpec,
    seed: u64,
    config_crc: u32,
) -> std::result::Result<RunResult, String> {
    if r.values("run") != Some(&[init.name(), seed.to_string()][..]) {
        return Err("the record is another run's".into());
    }
    if r.values("config_crc32") != Some(&[format!("{config_crc:08x}")][..]) {
        return Err("trained under another configuration".into());
    }
    let (tl, ta, vl, va): (Vec<f32>, Vec<f32>, Vec<f32>, Vec<f32>) =
        (r.parsed("train_loss")?, r.parsed("train_acc")?, r.parsed("val_loss")?, r.parsed("val_acc")?);
    let n = tl.len();
    if [ta.len(), vl.len(), va.len()] != [n; 3] {
        return Err("curves of different lengths".into());
    }
    let layers: usize = r.one("layers")?;
    let per_layer =
        (1..=layers).map(|l| r.parsed::<f64>(&format!("update_size_{l}"))).collect::<Result<Vec<_>, _>>()?;
    if per_layer.iter().any(|u| u.len() != n) {
        return Err("update sizes of another length than the curves".into());
    }
    Ok(RunResult {
        init: init.clone(),
        seed,
        epochs: (0..n)
            .map(|k| EpochRecord { train_loss: tl[k], train_acc: ta[k], val_loss: vl[k], val_acc: va[k] })
            .collect(),
        update_size: (0..n).map(|k| per_layer.iter().map(|u| u[k]).collect()).collect(),
        final_train_loss: r.one("final_train_loss")?,
        final_train_acc: r.one("final_train_acc")?,
        final_val_loss: r.one("final_val_loss")?,
        final_val_acc: r.one("final_val_acc")?,
        initial: Vec::new(),
        last: Vec::new(),
        error: r.values("error").and_then(|v| v.first()).cloned(),
    })
}

/// Where a study in one process keeps its finished runs until it is
/// done: `.<name>.partial`, a hidden sibling of `out`. The results folder
/// itself is not touched until every run has finished, so an interrupted
/// study leaves it as it was — and a rerun resumes from the runs kept here.
pub fn staging_dir(out: &Path) -> Result<PathBuf> {
    let full = if out.is_absolute() {
        out.to_path_buf()
    } else {
        std::env::current_dir().map_err(|e| Error::io(out, e))?.join(out)
    };
    let full = match full.canonicalize() {
        Ok(p) => p,
        Err(_) => full,
    };
    let name = full.file_name().and_then(|n| n.to_str()).unwrap_or("results");
    let parent = full.parent().unwrap_or(Path::new("/"));
    Ok(parent.join(format!(".{name}.partial")))
}

/// Moves a staged study ([`staging_dir`]) into `out`: the inputs (written
/// through the manifest's record) and every run's files that are staged
/// (renamed). Removes the staging folder.
pub fn move_staged(staging: &Path, out: &Path, config: &StudyConfig) -> Result<()> {
    for name in ["config.json", "data/train.csv", "data/val.csv"] {
        let bytes = std::fs::read(staging.join(name)).map_err(|e| Error::io(staging.join(name), e))?;
        write_atomic(&out.join(name), &bytes)?;
    }
    for (init, seed) in study_runs(config) {
        let (from, to) = (results::run_dir(staging, &init, seed), results::run_dir(out, &init, seed));
        std::fs::create_dir_all(&to).map_err(|e| Error::io(&to, e))?;
        // The record last: a run is final in `out` once its record is.
        for name in ["initial.bin", "final.bin", RECORD] {
            std::fs::rename(from.join(name), to.join(name)).map_err(|e| Error::io(to.join(name), e))?;
        }
        output::sync_dir(&to);
    }
    std::fs::remove_dir_all(staging).map_err(|e| Error::io(staging, e))
}

/// What [`train`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Trained {
    /// Runs trained now.
    pub trained: usize,
    /// Runs found done (resumed) and kept.
    pub kept: usize,
}

/// Trains the study's runs into `out` (whose `config.json` and data
/// [`write_inputs`] wrote) — all of them, or only
/// `shard`'s, which writes [`shard::SHARD_FILE`] first — skipping those
/// already done there, on `threads` threads. `progress` is called once per
/// run, trained or kept.
///
/// Errors: [`Error::Interrupted`] once [`study::request_stop`] was called
/// (runs stop at their next epoch; finished runs are kept on disk); the
/// first write error.
pub fn train(
    out: &Path,
    config: &StudyConfig,
    splits: &Splits,
    shard: Option<Shard>,
    threads: usize,
    progress: &(dyn Fn() + Sync),
) -> Result<Trained> {
    let config_crc = config_crc(out)?;
    let runs = study_runs(config);
    let mine = shard.unwrap_or(Shard::WHOLE).runs(&costs(config, splits));
    if let Some(shard) = shard {
        let ids = mine.iter().map(|&k| run_id(&runs[k].0, runs[k].1)).collect();
        ShardFile::new("study", shard, ids).write(out)?;
    }
    let outcomes = study::parallel_map(&mine, threads, |&k| -> Result<bool> {
        let (init, seed) = (&runs[k].0, runs[k].1);
        if study::stop_requested() {
            return Err(Error::Interrupted);
        }
        if read_record(out, init, seed, config_crc, true).is_ok() {
            progress();
            return Ok(false);
        }
        let r = study::run_one(config, splits, init, seed, &mut |_, _| {});
        if study::stop_requested() {
            return Err(Error::Interrupted);
        }
        let dir = results::run_dir(out, init, seed);
        write_atomic(&dir.join("initial.bin"), &r.initial)?;
        write_atomic(&dir.join("final.bin"), &r.last)?;
        write_atomic(&dir.join(RECORD), &record_bytes(&r, config_crc))?;
        progress();
        Ok(true)
    });
    if study::stop_requested() {
        return Err(Error::Interrupted);
    }
    let mut done = Trained::default();
    for o in outcomes {
        if o? {
            done.trained += 1;
        } else {
            done.kept += 1;
        }
    }
    Ok(done)
}

/// What [`finish`] produced.
#[derive(Debug)]
pub struct Finished {
    /// The summary.
    pub summary: Summary,
    /// The report's path.
    pub report: PathBuf,
    /// One line per run that stopped early (divergence, say).
    pub warnings: Vec<String>,
    /// Seconds spent on the tables, on figure 6's frames (the median runs
    /// retrained, alongside the other figures) and on the summary, figures
    /// and report (frames included).
    pub seconds: [f64; 3],
}

/// Writes a study's tables, frames, summary, figures and report from its
/// folder: `config.json`, the data and every run's record (see the
/// module's documentation). Errors name the first run whose record is
/// missing or damaged.
pub fn finish(out: &Path, threads: usize, options: &ReportOptions) -> Result<Finished> {
    let start = std::time::Instant::now();
    let (config, splits, thresholds) = results::load_inputs(out)?;
    let crc = config_crc(out)?;
    let runs = study_runs(&config);
    let read = |init: &InitSpec, seed: u64| {
        read_record(out, init, seed, crc, false).map_err(|m| {
            Error::results(
                results::run_dir(out, init, seed).join(RECORD),
                format!("run {}: {m}", run_id(init, seed)),
            )
        })
    };
    // The tables grow run by run; of each run, only what the medians and
    // warnings need stays in memory.
    let mut tables = [
        ("metrics.csv", results::METRICS_HEADER),
        ("runs.csv", results::RUNS_HEADER),
        ("update_size.csv", results::UPDATE_SIZE_HEADER),
    ]
    .map(|(name, header)| {
        let mut f = output::AtomicFile::create(&out.join(name))?;
        f.write(format!("{header}\n").as_bytes())?;
        Ok(f)
    })
    .into_iter()
    .collect::<Result<Vec<_>>>()?;
    let mut finals: Vec<(usize, u64, f32)> = Vec::with_capacity(runs.len());
    let mut warnings = Vec::new();
    for (init, seed) in &runs {
        let r = read(init, *seed)?;
        tables[0].write(results::metrics_rows(&r).as_bytes())?;
        tables[1].write(results::runs_row(&r, &thresholds).as_bytes())?;
        tables[2].write(results::update_size_rows(&r).as_bytes())?;
        let k = config.inits.iter().position(|x| x == init).expect("a run's init is the config's");
        finals.push((k, *seed, r.final_val_acc));
        if let Some(e) = &r.error {
            warnings.push(format!("warning: {} seed {seed} stopped early: {e}", init.name()));
        }
    }
    for t in tables {
        t.commit()?;
    }
    // Figure 6: the median run of each initializer, retrained (the same
    // bits) with an observer that keeps its weights at the frame epochs.
    let tables_done = start.elapsed().as_secs_f64();
    let medians: Vec<(InitSpec, u64)> = (0..config.inits.len())
        .filter_map(|k| {
            let mut mine: Vec<(f32, u64)> = finals.iter().filter(|f| f.0 == k).map(|f| (f.2, f.1)).collect();
            mine.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            mine.get((mine.len().max(1) - 1) / 2).map(|&(_, seed)| (config.inits[k].clone(), seed))
        })
        .collect();
    drop(finals);
    // The frames are made while the other figures are drawn; figure 6
    // waits for them.
    let make_frames = || -> Result<f64> {
        let t = std::time::Instant::now();
        let frames = study::parallel_map(&medians, threads, |(init, seed)| {
            study::record_frames(&config, &splits, init, *seed)
        });
        if study::stop_requested() {
            return Err(Error::Interrupted);
        }
        for ((init, seed), f) in medians.iter().zip(&frames) {
            write_atomic(&results::run_dir(out, init, *seed).join("frames.bin"), &results::frames_bin(f))?;
        }
        Ok(t.elapsed().as_secs_f64())
    };
    let mut frames_seconds = 0.0;
    let report_start = std::time::Instant::now();
    let (summary, report) = std::thread::scope(|scope| {
        let mut worker = Some(scope.spawn(make_frames));
        let drawn = report::from_dir_waiting(out, options, &mut || {
            let w = worker.take().expect("figure 6 is drawn once");
            frames_seconds = w.join().unwrap_or_else(|p| std::panic::resume_unwind(p))?;
            if study::stop_requested() {
                return Err(Error::Interrupted);
            }
            Ok(())
        });
        if let Some(w) = worker.take() {
            // The report failed before figure 6: the frames' result no longer matters.
            let _ = w.join();
        }
        drawn
    })?;
    let seconds = [tables_done, frames_seconds, report_start.elapsed().as_secs_f64()];
    Ok(Finished { summary, report, warnings, seconds })
}

/// Checks that the shard folders `dirs` hold one study between them —
/// the same `config.json`, from this harness version, every run done in
/// exactly one of them ([`shard::read_shards`], [`shard::sources`]) —
/// and copies its inputs and every run's files into `out`. Returns one
/// line per shard: how many runs it gave.
///
/// # Errors
/// Naming the folders whose configuration differs, and the runs missing,
/// unfinished or duplicated; before anything is written.
pub fn check_shards(dirs: &[PathBuf]) -> Result<(StudyConfig, Vec<usize>, String)> {
    let (files, config_json) = shard::read_shards(dirs, "study", "config.json", "studies")?;
    let crc = saorsa_nn::crc32(&config_json);
    let (config, _, _) = results::load_inputs(&dirs[0])?;
    let runs = study_runs(&config);
    let ids: Vec<String> = runs.iter().map(|(i, s)| run_id(i, *s)).collect();
    let source = shard::sources(dirs, &files, &ids, |k, dir| {
        read_record(dir, &runs[k].0, runs[k].1, crc, true).map(drop)
    })?;
    let provenance = shard::provenance(dirs, &files, &source);
    Ok((config, source, provenance))
}

/// Copies the inputs and every run's files from `dirs` (chosen by
/// [`check_shards`]) into `out`.
pub fn copy_runs(dirs: &[PathBuf], config: &StudyConfig, source: &[usize], out: &Path) -> Result<()> {
    for name in ["config.json", "data/train.csv", "data/val.csv"] {
        shard::copy_file(&dirs[0].join(name), &out.join(name))?;
    }
    for ((init, seed), &k) in study_runs(config).iter().zip(source) {
        if study::stop_requested() {
            return Err(Error::Interrupted);
        }
        let (from, to) = (results::run_dir(&dirs[k], init, *seed), results::run_dir(out, init, *seed));
        for name in ["initial.bin", "final.bin", RECORD] {
            shard::copy_file(&from.join(name), &to.join(name))?;
        }
    }
    Ok(())
}

/// The manifest entries of every run's files (`initial.bin`, `final.bin`,
/// `record.csv`), relative to `out`: a resumed study lists the runs an
/// earlier process wrote too.
pub fn run_file_entries(out: &Path, config: &StudyConfig) -> Result<BTreeMap<String, output::Entry>> {
    let mut entries = BTreeMap::new();
    for (init, seed) in study_runs(config) {
        let rel = format!("runs/{}/seed-{seed}", init.name());
        for name in ["initial.bin", "final.bin", RECORD] {
            let path = out.join(&rel).join(name);
            let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
            entries.insert(format!("{rel}/{name}"), output::Entry::of(&bytes));
        }
    }
    Ok(entries)
}
