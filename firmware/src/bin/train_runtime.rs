//! Trains the paper's network as a network shaped at run time.
//!
//! The same run as `train` (data, initializer, seed, epochs, the same output
//! lines), but the network is a run-time [`Shape`], `2-64-64-64-2`, trained
//! by a [`NetworkTrainer`] over a `static` `f32` arena instead of the
//! const-generic `PaperTrainer`. The arena's length is the `const fn`
//! [`shape::arena_len`] of the widths and the micro-batch size, so the
//! linker still checks that everything fits in RAM.
//!
//! `compare.sh train-runtime` diffs its output with the host reference's
//! typed (`PaperTrainer`) and run-time (`NetworkTrainer`) runs: the same bits
//! from both.

#![no_std]
#![no_main]

use cortex_m_rt::entry;
use cortex_m_semihosting::hprintln;
use saorsa_nn::shape::{self, PAPER_WIDTHS};
use saorsa_nn::{Batching, Error, NetworkTrainer, Shape};
use saorsa_nn_firmware::{self as fw, config};

/// The layer widths: the paper's `2 → 64 → 64 → 64 → 2`.
const WIDTHS: [usize; 5] = PAPER_WIDTHS;
/// `f32`s in the arena: parameters, gradient, both Adam moments and a
/// `B`-sample workspace (see `saorsa_nn::shape` for the layout).
const ARENA_LEN: usize = shape::arena_len(&WIDTHS, config::MICRO_BATCH);
/// Bytes of the final checkpoint.
const CHECKPOINT_BYTES: usize = shape::checkpoint_bytes(&WIDTHS);

#[entry]
fn main() -> ! {
    // As in `train`: cortex-m-rt turns these `static mut`s into `&'static
    // mut` references that only this call of `main` holds (no `unsafe`).
    // All zeros, so all in `.bss`.
    static mut ARENA: [f32; ARENA_LEN] = [0.0; ARENA_LEN];
    static mut X: [[f32; 2]; config::SAMPLES] = [[0.0; 2]; config::SAMPLES];
    static mut Y: [u8; config::SAMPLES] = [0; config::SAMPLES];
    static mut CHECKPOINT: [u8; CHECKPOINT_BYTES] = [0; CHECKPOINT_BYTES];

    fw::finish(run(ARENA, X, Y, CHECKPOINT))
}

fn run(
    arena: &'static mut [f32],
    x: &mut [[f32; 2]],
    y: &mut [u8],
    checkpoint: &mut [u8],
) -> Result<(), Error> {
    hprintln!("saorsa-nn train");
    let data = fw::make_data(x, y)?;
    fw::print_data(&data);
    let (train, val) = (data.train.samples(), data.val.samples());

    // The shape is checked at run time; the trainer borrows the arena for
    // good and zeroes it.
    let shape = Shape::new(&WIDTHS)?;
    let mut trainer = NetworkTrainer::new(shape, config::MICRO_BATCH, arena)?;
    fw::print_train_settings(trainer.adam().learning_rate);

    trainer.init_from_seed(config::INIT, config::SEED)?;
    for epoch in 1..=config::EPOCHS {
        let metrics = trainer.train_epoch(&train, Batching::Full)?;
        fw::print_metrics(format_args!("epoch {epoch}"), &metrics);
    }

    fw::print_metrics("val", &trainer.evaluate(&val)?);
    let len = trainer.encode_checkpoint(checkpoint)?;
    fw::print_checkpoint(&checkpoint[..len]);

    hprintln!(
        "# run-time shape {}, micro-batch B={}: arena {} f32 = {} bytes",
        trainer.shape(),
        trainer.micro_batch(),
        ARENA_LEN,
        ARENA_LEN * core::mem::size_of::<f32>()
    );
    fw::print_stack_and_check();
    Ok(())
}
