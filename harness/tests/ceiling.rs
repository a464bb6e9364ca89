//! Each data set's ceiling (Bayes-optimal accuracy) against independent
//! computations: SciPy reference values, brute-force simulation with a Bayes
//! rule computed here, and sanity properties.
//!
//! Reference numbers quoted below are the output of
//! `python3 harness/tests/reference/ceiling_reference.py` (NumPy 2.4,
//! SciPy 1.17), which computes them by other methods (see its docstring).

use harness::ceiling::{Ceiling, ceiling};
use harness::synthetic::{DatasetSpec, Generated, parse};
use std::f64::consts::PI;

fn c(spec: &str) -> Ceiling {
    ceiling(&parse(spec).unwrap()).unwrap()
}

#[test]
fn exact_ceilings_match_the_scipy_reference() {
    // (spec, printed value): "xor noise=0.3: 0.999142247519" and so on.
    let cases = [
        ("xor:noise=0.3", 0.999_142_247_519),
        ("xor:noise=0.6", 0.908_987_130_995),
        ("xor:noise=1", 0.733_032_471_337),
        ("blobs:2,std=0.8", 0.993_790_334_674),
        ("blobs:3,std=0.8", 0.971_928_149_952),
        ("blobs:4,std=0.8", 0.924_386_225_812),
        ("blobs:4,std=1.5", 0.684_112_121_509),
        ("blobs:7,std=0.5", 0.917_356_622_178),
        ("circles:factor=0.5,noise=0.2", 0.889_933_672_815),
        ("circles:factor=0.5,noise=0.1", 0.993_580_250_832),
        ("circles:factor=0.8,noise=0.15", 0.746_011_607_251),
        ("circles:factor=0.3,noise=1", 0.573_565_494_489),
    ];
    for (spec, want) in cases {
        let got = c(spec);
        assert_eq!(got.std_error, 0.0, "{spec}");
        assert!((got.accuracy - want).abs() < 1e-9, "{spec}: {} vs SciPy {want}", got.accuracy);
    }
    // The blobs' dimension does not matter (extra coordinates are pure noise).
    assert_eq!(c("blobs:4,dims=50,std=0.8").accuracy, c("blobs:4,std=0.8").accuracy);
}

#[test]
fn monte_carlo_ceilings_match_the_grid_reference() {
    // "moons noise=0.18: 0.883095", "spirals:3 noise=0.1: 0.895108": 2-D grid
    // integrals of max_c f_c / K (no sampling; their error is below 1e-5).
    for (spec, want) in [("moons", 0.883_095), ("spirals:3", 0.895_108)] {
        let got = c(spec);
        assert!(got.std_error > 0.0 && got.std_error < 0.001, "{spec}: {got:?}");
        assert!((got.accuracy - want).abs() < 4.0 * got.std_error + 1e-5, "{spec}: {got:?} vs grid {want}");
    }
    // The paper's moons: the expected 0.88–0.90.
    let moons = c("moons").accuracy;
    assert!((0.88..0.90).contains(&moons), "{moons}");
}

/// The Bayes rule, computed independently of `harness::ceiling`: class
/// densities of the curve data sets by a midpoint rule over the latent
/// variable (a different rule and resolution), the sign rule for XOR, the
/// nearest polygon vertex for blobs.
struct Bayes {
    spec: DatasetSpec,
    curves: Vec<Vec<(f64, f64)>>,
}

impl Bayes {
    fn new(spec: DatasetSpec) -> Self {
        const NODES: usize = 2500;
        let t = |i: usize| (i as f64 + 0.5) / NODES as f64;
        let curves: Vec<Vec<(f64, f64)>> = match spec {
            DatasetSpec::Moons { .. } => vec![
                (0..NODES).map(|i| ((PI * t(i)).cos(), (PI * t(i)).sin())).collect(),
                (0..NODES).map(|i| (1.0 - (PI * t(i)).cos(), 1.0 - (PI * t(i)).sin())).collect(),
            ],
            DatasetSpec::Circles { factor, .. } => [1.0, factor]
                .iter()
                .map(|r| {
                    (0..NODES).map(|i| (r * (2.0 * PI * t(i)).cos(), r * (2.0 * PI * t(i)).sin())).collect()
                })
                .collect(),
            DatasetSpec::Spirals { arms, .. } => (0..arms)
                .map(|c| {
                    (0..NODES)
                        .map(|i| {
                            let th = 2.0 * PI * (c as f64 / arms as f64 + 0.75 * t(i));
                            (t(i) * th.cos(), t(i) * th.sin())
                        })
                        .collect()
                })
                .collect(),
            _ => Vec::new(),
        };
        Bayes { spec, curves }
    }

    fn classify(&self, x: &[f32]) -> usize {
        let p = (f64::from(x[0]), f64::from(x[1]));
        match self.spec {
            DatasetSpec::Xor { .. } => usize::from((p.0 < 0.0) != (p.1 < 0.0)),
            DatasetSpec::Blobs { classes, .. } => {
                (0..classes)
                    .map(|k| {
                        let a = 2.0 * PI * k as f64 / classes as f64;
                        (k, (p.0 - 2.0 * a.cos()).powi(2) + (p.1 - 2.0 * a.sin()).powi(2))
                    })
                    .min_by(|a, b| a.1.total_cmp(&b.1))
                    .unwrap()
                    .0
            }
            _ => {
                let v = 2.0 * self.spec.noise().powi(2);
                let dens: Vec<f64> = self
                    .curves
                    .iter()
                    .map(|curve| {
                        curve.iter().map(|m| (-((p.0 - m.0).powi(2) + (p.1 - m.1).powi(2)) / v).exp()).sum()
                    })
                    .collect();
                (0..dens.len()).max_by(|&a, &b| dens[a].total_cmp(&dens[b])).unwrap()
            }
        }
    }
}

#[test]
fn brute_force_simulation_agrees_with_every_ceiling() {
    let n = 12_000;
    for spec in [
        "moons",
        "moons:noise=0.3",
        "circles",
        "spirals:3",
        "spirals:4,noise=0.07",
        "xor",
        "blobs:4",
        "blobs:5,dims=3,std=1",
    ] {
        let spec = parse(spec).unwrap();
        let bayes = Bayes::new(spec);
        // Fresh samples: not the Monte Carlo's seed.
        let g: Generated = spec.generate(20_260_101, n).unwrap();
        let correct = (0..n).filter(|&k| bayes.classify(g.row(k)) == usize::from(g.y[k])).count();
        let acc = correct as f64 / n as f64;
        let want = ceiling(&spec).unwrap();
        let se = (want.accuracy * (1.0 - want.accuracy) / n as f64 + want.std_error.powi(2)).sqrt();
        assert!(
            (acc - want.accuracy).abs() < 4.0 * se,
            "{}: simulated {acc} vs ceiling {} (±{se})",
            spec.name(),
            want.accuracy
        );
    }
}

#[test]
fn no_rule_beats_the_ceiling_on_fresh_data() {
    // A deliberately suboptimal rule for moons (which half-plane of the line
    // through the two crossing points) must score below the ceiling; a
    // ceiling computed too high or too low by more than a few standard errors
    // would show against the Bayes rule above, this checks the order.
    let spec = parse("moons").unwrap();
    let g = spec.generate(77, 20_000).unwrap();
    let line =
        (0..g.len()).filter(|&k| usize::from(g.row(k)[0] + g.row(k)[1] > 1.0) == usize::from(g.y[k])).count();
    let acc = line as f64 / g.len() as f64;
    assert!(acc < c("moons").accuracy, "{acc}");
}

#[test]
fn more_noise_lowers_every_ceiling() {
    let families: [&[&str]; 5] = [
        &["moons:noise=0.05", "moons:noise=0.12", "moons:noise=0.18", "moons:noise=0.3", "moons:noise=0.6"],
        &[
            "circles:noise=0.05",
            "circles:noise=0.1",
            "circles:noise=0.2",
            "circles:noise=0.4",
            "circles:noise=2",
        ],
        &["spirals:3,noise=0.03", "spirals:3,noise=0.1", "spirals:3,noise=0.2", "spirals:3,noise=0.5"],
        &["xor:noise=0.2", "xor:noise=0.5", "xor:noise=0.6", "xor:noise=1", "xor:noise=5"],
        &["blobs:4,std=0.3", "blobs:4,std=0.8", "blobs:4,std=1.5", "blobs:4,std=4", "blobs:4,std=100"],
    ];
    for family in families {
        let values: Vec<Ceiling> = family.iter().map(|s| c(s)).collect();
        for (w, names) in values.windows(2).zip(family.windows(2)) {
            let margin = 3.0 * (w[0].std_error.powi(2) + w[1].std_error.powi(2)).sqrt();
            assert!(w[0].accuracy > w[1].accuracy + margin, "{names:?}: {:?} then {:?}", w[0], w[1]);
        }
    }
    // More arms (at the same noise) and a wider inner circle are harder too.
    assert!(c("spirals:2").accuracy > c("spirals:3").accuracy + 0.01);
    assert!(c("spirals:3").accuracy > c("spirals:5").accuracy + 0.01);
    assert!(c("circles:factor=0.3").accuracy > c("circles:factor=0.5").accuracy);
    assert!(c("circles:factor=0.5").accuracy > c("circles:factor=0.9").accuracy);
    assert!(c("blobs:3").accuracy > c("blobs:4").accuracy && c("blobs:4").accuracy > c("blobs:9").accuracy);
}

#[test]
fn every_ceiling_lies_between_chance_and_one() {
    let specs = [
        "moons",
        "moons:noise=3",
        "circles",
        "circles:factor=0.99,noise=0.5",
        "spirals:2",
        "spirals:7,noise=0.3",
        "spirals:256,noise=1",
        "xor",
        "xor:noise=50",
        "blobs:2",
        "blobs:256,std=0.5",
        "blobs:3,dims=4096,std=20",
    ];
    for s in specs {
        let spec = parse(s).unwrap();
        let k = spec.classes() as f64;
        let got = ceiling(&spec).unwrap();
        assert!(got.accuracy > 1.0 / k && got.accuracy <= 1.0, "{s}: {got:?}");
        assert!(got.std_error >= 0.0 && got.std_error < 0.01, "{s}: {got:?}");
    }
    // Far past any structure, the ceiling approaches chance from above.
    for s in ["xor:noise=1000", "blobs:5,std=1000", "circles:noise=1000"] {
        let spec = parse(s).unwrap();
        let got = ceiling(&spec).unwrap().accuracy;
        let chance = 1.0 / spec.classes() as f64;
        assert!(got >= chance - 1e-12 && got < chance + 0.01, "{s}: {got}");
    }
    // Noise-free data is perfectly separable.
    for s in ["moons:noise=0", "circles:noise=0", "spirals:5,noise=0", "xor:noise=0", "blobs:9,std=0"] {
        assert_eq!(c(s).accuracy, 1.0, "{s}");
    }
    // Tiny noise: one to f64 precision, never NaN.
    for s in ["moons:noise=1e-120", "spirals:3,noise=1e-120", "blobs:4,std=1e-9", "xor:noise=1e-9"] {
        assert_eq!(c(s).accuracy, 1.0, "{s}");
    }
    // Nearly touching circles with tiny noise look locally like two parallel
    // lines 1 − factor apart: A ≈ Φ((1 − factor)/2σ) = Φ(5) = 0.9999997133
    // (up to the curvature's O(σ)).
    let thin = c("circles:factor=0.999999,noise=1e-7").accuracy;
    assert!((thin - 0.999_999_713_3).abs() < 1e-8, "{thin}");
    // Small noise: just below one, not above.
    for s in ["moons:noise=0.01", "circles:noise=0.01", "xor:noise=0.05", "blobs:4,std=0.05"] {
        let got = c(s).accuracy;
        assert!(got > 0.99 && got <= 1.0, "{s}: {got}");
    }
}

#[test]
fn ceilings_are_bit_identical_run_to_run() {
    for s in ["moons", "circles", "spirals:3", "xor", "blobs:4"] {
        let (a, b) = (c(s), c(s));
        assert_eq!(a.accuracy.to_bits(), b.accuracy.to_bits(), "{s}");
        assert_eq!(a.std_error.to_bits(), b.std_error.to_bits(), "{s}");
    }
}

#[test]
fn invalid_specs_are_refused() {
    for spec in [
        DatasetSpec::Moons { noise: -1.0 },
        DatasetSpec::Circles { factor: 1.0, noise: 0.1 },
        DatasetSpec::Spirals { arms: 1, noise: 0.1 },
        DatasetSpec::Xor { noise: f64::NAN },
        DatasetSpec::Blobs { classes: 3, dims: 1, std: 0.5 },
    ] {
        assert!(ceiling(&spec).is_err(), "{spec:?}");
    }
}
