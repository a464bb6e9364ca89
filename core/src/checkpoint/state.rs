//! Training states: everything a trainer needs to go on training exactly
//! where it stopped, as bytes.
//!
//! A weights checkpoint ([`crate::checkpoint`]) holds a model; a training
//! state also holds Adam's two moments, its step count and
//! hyperparameters, and the number of epochs trained, so that training `N`
//! epochs, saving, restoring into a fresh trainer and training `M` more
//! gives the same bits as training `N + M` epochs straight — on any
//! micro-batch size and any target. Nothing else is needed: the gradient
//! and the workspace are recomputed by every step, and the data order
//! depends on nothing ([`crate::Batching::MiniBatch`] never shuffles), so no
//! random generator state is kept.
//!
//! ```
//! use saorsa_nn::{Batching, Dataset, Init, PaperTrainer, data, rng_from_seed};
//!
//! let mut x = [[0.0f32; 2]; 64];
//! let mut y = [0u8; 64];
//! data::make_moons(&mut rng_from_seed(1), 0.18, &mut x, &mut y)?;
//! let train = Dataset::new(&x, &y)?;
//!
//! // Train 3 epochs and save the state (no allocation: any byte buffer).
//! let mut trainer = Box::new(PaperTrainer::<8>::new());
//! trainer.init_from_seed(Init::HeNormal, 0)?;
//! for _ in 0..3 {
//!     trainer.train_epoch(&train, Batching::Full)?;
//! }
//! let mut state = vec![0u8; PaperTrainer::<8>::STATE_BYTES];
//! trainer.encode_state(&mut state)?;
//!
//! // After a power cut: a zeroed trainer, the state restored, 2 more epochs.
//! let mut resumed = Box::new(PaperTrainer::<8>::new());
//! resumed.decode_state(&state)?;
//! assert_eq!(resumed.epochs(), 3);
//! for _ in 0..2 {
//!     resumed.train_epoch(&train, Batching::Full)?;
//!     trainer.train_epoch(&train, Batching::Full)?;
//! }
//! assert_eq!(resumed.model(), trainer.model()); // the same bits as 5 epochs straight
//! # Ok::<(), saorsa_nn::Error>(())
//! ```
//!
//! # Format, version 1
//!
//! All integers and floats little-endian; `L` dense layers, `P` parameters
//! ([`crate::Shape::parameter_count`], LayerNorm's gains and shifts included).
//!
//! | bytes | content |
//! |---|---|
//! | 4 | magic `SNS1` ([`MAGIC`]) |
//! | 2 | `u16` format version, 1 ([`VERSION`]) |
//! | 2 | `u16` number of dense layers `L` |
//! | 4 | `u32` normalization: 0 none, 1 [`LayerNorm`](crate::Normalization::LayerNorm); other values are refused |
//! | 8·L | per layer, `u32` fan_in then `u32` fan_out |
//! | 8 | `u64` Adam steps taken, `t` (the next step is `t + 1`); at most [`MAX_STEPS`] |
//! | 8 | `u64` epochs trained; at most the steps |
//! | 8 | `f64` learning rate |
//! | 8 | `f64` `β1` |
//! | 8 | `f64` `β2` |
//! | 8 | `f64` `ε` |
//! | 4·P | the parameters (`f32`), in the weights checkpoint's order: per layer its weights (row-major), biases, then any gains and shifts |
//! | 4·P | Adam's first moment `m` (`f32`), same order |
//! | 4·P | Adam's second moment `v` (`f32`), same order |
//! | 4 | `u32` CRC-32 (IEEE 802.3, as zlib's `crc32`) of every preceding byte |
//!
//! The length is `64 + 8·L + 12·P` ([`crate::shape::state_bytes`],
//! [`crate::Shape::state_bytes`], [`crate::Trainer::STATE_BYTES`]); for the
//! paper's network, 103 800 bytes. In NumPy, with `h = 60 + 8·L` the
//! offset of the parameters: `np.frombuffer(buf, '<f4', 3 * P, h).reshape(3, P)`
//! gives the parameters, `m` and `v` as rows.
//!
//! # Checks
//!
//! A state is read all or nothing: every check passes before anything is
//! written, so a refused state leaves the trainer as it was. In order:
//! [`Error::BadLength`] (shorter than the 12-byte header),
//! [`Error::BadMagic`], [`Error::UnsupportedVersion`], [`Error::BadShape`]
//! (an unknown normalization code), [`Error::ShapeMismatch`] (another
//! normalization or layer count than the trainer's), [`Error::BadLength`]
//! (cut short in the layer shapes), [`Error::ShapeMismatch`] (a layer
//! shape), [`Error::BadLength`] (the total length),
//! [`Error::ChecksumMismatch`], [`Error::BadHyperparameter`] (Adam's
//! hyperparameters, as [`crate::Adam::validate`]), [`Error::BadState`]
//! (steps above [`MAX_STEPS`] or epochs above the steps),
//! [`Error::NonFiniteParameter`], [`Error::BadState`] (a NaN or infinite
//! moment, or a second moment that is negative or `−0`, which Adam never
//! produces).

use super::{crc32, normalization_code, read_u32};
use crate::engine::{Layers, LayersMut, is_finite, normalization};
use crate::error::Error;
use crate::optimizer::Adam;
use crate::shape::{MAX_LAYERS, Normalization, Shape};

/// The magic bytes that open every training state.
pub const MAGIC: [u8; 4] = *b"SNS1";
/// The format version written and read.
pub const VERSION: u16 = 1;
/// The most Adam steps a state may record, `2⁵³`: every step count up to it
/// is exact as the `f64` the bias corrections are computed from, and a
/// trainer restored from it cannot count past `u64::MAX`.
pub const MAX_STEPS: u64 = 1 << 53;
/// Bytes before the layer shapes: magic, version, layer count, normalization.
const FIXED_HEADER: usize = 12;
/// Bytes of the counters and Adam's hyperparameters: two `u64`, four `f64`.
const COUNTERS: usize = 48;

/// A trainer's step and epoch counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Counters {
    /// Adam steps taken.
    pub(crate) steps: u64,
    /// Epochs trained.
    pub(crate) epochs: u64,
}

/// Number of parameters of `model`.
fn parameters<M: Layers>(model: &M) -> usize {
    (0..model.count()).map(|k| model.layer(k).parts().iter().map(|p| p.len()).sum::<usize>()).sum()
}

/// Length of a training state of `model`: `64 + 8·L + 12·P`.
pub(crate) fn state_len<M: Layers>(model: &M) -> usize {
    FIXED_HEADER + 8 * model.count() + COUNTERS + 12 * parameters(model) + 4
}

/// Whether a second moment is one Adam can produce: finite, sign bit clear.
fn valid_second_moment(v: f32) -> bool {
    v.is_finite() && v.is_sign_positive()
}

/// Whether the counters are within the format's limits.
fn valid_counters(c: Counters) -> bool {
    c.steps <= MAX_STEPS && c.epochs <= c.steps
}

/// Writes the training state of `model`, its moments `m1`, `m2`, `counters`
/// and `adam` into `buf` and returns its length.
///
/// Errors, checked in this order before anything is written:
/// [`Error::BufferTooSmall`], [`Error::NonFiniteParameter`],
/// [`Error::BadState`] (moments or counters the decoder would refuse), so
/// that every state written loads.
pub(crate) fn encode_state<M: Layers>(
    model: &M,
    (m1, m2): (&M, &M),
    counters: Counters,
    adam: &Adam,
    buf: &mut [u8],
) -> Result<usize, Error> {
    let len = state_len(model);
    let Some(out) = buf.get_mut(..len) else {
        return Err(Error::BufferTooSmall { needed: len });
    };
    if !is_finite(model) {
        return Err(Error::NonFiniteParameter);
    }
    let moments_ok = is_finite(m1)
        && (0..m2.count())
            .all(|k| m2.layer(k).parts().iter().all(|p| p.iter().all(|&v| valid_second_moment(v))));
    if !moments_ok || !valid_counters(counters) {
        return Err(Error::BadState);
    }
    let mut pos = 0;
    let mut put = |bytes: &[u8]| {
        out[pos..pos + bytes.len()].copy_from_slice(bytes);
        pos += bytes.len();
    };
    put(&MAGIC);
    put(&VERSION.to_le_bytes());
    put(&(model.count() as u16).to_le_bytes());
    put(&normalization_code(normalization(model)).to_le_bytes());
    for k in 0..model.count() {
        let l = model.layer(k);
        put(&(l.fan_in as u32).to_le_bytes());
        put(&(l.fan_out as u32).to_le_bytes());
    }
    put(&counters.steps.to_le_bytes());
    put(&counters.epochs.to_le_bytes());
    for h in [adam.learning_rate, adam.beta1, adam.beta2, adam.epsilon] {
        put(&h.to_le_bytes());
    }
    for part in [model, m1, m2] {
        for k in 0..part.count() {
            for v in part.layer(k).parts().into_iter().flatten() {
                put(&v.to_le_bytes());
            }
        }
    }
    let crc = crc32(&out[..len - 4]);
    out[len - 4..].copy_from_slice(&crc.to_le_bytes());
    Ok(len)
}

/// The normalization a state's code names: 0 none, 1 LayerNorm.
fn normalization_from_state_code(code: u32) -> Option<Normalization> {
    match code {
        0 => Some(Normalization::None),
        1 => Some(Normalization::LayerNorm),
        _ => None,
    }
}

/// A little-endian `u64` from the first 8 bytes of `b`.
fn read_u64(b: &[u8]) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[..8]);
    u64::from_le_bytes(a)
}

/// An `f32` from the first 4 bytes of `b`.
fn read_f32(b: &[u8]) -> f32 {
    f32::from_bits(read_u32(b))
}

/// Reads a training state into `model` and its moments `m1`, `m2`, after
/// every check of the [module's](self) list; returns the counters and
/// Adam's hyperparameters for the caller to set. On error nothing is
/// written.
pub(crate) fn decode_state<M: LayersMut>(
    model: &mut M,
    (m1, m2): (&mut M, &mut M),
    bytes: &[u8],
) -> Result<(Counters, Adam), Error> {
    let expected = state_len(model);
    let bad_length = Error::BadLength { expected, found: bytes.len() };
    if bytes.len() < FIXED_HEADER {
        return Err(bad_length);
    }
    if bytes[..4] != MAGIC {
        return Err(Error::BadMagic);
    }
    let version = u16::from_le_bytes([bytes[4], bytes[5]]);
    if version != VERSION {
        return Err(Error::UnsupportedVersion(version));
    }
    let norm = normalization_from_state_code(read_u32(&bytes[8..12])).ok_or(Error::BadShape)?;
    let layers = usize::from(u16::from_le_bytes([bytes[6], bytes[7]]));
    if norm != normalization(model) || layers != model.count() {
        return Err(Error::ShapeMismatch);
    }
    let header = FIXED_HEADER + 8 * layers;
    let Some(shapes) = bytes.get(FIXED_HEADER..header) else {
        return Err(bad_length);
    };
    for (k, chunk) in shapes.chunks_exact(8).enumerate() {
        let l = model.layer(k);
        if read_u32(&chunk[..4]) as usize != l.fan_in || read_u32(&chunk[4..]) as usize != l.fan_out {
            return Err(Error::ShapeMismatch);
        }
    }
    if bytes.len() != expected {
        return Err(bad_length);
    }
    let (body, crc) = bytes.split_at(expected - 4);
    if crc32(body) != read_u32(crc) {
        return Err(Error::ChecksumMismatch);
    }
    let c = &body[header..header + COUNTERS];
    let f64_at = |k: usize| f64::from_bits(read_u64(&c[16 + 8 * k..]));
    let adam = Adam { learning_rate: f64_at(0), beta1: f64_at(1), beta2: f64_at(2), epsilon: f64_at(3) };
    adam.validate()?;
    let counters = Counters { steps: read_u64(c), epochs: read_u64(&c[8..]) };
    if !valid_counters(counters) {
        return Err(Error::BadState);
    }
    let p = parameters(model);
    let values = &body[header + COUNTERS..];
    let (params, moments) = values.split_at(4 * p);
    let (first, second) = moments.split_at(4 * p);
    if !params.chunks_exact(4).all(|b| read_f32(b).is_finite()) {
        return Err(Error::NonFiniteParameter);
    }
    let moments_ok = first.chunks_exact(4).all(|b| read_f32(b).is_finite())
        && second.chunks_exact(4).all(|b| valid_second_moment(read_f32(b)));
    if !moments_ok {
        return Err(Error::BadState);
    }
    for (part, src) in [(model, params), (m1, first), (m2, second)] {
        let mut values = src.chunks_exact(4).map(read_f32);
        for k in 0..part.count() {
            for (dst, v) in part.layer_mut(k).into_parts().into_iter().flatten().zip(&mut values) {
                *dst = v;
            }
        }
    }
    Ok((counters, adam))
}

/// The shape a training state declares in its header, so that a trainer of
/// that shape can be made to restore it into (its
/// [`Shape::state_bytes`] is the state's length).
///
/// # Errors
///
/// In this order: [`Error::BadLength`] (shorter than the 12-byte
/// header), [`Error::BadMagic`], [`Error::UnsupportedVersion`],
/// [`Error::BadShape`] (an unknown normalization code), [`Error::BadShape`]
/// (a layer count of 0 or above 64, or of 1 with a normalization),
/// [`Error::BadLength`] (cut short in the layer shapes), [`Error::BadShape`]
/// (a width outside the limits of [`Shape`], or a layer whose fan-in is not
/// the previous layer's fan-out). The rest is checked by the decoder.
///
/// # Examples
///
/// ```
/// use saorsa_nn::checkpoint::state;
/// use saorsa_nn::{NetworkTrainer, Normalization, Shape};
///
/// let shape = Shape::new(&[3, 16, 4])?.with_normalization(Normalization::LayerNorm);
/// let trainer = NetworkTrainer::new(shape.clone(), 1, vec![0.0; shape.arena_len(1)])?;
/// let mut bytes = vec![0u8; shape.state_bytes()];
/// trainer.encode_state(&mut bytes)?;
/// assert_eq!(state::read_shape(&bytes)?, shape);
/// assert_eq!(state::read_shape(&bytes[..10]), Err(saorsa_nn::Error::BadLength { expected: 12, found: 10 }));
/// # Ok::<(), saorsa_nn::Error>(())
/// ```
pub fn read_shape(bytes: &[u8]) -> Result<Shape, Error> {
    if bytes.len() < FIXED_HEADER {
        return Err(Error::BadLength { expected: FIXED_HEADER, found: bytes.len() });
    }
    if bytes[..4] != MAGIC {
        return Err(Error::BadMagic);
    }
    let version = u16::from_le_bytes([bytes[4], bytes[5]]);
    if version != VERSION {
        return Err(Error::UnsupportedVersion(version));
    }
    let norm = normalization_from_state_code(read_u32(&bytes[8..12])).ok_or(Error::BadShape)?;
    let layers = usize::from(u16::from_le_bytes([bytes[6], bytes[7]]));
    let min_layers = if norm == Normalization::None { 1 } else { 2 };
    if layers < min_layers || layers > MAX_LAYERS {
        return Err(Error::BadShape);
    }
    let header = FIXED_HEADER + 8 * layers;
    let Some(shapes) = bytes.get(FIXED_HEADER..header) else {
        return Err(Error::BadLength { expected: header, found: bytes.len() });
    };
    let mut widths = heapless::Vec::<usize, { MAX_LAYERS + 1 }>::new();
    for (k, chunk) in shapes.chunks_exact(8).enumerate() {
        let (fan_in, fan_out) = (read_u32(&chunk[..4]) as usize, read_u32(&chunk[4..]) as usize);
        if k == 0 {
            widths.push(fan_in).map_err(|_| Error::BadShape)?;
        } else if widths.last() != Some(&fan_in) {
            return Err(Error::BadShape);
        }
        widths.push(fan_out).map_err(|_| Error::BadShape)?;
    }
    Ok(Shape::new(&widths)?.with_normalization(norm))
}
