//! `train_step`: data sets, initializers, Adam and batching from fuzz bytes.

use crate::checkpoint::param_bits;
use crate::values::{any_f32, any_f64, int};
use arbitrary::Unstructured;
use saorsa_nn::shape::PAPER_WIDTHS;
use saorsa_nn::{
    Adam, Batching, Dataset, Error, Hyperparameter, Init, Mlp, Network, NetworkTrainer, Samples, Shape,
    Trainer,
};
use std::num::NonZeroUsize;

/// One training scenario read from the fuzz bytes.
#[derive(Clone, Debug)]
struct Case {
    /// Three values per sample; a network with `IN` inputs reads the first `IN`.
    values: Vec<[f32; 3]>,
    labels: Vec<u8>,
    /// Labels given without a sample, or samples without a label: a length mismatch.
    extra_labels: usize,
    init: Init,
    seed: u64,
    adam: Adam,
    batching: Batching,
    epochs: usize,
    /// Also train the paper's 2→64→64→64→2 network (slower: one input in eight).
    paper: bool,
    /// A run-time shape: 1–3 inputs (of the three values per sample), 0–4
    /// hidden layers of 1–80 units, 2–80 classes.
    widths: Vec<usize>,
    /// One initializer per layer of `widths`; one too few for one input in 32.
    inits: Vec<Init>,
    /// The run-time trainer's micro-batch size (1–32) besides 1.
    micro_batch: usize,
    /// Room for transposed weights: with micro-batches of 1, and of `micro_batch`.
    transposed: [bool; 2],
}

/// An initializer: one of [`Init::ALL`], or `SmallNormal` with any std.
fn any_init(u: &mut Unstructured<'_>) -> Init {
    match int(u, 0, 9) {
        0 => Init::SmallNormal { std: any_f32(u) },
        k => Init::ALL[k - 1],
    }
}

impl Case {
    fn read(u: &mut Unstructured<'_>) -> Case {
        let n = int(u, 0, 24);
        let mut values = Vec::with_capacity(n);
        let mut labels = Vec::with_capacity(n);
        for _ in 0..n {
            values.push([any_f32(u), any_f32(u), any_f32(u)]);
            let b: u8 = u.arbitrary().unwrap_or(0);
            // Mostly 0/1; sometimes 2 (valid for three classes only) or anything.
            labels.push(match b {
                0..=223 => b & 1,
                224..=239 => 2,
                _ => b,
            });
        }
        let extra_labels = if u.ratio(1, 32).unwrap_or(false) { 1 } else { 0 };
        let init = any_init(u);
        let seed = u.arbitrary().unwrap_or(0);
        let mut adam = Adam::new();
        for field in [&mut adam.learning_rate, &mut adam.beta1, &mut adam.beta2, &mut adam.epsilon] {
            if u.arbitrary().unwrap_or(false) {
                *field = any_f64(u);
            }
        }
        let batching = match int(u, 0, n + 3) {
            0 => Batching::Full,
            k => Batching::MiniBatch(NonZeroUsize::new(k).expect("k >= 1")),
        };
        let epochs = int(u, 1, 4);
        let paper = u.ratio(1, 8).unwrap_or(false);
        // Read after everything else, so that the stored inputs of the
        // typed runs keep their meaning.
        let hidden = int(u, 0, 4);
        let mut widths = vec![int(u, 1, 3)];
        widths.extend((0..hidden).map(|_| int(u, 1, 80)));
        widths.push(int(u, 2, 80));
        let mut inits: Vec<Init> = (0..=hidden).map(|_| any_init(u)).collect();
        // Not `ratio`, which is true once the bytes run out.
        if u.arbitrary::<u8>().unwrap_or(0) >= 248 {
            inits.pop();
        }
        let micro_batch = int(u, 1, 32);
        let transposed = [u.arbitrary().unwrap_or(false), u.arbitrary().unwrap_or(false)];
        Case {
            values,
            labels,
            extra_labels,
            init,
            seed,
            adam,
            batching,
            epochs,
            paper,
            widths,
            inits,
            micro_batch,
            transposed,
        }
    }
}

/// What a run did, step by step, to compare runs with different `B`.
#[derive(Clone, Debug, PartialEq)]
enum Event {
    Dataset(Result<(), Error>),
    Init(Result<(), Error>),
    Adam(Result<(), Error>),
    /// An epoch: the metrics' bits (loss, accuracy, correct, samples) or the error, and the step count after it.
    Epoch(Result<(u32, u32, usize, usize), Error>, u64),
    Model(Vec<u32>),
}

/// A small data set with arbitrary values (NaN, ±∞, subnormals, huge ones)
/// and labels (some out of range), an arbitrary initializer and seed,
/// arbitrary Adam hyperparameters and batching, a few epochs, on a
/// 2→8→8→2 network (micro-batches `B` = 1, 4, 16), a 3→5→3 one
/// (`B` = 2, 7) and, for one input in eight, the paper's 2→64→64→64→2
/// (`B` = 1, 5); and the same with [`NetworkTrainer`] on each of those
/// shapes, and on a fuzzer-chosen shape (1–5 layers, widths 1–80, an
/// initializer per layer) with micro-batches of 1 and of 1–32, with or
/// without room for transposed weights.
///
/// Properties: no panic; every `Err` is the documented one, and leaves
/// what the documentation says unchanged (the data set is rejected exactly
/// as [`Dataset::new`] documents; a rejected initializer or Adam changes
/// nothing; a failed full-batch epoch changes neither the model nor Adam's
/// state); after every call the model's every weight is finite, and so is
/// Adam's state (a non-finite moment silently freezes its weight); a
/// full-batch epoch reports the metrics [`Mlp::evaluate`] gives for the
/// weights before it; the whole run is bit-identical for every `B`. The
/// run-time trainer: the same properties (with [`Samples::new`],
/// [`NetworkTrainer::init_layers`] and, for a full-batch epoch,
/// [`Network::evaluate`]), `ArenaTooSmall`, `BadHyperparameter(BatchSize)`
/// and `ShapeMismatch` exactly where documented and changing nothing, and
/// on a typed network's shape, with that network's initializer on every
/// layer, the very run of the typed trainer, event for event.
pub fn train_step(data: &[u8]) {
    let case = Case::read(&mut Unstructured::new(data));
    let a = run::<2, 8, 1, 2, 1>(&case);
    assert_eq!(a, run::<2, 8, 1, 2, 4>(&case), "B = 1 and B = 4 train differently");
    assert_eq!(a, run::<2, 8, 1, 2, 16>(&case), "B = 1 and B = 16 train differently");
    let b = run::<3, 5, 0, 3, 2>(&case);
    assert_eq!(b, run::<3, 5, 0, 3, 7>(&case), "B = 2 and B = 7 train differently");
    if case.paper {
        let p = run::<2, 64, 2, 2, 1>(&case);
        assert_eq!(p, run::<2, 64, 2, 2, 5>(&case), "the paper's network: B = 1 and B = 5 train differently");
        let same = [case.init; 4];
        let r = run_time(&case, &PAPER_WIDTHS, &same, case.micro_batch, case.transposed[1]);
        assert_eq!(p, r, "the paper's network: NetworkTrainer and Trainer train differently");
    }
    let [t1, tb] = case.transposed;
    let mb = case.micro_batch;
    assert_eq!(
        a,
        run_time(&case, &[2, 8, 8, 2], &[case.init; 3], mb, tb),
        "2-8-8-2: NetworkTrainer ≠ Trainer"
    );
    assert_eq!(b, run_time(&case, &[3, 5, 3], &[case.init; 2], mb, t1), "3-5-3: NetworkTrainer ≠ Trainer");
    let s = run_time(&case, &case.widths, &case.inits, 1, t1);
    let other = run_time(&case, &case.widths, &case.inits, mb, tb);
    assert_eq!(s, other, "{:?}: B = 1 and B = {mb} train differently", case.widths);
}

/// What the 2→8→8→2 run (`B` = 1) and the run-time run of the fuzzer's
/// shape (`B` = 1) of a `train_step` input do, step by step: to pick and
/// describe stored inputs.
pub fn train_step_events(data: &[u8]) -> String {
    let case = Case::read(&mut Unstructured::new(data));
    let mut events = run::<2, 8, 1, 2, 1>(&case);
    events.pop();
    let mut run_time_events = run_time(&case, &case.widths, &case.inits, 1, case.transposed[0]);
    run_time_events.pop();
    format!("{case:?}\n{events:?}\n{:?}: {run_time_events:?}", case.widths)
}

/// The documented result of [`Samples::new`] for rows of `features`
/// values (the data here always holds whole rows, and `features` and
/// `classes` are valid).
fn samples_spec(x: &[f32], features: usize, y: &[u8], classes: usize) -> Result<(), Error> {
    let rows = x.len() / features;
    if rows != y.len() {
        return Err(Error::LengthMismatch { samples: rows, labels: y.len() });
    }
    if rows == 0 {
        return Err(Error::EmptyDataset);
    }
    for (index, (row, &label)) in x.chunks_exact(features).zip(y).enumerate() {
        if row.iter().any(|v| !v.is_finite()) {
            return Err(Error::NonFiniteInput { index });
        }
        if usize::from(label) >= classes {
            return Err(Error::LabelOutOfRange { index, label });
        }
    }
    Ok(())
}

/// The documented result of [`NetworkTrainer::init_layers`].
fn inits_spec(inits: &[Init], layers: usize) -> Result<(), Error> {
    if inits.len() != layers {
        return Err(Error::BadShape);
    }
    inits.iter().try_for_each(Init::validate)
}

/// Model, moments and step count of a run-time trainer.
fn run_time_state(t: &NetworkTrainer<Vec<f32>>) -> State {
    let (m, v) = t.moments();
    (bits(t.parameters()), bits(m), bits(v), t.steps())
}

fn bits(v: &[f32]) -> Vec<u32> {
    v.iter().map(|v| v.to_bits()).collect()
}

fn check_run_time_finite(t: &NetworkTrainer<Vec<f32>>, what: &str) {
    let all_finite = |v: &[f32]| v.iter().all(|v| v.is_finite());
    let (m, v) = t.moments();
    assert!(all_finite(t.parameters()), "{}: a non-finite weight after {what}", t.shape());
    assert!(all_finite(m) && all_finite(v), "{}: a non-finite Adam moment after {what}", t.shape());
}

/// [`run`] with a [`NetworkTrainer`] of `widths`, micro-batches of
/// `micro_batch` samples, an arena with room for transposed weights or
/// not, and `inits` (one per layer, or not) through `init_layers`: the same
/// events, so that a run of a typed network's shape compares with it.
fn run_time(
    case: &Case,
    widths: &[usize],
    inits: &[Init],
    micro_batch: usize,
    transposed: bool,
) -> Vec<Event> {
    let shape = Shape::new(widths).expect("a valid shape");
    let (features, classes) = (shape.inputs(), shape.classes());
    let mut events = Vec::new();
    let x: Vec<f32> = case.values.iter().flat_map(|r| r[..features].to_vec()).collect();
    let mut y = case.labels.clone();
    y.extend(std::iter::repeat_n(0, case.extra_labels));
    let data = Samples::new(&x, &y, features, classes);
    let spec = samples_spec(&x, features, &y, classes);
    assert_eq!(data.map(|_| ()), spec, "Samples::new differs from its documentation");
    events.push(Event::Dataset(spec));

    let needed = shape.arena_len(micro_batch);
    let len = if transposed { shape.arena_len_transposed(micro_batch) } else { needed };
    assert_eq!(
        NetworkTrainer::new(shape.clone(), micro_batch, vec![0.0f32; needed - 1]).err(),
        Some(Error::ArenaTooSmall { needed, found: needed - 1 })
    );
    assert_eq!(
        NetworkTrainer::new(shape.clone(), 0, vec![0.0f32; len]).err(),
        Some(Error::BadHyperparameter(Hyperparameter::BatchSize))
    );
    // NaN everywhere: `new` must zero what it uses.
    let mut t = NetworkTrainer::new(shape.clone(), micro_batch, vec![f32::NAN; len]).expect("a large arena");
    let zeroed = run_time_state(&t);
    assert!(zeroed.0.iter().chain(&zeroed.1).chain(&zeroed.2).all(|&b| b == 0), "new did not zero");
    t.init_from_seed(Init::GlorotNormal, 1).expect("Glorot is valid");
    let before = run_time_state(&t);
    let init = t.init_layers_from_seed(inits, case.seed);
    assert_eq!(init, inits_spec(inits, shape.layers()), "init_layers accepts exactly the valid initializers");
    match init {
        Ok(()) => {
            check_run_time_finite(&t, "init");
            assert!(t.network().layers().all(|l| l.bias.iter().all(|b| b.to_bits() == 0)), "a non-zero bias");
        }
        Err(_) => assert_eq!(run_time_state(&t), before, "a rejected init changed the trainer"),
    }
    events.push(Event::Init(init));

    let adam_before = *t.adam();
    let set = t.set_adam(case.adam);
    assert_eq!(set, adam_spec(&case.adam), "set_adam accepts exactly the documented domains");
    match set {
        Ok(()) => assert_eq!(t.adam(), &case.adam),
        Err(_) => assert_eq!(t.adam(), &adam_before, "a rejected Adam changed the trainer"),
    }
    events.push(Event::Adam(set));

    let Ok(data) = data else {
        events.push(Event::Model(bits(t.parameters())));
        return events;
    };
    // Data of another width, or with more classes than the network: ShapeMismatch, nothing changes.
    let before = run_time_state(&t);
    let mut wide = Vec::with_capacity(x.len() + y.len());
    for row in x.chunks_exact(features) {
        wide.extend_from_slice(row);
        wide.push(0.5);
    }
    let wide = Samples::new(&wide, &y, features + 1, classes).expect("the same values and labels");
    let more = Samples::new(&x, &y, features, classes + 1).expect("the same values and labels");
    for bad in [wide, more] {
        assert_eq!(t.train_epoch(&bad, Batching::Full), Err(Error::ShapeMismatch));
        assert_eq!(t.compute_gradient(&bad), Err(Error::ShapeMismatch));
        assert_eq!(t.evaluate(&bad), Err(Error::ShapeMismatch));
    }
    assert_eq!(run_time_state(&t), before, "a ShapeMismatch changed the trainer");

    let mut scratch = vec![0.0f32; shape.evaluation_scratch_len(1 + micro_batch % 5)];
    for _ in 0..case.epochs {
        let before = run_time_state(&t);
        let model_before =
            Network::new(shape.clone(), before.0.iter().map(|&b| f32::from_bits(b)).collect::<Vec<_>>())
                .expect("a parameter buffer");
        let r = t.train_epoch(&data, case.batching);
        check_run_time_finite(&t, "an epoch");
        let evaluate_before = || model_before.evaluate(&data, &mut scratch).expect("matching data");
        let state = (&before, || run_time_state(&t));
        check_epoch(
            r,
            case,
            data.len(),
            t.steps(),
            state,
            evaluate_before,
            &format!("{shape}: "),
            &mut events,
        );
    }
    events.push(Event::Model(bits(t.parameters())));
    events
}

/// Checks one epoch's result `r` over `samples` samples against the
/// documentation and records it: an `Ok` epoch took one step per batch
/// (`steps_after` counts them; `state` is the trainer's state before the
/// epoch — parameters, moments, steps — and a way to read it now) and,
/// with a full batch, reports the metrics `evaluate_before` gives for the
/// weights before it; an `Err` is `Diverged` and, with a full batch,
/// changed nothing, else took fewer steps. `prefix` starts the message of
/// a metrics mismatch.
#[allow(clippy::too_many_arguments)]
fn check_epoch(
    r: Result<saorsa_nn::Metrics, Error>,
    case: &Case,
    samples: usize,
    steps_after: u64,
    (before, now): (&State, impl FnOnce() -> State),
    evaluate_before: impl FnOnce() -> saorsa_nn::Metrics,
    prefix: &str,
    events: &mut Vec<Event>,
) {
    let batches = match case.batching {
        Batching::Full => 1,
        Batching::MiniBatch(n) => samples.div_ceil(n.get()) as u64,
    };
    let steps_before = before.3;
    match r {
        Ok(m) => {
            assert_eq!(steps_after, steps_before + batches, "an Ok epoch takes one step per batch");
            assert_eq!(m.samples, samples);
            assert!(m.loss.is_finite() && m.loss >= 0.0, "an Ok epoch with loss {}", m.loss);
            assert!((0.0..=1.0).contains(&m.accuracy));
            if case.batching == Batching::Full {
                let e = evaluate_before();
                assert_eq!(
                    (e.loss.to_bits(), e.accuracy.to_bits(), e.correct, e.samples),
                    (m.loss.to_bits(), m.accuracy.to_bits(), m.correct, m.samples),
                    "{prefix}a full-batch epoch's metrics differ from evaluate() on the weights before it"
                );
            }
        }
        Err(e) => {
            assert_eq!(e, Error::Diverged, "an epoch fails only by diverging");
            if case.batching == Batching::Full {
                assert_eq!(now(), *before, "a failed full-batch epoch changed the trainer");
            } else {
                assert!(steps_after < steps_before + batches, "a failed epoch took every step");
            }
        }
    }
    events.push(Event::Epoch(
        r.map(|m| (m.loss.to_bits(), m.accuracy.to_bits(), m.correct, m.samples)),
        steps_after,
    ));
}

/// A trainer's state as bits: parameters, first and second moments, steps.
type State = (Vec<u32>, Vec<u32>, Vec<u32>, u64);

/// The documented result of [`Dataset::new`].
fn dataset_spec<const F: usize>(x: &[[f32; F]], y: &[u8], classes: usize) -> Result<(), Error> {
    if x.len() != y.len() {
        return Err(Error::LengthMismatch { samples: x.len(), labels: y.len() });
    }
    if x.is_empty() {
        return Err(Error::EmptyDataset);
    }
    for (index, (row, &label)) in x.iter().zip(y).enumerate() {
        if row.iter().any(|v| !v.is_finite()) {
            return Err(Error::NonFiniteInput { index });
        }
        if usize::from(label) >= classes {
            return Err(Error::LabelOutOfRange { index, label });
        }
    }
    Ok(())
}

/// The documented domains of the Adam hyperparameters. The learning rate
/// and ε must also stay positive once rounded to f32, i.e. exceed 2⁻¹⁵⁰ (half
/// the smallest subnormal f32, which rounds to zero).
fn adam_spec(a: &Adam) -> Result<(), Error> {
    let (min, max) = (f64::from(f32::from_bits(1)) / 2.0, f64::from(f32::MAX));
    let bad = |h| Err(Error::BadHyperparameter(h));
    if !(a.learning_rate > min && a.learning_rate <= max) {
        return bad(Hyperparameter::LearningRate);
    }
    if !(0.0..1.0).contains(&a.beta1) {
        return bad(Hyperparameter::Beta1);
    }
    if !(0.0..1.0).contains(&a.beta2) {
        return bad(Hyperparameter::Beta2);
    }
    if !(a.epsilon > min && a.epsilon <= max) {
        return bad(Hyperparameter::Epsilon);
    }
    Ok(())
}

/// Everything a failed step must leave as it was: model, moments, step count.
fn state_bits<const I: usize, const W: usize, const M: usize, const O: usize, const B: usize>(
    t: &Trainer<I, W, M, O, B>,
) -> State {
    let (m, v) = t.moments();
    (param_bits(t.model()), param_bits(m), param_bits(v), t.steps())
}

fn check_finite<const I: usize, const W: usize, const M: usize, const O: usize, const B: usize>(
    t: &Trainer<I, W, M, O, B>,
    what: &str,
) {
    assert!(t.model().is_finite(), "a non-finite weight after {what}");
    // v ← β2·v + (1 − β2)·g² once overflowed for |g| > 1.8e19 while the step
    // stayed finite, freezing that weight for good (bug 1 in README.md).
    let (m, v) = t.moments();
    assert!(m.is_finite() && v.is_finite(), "a non-finite Adam moment after {what}");
}

fn run<const I: usize, const W: usize, const M: usize, const O: usize, const B: usize>(
    case: &Case,
) -> Vec<Event> {
    let mut events = Vec::new();
    let x: Vec<[f32; I]> = case.values.iter().map(|r| std::array::from_fn(|k| r[k])).collect();
    let mut y = case.labels.clone();
    y.extend(std::iter::repeat_n(0, case.extra_labels));
    let data = Dataset::<I, O>::new(&x, &y);
    let spec = dataset_spec(&x, &y, O);
    assert_eq!(data.map(|_| ()), spec, "Dataset::new differs from its documentation");
    events.push(Event::Dataset(spec));

    let mut t = Box::new(Trainer::<I, W, M, O, B>::new());
    t.init_from_seed(Init::GlorotNormal, 1).expect("Glorot is valid");
    let before = state_bits(&*t);
    let init = t.init_from_seed(case.init, case.seed);
    assert_eq!(init, case.init.validate(), "init accepts exactly the valid initializers");
    match init {
        Ok(()) => {
            check_finite(&*t, "init");
            assert!(
                t.model().layers().all(|l| l.bias.iter().all(|b| b.to_bits() == 0)),
                "init left a non-zero bias"
            );
        }
        Err(_) => assert_eq!(state_bits(&*t), before, "a rejected init changed the trainer"),
    }
    events.push(Event::Init(init));

    let adam_before = *t.adam();
    let set = t.set_adam(case.adam);
    let spec = adam_spec(&case.adam);
    assert_eq!(set, spec, "set_adam accepts exactly the documented domains");
    match set {
        Ok(()) => assert_eq!(t.adam(), &case.adam),
        Err(_) => assert_eq!(t.adam(), &adam_before, "a rejected Adam changed the trainer"),
    }
    events.push(Event::Adam(set));

    let Ok(data) = data else {
        events.push(Event::Model(param_bits(t.model())));
        return events;
    };
    for _ in 0..case.epochs {
        let before = state_bits(&*t);
        let model_before: Box<Mlp<I, W, M, O>> = Box::new(t.model().clone());
        let r = t.train_epoch(&data, case.batching);
        check_finite(&*t, "an epoch");
        let state = (&before, || state_bits(&*t));
        check_epoch(r, case, data.len(), t.steps(), state, || model_before.evaluate(&data), "", &mut events);
    }
    events.push(Event::Model(param_bits(t.model())));
    events
}
