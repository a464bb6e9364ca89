//! A study from its configuration to a finished results folder: the entry point every front
//! end calls (the command line, Python, the page), holding the flow config → jobs → sweep →
//! folder → finishing, and the merge of a study's shards.
//!
//! # Examples
//! ```no_run
//! use harness::pipeline::{Options, Study};
//! let study = Study::new(harness::config::StudyConfig::default())?;
//! let outcome = study.run(std::path::Path::new("results"), &Options::default())?;
//! # Ok::<(), harness::error::Error>(())
//! ```

use crate::config::StudyConfig;
use crate::config_file::ConfigFile;
use crate::error::{Error, Result};
use crate::finish::{self, Finished};
use crate::folder::Folder;
use crate::jobs::{KeptFrames, StudyJobs};
use crate::layout;
use crate::report::{Drawing, ReportOptions};
use crate::shard::Shard;
use crate::study::{self, Splits, Thresholds};
use crate::sweep::{self, Trained};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// How a study runs; its results do not depend on any of it.
#[derive(Clone, Copy)]
pub struct Options<'a> {
    /// Worker threads (lowered to what fits in memory, [`crate::config::check_size`]).
    pub threads: usize,
    /// Train only this shard's runs (and write no tables or figures), or all of them.
    pub shard: Option<Shard>,
    /// The figures' drawing choices.
    pub drawing: Drawing,
    /// Called once per run trained or found finished.
    pub progress: &'a (dyn Fn() + Sync),
    /// Replace another study's results in the folder ([`Folder::check_replaces`]).
    pub force: bool,
    /// Draw the figures and the report; without them the folder holds the tables and the
    /// summary ([`finish::tables_only`]), and `harness report --from` draws the rest later,
    /// the same bytes.
    pub report: bool,
}

impl Default for Options<'_> {
    fn default() -> Self {
        Options {
            threads: 1,
            shard: None,
            drawing: Drawing::default(),
            progress: &|| {},
            force: false,
            report: true,
        }
    }
}

impl std::fmt::Debug for Options<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("threads", &self.threads)
            .field("shard", &self.shard)
            .field("drawing", &self.drawing)
            .field("force", &self.force)
            .field("report", &self.report)
            .finish_non_exhaustive()
    }
}

/// What [`Study::run`] did.
#[derive(Debug)]
pub struct Outcome {
    /// Runs trained now and found finished.
    pub trained: Trained,
    /// The threads used.
    pub threads: usize,
    /// Seconds spent training.
    pub train_seconds: f64,
    /// Seconds in all.
    pub total_seconds: f64,
    /// The finished folder's summary and report; `None` for a shard.
    pub finished: Option<Finished>,
}

/// A validated study: its configuration, data and thresholds, made once.
#[derive(Debug)]
pub struct Study {
    config: StudyConfig,
    splits: Splits,
    thresholds: Thresholds,
}

impl Study {
    /// Validates `config` ([`StudyConfig::validate`]) and makes its data and thresholds.
    ///
    /// # Errors
    /// [`Error::Config`] naming the field that is wrong.
    pub fn new(config: StudyConfig) -> Result<Study> {
        config.validate()?;
        let splits = study::make_splits(&config)?;
        let thresholds = Thresholds::of(&config, &splits)?;
        Ok(Study { config, splits, thresholds })
    }

    /// The study a `config.json` records (`harness --config`): generated data is made again
    /// from its name and seed; a CSV source is read again from the path it records. The same
    /// configuration gives the same files, byte for byte.
    ///
    /// # Errors
    /// A file that cannot be read or is not a valid configuration (naming it).
    pub fn from_config_file(path: &Path) -> Result<Study> {
        let file = ConfigFile::read(path)?;
        let source = match file.generated().map_err(|m| Error::results(path, m))? {
            Some(source) => source,
            None => {
                let data_path = file.data.path.clone().unwrap_or_default();
                let bytes = crate::dataset::read_bounded(Path::new(&data_path))
                    .map_err(|e| Error::results(path, format!("data.path {data_path}: {e}")))?;
                let columns = file.data.columns();
                let table = crate::csv_data::read(&bytes, &columns)
                    .map_err(|e| Error::results(path, format!("data.path {data_path}: {e}")))?;
                let crc = format!("{:08x}", crate::config_file::content_crc32(&table.data));
                if file.data.content_crc32.as_ref().is_some_and(|c| *c != crc) {
                    return Err(Error::results(
                        path,
                        format!(
                            "data.path {data_path}: the file's data differ from the study's (content CRC-32 {crc})"
                        ),
                    ));
                }
                if table.class_names != file.data.class_names {
                    return Err(Error::results(
                        path,
                        format!(
                            "data.path {data_path}: the file's class names differ from the study's data.class_names"
                        ),
                    ));
                }
                let (data, class_names) = (table.data, table.class_names);
                crate::config::DataSource::Csv { path: data_path, data, columns, class_names }
            }
        };
        let config = file.to_config_with(source).map_err(|m| Error::results(path, m))?;
        Study::new(config)
    }

    /// The configuration.
    pub fn config(&self) -> &StudyConfig {
        &self.config
    }

    /// The number of runs `shard` trains (all of them without one).
    pub fn runs_of(&self, shard: Option<Shard>) -> usize {
        sweep::mine(&StudyJobs::new(&self.config, &self.splits, 0), shard).len()
    }

    /// Trains the study into `out` and finishes it there — or, for a shard, trains only its
    /// runs into `out`. A whole study trains into a staging folder beside `out`
    /// ([`Folder::resume_stage`]), leaving `out` as it was until every run has finished; either way every
    /// run that finishes is kept on disk, and the same call resumes.
    ///
    /// # Errors
    /// [`Error::Config`] for a folder that cannot be used; [`Error::Stopped`] on Ctrl-C
    /// ([`study::request_stop`]); a write error.
    pub fn run(&self, out: &Path, options: &Options<'_>) -> Result<Outcome> {
        let threads = crate::config::check_size(&self.config, options.threads)?;
        let inits: Vec<String> = self.config.inits.iter().map(|i| i.name()).collect();
        let mut folder = Folder::open(out, &layout::study_files(&inits, &self.config.seeds))?;
        let config_json = self.config_json();
        folder.check_replaces(layout::CONFIG, config_json.as_bytes(), options.force)?;
        let start = Instant::now();
        // A whole study trains and finishes in a staging folder beside `out`, then is swapped
        // in: `out` holds the old complete study or the new one, whenever the process stops. A
        // shard trains into its folder, which is never a complete study.
        let staged = match options.shard {
            Some(_) => {
                folder.begin()?;
                None
            }
            None => Some(folder.resume_stage(layout::CONFIG, config_json.as_bytes())?),
        };
        let store = staged.as_ref().unwrap_or(&folder);
        let stopped = |e: Error| match e {
            Error::Interrupted => Error::Stopped { kept_in: Some(store.dir().to_path_buf()) },
            other => other,
        };
        let identity = self.write_inputs(store)?;
        if options.shard.is_some() {
            // The drawing options are the merge's to use ([`crate::merge`]).
            store.write(layout::FIGURES_JSON, crate::report::figures_json(options.drawing).as_bytes())?;
        }
        // Figure 6's frames of the runs trained now, kept for the median runs' (a whole study
        // that draws its figures, while they fit in memory).
        let kept = (options.shard.is_none() && options.report)
            .then(|| KeptFrames::for_study(&self.config))
            .flatten();
        let mut jobs = StudyJobs::new(&self.config, &self.splits, identity);
        if let Some(kept) = &kept {
            jobs = jobs.keeping_frames(kept);
        }
        let trained =
            sweep::run(store.dir(), &jobs, options.shard, threads, options.progress).map_err(stopped)?;
        let train_seconds = start.elapsed().as_secs_f64();
        if study::stop_requested() {
            return Err(stopped(Error::Interrupted));
        }
        let mut outcome = Outcome { trained, threads, train_seconds, total_seconds: 0.0, finished: None };
        if let Some(staged) = staged {
            let report = ReportOptions { drawing: options.drawing, threads };
            let finished = if options.report {
                finish::finish(&staged, &report, kept.as_ref())
            } else {
                finish::tables_only(&staged)
            };
            let finished = finished.map_err(|e| match e {
                Error::Interrupted => Error::Stopped { kept_in: Some(staged.dir().to_path_buf()) },
                other => other,
            })?;
            if study::stop_requested() {
                return Err(Error::Stopped { kept_in: Some(staged.dir().to_path_buf()) });
            }
            // Runs kept from an interrupted run were written by another process.
            let keep = sweep::entries(staged.dir(), &jobs)?;
            folder.install(staged, &keep)?;
            let report = finished.report.as_ref().map(|_| out.join(layout::REPORT_HTML));
            outcome.finished = Some(Finished { report, ..finished });
        }
        outcome.total_seconds = start.elapsed().as_secs_f64();
        Ok(outcome)
    }

    /// The study's `config.json`.
    pub fn config_json(&self) -> String {
        ConfigFile::of(&self.config, &self.splits, &self.thresholds).to_json()
    }

    /// Writes `config.json` and the data into `folder`; returns `config.json`'s CRC-32 (the
    /// identity of the configuration that every record carries).
    fn write_inputs(&self, folder: &Folder) -> Result<u32> {
        let json = self.config_json();
        folder.write(layout::CONFIG, json.as_bytes())?;
        folder.write(layout::TRAIN_DATA, crate::dataset::to_csv(&self.splits.train).as_bytes())?;
        folder.write(layout::VAL_DATA, crate::dataset::to_csv(&self.splits.val).as_bytes())?;
        Ok(saorsa_nn::crc32(json.as_bytes()))
    }
}

/// Checks that every shard holds the same data files, and for generated data the ones its
/// configuration makes: an edited `data/train.csv` would otherwise flow into the merged
/// figures.
fn check_shard_data(dirs: &[PathBuf], config: &StudyConfig) -> Result<()> {
    let made = match config.source {
        crate::config::DataSource::Generated { .. } => {
            let splits = study::make_splits(config)?;
            Some([crate::dataset::to_csv(&splits.train), crate::dataset::to_csv(&splits.val)])
        }
        crate::config::DataSource::Csv { .. } => None,
    };
    for (k, name) in [layout::TRAIN_DATA, layout::VAL_DATA].into_iter().enumerate() {
        let first = std::fs::read(dirs[0].join(name)).map_err(|e| Error::io(dirs[0].join(name), e))?;
        if made.as_ref().is_some_and(|m| m[k].as_bytes() != first.as_slice()) {
            return Err(Error::results(dirs[0].join(name), "differs from the data its config.json makes"));
        }
        for d in &dirs[1..] {
            if std::fs::read(d.join(name)).map_err(|e| Error::io(d.join(name), e))? != first {
                return Err(Error::results(
                    d.join(name),
                    format!("differs from {}: the shards hold different data", dirs[0].join(name).display()),
                ));
            }
        }
    }
    Ok(())
}

/// `harness merge` of a study's shards: checks that the folders `dirs` hold one study between
/// them — the same `config.json`, from this harness version, every run done in exactly one of
/// them — and writes the complete study into `out`, byte-identical to the same study in one
/// process. Returns one line per shard (how many runs it gave) and the finished folder.
///
/// # Errors
/// Naming the folders whose configuration differs, and the runs missing, unfinished or
/// duplicated, before anything is written.
pub fn merge(
    dirs: &[PathBuf],
    out: &Path,
    drawing: Drawing,
    threads: usize,
    force: bool,
) -> Result<(String, Finished)> {
    let (config, splits, _) = crate::results::load_inputs(&dirs[0])?;
    let identity = crate::jobs::identity(&dirs[0])?;
    let jobs = StudyJobs::new(&config, &splits, identity);
    let (source, provenance) = sweep::sources(dirs, &jobs, layout::CONFIG)?;
    check_shard_data(dirs, &config)?;
    // The report reads every run's curves back: the same bound as one process.
    let threads = crate::config::check_size(&config, threads)?;
    let inits: Vec<String> = config.inits.iter().map(|i| i.name()).collect();
    let folder = Folder::open(out, &layout::study_files(&inits, &config.seeds))?;
    let config_json = std::fs::read(dirs[0].join(layout::CONFIG))
        .map_err(|e| Error::io(dirs[0].join(layout::CONFIG), e))?;
    folder.check_replaces(layout::CONFIG, &config_json, force)?;
    // Written beside the folder and swapped in: old-or-new.
    let staged = folder.stage("merging")?;
    for name in layout::INPUTS {
        let path = dirs[0].join(name);
        staged.write(name, &std::fs::read(&path).map_err(|e| Error::io(&path, e))?)?;
    }
    sweep::copy(dirs, &jobs, &source, &staged)?;
    let mut finished = finish::finish(&staged, &ReportOptions { drawing, threads }, None)?;
    folder.install(staged, &Default::default())?;
    finished.report = Some(out.join(layout::REPORT_HTML));
    Ok((provenance, finished))
}
