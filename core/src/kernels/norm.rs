//! Layer normalization forward and backward, each sum in a fixed eight-lane order.

use super::sqrt;

/// `Σ_j a_j·b_j` (or `Σ_j a_j` with `b = None`) in the fixed order of the
/// layer-normalization kernels: eight running sums, sum `k` taking the
/// terms `j ≡ k (mod 8)` in increasing `j`, then combined as
/// `((s₀ + s₁) + (s₂ + s₃)) + ((s₄ + s₅) + (s₆ + s₇))`. The order is the
/// algorithm's, not the machine's: it vectorizes on a host (eight lanes)
/// and gives the same bits everywhere.
///
/// # Panics
///
/// If `b` is shorter than `a`.
///
/// # Examples
///
/// ```
/// use saorsa_nn::kernels;
///
/// let a = [1.0f32, 2.0, 3.0, 4.0, 5.0];
/// assert_eq!(kernels::lane_sum(&a, None), 15.0);
/// // With `b`, the sum of the products.
/// assert_eq!(kernels::lane_sum(&a, Some(&[1.0; 5])), 15.0);
/// ```
#[inline(always)]
pub fn lane_sum(a: &[f32], b: Option<&[f32]>) -> f32 {
    let mut acc = [0.0f32; 8];
    let whole = a.len() / 8 * 8;
    match b {
        None => {
            for c in a[..whole].chunks_exact(8) {
                for k in 0..8 {
                    acc[k] += c[k];
                }
            }
            for (k, &v) in a[whole..].iter().enumerate() {
                acc[k] += v;
            }
        }
        Some(b) => {
            let b = &b[..a.len()];
            for (c, d) in a[..whole].chunks_exact(8).zip(b[..whole].chunks_exact(8)) {
                for k in 0..8 {
                    acc[k] += c[k] * d[k];
                }
            }
            for (k, (&v, &w)) in a[whole..].iter().zip(&b[whole..]).enumerate() {
                acc[k] += v * w;
            }
        }
    }
    ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]))
}

/// Layer normalization forward, in place, row by row (one row per sample,
/// `gain.len()` values each): for a row `z` of `n` values,
///
/// ```text
/// μ = (Σ_j z_j) / n             c_j = z_j − μ               σ² = (Σ_j c_j·c_j) / n
/// r = 1 / √(σ² + ε)             x̂_j = c_j·r                 y_j = x̂_j·γ_j + β_j
/// ```
///
/// with `ε` = [`crate::shape::LAYER_NORM_EPSILON`], each `Σ` in the fixed
/// eight-lane order of [`lane_sum`] in f32, and `√` correctly rounded
/// ([`sqrt`](fn@sqrt)). A sample's output depends on that sample alone. With
/// `stash = Some((xhat, inv_std))` it also keeps `x̂` (same layout as `z`)
/// and each row's `r` for [`layer_norm_backward`].
///
/// # Panics
///
/// If `gain` is empty, `z.len()` is not a multiple of it, `shift` has
/// another length, or a stash is shorter than the rows need.
///
/// # Examples
///
/// ```
/// use saorsa_nn::kernels;
///
/// // One sample of 4 units, gain 1 and shift 0: mean 0, variance 1.
/// let mut z = [1.0f32, 2.0, 3.0, 4.0];
/// kernels::layer_norm_forward(&mut z, &[1.0; 4], &[0.0; 4], None);
/// let mean: f32 = z.iter().sum::<f32>() / 4.0;
/// let var: f32 = z.iter().map(|v| v * v).sum::<f32>() / 4.0;
/// assert!(mean.abs() < 1e-6 && (var - 1.0).abs() < 1e-4);
/// ```
pub fn layer_norm_forward(
    z: &mut [f32],
    gain: &[f32],
    shift: &[f32],
    stash: Option<(&mut [f32], &mut [f32])>,
) {
    let n = gain.len();
    assert!(n > 0 && z.len().is_multiple_of(n) && shift.len() == n);
    let rows = z.len() / n;
    let mut stash = stash.map(|(xhat, inv)| (&mut xhat[..rows * n], &mut inv[..rows]));
    let eps = crate::shape::LAYER_NORM_EPSILON;
    for (s, row) in z.chunks_exact_mut(n).enumerate() {
        let mean = lane_sum(row, None) / n as f32;
        for v in row.iter_mut() {
            *v -= mean;
        }
        let r = 1.0 / sqrt(lane_sum(row, Some(row)) / n as f32 + eps);
        for v in row.iter_mut() {
            *v *= r;
        }
        if let Some((xhat, inv)) = stash.as_mut() {
            inv[s] = r;
            xhat[s * n..(s + 1) * n].copy_from_slice(row);
        }
        for ((v, &g), &b) in row.iter_mut().zip(gain).zip(shift) {
            *v = *v * g + b;
        }
    }
}

/// Layer normalization backward, in place: turns `d`, the gradient with
/// respect to the outputs `y` of [`layer_norm_forward`], into the gradient
/// with respect to its inputs `z`, and adds the gain and shift gradients to
/// `dgain` and `dshift`. Per row, with `x̂` and `r` from the forward pass:
///
/// ```text
/// dγ_j += d_j·x̂_j               dβ_j += d_j                (rows in order)
/// g_j = d_j·γ_j                 ḡ = (Σ_j g_j)/n            ḡx̂ = (Σ_j g_j·x̂_j)/n
/// dz_j = r·((g_j − ḡ) − x̂_j·ḡx̂)
/// ```
///
/// each `Σ` in the order of [`lane_sum`], and each `dγ_j`, `dβ_j` one sum
/// over the samples in sample order, so micro-batches of any size give the
/// same bits.
///
/// # Panics
///
/// If the lengths are inconsistent (as in [`layer_norm_forward`]).
///
/// # Examples
///
/// ```
/// use saorsa_nn::kernels;
///
/// let (gain, shift) = ([1.0f32; 3], [0.0f32; 3]);
/// let mut z = [1.0f32, 2.0, 4.0];
/// let (mut xhat, mut inv) = ([0.0f32; 3], [0.0f32; 1]);
/// kernels::layer_norm_forward(&mut z, &gain, &shift, Some((&mut xhat, &mut inv)));
/// // A gradient equal on every unit does not move a normalized output.
/// let mut d = [1.0f32; 3];
/// let (mut dgain, mut dshift) = ([0.0f32; 3], [0.0f32; 3]);
/// kernels::layer_norm_backward(&mut d, &xhat, &inv, &gain, &mut dgain, &mut dshift);
/// assert!(d.iter().all(|v| v.abs() < 1e-6));
/// assert_eq!(dshift, [1.0; 3]);
/// ```
pub fn layer_norm_backward(
    d: &mut [f32],
    xhat: &[f32],
    inv_std: &[f32],
    gain: &[f32],
    dgain: &mut [f32],
    dshift: &mut [f32],
) {
    let n = gain.len();
    assert!(n > 0 && d.len().is_multiple_of(n) && dgain.len() == n && dshift.len() == n);
    let rows = d.len() / n;
    let (xhat, inv_std) = (&xhat[..rows * n], &inv_std[..rows]);
    for ((row, xh), &r) in d.chunks_exact_mut(n).zip(xhat.chunks_exact(n)).zip(inv_std) {
        for ((dg, ds), (&dv, &x)) in dgain.iter_mut().zip(dshift.iter_mut()).zip(row.iter().zip(xh)) {
            *dg += dv * x;
            *ds += dv;
        }
        for (v, &g) in row.iter_mut().zip(gain) {
            *v *= g;
        }
        let mean_g = lane_sum(row, None) / n as f32;
        let mean_gx = lane_sum(row, Some(xh)) / n as f32;
        for (v, &x) in row.iter_mut().zip(xh) {
            *v = r * ((*v - mean_g) - x * mean_gx);
        }
    }
}
