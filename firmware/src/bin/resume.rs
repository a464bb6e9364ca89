//! Trains the paper's network with a power cut in the middle: the same run
//! as `train`, stopped after `config::RESUME_AT` epochs, its training state
//! saved into a buffer, the trainer zeroed (as after a reset) and restored
//! from that buffer, and the remaining epochs trained.
//!
//! It prints exactly `train`'s lines: `compare.sh resume` diffs them with
//! the host's uninterrupted run, so an identical output proves that the
//! resumed run ends with the same bits as one that never stopped. Lines
//! that start with `#` say where it stopped and are not compared.
//!
//! The state buffer is in the `.state` section, a region of its own in
//! `memory.x` that stands for the non-volatile memory a device would keep
//! the state in (a flash page, backup SRAM, FRAM): the 103 800-byte state
//! and the 139 608-byte trainer do not both fit in the 192 KiB of RAM.

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
    // As in `train`: `&'static mut` references made by cortex-m-rt, all in
    // `.bss`; the state is in `.state` (below).
    static mut TRAINER: Trainer = Trainer::new();
    static mut X: [[f32; 2]; config::SAMPLES] = [[0.0; 2]; config::SAMPLES];
    static mut Y: [u8; config::SAMPLES] = [0; config::SAMPLES];
    static mut CHECKPOINT: [u8; PaperNet::CHECKPOINT_BYTES] = [0; PaperNet::CHECKPOINT_BYTES];

    // SAFETY: `main` runs once and never returns, and no other code names
    // `STATE`: this is the only reference to its bytes there ever is, and
    // the pointer covers exactly the array.
    let state =
        unsafe { core::slice::from_raw_parts_mut((&raw mut STATE).cast::<u8>(), Trainer::STATE_BYTES) };
    fw::finish(run(TRAINER, X, Y, CHECKPOINT, state))
}

/// The training state's buffer, in the `.state` region (see `memory.x`).
/// cortex-m-rt's `#[entry]` statics cannot carry a `link_section`, so it is
/// a plain `static mut`, referenced once in `main`.
#[unsafe(link_section = ".state")]
static mut STATE: [u8; Trainer::STATE_BYTES] = [0; Trainer::STATE_BYTES];

fn run(
    trainer: &mut Trainer,
    x: &mut [[f32; 2]],
    y: &mut [u8],
    checkpoint: &mut [u8],
    state: &mut [u8],
) -> Result<(), Error> {
    hprintln!("saorsa-nn train");
    let data = fw::make_data(x, y)?;
    fw::print_data(&data);
    fw::print_train_settings(trainer.adam().learning_rate);

    trainer.init_from_seed(config::INIT, config::SEED)?;
    while trainer.epochs() < u64::from(config::RESUME_AT) {
        let metrics = trainer.train_epoch(&data.train, Batching::Full)?;
        fw::print_metrics(format_args!("epoch {}", trainer.epochs()), &metrics);
    }

    // The power cut: save the state, wipe the trainer, restore it.
    let len = trainer.encode_state(state)?;
    *trainer = Trainer::new();
    debug_assert_eq!(trainer.steps(), 0);
    trainer.decode_state(&state[..len])?;
    hprintln!(
        "# saved {len} bytes after epoch {}, zeroed the trainer, restored it at step {}",
        config::RESUME_AT,
        trainer.steps()
    );

    while trainer.epochs() < u64::from(config::EPOCHS) {
        let metrics = trainer.train_epoch(&data.train, Batching::Full)?;
        fw::print_metrics(format_args!("epoch {}", trainer.epochs()), &metrics);
    }

    fw::print_metrics("val", &trainer.model().evaluate(&data.val));
    let len = trainer.model().encode_checkpoint(checkpoint)?;
    fw::print_checkpoint(&checkpoint[..len]);

    hprintln!("# micro-batch B={}: trainer {} bytes", config::MICRO_BATCH, Trainer::TRAINING_MEMORY_BYTES);
    fw::print_stack_and_check();
    Ok(())
}
