//! Resuming an interrupted training run, bit for bit.
//!
//! Trains the paper's network on two moons for 30 epochs, saving the
//! training state (weights, Adam's moments, step and epoch counts, Adam's
//! hyperparameters) to a file after every epoch. A simulated power cut
//! stops the first run at epoch 20; a second "boot" restores the last saved
//! state into a zeroed trainer and finishes the 30 epochs. The result is
//! compared with a run that was never interrupted: the same bits.
//!
//! ```text
//! cargo run -p saorsa-nn --example resume
//! ```
//!
//! On a microcontroller the file is a flash page and the trainer a
//! `static`; nothing here allocates but the data and the `Box`.

use saorsa_nn::checkpoint::state;
use saorsa_nn::{Batching, Dataset, Error, Init, PaperTrainer, data, rng_from_seed};
use std::path::Path;

const EPOCHS: u64 = 30;
const POWER_CUT_AFTER: u64 = 20;
type Trainer = PaperTrainer<8>;

/// Trains until `stop_after` epochs in all (saving after each), resuming
/// from `path` if it holds a state.
fn run(
    train: &Dataset<'_, 2, 2>,
    path: &Path,
    stop_after: u64,
) -> Result<Box<Trainer>, Box<dyn std::error::Error>> {
    let mut trainer = Box::new(Trainer::new());
    match std::fs::read(path) {
        Ok(bytes) => {
            // The shape is in the header: check it before restoring.
            println!("restoring {} ({}, {} bytes)", path.display(), state::read_shape(&bytes)?, bytes.len());
            trainer.decode_state(&bytes)?;
            println!("resumed after epoch {} (step {})", trainer.epochs(), trainer.steps());
        }
        Err(_) => trainer.init_from_seed(Init::GlorotNormal, 0)?,
    }
    let mut buf = vec![0u8; Trainer::STATE_BYTES];
    while trainer.epochs() < stop_after {
        let metrics = trainer.train_epoch(train, Batching::Full)?;
        trainer.encode_state(&mut buf)?;
        // Write the new state beside the old one, then swap: a cut during the
        // write leaves the previous state whole.
        let tmp = path.with_extension("tmp");
        std::fs::write(&tmp, &buf)?;
        std::fs::rename(&tmp, path)?;
        if trainer.epochs() % 10 == 0 {
            println!("epoch {:>2}: loss {:.6}", trainer.epochs(), metrics.loss);
        }
    }
    Ok(trainer)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut x = vec![[0.0f32; 2]; 400];
    let mut y = vec![0u8; 400];
    data::make_moons(&mut rng_from_seed(1), 0.18, &mut x, &mut y)?;
    let train = Dataset::new(&x, &y)?;

    let dir = std::env::temp_dir().join(format!("saorsa-nn-resume-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("trainer.state");

    println!("first boot: train, saving the state after every epoch");
    run(&train, &path, POWER_CUT_AFTER)?;
    println!("-- power cut after epoch {POWER_CUT_AFTER} --");
    println!("second boot:");
    let resumed = run(&train, &path, EPOCHS)?;

    let mut straight = Box::new(Trainer::new());
    straight.init_from_seed(Init::GlorotNormal, 0)?;
    for _ in 0..EPOCHS {
        straight.train_epoch(&train, Batching::Full)?;
    }
    let same = resumed.model() == straight.model() && resumed.moments() == straight.moments();
    println!(
        "resumed run vs uninterrupted run after {EPOCHS} epochs: {}",
        if same { "identical bits" } else { "DIFFERENT" }
    );
    // A damaged file is refused, and the trainer keeps what it had.
    let mut bytes = std::fs::read(&path)?;
    bytes[1000] ^= 1;
    let mut trainer = Box::new(Trainer::new());
    assert_eq!(trainer.decode_state(&bytes), Err(Error::ChecksumMismatch));
    println!("a state with one flipped bit: {}", Error::ChecksumMismatch);
    std::fs::remove_dir_all(&dir)?;
    if same { Ok(()) } else { Err("the resumed run differs".into()) }
}
