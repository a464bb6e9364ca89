//! Trains the paper's network on two moons the way firmware does: every
//! large object a `static` made by a `const fn`, nothing on the heap.
//!
//! ```text
//! cargo run -p saorsa-nn --example moons_static
//! ```
//!
//! On a host a `static` needs a lock; on a microcontroller, cortex-m-rt's
//! `#[entry]` turns a `static mut` into a `&'static mut` (see `firmware/`).

use saorsa_nn::{Batching, Dataset, Error, Init, PaperTrainer, data, paper, rng_from_seed};
use std::sync::Mutex;

/// Micro-batches of 8 samples: memory only, the bits are the same for any size.
type Trainer = PaperTrainer<8>;

/// Model, gradient, Adam's moments and workspace: 140 KB of zeros, in `.bss`.
static TRAINER: Mutex<Trainer> = Mutex::new(Trainer::new());
/// The two-moons samples and labels (the paper's 1 200).
static DATA: Mutex<([[f32; 2]; paper::SAMPLES], [u8; paper::SAMPLES])> =
    Mutex::new(([[0.0; 2]; paper::SAMPLES], [0; paper::SAMPLES]));

fn main() -> Result<(), Error> {
    let mut data = DATA.lock().expect("not poisoned");
    let (x, y) = &mut *data;
    data::make_moons(&mut rng_from_seed(paper::DATA_SEED), paper::NOISE, x, y)?;
    let split = data::train_val_split(&mut rng_from_seed(paper::SPLIT_SEED), paper::VAL_RATIO, x, y)?;
    let train = Dataset::new(split.train_x, split.train_y)?;
    let val = Dataset::new(split.val_x, split.val_y)?;

    let mut trainer = TRAINER.lock().expect("not poisoned");
    trainer.init_from_seed(Init::GlorotNormal, 0)?;
    for epoch in 1..=paper::EPOCHS {
        let m = trainer.train_epoch(&train, Batching::Full)?;
        if epoch % 50 == 0 {
            println!("epoch {epoch:>3}: loss {:.4}, accuracy {:.4}", m.loss, m.accuracy);
        }
    }
    let m = trainer.model().evaluate(&val);
    println!("validation: loss {:.4}, accuracy {:.4} ({}/{})", m.loss, m.accuracy, m.correct, m.samples);
    println!("training memory: {} bytes", Trainer::TRAINING_MEMORY_BYTES);
    Ok(())
}
