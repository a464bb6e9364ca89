//! Inference only: classifies the paper's validation set with an embedded,
//! harness- or host-trained checkpoint.
//!
//! The checkpoint (`FW_CHECKPOINT`, by default
//! `assets/paper-glorot-seed0.bin`) stays in flash as a `static` byte array;
//! it is decoded and validated (magic, version, shapes, length, CRC-32,
//! finite parameters) into a model in RAM. The validation set is the paper's
//! (1200 samples, the same generator and split as training), so the accuracy
//! printed equals the one the training run reported.

#![no_std]
#![no_main]

use cortex_m_rt::entry;
use cortex_m_semihosting::hprintln;
use saorsa_nn::{Error, PaperNet};
use saorsa_nn_firmware::{self as fw, PAPER_SAMPLES, config};

/// The checkpoint, in flash (`.rodata`).
static CHECKPOINT: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/checkpoint.bin"));

#[entry]
fn main() -> ! {
    // `&'static mut` references made by cortex-m-rt, in `.bss`.
    static mut MODEL: PaperNet = PaperNet::new();
    static mut X: [[f32; 2]; PAPER_SAMPLES] = [[0.0; 2]; PAPER_SAMPLES];
    static mut Y: [u8; PAPER_SAMPLES] = [0; PAPER_SAMPLES];

    fw::finish(run(MODEL, X, Y))
}

fn run(model: &mut PaperNet, x: &mut [[f32; 2]], y: &mut [u8]) -> Result<(), Error> {
    hprintln!("saorsa-nn infer {}", config::CHECKPOINT_NAME);
    fw::print_checkpoint(CHECKPOINT);
    model.decode_checkpoint(CHECKPOINT)?;

    let data = fw::make_data(x, y)?;
    fw::print_data(&data);
    fw::print_metrics("val", &model.evaluate(&data.val));

    hprintln!(
        "# checkpoint in flash at {:#010x}, model ({} bytes) in RAM at {:#010x}",
        CHECKPOINT.as_ptr() as usize,
        core::mem::size_of::<PaperNet>(),
        core::ptr::from_ref(model) as usize
    );
    fw::print_stack_and_check();
    Ok(())
}
