//! Networks shaped at run time: bit-identity with the compile-time trainer,
//! per-layer initializers, checkpoints of any shape, shape and buffer errors.

use saorsa_nn::checkpoint::read_shape;
use saorsa_nn::shape::{self, PAPER_WIDTHS};
use saorsa_nn::{
    Adam, Batching, Dataset, Error, Hyperparameter, Init, Mlp, Network, NetworkTrainer, PaperNet,
    PaperTrainer, Samples, Shape, Trainer, data, rng_from_seed,
};
use std::num::NonZeroUsize;

fn moons(n: usize, seed: u64) -> (Vec<[f32; 2]>, Vec<u8>) {
    let mut x = vec![[0.0f32; 2]; n];
    let mut y = vec![0u8; n];
    data::make_moons(&mut rng_from_seed(seed), 0.18, &mut x, &mut y).unwrap();
    (x, y)
}

fn checkpoint_of_paper(net: &PaperNet) -> Vec<u8> {
    let mut buf = vec![0u8; PaperNet::CHECKPOINT_BYTES];
    net.encode_checkpoint(&mut buf).unwrap();
    buf
}

fn checkpoint_of<S: AsRef<[f32]>>(net: &Network<S>) -> Vec<u8> {
    let mut buf = vec![0u8; net.shape().checkpoint_bytes()];
    assert_eq!(net.encode_checkpoint(&mut buf), Ok(buf.len()));
    buf
}

/// Trains the paper's network both ways for `epochs` epochs and compares
/// every epoch's loss and accuracy bits and the final checkpoint.
fn paper_both_ways<const B: usize>(
    init: Init,
    seed: u64,
    micro_batch: usize,
    transposed: bool,
    batching: Batching,
) {
    let (x, y) = moons(150, 3);
    let d = Dataset::new(&x, &y).unwrap();
    let mut typed: Box<PaperTrainer<B>> = Box::default();
    typed.init_from_seed(init, seed).unwrap();

    let shape = Shape::paper();
    let len = if transposed { shape.arena_len_transposed(micro_batch) } else { shape.arena_len(micro_batch) };
    let mut run = NetworkTrainer::new(shape, micro_batch, vec![f32::NAN; len]).unwrap();
    run.init_layers_from_seed(&[init; 4], seed).unwrap();
    assert_eq!(checkpoint_of(&run.network()), checkpoint_of_paper(typed.model()));

    for epoch in 0..12 {
        let a = typed.train_epoch(&d, batching).unwrap();
        let b = run.train_epoch(&d.samples(), batching).unwrap();
        assert_eq!(
            (a.loss.to_bits(), a.accuracy.to_bits(), a.correct),
            (b.loss.to_bits(), b.accuracy.to_bits(), b.correct),
            "epoch {epoch}"
        );
    }
    assert_eq!(typed.steps(), run.steps());
    assert_eq!(checkpoint_of(&run.network()), checkpoint_of_paper(typed.model()));
    let mut scratch = vec![0.0; run.shape().evaluation_scratch_len(5)];
    assert_eq!(run.network().evaluate(&d.samples(), &mut scratch), Ok(typed.model().evaluate(&d)));
    assert_eq!(run.evaluate(&d.samples()), Ok(typed.model().evaluate(&d)));
}

/// The bit-identity test: for the paper's shape, the run-time
/// trainer and `PaperTrainer` give identical bits — every epoch's loss and
/// accuracy and the final checkpoint — for micro-batch sizes 1, 7 and 32,
/// with and without room for transposed weights, full batch and mini-batch.
#[test]
fn run_time_paper_network_is_bit_identical_to_paper_trainer() {
    for init in [Init::SMALL, Init::GlorotNormal, Init::HeNormal] {
        paper_both_ways::<1>(init, 2, 1, false, Batching::Full);
        paper_both_ways::<7>(init, 2, 7, true, Batching::Full);
        paper_both_ways::<32>(init, 2, 32, true, Batching::Full);
        paper_both_ways::<32>(init, 2, 32, false, Batching::Full);
    }
    let mini = Batching::MiniBatch(NonZeroUsize::new(40).unwrap());
    paper_both_ways::<7>(Init::HeNormal, 5, 7, true, mini);
    paper_both_ways::<1>(Init::GlorotNormal, 5, 32, false, mini);
}

/// Other compile-time shapes, including wide output layers (zero-skipping
/// output) and a single hidden layer, agree with the run-time trainer too.
#[test]
fn run_time_networks_match_other_typed_shapes() {
    fn check<const W: usize, const MID: usize, const OUT: usize>(mb: usize) {
        let n = 64;
        let x: Vec<[f32; 2]> = (0..n).map(|i| [(i as f32 * 0.37).sin(), (i as f32 * 0.11).cos()]).collect();
        let y: Vec<u8> = (0..n).map(|i| (i * 7 % OUT) as u8).collect();
        let d = Dataset::<2, OUT>::new(&x, &y).unwrap();
        let mut typed: Box<Trainer<2, W, MID, OUT, 4>> = Box::default();
        typed.init_from_seed(Init::HeNormal, 9).unwrap();
        let shape = Mlp::<2, W, MID, OUT>::shape();
        let len = shape.arena_len_transposed(mb);
        let mut run = NetworkTrainer::new(shape, mb, vec![0.0; len]).unwrap();
        run.init_from_seed(Init::HeNormal, 9).unwrap();
        for _ in 0..5 {
            let a = typed.train_epoch(&d, Batching::Full).unwrap();
            let b = run.train_epoch(&d.samples(), Batching::Full).unwrap();
            assert_eq!(a.loss.to_bits(), b.loss.to_bits());
        }
        let mut buf = vec![0u8; Mlp::<2, W, MID, OUT>::CHECKPOINT_BYTES];
        typed.model().encode_checkpoint(&mut buf).unwrap();
        assert_eq!(checkpoint_of(&run.network()), buf);
    }
    check::<16, 0, 2>(3);
    check::<24, 3, 10>(5);
    check::<70, 1, 9>(64);
}

/// Hidden widths may differ, and one micro-batch size gives the same bits
/// as another on such shapes too (a network with a 1-wide bottleneck, one
/// with a single dense layer).
#[test]
fn uneven_shapes_are_bit_identical_across_micro_batch_sizes() {
    let (f, c, n) = (5, 3, 57);
    let x: Vec<f32> = (0..n * f).map(|i| ((i * 29 % 17) as f32 - 8.0) / 4.0).collect();
    let y: Vec<u8> = (0..n).map(|i| (i % c) as u8).collect();
    let data = Samples::new(&x, &y, f, c).unwrap();
    for widths in [&[5, 3][..], &[5, 40, 1, 70, 3], &[5, 128, 9, 3], &[5, 8, 8, 8, 8, 8, 8, 3]] {
        let mut widths = widths.to_vec();
        *widths.last_mut().unwrap() = c;
        let shape = Shape::new(&widths).unwrap();
        let runs: Vec<(Vec<u32>, Vec<u8>)> = [(1, false), (4, true), (13, false), (64, true)]
            .into_iter()
            .map(|(mb, t)| {
                let len = if t { shape.arena_len_transposed(mb) } else { shape.arena_len(mb) };
                let mut tr = NetworkTrainer::new(shape.clone(), mb, vec![0.0; len]).unwrap();
                tr.init_from_seed(Init::HeNormal, 1).unwrap();
                let losses =
                    (0..6).map(|_| tr.train_epoch(&data, Batching::Full).unwrap().loss.to_bits()).collect();
                (losses, checkpoint_of(&tr.network()))
            })
            .collect();
        for r in &runs[1..] {
            assert_eq!(r, &runs[0], "{shape}");
        }
        assert!(runs[0].0[5] < runs[0].0[0] || widths.contains(&1), "{shape}: {:?}", runs[0].0);
    }
}

/// Per-layer initializers: for one seed, a layer's weights depend only on
/// its own initializer — the standard normals are shared, so a network with
/// Glorot on the first layer and He elsewhere has Glorot's first layer and
/// He's other layers.
#[test]
fn per_layer_initializers_keep_the_seed_pairing() {
    let shape = Shape::new(&[3, 20, 30, 4]).unwrap();
    let p = shape.parameter_count();
    let mut glorot = Network::new(shape.clone(), vec![0.0; p]).unwrap();
    glorot.init_from_seed(Init::GlorotNormal, 8).unwrap();
    let mut he = Network::new(shape.clone(), vec![0.0; p]).unwrap();
    he.init_from_seed(Init::HeNormal, 8).unwrap();
    let mut mixed = Network::new(shape.clone(), vec![0.0; p]).unwrap();
    let inits = [Init::GlorotNormal, Init::HeNormal, Init::HeNormal];
    mixed.init_layers(&inits, &mut rng_from_seed(8)).unwrap();
    assert_eq!(mixed.layer(0).weights, glorot.layer(0).weights);
    assert_eq!(mixed.layer(1).weights, he.layer(1).weights);
    assert_eq!(mixed.layer(2).weights, he.layer(2).weights);
    assert_ne!(glorot.layer(1).weights, he.layer(1).weights);
    // The scale is each layer's own: He's std is √(2 / fan_in).
    let l1 = he.layer(1);
    let var = l1.weights.iter().map(|&w| f64::from(w).powi(2)).sum::<f64>() / l1.weights.len() as f64;
    assert!((var / (2.0 / 20.0) - 1.0).abs() < 0.2, "{var}");
    assert!(mixed.layer(0).bias.iter().chain(mixed.layer(2).bias).all(|&b| b == 0.0));

    // One initializer per layer, or an error that changes nothing.
    let before = mixed.parameters().to_vec();
    assert_eq!(mixed.init_layers(&inits[..2], &mut rng_from_seed(1)), Err(Error::BadShape));
    let bad = [Init::GlorotNormal, Init::SmallNormal { std: f32::NAN }, Init::HeNormal];
    assert_eq!(
        mixed.init_layers(&bad, &mut rng_from_seed(1)),
        Err(Error::BadHyperparameter(Hyperparameter::InitStd))
    );
    assert_eq!(mixed.parameters(), &before[..]);

    // The typed network takes per-layer initializers too, with the same result.
    let mut typed: Box<Mlp<3, 20, 1, 4>> = Box::default();
    typed.init_layers(&inits, &mut rng_from_seed(8)).unwrap();
    let mut buf = vec![0u8; Mlp::<3, 20, 1, 4>::CHECKPOINT_BYTES];
    typed.encode_checkpoint(&mut buf).unwrap();
    let mixed20 = {
        let s = Shape::new(&[3, 20, 20, 4]).unwrap();
        let mut n = Network::new(s.clone(), vec![0.0; s.parameter_count()]).unwrap();
        n.init_layers(&inits, &mut rng_from_seed(8)).unwrap();
        n
    };
    assert_eq!(checkpoint_of(&mixed20), buf);
}

/// SNN1 checkpoints of any shape: a typed network's file decodes into a
/// run-time network of the shape it declares, and back.
#[test]
fn checkpoints_of_any_shape_round_trip() {
    let mut typed: Box<PaperNet> = Box::default();
    typed.init_from_seed(Init::GlorotNormal, 3).unwrap();
    let file = checkpoint_of_paper(&typed);
    let shape = read_shape(&file).unwrap();
    assert_eq!(shape.widths(), &PAPER_WIDTHS);
    let mut net = Network::new(shape, vec![0.0; 8642]).unwrap();
    net.decode_checkpoint(&file).unwrap();
    assert_eq!(checkpoint_of(&net), file);
    let mut back: Box<PaperNet> = Box::default();
    back.decode_checkpoint(&checkpoint_of(&net)).unwrap();
    assert_eq!(*back, *typed);

    // A checkpoint of another shape is ShapeMismatch and changes nothing.
    let other = Shape::new(&[2, 64, 64, 63, 2]).unwrap();
    let mut o = Network::new(other.clone(), vec![1.5; other.parameter_count()]).unwrap();
    assert_eq!(o.decode_checkpoint(&file), Err(Error::ShapeMismatch));
    assert!(o.parameters().iter().all(|&v| v == 1.5));
    let deep = Shape::new(&[2, 4, 4, 4, 4, 4, 2]).unwrap();
    let mut d = Network::new(deep.clone(), vec![0.0; deep.parameter_count()]).unwrap();
    assert_eq!(d.decode_checkpoint(&file), Err(Error::ShapeMismatch));

    // read_shape checks the header.
    assert_eq!(read_shape(&file[..7]), Err(Error::BadLength { expected: 8, found: 7 }));
    assert_eq!(read_shape(&file[..20]), Err(Error::BadLength { expected: 40, found: 20 }));
    let mut bad = file.clone();
    bad[0] = b'X';
    assert_eq!(read_shape(&bad), Err(Error::BadMagic));
    let mut bad = file.clone();
    bad[12] = 3; // layer 0's fan_out 64 -> 3, no longer layer 1's fan_in
    assert_eq!(read_shape(&bad), Err(Error::BadShape));
    let mut bad = file.clone();
    bad[6] = 0;
    bad[7] = 0;
    assert_eq!(read_shape(&bad), Err(Error::BadShape));

    // A non-finite parameter is refused at encode time (the decoder would
    // refuse it), and nothing is written.
    let mut nan = Network::new(shape_of(&file), vec![0.0; 8642]).unwrap();
    nan.decode_checkpoint(&file).unwrap();
    nan.parameters_mut()[8641] = f32::NAN;
    let mut buf = vec![9u8; file.len()];
    assert_eq!(nan.encode_checkpoint(&mut buf), Err(Error::NonFiniteParameter));
    assert!(buf.iter().all(|&b| b == 9));
}

fn shape_of(file: &[u8]) -> Shape {
    read_shape(file).unwrap()
}

#[test]
fn shapes_are_checked() {
    assert!(Shape::new(&[1, 2]).is_ok());
    assert_eq!(Shape::new(&[2]), Err(Error::BadShape));
    assert_eq!(Shape::new(&[]), Err(Error::BadShape));
    assert_eq!(Shape::new(&[2, 1]), Err(Error::BadShape), "one class");
    assert_eq!(Shape::new(&[2, 257]), Err(Error::BadShape));
    assert!(Shape::new(&[2, 256]).is_ok());
    assert_eq!(Shape::new(&[2, 0, 2]), Err(Error::BadShape));
    assert_eq!(Shape::new(&[4097, 2]), Err(Error::BadShape));
    assert!(Shape::new(&[4096, 4096, 2]).is_ok());
    assert!(Shape::new(&[3; 65]).is_ok(), "64 layers");
    assert_eq!(Shape::new(&[3; 66]), Err(Error::BadShape), "65 layers");
    let s = Shape::new(&[2, 128, 64, 32, 3]).unwrap();
    assert_eq!(s.to_string(), "2-128-64-32-3");
    assert_eq!((s.layers(), s.inputs(), s.classes(), s.max_hidden_width()), (4, 2, 3, 128));
    assert_eq!(s.layer(1), (128, 64));
}

/// The buffer lengths, by hand: for [2, 64, 64, 64, 2] with B = 1,
/// P = 3·64 + 65·64 + 65·64 + 65·2 = 8642; workspace 64·3 + 2 + 2·64 = 322;
/// transposed (layers 1 to 3) 64·64 + 64·64 + 64·2 = 8320; checkpoint 8 + 32 + 4·8642 + 4 = 34612.
#[test]
fn buffer_lengths_are_the_documented_formulas() {
    const A: usize = shape::arena_len(&PAPER_WIDTHS, 1);
    static ARENA: [f32; A] = [0.0; A];
    assert_eq!(ARENA.len(), 4 * 8642 + 322);
    assert_eq!(shape::parameter_count(&PAPER_WIDTHS), PaperNet::PARAMETERS);
    assert_eq!(shape::workspace_len(&PAPER_WIDTHS, 7), 7 * 322);
    assert_eq!(shape::transposed_len(&PAPER_WIDTHS), 8320);
    assert_eq!(shape::checkpoint_bytes(&PAPER_WIDTHS), PaperNet::CHECKPOINT_BYTES);
    assert_eq!(shape::evaluation_scratch_len(&PAPER_WIDTHS, 3), 3 * 130);
    // One layer: no hidden activations.
    assert_eq!(shape::workspace_len(&[5, 3], 4), 12);
    assert_eq!(shape::transposed_len(&[5, 3]), 0);
}

#[test]
fn bad_buffers_and_data_are_errors_that_change_nothing() {
    let shape = Shape::new(&[3, 10, 2]).unwrap();
    let need = shape.arena_len(4);
    assert_eq!(
        NetworkTrainer::new(shape.clone(), 4, vec![0.0; need - 1]).err(),
        Some(Error::ArenaTooSmall { needed: need, found: need - 1 })
    );
    assert_eq!(
        NetworkTrainer::new(shape.clone(), 0, vec![0.0; need]).err(),
        Some(Error::BadHyperparameter(Hyperparameter::BatchSize))
    );
    assert_eq!(
        Network::new(shape.clone(), vec![0.0; 61]).err(),
        Some(Error::ArenaTooSmall { needed: 62, found: 61 })
    );

    let mut t = NetworkTrainer::new(shape.clone(), 4, vec![0.0; need]).unwrap();
    t.init_from_seed(Init::HeNormal, 0).unwrap();
    t.set_adam(Adam::with_learning_rate(0.01)).unwrap();
    let before = t.clone().into_inner();
    // Two features for a three-input network; three classes for a two-class one.
    let x2 = [0.5f32; 8];
    let y = [0u8, 1, 0, 1];
    let two = Samples::new(&x2, &y, 2, 2).unwrap();
    assert_eq!(t.train_epoch(&two, Batching::Full), Err(Error::ShapeMismatch));
    let x3 = [0.5f32; 12];
    let three = Samples::new(&x3, &[0, 1, 2, 1], 3, 3).unwrap();
    assert_eq!(t.train_epoch(&three, Batching::Full), Err(Error::ShapeMismatch));
    assert_eq!(t.compute_gradient(&three), Err(Error::ShapeMismatch));
    assert_eq!(t.evaluate(&three), Err(Error::ShapeMismatch));
    assert_eq!(t.clone().into_inner(), before);
    assert_eq!(t.steps(), 0);
    // Fewer classes in the data than in the network is fine.
    let one = Samples::new(&x3, &[0, 0, 0, 0], 3, 1).unwrap();
    assert!(t.train_epoch(&one, Batching::Full).is_ok());

    let mut scratch = vec![0.0; shape.evaluation_scratch_len(1) - 1];
    assert!(matches!(t.network().evaluate(&one, &mut scratch), Err(Error::ArenaTooSmall { .. })));
    let mut z = [0.0f32; 4];
    let mut s = [0.0f32; 40];
    assert_eq!(t.network().logits(&x3[..5], &mut s, &mut z), Err(Error::ShapeMismatch));
    assert_eq!(
        t.network().logits(&x3[..6], &mut s[..39], &mut z),
        Err(Error::ArenaTooSmall { needed: 40, found: 39 })
    );
    assert_eq!(t.network().logits(&x3[..6], &mut s, &mut z), Ok(()));
    assert!(z.iter().all(|v| v.is_finite()));
}

#[test]
fn samples_are_validated() {
    let x = [0.0f32, 1.0, 2.0, 3.0, 4.0, 5.0];
    assert!(Samples::new(&x, &[0, 1], 3, 2).is_ok());
    assert_eq!(Samples::new(&x, &[0, 1], 0, 2), Err(Error::BadShape));
    assert_eq!(Samples::new(&x, &[0, 1], 3, 257), Err(Error::BadShape));
    assert_eq!(Samples::new(&x, &[0, 1], 4, 2), Err(Error::LengthMismatch { samples: 1, labels: 2 }));
    assert_eq!(Samples::new(&x, &[0, 1, 1], 2, 2), Ok(Samples::new(&x, &[0, 1, 1], 2, 2).unwrap()));
    assert_eq!(Samples::new(&[], &[], 2, 2), Err(Error::EmptyDataset));
    assert_eq!(Samples::new(&x, &[0, 2], 3, 2), Err(Error::LabelOutOfRange { index: 1, label: 2 }));
    let mut bad = x;
    bad[4] = f32::INFINITY;
    assert_eq!(Samples::new(&bad, &[0, 1], 3, 2), Err(Error::NonFiniteInput { index: 1 }));
    let s = Samples::new(&x, &[0, 1, 1], 2, 2).unwrap();
    let sizes: Vec<usize> = s.batches(2).map(|b| b.len()).collect();
    assert_eq!(sizes, [2, 1]);
    assert_eq!(s.batches(usize::MAX).count(), 1);
}

/// A trainer over a `static` arena, as firmware holds one.
#[test]
fn a_trainer_can_live_in_a_static_arena() {
    const W: [usize; 4] = [2, 16, 16, 2];
    static ARENA: std::sync::Mutex<[f32; shape::arena_len(&W, 2)]> =
        std::sync::Mutex::new([0.0; shape::arena_len(&W, 2)]);
    let mut guard = ARENA.lock().unwrap();
    let mut t = NetworkTrainer::new(Shape::new(&W).unwrap(), 2, &mut guard[..]).unwrap();
    t.init_from_seed(Init::GlorotNormal, 0).unwrap();
    let (x, y) = moons(40, 1);
    let d = Dataset::<2, 2>::new(&x, &y).unwrap();
    assert!(t.train_epoch(&d.samples(), Batching::Full).unwrap().loss.is_finite());
}
