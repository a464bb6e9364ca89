//! Finite-difference checks of every gradient the core computes.
//!
//! The analytic gradients are the core's, in f32. The numerical ones are
//! central differences `(L(θ+h) − L(θ−h)) / 2h` of an independent f64
//! re-implementation of the same forward pass, with `h = 1e-6`: the
//! truncation error is O(h²) and the rounding error about 1e-16 / h = 1e-10,
//! so the f64 side is exact to far better than f32. The comparison allows
//! `1e-5 + 1e-4·|g|`: the f32 side sums at most a few hundred terms, each
//! rounded to 6e-8 relative.
//!
//! ReLU kinks: a difference quotient across a kink measures neither side's
//! derivative, so a parameter is skipped when any pre-activation changes
//! sign between `θ − h` and `θ + h` (the f64 forward reports its masks).

use proptest::prelude::*;
use saorsa_nn::layers::{relu, relu_backward};
use saorsa_nn::{Dataset, Dense, Mlp, Trainer, loss};

const H: f64 = 1e-6;

fn close(analytic: f32, numeric: f64) -> bool {
    (f64::from(analytic) - numeric).abs() <= 1e-5 + 1e-4 * numeric.abs()
}

fn value() -> impl Strategy<Value = f32> {
    -2.0f32..2.0
}

/// Σ_s Σ_j (x·W + b)[s][j] · r[s][j] in f64, for a 3→4 layer and 2 samples.
fn dense_loss(x: &[[f64; 3]; 2], w: &[[f64; 4]; 3], b: &[f64; 4], r: &[[f32; 4]; 2]) -> f64 {
    let mut l = 0.0;
    for s in 0..2 {
        for j in 0..4 {
            let mut y = b[j];
            for i in 0..3 {
                y += x[s][i] * w[i][j];
            }
            l += y * f64::from(r[s][j]);
        }
    }
    l
}

fn to64<const N: usize>(a: &[f32; N]) -> [f64; N] {
    a.map(f64::from)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Dense layer: input, weight and bias gradients of L = Σ y ⊙ r.
    #[test]
    fn dense_layer_gradients(
        x in prop::array::uniform2(prop::array::uniform3(value())),
        w in prop::array::uniform3(prop::array::uniform4(value())),
        b in prop::array::uniform4(value()),
        r in prop::array::uniform2(prop::array::uniform4(value())),
    ) {
        let layer = Dense::<3, 4> { weights: w, bias: b };
        let mut dx = [[0.0f32; 3]; 2];
        layer.backward_input(&r, &mut dx);
        let mut grad = Dense::<3, 4>::new();
        grad.accumulate_gradient(&x, &r);

        let (x64, w64, b64) = (x.map(|row| to64(&row)), w.map(|row| to64(&row)), to64(&b));
        for i in 0..3 {
            for j in 0..4 {
                let (mut wp, mut wm) = (w64, w64);
                wp[i][j] += H;
                wm[i][j] -= H;
                let n = (dense_loss(&x64, &wp, &b64, &r) - dense_loss(&x64, &wm, &b64, &r)) / (2.0 * H);
                prop_assert!(close(grad.weights[i][j], n), "dW[{i}][{j}] {} vs {n}", grad.weights[i][j]);
            }
        }
        for j in 0..4 {
            let (mut bp, mut bm) = (b64, b64);
            bp[j] += H;
            bm[j] -= H;
            let n = (dense_loss(&x64, &w64, &bp, &r) - dense_loss(&x64, &w64, &bm, &r)) / (2.0 * H);
            prop_assert!(close(grad.bias[j], n), "db[{j}] {} vs {n}", grad.bias[j]);
        }
        for s in 0..2 {
            for i in 0..3 {
                let (mut xp, mut xm) = (x64, x64);
                xp[s][i] += H;
                xm[s][i] -= H;
                let n = (dense_loss(&xp, &w64, &b64, &r) - dense_loss(&xm, &w64, &b64, &r)) / (2.0 * H);
                prop_assert!(close(dx[s][i], n), "dx[{s}][{i}] {} vs {n}", dx[s][i]);
            }
        }
    }

    /// ReLU: gradient of L = Σ relu(z) ⊙ r, away from the kink.
    #[test]
    fn relu_gradient(z in prop::array::uniform8(value()), r in prop::array::uniform8(value())) {
        let mut y = [z];
        relu(&mut y);
        let mut d = [r];
        relu_backward(&y, &mut d);
        for k in 0..8 {
            let zk = f64::from(z[k]);
            if zk.abs() <= H {
                continue; // the kink
            }
            let f = |v: f64| v.max(0.0) * f64::from(r[k]);
            let n = (f(zk + H) - f(zk - H)) / (2.0 * H);
            prop_assert!(close(d[0][k], n), "relu'[{k}] {} vs {n}", d[0][k]);
        }
    }

    /// Softmax + cross-entropy: the fused gradient (p − onehot)/N against the
    /// mean loss, where the probability clip is inactive (the framework's
    /// fused gradient ignores the clip, as the clip's derivative is zero only
    /// where it binds).
    #[test]
    fn softmax_cross_entropy_gradient(
        z in prop::array::uniform3(prop::array::uniform3(-4.0f32..4.0)),
        labels in prop::array::uniform3(0u8..3),
    ) {
        let mut p = z;
        loss::softmax(&mut p);
        loss::softmax_cross_entropy_grad(&mut p, &labels, 3);
        let mean_loss = |z: &[[f64; 3]; 3]| {
            let mut l = 0.0;
            for s in 0..3 {
                let m = z[s].iter().fold(f64::MIN, |a, &b| a.max(b));
                let sum: f64 = z[s].iter().map(|v| (v - m).exp()).sum();
                l += -((z[s][usize::from(labels[s])] - m).exp() / sum).ln();
            }
            l / 3.0
        };
        let z64 = z.map(|row| to64(&row));
        for s in 0..3 {
            for j in 0..3 {
                let (mut zp, mut zm) = (z64, z64);
                zp[s][j] += H;
                zm[s][j] -= H;
                let n = (mean_loss(&zp) - mean_loss(&zm)) / (2.0 * H);
                prop_assert!(close(p[s][j], n), "dz[{s}][{j}] {} vs {n}", p[s][j]);
            }
        }
    }
}

type Net = Mlp<2, 5, 1, 2>;

/// The whole network's mean loss in f64, and the sign pattern of every
/// hidden pre-activation (to detect kinks).
fn net_loss(layers: &[(usize, usize, Vec<f64>, Vec<f64>)], x: &[[f32; 2]], y: &[u8]) -> (f64, Vec<bool>) {
    let mut total = 0.0;
    let mut mask = Vec::new();
    for (xs, &label) in x.iter().zip(y) {
        let mut a: Vec<f64> = xs.iter().map(|&v| f64::from(v)).collect();
        for (k, (fan_in, fan_out, w, b)) in layers.iter().enumerate() {
            let mut z = b.clone();
            for i in 0..*fan_in {
                for j in 0..*fan_out {
                    z[j] += a[i] * w[i * fan_out + j];
                }
            }
            if k + 1 < layers.len() {
                mask.extend(z.iter().map(|&v| v > 0.0));
                a = z.iter().map(|&v| v.max(0.0)).collect();
            } else {
                a = z;
            }
        }
        let m = a.iter().fold(f64::MIN, |p, &q| p.max(q));
        let sum: f64 = a.iter().map(|v| (v - m).exp()).sum();
        total += -((a[usize::from(label)] - m).exp() / sum).ln();
    }
    (total / x.len() as f64, mask)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// The whole 2→5→5→2 network: every parameter's gradient, as the
    /// trainer computes it (micro-batches of 3 over 7 samples), against
    /// finite differences of the mean loss.
    #[test]
    fn whole_network_gradient(
        params in prop::collection::vec(-1.5f32..1.5, Net::PARAMETERS),
        x in prop::collection::vec(prop::array::uniform2(-2.0f32..2.0), 7),
        y in prop::collection::vec(0u8..2, 7),
    ) {
        let mut trainer: Box<Trainer<2, 5, 1, 2, 3>> = Box::default();
        let mut it = params.iter();
        for layer in trainer.model_mut().layers_mut() {
            for (dst, src) in layer.weights.iter_mut().chain(layer.bias.iter_mut()).zip(&mut it) {
                *dst = *src;
            }
        }
        let data = Dataset::new(&x, &y).unwrap();
        trainer.compute_gradient(&data).unwrap();

        let layers: Vec<(usize, usize, Vec<f64>, Vec<f64>)> = trainer
            .model()
            .layers()
            .map(|l| (l.fan_in, l.fan_out, l.weights.iter().map(|&v| f64::from(v)).collect(),
                      l.bias.iter().map(|&v| f64::from(v)).collect()))
            .collect();
        let grads: Vec<(Vec<f32>, Vec<f32>)> =
            trainer.gradient().layers().map(|l| (l.weights.to_vec(), l.bias.to_vec())).collect();
        let mut checked = 0;
        for (k, (gw, gb)) in grads.iter().enumerate() {
            for (is_bias, g) in [(false, gw), (true, gb)] {
                for (idx, &analytic) in g.iter().enumerate() {
                    let perturb = |delta: f64| {
                        let mut l = layers.clone();
                        if is_bias { l[k].3[idx] += delta } else { l[k].2[idx] += delta }
                        net_loss(&l, &x, &y)
                    };
                    let ((lp, mp), (lm, mm)) = (perturb(H), perturb(-H));
                    if mp != mm {
                        continue; // a kink lies between θ − h and θ + h
                    }
                    let n = (lp - lm) / (2.0 * H);
                    prop_assert!(close(analytic, n), "layer {k} bias={is_bias} [{idx}]: {analytic} vs {n}");
                    checked += 1;
                }
            }
        }
        prop_assert!(checked * 10 >= Net::PARAMETERS * 9, "only {checked} parameters checked");
    }
}
