//! The host reference for the Cortex-M4F firmware in `firmware/`.
//!
//! It computes the firmware's configuration on the host and prints exactly
//! the lines the firmware prints (except the firmware's `#` lines about
//! memory and stack), so that `diff` proves the two bit-identical: every
//! epoch's loss and accuracy as f32 bits, the validation metrics and the
//! checkpoint's CRC-32.
//!
//! The settings are the firmware's compile-time variables, read here at run
//! time with the same defaults: `FW_SAMPLES` (256), `FW_EPOCHS` (20),
//! `FW_INIT` (`glorot`), `FW_SEED` (0). The host's micro-batch size is
//! `FW_HOST_MICROBATCH` (default `FW_MICROBATCH`, default 1; a power of two
//! up to 256 for `train`, any for `train-runtime`); any value gives the same
//! output.
//!
//! `train` trains the const-generic `PaperTrainer<B>`; `train-runtime` trains
//! a `NetworkTrainer` of the run-time shape `2-64-64-64-2` over an arena of
//! `shape::arena_len` elements, as the `train-runtime` firmware does. Both
//! print the same lines (the `#` line aside): `compare.sh train-runtime`
//! checks the firmware against both.
//!
//! ```text
//! cargo run -p saorsa-nn --example firmware_reference                  # like `train`
//! cargo run -p saorsa-nn --example firmware_reference -- train-runtime # like `train-runtime`
//! cargo run -p saorsa-nn --example firmware_reference -- infer CKPT    # like `infer`
//! FW_SAMPLES=1200 FW_EPOCHS=250 cargo run -p saorsa-nn --example firmware_reference -- \
//!     --write-checkpoint firmware/assets/paper-glorot-seed0.bin
//! ```
//!
//! `--write-checkpoint PATH` also writes `PATH` with the extension
//! `expected`: the lines the `infer` firmware must print for that checkpoint.

use saorsa_nn::{
    Batching, Dataset, Error, Init, Metrics, NetworkTrainer, PaperNet, PaperTrainer, Shape, crc32, data,
    rng_from_seed,
};
use std::fmt::Display;
use std::path::Path;
use std::process::ExitCode;

// The firmware's data configuration (`firmware/src/lib.rs`): the paper's.
use saorsa_nn::paper::{DATA_SEED, NOISE, SAMPLES as PAPER_SAMPLES, SPLIT_SEED, VAL_RATIO};

/// The compile-time settings of `firmware/build.rs`, with its defaults.
struct Settings {
    samples: usize,
    epochs: u32,
    init: Init,
    seed: u64,
    micro_batch: usize,
}

/// `name`'s value, or `default` if it is unset or empty.
fn setting(name: &str, default: &str) -> String {
    match std::env::var(name) {
        Ok(v) if !v.trim().is_empty() => v.trim().to_owned(),
        _ => default.to_owned(),
    }
}

fn number<T: std::str::FromStr + PartialOrd + Display>(
    name: &str,
    default: &str,
    min: T,
) -> Result<T, String> {
    let text = setting(name, default);
    match text.parse::<T>() {
        Ok(v) if v >= min => Ok(v),
        _ => Err(format!("{name}={text}: expected an integer ≥ {min}")),
    }
}

impl Settings {
    fn from_env() -> Result<Settings, String> {
        let init_name = setting("FW_INIT", "glorot");
        let micro_batch = setting("FW_MICROBATCH", "1");
        Ok(Settings {
            samples: number("FW_SAMPLES", "256", 4)?,
            epochs: number("FW_EPOCHS", "20", 1)?,
            init: Init::from_name(&init_name).ok_or(format!("FW_INIT={init_name}: unknown initializer"))?,
            seed: number("FW_SEED", "0", 0)?,
            micro_batch: number("FW_HOST_MICROBATCH", &micro_batch, 1)?,
        })
    }
}

/// The firmware's `make_data`: two moons from `DATA_SEED`, split with `SPLIT_SEED`.
fn make_data<'a>(
    x: &'a mut [[f32; 2]],
    y: &'a mut [u8],
) -> Result<(Dataset<'a, 2, 2>, Dataset<'a, 2, 2>), Error> {
    data::make_moons(&mut rng_from_seed(DATA_SEED), NOISE, x, y)?;
    let split = data::train_val_split(&mut rng_from_seed(SPLIT_SEED), VAL_RATIO, x, y)?;
    Ok((Dataset::new(split.train_x, split.train_y)?, Dataset::new(split.val_x, split.val_y)?))
}

fn data_line(train: &Dataset<'_, 2, 2>, val: &Dataset<'_, 2, 2>) -> String {
    format!(
        "data samples={} train={} val={} noise={NOISE} data_seed={DATA_SEED} val_ratio={VAL_RATIO} split_seed={SPLIT_SEED}",
        train.len() + val.len(),
        train.len(),
        val.len()
    )
}

fn metrics_line(label: impl Display, m: &Metrics) -> String {
    format!("{label} {m}")
}

fn checkpoint_line(bytes: &[u8]) -> String {
    let body = &bytes[..bytes.len().saturating_sub(4)];
    format!("checkpoint bytes={} crc32={:#010x}", bytes.len(), crc32(body))
}

/// The two ways to train the paper's network: the const-generic
/// `PaperTrainer<B>` (the `train` firmware) and a `NetworkTrainer` of the
/// run-time shape `2-64-64-64-2` (the `train-runtime` firmware).
trait PaperTraining {
    fn learning_rate(&self) -> f64;
    fn init(&mut self, init: Init, seed: u64) -> Result<(), Error>;
    fn epoch(&mut self, train: &Dataset<'_, 2, 2>) -> Result<Metrics, Error>;
    fn validate(&mut self, val: &Dataset<'_, 2, 2>) -> Result<Metrics, Error>;
    fn checkpoint(&self) -> Result<Vec<u8>, Error>;
    /// The `#` line about this trainer (not compared).
    fn describe(&self) -> String;
}

impl<const B: usize> PaperTraining for PaperTrainer<B> {
    fn learning_rate(&self) -> f64 {
        self.adam().learning_rate
    }
    fn init(&mut self, init: Init, seed: u64) -> Result<(), Error> {
        self.init_from_seed(init, seed)
    }
    fn epoch(&mut self, train: &Dataset<'_, 2, 2>) -> Result<Metrics, Error> {
        self.train_epoch(train, Batching::Full)
    }
    fn validate(&mut self, val: &Dataset<'_, 2, 2>) -> Result<Metrics, Error> {
        Ok(self.model().evaluate(val))
    }
    fn checkpoint(&self) -> Result<Vec<u8>, Error> {
        let mut checkpoint = vec![0u8; PaperNet::CHECKPOINT_BYTES];
        let len = self.model().encode_checkpoint(&mut checkpoint)?;
        checkpoint.truncate(len);
        Ok(checkpoint)
    }
    fn describe(&self) -> String {
        format!("# host micro-batch B={B}")
    }
}

impl PaperTraining for NetworkTrainer<Vec<f32>> {
    fn learning_rate(&self) -> f64 {
        self.adam().learning_rate
    }
    fn init(&mut self, init: Init, seed: u64) -> Result<(), Error> {
        self.init_from_seed(init, seed)
    }
    fn epoch(&mut self, train: &Dataset<'_, 2, 2>) -> Result<Metrics, Error> {
        self.train_epoch(&train.samples(), Batching::Full)
    }
    fn validate(&mut self, val: &Dataset<'_, 2, 2>) -> Result<Metrics, Error> {
        self.evaluate(&val.samples())
    }
    fn checkpoint(&self) -> Result<Vec<u8>, Error> {
        let mut checkpoint = vec![0u8; self.shape().checkpoint_bytes()];
        let len = self.encode_checkpoint(&mut checkpoint)?;
        checkpoint.truncate(len);
        Ok(checkpoint)
    }
    fn describe(&self) -> String {
        format!("# host run-time shape {}, micro-batch B={}", self.shape(), self.micro_batch())
    }
}

/// The `train` firmware's run with `trainer`, printed line by line; returns
/// the checkpoint.
fn train(s: &Settings, trainer: &mut dyn PaperTraining) -> Result<Vec<u8>, Error> {
    println!("saorsa-nn train");
    let (mut x, mut y) = (vec![[0.0f32; 2]; s.samples], vec![0u8; s.samples]);
    let (train, val) = make_data(&mut x, &mut y)?;
    println!("{}", data_line(&train, &val));
    println!(
        "train init={} seed={} epochs={} lr={} batching=full",
        s.init.name(),
        s.seed,
        s.epochs,
        trainer.learning_rate()
    );
    trainer.init(s.init, s.seed)?;
    for epoch in 1..=s.epochs {
        let metrics = trainer.epoch(&train)?;
        println!("{}", metrics_line(format_args!("epoch {epoch}"), &metrics));
    }
    println!("{}", metrics_line("val", &trainer.validate(&val)?));
    let checkpoint = trainer.checkpoint()?;
    println!("{}", checkpoint_line(&checkpoint));
    println!("{}", trainer.describe());
    Ok(checkpoint)
}

/// The `infer` firmware's lines for checkpoint `bytes` named `name`.
fn infer(name: &str, bytes: &[u8]) -> Result<Vec<String>, Error> {
    let mut lines = vec![format!("saorsa-nn infer {name}"), checkpoint_line(bytes)];
    let mut model = Box::new(PaperNet::new());
    model.decode_checkpoint(bytes)?;
    let (mut x, mut y) = (vec![[0.0f32; 2]; PAPER_SAMPLES], vec![0u8; PAPER_SAMPLES]);
    let (train, val) = make_data(&mut x, &mut y)?;
    lines.push(data_line(&train, &val));
    lines.push(metrics_line("val", &model.evaluate(&val)));
    Ok(lines)
}

/// Runs `train` with a `PaperTrainer<B>`, for the micro-batch sizes the
/// host supports.
fn train_typed(s: &Settings) -> Result<Vec<u8>, String> {
    fn with<const B: usize>(s: &Settings) -> Result<Vec<u8>, Error> {
        train(s, &mut *Box::new(PaperTrainer::<B>::new()))
    }
    let result = match s.micro_batch {
        1 => with::<1>(s),
        2 => with::<2>(s),
        4 => with::<4>(s),
        8 => with::<8>(s),
        16 => with::<16>(s),
        32 => with::<32>(s),
        64 => with::<64>(s),
        128 => with::<128>(s),
        256 => with::<256>(s),
        b => return Err(format!("FW_HOST_MICROBATCH={b}: the host supports powers of two up to 256")),
    };
    result.map_err(|e| e.to_string())
}

/// Runs `train` with a `NetworkTrainer` of the paper's shape, as the
/// `train-runtime` firmware does (an arena of `shape::arena_len`), for any
/// micro-batch size.
fn train_runtime(s: &Settings) -> Result<Vec<u8>, String> {
    let run = || {
        let shape = Shape::paper();
        let arena = vec![0.0f32; shape.arena_len(s.micro_batch)];
        train(s, &mut NetworkTrainer::new(shape, s.micro_batch, arena)?)
    };
    run().map_err(|e: Error| e.to_string())
}

fn file_name(path: &Path) -> &str {
    path.file_name().and_then(|n| n.to_str()).unwrap_or("checkpoint")
}

fn run(args: &[String]) -> Result<(), String> {
    match args {
        [mode, path] if mode == "infer" => {
            let path = Path::new(path);
            let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
            for line in infer(file_name(path), &bytes).map_err(|e| e.to_string())? {
                println!("{line}");
            }
            Ok(())
        }
        [] => train_typed(&Settings::from_env()?).map(drop),
        [mode] if mode == "train" => train_typed(&Settings::from_env()?).map(drop),
        [mode] if mode == "train-runtime" => train_runtime(&Settings::from_env()?).map(drop),
        [flag, path] if flag == "--write-checkpoint" => {
            let path = Path::new(path);
            let checkpoint = train_typed(&Settings::from_env()?)?;
            std::fs::write(path, &checkpoint).map_err(|e| format!("{}: {e}", path.display()))?;
            let expected = infer(file_name(path), &checkpoint).map_err(|e| e.to_string())?;
            let expected_path = path.with_extension("expected");
            std::fs::write(&expected_path, expected.join("\n") + "\n")
                .map_err(|e| format!("{}: {e}", expected_path.display()))?;
            eprintln!("wrote {} and {}", path.display(), expected_path.display());
            Ok(())
        }
        _ => Err(
            "usage: firmware_reference [train | train-runtime | infer CHECKPOINT | --write-checkpoint PATH]"
                .to_owned(),
        ),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            println!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
