//! ReLU forward and backward, branch-free, with NaN passed through.

/// ReLU in place: `y = max(0, y)`, with NaN passed through (as NumPy's
/// `np.maximum(0, y)` does) so that a divergence is never hidden.
///
/// # Examples
///
/// ```
/// use saorsa_nn::kernels;
///
/// let mut y = [-2.0f32, 0.0, 3.0];
/// kernels::relu_in_place(&mut y);
/// assert_eq!(y, [0.0, 0.0, 3.0]);
/// ```
pub fn relu_in_place(y: &mut [f32]) {
    for v in y {
        *v = relu_mask(*v, *v);
    }
}

/// ReLU backward in place: `d = 0` wherever the ReLU's output `y ≤ 0`
/// (the framework's `dinputs[inputs <= 0] = 0`; `y > 0` exactly when the
/// pre-activation is).
///
/// # Panics
///
/// If the lengths differ.
///
/// # Examples
///
/// ```
/// use saorsa_nn::kernels;
///
/// let y = [0.0f32, 3.0];
/// let mut d = [1.0f32, 1.0];
/// kernels::relu_backward_in_place(&y, &mut d);
/// assert_eq!(d, [0.0, 1.0]);
/// ```
pub fn relu_backward_in_place(y: &[f32], d: &mut [f32]) {
    assert_eq!(y.len(), d.len());
    for (dv, &yv) in d.iter_mut().zip(y) {
        *dv = relu_mask(*dv, yv);
    }
}

/// `if y ≤ 0 { +0 } else { d }`, as a bitwise AND (a blend, never a masked
/// store).
#[inline(always)]
pub(crate) fn relu_mask(d: f32, y: f32) -> f32 {
    let keep = if y <= 0.0 { 0 } else { u32::MAX };
    f32::from_bits(d.to_bits() & keep)
}
