//! Finishing a study's folder, one way: the runs' records → the tables → the summary → the
//! figures (figure 6's frames made alongside) → the report, each stage a function of the files
//! the one before wrote. A study in one process, a merge of shards and `report --from` run this
//! same code over the same files, so their folders are byte-identical.

use crate::config::StudyConfig;
use crate::error::{Error, Result};
use crate::folder::{Folder, Manifest};
use crate::inits::InitSpec;
use crate::jobs::{KeptFrames, StudyJobs};
use crate::layout;
use crate::report::{self, ReportOptions, Skipped};
use crate::results;
use crate::study::{self, Splits, Thresholds};
use crate::summary::Summary;
use crate::sweep::Jobs as _;
use std::path::{Path, PathBuf};

/// What [`finish`] produced.
#[derive(Debug)]
pub struct Finished {
    /// The summary.
    pub summary: Summary,
    /// The report's path; `None` when the figures and the report were not drawn
    /// ([`tables_only`]: `harness report --from` draws them).
    pub report: Option<PathBuf>,
    /// One line per run that stopped early (divergence, say).
    pub warnings: Vec<String>,
    /// Figures and files the report did not write, and why.
    pub skipped: Vec<Skipped>,
    /// Seconds spent on the tables, on figure 6's frames (the median runs' kept frames
    /// written, or the runs retrained, alongside the other figures) and on the summary,
    /// figures and report (frames included).
    pub seconds: [f64; 3],
}

/// Writes a study's tables, frames, summary, figures and report into `folder`, from its
/// `config.json`, data and every run's record. Figure 6's frames of a median run come from
/// `kept` when training kept them ([`KeptFrames`]), else the run is trained again (the same
/// bits). Errors name the first run whose record is missing or damaged.
///
/// # Errors
/// A missing or damaged file; a write error; [`Error::Interrupted`].
pub fn finish(folder: &Folder, options: &ReportOptions, kept: Option<&KeptFrames>) -> Result<Finished> {
    let start = std::time::Instant::now();
    let (config, splits, finals, warnings) = load_and_write_tables(folder)?;
    let tables_done = start.elapsed().as_secs_f64();
    let medians = medians(&config, &finals);
    drop(finals);
    // The frames are made while the other figures are drawn; figure 6 waits for them.
    let make_frames = || -> Result<f64> {
        let t = std::time::Instant::now();
        write_frames(folder, &config, &splits, &medians, kept, options.threads)?;
        Ok(t.elapsed().as_secs_f64())
    };
    let mut frames_seconds = 0.0;
    let report_start = std::time::Instant::now();
    let (summary, written) = std::thread::scope(|scope| {
        let mut worker = Some(scope.spawn(make_frames));
        let drawn = draw(folder, options, &mut || {
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
    let report::Written { report, skipped } = written;
    Ok(Finished { summary, report: Some(report), warnings, skipped, seconds })
}

/// [`finish`] without figure 6's frames, the figures and the report: the tables and the
/// summary (`summary.json`, `summary.md`) only, as `harness --no-report` leaves a folder;
/// `harness report --from` draws the rest later ([`redraw`]), byte for byte as [`finish`]
/// would have.
///
/// # Errors
/// As [`finish`].
pub fn tables_only(folder: &Folder) -> Result<Finished> {
    let start = std::time::Instant::now();
    let (_, _, _, warnings) = load_and_write_tables(folder)?;
    let tables_done = start.elapsed().as_secs_f64();
    let summary_start = std::time::Instant::now();
    let summary = write_summary(folder)?.0;
    let seconds = [tables_done, 0.0, summary_start.elapsed().as_secs_f64()];
    Ok(Finished { summary, report: None, warnings, skipped: Vec::new(), seconds })
}

/// The folder's configuration and data ([`results::load_inputs`]), then [`write_tables`]:
/// every run's (initializer, seed, final validation accuracy) and warnings.
fn load_and_write_tables(folder: &Folder) -> Result<(StudyConfig, Splits, FinalAccuracies, Vec<String>)> {
    let out = folder.dir();
    let (config, splits, thresholds) = results::load_inputs(out)?;
    let jobs = StudyJobs::new(&config, &splits, crate::jobs::identity(out)?);
    let (finals, warnings) = write_tables(folder, &jobs, &thresholds)?;
    Ok((config, splits, finals, warnings))
}

/// The median run (by final validation accuracy, [`study::median_seed`]) of each of
/// `config`'s initializers, from every run's (initializer, seed, final validation accuracy):
/// figure 6's runs.
fn medians(config: &StudyConfig, finals: &[(InitSpec, u64, f32)]) -> Vec<(InitSpec, u64)> {
    config
        .inits
        .iter()
        .filter_map(|init| {
            let mine = finals.iter().filter(|f| f.0 == *init).map(|f| (f.1, f.2));
            study::median_seed(mine).map(|seed| (init.clone(), seed))
        })
        .collect()
}

/// Writes the `frames.bin` of each of `medians` (figure 6: its weights at every
/// [`study::is_frame`] epoch): from `kept` where training kept them, else trained again
/// (the same bits), on up to `threads` threads.
fn write_frames(
    folder: &Folder,
    config: &StudyConfig,
    splits: &Splits,
    medians: &[(InitSpec, u64)],
    kept: Option<&KeptFrames>,
    threads: usize,
) -> Result<()> {
    let frames = study::parallel_map(medians, threads, |(init, seed)| {
        kept.and_then(|k| k.take(init, *seed))
            .unwrap_or_else(|| study::record_frames(config, splits, init, *seed))
    });
    if study::stop_requested() {
        return Err(Error::Interrupted);
    }
    for ((init, seed), f) in medians.iter().zip(&frames) {
        let rel = format!("{}/{}", layout::run_rel(&init.name(), *seed), layout::FRAMES);
        folder.write(rel, &results::frames_bin(f))?;
    }
    Ok(())
}

/// Every run's (initializer, seed, final validation accuracy).
type FinalAccuracies = Vec<(InitSpec, u64, f32)>;

/// Every run's final accuracy ([`FinalAccuracies`]), and one warning per run that stopped early.
type Finals = (FinalAccuracies, Vec<String>);

/// Writes `metrics.csv`, `runs.csv` and `update_size.csv` from the runs' records, and
/// `layer_stats.csv` from their own, one run at a time in run order (of each run only its final accuracy stays in memory).
fn write_tables(folder: &Folder, jobs: &StudyJobs<'_>, thresholds: &Thresholds) -> Result<Finals> {
    let out = folder.dir();
    let mut tables = [
        (layout::METRICS, results::METRICS_HEADER),
        (layout::RUNS, results::RUNS_HEADER),
        (layout::UPDATE_SIZE, results::UPDATE_SIZE_HEADER),
        (layout::LAYER_STATS, results::LAYER_STATS_HEADER),
    ]
    .map(|(name, header)| {
        let mut f = folder.create(name)?;
        f.write(format!("{header}\n").as_bytes())?;
        Ok(f)
    })
    .into_iter()
    .collect::<Result<Vec<_>>>()?;
    let mut finals = Vec::with_capacity(jobs.len());
    let mut warnings = Vec::new();
    for k in 0..jobs.len() {
        let (init, seed) = jobs.run_of(k);
        let r = jobs.read(out, k, false).map_err(|m| {
            Error::results(
                layout::run_dir(out, &init.name(), seed).join(layout::RECORD),
                format!("run {}: {m}", jobs.id(k)),
            )
        })?;
        tables[0].write(results::metrics_rows(&r).as_bytes())?;
        tables[1].write(results::runs_row(&r, thresholds).as_bytes())?;
        tables[2].write(results::update_size_rows(&r).as_bytes())?;
        let stats = jobs.read_layer_stats(out, k).map_err(|m| {
            Error::results(
                layout::run_dir(out, &init.name(), seed).join(layout::LAYER_STATS),
                format!("run {}: {m}", jobs.id(k)),
            )
        })?;
        tables[3].write(stats.as_bytes())?;
        finals.push((init.clone(), seed, r.final_val_acc));
        if let Some(e) = &r.error {
            warnings.push(format!("warning: {} seed {seed} stopped early: {e}", init.name()));
        }
    }
    for t in tables {
        t.commit()?;
    }
    Ok((finals, warnings))
}

/// Reads the folder's tables back ([`results::load`]), writes the summary (`summary.json`,
/// `summary.md`), then every figure and the report; `frames_ready` is called before figure 6
/// reads the median runs' `frames.bin`. Returns the summary, the report's path and what it
/// left out.
fn draw(
    folder: &Folder,
    options: &ReportOptions,
    frames_ready: &mut dyn FnMut() -> Result<()>,
) -> Result<(Summary, report::Written)> {
    let (summary, loaded) = write_summary(folder)?;
    let written = report::write_all(
        folder,
        &loaded.config,
        &loaded.splits,
        &loaded.runs,
        &summary,
        options,
        frames_ready,
    )?;
    Ok((summary, written))
}

/// Reads the folder's tables back ([`results::load`]) and writes the summary
/// (`summary.json`, `summary.md`); returns it and what was read.
fn write_summary(folder: &Folder) -> Result<(Summary, results::Loaded)> {
    let loaded = results::load(folder.dir())?;
    let (train, val) = (loaded.splits.train.len(), loaded.splits.val.len());
    let summary =
        crate::summary::summarize(&loaded.config.inits, &loaded.runs, &loaded.thresholds, val, train);
    folder.write(layout::SUMMARY_JSON, summary.to_json().as_bytes())?;
    folder.write(layout::SUMMARY_MD, summary.to_markdown().as_bytes())?;
    Ok((summary, loaded))
}

/// What [`redraw`] produced.
#[derive(Debug)]
pub struct Redrawn {
    /// The report's path.
    pub report: PathBuf,
    /// Figures and files the report did not write, and why.
    pub skipped: Vec<Skipped>,
}

/// `harness report --from DIR`: takes the folder, checks its manifest (refusing a folder
/// without one, or whose data files — [`layout::is_input`] — differ from it: an incomplete or
/// altered run), redraws it from its files and commits it again. Returns the report's path
/// and what it left out.
///
/// # Errors
/// A folder that is not a complete study's; a read or write error.
pub fn redraw(dir: &Path, options: &ReportOptions) -> Result<Redrawn> {
    crate::folder::recover(dir)?;
    if !dir.is_dir() {
        return Err(Error::results(dir, "not a results folder"));
    }
    let mut folder = Folder::open(dir, &[])?;
    let manifest = folder.manifest()?.ok_or_else(|| {
        Error::results(
            dir.join(layout::MANIFEST),
            "missing or unreadable: the folder is incomplete (a run that was interrupted or failed) or not a results folder; run the study again",
        )
    })?;
    // The report's inputs must be the run's; what it draws is drawn anew.
    let inputs = Manifest {
        schema_version: manifest.schema_version,
        files: manifest.files.into_iter().filter(|(name, _)| layout::is_input(name)).collect(),
    };
    inputs.verify(dir)?;
    folder.begin_redraw()?;
    // A folder finished without figures (`--no-report`) has no frames yet: they are made now,
    // as the study would have made them.
    let has_frames = inputs.files.keys().any(|name| name.ends_with(&format!("/{}", layout::FRAMES)));
    let (_, written) = draw(&folder, options, &mut || {
        if has_frames {
            return Ok(());
        }
        let (config, splits, _) = results::load_inputs(dir)?;
        let jobs = StudyJobs::new(&config, &splits, crate::jobs::identity(dir)?);
        let finals = (0..jobs.len())
            .map(|k| {
                let (init, seed) = jobs.run_of(k);
                let r = jobs.read(dir, k, false).map_err(|m| {
                    Error::results(layout::run_dir(dir, &init.name(), seed).join(layout::RECORD), m)
                })?;
                Ok((init.clone(), seed, r.final_val_acc))
            })
            .collect::<Result<Vec<_>>>()?;
        write_frames(&folder, &config, &splits, &medians(&config, &finals), None, options.threads)
    })?;
    folder.commit(&inputs.files)?;
    Ok(Redrawn { report: written.report, skipped: written.skipped })
}
