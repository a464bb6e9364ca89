//! Reading a checkpoint into any [`LayersMut`], everything checked before
//! anything is written.

use super::{MAGIC, checkpoint_len, crc32, read_u32, read_version};
use crate::engine::{LayersMut, normalization};
use crate::error::Error;

/// Reads a checkpoint into `model`, in place, after checking everything
/// (see [`crate::Mlp::decode_checkpoint`] for the order of the checks).
pub(crate) fn decode<M: LayersMut>(model: &mut M, bytes: &[u8]) -> Result<(), Error> {
    let expected = checkpoint_len(model);
    let bad_length = Error::BadLength { expected, found: bytes.len() };
    if bytes.len() < 8 {
        return Err(bad_length);
    }
    if bytes[..4] != MAGIC {
        return Err(Error::BadMagic);
    }
    let (norm, start) = read_version(bytes).map_err(|e| match e {
        Error::BadLength { .. } => bad_length,
        e => e,
    })?;
    if norm != normalization(model) {
        return Err(Error::ShapeMismatch);
    }
    if usize::from(u16::from_le_bytes([bytes[6], bytes[7]])) != model.count() {
        return Err(Error::ShapeMismatch);
    }
    let header = start + 8 * model.count();
    let Some(shapes) = bytes.get(start..header) else {
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
    let params = &body[header..];
    let value = |c: &[u8]| f32::from_le_bytes([c[0], c[1], c[2], c[3]]);
    if !params.chunks_exact(4).all(|c| value(c).is_finite()) {
        return Err(Error::NonFiniteParameter);
    }
    let mut values = params.chunks_exact(4).map(value);
    for k in 0..model.count() {
        for (dst, src) in model.layer_mut(k).into_parts().into_iter().flatten().zip(&mut values) {
            *dst = src;
        }
    }
    Ok(())
}
