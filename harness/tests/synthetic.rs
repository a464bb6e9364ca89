//! The data-set registry: parsing, names, generation and the embedding.

use harness::synthetic::{DatasetSpec, MAX_DIMS, embed, parse};
use saorsa_nn::{data, rng_from_seed};

#[test]
fn the_documented_syntax_parses() {
    let cases = [
        ("moons", DatasetSpec::Moons { noise: 0.18 }),
        ("moons:noise=0.3", DatasetSpec::Moons { noise: 0.3 }),
        ("circles", DatasetSpec::Circles { factor: 0.5, noise: 0.2 }),
        ("circles:factor=0.5,noise=0.1", DatasetSpec::Circles { factor: 0.5, noise: 0.1 }),
        ("circles: noise = 0.1 , factor=0.7", DatasetSpec::Circles { factor: 0.7, noise: 0.1 }),
        ("spirals", DatasetSpec::Spirals { arms: 3, noise: 0.1 }),
        ("spirals:3", DatasetSpec::Spirals { arms: 3, noise: 0.1 }),
        ("spirals:3,noise=0.2", DatasetSpec::Spirals { arms: 3, noise: 0.2 }),
        ("spirals:arms=5", DatasetSpec::Spirals { arms: 5, noise: 0.1 }),
        ("xor", DatasetSpec::Xor { noise: 0.6 }),
        ("blobs", DatasetSpec::Blobs { classes: 4, dims: 2, std: 0.8 }),
        ("blobs:4", DatasetSpec::Blobs { classes: 4, dims: 2, std: 0.8 }),
        ("blobs:4,dims=10,std=1.5", DatasetSpec::Blobs { classes: 4, dims: 10, std: 1.5 }),
        ("blobs:std=1.5,classes=6", DatasetSpec::Blobs { classes: 6, dims: 2, std: 1.5 }),
    ];
    for (text, want) in cases {
        assert_eq!(parse(text), Ok(want), "{text}");
        assert_eq!(text.parse::<DatasetSpec>(), Ok(want));
    }
    assert_eq!(DatasetSpec::default(), DatasetSpec::Moons { noise: 0.18 });
}

#[test]
fn machine_names_round_trip_and_display_names_read_well() {
    let cases = [
        ("moons", "moons", "two moons"),
        ("moons:noise=0.3", "moons:noise=0.3", "two moons (noise 0.3)"),
        ("circles:noise=0.2,factor=0.25", "circles:factor=0.25", "circles (factor 0.25)"),
        ("spirals", "spirals:3", "3 spirals"),
        ("spirals:5,noise=0.05", "spirals:5,noise=0.05", "5 spirals (noise 0.05)"),
        ("xor:noise=0.1", "xor:noise=0.1", "XOR (noise 0.1)"),
        ("blobs", "blobs:4", "4 blobs"),
        ("blobs:4,std=1.5,dims=10", "blobs:4,dims=10,std=1.5", "4 blobs (dims 10, std 1.5)"),
        (
            "moons:noise=0.1000000000000001",
            "moons:noise=0.1000000000000001",
            "two moons (noise 0.1000000000000001)",
        ),
    ];
    for (text, name, display) in cases {
        let spec = parse(text).unwrap();
        assert_eq!(spec.name(), name);
        assert_eq!(spec.to_string(), name);
        assert_eq!(spec.display_name(), display);
        assert_eq!(parse(&spec.name()), Ok(spec));
    }
}

#[test]
fn bad_specs_get_one_line_errors() {
    let cases = [
        ("", "unknown data set"),
        ("mons", "unknown data set `mons`"),
        ("Moonz", "unknown data set `Moonz`"),
        ("spirls:3", "did you mean `spirals`?"),
        ("moons:", "empty argument"),
        ("moons:0.3", "not KEY=VALUE"),
        ("moons:factor=0.3", "unknown key `factor` for moons"),
        ("moons:noise=abc", "noise must be a number"),
        ("moons:noise=-0.1", "noise must lie in"),
        ("moons:noise=inf", "noise must lie in"),
        ("moons:noise=NaN", "noise must lie in"),
        ("moons:noise=0.1,noise=0.2", "`noise` given twice"),
        ("circles:factor=1", "factor must lie in (0, 1)"),
        ("circles:factor=0", "factor must lie in (0, 1)"),
        ("spirals:1", "spiral arms must lie in 2..=256"),
        ("spirals:257", "spiral arms must lie in 2..=256"),
        ("spirals:3.5", "arms must be a whole number"),
        ("spirals:3,4", "not KEY=VALUE"),
        ("spirals:3,arms=4", "`arms` given twice"),
        ("xor:3", "not KEY=VALUE"),
        ("blobs:1", "blobs must lie in 2..=256"),
        ("blobs:4,dims=1", "dims must lie in 2..=4096"),
        ("blobs:4,dims=4097", "dims must lie in 2..=4096"),
        ("blobs:4,std=-1", "std must lie in"),
        ("blobs:4,,std=1", "empty argument"),
    ];
    for (text, want) in cases {
        let err = parse(text).unwrap_err();
        assert!(err.contains(want), "{text}: {err}");
        assert!(!err.contains('\n'), "{text}: {err}");
    }
    // The singular and any case name the same data set, by its machine name.
    for (text, name) in
        [("moon", "moons"), ("Moons", "moons"), ("Spiral:3", "spirals:3"), ("BLOB:4", "blobs:4")]
    {
        assert_eq!(parse(text).unwrap().name(), name, "{text}");
    }
}

#[test]
fn shapes_follow_the_spec() {
    for (text, features, classes) in
        [("moons", 2, 2), ("circles", 2, 2), ("spirals:7", 2, 7), ("xor", 2, 2), ("blobs:5,dims=9", 9, 5)]
    {
        let spec = parse(text).unwrap();
        assert_eq!((spec.features(), spec.classes()), (features, classes), "{text}");
        let g = spec.generate(3, 101).unwrap();
        assert_eq!((g.features, g.classes, g.len(), g.x.len()), (features, classes, 101, 101 * features));
        assert!(g.y.iter().all(|&l| usize::from(l) < classes));
        assert!(g.x.iter().all(|v| v.is_finite()));
        assert_eq!(g, spec.generate(3, 101).unwrap());
        assert_ne!(g.x, spec.generate(4, 101).unwrap().x);
    }
    assert!(DatasetSpec::Xor { noise: -1.0 }.generate(1, 10).is_err());
}

#[test]
fn moons_are_the_cores_two_moons_bit_for_bit() {
    let mut rows = vec![[0.0f32; 2]; 1200];
    let mut y = vec![0u8; 1200];
    data::make_moons(&mut rng_from_seed(1), 0.18, &mut rows, &mut y).unwrap();
    let g = parse("moons").unwrap().generate(1, 1200).unwrap();
    let want: Vec<u32> = rows.as_flattened().iter().map(|v| v.to_bits()).collect();
    assert_eq!(g.x.iter().map(|v| v.to_bits()).collect::<Vec<_>>(), want);
    assert_eq!(g.y, y);
}

#[test]
fn other_generators_are_the_cores() {
    let g = parse("spirals:4,noise=0.05").unwrap().generate(9, 300).unwrap();
    let (mut x, mut y) = (vec![0.0f32; 600], vec![0u8; 300]);
    data::make_spirals(&mut rng_from_seed(9), 4, 0.05, &mut x, &mut y).unwrap();
    assert_eq!((g.x, g.y), (x, y));
}

#[test]
fn embedding_keeps_rows_labels_and_distances() {
    let g = parse("xor").unwrap().generate(2, 500).unwrap();
    let e = embed(&g, 5, 16, 6, 1.0).unwrap();
    assert_eq!((e.features, e.classes, e.len()), (16, 2, 500));
    assert_eq!(e.y, g.y);
    for k in 0..499 {
        let d =
            |a: &[f32], b: &[f32]| a.iter().zip(b).map(|(p, q)| f64::from(p - q).powi(2)).sum::<f64>().sqrt();
        let before = d(g.row(k), g.row(k + 1));
        let after = d(&e.row(k)[..10], &e.row(k + 1)[..10]);
        assert!((before - after).abs() < 1e-5 * (1.0 + before), "{before} {after}");
    }
    assert_eq!(e, embed(&g, 5, 16, 6, 1.0).unwrap());
    assert!(embed(&g, 5, 16, 15, 1.0).unwrap_err().contains("cannot embed 2 features into 16 dimensions"));
    assert!(embed(&g, 5, MAX_DIMS + 1, 0, 1.0).is_err());
    assert!(embed(&g, 5, 8, 0, -1.0).is_err());
    assert_eq!(embed(&g, 5, MAX_DIMS, 0, 0.0).unwrap().x.len(), 500 * MAX_DIMS);
}
