//! Shared fixtures of the benchmarks and the timing examples: the paper's
//! data (two moons, 1 200 samples, 900 for training and 300 for validation),
//! a trained-looking network whose hidden activations are ReLU-sparse, and
//! the dense FLOP counts every throughput figure uses.

use saorsa_nn::{Dataset, Init, PaperNet, PaperTrainer, data, rng_from_seed};

/// Samples of the paper's data set, before the 75/25 split.
pub const SAMPLES: usize = 1200;
/// Training samples after the split.
pub const TRAIN: usize = 900;
/// Validation samples after the split.
pub const VAL: usize = 300;

/// The paper's data: two moons (noise 0.18, data seed 1), split 75/25.
pub struct PaperData {
    /// Training samples.
    pub train_x: Vec<[f32; 2]>,
    /// Training labels.
    pub train_y: Vec<u8>,
    /// Validation samples.
    pub val_x: Vec<[f32; 2]>,
    /// Validation labels.
    pub val_y: Vec<u8>,
}

impl PaperData {
    /// Generates the data set.
    pub fn new() -> Self {
        let mut x = vec![[0.0f32; 2]; SAMPLES];
        let mut y = vec![0u8; SAMPLES];
        data::make_moons(&mut rng_from_seed(1), 0.18, &mut x, &mut y).expect("moons");
        let split = data::train_val_split(&mut rng_from_seed(1), 0.25, &mut x, &mut y).expect("split");
        PaperData {
            train_x: split.train_x.to_vec(),
            train_y: split.train_y.to_vec(),
            val_x: split.val_x.to_vec(),
            val_y: split.val_y.to_vec(),
        }
    }

    /// The training set.
    pub fn train(&self) -> Dataset<'_, 2, 2> {
        Dataset::new(&self.train_x, &self.train_y).expect("train")
    }

    /// The validation set.
    pub fn val(&self) -> Dataset<'_, 2, 2> {
        Dataset::new(&self.val_x, &self.val_y).expect("val")
    }
}

impl Default for PaperData {
    fn default() -> Self {
        Self::new()
    }
}

/// A boxed trainer for the paper's network, initialized from `seed`.
pub fn trainer<const B: usize>(init: Init, seed: u64) -> Box<PaperTrainer<B>> {
    let mut t: Box<PaperTrainer<B>> = Box::default();
    t.init_from_seed(init, seed).expect("init");
    t
}

/// A He-normal paper network (seed 0), as the benchmarks' weights.
pub fn paper_net() -> Box<PaperNet> {
    let mut net = Box::new(PaperNet::new());
    net.init_from_seed(Init::HeNormal, 0).expect("init");
    net
}

/// Dense FLOPs of one `n × fan_in` by `fan_in × fan_out` product (a
/// multiply and an add per term): `2·n·fan_in·fan_out`.
pub const fn product_flops(n: usize, fan_in: usize, fan_out: usize) -> u64 {
    2 * (n * fan_in * fan_out) as u64
}

/// Dense FLOPs of one full-batch epoch of the paper's network on `n`
/// samples: forward `2n(2·64 + 2·64·64 + 64·2)`, weight gradients the same,
/// input gradients of every layer but the first `2n(2·64·64 + 64·2)`, and
/// Adam over the 8 642 parameters, counted as 10 FLOPs each (not counting
/// the square root and divisions twice). For n = 900 this is 45.5 MFLOP.
pub const fn epoch_flops(n: usize) -> u64 {
    let forward = product_flops(n, 2, 64) + 2 * product_flops(n, 64, 64) + product_flops(n, 64, 2);
    let input_grads = 2 * product_flops(n, 64, 64) + product_flops(n, 64, 2);
    let adam = 10 * 8642;
    2 * forward + input_grads + adam
}
