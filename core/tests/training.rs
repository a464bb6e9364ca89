//! Training: B-invariance, metrics semantics, Adam, error paths that change nothing.

use saorsa_nn::kernels::{self, AdamStep};
use saorsa_nn::{
    Adam, Batching, Dataset, Error, Hyperparameter, Init, Mlp, PaperNet, PaperTrainer, Trainer, data,
    rng_from_seed,
};
use std::num::NonZeroUsize;

fn moons(n: usize, seed: u64) -> (Vec<[f32; 2]>, Vec<u8>) {
    let mut x = vec![[0.0f32; 2]; n];
    let mut y = vec![0u8; n];
    data::make_moons(&mut rng_from_seed(seed), 0.18, &mut x, &mut y).unwrap();
    (x, y)
}

fn trainer<const B: usize>(init: Init, seed: u64) -> Box<PaperTrainer<B>> {
    let mut t: Box<PaperTrainer<B>> = Box::default();
    t.init_from_seed(init, seed).unwrap();
    t
}

fn bits(net: &PaperNet) -> Vec<u32> {
    net.layers().flat_map(|l| l.weights.iter().chain(l.bias).map(|v| v.to_bits())).collect()
}

/// The gradient, and therefore the whole run, is bit-identical for every
/// micro-batch size: 1, 7 (does not divide 150) and 32.
#[test]
fn gradient_and_training_are_bit_identical_for_every_micro_batch_size() {
    let (x, y) = moons(150, 3);
    let d = Dataset::new(&x, &y).unwrap();
    let mut t1 = trainer::<1>(Init::HeNormal, 4);
    let mut t7 = trainer::<7>(Init::HeNormal, 4);
    let mut t32 = trainer::<32>(Init::HeNormal, 4);
    for _ in 0..5 {
        let m1 = t1.train_epoch(&d, Batching::Full).unwrap();
        let m7 = t7.train_epoch(&d, Batching::Full).unwrap();
        let m32 = t32.train_epoch(&d, Batching::Full).unwrap();
        assert_eq!(m1.loss.to_bits(), m7.loss.to_bits());
        assert_eq!(m1.loss.to_bits(), m32.loss.to_bits());
        assert_eq!(m1.correct, m32.correct);
        assert_eq!(bits(t1.gradient()), bits(t7.gradient()));
        assert_eq!(bits(t1.gradient()), bits(t32.gradient()));
        assert_eq!(bits(t1.model()), bits(t32.model()));
        assert_eq!(bits(t7.model()), bits(t32.model()));
    }
    assert!(bits(t1.gradient()).iter().any(|&b| b != 0));
}

/// The metrics of an epoch are those of the weights before its update, and
/// `Mlp::evaluate` (one sample at a time) reproduces them bit for bit.
#[test]
fn epoch_metrics_are_from_before_the_update_and_match_evaluate() {
    let (x, y) = moons(120, 9);
    let d = Dataset::new(&x, &y).unwrap();
    let mut t = trainer::<16>(Init::GlorotNormal, 0);
    for _ in 0..3 {
        let before = t.model().evaluate(&d);
        let reported = t.train_epoch(&d, Batching::Full).unwrap();
        assert_eq!(before, reported);
        assert_ne!(t.model().evaluate(&d).loss, reported.loss);
    }
    assert_eq!(t.steps(), 3);
}

#[test]
fn training_reduces_the_loss_on_two_moons() {
    let (x, y) = moons(300, 1);
    let d = Dataset::new(&x, &y).unwrap();
    let mut t = trainer::<32>(Init::GlorotNormal, 0);
    let first = t.train_epoch(&d, Batching::Full).unwrap();
    for _ in 0..150 {
        t.train_epoch(&d, Batching::Full).unwrap();
    }
    let last = t.model().evaluate(&d);
    assert!(last.loss < 0.8 * first.loss, "{first:?} -> {last:?}");
    assert!(last.accuracy > 0.8, "{last:?}");
}

/// Mini-batches step every n samples, in order, each averaging over its own
/// size; the epoch's metrics accumulate the pre-update passes.
#[test]
fn mini_batches_match_steps_taken_by_hand() {
    let (x, y) = moons(50, 2);
    let d = Dataset::new(&x, &y).unwrap();
    let mut auto = trainer::<4>(Init::HeNormal, 1);
    let mut hand = trainer::<8>(Init::HeNormal, 1);
    let m = auto.train_epoch(&d, Batching::MiniBatch(NonZeroUsize::new(16).unwrap())).unwrap();
    let (mut loss_sum, mut correct) = (0.0f32, 0);
    for (bx, by) in x.chunks(16).zip(y.chunks(16)) {
        let mb = hand.compute_gradient(&Dataset::new(bx, by).unwrap()).unwrap();
        hand.step().unwrap();
        // The trainer adds exact loss sums; mean × count is within rounding of them.
        loss_sum += mb.loss * mb.samples as f32;
        correct += mb.correct;
    }
    assert_eq!(auto.steps(), 4);
    assert_eq!(bits(auto.model()), bits(hand.model()));
    assert_eq!(m.correct, correct);
    assert_eq!(m.samples, 50);
    assert!((m.loss - loss_sum / 50.0).abs() < 1e-5 * m.loss);
}

#[test]
fn adam_matches_a_hand_computed_two_step_example() {
    // θ = 1, gradients 0.5 then −0.25, lr 0.1, β1 0.9, β2 0.999, ε 1e-7.
    // By hand (in exact arithmetic, see below): θ1 = 1 − 0.1·0.5/(0.5 + 1e-7) = 0.90000002,
    // then m = 0.02, v = 0.00031225, m̂ = 0.02/0.19, v̂ = 0.00031225/0.001999,
    // θ2 = θ1 − 0.1·m̂/(√v̂ + 1e-7) = 0.8733663228.
    let adam = Adam { learning_rate: 0.1, ..Adam::new() };
    let (mut theta, mut m, mut v) = ([1.0f32], [0.0f32], [0.0f32]);
    for (t, g, expected) in [(1, 0.5f32, 0.900000019999996f64), (2, -0.25, 0.873366322772819)] {
        let step: AdamStep = adam.step(t);
        kernels::adam_update(&mut theta, &[g], &mut m, &mut v, &step);
        assert!((f64::from(theta[0]) - expected).abs() < 2e-7, "step {t}: {}", theta[0]);
    }
    // f32 arithmetic: a few ulps (relative 1e-6) from the exact values.
    assert!((m[0] - 0.02).abs() < 1e-6 * 0.02, "m = {}", m[0]);
    assert!((v[0] - 0.00031225).abs() < 1e-6 * 0.00031225, "v = {}", v[0]);
}

/// Found by the `train_step` fuzz target: a finite gradient whose square
/// overflows made the second moment +∞ (freezing the parameter) in a step
/// reported as successful. A non-finite moment now refuses the step.
#[test]
fn an_overflowing_second_moment_refuses_the_step() {
    let step = Adam::new().step(1);
    let (theta, m, v) = ([0.5f32], [0.0f32], [0.0f32]);
    assert!(kernels::adam_update_is_finite(&theta, &[1e3], &m, &v, &step));
    assert!(!kernels::adam_update_is_finite(&theta, &[1e20], &m, &v, &step));
    assert!(!kernels::adam_update_is_finite(&theta, &[3e38], &m, &v, &step));
}

#[test]
fn adam_hyperparameters_are_validated() {
    let mut t = trainer::<1>(Init::HeNormal, 0);
    let cases = [
        (Adam { learning_rate: 0.0, ..Adam::new() }, Hyperparameter::LearningRate),
        (Adam { learning_rate: f64::NAN, ..Adam::new() }, Hyperparameter::LearningRate),
        (Adam { beta1: 1.0, ..Adam::new() }, Hyperparameter::Beta1),
        (Adam { beta2: -0.1, ..Adam::new() }, Hyperparameter::Beta2),
        (Adam { epsilon: 0.0, ..Adam::new() }, Hyperparameter::Epsilon),
        // Positive in f64 but zero once rounded to the f32 the step uses.
        (Adam { learning_rate: 1e-46, ..Adam::new() }, Hyperparameter::LearningRate),
        (Adam { epsilon: 1e-46, ..Adam::new() }, Hyperparameter::Epsilon),
    ];
    for (adam, h) in cases {
        assert_eq!(t.set_adam(adam), Err(Error::BadHyperparameter(h)));
        assert_eq!(*t.adam(), Adam::new());
    }
    assert!(t.set_adam(Adam::with_learning_rate(0.01)).is_ok());
    // The smallest positive f32 (a subnormal) is still a usable rate.
    assert!(t.set_adam(Adam { learning_rate: 1.5e-45, epsilon: 1.5e-45, ..Adam::new() }).is_ok());
    assert_eq!(Adam::new(), Adam { learning_rate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
}

#[test]
fn non_finite_data_and_bad_labels_are_rejected_with_their_index() {
    let (mut x, mut y) = moons(20, 1);
    x[7][1] = f32::NAN;
    assert_eq!(Dataset::<2, 2>::new(&x, &y).unwrap_err(), Error::NonFiniteInput { index: 7 });
    x[7][1] = f32::NEG_INFINITY;
    assert_eq!(Dataset::<2, 2>::new(&x, &y).unwrap_err(), Error::NonFiniteInput { index: 7 });
    x[7][1] = 0.5;
    y[3] = 2;
    assert_eq!(Dataset::<2, 2>::new(&x, &y).unwrap_err(), Error::LabelOutOfRange { index: 3, label: 2 });
    assert!(Dataset::<2, 3>::new(&x, &y).is_ok());
    assert_eq!(
        Dataset::<2, 2>::new(&x, &y[..5]).unwrap_err(),
        Error::LengthMismatch { samples: 20, labels: 5 }
    );
    assert_eq!(Dataset::<2, 2>::new(&[], &[]).unwrap_err(), Error::EmptyDataset);
}

/// Huge inputs overflow the activations: the epoch fails with `Diverged` and
/// the model, the moments and the step count are exactly as before.
#[test]
fn divergence_is_reported_and_changes_nothing() {
    let (x, y) = moons(40, 1);
    let d = Dataset::new(&x, &y).unwrap();
    let mut t = trainer::<8>(Init::HeNormal, 0);
    t.train_epoch(&d, Batching::Full).unwrap();
    let before = t.clone();

    let huge: Vec<[f32; 2]> = x.iter().map(|r| [r[0] * 1e38, r[1] * 1e38]).collect();
    let dh = Dataset::new(&huge, &y).unwrap();
    assert_eq!(t.train_epoch(&dh, Batching::Full), Err(Error::Diverged));
    assert_eq!(bits(t.model()), bits(before.model()));
    assert_eq!(bits(t.moments().0), bits(before.moments().0));
    assert_eq!(bits(t.moments().1), bits(before.moments().1));
    assert_eq!(t.steps(), before.steps());

    // A learning rate so large that the weights blow up within a few steps:
    // the step that would make them non-finite is refused, whole.
    t.set_adam(Adam::with_learning_rate(1e38)).unwrap();
    let mut refused = None;
    for epoch in 0..10 {
        let snapshot = t.clone();
        if let Err(e) = t.train_epoch(&d, Batching::Full) {
            assert_eq!(e, Error::Diverged);
            assert_eq!(bits(t.model()), bits(snapshot.model()));
            assert_eq!(t.steps(), snapshot.steps());
            refused = Some(epoch);
            break;
        }
    }
    assert!(refused.is_some(), "lr 1e38 never diverged");
    assert!(t.model().is_finite());
}

#[test]
fn other_depths_and_widths_are_one_type_away() {
    // 2→128×6→2 with Adam is 1.3 MB: built on a thread with room for it
    // (`Box::default()` may build the value on the stack first).
    std::thread::Builder::new().stack_size(64 << 20).spawn(deep_and_shallow).unwrap().join().unwrap();
}

fn deep_and_shallow() {
    let (x, y) = moons(64, 5);
    let d = Dataset::new(&x, &y).unwrap();
    let mut deep: Box<Trainer<2, 128, 5, 2, 16>> = Box::default();
    deep.init_from_seed(Init::HeNormal, 0).unwrap();
    assert_eq!(Mlp::<2, 128, 5, 2>::LAYERS, 7);
    assert_eq!(Mlp::<2, 128, 5, 2>::PARAMETERS, 3 * 128 + 5 * 129 * 128 + 129 * 2);
    let first = deep.train_epoch(&d, Batching::Full).unwrap();
    for _ in 0..10 {
        deep.train_epoch(&d, Batching::Full).unwrap();
    }
    assert!(deep.model().evaluate(&d).loss < first.loss);

    let mut shallow: Box<Trainer<2, 8, 0, 3, 4>> = Box::default();
    shallow.init_from_seed(Init::GlorotUniform, 0).unwrap();
    let d3 = Dataset::<2, 3>::new(&x, &y).unwrap();
    shallow.train_epoch(&d3, Batching::Full).unwrap();
    assert_eq!(Mlp::<2, 8, 0, 3>::shapes().collect::<Vec<_>>(), [(2, 8), (8, 3)]);
}

#[test]
fn training_memory_is_the_documented_figure() {
    assert_eq!(PaperNet::PARAMETERS, 8642);
    let params = 4 * 4 * PaperNet::PARAMETERS;
    let work = |b: usize| 4 * b * ((2 + 3) * 64 + 2);
    let state = PaperTrainer::<1>::TRAINING_MEMORY_BYTES - params - work(1);
    assert!(state <= 48, "bookkeeping {state} bytes");
    assert_eq!(PaperTrainer::<32>::TRAINING_MEMORY_BYTES - params - work(32), state);
    assert_eq!(PaperTrainer::<1>::TRAINING_MEMORY_BYTES, 139_608);
}

/// `const fn new` makes a trainer usable in a `static`.
static STATIC_TRAINER: std::sync::Mutex<PaperTrainer<1>> = std::sync::Mutex::new(PaperTrainer::new());

#[test]
fn a_trainer_can_live_in_a_static() {
    let mut t = STATIC_TRAINER.lock().unwrap();
    assert!(t.model().layers().all(|l| l.weights.iter().all(|&w| w == 0.0)));
    t.init_from_seed(Init::HeNormal, 0).unwrap();
    assert!(t.model().is_finite());
}

#[test]
fn predict_and_classify_agree() {
    let mut net = Box::new(PaperNet::new());
    net.init_from_seed(Init::HeNormal, 3).unwrap();
    let x = [0.3f32, -0.2];
    let p = net.predict(&x);
    assert!((p[0] + p[1] - 1.0).abs() < 1e-6);
    assert_eq!(net.classify(&x), usize::from(p[1] > p[0]));
}

#[test]
fn metrics_display_gives_bits_and_decimals() {
    let m = saorsa_nn::Metrics { loss: 0.25, accuracy: 0.8, correct: 8, samples: 10 };
    assert_eq!(m.to_string(), "loss=0x3e800000 0.250000 acc=0x3f4ccccd 0.8000 correct=8/10");
}
