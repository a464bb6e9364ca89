//! [`AlignedArena`]: a trainer's arena starting on a 64-byte boundary.
//!
//! Where a buffer's first value lies changes how fast the kernels run over
//! it, not what they compute: with the arena of a [`super::NetworkTrainer`]
//! in a plain `Vec<f32>` (16-byte aligned by the allocator), the paper's
//! study trained 16% slower or not depending only on where the heap placed
//! it (3.72 s against 3.19 s on an AVX-512 machine, the same binary;
//! `benches/README.md`). Starting the arena on a 64-byte boundary — a cache
//! line, one AVX-512 vector — gives every run the fast layout. The bits never
//! depend on it.
//!
//! ```
//! use saorsa_nn::{AlignedArena, Init, NetworkTrainer, Shape};
//!
//! let shape = Shape::new(&[2, 64, 64, 2])?;
//! let len = shape.arena_len_transposed(32);
//! let arena = AlignedArena::new(vec![0.0f32; len + AlignedArena::SLACK], len)?;
//! assert_eq!(arena.as_ref().as_ptr() as usize % 64, 0);
//! let mut t = NetworkTrainer::new(shape, 32, arena)?;
//! t.init_from_seed(Init::HeNormal, 0)?;
//! # Ok::<(), saorsa_nn::Error>(())
//! ```
//!
//! In firmware a `static` arena is aligned by its type instead (a
//! `#[repr(align(64))]` wrapper around the array).

use crate::error::Error;

/// `len` values of a buffer `S`, from its first 64-byte boundary: an arena
/// for [`super::NetworkTrainer`] (or any `AsRef<[f32]> + AsMut<[f32]>`
/// user) whose start is a cache line and an AVX-512 vector.
///
/// The start is found once, when the arena is made: the buffer's values
/// must not move afterwards, which holds for a heap buffer (`Vec<f32>`,
/// `Box<[f32]>`) or a borrowed slice. (An array held by value would move
/// with the arena; the arena would still be correct, only perhaps no longer
/// aligned.)
///
/// # Examples
///
/// ```
/// use saorsa_nn::AlignedArena;
///
/// let arena = AlignedArena::new(vec![0.0f32; 100 + AlignedArena::SLACK], 100)?;
/// assert_eq!(arena.as_ref().len(), 100);
/// assert_eq!(arena.as_ref().as_ptr().align_offset(64), 0);
/// # Ok::<(), saorsa_nn::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct AlignedArena<S> {
    buf: S,
    start: usize,
    len: usize,
}

impl AlignedArena<()> {
    /// Values a buffer needs beyond the arena's `len` so that a 64-byte
    /// boundary with `len` values after it lies inside it wherever it
    /// starts: `64 / 4 − 1 = 15` (an `f32` buffer is at least 4-byte
    /// aligned).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(saorsa_nn::AlignedArena::SLACK, 15);
    /// ```
    pub const SLACK: usize = 64 / core::mem::size_of::<f32>() - 1;
}

impl<S: AsRef<[f32]> + AsMut<[f32]>> AlignedArena<S> {
    /// The `len` values of `buf` from its first 64-byte boundary.
    ///
    /// # Errors
    ///
    /// [`Error::ArenaTooSmall`] if `buf` holds fewer than
    /// `len + `[`AlignedArena::SLACK`] values; `buf` is dropped.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{AlignedArena, Error};
    ///
    /// let short = AlignedArena::new(vec![0.0f32; 100], 100);
    /// assert_eq!(short.err(), Some(Error::ArenaTooSmall { needed: 115, found: 100 }));
    /// ```
    pub fn new(buf: S, len: usize) -> Result<Self, Error> {
        let needed = len.saturating_add(AlignedArena::SLACK);
        let found = buf.as_ref().len();
        if found < needed {
            return Err(Error::ArenaTooSmall { needed, found });
        }
        let start = buf.as_ref().as_ptr().align_offset(64).min(AlignedArena::SLACK);
        Ok(AlignedArena { buf, start, len })
    }

    /// The buffer, whole.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::AlignedArena;
    ///
    /// let arena = AlignedArena::new(vec![1.0f32; 20], 5)?;
    /// assert_eq!(arena.into_inner().len(), 20);
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn into_inner(self) -> S {
        self.buf
    }
}

impl<S: AsRef<[f32]>> AsRef<[f32]> for AlignedArena<S> {
    /// The arena's `len` values.
    fn as_ref(&self) -> &[f32] {
        &self.buf.as_ref()[self.start..self.start + self.len]
    }
}

impl<S: AsMut<[f32]>> AsMut<[f32]> for AlignedArena<S> {
    /// The arena's `len` values, mutably.
    fn as_mut(&mut self) -> &mut [f32] {
        &mut self.buf.as_mut()[self.start..self.start + self.len]
    }
}
