//! The register-tiled and zero-skipping kernels against the naive loops of
//! `kernels::reference`, bit for bit, on random shapes and values (ReLU-sparse
//! activations, signed zeros, NaN and infinities), and the zero-skipping
//! kernels against the dense ones under their documented conditions.

use saorsa_nn::kernels::{self, reference};

/// A small deterministic generator (64-bit LCG, high bits out).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u32 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 32) as u32
    }
    fn below(&mut self, n: usize) -> usize {
        self.next() as usize % n
    }
    fn uniform(&mut self) -> f32 {
        (self.next() >> 8) as f32 / (1u32 << 24) as f32 * 2.0 - 1.0
    }
    /// A finite value, sometimes ±0, sometimes tiny or huge.
    fn finite(&mut self) -> f32 {
        match self.below(16) {
            0 => 0.0,
            1 => -0.0,
            2 => self.uniform() * 1e-38,
            3 => self.uniform() * 1e30,
            _ => self.uniform(),
        }
    }
    /// Any value, NaN and infinities included.
    fn any(&mut self) -> f32 {
        match self.below(24) {
            0 => f32::NAN,
            1 => f32::INFINITY,
            2 => f32::NEG_INFINITY,
            _ => self.finite(),
        }
    }
    /// A ReLU output: about half `+0`, the rest positive.
    fn relu(&mut self) -> f32 {
        if self.below(2) == 0 { 0.0 } else { self.uniform().abs() + 1e-3 }
    }
    fn fill(&mut self, n: usize, f: fn(&mut Lcg) -> f32) -> Vec<f32> {
        (0..n).map(|_| f(self)).collect()
    }
}

/// Equal bits, or both NaN (a NaN's payload is not specified).
#[track_caller]
fn assert_same(fast: &[f32], naive: &[f32], what: &str) {
    assert_eq!(fast.len(), naive.len());
    for (k, (a, b)) in fast.iter().zip(naive).enumerate() {
        assert!(a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()), "{what}[{k}]: {a:e} vs {b:e}");
    }
}

const DIMS: [usize; 16] = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 64, 65, 130];
const SAMPLES: [usize; 10] = [1, 2, 3, 4, 5, 8, 9, 32, 33, 61];

/// Random shapes: (n, fan_in, fan_out).
fn shapes(rng: &mut Lcg, count: usize) -> Vec<(usize, usize, usize)> {
    let mut v = vec![(32, 64, 64), (900, 64, 64), (32, 2, 64), (32, 64, 2), (1, 64, 64), (300, 300, 3)];
    for _ in 0..count {
        v.push((SAMPLES[rng.below(10)], DIMS[rng.below(16)], DIMS[rng.below(16)]));
    }
    v
}

#[test]
fn dense_kernels_equal_the_reference_on_any_values() {
    let mut rng = Lcg(1);
    for (n, fi, fo) in shapes(&mut rng, 150) {
        for draw in [Lcg::any as fn(&mut Lcg) -> f32, Lcg::finite, Lcg::relu] {
            let x = rng.fill(n * fi, draw);
            let w = rng.fill(fi * fo, Lcg::any);
            let b = rng.fill(fo, Lcg::any);
            let dy = rng.fill(n * fo, draw);
            let (mut y, mut y_ref) = (vec![7.0; n * fo], vec![0.0; n * fo]);
            kernels::affine_forward(&x, &w, &b, &mut y);
            reference::affine_forward(&x, &w, &b, &mut y_ref);
            assert_same(&y, &y_ref, "affine_forward");

            let (mut dx, mut dx_ref) = (vec![7.0; n * fi], vec![0.0; n * fi]);
            kernels::backward_input(&dy, &w, &mut dx, fo);
            reference::backward_input(&dy, &w, &mut dx_ref, fo);
            assert_same(&dx, &dx_ref, "backward_input");

            let dw0 = rng.fill(fi * fo, Lcg::any);
            let db0 = rng.fill(fo, Lcg::any);
            let (mut dw, mut db) = (dw0.clone(), db0.clone());
            let (mut dw_ref, mut db_ref) = (dw0, db0);
            kernels::accumulate_param_grad(&x, &dy, &mut dw, &mut db);
            reference::accumulate_param_grad(&x, &dy, &mut dw_ref, &mut db_ref);
            assert_same(&dw, &dw_ref, "accumulate_param_grad dw");
            assert_same(&db, &db_ref, "accumulate_param_grad db");

            let (mut t, mut t_ref) = (vec![0.0; fi * fo], vec![0.0; fi * fo]);
            kernels::transpose(&w, fo, &mut t);
            reference::transpose(&w, fo, &mut t_ref);
            assert_same(&t, &t_ref, "transpose");
        }
    }
}

#[test]
fn zero_skipping_kernels_equal_their_reference_on_any_values() {
    let mut rng = Lcg(2);
    for (n, fi, fo) in shapes(&mut rng, 150) {
        for draw in [Lcg::any as fn(&mut Lcg) -> f32, Lcg::relu] {
            let x = rng.fill(n * fi, draw);
            let w = rng.fill(fi * fo, Lcg::any);
            let b = rng.fill(fo, Lcg::any);
            let dy = rng.fill(n * fo, draw);
            let mask = rng.fill(n * fi, Lcg::any);
            let (mut y, mut y_ref) = (vec![7.0; n * fo], vec![0.0; n * fo]);
            kernels::sparse_affine_forward(&x, &w, &b, &mut y);
            reference::sparse_affine_forward(&x, &w, &b, &mut y_ref);
            assert_same(&y, &y_ref, "sparse_affine_forward");

            let dw0 = rng.fill(fi * fo, Lcg::any);
            let db0 = rng.fill(fo, Lcg::any);
            let (mut dw, mut db) = (dw0.clone(), db0.clone());
            let (mut dw_ref, mut db_ref) = (dw0, db0);
            kernels::sparse_accumulate_param_grad(&x, &dy, &mut dw, &mut db);
            reference::sparse_accumulate_param_grad(&x, &dy, &mut dw_ref, &mut db_ref);
            assert_same(&dw, &dw_ref, "sparse_accumulate_param_grad dw");
            assert_same(&db, &db_ref, "sparse_accumulate_param_grad db");

            let mut wt = vec![0.0; fi * fo];
            kernels::transpose(&w, fo, &mut wt);
            let (mut dx, mut dx_ref) = (vec![7.0; n * fi], vec![0.0; n * fi]);
            kernels::sparse_backward_input_relu(&dy, &wt, &mask, &mut dx, fo);
            reference::sparse_backward_input_relu(&dy, &wt, &mask, &mut dx_ref, fo);
            assert_same(&dx, &dx_ref, "sparse_backward_input_relu");
        }
    }
}

/// Under the documented conditions (finite weights, no `−0` bias; finite
/// `dy` and no `−0` in the gradient accumulator) skipping zero terms changes
/// no bit, whatever the sparse operand holds: ReLU-sparse, signed zeros,
/// NaN, infinities.
#[test]
fn zero_skipping_equals_dense_under_its_conditions() {
    let mut rng = Lcg(3);
    let not_minus_zero = |rng: &mut Lcg| {
        let v = rng.finite();
        if v.to_bits() == (-0.0f32).to_bits() { 0.0 } else { v }
    };
    for (n, fi, fo) in shapes(&mut rng, 200) {
        for draw in [Lcg::relu as fn(&mut Lcg) -> f32, Lcg::any, Lcg::finite] {
            let x = rng.fill(n * fi, draw);
            let w = rng.fill(fi * fo, Lcg::finite);
            let b: Vec<f32> = (0..fo).map(|_| not_minus_zero(&mut rng)).collect();
            let (mut y, mut y_dense) = (vec![0.0; n * fo], vec![0.0; n * fo]);
            kernels::sparse_affine_forward(&x, &w, &b, &mut y);
            kernels::affine_forward(&x, &w, &b, &mut y_dense);
            assert_same(&y, &y_dense, "sparse vs dense forward");

            let dy = rng.fill(n * fo, Lcg::finite);
            let dw0: Vec<f32> = (0..fi * fo).map(|_| not_minus_zero(&mut rng)).collect();
            let db0 = rng.fill(fo, Lcg::finite);
            let (mut dw, mut db) = (dw0.clone(), db0.clone());
            let (mut dw_dense, mut db_dense) = (dw0, db0);
            kernels::sparse_accumulate_param_grad(&x, &dy, &mut dw, &mut db);
            kernels::accumulate_param_grad(&x, &dy, &mut dw_dense, &mut db_dense);
            assert_same(&dw, &dw_dense, "sparse vs dense dw");
            assert_same(&db, &db_dense, "sparse vs dense db");

            // The input gradient: any dy, any mask, finite weights.
            let dy = rng.fill(n * fo, draw);
            let mask = rng.fill(n * fi, Lcg::any);
            let mut wt = vec![0.0; fi * fo];
            kernels::transpose(&w, fo, &mut wt);
            let (mut dx, mut dx_dense) = (vec![0.0; n * fi], vec![0.0; n * fi]);
            kernels::sparse_backward_input_relu(&dy, &wt, &mask, &mut dx, fo);
            kernels::backward_input(&dy, &w, &mut dx_dense, fo);
            kernels::relu_backward_in_place(&mask, &mut dx_dense);
            assert_same(&dx, &dx_dense, "sparse vs dense input gradient");
        }
    }
}

/// Why the conditions: an infinite weight times a skipped zero is NaN in
/// the dense sum, and a `−0` bias plus a skipped `+0` product is `+0`.
#[test]
fn zero_skipping_conditions_are_needed() {
    let x = [0.0f32, 1.0];
    let (mut y, mut y_dense) = ([0.0f32], [0.0f32]);
    kernels::sparse_affine_forward(&x, &[f32::INFINITY, 1.0], &[0.0], &mut y);
    kernels::affine_forward(&x, &[f32::INFINITY, 1.0], &[0.0], &mut y_dense);
    assert_eq!(y, [1.0]);
    assert!(y_dense[0].is_nan());

    let x = [0.0f32];
    kernels::sparse_affine_forward(&x, &[1.0], &[-0.0], &mut y);
    kernels::affine_forward(&x, &[1.0], &[-0.0], &mut y_dense);
    assert_eq!((y[0].to_bits(), y_dense[0].to_bits()), ((-0.0f32).to_bits(), 0.0f32.to_bits()));
}

use saorsa_nn::kernels::LossTotals;
use saorsa_nn::{Batching, Dataset, Init, PaperNet, PaperTrainer, data, rng_from_seed};

/// The paper network's gradient and loss totals over `x`, with the naive
/// reference loops only.
fn reference_gradient(net: &PaperNet, x: &[[f32; 2]], y: &[u8]) -> (Vec<u32>, LossTotals) {
    let n = x.len();
    let x = x.as_flattened();
    let layers: Vec<_> = net.layers().collect();
    let mut acts = vec![x.to_vec()];
    for l in &layers {
        let mut out = vec![0.0; n * l.fan_out];
        reference::affine_forward(acts.last().unwrap(), l.weights, l.bias, &mut out);
        if l.fan_out == 64 {
            reference::relu_in_place(&mut out);
        }
        acts.push(out);
    }
    let mut p = acts.pop().unwrap();
    let mut totals = LossTotals::default();
    reference::softmax_rows(&mut p, 2);
    reference::cross_entropy_accumulate(&p, y, 2, &mut totals);
    reference::softmax_cross_entropy_grad(&mut p, y, 2, n as f32);
    let mut grads: Vec<(Vec<f32>, Vec<f32>)> = Vec::new();
    let mut d = p;
    for (k, l) in layers.iter().enumerate().rev() {
        let (mut dw, mut db) = (vec![0.0; l.weights.len()], vec![0.0; l.fan_out]);
        reference::accumulate_param_grad(&acts[k], &d, &mut dw, &mut db);
        grads.push((dw, db));
        if k > 0 {
            let mut dx = vec![0.0; n * l.fan_in];
            reference::backward_input(&d, l.weights, &mut dx, l.fan_out);
            reference::relu_backward_in_place(&acts[k], &mut dx);
            d = dx;
        }
    }
    grads.reverse();
    let bits = grads.iter().flat_map(|(w, b)| w.iter().chain(b).map(|v| v.to_bits())).collect();
    (bits, totals)
}

fn bits(net: &PaperNet) -> Vec<u32> {
    net.layers().flat_map(|l| l.weights.iter().chain(l.bias).map(|v| v.to_bits())).collect()
}

fn check_trainer_against_reference<const B: usize>(minus_zero_bias: bool) {
    let mut x = vec![[0.0f32; 2]; 200];
    let mut y = vec![0u8; 200];
    data::make_moons(&mut rng_from_seed(5), 0.18, &mut x, &mut y).unwrap();
    let d = Dataset::new(&x, &y).unwrap();
    let mut t: Box<PaperTrainer<B>> = Box::default();
    t.init_from_seed(Init::HeNormal, 7).unwrap();
    if minus_zero_bias {
        // A −0 bias makes zero-skipping inexact: the trainer must take the dense path.
        t.model_mut().hidden[0].bias[3] = -0.0;
    }
    for _ in 0..4 {
        let (grad, totals) = reference_gradient(t.model(), &x, &y);
        let metrics = t.train_epoch(&d, Batching::Full).unwrap();
        assert_eq!(bits(t.gradient()), grad);
        assert_eq!(metrics.loss.to_bits(), (totals.loss_sum / totals.count as f32).to_bits());
        assert_eq!(metrics.correct, totals.correct);
    }
}

/// The trainer's fast path (zero-skipping, transposed weights, register
/// tiles) gives the reference loops' gradient bit for bit, for several
/// micro-batch sizes, and so does its dense fallback.
#[test]
fn trainer_gradient_equals_the_reference_pipeline() {
    check_trainer_against_reference::<1>(false);
    check_trainer_against_reference::<7>(false);
    check_trainer_against_reference::<32>(false);
    check_trainer_against_reference::<32>(true);
}

/// `Mlp::evaluate` (chunked, zero-skipping) equals the per-sample dense path.
#[test]
fn evaluate_equals_per_sample_prediction() {
    let mut x = vec![[0.0f32; 2]; 77];
    let mut y = vec![0u8; 77];
    data::make_moons(&mut rng_from_seed(6), 0.18, &mut x, &mut y).unwrap();
    let d = Dataset::new(&x, &y).unwrap();
    let mut net = Box::new(PaperNet::new());
    net.init_from_seed(Init::GlorotNormal, 1).unwrap();
    let mut totals = LossTotals::default();
    for (xs, &ys) in x.iter().zip(&y) {
        kernels::cross_entropy_accumulate(&net.predict(xs), &[ys], 2, &mut totals);
    }
    let m = net.evaluate(&d);
    assert_eq!(m.loss.to_bits(), (totals.loss_sum / totals.count as f32).to_bits());
    assert_eq!(m.correct, totals.correct);

    // The same with a −0 bias, where `evaluate` runs the dense kernels.
    net.layers_mut().nth(1).unwrap().bias[3] = -0.0;
    let mut totals = LossTotals::default();
    for (xs, &ys) in x.iter().zip(&y) {
        kernels::cross_entropy_accumulate(&net.predict(xs), &[ys], 2, &mut totals);
    }
    let m = net.evaluate(&d);
    assert_eq!(m.loss.to_bits(), (totals.loss_sum / totals.count as f32).to_bits());
    assert_eq!(m.correct, totals.correct);
}

/// Whether `kernels::sqrt` equals `libm::sqrtf` on the f32s whose bit
/// patterns are `hi << 16 | k` for `k` in `0..65536`, bit for bit (a NaN
/// input only needs a NaN out). Returns the first mismatches. In chunks, so
/// that the fast path runs vectorized, as it does in Adam.
fn sqrt_mismatches(his: impl Iterator<Item = u32>) -> Vec<(f32, f32, f32)> {
    let mut x = vec![0.0f32; 1 << 16];
    let mut r = vec![0.0f32; 1 << 16];
    let mut wrong = Vec::new();
    for hi in his {
        for (k, v) in x.iter_mut().enumerate() {
            *v = f32::from_bits(hi << 16 | k as u32);
        }
        for (r, &v) in r.iter_mut().zip(&x) {
            *r = kernels::sqrt(v);
        }
        for (&v, &got) in x.iter().zip(&r) {
            let want = libm::sqrtf(v);
            let same = if want.is_nan() { got.is_nan() } else { got.to_bits() == want.to_bits() };
            if !same && wrong.len() < 10 {
                wrong.push((v, got, want));
            }
        }
    }
    wrong
}

/// `kernels::sqrt` on every f32 with a biased exponent of 0 (zero and the
/// subnormals), 1, 2, 127, 128, 253 or 254, and on every sign and NaN of
/// those. This covers all of them: for a positive normal `x`, the fast
/// path's every step on `4x` is its step on `x` scaled exactly (the f64
/// guess's exponent moves by one, each product and rounding by a power of
/// two, and nothing overflows), so exponents 1 and 2 stand for all the
/// others; the rest are boundary checks. The exhaustive check is
/// `sqrt_is_correctly_rounded_on_every_f32` (ignored: ~1 minute).
#[test]
fn sqrt_is_correctly_rounded() {
    let exponents = [0u32, 1, 2, 127, 128, 253, 254, 255];
    let his = exponents.iter().flat_map(|&e| {
        [0u32, 1].into_iter().flat_map(move |sign| (0..128).map(move |m| sign << 15 | e << 7 | m))
    });
    let wrong = sqrt_mismatches(his);
    assert!(wrong.is_empty(), "sqrt differs from libm::sqrtf: (x, got, want) = {wrong:?}");
}

/// `kernels::sqrt` against `libm::sqrtf` on all 2³² bit patterns:
/// `cargo test --release -p saorsa-nn --test kernels_fast -- --ignored sqrt`.
#[test]
#[ignore = "exhaustive, ~1 minute; `sqrt_is_correctly_rounded` covers every case by scaling"]
fn sqrt_is_correctly_rounded_on_every_f32() {
    let wrong = sqrt_mismatches(0..=u32::from(u16::MAX));
    assert!(wrong.is_empty(), "sqrt differs from libm::sqrtf: (x, got, want) = {wrong:?}");
}

/// A value of magnitude `10^e`, `e` uniform in `[lo, hi]`, with a random
/// sign when `signed`.
fn magnitude(rng: &mut Lcg, lo: f32, hi: f32, signed: bool) -> f32 {
    let e = lo + (hi - lo) * (rng.uniform() + 1.0) / 2.0;
    let x = libm::powf(10.0, e);
    if signed && rng.below(2) == 0 { -x } else { x }
}

/// `adam_update_is_surely_finite` never says "finite" where the exact check
/// (the update itself) does not, over magnitudes from 1e-45 to 1e38 in
/// every input and setting, so many cases fall near the overflow boundary;
/// and it does say so for an ordinary training step, so the fast path runs.
#[test]
fn adam_bound_implies_the_exact_check() {
    use saorsa_nn::{Adam, kernels::AdamStep};
    let mut rng = Lcg(0x5eed_ada0);
    let (mut proven, mut exact_only, mut neither) = (0, 0, 0);
    for case in 0..200_000 {
        let n = 1 + rng.below(4);
        let big = |rng: &mut Lcg, signed| magnitude(rng, -45.0, 38.5, signed);
        let step = if case % 2 == 0 {
            let adam = Adam {
                learning_rate: f64::from(magnitude(&mut rng, -8.0, 3.0, false)),
                beta1: 1.0 - f64::from(magnitude(&mut rng, -7.0, 0.0, false)).min(1.0),
                beta2: 1.0 - f64::from(magnitude(&mut rng, -7.0, 0.0, false)).min(1.0),
                epsilon: f64::from(magnitude(&mut rng, -40.0, 0.0, false)),
            };
            adam.step(1 + rng.below(1000) as u64)
        } else {
            AdamStep {
                lr: big(&mut rng, false),
                beta1: big(&mut rng, true),
                one_minus_beta1: big(&mut rng, true),
                beta2: big(&mut rng, false),
                one_minus_beta2: big(&mut rng, false),
                epsilon: big(&mut rng, false),
                correction1: big(&mut rng, false),
                correction2: big(&mut rng, false),
            }
        };
        let theta: Vec<f32> = (0..n).map(|_| big(&mut rng, true)).collect();
        let g: Vec<f32> = (0..n).map(|_| big(&mut rng, true)).collect();
        let m: Vec<f32> = (0..n).map(|_| big(&mut rng, true)).collect();
        let v: Vec<f32> = (0..n).map(|_| big(&mut rng, false)).collect();
        let sure = kernels::adam_update_is_surely_finite(&theta, &g, &m, &v, &step);
        let exact = kernels::adam_update_is_finite(&theta, &g, &m, &v, &step);
        assert!(
            !sure || exact,
            "bound says finite, update is not: θ {theta:?} g {g:?} m {m:?} v {v:?} {step:?}"
        );
        match (sure, exact) {
            (true, _) => proven += 1,
            (false, true) => exact_only += 1,
            (false, false) => neither += 1,
        }
    }
    assert!(proven > 10_000 && exact_only > 10_000 && neither > 10_000, "{proven} {exact_only} {neither}");

    // Non-finite inputs, a negative or −0 second moment, or unusable
    // settings are never proven.
    let step = Adam::new().step(1);
    let ok = |t: f32, g: f32, m: f32, v: f32, s: &AdamStep| {
        kernels::adam_update_is_surely_finite(&[t], &[g], &[m], &[v], s)
    };
    assert!(ok(0.5, 1e-3, 1e-4, 1e-8, &step));
    for bad in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
        assert!(!ok(bad, 0.1, 0.1, 0.1, &step) && !ok(0.5, bad, 0.1, 0.1, &step));
        assert!(!ok(0.5, 0.1, bad, 0.1, &step) && !ok(0.5, 0.1, 0.1, bad, &step));
    }
    assert!(!ok(0.5, 0.1, 0.1, -1e-9, &step) && !ok(0.5, 0.1, 0.1, -0.0, &step));
    assert!(!ok(0.5, 0.1, 0.1, 0.1, &AdamStep { epsilon: 0.0, ..step }));
    assert!(!ok(0.5, 0.1, 0.1, 0.1, &AdamStep { correction1: 0.0, ..step }));
    assert!(!ok(0.5, 0.1, 0.1, 0.1, &AdamStep { beta2: -0.5, ..step }));
    // The square of this gradient overflows: the step must not be proven.
    assert!(!ok(0.5, 1e20, 0.0, 0.0, &step));

    // An ordinary step of the paper's network is proven, layer by layer.
    let mut rng = Lcg(7);
    let n = 64 * 64;
    let theta: Vec<f32> = (0..n).map(|_| rng.uniform() * 0.3).collect();
    let g: Vec<f32> = (0..n).map(|_| rng.uniform() * 0.05).collect();
    let m: Vec<f32> = (0..n).map(|_| rng.uniform() * 0.01).collect();
    let v: Vec<f32> = (0..n).map(|_| rng.uniform().abs() * 1e-4).collect();
    for t in [1, 2, 10, 250, 100_000] {
        assert!(kernels::adam_update_is_surely_finite(&theta, &g, &m, &v, &Adam::new().step(t)));
    }
}
