//! Training a [`NetworkTrainer`] with per-layer statistics ([`LayerStats`]).

use super::NetworkTrainer;
use crate::data::Samples;
use crate::engine::{self, Batching};
use crate::error::Error;
use crate::kernels::LossTotals;
use crate::layer_stats::LayerStats;
use crate::loss::Metrics;
use crate::network::check_data;
use crate::shape::MAX_LAYERS;

impl<S: AsRef<[f32]> + AsMut<[f32]>> NetworkTrainer<S> {
    /// [`NetworkTrainer::train_epoch`], adding every step's per-layer
    /// statistics to `stats` (one per dense layer, input layer first; see
    /// [`crate::layer_stats`]). The training is the same, bit for bit, as
    /// [`NetworkTrainer::train_epoch`]'s: each step's gradient pass
    /// observes what it computes ([`crate::layer_stats`]).
    ///
    /// # Errors
    ///
    /// [`Error::BadShape`] if `stats` does not hold one entry per layer, or
    /// the network has more units than a target without an operating system
    /// observes ([`crate::layer_stats`]) (nothing changes); otherwise those of
    /// [`NetworkTrainer::train_epoch`]. After an error `stats` may hold part
    /// of the failing step.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Batching, Init, LayerStats, NetworkTrainer, Samples, Shape};
    ///
    /// let shape = Shape::new(&[2, 8, 3])?;
    /// let data = Samples::new(&[0.5, 1.0, -1.0, 0.0, 0.0, 2.0], &[2, 0, 1], 2, 3)?;
    /// let mut plain = NetworkTrainer::new(shape.clone(), 4, vec![0.0f32; shape.arena_len(4)])?;
    /// let mut seen = NetworkTrainer::new(shape.clone(), 2, vec![0.0f32; shape.arena_len(2)])?;
    /// plain.init_from_seed(Init::HeNormal, 0)?;
    /// seen.init_from_seed(Init::HeNormal, 0)?;
    /// let mut stats = [LayerStats::new(); 2];
    /// for _ in 0..3 {
    ///     assert_eq!(plain.train_epoch(&data, Batching::Full)?, seen.train_epoch_observed(&data, Batching::Full, &mut stats)?);
    /// }
    /// assert_eq!(plain.parameters(), seen.parameters()); // the same bits
    /// assert_eq!((stats[0].steps, stats[0].units), (3, 24));
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn train_epoch_observed(
        &mut self,
        data: &Samples<'_>,
        batching: Batching,
        stats: &mut [LayerStats],
    ) -> Result<Metrics, Error> {
        check_data(&self.shape, data)?;
        self.check_stats(stats)?;
        let metrics = engine::train_epoch_observed(self, data, batching, stats)?;
        self.epochs += 1;
        Ok(metrics)
    }

    /// The per-layer statistics of one step on `data` at the current
    /// weights, without the step: adds them to `stats` (one step) and
    /// leaves [`NetworkTrainer::gradient`] as
    /// [`NetworkTrainer::compute_gradient`] does; returns that pass's loss
    /// and accuracy. The model, optimizer and counters never change.
    ///
    /// # Errors
    ///
    /// [`Error::BadShape`] if `stats` does not hold one entry per layer, or
    /// the network has more units than a target without an operating system
    /// observes ([`crate::layer_stats`]);
    /// those of [`NetworkTrainer::compute_gradient`].
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Init, LayerStats, NetworkTrainer, Samples, Shape};
    ///
    /// let shape = Shape::new(&[2, 8, 8, 3])?;
    /// let mut t = NetworkTrainer::new(shape.clone(), 4, vec![0.0f32; shape.arena_len(4)])?;
    /// t.init_from_seed(Init::HeNormal, 0)?;
    /// let data = Samples::new(&[0.5, 1.0, -1.0, 0.0, 0.0, 2.0], &[2, 0, 1], 2, 3)?;
    /// let mut at_init = [LayerStats::new(); 3];
    /// t.observe(&data, &mut at_init)?;
    /// assert_eq!(t.steps(), 0);
    /// assert!(at_init.iter().all(|s| s.steps == 1 && s.weight_norm() > 0.0));
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn observe(&mut self, data: &Samples<'_>, stats: &mut [LayerStats]) -> Result<Metrics, Error> {
        check_data(&self.shape, data)?;
        self.check_stats(stats)?;
        engine::observe_step(self, data, stats).map(|t| Metrics::from_totals(&t))
    }

    fn check_stats(&self, stats: &[LayerStats]) -> Result<(), Error> {
        if stats.len() != self.shape.layers()
            || stats.len() > MAX_LAYERS
            || !engine::observable(&self.network())
        {
            return Err(Error::BadShape);
        }
        Ok(())
    }
}

impl<S: AsRef<[f32]> + AsMut<[f32]>> engine::Observe for NetworkTrainer<S> {
    fn observed_gradient(
        &mut self,
        data: &Samples<'_>,
        stats: &mut [LayerStats],
    ) -> Result<LossTotals, Error> {
        let mut p = self.parts();
        let skip = engine::skipping_is_exact(&p.params);
        engine::observed_gradient_pass(&p.params, &mut p.grad, &mut p.work, skip, data, stats)
    }

    fn observe_params(&self, stats: &mut [LayerStats]) {
        let p = self.shape.parameter_count();
        let arena = self.arena.as_ref();
        let params = engine::Flat { shape: &self.shape, data: &arena[..p] };
        let grad = engine::Flat { shape: &self.shape, data: &arena[p..2 * p] };
        engine::observe_params(&params, &grad, stats);
    }
}
