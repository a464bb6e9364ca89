//! The synthetic generators (circles, spirals, XOR, blobs), `shuffle_rows`
//! and the embedding.
//!
//! Reference values marked "script" come from
//! `core/tests/reference/synthetic_reference.py` (SciPy), whose output is
//! quoted where it is used.

use saorsa_nn::data::{self, BLOB_RADIUS, SPIRAL_TURNS, class_size};
use saorsa_nn::{DefaultRng, Error, Hyperparameter, rng_from_seed};
use std::f64::consts::PI;

type Set = (Vec<f32>, Vec<u8>);

fn circles(n: usize, factor: f64, noise: f64, seed: u64) -> Set {
    let (mut x, mut y) = (vec![0.0; 2 * n], vec![0; n]);
    data::make_circles(&mut rng_from_seed(seed), factor, noise, &mut x, &mut y).unwrap();
    (x, y)
}

fn spirals(n: usize, arms: usize, noise: f64, seed: u64) -> Set {
    let (mut x, mut y) = (vec![0.0; 2 * n], vec![0; n]);
    data::make_spirals(&mut rng_from_seed(seed), arms, noise, &mut x, &mut y).unwrap();
    (x, y)
}

fn xor(n: usize, noise: f64, seed: u64) -> Set {
    let (mut x, mut y) = (vec![0.0; 2 * n], vec![0; n]);
    data::make_xor(&mut rng_from_seed(seed), noise, &mut x, &mut y).unwrap();
    (x, y)
}

fn blobs(n: usize, classes: usize, dims: usize, std: f64, seed: u64) -> Set {
    let (mut x, mut y) = (vec![0.0; dims * n], vec![0; n]);
    data::make_blobs(&mut rng_from_seed(seed), classes, dims, std, &mut x, &mut y).unwrap();
    (x, y)
}

fn bits(set: &Set) -> (Vec<u32>, Vec<u8>) {
    (set.0.iter().map(|v| v.to_bits()).collect(), set.1.clone())
}

fn counts(y: &[u8], classes: usize) -> Vec<usize> {
    let mut c = vec![0; classes];
    y.iter().for_each(|&l| c[usize::from(l)] += 1);
    c
}

fn mean_std(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    (mean, (v.iter().map(|a| (a - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt())
}

fn radius(p: &[f32]) -> f64 {
    f64::from(p[0]).hypot(f64::from(p[1]))
}

#[test]
fn class_sizes_sum_to_n_and_the_last_classes_take_the_remainder() {
    for n in [0, 1, 2, 7, 100, 1201] {
        for k in [2, 3, 7, 256] {
            let sizes: Vec<usize> = (0..k).map(|c| class_size(n, k, c)).collect();
            assert_eq!(sizes.iter().sum::<usize>(), n);
            assert!(sizes.windows(2).all(|w| w[0] <= w[1] && w[1] - w[0] <= 1), "{sizes:?}");
        }
    }
    assert_eq!(class_size(7, 3, 0), 2);
    assert_eq!(class_size(7, 3, 2), 3);
    // Two classes: ⌊n/2⌋ then the rest, as two moons.
    assert_eq!((class_size(1201, 2, 0), class_size(1201, 2, 1)), (600, 601));
}

#[test]
fn generators_are_deterministic_and_seed_dependent() {
    type Gen = fn(u64) -> Set;
    let gens: [Gen; 4] = [
        |s| circles(999, 0.5, 0.2, s),
        |s| spirals(999, 3, 0.1, s),
        |s| xor(999, 0.6, s),
        |s| blobs(999, 5, 3, 0.8, s),
    ];
    for g in gens {
        let a = g(7);
        assert_eq!(bits(&a), bits(&g(7)));
        assert_ne!(bits(&a).0, bits(&g(8)).0);
        // Shuffled: the labels are not in class order.
        assert!(a.1.windows(2).any(|w| w[0] > w[1]));
    }
}

#[test]
fn labels_are_balanced_as_documented() {
    assert_eq!(counts(&circles(1001, 0.5, 0.1, 1).1, 2), [500, 501]);
    assert_eq!(counts(&spirals(1000, 3, 0.1, 1).1, 3), [333, 333, 334]);
    assert_eq!(counts(&spirals(10, 7, 0.1, 1).1, 7), [1, 1, 1, 1, 2, 2, 2]);
    assert_eq!(counts(&xor(1001, 0.3, 1).1, 2), [500, 501]);
    assert_eq!(counts(&blobs(1003, 4, 2, 0.5, 1).1, 4), [250, 251, 251, 251]);
    assert_eq!(counts(&spirals(3, 256, 0.1, 1).1, 256).iter().sum::<usize>(), 3);
}

#[test]
fn noise_free_circles_have_radius_one_and_factor() {
    let (x, y) = circles(2000, 0.3, 0.0, 3);
    for (p, &l) in x.chunks_exact(2).zip(&y) {
        let r = radius(p);
        let want = if l == 0 { 1.0 } else { 0.3 };
        assert!((r - want).abs() < 1e-6, "{r} {l}");
    }
    // Angles are uniform: the mean of cos and sin is near 0, of cos² near 1/2.
    let outer: Vec<&[f32]> = x.chunks_exact(2).zip(&y).filter(|(_, l)| **l == 0).map(|(p, _)| p).collect();
    let cos: Vec<f64> = outer.iter().map(|p| f64::from(p[0])).collect();
    let cos2: Vec<f64> = cos.iter().map(|c| c * c).collect();
    assert!(mean_std(&cos).0.abs() < 5.0 * (0.5f64 / 1000.0).sqrt());
    assert!((mean_std(&cos2).0 - 0.5).abs() < 5.0 * (0.125f64 / 1000.0).sqrt());
}

#[test]
fn noisy_circles_have_rice_distributed_radii() {
    // Script: "rice rho=1.0 sigma=0.2: mean=1.0202139279 std=0.1978978052",
    //         "rice rho=0.5 sigma=0.2: mean=0.5422402938 std=0.1896719901".
    let (x, y) = circles(40_000, 0.5, 0.2, 4);
    for (label, mean, std) in [(0u8, 1.020_213_927_9, 0.197_897_805_2), (1, 0.542_240_293_8, 0.189_671_990_1)]
    {
        let r: Vec<f64> =
            x.chunks_exact(2).zip(&y).filter(|(_, l)| **l == label).map(|(p, _)| radius(p)).collect();
        let (m, s) = mean_std(&r);
        let se = std / (r.len() as f64).sqrt();
        assert!((m - mean).abs() < 4.0 * se, "label {label}: mean {m}, want {mean} ± {se}");
        assert!((s - std).abs() < 4.0 * std / (2.0 * r.len() as f64).sqrt(), "label {label}: std {s}");
    }
}

#[test]
fn noise_free_spiral_points_lie_on_their_arm() {
    let arms = 5;
    let (x, y) = spirals(5000, arms, 0.0, 5);
    let mut radii = Vec::new();
    for (p, &l) in x.chunks_exact(2).zip(&y) {
        let r = radius(p);
        let theta = 2.0 * PI * (f64::from(l) / arms as f64 + SPIRAL_TURNS * r);
        let (ex, ey) = (r * theta.cos(), r * theta.sin());
        assert!((f64::from(p[0]) - ex).hypot(f64::from(p[1]) - ey) < 1e-6, "{p:?} label {l}");
        radii.push(r);
    }
    // r = u ~ U[0, 1): mean 1/2, std 1/√12.
    let (m, s) = mean_std(&radii);
    assert!((m - 0.5).abs() < 5.0 * (1.0 / 12.0f64).sqrt() / 5000f64.sqrt(), "{m}");
    assert!((s - (1.0 / 12.0f64).sqrt()).abs() < 0.01, "{s}");
    assert!(radii.iter().all(|&r| r < 1.0 + 1e-7));
}

#[test]
fn spiral_noise_has_the_stated_scale() {
    // Same seed: same positions and permutation, so the difference is the noise.
    let (x0, y0) = spirals(8000, 3, 0.0, 6);
    let (x1, y1) = spirals(8000, 3, 0.1, 6);
    assert_eq!(y0, y1);
    let d: Vec<f64> = x0.iter().zip(&x1).map(|(a, b)| f64::from(b - a)).collect();
    let (m, s) = mean_std(&d);
    assert!(m.abs() < 5.0 * 0.1 / (d.len() as f64).sqrt(), "{m}");
    assert!((s - 0.1).abs() < 5.0 * 0.1 / (2.0 * d.len() as f64).sqrt(), "{s}");
}

#[test]
fn xor_clusters_have_the_stated_centres_spread_and_labels() {
    let n = 40_000;
    let sigma = 0.3;
    let (x, y) = xor(n, sigma, 7);
    // Assign each point to its quadrant's centre: a point crosses an axis
    // with probability Φ(−1/σ) = 0.00043 per coordinate, so the quadrant's
    // label disagrees with the point's for about n·0.00086 ≈ 34 points (the
    // XOR problem's Bayes error), which the tolerances below absorb.
    let centres = [(1.0, 1.0, 0u8), (-1.0, -1.0, 0), (1.0, -1.0, 1), (-1.0, 1.0, 1)];
    let mut disagree = 0;
    for (cx, cy, label) in centres {
        let pts: Vec<(f64, f64)> = x
            .chunks_exact(2)
            .zip(&y)
            .map(|(p, &l)| (f64::from(p[0]), f64::from(p[1]), l))
            .filter(|&(px, py, _)| px.signum() == cx && py.signum() == cy)
            .map(|(px, py, l)| {
                disagree += usize::from(l != label);
                (px, py)
            })
            .collect();
        // ⌊n0/2⌋ = 10 000 per cluster, minus the few that cross an axis.
        assert!((pts.len() as f64 - 10_000.0).abs() < 200.0, "{}", pts.len());
        let (mx, sx) = mean_std(&pts.iter().map(|p| p.0).collect::<Vec<_>>());
        let (my, sy) = mean_std(&pts.iter().map(|p| p.1).collect::<Vec<_>>());
        assert!((mx - cx).abs() < 0.01 && (my - cy).abs() < 0.01, "{mx} {my}");
        assert!((sx - sigma).abs() < 0.01 && (sy - sigma).abs() < 0.01, "{sx} {sy}");
    }
    assert!((10..100).contains(&disagree), "{disagree} points off their label's quadrants");
    // Noise-free: exactly the four corners, in the documented numbers.
    let (x, y) = xor(11, 0.0, 1);
    let mut corners: Vec<(i32, i32, u8)> =
        x.chunks_exact(2).zip(&y).map(|(p, &l)| (p[0] as i32, p[1] as i32, l)).collect();
    corners.sort();
    // n0 = 5: 2 at (1, 1), 3 at (−1, −1); n1 = 6: 3 at (1, −1), 3 at (−1, 1).
    let want = [(-1, -1, 0), (-1, -1, 0), (-1, -1, 0), (-1, 1, 1), (-1, 1, 1), (-1, 1, 1)]
        .into_iter()
        .chain([(1, -1, 1), (1, -1, 1), (1, -1, 1), (1, 1, 0), (1, 1, 0)])
        .collect::<Vec<_>>();
    assert_eq!(corners, want);
}

#[test]
fn blob_means_are_the_polygon_vertices_and_the_rest_is_zero() {
    let (k, dims, std, n) = (5, 4, 0.7, 50_000);
    let (x, y) = blobs(n, k, dims, std, 8);
    for class in 0..k {
        let rows: Vec<&[f32]> =
            x.chunks_exact(dims).zip(&y).filter(|(_, l)| usize::from(**l) == class).map(|(r, _)| r).collect();
        let t = 2.0 * PI * class as f64 / k as f64;
        let want = [BLOB_RADIUS * t.cos(), BLOB_RADIUS * t.sin(), 0.0, 0.0];
        for (d, w) in want.iter().enumerate() {
            let v: Vec<f64> = rows.iter().map(|r| f64::from(r[d])).collect();
            let (m, s) = mean_std(&v);
            let se = std / (v.len() as f64).sqrt();
            assert!((m - w).abs() < 5.0 * se, "class {class} dim {d}: {m} vs {w}");
            assert!(
                (s - std).abs() < 5.0 * std / (2.0 * v.len() as f64).sqrt(),
                "class {class} dim {d}: std {s}"
            );
        }
    }
}

/// Each generator on `(x, y)` buffers: used by the error-path test.
fn run(
    which: usize,
    rng: &mut DefaultRng,
    a: f64,
    b: f64,
    k: usize,
    x: &mut [f32],
    y: &mut [u8],
) -> Result<(), Error> {
    match which {
        0 => data::make_circles(rng, a, b, x, y),
        1 => data::make_spirals(rng, k, b, x, y),
        2 => data::make_xor(rng, b, x, y),
        _ => data::make_blobs(rng, k, 2, b, x, y),
    }
}

#[test]
fn every_error_path_writes_nothing_and_consumes_no_randomness() {
    let bad_noise = Error::BadHyperparameter(Hyperparameter::Noise);
    let cases: Vec<(usize, f64, f64, usize, usize, usize, Error)> = vec![
        // (generator, factor, noise, classes, x values, labels, error)
        (0, 0.5, 0.1, 2, 9, 5, Error::LengthMismatch { samples: 4, labels: 5 }),
        (0, 0.5, 0.1, 2, 8, 5, Error::LengthMismatch { samples: 4, labels: 5 }),
        (0, 0.0, 0.1, 2, 10, 5, Error::BadHyperparameter(Hyperparameter::Factor)),
        (0, 1.0, 0.1, 2, 10, 5, Error::BadHyperparameter(Hyperparameter::Factor)),
        (0, f64::NAN, 0.1, 2, 10, 5, Error::BadHyperparameter(Hyperparameter::Factor)),
        (0, 0.5, -0.1, 2, 10, 5, bad_noise),
        (0, 0.5, f64::NAN, 2, 10, 5, bad_noise),
        (0, 0.5, f64::INFINITY, 2, 10, 5, bad_noise),
        (1, 0.5, 0.1, 1, 10, 5, Error::BadHyperparameter(Hyperparameter::Classes)),
        (1, 0.5, 0.1, 257, 10, 5, Error::BadHyperparameter(Hyperparameter::Classes)),
        (1, 0.5, 0.1, 3, 12, 5, Error::LengthMismatch { samples: 6, labels: 5 }),
        (1, 0.5, data::MAX_NOISE * 2.0, 3, 10, 5, bad_noise),
        (2, 0.5, 0.1, 2, 11, 5, Error::LengthMismatch { samples: 5, labels: 5 }),
        (2, 0.5, -0.0001, 2, 10, 5, bad_noise),
        (3, 0.5, 0.1, 0, 10, 5, Error::BadHyperparameter(Hyperparameter::Classes)),
        (3, 0.5, 0.1, 3, 10, 4, Error::LengthMismatch { samples: 5, labels: 4 }),
        (3, 0.5, f64::NAN, 3, 10, 5, bad_noise),
    ];
    for (which, factor, noise, k, xn, yn, want) in cases {
        let mut rng = rng_from_seed(1);
        let mut x = vec![7.0f32; xn];
        let mut y = vec![9u8; yn];
        let got = run(which, &mut rng, factor, noise, k, &mut x, &mut y);
        assert_eq!(got, Err(want), "generator {which}, factor {factor}, noise {noise}, k {k}");
        assert!(x.iter().all(|&v| v == 7.0) && y.iter().all(|&l| l == 9));
        assert_eq!(rng, rng_from_seed(1));
    }
    // Blobs need two dimensions.
    let (mut x, mut y) = (vec![7.0f32; 5], vec![9u8; 5]);
    let mut rng = rng_from_seed(1);
    let got = data::make_blobs(&mut rng, 3, 1, 0.5, &mut x, &mut y);
    assert_eq!(got, Err(Error::BadHyperparameter(Hyperparameter::Dimensions)));
    assert!(x.iter().all(|&v| v == 7.0) && y.iter().all(|&l| l == 9) && rng == rng_from_seed(1));
    // The boundaries that are accepted.
    assert!(run(0, &mut rng, 1e-9, data::MAX_NOISE, 2, &mut [0.0; 4], &mut [0; 2]).is_ok());
    assert!(run(1, &mut rng, 0.5, 0.0, 256, &mut [0.0; 4], &mut [0; 2]).is_ok());
    assert!(run(2, &mut rng, 0.5, 0.1, 2, &mut [], &mut []).is_ok());
}

#[test]
fn huge_noise_stays_finite() {
    for set in [
        circles(500, 0.5, data::MAX_NOISE, 1),
        spirals(500, 4, data::MAX_NOISE, 1),
        xor(500, data::MAX_NOISE, 1),
        blobs(500, 4, 3, data::MAX_NOISE, 1),
    ] {
        assert!(set.0.iter().all(|v| v.is_finite()));
    }
}

#[test]
fn shuffle_rows_is_the_same_permutation_as_shuffle() {
    let n = 300;
    let mut rows: Vec<[f32; 3]> = (0..n).map(|i| [i as f32, -(i as f32), 0.5 * i as f32]).collect();
    let mut flat: Vec<f32> = rows.as_flattened().to_vec();
    let mut y1: Vec<u8> = (0..n).map(|i| (i % 251) as u8).collect();
    let mut y2 = y1.clone();
    let (mut r1, mut r2) = (rng_from_seed(9), rng_from_seed(9));
    data::shuffle(&mut r1, &mut rows, &mut y1);
    data::shuffle_rows(&mut r2, 3, &mut flat, &mut y2);
    assert_eq!(rows.as_flattened(), &flat[..]);
    assert_eq!(y1, y2);
    assert_eq!(r1, r2);
    assert_ne!(y1, (0..n).map(|i| (i % 251) as u8).collect::<Vec<_>>());
}

#[test]
#[should_panic(expected = "shuffle_rows")]
fn shuffle_rows_panics_on_ragged_rows() {
    data::shuffle_rows(&mut rng_from_seed(1), 3, &mut [0.0; 7], &mut [0; 2]);
}

fn frame(seed: u64, rows: usize, cols: usize) -> Vec<f64> {
    let mut f = vec![0.0; rows * cols];
    data::random_frame(&mut rng_from_seed(seed), rows, cols, &mut f).unwrap();
    f
}

fn gram_error(f: &[f64], rows: usize, cols: usize) -> f64 {
    let mut worst: f64 = 0.0;
    for a in 0..cols {
        for b in 0..cols {
            let dot: f64 = (0..rows).map(|i| f[a * rows + i] * f[b * rows + i]).sum();
            worst = worst.max((dot - f64::from(u8::from(a == b))).abs());
        }
    }
    worst
}

#[test]
fn random_frames_are_orthonormal() {
    for (rows, cols) in [(1, 1), (2, 2), (7, 3), (50, 50), (4096, 2), (300, 40)] {
        let f = frame(rows as u64, rows, cols);
        let e = gram_error(&f, rows, cols);
        assert!(e < 1e-13, "{rows}×{cols}: QᵀQ − I = {e}");
    }
}

#[test]
fn random_frames_are_haar_distributed() {
    // Script: "haar m=5: E[q^2]=0.2000000000 Var[q^2]=0.0457142857": every
    // squared entry of a Haar frame is Beta(1/2, (m−1)/2). A sign bias or a
    // preferred direction (e.g. a missing sign correction) would show in the
    // mean of q or of q².
    let (m, seeds) = (5, 20_000);
    let (mut q, mut q2) = (Vec::new(), Vec::new());
    for seed in 0..seeds {
        let f = frame(seed, m, 2);
        q.push(f[0]);
        q2.push(f[0] * f[0]);
        q2.push(f[m + 3] * f[m + 3]);
    }
    let (mq, _) = mean_std(&q);
    let (mq2, _) = mean_std(&q2);
    assert!(mq.abs() < 5.0 * 0.2f64.sqrt() / (seeds as f64).sqrt(), "mean q {mq}");
    assert!(
        (mq2 - 0.2).abs() < 5.0 * 0.045_714_285_7f64.sqrt() / (2.0 * seeds as f64).sqrt(),
        "mean q² {mq2}"
    );
}

#[test]
fn a_degenerate_generator_still_gives_an_orthonormal_frame() {
    /// A generator stuck on one output: every column is the same vector.
    struct Stuck;
    impl rand_core::TryRng for Stuck {
        type Error = core::convert::Infallible;
        fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
            Ok(0x1234_5678)
        }
        fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
            Ok(0x1234_5678_9abc_def0)
        }
        fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
            dst.fill(0x5a);
            Ok(())
        }
    }
    let mut f = vec![0.0; 6 * 6];
    data::random_frame(&mut Stuck, 6, 6, &mut f).unwrap();
    assert!(gram_error(&f, 6, 6) < 1e-13);
}

fn embed(seed: u64, features: usize, x: &[f32], dims: usize, noise_dims: usize, std: f64) -> Vec<f32> {
    let rows = x.len() / features;
    let mut out = vec![0.0; rows * dims];
    let mut scratch = vec![0.0; data::embed_scratch_len(features, dims, noise_dims)];
    data::embed(&mut rng_from_seed(seed), features, x, dims, noise_dims, std, &mut out, &mut scratch)
        .unwrap();
    out
}

#[test]
fn embedding_keeps_distances_and_norms() {
    let (x, _) = spirals(400, 3, 0.1, 2);
    for (dims, noise_dims) in [(2, 0), (3, 0), (10, 0), (64, 0), (4096, 0), (20, 5)] {
        let out = embed(11, 2, &x, dims, noise_dims, 0.5);
        let m = dims - noise_dims;
        let row = |k: usize| &out[k * dims..k * dims + m];
        let dist = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(p, q)| (p - q).powi(2)).sum::<f64>().sqrt();
        let as64 = |r: &[f32]| r.iter().map(|&v| f64::from(v)).collect::<Vec<_>>();
        for k in 0..400 {
            let a = as64(&x[2 * k..2 * k + 2]);
            let ea = as64(row(k));
            let n = dist(&a, &[0.0, 0.0]);
            assert!((dist(&ea, &vec![0.0; m]) - n).abs() < 1e-6 * (1.0 + n), "norm, dims {dims}");
            let j = (k * 37 + 11) % 400;
            let b = as64(&x[2 * j..2 * j + 2]);
            let d = dist(&a, &b);
            assert!((dist(&ea, &as64(row(j))) - d).abs() < 1e-6 * (1.0 + d), "distance, dims {dims}");
        }
        // Deterministic.
        assert_eq!(out, embed(11, 2, &x, dims, noise_dims, 0.5));
    }
    // Embedding the identity's rows gives the rotation's columns: QᵀQ = I.
    let identity: Vec<f32> = (0..9).map(|i| f32::from(u8::from(i % 4 == 0))).collect();
    let q = embed(3, 3, &identity, 8, 0, 0.0);
    let cols: Vec<f64> = q.iter().map(|&v| f64::from(v)).collect();
    assert!(gram_error(&cols, 8, 3) < 1e-6);
    // A different seed rotates differently; dims = features still rotates.
    assert_ne!(embed(11, 2, &x, 2, 0, 0.0), embed(12, 2, &x, 2, 0, 0.0));
    assert_ne!(embed(11, 2, &x, 2, 0, 0.0), x);
}

#[test]
fn noise_dimensions_have_the_stated_scale_and_ignore_the_label() {
    let n = 20_000;
    let (x, y) = xor(n, 0.3, 3);
    let (dims, noise_dims, std) = (7, 4, 1.5);
    let out = embed(5, 2, &x, dims, noise_dims, std);
    let labels: Vec<f64> = y.iter().map(|&l| f64::from(l)).collect();
    let (ml, sl) = mean_std(&labels);
    for d in dims - noise_dims..dims {
        let v: Vec<f64> = out.chunks_exact(dims).map(|r| f64::from(r[d])).collect();
        let (m, s) = mean_std(&v);
        assert!(m.abs() < 5.0 * std / (n as f64).sqrt(), "dim {d}: mean {m}");
        assert!((s - std).abs() < 5.0 * std / (2.0 * n as f64).sqrt(), "dim {d}: std {s}");
        let corr =
            v.iter().zip(&labels).map(|(a, l)| (a - m) * (l - ml)).sum::<f64>() / ((n - 1) as f64 * s * sl);
        assert!(corr.abs() < 5.0 / (n as f64).sqrt(), "dim {d}: correlation with label {corr}");
        // The noise's square (its scale) ignores the label too.
        let v2: Vec<f64> = v.iter().map(|a| a * a).collect();
        let (m2, s2) = mean_std(&v2);
        let corr2 = v2.iter().zip(&labels).map(|(a, l)| (a - m2) * (l - ml)).sum::<f64>()
            / ((n - 1) as f64 * s2 * sl);
        assert!(corr2.abs() < 5.0 / (n as f64).sqrt(), "dim {d}: correlation of square with label {corr2}");
    }
    // The rotated part of the rows is the same with or without noise dims
    // (the frame comes first in the stream).
    let plain = embed(5, 2, &x, 3, 0, 0.0);
    for (a, b) in out.chunks_exact(dims).zip(plain.chunks_exact(3)) {
        assert_eq!(&a[..3], b);
    }
}

#[test]
fn embedding_errors_write_nothing_and_consume_no_randomness() {
    let x = [1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0];
    let dims_err = Error::BadHyperparameter(Hyperparameter::Dimensions);
    // (features, x values, dims, noise_dims, std, out values, scratch, error)
    let cases = vec![
        (0, 6, 4, 0, 0.1, 12, 8, dims_err),
        (2, 6, 1, 0, 0.1, 3, 8, dims_err),
        (2, 6, 4, 3, 0.1, 12, 8, dims_err),
        (2, 6, 4, 5, 0.1, 12, 8, dims_err),
        (2, 5, 4, 0, 0.1, 12, 8, Error::LengthMismatch { samples: 2, labels: 3 }),
        (2, 6, 4, 0, 0.1, 8, 8, Error::LengthMismatch { samples: 3, labels: 2 }),
        (2, 6, 4, 0, 0.1, 13, 8, Error::LengthMismatch { samples: 3, labels: 3 }),
        (2, 6, 4, 1, 0.1, 12, 5, Error::BufferTooSmall { needed: 48 }),
        (2, 6, 4, 1, -1.0, 12, 6, Error::BadHyperparameter(Hyperparameter::Noise)),
        (2, 6, 4, 1, f64::NAN, 12, 6, Error::BadHyperparameter(Hyperparameter::Noise)),
    ];
    for (features, xn, dims, noise_dims, std, outn, sn, want) in cases {
        let mut rng = rng_from_seed(1);
        let mut out = vec![7.0f32; outn];
        let mut scratch = vec![0.0; sn];
        let got = data::embed(&mut rng, features, &x[..xn], dims, noise_dims, std, &mut out, &mut scratch);
        assert_eq!(got, Err(want), "features {features}, dims {dims}, noise dims {noise_dims}");
        assert!(out.iter().all(|&v| v == 7.0));
        assert_eq!(rng, rng_from_seed(1));
    }
    for bad in [f32::NAN, f32::INFINITY, f32::MAX] {
        let x = [1.0, 2.0, bad, f32::MAX, 0.0, 0.0];
        let mut rng = rng_from_seed(1);
        let mut out = [7.0f32; 9];
        let got = data::embed(&mut rng, 2, &x, 3, 0, 0.0, &mut out, &mut [0.0; 6]);
        assert_eq!(got, Err(Error::NonFiniteInput { index: 1 }), "{bad}");
        assert!(out.iter().all(|&v| v == 7.0) && rng == rng_from_seed(1));
    }
    // Large but accepted rows stay finite.
    let big = (data::MAX_EMBED_NORM / 2.0) as f32;
    let out = embed(1, 2, &[big, big, -big, big], 5, 1, data::MAX_NOISE);
    assert!(out.iter().all(|v| v.is_finite()), "{out:?}");
    // Width 4096 is accepted, with or without noise dimensions.
    assert_eq!(embed(1, 2, &x, 4096, 4000, 1.0).len(), 3 * 4096);
}
