//! The two-moons generator and the train/validation split.

use saorsa_nn::{Error, Hyperparameter, data, rng_from_seed};

fn moons(n: usize, noise: f64, seed: u64) -> (Vec<[f32; 2]>, Vec<u8>) {
    let mut x = vec![[0.0f32; 2]; n];
    let mut y = vec![0u8; n];
    data::make_moons(&mut rng_from_seed(seed), noise, &mut x, &mut y).unwrap();
    (x, y)
}

#[test]
fn moons_without_noise_lie_on_the_two_half_circles() {
    let (x, y) = moons(1001, 0.0, 1);
    assert_eq!(y.iter().filter(|&&l| l == 0).count(), 500);
    assert_eq!(y.iter().filter(|&&l| l == 1).count(), 501);
    for (p, &l) in x.iter().zip(&y) {
        let (cx, cy) = if l == 0 { (0.0, 0.0) } else { (1.0, 1.0) };
        let r = ((f64::from(p[0]) - cx).powi(2) + (f64::from(p[1]) - cy).powi(2)).sqrt();
        assert!((r - 1.0).abs() < 1e-6, "radius {r}");
        // Upper moon has y >= 0, lower moon has y <= 1.
        if l == 0 { assert!(p[1] >= 0.0) } else { assert!(p[1] <= 1.0) }
    }
    // Shuffled: the labels are not sorted.
    assert!(y[..500].contains(&1));
}

#[test]
fn noise_has_the_stated_scale_and_the_data_is_deterministic() {
    let (x0, _) = moons(4000, 0.0, 2);
    let (x1, y1) = moons(4000, 0.18, 2);
    // Same seed: same angles and same permutation, so the difference is the noise.
    let d: Vec<f64> =
        x0.iter().zip(&x1).flat_map(|(a, b)| [f64::from(b[0] - a[0]), f64::from(b[1] - a[1])]).collect();
    let n = d.len() as f64;
    let mean = d.iter().sum::<f64>() / n;
    let std = (d.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    assert!(mean.abs() < 5.0 * 0.18 / n.sqrt(), "{mean}");
    assert!((std - 0.18).abs() < 5.0 * 0.18 / (2.0 * n).sqrt(), "{std}");
    assert_eq!(moons(4000, 0.18, 2), (x1, y1));
    assert_ne!(moons(4000, 0.18, 3).0, x0);
}

#[test]
fn split_follows_listing_c() {
    let (mut x, mut y) = moons(1200, 0.18, 1);
    let (x0, y0) = (x.clone(), y.clone());
    let split = data::train_val_split(&mut rng_from_seed(1), 0.25, &mut x, &mut y).unwrap();
    assert_eq!(split.val_x.len(), 300);
    assert_eq!(split.train_x.len(), 900);
    assert_eq!(split.val_y.len(), 300);
    // A permutation: every sample appears once, with its label.
    let mut all: Vec<(u32, u32, u8)> = split
        .val_x
        .iter()
        .chain(split.train_x)
        .zip(split.val_y.iter().chain(split.train_y))
        .map(|(p, &l)| (p[0].to_bits(), p[1].to_bits(), l))
        .collect();
    let mut orig: Vec<(u32, u32, u8)> =
        x0.iter().zip(&y0).map(|(p, &l)| (p[0].to_bits(), p[1].to_bits(), l)).collect();
    all.sort_unstable();
    orig.sort_unstable();
    assert_eq!(all, orig);
    // int(len * ratio), computed in f64.
    let (mut x, mut y) = moons(10, 0.1, 1);
    assert_eq!(data::train_val_split(&mut rng_from_seed(1), 0.29, &mut x, &mut y).unwrap().val_x.len(), 2);
}

#[test]
fn bad_arguments_are_errors_that_write_nothing() {
    let mut x = vec![[9.0f32; 2]; 10];
    let mut y = vec![9u8; 9];
    assert_eq!(
        data::make_moons(&mut rng_from_seed(1), 0.1, &mut x, &mut y),
        Err(Error::LengthMismatch { samples: 10, labels: 9 })
    );
    let mut y = vec![9u8; 10];
    for noise in [-0.1, f64::NAN, f64::INFINITY] {
        assert_eq!(
            data::make_moons(&mut rng_from_seed(1), noise, &mut x, &mut y),
            Err(Error::BadHyperparameter(Hyperparameter::Noise))
        );
    }
    for ratio in [1.0, -0.1, f64::NAN] {
        assert_eq!(
            data::train_val_split(&mut rng_from_seed(1), ratio, &mut x, &mut y).unwrap_err(),
            Error::BadHyperparameter(Hyperparameter::ValRatio)
        );
    }
    assert!(x.iter().all(|p| *p == [9.0, 9.0]) && y.iter().all(|&l| l == 9));
}

/// Found by the `init_rng` fuzz target: a finite but huge noise overflowed
/// the f32 samples to infinity. The noise is now bounded so that every
/// sample is finite.
#[test]
fn the_largest_noise_still_gives_finite_samples() {
    let (x, _) = moons(500, data::MAX_NOISE, 4);
    assert!(x.iter().all(|p| p[0].is_finite() && p[1].is_finite()));
    let mut x = vec![[0.0f32; 2]; 4];
    let mut y = vec![0u8; 4];
    for noise in [data::MAX_NOISE * 1.0001, f64::MAX] {
        assert_eq!(
            data::make_moons(&mut rng_from_seed(1), noise, &mut x, &mut y),
            Err(Error::BadHyperparameter(Hyperparameter::Noise))
        );
    }
}
