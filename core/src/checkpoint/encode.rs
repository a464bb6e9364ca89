//! Writing a checkpoint of any [`Layers`].

use super::{MAGIC, NORMALIZED_VERSION, VERSION, crc32, normalization_code};
use crate::engine::{Layers, is_finite, normalization};
use crate::error::Error;
use crate::shape::Normalization;

/// Length of a checkpoint of `model`: `8 + 8·L + 4·P + 4` (version 1), 4
/// more for version 2.
pub(crate) fn checkpoint_len<M: Layers>(model: &M) -> usize {
    let params: usize =
        (0..model.count()).map(|k| model.layer(k).parts().iter().map(|p| p.len()).sum::<usize>()).sum();
    let v2 = if normalization(model) == Normalization::None { 0 } else { 4 };
    8 + v2 + 8 * model.count() + 4 * params + 4
}

/// Writes `model`'s checkpoint into `buf` (see [`crate::checkpoint`]).
///
/// Errors, checked in this order before anything is written:
/// [`Error::BufferTooSmall`], [`Error::NonFiniteParameter`] (a NaN or
/// infinite weight or bias, which [`decode`](fn@super::decode) would refuse: every
/// checkpoint written loads).
pub(crate) fn encode<M: Layers>(model: &M, buf: &mut [u8]) -> Result<usize, Error> {
    let len = checkpoint_len(model);
    let Some(out) = buf.get_mut(..len) else {
        return Err(Error::BufferTooSmall { needed: len });
    };
    if !is_finite(model) {
        return Err(Error::NonFiniteParameter);
    }
    let norm = normalization(model);
    let mut w = Writer { out, pos: 0 };
    w.put(&MAGIC);
    w.put(&(if norm == Normalization::None { VERSION } else { NORMALIZED_VERSION }).to_le_bytes());
    w.put(&(model.count() as u16).to_le_bytes());
    if norm != Normalization::None {
        w.put(&normalization_code(norm).to_le_bytes());
    }
    for k in 0..model.count() {
        let l = model.layer(k);
        w.put(&(l.fan_in as u32).to_le_bytes());
        w.put(&(l.fan_out as u32).to_le_bytes());
    }
    for k in 0..model.count() {
        for v in model.layer(k).parts().into_iter().flatten() {
            w.put(&v.to_le_bytes());
        }
    }
    let crc = crc32(&w.out[..w.pos]);
    w.put(&crc.to_le_bytes());
    debug_assert_eq!(w.pos, len);
    Ok(len)
}

/// A cursor over the output buffer, which is long enough for everything put.
struct Writer<'a> {
    out: &'a mut [u8],
    pos: usize,
}

impl Writer<'_> {
    /// Appends `bytes`.
    fn put(&mut self, bytes: &[u8]) {
        self.out[self.pos..self.pos + bytes.len()].copy_from_slice(bytes);
        self.pos += bytes.len();
    }
}
