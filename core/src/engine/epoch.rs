//! Training epochs: how an epoch is cut into optimizer steps, and the loop
//! that takes them.

use crate::data::Samples;
use crate::error::Error;
use crate::kernels::LossTotals;
use crate::loss::Metrics;
use core::num::NonZeroUsize;

/// How an epoch is cut into optimizer steps.
///
/// # Examples
///
/// ```
/// use saorsa_nn::{Batching, Dataset, Init, Trainer};
/// use std::num::NonZeroUsize;
///
/// let x = [[0.0f32, 1.0], [1.0, 0.0], [0.5, 0.5], [1.0, 1.0], [0.0, 0.0]];
/// let data = Dataset::<2, 2>::new(&x, &[0, 1, 1, 0, 0])?;
/// let mut t = Box::new(Trainer::<2, 8, 0, 2, 2>::new());
/// t.init_from_seed(Init::HeNormal, 0)?;
/// t.train_epoch(&data, Batching::Full)?; // one step
/// t.train_epoch(&data, Batching::MiniBatch(NonZeroUsize::new(2).unwrap()))?; // three steps: 2 + 2 + 1
/// assert_eq!(t.steps(), 4);
/// # Ok::<(), saorsa_nn::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Batching {
    /// One step per epoch over all samples: the framework's `batch_size=None`.
    Full,
    /// One step per `n` consecutive samples (the last batch may be shorter),
    /// in order, unshuffled: the framework's `batch_size=n`.
    MiniBatch(NonZeroUsize),
}

/// A trainer: computes the gradient of a data set and takes a step.
pub(crate) trait Optimize {
    /// The gradient of the mean loss over `data`, and the loss totals of
    /// its forward pass. The model never changes.
    fn gradient_totals(&mut self, data: &Samples<'_>) -> Result<LossTotals, Error>;
    /// One optimizer step with the current gradient, all or nothing.
    fn step(&mut self) -> Result<(), Error>;
}

/// One training epoch: the framework's `model.train` for one epoch. Returns
/// the loss and accuracy of the forward passes *before* each step's update,
/// accumulated over the epoch (the framework's `metric_dict` semantics).
pub(crate) fn train_epoch<T: Optimize>(
    t: &mut T,
    data: &Samples<'_>,
    batching: Batching,
) -> Result<Metrics, Error> {
    match batching {
        Batching::Full => {
            let totals = t.gradient_totals(data)?;
            t.step()?;
            Ok(Metrics::from_totals(&totals))
        }
        Batching::MiniBatch(size) => {
            let mut totals = LossTotals::default();
            for batch in data.batches(size.get()) {
                let b = t.gradient_totals(&batch)?;
                t.step()?;
                // As the framework's `calculate_accumulated`: the sum of the
                // batches' loss sums over the number of samples.
                totals.loss_sum += b.loss_sum;
                totals.correct += b.correct;
                totals.count += b.count;
            }
            Ok(Metrics::from_totals(&totals))
        }
    }
}
