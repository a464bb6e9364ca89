//! The correctly rounded square root that Adam and layer normalization share.

/// `√x`: the IEEE 754 square root, correctly rounded, equal bit for bit to
/// `libm::sqrtf` (NaN payloads aside).
///
/// On x86-64 it is computed with multiplies, adds and comparisons only, so
/// that a loop over it vectorizes (there `libm::sqrtf` is an inline-assembly
/// `sqrtss`, one lane at a time, which kept Adam's loops scalar); elsewhere
/// it is `libm::sqrtf`. The x86-64 path, for `x` in `(0, +∞)`:
///
/// 1. `d = x` in f64 (exact) and `y ≈ 1/√d` from the bit-pattern guess
///    `0x5fe6_eb50_c7b5_37a9 − (bits(d) >> 1)` (relative error < 3.5 %),
///    refined by three Newton steps `y ← y·(1.5 − 0.5·d·y²)` (< 2⁻³⁴);
/// 2. `r = f32(d·y)`, which is within one f32 ulp of the correctly rounded
///    root;
/// 3. `r` and its two neighbours have 24-bit significands, so the midpoints
///    between them have 25 and their squares at most 50: exact in f64.
///    Comparing those squares with `d` moves `r` to the neighbour nearest
///    `√x`. No tie is possible: a midpoint's square has more significant bits
///    than any f32.
///
/// Other inputs follow IEEE 754: `√±0 = ±0`, `√+∞ = +∞`, and NaN for NaN and
/// for negative numbers. `core/tests/kernels_fast.rs` checks it against
/// `libm::sqrtf` on every f32.
///
/// # Examples
///
/// ```
/// use saorsa_nn::kernels::sqrt;
///
/// assert_eq!(sqrt(4.0), 2.0);
/// assert_eq!(sqrt(2.0), 2.0f32.sqrt()); // correctly rounded
/// assert!(sqrt(-1.0).is_nan());
/// ```
#[inline(always)]
pub fn sqrt(x: f32) -> f32 {
    #[cfg(target_arch = "x86_64")]
    {
        let d = f64::from(x);
        let mut y = f64::from_bits(0x5fe6_eb50_c7b5_37a9_u64.wrapping_sub(d.to_bits() >> 1));
        for _ in 0..3 {
            y *= 1.5 - 0.5 * d * (y * y);
        }
        let r = (d * y) as f32;
        let (up, down) =
            (f32::from_bits(r.to_bits().wrapping_add(1)), f32::from_bits(r.to_bits().wrapping_sub(1)));
        let mid_up = 0.5 * (f64::from(r) + f64::from(up));
        let mid_down = 0.5 * (f64::from(r) + f64::from(down));
        let r = if mid_up * mid_up < d {
            up
        } else if mid_down * mid_down > d {
            down
        } else {
            r
        };
        if x > 0.0 && x < f32::INFINITY {
            r
        } else if x < 0.0 {
            f32::NAN
        } else {
            x + x
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        libm::sqrtf(x)
    }
}
