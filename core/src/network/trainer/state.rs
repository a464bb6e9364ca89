//! Saving and restoring a [`NetworkTrainer`]'s training state
//! ([`crate::checkpoint::state`]).

use super::NetworkTrainer;
use crate::checkpoint;
use crate::engine::Flat;
use crate::error::Error;

impl<S: AsRef<[f32]> + AsMut<[f32]>> NetworkTrainer<S> {
    /// Writes the training state — the model, Adam's moments, step count
    /// and hyperparameters, and the epochs trained — into
    /// `buf[..`[`crate::Shape::state_bytes`]`]` and returns its length (format in
    /// [`crate::checkpoint::state`]). Restored with
    /// [`NetworkTrainer::decode_state`] into a trainer of the same shape
    /// (any micro-batch size), or a [`crate::Trainer`] of that shape,
    /// training goes on with the same bits as if it had never stopped.
    ///
    /// # Errors
    ///
    /// [`Error::BufferTooSmall`]; on error nothing is written.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Init, NetworkTrainer, Shape};
    ///
    /// let shape = Shape::new(&[2, 8, 2])?;
    /// let mut trainer = NetworkTrainer::new(shape.clone(), 1, vec![0.0; shape.arena_len(1)])?;
    /// trainer.init_from_seed(Init::HeNormal, 3)?;
    /// let mut state = vec![0u8; shape.state_bytes()];
    /// assert_eq!(trainer.encode_state(&mut state)?, state.len());
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn encode_state(&self, buf: &mut [u8]) -> Result<usize, Error> {
        let p = self.shape.parameter_count();
        let arena = self.arena.as_ref();
        let flat = |k: usize| Flat { shape: &self.shape, data: &arena[k * p..(k + 1) * p] };
        let counters = checkpoint::state::Counters { steps: self.steps, epochs: self.epochs };
        checkpoint::state::encode_state(&flat(0), (&flat(2), &flat(3)), counters, &self.adam, buf)
    }

    /// Restores a training state written by
    /// [`NetworkTrainer::encode_state`] or [`crate::Trainer::encode_state`]
    /// for this trainer's shape (and normalization): the model, Adam's
    /// moments, step count and hyperparameters, and the epochs trained.
    /// [`crate::checkpoint::state::read_shape`] gives a state's shape.
    ///
    /// # Errors
    ///
    /// All or nothing: everything is checked first, in the order of
    /// [`crate::checkpoint::state`]'s list; on error the trainer is
    /// unchanged.
    ///
    /// # Examples
    ///
    /// ```
    /// use saorsa_nn::{Error, Init, NetworkTrainer, Shape};
    ///
    /// let shape = Shape::new(&[2, 8, 2])?;
    /// let mut trainer = NetworkTrainer::new(shape.clone(), 1, vec![0.0; shape.arena_len(1)])?;
    /// trainer.init_from_seed(Init::HeNormal, 3)?;
    /// let mut state = vec![0u8; shape.state_bytes()];
    /// trainer.encode_state(&mut state)?;
    ///
    /// // Restored into a trainer of another micro-batch size.
    /// let mut restored = NetworkTrainer::new(shape.clone(), 4, vec![0.0; shape.arena_len(4)])?;
    /// restored.decode_state(&state)?;
    /// assert_eq!(restored.parameters(), trainer.parameters());
    /// // A state of another shape is refused.
    /// let other = Shape::new(&[2, 9, 2])?;
    /// let mut wrong = NetworkTrainer::new(other.clone(), 1, vec![0.0; other.arena_len(1)])?;
    /// assert_eq!(wrong.decode_state(&state), Err(Error::ShapeMismatch));
    /// # Ok::<(), saorsa_nn::Error>(())
    /// ```
    pub fn decode_state(&mut self, bytes: &[u8]) -> Result<(), Error> {
        let mut p = self.parts();
        let (counters, adam) = checkpoint::state::decode_state(&mut p.params, (&mut p.m1, &mut p.m2), bytes)?;
        self.steps = counters.steps;
        self.epochs = counters.epochs;
        self.adam = adam;
        Ok(())
    }
}
