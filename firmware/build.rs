//! Turns the compile-time settings (environment variables) into
//! `$OUT_DIR/config.rs`, copies the checkpoint the `infer` binary embeds to
//! `$OUT_DIR/checkpoint.bin`, and puts `memory.x` on the linker's path.
//!
//! | variable | default | meaning |
//! |---|---|---|
//! | `FW_SAMPLES` | 256 | two-moons samples before the 75/25 split (≥ 4) |
//! | `FW_EPOCHS` | 20 | full-batch Adam epochs (≥ 1) |
//! | `FW_INIT` | `glorot` | initializer, as `Init::name` spells it |
//! | `FW_SEED` | 0 | model seed (`rng_from_seed`) |
//! | `FW_MICROBATCH` | 1 | micro-batch `B` of the trainer (memory only) |
//! | `FW_RESUME_AT` | `FW_EPOCHS / 2` | the epoch after which `resume` saves, wipes and restores its trainer |
//! | `FW_CHECKPOINT` | `assets/paper-glorot-seed0.bin` | checkpoint embedded by `infer` |
//!
//! The paper's configuration is `FW_SAMPLES=1200 FW_EPOCHS=250`.

use saorsa_nn::Init;
use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// Reads `name`, or `default` if it is unset or empty.
fn setting(name: &str, default: &str) -> String {
    println!("cargo:rerun-if-env-changed={name}");
    match env::var(name) {
        Ok(v) if !v.trim().is_empty() => v.trim().to_owned(),
        _ => default.to_owned(),
    }
}

/// Reads a number of at least `min`; a bad value stops the build.
fn number<T: std::str::FromStr + PartialOrd + std::fmt::Display>(name: &str, default: &str, min: T) -> T {
    let text = setting(name, default);
    match text.parse::<T>() {
        Ok(v) if v >= min => v,
        _ => panic!("{name}={text}: expected an integer ≥ {min}"),
    }
}

fn main() {
    let samples: usize = number("FW_SAMPLES", "256", 4);
    let epochs: u32 = number("FW_EPOCHS", "20", 1);
    let seed: u64 = number("FW_SEED", "0", 0);
    let micro_batch: usize = number("FW_MICROBATCH", "1", 1);
    let resume_at: u32 = number("FW_RESUME_AT", &(epochs / 2).to_string(), 0);
    assert!(resume_at <= epochs, "FW_RESUME_AT={resume_at}: expected at most FW_EPOCHS={epochs}");
    let init_name = setting("FW_INIT", "glorot");
    let init = Init::from_name(&init_name).unwrap_or_else(|| {
        let names: Vec<_> = Init::ALL.iter().map(Init::name).collect();
        panic!("FW_INIT={init_name}: expected one of {}", names.join(", "))
    });

    let out = PathBuf::from(env::var_os("OUT_DIR").expect("OUT_DIR"));
    let mut config = String::new();
    let mut item = |doc: &str, decl: String| writeln!(config, "/// {doc}\npub {decl};").unwrap();
    item("Two-moons samples before the split (`FW_SAMPLES`).", format!("const SAMPLES: usize = {samples}"));
    item("Training epochs (`FW_EPOCHS`).", format!("const EPOCHS: u32 = {epochs}"));
    // `Init`'s `Debug` form is a valid Rust expression, e.g. `SmallNormal { std: 0.01 }`.
    item("The initializer (`FW_INIT`).", format!("const INIT: saorsa_nn::Init = saorsa_nn::Init::{init:?}"));
    item("The model seed (`FW_SEED`).", format!("const SEED: u64 = {seed}"));
    item(
        "The epoch after which `resume` saves, wipes and restores its trainer (`FW_RESUME_AT`).",
        format!("const RESUME_AT: u32 = {resume_at}"),
    );
    item(
        "The trainer's micro-batch size `B` (`FW_MICROBATCH`).",
        format!("const MICRO_BATCH: usize = {micro_batch}"),
    );

    // The checkpoint `infer` embeds, relative to this crate unless absolute.
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let checkpoint = manifest.join(setting("FW_CHECKPOINT", "assets/paper-glorot-seed0.bin"));
    println!("cargo:rerun-if-changed={}", checkpoint.display());
    fs::copy(&checkpoint, out.join("checkpoint.bin"))
        .unwrap_or_else(|e| panic!("FW_CHECKPOINT={}: {e}", checkpoint.display()));
    let file_name = checkpoint.file_name().and_then(|n| n.to_str()).unwrap_or("checkpoint");
    item(
        "File name of the checkpoint `infer` embeds (`FW_CHECKPOINT`).",
        format!("const CHECKPOINT_NAME: &str = {file_name:?}"),
    );

    fs::write(out.join("config.rs"), config).expect("write config.rs");

    // cortex-m-rt's `link.x` includes `memory.x` from the linker's search path.
    fs::copy(Path::new("memory.x"), out.join("memory.x")).expect("copy memory.x");
    println!("cargo:rustc-link-search={}", out.display());
    println!("cargo:rerun-if-changed=memory.x");
}
