//! Trains the paper's 2→64→64→64→2 network on the device.
//!
//! Generates the two-moons data with the core's generator, initializes the
//! network in place, trains it full-batch with Adam for `config::EPOCHS`
//! epochs, printing each epoch's loss and accuracy, then prints the
//! validation metrics and the final checkpoint's length and CRC-32, and
//! exits with code 0 (non-zero on an error or a panic).
//!
//! Everything large is a static made by a `const fn new()`, so the linker
//! checks that it fits in RAM; nothing large is ever on the stack.

#![no_std]
#![no_main]

use cortex_m_rt::entry;
use cortex_m_semihosting::hprintln;
use saorsa_nn::{Batching, Error, PaperNet, PaperTrainer};
use saorsa_nn_firmware::{self as fw, config};

/// The trainer: model, gradient, Adam moments and a `B`-sample workspace.
type Trainer = PaperTrainer<{ config::MICRO_BATCH }>;

#[entry]
fn main() -> ! {
    // cortex-m-rt turns these `static mut`s into `&'static mut` references
    // that only this call of `main` can hold: safe, and built in place by
    // the `const fn`s, never on the stack. `Trainer::new()` is all zero
    // bits (Adam's settings are all zero bits for the defaults), so
    // the 136 KiB trainer lands in `.bss`: no flash, no copy at reset.
    static mut TRAINER: Trainer = Trainer::new();
    static mut X: [[f32; 2]; config::SAMPLES] = [[0.0; 2]; config::SAMPLES];
    static mut Y: [u8; config::SAMPLES] = [0; config::SAMPLES];
    static mut CHECKPOINT: [u8; PaperNet::CHECKPOINT_BYTES] = [0; PaperNet::CHECKPOINT_BYTES];

    fw::finish(run(TRAINER, X, Y, CHECKPOINT))
}

fn run(trainer: &mut Trainer, x: &mut [[f32; 2]], y: &mut [u8], checkpoint: &mut [u8]) -> Result<(), Error> {
    hprintln!("saorsa-nn train");
    let data = fw::make_data(x, y)?;
    fw::print_data(&data);
    fw::print_train_settings(trainer.adam().learning_rate);

    trainer.init_from_seed(config::INIT, config::SEED)?;
    for epoch in 1..=config::EPOCHS {
        let metrics = trainer.train_epoch(&data.train, Batching::Full)?;
        fw::print_metrics(format_args!("epoch {epoch}"), &metrics);
    }

    fw::print_metrics("val", &trainer.model().evaluate(&data.val));
    let len = trainer.model().encode_checkpoint(checkpoint)?;
    fw::print_checkpoint(&checkpoint[..len]);

    hprintln!("# micro-batch B={}: trainer {} bytes", config::MICRO_BATCH, Trainer::TRAINING_MEMORY_BYTES);
    fw::print_stack_and_check();
    Ok(())
}
