//! Training states (`checkpoint::state`): resuming gives the same bits as
//! never stopping, for typed and run-time trainers, every micro-batch size,
//! mini-batches and LayerNorm; the documented byte layout; every refusal,
//! which changes nothing.

use saorsa_nn::checkpoint::state::{self, MAGIC, MAX_STEPS, VERSION};
use saorsa_nn::shape::{self, PAPER_WIDTHS};
use saorsa_nn::{
    Adam, Batching, Dataset, Error, Hyperparameter, Init, Metrics, NetworkTrainer, Normalization, PaperNet,
    PaperTrainer, Samples, Shape, Trainer, crc32, data, rng_from_seed,
};
use std::num::NonZeroUsize;

fn moons(n: usize, seed: u64) -> (Vec<[f32; 2]>, Vec<u8>) {
    let mut x = vec![[0.0f32; 2]; n];
    let mut y = vec![0u8; n];
    data::make_moons(&mut rng_from_seed(seed), 0.18, &mut x, &mut y).unwrap();
    (x, y)
}

/// A metric's bits, for an exact comparison.
fn metric_bits(m: &Metrics) -> (u32, u32, usize, usize) {
    (m.loss.to_bits(), m.accuracy.to_bits(), m.correct, m.samples)
}

fn mini(n: usize) -> Batching {
    Batching::MiniBatch(NonZeroUsize::new(n).unwrap())
}

fn typed_state<const B: usize>(t: &PaperTrainer<B>) -> Vec<u8> {
    let mut buf = vec![0u8; PaperTrainer::<B>::STATE_BYTES];
    assert_eq!(t.encode_state(&mut buf), Ok(buf.len()));
    buf
}

fn run_time_state<S: AsRef<[f32]> + AsMut<[f32]>>(t: &NetworkTrainer<S>) -> Vec<u8> {
    let mut buf = vec![0u8; t.shape().state_bytes()];
    assert_eq!(t.encode_state(&mut buf), Ok(buf.len()));
    buf
}

/// Trains the paper's network `n + m` epochs straight with micro-batches
/// of `A`, and `n` epochs, saves, restores into a zeroed trainer with
/// micro-batches of `B` and trains `m` more: every epoch's metrics, the
/// final state (model, moments, counters) and the straight run's are the
/// same bits.
fn typed_resume<const A: usize, const B: usize>(batching: Batching, n: usize, m: usize, adam: Adam) {
    let (x, y) = moons(150, 3);
    let d = Dataset::new(&x, &y).unwrap();
    let mut straight: Box<PaperTrainer<A>> = Box::default();
    straight.init_from_seed(Init::HeNormal, 4).unwrap();
    straight.set_adam(adam).unwrap();
    let mut first: Box<PaperTrainer<A>> = straight.clone();
    let straight_metrics: Vec<_> =
        (0..n + m).map(|_| metric_bits(&straight.train_epoch(&d, batching).unwrap())).collect();

    for _ in 0..n {
        first.train_epoch(&d, batching).unwrap();
    }
    let saved = typed_state(&first);
    drop(first);
    let mut resumed: Box<PaperTrainer<B>> = Box::default();
    resumed.decode_state(&saved).unwrap();
    assert_eq!(resumed.epochs(), n as u64);
    assert_eq!(resumed.adam(), &adam);
    let resumed_metrics: Vec<_> =
        (0..m).map(|_| metric_bits(&resumed.train_epoch(&d, batching).unwrap())).collect();
    assert_eq!(resumed_metrics, straight_metrics[n..], "A={A} B={B} {batching:?}");
    assert_eq!(resumed.model(), straight.model());
    assert_eq!(resumed.moments(), straight.moments());
    assert_eq!((resumed.steps(), resumed.epochs()), (straight.steps(), straight.epochs()));
    assert_eq!(typed_state(&resumed), typed_state(&straight));
    assert!(straight.steps() > 0 && resumed.moments().1 != &PaperNet::new());
}

#[test]
fn typed_resume_equals_the_uninterrupted_run_for_micro_batches_1_7_32() {
    typed_resume::<1, 1>(Batching::Full, 4, 3, Adam::new());
    typed_resume::<7, 7>(Batching::Full, 4, 3, Adam::new());
    typed_resume::<32, 32>(Batching::Full, 4, 3, Adam::new());
    // Saved with one micro-batch size, resumed with another.
    typed_resume::<1, 32>(Batching::Full, 2, 3, Adam::with_learning_rate(0.01));
    typed_resume::<32, 7>(Batching::Full, 3, 2, Adam::new());
}

#[test]
fn typed_resume_equals_the_uninterrupted_run_with_mini_batches() {
    typed_resume::<7, 1>(mini(16), 3, 2, Adam::new());
    typed_resume::<32, 7>(
        mini(50),
        2,
        2,
        Adam { learning_rate: 0.003, beta1: 0.8, beta2: 0.99, epsilon: 1e-8 },
    );
}

/// The same for a run-time trainer of `shape` with micro-batches
/// `before` then `after`, optionally with room for transposed weights.
fn run_time_resume(shape: &Shape, before: usize, after: usize, batching: Batching, transposed: bool) {
    let features = shape.inputs();
    let classes = shape.classes();
    let count = 90;
    let x: Vec<f32> = (0..count * features).map(|i| ((i * 37 % 23) as f32 - 11.0) / 7.0).collect();
    let y: Vec<u8> = (0..count).map(|i| (i * 7 % classes) as u8).collect();
    let d = Samples::new(&x, &y, features, classes).unwrap();
    let arena = |b: usize| {
        vec![f32::NAN; if transposed { shape.arena_len_transposed(b) } else { shape.arena_len(b) }]
    };
    let inits: Vec<Init> =
        (0..shape.layers()).map(|k| if k == 0 { Init::GlorotNormal } else { Init::HeNormal }).collect();
    let mut straight = NetworkTrainer::new(shape.clone(), before, arena(before)).unwrap();
    straight.init_layers_from_seed(&inits, 9).unwrap();
    let mut first = straight.clone();
    let straight_metrics: Vec<_> =
        (0..7).map(|_| metric_bits(&straight.train_epoch(&d, batching).unwrap())).collect();
    for _ in 0..4 {
        first.train_epoch(&d, batching).unwrap();
    }
    let saved = run_time_state(&first);
    assert_eq!(state::read_shape(&saved).as_ref(), Ok(shape));
    let mut resumed = NetworkTrainer::new(shape.clone(), after, arena(after)).unwrap();
    resumed.decode_state(&saved).unwrap();
    let resumed_metrics: Vec<_> =
        (0..3).map(|_| metric_bits(&resumed.train_epoch(&d, batching).unwrap())).collect();
    let what = format!("{shape} {:?} B {before} -> {after} {batching:?}", shape.normalization());
    assert_eq!(resumed_metrics, straight_metrics[4..], "{what}");
    assert_eq!(resumed.parameters(), straight.parameters(), "{what}");
    assert_eq!(resumed.moments(), straight.moments(), "{what}");
    assert_eq!((resumed.steps(), resumed.epochs()), (straight.steps(), straight.epochs()), "{what}");
    assert_eq!(run_time_state(&resumed), run_time_state(&straight), "{what}");
}

#[test]
fn run_time_resume_equals_the_uninterrupted_run() {
    for norm in [Normalization::None, Normalization::LayerNorm] {
        let shape = Shape::new(&[3, 17, 1, 9, 4]).unwrap().with_normalization(norm);
        for (before, after) in [(1, 1), (7, 7), (32, 32), (1, 7), (32, 1)] {
            run_time_resume(&shape, before, after, Batching::Full, before == 32);
        }
        run_time_resume(&shape, 7, 32, mini(16), true);
        run_time_resume(&shape, 1, 7, mini(64), false);
    }
    let paper = Shape::paper().with_normalization(Normalization::LayerNorm);
    run_time_resume(&paper, 7, 1, Batching::Full, true);
    run_time_resume(&paper, 32, 7, mini(32), false);
}

/// A typed trainer's state restores into a run-time trainer of its shape,
/// and the reverse, with the same bits from then on.
#[test]
fn typed_and_run_time_states_are_interchangeable() {
    let (x, y) = moons(120, 5);
    let d = Dataset::new(&x, &y).unwrap();
    let mut typed: Box<PaperTrainer<4>> = Box::default();
    typed.init_from_seed(Init::GlorotNormal, 2).unwrap();
    for _ in 0..3 {
        typed.train_epoch(&d, Batching::Full).unwrap();
    }
    let shape = Shape::paper();
    assert_eq!(PaperTrainer::<4>::STATE_BYTES, shape.state_bytes());
    let mut run = NetworkTrainer::new(shape.clone(), 7, vec![0.0; shape.arena_len(7)]).unwrap();
    run.decode_state(&typed_state(&typed)).unwrap();
    for _ in 0..2 {
        let a = typed.train_epoch(&d, mini(40)).unwrap();
        let b = run.train_epoch(&d.samples(), mini(40)).unwrap();
        assert_eq!(metric_bits(&a), metric_bits(&b));
    }
    assert_eq!(run_time_state(&run), typed_state(&typed));
    let mut back: Box<PaperTrainer<1>> = Box::default();
    back.decode_state(&run_time_state(&run)).unwrap();
    assert_eq!(back.model(), typed.model());
    assert_eq!(back.moments(), typed.moments());
}

#[test]
fn lengths_are_the_documented_formula() {
    // 64 + 8·L + 12·P, P = 8642 for the paper's network.
    assert_eq!(shape::state_bytes(&PAPER_WIDTHS), 64 + 8 * 4 + 12 * 8642);
    assert_eq!(shape::state_bytes(&PAPER_WIDTHS), 103_800);
    assert_eq!(PaperTrainer::<1>::STATE_BYTES, 103_800);
    assert_eq!(PaperTrainer::<32>::STATE_BYTES, 103_800);
    assert_eq!(Shape::paper().state_bytes(), 103_800);
    assert_eq!(Trainer::<3, 5, 0, 3, 2>::STATE_BYTES, 64 + 16 + 12 * (4 * 5 + 6 * 3));
    // LayerNorm adds a gain and a shift per hidden unit: 2·(17 + 1 + 9).
    let ln = Shape::new(&[3, 17, 1, 9, 4]).unwrap().with_normalization(Normalization::LayerNorm);
    let p = shape::parameter_count(ln.widths()) + 2 * 27;
    assert_eq!(ln.parameter_count(), p);
    assert_eq!(ln.state_bytes(), 64 + 8 * 4 + 12 * p);
}

fn u16_at(b: &[u8], k: usize) -> u16 {
    u16::from_le_bytes([b[k], b[k + 1]])
}
fn u32_at(b: &[u8], k: usize) -> u32 {
    u32::from_le_bytes(b[k..k + 4].try_into().unwrap())
}
fn u64_at(b: &[u8], k: usize) -> u64 {
    u64::from_le_bytes(b[k..k + 8].try_into().unwrap())
}
fn f32s(b: &[u8]) -> Vec<f32> {
    b.chunks_exact(4).map(|c| f32::from_le_bytes(c.try_into().unwrap())).collect()
}

/// The bytes are the module documentation's table, read here field by
/// field, independently of the decoder.
#[test]
fn the_bytes_are_the_documented_layout() {
    let shape = Shape::new(&[3, 5, 2]).unwrap().with_normalization(Normalization::LayerNorm);
    let mut t = NetworkTrainer::new(shape.clone(), 2, vec![0.0; shape.arena_len(2)]).unwrap();
    t.init_from_seed(Init::HeNormal, 1).unwrap();
    let adam = Adam { learning_rate: 0.02, beta1: 0.5, beta2: 0.75, epsilon: 1e-6 };
    t.set_adam(adam).unwrap();
    let x = [0.5f32, -1.0, 2.0, 1.0, 0.0, -0.5, 3.0, 1.5, -2.0];
    let d = Samples::new(&x, &[0, 1, 1], 3, 2).unwrap();
    for _ in 0..3 {
        t.train_epoch(&d, mini(2)).unwrap();
    }
    assert_eq!((t.steps(), t.epochs()), (6, 3));
    let b = run_time_state(&t);
    let p = shape.parameter_count(); // 3·5 + 5 + 2·5 + 5·2 + 2 = 42
    assert_eq!(p, 42);
    assert_eq!(b.len(), 64 + 8 * 2 + 12 * p);
    assert_eq!(&b[..4], b"SNS1");
    assert_eq!((u16_at(&b, 4), u16_at(&b, 6), u32_at(&b, 8)), (1, 2, 1));
    assert_eq!([u32_at(&b, 12), u32_at(&b, 16), u32_at(&b, 20), u32_at(&b, 24)], [3, 5, 5, 2]);
    assert_eq!((u64_at(&b, 28), u64_at(&b, 36)), (6, 3));
    let hyper: Vec<f64> = (0..4).map(|k| f64::from_bits(u64_at(&b, 44 + 8 * k))).collect();
    assert_eq!(hyper, [0.02, 0.5, 0.75, 1e-6]);
    let h = 76; // 60 + 8·L
    assert_eq!(f32s(&b[h..h + 4 * p]), t.parameters());
    assert_eq!(f32s(&b[h + 4 * p..h + 8 * p]), t.moments().0);
    assert_eq!(f32s(&b[h + 8 * p..h + 12 * p]), t.moments().1);
    // The parameters are the weights checkpoint's body (version 2: a 12-byte header).
    let mut weights = vec![0u8; shape.checkpoint_bytes()];
    t.encode_checkpoint(&mut weights).unwrap();
    assert_eq!(&b[h..h + 4 * p], &weights[12 + 16..weights.len() - 4]);
    assert_eq!(u32_at(&b, b.len() - 4), crc32(&b[..b.len() - 4]));
    // Without normalization the code is 0.
    let plain = Shape::new(&[3, 5, 2]).unwrap();
    let t0 = NetworkTrainer::new(plain.clone(), 1, vec![0.0; plain.arena_len(1)]).unwrap();
    assert_eq!(u32_at(&run_time_state(&t0), 8), 0);
    assert_eq!((MAGIC, VERSION, MAX_STEPS), (*b"SNS1", 1, 1 << 53));
}

/// `bytes` with its CRC-32 trailer recomputed, so that a change reaches
/// the checks after the checksum.
fn resealed(mut bytes: Vec<u8>) -> Vec<u8> {
    let n = bytes.len() - 4;
    let crc = crc32(&bytes[..n]);
    bytes[n..].copy_from_slice(&crc.to_le_bytes());
    bytes
}

/// Every refusal, in the documented order, leaves a trainer exactly as it
/// was (its whole state re-encodes to the same bytes).
#[test]
fn every_decode_error_is_refused_and_changes_nothing() {
    type Small = Trainer<2, 8, 1, 2, 3>;
    let (x, y) = moons(40, 2);
    let d = Dataset::new(&x, &y).unwrap();
    let mut source: Box<Small> = Box::default();
    source.init_from_seed(Init::HeNormal, 1).unwrap();
    for _ in 0..3 {
        source.train_epoch(&d, Batching::Full).unwrap();
    }
    let mut good = vec![0u8; Small::STATE_BYTES];
    source.encode_state(&mut good).unwrap();
    let len = good.len();
    let p = Mlp8::PARAMETERS;
    let h = 60 + 8 * 3;

    let mut target: Box<Small> = Box::default();
    target.init_from_seed(Init::GlorotNormal, 7).unwrap();
    target.train_epoch(&d, Batching::Full).unwrap();
    let mut before = vec![0u8; len];
    target.encode_state(&mut before).unwrap();

    let with = |f: &dyn Fn(&mut Vec<u8>)| {
        let mut b = good.clone();
        f(&mut b);
        b
    };
    let put_u64 = |b: &mut Vec<u8>, at: usize, v: u64| b[at..at + 8].copy_from_slice(&v.to_le_bytes());
    let put_f32 = |b: &mut Vec<u8>, at: usize, v: f32| b[at..at + 4].copy_from_slice(&v.to_le_bytes());
    let cases: Vec<(&str, Vec<u8>, Error)> = vec![
        ("empty", vec![], Error::BadLength { expected: len, found: 0 }),
        ("11 bytes", good[..11].to_vec(), Error::BadLength { expected: len, found: 11 }),
        ("weights magic", with(&|b| b[3] = b'0'), Error::BadMagic),
        ("SNN1", with(&|b| b[..4].copy_from_slice(b"SNN1")), Error::BadMagic),
        ("version 2", with(&|b| b[4] = 2), Error::UnsupportedVersion(2)),
        ("version 0", with(&|b| b[4] = 0), Error::UnsupportedVersion(0)),
        ("normalization code 2", with(&|b| b[8] = 2), Error::BadShape),
        ("LayerNorm into a plain trainer", with(&|b| b[8] = 1), Error::ShapeMismatch),
        ("4 layers", with(&|b| b[6] = 4), Error::ShapeMismatch),
        ("cut in the shapes", good[..20].to_vec(), Error::BadLength { expected: len, found: 20 }),
        ("fan-out 9", with(&|b| b[16] = 9), Error::ShapeMismatch),
        ("one byte short", good[..len - 1].to_vec(), Error::BadLength { expected: len, found: len - 1 }),
        ("one byte more", with(&|b| b.push(0)), Error::BadLength { expected: len, found: len + 1 }),
        ("a flipped bit", with(&|b| b[h + 5] ^= 4), Error::ChecksumMismatch),
        ("a flipped CRC bit", with(&|b| b[len - 1] ^= 128), Error::ChecksumMismatch),
        (
            "learning rate 0",
            resealed(with(&|b| put_u64(b, 52, 0.0f64.to_bits()))),
            Error::BadHyperparameter(Hyperparameter::LearningRate),
        ),
        (
            "beta2 1",
            resealed(with(&|b| put_u64(b, 68, 1.0f64.to_bits()))),
            Error::BadHyperparameter(Hyperparameter::Beta2),
        ),
        (
            "epsilon NaN",
            resealed(with(&|b| put_u64(b, 76, f64::NAN.to_bits()))),
            Error::BadHyperparameter(Hyperparameter::Epsilon),
        ),
        ("steps above 2^53", resealed(with(&|b| put_u64(b, 36, MAX_STEPS + 1))), Error::BadState),
        ("epochs above steps", resealed(with(&|b| put_u64(b, 44, 4))), Error::BadState),
        ("a NaN weight", resealed(with(&|b| put_f32(b, h, f32::NAN))), Error::NonFiniteParameter),
        (
            "an infinite bias",
            resealed(with(&|b| put_f32(b, h + 4 * (p - 1), f32::INFINITY))),
            Error::NonFiniteParameter,
        ),
        (
            "an infinite first moment",
            resealed(with(&|b| put_f32(b, h + 4 * p, f32::NEG_INFINITY))),
            Error::BadState,
        ),
        ("a NaN second moment", resealed(with(&|b| put_f32(b, h + 8 * p + 4, f32::NAN))), Error::BadState),
        ("a negative second moment", resealed(with(&|b| put_f32(b, len - 8, -1e-9))), Error::BadState),
        ("a -0 second moment", resealed(with(&|b| put_f32(b, len - 8, -0.0))), Error::BadState),
    ];
    for (what, bytes, error) in &cases {
        assert_eq!(target.decode_state(bytes), Err(*error), "{what}");
        let mut after = vec![0u8; len];
        target.encode_state(&mut after).unwrap();
        assert!(after == before, "{what}: a refused state changed the trainer");
        assert_eq!((target.steps(), target.epochs()), (1, 1), "{what}");
    }
    // The run-time trainer of the same shape refuses them alike.
    let shape = Mlp8::shape();
    let mut run = NetworkTrainer::new(shape.clone(), 2, vec![0.0; shape.arena_len(2)]).unwrap();
    run.decode_state(&before).unwrap();
    for (what, bytes, error) in &cases {
        assert_eq!(run.decode_state(bytes), Err(*error), "run-time: {what}");
        assert_eq!(run_time_state(&run), before, "run-time: {what}: a refused state changed the trainer");
    }
    // And the ones that are fine: a state with steps = 2^53 and epochs = steps.
    let edge = resealed(with(&|b| {
        put_u64(b, 36, MAX_STEPS);
        put_u64(b, 44, MAX_STEPS);
    }));
    target.decode_state(&edge).unwrap();
    assert_eq!((target.steps(), target.epochs()), (MAX_STEPS, MAX_STEPS));
    assert!(target.train_epoch(&d, Batching::Full).is_ok());
    target.decode_state(&good).unwrap();
    assert_eq!(target.model(), source.model());
}

type Mlp8 = saorsa_nn::Mlp<2, 8, 1, 2>;

#[test]
fn encode_errors_write_nothing() {
    let mut t: Box<PaperTrainer<1>> = Box::default();
    t.init_from_seed(Init::HeNormal, 0).unwrap();
    let mut short = vec![7u8; PaperTrainer::<1>::STATE_BYTES - 1];
    assert_eq!(t.encode_state(&mut short), Err(Error::BufferTooSmall { needed: 103_800 }));
    assert!(short.iter().all(|&b| b == 7));
    t.model_mut().output.bias[1] = f32::NAN;
    let mut buf = vec![7u8; PaperTrainer::<1>::STATE_BYTES + 5];
    assert_eq!(t.encode_state(&mut buf), Err(Error::NonFiniteParameter));
    assert!(buf.iter().all(|&b| b == 7));
    t.model_mut().output.bias[1] = 0.0;
    assert_eq!(t.encode_state(&mut buf), Ok(103_800));
    assert!(buf[103_800..].iter().all(|&b| b == 7), "wrote past its length");
    // A zeroed trainer's state is valid too (step 0, zero moments, defaults).
    let zero: Box<PaperTrainer<1>> = Box::default();
    let mut bytes = typed_state(&zero);
    let mut other: Box<PaperTrainer<2>> = Box::default();
    other.decode_state(&bytes).unwrap();
    assert_eq!(other.adam(), &Adam::new());
    assert_eq!(other.model(), &PaperNet::new());
    bytes[0] = b'X';
    assert_eq!(other.decode_state(&bytes), Err(Error::BadMagic));
}

#[test]
fn read_shape_checks_the_header() {
    let shape = Shape::new(&[4, 6, 3]).unwrap();
    let t = NetworkTrainer::new(shape.clone(), 1, vec![0.0; shape.arena_len(1)]).unwrap();
    let good = run_time_state(&t);
    assert_eq!(state::read_shape(&good), Ok(shape.clone()));
    let with = |k: usize, v: u8| {
        let mut b = good.clone();
        b[k] = v;
        b
    };
    assert_eq!(state::read_shape(&good[..11]), Err(Error::BadLength { expected: 12, found: 11 }));
    assert_eq!(state::read_shape(&with(0, b'X')), Err(Error::BadMagic));
    assert_eq!(state::read_shape(&with(5, 1)), Err(Error::UnsupportedVersion(257)));
    assert_eq!(state::read_shape(&with(8, 3)), Err(Error::BadShape));
    assert_eq!(state::read_shape(&with(6, 0)), Err(Error::BadShape));
    assert_eq!(state::read_shape(&with(6, 65)), Err(Error::BadShape));
    assert_eq!(state::read_shape(&good[..20]), Err(Error::BadLength { expected: 28, found: 20 }));
    assert_eq!(state::read_shape(&with(20, 7)), Err(Error::BadShape)); // fan-in 7 after fan-out 6
    assert_eq!(state::read_shape(&with(24, 1)), Err(Error::BadShape)); // one class
    // One layer cannot be normalized.
    let one = Shape::new(&[4, 3]).unwrap();
    let t1 = NetworkTrainer::new(one.clone(), 1, vec![0.0; one.arena_len(1)]).unwrap();
    let mut b = run_time_state(&t1);
    assert_eq!(state::read_shape(&b), Ok(one));
    b[8] = 1;
    assert_eq!(state::read_shape(&b), Err(Error::BadShape));
    // The weights checkpoint is not a state.
    let mut weights = vec![0u8; shape.checkpoint_bytes()];
    t.encode_checkpoint(&mut weights).unwrap();
    assert_eq!(state::read_shape(&weights), Err(Error::BadMagic));
}

#[test]
fn init_and_reset_start_the_counters_again() {
    let (x, y) = moons(30, 1);
    let d = Dataset::new(&x, &y).unwrap();
    let mut t: Box<Trainer<2, 8, 0, 2, 4>> = Box::default();
    t.init_from_seed(Init::HeNormal, 0).unwrap();
    t.train_epoch(&d, mini(7)).unwrap();
    assert_eq!((t.steps(), t.epochs()), (5, 1));
    t.compute_gradient(&d).unwrap();
    t.step().unwrap();
    assert_eq!((t.steps(), t.epochs()), (6, 1));
    t.reset_optimizer();
    assert_eq!((t.steps(), t.epochs()), (0, 0));
    t.train_epoch(&d, Batching::Full).unwrap();
    t.init_from_seed(Init::HeNormal, 0).unwrap();
    assert_eq!((t.steps(), t.epochs()), (0, 0));
}
