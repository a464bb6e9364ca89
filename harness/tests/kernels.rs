//! Each kernel against its naive reference loop: bit-identical, on random
//! shapes and values (ReLU-sparse inputs, signed zeros, subnormals and
//! huge values included), because both follow the same summation order.

use proptest::prelude::*;
use saorsa_nn::Adam;
use saorsa_nn::kernels::{self, LossTotals, reference};

/// Mostly ordinary values, with exact zeros (as after ReLU), signed zeros,
/// subnormals and large magnitudes mixed in.
fn value() -> impl Strategy<Value = f32> {
    prop_oneof![
        6 => -3.0f32..3.0,
        3 => Just(0.0f32),
        1 => Just(-0.0f32),
        1 => prop_oneof![Just(1e-40f32), Just(-3e-39f32), Just(1e30f32), Just(-7e29f32)],
    ]
}

fn bits(v: &[f32]) -> Vec<u32> {
    v.iter().map(|x| x.to_bits()).collect()
}

fn matrix(max_rows: usize, cols: usize) -> impl Strategy<Value = (usize, Vec<f32>)> {
    (1..=max_rows).prop_flat_map(move |rows| (Just(rows), prop::collection::vec(value(), rows * cols)))
}

/// (n, fan_in, fan_out) and matching x, w, b, dy.
type Case = (usize, usize, usize, Vec<f32>, Vec<f32>, Vec<f32>, Vec<f32>);
fn case() -> impl Strategy<Value = Case> {
    (1usize..=40, 1usize..=70, 1usize..=70).prop_flat_map(|(n, fi, fo)| {
        (
            Just(n),
            Just(fi),
            Just(fo),
            prop::collection::vec(value(), n * fi),
            prop::collection::vec(value(), fi * fo),
            prop::collection::vec(value(), fo),
            prop::collection::vec(value(), n * fo),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn affine_forward((n, _fi, fo, x, w, b, _dy) in case()) {
        let (mut fast, mut slow) = (vec![1.0; n * fo], vec![2.0; n * fo]);
        kernels::affine_forward(&x, &w, &b, &mut fast);
        reference::affine_forward(&x, &w, &b, &mut slow);
        prop_assert_eq!(bits(&fast), bits(&slow));
    }

    #[test]
    fn backward_input((n, fi, fo, _x, w, _b, dy) in case()) {
        let (mut fast, mut slow) = (vec![1.0; n * fi], vec![2.0; n * fi]);
        kernels::backward_input(&dy, &w, &mut fast, fo);
        reference::backward_input(&dy, &w, &mut slow, fo);
        prop_assert_eq!(bits(&fast), bits(&slow));
    }

    #[test]
    fn accumulate_param_grad((_n, fi, fo, x, w, b, dy) in case()) {
        // Start from non-zero accumulators: the kernels add to what is there.
        let (mut fw, mut fb) = (w.clone(), b.clone());
        let (mut sw, mut sb) = (w, b);
        kernels::accumulate_param_grad(&x, &dy, &mut fw, &mut fb);
        reference::accumulate_param_grad(&x, &dy, &mut sw, &mut sb);
        prop_assert_eq!(bits(&fw), bits(&sw));
        prop_assert_eq!(bits(&fb), bits(&sb));
        prop_assert_eq!(fw.len(), fi * fo);
    }

    #[test]
    fn relu_forward_and_backward(y in prop::collection::vec(value(), 0..300), d in prop::collection::vec(value(), 300)) {
        let (mut fast, mut slow) = (y.clone(), y.clone());
        kernels::relu_in_place(&mut fast);
        reference::relu_in_place(&mut slow);
        prop_assert_eq!(bits(&fast), bits(&slow));
        let (mut fd, mut sd) = (d[..y.len()].to_vec(), d[..y.len()].to_vec());
        kernels::relu_backward_in_place(&fast, &mut fd);
        reference::relu_backward_in_place(&slow, &mut sd);
        prop_assert_eq!(bits(&fd), bits(&sd));
    }

    #[test]
    fn softmax_loss_and_gradient(
        classes in 1usize..=5,
        (rows, z) in matrix(30, 5),
        labels in prop::collection::vec(0u8..5, 30),
    ) {
        let z: Vec<f32> = z[..rows * 5].chunks(5).flat_map(|r| r[..classes].to_vec()).collect();
        let labels: Vec<u8> = labels[..rows].iter().map(|&l| l % classes as u8).collect();
        let (mut fast, mut slow) = (z.clone(), z);
        kernels::softmax_rows(&mut fast, classes);
        reference::softmax_rows(&mut slow, classes);
        prop_assert_eq!(bits(&fast), bits(&slow));
        let (mut tf, mut ts) = (LossTotals::default(), LossTotals::default());
        kernels::cross_entropy_accumulate(&fast, &labels, classes, &mut tf);
        reference::cross_entropy_accumulate(&slow, &labels, classes, &mut ts);
        prop_assert_eq!(tf.loss_sum.to_bits(), ts.loss_sum.to_bits());
        prop_assert_eq!((tf.correct, tf.count), (ts.correct, ts.count));
        kernels::softmax_cross_entropy_grad(&mut fast, &labels, classes, rows as f32);
        reference::softmax_cross_entropy_grad(&mut slow, &labels, classes, rows as f32);
        prop_assert_eq!(bits(&fast), bits(&slow));
    }

    #[test]
    fn adam_update(
        t in 1u64..10_000,
        lr in 1e-5f64..1.0,
        theta in prop::collection::vec(value(), 1..200),
        seed in prop::collection::vec(value(), 600),
    ) {
        let n = theta.len();
        let g = seed[..n].to_vec();
        let m = seed[200..200 + n].to_vec();
        let v: Vec<f32> = seed[400..400 + n].iter().map(|x| x.abs()).collect();
        let step = Adam::with_learning_rate(lr).step(t);
        let (mut ft, mut fm, mut fv) = (theta.clone(), m.clone(), v.clone());
        let (mut st, mut sm, mut sv) = (theta, m, v);
        let finite = kernels::adam_update_is_finite(&ft, &g, &fm, &fv, &step);
        kernels::adam_update(&mut ft, &g, &mut fm, &mut fv, &step);
        reference::adam_update(&mut st, &g, &mut sm, &mut sv, &step);
        prop_assert_eq!(bits(&ft), bits(&st));
        prop_assert_eq!(bits(&fm), bits(&sm));
        prop_assert_eq!(bits(&fv), bits(&sv));
        // The check covers the parameters and both moments (a moment that
        // overflows to +inf would freeze its parameter).
        let all_finite = ft.iter().chain(&fm).chain(&fv).all(|x| x.is_finite());
        prop_assert_eq!(finite, all_finite);
    }
}
