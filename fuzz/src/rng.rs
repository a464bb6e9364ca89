//! A generator that replays the fuzzer's bytes, with a draw budget.

use core::convert::Infallible;
use rand_core::TryRng;

/// Replays `bytes` cyclically, little-endian, as the generator's output; no
/// bytes at all replay as zeros. So a fuzz input of all zeros, all ones or a
/// short pattern is a generator stuck at that output.
///
/// Every `next_u32`/`next_u64` counts as one draw. After `budget` draws the
/// generator panics with "hang": a bounded loop never needs that many, so
/// exceeding it means the caller would loop forever on this generator.
#[derive(Clone, Debug)]
pub struct ReplayRng<'a> {
    bytes: &'a [u8],
    pos: usize,
    draws: u64,
    budget: u64,
}

impl<'a> ReplayRng<'a> {
    /// A generator replaying `bytes` for at most `budget` draws.
    pub fn new(bytes: &'a [u8], budget: u64) -> Self {
        ReplayRng { bytes, pos: 0, draws: 0, budget }
    }

    /// Draws so far.
    pub fn draws(&self) -> u64 {
        self.draws
    }

    /// Starts a new budget of `budget` draws from now.
    pub fn set_budget(&mut self, budget: u64) {
        self.budget = self.draws.saturating_add(budget);
    }

    fn byte(&mut self) -> u8 {
        if self.bytes.is_empty() {
            return 0;
        }
        let b = self.bytes[self.pos];
        self.pos = (self.pos + 1) % self.bytes.len();
        b
    }

    fn draw(&mut self) {
        self.draws += 1;
        assert!(
            self.draws <= self.budget,
            "hang: the generator was drawn more than {} times (a loop that never ends on \
             this generator's output)",
            self.budget
        );
    }
}

impl TryRng for ReplayRng<'_> {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        self.draw();
        Ok(u32::from_le_bytes([self.byte(), self.byte(), self.byte(), self.byte()]))
    }

    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        self.draw();
        let mut b = [0u8; 8];
        b.iter_mut().for_each(|x| *x = self.byte());
        Ok(u64::from_le_bytes(b))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        self.draw();
        dst.iter_mut().for_each(|x| *x = self.byte());
        Ok(())
    }
}
