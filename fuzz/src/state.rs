//! `state_decode`: arbitrary bytes into the training-state decoder.

use crate::checkpoint::seal;
use saorsa_nn::checkpoint::state::{MAGIC, MAX_STEPS, VERSION, read_shape};
use saorsa_nn::shape::{MAX_CLASSES, MAX_LAYERS, MAX_WIDTH};
use saorsa_nn::{
    Adam, Batching, Dataset, Error, Init, NetworkTrainer, Normalization, Samples, Shape, Trainer, crc32,
};
use std::cell::RefCell;
use std::collections::HashMap;

/// The most parameters a run-time trainer made for a state's declared
/// shape may have here (its arena is about 4·P `f32`s plus the workspace);
/// a larger declared shape is only read.
pub const MAX_STATE_PARAMETERS: usize = 1 << 16;

/// Arbitrary bytes, as they are and with their CRC-32 trailer resealed (so
/// that mutations reach the checks after the checksum), into the
/// training-state decoder of two typed trainers (`Trainer<2, 8, 1, 2, 1>`
/// and `Trainer<3, 4, 0, 3, 2>`), of run-time trainers of the same shapes
/// without and with [`Normalization::LayerNorm`], and, through
/// [`read_shape`], of a run-time trainer of whatever shape the state
/// declares (up to [`MAX_STATE_PARAMETERS`]).
///
/// Properties: no panic; the result, `Ok` or which `Err`, is the one the
/// format's documentation implies (an independent decoder, [`spec_decode`]);
/// on `Ok` the trainer holds exactly the state's parameters, moments, step
/// and epoch counts and Adam hyperparameters, and re-encodes to the same
/// bytes; on `Err` the trainer is unchanged (its whole state re-encodes to
/// the bytes it had). A run-time trainer of a typed trainer's shape gives
/// the typed trainer's result. `read_shape` gives the shape, or the error,
/// that the documented header implies ([`spec_read_shape`]).
pub fn state_decode(data: &[u8]) {
    check(data);
    let mut resealed = data.to_vec();
    seal(&mut resealed);
    check(&resealed);
}

fn check(data: &[u8]) {
    let typed = [
        (&[2, 8, 8, 2][..], decode_typed::<2, 8, 1, 2, 1>(data)),
        (&[3, 4, 3][..], decode_typed::<3, 4, 0, 3, 2>(data)),
    ];
    for (widths, typed_result) in &typed {
        let shape = Shape::new(widths).expect("a valid shape");
        let run_time = decode_run_time(data, &shape, 3);
        assert_eq!(&run_time, typed_result, "{shape}: the run-time decoder differs from the typed one");
        // Checked against the spec inside; no fixed trainer is normalized to compare with.
        let _ = decode_run_time(data, &shape.with_normalization(Normalization::LayerNorm), 1);
    }
    let declared = read_shape(data);
    let spec = spec_read_shape(data);
    assert_eq!(
        declared.as_ref().map(|s| (s.widths(), s.normalization())).map_err(|e| *e),
        spec.as_ref().map(|(w, n)| (&w[..], *n)).map_err(|e| *e),
        "read_shape differs from the documented header"
    );
    if let Ok(shape) = declared
        && shape.parameter_count() <= MAX_STATE_PARAMETERS
    {
        let result = decode_run_time(data, &shape, 2);
        if let Some((_, typed_result)) = typed.iter().find(|(w, _)| *w == shape.widths())
            && shape.normalization() == Normalization::None
        {
            assert_eq!(&result, typed_result, "{shape}: the declared shape decodes unlike the typed one");
        }
    }
}

/// What a decode did: the state's bytes as re-encoded, or the error.
type Decoded = Result<Vec<u8>, Error>;

/// A small data set of 12 samples of `features` values, two classes.
fn start_data(features: usize) -> (Vec<f32>, Vec<u8>) {
    let x: Vec<f32> = (0..features * 12).map(|i| ((i * 37 % 23) as f32 - 11.0) / 7.0).collect();
    let y: Vec<u8> = (0..12).map(|i| (i % 2) as u8).collect();
    (x, y)
}

/// A shape's widths and whether it is normalized.
type ShapeKey = (Vec<usize>, bool);

thread_local! {
    /// Per shape: the start trainer's state, made once.
    static STARTS: RefCell<HashMap<ShapeKey, Vec<u8>>> = RefCell::new(HashMap::new());
}

/// The state of a trainer of `shape` initialized from seed 5, with Adam's
/// learning rate 0.01, after one epoch of mini-batches of 5: non-zero
/// moments, 3 steps, 1 epoch.
fn start_state(shape: &Shape) -> Vec<u8> {
    let key = (shape.widths().to_vec(), shape.normalization() == Normalization::LayerNorm);
    STARTS.with_borrow_mut(|starts| {
        starts
            .entry(key)
            .or_insert_with(|| {
                let mut t =
                    NetworkTrainer::new(shape.clone(), 1, vec![0.0; shape.arena_len(1)]).expect("arena");
                t.init_from_seed(Init::HeNormal, 5).expect("init");
                t.set_adam(Adam::with_learning_rate(0.01)).expect("adam");
                let (x, y) = start_data(shape.inputs());
                let d = Samples::new(&x, &y, shape.inputs(), 2).expect("data");
                t.train_epoch(&d, Batching::MiniBatch(5.try_into().expect("5"))).expect("an epoch");
                let mut bytes = vec![0u8; shape.state_bytes()];
                t.encode_state(&mut bytes).expect("encode");
                bytes
            })
            .clone()
    })
}

fn decode_typed<const I: usize, const W: usize, const M: usize, const O: usize, const B: usize>(
    data: &[u8],
) -> Decoded {
    let shape = saorsa_nn::Mlp::<I, W, M, O>::shape();
    let start = start_state(&shape);
    let mut t = Box::new(Trainer::<I, W, M, O, B>::new());
    t.decode_state(&start).expect("the start state");
    let got = t.decode_state(data);
    let mut after = vec![0u8; Trainer::<I, W, M, O, B>::STATE_BYTES];
    t.encode_state(&mut after).expect("encode");
    let name = format!("Trainer<{I}, {W}, {M}, {O}, {B}>");
    let counters = (t.steps(), t.epochs(), *t.adam());
    compare(&name, data, &shape, got, after, &start, counters, None)
}

/// Decodes `data` into a run-time trainer of `shape` holding the start
/// state, with micro-batches of `micro_batch`, and checks it.
fn decode_run_time(data: &[u8], shape: &Shape, micro_batch: usize) -> Decoded {
    let start = start_state(shape);
    let mut t = NetworkTrainer::new(shape.clone(), micro_batch, vec![0.0; shape.arena_len(micro_batch)])
        .expect("arena");
    t.decode_state(&start).expect("the start state");
    let got = t.decode_state(data);
    let mut after = vec![0u8; shape.state_bytes()];
    t.encode_state(&mut after).expect("encode");
    let name = format!("{shape} ({:?})", shape.normalization());
    let (m, v) = t.moments();
    let values: Vec<f32> = t.parameters().iter().chain(m).chain(v).copied().collect();
    let counters = (t.steps(), t.epochs(), *t.adam());
    compare(&name, data, shape, got, after, &start, counters, Some(&values))
}

/// Checks a decode's result against the spec: on `Ok` the counters,
/// hyperparameters and (when given) values, and the round trip; on `Err`
/// that nothing changed.
#[allow(clippy::too_many_arguments)]
fn compare(
    name: &str,
    data: &[u8],
    shape: &Shape,
    got: Result<(), Error>,
    after: Vec<u8>,
    start: &[u8],
    (steps, epochs, adam): (u64, u64, Adam),
    values: Option<&[f32]>,
) -> Decoded {
    let expected = spec_decode(data, shape);
    assert_eq!(
        got,
        expected.as_ref().map(|_| ()).map_err(|e| *e),
        "{name}: decode result differs from the spec"
    );
    match expected {
        Ok(spec) => {
            assert_eq!((steps, epochs), (spec.steps, spec.epochs), "{name}: counters");
            let h = |a: &Adam| [a.learning_rate, a.beta1, a.beta2, a.epsilon].map(f64::to_bits);
            assert_eq!(h(&adam), spec.adam.map(f64::to_bits), "{name}: Adam's hyperparameters");
            if let Some(values) = values {
                let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(values), bits(&spec.values), "{name}: parameters or moments");
            }
            assert_eq!(after, data, "{name}: decode then encode does not give the same bytes");
            Ok(after)
        }
        Err(e) => {
            assert!(after == start, "{name}: a refused state changed the trainer");
            Err(e)
        }
    }
}

// The spec below writes the format as the documentation numbers it.
const _: () = assert!(VERSION == 1 && MAX_STEPS == 1 << 53);

/// What a valid state holds, read by [`spec_decode`].
struct SpecState {
    steps: u64,
    epochs: u64,
    /// Learning rate, β1, β2, ε.
    adam: [f64; 4],
    /// The parameters, then `m`, then `v`.
    values: Vec<f32>,
}

fn u32_at(b: &[u8], k: usize) -> u32 {
    u32::from(b[k]) | u32::from(b[k + 1]) << 8 | u32::from(b[k + 2]) << 16 | u32::from(b[k + 3]) << 24
}

fn u64_at(b: &[u8], k: usize) -> u64 {
    u64::from(u32_at(b, k)) | u64::from(u32_at(b, k + 4)) << 32
}

/// The documented normalization code: 0 none, 1 LayerNorm, else `None`.
fn spec_norm(code: u32) -> Option<Normalization> {
    match code {
        0 => Some(Normalization::None),
        1 => Some(Normalization::LayerNorm),
        _ => None,
    }
}

/// The training-state format as its documentation states it, written
/// independently of the decoder: what a trainer of `shape` reads from `b`,
/// or the first error in the documented order.
fn spec_decode(b: &[u8], shape: &Shape) -> Result<SpecState, Error> {
    let layers: Vec<(usize, usize)> = shape.layer_shapes().collect();
    let l = layers.len();
    let normalized = shape.normalization() == Normalization::LayerNorm;
    let hidden_units: usize = layers[..l - 1].iter().map(|&(_, o)| o).sum();
    let p: usize =
        layers.iter().map(|&(i, o)| i * o + o).sum::<usize>() + if normalized { 2 * hidden_units } else { 0 };
    let expected = 64 + 8 * l + 12 * p;
    let bad_length = Error::BadLength { expected, found: b.len() };
    if b.len() < 12 {
        return Err(bad_length);
    }
    if b[..4] != MAGIC {
        return Err(Error::BadMagic);
    }
    let version = u16::from(b[4]) | u16::from(b[5]) << 8;
    if version != 1 {
        return Err(Error::UnsupportedVersion(version));
    }
    let norm = spec_norm(u32_at(b, 8)).ok_or(Error::BadShape)?;
    if norm != shape.normalization() || usize::from(b[6]) | usize::from(b[7]) << 8 != l {
        return Err(Error::ShapeMismatch);
    }
    let header = 12 + 8 * l;
    if b.len() < header {
        return Err(bad_length);
    }
    for (k, &(fan_in, fan_out)) in layers.iter().enumerate() {
        if u32_at(b, 12 + 8 * k) as usize != fan_in || u32_at(b, 16 + 8 * k) as usize != fan_out {
            return Err(Error::ShapeMismatch);
        }
    }
    if b.len() != expected {
        return Err(bad_length);
    }
    if crc32(&b[..expected - 4]) != u32_at(b, expected - 4) {
        return Err(Error::ChecksumMismatch);
    }
    let adam = [0, 1, 2, 3].map(|k| f64::from_bits(u64_at(b, header + 16 + 8 * k)));
    Adam { learning_rate: adam[0], beta1: adam[1], beta2: adam[2], epsilon: adam[3] }.validate()?;
    let (steps, epochs) = (u64_at(b, header), u64_at(b, header + 8));
    if steps > 1 << 53 || epochs > steps {
        return Err(Error::BadState);
    }
    let start = header + 48;
    let values: Vec<f32> = (0..3 * p).map(|k| f32::from_bits(u32_at(b, start + 4 * k))).collect();
    if values[..p].iter().any(|v| !v.is_finite()) {
        return Err(Error::NonFiniteParameter);
    }
    let bad_m = values[p..2 * p].iter().any(|v| !v.is_finite());
    // A second moment is never negative, nor −0 (sign bit set), nor NaN or ∞.
    let bad_v = values[2 * p..].iter().any(|v| !v.is_finite() || v.to_bits() >> 31 == 1);
    if bad_m || bad_v {
        return Err(Error::BadState);
    }
    Ok(SpecState { steps, epochs, adam, values })
}

/// The shape a state's header declares, as documented, written
/// independently of [`read_shape`]: the widths and normalization, or the
/// first error in the documented order.
fn spec_read_shape(b: &[u8]) -> Result<(Vec<usize>, Normalization), Error> {
    if b.len() < 12 {
        return Err(Error::BadLength { expected: 12, found: b.len() });
    }
    if b[..4] != MAGIC {
        return Err(Error::BadMagic);
    }
    let version = u16::from(b[4]) | u16::from(b[5]) << 8;
    if version != 1 {
        return Err(Error::UnsupportedVersion(version));
    }
    let norm = spec_norm(u32_at(b, 8)).ok_or(Error::BadShape)?;
    let layers = usize::from(b[6]) | usize::from(b[7]) << 8;
    let min_layers = if norm == Normalization::None { 1 } else { 2 };
    if layers < min_layers || layers > MAX_LAYERS {
        return Err(Error::BadShape);
    }
    let header = 12 + 8 * layers;
    if b.len() < header {
        return Err(Error::BadLength { expected: header, found: b.len() });
    }
    let mut widths = vec![u32_at(b, 12) as usize];
    for k in 0..layers {
        if u32_at(b, 12 + 8 * k) as usize != widths[k] {
            return Err(Error::BadShape);
        }
        widths.push(u32_at(b, 16 + 8 * k) as usize);
    }
    let classes = widths[layers];
    if widths.iter().any(|&w| w == 0 || w > MAX_WIDTH) || !(2..=MAX_CLASSES).contains(&classes) {
        return Err(Error::BadShape);
    }
    Ok((widths, norm))
}

/// A data set of the start data's first two features (for the seeds).
pub fn seed_data() -> (Vec<[f32; 2]>, Vec<u8>) {
    let (x, y) = start_data(2);
    (x.chunks_exact(2).map(|r| [r[0], r[1]]).collect(), y)
}

/// A training state of a typed `Trainer<2, 8, 1, 2, 1>` after `epochs`
/// epochs on [`seed_data`] (for the seed corpus and the regressions).
pub fn typed_seed(epochs: usize) -> Vec<u8> {
    let (x, y) = seed_data();
    let d = Dataset::<2, 2>::new(&x, &y).expect("data");
    let mut t = Box::new(Trainer::<2, 8, 1, 2, 1>::new());
    t.init_from_seed(Init::GlorotNormal, 1).expect("init");
    for _ in 0..epochs {
        t.train_epoch(&d, Batching::Full).expect("an epoch");
    }
    let mut bytes = vec![0u8; Trainer::<2, 8, 1, 2, 1>::STATE_BYTES];
    t.encode_state(&mut bytes).expect("encode");
    bytes
}

/// A training state of a run-time trainer of `widths` (with `norm`) after
/// one epoch of mini-batches of 4 on the start data.
pub fn run_time_seed(widths: &[usize], norm: Normalization) -> Vec<u8> {
    let shape = Shape::new(widths).expect("a valid shape").with_normalization(norm);
    let mut t = NetworkTrainer::new(shape.clone(), 2, vec![0.0; shape.arena_len(2)]).expect("arena");
    t.init_from_seed(Init::HeNormal, 2).expect("init");
    let (x, y) = start_data(shape.inputs());
    let d = Samples::new(&x, &y, shape.inputs(), 2).expect("data");
    t.train_epoch(&d, Batching::MiniBatch(4.try_into().expect("4"))).expect("an epoch");
    let mut bytes = vec![0u8; shape.state_bytes()];
    t.encode_state(&mut bytes).expect("encode");
    bytes
}
