//! Synthetic data sets beyond two moons — circles, spirals, XOR, Gaussian
//! blobs — and an embedding into more dimensions.
//!
//! Every generator here follows [`make_moons`](super::make_moons):
//!
//! - samples are **flat and row-major**: `x` holds `n × features` values and
//!   `y` the `n` labels;
//! - classes are laid out in order before the shuffle, class `c` of `K`
//!   taking [`class_size`]`(n, K, c)` rows (`⌊n/K⌋`, plus one for each of the
//!   last `n mod K` classes — for two classes, `⌊n/2⌋` then `n − ⌊n/2⌋`, as
//!   in two moons);
//! - the generator's stream is consumed in a documented order: first the
//!   latent uniforms (angles, positions along an arm) in row order, then the
//!   Gaussian noise of every coordinate in row-major order (Box-Muller, see
//!   [`Sampler`]), then the Fisher–Yates shuffle of [`shuffle_rows`];
//! - every coordinate is computed in f64 with `libm` and rounded once to
//!   f32;
//! - every argument is checked before anything is written or any randomness
//!   consumed: on `Err`, `x`, `y` and the generator are unchanged.
//!
//! [`embed`] maps a data set into more dimensions with a seeded random
//! rotation and label-independent noise coordinates, which changes the
//! input width of a network without changing how hard the task is.

use super::MAX_NOISE;
use crate::error::{Error, Hyperparameter};
use crate::init::{MAX_REJECTIONS, Sampler};
use core::f64::consts::PI;
use rand_core::Rng;

/// The most classes a generator makes (labels are `u8`).
pub const MAX_CLASSES: usize = 256;

/// How many turns each arm of [`make_spirals`] makes from the centre to
/// radius 1.
pub const SPIRAL_TURNS: f64 = 0.75;

/// The radius of the circle on which [`make_blobs`] places its centres.
pub const BLOB_RADIUS: f64 = 2.0;

/// The largest Euclidean norm of an input row of [`embed`]: below it every
/// rotated coordinate stays a finite f32.
pub const MAX_EMBED_NORM: f64 = f32::MAX as f64 / 2.0;

/// The number of rows of class `class` when `samples` rows are split among
/// `classes` classes: `⌊samples/classes⌋`, plus one if `class` is one of the
/// last `samples mod classes` classes.
///
/// # Panics
///
/// If `classes` is zero.
///
/// # Examples
///
/// ```
/// use saorsa_nn::data::class_size;
///
/// // 10 rows among 3 classes: 3, 3, 4 (the extra row goes to the last class).
/// assert_eq!([0, 1, 2].map(|c| class_size(10, 3, c)), [3, 3, 4]);
/// ```
pub const fn class_size(samples: usize, classes: usize, class: usize) -> usize {
    let extra = samples % classes;
    samples / classes + (class >= classes - extra) as usize
}

/// Checks that `x` holds `y.len()` rows of `features` values, the convention
/// of every flat data set: otherwise [`Error::LengthMismatch`] whose
/// `samples` is the number of whole rows in `x`.
fn check_rows(x: &[f32], y: &[u8], features: usize) -> Result<(), Error> {
    if x.len() / features != y.len() || !x.len().is_multiple_of(features) {
        return Err(Error::LengthMismatch { samples: x.len() / features, labels: y.len() });
    }
    Ok(())
}

fn check_noise(noise: f64) -> Result<(), Error> {
    if !(0.0..=MAX_NOISE).contains(&noise) {
        return Err(Error::BadHyperparameter(Hyperparameter::Noise));
    }
    Ok(())
}

fn check_classes(classes: usize) -> Result<(), Error> {
    if !(2..=MAX_CLASSES).contains(&classes) {
        return Err(Error::BadHyperparameter(Hyperparameter::Classes));
    }
    Ok(())
}

/// The label of row `row` when classes are laid out in order with
/// [`class_size`] rows each: the last `n mod K` classes are one row longer.
fn label_of(row: usize, samples: usize, classes: usize) -> usize {
    let base = samples / classes;
    let short = classes - samples % classes;
    if row < short * base { row / base } else { short + (row - short * base) / (base + 1) }
}

/// Fills two-dimensional rows from latent uniforms: the shared body of the
/// curve generators. Row `k` (label `label_of(k)`) is
/// `point(label, u_k) + noise·(z_2k, z_2k+1)`, where the `n` uniforms `u`
/// come first in the stream and the `2n` normals `z` after them; the rows
/// are then shuffled.
fn fill_curves<R: Rng + Clone>(
    rng: &mut R,
    classes: usize,
    noise: f64,
    x: &mut [f32],
    y: &mut [u8],
    point: impl Fn(usize, f64) -> (f64, f64),
) {
    let n = y.len();
    let mut latent = Sampler::new(rng.clone());
    let mut noises = Sampler::new(rng.clone());
    for _ in 0..n {
        noises.uniform();
    }
    for (k, (row, label)) in x.chunks_exact_mut(2).zip(y.iter_mut()).enumerate() {
        let class = label_of(k, n, classes);
        let (px, py) = point(class, latent.uniform());
        // Two normals per sample: always one whole Box-Muller pair.
        let nx = noise * noises.standard_normal();
        let ny = noise * noises.standard_normal();
        row[0] = (px + nx) as f32;
        row[1] = (py + ny) as f32;
        *label = class as u8;
    }
    *rng = noises.into_inner();
    shuffle_rows(rng, 2, x, y);
}

/// Fills `x` (`n × 2`) and `y` with two concentric circles (scikit-learn's
/// `make_circles`, with random rather than evenly spaced angles).
///
/// The first `⌊n/2⌋` rows (label 0) lie on the outer circle of radius 1, the
/// other `n − ⌊n/2⌋` (label 1) on the inner circle of radius `factor`: row
/// `k` is `ρ·(cos 2πu_k, sin 2πu_k) + noise·(z_2k, z_2k+1)` with
/// `u_k ~ U[0, 1)` (all `n` uniforms first in the stream), `z` standard
/// normals, then the shuffle of [`shuffle_rows`].
///
/// # Errors
///
/// In this order: [`Error::LengthMismatch`] if `x` does not hold
/// `y.len()` rows of 2; [`Error::BadHyperparameter`] with
/// [`Hyperparameter::Factor`] if `factor` is not in `(0, 1)`, or
/// [`Hyperparameter::Noise`] if `noise` is not in `[0, MAX_NOISE]`. Nothing
/// is written and no randomness is consumed on error.
///
/// # Examples
///
/// ```
/// use saorsa_nn::{Samples, data, rng_from_seed};
///
/// let (mut x, mut y) = ([0.0f32; 2 * 100], [0u8; 100]);
/// data::make_circles(&mut rng_from_seed(1), 0.5, 0.05, &mut x, &mut y)?;
/// assert_eq!(y.iter().filter(|&&l| l == 1).count(), 50);
/// let samples = Samples::new(&x, &y, 2, 2)?;
/// assert_eq!(samples.len(), 100);
/// # Ok::<(), saorsa_nn::Error>(())
/// ```
pub fn make_circles<R: Rng + Clone>(
    rng: &mut R,
    factor: f64,
    noise: f64,
    x: &mut [f32],
    y: &mut [u8],
) -> Result<(), Error> {
    check_rows(x, y, 2)?;
    if !(factor > 0.0 && factor < 1.0) {
        return Err(Error::BadHyperparameter(Hyperparameter::Factor));
    }
    check_noise(noise)?;
    fill_curves(rng, 2, noise, x, y, |class, u| {
        let radius = if class == 0 { 1.0 } else { factor };
        let t = 2.0 * PI * u;
        (radius * libm::cos(t), radius * libm::sin(t))
    });
    Ok(())
}

/// Fills `x` (`n × 2`) and `y` with `arms` interleaved spiral arms, one class
/// per arm.
///
/// Arm `c` (label `c`, [`class_size`]`(n, arms, c)` rows) is the curve
///
/// ```text
/// r = u,   θ = 2π·(c/arms + SPIRAL_TURNS·u),   point = r·(cos θ, sin θ),   u ∈ [0, 1)
/// ```
///
/// from the centre to radius 1, each arm turned by `2π/arms` from the
/// previous one. Row `k` is the point at `u_k ~ U[0, 1)` plus
/// `noise·(z_2k, z_2k+1)` (isotropic Gaussian noise on each coordinate); the
/// stream gives the `n` uniforms first, then the normals, then the shuffle
/// of [`shuffle_rows`].
///
/// # Errors
///
/// In this order: [`Error::BadHyperparameter`] with
/// [`Hyperparameter::Classes`] if `arms` is not in `2..=256`;
/// [`Error::LengthMismatch`]; [`Hyperparameter::Noise`]. Nothing is written
/// and no randomness is consumed on error.
///
/// # Examples
///
/// ```
/// use saorsa_nn::{data, rng_from_seed};
///
/// // Three arms of 40 points each.
/// let (mut x, mut y) = ([0.0f32; 2 * 120], [0u8; 120]);
/// data::make_spirals(&mut rng_from_seed(1), 3, 0.02, &mut x, &mut y)?;
/// assert!((0..3).all(|c| y.iter().filter(|&&l| l == c).count() == 40));
/// assert!(x.iter().all(|v| v.abs() < 1.5));
/// # Ok::<(), saorsa_nn::Error>(())
/// ```
pub fn make_spirals<R: Rng + Clone>(
    rng: &mut R,
    arms: usize,
    noise: f64,
    x: &mut [f32],
    y: &mut [u8],
) -> Result<(), Error> {
    check_classes(arms)?;
    check_rows(x, y, 2)?;
    check_noise(noise)?;
    fill_curves(rng, arms, noise, x, y, |class, u| {
        let theta = 2.0 * PI * (class as f64 / arms as f64 + SPIRAL_TURNS * u);
        (u * libm::cos(theta), u * libm::sin(theta))
    });
    Ok(())
}

/// Fills `x` (`n × 2`) and `y` with the XOR problem: four Gaussian clusters
/// of standard deviation `noise` centred at `(±1, ±1)`, labelled by the XOR
/// of the signs of the centre's coordinates.
///
/// Label 0 takes the first `n0 = ⌊n/2⌋` rows: the first `⌊n0/2⌋` centred at
/// `(1, 1)`, the rest at `(−1, −1)`. Label 1 takes the other `n1 = n − n0`:
/// the first `⌊n1/2⌋` at `(1, −1)`, the rest at `(−1, 1)`. Row `k` is its
/// centre plus `noise·(z_2k, z_2k+1)` (standard normals, the whole stream),
/// then the rows are shuffled with [`shuffle_rows`].
///
/// # Errors
///
/// In this order: [`Error::LengthMismatch`];
/// [`Error::BadHyperparameter`] with [`Hyperparameter::Noise`]. Nothing is
/// written and no randomness is consumed on error.
///
/// # Examples
///
/// ```
/// use saorsa_nn::{data, rng_from_seed};
///
/// let (mut x, mut y) = ([0.0f32; 2 * 64], [0u8; 64]);
/// data::make_xor(&mut rng_from_seed(2), 0.1, &mut x, &mut y)?;
/// // Label 1 exactly when the signs differ (the clusters are far apart at noise 0.1).
/// for (p, &l) in x.chunks_exact(2).zip(&y) {
///     assert_eq!((p[0] > 0.0) != (p[1] > 0.0), l == 1);
/// }
/// # Ok::<(), saorsa_nn::Error>(())
/// ```
pub fn make_xor<R: Rng>(rng: &mut R, noise: f64, x: &mut [f32], y: &mut [u8]) -> Result<(), Error> {
    check_rows(x, y, 2)?;
    check_noise(noise)?;
    let n = y.len();
    let n0 = class_size(n, 2, 0);
    let n1 = n - n0;
    let mut sampler = Sampler::new(&mut *rng);
    for (k, (row, label)) in x.chunks_exact_mut(2).zip(y.iter_mut()).enumerate() {
        let (cx, cy, l) = if k < n0 {
            if k < n0 / 2 { (1.0, 1.0, 0) } else { (-1.0, -1.0, 0) }
        } else if k - n0 < n1 / 2 {
            (1.0, -1.0, 1)
        } else {
            (-1.0, 1.0, 1)
        };
        let nx = noise * sampler.standard_normal();
        let ny = noise * sampler.standard_normal();
        row[0] = (cx + nx) as f32;
        row[1] = (cy + ny) as f32;
        *label = l;
    }
    shuffle_rows(rng, 2, x, y);
    Ok(())
}

/// The centre of blob `class` of `classes` in [`make_blobs`]: the vertex
/// `BLOB_RADIUS·(cos 2πc/K, sin 2πc/K)` of a regular `K`-gon, computed in
/// f64 with `libm` (the remaining coordinates of the centre are zero).
///
/// # Examples
///
/// ```
/// use saorsa_nn::data::{BLOB_RADIUS, blob_center};
///
/// assert_eq!(blob_center(0, 4), (BLOB_RADIUS, 0.0));
/// let (x, y) = blob_center(1, 4);
/// assert!(x.abs() < 1e-12 && (y - BLOB_RADIUS).abs() < 1e-12);
/// ```
pub fn blob_center(class: usize, classes: usize) -> (f64, f64) {
    let t = 2.0 * PI * class as f64 / classes as f64;
    (BLOB_RADIUS * libm::cos(t), BLOB_RADIUS * libm::sin(t))
}

/// Fills `x` (`n × dims`) and `y` with `classes` spherical Gaussian blobs in
/// `dims` dimensions.
///
/// Class `c` (label `c`, [`class_size`]`(n, K, c)` rows) is
/// `N(μ_c, std²·I)` with `μ_c` the [`blob_center`]: the vertices of a
/// regular `K`-gon of radius [`BLOB_RADIUS`] in the plane of the first two
/// coordinates, zero in the others. The centres need no randomness and are
/// the same for every seed, so the Bayes-optimal accuracy depends on `K`
/// and `std` only (the nearest-centre rule; the coordinates beyond the
/// second carry no label information). Row `k` is `μ + std·z` with `dims`
/// standard normals per row, row-major (the whole stream), then the rows
/// are shuffled with [`shuffle_rows`].
///
/// # Errors
///
/// In this order: [`Error::BadHyperparameter`] with
/// [`Hyperparameter::Classes`] if `classes` is not in `2..=256`, or
/// [`Hyperparameter::Dimensions`] if `dims < 2`; [`Error::LengthMismatch`];
/// [`Hyperparameter::Noise`] if `std` is not in `[0, MAX_NOISE]`. Nothing
/// is written and no randomness is consumed on error.
///
/// # Examples
///
/// ```
/// use saorsa_nn::{Samples, data, rng_from_seed};
///
/// // Four blobs in 3 dimensions, 50 rows.
/// let (mut x, mut y) = ([0.0f32; 3 * 50], [0u8; 50]);
/// data::make_blobs(&mut rng_from_seed(3), 4, 3, 0.5, &mut x, &mut y)?;
/// assert_eq!(Samples::new(&x, &y, 3, 4)?.len(), 50);
/// # Ok::<(), saorsa_nn::Error>(())
/// ```
pub fn make_blobs<R: Rng>(
    rng: &mut R,
    classes: usize,
    dims: usize,
    std: f64,
    x: &mut [f32],
    y: &mut [u8],
) -> Result<(), Error> {
    check_classes(classes)?;
    if dims < 2 {
        return Err(Error::BadHyperparameter(Hyperparameter::Dimensions));
    }
    check_rows(x, y, dims)?;
    check_noise(std)?;
    let n = y.len();
    let mut sampler = Sampler::new(&mut *rng);
    for (k, (row, label)) in x.chunks_exact_mut(dims).zip(y.iter_mut()).enumerate() {
        let class = label_of(k, n, classes);
        let (cx, cy) = blob_center(class, classes);
        for (i, value) in row.iter_mut().enumerate() {
            let centre = match i {
                0 => cx,
                1 => cy,
                _ => 0.0,
            };
            *value = (centre + std * sampler.standard_normal()) as f32;
        }
        *label = class as u8;
    }
    shuffle_rows(rng, dims, x, y);
    Ok(())
}

/// Shuffles rows of `features` values (row-major in `x`) and their labels
/// together, in place, with the Fisher–Yates algorithm of
/// [`shuffle`](super::shuffle): the same draws, so the same permutation as
/// `shuffle` on `[[f32; features]]` rows.
///
/// # Panics
///
/// If `x` does not hold exactly `y.len()` rows of `features` values, or
/// there are more than `u32::MAX` rows.
///
/// # Examples
///
/// ```
/// use saorsa_nn::{data, rng_from_seed};
///
/// let mut x = [0.0f32, 0.0, 1.0, 1.0, 2.0, 2.0];
/// let mut y = [0u8, 1, 2];
/// data::shuffle_rows(&mut rng_from_seed(5), 2, &mut x, &mut y);
/// // Rows move with their labels.
/// for (row, &label) in x.chunks_exact(2).zip(&y) {
///     assert_eq!(row, [f32::from(label); 2]);
/// }
/// ```
pub fn shuffle_rows<R: Rng>(rng: &mut R, features: usize, x: &mut [f32], y: &mut [u8]) {
    assert!(
        features.checked_mul(y.len()) == Some(x.len()),
        "shuffle_rows: x does not hold y.len() rows of `features` values"
    );
    let mut sampler = Sampler::new(rng);
    for i in (1..y.len()).rev() {
        let j = sampler.below(i + 1);
        if j != i {
            // j < i: row j lies wholly before row i.
            let (head, tail) = x.split_at_mut(i * features);
            head[j * features..(j + 1) * features].swap_with_slice(&mut tail[..features]);
            y.swap(i, j);
        }
    }
}

/// The length of the `f64` scratch buffer [`embed`] needs: the
/// `features × (dims − noise_dims)` random frame (0 if the arguments are
/// invalid, which `embed` reports).
///
/// # Examples
///
/// ```
/// use saorsa_nn::data::embed_scratch_len;
///
/// // 2 features into 10 dimensions, 3 of them noise: a 2 × 7 frame.
/// assert_eq!(embed_scratch_len(2, 10, 3), 14);
/// ```
pub const fn embed_scratch_len(features: usize, dims: usize, noise_dims: usize) -> usize {
    match features.checked_mul(dims.saturating_sub(noise_dims)) {
        Some(len) => len,
        None => 0,
    }
}

/// Fills `frame` (column-major, `rows × cols`, `cols ≤ rows`) with a
/// Haar-random orthonormal frame: the first `cols` columns of a uniformly
/// (Haar) distributed random orthogonal `rows × rows` matrix.
///
/// Column `j` is a vector of `rows` standard normals (columns in order,
/// each from the stream in order), orthogonalized against the columns
/// before it by classical Gram–Schmidt applied twice ("twice is enough":
/// orthogonal to f64 rounding) and normalized, all in f64. That is the `Q`
/// of the QR factorization of a Gaussian matrix with `R`'s diagonal
/// positive, which is Haar-distributed. Should a column's remainder be
/// (numerically) zero — probability zero with a real generator — the column
/// is redrawn, up to [`MAX_REJECTIONS`] times; after that the first
/// standard basis vector with a non-zero remainder is used, so the result
/// is always an orthonormal frame.
///
/// # Errors
///
/// [`Error::BadHyperparameter`] with [`Hyperparameter::Dimensions`]
/// if `cols` is 0 or exceeds `rows`; [`Error::BufferTooSmall`] (in bytes) if
/// `frame` holds fewer than `rows × cols` values. Nothing is written and no
/// randomness is consumed on error.
///
/// # Examples
///
/// ```
/// use saorsa_nn::{data, rng_from_seed};
///
/// // Two orthonormal columns in 3 dimensions (column-major).
/// let mut q = [0.0f64; 6];
/// data::random_frame(&mut rng_from_seed(1), 3, 2, &mut q)?;
/// let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>();
/// assert!((dot(&q[..3], &q[..3]) - 1.0).abs() < 1e-12);
/// assert!(dot(&q[..3], &q[3..]).abs() < 1e-12);
/// # Ok::<(), saorsa_nn::Error>(())
/// ```
pub fn random_frame<R: Rng>(rng: &mut R, rows: usize, cols: usize, frame: &mut [f64]) -> Result<(), Error> {
    if cols == 0 || cols > rows {
        return Err(Error::BadHyperparameter(Hyperparameter::Dimensions));
    }
    let len = rows.checked_mul(cols).ok_or(Error::BadHyperparameter(Hyperparameter::Dimensions))?;
    if frame.len() < len {
        return Err(Error::BufferTooSmall { needed: len.saturating_mul(size_of::<f64>()) });
    }
    let mut sampler = Sampler::new(rng);
    let frame = &mut frame[..len];
    for j in 0..cols {
        let (done, rest) = frame.split_at_mut(j * rows);
        let column = &mut rest[..rows];
        let mut ok = false;
        for _ in 0..MAX_REJECTIONS {
            column.iter_mut().for_each(|v| *v = sampler.standard_normal());
            if orthonormalize(done, column) {
                ok = true;
                break;
            }
        }
        if !ok {
            for basis in 0..rows {
                column.iter_mut().enumerate().for_each(|(i, v)| *v = f64::from(u8::from(i == basis)));
                if orthonormalize(done, column) {
                    break;
                }
            }
        }
    }
    Ok(())
}

/// Projects `column` off the orthonormal columns in `done` (twice) and
/// normalizes it; `false` (column unusable) if its remainder is below
/// `10⁻⁸` of its norm, or zero.
fn orthonormalize(done: &[f64], column: &mut [f64]) -> bool {
    let norm0 = norm(column);
    if !(norm0 > 0.0 && norm0.is_finite()) {
        return false;
    }
    for _ in 0..2 {
        for q in done.chunks_exact(column.len()) {
            let dot = q.iter().zip(column.iter()).fold(0.0, |acc, (a, b)| acc + a * b);
            column.iter_mut().zip(q).for_each(|(v, a)| *v -= dot * a);
        }
    }
    let remainder = norm(column);
    if remainder.is_nan() || remainder <= 1e-8 * norm0 {
        return false;
    }
    column.iter_mut().for_each(|v| *v /= remainder);
    true
}

/// The Euclidean norm, summed in order (no overflow for the values used
/// here: standard normals, basis vectors).
fn norm(v: &[f64]) -> f64 {
    libm::sqrt(v.iter().fold(0.0, |acc, a| acc + a * a))
}

/// Embeds a data set of `features` columns into `dims` dimensions: a random
/// rotation of the zero-padded rows, then `noise_dims` label-independent
/// noise coordinates.
///
/// With `m = dims − noise_dims`, each row `v` of `x` is padded with zeros
/// to `m` values and multiplied by a Haar-random orthogonal `m × m` matrix
/// `Q`; `noise_std·z` for `noise_dims` standard normals `z` follow. Only the
/// first `features` columns of `Q` meet non-zero values, so only they are
/// made: the [`random_frame`]`(rng, m, features)` in `scratch`, from the
/// start of the stream. Output row `k` is
///
/// ```text
/// out[k][i] = Σ_j Q[i][j]·x[k][j]   (i < m, f64, j in order, rounded once to f32)
/// out[k][m + l] = noise_std·z       (l < noise_dims, normals row-major after the frame's)
/// ```
///
/// Rows keep their order and the labels are untouched. A rotation keeps
/// every distance between rows, and the noise coordinates are independent of
/// the label, so the Bayes-optimal accuracy of the task is unchanged; only
/// the input width (the first layer's fan-in) grows.
///
/// # Errors
///
/// In this order: [`Error::BadHyperparameter`] with
/// [`Hyperparameter::Dimensions`] if `features` is 0 or
/// `dims − noise_dims < features`; [`Error::LengthMismatch`] if `x` is not a
/// whole number of rows or `out` does not hold the same number of rows of
/// `dims` (its `samples` and `labels` are then the whole rows of `x` and of
/// `out`); [`Error::BufferTooSmall`] (in bytes) if `scratch` is shorter than
/// [`embed_scratch_len`]; [`Hyperparameter::Noise`] if `noise_std` is not in
/// `[0, MAX_NOISE]`; [`Error::NonFiniteInput`] for the first row of `x` with
/// a non-finite value or a norm above [`MAX_EMBED_NORM`]. Nothing is written
/// (except possibly to `scratch`) and no randomness is consumed on error.
///
/// # Examples
///
/// ```
/// use saorsa_nn::{data, rng_from_seed};
///
/// // Two moons (2 features) rotated into 6 dimensions plus 2 noise dimensions.
/// let (mut x, mut y) = ([[0.0f32; 2]; 50], [0u8; 50]);
/// data::make_moons(&mut rng_from_seed(1), 0.1, &mut x, &mut y)?;
/// let mut out = [0.0f32; 8 * 50];
/// let mut scratch = [0.0f64; data::embed_scratch_len(2, 8, 2)];
/// data::embed(&mut rng_from_seed(7), 2, x.as_flattened(), 8, 2, 0.1, &mut out, &mut scratch)?;
/// // A rotation keeps each row's length (the noise coordinates aside).
/// let norm = |v: &[f32]| v.iter().map(|a| f64::from(*a).powi(2)).sum::<f64>().sqrt();
/// assert!((norm(&out[..6]) - norm(&x[0])).abs() < 1e-5);
/// # Ok::<(), saorsa_nn::Error>(())
/// ```
#[allow(clippy::too_many_arguments)]
pub fn embed<R: Rng>(
    rng: &mut R,
    features: usize,
    x: &[f32],
    dims: usize,
    noise_dims: usize,
    noise_std: f64,
    out: &mut [f32],
    scratch: &mut [f64],
) -> Result<(), Error> {
    let rotated = dims.saturating_sub(noise_dims);
    if features == 0 || noise_dims > dims || rotated < features {
        return Err(Error::BadHyperparameter(Hyperparameter::Dimensions));
    }
    let rows = x.len() / features;
    if !x.len().is_multiple_of(features) || out.len() / dims != rows || !out.len().is_multiple_of(dims) {
        return Err(Error::LengthMismatch { samples: rows, labels: out.len() / dims });
    }
    let scratch_len = embed_scratch_len(features, dims, noise_dims);
    if scratch.len() < scratch_len {
        return Err(Error::BufferTooSmall { needed: scratch_len.saturating_mul(size_of::<f64>()) });
    }
    check_noise(noise_std)?;
    for (index, row) in x.chunks_exact(features).enumerate() {
        let squares = row.iter().fold(0.0, |acc, &v| acc + f64::from(v) * f64::from(v));
        if !row.iter().all(|v| v.is_finite()) || libm::sqrt(squares) > MAX_EMBED_NORM {
            return Err(Error::NonFiniteInput { index });
        }
    }
    let frame = &mut scratch[..scratch_len];
    random_frame(rng, rotated, features, frame)?;
    let mut sampler = Sampler::new(rng);
    for (input, output) in x.chunks_exact(features).zip(out.chunks_exact_mut(dims)) {
        let (turned, noise) = output.split_at_mut(rotated);
        for (i, value) in turned.iter_mut().enumerate() {
            let sum = input
                .iter()
                .enumerate()
                .fold(0.0, |acc, (j, &v)| acc + frame[j * rotated + i] * f64::from(v));
            *value = sum as f32;
        }
        for value in noise.iter_mut() {
            *value = (noise_std * sampler.standard_normal()) as f32;
        }
    }
    Ok(())
}
