//! The property checks behind `saorsa-nn`'s fuzz targets.
//!
//! Each public function takes the fuzzer's bytes and panics when a property
//! is violated. The fuzz targets (`fuzz_targets/*.rs`) call them, and so does
//! `tests/regressions.rs`, which replays every stored input under
//! `regressions/<target>/` on stable: a crash input is replayed by exactly
//! the code that found it.

#![forbid(unsafe_code)]

mod checkpoint;
mod csv;
mod folder;
mod init;
mod kernels;
mod record;
mod rng;
mod state;
mod train;
mod values;

pub use checkpoint::{checkpoint_decode, checkpoint_decode_resealed, seal};
pub use csv::dataset_csv;
pub use folder::folder_files;
pub use init::init_rng;
pub use kernels::kernels_differential;
pub use record::run_record;
pub use rng::ReplayRng;
pub use state::{run_time_seed, state_decode, typed_seed};
pub use train::{train_step, train_step_events};

/// A property check: panics if the input shows a violated property.
pub type Check = fn(&[u8]);

/// Every fuzz target, by name, with its property check.
pub const TARGETS: [(&str, Check); 9] = [
    ("checkpoint_decode", checkpoint_decode),
    ("checkpoint_decode_resealed", checkpoint_decode_resealed),
    ("train_step", train_step),
    ("init_rng", init_rng),
    ("dataset_csv", dataset_csv),
    ("kernels_differential", kernels_differential),
    ("run_record", run_record),
    ("folder_files", folder_files),
    ("state_decode", state_decode),
];

/// `a` and `b` are the same `f32`: the same bits, or both NaN.
///
/// Rust does not specify which NaN an operation returns (the payload and
/// sign of a NaN result may depend on operand order, which the compiler may
/// commute), so NaN-ness is compared, and every other value bit for bit.
pub fn same_f32(a: f32, b: f32) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

/// [`same_f32`] over two slices; on a difference, the first index.
pub fn first_difference(a: &[f32], b: &[f32]) -> Option<usize> {
    assert_eq!(a.len(), b.len());
    a.iter().zip(b).position(|(&x, &y)| !same_f32(x, y))
}
