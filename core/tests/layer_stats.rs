//! Per-layer statistics ([`LayerStats`]): training with observation gives the
//! same bits as without (both trainers, with and without LayerNorm, full and
//! mini-batch), the statistics do not depend on the micro-batch size, and
//! they match an independent NumPy computation
//! (`reference/layer_stats.py`, output in `reference/layer_stats.txt`).

use saorsa_nn::{
    Batching, Dataset, Error, Init, LayerStats, Network, NetworkTrainer, Normalization, PaperTrainer,
    Samples, Shape, crc32, data, rng_from_seed,
};
use std::num::NonZeroUsize;

fn moons(n: usize, seed: u64) -> (Vec<[f32; 2]>, Vec<u8>) {
    let mut x = vec![[0.0f32; 2]; n];
    let mut y = vec![0u8; n];
    data::make_moons(&mut rng_from_seed(seed), 0.18, &mut x, &mut y).unwrap();
    (x, y)
}

fn state_crc<S: AsRef<[f32]> + AsMut<[f32]>>(t: &NetworkTrainer<S>) -> u32 {
    let mut buf = vec![0u8; t.shape().state_bytes()];
    t.encode_state(&mut buf).unwrap();
    crc32(&buf)
}

fn batchings() -> [Batching; 2] {
    [Batching::Full, Batching::MiniBatch(NonZeroUsize::new(32).unwrap())]
}

/// The run-time trainer: the training state (weights, moments, counters)
/// after several epochs has the same CRC, and the metrics the same bits,
/// with and without observation, with and without LayerNorm.
#[test]
fn network_trainer_training_is_bit_identical_with_observation() {
    let (x, y) = moons(150, 3);
    let flat: Vec<f32> = x.iter().flatten().copied().collect();
    let data = Samples::new(&flat, &y, 2, 2).unwrap();
    for norm in [Normalization::None, Normalization::LayerNorm] {
        let shape = Shape::new(&[2, 64, 64, 64, 2]).unwrap().with_normalization(norm);
        for batching in batchings() {
            for init in [Init::HeNormal, Init::GlorotNormal, Init::SmallNormal { std: 0.01 }] {
                let new = |b: usize| {
                    let mut t =
                        NetworkTrainer::new(shape.clone(), b, vec![0.0f32; shape.arena_len_transposed(b)])
                            .unwrap();
                    t.init_from_seed(init, 11).unwrap();
                    t
                };
                let (mut plain, mut seen) = (new(16), new(7));
                let mut stats = vec![LayerStats::new(); shape.layers()];
                for _ in 0..6 {
                    let a = plain.train_epoch(&data, batching).unwrap();
                    let b = seen.train_epoch_observed(&data, batching, &mut stats).unwrap();
                    assert_eq!(
                        (a.loss.to_bits(), a.accuracy.to_bits()),
                        (b.loss.to_bits(), b.accuracy.to_bits())
                    );
                }
                assert_eq!(state_crc(&plain), state_crc(&seen), "{norm:?} {batching:?} {init:?}");
                assert_eq!(plain.parameters(), seen.parameters());
                let steps = if batching == Batching::Full { 6 } else { 6 * 5 };
                assert!(stats.iter().all(|s| s.steps == steps && s.pre_sd().is_finite()));
            }
        }
    }
}

/// The compile-time trainer: the same, through its checkpoint's CRC and its
/// training state.
#[test]
fn trainer_training_is_bit_identical_with_observation() {
    let (x, y) = moons(150, 5);
    let data = Dataset::new(&x, &y).unwrap();
    for batching in batchings() {
        for init in [Init::HeNormal, Init::GlorotUniform, Init::SmallNormal { std: 0.01 }] {
            let mut plain: Box<PaperTrainer<8>> = Box::default();
            let mut seen: Box<PaperTrainer<3>> = Box::default();
            plain.init_from_seed(init, 2).unwrap();
            seen.init_from_seed(init, 2).unwrap();
            let mut stats = [LayerStats::new(); 4];
            let mut at_init = [LayerStats::new(); 4];
            seen.observe(&data, &mut at_init).unwrap();
            assert_eq!(seen.steps(), 0);
            for _ in 0..6 {
                plain.train_epoch(&data, batching).unwrap();
                seen.train_epoch_observed(&data, batching, &mut stats).unwrap();
            }
            let crc = |m: &saorsa_nn::PaperNet| {
                let mut buf = vec![0u8; saorsa_nn::PaperNet::CHECKPOINT_BYTES];
                m.encode_checkpoint(&mut buf).unwrap();
                crc32(&buf)
            };
            assert_eq!(crc(plain.model()), crc(seen.model()), "{batching:?} {init:?}");
            let state = |t: &dyn Fn(&mut [u8]) -> usize| {
                let mut buf = vec![0u8; PaperTrainer::<1>::STATE_BYTES];
                t(&mut buf);
                buf
            };
            assert_eq!(state(&|b| plain.encode_state(b).unwrap()), state(&|b| seen.encode_state(b).unwrap()));
        }
    }
}

/// An observation at initialization equals the first full-batch epoch's
/// (both see the initial weights), and neither depends on the micro-batch
/// size, bit for bit.
#[test]
fn statistics_do_not_depend_on_the_micro_batch_size() {
    let (x, y) = moons(100, 8);
    let flat: Vec<f32> = x.iter().flatten().copied().collect();
    let data = Samples::new(&flat, &y, 2, 2).unwrap();
    let shape = Shape::new(&[2, 16, 12, 2]).unwrap().with_normalization(Normalization::LayerNorm);
    let run = |b: usize| {
        let mut t = NetworkTrainer::new(shape.clone(), b, vec![0.0f32; shape.arena_len(b)]).unwrap();
        t.init_from_seed(Init::HeNormal, 4).unwrap();
        let mut init = vec![LayerStats::new(); 3];
        t.observe(&data, &mut init).unwrap();
        let mut first = vec![LayerStats::new(); 3];
        t.train_epoch_observed(&data, Batching::Full, &mut first).unwrap();
        assert_eq!(init, first);
        first
    };
    let one = run(1);
    assert_eq!(one, run(7));
    assert_eq!(one, run(100));
}

/// The same with wide layers: at micro-batch 40 the observer holds the first
/// hidden layer's pre-activations (40 × 300 values) to sum beside the
/// gradient passed down to them, but not the second's (it holds at most
/// 16384 values on a hosted target), whose statistics are summed as they
/// come; at micro-batch 1 it holds both. Their units straddle the
/// per-unit flags' 64-bit words (300 = 4·64 + 44).
#[test]
fn statistics_do_not_depend_on_what_the_observer_holds() {
    let (x, y) = moons(120, 3);
    let flat: Vec<f32> = x.iter().flatten().copied().collect();
    let data = Samples::new(&flat, &y, 2, 2).unwrap();
    let shape = Shape::new(&[2, 300, 300, 2]).unwrap();
    let run = |b: usize| {
        let mut t = NetworkTrainer::new(shape.clone(), b, vec![0.0f32; shape.arena_len(b)]).unwrap();
        t.init_from_seed(Init::HeNormal, 2).unwrap();
        let mut stats = vec![LayerStats::new(); 3];
        for _ in 0..2 {
            t.train_epoch_observed(&data, Batching::Full, &mut stats).unwrap();
        }
        stats
    };
    let one = run(1);
    assert!(one[1].zeros > 0 && one[1].steps == 2);
    assert_eq!(one, run(40));
}

/// `stats` must hold one entry per layer; otherwise nothing changes.
#[test]
fn wrong_number_of_stats_is_refused() {
    let shape = Shape::new(&[2, 8, 2]).unwrap();
    let mut t = NetworkTrainer::new(shape.clone(), 2, vec![0.0f32; shape.arena_len(2)]).unwrap();
    t.init_from_seed(Init::HeNormal, 0).unwrap();
    let data = Samples::new(&[0.5, 1.0, -1.0, 0.0], &[1, 0], 2, 2).unwrap();
    let before = t.parameters().to_vec();
    let mut three = [LayerStats::new(); 3];
    assert_eq!(t.train_epoch_observed(&data, Batching::Full, &mut three), Err(Error::BadShape));
    assert_eq!(t.observe(&data, &mut three[..1]), Err(Error::BadShape));
    assert_eq!((t.parameters(), t.epochs()), (&before[..], 0));
    assert_eq!(three, [LayerStats::new(); 3]);
}

/// The parameters of `reference/layer_stats.py`: `((37 i mod 23) − 11)/16`
/// in checkpoint order, gains `1 + ((i mod 5) − 2)/8`.
fn reference_params(shape: &Shape) -> Vec<f32> {
    let mut p: Vec<f32> =
        (0..shape.parameter_count()).map(|i| ((37 * i) % 23) as f32 / 16.0 - 11.0 / 16.0).collect();
    let mut i = 0;
    let normalized = shape.normalization() == Normalization::LayerNorm;
    for k in 0..shape.layers() {
        let (fi, fo) = shape.layer(k);
        i += fi * fo + fo;
        if normalized && k + 1 < shape.layers() {
            for (j, v) in p[i..i + fo].iter_mut().enumerate() {
                *v = 1.0 + (((i + j) % 5) as f32 - 2.0) / 8.0;
            }
            i += 2 * fo;
        }
    }
    p
}

fn close(got: f64, want: f64, what: &str) {
    assert!((got - want).abs() <= 2e-6 * want.abs().max(1e-2), "{what}: {got:e} vs NumPy's {want:e}");
}

/// Every statistic against NumPy's, within f32 rounding.
#[test]
fn statistics_match_numpy() {
    let text = include_str!("reference/layer_stats.txt");
    let cases: [(&str, &[usize], bool, usize); 3] = [
        ("plain", &[3, 5, 4, 2], false, 7),
        ("norm", &[3, 6, 5, 2], true, 9),
        ("wide", &[6, 9, 3], false, 5),
    ];
    let mut checked = 0;
    for (name, widths, norm, n) in cases {
        let mut shape = Shape::new(widths).unwrap();
        if norm {
            shape = shape.with_normalization(Normalization::LayerNorm);
        }
        let params = reference_params(&shape);
        assert_eq!(((37 * 11) % 23) as f32 / 16.0 - 11.0 / 16.0, ((37 * 11) % 23 - 11) as f32 / 16.0);
        let net = Network::new(shape.clone(), &params[..]).unwrap();
        let mut bytes = vec![0u8; shape.checkpoint_bytes()];
        net.encode_checkpoint(&mut bytes).unwrap();
        let f = widths[0];
        let x: Vec<f32> = (0..n * f).map(|j| ((13 * j) % 11) as f32 / 4.0 - 5.0 / 4.0).collect();
        let y: Vec<u8> = (0..n).map(|j| (j % 2) as u8).collect();
        let classes = widths[widths.len() - 1];
        let data = Samples::new(&x, &y, f, classes).unwrap();
        for b in [1, 3, n] {
            let mut t =
                NetworkTrainer::new(shape.clone(), b, vec![0.0f32; shape.arena_len_transposed(b)]).unwrap();
            t.decode_checkpoint(&bytes).unwrap();
            let mut stats = vec![LayerStats::new(); shape.layers()];
            t.observe(&data, &mut stats).unwrap();
            for line in text.lines().filter(|l| l.split(' ').next() == Some(name)) {
                let v: Vec<&str> = line.split(' ').collect();
                let k: usize = v[1].parse().unwrap();
                let num = |i: usize| v[i].parse::<f64>().unwrap();
                let s = &stats[k];
                let what = |m: &str| format!("{name} layer {k} {m} (B = {b})");
                close(s.pre_mean(), num(2), &what("pre_mean"));
                close(s.pre_sd(), num(3), &what("pre_sd"));
                close(s.act_mean(), num(4), &what("act_mean"));
                close(s.act_sd(), num(5), &what("act_sd"));
                close(s.zero_fraction(), num(6), &what("zero_fraction"));
                assert_eq!(s.dead_units, v[7].parse::<u64>().unwrap(), "{}", what("dead_units"));
                close(s.weight_norm(), num(8), &what("weight_norm"));
                close(s.weight_grad_norm(), num(9), &what("weight_grad_norm"));
                close(s.input_grad_norm(), num(10), &what("input_grad_norm"));
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 3 * (3 + 3 + 2));
}
