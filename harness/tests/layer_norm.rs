//! Layer normalization ([`Normalization::LayerNorm`]) in the whole network:
//! its gradient by finite differences, and its bit-identity across
//! micro-batch sizes. Random small normalized shapes: 1–4 inputs, 1–3
//! hidden layers of 2–9 units, 2–4 classes.
//!
//! **Gradient.** As `shapes.rs`'s `run_time_gradient_matches_finite_differences`:
//! the core's f32 gradient ([`NetworkTrainer::compute_gradient`], in
//! micro-batches smaller than the data, with and without room for
//! transposed weights) against central differences `(L(θ+h) − L(θ−h)) / 2h`,
//! `h = 1e-6`, of an independent f64 forward pass written here from the
//! documented layout (per layer its weights, row-major, its biases, then for
//! a hidden layer its gains γ and shifts β) and formula
//! (`ReLU(γ ⊙ (z − μ)/√(σ² + ε) + β)`, `μ` and biased `σ²` over the sample's
//! units, `ε = 1e-5`). Every parameter is checked, gains and shifts
//! included; all parameters are random (gains in ±1.5, not the initial 1,
//! shifts in ±0.5, not 0), so that the γ and β gradients are not those of
//! the identity.
//!
//! Conditioning. The normalization divides by `σ`: an f32 error in `z` of
//! `c·2⁻²⁴·S` (`S = |b| + Σ|aᵢwᵢⱼ|`, the scale of the unit's terms) becomes
//! an error of `c·2⁻²⁴·S/σ` in `x̂`, and the next layer inherits it. A case
//! is rejected if any hidden row's variance is below `MIN_VARIANCE` (1e-3)
//! or its condition `κ = max_j S_j / σ` is above `MAX_CONDITION` (100).
//! With `κ ≤ 100` the core's f32 `x̂` errs by at most about
//! `κ · fan_in · 2⁻²⁴ ≈ 5e-5` of the unit's scale per layer. Over 17,000
//! random cases the variance floor rejected 5.9 % and the condition bound
//! 0.04 % more (`κ` reached 135 in the cases the floor kept).
//!
//! Not flaking at ReLU kinks: the ReLU now sees `y = γ·x̂ + β`, so it is
//! each hidden unit's shift β that is nudged (it moves `y` and nothing
//! before it) until, for every sample, the f64 `y` is at least
//! `KINK_MARGIN` (1e-4) of its scale `|β| + |γ|·(|x̂| + κ)` away from zero,
//! and not zero (the `κ` term: the absolute error of `x̂` is up to `κ` times
//! the relative error of the `z` terms). A parameter whose ±h perturbation
//! still flips a mask is skipped, as in `gradients.rs`.
//!
//! The tolerance is `shapes.rs`'s, `1e-3·|n| + 1e-4·G + 1e-8`, with `G` the
//! largest gradient magnitude of the parameter's layer (its weights,
//! biases, gains and shifts), plus one term for cancellation in the
//! normalization's backward pass, `32·2⁻²⁴·M`. `M` is the parameter's
//! gradient computed in f64 with every term replaced by its magnitude
//! (`magnitudes`): the classical running-error bound says an f32
//! computation of the gradient errs by a small multiple of `2⁻²⁴·M` (the
//! multiple counts the roundings along a path: a few per layer and sum).
//! The normalization's `dz = r·(g − ḡ − x̂·ḡx̂)` can cancel: always for a
//! layer of 2 units, whose `x̂ = ±√(σ²/(σ² + ε))` hardly depends on `z`, so
//! that `dz` is `ε/(σ² + ε)` of its terms (1e-6 at `σ² = 10`) and every
//! layer below it inherits f32 noise of `2⁻²⁴·(σ² + ε)/ε` relative; and by
//! chance for wider layers, when `g` nearly lies in the span of `1` and
//! `x̂`. Measured over 36,000 random cases (3.2 million parameters): 0.17 %
//! of the parameters broke `shapes.rs`'s tolerance alone, by up to 38×, all
//! with `M` 448 to 4·10⁸ times `G`, and every one within `13.3·2⁻²⁴·M` (all
//! but one within `7·2⁻²⁴·M`); the largest error with the term was 0.37 of
//! the allowance. For half the parameters `M ≈ G` and the term adds 2 % to
//! `1e-4·G`; it exceeds `1e-4·G` for 8 %, and `G` itself for 0.9 % (a
//! gradient below f32's resolution, which the check then only bounds).
//!
//! **Bit-identity.** A few full-batch epochs from random normalized
//! parameters with micro-batches of 1 and of 2–40 samples, each with and
//! without room for transposed weights: every epoch's metrics, the final
//! parameters, Adam's moments and the step count are the same bits, and
//! each epoch's metrics are [`Network::evaluate`]'s on the weights before it.
//!
//! **Bias invariance.** The normalization subtracts the row's mean, so the
//! loss does not change when one constant is added to all of a hidden
//! layer's biases (or to all the weights from one of its inputs): each
//! hidden layer's bias gradient sums to 0 over its units, and so does each
//! row of its weight gradient. Each single bias still matters (moving
//! `b_j` alone moves `z_j − μ`): its gradient is not 0, and is checked
//! against the finite difference like every other.

mod common;
use common::bits;
use proptest::prelude::*;
use saorsa_nn::shape::LAYER_NORM_EPSILON;
use saorsa_nn::{Adam, Batching, Network, NetworkTrainer, Normalization, Samples, Shape};

/// Finite-difference step (f64).
const H: f64 = 1e-6;
/// Least distance of a hidden ReLU input `y` from 0, relative to `|β| + |γ|·(|x̂| + κ)`.
const KINK_MARGIN: f64 = 1e-4;
/// Least variance `σ²` of any hidden row of a checked case.
const MIN_VARIANCE: f64 = 1e-3;
/// Largest condition `max_j S_j / σ` of any hidden row of a checked case.
const MAX_CONDITION: f64 = 100.0;
/// The f32 rounding allowance per unit of a parameter's [`magnitudes`]:
/// `32·2⁻²⁴` (see the module's notes on the tolerance).
const ROUNDING: f64 = 32.0 / 16_777_216.0;
/// Cases per property.
const CASES: u32 = 64;

/// One layer of the flat parameter buffer: `(fan_in, fan_out)`, the offsets
/// of its weights and biases, and for a hidden layer those of its gains and
/// shifts.
#[derive(Clone, Copy, Debug)]
struct Layer {
    fan_in: usize,
    fan_out: usize,
    w: usize,
    b: usize,
    norm: Option<(usize, usize)>,
}

impl Layer {
    /// One past its last parameter.
    fn end(&self) -> usize {
        self.norm.map_or(self.b + self.fan_out, |(_, s)| s + self.fan_out)
    }
}

/// The layout documented in `shape.rs`, computed here independently of
/// the core: every layer but the last is normalized.
fn layout(widths: &[usize]) -> Vec<Layer> {
    let layers = widths.len() - 1;
    let mut offset = 0;
    (0..layers)
        .map(|k| {
            let (fan_in, fan_out) = (widths[k], widths[k + 1]);
            let (w, b) = (offset, offset + fan_in * fan_out);
            let norm = (k + 1 < layers).then_some((b + fan_out, b + 2 * fan_out));
            let l = Layer { fan_in, fan_out, w, b, norm };
            offset = l.end();
            l
        })
        .collect()
}

/// One random normalized network and data set.
#[derive(Clone, Debug)]
struct Case {
    widths: Vec<usize>,
    /// The flat parameters: weights in ±1, biases in ±0.5, gains in ±1.5,
    /// shifts in ±0.5.
    params: Vec<f32>,
    /// `y.len() × widths[0]`, row-major, in [−2, 2).
    x: Vec<f32>,
    y: Vec<u8>,
}

impl Case {
    fn shape(&self) -> Shape {
        Shape::new(&self.widths).unwrap().with_normalization(Normalization::LayerNorm)
    }

    fn data(&self) -> Samples<'_> {
        Samples::new(&self.x, &self.y, self.widths[0], *self.widths.last().unwrap()).unwrap()
    }
}

/// A random normalized shape, parameters and `samples` samples.
fn case(samples: std::ops::RangeInclusive<usize>) -> impl Strategy<Value = Case> {
    (1usize..=4, prop::collection::vec(2usize..=9, 1..=3), 2usize..=4, samples)
        .prop_flat_map(|(inputs, hidden, classes, n)| {
            let mut widths = vec![inputs];
            widths.extend(hidden);
            widths.push(classes);
            let count = layout(&widths).last().unwrap().end();
            (
                Just(widths),
                prop::collection::vec(-1.0f32..1.0, count),
                prop::collection::vec(-2.0f32..2.0, n * inputs),
                prop::collection::vec(0..classes as u8, n),
            )
        })
        .prop_map(|(widths, unit, x, y)| {
            let mut params = unit;
            for l in layout(&widths) {
                params[l.b..l.b + l.fan_out].iter_mut().for_each(|v| *v *= 0.5);
                if let Some((g, s)) = l.norm {
                    params[g..g + l.fan_out].iter_mut().for_each(|v| *v *= 1.5);
                    params[s..s + l.fan_out].iter_mut().for_each(|v| *v *= 0.5);
                }
            }
            Case { widths, params, x, y }
        })
}

/// Pre-activations `z = a·W + b` of one layer for one sample, in f64, and
/// each one's scale `|b| + Σ|aᵢ·wᵢⱼ|`.
fn affine(a: &[f64], p: &[f64], l: &Layer) -> (Vec<f64>, Vec<f64>) {
    let mut z: Vec<f64> = p[l.b..l.b + l.fan_out].to_vec();
    let mut scale: Vec<f64> = z.iter().map(|v| v.abs()).collect();
    for (i, &ai) in a.iter().enumerate() {
        for j in 0..l.fan_out {
            let t = ai * p[l.w + i * l.fan_out + j];
            z[j] += t;
            scale[j] += t.abs();
        }
    }
    (z, scale)
}

/// One hidden row, normalized: `x̂`, the variance `σ²`, `r = 1/√(σ² + ε)`
/// and the condition `κ = max_j S_j · r`.
fn normalize(z: &[f64], scale: &[f64]) -> (Vec<f64>, f64, f64, f64) {
    let n = z.len() as f64;
    let mean = z.iter().sum::<f64>() / n;
    let var = z.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
    // The core's ε is the f32 1e-5; the reference differentiates the same function.
    let r = 1.0 / (var + f64::from(LAYER_NORM_EPSILON)).sqrt();
    let cond = scale.iter().fold(0.0f64, |m, &s| m.max(s)) * r;
    (z.iter().map(|v| (v - mean) * r).collect(), var, r, cond)
}

/// The f64 forward pass over all samples.
struct Reference {
    /// Mean cross-entropy (unclipped: the clip's derivative is not the fused
    /// gradient's).
    loss: f64,
    /// Largest per-sample loss.
    worst: f64,
    /// Every hidden ReLU input's sign (to see a kink between θ − h and θ + h).
    mask: Vec<bool>,
    /// Smallest variance of any hidden row.
    min_var: f64,
    /// Largest condition of any hidden row.
    max_cond: f64,
}

fn reference(widths: &[usize], p: &[f64], x: &[f32], y: &[u8]) -> Reference {
    let lay = layout(widths);
    let mut out =
        Reference { loss: 0.0, worst: 0.0, mask: Vec::new(), min_var: f64::INFINITY, max_cond: 0.0 };
    for (row, &label) in x.chunks_exact(widths[0]).zip(y) {
        let mut a: Vec<f64> = row.iter().map(|&v| f64::from(v)).collect();
        for l in &lay {
            let (z, scale) = affine(&a, p, l);
            let Some((g, s)) = l.norm else {
                a = z;
                continue;
            };
            let (xhat, var, _, cond) = normalize(&z, &scale);
            out.min_var = out.min_var.min(var);
            out.max_cond = out.max_cond.max(cond);
            let y: Vec<f64> = xhat.iter().enumerate().map(|(j, &h)| p[g + j] * h + p[s + j]).collect();
            out.mask.extend(y.iter().map(|&v| v > 0.0));
            a = y.into_iter().map(|v| v.max(0.0)).collect();
        }
        let m = a.iter().fold(f64::MIN, |p, &q| p.max(q));
        let sum: f64 = a.iter().map(|v| (v - m).exp()).sum();
        let loss = sum.ln() - (a[usize::from(label)] - m);
        out.loss += loss;
        out.worst = out.worst.max(loss);
    }
    out.loss /= y.len() as f64;
    out
}

/// The gradient of the mean loss with every term of every sum replaced by
/// its magnitude, per parameter: back-propagation of `|p − onehot|/N`
/// through `|W|`, `|a|`, the ReLU masks, and the normalization's backward
/// formula `dz_j = r·(g_j − ḡ − x̂_j·ḡx̂)` as `r·(|g_j| + mean|g| + |x̂_j|·mean|g·x̂|)`,
/// in f64. An f32 computation of the gradient that rounds each operation
/// errs by at most a modest multiple of `2⁻²⁴` times this (the classical
/// running-error bound), whatever the cancellation in the true gradient.
fn magnitudes(widths: &[usize], p: &[f64], x: &[f32], y: &[u8]) -> Vec<f64> {
    let lay = layout(widths);
    let mut m = vec![0.0f64; lay.last().unwrap().end()];
    let n = y.len() as f64;
    for (row, &label) in x.chunks_exact(widths[0]).zip(y) {
        // Forward: each layer's input, and each hidden layer's x̂, 1/σ and mask.
        let mut inputs: Vec<Vec<f64>> = Vec::new();
        let mut norms: Vec<(Vec<f64>, f64, Vec<bool>)> = Vec::new();
        let mut a: Vec<f64> = row.iter().map(|&v| f64::from(v)).collect();
        for l in &lay {
            inputs.push(a.clone());
            let (z, _) = affine(&a, p, l);
            let Some((g, s)) = l.norm else {
                a = z;
                continue;
            };
            let (xhat, _, r, _) = normalize(&z, &[]);
            let y: Vec<f64> = xhat.iter().enumerate().map(|(j, &h)| p[g + j] * h + p[s + j]).collect();
            norms.push((xhat, r, y.iter().map(|&v| v > 0.0).collect()));
            a = y.into_iter().map(|v| v.max(0.0)).collect();
        }
        let top = a.iter().fold(f64::MIN, |p, &q| p.max(q));
        let sum: f64 = a.iter().map(|v| (v - top).exp()).sum();
        // |∂L/∂logits| = |p − onehot| / N.
        let mut d: Vec<f64> = a
            .iter()
            .enumerate()
            .map(|(j, v)| ((v - top).exp() / sum - f64::from(u8::from(j == usize::from(label)))).abs() / n)
            .collect();
        for (k, l) in lay.iter().enumerate().rev() {
            if let Some((g, s)) = l.norm {
                let (xhat, r, mask) = &norms[k];
                for j in 0..l.fan_out {
                    if !mask[j] {
                        d[j] = 0.0;
                    }
                    m[g + j] += d[j] * xhat[j].abs();
                    m[s + j] += d[j];
                }
                let gd: Vec<f64> = (0..l.fan_out).map(|j| d[j] * p[g + j].abs()).collect();
                let width = l.fan_out as f64;
                let mean_g = gd.iter().sum::<f64>() / width;
                let mean_gx = gd.iter().zip(xhat).map(|(g, h)| g * h.abs()).sum::<f64>() / width;
                d = (0..l.fan_out).map(|j| r * (gd[j] + mean_g + xhat[j].abs() * mean_gx)).collect();
            }
            let input = &inputs[k];
            let mut below = vec![0.0f64; l.fan_in];
            for (i, &ai) in input.iter().enumerate() {
                for j in 0..l.fan_out {
                    m[l.w + i * l.fan_out + j] += ai.abs() * d[j];
                    below[i] += p[l.w + i * l.fan_out + j].abs() * d[j];
                }
            }
            for j in 0..l.fan_out {
                m[l.b + j] += d[j];
            }
            d = below;
        }
    }
    m
}

/// Moves each hidden unit's shift β (in f32) until every sample's f64 ReLU
/// input `y = γ·x̂ + β` of that unit is at least [`KINK_MARGIN`] of its
/// scale `|β| + |γ|·(|x̂| + κ)` away from zero, and not zero, layer by layer
/// (a layer's activations depend on the shifts before it).
fn clear_kinks(widths: &[usize], params: &mut [f32], x: &[f32]) {
    let lay = layout(widths);
    let mut acts: Vec<Vec<f64>> =
        x.chunks_exact(widths[0]).map(|r| r.iter().map(|&v| f64::from(v)).collect()).collect();
    for l in &lay[..lay.len() - 1] {
        let (g, s) = l.norm.unwrap();
        let p: Vec<f64> = params.iter().map(|&v| f64::from(v)).collect();
        // Each sample's x̂ and κ (the shifts do not enter them).
        let rows: Vec<(Vec<f64>, f64)> = acts
            .iter()
            .map(|a| {
                let (z, scale) = affine(a, &p, l);
                let (xhat, _, _, cond) = normalize(&z, &scale);
                (xhat, cond)
            })
            .collect();
        for j in 0..l.fan_out {
            let gain = p[g + j];
            let clear = |shift: f32| {
                let shift = f64::from(shift);
                rows.iter().all(|(xhat, cond)| {
                    let y = gain * xhat[j] + shift;
                    y != 0.0 && y.abs() >= KINK_MARGIN * (shift.abs() + gain.abs() * (xhat[j].abs() + cond))
                })
            };
            let widest = rows.iter().fold(0.0f64, |m, (h, c)| m.max(h[j].abs() + c));
            let step = 1e-3 * (1.0 + gain.abs() * widest);
            params[s + j] = common::nearest_clear(params[s + j], step, &format!("shift for unit {j}"), clear);
        }
        let p: Vec<f64> = params.iter().map(|&v| f64::from(v)).collect();
        acts = acts
            .iter()
            .map(|a| {
                let (z, scale) = affine(a, &p, l);
                let (xhat, ..) = normalize(&z, &scale);
                xhat.iter().enumerate().map(|(j, &h)| (p[g + j] * h + p[s + j]).max(0.0)).collect()
            })
            .collect();
    }
}

fn checkpoint<S: AsRef<[f32]>>(net: &Network<S>) -> Vec<u8> {
    let mut buf = vec![0u8; net.shape().checkpoint_bytes()];
    assert_eq!(net.encode_checkpoint(&mut buf), Ok(buf.len()));
    buf
}

/// A trainer of `shape` for micro-batches of `micro_batch`, with or without
/// room for transposed weights, holding `params`.
fn trainer(shape: &Shape, micro_batch: usize, transposed: bool, params: &[f32]) -> NetworkTrainer<Vec<f32>> {
    let len = if transposed { shape.arena_len_transposed(micro_batch) } else { shape.arena_len(micro_batch) };
    let mut t = NetworkTrainer::new(shape.clone(), micro_batch, vec![f32::NAN; len]).unwrap();
    let net = Network::new(shape.clone(), params.to_vec()).unwrap();
    t.decode_checkpoint(&checkpoint(&net)).unwrap();
    assert_eq!(bits(t.parameters()), bits(params));
    t
}

/// `|analytic − numeric| ≤ 1e-3·|n| + 1e-4·G + ROUNDING·M + 1e-8`, with
/// `M` the parameter's [`magnitudes`]: how far apart, as a fraction of the
/// allowance (≤ 1 passes).
fn excess(analytic: f32, numeric: f64, layer_scale: f64, magnitude: f64) -> f64 {
    (f64::from(analytic) - numeric).abs()
        / (1e-3 * numeric.abs() + 1e-4 * layer_scale + ROUNDING * magnitude + 1e-8)
}

/// Which parameter `idx` of layer `l` is, for messages.
fn describe(l: &Layer, idx: usize) -> String {
    match l.norm {
        Some((_, s)) if idx >= s => format!("shift {}", idx - s),
        Some((g, _)) if idx >= g => format!("gain {}", idx - g),
        _ if idx >= l.b => format!("bias {}", idx - l.b),
        _ => format!("weight [{}][{}]", (idx - l.w) / l.fan_out, (idx - l.w) % l.fan_out),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: CASES, ..ProptestConfig::default() })]

    /// The normalized network's gradient (micro-batches smaller than the
    /// data, with or without transposed weights) against finite differences
    /// of the f64 reference, on every parameter; and the loss it reports
    /// against the reference's.
    #[test]
    fn normalized_gradient_matches_finite_differences(
        case in case(2..=12),
        micro_batch in any::<prop::sample::Index>(),
        transposed in any::<bool>(),
    ) {
        let mut params = case.params.clone();
        let p64: Vec<f64> = params.iter().map(|&v| f64::from(v)).collect();
        let before = reference(&case.widths, &p64, &case.x, &case.y);
        prop_assume!(before.min_var >= MIN_VARIANCE && before.max_cond <= MAX_CONDITION);
        clear_kinks(&case.widths, &mut params, &case.x);

        let (shape, data, lay) = (case.shape(), case.data(), layout(&case.widths));
        prop_assert_eq!(shape.parameter_count(), params.len());
        let micro_batch = 1 + micro_batch.index(case.y.len() - 1);
        let mut t = trainer(&shape, micro_batch, transposed, &params);
        let metrics = t.compute_gradient(&data).unwrap();
        let grad = t.gradient().to_vec();

        let p64: Vec<f64> = params.iter().map(|&v| f64::from(v)).collect();
        let at = reference(&case.widths, &p64, &case.x, &case.y);
        // No probability clipped (−ln 1e-7 ≈ 16.1): the reported loss is the reference's.
        if at.worst < 15.0 {
            let err = (f64::from(metrics.loss) - at.loss).abs();
            prop_assert!(err <= 1e-4 * (1.0 + at.loss), "loss {} vs reference {}", metrics.loss, at.loss);
        }

        let mags = magnitudes(&case.widths, &p64, &case.x, &case.y);
        let mut checked = 0;
        for (k, l) in lay.iter().enumerate() {
            let layer_scale = grad[l.w..l.end()].iter().fold(0.0f64, |m, &g| m.max(f64::from(g).abs()));
            for idx in l.w..l.end() {
                let perturbed = |delta: f64| {
                    let mut p = p64.clone();
                    p[idx] += delta;
                    reference(&case.widths, &p, &case.x, &case.y)
                };
                let (plus, minus) = (perturbed(H), perturbed(-H));
                if plus.mask != minus.mask {
                    continue; // a kink between θ − h and θ + h
                }
                let numeric = (plus.loss - minus.loss) / (2.0 * H);
                let e = excess(grad[idx], numeric, layer_scale, mags[idx]);
                prop_assert!(
                    e <= 1.0,
                    "{shape} (B = {micro_batch}, transposed {transposed}): layer {k} {}: analytic {} vs numeric {numeric} (layer max {layer_scale}, magnitude {}, {e:.2}× the tolerance)",
                    describe(l, idx),
                    grad[idx],
                    mags[idx]
                );
                checked += 1;
            }
        }
        prop_assert!(checked * 4 >= params.len() * 3, "only {checked} of {} parameters checked", params.len());
    }

    /// Full-batch training of a normalized network from random parameters,
    /// with micro-batches of 1 and of `micro_batch`, each with and without
    /// transposed weights: the same bits, epoch by epoch and at the end.
    #[test]
    fn normalized_training_is_bit_identical_across_micro_batches(
        case in case(1..=40),
        micro_batch in 2usize..=40,
        learning_rate in prop::sample::select(vec![1e-3, 1e-2, 5e-2]),
        epochs in 1usize..=4,
    ) {
        let (shape, data) = (case.shape(), case.data());
        let run = |mb: usize, transposed: bool| -> common::Trace {
            let mut t = trainer(&shape, mb, transposed, &case.params);
            t.set_adam(Adam { learning_rate, ..Adam::new() }).unwrap();
            common::trace(&mut t, &data, Batching::Full, epochs, case.y.len())
        };
        let base = run(1, false);
        prop_assert!(base.0.iter().all(|e| e.is_ok()), "{shape}: {:?}", base.0);
        prop_assert_eq!(base.4, epochs as u64);
        for (mb, transposed) in [(1, true), (micro_batch, false), (micro_batch, true)] {
            let other = run(mb, transposed);
            prop_assert!(other == base, "{shape}: B = {mb}, transposed {transposed} differs from B = 1");
        }
    }
}

/// splitmix64: a uniform value in [−1, 1) from `state`.
fn uniform(state: &mut u64) -> f32 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    (z >> 40) as f32 / 8_388_608.0 - 1.0
}

/// The normalization removes each row's mean: adding one constant to all of
/// a hidden layer's biases, or to all the weights from one of its inputs,
/// changes no `z − μ` and so not the loss. So each hidden layer's bias
/// gradient, and each row of its weight gradient, sums to 0 over the
/// layer's units, up to f32 rounding. Each single bias still moves
/// `z_j − μ`: its own gradient is not 0 (and matches the finite difference).
#[test]
fn hidden_bias_gradient_sums_to_zero() {
    let widths = [3usize, 6, 5, 4, 3];
    let lay = layout(&widths);
    let mut state = 7u64;
    let mut params: Vec<f32> = (0..lay.last().unwrap().end()).map(|_| uniform(&mut state)).collect();
    for l in &lay {
        params[l.b..l.b + l.fan_out].iter_mut().for_each(|v| *v *= 0.5);
        if let Some((g, s)) = l.norm {
            params[g..g + l.fan_out].iter_mut().for_each(|v| *v *= 1.5);
            params[s..s + l.fan_out].iter_mut().for_each(|v| *v *= 0.5);
        }
    }
    let x: Vec<f32> = (0..10 * widths[0]).map(|_| 2.0 * uniform(&mut state)).collect();
    let y: Vec<u8> = (0..10).map(|s| (s % 3) as u8).collect();
    clear_kinks(&widths, &mut params, &x);
    let case = Case { widths: widths.to_vec(), params, x, y };
    let p64: Vec<f64> = case.params.iter().map(|&v| f64::from(v)).collect();
    let at = reference(&case.widths, &p64, &case.x, &case.y);
    assert!(at.min_var >= MIN_VARIANCE && at.max_cond <= MAX_CONDITION, "{} {}", at.min_var, at.max_cond);

    let shape = case.shape();
    let mut t = trainer(&shape, 4, true, &case.params);
    t.compute_gradient(&case.data()).unwrap();
    let grad = t.gradient().to_vec();
    let mags = magnitudes(&case.widths, &p64, &case.x, &case.y);
    for (k, l) in lay.iter().enumerate().filter(|(_, l)| l.norm.is_some()) {
        let dw = &grad[l.w..l.b];
        let db = &grad[l.b..l.b + l.fan_out];
        let dw_max = dw.iter().fold(0.0f64, |m, &g| m.max(f64::from(g).abs()));
        let db_max = db.iter().fold(0.0f64, |m, &g| m.max(f64::from(g).abs()));
        assert!(dw_max > 1e-4, "layer {k}: a live layer ({dw_max})");
        // Σ_j db_j = 0 within rounding of its terms, and far below the weight gradients' scale.
        let sum: f64 = db.iter().map(|&g| f64::from(g)).sum();
        let terms: f64 = mags[l.b..l.b + l.fan_out].iter().sum();
        assert!(sum.abs() <= ROUNDING * terms, "layer {k}: Σ db = {sum:e} (terms {terms:e})");
        assert!(sum.abs() <= 1e-5 * dw_max, "layer {k}: Σ db = {sum:e} vs max |dW| {dw_max:e}");
        for (i, row) in dw.chunks_exact(l.fan_out).enumerate() {
            let sum: f64 = row.iter().map(|&g| f64::from(g)).sum();
            let terms: f64 = mags[l.w + i * l.fan_out..][..l.fan_out].iter().sum();
            assert!(sum.abs() <= ROUNDING * terms, "layer {k}: Σ_j dW[{i}][j] = {sum:e} (terms {terms:e})");
        }
        // The f64 loss along b + c·1 is flat; along one bias it is not.
        let along = |delta: f64, units: std::ops::Range<usize>| {
            let mut p = p64.clone();
            p[units].iter_mut().for_each(|v| *v += delta);
            reference(&case.widths, &p, &case.x, &case.y).loss
        };
        let all = l.b..l.b + l.fan_out;
        let flat = (along(H, all.clone()) - along(-H, all)) / (2.0 * H);
        assert!(flat.abs() <= 1e-8, "layer {k}: dL/dc along b + c·1 = {flat:e}");
        assert!(db_max >= 1e-2 * dw_max, "layer {k}: max |db| {db_max:e} vs max |dW| {dw_max:e}");
        for j in 0..l.fan_out {
            let numeric = (along(H, l.b + j..l.b + j + 1) - along(-H, l.b + j..l.b + j + 1)) / (2.0 * H);
            let e = excess(db[j], numeric, dw_max.max(db_max), mags[l.b + j]);
            assert!(e <= 1.0, "layer {k} bias {j}: analytic {} vs numeric {numeric}", db[j]);
        }
    }
}
