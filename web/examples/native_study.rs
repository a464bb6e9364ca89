//! The playground's work on the host, one thread: a whole study (the paper's by default) through
//! the same `Session` the wasm module runs (`web/src/session.rs`), an epoch of every run at a
//! time, for the benchmark's per-core comparison of the module with native code.
//!
//! ```sh
//! cargo build --release -p playground --example native_study
//! /usr/bin/time -f "%e s wall, %U s user, %S s sys" target/release/examples/native_study '{"seeds": "10"}'
//! ```

use playground::Session;
use playground::settings::Settings;

fn main() {
    let text = std::env::args().nth(1).unwrap_or_else(|| "{}".into());
    let settings: Settings = match serde_json::from_str(&text) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("native_study: settings: {e}");
            std::process::exit(2);
        }
    };
    let start = std::time::Instant::now();
    let (mut session, plan) = match Session::open(&settings, 0, 1, false) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("native_study: {e}");
            std::process::exit(2);
        }
    };
    let mut epochs = 0;
    loop {
        let step = session.step();
        epochs += step.epochs.len();
        if step.training == 0 {
            break;
        }
    }
    let s = start.elapsed().as_secs_f64();
    println!(
        "{} runs, {epochs} run-epochs in {s:.2} s wall ({:.1} run-epochs/s); first checkpoint CRC {}",
        plan.runs.len(),
        epochs as f64 / s,
        session.finished().first().map_or("-".into(), |f| f.crc32.clone())
    );
}
