//! Writes the committed seed corpora, `corpus/<target>/seed-*`:
//! `cargo test --manifest-path fuzz/Cargo.toml --no-default-features --test seeds -- --ignored`.
//!
//! Valid checkpoints (so that the fuzzer starts past the magic and the
//! checksum), CSV files, generator streams and structured inputs.

use saorsa_nn::{Init, Mlp, Network, Normalization, PaperNet, Shape, data, rng_from_seed};
use std::path::{Path, PathBuf};

fn dir(target: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus").join(target);
    std::fs::create_dir_all(&d).expect("corpus dir");
    d
}

fn write(target: &str, name: &str, bytes: &[u8]) {
    std::fs::write(dir(target).join(format!("seed-{name}")), bytes).expect("write a seed");
}

/// A checkpoint of a `Mlp<I, W, M, O>` initialized with `init` from `seed`.
pub fn checkpoint<const I: usize, const W: usize, const M: usize, const O: usize>(
    init: Init,
    seed: u64,
) -> Vec<u8> {
    let mut m = Box::new(Mlp::<I, W, M, O>::new());
    m.init_from_seed(init, seed).expect("a valid init");
    let mut out = vec![0u8; Mlp::<I, W, M, O>::CHECKPOINT_BYTES];
    m.encode_checkpoint(&mut out).expect("exact buffer");
    out
}

/// A checkpoint of a run-time network of `widths`, initialized with `init` from `seed`.
pub fn run_time_checkpoint(widths: &[usize], init: Init, seed: u64) -> Vec<u8> {
    let shape = Shape::new(widths).expect("a valid shape");
    let mut net = Network::new(shape.clone(), vec![0.0f32; shape.parameter_count()]).expect("exact buffer");
    net.init_from_seed(init, seed).expect("a valid init");
    let mut out = vec![0u8; shape.checkpoint_bytes()];
    net.encode_checkpoint(&mut out).expect("exact buffer");
    out
}

/// Pseudo-random bytes from the crate's own generator.
fn noise(seed: u64, len: usize) -> Vec<u8> {
    use rand_core::Rng;
    let mut rng = rng_from_seed(seed);
    (0..len).map(|_| rng.next_u32() as u8).collect()
}

#[test]
#[ignore = "writes the seed corpora; run by hand"]
fn write_seed_corpora() {
    for target in ["checkpoint_decode", "checkpoint_decode_resealed"] {
        write(target, "paper-glorot", &checkpoint::<2, 64, 2, 2>(Init::GlorotNormal, 0));
        write(target, "small-2-8-1-2-he-truncated", &checkpoint::<2, 8, 1, 2>(Init::HeTruncatedNormal, 1));
        write(target, "small-2-8-1-2-zero", &checkpoint::<2, 8, 1, 2>(Init::SmallNormal { std: 0.0 }, 0));
        write(target, "tiny-1-1-0-1-glorot-uniform", &checkpoint::<1, 1, 0, 1>(Init::GlorotUniform, 2));
        write(target, "small-3-4-0-3-lecun", &checkpoint::<3, 4, 0, 3>(Init::LeCunNormal, 3));
    }
    write("checkpoint_decode", "paper-small", &checkpoint::<2, 64, 2, 2>(Init::SMALL, 1));
    // Shapes no typed network has: read_shape, then a run-time network of that shape.
    for target in ["checkpoint_decode", "checkpoint_decode_resealed"] {
        write(target, "run-time-3-17-1-9-4-he", &run_time_checkpoint(&[3, 17, 1, 9, 4], Init::HeNormal, 4));
        write(target, "run-time-5-3-glorot-uniform", &run_time_checkpoint(&[5, 3], Init::GlorotUniform, 5));
    }
    assert_eq!(PaperNet::CHECKPOINT_BYTES, checkpoint::<2, 64, 2, 2>(Init::SMALL, 1).len());

    let mut x = [[0.0f32; 2]; 24];
    let mut y = [0u8; 24];
    data::make_moons(&mut rng_from_seed(1), 0.18, &mut x, &mut y).expect("moons");
    let moons =
        harness::dataset::Data { features: 2, classes: 2, x: x.as_flattened().to_vec(), y: y.to_vec() };
    let csv = harness::dataset::to_csv(&moons);
    write("dataset_csv", "moons", csv.as_bytes());
    write("dataset_csv", "moons-crlf", csv.replace('\n', "\r\n").as_bytes());
    write("dataset_csv", "columns-reordered", b"label, id ,x2,x1\r\n1,a,2.5,-1\r\n\r\n0,b,0,3\r\n");
    write("dataset_csv", "edge-values", b"x1,x2,label\n-3.4028235e38,1e-45,0\n-0,0.33333334,1\n1e39,0,0\n");
    write("dataset_csv", "errors", b"x1,x2,label\n1,2,0\nNaN,inf,1\n1,2\n1,2,2\n\xff,1,0\n");

    for (name, stream) in [
        ("zeros", vec![0u8; 1]),
        ("ones", vec![0xFF; 9]),
        ("glorot-truncated-pattern", [vec![0, 7], vec![0x80, 0, 0, 0, 0, 0, 0, 1]].concat()),
        ("he-uniform-noise", [vec![0, 6], noise(5, 64)].concat()),
        ("small-std", [vec![0, 0, 5], f32::MAX.to_le_bytes().to_vec(), noise(6, 32)].concat()),
        ("below-noise", [vec![1, 2, 30, 3, 0, 0, 0], noise(7, 64)].concat()),
        ("moons-noise", [vec![1, 4, 20], noise(8, 96)].concat()),
    ] {
        write("init_rng", name, &stream);
    }
    for k in 0..9u8 {
        write(
            "kernels_differential",
            &format!("kernel-{k}"),
            &[vec![k, 5, 3, 4], noise(10 + u64::from(k), 400)].concat(),
        );
    }
    for k in 0..4u64 {
        write("train_step", &format!("noise-{k}"), &noise(20 + k, 160));
    }

    // Training states: valid ones of each trainer the target decodes into,
    // and of shapes only `state::read_shape` leads to.
    write("state_decode", "typed-2-8-1-2-fresh", &saorsa_nn_fuzz::typed_seed(0));
    write("state_decode", "typed-2-8-1-2-3-epochs", &saorsa_nn_fuzz::typed_seed(3));
    write("state_decode", "run-time-3-4-3", &saorsa_nn_fuzz::run_time_seed(&[3, 4, 3], Normalization::None));
    write(
        "state_decode",
        "run-time-2-8-8-2-layer-norm",
        &saorsa_nn_fuzz::run_time_seed(&[2, 8, 8, 2], Normalization::LayerNorm),
    );
    write(
        "state_decode",
        "run-time-5-7-1-3",
        &saorsa_nn_fuzz::run_time_seed(&[5, 7, 1, 3], Normalization::None),
    );
}

#[test]
#[ignore = "replays the seed corpora; run by hand"]
fn replay_seed_corpora() {
    let mut failures = Vec::new();
    for (target, check) in saorsa_nn_fuzz::TARGETS {
        for entry in std::fs::read_dir(dir(target)).expect("corpus dir") {
            let path = entry.expect("entry").path();
            let bytes = std::fs::read(&path).expect("read");
            if let Err(e) = std::panic::catch_unwind(|| check(&bytes)) {
                let msg = e.downcast_ref::<String>().cloned().unwrap_or_default();
                failures.push(format!("{}: {msg}", path.display()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Prints what `train_step` inputs do:
/// `DESCRIBE=path cargo test --no-default-features --test seeds -- --ignored describe --nocapture`
/// (`path` a file, or a directory of them).
#[test]
#[ignore = "prints train_step inputs' scenarios; run by hand"]
fn describe_train_step_inputs() {
    let path = PathBuf::from(std::env::var("DESCRIBE").expect("DESCRIBE=path"));
    let files: Vec<PathBuf> = if path.is_dir() {
        std::fs::read_dir(&path).expect("dir").map(|e| e.expect("entry").path()).collect()
    } else {
        vec![path]
    };
    for f in files {
        let bytes = std::fs::read(&f).expect("read");
        println!("{}\n{}\n", f.display(), saorsa_nn_fuzz::train_step_events(&bytes));
    }
}

/// Every target on pseudo-random inputs: a smoke test of the checks themselves
/// (`SMOKE=<runs>`, default 300 per target).
#[test]
#[ignore = "a smoke test of the checks; run by hand"]
fn random_inputs_smoke() {
    let runs: u64 = std::env::var("SMOKE").ok().and_then(|s| s.parse().ok()).unwrap_or(300);
    for (target, check) in saorsa_nn_fuzz::TARGETS {
        for k in 0..runs {
            let bytes = noise(1000 + k, (k as usize * 37) % 2000);
            if let Err(e) = std::panic::catch_unwind(|| check(&bytes)) {
                let msg = e.downcast_ref::<String>().cloned().unwrap_or_default();
                panic!("{target} on noise({}, {}): {msg}", 1000 + k, (k as usize * 37) % 2000);
            }
        }
    }
}
