//! # saorsa-nn
//!
//! A `no_std`, allocation-free neural-network training core for
//! microcontrollers: fixed-size dense ReLU networks with a softmax output
//! and categorical cross-entropy, Box-Muller weight initializers and Adam,
//! over hand-written slice kernels whose every sum has a fixed, documented
//! order. The same seed and configuration give bit-identical results on any
//! micro-batch size and any CPU (x86-64, Cortex-M4F, Cortex-M0).
//!
//! It reproduces the framework of the paper *Why Weight Initialization Still
//! Matters* (a 2→64→64→64→2 network on two moons, Adam with lr 0.001):
//! weights shaped `(fan_in, fan_out)`, zero biases, Adam with `ε = 1e-7`
//! outside the square root, probabilities clipped to `[1e-7, 1 − 1e-7]` in
//! the loss, the fused softmax/cross-entropy gradient `(p − onehot)/N`, and
//! per-epoch metrics from the forward pass before the update.
//!
//! ```
//! use saorsa_nn::{Batching, Dataset, Init, PaperTrainer, data, rng_from_seed};
//!
//! // Data: the paper's two moons and its 75/25 split (data seed 1).
//! let mut x = [[0.0f32; 2]; 200];
//! let mut y = [0u8; 200];
//! data::make_moons(&mut rng_from_seed(1), 0.18, &mut x, &mut y)?;
//! let split = data::train_val_split(&mut rng_from_seed(1), 0.25, &mut x, &mut y)?;
//! let train = Dataset::new(split.train_x, split.train_y)?;
//!
//! // The paper's network, Glorot-normal weights from model seed 0, micro-batches of 8.
//! let mut trainer = Box::new(PaperTrainer::<8>::new());
//! trainer.init_from_seed(Init::GlorotNormal, 0)?;
//! let first = trainer.train_epoch(&train, Batching::Full)?;
//! for _ in 0..20 {
//!     trainer.train_epoch(&train, Batching::Full)?;
//! }
//! assert!(trainer.model().evaluate(&train).loss < first.loss);
//! let val = trainer.model().evaluate(&Dataset::new(split.val_x, split.val_y)?);
//! assert!(val.accuracy > 0.5);
//! # Ok::<(), saorsa_nn::Error>(())
//! ```
//!
//! # Modules
//!
//! One home per concept: [`kernels`] (every hot loop), [`init`], [`layers`],
//! [`loss`], [`optimizer`], [`model`], [`network`] (shapes chosen at run time,
//! [`shape`]), [`data`], [`checkpoint`], [`error`], and the paper's settings in
//! [`paper`].
//!
//! # Memory
//!
//! Nothing allocates. Every large object ([`Mlp`], [`Trainer`]) is made
//! zeroed by a `const fn new()` usable in a `static` and initialized in
//! place. [`Trainer::TRAINING_MEMORY_BYTES`] is the whole training footprint.

#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod checkpoint;
pub mod data;
mod engine;
pub mod error;
pub mod init;
pub mod kernels;
pub mod layer_stats;
pub mod layers;
pub mod loss;
pub mod model;
pub mod network;
pub mod optimizer;
pub mod paper;
pub mod shape;

pub use checkpoint::{crc32, crc32_update};
pub use data::{Dataset, Samples, Split};
pub use error::{Error, Hyperparameter};
pub use init::{DefaultRng, Init, Sampler, rng_from_seed};
pub use layer_stats::LayerStats;
pub use layers::Dense;
pub use loss::Metrics;
pub use model::{Batching, Mlp, PaperNet, PaperTrainer, Trainer};
pub use network::{AlignedArena, Network, NetworkTrainer};
pub use optimizer::Adam;
pub use shape::{Normalization, Shape};

/// The crate page's (`README.md`'s) examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeExamples;
