//! Shared fixtures of the benchmarks and the timing examples: the paper's
//! data (two moons, 1 200 samples, 900 for training and 300 for validation),
//! a trained-looking network whose hidden activations are ReLU-sparse, and
//! the dense FLOP counts every throughput figure uses; the run-time trainer
//! of any shape, and `matrixmultiply::sgemm` doing one epoch's products.

use saorsa_nn::{
    AlignedArena, Dataset, Init, NetworkTrainer, PaperNet, PaperTrainer, Shape, data, paper, rng_from_seed,
    shape,
};

/// Samples of the paper's data set, before the 75/25 split.
pub const SAMPLES: usize = paper::SAMPLES;
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
        data::make_moons(&mut rng_from_seed(paper::DATA_SEED), paper::NOISE, &mut x, &mut y).expect("moons");
        let split =
            data::train_val_split(&mut rng_from_seed(paper::SPLIT_SEED), paper::VAL_RATIO, &mut x, &mut y)
                .expect("split");
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

/// `C ← A·B + β·C` for a row-major `C` (`m × n`), with `A` (`m × k`) and `B`
/// (`k × n`) given by their row and column strides, so a transposed operand
/// is a stride swap: a thin safe wrapper of `matrixmultiply::sgemm` (FMA,
/// AVX2 detected at run time).
///
/// # Panics
///
/// If a stride reaches outside `a` or `b`, or `c` is not `m × n`.
#[allow(clippy::too_many_arguments)]
pub fn sgemm(
    m: usize,
    k: usize,
    n: usize,
    a: &[f32],
    (rsa, csa): (usize, usize),
    b: &[f32],
    (rsb, csb): (usize, usize),
    beta: f32,
    c: &mut [f32],
) {
    assert!(m > 0 && k > 0 && n > 0);
    assert!(a.len() > (m - 1) * rsa + (k - 1) * csa && b.len() > (k - 1) * rsb + (n - 1) * csb);
    assert_eq!(c.len(), m * n);
    // SAFETY: the assertions above keep every element that sgemm reads of
    // A and B, and writes of the row-major C, inside the slices.
    unsafe {
        matrixmultiply::sgemm(
            m,
            k,
            n,
            1.0,
            a.as_ptr(),
            rsa as isize,
            csa as isize,
            b.as_ptr(),
            rsb as isize,
            csb as isize,
            beta,
            c.as_mut_ptr(),
            n as isize,
            1,
        );
    }
}

/// Parses a shape in the harness's `--arch` syntax, `2-256-256-256-2`.
///
/// # Panics
///
/// If it is not a valid [`Shape`].
pub fn parse_arch(arch: &str) -> Shape {
    let widths: Vec<usize> =
        arch.split('-').map(|w| w.parse().expect("--arch: widths like 2-64-64-2")).collect();
    Shape::new(&widths).expect("--arch: not a valid shape")
}

/// Dense FLOPs of the matrix products of one full-batch epoch of a network
/// of `widths = [n₀, …, n_L]` on `n` samples, each `2·rows·inner·cols`:
/// the forward products `x_k·W_k` of every layer, the weight gradients
/// `x_kᵀ·dy_k` of every layer, and the input gradients `dy_k·W_kᵀ` of every
/// layer but the first (`3L − 1` products):
/// `2n·(2·Σ_{k<L} n_k·n_{k+1} + Σ_{1≤k<L} n_k·n_{k+1})`.
pub fn product_flops_of(widths: &[usize], n: usize) -> u64 {
    let layers = widths.windows(2).map(|w| product_flops(n, w[0], w[1]));
    let all: u64 = layers.clone().sum();
    let input_grads: u64 = layers.skip(1).sum();
    2 * all + input_grads
}

/// [`product_flops_of`] plus Adam over the parameters, counted as 10 FLOPs
/// each: the dense count of one full-batch training epoch. Equals
/// [`epoch_flops`] for the paper's shape.
pub fn epoch_flops_of(widths: &[usize], n: usize) -> u64 {
    product_flops_of(widths, n) + 10 * shape::parameter_count(widths) as u64
}

/// A run-time trainer ([`NetworkTrainer`]) of `shape` as the harness runs
/// it: micro-batches of `micro_batch` samples, an arena with room for the
/// transposed weights, He-normal on every layer from model seed `seed`.
pub fn network_trainer(
    shape: &Shape,
    micro_batch: usize,
    seed: u64,
) -> NetworkTrainer<AlignedArena<Vec<f32>>> {
    let len = shape.arena_len_transposed(micro_batch);
    let arena = AlignedArena::new(vec![0.0f32; len + AlignedArena::SLACK], len).expect("arena");
    let mut t = NetworkTrainer::new(shape.clone(), micro_batch, arena).expect("trainer");
    t.init_from_seed(Init::HeNormal, seed).expect("init");
    t
}

/// The products of one full-batch epoch done by `sgemm` alone, with no
/// activation, loss or optimizer: the floor the run-time trainer is
/// measured against. The weights are a network of the same shape.
pub struct SgemmEpoch {
    widths: Vec<usize>,
    /// Per layer its `n_k × n_{k+1}` weights.
    weights: Vec<Vec<f32>>,
    /// The forward outputs of every layer, `n × n_{k+1}` each.
    acts: Vec<Vec<f32>>,
    /// Two back-propagated gradients, `n × max(n_k)` each.
    grads: [Vec<f32>; 2],
    /// The weight gradient of every layer.
    dw: Vec<Vec<f32>>,
}

impl SgemmEpoch {
    /// Buffers for `n` samples through `shape`, the weights from a He-normal
    /// network of that shape (model seed 0).
    pub fn new(shape: &Shape, n: usize) -> Self {
        let widths = shape.widths().to_vec();
        let t = network_trainer(shape, 1, 0);
        let net = t.network();
        let weights = net.layers().map(|l| l.weights.to_vec()).collect();
        let acts = widths[1..].iter().map(|&w| vec![0.0f32; n * w]).collect();
        let h = widths.iter().copied().max().unwrap_or(0);
        let dw = widths.windows(2).map(|w| vec![0.0f32; w[0] * w[1]]).collect();
        SgemmEpoch { widths, weights, acts, grads: [vec![0.0; n * h], vec![0.0; n * h]], dw }
    }

    /// Runs the [`product_flops_of`] products on the samples `x` (`n × n₀`):
    /// forward layer by layer, then from the top layer down its weight
    /// gradient and (but for the first layer) its input gradient, the
    /// logits standing in for the loss gradient.
    pub fn run(&mut self, x: &[f32]) {
        let w = &self.widths;
        let layers = w.len() - 1;
        let n = x.len() / w[0];
        for k in 0..layers {
            let (fi, fo) = (w[k], w[k + 1]);
            let (before, after) = self.acts.split_at_mut(k);
            let input: &[f32] = if k == 0 { x } else { &before[k - 1] };
            sgemm(n, fi, fo, input, (fi, 1), &self.weights[k], (fo, 1), 0.0, &mut after[0]);
        }
        let [ga, gb] = &mut self.grads;
        let (mut d, mut d_next) = (ga, gb);
        let top = w[layers];
        d[..n * top].copy_from_slice(&self.acts[layers - 1]);
        for k in (0..layers).rev() {
            let (fi, fo) = (w[k], w[k + 1]);
            let input: &[f32] = if k == 0 { x } else { &self.acts[k - 1] };
            sgemm(fi, n, fo, input, (1, fi), &d[..n * fo], (fo, 1), 0.0, &mut self.dw[k]);
            if k > 0 {
                sgemm(
                    n,
                    fo,
                    fi,
                    &d[..n * fo],
                    (fo, 1),
                    &self.weights[k],
                    (1, fo),
                    0.0,
                    &mut d_next[..n * fi],
                );
                core::mem::swap(&mut d, &mut d_next);
            }
        }
        std::hint::black_box(&self.dw);
    }
}
