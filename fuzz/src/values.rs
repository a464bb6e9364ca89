//! Structured values from the fuzzer's bytes, biased towards the edges.

use arbitrary::Unstructured;

/// `f32` values worth trying on purpose.
pub const SPECIAL_F32: [f32; 24] = [
    0.0,
    -0.0,
    1.0,
    -1.0,
    0.5,
    2.0,
    f32::NAN,
    -f32::NAN,
    f32::INFINITY,
    f32::NEG_INFINITY,
    f32::MIN_POSITIVE,
    -f32::MIN_POSITIVE,
    1e-45, // the smallest subnormal
    -1e-45,
    1.0e-40, // a subnormal
    f32::MAX,
    f32::MIN,
    f32::MAX / 9.0,
    1e30,
    -1e30,
    1e20,
    1e-7,
    f32::EPSILON,
    3.0e38,
];

/// `f64` values worth trying on purpose (Adam's hyperparameters).
pub const SPECIAL_F64: [f64; 26] = [
    0.0,
    -0.0,
    1.0,
    -1.0,
    0.5,
    0.9,
    0.999,
    1e-3,
    1e-7,
    1e-8,
    1.0 - f64::EPSILON / 2.0, // the largest f64 below 1
    1.0 - 1e-12,
    1.0 - 1e-7,
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    f64::MIN_POSITIVE,
    5e-324,
    1e-46, // positive, but 0 as f32
    1e-40, // a subnormal f32
    f32::MAX as f64,
    f32::MAX as f64 * (1.0 + f64::EPSILON),
    f64::MAX,
    1e30,
    1e20,
    3.0e38,
];

/// Any `f32`: often an ordinary small value, often a special one, often raw bits.
pub fn any_f32(u: &mut Unstructured<'_>) -> f32 {
    match u.int_in_range(0..=7u8).unwrap_or(0) {
        0..=3 => f32::from(u.arbitrary::<i16>().unwrap_or(0)) / 256.0,
        4 | 5 => *u.choose(&SPECIAL_F32).unwrap_or(&0.0),
        _ => f32::from_bits(u.arbitrary().unwrap_or(0)),
    }
}

/// Any `f64`: a special value or raw bits.
pub fn any_f64(u: &mut Unstructured<'_>) -> f64 {
    match u.int_in_range(0..=3u8).unwrap_or(0) {
        0 | 1 => *u.choose(&SPECIAL_F64).unwrap_or(&0.0),
        2 => f64::from(u.arbitrary::<i32>().unwrap_or(0)) / 65536.0,
        _ => f64::from_bits(u.arbitrary().unwrap_or(0)),
    }
}

/// An integer in `lo..=hi` (`lo` once the bytes run out).
pub fn int(u: &mut Unstructured<'_>, lo: usize, hi: usize) -> usize {
    u.int_in_range(lo..=hi).unwrap_or(lo)
}
