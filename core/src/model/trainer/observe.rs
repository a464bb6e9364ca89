//! Training a [`Trainer`] with per-layer statistics ([`LayerStats`]).

use super::Trainer;
use crate::data::{Dataset, Samples};
use crate::engine::OBSERVABLE_UNITS;
use crate::engine::{self, Batching};
use crate::error::Error;
use crate::kernels::LossTotals;
use crate::layer_stats::LayerStats;
use crate::loss::Metrics;
use crate::model::Mlp;
use crate::shape::MAX_LAYERS;

impl<const IN: usize, const WIDTH: usize, const MID: usize, const OUT: usize, const B: usize>
    Trainer<IN, WIDTH, MID, OUT, B>
{
    /// [`Trainer::train_epoch`], adding every step's per-layer statistics
    /// to `stats` (one per dense layer, `MID + 2`, input layer first; see
    /// [`crate::layer_stats`]). The training is the same, bit for bit, as
    /// [`Trainer::train_epoch`]'s: each step's gradient pass
    /// observes what it computes ([`crate::layer_stats`]).
    ///
    /// # Errors
    ///
    /// [`Error::BadShape`] if `stats` does not hold one entry per layer, or
    /// the network has more units than a target without an operating system
    /// observes ([`crate::layer_stats`]) (nothing changes); otherwise those of [`Trainer::train_epoch`].
    /// After an error `stats` may hold part of the failing step.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Batching, Dataset, Init, LayerStats, Trainer};
    ///
    /// let x = [[0.0f32, 1.0], [1.0, 0.0], [0.5, 0.5]];
    /// let data = Dataset::<2, 2>::new(&x, &[0, 1, 1])?;
    /// let mut plain = Box::new(Trainer::<2, 8, 1, 2, 1>::new());
    /// let mut seen = Box::new(Trainer::<2, 8, 1, 2, 1>::new());
    /// plain.init_from_seed(Init::GlorotNormal, 1)?;
    /// seen.init_from_seed(Init::GlorotNormal, 1)?;
    /// let mut stats = [LayerStats::new(); 3];
    /// for _ in 0..3 {
    ///     plain.train_epoch(&data, Batching::Full)?;
    ///     seen.train_epoch_observed(&data, Batching::Full, &mut stats)?;
    /// }
    /// assert_eq!(plain.model(), seen.model()); // the same bits
    /// assert_eq!(stats[1].steps, 3);
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn train_epoch_observed(
        &mut self,
        data: &Dataset<'_, IN, OUT>,
        batching: Batching,
        stats: &mut [LayerStats],
    ) -> Result<Metrics, Error> {
        Self::check_stats(stats)?;
        let metrics = engine::train_epoch_observed(self, &data.samples(), batching, stats)?;
        self.epochs += 1;
        Ok(metrics)
    }

    /// The per-layer statistics of one step on `data` at the current
    /// weights, without the step: adds them to `stats` (one step) and
    /// leaves [`Trainer::gradient`] as [`Trainer::compute_gradient`] does;
    /// returns that pass's loss and accuracy. The model, optimizer and
    /// counters never change.
    ///
    /// # Errors
    ///
    /// [`Error::BadShape`] if `stats` does not hold one entry per layer, or
    /// the network has more units than a target without an operating system
    /// observes ([`crate::layer_stats`]);
    /// [`Error::Diverged`] if the loss is not finite.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Dataset, Init, LayerStats, Trainer};
    ///
    /// let x = [[0.0f32, 1.0], [1.0, 0.0], [0.5, 0.5]];
    /// let data = Dataset::<2, 2>::new(&x, &[0, 1, 1])?;
    /// let mut t = Box::new(Trainer::<2, 8, 0, 2, 1>::new());
    /// t.init_from_seed(Init::HeNormal, 0)?;
    /// let mut stats = [LayerStats::new(); 2];
    /// t.observe(&data, &mut stats)?;
    /// assert_eq!(t.steps(), 0);
    /// assert_eq!(stats[0].values, 3 * 8);
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn observe(
        &mut self,
        data: &Dataset<'_, IN, OUT>,
        stats: &mut [LayerStats],
    ) -> Result<Metrics, Error> {
        Self::check_stats(stats)?;
        engine::observe_step(self, &data.samples(), stats).map(|t| Metrics::from_totals(&t))
    }

    fn check_stats(stats: &[LayerStats]) -> Result<(), Error> {
        let units = WIDTH * (MID + 1) + OUT;
        if stats.len() != Mlp::<IN, WIDTH, MID, OUT>::LAYERS
            || stats.len() > MAX_LAYERS
            || units > OBSERVABLE_UNITS
        {
            return Err(Error::BadShape);
        }
        Ok(())
    }
}

impl<const IN: usize, const WIDTH: usize, const MID: usize, const OUT: usize, const B: usize> engine::Observe
    for Trainer<IN, WIDTH, MID, OUT, B>
{
    fn observe_params(&self, stats: &mut [LayerStats]) {
        engine::observe_params(&self.model, &self.grad, stats);
    }

    /// The dense-input-gradient pass without transposed weights: the same
    /// bits as [`engine::Optimize::gradient_totals`]'s (as on bare metal).
    fn observed_gradient(
        &mut self,
        data: &Samples<'_>,
        stats: &mut [LayerStats],
    ) -> Result<LossTotals, Error> {
        let skip = engine::skipping_is_exact(&self.model);
        engine::observed_gradient_pass(
            &self.model,
            &mut self.grad,
            &mut self.work.as_work(),
            skip,
            data,
            stats,
        )
    }
}
