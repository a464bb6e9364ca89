//! Saves a trained model to a checkpoint file, loads it back — as the
//! compile-time type and as a network of the shape the file declares — and
//! predicts with it.
//!
//! ```text
//! cargo run -p saorsa-nn --example checkpoint
//! ```

use saorsa_nn::{Batching, Dataset, Init, Network, PaperNet, PaperTrainer, checkpoint, data, rng_from_seed};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (mut x, mut y) = ([[0.0f32; 2]; 400], [0u8; 400]);
    data::make_moons(&mut rng_from_seed(1), 0.18, &mut x, &mut y)?;
    let train = Dataset::new(&x, &y)?;
    let mut trainer = Box::new(PaperTrainer::<32>::new());
    trainer.init_from_seed(Init::GlorotNormal, 0)?;
    for _ in 0..100 {
        trainer.train_epoch(&train, Batching::Full)?;
    }

    // Save: 34 612 bytes, CRC-32 checked, readable with NumPy.
    let mut bytes = [0u8; PaperNet::CHECKPOINT_BYTES];
    trainer.model().encode_checkpoint(&mut bytes)?;
    let path = std::env::temp_dir().join(format!("saorsa-nn-example-{}.bin", std::process::id()));
    std::fs::write(&path, bytes)?;
    println!("saved {} ({} bytes)", path.display(), bytes.len());

    // Load into the compile-time type.
    let bytes = std::fs::read(&path)?;
    let mut model = Box::new(PaperNet::new());
    model.decode_checkpoint(&bytes)?;
    let point = [0.5f32, -0.3];
    let p = model.predict(&point);
    println!("typed model: p({point:?}) = [{:.4}, {:.4}], class {}", p[0], p[1], model.classify(&point));

    // Load as a network of whatever shape the file declares.
    let shape = checkpoint::read_shape(&bytes)?;
    let net = Network::from_checkpoint(&bytes, vec![0.0f32; shape.parameter_count()])?;
    let (mut scratch, mut z) = (vec![0.0f32; shape.evaluation_scratch_len(1)], [0.0f32; 2]);
    net.logits(&point, &mut scratch, &mut z)?;
    println!("run-time network {shape}: logits [{:.4}, {:.4}]", z[0], z[1]);
    assert_eq!(z, model.logits(&point), "the same bits both ways");
    println!("accuracy on the training data: {:.4}", model.evaluate(&train).accuracy);

    // A damaged file is refused.
    let mut damaged = bytes.clone();
    damaged[100] ^= 0x40;
    println!("a damaged file: {}", model.decode_checkpoint(&damaged).unwrap_err());
    std::fs::remove_file(&path)?;
    Ok(())
}
