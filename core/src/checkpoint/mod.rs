//! Checkpoints: a model's parameters as bytes, readable with `np.frombuffer`.
//!
//! ```
//! use saorsa_nn::{Init, PaperNet};
//!
//! let mut net = Box::new(PaperNet::new());
//! net.init_from_seed(Init::GlorotNormal, 0)?;
//! let mut bytes = [0u8; PaperNet::CHECKPOINT_BYTES];
//! net.encode_checkpoint(&mut bytes)?;
//! assert_eq!(&bytes[..4], b"SNN1");
//!
//! let mut back = Box::new(PaperNet::new());
//! back.decode_checkpoint(&bytes)?;
//! assert_eq!(back, net);
//! # Ok::<(), saorsa_nn::Error>(())
//! ```
//!
//! # Format, version 1
//!
//! All integers and floats little-endian.
//!
//! | bytes | content |
//! |---|---|
//! | 4 | magic `SNN1` |
//! | 2 | `u16` format version, 1 |
//! | 2 | `u16` number of dense layers `L` |
//! | 8·L | per layer, `u32` fan_in then `u32` fan_out |
//! | … | per layer, its weights (`fan_in × fan_out`, row-major, `f32`), then its biases (`fan_out × f32`) |
//! | 4 | `u32` CRC-32 (IEEE 802.3, as zlib's `crc32`) of every preceding byte |
//!
//! In NumPy, with `o` the offset of a layer's weights:
//! `np.frombuffer(buf, '<f4', fan_in * fan_out, o).reshape(fan_in, fan_out)`.
//!
//! # Format, version 2: normalization recorded
//!
//! Version 1 plus a `u32` after the layer count that says what stands
//! between each hidden layer and its ReLU ([`crate::shape::Normalization`]):
//!
//! | bytes | content |
//! |---|---|
//! | 4 | magic `SNN1` |
//! | 2 | `u16` format version, 2 |
//! | 2 | `u16` number of dense layers `L` |
//! | 4 | `u32` normalization: 1 [`LayerNorm`](crate::shape::Normalization::LayerNorm); other values are refused |
//! | 8·L | per layer, `u32` fan_in then `u32` fan_out |
//! | … | per layer, its weights, then its biases, then — hidden layers of a normalized network — its `fan_out` gains `γ` and `fan_out` shifts `β` (`f32`) |
//! | 4 | `u32` CRC-32 of every preceding byte |
//!
//! A network without normalization (the paper's) is written as version 1,
//! so its checkpoints are the bytes they always were; a normalized one (it
//! has at least one hidden layer) as version 2. Both versions are read; a
//! version-2 file of one layer, or whose code is not 1, is refused.
//!
//! # Training states
//!
//! A weights checkpoint is enough to run a model or to start training it
//! again from those weights; to *resume* a training run bit for bit, save
//! the trainer's whole state instead ([`state`]: magic `SNS1`, with Adam's
//! moments, step count and hyperparameters, and the epochs trained).

mod crc;
mod decode;
mod encode;
pub mod state;

pub use crc::{crc32, crc32_update};
pub(crate) use decode::decode;
use encode::checkpoint_len;
pub(crate) use encode::encode;

use crate::error::Error;
use crate::shape::{MAX_LAYERS, Normalization, Shape};

/// The magic bytes that open every checkpoint.
pub const MAGIC: [u8; 4] = *b"SNN1";
/// The format version of a network without normalization (the paper's).
pub const VERSION: u16 = 1;
/// The format version that records a normalization (written for normalized
/// networks; read either way).
pub const NORMALIZED_VERSION: u16 = 2;

/// The normalization code of a version-2 header (never 0: a network
/// without normalization is written as version 1).
fn normalization_code(norm: Normalization) -> u32 {
    match norm {
        Normalization::None => 0,
        Normalization::LayerNorm => 1,
    }
}

/// The normalization a version-2 header's code names.
fn normalization_from_code(code: u32) -> Option<Normalization> {
    match code {
        1 => Some(Normalization::LayerNorm),
        _ => None,
    }
}

/// The version, normalization and header length (up to the layer shapes)
/// of a checkpoint whose first 8 bytes are `bytes[..8]` and whose magic is
/// already checked. Errors: [`Error::UnsupportedVersion`];
/// [`Error::BadLength`] for a version-2 header cut short; [`Error::BadShape`]
/// for an unknown normalization code.
fn read_version(bytes: &[u8]) -> Result<(Normalization, usize), Error> {
    match u16::from_le_bytes([bytes[4], bytes[5]]) {
        VERSION => Ok((Normalization::None, 8)),
        NORMALIZED_VERSION => {
            let Some(code) = bytes.get(8..12) else {
                return Err(Error::BadLength { expected: 12, found: bytes.len() });
            };
            let norm = normalization_from_code(read_u32(code)).ok_or(Error::BadShape)?;
            Ok((norm, 12))
        }
        v => Err(Error::UnsupportedVersion(v)),
    }
}

/// The shape a checkpoint declares in its header, so that a network of that
/// shape can be made to decode it into: its [`Shape::parameter_count`] is
/// the length of the storage [`crate::Network::from_checkpoint`] needs, its
/// [`Shape::checkpoint_bytes`] the checkpoint's length.
///
/// # Errors
///
/// In this order: [`Error::BadLength`] (too short for its header),
/// [`Error::BadMagic`], [`Error::UnsupportedVersion`] (neither 1 nor 2),
/// then for version 2 [`Error::BadLength`] (no room for the normalization
/// code) and [`Error::BadShape`] (a code other than 1), then
/// [`Error::BadShape`] (a layer count of 0 or above 64, or of 1 in version
/// 2, a width outside the limits of [`Shape`], or a layer whose fan-in is
/// not the previous layer's fan-out).
/// The body and the CRC are checked by the decoder.
///
/// # Examples
///
/// ```
/// use saorsa_nn::{Error, Shape, checkpoint, shape};
///
/// let mut bytes = vec![0u8; shape::checkpoint_bytes(&[3, 7, 2])];
/// let net = saorsa_nn::Network::new(Shape::new(&[3, 7, 2])?, vec![0.0; 44])?;
/// net.encode_checkpoint(&mut bytes)?;
/// assert_eq!(checkpoint::read_shape(&bytes)?.widths(), &[3, 7, 2]);
/// assert_eq!(checkpoint::read_shape(b"SNN"), Err(Error::BadLength { expected: 8, found: 3 }));
/// # Ok::<(), saorsa_nn::Error>(())
/// ```
pub fn read_shape(bytes: &[u8]) -> Result<Shape, Error> {
    if bytes.len() < 8 {
        return Err(Error::BadLength { expected: 8, found: bytes.len() });
    }
    if bytes[..4] != MAGIC {
        return Err(Error::BadMagic);
    }
    let (norm, start) = read_version(bytes)?;
    let layers = usize::from(u16::from_le_bytes([bytes[6], bytes[7]]));
    let min_layers = if norm == Normalization::None { 1 } else { 2 };
    if layers < min_layers || layers > MAX_LAYERS {
        return Err(Error::BadShape);
    }
    let header = start + 8 * layers;
    let Some(shapes) = bytes.get(start..header) else {
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

/// A little-endian `u32` from the first 4 bytes of `b`.
fn read_u32(b: &[u8]) -> u32 {
    u32::from_le_bytes([b[0], b[1], b[2], b[3]])
}
