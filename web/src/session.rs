//! One worker's share of a study: the study's data and split ([`study::make_splits`]) and its
//! runs, each a [`study::Training`] stepped one epoch at a time — the command line's code,
//! called in the same order, so each run's final checkpoint is the bytes of its
//! `runs/<init>/seed-<k>/final.bin`.

use crate::settings::{Settings, message};
use harness::config::StudyConfig;
use harness::study::{self, RunResult, Splits, Thresholds, Training};
use saorsa_nn::Network;
use serde::Serialize;

/// A run of the study: where it is in the study's order, and its state.
struct Slot {
    /// Its index in the study: `init × seeds + seed's position`.
    index: usize,
    /// Its initializer's position in the configuration.
    init: usize,
    /// Its model seed.
    seed: u64,
    /// The run while it trains.
    training: Option<Box<Training>>,
    /// Its result once it has finished.
    done: Option<Box<RunResult>>,
}

/// The part of a study one worker trains: runs `part`, `part + parts`, `part + 2·parts`, … of
/// the study's `inits × seeds` (initializer-major), and their data.
pub struct Session {
    config: StudyConfig,
    splits: Splits,
    slots: Vec<Slot>,
}

/// The study as the page shows it, told once when a session opens.
#[derive(Serialize)]
pub struct Plan {
    /// The data set's machine name (`spirals:3`) or the CSV file's name.
    pub dataset: String,
    /// Its display name.
    pub dataset_display: String,
    /// The network's widths, `2-64-64-64-2`.
    pub network: String,
    /// Whether LayerNorm stands before each hidden ReLU.
    pub layer_norm: bool,
    /// Parameters.
    pub parameters: usize,
    /// Features per sample.
    pub features: usize,
    /// Classes.
    pub classes: usize,
    /// The initializers: machine and display names.
    pub inits: Vec<(String, String)>,
    /// Model seeds.
    pub seeds: Vec<u64>,
    /// Epochs per run.
    pub epochs: usize,
    /// Chance: always the training set's commonest class (when asked for).
    pub chance: Option<f64>,
    /// The Bayes-optimal accuracy, when known (generated data) and asked for.
    pub ceiling: Option<f64>,
    /// This worker's runs: (index, initializer's position, seed).
    pub runs: Vec<(usize, usize, u64)>,
    /// The training set's features (row-major), for drawing: empty unless the data is 2-D.
    pub train_x: Vec<f32>,
    /// Training labels.
    pub train_y: Vec<u8>,
    /// The validation set's features (empty unless 2-D).
    pub val_x: Vec<f32>,
    /// Validation labels.
    pub val_y: Vec<u8>,
}

/// One run's epoch, as the page draws it.
#[derive(Serialize)]
pub struct Epoch {
    /// The run's index in the study.
    pub run: usize,
    /// The epoch, from 1.
    pub epoch: usize,
    /// Training loss and accuracy (the forward passes before each update), validation loss and
    /// accuracy (the weights before the epoch): the study's `metrics.csv` row.
    pub train_loss: f32,
    /// Training accuracy.
    pub train_acc: f32,
    /// Validation loss.
    pub val_loss: f32,
    /// Validation accuracy.
    pub val_acc: f32,
    /// Each dense layer's update size, `‖ΔW‖_F / ‖W‖_F` (figure 7).
    pub update: Vec<f64>,
}

/// A step the core refused: the run stops with its weights as they were.
#[derive(Serialize)]
pub struct Refusal {
    /// The run's index in the study.
    pub run: usize,
    /// The core's words, `epoch N: training diverged (…)`.
    pub error: String,
}

/// What one call of [`Session::step`] did.
#[derive(Serialize, Default)]
pub struct Stepped {
    /// The epochs trained.
    pub epochs: Vec<Epoch>,
    /// The steps refused.
    pub refused: Vec<Refusal>,
    /// Runs of this session still training.
    pub training: usize,
}

/// A finished run, as "download results" lists it.
#[derive(Serialize)]
pub struct Finished {
    /// The run's index in the study.
    pub run: usize,
    /// Its initializer's machine name.
    pub init: String,
    /// Its model seed.
    pub seed: u64,
    /// Epochs trained.
    pub epochs: usize,
    /// Training accuracy of the final weights.
    pub final_train_acc: f32,
    /// Validation accuracy of the final weights.
    pub final_val_acc: f32,
    /// Training loss of the final weights.
    pub final_train_loss: f32,
    /// Validation loss of the final weights.
    pub final_val_loss: f32,
    /// The CRC-32 of the final checkpoint's body (every byte before its stored CRC), as the
    /// firmware prints it: `0x` and 8 hex digits.
    pub crc32: String,
    /// The final checkpoint's length in bytes.
    pub checkpoint_bytes: usize,
    /// Why training stopped early, if it did.
    pub error: Option<String>,
}

/// The CRC-32 of a checkpoint's body, `0x…` as the firmware prints it (`print_checkpoint`):
/// the CRC of every byte before the last four, which equals the CRC the checkpoint stores.
pub fn body_crc(checkpoint: &[u8]) -> String {
    let body = &checkpoint[..checkpoint.len().saturating_sub(4)];
    format!("{:#010x}", saorsa_nn::crc32(body))
}

impl Session {
    /// Opens the share `part` of `parts` of the study `settings` describe, every run
    /// initialized; with its [`Plan`] (chance and the ceiling only when `thresholds`: the ceiling
    /// takes a moment, and one worker computes it).
    ///
    /// # Errors
    /// A setting that is wrong, named as the page names it; a `parts` of 0 or `part` beyond it.
    pub fn open(
        settings: &Settings,
        part: usize,
        parts: usize,
        thresholds: bool,
    ) -> Result<(Session, Plan), String> {
        if part >= parts {
            return Err(format!("worker {part} of {parts}: no such worker"));
        }
        let config = settings.to_config()?;
        let splits = study::make_splits(&config).map_err(|e| message(&e))?;
        let seeds = config.seeds.len();
        let slots: Vec<Slot> = (0..config.runs())
            .filter(|k| k % parts == part)
            .map(|index| {
                let (init, seed) = (index / seeds, config.seeds[index % seeds]);
                let run = Training::start(&config, &config.inits[init], seed);
                Slot { index, init, seed, training: Some(Box::new(run)), done: None }
            })
            .collect();
        let (chance, ceiling) = if thresholds {
            let t = Thresholds::of(&config, &splits).map_err(|e| message(&e))?;
            (Some(t.chance), t.ceiling.map(|c| c.accuracy))
        } else {
            (None, None)
        };
        let (dataset, dataset_display) = match &config.source {
            harness::config::DataSource::Generated { spec, .. } => (spec.name(), spec.display_name()),
            harness::config::DataSource::Csv { path, .. } => (path.clone(), path.clone()),
        };
        let two_d = config.shape.inputs() == 2;
        let plan = Plan {
            dataset,
            dataset_display,
            network: config.shape.to_string(),
            layer_norm: config.shape.normalization() != saorsa_nn::Normalization::None,
            parameters: config.shape.parameter_count(),
            features: config.shape.inputs(),
            classes: config.shape.classes(),
            inits: config.inits.iter().map(|i| (i.name(), i.display_name())).collect(),
            seeds: config.seeds.clone(),
            epochs: config.epochs,
            chance,
            ceiling,
            runs: slots.iter().map(|s| (s.index, s.init, s.seed)).collect(),
            train_x: if two_d { splits.train.x.clone() } else { Vec::new() },
            train_y: if two_d { splits.train.y.clone() } else { Vec::new() },
            val_x: if two_d { splits.val.x.clone() } else { Vec::new() },
            val_y: if two_d { splits.val.y.clone() } else { Vec::new() },
        };
        Ok((Session { config, splits, slots }, plan))
    }

    /// One epoch of every run still training (in the study's order); a run that reaches its last
    /// epoch, or whose step the core refuses, is finished ([`Training::finish`]).
    pub fn step(&mut self) -> Stepped {
        let mut out = Stepped::default();
        let epochs = self.config.epochs;
        for slot in &mut self.slots {
            let Some(run) = slot.training.as_mut() else { continue };
            match run.step(&self.splits) {
                Ok(r) => out.epochs.push(Epoch {
                    run: slot.index,
                    epoch: run.epochs_done(),
                    train_loss: r.train_loss,
                    train_acc: r.train_acc,
                    val_loss: r.val_loss,
                    val_acc: r.val_acc,
                    update: run.last_update_size().to_vec(),
                }),
                Err(error) => out.refused.push(Refusal { run: slot.index, error }),
            }
            if run.error().is_some() || run.epochs_done() >= epochs {
                let run = slot.training.take().expect("training, matched above");
                slot.done = Some(Box::new(run.finish(&self.splits)));
            } else {
                out.training += 1;
            }
        }
        out
    }

    /// The finished runs, in the study's order.
    pub fn finished(&self) -> Vec<Finished> {
        self.slots
            .iter()
            .filter_map(|s| {
                let r = s.done.as_ref()?;
                Some(Finished {
                    run: s.index,
                    init: r.init.name(),
                    seed: r.seed,
                    epochs: r.epochs.len(),
                    final_train_acc: r.final_train_acc,
                    final_val_acc: r.final_val_acc,
                    final_train_loss: r.final_train_loss,
                    final_val_loss: r.final_val_loss,
                    crc32: body_crc(&r.last),
                    checkpoint_bytes: r.last.len(),
                    error: r.error.clone(),
                })
            })
            .collect()
    }

    /// The final checkpoint of run `index`, once it is finished.
    pub fn checkpoint(&self, index: usize) -> Option<&[u8]> {
        let slot = self.slots.iter().find(|s| s.index == index)?;
        slot.done.as_ref().map(|r| r.last.as_slice())
    }

    /// The decision boundary of run `index` as it is now: for each of `n × n` points of the
    /// rectangle `[x0, x1] × [y0, y1]` (row by row, top row `y1` first), the predicted class and
    /// its probability's excess over chance scaled to 0–255, in `out` (`2·n²` bytes: classes,
    /// then confidences). `None` for a run not in this session or data that is not 2-D.
    pub fn boundary(&self, index: usize, n: usize, rect: [f32; 4], out: &mut Vec<u8>) -> Option<()> {
        let slot = self.slots.iter().find(|s| s.index == index)?;
        let shape = &self.config.shape;
        if shape.inputs() != 2 || n == 0 {
            return None;
        }
        match (&slot.training, &slot.done) {
            (Some(run), _) => grid(&run.network(), n, rect, out),
            (None, Some(r)) => grid(&r.final_model(), n, rect, out),
            (None, None) => None,
        }
    }
}

/// [`Session::boundary`] of `net`.
fn grid<S: AsRef<[f32]>>(net: &Network<S>, n: usize, rect: [f32; 4], out: &mut Vec<u8>) -> Option<()> {
    let classes = net.shape().classes();
    let [x0, x1, y0, y1] = rect;
    let at = |a: f32, b: f32, k: usize| if n == 1 { a } else { a + (b - a) * k as f32 / (n - 1) as f32 };
    let mut xs = Vec::with_capacity(2 * n);
    let mut z = vec![0.0f32; n * classes];
    let mut scratch = vec![0.0f32; net.shape().evaluation_scratch_len(n)];
    let (mut labels, mut confidence) = (Vec::with_capacity(n * n), Vec::with_capacity(n * n));
    let chance = 1.0 / classes as f32;
    for row in 0..n {
        let y = at(y1, y0, row);
        xs.clear();
        for col in 0..n {
            xs.extend([at(x0, x1, col), y]);
        }
        net.logits(&xs, &mut scratch, &mut z).ok()?;
        for logits in z.chunks_exact(classes) {
            let (best, top) = logits
                .iter()
                .enumerate()
                .fold((0, f32::NEG_INFINITY), |b, (c, &v)| if v > b.1 { (c, v) } else { b });
            // The top class's softmax probability, 1 / Σ exp(z − z_top).
            let p = 1.0 / logits.iter().map(|&v| libm::expf(v - top)).sum::<f32>();
            labels.push(best as u8);
            confidence.push((255.0 * ((p - chance) / (1.0 - chance)).clamp(0.0, 1.0)) as u8);
        }
    }
    out.clear();
    out.extend(labels);
    out.extend(confidence);
    Some(())
}
