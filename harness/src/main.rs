//! Runs the paper's study (for now: one model seed per initializer).

use saorsa_nn::{Batching, Dataset, Init, PaperTrainer, data, rng_from_seed};
use std::time::Instant;

fn main() {
    let mut x = vec![[0.0f32; 2]; 1200];
    let mut y = vec![0u8; 1200];
    data::make_moons(&mut rng_from_seed(1), 0.18, &mut x, &mut y).expect("moons");
    let split = data::train_val_split(&mut rng_from_seed(1), 0.25, &mut x, &mut y).expect("split");
    let train = Dataset::new(split.train_x, split.train_y).expect("train");
    let val = Dataset::new(split.val_x, split.val_y).expect("val");
    for init in [Init::SMALL, Init::GlorotNormal, Init::HeNormal] {
        let mut trainer: Box<PaperTrainer<32>> = Box::default();
        trainer.init_from_seed(init, 0).expect("init");
        let start = Instant::now();
        for epoch in 1..=250 {
            let m = trainer.train_epoch(&train, Batching::Full).expect("train");
            if epoch % 25 == 0 || epoch == 1 {
                println!("{:>6} epoch {epoch:>3}: loss {:.4} acc {:.4}", init.name(), m.loss, m.accuracy);
            }
        }
        let v = trainer.model().evaluate(&val);
        println!("{:>6} final val acc {:.4} ({:?})", init.name(), v.accuracy, start.elapsed());
    }
}
