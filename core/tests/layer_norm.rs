//! Layer normalization ([`Normalization::LayerNorm`]): its parameter layout
//! and initialization, its forward formula against a hand calculation, its
//! determinism across micro-batch sizes and arenas, and checkpoint version 2.
//! Its gradient is checked by finite differences in
//! `harness/tests/layer_norm.rs` (proptest lives in the harness).

use saorsa_nn::checkpoint::{NORMALIZED_VERSION, VERSION, read_shape};
use saorsa_nn::kernels::{layer_norm_backward, layer_norm_forward};
use saorsa_nn::shape::{self, LAYER_NORM_EPSILON};
use saorsa_nn::{
    Batching, Error, Init, Network, NetworkTrainer, Normalization, Samples, Shape, data, rng_from_seed,
};
use std::num::NonZeroUsize;

const WIDTHS: [usize; 5] = [2, 16, 8, 12, 3];

fn normalized() -> Shape {
    Shape::new(&WIDTHS).unwrap().with_normalization(Normalization::LayerNorm)
}

fn spirals(n: usize) -> (Vec<f32>, Vec<u8>) {
    let mut x = vec![[0.0f32; 2]; n];
    let mut y = vec![0u8; n];
    data::make_moons(&mut rng_from_seed(5), 0.2, &mut x, &mut y).unwrap();
    // Three classes: split class 1 by the sign of x₂.
    for (xs, ys) in x.iter().zip(y.iter_mut()) {
        if *ys == 1 && xs[1] < -0.2 {
            *ys = 2;
        }
    }
    (x.into_iter().flatten().collect(), y)
}

fn checkpoint_of<S: AsRef<[f32]>>(net: &Network<S>) -> Vec<u8> {
    let mut buf = vec![0u8; net.shape().checkpoint_bytes()];
    assert_eq!(net.encode_checkpoint(&mut buf), Ok(buf.len()));
    buf
}

#[test]
fn layout_and_initialization() {
    let plain = Shape::new(&WIDTHS).unwrap();
    let shape = normalized();
    // Each hidden unit gains a gain and a shift: 2·(16 + 8 + 12).
    assert_eq!(shape.parameter_count(), plain.parameter_count() + 72);
    assert_eq!(shape::layer_norm_parameter_count(&WIDTHS), 72);
    // Normalized values of every hidden unit plus one 1/σ per hidden layer, per sample.
    assert_eq!(shape.workspace_len(4), plain.workspace_len(4) + 4 * (36 + 3));
    assert_eq!(shape.arena_len(4), 4 * shape.parameter_count() + shape.workspace_len(4));
    assert_eq!(shape.checkpoint_bytes(), plain.checkpoint_bytes() + 4 + 4 * 72);

    let inits = [Init::HeNormal, Init::GlorotNormal, Init::HeNormal, Init::GlorotNormal];
    let mut a = Network::new(plain.clone(), vec![0.0; plain.parameter_count()]).unwrap();
    a.init_layers(&inits, &mut rng_from_seed(9)).unwrap();
    let mut b = Network::new(shape.clone(), vec![f32::NAN; shape.parameter_count()]).unwrap();
    b.init_layers(&inits, &mut rng_from_seed(9)).unwrap();
    for (k, (la, lb)) in a.layers().zip(b.layers()).enumerate() {
        // The same standard normals: normalization draws nothing.
        assert_eq!(la.weights, lb.weights, "layer {k}");
        assert_eq!(la.bias, lb.bias, "layer {k}");
        assert!(la.norm.is_none());
        match lb.norm {
            Some(n) => {
                assert!(k + 1 < WIDTHS.len() - 1, "the output layer is never normalized");
                assert!(n.gain.iter().all(|&g| g == 1.0) && n.shift.iter().all(|&s| s == 0.0));
                assert_eq!((n.gain.len(), n.shift.len()), (la.fan_out, la.fan_out));
            }
            None => assert_eq!(k, WIDTHS.len() - 2, "every hidden layer is normalized"),
        }
    }
    // In the flat buffer, layer 1's weights start after layer 0's weights,
    // biases, gains and shifts.
    let p = b.parameters();
    let l1 = b.layer(1);
    assert_eq!(l1.weights.as_ptr(), p[2 * 16 + 16 + 32..].as_ptr());
}

#[test]
fn forward_matches_a_hand_calculation() {
    // Row [1, 2, 3, 4]: μ = 2.5, σ² = (2.25 + 0.25 + 0.25 + 2.25)/4 = 1.25.
    let mut z = [1.0f32, 2.0, 3.0, 4.0, 7.0, 7.0, 7.0, 7.0];
    let gain = [1.0f32, 2.0, 0.5, -1.0];
    let shift = [0.0f32, 0.25, -1.0, 3.0];
    let (mut xhat, mut inv) = ([0.0f32; 8], [0.0f32; 2]);
    layer_norm_forward(&mut z, &gain, &shift, Some((&mut xhat, &mut inv)));
    let r = 1.0 / (1.25f64 + f64::from(LAYER_NORM_EPSILON)).sqrt();
    for j in 0..4 {
        let expect_xhat = (j as f64 + 1.0 - 2.5) * r;
        let expect = expect_xhat * f64::from(gain[j]) + f64::from(shift[j]);
        assert!((f64::from(xhat[j]) - expect_xhat).abs() < 1e-6, "x̂[{j}] {} vs {expect_xhat}", xhat[j]);
        assert!((f64::from(z[j]) - expect).abs() < 1e-6, "y[{j}] {} vs {expect}", z[j]);
    }
    assert!((f64::from(inv[0]) - r).abs() < 1e-6);
    // A constant row has σ² = 0: x̂ = 0 and the output is the shift, finite.
    assert_eq!(&xhat[4..], &[0.0; 4]);
    assert_eq!(&z[4..], &shift);
    assert!((f64::from(inv[1]) - 1.0 / f64::from(LAYER_NORM_EPSILON).sqrt()).abs() < 1e-2);
}

#[test]
fn backward_gives_zero_input_gradient_sum() {
    // The normalized values of a row do not change when a constant is added
    // to every input, so the input gradient of each row sums to zero.
    let mut z = [0.3f32, -1.2, 2.5, 0.7, 1.1, -0.4];
    let gain = [1.5f32, -0.5, 2.0];
    let shift = [0.1f32, 0.0, -0.3];
    let (mut xhat, mut inv) = ([0.0f32; 6], [0.0f32; 2]);
    layer_norm_forward(&mut z, &gain, &shift, Some((&mut xhat, &mut inv)));
    let mut d = [0.9f32, -0.3, 0.4, -1.0, 0.2, 0.5];
    let upstream = d;
    let (mut dgain, mut dshift) = ([0.0f32; 3], [0.0f32; 3]);
    layer_norm_backward(&mut d, &xhat, &inv, &gain, &mut dgain, &mut dshift);
    for row in d.chunks(3) {
        assert!(row.iter().sum::<f32>().abs() < 1e-5, "{row:?}");
    }
    for j in 0..3 {
        assert_eq!(dshift[j], upstream[j] + upstream[3 + j]);
        assert_eq!(dgain[j], upstream[j] * xhat[j] + upstream[3 + j] * xhat[3 + j]);
    }
}

/// Trains a normalized network for 15 epochs and returns every epoch's
/// metric bits and the final checkpoint.
fn train(micro_batch: usize, transposed: bool, batching: Batching) -> (Vec<(u32, u32)>, Vec<u8>) {
    let (x, y) = spirals(90);
    let data = Samples::new(&x, &y, 2, 3).unwrap();
    let shape = normalized();
    let len = if transposed { shape.arena_len_transposed(micro_batch) } else { shape.arena_len(micro_batch) };
    let mut t = NetworkTrainer::new(shape, micro_batch, vec![f32::NAN; len]).unwrap();
    t.init_from_seed(Init::HeNormal, 3).unwrap();
    let metrics = (0..15)
        .map(|_| {
            let m = t.train_epoch(&data, batching).unwrap();
            (m.loss.to_bits(), m.accuracy.to_bits())
        })
        .collect();
    (metrics, checkpoint_of(&t.network()))
}

#[test]
fn training_is_bit_identical_across_micro_batches_and_arenas() {
    let reference = train(1, false, Batching::Full);
    for (b, transposed) in [(3, false), (8, true), (64, true), (90, false), (128, true)] {
        assert_eq!(
            train(b, transposed, Batching::Full),
            reference,
            "micro-batch {b}, transposed {transposed}"
        );
    }
    let mini = Batching::MiniBatch(NonZeroUsize::new(32).unwrap());
    assert_eq!(train(5, true, mini), train(32, false, mini));
    // And it learns: the loss falls.
    let losses: Vec<f32> = reference.0.iter().map(|&(l, _)| f32::from_bits(l)).collect();
    assert!(losses[14] < losses[0], "{losses:?}");
}

#[test]
fn normalization_changes_training() {
    // The same seed and data without normalization train differently (the
    // normalization is really in the path).
    let (x, y) = spirals(90);
    let data = Samples::new(&x, &y, 2, 3).unwrap();
    let plain = Shape::new(&WIDTHS).unwrap();
    let mut t = NetworkTrainer::new(plain.clone(), 8, vec![0.0; plain.arena_len(8)]).unwrap();
    t.init_from_seed(Init::HeNormal, 3).unwrap();
    let first = t.train_epoch(&data, Batching::Full).unwrap();
    assert_ne!(first.loss.to_bits(), train(8, false, Batching::Full).0[0].0);
}

#[test]
fn checkpoint_version_2_round_trips_and_is_told_apart_from_version_1() {
    let shape = normalized();
    let (x, y) = spirals(90);
    let data = Samples::new(&x, &y, 2, 3).unwrap();
    let mut t = NetworkTrainer::new(shape.clone(), 16, vec![0.0; shape.arena_len(16)]).unwrap();
    t.init_from_seed(Init::GlorotNormal, 1).unwrap();
    for _ in 0..5 {
        t.train_epoch(&data, Batching::Full).unwrap();
    }
    let bytes = checkpoint_of(&t.network());
    assert_eq!(&bytes[..4], b"SNN1");
    assert_eq!(u16::from_le_bytes([bytes[4], bytes[5]]), NORMALIZED_VERSION);
    assert_eq!(u16::from_le_bytes([bytes[6], bytes[7]]), 4);
    assert_eq!(u32::from_le_bytes(bytes[8..12].try_into().unwrap()), 1, "normalization code: LayerNorm");
    assert_eq!(u32::from_le_bytes(bytes[12..16].try_into().unwrap()), 2, "first fan-in");
    assert_eq!(read_shape(&bytes), Ok(shape.clone()));
    // The gains follow layer 0's weights and biases (trained: not all 1 any more).
    let body = 12 + 8 * 4;
    let at = |k: usize| f32::from_le_bytes(bytes[body + 4 * k..body + 4 * k + 4].try_into().unwrap());
    let l0 = t.network().layer(0).norm.unwrap().gain.to_vec();
    assert_eq!((0..16).map(|j| at(48 + j)).collect::<Vec<_>>(), l0);
    assert!(l0.iter().any(|&g| g != 1.0));

    let mut back = Network::new(shape.clone(), vec![0.0; shape.parameter_count()]).unwrap();
    back.decode_checkpoint(&bytes).unwrap();
    assert_eq!(back.parameters(), t.parameters());
    assert_eq!(checkpoint_of(&back), bytes);

    // A normalized checkpoint does not load into a plain network, nor a plain one into a normalized network.
    let plain = Shape::new(&WIDTHS).unwrap();
    let mut p = Network::new(plain.clone(), vec![0.0; plain.parameter_count()]).unwrap();
    assert_eq!(p.decode_checkpoint(&bytes), Err(Error::ShapeMismatch));
    p.init_from_seed(Init::HeNormal, 0).unwrap();
    let v1 = checkpoint_of(&p);
    assert_eq!(u16::from_le_bytes([v1[4], v1[5]]), VERSION);
    assert_eq!(read_shape(&v1).map(|s| s.normalization()), Ok(Normalization::None));
    assert_eq!(back.decode_checkpoint(&v1), Err(Error::ShapeMismatch));
    assert_eq!(back.parameters(), t.parameters(), "a refused decode changes nothing");

    // An unknown normalization code, and a version-2 header cut short.
    let mut bad = bytes.clone();
    bad[8] = 7;
    assert_eq!(read_shape(&bad), Err(Error::BadShape));
    assert_eq!(read_shape(&bytes[..10]), Err(Error::BadLength { expected: 12, found: 10 }));
    assert_eq!(
        back.decode_checkpoint(&bytes[..10]),
        Err(Error::BadLength { expected: bytes.len(), found: 10 })
    );
    // A one-layer network has no hidden layer to normalize: nothing changes.
    let one = Shape::new(&[2, 3]).unwrap().with_normalization(Normalization::LayerNorm);
    assert_eq!(
        (one.normalization(), one.parameter_count(), one.checkpoint_bytes()),
        (Normalization::None, 9, 8 + 8 + 36 + 4)
    );
}
