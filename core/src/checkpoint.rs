//! Checkpoints: a model's parameters as bytes, readable with `np.frombuffer`.
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

use crate::error::Error;
use crate::model::Mlp;

/// The magic bytes that open every checkpoint.
pub const MAGIC: [u8; 4] = *b"SNN1";
/// The format version this build writes and reads.
pub const VERSION: u16 = 1;

const CRC_TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut n = 0;
    while n < 256 {
        let mut c = n as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
            k += 1;
        }
        table[n] = c;
        n += 1;
    }
    table
};

/// CRC-32 (IEEE 802.3; reflected polynomial `0xEDB88320`, initial value and
/// final XOR `0xFFFFFFFF`), as zlib's `crc32` and Python's `zlib.crc32`.
/// `crc32(b"123456789") == 0xCBF43926`.
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut c = !0u32;
    for &b in bytes {
        c = CRC_TABLE[((c ^ u32::from(b)) & 0xFF) as usize] ^ (c >> 8);
    }
    !c
}

impl<const IN: usize, const WIDTH: usize, const MID: usize, const OUT: usize> Mlp<IN, WIDTH, MID, OUT> {
    /// Length of this network's header: magic, version, layer count, shapes.
    const HEADER_BYTES: usize = 8 + 8 * Self::LAYERS;

    /// Exact length of this network's checkpoint:
    /// `8 + 8·LAYERS + 4·PARAMETERS + 4`.
    pub const CHECKPOINT_BYTES: usize = Self::HEADER_BYTES + 4 * Self::PARAMETERS + 4;

    /// Writes the checkpoint into `buf[..CHECKPOINT_BYTES]` and returns its
    /// length.
    ///
    /// Errors: [`Error::BufferTooSmall`] if `buf` is shorter than
    /// [`Mlp::CHECKPOINT_BYTES`]; then nothing is written.
    pub fn encode_checkpoint(&self, buf: &mut [u8]) -> Result<usize, Error> {
        let len = Self::CHECKPOINT_BYTES;
        let Some(out) = buf.get_mut(..len) else {
            return Err(Error::BufferTooSmall { needed: len });
        };
        let mut w = Writer { out, pos: 0 };
        w.put(&MAGIC);
        w.put(&VERSION.to_le_bytes());
        w.put(&(Self::LAYERS as u16).to_le_bytes());
        for (fan_in, fan_out) in Self::shapes() {
            w.put(&(fan_in as u32).to_le_bytes());
            w.put(&(fan_out as u32).to_le_bytes());
        }
        for layer in self.layers() {
            for v in layer.weights.iter().chain(layer.bias) {
                w.put(&v.to_le_bytes());
            }
        }
        let crc = crc32(&w.out[..w.pos]);
        w.put(&crc.to_le_bytes());
        debug_assert_eq!(w.pos, len);
        Ok(len)
    }

    /// Reads a checkpoint into this model, in place.
    ///
    /// Everything is checked before anything is written, in this order:
    /// [`Error::BadLength`] (too short for a header), [`Error::BadMagic`],
    /// [`Error::UnsupportedVersion`], [`Error::ShapeMismatch`] (layer count
    /// or a shape differs from this type's), [`Error::BadLength`] (total
    /// length), [`Error::ChecksumMismatch`], [`Error::NonFiniteParameter`].
    /// On error the model is unchanged.
    pub fn decode_checkpoint(&mut self, bytes: &[u8]) -> Result<(), Error> {
        let expected = Self::CHECKPOINT_BYTES;
        let bad_length = Error::BadLength { expected, found: bytes.len() };
        if bytes.len() < 8 {
            return Err(bad_length);
        }
        if bytes[..4] != MAGIC {
            return Err(Error::BadMagic);
        }
        let version = u16::from_le_bytes([bytes[4], bytes[5]]);
        if version != VERSION {
            return Err(Error::UnsupportedVersion(version));
        }
        if usize::from(u16::from_le_bytes([bytes[6], bytes[7]])) != Self::LAYERS {
            return Err(Error::ShapeMismatch);
        }
        let Some(shapes) = bytes.get(8..Self::HEADER_BYTES) else {
            return Err(bad_length);
        };
        for (chunk, (fan_in, fan_out)) in shapes.chunks_exact(8).zip(Self::shapes()) {
            let read = |k: usize| u32::from_le_bytes([chunk[k], chunk[k + 1], chunk[k + 2], chunk[k + 3]]);
            if read(0) as usize != fan_in || read(4) as usize != fan_out {
                return Err(Error::ShapeMismatch);
            }
        }
        if bytes.len() != expected {
            return Err(bad_length);
        }
        let (body, crc) = bytes.split_at(expected - 4);
        if crc32(body) != u32::from_le_bytes([crc[0], crc[1], crc[2], crc[3]]) {
            return Err(Error::ChecksumMismatch);
        }
        let params = &body[Self::HEADER_BYTES..];
        let value = |c: &[u8]| f32::from_le_bytes([c[0], c[1], c[2], c[3]]);
        if !params.chunks_exact(4).all(|c| value(c).is_finite()) {
            return Err(Error::NonFiniteParameter);
        }
        let mut values = params.chunks_exact(4).map(value);
        for layer in self.layers_mut() {
            for (dst, src) in layer.weights.iter_mut().chain(layer.bias.iter_mut()).zip(&mut values) {
                *dst = src;
            }
        }
        Ok(())
    }
}

struct Writer<'a> {
    out: &'a mut [u8],
    pos: usize,
}

impl Writer<'_> {
    fn put(&mut self, bytes: &[u8]) {
        self.out[self.pos..self.pos + bytes.len()].copy_from_slice(bytes);
        self.pos += bytes.len();
    }
}
