//! Networks shaped at run time ([`Network`], [`NetworkTrainer`]) on random
//! shapes: 1–6 dense layers, hidden widths 1–40 (each its own), 1–10 inputs,
//! 2–5 classes, a random initializer per layer.
//!
//! **Gradient.** The core's f32 gradient against central differences
//! `(L(θ+h) − L(θ−h)) / 2h`, `h = 1e-6`, of an independent f64 forward pass
//! written here from the documented parameter layout (per layer its weights,
//! row-major, then its biases). A wrong layer offset, a wrong activation or
//! transposed-weight slice, a wrong stride: the core then differentiates
//! another function than the documented one, and some checked parameter of
//! that layer disagrees by the size of its gradient.
//!
//! Not flaking at ReLU kinks: the biases are random (not the initializers'
//! zeros), and each hidden unit's bias is then nudged until, for every
//! sample, its f64 pre-activation is at least `KINK_MARGIN` (1e-4) times
//! the sum of the magnitudes of its terms away from zero. The core's f32
//! pre-activation errs by at most about `depth · fan_in · 2⁻²⁴ ≈ 1.5e-5`
//! of that sum, so it sees the same ReLU masks as the f64 pass. A parameter
//! whose ±h perturbation still flips a mask is skipped, as in `gradients.rs`.
//!
//! The tolerance, `1e-3·|n| + 1e-4·G + 1e-8` with `G` the largest gradient
//! magnitude of the parameter's layer, leaves room for f32 sums that cancel
//! (every gradient is a sum of up to 12 samples' terms through up to 5
//! layers) while a wrong index is off by O(G).
//!
//! **Bit-identity.** A few epochs with micro-batches of 1 and of 2–70
//! samples, each with and without room for transposed weights, full batch
//! and mini-batches: every epoch's metrics, the final parameters, Adam's
//! moments and the step count are the same bits; each full-batch epoch's
//! metrics are [`Network::evaluate`]'s (with a random chunk) on the
//! weights before it.

mod common;
use common::bits;
use proptest::prelude::*;
use saorsa_nn::{Adam, Batching, Init, Network, NetworkTrainer, Samples, Shape, rng_from_seed};
use std::num::NonZeroUsize;

/// Finite-difference step (f64).
const H: f64 = 1e-6;
/// Least distance of a hidden pre-activation from 0, relative to `|b| + Σ|aᵢwᵢⱼ|`.
const KINK_MARGIN: f64 = 1e-4;
/// Parameters checked per layer: this many random ones, and one random bias.
const PICKS_PER_LAYER: usize = 5;

/// One random network and data set.
#[derive(Clone, Debug)]
struct Case {
    widths: Vec<usize>,
    inits: Vec<Init>,
    seed: u64,
    /// One per unit of every layer, in layer order: the starting biases.
    biases: Vec<f32>,
    /// `y.len() × widths[0]`, row-major.
    x: Vec<f32>,
    y: Vec<u8>,
}

/// 0–5 hidden widths in 1–40, each as often as not the previous one's
/// (equal widths, as in 64-64-64, are where two layers' blocks have the same
/// size and a mixed-up offset reads a block of the right length).
fn hidden_widths() -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec((any::<bool>(), 1usize..=40), 0..=5).prop_map(|v| {
        let mut widths: Vec<usize> = Vec::with_capacity(v.len());
        for (repeat, w) in v {
            widths.push(match widths.last() {
                Some(&last) if repeat => last,
                _ => w,
            });
        }
        widths
    })
}

/// A random shape (1–6 layers), one initializer per layer, biases, and
/// `samples` samples with features in [−2, 2) and labels below the classes.
fn case(samples: std::ops::RangeInclusive<usize>) -> impl Strategy<Value = Case> {
    (1usize..=10, hidden_widths(), 2usize..=5, samples)
        .prop_flat_map(|(inputs, hidden, classes, n)| {
            let mut widths = vec![inputs];
            widths.extend(hidden);
            widths.push(classes);
            let layers = widths.len() - 1;
            let units: usize = widths[1..].iter().sum();
            (
                Just(widths),
                prop::collection::vec(prop::sample::select(Init::ALL.to_vec()), layers),
                any::<u64>(),
                prop::collection::vec(-0.5f32..0.5, units),
                prop::collection::vec(-2.0f32..2.0, n * inputs),
                prop::collection::vec(0..classes as u8, n),
            )
        })
        .prop_map(|(widths, inits, seed, biases, x, y)| Case { widths, inits, seed, biases, x, y })
}

/// Per layer `(fan_in, fan_out, weights offset, biases offset)`, from the
/// layout `shape.rs` documents, computed here independently of the core.
fn layout(widths: &[usize]) -> Vec<(usize, usize, usize, usize)> {
    let mut offset = 0;
    widths
        .windows(2)
        .map(|w| {
            let (fan_in, fan_out) = (w[0], w[1]);
            let l = (fan_in, fan_out, offset, offset + fan_in * fan_out);
            offset += (fan_in + 1) * fan_out;
            l
        })
        .collect()
}

/// Pre-activations `z = a·W + b` of one layer for one sample, in f64, and
/// each one's scale `|b| + Σ|aᵢ·wᵢⱼ|`.
fn affine(
    a: &[f64],
    p: &[f64],
    (fan_in, fan_out, w, b): (usize, usize, usize, usize),
) -> (Vec<f64>, Vec<f64>) {
    let mut z: Vec<f64> = p[b..b + fan_out].to_vec();
    let mut scale: Vec<f64> = z.iter().map(|v| v.abs()).collect();
    for i in 0..fan_in {
        for j in 0..fan_out {
            let t = a[i] * p[w + i * fan_out + j];
            z[j] += t;
            scale[j] += t.abs();
        }
    }
    (z, scale)
}

/// The mean cross-entropy (unclipped: the clip's derivative is not the
/// fused gradient's) in f64, the largest per-sample loss, and every hidden
/// pre-activation's sign (to see a kink between θ − h and θ + h).
fn reference_loss(widths: &[usize], p: &[f64], x: &[f32], y: &[u8]) -> (f64, f64, Vec<bool>) {
    let lay = layout(widths);
    let (mut total, mut worst) = (0.0, 0.0f64);
    let mut mask = Vec::new();
    for (row, &label) in x.chunks_exact(widths[0]).zip(y) {
        let mut a: Vec<f64> = row.iter().map(|&v| f64::from(v)).collect();
        for (k, &l) in lay.iter().enumerate() {
            let (z, _) = affine(&a, p, l);
            if k + 1 < lay.len() {
                mask.extend(z.iter().map(|&v| v > 0.0));
                a = z.into_iter().map(|v| v.max(0.0)).collect();
            } else {
                a = z;
            }
        }
        let m = a.iter().fold(f64::MIN, |p, &q| p.max(q));
        let sum: f64 = a.iter().map(|v| (v - m).exp()).sum();
        let loss = sum.ln() - (a[usize::from(label)] - m);
        total += loss;
        worst = worst.max(loss);
    }
    (total / y.len() as f64, worst, mask)
}

/// Moves each hidden unit's bias (in f32) until every sample's f64
/// pre-activation of that unit is at least [`KINK_MARGIN`] of its scale
/// away from zero, and not zero, layer by layer (a layer's activations
/// depend on the biases before it).
fn clear_kinks(widths: &[usize], params: &mut [f32], x: &[f32]) {
    let lay = layout(widths);
    let mut acts: Vec<Vec<f64>> =
        x.chunks_exact(widths[0]).map(|r| r.iter().map(|&v| f64::from(v)).collect()).collect();
    for &(fan_in, fan_out, w, b) in &lay[..lay.len() - 1] {
        let mut p: Vec<f64> = params.iter().map(|&v| f64::from(v)).collect();
        p[b..b + fan_out].fill(0.0);
        // Pre-activations without the bias, and the scale of their terms.
        let terms: Vec<(Vec<f64>, Vec<f64>)> =
            acts.iter().map(|a| affine(a, &p, (fan_in, fan_out, w, b))).collect();
        for j in 0..fan_out {
            let clear = |bias: f32| {
                let bias = f64::from(bias);
                terms.iter().all(|(z, s)| {
                    let z = z[j] + bias;
                    z != 0.0 && z.abs() >= KINK_MARGIN * (s[j] + bias.abs())
                })
            };
            let step = 1e-3 * (1.0 + terms.iter().map(|(_, s)| s[j]).fold(0.0, f64::max));
            params[b + j] = common::nearest_clear(params[b + j], step, &format!("bias for unit {j}"), clear);
        }
        let p: Vec<f64> = params.iter().map(|&v| f64::from(v)).collect();
        acts = acts
            .iter()
            .map(|a| affine(a, &p, (fan_in, fan_out, w, b)).0.into_iter().map(|v| v.max(0.0)).collect())
            .collect();
    }
}

fn checkpoint<S: AsRef<[f32]>>(net: &Network<S>) -> Vec<u8> {
    let mut buf = vec![0u8; net.shape().checkpoint_bytes()];
    assert_eq!(net.encode_checkpoint(&mut buf), Ok(buf.len()));
    buf
}

/// `|analytic − numeric| ≤ 1e-3·|n| + 1e-4·G + 1e-8`: how far apart, as a
/// fraction of the allowance (≤ 1 passes).
fn excess(analytic: f32, numeric: f64, layer_scale: f64) -> f64 {
    (f64::from(analytic) - numeric).abs() / (1e-3 * numeric.abs() + 1e-4 * layer_scale + 1e-8)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// The run-time trainer's gradient (any micro-batch size, with or
    /// without transposed weights) against finite differences of the f64
    /// reference, on a few random parameters of every layer; and the
    /// loss it reports against the reference's.
    #[test]
    fn run_time_gradient_matches_finite_differences(
        case in case(1..=12),
        micro_batch in 1usize..=15,
        transposed in any::<bool>(),
        picks in prop::collection::vec(any::<u32>(), 6 * (PICKS_PER_LAYER + 1)),
    ) {
        let Case { widths, inits, seed, biases, x, y } = &case;
        let shape = Shape::new(widths).unwrap();
        let lay = layout(widths);
        let mut net = Network::new(shape.clone(), vec![0.0f32; shape.parameter_count()]).unwrap();
        net.init_layers(inits, &mut rng_from_seed(*seed)).unwrap();
        let params = net.parameters_mut();
        let mut units = biases.iter();
        for &(_, fan_out, _, b) in &lay {
            for (dst, &src) in params[b..b + fan_out].iter_mut().zip(&mut units) {
                *dst = src;
            }
        }
        clear_kinks(widths, params, x);

        let len = if transposed { shape.arena_len_transposed(micro_batch) } else { shape.arena_len(micro_batch) };
        let mut trainer = NetworkTrainer::new(shape.clone(), micro_batch, vec![f32::NAN; len]).unwrap();
        trainer.decode_checkpoint(&checkpoint(&net)).unwrap();
        prop_assert_eq!(bits(trainer.parameters()), bits(net.parameters()));
        let data = Samples::new(x, y, widths[0], *widths.last().unwrap()).unwrap();
        let metrics = trainer.compute_gradient(&data).unwrap();
        let grad = trainer.gradient().to_vec();

        let p64: Vec<f64> = net.parameters().iter().map(|&v| f64::from(v)).collect();
        let (loss, worst, _) = reference_loss(widths, &p64, x, y);
        // No probability clipped (−ln 1e-7 ≈ 16.1): the reported loss is the reference's.
        if worst < 15.0 {
            let err = (f64::from(metrics.loss) - loss).abs();
            prop_assert!(err <= 1e-4 * (1.0 + loss), "loss {} vs reference {loss}", metrics.loss);
        }

        let mut checked = 0;
        for (k, &(fan_in, fan_out, w, b)) in lay.iter().enumerate() {
            let n_params = (fan_in + 1) * fan_out;
            let layer_scale = grad[w..w + n_params].iter().fold(0.0f64, |m, &g| m.max(f64::from(g).abs()));
            let mut chosen: Vec<usize> = picks[k * (PICKS_PER_LAYER + 1)..][..PICKS_PER_LAYER]
                .iter()
                .map(|&r| w + r as usize % n_params)
                .collect();
            chosen.push(b + picks[k * (PICKS_PER_LAYER + 1) + PICKS_PER_LAYER] as usize % fan_out);
            for idx in chosen {
                let perturbed = |delta: f64| {
                    let mut p = p64.clone();
                    p[idx] += delta;
                    reference_loss(widths, &p, x, y)
                };
                let ((lp, _, mp), (lm, _, mm)) = (perturbed(H), perturbed(-H));
                if mp != mm {
                    continue; // a kink between θ − h and θ + h
                }
                let numeric = (lp - lm) / (2.0 * H);
                let e = excess(grad[idx], numeric, layer_scale);
                let what = if idx >= b { format!("bias {}", idx - b) } else { format!("weight {}", idx - w) };
                prop_assert!(
                    e <= 1.0,
                    "{shape}: layer {k} {what}: analytic {} vs numeric {numeric} (layer max {layer_scale}, {e:.2}× the tolerance)",
                    grad[idx]
                );
                checked += 1;
            }
        }
        prop_assert!(checked * 4 >= lay.len() * (PICKS_PER_LAYER + 1) * 3, "only {checked} parameters checked");
    }

    /// Micro-batches of 1 and of `micro_batch`, each with and without
    /// transposed weights: the same bits, epoch by epoch and at the end.
    #[test]
    fn run_time_training_is_bit_identical_across_micro_batches(
        case in case(1..=80),
        micro_batch in 2usize..=70,
        mini in prop::option::of(1usize..=90),
        learning_rate in prop::sample::select(vec![1e-3, 1e-2, 5e-2]),
        epochs in 1usize..=4,
        chunk in 1usize..=20,
    ) {
        let Case { widths, inits, seed, x, y, .. } = &case;
        let shape = Shape::new(widths).unwrap();
        let data = Samples::new(x, y, widths[0], *widths.last().unwrap()).unwrap();
        let batching = match mini {
            None => Batching::Full,
            Some(size) => Batching::MiniBatch(NonZeroUsize::new(size).unwrap()),
        };
        let run = |mb: usize, transposed: bool| -> common::Trace {
            let len = if transposed { shape.arena_len_transposed(mb) } else { shape.arena_len(mb) };
            let mut t = NetworkTrainer::new(shape.clone(), mb, vec![f32::NAN; len]).unwrap();
            t.init_layers_from_seed(inits, *seed).unwrap();
            t.set_adam(Adam { learning_rate, ..Adam::new() }).unwrap();
            common::trace(&mut t, &data, batching, epochs, chunk)
        };
        let base = run(1, false);
        prop_assert!(base.0.iter().all(|e| e.is_ok()), "{shape}: {:?}", base.0);
        for (mb, transposed) in [(1, true), (micro_batch, false), (micro_batch, true)] {
            let other = run(mb, transposed);
            prop_assert!(other == base, "{shape}: B = {mb}, transposed {transposed} differs from B = 1");
        }
    }
}
