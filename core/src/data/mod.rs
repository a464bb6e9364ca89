//! Data sets: a validated view of samples and labels, the paper's two-moons
//! generator and its train/validation split.
//!
//! ```
//! use saorsa_nn::{Dataset, data, rng_from_seed};
//!
//! // The paper's data: two moons, 75/25 split, both from seed 1.
//! let (mut x, mut y) = ([[0.0f32; 2]; 1200], [0u8; 1200]);
//! data::make_moons(&mut rng_from_seed(1), 0.18, &mut x, &mut y)?;
//! let split = data::train_val_split(&mut rng_from_seed(1), 0.25, &mut x, &mut y)?;
//! let train = Dataset::<2, 2>::new(split.train_x, split.train_y)?;
//! assert_eq!(train.len(), 900);
//! # Ok::<(), saorsa_nn::Error>(())
//! ```

use crate::error::{Error, Hyperparameter};
use crate::init::Sampler;
use rand_core::Rng;

mod synthetic;
pub use synthetic::*;

/// A validated, borrowed data set: `FEATURES`-wide samples, each with a label
/// in `0..CLASSES`.
///
/// Construction checks every value once ([`Dataset::new`]), so training and
/// evaluation on a `Dataset` can never meet NaN, ±∞ or a bad label.
///
/// # Examples
///
/// ```
/// use saorsa_nn::{Dataset, Error};
///
/// let x = [[0.0f32, 1.0], [1.0, 0.0], [0.5, 0.5]];
/// let data = Dataset::<2, 2>::new(&x, &[0, 1, 1])?;
/// assert_eq!(data.len(), 3);
/// assert_eq!(Dataset::<2, 2>::new(&x, &[0, 1, 2]), Err(Error::LabelOutOfRange { index: 2, label: 2 }));
/// # Ok::<(), saorsa_nn::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Dataset<'a, const FEATURES: usize, const CLASSES: usize> {
    x: &'a [[f32; FEATURES]],
    y: &'a [u8],
}

impl<'a, const FEATURES: usize, const CLASSES: usize> Dataset<'a, FEATURES, CLASSES> {
    /// Validates and wraps samples `x` and labels `y`.
    ///
    /// # Errors
    ///
    /// In this order: [`Error::LengthMismatch`],
    /// [`Error::EmptyDataset`], then for the first bad sample
    /// [`Error::NonFiniteInput`] or [`Error::LabelOutOfRange`].
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Dataset, Error};
    ///
    /// let x = [[0.0f32, 1.0], [f32::NAN, 0.0]];
    /// assert_eq!(Dataset::<2, 2>::new(&x, &[0, 1]), Err(Error::NonFiniteInput { index: 1 }));
    /// assert_eq!(Dataset::<2, 2>::new(&x, &[0]), Err(Error::LengthMismatch { samples: 2, labels: 1 }));
    /// assert_eq!(Dataset::<2, 2>::new(&[], &[]), Err(Error::EmptyDataset));
    /// assert!(Dataset::<2, 2>::new(&x[..1], &[1]).is_ok());
    /// ```
    pub fn new(x: &'a [[f32; FEATURES]], y: &'a [u8]) -> Result<Self, Error> {
        if x.len() != y.len() {
            return Err(Error::LengthMismatch { samples: x.len(), labels: y.len() });
        }
        if x.is_empty() {
            return Err(Error::EmptyDataset);
        }
        for (index, (row, &label)) in x.iter().zip(y).enumerate() {
            if !row.iter().all(|v| v.is_finite()) {
                return Err(Error::NonFiniteInput { index });
            }
            if usize::from(label) >= CLASSES {
                return Err(Error::LabelOutOfRange { index, label });
            }
        }
        Ok(Dataset { x, y })
    }

    /// Number of samples (never zero).
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::Dataset;
    ///
    /// assert_eq!(Dataset::<1, 2>::new(&[[0.0], [1.0]], &[0, 1])?.len(), 2);
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn len(&self) -> usize {
        self.x.len()
    }

    /// Always `false`: a `Dataset` holds at least one sample.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::Dataset;
    ///
    /// assert!(!Dataset::<1, 2>::new(&[[0.0]], &[0])?.is_empty());
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The samples.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::Dataset;
    ///
    /// let x = [[0.5f32, 1.0]];
    /// assert_eq!(Dataset::<2, 2>::new(&x, &[1])?.x(), &x);
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn x(&self) -> &'a [[f32; FEATURES]] {
        self.x
    }

    /// The labels.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::Dataset;
    ///
    /// assert_eq!(Dataset::<1, 3>::new(&[[0.0], [1.0]], &[2, 0])?.y(), &[2, 0]);
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn y(&self) -> &'a [u8] {
        self.y
    }

    /// Consecutive sub-sets of `size` samples (the last may be shorter),
    /// in order: the framework's mini-batches, which it never shuffles.
    ///
    /// # Panics
    ///
    /// If `size` is zero.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::Dataset;
    ///
    /// let x = [[0.0f32], [1.0], [2.0], [3.0], [4.0]];
    /// let data = Dataset::<1, 2>::new(&x, &[0, 1, 0, 1, 0])?;
    /// let sizes: Vec<usize> = data.batches(2).map(|b| b.len()).collect();
    /// assert_eq!(sizes, [2, 2, 1]);
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn batches(
        &self,
        size: usize,
    ) -> impl Iterator<Item = Dataset<'a, FEATURES, CLASSES>> + use<'a, FEATURES, CLASSES> {
        self.x.chunks(size).zip(self.y.chunks(size)).map(|(x, y)| Dataset { x, y })
    }

    /// The same samples as a run-time shaped [`Samples`] (no check needed:
    /// they were checked when `self` was made).
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::Dataset;
    ///
    /// let x = [[0.0f32, 1.0], [2.0, 3.0]];
    /// let samples = Dataset::<2, 3>::new(&x, &[0, 2])?.samples();
    /// assert_eq!((samples.features(), samples.classes()), (2, 3));
    /// assert_eq!(samples.x(), &[0.0, 1.0, 2.0, 3.0]);
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn samples(&self) -> Samples<'a> {
        Samples { x: self.x.as_flattened(), y: self.y, features: FEATURES, classes: CLASSES }
    }
}

/// A validated, borrowed data set whose width is known at run time: `n`
/// samples of `features` values each, row-major in one slice, each with a
/// label in `0..classes`. The run-time counterpart of [`Dataset`], for
/// [`crate::NetworkTrainer`].
///
/// # Examples
///
/// ```
/// use saorsa_nn::Samples;
///
/// // Three samples of 2 features, row-major, 2 classes.
/// let x = [0.0f32, 1.0, 1.0, 0.0, 0.5, 0.5];
/// let data = Samples::new(&x, &[0, 1, 1], 2, 2)?;
/// assert_eq!((data.len(), data.features()), (3, 2));
/// # Ok::<(), saorsa_nn::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Samples<'a> {
    x: &'a [f32],
    y: &'a [u8],
    features: usize,
    classes: usize,
}

impl<'a> Samples<'a> {
    /// Validates and wraps samples `x` (`y.len() × features`, row-major) and
    /// labels `y`.
    ///
    /// # Errors
    ///
    /// In this order: [`Error::BadShape`] if `features` is 0 or
    /// `classes` is not in `1..=256`; [`Error::LengthMismatch`] if `x` does
    /// not hold exactly `y.len()` rows (`samples` is then the number of
    /// whole rows in `x`); [`Error::EmptyDataset`]; then for the first bad
    /// sample [`Error::NonFiniteInput`] or [`Error::LabelOutOfRange`].
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Error, Samples};
    ///
    /// let x = [0.0f32, 1.0, 1.0, 0.0, 0.5];
    /// assert_eq!(Samples::new(&x, &[0, 1], 2, 2), Err(Error::LengthMismatch { samples: 2, labels: 2 }));
    /// assert_eq!(Samples::new(&x[..4], &[0, 1], 0, 2), Err(Error::BadShape));
    /// assert!(Samples::new(&x[..4], &[0, 1], 2, 2).is_ok());
    /// ```
    pub fn new(x: &'a [f32], y: &'a [u8], features: usize, classes: usize) -> Result<Self, Error> {
        if features == 0 || !(1..=256).contains(&classes) {
            return Err(Error::BadShape);
        }
        if x.len() / features != y.len() || !x.len().is_multiple_of(features) {
            return Err(Error::LengthMismatch { samples: x.len() / features, labels: y.len() });
        }
        if y.is_empty() {
            return Err(Error::EmptyDataset);
        }
        for (index, (row, &label)) in x.chunks_exact(features).zip(y).enumerate() {
            if !row.iter().all(|v| v.is_finite()) {
                return Err(Error::NonFiniteInput { index });
            }
            if usize::from(label) >= classes {
                return Err(Error::LabelOutOfRange { index, label });
            }
        }
        Ok(Samples { x, y, features, classes })
    }

    /// Number of samples (never zero).
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::Samples;
    ///
    /// assert_eq!(Samples::new(&[0.0, 1.0, 2.0], &[0, 1, 0], 1, 2)?.len(), 3);
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn len(&self) -> usize {
        self.y.len()
    }

    /// Always `false`: `Samples` hold at least one sample.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::Samples;
    ///
    /// assert!(!Samples::new(&[0.0], &[0], 1, 2)?.is_empty());
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Features per sample.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::Samples;
    ///
    /// assert_eq!(Samples::new(&[0.0; 6], &[0, 1], 3, 2)?.features(), 3);
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn features(&self) -> usize {
        self.features
    }

    /// Number of classes the labels are drawn from (every label is below it).
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::Samples;
    ///
    /// assert_eq!(Samples::new(&[0.0; 6], &[0, 1], 3, 5)?.classes(), 5);
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn classes(&self) -> usize {
        self.classes
    }

    /// The samples, row-major.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::Samples;
    ///
    /// let x = [0.5f32, 1.5];
    /// assert_eq!(Samples::new(&x, &[1, 0], 1, 2)?.x(), &x);
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn x(&self) -> &'a [f32] {
        self.x
    }

    /// The labels.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::Samples;
    ///
    /// assert_eq!(Samples::new(&[0.5, 1.5], &[1, 0], 1, 2)?.y(), &[1, 0]);
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn y(&self) -> &'a [u8] {
        self.y
    }

    /// Consecutive sub-sets of `size` samples (the last may be shorter), in
    /// order: the framework's mini-batches, which it never shuffles.
    ///
    /// # Panics
    ///
    /// If `size` is zero.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::Samples;
    ///
    /// let x = [0.0f32, 1.0, 2.0, 3.0, 4.0];
    /// let data = Samples::new(&x, &[0, 1, 0, 1, 0], 1, 2)?;
    /// let sizes: Vec<usize> = data.batches(2).map(|b| b.len()).collect();
    /// assert_eq!(sizes, [2, 2, 1]);
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn batches(&self, size: usize) -> impl Iterator<Item = Samples<'a>> + use<'a> {
        let (features, classes) = (self.features, self.classes);
        self.x.chunks(size.saturating_mul(features)).zip(self.y.chunks(size)).map(move |(x, y)| Samples {
            x,
            y,
            features,
            classes,
        })
    }
}

/// The largest two-moons noise: with `|z| < 8.58` for every Box-Muller
/// normal and `|point| ≤ 2`, every sample then stays a finite f32
/// (`2 + 8.58 · f32::MAX/16 < f32::MAX`).
pub const MAX_NOISE: f64 = f32::MAX as f64 / 16.0;

/// Fills `x` and `y` with the paper's two-moons data (listing B).
///
/// With `n = x.len()`, `n1 = ⌊n/2⌋` and `n2 = n − n1`, the generator's stream
/// is consumed in the listing's order: `n1` angles `t ~ U[0, π)` for the upper
/// moon `(cos t, sin t)`, `n2` angles for the lower moon
/// `(1 − cos t, 1 − sin t)`, then Gaussian noise of standard deviation
/// `noise` for every coordinate (row-major), and finally the shuffle of
/// [`shuffle`]. Each coordinate is computed in f64 with `libm` and rounded
/// once to f32, as the listing's `X.astype(np.float32)`. Labels are 0 for the
/// upper moon and 1 for the lower. The formula is the paper's; NumPy's
/// random stream is not reproduced.
///
/// No buffer is needed: a clone of the generator, advanced past the angles,
/// supplies the noise while the original supplies the angles.
///
/// # Errors
///
/// [`Error::LengthMismatch`] if `x` and `y` differ in length,
/// [`Error::BadHyperparameter`] if `noise` is not in `[0, MAX_NOISE]`.
/// Nothing is written and no randomness is consumed on error.
///
/// # Examples
///
/// ```
/// use saorsa_nn::{data, rng_from_seed};
///
/// let (mut x, mut y) = ([[0.0f32; 2]; 100], [0u8; 100]);
/// data::make_moons(&mut rng_from_seed(1), 0.18, &mut x, &mut y)?;
/// assert_eq!(y.iter().filter(|&&l| l == 0).count(), 50);
/// // The same seed, the same data.
/// let (mut x2, mut y2) = ([[0.0f32; 2]; 100], [0u8; 100]);
/// data::make_moons(&mut rng_from_seed(1), 0.18, &mut x2, &mut y2)?;
/// assert_eq!((x, y), (x2, y2));
/// # Ok::<(), saorsa_nn::Error>(())
/// ```
pub fn make_moons<R: Rng + Clone>(
    rng: &mut R,
    noise: f64,
    x: &mut [[f32; 2]],
    y: &mut [u8],
) -> Result<(), Error> {
    if x.len() != y.len() {
        return Err(Error::LengthMismatch { samples: x.len(), labels: y.len() });
    }
    if !(0.0..=MAX_NOISE).contains(&noise) {
        return Err(Error::BadHyperparameter(Hyperparameter::Noise));
    }
    let n1 = x.len() / 2;
    let mut angles = Sampler::new(rng.clone());
    let mut noises = Sampler::new(rng.clone());
    for _ in 0..x.len() {
        noises.uniform();
    }
    for (k, (row, label)) in x.iter_mut().zip(y.iter_mut()).enumerate() {
        let t = core::f64::consts::PI * angles.uniform();
        let (px, py) =
            if k < n1 { (libm::cos(t), libm::sin(t)) } else { (1.0 - libm::cos(t), 1.0 - libm::sin(t)) };
        // Two normals per sample: always one whole Box-Muller pair.
        let nx = noise * noises.standard_normal();
        let ny = noise * noises.standard_normal();
        *row = [(px + nx) as f32, (py + ny) as f32];
        *label = u8::from(k >= n1);
    }
    *rng = noises.into_inner();
    shuffle(rng, x, y);
    Ok(())
}

/// Shuffles samples and labels together, in place, with the Fisher–Yates
/// algorithm: for `i` from `n − 1` down to 1, swap entry `i` with entry
/// `j`, uniform in `[0, i]` (bias-free, see [`Sampler::below`]).
///
/// Applying the swaps to the rows themselves is the same as drawing the
/// permutation `idx` and taking `x[idx]`, as the listings do.
///
/// # Panics
///
/// If `x` and `y` differ in length, or hold more than `u32::MAX` samples.
///
/// # Examples
///
/// ```
/// use saorsa_nn::{data, rng_from_seed};
///
/// let mut x = [[0.0f32], [1.0], [2.0], [3.0]];
/// let mut y = [0u8, 1, 2, 3];
/// data::shuffle(&mut rng_from_seed(4), &mut x, &mut y);
/// assert!(x.iter().zip(&y).all(|(row, &l)| row[0] == f32::from(l)));
/// let mut sorted = y;
/// sorted.sort();
/// assert_eq!(sorted, [0, 1, 2, 3]);
/// ```
pub fn shuffle<R: Rng, T>(rng: &mut R, x: &mut [T], y: &mut [u8]) {
    assert_eq!(x.len(), y.len(), "shuffle: samples and labels differ in length");
    let mut sampler = Sampler::new(rng);
    for i in (1..x.len()).rev() {
        let j = sampler.below(i + 1);
        x.swap(i, j);
        y.swap(i, j);
    }
}

/// A data set split into training and validation parts (borrowed).
///
/// # Examples
///
/// ```
/// use saorsa_nn::{data, rng_from_seed};
///
/// let (mut x, mut y) = ([[0.0f32; 2]; 40], [0u8; 40]);
/// data::make_moons(&mut rng_from_seed(1), 0.1, &mut x, &mut y)?;
/// let split = data::train_val_split(&mut rng_from_seed(1), 0.25, &mut x, &mut y)?;
/// assert_eq!((split.train_x.len(), split.val_x.len()), (30, 10));
/// # Ok::<(), saorsa_nn::Error>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Split<'a, const FEATURES: usize> {
    /// Training samples.
    pub train_x: &'a [[f32; FEATURES]],
    /// Training labels.
    pub train_y: &'a [u8],
    /// Validation samples.
    pub val_x: &'a [[f32; FEATURES]],
    /// Validation labels.
    pub val_y: &'a [u8],
}

/// The paper's deterministic train/validation split (listing C), in place.
///
/// Shuffles `(x, y)` with [`shuffle`], then the first
/// `n_val = ⌊n · val_ratio⌋` rows (computed in f64, like Python's
/// `int(len(X) * val_ratio)`) are the validation set and the rest the
/// training set.
///
/// # Errors
///
/// [`Error::LengthMismatch`], or [`Error::BadHyperparameter`] if
/// `val_ratio` is not in `[0, 1)`. Nothing is changed on error.
///
/// # Examples
///
/// ```
/// use saorsa_nn::{Dataset, Error, data, rng_from_seed};
///
/// let (mut x, mut y) = ([[0.0f32; 2]; 1200], [0u8; 1200]);
/// data::make_moons(&mut rng_from_seed(1), 0.18, &mut x, &mut y)?;
/// let split = data::train_val_split(&mut rng_from_seed(1), 0.25, &mut x, &mut y)?;
/// let (train, val) = (Dataset::<2, 2>::new(split.train_x, split.train_y)?, Dataset::<2, 2>::new(split.val_x, split.val_y)?);
/// assert_eq!((train.len(), val.len()), (900, 300));
/// let (mut x, mut y) = ([[0.0f32; 2]; 4], [0u8; 4]);
/// assert!(matches!(data::train_val_split(&mut rng_from_seed(1), 1.0, &mut x, &mut y), Err(Error::BadHyperparameter(_))));
/// # Ok::<(), saorsa_nn::Error>(())
/// ```
pub fn train_val_split<'a, R: Rng, const FEATURES: usize>(
    rng: &mut R,
    val_ratio: f64,
    x: &'a mut [[f32; FEATURES]],
    y: &'a mut [u8],
) -> Result<Split<'a, FEATURES>, Error> {
    if x.len() != y.len() {
        return Err(Error::LengthMismatch { samples: x.len(), labels: y.len() });
    }
    if !(0.0..1.0).contains(&val_ratio) {
        return Err(Error::BadHyperparameter(Hyperparameter::ValRatio));
    }
    shuffle(rng, x, y);
    let n_val = (x.len() as f64 * val_ratio) as usize;
    let (x, y): (&'a [[f32; FEATURES]], &'a [u8]) = (x, y);
    let (val_x, train_x) = x.split_at(n_val);
    let (val_y, train_y) = y.split_at(n_val);
    Ok(Split { train_x, train_y, val_x, val_y })
}
