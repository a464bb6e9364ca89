//! Trains a network whose shape is chosen when the program runs — here from
//! the command line — on two moons, inside one `f32` arena.
//!
//! ```text
//! cargo run -p saorsa-nn --example moons_runtime               # 2-32-32-2, LayerNorm off
//! cargo run -p saorsa-nn --example moons_runtime -- 2-64-16-2 layernorm
//! ```

use saorsa_nn::{Batching, Init, NetworkTrainer, Normalization, Samples, Shape, data, rng_from_seed};
use std::num::NonZeroUsize;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let spec = args.first().map_or("2-32-32-2", String::as_str);
    let widths: Vec<usize> = spec.split('-').map(str::parse).collect::<Result<_, _>>()?;
    let norm =
        if args.iter().any(|a| a == "layernorm") { Normalization::LayerNorm } else { Normalization::None };
    // Checked here: 1–64 layers, widths 1–4096, 2–256 classes.
    let shape = Shape::new(&widths)?.with_normalization(norm);
    if shape.inputs() != 2 || shape.classes() != 2 {
        return Err("two moons: 2 inputs and 2 classes".into());
    }

    let (mut x, mut y) = (vec![[0.0f32; 2]; 600], vec![0u8; 600]);
    data::make_moons(&mut rng_from_seed(1), 0.18, &mut x, &mut y)?;
    let split = data::train_val_split(&mut rng_from_seed(1), 0.25, &mut x, &mut y)?;
    let train = Samples::new(split.train_x.as_flattened(), split.train_y, 2, 2)?;
    let val = Samples::new(split.val_x.as_flattened(), split.val_y, 2, 2)?;

    // Parameters, gradient, Adam's moments and the workspace for
    // micro-batches of 16, in one buffer: a `Vec` here, a `static` in firmware.
    let micro_batch = 16;
    let arena = vec![0.0f32; shape.arena_len(micro_batch)];
    println!("{shape} ({norm:?}): {} parameters, arena {} f32", shape.parameter_count(), arena.len());
    let mut trainer = NetworkTrainer::new(shape, micro_batch, arena)?;
    // Glorot on the first layer, He after ReLUs.
    let inits: Vec<Init> = (0..trainer.shape().layers())
        .map(|k| if k == 0 { Init::GlorotNormal } else { Init::HeNormal })
        .collect();
    trainer.init_layers_from_seed(&inits, 0)?;
    let batching = Batching::MiniBatch(NonZeroUsize::new(64).expect("64 > 0"));
    for epoch in 1..=60 {
        let m = trainer.train_epoch(&train, batching)?;
        if epoch % 20 == 0 {
            println!("epoch {epoch:>2}: loss {:.4}, accuracy {:.4}", m.loss, m.accuracy);
        }
    }
    let m = trainer.evaluate(&val)?;
    println!("validation: accuracy {:.4} ({}/{})", m.accuracy, m.correct, m.samples);
    Ok(())
}
