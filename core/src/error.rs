//! The crate's one error type.
//!
//! ```
//! use saorsa_nn::{Error, Shape};
//!
//! match Shape::new(&[2, 0, 2]) {
//!     Err(Error::BadShape) => {}
//!     other => panic!("{other:?}"),
//! }
//! # Ok::<(), saorsa_nn::Error>(())
//! ```

use core::fmt;

/// Everything that can go wrong in `saorsa-nn`, as a small `Copy` value.
///
/// Every fallible operation checks its input before it writes anything, so an
/// `Err` always means that the model, the optimizer state and the caller's
/// buffers are exactly as they were before the call.
///
/// # Examples
///
/// ```
/// use saorsa_nn::{Dataset, Error};
///
/// let x = [[0.0f32, f32::INFINITY]];
/// let err = Dataset::<2, 2>::new(&x, &[0]).unwrap_err();
/// assert_eq!(err, Error::NonFiniteInput { index: 0 });
/// assert_eq!(err.to_string(), "sample 0 is not finite");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A sample holds NaN or ±infinity.
    NonFiniteInput {
        /// Index of the first offending sample.
        index: usize,
    },
    /// A label is not smaller than the number of classes.
    LabelOutOfRange {
        /// Index of the first offending sample.
        index: usize,
        /// The label found there.
        label: u8,
    },
    /// Features and labels have different lengths.
    LengthMismatch {
        /// Number of feature rows.
        samples: usize,
        /// Number of labels.
        labels: usize,
    },
    /// A data set with no samples.
    EmptyDataset,
    /// The loss, the gradient or the updated parameters would not be finite.
    /// The step was not taken.
    Diverged,
    /// A hyperparameter outside its domain.
    BadHyperparameter(Hyperparameter),
    /// The output buffer is too small.
    BufferTooSmall {
        /// Bytes the operation needs.
        needed: usize,
    },
    /// A checkpoint does not start with the magic bytes `SNN1` (a training
    /// state: `SNS1`).
    BadMagic,
    /// A checkpoint of a format version this build cannot read.
    UnsupportedVersion(u16),
    /// A checkpoint whose layer count or layer shapes differ from the
    /// model's, or a data set whose features or classes differ from the
    /// network's inputs or classes.
    ShapeMismatch,
    /// A network shape outside the limits of [`crate::Shape`] (1 to 64
    /// layers, widths 1 to 4096, 2 to 256 classes), or a list of per-layer
    /// initializers whose length is not the number of layers.
    BadShape,
    /// A caller-provided `f32` buffer (parameters, arena or scratch) shorter
    /// than the shape needs.
    ArenaTooSmall {
        /// Elements the shape needs.
        needed: usize,
        /// Elements given.
        found: usize,
    },
    /// A checkpoint whose length differs from the one its header implies.
    BadLength {
        /// Bytes the header implies.
        expected: usize,
        /// Bytes given.
        found: usize,
    },
    /// A checkpoint whose CRC-32 does not match its contents.
    ChecksumMismatch,
    /// A checkpoint that holds a NaN or infinite parameter.
    NonFiniteParameter,
    /// A parameter buffer whose length is not the parameter count of the
    /// checkpoint it is to hold ([`crate::Network::from_checkpoint`]).
    StorageLength {
        /// Parameters the checkpoint's header declares.
        expected: usize,
        /// Elements given.
        found: usize,
    },
    /// A training state ([`crate::checkpoint::state`]) whose optimizer
    /// state Adam cannot have produced: a step count above
    /// [`crate::checkpoint::state::MAX_STEPS`] or below the epoch count, a
    /// NaN or infinite moment, or a negative (or `−0`) second moment.
    BadState,
}

/// Names the hyperparameter in [`Error::BadHyperparameter`].
///
/// # Examples
///
/// ```
/// use saorsa_nn::{Adam, Error, Hyperparameter};
///
/// let err = Adam::with_learning_rate(-1.0).validate().unwrap_err();
/// assert_eq!(err, Error::BadHyperparameter(Hyperparameter::LearningRate));
/// assert_eq!(err.to_string(), "bad hyperparameter: learning rate must be > 0 and at most f32::MAX");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Hyperparameter {
    /// Adam's learning rate: > 0 and at most `f32::MAX`.
    LearningRate,
    /// Adam's β1: must lie in [0, 1).
    Beta1,
    /// Adam's β2: must lie in [0, 1).
    Beta2,
    /// Adam's ε: > 0 and at most `f32::MAX`.
    Epsilon,
    /// The small-normal initializer's standard deviation: finite, ≥ 0 and at
    /// most `f32::MAX / 9` (so that every scaled draw stays finite).
    InitStd,
    /// The two-moons noise: in `[0, f32::MAX / 16]` (see `data::MAX_NOISE`).
    Noise,
    /// The validation ratio: in [0, 1).
    ValRatio,
    /// A mini-batch size of zero.
    BatchSize,
    /// A synthetic data set's number of classes (spiral arms, blobs): must
    /// lie in `2..=256`.
    Classes,
    /// The circles' inner radius: must lie in (0, 1).
    Factor,
    /// A dimension count: blobs need at least 2; an embedding at least 1
    /// input feature and room for the features plus the noise dimensions.
    Dimensions,
}

impl fmt::Display for Hyperparameter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Hyperparameter::LearningRate => "learning rate must be > 0 and at most f32::MAX",
            Hyperparameter::Beta1 => "beta1 must lie in [0, 1)",
            Hyperparameter::Beta2 => "beta2 must lie in [0, 1)",
            Hyperparameter::Epsilon => "epsilon must be > 0 and at most f32::MAX",
            Hyperparameter::InitStd => "initializer std must be finite, >= 0 and <= f32::MAX / 9",
            Hyperparameter::Noise => "noise must lie in [0, f32::MAX / 16]",
            Hyperparameter::ValRatio => "validation ratio must lie in [0, 1)",
            Hyperparameter::BatchSize => "batch size must be at least 1",
            Hyperparameter::Classes => "number of classes must lie in 2..=256",
            Hyperparameter::Factor => "circle factor must lie in (0, 1)",
            Hyperparameter::Dimensions => {
                "dimensions: blobs need at least 2; an embedding needs at least 1 feature and dims >= features + noise dims"
            }
        })
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Error::NonFiniteInput { index } => write!(f, "sample {index} is not finite"),
            Error::LabelOutOfRange { index, label } => {
                write!(f, "sample {index} has label {label}, out of range")
            }
            Error::LengthMismatch { samples, labels } => {
                write!(f, "{samples} samples but {labels} labels")
            }
            Error::EmptyDataset => f.write_str("the data set is empty"),
            Error::Diverged => f.write_str("training diverged (non-finite loss or update)"),
            Error::BadHyperparameter(h) => write!(f, "bad hyperparameter: {h}"),
            Error::BufferTooSmall { needed } => write!(f, "buffer too small: {needed} bytes needed"),
            Error::BadMagic => f.write_str("checkpoint: bad magic (expected SNN1, or SNS1 for a training state)"),
            Error::UnsupportedVersion(v) => write!(f, "checkpoint: unsupported version {v}"),
            Error::ShapeMismatch => f.write_str("shape mismatch: layer shapes or data differ from the network's"),
            Error::BadShape => f.write_str(
                "bad network shape (1 to 64 layers, widths 1 to 4096, 2 to 256 classes, one initializer per layer)",
            ),
            Error::ArenaTooSmall { needed, found } => {
                write!(f, "buffer too small: {needed} f32 elements needed, {found} given")
            }
            Error::BadLength { expected, found } => {
                write!(f, "checkpoint: expected {expected} bytes, found {found}")
            }
            Error::ChecksumMismatch => f.write_str("checkpoint: CRC-32 mismatch"),
            Error::NonFiniteParameter => f.write_str("checkpoint: non-finite parameter"),
            Error::StorageLength { expected, found } => {
                write!(f, "checkpoint: {expected} parameters, but the storage holds {found} f32 elements")
            }
            Error::BadState => f.write_str(
                "training state: impossible optimizer state (step count, epoch count or Adam moments)",
            ),
        }
    }
}

impl core::error::Error for Error {}
