//! A study's runs as the sweep engine's jobs ([`crate::sweep::Jobs`]): their order, ids, costs,
//! files and record.
//!
//! **Runs and their order.** A study's runs are its (initializer, seed) pairs, initializer-major:
//! every seed of the first initializer, then of the second, and so on. A run's id is
//! `<init>/seed-<k>`, its folder `runs/<init>/seed-<k>/` ([`layout::run_rel`]).
//!
//! **A run's record** ([`record_bytes`]) holds its curves, update sizes and final values, the
//! CRC-32 of the `config.json` it was trained under and of both checkpoints' bodies
//! ([`checkpoint_crc`]): a run whose checkpoints differ from its record is trained again.

use crate::config::StudyConfig;
use crate::error::{Error, Result};
use crate::inits::InitSpec;
use crate::layout;
use crate::output::write_atomic;
use crate::record::{Record, RecordWriter};
use crate::results;
use crate::shard;
use crate::study::{self, EpochRecord, RunResult, Splits};
use crate::sweep::Jobs;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

/// The most bytes a checkpoint of a study may have: the largest network the harness accepts.
pub const MAX_CHECKPOINT_BYTES: u64 = 1 << 31;

/// The runs of a study, trained from its configuration and data.
#[derive(Debug)]
pub struct StudyJobs<'a> {
    config: &'a StudyConfig,
    splits: &'a Splits,
    /// The CRC-32 of the study's `config.json`.
    identity: u32,
    runs: Vec<(InitSpec, u64)>,
    /// Where the runs trained here leave figure 6's frames, if they keep them.
    kept: Option<&'a KeptFrames>,
}

/// Figure 6's frames (a run's weights at every [`study::is_frame`] epoch) of the runs a process
/// trained, kept in memory until the median runs are known ([`crate::finish::finish`]), so that
/// those need no second training. Kept only while they fit [`KeptFrames::BUDGET`].
#[derive(Debug)]
pub struct KeptFrames {
    shape: saorsa_nn::Shape,
    /// Per run (initializer's name, seed), its weights at every frame epoch.
    frames: Mutex<HashMap<(String, u64), Snapshots>>,
}

/// `(epoch, parameters)` at every [`study::is_frame`] epoch of a run.
type Snapshots = Vec<(usize, Vec<f32>)>;

/// A run's frames: `(epoch, checkpoint)` at every [`study::is_frame`] epoch.
pub type Frames = Vec<(usize, Vec<u8>)>;

impl KeptFrames {
    /// The most bytes of frames a study keeps in memory: the default study's 30 runs keep
    /// 75 MB; a study whose frames would take more trains its median runs again instead (a
    /// small share of a study that large), so memory does not grow with the number of runs.
    pub const BUDGET: u64 = 128 << 20;

    /// A place for the frames of `config`'s runs, or `None` when they would not fit
    /// [`KeptFrames::BUDGET`].
    pub fn for_study(config: &StudyConfig) -> Option<KeptFrames> {
        let per_frame = 4 * config.shape.parameter_count() as u64;
        let frames = study::frame_count(config.epochs) as u64;
        let bytes = (config.runs() as u64).saturating_mul(frames).saturating_mul(per_frame);
        (bytes <= Self::BUDGET).then(|| KeptFrames { shape: config.shape.clone(), frames: Mutex::default() })
    }

    fn put(&self, init: &InitSpec, seed: u64, frames: Snapshots) {
        self.frames.lock().unwrap_or_else(|e| e.into_inner()).insert((init.name(), seed), frames);
    }

    /// Takes the frames run `(init, seed)` kept, if it was trained here, as checkpoints.
    pub fn take(&self, init: &InitSpec, seed: u64) -> Option<Frames> {
        let kept = self.frames.lock().unwrap_or_else(|e| e.into_inner()).remove(&(init.name(), seed))?;
        let checkpoint = |params: &[f32]| {
            let net = saorsa_nn::Network::new(self.shape.clone(), params).expect("kept with this shape");
            study::checkpoint(&net)
        };
        Some(kept.into_iter().map(|(epoch, params)| (epoch, checkpoint(&params))).collect())
    }
}

impl<'a> StudyJobs<'a> {
    /// The runs of `config` on `splits`, in a sweep whose `config.json` has CRC-32 `identity`.
    pub fn new(config: &'a StudyConfig, splits: &'a Splits, identity: u32) -> StudyJobs<'a> {
        StudyJobs { config, splits, identity, runs: study_runs(config), kept: None }
    }

    /// The same runs, each one trained leaving its figure 6 frames in `kept`.
    pub fn keeping_frames(self, kept: &'a KeptFrames) -> StudyJobs<'a> {
        StudyJobs { kept: Some(kept), ..self }
    }

    /// Run `k`'s initializer and seed.
    pub fn run_of(&self, k: usize) -> (&InitSpec, u64) {
        (&self.runs[k].0, self.runs[k].1)
    }

    /// Reads run `k`'s record from `dir` (without its checkpoints, which stay on disk), checking
    /// the checkpoints against it when `check_checkpoints`.
    ///
    /// # Errors
    /// A message saying why the run is not done.
    pub fn read(
        &self,
        dir: &Path,
        k: usize,
        check_checkpoints: bool,
    ) -> std::result::Result<RunResult, String> {
        let (init, seed) = self.run_of(k);
        let run = layout::run_dir(dir, &init.name(), seed);
        let r = Record::read(&run.join(layout::RECORD))?;
        if check_checkpoints {
            for name in [layout::INITIAL, layout::FINAL] {
                let data = crate::output::read_bounded(&run.join(name), MAX_CHECKPOINT_BYTES)
                    .map_err(|e| format!("{name}: {e}"))?;
                let want = [data.len().to_string(), format!("{:08x}", checkpoint_crc(&data))];
                if r.values(name) != Some(&want[..]) {
                    return Err(format!("{name} differs from the record"));
                }
                // The record's CRC covers the body: the checkpoint must also be whole (its own
                // CRC trailer) and of the study's network.
                match study::network_from_checkpoint(&data) {
                    Ok((net, len)) if len == data.len() && *net.shape() == self.config.shape => {}
                    Ok(_) => return Err(format!("{name} is not a checkpoint of the study's network")),
                    Err(e) => return Err(format!("{name}: {e}")),
                }
            }
        }
        parse_record(&r, init, seed, self.identity)
    }
}

impl StudyJobs<'_> {
    /// Run `k`'s `layer_stats.csv` under `dir`, its rows without the header, checked to be the
    /// run's: its initializer and seed on every row, every layer of the study's network in
    /// order, epoch 0 first.
    ///
    /// # Errors
    /// A message saying what is missing or wrong.
    pub fn read_layer_stats(&self, dir: &Path, k: usize) -> std::result::Result<String, String> {
        let (init, seed) = self.run_of(k);
        let rel = format!("{}/{}", layout::run_rel(&init.name(), seed), layout::LAYER_STATS);
        let most = results::layer_stats_rows_at_most(self.config, 1);
        let rows = results::read_layer_stats(dir, &rel, most).map_err(|e| e.to_string())?;
        let layers = self.config.shape.layers();
        let ok = rows.len().is_multiple_of(layers)
            && rows
                .iter()
                .enumerate()
                .all(|(i, r)| r.init == init.name() && r.seed == seed && r.layer == i % layers + 1);
        if !ok || rows.is_empty() || rows[0].epoch != 0 {
            return Err(format!("{}: not this run's statistics", layout::LAYER_STATS));
        }
        let bytes = crate::output::read_bounded(&dir.join(&rel), MAX_CHECKPOINT_BYTES)
            .map_err(|e| format!("{}: {e}", layout::LAYER_STATS))?;
        let text = String::from_utf8(bytes).map_err(|_| format!("{}: not UTF-8", layout::LAYER_STATS))?;
        Ok(text.split_once('\n').map_or(String::new(), |(_, body)| body.to_string()))
    }
}

/// The identity of the study in `dir`: the CRC-32 of its `config.json`, which every record
/// carries.
///
/// # Errors
/// A `config.json` that cannot be read.
pub fn identity(dir: &Path) -> Result<u32> {
    let bytes = crate::output::read_bounded(&dir.join(layout::CONFIG), crate::folder::MAX_IDENTITY_BYTES)?;
    Ok(saorsa_nn::crc32(&bytes))
}

/// The study's runs, in order: initializer-major.
pub fn study_runs(config: &StudyConfig) -> Vec<(InitSpec, u64)> {
    config.inits.iter().flat_map(|i| config.seeds.iter().map(move |&s| (i.clone(), s))).collect()
}

impl Jobs for StudyJobs<'_> {
    fn kind(&self) -> &'static str {
        "study"
    }

    fn len(&self) -> usize {
        self.runs.len()
    }

    /// `<init>/seed-<k>`.
    fn id(&self, k: usize) -> String {
        let (init, seed) = self.run_of(k);
        format!("{}/seed-{seed}", init.name())
    }

    /// Every run of a study costs the same.
    fn cost(&self, _: usize) -> u64 {
        let (c, d) = (self.config, self.splits);
        shard::run_cost(c.epochs, d.train.len(), d.val.len(), c.shape.parameter_count())
    }

    fn files(&self, k: usize) -> Vec<String> {
        let (init, seed) = self.run_of(k);
        let dir = layout::run_rel(&init.name(), seed);
        layout::RUN_FILES.iter().map(|f| format!("{dir}/{f}")).collect()
    }

    /// The record and checkpoints agree ([`StudyJobs::read`]) and the run's `layer_stats.csv`
    /// holds its rows ([`StudyJobs::read_layer_stats`]).
    fn done(&self, dir: &Path, k: usize) -> std::result::Result<(), String> {
        self.read(dir, k, true)?;
        self.read_layer_stats(dir, k).map(drop)
    }

    fn run(&self, dir: &Path, k: usize) -> Result<()> {
        let (init, seed) = self.run_of(k);
        let epochs = self.config.epochs;
        let mut frames = Vec::new();
        let mut keep = |epoch: usize, net: &saorsa_nn::Network<&[f32]>| {
            if self.kept.is_some() && study::is_frame(epoch, epochs) {
                frames.push((epoch, net.parameters().to_vec()));
            }
        };
        let r = study::run_observed(self.config, self.splits, init, seed, &mut keep, Some(epochs));
        if study::stop_requested() {
            return Err(Error::Interrupted);
        }
        let run = layout::run_dir(dir, &init.name(), seed);
        write_atomic(&run.join(layout::INITIAL), &r.initial)?;
        write_atomic(&run.join(layout::FINAL), &r.last)?;
        let stats = format!("{}\n{}", results::LAYER_STATS_HEADER, results::layer_stats_rows(&r));
        write_atomic(&run.join(layout::LAYER_STATS), stats.as_bytes())?;
        write_atomic(&run.join(layout::RECORD), &record_bytes(&r, self.identity))?;
        if let Some(kept) = self.kept {
            kept.put(init, seed, frames);
        }
        Ok(())
    }
}

/// The CRC-32 a record keeps of a checkpoint: of all but its last four bytes. Those hold the
/// CRC-32 of the rest, which makes the CRC-32 of every *whole* checkpoint the same constant
/// (0x2144df1c): blind to the weights. (A shorter input, never a checkpoint, is hashed whole.)
pub fn checkpoint_crc(bytes: &[u8]) -> u32 {
    saorsa_nn::crc32(bytes.get(..bytes.len().wrapping_sub(4)).unwrap_or(bytes))
}

/// A study run's record (see the module's documentation), in a sweep of identity `identity`.
pub fn record_bytes(r: &RunResult, identity: u32) -> Vec<u8> {
    let mut w = RecordWriter::envelope([r.init.name(), r.seed.to_string()], identity);
    for (name, bytes) in [(layout::INITIAL, &r.initial), (layout::FINAL, &r.last)] {
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

/// The run a parsed record holds, checked to be run `(init, seed)`'s in a sweep of identity
/// `identity` (without its checkpoints).
///
/// # Errors
/// A message saying what is missing or wrong.
pub fn parse_record(
    r: &Record,
    init: &InitSpec,
    seed: u64,
    identity: u32,
) -> std::result::Result<RunResult, String> {
    r.check_envelope(&[init.name(), seed.to_string()], identity)?;
    let (tl, ta, vl, va): (Vec<f32>, Vec<f32>, Vec<f32>, Vec<f32>) =
        (r.parsed("train_loss")?, r.parsed("train_acc")?, r.parsed("val_loss")?, r.parsed("val_acc")?);
    let n = tl.len();
    if [ta.len(), vl.len(), va.len()] != [n; 3] {
        return Err("curves of different lengths".into());
    }
    let layers: usize = r.one("layers")?;
    if layers > saorsa_nn::shape::MAX_LAYERS {
        return Err(format!("{layers} layers (at most {})", saorsa_nn::shape::MAX_LAYERS));
    }
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
        layer_stats: Vec::new(),
        error: r.values("error").and_then(|v| v.first()).cloned(),
    })
}
