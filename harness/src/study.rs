//! The study: every (initializer, seed) run on one data set, in parallel,
//! with results that do not depend on the number of threads.

use crate::ceiling::Ceiling;
use crate::config::{DataSource, EMBEDDING_SEED_OFFSET, MICRO_BATCH, StudyConfig};
use crate::dataset::Data;
use crate::error::{Error, Result};
use crate::inits::InitSpec;
use crate::synthetic;
use saorsa_nn::{AlignedArena, LayerStats, Network, NetworkTrainer, Shape, data, rng_from_seed};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Set when the user asked to stop (Ctrl-C): training stops at the next
/// epoch and no new run starts.
static STOP: AtomicBool = AtomicBool::new(false);

/// Asks every run to stop at its next epoch, and no new run to start.
pub fn request_stop() {
    STOP.store(true, Ordering::SeqCst);
}

/// Withdraws a [`request_stop`], so that the next study runs (a front end that outlives a
/// stopped study — a notebook — calls it once the study has returned).
pub fn clear_stop() {
    STOP.store(false, Ordering::SeqCst);
}

/// Whether [`request_stop`] was called.
pub fn stop_requested() -> bool {
    STOP.load(Ordering::Relaxed)
}

/// The trainer every run uses: a run-time shaped network over an owned
/// arena, with room for the transposed weights (the host's fast path).
pub type StudyTrainer = NetworkTrainer<Arena>;

/// A zeroed arena for a study trainer of `shape` ([`Shape::arena_len_transposed`] at
/// [`MICRO_BATCH`]), starting on a 64-byte boundary ([`AlignedArena`]: where the heap placed a
/// plain `Vec` changed the default study's training time by 16%).
pub fn arena_for(shape: &Shape) -> Arena {
    let len = shape.arena_len_transposed(MICRO_BATCH);
    AlignedArena::new(vec![0.0f32; len + AlignedArena::SLACK], len).expect("SLACK values more than the arena")
}

/// A study trainer's arena ([`arena_for`]).
pub type Arena = AlignedArena<Vec<f32>>;

/// The training and validation sets, owned.
#[derive(Clone, Debug, PartialEq)]
pub struct Splits {
    /// Training set.
    pub train: Data,
    /// Validation set.
    pub val: Data,
}

/// Makes (or takes) the data, embeds it if asked, and splits it as listing
/// C does, with the data seed.
pub fn make_splits(config: &StudyConfig) -> Result<Splits> {
    let mut all = match &config.source {
        DataSource::Generated { spec, samples } => {
            spec.generate(config.data_seed, *samples).map_err(|e| Error::config("source", e))?
        }
        DataSource::Csv { data, .. } => data.clone(),
    };
    if let Some(e) = config.embedding {
        let seed = config.data_seed.wrapping_add(EMBEDDING_SEED_OFFSET);
        all = synthetic::embed(&all, seed, e.dims, e.noise_dims, e.noise_std)
            .map_err(|e| Error::config("embedding", e))?;
    }
    if !(0.0..1.0).contains(&config.val_ratio) {
        return Err(Error::config(
            "val_ratio",
            format!("{} must lie in [0, 1)", crate::error::number(config.val_ratio)),
        ));
    }
    // Listing C: shuffle with the data seed, the first ⌊n·ratio⌋ rows validate.
    data::shuffle_rows(&mut rng_from_seed(config.data_seed), all.features, &mut all.x, &mut all.y);
    let n_val = (all.len() as f64 * config.val_ratio) as usize;
    if n_val == 0 || n_val == all.len() {
        return Err(Error::config(
            "val_ratio",
            format!(
                "{} of {} samples leaves an empty training or validation set",
                crate::error::number(config.val_ratio),
                all.len()
            ),
        ));
    }
    let part = |rows: std::ops::Range<usize>| Data {
        features: all.features,
        classes: all.classes,
        x: all.x[rows.start * all.features..rows.end * all.features].to_vec(),
        y: all.y[rows].to_vec(),
    };
    let splits = Splits { train: part(n_val..all.len()), val: part(0..n_val) };
    // Validate once (finite values, labels in range).
    splits.train.samples()?;
    splits.val.samples()?;
    Ok(splits)
}

/// The accuracy levels epochs-to-threshold are measured against: a
/// threshold at fraction `q` is `chance + q·(ceiling − chance)` of training
/// accuracy ([`Thresholds::target`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Thresholds {
    /// The accuracy of always predicting the training set's most common
    /// class.
    pub chance: f64,
    /// The data set's Bayes-optimal accuracy ([`crate::ceiling`]), known for
    /// generated data (an embedding does not change it), unknown for a CSV
    /// file.
    pub ceiling: Option<Ceiling>,
}

/// Fractions of the way from chance to the ceiling at which the summary
/// and `runs.csv` report epochs to threshold.
pub const THRESHOLD_FRACTIONS: [f64; 2] = [0.5, 0.9];

impl Thresholds {
    /// The thresholds of a study: chance from the training labels, the
    /// ceiling from the generator.
    pub fn of(config: &StudyConfig, splits: &Splits) -> Result<Thresholds> {
        let mut counts = [0usize; 256];
        for &l in &splits.train.y {
            counts[usize::from(l)] += 1;
        }
        let chance = counts.iter().max().copied().unwrap_or(0) as f64 / splits.train.len().max(1) as f64;
        let ceiling = match &config.source {
            DataSource::Generated { spec, .. } => {
                Some(crate::ceiling::ceiling(spec).map_err(|e| Error::config("source", e))?)
            }
            DataSource::Csv { .. } => None,
        };
        Ok(Thresholds { chance, ceiling })
    }

    /// The ceiling used: the known one, else 1.
    pub fn top(&self) -> f64 {
        self.ceiling.map_or(1.0, |c| c.accuracy)
    }

    /// The training accuracy `q` of the way from chance to the ceiling,
    /// `chance + q·(top − chance)`, rounded to f32 (the accuracies' type).
    pub fn target(&self, q: f64) -> f32 {
        (self.chance + q * (self.top() - self.chance)) as f32
    }
}

/// Metrics of one epoch, all from the weights *before* that epoch's update.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EpochRecord {
    /// Training loss (the framework's `metric_dict["loss"]`).
    pub train_loss: f32,
    /// Training accuracy.
    pub train_acc: f32,
    /// Validation loss.
    pub val_loss: f32,
    /// Validation accuracy.
    pub val_acc: f32,
}

/// The result of one (initializer, seed) run.
#[derive(Clone, Debug, PartialEq)]
pub struct RunResult {
    /// Initializers.
    pub init: InitSpec,
    /// Model seed.
    pub seed: u64,
    /// One record per epoch.
    pub epochs: Vec<EpochRecord>,
    /// Per epoch, per dense layer: `‖W_after − W_before‖_F / ‖W_before‖_F`.
    pub update_size: Vec<Vec<f64>>,
    /// Training loss after the last update.
    pub final_train_loss: f32,
    /// Training accuracy after the last update.
    pub final_train_acc: f32,
    /// Validation loss after the last update.
    pub final_val_loss: f32,
    /// Validation accuracy after the last update.
    pub final_val_acc: f32,
    /// Checkpoint of the initial weights.
    pub initial: Vec<u8>,
    /// Checkpoint of the final weights.
    pub last: Vec<u8>,
    /// Set when training stopped early on an error (e.g. divergence).
    pub error: Option<String>,
    /// Per-layer statistics ([`EpochLayerStats`]) at epoch 0 and at every [`is_frame`] epoch,
    /// when the run recorded them ([`run_observed`]); empty otherwise.
    pub layer_stats: Vec<EpochLayerStats>,
}

/// One epoch's per-layer statistics (one [`LayerStats`] per dense layer, input layer first):
/// epoch 0 is one observation of the initial weights on the whole training set
/// ([`NetworkTrainer::observe`]); epoch `e ≥ 1` is the observed training pass of epoch `e`
/// (its steps, from the weights after epoch `e − 1`; [`NetworkTrainer::train_epoch_observed`]).
/// With full-batch training epochs 0 and 1 see the same weights and data, so they are equal.
#[derive(Clone, Debug, PartialEq)]
pub struct EpochLayerStats {
    /// The epoch.
    pub epoch: usize,
    /// Per dense layer.
    pub layers: Vec<LayerStats>,
}

impl RunResult {
    /// The first epoch (from 1) whose training accuracy reached `target`.
    pub fn epochs_to(&self, target: f32) -> Option<usize> {
        self.epochs.iter().position(|e| e.train_acc >= target).map(|i| i + 1)
    }

    /// The final model.
    pub fn final_model(&self) -> Network<Vec<f32>> {
        network_from_checkpoint(&self.last).expect("written by this run").0
    }
}

/// The network one checkpoint holds, at the head of `bytes` (of the shape its header declares,
/// [`Network::from_checkpoint`]), and the checkpoint's length.
///
/// # Errors
/// The core's, for a checkpoint it cannot decode.
pub fn network_from_checkpoint(
    bytes: &[u8],
) -> std::result::Result<(Network<Vec<f32>>, usize), saorsa_nn::Error> {
    let shape = saorsa_nn::checkpoint::read_shape(bytes)?;
    let len = shape.checkpoint_bytes();
    // A shorter input fails decoding with its length.
    let net =
        Network::from_checkpoint(bytes.get(..len).unwrap_or(bytes), vec![0.0; shape.parameter_count()])?;
    Ok((net, len))
}

/// Weight matrices of every dense layer, flattened (for heat maps).
pub type Snapshot = Vec<Vec<f32>>;

/// Epochs of which figure 6 shows the weights: before training (0), every
/// epoch up to 25, then every `max(5, ⌈(epochs − 25) / 75⌉)`-th, and the
/// last — at most about 100 frames, however long the run.
pub fn is_frame(epoch: usize, epochs: usize) -> bool {
    let step = 5usize.max(epochs.saturating_sub(25).div_ceil(75));
    epoch <= 25 || epoch.is_multiple_of(step) || epoch == epochs
}

/// How many of epochs `0..=epochs` are [`is_frame`] epochs: a run's frames, and its rows per
/// layer in `layer_stats.csv`.
pub fn frame_count(epochs: usize) -> usize {
    (0..=epochs).filter(|&e| is_frame(e, epochs)).count()
}

fn weights_of(net: &Network<&[f32]>) -> Snapshot {
    net.layers().map(|l| l.weights.to_vec()).collect()
}

/// A network's checkpoint.
pub fn checkpoint(net: &Network<&[f32]>) -> Vec<u8> {
    let mut buf = vec![0u8; net.shape().checkpoint_bytes()];
    // The core never takes a step that leaves a parameter non-finite
    // (`Error::Diverged`), so encoding cannot meet a NaN.
    net.encode_checkpoint(&mut buf).expect("buffer is checkpoint_bytes long, parameters finite");
    buf
}

/// Trains one run. `observe` sees the network before training (epoch 0)
/// and after every epoch's update: training reports to it and knows nothing
/// of what it keeps (figure 6's frames, say).
pub fn run_one(
    config: &StudyConfig,
    splits: &Splits,
    init: &InitSpec,
    seed: u64,
    observe: &mut dyn FnMut(usize, &Network<&[f32]>),
) -> RunResult {
    run_observed(config, splits, init, seed, observe, None)
}

/// [`run_one`], recording the per-layer statistics ([`RunResult::layer_stats`]) at epoch 0
/// and every [`is_frame`] epoch up to `layer_stats` when it is given: the same bits either way.
pub fn run_observed(
    config: &StudyConfig,
    splits: &Splits,
    init: &InitSpec,
    seed: u64,
    observe: &mut dyn FnMut(usize, &Network<&[f32]>),
    layer_stats: Option<usize>,
) -> RunResult {
    let mut run = Training::start(config, init, seed);
    if let Some(last) = layer_stats {
        run = run.with_layer_stats(config.epochs, last);
    }
    observe(0, &run.network());
    for epoch in 1..=config.epochs {
        if stop_requested() {
            run.error = Some(format!("epoch {epoch}: interrupted"));
            break;
        }
        if run.step(splits).is_err() {
            break;
        }
        observe(epoch, &run.network());
    }
    run.finish(splits)
}

/// One run in progress, an epoch at a time: [`run_one`] is [`Training::start`], then
/// [`Training::step`] per epoch, then [`Training::finish`]. A front end that shows a run as it
/// trains (the browser playground) drives it the same way, so its bits are the study's.
pub struct Training {
    init: InitSpec,
    seed: u64,
    batching: saorsa_nn::Batching,
    trainer: StudyTrainer,
    initial: Vec<u8>,
    epochs: Vec<EpochRecord>,
    update_size: Vec<Vec<f64>>,
    before: Snapshot,
    error: Option<String>,
    /// With per-layer statistics: the run's epochs (for [`is_frame`]), the last epoch to
    /// record, and what was recorded.
    layer_stats: Option<(usize, usize, Vec<EpochLayerStats>)>,
}

impl Training {
    /// The run `(init, seed)` of `config`, initialized and not yet trained (epoch 0).
    ///
    /// # Panics
    /// If `config` was not validated ([`StudyConfig::validate`]).
    pub fn start(config: &StudyConfig, init: &InitSpec, seed: u64) -> Training {
        let shape = config.shape.clone();
        let arena = arena_for(&shape);
        let mut trainer: StudyTrainer =
            NetworkTrainer::new(shape, MICRO_BATCH, arena).expect("arena sized by the shape");
        let inits = init
            .per_layer(config.shape.layers())
            .expect("initializers are checked against the shape when parsed");
        trainer.init_layers_from_seed(&inits, seed).expect("initializers are validated when parsed");
        trainer.set_adam(config.adam()).expect("learning rate is validated when parsed");
        let before = weights_of(&trainer.network());
        Training {
            init: init.clone(),
            seed,
            batching: config.batching(),
            initial: checkpoint(&trainer.network()),
            epochs: Vec::with_capacity(config.epochs),
            update_size: Vec::with_capacity(config.epochs),
            before,
            trainer,
            error: None,
            layer_stats: None,
        }
    }

    /// The same run, recording per-layer statistics ([`EpochLayerStats`]) at epoch 0 and at
    /// every [`is_frame`] epoch of a run of `epochs` epochs up to `last`. Training is the same,
    /// bit for bit.
    pub fn with_layer_stats(mut self, epochs: usize, last: usize) -> Training {
        self.layer_stats = Some((epochs, last, Vec::new()));
        self
    }

    /// The network as it is now.
    pub fn network(&self) -> Network<&[f32]> {
        self.trainer.network()
    }

    /// Epochs trained so far.
    pub fn epochs_done(&self) -> usize {
        self.epochs.len()
    }

    /// Why training stopped early, if it did (`epoch N: …`).
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// One epoch: the validation metrics of the weights before it, then the epoch's training
    /// (whose metrics are those of the forward passes before each update), then each layer's
    /// update size. Returns the epoch's record.
    ///
    /// `splits` are the study's ([`make_splits`]).
    ///
    /// # Errors
    /// The core's refusal (a step that would leave a parameter non-finite is not taken:
    /// [`saorsa_nn::Error::Diverged`]) as `epoch N: …`, also kept in [`Training::error`]; a run
    /// that stopped takes no more steps (the same message again).
    pub fn step(&mut self, splits: &Splits) -> std::result::Result<EpochRecord, String> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        let epoch = self.epochs.len() + 1;
        let train = splits.train.samples().expect("validated when built");
        let val = splits.val.samples().expect("validated when built");
        let v = self.trainer.evaluate(&val).expect("shape checked when parsed");
        let layers = self.trainer.shape().layers();
        let observed = match &mut self.layer_stats {
            Some((epochs, last, recorded)) => {
                if epoch == 1 {
                    let mut at_init = vec![LayerStats::new(); layers];
                    // The initial weights on the whole training set: the gradient this leaves
                    // is overwritten by the epoch's first gradient pass.
                    if self.trainer.observe(&train, &mut at_init).is_ok() {
                        recorded.push(EpochLayerStats { epoch: 0, layers: at_init });
                    }
                }
                epoch <= *last && is_frame(epoch, *epochs)
            }
            None => false,
        };
        let mut stats = vec![LayerStats::new(); if observed { layers } else { 0 }];
        let trained = if observed {
            self.trainer.train_epoch_observed(&train, self.batching, &mut stats)
        } else {
            self.trainer.train_epoch(&train, self.batching)
        };
        if let (true, Ok(_), Some((_, _, recorded))) = (observed, &trained, &mut self.layer_stats) {
            recorded.push(EpochLayerStats { epoch, layers: stats });
        }
        let t = match trained {
            Ok(t) => t,
            Err(e) => {
                let e = format!("epoch {epoch}: {e}");
                self.error = Some(e.clone());
                return Err(e);
            }
        };
        let record =
            EpochRecord { train_loss: t.loss, train_acc: t.accuracy, val_loss: v.loss, val_acc: v.accuracy };
        self.epochs.push(record);
        let after = weights_of(&self.trainer.network());
        self.update_size.push(self.before.iter().zip(&after).map(|(b, a)| relative_change(b, a)).collect());
        self.before = after;
        Ok(record)
    }

    /// Each dense layer's update size of the last epoch ([`RunResult::update_size`]); empty
    /// before the first.
    pub fn last_update_size(&self) -> &[f64] {
        self.update_size.last().map_or(&[], Vec::as_slice)
    }

    /// The run's result: the final metrics (of the weights after the last update) and
    /// checkpoints.
    pub fn finish(mut self, splits: &Splits) -> RunResult {
        let train = splits.train.samples().expect("validated when built");
        let val = splits.val.samples().expect("validated when built");
        let (ft, fv) =
            (self.trainer.evaluate(&train).expect("checked"), self.trainer.evaluate(&val).expect("checked"));
        RunResult {
            last: checkpoint(&self.trainer.network()),
            init: self.init,
            seed: self.seed,
            epochs: self.epochs,
            update_size: self.update_size,
            final_train_loss: ft.loss,
            final_train_acc: ft.accuracy,
            final_val_loss: fv.loss,
            final_val_acc: fv.accuracy,
            initial: self.initial,
            error: self.error,
            layer_stats: self.layer_stats.map(|l| l.2).unwrap_or_default(),
        }
    }
}

/// `‖a − b‖₂ / ‖b‖₂` in f64, summed in index order (0 when `b` is zero).
pub fn relative_change(before: &[f32], after: &[f32]) -> f64 {
    let (mut num, mut den) = (0.0f64, 0.0f64);
    for (&b, &a) in before.iter().zip(after) {
        let d = f64::from(a) - f64::from(b);
        num += d * d;
        den += f64::from(b) * f64::from(b);
    }
    if den == 0.0 { 0.0 } else { (num / den).sqrt() }
}

/// The stack of a [`parallel_map`] worker: training keeps its buffers on
/// the heap, and a small stack lets many threads start under a memory limit.
const WORKER_STACK: usize = 512 << 10;

/// Address space [`parallel_map`] keeps free for its threads' allocations
/// while it starts them.
const THREAD_HEADROOM: usize = 64 << 20;

/// `f` of every item, on up to `threads` threads (never more than there are
/// items), in the items' order. A thread that cannot be started (no memory,
/// a process limit) is done without: the work is shared by those that
/// started, or done on the calling thread if none did.
pub fn parallel_map<T: Sync, R: Send>(items: &[T], threads: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let slots: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    // Under a memory limit, threads are started until one cannot be. The
    // started ones wait at `gate` until then, and `headroom`, address space
    // held back meanwhile, is then released for what they allocate.
    let mut headroom: Vec<u8> = Vec::new();
    let _ = headroom.try_reserve_exact(THREAD_HEADROOM);
    let gate = std::sync::RwLock::new(());
    let starting = gate.write().unwrap_or_else(|e| e.into_inner());
    let work = || {
        drop(gate.read().unwrap_or_else(|e| e.into_inner()));
        loop {
            let k = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(k) else { break };
            let result = f(item);
            slots.lock().unwrap_or_else(|e| e.into_inner())[k] = Some(result);
        }
    };
    std::thread::scope(|scope| {
        let mut started = 0;
        for _ in 0..threads.clamp(1, items.len().max(1)) {
            match std::thread::Builder::new().stack_size(WORKER_STACK).spawn_scoped(scope, work) {
                Ok(_) => started += 1,
                Err(_) => break,
            }
        }
        drop(std::mem::take(&mut headroom));
        drop(starting);
        if started == 0 {
            work();
        }
    });
    slots
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|r| r.expect("every job ran: a job's panic would have ended the scope"))
        .collect()
}

/// The seed of the median final validation accuracy among `finals` (seed, accuracy) of one
/// initializer: the lower median for an even count, ties broken by seed. The one rule for "the
/// median run" (figures 5 and 6).
pub fn median_seed(finals: impl IntoIterator<Item = (u64, f32)>) -> Option<u64> {
    let mut mine: Vec<(f32, u64)> = finals.into_iter().map(|(s, a)| (a, s)).collect();
    mine.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    mine.get((mine.len().max(1) - 1) / 2).map(|&(_, seed)| seed)
}

/// The run with the median final validation accuracy among `runs` of `init` ([`median_seed`]).
pub fn median_run<'r>(runs: &'r [RunResult], init: &InitSpec) -> Option<&'r RunResult> {
    let mine = runs.iter().filter(|r| r.init == *init);
    let seed = median_seed(mine.clone().map(|r| (r.seed, r.final_val_acc)))?;
    mine.into_iter().find(|r| r.seed == seed)
}

/// Retrains `(init, seed)` (the same bits as the study's run) and returns
/// its weights at every [`is_frame`] epoch, as checkpoints.
pub fn record_frames(
    config: &StudyConfig,
    splits: &Splits,
    init: &InitSpec,
    seed: u64,
) -> Vec<(usize, Vec<u8>)> {
    let mut frames = Vec::new();
    run_one(config, splits, init, seed, &mut |epoch, net| {
        if is_frame(epoch, config.epochs) {
            frames.push((epoch, checkpoint(net)));
        }
    });
    frames
}
