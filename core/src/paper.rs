//! The paper's study, in one place: *Why Weight Initialization Still
//! Matters* trains a 2→64→64→64→2 ReLU network on two moons with Adam and
//! compares small-normal, Glorot-normal and He-normal initialization across
//! model seeds. The harness's default study, the firmware, the benchmarks
//! and the fuzz targets all take the paper's settings from here.
//!
//! ```
//! use saorsa_nn::{Dataset, PaperTrainer, data, paper, rng_from_seed};
//!
//! let (mut x, mut y) = ([[0.0f32; 2]; paper::SAMPLES], [0u8; paper::SAMPLES]);
//! data::make_moons(&mut rng_from_seed(paper::DATA_SEED), paper::NOISE, &mut x, &mut y)?;
//! let split = data::train_val_split(&mut rng_from_seed(paper::SPLIT_SEED), paper::VAL_RATIO, &mut x, &mut y)?;
//! let train = Dataset::<2, 2>::new(split.train_x, split.train_y)?;
//! let mut trainer = Box::new(PaperTrainer::<32>::new());
//! trainer.init_from_seed(paper::INITS[1], paper::SEEDS.start)?;
//! trainer.set_adam(paper::ADAM)?;
//! trainer.train_epoch(&train, saorsa_nn::Batching::Full)?; // one of paper::EPOCHS
//! # Ok::<(), saorsa_nn::Error>(())
//! ```

use crate::init::Init;
use crate::optimizer::Adam;

/// Two-moons samples before the split (listing B's `n_samples`).
pub const SAMPLES: usize = 1200;
/// Standard deviation of the two-moons noise (listing B's `noise`).
pub const NOISE: f64 = 0.18;
/// Seed of the data generator, `rng_from_seed(DATA_SEED)`.
pub const DATA_SEED: u64 = 1;
/// Seed of the train/validation shuffle (listing C), `rng_from_seed(SPLIT_SEED)`.
pub const SPLIT_SEED: u64 = 1;
/// Fraction of the samples held out for validation (listing C).
pub const VAL_RATIO: f64 = 0.25;
/// The network's widths: inputs, three hidden layers of 64, classes.
pub const WIDTHS: [usize; 5] = crate::shape::PAPER_WIDTHS;
/// Full-batch epochs per run.
pub const EPOCHS: usize = 250;
/// The optimizer: Adam with lr 0.001, β1 0.9, β2 0.999, ε 1e-7 outside the
/// square root (the framework's defaults).
pub const ADAM: Adam = Adam::new();
/// The initializers compared: small normal (σ = 0.01), Glorot normal, He normal.
pub const INITS: [Init; 3] = [Init::SMALL, Init::GlorotNormal, Init::HeNormal];
/// The model seeds of the harness's default study (0 to 9).
pub const SEEDS: core::ops::Range<u64> = 0..10;
