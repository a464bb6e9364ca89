//! Accuracies as integer counts (`correct` of `of`), so that equal
//! accuracies compare equal exactly and ties are never a rounding accident.

use std::cmp::Ordering;

/// An accuracy `correct / of` held as two integers.
///
/// Comparison is exact: `c₁/n₁` vs `c₂/n₂` compares `c₁·n₂` with `c₂·n₁` in
/// 64-bit integers, so `1/2 == 2/4` and `2/3 > 0.6666…7/1` never depends on
/// rounding. (`Hash` is not derived: equal values may have different
/// representations.)
#[derive(Clone, Copy, Debug)]
pub struct Accuracy {
    correct: u32,
    of: u32,
}

impl Accuracy {
    /// `correct` of `of`; `None` unless `0 < of` and `correct ≤ of`.
    pub fn new(correct: u32, of: u32) -> Option<Self> {
        (of > 0 && correct <= of).then_some(Self { correct, of })
    }

    /// The count behind a stored fraction: `k = round(value·of)`, accepted
    /// only if `value` is `k/of` exactly as computed in `f64`, or as the core
    /// computes an accuracy, `(k as f32)/(of as f32)` widened to `f64`. `None`
    /// for any other value (not a multiple of `1/of`, outside `[0, 1]`), or
    /// `of = 0`.
    pub fn from_fraction(value: f64, of: u32) -> Option<Self> {
        if of == 0 || !(0.0..=1.0).contains(&value) {
            return None;
        }
        let k = (value * f64::from(of)).round() as u32; // in 0..=of: value ∈ [0, 1]
        let as_f64 = f64::from(k) / f64::from(of);
        let as_f32 = f64::from(k as f32 / of as f32);
        (value == as_f64 || value == as_f32).then_some(Self { correct: k, of })
    }

    /// Number correct.
    pub fn correct(self) -> u32 {
        self.correct
    }

    /// Number of examples.
    pub fn of(self) -> u32 {
        self.of
    }

    /// `correct / of` as the nearest `f64` (one correctly rounded division).
    pub fn value(self) -> f64 {
        f64::from(self.correct) / f64::from(self.of)
    }
}

impl PartialEq for Accuracy {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Accuracy {}

impl PartialOrd for Accuracy {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Accuracy {
    /// `c₁·n₂` against `c₂·n₁`, exact in `u64`.
    fn cmp(&self, other: &Self) -> Ordering {
        (u64::from(self.correct) * u64::from(other.of)).cmp(&(u64::from(other.correct) * u64::from(self.of)))
    }
}

#[cfg(test)]
mod tests;
